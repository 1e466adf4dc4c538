/**
 * The retention policy (resources/reference/retention-policy.json) and the rules it sets, enforced
 * in main on an encrypted vault (issue 10, "Policy as versioned reference data"; docs/specification.md,
 * "Governance the software enforces"): the file and its schema, its versions recorded in the vault,
 * every date ceiling, the age floor, a child's link confirmed by a second supervisor, a flag never
 * confirmed by its proposer nor put on a victim-only person, a corrected date of birth re-dating
 * reviews, and an administrator's shortening (never lengthening) as a new audited version.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import retentionPolicyJson from '../../resources/reference/retention-policy.json';
import { parseRetentionPolicy, ReferenceDataError } from '../../main/domain/reference';
import { reviewDateRefusal } from '../../main/domain/retention-policy';
import * as M from '../../main/services/matrix.service';
import * as vaultService from '../../main/services/vault.service';
import { importDocument } from '../../main/services/import.service';
import { POLICY_PERIOD_KEYS } from '../../preload/contract/schemas/policy';
import { ADMIN, caught } from '../helpers/vault-fixtures';
import { AS_OF_INSTANT, auditSince, auditHeadSeq, fingerprint, intel, network, openMatrixWorld, person, type MatrixWorld } from '../helpers/matrix-fixtures';

let w: MatrixWorld;

beforeAll(() => {
  w = openMatrixWorld('retention-policy');
});
afterAll(() => w?.close());
beforeEach(() => {
  w.clock.set(AS_OF_INSTANT); // 30/06/2026
  w.as(w.analyst);
});

async function refusedCall(channel: string, payload: unknown): Promise<{ code: string; message: string; fields?: Record<string, string> }> {
  const before = fingerprint(w.db());
  const r = await w.call(channel, payload);
  expect(fingerprint(w.db())).toBe(before);
  if (r.ok) throw new Error(`${channel} was expected to be refused`);
  return r.fields ? { code: r.code, message: r.message, fields: r.fields } : { code: r.code, message: r.message };
}

async function ok<T>(channel: string, payload: unknown): Promise<T> {
  const r = await w.call(channel, payload);
  if (!r.ok) throw new Error(`${channel} failed: ${r.code} ${r.message}`);
  return r.value as T;
}

function refusedSync(fn: () => unknown): { code: string; message: string } {
  const before = fingerprint(w.db());
  const e = caught(fn);
  expect(fingerprint(w.db())).toBe(before);
  return { code: e.code, message: e.message };
}

const sources = () => [intel(w, 1, 'A', `CHIS ${Math.random().toString(36).slice(2, 8)}`).id, intel(w, 2, 'B', `Officer ${Math.random().toString(36).slice(2, 8)}`).id];

/* ---- The file ----------------------------------------------------------------------------- */

describe('the policy file', () => {
  test('states every period with its value, limit, reason and source', () => {
    const p = parseRetentionPolicy(retentionPolicyJson);
    expect(p).toMatchObject({ id: 'retention-policy', version: '1.0.0', kind: 'retention_policy', effectiveFrom: '2026-01-01' });
    expect(Object.keys(p.periods)).toEqual([...POLICY_PERIOD_KEYS]);
    const v = (k: keyof typeof p.periods) => [p.periods[k].value, p.periods[k].limit, p.periods[k].bound, p.periods[k].unit];
    expect(v('memberReviewMonths')).toEqual([6, 6, 'at_most', 'months']);
    expect(v('flagReviewMonths')).toEqual([6, 6, 'at_most', 'months']);
    expect(v('under18ReviewMonths')).toEqual([3, 3, 'at_most', 'months']);
    expect(v('networkReviewMonths')).toEqual([12, 12, 'at_most', 'months']);
    expect(v('bandAReviewMeetings')).toEqual([1, 1, 'at_most', 'meetings']);
    expect(v('reviewGraceDays')).toEqual([30, 30, 'at_most', 'days']);
    expect(v('evidenceWindowMonths')).toEqual([12, 12, 'at_most', 'months']);
    expect(v('evidenceMinimumItems')).toEqual([1, 1, 'at_least', 'items']);
    expect(v('evidenceCeilingYears')).toEqual([5, 5, 'at_most', 'years']);
    expect(v('overrideExpiryMonths')).toEqual([6, 6, 'at_most', 'months']);
    expect(v('minimumAgeYears')).toEqual([10, 10, 'at_least', 'years']);
    for (const k of POLICY_PERIOD_KEYS) {
      expect(p.periods[k].reason.length, k).toBeGreaterThan(20);
      expect(p.periods[k].source.length, k).toBeGreaterThan(5);
    }
  });

  test('a bad file is refused with a sentence naming the file and the fault', () => {
    const refusal = (json: unknown): string => {
      try {
        parseRetentionPolicy(json);
      } catch (e) {
        expect(e).toBeInstanceOf(ReferenceDataError);
        return (e as Error).message;
      }
      throw new Error('expected the file to be refused');
    };
    const noSource = structuredClone(retentionPolicyJson) as { periods: Record<string, Record<string, unknown>> };
    delete noSource.periods.minimumAgeYears!.source;
    expect(refusal(noSource)).toBe('Reference data "retention-policy" is invalid: periods.minimumAgeYears.source: Invalid input: expected string, received undefined');
    const tooLong = structuredClone(retentionPolicyJson) as { periods: Record<string, Record<string, unknown>> };
    tooLong.periods.overrideExpiryMonths!.value = 7;
    tooLong.periods.minimumAgeYears!.value = 9;
    expect(refusal(tooLong)).toBe('Reference data "retention-policy" is invalid: periods.overrideExpiryMonths.value: must be at most 6; periods.minimumAgeYears.value: must be at least 10');
    const child = structuredClone(retentionPolicyJson) as { periods: Record<string, Record<string, unknown>> };
    child.periods.under18ReviewMonths!.value = 7;
    child.periods.under18ReviewMonths!.limit = 7;
    expect(() => parseRetentionPolicy(child)).toThrow('periods.under18ReviewMonths.value: must not be longer than the adult review cycles');
  });

  test('is recorded in the vault like the weight tables, and answered by policy:get to any user', async () => {
    const row = w.db().prepare("SELECT id, version, json_extract(body, '$.periods.memberReviewMonths.value') AS months FROM reference_sets WHERE kind = 'retention_policy'").all();
    expect(row).toEqual([{ id: 'retention-policy', version: '1.0.0', months: 6 }]);
    w.as(w.analyst);
    const view = await ok<{ policy: { version: string; effectiveFrom: string }; shippedVersion: string }>('policy:get', {});
    expect(view).toMatchObject({ policy: { version: '1.0.0', effectiveFrom: '2026-01-01' }, shippedVersion: '1.0.0' });
  });
});

/* ---- Date ceilings ------------------------------------------------------------------------- */

describe('every date the software sets or accepts has a ceiling', () => {
  test('an override expiring in 7 months is refused beside the field; 6 months is accepted', async () => {
    const n = network(w, 'Ceiling Crew');
    w.as(w.supervisor);
    const message = 'An override can run for at most 6 months, to 30/12/2026.';
    expect(await refusedCall('overrides:request', { networkId: n.id, band: 'A', reason: 'Firearms.', expiresOn: '2027-01-30' })).toEqual({ code: 'invalid_input', message, fields: { expiresOn: message } });
    expect(await refusedCall('overrides:request', { networkId: n.id, band: 'A', reason: 'Firearms.', expiresOn: '2126-06-30' })).toEqual({ code: 'invalid_input', message, fields: { expiresOn: message } });
    expect(await ok('overrides:request', { networkId: n.id, band: 'A', reason: 'Firearms.', expiresOn: '2026-12-30' })).toMatchObject({ expiresOn: '2026-12-30' });
  });

  test('a review date in 2126 is refused, whatever produced it', () => {
    expect(reviewDateRefusal('2126-06-30', '2026-06-30', 12)).toBe('A review can be set at most 12 months ahead, to 30/06/2027.');
    expect(reviewDateRefusal('2027-06-30', '2026-06-30', 12)).toBeNull();
    // An import that would set one (a last review in the future) is refused row by row.
    w.as(w.supervisor);
    const r = importDocument(w.s, {
      format: 'harm-matrix-import',
      version: 1,
      networks: [{ reference: 'CN-2026-0900', name: 'Far Future Crew', type: 'gang', leadBorough: 'E09000022', businessGroup: 'TP', lastReviewedOn: '2126-01-01' }],
    });
    expect(r).toMatchObject({ ok: false, errors: [{ section: 'networks', field: 'lastReviewedOn', message: 'The last review date is in the future.' }] });
  });

  test('a link\u2019s start and a date of birth: not in the future, not before 1900', async () => {
    const n = network(w, 'Dated Crew');
    const p = person(w, 'Dora Testperson');
    const [a, b] = sources();
    expect(await refusedCall('memberships:create', { personId: p.id, networkId: n.id, role: 'associate', intelIds: [a, b], startDate: '2126-01-01' })).toMatchObject({ fields: { startDate: 'The start date cannot be in the future.' } });
    expect(await refusedCall('people:create', { name: 'Old Testperson', dateOfBirth: '1850-01-01' })).toMatchObject({ fields: { dateOfBirth: 'The date of birth cannot be before 01/01/1900.' } });
  });
});

/* ---- Age floor and children ---------------------------------------------------------------- */

describe('the age floor and a child\u2019s link', () => {
  test('nobody under 10 on the link\u2019s date is linked other than as victim / at risk, nor flagged', async () => {
    const n = network(w, 'Floor Crew');
    const nine = person(w, 'Ivy Testperson', '2016-07-01'); // 9 until 01/07/2026
    const [a, b] = sources();
    const message = "Nobody under 10 on the link's date can be linked to a network other than as victim / at risk: this person was 9 then.";
    expect(await refusedCall('memberships:create', { personId: nine.id, networkId: n.id, role: 'associate', intelIds: [a, b], startDate: '2026-06-30' })).toEqual({ code: 'invalid_input', message, fields: { startDate: message } });
    // Counted on the link's date: a start before the tenth birthday is refused even once they are 10.
    w.clock.set('2026-07-02T10:00:00.000Z');
    expect((await refusedCall('memberships:create', { personId: nine.id, networkId: n.id, role: 'associate', intelIds: [a, b], startDate: '2026-06-01' })).message).toBe(message);
    w.clock.set(AS_OF_INSTANT);
    // Safeguarding is never refused.
    expect(M.linkPerson(w.s, { personId: nine.id, networkId: n.id, role: 'victim_at_risk', startDate: '2026-06-30' })).toMatchObject({ basis: 'safeguarding', status: 'confirmed' });
    const other = person(w, 'Ike Testperson', '2017-01-01');
    expect(refusedSync(() => M.proposeFlag(w.s, { subjectType: 'person', subjectId: other.id, intelIds: [a, b] }))).toEqual({ code: 'invalid_input', message: 'Nobody under 10 can be given a gang flag: this person is 9.' });
  });

  test('a link for a person under 18 is proposed, and confirmed only by a supervisor who did not propose it', async () => {
    const n = network(w, 'Youth Review Crew');
    const child = person(w, 'Jay Testperson', '2011-03-03');
    w.as(w.supervisor);
    const m = await ok<{ id: string; status: string; confirmedBy: string | null; reviewOn: string }>('memberships:create', { personId: child.id, networkId: n.id, role: 'associate', intelIds: sources(), startDate: '2026-05-01' });
    expect(m).toMatchObject({ status: 'proposed', confirmedBy: null, reviewOn: '2026-09-30' });
    // The proposer may not confirm it, though a supervisor; an analyst may not at all.
    expect(await refusedCall('memberships:confirm', { id: m.id })).toEqual({ code: 'forbidden', message: 'A link for a person under 18 must be confirmed by a supervisor other than the person who proposed it.' });
    w.as(w.analyst);
    expect(await refusedCall('memberships:confirm', { id: m.id })).toEqual({ code: 'forbidden', message: 'Your role does not allow this.' });
    w.as(w.supervisor2);
    w.clock.set('2026-07-10T10:00:00.000Z');
    const seq = auditHeadSeq(w.db());
    expect(await ok('memberships:confirm', { id: m.id })).toMatchObject({ status: 'confirmed', confirmedBy: w.supervisor2.id, reviewOn: '2026-10-10' });
    expect(auditSince(w.db(), seq).map((e) => [e.action, e.entityType, e.entityId, e.summary, e.userName])).toEqual([['combine', 'membership', m.id, 'Proposed member link confirmed by a supervisor', w.supervisor2.name]]);
    expect(await refusedCall('memberships:confirm', { id: m.id })).toEqual({ code: 'conflict', message: 'Only a proposed link can be confirmed.' });
    // An adult's link is confirmed at once, as before.
    w.as(w.analyst);
    expect(M.linkPerson(w.s, { personId: person(w, 'Kay Testperson').id, networkId: n.id, role: 'associate', intelIds: sources(), startDate: '2026-05-01' })).toMatchObject({ status: 'confirmed', confirmedBy: w.analyst.id });
  });
});

/* ---- Flags ---------------------------------------------------------------------------------- */

describe('gang flags', () => {
  test('the supervisor who proposed a flag cannot confirm it', async () => {
    w.as(w.supervisor);
    const p = person(w, 'Lee Testperson');
    const f = M.proposeFlag(w.s, { subjectType: 'person', subjectId: p.id, intelIds: sources() });
    expect(await refusedCall('flags:confirm', { id: f.id })).toEqual({ code: 'forbidden', message: 'A gang flag must be confirmed by a supervisor other than the person who proposed it.' });
    w.as(w.supervisor2);
    expect(await ok('flags:confirm', { id: f.id })).toMatchObject({ status: 'confirmed', confirmedBy: w.supervisor2.id });
  });

  test('a person whose only link is victim / at risk is never flagged', async () => {
    const n = network(w, 'Victim Only Crew');
    const p = person(w, 'Mo Testperson', '2012-02-02');
    M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'victim_at_risk', startDate: '2026-06-01' });
    const message = 'A person whose only link is as victim / at risk cannot be given a gang flag: the link is for safeguarding.';
    expect(await refusedCall('flags:propose', { subjectType: 'person', subjectId: p.id, networkId: n.id, intelIds: sources() })).toEqual({ code: 'invalid_input', message, fields: { subjectId: message } });
    // A self-admission must cite its item.
    const q = person(w, 'Nat Testperson');
    expect(await refusedCall('flags:propose', { subjectType: 'person', subjectId: q.id, isSelfAdmission: true })).toMatchObject({ message: 'A self-admission must cite the intelligence item that records it.' });
  });
});

/* ---- Date of birth correction ------------------------------------------------------------- */

describe('correcting a date of birth', () => {
  test('re-dates the person\u2019s current link and confirmed flag on the corrected age', () => {
    const n = network(w, 'Correction Crew');
    const p = person(w, 'Oz Testperson', '1990-01-01');
    const m = M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: sources(), startDate: '2026-06-01' });
    const f = M.proposeFlag(w.s, { subjectType: 'person', subjectId: p.id, networkId: n.id, intelIds: sources() });
    w.as(w.supervisor);
    expect(M.confirmFlag(w.s, f.id).reviewOn).toBe('2026-12-30');
    expect(m.reviewOn).toBe('2026-12-30');
    w.as(w.analyst);
    M.editPerson(w.s, p.id, { name: 'Oz Testperson', dateOfBirth: '2010-01-01' });
    const reviewOf = (table: string, id: string) => w.db().prepare(`SELECT review_on FROM ${table} WHERE id = ?`).pluck().get(id);
    expect(reviewOf('memberships', m.id)).toBe('2026-09-30');
    expect(reviewOf('gang_flags', f.id)).toBe('2026-09-30');
    const last = auditSince(w.db(), auditHeadSeq(w.db()) - 1).at(-1)!;
    expect(last.summary).toMatch(/edited; date of birth corrected, 2 review date\(s\) re-dated$/);
  });
});

/* ---- An administrator's version ------------------------------------------------------------ */

describe('an administrator may shorten any period and lengthen none', () => {
  test('each change is a new version, audited, applied from its date, kept on disk; a lengthening is refused beside its field', async () => {
    w.as(w.analyst);
    expect(await refusedCall('policy:update', { values: { memberReviewMonths: 4 } })).toEqual({ code: 'forbidden', message: 'Your role does not allow this.' });
    w.as(w.admin);
    const longer = await refusedCall('policy:update', { values: { memberReviewMonths: 7, overrideExpiryMonths: 3, minimumAgeYears: 9 } });
    expect(longer).toEqual({
      code: 'invalid_input',
      message: 'Review of a member link can be at most 6 months: a period may be shortened, never lengthened beyond its maximum.',
      fields: {
        'values.memberReviewMonths': 'Review of a member link can be at most 6 months: a period may be shortened, never lengthened beyond its maximum.',
        'values.minimumAgeYears': 'Minimum age for a link or flag (other than victim / at risk) can be no less than 10 years: a floor may be raised, never lowered.',
      },
    });
    expect((await refusedCall('policy:update', { values: { under18ReviewMonths: 3, memberReviewMonths: 2 } })).fields).toEqual({ 'values.under18ReviewMonths': 'A child\u2019s review cycle cannot be longer than an adult\u2019s.' });

    const seq = auditHeadSeq(w.db());
    const view = await ok<{ policy: { version: string; effectiveFrom: string; periods: Record<string, { value: number; limit: number }> }; versions: { version: string; isAdministrator: boolean }[] }>('policy:update', {
      values: { memberReviewMonths: 4, overrideExpiryMonths: 3 },
    });
    expect(view.policy).toMatchObject({ version: '1.0.0+1', effectiveFrom: '2026-06-30' });
    expect(view.policy.periods.memberReviewMonths).toMatchObject({ value: 4, limit: 6 });
    expect(view.versions.map((v) => [v.version, v.isAdministrator])).toEqual([
      ['1.0.0', false],
      ['1.0.0+1', true],
    ]);
    expect(auditSince(w.db(), seq).map((e) => [e.action, e.entityType, e.entityId, e.summary])).toEqual([
      ['alter', 'retention_policy', '1.0.0+1', 'Retention policy version 1.0.0+1 applies from 30/06/2026: memberReviewMonths 6 to 4, overrideExpiryMonths 6 to 3'],
    ]);

    // Applied from today: a new adult link is reviewed in 4 months, an override runs at most 3.
    w.as(w.analyst);
    const n = network(w, 'Shortened Crew');
    expect(M.linkPerson(w.s, { personId: person(w, 'Pip Testperson').id, networkId: n.id, role: 'associate', intelIds: sources(), startDate: '2026-05-01' }).reviewOn).toBe('2026-10-30');
    w.as(w.supervisor);
    expect((await refusedCall('overrides:request', { networkId: n.id, band: 'A', reason: 'x', expiresOn: '2026-12-30' })).message).toBe('An override can run for at most 3 months, to 30/09/2026.');

    // Kept in the vault file: locked, reopened, the same version is in force.
    vaultService.lock(w.s, 'manual');
    vaultService.unlock(w.s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    w.as(w.analyst);
    expect((await ok<{ policy: { version: string } }>('policy:get', {})).policy.version).toBe('1.0.0+1');
  });
});
