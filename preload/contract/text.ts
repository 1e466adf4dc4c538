/**
 * What free text may hold, stated once for every record, setting and name the app stores, and
 * the same character classes for showing untrusted text on a terminal.
 *
 * Refused in every free-text field:
 * - C0 and C1 control characters and DEL (a field that holds paragraphs keeps tab, line feed and
 *   carriage return): an escape sequence in a reference rewrites the terminal that prints it, and
 *   controls break every file a return is written to;
 * - Unicode format characters (general category Cf): the bidirectional embeddings, overrides and
 *   isolates U+202A–U+202E and U+2066–U+2069, which make "CN-2026-0042" display as something else
 *   (Trojan Source, CVE-2021-42574), and the invisible ones (zero-width space and joiners
 *   U+200B–U+200D, the marks U+200E–U+200F, U+2060–U+2064, the byte-order mark U+FEFF, soft
 *   hyphen, tag characters), which make two references that look the same differ, or hide a
 *   formula from a spreadsheet's first-character check;
 * - the line and paragraph separators U+2028 and U+2029, line breaks no form shows as one.
 *
 * Pure: zod only.
 */
import { z } from 'zod';

/** C0, DEL and C1, except tab, line feed and carriage return. */
const CONTROL_IN_PARAGRAPHS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** C0, DEL and C1. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Format characters (bidi controls and invisible ones) and the Unicode line and paragraph separators. */
const INVISIBLE = /[\p{Cf}\u2028\u2029]/u;

export type TextFault = 'control' | 'invisible';

/** What, if anything, a field's text holds that free text may not. */
export function textFault(text: string, isMultiline = false): TextFault | null {
  if ((isMultiline ? CONTROL_IN_PARAGRAPHS : CONTROL).test(text)) return 'control';
  if (INVISIBLE.test(text)) return 'invisible';
  return null;
}

/** The sentence shown beside a field holding a bidi override, a zero-width space or the like. */
export function invisibleMessage(label?: string): string {
  const what = 'remove invisible formatting characters (such as a right-to-left override or a zero-width space).';
  return label ? `${label}: ${what}` : `${what[0]!.toUpperCase()}${what.slice(1)}`;
}

export interface TextMessages {
  /** Shown for a control character. */
  control: string;
  /** Shown for a format character; a general sentence when not given. */
  invisible?: string;
}

/**
 * The one refinement every free-text field takes: `schema` (already trimmed and limited) with
 * control and format characters refused, each with its sentence beside the field.
 */
export function plainText<T extends z.ZodString>(schema: T, messages: TextMessages, options: { isMultiline?: boolean } = {}): T {
  return schema.superRefine((value, ctx) => {
    const fault = textFault(value, options.isMultiline ?? false);
    if (fault === 'control') ctx.addIssue({ code: 'custom', message: messages.control });
    else if (fault === 'invisible') ctx.addIssue({ code: 'custom', message: messages.invisible ?? invisibleMessage() });
  });
}

/* ---- Showing untrusted text on a terminal ------------------------------------------------------ */

/** Everything a terminal could act on or hide: controls, format characters, the Unicode separators. */
const UNSAFE_ON_TERMINAL = /[\u0000-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

const escape = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return c <= 0xffff ? `\\u${c.toString(16).padStart(4, '0')}` : `\\u{${c.toString(16)}}`;
};

/**
 * Text from a document, a vault or a key file, made safe to print: every control (escape,
 * carriage return, line feed, backspace and the rest), bidi control and invisible format
 * character is written out as `\u001b`, `\u202e` and so on, so it can neither move the cursor,
 * recolour or erase a line, nor reorder or hide what follows. `keep` names characters a caller
 * prints as they are (a line feed between lines it wrote itself, a line break inside a quoted CSV
 * cell).
 */
export function escapeForTerminal(text: string, keep = ''): string {
  return text.replace(UNSAFE_ON_TERMINAL, (ch) => (keep.includes(ch) ? ch : escape(ch)));
}

/** What JSON.stringify leaves as it is and a terminal should not see: DEL, C1, format characters, U+2028/U+2029. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\p{Cf}\u2028\u2029]/gu;

/**
 * JSON for a terminal: JSON.stringify already escapes C0 controls inside strings (a line feed
 * left in its output is its own indentation); this escapes the rest of what a terminal could act
 * on. Those characters can only occur inside strings, so the text is the same JSON value.
 */
export function jsonForTerminal(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(UNSAFE_IN_JSON, escape);
}
