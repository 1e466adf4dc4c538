/**
 * Find the audit head a file names (./anchor.ts): a head statement from `audit anchor`, or a
 * return or meeting pack exported by this app as JSON, CSV, XLSX or PDF. Each format is read only
 * at the one place the app writes the head, never anywhere in the body, so text typed into a
 * record (and so into a table of the return) cannot pass itself off as the head:
 *
 * - statement: the JSON object with `"format": "harm-matrix-audit-anchor"`;
 * - JSON return: `header.auditHead` `{ vaultId, seq, hash }`;
 * - CSV: the `audit_head` line of the header block (before its first blank line);
 * - XLSX: the workbook's Keywords property (docProps/core.xml), the whole text form; the header
 *   block on the sheet shows it too, for people;
 * - PDF: the document information dictionary's Keywords, the whole text form, as a PDF string
 *   object that is never compressed, so it is found in the raw bytes.
 *
 * The file is untrusted: too large a file, a ZIP entry that would inflate past a small limit, a
 * file holding two different heads, or anything not of these forms is refused with a sentence.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { VaultError } from '../vault/errors';
import { ANCHOR_FORMAT, ANCHOR_VERSION, MAX_ANCHOR_STATEMENT_BYTES, parseHeadText, type AnchorSignature, type AuditHeadRef } from './anchor';

/** Larger than any return this app writes at national scale; a file past it is refused unread. */
export const MAX_ANCHOR_FILE_BYTES = 256 * 1024 * 1024;
/** docProps/core.xml is a few hundred bytes: a larger entry is not ours (or is a ZIP bomb). */
const MAX_CORE_XML_BYTES = 256 * 1024;
/** The CSV header block is a few kilobytes at the start of the file. */
const CSV_HEADER_BYTES = 256 * 1024;

export type AnchorSource = 'anchor' | 'json' | 'csv' | 'xlsx' | 'pdf';

export const ANCHOR_SOURCE_LABELS: Readonly<Record<AnchorSource, string>> = {
  anchor: 'an audit anchor statement',
  json: 'a JSON export',
  csv: 'a CSV export',
  xlsx: 'an XLSX export',
  pdf: 'a PDF export',
};

export interface FoundHead extends AuditHeadRef {
  source: AnchorSource;
  /** A statement's own writtenAt and writtenBy (user id); null for an export. */
  writtenAt: string | null;
  writtenBy: string | null;
  /** A statement's signature object as written, unchecked here; null when it has none. */
  signature: AnchorSignature | null;
}

function refuse(message: string): never {
  throw new VaultError('invalid_input', message);
}

const NOT_OURS =
  'The file names no audit log head: it is not an audit anchor or a return or meeting pack exported by Harm Matrix (JSON, CSV, XLSX or PDF), or it was changed after it was written.';

/** Read the whole file, refusing a folder or a file over the limit before reading it. */
function readLimited(path: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new VaultError('not_found', `There is no file ${path}.`);
    if (code === 'EISDIR') refuse(`${path} is a folder, not a file.`);
    throw new VaultError('io_error', `The file could not be read (${code ?? 'unknown error'}).`);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) refuse(`${path} is a folder, not a file.`);
    if (!st.isFile()) refuse(`${path} is not a file.`);
    if (st.size > limit) refuse(`The file is ${st.size.toLocaleString('en-GB')} bytes, larger than any file Harm Matrix writes (at most ${limit.toLocaleString('en-GB')}): it was not read.`);
    const buf = Buffer.alloc(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

const headRef = z.object({ vaultId: z.string().uuid(), seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), hash: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

const statement = z
  .object({
    format: z.literal(ANCHOR_FORMAT),
    version: z.literal(ANCHOR_VERSION),
    vaultId: z.string().uuid(),
    seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    writtenAt: z.iso.datetime(),
    writtenBy: z.string().min(1).max(200),
    signature: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

function fromJson(buf: Buffer): FoundHead {
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    refuse('The file starts like JSON but is not valid JSON, so it names no audit log head.');
  }
  const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (obj.format === ANCHOR_FORMAT) {
    if (buf.length > MAX_ANCHOR_STATEMENT_BYTES) refuse('The audit anchor statement is far larger than one Harm Matrix writes: it was not used.');
    const r = statement.safeParse(value);
    if (!r.success) refuse('The audit anchor statement is malformed (a field is missing, extra or not of its form): it was not used.');
    const a = r.data;
    return { source: 'anchor', vaultId: a.vaultId.toLowerCase(), seq: a.seq, hash: a.hash, writtenAt: a.writtenAt, writtenBy: a.writtenBy, signature: a.signature ?? null };
  }
  const format = obj.format as { name?: unknown } | undefined;
  if (format?.name !== 'harm-matrix-return') refuse(NOT_OURS);
  const header = obj.header as { auditHead?: unknown } | undefined;
  if (header?.auditHead === undefined || header.auditHead === null) refuse('This JSON export names no audit log head: it was written before Harm Matrix printed the head on every export.');
  const r = headRef.safeParse(header.auditHead);
  if (!r.success) refuse('The audit log head in this JSON export is malformed: it was not used.');
  return { source: 'json', ...r.data, vaultId: r.data.vaultId.toLowerCase(), writtenAt: null, writtenBy: null, signature: null };
}

/** The records of a CSV (RFC 4180) up to its first empty record: the header block. */
function csvHeaderRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let isQuoted = false;
  let isCellStarted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (isQuoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') isQuoted = false;
      else cell += c;
      continue;
    }
    if (c === '"' && !isCellStarted) {
      isQuoted = true;
      isCellStarted = true;
    } else if (c === ',') {
      record.push(cell);
      cell = '';
      isCellStarted = false;
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (!isCellStarted && record.length === 0) return records; // an empty line ends the block
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      isCellStarted = false;
    } else {
      cell += c;
      isCellStarted = true;
    }
  }
  return records;
}

function fromCsv(buf: Buffer): FoundHead {
  const text = buf.subarray(0, CSV_HEADER_BYTES).toString('utf8').replace(/^\uFEFF/, '');
  const records = csvHeaderRecords(text);
  if (records[1]?.[0] !== 'field' || records[1]?.[1] !== 'value') refuse(NOT_OURS);
  const lines = records.filter((r) => r[0] === 'audit_head');
  if (lines.length === 0) refuse('This CSV export names no audit log head: it was written before Harm Matrix printed the head on every export.');
  if (lines.length > 1) refuse('This CSV export names more than one audit log head, so it has been changed: it was not used.');
  const head = lines[0]!.length === 2 ? parseHeadText(lines[0]![1]!) : null;
  if (!head) refuse('The audit log head in this CSV export is malformed: it was not used.');
  return { source: 'csv', ...head, writtenAt: null, writtenBy: null, signature: null };
}

/* ---- XLSX: one entry of a ZIP, read with limits (APPNOTE.TXT 4.3) -------------------------------- */

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function zipEntry(zip: Buffer, name: string, maxBytes: number): Buffer | null {
  const damaged = () => refuse('The XLSX file is damaged (its ZIP directory does not read): it names no audit log head that can be trusted.');
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) damaged();
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  let found: Buffer | null = null;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > zip.length || zip.readUInt32LE(p) !== CENTRAL) damaged();
    const method = zip.readUInt16LE(p + 10);
    const compressed = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const local = zip.readUInt32LE(p + 42);
    const entryName = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    p += 46 + nameLength + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    if (entryName !== name) continue;
    if (found) refuse('The XLSX file holds two copies of its document properties, so it has been changed: it was not used.');
    if (size > maxBytes || compressed > maxBytes) refuse('The XLSX file\'s document properties are far larger than Harm Matrix writes: the file was not read further.');
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== LOCAL) damaged();
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    if (start + compressed > zip.length) damaged();
    const raw = zip.subarray(start, start + compressed);
    if (method === 0) found = raw;
    else if (method === 8) {
      try {
        found = inflateRawSync(raw, { maxOutputLength: maxBytes });
      } catch {
        refuse('The XLSX file\'s document properties do not decompress within the limit Harm Matrix allows: the file was not read further.');
      }
    } else damaged();
  }
  return found;
}

function xmlText(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

function fromXlsx(buf: Buffer): FoundHead {
  const core = zipEntry(buf, 'docProps/core.xml', MAX_CORE_XML_BYTES);
  if (!core) refuse(NOT_OURS);
  const keywords = [...core.toString('utf8').matchAll(/<cp:keywords>([^<]*)<\/cp:keywords>/g)].filter((m) => m[1]!.trim() !== '');
  if (keywords.length === 0) refuse('This XLSX file names no audit log head: it was written before Harm Matrix printed the head on every export, or not by Harm Matrix.');
  if (keywords.length > 1) refuse('This XLSX file names more than one audit log head, so it has been changed: it was not used.');
  const text = xmlText(keywords[0]![1]!);
  const head = parseHeadText(text);
  if (!head || !text.startsWith('Audit log head: ')) refuse('The audit log head in this XLSX file is malformed: it was not used.');
  return { source: 'xlsx', ...head, writtenAt: null, writtenBy: null, signature: null };
}

/* ---- PDF: the information dictionary's string objects, uncompressed ---------------------------- */

function fromPdf(buf: Buffer): FoundHead {
  // Latin-1 keeps every byte as one character. The head is a whole string object: "n 0 obj (…) endobj".
  const raw = buf.toString('latin1');
  const re = /\d+ \d+ obj\s*\((Audit log head: entry [0-9]{1,15}, hash [0-9a-f]{64}, vault [0-9a-fA-F-]{36})\)\s*endobj/g;
  const found = new Set([...raw.matchAll(re)].map((m) => m[1]!));
  if (found.size === 0) refuse('This PDF names no audit log head: it was written before Harm Matrix printed the head on every export, or not by Harm Matrix.');
  if (found.size > 1) refuse('This PDF names more than one audit log head, so it has been changed: it was not used.');
  const head = parseHeadText([...found][0]!);
  if (!head) refuse('The audit log head in this PDF is malformed: it was not used.');
  return { source: 'pdf', ...head, writtenAt: null, writtenBy: null, signature: null };
}

/** The head `path` names, or a VaultError whose message says why none can be taken from it. */
export function findAuditHead(path: string): FoundHead {
  const buf = readLimited(path, MAX_ANCHOR_FILE_BYTES);
  if (buf.length === 0) refuse('The file is empty: it names no audit log head.');
  if (buf.subarray(0, 5).toString('latin1') === '%PDF-') return fromPdf(buf);
  if (buf.length >= 4 && buf.readUInt32LE(0) === LOCAL) return fromXlsx(buf);
  const start = buf.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) return fromJson(buf);
  if (start.startsWith('"')) return fromCsv(buf);
  refuse(NOT_OURS);
}
