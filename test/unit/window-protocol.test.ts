import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../main/window/csp';
import { APP_SCHEME_PRIVILEGES, handleAppProtocol, mimeTypeFor, registerAppScheme, resolveAppFile, serveAppRequest } from '../../main/window/protocol';

const SECRET = 'outside-the-renderer-folder';
// Made at collection time: the traversal table below names a file by its absolute path.
const dir = mkdtempSync(join(tmpdir(), 'hm-protocol-'));
const root = join(dir, 'renderer');

beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Harm Matrix</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export const x = 1;');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'font.woff2'), Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  writeFileSync(join(dir, 'secret.txt'), SECRET);
  writeFileSync(join(dir, 'renderer-sibling.txt'), SECRET);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = (url: string) => serveAppRequest(root, { url, method: 'GET' });

describe('serveAppRequest', () => {
  it('serves index.html for / and by name, with the CSP header and its MIME type', async () => {
    for (const url of ['app://harm-matrix/', 'app://harm-matrix', 'app://harm-matrix/index.html']) {
      const r = await get(url);
      expect(r.status, url).toBe(200);
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await r.text()).toBe('<!doctype html><title>Harm Matrix</title>');
    }
  });

  it('serves module scripts, styles and fonts with the MIME types browsers insist on', async () => {
    const js = await get('app://harm-matrix/assets/index-abc.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export const x = 1;');
    expect((await get('app://harm-matrix/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    const font = await get('app://harm-matrix/assets/font.woff2?v=1#x');
    expect(font.headers.get('content-type')).toBe('font/woff2');
    expect(Buffer.from(await font.arrayBuffer())).toEqual(Buffer.from([0x77, 0x4f, 0x46, 0x32]));
  });

  it.each([
    'app://harm-matrix/../secret.txt',
    'app://harm-matrix/%2e%2e/secret.txt',
    'app://harm-matrix/%2E%2E%2Fsecret.txt',
    'app://harm-matrix/..%2fsecret.txt',
    'app://harm-matrix/assets/..%2f..%2fsecret.txt',
    'app://harm-matrix/..%5csecret.txt',
    'app://harm-matrix/%2e%2e%5csecret.txt',
    'app://harm-matrix/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    `app://harm-matrix/${encodeURIComponent(join(dir, 'secret.txt'))}`,
    'app://harm-matrix/index.html%00.js',
    'app://harm-matrix/%E0%A4%A',
    'app://harm-matrix/../renderer-sibling.txt',
  ])('never serves a file outside the renderer folder: %s', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await r.text()).not.toContain(SECRET);
  });

  it('answers 404 for another host, another scheme, a folder or a missing file', async () => {
    for (const url of ['app://other/index.html', 'app://harm-matrix.evil/index.html', 'file:///etc/passwd', 'https://harm-matrix/index.html', 'app://harm-matrix/assets', 'app://harm-matrix/assets/', 'app://harm-matrix/missing.js', 'not a url']) {
      expect((await get(url)).status, url).toBe(404);
    }
  });

  it('refuses methods other than GET and HEAD, and HEAD has no body', async () => {
    const post = await serveAppRequest(root, { url: 'app://harm-matrix/index.html', method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const head = await serveAppRequest(root, { url: 'app://harm-matrix/index.html', method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('<!doctype html><title>Harm Matrix</title>'.length));
    expect(await head.text()).toBe('');
  });
});

describe('resolveAppFile', () => {
  it('maps a URL path to a file inside the root only', () => {
    expect(resolveAppFile(root, 'app://harm-matrix/assets/index-abc.js')).toBe(join(root, 'assets', 'index-abc.js'));
    expect(resolveAppFile(root, 'app://harm-matrix/')).toBe(join(root, 'index.html'));
    // The URL parser already folds a literal or %2e%2e segment into the root...
    expect(resolveAppFile(root, 'app://harm-matrix/%2e%2e/secret.txt')).toBe(join(root, 'secret.txt'));
    // ...but an encoded slash survives it and is caught after decoding.
    expect(resolveAppFile(root, 'app://harm-matrix/..%2fsecret.txt')).toBeNull();
    expect(resolveAppFile(root, 'app://harm-matrix/assets/..%2f..%2fsecret.txt')).toBeNull();
  });
});

describe('mimeTypeFor', () => {
  it('knows the renderer build output and falls back to an opaque type', () => {
    expect(mimeTypeFor('a.MJS')).toBe('text/javascript; charset=utf-8');
    expect(mimeTypeFor('a.svg')).toBe('image/svg+xml');
    expect(mimeTypeFor('a.json')).toBe('application/json; charset=utf-8');
    expect(mimeTypeFor('a.exe')).toBe('application/octet-stream');
    expect(mimeTypeFor('Makefile')).toBe('application/octet-stream');
  });
});

describe('scheme registration', () => {
  it('registers app:// as standard, secure and fetchable, and not CORS-readable by other origins', () => {
    const registerSchemesAsPrivileged = vi.fn();
    registerAppScheme({ registerSchemesAsPrivileged });
    expect(registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('corsEnabled');
    expect(APP_SCHEME_PRIVILEGES).not.toHaveProperty('bypassCSP');
  });

  it('handles app:// from the given root', async () => {
    let handler: ((req: Request) => Promise<Response> | Response) | null = null;
    handleAppProtocol({ handle: (scheme: string, h: (req: Request) => Promise<Response> | Response) => {
      expect(scheme).toBe('app');
      handler = h;
    } } as never, root);
    const r = await handler!(new Request('app://harm-matrix/index.html'));
    expect(r.status).toBe(200);
  });
});
