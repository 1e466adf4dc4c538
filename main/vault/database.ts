/**
 * The one place that constructs the database driver (`new Database()`), and the order every open
 * follows: check the key's form, set the cipher pragmas and key, prove the key by reading
 * sqlite_master, set and read back the pragmas that matter, quick_check, migrate.
 *
 * Facts measured on this driver (better-sqlite3-multiple-ciphers 12.x), each covered by a test:
 * - its default cipher is not SQLCipher: cipher='sqlcipher' and legacy=4 on every open;
 * - a wrong key passes PRAGMA key and fails only at the first read (SQLITE_NOTADB);
 * - without temp_store=MEMORY, plaintext reaches temp files (large sorts);
 * - WAL defaults to synchronous=NORMAL: we need FULL so an acknowledged commit survives power loss;
 * - cipher_integrity_check does nothing here: integrity is checked with quick_check/integrity_check;
 * - a zero-byte file opens as an empty database: refused before the driver sees it;
 * - locking_mode=EXCLUSIVE in WAL mode did not stop a second process reading: see lock.ts;
 * - PRAGMA rekey is refused in WAL mode; db.backup() fails on an encrypted vault (VACUUM INTO is
 *   used instead); db.serialize() returns plaintext and is never called;
 * - secure_delete is off by default in SQLite (deleted rows stay in free pages and cells until
 *   reused); this driver turns it on when a cipher key is set, but the vault does not rely on
 *   that: it is set ON and read back at every open, so an erasure's freed pages and cells are
 *   zeroed; with
 *   wal_checkpoint(TRUNCATE) after the erasure (checkpointLog) nothing erased survives in the file
 *   or its WAL (test/integration/erasure-canary.test.ts reads the decrypted pages);
 * - the driver does not build SQLite's sqlite_dbpage virtual table.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { VaultError } from './errors';
import { migrate, type Migration } from './migrations';

export type Db = Database.Database;

/** Negative: KiB, per SQLite's convention. */
export const CACHE_SIZE_KIB = -262144;

const SQLITE_PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** never log: key material. */
function keyPragma(dataKey: Buffer): string {
  if (!Buffer.isBuffer(dataKey) || dataKey.length !== 32) {
    throw new VaultError('internal', 'The vault key has the wrong form.');
  }
  // A raw 256-bit key (x'..'), so SQLCipher's own passphrase KDF is bypassed: the defence is the
  // random data key and our scrypt key slots.
  return `key="x'${dataKey.toString('hex')}'"`;
}

function applyCipher(db: Db, dataKey: Buffer): void {
  db.pragma("cipher='sqlcipher'");
  db.pragma('legacy=4');
  db.pragma(keyPragma(dataKey));
}

/**
 * Refuse what is plainly not a vault before the driver opens it: missing, not a regular file,
 * zero bytes, shorter than one page, or an unencrypted SQLite database.
 */
export function precheckVaultFile(path: string): void {
  if (!existsSync(path)) throw new VaultError('not_found', 'There is no vault at that location.');
  const st = statSync(path);
  if (!st.isFile()) throw new VaultError('not_a_vault', 'That location is not a vault file.');
  if (st.size === 0) throw new VaultError('not_a_vault', 'That file is empty, so it is not a vault. It has been left as it was.');
  if (st.size < 1024) throw new VaultError('not_a_vault', 'That file is too short to be a vault. It has been left as it was.');
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    if (head.equals(SQLITE_PLAIN_HEADER)) {
      throw new VaultError('not_a_vault', 'That file is an unencrypted database, not a Harm Matrix vault. It has been left as it was.');
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Create an empty file readable by its owner only, failing if anything is already there ('wx' is
 * atomic), so SQLite (and its -wal and -shm, which copy the file's mode) never makes it 0644.
 * SQLite treats an empty file as a new database; VACUUM INTO accepts an empty target.
 */
export function claimNewFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch {
    throw new VaultError('exists', 'A file already exists at that location, or the folder cannot be written to. Choose a new file name.');
  }
}

export interface OpenOptions {
  mode: 'create' | 'open';
  migrations: Migration[];
  /**
   * 'normal': read-write, WAL, migrated. 'verify': read-only, for checking a backup or copy.
   * 'maintenance': read-write in the file's own journal mode, not migrated (re-keying a copy).
   * 'reader': read-only and query-only, without quick_check, for a worker thread reading the vault
   * this process has open and already checked (a quick_check of a force-scale vault reads every
   * page, and would cost more than the work the reader is there to do).
   */
  purpose?: 'normal' | 'verify' | 'maintenance' | 'reader';
}

/** Read a pragma back and insist on the value; a silent mismatch would weaken the vault. */
function assertPragma(db: Db, set: string, name: string, expected: string | number): void {
  db.pragma(set);
  const actual = db.pragma(name, { simple: true });
  if (String(actual).toLowerCase() !== String(expected)) {
    throw new VaultError('damaged', `The vault could not be opened safely (${name} is ${String(actual)}).`);
  }
}

export function openDatabase(path: string, dataKey: Buffer, opts: OpenOptions): Db {
  keyPragma(dataKey); // check the key's form before anything touches the file
  const purpose = opts.purpose ?? 'normal';
  if (opts.mode === 'create') {
    // Never create a schema over an existing path.
    for (const p of [path, `${path}-wal`, `${path}-journal`]) {
      if (existsSync(p)) throw new VaultError('exists', 'A file already exists at that location. Choose a new file name.');
    }
    claimNewFile(path);
  } else {
    precheckVaultFile(path);
  }
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: opts.mode === 'open', readonly: purpose === 'verify' || purpose === 'reader' });
  } catch {
    throw new VaultError('io_error', 'The vault file could not be opened.');
  }
  try {
    applyCipher(db, dataKey);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch {
      throw new VaultError('damaged', 'This file could not be read with the vault key: it is damaged or not a Harm Matrix vault. It has been left as it was.');
    }
    if (purpose === 'normal') {
      assertPragma(db, 'journal_mode=WAL', 'journal_mode', 'wal');
      assertPragma(db, 'synchronous=FULL', 'synchronous', 2);
    }
    assertPragma(db, 'temp_store=MEMORY', 'temp_store', 2);
    // Page cache: up to 256 MiB (allocated as used). With the driver's default (about 16 MB) the
    // encrypted vault was 1.37× plain on the grouped aggregate and 2.94× on lookups at force
    // scale; with this it is 1.13× and 1.04× (BENCHMARKS.md). Decrypted pages live only in memory.
    assertPragma(db, `cache_size=${CACHE_SIZE_KIB}`, 'cache_size', CACHE_SIZE_KIB);
    assertPragma(db, 'foreign_keys=ON', 'foreign_keys', 1);
    assertPragma(db, 'secure_delete=ON', 'secure_delete', 1);
    if (purpose === 'reader') {
      assertPragma(db, 'query_only=ON', 'query_only', 1);
      return db;
    }
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch {
      check = 'error';
    }
    if (check !== 'ok') {
      throw new VaultError('damaged', 'The vault file is damaged (its integrity check failed). It has been left as it was; restore it from a backup.');
    }
    if (purpose === 'normal') migrate(db, opts.migrations);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** integrity_check over every page (cipher_integrity_check does nothing on this driver). */
export function integrityCheck(db: Db): string {
  return String(db.pragma('integrity_check', { simple: true }));
}

/**
 * Copy the WAL into the vault and truncate it to nothing (after an erasure, so no earlier page
 * image holding erased bytes stays in the log). False when a reader (the rescore worker) still
 * held part of the log: the next checkpoint finishes the job.
 */
export function checkpointLog(db: Db): boolean {
  const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
  return r !== undefined && r.busy === 0;
}
