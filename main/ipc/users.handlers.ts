import * as keySlots from '../services/key-slots.service';
import * as users from '../services/users.service';
import type { Handlers } from './handle';

export const usersHandlers: Pick<Handlers, 'users:list' | 'users:add' | 'users:set-unit' | 'users:remove' | 'users:key-slots'> = {
  'users:list': (s) => users.list(s),
  'users:add': (s, i) => users.addAsync(s, i),
  'users:set-unit': (s, i) => users.setUnit(s, i),
  'users:remove': (s, i) => users.remove(s, i),
  'users:key-slots': (s) => keySlots.list(s),
};
