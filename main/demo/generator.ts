/**
 * The demo data generator: a deterministic, seeded, entirely synthetic register at the scales of
 * docs/specification.md ("Scale to design for"), written as an import document (docs/import-schema.md). Used
 * by the app's "open a demo vault (synthetic data)", by the CLI's `demo` command, and by tests.
 *
 * Nothing here is real and nothing can be mistaken for real:
 * - people are "Synthetic Person 00042 Qorvex" (a number and an invented surname built from
 *   syllables chosen not to form English or common surnames), networks "Demo Crew 0042
 *   (synthetic)", officers "Synthetic Officer 017", sources "SYN-SRC-…";
 * - free text says that it is synthetic.
 *
 * Determinism: the same options give byte-identical output. There is no clock (the as-of date is
 * a parameter), no Math.random, no Map or Set iteration order that depends on input, and every
 * record is a pure function of (seed, kind, index) through prng.ts. So any section can be
 * produced on its own, in any order, and the whole document can be streamed (`documentChunks`),
 * which is how the national scale is written without holding it in memory.
 *
 * The shape of the register (tuned by scoring generated documents with hm-1; the import tests
 * check the outcome):
 * - each network is drawn into a harm tier (about 3% "A", 12% "B", 35% "C", 50% low) that sets
 *   how many offences it has, which categories, how recent, how far through the courts, and how
 *   its harm and capability are rated, so most networks score Band C or below threshold and a few
 *   score Band A;
 * - about a quarter operate across borough borders (other boroughs, some outside London);
 * - about 12% of people are under 18 on the as-of date; a quarter of their links are victim /
 *   at-risk (safeguarding) links, against 3% of adults' links;
 * - some network and member-link reviews are overdue; offence stages lean to arrest and
 *   intelligence, with convictions rarer and commoner for older offences; categories lean to drug
 *   trafficking, violence and possession of weapons, with homicide and firearm discharge rare;
 * - intelligence is graded 3x5x2, with a few legacy 5x5x5 items; some high ratings are cited
 *   without qualifying intelligence (counted as 1 and flagged); flags are proposed or confirmed.
 */
import { fromEpochDay, toEpochDay } from '../../preload/contract/dates';
import { LONDON_BOROUGH_CODES, OUTSIDE_LONDON_CODE } from '../domain/reference';
import { ASSESSED_DIMENSIONS, CAPABILITY_DIMENSIONS } from '../../preload/contract/schemas/matrix';
import type {
  FlagRow,
  ImportDocument,
  IntelligenceRow,
  MembershipRow,
  NetworkRow,
  OffenceLinkRow,
  OffenceRow,
  PersonRow,
  RatingRow,
} from '../services/import.service';
import { hashLabel, Rand } from './prng';

/* ---- Scales -------------------------------------------------------------------------------- */

export interface ScaleCounts {
  networks: number;
  people: number;
  offences: number;
  intelligence: number;
}

/** docs/specification.md "Scale to design for" (disruptions belong to a later issue). */
export const SCALES = {
  desk: { networks: 500, people: 5_000, offences: 50_000, intelligence: 20_000 },
  force: { networks: 5_000, people: 50_000, offences: 500_000, intelligence: 200_000 },
  national: { networks: 50_000, people: 500_000, offences: 5_000_000, intelligence: 2_000_000 },
} as const satisfies Record<string, ScaleCounts>;
export type ScaleName = keyof typeof SCALES;
export const SCALE_NAMES = Object.keys(SCALES) as ScaleName[];

/** The seed the app's demo vault uses, so every newcomer sees the same register. */
export const DEMO_SEED = 20260630;

export interface GeneratorOptions {
  scale: ScaleName | ScaleCounts;
  seed: number;
  /** The day the register is current to (YYYY-MM-DD): offences fall in the five years before it. */
  asOf: string;
}

/** Every network needs this many intelligence items (two distinct graded sources and more). */
const MIN_INTEL_PER_NETWORK = 4;
const MIN_PEOPLE_PER_NETWORK = 2;

/* ---- Fictitious names ---------------------------------------------------------------------- */

// Syllables chosen so that no combination is an English word or a common surname: every
// surname has a q, x, z, v or y cluster no real name list here has. The tests check the pattern.
const SURNAME_HEADS = ['Qor', 'Zyl', 'Vex', 'Xan', 'Qu', 'Zar', 'Yx', 'Vorq', 'Zeph', 'Xil', 'Qyr', 'Vyz', 'Zoq', 'Xev', 'Quaz', 'Yzr'] as const;
const SURNAME_TAILS = ['vex', 'zith', 'qorn', 'xaly', 'vyn', 'zuq', 'quil', 'xor', 'vazz', 'yzel', 'qoth', 'zeb'] as const;
export const SYNTHETIC_PERSON_NAME = /^Synthetic Person \d{5,7} (Qor|Zyl|Vex|Xan|Qu|Zar|Yx|Vorq|Zeph|Xil|Qyr|Vyz|Zoq|Xev|Quaz|Yzr)(vex|zith|qorn|xaly|vyn|zuq|quil|xor|vazz|yzel|qoth|zeb)$/;
export const SYNTHETIC_NETWORK_NAME = /^Demo (Crew|Network|Peer Group) \d{4,6} \(synthetic\)$/;

/* ---- Reference tables ---------------------------------------------------------------------- */

type Tier = 'A' | 'B' | 'C' | 'low';
export const TIERS: readonly Tier[] = ['A', 'B', 'C', 'low'];
type Table<K extends string> = readonly (readonly [K, number])[];

const TIER_SHARES: Table<Tier> = [['A', 0.03], ['B', 0.12], ['C', 0.35], ['low', 0.5]];

/** Relative volumes per network by tier (times a per-network spread). */
const TIER_OFFENCE_WEIGHT: Record<Tier, number> = { A: 6, B: 1.6, C: 1, low: 0.35 };
const TIER_INTEL_WEIGHT: Record<Tier, number> = { A: 2.5, B: 1.8, C: 1, low: 0.6 };
const TIER_PEOPLE_WEIGHT: Record<Tier, number> = { A: 2.2, B: 1.6, C: 1, low: 0.7 };

/**
 * Offence categories by tier (ids from the hm-1 weight table). Drug trafficking, violence and
 * possession of weapons dominate; homicide, rape and firearms are rare and only in the harmful
 * tiers. A low-harm network's offending is low-weight.
 */
const CATEGORIES: Record<Tier, Table<string>> = {
  low: [['drug_trafficking', 34], ['drug_possession', 20], ['public_order', 10], ['criminal_damage', 10], ['theft_other', 9], ['vehicle_crime', 6], ['shoplifting', 6], ['violence_without_injury', 3]],
  C: [
    ['drug_trafficking', 32], ['violence_without_injury', 14], ['drug_possession', 12], ['public_order', 8], ['criminal_damage', 6], ['theft_other', 6],
    ['possession_of_weapons', 4], ['violence_with_injury', 2.5], ['vehicle_crime', 4], ['shoplifting', 3], ['robbery', 1], ['residential_burglary', 1.5], ['fraud', 1],
  ],
  B: [
    ['drug_trafficking', 24], ['violence_with_injury', 10], ['possession_of_weapons', 11], ['violence_without_injury', 12], ['robbery', 6], ['class_a_supply', 4],
    ['drug_possession', 5], ['residential_burglary', 3], ['money_laundering', 3], ['firearms_offences', 2], ['fraud', 2], ['modern_slavery', 1.5], ['criminal_damage', 2],
    ['public_order', 2], ['arson', 1], ['blackmail', 1], ['sexual_offences_other', 1], ['kidnap', 0.4], ['rape', 0.2], ['homicide', 0.15],
  ],
  A: [
    ['drug_trafficking', 18], ['violence_with_injury', 15], ['class_a_supply', 12], ['possession_of_weapons', 12], ['robbery', 8], ['violence_without_injury', 6],
    ['firearms_offences', 5], ['money_laundering', 5], ['modern_slavery', 4], ['drug_possession', 3], ['blackmail', 2], ['fraud', 2], ['kidnap', 1], ['arson', 1],
    ['child_sexual_exploitation', 0.5], ['rape', 0.5], ['homicide', 0.5],
  ],
};

type Stage = OffenceRow['stage'];
/** Stages lean to arrest and intelligence; an older offence has had time to reach court. */
const STAGES_RECENT: Record<Tier, Table<Stage>> = {
  low: [['intelligence', 55], ['arrested', 17], ['nfa', 16], ['charged', 3], ['convicted', 3], ['acquitted', 6]],
  C: [['intelligence', 46], ['arrested', 26], ['nfa', 12], ['charged', 7], ['convicted', 4], ['acquitted', 5]],
  B: [['intelligence', 38], ['arrested', 35], ['nfa', 9], ['charged', 10], ['convicted', 5], ['acquitted', 3]],
  A: [['intelligence', 22], ['arrested', 38], ['nfa', 6], ['charged', 18], ['convicted', 13], ['acquitted', 3]],
};
const STAGES_OLD: Record<Tier, Table<Stage>> = {
  low: [['intelligence', 45], ['arrested', 12], ['nfa', 22], ['charged', 4], ['convicted', 8], ['acquitted', 9]],
  C: [['intelligence', 36], ['arrested', 18], ['nfa', 18], ['charged', 5], ['convicted', 15], ['acquitted', 8]],
  B: [['intelligence', 25], ['arrested', 20], ['nfa', 14], ['charged', 6], ['convicted', 28], ['acquitted', 7]],
  A: [['intelligence', 20], ['arrested', 18], ['nfa', 12], ['charged', 8], ['convicted', 36], ['acquitted', 6]],
};

/** How recent a tier's offending is: age = 5 years × u^exponent (smaller exponent: older). */
const RECENCY_EXPONENT: Record<Tier, number> = { A: 1.6, B: 1.1, C: 0.95, low: 0.6 };
const FIVE_YEARS = 5 * 365;

/** Ratings by tier: [min, max] for assessed (0–4) and capability (0–3). */
const ASSESSED_RANGE: Record<Tier, [number, number]> = { A: [2, 4], B: [0, 2], C: [0, 1], low: [0, 1] };
const CAPABILITY_RANGE: Record<Tier, [number, number]> = { A: [1, 3], B: [0, 1], C: [0, 1], low: [0, 0] };

/**
 * Share of a network's intelligence graded source 1–2 and intelligence A–B (what confidence
 * counts). A low-harm network's intelligence is thin, so some are "intelligence development
 * required" (confidence Low).
 */
function qualityOf(tier: Tier, r: Rand): number {
  switch (tier) {
    case 'A':
      return 0.35;
    case 'B':
      return 0.25;
    case 'C':
      return 0.02 + 0.13 * r.next();
    default:
      return 0.04 * r.next();
  }
}

type Weapon = NonNullable<OffenceRow['weapon']>;
function weaponFor(r: Rand, category: string): Weapon {
  switch (category) {
    case 'firearms_offences':
      return r.weighted<Weapon>([['firearm', 85], ['firearm_discharged', 15]]);
    case 'homicide':
      return r.weighted<Weapon>([['knife', 55], ['firearm_discharged', 20], ['none', 25]]);
    case 'violence_with_injury':
      return r.weighted<Weapon>([['none', 72], ['knife', 26], ['firearm_discharged', 2]]);
    case 'robbery':
      return r.weighted<Weapon>([['none', 75], ['knife', 20], ['firearm', 5]]);
    case 'possession_of_weapons':
      return r.weighted<Weapon>([['knife', 88], ['firearm', 10], ['none', 2]]);
    case 'kidnap':
    case 'blackmail':
      return r.weighted<Weapon>([['none', 80], ['knife', 15], ['firearm', 5]]);
    default:
      return 'none';
  }
}

const VIOLENT = new Set(['violence_with_injury', 'violence_without_injury', 'robbery', 'homicide', 'possession_of_weapons', 'kidnap', 'rape', 'sexual_offences_other', 'child_sexual_exploitation', 'modern_slavery']);

const TYPES: Table<NetworkRow['type']> = [['gang', 45], ['criminal_network', 40], ['peer_group', 15]];
const TYPE_NAME: Record<NetworkRow['type'], string> = { gang: 'Crew', criminal_network: 'Network', peer_group: 'Peer Group' };
const STATUSES: Table<NonNullable<NetworkRow['status']>> = [['active', 70], ['dormant', 15], ['proposed', 10], ['archived', 5]];
const BUSINESS_GROUPS: Table<NetworkRow['businessGroup']> = [['TP', 50], ['SCD', 30], ['partner', 10], ['SO', 5], ['CO', 5]];
const UNITS = ['Gangs Unit', 'Violence Suppression Unit', 'Organised Crime Partnership', 'Projects Team', 'County Lines Taskforce', 'Local Proactive Team'] as const;

type Role = MembershipRow['role'];
const ADULT_ROLES: Table<Role> = [['associate', 63], ['lieutenant', 15], ['facilitator', 11], ['principal', 8], ['victim_at_risk', 3]];
const CHILD_ROLES: Table<Role> = [['associate', 55], ['victim_at_risk', 25], ['lieutenant', 10], ['facilitator', 10]];

const SELF_ETHNICITY: Table<NonNullable<PersonRow['ethnicitySelf']>> = [
  ['W1', 28], ['W2', 1], ['W9', 5], ['M1', 4], ['M2', 2], ['M3', 2], ['M9', 2], ['A1', 5], ['A2', 3], ['A3', 3], ['A9', 2],
  ['B1', 10], ['B2', 12], ['B9', 3], ['O1', 1], ['O9', 3], ['NS', 14],
];
const OFFICER_ETHNICITY: Table<NonNullable<PersonRow['ethnicityOfficer']>> = [['IC1', 34], ['IC2', 5], ['IC3', 35], ['IC4', 10], ['IC5', 2], ['IC6', 4], ['IC9', 10]];

const INTEL_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;

/* ---- Plan: the per-network skeleton every section derives from ----------------------------- */

interface NetworkPlan {
  tier: Tier;
  offenceStart: number;
  offenceCount: number;
  intelStart: number;
  intelCount: number;
  peopleStart: number;
  peopleCount: number;
  /** Sources reporting on this network (SYN-SRC-<network>-<n>). */
  sourceCount: number;
}

const S = {
  plan: hashLabel('plan'),
  network: hashLabel('network'),
  person: hashLabel('person'),
  intel: hashLabel('intelligence'),
  membership: hashLabel('membership'),
  offence: hashLabel('offence'),
  link: hashLabel('offence-link'),
  rating: hashLabel('rating'),
  flag: hashLabel('flag'),
};

/** Split `total` into whole parts proportional to `weights`, each at least `min` (largest remainder). */
function allocate(total: number, weights: number[], min: number, what: string): number[] {
  const n = weights.length;
  if (total < n * min) throw new RangeError(`There must be at least ${min} ${what} per network.`);
  const rest = total - n * min;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (rest * w) / sum);
  const out = exact.map((x) => min + Math.floor(x));
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (let j = 0; left > 0; j++, left--) out[order[j % n]![1]]! += 1;
  return out;
}

function prefix(counts: number[]): number[] {
  const starts = new Array<number>(counts.length);
  let acc = 0;
  for (let i = 0; i < counts.length; i++) {
    starts[i] = acc;
    acc += counts[i]!;
  }
  return starts;
}

/** The network whose block holds `index` (blocks are contiguous and in network order). */
function ownerOf(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const DAYS_PER_YEAR = 365.25;

export class DemoGenerator {
  readonly counts: ScaleCounts;
  readonly seed: number;
  readonly asOf: string;
  private readonly asOfDay: number;
  private readonly plans: NetworkPlan[];
  private readonly offenceStarts: number[];
  private readonly intelStarts: number[];
  private readonly peopleStarts: number[];
  private readonly width: { network: number; person: number; intel: number; offence: number };
  private readonly networkRows: NetworkRow[];
  private readonly dayCache: string[] = [];
  /* Per-record facts other records depend on, held compactly so that references and the
     distinct-source rule cost no recomputation (about 10 bytes a record at national scale). */
  private readonly intelAge: Int32Array;
  private readonly intelSource: Uint8Array;
  /** 1 where an item counts towards two sources (not source grade 3, not intelligence D or E). */
  private readonly intelQualifies: Uint8Array;
  private readonly offenceAge: Int32Array;
  private readonly personYear: Uint16Array;

  constructor(opts: GeneratorOptions) {
    const counts = typeof opts.scale === 'string' ? SCALES[opts.scale] : opts.scale;
    if (!counts) throw new RangeError(`Unknown scale ${String(opts.scale)}.`);
    for (const [k, v] of Object.entries(counts)) if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a positive whole number.`);
    if (!Number.isInteger(opts.seed) || opts.seed < 0 || opts.seed > 0xffffffff) throw new RangeError('The seed must be a whole number from 0 to 4294967295.');
    this.asOfDay = toEpochDay(opts.asOf); // throws on a bad date
    this.counts = { networks: counts.networks, people: counts.people, offences: counts.offences, intelligence: counts.intelligence };
    this.seed = opts.seed >>> 0;
    this.asOf = opts.asOf;
    const n = counts.networks;
    // Tiers by quota over a seeded shuffle, so a desk-sized register has its 3% of Band A
    // candidates exactly, not 3% give or take chance.
    const order = Array.from({ length: n }, (_, i) => i);
    const shuffle = new Rand(this.seed, S.plan, 0);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(shuffle.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const tiers = new Array<Tier>(n);
    let at = 0;
    let cumulative = 0;
    for (const [tier, share] of TIER_SHARES) {
      cumulative += share;
      const until = tier === 'low' ? n : Math.round(cumulative * n);
      for (; at < until; at++) tiers[order[at]!] = tier;
    }
    const spread = Array.from({ length: n }, (_, k) => {
      const r = new Rand(this.seed, S.plan, k + 1);
      // Log-normal-ish spread (sum of uniforms), so sizes vary within a tier.
      const z = r.next() + r.next() + r.next() - 1.5;
      return { offence: Math.exp(0.9 * z), intel: Math.exp(0.5 * z), people: Math.exp(0.4 * (r.next() + r.next() - 1)), sources: r.int(3, 9), quality: qualityOf(tiers[k]!, r) };
    });
    const offenceCounts = allocate(counts.offences, tiers.map((t, k) => TIER_OFFENCE_WEIGHT[t] * spread[k]!.offence), 1, 'offence');
    const intelCounts = allocate(counts.intelligence, tiers.map((t, k) => TIER_INTEL_WEIGHT[t] * spread[k]!.intel), MIN_INTEL_PER_NETWORK, 'intelligence items');
    const peopleCounts = allocate(counts.people, tiers.map((t, k) => TIER_PEOPLE_WEIGHT[t] * spread[k]!.people), MIN_PEOPLE_PER_NETWORK, 'people');
    this.offenceStarts = prefix(offenceCounts);
    this.intelStarts = prefix(intelCounts);
    this.peopleStarts = prefix(peopleCounts);
    this.plans = tiers.map((tier, k) => ({
      tier,
      offenceStart: this.offenceStarts[k]!,
      offenceCount: offenceCounts[k]!,
      intelStart: this.intelStarts[k]!,
      intelCount: intelCounts[k]!,
      peopleStart: this.peopleStarts[k]!,
      peopleCount: peopleCounts[k]!,
      sourceCount: spread[k]!.sources,
    }));
    this.width = {
      network: Math.max(4, String(n).length),
      person: Math.max(5, String(counts.people).length),
      intel: Math.max(6, String(counts.intelligence).length),
      offence: Math.max(7, String(counts.offences).length),
    };
    this.networkRows = Array.from({ length: n }, (_, k) => this.makeNetwork(k));

    this.quality = spread.map((x) => x.quality);
    this.intelAge = new Int32Array(counts.intelligence);
    this.intelSource = new Uint8Array(counts.intelligence);
    this.intelQualifies = new Uint8Array(counts.intelligence);
    this.offenceAge = new Int32Array(counts.offences);
    this.personYear = new Uint16Array(counts.people);
    this.isIntelFilled = new Uint8Array(n);
    this.isOffenceFilled = new Uint8Array(n);
  }

  private readonly quality: number[];
  /* Facts are filled a network's block at a time, on first use: a stream fills each block once,
     in order, and nothing is computed for rows never asked for. */
  private readonly isIntelFilled: Uint8Array;
  private readonly isOffenceFilled: Uint8Array;

  private fillIntel(k: number): void {
    if (this.isIntelFilled[k]) return;
    const plan = this.plans[k]!;
    for (let t = 0; t < plan.intelCount; t++) {
      const i = plan.intelStart + t;
      const f = this.intelDraws(new Rand(this.seed, S.intel, i), plan, t, this.quality[k]!);
      this.intelAge[i] = f.age;
      this.intelSource[i] = f.sourceIndex;
      this.intelQualifies[i] = f.isLegacy || (f.sourceGrade !== 3 && f.intelGrade !== 'D' && f.intelGrade !== 'E') ? 1 : 0;
    }
    this.isIntelFilled[k] = 1;
  }

  private fillOffences(k: number): void {
    if (this.isOffenceFilled[k]) return;
    const plan = this.plans[k]!;
    for (let j = plan.offenceStart; j < plan.offenceStart + plan.offenceCount; j++) {
      this.offenceAge[j] = Math.floor(FIVE_YEARS * new Rand(this.seed, S.offence, j).next() ** RECENCY_EXPONENT[plan.tier]);
    }
    this.isOffenceFilled[k] = 1;
  }

  private intelAgeOf(i: number): number {
    this.fillIntel(ownerOf(this.intelStarts, i));
    return this.intelAge[i]!;
  }

  private offenceAgeOf(j: number): number {
    this.fillOffences(ownerOf(this.offenceStarts, j));
    return this.offenceAge[j]!;
  }

  /** The harm tier each network was drawn into (for tests and benchmarks). */
  tierOf(k: number): Tier {
    return this.plans[k]!.tier;
  }

  /* ---- Dates and references ---- */

  /** Days from a date of birth to the as-of date. */
  private ageInDays(dateOfBirth: string): number {
    return this.asOfDay - toEpochDay(dateOfBirth);
  }

  private daysAgo(days: number): string {
    let s = this.dayCache[days];
    if (s === undefined) {
      s = fromEpochDay(this.asOfDay - days);
      this.dayCache[days] = s;
    }
    return s;
  }

  private yearBefore(r: Rand, maxYears: number): number {
    return Number(this.asOf.slice(0, 4)) - r.int(0, maxYears);
  }

  networkRef(k: number): string {
    return this.networkRows[k]!.reference;
  }

  personRef(p: number): string {
    // 0 marks a year not yet drawn (no reference year is 0).
    if (this.personYear[p] === 0) this.personYear[p] = this.yearBefore(new Rand(this.seed, S.person, p), 6);
    return `P-${this.personYear[p]}-${pad(p + 1, this.width.person)}`;
  }

  intelRef(i: number): string {
    return `INT-${this.daysAgo(this.intelAgeOf(i)).slice(0, 4)}-${pad(i + 1, this.width.intel)}`;
  }

  crimeRef(j: number): string {
    return `CR-${this.daysAgo(this.offenceAgeOf(j)).slice(0, 4)}-${pad(j + 1, this.width.offence)}`;
  }

  /* ---- Networks ---- */

  private makeNetwork(k: number): NetworkRow {
    const r = new Rand(this.seed, S.network, k);
    const year = this.yearBefore(r, 6);
    const type = r.weighted(TYPES);
    const lead = r.bool(0.02) ? OUTSIDE_LONDON_CODE : r.pick(LONDON_BOROUGH_CODES);
    const others: string[] = [];
    // Cross-border: a quarter operate in other boroughs, now and then outside London too.
    if (r.bool(0.25)) {
      const howMany = r.weighted([['1', 55], ['2', 30], ['3', 15]] as const);
      for (let i = 0; i < Number(howMany); i++) {
        const b = r.bool(0.12) ? OUTSIDE_LONDON_CODE : r.pick(LONDON_BOROUGH_CODES);
        if (b !== lead && !others.includes(b)) others.push(b);
      }
      others.sort();
    }
    // Most were reviewed within the year; about a fifth are overdue; some never reviewed.
    const review = r.next();
    const lastReviewedOn = review < 0.1 ? null : review < 0.8 ? this.daysAgo(r.int(7, 330)) : this.daysAgo(r.int(380, 720));
    return {
      reference: `CN-${year}-${pad(k + 1, this.width.network)}`,
      name: `Demo ${TYPE_NAME[type]} ${pad(k + 1, this.width.network)} (synthetic)`,
      aliases: r.bool(0.3) ? `Synthetic alias ${r.pick(SURNAME_HEADS)}${r.pick(SURNAME_TAILS)}` : '',
      type,
      status: r.weighted(STATUSES),
      leadBorough: lead,
      otherBoroughs: others,
      businessGroup: r.weighted(BUSINESS_GROUPS),
      unit: `Synthetic ${r.pick(UNITS)}`,
      leadOfficer: `Synthetic Officer ${pad(r.int(1, 400), 3)}`,
      lastReviewedOn,
    };
  }

  network(k: number): NetworkRow {
    const row = this.networkRows[k]!;
    return { ...row, otherBoroughs: [...(row.otherBoroughs ?? [])] };
  }

  /* ---- People ---- */

  /** About 12% are under 18 on the as-of date (never one with no date of birth). */
  private personFacts(p: number): { r: Rand; isUnder18: boolean; dateOfBirth: string | null } {
    const r = new Rand(this.seed, S.person, p);
    r.u32(); // the reference year
    const isUnder18 = r.bool(0.12);
    let dateOfBirth: string | null;
    if (isUnder18) {
      // 13 to 17: from 13 × 366 days old to 18 × 365 days old, which is always under 18.
      dateOfBirth = this.daysAgo(r.int(13 * 366, 18 * 365));
    } else if (r.bool(0.02)) {
      dateOfBirth = null;
    } else {
      // 18 to 45, most in their late teens and twenties; 18 × 366 days is always 18 or over.
      dateOfBirth = this.daysAgo(18 * 366 + Math.floor(27 * DAYS_PER_YEAR * r.next() ** 1.8));
    }
    return { r, isUnder18, dateOfBirth };
  }

  person(p: number): PersonRow {
    const { r, dateOfBirth } = this.personFacts(p);
    return {
      reference: this.personRef(p),
      name: `Synthetic Person ${pad(p + 1, this.width.person)} ${r.pick(SURNAME_HEADS)}${r.pick(SURNAME_TAILS)}`,
      dateOfBirth,
      sex: r.weighted([['male', 84], ['female', 13], ['unknown', 2], ['other', 1]] as const),
      ethnicitySelf: r.bool(0.06) ? null : r.weighted(SELF_ETHNICITY),
      ethnicityOfficer: r.bool(0.04) ? null : r.weighted(OFFICER_ETHNICITY),
    };
  }

  /* ---- Intelligence ---- */

  private intelDraws(r: Rand, plan: NetworkPlan, t: number, quality: number) {
    const isLegacy = t >= 2 && r.bool(0.03);
    const sourceIndex = t < 2 ? t : r.int(0, plan.sourceCount - 1);
    const strong = plan.tier === 'A' || plan.tier === 'B';
    let sourceGrade: 1 | 2 | 3;
    let intelGrade: (typeof INTEL_GRADES)[number];
    if (t === 0) {
      // The first two items of every network come from different sources; a harmful network's
      // are well graded (confidence High), a low-harm one's weaker.
      sourceGrade = strong ? 1 : 2;
      intelGrade = strong ? 'B' : 'C';
    } else if (t === 1) {
      // Both first items qualify (no source graded 3, no intelligence D or E), so every network
      // has two independent sources to link its members on.
      // (A weak network's stay below the confidence grades: source 2 with intelligence C.)
      sourceGrade = 2;
      intelGrade = strong ? 'A' : 'C';
    } else if (r.bool(quality)) {
      sourceGrade = r.bool(0.35) ? 1 : 2;
      intelGrade = r.bool(0.35) ? 'A' : 'B';
    } else {
      const x = r.next();
      sourceGrade = x < 0.15 ? 1 : x < 0.65 ? 2 : 3;
      intelGrade = sourceGrade === 3 ? r.weighted([['A', 10], ['B', 30], ['C', 35], ['D', 18], ['E', 7]] as const) : r.weighted([['C', 55], ['D', 30], ['E', 15]] as const);
    }
    // Legacy items predate the move to 3x5x2: three to five years old.
    const age = isLegacy ? r.int(3 * 365, FIVE_YEARS - 1) : Math.floor(FIVE_YEARS * r.next() ** 1.2);
    return { isLegacy, sourceIndex, sourceGrade, intelGrade, age };
  }

  private sourceRef(k: number, sourceIndex: number): string {
    return `SYN-SRC-${pad(k + 1, this.width.network)}-${sourceIndex + 1}`;
  }

  intelligence(i: number): IntelligenceRow {
    const k = ownerOf(this.intelStarts, i);
    const plan = this.plans[k]!;
    const r = new Rand(this.seed, S.intel, i);
    const f = this.intelDraws(r, plan, i - plan.intelStart, this.quality[k]!);
    const networkRefs = [this.networkRef(k)];
    if (i - plan.intelStart >= 2) {
      const x = r.next();
      if (x < 0.04 && this.counts.networks > 1) networkRefs.push(this.networkRef(this.otherNetwork(r, k)));
      else if (x < 0.05) networkRefs.pop();
    }
    const base = {
      reference: this.intelRef(i),
      itemDate: this.daysAgo(f.age),
      summary: `Synthetic intelligence item ${pad(i + 1, this.width.intel)}: fictitious text made by the demo generator.`,
      sourceRef: this.sourceRef(k, f.sourceIndex),
    };
    if (f.isLegacy) {
      return { ...base, grading: '5x5x5', sourceGrade: null, intelGrade: null, handling: null, legacyGrade: `${r.pick(INTEL_GRADES)}${r.int(1, 5)} ${r.int(1, 5)}`, networkRefs };
    }
    return { ...base, grading: '3x5x2', sourceGrade: f.sourceGrade, intelGrade: f.intelGrade, handling: r.bool(0.8) ? 'P' : 'C', legacyGrade: null, networkRefs };
  }

  private otherNetwork(r: Rand, k: number): number {
    return (k + 1 + r.int(0, this.counts.networks - 2)) % this.counts.networks;
  }

  /** Two qualifying items held against network k from different sources (items 0 and 1 always qualify). */
  private twoSources(r: Rand, k: number): string[] {
    const plan = this.plans[k]!;
    const a = plan.intelStart + r.int(0, plan.intelCount - 1);
    const b = plan.intelStart + r.int(0, plan.intelCount - 1);
    this.fillIntel(k);
    if (a !== b && this.intelSource[a] !== this.intelSource[b] && this.intelQualifies[a] && this.intelQualifies[b]) return [this.intelRef(a), this.intelRef(b)];
    return [this.intelRef(plan.intelStart), this.intelRef(plan.intelStart + 1)];
  }

  private anyItem(r: Rand, k: number): string {
    const plan = this.plans[k]!;
    return this.intelRef(plan.intelStart + r.int(0, plan.intelCount - 1));
  }

  /* ---- Member links: each person's home network, and for some a second network ---- */

  private memberships(p: number): MembershipRow[] {
    const { isUnder18, dateOfBirth } = this.personFacts(p);
    const r = new Rand(this.seed, S.membership, p);
    const home = ownerOf(this.peopleStarts, p);
    const rows = [this.membership(r, p, home, isUnder18, dateOfBirth, p === this.plans[home]!.peopleStart)];
    if (this.counts.networks > 1 && r.bool(0.08)) rows.push(this.membership(r, p, this.otherNetwork(r, home), isUnder18, dateOfBirth, false));
    return rows;
  }

  private membership(r: Rand, p: number, k: number, isUnder18: boolean, dateOfBirth: string | null, isPrincipal: boolean): MembershipRow {
    const role: Role = isPrincipal ? 'principal' : r.weighted(isUnder18 ? CHILD_ROLES : ADULT_ROLES);
    const isVictim = role === 'victim_at_risk';
    const isSelfAdmission = !isVictim && r.bool(0.08);
    // A self-admission cites the item that records it; a victim link may cite one or none.
    const cites = r.bool(0.5);
    const intelRefs = isSelfAdmission ? [this.anyItem(r, k)] : isVictim ? (cites ? [this.anyItem(r, k)] : []) : this.twoSources(r, k);
    let startAgo = r.int(30, FIVE_YEARS);
    // Nobody is linked before their 10th birthday (the policy's minimum age).
    if (dateOfBirth !== null) startAgo = Math.min(startAgo, Math.max(0, this.ageInDays(dateOfBirth) - 10 * 366));
    // Most links were validated within their review cycle; about a fifth are overdue.
    const cycle = isUnder18 ? 90 : 182;
    const x = r.next();
    let reviewedAgo: number | null = x < 0.1 ? null : x < 0.8 ? r.int(0, cycle - 15) : r.int(cycle + 5, cycle + 200);
    if (reviewedAgo !== null && reviewedAgo > startAgo) reviewedAgo = startAgo;
    return {
      personRef: this.personRef(p),
      networkRef: this.networkRef(k),
      role,
      isSelfAdmission,
      intelRefs,
      startDate: this.daysAgo(startAgo),
      lastReviewedOn: reviewedAgo === null ? null : this.daysAgo(reviewedAgo),
    };
  }

  /* ---- Offences and their links ---- */

  offence(j: number): OffenceRow {
    const k = ownerOf(this.offenceStarts, j);
    const tier = this.plans[k]!.tier;
    const r = new Rand(this.seed, S.offence, j);
    r.u32(); // the age (offenceAgeOf)
    const age = this.offenceAgeOf(j);
    const category = r.weighted(CATEGORIES[tier]);
    const net = this.networkRows[k]!;
    return {
      crimeReference: this.crimeRef(j),
      hoCode: '',
      category,
      offenceDate: this.daysAgo(age),
      // Mostly where the network operates.
      borough: r.bool(0.85) ? (r.bool(0.7) || !net.otherBoroughs?.length ? net.leadBorough : r.pick(net.otherBoroughs)) : r.pick(LONDON_BOROUGH_CODES),
      stage: r.weighted(age > 2 * 365 ? STAGES_OLD[tier] : STAGES_RECENT[tier]),
      weapon: weaponFor(r, category),
      isVictimUnder20: VIOLENT.has(category) && r.bool(0.18),
    };
  }

  /** 2% of offences are not (yet) attributed; 3% are linked to a second network too. */
  private offenceLinks(j: number): OffenceLinkRow[] {
    const k = ownerOf(this.offenceStarts, j);
    const r = new Rand(this.seed, S.link, j);
    if (r.bool(0.02)) return [];
    const crimeReference = this.crimeRef(j);
    const rows: OffenceLinkRow[] = [
      {
        crimeReference,
        networkRef: this.networkRef(k),
        rationale: 'Synthetic rationale: offence attributed to the network by the demo generator.',
        intelRefs: r.bool(0.3) ? this.twoSources(r, k) : [this.anyItem(r, k)],
        status: r.bool(0.05) ? 'proposed' : 'confirmed',
      },
    ];
    if (this.counts.networks > 1 && r.bool(0.03)) {
      const other = this.otherNetwork(r, k);
      rows.push({
        crimeReference,
        networkRef: this.networkRef(other),
        rationale: 'Synthetic rationale: a joint offence with a second network.',
        intelRefs: [this.anyItem(r, other)],
        status: r.bool(0.3) ? 'proposed' : 'confirmed',
      });
    }
    return rows;
  }

  /* ---- Ratings ---- */

  private ratings(k: number): RatingRow[] {
    const plan = this.plans[k]!;
    const r = new Rand(this.seed, S.rating, k);
    const networkRef = this.networkRef(k);
    // Item 0 (and for harmful tiers item 1) qualifies as support: source 1–2, intelligence A–C.
    const good = [this.intelRef(plan.intelStart), ...(plan.tier === 'A' || plan.tier === 'B' ? [this.intelRef(plan.intelStart + 1)] : [])];
    const rows: RatingRow[] = [];
    // A low-harm network is often only partly rated.
    const isRated = (): boolean => plan.tier !== 'low' || r.bool(0.5);
    for (const dimension of ASSESSED_DIMENSIONS) {
      if (!isRated()) continue;
      const [lo, hi] = ASSESSED_RANGE[plan.tier];
      const value = r.int(lo, hi);
      // About one rating in ten of 2 or more cites nothing that qualifies: counted as 1, flagged.
      const intelRefs = value >= 2 ? (r.bool(0.1) ? [] : [r.pick(good)]) : r.bool(0.3) ? [this.anyItem(r, k)] : [];
      rows.push({ networkRef, kind: 'assessed', dimension, value, intelRefs });
    }
    for (const dimension of CAPABILITY_DIMENSIONS) {
      if (!isRated()) continue;
      const [lo, hi] = CAPABILITY_RANGE[plan.tier];
      rows.push({ networkRef, kind: 'capability', dimension, value: r.int(lo, hi), intelRefs: r.bool(0.5) ? [this.anyItem(r, k)] : [] });
    }
    return rows;
  }

  /* ---- Gang flags ---- */

  private personFlag(p: number): FlagRow | null {
    const r = new Rand(this.seed, S.flag, p);
    if (!r.bool(0.15)) return null;
    const home = this.memberships(p)[0]!;
    if (home.role === 'victim_at_risk') return null;
    const k = ownerOf(this.peopleStarts, p);
    const isSelfAdmission = home.isSelfAdmission ?? false;
    return {
      subjectType: 'person',
      subjectRef: this.personRef(p),
      networkRef: this.networkRef(k),
      isSelfAdmission,
      intelRefs: isSelfAdmission ? [...(home.intelRefs ?? [])] : this.twoSources(r, k),
      // A child's flag is confirmed in the app, by a supervisor other than its proposer.
      status: r.bool(0.7) && !this.personFacts(p).isUnder18 ? 'confirmed' : 'proposed',
    };
  }

  private offenceFlag(j: number): FlagRow | null {
    // Its own stream, numbered after the people's.
    const r = new Rand(this.seed, S.flag, this.counts.people + j);
    if (!r.bool(0.03)) return null;
    const k = ownerOf(this.offenceStarts, j);
    return {
      subjectType: 'offence',
      subjectRef: this.crimeRef(j),
      networkRef: this.networkRef(k),
      isSelfAdmission: false,
      intelRefs: this.twoSources(r, k),
      status: r.bool(0.5) ? 'confirmed' : 'proposed',
    };
  }

  /* ---- Sections as lazy sequences ---- */

  *networks(): Generator<NetworkRow> {
    for (let k = 0; k < this.counts.networks; k++) yield this.network(k);
  }
  *people(): Generator<PersonRow> {
    for (let p = 0; p < this.counts.people; p++) yield this.person(p);
  }
  *intelligenceItems(): Generator<IntelligenceRow> {
    for (let i = 0; i < this.counts.intelligence; i++) yield this.intelligence(i);
  }
  *membershipRows(): Generator<MembershipRow> {
    for (let p = 0; p < this.counts.people; p++) yield* this.memberships(p);
  }
  *offences(): Generator<OffenceRow> {
    for (let j = 0; j < this.counts.offences; j++) yield this.offence(j);
  }
  *offenceLinkRows(): Generator<OffenceLinkRow> {
    for (let j = 0; j < this.counts.offences; j++) yield* this.offenceLinks(j);
  }
  *ratingRows(): Generator<RatingRow> {
    for (let k = 0; k < this.counts.networks; k++) yield* this.ratings(k);
  }
  *flagRows(): Generator<FlagRow> {
    for (let p = 0; p < this.counts.people; p++) {
      const f = this.personFlag(p);
      if (f) yield f;
    }
    for (let j = 0; j < this.counts.offences; j++) {
      const f = this.offenceFlag(j);
      if (f) yield f;
    }
  }

  header(): Pick<ImportDocument, 'format' | 'version' | 'asOf' | 'source' | 'isSynthetic'> {
    const c = this.counts;
    const scale = SCALE_NAMES.find((name) => {
      const x = SCALES[name];
      return x.networks === c.networks && x.people === c.people && x.offences === c.offences && x.intelligence === c.intelligence;
    });
    return {
      format: 'harm-matrix-import',
      version: 1,
      asOf: this.asOf,
      source: `Synthetic data from the Harm Matrix demo generator (${scale ? `scale ${scale}` : `${c.networks} networks`}, seed ${this.seed}). Every name, reference and text is fictitious.`,
      isSynthetic: true,
    };
  }

  sections() {
    return [
      ['networks', () => this.networks()],
      ['people', () => this.people()],
      ['intelligence', () => this.intelligenceItems()],
      ['memberships', () => this.membershipRows()],
      ['offences', () => this.offences()],
      ['offenceLinks', () => this.offenceLinkRows()],
      ['ratings', () => this.ratingRows()],
      ['flags', () => this.flagRows()],
    ] as const;
  }
}

/** The whole document in memory (desk and force scale). */
export function generateDocument(opts: GeneratorOptions): ImportDocument {
  const g = new DemoGenerator(opts);
  const doc: Record<string, unknown> = { ...g.header() };
  for (const [name, rows] of g.sections()) doc[name] = [...rows()];
  return doc as unknown as ImportDocument;
}

/**
 * The same document as JSON text in pieces, byte-identical to JSON.stringify(generateDocument()),
 * holding one record at a time: for the national scale, which is too large for one string.
 * Pieces are batched to about `batchBytes` so a writer makes few system calls.
 */
export function* documentChunks(opts: GeneratorOptions, batchBytes = 1 << 20): Generator<string> {
  const g = new DemoGenerator(opts);
  const head = JSON.stringify(g.header());
  let buf = head.slice(0, -1);
  for (const [name, rows] of g.sections()) {
    buf += `,${JSON.stringify(name)}:[`;
    let first = true;
    for (const row of rows()) {
      buf += (first ? '' : ',') + JSON.stringify(row);
      first = false;
      if (buf.length >= batchBytes) {
        yield buf;
        buf = '';
      }
    }
    buf += ']';
  }
  yield `${buf}}`;
}
