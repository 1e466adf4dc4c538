/**
 * The corporate return builder on hand-made facts (no vault): the counting rules' answers in the
 * tables, disclosure control on every table (small counts, secondary suppression, dominance, the
 * percentage rule, public rounding), outcome de-duplication, harm before and after, and nothing
 * that identifies a network or a person in the output.
 */
import { describe, expect, it } from 'vitest';
import { protectTable } from '../../main/domain/disclosure';
import { financialYearPeriod } from '../../preload/contract/periods';
import { buildCorporateReturn, outcomeRecords, type CorporateSource, type PopulationNetwork, type ReturnDisruption } from '../../main/returns/corporate';
import type { ReportTable } from '../../preload/contract/schemas/returns';

const FY = financialYearPeriod(2025);

const disruption = (over: Partial<ReturnDisruption> & { id: string; primaryNetworkId: string }): ReturnDisruption => ({
  otherNetworkIds: [],
  partnerReference: null,
  claimingBusinessGroup: 'SCD',
  status: 'validated',
  validatedOn: '2025-06-15',
  rejectedOn: null,
  activityStart: '2025-05-01',
  activityEnd: '2025-05-31',
  level: 'major',
  durabilityOutcome: null,
  levelAfterReview: null,
  reviewedOn: null,
  outcomes: {},
  ...over,
});

/** 40 networks (n0–n11 Band A, the rest Band C); 18 disrupted in 2025/26. */
function source(over: Partial<CorporateSource> = {}): CorporateSource {
  const networks: PopulationNetwork[] = Array.from({ length: 40 }, (_, i) => ({ id: `net-id-${i}`, status: 'active', type: 'gang', businessGroup: 'SCD', band: i < 12 ? 'A' : 'C' }));
  const disruptions: ReturnDisruption[] = [
    ...Array.from({ length: 10 }, (_, i) => disruption({ id: `d-major-${i}`, primaryNetworkId: `net-id-${i}`, outcomes: { arrests: 2, cashSeized: 100 } })),
    ...Array.from({ length: 7 }, (_, i) => disruption({ id: `d-moderate-${i}`, primaryNetworkId: `net-id-${10 + i}`, level: 'moderate', claimingBusinessGroup: 'TP', outcomes: { arrests: 1 } })),
    disruption({ id: 'd-minor', primaryNetworkId: 'net-id-17', level: 'minor', activityEnd: '2026-03-01', validatedOn: '2026-03-20', outcomes: { cashSeized: 5000 } }),
    disruption({ id: 'd-draft', primaryNetworkId: 'net-id-30', status: 'draft', validatedOn: null }),
  ];
  return {
    period: FY,
    today: '2026-06-30',
    populationAsOf: '2026-03-31',
    rules: 'internal-1',
    disruptions,
    networks,
    reviews: [],
    harmOf: (networkId, _from, to) => (to === '2026-03-01' ? { before: 40, after: null, isPending: true } : { before: networkId === 'net-id-0' ? 30 : 10, after: 5, isPending: false }),
    ...over,
  };
}

function table(build: { sections: { tables: ReportTable[] }[] }, id: string): ReportTable {
  const t = build.sections.flatMap((s) => s.tables).find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return t;
}

const texts = (t: ReportTable) => t.rows.map((r) => r.cells.map((c) => c.text));

describe('buildCorporateReturn, internal rules', () => {
  const build = buildCorporateReturn(source());

  it('networks disrupted by highest level, split by harm measured or pending, under internal disclosure', () => {
    expect(build.counts.networksDisrupted).toEqual({ major: 10, moderate: 7, minor: 1, total: 18 });
    const expected = protectTable({ rows: ['Major', 'Moderate', 'Minor'], cols: ['Harm measured', 'Harm pending'], cells: [[10, 0], [7, 0], [0, 1]], kind: 'count', withTotals: true }, 'internal-1');
    const t = table(build, 'networks_by_level');
    expect(t.columns.map((c) => c.label)).toEqual(['Level', 'Harm measured', 'Harm pending', 'Networks disrupted']);
    expect(texts(t)).toEqual([
      ['Major', ...expected.cells[0]!.map((c) => c.display), expected.rowTotals![0]!.display],
      ['Moderate', ...expected.cells[1]!.map((c) => c.display), expected.rowTotals![1]!.display],
      ['Minor', ...expected.cells[2]!.map((c) => c.display), expected.rowTotals![2]!.display],
      ['All levels', ...expected.colTotals!.map((c) => c.display), expected.grandTotal!.display],
    ]);
    expect(texts(t)[0]).toEqual(['Major', '10', '0', '10']);
    // The single pending network is a small count, and something else is withheld so the totals cannot give it away.
    expect(texts(t)[2]![2]).toBe('<5');
    expect(t.rows.flatMap((r) => r.cells).some((c) => c.text === '[c]')).toBe(true);
    expect(t.rows.flatMap((r) => r.cells).filter((c) => c.isSuppressed).every((c) => c.value === null)).toBe(true);
  });

  it('by claiming business group: every group listed, figures as counted, no column totals (a network can count in two groups)', () => {
    const t = table(build, 'networks_by_business_group');
    const expected = protectTable(
      { rows: ['SCD', 'TP', 'SO', 'CO', 'Partner'], cols: ['Major', 'Moderate', 'Minor'], cells: [[10, 0, 1], [0, 7, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], kind: 'count', withTotals: true },
      'internal-1',
    );
    expect(texts(t)).toEqual(expected.rows.map((label, r) => [label, ...expected.cells[r]!.map((c) => c.display), expected.rowTotals![r]!.display]));
    expect(t.rows.some((r) => r.isTotal)).toBe(false);
    expect(texts(t)[0]![3]).toBe('<5');
  });

  it('Band A share: 12 of 12 Band A networks disrupted, shown to one decimal place', () => {
    expect(texts(table(build, 'band_a_share'))).toEqual([
      ['Band A networks', '12'],
      ['Band A networks disrupted in the period', '12'],
      ['Share of Band A disrupted', '100.0%'],
    ]);
  });

  it('no percentage on a denominator under 10', () => {
    const small = buildCorporateReturn(source({ networks: source().networks.map((n, i) => ({ ...n, band: i < 6 ? 'A' : 'C' })) }));
    expect(texts(table(small, 'band_a_share'))).toEqual([
      ['Band A networks', '6'],
      ['Band A networks disrupted in the period', '6'],
      ['Share of Band A disrupted', '—'],
    ]);
  });

  it('events by month: the draft never counts; the table is the chart, and its period total is the events figure', () => {
    expect(build.counts.events).toEqual({ major: 10, moderate: 7, minor: 1, total: 18 });
    const months = ['Apr 2025', 'May 2025', 'Jun 2025', 'Jul 2025', 'Aug 2025', 'Sep 2025', 'Oct 2025', 'Nov 2025', 'Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026'];
    const cells = months.map((m) => (m === 'Jun 2025' ? [10, 7, 0] : m === 'Mar 2026' ? [0, 0, 1] : [0, 0, 0]));
    const expected = protectTable({ rows: months, cols: ['Major', 'Moderate', 'Minor'], cells, kind: 'count', withTotals: true }, 'internal-1');
    const t = table(build, 'events_by_month');
    expect(texts(t)).toEqual([
      ...months.map((m, r) => [m, ...expected.cells[r]!.map((c) => c.display), expected.rowTotals![r]!.display]),
      ['Period total', ...expected.colTotals!.map((c) => c.display), expected.grandTotal!.display],
    ]);
    expect(texts(t)[11]![3]).toBe('<5');
    expect(build.charts.disruptionsPerMonth.map((m) => [m.label, m.major.text, m.moderate.text, m.minor.text])).toEqual(months.map((m, r) => [m, ...expected.cells[r]!.map((c) => c.display)]));
    expect(build.charts.disruptionsPerMonth[11]!.minor).toEqual({ value: null, text: '<5' });
  });

  it('outcomes: counts protected, money withheld where one record is more than half the total', () => {
    expect(texts(table(build, 'outcome_counts'))[0]).toEqual(['Arrests', '27']);
    // £1,000 from ten records and £5,000 from one: the one is 83% of the total.
    expect(texts(table(build, 'outcome_money'))[0]).toEqual(['Cash seized', '[c]']);
    const withoutBig = buildCorporateReturn(source({ disruptions: source().disruptions.filter((d) => d.id !== 'd-minor') }));
    expect(texts(table(withoutBig, 'outcome_money'))[0]).toEqual(['Cash seized', '£1,000']);
  });

  it('harm before and after over measured networks only, with dominance and the change', () => {
    // Measured: 17 networks, before 30 + 16 × 10 = 190, after 17 × 5 = 85; the pending one is left out.
    expect(texts(table(build, 'harm_before_after'))).toEqual([
      ['Six months before', '190 harm-days'],
      ['Six months after', '85 harm-days'],
      ['Change', '55.3% lower'],
    ]);
    // Here all 18 are measured, and one network holds nearly all the harm before.
    const dominated = buildCorporateReturn(source({ harmOf: (id) => ({ before: id === 'net-id-0' ? 1000 : 1, after: 1, isPending: false }) }));
    expect(texts(table(dominated, 'harm_before_after'))).toEqual([
      ['Six months before', '[c]'],
      ['Six months after', '18 harm-days'],
    ]);
  });

  it('the population table is networks on the matrix by group, type and band; the chart is its band totals', () => {
    const t = table(build, 'population_by_band');
    expect(t.rows).toHaveLength(16);
    expect(texts(t).find((r) => r[0] === 'SCD: gang')).toEqual(['SCD: gang', '12', '0', '28', '0', '40']);
    expect(build.charts.networksByBand.map((b) => [b.band, b.text])).toEqual([
      ['A', '12'],
      ['B', '0'],
      ['C', '28'],
      ['below_threshold', '0'],
    ]);
  });

  it('carries no network id, and nothing but fixed labels and figures', () => {
    const out = JSON.stringify({ sections: build.sections, charts: build.charts });
    expect(out).not.toContain('net-id-');
    expect(out).not.toContain('d-major');
  });
});

describe('buildCorporateReturn, public rules', () => {
  const build = buildCorporateReturn(source({ rules: 'public-1' }));

  it('counts under 10 withheld as [c], the rest rounded to the nearest 5', () => {
    expect(texts(table(build, 'outcome_counts'))[0]).toEqual(['Arrests', '25']);
    expect(texts(table(build, 'networks_by_level'))[0]![1]).toBe('10');
    expect(texts(table(build, 'networks_by_level'))[1]![1]).toBe('[c]');
    expect(build.sections.flatMap((s) => s.tables).flatMap((t) => t.rows.flatMap((r) => r.cells)).some((c) => c.text === '<5')).toBe(false);
  });

  it('Band A share: a whole percentage', () => {
    expect(texts(table(build, 'band_a_share'))[2]).toEqual(['Share of Band A disrupted', '100%']);
  });
});

describe('outcomeRecords', () => {
  it('one record per partner reference and primary network: the first validated, then the lowest id', () => {
    const records = [
      disruption({ id: 'b', primaryNetworkId: 'n1', partnerReference: 'OP-9', validatedOn: '2025-07-02' }),
      disruption({ id: 'a', primaryNetworkId: 'n1', partnerReference: ' op-9', validatedOn: '2025-07-02' }),
      disruption({ id: 'c', primaryNetworkId: 'n1', partnerReference: 'OP-9 ', validatedOn: '2025-07-01' }),
      disruption({ id: 'd', primaryNetworkId: 'n2', partnerReference: 'OP-9', validatedOn: '2025-07-03' }),
      disruption({ id: 'e', primaryNetworkId: 'n1', validatedOn: '2025-07-03' }),
      disruption({ id: 'f', primaryNetworkId: 'n1', validatedOn: '2026-04-01' }),
      disruption({ id: 'g', primaryNetworkId: 'n1', status: 'rejected', validatedOn: null, rejectedOn: '2025-07-03' }),
    ];
    expect(outcomeRecords(records, FY).map((r) => r.id)).toEqual(['c', 'd', 'e']);
    expect(outcomeRecords(records.filter((r) => r.id !== 'c'), FY).map((r) => r.id)).toEqual(['a', 'd', 'e']);
  });
});
