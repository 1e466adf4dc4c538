import { homedir } from 'node:os';
import { join } from 'node:path';
import { SCRYPT_APP } from '../vault/crypto';
import { stateDirChoice } from '../app/paths';
import type { KdfCost } from '../vault/keyfile';

/** What every service needs from its host (Electron, the CLI, the test host, a test). */
export interface AppContext {
  /** Per-workstation state: selected vault, unlock throttling, audit heads. */
  stateDir: string;
  /** Where a new vault is proposed by default. */
  documentsDir: string;
  now: () => Date;
  kdfCost: KdfCost;
  appVersion: string;
  /** True when HARM_MATRIX_STATE_DIR chose the state folder: every unlock records it. */
  isStateDirFromEnvironment?: boolean;
}

export const APP_VERSION = '0.1.0';

/** Defaults for Node hosts (CLI); Electron passes app.getPath('userData') and 'documents'. */
export function nodeContext(overrides: Partial<AppContext> = {}): AppContext {
  // The same folder as the app's (main/app/paths.ts), so throttling and audit heads are shared.
  const state = stateDirChoice(process.platform, process.env, homedir());
  return {
    stateDir: state.dir,
    isStateDirFromEnvironment: state.isFromEnvironment,
    documentsDir: join(homedir(), 'Documents'),
    now: () => new Date(),
    kdfCost: SCRYPT_APP,
    appVersion: APP_VERSION,
    ...overrides,
  };
}
