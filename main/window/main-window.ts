/**
 * Creates the one main window: the hardened options, kept out of screen capture, shown when
 * painted, input watched for the idle lock, and loaded from the app's own origin.
 */
import type { BrowserWindow as BrowserWindowType, BrowserWindowConstructorOptions } from 'electron';
import { mainWindowOptions } from './options';

export interface MainWindowDeps {
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindowType;
  preloadPath: string;
  isPackaged: boolean;
  startUrl: string;
  /** Called with the window's webContents so input counts as activity (IdleLock.watchInput). */
  watchInput: (contents: BrowserWindowType['webContents']) => void;
}

export function createMainWindow(deps: MainWindowDeps): BrowserWindowType {
  const win = new deps.BrowserWindow(mainWindowOptions({ preloadPath: deps.preloadPath, isPackaged: deps.isPackaged }));
  // Screenshots, screen recording, screen sharing and desktop-capturing remote access leave the
  // window out (or show it black) on Windows and macOS (WDA_EXCLUDEFROMCAPTURE,
  // NSWindowSharingNone). Linux has no such control and Electron ignores the call there; macOS
  // capture through ScreenCaptureKit may still see the window; nothing stops a camera.
  win.setContentProtection(true);
  win.once('ready-to-show', () => win.show());
  deps.watchInput(win.webContents);
  win.loadURL(deps.startUrl).catch((e: unknown) => {
    console.error('[window] the app page did not load:', e instanceof Error ? e.message : String(e));
  });
  return win;
}

/** Bring the existing window forward (a second launch, or the dock icon on macOS). */
export function focusWindow(win: BrowserWindowType | null): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
