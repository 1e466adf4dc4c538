/**
 * What the signed-in role may do on the matrix screens. Main enforces the same rules on every
 * call (preload/contract/index.ts: analysts and supervisors keep the register; only supervisors confirm
 * flags and decide overrides); hiding what cannot be used keeps the screens honest.
 */
import type { SessionUser } from '../../../preload/contract';

export interface Abilities {
  /** Create and edit records, link, rate, propose flags, request overrides. */
  canKeep: boolean;
  /** Confirm, expire and remove flags; approve or reject overrides. */
  canSupervise: boolean;
}

export function abilitiesOf(user: SessionUser): Abilities {
  return { canKeep: user.role === 'analyst' || user.role === 'supervisor', canSupervise: user.role === 'supervisor' };
}
