/**
 * Spreadsheet formula neutralisation (docs/specification.md, "Every export"): the one function every
 * spreadsheet writer uses. Exact outputs for each character that starts a formula, and for text
 * that merely contains one.
 */
import { describe, expect, it } from 'vitest';
import { isFormulaLike, neutraliseFormula } from '../../main/returns/neutralise';

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tTabbed', "'\tTabbed"],
    ['\rReturn', "'\rReturn"],
    ['\nLine', "'\nLine"],
    ['=', "'="],
  ])('prefixes %j with a single quote', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
    expect(isFormulaLike(input)).toBe(true);
  });

  it.each([['Gangs Unit'], ['a=b'], ['1+1'], ['SCD\n-2+3'], [''], [' =x'], ["'=already quoted"], ['£1,234'], ['<5'], ['[c]'], ['—']])('leaves %j alone', (input) => {
    expect(neutraliseFormula(input)).toBe(input);
    expect(isFormulaLike(input)).toBe(false);
  });

  it('is idempotent: a neutralised cell is not quoted twice', () => {
    const once = neutraliseFormula('=1+1');
    expect(neutraliseFormula(once)).toBe(once);
  });
});
