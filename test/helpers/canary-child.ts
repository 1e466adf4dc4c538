/**
 * Child process for the canary test, started with TMPDIR and SQLITE_TMPDIR pointing at a fresh
 * folder, so SQLite's temp files (if any) land where the parent can look.
 *
 * SQLite deletes its temp files as soon as it opens them, so a folder scan afterwards can never
 * find a spilled sort. This child therefore also looks at its own open files through
 * /proc/self/fd while a large query is part-way through being read (its temp file, if any, is
 * open then), and reports which of them hold a canary.
 *
 * Modes:
 * - 'vault': the real services and vault: canaries in a user name, the protective marking, an
 *   audit summary and many rows of a test table, the spill queries, lock, reopen, backup.
 * - 'plain-control': the same rows and queries in an unencrypted database (the scans must find them).
 * - 'tempfile-control': an encrypted database with temp_store=FILE (the queries must spill the canary).
 *
 * Lines out: "FD <json>", "PAUSE <what>" (waits for "go" on stdin), "ROUNDTRIP <json>", "DONE".
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import { Session } from '../../main/services/session';
import * as settingsService from '../../main/services/settings.service';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { listAudit } from '../../main/audit/audit';
import { CACHE_SIZE_KIB } from '../../main/vault/database';

export interface CanaryConfig {
  mode: 'vault' | 'plain-control' | 'tempfile-control';
  dir: string;
  rows: number;
  canaries: { user: string; marking: string; audit: string; row: string };
  admin: { name: string; passphrase: string };
  userPassphrase: string;
}

export interface OpenFileReport {
  target: string;
  size: number;
  isInTempDir: boolean;
  canaries: string[];
}

const cfg = JSON.parse(process.env.HM_CANARY_CONFIG ?? '{}') as CanaryConfig;
const out = (line: string) => process.stdout.write(`${line}\n`);

function encodings(s: string): Buffer[] {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  return [Buffer.from(s, 'utf8'), le, be];
}

/** Every regular file this process holds open (deleted ones too), and which canaries each holds. */
function scanOpenFiles(): OpenFileReport[] {
  const tempDir = process.env.SQLITE_TMPDIR ?? '';
  const all = Object.values(cfg.canaries);
  const reports: OpenFileReport[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    if (!target.startsWith('/') || target.startsWith('/dev/') || target.startsWith('/proc/')) continue;
    let buf: Buffer;
    try {
      if (!statSync(`/proc/self/fd/${fd}`).isFile()) continue;
      buf = readFileSync(`/proc/self/fd/${fd}`);
    } catch {
      continue;
    }
    reports.push({
      target,
      size: buf.length,
      isInTempDir: tempDir !== '' && target.startsWith(tempDir),
      canaries: all.filter((c) => encodings(c).some((e) => buf.includes(e))),
    });
  }
  return reports;
}

function rowText(i: number): string {
  // Rows out of order, so the ORDER BY really sorts; ~140 bytes each.
  return `${cfg.canaries.row}-${String((i * 7919) % cfg.rows).padStart(7, '0')}-${'q'.repeat(110)}`;
}

/**
 * The queries that can put plaintext in temp files: a large ORDER BY (the sorter spills past the
 * page cache) and a materialised CTE (an ephemeral table with its own 16 MB cache, which spills
 * whatever the main cache is).
 */
export const SPILL_QUERIES = {
  orderBy: 'SELECT body FROM canary_rows ORDER BY body DESC',
  materialised: 'WITH m AS MATERIALIZED (SELECT body FROM canary_rows) SELECT body FROM m',
} as const;

export interface SpillReport {
  first: string;
  fd: OpenFileReport[];
}

/** Read the first row of a query and scan open files while its temp structures are still open. */
function scanDuring(db: Database.Database, sql: string): SpillReport {
  const it = db.prepare(sql).iterate() as IterableIterator<{ body: string }>;
  const first = it.next().value!.body;
  const fd = scanOpenFiles();
  it.return?.();
  return { first, fd };
}

function waitForGo(): Promise<void> {
  return new Promise((res) => {
    process.stdin.setEncoding('utf8');
    const onData = (d: string) => {
      if (d.includes('go')) {
        process.stdin.off('data', onData);
        process.stdin.pause();
        res();
      }
    };
    process.stdin.on('data', onData);
    process.stdin.resume();
  });
}

function fillRows(db: Database.Database): void {
  db.exec('CREATE TABLE canary_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const ins = db.prepare('INSERT INTO canary_rows (body) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < cfg.rows; i++) ins.run(rowText(i));
  })();
}

async function controlMode(): Promise<void> {
  mkdirSync(join(cfg.dir, 'control'), { recursive: true });
  const path = join(cfg.dir, 'control', `${cfg.mode}.db`);
  const db = new Database(path);
  if (cfg.mode === 'tempfile-control') {
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma(`key="x'${randomBytes(32).toString('hex')}'"`);
  }
  db.pragma('journal_mode=WAL');
  db.pragma('temp_store=FILE');
  fillRows(db);
  db.exec(`CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('${cfg.canaries.user}'), ('${cfg.canaries.marking}'), ('${cfg.canaries.audit}');`);
  // The sort at the driver's default page cache (16 MB), then the materialised CTE at the vault's.
  const orderBy = scanDuring(db, SPILL_QUERIES.orderBy);
  db.pragma(`cache_size=${CACHE_SIZE_KIB}`);
  const materialised = scanDuring(db, SPILL_QUERIES.materialised);
  out(`FD ${JSON.stringify({ orderBy, materialised })}`);
  db.close();
  out('DONE');
}

async function vaultMode(): Promise<void> {
  const vaultDir = join(cfg.dir, 'vaults');
  const backupDir = join(cfg.dir, 'backups');
  mkdirSync(vaultDir, { recursive: true });
  mkdirSync(backupDir, { recursive: true });
  const ctx = { stateDir: join(cfg.dir, 'state'), documentsDir: cfg.dir, now: () => new Date(), kdfCost: SCRYPT_TEST, appVersion: 'test' };
  const path = join(vaultDir, 'canary.hmvault');
  const s = new Session(ctx);
  vaultService.createVault(s, { path, adminName: cfg.admin.name, passphrase: cfg.admin.passphrase });
  vaultService.confirmRecovery(s);
  const userName = `Zed ${cfg.canaries.user}`;
  usersService.add(s, { name: userName, role: 'analyst', passphrase: cfg.userPassphrase });
  settingsService.update(s, { idleTimeoutMinutes: 15, marking: cfg.canaries.marking });
  s.write((_db, audit) => audit({ action: 'collect', entityType: 'note', entityId: null, summary: cfg.canaries.audit }));
  s.vault!.tx((db) => db.exec('CREATE TABLE canary_rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)'));
  const ins = s.vault!.db.prepare('INSERT INTO canary_rows (body) VALUES (?)');
  s.write((_db, audit) => {
    for (let i = 0; i < cfg.rows; i++) ins.run(rowText(i));
    audit({ action: 'collect', entityType: 'canary_rows', entityId: null, summary: `${cfg.rows} test rows written` });
  });
  const tempStore = s.vault!.db.pragma('temp_store', { simple: true });
  const cacheSize = s.vault!.db.pragma('cache_size', { simple: true });
  const orderBy = scanDuring(s.vault!.db, SPILL_QUERIES.orderBy);
  const materialised = scanDuring(s.vault!.db, SPILL_QUERIES.materialised);
  out(`FD ${JSON.stringify({ orderBy, materialised, tempStore, cacheSize })}`);
  out('PAUSE open');
  await waitForGo();

  vaultService.lock(s, 'manual');
  const again = new Session(ctx);
  vaultService.unlock(again, { userName: cfg.admin.name, passphrase: cfg.admin.passphrase });
  const db = again.vault!.db;
  const roundTrip = {
    users: usersService.list(again).map((u) => u.name),
    marking: settingsService.get(again).marking,
    auditHasCanary: listAudit(db, { action: 'collect', entityType: 'note' }).map((e) => e.summary),
    rowCount: (db.prepare('SELECT count(*) AS n FROM canary_rows').get() as { n: number }).n,
  };
  out(`ROUNDTRIP ${JSON.stringify(roundTrip)}`);
  vaultService.backup(again, { path: join(backupDir, 'canary-backup.hmvault') });
  vaultService.lock(again, 'manual');
  out('DONE');
}

(cfg.mode === 'vault' ? vaultMode() : controlMode()).then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? `${e.name}: ${e.message}` : 'error'}\n`);
    process.exit(1);
  },
);
