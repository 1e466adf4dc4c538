import type Database from 'better-sqlite3-multiple-ciphers';

/** One numbered migration: `up` runs inside the runner's transaction (index.ts). */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
