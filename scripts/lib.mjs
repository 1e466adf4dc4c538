/**
 * Helpers shared by scripts/test.mjs (npm test) and scripts/start.mjs (npm start).
 *
 * One fact shapes most of this: the SQLite driver (better-sqlite3-multiple-ciphers) is a native
 * module, and a native module is built for one runtime. `npm ci` builds it for Node (tests, CLI,
 * benchmarks); the Electron app needs it built for Electron's own Node (`electron-builder
 * install-app-deps`). Each script checks which one it has and rebuilds when it must, saying so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));

export const NATIVE_MODULE = 'better-sqlite3-multiple-ciphers';

/** The JavaScript entry of a dev tool, run with this Node (no shell, same on Windows). */
export const TOOLS = {
  tsc: join(ROOT, 'node_modules/typescript/bin/tsc'),
  vitest: join(ROOT, 'node_modules/vitest/vitest.mjs'),
  electronVite: join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'),
  playwright: join(ROOT, 'node_modules/@playwright/test/cli.js'),
  electronBuilder: join(ROOT, 'node_modules/electron-builder/cli.js'),
};

export function heading(text) {
  process.stdout.write(`\n==> ${text}\n`);
}

/** Run a command in the project folder, output to this terminal. Returns its exit code. */
export function run(command, args, opts = {}) {
  const r = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: opts.env ?? process.env, shell: opts.shell ?? false });
  if (r.error) {
    process.stderr.write(`Could not run ${command}: ${r.error.message}\n`);
    return 1;
  }
  return r.status ?? 1;
}

export function runTool(tool, args, opts = {}) {
  return run(process.execPath, [TOOLS[tool], ...args], opts);
}

/** npm itself (npm.cmd on Windows needs a shell). */
export function runNpm(args) {
  return run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { shell: process.platform === 'win32' });
}

const LOAD_DRIVER = `const D = require(${JSON.stringify(NATIVE_MODULE)}); new D(':memory:').close();`;

/** Does the driver load in this Node? Returns null if it does, else the reason. */
export function driverProblemForNode() {
  const r = spawnSync(process.execPath, ['-e', LOAD_DRIVER], { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr || r.stdout || 'unknown error').trim();
}

/** Does the driver load in the given Electron binary (run as Node)? */
export function driverProblemForElectron(electronBinary) {
  const r = spawnSync(electronBinary, ['-e', LOAD_DRIVER], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  return r.status === 0 ? null : (r.stderr || r.stdout || 'unknown error').trim();
}

/** Make sure the driver is built for Node, rebuilding it from source if it is not. */
export function ensureDriverForNode() {
  const problem = driverProblemForNode();
  if (!problem) return true;
  if (!/NODE_MODULE_VERSION|different Node\.js version|Cannot find module|invalid ELF|not a valid Win32/.test(problem)) {
    process.stderr.write(`The SQLite driver does not load:\n${problem}\n`);
    return false;
  }
  heading('The SQLite driver is built for Electron (npm start or npm run dist does that); rebuilding it for Node');
  if (runNpm(['rebuild', NATIVE_MODULE]) !== 0) return false;
  const after = driverProblemForNode();
  if (after) process.stderr.write(`The SQLite driver still does not load after the rebuild:\n${after}\n`);
  return after === null;
}

/** Make sure the driver is built for this Electron, rebuilding it if it is not (needs the network once for Electron's headers). */
export function ensureDriverForElectron(electronBinary) {
  if (!driverProblemForElectron(electronBinary)) return true;
  heading("Building the SQLite driver for Electron's runtime (electron-builder install-app-deps)");
  if (runTool('electronBuilder', ['install-app-deps']) !== 0) return false;
  const after = driverProblemForElectron(electronBinary);
  if (after) process.stderr.write(`The SQLite driver still does not load in Electron:\n${after}\n`);
  return after === null;
}

/**
 * The Electron binary, if it has been downloaded. Never require('electron') to find out: that
 * starts a download.
 */
export function findElectronBinary() {
  let pkgDir;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (!override && !relative) return null;
  const binary = override ? join(override, relative ?? 'electron') : join(pkgDir, 'dist', relative);
  return existsSync(binary) ? binary : null;
}

/** The Electron binary, downloading it if need be (npm start on a connected machine). */
export function electronBinaryOrDownload() {
  return require('electron');
}

export const NO_CHROMIUM_MESSAGE = [
  'No Chromium was found for the browser tests. Any one of these will do:',
  '  - on Debian or Ubuntu:   sudo apt-get install -y chromium',
  '  - on a connected machine: npx playwright install chromium',
  '  - or set HARM_MATRIX_CHROMIUM to the path of a Chromium or Chrome executable',
].join('\n');

/**
 * A Chromium for Playwright, in the same order as test/helpers/chromium.ts: HARM_MATRIX_CHROMIUM
 * or CHROMIUM_PATH, Debian's /usr/bin/chromium (or chromium-browser), Playwright's own browser.
 * Returns { path } or { problem }.
 */
export function findChromium() {
  for (const name of ['HARM_MATRIX_CHROMIUM', 'CHROMIUM_PATH']) {
    const fromEnv = process.env[name];
    if (fromEnv) {
      return existsSync(fromEnv) ? { path: fromEnv } : { problem: `${name} is set to ${fromEnv}, but there is no file there.\n\n${NO_CHROMIUM_MESSAGE}` };
    }
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return { path: candidate };
  }
  try {
    const bundled = require('playwright-core').chromium.executablePath();
    if (bundled && existsSync(bundled)) return { path: bundled };
  } catch {
    // Playwright throws when its browser was never downloaded: that is "none".
  }
  return { problem: NO_CHROMIUM_MESSAGE };
}
