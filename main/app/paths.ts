/**
 * Where this workstation's state lives (selected vault, unlock-failure counters, audit heads).
 * The app and the CLI must agree on it: the CLI's unlock failures have to count against the same
 * throttle, and its writes have to move the same audit head the app checks at unlock.
 *
 * It is Electron's userData folder for an app named `harm-matrix`, computed here without
 * Electron so the CLI can use it; HARM_MATRIX_STATE_DIR overrides it for both (tests, or a
 * managed workstation that keeps state elsewhere).
 */
import { join } from 'node:path';

export const STATE_DIR_NAME = 'harm-matrix';
export const STATE_DIR_ENV = 'HARM_MATRIX_STATE_DIR';

/** Electron's app.getPath('appData') on each platform. */
export function appDataDir(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (platform === 'win32') return env.APPDATA || join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME || join(home, '.config');
}

export function stateDirFor(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  const override = env[STATE_DIR_ENV];
  return override ? override : join(appDataDir(platform, env, home), STATE_DIR_NAME);
}
