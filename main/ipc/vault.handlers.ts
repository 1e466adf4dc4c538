import * as demo from '../services/demo.service';
import * as vault from '../services/vault.service';
import type { Handlers } from './handle';

/** Every channel that derives a key does so off the main thread (the *Async use cases), so the window stays responsive. */

export const vaultHandlers: Pick<
  Handlers,
  | 'app:status'
  | 'vault:check-passphrase'
  | 'vault:create'
  | 'vault:create-demo'
  | 'vault:new-recovery-code'
  | 'vault:confirm-recovery'
  | 'vault:select'
  | 'vault:unlock'
  | 'vault:recover'
  | 'vault:lock'
  | 'vault:change-passphrase'
  | 'vault:backup'
  | 'vault:rotate-key'
> = {
  'app:status': (s) => vault.status(s),
  'vault:check-passphrase': (s, i) => vault.passphraseCheck(i.passphrase, i.context, s),
  'vault:create': (s, i) => vault.createVaultAsync(s, i),
  'vault:create-demo': (s, i) => demo.createDemoVaultAsync(s, i),
  'vault:new-recovery-code': (s) => vault.newRecoveryCodeAsync(s),
  'vault:confirm-recovery': (s) => vault.confirmRecovery(s),
  'vault:select': (s, i) => vault.selectVault(s, i.path),
  'vault:unlock': (s, i) => vault.unlockAsync(s, i),
  'vault:recover': (s, i) => vault.recoverAsync(s, i),
  'vault:lock': (s) => vault.lock(s, 'manual'),
  'vault:change-passphrase': (s, i) => vault.changePassphraseAsync(s, i),
  'vault:backup': (s, i) => vault.backup(s, i),
  'vault:rotate-key': (s) => vault.rotateKey(s),
};
