import type { Settings } from '../../preload/contract';
import { readSettings, writeSettings } from '../store/settings.repo';
import type { Session } from './session';

export function get(s: Session): Settings {
  s.requireUser();
  return readSettings(s.vault!.db);
}

const same = (a: Settings[keyof Settings], b: Settings[keyof Settings]) => JSON.stringify(a) === JSON.stringify(b);

export function update(s: Session, next: Settings): Settings {
  s.requireUser();
  return s.write((db, audit) => {
    const before = readSettings(db);
    writeSettings(db, next);
    const after = readSettings(db);
    const changed = (Object.keys(next) as (keyof Settings)[]).filter((k) => next[k] !== undefined && !same(before[k], after[k]));
    // Which records ask for a reason is a control over everyone's consultations: the entry says
    // what it became, so a narrowed list is plain in the log.
    const restricted = changed.includes('restrictedRecords') ? ` (a reason is now asked for: ${after.restrictedRecords!.join(', ') || 'none'})` : '';
    audit({ action: 'alter', entityType: 'settings', entityId: null, summary: `Settings changed: ${changed.join(', ') || 'none'}${restricted}` });
    return after;
  });
}
