/**
 * No plaintext on disk: canary strings go into a user name, the protective marking, an audit
 * summary and 250,000 rows (about 35 MB), read back through a large ORDER BY and a materialised
 * CTE, both of which spill to temp files without temp_store=MEMORY (the controls below show it,
 * the CTE even at the vault's 256 MiB page cache). Then the vault file, every file in
 * its folder (-wal, -shm, .keys, .lock), the backup, this workstation's state folder, the child's
 * own temp folder and every file changed in os.tmpdir() during the test are scanned for each
 * canary in UTF-8, UTF-16LE and UTF-16BE; and the child scans its open files mid-sort (SQLite
 * unlinks temp files at once, so only an open descriptor can show a spill).
 *
 * Two controls show the scans can fail: the same data in an unencrypted database is found, and an
 * encrypted database with temp_store=FILE spills the rows into a temp file.
 *
 * User names too: the key file keeps a salted hash of each slot's user name, never the name
 * (keyfile.ts, nameHash), so the .keys files, the vault's and the backup's, hold no canary either.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Child, disposeChildBundles, helperPath } from '../helpers/child-process';
import { ADMIN, findCanaries, listFilesRecursive, removeDir, tempDir } from '../helpers/vault-fixtures';
import { CACHE_SIZE_KIB } from '../../main/vault/database';
import type { CanaryConfig, SpillReport } from '../helpers/canary-child';

const ROWS = 250_000;
const CHILD = helperPath('canary-child.ts');
const tag = () => randomBytes(6).toString('hex').toUpperCase();
const canaries = { user: `CnryUser${tag()}`, marking: `CNRY-MARK-${tag()}`, audit: `CnryAudit${tag()}`, row: `CnryRow${tag()}` };
const ALL = Object.values(canaries);

let dir: string;
let childTmp: string;
let startedAt: number;

function run(mode: CanaryConfig['mode'], sub: string): { child: Child; cfg: CanaryConfig } {
  const cfg: CanaryConfig = { mode, dir: join(dir, sub), rows: ROWS, canaries, admin: ADMIN, userPassphrase: 'saffron kettle drizzle 72' };
  mkdirSync(cfg.dir, { recursive: true });
  const env = { HM_CANARY_CONFIG: JSON.stringify(cfg), TMPDIR: childTmp, SQLITE_TMPDIR: childTmp };
  return { child: new Child(CHILD, env), cfg };
}

interface FdLine {
  orderBy: SpillReport;
  materialised: SpillReport;
  tempStore?: number;
  cacheSize?: number;
}
function fdReport(line: string): FdLine {
  return JSON.parse(line.slice('FD '.length));
}

const expectedFirst = {
  orderBy: `${canaries.row}-${String(ROWS - 1).padStart(7, '0')}-${'q'.repeat(110)}`,
  materialised: `${canaries.row}-${'0'.repeat(7)}-${'q'.repeat(110)}`,
};

beforeAll(() => {
  // mtime has coarse granularity on some filesystems: look back a little.
  startedAt = Date.now() - 2_000;
  dir = tempDir('canary');
  childTmp = join(dir, 'tmp');
  mkdirSync(childTmp);
});
afterAll(() => {
  removeDir(dir);
  disposeChildBundles();
});

describe('controls: the scans find what is there', () => {
  test('an unencrypted database made the same way holds every canary, and its queries spill them to temp files', async () => {
    const { child, cfg } = run('plain-control', 'plain');
    const r = fdReport(await child.waitFor('FD ', 60_000));
    await child.waitFor('DONE', 60_000);
    expect((await child.exited).code).toBe(0);
    for (const q of ['orderBy', 'materialised'] as const) {
      expect(r[q].first).toBe(expectedFirst[q]);
      expect(r[q].fd.filter((f) => f.isInTempDir).map((f) => f.canaries), q).toContainEqual([canaries.row]);
    }
    const hits = findCanaries(listFilesRecursive(cfg.dir), ALL);
    expect(new Set(hits.map((h) => h.canary))).toEqual(new Set(ALL));
  }, 60_000);

  test('an encrypted database with temp_store=FILE leaks rows into temp files (why the vault sets MEMORY)', async () => {
    const { child, cfg } = run('tempfile-control', 'tempfile');
    const r = fdReport(await child.waitFor('FD ', 60_000));
    await child.waitFor('DONE', 60_000);
    expect((await child.exited).code).toBe(0);
    // The sort spills past the driver's default 16 MB cache; the materialised CTE spills even
    // with the vault's own 256 MiB cache, because an ephemeral table keeps a cache of its own.
    for (const q of ['orderBy', 'materialised'] as const) {
      expect(r[q].first).toBe(expectedFirst[q]);
      expect(r[q].fd.filter((f) => f.isInTempDir).map((f) => f.canaries), q).toContainEqual([canaries.row]);
    }
    // The database file itself is encrypted: the leak is the temp files only.
    expect(findCanaries(listFilesRecursive(cfg.dir), ALL)).toEqual([]);
  }, 60_000);
});

describe('the vault', () => {
  test('no canary in the vault, its folder, the backup, the state folder or any temp file, open or closed', async () => {
    const { child, cfg } = run('vault', 'vault');
    const vaultDir = join(cfg.dir, 'vaults');
    const keysFile = join(vaultDir, 'canary.hmvault.keys');
    const backupKeys = join(cfg.dir, 'backups', 'canary-backup.hmvault.keys');

    const r = fdReport(await child.waitFor('FD ', 90_000));
    for (const q of ['orderBy', 'materialised'] as const) {
      expect(r[q].first).toBe(expectedFirst[q]);
      // Mid-query: no temp file open at all, and no open file (vault, -wal, -shm, lock and its
      // journal) holds a canary.
      expect(r[q].fd.filter((f) => f.isInTempDir), q).toEqual([]);
      expect(r[q].fd.filter((f) => f.canaries.length > 0), q).toEqual([]);
    }
    expect(r.orderBy.fd.map((f) => basename(f.target)).sort()).toEqual([
      'canary.hmvault',
      'canary.hmvault-shm',
      'canary.hmvault-wal',
      'canary.hmvault.lock',
      'canary.hmvault.lock-journal',
    ]);
    // The vault's own settings, read back: the controls show what FILE would have done with them.
    expect(r.cacheSize).toBe(CACHE_SIZE_KIB);
    expect(r.tempStore).toBe(2);

    // While the vault is open: its folder holds the -wal and -shm with the rows in them.
    await child.waitFor('PAUSE open', 90_000);
    expect(readdirSync(vaultDir).sort()).toEqual([
      'canary.hmvault',
      'canary.hmvault-shm',
      'canary.hmvault-wal',
      'canary.hmvault.keys',
      'canary.hmvault.lock',
      'canary.hmvault.lock-journal',
    ]);
    const whileOpen = findCanaries([...listFilesRecursive(vaultDir), ...listFilesRecursive(join(cfg.dir, 'state')), ...listFilesRecursive(childTmp)], ALL);
    expect(whileOpen).toEqual([]);
    expect(readdirSync(vaultDir)).toContain(basename(keysFile));
    child.send('go');

    // The data really is there: reopened from disk, every canary reads back.
    const rt = JSON.parse((await child.waitFor('ROUNDTRIP ', 90_000)).slice('ROUNDTRIP '.length));
    expect(rt).toEqual({ users: [ADMIN.name, `Zed ${canaries.user}`], marking: canaries.marking, auditHasCanary: [canaries.audit], rowCount: ROWS });
    await child.waitFor('DONE', 90_000);
    expect((await child.exited).code).toBe(0);
    expect(child.stderr).toBe('');

    const backupDb = readFileSync(join(cfg.dir, 'backups', 'canary-backup.hmvault'));
    expect(backupDb.subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    expect(readdirSync(childTmp)).toEqual([]);
    // Everything under the temp folder changed during the test, except the controls' own files.
    const controls = [join(dir, 'plain'), join(dir, 'tempfile')];
    const recent = listFilesRecursive(tmpdir(), startedAt).filter((f) => !controls.some((c) => f.startsWith(`${c}/`)));
    const everything = [...new Set([...listFilesRecursive(cfg.dir), ...recent])];
    expect(everything).toContain(join(cfg.dir, 'backups', 'canary-backup.hmvault'));
    const hits = findCanaries(everything, ALL, 256 * 1024 * 1024);
    expect(everything).toEqual(expect.arrayContaining([keysFile, backupKeys]));
    expect(hits).toEqual([]);
  }, 120_000);
});
