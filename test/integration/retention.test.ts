/**
 * The retention run on a fixed clock, on an encrypted vault on disk, through the real dispatch:
 * a member link and a flag are created, fall due, lapse on the exact day the grace ends (not the
 * day before), and their person is erased on the exact day their retention ends; a network below
 * threshold is archived after 12 months and erased after its retention; each step with its audit
 * entries; a second run the same day changes nothing; a dry run writes nothing; and the forecast
 * lists exactly what the runs of the next 30 days then do.
 */
import { afterEach, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import { addDays, addMonths } from '../../preload/contract/dates';
import type { Result, RetentionForecast, RetentionRunResult } from '../../preload/contract';
import { auditHeadSeq, auditSince, fingerprint, intel, network, openMatrixWorld, person, type MatrixWorld } from '../helpers/matrix-fixtures';

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

/** Set the clock to 11:00 UK time (10:00 UTC in summer, 11:00 in winter: noon-ish either way) on a day. */
const at = (world: MatrixWorld, day: string): void => world.clock.set(`${day}T11:00:00.000Z`);
const run = (world: MatrixWorld, input: object = {}) => ok<RetentionRunResult>(world.call('retention:run', input));

function setup() {
  const world = openMatrixWorld('retention');
  const n = network(world, 'Northside Crew');
  const p = person(world, 'Retained Person', '1995-03-02');
  const a = intel(world, 1, 'A', 'CHIS R1', { itemDate: '2026-06-01' });
  const b = intel(world, 2, 'B', 'Officer R2', { itemDate: '2026-06-10' });
  const link = M.linkPerson(world.s, { personId: p.id, networkId: n.id, role: 'associate', intelIds: [a.id, b.id], startDate: '2026-06-15' });
  const flag = M.proposeFlag(world.s, { subjectType: 'person', subjectId: p.id, networkId: n.id, intelIds: [a.id, b.id] });
  world.as(world.supervisor);
  M.confirmFlag(world.s, flag.id);
  const db = world.db();
  const linkDue = db.prepare('SELECT review_on FROM memberships WHERE id = ?').pluck().get(link.id) as string;
  const flagDue = db.prepare('SELECT review_on FROM gang_flags WHERE id = ?').pluck().get(flag.id) as string;
  return { world, n, p, link, flag, linkDue, flagDue, items: [a.id, b.id] };
}

describe('the retention run', () => {
  test('lapse at the end of grace, erasure at the end of retention, archive after 12 months below threshold; each with its entries', async () => {
    const x = setup();
    w = x.world;
    const db = w.db();
    expect(x.linkDue).toBe('2026-12-30');
    expect(x.flagDue).toBe('2026-12-30');

    // The last day of grace: nothing lapses (a run that ignored the grace would lapse it here).
    at(w, addDays(x.linkDue, 30));
    let seq = auditHeadSeq(db);
    let r = await run(w);
    expect([r.lapsed, r.archived, r.erased]).toEqual([0, 0, 0]);
    expect(auditSince(db, seq).map((e) => e.summary)).toEqual(['Retention run for 29/01/2027: 0 lapsed, 0 archived, 0 erased']);
    expect(db.prepare('SELECT status FROM memberships WHERE id = ?').pluck().get(x.link.id)).toBe('confirmed');

    // The day after: the link and the flag lapse, review overdue.
    at(w, addDays(x.linkDue, 31));
    seq = auditHeadSeq(db);
    r = await run(w);
    expect([r.lapsed, r.archived, r.erased]).toEqual([2, 0, 0]);
    expect(db.prepare('SELECT status, end_reason, substr(ended_at, 1, 10) FROM memberships WHERE id = ?').raw().get(x.link.id)).toEqual(['ended', 'review overdue', '2027-01-30']);
    expect(db.prepare('SELECT status, end_reason FROM gang_flags WHERE id = ?').raw().get(x.flag.id)).toEqual(['expired', 'review overdue']);
    expect(auditSince(db, seq).map((e) => [e.action, e.entityType, e.entityId, e.summary])).toEqual([
      ['alter', 'membership', x.link.id, `Member link ${x.link.id} lapsed (review overdue): review due 30/12/2026, past the 30 days of grace (retention run for 30/01/2027)`],
      ['alter', 'gang_flag', x.flag.id, `Gang flag ${x.flag.id} lapsed (review overdue): review due 30/12/2026, past the 30 days of grace (retention run for 30/01/2027)`],
      ['alter', 'retention', null, 'Retention run for 30/01/2027: 2 lapsed, 0 archived, 0 erased'],
    ]);
    // It stops counting: the person's current links are none.
    expect(db.prepare("SELECT count(*) FROM memberships WHERE person_id = ? AND status <> 'ended'").pluck().get(x.p.id)).toBe(0);

    // Idempotent: a second run the same day changes nothing but writes its entry.
    const before = db.prepare('SELECT * FROM memberships').all();
    seq = auditHeadSeq(db);
    r = await run(w);
    expect([r.lapsed, r.archived, r.erased]).toEqual([0, 0, 0]);
    expect(db.prepare('SELECT * FROM memberships').all()).toEqual(before);
    expect(auditSince(db, seq).map((e) => e.summary)).toEqual(['Retention run for 30/01/2027: 0 lapsed, 0 archived, 0 erased']);

    // The network, below threshold since it was created (30/06/2026), is archived on 30/06/2027, not the day before.
    at(w, '2027-06-29');
    expect((await run(w)).archived).toBe(0);
    at(w, '2027-06-30');
    seq = auditHeadSeq(db);
    r = await run(w);
    expect(r.items.map((i) => [i.step, i.kind, i.reference])).toEqual([['archive', 'network', x.n.reference]]);
    expect(db.prepare('SELECT status, archived_on FROM networks WHERE id = ?').raw().get(x.n.id)).toEqual(['archived', '2027-06-30']);
    expect(auditSince(db, seq).map((e) => e.summary)).toEqual([
      `Network ${x.n.reference} archived: below threshold since 30/06/2026, for 12 months (retention run for 30/06/2027)`,
      'Retention run for 30/06/2027: 0 lapsed, 1 archived, 0 erased',
    ]);

    // The person has had nothing current since the flag expired (30/01/2027): erased on 30/01/2028, with the link and the flag and the items only about them.
    at(w, '2028-01-29');
    expect((await run(w)).erased).toBe(0);
    at(w, '2028-01-30');
    seq = auditHeadSeq(db);
    r = await run(w);
    expect(r.items.map((i) => [i.step, i.kind, i.id, i.reason])).toEqual([['erase', 'person', x.p.id, 'inactive_person']]);
    expect(db.prepare('SELECT count(*) FROM people WHERE id = ?').pluck().get(x.p.id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM memberships WHERE id = ?').pluck().get(x.link.id)).toBe(0);
    expect(db.prepare('SELECT count(*) FROM gang_flags WHERE id = ?').pluck().get(x.flag.id)).toBe(0);
    const entries = auditSince(db, seq);
    expect(entries.map((e) => [e.action, e.entityType, e.entityId])).toEqual([['erase', 'person', x.p.id], ['alter', 'retention', null]]);
    expect(entries[0]!.summary).toMatch(new RegExp(`^Erased person ${x.p.reference} \\(erasure [0-9a-f-]{36}\\) by the retention run: 1 person, 1 member link, 1 flag, 2 intelligence items, 4 citations of intelligence$`));
    expect(entries[0]!.justification).toBe('Retention run for 30/01/2028 (policy 1.0.0): nothing current since 30/01/2027, kept 12 months.');
    expect(entries[1]!.summary).toBe('Retention run for 30/01/2028: 0 lapsed, 0 archived, 1 erased');
    expect(entries.some((e) => e.summary.includes('Retained Person'))).toBe(false);

    // The archived network is erased 24 months after it was archived, to the day.
    at(w, addDays(addMonths('2027-06-30', 24), -1));
    expect((await run(w)).erased).toBe(0);
    at(w, addMonths('2027-06-30', 24));
    r = await run(w);
    expect(r.items.filter((i) => i.kind === 'network').map((i) => [i.step, i.id, i.reason])).toEqual([['erase', x.n.id, 'archived_retention']]);
    expect(db.prepare('SELECT count(*) FROM networks WHERE id = ?').pluck().get(x.n.id)).toBe(0);
  });

  test('a dry run (another day, or --dry-run) writes nothing; the forecast lists exactly what the next 30 days of runs do', async () => {
    const x = setup();
    w = x.world;
    const db = w.db();
    at(w, '2027-01-01');
    await run(w);
    const print = fingerprint(db);
    const dry = await run(w, { asOf: addDays(x.linkDue, 31) });
    expect(dry.isDryRun).toBe(true);
    expect(dry.items.map((i) => [i.step, i.kind, i.id])).toEqual([['lapse', 'link', x.link.id], ['lapse', 'flag', x.flag.id]]);
    expect((await run(w, { dryRun: true })).isDryRun).toBe(true);
    const fc = await ok<RetentionForecast>(w.call('retention:forecast', {}));
    expect(fingerprint(db)).toBe(print);
    expect(fc.from).toBe('2027-01-02');
    expect(fc.to).toBe('2027-01-31');
    expect(fc.items.map((i) => [i.day, i.step, i.kind, i.id])).toEqual([
      ['2027-01-30', 'lapse', 'link', x.link.id],
      ['2027-01-30', 'lapse', 'flag', x.flag.id],
    ]);
    // Then each day's run does exactly what the forecast said for that day.
    for (const d of fc.days) {
      at(w, d.day);
      const r = await run(w);
      expect([r.lapsed, r.archived, r.erased]).toEqual([d.lapsed, d.archived, d.erased]);
      expect(r.items.map((i) => `${i.step}:${i.kind}:${i.id}`)).toEqual(fc.items.filter((i) => i.day === d.day).map((i) => `${i.step}:${i.kind}:${i.id}`));
    }
  });

  test('an analyst can neither run retention nor see the forecast', async () => {
    const x = setup();
    w = x.world;
    w.as(w.analyst);
    const r = await w.call('retention:run', {});
    expect(r.ok ? 'ok' : r.code).toBe('forbidden');
    const f = await w.call('retention:forecast', {});
    expect(f.ok ? 'ok' : f.code).toBe('forbidden');
  });
});
