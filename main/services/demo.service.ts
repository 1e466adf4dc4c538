/**
 * The demo: a vault filled with the seeded generator's synthetic register (the setup screen's
 * "Try the demo"), and the same register written out as an import document (the command line's
 * `demo`). Every name and reference in it is fictitious (main/demo/generator.ts).
 */
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { ukToday } from '../../preload/contract/uk-time';
import { DEMO_SEED, documentChunks, generateDocument, SCALE_NAMES, SCALES, type ScaleName } from '../demo/generator';
import { VaultError } from '../vault/errors';
import { writeMeta } from '../vault/meta';
import { importDocument } from './import.service';
import type { Session } from './session';
import * as usersService from './users.service';
import { createVault, createVaultAsync } from './vault.service';

export { DEMO_SEED, SCALE_NAMES, SCALES, type ScaleName };

export const DEMO_USERS = [
  { name: 'Demo Analyst', role: 'analyst', unit: 'Demo Gangs Unit' },
  { name: 'Demo Supervisor', role: 'supervisor', unit: 'Demo Gangs Unit' },
  { name: 'Demo Validator', role: 'validator', unit: 'Demo Performance Unit' },
] as const;

/**
 * A new vault, made exactly as createVault makes one, holding the demo generator's synthetic
 * register (fixed seed, as of today) so a newcomer sees a populated matrix at once. The vault is
 * marked as a demo (meta is_demo) and its audit log says the data is synthetic.
 */
export function createDemoVault(s: Session, args: { path: string; adminName: string; passphrase: string; scale: 'desk' }): { recoveryCode: string } {
  const created = createVault(s, { path: args.path, adminName: args.adminName, passphrase: args.passphrase });
  fillDemo(s, args);
  for (const u of DEMO_USERS) {
    try {
      usersService.add(s, { name: u.name, role: u.role, passphrase: args.passphrase, unit: u.unit }, { isPassphraseTheirOwn: true });
    } catch (e) {
      // A passphrase that names a demo user, or a clash with the creator's name: skip that user.
      if (!(e instanceof VaultError)) throw e;
    }
  }
  return created;
}

/** createDemoVault with every key derivation off the main thread (the setup screen's "Try the demo"). */
export async function createDemoVaultAsync(s: Session, args: { path: string; adminName: string; passphrase: string; scale: 'desk' }): Promise<{ recoveryCode: string }> {
  const created = await createVaultAsync(s, { path: args.path, adminName: args.adminName, passphrase: args.passphrase });
  fillDemo(s, args);
  for (const u of DEMO_USERS) {
    try {
      await usersService.addAsync(s, { name: u.name, role: u.role, passphrase: args.passphrase, unit: u.unit }, { isPassphraseTheirOwn: true });
    } catch (e) {
      // A passphrase that names a demo user, or a clash with the creator's name: skip that user.
      if (!(e instanceof VaultError)) throw e;
    }
  }
  return created;
}

/**
 * The demo register imported into the new vault. The administrator cannot edit records; demo
 * users with the working roles (added by the caller), sharing the creator's passphrase (synthetic
 * data only), let a newcomer try every screen. The creator chose that passphrase, so the demo
 * users are not asked to change it.
 */
function fillDemo(s: Session, args: { scale: 'desk' }): void {
  const doc = generateDocument({ scale: args.scale, seed: DEMO_SEED, asOf: ukToday(s.ctx.now()) });
  // The generated flags include confirmed ones; in a demo vault there is no supervisor to confirm them.
  const result = importDocument(s, doc, {
    canConfirmFlags: true,
    withinTransaction: (db, audit) => {
      writeMeta(db, 'is_demo', 'yes');
      audit({ action: 'collect', entityType: 'vault', entityId: s.vault!.vaultId, summary: 'Demo vault: synthetic data imported' });
    },
  });
  if (!result.ok) throw new VaultError('internal', 'The demo data could not be imported. The new vault is open and empty.');
}

/**
 * Write the generator's import document to a new file; returns the bytes written. Streamed to a
 * temporary name and renamed when complete, so a half-written document is never left under the
 * name asked for (the national scale is several gigabytes).
 */
export function writeDemoDocument(outPath: string, opts: { scale: ScaleName; seed: number; asOf: string }): { bytes: number } {
  if (existsSync(outPath)) throw new VaultError('exists', `${outPath} already exists; choose a new file name.`);
  const partial = `${outPath}.partial`;
  const fd = openSync(partial, 'wx', 0o600);
  let bytes = 0;
  try {
    for (const chunk of documentChunks(opts)) bytes += writeSync(fd, chunk);
    closeSync(fd);
    renameSync(partial, outPath);
  } catch (e) {
    closeSync(fd);
    rmSync(partial, { force: true });
    throw e;
  }
  return { bytes };
}
