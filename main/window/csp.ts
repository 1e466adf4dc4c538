/**
 * The renderer's Content Security Policy, in one place: sent as a header by the app:// protocol
 * handler and by the e2e test host, and repeated in renderer/index.html's meta tag (a unit test
 * checks the two agree). No remote origin anywhere; no eval, no inline script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/** The app's own origin. Only pages from here may call IPC or load at all. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'harm-matrix';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}
