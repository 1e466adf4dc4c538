import type { Db } from '../vault/database';
import { insertColumns, insertRow } from './columns';
import { cachedStatement } from './statements';

export interface PersonRecord {
  id: string;
  reference: string;
  name: string;
  dateOfBirth: string | null;
  sex: 'female' | 'male' | 'other' | 'unknown';
  ethnicitySelf: string | null;
  ethnicityOfficer: string | null;
  createdAt: string;
  createdBy: string | null;
}

interface Raw {
  id: string;
  reference: string;
  name: string;
  date_of_birth: string | null;
  sex: PersonRecord['sex'];
  ethnicity_self: string | null;
  ethnicity_officer: string | null;
  created_at: string;
  created_by: string | null;
}

const map = (r: Raw): PersonRecord => ({
  id: r.id,
  reference: r.reference,
  name: r.name,
  dateOfBirth: r.date_of_birth,
  sex: r.sex,
  ethnicitySelf: r.ethnicity_self,
  ethnicityOfficer: r.ethnicity_officer,
  createdAt: r.created_at,
  createdBy: r.created_by,
});

/** The people table as every insert writes it: here, and in bulk by the import (import.repo.ts). */
export const PERSON_COLUMNS = insertColumns('people', ['id', 'reference', 'name', 'date_of_birth', 'sex', 'ethnicity_self', 'ethnicity_officer', 'created_at', 'created_by']);

export function personValues(p: PersonRecord): unknown[] {
  return [p.id, p.reference, p.name, p.dateOfBirth, p.sex, p.ethnicitySelf, p.ethnicityOfficer, p.createdAt, p.createdBy];
}

export function insertPerson(db: Db, p: PersonRecord): void {
  insertRow(db, PERSON_COLUMNS, personValues(p));
}

export function personReferenceExists(db: Db, reference: string): boolean {
  return db.prepare('SELECT 1 FROM people WHERE reference = ?').get(reference) !== undefined;
}

/** A person's date of birth; null when it is not known or there is no such person. */
export function dateOfBirthOf(db: Db, personId: string): string | null {
  return (cachedStatement(db, 'SELECT date_of_birth FROM people WHERE id = ?').pluck().get(personId) as string | null | undefined) ?? null;
}

export function updatePerson(db: Db, p: PersonRecord): void {
  db.prepare(
    'UPDATE people SET name=@name, date_of_birth=@dateOfBirth, sex=@sex, ethnicity_self=@ethnicitySelf, ethnicity_officer=@ethnicityOfficer WHERE id=@id',
  ).run(p);
}

export function getPerson(db: Db, id: string): PersonRecord | null {
  const r = db.prepare('SELECT * FROM people WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function listPeople(db: Db): PersonRecord[] {
  return (db.prepare('SELECT * FROM people ORDER BY reference').all() as Raw[]).map(map);
}

export function nextPersonReference(db: Db, year: number): string {
  const prefix = `P-${year}-`;
  const last = db.prepare('SELECT reference FROM people WHERE reference LIKE ? ORDER BY length(reference) DESC, reference DESC LIMIT 1').pluck().get(`${prefix}%`) as string | undefined;
  const n = last ? Number(last.slice(prefix.length)) + 1 : 1;
  return `${prefix}${String(n).padStart(5, '0')}`;
}
