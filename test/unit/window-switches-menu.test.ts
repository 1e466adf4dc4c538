import { describe, expect, it } from 'vitest';
import { applicationMenuTemplate } from '../../main/window/menu';
import { chromiumSwitches } from '../../main/window/switches';

describe('chromiumSwitches', () => {
  it('resolves no host at all in a packaged build, and uses no proxy', () => {
    expect(chromiumSwitches({ devServerUrl: null })).toEqual([
      ['host-resolver-rules', 'MAP * ~NOTFOUND'],
      ['no-proxy-server'],
      ['disable-background-networking'],
      ['disable-component-update'],
    ]);
  });

  it('lets only loopback resolve while the dev server is in use', () => {
    const rules = chromiumSwitches({ devServerUrl: 'http://localhost:5173/' }).find(([n]) => n === 'host-resolver-rules');
    expect(rules).toEqual(['host-resolver-rules', 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1']);
  });
});

describe('applicationMenuTemplate', () => {
  it('has no menu at all in a packaged build on Windows and Linux (no Help links, no reload, no devtools)', () => {
    expect(applicationMenuTemplate('linux', true)).toBeNull();
    expect(applicationMenuTemplate('win32', true)).toBeNull();
  });

  it('keeps only the app, edit and window menus on macOS, where copy and paste need them', () => {
    expect(applicationMenuTemplate('darwin', true)).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]);
  });

  it('adds reload and devtools in development only', () => {
    expect(applicationMenuTemplate('linux', false)).toEqual([
      { label: 'Development', submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }] },
    ]);
    const mac = applicationMenuTemplate('darwin', false)!;
    expect(mac.map((m) => m.role ?? m.label)).toEqual(['appMenu', 'editMenu', 'windowMenu', 'Development']);
  });

  it('never offers a help menu or a link out', () => {
    for (const platform of ['darwin', 'linux', 'win32'] as const) {
      for (const isPackaged of [true, false]) {
        const text = JSON.stringify(applicationMenuTemplate(platform, isPackaged));
        expect(text).not.toMatch(/help|http|openExternal/i);
      }
    }
  });
});
