import { randomUUID } from 'node:crypto';
import type { Db } from '../vault/database';

export { ROLES } from '../../preload/contract';
import type { UserRow } from '../../preload/contract';
import type { Role } from '../../preload/contract/vocabulary';
export type { Role, UserRow };

interface Raw {
  id: string;
  name: string;
  role: Role;
  created_at: string;
  removed_at: string | null;
  unit: string | null;
}
const map = (r: Raw): UserRow => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at, removedAt: r.removed_at, unit: r.unit ?? '' });

export function insertUser(db: Db, u: { id?: string; name: string; role: Role; createdBy: string | null; unit?: string }, now: Date): UserRow {
  const id = u.id ?? randomUUID();
  const unit = u.unit?.trim() ?? '';
  db.prepare('INSERT INTO users (id, name, role, created_at, created_by, unit) VALUES (?, ?, ?, ?, ?, ?)').run(id, u.name, u.role, now.toISOString(), u.createdBy, unit);
  return { id, name: u.name, role: u.role, createdAt: now.toISOString(), removedAt: null, unit };
}

export function setUserUnit(db: Db, id: string, unit: string): void {
  db.prepare('UPDATE users SET unit = ? WHERE id = ?').run(unit.trim(), id);
}

export function listUsers(db: Db): UserRow[] {
  return (db.prepare('SELECT * FROM users ORDER BY removed_at IS NOT NULL, name').all() as Raw[]).map(map);
}

export function findUser(db: Db, id: string): UserRow | null {
  const r = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function findActiveUserByName(db: Db, name: string): UserRow | null {
  const r = db.prepare('SELECT * FROM users WHERE name = ? COLLATE NOCASE AND removed_at IS NULL').get(name) as Raw | undefined;
  return r ? map(r) : null;
}

export function markUserRemoved(db: Db, id: string, by: string, now: Date): void {
  db.prepare('UPDATE users SET removed_at = ?, removed_by = ? WHERE id = ? AND removed_at IS NULL').run(now.toISOString(), by, id);
}

export function countActiveAdministrators(db: Db): number {
  return (db.prepare("SELECT count(*) AS n FROM users WHERE role = 'administrator' AND removed_at IS NULL").get() as { n: number }).n;
}
