/**
 * Launching the built app under Playwright's `_electron`, and deciding whether that is possible.
 *
 * The `electron` package downloads its binary the first time something calls require('electron'),
 * so that is never called here (it would reach for the network). The binary is looked up where
 * that download puts it, and the tests skip, saying why, when it is not there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from '@playwright/test';

export const ROOT = resolve(__dirname, '../..');
export const MAIN_ENTRY = join(ROOT, 'out/main/index.js');

export type ElectronBinary = { path: string; reason: null } | { path: null; reason: string };

export function findElectronBinary(): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json', { paths: [ROOT] }));
  } catch {
    return { path: null, reason: 'the electron package is not installed (run npm ci).' };
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (!override && !relative) {
    return {
      path: null,
      reason:
        'no Electron binary here (node_modules/electron/path.txt is missing: the binary is downloaded on first use, which needs the network). ' +
        'On a connected machine `npm start` fetches it; then `npm test` runs these tests.',
    };
  }
  const binary = override ? join(override, relative ?? 'electron') : join(pkgDir, 'dist', relative!);
  if (!existsSync(binary)) return { path: null, reason: `the Electron binary is not at ${binary}.` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { path: null, reason: 'there is no display for an Electron window (run the tests under xvfb-run, or on a desktop).' };
  }
  return { path: binary, reason: null };
}

export interface Launched {
  app: ElectronApplication;
  page: Page;
}

/** Start the built app with its own state folder and wait for its window to load. */
export async function launchApp(binary: string, stateDir: string): Promise<Launched> {
  if (!existsSync(MAIN_ENTRY)) throw new Error('out/main/index.js is missing: run `npx electron-vite build` first.');
  // Chromium refuses to start as root with its sandbox on; CI containers often run as root.
  const args = process.getuid?.() === 0 ? ['--no-sandbox', ROOT] : [ROOT];
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'ELECTRON_RENDERER_URL') env[k] = v;
  env.HARM_MATRIX_STATE_DIR = stateDir;
  const app = await electron.launch({ executablePath: binary, args, cwd: ROOT, env });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page };
}

export type ApiResult = { ok: true; value: unknown } | { ok: false; code: string; message: string };

/**
 * The page's globals these tests touch. The Node-side tsconfig has no DOM library (main/ must not
 * see one), so code run in the page through page.evaluate reaches them through this type.
 */
export interface PageGlobals {
  api: Record<string, (input?: unknown) => Promise<ApiResult>>;
  location: { href: string };
  isSecureContext: boolean;
  open(url: string): unknown;
  document: {
    createElement(tag: string): { constructor: { name: string }; href: string; click(): void };
    body: { append(node: unknown): void };
  };
  navigator: { permissions: { query(d: { name: string }): Promise<{ state: string }> } };
  Notification: { requestPermission(): Promise<string> };
  [name: string]: unknown;
}

/** Call window.api[channel](input) in the page, as the renderer would. */
export function callApi(page: Page, channel: string, input: unknown = {}): Promise<ApiResult> {
  return page.evaluate(([c, i]) => (globalThis as unknown as PageGlobals).api[c as string](i), [channel, input] as const);
}
