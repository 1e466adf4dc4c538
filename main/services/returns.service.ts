/**
 * Returns and exports (docs/specification.md, "Returns and exports", "Every export"; issue 4).
 *
 * - `preview`: the return as protected tables and chart series, for the returns screen. A preview
 *   is a consultation: one 'consult' audit entry. It is not a copy (no copy number).
 * - `exportReturn`: builds the same document with the next copy number for its kind, renders it,
 *   writes it beside the destination under a temporary name, and then, in ONE transaction,
 *   writes the 'disclose' audit entry (who, what, why, recipient) and the export register row
 *   and moves the file to its name (a hard link, which refuses to replace a file that appeared
 *   meanwhile). A failure anywhere leaves neither the file nor the entries; an existing file is
 *   never replaced. The copy prints the audit log's head as it stood just before its own
 *   'disclose' entry (checked again inside that transaction), and the register row records it.
 * - `listExports`: the export register.
 *
 * Who may export which return, and who sees the whole register, are stated once in
 * preload/contract/permissions.ts: the contract lets every exporter call, the kind is checked here
 * with the same function the returns screen asks. Previews are for every user.
 *
 * Every figure leaves through main/domain/disclosure.ts, applied in the builders (main/returns).
 * The corporate return's reads touch no person, name or free text; the meeting pack reads dates of
 * birth only to count under-18 links per network; the network list (the CLI's `networks`) takes
 * network references, names and score figures from the matrix's rows and nothing else.
 *
 * Every copy prints the day after which it must be destroyed (main/domain/export-destruction.ts),
 * and its register row keeps it.
 */
import { networkReviewTimes } from '../store/reviews.repo';
import { randomBytes, createHash, randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  exportInput,
  previewInput,
  RETURN_KIND_LABELS,
  type RULE_NAMES,
  type ExportRegisterRow,
  type ExportResult,
  type ReturnDocument,
  type ReturnFormat,
  type ReturnKind,
  type AuditHeadRef,
} from '../../preload/contract/schemas/returns';
import { readHead } from '../audit/audit';
import { mayExport, seesWholeRegister } from '../../preload/contract/permissions';
import { COUNTING_RULES } from '../domain/counting';
import { addDays, addMonths, compareIsoDates, formatUkDate } from '../../preload/contract/dates';
import { daysFrom } from '../returns/days';
import { RULE_SETS, resolveRuleSet } from '../domain/disclosure';
import { PeriodError, parsePeriod, periodLabel, type Period } from '../../preload/contract/periods';
import { EH_WINDOW_MONTHS, MODEL_ID, recencyDecay, STAGE_FACTORS, type Band, type ConfidenceLevel, type EvidentialStage } from '../domain/scoring';
import type { OffenceExplanation } from '../../preload/contract/schemas/explanation';
import { harmWindows, isHarmPending, sumHarm } from '../domain/disruption-harm';
import { isUnder18 } from '../domain/register-rules';
import { confirmedOffencesAround } from '../store/offences.repo';
import { buildCorporateReturn, corporateTitle, type HarmMeasure } from '../returns/corporate';
import { buildMeetingPack, TOP_OFFENCES, type PackNetwork } from '../returns/meeting-pack';
import { buildNetworkList } from '../returns/network-list';
import { destroyAfterDay } from '../domain/export-destruction';
import { matrixRows } from './matrix-read.service';
import { newFileTarget } from './files';
import type { NetworkReviewFacts } from '../returns/reviews';
import { renderReturn } from '../returns/writers';
import { insertExport, isExportRecorded, listExportRegister, nextCopyNumber } from '../store/exports.repo';
import { snapshotOf } from '../store/meetings.repo';
import { listNetworkIds } from '../store/networks.repo';
import { confirmedOffencesBetween, liveLinksWithBirthDates, listReturnDisruptions, listReturnNetworks, networkReviewEntries, overridesApprovedBefore } from '../store/returns.repo';
import { listStoredScores } from '../store/scores.repo';
import { readSettings } from '../store/settings.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { meetingBefore } from './meetings.service';
import { referenceData, weightTable } from './reference.service';
import { computeScoreSummaries } from './scoring.service';
import type { Session } from './session';
import { ukDayStartUtc, ukToday } from '../../preload/contract/uk-time';

const FORMAT_LABELS: Record<ReturnFormat, string> = { csv: 'CSV', xlsx: 'XLSX', json: 'JSON', pdf: 'PDF' };

export interface ReturnRequest {
  kind: ReturnKind;
  period?: string;
  asOf?: string;
  rules: (typeof RULE_NAMES)[number];
}

/* ---- Reading the vault ------------------------------------------------------------------------ */

/**
 * The UK calendar day of a stored instant, as uk-time.ts ukToday gives it, with the formatter made
 * once: ukToday builds a new Intl formatter per call, which costs more than everything else when
 * it runs for every network and every review entry of a force-scale vault.
 */
const ukDayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });
export function ukDayOf(iso: string): string {
  return ukDayFormat.format(new Date(iso));
}

interface DayScore {
  score: number;
  ehPts: number;
  ahPts: number;
  capPts: number;
  band: Band;
  confidence: ConfidenceLevel;
  offences: OffenceExplanation[] | null;
}

/**
 * Every network's score as of a day: the stored score where it is as of that day, otherwise
 * scored for that day in memory (nothing stored), as the matrix screen does.
 */
function scoresOn(db: Db, day: string): Map<string, DayScore> {
  const out = new Map<string, DayScore>();
  for (const x of listStoredScores(db)) {
    if (x.asOf === day) out.set(x.networkId, { score: x.score, ehPts: x.ehPts, ahPts: x.ahPts, capPts: x.capPts, band: x.effectiveBand as Band, confidence: x.confidence as ConfidenceLevel, offences: null });
  }
  const all = listNetworkIds(db);
  const missing = all.filter((id) => !out.has(id));
  if (missing.length > 0) {
    // From the scoring digests, as the stored scores were; the networks the pack takes apart are
    // explained afterwards, like those whose score came from the store.
    for (const [id, h] of computeScoreSummaries(db, missing.length === all.length ? null : missing, day)) {
      out.set(id, { score: h.score, ehPts: h.ehPts, ahPts: h.ahPts, capPts: h.capPts, band: h.effectiveBand as Band, confidence: h.confidence as ConfidenceLevel, offences: null });
    }
  }
  return out;
}

/**
 * Days on which each network's review was recorded: the reviews table (migration 0100), and the
 * audit log's one-click entries from before it ("Network <reference> reviewed").
 */
function reviewDays(db: Db, references: Map<string, string>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const entries: [string, string][] = [];
  for (const [id, at, summary] of networkReviewEntries(db)) if (summary === `Network ${references.get(id)} reviewed`) entries.push([id, at]);
  entries.push(...networkReviewTimes(db));
  for (const [id, at] of entries) {
    const days = out.get(id);
    const day = ukDayOf(at);
    if (days) days.push(day);
    else out.set(id, [day]);
  }
  return out;
}

/**
 * Harm before and after (main/domain/disruption-harm.ts) for many networks: the same windows and
 * sums as disruptions.service harmBeforeAfter (the tests hold the two equal), with the weights
 * read once instead of once per network.
 */
export function harmMeasurer(db: Db, today: string): (networkId: string, from: string, to: string) => HarmMeasure {
  const weights = weightTable().weights;
  return (networkId, activityStart, activityEnd) => {
    const w = harmWindows(activityStart, activityEnd);
    // A pending network's figures are not published (only measured networks are summed): no query.
    if (isHarmPending(w, today)) return { before: 0, after: null, isPending: true };
    const { before, after } = sumHarm(confirmedOffencesAround(db, networkId, w), weights, w);
    return { before, after, isPending: false };
  };
}

/**
 * The largest contributions to evidenced harm (main/domain/scoring.ts explanation offences) for
 * the networks given, as of a day, without scoring them: confirmed offences in the 36-month window
 * at a stage that scores, w × s × d exactly as the scorer computes it, the `keep` largest per
 * network. The meeting pack shows only those, and scoring nearly a thousand Band A and B networks
 * again for them would cost seconds at force scale. The tests hold these equal to the explanation.
 */
function topContributions(db: Db, ids: readonly string[], asOf: string, keep: number): Map<string, OffenceExplanation[]> {
  const out = new Map<string, OffenceExplanation[]>();
  if (ids.length === 0) return out;
  const weights = weightTable().weights;
  const scoring = (Object.keys(STAGE_FACTORS) as EvidentialStage[]).filter((st) => STAGE_FACTORS[st] > 0);
  const rows = confirmedOffencesBetween(db, ids, addMonths(asOf, -EH_WINDOW_MONTHS), asOf, scoring);
  const byContribution = (a: OffenceExplanation, b: OffenceExplanation) => b.contribution - a.contribution;
  for (const [networkId, id, category, date, stage, weapon] of rows) {
    const w = weights[category] ?? 0;
    const s = STAGE_FACTORS[stage];
    const ageDays = daysFrom(date, asOf);
    const d = recencyDecay(ageDays);
    const contribution = w * s * d;
    let list = out.get(networkId);
    if (!list) out.set(networkId, (list = []));
    if (list.length === keep && contribution <= list[keep - 1]!.contribution) continue;
    list.push({ id, category, date, stage, weapon, isHomicide: category === 'homicide', w, s, d, ageDays, contribution, isInWindow: true, isIncluded: true, exclusion: null, reason: 'Counted.' });
    list.sort(byContribution);
    if (list.length > keep) list.pop();
  }
  return out;
}

/* ---- Building ------------------------------------------------------------------------------------ */

function requestedPeriod(text: string | undefined, today: string): Period {
  let period: Period;
  try {
    period = parsePeriod(text ?? '');
  } catch (e) {
    if (e instanceof PeriodError) throw new VaultError('invalid_input', e.message);
    throw e;
  }
  if (compareIsoDates(period.from, today) > 0) throw new VaultError('invalid_input', `The period ${periodLabel(period)} has not started yet.`);
  return period;
}

function requestedAsOf(asOf: string | undefined, today: string): string {
  const day = asOf ?? today;
  if (compareIsoDates(day, today) > 0) throw new VaultError('invalid_input', 'A meeting pack cannot be as of a future date.');
  return day;
}

/**
 * The document for a request, with `copyNumber` and the audit head it prints (both null for a
 * preview). Reads only; writes nothing.
 */
export function buildReturn(s: Session, req: ReturnRequest, copyNumber: number | null, auditHead: AuditHeadRef | null = null): ReturnDocument {
  const user = s.requireUser();
  const db = s.requireVault().db;
  const now = s.ctx.now();
  const today = ukToday(now);
  const rules = resolveRuleSet(req.rules);
  const table = weightTable();
  const common = {
    generatedAt: now.toISOString(),
    generatedBy: user.name,
    model: MODEL_ID,
    weightTable: { id: table.id, version: table.version },
    ruleSet: { id: rules.id, version: rules.version, description: RULE_SETS[rules.id].description },
    countingRules: { id: COUNTING_RULES.id, description: COUNTING_RULES.description },
    marking: readSettings(db).marking,
    copyNumber,
    auditHead,
    // A copy is kept no longer than this; a preview is not a copy.
    destroyAfter: copyNumber === null ? null : destroyAfterDay(today),
  };

  if (req.kind === 'network_list') {
    const asOf = req.asOf ?? today;
    // The matrix's rows as the matrix screen computes them; the list keeps references, names and
    // score figures only (../returns/network-list.ts), and records no consultation of its own:
    // the export's 'disclose' entry says what left.
    const build = buildNetworkList(matrixRows(s, req.asOf), asOf);
    return {
      header: {
        kind: 'network_list',
        title: `Network list as of ${formatUkDate(asOf)}`,
        periodId: null,
        periodLabel: null,
        periodFrom: null,
        periodTo: null,
        asOf,
        previousMeeting: null,
        ...common,
        // A list of records counts nothing.
        countingRules: null,
      },
      sections: build.sections,
      charts: build.charts,
    };
  }

  if (req.kind === 'corporate') {
    const period = requestedPeriod(req.period, today);
    // The matrix as it stands when the return is made, exactly as the matrix screen shows it:
    // stored scores where they are as of today, the rest scored for today in memory. Scoring every
    // network as of another day (the period's end) costs seconds at force scale, and a monthly
    // return made just after the month ends would pay it every time; so a return for a past period
    // shows today's matrix beside that period's disruptions, and its notes say so.
    const populationAsOf = today;
    const networks = listReturnNetworks(db);
    const scores = scoresOn(db, today);
    const references = new Map(networks.map((n) => [n.id, n.reference]));
    const reviewed = reviewDays(db, references);
    const build = buildCorporateReturn({
      period,
      today,
      populationAsOf,
      rules: rules.id,
      disruptions: listReturnDisruptions(db, true),
      networks: networks.map((n) => ({ id: n.id, status: n.status, type: n.type, businessGroup: n.businessGroup, band: scores.get(n.id)?.band ?? 'below_threshold' })),
      reviews: networks.map(
        (n): NetworkReviewFacts => ({ networkId: n.id, status: n.status, enteredOn: ukDayOf(n.createdAt), reviewedOn: reviewed.get(n.id) ?? [], nextReviewOn: n.nextReviewOn }),
      ),
      harmOf: harmMeasurer(db, today),
    });
    return {
      header: {
        kind: 'corporate',
        title: corporateTitle(period),
        periodId: period.id,
        periodLabel: periodLabel(period),
        periodFrom: period.from,
        periodTo: period.to,
        asOf: populationAsOf,
        previousMeeting: null,
        ...common,
      },
      sections: build.sections,
      charts: build.charts,
    };
  }

  const asOf = requestedAsOf(req.asOf, today);
  const networks = listReturnNetworks(db);
  const scores = scoresOn(db, asOf);
  // The Band A and B tables need each score's offences: explain the ones that came from the store.
  const needExplaining = networks
    .filter((n) => (n.status === 'active' || n.status === 'dormant') && ['A', 'B'].includes(scores.get(n.id)?.band ?? '') && scores.get(n.id)?.offences === null)
    .map((n) => n.id);
  // The pack breaks ties by date and category; keeping a few more than it shows lets it do so.
  const explained = topContributions(db, needExplaining, asOf, TOP_OFFENCES + 5);
  for (const id of needExplaining) scores.get(id)!.offences = explained.get(id) ?? [];
  const labels = new Map(referenceData().weights[table.id]!.weights.map((w) => [w.category, w.label]));
  const under18 = new Map<string, { all: number; victims: number }>();
  for (const [networkId, role, dob] of liveLinksWithBirthDates(db)) {
    if (!isUnder18(dob, asOf)) continue;
    const c = under18.get(networkId) ?? { all: 0, victims: 0 };
    c.all++;
    if (role === 'victim_at_risk') c.victims++;
    under18.set(networkId, c);
  }
  const overrides = new Map<string, { band: Band; expiresOn: string }>();
  // The most recent approved override approved by the end of the as-of day, as scoring takes it.
  for (const [networkId, band, expiresOn] of overridesApprovedBefore(db, ukDayStartUtc(addDays(asOf, 1)).toISOString())) {
    overrides.set(networkId, { band, expiresOn });
  }
  const packNetworks: PackNetwork[] = networks.map((n) => {
    const sc = scores.get(n.id);
    const u = under18.get(n.id);
    return {
      id: n.id,
      reference: n.reference,
      status: n.status,
      type: n.type,
      businessGroup: n.businessGroup,
      unit: n.unit,
      leadOfficer: n.leadOfficer,
      planStatus: n.planStatus,
      nextReviewOn: n.nextReviewOn,
      createdOn: ukDayOf(n.createdAt),
      score: sc?.score ?? 0,
      ehPts: sc?.ehPts ?? 0,
      ahPts: sc?.ahPts ?? 0,
      capPts: sc?.capPts ?? 0,
      band: sc?.band ?? 'below_threshold',
      confidence: sc?.confidence ?? 'low',
      offences: (sc?.offences ?? []).map((o) => ({ category: o.category, label: labels.get(o.category) ?? o.category, date: o.date, stage: o.stage as EvidentialStage, contribution: o.contribution, isIncluded: o.isIncluded })),
      under18Links: u?.all ?? 0,
      under18VictimLinks: u?.victims ?? 0,
      override: overrides.get(n.id) ?? null,
    };
  });
  const meeting = meetingBefore(db, asOf);
  const build = buildMeetingPack({
    asOf,
    rules: rules.id,
    networks: packNetworks,
    disruptions: listReturnDisruptions(db, false),
    previous: meeting ? { heldOn: meeting.heldOn, snapshot: snapshotOf(db, meeting.id) } : null,
  });
  return {
    header: {
      kind: 'meeting_pack',
      title: `Prioritisation meeting pack as of ${formatUkDate(asOf)}`,
      periodId: null,
      periodLabel: null,
      periodFrom: null,
      periodTo: null,
      asOf,
      previousMeeting: meeting?.heldOn ?? null,
      ...common,
    },
    sections: build.sections,
    charts: build.charts,
  };
}

function describe(doc: ReturnDocument): string {
  return doc.header.kind === 'corporate' ? `${RETURN_KIND_LABELS.corporate} ${doc.header.periodId}` : `${RETURN_KIND_LABELS[doc.header.kind]} as of ${doc.header.asOf}`;
}

/** Why a role may not export a kind: the reasons of preload/contract/permissions.ts EXPORTERS. */
const NOT_AN_EXPORTER: Record<ReturnKind, string> = {
  corporate: 'Administrators do not export returns: the corporate return is exported by analysts, supervisors, validators and read-only (performance) users.',
  meeting_pack: 'The meeting pack is exported by analysts and supervisors.',
  network_list: 'The network list is exported by analysts and supervisors.',
};

/* ---- Preview ------------------------------------------------------------------------------------- */

export function preview(s: Session, input: unknown): ReturnDocument {
  const req: ReturnRequest = previewInput.parse(input);
  const doc = buildReturn(s, req, null);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'return', entityId: null, summary: `${describe(doc)} previewed (${doc.header.ruleSet.id} rules)` }));
  return doc;
}

/* ---- Export -------------------------------------------------------------------------------------- */

/** Exports in one session run one at a time, so each copy number is taken once. */
const queues = new WeakMap<Session, Promise<unknown>>();

function serialised<T>(s: Session, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(s) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  queues.set(
    s,
    next.catch(() => undefined),
  );
  return next;
}

function writeNew(path: string, data: Buffer): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Give the finished temporary file its name without ever replacing a file: a hard link fails if
 * the name exists. Some removable media (FAT, exFAT) have no hard links; there the name is
 * checked and the file renamed, which leaves only a moment in which another program could create it.
 */
function placeFile(temp: string, path: string): void {
  try {
    linkSync(temp, path);
    unlinkSync(temp);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new VaultError('exists', 'A file with that name appeared while the return was being written; nothing was saved. Choose a new name.');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    if (existsSync(path)) throw new VaultError('exists', 'A file with that name appeared while the return was being written; nothing was saved. Choose a new name.');
    renameSync(temp, path);
  }
  try {
    // Make the new name durable (POSIX); a folder cannot be opened this way on Windows.
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // Best effort only: the file's own data was synced before it was named.
  }
}

/**
 * Export a return: see the module comment. Resolves with where it went, its size, its SHA-256
 * and its copy number; rejects with a VaultError (nothing written) when it cannot be done.
 */
export async function exportReturn(s: Session, input: unknown): Promise<ExportResult> {
  const req = exportInput.parse(input);
  const user = s.requireUser();
  if (!mayExport(user.role, req.kind)) throw new VaultError('forbidden', NOT_AN_EXPORTER[req.kind]);
  const path = newFileTarget(s.ctx.documentsDir, req.path, 'An export');
  return serialised(s, async () => {
    // Rendering takes time and lets other calls in: should one add an audit entry meanwhile, the
    // printed head is no longer the one just before this copy's entry, so the copy is made again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await exportOnce(s, req, path, user);
      } catch (e) {
        if (!(e instanceof AuditHeadMoved) || attempt === 3) throw e;
      }
    }
  });
}

class AuditHeadMoved extends VaultError {
  constructor() {
    super('conflict', 'The audit log moved on while the return was being written, so the head printed in it would not have been the last entry before its disclosure; nothing was saved. Try again.');
  }
}

async function exportOnce(s: Session, req: ReturnType<typeof exportInput.parse>, path: string, user: ReturnType<Session['requireUser']>): Promise<ExportResult> {
  const kind = req.kind;
  const vault = s.requireVault();
  const copyNumber = nextCopyNumber(vault.db, kind);
  // The head the copy prints: checked again below, inside the transaction, just before its own entry.
  const head = readHead(vault.db);
  const auditHead: AuditHeadRef = { vaultId: vault.vaultId, seq: head.seq, hash: head.hash };
  const doc = buildReturn(s, { kind, period: req.period, asOf: req.asOf, rules: req.rules }, copyNumber, auditHead);
  const destroyAfter = doc.header.destroyAfter!;
  const data = await renderReturn(doc, req.format);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const fileName = basename(path);
  // Beside the destination, so the final move is a rename within one folder (one file system).
  const temp = join(dirname(path), `.${fileName}.${randomBytes(6).toString('hex')}.partial`);
  const registerId = randomUUID();
  let isPlaced = false;
  try {
    writeNew(temp, data);
    s.write((db, audit) => {
      if (nextCopyNumber(db, kind) !== copyNumber) throw new VaultError('conflict', 'Another export took this copy number; nothing was saved. Try again.');
      const now = readHead(db);
      if (now.seq !== head.seq || now.hash !== head.hash) throw new AuditHeadMoved();
      const at = s.ctx.now().toISOString();
      insertExport(db, {
        id: registerId,
        at,
        userId: user.id,
        userName: user.name,
        kind,
        period: doc.header.periodId ?? doc.header.asOf,
        format: req.format,
        ruleSet: doc.header.ruleSet.id,
        purpose: req.purpose,
        recipient: req.recipient,
        copyNumber,
        fileName,
        bytes: data.length,
        sha256,
        auditHeadSeq: head.seq,
        auditHeadHash: head.hash,
        destroyAfter,
      });
      audit({
        action: 'disclose',
        entityType: 'export',
        entityId: registerId,
        summary: `${describe(doc)} exported as ${FORMAT_LABELS[req.format]}, copy ${copyNumber} (${doc.header.ruleSet.id} rules), file ${fileName}, to ${req.recipient}`,
        justification: req.purpose,
      });
      // Last, so that anything above failing leaves no file; if this fails, the entries roll back.
      placeFile(temp, path);
      isPlaced = true;
    });
  } catch (e) {
    // Keep the file only if its entries were committed (a failure after the commit).
    const isCommitted = s.vault?.isOpen === true && isExportRecorded(s.vault.db, registerId);
    if (isPlaced && !isCommitted) rmSync(path, { force: true });
    throw e instanceof VaultError ? e : ioError(e);
  } finally {
    rmSync(temp, { force: true });
  }
  return { path, fileName, kind, format: req.format, bytes: data.length, sha256, copyNumber, destroyAfter };
}

function ioError(e: unknown): Error {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    const reason: Record<string, string> = { ENOSPC: 'the disk is full', EACCES: 'permission was refused', EPERM: 'permission was refused', EROFS: 'the disk is read-only', ENOENT: 'the folder is no longer there' };
    return new VaultError('io_error', `The file could not be written (${reason[code] ?? code}); nothing was saved and nothing was recorded.`);
  }
  return e as Error;
}

/* ---- Register ------------------------------------------------------------------------------------ */

export function listExports(s: Session): ExportRegisterRow[] {
  const user = s.requireUser();
  const db = s.requireVault().db;
  const isOversight = seesWholeRegister(user.role);
  const rows = listExportRegister(db, isOversight ? null : user.id);
  s.write((_db, audit) => audit({ action: 'consult', entityType: 'export_register', entityId: null, summary: isOversight ? 'Export register viewed' : 'Own exports viewed' }));
  return rows;
}
