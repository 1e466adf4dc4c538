import { EventEmitter } from 'node:events';
import type { App, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { devServerUrlFrom, guardAllWebContents, guardSession, guardWebContents, rendererOrigins } from '../../main/window/guards';

/* Small fakes with just the surface the guards use. */

class FakeContents extends EventEmitter {
  openHandler: ((d: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }): void {
    this.openHandler = h;
  }
}

function fakeEvent(url = 'https://example.com/x?secret=1') {
  return { url, preventDefault: vi.fn() };
}

type PermissionHandler = (wc: unknown, permission: string, cb: (granted: boolean) => void) => void;
type RequestListener = (details: { url: string }, cb: (r: { cancel: boolean }) => void) => void;

class FakeSession extends EventEmitter {
  permissionRequest: PermissionHandler | null = null;
  permissionCheck: ((...a: unknown[]) => boolean) | null = null;
  devicePermission: ((...a: unknown[]) => boolean) | null = null;
  isSpellCheckerEnabled = true;
  beforeRequest: RequestListener | null = null;
  onBeforeRequestCalls = 0;
  webRequest = {
    onBeforeRequest: (l: RequestListener) => {
      this.onBeforeRequestCalls++;
      this.beforeRequest = l;
    },
  };
  setPermissionRequestHandler(h: PermissionHandler) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: (...a: unknown[]) => boolean) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: (...a: unknown[]) => boolean) {
    this.devicePermission = h;
  }
  setSpellCheckerEnabled(v: boolean) {
    this.isSpellCheckerEnabled = v;
  }
}

function requestDecision(ses: FakeSession, url: string): boolean {
  let cancel: boolean | undefined;
  ses.beforeRequest!({ url }, (r) => {
    cancel = r.cancel;
  });
  if (cancel === undefined) throw new Error('listener did not answer');
  return cancel;
}

const quiet = () => undefined;

describe('guardWebContents', () => {
  const isAppPage = rendererOrigins(null).isTrustedPage;

  it.each(['will-navigate', 'will-frame-navigate'])('%s: prevents every destination but the app page itself', (name) => {
    const wc = new FakeContents();
    guardWebContents(wc as unknown as WebContents, isAppPage, quiet);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'javascript:alert(1)',
      'data:text/html,<h1>x</h1>',
      'chrome://settings',
    ]) {
      const e = fakeEvent(url);
      wc.emit(name, e);
      expect(e.preventDefault, url).toHaveBeenCalledTimes(1);
    }
    // The renderer's own reload ("Try again", after a lock) stays on the app origin.
    const reload = fakeEvent('app://harm-matrix/index.html');
    wc.emit(name, reload);
    expect(reload.preventDefault).not.toHaveBeenCalled();
  });

  it('prevents every redirect, even to the app origin (app:// never redirects)', () => {
    const wc = new FakeContents();
    guardWebContents(wc as unknown as WebContents, isAppPage, quiet);
    for (const url of ['https://example.com/', 'app://harm-matrix/index.html']) {
      const e = fakeEvent(url);
      wc.emit('will-redirect', e);
      expect(e.preventDefault, url).toHaveBeenCalledTimes(1);
    }
  });

  it('prevents attaching a webview', () => {
    const wc = new FakeContents();
    guardWebContents(wc as unknown as WebContents, isAppPage, quiet);
    const e = fakeEvent();
    wc.emit('will-attach-webview', e, {}, {});
    expect(e.preventDefault).toHaveBeenCalledTimes(1);
  });

  it('denies every new window, even for the app origin', () => {
    const wc = new FakeContents();
    guardWebContents(wc as unknown as WebContents, isAppPage, quiet);
    expect(wc.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(wc.openHandler!({ url: 'app://harm-matrix/index.html' })).toEqual({ action: 'deny' });
  });

  it('logs the origin of a blocked URL, never its path or query', () => {
    const wc = new FakeContents();
    const log = vi.fn();
    guardWebContents(wc as unknown as WebContents, isAppPage, log);
    wc.emit('will-navigate', fakeEvent('https://example.com/people/Smith?dob=1990-01-01'));
    expect(log).toHaveBeenCalledWith('[guard] navigation to https://example.com blocked');
    expect(JSON.stringify(log.mock.calls)).not.toMatch(/Smith|1990/);
  });
});

describe('guardAllWebContents', () => {
  it('guards every webContents the app creates', () => {
    const app = new EventEmitter();
    guardAllWebContents(app as unknown as App, rendererOrigins(null).isTrustedPage, quiet);
    const wc = new FakeContents();
    app.emit('web-contents-created', {}, wc);
    const e = fakeEvent();
    wc.emit('will-navigate', e);
    expect(e.preventDefault).toHaveBeenCalled();
    expect(wc.openHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
  });
});

describe('guardSession', () => {
  const origins = rendererOrigins(null);

  it('denies every permission request and check, and every device', () => {
    const ses = new FakeSession();
    guardSession(ses as unknown as Session, origins.isAllowedRequest, quiet);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      const cb = vi.fn();
      ses.permissionRequest!({}, permission, cb);
      expect(cb).toHaveBeenCalledExactlyOnceWith(false);
      expect(ses.permissionCheck!({}, permission, 'app://harm-matrix', {})).toBe(false);
    }
    expect(ses.devicePermission!({ deviceType: 'usb', origin: 'app://harm-matrix' })).toBe(false);
  });

  it('turns the spellchecker off (it downloads dictionaries)', () => {
    const ses = new FakeSession();
    guardSession(ses as unknown as Session, origins.isAllowedRequest, quiet);
    expect(ses.isSpellCheckerEnabled).toBe(false);
  });

  it('cancels every download', () => {
    const ses = new FakeSession();
    guardSession(ses as unknown as Session, origins.isAllowedRequest, quiet);
    const e = fakeEvent();
    ses.emit('will-download', e, {}, {});
    expect(e.preventDefault).toHaveBeenCalledTimes(1);
  });

  it("cancels every request that is not for the app's own files", () => {
    const ses = new FakeSession();
    guardSession(ses as unknown as Session, origins.isAllowedRequest, quiet);
    expect(requestDecision(ses, 'app://harm-matrix/index.html')).toBe(false);
    expect(requestDecision(ses, 'app://harm-matrix/assets/index-abc123.js')).toBe(false);
    expect(requestDecision(ses, 'data:image/png;base64,iVBORw0KGgo=')).toBe(false);
    for (const url of [
      'https://example.com/',
      'http://127.0.0.1:8080/',
      'http://localhost:5173/',
      'ws://localhost:5173/',
      'file:///etc/passwd',
      'app://evil/index.html',
      'app://harm-matrix.evil.example/index.html',
      'devtools://devtools/bundled/inspector.html',
      'blob:https://example.com/uuid',
      'chrome://settings',
      'not a url',
    ]) {
      expect(requestDecision(ses, url), url).toBe(true);
    }
  });

  it('installs its handlers once per session (a second call would replace nothing)', () => {
    const ses = new FakeSession();
    guardSession(ses as unknown as Session, origins.isAllowedRequest, quiet);
    guardSession(ses as unknown as Session, () => true, quiet);
    expect(ses.onBeforeRequestCalls).toBe(1);
    expect(requestDecision(ses, 'https://example.com/')).toBe(true);
    expect(ses.listenerCount('will-download')).toBe(1);
  });
});

describe('rendererOrigins', () => {
  it('loads the app origin and trusts only its pages for IPC in a packaged build', () => {
    const o = rendererOrigins(null);
    expect(o.startUrl).toBe('app://harm-matrix/index.html');
    expect(o.isTrustedPage('app://harm-matrix/index.html')).toBe(true);
    expect(o.isTrustedPage('http://localhost:5173/')).toBe(false);
    expect(o.isTrustedPage('file:///opt/harm-matrix/index.html')).toBe(false);
  });

  it('adds the dev server origin, its hot-reload socket and devtools in development', () => {
    const o = rendererOrigins('http://localhost:5173/');
    expect(o.startUrl).toBe('http://localhost:5173/');
    expect(o.isTrustedPage('http://localhost:5173/index.html')).toBe(true);
    expect(o.isAllowedRequest('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(o.isAllowedRequest('ws://localhost:5173/')).toBe(true);
    expect(o.isAllowedRequest('devtools://devtools/bundled/inspector.html')).toBe(true);
    expect(o.isAllowedRequest('http://localhost:5174/')).toBe(false);
    expect(o.isAllowedRequest('https://example.com/')).toBe(false);
  });
});

describe('devServerUrlFrom', () => {
  it('accepts a loopback dev server only in an unpackaged build', () => {
    expect(devServerUrlFrom('http://localhost:5173', false)).toBe('http://localhost:5173/');
    expect(devServerUrlFrom('http://127.0.0.1:5173/', false)).toBe('http://127.0.0.1:5173/');
    expect(devServerUrlFrom('http://localhost:5173', true)).toBeNull();
    expect(devServerUrlFrom(undefined, false)).toBeNull();
  });

  it('refuses any other host or scheme, so the variable cannot point the window elsewhere', () => {
    for (const v of ['http://example.com:5173', 'http://10.0.0.5:5173', 'file:///tmp/index.html', 'javascript:alert(1)', 'nonsense', '']) {
      expect(devServerUrlFrom(v, false), v).toBeNull();
    }
  });
});
