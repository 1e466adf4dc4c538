/**
 * Returns through the services and the IPC dispatch on an encrypted vault (issue 4, Tests:
 * "Counting on a hand-built fixture with known answers"; "Every export ... is written as a
 * disclose audit entry and an export register row"). The fixture and its timeline are in
 * ./returns-fixture.ts; every expected figure below is worked out by hand from it.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protectTable, type RuleSetId } from '../../main/domain/disclosure';
import { STAGE_LABELS } from '../../preload/contract/vocabulary';
import { harmBeforeAfter } from '../../main/services/disruptions.service';
import { snapshotOf, meetingBefore } from '../../main/services/meetings.service';
import * as R from '../../main/services/returns.service';
import { computeScores } from '../../main/services/scoring.service';
import { referenceData } from '../../main/services/reference.service';
import { VaultError } from '../../main/vault/errors';
import type { ReportTable, ReturnDocument } from '../../preload/contract/schemas/returns';
import { auditHeadSeq, auditSince, fingerprint } from '../helpers/matrix-fixtures';
import { buildReturnsWorld, type ReturnsWorld } from './returns-fixture';

let w: ReturnsWorld;
let out: string;

beforeAll(() => {
  w = buildReturnsWorld('returns');
  out = join(w.tv.dir, 'exports');
  mkdirSync(out);
});
afterAll(() => w?.close());

const table = (doc: ReturnDocument, id: string): ReportTable => {
  const t = doc.sections.flatMap((s) => s.tables).find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
};
const texts = (t: ReportTable) => t.rows.map((r) => r.cells.map((c) => c.text));

/** The protected table's rows as the return shows them: label, cells, row total (unless left out). */
function expectedRows(rows: string[], cols: string[], cells: number[][], o: { rules?: RuleSetId; withTotals?: boolean; rowTotals?: boolean; totalLabel?: string; colTotals?: boolean } = {}): string[][] {
  const p = protectTable({ rows, cols, cells, kind: 'count', withTotals: o.withTotals ?? true }, o.rules ?? 'internal-1');
  const showRow = p.rowTotals !== null && o.rowTotals !== false;
  const body = rows.map((label, r) => [label, ...p.cells[r]!.map((c) => c.display), ...(showRow ? [p.rowTotals![r]!.display] : [])]);
  if (p.colTotals && o.colTotals !== false) body.push([o.totalLabel ?? 'Total', ...p.colTotals.map((c) => c.display), ...(showRow ? [p.grandTotal!.display] : [])]);
  return body;
}

const LEVELS = ['Major', 'Moderate', 'Minor'];
const FY_MONTHS = ['Apr 2025', 'May 2025', 'Jun 2025', 'Jul 2025', 'Aug 2025', 'Sep 2025', 'Oct 2025', 'Nov 2025', 'Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026'];

describe('the corporate return for 2025/26 (internal rules): the fixture\'s known answers', () => {
  let doc: ReturnDocument;
  beforeAll(() => {
    w.as(w.reader);
    doc = R.preview(w.s, { kind: 'corporate', period: '2025/26', rules: 'internal' });
  });

  it('the header: period, population day, versions, rule sets, marking, and no copy number for a preview', () => {
    expect(doc.header).toEqual({
      kind: 'corporate',
      title: 'Corporate return: 2025/26 (April 2025 to March 2026)',
      periodId: '2025/26',
      periodLabel: '2025/26 (April 2025 to March 2026)',
      periodFrom: '2025-04-01',
      periodTo: '2026-03-31',
      asOf: '2026-06-30',
      previousMeeting: null,
      generatedAt: '2026-06-30T10:00:00.000Z',
      generatedBy: 'Eve Reader',
      model: 'hm-1',
      weightTable: { id: 'hm-1', version: referenceData().weights['hm-1']!.version },
      ruleSet: expect.objectContaining({ id: 'internal-1', version: 1 }),
      countingRules: expect.objectContaining({ id: 'count-1' }),
      marking: 'OFFICIAL-SENSITIVE',
      copyNumber: null,
      auditHead: null,
      // A preview is not a copy: nothing to destroy.
      destroyAfter: null,
    });
  });

  it('networks disrupted: N1–N6 major, N7 and N8 moderate (one record names both), N9 minor on 31 March; N10 on 1 April is next year\'s', () => {
    // Harm measured for N1–N8 (six months after have passed); N9's ends on 15/09/2026.
    expect(texts(table(doc, 'networks_by_level'))).toEqual(expectedRows(LEVELS, ['Harm measured', 'Harm pending'], [[6, 0], [2, 0], [0, 1]], { totalLabel: 'All levels' }));
    expect(texts(table(doc, 'networks_by_level'))[0]).toEqual(['Major', '6', '0', '6']);
    expect(texts(table(doc, 'networks_by_level')).at(-1)!.at(-1)).toBe('9');
  });

  it('the none-level claim: N11 was assessed but not disrupted', () => {
    expect(texts(table(doc, 'networks_not_disrupted'))).toEqual([
      ['None', '<5'],
      ['Negative', '0'],
    ]);
  });

  it('by claiming group: the TP claim was downgraded to none within the year, so TP disrupted nothing; the partner duplicate counts for the partner group', () => {
    expect(texts(table(doc, 'networks_by_business_group'))).toEqual(
      expectedRows(['SCD', 'TP', 'SO', 'CO', 'Partner'], LEVELS, [[6, 2, 1], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 1, 0]], { colTotals: false }),
    );
  });

  it('events: six majors in July, the partner-reference pair once in November, the minor on 31 March', () => {
    const cells = FY_MONTHS.map((m) => (m === 'Jul 2025' ? [6, 0, 0] : m === 'Nov 2025' ? [0, 1, 0] : m === 'Mar 2026' ? [0, 0, 1] : [0, 0, 0]));
    expect(texts(table(doc, 'events_by_month'))).toEqual(expectedRows(FY_MONTHS, LEVELS, cells, { totalLabel: 'Period total' }));
    expect(texts(table(doc, 'events_by_month')).at(-1)!.at(-1)).toBe('8');
    expect(doc.charts.disruptionsPerMonth.map((m) => m.month)).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
  });

  it('claims: one rejected, one downgraded at review, one record merged as a duplicate', () => {
    expect(texts(table(doc, 'claims'))).toEqual([
      ['Claims rejected', '<5'],
      ['Downgraded at durability review', '<5'],
      ['Upgraded at durability review', '0'],
      ['Validated records merged as duplicates', '<5'],
    ]);
  });

  it('outcomes: the duplicate\'s five arrests are not added; cash and custody are dominated by one record and withheld', () => {
    expect(texts(table(doc, 'outcome_counts'))).toEqual([
      ['Arrests', '14'],
      ['Charges', '7'],
      ['Convictions', '0'],
      ['Knives', '<5'],
      ['Other weapons', '0'],
      ['Rounds of ammunition', '30'],
      ['Vehicles', '0'],
      ['Premises closed', '0'],
      ['Safeguarding referrals', '<5'],
      ['Children safeguarded', '<5'],
    ]);
    expect(texts(table(doc, 'outcome_firearms'))).toEqual(expectedRows(['Handguns', 'Shotguns', 'Automatic weapons', 'Converted weapons', 'Imitation firearms'], ['Firearms'], [[3], [0], [0], [0], [0]], { rowTotals: false, totalLabel: 'All firearms' }));
    expect(texts(table(doc, 'outcome_drugs'))).toEqual([
      ['Class A', '350 g'],
      ['Class B', '0 g'],
      ['Class C', '0 g'],
      ['All classes', '350 g'],
    ]);
    // £10,000 of £17,000 came from one record.
    expect(texts(table(doc, 'outcome_money'))).toEqual([
      ['Cash seized', '[c]'],
      ['Assets restrained', '£0'],
      ['Confiscation orders', '£0'],
    ]);
    expect(texts(table(doc, 'outcome_custody'))).toEqual([['Custody', '[c]']]);
  });

  it('harm before and after: 365 + 292 + 365 before, 182.5 + 182.5 after (exactly half from one network is shown)', () => {
    expect(texts(table(doc, 'harm_before_after'))).toEqual([
      ['Six months before', '1,022 harm-days'],
      ['Six months after', '365 harm-days'],
      ['Change', '64.3% lower'],
    ]);
  });

  it('the population is the matrix on the day of the return, 30/06/2026: N2 is Band C since its override lapsed, N12 is archived; the Band A share has too small a denominator', () => {
    const rows: string[] = [];
    const cells: number[][] = [];
    for (const g of ['SCD', 'TP', 'SO', 'CO', 'Partner']) {
      for (const t of ['criminal network', 'gang', 'peer group']) {
        rows.push(`${g}: ${t}`);
        cells.push(g === 'SCD' && t === 'gang' ? [1, 0, 2, 3] : g === 'SCD' && t === 'criminal network' ? [0, 0, 0, 3] : g === 'TP' && t === 'peer group' ? [0, 0, 0, 2] : [0, 0, 0, 0]);
      }
    }
    const expected = expectedRows(rows, ['Band A', 'Band B', 'Band C', 'Below threshold'], cells, { totalLabel: 'All networks' });
    expect(texts(table(doc, 'population_by_band'))).toEqual(expected);
    expect(expected.at(-1)!.at(-1)).toBe('11');
    const bandA = expected.at(-1)![1]!;
    expect(texts(table(doc, 'band_a_share'))).toEqual([
      ['Band A networks', bandA],
      ['Band A networks disrupted in the period', '<5'],
      ['Share of Band A disrupted', '—'],
    ]);
    expect(doc.charts.networksByBand.map((b) => b.text)).toEqual(expected.at(-1)!.slice(1, 5));
  });

  it('reviews due in the year: N1 on time, N2 late, ten outstanding (N12 archived needs none)', () => {
    expect(texts(table(doc, 'reviews'))).toEqual([
      ...expectedRows(['On time', 'Late', 'Outstanding (overdue)'], ['Reviews'], [[1], [1], [10]], { rowTotals: false, totalLabel: 'Reviews due' }),
      ['Share done on time', '—'],
    ]);
    expect(texts(table(doc, 'reviews'))[3]).toEqual(['Reviews due', '12']);
  });

  it('a preview is one consultation in the audit log, and writes nothing else', () => {
    const seq = auditHeadSeq(w.db());
    const registered = w.db().prepare('SELECT count(*) FROM export_register').pluck().get();
    R.preview(w.s, { kind: 'corporate', period: '2025/26', rules: 'public' });
    expect(auditSince(w.db(), seq)).toEqual([{ action: 'consult', entityType: 'return', entityId: null, summary: 'Corporate return 2025/26 previewed (public-1 rules)', justification: null, userName: 'Eve Reader' }]);
    expect(w.db().prepare('SELECT count(*) FROM export_register').pluck().get()).toBe(registered);
  });
});

describe('harm before and after in returns is disruptions.service harmBeforeAfter', () => {
  it('the same sums for every network and window, on and off the windows\' edges', () => {
    const measure = R.harmMeasurer(w.db(), '2026-06-30');
    const windows: [string, string][] = [
      ['2025-05-01', '2025-06-30'],
      ['2025-04-10', '2025-04-10'],
      ['2025-04-11', '2025-07-31'],
      ['2025-10-15', '2025-11-20'],
      ['2025-09-01', '2025-12-30'],
      ['2025-12-01', '2026-01-01'],
    ];
    let compared = 0;
    for (const key of ['N1', 'N2', 'N3', 'N7']) {
      for (const [from, to] of windows) {
        const ours = measure(w.ids[key]!, from, to);
        const theirs = harmBeforeAfter(w.db(), w.ids[key]!, from, to, '2026-06-30');
        if (theirs.isPending) expect(ours).toEqual({ before: 0, after: null, isPending: true });
        else expect(ours).toEqual({ before: theirs.before, after: theirs.after, isPending: false });
        compared += theirs.isPending ? 0 : 1;
      }
    }
    // 30/12/2025 + six months is today, so measured; 01/01/2026 + six months is tomorrow: pending.
    expect(compared).toBe(20);
    expect(measure(w.ids.N1!, '2025-05-01', '2025-06-30')).toEqual({ before: 365, after: 182.5, isPending: false });
  });
});

describe('the financial-year boundary, on UK days', () => {
  it('validated at 23:30 BST on 31 March: 2025/26 and March; at 00:30 BST on 1 April: 2026/27 and April', () => {
    w.as(w.reader);
    const total = (period: string, id: string) => texts(table(R.preview(w.s, { kind: 'corporate', period, rules: 'internal' }), id)).at(-1)!.at(-1);
    const byLevel = (period: string) => texts(table(R.preview(w.s, { kind: 'corporate', period, rules: 'internal' }), 'networks_by_level'));
    expect(byLevel('2026-03')).toEqual(expectedRows(LEVELS, ['Harm measured', 'Harm pending'], [[0, 0], [0, 0], [0, 1]], { totalLabel: 'All levels' }));
    expect(byLevel('2026-04')).toEqual(expectedRows(LEVELS, ['Harm measured', 'Harm pending'], [[0, 0], [0, 0], [0, 1]], { totalLabel: 'All levels' }));
    expect(byLevel('2026/27')).toEqual(expectedRows(LEVELS, ['Harm measured', 'Harm pending'], [[0, 0], [0, 0], [0, 1]], { totalLabel: 'All levels' }));
    expect(total('2025/26-Q4', 'events_by_month')).toBe('<5');
    // The July majors are in Q2, not Q1.
    expect(texts(table(R.preview(w.s, { kind: 'corporate', period: '2025/26-Q2', rules: 'internal' }), 'networks_by_level'))[0]).toEqual(['Major', '6', '0', '6']);
    expect(texts(table(R.preview(w.s, { kind: 'corporate', period: '2025/26-Q1', rules: 'internal' }), 'networks_by_level'))[0]).toEqual(['Major', '0', '0', '0']);
    // The one-day range that holds only the 1 April validation.
    const oneDay = R.preview(w.s, { kind: 'corporate', period: '2026-04-01..2026-04-01', rules: 'internal' });
    expect(oneDay.header.periodLabel).toBe('1 April 2026');
    expect(texts(table(oneDay, 'events_by_month'))).toEqual(expectedRows(['Apr 2026'], LEVELS, [[0, 0, 1]], { totalLabel: 'Period total' }));
  });

  it('a period that has not started, or that is not a period, is refused', () => {
    expect(() => R.preview(w.s, { kind: 'corporate', period: '2026/27-Q3', rules: 'internal' })).toThrow(/has not started yet/);
    expect(() => R.preview(w.s, { kind: 'corporate', period: '2025/27', rules: 'internal' })).toThrow();
  });
});

describe('public rules', () => {
  it('counts under 10 withheld as [c]; the rest rounded to the nearest 5', () => {
    w.as(w.reader);
    const doc = R.preview(w.s, { kind: 'corporate', period: '2025/26', rules: 'public' });
    expect(doc.header.ruleSet.id).toBe('public-1');
    expect(texts(table(doc, 'outcome_counts')).slice(0, 3)).toEqual([
      ['Arrests', '15'],
      ['Charges', '[c]'],
      ['Convictions', '0'],
    ]);
    expect(doc.sections.flatMap((s) => s.tables).flatMap((t) => t.rows.flatMap((r) => r.cells)).some((c) => c.text === '<5')).toBe(false);
  });
});

describe('the meeting pack as of 30/06/2026, against the meeting of 31/03/2026', () => {
  let doc: ReturnDocument;
  beforeAll(() => {
    w.as(w.analyst);
    doc = R.preview(w.s, { kind: 'meeting_pack', rules: 'internal' });
  });

  it('the header names the as-of date and the meeting compared with', () => {
    expect(doc.header).toMatchObject({ kind: 'meeting_pack', title: 'Prioritisation meeting pack as of 30/06/2026', asOf: '2026-06-30', previousMeeting: '2026-03-31', periodId: null, copyNumber: null, generatedBy: 'Bob Analyst' });
  });

  it('networks by band then and now, disclosure-controlled', () => {
    const then = protectTable({ rows: ['Band A', 'Band B', 'Band C', 'Below threshold'], cols: ['Then'], cells: [[1], [1], [1], [9]], kind: 'count', withTotals: true }, 'internal-1');
    const now = protectTable({ rows: ['Band A', 'Band B', 'Band C', 'Below threshold'], cols: ['Now'], cells: [[1], [0], [2], [8]], kind: 'count', withTotals: true }, 'internal-1');
    const t = table(doc, 'networks_by_band');
    expect(t.columns.map((c) => c.label)).toEqual(['Band', 'At the meeting of 31/03/2026', 'On 30/06/2026']);
    expect(texts(t)).toEqual([
      ...['Band A', 'Band B', 'Band C', 'Below threshold'].map((b, i) => [b, then.cells[i]![0]!.display, now.cells[i]![0]!.display]),
      ['All networks on the matrix', then.colTotals![0]!.display, now.colTotals![0]!.display],
    ]);
    expect(texts(t).at(-1)).toEqual(['All networks on the matrix', '12', '11']);
    expect(doc.charts.networksByBand.map((b) => b.text)).toEqual(now.cells.map((r) => r[0]!.display));
  });

  it('movement: P1 and P2 new, N2 from B to C when its override lapsed, N12 archived', () => {
    const snap = snapshotOf(w.db(), meetingBefore(w.db(), '2026-06-30')!.id);
    const n2Then = snap.find((x) => x.networkId === w.ids.N2)!.score;
    const n2Now = computeScores(w.db(), [w.ids.N2!], '2026-06-30').get(w.ids.N2!)!.score;
    expect(texts(table(doc, 'new_networks'))).toEqual([
      [w.refs.P1, 'Proposed', 'Gang', 'Below threshold', '0.0', '02/04/2026'],
      [w.refs.P2, 'Proposed', 'Gang', 'Below threshold', '0.0', '02/04/2026'],
    ]);
    expect(texts(table(doc, 'band_changes'))).toEqual([[w.refs.N2, 'Band B', 'Band C', n2Then.toFixed(1), n2Now.toFixed(1)]]);
    expect(texts(table(doc, 'archived'))).toEqual([[w.refs.N12, 'Below threshold', '0.0']]);
  });

  it('Band A: N1 with its score taken apart, trend, top offences from its explanation, owner, plan, last disruption and next review', () => {
    const h = computeScores(w.db(), [w.ids.N1!], '2026-06-30').get(w.ids.N1!)!;
    const was = snapshotOf(w.db(), meetingBefore(w.db(), '2026-06-30')!.id).find((x) => x.networkId === w.ids.N1)!.score;
    const top = h.explanation.offences
      .filter((o) => o.isIncluded)
      .sort((a, b) => b.contribution - a.contribution)
      .slice(0, 3)
      .map((o) => `Robbery, ${o.date.slice(8, 10)}/${o.date.slice(5, 7)}/${o.date.slice(0, 4)}, ${STAGE_LABELS[o.stage].toLowerCase()} (${(Math.round(o.contribution * 10) / 10).toLocaleString('en-GB')})`);
    expect(top).toHaveLength(2);
    const p = h.explanation.parts;
    expect(texts(table(doc, 'band_a_networks'))).toEqual([
      [
        w.refs.N1,
        h.score.toFixed(1),
        p.ehPts.toFixed(1),
        p.ahPts.toFixed(1),
        p.capPts.toFixed(1),
        'High',
        `${h.score - was > 0.05 ? '+' : ''}${(h.score - was).toFixed(1)}`,
        top.join('\n'),
        'SCD\nGangs Unit\nDI Synthetic',
        'None',
        `${w.claims.DTP}\n20/07/2025, none`,
        '20/02/2027',
      ],
    ]);
    expect(table(doc, 'band_b_networks').rows).toEqual([]);
  });

  it('proposals, with their owners as typed', () => {
    expect(texts(table(doc, 'proposals'))).toEqual([
      [w.refs.N0, 'Gang', 'SCD', '', '', '0.0', 'Below threshold', 'Low', '01/03/2025'],
      [w.refs.P1, 'Gang', 'SCD', '=HYPERLINK("http://evil.example/x","click")', '+1', '0.0', 'Below threshold', 'Low', '02/04/2026'],
      [w.refs.P2, 'Gang', 'SCD', '@cmd', '-2+3', '0.0', 'Below threshold', 'Low', '02/04/2026'],
    ]);
  });

  it('claims awaiting validation and durability reviews due', () => {
    expect(texts(table(doc, 'claim_counts'))).toEqual([
      ['Awaiting endorsement', '0'],
      ['Awaiting validation', '<5'],
      ['Durability reviews due', '9'],
    ]);
    expect(texts(table(doc, 'claims_awaiting'))).toEqual([[w.claims.D11, w.refs.N11, 'SCD', 'Major', 'Validation', '20/06/2026', '20/06/2026']]);
    const due = texts(table(doc, 'durability_due'));
    expect(due.map((r) => r[0])).toEqual([w.claims.D1, w.claims.D2, w.claims.D3, w.claims.D4, w.claims.D5, w.claims.D6, w.claims.D7, w.claims.D7dup, w.claims.D11none]);
    expect(due[0]).toEqual([w.claims.D1, w.refs.N1, 'Major', '15/07/2025', '15/01/2026', '166']);
    expect(due[6]).toEqual([w.claims.D7, `${w.refs.N7} (+1)`, 'Moderate', '10/11/2025', '10/05/2026', '51']);
  });

  it('intelligence gaps: eight Low-confidence networks on the matrix, none scoring 20 or more', () => {
    expect(texts(table(doc, 'low_confidence_by_band'))).toEqual(expectedRows(['Band A', 'Band B', 'Band C', 'Below threshold'], ['Networks'], [[0], [0], [0], [8]], { rowTotals: false, totalLabel: 'All bands' }));
    expect(table(doc, 'low_confidence').rows).toEqual([]);
  });

  it('exceptions: ten overdue reviews, N2\'s lapsed override, N1\'s under-18 links as counts', () => {
    expect(texts(table(doc, 'overdue_reviews')).map((r) => r[0])).toEqual([w.refs.N0, ...['N3', 'N4', 'N5', 'N6', 'N7', 'N8', 'N9', 'N10', 'N11'].map((k) => w.refs[k])]);
    expect(texts(table(doc, 'overdue_reviews'))[0]).toEqual([w.refs.N0, 'Below threshold', '01/03/2026', '121']);
    expect(texts(table(doc, 'expired_overrides'))).toEqual([[w.refs.N2, 'Band B', '30/04/2026', 'Band C']]);
    expect(texts(table(doc, 'under_18_by_band'))).toEqual(expectedRows(['Band A', 'Band B', 'Band C', 'Below threshold'], ['Networks'], [[1], [0], [0], [0]], { rowTotals: false, totalLabel: 'All bands' }));
    expect(texts(table(doc, 'under_18_links'))).toEqual([[w.refs.N1, 'Band A', '<5', '<5']]);
  });

  it('disruption events in the 12 months to the as-of date (the chart is the same table)', () => {
    const months = ['Jul 2025', 'Aug 2025', 'Sep 2025', 'Oct 2025', 'Nov 2025', 'Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026', 'May 2026', 'Jun 2026'];
    const cells = months.map((m) => (m === 'Jul 2025' ? [6, 0, 0] : m === 'Nov 2025' ? [0, 1, 0] : m === 'Mar 2026' || m === 'Apr 2026' ? [0, 0, 1] : [0, 0, 0]));
    const expected = expectedRows(months, LEVELS, cells, { totalLabel: 'Twelve months' });
    expect(texts(table(doc, 'events_by_month'))).toEqual(expected);
    expect(doc.charts.disruptionsPerMonth.map((m) => [m.label, m.major.text, m.moderate.text, m.minor.text])).toEqual(expected.slice(0, 12).map((r) => r.slice(0, 4)));
  });

  it('an as-of date in the future is refused; a past one compares with the meeting before it', () => {
    expect(() => R.preview(w.s, { kind: 'meeting_pack', asOf: '2026-07-01', rules: 'internal' })).toThrow(/future/);
    const before = R.preview(w.s, { kind: 'meeting_pack', asOf: '2026-03-31', rules: 'internal' });
    expect(before.header.previousMeeting).toBeNull();
    expect(before.sections.find((s) => s.id === 'movement')!.notes[0]).toMatch(/No earlier meeting/);
  });
});

/* ---- Exporting ---------------------------------------------------------------------------------- */

const disclosure = { purpose: 'Monthly performance return to the force board', recipient: 'Performance and Insight team' };

function registerRows() {
  return w.db().prepare('SELECT * FROM export_register ORDER BY rowid').all() as Record<string, unknown>[];
}

describe('exporting: a new file, a disclose audit entry and a register row, in one transaction', () => {
  it('the corporate return as CSV, XLSX and JSON: copies numbered 1, 2, 3; the file is what the register says', async () => {
    w.as(w.reader);
    const results = [];
    for (const format of ['csv', 'xlsx', 'json'] as const) {
      const seq = auditHeadSeq(w.db());
      const before = registerRows().length;
      const path = join(out, `corporate-2025-26.${format}`);
      const r = await R.exportReturn(w.s, { kind: 'corporate', format, period: '2025/26', rules: 'internal', path, ...disclosure });
      results.push(r);
      const bytes = readFileSync(path);
      // Exported on 30/06/2026 (the fixed clock): destroyed after 30 days.
      expect(r).toEqual({ path, fileName: `corporate-2025-26.${format}`, kind: 'corporate', format, bytes: bytes.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), copyNumber: before + 1, destroyAfter: '2026-07-30' });
      const rows = registerRows();
      expect(rows).toHaveLength(before + 1);
      const row = rows.at(-1)!;
      expect(row).toEqual({
        id: expect.any(String),
        at: '2026-06-30T10:00:00.000Z',
        user_id: w.reader.id,
        user_name: 'Eve Reader',
        kind: 'corporate',
        period: '2025/26',
        format,
        rule_set: 'internal-1',
        purpose: disclosure.purpose,
        recipient: disclosure.recipient,
        copy_number: before + 1,
        file_name: `corporate-2025-26.${format}`,
        bytes: bytes.length,
        sha256: r.sha256,
        // The head the copy prints: the entry just before its own 'disclose' entry.
        audit_head_seq: seq,
        audit_head_hash: w.db().prepare('SELECT hash FROM audit_log WHERE seq = ?').pluck().get(seq),
        destroy_after: '2026-07-30',
      });
      const { createHash } = await import('node:crypto');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(r.sha256);
      expect(auditSince(w.db(), seq)).toEqual([
        {
          action: 'disclose',
          entityType: 'export',
          entityId: row.id,
          summary: `Corporate return 2025/26 exported as ${format.toUpperCase()}, copy ${before + 1} (internal-1 rules), file corporate-2025-26.${format}, to ${disclosure.recipient}`,
          justification: disclosure.purpose,
          userName: 'Eve Reader',
        },
      ]);
    }
    expect(results.map((r) => r.copyNumber)).toEqual([1, 2, 3]);
    // The copy number is in the file.
    expect(readFileSync(join(out, 'corporate-2025-26.csv'), 'utf8')).toContain('\r\n"copy_number","1"\r\n"destroy_after","30/07/2026"\r\n');
    const json = JSON.parse(readFileSync(join(out, 'corporate-2025-26.json'), 'utf8'));
    expect(json.header.copyNumber).toBe(3);
    expect([json.destroyAfter, json.header.destroyAfter]).toEqual(['Destroy after: 30/07/2026', '2026-07-30']);
    // No temporary file is left beside them.
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('the meeting pack counts its own copies, from 1', async () => {
    w.as(w.supervisor);
    const r = await R.exportReturn(w.s, { kind: 'meeting_pack', format: 'pdf', rules: 'internal', path: join(out, 'pack.pdf'), ...disclosure });
    expect(r.copyNumber).toBe(1);
    expect(registerRows().at(-1)).toMatchObject({ kind: 'meeting_pack', period: '2026-06-30', format: 'pdf', copy_number: 1, user_name: 'Carol Supervisor', destroy_after: '2026-07-30' });
    expect(r.destroyAfter).toBe('2026-07-30');
  });

  it('a relative path is saved in the documents folder', async () => {
    w.as(w.analyst);
    const r = await R.exportReturn(w.s, { kind: 'meeting_pack', format: 'xlsx', rules: 'public', path: 'pack-relative.xlsx', ...disclosure });
    expect(r.path).toBe(join(w.tv.ctx.documentsDir, 'pack-relative.xlsx'));
    expect(existsSync(r.path)).toBe(true);
  });

  it('an existing file is never replaced, and a missing folder is refused: nothing is written', async () => {
    w.as(w.analyst);
    const path = join(out, 'already.csv');
    writeFileSync(path, 'someone else\'s file');
    const before = fingerprint(w.db());
    await expect(R.exportReturn(w.s, { kind: 'corporate', format: 'csv', period: '2025/26', rules: 'internal', path, ...disclosure })).rejects.toMatchObject({ code: 'exists', message: 'already.csv already exists. An export never replaces a file: choose a new name.' });
    await expect(R.exportReturn(w.s, { kind: 'corporate', format: 'csv', period: '2025/26', rules: 'internal', path: join(out, 'no-such-folder', 'x.csv'), ...disclosure })).rejects.toMatchObject({ code: 'not_found' });
    expect(readFileSync(path, 'utf8')).toBe('someone else\'s file');
    expect(fingerprint(w.db())).toBe(before);
  });

  it('a file that appears under the name while the return is being written: the export fails and leaves neither entries nor its file', async () => {
    w.as(w.analyst);
    const path = join(out, 'race.xlsx');
    const before = fingerprint(w.db());
    const pending = R.exportReturn(w.s, { kind: 'corporate', format: 'xlsx', period: '2025/26', rules: 'internal', path, ...disclosure });
    // The name was free when the export was asked for; another program takes it meanwhile.
    writeFileSync(path, 'the other program');
    await expect(pending).rejects.toMatchObject({ code: 'exists' });
    expect(readFileSync(path, 'utf8')).toBe('the other program');
    expect(fingerprint(w.db())).toBe(before);
    expect(readdirSync(out).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('the vault locking before the return is built: no file, no entries', async () => {
    const path = join(out, 'locked.json');
    const pending = R.exportReturn(w.s, { kind: 'corporate', format: 'json', period: '2025/26', rules: 'internal', path, ...disclosure });
    const vault = w.s.vault!;
    const user = w.s.user!;
    w.s.vault = null;
    try {
      await expect(pending).rejects.toMatchObject({ code: 'locked' });
    } finally {
      w.s.vault = vault;
      w.s.user = user;
    }
    expect(existsSync(path)).toBe(false);
    expect(registerRows().some((r) => r.file_name === 'locked.json')).toBe(false);
  });

  it('two exports asked for at once take consecutive copy numbers', async () => {
    w.as(w.analyst);
    const start = (registerRows().filter((r) => r.kind === 'corporate').length);
    const [a, b] = await Promise.all([
      R.exportReturn(w.s, { kind: 'corporate', format: 'json', period: '2025/26-Q1', rules: 'internal', path: join(out, 'q1.json'), ...disclosure }),
      R.exportReturn(w.s, { kind: 'corporate', format: 'json', period: '2025/26-Q2', rules: 'internal', path: join(out, 'q2.json'), ...disclosure }),
    ]);
    expect([a.copyNumber, b.copyNumber]).toEqual([start + 1, start + 2]);
  });

  it('who may export: administrators nothing; read-only and validators the corporate return; the pack only analysts and supervisors', async () => {
    const path = (name: string) => join(out, name);
    w.as(w.admin);
    expect(await w.call('returns:export', { kind: 'corporate', format: 'csv', period: '2025/26', rules: 'internal', path: path('admin.csv'), ...disclosure })).toEqual({ ok: false, code: 'forbidden', message: 'Your role does not allow this.' });
    await expect(R.exportReturn(w.s, { kind: 'corporate', format: 'csv', period: '2025/26', rules: 'internal', path: path('admin.csv'), ...disclosure })).rejects.toBeInstanceOf(VaultError);
    w.as(w.reader);
    expect(await w.call('returns:export', { kind: 'meeting_pack', format: 'pdf', rules: 'internal', path: path('reader.pdf'), ...disclosure })).toEqual({ ok: false, code: 'forbidden', message: 'The meeting pack is exported by analysts and supervisors.' });
    w.as(w.validator);
    expect((await w.call('returns:export', { kind: 'meeting_pack', format: 'xlsx', rules: 'internal', path: path('validator.xlsx'), ...disclosure })).ok).toBe(false);
    const r = await w.call('returns:export', { kind: 'corporate', format: 'json', period: '2025/26', rules: 'public', path: path('validator.json'), ...disclosure });
    expect(r.ok).toBe(true);
    expect(['admin.csv', 'reader.pdf', 'validator.xlsx'].some((f) => existsSync(path(f)))).toBe(false);
    // Everyone may preview.
    w.as(w.admin);
    expect((await w.call('returns:preview', { kind: 'meeting_pack', rules: 'internal' })).ok).toBe(true);
  });

  it('the contract checks the request: purpose and recipient 5–500 characters, the extension matching the format, a real period', async () => {
    w.as(w.analyst);
    const base = { kind: 'corporate', format: 'csv', period: '2025/26', rules: 'internal', path: join(out, 'checked.csv'), ...disclosure };
    const fields = async (payload: unknown) => {
      const r = await w.call('returns:export', payload);
      expect(r.ok).toBe(false);
      return r.ok ? {} : { code: r.code, fields: r.fields };
    };
    expect(await fields({ ...base, purpose: 'why' })).toEqual({ code: 'invalid_input', fields: { purpose: 'Give the purpose in at least 5 characters.' } });
    expect(await fields({ ...base, recipient: 'x'.repeat(501) })).toEqual({ code: 'invalid_input', fields: { recipient: 'Use at most 500 characters for the recipient.' } });
    expect(await fields({ ...base, recipient: 'Two\nlines here' })).toEqual({ code: 'invalid_input', fields: { recipient: 'The recipient must be on one line, without control characters.' } });
    expect(await fields({ ...base, path: join(out, 'checked.xlsx') })).toEqual({ code: 'invalid_input', fields: { path: 'A CSV file name ends in .csv.' } });
    expect(await fields({ ...base, format: 'pdf', path: join(out, 'checked.pdf') })).toEqual({ code: 'invalid_input', fields: { format: 'The corporate return is saved as CSV, XLSX or JSON.' } });
    expect(await fields({ ...base, period: '2025/27' })).toEqual({ code: 'invalid_input', fields: { period: '"2025/27" is not a financial year: the second part must be the year after 2025, written 26.' } });
    expect(await fields({ ...base, period: undefined })).toEqual({ code: 'invalid_input', fields: { period: 'Enter a period, for example 2025/26 or 2026-05.' } });
    expect(await fields({ kind: 'meeting_pack', format: 'pdf', period: '2025/26', rules: 'internal', path: join(out, 'p.pdf'), ...disclosure })).toEqual({ code: 'invalid_input', fields: { period: 'The meeting pack is as of a date, not for a period.' } });
    expect(await fields({ ...base, rules: 'lenient' })).toEqual({ code: 'invalid_input', fields: { rules: 'Choose internal or public disclosure rules.' } });
    expect(existsSync(join(out, 'checked.csv'))).toBe(false);
  });

  it('the export register: supervisors and administrators see every export, others their own; viewing it is a consultation', async () => {
    const all = registerRows().length;
    w.as(w.supervisor);
    const seen = (await w.call('exports:list', {})) as { ok: true; value: { userName: string; copyNumber: number }[] };
    expect(seen.value).toHaveLength(all);
    w.as(w.reader);
    const own = (await w.call('exports:list', {})) as { ok: true; value: { userName: string }[] };
    expect(own.value.length).toBeGreaterThan(0);
    expect(own.value.every((r) => r.userName === 'Eve Reader')).toBe(true);
    expect(own.value.length).toBeLessThan(all);
    const seq = auditHeadSeq(w.db());
    await w.call('exports:list', {});
    expect(auditSince(w.db(), seq)).toEqual([{ action: 'consult', entityType: 'export_register', entityId: null, summary: 'Own exports viewed', justification: null, userName: 'Eve Reader' }]);
  });
});
