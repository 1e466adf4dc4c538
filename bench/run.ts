/**
 * `npm run bench`: the foundation's benchmarks (issue 2) and the matrix's (issue 3). Method and
 * figures: BENCHMARKS.md.
 *
 *   npm run bench                                   unlock, storage, rescore and grid at desk and force scale
 *   npm run bench -- --only unlock                  unlock only
 *   npm run bench -- --only storage --scale force   one workload set at one scale
 *   npm run bench -- --only rescore,grid            full and incremental rescore, then the matrix grid
 *   npm run bench -- --only returns --scale force   corporate return and meeting pack, every format (bench/returns.ts)
 *   npm run bench -- --only audit                   signed audit log: append one entry, verify 100,000 (bench/audit.ts)
 *   npm run bench -- --scale national               opt-in: 5,000,000 offences (several minutes)
 *
 * Unlock goes through the real service (`vault.service` unlock) on a vault created in a temp dir
 * with the app's KDF cost. Storage compares an encrypted and a plain database opened through the
 * same driver with the vault's pragmas, on the same synthetic rows, in one run; the read workloads
 * alternate between the two so that noise from other processes lands on both.
 *
 * Prints a table and writes bench/results/<timestamp>.json (gitignored).
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import weightsFile from '../resources/reference/weights-hm-1.json';
import { nodeContext } from '../main/services/context';
import { Session } from '../main/services/session';
import { createVault, lock, unlock } from '../main/services/vault.service';
import { deriveKek, newScryptParams, SCRYPT_APP, type ScryptParams } from '../main/vault/crypto';
import { keysPathFor, readKeyFile } from '../main/vault/keyfile';
import {
  CATEGORY_MIX,
  DEFAULT_AS_OF,
  isoMonthsBefore,
  rng,
  SCALES,
  syntheticOffences,
  type ScaleName,
  type SyntheticOffence,
} from './synthetic';
import { runReturnsBench } from './returns';
import { benchAudit, printAudit } from './audit';
import { fmtInt, fmtMs, printTable, round, stats, timed, type Stats } from './measure';
import { benchGrid, printGrid } from './grid';
import { benchRescore, printRescore, type RescoreResult } from './rescore';
import { benchDigestsOnly, printDigestsOnly, type DigestsOnlyResult } from './digests-only';

/* ---- Options ------------------------------------------------------------------------------- */

const USAGE = `Usage: npm run bench -- [options]
  --only PARTS              parts to run, comma-separated: unlock, storage, rescore, grid, returns, digests, audit
                            (default: all but digests, the opt-in full rescore from digests alone)
                            grid runs the rescore part too (it opens the force-scale vault that
                            part leaves, or the largest scale run) and needs the built renderer
                            (npx electron-vite build)
  --scale desk,force        scales for storage and rescore, comma-separated: desk, force, national (default: desk,force)
  --edits N                 incremental rescores timed per scale, after 10 not counted (default: 200)
  --grid-loads N            timed reloads of the matrix grid, after one warm-up load (default: 5)
  --repeats N               timed repeats of each read workload and full rescore, after one warm-up (default: 5)
  --unlocks N               timed unlocks, after one warm-up (default: 5)
  --lookups N               point lookups per lookup workload (default: 10000)
  --cache-mib N             page cache per database in MiB (default: 256)
  --seed S                  synthetic data seed (default: 1)
  --dir PATH                where the temporary vault and databases go (default: the OS temp dir)
  --no-small-cache          skip the comparison pass with the driver's default page cache
  --no-save                 do not write bench/results/<timestamp>.json`;

const PARTS = ['unlock', 'storage', 'rescore', 'grid', 'returns', 'digests', 'audit'] as const;
type Part = (typeof PARTS)[number];

interface Options {
  parts: Set<Part>;
  scales: ScaleName[];
  repeats: number;
  unlocks: number;
  lookups: number;
  cacheMiB: number;
  seed: string;
  dir: string;
  isSmallCachePass: boolean;
  isSaved: boolean;
  edits: number;
  gridLoads: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      scale: { type: 'string' },
      repeats: { type: 'string' },
      unlocks: { type: 'string' },
      lookups: { type: 'string' },
      'cache-mib': { type: 'string' },
      seed: { type: 'string' },
      dir: { type: 'string' },
      'no-small-cache': { type: 'boolean' },
      'no-save': { type: 'boolean' },
      edits: { type: 'string' },
      'grid-loads': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const positive = (name: string, raw: string | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number of at least 1, not "${raw}".`);
    return n;
  };
  const only = values.only?.split(',').map((p) => p.trim());
  for (const p of only ?? []) if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only takes ${PARTS.join(', ')} (comma-separated), not "${p}".`);
  const scales = (values.scale ?? 'desk,force').split(',').map((s) => s.trim());
  for (const s of scales) if (!(s in SCALES)) throw new Error(`--scale must be desk, force or national, not "${s}".`);
  return {
    // 'digests' is opt-in: the default run is every other part.
    parts: new Set((only ?? PARTS.filter((p) => p !== 'digests')) as Part[]),
    scales: scales as ScaleName[],
    repeats: positive('repeats', values.repeats, 5),
    unlocks: positive('unlocks', values.unlocks, 5),
    lookups: positive('lookups', values.lookups, 10_000),
    cacheMiB: positive('cache-mib', values['cache-mib'], 256),
    seed: values.seed ?? '1',
    dir: values.dir ?? tmpdir(),
    isSmallCachePass: !values['no-small-cache'],
    isSaved: !values['no-save'],
    edits: positive('edits', values.edits, 200),
    gridLoads: positive('grid-loads', values['grid-loads'], 5),
  };
}

/* ---- Unlock -------------------------------------------------------------------------------- */

/** Passes the passphrase policy; only ever used on a throwaway vault in a temp dir. */
const BENCH_PASSPHRASE = 'benchmark vault: tidal orchard 4417 lantern';
const UNLOCK_TARGET = { minMs: 500, maxMs: 1000 };
/**
 * Costs measured beside the app's own: N = 2^16, 2^17, 2^18 at r = 8, and 2^17 at r = 12, which
 * lands between the powers of two (scrypt's time and memory grow linearly in both N and r; the
 * key file accepts r up to 32).
 */
const SWEEP: readonly { log2N: number; r: number }[] = [
  { log2N: 16, r: 8 },
  { log2N: 17, r: 8 },
  { log2N: 17, r: 12 },
  { log2N: 18, r: 8 },
];
const SWEEP_REPEATS = 3;

interface SweepPoint {
  N: number;
  log2N: number;
  r: number;
  p: number;
  memoryMiB: number;
  derive: Stats;
  /** This cost's derivation median plus this run's non-KDF part of an unlock. */
  predictedUnlockMs: number;
}

interface UnlockResult {
  kdf: { alg: 'scrypt'; N: number; r: number; p: number; memoryMiB: number };
  unlock: Stats;
  lock: Stats;
  /** deriveKek alone with the slot's own parameters, measured in the same run. */
  kdfAlone: Stats;
  /** kdfAlone median / unlock median. */
  kdfShare: number;
  sweep: SweepPoint[];
  isWithinTarget: boolean;
  recommendation: string;
}

const memoryMiB = (N: number, r: number, p: number): number => (128 * N * r * p) / 2 ** 20;
const costLabel = (x: { log2N: number; r: number; p: number }): string => `N=2^${x.log2N}, r=${x.r}, p=${x.p}`;

function benchUnlock(opts: Options, workDir: string): UnlockResult {
  const dir = mkdtempSync(join(workDir, 'unlock-'));
  // The app's own cost: calibrated when the vault is created (crypto.ts calibratedCost).
  const ctx = nodeContext({ stateDir: join(dir, 'state'), documentsDir: dir, kdfCost: SCRYPT_APP });
  const s = new Session(ctx);
  const path = join(dir, 'bench.hmvault');
  const userName = 'Morgan Keel';
  createVault(s, { path, adminName: userName, passphrase: BENCH_PASSPHRASE });
  lock(s, 'manual');
  const slot = readKeyFile(keysPathFor(path)).slots.find((x) => x.kind === 'user');
  if (!slot) throw new Error('The benchmark vault has no key slot for its administrator.');
  const kdf = slot.kdf as ScryptParams;

  const unlockRuns: number[] = [];
  const lockRuns: number[] = [];
  const kdfRuns: number[] = [];
  // One warm-up: the first unlock also loads code paths and fills the OS file cache. The KDF is
  // timed alone between unlocks, so both see the same conditions on a shared machine.
  for (let i = 0; i <= opts.unlocks; i++) {
    const u = timed(() => unlock(s, { userName, passphrase: BENCH_PASSPHRASE }));
    if (u.value.name !== userName) throw new Error('Unlock returned the wrong user.');
    const l = timed(() => lock(s, 'manual'));
    const k = timed(() => deriveKek(BENCH_PASSPHRASE, kdf).fill(0));
    if (i > 0) {
      unlockRuns.push(u.ms);
      lockRuns.push(l.ms);
      kdfRuns.push(k.ms);
    }
  }
  const unlockStats = stats(unlockRuns);
  const kdfStats = stats(kdfRuns);
  const overheadMs = Math.max(0, unlockStats.medianMs - kdfStats.medianMs);

  const sweep: SweepPoint[] = SWEEP.map(({ log2N, r }) => {
    const N = 2 ** log2N;
    const params = newScryptParams({ N, r, p: kdf.p });
    const runs: number[] = [];
    for (let i = 0; i < SWEEP_REPEATS; i++) runs.push(timed(() => deriveKek(BENCH_PASSPHRASE, params).fill(0)).ms);
    const derive = stats(runs);
    return { N, log2N, r, p: kdf.p, memoryMiB: memoryMiB(N, r, kdf.p), derive, predictedUnlockMs: round(derive.medianMs + overheadMs) };
  });

  const isWithinTarget = unlockStats.medianMs >= UNLOCK_TARGET.minMs && unlockStats.medianMs <= UNLOCK_TARGET.maxMs;
  // Of the costs predicted to land inside the target, the one nearest its middle leaves the most
  // room for a busier or slower workstation in either direction.
  const middle = (UNLOCK_TARGET.minMs + UNLOCK_TARGET.maxMs) / 2;
  const fitting = sweep
    .filter((x) => x.predictedUnlockMs >= UNLOCK_TARGET.minMs && x.predictedUnlockMs <= UNLOCK_TARGET.maxMs)
    .sort((x, y) => Math.abs(x.predictedUnlockMs - middle) - Math.abs(y.predictedUnlockMs - middle));
  const best = fitting[0] ?? null;
  const current = { log2N: Math.log2(kdf.N), r: kdf.r, p: kdf.p };
  let recommendation: string;
  if (isWithinTarget) {
    recommendation = `Keep ${costLabel(current)}: the unlock median is within the 0.5–1 s target.`;
  } else if (best) {
    recommendation =
      `The unlock median (${fmtMs(unlockStats.medianMs)}) is outside the 0.5–1 s target. ` +
      `${costLabel(best)} (${best.memoryMiB} MiB) predicts ${fmtMs(best.predictedUnlockMs)} per unlock, the nearest to the middle of the target of the costs measured.`;
  } else {
    recommendation = `The unlock median (${fmtMs(unlockStats.medianMs)}) is outside the 0.5–1 s target, and no measured cost predicts an unlock within it on this machine: see the sweep.`;
  }
  rmSync(dir, { recursive: true, force: true });
  return {
    kdf: { alg: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, memoryMiB: memoryMiB(kdf.N, kdf.r, kdf.p) },
    unlock: unlockStats,
    lock: stats(lockRuns),
    kdfAlone: kdfStats,
    kdfShare: Math.round((kdfStats.medianMs / unlockStats.medianMs) * 1000) / 1000,
    sweep,
    isWithinTarget,
    recommendation,
  };
}

function printUnlock(r: UnlockResult): void {
  console.log(`\nUnlock (vault.service unlock, scrypt N=2^${Math.log2(r.kdf.N)} r=${r.kdf.r} p=${r.kdf.p}, ${r.kdf.memoryMiB} MiB)`);
  printTable(
    ['measure', 'median', 'min', 'max', 'runs'],
    [
      ['unlock (whole service call)', fmtMs(r.unlock.medianMs), fmtMs(r.unlock.minMs), fmtMs(r.unlock.maxMs), String(r.unlock.runsMs.length)],
      ["deriveKek alone (slot's params)", fmtMs(r.kdfAlone.medianMs), fmtMs(r.kdfAlone.minMs), fmtMs(r.kdfAlone.maxMs), String(r.kdfAlone.runsMs.length)],
      ['lock', fmtMs(r.lock.medianMs), fmtMs(r.lock.minMs), fmtMs(r.lock.maxMs), String(r.lock.runsMs.length)],
    ],
  );
  console.log(`KDF share of unlock: ${(r.kdfShare * 100).toFixed(1)} %. Target 0.5–1 s: ${r.isWithinTarget ? 'met' : 'NOT MET'}.`);
  printTable(
    ['scrypt cost', 'memory', 'derive median', 'min', 'max', 'predicted unlock'],
    r.sweep.map((x) => [costLabel(x), `${x.memoryMiB} MiB`, fmtMs(x.derive.medianMs), fmtMs(x.derive.minMs), fmtMs(x.derive.maxMs), fmtMs(x.predictedUnlockMs)]),
  );
  console.log(r.recommendation);
}

/* ---- Storage: encrypted vs plain ----------------------------------------------------------- */

type Kind = 'encrypted' | 'plain';
const KINDS: readonly Kind[] = ['encrypted', 'plain'];
const RATIO_GOAL = 1.3;
const INSERT_CHUNK = 50_000;
/** The driver's default page cache (PRAGMA cache_size reads -16000 on a fresh connection). */
const SMALL_CACHE_KIB = 16_000;
/** Lookup runs are cut into this many slices that the two databases take in turns. */
const LOOKUP_BLOCKS = 20;

/**
 * Opens a benchmark database the way main/vault/database.ts opens a vault: cipher pragmas and a
 * raw 256-bit key (encrypted only), prove the key, then the vault's pragmas, each read back.
 * The driver is constructed here rather than through openDatabase because the plain twin must
 * be opened identically minus the cipher, and the vault opener rightly refuses plain files.
 * never log: key material (a random throwaway key, but the rule holds).
 */
function openBenchDb(path: string, key: Buffer | null, cacheKiB: number): Database.Database {
  const db = new Database(path);
  if (key) {
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
  }
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  const settings: [string, string, string | number][] = [
    ['journal_mode=WAL', 'journal_mode', 'wal'],
    ['synchronous=FULL', 'synchronous', 2],
    ['temp_store=MEMORY', 'temp_store', 2],
    ['foreign_keys=ON', 'foreign_keys', 1],
    [`cache_size=-${cacheKiB}`, 'cache_size', -cacheKiB],
  ];
  for (const [set, name, expected] of settings) {
    db.pragma(set);
    const actual = db.pragma(name, { simple: true });
    if (String(actual).toLowerCase() !== String(expected)) throw new Error(`${name} is ${String(actual)}, expected ${expected}`);
  }
  return db;
}

function readsAsPlainSqlite(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(16);
    readSync(fd, head, 0, 16, 0);
    return head.equals(Buffer.from('SQLite format 3\0', 'latin1'));
  } finally {
    closeSync(fd);
  }
}

const SCHEMA = `
  CREATE TABLE offence_weights (
    category TEXT PRIMARY KEY,
    weight   REAL NOT NULL
  ) STRICT;
  CREATE TABLE offences (
    id                 INTEGER PRIMARY KEY,
    crime_ref          TEXT NOT NULL,
    network_id         INTEGER NOT NULL,
    offence_date       TEXT NOT NULL,
    category           TEXT NOT NULL,
    stage              TEXT NOT NULL,
    borough            TEXT NOT NULL,
    weapon             TEXT NOT NULL,
    is_victim_under_20 INTEGER NOT NULL,
    notes              TEXT NOT NULL
  ) STRICT;
`;
const LOOKUP_INDEXES = `
  CREATE UNIQUE INDEX offences_crime_ref ON offences(crime_ref);
  CREATE INDEX offences_network ON offences(network_id);
`;
/** Leads with the GROUP BY columns so groups come out in order, and holds every column used. */
const COVERING_INDEX = 'CREATE INDEX offences_network_stage_cover ON offences(network_id, stage, offence_date, category);';

/** Per network and stage over the 36-month window: count and summed offence weight. */
const AGGREGATE_SQL = `
  SELECT o.network_id, o.stage, count(*) AS n, sum(w.weight) AS harm
  FROM offences o JOIN offence_weights w ON w.category = o.category
  WHERE o.offence_date > ?
  GROUP BY o.network_id, o.stage`;
const BY_NETWORK_SQL = 'SELECT * FROM offences WHERE network_id = ?';
const BY_REF_SQL = 'SELECT * FROM offences WHERE crime_ref = ?';

interface Workload {
  name: string;
  /** Whether the 1.3× goal applies (the aggregate and the lookups). */
  hasGoal: boolean;
  encrypted: Stats;
  plain: Stats;
  ratio: number;
  /** What each run returned, identical for both databases (checked). */
  check: string;
}

interface StorageResult {
  scale: ScaleName;
  rows: number;
  networks: number;
  seed: string;
  asOf: string;
  windowFrom: string;
  cacheKiB: number;
  pageSize: Record<Kind, number>;
  pageCount: Record<Kind, number>;
  fileBytes: Record<Kind, number>;
  generateMs: number;
  workloads: Workload[];
  plans: Record<string, string[]>;
}

const ratioOf = (enc: Stats, plain: Stats): number => Math.round((enc.medianMs / plain.medianMs) * 1000) / 1000;

function plan(db: Database.Database, sql: string, arg: unknown): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(arg) as { detail: string }[]).map((r) => r.detail);
}

function benchStorage(opts: Options, scale: ScaleName, workDir: string): StorageResult {
  const { networks, offences: rows } = SCALES[scale];
  const dir = mkdtempSync(join(workDir, `storage-${scale}-`));
  const cacheKiB = opts.cacheMiB * 1024;
  const paths: Record<Kind, string> = { encrypted: join(dir, 'encrypted.db'), plain: join(dir, 'plain.db') };
  const dbs: Record<Kind, Database.Database> = {
    encrypted: openBenchDb(paths.encrypted, randomBytes(32), cacheKiB),
    plain: openBenchDb(paths.plain, null, cacheKiB),
  };
  const weights = weightsFile.weights.map((w) => [w.category, w.weight] as const);
  const known = new Set(weights.map(([c]) => c));
  for (const [c] of CATEGORY_MIX) if (!known.has(c)) throw new Error(`Category ${c} is not in weights-hm-1.json.`);
  for (const kind of KINDS) {
    dbs[kind].exec(SCHEMA);
    const put = dbs[kind].prepare('INSERT INTO offence_weights (category, weight) VALUES (?, ?)');
    dbs[kind].transaction(() => weights.forEach(([c, w]) => put.run(c, w)))();
  }
  const workloads: Workload[] = [];
  let generateMs = 0;

  // Bulk insert: one transaction per database, one prepared statement each. Rows are generated in
  // chunks outside the timer (so national scale never holds 5,000,000 rows at once) and each chunk
  // goes into both databases in turn, who goes first alternating, so both see the same load.
  const insertBoth = (): Record<Kind, number> => {
    const ins = Object.fromEntries(
      KINDS.map((k) => [
        k,
        dbs[k].prepare(
          `INSERT INTO offences (id, crime_ref, network_id, offence_date, category, stage, borough, weapon, is_victim_under_20, notes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ),
      ]),
    ) as Record<Kind, Database.Statement>;
    const ms: Record<Kind, number> = { encrypted: 0, plain: 0 };
    const source = syntheticOffences({ seed: opts.seed, networks, offences: rows });
    for (const kind of KINDS) ms[kind] += timed(() => dbs[kind].exec('BEGIN IMMEDIATE')).ms;
    for (let turn = 0; ; turn++) {
      const g = timed(() => {
        const chunk: SyntheticOffence[] = [];
        for (let i = 0; i < INSERT_CHUNK; i++) {
          const next = source.next();
          if (next.done) break;
          chunk.push(next.value);
        }
        return chunk;
      });
      generateMs += g.ms;
      const chunk = g.value;
      if (!chunk.length) break;
      for (const kind of turn % 2 ? [...KINDS].reverse() : KINDS) {
        const stmt = ins[kind];
        ms[kind] += timed(() => {
          for (const o of chunk) {
            stmt.run(o.id, o.crimeRef, o.networkId, o.offenceDate, o.category, o.stage, o.borough, o.weapon, o.isVictimUnder20 ? 1 : 0, o.notes);
          }
        }).ms;
      }
    }
    for (const kind of KINDS) ms[kind] += timed(() => dbs[kind].exec('COMMIT')).ms;
    return ms;
  };
  const inserted = insertBoth();
  const counts = KINDS.map((k) => (dbs[k].prepare('SELECT count(*) AS n FROM offences').get() as { n: number }).n);
  if (counts[0] !== rows || counts[1] !== rows) throw new Error(`Expected ${rows} rows in each database, found ${counts.join(' and ')}.`);
  workloads.push(oneShot('bulk insert (one transaction)', inserted.encrypted, inserted.plain, `${fmtInt(rows)} rows`));

  const buildIndexes = (label: string, sql: string): void => {
    const ms = Object.fromEntries(KINDS.map((k) => [k, timed(() => dbs[k].exec(sql)).ms])) as Record<Kind, number>;
    workloads.push(oneShot(label, ms.encrypted, ms.plain, 'built'));
  };
  buildIndexes('build lookup indexes (network_id, crime_ref)', LOOKUP_INDEXES);
  // Same starting state for both: everything checkpointed into the main file, WAL emptied.
  for (const kind of KINDS) dbs[kind].pragma('wal_checkpoint(TRUNCATE)');

  const asOf = DEFAULT_AS_OF;
  const windowFrom = isoMonthsBefore(asOf, 36);
  const plans: Record<string, string[]> = {};
  const aggregate = (label: string, hasGoal: boolean): void => {
    const stmts = Object.fromEntries(KINDS.map((k) => [k, dbs[k].prepare(AGGREGATE_SQL)])) as Record<Kind, Database.Statement>;
    plans[label] = plan(dbs.encrypted, AGGREGATE_SQL, windowFrom);
    workloads.push(
      alternate(
        label,
        hasGoal,
        opts.repeats,
        1,
        (kind) => {
          const out = stmts[kind].all(windowFrom) as { n: number; harm: number }[];
          let n = 0;
          let harm = 0;
          for (const r of out) {
            n += r.n;
            harm += r.harm;
          }
          return `${fmtInt(out.length)} groups, ${fmtInt(n)} offences, harm ${harm.toFixed(2)}`;
        },
        (parts) => parts.join('; '),
      ),
    );
  };
  // The same random keys for both databases and every repeat.
  const lookupRng = rng(opts.seed).fork('lookups');
  const networkIds = Array.from({ length: opts.lookups }, () => lookupRng.int(1, networks));
  const refIds = Array.from({ length: opts.lookups }, () => lookupRng.int(1, rows));
  // Crime references carry the offence's year, so read them from one database rather than
  // regenerate every row here.
  const refOf = dbs.plain.prepare('SELECT crime_ref FROM offences WHERE id = ?');
  const refs = refIds.map((id) => (refOf.get(id) as { crime_ref: string }).crime_ref);
  const lookups = (label: string, hasGoal: boolean, count: number): void => {
    const byNetwork = Object.fromEntries(KINDS.map((k) => [k, dbs[k].prepare(BY_NETWORK_SQL)])) as Record<Kind, Database.Statement>;
    const byRef = Object.fromEntries(KINDS.map((k) => [k, dbs[k].prepare(BY_REF_SQL)])) as Record<Kind, Database.Statement>;
    plans['lookups by network_id'] = plan(dbs.encrypted, BY_NETWORK_SQL, 1);
    plans['lookups by crime_ref'] = plan(dbs.encrypted, BY_REF_SQL, refs[0]);
    const blocks = Math.max(1, Math.min(LOOKUP_BLOCKS, Math.floor(count / 100)));
    const slice = (b: number): [number, number] => [Math.floor((b * count) / blocks), Math.floor(((b + 1) * count) / blocks)];
    workloads.push(
      alternate(
        `${fmtInt(count)} lookups by network_id (all its offences)${label}`,
        hasGoal,
        opts.repeats,
        blocks,
        (kind, b) => {
          const [from, to] = slice(b);
          let returned = 0;
          for (let i = from; i < to; i++) returned += byNetwork[kind].all(networkIds[i]).length;
          return returned;
        },
        (parts) => `${fmtInt(sum(parts))} rows returned`,
      ),
    );
    workloads.push(
      alternate(
        `${fmtInt(count)} lookups by crime_ref (one row)${label}`,
        hasGoal,
        opts.repeats,
        blocks,
        (kind, b) => {
          const [from, to] = slice(b);
          let found = 0;
          for (let i = from; i < to; i++) if (byRef[kind].get(refs[i])) found++;
          return found;
        },
        (parts) => `${fmtInt(sum(parts))} rows found`,
      ),
    );
  };

  aggregate('aggregate per network and stage, 36 months (lookup indexes only)', true);
  buildIndexes('build covering index', COVERING_INDEX);
  for (const kind of KINDS) dbs[kind].pragma('wal_checkpoint(TRUNCATE)');
  aggregate('aggregate per network and stage, 36 months (covering index)', true);
  lookups('', true, opts.lookups);

  // For comparison only (the goal is stated with the cache tuned): the same reads with the
  // driver's default page cache, which holds only part of a force-scale database, so pages are
  // fetched from the OS file cache and, for the encrypted one, decrypted and authenticated again.
  // Lowering cache_size evicts pages at once. Fewer network lookups, to keep the run short.
  if (opts.isSmallCachePass) {
    for (const kind of KINDS) {
      dbs[kind].pragma(`cache_size=-${SMALL_CACHE_KIB}`);
      if (Number(dbs[kind].pragma('cache_size', { simple: true })) !== -SMALL_CACHE_KIB) throw new Error('cache_size was not lowered.');
    }
    const suffix = ' [driver default cache]';
    aggregate(`aggregate per network and stage, 36 months (covering index)${suffix}`, false);
    lookups(suffix, false, Math.min(opts.lookups, 1000));
  }

  const pageSize = {} as Record<Kind, number>;
  const pageCount = {} as Record<Kind, number>;
  const fileBytes = {} as Record<Kind, number>;
  for (const kind of KINDS) {
    pageSize[kind] = Number(dbs[kind].pragma('page_size', { simple: true }));
    pageCount[kind] = Number(dbs[kind].pragma('page_count', { simple: true }));
    dbs[kind].pragma('wal_checkpoint(TRUNCATE)');
    dbs[kind].close();
    fileBytes[kind] = statSync(paths[kind]).size;
  }
  // The comparison means something only if one file really is encrypted and the other is not.
  if (readsAsPlainSqlite(paths.encrypted) || !readsAsPlainSqlite(paths.plain)) {
    throw new Error('The encrypted benchmark database is not encrypted, or the plain one is not plain.');
  }
  rmSync(dir, { recursive: true, force: true });
  return { scale, rows, networks, seed: opts.seed, asOf, windowFrom, cacheKiB, pageSize, pageCount, fileBytes, generateMs: round(generateMs), workloads, plans };
}

function oneShot(name: string, encMs: number, plainMs: number, check: string): Workload {
  const encrypted = stats([encMs]);
  const plain = stats([plainMs]);
  return { name, hasGoal: false, encrypted, plain, ratio: ratioOf(encrypted, plain), check };
}

/**
 * One warm-up run of each, then `repeats` timed runs. Each run is cut into `blocks` slices and the
 * two databases take turns slice by slice (who goes first alternates), so a burst of load from
 * other processes falls on both rather than on whichever happened to be running. A run's time is
 * the sum of its slices. Every run must return the same result from both databases.
 */
function alternate<T>(
  name: string,
  hasGoal: boolean,
  repeats: number,
  blocks: number,
  run: (kind: Kind, block: number) => T,
  describe: (parts: T[]) => string,
): Workload {
  const runs: Record<Kind, number[]> = { encrypted: [], plain: [] };
  const results = new Set<string>();
  let turn = 0;
  for (let i = 0; i <= repeats; i++) {
    const ms: Record<Kind, number> = { encrypted: 0, plain: 0 };
    const parts: Record<Kind, T[]> = { encrypted: [], plain: [] };
    for (let b = 0; b < blocks; b++) {
      const order: Kind[] = turn++ % 2 ? ['plain', 'encrypted'] : ['encrypted', 'plain'];
      for (const kind of order) {
        const t = timed(() => run(kind, b));
        ms[kind] += t.ms;
        parts[kind].push(t.value);
      }
    }
    for (const kind of KINDS) {
      results.add(describe(parts[kind]));
      if (i > 0) runs[kind].push(ms[kind]);
    }
  }
  if (results.size !== 1) throw new Error(`${name}: the two databases returned different results (${[...results].join(' / ')}).`);
  const encrypted = stats(runs.encrypted);
  const plain = stats(runs.plain);
  return { name, hasGoal, encrypted, plain, ratio: ratioOf(encrypted, plain), check: [...results][0] };
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

function printStorage(r: StorageResult): void {
  console.log(
    `\nEncrypted vs plain, ${r.scale} scale: ${fmtInt(r.rows)} offences, ${fmtInt(r.networks)} networks, seed ${r.seed}; ` +
      `page cache ${r.cacheKiB / 1024} MiB each (cache_size=-${r.cacheKiB}); window from ${r.windowFrom} to ${r.asOf}`,
  );
  printTable(
    ['workload', 'encrypted', 'plain', 'ratio', 'goal', 'enc min–max', 'plain min–max'],
    r.workloads.map((w) => [
      w.name,
      fmtMs(w.encrypted.medianMs),
      fmtMs(w.plain.medianMs),
      `${w.ratio.toFixed(2)}×`,
      w.hasGoal ? (w.ratio <= RATIO_GOAL ? `≤${RATIO_GOAL}× met` : `ABOVE ${RATIO_GOAL}×`) : 'info',
      w.encrypted.runsMs.length > 1 ? `${fmtMs(w.encrypted.minMs)}–${fmtMs(w.encrypted.maxMs)}` : '',
      w.plain.runsMs.length > 1 ? `${fmtMs(w.plain.minMs)}–${fmtMs(w.plain.maxMs)}` : '',
    ]),
  );
  if (r.workloads.some((w) => w.name.endsWith('[driver default cache]'))) {
    console.log(`[driver default cache]: the same reads after cache_size=-${SMALL_CACHE_KIB} (the driver's default), for comparison; the goal applies to the tuned cache.`);
  }
  const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;
  console.log(
    `Files: encrypted ${mib(r.fileBytes.encrypted)} (${fmtInt(r.pageCount.encrypted)} pages of ${r.pageSize.encrypted} B), ` +
      `plain ${mib(r.fileBytes.plain)} (${fmtInt(r.pageCount.plain)} pages of ${r.pageSize.plain} B). Data generation (untimed): ${fmtMs(r.generateMs)}.`,
  );
  for (const [label, details] of Object.entries(r.plans)) console.log(`Plan, ${label}: ${details.join('; ')}`);
}

/* ---- Main ---------------------------------------------------------------------------------- */

function machine(): Record<string, unknown> {
  const probe = new Database(':memory:');
  const sqlite = (probe.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  probe.close();
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    totalMemoryMiB: Math.round(totalmem() / 2 ** 20),
    platform: platform(),
    osRelease: release(),
    node: process.version,
    driver: `better-sqlite3-multiple-ciphers ${(require('better-sqlite3-multiple-ciphers/package.json') as { version: string }).version}`,
    sqlite,
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  const info = machine();
  const loadStart = loadavg();
  console.log(
    `Harm Matrix benchmarks, ${startedAt.toISOString()}\n${String(info.cpuModel)}, ${String(info.cores)} cores, ${String(info.totalMemoryMiB)} MiB; ` +
      `Node ${String(info.node)}; ${String(info.driver)} (SQLite ${String(info.sqlite)}); load average ${loadStart.map((x) => x.toFixed(2)).join(', ')}`,
  );
  mkdirSync(opts.dir, { recursive: true });
  const workDir = mkdtempSync(join(opts.dir, 'harm-matrix-bench-'));
  const result: Record<string, unknown> = { startedAt: startedAt.toISOString(), argv: process.argv.slice(2), options: { ...opts, parts: [...opts.parts] }, machine: info, loadAverageAtStart: loadStart };
  try {
    if (opts.parts.has('unlock')) {
      const u = benchUnlock(opts, workDir);
      printUnlock(u);
      result.unlock = u;
    }
    if (opts.parts.has('storage')) {
      const storage: StorageResult[] = [];
      for (const scale of opts.scales) {
        const s = benchStorage(opts, scale, workDir);
        printStorage(s);
        storage.push(s);
      }
      result.storage = storage;
    }
    if (opts.parts.has('rescore') || opts.parts.has('grid')) {
      // The grid needs a vault with every network scored: the rescore part makes one per scale.
      const rescore: RescoreResult[] = [];
      for (const scale of opts.scales) {
        const r = await benchRescore({ seed: opts.seed, repeats: opts.repeats, edits: opts.edits }, scale, workDir);
        printRescore(r);
        rescore.push(r);
      }
      result.rescore = rescore;
      if (opts.parts.has('grid')) {
        // 5,000 networks is force scale: use that vault, or the largest one made.
        const source = rescore.find((r) => r.scale === 'force') ?? rescore[rescore.length - 1];
        const g = await benchGrid(opts.gridLoads, source.handoff, source.counts.networks);
        printGrid(g);
        result.grid = { scale: source.scale, ...g };
      }
    }
    if (opts.parts.has('digests')) {
      // Opt-in (not in the default run): the full rescore from digests alone, the rows not written.
      const digests: DigestsOnlyResult[] = [];
      for (const scale of opts.scales) {
        const d = await benchDigestsOnly({ seed: opts.seed, repeats: opts.repeats }, scale, workDir);
        printDigestsOnly(d);
        digests.push(d);
      }
      result.digests = digests;
    }
    if (opts.parts.has('audit')) {
      const a = benchAudit({ seed: opts.seed, repeats: opts.repeats }, workDir);
      printAudit(a);
      result.audit = a;
    }
    if (opts.parts.has('returns')) {
      // The returns benchmark keeps its own vault and results file (bench/returns.ts).
      for (const scale of opts.scales) {
        if (scale !== 'desk' && scale !== 'force') continue;
        await runReturnsBench(['--scale', scale, '--seed', String(opts.seed), '--dir', workDir, ...(opts.isSaved ? [] : ['--no-save'])]);
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const finishedAt = new Date();
  result.finishedAt = finishedAt.toISOString();
  result.loadAverageAtEnd = loadavg();
  result.durationSeconds = Math.round((finishedAt.getTime() - startedAt.getTime()) / 100) / 10;
  console.log(`\nDone in ${String(result.durationSeconds)} s; load average at end ${loadavg().map((x) => x.toFixed(2)).join(', ')}.`);
  if (opts.isSaved) {
    const outDir = join(__dirname, 'results');
    mkdirSync(outDir, { recursive: true });
    const file = join(outDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Results written to ${file}`);
  }
}

main().catch((e: unknown) => {
  console.error(`Benchmark failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
