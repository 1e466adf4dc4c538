/**
 * The Electron shell as it really runs: window hardening, the preload surface, navigation,
 * window and request blocking, and data kept across a restart. Needs an Electron binary; skips,
 * saying why, where there is none (as on the air-gapped build machine).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { CHANNELS } from '../../preload/contract';
import { CONTENT_SECURITY_POLICY } from '../../main/window/csp';
import { REFUSED_SWITCH_EXIT_CODE } from '../../main/window/switches';
import { callApi, findElectronBinary, launchApp, ROOT, type Launched, type PageGlobals } from './electron-app';

const binary = findElectronBinary();
if (binary.reason) console.log(`[electron tests] skipped: ${binary.reason}`);

test.describe('Electron shell', () => {
  test.skip(binary.path === null, binary.reason ?? '');

  let stateDir: string;
  let launched: Launched;

  test.beforeEach(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'hm-electron-'));
    launched = await launchApp(binary.path!, stateDir);
  });

  test.afterEach(async () => {
    await launched?.app.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('the window loads the app origin with its CSP, and the page has no Node and no webview', async () => {
    const { app, page } = launched;
    const main = await app.evaluate(({ BrowserWindow }) => {
      const wins = BrowserWindow.getAllWindows();
      const wc = wins[0].webContents as unknown as { getURL(): string; getLastWebPreferences?: () => Record<string, unknown> };
      return { count: wins.length, url: wc.getURL(), prefs: wc.getLastWebPreferences?.() ?? null };
    });
    expect(main.count).toBe(1);
    expect(main.url).toBe('app://harm-matrix/index.html');
    if (main.prefs) {
      expect(main.prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, webSecurity: true });
    }
    // Code inside page.evaluate runs in the page: `g` is the page's global object.
    const probe = await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      return {
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
        buffer: typeof g.Buffer,
        webview: g.document.createElement('webview').constructor.name,
        csp: (await fetch('app://harm-matrix/index.html')).headers.get('content-security-policy'),
        isSecureContext: g.isSecureContext,
      };
    });
    expect(probe).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      buffer: 'undefined',
      webview: 'HTMLUnknownElement',
      csp: CONTENT_SECURITY_POLICY,
      isSecureContext: true,
    });
  });

  test('the preload exposes exactly one function per contract channel, and nothing else', async () => {
    const surface = await launched.page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return {
        keys: Object.keys(g.api).sort(),
        areFunctions: Object.values(g.api).every((f) => typeof f === 'function'),
        isFrozen: Object.isFrozen(g.api),
        ipcRenderer: typeof g.ipcRenderer,
        electron: typeof g.electron,
      };
    });
    expect(surface).toEqual({ keys: [...CHANNELS].sort(), areFunctions: true, isFrozen: true, ipcRenderer: 'undefined', electron: 'undefined' });
    expect(await callApi(launched.page, 'app:status')).toMatchObject({ ok: true, value: { state: 'no-vault' } });
  });

  test('navigation to another origin is blocked and the page stays the app', async () => {
    const { app, page } = launched;
    await app.evaluate(({ BrowserWindow }) => {
      const seen: string[] = [];
      (globalThis as { seenNavigations?: string[] }).seenNavigations = seen;
      const wc = BrowserWindow.getAllWindows()[0].webContents;
      // Whichever of the two fires first is prevented by the guard; either proves the attempt was seen.
      wc.on('will-navigate', (e) => void seen.push(`will:${e.url}`));
      wc.on('will-frame-navigate', (e) => void seen.push(`will:${e.url}`));
      wc.on('did-navigate', (_e, url) => void seen.push(`did:${url}`));
    });
    await page.evaluate(() => {
      (globalThis as unknown as PageGlobals).location.href = 'https://example.com/';
    });
    await expect.poll(() => app.evaluate(() => (globalThis as { seenNavigations?: string[] }).seenNavigations)).toContain('will:https://example.com/');
    await page.evaluate(() => {
      const { document } = globalThis as unknown as PageGlobals;
      const a = document.createElement('a');
      a.href = 'https://example.org/';
      document.body.append(a);
      a.click();
    });
    await expect.poll(() => app.evaluate(() => (globalThis as { seenNavigations?: string[] }).seenNavigations)).toContain('will:https://example.org/');
    // The page still answers, from the app origin, and never committed either navigation.
    expect(await callApi(page, 'app:status')).toMatchObject({ ok: true });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).location.href)).toBe('app://harm-matrix/index.html');
    const seen = await app.evaluate(() => (globalThis as { seenNavigations?: string[] }).seenNavigations ?? []);
    expect(seen.filter((s) => s.startsWith('did:'))).toEqual([]);
  });

  test('the window is kept out of screen capture where the platform can do that', async () => {
    const state = await launched.app.evaluate(({ BrowserWindow }) => {
      const win = BrowserWindow.getAllWindows()[0] as unknown as { isContentProtected?: () => boolean };
      return { platform: process.platform, isProtected: win.isContentProtected?.() ?? null };
    });
    // Linux has no capture protection; Electron answers only on Windows and macOS.
    if (state.platform === 'win32' || state.platform === 'darwin') expect(state.isProtected).toBe(true);
  });

  test('window.open is denied', async () => {
    const { app, page } = launched;
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('https://example.com/') === null)).toBe(true);
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).open('app://harm-matrix/index.html') === null)).toBe(true);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('requests to other origins fail, in the page and at the session, and permissions are denied', async () => {
    const { app, page } = launched;
    const fromPage = await page.evaluate(async () => {
      try {
        await fetch('https://example.com/');
        return 'fetched';
      } catch (e) {
        return e instanceof TypeError ? 'failed' : String(e);
      }
    });
    expect(fromPage).toBe('failed');
    // A main-process load is not subject to the CSP or will-navigate: this one meets the
    // session's request guard alone, which must cancel it.
    const fromSession = await app.evaluate(async ({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0].webContents;
      try {
        await wc.loadURL('https://example.com/');
        return 'loaded';
      } catch (e) {
        return (e as Error).message;
      } finally {
        await wc.loadURL('app://harm-matrix/index.html');
      }
    });
    expect(fromSession).toContain('ERR_BLOCKED_BY_CLIENT');
    const permissions = await page.evaluate(async () => {
      const g = globalThis as unknown as PageGlobals;
      return {
        geolocation: (await g.navigator.permissions.query({ name: 'geolocation' })).state,
        notifications: await g.Notification.requestPermission(),
      };
    });
    expect(permissions).toEqual({ geolocation: 'denied', notifications: 'denied' });
  });

  test('a restart keeps the vault, its users and settings, and the quit was a lock', async () => {
    const vaultPath = join(stateDir, 'restart.hmvault');
    const passphrase = 'correct horse battery staple 9';
    expect(await callApi(launched.page, 'vault:create', { path: vaultPath, adminName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    expect(await callApi(launched.page, 'settings:update', { idleTimeoutMinutes: 7, marking: 'OFFICIAL-SENSITIVE TEST' })).toMatchObject({ ok: true });
    await launched.app.close();

    launched = await launchApp(binary.path!, stateDir);
    const status = await callApi(launched.page, 'app:status');
    expect(status).toMatchObject({ ok: true, value: { state: 'locked', vaultPath } });
    // The locked screen offers no names: the person types theirs.
    expect(JSON.stringify(status)).not.toContain('Alice');
    expect(await callApi(launched.page, 'vault:unlock', { userName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    expect(await callApi(launched.page, 'settings:get')).toEqual({ ok: true, value: { idleTimeoutMinutes: 7, marking: 'OFFICIAL-SENSITIVE TEST', restrictedRecords: ['under_18', 'victim_at_risk', 'flagged_nominal', 'handling_c'] } });
    const audit = await callApi(launched.page, 'audit:list', { action: 'lock' });
    expect(audit.ok && (audit.value as { summary: string }[]).map((e) => e.summary)).toEqual(['Locked (quit)']);
  });
});

/**
 * The packaged binary electron-builder leaves in dist/ (`npm run dist` on a connected build
 * machine), or HARM_MATRIX_PACKAGED_BINARY. Only the packaged app refuses debugging switches, so
 * only it can show the refusal.
 */
function findPackagedBinary(): { path: string; reason: null } | { path: null; reason: string } {
  const override = process.env.HARM_MATRIX_PACKAGED_BINARY;
  if (override) return existsSync(override) ? { path: override, reason: null } : { path: null, reason: `HARM_MATRIX_PACKAGED_BINARY is ${override}, and there is no file there.` };
  const dist = join(ROOT, 'dist');
  const candidates = [join(dist, 'linux-unpacked', 'harm-matrix'), join(dist, 'win-unpacked', 'Harm Matrix.exe')];
  if (existsSync(dist)) {
    for (const entry of readdirSync(dist).filter((e) => e.startsWith('mac'))) candidates.push(join(dist, entry, 'Harm Matrix.app', 'Contents', 'MacOS', 'Harm Matrix'));
  }
  const found = candidates.find((c) => existsSync(c));
  return found
    ? { path: found, reason: null }
    : { path: null, reason: 'no packaged app in dist/ (it is built by `npm run dist` on a connected build machine); set HARM_MATRIX_PACKAGED_BINARY to test an installed copy.' };
}

const packaged = findPackagedBinary();
if (packaged.reason) console.log(`[electron tests] packaged-app tests skipped: ${packaged.reason}`);

test.describe('Packaged app', () => {
  test.skip(packaged.path === null, packaged.reason ?? '');

  // Spawned directly, not through _electron.launch: Playwright adds --inspect and
  // --remote-debugging-port itself and waits for them to answer, which is exactly what the
  // packaged app refuses.
  for (const args of [['--remote-debugging-port=9222'], ['--remote-debugging-port', '9222'], ['--remote-debugging-pipe'], ['--js-flags=--expose-gc'], ['--renderer-cmd-prefix=true']]) {
    test(`exits at start, before any window, when started with ${args.join(' ')}`, async () => {
      const home = mkdtempSync(join(tmpdir(), 'hm-packaged-'));
      try {
        // Chromium will not start as root with its sandbox on; --no-sandbox is not a refused switch.
        const sandbox = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
        const child = spawn(packaged.path!, [...sandbox, ...args], {
          env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), APPDATA: join(home, 'AppData') },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
        const code = await new Promise<number | null>((resolve, reject) => {
          const timer = setTimeout(() => {
            child.kill();
            reject(new Error(`the packaged app was still running after 20 s with ${args.join(' ')}`));
          }, 20_000);
          child.on('exit', (exitCode) => {
            clearTimeout(timer);
            resolve(exitCode);
          });
        });
        expect(code).toBe(REFUSED_SWITCH_EXIT_CODE);
        expect(stderr).toContain('Harm Matrix is not starting');
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
