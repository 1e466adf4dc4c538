/**
 * A network's scoring digest: everything hm-1 needs to give a network its score, band and
 * confidence on ANY as-of date, packed small, so a full rescore reads 5,000 digests instead of
 * some 465,000 offence rows and 200,000 intelligence pairs (BENCHMARKS.md, "Scoring digests").
 *
 * Pure: no I/O. The vault keeps each network's digest in three parts (migration 0040: its
 * offences, the intelligence held against it or cited by its links, its ratings) and database
 * triggers delete a part whenever anything it summarises changes, so a part that exists is
 * current; `store/digests.repo.ts` builds missing ones from the rows.
 *
 * What is kept, and why it is enough (docs/specification.md, "Harm scoring, model hm-1"):
 * - every offence with a confirmed link: its day, category, stage and weapon, in offence-id order
 *   (the order `scoreParsed` sums evidenced harm in, so the sum is the same bit for bit); the
 *   window, decay, gate and "convicted in the window" all depend on the as-of date and are worked
 *   out when scoring;
 * - each rating's value and, for an assessed rating, the first day an item supporting it was
 *   graded well enough (source 1–2, intelligence A–C, 3x5x2): it is supported as of any day from
 *   then on;
 * - for confidence, the first day at which one qualifying item (3x5x2, source 1–2, intelligence
 *   A–B) was held for the network, and the first day at which such items came from two distinct
 *   sources: as of a day, confidence from items is High from the second, Medium from the first.
 *   Items reach a network by its links and holdings (the intelligence part) and by supporting its
 *   ratings (the ratings part); each part keeps its own span and `combineSpans` joins them
 *   exactly, so a rating edit rebuilds only the ratings part.
 *
 * The explanation (each offence's w, s, d and contribution) still comes from the rows
 * (`scoreTrustedInput`); `scoreDigest` gives exactly the same numbers, which
 * test/unit/scoring-digest.test.ts and test/integration/scoring-incremental.test.ts check.
 */
import { addMonths } from '../../preload/contract/dates';
import {
  AH_PTS_PER_RATING_POINT,
  assessedDimension,
  assessOverride,
  BAND_RANK,
  bandForScore,
  capabilityDimension,
  EH_WINDOW_MONTHS,
  epochDay,
  evidencedHarmPoints,
  evidentialStage,
  MODEL_ID,
  recencyDecay,
  ScoringInputError,
  SERIOUS_VIOLENCE_GATE_MONTHS,
  STAGE_FACTORS,
  weaponInvolved,
  type Band,
  type BandOverride,
  type ConfidenceLevel,
  type EvidentialStage,
  type WeaponInvolved,
  type WeightTable,
} from './scoring';
import type { ScoreParts } from '../../preload/contract/schemas/explanation';

/** Bumped whenever the layout changes: a digest of another format is rebuilt, never misread. */
export const DIGEST_FORMAT = 1;

/**
 * Bytes per offence in the packed offences. The layout is column by column, little-endian, so each
 * column can be read as a typed array: n days (int32), then n category indexes (uint16), then n
 * stage codes (uint8), then n weapon codes (uint8).
 */
const OFFENCE_BYTES = 8;

const STAGE_CODES: readonly EvidentialStage[] = evidentialStage.options;
const WEAPON_CODES: readonly WeaponInvolved[] = weaponInvolved.options;

/** The offence part of a digest: rebuilt when an offence or an offence link changes. */
export interface DigestOffences {
  /** Category ids the offences use; an offence holds an index into this list. */
  categories: string[];
  /** `OFFENCE_BYTES` per offence, in offence-id order, column by column (see `OFFENCE_BYTES`). */
  offences: Buffer;
}

/**
 * When a set of qualifying confidence items (3x5x2, source 1–2, intelligence A–B) first holds one
 * item, and first holds items from two distinct sources: enough to know, for any as-of day, whether
 * the set gives confidence Medium (one item) or High (two sources). `source` is the source of the
 * earliest item(s) (any one of them when several sources share the earliest day, in which case
 * `twoFrom` is that day too). Two spans combine exactly (`combineSpans`).
 */
export interface ItemSpan {
  from: number | null;
  source: string | null;
  twoFrom: number | null;
}

/** The ratings part: rebuilt when a rating or its support changes. */
export interface DigestRatings {
  /** The five assessed ratings in `assessedDimension` order (0 when not rated). */
  assessed: number[];
  /** Per assessed rating: the first day (epoch day) a qualifying supporting item is dated, or null. */
  assessedSupportedFrom: (number | null)[];
  /** The five capability ratings in `capabilityDimension` order (0 when not rated). */
  capability: number[];
  /** The qualifying confidence items among those supporting any rating. */
  support: ItemSpan;
}

/** What scoring reads for confidence, from the intelligence part and the ratings part together. */
export interface DigestConfidence {
  /** First epoch day on which one qualifying confidence item is held, or null. */
  confidenceFrom: number | null;
  /** First epoch day on which qualifying confidence items come from two distinct sources, or null. */
  twoSourcesFrom: number | null;
}

export type ScoringDigest = DigestOffences & Omit<DigestRatings, 'support'> & DigestConfidence;

/** Confirmed-link offences of one network, as the vault holds them (each once: an offence is linked to a network at most once). */
export type OffenceSource = { id: string; category: string; day: number; stage: EvidentialStage; weapon: WeaponInvolved }[];

/** A qualifying confidence item reaching a network; an item may come more than once. */
export type ItemSource = { id: string; sourceId: string; day: number }[];

/** Ratings present, by `kind:dimension`; `supportedFrom` only for assessed ratings. */
export type RatingSource = Map<string, { value: number; supportedFrom: number | null }>;

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function buildDigestOffences(src: OffenceSource): DigestOffences {
  const offences = [...src].sort((a, b) => compareText(a.id, b.id));
  const categories: string[] = [];
  const categoryIndex = new Map<string, number>();
  const n = offences.length;
  const packed = Buffer.alloc(n * OFFENCE_BYTES);
  offences.forEach((o, i) => {
    let c = categoryIndex.get(o.category);
    if (c === undefined) {
      c = categories.length;
      if (c > 0xffff) throw new RangeError('A network uses more offence categories than a digest can hold.');
      categories.push(o.category);
      categoryIndex.set(o.category, c);
    }
    const stage = STAGE_CODES.indexOf(o.stage);
    const weapon = WEAPON_CODES.indexOf(o.weapon);
    if (stage < 0 || weapon < 0 || !Number.isInteger(o.day)) throw new RangeError(`Offence ${o.id} has a stage, weapon or date the digest cannot hold.`);
    packed.writeInt32LE(o.day, i * 4);
    packed.writeUInt16LE(c, n * 4 + i * 2);
    packed.writeUInt8(stage, n * 6 + i);
    packed.writeUInt8(weapon, n * 7 + i);
  });
  return { categories, offences: packed };
}

/** The span of a set of qualifying items (each item counted once, whatever route brought it). */
export function itemSpan(src: ItemSource): ItemSpan {
  const seen = new Set<string>();
  const items = src.filter((i) => (seen.has(i.id) ? false : (seen.add(i.id), true))).sort((a, b) => a.day - b.day || (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
  if (items.length === 0) return { from: null, source: null, twoFrom: null };
  const first = items[0]!;
  // Sorted by day, then source (so items of one day give the same part whatever order they were read in):
  // the first item of another source is the earliest day two sources are held.
  const other = items.find((i) => i.sourceId !== first.sourceId);
  return { from: first.day, source: first.sourceId, twoFrom: other ? other.day : null };
}

const minOf = (...xs: (number | null)[]): number | null => xs.reduce<number | null>((m, x) => (x === null ? m : m === null ? x : Math.min(m, x)), null);

/**
 * Confidence days of the union of two item sets. Two sources are held by day t when either set
 * alone holds two, or when both hold an item and, each holding one source only, those sources
 * differ: from the later of their first days.
 */
export function combineSpans(a: ItemSpan, b: ItemSpan): DigestConfidence {
  const across = a.from !== null && b.from !== null && a.source !== b.source ? Math.max(a.from, b.from) : null;
  return { confidenceFrom: minOf(a.from, b.from), twoSourcesFrom: minOf(a.twoFrom, b.twoFrom, across) };
}

export function buildDigestRatings(ratings: RatingSource, supportItems: ItemSource): DigestRatings {
  return {
    assessed: assessedDimension.options.map((d) => ratings.get(`assessed:${d}`)?.value ?? 0),
    assessedSupportedFrom: assessedDimension.options.map((d) => ratings.get(`assessed:${d}`)?.supportedFrom ?? null),
    capability: capabilityDimension.options.map((d) => ratings.get(`capability:${d}`)?.value ?? 0),
    support: itemSpan(supportItems),
  };
}

export function assembleDigest(offences: DigestOffences, held: ItemSpan, ratings: DigestRatings): ScoringDigest {
  const { support, ...values } = ratings;
  return { ...offences, ...values, ...combineSpans(held, support) };
}

/** The rating values as stored (JSON text beside the support span). */
export function digestRatingsJson(d: DigestRatings): string {
  return JSON.stringify({ assessed: d.assessed, assessedSupportedFrom: d.assessedSupportedFrom, capability: d.capability });
}

export function parseDigestRatings(json: string): Pick<DigestRatings, 'assessed' | 'assessedSupportedFrom' | 'capability'> {
  const r = JSON.parse(json) as Pick<DigestRatings, 'assessed' | 'assessedSupportedFrom' | 'capability'>;
  if (!Array.isArray(r.assessed) || r.assessed.length !== 5 || !Array.isArray(r.assessedSupportedFrom) || r.assessedSupportedFrom.length !== 5 || !Array.isArray(r.capability) || r.capability.length !== 5) {
    throw new RangeError('A scoring digest has ratings of the wrong shape.');
  }
  return r;
}

/** What a digest scores to: a score's parts (as in its explanation), without the explanation. */
export interface DigestScore extends ScoreParts {
  model: typeof MODEL_ID;
  asOf: string;
  weightTable: { id: string; version: string };
}

// The offence columns are written little-endian and read as typed arrays, which use the
// platform's byte order; every platform Electron ships for is little-endian.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('Scoring digests need a little-endian platform.');

/** The packed offences as typed-array columns (copied once when the bytes are not 4-byte aligned). */
function offenceColumns(packed: Uint8Array): { days: Int32Array; cats: Uint16Array; stages: Uint8Array; weapons: Uint8Array } {
  if (packed.byteLength % OFFENCE_BYTES !== 0) throw new RangeError('A scoring digest has a truncated offence list.');
  const n = packed.byteLength / OFFENCE_BYTES;
  const u8 = packed.byteOffset % 4 === 0 ? packed : new Uint8Array(packed);
  return {
    days: new Int32Array(u8.buffer, u8.byteOffset, n),
    cats: new Uint16Array(u8.buffer, u8.byteOffset + n * 4, n),
    stages: new Uint8Array(u8.buffer, u8.byteOffset + n * 6, n),
    weapons: new Uint8Array(u8.buffer, u8.byteOffset + n * 7, n),
  };
}

const CONVICTED = STAGE_CODES.indexOf('convicted');
const NFA = STAGE_CODES.indexOf('nfa');
const ACQUITTED = STAGE_CODES.indexOf('acquitted');
const FIREARM_DISCHARGED = WEAPON_CODES.indexOf('firearm_discharged');
const STAGE_FACTOR_BY_CODE = STAGE_CODES.map((s) => STAGE_FACTORS[s]);

/**
 * Score a digest as of a day under hm-1: the same arithmetic as `scoreParsed`, in the same order,
 * on the same values, so score, parts, bands and confidence are identical to scoring the rows.
 * Throws `ScoringInputError` for a category missing from the weight table, as
 * `scoreTrustedInput` does.
 */
export function scoreDigest(d: ScoringDigest, asOf: string, table: WeightTable, override: BandOverride | null): DigestScore {
  return digestScorer(asOf, table)(d, override);
}

/**
 * `scoreDigest` for many digests as of one day: the day arithmetic and the decay of each age are
 * worked out once for all of them.
 */
export function digestScorer(asOf: string, table: WeightTable): (d: ScoringDigest, override: BandOverride | null) => DigestScore {
  const asOfDay = epochDay(asOf);
  const windowStartDay = epochDay(addMonths(asOf, -EH_WINDOW_MONTHS));
  const gateStartDay = epochDay(addMonths(asOf, -SERIOUS_VIOLENCE_GATE_MONTHS));
  // Decay depends only on the age in days: worked out once per age (at most the window's ~1,100
  // days), not once per offence. The same function of the same number, so the same value.
  const decay = new Float64Array(Math.max(0, asOfDay - windowStartDay)).fill(-1);
  const weightTableRef = { id: table.id, version: table.version };
  return (d, override) => scoreOne(d, override, asOf, table, weightTableRef, asOfDay, windowStartDay, gateStartDay, decay);
}

function scoreOne(
  d: ScoringDigest,
  override: BandOverride | null,
  asOf: string,
  table: WeightTable,
  weightTableRef: { id: string; version: string },
  asOfDay: number,
  windowStartDay: number,
  gateStartDay: number,
  decay: Float64Array,
): DigestScore {
  const weights = d.categories.map((c) => {
    if (!Object.hasOwn(table.weights, c)) {
      throw new ScoringInputError([{ path: 'offences', message: `unknown offence category "${c}" (not in weight table ${table.id} version ${table.version})` }]);
    }
    return table.weights[c] as number;
  });
  const homicide = d.categories.indexOf('homicide');

  // 1. Evidenced harm, summed in offence-id order as scoreParsed sums it.
  const { days, cats, stages, weapons } = offenceColumns(d.offences);
  const n = days.length;
  let eh = 0;
  let hasConvicted = false;
  let hasSeriousViolence = false;
  for (let i = 0; i < n; i++) {
    const day = days[i]!;
    const category = cats[i]!;
    const stage = stages[i]!;
    const weapon = weapons[i]!;
    if (
      !hasSeriousViolence &&
      (category === homicide || weapon === FIREARM_DISCHARGED) &&
      stage !== NFA &&
      stage !== ACQUITTED &&
      day > gateStartDay &&
      day <= asOfDay
    ) {
      hasSeriousViolence = true;
    }
    const ageDays = asOfDay - day;
    if (ageDays < 0 || day <= windowStartDay) continue;
    const s = STAGE_FACTOR_BY_CODE[stage]!;
    if (s === 0) continue;
    let d = decay[ageDays]!;
    if (d < 0) d = decay[ageDays] = recencyDecay(ageDays);
    eh += weights[category]! * s * d;
    if (stage === CONVICTED) hasConvicted = true;
  }
  const ehPts = evidencedHarmPoints(eh);

  // 2. Assessed harm: a rating of 2 or more without support held as of the day counts as 1.
  let ah = 0;
  for (let i = 0; i < d.assessed.length; i++) {
    const value = d.assessed[i]!;
    const from = d.assessedSupportedFrom[i];
    const isSupported = value < 2 || (from !== null && from !== undefined && from <= asOfDay);
    ah += isSupported ? value : 1;
  }
  const ahPts = AH_PTS_PER_RATING_POINT * ah;

  // 3. Capability.
  let cap = 0;
  for (const v of d.capability) cap += v;
  const capPts = cap;

  // 4. Score.
  const score = ehPts + ahPts + capPts;

  // 5. Confidence.
  const confidence: ConfidenceLevel = hasConvicted
    ? 'high'
    : d.twoSourcesFrom !== null && d.twoSourcesFrom <= asOfDay
      ? 'high'
      : d.confidenceFrom !== null && d.confidenceFrom <= asOfDay
        ? 'medium'
        : 'low';

  // 6. Band, gates and override.
  const scoreBand = bandForScore(score);
  const capped: Band = confidence === 'low' && BAND_RANK[scoreBand] > BAND_RANK.B ? 'B' : scoreBand;
  const band: Band = hasSeriousViolence && BAND_RANK[capped] < BAND_RANK.B ? 'B' : capped;
  const o = assessOverride(override, asOf);
  const effectiveBand = o.status === 'in_force' && o.band ? o.band : band;

  return {
    model: MODEL_ID,
    asOf,
    weightTable: { ...weightTableRef },
    eh,
    ehPts,
    ah,
    ahPts,
    cap,
    capPts,
    score,
    scoreBand,
    band,
    effectiveBand,
    confidence,
  };
}
