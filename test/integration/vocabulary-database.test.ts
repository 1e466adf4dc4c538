/**
 * The database accepts exactly the shared vocabulary's codes (preload/contract/vocabulary.ts).
 * Migrations are never edited once shipped, so their CHECK lists are a second copy of each code
 * list that cannot import the first: a code added to the vocabulary without a migration (or the
 * other way round) would be refused by one and offered by the other.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../main/vault/migrations';
import * as V from '../../preload/contract/vocabulary';

const db = new Database(':memory:');
migrate(db);
afterAll(() => db.close());

/** The values `column IN (...)` allows in `table`, as the migrated schema states them. */
function allowed(table: string, column: string): Array<string | number> {
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) as string;
  const m = new RegExp(`CHECK \\((?:${column} IS NULL OR )?${column} IN \\(([^)]*)\\)\\)`).exec(sql);
  if (!m) throw new Error(`no CHECK list for ${table}.${column}`);
  return m[1]!.split(',').map((v) => (v.startsWith("'") ? v.slice(1, -1) : Number(v)));
}

describe('every code list the database checks is the vocabulary’s', () => {
  it.each([
    ['users', 'role', V.ROLES],
    ['networks', 'type', V.NETWORK_TYPES],
    ['networks', 'status', V.NETWORK_STATUSES],
    ['networks', 'business_group', V.BUSINESS_GROUPS],
    ['networks', 'plan_status', V.PLAN_STATUSES],
    ['people', 'sex', V.SEXES],
    ['people', 'ethnicity_officer', V.OFFICER_ETHNICITY],
    ['intelligence', 'grading', V.GRADINGS],
    ['intelligence', 'source_grade', V.SOURCE_GRADES],
    ['intelligence', 'intel_grade', V.INTEL_GRADES],
    ['intelligence', 'handling', V.HANDLING_CODES],
    ['memberships', 'role', V.MEMBER_ROLES],
    ['memberships', 'basis', V.MEMBERSHIP_BASES],
    ['offences', 'stage', V.STAGES],
    ['offences', 'weapon', V.WEAPONS],
    ['gang_flags', 'status', V.FLAG_STATUSES],
    ['gang_flags', 'criteria', V.FLAG_CRITERIA],
    ['band_overrides', 'band', V.BANDS],
    ['band_overrides', 'status', V.OVERRIDE_STATUSES],
    ['disruptions', 'claiming_business_group', V.BUSINESS_GROUPS],
    ['disruptions', 'claimed_level', V.DISRUPTION_LEVELS],
    ['disruptions', 'level', V.DISRUPTION_LEVELS],
    ['disruptions', 'level_after_review', V.DISRUPTION_LEVELS],
    ['disruptions', 'status', V.DISRUPTION_STATUSES],
    ['disruptions', 'durability_outcome', V.DURABILITY_OUTCOMES],
  ] as const)('%s.%s', (table, column, codes) => {
    expect(allowed(table, column)).toEqual([...codes]);
  });

  it('link statuses: a membership is proposed, confirmed or ended; an offence link proposed, confirmed or rejected', () => {
    expect(allowed('memberships', 'status')).toEqual(['proposed', 'confirmed', 'ended']);
    expect(allowed('offence_links', 'status')).toEqual(['proposed', 'confirmed', 'rejected']);
    expect(new Set([...allowed('memberships', 'status'), ...allowed('offence_links', 'status')])).toEqual(new Set(V.LINK_STATUSES));
  });
});
