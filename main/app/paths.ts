/**
 * Where this workstation's state lives (selected vault, unlock-failure counters, audit heads, its
 * workstation id). The app and the CLI must agree on it: the CLI's unlock failures have to count
 * against the same throttle, and its writes have to move the same audit head the app checks at
 * unlock.
 *
 * It is Electron's userData folder for an app named `harm-matrix`, computed here without
 * Electron so the CLI can use it. HARM_MATRIX_STATE_DIR overrides it for the command line, the
 * tests and an unpackaged build. The packaged app ignores it: pointing it at an empty folder would
 * reset the throttle and hide the audit head, so a shortcut edited to set it must change nothing.
 * Whenever it is honoured, the unlock's audit entry says so (see vault.service).
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

/** The folder HARM_MATRIX_STATE_DIR names, or null when it is unset or empty. */
export function stateDirOverride(env: NodeJS.ProcessEnv): string | null {
  return env[STATE_DIR_ENV] || null;
}

/**
 * The state folder, and whether HARM_MATRIX_STATE_DIR chose it. `isOverrideHonoured` is false for
 * the packaged app; the command line and the tests leave it true.
 */
export function stateDirChoice(
  platform: NodeJS.Platform,
  env: NodeJS.ProcessEnv,
  home: string,
  opts: { isOverrideHonoured?: boolean } = {},
): { dir: string; isFromEnvironment: boolean } {
  const override = opts.isOverrideHonoured === false ? null : stateDirOverride(env);
  return override ? { dir: override, isFromEnvironment: true } : { dir: join(appDataDir(platform, env, home), STATE_DIR_NAME), isFromEnvironment: false };
}

export function stateDirFor(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string, opts: { isOverrideHonoured?: boolean } = {}): string {
  return stateDirChoice(platform, env, home, opts).dir;
}
