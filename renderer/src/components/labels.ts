/**
 * Words for the codes the matrix records use, as the screens name them. The words are the shared
 * vocabulary's (preload/contract/vocabulary.ts), the same ones main writes into its explanations
 * and returns, so a stage reads the same on every screen and in every export. Maps the screens
 * index with a plain string (a grid cell, a stored status) are typed for that here; a code the
 * vocabulary does not know is shown as it is.
 */
import * as vocabulary from '../../../preload/contract/vocabulary';
import type { AssessedDimension, Band, CapabilityDimension, EvidentialStage, WeaponInvolved } from '../../../preload/contract/vocabulary';

export {
  BAND_LABELS,
  BAND_RANK,
  BAND_SHORT_LABELS as BAND_SHORT,
  HANDLING_LABELS,
  INTEL_GRADE_LABELS,
  NETWORK_STATUS_LABELS,
  SEX_LABELS,
  SOURCE_GRADE_LABELS,
  STAGE_LABELS,
  WEAPON_LABELS,
} from '../../../preload/contract/vocabulary';
export type { AssessedDimension, Band, CapabilityDimension };
export type Stage = EvidentialStage;
export type Weapon = WeaponInvolved;

/** Words looked up by a string the contract leaves unnarrowed. */
type ByCode = Readonly<Record<string, string>>;

export const ASSESSED_LABELS: Readonly<Record<AssessedDimension, string>> = vocabulary.ASSESSED_DIMENSION_LABELS;
export const CAPABILITY_LABELS: Readonly<Record<CapabilityDimension, string>> = vocabulary.CAPABILITY_DIMENSION_LABELS;
export const CONFIDENCE_LABELS: ByCode = vocabulary.CONFIDENCE_LABELS;
export const BASIS_LABELS: ByCode = vocabulary.MEMBERSHIP_BASIS_LABELS;
export const LINK_STATUS_LABELS: ByCode = vocabulary.LINK_STATUS_LABELS;
export const FLAG_STATUS_LABELS: ByCode = vocabulary.FLAG_STATUS_LABELS;
export const FLAG_CRITERIA_LABELS: ByCode = vocabulary.FLAG_CRITERIA_LABELS;
export const OVERRIDE_STATUS_LABELS: ByCode = vocabulary.OVERRIDE_STATUS_LABELS;
export const GATE_LABELS: ByCode = vocabulary.GATE_LABELS;
export const OVERRIDE_EXPLANATION_LABELS: ByCode = vocabulary.OVERRIDE_STANDING_LABELS;

export const ASSESSED_SCALE = ['0 – none', '1 – low', '2 – medium', '3 – high', '4 – very high'];
export const CAPABILITY_SCALE = ['0 – none', '1 – low', '2 – medium', '3 – high'];

export const networkTypeLabel = (type: string): string => vocabulary.NETWORK_TYPE_LABELS[type as vocabulary.NetworkType] ?? type;
export const memberRoleLabel = (role: string): string => vocabulary.MEMBER_ROLE_LABELS[role as vocabulary.MemberRole] ?? role;
export const stageLabel = (stage: string): string => vocabulary.STAGE_LABELS[stage as Stage] ?? stage;
export const bandLabel = (band: string): string => vocabulary.BAND_LABELS[band as Band] ?? band;
/** For sorting by confidence, low to high; a code the vocabulary does not know sorts first. */
export const confidenceRank = (level: string): number => vocabulary.CONFIDENCE_RANK[level as vocabulary.ConfidenceLevel] ?? -1;

/** "1/A/P" for a 3x5x2 item, "5x5x5 B2 4" for a legacy one. */
export function gradeText(i: { grading: string; sourceGrade: number | null; intelGrade: string | null; handling: string | null; legacyGrade: string | null }): string {
  return i.grading === '3x5x2' ? `${i.sourceGrade ?? '?'}/${i.intelGrade ?? '?'}/${i.handling ?? '?'}` : `5x5x5 ${i.legacyGrade ?? ''}`.trim();
}
