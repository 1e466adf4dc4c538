import * as R from '../services/retention.service';
import type { Handlers } from './handle';

type RetentionChannels = 'retention:run' | 'retention:forecast';

export const retentionHandlers: Pick<Handlers, RetentionChannels> = {
  'retention:run': (s, i) => R.runRetention(s, i),
  'retention:forecast': (s, i) => R.forecastRetention(s, i),
};
