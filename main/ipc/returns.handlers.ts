import * as R from '../services/returns.service';
import type { Handlers } from './handle';

type ReturnChannels = 'returns:preview' | 'returns:export' | 'exports:list';

export const returnHandlers: Pick<Handlers, ReturnChannels> = {
  'returns:preview': (s, i) => R.preview(s, i),
  'returns:export': (s, i) => R.exportReturn(s, i),
  'exports:list': (s) => R.listExports(s),
};
