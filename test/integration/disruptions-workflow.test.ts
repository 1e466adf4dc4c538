/**
 * The disruption claim workflow enforced in main (issue 4, Tests: "Workflow: each forbidden
 * transition is refused in main, whatever the renderer sends"; docs/specification.md, "Disruptions"). Every
 * request goes through the real IPC dispatch (sender check, role check, zod, handler, output
 * check) onto an encrypted vault on disk, with a clock set by hand. The pure transition rules are
 * tested exhaustively in test/unit/disruption-workflow.test.ts; these tests are about main
 * applying them, whoever asks and whatever they send, and about what each step stores.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import * as auditService from '../../main/services/audit.service';
import * as vaultService from '../../main/services/vault.service';
import { VALIDATOR } from '../helpers/vault-fixtures';
import { auditHeadSeq, auditSince, type Actor } from '../helpers/matrix-fixtures';
import {
  CLAIMING_UNIT,
  Clock,
  claim,
  expectRefused,
  ok,
  openDisruptionWorld,
  stepsOf,
  storedState,
  type DisruptionWorld,
  type Refusal,
} from '../helpers/disruption-fixtures';

type Rec = {
  id: string;
  reference: string;
  status: string;
  level: string;
  claimedLevel: string;
  claimantId: string;
  claimingUnit: string;
  submittedOn?: string | null;
  endorsedBy?: string | null;
  endorsedOn?: string | null;
  validatedBy?: string | null;
  validatedOn?: string | null;
  returnedOn?: string | null;
  rejectedOn?: string | null;
  decisionReason?: string | null;
  durabilityDueOn?: string | null;
  durabilityOutcome?: string | null;
  levelAfterReview?: string | null;
  reviewedBy?: string | null;
  reviewedOn?: string | null;
  reviewReason?: string | null;
  createdAt: string;
  updatedAt: string;
};

const ROLE_REFUSED: Refusal = { code: 'forbidden', message: 'Your role does not allow this.' };
const NOT_VALID = 'Some of the details are not valid. Check the highlighted fields.';
const GENERIC = 'Something went wrong and the action was not completed. Nothing was changed.';

async function step(w: DisruptionWorld, who: Actor, payload: Record<string, unknown>): Promise<Rec> {
  w.as(who);
  return ok<Rec>(w, 'disruptions:transition', payload);
}

async function review(w: DisruptionWorld, who: Actor, payload: Record<string, unknown>): Promise<Rec> {
  w.as(who);
  return ok<Rec>(w, 'disruptions:review', payload);
}

/* ---- 1. The full journey -------------------------------------------------------------------- */

describe('the journey: claim, submit, endorse, validate, durability review six months on', () => {
  const clock = new Clock('2026-06-30T10:00:00.000Z');
  let w: DisruptionWorld;
  const recs: Rec[] = [];

  beforeAll(async () => {
    w = openDisruptionWorld('dr-journey', clock);
    // Three claims by the analyst: major, major, minor.
    for (const level of ['major', 'major', 'minor'] as const) {
      w.as(w.analyst);
      recs.push(await ok<Rec>(w, 'disruptions:create', claim(w.networkId, { claimedLevel: level })));
    }
  });
  afterAll(() => w?.close());

  test('the analyst drafts a claim: the record as stored, numbered per year, the analyst as claimant', () => {
    expect(recs.map((r) => r.reference)).toEqual(['DR-2026-0001', 'DR-2026-0002', 'DR-2026-0003']);
    const r = recs[0]!;
    expect(r).toEqual({
      id: r.id,
      reference: 'DR-2026-0001',
      primaryNetworkId: w.networkId,
      otherNetworkIds: [],
      operationReference: 'Op TRELLIS',
      activityStart: '2026-03-02',
      activityEnd: '2026-05-29',
      claimingBusinessGroup: 'SCD',
      claimingUnit: CLAIMING_UNIT,
      claimantId: w.analyst.id,
      claimedLevel: 'major',
      level: 'major',
      status: 'draft',
      submittedOn: null,
      endorsedBy: null,
      endorsedOn: null,
      validatedBy: null,
      validatedOn: null,
      returnedOn: null,
      rejectedOn: null,
      decisionReason: null,
      durabilityDueOn: null,
      durabilityOutcome: null,
      levelAfterReview: null,
      reviewedBy: null,
      reviewedOn: null,
      reviewReason: null,
      tactics: ['criminal_justice', 'financial'],
      outcomes: claim(w.networkId).outcomes,
      impactNarrative: 'Principal members charged; the line stopped running for four months.',
      partnerReference: null,
      intelIds: [],
      createdAt: '2026-06-30T10:00:00.000Z',
      updatedAt: '2026-06-30T10:00:00.000Z',
    });
    // Drafting is not a workflow step.
    expect(stepsOf(w, r.id)).toEqual([]);
  });

  test('submitted by the claimant, endorsed by a supervisor of the same unit, validated by an independent validator', async () => {
    for (const r of recs) {
      const sub = await step(w, w.analyst, { id: r.id, action: 'submit' });
      expect([sub.status, sub.submittedOn]).toEqual(['submitted', '2026-06-30']);
      const end = await step(w, w.supervisor, { id: r.id, action: 'endorse' });
      expect([end.status, end.endorsedBy, end.endorsedOn]).toEqual(['endorsed', w.supervisor.id, '2026-06-30']);
      const val = await step(w, w.validator, { id: r.id, action: 'validate' });
      expect([val.status, val.validatedBy, val.validatedOn, val.durabilityDueOn, val.level]).toEqual([
        'validated',
        w.validator.id,
        '2026-06-30',
        // Six calendar months after validation.
        '2026-12-30',
        r.claimedLevel,
      ]);
      expect(stepsOf(w, r.id)).toEqual([
        { at: '2026-06-30T10:00:00.000Z', userId: w.analyst.id, action: 'submit', fromStatus: 'draft', toStatus: 'submitted', level: r.claimedLevel, reason: null },
        { at: '2026-06-30T10:00:00.000Z', userId: w.supervisor.id, action: 'endorse', fromStatus: 'submitted', toStatus: 'endorsed', level: r.claimedLevel, reason: null },
        { at: '2026-06-30T10:00:00.000Z', userId: w.validator.id, action: 'validate', fromStatus: 'endorsed', toStatus: 'validated', level: r.claimedLevel, reason: null },
      ]);
    }
  });

  test('the durability queue is empty the day before the review falls due and holds all three on the day', async () => {
    clock.set('2026-12-29T23:59:00.000Z'); // 29 December, GMT
    w.as(w.validator);
    expect(await ok<unknown[]>(w, 'disruptions:list', { view: 'durability' })).toEqual([]);
    clock.set('2026-12-30T10:00:00.000Z');
    const due = await ok<{ reference: string; durabilityDueOn: string }[]>(w, 'disruptions:list', { view: 'durability' });
    expect(due.map((d) => [d.reference, d.durabilityDueOn])).toEqual([
      ['DR-2026-0001', '2026-12-30'],
      ['DR-2026-0002', '2026-12-30'],
      ['DR-2026-0003', '2026-12-30'],
    ]);
  });

  test('the review confirms, downgrades or upgrades the level, with the reason kept', async () => {
    const [a, b, c] = recs as [Rec, Rec, Rec];
    const confirmed = await review(w, w.validator, { id: a.id, outcome: 'confirmed' });
    const downgraded = await review(w, w.validator, { id: b.id, outcome: 'downgraded', level: 'moderate', reason: '  Two principals were bailed in October and resumed supply.  ' });
    const upgraded = await review(w, w.validator, { id: c.id, outcome: 'upgraded', level: 'moderate', reason: 'No activity seen for seven months.' });
    const pick = (r: Rec) => [r.status, r.level, r.durabilityOutcome, r.levelAfterReview, r.reviewedBy, r.reviewedOn, r.reviewReason];
    expect(pick(confirmed)).toEqual(['validated', 'major', 'confirmed', 'major', w.validator.id, '2026-12-30', null]);
    expect(pick(downgraded)).toEqual(['validated', 'major', 'downgraded', 'moderate', w.validator.id, '2026-12-30', 'Two principals were bailed in October and resumed supply.']);
    expect(pick(upgraded)).toEqual(['validated', 'minor', 'upgraded', 'moderate', w.validator.id, '2026-12-30', 'No activity seen for seven months.']);
    expect(stepsOf(w, b.id).at(-1)).toEqual({
      at: '2026-12-30T10:00:00.000Z',
      userId: w.validator.id,
      action: 'review',
      fromStatus: 'validated',
      toStatus: 'validated',
      level: 'moderate',
      reason: 'Two principals were bailed in October and resumed supply.',
    });
    // The grid shows the level after review; the queue is empty again.
    w.as(w.reader);
    const all = await ok<{ reference: string; claimedLevel: string; level: string; durabilityOutcome: string | null }[]>(w, 'disruptions:list', { view: 'all' });
    expect(all.map((r) => [r.reference, r.claimedLevel, r.level, r.durabilityOutcome])).toEqual([
      ['DR-2026-0001', 'major', 'major', 'confirmed'],
      ['DR-2026-0002', 'major', 'moderate', 'downgraded'],
      ['DR-2026-0003', 'minor', 'moderate', 'upgraded'],
    ]);
    w.as(w.validator);
    expect(await ok<unknown[]>(w, 'disruptions:list', { view: 'durability' })).toEqual([]);
  });

  test('reopened from disk: the steps, the trail on the claim and an intact audit chain', async () => {
    vaultService.lock(w.s, 'manual');
    expect(w.s.vault).toBeNull();
    vaultService.unlock(w.s, { userName: VALIDATOR.name, passphrase: VALIDATOR.passphrase });
    const d = await ok<{ disruption: Rec; steps: unknown[]; audit: { action: string; summary: string; justification: string | null; userName: string | null }[] }>(w, 'disruptions:get', { id: recs[1]!.id });
    expect(d.disruption.levelAfterReview).toBe('moderate');
    expect(d.steps).toEqual([
      { at: '2026-06-30T10:00:00.000Z', action: 'submit', fromStatus: 'draft', toStatus: 'submitted', level: 'major', reason: null, userName: 'Bob Analyst' },
      { at: '2026-06-30T10:00:00.000Z', action: 'endorse', fromStatus: 'submitted', toStatus: 'endorsed', level: 'major', reason: null, userName: 'Carol Supervisor' },
      { at: '2026-06-30T10:00:00.000Z', action: 'validate', fromStatus: 'endorsed', toStatus: 'validated', level: 'major', reason: null, userName: 'Dev Validator' },
      { at: '2026-12-30T10:00:00.000Z', action: 'review', fromStatus: 'validated', toStatus: 'validated', level: 'moderate', reason: 'Two principals were bailed in October and resumed supply.', userName: 'Dev Validator' },
    ]);
    // The claim's own audit trail, newest first, ending with this very consultation.
    expect(d.audit.map((a) => [a.action, a.summary, a.justification, a.userName])).toEqual([
      ['consult', 'Disruption DR-2026-0002 opened', null, 'Dev Validator'],
      ['alter', 'Disruption DR-2026-0002 durability review: downgraded to moderate', 'Two principals were bailed in October and resumed supply.', 'Dev Validator'],
      ['alter', 'Disruption DR-2026-0002 validated', null, 'Dev Validator'],
      ['alter', 'Disruption DR-2026-0002 endorsed', null, 'Carol Supervisor'],
      ['alter', 'Disruption DR-2026-0002 submitted', null, 'Bob Analyst'],
      ['collect', 'Disruption DR-2026-0002 drafted (major)', null, 'Bob Analyst'],
    ]);
    expect(auditService.verify(w.s, { full: true })).toMatchObject({ reason: null, isIntact: true, firstBrokenSeq: null });
  });
});

/* ---- 2. One step row and one audit entry per transition, in one transaction ---------------- */

describe('each transition writes one workflow step and one audit entry, together', () => {
  const clock = new Clock('2026-06-30T10:00:00.000Z');
  let w: DisruptionWorld;
  afterAll(() => w?.close());
  beforeAll(() => {
    w = openDisruptionWorld('dr-steps', clock);
  });

  /** Run `fn`; return the audit entries and step rows it added. */
  async function delta(disruptionId: string | null, fn: () => Promise<unknown>) {
    const db = w.db();
    const seq = auditHeadSeq(db);
    const before = db.prepare('SELECT count(*) FROM disruption_steps').pluck().get() as number;
    const value = await fn();
    const added = db.prepare('SELECT count(*) FROM disruption_steps').pluck().get() as number;
    return { value, entries: auditSince(db, seq), stepCount: added - before, lastStep: disruptionId ? stepsOf(w, disruptionId).at(-1) : undefined };
  }

  test('create, open, list, submit, return, edit, resubmit, endorse, return, reject; validate and review: exact entries and steps', async () => {
    const A = w.analyst.name;
    w.as(w.analyst);
    const c = await delta(null, () => ok<Rec>(w, 'disruptions:create', claim(w.networkId, { claimedLevel: 'moderate' })));
    const r = c.value as Rec;
    expect(c.entries).toEqual([{ action: 'collect', entityType: 'disruption', entityId: r.id, summary: 'Disruption DR-2026-0001 drafted (moderate)', justification: null, userName: A }]);
    expect(c.stepCount).toBe(0);

    const opened = await delta(r.id, () => ok(w, 'disruptions:get', { id: r.id }));
    expect(opened.entries).toEqual([{ action: 'consult', entityType: 'disruption', entityId: r.id, summary: 'Disruption DR-2026-0001 opened', justification: null, userName: A }]);
    expect(opened.stepCount).toBe(0);

    const listed = await delta(null, () => ok(w, 'disruptions:list', { view: 'mine' }));
    expect(listed.entries).toEqual([{ action: 'consult', entityType: 'disruptions', entityId: null, summary: 'Disruptions viewed (mine)', justification: null, userName: A }]);

    /** One transition: exactly one entry (alter, the claim, the summary, the reason as justification) and one step. */
    const expectStep = async (who: Actor, payload: Record<string, unknown>, summary: string, stepRow: Record<string, unknown>, channel = 'disruptions:transition') => {
      w.as(who);
      const d = await delta(r.id, () => ok<Rec>(w, channel, { id: r.id, ...payload }));
      const reason = (stepRow.reason as string | null) ?? null;
      expect(d.entries).toEqual([{ action: 'alter', entityType: 'disruption', entityId: r.id, summary, justification: reason, userName: who.name }]);
      expect(d.stepCount).toBe(1);
      expect(d.lastStep).toEqual({ at: new Date(clock.t).toISOString(), userId: who.id, level: 'moderate', reason: null, ...stepRow });
      return d.value as Rec;
    };

    await expectStep(w.analyst, { action: 'submit' }, 'Disruption DR-2026-0001 submitted', { action: 'submit', fromStatus: 'draft', toStatus: 'submitted' });
    const ret = await expectStep(w.supervisor, { action: 'return', reason: '  Add the custody outcomes.  ' }, 'Disruption DR-2026-0001 returned', {
      action: 'return',
      fromStatus: 'submitted',
      toStatus: 'returned',
      reason: 'Add the custody outcomes.',
    });
    expect([ret.status, ret.returnedOn, ret.decisionReason]).toEqual(['returned', '2026-06-30', 'Add the custody outcomes.']);

    // Editing a returned claim is audited but is not a workflow step.
    w.as(w.analyst);
    const edit = await delta(r.id, () => ok<Rec>(w, 'disruptions:update', { id: r.id, draft: claim(w.networkId, { claimedLevel: 'moderate', outcomes: { convictions: 2, custodyYears: 7.5 } }) }));
    expect(edit.entries).toEqual([{ action: 'alter', entityType: 'disruption', entityId: r.id, summary: 'Disruption DR-2026-0001 edited', justification: null, userName: A }]);
    expect(edit.stepCount).toBe(0);
    expect((edit.value as { outcomes: { convictions: number; custodyYears: number; arrests: number } }).outcomes).toMatchObject({ convictions: 2, custodyYears: 7.5, arrests: 0 });

    clock.set('2026-07-01T09:00:00.000Z');
    const resub = await expectStep(w.analyst, { action: 'submit' }, 'Disruption DR-2026-0001 submitted', { action: 'submit', fromStatus: 'returned', toStatus: 'submitted' });
    expect([resub.submittedOn, resub.returnedOn, resub.decisionReason]).toEqual(['2026-07-01', null, null]);
    await expectStep(w.supervisor, { action: 'endorse' }, 'Disruption DR-2026-0001 endorsed', { action: 'endorse', fromStatus: 'submitted', toStatus: 'endorsed' });
    await expectStep(w.validator, { action: 'return', reason: 'The partner reference is missing.' }, 'Disruption DR-2026-0001 returned', {
      action: 'return',
      fromStatus: 'endorsed',
      toStatus: 'returned',
      reason: 'The partner reference is missing.',
    });
    await expectStep(w.analyst, { action: 'submit' }, 'Disruption DR-2026-0001 submitted', { action: 'submit', fromStatus: 'returned', toStatus: 'submitted' });
    const reendorsed = await expectStep(w.supervisor, { action: 'endorse' }, 'Disruption DR-2026-0001 endorsed', { action: 'endorse', fromStatus: 'submitted', toStatus: 'endorsed' });
    expect(reendorsed.endorsedOn).toBe('2026-07-01');
    const rej = await expectStep(w.validator, { action: 'reject', reason: 'Arrests predate the operation.' }, 'Disruption DR-2026-0001 rejected', {
      action: 'reject',
      fromStatus: 'endorsed',
      toStatus: 'rejected',
      reason: 'Arrests predate the operation.',
    });
    expect([rej.status, rej.rejectedOn, rej.decisionReason]).toEqual(['rejected', '2026-07-01', 'Arrests predate the operation.']);
    expect(stepsOf(w, r.id).map((s) => s.action)).toEqual(['submit', 'return', 'submit', 'endorse', 'return', 'submit', 'endorse', 'reject']);
  });

  test('validation and a downgrade at the durability review: one entry each, with the new level on the step', async () => {
    clock.set('2026-07-01T09:00:00.000Z');
    w.as(w.analyst);
    const r = await ok<Rec>(w, 'disruptions:create', claim(w.networkId, { claimedLevel: 'moderate' }));
    expect(r.reference).toBe('DR-2026-0002');
    await step(w, w.analyst, { id: r.id, action: 'submit' });
    await step(w, w.supervisor, { id: r.id, action: 'endorse' });
    const seq = auditHeadSeq(w.db());
    const v = await step(w, w.validator, { id: r.id, action: 'validate', reason: 'Custody outcomes checked on PNC.' });
    expect(v.durabilityDueOn).toBe('2027-01-01');
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'alter', entityType: 'disruption', entityId: r.id, summary: 'Disruption DR-2026-0002 validated', justification: 'Custody outcomes checked on PNC.', userName: w.validator.name },
    ]);
    clock.set('2027-01-01T09:00:00.000Z');
    const seq2 = auditHeadSeq(w.db());
    const before = stepsOf(w, r.id).length;
    await review(w, w.validator, { id: r.id, outcome: 'downgraded', level: 'negative', reason: 'The rival group took over the line.' });
    expect(auditSince(w.db(), seq2)).toEqual([
      {
        action: 'alter',
        entityType: 'disruption',
        entityId: r.id,
        summary: 'Disruption DR-2026-0002 durability review: downgraded to negative',
        justification: 'The rival group took over the line.',
        userName: w.validator.name,
      },
    ]);
    expect(stepsOf(w, r.id)).toHaveLength(before + 1);
    expect(stepsOf(w, r.id).at(-1)).toEqual({
      at: '2027-01-01T09:00:00.000Z',
      userId: w.validator.id,
      action: 'review',
      fromStatus: 'validated',
      toStatus: 'validated',
      level: 'negative',
      reason: 'The rival group took over the line.',
    });
  });

  test('the step, the record and the audit entry commit together: if either write fails, neither is kept', async () => {
    clock.set('2027-01-02T09:00:00.000Z');
    w.as(w.analyst);
    const r = await ok<Rec>(w, 'disruptions:create', claim(w.networkId));
    const db = w.db();
    // Make one of the two writes fail inside the transaction (a TEMP trigger lives only on this
    // connection and is not part of the vault). The dispatch answers with the generic sentence.
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const [table, event] of [['audit_log', 'INSERT'], ['disruption_steps', 'INSERT'], ['disruptions', 'UPDATE']]) {
        db.exec(`CREATE TEMP TRIGGER fail_once BEFORE ${event} ON main.${table} BEGIN SELECT RAISE(ABORT, 'test: refused write'); END;`);
        try {
          await expectRefused(w, 'disruptions:transition', { id: r.id, action: 'submit' }, { code: 'internal', message: GENERIC });
        } finally {
          db.exec('DROP TRIGGER fail_once');
        }
      }
      // A draft whose audit entry cannot be written is not kept either.
      db.exec(`CREATE TEMP TRIGGER fail_once BEFORE INSERT ON main.audit_log BEGIN SELECT RAISE(ABORT, 'test: refused write'); END;`);
      try {
        await expectRefused(w, 'disruptions:create', claim(w.networkId), { code: 'internal', message: GENERIC });
      } finally {
        db.exec('DROP TRIGGER fail_once');
      }
    } finally {
      errors.mockRestore();
    }
    expect(db.prepare('SELECT status FROM disruptions WHERE id = ?').pluck().get(r.id)).toBe('draft');
    expect(db.prepare('SELECT count(*) FROM disruptions').pluck().get()).toBe(3);
    // With the failures gone the same request goes through, once.
    const sub = await step(w, w.analyst, { id: r.id, action: 'submit' });
    expect(sub.status).toBe('submitted');
    expect(stepsOf(w, r.id)).toHaveLength(1);
  });
});

/* ---- 3. Every forbidden transition, whatever the renderer sends ----------------------------- */

describe('every forbidden transition is refused in main and changes nothing', () => {
  const clock = new Clock('2026-06-01T09:00:00.000Z');
  let w: DisruptionWorld;
  /** One claim in each state. */
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    w = openDisruptionWorld('dr-refusals', clock);
    const make = async (who: Actor, extra = {}) => {
      w.as(who);
      return (await ok<Rec>(w, 'disruptions:create', claim(w.networkId, extra))).id;
    };
    // Validated on 1 June: its review falls due on 1 December and is done then.
    ids.reviewed = await make(w.analyst);
    await step(w, w.analyst, { id: ids.reviewed, action: 'submit' });
    await step(w, w.supervisor, { id: ids.reviewed, action: 'endorse' });
    await step(w, w.validator, { id: ids.reviewed, action: 'validate' });
    // Validated the same day, its review due but not yet done.
    ids.due = await make(w.analyst);
    await step(w, w.analyst, { id: ids.due, action: 'submit' });
    await step(w, w.supervisor, { id: ids.due, action: 'endorse' });
    await step(w, w.validator, { id: ids.due, action: 'validate' });

    clock.set('2026-06-30T10:00:00.000Z');
    ids.draft = await make(w.analyst);
    ids.submitted = await make(w.analyst);
    await step(w, w.analyst, { id: ids.submitted, action: 'submit' });
    // Claimed by the supervisor, for their own unit.
    ids.bySupervisor = await make(w.supervisor);
    await step(w, w.supervisor, { id: ids.bySupervisor, action: 'submit' });
    // Claimed for the same unit typed another way: the analyst's supervisor endorses it.
    ids.oddUnit = await make(w.analyst, { claimingUnit: 'GANGS  unit' });
    await step(w, w.analyst, { id: ids.oddUnit, action: 'submit' });
    await step(w, w.supervisor, { id: ids.oddUnit, action: 'endorse' });
    ids.endorsed = await make(w.analyst);
    await step(w, w.analyst, { id: ids.endorsed, action: 'submit' });
    await step(w, w.supervisor, { id: ids.endorsed, action: 'endorse' });
    ids.validated = await make(w.analyst, { claimedLevel: 'moderate' });
    await step(w, w.analyst, { id: ids.validated, action: 'submit' });
    await step(w, w.supervisor, { id: ids.validated, action: 'endorse' });
    await step(w, w.validator, { id: ids.validated, action: 'validate' });
    ids.rejected = await make(w.analyst);
    await step(w, w.analyst, { id: ids.rejected, action: 'submit' });
    await step(w, w.supervisor, { id: ids.rejected, action: 'endorse' });
    await step(w, w.validator, { id: ids.rejected, action: 'reject', reason: 'Not a disruption of this network.' });

    clock.set('2026-12-01T10:00:00.000Z');
    await review(w, w.validator, { id: ids.reviewed, outcome: 'confirmed' });

    // The day before the 30 June validation's review falls due.
    clock.set('2026-12-29T10:00:00.000Z');
  });
  afterAll(() => w?.close());

  test('the claims stand where the table expects them', () => {
    const status = (id: string) => w.db().prepare('SELECT status, durability_outcome FROM disruptions WHERE id = ?').raw().get(id);
    expect(Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, status(id)]))).toEqual({
      reviewed: ['validated', 'confirmed'],
      due: ['validated', null],
      draft: ['draft', null],
      submitted: ['submitted', null],
      bySupervisor: ['submitted', null],
      oddUnit: ['endorsed', null],
      endorsed: ['endorsed', null],
      validated: ['validated', null],
      rejected: ['rejected', null],
    });
  });

  type Who = 'admin' | 'analyst' | 'analyst2' | 'supervisor' | 'supervisor2' | 'validator' | 'validatorSameUnit' | 'validatorNoUnit' | 'reader';
  interface Row {
    name: string;
    who: Who;
    /** Act with this role instead of the user's own: a role changed after the user took part in the claim. */
    asRole?: 'validator';
    channel: string;
    payload: (ids: Record<string, string>, w: DisruptionWorld) => unknown;
    refusal: Refusal;
  }

  const forbidden = (message: string): Refusal => ({ code: 'forbidden', message });
  const conflict = (message: string): Refusal => ({ code: 'conflict', message });
  const invalid = (fields: Record<string, string>): Refusal => ({ code: 'invalid_input', message: NOT_VALID, fields });
  const T = 'disruptions:transition';
  const R = 'disruptions:review';
  const t = (key: string, action: string, extra: Record<string, unknown> = {}) => (i: Record<string, string>) => ({ id: i[key], action, ...extra });
  const rv = (key: string, extra: Record<string, unknown>) => (i: Record<string, string>) => ({ id: i[key], ...extra });
  const edit = (key: string, extra: Record<string, unknown> = {}) => (i: Record<string, string>, w: DisruptionWorld) => ({ id: i[key], draft: { ...claim(w.networkId), ...extra } });

  const rows: Row[] = [
    // Roles the contract keeps out altogether: refused before the payload is even read.
    { name: 'read-only user drafts a claim', who: 'reader', channel: 'disruptions:create', payload: (_i, w) => claim(w.networkId), refusal: ROLE_REFUSED },
    { name: 'read-only user submits a draft', who: 'reader', channel: T, payload: t('draft', 'submit'), refusal: ROLE_REFUSED },
    { name: 'read-only user validates', who: 'reader', channel: T, payload: t('endorsed', 'validate'), refusal: ROLE_REFUSED },
    { name: 'read-only user edits', who: 'reader', channel: 'disruptions:update', payload: edit('draft'), refusal: ROLE_REFUSED },
    { name: 'read-only user sends a forged payload: the role is refused, not the fields', who: 'reader', channel: T, payload: t('endorsed', 'validate', { status: 'validated' }), refusal: ROLE_REFUSED },
    { name: 'administrator endorses', who: 'admin', channel: T, payload: t('submitted', 'endorse'), refusal: ROLE_REFUSED },
    { name: 'administrator validates', who: 'admin', channel: T, payload: t('endorsed', 'validate'), refusal: ROLE_REFUSED },
    { name: 'administrator drafts a claim', who: 'admin', channel: 'disruptions:create', payload: (_i, w) => claim(w.networkId), refusal: ROLE_REFUSED },
    { name: 'administrator records a durability review', who: 'admin', channel: R, payload: rv('reviewed', { outcome: 'confirmed' }), refusal: ROLE_REFUSED },
    { name: 'validator drafts a claim', who: 'validator', channel: 'disruptions:create', payload: (_i, w) => claim(w.networkId), refusal: ROLE_REFUSED },
    { name: 'validator edits a draft', who: 'validator', channel: 'disruptions:update', payload: edit('draft'), refusal: ROLE_REFUSED },
    { name: 'analyst records a durability review', who: 'analyst', channel: R, payload: rv('validated', { outcome: 'confirmed' }), refusal: ROLE_REFUSED },
    { name: 'supervisor records a durability review', who: 'supervisor', channel: R, payload: rv('validated', { outcome: 'confirmed' }), refusal: ROLE_REFUSED },

    // Who may make each move (the workflow, applied in main).
    { name: 'analyst validates (the claimant, by role)', who: 'analyst', channel: T, payload: t('endorsed', 'validate'), refusal: forbidden('Only a validator can do this.') },
    { name: 'analyst rejects', who: 'analyst', channel: T, payload: t('endorsed', 'reject', { reason: 'Not convinced.' }), refusal: forbidden('Only a validator can do this.') },
    { name: 'analyst endorses their own claim', who: 'analyst', channel: T, payload: t('submitted', 'endorse'), refusal: forbidden('Only a supervisor can endorse or return a submitted claim.') },
    { name: 'another analyst submits the claimant’s draft', who: 'analyst2', channel: T, payload: t('draft', 'submit'), refusal: forbidden('Only the claimant can change or submit this claim.') },
    { name: 'another analyst edits the claimant’s draft', who: 'analyst2', channel: 'disruptions:update', payload: edit('draft'), refusal: forbidden('Only the claimant can change or submit this claim.') },
    { name: 'validator submits someone else’s draft', who: 'validator', channel: T, payload: t('draft', 'submit'), refusal: forbidden('Only the claimant can change or submit this claim.') },
    { name: 'supervisor submits the analyst’s draft', who: 'supervisor', channel: T, payload: t('draft', 'submit'), refusal: forbidden('Only the claimant can change or submit this claim.') },
    { name: 'supervisor endorses their own claim', who: 'supervisor', channel: T, payload: t('bySupervisor', 'endorse'), refusal: forbidden('The claimant cannot endorse their own claim.') },
    { name: 'supervisor of another unit endorses', who: 'supervisor2', channel: T, payload: t('submitted', 'endorse'), refusal: forbidden("Only a supervisor in the claimant's unit can endorse or return this claim.") },
    { name: 'supervisor of another unit returns', who: 'supervisor2', channel: T, payload: t('submitted', 'return', { reason: 'Not our unit.' }), refusal: forbidden("Only a supervisor in the claimant's unit can endorse or return this claim.") },
    { name: 'validator returns a submitted claim (the supervisor’s step)', who: 'validator', channel: T, payload: t('submitted', 'return', { reason: 'Too early.' }), refusal: forbidden('Only a supervisor can endorse or return a submitted claim.') },
    { name: 'endorsing supervisor validates (by role)', who: 'supervisor', channel: T, payload: t('endorsed', 'validate'), refusal: forbidden('Only a validator can do this.') },
    { name: 'endorsing supervisor rejects', who: 'supervisor', channel: T, payload: t('endorsed', 'reject', { reason: 'Changed my mind.' }), refusal: forbidden('Only a validator can do this.') },
    {
      name: 'the claimant holding the validator role validates their own claim',
      who: 'analyst',
      asRole: 'validator',
      channel: T,
      payload: t('endorsed', 'validate'),
      refusal: forbidden('The claimant cannot validate or review their own claim.'),
    },
    {
      name: 'the endorser holding the validator role validates',
      who: 'supervisor',
      asRole: 'validator',
      channel: T,
      payload: t('endorsed', 'validate'),
      refusal: forbidden('The endorsing supervisor cannot also validate or review the claim.'),
    },
    {
      name: 'validator from the claiming unit ("gangs   UNIT" is "Gangs Unit") validates',
      who: 'validatorSameUnit',
      channel: T,
      payload: t('endorsed', 'validate'),
      refusal: forbidden('A validator from the claiming unit is not independent; someone from another unit must do this.'),
    },
    {
      name: 'validator from the claiming unit ("gangs   UNIT") rejects a claim made for "GANGS  unit"',
      who: 'validatorSameUnit',
      channel: T,
      payload: t('oddUnit', 'reject', { reason: 'Not independent.' }),
      refusal: forbidden('A validator from the claiming unit is not independent; someone from another unit must do this.'),
    },
    {
      name: 'validator with no unit recorded validates',
      who: 'validatorNoUnit',
      channel: T,
      payload: t('endorsed', 'validate'),
      refusal: forbidden('Your unit is not recorded, so your independence from the claiming unit cannot be shown.'),
    },
    {
      name: 'validator with no unit recorded returns',
      who: 'validatorNoUnit',
      channel: T,
      payload: t('endorsed', 'return', { reason: 'Needs work.' }),
      refusal: forbidden('Your unit is not recorded, so your independence from the claiming unit cannot be shown.'),
    },
    {
      name: 'validator from the claiming unit records the durability review',
      who: 'validatorSameUnit',
      channel: R,
      payload: rv('validated', { outcome: 'confirmed' }),
      refusal: forbidden('A validator from the claiming unit is not independent; someone from another unit must do this.'),
    },

    // What the claim's state allows.
    { name: 'endorsing a draft', who: 'supervisor', channel: T, payload: t('draft', 'endorse'), refusal: conflict('A draft cannot be endorsed.') },
    { name: 'validating a draft', who: 'validator', channel: T, payload: t('draft', 'validate'), refusal: conflict('A draft cannot be validated.') },
    { name: 'validating a submitted claim that was not endorsed', who: 'validator', channel: T, payload: t('submitted', 'validate'), refusal: conflict('A submitted claim cannot be validated.') },
    { name: 'rejecting a submitted claim', who: 'validator', channel: T, payload: t('submitted', 'reject', { reason: 'Weak evidence.' }), refusal: conflict('A submitted claim cannot be rejected.') },
    { name: 'endorsing an endorsed claim again', who: 'supervisor', channel: T, payload: t('endorsed', 'endorse'), refusal: conflict('An endorsed claim cannot be endorsed.') },
    { name: 'resubmitting a submitted claim', who: 'analyst', channel: T, payload: t('submitted', 'submit'), refusal: conflict('A submitted claim cannot be submitted.') },
    { name: 'editing a submitted claim', who: 'analyst', channel: 'disruptions:update', payload: edit('submitted'), refusal: conflict('A submitted claim cannot be edited.') },
    { name: 'editing an endorsed claim', who: 'analyst', channel: 'disruptions:update', payload: edit('endorsed', { claimedLevel: 'minor' }), refusal: conflict('An endorsed claim cannot be edited.') },
    { name: 'editing a validated claim', who: 'analyst', channel: 'disruptions:update', payload: edit('validated', { claimedLevel: 'major' }), refusal: conflict('A validated claim cannot be edited.') },
    { name: 'validating a validated claim again', who: 'validator', channel: T, payload: t('validated', 'validate'), refusal: conflict('A validated claim cannot be validated.') },
    { name: 'rejecting a validated claim', who: 'validator', channel: T, payload: t('validated', 'reject', { reason: 'On reflection, no.' }), refusal: conflict('A validated claim cannot be rejected.') },
    { name: 'returning a validated claim', who: 'validator', channel: T, payload: t('validated', 'return', { reason: 'On reflection, no.' }), refusal: conflict('A validated claim cannot be returned.') },
    { name: 'resubmitting a rejected claim', who: 'analyst', channel: T, payload: t('rejected', 'submit'), refusal: conflict('A rejected claim cannot be submitted.') },
    { name: 'editing a rejected claim', who: 'analyst', channel: 'disruptions:update', payload: edit('rejected'), refusal: conflict('A rejected claim cannot be edited.') },
    { name: 'validating a rejected claim', who: 'validator', channel: T, payload: t('rejected', 'validate'), refusal: conflict('A rejected claim cannot be validated.') },
    { name: 'reviewing an endorsed claim', who: 'validator', channel: R, payload: rv('endorsed', { outcome: 'confirmed' }), refusal: conflict('An endorsed claim cannot be given a durability review.') },
    { name: 'reviewing a rejected claim', who: 'validator', channel: R, payload: rv('rejected', { outcome: 'confirmed' }), refusal: conflict('A rejected claim cannot be given a durability review.') },
    { name: 'a second durability review', who: 'validator', channel: R, payload: rv('reviewed', { outcome: 'upgraded', level: 'major', reason: 'Still nothing seen.' }), refusal: conflict('The durability review of this claim has already been recorded.') },
    { name: 'a second review, confirming', who: 'validator', channel: R, payload: rv('reviewed', { outcome: 'confirmed' }), refusal: conflict('The durability review of this claim has already been recorded.') },
    {
      name: 'validator from the claiming unit records a review that is due',
      who: 'validatorSameUnit',
      channel: R,
      payload: rv('due', { outcome: 'confirmed' }),
      refusal: forbidden('A validator from the claiming unit is not independent; someone from another unit must do this.'),
    },
    { name: 'validator with no unit records a review that is due', who: 'validatorNoUnit', channel: R, payload: rv('due', { outcome: 'confirmed' }), refusal: forbidden('Your unit is not recorded, so your independence from the claiming unit cannot be shown.') },
    // The level must move the way the outcome says (the claim is major).
    { name: 'a "downgrade" to the same level', who: 'validator', channel: R, payload: rv('due', { outcome: 'downgraded', level: 'major', reason: 'Much the same.' }), refusal: forbidden('A downgrade needs a level below major.') },
    { name: 'an "upgrade" to a lower level', who: 'validator', channel: R, payload: rv('due', { outcome: 'upgraded', level: 'minor', reason: 'Activity resumed.' }), refusal: forbidden('An upgrade needs a level above major.') },
    // Not yet allowed: the claim is where it should be, but the six months have not passed.
    { name: 'a review the day before it falls due', who: 'validator', channel: R, payload: rv('validated', { outcome: 'confirmed' }), refusal: forbidden('The durability review is not due until 30/12/2026.') },
    { name: 'a downgrade the day before it falls due', who: 'validator', channel: R, payload: rv('validated', { outcome: 'downgraded', level: 'minor', reason: 'Activity resumed.' }), refusal: forbidden('The durability review is not due until 30/12/2026.') },

    // Reasons: the contract requires them, so a request without one never reaches the workflow.
    { name: 'return without a reason', who: 'supervisor', channel: T, payload: t('submitted', 'return'), refusal: invalid({ reason: 'Give a reason.' }) },
    { name: 'return with a blank reason', who: 'supervisor', channel: T, payload: t('submitted', 'return', { reason: '      ' }), refusal: invalid({ reason: 'Give a reason.' }) },
    { name: 'reject without a reason', who: 'validator', channel: T, payload: t('endorsed', 'reject', { reason: '' }), refusal: invalid({ reason: 'Give a reason.' }) },
    { name: 'validator returns without a reason', who: 'validator', channel: T, payload: t('endorsed', 'return', { reason: ' no ' }), refusal: invalid({ reason: 'Give a reason.' }) },
    { name: 'downgrade without a reason', who: 'validator', channel: R, payload: rv('reviewed', { outcome: 'downgraded', level: 'minor' }), refusal: invalid({ reason: 'Give a reason for the change of level.' }) },
    { name: 'upgrade without a level', who: 'validator', channel: R, payload: rv('reviewed', { outcome: 'upgraded', reason: 'Network dismantled.' }), refusal: invalid({ level: 'Choose the new level.' }) },

    // Forged requests: the schemas are strict, so anything extra or unknown is refused whole.
    { name: 'transition carrying a status', who: 'validator', channel: T, payload: t('endorsed', 'validate', { status: 'validated' }), refusal: invalid({ _: 'Unrecognized key: "status"' }) },
    { name: 'transition carrying a validator id', who: 'analyst', channel: T, payload: t('draft', 'submit', { validatedBy: 'someone' }), refusal: invalid({ _: 'Unrecognized key: "validatedBy"' }) },
    { name: 'transition to a status that is not an action', who: 'validator', channel: T, payload: t('endorsed', 'validated'), refusal: invalid({ action: 'Invalid option: expected one of "submit"|"endorse"|"validate"|"return"|"reject"' }) },
    { name: 'a review sent as a transition', who: 'validator', channel: T, payload: t('validated', 'review'), refusal: invalid({ action: 'Invalid option: expected one of "submit"|"endorse"|"validate"|"return"|"reject"' }) },
    { name: 'a draft carrying its own status and claimant', who: 'analyst', channel: 'disruptions:create', payload: (_i, w) => ({ ...claim(w.networkId), status: 'validated', claimantId: 'x' }), refusal: invalid({ _: 'Unrecognized keys: "status", "claimantId"' }) },
    { name: 'an edit carrying a status', who: 'analyst', channel: 'disruptions:update', payload: edit('draft', { status: 'validated' }), refusal: invalid({ draft: 'Unrecognized key: "status"' }) },
    { name: 'an edit with the status beside the draft', who: 'analyst', channel: 'disruptions:update', payload: (i, w) => ({ id: i.submitted, draft: claim(w.networkId), status: 'draft' }), refusal: invalid({ _: 'Unrecognized key: "status"' }) },
    { name: 'a review carrying who reviewed', who: 'validator', channel: R, payload: rv('validated', { outcome: 'confirmed', reviewedBy: 'someone' }), refusal: invalid({ _: 'Unrecognized key: "reviewedBy"' }) },
    { name: 'a review with an unknown outcome', who: 'validator', channel: R, payload: rv('validated', { outcome: 'approved' }), refusal: invalid({ outcome: 'Invalid option: expected one of "confirmed"|"downgraded"|"upgraded"' }) },
    { name: 'no payload at all', who: 'validator', channel: T, payload: () => null, refusal: invalid({ _: 'Invalid input: expected object, received null' }) },

    // A claim that does not exist.
    { name: 'submitting a claim that does not exist', who: 'analyst', channel: T, payload: () => ({ id: 'no-such-claim', action: 'submit' }), refusal: { code: 'not_found', message: 'That disruption was not found.' } },
  ];

  test.each(rows.map((r) => [r.name, r] as const))('%s', async (_name, row) => {
    const who = w[row.who];
    if (row.asRole) w.s.user = { id: who.id, name: who.name, role: row.asRole };
    else w.as(who);
    await expectRefused(w, row.channel, row.payload(ids, w), row.refusal);
  });

  test('after all the refusals the right people can still make each move, and the durability review is accepted on its due day', async () => {
    const before = storedState(w);
    // Only the set-up's steps are stored: reviewed 4, due 3, submitted 1, bySupervisor 1,
    // oddUnit 2, endorsed 2, validated 3, rejected 3; and one audit entry for each.
    expect(before.steps).toBe(19);
    expect(w.db().prepare("SELECT count(*) FROM audit_log WHERE action = 'alter' AND entity_type = 'disruption'").pluck().get()).toBe(19);
    const end = await step(w, w.supervisor, { id: ids.submitted, action: 'endorse' });
    expect(end.status).toBe('endorsed');
    const v = await step(w, w.validator, { id: ids.endorsed, action: 'validate' });
    expect([v.status, v.validatedOn, v.durabilityDueOn]).toEqual(['validated', '2026-12-29', '2027-06-29']);
    clock.set('2026-12-30T00:00:00.000Z');
    const r = await review(w, w.validator, { id: ids.validated, outcome: 'downgraded', level: 'minor', reason: 'Activity resumed in November.' });
    expect([r.durabilityOutcome, r.levelAfterReview, r.reviewedOn]).toEqual(['downgraded', 'minor', '2026-12-30']);
    const down = await review(w, w.validator, { id: ids.due, outcome: 'downgraded', level: 'moderate', reason: 'Two lines restarted.' });
    expect([down.durabilityOutcome, down.levelAfterReview]).toEqual(['downgraded', 'moderate']);
    expect(storedState(w).steps).toBe(before.steps + 4);
  });
});

/* ---- Validators' independence follows the unit recorded now --------------------------------- */

describe('a validator’s unit is read at each request', () => {
  let w: DisruptionWorld;
  afterAll(() => w?.close());

  test('a validator with no unit is refused; once an administrator records another unit, the same request goes through', async () => {
    w = openDisruptionWorld('dr-unit-now', new Clock('2026-06-30T10:00:00.000Z'));
    w.as(w.analyst);
    const r = await ok<Rec>(w, 'disruptions:create', claim(w.networkId));
    await step(w, w.analyst, { id: r.id, action: 'submit' });
    await step(w, w.supervisor, { id: r.id, action: 'endorse' });
    w.as(w.validatorNoUnit);
    await expectRefused(w, 'disruptions:transition', { id: r.id, action: 'validate' }, { code: 'forbidden', message: 'Your unit is not recorded, so your independence from the claiming unit cannot be shown.' });
    w.as(w.admin);
    await ok(w, 'users:set-unit', { userId: w.validatorNoUnit.id, unit: ' gangs unit ' });
    w.as(w.validatorNoUnit);
    await expectRefused(w, 'disruptions:transition', { id: r.id, action: 'validate' }, { code: 'forbidden', message: 'A validator from the claiming unit is not independent; someone from another unit must do this.' });
    w.as(w.admin);
    await ok(w, 'users:set-unit', { userId: w.validatorNoUnit.id, unit: 'Professional Standards' });
    const v = await step(w, w.validatorNoUnit, { id: r.id, action: 'validate' });
    expect([v.status, v.validatedBy]).toEqual(['validated', w.validatorNoUnit.id]);
  });
});
