/**
 * Who may do what (preload/contract/permissions.ts), as exact tables of role → allowed, and the
 * proof that the contract's access lists, the returns service and the screens all read them.
 */
import { describe, expect, it } from 'vitest';
import { contract, ROLES, type Role } from '../../preload/contract';
import { abilitiesOfRole, EXPORTERS, mayExport, RETURN_EXPORTERS, seesWholeRegister } from '../../preload/contract/permissions';
import { RETURN_KINDS } from '../../preload/contract/schemas/returns';
import { abilitiesOf } from '../../renderer/src/components/roles';

const table = <T>(f: (role: Role) => T): Record<Role, T> => Object.fromEntries(ROLES.map((r) => [r, f(r)])) as Record<Role, T>;

describe('who may export which return', () => {
  it('the corporate return: everyone but administrators', () => {
    expect(table((r) => mayExport(r, 'corporate'))).toEqual({ administrator: false, supervisor: true, validator: true, analyst: true, read_only: true });
  });

  it('the meeting pack: analysts and supervisors only', () => {
    expect(table((r) => mayExport(r, 'meeting_pack'))).toEqual({ administrator: false, supervisor: true, validator: false, analyst: true, read_only: false });
    expect(table((r) => mayExport(r, 'network_list'))).toEqual({ administrator: false, supervisor: true, validator: false, analyst: true, read_only: false });
  });

  it('the contract lets exactly those who may export some return call returns:export, in the order the CLI names them', () => {
    expect(RETURN_EXPORTERS).toEqual(['analyst', 'supervisor', 'validator', 'read_only']);
    expect([...(contract['returns:export'].access as readonly Role[])]).toEqual(RETURN_EXPORTERS);
    for (const role of ROLES) expect(RETURN_EXPORTERS.includes(role), role).toBe(RETURN_KINDS.some((k) => mayExport(role, k)));
  });

  it('every kind of return has its exporters, and previews and the register are for every user', () => {
    expect(Object.keys(EXPORTERS).sort()).toEqual([...RETURN_KINDS].sort());
    expect(contract['returns:preview'].access).toBe('user');
    expect(contract['exports:list'].access).toBe('user');
  });
});

describe('who sees the whole export register', () => {
  it('administrators and supervisors; everyone else their own', () => {
    expect(table(seesWholeRegister)).toEqual({ administrator: true, supervisor: true, validator: false, analyst: false, read_only: false });
  });

  it('the same roles as read the audit log (both are oversight records)', () => {
    expect([...(contract['audit:list'].access as readonly Role[])].sort()).toEqual(ROLES.filter(seesWholeRegister).sort());
  });
});

describe('what a role may do on the matrix screens', () => {
  it('keepers: analysts and supervisors; supervising: supervisors', () => {
    expect(table(abilitiesOfRole)).toEqual({
      administrator: { canKeep: false, canSupervise: false },
      supervisor: { canKeep: true, canSupervise: true },
      validator: { canKeep: false, canSupervise: false },
      analyst: { canKeep: true, canSupervise: false },
      read_only: { canKeep: false, canSupervise: false },
    });
  });

  it('the renderer asks the same function', () => {
    for (const role of ROLES) expect(abilitiesOf({ id: 'u', name: 'U', role }), role).toEqual(abilitiesOfRole(role));
  });

  it('the contract grants the keepers and the supervisors exactly what the screens offer them', () => {
    const keepers = ROLES.filter((r) => abilitiesOfRole(r).canKeep);
    const supervisors = ROLES.filter((r) => abilitiesOfRole(r).canSupervise);
    for (const channel of ['networks:create', 'networks:set-plan-status', 'meetings:hold', 'flags:propose', 'overrides:request'] as const) {
      expect([...(contract[channel].access as readonly Role[])].sort(), channel).toEqual([...keepers].sort());
    }
    for (const channel of ['flags:confirm', 'flags:end', 'overrides:decide'] as const) {
      expect([...(contract[channel].access as readonly Role[])].sort(), channel).toEqual([...supervisors].sort());
    }
  });
});
