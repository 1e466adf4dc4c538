/**
 * Harm before and after a disruption (docs/specification.md, "Disruptions": the undecayed Σ w·s of the
 * network's confirmed offences in the six months before the activity started and the six months
 * after it ended, shown as pending until those six months have passed), read through the real
 * IPC dispatch from an encrypted vault on disk.
 *
 * The windows, as the service's SQL draws them (main/services/disruptions.service.ts
 * harmBeforeAfter), for an activity from 14/02/2026 to 31/03/2026:
 *   before = [start − 6 months, start)  = 14/08/2025 included … 13/02/2026 included; 14/02/2026 not
 *   after  = (end, end + 6 months]      = 31/03/2026 not; 01/04/2026 included … 30/09/2026 included
 * (31 March + 6 months is 30 September: the month has no 31st.) Offences during the activity
 * count on neither side.
 *
 * w from the hm-1 table, s from the stage (convicted 1, arrested 0.5, intelligence only 0); only
 * stages whose products are exact in binary are used, so every sum is compared exactly.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import * as vaultService from '../../main/services/vault.service';
import { ANALYST } from '../helpers/vault-fixtures';
import { intel, linkOffence, network, offence } from '../helpers/matrix-fixtures';
import { Clock, claim, ok, openDisruptionWorld, type DisruptionWorld } from '../helpers/disruption-fixtures';

interface Harm {
  networkId: string;
  before: number;
  after: number | null;
  isPending: boolean;
  windowBefore: { from: string; to: string };
  windowAfter: { from: string; to: string };
}

const clock = new Clock('2026-06-30T10:00:00.000Z');
let w: DisruptionWorld;
let otherId: string;
let disruptionId: string;
let sourceA: string;

const WINDOW_BEFORE = { from: '2025-08-14', to: '2026-02-14' };
const WINDOW_AFTER = { from: '2026-03-31', to: '2026-09-30' };

/** Offence on `date`, linked (confirmed) to the given networks. */
function confirmed(category: string, date: string, stage: 'convicted' | 'arrested' | 'intelligence', networkIds: string[]) {
  const o = offence(w, category, date, stage);
  for (const n of networkIds) linkOffence(w, o.id, n, [sourceA]);
  return o;
}

async function harm(): Promise<Harm[]> {
  w.as(w.analyst);
  return (await ok<{ harm: Harm[] }>(w, 'disruptions:get', { id: disruptionId })).harm;
}

beforeAll(async () => {
  w = openDisruptionWorld('dr-harm', clock);
  w.as(w.analyst);
  const primary = w.networkId;
  otherId = network(w, 'Northside Firm').id;
  sourceA = intel(w, 1, 'A', 'CHIS 0202').id;
  const sourceB = intel(w, 2, 'B', 'Officer report 12').id;

  // The primary network's confirmed offences, on and around every boundary.
  confirmed('homicide', '2025-08-13', 'convicted', [primary]); //             5475: the day before start − 6 months: out
  confirmed('robbery', '2025-08-14', 'convicted', [primary]); //               365: start − 6 months exactly: before
  confirmed('arson', '2026-01-11', 'intelligence', [primary]); //                0: in the window, s = 0
  confirmed('criminal_damage', '2026-01-20', 'convicted', [primary, otherId]); // 2: linked to both: before, for each
  confirmed('violence_with_injury', '2026-02-13', 'arrested', [primary]); // 182.5: the day before the start: before
  confirmed('kidnap', '2026-02-14', 'convicted', [primary]); //                  730: the start day: out
  confirmed('rape', '2026-03-01', 'convicted', [primary]); //                   2555: during the activity: out
  confirmed('firearms_offences', '2026-03-31', 'convicted', [primary]); //      1825: the end day: out
  confirmed('possession_of_weapons', '2026-04-01', 'convicted', [primary]); // 273.75: the day after the end: after

  // Links that do not count: proposed (by a confirmed gang flag on the offence) and rejected.
  const proposedOn = (category: string, date: string) => {
    const o = offence(w, category, date, 'convicted');
    w.as(w.analyst);
    const f = M.proposeFlag(w.s, { subjectType: 'offence', subjectId: o.id, networkId: primary, intelIds: [sourceA, sourceB] });
    w.as(w.supervisor);
    M.confirmFlag(w.s, f.id);
    w.as(w.analyst);
    return w.db().prepare('SELECT id FROM offence_links WHERE offence_id = ?').pluck().get(o.id) as string;
  };
  proposedOn('robbery', '2025-12-01'); //                                          365: proposed: out
  const rejected = proposedOn('blackmail', '2025-12-02'); //                       730: rejected: out
  w.as(w.supervisor);
  M.decideOffenceLink(w.s, rejected, 'rejected');
  w.as(w.analyst);

  // The other network's own offences.
  confirmed('modern_slavery', '2026-01-10', 'convicted', [otherId]); //         1095: before, other network only
  confirmed('drug_trafficking', '2026-06-01', 'convicted', [otherId]); //          5: after, other network only

  const links = w.db().prepare('SELECT status, count(*) FROM offence_links WHERE network_id = ? GROUP BY status ORDER BY status').raw().all(primary);
  expect(links).toEqual([
    ['confirmed', 9],
    ['proposed', 1],
    ['rejected', 1],
  ]);

  disruptionId = (await ok<{ id: string }>(w, 'disruptions:create', claim(primary, { otherNetworkIds: [otherId], activityStart: '2026-02-14', activityEnd: '2026-03-31' }))).id;
});

afterAll(() => w?.close());

describe('harm before and after', () => {
  test('before the six months after the end have passed: the before sum, and after pending', async () => {
    expect(await harm()).toEqual([
      { networkId: w.networkId, before: 365 + 2 + 182.5, after: null, isPending: true, windowBefore: WINDOW_BEFORE, windowAfter: WINDOW_AFTER },
      { networkId: otherId, before: 1095 + 2, after: null, isPending: true, windowBefore: WINDOW_BEFORE, windowAfter: WINDOW_AFTER },
    ]);
    expect(365 + 2 + 182.5).toBe(549.5);
  });

  test('still pending at 23:30 on 29/09/2026, UK time (22:30 UTC)', async () => {
    clock.set('2026-09-29T22:30:00.000Z');
    const [p] = await harm();
    expect([p!.after, p!.isPending]).toEqual([null, true]);
  });

  test('on 30/09/2026 (UK) the after sum is shown, with an offence on that very day', async () => {
    // 00:30 on 30 September in London is still 29 September in UTC.
    clock.set('2026-09-29T23:30:00.000Z');
    w.as(w.analyst);
    confirmed('class_a_supply', '2026-09-30', 'arrested', [w.networkId]); //          730: end + 6 months exactly: after
    expect(await harm()).toEqual([
      { networkId: w.networkId, before: 549.5, after: 273.75 + 730, isPending: false, windowBefore: WINDOW_BEFORE, windowAfter: WINDOW_AFTER },
      { networkId: otherId, before: 1097, after: 5, isPending: false, windowBefore: WINDOW_BEFORE, windowAfter: WINDOW_AFTER },
    ]);
  });

  test('an offence the day after the window closes changes nothing', async () => {
    clock.set('2026-10-01T10:00:00.000Z');
    w.as(w.analyst);
    confirmed('blackmail', '2026-10-01', 'convicted', [w.networkId]); //                730: end + 6 months + 1 day: out
    const [p, o] = await harm();
    expect([p!.before, p!.after, o!.before, o!.after]).toEqual([549.5, 1003.75, 1097, 5]);
  });

  test('confirming the proposed link brings its offence into the before sum', async () => {
    w.as(w.analyst);
    const proposed = w.db().prepare("SELECT id FROM offence_links WHERE network_id = ? AND status = 'proposed'").pluck().get(w.networkId) as string;
    M.decideOffenceLink(w.s, proposed, 'confirmed');
    const [p] = await harm();
    expect([p!.before, p!.after]).toEqual([549.5 + 365, 1003.75]);
  });

  test('the same figures after locking and opening the vault again from disk', async () => {
    vaultService.lock(w.s, 'manual');
    vaultService.unlock(w.s, { userName: ANALYST.name, passphrase: ANALYST.passphrase });
    const h = await harm();
    expect(h.map((x) => [x.networkId, x.before, x.after, x.isPending])).toEqual([
      [w.networkId, 914.5, 1003.75, false],
      [otherId, 1097, 5, false],
    ]);
  });
});
