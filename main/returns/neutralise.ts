/**
 * Spreadsheet formula neutralisation (docs/specification.md, "Every export": "spreadsheet cells that begin with
 * = + - @ or a tab are neutralised"). A spreadsheet opens a CSV or XLSX text cell that begins with
 * one of these as a formula, so a network's unit typed as `=HYPERLINK("http://…")` would run on
 * the recipient's machine (CSV injection, OWASP). A carriage return, line feed, NUL or any other
 * control character first is included: some spreadsheets skip a leading line break and read the
 * formula after it.
 *
 * "Begins with" is what a spreadsheet sees, not the first code unit: spreadsheets skip leading
 * spaces (the no-break and the ideographic ones too), a byte-order mark and zero-width characters,
 * and read the full-width forms ＝ ＋ － ＠ (and the other compatibility forms of = + - @, such as
 * the small ones) as the ASCII signs. So the leading run of whitespace, control and format
 * characters is skipped, and the first character after it is compared in its compatibility form
 * (NFKC).
 *
 * The cure is the usual one: a single quote in front, which spreadsheets show as text and most
 * hide. It is applied to TEXT only: a published number is written as a number and cannot be a
 * formula (a negative trend such as -3.2 stays a number in XLSX and in CSV).
 *
 * Every writer that produces a spreadsheet-readable file calls this, and only this.
 */

/** A control character at the very start: quoted whatever follows. */
const CONTROL_START = /^\p{Cc}/u;
/** What a spreadsheet passes over before it decides whether a cell is a formula. */
const LEADING_INVISIBLE = /^[\s\p{Cc}\p{Cf}]+/u;
const FORMULA_SIGNS = new Set(['=', '+', '-', '@']);

/** True when a spreadsheet could read the text as a formula. */
export function isFormulaLike(text: string): boolean {
  if (CONTROL_START.test(text)) return true;
  const first = String.fromCodePoint(text.replace(LEADING_INVISIBLE, '').codePointAt(0) ?? 0x20);
  return FORMULA_SIGNS.has(first.normalize('NFKC').charAt(0));
}

/** The text, with a leading single quote when it would otherwise start a formula. */
export function neutraliseFormula(text: string): string {
  return isFormulaLike(text) ? `'${text}` : text;
}

/**
 * Text for a CSV cell. A spreadsheet set to a locale whose list separator is `;` (or reading tabs)
 * splits a cell at each `;` or tab whatever the commas and quotes say, and reads each piece as a
 * cell of its own: so every piece is neutralised, not only the first.
 */
export function neutraliseCsvText(text: string): string {
  // Pieces at even places are text, odd ones the separators kept by the split; the first piece
  // is covered by neutralising the whole (which also catches a leading tab).
  const pieces = text.split(/([;\t])/).map((piece, i) => (i > 0 && i % 2 === 0 ? neutraliseFormula(piece) : piece));
  return neutraliseFormula(pieces.join(''));
}
