/**
 * Disclosure control for aggregates that leave the application (docs/scoring-method.md,
 * "Returns and exports"; issue 4).
 *
 * Pure: tables of numbers in, tables of display cells out. The original value of a withheld
 * cell is never copied into the output (its `value` is null), so nothing downstream (a writer,
 * a chart, a log line) can leak it by accident.
 *
 * Two rule sets, each recorded in the output by id and version:
 *
 * - `internal-1`: counts of 1 to 4 are shown as "<5" (0 is shown as 0: an empty cell discloses
 *   nobody). Money and weight cells where one record is more than half the total are withheld
 *   ("dominance"; exactly half is not more than half, so it is shown).
 * - `public-1`: counts under 10 are withheld and every other count, totals included, is rounded
 *   to the nearest 5 from its own true value: a total is never the sum of the rounded cells, so
 *   it neither drifts nor carries a trace of the withheld cells' rounding. Same dominance rule.
 *   Every withheld figure shows "[c]", so a reader cannot tell a small count from a complement.
 *
 * Both rule sets then apply SECONDARY suppression when totals are published. The guarantee, which
 * the property tests check by solving the linear system, is that no withheld cell (nor withheld
 * total) can be worked out exactly from the published cells and totals by any combination of
 * row, column and grand-total equations. Publishers often stop at "each row and column holds
 * zero or at least two withheld cells"; that is not enough: two blocks of withheld cells joined
 * by a single withheld cell satisfy it, yet adding two rows and subtracting two columns isolates
 * the joining cell. So the table with its totals is treated as a graph (a vertex per row and per
 * column, totals included; an edge per withheld cell) and a withheld cell is recoverable exactly
 * when its edge lies on no cycle (a bridge). Secondary suppression adds complementary cells until
 * no bridge is left (which implies every line holds zero or at least two withheld figures). They
 * are added as whole rectangles through a recoverable cell (the "hypercube" method in two
 * dimensions), the cheapest rectangle first, where cost compares: how many grand totals, then
 * totals, are withheld (readers need those most); then how many zeros (a withheld zero protects
 * little once the rules are known, see below); then the smallest sum of values; then the first by
 * row and column, so the result is deterministic.
 *
 * Internal counts get one more check, because the display itself gives bounds: "<5" says 1 to 4,
 * and a cell withheld as a complement cannot be 1 to 4 (those would show "<5"), so it is 0 or at
 * least 5. Within a row or column whose total is published, a withheld cell whose bounds and the
 * line's remainder leave a single possible value (a "<5" and a complement summing to 6 can only be
 * 1 and 5; two "<5" summing to 2 are both 1) gets another complement. This is a line-by-line check,
 * not a full audit of every bound at once (which needs integer programming); in public mode every
 * published figure is itself rounded, so no line's remainder is known exactly and it is not run.
 *
 * Percentages: none on a denominator under 10, and none whose numerator would itself be withheld
 * (a percentage of a published denominator gives the numerator back).
 */
import { z } from 'zod';

export const RULE_SET_IDS = ['internal-1', 'public-1'] as const;
export type RuleSetId = (typeof RULE_SET_IDS)[number];
export const ruleSetId = z.enum(RULE_SET_IDS, {
  error: 'disclosure rule set must be internal-1 or public-1',
});

export interface RuleSet {
  /** Id with version, as recorded in exports: `internal-1`. */
  id: RuleSetId;
  /** The family without the version: `internal` or `public`. */
  name: 'internal' | 'public';
  version: number;
  /** Counts from 1 up to, but not including, this value are withheld. */
  smallCountThreshold: number;
  /** Published counts are rounded to a multiple of this (1: not rounded). */
  roundTo: number;
  /** No percentage is shown on a denominator below this. */
  minPercentageDenominator: number;
  /** A money or weight cell is withheld when one record is more than this share of its total. */
  dominanceShare: number;
  description: string;
}

export const RULE_SETS: Readonly<Record<RuleSetId, RuleSet>> = {
  'internal-1': {
    id: 'internal-1',
    name: 'internal',
    version: 1,
    smallCountThreshold: 5,
    roundTo: 1,
    minPercentageDenominator: 10,
    dominanceShare: 0.5,
    description:
      'Internal: counts of 1 to 4 shown as <5; further figures withheld ([c]) so that no withheld figure can be worked out from the published totals; no percentage on a denominator under 10; money and weight figures withheld where one record is more than half the total.',
  },
  'public-1': {
    id: 'public-1',
    name: 'public',
    version: 1,
    smallCountThreshold: 10,
    roundTo: 5,
    minPercentageDenominator: 10,
    dominanceShare: 0.5,
    description:
      'Public: counts under 10 withheld ([c]) and all other counts, totals included, rounded to the nearest 5 from their true values; further figures withheld so that no withheld figure can be worked out from the published totals; no percentage on a denominator under 10; money and weight figures withheld where one record is more than half the total.',
  },
};

/**
 * The rule set for a name as people type it: `internal` and `public` mean the current version;
 * `internal-1` and `public-1` name a version exactly. Throws on anything else.
 */
export function resolveRuleSet(name: string): RuleSet {
  const key = name.trim().toLowerCase();
  const byName: Record<string, RuleSetId> = { internal: 'internal-1', public: 'public-1' };
  const id = (byName[key] ?? key) as RuleSetId;
  if (!RULE_SET_IDS.includes(id)) {
    throw new DisclosureInputError(
      `"${name}" is not a disclosure rule set. Use internal or public (or internal-1, public-1).`,
    );
  }
  return RULE_SETS[id];
}

/** Why a figure is withheld. */
export type SuppressionReason = 'primary' | 'secondary' | 'dominance';
/** Why a percentage is not shown. */
export type PercentageWithheldReason = 'denominator_under_10' | 'numerator_withheld';

export interface DisplayCell {
  /** The figure as published (rounded in public mode); null when withheld. */
  value: number | null;
  /** Text for a person: "12", "<5", "[c]", "£1,234", "1,250.5 g". */
  display: string;
  isSuppressed: boolean;
  reason?: SuppressionReason;
}

export interface PercentageCell {
  /** The percentage (0–100) as published; null when withheld. */
  value: number | null;
  /** "7.5%" (internal) or "8%" (public), or "—" when withheld. */
  display: string;
  isSuppressed: boolean;
  reason?: PercentageWithheldReason;
  /** A sentence for a footnote when withheld. */
  explanation?: string;
}

export type TableKind = 'count' | 'money' | 'weight';

export interface TableInput {
  rows: readonly string[];
  cols: readonly string[];
  /** `cells[row][col]`: whole counts, pounds or grams; never negative. */
  cells: readonly (readonly number[])[];
  kind: TableKind;
  /**
   * Money and weight tables: `contributions[row][col]` lists each record's amount in the cell
   * (they must add up to the cell). A record is assumed to contribute to one cell of the table.
   * Give this or `largestContributions`, not both.
   */
  contributions?: readonly (readonly (readonly number[])[])[];
  /** Money and weight tables: the largest single record's amount in each cell. */
  largestContributions?: readonly (readonly number[])[];
  /** Publish row totals, column totals and the grand total (secondary suppression then applies). */
  withTotals: boolean;
}

/** Where a withheld figure is: a row and column index, or `total` for the totals row/column. */
export interface SuppressedCell {
  row: number | 'total';
  col: number | 'total';
  reason: SuppressionReason;
}

export interface ProtectedTable {
  rows: string[];
  cols: string[];
  kind: TableKind;
  cells: DisplayCell[][];
  /** Null when the table is published without totals. */
  rowTotals: DisplayCell[] | null;
  colTotals: DisplayCell[] | null;
  grandTotal: DisplayCell | null;
  /** Every withheld figure, in row then column order (totals after the cells of their line). */
  suppressed: SuppressedCell[];
  ruleSet: { id: RuleSetId; version: number; description: string };
}

/** Thrown for input that is not a table of non-negative figures; the message is for people. */
export class DisclosureInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisclosureInputError';
  }
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

/** Thousands separated by commas, as in en-GB, without relying on the machine's locale data. */
function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatNumber(value: number, decimals: number): string {
  const fixed = value.toFixed(decimals);
  const [whole, fraction] = fixed.split('.') as [string, string | undefined];
  const trimmed = fraction?.replace(/0+$/, '');
  return trimmed ? `${groupThousands(whole)}.${trimmed}` : groupThousands(whole);
}

function formatFigure(value: number, kind: TableKind): string {
  switch (kind) {
    case 'count':
      return groupThousands(String(value));
    case 'money':
      // House style shows whole pounds: £1,234.
      return `£${groupThousands(Math.round(value).toFixed(0))}`;
    case 'weight':
      return `${formatNumber(value, 1)} g`;
  }
}

/** Nearest multiple of `base`; halves (possible only for non-integers) go up. */
function roundToBase(value: number, base: number): number {
  return base <= 1 ? value : Math.round(value / base) * base;
}

const SMALL_COUNT_DISPLAY = '<5';
const WITHHELD_DISPLAY = '[c]';
const PERCENT_WITHHELD_DISPLAY = '—';

function withheld(reason: SuppressionReason, display: string): DisplayCell {
  return { value: null, display, isSuppressed: true, reason };
}

function published(value: number, kind: TableKind, rules: RuleSet): DisplayCell {
  const shown = kind === 'count' ? roundToBase(value, rules.roundTo) : value;
  return { value: shown, display: formatFigure(shown, kind), isSuppressed: false };
}

function displayWithheld(reason: SuppressionReason, rules: RuleSet): DisplayCell {
  // Internal "<5" is the display the domain asks for on small counts. Complements and dominated
  // cells are not small counts, so saying "<5" would be false: they show "[c]" (confidential,
  // the ONS convention). In public mode every withheld cell shows "[c]" alike, so a reader cannot
  // tell a small count from a complement.
  if (reason === 'primary' && rules.name === 'internal') return withheld(reason, SMALL_COUNT_DISPLAY);
  return withheld(reason, WITHHELD_DISPLAY);
}

// ---------------------------------------------------------------------------------------------
// Single figures
// ---------------------------------------------------------------------------------------------

function ruleSetFor(id: RuleSetId): RuleSet {
  // Callers outside TypeScript (the CLI, a parsed file) can pass any string.
  if (!RULE_SET_IDS.includes(id)) {
    throw new DisclosureInputError(`"${String(id)}" is not a disclosure rule set (internal-1 or public-1).`);
  }
  return RULE_SETS[id];
}

function requireCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new DisclosureInputError(`${what} must be a whole number, 0 or more; got ${n}.`);
  }
}

function isSmallCount(n: number, rules: RuleSet): boolean {
  return n >= 1 && n < rules.smallCountThreshold;
}

/** One count on its own (no totals to protect): primary suppression and, in public mode, rounding. */
export function protectCount(n: number, rules: RuleSetId): DisplayCell {
  const set = ruleSetFor(rules);
  requireCount(n, 'A count');
  return isSmallCount(n, set) ? displayWithheld('primary', set) : published(n, 'count', set);
}

/**
 * A percentage `numerator / denominator`: withheld on a denominator under 10, and when the
 * numerator is a count the rule set would withhold, or `isNumeratorWithheld` says it was
 * withheld as a complement in its own table (a percentage of a published denominator gives the
 * numerator back). Internal shows one decimal place, public a whole number.
 */
export function protectPercentage(
  numerator: number,
  denominator: number,
  rules: RuleSetId,
  options: { isNumeratorWithheld?: boolean } = {},
): PercentageCell {
  const set = ruleSetFor(rules);
  requireCount(numerator, 'The numerator');
  requireCount(denominator, 'The denominator');
  if (numerator > denominator) {
    throw new DisclosureInputError(
      `The numerator (${numerator}) is larger than the denominator (${denominator}).`,
    );
  }
  if (denominator < set.minPercentageDenominator) {
    return {
      value: null,
      display: PERCENT_WITHHELD_DISPLAY,
      isSuppressed: true,
      reason: 'denominator_under_10',
      explanation: `Not shown: a percentage needs a denominator of at least ${set.minPercentageDenominator}.`,
    };
  }
  if (options.isNumeratorWithheld === true || isSmallCount(numerator, set)) {
    return {
      value: null,
      display: PERCENT_WITHHELD_DISPLAY,
      isSuppressed: true,
      reason: 'numerator_withheld',
      explanation: 'Not shown: the percentage would reveal a withheld count.',
    };
  }
  const decimals = set.name === 'internal' ? 1 : 0;
  const factor = 10 ** decimals;
  const value = Math.round((numerator / denominator) * 100 * factor) / factor;
  return { value, display: `${value.toFixed(decimals)}%`, isSuppressed: false };
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/**
 * The table with its totals as one grid of `nr × nc` figures: inner cells at [0..R-1][0..C-1],
 * row totals in column C, column totals in row R, the grand total at [R][C]. Without totals the
 * grid is just the inner cells. Every row and column of the grid is a "line": its inner part
 * adds up to its last figure, which is how the graph below sees totals too.
 */
interface Grid {
  R: number;
  C: number;
  nr: number;
  nc: number;
  values: number[][];
  /** Largest single record in each figure, for dominance (money and weight only). */
  largest: number[][] | null;
}

function validateTable(table: TableInput): void {
  const { rows, cols, cells, kind } = table;
  if (!['count', 'money', 'weight'].includes(kind)) {
    throw new DisclosureInputError(`Table kind must be count, money or weight; got "${String(kind)}".`);
  }
  if (rows.length === 0 || cols.length === 0) {
    throw new DisclosureInputError('A table needs at least one row and one column.');
  }
  if (cells.length !== rows.length) {
    throw new DisclosureInputError(
      `The table has ${rows.length} row labels but ${cells.length} rows of figures.`,
    );
  }
  cells.forEach((line, r) => {
    if (line.length !== cols.length) {
      throw new DisclosureInputError(
        `Row ${r + 1} ("${rows[r]}") has ${line.length} figures; the table has ${cols.length} columns.`,
      );
    }
    line.forEach((value, c) => {
      const where = `The figure in row ${r + 1}, column ${c + 1}`;
      if (kind === 'count') requireCount(value, where);
      else if (!Number.isFinite(value) || value < 0) {
        throw new DisclosureInputError(`${where} must be a finite amount, 0 or more; got ${value}.`);
      }
    });
  });
  const hasContributions = table.contributions !== undefined;
  const hasLargest = table.largestContributions !== undefined;
  if (kind === 'count') {
    if (hasContributions || hasLargest) {
      throw new DisclosureInputError('Record contributions apply only to money and weight tables.');
    }
    return;
  }
  if (hasContributions === hasLargest) {
    throw new DisclosureInputError(
      "A money or weight table needs either each record's contribution or the largest contribution for every cell (one of the two).",
    );
  }
  const shapeOf = (grid: readonly (readonly unknown[])[], what: string): void => {
    if (grid.length !== rows.length || grid.some((line) => line.length !== cols.length)) {
      throw new DisclosureInputError(`${what} must have one entry for every cell of the table.`);
    }
  };
  if (table.contributions) {
    shapeOf(table.contributions, 'Contributions');
    table.contributions.forEach((line, r) =>
      line.forEach((records, c) => {
        if (records.some((v) => !Number.isFinite(v) || v < 0)) {
          throw new DisclosureInputError(
            `A contribution in row ${r + 1}, column ${c + 1} is negative or not a number.`,
          );
        }
        const sum = records.reduce((a, b) => a + b, 0);
        const cell = cells[r]![c]!;
        // Amounts are floating point (pounds and pence, grams), so allow rounding noise only.
        if (Math.abs(sum - cell) > 1e-6 * Math.max(1, Math.abs(cell))) {
          throw new DisclosureInputError(
            `The contributions in row ${r + 1}, column ${c + 1} add up to ${sum}, not to the cell's ${cell}.`,
          );
        }
      }),
    );
  }
  if (table.largestContributions) {
    shapeOf(table.largestContributions, 'Largest contributions');
    table.largestContributions.forEach((line, r) =>
      line.forEach((largest, c) => {
        const cell = cells[r]![c]!;
        if (!Number.isFinite(largest) || largest < 0 || largest > cell * (1 + 1e-9)) {
          throw new DisclosureInputError(
            `The largest contribution in row ${r + 1}, column ${c + 1} must be from 0 to the cell's ${cell}; got ${largest}.`,
          );
        }
        if (cell > 0 && largest === 0) {
          throw new DisclosureInputError(
            `The cell in row ${r + 1}, column ${c + 1} is ${cell} but its largest contribution is 0.`,
          );
        }
      }),
    );
  }
}

function buildGrid(table: TableInput): Grid {
  const R = table.rows.length;
  const C = table.cols.length;
  const withTotals = table.withTotals;
  const nr = withTotals ? R + 1 : R;
  const nc = withTotals ? C + 1 : C;
  const values = Array.from({ length: nr }, () => new Array<number>(nc).fill(0));
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) values[r]![c] = table.cells[r]![c]!;
  let largest: number[][] | null = null;
  if (table.kind !== 'count') {
    largest = Array.from({ length: nr }, () => new Array<number>(nc).fill(0));
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        largest[r]![c] = table.contributions
          ? Math.max(0, ...table.contributions[r]![c]!)
          : table.largestContributions![r]![c]!;
      }
    }
  }
  if (withTotals) {
    // Totals from the true inner values, summed in a fixed order (floating-point addition is not
    // associative, so the order is part of the result).
    for (let r = 0; r < R; r++) {
      let sum = 0;
      for (let c = 0; c < C; c++) sum += values[r]![c]!;
      values[r]![C] = sum;
    }
    for (let c = 0; c <= C; c++) {
      let sum = 0;
      for (let r = 0; r < R; r++) sum += values[r]![c]!;
      values[R]![c] = sum;
    }
    if (largest) {
      // A record contributes to one cell, so the largest record in a line is the largest of its cells'.
      for (let r = 0; r < R; r++) largest[r]![C] = Math.max(...largest[r]!.slice(0, C));
      for (let c = 0; c <= C; c++) {
        let max = 0;
        for (let r = 0; r < R; r++) max = Math.max(max, largest[r]![c]!);
        largest[R]![c] = max;
      }
    }
  }
  return { R, C, nr, nc, values, largest };
}

function isDominated(value: number, largest: number, share: number): boolean {
  // "More than half": exactly half is shown. Compared as largest > share × total.
  return value > 0 && largest > share * value;
}

/** Attacker's knowledge of a withheld internal count: a union of closed integer intervals. */
type Intervals = Array<[number, number]>;

function normalise(intervals: Intervals): Intervals {
  const sorted = intervals.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Intervals = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function sumIntervals(x: Intervals, y: Intervals, cap: number): Intervals {
  const out: Intervals = [];
  for (const [a, b] of x) for (const [c, d] of y) out.push([a + c, Math.min(cap, b + d)]);
  return normalise(out);
}

function intersect(x: Intervals, y: Intervals): Intervals {
  const out: Intervals = [];
  for (const [a, b] of x) for (const [c, d] of y) out.push([Math.max(a, c), Math.min(b, d)]);
  return normalise(out);
}

function sizeOf(x: Intervals): number {
  return x.reduce((n, [a, b]) => n + (b - a + 1), 0);
}

/** Cost of withholding one more figure, compared field by field: see `Suppressor.cost`. */
type Cost = [grand: number, total: number, zero: number, value: number];

const NO_COST: Cost = [0, 0, 0, 0];

function addCosts(a: Cost, b: Cost): Cost {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}

class Suppressor {
  readonly reasons: (SuppressionReason | null)[][];

  constructor(
    private readonly grid: Grid,
    private readonly rules: RuleSet,
    private readonly kind: TableKind,
    private readonly withTotals: boolean,
  ) {
    this.reasons = Array.from({ length: grid.nr }, () =>
      new Array<SuppressionReason | null>(grid.nc).fill(null),
    );
  }

  run(): void {
    this.primary();
    if (!this.withTotals) return;
    // Each pass withholds at least one more figure or stops, and there are finitely many figures.
    // Withholding everything satisfies every check (a full grid of at least 2 × 2 has no bridge
    // and no published line total), so the loop always ends in a protected table.
    for (;;) {
      if (this.fixBridge()) continue;
      if (this.kind === 'count' && this.rules.name === 'internal' && this.fixPinnedLine()) continue;
      break;
    }
  }

  private primary(): void {
    const { nr, nc, values, largest } = this.grid;
    for (let r = 0; r < nr; r++) {
      for (let c = 0; c < nc; c++) {
        const v = values[r]![c]!;
        if (this.kind === 'count') {
          if (isSmallCount(v, this.rules)) this.reasons[r]![c] = 'primary';
        } else if (isDominated(v, largest![r]![c]!, this.rules.dominanceShare)) {
          this.reasons[r]![c] = 'dominance';
        }
      }
    }
  }

  private isSuppressed(r: number, c: number): boolean {
    return this.reasons[r]![c] !== null;
  }

  /**
   * What withholding (r, c) costs, compared field by field: the grand total is the figure
   * readers need most, then the other totals; a zero protects little (once the rules are known,
   * a withheld zero beside a "<5" is soon pinned down), then the value lost. Already withheld: free.
   */
  private cost(r: number, c: number): Cost {
    if (this.isSuppressed(r, c)) return NO_COST;
    const { R, C, values } = this.grid;
    const v = values[r]![c]!;
    return [r === R && c === C ? 1 : 0, r === R || c === C ? 1 : 0, v === 0 ? 1 : 0, v];
  }

  private withhold(r: number, c: number): void {
    if (!this.isSuppressed(r, c)) this.reasons[r]![c] = 'secondary';
  }

  /** Every withheld figure, as edges row r – column c of the graph described in the module comment. */
  private edges(): Array<[number, number]> {
    const { nr, nc } = this.grid;
    const edges: Array<[number, number]> = [];
    for (let r = 0; r < nr; r++) for (let c = 0; c < nc; c++) if (this.isSuppressed(r, c)) edges.push([r, c]);
    return edges;
  }

  /**
   * The cheapest rectangle through (r0, c0): three more corners (r0, c1), (r1, c0), (r1, c1).
   * Withholding them puts (r0, c0) on a cycle of four, so no line equation isolates it
   * (the "hypercube" method of secondary suppression, in two dimensions).
   */
  private cheapestRectangle(r0: number, c0: number): { cost: Cost; r1: number; c1: number } {
    const { nr, nc } = this.grid;
    let best: { cost: Cost; r1: number; c1: number } | null = null;
    for (let r1 = 0; r1 < nr; r1++) {
      if (r1 === r0) continue;
      for (let c1 = 0; c1 < nc; c1++) {
        if (c1 === c0) continue;
        const cost = addCosts(addCosts(this.cost(r0, c1), this.cost(r1, c0)), this.cost(r1, c1));
        if (best === null || compareTuples(cost, best.cost) < 0) best = { cost, r1, c1 };
      }
    }
    // nr and nc are at least 2 whenever totals are published, so a rectangle always exists.
    return best!;
  }

  /**
   * Find the withheld figures the line equations pin down exactly (bridges) and close a
   * rectangle through one of them. The one whose cheapest rectangle costs most goes first: it
   * has the fewest good choices, and its rectangle often covers the others (a small row total
   * and the small cell inside it are both covered by one rectangle through the totals column).
   */
  private fixBridge(): boolean {
    const { nr, nc } = this.grid;
    const edges = this.edges();
    let chosen: { r0: number; c0: number; cost: Cost; r1: number; c1: number } | null = null;
    for (let i = 0; i < edges.length; i++) {
      const [r0, c0] = edges[i]!;
      if (reachable(nr, nc, edges, i, r0).has(nr + c0)) continue;
      const rectangle = this.cheapestRectangle(r0, c0);
      if (chosen === null || compareTuples(rectangle.cost, chosen.cost) > 0) {
        chosen = { r0, c0, ...rectangle };
      }
    }
    if (chosen === null) return false;
    this.withhold(chosen.r0, chosen.c1);
    this.withhold(chosen.r1, chosen.c0);
    this.withhold(chosen.r1, chosen.c1);
    return true;
  }

  private lineCells(line: Line): Array<[number, number]> {
    const { nr, nc } = this.grid;
    return line.kind === 'row'
      ? Array.from({ length: nc }, (_, c) => [line.index, c] as [number, number])
      : Array.from({ length: nr }, (_, r) => [r, line.index] as [number, number]);
  }

  private lines(): Line[] {
    const { nr, nc } = this.grid;
    return [
      ...Array.from({ length: nr }, (_, index) => ({ kind: 'row' as const, index })),
      ...Array.from({ length: nc }, (_, index) => ({ kind: 'col' as const, index })),
    ];
  }

  /**
   * Internal counts: within a line whose total is published, could the remainder and the
   * displayed bounds ("<5" is 1 to 4; "[c]" is 0 or at least 5) leave a withheld figure one
   * possible value? If so, withhold the cheapest further figure in that line; the bridge pass
   * then completes a rectangle through it.
   */
  private fixPinnedLine(): boolean {
    const { values } = this.grid;
    const below = this.rules.smallCountThreshold - 1;
    for (const line of this.lines()) {
      const cells = this.lineCells(line);
      const total = cells[cells.length - 1]!;
      if (this.isSuppressed(total[0], total[1])) continue;
      const inner = cells.slice(0, -1).filter(([r, c]) => this.isSuppressed(r, c));
      if (inner.length === 0) continue;
      const remainder = inner.reduce((sum, [r, c]) => sum + values[r]![c]!, 0);
      const known: Intervals[] = inner.map(([r, c]) =>
        this.reasons[r]![c] === 'primary'
          ? [[1, below]]
          : normalise([
              [0, 0],
              [below + 1, remainder],
            ]),
      );
      const isPinned = known.some((own, i) => {
        let others: Intervals = [[0, 0]];
        known.forEach((k, j) => {
          if (j !== i) others = sumIntervals(others, k, remainder);
        });
        const possible = intersect(
          own,
          others.map(([a, b]) => [remainder - b, remainder - a] as [number, number]),
        );
        return sizeOf(possible) <= 1;
      });
      if (!isPinned) continue;
      let best: [number, number] | null = null;
      for (const [r, c] of cells) {
        if (this.isSuppressed(r, c)) continue;
        const isCheaper =
          best === null ||
          compareTuples([...this.cost(r, c), r, c], [...this.cost(...best), ...best]) < 0;
        if (isCheaper) best = [r, c];
      }
      // A pinned line has a published total, so there is always a figure left to withhold.
      this.withhold(...best!);
      return true;
    }
    return false;
  }
}

interface Line {
  kind: 'row' | 'col';
  index: number;
}

function compareTuples(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Vertices reachable from `start` over the withheld figures, leaving out edge `skip`. */
function reachable(
  nr: number,
  nc: number,
  edges: ReadonlyArray<[number, number]>,
  skip: number,
  start: number,
): Set<number> {
  const adjacency: number[][] = Array.from({ length: nr + nc }, () => []);
  edges.forEach(([r, c], i) => {
    if (i === skip) return;
    adjacency[r]!.push(nr + c);
    adjacency[nr + c]!.push(r);
  });
  const seen = new Set<number>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.pop()!;
    for (const w of adjacency[v]!) {
      if (!seen.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return seen;
}

/**
 * Apply a rule set to a table of counts, money or weight. Throws `DisclosureInputError` on a
 * malformed table. See the module comment for what is guaranteed.
 */
export function protectTable(table: TableInput, rules: RuleSetId): ProtectedTable {
  const set = ruleSetFor(rules);
  validateTable(table);
  const grid = buildGrid(table);
  const suppressor = new Suppressor(grid, set, table.kind, table.withTotals);
  suppressor.run();

  const { R, C, values } = grid;
  const display = (r: number, c: number): DisplayCell => {
    const reason = suppressor.reasons[r]![c];
    return reason ? displayWithheld(reason, set) : published(values[r]![c]!, table.kind, set);
  };
  const place = (r: number, c: number): SuppressedCell | null => {
    const reason = suppressor.reasons[r]![c];
    if (!reason) return null;
    return { row: r === R ? 'total' : r, col: c === C ? 'total' : c, reason };
  };

  const suppressed: SuppressedCell[] = [];
  for (let r = 0; r < grid.nr; r++) {
    for (let c = 0; c < grid.nc; c++) {
      const s = place(r, c);
      if (s) suppressed.push(s);
    }
  }

  return {
    rows: [...table.rows],
    cols: [...table.cols],
    kind: table.kind,
    cells: Array.from({ length: R }, (_, r) => Array.from({ length: C }, (_, c) => display(r, c))),
    rowTotals: table.withTotals ? Array.from({ length: R }, (_, r) => display(r, C)) : null,
    colTotals: table.withTotals ? Array.from({ length: C }, (_, c) => display(R, c)) : null,
    grandTotal: table.withTotals ? display(R, C) : null,
    suppressed,
    ruleSet: { id: set.id, version: set.version, description: set.description },
  };
}
