import { DEFAULT_SETTINGS, RESTRICTED_RECORD_KINDS, type RestrictedRecordKind, type Settings } from '../../preload/contract';
import type { Db } from '../vault/database';

export { DEFAULT_SETTINGS, type Settings };

/**
 * The restricted-record kinds are stored as the ones an administrator turned off, not the ones on:
 * a kind added in a later version is then restricted in every existing vault until someone turns
 * it off, and a damaged value restricts everything. Fail closed, both ways.
 */
const EXEMPT_KEY = 'restrictedRecordsExempt';

function exemptKinds(raw: string | undefined): Set<string> {
  if (raw === undefined) return new Set();
  try {
    const parsed: unknown = JSON.parse(raw);
    return new Set(Array.isArray(parsed) ? parsed.filter((k): k is string => typeof k === 'string') : []);
  } catch {
    return new Set();
  }
}

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const s: Settings = { ...DEFAULT_SETTINGS };
  let exempt: string | undefined;
  for (const r of rows) {
    if (r.key === 'idleTimeoutMinutes') s.idleTimeoutMinutes = Number(r.value);
    if (r.key === 'marking') s.marking = r.value;
    if (r.key === EXEMPT_KEY) exempt = r.value;
  }
  const off = exemptKinds(exempt);
  s.restrictedRecords = RESTRICTED_RECORD_KINDS.filter((k) => !off.has(k));
  return s;
}

/** Which kinds of record ask for a reason before they open (every kind unless turned off). */
export function readRestrictedKinds(db: Db): readonly RestrictedRecordKind[] {
  const raw = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(EXEMPT_KEY) as string | undefined;
  const off = exemptKinds(raw);
  return RESTRICTED_RECORD_KINDS.filter((k) => !off.has(k));
}

/** Writes every setting given; `restrictedRecords` left out stays as stored. */
export function writeSettings(db: Db, s: Settings): void {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  put.run('idleTimeoutMinutes', String(s.idleTimeoutMinutes));
  put.run('marking', s.marking);
  if (s.restrictedRecords) {
    const on = new Set<string>(s.restrictedRecords);
    put.run(EXEMPT_KEY, JSON.stringify(RESTRICTED_RECORD_KINDS.filter((k) => !on.has(k))));
  }
}
