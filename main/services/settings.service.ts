import type { Settings } from '../../preload/contract';
import { readSettings, writeSettings } from '../store/settings.repo';
import type { Session } from './session';

export function get(s: Session): Settings {
  s.requireUser();
  return readSettings(s.vault!.db);
}

export function update(s: Session, next: Settings): Settings {
  s.requireUser();
  return s.write((db, audit) => {
    const before = readSettings(db);
    writeSettings(db, next);
    const changed = (Object.keys(next) as (keyof Settings)[]).filter((k) => before[k] !== next[k]);
    audit({ action: 'alter', entityType: 'settings', entityId: null, summary: `Settings changed: ${changed.join(', ') || 'none'}` });
    return readSettings(db);
  });
}
