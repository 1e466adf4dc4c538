/**
 * Reference data shipped in resources/reference (bundled into main at build time, so a packaged
 * app cannot lose or swap the files), validated once, and recorded in the vault by version so a
 * score can name the exact weight table that produced it.
 */
import boroughsJson from '../../resources/reference/boroughs.json';
import businessGroupsJson from '../../resources/reference/business-groups.json';
import definitionsJson from '../../resources/reference/definitions.json';
import weightsHm1Json from '../../resources/reference/weights-hm-1.json';
import weightsSeverityJson from '../../resources/reference/weights-severity-1.json';
import retentionPolicyJson from '../../resources/reference/retention-policy.json';
import {
  parseBoroughs,
  parseBusinessGroups,
  parseDefinitions,
  parseRetentionPolicy,
  parseWeights,
  ReferenceDataError,
  toWeightTable,
  type BoroughsFile,
  type BusinessGroupsFile,
  type DefinitionsFile,
  type WeightsFile,
} from '../domain/reference';
import type { WeightTable } from '../domain/scoring';
import type { RetentionPolicy } from '../../preload/contract/schemas/policy';
import type { Db } from '../vault/database';
import { insertReferenceSet } from '../store/reference.repo';

export interface ReferenceData {
  boroughs: BoroughsFile;
  businessGroups: BusinessGroupsFile;
  definitions: DefinitionsFile;
  weights: Record<string, WeightsFile>;
  /** The shipped retention policy: the limits no administrator's version may pass. */
  retentionPolicy: RetentionPolicy;
}

let cached: ReferenceData | undefined;

export function referenceData(): ReferenceData {
  if (!cached) {
    const hm1 = parseWeights(weightsHm1Json);
    const sev = parseWeights(weightsSeverityJson);
    cached = {
      boroughs: parseBoroughs(boroughsJson),
      businessGroups: parseBusinessGroups(businessGroupsJson),
      definitions: parseDefinitions(definitionsJson),
      weights: { [hm1.id]: hm1, [sev.id]: sev },
      retentionPolicy: parseRetentionPolicy(retentionPolicyJson),
    };
  }
  return cached;
}

/**
 * Load and check every reference file once, at start: null when all are valid, else the sentence
 * that refuses to start (naming the file and each fault), so a bad policy file is never applied.
 */
export function referenceDataProblem(): string | null {
  try {
    referenceData();
    return null;
  } catch (e) {
    if (e instanceof ReferenceDataError) return `Harm Matrix cannot start: ${e.message}.`;
    throw e;
  }
}

export const DEFAULT_WEIGHT_TABLE = 'hm-1';

/** The kind the vault records retention policy versions under (reference_sets). */
export const RETENTION_POLICY_KIND = 'retention_policy';

export function weightTable(id: string = DEFAULT_WEIGHT_TABLE): WeightTable {
  const file = referenceData().weights[id];
  if (!file) throw new Error(`unknown weight table ${id}`);
  return toWeightTable(file);
}

/** Record each reference file's version in the vault once. Runs inside the caller's transaction. */
export function recordReferenceVersions(db: Db, now: Date): string[] {
  const ref = referenceData();
  const files: { kind: string; id: string; version: string; body: unknown }[] = [
    { kind: 'boroughs', id: ref.boroughs.id, version: ref.boroughs.version, body: ref.boroughs },
    { kind: 'business_groups', id: ref.businessGroups.id, version: ref.businessGroups.version, body: ref.businessGroups },
    { kind: 'definitions', id: ref.definitions.id, version: ref.definitions.version, body: ref.definitions },
    ...Object.values(ref.weights).map((w) => ({ kind: 'offence_weights', id: w.id, version: w.version, body: w })),
    { kind: RETENTION_POLICY_KIND, id: ref.retentionPolicy.id, version: ref.retentionPolicy.version, body: ref.retentionPolicy },
  ];
  const loaded: string[] = [];
  const loadedAt = now.toISOString();
  for (const f of files) {
    if (insertReferenceSet(db, { ...f, loadedAt })) loaded.push(`${f.id} ${f.version}`);
  }
  return loaded;
}

export function definitionsVersion(): string {
  return referenceData().definitions.version;
}
