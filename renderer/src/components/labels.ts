/**
 * Words for the codes the matrix records use, in British English. Kept equal to the labels main
 * writes into its explanations (main/domain/scoring.ts) so a stage reads the same on every screen;
 * only types cross from main, never its code.
 */
import {
  MEMBER_ROLE_LABELS,
  NETWORK_TYPE_LABELS,
  type ASSESSED_DIMENSIONS,
  type BANDS,
  type CAPABILITY_DIMENSIONS,
  type NETWORK_STATUSES,
  type SEXES,
  type STAGES,
  type WEAPONS,
} from '../../../preload/contract/schemas/matrix';

export type Band = (typeof BANDS)[number];
export type Stage = (typeof STAGES)[number];
export type Weapon = (typeof WEAPONS)[number];
export type AssessedDimension = (typeof ASSESSED_DIMENSIONS)[number];
export type CapabilityDimension = (typeof CAPABILITY_DIMENSIONS)[number];

export const BAND_LABELS: Record<Band, string> = {
  A: 'Band A',
  B: 'Band B',
  C: 'Band C',
  below_threshold: 'Below threshold',
};

/** Band in a grid cell: the letter, or the words for below threshold. */
export const BAND_SHORT: Record<Band, string> = { A: 'A', B: 'B', C: 'C', below_threshold: 'Below threshold' };

/** Higher is more harmful; for sorting the band column. */
export const BAND_RANK: Record<Band, number> = { below_threshold: 0, C: 1, B: 2, A: 3 };

export const STAGE_LABELS: Record<Stage, string> = {
  convicted: 'Convicted',
  charged: 'Charged',
  arrested: 'Arrested or suspect',
  intelligence: 'Intelligence only',
  nfa: 'No further action',
  acquitted: 'Acquitted',
};

export const WEAPON_LABELS: Record<Weapon, string> = {
  firearm_discharged: 'Firearm discharged',
  firearm: 'Firearm',
  knife: 'Knife',
  none: 'None',
};

export const CONFIDENCE_LABELS: Record<string, string> = { high: 'High', medium: 'Medium', low: 'Low' };

export const NETWORK_STATUS_LABELS: Record<(typeof NETWORK_STATUSES)[number], string> = {
  proposed: 'Proposed',
  active: 'Active',
  dormant: 'Dormant',
  archived: 'Archived',
};

export const SEX_LABELS: Record<(typeof SEXES)[number], string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Not known' };

export const ASSESSED_LABELS: Record<AssessedDimension, string> = {
  physical: 'Physical harm',
  psychological: 'Psychological harm',
  financial: 'Financial harm',
  community_impact: 'Community impact (fear, territorial conflict)',
  victim_vulnerability: 'Victim vulnerability and exploitation',
};

export const CAPABILITY_LABELS: Record<CapabilityDimension, string> = {
  firearms: 'Firearms access or use',
  violence_intimidation: 'Violence and intimidation',
  corruption_insider_access: 'Corruption or insider access',
  financial_capacity: 'Financial capacity',
  resilience_reach: 'Resilience and reach',
};

export const ASSESSED_SCALE = ['0 – none', '1 – low', '2 – medium', '3 – high', '4 – very high'];
export const CAPABILITY_SCALE = ['0 – none', '1 – low', '2 – medium', '3 – high'];

export const BASIS_LABELS: Record<string, string> = {
  graded_sources: 'Two graded sources',
  self_admission: 'Self-admission',
  safeguarding: 'Safeguarding (never scored)',
};

export const LINK_STATUS_LABELS: Record<string, string> = { proposed: 'Proposed', confirmed: 'Confirmed', rejected: 'Rejected', ended: 'Ended' };

export const FLAG_STATUS_LABELS: Record<string, string> = { proposed: 'Proposed', confirmed: 'Confirmed', expired: 'Expired', removed: 'Removed' };

export const FLAG_CRITERIA_LABELS: Record<string, string> = { two_sources: 'Two independent graded sources', self_admission: 'Self-admission' };

export const OVERRIDE_STATUS_LABELS: Record<string, string> = { requested: 'Awaiting approval', approved: 'Approved', rejected: 'Rejected', withdrawn: 'Withdrawn' };

export const SOURCE_GRADE_LABELS: Record<1 | 2 | 3, string> = { 1: '1 – reliable', 2: '2 – untested', 3: '3 – not reliable' };

export const INTEL_GRADE_LABELS: Record<'A' | 'B' | 'C' | 'D' | 'E', string> = {
  A: 'A – known directly',
  B: 'B – known indirectly and corroborated',
  C: 'C – known indirectly',
  D: 'D – not known',
  E: 'E – suspected false',
};

export const HANDLING_LABELS: Record<'P' | 'C', string> = { P: 'P – lawful sharing permitted', C: 'C – sharing with conditions' };

export const GATE_LABELS: Record<string, string> = {
  low_confidence_cap: 'Low confidence caps the band at B',
  serious_violence_floor: 'Homicide or firearm discharge in the last 12 months: at least Band B',
};

export const OVERRIDE_EXPLANATION_LABELS: Record<string, string> = {
  none: 'No override',
  in_force: 'In force',
  not_yet_in_force: 'Not yet in force',
  expired: 'Expired',
  invalid: 'Not valid',
};

export const networkTypeLabel = (type: string): string => NETWORK_TYPE_LABELS[type as keyof typeof NETWORK_TYPE_LABELS] ?? type;
export const memberRoleLabel = (role: string): string => MEMBER_ROLE_LABELS[role as keyof typeof MEMBER_ROLE_LABELS] ?? role;
export const stageLabel = (stage: string): string => STAGE_LABELS[stage as Stage] ?? stage;
export const bandLabel = (band: string): string => BAND_LABELS[band as Band] ?? band;

/** "1/A/P" for a 3x5x2 item, "5x5x5 B2 4" for a legacy one. */
export function gradeText(i: { grading: string; sourceGrade: number | null; intelGrade: string | null; handling: string | null; legacyGrade: string | null }): string {
  return i.grading === '3x5x2' ? `${i.sourceGrade ?? '?'}/${i.intelGrade ?? '?'}/${i.handling ?? '?'}` : `5x5x5 ${i.legacyGrade ?? ''}`.trim();
}
