/**
 * Spreadsheet formula neutralisation (docs/specification.md, "Every export": "spreadsheet cells that begin with
 * = + - @ or a tab are neutralised"). A spreadsheet opens a CSV or XLSX text cell that begins with
 * one of these as a formula, so a network's unit typed as `=HYPERLINK("http://…")` would run on
 * the recipient's machine (CSV injection, OWASP). A carriage return or line feed first is
 * included: some spreadsheets skip a leading line break and read the formula after it.
 *
 * The cure is the usual one: a single quote in front, which spreadsheets show as text and most
 * hide. It is applied to TEXT only: a published number is written as a number and cannot be a
 * formula (a negative trend such as -3.2 stays a number in XLSX and in CSV).
 *
 * Every writer that produces a spreadsheet-readable file calls this, and only this.
 */

const FORMULA_START = /^[=+\-@\t\r\n]/;

/** True when a spreadsheet could read the text as a formula. */
export function isFormulaLike(text: string): boolean {
  return FORMULA_START.test(text);
}

/** The text, with a leading single quote when it would otherwise start a formula. */
export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}
