/**
 * Harm before and after a disruption (docs/scoring-method.md, "Harm before and after"): the
 * undecayed Σ w·s of a network's confirmed offences in the six months before the activity began,
 * [start − 6 months, start), and the six months after it ended, (end, end + 6 months]. Offences
 * during the activity (its start and end days included) count on neither side. The figure after
 * is pending until those six months have passed.
 *
 * Pure: the offences (as a repo returns them for `harmWindows`), the weights and today are given.
 */
import { addMonths, compareIsoDates } from '../../preload/contract/dates';
import { STAGE_FACTORS, type EvidentialStage } from './scoring';

export interface HarmWindows {
  /** First day counted before the activity. */
  beforeFrom: string;
  activityStart: string;
  activityEnd: string;
  /** Last day counted after the activity. */
  afterTo: string;
}

export function harmWindows(activityStart: string, activityEnd: string): HarmWindows {
  return { beforeFrom: addMonths(activityStart, -6), activityStart, activityEnd, afterTo: addMonths(activityEnd, 6) };
}

export function isHarmPending(w: HarmWindows, today: string): boolean {
  return compareIsoDates(today, w.afterTo) < 0;
}

/** One confirmed offence inside the windows: [category, stage, offence date]. */
export type HarmOffence = readonly [category: string, stage: EvidentialStage, offenceDate: string];

/** Σ w·s on each side of the activity, for offences already limited to the two windows. */
export function sumHarm(offences: Iterable<HarmOffence>, weights: Readonly<Record<string, number>>, w: HarmWindows): { before: number; after: number } {
  let before = 0;
  let after = 0;
  for (const [category, stage, day] of offences) {
    const ws = (weights[category] ?? 0) * STAGE_FACTORS[stage];
    // ISO days compare as text: the hot loop of a return over many networks parses nothing.
    if (day < w.activityStart) before += ws;
    else after += ws;
  }
  return { before, after };
}
