/**
 * The matrix as of a date: `networks:list {asOf}` for another day rescoring the view in memory
 * gives exactly the scores a stored full rescore as of that day gives (rescoreAll(asOf)), and
 * stores nothing (no score row changed, no history row; only its "viewed" audit entry).
 *
 * The networks cover what moves with the date: decay, the 36-month window's edge, the 12-month
 * serious-violence floor, an override's approval and expiry, intelligence dated after some of
 * the as-of days, offences dated after them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MatrixRow } from '../../preload/contract';
import * as M from '../../main/services/matrix.service';
import {
  AS_OF,
  auditHeadSeq,
  auditSince,
  buildVectorNetwork,
  historyRows,
  intel,
  linkOffence,
  network,
  offence,
  openMatrixWorld,
  person,
  scoreRows,
  type MatrixWorld,
  type ScoreRow,
} from '../helpers/matrix-fixtures';

let w: MatrixWorld;

beforeAll(() => {
  w = openMatrixWorld('matrix-asof');
  buildVectorNetwork(w, 'Vector Crew');

  // Serious violence: an intelligence-only homicide and a discharged firearm, on items of different dates.
  const gate = network(w, 'Gate Crew');
  const early = intel(w, 1, 'A', 'CHIS 0801', { itemDate: '2024-10-01', networkIds: [gate.id] });
  const late = intel(w, 2, 'B', 'CHIS 0802', { itemDate: '2026-02-01', networkIds: [gate.id] });
  linkOffence(w, offence(w, 'homicide', '2025-09-01', 'intelligence').id, gate.id, [late.id]);
  linkOffence(w, offence(w, 'robbery', '2024-11-15', 'charged', { weapon: 'firearm_discharged' }).id, gate.id, [early.id]);
  M.rateNetwork(w.s, { networkId: gate.id, kind: 'assessed', dimension: 'community_impact', value: 4, intelIds: [late.id] });
  M.rateNetwork(w.s, { networkId: gate.id, kind: 'capability', dimension: 'firearms', value: 3 });

  // The window's edge as of 2026-06-30: 2023-07-01 counts, 2023-06-30 does not; and an old conviction.
  const old = network(w, 'Old Crew');
  const i = intel(w, 1, 'B', 'CHIS 0803', { itemDate: '2021-01-01', networkIds: [old.id] });
  for (const [category, date] of [['robbery', '2023-07-01'], ['rape', '2023-06-30'], ['violence_with_injury', '2021-05-05']] as const) {
    linkOffence(w, offence(w, category, date, 'convicted').id, old.id, [i.id]);
  }

  // An override approved today, expiring at the end of July; and a future-dated offence.
  const o = buildVectorNetwork(w, 'Override Crew').network;
  linkOffence(w, offence(w, 'kidnap', '2026-07-15', 'charged').id, o.id, [i.id]);
  w.as(w.supervisor);
  const req = M.requestOverride(w.s, { networkId: o.id, band: 'C', reason: 'Principal members in custody.', expiresOn: '2026-07-31' });
  w.as(w.supervisor2);
  M.decideOverride(w.s, req.id, 'approved');
  w.as(w.analyst);

  // An empty network, and a child at risk linked to the vector crew's rival.
  const empty = network(w, 'Empty Crew');
  M.linkPerson(w.s, { personId: person(w, 'Vic Testperson', '2012-12-12').id, networkId: empty.id, role: 'victim_at_risk', startDate: '2026-01-01' });
});
afterAll(() => w?.close());

async function list(asOf?: string): Promise<MatrixRow[]> {
  const r = await w.call('networks:list', asOf === undefined ? {} : { asOf });
  if (!r.ok) throw new Error(`networks:list failed: ${r.code} ${r.message}`);
  return r.value as MatrixRow[];
}

/** The matrix-row view of a stored score row. */
function asRow(r: ScoreRow) {
  return { id: r.network_id, score: r.score, ehPts: r.eh_pts, ahPts: r.ah_pts, capPts: r.cap_pts, band: r.effective_band, computedBand: r.band, confidence: r.confidence, asOf: r.as_of };
}
function pickRow(r: MatrixRow) {
  return { id: r.id, score: r.score, ehPts: r.ehPts, ahPts: r.ahPts, capPts: r.capPts, band: r.band, computedBand: r.computedBand, confidence: r.confidence, asOf: r.asOf };
}
const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => (a.id < b.id ? -1 : 1));

const DAYS = ['2026-06-29', '2026-03-31', '2025-12-31', '2025-09-01', '2025-06-30', '2024-06-30', '2023-07-01', '2026-07-31', '2026-08-01', '2027-01-01'];

describe('networks:list as of another day', () => {
  test.each(DAYS)('as of %s: the same scores as a stored rescore as of that day, and nothing stored', async (day) => {
    const db = w.db();
    const scores = scoreRows(db);
    const history = historyRows(db);
    const seq = auditHeadSeq(db);

    const view = await list(day);

    expect(scoreRows(db)).toEqual(scores);
    expect(historyRows(db)).toEqual(history);
    expect(auditSince(db, seq).map((e) => [e.action, e.entityType, e.summary])).toEqual([['consult', 'matrix', `Matrix viewed as of ${day}`]]);

    M.rescoreAll(w.s, day);
    const stored = scoreRows(db);
    expect(stored.every((r) => r.as_of === day)).toBe(true);
    // Exactly: the view and the stored rescore come from the same records through the same code.
    expect(byId(view.map(pickRow))).toEqual(byId(stored.map(asRow)));
    M.rescoreAll(w.s, AS_OF);
    expect(scoreRows(db).map((r) => [r.network_id, r.score, r.band, r.effective_band, r.explanation])).toEqual(scores.map((r) => [r.network_id, r.score, r.band, r.effective_band, r.explanation]));
  });

  test('the dates matter: the views differ where the records say they should', async () => {
    const rows = async (day: string) => new Map((await list(day)).map((r) => [r.name, r]));
    const [today, mid, older, edge, julEnd, aug] = await Promise.all(['2026-06-29', '2025-12-31', '2024-06-30', '2023-07-01', '2026-07-31', '2026-08-01'].map(rows));
    // The override is in force to its expiry day and not after; approved on 30/06/2026, so not before.
    const o = [today, julEnd, aug].map((r) => r!.get('Override Crew')!);
    expect(o.map((r) => r.band)).toEqual([o[0]!.computedBand, 'C', o[2]!.computedBand]);
    expect(o.map((r) => r.computedBand)).not.toContain('C');
    // The homicide (01/09/2025) forces Band B for 12 months from the day after; not before it happened.
    expect(mid!.get('Gate Crew')!.computedBand).toBe('B');
    expect(older!.get('Gate Crew')!.ehPts).toBe(0);
    // No evidenced harm as of a day before every offence; ratings whose support is dated later
    // count as unsupported (1 each), capability as rated.
    expect(edge!.get('Vector Crew')).toMatchObject({ ehPts: 0, ahPts: 1.25 * 5, capPts: 7 });
    expect(edge!.get('Old Crew')!.ehPts).toBeGreaterThan(0);
  });

  test("asking for today's date after a stored rescore as of another day gives today's scores", async () => {
    const todays = byId((await list(AS_OF)).map(pickRow));
    expect(todays.every((r) => r.asOf === AS_OF)).toBe(true);
    expect(todays).toEqual(byId(scoreRows(w.db()).map(asRow)));
    M.rescoreAll(w.s, '2025-12-31');
    const stored = scoreRows(w.db());
    expect(byId((await list(AS_OF)).map(pickRow))).toEqual(todays);
    // Without a date the matrix is today's too.
    expect(byId((await list()).map(pickRow))).toEqual(todays);
    expect(scoreRows(w.db())).toEqual(stored);
    M.rescoreAll(w.s, AS_OF);
  });
});
