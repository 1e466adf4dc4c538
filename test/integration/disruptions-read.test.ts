/**
 * The disruption screens' reads, through the real IPC dispatch onto an encrypted vault on disk:
 * the claim's detail names its networks and lists the intelligence it cites in the same read,
 * recorded as one consultation of the claim (and none of any network); the claim form's list of
 * intelligence to cite is one read and one consultation naming what was listed; and the
 * durability queue lists the claims whose review the workflow would accept today.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditHeadSeq, auditSince, intel, network } from '../helpers/matrix-fixtures';
import { claim, Clock, expectRefused, ok, openDisruptionWorld, type DisruptionWorld } from '../helpers/disruption-fixtures';

const clock = new Clock('2026-06-30T10:00:00.000Z');
let w: DisruptionWorld;
let other: { id: string; reference: string; name: string };
let elsewhere: { id: string; reference: string };
/** Held against the primary network, against both, against the other only, and against a network the claim does not name. */
let items: Record<'primary' | 'both' | 'other' | 'elsewhere', { id: string; reference: string }>;

beforeAll(() => {
  w = openDisruptionWorld('dr-read', clock);
  w.as(w.analyst);
  other = network(w, 'Northside Firm');
  elsewhere = network(w, 'Eastside Crew');
  // Made in this order so that reference order and creation order differ.
  const otherOnly = intel(w, 2, 'B', 'Officer report 12', { reference: 'INT-3003', itemDate: '2026-02-01', networkIds: [other.id] });
  const both = intel(w, 1, 'A', 'CHIS 0202', { reference: 'INT-1001', itemDate: '2026-01-05', summary: 'Both networks share the stash address.', networkIds: [w.networkId, other.id] });
  const primary = intel(w, 3, 'C', 'CHIS 0303', { reference: 'INT-2002', itemDate: '2026-01-20', summary: 'The line runs from the estate.', networkIds: [w.networkId] });
  items = { other: otherOnly, both, primary, elsewhere: intel(w, 1, 'B', 'CHIS 0404', { reference: 'INT-4004', networkIds: [elsewhere.id] }) };
});
afterAll(() => w?.close());

describe('disruptions:get: one read, one consultation', () => {
  test('the detail names the networks and lists the cited items held against them, without their sources; only the claim is consulted', async () => {
    w.as(w.analyst);
    const d = await ok<{ id: string }>(w, 'disruptions:create', claim(w.networkId, { otherNetworkIds: [other.id], intelIds: [items.primary.id, items.elsewhere.id, items.both.id] }));
    w.as(w.reader);
    const seq = auditHeadSeq(w.db());
    const detail = await ok<{ networks: unknown[]; intelligence: { reference: string }[]; disruption: { reference: string; intelIds: string[] } }>(w, 'disruptions:get', { id: d.id });
    expect(detail.networks).toEqual([
      { id: w.networkId, reference: w.networkReference, name: 'Southside Crew' },
      { id: other.id, reference: other.reference, name: 'Northside Firm' },
    ]);
    // Cited and held: the primary's item and the shared one. The item held against a network the
    // claim does not name is left out (the screen says it is not held against these networks).
    // They come in the claim's own order (its intelIds); the screen looks each one up.
    expect(detail.disruption.intelIds).toEqual([items.primary.id, items.elsewhere.id, items.both.id].sort());
    expect([...detail.intelligence].sort((a, b) => b.reference.localeCompare(a.reference))).toEqual([
      { id: items.primary.id, reference: 'INT-2002', itemDate: '2026-01-20', summary: 'The line runs from the estate.', grading: '3x5x2', sourceGrade: 3, intelGrade: 'C', handling: 'P', legacyGrade: null },
      { id: items.both.id, reference: 'INT-1001', itemDate: '2026-01-05', summary: 'Both networks share the stash address.', grading: '3x5x2', sourceGrade: 1, intelGrade: 'A', handling: 'P', legacyGrade: null },
    ]);
    expect(JSON.stringify(detail)).not.toContain('CHIS');
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'consult', entityType: 'disruption', entityId: d.id, summary: `Disruption ${detail.disruption.reference} opened`, justification: null, userName: w.reader.name },
    ]);
  });
});

describe('disruptions:evidence: what the claim form offers to cite', () => {
  test('the items held against the chosen networks, each once, by reference, without summaries or sources; one consultation naming the networks', async () => {
    w.as(w.analyst);
    const seq = auditHeadSeq(w.db());
    const e = await ok<{ networks: unknown[]; intelligence: { reference: string }[] }>(w, 'disruptions:evidence', { networkIds: [w.networkId, other.id, w.networkId] });
    expect(e.networks).toEqual([
      { id: w.networkId, reference: w.networkReference, name: 'Southside Crew' },
      { id: other.id, reference: other.reference, name: 'Northside Firm' },
    ]);
    expect(e.intelligence).toEqual([
      { id: items.both.id, reference: 'INT-1001', itemDate: '2026-01-05', grading: '3x5x2', sourceGrade: 1, intelGrade: 'A', handling: 'P', legacyGrade: null },
      { id: items.primary.id, reference: 'INT-2002', itemDate: '2026-01-20', grading: '3x5x2', sourceGrade: 3, intelGrade: 'C', handling: 'P', legacyGrade: null },
      { id: items.other.id, reference: 'INT-3003', itemDate: '2026-02-01', grading: '3x5x2', sourceGrade: 2, intelGrade: 'B', handling: 'P', legacyGrade: null },
    ]);
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'consult', entityType: 'intelligence', entityId: null, summary: `Intelligence listed for ${w.networkReference}, ${other.reference} (3 items)`, justification: null, userName: w.analyst.name },
    ]);
  });

  test('one network with one item: "1 item"; a supervisor may ask too', async () => {
    w.as(w.supervisor);
    const seq = auditHeadSeq(w.db());
    const e = await ok<{ intelligence: { reference: string }[] }>(w, 'disruptions:evidence', { networkIds: [elsewhere.id] });
    expect(e.intelligence.map((i) => i.reference)).toEqual(['INT-4004']);
    expect(auditSince(w.db(), seq).map((a) => a.summary)).toEqual([`Intelligence listed for ${elsewhere.reference} (1 item)`]);
  });

  test('a network that does not exist is refused and nothing is recorded', async () => {
    w.as(w.analyst);
    await expectRefused(w, 'disruptions:evidence', { networkIds: [w.networkId, 'no-such-network'] }, { code: 'not_found', message: 'One of the networks was not found.' });
  });

  test.each(['validator', 'reader', 'admin'] as const)('refused for the %s, who cannot make claims', async (who) => {
    w.as(w[who]);
    await expectRefused(w, 'disruptions:evidence', { networkIds: [w.networkId] }, { code: 'forbidden', message: 'Your role does not allow this.' });
  });

  test('no networks, or forged keys, are refused whole', async () => {
    w.as(w.analyst);
    const NOT_VALID = 'Some of the details are not valid. Check the highlighted fields.';
    await expectRefused(w, 'disruptions:evidence', { networkIds: [] }, { code: 'invalid_input', message: NOT_VALID, fields: { networkIds: 'Too small: expected array to have >=1 items' } });
    await expectRefused(w, 'disruptions:evidence', { networkIds: [w.networkId], withSummaries: true }, { code: 'invalid_input', message: NOT_VALID, fields: { _: 'Unrecognized key: "withSummaries"' } });
  });
});

describe('the durability queue is the claims whose review the workflow accepts today', () => {
  test('a validated claim with no stored due date falls due six months after validation, is listed, and can be reviewed', async () => {
    w.as(w.analyst);
    const d = await ok<{ id: string; reference: string }>(w, 'disruptions:create', claim(w.networkId));
    await ok(w, 'disruptions:transition', { id: d.id, action: 'submit' });
    w.as(w.supervisor);
    await ok(w, 'disruptions:transition', { id: d.id, action: 'endorse' });
    w.as(w.validator);
    await ok(w, 'disruptions:transition', { id: d.id, action: 'validate' });
    // No stored due date: the workflow works it out from the validation date, both to accept the
    // review and to put the claim in the queue.
    w.db().prepare('UPDATE disruptions SET durability_due_on = NULL WHERE id = ?').run(d.id);
    clock.set('2026-12-29T10:00:00.000Z');
    expect((await ok<{ reference: string }[]>(w, 'disruptions:list', { view: 'durability' })).map((r) => r.reference)).not.toContain(d.reference);
    clock.set('2026-12-30T10:00:00.000Z');
    expect((await ok<{ reference: string }[]>(w, 'disruptions:list', { view: 'durability' })).map((r) => r.reference)).toContain(d.reference);
    const reviewed = await ok<{ durabilityOutcome: string; durabilityDueOn: string }>(w, 'disruptions:review', { id: d.id, outcome: 'confirmed' });
    expect([reviewed.durabilityOutcome, reviewed.durabilityDueOn]).toEqual(['confirmed', '2026-12-30']);
  });
});
