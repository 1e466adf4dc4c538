/**
 * The one IPC contract. Every channel the renderer can call is declared here with its zod input,
 * zod output, who may call it, and a line of JSDoc. Main parses every input with these schemas
 * (main/ipc/handle.ts); the preload exposes one function per channel (preload/api.ts); the
 * renderer's forms validate with the same schemas.
 *
 * This file is imported by main, preload and renderer: it must stay free of Node and Electron.
 */
import { z } from 'zod';
import type { ChannelName } from './channels';
import { AUDIT_ACTIONS, CONFIDENCE_LEVELS, DISRUPTION_LEVELS, ERASE_KINDS, RESTRICTED_RECORD_KINDS, ROLES, type ErrorCode, type Role } from './vocabulary';
import { consultReason } from './consultations';
export * from './vocabulary';
import {
  BANDS,
  flagDraft,
  id as recordId,
  intelligenceDraft,
  isoDay,
  membershipDraft,
  networkDraft,
  offenceDraft,
  offenceLinkDraft,
  overrideDraft,
  personDraft,
  ratingBatchItem,
  ratingDraft,
  STAGES,
} from './schemas/matrix';
import {
  DISRUPTION_STATUSES,
  disruptionDraft,
  DURABILITY_OUTCOMES,
  durabilityInput,
  evidence,
  evidenceInput,
  intelligenceItem,
  networkLabel,
  PLAN_STATUSES,
  transitionInput,
} from './schemas/disruptions';
import { scoreExplanation } from './schemas/explanation';
import { policyUpdate, policyView } from './schemas/policy';
import { retentionForecast, retentionForecastInput, retentionRunInput, retentionRunResult } from './schemas/retention';
export type { PolicyView, RetentionPolicy, PolicyPeriod, PolicyPeriodKey } from './schemas/policy';
export type { RetentionForecast, RetentionItem, RetentionReason, RetentionRunResult, RetentionStep } from './schemas/retention';
export type { ScoreExplanation } from './schemas/explanation';
import { dueInput, dueRow, evidenceInput as reviewEvidenceInput, REVIEW_KINDS, REVIEW_OUTCOMES, reviewEvidence, reviewResult } from './schemas/reviews';
export type { DueRow, ReviewEvidence, ReviewKind } from './schemas/reviews';
import { exportInput, exportRegisterRow, exportResult, previewInput, returnDocument } from './schemas/returns';
import { ADMINISTRATORS, ERASERS, KEEPERS, OVERSIGHT, RETURN_EXPORTERS, SUPERVISORS } from './permissions';
import { invisibleMessage, plainText } from './text';

export const role = z.enum(ROLES);
export const auditAction = z.enum(AUDIT_ACTIONS);

export type Result<T> =
  | { ok: true; value: T }
  | { ok: false; code: ErrorCode; message: string; fields?: Record<string, string> };

/* ---- Shared field schemas (forms use these too) -------------------------------------------- */

const noControlChars = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

const ORDINARY = 'Use letters, numbers and ordinary punctuation.';
/** One line of ordinary text (./text.ts): no control characters, no bidi or invisible ones. */
const oneLine = (schema: z.ZodString) => plainText(schema, { control: ORDINARY, invisible: invisibleMessage() });
const nameText = z.string().trim().min(2, 'Enter a name of at least 2 characters.').max(64, 'Use at most 64 characters.');

/** A new user's name, as the Users screen and vault creation take it. */
export const userName = oneLine(nameText)
  // One spelling per name: "é" typed as one code point or as e + accent is the same user.
  .transform((s) => s.normalize('NFC'));

/**
 * The name a person signs in with: the rule names were made under before format characters were
 * refused, so a user named then is never locked out by a later rule.
 */
export const signInName = nameText.refine(noControlChars, ORDINARY).transform((s) => s.normalize('NFC'));

/** Length only here; the common-password check and strength run in main (vault:check-passphrase). */
export const passphrase = z
  .string()
  .min(12, 'Use at least 12 characters.')
  .max(128, 'Use at most 128 characters.');

/** Whatever the person typed: checked against the slot, not against the policy. */
export const existingPassphrase = z.string().min(1, 'Enter your passphrase.').max(1024);

export const vaultPath = z
  .string()
  .trim()
  .min(1, 'Enter where to keep the vault.')
  .max(4096)
  .refine(noControlChars, 'That path has characters a file name cannot have.')
  .refine((p) => p.endsWith('.hmvault'), 'A vault file name ends in .hmvault.');

/** Where to write an audit anchor: a new .json file. */
export const anchorPath = z
  .string()
  .trim()
  .min(1, 'Enter where to save the anchor.')
  .max(4096, 'That path is too long.')
  .refine(noControlChars, 'That path has characters a file name cannot have.')
  .refine((p) => p.toLowerCase().endsWith('.json'), 'An audit anchor file name ends in .json.');

/** An audit anchor as written: where, and the head it records. */
export const anchorResult = z.object({
  path: z.string(),
  fileName: z.string(),
  vaultId: z.string(),
  seq: z.number().int(),
  hash: z.string(),
  writtenAt: z.string(),
  isSigned: z.boolean(),
});

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-06-30.');

export const marking = oneLine(z.string().trim().min(1, 'Enter a protective marking.').max(80, 'Use at most 80 characters.'));

export const settings = z.object({
  idleTimeoutMinutes: z.number().int().min(1, 'At least 1 minute.').max(60, 'At most 60 minutes.'),
  marking,
  /**
   * Which kinds of record ask for a reason before they open. Always read back; left out of an
   * update, it stays as it is (so a form that changes only the timeout cannot reset it).
   */
  restrictedRecords: z
    .array(z.enum(RESTRICTED_RECORD_KINDS))
    .max(RESTRICTED_RECORD_KINDS.length)
    .refine((kinds) => new Set(kinds).size === kinds.length, 'Choose each kind at most once.')
    .optional(),
});
export type Settings = z.infer<typeof settings>;
/** Settings as read back: a marking stored before a rule was added is still shown (and kept). */
const storedSettings = settings.extend({ marking: z.string() });
/** A new vault's settings; a setting the vault has not stored reads as its default. */
export const DEFAULT_SETTINGS: Settings = { idleTimeoutMinutes: 10, marking: 'OFFICIAL-SENSITIVE', restrictedRecords: [...RESTRICTED_RECORD_KINDS] };

const empty = z.object({}).strict();

export const sessionUser = z.object({
  id: z.string(),
  name: z.string(),
  role,
  unit: z.string().optional(),
  /** Set while the user must replace a passphrase someone else chose; until then main refuses everything else. */
  mustChangePassphrase: z.boolean().optional(),
});
export type SessionUser = z.infer<typeof sessionUser>;

export const appStatus = z.object({
  state: z.enum(['no-vault', 'locked', 'unlocked']),
  vaultPath: z.string().nullable(),
  defaultVaultPath: z.string(),
  user: sessionUser.nullable(),
  settings: storedSettings.nullable(),
  /** Set when the audit log did not match this workstation's record at unlock. */
  auditWarning: z.string().nullable(),
  /** Set when the unlock found key slots the vault does not trust (taken out, repaired, recorded in the audit log). */
  keySlotWarning: z.string().nullable(),
  /** True until the creator confirms the recovery code is stored. */
  isRecoveryUnconfirmed: z.boolean(),
  appVersion: z.string(),
});
export type AppStatus = z.infer<typeof appStatus>;

export const unitName = oneLine(z.string().trim().max(120, 'Use at most 120 characters.'));

export const userRow = z.object({
  id: z.string(),
  name: z.string(),
  role,
  createdAt: z.string(),
  removedAt: z.string().nullable(),
  unit: z.string(),
  /** users:list: true while the user has not yet replaced the passphrase an administrator (or the recovery code) set. */
  mustChangePassphrase: z.boolean().optional(),
});
export type UserRow = z.infer<typeof userRow>;

/**
 * A key slot as the vault vouches for it (users:key-slots): its kind and user, its state in the
 * vault's registry ('unregistered' for one the key file holds that the vault never issued), its
 * format and KDF cost, when it last changed, and any problem found comparing the two.
 */
export const keySlotRow = z.object({
  slotId: z.string(),
  kind: z.enum(['user', 'recovery']),
  userId: z.string().nullable(),
  /** From the vault's users table, never from the key file. */
  userName: z.string().nullable(),
  status: z.enum(['adding', 'active', 'retiring', 'removed', 'unregistered']),
  format: z.number().int(),
  kdf: z.string(),
  lastChangedAt: z.string(),
  isInKeyFile: z.boolean(),
  problem: z.string().nullable(),
});
export type KeySlotRow = z.infer<typeof keySlotRow>;

export const auditRow = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: auditAction,
  entityType: z.string(),
  entityId: z.string().nullable(),
  summary: z.string(),
  justification: z.string().nullable(),
  hash: z.string(),
});
export type AuditRow = z.infer<typeof auditRow>;

export const auditFilter = z
  .object({
    userName: z.string().max(64).optional(),
    action: auditAction.optional(),
    entityType: z.string().max(64).optional(),
    entityId: z.string().max(128).optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    limit: z.number().int().min(1).max(100_000).optional(),
  })
  .strict();

export const createVaultInput = z
  .object({ path: vaultPath, adminName: userName, passphrase })
  .strict();

export const addUserInput = z.object({ name: userName, role, passphrase, unit: unitName.default('') }).strict();

/** Who may call a channel: before unlock, any unlocked user, or the roles listed. */
export type Access = 'public' | 'user' | readonly Role[];

export interface ChannelSpec<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  access: Access;
}

const spec = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, access: Access): ChannelSpec<I, O> => ({ input, output, access });

// Who may call what is stated once, in permissions.ts; the renderer asks the same module.
const ADMIN = ADMINISTRATORS;
const SUPERVISOR = SUPERVISORS;

/* ---- Matrix read models -------------------------------------------------------------------- */

export const matrixRow = z.object({
  id: z.string(),
  reference: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.string(),
  band: z.enum(BANDS),
  computedBand: z.enum(BANDS),
  score: z.number(),
  ehPts: z.number(),
  ahPts: z.number(),
  capPts: z.number(),
  confidence: z.enum(CONFIDENCE_LEVELS),
  trend: z.number().nullable(),
  leadBorough: z.string(),
  otherBoroughCount: z.number().int(),
  businessGroup: z.string(),
  unit: z.string(),
  leadOfficer: z.string(),
  nextReviewOn: z.string(),
  isOverdue: z.boolean(),
  under18LinkCount: z.number().int(),
  asOf: z.string(),
});
export type MatrixRow = z.infer<typeof matrixRow>;

const networkRecord = z.object({
  id: z.string(),
  reference: z.string(),
  name: z.string(),
  aliases: z.string(),
  type: z.string(),
  definitionsVersion: z.string(),
  status: z.string(),
  leadBorough: z.string(),
  otherBoroughs: z.array(z.string()),
  businessGroup: z.string(),
  unit: z.string(),
  leadOfficer: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastReviewedOn: z.string().nullable(),
  nextReviewOn: z.string(),
  planStatus: z.string().optional(),
});

const personRecord = z.object({
  id: z.string(),
  reference: z.string(),
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  sex: z.string(),
  ethnicitySelf: z.string().nullable(),
  ethnicityOfficer: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

const membershipRecord = z.object({
  id: z.string(),
  personId: z.string(),
  networkId: z.string(),
  role: z.string(),
  basis: z.string(),
  status: z.string(),
  startDate: z.string(),
  reviewOn: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

/** An item as its network's card shows it: what the claim screens show, plus its source. */
const intelligenceRecord = intelligenceItem.extend({
  sourceRef: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

const offenceRecord = z.object({
  id: z.string(),
  crimeReference: z.string(),
  hoCode: z.string(),
  category: z.string(),
  offenceDate: z.string(),
  borough: z.string(),
  stage: z.string(),
  weapon: z.string(),
  isVictimUnder20: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});

const offenceLinkRecord = z.object({
  id: z.string(),
  offenceId: z.string(),
  networkId: z.string(),
  rationale: z.string(),
  status: z.string(),
  proposedBy: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  createdAt: z.string(),
});

const flagRecord = z.object({
  id: z.string(),
  subjectType: z.enum(['person', 'offence']),
  subjectId: z.string(),
  networkId: z.string().nullable(),
  status: z.string(),
  criteria: z.string(),
  proposedBy: z.string().nullable(),
  proposedAt: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  reviewOn: z.string(),
  endedAt: z.string().nullable(),
  endReason: z.string().nullable(),
});

const overrideRecord = z.object({
  id: z.string(),
  networkId: z.string(),
  band: z.enum(BANDS),
  reason: z.string(),
  authorId: z.string(),
  requestedAt: z.string(),
  approverId: z.string().nullable(),
  approvedAt: z.string().nullable(),
  expiresOn: z.string(),
  status: z.string(),
});

const storedScore = z.object({
  networkId: z.string(),
  asOf: z.string(),
  model: z.string(),
  weightTableId: z.string(),
  weightTableVersion: z.string(),
  score: z.number(),
  ehPts: z.number(),
  ahPts: z.number(),
  capPts: z.number(),
  band: z.string(),
  effectiveBand: z.string(),
  confidence: z.string(),
  computedAt: z.string(),
});

export const networkCard = z.object({
  network: networkRecord.extend({ isOverdue: z.boolean() }),
  /** The stored score taken apart (schemas/explanation.ts); null before the first scoring. */
  explanation: scoreExplanation.nullable(),
  history: z.array(storedScore),
  members: z.array(membershipRecord.extend({ personReference: z.string(), personName: z.string(), dateOfBirth: z.string().nullable(), isUnder18: z.boolean(), isOverdue: z.boolean() })),
  offences: z.array(offenceRecord.extend({ linkId: z.string(), linkStatus: z.string(), rationale: z.string() })),
  intelligence: z.array(intelligenceRecord),
  ratings: z.array(z.object({ networkId: z.string(), kind: z.string(), dimension: z.string(), value: z.number(), ratedBy: z.string().nullable(), ratedAt: z.string(), intelIds: z.array(z.string()) })),
  flags: z.array(flagRecord),
  overrides: z.array(overrideRecord),
  audit: z.array(auditRow),
});
export type NetworkCard = z.infer<typeof networkCard>;

export const personRow = z.object({
  id: z.string(),
  reference: z.string(),
  name: z.string(),
  dateOfBirth: z.string().nullable(),
  isUnder18: z.boolean(),
  sex: z.string(),
  linkCount: z.number().int(),
  flagStatus: z.string().nullable(),
});

export const flagRow = flagRecord.extend({ subjectLabel: z.string(), isUnder18: z.boolean(), isDueForReview: z.boolean() });

export const referenceLists = z.object({
  boroughs: z.array(z.object({ code: z.string(), name: z.string() })),
  businessGroups: z.array(z.object({ code: z.string(), name: z.string() })),
  definitions: z.array(z.object({ id: z.string(), label: z.string(), definition: z.string() })),
  definitionsVersion: z.string(),
  weightTable: z.object({ id: z.string(), version: z.string() }),
  categories: z.array(z.object({ id: z.string(), label: z.string(), weight: z.number() })),
});

const byId = z.object({ id: recordId }).strict();
/** Opening a record: a restricted one needs a reason, unless one was given for it since the last unlock. */
const openRecord = z.object({ id: recordId, reason: consultReason.optional() }).strict();

/* ---- Disruptions and meetings -------------------------------------------------------------- */

const level = z.enum(DISRUPTION_LEVELS);

export const disruptionRow = z.object({
  id: z.string(),
  reference: z.string(),
  networkReference: z.string(),
  primaryNetworkId: z.string(),
  otherNetworkCount: z.number().int(),
  operationReference: z.string(),
  activityStart: z.string(),
  activityEnd: z.string(),
  claimingBusinessGroup: z.string(),
  claimingUnit: z.string(),
  claimantName: z.string(),
  claimedLevel: level,
  level,
  status: z.string(),
  validatedOn: z.string().nullable(),
  durabilityDueOn: z.string().nullable(),
  durabilityOutcome: z.string().nullable(),
  partnerReference: z.string().nullable(),
});
export type DisruptionRow = z.infer<typeof disruptionRow>;

const disruptionRecord = z.object({
  id: z.string(),
  reference: z.string(),
  primaryNetworkId: z.string(),
  otherNetworkIds: z.array(z.string()),
  operationReference: z.string(),
  activityStart: z.string(),
  activityEnd: z.string(),
  claimingBusinessGroup: z.string(),
  claimingUnit: z.string(),
  claimantId: z.string(),
  claimedLevel: level,
  level,
  status: z.enum(DISRUPTION_STATUSES),
  submittedOn: z.string().nullish(),
  endorsedBy: z.string().nullish(),
  endorsedOn: z.string().nullish(),
  validatedBy: z.string().nullish(),
  validatedOn: z.string().nullish(),
  returnedOn: z.string().nullish(),
  rejectedOn: z.string().nullish(),
  decisionReason: z.string().nullish(),
  durabilityDueOn: z.string().nullish(),
  durabilityOutcome: z.enum(DURABILITY_OUTCOMES).nullish(),
  levelAfterReview: level.nullish(),
  reviewedBy: z.string().nullish(),
  reviewedOn: z.string().nullish(),
  reviewReason: z.string().nullish(),
  tactics: z.array(z.string()),
  outcomes: z.record(z.string(), z.unknown()),
  impactNarrative: z.string(),
  partnerReference: z.string().nullable(),
  intelIds: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DisruptionRecord = z.infer<typeof disruptionRecord>;

export const disruptionDetail = z.object({
  disruption: disruptionRecord,
  claimantName: z.string(),
  /** The primary network and the others, as the detail names them. */
  networks: z.array(networkLabel),
  /** The items the claim cites that are held against its networks, as the detail lists them. */
  intelligence: z.array(intelligenceItem),
  steps: z.array(z.object({ at: z.string(), action: z.string(), fromStatus: z.string(), toStatus: z.string(), level: z.string().nullable(), reason: z.string().nullable(), userName: z.string() })),
  harm: z.array(
    z.object({
      networkId: z.string(),
      before: z.number(),
      after: z.number().nullable(),
      isPending: z.boolean(),
      windowBefore: z.object({ from: z.string(), to: z.string() }),
      windowAfter: z.object({ from: z.string(), to: z.string() }),
    }),
  ),
  audit: z.array(auditRow),
});

export const meetingRow = z.object({
  id: z.string(),
  heldOn: z.string(),
  heldAt: z.string(),
  heldBy: z.string(),
  networkCount: z.number().int(),
  model: z.string(),
  weightTableId: z.string(),
  weightTableVersion: z.string(),
});
export type MeetingRow = z.infer<typeof meetingRow>;
const editOf = <T extends z.ZodType>(draft: T) => z.object({ id: recordId, draft }).strict();
/** Why a link or a flag ends: paragraphs allowed, as in the register's other reasons. */
const reasonText = plainText(
  z.string().trim().min(1, 'Give a reason.').max(1000),
  { control: 'Reason: remove control characters.', invisible: invisibleMessage('Reason') },
  { isMultiline: true },
);

/**
 * A review of a member link, a gang flag or a network: the outcome, the reason (kept in the review
 * and the audit entry's justification), the items re-checked, by id. `withoutEvidence`: a
 * supervisor retains a link or flag whose evidence does not qualify (recorded as such).
 */
export const reviewInput = z
  .object({
    kind: z.enum(REVIEW_KINDS),
    id: recordId,
    outcome: z.enum(REVIEW_OUTCOMES),
    reason: reasonText,
    intelIds: z.array(recordId).max(500),
    withoutEvidence: z.boolean().optional(),
  })
  .strict();

/* ---- Erasure (DPA 2018 s.47) ------------------------------------------------------------------ */

/** The record an erasure starts from: its kind, and its id or reference (a member link or a flag by id). */
export const eraseTarget = z
  .object({
    kind: z.enum(ERASE_KINDS),
    ref: z.string().trim().min(1, 'Give the record\'s reference or id.').max(128, 'A reference or id is at most 128 characters.'),
  })
  .strict();
/** Why the record is erased: kept in the erase register and the audit entry; never the person's name or date of birth. */
export const eraseReason = plainText(
  z.string().trim().min(5, 'Give the reason for the erasure (at least 5 characters).').max(1000),
  { control: 'Reason: remove control characters.', invisible: invisibleMessage('Reason') },
  { isMultiline: true },
);
export const eraseInput = eraseTarget.extend({ reason: eraseReason }).strict();

const eraseCounts = z.object({
  people: z.number().int(),
  memberships: z.number().int(),
  flags: z.number().int(),
  intelligence: z.number().int(),
  citations: z.number().int(),
  offences: z.number().int(),
  offenceLinks: z.number().int(),
  networks: z.number().int(),
  overrides: z.number().int(),
  disruptions: z.number().int(),
  snapshotPlaceholders: z.number().int(),
  registerRows: z.number().int(),
});
export type EraseCounts = z.infer<typeof eraseCounts>;

/** Singular and plural of each count of an erase plan, in the order they are listed ("1 person, 3 member links"). */
export const ERASE_COUNT_WORDS: readonly [keyof EraseCounts, string, string][] = [
  ['people', 'person', 'people'],
  ['networks', 'network', 'networks'],
  ['memberships', 'member link', 'member links'],
  ['flags', 'flag', 'flags'],
  ['offences', 'offence', 'offences'],
  ['offenceLinks', 'offence link', 'offence links'],
  ['intelligence', 'intelligence item', 'intelligence items'],
  ['citations', 'citation of intelligence', 'citations of intelligence'],
  ['overrides', 'band override', 'band overrides'],
  ['disruptions', 'disruption claim', 'disruption claims'],
];

/** What an erasure will take (the plan) or took: counts by kind, the networks rescored, one sentence. */
export const erasePlan = z.object({
  kind: z.enum(ERASE_KINDS),
  recordId: z.string(),
  reference: z.string(),
  counts: eraseCounts,
  networksRescored: z.number().int(),
  summary: z.string(),
});
export type ErasePlan = z.infer<typeof erasePlan>;

export const eraseResult = erasePlan.extend({
  erasureId: z.string(),
  erasedAt: z.string(),
  /** The log was emptied into the vault and truncated (false only while another reader held it open). */
  isLogCheckpointed: z.boolean(),
});
export type EraseResult = z.infer<typeof eraseResult>;

/** One erasure in the register: ids, kinds, dates, reasons and who; never a name of the erased. */
export const erasureRow = z.object({
  id: z.string(),
  kind: z.enum(ERASE_KINDS),
  recordId: z.string(),
  reference: z.string(),
  erasedAt: z.string(),
  reason: z.string(),
  erasedBy: z.string(),
  summary: z.string(),
  reappliedAt: z.string().nullable(),
});
export type ErasureRow = z.infer<typeof erasureRow>;

export const contract = {
  /** Where the app stands: no vault yet, locked or unlocked, and who is signed in. */
  'app:status': spec(empty, appStatus, 'public'),

  /** Check a proposed passphrase against the policy; returns problems and a strength hint. */
  'vault:check-passphrase': spec(
    z.object({ passphrase: z.string().max(1024), context: z.array(z.string().max(64)).max(4).optional() }).strict(),
    z.object({ isAcceptable: z.boolean(), problems: z.array(z.string()), strength: z.number().int().min(0).max(4), hint: z.string() }),
    'public',
  ),
  /** Create a vault with its first administrator; returns the recovery code, shown once. */
  'vault:create': spec(createVaultInput, z.object({ recoveryCode: z.string() }), 'public'),
  /** Create a vault as vault:create does and fill it with the demo generator's synthetic register; returns the recovery code. */
  'vault:create-demo': spec(createVaultInput.extend({ scale: z.enum(['desk']) }), z.object({ recoveryCode: z.string() }), 'public'),
  /** Replace the recovery code (the old one stops working); returns the new code, shown once. */
  'vault:new-recovery-code': spec(empty, z.object({ recoveryCode: z.string() }), ADMIN),
  /** Record that the creator has stored the recovery code. */
  'vault:confirm-recovery': spec(empty, z.object({ isConfirmed: z.boolean() }), ADMIN),
  /** Choose an existing vault file to unlock. */
  'vault:select': spec(z.object({ path: vaultPath }).strict(), z.object({ path: z.string() }), 'public'),
  /** Unlock the selected vault as a user. */
  'vault:unlock': spec(z.object({ userName: signInName, passphrase: existingPassphrase }).strict(), sessionUser, 'public'),
  /** Unlock with the recovery code and set a new passphrase for a user. */
  'vault:recover': spec(
    z.object({ recoveryCode: z.string().min(1, 'Enter the recovery code.').max(64), userName: signInName, newPassphrase: passphrase }).strict(),
    sessionUser,
    'public',
  ),
  /** Lock now: the database handle and key are dropped from memory. */
  'vault:lock': spec(empty, z.object({ isLocked: z.boolean() }), 'public'),
  /** Change the signed-in user's passphrase (rewrites only their key slot). */
  'vault:change-passphrase': spec(z.object({ current: existingPassphrase, next: passphrase }).strict(), z.object({ isChanged: z.boolean() }), 'user'),
  /** Write an encrypted, verified backup (with its key file) to a new path. */
  'vault:backup': spec(z.object({ path: vaultPath }).strict(), z.object({ path: z.string(), bytes: z.number() }), ADMIN),
  /** Replace the data key and re-seal it to every remaining key slot. */
  'vault:rotate-key': spec(empty, z.object({ isRotated: z.boolean() }), ADMIN),

  /** Everyone who has or had access to this vault. */
  'users:list': spec(empty, z.array(userRow), ADMIN),
  /** Add a user with a role and a first passphrase. */
  'users:add': spec(addUserInput, userRow, ADMIN),
  /** Record a user's unit (a validator must be from a unit other than the claim's). */
  'users:set-unit': spec(z.object({ userId: z.string().uuid(), unit: unitName }).strict(), userRow, ADMIN),
  /** Remove a user's access; optionally rotate the data key at once. */
  'users:remove': spec(
    z.object({ userId: z.string().uuid(), rotateKey: z.boolean() }).strict(),
    z.object({ isRemoved: z.boolean(), isKeyRotated: z.boolean() }),
    ADMIN,
  ),
  /** Every key slot the vault trusts or the key file holds, each checked against the vault's registry. */
  'users:key-slots': spec(empty, z.array(keySlotRow), ADMIN),

  /** Audit entries, newest first, filtered. */
  'audit:list': spec(auditFilter, z.array(auditRow), OVERSIGHT),
  /** Walk the whole audit chain and name the first broken entry. */
  'audit:verify': spec(
    z.object({ full: z.boolean().optional() }).strict(),
    z.object({
      isIntact: z.boolean(),
      count: z.number().int(),
      firstBrokenSeq: z.number().int().nullable(),
      reason: z.string().nullable(),
      /** Entries from before signing began (an older vault), which have the chain's protection only. */
      beforeSigning: z.number().int(),
      signaturesChecked: z.number().int(),
    }),
    OVERSIGHT,
  ),
  /** Write the audit log's head (with this write's own entry) to a new file outside the vault: an anchor to check the log against later. */
  'audit:anchor': spec(z.object({ path: anchorPath }).strict(), anchorResult, OVERSIGHT),

  /** The vault's settings. */
  'settings:get': spec(empty, storedSettings, 'user'),
  /** Change the idle timeout, the protective marking and which records ask for a reason. */
  'settings:update': spec(settings.strict(), storedSettings, ADMIN),
  /** The retention policy in force: each period with its reason and source, its version and when it applies. */
  'policy:get': spec(empty, policyView, 'user'),
  /** An administrator shortens periods (raises floors): a new policy version from today, audited. */
  'policy:update': spec(policyUpdate, policyView, ADMIN),

  /** Boroughs, business groups, definitions and offence categories for forms and labels. */
  'reference:get': spec(empty, referenceLists, 'user'),

  /** Every network with score, parts, band, confidence and trend; `asOf` rescores the view for that date. */
  'networks:list': spec(z.object({ asOf: isoDay.optional() }).strict(), z.array(matrixRow), 'user'),
  /** A network's card: the score taken apart, history, members, offences, intelligence, flags, audit. */
  'networks:get': spec(openRecord, networkCard, 'user'),
  /** Create a network; its reference and review date are set by main. */
  'networks:create': spec(networkDraft, networkRecord, KEEPERS),
  /** Edit a network's details. */
  'networks:update': spec(editOf(networkDraft), networkRecord, KEEPERS),
  /** Rescore every network as of a date (default today) and store the scores. */
  'networks:rescore-all': spec(z.object({ asOf: isoDay.optional() }).strict(), z.object({ scored: z.number().int(), changed: z.number().int() }), KEEPERS),
  /**
   * The full rescore in progress, if any (a large vault rescores in a worker: "Rescore all", or the
   * daily rescore at unlock). Poll while `isRunning`; `done` of `total` networks scored so far.
   */
  'networks:rescore-status': spec(
    empty,
    z.object({ isRunning: z.boolean(), done: z.number().int().nonnegative(), total: z.number().int().nonnegative(), asOf: isoDay.nullable() }),
    'user',
  ),

  /** People on the register, with under-18 markers. */
  'people:list': spec(empty, z.array(personRow), 'user'),
  /** A person's record, links and flags (a restricted one needs a reason, as a network's card does). */
  'people:get': spec(openRecord, z.object({ person: personRecord.extend({ isUnder18: z.boolean() }), memberships: z.array(membershipRecord), flags: z.array(flagRecord) }), 'user'),
  /** Record a person. */
  'people:create': spec(personDraft, personRecord, KEEPERS),
  /** Edit a person. */
  'people:update': spec(editOf(personDraft), personRecord, KEEPERS),

  /** Record a graded intelligence item, optionally held against networks. */
  'intelligence:create': spec(intelligenceDraft, intelligenceRecord, KEEPERS),

  /** Link a person to a network (two independent graded sources or self-admission; victim links never score). */
  'memberships:create': spec(membershipDraft, membershipRecord, KEEPERS),
  /** End a member link, with a reason. */
  'memberships:end': spec(z.object({ id: recordId, reason: reasonText }).strict(), membershipRecord, KEEPERS),
  /** A supervisor other than its proposer confirms a proposed member link (a person under 18). */
  'memberships:confirm': spec(byId, membershipRecord, SUPERVISOR),

  /** Record an offence. */
  'offences:create': spec(offenceDraft, offenceRecord, KEEPERS),
  /** Change an offence's evidential stage (rescoring its networks). */
  'offences:set-stage': spec(z.object({ id: recordId, stage: z.enum(STAGES) }).strict(), offenceRecord, KEEPERS),
  /** Link an offence to a network with a rationale and graded intelligence (confirmed). */
  'offences:link': spec(offenceLinkDraft, offenceLinkRecord, KEEPERS),
  /** Confirm or reject a proposed offence link. */
  'offences:decide-link': spec(z.object({ id: recordId, decision: z.enum(['confirmed', 'rejected']) }).strict(), offenceLinkRecord, KEEPERS),

  /** Set an assessed (0–4) or capability (0–3) rating with its supporting intelligence. */
  'ratings:set': spec(ratingDraft, z.object({ networkId: z.string() }), KEEPERS),

  /** Several ratings of one network in one transaction (one rescore). */
  'ratings:set-many': spec(
    z.object({ networkId: recordId, ratings: z.array(ratingBatchItem).min(1).max(10) }).strict(),
    z.object({ networkId: z.string(), saved: z.number().int() }),
    KEEPERS,
  ),
  /** Offences whose crime reference starts with the text given (up to 50). */
  'offences:find': spec(z.object({ crimeReference: z.string().trim().min(1, 'Type the start of a crime reference.').max(40) }).strict(), z.array(offenceRecord), 'user'),

  /** Gang flags: all, or the supervisor's queue (proposed, and due for review). */
  'flags:list': spec(z.object({ view: z.enum(['all', 'queue']) }).strict(), z.array(flagRow), 'user'),
  /** Propose a gang flag on a person or an offence. */
  'flags:propose': spec(flagDraft, flagRecord, KEEPERS),
  /** Confirm a proposed flag whose criteria are met. */
  'flags:confirm': spec(byId, flagRecord, SUPERVISOR),
  /** Expire or remove a flag, with a reason. */
  'flags:end': spec(z.object({ id: recordId, status: z.enum(['expired', 'removed']), reason: reasonText }).strict(), flagRecord, SUPERVISOR),

  /** Set a network's plan status (shown in the meeting pack). */
  'networks:set-plan-status': spec(z.object({ id: recordId, planStatus: z.enum(PLAN_STATUSES) }).strict(), z.object({ networkId: z.string(), planStatus: z.string() }), KEEPERS),

  /** Disruptions: all, mine, the validation queue or durability reviews due; optionally for one network. */
  'disruptions:list': spec(
    z.object({ view: z.enum(['all', 'mine', 'validation', 'durability']), networkId: recordId.optional() }).strict(),
    z.array(disruptionRow),
    'user',
  ),
  /** One disruption: record, its networks and cited intelligence, workflow steps, harm before and after, audit trail. */
  'disruptions:get': spec(byId, disruptionDetail, 'user'),
  /** The intelligence held against the networks a claim is about, to cite; recorded as one consultation. */
  'disruptions:evidence': spec(evidenceInput, evidence, KEEPERS),
  /** Draft a disruption claim (the claimant is the signed-in user). */
  'disruptions:create': spec(disruptionDraft, disruptionRecord, KEEPERS),
  /** Edit a draft or returned claim (claimant only). */
  'disruptions:update': spec(z.object({ id: recordId, draft: disruptionDraft }).strict(), disruptionRecord, KEEPERS),
  /** Submit, endorse, validate, return or reject: the workflow's rules are enforced in main. */
  'disruptions:transition': spec(transitionInput, disruptionRecord, ['analyst', 'supervisor', 'validator']),
  /** Record the durability review six months after validation (independent validator). */
  'disruptions:review': spec(durabilityInput, disruptionRecord, ['validator']),

  /** Prioritisation meetings held, newest first. */
  'meetings:list': spec(empty, z.array(meetingRow), 'user'),
  /** Hold a meeting: freeze every network's score, band, owner and plan status as of the day. */
  'meetings:hold': spec(z.object({ heldOn: isoDay.optional() }).strict(), meetingRow, KEEPERS),

  /** Request a band override (reason and expiry). */
  'overrides:request': spec(overrideDraft, overrideRecord, KEEPERS),
  /** Approve or reject an override: a supervisor other than its author. */
  'overrides:decide': spec(z.object({ id: recordId, decision: z.enum(['approved', 'rejected']) }).strict(), overrideRecord, SUPERVISOR),

  /** A return (corporate for a period, or the meeting pack as of a day) as disclosure-controlled tables and chart series; recorded as a consultation. */
  'returns:preview': spec(previewInput, returnDocument, 'user'),
  /** Save a return to a new file; recorded as a disclosure (audit log and export register, one transaction). The pack: analysts and supervisors only. */
  'returns:export': spec(exportInput, exportResult, RETURN_EXPORTERS),
  /** What erasing a record would take (nothing is changed): supervisors and administrators. */
  'erase:plan': spec(eraseTarget, erasePlan, ERASERS),
  /** Erase a record and everything that goes with it, with a reason, in one transaction with its audit entry. */
  'erase:confirm': spec(eraseInput, eraseResult, ERASERS),
  /** The erase register: ids, kinds, dates, reasons and who erased; never names. */
  'erasures:list': spec(empty, z.array(erasureRow), ERASERS),
  /** Run the retention steps (lapse, archive, erase) for today; another day, or dryRun, only reports what would happen and writes nothing. */
  'retention:run': spec(retentionRunInput, retentionRunResult, ERASERS),
  /** What will lapse, be archived and be erased in the coming days, each with its day; changes nothing. */
  'retention:forecast': spec(retentionForecastInput, retentionForecast, ERASERS),
  /** Member links, gang flags and networks due for review within `withinDays` (default 30) or overdue: under-18s first, then by date; the user's unit where one is recorded. */
  'reviews:due': spec(dueInput, z.array(dueRow), KEEPERS),
  /** The evidence a review judges: the items it may re-check, which qualify within the window, what is missing, and the sentence. */
  'reviews:evidence': spec(reviewEvidenceInput, reviewEvidence, KEEPERS),
  /** Record one review (retain or end) with its reason and the items re-checked; no bulk review. */
  'reviews:record': spec(reviewInput, reviewResult, KEEPERS),
  /** The export register: every export for administrators and supervisors, one's own for everyone else. */
  'exports:list': spec(empty, z.array(exportRegisterRow), 'user'),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];

// Compile-time proof that preload/contract/channels.ts lists exactly the contract's channels.
type MissingFromList = Exclude<Channel, ChannelName>;
type ExtraInList = Exclude<ChannelName, Channel>;
export const CHANNEL_LIST_MATCHES: [MissingFromList, ExtraInList] extends [never, never] ? true : never = true;
export type Input<C extends Channel> = z.input<Contract[C]['input']>;
export type Output<C extends Channel> = z.output<Contract[C]['output']>;
