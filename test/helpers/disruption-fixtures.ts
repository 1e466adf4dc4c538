/**
 * Set-up for the disruption and meeting tests, on top of the matrix world (encrypted vault on
 * disk, cheap scrypt, a clock set by hand, the real IPC dispatch): the people who take part in a
 * claim, each with the unit recorded for them, a valid claim payload, and a way to prove that a
 * refused request changed nothing at all (every table, the audit head, the workstation's copy of
 * the head, the workflow steps).
 *
 * Units (docs/specification.md, "Disruptions": the validator may not be in the claiming unit):
 * - analyst, analyst2 and supervisor are in "Gangs Unit", the unit the claims are made for;
 * - supervisor2 is in "Trident", so cannot endorse a Gangs Unit claim;
 * - validator is in "Economic Crime": independent;
 * - validatorSameUnit is recorded as "gangs   UNIT" (the claiming unit typed differently);
 * - validatorNoUnit has no unit recorded, so independence cannot be shown;
 * - reader is read-only; admin has no unit.
 */
import { expect } from 'vitest';
import * as usersService from '../../main/services/users.service';
import { addSettledUser } from './user-fixtures';
import type { Result, Role } from '../../preload/contract';
import type { DisruptionDraft } from '../../preload/contract/schemas/disruptions';
import { READER, VALIDATOR, folderSnapshot } from './vault-fixtures';
import { Clock, auditHeadSeq, fingerprint, network, openMatrixWorld, type Actor, type MatrixWorld } from './matrix-fixtures';

export const CLAIMING_UNIT = 'Gangs Unit';

/** Passphrases acceptable under the policy and free of their users' names. */
export const ANALYST_2 = { name: 'Gus Analyst', passphrase: 'saffron kettle glacier 52' } as const;
export const VALIDATOR_SAME_UNIT = { name: 'Hal Validator', passphrase: 'pewter lagoon mosaic 37' } as const;
export const VALIDATOR_NO_UNIT = { name: 'Ida Validator', passphrase: 'tangerine quarry violin 84' } as const;

export interface DisruptionWorld extends MatrixWorld {
  analyst2: Actor;
  validator: Actor;
  validatorSameUnit: Actor;
  validatorNoUnit: Actor;
  reader: Actor;
  /** The network the claims are about. */
  networkId: string;
  networkReference: string;
}

/** The matrix world plus validators, a reader, a second analyst and everyone's unit; acting as the analyst. */
export function openDisruptionWorld(label: string, clock = new Clock()): DisruptionWorld {
  const w = openMatrixWorld(label, clock);
  w.as(w.admin);
  const add = (p: { name: string; passphrase: string }, role: Role, unit: string): Actor => w.addUser(p, role, unit);
  usersService.setUnit(w.s, { userId: w.analyst.id, unit: CLAIMING_UNIT });
  usersService.setUnit(w.s, { userId: w.supervisor.id, unit: CLAIMING_UNIT });
  usersService.setUnit(w.s, { userId: w.supervisor2.id, unit: 'Trident' });
  const analyst2 = add(ANALYST_2, 'analyst', CLAIMING_UNIT);
  const validator = add(VALIDATOR, 'validator', 'Economic Crime');
  const validatorSameUnit = add(VALIDATOR_SAME_UNIT, 'validator', 'gangs   UNIT');
  const validatorNoUnit = add(VALIDATOR_NO_UNIT, 'validator', '');
  const reader = add(READER, 'read_only', 'Gangs Unit');
  w.as(w.analyst);
  const n = network(w, 'Southside Crew');
  return Object.assign(w, { analyst2, validator, validatorSameUnit, validatorNoUnit, reader, networkId: n.id, networkReference: n.reference });
}

/** A complete, valid claim about `networkId`; `extra` overrides any field. */
export function claim(networkId: string, extra: Partial<DisruptionDraft> = {}): DisruptionDraft {
  return {
    primaryNetworkId: networkId,
    operationReference: 'Op TRELLIS',
    activityStart: '2026-03-02',
    activityEnd: '2026-05-29',
    claimingBusinessGroup: 'SCD',
    claimingUnit: CLAIMING_UNIT,
    claimedLevel: 'major',
    tactics: ['criminal_justice', 'financial'],
    outcomes: {
      arrests: 6,
      charges: 4,
      convictions: 0,
      custodyYears: 0,
      firearms: { handgun: 1, shotgun: 0, automatic: 0, converted: 1, imitation: 0 },
      rounds: 24,
      knives: 3,
      otherWeapons: 0,
      drugs: [{ substance: 'Cocaine', drugClass: 'A', grams: 512.5 }],
      cashSeized: 18250.5,
      assetsRestrained: 0,
      confiscation: 0,
      vehicles: 2,
      premisesClosed: 1,
      safeguardingReferrals: 3,
      childrenSafeguarded: 2,
    },
    impactNarrative: 'Principal members charged; the line stopped running for four months.',
    intelIds: [],
    partnerReference: null,
    ...extra,
  };
}

/** Call through the real dispatch and return the value, failing the test with the envelope if refused. */
export async function ok<T = Record<string, unknown>>(w: MatrixWorld, channel: string, payload: unknown): Promise<T> {
  const r = await w.call(channel, payload);
  if (!r.ok) throw new Error(`${channel} refused: ${r.code}: ${r.message} ${JSON.stringify(r.fields ?? {})}`);
  return r.value as T;
}

/** The whole stored state a refused request must leave alone. */
export interface StoredState {
  fingerprint: string;
  auditSeq: number;
  steps: number;
  /** The workstation's record of the audit head (state folder), byte for byte. */
  stateFolder: Record<string, string>;
}

export function storedState(w: MatrixWorld): StoredState {
  const db = w.db();
  return {
    fingerprint: fingerprint(db),
    auditSeq: auditHeadSeq(db),
    steps: db.prepare('SELECT count(*) FROM disruption_steps').pluck().get() as number,
    stateFolder: folderSnapshot(w.tv.ctx.stateDir),
  };
}

export interface Refusal {
  code: string;
  message: string;
  fields?: Record<string, string>;
}

/** Send a request that must be refused: exact code, message (and field errors), and nothing stored changed. */
export async function expectRefused(w: MatrixWorld, channel: string, payload: unknown, expected: Refusal): Promise<void> {
  const before = storedState(w);
  const r: Result<unknown> = await w.call(channel, payload);
  expect(r.ok, `${channel} should have been refused`).toBe(false);
  if (r.ok) return;
  expect({ code: r.code, message: r.message, ...(r.fields ? { fields: r.fields } : {}) }).toEqual(expected);
  expect(storedState(w)).toEqual(before);
}

/** Steps of one claim, oldest first, as stored. */
export function stepsOf(w: MatrixWorld, disruptionId: string) {
  return w
    .db()
    .prepare('SELECT at, user_id AS userId, action, from_status AS fromStatus, to_status AS toStatus, level, reason FROM disruption_steps WHERE disruption_id = ? ORDER BY id')
    .all(disruptionId) as { at: string; userId: string; action: string; fromStatus: string; toStatus: string; level: string | null; reason: string | null }[];
}

export { Clock };
