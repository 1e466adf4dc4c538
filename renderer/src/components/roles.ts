/**
 * What the signed-in role may do on the matrix screens. The rule is stated once, in
 * preload/contract/permissions.ts, which also gives the contract its access lists: main refuses
 * on every call what this hides, and hiding what cannot be used keeps the screens honest.
 */
import type { SessionUser } from '../../../preload/contract';
import { abilitiesOfRole, type Abilities } from '../../../preload/contract/permissions';

export type { Abilities };

export function abilitiesOf(user: SessionUser): Abilities {
  return abilitiesOfRole(user.role);
}
