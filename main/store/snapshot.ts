import type { Db } from '../vault/database';

/**
 * Run `read` in one read transaction, so every query in it sees the same snapshot of the vault
 * whatever another connection commits meanwhile (the rescore worker reads while main writes).
 */
export function inSnapshot<T>(db: Db, read: () => T): T {
  return db.transaction(read)();
}
