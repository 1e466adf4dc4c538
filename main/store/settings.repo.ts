import { DEFAULT_SETTINGS, type Settings } from '../../preload/contract';
import type { Db } from '../vault/database';

export { DEFAULT_SETTINGS, type Settings };

export function readSettings(db: Db): Settings {
  const rows = db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
  const s: Settings = { ...DEFAULT_SETTINGS };
  for (const r of rows) {
    if (r.key === 'idleTimeoutMinutes') s.idleTimeoutMinutes = Number(r.value);
    if (r.key === 'marking') s.marking = r.value;
  }
  return s;
}

export function writeSettings(db: Db, s: Settings): void {
  const put = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  put.run('idleTimeoutMinutes', String(s.idleTimeoutMinutes));
  put.run('marking', s.marking);
}
