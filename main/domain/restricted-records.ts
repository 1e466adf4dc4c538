/**
 * Which records are restricted: opening one asks the person for a reason, kept as the
 * consultation's justification. Stated once for the network card and a person's record. Pure: the
 * day, the facts the record shows and the kinds an administrator has left on are given.
 *
 * A record is restricted by what it shows:
 * - under_18: a person under 18 on the day (a network: any member, ended links included, as the
 *   card lists them);
 * - victim_at_risk: a victim / at-risk link (a person: any of their links; a network: any member link);
 * - flagged_nominal: a person with a confirmed gang flag (a network: any member with one);
 * - handling_c: an intelligence item with handling code C held against the network.
 */
import type { RestrictedRecordKind } from '../../preload/contract/vocabulary';
import { isUnder18 } from './register-rules';

export interface RestrictionFacts {
  /** The people the record shows: the person, or the network's members. */
  people: readonly { dateOfBirth: string | null; isFlagged: boolean }[];
  /** The roles of the member links the record shows. */
  linkRoles: readonly string[];
  /** The handling codes of the intelligence items the record shows (null under 5x5x5). */
  handlingCodes: readonly (string | null)[];
}

/** The kinds that make this record restricted, of those switched on, in the order given. */
export function restrictionsOf(facts: RestrictionFacts, day: string, enabled: readonly RestrictedRecordKind[]): RestrictedRecordKind[] {
  const applies: Record<RestrictedRecordKind, () => boolean> = {
    under_18: () => facts.people.some((p) => isUnder18(p.dateOfBirth, day)),
    victim_at_risk: () => facts.linkRoles.includes('victim_at_risk'),
    flagged_nominal: () => facts.people.some((p) => p.isFlagged),
    handling_c: () => facts.handlingCodes.includes('C'),
  };
  return enabled.filter((k) => applies[k]());
}
