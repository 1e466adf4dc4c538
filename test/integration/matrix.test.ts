/**
 * The matrix on an encrypted vault, end to end through the services: an analyst records the
 * test vector of docs/specification.md (network, graded intelligence, four offences linked to it, assessed and
 * capability ratings), links people (a principal on two sources, a 17-year-old on self-admission,
 * a child as victim / at risk), a supervisor confirms a gang flag, a second supervisor approves a
 * band override; the vault is locked and unlocked again from disk, and then:
 * - the stored score is the test vector (59.014, band B, confidence High, EH pts 38.264,
 *   AH 13.75, Cap 7) and its explanation gives each offence's w, s, d and contribution;
 * - there is one history row per change of score or band, none for a change that moves nothing;
 * - the audit log holds one entry per action with the exact action, entity and summary, and
 *   its chain verifies.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { daysBetween } from '../../preload/contract/dates';
import { recencyDecay } from '../../main/domain/scoring';
import * as audit from '../../main/services/audit.service';
import * as M from '../../main/services/matrix.service';
import * as R from '../../main/services/matrix-read.service';
import * as V from '../../main/services/reviews.service';
import * as vaultService from '../../main/services/vault.service';
import { ANALYST } from '../helpers/vault-fixtures';
import {
  AS_OF,
  AS_OF_INSTANT,
  VECTOR,
  auditHeadSeq,
  auditSince,
  buildVectorNetwork,
  explanationOf,
  historyRows,
  openMatrixWorld,
  person,
  scoreRow,
  type AuditLine,
  type MatrixWorld,
} from '../helpers/matrix-fixtures';

let w: MatrixWorld;
/** Everything the test did, in order, with the audit entries it expects. */
const expected: Omit<AuditLine, 'justification'>[] = [];
/** The reasons given for opening the restricted card and person (kept as the entries' justifications). */
const CARD_REASON = 'Quarterly review of the network';
const PERSON_REASON = 'Checking the principal before the briefing';
const REOPEN_REASON = 'Reading back the card after the reopen';
let firstSeq: number;
let ids: {
  network: { id: string; reference: string };
  items: { id: string; reference: string }[];
  offences: Record<string, { id: string; crimeReference: string }>;
  people: { id: string; reference: string }[];
  memberships: { id: string }[];
  flag: { id: string };
  override: { id: string };
};

beforeAll(() => {
  w = openMatrixWorld('matrix');
  const db = w.db();
  firstSeq = auditHeadSeq(db);
  const A = w.analyst.name;

  // The analyst records the test vector.
  const v = buildVectorNetwork(w, 'Vector Crew');
  const n = v.network;
  expect(n.reference).toBe('CN-2026-0001');
  expected.push({ action: 'collect', entityType: 'network', entityId: n.id, summary: 'Network CN-2026-0001 created (gang)', userName: A });
  for (const i of v.items) {
    expected.push({ action: 'collect', entityType: 'intelligence', entityId: i.id, summary: `Intelligence ${i.reference} recorded (3x5x2)`, userName: A });
    expected.push({ action: 'combine', entityType: 'network', entityId: n.id, summary: `Intelligence ${i.reference} held against network CN-2026-0001`, userName: A });
  }
  const offences: Record<string, { id: string; crimeReference: string }> = {};
  const links = db.prepare('SELECT id FROM offence_links WHERE offence_id = ?').pluck();
  for (const [category, o] of Object.entries(VECTOR.offences)) {
    const rec = db.prepare('SELECT id, crime_reference FROM offences WHERE id = ?').get(v.offenceIds[category]) as { id: string; crime_reference: string };
    offences[category] = { id: rec.id, crimeReference: rec.crime_reference };
    expected.push({ action: 'collect', entityType: 'offence', entityId: rec.id, summary: `Offence ${rec.crime_reference} recorded (${category}, ${o.stage})`, userName: A });
    expected.push({ action: 'combine', entityType: 'offence_link', entityId: links.get(rec.id) as string, summary: `Offence ${rec.crime_reference} linked to network CN-2026-0001 (confirmed)`, userName: A });
  }
  for (const [dimension, value] of Object.entries(VECTOR.assessed)) {
    expected.push({ action: 'alter', entityType: 'network', entityId: n.id, summary: `Network CN-2026-0001 assessed rating ${dimension} set to ${value} with ${value >= 2 ? 1 : 0} supporting item(s)`, userName: A });
  }
  for (const [dimension, value] of Object.entries(VECTOR.capability)) {
    expected.push({ action: 'alter', entityType: 'network', entityId: n.id, summary: `Network CN-2026-0001 capability rating ${dimension} set to ${value} with 0 supporting item(s)`, userName: A });
  }

  // People: an adult principal on two graded sources, a 17-year-old on self-admission, a child at risk.
  const adult = person(w, 'Adam Testperson', '1990-01-01');
  const minor = person(w, 'Ben Testperson', '2009-03-01');
  const child = person(w, 'Cal Testperson', '2013-05-05');
  for (const p of [adult, minor, child]) expected.push({ action: 'collect', entityType: 'person', entityId: p.id, summary: `Person ${p.reference} recorded`, userName: A });
  const m1 = M.linkPerson(w.s, { personId: adult.id, networkId: n.id, role: 'principal', intelIds: v.items.map((i) => i.id), startDate: '2025-11-01' });
  // A self-admission cites the item that records it; a 17-year-old's link is proposed, for a supervisor.
  const m2 = M.linkPerson(w.s, { personId: minor.id, networkId: n.id, role: 'associate', isSelfAdmission: true, intelIds: [v.items[0]!.id], startDate: '2026-02-01' });
  expect(m2).toMatchObject({ status: 'proposed', confirmedBy: null });
  const m3 = M.linkPerson(w.s, { personId: child.id, networkId: n.id, role: 'victim_at_risk', startDate: '2026-03-01' });
  expected.push(
    { action: 'combine', entityType: 'membership', entityId: m1.id, summary: `Person ${adult.reference} linked to network CN-2026-0001 as principal`, userName: A },
    { action: 'combine', entityType: 'membership', entityId: m2.id, summary: `Person ${minor.reference} proposed for a link to network CN-2026-0001 as associate (under 18: a supervisor other than the proposer confirms)`, userName: A },
    { action: 'combine', entityType: 'membership', entityId: m3.id, summary: `Person ${child.reference} linked to network CN-2026-0001 as victim / at risk (safeguarding; never scored)`, userName: A },
  );

  // A gang flag on the principal: proposed by the analyst, confirmed by a supervisor.
  const flag = M.proposeFlag(w.s, { subjectType: 'person', subjectId: adult.id, networkId: n.id, intelIds: v.items.map((i) => i.id) });
  expected.push({ action: 'collect', entityType: 'gang_flag', entityId: flag.id, summary: 'Gang flag proposed on person', userName: A });
  w.as(w.supervisor);
  M.confirmFlag(w.s, flag.id);
  expected.push({ action: 'alter', entityType: 'gang_flag', entityId: flag.id, summary: 'Gang flag on person confirmed', userName: w.supervisor.name });
  // The supervisor, who did not propose it, confirms the 17-year-old's link.
  M.confirmMembership(w.s, m2.id);
  expected.push({ action: 'combine', entityType: 'membership', entityId: m2.id, summary: 'Proposed member link confirmed by a supervisor', userName: w.supervisor.name });

  // A band override: requested by one supervisor, approved by another.
  const override = M.requestOverride(w.s, { networkId: n.id, band: 'A', reason: 'Firearms recovered at a linked address last week.', expiresOn: '2026-09-30' });
  expected.push({ action: 'alter', entityType: 'band_override', entityId: override.id, summary: 'Band override to A requested for network CN-2026-0001', userName: w.supervisor.name });
  w.as(w.supervisor2);
  M.decideOverride(w.s, override.id, 'approved');
  expected.push({ action: 'alter', entityType: 'band_override', entityId: override.id, summary: 'Band override approved', userName: w.supervisor2.name });

  // The analyst saves the same rating again: an entry, but no new score and no history row.
  w.as(w.analyst);
  M.rateNetwork(w.s, { networkId: n.id, kind: 'assessed', dimension: 'physical', value: 3, intelIds: [v.items[0]!.id] });
  expected.push({ action: 'alter', entityType: 'network', entityId: n.id, summary: 'Network CN-2026-0001 assessed rating physical set to 3 with 1 supporting item(s)', userName: A });

  // Consultations: the card, a person, the matrix. The network holds under-18s and a victim link
  // and the adult is a flagged nominal, so both are restricted and open with a reason.
  R.networkCard(w.s, n.id, CARD_REASON);
  R.personCard(w.s, adult.id, PERSON_REASON);
  R.matrix(w.s);
  expected.push(
    { action: 'consult', entityType: 'network', entityId: n.id, summary: 'Network CN-2026-0001 opened', userName: A },
    { action: 'consult', entityType: 'person', entityId: adult.id, summary: `Person ${adult.reference} opened`, userName: A },
    { action: 'consult', entityType: 'matrix', entityId: null, summary: 'Matrix viewed', userName: A },
  );

  // Lock, and open the vault again from the file on disk.
  const vaultId = w.s.vault!.vaultId;
  vaultService.lock(w.s, 'manual');
  expect(w.s.vault).toBeNull();
  vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
  expected.push(
    { action: 'lock', entityType: 'vault', entityId: vaultId, summary: 'Locked (manual)', userName: A },
    { action: 'unlock', entityType: 'vault', entityId: vaultId, summary: 'Unlocked with passphrase', userName: A },
  );

  ids = {
    network: n,
    items: v.items,
    offences,
    people: [adult, minor, child],
    memberships: [m1, m2, m3],
    flag,
    override,
  };
});

afterAll(() => w?.close());

describe('after locking and unlocking from disk', () => {
  test('the stored score is the domain.md test vector', () => {
    const r = scoreRow(w.db(), ids.network.id);
    expect(r.as_of).toBe(AS_OF);
    expect(r.model).toBe('hm-1');
    expect([r.weight_table_id, r.weight_table_version]).toEqual(['hm-1', '1.0.0']);
    expect(r.score.toFixed(3)).toBe(VECTOR.score);
    expect(r.eh_pts.toFixed(3)).toBe(VECTOR.ehPts);
    expect(r.ah_pts).toBe(VECTOR.ahPts);
    expect(r.cap_pts).toBe(VECTOR.capPts);
    // Stored at full precision: the parts add up exactly.
    expect(r.score).toBe(r.eh_pts + r.ah_pts + r.cap_pts);
    expect(r.band).toBe('B');
    expect(r.confidence).toBe('high');
    // The approved override is in force.
    expect(r.effective_band).toBe('A');
    expect(r.computed_at).toBe(AS_OF_INSTANT);
  });

  test("the explanation gives each offence's w, s, d and contribution, each rating and the gates", () => {
    const x = explanationOf(w.db(), ids.network.id);
    expect(x.model).toBe('hm-1');
    expect(x.asOf).toBe(AS_OF);
    expect(x.weightTable).toEqual({ id: 'hm-1', version: '1.0.0' });
    expect(x.offences).toHaveLength(4);
    for (const [category, o] of Object.entries(VECTOR.offences)) {
      const e = x.offences.find((y) => y.id === ids.offences[category]!.id)!;
      expect({ category: e.category, date: e.date, stage: e.stage, w: e.w, s: e.s, isIncluded: e.isIncluded }).toEqual({
        category,
        date: o.date,
        stage: o.stage,
        w: o.w,
        s: o.s,
        isIncluded: true,
      });
      expect(e.d).toBe(recencyDecay(daysBetween(o.date, AS_OF)));
      expect(e.contribution).toBe(e.w * e.s * e.d!);
      expect(e.contribution.toFixed(2)).toBe(o.contribution);
    }
    expect(x.parts.eh.toFixed(2)).toBe(VECTOR.eh);
    expect(x.parts.ehPts.toFixed(3)).toBe(VECTOR.ehPts);
    expect(x.assessed.map((a) => [a.dimension, a.value, a.countedValue, a.isSupported, a.isFlaggedUnsupported])).toEqual(
      Object.entries(VECTOR.assessed).map(([d, v]) => [d, v, v, true, false]),
    );
    // Ratings of 2 or more cite the source 1 / A item; 0 and 1 cite nothing.
    for (const a of x.assessed) expect(a.supportingItems.map((i) => i.id)).toEqual(a.value >= 2 ? [ids.items[0]!.id] : []);
    expect(x.capability.map((c) => [c.dimension, c.value])).toEqual(Object.entries(VECTOR.capability));
    expect(x.confidence.level).toBe('high');
    expect([...x.confidence.convictedOffenceIds].sort()).toEqual([ids.offences.robbery!.id, ids.offences.homicide!.id].sort());
    expect(x.gates.map((g) => [g.gate, g.isTriggered, g.hasChangedBand])).toEqual([
      ['low_confidence_cap', false, false],
      // The homicide is more than 12 months old: the floor is not triggered.
      ['serious_violence_floor', false, false],
    ]);
    expect(x.override).toEqual({ status: 'in_force', band: 'A', expiresOn: '2026-09-30', reasons: ['In force until 30/09/2026.'] });
    expect(x.parts).toMatchObject({ ah: 11, ahPts: 13.75, cap: 7, capPts: 7, scoreBand: 'B', band: 'B', effectiveBand: 'A', confidence: 'high' });
  });

  test('the network card reads back the same explanation, history, members and trail', () => {
    const card = R.networkCard(w.s, ids.network.id, REOPEN_REASON);
    expect(card.explanation).toEqual(explanationOf(w.db(), ids.network.id));
    expect(card.history.at(-1)).toMatchObject({ score: scoreRow(w.db(), ids.network.id).score, band: 'B', effectiveBand: 'A' });
    expect(card.members.map((m) => [m.personName, m.role, m.basis, m.isUnder18])).toEqual([
      ['Ben Testperson', 'associate', 'self_admission', true],
      ['Adam Testperson', 'principal', 'graded_sources', false],
      ['Cal Testperson', 'victim_at_risk', 'safeguarding', true],
    ]);
    expect(card.offences.map((o) => o.linkStatus)).toEqual(['confirmed', 'confirmed', 'confirmed', 'confirmed']);
    expect(card.ratings).toHaveLength(10);
    expect(card.flags.map((f) => f.status)).toEqual(['confirmed']);
    expect(card.overrides.map((o) => [o.status, o.approverId])).toEqual([['approved', w.supervisor2.id]]);
  });

  test('one history row per change of score or band, none for a change that moves nothing', () => {
    const h = historyRows(w.db(), ids.network.id);
    // Created (0), four offence links, five assessed ratings, four non-zero capability ratings,
    // then the override (same score, effective band B → A). Not moved: the two intelligence
    // items (confidence only), the zero capability rating, the links of people, the flag, the
    // override request and the same rating saved again.
    expect(h).toHaveLength(1 + 4 + 5 + 4 + 1);
    expect(h[0]).toMatchObject({ score: 0, band: 'below_threshold', effective_band: 'below_threshold' });
    for (let k = 1; k < h.length; k++) {
      const [a, b] = [h[k - 1]!, h[k]!];
      expect(a.score !== b.score || a.band !== b.band || a.effective_band !== b.effective_band).toBe(true);
      expect(b.as_of).toBe(AS_OF);
    }
    // Scores only rise as the vector is built.
    for (let k = 1; k < h.length - 1; k++) expect(h[k]!.score).toBeGreaterThan(h[k - 1]!.score);
    expect(h.at(-2)).toMatchObject({ band: 'B', effective_band: 'B' });
    expect(h.at(-1)).toMatchObject({ score: h.at(-2)!.score, band: 'B', effective_band: 'A', confidence: 'high' });
    expect(h.at(-1)!.score.toFixed(3)).toBe(VECTOR.score);
  });

  test('the audit log has an entry for each action, exactly, and its chain verifies', () => {
    const got = auditSince(w.db(), firstSeq).map(({ justification: _j, ...rest }) => rest);
    // After unlocking, the network card and the people (above) were consulted again by the tests
    // before or after this one; compare the entries the set-up made.
    expect(got.slice(0, expected.length)).toEqual(expected);
    const justified = auditSince(w.db(), firstSeq).filter((e) => e.justification !== null);
    expect(justified.map((e) => [e.entityId, e.justification])).toEqual([
      [ids.override.id, 'Firearms recovered at a linked address last week.'],
      [ids.network.id, CARD_REASON],
      [ids.people[0]!.id, PERSON_REASON],
      [ids.network.id, REOPEN_REASON],
    ]);
    expect(audit.verify(w.s, { full: true })).toEqual({ isIntact: true, count: auditHeadSeq(w.db()), firstBrokenSeq: null, reason: null, beforeSigning: 0, signaturesChecked: auditHeadSeq(w.db()) });
  });

  test('the matrix row shows the override band, the computed band, the parts and two under-18 links', () => {
    const [row] = R.matrix(w.s);
    const r = scoreRow(w.db(), ids.network.id);
    expect(row).toMatchObject({
      id: ids.network.id,
      reference: 'CN-2026-0001',
      band: 'A',
      computedBand: 'B',
      score: r.score,
      ehPts: r.eh_pts,
      ahPts: 13.75,
      capPts: 7,
      confidence: 'high',
      nextReviewOn: '2027-06-30',
      isOverdue: false,
      // The 17-year-old associate and the child at risk; the adult is not counted.
      under18LinkCount: 2,
      asOf: AS_OF,
    });
    expect(row!.trend).toBe(0);
  });

  test('review dates set by the services survived the reopen', () => {
    const [m1, m2, m3] = ids.memberships.map((m) => w.db().prepare('SELECT review_on FROM memberships WHERE id = ?').pluck().get(m.id));
    // Adult 6 months; the 17-year-old and the child 3 months.
    expect([m1, m2, m3]).toEqual(['2026-12-30', '2026-09-30', '2026-09-30']);
    expect(w.db().prepare('SELECT review_on FROM gang_flags WHERE id = ?').pluck().get(ids.flag.id)).toBe('2026-12-30');
  });
});

describe('every other action writes its own audit entry', () => {
  test('edits, reviews, stage changes, ended links and flags, decisions, rescoring and lists', async () => {
    const db = w.db();
    const n = ids.network;
    const adult = ids.people[0]!;
    const expectEntries = (seq: number, entries: [string, string, string | null, string, string | null][]) =>
      expect(auditSince(db, seq).map((e) => [e.action, e.entityType, e.entityId, e.summary, e.justification])).toEqual(entries);
    let seq = auditHeadSeq(db);
    M.editNetwork(w.s, n.id, { name: 'Vector Crew', type: 'gang', leadBorough: 'E09000022', businessGroup: 'SCD', status: 'active', otherBoroughs: ['E09000028'] });
    M.editNetwork(w.s, n.id, { name: 'Vector Crew', type: 'gang', leadBorough: 'E09000022', businessGroup: 'SCD', status: 'active', otherBoroughs: ['E09000028'] });
    const nr = V.recordReview(w.s, { kind: 'network', id: n.id, outcome: 'retain', reason: 'Still active: both items re-read.', intelIds: ids.items.map((i) => i.id) }).review;
    M.editPerson(w.s, adult.id, { name: 'Adam Testperson', dateOfBirth: '1990-01-02' });
    expectEntries(seq, [
      ['alter', 'network', n.id, 'Network CN-2026-0001 edited: status, otherBoroughs', null],
      ['alter', 'network', n.id, 'Network CN-2026-0001 edited: no change', null],
      ['alter', 'network', n.id, `Network CN-2026-0001 reviewed (review ${nr.id}): retained, 2 item(s) re-checked, next review 2027-06-30`, 'Still active: both items re-read.'],
      // A corrected date of birth re-dates the person's reviews: an adult's stay on the adult cycle.
      ['alter', 'person', adult.id, `Person ${adult.reference} edited; date of birth corrected, 0 review date(s) re-dated`, null],
    ]);

    seq = auditHeadSeq(db);
    const robbery = ids.offences.robbery!;
    M.setOffenceStage(w.s, robbery.id, 'charged');
    M.setOffenceStage(w.s, robbery.id, 'convicted');
    const cited = db.prepare('SELECT intel_id FROM membership_intelligence WHERE membership_id = ?').pluck().all(ids.memberships[0]!.id) as string[];
    const mr = V.recordReview(w.s, { kind: 'membership', id: ids.memberships[0]!.id, outcome: 'retain', reason: 'Both items re-read; still current.', intelIds: cited }).review;
    M.endMembership(w.s, ids.memberships[1]!.id, 'Left the group (self-report).');
    expectEntries(seq, [
      ['alter', 'offence', robbery.id, `Offence ${robbery.crimeReference} stage changed from convicted to charged`, null],
      ['alter', 'offence', robbery.id, `Offence ${robbery.crimeReference} stage changed from charged to convicted`, null],
      ['alter', 'membership', ids.memberships[0]!.id, `Member link reviewed (review ${mr.id}): retained, ${cited.length} item(s) re-checked, next review 2026-12-30`, 'Both items re-read; still current.'],
      ['alter', 'membership', ids.memberships[1]!.id, 'Member link ended', 'Left the group (self-report).'],
    ]);
    // The stage went down and back: two more history rows, ending where it was.
    const h = historyRows(db, n.id);
    expect(h.at(-1)!.score).toBe(h.at(-3)!.score);
    expect(h.at(-2)!.score).toBeLessThan(h.at(-1)!.score);

    seq = auditHeadSeq(db);
    w.as(w.supervisor);
    M.endFlag(w.s, ids.flag.id, 'expired', 'Review found no current association.');
    const o = M.requestOverride(w.s, { networkId: n.id, band: 'C', reason: 'Principal in custody.', expiresOn: '2026-08-31' });
    w.as(w.supervisor2);
    M.decideOverride(w.s, o.id, 'rejected');
    w.as(w.analyst);
    const r = M.rescoreAll(w.s);
    expect(r).toEqual({ scored: 1, changed: 0 });
    R.people(w.s);
    R.flags(w.s, 'queue');
    R.flags(w.s, 'all');
    R.matrix(w.s, '2026-01-01');
    expectEntries(seq, [
      ['alter', 'gang_flag', ids.flag.id, 'Gang flag expired', 'Review found no current association.'],
      ['alter', 'band_override', o.id, 'Band override to C requested for network CN-2026-0001', 'Principal in custody.'],
      ['alter', 'band_override', o.id, 'Band override rejected', null],
      ['alter', 'matrix', null, 'The 1 network rescored as of 2026-06-30; 0 changed', null],
      ['consult', 'people', null, 'People list viewed', null],
      ['consult', 'gang_flags', null, 'Flags queue viewed', null],
      ['consult', 'gang_flags', null, 'Flags list viewed', null],
      ['consult', 'matrix', null, 'Matrix viewed as of 2026-01-01', null],
    ]);
    // Each by the user who acted.
    expect(auditSince(db, seq).map((e) => e.userName)).toEqual([w.supervisor.name, w.supervisor.name, w.supervisor2.name, ...Array(5).fill(w.analyst.name)]);
  });
});
