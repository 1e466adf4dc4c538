import * as E from '../services/erasure.service';
import type { Handlers } from './handle';

type ErasureChannels = 'erase:plan' | 'erase:confirm' | 'erasures:list';

export const erasureHandlers: Pick<Handlers, ErasureChannels> = {
  'erase:plan': (s, i) => E.planErasure(s, i),
  'erase:confirm': (s, i) => E.confirmErasure(s, i),
  'erasures:list': (s) => E.listErasures(s),
};
