/**
 * The SCD prioritisation meeting pack (docs/specification.md, "Returns and exports"; issue 4): the matrix as of
 * a day, compared with the previous meeting's frozen snapshot.
 *
 * Pure-ish: facts read from the vault go in, tables come out.
 *
 * What is in it, and why:
 * - Network REFERENCES in the body, as docs/specification.md says; never network names or aliases. Names are
 *   free text that often carries a nominal's nickname, and the pack is a numbered copy that
 *   leaves the unit. Owners (business group, unit, lead responsible officer) are in it: the
 *   meeting allocates work to them.
 * - Nothing about people: no names, references, dates of birth or ethnicity. Under-18 links are
 *   COUNTS per network, disclosure-controlled with the chosen rule set.
 * - Top contributing offences: category, date, evidential stage and contribution to the score
 *   (w·s·d) from the score's explanation; no crime references.
 * - Counts of networks by band and of claims are aggregates and are disclosure-controlled; the
 *   lists are records, not aggregates, and are shown as they are.
 * - Long lists are kept to what the meeting acts on: intelligence gaps list Low-confidence networks
 *   scoring 20 or more (all are counted by band); under-18 links are listed for Band A and B
 *   networks (all networks on the matrix are counted by band). Overdue reviews, claims and
 *   durability reviews are listed in full.
 * - The Band A and B tables hold networks on the matrix (active or dormant); proposals have their
 *   own section. Trend is the change in score since the previous meeting.
 */
import {
  BAND_LABELS,
  BANDS,
  CONFIDENCE_LABELS,
  DISRUPTING_LEVELS,
  DISRUPTION_LEVEL_LABELS,
  NETWORK_STATUS_LABELS,
  NETWORK_TYPE_LABELS,
  PLAN_STATUS_SHORT_LABELS,
  STAGE_LABELS,
  type Band,
  type ConfidenceLevel,
  type DisruptionLevel,
  type EvidentialStage,
  type NetworkStatus,
  type NetworkType,
  type PlanStatus,
} from '../../preload/contract/vocabulary';
import { protectCount, protectTable, type RuleSetId } from '../domain/disclosure';
import { addDays, addMonths, formatUkDate } from '../../preload/contract/dates';
import { compareDays, daysFrom } from './days';
import { BAND_THRESHOLDS, bandForScore } from '../domain/scoring';
import type { ReportCell, ReportColumn, ReportSection, ReportTable, ReturnCharts } from '../../preload/contract/schemas/returns';
import { dateCell, displayCell, formatNumber, formatScore, fromProtected, listTable, numberCell, textCell } from './cells';
import { countingRecords, type ReturnDisruption } from './corporate';
import { eventsByMonth } from './series';

export interface PackOffence {
  category: string;
  /** The category as people read it (from the weight table). */
  label: string;
  date: string;
  stage: EvidentialStage;
  contribution: number;
  isIncluded: boolean;
}

export interface PackNetwork {
  id: string;
  reference: string;
  status: string;
  type: string;
  businessGroup: string;
  unit: string;
  leadOfficer: string;
  planStatus: string;
  nextReviewOn: string;
  /** UK day the network was entered. */
  createdOn: string;
  score: number;
  ehPts: number;
  ahPts: number;
  capPts: number;
  /** Effective band (after gates and any override in force). */
  band: Band;
  confidence: ConfidenceLevel;
  /** The score's offences, for the Band A and B tables (empty for other networks). */
  offences: readonly PackOffence[];
  under18Links: number;
  under18VictimLinks: number;
  /** The most recent approved override as of the day, or null. */
  override: { band: Band; expiresOn: string } | null;
}

export interface PackDisruption extends ReturnDisruption {
  reference: string;
  claimedLevel: DisruptionLevel;
  submittedOn: string | null;
  endorsedOn: string | null;
  durabilityDueOn: string | null;
}

export interface PackSnapshotRow {
  networkId: string;
  reference: string;
  status: string;
  score: number;
  band: string;
}

export interface MeetingPackSource {
  asOf: string;
  rules: RuleSetId;
  networks: readonly PackNetwork[];
  disruptions: readonly PackDisruption[];
  previous: { heldOn: string; snapshot: readonly PackSnapshotRow[] } | null;
}

export interface MeetingPackBuild {
  sections: ReportSection[];
  charts: ReturnCharts;
}

const ON_MATRIX = new Set(['active', 'dormant']);
export const TOP_OFFENCES = 3;

const planLabel = (p: string) => PLAN_STATUS_SHORT_LABELS[p as PlanStatus] ?? p;
const statusLabel = (s: string) => NETWORK_STATUS_LABELS[s as NetworkStatus] ?? s;
const levelLabel = (l: DisruptionLevel) => DISRUPTION_LEVEL_LABELS[l].toLowerCase();
const typeLabel = (t: string) => NETWORK_TYPE_LABELS[t as NetworkType] ?? t;

const byScore = (a: PackNetwork, b: PackNetwork) => b.score - a.score || (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0);
const byReference = (a: { reference: string }, b: { reference: string }) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0);

function col(key: string, label: string, kind: ReportColumn['kind'] = 'text'): ReportColumn {
  return { key, label, kind };
}

function scoreCell(v: number): ReportCell {
  return numberCell(Math.round(v * 10) / 10, formatScore(v));
}

/** The level a validated record stood at on a day (its durability review counts once recorded). */
function levelOnDay(d: PackDisruption, day: string): DisruptionLevel {
  return d.durabilityOutcome && d.levelAfterReview && d.reviewedOn && compareDays(d.reviewedOn, day) <= 0 ? d.levelAfterReview : d.level;
}

export function buildMeetingPack(src: MeetingPackSource): MeetingPackBuild {
  const { asOf, rules, previous } = src;
  const refOf = new Map(src.networks.map((n) => [n.id, n.reference]));
  const sections: ReportSection[] = [];
  const onMatrix = src.networks.filter((n) => ON_MATRIX.has(n.status));

  /* ---- Summary: networks by band, now and at the last meeting ------------------------------- */

  const bandCounts = (bands: string[]) => BANDS.map((b) => [bands.filter((x) => x === b).length]);
  const now = protectTable({ rows: BANDS.map((b) => BAND_LABELS[b]), cols: ['Now'], cells: bandCounts(onMatrix.map((n) => n.band)), kind: 'count', withTotals: true }, rules);
  const columns: ReportColumn[] = [col('label', 'Band')];
  const rows: ReportCell[][] = [...BANDS.map((b) => [textCell(BAND_LABELS[b])]), [textCell('All networks on the matrix')]];
  if (previous) {
    const then = protectTable(
      { rows: BANDS.map((b) => BAND_LABELS[b]), cols: ['Then'], cells: bandCounts(previous.snapshot.filter((s) => ON_MATRIX.has(s.status)).map((s) => s.band)), kind: 'count', withTotals: true },
      rules,
    );
    columns.push(col('then', `At the meeting of ${formatUkDate(previous.heldOn)}`, 'count'));
    BANDS.forEach((_, i) => rows[i]!.push(displayCell(then.cells[i]![0]!)));
    rows[BANDS.length]!.push(displayCell(then.colTotals![0]!));
  }
  columns.push(col('now', `On ${formatUkDate(asOf)}`, 'count'));
  BANDS.forEach((_, i) => rows[i]!.push(displayCell(now.cells[i]![0]!)));
  rows[BANDS.length]!.push(displayCell(now.colTotals![0]!));
  const summary: ReportTable = { id: 'networks_by_band', title: 'Networks on the matrix, by band', notes: ['Active and dormant networks, by effective band. Counts follow the disclosure rules chosen for this pack; the lists in this pack are records, not counts.'], columns, rows: rows.map((cells, i) => ({ cells, isTotal: i === BANDS.length })), emptyText: '' };

  /* ---- Movement since the last meeting -------------------------------------------------------- */

  const movementNotes: string[] = [];
  let newRows: ReportCell[][] = [];
  let changeRows: ReportCell[][] = [];
  let archivedRows: ReportCell[][] = [];
  if (previous) {
    const before = new Map(previous.snapshot.map((s) => [s.networkId, s]));
    movementNotes.push(`Compared with the snapshot frozen at the meeting of ${formatUkDate(previous.heldOn)}.`);
    newRows = src.networks
      .filter((n) => n.status !== 'archived' && !before.has(n.id))
      .sort(byReference)
      .map((n) => [textCell(n.reference), textCell(statusLabel(n.status)), textCell(typeLabel(n.type)), textCell(BAND_LABELS[n.band]), scoreCell(n.score), dateCell(n.createdOn)]);
    changeRows = src.networks
      .filter((n) => n.status !== 'archived' && before.has(n.id) && before.get(n.id)!.band !== n.band)
      .sort(byReference)
      .map((n) => {
        const s = before.get(n.id)!;
        return [textCell(n.reference), textCell(BAND_LABELS[s.band as Band] ?? s.band), textCell(BAND_LABELS[n.band]), scoreCell(s.score), scoreCell(n.score)];
      });
    archivedRows = src.networks
      .filter((n) => n.status === 'archived' && before.has(n.id) && before.get(n.id)!.status !== 'archived')
      .sort(byReference)
      .map((n) => {
        const s = before.get(n.id)!;
        return [textCell(n.reference), textCell(BAND_LABELS[s.band as Band] ?? s.band), scoreCell(s.score)];
      });
  } else {
    movementNotes.push('No earlier meeting is recorded, so there is no movement to show. Holding a meeting freezes the snapshot the next pack compares with.');
  }
  sections.push({
    id: 'movement',
    title: 'Movement since the last meeting',
    notes: movementNotes,
    tables: [
      summary,
      listTable('new_networks', 'New networks', [col('reference', 'Reference'), col('status', 'Status'), col('type', 'Type'), col('band', 'Band'), col('score', 'Score', 'score'), col('created', 'Entered', 'date')], newRows, previous ? 'No networks were added since the last meeting.' : 'No earlier meeting.'),
      listTable('band_changes', 'Band changes', [col('reference', 'Reference'), col('from', 'Band then'), col('to', 'Band now'), col('scoreThen', 'Score then', 'score'), col('scoreNow', 'Score now', 'score')], changeRows, previous ? 'No network changed band since the last meeting.' : 'No earlier meeting.'),
      listTable('archived', 'Archived since the last meeting', [col('reference', 'Reference'), col('band', 'Band then'), col('score', 'Score then', 'score')], archivedRows, previous ? 'No network was archived since the last meeting.' : 'No earlier meeting.'),
    ],
  });

  /* ---- Band A and Band B ---------------------------------------------------------------------- */

  const previousScore = new Map((previous?.snapshot ?? []).map((s) => [s.networkId, s.score]));
  const lastDisruption = new Map<string, PackDisruption>();
  for (const d of src.disruptions) {
    if (d.status !== 'validated' || !d.validatedOn || compareDays(d.validatedOn, asOf) > 0) continue;
    for (const id of new Set([d.primaryNetworkId, ...d.otherNetworkIds])) {
      const seen = lastDisruption.get(id);
      if (!seen || compareDays(d.validatedOn, seen.validatedOn!) > 0 || (d.validatedOn === seen.validatedOn && d.reference > seen.reference)) lastDisruption.set(id, d);
    }
  }
  const bandColumns = [
    col('reference', 'Reference'),
    col('score', 'Score', 'score'),
    col('eh', 'EH', 'score'),
    col('ah', 'AH', 'score'),
    col('cap', 'Cap', 'score'),
    col('confidence', 'Confidence'),
    col('trend', 'Trend', 'score'),
    col('offences', 'Top contributing offences'),
    col('owner', 'Owner'),
    col('plan', 'Plan'),
    col('disruption', 'Last disruption'),
    col('review', 'Next review', 'date'),
  ];
  const bandRow = (n: PackNetwork): ReportCell[] => {
    const was = previousScore.get(n.id);
    const trend = !previous ? textCell('') : was === undefined ? textCell('New') : numberCell(Math.round((n.score - was) * 10) / 10, `${n.score - was > 0.05 ? '+' : ''}${formatScore(n.score - was)}`);
    const top = [...n.offences]
      .filter((o) => o.isIncluded && o.contribution > 0)
      .sort((a, b) => b.contribution - a.contribution || compareDays(b.date, a.date) || (a.category < b.category ? -1 : 1))
      .slice(0, TOP_OFFENCES)
      .map((o) => `${o.label}, ${formatUkDate(o.date)}, ${STAGE_LABELS[o.stage].toLowerCase()} (${formatNumber(o.contribution, 1)})`);
    const d = lastDisruption.get(n.id);
    const overdue = compareDays(n.nextReviewOn, asOf) < 0;
    return [
      textCell(n.reference),
      scoreCell(n.score),
      scoreCell(n.ehPts),
      scoreCell(n.ahPts),
      scoreCell(n.capPts),
      textCell(CONFIDENCE_LABELS[n.confidence]),
      trend,
      textCell(top.join('\n')),
      textCell([n.businessGroup, n.unit, n.leadOfficer].filter((x) => x.trim() !== '').join('\n')),
      textCell(planLabel(n.planStatus)),
      d ? textCell(`${d.reference}\n${formatUkDate(d.validatedOn!)}, ${levelLabel(levelOnDay(d, asOf))}`) : textCell('None'),
      { ...dateCell(n.nextReviewOn), text: `${formatUkDate(n.nextReviewOn)}${overdue ? ' (overdue)' : ''}` },
    ];
  };
  const bandNotes = [
    'Score 0–100 = EH (evidenced harm, 0–60) + AH (assessed harm, 0–25) + Cap (capability, 0–15). Trend: change in score since the last meeting.',
    `Top contributing offences: the ${TOP_OFFENCES} largest contributions (w × s × d, harm-days) to evidenced harm: category, date, evidential stage.`,
    'Owner: business group, unit and lead responsible officer. Last disruption: the latest validated disruption naming the network, with the level standing on the as-of date.',
  ];
  for (const band of ['A', 'B'] as const) {
    sections.push({
      id: `band_${band.toLowerCase()}`,
      title: `Band ${band} networks`,
      notes: bandNotes,
      tables: [listTable(`band_${band.toLowerCase()}_networks`, `Band ${band}`, bandColumns, onMatrix.filter((n) => n.band === band).sort(byScore).map(bandRow), `No network is in Band ${band}.`)],
    });
  }

  /* ---- Proposals ------------------------------------------------------------------------------- */

  sections.push({
    id: 'proposals',
    title: 'Proposals for adoption',
    notes: ['Networks proposed for the matrix, awaiting a decision.'],
    tables: [
      listTable(
        'proposals',
        'Proposed networks',
        [col('reference', 'Reference'), col('type', 'Type'), col('group', 'Business group'), col('unit', 'Unit'), col('officer', 'Lead officer'), col('score', 'Score', 'score'), col('band', 'Band'), col('confidence', 'Confidence'), col('created', 'Proposed', 'date')],
        src.networks
          .filter((n) => n.status === 'proposed')
          .sort(byScore)
          .map((n) => [textCell(n.reference), textCell(typeLabel(n.type)), textCell(n.businessGroup), textCell(n.unit), textCell(n.leadOfficer), scoreCell(n.score), textCell(BAND_LABELS[n.band]), textCell(CONFIDENCE_LABELS[n.confidence]), dateCell(n.createdOn)]),
        'No networks are proposed.',
      ),
    ],
  });

  /* ---- Claims and durability reviews ----------------------------------------------------------- */

  const networkLabel = (d: PackDisruption) => {
    const others = new Set(d.otherNetworkIds.filter((id) => id !== d.primaryNetworkId)).size;
    return `${refOf.get(d.primaryNetworkId) ?? ''}${others > 0 ? ` (+${others})` : ''}`;
  };
  const claims = src.disruptions
    .filter((d) => d.status === 'submitted' || d.status === 'endorsed')
    .sort((a, b) => compareDays(a.submittedOn ?? '9999-12-31', b.submittedOn ?? '9999-12-31') || byReference(a, b));
  const due = src.disruptions
    .filter((d) => d.status === 'validated' && !d.durabilityOutcome && d.durabilityDueOn && compareDays(d.durabilityDueOn, asOf) <= 0)
    .sort((a, b) => compareDays(a.durabilityDueOn!, b.durabilityDueOn!) || byReference(a, b));
  const claimCounts = protectTable(
    {
      rows: ['Awaiting endorsement', 'Awaiting validation', 'Durability reviews due'],
      cols: ['Claims'],
      cells: [[claims.filter((d) => d.status === 'submitted').length], [claims.filter((d) => d.status === 'endorsed').length], [due.length]],
      kind: 'count',
      withTotals: false,
    },
    rules,
  );
  sections.push({
    id: 'claims',
    title: 'Claims awaiting validation and durability reviews due',
    notes: ['Claims are validated by a validator independent of the claiming unit. A durability review falls due six months after validation.'],
    tables: [
      fromProtected(claimCounts, { id: 'claim_counts', title: 'Counts', rowHeading: 'Queue' }),
      listTable(
        'claims_awaiting',
        'Claims awaiting endorsement or validation',
        [col('reference', 'Claim'), col('network', 'Network'), col('group', 'Business group'), col('level', 'Claimed level'), col('status', 'Awaiting'), col('submitted', 'Submitted', 'date'), col('endorsed', 'Endorsed', 'date')],
        claims.map((d) => [
          textCell(d.reference),
          textCell(networkLabel(d)),
          textCell(d.claimingBusinessGroup),
          textCell(DISRUPTION_LEVEL_LABELS[d.claimedLevel]),
          textCell(d.status === 'submitted' ? 'Endorsement' : 'Validation'),
          dateCell(d.submittedOn),
          dateCell(d.endorsedOn),
        ]),
        'No claims are waiting.',
      ),
      listTable(
        'durability_due',
        'Durability reviews due',
        [col('reference', 'Claim'), col('network', 'Network'), col('level', 'Validated level'), col('validated', 'Validated', 'date'), col('due', 'Review due', 'date'), col('days', 'Days overdue', 'count')],
        due.map((d) => [
          textCell(d.reference),
          textCell(networkLabel(d)),
          textCell(DISRUPTION_LEVEL_LABELS[d.level]),
          dateCell(d.validatedOn),
          dateCell(d.durabilityDueOn),
          numberCell(daysFrom(d.durabilityDueOn!, asOf)),
        ]),
        'No durability reviews are due.',
      ),
    ],
  });

  /* ---- Intelligence gaps ------------------------------------------------------------------------ */

  // Listed: networks whose score reaches Band C or higher, where the missing intelligence matters
  // to the matrix; every Low-confidence network on the matrix is counted by band.
  const lowConfidence = onMatrix.filter((n) => n.confidence === 'low');
  const gapCounts = protectTable({ rows: BANDS.map((b) => BAND_LABELS[b]), cols: ['Networks'], cells: bandCounts(lowConfidence.map((n) => n.band)), kind: 'count', withTotals: true }, rules);
  sections.push({
    id: 'intelligence_gaps',
    title: 'Intelligence gaps',
    notes: [
      'Low confidence: no convicted offence in the window and no item graded source 1–2 with intelligence A–B. Low confidence caps the band at B: intelligence development required.',
    ],
    tables: [
      fromProtected(gapCounts, { id: 'low_confidence_by_band', title: 'Low-confidence networks on the matrix, by band', rowHeading: 'Band', omitRowTotals: true, totalRowLabel: 'All bands' }),
      listTable(
        'low_confidence',
        `Low-confidence networks scoring ${BAND_THRESHOLDS.C} or more`,
        [col('reference', 'Reference'), col('status', 'Status'), col('score', 'Score', 'score'), col('band', 'Band'), col('capped', 'Capped by low confidence'), col('review', 'Next review', 'date')],
        src.networks
          .filter((n) => n.status !== 'archived' && n.confidence === 'low' && n.score >= BAND_THRESHOLDS.C)
          .sort(byScore)
          .map((n) => [
            textCell(n.reference),
            textCell(statusLabel(n.status)),
            scoreCell(n.score),
            textCell(BAND_LABELS[n.band]),
            textCell(bandForScore(n.score) === 'A' && n.band !== 'A' ? 'Yes: would be Band A' : 'No'),
            dateCell(n.nextReviewOn),
          ]),
        `No network scoring ${BAND_THRESHOLDS.C} or more is at Low confidence.`,
        ['Networks on the matrix and proposals, highest score first.'],
      ),
    ],
  });

  /* ---- Exceptions ------------------------------------------------------------------------------ */

  const live = src.networks.filter((n) => n.status !== 'archived');
  const overdue = live.filter((n) => compareDays(n.nextReviewOn, asOf) < 0).sort((a, b) => compareDays(a.nextReviewOn, b.nextReviewOn) || byReference(a, b));
  // An override is expired from the day after its expiry date (main/domain/scoring.ts); the pack
  // lists those that lapsed since the last meeting (all of them when there was none).
  const expired = live
    .filter((n) => n.override && compareDays(n.override.expiresOn, asOf) < 0 && (!previous || compareDays(addDays(n.override.expiresOn, 1), previous.heldOn) > 0))
    .sort(byReference);
  const withChildren = onMatrix.filter((n) => n.under18Links > 0);
  const under18Counts = protectTable({ rows: BANDS.map((b) => BAND_LABELS[b]), cols: ['Networks'], cells: bandCounts(withChildren.map((n) => n.band)), kind: 'count', withTotals: true }, rules);
  const under18 = withChildren.filter((n) => n.band === 'A' || n.band === 'B').sort(byScore);
  sections.push({
    id: 'exceptions',
    title: 'Exceptions',
    notes: [],
    tables: [
      listTable(
        'overdue_reviews',
        'Overdue network reviews',
        [col('reference', 'Reference'), col('band', 'Band'), col('due', 'Review due', 'date'), col('days', 'Days overdue', 'count')],
        overdue.map((n) => [textCell(n.reference), textCell(BAND_LABELS[n.band]), dateCell(n.nextReviewOn), numberCell(daysFrom(n.nextReviewOn, asOf))]),
        'No network review is overdue.',
      ),
      listTable(
        'expired_overrides',
        previous ? 'Band overrides expired since the last meeting' : 'Expired band overrides',
        [col('reference', 'Reference'), col('override', 'Override band'), col('until', 'In force until', 'date'), col('band', 'Band now')],
        expired.map((n) => [textCell(n.reference), textCell(BAND_LABELS[n.override!.band]), dateCell(n.override!.expiresOn), textCell(BAND_LABELS[n.band])]),
        'No band override has expired.',
      ),
      fromProtected(under18Counts, {
        id: 'under_18_by_band',
        title: 'Networks on the matrix with under-18 links, by band',
        rowHeading: 'Band',
        omitRowTotals: true,
        totalRowLabel: 'All bands',
        notes: ['Current member links to people under 18 on the as-of date. A victim / at-risk link is held for safeguarding and never scores.'],
      }),
      listTable(
        'under_18_links',
        'Band A and B networks with under-18 links',
        [col('reference', 'Reference'), col('band', 'Band'), col('links', 'Under-18 links', 'count'), col('victims', 'Of which victim / at risk', 'count')],
        under18.map((n) => [textCell(n.reference), textCell(BAND_LABELS[n.band]), displayCell(protectCount(n.under18Links, rules)), displayCell(protectCount(n.under18VictimLinks, rules))]),
        'No Band A or B network has a current link to anyone under 18.',
        ['The networks the meeting owns; counts per network are disclosure-controlled.'],
      ),
    ],
  });

  /* ---- Disruptions in the last 12 months (table and chart) --------------------------------------- */

  const range = { from: addMonths(`${asOf.slice(0, 7)}-01`, -11), to: asOf };
  const months = eventsByMonth(countingRecords(src.disruptions), range);
  const events = protectTable(
    { rows: months.map((m) => m.label), cols: DISRUPTING_LEVELS.map((l) => DISRUPTION_LEVEL_LABELS[l]), cells: months.map((m) => DISRUPTING_LEVELS.map((l) => m.counts[l])), kind: 'count', withTotals: true },
    rules,
  );
  sections.push({
    id: 'disruptions',
    title: 'Disruption events in the last 12 months',
    notes: [`Validated disruption events from ${formatUkDate(range.from)} to ${formatUkDate(range.to)}, by month of validation and level (counting rule set count-1, as in the corporate return).`],
    tables: [fromProtected(events, { id: 'events_by_month', title: 'Disruption events, by month and level', rowHeading: 'Month', totalColumnLabel: 'All levels', totalRowLabel: 'Twelve months' })],
  });

  const charts: ReturnCharts = {
    disruptionsPerMonth: months.map((m, r) => {
      const cell = (c: number) => ({ value: events.cells[r]![c]!.isSuppressed ? null : events.cells[r]![c]!.value, text: events.cells[r]![c]!.display });
      return { month: m.month, label: m.label, major: cell(0), moderate: cell(1), minor: cell(2) };
    }),
    networksByBand: BANDS.map((band, i) => ({ band, label: BAND_LABELS[band], value: now.cells[i]![0]!.isSuppressed ? null : now.cells[i]![0]!.value, text: now.cells[i]![0]!.display })),
  };

  return { sections, charts };
}
