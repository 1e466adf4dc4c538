/**
 * Record schemas for the matrix (docs/specification.md, "Core records"). Used by the IPC contract, by the
 * renderer's forms (errors beside fields), and by the CLI import, so a record is valid in exactly
 * one sense everywhere. Pure zod: no Node, no Electron.
 */
import { z } from 'zod';
import {
  ASSESSED_DIMENSIONS,
  BANDS,
  BUSINESS_GROUPS,
  CAPABILITY_DIMENSIONS,
  GRADINGS,
  HANDLING_CODES,
  INTEL_GRADES,
  MEMBER_ROLES,
  NETWORK_STATUSES,
  NETWORK_TYPES,
  OFFICER_ETHNICITY,
  SELF_ETHNICITY,
  SEXES,
  STAGES,
  WEAPONS,
} from '../vocabulary';
import { invisibleMessage, plainText } from '../text';

// The register's text fields keep tabs and line breaks, as they always have (a summary or a
// rationale runs to paragraphs); every other control and format character is refused (../text.ts).
const text = (max: number, label: string) =>
  plainText(
    z.string().trim().max(max, `${label}: use at most ${max} characters.`),
    { control: `${label}: remove control characters.`, invisible: invisibleMessage(label) },
    { isMultiline: true },
  );
const required = (max: number, label: string) => text(max, label).min(1, `Enter ${label.toLowerCase()}.`);

export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date like 2026-06-30.')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'That is not a real date.');

export const id = z.string().min(1).max(64);

// The code lists are the shared vocabulary's; they are named here too because the forms and the
// contract import them beside the record schemas built on them.
export {
  ASSESSED_DIMENSIONS,
  BANDS,
  BUSINESS_GROUPS,
  CAPABILITY_DIMENSIONS,
  MEMBER_ROLES,
  NETWORK_STATUSES,
  NETWORK_TYPES,
  OFFICER_ETHNICITY,
  SELF_ETHNICITY,
  SEXES,
  STAGES,
  WEAPONS,
} from '../vocabulary';

const boroughCode = z.string().regex(/^(E09000(0[0-2]\d|03[0-3])|OUTSIDE)$/, 'Choose a borough.').refine((c) => c !== 'E09000000', 'Choose a borough.');

export const networkDraft = z
  .object({
    reference: z
      .string()
      .trim()
      .regex(/^CN-\d{4}-\d{4,6}$/, 'Use a reference like CN-2026-0042.')
      .optional(),
    name: required(120, 'Name'),
    aliases: text(300, 'Aliases').default(''),
    type: z.enum(NETWORK_TYPES, 'Choose a type.'),
    status: z.enum(NETWORK_STATUSES).default('proposed'),
    leadBorough: boroughCode,
    otherBoroughs: z.array(boroughCode).max(34).default([]),
    businessGroup: z.enum(BUSINESS_GROUPS, 'Choose a business group.'),
    unit: text(120, 'Unit').default(''),
    leadOfficer: text(120, 'Lead officer').default(''),
  })
  .strict();
export type NetworkDraft = z.input<typeof networkDraft>;

export const personDraft = z
  .object({
    reference: z.string().trim().regex(/^P-\d{4}-\d{4,7}$/, 'Use a reference like P-2026-00042.').optional(),
    name: required(120, 'Name'),
    dateOfBirth: isoDay.nullable().default(null),
    sex: z.enum(SEXES).default('unknown'),
    ethnicitySelf: z.enum(SELF_ETHNICITY).nullable().default(null),
    ethnicityOfficer: z.enum(OFFICER_ETHNICITY).nullable().default(null),
  })
  .strict();
export type PersonDraft = z.input<typeof personDraft>;

export const intelligenceDraft = z
  .object({
    reference: required(40, 'Reference'),
    itemDate: isoDay,
    summary: required(2000, 'Summary'),
    /** Who or what the item came from; items with the same source are one source. */
    sourceRef: required(80, 'Source'),
    grading: z.enum(GRADINGS).default('3x5x2'),
    sourceGrade: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().default(null),
    intelGrade: z.enum(INTEL_GRADES).nullable().default(null),
    handling: z.enum(HANDLING_CODES).nullable().default(null),
    /** As recorded under 5x5x5, e.g. "B2 4": kept, never converted. */
    legacyGrade: text(20, 'Legacy grade').nullable().default(null),
    networkIds: z.array(id).max(50).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.grading === '3x5x2') {
      if (v.sourceGrade === null) ctx.addIssue({ code: 'custom', path: ['sourceGrade'], message: 'Choose a source grade.' });
      if (v.intelGrade === null) ctx.addIssue({ code: 'custom', path: ['intelGrade'], message: 'Choose an intelligence grade.' });
      if (v.handling === null) ctx.addIssue({ code: 'custom', path: ['handling'], message: 'Choose a handling code.' });
    } else if (!v.legacyGrade) {
      ctx.addIssue({ code: 'custom', path: ['legacyGrade'], message: 'Enter the grade as recorded.' });
    }
  });
export type IntelligenceDraft = z.input<typeof intelligenceDraft>;

export const membershipDraft = z
  .object({
    personId: id,
    networkId: id,
    role: z.enum(MEMBER_ROLES, 'Choose a role.'),
    /** Self-admission counts instead of two graded sources (docs/specification.md, "Entry thresholds"). */
    isSelfAdmission: z.boolean().default(false),
    intelIds: z.array(id).max(50).default([]),
    startDate: isoDay,
  })
  .strict();
export type MembershipDraft = z.input<typeof membershipDraft>;

export const offenceDraft = z
  .object({
    crimeReference: required(40, 'Crime reference'),
    hoCode: text(12, 'Home Office code').default(''),
    category: required(60, 'Category'),
    offenceDate: isoDay,
    borough: boroughCode,
    stage: z.enum(STAGES, 'Choose an evidential stage.'),
    weapon: z.enum(WEAPONS).default('none'),
    isVictimUnder20: z.boolean().default(false),
  })
  .strict();
export type OffenceDraft = z.input<typeof offenceDraft>;

export const offenceLinkDraft = z
  .object({
    offenceId: id,
    networkId: id,
    rationale: required(1000, 'Rationale'),
    intelIds: z.array(id).min(1, 'Cite at least one graded intelligence item.').max(50),
  })
  .strict();
export type OffenceLinkDraft = z.input<typeof offenceLinkDraft>;

const ratingFields = z
  .object({
    networkId: id,
    kind: z.enum(['assessed', 'capability']),
    dimension: z.enum([...ASSESSED_DIMENSIONS, ...CAPABILITY_DIMENSIONS]),
    value: z.number().int().min(0).max(4),
    intelIds: z.array(id).max(50).default([]),
  })
  .strict();

export const ratingDraft = ratingFields.superRefine((v, ctx) => {
  const dims: readonly string[] = v.kind === 'assessed' ? ASSESSED_DIMENSIONS : CAPABILITY_DIMENSIONS;
  if (!dims.includes(v.dimension)) ctx.addIssue({ code: 'custom', path: ['dimension'], message: `That is not a ${v.kind} dimension.` });
  if (v.kind === 'capability' && v.value > 3) ctx.addIssue({ code: 'custom', path: ['value'], message: 'Capability is rated 0 to 3.' });
});
export type RatingDraft = z.input<typeof ratingDraft>;

/**
 * One rating of a batch (ratings:set-many): a rating's fields, its network taken from the batch.
 * The kind-and-dimension rules above are applied to each rating by main, so a refusal names the
 * field (`value`) as it does for a single rating rather than its place in the list.
 */
export const ratingBatchItem = ratingFields.extend({ networkId: id.optional() });

export const flagDraft = z
  .object({
    subjectType: z.enum(['person', 'offence']),
    subjectId: id,
    networkId: id.nullable().default(null),
    isSelfAdmission: z.boolean().default(false),
    intelIds: z.array(id).max(50).default([]),
  })
  .strict();
export type FlagDraft = z.input<typeof flagDraft>;

export const overrideDraft = z
  .object({
    networkId: id,
    band: z.enum(BANDS),
    reason: required(1000, 'Reason'),
    expiresOn: isoDay,
  })
  .strict();
export type OverrideDraft = z.input<typeof overrideDraft>;
