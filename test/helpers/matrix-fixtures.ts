/**
 * Set-up for the matrix tests: an encrypted vault in a temp folder (cheap scrypt), a clock the
 * test sets by hand (so "today", review dates and decay are exact), the four people who act on
 * the matrix, IPC dispatch over the real handlers, and ways to read exactly what was stored:
 * row counts, a fingerprint of every table, audit entries since a point, and stored scores.
 *
 * Acting as someone swaps the session's user (no unlock entry, no scrypt): every user shares the
 * vault's data key, and the services and the IPC role check read only `session.user`.
 */
import { readHead } from '../../main/audit/audit';
import { createDispatch, type Dispatch, type SenderInfo } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import * as M from '../../main/services/matrix.service';
import { computeScores } from '../../main/services/scoring.service';
import type { Session } from '../../main/services/session';
import { addSettledUser } from './user-fixtures';
import type { Db } from '../../main/vault/database';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';
import type { Role, Result } from '../../preload/contract';
import type { IntelligenceDraft, OffenceDraft } from '../../preload/contract/schemas/matrix';
import { ADMIN, ANALYST, SUPERVISOR, createTestVault, removeDir, sha256, slotSigner, type TestVault } from './vault-fixtures';
import type { SigningKey } from '../../main/vault/signing';

/** The test vector (docs/specification.md)'s as-of date, and a clock reading on it (11:00 BST). */
export const AS_OF = '2026-06-30';
export const AS_OF_INSTANT = '2026-06-30T10:00:00.000Z';

/** A second supervisor, to approve what the first one asked for. */
export const SUPERVISOR_2 = { name: 'Fay Supervisor', passphrase: 'quince tundra whistle 28' } as const;

export const APP: SenderInfo = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };

/** Set to an instant; `now` is what the services call. */
export class Clock {
  t: number;
  constructor(iso = AS_OF_INSTANT) {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

export interface Actor {
  id: string;
  name: string;
  role: Role;
}

export interface MatrixWorld {
  tv: TestVault;
  s: Session;
  clock: Clock;
  dispatch: Dispatch;
  admin: Actor;
  analyst: Actor;
  supervisor: Actor;
  supervisor2: Actor;
  db(): Db;
  /** Act as this user from now on (signing with their own slot's key, if the world added them). */
  as(who: Actor): void;
  /** Add a user who has settled their passphrase, as the signed-in user; the world can then act as them. */
  addUser(p: { name: string; passphrase: string }, role: Role, unit?: string): Actor;
  /** Call a channel through the real dispatch, as the current user, from the app's top frame. */
  call(channel: string, payload: unknown): Promise<Result<unknown>>;
  close(): void;
}

/**
 * A vault with an administrator, an analyst and two supervisors, acting as the analyst.
 * `stateDir` moves the workstation's state folder (audit head, selected vault) elsewhere, e.g. to
 * tmpfs for a test that makes thousands of writes: each write fsyncs the head file twice.
 */
export function openMatrixWorld(label: string, clock = new Clock(), opts: { stateDir?: string } = {}): MatrixWorld {
  const tv = createTestVault({ label, ctx: { now: clock.now, ...(opts.stateDir ? { stateDir: opts.stateDir } : {}) } });
  const s = tv.session;
  const admin: Actor = { id: tv.adminId, name: ADMIN.name, role: 'administrator' };
  // Each has chosen their own passphrase, as the app requires before anything else.
  // Each user signs with their own slot's key when the world acts as them.
  const signers = new Map<string, { signer: SigningKey | null; slotId: string | null }>([[admin.id, { signer: s.signer, slotId: s.signerSlotId }]]);
  const add = (p: { name: string; passphrase: string }, role: Role, unit?: string): Actor => {
    const id = addSettledUser(s, { name: p.name, role, passphrase: p.passphrase, ...(unit === undefined ? {} : { unit }) }).id;
    signers.set(id, slotSigner(tv.path, id, p.passphrase));
    return { id, name: p.name, role };
  };
  const analyst = add(ANALYST, 'analyst');
  const supervisor = add(SUPERVISOR, 'supervisor');
  const supervisor2 = add(SUPERVISOR_2, 'supervisor');
  const dispatch = createDispatch(s, handlers, isAppUrl);
  const w: MatrixWorld = {
    tv,
    s,
    clock,
    dispatch,
    admin,
    analyst,
    supervisor,
    supervisor2,
    db: () => s.vault!.db,
    as(who) {
      s.user = { id: who.id, name: who.name, role: who.role };
      const k = signers.get(who.id);
      if (k) {
        s.signer = k.signer;
        s.signerSlotId = k.slotId;
      }
    },
    addUser: add,
    call: (channel, payload) => dispatch(channel, payload, APP),
    close() {
      s.closeVault();
      removeDir(tv.dir);
      if (opts.stateDir) removeDir(opts.stateDir);
    },
  };
  w.as(analyst);
  return w;
}

/* ---- Reading what was stored ------------------------------------------------------------- */

export const MATRIX_TABLES = [
  'networks',
  'network_boroughs',
  'people',
  'intelligence',
  'network_intelligence',
  'memberships',
  'membership_intelligence',
  'offences',
  'offence_links',
  'offence_link_intelligence',
  'ratings',
  'rating_support',
  'gang_flags',
  'gang_flag_intelligence',
  'band_overrides',
  'network_scores',
  'score_history',
] as const;

/** Rows per table, and the audit head. */
export function rowCounts(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of [...MATRIX_TABLES, 'audit_log', 'users']) out[t] = db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number;
  return out;
}

/**
 * Every row of every table (the audit log by its head, which its hash chain ties to every entry
 * before it). Equal fingerprints before and after a call mean the call wrote nothing.
 */
export function fingerprint(db: Db): string {
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'audit_log' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
  return sha256(JSON.stringify([readHead(db), tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1`).raw().all()])]));
}

export interface AuditLine {
  action: string;
  entityType: string;
  entityId: string | null;
  summary: string;
  justification: string | null;
  userName: string | null;
}

export function auditHeadSeq(db: Db): number {
  return readHead(db).seq;
}

/** Audit entries written after `seq`, oldest first. */
export function auditSince(db: Db, seq: number): AuditLine[] {
  return (
    db
      .prepare('SELECT action, entity_type, entity_id, summary, justification, user_name FROM audit_log WHERE seq > ? ORDER BY seq')
      .all(seq) as { action: string; entity_type: string; entity_id: string | null; summary: string; justification: string | null; user_name: string | null }[]
  ).map((r) => ({ action: r.action, entityType: r.entity_type, entityId: r.entity_id, summary: r.summary, justification: r.justification, userName: r.user_name }));
}

/**
 * The stored score row of a network, as SQLite holds it, with the explanation of that score as
 * JSON text. Explanations are not stored: they are recomputed from the records as of the row's
 * date (computeScores), exactly as the network card does.
 */
export interface ScoreRow {
  network_id: string;
  as_of: string;
  model: string;
  weight_table_id: string;
  weight_table_version: string;
  score: number;
  eh_pts: number;
  ah_pts: number;
  cap_pts: number;
  band: string;
  effective_band: string;
  confidence: string;
  explanation: string;
  computed_at: string;
}

function withExplanations(db: Db, rows: Omit<ScoreRow, 'explanation'>[]): ScoreRow[] {
  const byDay = new Map<string, string[]>();
  for (const r of rows) byDay.set(r.as_of, [...(byDay.get(r.as_of) ?? []), r.network_id]);
  const text = new Map<string, string>();
  for (const [day, ids] of byDay) for (const [id, h] of computeScores(db, ids, day)) text.set(id, JSON.stringify(h.explanation));
  return rows.map((r) => ({ ...r, explanation: text.get(r.network_id)! }));
}

export function scoreRows(db: Db): ScoreRow[] {
  return withExplanations(db, db.prepare('SELECT * FROM network_scores ORDER BY network_id').all() as Omit<ScoreRow, 'explanation'>[]);
}

export function scoreRow(db: Db, networkId: string): ScoreRow {
  const r = db.prepare('SELECT * FROM network_scores WHERE network_id = ?').get(networkId) as Omit<ScoreRow, 'explanation'> | undefined;
  if (!r) throw new Error(`no stored score for ${networkId}`);
  return withExplanations(db, [r])[0]!;
}

export function historyRows(db: Db, networkId?: string): { network_id: string; score: number; band: string; effective_band: string; as_of: string; confidence: string }[] {
  return (
    networkId === undefined
      ? db.prepare('SELECT network_id, score, band, effective_band, as_of, confidence FROM score_history ORDER BY id').all()
      : db.prepare('SELECT network_id, score, band, effective_band, as_of, confidence FROM score_history WHERE network_id = ? ORDER BY id').all(networkId)
  ) as { network_id: string; score: number; band: string; effective_band: string; as_of: string; confidence: string }[];
}

/** The stored explanation, parsed. */
export function explanationOf(db: Db, networkId: string): StoredExplanation {
  return JSON.parse(scoreRow(db, networkId).explanation) as StoredExplanation;
}

/** The parts of main/domain/scoring.ts's ScoreExplanation the tests read. */
export interface StoredExplanation {
  model: string;
  weightTable: { id: string; version: string };
  asOf: string;
  offences: { id: string; category: string; date: string; stage: string; w: number; s: number; d: number | null; contribution: number; isIncluded: boolean; exclusion: string | null }[];
  assessed: { dimension: string; value: number; countedValue: number; needsSupport: boolean; isSupported: boolean; isFlaggedUnsupported: boolean; supportingItems: { id: string; source: number; intelligence: string; isQualifying: boolean }[] }[];
  capability: { dimension: string; value: number }[];
  confidence: { level: string; convictedOffenceIds: string[]; qualifyingItemIds: string[]; distinctQualifyingSourceIds: string[] };
  gates: { gate: string; isTriggered: boolean; hasChangedBand: boolean; bandBefore: string; bandAfter: string }[];
  override: { status: string; band: string | null; expiresOn: string | null; reasons: string[] };
  parts: { eh: number; ehPts: number; ah: number; ahPts: number; cap: number; capPts: number; score: number; scoreBand: string; band: string; effectiveBand: string; confidence: string };
}

/* ---- Records with sensible defaults --------------------------------------------------------- */

let counter = 0;
/** A reference no other call in this process has used. */
export function uniq(prefix: string): string {
  counter++;
  return `${prefix}-${String(counter).padStart(5, '0')}`;
}

export function network(w: MatrixWorld, name = 'Southside Crew', extra: Partial<Parameters<typeof M.createNetwork>[1]> = {}) {
  return M.createNetwork(w.s, { name, type: 'gang', leadBorough: 'E09000022', businessGroup: 'SCD', ...extra });
}

export function person(w: MatrixWorld, name: string, dateOfBirth: string | null = '1990-01-01') {
  return M.createPerson(w.s, { name, dateOfBirth });
}

/** A 3x5x2 item: source grade, intelligence grade, who it came from. */
export function intel(w: MatrixWorld, source: 1 | 2 | 3, grade: 'A' | 'B' | 'C' | 'D' | 'E', sourceRef: string, extra: Partial<IntelligenceDraft> = {}) {
  return M.recordIntelligence(w.s, {
    reference: uniq('INT'),
    itemDate: '2026-01-15',
    summary: 'Synthetic intelligence item for a test.',
    sourceRef,
    grading: '3x5x2',
    sourceGrade: source,
    intelGrade: grade,
    handling: 'P',
    ...extra,
  });
}

/** A legacy 5x5x5 item, kept as recorded. */
export function legacyIntel(w: MatrixWorld, sourceRef: string, legacyGrade = 'A1 1', extra: Partial<IntelligenceDraft> = {}) {
  return M.recordIntelligence(w.s, {
    reference: uniq('LEG'),
    itemDate: '2026-01-15',
    summary: 'Synthetic legacy item for a test.',
    sourceRef,
    grading: '5x5x5',
    legacyGrade,
    ...extra,
  });
}

export function offence(w: MatrixWorld, category: string, offenceDate: string, stage: OffenceDraft['stage'], extra: Partial<OffenceDraft> = {}) {
  return M.recordOffence(w.s, { crimeReference: uniq('CR'), category, offenceDate, borough: 'E09000022', stage, ...extra });
}

export function linkOffence(w: MatrixWorld, offenceId: string, networkId: string, intelIds: string[], rationale = 'Seen with principal members at the scene.') {
  return M.linkOffence(w.s, { offenceId, networkId, intelIds, rationale });
}

/* ---- The test vector (docs/specification.md), built through the services ---------------------------------- */

export const VECTOR = {
  score: '59.014',
  ehPts: '38.264',
  ahPts: 13.75,
  capPts: 7,
  eh: '1543.19',
  /** By category: date, stage, w and the contribution to 2 dp. */
  offences: {
    robbery: { date: '2026-02-28', stage: 'convicted', w: 365, s: 1, contribution: '289.56' },
    possession_of_weapons: { date: '2025-08-30', stage: 'charged', w: 273.75, s: 0.8, contribution: '123.00' },
    violence_with_injury: { date: '2026-04-30', stage: 'arrested', w: 365, s: 0.5, contribution: '162.55' },
    homicide: { date: '2023-12-30', stage: 'convicted', w: 5475, s: 1, contribution: '968.08' },
  },
  assessed: { physical: 3, psychological: 2, financial: 1, community_impact: 3, victim_vulnerability: 2 },
  capability: { firearms: 2, violence_intimidation: 3, corruption_insider_access: 0, financial_capacity: 1, resilience_reach: 1 },
} as const;

/**
 * The test vector's network: four offences linked on graded intelligence, five supported
 * assessed ratings and five capability ratings. Returns the ids made.
 */
export function buildVectorNetwork(w: MatrixWorld, name = 'Vector Crew') {
  const n = network(w, name);
  const i1 = intel(w, 1, 'A', 'CHIS 0101', { networkIds: [n.id] });
  const i2 = intel(w, 2, 'B', 'Officer report 7', { networkIds: [n.id] });
  const offenceIds: Record<string, string> = {};
  for (const [category, o] of Object.entries(VECTOR.offences)) {
    offenceIds[category] = offence(w, category, o.date, o.stage).id;
    linkOffence(w, offenceIds[category]!, n.id, [i1.id]);
  }
  for (const [dimension, value] of Object.entries(VECTOR.assessed)) {
    M.rateNetwork(w.s, { networkId: n.id, kind: 'assessed', dimension: dimension as never, value, intelIds: value >= 2 ? [i1.id] : [] });
  }
  for (const [dimension, value] of Object.entries(VECTOR.capability)) {
    M.rateNetwork(w.s, { networkId: n.id, kind: 'capability', dimension: dimension as never, value });
  }
  return { network: n, items: [i1, i2], offenceIds };
}
