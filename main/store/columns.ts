import type { Db } from '../vault/database';
import { cachedStatement } from './statements';

/**
 * A table's columns as every insert writes them. Each table's repo owns its list, with the function
 * that puts a record's values in that order, so the app's one-row insert and the import's
 * many-row insert (import.repo.ts) cannot disagree about what a row holds.
 */
export interface InsertColumns {
  readonly table: string;
  readonly columns: readonly string[];
  /** INSERT OR IGNORE: a link table, where a pair given twice is one link. */
  readonly isOrIgnore: boolean;
  /** The one-row statement. */
  readonly sql: string;
}

export function insertColumns(table: string, columns: readonly string[], isOrIgnore = false): InsertColumns {
  const head = { table, columns, isOrIgnore };
  return { ...head, sql: insertSql(head, 1) };
}

/** `INSERT [OR IGNORE] INTO table (columns) VALUES (?, …), …` for `rows` rows. */
export function insertSql(t: Pick<InsertColumns, 'table' | 'columns' | 'isOrIgnore'>, rows: number): string {
  const one = `(${new Array(t.columns.length).fill('?').join(', ')})`;
  return `INSERT${t.isOrIgnore ? ' OR IGNORE' : ''} INTO ${t.table} (${t.columns.join(', ')}) VALUES ${new Array(rows).fill(one).join(', ')}`;
}

/** Insert one row, its values in the table's column order; the number of rows added (0 when ignored). */
export function insertRow(db: Db, t: InsertColumns, values: readonly unknown[]): number {
  return cachedStatement(db, t.sql).run(...values).changes;
}
