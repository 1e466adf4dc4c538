/**
 * main/index.ts against a fake `electron` module: the order of start-up (what happens before
 * 'ready'), the wiring of IPC, guards, protocol and idle lock, and locking on quit. The real
 * Electron behaviour of the same settings is covered by test/electron where a binary exists.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS } from '../../preload/contract';

interface Fakes {
  app: FakeApp;
  windows: FakeWindow[];
  ipcHandlers: Map<string, (event: unknown, payload: unknown) => Promise<unknown>>;
  protocol: { registerSchemesAsPrivileged: ReturnType<typeof vi.fn>; handle: ReturnType<typeof vi.fn> };
  menu: { setApplicationMenu: ReturnType<typeof vi.fn>; buildFromTemplate: ReturnType<typeof vi.fn> };
  powerMonitor: FakePowerMonitor;
  defaultSession: FakeSession;
  /** Order in which start-up calls happened, to check what precedes 'ready'. */
  calls: string[];
  ready: () => void;
}

class FakeApp extends EventEmitter {
  isPackaged = true;
  hasLock = true;
  paths = new Map<string, string>();
  switches: [string, string | undefined][] = [];
  quit = vi.fn();
  exit = vi.fn();
  commandLine = { appendSwitch: (n: string, v?: string) => this.switches.push([n, v]) };
  constructor(
    private readonly calls: string[],
    private readonly readyPromise: Promise<void>,
  ) {
    super();
  }
  getPath(name: string): string {
    const p = this.paths.get(name);
    if (!p) throw new Error(`no path ${name}`);
    return p;
  }
  setPath(name: string, value: string): void {
    this.calls.push(`setPath:${name}`);
    this.paths.set(name, value);
  }
  enableSandbox(): void {
    this.calls.push('enableSandbox');
  }
  requestSingleInstanceLock(): boolean {
    this.calls.push('requestSingleInstanceLock');
    return this.hasLock;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
}

/** The idle state is what getSystemIdleState answers: 'locked' is how Linux reports a screen lock. */
class FakePowerMonitor extends EventEmitter {
  idleState: 'active' | 'idle' | 'locked' | 'unknown' = 'active';
  getSystemIdleState = vi.fn((_thresholdSeconds: number) => this.idleState);
}

class FakeSession extends EventEmitter {
  beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
  permissionRequest: unknown = null;
  webRequest = { onBeforeRequest: (l: FakeSession['beforeRequest']) => void (this.beforeRequest = l) };
  setPermissionRequestHandler(h: unknown) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler() {}
  setDevicePermissionHandler() {}
  setSpellCheckerEnabled() {}
}

class FakeContents extends EventEmitter {
  reload = vi.fn();
  openHandler: ((d: { url: string }) => unknown) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => unknown) {
    this.openHandler = h;
  }
}

class FakeWindow extends EventEmitter {
  webContents = new FakeContents();
  loadURL = vi.fn(async (_url: string) => undefined);
  setContentProtection = vi.fn();
  show = vi.fn();
  focus = vi.fn();
  restore = vi.fn();
  isMinimized = () => false;
  isDestroyed = () => false;
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
}

const holder = vi.hoisted(() => ({ fakes: null as unknown }));

// The factory runs once per file, so every export reads the current test's fakes when used.
vi.mock('electron', () => {
  const f = () => holder.fakes as Fakes;
  class BrowserWindow extends FakeWindow {
    constructor(options: Record<string, unknown>) {
      super(options);
      f().windows.push(this);
      // Electron emits this for every new webContents; the guards hang off it.
      f().app.emit('web-contents-created', {}, this.webContents);
    }
  }
  return {
    get app() {
      return f().app;
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, l: (event: unknown, payload: unknown) => Promise<unknown>) => f().ipcHandlers.set(channel, l),
      removeHandler: (channel: string) => f().ipcHandlers.delete(channel),
    },
    get Menu() {
      return f().menu;
    },
    get powerMonitor() {
      return f().powerMonitor;
    },
    get protocol() {
      return f().protocol;
    },
    get session() {
      return { defaultSession: f().defaultSession };
    },
  };
});

let dir: string;
let fakes: Fakes;
const savedEnv = { ...process.env };
const savedArgv = [...process.argv];

function makeFakes(): Fakes {
  const calls: string[] = [];
  let ready!: () => void;
  const readyPromise = new Promise<void>((r) => (ready = r));
  const app = new FakeApp(calls, readyPromise);
  app.paths.set('home', join(dir, 'home'));
  app.paths.set('documents', join(dir, 'documents'));
  return {
    app,
    windows: [],
    ipcHandlers: new Map(),
    protocol: {
      registerSchemesAsPrivileged: vi.fn(() => void calls.push('registerSchemesAsPrivileged')),
      handle: vi.fn(() => void calls.push('protocol.handle')),
    },
    menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn((t: unknown) => ({ template: t })) },
    powerMonitor: new FakePowerMonitor(),
    defaultSession: new FakeSession(),
    calls,
    ready: () => ready(),
  };
}

async function startApp(configure: (f: Fakes) => void = () => undefined): Promise<Fakes> {
  fakes = makeFakes();
  configure(fakes);
  holder.fakes = fakes;
  vi.resetModules();
  await import('../../main/index');
  return fakes;
}

async function becomeReady(f: Fakes): Promise<void> {
  f.ready();
  await new Promise((r) => setImmediate(r));
}

const appFrame = { senderFrame: { url: 'app://harm-matrix/index.html', parent: null } };

async function call(f: Fakes, channel: string, payload: unknown = {}, event: unknown = appFrame): Promise<{ ok: boolean; code?: string; value?: unknown }> {
  const h = f.ipcHandlers.get(channel);
  if (!h) throw new Error(`no handler for ${channel}`);
  return (await h(event, payload)) as { ok: boolean; code?: string; value?: unknown };
}

beforeEach(() => {
  // The guards log what they block; the tests check the blocking, not the log.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  dir = mkdtempSync(join(tmpdir(), 'hm-lifecycle-'));
  process.env.HARM_MATRIX_STATE_DIR = join(dir, 'state');
  // The packaged app's own state folder is then under the fake home, never the real one.
  delete process.env.XDG_CONFIG_HOME;
  delete process.env.APPDATA;
  delete process.env.ELECTRON_RENDERER_URL;
});

afterEach(() => {
  fakes?.app.emit('before-quit'); // stops the idle timer and closes any open vault
  vi.restoreAllMocks();
  process.env = { ...savedEnv };
  process.argv = [...savedArgv];
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('main/index.ts start-up', () => {
  it('sets the state folder, switches, sandbox and app:// scheme before ready, and nothing else', async () => {
    const f = await startApp();
    // Packaged: HARM_MATRIX_STATE_DIR is ignored, so pointing it at an empty folder resets nothing.
    expect(f.app.paths.get('userData')).toBe(join(dir, 'home', '.config', 'harm-matrix'));
    expect(f.calls).toEqual(['setPath:userData', 'enableSandbox', 'registerSchemesAsPrivileged', 'requestSingleInstanceLock']);
    expect(f.app.switches).toEqual([
      ['host-resolver-rules', 'MAP * ~NOTFOUND'],
      ['no-proxy-server', undefined],
      ['disable-background-networking', undefined],
      ['disable-component-update', undefined],
    ]);
    expect(f.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(f.ipcHandlers.size).toBe(0);
    expect(f.windows).toHaveLength(0);
  });

  it('an unpackaged build honours HARM_MATRIX_STATE_DIR, and every unlock records it', async () => {
    const f = await startApp((fk) => (fk.app.isPackaged = false));
    expect(f.app.paths.get('userData')).toBe(join(dir, 'state'));
    await becomeReady(f);
    const vaultPath = join(dir, 'state-dir.hmvault');
    const passphrase = 'correct horse battery staple 9';
    expect(await call(f, 'vault:create', { path: vaultPath, adminName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    expect(await call(f, 'vault:lock')).toMatchObject({ ok: true });
    expect(await call(f, 'vault:unlock', { userName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    const entries = (await call(f, 'audit:list', { action: 'unlock', limit: 1 })).value as { summary: string }[];
    expect(entries.map((e) => e.summary)).toEqual([`Unlocked with passphrase; this workstation's state folder was set by HARM_MATRIX_STATE_DIR (${join(dir, 'state')})`]);
  }, 60_000);

  it('a second instance quits at once and registers nothing; the first is focused', async () => {
    const second = await startApp((f) => (f.app.hasLock = false));
    expect(second.app.quit).toHaveBeenCalledTimes(1);
    await becomeReady(second);
    expect(second.ipcHandlers.size).toBe(0);
    expect(second.windows).toHaveLength(0);

    const first = await startApp();
    await becomeReady(first);
    first.app.emit('second-instance');
    expect(first.windows[0].focus).toHaveBeenCalledTimes(1);
  });

  it('on ready: serves app://, registers every channel, guards the session, and loads the app origin in a hardened window', async () => {
    const f = await startApp();
    await becomeReady(f);
    expect(f.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect([...f.ipcHandlers.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(f.menu.setApplicationMenu).toHaveBeenCalledWith(null);

    expect(f.windows).toHaveLength(1);
    const w = f.windows[0];
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false, devTools: false });
    expect(String(prefs.preload)).toMatch(/[\\/]preload[\\/]index\.js$/);
    expect(w.loadURL).toHaveBeenCalledWith('app://harm-matrix/index.html');

    const nav = { url: 'https://example.com/', preventDefault: vi.fn() };
    w.webContents.emit('will-navigate', nav);
    expect(nav.preventDefault).toHaveBeenCalled();
    expect(w.webContents.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });

    let cancel: boolean | undefined;
    f.defaultSession.beforeRequest!({ url: 'https://example.com/' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(true);
    f.defaultSession.beforeRequest!({ url: 'app://harm-matrix/index.html' }, (r) => (cancel = r.cancel));
    expect(cancel).toBe(false);
  });

  it('answers IPC from the app page only', async () => {
    const f = await startApp();
    await becomeReady(f);
    const status = await call(f, 'app:status');
    expect(status.ok).toBe(true);
    expect(status.value).toMatchObject({ state: 'no-vault', defaultVaultPath: join(dir, 'documents', 'harm-matrix.hmvault') });
    expect(await call(f, 'app:status', {}, { senderFrame: { url: 'https://example.com/', parent: null } })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await call(f, 'app:status', {}, { senderFrame: { url: 'app://harm-matrix/index.html', parent: {} } })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('locks on suspend and reloads the page; locks on quit without reloading', async () => {
    const f = await startApp();
    await becomeReady(f);
    const vaultPath = join(dir, 'documents-vault.hmvault');
    const created = await call(f, 'vault:create', { path: vaultPath, adminName: 'Alice Admin', passphrase: 'correct horse battery staple 9' });
    expect(created.ok).toBe(true);
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'unlocked' });

    f.powerMonitor.emit('suspend');
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'locked' });
    expect(f.windows[0].webContents.reload).toHaveBeenCalledTimes(1);

    const unlocked = await call(f, 'vault:unlock', { userName: 'Alice Admin', passphrase: 'correct horse battery staple 9' });
    expect(unlocked.ok).toBe(true);
    f.app.emit('before-quit');
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'locked' });
    expect(f.windows[0].webContents.reload).toHaveBeenCalledTimes(1);
    expect(existsSync(vaultPath)).toBe(true);
  }, 60_000);

  it('quits when the window is closed', async () => {
    const f = await startApp();
    await becomeReady(f);
    f.app.emit('window-all-closed');
    expect(f.app.quit).toHaveBeenCalledTimes(1);
  });

  it('ignores a non-loopback dev server URL and never uses one when packaged', async () => {
    const f1 = await startApp((f) => {
      f.app.isPackaged = false;
      process.env.ELECTRON_RENDERER_URL = 'http://example.com:5173/';
    });
    await becomeReady(f1);
    expect(f1.windows[0].loadURL).toHaveBeenCalledWith('app://harm-matrix/index.html');
    f1.app.emit('before-quit');

    const f2 = await startApp((f) => {
      f.app.isPackaged = true;
      process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173/';
    });
    await becomeReady(f2);
    expect(f2.windows[0].loadURL).toHaveBeenCalledWith('app://harm-matrix/index.html');
  });

  it('uses the dev server and a development menu only when unpackaged', async () => {
    const f = await startApp((fk) => {
      fk.app.isPackaged = false;
      process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    });
    await becomeReady(f);
    expect(f.windows[0].loadURL).toHaveBeenCalledWith('http://localhost:5173/');
    expect((f.windows[0].options.webPreferences as Record<string, unknown>).devTools).toBe(true);
    expect(f.menu.buildFromTemplate).toHaveBeenCalledTimes(1);
  });
});

describe('main/index.ts: launch switches, screen capture and screen lock', () => {
  const passphrase = 'correct horse battery staple 9';

  async function unlockedApp(): Promise<Fakes> {
    const f = await startApp();
    await becomeReady(f);
    expect(await call(f, 'vault:create', { path: join(dir, 'screen-lock.hmvault'), adminName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'unlocked' });
    return f;
  }

  const spellings = [
    ['--remote-debugging-port=9222'],
    ['--remote-debugging-port', '9222'],
    ['-remote-debugging-port=9222'],
    ['--remote-debugging-pipe'],
    ['--js-flags=--allow-natives-syntax'],
    ['--renderer-cmd-prefix=gdb --args'],
    ['--gpu-launcher=/tmp/x'],
  ];

  it.each(spellings)('a packaged app started with %j exits with 64 before any lock, window or channel', async (...args) => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    process.argv = [process.argv[0], ...args];
    const f = await startApp();
    expect(f.app.exit).toHaveBeenCalledWith(64);
    expect(f.calls).not.toContain('requestSingleInstanceLock');
    await becomeReady(f);
    expect(f.windows).toHaveLength(0);
    expect(f.ipcHandlers.size).toBe(0);
    expect(f.protocol.handle).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0][0])).toMatch(/^Harm Matrix is not starting: the switch --[a-z-]+ is not allowed/);
    // The value (a port, a command) is not echoed.
    expect(String(error.mock.calls[0][0])).not.toMatch(/9222|gdb|\/tmp\/x|natives/);
  });

  it('a development build starts with the same switch (its test launcher and debugger use it)', async () => {
    process.argv = [process.argv[0], '--remote-debugging-port=9222', '--inspect=0'];
    const f = await startApp((fk) => (fk.app.isPackaged = false));
    expect(f.app.exit).not.toHaveBeenCalled();
    await becomeReady(f);
    expect(f.windows).toHaveLength(1);
  });

  it('keeps the window out of screen capture before it loads anything', async () => {
    const f = await startApp();
    await becomeReady(f);
    const w = f.windows[0];
    expect(w.setContentProtection).toHaveBeenCalledWith(true);
    expect(w.setContentProtection.mock.invocationCallOrder[0]).toBeLessThan(w.loadURL.mock.invocationCallOrder[0]);
  });

  it("locks on the system's screen lock (Windows, macOS) and on a locked idle state (Linux), writing a lock entry and reloading", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const f = await unlockedApp();
    const w = f.windows[0];

    f.powerMonitor.emit('lock-screen');
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'locked' });
    expect(w.webContents.reload).toHaveBeenCalledTimes(1);

    expect(await call(f, 'vault:unlock', { userName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    // Linux: no 'lock-screen' event, but the next check finds the session locked.
    vi.advanceTimersByTime(15_000);
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'unlocked' });
    f.powerMonitor.idleState = 'locked';
    vi.advanceTimersByTime(15_000);
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'locked' });
    expect(w.webContents.reload).toHaveBeenCalledTimes(2);

    f.powerMonitor.idleState = 'active';
    expect(await call(f, 'vault:unlock', { userName: 'Alice Admin', passphrase })).toMatchObject({ ok: true });
    vi.advanceTimersByTime(15_000);
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'unlocked' });
    const locks = (await call(f, 'audit:list', { action: 'lock' })).value as { summary: string }[];
    expect(locks.map((e) => e.summary)).toEqual(['Locked (screen lock)', 'Locked (screen lock)']);
  }, 60_000);

  it('a platform whose idle state cannot be read keeps the vault open until the idle timeout', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const f = await unlockedApp();
    f.powerMonitor.getSystemIdleState.mockImplementation(() => {
      throw new Error('not supported here');
    });
    vi.advanceTimersByTime(15_000);
    expect(f.powerMonitor.getSystemIdleState).toHaveBeenCalled();
    expect((await call(f, 'app:status')).value).toMatchObject({ state: 'unlocked' });
  }, 60_000);
});
