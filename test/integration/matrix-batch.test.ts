/**
 * Saving several ratings at once is one transaction and one rescore; a bad rating in the batch
 * saves none, and is refused as invalid input (not as an internal error). Looking up offences by
 * the start of a crime reference treats % and _ literally, and each search is one consultation.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import { auditHeadSeq, auditSince, fingerprint, historyRows, openMatrixWorld, rowCounts, type MatrixWorld } from '../helpers/matrix-fixtures';

let w: MatrixWorld;
let networkId: string;
let intelId: string;

beforeAll(() => {
  w = openMatrixWorld('batch');
  w.as(w.analyst);
  networkId = M.createNetwork(w.s, { name: 'Batch Crew', type: 'gang', leadBorough: 'E09000022', businessGroup: 'TP' }).id;
  intelId = M.recordIntelligence(w.s, { reference: 'INT-B1', itemDate: '2026-01-01', summary: 'x', sourceRef: 'SRC-1', sourceGrade: 1, intelGrade: 'A', handling: 'P' }).id;
  for (const ref of ['CR-100', 'CR-101', 'CR%9', 'XR-1']) M.recordOffence(w.s, { crimeReference: ref, category: 'robbery', offenceDate: '2026-01-01', borough: 'E09000022', stage: 'charged' });
});
afterAll(() => w?.close());

describe('ratings:set-many', () => {
  test('saves every rating in one transaction with one rescore', async () => {
    const history = historyRows(w.db(), networkId).length;
    const seq = auditHeadSeq(w.db());
    const r = await w.call('ratings:set-many', {
      networkId,
      ratings: [
        { networkId, kind: 'assessed', dimension: 'physical', value: 3, intelIds: [intelId] },
        { networkId, kind: 'capability', dimension: 'firearms', value: 2, intelIds: [] },
      ],
    });
    expect(r).toEqual({ ok: true, value: { networkId, saved: 2 } });
    // 3 × 1.25 + 2 = 5.75, and one history row for the one rescore.
    const h = historyRows(w.db(), networkId);
    expect(h.length).toBe(history + 1);
    expect(h.at(-1)!.score).toBe(5.75);
    expect(auditSince(w.db(), seq).map((e) => e.summary)).toEqual([
      expect.stringMatching(/assessed rating physical set to 3 with 1 supporting item\(s\)$/),
      expect.stringMatching(/capability rating firearms set to 2 with 0 supporting item\(s\)$/),
    ]);
  });

  test('one bad rating refuses the whole batch as invalid input and writes nothing', async () => {
    const before = fingerprint(w.db());
    const r = await w.call('ratings:set-many', {
      networkId,
      ratings: [
        { networkId, kind: 'assessed', dimension: 'physical', value: 1, intelIds: [] },
        { networkId, kind: 'capability', dimension: 'firearms', value: 4, intelIds: [] },
      ],
    });
    expect(r).toMatchObject({ ok: false, code: 'invalid_input', fields: { value: 'Capability is rated 0 to 3.' } });
    expect(fingerprint(w.db())).toBe(before);
  });
});

describe('offences:find', () => {
  test('matches the start of the crime reference, ignoring case, with % and _ taken literally', async () => {
    const refs = async (q: string) => ((await w.call('offences:find', { crimeReference: q })) as { value: { crimeReference: string }[] }).value.map((o) => o.crimeReference);
    expect(await refs('CR-10')).toEqual(['CR-100', 'CR-101']);
    expect(await refs('cr-')).toEqual(['CR-100', 'CR-101']);
    expect(await refs('CR%')).toEqual(['CR%9']);
    expect(await refs('C_')).toEqual([]);
  });

  test('each search is one consultation in the audit log, which names no text typed', async () => {
    const seq = auditHeadSeq(w.db());
    const { audit_log: entriesBefore, ...before } = rowCounts(w.db());
    expect(await w.call('offences:find', { crimeReference: 'CR-10' })).toMatchObject({ ok: true, value: [{ crimeReference: 'CR-100' }, { crimeReference: 'CR-101' }] });
    expect(await w.call('offences:find', { crimeReference: 'Nothing like it' })).toEqual({ ok: true, value: [] });
    expect(auditSince(w.db(), seq)).toEqual([
      { action: 'consult', entityType: 'offences', entityId: null, summary: 'Offences searched by crime reference (2 found)', userName: w.analyst.name, justification: null },
      { action: 'consult', entityType: 'offences', entityId: null, summary: 'Offences searched by crime reference (0 found)', userName: w.analyst.name, justification: null },
    ]);
    // A consultation adds its entry and changes no record.
    const { audit_log: entriesAfter, ...after } = rowCounts(w.db());
    expect(after).toEqual(before);
    expect(entriesAfter).toBe(entriesBefore! + 2);
  });
});
