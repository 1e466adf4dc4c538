/**
 * A populated matrix for the issue-3 benchmarks: a real vault made through the services (so the
 * schema, pragmas and users are the app's), then networks, intelligence, offences, offence links
 * with their cited intelligence, ratings with support and approved band overrides, written with
 * plain SQL in large transactions. Going through the import service would validate every row with
 * zod, which is what an import must do but not what a benchmark of scoring needs to wait for.
 *
 * Deterministic: every draw comes from `bench/synthetic.ts` streams (offences exactly as the
 * storage benchmark generates them; links, intelligence, ratings and overrides from their own
 * forks), and ids are UUID-shaped text derived from (kind, number), so the same seed gives the
 * same vault contents. Ids look like the app's random UUIDs (36 characters, no order), so the
 * tables and indexes have the app's sizes and the app's scattering.
 */
import { hashLabel } from '../main/demo/prng';
import { INTELLIGENCE_COLUMNS, NETWORK_INTELLIGENCE_COLUMNS } from '../main/store/intelligence.repo';
import { NETWORK_BOROUGH_COLUMNS, NETWORK_COLUMNS } from '../main/store/networks.repo';
import { OFFENCE_COLUMNS, OFFENCE_LINK_COLUMNS, OFFENCE_LINK_INTELLIGENCE_COLUMNS } from '../main/store/offences.repo';
import { RATING_SUPPORT_COLUMNS } from '../main/store/ratings.repo';
import type { Db } from '../main/vault/database';
import { DEFAULT_AS_OF, isoDaysBefore, rng, SCALES, syntheticNetworks, syntheticOffences, weighted, type Rng, type ScaleName } from './synthetic';

/** 36-character UUID-shaped id for record `n` of `kind`: fixed, unordered, never a real UUID v4. */
export function syntheticId(kind: string, n: number): string {
  const h1 = hashLabel(kind);
  const words: string[] = [];
  let x = (h1 ^ Math.imul(n, 0x9e3779b1)) >>> 0;
  for (let k = 0; k < 4; k++) {
    // murmur3 finaliser, chained: four well-mixed 32-bit words.
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    x = (x ^ (x >>> 16)) >>> 0;
    words.push(x.toString(16).padStart(8, '0'));
    x = (x + n + k + 1) >>> 0;
  }
  const hex = words.join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export interface MatrixCounts {
  networks: number;
  offences: number;
  offenceLinks: number;
  confirmedLinks: number;
  intelligence: number;
  ratings: number;
  ratingSupport: number;
  overrides: number;
}

export interface PopulateOptions {
  scale: ScaleName;
  seed: string;
  asOf?: string;
  /** Author and approver of the band overrides (a supervisor other than the author). */
  authorId: string;
  approverId: string;
  /** Rows per transaction (large transactions, but bounded, so the WAL stays bounded at national scale). */
  batch?: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

const NETWORK_TYPES = weighted([
  ['criminal_network', 45],
  ['gang', 40],
  ['peer_group', 15],
] as const);
const GRADE_SOURCE = weighted([
  [1, 25],
  [2, 50],
  [3, 25],
] as const);
const GRADE_INTEL = weighted([
  ['A', 10],
  ['B', 35],
  ['C', 30],
  ['D', 20],
  ['E', 5],
] as const);
/** Ratings are mostly low: most networks do little harm, a few a lot. */
const ASSESSED_VALUE = weighted([
  [0, 30],
  [1, 35],
  [2, 20],
  [3, 10],
  [4, 5],
] as const);
const CAPABILITY_VALUE = weighted([
  [0, 40],
  [1, 35],
  [2, 18],
  [3, 7],
] as const);
const ASSESSED = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'] as const;
const CAPABILITY = ['firearms', 'violence_intimidation', 'corruption_insider_access', 'financial_capacity', 'resilience_reach'] as const;
const BUSINESS_GROUPS = ['SCD', 'TP', 'SO', 'CO', 'partner'] as const;

/**
 * Fill an empty matrix. Returns what was written. Offence links: one per offence to the network
 * the storage benchmark assigns it (90 % confirmed, 7 % proposed, 3 % rejected), and for 3 % of
 * offences a second confirmed link to another network; each link cites one intelligence item.
 */
export function populateMatrix(db: Db, opts: PopulateOptions): MatrixCounts {
  const scale = SCALES[opts.scale];
  const asOf = opts.asOf ?? DEFAULT_AS_OF;
  const batch = opts.batch ?? 100_000;
  const root = rng(opts.seed);
  const nets = syntheticNetworks(root, scale.networks);
  const netId = (n: number): string => syntheticId('network', n);
  const intelId = (n: number): string => syntheticId('intel', n);
  const createdAt = `${asOf}T09:00:00.000Z`;
  const counts: MatrixCounts = { networks: 0, offences: 0, offenceLinks: 0, confirmedLinks: 0, intelligence: 0, ratings: 0, ratingSupport: 0, overrides: 0 };

  /** Runs `rows` through `write` in transactions of `batch` rows. */
  function inBatches<T>(what: string, total: number, rows: Iterable<T>, write: (row: T) => void): void {
    const it = rows[Symbol.iterator]();
    let done = 0;
    let isDone = false;
    while (!isDone) {
      db.transaction(() => {
        for (let k = 0; k < batch; k++) {
          const next = it.next();
          if (next.done) {
            isDone = true;
            return;
          }
          write(next.value);
          done++;
        }
      }).immediate();
      opts.onProgress?.(what, done, total);
    }
  }

  // Networks.
  const rn = root.fork('matrix-networks');
  // Each table's column list is its repo's, as for the app's inserts and the import's.
  const insNetwork = db.prepare(NETWORK_COLUMNS.sql);
  const insBorough = db.prepare(NETWORK_BOROUGH_COLUMNS.sql);
  const boroughs = [...new Set(nets.map((n) => n.leadBorough))];
  inBatches('networks', nets.length, nets, (n) => {
    const id = netId(n.id);
    const type = NETWORK_TYPES(rn);
    const businessGroup = rn.pick(BUSINESS_GROUPS);
    const nextReviewOn = isoDaysBefore(asOf, -rn.int(-60, 365));
    insNetwork.run(id, `SYN-N-${String(n.id).padStart(6, '0')}`, `Synthetic network ${n.id}`, '', type, 'definitions-1', 'active', n.leadBorough, businessGroup, '', '', createdAt, null, null, nextReviewOn);
    for (let k = rn.int(0, 3); k > 0; k--) {
      const b = rn.pick(boroughs);
      if (b !== n.leadBorough) insBorough.run(id, b);
    }
    counts.networks++;
  });

  // Intelligence: 90 % graded 3x5x2, 10 % legacy 5x5x5; each held against one network (weighted
  // by activity, like offences); about ten items per source.
  const ri = root.fork('matrix-intelligence');
  const pickNetwork = weighted(nets.map((n) => [n.id, n.activity] as const));
  const sources = Math.max(10, Math.floor(scale.intelligenceItems / 10));
  const insIntel = db.prepare(INTELLIGENCE_COLUMNS.sql);
  const insHeld = db.prepare(NETWORK_INTELLIGENCE_COLUMNS.sql);
  /** Network of each item, so links and rating support cite items held against their network. */
  const itemNetwork = new Int32Array(scale.intelligenceItems + 1);
  const itemsOf = new Map<number, number[]>();
  function* intelRows(): Generator<number> {
    for (let i = 1; i <= scale.intelligenceItems; i++) yield i;
  }
  inBatches('intelligence', scale.intelligenceItems, intelRows(), (i) => {
    const isLegacy = ri.bool(0.1);
    const n = pickNetwork(ri);
    itemNetwork[i] = n;
    let list = itemsOf.get(n);
    if (!list) itemsOf.set(n, (list = []));
    if (list.length < 64) list.push(i);
    const date = isoDaysBefore(asOf, ri.int(0, 3 * 365));
    const src = `SRC-${String(ri.int(1, sources)).padStart(6, '0')}`;
    if (isLegacy) insIntel.run(intelId(i), `SYN-I-${i}`, date, 'Synthetic item.', '5x5x5', null, null, null, 'B2 1', src, createdAt, null);
    else insIntel.run(intelId(i), `SYN-I-${i}`, date, 'Synthetic item.', '3x5x2', GRADE_SOURCE(ri), GRADE_INTEL(ri), ri.bool(0.8) ? 'P' : 'C', null, src, createdAt, null);
    insHeld.run(netId(n), intelId(i));
    counts.intelligence++;
  });
  const citeFor = (r: Rng, n: number): number => {
    const list = itemsOf.get(n);
    return list && list.length > 0 ? r.pick(list) : r.int(1, scale.intelligenceItems);
  };

  // Offences and their links, in the storage benchmark's order (so links are scattered across
  // networks in the order they were made, as in a register kept over years).
  const rl = root.fork('matrix-links');
  const insOffence = db.prepare(OFFENCE_COLUMNS.sql);
  const insLink = db.prepare(OFFENCE_LINK_COLUMNS.sql);
  const insLinkIntel = db.prepare(OFFENCE_LINK_INTELLIGENCE_COLUMNS.sql);
  let linkNo = 0;
  const link = (offenceId: string, network: number, status: 'confirmed' | 'proposed' | 'rejected'): void => {
    const id = syntheticId('link', ++linkNo);
    const isDecided = status !== 'proposed';
    insLink.run(id, offenceId, netId(network), 'Synthetic rationale.', status, opts.authorId, isDecided ? opts.authorId : null, isDecided ? createdAt : null, createdAt);
    insLinkIntel.run(id, intelId(citeFor(rl, network)));
    counts.offenceLinks++;
    if (status === 'confirmed') counts.confirmedLinks++;
  };
  inBatches('offences', scale.offences, syntheticOffences({ seed: opts.seed, networks: scale.networks, offences: scale.offences, asOf }), (o) => {
    const id = syntheticId('offence', o.id);
    insOffence.run(id, o.crimeRef, '', o.category, o.offenceDate, o.borough, o.stage, o.weapon, o.isVictimUnder20 ? 1 : 0, createdAt, null);
    const x = rl.next();
    link(id, o.networkId, x < 0.9 ? 'confirmed' : x < 0.97 ? 'proposed' : 'rejected');
    if (rl.bool(0.03)) {
      const other = pickNetwork(rl);
      if (other !== o.networkId) link(id, other, 'confirmed');
    }
    counts.offences++;
  });

  // Ratings: 80 % of networks rated on all ten dimensions; an assessed rating of 2 or more cites
  // up to two items held against the network (some of which will not qualify as support).
  const rr = root.fork('matrix-ratings');
  const insRating = db.prepare('INSERT INTO ratings (network_id, kind, dimension, value, rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insSupport = db.prepare(RATING_SUPPORT_COLUMNS.sql);
  const insOverride = db.prepare(
    `INSERT INTO band_overrides (id, network_id, band, reason, author_id, requested_at, approver_id, approved_at, expires_on, status)
     VALUES (?, ?, ?, 'Synthetic override.', ?, ?, ?, ?, ?, 'approved')`,
  );
  inBatches('ratings', nets.length, nets, (n) => {
    const id = netId(n.id);
    if (rr.bool(0.8)) {
      for (const dimension of ASSESSED) {
        const value = ASSESSED_VALUE(rr);
        insRating.run(id, 'assessed', dimension, value, opts.authorId, createdAt);
        counts.ratings++;
        if (value >= 2) {
          for (let k = rr.int(0, 2); k > 0; k--) {
            insSupport.run(id, 'assessed', dimension, intelId(citeFor(rr, n.id)));
            counts.ratingSupport++;
          }
        }
      }
      for (const dimension of CAPABILITY) {
        insRating.run(id, 'capability', dimension, CAPABILITY_VALUE(rr), opts.authorId, createdAt);
        counts.ratings++;
      }
    }
    if (rr.bool(0.01)) {
      insOverride.run(syntheticId('override', n.id), id, rr.pick(['A', 'B', 'C'] as const), opts.authorId, createdAt, opts.approverId, createdAt, isoDaysBefore(asOf, -rr.int(-30, 180)));
      counts.overrides++;
    }
  });
  db.pragma('optimize');
  return counts;
}
