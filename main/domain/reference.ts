/**
 * Reference data shipped in `resources/reference/`: schemas and pure validators.
 *
 * Reading the files is the loader's job (main process, elsewhere); this module only checks the
 * parsed JSON. Every file carries `id`, `version` and `source` so that a score, export or
 * definition can record exactly which reference data produced it.
 */
import { z } from 'zod';
import { isIsoDate } from '../../preload/contract/dates';
import { BUSINESS_GROUPS, NETWORK_TYPES } from '../../preload/contract/vocabulary';
import { categoryId, type WeightTable } from './scoring';
import { retentionPolicyFile, type RetentionPolicy } from '../../preload/contract/schemas/policy';

const text = z.string().trim().min(1, { error: 'must not be empty' });
const isoDate = z
  .string()
  .refine(isIsoDate, { error: 'must be a real calendar date written YYYY-MM-DD' });

/** Fields every reference file has. */
const fileHeader = {
  id: text,
  version: text,
  source: text,
  effectiveFrom: isoDate.optional(),
};

function requireUnique<T>(
  items: readonly T[],
  key: (item: T) => string,
  field: string,
  ctx: z.RefinementCtx,
): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) {
      ctx.addIssue({ code: 'custom', path: ['items', i, field], message: `duplicate ${field} "${k}"` });
    }
    seen.add(k);
  });
}

// ---------------------------------------------------------------------------------------------
// Boroughs
// ---------------------------------------------------------------------------------------------

/** The ONS codes of the City of London and the 32 London boroughs, E09000001 to E09000033. */
export const LONDON_BOROUGH_CODES: readonly string[] = Array.from(
  { length: 33 },
  (_, i) => `E09${String(i + 1).padStart(6, '0')}`,
);
export const OUTSIDE_LONDON_CODE = 'OUTSIDE';

export const boroughCode = z
  .string()
  .refine((c) => c === OUTSIDE_LONDON_CODE || LONDON_BOROUGH_CODES.includes(c), {
    error: 'must be an ONS London code E09000001 to E09000033 or OUTSIDE',
  });

export const borough = z.strictObject({
  code: boroughCode,
  name: text,
  isLondon: z.boolean(),
});
export type Borough = z.infer<typeof borough>;

export const boroughsFile = z
  .strictObject({ ...fileHeader, items: z.array(borough) })
  .superRefine((file, ctx) => {
    requireUnique(file.items, (b) => b.code, 'code', ctx);
    requireUnique(file.items, (b) => b.name.toLowerCase(), 'name', ctx);
    // A missing borough would silently drop its networks from borough returns, so the file
    // must be complete, not merely well formed.
    const codes = new Set(file.items.map((b) => b.code));
    for (const code of [...LONDON_BOROUGH_CODES, OUTSIDE_LONDON_CODE]) {
      if (!codes.has(code)) {
        ctx.addIssue({ code: 'custom', path: ['items'], message: `missing borough ${code}` });
      }
    }
    file.items.forEach((b, i) => {
      if (b.isLondon !== (b.code !== OUTSIDE_LONDON_CODE)) {
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'isLondon'],
          message: `isLondon must be ${b.code !== OUTSIDE_LONDON_CODE} for ${b.code}`,
        });
      }
    });
  });
export type BoroughsFile = z.infer<typeof boroughsFile>;

// ---------------------------------------------------------------------------------------------
// Business groups
// ---------------------------------------------------------------------------------------------

export const businessGroupCode = z.enum(BUSINESS_GROUPS);
export type BusinessGroupCode = z.infer<typeof businessGroupCode>;

export const businessGroup = z.strictObject({ code: businessGroupCode, name: text });
export type BusinessGroup = z.infer<typeof businessGroup>;

export const businessGroupsFile = z
  .strictObject({ ...fileHeader, items: z.array(businessGroup) })
  .superRefine((file, ctx) => {
    requireUnique(file.items, (g) => g.code, 'code', ctx);
    const codes = new Set(file.items.map((g) => g.code));
    for (const code of businessGroupCode.options) {
      if (!codes.has(code)) {
        ctx.addIssue({ code: 'custom', path: ['items'], message: `missing business group ${code}` });
      }
    }
  });
export type BusinessGroupsFile = z.infer<typeof businessGroupsFile>;

// ---------------------------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------------------------

export const networkType = z.enum(NETWORK_TYPES);
export type NetworkType = z.infer<typeof networkType>;

export const definition = z.strictObject({
  id: networkType,
  /** Each definition is versioned on its own, so a network records the version it was typed under. */
  version: text,
  effectiveFrom: isoDate,
  label: text,
  definition: text,
  criteria: z.array(text).min(1, { error: 'at least one criterion is required' }),
  exclusions: z.array(text).default([]),
  source: text,
});
export type Definition = z.infer<typeof definition>;

export const definitionsFile = z
  .strictObject({ ...fileHeader, items: z.array(definition) })
  .superRefine((file, ctx) => {
    requireUnique(file.items, (d) => `${d.id}@${d.version}`, 'id', ctx);
    // Two versions of one definition starting on the same day would make "the definition in
    // force" ambiguous.
    requireUnique(file.items, (d) => `${d.id}@${d.effectiveFrom}`, 'effectiveFrom', ctx);
    const ids = new Set(file.items.map((d) => d.id));
    for (const type of networkType.options) {
      if (!ids.has(type)) {
        ctx.addIssue({ code: 'custom', path: ['items'], message: `missing definition of ${type}` });
      }
    }
  });
export type DefinitionsFile = z.infer<typeof definitionsFile>;

// ---------------------------------------------------------------------------------------------
// Offence weights
// ---------------------------------------------------------------------------------------------

export const offenceWeight = z.strictObject({
  category: categoryId,
  label: text,
  weight: z
    .number({ error: 'weight must be a finite number' })
    .nonnegative({ error: 'weight must not be negative' }),
  /** Where the number comes from, so a reviewer can check it. */
  basis: text,
  /** True for values not yet checked against their published source. */
  isIllustrative: z.boolean(),
});
export type OffenceWeight = z.infer<typeof offenceWeight>;

export const weightsFile = z
  .strictObject({
    ...fileHeader,
    kind: z.literal('offence_weights'),
    /** The scoring model the table is for. */
    model: text,
    /** `harm_days`: CCHI-style sentencing days; `severity_weight`: ONS CSS-style weights. */
    unit: z.enum(['harm_days', 'severity_weight']),
    weights: z.array(offenceWeight).min(1, { error: 'a weight table needs at least one category' }),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.weights.forEach((w, i) => {
      if (seen.has(w.category)) {
        ctx.addIssue({
          code: 'custom',
          path: ['weights', i, 'category'],
          message: `duplicate category "${w.category}"`,
        });
      }
      seen.add(w.category);
    });
  });
export type WeightsFile = z.infer<typeof weightsFile>;

// ---------------------------------------------------------------------------------------------
// Parsers
// ---------------------------------------------------------------------------------------------

/** Thrown when a reference file fails validation; `issues` lists every problem. */
export class ReferenceDataError extends Error {
  readonly file: string;
  readonly issues: readonly string[];
  constructor(file: string, issues: readonly string[]) {
    super(`Reference data "${file}" is invalid: ${issues.join('; ')}`);
    this.name = 'ReferenceDataError';
    this.file = file;
    this.issues = issues;
  }
}

function parseWith<T extends z.ZodType>(schema: T, kind: string, json: unknown): z.output<T> {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const fileId =
    typeof json === 'object' && json !== null && typeof (json as { id?: unknown }).id === 'string'
      ? (json as { id: string }).id
      : kind;
  throw new ReferenceDataError(
    fileId,
    result.error.issues.map((i) => `${i.path.map(String).join('.') || '(file)'}: ${i.message}`),
  );
}

/** Validate parsed `boroughs.json`; throws `ReferenceDataError`. */
export function parseBoroughs(json: unknown): BoroughsFile {
  return parseWith(boroughsFile, 'boroughs', json);
}

/** Validate parsed `business-groups.json`; throws `ReferenceDataError`. */
export function parseBusinessGroups(json: unknown): BusinessGroupsFile {
  return parseWith(businessGroupsFile, 'business-groups', json);
}

/** Validate parsed `definitions.json`; throws `ReferenceDataError`. */
export function parseDefinitions(json: unknown): DefinitionsFile {
  return parseWith(definitionsFile, 'definitions', json);
}

/** Validate a parsed `weights-*.json`; throws `ReferenceDataError`. */
export function parseWeights(json: unknown): WeightsFile {
  return parseWith(weightsFile, 'weights', json);
}

/** Validate parsed `retention-policy.json`; throws `ReferenceDataError`. */
export function parseRetentionPolicy(json: unknown): RetentionPolicy {
  return parseWith(retentionPolicyFile, 'retention-policy', json);
}

/** The scoring form of a weights file: `{ id, version, weights: { category: weight } }`. */
export function toWeightTable(file: WeightsFile): WeightTable {
  return {
    id: file.id,
    version: file.version,
    weights: Object.fromEntries(file.weights.map((w) => [w.category, w.weight])),
  };
}

/**
 * Categories present in one table and not the other. Alternative tables must cover the same
 * categories, or switching table would leave some offences unscorable.
 */
export function categoryDifferences(
  a: WeightsFile,
  b: WeightsFile,
): { onlyInFirst: string[]; onlyInSecond: string[] } {
  const first = new Set(a.weights.map((w) => w.category));
  const second = new Set(b.weights.map((w) => w.category));
  return {
    onlyInFirst: [...first].filter((c) => !second.has(c)).sort(),
    onlyInSecond: [...second].filter((c) => !first.has(c)).sort(),
  };
}

/** The latest version of each definition in force on `asOf` (ISO date), by network type. */
export function definitionsInForce(
  file: DefinitionsFile,
  asOf: string,
): Partial<Record<NetworkType, Definition>> {
  if (!isIsoDate(asOf)) throw new RangeError(`Not a valid date (expected YYYY-MM-DD): "${asOf}"`);
  const result: Partial<Record<NetworkType, Definition>> = {};
  for (const d of file.items) {
    // Valid ISO dates compare correctly as strings.
    if (d.effectiveFrom > asOf) continue;
    const current = result[d.id];
    if (!current || d.effectiveFrom > current.effectiveFrom) result[d.id] = d;
  }
  return result;
}
