/**
 * Anchors: the audit log's head (last entry's number and hash) written down outside the vault,
 * where no user of the vault can reach it afterwards. Every exported return and meeting pack
 * prints the head as it stood just before its own 'disclose' entry, and `audit anchor` writes a
 * head statement to a new file. Checked later (`audit verify --anchor`), a log that no longer
 * holds that entry with that hash was cut short, rewritten or rolled back, even if this
 * workstation's own record of the head (./audit.ts) was deleted with it.
 *
 * The one text form of a head, written in every export and found again by ./anchor-finder.ts:
 *
 *   Audit log head: entry 1234, hash <64 lower-case hex>, vault <vault id>
 *
 * (in a header block the label "Audit log head" and the value after the colon are two cells).
 */
import type { AuditHeadRef } from '../../preload/contract/schemas/returns';

export type { AuditHeadRef };

export const HEAD_LABEL = 'Audit log head';

/** The value part of the text form: "entry 1234, hash …, vault …". */
export function headValue(h: AuditHeadRef): string {
  return `entry ${h.seq}, hash ${h.hash}, vault ${h.vaultId}`;
}

/** The whole text form: "Audit log head: entry 1234, hash …, vault …". */
export function headLine(h: AuditHeadRef): string {
  return `${HEAD_LABEL}: ${headValue(h)}`;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** The value part, exactly (anchored at both ends). */
export const HEAD_VALUE_RE = new RegExp(`^entry ([1-9][0-9]{0,14}), hash ([0-9a-f]{64}), vault (${UUID})$`);
/** The whole line, exactly. */
export const HEAD_LINE_RE = new RegExp(`^${HEAD_LABEL}: entry ([1-9][0-9]{0,14}), hash ([0-9a-f]{64}), vault (${UUID})$`);

/** Read the value part or the whole line back; null when the text is not exactly of the form. */
export function parseHeadText(text: string): AuditHeadRef | null {
  const m = HEAD_VALUE_RE.exec(text) ?? HEAD_LINE_RE.exec(text);
  if (!m) return null;
  const seq = Number(m[1]);
  if (!Number.isSafeInteger(seq)) return null;
  return { seq, hash: m[2]!, vaultId: m[3]!.toLowerCase() };
}

/* ---- The head statement (`audit anchor`) -------------------------------------------------------- */

export const ANCHOR_FORMAT = 'harm-matrix-audit-anchor';
export const ANCHOR_VERSION = 1;
/** An anchor statement is a few hundred bytes; anything much larger is not one. */
export const MAX_ANCHOR_STATEMENT_BYTES = 64 * 1024;

export interface UnsignedAnchor {
  format: typeof ANCHOR_FORMAT;
  version: typeof ANCHOR_VERSION;
  vaultId: string;
  seq: number;
  hash: string;
  /** ISO instant. */
  writtenAt: string;
  /** The id of the user who wrote it. */
  writtenBy: string;
}

/**
 * A signature over the statement, as a signer makes it (which algorithm and key, and the value):
 * this module neither makes nor checks one, it only carries it.
 */
export type AnchorSignature = Record<string, unknown>;

export interface AnchorStatement extends UnsignedAnchor {
  signature?: AnchorSignature;
}

/**
 * THE SIGNATURE HOOK. A signer is given the statement's canonical bytes (`anchorSigningBytes`)
 * and returns the `signature` object written with it. Without one (today), the statement is
 * written unsigned and carries no `signature` field.
 */
export type AnchorSigner = (signingBytes: Buffer, statement: UnsignedAnchor) => AnchorSignature;

/** What a signature covers: every field but the signature, in a fixed order. */
export function anchorSigningBytes(a: UnsignedAnchor): Buffer {
  return Buffer.from(JSON.stringify([a.format, a.version, a.vaultId, a.seq, a.hash, a.writtenAt, a.writtenBy]), 'utf8');
}

export function anchorStatement(a: Omit<UnsignedAnchor, 'format' | 'version'>, signer: AnchorSigner | null): AnchorStatement {
  const unsigned: UnsignedAnchor = { format: ANCHOR_FORMAT, version: ANCHOR_VERSION, vaultId: a.vaultId, seq: a.seq, hash: a.hash, writtenAt: a.writtenAt, writtenBy: a.writtenBy };
  return signer ? { ...unsigned, signature: signer(anchorSigningBytes(unsigned), unsigned) } : unsigned;
}

export function anchorText(a: AnchorStatement): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}
