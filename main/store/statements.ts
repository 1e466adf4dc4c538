import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { Db } from '../vault/database';

/**
 * Statements prepared once per connection: a full rescore saves thousands of scores, and
 * preparing the same SQL for each one cost more than running it. Keyed by the connection, so a
 * closed vault's statements go with it.
 */
const statements = new WeakMap<Db, Map<string, Statement>>();

export function cachedStatement(db: Db, sql: string): Statement {
  let byDb = statements.get(db);
  if (!byDb) statements.set(db, (byDb = new Map()));
  let st = byDb.get(sql);
  if (!st) byDb.set(sql, (st = db.prepare(sql)));
  return st;
}
