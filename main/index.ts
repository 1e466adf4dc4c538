/**
 * The Electron main process: lifecycle and wiring only. Security settings live in main/window/
 * (options, guards, protocol, switches, menu), the idle lock in main/window/idle-lock.ts, and
 * everything the renderer can ask for in preload/contract/index.ts, served through main/ipc/handle.ts.
 *
 * Order matters: the command line is checked before anything else (a packaged app refuses
 * debugging and launcher switches); the state folder, the Chromium switches, the sandbox and the
 * app:// scheme must all be set before 'ready'; the guards are registered before the first window
 * exists.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, powerMonitor, protocol, session as electronSession, type BrowserWindow as Win } from 'electron';
import { createDispatch, registerIpc } from './ipc/handle';
import { handlers } from './ipc/handlers';
import { APP_VERSION } from './services/context';
import { Session } from './services/session';
import * as settingsService from './services/settings.service';
import { lock } from './services/vault.service';
import { referenceDataProblem } from './services/reference.service';
import { SCRYPT_APP } from './vault/crypto';
import { stateDirChoice } from './app/paths';
import { devServerUrlFrom, guardAllWebContents, guardSession, rendererOrigins } from './window/guards';
import { IdleLock, type LockReason } from './window/idle-lock';
import { createMainWindow, focusWindow } from './window/main-window';
import { applicationMenuTemplate } from './window/menu';
import { handleAppProtocol, registerAppScheme } from './window/protocol';
import { chromiumSwitches, REFUSED_SWITCH_EXIT_CODE, refusedSwitchesMessage, switchesRefusedAtStart } from './window/switches';

// First of all: a packaged app started with a debugging or launcher switch goes no further, before
// any window, folder or vault (main/window/switches.ts says which and why). No fuse covers these.
const refused = switchesRefusedAtStart({ argv: process.argv, platform: process.platform, isPackaged: app.isPackaged });
if (refused.length > 0) {
  console.error(refusedSwitchesMessage(refused));
  app.exit(REFUSED_SWITCH_EXIT_CODE);
}

const devServerUrl = devServerUrlFrom(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
const origins = rendererOrigins(devServerUrl);

// Before anything reads it (the single-instance lock is keyed on this folder too). The packaged
// app ignores HARM_MATRIX_STATE_DIR: an empty folder would bring a fresh throttle and no audit head.
const state = stateDirChoice(process.platform, process.env, app.getPath('home'), { isOverrideHonoured: !app.isPackaged });
app.setPath('userData', state.dir);
for (const [name, value] of chromiumSwitches({ devServerUrl })) app.commandLine.appendSwitch(name, value);
app.enableSandbox();
registerAppScheme(protocol);

if (refused.length > 0) {
  // Exiting (app.exit above): nothing is opened, not even the single-instance lock.
} else if (!app.requestSingleInstanceLock()) {
  // Another Harm Matrix is running with this state folder: it gets focus (second-instance), we go.
  app.quit();
} else {
  start();
}

function documentsDir(): string {
  try {
    return app.getPath('documents');
  } catch {
    return homedir();
  }
}

function start(): void {
  // The reference data (weights, definitions, the retention policy) is checked before anything
  // uses it: a bad file stops the app with the sentence that says what is wrong.
  const problem = referenceDataProblem();
  if (problem) {
    console.error(problem);
    void app.whenReady().then(() => {
      dialog.showErrorBox('Harm Matrix', problem);
      app.exit(1);
    });
    return;
  }
  const session = new Session({
    stateDir: app.getPath('userData'),
    documentsDir: documentsDir(),
    now: () => new Date(),
    kdfCost: SCRYPT_APP,
    appVersion: APP_VERSION,
    isStateDirFromEnvironment: state.isFromEnvironment,
  });
  const dispatch = createDispatch(session, handlers, origins.isTrustedPage);
  let mainWindow: Win | null = null;
  let isQuitting = false;

  // A lock drops the key in main; reloading the page drops everything the renderer held too.
  session.onLocked = () => {
    if (!isQuitting && mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.reload();
  };

  function lockSafely(reason: LockReason | 'quit'): void {
    try {
      lock(session, reason);
    } catch (e) {
      // The lock's audit entry could not be written. The key must still go, and the page with it.
      console.error(`[lock] ${reason}: the audit entry was not written:`, e instanceof Error ? e.message : 'unknown error');
      session.closeVault();
      session.onLocked?.(reason);
    }
  }

  const idleLock = new IdleLock({
    now: () => Date.now(),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (handle) => clearInterval(handle as ReturnType<typeof setInterval>),
    idleTimeoutMinutes: () => {
      if (!session.vault?.isOpen || !session.user) return null;
      try {
        return settingsService.get(session).idleTimeoutMinutes;
      } catch {
        return Number.NaN; // unreadable: IdleLock falls back to the default timeout
      }
    },
    lock: (reason) => lockSafely(reason),
  });

  function openWindow(): void {
    mainWindow = createMainWindow({
      BrowserWindow,
      preloadPath: join(__dirname, '../preload/index.js'),
      isPackaged: app.isPackaged,
      startUrl: origins.startUrl,
      watchInput: (contents) => idleLock.watchInput(contents),
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  }

  guardAllWebContents(app, origins.isTrustedPage);
  app.on('session-created', (ses) => guardSession(ses, origins.isAllowedRequest));
  app.on('second-instance', () => focusWindow(mainWindow));

  app
    .whenReady()
    .then(() => {
      guardSession(electronSession.defaultSession, origins.isAllowedRequest);
      // Built renderer beside the built main: out/main/index.js -> out/renderer (inside app.asar when packaged).
      handleAppProtocol(protocol, join(__dirname, '../renderer'));
      const menu = applicationMenuTemplate(process.platform, app.isPackaged);
      Menu.setApplicationMenu(menu ? Menu.buildFromTemplate(menu) : null);
      registerIpc(ipcMain, dispatch);
      idleLock.watchPower(powerMonitor);
      idleLock.start();
      openWindow();
      app.on('activate', () => {
        if (!mainWindow) openWindow();
        else focusWindow(mainWindow);
      });
    })
    .catch((e: unknown) => {
      console.error('[app] start-up failed:', e instanceof Error ? e.message : String(e));
      app.exit(1);
    });

  // One window; closing it ends the app (and locks the vault) on every platform, macOS included.
  app.on('window-all-closed', () => app.quit());

  app.on('before-quit', () => {
    isQuitting = true;
    idleLock.stop();
    lockSafely('quit');
  });
}
