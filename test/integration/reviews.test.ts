/**
 * A review is a re-validation, not a click: the lifecycle on a fixed clock, in a real encrypted
 * vault, through the real dispatcher. A member link and a gang flag are created, fall due, are
 * retained on fresh evidence (next date exact), fall due again with nothing fresh: retaining is
 * refused with the dialog's sentence, a supervisor retains with a reason (recorded as without
 * evidence), an analyst ends a link, a supervisor removes the flag; an under-18's link is on the
 * 3-month cycle; every step has its audit entry; `reviews:due` puts under-18s first; the
 * absolute ceiling after the latest evidence caps the next date and, once passed, refuses any
 * retain; `review due` on the command line prints ids, kinds, references and dates, no names.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import * as vaultService from '../../main/services/vault.service';
import { countRetainedWithoutEvidence, listReviewsOf } from '../../main/store/reviews.repo';
import type { Result } from '../../preload/contract';
import { runCli } from '../helpers/cli-runner';
import { auditHeadSeq, auditSince, Clock, intel, network, openMatrixWorld, person, type MatrixWorld } from '../helpers/matrix-fixtures';
import { ANALYST, removeDir } from '../helpers/vault-fixtures';

const at = (w: MatrixWorld, day: string) => w.clock.set(`${day}T10:00:00.000Z`);

async function ok<T = Record<string, unknown>>(w: MatrixWorld, channel: string, payload: unknown): Promise<T> {
  const r = await w.call(channel, payload);
  if (!r.ok) throw new Error(`${channel} refused: ${r.message} ${JSON.stringify(r.fields ?? {})}`);
  return r.value as T;
}
async function refused(w: MatrixWorld, channel: string, payload: unknown) {
  const r = (await w.call(channel, payload)) as Result<unknown>;
  if (r.ok) throw new Error(`${channel} was not refused`);
  return { code: r.code, message: r.message };
}
type Due = { kind: string; id: string; reference: string; networkReference: string | null; dueOn: string; isOverdue: boolean; isUnder18: boolean; label: string | null };
type Recorded = { review: { id: string; nextReviewOn: string | null; retainedWithoutEvidence: boolean }; status: string; sentence: string };
const entries = (w: MatrixWorld, seq: number) => auditSince(w.db(), seq).map((e) => [e.action, e.entityType, e.entityId, e.summary, e.justification, e.userName]);

describe('the lifecycle of a member link, a gang flag and an under-18 link', () => {
  let w: MatrixWorld;
  const ids = {} as Record<'n' | 'i1' | 'i2' | 'adult' | 'other' | 'child' | 'link' | 'link2' | 'childLink' | 'flag', { id: string; reference?: string }>;

  beforeAll(() => {
    w = openMatrixWorld('reviews', new Clock('2026-01-10T10:00:00.000Z'));
    ids.n = network(w, 'Review Crew');
    ids.i1 = intel(w, 1, 'A', 'CHIS 0101', { itemDate: '2026-01-05', networkIds: [ids.n.id] });
    ids.i2 = intel(w, 2, 'B', 'Officer report 7', { itemDate: '2026-01-06', networkIds: [ids.n.id] });
    ids.adult = person(w, 'Adam Reviewed', '1990-01-01');
    ids.other = person(w, 'Bea Reviewed', '1991-02-02');
    ids.child = person(w, 'Cal Reviewed', '2010-03-01');
    const link = (p: { id: string }) => M.linkPerson(w.s, { personId: p.id, networkId: ids.n.id, role: 'associate', intelIds: [ids.i1.id, ids.i2.id], startDate: '2026-01-05' });
    ids.link = link(ids.adult);
    ids.link2 = link(ids.other);
    ids.childLink = link(ids.child);
    ids.flag = M.proposeFlag(w.s, { subjectType: 'person', subjectId: ids.adult.id, networkId: ids.n.id, intelIds: [ids.i1.id, ids.i2.id] });
    w.as(w.supervisor);
    M.confirmMembership(w.s, ids.childLink.id);
    M.confirmFlag(w.s, ids.flag.id);
    w.as(w.analyst);
  });
  afterAll(() => {
    w.close();
    removeDir(w.tv.dir);
  });

  test('created: links and the flag on the 6-month cycle, the child on 3; nothing due yet', async () => {
    const db = w.db();
    expect(db.prepare('SELECT review_on FROM memberships WHERE id IN (?, ?, ?) ORDER BY rowid').pluck().all(ids.link.id, ids.link2.id, ids.childLink.id)).toEqual(['2026-07-10', '2026-07-10', '2026-04-10']);
    expect(db.prepare('SELECT review_on FROM gang_flags WHERE id = ?').pluck().get(ids.flag.id)).toBe('2026-07-10');
    expect(await ok(w, 'reviews:due', {})).toEqual([]);
  });

  test('the child falls due first: reviewed on fresh evidence, retained for 3 months', async () => {
    at(w, '2026-04-10');
    expect((await ok<Due[]>(w, 'reviews:due', {})).map((d) => [d.kind, d.id, d.dueOn, d.isOverdue, d.isUnder18])).toEqual([['membership', ids.childLink.id, '2026-04-10', false, true]]);
    const ev = await ok<{ sentence: string; isMet: boolean; nextReviewOn: string; items: { id: string; isQualifying: boolean; isInWindow: boolean; isCited: boolean }[] }>(w, 'reviews:evidence', { kind: 'membership', id: ids.childLink.id });
    expect(ev).toMatchObject({ isMet: true, nextReviewOn: '2026-07-10', sentence: 'This link still meets its entry threshold, with 2 qualifying items dated within the last 12 months (since 10/04/2025).' });
    expect(ev.items.map((i) => [i.id, i.isQualifying, i.isInWindow, i.isCited])).toEqual([
      [ids.i2.id, true, true, true],
      [ids.i1.id, true, true, true],
    ]);
    const seq = auditHeadSeq(w.db());
    const r = await ok<Recorded>(w, 'reviews:record', { kind: 'membership', id: ids.childLink.id, outcome: 'retain', reason: 'Both items re-read with the youth offending team.', intelIds: [ids.i1.id, ids.i2.id] });
    expect(r).toMatchObject({ status: 'confirmed', sentence: 'Member link retained. Next review due 10/07/2026.', review: { nextReviewOn: '2026-07-10', retainedWithoutEvidence: false } });
    expect(entries(w, seq)).toEqual([
      ['alter', 'membership', ids.childLink.id, `Member link reviewed (review ${r.review.id}): retained, 2 item(s) re-checked, next review 2026-07-10`, 'Both items re-read with the youth offending team.', ANALYST.name],
    ]);
  });

  test('six months on: due under-18s first, then by date, links before flags; names only as the card shows them', async () => {
    at(w, '2026-07-10');
    const due = await ok<Due[]>(w, 'reviews:due', {});
    expect(due.map((d) => [d.kind, d.reference, d.label, d.networkReference, d.dueOn, d.isOverdue, d.isUnder18])).toEqual([
      ['membership', ids.child.reference, 'Cal Reviewed', ids.n.reference, '2026-07-10', false, true],
      ['membership', ids.adult.reference, 'Adam Reviewed', ids.n.reference, '2026-07-10', false, false],
      ['membership', ids.other.reference, 'Bea Reviewed', ids.n.reference, '2026-07-10', false, false],
      ['gang_flag', ids.adult.reference, 'Adam Reviewed', ids.n.reference, '2026-07-10', false, false],
    ]);
    // The flag is a supervisor's to review, as they confirm and remove flags.
    expect(await refused(w, 'reviews:evidence', { kind: 'gang_flag', id: ids.flag.id })).toEqual({ code: 'forbidden', message: 'Gang flags are reviewed by supervisors, who confirm, expire and remove them.' });
  });

  test('retained on fresh evidence: the link and the flag, next review exactly 6 months on', async () => {
    const seq = auditHeadSeq(w.db());
    const link = await ok<Recorded>(w, 'reviews:record', { kind: 'membership', id: ids.link.id, outcome: 'retain', reason: 'Both items re-read; association current.', intelIds: [ids.i1.id, ids.i2.id] });
    w.as(w.supervisor);
    const flag = await ok<Recorded>(w, 'reviews:record', { kind: 'gang_flag', id: ids.flag.id, outcome: 'retain', reason: 'Criteria still met on both items.', intelIds: [ids.i1.id, ids.i2.id] });
    w.as(w.analyst);
    expect([link.review.nextReviewOn, flag.review.nextReviewOn]).toEqual(['2027-01-10', '2027-01-10']);
    expect(w.db().prepare('SELECT review_on FROM memberships WHERE id = ?').pluck().get(ids.link.id)).toBe('2027-01-10');
    expect(w.db().prepare('SELECT review_on FROM gang_flags WHERE id = ?').pluck().get(ids.flag.id)).toBe('2027-01-10');
    expect(entries(w, seq)).toEqual([
      ['alter', 'membership', ids.link.id, `Member link reviewed (review ${link.review.id}): retained, 2 item(s) re-checked, next review 2027-01-10`, 'Both items re-read; association current.', ANALYST.name],
      ['alter', 'gang_flag', ids.flag.id, `Gang flag reviewed (review ${flag.review.id}): retained, 2 item(s) re-checked, next review 2027-01-10`, 'Criteria still met on both items.', w.supervisor.name],
    ]);
  });

  const STALE = 'cannot be retained on this evidence. No qualifying item re-checked is dated within the last 12 months (since 01/02/2026): at least 1 is needed. End it, or a supervisor may retain it with a reason.';

  test('due again with nothing fresh: retain refused with the sentence, for the analyst and for a supervisor who does not say so; nothing written', async () => {
    at(w, '2027-02-01');
    const due = await ok<Due[]>(w, 'reviews:due', {});
    expect(due.filter((d) => d.id === ids.link.id || d.id === ids.link2.id).map((d) => [d.id, d.isOverdue])).toEqual([
      [ids.link2.id, true],
      [ids.link.id, true],
    ]);
    const ev = await ok<{ sentence: string; isMet: boolean; missing: string[] }>(w, 'reviews:evidence', { kind: 'membership', id: ids.link.id });
    expect(ev.isMet).toBe(false);
    expect(ev.sentence).toBe(`This link ${STALE}`);
    const before = auditHeadSeq(w.db());
    const retain = { kind: 'membership', id: ids.link.id, outcome: 'retain', reason: 'Still around.', intelIds: [ids.i1.id, ids.i2.id] };
    expect(await refused(w, 'reviews:record', retain)).toEqual({ code: 'invalid_input', message: `This link ${STALE}` });
    // Even asking to retain without evidence: only a supervisor may.
    expect(await refused(w, 'reviews:record', { ...retain, withoutEvidence: true })).toEqual({ code: 'invalid_input', message: `This link ${STALE}` });
    w.as(w.supervisor);
    expect(await refused(w, 'reviews:record', retain)).toEqual({ code: 'invalid_input', message: `This link ${STALE}` });
    expect(await refused(w, 'reviews:record', { kind: 'gang_flag', id: ids.flag.id, outcome: 'retain', reason: 'Still around.', intelIds: [ids.i1.id, ids.i2.id] })).toEqual({ code: 'invalid_input', message: `This flag ${STALE}` });
    w.as(w.analyst);
    expect(auditHeadSeq(w.db())).toBe(before);
    expect(w.db().prepare('SELECT count(*) FROM reviews').pluck().get()).toBe(3);
  });

  test('fresh but not enough: one new item alone misses the threshold; a source graded 3 never counts', async () => {
    const fresh = intel(w, 2, 'B', 'Officer report 9', { itemDate: '2027-01-20', networkIds: [ids.n.id] });
    const unreliable = intel(w, 3, 'B', 'Anonymous caller', { itemDate: '2027-01-21', networkIds: [ids.n.id] });
    const one = await ok<{ sentence: string }>(w, 'reviews:evidence', { kind: 'membership', id: ids.link.id, intelIds: [fresh.id] });
    expect(one.sentence).toBe(
      'This link cannot be retained on this evidence. It no longer meets its entry threshold: two qualifying graded items from independent sources must be re-checked (a source graded 3 or intelligence graded D or E does not count). End it, or a supervisor may retain it with a reason.',
    );
    const graded3 = await ok<{ isMet: boolean; sentence: string }>(w, 'reviews:evidence', { kind: 'membership', id: ids.link.id, intelIds: [ids.i1.id, ids.i2.id, unreliable.id] });
    expect(graded3).toMatchObject({ isMet: false, sentence: `This link ${STALE}` });
    // With the fresh item and the two older ones it qualifies (the review is not made here).
    expect(await ok(w, 'reviews:evidence', { kind: 'membership', id: ids.link.id, intelIds: [ids.i1.id, ids.i2.id, fresh.id] })).toMatchObject({
      isMet: true,
      sentence: 'This link still meets its entry threshold, with 1 qualifying item dated within the last 12 months (since 01/02/2026).',
      nextReviewOn: '2027-08-01',
    });
    // An item not held for the record cannot be ticked.
    const elsewhere = intel(w, 1, 'A', 'CHIS 0999', { itemDate: '2027-01-20' });
    expect(await w.call('reviews:record', { kind: 'membership', id: ids.link.id, outcome: 'retain', reason: 'x', intelIds: [elsewhere.id] })).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fields: { intelIds: 'Re-check only the items this record can be reviewed on: one or more of those given are not among them.' },
    });
  });

  test('a supervisor retains with a reason (recorded without evidence); an analyst ends the other link; the flag is retained then removed', async () => {
    const seq = auditHeadSeq(w.db());
    w.as(w.supervisor);
    const kept = await ok<Recorded>(w, 'reviews:record', { kind: 'membership', id: ids.link.id, outcome: 'retain', reason: 'Intelligence requested from the borough; decision at next meeting.', intelIds: [ids.i1.id, ids.i2.id], withoutEvidence: true });
    const flagKept = await ok<Recorded>(w, 'reviews:record', { kind: 'gang_flag', id: ids.flag.id, outcome: 'retain', reason: 'Awaiting the custody debrief.', intelIds: [], withoutEvidence: true });
    w.as(w.analyst);
    const ended = await ok<Recorded>(w, 'reviews:record', { kind: 'membership', id: ids.link2.id, outcome: 'end', reason: 'No current intelligence: moved away.', intelIds: [ids.i1.id] });
    expect(kept).toMatchObject({ status: 'confirmed', sentence: 'Member link retained without qualifying evidence (recorded). Next review due 01/08/2027.', review: { nextReviewOn: '2027-08-01', retainedWithoutEvidence: true } });
    expect(flagKept.review).toMatchObject({ nextReviewOn: '2027-08-01', retainedWithoutEvidence: true });
    expect(ended).toMatchObject({ status: 'ended', sentence: 'Member link ended.', review: { nextReviewOn: null, retainedWithoutEvidence: false } });
    expect(w.db().prepare('SELECT status, ended_at FROM memberships WHERE id = ?').get(ids.link2.id)).toEqual({ status: 'ended', ended_at: '2027-02-01T10:00:00.000Z' });
    expect(entries(w, seq)).toEqual([
      ['alter', 'membership', ids.link.id, `Member link reviewed (review ${kept.review.id}): retained by a supervisor without qualifying evidence, 2 item(s) re-checked, next review 2027-08-01`, 'Intelligence requested from the borough; decision at next meeting.', w.supervisor.name],
      ['alter', 'gang_flag', ids.flag.id, `Gang flag reviewed (review ${flagKept.review.id}): retained by a supervisor without qualifying evidence, 0 item(s) re-checked, next review 2027-08-01`, 'Awaiting the custody debrief.', w.supervisor.name],
      ['alter', 'membership', ids.link2.id, `Member link reviewed (review ${ended.review.id}): ended, 1 item(s) re-checked`, 'No current intelligence: moved away.', ANALYST.name],
    ]);
    // An ended link is not reviewed again, nor listed.
    expect(await refused(w, 'reviews:evidence', { kind: 'membership', id: ids.link2.id })).toEqual({ code: 'conflict', message: 'Only a confirmed member link is reviewed: this one is proposed or has ended.' });

    at(w, '2027-08-01');
    w.as(w.supervisor2);
    const seq2 = auditHeadSeq(w.db());
    const removed = await ok<Recorded>(w, 'reviews:record', { kind: 'gang_flag', id: ids.flag.id, outcome: 'end', reason: 'Debrief: no longer associated.', intelIds: [] });
    w.as(w.analyst);
    expect(removed.status).toBe('removed');
    expect(w.db().prepare('SELECT status, end_reason FROM gang_flags WHERE id = ?').get(ids.flag.id)).toEqual({ status: 'removed', end_reason: 'Debrief: no longer associated.' });
    expect(entries(w, seq2)).toEqual([['alter', 'gang_flag', ids.flag.id, `Gang flag reviewed (review ${removed.review.id}): removed, 0 item(s) re-checked`, 'Debrief: no longer associated.', w.supervisor2.name]]);
  });

  test('reopened from disk: every review kept, with reviewer, outcome, reason, items and the without-evidence count', () => {
    vaultService.lock(w.s, 'manual');
    vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    const db = w.db();
    expect(listReviewsOf(db, 'membership', ids.link.id).map((r) => [r.reviewedOn, r.reviewerId, r.outcome, r.retainedWithoutEvidence, r.nextReviewOn, r.intelIds.length])).toEqual([
      ['2026-07-10', w.analyst.id, 'retain', false, '2027-01-10', 2],
      ['2027-02-01', w.supervisor.id, 'retain', true, '2027-08-01', 2],
    ]);
    expect(listReviewsOf(db, 'gang_flag', ids.flag.id).map((r) => [r.reviewedOn, r.outcome, r.retainedWithoutEvidence, r.reason])).toEqual([
      ['2026-07-10', 'retain', false, 'Criteria still met on both items.'],
      ['2027-02-01', 'retain', true, 'Awaiting the custody debrief.'],
      ['2027-08-01', 'end', false, 'Debrief: no longer associated.'],
    ]);
    expect(countRetainedWithoutEvidence(db)).toBe(2);
    expect(db.prepare('SELECT count(*) FROM reviews').pluck().get()).toBe(7);
  });

  test('erasing a link or a flag takes its reviews (reasons are free text) and their re-checked items', async () => {
    w.as(w.supervisor);
    await ok(w, 'erase:confirm', { kind: 'link', ref: ids.link.id, reason: 'Erasure request upheld.' });
    await ok(w, 'erase:confirm', { kind: 'flag', ref: ids.flag.id, reason: 'Erasure request upheld.' });
    w.as(w.analyst);
    const db = w.db();
    expect(db.prepare('SELECT subject_kind, subject_id FROM reviews ORDER BY reviewed_at').all()).toEqual([
      { subject_kind: 'membership', subject_id: ids.childLink.id },
      { subject_kind: 'membership', subject_id: ids.link2.id },
    ]);
    expect(db.prepare('SELECT count(*) FROM review_intelligence').pluck().get()).toBe(3);
    expect(db.prepare("SELECT count(*) FROM reviews WHERE reason LIKE '%custody debrief%' OR reason LIKE '%association current%'").pluck().get()).toBe(0);
  });
});

describe('networks, safeguarding links and the absolute ceiling', () => {
  let w: MatrixWorld;
  beforeAll(() => {
    w = openMatrixWorld('reviews-ceiling', new Clock('2026-01-10T10:00:00.000Z'));
  });
  afterAll(() => {
    w.close();
    removeDir(w.tv.dir);
  });

  test('a link whose latest evidence is near 5 years old: the next review stops at the ceiling; once passed, nobody retains it', async () => {
    const n = network(w, 'Old Crew');
    const old1 = intel(w, 1, 'A', 'CHIS 0202', { itemDate: '2021-09-01' });
    const old2 = intel(w, 2, 'B', 'Officer report 8', { itemDate: '2021-09-02' });
    const p = person(w, 'Dee Ceiling', '1985-05-05');
    const m = M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [old1.id, old2.id], startDate: '2021-09-02' });
    at(w, '2026-07-10');
    w.as(w.supervisor);
    const r = await ok<Recorded>(w, 'reviews:record', { kind: 'membership', id: m.id, outcome: 'retain', reason: 'Held pending the trial.', intelIds: [old1.id, old2.id], withoutEvidence: true });
    // Six months on would be 10/01/2027; five years after 02/09/2021 comes first.
    expect(r.review.nextReviewOn).toBe('2026-09-02');
    at(w, '2026-09-02');
    const refusal = 'This link cannot be retained: its most recent supporting evidence is dated 02/09/2021, and nothing is kept more than 5 years after its most recent evidence without fresh evidence. End it.';
    expect(await ok(w, 'reviews:evidence', { kind: 'membership', id: m.id })).toMatchObject({ isMet: false, nextReviewOn: null, ceilingRefusal: refusal, sentence: refusal });
    expect(await refused(w, 'reviews:record', { kind: 'membership', id: m.id, outcome: 'retain', reason: 'Held pending the trial.', intelIds: [], withoutEvidence: true })).toEqual({ code: 'invalid_input', message: refusal });
    w.as(w.analyst);
  });

  test('a network is retained with a reason and the items re-checked (12 months), or archived and rescored', async () => {
    at(w, '2026-10-01');
    const n = network(w, 'Net Review Crew');
    const i = intel(w, 1, 'B', 'CHIS 0303', { itemDate: '2026-09-30', networkIds: [n.id] });
    const seq = auditHeadSeq(w.db());
    const kept = await ok<Recorded>(w, 'reviews:record', { kind: 'network', id: n.id, outcome: 'retain', reason: 'Active: recent stabbing linked.', intelIds: [i.id] });
    expect(kept.review.nextReviewOn).toBe('2027-10-01');
    expect(w.db().prepare('SELECT status, last_reviewed_on, next_review_on FROM networks WHERE id = ?').get(n.id)).toEqual({ status: 'proposed', last_reviewed_on: '2026-10-01', next_review_on: '2027-10-01' });
    const archived = await ok<Recorded>(w, 'reviews:record', { kind: 'network', id: n.id, outcome: 'end', reason: 'Dispersed after the operation.', intelIds: [] });
    expect(archived.status).toBe('archived');
    expect(await refused(w, 'reviews:evidence', { kind: 'network', id: n.id })).toEqual({ code: 'conflict', message: 'An archived network is not reviewed.' });
    expect(entries(w, seq).map((e) => e.slice(0, 5))).toEqual([
      ['alter', 'network', n.id, `Network ${n.reference} reviewed (review ${kept.review.id}): retained, 1 item(s) re-checked, next review 2027-10-01`, 'Active: recent stabbing linked.'],
      ['alter', 'network', n.id, `Network ${n.reference} reviewed (review ${archived.review.id}): archived, 0 item(s) re-checked`, 'Dispersed after the operation.'],
    ]);
  });

  test('a victim / at-risk link is retained on a reason alone (safeguarding)', async () => {
    const n = network(w, 'Safe Crew');
    const p = person(w, 'Eli Safeguarded', '2011-01-01');
    const m = M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'victim_at_risk', startDate: '2026-10-01' });
    const ev = await ok(w, 'reviews:evidence', { kind: 'membership', id: m.id });
    expect(ev).toMatchObject({ isMet: true, sentence: 'A victim / at-risk link is kept for safeguarding: it is retained with a reason, or ended.', nextReviewOn: '2027-01-01' });
  });

  test('bulk review is not offered: one record per call, and the input is checked', async () => {
    expect(await w.call('reviews:record', { kind: 'membership', ids: ['a', 'b'], outcome: 'retain', reason: 'x', intelIds: [] })).toMatchObject({ ok: false, code: 'invalid_input' });
    expect(await w.call('reviews:record', { kind: 'membership', id: 'x', outcome: 'retain', reason: '  ', intelIds: [] })).toMatchObject({ ok: false, code: 'invalid_input', fields: { reason: 'Give a reason.' } });
  });
});

describe('review due on the command line', () => {
  let w: MatrixWorld;
  const made = {} as Record<'n' | 'adult' | 'child' | 'link' | 'childLink', { id: string; reference?: string }>;
  beforeAll(() => {
    // Long enough ago that everything is overdue on any day the test runs (the CLI reads the real clock).
    w = openMatrixWorld('reviews-cli', new Clock('2024-01-10T10:00:00.000Z'));
    made.n = network(w, 'Cli Review Crew');
    const i1 = intel(w, 1, 'A', 'CHIS 0404', { itemDate: '2024-01-05', networkIds: [made.n.id] });
    const i2 = intel(w, 2, 'B', 'Officer report 4', { itemDate: '2024-01-06', networkIds: [made.n.id] });
    made.adult = person(w, 'Fen Commandline', '1990-01-01');
    made.child = person(w, 'Gus Commandline', '2012-06-01');
    made.link = M.linkPerson(w.s, { personId: made.adult.id, networkId: made.n.id, role: 'associate', intelIds: [i1.id, i2.id], startDate: '2024-01-05' });
    made.childLink = M.linkPerson(w.s, { personId: made.child.id, networkId: made.n.id, role: 'associate', intelIds: [i1.id, i2.id], startDate: '2024-01-05' });
    w.as(w.supervisor);
    M.confirmMembership(w.s, made.childLink.id);
    w.s.closeVault();
  });
  afterAll(() => removeDir(w.tv.dir));

  test('ids, kinds, references and due dates, under-18s first; JSON the same; never a name', async () => {
    const text = await runCli(['review', 'due', w.tv.path, '--user', ANALYST.name], `${ANALYST.passphrase}\n`, w.tv.ctx.stateDir);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const R = made.n.reference!;
    expect(text.stdout.split('\n')).toEqual([
      `link    ${made.childLink.id}  ${made.child.reference!.padEnd(14)} ${R.padEnd(14)} 10/04/2024  overdue, under 18`,
      `link    ${made.link.id}  ${made.adult.reference!.padEnd(14)} ${R.padEnd(14)} 10/07/2024  overdue`,
      `network ${made.n.id}  ${R.padEnd(14)} ${R.padEnd(14)} 10/01/2025  overdue`,
      '3 due for review (3 overdue).',
      '',
    ]);
    const json = await runCli(['review', 'due', w.tv.path, '--user', ANALYST.name, '--json'], `${ANALYST.passphrase}\n`, w.tv.ctx.stateDir);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([
      { kind: 'link', id: made.childLink.id, reference: made.child.reference, networkReference: R, dueOn: '2024-04-10', isOverdue: true, isUnder18: true },
      { kind: 'link', id: made.link.id, reference: made.adult.reference, networkReference: R, dueOn: '2024-07-10', isOverdue: true, isUnder18: false },
      { kind: 'network', id: made.n.id, reference: R, networkReference: R, dueOn: '2025-01-10', isOverdue: true, isUnder18: false },
    ]);
    for (const out of [text.stdout, json.stdout]) expect(out).not.toMatch(/Commandline|Cli Review Crew/);
  });
});
