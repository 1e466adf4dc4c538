/**
 * The corporate return (docs/specification.md, "Returns and exports"; issue 4): what the period's validated
 * disruptions achieved, and the state of the matrix, for performance staff.
 *
 * Pure-ish: plain facts read from the vault go in (plus a function for harm before and after,
 * which reads offences), tables come out. Every figure goes through disclosure control
 * (main/domain/disclosure.ts) with the chosen rule set before it is put in a cell.
 *
 * NO PERSONAL DATA AT ALL: nothing here reads a person, a name, a date of birth, an ethnicity, a
 * network's name or reference, a unit, an officer, a narrative or any other free text. Rows are
 * fixed labels (levels, bands, business groups, network types, months, outcome kinds).
 *
 * Decisions, and why (each is stated in the return's notes):
 * - Counting: rule set count-1 (main/domain/counting.ts): by VALIDATION date, at the level
 *   standing at the end of the period, each network once at its highest level, partner-reference
 *   duplicates once.
 * - Outcomes: every validated record in the period, any level (arrests made in an activity
 *   validated at "none" still happened); records that are one event by partner reference and
 *   primary network are the same operation claimed twice, so only the first validated of them is
 *   added. Drugs are totalled by class only: the substance is free text.
 * - Harm before and after: per disrupted network, over the span of its period's records (six
 *   months before the earliest start, six after the latest end); a network is "pending" until
 *   those six months after have passed, and only measured networks are summed.
 * - Matrix population: networks on the matrix (active and dormant: not proposals, not archived)
 *   by effective band as of `populationAsOf`, the day the return is made (stored scores where
 *   they are as of that day, the rest scored for it, as the matrix screen does). The Band A share is over the same population,
 *   so its denominator IS that table's Band A total. A return for a past period therefore shows
 *   today's matrix beside that period's disruptions; its notes say so.
 * - Linked tables: where two published figures must add up across tables, they are one table
 *   (networks disrupted by level is split by measured / pending harm in the same table, and the
 *   events table is the monthly series), so secondary suppression sees every equation a reader
 *   has. Nothing is published twice under different suppression.
 */
import { countDisruptions, type CountedDisruptionParsed, type DisruptionCounts } from '../domain/counting';
import {
  BAND_LABELS,
  BANDS,
  BUSINESS_GROUP_LABELS,
  BUSINESS_GROUPS,
  DISRUPTING_LEVELS,
  DISRUPTION_LEVEL_LABELS,
  DRUG_CLASSES,
  FIREARM_RETURN_LABELS,
  FIREARM_TYPES,
  NETWORK_TYPE_LABELS,
  NETWORK_TYPES,
  OUTCOME_LABELS,
  type Band,
  type DisruptionLevel,
  type DisruptionStatus,
  type DurabilityOutcome,
} from '../../preload/contract/vocabulary';
import { protectCount, protectPercentage, protectTable, type ProtectedTable, type RuleSetId, type TableKind } from '../domain/disclosure';
import { formatUkDate } from '../../preload/contract/dates';
import { periodLabel, type Period } from '../../preload/contract/periods';
import { compareDays, within } from './days';
import type { Outcomes } from '../../preload/contract/schemas/disruptions';
import type { ReportCell, ReportSection, ReturnCharts } from '../../preload/contract/schemas/returns';
import { displayCell, formatNumber, fromProtected, percentCell, textCell, withheldPercent } from './cells';
import { countReviews, REVIEW_RULES, type NetworkReviewFacts } from './reviews';
import { eventsByMonth } from './series';

/** A disruption as the return needs it: the counting fields and the outcomes, nothing else. */
export interface ReturnDisruption {
  id: string;
  primaryNetworkId: string;
  otherNetworkIds: readonly string[];
  partnerReference: string | null;
  claimingBusinessGroup: string;
  status: DisruptionStatus;
  validatedOn: string | null;
  rejectedOn: string | null;
  activityStart: string;
  activityEnd: string;
  level: DisruptionLevel;
  durabilityOutcome: DurabilityOutcome | null;
  levelAfterReview: DisruptionLevel | null;
  reviewedOn: string | null;
  outcomes: Partial<Outcomes>;
}

export interface PopulationNetwork {
  id: string;
  status: string;
  type: string;
  businessGroup: string;
  /** Effective band as of the population day. */
  band: Band;
}

export interface HarmMeasure {
  before: number;
  after: number | null;
  isPending: boolean;
}

export interface CorporateSource {
  period: Period;
  /** The UK day the return is made. */
  today: string;
  /** The day the matrix population is taken: the day the return is made (current scores). */
  populationAsOf: string;
  rules: RuleSetId;
  disruptions: readonly ReturnDisruption[];
  networks: readonly PopulationNetwork[];
  reviews: readonly NetworkReviewFacts[];
  /** Undecayed Σ w·s in the six months before `from` and after `to` (disruptions.service harmBeforeAfter). */
  harmOf: (networkId: string, from: string, to: string) => HarmMeasure;
}

export interface CorporateBuild {
  sections: ReportSection[];
  charts: ReturnCharts;
  /** The raw counts, for tests and the service; never written to a file. */
  counts: DisruptionCounts;
}

/** Statuses that put a network on the matrix (proposals await adoption; archived ones left it). */
export const ON_MATRIX_STATUSES = ['active', 'dormant'] as const;

const LEVEL_ROWS = DISRUPTING_LEVELS.map((l) => DISRUPTION_LEVEL_LABELS[l]);

const harmDays = (v: number) => `${formatNumber(v, 1)} harm-days`;
const years = (v: number) => `${formatNumber(v, 1)} years`;

function toCounting(d: ReturnDisruption) {
  return {
    id: d.id,
    networkIds: [d.primaryNetworkId, ...d.otherNetworkIds],
    primaryNetworkId: d.primaryNetworkId,
    partnerReference: d.partnerReference,
    claimingBusinessGroup: d.claimingBusinessGroup,
    status: d.status,
    validatedOn: d.validatedOn,
    rejectedOn: d.rejectedOn,
    activityStart: d.activityStart,
    activityEnd: d.activityEnd,
    level: d.level,
    durabilityOutcome: d.durabilityOutcome,
    levelAfterReview: d.levelAfterReview,
    reviewedOn: d.reviewedOn,
  };
}

/**
 * The records that can count (validated or rejected: drafts and queues never do) in counting.ts's
 * shape. Not parsed here: `countDisruptions` validates what it is given (and throws naming every
 * bad record), and parsing 20,000 records twice costs a third of a second at force scale. The
 * monthly series reads the same objects after `countDisruptions` has accepted them; the meeting
 * pack's series reads them straight from the vault's CHECK-constrained columns.
 */
export function countingRecords(disruptions: readonly ReturnDisruption[]): CountedDisruptionParsed[] {
  return disruptions.filter((d) => d.status === 'validated' || d.status === 'rejected').map(toCounting) as CountedDisruptionParsed[];
}

function eventKey(d: { id: string; partnerReference: string | null; primaryNetworkId: string }): string {
  const reference = d.partnerReference?.trim().toUpperCase();
  return reference ? JSON.stringify(['ref', reference, d.primaryNetworkId]) : JSON.stringify(['id', d.id]);
}

/**
 * Validated records in the period whose outcomes are added: one per event key (partner
 * reference and primary network), the first validated (then the lowest id), so an operation
 * claimed twice is counted once.
 */
export function outcomeRecords(disruptions: readonly ReturnDisruption[], period: { from: string; to: string }): ReturnDisruption[] {
  const chosen = new Map<string, ReturnDisruption>();
  for (const d of disruptions) {
    if (d.status !== 'validated' || !d.validatedOn || !within(period, d.validatedOn)) continue;
    const key = eventKey(d);
    const seen = chosen.get(key);
    if (!seen || compareDays(d.validatedOn, seen.validatedOn!) < 0 || (d.validatedOn === seen.validatedOn && d.id < seen.id)) chosen.set(key, d);
  }
  return [...chosen.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function protect(rows: string[], cols: string[], cells: number[][], kind: TableKind, withTotals: boolean, rules: RuleSetId, contributions?: number[][][]): ProtectedTable {
  return protectTable({ rows, cols, cells, kind, withTotals, ...(kind === 'count' ? {} : { contributions }) }, rules);
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** A single published-or-withheld figure as a one-row table. */
function figureRow(label: string, cell: ReportCell): { cells: ReportCell[]; isTotal: boolean } {
  return { cells: [textCell(label), cell], isTotal: false };
}

export function buildCorporateReturn(src: CorporateSource): CorporateBuild {
  const { period, rules } = src;
  const records = countingRecords(src.disruptions);
  const onMatrix = src.networks.filter((n) => (ON_MATRIX_STATUSES as readonly string[]).includes(n.status));
  const bandA = onMatrix.filter((n) => n.band === 'A').map((n) => n.id);
  // Validates every record (throws CountingInputError naming them) before anything else reads them.
  const counts = countDisruptions(records, period, bandA);
  const byId = new Map(src.disruptions.map((d) => [d.id, d]));
  const sections: ReportSection[] = [];

  /* ---- Networks disrupted -------------------------------------------------------------------- */

  // Harm before and after, per disrupted network, over the span of its period's records.
  const harm = new Map<string, HarmMeasure>();
  for (const n of counts.networks) {
    if (!(DISRUPTING_LEVELS as readonly string[]).includes(n.level)) continue;
    const records = n.disruptionIds.map((id) => byId.get(id)!);
    const from = records.map((r) => r.activityStart).sort(compareDays)[0]!;
    const to = records.map((r) => r.activityEnd).sort(compareDays).at(-1)!;
    harm.set(n.networkId, src.harmOf(n.networkId, from, to));
  }
  const byLevelStatus = DISRUPTING_LEVELS.map(() => [0, 0]);
  for (const n of counts.networks) {
    const i = (DISRUPTING_LEVELS as readonly string[]).indexOf(n.level);
    if (i < 0) continue;
    byLevelStatus[i]![harm.get(n.networkId)!.isPending ? 1 : 0]! += 1;
  }
  const disrupted = protect(LEVEL_ROWS, ['Harm measured', 'Harm pending'], byLevelStatus, 'count', true, rules);
  const notDisrupted = protect([DISRUPTION_LEVEL_LABELS.none, DISRUPTION_LEVEL_LABELS.negative], ['Networks'], [[counts.networksAssessedNotDisrupted.none], [counts.networksAssessedNotDisrupted.negative]], 'count', false, rules);

  const groups = [...BUSINESS_GROUPS];
  const groupCells = groups.map((g) => {
    const c = counts.byBusinessGroup.find((x) => x.businessGroup === g)?.networks;
    return DISRUPTING_LEVELS.map((l) => c?.[l] ?? 0);
  });
  const byGroup = protect(groups.map((g) => BUSINESS_GROUP_LABELS[g] ?? g), LEVEL_ROWS, groupCells, 'count', true, rules);

  const population = protectTable(populationTable(onMatrix), rules);
  const bandADenominator = population.colTotals![0]!;
  const bandANumerator = protectCount(counts.bandA.disrupted, rules);
  const share =
    bandADenominator.isSuppressed || bandANumerator.isSuppressed
      ? withheldPercent()
      : percentCell(protectPercentage(counts.bandA.disrupted, counts.bandA.networks, rules));

  sections.push({
    id: 'networks_disrupted',
    title: 'Networks disrupted',
    notes: [
      `Distinct networks with at least one disruption validated from ${formatUkDate(period.from)} to ${formatUkDate(period.to)}, each counted once at its highest level (major, moderate or minor), at the level standing at the end of the period.`,
      'A record counts for every network it names. Harm is "pending" for a network until six months have passed since its last activity in the period.',
    ],
    tables: [
      fromProtected(disrupted, {
        id: 'networks_by_level',
        title: 'Networks disrupted, by highest level',
        rowHeading: 'Level',
        totalColumnLabel: 'Networks disrupted',
        totalRowLabel: 'All levels',
      }),
      fromProtected(notDisrupted, {
        id: 'networks_not_disrupted',
        title: 'Networks with validated activity that did not disrupt them',
        rowHeading: 'Level',
        notes: ['Validated at none (no effect) or negative (more capable or harmful afterwards); not in the disrupted total.'],
      }),
      fromProtected(byGroup, {
        id: 'networks_by_business_group',
        title: 'Networks disrupted, by claiming business group',
        rowHeading: 'Business group',
        totalColumnLabel: 'All levels',
        omitColumnTotals: true,
        notes: ['A network disrupted by two business groups counts once in each, so the groups add up to more than the distinct total; group figures are therefore not totalled.'],
      }),
      {
        id: 'band_a_share',
        title: 'Band A networks disrupted',
        notes: [
          `Band A: networks on the matrix (active or dormant) in effective Band A by their current scores on ${formatUkDate(src.populationAsOf)}, the same population as the matrix table below.`,
          'No percentage is shown on a denominator under 10, or where a figure it is made from is withheld.',
        ],
        columns: [
          { key: 'label', label: 'Measure', kind: 'text' },
          { key: 'c0', label: 'Figure', kind: 'count' },
        ],
        rows: [
          figureRow('Band A networks', displayCell(bandADenominator)),
          figureRow('Band A networks disrupted in the period', displayCell(bandANumerator)),
          { cells: [textCell('Share of Band A disrupted'), share], isTotal: false },
        ],
        emptyText: '',
      },
    ],
  });

  /* ---- Events and claims ---------------------------------------------------------------------- */

  const months = eventsByMonth(records, period);
  const eventsTable = protect(
    months.map((m) => m.label),
    LEVEL_ROWS,
    months.map((m) => DISRUPTING_LEVELS.map((l) => m.counts[l])),
    'count',
    true,
    rules,
  );
  const claims = protect(
    ['Claims rejected', 'Downgraded at durability review', 'Upgraded at durability review', 'Validated records merged as duplicates'],
    ['Records'],
    [[counts.claimsRejected], [counts.claimsDowngraded], [counts.claimsUpgraded], [counts.duplicateRecordsMerged]],
    'count',
    false,
    rules,
  );
  sections.push({
    id: 'events',
    title: 'Disruption events and claims',
    notes: [
      'An event is a validated record at a disrupting level; records with the same partner reference and primary network are one event (the same operation claimed twice), at the highest of their levels, in the month it was first validated.',
      'Rejected: claims rejected in the period. Downgraded and upgraded: durability reviews recorded in the period that changed the level. Returned claims come back for amendment and are not rejections.',
    ],
    tables: [
      fromProtected(eventsTable, {
        id: 'events_by_month',
        title: 'Disruption events, by month of validation and level',
        rowHeading: 'Month',
        totalColumnLabel: 'All levels',
        totalRowLabel: 'Period total',
      }),
      fromProtected(claims, { id: 'claims', title: 'Claims rejected or changed at review', rowHeading: 'Measure' }),
    ],
  });

  /* ---- Outcomes ------------------------------------------------------------------------------- */

  sections.push(outcomesSection(outcomeRecords(src.disruptions, period), rules));

  /* ---- Harm before and after ------------------------------------------------------------------ */

  const measured = [...harm.entries()].filter(([, h]) => !h.isPending).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const before = measured.map(([, h]) => h.before);
  const after = measured.map(([, h]) => h.after ?? 0);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const harmTable = protect(['Six months before', 'Six months after'], ['Harm'], [[sum(before)], [sum(after)]], 'weight', false, rules, [[before], [after]]);
  const harmReport = fromProtected(harmTable, {
    id: 'harm_before_after',
    title: 'Harm before and after, networks measured',
    rowHeading: 'Window',
    format: harmDays,
    notes: [
      'Undecayed Σ w·s (harm-days) of each measured network\'s confirmed offences in the six months before its first activity in the period and the six months after its last; pending networks are not included. A figure where one network is more than half the total is withheld.',
    ],
  });
  const [b, a] = harmTable.cells.map((r) => r[0]!);
  if (!b!.isSuppressed && !a!.isSuppressed && b!.value! > 0) {
    // From the two published figures only: it reveals nothing they do not.
    const change = ((a!.value! - b!.value!) / b!.value!) * 100;
    // In words, not "-55.3%": a leading minus would start a formula in a spreadsheet.
    const text = Math.abs(change) < 0.05 ? 'No change' : `${formatNumber(Math.abs(change), 1)}% ${change < 0 ? 'lower' : 'higher'}`;
    harmReport.rows.push({ cells: [textCell('Change'), { text, value: Math.round(change * 10) / 10, isSuppressed: false, isPercent: true }], isTotal: false });
  }
  sections.push({
    id: 'harm',
    title: 'Harm before and after',
    notes: ['How many networks were measured and how many are pending is in the first table ("Networks disrupted, by highest level").'],
    tables: [harmReport],
  });

  /* ---- Matrix population ---------------------------------------------------------------------- */

  sections.push({
    id: 'population',
    title: 'Matrix population',
    notes: [
      `Networks on the matrix (active or dormant) on ${formatUkDate(src.populationAsOf)}, the day this return was made, by their current scores' effective band (after gates and any override in force), business group and type: the matrix as it stands, whatever the period. Proposals and archived networks are not on the matrix.`,
      'One table for all three breakdowns, so that no figure is published twice under different suppression.',
    ],
    tables: [
      fromProtected(population, {
        id: 'population_by_band',
        title: 'Networks by business group, type and band',
        rowHeading: 'Business group and type',
        totalColumnLabel: 'All bands',
        totalRowLabel: 'All networks',
      }),
    ],
  });

  /* ---- Reviews -------------------------------------------------------------------------------- */

  const reviews = countReviews(src.reviews, period, src.today);
  const reviewTable = protect(['On time', 'Late', 'Outstanding (overdue)'], ['Reviews'], [[reviews.onTime], [reviews.late], [reviews.outstanding]], 'count', true, rules);
  const reviewReport = fromProtected(reviewTable, {
    id: 'reviews',
    title: 'Network reviews due in the period',
    rowHeading: 'Review',
    omitRowTotals: true,
    totalRowLabel: 'Reviews due',
    notes: [REVIEW_RULES.description, 'A review due today or later is not yet counted.'],
  });
  const onTimeCell = reviewTable.cells[0]![0]!;
  const dueCell = reviewTable.colTotals![0]!;
  reviewReport.rows.push({
    cells: [textCell('Share done on time'), onTimeCell.isSuppressed || dueCell.isSuppressed ? withheldPercent() : percentCell(protectPercentage(reviews.onTime, reviews.due, rules))],
    isTotal: false,
  });
  sections.push({ id: 'reviews', title: 'Reviews done on time', notes: [], tables: [reviewReport] });

  /* ---- Charts --------------------------------------------------------------------------------- */

  const charts: ReturnCharts = {
    disruptionsPerMonth: months.map((m, r) => ({
      month: m.month,
      label: m.label,
      ...(Object.fromEntries(DISRUPTING_LEVELS.map((l, c) => [l, chartValue(eventsTable.cells[r]![c]!)])) as Record<(typeof DISRUPTING_LEVELS)[number], { value: number | null; text: string }>),
    })),
    networksByBand: BANDS.map((band, c) => ({ band, label: BAND_LABELS[band], ...chartValue(population.colTotals![c]!) })),
  };

  return { sections, charts, counts };
}

function chartValue(cell: { value: number | null; display: string; isSuppressed: boolean }): { value: number | null; text: string } {
  return { value: cell.isSuppressed ? null : cell.value, text: cell.display };
}

/** Networks by (business group, type) × band, for the population table. */
export function populationTable(networks: readonly PopulationNetwork[]) {
  const rows: string[] = [];
  const keys: string[] = [];
  for (const g of BUSINESS_GROUPS) {
    for (const t of NETWORK_TYPES) {
      rows.push(`${BUSINESS_GROUP_LABELS[g]}: ${NETWORK_TYPE_LABELS[t].toLowerCase()}`);
      keys.push(`${g}|${t}`);
    }
  }
  const index = new Map(keys.map((k, i) => [k, i]));
  const cells = rows.map(() => BANDS.map(() => 0));
  for (const n of networks) {
    const r = index.get(`${n.businessGroup}|${n.type}`);
    if (r === undefined) continue;
    cells[r]![BANDS.indexOf(n.band)]! += 1;
  }
  return { rows, cols: BANDS.map((b) => BAND_LABELS[b]), cells, kind: 'count' as const, withTotals: true };
}

const COUNT_OUTCOMES = [
  'arrests',
  'charges',
  'convictions',
  'knives',
  'otherWeapons',
  'rounds',
  'vehicles',
  'premisesClosed',
  'safeguardingReferrals',
  'childrenSafeguarded',
] as const satisfies ReadonlyArray<keyof Outcomes>;

/** The money rows; what was confiscated is reported as the orders made. */
const MONEY_OUTCOMES: ReadonlyArray<[keyof Outcomes, string]> = [
  ['cashSeized', OUTCOME_LABELS.cashSeized],
  ['assetsRestrained', OUTCOME_LABELS.assetsRestrained],
  ['confiscation', 'Confiscation orders'],
];

function outcomesSection(records: readonly ReturnDisruption[], rules: RuleSetId): ReportSection {
  const o = records.map((r) => r.outcomes ?? {});
  const counts = protect(
    COUNT_OUTCOMES.map((k) => OUTCOME_LABELS[k]),
    ['Total'],
    COUNT_OUTCOMES.map((k) => [o.reduce((s, x) => s + num(x[k]), 0)]),
    'count',
    false,
    rules,
  );
  const firearms = protect(
    FIREARM_TYPES.map((t) => FIREARM_RETURN_LABELS[t]),
    ['Firearms'],
    FIREARM_TYPES.map((t) => [o.reduce((s, x) => s + num(x.firearms?.[t]), 0)]),
    'count',
    true,
    rules,
  );
  // Grams by class, one contribution per record (its entries of that class added together).
  const grams = DRUG_CLASSES.map((cls) => o.map((x) => (x.drugs ?? []).filter((d) => d.drugClass === cls).reduce((s, d) => s + num(d.grams), 0)).filter((g) => g > 0));
  const drugs = protect(
    DRUG_CLASSES.map((c) => `Class ${c}`),
    ['Grams'],
    grams.map((g) => [g.reduce((a, b) => a + b, 0)]),
    'weight',
    true,
    rules,
    grams.map((g) => [g]),
  );
  const moneyParts = MONEY_OUTCOMES.map(([k]) => o.map((x) => num(x[k])).filter((v) => v > 0));
  const money = protect(
    MONEY_OUTCOMES.map(([, l]) => l),
    ['Amount'],
    moneyParts.map((p) => [p.reduce((a, b) => a + b, 0)]),
    'money',
    false,
    rules,
    moneyParts.map((p) => [p]),
  );
  const custodyParts = o.map((x) => num(x.custodyYears)).filter((v) => v > 0);
  const custody = protect([OUTCOME_LABELS.custodyYears], ['Years'], [[custodyParts.reduce((a, b) => a + b, 0)]], 'weight', false, rules, [[custodyParts]]);

  return {
    id: 'outcomes',
    title: 'Outcomes',
    notes: [
      'Totals over the disruptions validated in the period, at any level. Records that share a partner reference and primary network describe one operation: only the first validated is added.',
      'Amounts (money, grams, custody) where one record is more than half the total are withheld.',
    ],
    tables: [
      fromProtected(counts, { id: 'outcome_counts', title: 'Arrests, charges, weapons and safeguarding', rowHeading: 'Outcome' }),
      fromProtected(firearms, { id: 'outcome_firearms', title: 'Firearms recovered, by type', rowHeading: 'Type', omitRowTotals: true, totalRowLabel: 'All firearms' }),
      fromProtected(drugs, {
        id: 'outcome_drugs',
        title: 'Drugs seized, by class',
        rowHeading: 'Class',
        omitRowTotals: true,
        totalRowLabel: 'All classes',
        format: (v) => `${formatNumber(v, 1)} g`,
        notes: ['By class only: the substance is recorded as free text and free text never leaves in a return.'],
      }),
      fromProtected(money, { id: 'outcome_money', title: 'Cash, assets and confiscation', rowHeading: 'Measure', notes: ['Not totalled: a confiscation order often covers assets already restrained.'] }),
      fromProtected(custody, { id: 'outcome_custody', title: 'Custodial sentences', rowHeading: 'Measure', format: years }),
    ],
  };
}

/** The return's title line. */
export function corporateTitle(period: Period): string {
  return `Corporate return: ${periodLabel(period)}`;
}
