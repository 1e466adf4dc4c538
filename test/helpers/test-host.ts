/**
 * The loopback test host: stands in for Electron's IPC transport, and nothing else, so Playwright
 * can drive the BUILT renderer in Debian Chromium against the real main-process handlers.
 *
 * - Serves out/renderer from 127.0.0.1 (module scripts do not load over file://) with the same
 *   CONTENT_SECURITY_POLICY header the app:// protocol handler sends.
 * - `POST /__ipc/<channel>` with a JSON body goes to the same `createDispatch` Electron uses. A
 *   request counts as coming from the app's top frame only when its Origin header is this host's
 *   own origin; anything else is passed on with no URL, so dispatch refuses it as it refuses a
 *   foreign frame in Electron.
 * - `openApp(page, host)` installs `window.api` in the page with exactly the contract's channels,
 *   shaped like preload/api.ts's buildApi (`input ?? {}`), over fetch.
 *
 * A test tool: bound to loopback only, never packaged, never used by the app.
 */
import { mkdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Page, Response } from '@playwright/test';
import { CHANNELS } from '../../preload/contract';
import { createDispatch, type SenderInfo } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import { APP_VERSION } from '../../main/services/context';
import { Session } from '../../main/services/session';
import { lock } from '../../main/services/vault.service';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, isAppUrl } from '../../main/window/csp';

export const RENDERER_DIR = resolve(__dirname, '../../out/renderer');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json; charset=utf-8',
};

/** Requests larger than this are refused before parsing (the contract's biggest input is a few KB). */
const MAX_BODY_BYTES = 1024 * 1024;

export interface TestHost {
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  origin: string;
  session: Session;
  close(): Promise<void>;
}

export async function startTestHost(opts: { stateDir: string; documentsDir: string; rendererDir?: string }): Promise<TestHost> {
  const root = opts.rendererDir ?? RENDERER_DIR;
  const indexPath = join(root, 'index.html');
  try {
    await stat(indexPath);
  } catch {
    throw new Error(`The built renderer is missing (${indexPath}). Run \`npx electron-vite build\` first.`);
  }
  mkdirSync(opts.stateDir, { recursive: true });
  mkdirSync(opts.documentsDir, { recursive: true });
  const session = new Session({
    stateDir: opts.stateDir,
    documentsDir: opts.documentsDir,
    now: () => new Date(),
    kdfCost: SCRYPT_TEST,
    appVersion: APP_VERSION,
  });
  const dispatch = createDispatch(session, handlers, isAppUrl);
  let origin = '';

  async function serveFile(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    } catch {
      return send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    }
    if (pathname.includes('\0')) return send(res, 400, 'text/plain; charset=utf-8', 'Bad request');
    const relative = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^[/\\]+/, '');
    const file = resolve(root, relative);
    // Nothing outside the renderer folder, whatever the path says.
    if (file !== root && !file.startsWith(root + sep)) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
      const body = await readFile(file);
      return send(res, 200, CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', req.method === 'HEAD' ? '' : body);
    } catch {
      return send(res, 404, 'text/plain; charset=utf-8', 'Not found');
    }
  }

  async function serveIpc(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
    if (req.method !== 'POST') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return send(res, 413, 'text/plain; charset=utf-8', 'Too large');
      chunks.push(chunk as Buffer);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendJson(res, { ok: false, code: 'invalid_input', message: 'The request was not valid JSON.' });
    }
    // The Electron side reads the sending frame; here the browser's Origin header plays that
    // part. Only this host's own pages are "the app's top frame".
    const isOwnPage = req.headers.origin === origin;
    const sender: SenderInfo = isOwnPage ? { url: `${APP_ORIGIN}/index.html`, isTopFrame: true } : { url: '', isTopFrame: false };
    return sendJson(res, await dispatch(channel, payload, sender));
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const task = path.startsWith('/__ipc/') ? serveIpc(req, res, safeDecode(path.slice('/__ipc/'.length))) : serveFile(req, res);
    task.catch((e: unknown) => {
      console.error('[test-host]', e instanceof Error ? e.message : e);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal error');
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/`,
    origin,
    session,
    async close() {
      // Drop the key and the vault's process lock, as quitting the app would.
      if (session.vault) lock(session, 'quit');
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, value: unknown): void {
  send(res, 200, 'application/json; charset=utf-8', JSON.stringify(value));
}

/**
 * Runs in the page before any of its scripts: `window.api` with one function per contract
 * channel, as preload/api.ts builds it, over fetch to this host. Kept free of imports: Playwright
 * serialises the function's source into the page.
 */
function installApi(channels: readonly string[]): void {
  const invoke = async (channel: string, input: unknown): Promise<unknown> => {
    const res = await fetch(`/__ipc/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(input),
    });
    return res.json();
  };
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const channel of channels) api[channel] = (input?: unknown) => invoke(channel, input ?? {});
  // globalThis is the page's window (this file is type-checked without the DOM library).
  Object.defineProperty(globalThis, 'api', { value: Object.freeze(api), writable: false, configurable: false, enumerable: true });
}

/**
 * Install `window.api` and open the app; resolves with the page's response once the first screen
 * has rendered (the app marks each screen with `data-screen` on its <main>).
 */
export async function openApp(page: Page, host: TestHost): Promise<Response | null> {
  await page.addInitScript(installApi, [...CHANNELS]);
  const response = await page.goto(host.url);
  await page.locator('main[data-screen]:not([data-screen="loading"])').waitFor();
  return response;
}
