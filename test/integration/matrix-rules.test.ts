/**
 * The rules the matrix services enforce (docs/specification.md, "Core records", "Harm scoring",
 * "Governance"), on an encrypted vault. Every refusal is checked for its exact code and message
 * and for writing nothing at all: every table and the audit head are fingerprinted before and
 * after. Role rules are enforced at the IPC layer, so those go through createDispatch with the
 * real handlers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import * as R from '../../main/services/matrix-read.service';
import * as V from '../../main/services/reviews.service';
import { FLAG_CRITERIA_REFUSAL } from '../../main/domain/register-rules';
import { caught } from '../helpers/vault-fixtures';
import {
  AS_OF,
  AS_OF_INSTANT,
  auditHeadSeq,
  auditSince,
  buildVectorNetwork,
  explanationOf,
  fingerprint,
  historyRows,
  intel,
  legacyIntel,
  linkOffence,
  network,
  offence,
  openMatrixWorld,
  person,
  scoreRow,
  scoreRows,
  type MatrixWorld,
} from '../helpers/matrix-fixtures';

let w: MatrixWorld;

beforeAll(() => {
  w = openMatrixWorld('matrix-rules');
});
afterAll(() => w?.close());
beforeEach(() => {
  w.clock.set(AS_OF_INSTANT);
  w.as(w.analyst);
});

/** The VaultError a call throws, having checked it wrote nothing. */
function refusedSync(fn: () => unknown): { code: string; message: string } {
  const before = fingerprint(w.db());
  const e = caught(fn);
  expect(fingerprint(w.db())).toBe(before);
  return { code: e.code, message: e.message };
}

/** A refused IPC call, having checked it wrote nothing. */
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

type Row = { id: string; band: string; computedBand: string; score: number; isOverdue: boolean; under18LinkCount: number; nextReviewOn: string; asOf: string };
async function listRow(networkId: string, asOf?: string): Promise<Row> {
  const rows = await ok<Row[]>('networks:list', asOf ? { asOf } : {});
  return rows.find((r) => r.id === networkId)!;
}

/** The intelligence item that records a self-admission (a self-admission cites it). */
const admission = (): string => intel(w, 2, 'B', `Interview record ${Math.random().toString(36).slice(2, 8)}`, { itemDate: '2024-01-15' }).id;

const MEMBER_RULE =
  'A member link needs at least two graded intelligence items from independent sources, or a self-admission. No one is linked on association or location alone. A source graded 3 or intelligence graded D or E does not count.';

/* ---- Member links ------------------------------------------------------------------------ */

describe('member links', () => {
  test('refused with one graded source', () => {
    const n = network(w, 'One Source Crew');
    const p = person(w, 'Dan Testperson');
    const i = intel(w, 1, 'A', 'CHIS 0201');
    expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [i.id], startDate: '2026-01-01' }))).toEqual({
      code: 'invalid_input',
      message: MEMBER_RULE,
    });
  });

  test('refused with no intelligence and no self-admission', () => {
    const n = network(w, 'No Source Crew');
    const p = person(w, 'Dee Testperson');
    expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'principal', startDate: '2026-01-01' }))).toEqual({
      code: 'invalid_input',
      message: MEMBER_RULE,
    });
  });

  test('refused with two items from the same source (however it is written)', () => {
    const n = network(w, 'Same Source Crew');
    const p = person(w, 'Eli Testperson');
    const a = intel(w, 1, 'A', 'CHIS 0202');
    const b = intel(w, 2, 'B', 'chis 0202');
    expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'lieutenant', intelIds: [a.id, b.id], startDate: '2026-01-01' }))).toEqual({
      code: 'invalid_input',
      message: MEMBER_RULE,
    });
    // Citing the same item twice is still one source.
    expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'lieutenant', intelIds: [a.id, a.id], startDate: '2026-01-01' })).message).toBe(MEMBER_RULE);
  });

  test('accepted with two graded items from distinct sources; a second current link is refused', () => {
    const n = network(w, 'Two Source Crew');
    const p = person(w, 'Fin Testperson');
    const a = intel(w, 1, 'A', 'CHIS 0203');
    const b = intel(w, 2, 'C', 'Officer report 0203');
    const m = M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'facilitator', intelIds: [a.id, b.id], startDate: '2026-01-01' });
    expect(m).toMatchObject({ role: 'facilitator', basis: 'graded_sources', status: 'confirmed', reviewOn: '2026-12-30', confirmedBy: w.analyst.id });
    expect(w.db().prepare('SELECT intel_id FROM membership_intelligence WHERE membership_id = ? ORDER BY intel_id').pluck().all(m.id)).toEqual([a.id, b.id].sort());
    const admitted = admission();
    expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'principal', isSelfAdmission: true, intelIds: [admitted], startDate: '2026-01-01' }))).toEqual({
      code: 'conflict',
      message: 'This person already has a current link to this network.',
    });
  });

  test('a self-admission is refused without the item that records it, and accepted citing it', () => {
    const n = network(w, 'Admission Crew');
    const p = person(w, 'Gus Testperson');
    expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', isSelfAdmission: true, startDate: '2026-01-01' }))).toEqual({
      code: 'invalid_input',
      message: 'A self-admission must cite the intelligence item that records it.',
    });
    const m = M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', isSelfAdmission: true, intelIds: [admission()], startDate: '2026-01-01' });
    expect(m).toMatchObject({ basis: 'self_admission', status: 'confirmed' });
  });

  test('a source graded 3 or intelligence graded D or E never counts towards two sources', () => {
    const n = network(w, 'Weak Source Crew');
    const p = person(w, 'Gil Testperson');
    const good = intel(w, 1, 'A', 'CHIS 0210');
    for (const [source, grade] of [[3, 'A'], [1, 'D'], [2, 'E']] as const) {
      const weak = intel(w, source, grade, `Report 0210 ${source}${grade}`);
      expect(refusedSync(() => M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [good.id, weak.id], startDate: '2026-01-01' }))).toEqual({
        code: 'invalid_input',
        message: MEMBER_RULE,
      });
    }
    // Two qualifying items from distinct sources still do.
    const fair = intel(w, 2, 'C', 'Report 0210 2C');
    expect(M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [good.id, fair.id], startDate: '2026-01-01' })).toMatchObject({ basis: 'graded_sources' });
  });

  test('a victim / at-risk link needs no sources and changes no score, no explanation and no history', () => {
    const v = buildVectorNetwork(w, 'Victim Test Crew');
    const other = network(w, 'Bystander Crew');
    const child = person(w, 'Hal Testperson', '2014-02-02');
    const scores = scoreRows(w.db());
    const history = historyRows(w.db());
    const seq = auditHeadSeq(w.db());
    const m = M.linkPerson(w.s, { personId: child.id, networkId: v.network.id, role: 'victim_at_risk', startDate: '2026-05-01' });
    M.linkPerson(w.s, { personId: child.id, networkId: other.id, role: 'victim_at_risk', startDate: '2026-05-01' });
    expect(m).toMatchObject({ basis: 'safeguarding', status: 'confirmed', reviewOn: '2026-09-30' });
    expect(scoreRows(w.db())).toEqual(scores);
    expect(historyRows(w.db())).toEqual(history);
    expect(auditSince(w.db(), seq).map((e) => e.summary)).toEqual([
      `Person ${child.reference} linked to network ${v.network.reference} as victim / at risk (safeguarding; never scored)`,
      `Person ${child.reference} linked to network ${other.reference} as victim / at risk (safeguarding; never scored)`,
    ]);
    // A full rescore agrees: the link feeds nothing.
    expect(M.rescoreAll(w.s)).toMatchObject({ changed: 0 });
    expect(scoreRows(w.db())).toEqual(scores);
  });
});

/* ---- Offences and offence links ------------------------------------------------------------ */

describe('offences and offence links', () => {
  test('an intelligence-only offence adds nothing', () => {
    const v = buildVectorNetwork(w, 'Intel Only Crew');
    const before = scoreRow(w.db(), v.network.id);
    const hist = historyRows(w.db(), v.network.id).length;
    const o = offence(w, 'robbery', '2026-06-01', 'intelligence');
    linkOffence(w, o.id, v.network.id, [v.items[0]!.id]);
    const after = scoreRow(w.db(), v.network.id);
    expect([after.score, after.eh_pts, after.band, after.effective_band, after.confidence]).toEqual([before.score, before.eh_pts, before.band, before.effective_band, before.confidence]);
    expect(historyRows(w.db(), v.network.id)).toHaveLength(hist);
    const e = explanationOf(w.db(), v.network.id).offences.find((x) => x.id === o.id)!;
    expect(e).toMatchObject({ stage: 'intelligence', w: 365, s: 0, contribution: 0, isIncluded: false, exclusion: 'stage_scores_zero' });
    // NFA and acquitted likewise.
    for (const stage of ['nfa', 'acquitted'] as const) {
      const x = offence(w, 'robbery', '2026-06-02', stage);
      linkOffence(w, x.id, v.network.id, [v.items[0]!.id]);
      expect(scoreRow(w.db(), v.network.id).score).toBe(before.score);
    }
    expect(historyRows(w.db(), v.network.id)).toHaveLength(hist);
  });

  test('an offence linked to a network twice is refused, and a link needs graded intelligence', () => {
    const n = network(w, 'Twice Crew');
    const i = intel(w, 2, 'B', 'CHIS 0301');
    const o = offence(w, 'robbery', '2026-03-01', 'charged');
    linkOffence(w, o.id, n.id, [i.id]);
    expect(refusedSync(() => linkOffence(w, o.id, n.id, [i.id], 'Another reason'))).toEqual({ code: 'conflict', message: 'This offence is already linked to this network.' });
    const o2 = offence(w, 'robbery', '2026-03-02', 'charged');
    expect(refusedSync(() => linkOffence(w, o2.id, n.id, ['no-such-item']))).toEqual({ code: 'not_found', message: 'One or more of the intelligence items cited were not found.' });
  });

  test('an offence linked to two networks counts in each', () => {
    const i = intel(w, 1, 'B', 'CHIS 0302');
    const n1 = network(w, 'Shared North');
    const n2 = network(w, 'Shared South');
    const o = offence(w, 'violence_with_injury', '2026-05-30', 'convicted');
    linkOffence(w, o.id, n1.id, [i.id]);
    linkOffence(w, o.id, n2.id, [i.id]);
    const [x1, x2] = [explanationOf(w.db(), n1.id), explanationOf(w.db(), n2.id)];
    expect(x1.offences).toHaveLength(1);
    expect(x1.offences[0]).toMatchObject({ id: o.id, isIncluded: true });
    expect(x2.offences).toEqual(x1.offences);
    expect(x1.parts.eh).toBe(x1.offences[0]!.contribution);
    expect(scoreRow(w.db(), n2.id).score).toBe(scoreRow(w.db(), n1.id).score);
    // A stage change rescoring both.
    M.setOffenceStage(w.s, o.id, 'acquitted');
    expect([scoreRow(w.db(), n1.id).eh_pts, scoreRow(w.db(), n2.id).eh_pts]).toEqual([0, 0]);
  });

  test("a member's offence linked to another of their networks does not count here", () => {
    const i = intel(w, 1, 'A', 'CHIS 0303');
    const j = intel(w, 2, 'A', 'CHIS 0304');
    const here = network(w, 'Member Here');
    const there = network(w, 'Member There');
    const p = person(w, 'Ivy Testperson');
    M.linkPerson(w.s, { personId: p.id, networkId: here.id, role: 'principal', intelIds: [i.id, j.id], startDate: '2026-01-01' });
    M.linkPerson(w.s, { personId: p.id, networkId: there.id, role: 'principal', intelIds: [i.id, j.id], startDate: '2026-01-01' });
    const before = scoreRow(w.db(), here.id);
    const o = offence(w, 'robbery', '2026-06-01', 'convicted');
    linkOffence(w, o.id, there.id, [i.id]);
    expect(scoreRow(w.db(), here.id)).toEqual(before);
    expect(explanationOf(w.db(), here.id).offences).toEqual([]);
    expect(scoreRow(w.db(), there.id).eh_pts).toBeGreaterThan(0);
  });

  test('a confirmed flag on an offence proposes a link, which scores only once confirmed', async () => {
    const n = network(w, 'Flagged Offence Crew');
    const a = intel(w, 1, 'A', 'CHIS 0305');
    const b = intel(w, 2, 'B', 'CHIS 0306');
    const o = offence(w, 'robbery', '2026-06-15', 'convicted');
    const flag = M.proposeFlag(w.s, { subjectType: 'offence', subjectId: o.id, networkId: n.id, intelIds: [a.id, b.id] });
    const before = scoreRow(w.db(), n.id);
    w.as(w.supervisor);
    const seq = auditHeadSeq(w.db());
    await ok('flags:confirm', { id: flag.id });
    const link = w.db().prepare('SELECT id, status, rationale FROM offence_links WHERE offence_id = ? AND network_id = ?').get(o.id, n.id) as { id: string; status: string; rationale: string };
    expect(link).toMatchObject({ status: 'proposed', rationale: 'Proposed by a confirmed gang flag on the offence.' });
    expect(auditSince(w.db(), seq).map((e) => [e.action, e.entityType, e.entityId, e.summary])).toEqual([
      ['alter', 'gang_flag', flag.id, 'Gang flag on offence confirmed'],
      ['combine', 'offence_link', link.id, 'Offence link proposed by a confirmed gang flag'],
    ]);
    // Proposed: nothing scores.
    expect(scoreRow(w.db(), n.id)).toEqual(before);
    expect(explanationOf(w.db(), n.id).offences).toEqual([]);
    // The analyst confirms it: now it scores.
    w.as(w.analyst);
    await ok('offences:decide-link', { id: link.id, decision: 'confirmed' });
    const after = explanationOf(w.db(), n.id);
    expect(after.offences.map((x) => [x.id, x.isIncluded])).toEqual([[o.id, true]]);
    expect(scoreRow(w.db(), n.id).eh_pts).toBeGreaterThan(0);
    expect(historyRows(w.db(), n.id)).toHaveLength(2);
    // Deciding it again is refused.
    expect(await refusedCall('offences:decide-link', { id: link.id, decision: 'rejected' })).toEqual({ code: 'conflict', message: 'Only a proposed link can be confirmed or rejected.' });
  });

  test('a rejected proposed link never scores', () => {
    const n = network(w, 'Rejected Link Crew');
    const a = intel(w, 1, 'A', 'CHIS 0307');
    const b = intel(w, 1, 'A', 'CHIS 0308');
    const o = offence(w, 'homicide', '2026-06-01', 'convicted');
    const flag = M.proposeFlag(w.s, { subjectType: 'offence', subjectId: o.id, networkId: n.id, intelIds: [a.id, b.id] });
    w.as(w.supervisor);
    M.confirmFlag(w.s, flag.id);
    w.as(w.analyst);
    const linkId = w.db().prepare('SELECT id FROM offence_links WHERE offence_id = ?').pluck().get(o.id) as string;
    const before = scoreRow(w.db(), n.id);
    M.decideOffenceLink(w.s, linkId, 'rejected');
    const after = scoreRow(w.db(), n.id);
    // A recent homicide would force Band B if it scored; rejected, it changes nothing.
    expect([after.score, after.band, after.explanation]).toEqual([before.score, before.band, before.explanation]);
    expect(after.band).toBe('below_threshold');
  });
});

/* ---- Review dates and markers -------------------------------------------------------------- */

describe('review dates, overdue and under-18 markers', () => {
  test('network +12 months, member link +6 months, under-18 link +3 months, on the UK calendar day', () => {
    const n = network(w, 'Review Crew');
    expect(n.nextReviewOn).toBe('2027-06-30');
    const i = intel(w, 1, 'A', 'CHIS 0401');
    const j = intel(w, 1, 'A', 'CHIS 0402');
    const link = (dob: string) => M.linkPerson(w.s, { personId: person(w, 'Jo Testperson', dob).id, networkId: n.id, role: 'associate', intelIds: [i.id, j.id], startDate: '2026-01-01' }).reviewOn;
    expect(link('1990-01-01')).toBe('2026-12-30');
    // 18 today: no longer under 18.
    expect(link('2008-06-30')).toBe('2026-12-30');
    // 18 tomorrow: still under 18.
    expect(link('2008-07-01')).toBe('2026-09-30');
    // No date of birth: treated as an adult (age unknown).
    expect(M.linkPerson(w.s, { personId: person(w, 'Kit Testperson', null).id, networkId: n.id, role: 'associate', isSelfAdmission: true, intelIds: [admission()], startDate: '2026-01-01' }).reviewOn).toBe('2026-12-30');

    // 23:30 UTC on 30 June is 00:30 on 1 July in London: the UK day counts.
    w.clock.set('2026-06-30T23:30:00.000Z');
    const late = network(w, 'Late Crew');
    expect(late.nextReviewOn).toBe('2027-07-01');
    // Born 01/07/2008: 18 on the UK day (still 17 on the UTC one), so an adult's 6 months.
    expect(link('2008-07-01')).toBe('2027-01-01');
    expect(link('2008-07-02')).toBe('2026-10-01');
    // End of a long month: clamped to the end of the shorter one.
    w.clock.set('2026-08-31T12:00:00.000Z');
    expect(network(w, 'August Crew').nextReviewOn).toBe('2027-08-31');
    expect(link('1990-01-01')).toBe('2027-02-28');
    expect(link('2010-01-01')).toBe('2026-11-30');
  });

  test('overdue: a next review of yesterday is overdue, today is not', async () => {
    w.clock.set('2025-06-29T10:00:00.000Z');
    const yesterday = network(w, 'Stale Crew');
    const p = person(w, 'Lou Testperson', '1995-05-05');
    const m = M.linkPerson(w.s, { personId: p.id, networkId: yesterday.id, role: 'associate', isSelfAdmission: true, intelIds: [admission()], startDate: '2025-01-01' });
    w.clock.set('2025-06-30T10:00:00.000Z');
    const today = network(w, 'Due Today Crew');
    w.clock.set('2025-12-30T10:00:00.000Z');
    const m2 = M.linkPerson(w.s, { personId: p.id, networkId: today.id, role: 'associate', isSelfAdmission: true, intelIds: [admission()], startDate: '2025-01-01' });
    w.clock.set(AS_OF_INSTANT);
    expect([yesterday.nextReviewOn, today.nextReviewOn, m.reviewOn, m2.reviewOn]).toEqual(['2026-06-29', '2026-06-30', '2025-12-29', '2026-06-30']);
    expect(await listRow(yesterday.id)).toMatchObject({ isOverdue: true, nextReviewOn: '2026-06-29' });
    expect(await listRow(today.id)).toMatchObject({ isOverdue: false, nextReviewOn: '2026-06-30' });
    const card = R.networkCard(w.s, yesterday.id);
    expect(card.network.isOverdue).toBe(true);
    // Member links likewise: due 29/12/2025 is overdue, due today is not (until tomorrow).
    expect(card.members.map((x) => x.isOverdue)).toEqual([true]);
    expect(R.networkCard(w.s, today.id).members.map((x) => x.isOverdue)).toEqual([false]);
    w.clock.set('2026-07-01T10:00:00.000Z');
    expect(R.networkCard(w.s, today.id).members.map((x) => x.isOverdue)).toEqual([true]);
    expect(await listRow(today.id)).toMatchObject({ isOverdue: true });
    // A review moves the date on 12 months from today.
    V.recordReview(w.s, { kind: 'network', id: today.id, outcome: 'retain', reason: 'Reviewed at the meeting.', intelIds: [] });
    expect(w.db().prepare('SELECT last_reviewed_on, next_review_on FROM networks WHERE id = ?').get(today.id)).toEqual({ last_reviewed_on: '2026-07-01', next_review_on: '2027-07-01' });
    expect(await listRow(today.id)).toMatchObject({ isOverdue: false });
  });

  test('under-18 links are counted in the matrix row: current links only, 18 today not counted', async () => {
    const n = network(w, 'Youth Crew');
    const add = (name: string, dob: string, role: 'associate' | 'victim_at_risk') =>
      M.linkPerson(w.s, { personId: person(w, name, dob).id, networkId: n.id, role, isSelfAdmission: role !== 'victim_at_risk', intelIds: role !== 'victim_at_risk' ? [admission()] : [], startDate: '2026-01-01' });
    add('Max Testperson', '1999-09-09', 'associate');
    add('Ned Testperson', '2009-01-01', 'associate');
    add('Oli Testperson', '2008-06-30', 'associate');
    add('Pam Testperson', '2008-07-01', 'victim_at_risk');
    const ended = add('Quin Testperson', '2010-10-10', 'associate');
    M.endMembership(w.s, ended.id, 'No longer associated.');
    expect((await listRow(n.id)).under18LinkCount).toBe(2);
    // The next day the 17-year-old born 01/07/2008 turns 18.
    w.clock.set('2026-07-01T10:00:00.000Z');
    expect((await listRow(n.id)).under18LinkCount).toBe(1);
    const people = R.people(w.s).filter((p) => ['Ned Testperson', 'Oli Testperson', 'Pam Testperson'].includes(p.name));
    expect(people.map((p) => [p.name, p.isUnder18])).toEqual([
      ['Ned Testperson', true],
      ['Oli Testperson', false],
      ['Pam Testperson', false],
    ]);
  });
});

/* ---- Gang flags ---------------------------------------------------------------------------- */

describe('gang flags', () => {
  test('only a supervisor confirms (IPC role check); criteria must be met', async () => {
    const p = person(w, 'Ray Testperson', '1992-02-02');
    const a = intel(w, 1, 'A', 'CHIS 0501');
    const one = M.proposeFlag(w.s, { subjectType: 'person', subjectId: p.id, intelIds: [a.id] });
    expect(one).toMatchObject({ status: 'proposed', criteria: 'two_sources', reviewOn: '2026-12-30' });
    // The analyst may not confirm, whatever the flag.
    expect(await refusedCall('flags:confirm', { id: one.id })).toEqual({ code: 'forbidden', message: 'Your role does not allow this.' });
    expect(await refusedCall('flags:end', { id: one.id, status: 'removed', reason: 'Not gang-related.' })).toEqual({ code: 'forbidden', message: 'Your role does not allow this.' });
    // The supervisor may, but not on one source.
    w.as(w.supervisor);
    expect(await refusedCall('flags:confirm', { id: one.id })).toEqual({
      code: 'invalid_input',
      message: FLAG_CRITERIA_REFUSAL,
    });
    // A second flag on the same subject while one is current is refused.
    const admitted = admission();
    w.as(w.analyst);
    expect(refusedSync(() => M.proposeFlag(w.s, { subjectType: 'person', subjectId: p.id, isSelfAdmission: true, intelIds: [admitted] }))).toEqual({
      code: 'conflict',
      message: 'This record already has a current gang flag.',
    });
    // Removed, and proposed again on two sources: confirmed for 6 months (an adult).
    w.as(w.supervisor);
    await ok('flags:end', { id: one.id, status: 'removed', reason: 'Superseded.' });
    w.as(w.analyst);
    const b = intel(w, 2, 'C', 'Officer report 0501');
    const two = M.proposeFlag(w.s, { subjectType: 'person', subjectId: p.id, intelIds: [a.id, b.id] });
    w.as(w.supervisor);
    const confirmed = await ok<{ status: string; reviewOn: string; confirmedBy: string }>('flags:confirm', { id: two.id });
    expect(confirmed).toMatchObject({ status: 'confirmed', reviewOn: '2026-12-30', confirmedBy: w.supervisor.id });
    expect(await refusedCall('flags:confirm', { id: two.id })).toEqual({ code: 'conflict', message: 'Only a proposed flag can be confirmed.' });
  });

  test('a confirmed flag on an under-18 is reviewed in 3 months; a self-admission cites only its own item', async () => {
    const minor = person(w, 'Sam Testperson', '2009-12-12');
    const eighteen = person(w, 'Tia Testperson', '2008-06-30');
    const f1 = M.proposeFlag(w.s, { subjectType: 'person', subjectId: minor.id, isSelfAdmission: true, intelIds: [admission()] });
    const f2 = M.proposeFlag(w.s, { subjectType: 'person', subjectId: eighteen.id, isSelfAdmission: true, intelIds: [admission()] });
    w.as(w.supervisor);
    expect(await ok('flags:confirm', { id: f1.id })).toMatchObject({ status: 'confirmed', criteria: 'self_admission', reviewOn: '2026-09-30' });
    expect(await ok('flags:confirm', { id: f2.id })).toMatchObject({ status: 'confirmed', reviewOn: '2026-12-30' });
    const queue = R.flags(w.s, 'all').filter((f) => f.id === f1.id || f.id === f2.id);
    expect(queue.map((f) => [f.subjectId, f.isUnder18]).sort()).toEqual([
      [minor.id, true],
      [eighteen.id, false],
    ].sort());
  });
});

/* ---- Band overrides ------------------------------------------------------------------------ */

describe('band overrides', () => {
  test('reason and expiry are required, and the expiry must be in the future', async () => {
    const n = network(w, 'Override Input Crew');
    const base = { networkId: n.id, band: 'A', reason: 'Firearms recovered.', expiresOn: '2026-09-30' };
    expect(await refusedCall('overrides:request', { ...base, reason: '  ' })).toEqual({
      code: 'invalid_input',
      message: 'Some of the details are not valid. Check the highlighted fields.',
      fields: { reason: 'Enter reason.' },
    });
    const { expiresOn: _e, ...noExpiry } = base;
    expect((await refusedCall('overrides:request', noExpiry)).fields).toHaveProperty('expiresOn');
    const future = 'The expiry date must be in the future.';
    expect(await refusedCall('overrides:request', { ...base, expiresOn: AS_OF })).toEqual({ code: 'invalid_input', message: future, fields: { expiresOn: future } });
    expect(await refusedCall('overrides:request', { ...base, expiresOn: '2026-06-29' })).toEqual({ code: 'invalid_input', message: future, fields: { expiresOn: future } });
  });

  test('the author cannot approve their own; an analyst cannot approve; a second supervisor can', async () => {
    const v = buildVectorNetwork(w, 'Override Crew');
    const n = v.network;
    w.as(w.supervisor);
    const o = await ok<{ id: string; status: string }>('overrides:request', { networkId: n.id, band: 'A', reason: 'Firearms recovered.', expiresOn: '2026-07-31' });
    expect(o.status).toBe('requested');
    // Requested: nothing changes yet.
    expect(scoreRow(w.db(), n.id).effective_band).toBe('B');
    expect(await refusedCall('overrides:decide', { id: o.id, decision: 'approved' })).toEqual({
      code: 'forbidden',
      message: 'An override must be approved by a supervisor other than the person who requested it.',
    });
    w.as(w.analyst);
    expect(await refusedCall('overrides:decide', { id: o.id, decision: 'approved' })).toEqual({ code: 'forbidden', message: 'Your role does not allow this.' });
    // The service holds the rule too, whoever calls it.
    expect(refusedSync(() => M.decideOverride(w.s, o.id, 'approved'))).toEqual({ code: 'forbidden', message: 'Only a supervisor can approve a band override.' });
    w.as(w.admin);
    expect(await refusedCall('overrides:decide', { id: o.id, decision: 'approved' })).toEqual({ code: 'forbidden', message: 'Your role does not allow this.' });

    w.as(w.supervisor2);
    const hist = historyRows(w.db(), n.id).length;
    expect(await ok('overrides:decide', { id: o.id, decision: 'approved' })).toMatchObject({ status: 'approved', approverId: w.supervisor2.id });
    const stored = scoreRow(w.db(), n.id);
    expect([stored.band, stored.effective_band]).toEqual(['B', 'A']);
    expect(historyRows(w.db(), n.id)).toHaveLength(hist + 1);
    expect(await refusedCall('overrides:decide', { id: o.id, decision: 'rejected' })).toEqual({ code: 'conflict', message: 'Only a requested override can be decided.' });

    // In force on its expiry day, not the day after; not before the day it was approved.
    expect(await listRow(n.id)).toMatchObject({ band: 'A', computedBand: 'B' });
    expect(await listRow(n.id, '2026-07-31')).toMatchObject({ band: 'A', computedBand: 'B', asOf: '2026-07-31' });
    expect(await listRow(n.id, '2026-08-01')).toMatchObject({ band: 'B', computedBand: 'B', asOf: '2026-08-01' });
    expect(await listRow(n.id, '2026-06-29')).toMatchObject({ band: 'B', asOf: '2026-06-29' });
    // A stored rescore agrees.
    w.as(w.analyst);
    M.rescoreAll(w.s, '2026-07-31');
    expect(scoreRow(w.db(), n.id).effective_band).toBe('A');
    M.rescoreAll(w.s, '2026-08-01');
    expect(scoreRow(w.db(), n.id).effective_band).toBe('B');
    expect(explanationOf(w.db(), n.id).override).toEqual({ status: 'expired', band: 'A', expiresOn: '2026-07-31', reasons: ['Expired after 31/07/2026.'] });
    M.rescoreAll(w.s, AS_OF);
  });

  test('a rejected override changes nothing', () => {
    const v = buildVectorNetwork(w, 'Rejected Override Crew');
    w.as(w.supervisor);
    const o = M.requestOverride(w.s, { networkId: v.network.id, band: 'C', reason: 'Disrupted.', expiresOn: '2026-12-30' });
    const before = scoreRow(w.db(), v.network.id);
    w.as(w.supervisor2);
    M.decideOverride(w.s, o.id, 'rejected');
    expect(scoreRow(w.db(), v.network.id)).toEqual(before);
  });

  test('approved just after midnight UK time (still the previous day in UTC) is not in force the day before', async () => {
    const v = buildVectorNetwork(w, 'Midnight Override Crew');
    w.as(w.supervisor);
    const o = M.requestOverride(w.s, { networkId: v.network.id, band: 'A', reason: 'Firearms recovered.', expiresOn: '2026-09-30' });
    // 00:30 on 1 July in London.
    w.clock.set('2026-06-30T23:30:00.000Z');
    w.as(w.supervisor2);
    M.decideOverride(w.s, o.id, 'approved');
    expect(scoreRow(w.db(), v.network.id)).toMatchObject({ as_of: '2026-07-01', effective_band: 'A' });
    expect(await listRow(v.network.id, '2026-06-30')).toMatchObject({ band: 'B', asOf: '2026-06-30' });
  });
});

/* ---- Ratings and their support ------------------------------------------------------------- */

describe('ratings', () => {
  test('a rating of 2 or more without qualifying support counts as 1 and is flagged', () => {
    const n = network(w, 'Support Crew');
    const src3 = intel(w, 3, 'A', 'CHIS 0601');
    const intelD = intel(w, 1, 'D', 'CHIS 0602');
    const good = intel(w, 2, 'C', 'CHIS 0603');
    const rate = (dimension: string, value: number, intelIds: string[]) => M.rateNetwork(w.s, { networkId: n.id, kind: 'assessed', dimension: dimension as never, value, intelIds });
    rate('physical', 2, []);
    rate('psychological', 3, [src3.id]);
    rate('financial', 4, [intelD.id]);
    rate('community_impact', 2, [good.id]);
    rate('victim_vulnerability', 1, []);
    const x = explanationOf(w.db(), n.id);
    expect(x.assessed.map((a) => [a.dimension, a.value, a.countedValue, a.isFlaggedUnsupported])).toEqual([
      ['physical', 2, 1, true],
      ['psychological', 3, 1, true],
      ['financial', 4, 1, true],
      ['community_impact', 2, 2, false],
      ['victim_vulnerability', 1, 1, false],
    ]);
    expect(x.assessed[1]!.supportingItems).toEqual([{ id: src3.id, source: 3, intelligence: 'A', isQualifying: false }]);
    expect(x.assessed[2]!.supportingItems).toEqual([{ id: intelD.id, source: 1, intelligence: 'D', isQualifying: false }]);
    expect(x.assessed[3]!.supportingItems).toEqual([{ id: good.id, source: 2, intelligence: 'C', isQualifying: true }]);
    expect(scoreRow(w.db(), n.id).ah_pts).toBe(1.25 * 6);
    // Adding qualifying support makes the rating count in full.
    rate('financial', 4, [intelD.id, good.id]);
    expect(scoreRow(w.db(), n.id).ah_pts).toBe(1.25 * 9);
  });

  test('legacy 5x5x5 items never support a rating nor count for confidence', () => {
    const n = network(w, 'Legacy Crew');
    const l1 = legacyIntel(w, 'CHIS 0701', 'A1 1', { networkIds: [n.id] });
    const l2 = legacyIntel(w, 'CHIS 0702', 'B2 1', { networkIds: [n.id] });
    M.rateNetwork(w.s, { networkId: n.id, kind: 'assessed', dimension: 'physical', value: 3, intelIds: [l1.id, l2.id] });
    const o = offence(w, 'robbery', '2026-05-01', 'charged');
    // A legacy grade is a recorded grading: enough to link an offence, and (two sources) a member.
    linkOffence(w, o.id, n.id, [l1.id]);
    M.linkPerson(w.s, { personId: person(w, 'Uma Testperson').id, networkId: n.id, role: 'associate', intelIds: [l1.id, l2.id], startDate: '2026-01-01' });
    let x = explanationOf(w.db(), n.id);
    expect(x.assessed[0]).toMatchObject({ dimension: 'physical', value: 3, countedValue: 1, isFlaggedUnsupported: true, supportingItems: [] });
    expect(x.confidence).toMatchObject({ level: 'low', qualifyingItemIds: [], distinctQualifyingSourceIds: [] });
    // Two 3x5x2 items from distinct sources graded 1–2 / A–B: High.
    const a = intel(w, 1, 'A', 'CHIS 0703', { networkIds: [n.id] });
    const b = intel(w, 2, 'B', 'CHIS 0704', { networkIds: [n.id] });
    x = explanationOf(w.db(), n.id);
    expect(x.confidence.level).toBe('high');
    expect([...x.confidence.qualifyingItemIds].sort()).toEqual([a.id, b.id].sort());
  });
});
