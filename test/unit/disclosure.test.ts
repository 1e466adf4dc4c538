import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DisclosureInputError,
  protectCount,
  protectPercentage,
  protectTable,
  resolveRuleSet,
  RULE_SETS,
  type ProtectedTable,
  type RuleSetId,
  type TableInput,
} from '../../main/domain/disclosure';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function counts(cells: number[][], withTotals = true): TableInput {
  return {
    rows: cells.map((_, r) => `row ${r + 1}`),
    cols: (cells[0] ?? []).map((_, c) => `col ${c + 1}`),
    cells,
    kind: 'count',
    withTotals,
  };
}

/** The table as a person sees it: cells with row totals, then the column totals and grand total. */
function shown(p: ProtectedTable): string[][] {
  const lines = p.cells.map((line, r) => [
    ...line.map((c) => c.display),
    ...(p.rowTotals ? [p.rowTotals[r]!.display] : []),
  ]);
  if (p.colTotals && p.grandTotal) lines.push([...p.colTotals.map((c) => c.display), p.grandTotal.display]);
  return lines;
}

/** Withheld positions of the extended grid (totals in the last row and column), from the output only. */
function withheldGrid(p: ProtectedTable): boolean[][] {
  const grid = p.cells.map((line, r) => [
    ...line.map((c) => c.isSuppressed),
    ...(p.rowTotals ? [p.rowTotals[r]!.isSuppressed] : []),
  ]);
  if (p.colTotals && p.grandTotal) grid.push([...p.colTotals.map((c) => c.isSuppressed), p.grandTotal.isSuppressed]);
  return grid;
}

function trueGrid(cells: number[][]): number[][] {
  const R = cells.length;
  const C = cells[0]!.length;
  const grid = cells.map((line) => [...line, line.reduce((a, b) => a + b, 0)]);
  const totals = Array.from({ length: C + 1 }, (_, c) => grid.reduce((sum, line) => sum + line[c]!, 0));
  grid.push(totals);
  expect(grid.length).toBe(R + 1);
  return grid;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** Rank over the rationals by fraction-free elimination on integers (exact, no tolerance). */
function rank(matrix: bigint[][]): number {
  const rows = matrix.map((r) => [...r]);
  const width = rows[0]?.length ?? 0;
  let rankSoFar = 0;
  for (let col = 0; col < width && rankSoFar < rows.length; col++) {
    const pivot = rows.findIndex((r, i) => i >= rankSoFar && r[col] !== 0n);
    if (pivot < 0) continue;
    [rows[rankSoFar], rows[pivot]] = [rows[pivot]!, rows[rankSoFar]!];
    const p = rows[rankSoFar]!;
    for (let i = 0; i < rows.length; i++) {
      if (i === rankSoFar || rows[i]![col] === 0n) continue;
      const f = rows[i]![col]!;
      const next = rows[i]!.map((v, j) => v * p[col]! - p[j]! * f);
      const g = next.reduce((acc, v) => gcd(acc, v), 0n);
      rows[i] = g > 1n ? next.map((v) => v / g) : next;
    }
    rankSoFar++;
  }
  return rankSoFar;
}

/**
 * Which withheld figures of an extended grid (inner cells, then totals in the last row and
 * column) can be worked out exactly from the published ones: figure k is recoverable when the
 * unit vector e_k lies in the row space of the line equations restricted to the unknowns, i.e.
 * when adding e_k as an equation does not raise the rank. Every line says: its inner figures
 * add up to its last figure.
 */
function recoverable(withheld: boolean[][]): Array<[number, number]> {
  const nr = withheld.length;
  const nc = withheld[0]!.length;
  const unknowns: Array<[number, number]> = [];
  for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) if (withheld[r]![c]) unknowns.push([r, c]);
  const index = new Map(unknowns.map(([r, c], i) => [r * nc + c, i]));
  const equations: bigint[][] = [];
  const addLine = (cells: Array<[number, number]>): void => {
    const eq = new Array<bigint>(unknowns.length).fill(0n);
    cells.forEach(([r, c], i) => {
      const k = index.get(r * nc + c);
      if (k !== undefined) eq[k] = i === cells.length - 1 ? -1n : 1n;
    });
    if (eq.some((v) => v !== 0n)) equations.push(eq);
  };
  for (let r = 0; r < nr; r++) addLine(Array.from({ length: nc }, (_, c) => [r, c] as [number, number]));
  for (let c = 0; c < nc; c++) addLine(Array.from({ length: nr }, (_, r) => [r, c] as [number, number]));
  if (equations.length === 0) return [];
  const base = rank(equations);
  return unknowns.filter((_, k) => {
    const unit = new Array<bigint>(unknowns.length).fill(0n);
    unit[k] = 1n;
    return rank([...equations, unit]) === base;
  });
}

/**
 * Line by line, what an attacker who knows the rules learns about each withheld internal count:
 * "<5" is 1 to 4, "[c]" is 0 or at least 5, and the withheld figures of a line whose total is
 * published add up to the total minus the published figures. Returns the lines where some
 * withheld figure has only one possible value. Brute force over sums, independent of the
 * interval arithmetic in the module.
 */
function pinnedLines(p: ProtectedTable, grid: number[][]): string[] {
  const display: string[][] = p.cells.map((line, r) => [
    ...line.map((c) => c.display),
    p.rowTotals![r]!.display,
  ]);
  display.push([...p.colTotals!.map((c) => c.display), p.grandTotal!.display]);
  const nr = grid.length;
  const nc = grid[0]!.length;
  const problems: string[] = [];
  const check = (name: string, cells: Array<[number, number]>): void => {
    const [tr, tc] = cells[cells.length - 1]!;
    if (display[tr]![tc] === '<5' || display[tr]![tc] === '[c]') return;
    const inner = cells.slice(0, -1);
    const hidden = inner.filter(([r, c]) => display[r]![c] === '<5' || display[r]![c] === '[c]');
    if (hidden.length === 0) return;
    const published = inner
      .filter(([r, c]) => !hidden.some(([hr, hc]) => hr === r && hc === c))
      .reduce((sum, [r, c]) => sum + grid[r]![c]!, 0);
    const remainder = grid[tr]![tc]! - published;
    const allowed = ([r, c]: [number, number], v: number): boolean =>
      display[r]![c] === '<5' ? v >= 1 && v <= 4 : v === 0 || v >= 5;
    hidden.forEach((cell, i) => {
      // Sums reachable by the other withheld figures of the line.
      let reach = new Array<boolean>(remainder + 1).fill(false);
      reach[0] = true;
      hidden.forEach((other, j) => {
        if (j === i) return;
        const next = new Array<boolean>(remainder + 1).fill(false);
        for (let s = 0; s <= remainder; s++) {
          if (!reach[s]) continue;
          for (let v = 0; s + v <= remainder; v++) if (allowed(other, v)) next[s + v] = true;
        }
        reach = next;
      });
      const possible: number[] = [];
      for (let v = 0; v <= remainder; v++) if (allowed(cell, v) && reach[remainder - v]) possible.push(v);
      if (possible.length < 2) problems.push(`${name}: cell ${cell.join(',')} can only be ${possible.join('/')}`);
    });
  };
  for (let r = 0; r < nr; r++) check(`row ${r}`, Array.from({ length: nc }, (_, c) => [r, c] as [number, number]));
  for (let c = 0; c < nc; c++) check(`col ${c}`, Array.from({ length: nr }, (_, r) => [r, c] as [number, number]));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Rule sets
// ---------------------------------------------------------------------------------------------

describe('rule sets', () => {
  it('are recorded by id and version in every table', () => {
    const p = protectTable(counts([[5]]), 'internal-1');
    expect(p.ruleSet).toEqual({
      id: 'internal-1',
      version: 1,
      description: RULE_SETS['internal-1'].description,
    });
    expect(protectTable(counts([[5]]), 'public-1').ruleSet.id).toBe('public-1');
  });

  it('resolve from the names people type', () => {
    expect(resolveRuleSet('internal').id).toBe('internal-1');
    expect(resolveRuleSet(' PUBLIC ').id).toBe('public-1');
    expect(resolveRuleSet('public-1').id).toBe('public-1');
    expect(() => resolveRuleSet('open')).toThrow(
      '"open" is not a disclosure rule set. Use internal or public (or internal-1, public-1).',
    );
  });

  it('refuse an unknown rule set id from an untyped caller', () => {
    expect(() => protectCount(3, 'internal-2' as RuleSetId)).toThrow(DisclosureInputError);
    expect(() => protectTable(counts([[3]]), 'x' as RuleSetId)).toThrow(DisclosureInputError);
  });
});

// ---------------------------------------------------------------------------------------------
// Single figures
// ---------------------------------------------------------------------------------------------

describe('protectCount', () => {
  it.each([
    [0, 0, '0'],
    [1, null, '<5'],
    [4, null, '<5'],
    [5, 5, '5'],
    [9, 9, '9'],
    [1234, 1234, '1,234'],
    [1234567, 1234567, '1,234,567'],
  ])('internal: %i has value %s and is shown as "%s"', (n, value, display) => {
    const cell = protectCount(n, 'internal-1');
    expect(cell.value).toBe(value);
    expect(cell.display).toBe(display);
    expect(cell.isSuppressed).toBe(value === null);
    if (value === null) expect(cell.reason).toBe('primary');
    else expect(cell.reason).toBeUndefined();
  });

  it.each([
    [0, 0, '0'],
    [1, null, '[c]'],
    [9, null, '[c]'],
    [10, 10, '10'],
    [12, 10, '10'],
    [13, 15, '15'],
    [17, 15, '15'],
    [18, 20, '20'],
    [1232, 1230, '1,230'],
    [1233, 1235, '1,235'],
  ])('public: %i has value %s and is shown as "%s"', (n, value, display) => {
    const cell = protectCount(n, 'public-1');
    expect(cell.value).toBe(value);
    expect(cell.display).toBe(display);
    expect(cell.isSuppressed).toBe(value === null);
  });

  it.each([-1, 2.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (n) => {
    expect(() => protectCount(n, 'internal-1')).toThrow(DisclosureInputError);
  });
});

describe('protectPercentage', () => {
  it('shows none on a denominator of 9, and shows it on 10', () => {
    expect(protectPercentage(5, 9, 'internal-1')).toEqual({
      value: null,
      display: '—',
      isSuppressed: true,
      reason: 'denominator_under_10',
      explanation: 'Not shown: a percentage needs a denominator of at least 10.',
    });
    expect(protectPercentage(5, 10, 'internal-1')).toEqual({
      value: 50,
      display: '50.0%',
      isSuppressed: false,
    });
    expect(protectPercentage(0, 9, 'internal-1').reason).toBe('denominator_under_10');
    expect(protectPercentage(0, 10, 'internal-1').display).toBe('0.0%');
  });

  it('shows none whose numerator would be withheld, or was withheld in its table', () => {
    expect(protectPercentage(3, 40, 'internal-1')).toMatchObject({
      value: null,
      display: '—',
      reason: 'numerator_withheld',
    });
    expect(protectPercentage(9, 40, 'public-1').reason).toBe('numerator_withheld');
    expect(protectPercentage(5, 40, 'internal-1').display).toBe('12.5%');
    expect(protectPercentage(20, 40, 'internal-1', { isNumeratorWithheld: true }).reason).toBe(
      'numerator_withheld',
    );
  });

  it('internal shows one decimal place, public a whole number', () => {
    expect(protectPercentage(12, 37, 'internal-1')).toMatchObject({ value: 32.4, display: '32.4%' });
    expect(protectPercentage(12, 37, 'public-1')).toMatchObject({ value: 32, display: '32%' });
    expect(protectPercentage(37, 37, 'public-1').display).toBe('100%');
  });

  it('refuses a numerator above the denominator or a figure that is not a count', () => {
    expect(() => protectPercentage(11, 10, 'internal-1')).toThrow(
      'The numerator (11) is larger than the denominator (10).',
    );
    expect(() => protectPercentage(1.5, 10, 'internal-1')).toThrow(DisclosureInputError);
    expect(() => protectPercentage(1, -10, 'internal-1')).toThrow(DisclosureInputError);
  });
});

// ---------------------------------------------------------------------------------------------
// Tables: exact cases
// ---------------------------------------------------------------------------------------------

describe('count tables, internal', () => {
  it('primary suppression only, when no totals are published', () => {
    const p = protectTable(counts([[3, 10], [20, 0]], false), 'internal-1');
    expect(shown(p)).toEqual([
      ['<5', '10'],
      ['20', '0'],
    ]);
    expect(p.rowTotals).toBeNull();
    expect(p.colTotals).toBeNull();
    expect(p.grandTotal).toBeNull();
    expect(p.suppressed).toEqual([{ row: 0, col: 0, reason: 'primary' }]);
    expect(p.cells[0]![0]).toEqual({ value: null, display: '<5', isSuppressed: true, reason: 'primary' });
    expect(p.cells[0]![1]).toEqual({ value: 10, display: '10', isSuppressed: false });
  });

  it('2 × 2: with totals one "<5" forces the whole inner table to be withheld', () => {
    // Row 1 total 13 minus 10 would give the 3 back; so would column 1. Any complement in a
    // 2 × 2 table leaves another line with one unknown until all four are withheld.
    const p = protectTable(counts([[3, 10], [20, 30]]), 'internal-1');
    expect(shown(p)).toEqual([
      ['<5', '[c]', '13'],
      ['[c]', '[c]', '50'],
      ['23', '40', '63'],
    ]);
    expect(p.suppressed).toEqual([
      { row: 0, col: 0, reason: 'primary' },
      { row: 0, col: 1, reason: 'secondary' },
      { row: 1, col: 0, reason: 'secondary' },
      { row: 1, col: 1, reason: 'secondary' },
    ]);
  });

  it('3 × 3: the cheapest rectangle of complements is chosen', () => {
    // Rectangles through the 3 (sum of the three complements): 10+8+12 = 30 beats 7+20+6 = 33,
    // 7+8+40 = 55 and 10+20+30 = 60, and any rectangle using a total.
    const p = protectTable(
      counts([
        [3, 10, 7],
        [20, 30, 6],
        [8, 12, 40],
      ]),
      'internal-1',
    );
    expect(shown(p)).toEqual([
      ['<5', '[c]', '7', '20'],
      ['20', '30', '6', '56'],
      ['[c]', '[c]', '40', '60'],
      ['31', '52', '53', '136'],
    ]);
    expect(p.suppressed.map((s) => [s.row, s.col, s.reason])).toEqual([
      [0, 0, 'primary'],
      [0, 1, 'secondary'],
      [2, 0, 'secondary'],
      [2, 1, 'secondary'],
    ]);
  });

  it('a row with one small cell and zeros elsewhere: its total is withheld too, and protected', () => {
    // The row total equals the cell, so it is a "<5" itself. A rectangle through the totals
    // column (12 and the row total 60) protects both; zeros are not used as complements.
    const p = protectTable(
      counts([
        [0, 3, 0],
        [20, 30, 6],
        [8, 12, 40],
      ]),
      'internal-1',
    );
    expect(shown(p)).toEqual([
      ['0', '<5', '0', '<5'],
      ['20', '30', '6', '56'],
      ['8', '[c]', '40', '[c]'],
      ['28', '45', '46', '119'],
    ]);
    expect(p.suppressed).toEqual([
      { row: 0, col: 1, reason: 'primary' },
      { row: 0, col: 'total', reason: 'primary' },
      { row: 2, col: 1, reason: 'secondary' },
      { row: 2, col: 'total', reason: 'secondary' },
    ]);
    expect(p.rowTotals![0]).toEqual({ value: null, display: '<5', isSuppressed: true, reason: 'primary' });
  });

  it('a "<5" and a complement of 5 alone in a row would pin both (1 + 5 = 6): another is withheld', () => {
    // Without the bounds check the rectangle 1, 5, 40, 50 would do for the line equations, but
    // the row then reads "<5" + "[c]" = 6, and "[c]" is 0 or at least 5: only 1 and 5 fit.
    const p = protectTable(counts([[1, 5, 30], [40, 50, 60]]), 'internal-1');
    expect(shown(p)).toEqual([
      ['<5', '[c]', '[c]', '36'],
      ['[c]', '[c]', '[c]', '150'],
      ['41', '55', '90', '186'],
    ]);
  });

  it('two "<5" adding up to 2 would both be 1: another is withheld', () => {
    const p = protectTable(counts([[1, 1, 30], [40, 50, 60]]), 'internal-1');
    expect(shown(p)[0]).toEqual(['<5', '<5', '[c]', '32']);
    expect(pinnedLines(p, trueGrid([[1, 1, 30], [40, 50, 60]]))).toEqual([]);
  });

  it('a table with nothing small is published whole, with exact totals', () => {
    const p = protectTable(counts([[5, 10], [0, 2000]]), 'internal-1');
    expect(shown(p)).toEqual([
      ['5', '10', '15'],
      ['0', '2,000', '2,000'],
      ['5', '2,010', '2,015'],
    ]);
    expect(p.suppressed).toEqual([]);
    expect(p.grandTotal).toEqual({ value: 2015, display: '2,015', isSuppressed: false });
  });

  it('a one-column table (levels) with totals: column total and row totals are the same figures', () => {
    const p = protectTable(counts([[3], [20], [8], [50]]), 'internal-1');
    expect(shown(p)).toEqual([
      ['<5', '<5'],
      ['20', '20'],
      ['[c]', '[c]'],
      ['50', '50'],
      ['81', '81'],
    ]);
  });

  it('withheld figures carry no trace of their value', () => {
    const p = protectTable(counts([[3, 1237], [2341, 3119]]), 'internal-1');
    const json = JSON.stringify(p);
    for (const secret of ['1237', '1,237', '2341', '2,341', '3119', '3,119']) expect(json).not.toContain(secret);
    expect(p.cells.flat().every((c) => c.value === null && c.isSuppressed)).toBe(true);
    // Totals are published: 1240, 5460, 2344, 4356, 7800.
    expect(p.rowTotals!.map((c) => c.value)).toEqual([1240, 5460]);
  });
});

describe('count tables, public', () => {
  it('rounds every figure to 5 from its true value; totals are not the sum of rounded cells', () => {
    const p = protectTable(counts([[12, 12, 12], [25, 40, 22]]), 'public-1');
    expect(shown(p)).toEqual([
      ['10', '10', '10', '35'],
      ['25', '40', '20', '85'],
      ['35', '50', '35', '125'],
    ]);
    expect(p.rowTotals![0]!.value).toBe(35); // true 36; the rounded cells add up to 30
    expect(p.suppressed).toEqual([]);
  });

  it('a count of 9 is withheld, with complements; totals still come from the true values', () => {
    const p = protectTable(counts([[9, 40], [30, 50]]), 'public-1');
    expect(shown(p)).toEqual([
      ['[c]', '[c]', '50'],
      ['[c]', '[c]', '80'],
      ['40', '90', '130'],
    ]);
    expect(p.suppressed[0]).toEqual({ row: 0, col: 0, reason: 'primary' });
  });

  it('a one-row table: the column totals repeat the cells, so they are withheld with them', () => {
    const p = protectTable(counts([[3, 40]]), 'public-1');
    expect(shown(p)).toEqual([
      ['[c]', '[c]', '45'],
      ['[c]', '[c]', '45'],
    ]);
    expect(p.suppressed).toEqual([
      { row: 0, col: 0, reason: 'primary' },
      { row: 0, col: 1, reason: 'secondary' },
      { row: 'total', col: 0, reason: 'primary' },
      { row: 'total', col: 1, reason: 'secondary' },
    ]);
  });

  it('a small grand total is withheld', () => {
    const p = protectTable(counts([[0, 7], [0, 0]]), 'public-1');
    expect(p.grandTotal).toMatchObject({ value: null, isSuppressed: true, reason: 'primary' });
  });
});

describe('money and weight tables: dominance', () => {
  const money = (contributions: number[][][], withTotals = false): TableInput => ({
    rows: contributions.map((_, r) => `row ${r + 1}`),
    cols: contributions[0]!.map((_, c) => `col ${c + 1}`),
    cells: contributions.map((line) => line.map((records) => records.reduce((a, b) => a + b, 0))),
    contributions,
    kind: 'money',
    withTotals,
  });

  it('one record of exactly half is shown; one of 50.01% is withheld', () => {
    const p = protectTable(money([[[5000, 5000], [5001, 4999]]]), 'internal-1');
    expect(p.cells[0]![0]).toEqual({ value: 10000, display: '£10,000', isSuppressed: false });
    expect(p.cells[0]![1]).toEqual({ value: null, display: '[c]', isSuppressed: true, reason: 'dominance' });
    expect(p.suppressed).toEqual([{ row: 0, col: 1, reason: 'dominance' }]);
  });

  it('the same with only the largest contribution given, and for weight', () => {
    const p = protectTable(
      {
        rows: ['cocaine'],
        cols: ['seized', 'imported'],
        cells: [[1000, 1000]],
        largestContributions: [[500, 500.1]],
        kind: 'weight',
        withTotals: false,
      },
      'public-1',
    );
    expect(p.cells[0]!.map((c) => c.display)).toEqual(['1,000 g', '[c]']);
    expect(p.cells[0]![1]!.reason).toBe('dominance');
  });

  it('a single record is always dominant; an empty cell is not', () => {
    const p = protectTable(money([[[250], []]]), 'internal-1');
    expect(p.cells[0]!.map((c) => c.display)).toEqual(['[c]', '£0']);
  });

  it('secondary suppression protects a dominated cell from the totals', () => {
    const p = protectTable(
      money(
        [
          [[50, 50], [1000.2, 999.8]],
          [[2000, 1500, 1500], [1000, 1000, 1000]],
        ],
        true,
      ),
      'internal-1',
    );
    expect(shown(p)).toEqual([
      ['[c]', '[c]', '£2,100'],
      ['[c]', '[c]', '£8,000'],
      ['£5,100', '£5,000', '£10,100'],
    ]);
    expect(p.suppressed.map((s) => s.reason)).toEqual(['secondary', 'dominance', 'secondary', 'secondary']);
  });

  it('a total where one record is more than half is withheld for dominance', () => {
    // The 900 is a single record (dominant in its cell); the other cell's records are exactly
    // half each (shown). Row total 1,000 and grand total 1,000 are dominated by the 900 as well.
    const p = protectTable(money([[[900], [50, 50]]], true), 'internal-1');
    expect(shown(p)).toEqual([
      ['[c]', '£100', '[c]'],
      ['[c]', '£100', '[c]'],
    ]);
    expect(p.suppressed).toEqual([
      { row: 0, col: 0, reason: 'dominance' },
      { row: 0, col: 'total', reason: 'dominance' },
      { row: 'total', col: 0, reason: 'dominance' },
      { row: 'total', col: 'total', reason: 'dominance' },
    ]);
  });
});

describe('input checks', () => {
  it.each([
    [{ ...counts([[1, 2]]), rows: [] as string[] }, 'at least one row and one column'],
    [{ ...counts([[1, 2]]), rows: ['a', 'b'] }, 'The table has 2 row labels but 1 rows of figures.'],
    [counts([[1, 2], [3]]), 'Row 2 ("row 2") has 1 figures; the table has 2 columns.'],
    [counts([[1, -2]]), 'The figure in row 1, column 2 must be a whole number, 0 or more; got -2.'],
    [counts([[1, 2.5]]), 'must be a whole number'],
    [{ ...counts([[1]]), contributions: [[[1]]] }, 'Record contributions apply only to money and weight tables.'],
    [{ ...counts([[1]]), kind: 'money' as const }, 'needs either each record'],
    [
      { ...counts([[10]]), kind: 'money' as const, contributions: [[[4, 5]]] },
      "The contributions in row 1, column 1 add up to 9, not to the cell's 10.",
    ],
    [
      { ...counts([[10]]), kind: 'money' as const, largestContributions: [[11]] },
      "The largest contribution in row 1, column 1 must be from 0 to the cell's 10; got 11.",
    ],
    [
      { ...counts([[10]]), kind: 'money' as const, largestContributions: [[2]], contributions: [[[10]]] },
      'one of the two',
    ],
    [{ ...counts([[1]]), kind: 'percent' as unknown as 'count' }, 'Table kind must be count, money or weight'],
  ])('refuses a malformed table (%#)', (table, message) => {
    expect(() => protectTable(table as TableInput, 'internal-1')).toThrow(DisclosureInputError);
    expect(() => protectTable(table as TableInput, 'internal-1')).toThrow(message);
  });
});

// ---------------------------------------------------------------------------------------------
// The checks behind the property tests can fail
// ---------------------------------------------------------------------------------------------

describe('the recovery check', () => {
  it('finds the joining cell of two withheld blocks that pass the "two per line" rule', () => {
    // 4 × 4 inner table plus totals (5 × 5 grid). Two 2 × 2 blocks joined by (1, 2): every row
    // and column holds zero or at least two withheld cells, yet rows 0+1 minus columns 0+1
    // leave (1, 2) alone.
    const withheld = Array.from({ length: 5 }, () => new Array<boolean>(5).fill(false));
    for (const [r, c] of [
      [0, 0], [0, 1], [1, 0], [1, 1],
      [2, 2], [2, 3], [3, 2], [3, 3],
      [1, 2],
    ] as const) withheld[r]![c] = true;
    for (const line of [...withheld, ...withheld[0]!.map((_, c) => withheld.map((row) => row[c]!))]) {
      const n = line.filter(Boolean).length;
      expect(n === 0 || n >= 2).toBe(true);
    }
    expect(recoverable(withheld)).toEqual([[1, 2]]);
  });

  it('finds a lone withheld cell, and none in a rectangle', () => {
    const lone = [
      [true, false, false],
      [false, false, false],
      [false, false, false],
    ];
    expect(recoverable(lone)).toEqual([[0, 0]]);
    const rectangle = [
      [true, true, false],
      [true, true, false],
      [false, false, false],
    ];
    expect(recoverable(rectangle)).toEqual([]);
  });

  it('the bounds check finds a "<5" pinned by a complement of 5', () => {
    const fake: ProtectedTable = protectTable(counts([[1, 5, 30], [40, 50, 60]]), 'internal-1');
    // Re-open the 30 and 60 as if only the rectangle had been withheld.
    fake.cells[0]![2] = { value: 30, display: '30', isSuppressed: false };
    fake.cells[1]![2] = { value: 60, display: '60', isSuppressed: false };
    expect(pinnedLines(fake, trueGrid([[1, 5, 30], [40, 50, 60]]))).toEqual([
      'row 0: cell 0,0 can only be 1',
      'row 0: cell 0,1 can only be 5',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------------

/** Many small values, some zeros, some larger: the mix that makes suppression hard. */
const figure = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 3, arbitrary: fc.integer({ min: 5, max: 9 }) },
  { weight: 3, arbitrary: fc.integer({ min: 10, max: 40 }) },
  { weight: 1, arbitrary: fc.integer({ min: 41, max: 400 }) },
);

const table = fc
  .tuple(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }))
  .chain(([R, C]) => fc.array(fc.array(figure, { minLength: C, maxLength: C }), { minLength: R, maxLength: R }));

function checkProtected(cells: number[][], rules: RuleSetId): void {
  const set = RULE_SETS[rules];
  const p = protectTable(counts(cells), rules);
  const grid = trueGrid(cells);
  const withheld = withheldGrid(p);
  const displayed = [
    ...p.cells.map((line, r) => [...line, p.rowTotals![r]!]),
    [...p.colTotals!, p.grandTotal!],
  ];

  displayed.forEach((line, r) =>
    line.forEach((cell, c) => {
      const truth = grid[r]![c]!;
      // Every small count is withheld as primary.
      if (truth >= 1 && truth < set.smallCountThreshold) expect(cell.reason).toBe('primary');
      if (cell.isSuppressed) {
        expect(cell.value).toBeNull();
        expect(['<5', '[c]']).toContain(cell.display);
      } else if (rules === 'internal-1') {
        expect(cell.value).toBe(truth);
      } else {
        // Public: rounded from the true figure, and never a number under 10 other than 0.
        expect(cell.value).toBe(Math.round(truth / 5) * 5);
        expect(cell.value! % 5).toBe(0);
        expect(cell.value === 0 || cell.value! >= 10).toBe(true);
      }
    }),
  );

  // The suppressed list and the grid agree.
  expect(p.suppressed.length).toBe(withheld.flat().filter(Boolean).length);

  // Line by line: a line with a withheld figure holds at least two, or its own total is
  // withheld as well (its last figure is the total).
  const lines = [...withheld, ...withheld[0]!.map((_, c) => withheld.map((row) => row[c]!))];
  for (const line of lines) {
    const n = line.filter(Boolean).length;
    expect(n === 0 || n >= 2).toBe(true);
  }

  // The whole linear system: no withheld figure is determined by the published ones.
  expect(recoverable(withheld)).toEqual([]);

  if (rules === 'internal-1') expect(pinnedLines(p, grid)).toEqual([]);
}

describe('property: no withheld figure can be recovered from the published cells and totals', () => {
  it('internal-1, 500 random tables up to 8 × 8', () => {
    fc.assert(
      fc.property(table, (cells) => checkProtected(cells, 'internal-1')),
      { numRuns: 500 },
    );
  });

  it('public-1, 500 random tables up to 8 × 8', () => {
    fc.assert(
      fc.property(table, (cells) => checkProtected(cells, 'public-1')),
      { numRuns: 500 },
    );
  });

  it('money tables: dominated cells withheld and not recoverable', () => {
    const contributions = fc
      .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
      .chain(([R, C]) =>
        fc.array(
          fc.array(fc.array(fc.integer({ min: 1, max: 5000 }), { maxLength: 4 }), { minLength: C, maxLength: C }),
          { minLength: R, maxLength: R },
        ),
      );
    fc.assert(
      fc.property(contributions, (records) => {
        const cells = records.map((line) => line.map((rs) => rs.reduce((a, b) => a + b, 0)));
        const p = protectTable(
          { rows: cells.map(String), cols: cells[0]!.map(String), cells, contributions: records, kind: 'money', withTotals: true },
          'internal-1',
        );
        records.forEach((line, r) =>
          line.forEach((rs, c) => {
            const total = rs.reduce((a, b) => a + b, 0);
            if (total > 0 && Math.max(...rs) * 2 > total) expect(p.cells[r]![c]!.reason).toBe('dominance');
            if (p.cells[r]![c]!.isSuppressed) expect(p.cells[r]![c]!.value).toBeNull();
            else expect(p.cells[r]![c]!.value).toBe(total);
          }),
        );
        expect(recoverable(withheldGrid(p))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('is deterministic: the same table gives the same result', () => {
    fc.assert(
      fc.property(table, (cells) => {
        expect(protectTable(counts(cells), 'internal-1')).toEqual(protectTable(counts(cells), 'internal-1'));
      }),
      { numRuns: 50 },
    );
  });
});
