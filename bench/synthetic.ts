/**
 * Deterministic synthetic data for benchmarks and tests. Nothing here is real: references carry a
 * `SYN` prefix and free text is drawn from a neutral word list.
 *
 * The same seed always gives the same rows, on any machine and Node version, because every random
 * draw comes from `rng()` below (never Math.random) and dates are computed in UTC from a fixed
 * as-of date (never the clock).
 *
 * Growth path: each kind of record draws from its own stream, `root.fork('offences')`,
 * `root.fork('networks')`, and so on. Adding a new kind (people, links, intelligence, flags) adds a
 * new fork and leaves every existing stream, and so every existing row, exactly as it was.
 */
import { addDays, addMonths } from '../preload/contract/dates';
import { SCALES as REGISTER_SCALES, SCALE_NAMES, type ScaleName } from '../main/demo/generator';
import { hashLabel } from '../main/demo/prng';
import { LONDON_BOROUGH_CODES, OUTSIDE_LONDON_CODE } from '../main/domain/reference';
import type { EvidentialStage, WeaponInvolved } from '../main/domain/scoring';

/* ---- Random numbers ------------------------------------------------------------------------ */

export interface Rng {
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  bool(p: number): boolean;
  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** An independent stream named `label`: the same seed and label always give the same stream. */
  fork(label: string): Rng;
}

/** splitmix32: spreads one 32-bit seed over xoshiro's 128-bit state (never all zero). */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * xoshiro128** (Blackman and Vigna, 2018): small, fast, and passes BigCrush, unlike mulberry32,
 * which cannot produce every 32-bit value. Integer arithmetic only, so results are identical
 * everywhere.
 */
export function rng(seed: number | string): Rng {
  const key = String(seed);
  // FNV-1a over the key, as the demo generator names its streams.
  const init = splitmix32(hashLabel(key));
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = (): number => nextU32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    bool: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    normal: () => {
      // 1 - next() is in (0, 1], so the log is finite.
      const u = 1 - next();
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => rng(`${key}/${label}`),
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A picker over weighted choices (weights need not sum to 1). Binary search over the cumulative
 * weights, so large tables (one weight per network) stay fast.
 */
export function weighted<T>(entries: readonly (readonly [T, number])[]): (r: Rng) => T {
  if (entries.length === 0) throw new Error('weighted: no entries');
  const values = entries.map(([v]) => v);
  const cumulative = new Float64Array(entries.length);
  let total = 0;
  entries.forEach(([, w], i) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error(`weighted: bad weight ${w}`);
    total += w;
    cumulative[i] = total;
  });
  if (total <= 0) throw new Error('weighted: weights sum to zero');
  return (r) => {
    const x = r.next() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return values[lo];
  };
}

/* ---- Scales (docs/specification.md, "Scale to design for") -------------------------------------------- */

export type { ScaleName };

export interface Scale {
  networks: number;
  people: number;
  offences: number;
  intelligenceItems: number;
  disruptions: number;
}

/** Disruptions at each scale; the demo generator makes none yet, so they are stated here. */
const DISRUPTIONS: Readonly<Record<ScaleName, number>> = { desk: 2_000, force: 20_000, national: 200_000 };

/** The demo generator's register sizes (main/demo/generator.ts), with the disruptions. */
export const SCALES: Readonly<Record<ScaleName, Scale>> = Object.fromEntries(
  SCALE_NAMES.map((name) => {
    const { networks, people, offences, intelligence } = REGISTER_SCALES[name];
    return [name, { networks, people, offences, intelligenceItems: intelligence, disruptions: DISRUPTIONS[name] }];
  }),
) as Record<ScaleName, Scale>;

/* ---- Distributions ------------------------------------------------------------------------- */

/** ONS codes of the 33 London authorities plus "outside London": 34 in all. */
export const BOROUGH_CODES: readonly string[] = [...LONDON_BOROUGH_CODES, OUTSIDE_LONDON_CODE];

/**
 * Offence categories (ids of resources/reference/weights-hm-1.json) with an illustrative mix for
 * offences linked to gangs and criminal networks: drugs, weapons, violence and robbery dominate;
 * homicide and kidnap are rare. Relative weights; they need not sum to 100.
 */
export const CATEGORY_MIX: readonly (readonly [string, number])[] = [
  ['drug_trafficking', 16],
  ['class_a_supply', 9],
  ['drug_possession', 10],
  ['possession_of_weapons', 10],
  ['violence_with_injury', 10],
  ['violence_without_injury', 8],
  ['robbery', 8],
  ['theft_other', 5],
  ['vehicle_crime', 4],
  ['residential_burglary', 3],
  ['non_residential_burglary', 2],
  ['criminal_damage', 3],
  ['public_order', 3],
  ['firearms_offences', 2],
  ['fraud', 2],
  ['money_laundering', 1.5],
  ['shoplifting', 1.5],
  ['blackmail', 0.5],
  ['sexual_offences_other', 0.5],
  ['child_sexual_exploitation', 0.3],
  ['modern_slavery', 0.4],
  ['arson', 0.4],
  ['rape', 0.2],
  ['kidnap', 0.2],
  ['homicide', 0.1],
];

export const STAGE_MIX: readonly (readonly [EvidentialStage, number])[] = [
  ['intelligence', 30],
  ['arrested', 28],
  ['charged', 15],
  ['convicted', 17],
  ['nfa', 7],
  ['acquitted', 3],
];

export const WEAPON_MIX: readonly (readonly [WeaponInvolved, number])[] = [
  ['none', 76],
  ['knife', 15],
  ['firearm', 6],
  ['firearm_discharged', 3],
];

const NOTE_WORDS = [
  'seen', 'near', 'estate', 'vehicle', 'address', 'phone', 'line', 'meeting', 'station', 'park',
  'handover', 'cash', 'parcel', 'scooter', 'stairwell', 'garage', 'shop', 'report', 'witness',
  'dispute', 'group', 'evening', 'morning', 'car', 'bus', 'route', 'flat', 'entrance', 'yard',
  'market', 'alley', 'footage', 'call', 'follow-up', 'linked', 'previous', 'repeat', 'street',
] as const;

/* ---- Dates --------------------------------------------------------------------------------- */

/** The test vector's as-of date (docs/specification.md): a fixed date, so data never depends on the clock. */
export const DEFAULT_AS_OF = '2026-06-30';

/** `days` whole days before `asOf` (negative: after). */
export function isoDaysBefore(asOf: string, days: number): string {
  return addDays(asOf, -days);
}

/** The same calendar day `months` months earlier (clamped to the month's end). */
export function isoMonthsBefore(asOf: string, months: number): string {
  return addMonths(asOf, -months);
}

/* ---- Networks (only what offences need, for now) ------------------------------------------- */

export interface SyntheticNetwork {
  id: number;
  leadBorough: string;
  /** Relative share of the offences; lognormal, so most networks are small and a few are large. */
  activity: number;
}

export function syntheticNetworks(root: Rng, count: number): SyntheticNetwork[] {
  const r = root.fork('networks');
  const out: SyntheticNetwork[] = [];
  for (let id = 1; id <= count; id++) {
    out.push({ id, leadBorough: r.pick(BOROUGH_CODES), activity: Math.exp(r.normal()) });
  }
  return out;
}

/* ---- Offences ------------------------------------------------------------------------------ */

export interface SyntheticOffence {
  id: number;
  /** Unique, plainly synthetic: SYN/0000042/24. */
  crimeRef: string;
  networkId: number;
  /** YYYY-MM-DD, within `years` before the as-of date. */
  offenceDate: string;
  category: string;
  stage: EvidentialStage;
  borough: string;
  weapon: WeaponInvolved;
  isVictimUnder20: boolean;
  /** Free text, 3 to 12 words. */
  notes: string;
}

export interface OffenceOptions {
  seed: number | string;
  networks: number;
  offences: number;
  asOf?: string;
  /** How far back offence dates go. */
  years?: number;
  /** Share of offences outside the network's lead borough (cross-border activity). */
  awayShare?: number;
}

/**
 * Offences, one at a time so national scale (5,000,000 rows) never has to sit in memory at once.
 * Offences attach to networks in proportion to each network's activity; most are in the
 * network's lead borough.
 */
export function* syntheticOffences(opts: OffenceOptions): Generator<SyntheticOffence> {
  const root = rng(opts.seed);
  const networks = syntheticNetworks(root, opts.networks);
  const r = root.fork('offences');
  const asOf = opts.asOf ?? DEFAULT_AS_OF;
  const spanDays = Math.floor((opts.years ?? 5) * 365.25);
  const awayShare = opts.awayShare ?? 0.25;
  const days = Array.from({ length: spanDays }, (_, i) => isoDaysBefore(asOf, i));
  const pickNetwork = weighted(networks.map((n) => [n, n.activity] as const));
  const pickCategory = weighted(CATEGORY_MIX);
  const pickStage = weighted(STAGE_MIX);
  const pickWeapon = weighted(WEAPON_MIX);
  for (let id = 1; id <= opts.offences; id++) {
    const network = pickNetwork(r);
    const offenceDate = days[r.int(0, spanDays - 1)];
    const category = pickCategory(r);
    // Firearms offences involve a firearm; otherwise the general weapon mix.
    const weapon: WeaponInvolved = category === 'firearms_offences' ? (r.bool(0.4) ? 'firearm_discharged' : 'firearm') : pickWeapon(r);
    const words: string[] = [];
    for (let w = r.int(3, 12); w > 0; w--) words.push(r.pick(NOTE_WORDS));
    yield {
      id,
      crimeRef: `SYN/${String(id).padStart(7, '0')}/${offenceDate.slice(2, 4)}`,
      networkId: network.id,
      offenceDate,
      category,
      stage: pickStage(r),
      borough: r.bool(awayShare) ? r.pick(BOROUGH_CODES) : network.leadBorough,
      weapon,
      isVictimUnder20: r.bool(0.2),
      notes: words.join(' '),
    };
  }
}
