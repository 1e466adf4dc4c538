/**
 * The vocabulary every process shares: each code list written once, with its words in British
 * English. Main validates against these lists, the schemas build their enums from them and the
 * renderer labels them from here, so a code cannot mean one thing in one room and another
 * elsewhere. Plain data: no zod, no Node, no Electron (see docs/architecture.md).
 */

/* ---- Users and the audit log ----------------------------------------------------------------- */

export const ROLES = ['administrator', 'supervisor', 'validator', 'analyst', 'read_only'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  administrator: 'Administrator',
  supervisor: 'Supervisor',
  validator: 'Validator',
  analyst: 'Analyst',
  read_only: 'Read-only',
};

export const AUDIT_ACTIONS = [
  'collect',
  'alter',
  'consult',
  'disclose',
  'combine',
  'erase',
  'unlock',
  'failed_unlock',
  'lock',
  'user_change',
  'key_change',
  'export',
  'backup',
  'restore',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const ERROR_CODES = [
  'invalid_input',
  'forbidden',
  'locked',
  'no_vault',
  'wrong_passphrase',
  'rate_limited',
  'not_found',
  'conflict',
  'weak_passphrase',
  'not_a_vault',
  'damaged',
  'newer_version',
  'in_use',
  'exists',
  'keys_missing',
  'keys_damaged',
  'audit_broken',
  'user_removed',
  'io_error',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/* ---- Disruptions (domain.md "Disruptions") ----------------------------------------------------- */

export const DISRUPTION_LEVELS = ['major', 'moderate', 'minor', 'none', 'negative'] as const;
export type DisruptionLevel = (typeof DISRUPTION_LEVELS)[number];
/** The levels that count as a disruption; none and negative do not. */
export const DISRUPTING_LEVELS = ['major', 'moderate', 'minor'] as const;
export type DisruptingLevel = (typeof DISRUPTING_LEVELS)[number];

export const DISRUPTION_LEVEL_LABELS: Record<DisruptionLevel, string> = {
  major: 'Major',
  moderate: 'Moderate',
  minor: 'Minor',
  none: 'None',
  negative: 'Negative',
};

/** Higher is more disruptive: major 4 … negative 0 (negative made the network more capable). */
export const LEVEL_RANK: Readonly<Record<DisruptionLevel, number>> = {
  major: 4,
  moderate: 3,
  minor: 2,
  none: 1,
  negative: 0,
};

export const DISRUPTION_STATUSES = ['draft', 'submitted', 'endorsed', 'validated', 'returned', 'rejected'] as const;
export type DisruptionStatus = (typeof DISRUPTION_STATUSES)[number];

export const DURABILITY_OUTCOMES = ['confirmed', 'downgraded', 'upgraded'] as const;
export type DurabilityOutcome = (typeof DURABILITY_OUTCOMES)[number];
