import * as audit from '../services/audit.service';
import * as settings from '../services/settings.service';
import type { Handlers } from './handle';

export const auditHandlers: Pick<Handlers, 'audit:list' | 'audit:verify' | 'audit:anchor'> = {
  'audit:list': (s, i) => audit.list(s, i),
  'audit:verify': (s, input) => audit.verify(s, input),
  // Signed with the session's own key (audit.service sessionAnchorSigner).
  'audit:anchor': (s, i) => audit.writeAnchor(s, i),
};

export const settingsHandlers: Pick<Handlers, 'settings:get' | 'settings:update'> = {
  'settings:get': (s) => settings.get(s),
  'settings:update': (s, i) => settings.update(s, i),
};
