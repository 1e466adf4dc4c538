/**
 * Navigation, permission, download and network guards for every webContents and session.
 * Written as functions over the Electron objects they are given, so unit tests can drive them with
 * small fakes; main/index.ts applies them to the real ones.
 *
 * The renderer is the app's own bundle served from app://harm-matrix (see protocol.ts). It has no
 * reason to navigate, open windows, ask for a permission, download a file or reach any other
 * origin, so every one of those is refused here rather than allowed case by case.
 */
import type { App, Session, WebContents } from 'electron';
import { APP_ORIGIN, isAppUrl } from './csp';

export type Log = (message: string) => void;

const defaultLog: Log = (message) => console.warn(message);

/** Origin only: a blocked URL's path or query could carry something the person typed. */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return u.origin !== 'null' ? u.origin : `${u.protocol}`;
  } catch {
    return 'an unreadable URL';
  }
}

/**
 * The electron-vite dev server URL, accepted only in an unpackaged build and only on loopback, so
 * an environment variable can never point the window at another machine.
 */
export function devServerUrlFrom(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  try {
    const u = new URL(value);
    const isLoopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    return (u.protocol === 'http:' || u.protocol === 'https:') && isLoopback ? u.href : null;
  } catch {
    return null;
  }
}

export interface RendererOrigins {
  /** The page the main window loads. */
  startUrl: string;
  /** May this page's top frame call IPC? (passed to createDispatch) */
  isTrustedPage(url: string): boolean;
  /** May the session make this request at all? (webRequest.onBeforeRequest) */
  isAllowedRequest(url: string): boolean;
}

export function rendererOrigins(devServerUrl: string | null): RendererOrigins {
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  // Vite's hot reload talks to the dev server over a WebSocket on the same host and port.
  const devOrigins = dev ? [dev.origin, `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`] : [];
  const isDevUrl = (url: string): boolean => {
    if (!dev) return false;
    try {
      const u = new URL(url);
      return devOrigins.includes(`${u.protocol}//${u.host}`);
    } catch {
      return false;
    }
  };
  return {
    startUrl: dev ? dev.href : `${APP_ORIGIN}/index.html`,
    isTrustedPage: (url) => isAppUrl(url) || isDevUrl(url),
    isAllowedRequest: (url) => {
      if (isAppUrl(url)) return true;
      // In-memory URLs never touch the network; the CSP still decides where they may be used.
      if (url.startsWith('data:') || url.startsWith(`blob:${APP_ORIGIN}/`)) return true;
      // DevTools' own front end, which exists only in unpackaged builds.
      if (dev && url.startsWith('devtools://')) return true;
      return isDevUrl(url);
    },
  };
}

/**
 * Refuse navigation away from the app, redirects, webviews and new windows for one webContents.
 * A navigation to the app's own page (the renderer's "Try again", a reload after locking) is the
 * one kind let through: it stays on the origin every other check trusts (Electron security
 * checklist, "limit navigation"). Main's own loadURL and reload do not emit these events.
 */
export function guardWebContents(contents: WebContents, isAllowedNavigation: (url: string) => boolean, log: Log = defaultLog): void {
  const refuse = (what: string) => (event: { url: string; preventDefault(): void }) => {
    if (isAllowedNavigation(event.url)) return;
    event.preventDefault();
    log(`[guard] ${what} to ${originOf(event.url)} blocked`);
  };
  contents.on('will-navigate', refuse('navigation'));
  contents.on('will-frame-navigate', refuse('frame navigation'));
  contents.on('will-redirect', (event) => {
    // app:// never redirects, so any redirect at all is something else's doing.
    event.preventDefault();
    log(`[guard] redirect to ${originOf(event.url)} blocked`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[guard] webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    log(`[guard] new window for ${originOf(url)} denied`);
    return { action: 'deny' };
  });
}

/** Apply guardWebContents to every webContents the app ever creates, before it loads anything. */
export function guardAllWebContents(app: App, isAllowedNavigation: (url: string) => boolean, log: Log = defaultLog): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, isAllowedNavigation, log));
}

const guardedSessions = new WeakSet<Session>();

/**
 * Deny every permission and device, cancel every download, turn off the spellchecker (it fetches
 * dictionaries), and cancel every request that is not for the app's own files.
 */
export function guardSession(ses: Session, isAllowedRequest: (url: string) => boolean, log: Log = defaultLog): void {
  if (guardedSessions.has(ses)) return;
  guardedSessions.add(ses);
  ses.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`[guard] permission '${permission}' denied`);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.setSpellCheckerEnabled(false);
  ses.on('will-download', (event) => {
    event.preventDefault();
    log('[guard] download cancelled');
  });
  ses.webRequest.onBeforeRequest((details, callback) => {
    const isAllowed = isAllowedRequest(details.url);
    if (!isAllowed) log(`[guard] request to ${originOf(details.url)} cancelled`);
    callback({ cancel: !isAllowed });
  });
}
