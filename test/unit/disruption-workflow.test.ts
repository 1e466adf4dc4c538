import { describe, expect, it } from 'vitest';
import {
  durabilityDueOn,
  hasMovedPast,
  isDurabilityReviewDue,
  transition,
  type Actor,
  type WorkflowAction,
  type WorkflowRecord,
} from '../../preload/contract/disruption-workflow';

const TODAY = '2026-07-20';

// ---------------------------------------------------------------------------------------------
// Fixtures: one claim in every state, and every kind of actor
// ---------------------------------------------------------------------------------------------

const BASE: WorkflowRecord = {
  status: 'draft',
  claimantId: 'u-claimant',
  claimingUnit: 'U1',
  level: 'moderate',
};

const STATES = {
  draft: BASE,
  submitted: { ...BASE, status: 'submitted', submittedOn: '2026-01-05' },
  endorsed: { ...BASE, status: 'endorsed', submittedOn: '2026-01-05', endorsedBy: 'u-sup', endorsedOn: '2026-01-08' },
  // Validated on 15 January 2026: the review fell due on 15 July, before TODAY.
  validatedDue: {
    ...BASE,
    status: 'validated',
    submittedOn: '2026-01-05',
    endorsedBy: 'u-sup',
    endorsedOn: '2026-01-08',
    validatedBy: 'u-val',
    validatedOn: '2026-01-15',
    durabilityDueOn: '2026-07-15',
  },
  // Validated on 15 February 2026: the review is not due until 15 August.
  validatedNotDue: {
    ...BASE,
    status: 'validated',
    submittedOn: '2026-02-05',
    endorsedBy: 'u-sup',
    endorsedOn: '2026-02-08',
    validatedBy: 'u-val',
    validatedOn: '2026-02-15',
    durabilityDueOn: '2026-08-15',
  },
  validatedReviewed: {
    ...BASE,
    status: 'validated',
    submittedOn: '2026-01-05',
    endorsedBy: 'u-sup',
    endorsedOn: '2026-01-08',
    validatedBy: 'u-val',
    validatedOn: '2026-01-15',
    durabilityDueOn: '2026-07-15',
    durabilityOutcome: 'confirmed',
    levelAfterReview: 'moderate',
    reviewedBy: 'u-val',
    reviewedOn: '2026-07-16',
  },
  returned: {
    ...BASE,
    status: 'returned',
    submittedOn: '2026-01-05',
    endorsedBy: 'u-sup',
    endorsedOn: '2026-01-08',
    returnedOn: '2026-01-10',
    decisionReason: 'Needs corroboration.',
  },
  rejected: {
    ...BASE,
    status: 'rejected',
    submittedOn: '2026-01-05',
    endorsedBy: 'u-sup',
    endorsedOn: '2026-01-08',
    rejectedOn: '2026-01-10',
    decisionReason: 'Not a disruption.',
  },
} satisfies Record<string, WorkflowRecord>;
type StateName = keyof typeof STATES;

const ACTORS = {
  claimant: { id: 'u-claimant', role: 'analyst', unit: 'U1' },
  colleagueAnalyst: { id: 'u-colleague', role: 'analyst', unit: 'U1' },
  unitSupervisor: { id: 'u-sup', role: 'supervisor', unit: 'U1' },
  secondUnitSupervisor: { id: 'u-sup2', role: 'supervisor', unit: 'U1' },
  otherUnitSupervisor: { id: 'u-sup-other', role: 'supervisor', unit: 'U2' },
  supervisorNoUnit: { id: 'u-sup-none', role: 'supervisor', unit: null },
  unitValidator: { id: 'u-val-unit', role: 'validator', unit: 'U1' },
  independentValidator: { id: 'u-val', role: 'validator', unit: 'U2' },
  validatorNoUnit: { id: 'u-val-none', role: 'validator', unit: null },
  claimantNowValidator: { id: 'u-claimant', role: 'validator', unit: 'U2' },
  endorserNowValidator: { id: 'u-sup', role: 'validator', unit: 'U2' },
  administrator: { id: 'u-admin', role: 'administrator', unit: 'U2' },
  readOnly: { id: 'u-read', role: 'read_only', unit: 'U1' },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof ACTORS;

const ACTIONS = {
  edit: { type: 'edit' },
  submit: { type: 'submit' },
  endorse: { type: 'endorse' },
  validate: { type: 'validate' },
  return: { type: 'return', reason: 'Needs corroboration.' },
  reject: { type: 'reject', reason: 'Not a disruption.' },
  confirm: { type: 'review', outcome: 'confirmed' },
  downgrade: { type: 'review', outcome: 'downgraded', level: 'minor', reason: 'Resumed supply in March.' },
  upgrade: { type: 'review', outcome: 'upgraded', level: 'major', reason: 'Dismantled: principals convicted.' },
} satisfies Record<string, WorkflowAction>;
type ActionName = keyof typeof ACTIONS;

/** The only (state, action) pairs that may succeed, and who may do them. Everything else is refused. */
const ALLOWED: Partial<Record<StateName, Partial<Record<ActionName, ActorName[]>>>> = {
  draft: { edit: ['claimant'], submit: ['claimant'] },
  returned: { edit: ['claimant'], submit: ['claimant'] },
  submitted: {
    endorse: ['unitSupervisor', 'secondUnitSupervisor'],
    return: ['unitSupervisor', 'secondUnitSupervisor'],
  },
  endorsed: {
    validate: ['independentValidator'],
    return: ['independentValidator'],
    reject: ['independentValidator'],
  },
  validatedDue: {
    confirm: ['independentValidator'],
    downgrade: ['independentValidator'],
    upgrade: ['independentValidator'],
  },
};

// ---------------------------------------------------------------------------------------------
// Every state × action × actor
// ---------------------------------------------------------------------------------------------

describe('every transition, exhaustively', () => {
  const cases = (Object.keys(STATES) as StateName[]).flatMap((state) =>
    (Object.keys(ACTIONS) as ActionName[]).map((action) => [state, action] as const),
  );

  it.each(cases)('%s × %s: only the listed actors succeed', (state, action) => {
    const record = STATES[state];
    const frozen = structuredClone(record);
    const allowed = ALLOWED[state]?.[action] ?? [];
    const succeeded: ActorName[] = [];
    for (const name of Object.keys(ACTORS) as ActorName[]) {
      const result = transition(record, ACTIONS[action], ACTORS[name], TODAY);
      if (result.ok) succeeded.push(name);
      else {
        // A refusal is a sentence for the user, in British English, ending with a full stop.
        expect(result.reason).toMatch(/^[A-Z"].+\.$/);
      }
      // The input is never changed, allowed or not.
      expect(record).toEqual(frozen);
    }
    expect(succeeded).toEqual(allowed);
  });

  it('covers 8 states × 9 actions × 13 kinds of actor', () => {
    expect(cases.length * Object.keys(ACTORS).length).toBe(936);
  });
});

// ---------------------------------------------------------------------------------------------
// What each allowed transition produces
// ---------------------------------------------------------------------------------------------

function ok(result: ReturnType<typeof transition>): WorkflowRecord {
  if (!result.ok) throw new Error(`expected success, got: ${result.reason}`);
  return result.next;
}

function refused(result: ReturnType<typeof transition>): string {
  if (result.ok) throw new Error('expected a refusal');
  return result.reason;
}

describe('allowed transitions', () => {
  it('edit leaves the claim as it is', () => {
    expect(ok(transition(STATES.draft, ACTIONS.edit, ACTORS.claimant, TODAY))).toEqual(STATES.draft);
  });

  it('submit stamps the day', () => {
    expect(ok(transition(STATES.draft, ACTIONS.submit, ACTORS.claimant, TODAY))).toEqual({
      ...BASE,
      status: 'submitted',
      submittedOn: TODAY,
      endorsedBy: null,
      endorsedOn: null,
      returnedOn: null,
      decisionReason: null,
    });
  });

  it('resubmitting a returned claim clears the old endorsement: it must be endorsed again', () => {
    const next = ok(transition(STATES.returned, ACTIONS.submit, ACTORS.claimant, TODAY));
    expect(next).toMatchObject({
      status: 'submitted',
      submittedOn: TODAY,
      endorsedBy: null,
      endorsedOn: null,
      returnedOn: null,
      decisionReason: null,
    });
  });

  it('endorse records the supervisor', () => {
    expect(ok(transition(STATES.submitted, ACTIONS.endorse, ACTORS.unitSupervisor, TODAY))).toEqual({
      ...STATES.submitted,
      status: 'endorsed',
      endorsedBy: 'u-sup',
      endorsedOn: TODAY,
    });
  });

  it('a supervisor may return a submitted claim instead, with a reason', () => {
    expect(
      ok(transition(STATES.submitted, { type: 'return', reason: '  Add the custody records. ' }, ACTORS.unitSupervisor, TODAY)),
    ).toEqual({ ...STATES.submitted, status: 'returned', returnedOn: TODAY, decisionReason: 'Add the custody records.' });
  });

  it('validate records the validator and sets the durability review six months on', () => {
    expect(ok(transition(STATES.endorsed, ACTIONS.validate, ACTORS.independentValidator, TODAY))).toEqual({
      ...STATES.endorsed,
      status: 'validated',
      validatedBy: 'u-val',
      validatedOn: TODAY,
      durabilityDueOn: '2027-01-20',
    });
  });

  it('return and reject record the reason', () => {
    expect(ok(transition(STATES.endorsed, ACTIONS.return, ACTORS.independentValidator, TODAY))).toEqual({
      ...STATES.endorsed,
      status: 'returned',
      returnedOn: TODAY,
      decisionReason: 'Needs corroboration.',
    });
    expect(ok(transition(STATES.endorsed, ACTIONS.reject, ACTORS.independentValidator, TODAY))).toEqual({
      ...STATES.endorsed,
      status: 'rejected',
      rejectedOn: TODAY,
      decisionReason: 'Not a disruption.',
    });
  });

  it('a durability review confirms, downgrades or upgrades the level', () => {
    const review = { reviewedBy: 'u-val', reviewedOn: TODAY, durabilityDueOn: '2026-07-15' };
    expect(ok(transition(STATES.validatedDue, ACTIONS.confirm, ACTORS.independentValidator, TODAY))).toEqual({
      ...STATES.validatedDue,
      ...review,
      durabilityOutcome: 'confirmed',
      levelAfterReview: 'moderate',
      reviewReason: null,
    });
    expect(ok(transition(STATES.validatedDue, ACTIONS.downgrade, ACTORS.independentValidator, TODAY))).toEqual({
      ...STATES.validatedDue,
      ...review,
      durabilityOutcome: 'downgraded',
      levelAfterReview: 'minor',
      reviewReason: 'Resumed supply in March.',
    });
    expect(ok(transition(STATES.validatedDue, ACTIONS.upgrade, ACTORS.independentValidator, TODAY))).toMatchObject({
      durabilityOutcome: 'upgraded',
      levelAfterReview: 'major',
      level: 'moderate',
    });
    // Downgrades may go to none or negative (the disruption did not last, or backfired).
    expect(
      ok(
        transition(
          STATES.validatedDue,
          { type: 'review', outcome: 'downgraded', level: 'negative', reason: 'Rival group moved in.' },
          ACTORS.independentValidator,
          TODAY,
        ),
      ).levelAfterReview,
    ).toBe('negative');
  });

  it('a whole journey: claim, endorse, return, amend, resubmit, endorse, validate, review', () => {
    const steps: Array<[WorkflowAction, Actor, string, string]> = [
      [ACTIONS.submit, ACTORS.claimant, '2025-08-01', 'submitted'],
      [ACTIONS.endorse, ACTORS.unitSupervisor, '2025-08-02', 'endorsed'],
      [ACTIONS.return, ACTORS.independentValidator, '2025-08-05', 'returned'],
      [ACTIONS.edit, ACTORS.claimant, '2025-08-06', 'returned'],
      [ACTIONS.submit, ACTORS.claimant, '2025-08-06', 'submitted'],
      [ACTIONS.endorse, ACTORS.secondUnitSupervisor, '2025-08-07', 'endorsed'],
      [ACTIONS.validate, ACTORS.independentValidator, '2025-08-31', 'validated'],
      [ACTIONS.downgrade, ACTORS.independentValidator, '2026-02-28', 'validated'],
    ];
    let record: WorkflowRecord = BASE;
    for (const [action, actor, day, status] of steps) {
      record = ok(transition(record, action, actor, day));
      expect(record.status).toBe(status);
    }
    expect(record).toMatchObject({
      endorsedBy: 'u-sup2',
      validatedOn: '2025-08-31',
      durabilityDueOn: '2026-02-28',
      durabilityOutcome: 'downgraded',
      levelAfterReview: 'minor',
    });
  });

  it('a supervisor may claim; another supervisor of the unit endorses, not the claimant', () => {
    const claim: WorkflowRecord = { ...BASE, claimantId: 'u-sup' };
    const submitted = ok(transition(claim, ACTIONS.submit, ACTORS.unitSupervisor, TODAY));
    expect(refused(transition(submitted, ACTIONS.endorse, ACTORS.unitSupervisor, TODAY))).toBe(
      'The claimant cannot endorse their own claim.',
    );
    expect(ok(transition(submitted, ACTIONS.endorse, ACTORS.secondUnitSupervisor, TODAY)).status).toBe('endorsed');
  });
});

// ---------------------------------------------------------------------------------------------
// Why things are refused
// ---------------------------------------------------------------------------------------------

describe('refusals and their reasons', () => {
  it.each([
    ['validated', 'endorse', 'A validated claim cannot be endorsed.'],
    ['rejected', 'submit', 'A rejected claim cannot be submitted.'],
    ['draft', 'validate', 'A draft cannot be validated.'],
    ['submitted', 'reject', 'A submitted claim cannot be rejected.'],
    ['endorsed', 'edit', 'An endorsed claim cannot be edited.'],
    ['returned', 'confirm', 'A returned claim cannot be given a durability review.'],
  ] as Array<[StateName | 'validated', ActionName, string]>)('%s × %s', (state, action, reason) => {
    const record = state === 'validated' ? STATES.validatedDue : STATES[state];
    const actor = action === 'endorse' ? ACTORS.unitSupervisor : action === 'submit' || action === 'edit' ? ACTORS.claimant : ACTORS.independentValidator;
    expect(refused(transition(record, ACTIONS[action], actor, TODAY))).toBe(reason);
  });

  it.each([
    ['colleagueAnalyst', 'Only the claimant can change or submit this claim.'],
    ['claimantNowValidator', 'Claims are made by analysts and supervisors.'],
  ] as Array<[ActorName, string]>)('submit by %s', (actor, reason) => {
    expect(refused(transition(STATES.draft, ACTIONS.submit, ACTORS[actor], TODAY))).toBe(reason);
  });

  it.each([
    ['colleagueAnalyst', 'Only a supervisor can endorse or return a submitted claim.'],
    ['otherUnitSupervisor', "Only a supervisor in the claimant's unit can endorse or return this claim."],
    ['supervisorNoUnit', "Only a supervisor in the claimant's unit can endorse or return this claim."],
    ['independentValidator', 'Only a supervisor can endorse or return a submitted claim.'],
  ] as Array<[ActorName, string]>)('endorse by %s', (actor, reason) => {
    expect(refused(transition(STATES.submitted, ACTIONS.endorse, ACTORS[actor], TODAY))).toBe(reason);
  });

  it.each([
    ['unitSupervisor', 'Only a validator can do this.'],
    ['administrator', 'Only a validator can do this.'],
    ['claimantNowValidator', 'The claimant cannot validate or review their own claim.'],
    ['endorserNowValidator', 'The endorsing supervisor cannot also validate or review the claim.'],
    ['unitValidator', 'A validator from the claiming unit is not independent; someone from another unit must do this.'],
    ['validatorNoUnit', 'Your unit is not recorded, so your independence from the claiming unit cannot be shown.'],
  ] as Array<[ActorName, string]>)('validate by %s', (actor, reason) => {
    expect(refused(transition(STATES.endorsed, ACTIONS.validate, ACTORS[actor], TODAY))).toBe(reason);
  });

  it.each(['', '   ', '\n\t'])('return, reject, downgrade and upgrade need a reason (%j refused)', (reason) => {
    const v = ACTORS.independentValidator;
    expect(refused(transition(STATES.endorsed, { type: 'return', reason }, v, TODAY))).toBe(
      'Give a reason for returning the claim.',
    );
    expect(refused(transition(STATES.submitted, { type: 'return', reason }, ACTORS.unitSupervisor, TODAY))).toBe(
      'Give a reason for returning the claim.',
    );
    expect(refused(transition(STATES.endorsed, { type: 'reject', reason }, v, TODAY))).toBe(
      'Give a reason for rejecting the claim.',
    );
    expect(
      refused(transition(STATES.validatedDue, { type: 'review', outcome: 'downgraded', level: 'minor', reason }, v, TODAY)),
    ).toBe('Give a reason for downgrading the level.');
    expect(
      refused(transition(STATES.validatedDue, { type: 'review', outcome: 'upgraded', level: 'major', reason }, v, TODAY)),
    ).toBe('Give a reason for upgrading the level.');
  });

  it('a downgrade must lower the level and an upgrade raise it', () => {
    const v = ACTORS.independentValidator;
    const review = (outcome: 'downgraded' | 'upgraded', level: WorkflowRecord['level']) =>
      transition(STATES.validatedDue, { type: 'review', outcome, level, reason: 'Because.' }, v, TODAY);
    expect(refused(review('downgraded', 'moderate'))).toBe('A downgrade needs a level below moderate.');
    expect(refused(review('downgraded', 'major'))).toBe('A downgrade needs a level below moderate.');
    expect(refused(review('upgraded', 'moderate'))).toBe('An upgrade needs a level above moderate.');
    expect(refused(review('upgraded', 'none'))).toBe('An upgrade needs a level above moderate.');
    expect(refused(review('upgraded', 'huge' as WorkflowRecord['level']))).toBe('Unknown level "huge".');
  });

  it('the durability review is refused before it is due and after it is recorded', () => {
    expect(refused(transition(STATES.validatedNotDue, ACTIONS.confirm, ACTORS.independentValidator, TODAY))).toBe(
      'The durability review is not due until 15/08/2026.',
    );
    expect(refused(transition(STATES.validatedReviewed, ACTIONS.confirm, ACTORS.independentValidator, TODAY))).toBe(
      'The durability review of this claim has already been recorded.',
    );
  });

  it('a step may not be dated before the last one', () => {
    expect(refused(transition(STATES.endorsed, ACTIONS.validate, ACTORS.independentValidator, '2026-01-07'))).toBe(
      'This claim already has a step dated 08/01/2026; a later step cannot be dated before it.',
    );
    expect(ok(transition(STATES.endorsed, ACTIONS.validate, ACTORS.independentValidator, '2026-01-08')).validatedOn).toBe(
      '2026-01-08',
    );
  });

  it('refuses a bad date, an unknown status or an unknown action from an untyped caller', () => {
    expect(refused(transition(STATES.draft, ACTIONS.submit, ACTORS.claimant, '2026-02-30'))).toBe(
      '"2026-02-30" is not a real date written YYYY-MM-DD.',
    );
    expect(
      refused(transition({ ...BASE, status: 'archived' as WorkflowRecord['status'] }, ACTIONS.submit, ACTORS.claimant, TODAY)),
    ).toBe('Unknown claim status "archived".');
    expect(refused(transition(STATES.draft, { type: 'delete' } as unknown as WorkflowAction, ACTORS.claimant, TODAY))).toBe(
      'Unknown action "delete".',
    );
  });
});

describe('durability review dates', () => {
  it.each([
    ['2026-01-15', '2026-07-15'],
    ['2025-08-31', '2026-02-28'],
    ['2023-08-31', '2024-02-29'],
    ['2025-09-30', '2026-03-30'],
    ['2025-10-31', '2026-04-30'],
    ['2025-12-31', '2026-06-30'],
  ])('validated on %s: due on %s', (validated, due) => {
    expect(durabilityDueOn(validated)).toBe(due);
  });

  it('is due from the due date itself, not the day before', () => {
    const claim = { ...STATES.validatedDue, validatedOn: '2025-08-31', durabilityDueOn: '2026-02-28' };
    expect(isDurabilityReviewDue(claim, '2026-02-27')).toBe(false);
    expect(isDurabilityReviewDue(claim, '2026-02-28')).toBe(true);
    expect(refused(transition(claim, ACTIONS.confirm, ACTORS.independentValidator, '2026-02-27'))).toBe(
      'The durability review is not due until 28/02/2026.',
    );
    expect(ok(transition(claim, ACTIONS.confirm, ACTORS.independentValidator, '2026-02-28')).reviewedOn).toBe(
      '2026-02-28',
    );
  });

  it('the queue leaves out reviewed claims and claims that are not validated', () => {
    expect(isDurabilityReviewDue(STATES.validatedReviewed, TODAY)).toBe(false);
    expect(isDurabilityReviewDue(STATES.endorsed, TODAY)).toBe(false);
    expect(isDurabilityReviewDue(STATES.validatedNotDue, TODAY)).toBe(false);
    expect(isDurabilityReviewDue(STATES.validatedDue, TODAY)).toBe(true);
    // Without a stored due date, it is worked out from the validation date.
    expect(isDurabilityReviewDue({ ...STATES.validatedDue, durabilityDueOn: null }, '2026-07-15')).toBe(true);
    expect(isDurabilityReviewDue({ ...STATES.validatedDue, durabilityDueOn: null }, '2026-07-14')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Units, the claimant's own unit, and the screens' question
// ---------------------------------------------------------------------------------------------

describe('units are compared ignoring case and spacing, by the workflow itself', () => {
  const claimFor = (unit: string) => ({ ...STATES.submitted, claimingUnit: unit });

  it('a supervisor recorded as " gangs   UNIT " endorses a claim for "Gangs Unit"', () => {
    const supervisor: Actor = { id: 'u-sup', role: 'supervisor', unit: ' gangs   UNIT ' };
    expect(ok(transition(claimFor('Gangs Unit'), ACTIONS.endorse, supervisor, TODAY)).status).toBe('endorsed');
  });

  it('a validator recorded as "GANGS unit" is not independent of a claim for "Gangs  Unit"', () => {
    const validator: Actor = { id: 'u-val-unit', role: 'validator', unit: 'GANGS unit' };
    expect(refused(transition({ ...STATES.endorsed, claimingUnit: 'Gangs  Unit' }, ACTIONS.validate, validator, TODAY))).toBe(
      'A validator from the claiming unit is not independent; someone from another unit must do this.',
    );
  });

  it('a unit of spaces is no unit', () => {
    expect(refused(transition(STATES.endorsed, ACTIONS.validate, { id: 'u-val', role: 'validator', unit: '   ' }, TODAY))).toBe(
      'Your unit is not recorded, so your independence from the claiming unit cannot be shown.',
    );
  });
});

describe("the validator must be from a unit other than the claimant's own", () => {
  // Claimed "for" U1 by someone recorded in U3.
  const forU1ByU3 = <T extends WorkflowRecord>(r: T): T => ({ ...r, claimantUnit: 'U3' });
  const colleague: Actor = { id: 'u-val-u3', role: 'validator', unit: ' u3 ' };
  const OWN_UNIT = "A validator from the claimant's own unit is not independent; someone from another unit must do this.";

  it.each([
    ['endorsed', ACTIONS.validate],
    ['endorsed', ACTIONS.return],
    ['endorsed', ACTIONS.reject],
    ['validatedDue', ACTIONS.confirm],
    ['validatedDue', ACTIONS.downgrade],
  ] as Array<['endorsed' | 'validatedDue', WorkflowAction]>)('%s × %o: refused for a validator in the claimant’s unit', (state, action) => {
    expect(refused(transition(forU1ByU3(STATES[state]), action, colleague, TODAY))).toBe(OWN_UNIT);
    expect(transition(forU1ByU3(STATES[state]), action, ACTORS.independentValidator, TODAY).ok).toBe(true);
  });

  it('asked once every other rule has said yes: a review not yet due, or a step without a reason, gives that reason', () => {
    expect(refused(transition(forU1ByU3(STATES.validatedNotDue), ACTIONS.confirm, colleague, TODAY))).toBe('The durability review is not due until 15/08/2026.');
    expect(refused(transition(forU1ByU3(STATES.endorsed), { type: 'reject', reason: ' ' }, colleague, TODAY))).toBe('Give a reason for rejecting the claim.');
    expect(refused(transition(forU1ByU3(STATES.endorsed), ACTIONS.validate, ACTORS.unitValidator, TODAY))).toBe(
      'A validator from the claiming unit is not independent; someone from another unit must do this.',
    );
  });

  it('a claimant with no unit recorded adds nothing; the supervisors’ steps are not affected', () => {
    for (const claimantUnit of [null, '', '  ']) {
      expect(transition({ ...STATES.endorsed, claimantUnit }, ACTIONS.validate, colleague, TODAY).ok).toBe(true);
    }
    expect(transition({ ...STATES.submitted, claimantUnit: 'U1' }, ACTIONS.endorse, ACTORS.unitSupervisor, TODAY).ok).toBe(true);
  });
});

describe('the screens ask without units: the buttons each role is shown', () => {
  /** What the claim's screen offered before it asked the workflow: role and status only. */
  function shownBefore(d: WorkflowRecord, a: Actor) {
    const isClaimant = d.claimantId === a.id;
    const isKeeper = a.role === 'analyst' || a.role === 'supervisor';
    const isOpen = d.status === 'draft' || d.status === 'returned';
    return {
      edit: isClaimant && isKeeper && isOpen,
      submit: isClaimant && isKeeper && isOpen,
      endorse: a.role === 'supervisor' && !isClaimant && d.status === 'submitted',
      decide: a.role === 'validator' && d.status === 'endorsed',
      review: a.role === 'validator' && d.status === 'validated' && !d.durabilityOutcome && Boolean(d.durabilityDueOn) && d.durabilityDueOn! <= TODAY,
    };
  }
  function shownNow(d: WorkflowRecord, a: Actor) {
    const asks = (action: WorkflowAction) => transition(d, action, a, TODAY, { areUnitsKnown: false }).ok;
    return { edit: asks(ACTIONS.edit), submit: asks(ACTIONS.submit), endorse: asks(ACTIONS.endorse), decide: asks(ACTIONS.validate), review: asks(ACTIONS.confirm) };
  }
  // Roles are not changed in the app; these two are the claimant and the endorser after a change.
  const ROLE_CHANGED: ActorName[] = ['claimantNowValidator', 'endorserNowValidator'];

  it.each(Object.keys(STATES) as StateName[])('%s: every actor is shown what the role-and-status rule showed', (state) => {
    for (const name of (Object.keys(ACTORS) as ActorName[]).filter((n) => !ROLE_CHANGED.includes(n))) {
      const record = { ...STATES[state], claimantUnit: 'U1' };
      expect(shownNow(record, ACTORS[name]), `${state} × ${name}`).toEqual(shownBefore(record, ACTORS[name]));
    }
  });

  it('steps only the units forbid are still offered, so main can say why; the claimant and the endorser are never offered validation', () => {
    const dry = { areUnitsKnown: false };
    expect(transition(STATES.endorsed, ACTIONS.validate, ACTORS.unitValidator, TODAY, dry).ok).toBe(true);
    expect(transition(STATES.endorsed, ACTIONS.validate, ACTORS.validatorNoUnit, TODAY, dry).ok).toBe(true);
    expect(transition({ ...STATES.endorsed, claimantUnit: 'U2' }, ACTIONS.validate, ACTORS.independentValidator, TODAY, dry).ok).toBe(true);
    expect(transition(STATES.submitted, ACTIONS.endorse, ACTORS.otherUnitSupervisor, TODAY, dry).ok).toBe(true);
    for (const name of ROLE_CHANGED) expect(transition(STATES.endorsed, ACTIONS.validate, ACTORS[name], TODAY, dry).ok).toBe(false);
    // Main always asks with the units.
    expect(transition(STATES.endorsed, ACTIONS.validate, ACTORS.unitValidator, TODAY).ok).toBe(false);
  });
});

describe('a claim that has moved past an action', () => {
  const STATE_REASON = /cannot be (edited|submitted|endorsed|validated|returned|rejected|given a durability review)\.$|has already been recorded\.$/;

  it.each((Object.keys(STATES) as StateName[]).flatMap((state) => (Object.keys(ACTIONS) as ActionName[]).map((action) => [state, action] as const)))(
    '%s × %s: hasMovedPast exactly when everyone is refused for the state',
    (state, action) => {
      const isPast = hasMovedPast(STATES[state], ACTIONS[action].type);
      for (const name of Object.keys(ACTORS) as ActorName[]) {
        const result = transition(STATES[state], ACTIONS[action], ACTORS[name], TODAY);
        expect(!result.ok && STATE_REASON.test(result.reason), `${state} × ${action} × ${name}`).toBe(isPast);
      }
    },
  );
});

describe('the durability queue and the review agree on the due date', () => {
  it('a stored due date counts even without a validation date', () => {
    const claim = { ...STATES.validatedDue, validatedOn: null };
    expect(transition(claim, ACTIONS.confirm, ACTORS.independentValidator, TODAY).ok).toBe(true);
    expect(isDurabilityReviewDue(claim, TODAY)).toBe(true);
  });

  it('with neither date, the review is refused and the claim is not in the queue', () => {
    const claim = { ...STATES.validatedDue, validatedOn: null, durabilityDueOn: null };
    expect(refused(transition(claim, ACTIONS.confirm, ACTORS.independentValidator, TODAY))).toBe('This claim has no validation date, so its review date is unknown.');
    expect(isDurabilityReviewDue(claim, TODAY)).toBe(false);
  });
});
