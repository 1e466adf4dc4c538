/**
 * A follow-up to `npm run bench` (see BENCHMARKS.md, "What moves the ratio"): when the page cache
 * does not hold the database, which table layout keeps the encrypted/plain ratio of lookups by
 * network low? Every page fetched from the OS cache into an encrypted database is decrypted and
 * its HMAC checked, so the cost follows the number of distinct pages a lookup touches.
 *
 *   npx tsx bench/layout-experiment.ts [--scale desk|force|national] [--cache-kib N]
 *
 * Layouts, each as an encrypted (SQLCipher 4, raw key) and a plain twin with the vault's pragmas:
 *  - rowid table with an index on network_id (a network's rows are spread over the table);
 *  - WITHOUT ROWID table keyed (network_id, id) (a network's rows sit together);
 *  - the rowid layout with 16 KiB pages instead of 4 KiB.
 * Prints a table; writes nothing.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rng, SCALES, syntheticOffences, type ScaleName } from './synthetic';

const LOOKUPS = 1000;
const REPEATS = 3;
const BLOCKS = 20;

interface Layout {
  label: string;
  isClustered: boolean;
  pageSize: number;
}
const LAYOUTS: Layout[] = [
  { label: 'rowid table + index on network_id, 4 KiB pages', isClustered: false, pageSize: 4096 },
  { label: 'WITHOUT ROWID, key (network_id, id), 4 KiB pages', isClustered: true, pageSize: 4096 },
  { label: 'rowid table + index on network_id, 16 KiB pages', isClustered: false, pageSize: 16384 },
];

const COLUMNS = `id INTEGER NOT NULL, crime_ref TEXT NOT NULL, network_id INTEGER NOT NULL, offence_date TEXT NOT NULL,
  category TEXT NOT NULL, stage TEXT NOT NULL, borough TEXT NOT NULL, weapon TEXT NOT NULL,
  is_victim_under_20 INTEGER NOT NULL, notes TEXT NOT NULL`;

/** never log: key material (a throwaway key). */
function open(path: string, isEncrypted: boolean, pageSize: number): Database.Database {
  const db = new Database(path);
  if (isEncrypted) {
    db.pragma("cipher='sqlcipher'");
    db.pragma('legacy=4');
    // SQLCipher's page size is a cipher parameter; it must be set before the key.
    if (pageSize !== 4096) db.pragma(`legacy_page_size=${pageSize}`);
    db.pragma(`key="x'${randomBytes(32).toString('hex')}'"`);
  } else if (pageSize !== 4096) {
    db.pragma(`page_size=${pageSize}`);
  }
  db.prepare('SELECT count(*) FROM sqlite_master').get();
  db.pragma('journal_mode=WAL');
  db.pragma('synchronous=FULL');
  db.pragma('temp_store=MEMORY');
  if (Number(db.pragma('page_size', { simple: true })) !== pageSize) throw new Error(`page_size is not ${pageSize}`);
  return db;
}

function load(db: Database.Database, layout: Layout, seed: string, networks: number, offences: number): void {
  db.exec(
    layout.isClustered
      ? `CREATE TABLE offences (${COLUMNS}, PRIMARY KEY (network_id, id)) WITHOUT ROWID, STRICT`
      : `CREATE TABLE offences (${COLUMNS}, PRIMARY KEY (id)) STRICT`,
  );
  const ins = db.prepare('INSERT INTO offences VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (const o of syntheticOffences({ seed, networks, offences })) {
      ins.run(o.id, o.crimeRef, o.networkId, o.offenceDate, o.category, o.stage, o.borough, o.weapon, o.isVictimUnder20 ? 1 : 0, o.notes);
    }
  })();
  if (!layout.isClustered) db.exec('CREATE INDEX offences_network ON offences(network_id)');
  db.pragma('wal_checkpoint(TRUNCATE)');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(): void {
  const { values } = parseArgs({ options: { scale: { type: 'string' }, 'cache-kib': { type: 'string' }, seed: { type: 'string' } } });
  const scale = (values.scale ?? 'force') as ScaleName;
  if (!(scale in SCALES)) throw new Error(`--scale must be desk, force or national, not "${scale}".`);
  const cacheKiB = Number(values['cache-kib'] ?? 16_000);
  const seed = values.seed ?? '1';
  const { networks, offences } = SCALES[scale];
  const r = rng(seed).fork('lookups');
  const ids = Array.from({ length: LOOKUPS }, () => r.int(1, networks));
  const dir = mkdtempSync(join(tmpdir(), 'harm-matrix-layout-'));
  console.log(`${scale} scale (${offences.toLocaleString('en-GB')} offences), cache_size=-${cacheKiB}, ${LOOKUPS} lookups by network_id, median of ${REPEATS}`);
  try {
    for (const [n, layout] of LAYOUTS.entries()) {
      const dbs = { encrypted: open(join(dir, `${n}-e.db`), true, layout.pageSize), plain: open(join(dir, `${n}-p.db`), false, layout.pageSize) };
      const times = { encrypted: [] as number[], plain: [] as number[] };
      for (const db of [dbs.encrypted, dbs.plain]) {
        load(db, layout, seed, networks, offences);
        db.pragma(`cache_size=-${cacheKiB}`);
      }
      const stmts = { encrypted: dbs.encrypted.prepare('SELECT * FROM offences WHERE network_id = ?'), plain: dbs.plain.prepare('SELECT * FROM offences WHERE network_id = ?') };
      let turn = 0;
      // One warm-up round, then REPEATS timed; the two take turns block by block (see run.ts).
      for (let rep = 0; rep <= REPEATS; rep++) {
        const ms = { encrypted: 0, plain: 0 };
        for (let b = 0; b < BLOCKS; b++) {
          const order = turn++ % 2 ? (['plain', 'encrypted'] as const) : (['encrypted', 'plain'] as const);
          for (const kind of order) {
            const t0 = performance.now();
            for (let i = (b * LOOKUPS) / BLOCKS; i < ((b + 1) * LOOKUPS) / BLOCKS; i++) stmts[kind].all(ids[i]);
            ms[kind] += performance.now() - t0;
          }
        }
        if (rep > 0) {
          times.encrypted.push(ms.encrypted);
          times.plain.push(ms.plain);
        }
      }
      const e = median(times.encrypted);
      const p = median(times.plain);
      console.log(`${layout.label}: encrypted ${e.toFixed(0)} ms, plain ${p.toFixed(0)} ms, ratio ${(e / p).toFixed(2)}×`);
      dbs.encrypted.close();
      dbs.plain.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
