/**
 * Users' units (issue 4: the validator may not be in the claiming unit, so each user carries a
 * unit): only an administrator records one, through users:set-unit; every change is audited;
 * nothing else can set it, whatever the renderer sends.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { ADMIN } from '../helpers/vault-fixtures';
import { auditHeadSeq, auditSince } from '../helpers/matrix-fixtures';
import { claim, Clock, expectRefused, ok, openDisruptionWorld, type DisruptionWorld } from '../helpers/disruption-fixtures';

const NOT_VALID = 'Some of the details are not valid. Check the highlighted fields.';
let w: DisruptionWorld;

beforeAll(() => {
  w = openDisruptionWorld('dr-units', new Clock('2026-06-30T10:00:00.000Z'));
});
afterAll(() => w?.close());

describe('users:set-unit', () => {
  test('an administrator records a unit (trimmed); one user_change entry for the user', async () => {
    w.as(w.admin);
    const seq = auditHeadSeq(w.db());
    const unitBefore = w.db().prepare('SELECT unit FROM users WHERE id = ?').pluck().get(w.validator.id) as string;
    const row = await ok<{ id: string; name: string; role: string; unit: string; removedAt: string | null }>(w, 'users:set-unit', { userId: w.validator.id, unit: '  Professional Standards  ' });
    expect({ id: row.id, name: row.name, role: row.role, unit: row.unit, removedAt: row.removedAt }).toEqual({
      id: w.validator.id,
      name: 'Dev Validator',
      role: 'validator',
      unit: 'Professional Standards',
      removedAt: null,
    });
    expect(auditSince(w.db(), seq)).toEqual([{ action: 'user_change', entityType: 'user', entityId: w.validator.id, summary: `Unit changed from "${unitBefore}" to "Professional Standards"`, justification: null, userName: ADMIN.name }]);
    expect(w.db().prepare('SELECT unit FROM users WHERE id = ?').pluck().get(w.validator.id)).toBe('Professional Standards');
  });

  test.each(['analyst', 'supervisor', 'validator', 'reader'] as const)('refused for the %s role, changing nothing, even for their own unit', async (who) => {
    const actor = w[who];
    w.as(actor);
    await expectRefused(w, 'users:set-unit', { userId: actor.id, unit: 'Economic Crime' }, { code: 'forbidden', message: 'Your role does not allow this.' });
    await expectRefused(w, 'users:set-unit', { userId: w.validatorSameUnit.id, unit: 'Economic Crime' }, { code: 'forbidden', message: 'Your role does not allow this.' });
  });

  test('bad and forged requests from an administrator are refused whole', async () => {
    w.as(w.admin);
    const cases: [unknown, Record<string, string>][] = [
      [{ userId: w.validator.id, unit: 'Trident', role: 'administrator' }, { _: 'Unrecognized key: "role"' }],
      [{ userId: w.validator.id, unit: 'Tri\u0000dent' }, { unit: 'Use letters, numbers and ordinary punctuation.' }],
      [{ userId: w.validator.id, unit: 'x'.repeat(121) }, { unit: 'Use at most 120 characters.' }],
      [{ userId: 'not-a-uuid', unit: 'Trident' }, { userId: 'Invalid UUID' }],
    ];
    for (const [payload, fields] of cases) await expectRefused(w, 'users:set-unit', payload, { code: 'invalid_input', message: NOT_VALID, fields });
    await expectRefused(w, 'users:set-unit', { userId: '00000000-0000-4000-8000-000000000000', unit: 'Trident' }, { code: 'not_found', message: 'That user was not found or has been removed.' });
  });

  test('a removed user’s unit cannot be changed', async () => {
    w.as(w.admin);
    usersService.remove(w.s, { userId: w.analyst2.id, rotateKey: false });
    await expectRefused(w, 'users:set-unit', { userId: w.analyst2.id, unit: 'Trident' }, { code: 'not_found', message: 'That user was not found or has been removed.' });
  });

  test('the units are kept in the vault file: the list after reopening from disk', async () => {
    vaultService.lock(w.s, 'manual');
    vaultService.unlock(w.s, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    const users = await ok<{ name: string; role: string; unit: string; removedAt: string | null }[]>(w, 'users:list', {});
    expect(users.map((u) => [u.name, u.role, u.unit, u.removedAt !== null]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['Alice Admin', 'administrator', '', false],
      ['Bob Analyst', 'analyst', 'Gangs Unit', false],
      ['Carol Supervisor', 'supervisor', 'Gangs Unit', false],
      ['Dev Validator', 'validator', 'Professional Standards', false],
      ['Eve Reader', 'read_only', 'Gangs Unit', false],
      ['Fay Supervisor', 'supervisor', 'Trident', false],
      ['Gus Analyst', 'analyst', 'Gangs Unit', true],
      ['Hal Validator', 'validator', 'gangs   UNIT', false],
      ['Ida Validator', 'validator', '', false],
    ]);
    // Every unit change made in this vault is in the log, by the administrator.
    const changes = w.db().prepare("SELECT user_name FROM audit_log WHERE action = 'user_change' AND summary LIKE 'Unit changed from %'").pluck().all();
    expect(changes).toEqual(['Alice Admin', 'Alice Admin', 'Alice Admin', 'Alice Admin']);
  });
});

describe("independence is judged against the claimant's own unit too", () => {
  test('a claim typed "for Trident" by a Gangs Unit analyst cannot be validated by a Gangs Unit validator', async () => {
    const v = openDisruptionWorld('claimant-unit');
    try {
      v.as(v.analyst);
      const d = await ok<{ id: string }>(v, 'disruptions:create', claim(v.networkId, { claimingUnit: 'Trident' }));
      await ok(v, 'disruptions:transition', { id: d.id, action: 'submit' });
      v.as(v.supervisor2);
      await ok(v, 'disruptions:transition', { id: d.id, action: 'endorse' });
      v.as(v.validatorSameUnit);
      await expectRefused(v, 'disruptions:transition', { id: d.id, action: 'validate' }, {
        code: 'forbidden',
        message: "A validator from the claimant's own unit is not independent; someone from another unit must do this.",
      });
      v.as(v.validator);
      const done = await ok<{ status: string }>(v, 'disruptions:transition', { id: d.id, action: 'validate' });
      expect(done.status).toBe('validated');
    } finally {
      v.close();
    }
  });
});
