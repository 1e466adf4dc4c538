/**
 * The app:// protocol: serves the built renderer (out/renderer) as the origin app://harm-matrix.
 * A real origin rather than file:// because module scripts do not load over file://, and because
 * a single fixed origin is what the IPC sender check, the CSP and the request guard all key on.
 *
 * Only files inside the renderer folder are served; anything else, including a path that tries to
 * climb out of it, is a 404. Every response carries the CSP header.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './csp';

/**
 * Registered before 'ready' (Electron requires it). standard: relative URLs and a proper origin;
 * secure: a secure context, like https; supportFetchAPI: fetch() of the app's own files.
 * corsEnabled is left off on purpose: it would let other origins read app:// responses.
 */
export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true } as const;

export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

export function mimeTypeFor(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers on every app:// response, including errors. */
export function responseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    // Nothing from the renderer is worth caching on disk in the profile.
    'Cache-Control': 'no-store',
  };
}

/**
 * The file inside `root` that an app:// URL names, or null if the URL is not for the app's host or
 * would leave `root`. '/' is index.html.
 */
export function resolveAppFile(root: string, url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  // A NUL ends a path in C; a backslash is a separator on Windows (and never in our file names).
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '' || pathname === '/') pathname = '/index.html';
  const base = resolve(root);
  const target = resolve(base, `.${pathname}`);
  const rel = relative(base, target);
  if (rel === '' || isAbsolute(rel) || rel.split(sep)[0] === '..') return null;
  return target;
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: responseHeaders('text/plain; charset=utf-8') });
}

export interface AppRequest {
  url: string;
  method: string;
}

/** Serve one request from `root`. Pure apart from reading the file, so it is tested under Node. */
export async function serveAppRequest(root: string, request: AppRequest): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
  const file = resolveAppFile(root, request.url);
  if (!file) return textResponse(404, 'Not found');
  try {
    const info = await stat(file);
    if (!info.isFile()) return textResponse(404, 'Not found');
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, { status: 200, headers: { ...responseHeaders(mimeTypeFor(file)), 'Content-Length': String(info.size) } });
  } catch {
    return textResponse(404, 'Not found');
  }
}

/** protocol.handle('app', …) with the renderer folder as the only root. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(root, { url: request.url, method: request.method }));
}
