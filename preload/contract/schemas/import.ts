/**
 * The import document's format (docs/import-schema.md): its sections and row types, the row
 * schemas built from the contract's own record schemas, and the reading of a document into its
 * sections' rows and of a row into its parsed form. Faults are named in the document's terms.
 */
import { z } from 'zod';
import {
  flagDraft,
  intelligenceDraft,
  isoDay,
  membershipDraft,
  networkDraft,
  offenceDraft,
  offenceLinkDraft,
  personDraft,
  ratingDraft,
  type FlagDraft,
  type IntelligenceDraft,
  type MembershipDraft,
  type NetworkDraft,
  type OffenceDraft,
  type PersonDraft,
  type RatingDraft,
} from './matrix';
import type { MembershipBasis } from '../vocabulary';

/* ---- The document ---------------------------------------------------------------------------- */

export const IMPORT_FORMAT = 'harm-matrix-import';
export const IMPORT_VERSION = 1;

export type NetworkRow = Omit<NetworkDraft, 'reference'> & { reference: string; lastReviewedOn?: string | null };
export type PersonRow = Omit<PersonDraft, 'reference'> & { reference: string };
export type IntelligenceRow = Omit<IntelligenceDraft, 'networkIds'> & { networkRefs?: string[] };
export type MembershipRow = Omit<MembershipDraft, 'personId' | 'networkId' | 'intelIds'> & {
  personRef: string;
  networkRef: string;
  intelRefs?: string[];
  lastReviewedOn?: string | null;
};
export type OffenceRow = OffenceDraft;
export type OffenceLinkRow = { crimeReference: string; networkRef: string; rationale: string; intelRefs: string[]; status?: 'confirmed' | 'proposed' };
export type RatingRow = Omit<RatingDraft, 'networkId' | 'intelIds'> & { networkRef: string; intelRefs?: string[] };
export type FlagRow = Omit<FlagDraft, 'subjectId' | 'networkId' | 'intelIds'> & {
  subjectRef: string;
  networkRef?: string | null;
  intelRefs?: string[];
  status?: 'proposed' | 'confirmed';
};

export interface ImportDocument {
  format: typeof IMPORT_FORMAT;
  version: typeof IMPORT_VERSION;
  generatedAt?: string;
  /** The day the document's data is current to. Informational: the import scores as of today. */
  asOf?: string;
  /** Where the data came from, in a sentence. */
  source?: string;
  /** True for the demo generator's fictitious data; the audit entries say so. */
  isSynthetic?: boolean;
  networks?: NetworkRow[];
  people?: PersonRow[];
  intelligence?: IntelligenceRow[];
  memberships?: MembershipRow[];
  offences?: OffenceRow[];
  offenceLinks?: OffenceLinkRow[];
  ratings?: RatingRow[];
  flags?: FlagRow[];
}

export const SECTIONS = ['networks', 'people', 'intelligence', 'memberships', 'offences', 'offenceLinks', 'ratings', 'flags'] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface ImportError {
  section: SectionName | 'document';
  /** The row's position in its section, from 0; null for the document as a whole. */
  index: number | null;
  /** The row's own reference, where it has one (never a name). */
  reference?: string;
  /** The field at fault, as named in the document (e.g. `offenceDate`, `intelRefs.1`). */
  field?: string;
  message: string;
}


export interface ImportProgress {
  phase: 'validate' | 'write' | 'score';
  section: SectionName | null;
  done: number;
  total: number;
}


/* ---- Row schemas, built from the contract's ---------------------------------------------------- */

const lastReviewedOn = isoDay.nullable().default(null);

/** A network row: the contract's draft with the reference required, and when it was last reviewed. */
export const networkRow = networkDraft.extend({
  reference: networkDraft.shape.reference.unwrap(),
  lastReviewedOn,
});
/** A person row: the contract's draft with the reference required. */
export const personRow = personDraft.extend({ reference: personDraft.shape.reference.unwrap() });
export const offenceRow = offenceDraft;

/**
 * Rows that cite other records by reference are checked with the contract's draft schema itself:
 * each reference field is renamed to the draft's id field before parsing (so the draft's own
 * limits apply, e.g. at most 50 intelligence items), and faults are named back in the document's
 * terms. Fields that exist only in the document (status, lastReviewedOn) have their own schema.
 */
export interface RowSpec {
  draft: z.ZodType;
  /** document field → draft field */
  renames: Record<string, string>;
  extras: z.ZodObject;
}

export const ROW_SPECS = {
  intelligence: { draft: intelligenceDraft, renames: { networkRefs: 'networkIds' }, extras: z.object({}).strict() },
  memberships: {
    draft: membershipDraft,
    renames: { personRef: 'personId', networkRef: 'networkId', intelRefs: 'intelIds' },
    extras: z.object({ lastReviewedOn }).strict(),
  },
  offenceLinks: {
    draft: offenceLinkDraft,
    renames: { crimeReference: 'offenceId', networkRef: 'networkId', intelRefs: 'intelIds' },
    extras: z.object({ status: z.enum(['confirmed', 'proposed'], 'Use confirmed or proposed.').default('confirmed') }).strict(),
  },
  ratings: { draft: ratingDraft, renames: { networkRef: 'networkId', intelRefs: 'intelIds' }, extras: z.object({}).strict() },
  flags: {
    draft: flagDraft,
    renames: { subjectRef: 'subjectId', networkRef: 'networkId', intelRefs: 'intelIds' },
    extras: z.object({ status: z.enum(['proposed', 'confirmed'], 'Use proposed or confirmed.').default('proposed') }).strict(),
  },
} satisfies Partial<Record<SectionName, RowSpec>>;

export type Issue = { field?: string; message: string };

export function issuesOf(err: z.ZodError, back: Record<string, string> = {}): Issue[] {
  // Own keys only: a field named "__proto__" or "constructor" must not find Object.prototype's.
  const docName = (k: string) => (Object.hasOwn(back, k) ? back[k]! : k);
  return err.issues.map((i) => {
    const path = i.path.map(String);
    if (path.length > 0) path[0] = docName(path[0]!);
    // An unknown key is reported on the row, naming the keys, in the document's terms.
    if (i.code === 'unrecognized_keys') {
      const keys = (i as { keys: string[] }).keys.map((k) => quotedKey(docName(k)));
      return { message: `Unknown field${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}.` };
    }
    return path.length > 0 ? { field: path.join('.'), message: i.message } : { message: i.message };
  });
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface SpecKeys {
  /** draft field → document field */
  reverse: Record<string, string>;
  extraKeys: Set<string>;
  draftKeys: Set<string>;
}
const specKeys = new WeakMap<RowSpec, SpecKeys>();
/** Worked out once per spec: on a force-scale document these run a million times. */
function keysOf(spec: RowSpec): SpecKeys {
  let k = specKeys.get(spec);
  if (!k) {
    k = {
      reverse: Object.fromEntries(Object.entries(spec.renames).map(([doc, draft]) => [draft, doc])),
      extraKeys: new Set(Object.keys(spec.extras.shape)),
      draftKeys: new Set(Object.values(spec.renames)),
    };
    specKeys.set(spec, k);
  }
  return k;
}

/** Parse a row that cites references: rename, parse with the draft, parse the extras. */
export function parseRefRow<T>(spec: RowSpec, row: unknown): { value: T | null; issues: Issue[] } {
  if (!isPlainObject(row)) return { value: null, issues: [{ message: 'Each row must be an object.' }] };
  const { reverse, extraKeys, draftKeys } = keysOf(spec);
  const draftInput: Record<string, unknown> = {};
  const extrasInput: Record<string, unknown> = {};
  const issues: Issue[] = [];
  for (const key in row) {
    const value = row[key];
    const renamed = Object.hasOwn(spec.renames, key) ? spec.renames[key] : undefined;
    // JSON.parse makes "__proto__" an own key; copied by assignment it would become the
    // prototype of the object zod reads, and its fields would pass unseen.
    if (key === '__proto__') issues.push({ message: 'Unknown field: __proto__.' });
    else if (extraKeys.has(key)) extrasInput[key] = value;
    else if (renamed) draftInput[renamed] = value;
    else if (draftKeys.has(key)) issues.push({ field: key, message: `Use ${reverse[key]} (a reference), not ${key}.` });
    else draftInput[key] = value;
  }
  const d = spec.draft.safeParse(draftInput);
  const e = spec.extras.safeParse(extrasInput);
  if (!d.success) issues.push(...issuesOf(d.error, reverse));
  if (!e.success) issues.push(...issuesOf(e.error));
  if (issues.length > 0) return { value: null, issues };
  const out = e.data as Record<string, unknown>;
  const data = d.data as Record<string, unknown>;
  for (const k in data) out[Object.hasOwn(reverse, k) ? reverse[k]! : k] = data[k];
  return { value: out as T, issues };
}

/* ---- Parsed rows --------------------------------------------------------------------------- */

export type ParsedNetwork = z.output<typeof networkRow>;
export type ParsedPerson = z.output<typeof personRow>;
export type ParsedIntel = Omit<z.output<typeof intelligenceDraft>, 'networkIds'> & { networkRefs: string[] };
export type ParsedMembership = Omit<z.output<typeof membershipDraft>, 'personId' | 'networkId' | 'intelIds'> & {
  personRef: string;
  networkRef: string;
  intelRefs: string[];
  lastReviewedOn: string | null;
};
export type ParsedOffence = z.output<typeof offenceDraft>;
export type ParsedLink = { crimeReference: string; networkRef: string; rationale: string; intelRefs: string[]; status: 'confirmed' | 'proposed' };
export type ParsedRating = Omit<z.output<typeof ratingDraft>, 'networkId' | 'intelIds'> & { networkRef: string; intelRefs: string[] };
export type ParsedFlag = Omit<z.output<typeof flagDraft>, 'subjectId' | 'networkId' | 'intelIds'> & {
  subjectRef: string;
  networkRef: string | null;
  intelRefs: string[];
  status: 'proposed' | 'confirmed';
};

/** A document with no fault: every row parsed, in its section's order. */
/** A member link that passed its checks, with the basis it is held on. */
export type ValidMembership = ParsedMembership & { basis: MembershipBasis };

export interface ValidDocument {
  isSynthetic: boolean;
  networks: ParsedNetwork[];
  people: ParsedPerson[];
  intelligence: ParsedIntel[];
  memberships: ValidMembership[];
  offences: ParsedOffence[];
  offenceLinks: ParsedLink[];
  ratings: ParsedRating[];
  flags: ParsedFlag[];
}

/* ---- Reading the document -------------------------------------------------------------------- */

const TOP_LEVEL = new Set(['format', 'version', 'generatedAt', 'asOf', 'source', 'isSynthetic', ...SECTIONS]);

/**
 * How deep a document may nest: the document, a section, a row, a list of references in it, and
 * room to spare. Anything deeper is not an import document, and refusing it here (by walking with
 * a stack of our own, not by recursion) keeps a value nested 200,000 deep from reaching anything
 * that recurses over it (JSON.stringify, a message that quotes it) and overflowing the stack.
 */
export const MAX_NESTING = 8;

/** True when `input` holds arrays or objects nested more than `max` deep. */
export function isNestedTooDeep(input: unknown, max = MAX_NESTING): boolean {
  const stack: [unknown, number][] = [[input, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > max) return true;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

/** A field's name as a fault quotes it: never longer than a reference. */
function quotedKey(key: string): string {
  return key.length > 64 ? `${key.slice(0, 64)}…` : key;
}

/** A value as a fault describes it, without serialising whatever the document put there. */
function describeValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 64 ? `${v.slice(0, 64)}…` : v);
  return Array.isArray(v) ? 'a list' : 'an object';
}

export type SectionRows = Record<SectionName, unknown[]>;

/**
 * The document as a whole: its format, version and top-level fields, and each section a list (an
 * absent section is empty). Returns every fault found at that level, or the sections' rows.
 */
export function readSections(input: unknown): { errors: ImportError[]; rows: SectionRows | null; isSynthetic: boolean } {
  const errors: ImportError[] = [];
  const docError = (message: string, field?: string) => errors.push({ section: 'document', index: null, ...(field ? { field } : {}), message });
  if (!isPlainObject(input)) {
    docError('The document must be a JSON object.');
    return { errors, rows: null, isSynthetic: false };
  }
  if (isNestedTooDeep(input)) {
    docError(`The document nests lists or objects more than ${MAX_NESTING} deep; an import document never does.`);
    return { errors, rows: null, isSynthetic: false };
  }
  if (input.format !== IMPORT_FORMAT) docError(`This is not a Harm Matrix import document: "format" must be "${IMPORT_FORMAT}".`, 'format');
  if (input.version !== IMPORT_VERSION) docError(`This app reads import documents of version ${IMPORT_VERSION}; this one says ${describeValue(input.version)}.`, 'version');
  for (const key of Object.keys(input)) if (!TOP_LEVEL.has(key)) docError(`Unknown section or field "${quotedKey(key)}".`, quotedKey(key));
  for (const key of ['generatedAt', 'source'] as const) if (input[key] !== undefined && typeof input[key] !== 'string') docError(`"${key}" must be text.`, key);
  if (input.asOf !== undefined && !isoDay.safeParse(input.asOf).success) docError('"asOf" must be a date like 2026-06-30.', 'asOf');
  if (input.isSynthetic !== undefined && typeof input.isSynthetic !== 'boolean') docError('"isSynthetic" must be true or false.', 'isSynthetic');
  const rows = {} as SectionRows;
  for (const s of SECTIONS) {
    const v = input[s];
    if (v === undefined) rows[s] = [];
    else if (Array.isArray(v)) rows[s] = v;
    else {
      docError(`"${s}" must be a list of rows.`, s);
      rows[s] = [];
    }
  }
  return errors.length > 0 ? { errors, rows: null, isSynthetic: false } : { errors, rows, isSynthetic: input.isSynthetic === true };
}

/** The row's own reference for the report, if it has a usable one. */
export function refOf(row: unknown, key: string): string | undefined {
  if (!isPlainObject(row)) return undefined;
  const v = row[key];
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 64) : undefined;
}
