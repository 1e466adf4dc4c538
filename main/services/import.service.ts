/**
 * Import of a register from a JSON document (docs/import-schema.md): the CLI's `import`, and the
 * demo vault's synthetic data.
 *
 * Two phases, and nothing is written unless the first finds no fault at all:
 * 1. Validate every row with the contract's own record schemas (preload/contract/schemas/matrix.ts), then
 *    the references between rows and to records already in the vault, and the rules the matrix
 *    service enforces (a member link needs two graded items from distinct sources or a
 *    self-admission; offence categories from the weight table; one current flag per subject; …).
 *    Every fault is reported, by section, row and field, not only the first.
 * 2. One transaction (Session.write): every row, audit entries that count what was recorded (no
 *    personal data in them), and one rescore of every network. A failure anywhere, including a
 *    progress callback that throws to cancel, rolls all of it back.
 *
 * Rows are written with statements prepared once per import, not the repos' per-row helpers,
 * which prepare their SQL on every call (measured: that alone would add tens of seconds at force
 * scale). The columns and values are the ones the repos and matrix.service.ts write.
 */
import { randomFillSync, randomUUID } from 'node:crypto';
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
} from '../../preload/contract/schemas/matrix';
import { addMonths, compareIsoDates } from '../../preload/contract/dates';
import type { IntelligenceRecord } from '../store/intelligence.repo';
import type { Db } from '../vault/database';
import {
  distinctGradedSources,
  FLAG_REVIEW_MONTHS,
  isUnder18,
  MEMBER_REVIEW_MONTHS,
  NETWORK_REVIEW_MONTHS,
  UNDER_18_MEMBER_REVIEW_MONTHS,
} from './matrix.service';
import { definitionsVersion, referenceData, weightTable } from './reference.service';
import { rescoreNetworks } from './scoring.service';
import type { AuditFn, Session } from './session';
import { ukToday } from '../../preload/contract/uk-time';

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

export type ImportCounts = Record<SectionName, number> & { proposedLinksFromFlags: number };

export interface ImportProgress {
  phase: 'validate' | 'write' | 'score';
  section: SectionName | null;
  done: number;
  total: number;
}

export interface ImportOptions {
  /** Called as work proceeds. Throwing from it cancels the import: nothing is kept. */
  onProgress?: (p: ImportProgress) => void;
  /** Validate only. */
  dryRun?: boolean;
  /**
   * Whether rows may arrive as confirmed gang flags. Confirming a flag is a supervisor's act
   * (matrix.service.ts confirmFlag), so by default only a supervisor's import may carry them.
   */
  canConfirmFlags?: boolean;
  /** Runs inside the import's transaction after the rows and the rescore (the demo vault's marker). */
  withinTransaction?: (db: Db, audit: AuditFn) => void;
}

export type ImportResult =
  | { ok: true; isDryRun: boolean; importId: string | null; counts: ImportCounts; scored: number }
  | { ok: false; errors: ImportError[]; isTruncated: boolean };

/** Enough to show every fault of a badly made document without exhausting memory. */
export const MAX_ERRORS = 10_000;

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

const refList = z.array(z.string().trim().min(1, 'Give a reference.').max(64, 'A reference has at most 64 characters.'));

/**
 * Rows that cite other records by reference are checked with the contract's draft schema itself:
 * each reference field is renamed to the draft's id field before parsing (so the draft's own
 * limits apply, e.g. at most 50 intelligence items), and faults are named back in the document's
 * terms. Fields that exist only in the document (status, lastReviewedOn) have their own schema.
 */
interface RowSpec {
  draft: z.ZodType;
  /** document field → draft field */
  renames: Record<string, string>;
  extras: z.ZodObject;
}

const ROW_SPECS: Partial<Record<SectionName, RowSpec>> = {
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
};

type Issue = { field?: string; message: string };

function issuesOf(err: z.ZodError, back: Record<string, string> = {}): Issue[] {
  // Own keys only: a field named "__proto__" or "constructor" must not find Object.prototype's.
  const docName = (k: string) => (Object.hasOwn(back, k) ? back[k]! : k);
  return err.issues.map((i) => {
    const path = i.path.map(String);
    if (path.length > 0) path[0] = docName(path[0]!);
    // An unknown key is reported on the row, naming the keys, in the document's terms.
    if (i.code === 'unrecognized_keys') {
      const keys = (i as { keys: string[] }).keys.map(docName);
      return { message: `Unknown field${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}.` };
    }
    return path.length > 0 ? { field: path.join('.'), message: i.message } : { message: i.message };
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
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
function parseRefRow<T>(spec: RowSpec, row: unknown): { value: T | null; issues: Issue[] } {
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

type ParsedNetwork = z.output<typeof networkRow>;
type ParsedPerson = z.output<typeof personRow>;
type ParsedIntel = Omit<z.output<typeof intelligenceDraft>, 'networkIds'> & { networkRefs: string[] };
type ParsedMembership = Omit<z.output<typeof membershipDraft>, 'personId' | 'networkId' | 'intelIds'> & {
  personRef: string;
  networkRef: string;
  intelRefs: string[];
  lastReviewedOn: string | null;
};
type ParsedOffence = z.output<typeof offenceDraft>;
type ParsedLink = { crimeReference: string; networkRef: string; rationale: string; intelRefs: string[]; status: 'confirmed' | 'proposed' };
type ParsedRating = Omit<z.output<typeof ratingDraft>, 'networkId' | 'intelIds'> & { networkRef: string; intelRefs: string[] };
type ParsedFlag = Omit<z.output<typeof flagDraft>, 'subjectId' | 'networkId' | 'intelIds'> & {
  subjectRef: string;
  networkRef: string | null;
  intelRefs: string[];
  status: 'proposed' | 'confirmed';
};

interface ValidDocument {
  isSynthetic: boolean;
  networks: ParsedNetwork[];
  people: ParsedPerson[];
  intelligence: ParsedIntel[];
  memberships: ParsedMembership[];
  offences: ParsedOffence[];
  offenceLinks: ParsedLink[];
  ratings: ParsedRating[];
  flags: ParsedFlag[];
}

/* ---- What the vault already holds ------------------------------------------------------------ */

type GradedFacts = Pick<IntelligenceRecord, 'grading' | 'sourceGrade' | 'intelGrade' | 'sourceRef'>;

/** Records already in the vault that a document may cite, or must not duplicate. */
export interface ExistingRecords {
  networks: Map<string, string>;
  people: Map<string, { id: string; dateOfBirth: string | null }>;
  intelligence: Map<string, GradedFacts & { id: string }>;
  offences: Map<string, string>;
  /** `${personId}|${networkId}` of links not ended. */
  liveMemberships: Set<string>;
  /** `${offenceId}|${networkId}` */
  offenceLinks: Set<string>;
  /** `${subjectType}|${subjectId}` with a proposed or confirmed flag. */
  currentFlags: Set<string>;
}

export function noExistingRecords(): ExistingRecords {
  return { networks: new Map(), people: new Map(), intelligence: new Map(), offences: new Map(), liveMemberships: new Set(), offenceLinks: new Set(), currentFlags: new Set() };
}

export function loadExistingRecords(db: Db): ExistingRecords {
  const ex = noExistingRecords();
  for (const [ref, id] of db.prepare('SELECT reference, id FROM networks').raw().iterate() as IterableIterator<[string, string]>) ex.networks.set(ref, id);
  for (const [ref, id, dob] of db.prepare('SELECT reference, id, date_of_birth FROM people').raw().iterate() as IterableIterator<[string, string, string | null]>) {
    ex.people.set(ref, { id, dateOfBirth: dob });
  }
  for (const [ref, id, grading, sourceGrade, intelGrade, sourceRef] of db
    .prepare('SELECT reference, id, grading, source_grade, intel_grade, source_ref FROM intelligence')
    .raw()
    .iterate() as IterableIterator<[string, string, IntelligenceRecord['grading'], IntelligenceRecord['sourceGrade'], IntelligenceRecord['intelGrade'], string]>) {
    ex.intelligence.set(ref, { id, grading, sourceGrade, intelGrade, sourceRef });
  }
  for (const [ref, id] of db.prepare('SELECT crime_reference, id FROM offences').raw().iterate() as IterableIterator<[string, string]>) ex.offences.set(ref, id);
  for (const [p, n] of db.prepare("SELECT person_id, network_id FROM memberships WHERE status <> 'ended'").raw().iterate() as IterableIterator<[string, string]>) {
    ex.liveMemberships.add(`${p}|${n}`);
  }
  for (const [o, n] of db.prepare('SELECT offence_id, network_id FROM offence_links').raw().iterate() as IterableIterator<[string, string]>) ex.offenceLinks.add(`${o}|${n}`);
  for (const [t, s] of db.prepare("SELECT subject_type, subject_id FROM gang_flags WHERE status IN ('proposed','confirmed')").raw().iterate() as IterableIterator<[string, string]>) {
    ex.currentFlags.add(`${t}|${s}`);
  }
  return ex;
}

/* ---- Validation ---------------------------------------------------------------------------- */

class Report {
  readonly errors: ImportError[] = [];
  isTruncated = false;

  add(e: ImportError): void {
    if (this.errors.length >= MAX_ERRORS) {
      this.isTruncated = true;
      return;
    }
    this.errors.push(e);
  }

  addIssues(section: SectionName, index: number, reference: string | undefined, issues: Issue[]): void {
    for (const i of issues) this.add({ section, index, ...(reference ? { reference } : {}), ...(i.field ? { field: i.field } : {}), message: i.message });
  }
}

const TOP_LEVEL = new Set(['format', 'version', 'generatedAt', 'asOf', 'source', 'isSynthetic', ...SECTIONS]);

const fmt = (n: number) => n.toLocaleString('en-GB');

/** The row's own reference for the report, if it has a usable one. */
function refOf(row: unknown, key: string): string | undefined {
  if (!isPlainObject(row)) return undefined;
  const v = row[key];
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 64) : undefined;
}

export interface ValidationContext {
  /** Today (UK), for dates that cannot be in the future and for review dates. */
  today: string;
  existing: ExistingRecords;
  canConfirmFlags: boolean;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Check a whole document. Returns every fault (up to MAX_ERRORS) or the parsed rows. Pure apart
 * from `existing`, which the caller loads from the vault (or leaves empty).
 */
export function validateDocument(input: unknown, vc: ValidationContext): { errors: ImportError[]; isTruncated: boolean; doc: ValidDocument | null } {
  const report = new Report();
  const docError = (message: string, field?: string) => report.add({ section: 'document', index: null, ...(field ? { field } : {}), message });
  if (!isPlainObject(input)) {
    docError('The document must be a JSON object.');
    return { errors: report.errors, isTruncated: false, doc: null };
  }
  if (input.format !== IMPORT_FORMAT) docError(`This is not a Harm Matrix import document: "format" must be "${IMPORT_FORMAT}".`, 'format');
  if (input.version !== IMPORT_VERSION) docError(`This app reads import documents of version ${IMPORT_VERSION}; this one says ${JSON.stringify(input.version ?? null)}.`, 'version');
  for (const key of Object.keys(input)) if (!TOP_LEVEL.has(key)) docError(`Unknown section or field "${key}".`, key);
  for (const key of ['generatedAt', 'source'] as const) if (input[key] !== undefined && typeof input[key] !== 'string') docError(`"${key}" must be text.`, key);
  if (input.asOf !== undefined && !isoDay.safeParse(input.asOf).success) docError('"asOf" must be a date like 2026-06-30.', 'asOf');
  if (input.isSynthetic !== undefined && typeof input.isSynthetic !== 'boolean') docError('"isSynthetic" must be true or false.', 'isSynthetic');
  const rows = {} as Record<SectionName, unknown[]>;
  for (const s of SECTIONS) {
    const v = input[s];
    if (v === undefined) rows[s] = [];
    else if (Array.isArray(v)) rows[s] = v;
    else {
      docError(`"${s}" must be a list of rows.`, s);
      rows[s] = [];
    }
  }
  if (report.errors.length > 0) return { errors: report.errors, isTruncated: false, doc: null };

  const { today, existing } = vc;
  const progress = (section: SectionName, done: number) => vc.onProgress?.({ phase: 'validate', section, done, total: rows[section].length });
  const everyRow = <T>(section: SectionName, fn: (row: unknown, index: number) => T | null): (T | null)[] => {
    const out = new Array<T | null>(rows[section].length);
    for (let i = 0; i < rows[section].length; i++) {
      out[i] = fn(rows[section][i], i);
      if ((i + 1) % 50_000 === 0 && i + 1 < rows[section].length) progress(section, i + 1);
    }
    progress(section, rows[section].length);
    return out;
  };
  const boroughs = new Set(referenceData().boroughs.items.map((b) => b.code));
  const categories = Object.hasOwn.bind(null, weightTable().weights);

  /** Duplicate references within the document, and against the vault. */
  const firstSeen = <K>(section: SectionName, seen: Map<K, number>, key: K, index: number, label: string, field: string, reference: string | undefined, isInVault: boolean): boolean => {
    const prev = seen.get(key);
    if (prev !== undefined) {
      report.add({ section, index, reference, field, message: `Duplicate ${label}: already used by ${section}[${prev}].` });
      return false;
    }
    seen.set(key, index);
    if (isInVault) {
      report.add({ section, index, reference, field, message: `The vault already holds ${label}.` });
      return false;
    }
    return true;
  };

  // Networks
  const networkIndex = new Map<string, number>();
  const networks = everyRow('networks', (row, i) => {
    const reference = refOf(row, 'reference');
    if (reference) firstSeen('networks', networkIndex, reference, i, `network reference ${reference}`, 'reference', reference, existing.networks.has(reference));
    const r = networkRow.safeParse(row);
    if (!r.success) return report.addIssues('networks', i, reference, issuesOf(r.error)), null;
    const bad = [r.data.leadBorough, ...r.data.otherBoroughs].find((b) => !boroughs.has(b));
    if (bad) return report.add({ section: 'networks', index: i, reference, field: 'leadBorough', message: 'Choose boroughs from the list.' }), null;
    if (r.data.lastReviewedOn && compareIsoDates(r.data.lastReviewedOn, today) > 0) {
      return report.add({ section: 'networks', index: i, reference, field: 'lastReviewedOn', message: 'The last review date is in the future.' }), null;
    }
    return r.data;
  });

  // People
  const personIndex = new Map<string, number>();
  const people = everyRow('people', (row, i) => {
    const reference = refOf(row, 'reference');
    if (reference) firstSeen('people', personIndex, reference, i, `person reference ${reference}`, 'reference', reference, existing.people.has(reference));
    const r = personRow.safeParse(row);
    if (!r.success) return report.addIssues('people', i, reference, issuesOf(r.error)), null;
    if (r.data.dateOfBirth && compareIsoDates(r.data.dateOfBirth, today) > 0) {
      return report.add({ section: 'people', index: i, reference, field: 'dateOfBirth', message: 'The date of birth is in the future.' }), null;
    }
    return r.data;
  });

  // Intelligence (its network references are checked once every network is known)
  const intelIndex = new Map<string, number>();
  const intelligence = everyRow('intelligence', (row, i) => {
    const reference = refOf(row, 'reference');
    if (reference) firstSeen('intelligence', intelIndex, reference, i, `intelligence reference ${reference}`, 'reference', reference, existing.intelligence.has(reference));
    const r = parseRefRow<ParsedIntel>(ROW_SPECS.intelligence!, row);
    if (!r.value) return report.addIssues('intelligence', i, reference, r.issues), null;
    return r.value;
  });

  // Offences
  const offenceIndex = new Map<string, number>();
  const offences = everyRow('offences', (row, i) => {
    const reference = refOf(row, 'crimeReference');
    if (reference) firstSeen('offences', offenceIndex, reference, i, `crime reference ${reference}`, 'crimeReference', reference, existing.offences.has(reference));
    const r = offenceRow.safeParse(row);
    if (!r.success) return report.addIssues('offences', i, reference, issuesOf(r.error)), null;
    if (!categories(r.data.category)) return report.add({ section: 'offences', index: i, reference, field: 'category', message: 'Choose an offence category from the weight table.' }), null;
    if (!boroughs.has(r.data.borough)) return report.add({ section: 'offences', index: i, reference, field: 'borough', message: 'Choose boroughs from the list.' }), null;
    return r.data;
  });

  /* Resolving references: to a row of this document (valid or not, so one bad row does not
     cascade into faults on every row that cites it) or to a record in the vault. */
  const hasNetwork = (ref: string) => networkIndex.has(ref) || existing.networks.has(ref);
  const intelFacts = (ref: string): GradedFacts | null | undefined => {
    const at = intelIndex.get(ref);
    if (at !== undefined) {
      const row = intelligence[at];
      return row ? { grading: row.grading, sourceGrade: row.sourceGrade, intelGrade: row.intelGrade, sourceRef: row.sourceRef } : null;
    }
    return existing.intelligence.get(ref);
  };
  /** Checks every cited item exists; returns their facts, or null when any is unknown or itself invalid. */
  const citedItems = (section: SectionName, index: number, reference: string | undefined, refs: string[]): GradedFacts[] | null => {
    const facts: GradedFacts[] = [];
    let isComplete = true;
    refs.forEach((ref, k) => {
      const f = intelFacts(ref);
      if (f === undefined) {
        report.add({ section, index, reference, field: `intelRefs.${k}`, message: `No intelligence item with reference ${ref} in this document or the vault.` });
        isComplete = false;
      } else if (f === null) isComplete = false;
      else facts.push(f);
    });
    return isComplete ? facts : null;
  };
  const graded = (items: GradedFacts[]) => distinctGradedSources(items as IntelligenceRecord[]);
  const personKey = (ref: string) => (personIndex.has(ref) ? `doc:${ref}` : existing.people.has(ref) ? existing.people.get(ref)!.id : null);
  const networkKey = (ref: string) => (networkIndex.has(ref) ? `doc:${ref}` : existing.networks.get(ref) ?? null);
  const offenceKey = (ref: string) => (offenceIndex.has(ref) ? `doc:${ref}` : existing.offences.get(ref) ?? null);

  intelligence.forEach((row, i) => {
    if (!row) return;
    row.networkRefs.forEach((ref, k) => {
      if (!hasNetwork(ref)) report.add({ section: 'intelligence', index: i, reference: row.reference, field: `networkRefs.${k}`, message: `No network with reference ${ref} in this document or the vault.` });
    });
  });

  // Member links
  const membershipSeen = new Map<string, number>();
  const memberships = everyRow('memberships', (row, i) => {
    const reference = refOf(row, 'personRef');
    const r = parseRefRow<ParsedMembership>(ROW_SPECS.memberships!, row);
    if (!r.value) return report.addIssues('memberships', i, reference, r.issues), null;
    const m = r.value;
    let isOk = true;
    const pk = personKey(m.personRef);
    const nk = networkKey(m.networkRef);
    if (pk === null) {
      report.add({ section: 'memberships', index: i, reference, field: 'personRef', message: `No person with reference ${m.personRef} in this document or the vault.` });
      isOk = false;
    }
    if (nk === null) {
      report.add({ section: 'memberships', index: i, reference, field: 'networkRef', message: `No network with reference ${m.networkRef} in this document or the vault.` });
      isOk = false;
    }
    const items = citedItems('memberships', i, reference, m.intelRefs);
    if (items === null) isOk = false;
    if (!isOk) return null;
    if (m.role !== 'victim_at_risk' && !m.isSelfAdmission && graded(items!) < 2) {
      report.add({
        section: 'memberships',
        index: i,
        reference,
        field: 'intelRefs',
        message:
          'A member link needs at least two graded intelligence items from independent sources, or a self-admission. No one is linked on association or location alone.',
      });
      return null;
    }
    const key = `${pk}|${nk}`;
    if (!firstSeen('memberships', membershipSeen, key, i, `link of ${m.personRef} to ${m.networkRef}`, 'networkRef', reference, existing.liveMemberships.has(key))) return null;
    if (m.lastReviewedOn && compareIsoDates(m.lastReviewedOn, today) > 0) {
      return report.add({ section: 'memberships', index: i, reference, field: 'lastReviewedOn', message: 'The last review date is in the future.' }), null;
    }
    return m;
  });

  // Offence → network links
  const linkSeen = new Map<string, number>();
  const offenceLinks = everyRow('offenceLinks', (row, i) => {
    const reference = refOf(row, 'crimeReference');
    const r = parseRefRow<ParsedLink>(ROW_SPECS.offenceLinks!, row);
    if (!r.value) return report.addIssues('offenceLinks', i, reference, r.issues), null;
    const l = r.value;
    let isOk = true;
    const ok = offenceKey(l.crimeReference);
    const nk = networkKey(l.networkRef);
    if (ok === null) {
      report.add({ section: 'offenceLinks', index: i, reference, field: 'crimeReference', message: `No offence with crime reference ${l.crimeReference} in this document or the vault.` });
      isOk = false;
    }
    if (nk === null) {
      report.add({ section: 'offenceLinks', index: i, reference, field: 'networkRef', message: `No network with reference ${l.networkRef} in this document or the vault.` });
      isOk = false;
    }
    const items = citedItems('offenceLinks', i, reference, l.intelRefs);
    if (items === null || !isOk) return null;
    if (graded(items) < 1) return report.add({ section: 'offenceLinks', index: i, reference, field: 'intelRefs', message: 'Cite at least one graded intelligence item.' }), null;
    const key = `${ok}|${nk}`;
    if (!firstSeen('offenceLinks', linkSeen, key, i, `link of offence ${l.crimeReference} to ${l.networkRef}`, 'networkRef', reference, existing.offenceLinks.has(key))) return null;
    return l;
  });

  // Ratings
  const ratingSeen = new Map<string, number>();
  const ratings = everyRow('ratings', (row, i) => {
    const reference = refOf(row, 'networkRef');
    const r = parseRefRow<ParsedRating>(ROW_SPECS.ratings!, row);
    if (!r.value) return report.addIssues('ratings', i, reference, r.issues), null;
    const x = r.value;
    let isOk = true;
    if (!hasNetwork(x.networkRef)) {
      report.add({ section: 'ratings', index: i, reference, field: 'networkRef', message: `No network with reference ${x.networkRef} in this document or the vault.` });
      isOk = false;
    }
    if (citedItems('ratings', i, reference, x.intelRefs) === null || !isOk) return null;
    if (!firstSeen('ratings', ratingSeen, `${x.networkRef}|${x.kind}|${x.dimension}`, i, `${x.kind} rating ${x.dimension} for ${x.networkRef}`, 'dimension', reference, false)) return null;
    return x;
  });

  // Gang flags
  const flagSeen = new Map<string, number>();
  const flags = everyRow('flags', (row, i) => {
    const reference = refOf(row, 'subjectRef');
    const r = parseRefRow<ParsedFlag>(ROW_SPECS.flags!, row);
    if (!r.value) return report.addIssues('flags', i, reference, r.issues), null;
    const f = r.value;
    let isOk = true;
    const sk = f.subjectType === 'person' ? personKey(f.subjectRef) : offenceKey(f.subjectRef);
    if (sk === null) {
      const what = f.subjectType === 'person' ? 'person with reference' : 'offence with crime reference';
      report.add({ section: 'flags', index: i, reference, field: 'subjectRef', message: `No ${what} ${f.subjectRef} in this document or the vault.` });
      isOk = false;
    }
    if (f.networkRef !== null && !hasNetwork(f.networkRef)) {
      report.add({ section: 'flags', index: i, reference, field: 'networkRef', message: `No network with reference ${f.networkRef} in this document or the vault.` });
      isOk = false;
    }
    const items = citedItems('flags', i, reference, f.intelRefs);
    if (items === null || !isOk) return null;
    if (f.status === 'confirmed') {
      if (!vc.canConfirmFlags) {
        return report.add({ section: 'flags', index: i, reference, field: 'status', message: 'Only a supervisor can confirm a gang flag: import it as proposed, or run the import as a supervisor.' }), null;
      }
      if (!f.isSelfAdmission && graded(items) < 2) {
        return report.add({ section: 'flags', index: i, reference, field: 'intelRefs', message: 'This flag does not meet its criteria: it needs two graded items from independent sources, or a self-admission.' }), null;
      }
    }
    const key = `${f.subjectType}|${sk}`;
    if (!firstSeen('flags', flagSeen, key, i, `current gang flag on ${f.subjectRef}`, 'subjectRef', reference, existing.currentFlags.has(key))) return null;
    return f;
  });

  if (report.errors.length > 0) return { errors: report.errors, isTruncated: report.isTruncated, doc: null };
  const all = <T>(xs: (T | null)[]) => xs as T[];
  return {
    errors: [],
    isTruncated: false,
    doc: {
      isSynthetic: input.isSynthetic === true,
      networks: all(networks),
      people: all(people),
      intelligence: all(intelligence),
      memberships: all(memberships),
      offences: all(offences),
      offenceLinks: all(offenceLinks),
      ratings: all(ratings),
      flags: all(flags),
    },
  };
}

/* ---- Writing ------------------------------------------------------------------------------- */

/**
 * Record ids for one import: UUIDs version 7 (RFC 9562) with the import's time and a counter
 * (method 1, a 26-bit counter in rand_a and the top of rand_b; 48 random bits after it), so ids
 * rise in the order rows are written. Random (v4) ids would scatter a million inserts across every
 * page of each primary-key index, and at force scale the indexes outgrow the page cache: each
 * eviction re-encrypts a page and each revisit decrypts it again. Rising ids append instead.
 * The time they carry is the row's created_at, which the row holds anyway.
 */
export function orderedIds(now: Date): () => string {
  const ms = BigInt(now.getTime());
  const time = ms.toString(16).padStart(12, '0').slice(-12);
  const pool = Buffer.alloc(6 * 4096);
  let at = pool.length;
  let counter = 0;
  return () => {
    if (counter >= 1 << 26) throw new Error('More than 67 million ids in one import.');
    if (at === pool.length) {
      randomFillSync(pool);
      at = 0;
    }
    const rand = pool.toString('hex', at, at + 6);
    at += 6;
    const c = counter++;
    // 7xxx: version 7 and the counter's high 12 bits; then the variant (10) and its low 14 bits.
    const a = (0x7000 | (c >>> 14)).toString(16);
    const b = (0x8000 | (c & 0x3fff)).toString(16);
    return `${time.slice(0, 8)}-${time.slice(8)}-${a}-${b}-${rand}`;
  };
}

function countsOf(d: ValidDocument, proposedLinksFromFlags: number): ImportCounts {
  return {
    networks: d.networks.length,
    people: d.people.length,
    intelligence: d.intelligence.length,
    memberships: d.memberships.length,
    offences: d.offences.length,
    offenceLinks: d.offenceLinks.length,
    ratings: d.ratings.length,
    flags: d.flags.length,
    proposedLinksFromFlags,
  };
}

/**
 * Rows for one table, written many to a statement (`INSERT … VALUES (…), (…), …`): at force scale
 * the per-statement cost of a million single-row inserts is several seconds. A child table's
 * batch names its parent's, and flushes the parent first, so a foreign key never points at a row
 * still waiting in a buffer.
 */
class BatchInsert {
  private values: unknown[] = [];
  private readonly full: ReturnType<Db['prepare']>;
  /** Rows the database actually added (INSERT OR IGNORE skips duplicates). */
  changes = 0;

  constructor(
    private readonly db: Db,
    private readonly head: string,
    private readonly width: number,
    private readonly parent: BatchInsert | null = null,
    private readonly rowsPerStatement = 64,
  ) {
    this.full = db.prepare(this.sql(rowsPerStatement));
  }

  private sql(rows: number): string {
    const one = `(${new Array(this.width).fill('?').join(', ')})`;
    return `${this.head} VALUES ${new Array(rows).fill(one).join(', ')}`;
  }

  add(...row: unknown[]): void {
    for (const v of row) this.values.push(v);
    if (this.values.length === this.width * this.rowsPerStatement) this.flush();
  }

  flush(): void {
    if (this.values.length === 0) return;
    this.parent?.flush();
    const rows = this.values.length / this.width;
    const statement = rows === this.rowsPerStatement ? this.full : this.db.prepare(this.sql(rows));
    this.changes += statement.run(...this.values).changes;
    this.values = [];
  }
}

/**
 * Validate a document and, if it has no fault, record all of it in one transaction.
 * The signed-in user is recorded as the creator of every row.
 */
export function importDocument(s: Session, input: unknown, opts: ImportOptions = {}): ImportResult {
  const user = s.requireUser();
  const vault = s.requireVault();
  const today = ukToday(s.ctx.now());
  // Read once: nothing else writes to this vault while the import runs (the CLI and the app each
  // hold the vault's lock, and the work below is synchronous).
  const existing = loadExistingRecords(vault.db);
  const v = validateDocument(input, {
    today,
    existing,
    canConfirmFlags: opts.canConfirmFlags ?? user.role === 'supervisor',
    onProgress: opts.onProgress,
  });
  if (!v.doc) return { ok: false, errors: v.errors, isTruncated: v.isTruncated };
  const d = v.doc;
  if (opts.dryRun) return { ok: true, isDryRun: true, importId: null, counts: countsOf(d, 0), scored: 0 };

  const importId = randomUUID();
  const now = s.ctx.now();
  const newId = orderedIds(now);
  const at = now.toISOString();
  const tag = d.isSynthetic ? ' (synthetic data)' : '';
  return s.write((db, audit) => {
    const progress = (phase: ImportProgress['phase'], section: SectionName | null, done: number, total: number) => opts.onProgress?.({ phase, section, done, total });
    const networkIds = new Map(existing.networks);
    const people = new Map(existing.people);
    const intelIds = new Map<string, string>([...existing.intelligence].map(([ref, x]) => [ref, x.id]));
    const offenceIds = new Map(existing.offences);
    const ids = (refs: string[]) => [...new Set(refs)].map((r) => intelIds.get(r)!);
    const each = <T>(section: SectionName, list: T[], fn: (row: T) => void) => {
      for (let i = 0; i < list.length; i++) {
        fn(list[i]!);
        if ((i + 1) % 50_000 === 0 && i + 1 < list.length) progress('write', section, i + 1, list.length);
      }
      progress('write', section, list.length, list.length);
    };

    const insNetwork = db.prepare(
      `INSERT INTO networks (id, reference, name, aliases, type, definitions_version, status, lead_borough, business_group, unit, lead_officer, created_at, created_by, last_reviewed_on, next_review_on)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const boroughs = new BatchInsert(db, 'INSERT OR IGNORE INTO network_boroughs (network_id, borough_code)', 2);
    const defs = definitionsVersion();
    each('networks', d.networks, (n) => {
      const id = newId();
      networkIds.set(n.reference, id);
      insNetwork.run(id, n.reference, n.name, n.aliases, n.type, defs, n.status, n.leadBorough, n.businessGroup, n.unit, n.leadOfficer, at, user.id, n.lastReviewedOn, addMonths(n.lastReviewedOn ?? today, NETWORK_REVIEW_MONTHS));
      for (const b of new Set(n.otherBoroughs)) if (b !== n.leadBorough) boroughs.add(id, b);
    });
    boroughs.flush();

    const persons = new BatchInsert(db, 'INSERT INTO people (id, reference, name, date_of_birth, sex, ethnicity_self, ethnicity_officer, created_at, created_by)', 9);
    each('people', d.people, (p) => {
      const id = newId();
      people.set(p.reference, { id, dateOfBirth: p.dateOfBirth });
      persons.add(id, p.reference, p.name, p.dateOfBirth, p.sex, p.ethnicitySelf, p.ethnicityOfficer, at, user.id);
    });
    persons.flush();

    const items = new BatchInsert(
      db,
      'INSERT INTO intelligence (id, reference, item_date, summary, grading, source_grade, intel_grade, handling, legacy_grade, source_ref, created_at, created_by)',
      12,
    );
    const held = new BatchInsert(db, 'INSERT OR IGNORE INTO network_intelligence (network_id, intel_id)', 2, items);
    each('intelligence', d.intelligence, (i) => {
      const id = newId();
      intelIds.set(i.reference, id);
      const isNew = i.grading === '3x5x2';
      items.add(id, i.reference, i.itemDate, i.summary, i.grading, isNew ? i.sourceGrade : null, isNew ? i.intelGrade : null, isNew ? i.handling : null, isNew ? null : i.legacyGrade, i.sourceRef, at, user.id);
      for (const ref of new Set(i.networkRefs)) held.add(networkIds.get(ref)!, id);
    });
    held.flush();
    items.flush();

    const offences = new BatchInsert(
      db,
      'INSERT INTO offences (id, crime_reference, ho_code, category, offence_date, borough_code, stage, weapon, is_victim_under_20, created_at, created_by)',
      11,
    );
    each('offences', d.offences, (o) => {
      const id = newId();
      offenceIds.set(o.crimeReference, id);
      offences.add(id, o.crimeReference, o.hoCode, o.category, o.offenceDate, o.borough, o.stage, o.weapon, o.isVictimUnder20 ? 1 : 0, at, user.id);
    });
    offences.flush();

    const members = new BatchInsert(
      db,
      'INSERT INTO memberships (id, person_id, network_id, role, basis, status, start_date, review_on, confirmed_by, confirmed_at, ended_at, created_at, created_by)',
      13,
    );
    const memberIntel = new BatchInsert(db, 'INSERT OR IGNORE INTO membership_intelligence (membership_id, intel_id)', 2, members);
    let victimLinks = 0;
    each('memberships', d.memberships, (m) => {
      const id = newId();
      const person = people.get(m.personRef)!;
      const isVictim = m.role === 'victim_at_risk';
      if (isVictim) victimLinks++;
      // The same review cycle as a link made on screen, counted from its last validation.
      const months = isUnder18(person.dateOfBirth, today) ? UNDER_18_MEMBER_REVIEW_MONTHS : MEMBER_REVIEW_MONTHS;
      const basis = isVictim ? 'safeguarding' : m.isSelfAdmission ? 'self_admission' : 'graded_sources';
      members.add(id, person.id, networkIds.get(m.networkRef)!, m.role, basis, 'confirmed', m.startDate, addMonths(m.lastReviewedOn ?? today, months), user.id, at, null, at, user.id);
      for (const intelId of ids(m.intelRefs)) memberIntel.add(id, intelId);
    });
    memberIntel.flush();
    members.flush();

    const links = new BatchInsert(db, 'INSERT INTO offence_links (id, offence_id, network_id, rationale, status, proposed_by, confirmed_by, confirmed_at, created_at)', 9);
    const linkIntel = new BatchInsert(db, 'INSERT OR IGNORE INTO offence_link_intelligence (link_id, intel_id)', 2, links);
    const linked = new Set<string>();
    let proposedLinks = 0;
    const addLink = (offenceId: string, networkId: string, rationale: string, status: 'confirmed' | 'proposed', intel: string[]) => {
      const id = newId();
      const isConfirmed = status === 'confirmed';
      links.add(id, offenceId, networkId, rationale, status, user.id, isConfirmed ? user.id : null, isConfirmed ? at : null, at);
      for (const intelId of intel) linkIntel.add(id, intelId);
      linked.add(`${offenceId}|${networkId}`);
    };
    each('offenceLinks', d.offenceLinks, (l) => {
      if (l.status === 'proposed') proposedLinks++;
      addLink(offenceIds.get(l.crimeReference)!, networkIds.get(l.networkRef)!, l.rationale, l.status, ids(l.intelRefs));
    });
    linkIntel.flush();
    links.flush();

    const upsertRating = db.prepare(
      `INSERT INTO ratings (network_id, kind, dimension, value, rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(network_id, kind, dimension) DO UPDATE SET value = excluded.value, rated_by = excluded.rated_by, rated_at = excluded.rated_at`,
    );
    const clearSupport = db.prepare('DELETE FROM rating_support WHERE network_id = ? AND kind = ? AND dimension = ?');
    const insSupport = db.prepare('INSERT OR IGNORE INTO rating_support (network_id, kind, dimension, intel_id) VALUES (?, ?, ?, ?)');
    each('ratings', d.ratings, (r) => {
      const networkId = networkIds.get(r.networkRef)!;
      upsertRating.run(networkId, r.kind, r.dimension, r.value, user.id, at);
      // A rating replaced by the import loses its old support, as on screen (ratings.repo.ts).
      if (existing.networks.has(r.networkRef)) clearSupport.run(networkId, r.kind, r.dimension);
      for (const intelId of ids(r.intelRefs)) insSupport.run(networkId, r.kind, r.dimension, intelId);
    });

    const flags = new BatchInsert(
      db,
      'INSERT INTO gang_flags (id, subject_type, subject_id, network_id, status, criteria, proposed_by, proposed_at, confirmed_by, confirmed_at, review_on, ended_at, end_reason)',
      13,
    );
    const flagIntel = new BatchInsert(db, 'INSERT OR IGNORE INTO gang_flag_intelligence (flag_id, intel_id)', 2, flags);
    let confirmedFlags = 0;
    let proposedLinksFromFlags = 0;
    each('flags', d.flags, (f) => {
      const id = newId();
      const subjectId = f.subjectType === 'person' ? people.get(f.subjectRef)!.id : offenceIds.get(f.subjectRef)!;
      const networkId = f.networkRef === null ? null : networkIds.get(f.networkRef)!;
      const isConfirmed = f.status === 'confirmed';
      const intel = ids(f.intelRefs);
      let reviewOn = addMonths(today, FLAG_REVIEW_MONTHS);
      if (isConfirmed && f.subjectType === 'person' && isUnder18(people.get(f.subjectRef)!.dateOfBirth, today)) reviewOn = addMonths(today, UNDER_18_MEMBER_REVIEW_MONTHS);
      flags.add(id, f.subjectType, subjectId, networkId, f.status, f.isSelfAdmission ? 'self_admission' : 'two_sources', user.id, at, isConfirmed ? user.id : null, isConfirmed ? at : null, reviewOn, null, null);
      for (const intelId of intel) flagIntel.add(id, intelId);
      if (isConfirmed) confirmedFlags++;
      // As on screen: a confirmed flag on an offence proposes its offence → network link.
      if (isConfirmed && f.subjectType === 'offence' && networkId && intel.length > 0) {
        const key = `${subjectId}|${networkId}`;
        if (!linked.has(key) && !existing.offenceLinks.has(key)) {
          addLink(subjectId, networkId, 'Proposed by a confirmed gang flag on the offence.', 'proposed', intel);
          proposedLinksFromFlags++;
        }
      }
    });
    flagIntel.flush();
    flags.flush();
    linkIntel.flush();
    links.flush();
    const attachments = held.changes;

    const entry = (action: 'collect' | 'combine' | 'alter', summary: string) => audit({ action, entityType: 'import', entityId: importId, summary: `${summary}${tag}` });
    const collected: [number, string][] = [
      [d.networks.length, 'networks'],
      [d.people.length, 'people'],
      [d.intelligence.length, 'intelligence items'],
      [d.offences.length, 'offences'],
      [d.ratings.length, 'ratings'],
    ];
    for (const [n, what] of collected) if (n > 0) entry('collect', `Import: ${fmt(n)} ${what} recorded`);
    if (d.flags.length > 0) entry('collect', `Import: ${fmt(d.flags.length)} gang flags recorded (${fmt(confirmedFlags)} confirmed, ${fmt(d.flags.length - confirmedFlags)} proposed)`);
    if (d.memberships.length + d.offenceLinks.length + attachments + proposedLinksFromFlags > 0) {
      entry(
        'combine',
        `Import: ${fmt(d.memberships.length)} member links (${fmt(victimLinks)} victim / at risk, never scored), ` +
          `${fmt(d.offenceLinks.length + proposedLinksFromFlags)} offence links (${fmt(proposedLinks + proposedLinksFromFlags)} proposed) ` +
          `and ${fmt(attachments)} intelligence items held against networks recorded`,
      );
    }

    progress('score', null, 0, 1);
    const scored = rescoreNetworks(db, null, today, now);
    entry('alter', `Import: all ${fmt(scored.scored)} networks rescored as of ${today}; ${fmt(scored.changed)} changed`);
    progress('score', null, 1, 1);
    opts.withinTransaction?.(db, audit);
    return { ok: true, isDryRun: false, importId, counts: countsOf(d, proposedLinksFromFlags), scored: scored.scored } as const;
  });
}
