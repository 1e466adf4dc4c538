/**
 * The passphrase policy where it is enforced, on a real encrypted vault: a vault's creator, a new
 * user, a passphrase change and a recovery are all refused a passphrase built from the product's,
 * the force's or the marking's words, or the user's unit; the strength check the forms call says
 * the same, with the vault's own marking. Nothing is written when refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatch, type SenderInfo } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import * as settingsService from '../../main/services/settings.service';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { Session } from '../../main/services/session';
import { readKeyFile } from '../../main/vault/keyfile';
import { ADMIN, caught, createTestVault, fileHash, removeDir, tempDir, testContext, type TestVault } from '../helpers/vault-fixtures';
import { join } from 'node:path';

const BUILT_ON = 'Do not build your passphrase from the name of this app, the force, the protective marking or your unit.';
const APP: SenderInfo = { url: 'app://harm-matrix/index.html', isTopFrame: true };

let tv: TestVault;

beforeAll(() => {
  tv = createTestVault({ label: 'passphrase-policy' });
  settingsService.update(tv.session, { ...settingsService.get(tv.session), marking: 'RESTRICTED-CASEWORK' });
});
afterAll(() => {
  tv.session.closeVault();
  removeDir(tv.dir);
});

describe('the passphrase policy on a vault', () => {
  it('refuses a vault whose first passphrase is the product, the force or the marking', () => {
    const dir = tempDir('passphrase-create');
    try {
      for (const passphrase of ['Harmmatrix2026', 'MetPolice2026', 'OFFICIAL-SENSITIVE']) {
        const s = new Session(testContext(dir));
        const e = caught(() => vaultService.createVault(s, { path: join(dir, 'new.hmvault'), adminName: ADMIN.name, passphrase }));
        expect([e.code, e.message], passphrase).toEqual(['weak_passphrase', BUILT_ON]);
        expect(fileHash(join(dir, 'new.hmvault'))).toBeNull();
      }
    } finally {
      removeDir(dir);
    }
  });

  it("refuses a new user's passphrase built on their unit or the vault's marking, and writes no slot", () => {
    const before = readKeyFile(`${tv.path}.keys`).slots.length;
    for (const passphrase of ['TridentGangs2026!', 'Restricted-Casework-99', 'MetPolice2026']) {
      const e = caught(() => usersService.add(tv.session, { name: 'Una Unit', role: 'analyst', passphrase, unit: 'Trident Gangs' }));
      expect([e.code, e.message], passphrase).toEqual(['weak_passphrase', BUILT_ON]);
    }
    expect(readKeyFile(`${tv.path}.keys`).slots.length).toBe(before);
    // The same words among words of the user's own are fine.
    usersService.add(tv.session, { name: 'Una Unit', role: 'analyst', passphrase: 'trident walrus lantern teapot', unit: 'Trident Gangs' });
    expect(readKeyFile(`${tv.path}.keys`).slots.length).toBe(before + 1);
    vaultService.lock(tv.session, 'manual');
  });

  it("refuses a change of passphrase to the user's unit or the marking, and the old one still opens the vault", () => {
    const s = tv.session;
    vaultService.unlock(s, { userName: 'Una Unit', passphrase: 'trident walrus lantern teapot' });
    try {
      for (const next of ['Trident-Gangs-2026', 'restricted casework 1', 'Harmmatrix2026']) {
        const e = caught(() => vaultService.changePassphrase(s, { current: 'trident walrus lantern teapot', next }));
        expect([e.code, e.message], next).toEqual(['weak_passphrase', BUILT_ON]);
      }
    } finally {
      vaultService.lock(s, 'manual');
    }
    vaultService.unlock(s, { userName: 'Una Unit', passphrase: 'trident walrus lantern teapot' });
    vaultService.lock(s, 'manual');
  });

  it('refuses a recovery to such a passphrase', () => {
    const s = tv.session;
    const e = caught(() => vaultService.recover(s, { recoveryCode: tv.recoveryCode, userName: 'Una Unit', newPassphrase: 'TridentGangs2026!' }));
    expect([e.code, e.message]).toEqual(['weak_passphrase', BUILT_ON]);
    expect(s.vault).toBeNull();
  });

  it("the strength check the forms call refuses the same three, and knows the vault's marking once unlocked", async () => {
    vaultService.unlock(tv.session, { userName: ADMIN.name, passphrase: ADMIN.passphrase });
    const dispatch = createDispatch(tv.session, handlers, (url) => url.startsWith('app://harm-matrix/'));
    for (const passphrase of ['Harmmatrix2026', 'MetPolice2026', 'OFFICIAL-SENSITIVE', 'Restricted-Casework-99']) {
      const r = await dispatch('vault:check-passphrase', { passphrase, context: [ADMIN.name] }, APP);
      expect(r, passphrase).toMatchObject({ ok: true, value: { isAcceptable: false, problems: [BUILT_ON] } });
    }
  });
});
