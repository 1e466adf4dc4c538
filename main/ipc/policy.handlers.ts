import * as policy from '../services/policy.service';
import type { Handlers } from './handle';

export const policyHandlers: Pick<Handlers, 'policy:get' | 'policy:update'> = {
  'policy:get': (s) => policy.get(s),
  'policy:update': (s, i) => policy.update(s, i.values),
};
