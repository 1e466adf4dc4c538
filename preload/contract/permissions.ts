/**
 * Who may do what, stated once for every process. The contract's access lists are built from
 * these (main/ipc/handle.ts and the CLI refuse any other caller), the services ask the same
 * functions where a rule depends on more than the channel (which return is exported, how much of
 * the export register is shown), and the renderer asks them what to show, so a button is never
 * offered that main would refuse. docs/specification.md, "Who uses it and where" and "Returns and exports" give
 * the reasons; docs/architecture.md places this file in the shared layer (zod and itself only).
 */
import { RETURN_KINDS, type ReturnKind } from './schemas/returns';
import type { Role } from './vocabulary';

/** Administering the vault: users, keys, backups and settings. */
export const ADMINISTRATORS = ['administrator'] as const satisfies readonly Role[];

/** Oversight: the audit log, and every row of the export register. */
export const OVERSIGHT = ['administrator', 'supervisor'] as const satisfies readonly Role[];

/** Who keeps the register (create and edit records, link, rate, propose flags, request overrides, hold meetings): analysts and their supervisors. */
export const KEEPERS = ['analyst', 'supervisor'] as const satisfies readonly Role[];

/** Who may erase a record (DPA 2018 s.47), always with a reason, and read the erase register: supervisors and administrators. */
export const ERASERS = ['administrator', 'supervisor'] as const satisfies readonly Role[];

/** Who confirms, expires and removes flags and decides overrides. */
export const SUPERVISORS = ['supervisor'] as const satisfies readonly Role[];

const isIn = (roles: readonly Role[], role: Role): boolean => roles.includes(role);

/**
 * Who may export which return.
 * - The corporate return: analysts, supervisors, validators and read-only users. It is aggregate,
 *   disclosure-controlled and holds no personal data; performance staff, who need it, hold the
 *   read-only role.
 * - The meeting pack: the keepers, who prepare the meeting (it is record-level: network
 *   references, owners, scores).
 * - The network list (the CLI's `networks`): the keepers, for the same reason: it names every
 *   network with its score.
 * Administrators export none of them: administering the vault is not a say over its data, and keeping
 * disclosure apart from the people who manage users and keys keeps the register honest.
 * Previews are for every user.
 */
export const EXPORTERS: Readonly<Record<ReturnKind, readonly Role[]>> = {
  corporate: ['analyst', 'supervisor', 'validator', 'read_only'],
  meeting_pack: KEEPERS,
  network_list: KEEPERS,
};

/** Everyone who may export some return: who may call `returns:export` (the kind is checked in main). */
export const RETURN_EXPORTERS: readonly Role[] = [...new Set(RETURN_KINDS.flatMap((kind) => EXPORTERS[kind]))];

export function mayExport(role: Role, kind: ReturnKind): boolean {
  return isIn(EXPORTERS[kind], role);
}

/** Whether the role may erase records and read the erase register (the screens offer "Erase…" only to these). */
export function mayErase(role: Role): boolean {
  return isIn(ERASERS, role);
}

/** The export register is an oversight record: oversight sees every export, everyone else their own. */
export function seesWholeRegister(role: Role): boolean {
  return isIn(OVERSIGHT, role);
}

/** What a role may do on the matrix screens. */
export interface Abilities {
  /** Create and edit records, link, rate, propose flags, request overrides, hold meetings. */
  canKeep: boolean;
  /** Confirm, expire and remove flags; approve or reject overrides. */
  canSupervise: boolean;
}

export function abilitiesOfRole(role: Role): Abilities {
  return { canKeep: isIn(KEEPERS, role), canSupervise: isIn(SUPERVISORS, role) };
}
