/**
 * Prioritisation meetings (docs/specification.md, "Meeting"; issue 4 "Meetings"): holding one freezes every
 * network's score as computed for the meeting day, its band, owner and plan status, so the next
 * pack can show movement. Through the real IPC dispatch onto an encrypted vault on disk, with a
 * clock set by hand; the snapshot is compared with the scoring service's own figures for the day.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import { meetingBefore, snapshotOf, type SnapshotRow } from '../../main/services/meetings.service';
import { computeScores } from '../../main/services/scoring.service';
import * as vaultService from '../../main/services/vault.service';
import { SUPERVISOR } from '../helpers/vault-fixtures';
import { auditHeadSeq, auditSince, buildVectorNetwork, linkOffence, network, offence } from '../helpers/matrix-fixtures';
import { Clock, expectRefused, ok, openDisruptionWorld, type DisruptionWorld } from '../helpers/disruption-fixtures';

interface MeetingRow {
  id: string;
  heldOn: string;
  heldAt: string;
  heldBy: string;
  networkCount: number;
  model: string;
  weightTableId: string;
  weightTableVersion: string;
}

const clock = new Clock('2026-05-29T09:00:00.000Z');
let w: DisruptionWorld;
const net: Record<'southside' | 'vector' | 'eastside', { id: string; reference: string }> = {} as never;
const meetings: Record<string, MeetingRow> = {};
const frozen: Record<string, SnapshotRow[]> = {};

/** What the snapshot must hold for `day`: the scoring service's figures and the networks' current owner and plan. */
function expectedSnapshot(day: string): SnapshotRow[] {
  const db = w.db();
  const scores = computeScores(db, null, day);
  const rows = db.prepare('SELECT id, reference, status, business_group, unit, lead_officer, plan_status FROM networks ORDER BY reference').all() as {
    id: string;
    reference: string;
    status: string;
    business_group: string;
    unit: string;
    lead_officer: string;
    plan_status: string;
  }[];
  return rows.map((n) => {
    const h = scores.get(n.id)!;
    return {
      networkId: n.id,
      reference: n.reference,
      status: n.status,
      score: h.score,
      ehPts: h.explanation.parts.ehPts,
      ahPts: h.explanation.parts.ahPts,
      capPts: h.explanation.parts.capPts,
      band: h.effectiveBand,
      confidence: h.confidence,
      businessGroup: n.business_group,
      unit: n.unit,
      leadOfficer: n.lead_officer,
      planStatus: n.plan_status,
    };
  });
}

beforeAll(async () => {
  w = openDisruptionWorld('meetings', clock);
  w.as(w.analyst);
  net.southside = { id: w.networkId, reference: w.networkReference };
  const v = buildVectorNetwork(w, 'Vector Crew');
  net.vector = { id: v.network.id, reference: v.network.reference };
  M.editNetwork(w.s, v.network.id, { name: 'Vector Crew', type: 'gang', status: 'active', leadBorough: 'E09000022', businessGroup: 'SCD', unit: 'Trident', leadOfficer: 'DI Testofficer' });
  const e = network(w, 'Eastside Boys', { businessGroup: 'TP', unit: 'Lambeth Gangs', leadOfficer: 'DS Testofficer' });
  net.eastside = { id: e.id, reference: e.reference };
  linkOffence(w, offence(w, 'robbery', '2026-05-01', 'convicted').id, e.id, [v.items[0]!.id]);
  await ok(w, 'networks:set-plan-status', { id: v.network.id, planStatus: 'agreed' });
});

afterAll(() => w?.close());

describe('holding a meeting', () => {
  test('freezes every network as of the day: the score computed for the day, its parts, band, confidence, owner and plan status', async () => {
    w.as(w.supervisor);
    const seq = auditHeadSeq(w.db());
    const m = await ok<MeetingRow>(w, 'meetings:hold', {});
    meetings.may = m;
    expect(m).toEqual({
      id: m.id,
      heldOn: '2026-05-29',
      heldAt: '2026-05-29T09:00:00.000Z',
      heldBy: SUPERVISOR.name,
      networkCount: 3,
      model: 'hm-1',
      weightTableId: 'hm-1',
      weightTableVersion: '1.0.0',
    });
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'alter', entityType: 'meeting', entityId: m.id, summary: 'Prioritisation meeting held on 2026-05-29: 3 networks frozen', justification: null, userName: SUPERVISOR.name },
    ]);
    const snap = snapshotOf(w.db(), m.id);
    expect(snap).toEqual(expectedSnapshot('2026-05-29'));
    frozen.may = snap;
    // The owner and plan as recorded, in reference order.
    expect(snap.map((r) => [r.reference, r.businessGroup, r.unit, r.leadOfficer, r.planStatus, r.status])).toEqual([
      ['CN-2026-0001', 'SCD', '', '', 'none', 'proposed'],
      ['CN-2026-0002', 'SCD', 'Trident', 'DI Testofficer', 'agreed', 'active'],
      ['CN-2026-0003', 'TP', 'Lambeth Gangs', 'DS Testofficer', 'none', 'proposed'],
    ]);
    // Nothing linked: nothing scored.
    expect([snap[0]!.score, snap[0]!.band]).toEqual([0, 'below_threshold']);
  });

  test('a month later the domain.md test vector is frozen at 59.014, band B, confidence High', async () => {
    clock.set('2026-06-30T10:00:00.000Z');
    w.as(w.analyst);
    await ok(w, 'networks:set-plan-status', { id: net.eastside.id, planStatus: 'in_progress' });
    const m = await ok<MeetingRow>(w, 'meetings:hold', { heldOn: '2026-06-30' });
    meetings.june = m;
    expect([m.heldOn, m.heldAt, m.heldBy, m.networkCount]).toEqual(['2026-06-30', '2026-06-30T10:00:00.000Z', w.analyst.name, 3]);
    const snap = snapshotOf(w.db(), m.id);
    expect(snap).toEqual(expectedSnapshot('2026-06-30'));
    frozen.june = snap;
    const vector = snap.find((r) => r.networkId === net.vector.id)!;
    expect([vector.score.toFixed(3), vector.ehPts.toFixed(3), vector.ahPts, vector.capPts, vector.band, vector.confidence]).toEqual(['59.014', '38.264', 13.75, 7, 'B', 'high']);
    // The May snapshot was scored as of 29 May: decay differs, so the score does too.
    const mayVector = frozen.may!.find((r) => r.networkId === net.vector.id)!;
    expect(mayVector.score).toBe(computeScores(w.db(), [net.vector.id], '2026-05-29').get(net.vector.id)!.score);
    expect(mayVector.score).not.toBe(vector.score);
    expect(snap.find((r) => r.networkId === net.eastside.id)!.planStatus).toBe('in_progress');
  });

  test('later changes to the networks do not touch the snapshots', async () => {
    w.as(w.analyst);
    // A convicted homicide yesterday, a new owner, a new plan status, archived.
    linkOffence(w, offence(w, 'homicide', '2026-06-29', 'convicted').id, net.vector.id, [w.db().prepare('SELECT id FROM intelligence ORDER BY reference LIMIT 1').pluck().get() as string]);
    M.editNetwork(w.s, net.vector.id, { name: 'Vector Crew', type: 'gang', status: 'archived', leadBorough: 'E09000022', businessGroup: 'SO', unit: 'Flying Squad', leadOfficer: 'DCI Otherofficer' });
    await ok(w, 'networks:set-plan-status', { id: net.vector.id, planStatus: 'under_review' });
    const now = expectedSnapshot('2026-06-30').find((r) => r.networkId === net.vector.id)!;
    expect([now.band, now.businessGroup, now.unit, now.planStatus, now.status]).toEqual(['A', 'SO', 'Flying Squad', 'under_review', 'archived']);
    expect(snapshotOf(w.db(), meetings.june!.id)).toEqual(frozen.june);
    expect(snapshotOf(w.db(), meetings.may!.id)).toEqual(frozen.may);
  });

  test('a second meeting on the same day is refused, whether the day is given or taken from the clock', async () => {
    w.as(w.supervisor);
    await expectRefused(w, 'meetings:hold', {}, { code: 'conflict', message: 'A meeting has already been held on that date.' });
    await expectRefused(w, 'meetings:hold', { heldOn: '2026-06-30' }, { code: 'conflict', message: 'A meeting has already been held on that date.' });
    await expectRefused(w, 'meetings:hold', { heldOn: '2026-05-29' }, { code: 'conflict', message: 'A meeting has already been held on that date.' });
  });

  test('a future date is refused; "today" is the UK calendar day', async () => {
    w.as(w.supervisor);
    await expectRefused(w, 'meetings:hold', { heldOn: '2026-07-01' }, { code: 'invalid_input', message: 'A meeting cannot be held on a future date.' });
    // 00:30 on 1 July in London (23:30 UTC on 30 June): 1 July is today, 2 July is not.
    clock.set('2026-06-30T23:30:00.000Z');
    await expectRefused(w, 'meetings:hold', { heldOn: '2026-07-02' }, { code: 'invalid_input', message: 'A meeting cannot be held on a future date.' });
    const m = await ok<MeetingRow>(w, 'meetings:hold', {});
    meetings.july = m;
    expect([m.heldOn, m.heldAt]).toEqual(['2026-07-01', '2026-06-30T23:30:00.000Z']);
  });

  test('only analysts and supervisors hold meetings; the request is strict', async () => {
    clock.set('2026-07-02T10:00:00.000Z');
    for (const who of [w.reader, w.validator, w.admin]) {
      w.as(who);
      await expectRefused(w, 'meetings:hold', {}, { code: 'forbidden', message: 'Your role does not allow this.' });
    }
    w.as(w.supervisor);
    const invalid = 'Some of the details are not valid. Check the highlighted fields.';
    await expectRefused(w, 'meetings:hold', { heldOn: '2026-07-02', snapshot: [] }, { code: 'invalid_input', message: invalid, fields: { _: 'Unrecognized key: "snapshot"' } });
    await expectRefused(w, 'meetings:hold', { heldOn: '02/07/2026' }, { code: 'invalid_input', message: invalid, fields: { heldOn: 'Use a date like 2026-06-30.' } });
    await expectRefused(w, 'networks:set-plan-status', { id: net.vector.id, planStatus: 'abandoned' }, {
      code: 'invalid_input',
      message: invalid,
      fields: { planStatus: 'Invalid option: expected one of "none"|"draft"|"agreed"|"in_progress"|"under_review"' },
    });
    w.as(w.reader);
    await expectRefused(w, 'networks:set-plan-status', { id: net.vector.id, planStatus: 'agreed' }, { code: 'forbidden', message: 'Your role does not allow this.' });
  });

  test('plan status changes are audited in plain words', async () => {
    w.as(w.supervisor);
    const seq = auditHeadSeq(w.db());
    await ok(w, 'networks:set-plan-status', { id: net.southside.id, planStatus: 'in_progress' });
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'alter', entityType: 'network', entityId: net.southside.id, summary: 'Network CN-2026-0001 plan status set to in progress', justification: null, userName: SUPERVISOR.name },
    ]);
  });
});

describe('the previous meeting and the list', () => {
  test('meetingBefore picks the latest meeting strictly before the day', () => {
    const db = w.db();
    const on = (day: string) => meetingBefore(db, day)?.heldOn ?? null;
    expect([on('2026-05-29'), on('2026-05-30'), on('2026-06-30'), on('2026-07-01'), on('2026-07-02'), on('2027-01-01')]).toEqual([
      null,
      '2026-05-29',
      '2026-05-29',
      '2026-06-30',
      '2026-07-01',
      '2026-07-01',
    ]);
    expect(meetingBefore(db, '2026-07-01')).toEqual(meetings.june);
  });

  test('any user lists the meetings, newest first; after reopening from disk the snapshots are unchanged', async () => {
    vaultService.lock(w.s, 'manual');
    vaultService.unlock(w.s, { userName: SUPERVISOR.name, passphrase: SUPERVISOR.passphrase });
    w.as(w.reader);
    const list = await ok<MeetingRow[]>(w, 'meetings:list', {});
    expect(list).toEqual([meetings.july, meetings.june, meetings.may]);
    expect(list.map((m) => [m.heldOn, m.heldBy, m.networkCount])).toEqual([
      ['2026-07-01', SUPERVISOR.name, 3],
      ['2026-06-30', w.analyst.name, 3],
      ['2026-05-29', SUPERVISOR.name, 3],
    ]);
    expect(snapshotOf(w.db(), meetings.june!.id)).toEqual(frozen.june);
    expect(snapshotOf(w.db(), meetings.may!.id)).toEqual(frozen.may);
    // The July meeting froze the networks as they stood then: the vector network archived, band A.
    const july = snapshotOf(w.db(), meetings.july!.id).find((r) => r.networkId === net.vector.id)!;
    expect([july.status, july.band, july.unit, july.planStatus]).toEqual(['archived', 'A', 'Flying Squad', 'under_review']);
  });
});
