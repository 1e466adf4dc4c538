/**
 * Consultations that are honest and justified, on an encrypted vault on disk through the real
 * IPC dispatch:
 * - a restricted network or person (an under-18, a victim / at-risk link, a flagged nominal, an
 *   item with handling code C) is refused without a reason (`reason_required`) and the refusal
 *   writes nothing; with a reason, one consultation entry with that reason as its justification
 *   and not in its summary; again in the same unlock, no reason asked and the reason carried;
 *   another user, or the same one after a lock, is asked again;
 * - which kinds are restricted is an administrator's setting, audited, stored so that a new or
 *   damaged value restricts rather than frees;
 * - the card's audit trail shows each role its part: every entry to supervisors and
 *   administrators, the changes (not the consultations) to analysts, none to validators and
 *   read-only users; filtered in the query, so a flood of consultations hides no change.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { REASON_REQUIRED_MESSAGE } from '../../main/services/consultation.service';
import { RESTRICTED_RECORD_KINDS, type RestrictedRecordKind, type Result } from '../../preload/contract';
import {
  auditHeadSeq,
  auditSince,
  fingerprint,
  intel,
  network,
  openMatrixWorld,
  person,
  type Actor,
  type MatrixWorld,
} from '../helpers/matrix-fixtures';
import { ANALYST, READER, VALIDATOR, findCanaries, listFilesRecursive } from '../helpers/vault-fixtures';

type Card = { audit: { action: string; userName: string | null; justification: string | null; summary: string }[] };

const ALL: RestrictedRecordKind[] = [...RESTRICTED_RECORD_KINDS];

async function ok<T = unknown>(r: Promise<Result<unknown>>): Promise<T> {
  const got = await r;
  if (!got.ok) throw new Error(`expected ok, got ${got.code}: ${got.message}`);
  return got.value as T;
}

function link(w: MatrixWorld, personId: string, networkId: string, role: 'associate' | 'victim_at_risk' = 'associate') {
  // A self-admission cites the item that records it.
  const intelIds = role !== 'victim_at_risk' ? [intel(w, 2, 'B', `Interview ${personId}`, { itemDate: '2025-12-01' }).id] : [];
  return M.linkPerson(w.s, { personId, networkId, role, isSelfAdmission: role !== 'victim_at_risk', intelIds, startDate: '2026-01-01' });
}

/** A confirmed gang flag on a person: proposed by the analyst, confirmed by a supervisor. */
function flagged(w: MatrixWorld, personId: string, networkId: string) {
  const f = M.proposeFlag(w.s, { subjectType: 'person', subjectId: personId, networkId, isSelfAdmission: true, intelIds: [intel(w, 2, 'B', `Flag interview ${personId}`, { itemDate: '2025-12-01' }).id] });
  w.as(w.supervisor);
  M.confirmFlag(w.s, f.id);
  w.as(w.analyst);
  return f;
}

async function setRestricted(w: MatrixWorld, kinds: RestrictedRecordKind[], by: Actor = w.admin) {
  const me = w.s.user!;
  w.as(by);
  const r = await w.call('settings:update', { idleTimeoutMinutes: 10, marking: 'OFFICIAL-SENSITIVE', restrictedRecords: kinds });
  w.s.user = me;
  return r;
}

describe('a restricted record opens only with a reason, asked once per unlock', () => {
  let w: MatrixWorld;
  let young: { id: string; reference: string };
  let adult: { id: string; reference: string };
  let restricted: { id: string; reference: string };
  let plain: { id: string; reference: string };
  const REASON = 'Preparing the safeguarding referral';

  beforeAll(() => {
    w = openMatrixWorld('consult-reason');
    young = person(w, 'Yan Testperson', '2010-02-01');
    adult = person(w, 'Abe Testperson', '1990-02-01');
    restricted = network(w, 'Young Crew');
    plain = network(w, 'Plain Crew');
    link(w, young.id, restricted.id);
    link(w, adult.id, plain.id);
  });
  afterAll(() => w?.close());

  test('without a reason: refused with reason_required and a sentence, and nothing is written', async () => {
    for (const [channel, id] of [
      ['networks:get', restricted.id],
      ['people:get', young.id],
    ] as const) {
      const before = fingerprint(w.db());
      expect(await w.call(channel, { id })).toEqual({ ok: false, code: 'reason_required', message: REASON_REQUIRED_MESSAGE });
      expect(fingerprint(w.db()), channel).toBe(before);
    }
  });

  test('a reason that says nothing, runs to several lines or hides characters is refused beside the field, writing nothing', async () => {
    for (const reason of ['check', '       a      ', 'Line one\nline two of it', 'Bell \u0007 in the reason', 'Looks fine \u202e but is not', 'x'.repeat(501)]) {
      const before = fingerprint(w.db());
      const r = await w.call('networks:get', { id: restricted.id, reason });
      expect(r, JSON.stringify(reason)).toMatchObject({ ok: false, code: 'invalid_input', fields: { reason: expect.any(String) } });
      expect(fingerprint(w.db())).toBe(before);
    }
  });

  test('with a reason: one consultation entry, the reason as its justification and nowhere in its summary', async () => {
    const seq = auditHeadSeq(w.db());
    await ok(w.call('networks:get', { id: restricted.id, reason: `  ${REASON}  ` }));
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'consult', entityType: 'network', entityId: restricted.id, summary: `Network ${restricted.reference} opened`, justification: REASON, userName: ANALYST.name },
    ]);
    const seq2 = auditHeadSeq(w.db());
    await ok(w.call('people:get', { id: young.id, reason: REASON }));
    expect(auditSince(w.db(), seq2)).toEqual([
      { action: 'consult', entityType: 'person', entityId: young.id, summary: `Person ${young.reference} opened`, justification: REASON, userName: ANALYST.name },
    ]);
  });

  test('opened again in the same unlock (the card reading itself after a change): no reason asked, the reason carried', async () => {
    const seq = auditHeadSeq(w.db());
    await ok(w.call('networks:get', { id: restricted.id }));
    await ok(w.call('people:get', { id: young.id }));
    expect(auditSince(w.db(), seq).map((e) => [e.action, e.entityId, e.justification])).toEqual([
      ['consult', restricted.id, REASON],
      ['consult', young.id, REASON],
    ]);
  });

  test("another user's reason does not cover this one", async () => {
    w.as(w.supervisor);
    expect(await w.call('networks:get', { id: restricted.id })).toMatchObject({ ok: false, code: 'reason_required' });
    w.as(w.analyst);
  });

  test('a record that is not restricted opens without a reason and writes one entry with no justification', async () => {
    const seq = auditHeadSeq(w.db());
    await ok(w.call('networks:get', { id: plain.id }));
    await ok(w.call('people:get', { id: adult.id }));
    expect(auditSince(w.db(), seq).map((e) => [e.action, e.entityId, e.justification])).toEqual([
      ['consult', plain.id, null],
      ['consult', adult.id, null],
    ]);
  });

  test('after a lock the reason is asked again; the entries and their reasons are in the vault on disk, and only there', async () => {
    vaultService.lock(w.s, 'manual');
    vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    const seq = auditHeadSeq(w.db());
    expect(await w.call('networks:get', { id: restricted.id })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(await w.call('people:get', { id: young.id })).toMatchObject({ ok: false, code: 'reason_required' });
    expect(auditHeadSeq(w.db())).toBe(seq);
    // Read back from the reopened file: the reasons given before the lock are the entries' justifications.
    const justified = auditSince(w.db(), 0).filter((e) => e.action === 'consult' && e.justification !== null);
    expect(justified.map((e) => [e.entityId, e.justification])).toEqual([
      [restricted.id, REASON],
      [young.id, REASON],
      [restricted.id, REASON],
      [young.id, REASON],
    ]);
    expect(auditSince(w.db(), 0).some((e) => e.summary.includes(REASON))).toBe(false);
    // Nothing outside the encrypted vault holds a reason: not its key file, nor this workstation's state.
    expect(findCanaries(listFilesRecursive(w.tv.dir), [REASON])).toEqual([]);
    await ok(w.call('networks:get', { id: restricted.id, reason: 'Back after lunch to finish it' }));
  });
});

describe('what makes a record restricted, as the administrator sets it', () => {
  let w: MatrixWorld;
  /** For each kind, a network and (where a person can carry it) a person restricted by that kind alone. */
  const cases = {} as Record<RestrictedRecordKind, { networkId: string; personId: string | null }>;
  let proposedOnly: { networkId: string; personId: string };

  beforeAll(() => {
    w = openMatrixWorld('consult-kinds');
    const minor = person(w, 'Mia Testperson', '2012-06-01');
    const n18 = network(w, 'Minor Crew');
    link(w, minor.id, n18.id);
    cases.under_18 = { networkId: n18.id, personId: minor.id };

    const victim = person(w, 'Vic Testperson', '1985-06-01');
    const nv = network(w, 'Victim Crew');
    link(w, victim.id, nv.id, 'victim_at_risk');
    cases.victim_at_risk = { networkId: nv.id, personId: victim.id };

    const nominal = person(w, 'Nia Testperson', '1988-06-01');
    const nf = network(w, 'Flagged Crew');
    link(w, nominal.id, nf.id);
    flagged(w, nominal.id, nf.id);
    cases.flagged_nominal = { networkId: nf.id, personId: nominal.id };

    const nc = network(w, 'Handling Crew');
    intel(w, 1, 'A', 'Source C', { networkIds: [nc.id], handling: 'C' });
    intel(w, 2, 'B', 'Source P', { networkIds: [nc.id], handling: 'P' });
    cases.handling_c = { networkId: nc.id, personId: null };

    // A flag proposed but not confirmed does not make a flagged nominal.
    const proposed = person(w, 'Pat Testperson', '1987-06-01');
    const np = network(w, 'Proposed Crew');
    link(w, proposed.id, np.id);
    M.proposeFlag(w.s, { subjectType: 'person', subjectId: proposed.id, networkId: np.id, isSelfAdmission: true, intelIds: [intel(w, 2, 'B', 'Flag interview Pat', { itemDate: '2025-12-01' }).id] });
    proposedOnly = { networkId: np.id, personId: proposed.id };
  });
  afterAll(() => w?.close());

  test('by default every kind is restricted, on the network and on the person', async () => {
    expect((await ok<{ restrictedRecords: string[] }>(w.call('settings:get', {}))).restrictedRecords).toEqual(ALL);
    for (const kind of ALL) {
      const c = cases[kind];
      expect(await w.call('networks:get', { id: c.networkId }), kind).toMatchObject({ ok: false, code: 'reason_required' });
      if (c.personId) expect(await w.call('people:get', { id: c.personId }), kind).toMatchObject({ ok: false, code: 'reason_required' });
    }
    await ok(w.call('networks:get', { id: proposedOnly.networkId }));
    await ok(w.call('people:get', { id: proposedOnly.personId }));
  });

  test.each(ALL.map((k) => [k]))('with %s turned off, its records open without a reason; the others still ask', async (kind) => {
    await ok(setRestricted(w, ALL.filter((k) => k !== kind)));
    for (const other of ALL) {
      const c = cases[other];
      const r = await w.call('networks:get', { id: c.networkId });
      if (other === kind) expect(r.ok, other).toBe(true);
      else expect(r, other).toMatchObject({ ok: false, code: 'reason_required' });
      if (c.personId) {
        const p = await w.call('people:get', { id: c.personId });
        if (other === kind) expect(p.ok, other).toBe(true);
        else expect(p, other).toMatchObject({ ok: false, code: 'reason_required' });
      }
    }
    await ok(setRestricted(w, ALL));
  });

  test('the change is audited with the list it became; only an administrator may make it', async () => {
    const seq = auditHeadSeq(w.db());
    const saved = await ok<{ restrictedRecords: string[] }>(setRestricted(w, ['under_18', 'handling_c']));
    expect(saved.restrictedRecords).toEqual(['under_18', 'handling_c']);
    expect(auditSince(w.db(), seq)).toEqual([
      {
        action: 'alter',
        entityType: 'settings',
        entityId: null,
        summary: 'Settings changed: restrictedRecords (a reason is now asked for: under_18, handling_c)',
        justification: null,
        userName: w.admin.name,
      },
    ]);
    // A form that changes only the timeout leaves the list as it is.
    w.as(w.admin);
    await ok(w.call('settings:update', { idleTimeoutMinutes: 11, marking: 'OFFICIAL-SENSITIVE' }));
    expect((await ok<{ restrictedRecords: string[] }>(w.call('settings:get', {}))).restrictedRecords).toEqual(['under_18', 'handling_c']);
    // Nothing turned off at all is recorded as such.
    const seq2 = auditHeadSeq(w.db());
    await ok(w.call('settings:update', { idleTimeoutMinutes: 11, marking: 'OFFICIAL-SENSITIVE', restrictedRecords: [] }));
    expect(auditSince(w.db(), seq2).map((e) => e.summary)).toEqual(['Settings changed: restrictedRecords (a reason is now asked for: none)']);
    // Keepers cannot narrow it: refused before anything is written.
    for (const who of [w.analyst, w.supervisor]) {
      const before = fingerprint(w.db());
      expect(await setRestricted(w, [], who)).toMatchObject({ ok: false, code: 'forbidden' });
      expect(fingerprint(w.db())).toBe(before);
    }
    w.as(w.admin);
    expect(await w.call('settings:update', { idleTimeoutMinutes: 11, marking: 'OFFICIAL-SENSITIVE', restrictedRecords: ['under_18', 'under_18'] })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await w.call('settings:update', { idleTimeoutMinutes: 11, marking: 'OFFICIAL-SENSITIVE', restrictedRecords: ['everything'] })).toMatchObject({ ok: false, code: 'invalid_input' });
    await ok(setRestricted(w, ALL));
    w.as(w.analyst);
  });

  test('a damaged stored value restricts every kind rather than none', async () => {
    w.s.vault!.tx((db) => db.prepare("UPDATE settings SET value = 'not json' WHERE key = 'restrictedRecordsExempt'").run());
    expect((await ok<{ restrictedRecords: string[] }>(w.call('settings:get', {}))).restrictedRecords).toEqual(ALL);
    // What is stored is what was turned off: a kind the stored list does not name (one added by a
    // later version) is restricted.
    w.s.vault!.tx((db) => db.prepare("UPDATE settings SET value = '[\"victim_at_risk\"]' WHERE key = 'restrictedRecordsExempt'").run());
    expect((await ok<{ restrictedRecords: string[] }>(w.call('settings:get', {}))).restrictedRecords).toEqual(ALL.filter((k) => k !== 'victim_at_risk'));
    await ok(setRestricted(w, ALL));
  });
});

describe("the card's audit trail shows each role its part", () => {
  let w: MatrixWorld;
  let validator: Actor;
  let reader: Actor;
  let n: { id: string; reference: string };
  const SUPERVISOR_REASON = 'Supervising the network review';
  const ANALYST_REASON = 'Building the record';

  beforeAll(async () => {
    w = openMatrixWorld('consult-roles');
    w.as(w.admin);
    validator = { id: usersService.add(w.s, { name: VALIDATOR.name, role: 'validator', passphrase: VALIDATOR.passphrase }).id, name: VALIDATOR.name, role: 'validator' };
    reader = { id: usersService.add(w.s, { name: READER.name, role: 'read_only', passphrase: READER.passphrase }).id, name: READER.name, role: 'read_only' };
    w.as(w.analyst);
    n = network(w, 'Trail Crew');
    const p = person(w, 'Tia Testperson', '2011-04-04');
    link(w, p.id, n.id);
    M.rateNetwork(w.s, { networkId: n.id, kind: 'capability', dimension: 'firearms', value: 1 });
    // The supervisor consults it with a reason; then a flood of consultations by the analyst, more
    // than the card's 500 entries, which must not push the changes out of the analyst's view.
    w.as(w.supervisor);
    await ok(w.call('networks:get', { id: n.id, reason: SUPERVISOR_REASON }));
    w.as(w.analyst);
    await ok(w.call('networks:get', { id: n.id, reason: ANALYST_REASON }));
    for (let i = 0; i < 505; i++) await ok(w.call('networks:get', { id: n.id }));
  }, 120_000);
  afterAll(() => w?.close());

  async function cardAs(who: Actor): Promise<Card> {
    w.as(who);
    const r = await w.call('networks:get', { id: n.id, reason: `Opened by ${who.name} for a test` });
    w.as(w.analyst);
    if (!r.ok) throw new Error(r.message);
    return r.value as Card;
  }

  test("an analyst sees the changes (collect, alter, combine), never a consultation, however many there are", async () => {
    const card = await cardAs(w.analyst);
    const actions = new Set(card.audit.map((a) => a.action));
    expect([...actions].sort()).toEqual(['alter', 'collect', 'combine']);
    expect(card.audit.map((a) => a.summary)).toEqual(
      expect.arrayContaining([`Network ${n.reference} created (gang)`, expect.stringMatching(/(linked|proposed for a link) to network .* as associate/), expect.stringMatching(/capability rating firearms set to 1/)]),
    );
    expect(card.audit.some((a) => a.justification === SUPERVISOR_REASON)).toBe(false);
  });

  test.each([['supervisor'], ['administrator']])("a %s sees every entry, others' consultations and their reasons included", async (role) => {
    const who = role === 'supervisor' ? w.supervisor2 : w.admin;
    const card = await cardAs(who);
    expect(card.audit).toHaveLength(500);
    const consults = card.audit.filter((a) => a.action === 'consult');
    expect(consults.length).toBeGreaterThan(0);
    // The analyst's openings, each with a reason the analyst gave in this unlock (the flood carries
    // the first one given).
    const analysts = consults.filter((a) => a.userName === w.analyst.name).map((a) => a.justification);
    expect(analysts).toContain(ANALYST_REASON);
    expect(analysts).not.toContain(null);
  });

  test.each([['validator'], ['read_only']])('a %s sees no entries', async (role) => {
    const card = await cardAs(role === 'validator' ? validator : reader);
    expect(card.audit).toEqual([]);
  });
});
