import { describe, expect, it } from 'vitest';
import { mainWindowOptions, WINDOW_TITLE } from '../../main/window/options';

describe('mainWindowOptions', () => {
  const preloadPath = '/opt/harm-matrix/resources/app.asar/out/preload/index.js';

  it('holds every security setting of the Electron checklist', () => {
    const prefs = mainWindowOptions({ preloadPath, isPackaged: true }).webPreferences!;
    expect(prefs).toMatchObject({
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
  });

  it('has devtools only in an unpackaged build', () => {
    expect(mainWindowOptions({ preloadPath, isPackaged: true }).webPreferences!.devTools).toBe(false);
    expect(mainWindowOptions({ preloadPath, isPackaged: false }).webPreferences!.devTools).toBe(true);
  });

  it('sets nothing that loosens the defaults (no partition, no extra blink features, no additional arguments)', () => {
    const prefs = mainWindowOptions({ preloadPath, isPackaged: true }).webPreferences!;
    const keys = Object.keys(prefs).sort();
    expect(keys).toEqual(
      [
        'preload',
        'contextIsolation',
        'sandbox',
        'nodeIntegration',
        'nodeIntegrationInWorker',
        'nodeIntegrationInSubFrames',
        'webviewTag',
        'webSecurity',
        'allowRunningInsecureContent',
        'experimentalFeatures',
        'spellcheck',
        'navigateOnDragDrop',
        'devTools',
        'safeDialogs',
      ].sort(),
    );
  });

  it('is hidden until painted and titled', () => {
    const o = mainWindowOptions({ preloadPath, isPackaged: false });
    expect(o.show).toBe(false);
    expect(o.title).toBe(WINDOW_TITLE);
    expect(WINDOW_TITLE).toBe('Harm Matrix');
  });
});
