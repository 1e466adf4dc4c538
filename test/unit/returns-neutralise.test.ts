/**
 * Spreadsheet formula neutralisation (docs/specification.md, "Every export"): the one function every
 * spreadsheet writer uses. Exact outputs for each character that starts a formula (after what a
 * spreadsheet skips: spaces, controls, format characters; in full-width form too), and for text
 * that merely contains one.
 */
import { describe, expect, it } from 'vitest';
import { isFormulaLike, neutraliseCsvText, neutraliseFormula } from '../../main/returns/neutralise';

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
    // What a spreadsheet skips before it looks for a formula: spaces of every kind, controls,
    // the byte-order mark and the zero-width characters.
    [' =x', "' =x"],
    ['\u0000=1+1', "'\u0000=1+1"],
    ['\u0000', "'\u0000"],
    ['\uFEFF=1+1', "'\uFEFF=1+1"],
    ['\u200B=1+1', "'\u200B=1+1"],
    ['\u200D\u2060+1', "'\u200D\u2060+1"],
    ['\u00A0=1+1', "'\u00A0=1+1"],
    ['\u3000@cmd', "'\u3000@cmd"],
    ['\u202E=1+1', "'\u202E=1+1"],
    // The full-width and small forms, which spreadsheets read as the ASCII signs.
    ['\uFF1DHYPERLINK("http://evil.example")', '\'\uFF1DHYPERLINK("http://evil.example")'],
    ['\uFF0B1', "'\uFF0B1"],
    ['\uFF0D2+3', "'\uFF0D2+3"],
    ['\uFF20cmd', "'\uFF20cmd"],
    ['\uFE66cmd', "'\uFE66cmd"],
    ['\u00A0\uFF1D1', "'\u00A0\uFF1D1"],
  ])('prefixes %j with a single quote', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
    expect(isFormulaLike(input)).toBe(true);
  });

  it.each([['Gangs Unit'], ['a=b'], ['1+1'], ['SCD\n-2+3'], [''], [' Gangs Unit'], ['\uFEFFGangs Unit'], ["'=already quoted"], ['£1,234'], ['<5'], ['[c]'], ['—'], ['\u2212 3 (minus sign)'], ['Ｇａｎｇｓ']])('leaves %j alone', (input) => {
    expect(neutraliseFormula(input)).toBe(input);
    expect(isFormulaLike(input)).toBe(false);
  });

  it('is idempotent: a neutralised cell is not quoted twice', () => {
    for (const text of ['=1+1', ' =1+1', '\uFF1D1', '\u0000=1']) {
      const once = neutraliseFormula(text);
      expect(neutraliseFormula(once)).toBe(once);
    }
  });
});

describe('neutraliseCsvText', () => {
  // A spreadsheet whose locale separates with ";" (or that reads tabs) splits the text there and
  // reads each piece as a cell: each piece is neutralised.
  it.each([
    ['Gangs;=cmd|\' /C calc\'!A0', "Gangs;'=cmd|' /C calc'!A0"],
    ['a; +1;b', "a;' +1;b"],
    ['a\t@x', "a\t'@x"],
    ['=1;=2', "'=1;'=2"],
    ['\tTabbed', "'\tTabbed"],
    ['a;\uFF1D1', "a;'\uFF1D1"],
  ])('%j becomes %j', (input, expected) => {
    expect(neutraliseCsvText(input)).toBe(expected);
  });

  it.each([['Gangs Unit'], ['a;b'], ['1;2'], ['SCD; Trident'], ['']])('leaves %j alone', (input) => {
    expect(neutraliseCsvText(input)).toBe(input);
  });
});
