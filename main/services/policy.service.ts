/**
 * The retention policy in force (docs/specification.md, "Governance the software enforces"): the
 * shipped file (resources/reference/retention-policy.json), recorded in the vault with the other
 * reference data, and every version an administrator has made since, each in reference_sets
 * (kind retention_policy). The rules read the version in force on the day (domain/retention-policy.ts).
 *
 * An administrator may shorten any period (raise a floor) and lengthen none beyond the shipped
 * file's limit; each change is a new version, audited, applying from the day it is made.
 */
import { retentionPolicyFile, type PolicyPeriodKey, type PolicyView, type RetentionPolicy } from '../../preload/contract/schemas/policy';
import { formatUkDate } from '../../preload/contract/dates';
import { ukToday } from '../../preload/contract/uk-time';
import { changedPolicy, policyInForce } from '../domain/retention-policy';
import { insertReferenceSet, listReferenceSets } from '../store/reference.repo';
import type { Db } from '../vault/database';
import { VaultError } from '../vault/errors';
import { referenceData, RETENTION_POLICY_KIND } from './reference.service';
import type { Session } from './session';

interface StoredVersion {
  policy: RetentionPolicy;
  loadedAt: string;
}

function storedVersions(db: Db): StoredVersion[] {
  const out: StoredVersion[] = [];
  for (const r of listReferenceSets(db, RETENTION_POLICY_KIND)) {
    const parsed = retentionPolicyFile.safeParse(r.body);
    // A version the vault holds was validated when it was written; one that no longer parses is
    // not applied (the shipped file always is).
    if (parsed.success) out.push({ policy: parsed.data, loadedAt: r.loadedAt });
  }
  return out;
}

/** No value past the shipped file's limit, whatever a stored version says. */
function clampToShipped(p: RetentionPolicy, shipped: RetentionPolicy): RetentionPolicy {
  const periods = structuredClone(p.periods);
  for (const key of Object.keys(periods) as PolicyPeriodKey[]) {
    const limit = shipped.periods[key];
    const v = periods[key];
    const value = limit.bound === 'at_most' ? Math.min(v.value, limit.limit) : Math.max(v.value, limit.limit);
    periods[key] = { ...v, value, limit: limit.limit, bound: limit.bound };
  }
  return { ...p, periods };
}

/** The policy in force in this vault on a day (the shipped file when the vault holds no other version). */
export function policyOn(db: Db, day: string): RetentionPolicy {
  const shipped = referenceData().retentionPolicy;
  const versions = [shipped, ...storedVersions(db).map((v) => v.policy)];
  return clampToShipped(policyInForce(versions, day), shipped);
}

/** The policy in force today for a signed-in session. */
export function currentPolicy(s: Session): RetentionPolicy {
  return policyOn(s.vault!.db, ukToday(s.ctx.now()));
}

export function get(s: Session): PolicyView {
  s.requireUser();
  const db = s.vault!.db;
  const shipped = referenceData().retentionPolicy;
  return {
    policy: currentPolicy(s),
    shippedVersion: shipped.version,
    versions: storedVersions(db).map((v) => ({ version: v.policy.version, effectiveFrom: v.policy.effectiveFrom, loadedAt: v.loadedAt, isAdministrator: v.policy.changedBy !== undefined })),
  };
}

/** A new version from the administrator's values; refused field by field (nothing written) when any is past its limit. */
export function update(s: Session, values: Partial<Record<PolicyPeriodKey, number>>): PolicyView {
  const user = s.requireUser();
  const today = ukToday(s.ctx.now());
  const shipped = referenceData().retentionPolicy;
  s.write((db, audit) => {
    const current = policyOn(db, today);
    const made = storedVersions(db).filter((v) => v.policy.changedBy !== undefined).length;
    const version = `${shipped.version}+${made + 1}`;
    const result = changedPolicy(shipped, current, values, { today, userId: user.id, version });
    if ('fields' in result) {
      const first = Object.values(result.fields)[0]!;
      throw new VaultError('invalid_input', first, undefined, result.fields);
    }
    if (result.changed.length === 0) throw new VaultError('invalid_input', 'Nothing was changed: every value is as it was.');
    insertReferenceSet(db, { kind: RETENTION_POLICY_KIND, id: shipped.id, version, body: result.policy, loadedAt: s.ctx.now().toISOString() });
    const changes = result.changed.map((k) => `${k} ${current.periods[k].value} to ${result.policy.periods[k].value}`).join(', ');
    audit({ action: 'alter', entityType: 'retention_policy', entityId: version, summary: `Retention policy version ${version} applies from ${formatUkDate(today)}: ${changes}` });
  });
  return get(s);
}
