/**
 * Checking an import document (docs/import-schema.md), row by row, before anything is written:
 * each row with the contract's record schemas (format.ts), then the references between rows and
 * to records already in the vault, then the register's rules as the app applies them
 * (domain/register-rules.ts). Every fault is reported, by section, row and field, not only the
 * first. Pure apart from the reference data: the vault's records are given.
 */
import { compareIsoDates } from '../../../preload/contract/dates';
import {
  ageFloorRefusal,
  FLAG_CRITERIA_REFUSAL,
  flagCriteria,
  isFlagCriteriaMet,
  isOffenceLinkSupported,
  isUnder18,
  isVictimOnly,
  memberLinkBasis,
  memberLinkBasisRefusal,
  OFFENCE_LINK_SUPPORT_REFUSAL,
  SELF_ADMISSION_CITATION_REFUSAL,
  VICTIM_ONLY_FLAG_REFUSAL,
  type GradedItem,
} from '../../domain/register-rules';
import { pastDateRefusal } from '../../domain/retention-policy';
import type { RetentionPolicy } from '../../../preload/contract/schemas/policy';
import type { MemberRole } from '../../../preload/contract/vocabulary';
import type { ExistingRecords } from '../../store/import.repo';
import { referenceData, weightTable } from '../reference.service';
import {
  issuesOf,
  networkRow,
  offenceRow,
  parseRefRow,
  personRow,
  readSections,
  refOf,
  ROW_SPECS,
  type ImportError,
  type ImportProgress,
  type Issue,
  type ParsedFlag,
  type ParsedIntel,
  type ParsedLink,
  type ParsedMembership,
  type ParsedRating,
  type SectionName,
  type ValidDocument,
  type ValidMembership,
} from '../../../preload/contract/schemas/import';

/** Enough to show every fault of a badly made document without exhausting memory. */
export const MAX_ERRORS = 10_000;

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

export interface ValidationContext {
  /** Today (UK), for dates that cannot be in the future and for review dates. */
  today: string;
  existing: ExistingRecords;
  canConfirmFlags: boolean;
  /** The retention policy in force today (the shipped file when not given). */
  policy?: RetentionPolicy;
  onProgress?: (p: ImportProgress) => void;
}

/**
 * Check a whole document. Returns every fault (up to MAX_ERRORS) or the parsed rows. Pure apart
 * from `existing`, which the caller loads from the vault (or leaves empty).
 */
export function validateDocument(input: unknown, vc: ValidationContext): { errors: ImportError[]; isTruncated: boolean; doc: ValidDocument | null } {
  const report = new Report();
  const { errors: documentErrors, rows, isSynthetic } = readSections(input);
  if (!rows) {
    for (const e of documentErrors) report.add(e);
    return { errors: report.errors, isTruncated: false, doc: null };
  }

  const { today, existing } = vc;
  const policy = vc.policy ?? referenceData().retentionPolicy;
  const minimumAge = policy.periods.minimumAgeYears.value;
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
    const early = r.data.dateOfBirth ? pastDateRefusal('The date of birth', r.data.dateOfBirth, today) : null;
    if (early) return report.add({ section: 'people', index: i, reference, field: 'dateOfBirth', message: early }), null;
    return r.data;
  });

  // Intelligence (its network references are checked once every network is known)
  const intelIndex = new Map<string, number>();
  const intelligence = everyRow('intelligence', (row, i) => {
    const reference = refOf(row, 'reference');
    if (reference) firstSeen('intelligence', intelIndex, reference, i, `intelligence reference ${reference}`, 'reference', reference, existing.intelligence.has(reference));
    const r = parseRefRow<ParsedIntel>(ROW_SPECS.intelligence, row);
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
  const intelFacts = (ref: string): GradedItem | null | undefined => {
    const at = intelIndex.get(ref);
    if (at !== undefined) {
      const row = intelligence[at];
      return row ? { grading: row.grading, sourceGrade: row.sourceGrade, intelGrade: row.intelGrade, sourceRef: row.sourceRef } : null;
    }
    return existing.intelligence.get(ref);
  };
  /** Checks every cited item exists; returns their facts, or null when any is unknown or itself invalid. */
  const citedItems = (section: SectionName, index: number, reference: string | undefined, refs: string[]): GradedItem[] | null => {
    const facts: GradedItem[] = [];
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
  const personKey = (ref: string) => (personIndex.has(ref) ? `doc:${ref}` : existing.people.has(ref) ? existing.people.get(ref)!.id : null);
  const networkKey = (ref: string) => (networkIndex.has(ref) ? `doc:${ref}` : existing.networks.get(ref) ?? null);
  const offenceKey = (ref: string) => (offenceIndex.has(ref) ? `doc:${ref}` : existing.offences.get(ref) ?? null);
  /** A person's date of birth, from this document or the vault (null: not known, or the row is invalid). */
  const birthDateOf = (ref: string): string | null => {
    const at = personIndex.get(ref);
    if (at !== undefined) return people[at]?.dateOfBirth ?? null;
    return existing.people.get(ref)?.dateOfBirth ?? null;
  };
  /** The roles of a person's current links: the vault's and this document's. */
  const docRoles = new Map<string, MemberRole[]>();

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
    const r = parseRefRow<ParsedMembership>(ROW_SPECS.memberships, row);
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
    const when = pastDateRefusal('The start date', m.startDate, today);
    if (when) return report.add({ section: 'memberships', index: i, reference, field: 'startDate', message: when }), null;
    if (m.role !== 'victim_at_risk') {
      const floor = ageFloorRefusal(birthDateOf(m.personRef), m.startDate, minimumAge, 'link');
      if (floor) return report.add({ section: 'memberships', index: i, reference, field: 'startDate', message: floor }), null;
    }
    const basis = memberLinkBasis(m.role, m.isSelfAdmission, items!);
    if (basis === null) return report.add({ section: 'memberships', index: i, reference, field: 'intelRefs', message: memberLinkBasisRefusal(m.isSelfAdmission, items!) }), null;
    const key = `${pk}|${nk}`;
    if (!firstSeen('memberships', membershipSeen, key, i, `link of ${m.personRef} to ${m.networkRef}`, 'networkRef', reference, existing.liveMemberships.has(key))) return null;
    if (m.lastReviewedOn && compareIsoDates(m.lastReviewedOn, today) > 0) {
      return report.add({ section: 'memberships', index: i, reference, field: 'lastReviewedOn', message: 'The last review date is in the future.' }), null;
    }
    const roles = docRoles.get(pk!) ?? [];
    roles.push(m.role);
    docRoles.set(pk!, roles);
    const valid: ValidMembership = { ...m, basis };
    return valid;
  });

  // Offence → network links
  const linkSeen = new Map<string, number>();
  const offenceLinks = everyRow('offenceLinks', (row, i) => {
    const reference = refOf(row, 'crimeReference');
    const r = parseRefRow<ParsedLink>(ROW_SPECS.offenceLinks, row);
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
    if (!isOffenceLinkSupported(items)) return report.add({ section: 'offenceLinks', index: i, reference, field: 'intelRefs', message: OFFENCE_LINK_SUPPORT_REFUSAL }), null;
    const key = `${ok}|${nk}`;
    if (!firstSeen('offenceLinks', linkSeen, key, i, `link of offence ${l.crimeReference} to ${l.networkRef}`, 'networkRef', reference, existing.offenceLinks.has(key))) return null;
    return l;
  });

  // Ratings
  const ratingSeen = new Map<string, number>();
  const ratings = everyRow('ratings', (row, i) => {
    const reference = refOf(row, 'networkRef');
    const r = parseRefRow<ParsedRating>(ROW_SPECS.ratings, row);
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
    const r = parseRefRow<ParsedFlag>(ROW_SPECS.flags, row);
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
    if (f.isSelfAdmission && items.length === 0) return report.add({ section: 'flags', index: i, reference, field: 'intelRefs', message: SELF_ADMISSION_CITATION_REFUSAL }), null;
    if (f.subjectType === 'person') {
      const floor = ageFloorRefusal(birthDateOf(f.subjectRef), today, minimumAge, 'flag');
      if (floor) return report.add({ section: 'flags', index: i, reference, field: 'subjectRef', message: floor }), null;
      const roles = [...(sk!.startsWith('doc:') ? [] : (existing.liveRolesByPerson.get(sk!) ?? [])), ...(docRoles.get(sk!) ?? [])];
      if (isVictimOnly(roles)) return report.add({ section: 'flags', index: i, reference, field: 'subjectRef', message: VICTIM_ONLY_FLAG_REFUSAL }), null;
      if (f.status === 'confirmed' && isUnder18(birthDateOf(f.subjectRef), today)) {
        return report.add({ section: 'flags', index: i, reference, field: 'status', message: 'A flag on a person under 18 is confirmed in the app by a supervisor other than the person who proposed it: import it as proposed.' }), null;
      }
    }
    if (f.status === 'confirmed') {
      if (!vc.canConfirmFlags) {
        return report.add({ section: 'flags', index: i, reference, field: 'status', message: 'Only a supervisor can confirm a gang flag: import it as proposed, or run the import as a supervisor.' }), null;
      }
      if (!isFlagCriteriaMet(flagCriteria(f.isSelfAdmission), items)) {
        return report.add({ section: 'flags', index: i, reference, field: 'intelRefs', message: FLAG_CRITERIA_REFUSAL }), null;
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
      isSynthetic,
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
