/**
 * Writing a checked import document (docs/import-schema.md): each row made into the record the
 * app would make, with the register's rules (domain/register-rules.ts) setting review dates,
 * criteria and the links confirmed flags propose, and written in bulk by the store
 * (store/import.repo.ts). Runs inside the import's transaction.
 */
import { randomFillSync } from 'node:crypto';
import { FLAG_LINK_RATIONALE, flagCriteria, flagReviewOn, gradingFields, isUnder18, memberReviewOn, networkReviewOn, offenceLinkProposedBy, otherBoroughsOf } from '../../domain/register-rules';
import { reviewCycles } from '../../domain/retention-policy';
import type { RetentionPolicy } from '../../../preload/contract/schemas/policy';
import { ImportWriter, type ExistingRecords } from '../../store/import.repo';
import type { Db } from '../../vault/database';
import { definitionsVersion, referenceData } from '../reference.service';
import type { SectionName, ValidDocument } from '../../../preload/contract/schemas/import';

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

export interface WriteContext {
  /** The signed-in user: the creator of every row, and the analyst who confirmed each confirmed link. */
  userId: string;
  /** Today (UK): review dates count from it. */
  today: string;
  /** The import's time: created_at of every row. */
  now: Date;
  existing: ExistingRecords;
  /** The retention policy in force today (the shipped file when not given): its review cycles. */
  policy?: RetentionPolicy;
  /** After each 50,000 rows of a section, and at its end. Throwing from it cancels the import. */
  onProgress: (section: SectionName, done: number, total: number) => void;
}

/** What the audit entries count beyond the sections' own rows. */
export interface Written {
  victimLinks: number;
  /** Links for a person under 18, written as proposed for a supervisor other than the importer to confirm. */
  proposedMemberLinks: number;
  proposedLinks: number;
  confirmedFlags: number;
  proposedLinksFromFlags: number;
  /** Items held against networks, each pair once. */
  heldAgainstNetworks: number;
}

/** Write every row of a checked document, section by section, parents before the rows that cite them. */
export function writeDocument(db: Db, d: ValidDocument, w: WriteContext): Written {
  const { userId, today, existing } = w;
  const cycles = reviewCycles(w.policy ?? referenceData().retentionPolicy);
  const newId = orderedIds(w.now);
  const at = w.now.toISOString();
  const writer = new ImportWriter(db);
  const networkIds = new Map(existing.networks);
  const people = new Map(existing.people);
  const intelIds = new Map<string, string>([...existing.intelligence].map(([ref, x]) => [ref, x.id]));
  const offenceIds = new Map(existing.offences);
  const ids = (refs: string[]) => [...new Set(refs)].map((r) => intelIds.get(r)!);
  const each = <T>(section: SectionName, list: T[], fn: (row: T) => void) => {
    for (let i = 0; i < list.length; i++) {
      fn(list[i]!);
      if ((i + 1) % 50_000 === 0 && i + 1 < list.length) w.onProgress(section, i + 1, list.length);
    }
    writer.flush();
    w.onProgress(section, list.length, list.length);
  };

  const defs = definitionsVersion();
  each('networks', d.networks, (n) => {
    const id = newId();
    networkIds.set(n.reference, id);
    writer.network({
      id,
      reference: n.reference,
      name: n.name,
      aliases: n.aliases,
      type: n.type,
      definitionsVersion: defs,
      status: n.status,
      leadBorough: n.leadBorough,
      otherBoroughs: otherBoroughsOf(n.leadBorough, n.otherBoroughs),
      businessGroup: n.businessGroup,
      unit: n.unit,
      leadOfficer: n.leadOfficer,
      createdAt: at,
      createdBy: userId,
      lastReviewedOn: n.lastReviewedOn,
      nextReviewOn: networkReviewOn(n.lastReviewedOn, today, cycles),
    });
  });

  each('people', d.people, (p) => {
    const id = newId();
    people.set(p.reference, { id, dateOfBirth: p.dateOfBirth });
    writer.person({ id, reference: p.reference, name: p.name, dateOfBirth: p.dateOfBirth, sex: p.sex, ethnicitySelf: p.ethnicitySelf, ethnicityOfficer: p.ethnicityOfficer, createdAt: at, createdBy: userId });
  });

  each('intelligence', d.intelligence, (i) => {
    const id = newId();
    intelIds.set(i.reference, id);
    writer.intelligence(
      { id, reference: i.reference, itemDate: i.itemDate, summary: i.summary, ...gradingFields(i), sourceRef: i.sourceRef, createdAt: at, createdBy: userId },
      [...new Set(i.networkRefs)].map((ref) => networkIds.get(ref)!),
    );
  });

  each('offences', d.offences, (o) => {
    const id = newId();
    offenceIds.set(o.crimeReference, id);
    writer.offence({
      id,
      crimeReference: o.crimeReference,
      hoCode: o.hoCode,
      category: o.category,
      offenceDate: o.offenceDate,
      borough: o.borough,
      stage: o.stage,
      weapon: o.weapon,
      isVictimUnder20: o.isVictimUnder20,
      createdAt: at,
      createdBy: userId,
    });
  });

  let victimLinks = 0;
  let proposedMemberLinks = 0;
  each('memberships', d.memberships, (m) => {
    const person = people.get(m.personRef)!;
    if (m.basis === 'safeguarding') victimLinks++;
    // As on screen: a child's link (other than for safeguarding) waits for a supervisor who did not propose it.
    const isProposed = m.basis !== 'safeguarding' && isUnder18(person.dateOfBirth, today);
    if (isProposed) proposedMemberLinks++;
    writer.membership(
      {
        id: newId(),
        personId: person.id,
        networkId: networkIds.get(m.networkRef)!,
        role: m.role,
        basis: m.basis,
        status: isProposed ? 'proposed' : 'confirmed',
        startDate: m.startDate,
        // The same review cycle as a link made on screen, counted from its last validation.
        reviewOn: memberReviewOn(person.dateOfBirth, m.lastReviewedOn, today, cycles),
        confirmedBy: isProposed ? null : userId,
        confirmedAt: isProposed ? null : at,
        endedAt: null,
        createdAt: at,
        createdBy: userId,
      },
      ids(m.intelRefs),
    );
  });

  const linked = new Set<string>();
  let proposedLinks = 0;
  const addLink = (offenceId: string, networkId: string, rationale: string, status: 'confirmed' | 'proposed', intel: string[]) => {
    const isConfirmed = status === 'confirmed';
    writer.offenceLink(
      { id: newId(), offenceId, networkId, rationale, status, proposedBy: userId, confirmedBy: isConfirmed ? userId : null, confirmedAt: isConfirmed ? at : null, createdAt: at },
      intel,
    );
    linked.add(`${offenceId}|${networkId}`);
  };
  each('offenceLinks', d.offenceLinks, (l) => {
    if (l.status === 'proposed') proposedLinks++;
    addLink(offenceIds.get(l.crimeReference)!, networkIds.get(l.networkRef)!, l.rationale, l.status, ids(l.intelRefs));
  });

  each('ratings', d.ratings, (r) => {
    const rating = { networkId: networkIds.get(r.networkRef)!, kind: r.kind, dimension: r.dimension, value: r.value, ratedBy: userId, ratedAt: at, intelIds: ids(r.intelRefs) };
    // A rating replaced by the import loses its old support, as on screen; a network new in
    // this document has none to lose.
    writer.rating(rating, existing.networks.has(r.networkRef));
  });

  let confirmedFlags = 0;
  let proposedLinksFromFlags = 0;
  each('flags', d.flags, (f) => {
    const subjectId = f.subjectType === 'person' ? people.get(f.subjectRef)!.id : offenceIds.get(f.subjectRef)!;
    const networkId = f.networkRef === null ? null : networkIds.get(f.networkRef)!;
    const isConfirmed = f.status === 'confirmed';
    const intel = ids(f.intelRefs);
    const dateOfBirth = f.subjectType === 'person' ? people.get(f.subjectRef)!.dateOfBirth : null;
    writer.flag(
      {
        id: newId(),
        subjectType: f.subjectType,
        subjectId,
        networkId,
        status: f.status,
        criteria: flagCriteria(f.isSelfAdmission),
        // A flag imported as confirmed was proposed outside this vault: the importing supervisor
        // confirms it and is never recorded as its proposer too.
        proposedBy: isConfirmed ? null : userId,
        proposedAt: at,
        confirmedBy: isConfirmed ? userId : null,
        confirmedAt: isConfirmed ? at : null,
        reviewOn: flagReviewOn({ isConfirmed, subjectType: f.subjectType, dateOfBirth }, today, cycles),
        endedAt: null,
        endReason: null,
      },
      intel,
    );
    if (!isConfirmed) return;
    confirmedFlags++;
    // As on screen: a confirmed flag on an offence proposes its offence → network link.
    const key = `${subjectId}|${networkId}`;
    const proposed = offenceLinkProposedBy({ subjectType: f.subjectType, subjectId, networkId }, intel.length, linked.has(key) || existing.offenceLinks.has(key));
    if (proposed) {
      addLink(proposed.offenceId, proposed.networkId, FLAG_LINK_RATIONALE, 'proposed', intel);
      proposedLinksFromFlags++;
    }
  });

  return { victimLinks, proposedMemberLinks, proposedLinks, confirmedFlags, proposedLinksFromFlags, heldAgainstNetworks: writer.heldAgainstNetworks };
}
