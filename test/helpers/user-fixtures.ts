/**
 * Users as they are once settled in. An administrator adds a user with a first passphrase, and
 * the app lets them do nothing until they have chosen their own; tests that then act as the user
 * (through the window's dispatcher, the command line or a journey on screen) add them here: added
 * with a first passphrase, then changed once, as that user, to the passphrase the test uses.
 */
import type { UserRow } from '../../preload/contract';
import type { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { slotSigner } from './vault-fixtures';

/** The first passphrase an administrator gives, before the user replaces it with `passphrase`. */
export function firstPassphraseFor(passphrase: string): string {
  return `${passphrase} given`;
}

/**
 * Add a user as the signed-in administrator, then change their passphrase once as they would at
 * their first unlock. The session stays signed in as the administrator. Writes the add's entry and
 * the change's, exactly as the app would.
 */
export function addSettledUser(s: Session, args: Parameters<typeof usersService.add>[1]): UserRow {
  const first = firstPassphraseFor(args.passphrase);
  const row = usersService.add(s, { ...args, passphrase: first });
  const admin = s.user;
  const adminSigner = { signer: s.signer, slotId: s.signerSlotId };
  // Signed as the new user with their own slot's key, as their first unlock would be.
  const theirs = slotSigner(s.vault!.path, row.id, first);
  s.user = { id: row.id, name: row.name, role: row.role, mustChangePassphrase: true };
  s.signer = theirs.signer;
  s.signerSlotId = theirs.slotId;
  try {
    vaultService.changePassphrase(s, { current: first, next: args.passphrase });
  } finally {
    s.user = admin;
    s.signer = adminSigner.signer;
    s.signerSlotId = adminSigner.slotId;
  }
  return row;
}
