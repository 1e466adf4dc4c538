/**
 * The import's reads and its bulk writer (docs/import-schema.md). Rows are written many to a
 * statement with the column lists and value orders of each table's own repo, so an imported row
 * holds exactly what the same record made on screen holds.
 */
import type { GradedItem } from '../domain/register-rules';
import type { Db } from '../vault/database';
import { insertRow, insertSql, type InsertColumns } from './columns';
import { FLAG_COLUMNS, FLAG_INTELLIGENCE_COLUMNS, flagValues, type FlagRecord } from './flags.repo';
import { INTELLIGENCE_COLUMNS, intelligenceValues, NETWORK_INTELLIGENCE_COLUMNS, type IntelligenceRecord } from './intelligence.repo';
import { MEMBERSHIP_COLUMNS, MEMBERSHIP_INTELLIGENCE_COLUMNS, membershipValues, type MembershipRecord } from './memberships.repo';
import { NETWORK_BOROUGH_COLUMNS, NETWORK_COLUMNS, networkValues, type NetworkRecord } from './networks.repo';
import { OFFENCE_COLUMNS, OFFENCE_LINK_COLUMNS, OFFENCE_LINK_INTELLIGENCE_COLUMNS, offenceLinkValues, offenceValues, type OffenceLinkRecord, type OffenceRecord } from './offences.repo';
import { PERSON_COLUMNS, personValues, type PersonRecord } from './people.repo';
import { upsertRating, type RatingRecord } from './ratings.repo';

/* ---- What the vault already holds ------------------------------------------------------------ */

/** Records already in the vault that a document may cite, or must not duplicate. */
export interface ExistingRecords {
  /** reference → id */
  networks: Map<string, string>;
  people: Map<string, { id: string; dateOfBirth: string | null }>;
  intelligence: Map<string, GradedItem & { id: string }>;
  /** crime reference → id */
  offences: Map<string, string>;
  /** `${personId}|${networkId}` of links not ended. */
  liveMemberships: Set<string>;
  /** `${offenceId}|${networkId}` */
  offenceLinks: Set<string>;
  /** `${subjectType}|${subjectId}` with a proposed or confirmed flag. */
  currentFlags: Set<string>;
  /** person id → the roles of their links not ended (a victim-only person is never flagged). */
  liveRolesByPerson: Map<string, MembershipRecord['role'][]>;
}

export function noExistingRecords(): ExistingRecords {
  return { networks: new Map(), people: new Map(), intelligence: new Map(), offences: new Map(), liveMemberships: new Set(), offenceLinks: new Set(), currentFlags: new Set(), liveRolesByPerson: new Map() };
}

/** Everything a document may cite or collide with, in one read of each table. */
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
  for (const [p, n, role] of db.prepare("SELECT person_id, network_id, role FROM memberships WHERE status <> 'ended'").raw().iterate() as IterableIterator<[string, string, MembershipRecord['role']]>) {
    ex.liveMemberships.add(`${p}|${n}`);
    const roles = ex.liveRolesByPerson.get(p);
    if (roles) roles.push(role);
    else ex.liveRolesByPerson.set(p, [role]);
  }
  for (const [o, n] of db.prepare('SELECT offence_id, network_id FROM offence_links').raw().iterate() as IterableIterator<[string, string]>) ex.offenceLinks.add(`${o}|${n}`);
  for (const [t, s] of db.prepare("SELECT subject_type, subject_id FROM gang_flags WHERE status IN ('proposed','confirmed')").raw().iterate() as IterableIterator<[string, string]>) {
    ex.currentFlags.add(`${t}|${s}`);
  }
  return ex;
}

/* ---- Writing many rows to a statement -------------------------------------------------------- */

/**
 * Rows for one table, written many to a statement (`INSERT … VALUES (…), (…), …`): at force scale
 * the per-statement cost of a million single-row inserts is several seconds. A child table's
 * batch names its parent's, and flushes the parent first, so a foreign key never points at a row
 * still waiting in a buffer.
 */
export class BatchInsert {
  private values: unknown[] = [];
  private readonly width: number;
  private readonly full: ReturnType<Db['prepare']>;
  /** Rows the database actually added (INSERT OR IGNORE skips duplicates). */
  changes = 0;

  constructor(
    private readonly db: Db,
    private readonly table: InsertColumns,
    private readonly parent: BatchInsert | null = null,
    private readonly rowsPerStatement = 64,
  ) {
    this.width = table.columns.length;
    this.full = db.prepare(insertSql(table, rowsPerStatement));
  }

  /** One row's values, in the table's column order. */
  add(row: readonly unknown[]): void {
    for (const v of row) this.values.push(v);
    if (this.values.length === this.width * this.rowsPerStatement) this.flush();
  }

  flush(): void {
    if (this.values.length === 0) return;
    this.parent?.flush();
    const rows = this.values.length / this.width;
    const statement = rows === this.rowsPerStatement ? this.full : this.db.prepare(insertSql(this.table, rows));
    this.changes += statement.run(...this.values).changes;
    this.values = [];
  }
}

/**
 * The import's writer: one batch per table. The caller writes a section's rows, then `flush()`es
 * before the next section, whose rows may point at them.
 */
export class ImportWriter {
  private readonly boroughs: BatchInsert;
  private readonly people: BatchInsert;
  private readonly items: BatchInsert;
  private readonly held: BatchInsert;
  private readonly offences: BatchInsert;
  private readonly members: BatchInsert;
  private readonly memberIntel: BatchInsert;
  private readonly links: BatchInsert;
  private readonly linkIntel: BatchInsert;
  private readonly flags: BatchInsert;
  private readonly flagIntel: BatchInsert;

  constructor(private readonly db: Db) {
    this.boroughs = new BatchInsert(db, NETWORK_BOROUGH_COLUMNS);
    this.people = new BatchInsert(db, PERSON_COLUMNS);
    this.items = new BatchInsert(db, INTELLIGENCE_COLUMNS);
    this.held = new BatchInsert(db, NETWORK_INTELLIGENCE_COLUMNS, this.items);
    this.offences = new BatchInsert(db, OFFENCE_COLUMNS);
    this.members = new BatchInsert(db, MEMBERSHIP_COLUMNS);
    this.memberIntel = new BatchInsert(db, MEMBERSHIP_INTELLIGENCE_COLUMNS, this.members);
    this.links = new BatchInsert(db, OFFENCE_LINK_COLUMNS);
    this.linkIntel = new BatchInsert(db, OFFENCE_LINK_INTELLIGENCE_COLUMNS, this.links);
    this.flags = new BatchInsert(db, FLAG_COLUMNS);
    this.flagIntel = new BatchInsert(db, FLAG_INTELLIGENCE_COLUMNS, this.flags);
  }

  /** Networks go in one at a time (there are few), so their boroughs may follow in a batch. */
  network(n: NetworkRecord): void {
    insertRow(this.db, NETWORK_COLUMNS, networkValues(n));
    for (const b of n.otherBoroughs) this.boroughs.add([n.id, b]);
  }

  person(p: PersonRecord): void {
    this.people.add(personValues(p));
  }

  /** An item, and the networks it is held against. */
  intelligence(i: IntelligenceRecord, networkIds: Iterable<string>): void {
    this.items.add(intelligenceValues(i));
    for (const networkId of networkIds) this.held.add([networkId, i.id]);
  }

  offence(o: OffenceRecord): void {
    this.offences.add(offenceValues(o));
  }

  membership(m: MembershipRecord, intelIds: readonly string[]): void {
    this.members.add(membershipValues(m));
    for (const intelId of intelIds) this.memberIntel.add([m.id, intelId]);
  }

  offenceLink(l: OffenceLinkRecord, intelIds: readonly string[]): void {
    this.links.add(offenceLinkValues(l));
    for (const intelId of intelIds) this.linkIntel.add([l.id, intelId]);
  }

  /** Ratings are upserts (a rating of a network in the vault replaces it), so they are not batched. */
  rating(r: RatingRecord, hasOldSupport: boolean): void {
    upsertRating(this.db, r, { hasOldSupport });
  }

  flag(f: FlagRecord, intelIds: readonly string[]): void {
    this.flags.add(flagValues(f));
    for (const intelId of intelIds) this.flagIntel.add([f.id, intelId]);
  }

  /** Write every row still buffered, children after their parents. */
  flush(): void {
    for (const b of [this.boroughs, this.people, this.held, this.items, this.offences, this.memberIntel, this.members, this.flagIntel, this.flags, this.linkIntel, this.links]) b.flush();
  }

  /** Items held against networks, counted once each (a pair given twice is one). Read after `flush()`. */
  get heldAgainstNetworks(): number {
    return this.held.changes;
  }
}

