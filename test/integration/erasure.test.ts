/**
 * Erasure (DPA 2018 s.47) on encrypted vaults on disk, through the real IPC dispatch:
 * - the cascade for each kind, with exact counts: the plan changes nothing and says what the
 *   erasure then does, row for row;
 * - after erasing offences, an intelligence item, member and offence links and a network, every
 *   scoring digest part, `network_offences`, every stored score and every history row equals a
 *   fresh build from the rows that remain;
 * - an erased network leaves an "erased" placeholder in past meeting snapshots (the pack's totals
 *   still add up); export register rows lose the references they named;
 * - refusals: an analyst, no reason, a reason naming the person, a submitted claim, an unknown record;
 *   each writes nothing;
 * - the register lists ids, kinds, dates and reasons, never names; the workstation keeps the ids.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import * as D from '../../main/services/disruptions.service';
import * as E from '../../main/services/erasure.service';
import * as M from '../../main/services/matrix.service';
import { holdMeeting, snapshotOf } from '../../main/services/meetings.service';
import { computeScores } from '../../main/services/scoring.service';
import { NETWORK_OFFENCES_FROM_ROWS, staleDigests } from '../helpers/fresh-build';
import { insertExport } from '../../main/store/exports.repo';
import { summariseScore } from '../../main/store/scores.repo';
import type { Db } from '../../main/vault/database';
import type { EraseResult, ErasePlan, ErasureRow, Result } from '../../preload/contract';
import { claim } from '../helpers/disruption-fixtures';
import {
  auditHeadSeq,
  auditSince,
  buildVectorNetwork,
  fingerprint,
  intel,
  linkOffence,
  network,
  offence,
  openMatrixWorld,
  person,
  scoreRows,
  type MatrixWorld,
} from '../helpers/matrix-fixtures';

let w: MatrixWorld | null = null;
afterEach(() => {
  w?.close();
  w = null;
});

async function ok<T>(r: Promise<Result<unknown>>): Promise<T> {
  const got = await r;
  if (!got.ok) throw new Error(`expected ok, got ${got.code}: ${got.message}`);
  return got.value as T;
}

const count = (db: Db, table: string): number => db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;

/** A person linked to a network on two graded items, flagged (confirmed by a supervisor), with an item only about them. */
function linkedPerson(world: MatrixWorld, n: { id: string }, name: string, opts: { privateSummary?: string } = {}) {
  const p = person(world, name, '2001-04-17');
  const a = intel(world, 1, 'A', `CHIS ${name}`, { summary: opts.privateSummary ?? 'Seen at the address.' });
  const b = intel(world, 2, 'B', `Officer ${name}`, { networkIds: [n.id] });
  const link = M.linkPerson(world.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [a.id, b.id], startDate: '2026-02-01' });
  const flag = M.proposeFlag(world.s, { subjectType: 'person', subjectId: p.id, networkId: n.id, intelIds: [a.id, b.id] });
  world.as(world.supervisor);
  M.confirmFlag(world.s, flag.id);
  world.as(world.analyst);
  return { person: p, privateItem: a, sharedItem: b, link, flag };
}

/* ---- Fresh-build checks (the digests' own are in test/helpers/fresh-build.ts) ----------------------- */

/** Every history row against scoring the rows that remain as of its own day (the explaining path). */
function staleHistory(db: Db): string[] {
  const out: string[] = [];
  const rows = db.prepare('SELECT id, network_id, as_of, score, eh_pts, ah_pts, cap_pts, band, effective_band, confidence FROM score_history ORDER BY id').all() as {
    id: number;
    network_id: string;
    as_of: string;
    score: number;
    eh_pts: number;
    ah_pts: number;
    cap_pts: number;
    band: string;
    effective_band: string;
    confidence: string;
  }[];
  for (const r of rows) {
    const x = summariseScore(computeScores(db, [r.network_id], r.as_of).get(r.network_id)!);
    const fresh = [x.score, x.ehPts, x.ahPts, x.capPts, x.band, x.effectiveBand, x.confidence];
    const stored = [r.score, r.eh_pts, r.ah_pts, r.cap_pts, r.band, r.effective_band, r.confidence];
    if (JSON.stringify(fresh) !== JSON.stringify(stored)) out.push(`history ${r.id} (${r.network_id} as of ${r.as_of}): stored ${JSON.stringify(stored)} | rows ${JSON.stringify(fresh)}`);
  }
  return out;
}

/** Everything derived equals a fresh build: digests, network_offences, stored scores (a full rescore changes nothing), history. */
function expectDerivedFresh(world: MatrixWorld): void {
  const db = world.db();
  expect(staleDigests(db)).toEqual([]);
  expect(db.prepare('SELECT network_id, offence_id, category, offence_date, stage, weapon FROM network_offences ORDER BY 1, 2').raw().all()).toEqual(
    db.prepare(NETWORK_OFFENCES_FROM_ROWS).raw().all(),
  );
  expect(staleHistory(db)).toEqual([]);
  const strip = (rows: ReturnType<typeof scoreRows>) => rows.map(({ computed_at: _c, ...r }) => r);
  const before = strip(scoreRows(db));
  world.as(world.supervisor);
  expect(M.rescoreAll(world.s).changed).toBe(0);
  expect(strip(scoreRows(db))).toEqual(before);
}

describe('the cascade, kind by kind, with exact counts', () => {
  test('a person: their links, flags and the items only about them; the plan first, changing nothing', async () => {
    w = openMatrixWorld('erase-person');
    const n = network(w, 'Northside Crew');
    const n2 = network(w, 'Eastside Crew');
    const x = linkedPerson(w, n, 'Quinton Marlowe-Fisk');
    // A second link to another network, citing the same private item: still only about this person.
    const b2 = intel(w, 2, 'B', 'Officer second', { networkIds: [n2.id] });
    M.linkPerson(w.s, { personId: x.person.id, networkId: n2.id, role: 'associate', intelIds: [x.privateItem.id, b2.id], startDate: '2026-02-01' });
    const other = linkedPerson(w, n, 'Someone Else');
    w.as(w.supervisor);
    expect(staleDigests(w.db())).toEqual([]);
    const before = fingerprint(w.db());
    const seq = auditHeadSeq(w.db());
    const plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'person', ref: x.person.reference }));
    expect(fingerprint(w.db())).toBe(before);
    expect(auditHeadSeq(w.db())).toBe(seq);
    expect(plan).toMatchObject({ kind: 'person', recordId: x.person.id, reference: x.person.reference, networksRescored: 2 });
    expect(plan.counts).toEqual({ people: 1, memberships: 2, flags: 1, intelligence: 1, citations: 3, offences: 0, offenceLinks: 0, networks: 0, overrides: 0, disruptions: 0, snapshotPlaceholders: 0, registerRows: 0 });
    expect(plan.summary).toBe('1 person, 2 member links, 1 flag, 1 intelligence item, 3 citations of intelligence; 2 networks rescored');

    const done = await ok<EraseResult>(w.call('erase:confirm', { kind: 'person', ref: x.person.id, reason: 'Subject access and erasure request upheld.' }));
    expect(done.counts).toEqual(plan.counts);
    expect(done.summary).toBe(plan.summary);
    expect(done.isLogCheckpointed).toBe(true);
    const db = w.db();
    expect(db.prepare('SELECT count(*) FROM people WHERE id = ?').pluck().get(x.person.id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM memberships WHERE person_id = ?').pluck().get(x.person.id)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM gang_flags WHERE subject_id = ?").pluck().get(x.person.id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM intelligence WHERE id = ?').pluck().get(x.privateItem.id)).toBe(0);
    // The items held against the networks stay; the other person is untouched.
    expect(db.prepare('SELECT count(*) FROM intelligence WHERE id IN (?, ?)').pluck().get(x.sharedItem.id, b2.id)).toBe(2);
    expect(db.prepare('SELECT count(*) FROM memberships WHERE person_id = ?').pluck().get(other.person.id)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM gang_flag_intelligence WHERE flag_id = ?').pluck().get(other.flag.id)).toBe(2);

    const entries = auditSince(db, seq);
    const erase = entries.filter((e) => e.action === 'erase');
    expect(erase).toEqual([
      {
        action: 'erase',
        entityType: 'person',
        entityId: x.person.id,
        summary: `Erased person ${x.person.reference} (erasure ${done.erasureId}): ${plan.summary}`,
        justification: 'Subject access and erasure request upheld.',
        userName: w.supervisor.name,
      },
    ]);
    for (const e of entries) expect(`${e.summary} ${e.justification ?? ''}`).not.toMatch(/Quinton|Marlowe|2001-04-17/);

    // The register: ids, kinds, dates, reasons, who; the workstation keeps the ids.
    const register = await ok<ErasureRow[]>(w.call('erasures:list', {}));
    expect(register).toEqual([
      { id: done.erasureId, kind: 'person', recordId: x.person.id, reference: x.person.reference, erasedAt: done.erasedAt, reason: 'Subject access and erasure request upheld.', erasedBy: w.supervisor.name, summary: '1 person, 2 member links, 1 flag, 1 intelligence item, 3 citations of intelligence', reappliedAt: null },
    ]);
    const file = JSON.parse(readFileSync(join(w.tv.ctx.stateDir, 'erasures', `${w.s.vault!.vaultId}.json`), 'utf8')) as { erasures: { id: string; recordId: string; rows: Record<string, string[]> }[] };
    expect(file.erasures.map((e) => [e.id, e.recordId])).toEqual([[done.erasureId, x.person.id]]);
    expect(file.erasures[0]!.rows.memberships).toHaveLength(2);
    expect(JSON.stringify(file)).not.toMatch(/Quinton|Subject access|P-/);
    expectDerivedFresh(w);
  });

  test('a member link, a flag, an intelligence item, an offence, a network and a draft claim', async () => {
    w = openMatrixWorld('erase-kinds');
    const v = buildVectorNetwork(w);
    const x = linkedPerson(w, v.network, 'Rowan Example');
    w.as(w.supervisor);
    // A member link: the link and its two citations.
    let plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'link', ref: x.link.id }));
    expect(plan.counts).toMatchObject({ memberships: 1, people: 0, flags: 0, intelligence: 0 });
    await ok(w.call('erase:confirm', { kind: 'link', ref: x.link.id, reason: 'Link recorded in error.' }));
    expect(count(w.db(), 'membership_intelligence')).toBe(0);
    // A flag.
    plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'flag', ref: x.flag.id }));
    expect(plan.summary).toBe('1 flag; 1 network rescored');
    await ok(w.call('erase:confirm', { kind: 'flag', ref: x.flag.id, reason: 'Flag recorded in error.' }));
    expect(count(w.db(), 'gang_flags')).toBe(0);
    expect(count(w.db(), 'gang_flag_intelligence')).toBe(0);
    expect(count(w.db(), 'people')).toBe(1);

    // An offence: its link (and the link's citation); the network rescored.
    const robbery = v.offenceIds.robbery!;
    const scoreBefore = w.db().prepare('SELECT score FROM network_scores WHERE network_id = ?').pluck().get(v.network.id) as number;
    plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'offence', ref: robbery }));
    expect(plan.counts).toMatchObject({ offences: 1, offenceLinks: 1, citations: 0 });
    expect(plan.summary).toBe('1 offence, 1 offence link; 1 network rescored');
    await ok(w.call('erase:confirm', { kind: 'offence', ref: robbery, reason: 'Crime record cancelled.' }));
    expect(w.db().prepare('SELECT count(*) FROM network_offences WHERE offence_id = ?').pluck().get(robbery)).toBe(0);
    expect(w.db().prepare('SELECT score FROM network_scores WHERE network_id = ?').pluck().get(v.network.id)).toBeLessThan(scoreBefore);
    expectDerivedFresh(w);

    // An intelligence item: every row citing it (held against the network, three offence links, four ratings' support).
    const i1 = v.items[0]!;
    plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'intelligence', ref: i1.reference }));
    expect(plan.counts).toMatchObject({ intelligence: 1, citations: 1 + 3 + 4 });
    await ok(w.call('erase:confirm', { kind: 'intelligence', ref: i1.reference, reason: 'Source withdrawn the report.' }));
    for (const t of ['network_intelligence', 'offence_link_intelligence', 'rating_support']) expect(w.db().prepare(`SELECT count(*) FROM ${t} WHERE intel_id = ?`).pluck().get(i1.id)).toBe(0);
    expectDerivedFresh(w);

    // A draft claim.
    w.as(w.analyst);
    const draft = D.createDisruption(w.s, claim(v.network.id));
    w.as(w.supervisor);
    plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'claim', ref: draft.reference }));
    expect(plan.summary).toBe('1 disruption claim');
    await ok(w.call('erase:confirm', { kind: 'claim', ref: draft.id, reason: 'Draft made on the wrong network.' }));
    expect(count(w.db(), 'disruptions')).toBe(0);

    // The network: its links, ratings, score, history and digests; offences stay; a past snapshot keeps a placeholder.
    holdMeeting(w.s, '2026-06-30');
    const meetingId = w.db().prepare('SELECT id FROM meetings').pluck().get() as string;
    const frozen = snapshotOf(w.db(), meetingId);
    insertExport(w.db(), {
      id: 'exp-1', at: '2026-06-30T10:00:00.000Z', userId: w.supervisor.id, userName: w.supervisor.name, kind: 'meeting_pack', period: '2026-06-30', format: 'pdf', ruleSet: 'internal',
      purpose: `Briefing on ${v.network.reference} for the panel`, recipient: 'Panel chair', copyNumber: 1, fileName: 'pack.pdf', bytes: 10, sha256: 'a'.repeat(64), auditHeadSeq: null, auditHeadHash: null, destroyAfter: null,
    });
    plan = await ok<ErasePlan>(w.call('erase:plan', { kind: 'network', ref: v.network.reference }));
    expect(plan.counts).toEqual({ people: 0, memberships: 0, flags: 0, intelligence: 0, citations: 0, offences: 0, offenceLinks: 3, networks: 1, overrides: 0, disruptions: 0, snapshotPlaceholders: 1, registerRows: 1 });
    await ok(w.call('erase:confirm', { kind: 'network', ref: v.network.id, reason: 'Network recorded on no lawful basis.' }));
    const db = w.db();
    for (const t of ['networks', 'network_scores', 'score_history', 'ratings', 'rating_support', 'offence_links', 'network_intelligence', 'network_offences', 'scoring_digest_offences', 'scoring_digest_intelligence', 'scoring_digest_ratings', 'network_boroughs']) {
      expect([t, count(db, t)]).toEqual([t, 0]);
    }
    expect(count(db, 'offences')).toBe(3);
    const after = snapshotOf(db, meetingId);
    expect(after).toHaveLength(frozen.length);
    expect(after[0]).toEqual({ ...frozen[0]!, reference: 'Erased', unit: '', leadOfficer: '' });
    expect(db.prepare('SELECT purpose, recipient FROM export_register').get()).toEqual({ purpose: 'Briefing on [erased] for the panel', recipient: 'Panel chair' });
    expectDerivedFresh(w);
  });
});

describe('scores and digests equal a fresh build', () => {
  test('erasing offences and links of one network of several, with a history of rescores on several days', async () => {
    w = openMatrixWorld('erase-scores');
    const a = buildVectorNetwork(w, 'Alpha Crew');
    const b = buildVectorNetwork(w, 'Beta Crew');
    // An offence shared by both networks, and history on several days.
    const i = intel(w, 1, 'A', 'CHIS shared', { networkIds: [a.network.id, b.network.id] });
    const shared = offence(w, 'robbery', '2026-05-01', 'charged');
    linkOffence(w, shared.id, a.network.id, [i.id]);
    linkOffence(w, shared.id, b.network.id, [i.id]);
    for (const day of ['2026-07-15T10:00:00.000Z', '2026-08-20T10:00:00.000Z']) {
      w.clock.set(day);
      w.as(w.supervisor);
      M.rescoreAll(w.s);
      w.as(w.analyst);
      M.setOffenceStage(w.s, a.offenceIds.violence_with_injury!, 'charged');
    }
    w.as(w.supervisor);
    const historyBefore = w.db().prepare('SELECT count(*) FROM score_history').pluck().get() as number;
    await ok(w.call('erase:confirm', { kind: 'offence', ref: shared.crimeReference, reason: 'Crime record cancelled.' }));
    await ok(w.call('erase:confirm', { kind: 'offence', ref: a.offenceIds.homicide!, reason: 'Crime record transferred.' }));
    expectDerivedFresh(w);
    // An offence link of b: erase the offence's link by erasing the intelligence it cites.
    await ok(w.call('erase:confirm', { kind: 'intelligence', ref: b.items[0]!.id, reason: 'Source withdrawn the report.' }));
    expectDerivedFresh(w);
    expect(w.db().prepare('SELECT count(*) FROM score_history').pluck().get()).toBeGreaterThanOrEqual(historyBefore);
    await ok(w.call('erase:confirm', { kind: 'network', ref: a.network.id, reason: 'Network recorded on no lawful basis.' }));
    expectDerivedFresh(w);
    expect(w.db().prepare('SELECT count(*) FROM score_history WHERE network_id = ?').pluck().get(a.network.id)).toBe(0);
  });
});

describe('refusals write nothing', () => {
  test('an analyst, no reason, a reason naming the person, a submitted claim, an unknown record', async () => {
    w = openMatrixWorld('erase-refusals');
    const n = network(w, 'Westside Crew');
    const x = linkedPerson(w, n, 'Ottoline Pemberton');
    const submitted = D.createDisruption(w.s, claim(n.id));
    D.transitionDisruption(w.s, { id: submitted.id, action: 'submit' });
    const before = fingerprint(w.db());
    const expectRefused = async (payload: unknown, code: string, message?: RegExp, channel = 'erase:confirm') => {
      const r = await w!.call(channel, payload);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.code).toBe(code);
      if (message) expect(r.message).toMatch(message);
      expect(fingerprint(w!.db())).toBe(before);
    };
    await expectRefused({ kind: 'person', ref: x.person.id, reason: 'A good reason here.' }, 'forbidden');
    await expectRefused({ kind: 'person', ref: x.person.id }, 'forbidden', undefined, 'erase:plan');
    await expectRefused({}, 'forbidden', undefined, 'erasures:list');
    w.as(w.supervisor);
    await expectRefused({ kind: 'person', ref: x.person.id }, 'invalid_input');
    await expectRefused({ kind: 'person', ref: x.person.id, reason: '   ' }, 'invalid_input');
    await expectRefused({ kind: 'person', ref: x.person.id, reason: 'Requested by Ottoline Pemberton herself.' }, 'invalid_input', /must not give the name or the date of birth/);
    await expectRefused({ kind: 'person', ref: x.person.id, reason: 'Born 2001-04-17, wrong person.' }, 'invalid_input', /must not give the name/);
    await expectRefused({ kind: 'claim', ref: submitted.id, reason: 'Claim made in error.' }, 'conflict', /Only a draft disruption claim can be erased/);
    await expectRefused({ kind: 'network', ref: 'NO-SUCH-REF', reason: 'Claim made in error.' }, 'not_found', /There is no network with that reference or id/);
    await expectRefused({ kind: 'person', ref: x.link.id, reason: 'Wrong kind for this id.' }, 'not_found');
    // An administrator may erase.
    w.as(w.admin);
    await ok(w.call('erase:confirm', { kind: 'flag', ref: x.flag.id, reason: 'Flag recorded in error.' }));
  });
});

describe('the plan and the erasure agree after a vault is reopened', () => {
  test('E.describeErasure reads the counts only', () => {
    expect(E.describeErasure({ people: 1, memberships: 3, flags: 2, intelligence: 0, citations: 0, offences: 0, offenceLinks: 0, networks: 0, overrides: 0, disruptions: 0, snapshotPlaceholders: 0, registerRows: 0 }, 2)).toBe(
      '1 person, 3 member links, 2 flags; 2 networks rescored',
    );
  });
});
