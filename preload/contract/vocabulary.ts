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

export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  collect: 'Collect',
  alter: 'Alter',
  consult: 'Consult',
  disclose: 'Disclose',
  combine: 'Combine',
  erase: 'Erase',
  unlock: 'Unlock',
  failed_unlock: 'Failed unlock',
  lock: 'Lock',
  user_change: 'User change',
  key_change: 'Key change',
  export: 'Export',
  backup: 'Backup',
  restore: 'Restore',
};

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
  // A restricted record was asked for without a reason: the screen asks for one and tries again.
  'reason_required',
  // The signed-in user must first replace the passphrase someone else chose for them.
  'passphrase_change_due',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/* ---- Networks (docs/user-guide.md "The matrix") ---------------------------------------------- */

export const NETWORK_TYPES = ['criminal_network', 'gang', 'peer_group'] as const;
export type NetworkType = (typeof NETWORK_TYPES)[number];

export const NETWORK_TYPE_LABELS: Readonly<Record<NetworkType, string>> = {
  criminal_network: 'Criminal network',
  gang: 'Gang',
  peer_group: 'Peer group',
};

export const NETWORK_STATUSES = ['proposed', 'active', 'dormant', 'archived'] as const;
export type NetworkStatus = (typeof NETWORK_STATUSES)[number];

export const NETWORK_STATUS_LABELS: Readonly<Record<NetworkStatus, string>> = {
  proposed: 'Proposed',
  active: 'Active',
  dormant: 'Dormant',
  archived: 'Archived',
};

export const BUSINESS_GROUPS = ['SCD', 'TP', 'SO', 'CO', 'partner'] as const;
export type BusinessGroupCode = (typeof BUSINESS_GROUPS)[number];

/**
 * A business group as the corporate return's rows name it: the code people write, "Partner" for
 * any agency outside the MPS. The full names are reference data
 * (resources/reference/business-groups.json), which the screens show.
 */
export const BUSINESS_GROUP_LABELS: Readonly<Record<BusinessGroupCode, string>> = {
  SCD: 'SCD',
  TP: 'TP',
  SO: 'SO',
  CO: 'CO',
  partner: 'Partner',
};

export const PLAN_STATUSES = ['none', 'draft', 'agreed', 'in_progress', 'under_review'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

/** A disruption plan's status read on its own, as the screens show it. */
export const PLAN_STATUS_LABELS: Readonly<Record<PlanStatus, string>> = {
  none: 'No plan',
  draft: 'Draft plan',
  agreed: 'Plan agreed',
  in_progress: 'Plan in progress',
  under_review: 'Plan under review',
};

/** The same statuses under a "Plan" column heading, as the meeting pack prints them. */
export const PLAN_STATUS_SHORT_LABELS: Readonly<Record<PlanStatus, string>> = {
  none: 'None',
  draft: 'Draft',
  agreed: 'Agreed',
  in_progress: 'In progress',
  under_review: 'Under review',
};

/* ---- People and their links ------------------------------------------------------------------ */

export const MEMBER_ROLES = ['principal', 'lieutenant', 'associate', 'facilitator', 'victim_at_risk'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const MEMBER_ROLE_LABELS: Readonly<Record<MemberRole, string>> = {
  principal: 'Principal',
  lieutenant: 'Lieutenant',
  associate: 'Associate',
  facilitator: 'Facilitator',
  victim_at_risk: 'Victim / at risk',
};

/** Why a person is linked to a network (docs/user-guide.md "A network's card"). */
export const MEMBERSHIP_BASES = ['graded_sources', 'self_admission', 'safeguarding'] as const;
export type MembershipBasis = (typeof MEMBERSHIP_BASES)[number];

export const MEMBERSHIP_BASIS_LABELS: Readonly<Record<MembershipBasis, string>> = {
  graded_sources: 'Two graded sources',
  self_admission: 'Self-admission',
  safeguarding: 'Safeguarding (never scored)',
};

/** A membership is proposed, confirmed or ended; an offence link proposed, confirmed or rejected. */
export const LINK_STATUSES = ['proposed', 'confirmed', 'rejected', 'ended'] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export const LINK_STATUS_LABELS: Readonly<Record<LinkStatus, string>> = {
  proposed: 'Proposed',
  confirmed: 'Confirmed',
  rejected: 'Rejected',
  ended: 'Ended',
};

export const FLAG_STATUSES = ['proposed', 'confirmed', 'expired', 'removed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

export const FLAG_STATUS_LABELS: Readonly<Record<FlagStatus, string>> = {
  proposed: 'Proposed',
  confirmed: 'Confirmed',
  expired: 'Expired',
  removed: 'Removed',
};

/**
 * What makes a record restricted: opening one asks for a reason, kept as the consultation's
 * justification in the audit log. An administrator chooses which apply (all, by default).
 */
/** What a supervisor may erase (DPA 2018 s.47): the record the erasure starts from; what goes with it is main's cascade (store/erasure.repo.ts). */
export const ERASE_KINDS = ['person', 'link', 'flag', 'offence', 'intelligence', 'network', 'claim'] as const;
export type EraseKind = (typeof ERASE_KINDS)[number];

export const ERASE_KIND_LABELS: Readonly<Record<EraseKind, string>> = {
  person: 'Person',
  link: 'Member link',
  flag: 'Gang flag',
  offence: 'Offence',
  intelligence: 'Intelligence item',
  network: 'Network',
  claim: 'Draft disruption claim',
};

export const RESTRICTED_RECORD_KINDS = ['under_18', 'victim_at_risk', 'flagged_nominal', 'handling_c'] as const;
export type RestrictedRecordKind = (typeof RESTRICTED_RECORD_KINDS)[number];

export const RESTRICTED_RECORD_LABELS: Readonly<Record<RestrictedRecordKind, string>> = {
  under_18: 'A person under 18',
  victim_at_risk: 'A victim / at-risk link',
  flagged_nominal: 'A flagged nominal (a confirmed gang flag on a person)',
  handling_c: 'An intelligence item with handling code C',
};

export const FLAG_CRITERIA = ['two_sources', 'self_admission'] as const;
export type FlagCriteria = (typeof FLAG_CRITERIA)[number];

export const FLAG_CRITERIA_LABELS: Readonly<Record<FlagCriteria, string>> = {
  two_sources: 'Two independent graded sources',
  self_admission: 'Self-admission',
};

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

export const SEX_LABELS: Readonly<Record<Sex, string>> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Not known' };

/*
 * Ethnicity codes, held only for disproportionality monitoring (docs/import-schema.md) and never
 * shown below aggregate level in any export. Self-defined: the 16+1 census categories (2001,
 * England and Wales) plus "not stated". Officer-defined: IC codes; only IC1–IC6 have settled
 * descriptions.
 */

export const SELF_ETHNICITY = [
  'W1', 'W2', 'W9', 'M1', 'M2', 'M3', 'M9', 'A1', 'A2', 'A3', 'A9', 'B1', 'B2', 'B9', 'O1', 'O9', 'NS',
] as const;
export type SelfEthnicity = (typeof SELF_ETHNICITY)[number];

export const SELF_ETHNICITY_LABELS: Readonly<Record<SelfEthnicity, string>> = {
  W1: 'White – British',
  W2: 'White – Irish',
  W9: 'White – any other White background',
  M1: 'Mixed – White and Black Caribbean',
  M2: 'Mixed – White and Black African',
  M3: 'Mixed – White and Asian',
  M9: 'Mixed – any other mixed background',
  A1: 'Asian or Asian British – Indian',
  A2: 'Asian or Asian British – Pakistani',
  A3: 'Asian or Asian British – Bangladeshi',
  A9: 'Asian or Asian British – any other Asian background',
  B1: 'Black or Black British – Caribbean',
  B2: 'Black or Black British – African',
  B9: 'Black or Black British – any other Black background',
  O1: 'Other ethnic group – Chinese',
  O9: 'Other ethnic group – any other ethnic group',
  NS: 'Not stated',
};

export const OFFICER_ETHNICITY = ['IC1', 'IC2', 'IC3', 'IC4', 'IC5', 'IC6', 'IC7', 'IC8', 'IC9'] as const;
export type OfficerEthnicity = (typeof OFFICER_ETHNICITY)[number];

export const OFFICER_ETHNICITY_LABELS: Readonly<Record<OfficerEthnicity, string>> = {
  IC1: 'IC1 – White, northern European',
  IC2: 'IC2 – White, southern European',
  IC3: 'IC3 – Black',
  IC4: 'IC4 – Asian',
  IC5: 'IC5 – Chinese, Japanese or other south-east Asian',
  IC6: 'IC6 – Arab or north African',
  IC7: 'IC7',
  IC8: 'IC8',
  IC9: 'IC9',
};

/* ---- Intelligence grading (3x5x2; legacy 5x5x5 grades are kept as recorded) ------------------ */

export const GRADINGS = ['3x5x2', '5x5x5'] as const;
export type Grading = (typeof GRADINGS)[number];

/** 3x5x2 source evaluation: 1 reliable, 2 untested, 3 not reliable. */
export const SOURCE_GRADES = [1, 2, 3] as const;
export type SourceGrade = (typeof SOURCE_GRADES)[number];

export const SOURCE_GRADE_LABELS: Readonly<Record<SourceGrade, string>> = { 1: '1 – reliable', 2: '2 – untested', 3: '3 – not reliable' };

/** 3x5x2 intelligence assessment A (known directly) to E (suspected false). */
export const INTEL_GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type IntelligenceGrade = (typeof INTEL_GRADES)[number];

export const INTEL_GRADE_LABELS: Readonly<Record<IntelligenceGrade, string>> = {
  A: 'A – known directly',
  B: 'B – known indirectly and corroborated',
  C: 'C – known indirectly',
  D: 'D – not known',
  E: 'E – suspected false',
};

export const HANDLING_CODES = ['P', 'C'] as const;
export type HandlingCode = (typeof HANDLING_CODES)[number];

export const HANDLING_LABELS: Readonly<Record<HandlingCode, string>> = { P: 'P – lawful sharing permitted', C: 'C – sharing with conditions' };

/* ---- Offences, ratings and scores (docs/scoring-method.md) ----------------------------------- */

export const STAGES = ['convicted', 'charged', 'arrested', 'intelligence', 'nfa', 'acquitted'] as const;
export type EvidentialStage = (typeof STAGES)[number];

export const STAGE_LABELS: Readonly<Record<EvidentialStage, string>> = {
  convicted: 'Convicted',
  charged: 'Charged',
  arrested: 'Arrested or suspect',
  intelligence: 'Intelligence only',
  nfa: 'No further action',
  acquitted: 'Acquitted',
};

export const WEAPONS = ['firearm_discharged', 'firearm', 'knife', 'none'] as const;
export type WeaponInvolved = (typeof WEAPONS)[number];

export const WEAPON_LABELS: Readonly<Record<WeaponInvolved, string>> = {
  firearm_discharged: 'Firearm discharged',
  firearm: 'Firearm',
  knife: 'Knife',
  none: 'None',
};

export const ASSESSED_DIMENSIONS = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'] as const;
export type AssessedDimension = (typeof ASSESSED_DIMENSIONS)[number];

export const ASSESSED_DIMENSION_LABELS: Readonly<Record<AssessedDimension, string>> = {
  physical: 'Physical harm',
  psychological: 'Psychological harm',
  financial: 'Financial harm',
  community_impact: 'Community impact (fear, territorial conflict)',
  victim_vulnerability: 'Victim vulnerability and exploitation',
};

export const CAPABILITY_DIMENSIONS = [
  'firearms',
  'violence_intimidation',
  'corruption_insider_access',
  'financial_capacity',
  'resilience_reach',
] as const;
export type CapabilityDimension = (typeof CAPABILITY_DIMENSIONS)[number];

export const CAPABILITY_DIMENSION_LABELS: Readonly<Record<CapabilityDimension, string>> = {
  firearms: 'Firearms access or use',
  violence_intimidation: 'Violence and intimidation',
  corruption_insider_access: 'Corruption or insider access',
  financial_capacity: 'Financial capacity',
  resilience_reach: 'Resilience and reach',
};

export const BANDS = ['A', 'B', 'C', 'below_threshold'] as const;
export type Band = (typeof BANDS)[number];

export const BAND_LABELS: Readonly<Record<Band, string>> = {
  A: 'Band A',
  B: 'Band B',
  C: 'Band C',
  below_threshold: 'Below threshold',
};

/** A band in a grid cell: the letter, or the words for below threshold. */
export const BAND_SHORT_LABELS: Readonly<Record<Band, string>> = { A: 'A', B: 'B', C: 'C', below_threshold: 'Below threshold' };

/** Higher is more harmful: for sorting band columns. */
export const BAND_RANK: Readonly<Record<Band, number>> = { below_threshold: 0, C: 1, B: 2, A: 3 };

export const CONFIDENCE_LEVELS = ['high', 'medium', 'low'] as const;
export type ConfidenceLevel = (typeof CONFIDENCE_LEVELS)[number];

export const CONFIDENCE_LABELS: Readonly<Record<ConfidenceLevel, string>> = { high: 'High', medium: 'Medium', low: 'Low' };

/** Higher is more confident: for sorting confidence columns. */
export const CONFIDENCE_RANK: Readonly<Record<ConfidenceLevel, number>> = { low: 0, medium: 1, high: 2 };

/** The gates that can move a band after the score (docs/scoring-method.md). */
export const GATES = ['low_confidence_cap', 'serious_violence_floor'] as const;
export type Gate = (typeof GATES)[number];

export const GATE_LABELS: Readonly<Record<Gate, string>> = {
  low_confidence_cap: 'Low confidence caps the band at B',
  serious_violence_floor: 'Homicide or firearm discharge in the last 12 months: at least Band B',
};

export const OVERRIDE_STATUSES = ['requested', 'approved', 'rejected', 'withdrawn'] as const;
export type OverrideRecordStatus = (typeof OVERRIDE_STATUSES)[number];

export const OVERRIDE_STATUS_LABELS: Readonly<Record<OverrideRecordStatus, string>> = {
  requested: 'Awaiting approval',
  approved: 'Approved',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
};

/** Where an approved override stands on the as-of day, as a score's explanation says. */
export const OVERRIDE_STANDINGS = ['none', 'in_force', 'not_yet_in_force', 'expired', 'invalid'] as const;
export type OverrideStanding = (typeof OVERRIDE_STANDINGS)[number];

export const OVERRIDE_STANDING_LABELS: Readonly<Record<OverrideStanding, string>> = {
  none: 'No override',
  in_force: 'In force',
  not_yet_in_force: 'Not yet in force',
  expired: 'Expired',
  invalid: 'Not valid',
};

/* ---- Disruptions (docs/scoring-method.md "Disruptions") -------------------------------------- */

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

export const DISRUPTION_STATUS_LABELS: Readonly<Record<DisruptionStatus, string>> = {
  draft: 'Draft',
  submitted: 'Submitted',
  endorsed: 'Endorsed',
  validated: 'Validated',
  returned: 'Returned',
  rejected: 'Rejected',
};

/** What each level means, shown beside the choice (docs/scoring-method.md "Disruptions"). */
export const LEVEL_MEANINGS: Readonly<Record<DisruptionLevel, string>> = {
  major: 'dismantled, or unable to operate normally for 12 months or more',
  moderate: 'significant reduction for 3 to 12 months',
  minor: 'short-lived or partial, under 3 months',
  none: 'no lasting effect on the network',
  negative: 'the activity made the network more capable or harmful',
};

export const DURABILITY_OUTCOME_LABELS: Readonly<Record<DurabilityOutcome, string>> = {
  confirmed: 'Confirmed',
  downgraded: 'Downgraded',
  upgraded: 'Upgraded',
};

/** The workflow moves a person asks for by name; the durability review is asked for on its own. */
export const WORKFLOW_ACTIONS = ['submit', 'endorse', 'validate', 'return', 'reject'] as const;
export type WorkflowActionName = (typeof WORKFLOW_ACTIONS)[number];

/** The steps a claim's timeline records. */
export const WORKFLOW_STEPS = [...WORKFLOW_ACTIONS, 'review'] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** Each step as the timeline names it: the status it led to, or the review. */
export const WORKFLOW_STEP_LABELS: Readonly<Record<WorkflowStep, string>> = {
  submit: 'Submitted',
  endorse: 'Endorsed',
  validate: 'Validated',
  return: 'Returned',
  reject: 'Rejected',
  review: 'Durability review',
};

/** The 4Ps a tactic belongs to. */
export const FOUR_P = ['pursue', 'prevent', 'protect', 'prepare'] as const;
export type FourP = (typeof FOUR_P)[number];

export const FOUR_P_LABELS: Readonly<Record<FourP, string>> = { pursue: 'Pursue', prevent: 'Prevent', protect: 'Protect', prepare: 'Prepare' };

/** Tactics, with the 4P group each belongs to. */
export const TACTICS = {
  criminal_justice: { label: 'Criminal justice (arrest, charge, conviction)', group: 'pursue' },
  ancillary_orders: { label: 'Ancillary orders (SCPO, gang injunction, CBO)', group: 'pursue' },
  financial: { label: 'Financial (cash seizure, account freezing, restraint, confiscation)', group: 'pursue' },
  regulatory_licensing: { label: 'Regulatory and licensing', group: 'pursue' },
  housing: { label: 'Housing', group: 'pursue' },
  vehicles_travel_immigration: { label: 'Vehicles, travel and immigration', group: 'pursue' },
  tax: { label: 'Tax', group: 'pursue' },
  prevent: { label: 'Prevent (diversion or exit programme)', group: 'prevent' },
  protect: { label: 'Protect (safeguarding, target hardening)', group: 'protect' },
  partner_led: { label: 'Partner-led', group: 'prepare' },
} as const satisfies Record<string, { label: string; group: FourP }>;
export type Tactic = keyof typeof TACTICS;
export const TACTIC_IDS = Object.keys(TACTICS) as Tactic[];

/*
 * What a claim records it achieved (the outcome fields of schemas/disruptions.ts), named as the
 * field's messages and the corporate return's rows name them. The claim form adds the unit
 * ("Cash seized (£)", "Custody (years)").
 */
export const OUTCOME_LABELS = {
  arrests: 'Arrests',
  charges: 'Charges',
  convictions: 'Convictions',
  custodyYears: 'Custody',
  rounds: 'Rounds of ammunition',
  knives: 'Knives',
  otherWeapons: 'Other weapons',
  cashSeized: 'Cash seized',
  assetsRestrained: 'Assets restrained',
  confiscation: 'Confiscation',
  vehicles: 'Vehicles',
  premisesClosed: 'Premises closed',
  safeguardingReferrals: 'Safeguarding referrals',
  childrenSafeguarded: 'Children safeguarded',
} as const;
export type OutcomeField = keyof typeof OUTCOME_LABELS;

export const FIREARM_TYPES = ['handgun', 'shotgun', 'automatic', 'converted', 'imitation'] as const;
export type FirearmType = (typeof FIREARM_TYPES)[number];

/** Firearms as the claim form and the claim's detail name them. */
export const FIREARM_LABELS: Readonly<Record<FirearmType, string>> = {
  handgun: 'Handguns',
  shotgun: 'Shotguns',
  automatic: 'Automatic weapons',
  converted: 'Converted weapons',
  imitation: 'Imitation weapons',
};

/** Firearms as the corporate return's rows name them: an imitation is an imitation firearm there. */
export const FIREARM_RETURN_LABELS: Readonly<Record<FirearmType, string>> = { ...FIREARM_LABELS, imitation: 'Imitation firearms' };

export const DRUG_CLASSES = ['A', 'B', 'C'] as const;
export type DrugClass = (typeof DRUG_CLASSES)[number];
