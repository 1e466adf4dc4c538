/**
 * The main window's options, as a pure function so a unit test can hold every security setting in
 * place (Electron security checklist: https://www.electronjs.org/docs/latest/tutorial/security).
 * Nothing here may be loosened to make a feature work: a feature that needs Node in the renderer
 * gets an IPC channel in preload/contract/index.ts instead.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export interface WindowOptionsInput {
  /** Absolute path of the built preload (out/preload/index.js). */
  preloadPath: string;
  /** app.isPackaged: devtools exist only in development builds. */
  isPackaged: boolean;
}

export const WINDOW_TITLE = 'Harm Matrix';

export function mainWindowOptions({ preloadPath, isPackaged }: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: WINDOW_TITLE,
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    // Shown on 'ready-to-show', so the person never sees an empty white frame.
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      // The renderer is a web page with no Node: it sees only window.api from the preload.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Chromium's spellchecker downloads dictionaries from a Google server: no network, ever.
      spellcheck: false,
      // Files dropped on the window must not replace the app with a file:// page.
      navigateOnDragDrop: false,
      // Packaged builds have no devtools at all (not merely closed), so no console on the vault.
      devTools: !isPackaged,
      // No JavaScript alert() loops that block the window.
      safeDialogs: true,
    },
  };
}
