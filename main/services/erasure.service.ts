/**
 * Erasure (DPA 2018 s.47; docs/specification.md, "Governance the software enforces"). A supervisor
 * or administrator erases a person, a member link, a flag, an offence, an intelligence item, a
 * network or a draft disruption claim, with a reason. What goes with each is the cascade in
 * store/erasure.repo.ts; the plan shows it before anything changes.
 *
 * One erasure is one transaction: the rows, the meeting snapshot placeholders and the export
 * register's references, the score history of every network touched recomputed from the rows that
 * remain, those networks rescored (their digests and `network_offences` rebuilt by the triggers and
 * the rescore), the erasures register row and the 'erase' audit entry (ids, references and counts;
 * the reason as its justification). Then the WAL is checkpointed and truncated: with secure_delete
 * set at every open (vault/database.ts) the erased bytes survive in no free page and no log.
 *
 * The workstation keeps the ids of every erasure (vault/erased-ids.ts), so a restore of an older
 * backup re-applies each one the restored copy lacks (`reapplyErasures`, called by the restore).
 */
import { randomUUID } from 'node:crypto';
import type { EraseCounts, EraseResult, ErasePlan, ErasureRow } from '../../preload/contract';
import { ERASE_COUNT_WORDS, eraseInput, eraseTarget } from '../../preload/contract';
import { ERASERS } from '../../preload/contract/permissions';
import { ERASE_KIND_LABELS, type EraseKind } from '../../preload/contract/vocabulary';
import { formatUkDate } from '../../preload/contract/dates';
import { ukToday } from '../../preload/contract/uk-time';
import {
  cascadeOf,
  citationsOf,
  emptyRows,
  ERASE_ROW_KEYS,
  eraseRows,
  erasureIds,
  existingRows,
  findTarget,
  historyOf,
  insertErasure,
  listErasures as listErasureEntries,
  networksTouched,
  referencesOf,
  registerRowsNaming,
  rewriteHistory,
  snapshotRowsOf,
  type EraseRows,
  type EraseTarget,
} from '../store/erasure.repo';
import { checkpointLog, type Db } from '../vault/database';
import { addErasedIds, readErasedIds, type ErasedIdsEntry } from '../vault/erased-ids';
import { VaultError } from '../vault/errors';
import { forgetConsultationReasons } from './consultation.service';
import { computeScoreSummaries, rescoreNetworks } from './scoring.service';
import type { AuditFn, Session } from './session';

/** The audit log's entity type for each kind erased (the names the other entries use). */
const ENTITY: Readonly<Record<EraseKind, string>> = {
  person: 'person',
  link: 'membership',
  flag: 'gang_flag',
  offence: 'offence',
  intelligence: 'intelligence',
  network: 'network',
  claim: 'disruption',
};


/** "1 person, 3 member links, 2 flags; 2 networks rescored; …": what goes, in numbers only. */
export function describeErasure(c: EraseCounts, networksRescored: number): string {
  const what = ERASE_COUNT_WORDS.filter(([k]) => c[k] > 0).map(([k, one, many]) => `${c[k]} ${c[k] === 1 ? one : many}`);
  const parts = [what.join(', ') || 'nothing'];
  if (networksRescored > 0) parts.push(`${networksRescored} ${networksRescored === 1 ? 'network' : 'networks'} rescored`);
  if (c.snapshotPlaceholders > 0) parts.push(`${c.snapshotPlaceholders} meeting snapshot ${c.snapshotPlaceholders === 1 ? 'row' : 'rows'} left as an erased placeholder`);
  if (c.registerRows > 0) parts.push(`${c.registerRows} export register ${c.registerRows === 1 ? 'row loses' : 'rows lose'} the reference`);
  return parts.join('; ');
}

function requireEraser(s: Session): { id: string; role: string } {
  const user = s.requireUser();
  if (!(ERASERS as readonly string[]).includes(user.role)) throw new VaultError('forbidden', 'Only a supervisor or an administrator can erase a record.');
  return user;
}

interface Planned {
  target: EraseTarget;
  rows: EraseRows;
  references: string[];
  touched: string[];
  counts: EraseCounts;
}

function countsOf(db: Db, rows: EraseRows, references: readonly string[]): EraseCounts {
  return {
    people: rows.people.length,
    memberships: rows.memberships.length,
    flags: rows.flags.length,
    intelligence: rows.intelligence.length,
    citations: citationsOf(db, rows.intelligence),
    offences: rows.offences.length,
    offenceLinks: rows.offenceLinks.length,
    networks: rows.networks.length,
    overrides: rows.overrides.length,
    disruptions: rows.disruptions.length,
    snapshotPlaceholders: snapshotRowsOf(db, rows.networks),
    registerRows: registerRowsNaming(db, references),
  };
}

function planIn(db: Db, kind: EraseKind, ref: string): Planned {
  const target = findTarget(db, kind, ref);
  if (!target) throw new VaultError('not_found', `There is no ${ERASE_KIND_LABELS[kind].toLowerCase()} with that reference or id.`);
  if (kind === 'claim' && target.status !== 'draft') {
    throw new VaultError('conflict', 'Only a draft disruption claim can be erased: this claim has been submitted, and a submitted claim is the record of its workflow.');
  }
  const rows = cascadeOf(db, kind, target.id);
  const references = referencesOf(db, rows);
  return { target, rows, references, touched: networksTouched(db, rows), counts: countsOf(db, rows, references) };
}

function planOutput(kind: EraseKind, p: Planned): ErasePlan {
  return { kind, recordId: p.target.id, reference: p.target.reference, counts: p.counts, networksRescored: p.touched.length, summary: describeErasure(p.counts, p.touched.length) };
}

/** What erasing the record would take. Changes nothing and writes nothing. */
export function planErasure(s: Session, input: unknown): ErasePlan {
  const d = eraseTarget.parse(input);
  requireEraser(s);
  const p = planIn(s.requireVault().db, d.kind, d.ref);
  return planOutput(d.kind, p);
}

/** A reason outlives the record: it must not repeat the person's name or date of birth, or the network's name. */
function checkReason(reason: string, target: EraseTarget): void {
  const text = reason.toLowerCase();
  if (target.words.some((w) => w.trim().length >= 3 && text.includes(w.trim().toLowerCase()))) {
    throw new VaultError('invalid_input', 'The reason is kept after the record has gone, so it must not give the name or the date of birth of what is erased. Describe why without them.');
  }
}

/**
 * Score history of the networks touched, recomputed from the rows that remain: each row as of its
 * own day and weight table, exactly what scoring those rows on that day gives.
 */
function recomputeHistory(db: Db, networks: readonly string[]): void {
  if (networks.length === 0) return;
  const groups = new Map<string, { asOf: string; tableId: string; points: { id: number; networkId: string }[] }>();
  for (const h of historyOf(db, networks)) {
    const key = `${h.asOf}|${h.weightTableId}`;
    const g = groups.get(key) ?? { asOf: h.asOf, tableId: h.weightTableId, points: [] };
    g.points.push({ id: h.id, networkId: h.networkId });
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const scores = computeScoreSummaries(db, [...new Set(g.points.map((p) => p.networkId))], g.asOf, g.tableId);
    for (const p of g.points) {
      const x = scores.get(p.networkId);
      if (x) rewriteHistory(db, p.id, { model: x.model, weightTableVersion: x.weightTableVersion, score: x.score, ehPts: x.ehPts, ahPts: x.ahPts, capPts: x.capPts, band: x.band, effectiveBand: x.effectiveBand, confidence: x.confidence });
    }
  }
}

/** The rows' effects beyond their tables: history recomputed, then the networks rescored as of today. */
function settleScores(s: Session, db: Db, touched: readonly string[]): void {
  if (touched.length === 0) return;
  recomputeHistory(db, touched);
  rescoreNetworks(db, [...touched], ukToday(s.ctx.now()), s.ctx.now());
}

function entryRows(rows: EraseRows): Record<string, string[]> {
  return Object.fromEntries(ERASE_ROW_KEYS.map((k) => [k, rows[k]]));
}

/** After the commit: the workstation's list, the forgotten consultation reasons, the log checkpointed. */
function afterCommit(s: Session, entries: ErasedIdsEntry[]): boolean {
  const vault = s.requireVault();
  addErasedIds(s.ctx.stateDir, vault.vaultId, vault.auditKey, entries);
  forgetConsultationReasons(vault, entries.flatMap((e) => [e.recordId, ...Object.values(e.rows).flat()]));
  return checkpointLog(vault.db);
}

/** Erase the record and everything that goes with it, in one transaction with its audit entry. */
export function confirmErasure(s: Session, input: unknown): EraseResult {
  const d = eraseInput.parse(input);
  const user = requireEraser(s);
  const erasureId = randomUUID();
  const erasedAt = s.ctx.now().toISOString();
  const done = s.write((db, audit) => {
    const p = planIn(db, d.kind, d.ref);
    checkReason(d.reason, p.target);
    const counts = eraseRows(db, p.rows, p.references);
    settleScores(s, db, p.touched);
    const summary = describeErasure(counts, p.touched.length);
    insertErasure(db, { id: erasureId, kind: d.kind, recordId: p.target.id, reference: p.target.reference, erasedAt, reason: d.reason, erasedBy: user.id, counts: { ...counts }, rows: p.rows, reappliedAt: null });
    audit({
      action: 'erase',
      entityType: ENTITY[d.kind],
      entityId: p.target.id,
      summary: `Erased ${ERASE_KIND_LABELS[d.kind].toLowerCase()} ${p.target.reference} (erasure ${erasureId}): ${summary}`,
      justification: d.reason,
    });
    return { plan: { ...planOutput(d.kind, p), counts, summary }, rows: p.rows };
  });
  const isLogCheckpointed = afterCommit(s, [{ id: erasureId, kind: d.kind, recordId: done.plan.recordId, erasedAt, erasedBy: user.id, rows: entryRows(done.rows) }]);
  return { ...done.plan, erasureId, erasedAt, isLogCheckpointed };
}

/* ---- Erasures the retention run makes ------------------------------------------------------------ */

/** One record the retention run erases: its kind, id, and the reason (fixed text: ids and periods, never a name). */
export interface RetentionErasure {
  kind: EraseKind;
  id: string;
  reason: string;
}

export interface RetentionErased {
  kind: EraseKind;
  recordId: string;
  reference: string;
  erasureId: string;
  summary: string;
}

/**
 * Erase each record, inside the caller's write transaction, exactly as a confirmed erasure does
 * (the cascade, the snapshot placeholders and register references, the erasures row and its
 * 'erase' entry), then settle the scores of every network touched once. A record already gone
 * (taken by an earlier one's cascade) is skipped. Call `finishRetentionErasures` after the commit.
 */
export function eraseWithin(s: Session, db: Db, audit: AuditFn, items: readonly RetentionErasure[]): { erased: RetentionErased[]; entries: ErasedIdsEntry[] } {
  const user = s.requireUser();
  const erasedAt = s.ctx.now().toISOString();
  const touched = new Set<string>();
  const gone = new Set<string>();
  const erased: RetentionErased[] = [];
  const entries: ErasedIdsEntry[] = [];
  for (const item of items) {
    const target = findTarget(db, item.kind, item.id);
    if (!target || target.id !== item.id) continue;
    const rows = cascadeOf(db, item.kind, target.id);
    const references = referencesOf(db, rows);
    for (const id of networksTouched(db, rows)) touched.add(id);
    for (const id of rows.networks) gone.add(id);
    const counts = eraseRows(db, rows, references);
    const erasureId = randomUUID();
    const summary = describeErasure(counts, 0);
    insertErasure(db, { id: erasureId, kind: item.kind, recordId: target.id, reference: target.reference, erasedAt, reason: item.reason, erasedBy: user.id, counts: { ...counts }, rows, reappliedAt: null });
    audit({
      action: 'erase',
      entityType: ENTITY[item.kind],
      entityId: target.id,
      summary: `Erased ${ERASE_KIND_LABELS[item.kind].toLowerCase()} ${target.reference} (erasure ${erasureId}) by the retention run: ${summary}`,
      justification: item.reason,
    });
    erased.push({ kind: item.kind, recordId: target.id, reference: target.reference, erasureId, summary });
    entries.push({ id: erasureId, kind: item.kind, recordId: target.id, erasedAt, erasedBy: user.id, rows: entryRows(rows) });
  }
  settleScores(s, db, [...touched].filter((id) => !gone.has(id)).sort());
  return { erased, entries };
}

/** After the retention run's erase step commits: the workstation's list, the consultation reasons, the log checkpointed. */
export function finishRetentionErasures(s: Session, entries: ErasedIdsEntry[]): void {
  if (entries.length > 0) afterCommit(s, entries);
}

/** The erase register, newest first: ids, kinds, dates, reasons and who; never names of the erased. */
export function listErasures(s: Session): ErasureRow[] {
  requireEraser(s);
  return listErasureEntries(s.requireVault().db).map((e) => ({
    id: e.id,
    kind: e.kind,
    recordId: e.recordId,
    reference: e.reference,
    erasedAt: e.erasedAt,
    reason: e.reason,
    erasedBy: e.erasedByName ?? '',
    summary: describeErasure(e.counts as EraseCounts, 0),
    reappliedAt: e.reappliedAt,
  }));
}

/* ---- A restore never resurrects ------------------------------------------------------------------ */

const reappliedBySession = new WeakMap<Session, number>();

function union(a: EraseRows, b: EraseRows): EraseRows {
  const out = emptyRows();
  for (const k of ERASE_ROW_KEYS) out[k] = [...new Set([...a[k], ...b[k]])].sort();
  return out;
}

function asRows(r: Record<string, string[]>): EraseRows {
  const out = emptyRows();
  for (const k of ERASE_ROW_KEYS) out[k] = Array.isArray(r[k]) ? r[k].filter((x) => typeof x === 'string') : [];
  return out;
}

/**
 * Re-apply, in one transaction with their audit entries, every erasure this workstation knows for
 * the open vault that the vault itself does not record (a restore from a backup taken before it).
 * Each goes again as it went: the rows it named that the copy holds, and whatever the cascade from
 * its record finds in the copy. Returns how many were re-applied.
 */
export function reapplyErasures(s: Session): number {
  const vault = s.requireVault();
  const known = readErasedIds(s.ctx.stateDir, vault.vaultId, vault.auditKey).erasures;
  const recorded = erasureIds(vault.db);
  const missing = known.filter((e) => !recorded.has(e.id)).sort((a, b) => a.erasedAt.localeCompare(b.erasedAt) || a.id.localeCompare(b.id));
  reappliedBySession.set(s, 0);
  if (missing.length === 0) return 0;
  const now = s.ctx.now().toISOString();
  s.write((db, audit) => {
    const touched = new Set<string>();
    const erasedNetworks = new Set<string>();
    for (const e of missing) {
      const kind = e.kind as EraseKind;
      if (!(kind in ENTITY)) continue;
      const root = findTarget(db, kind, e.recordId);
      const rows = existingRows(db, union(asRows(e.rows), root && root.id === e.recordId ? cascadeOf(db, kind, root.id) : emptyRows()));
      const references = referencesOf(db, rows);
      for (const id of networksTouched(db, rows)) touched.add(id);
      for (const id of rows.networks) erasedNetworks.add(id);
      const counts = eraseRows(db, rows, references);
      const reference = root?.reference ?? e.recordId;
      const summary = describeErasure(counts, 0);
      insertErasure(db, {
        id: e.id,
        kind,
        recordId: e.recordId,
        reference,
        erasedAt: e.erasedAt,
        reason: `Re-applied at restore: erased on ${formatUkDate(ukToday(new Date(e.erasedAt)))}, after this backup was taken.`,
        erasedBy: e.erasedBy,
        counts: { ...counts },
        rows: union(rows, asRows(e.rows)),
        reappliedAt: now,
      });
      audit({
        action: 'erase',
        entityType: ENTITY[kind],
        entityId: e.recordId,
        summary: `Re-applied at restore erasure ${e.id} of ${ERASE_KIND_LABELS[kind].toLowerCase()} ${reference} (erased ${e.erasedAt.slice(0, 10)}): ${summary}`,
      });
    }
    settleScores(s, db, [...touched].filter((id) => !erasedNetworks.has(id)).sort());
  });
  forgetConsultationReasons(vault, missing.flatMap((e) => [e.recordId, ...Object.values(e.rows).flat()]));
  checkpointLog(vault.db);
  reappliedBySession.set(s, missing.length);
  return missing.length;
}

/** How many erasures this session's last restore re-applied (the command line reports it). */
export function reappliedAtRestore(s: Session): number {
  return reappliedBySession.get(s) ?? 0;
}
