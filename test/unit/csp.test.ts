/**
 * One Content Security Policy: the header (main/window/csp.ts) and renderer/index.html's meta tag
 * must say the same thing, and neither may open the door to eval, inline script or any remote
 * origin. Also checks the one asset the strict font-src forced us to copy out of ag-grid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isAppUrl } from '../../main/window/csp';

const root = join(__dirname, '..', '..');
const html = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');

function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

function metaPolicy(): string {
  const tags = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi)];
  expect(tags).toHaveLength(1);
  return tags[0][1];
}

/** Directives a browser ignores (and warns about) when they arrive in a meta tag rather than a header. */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'sandbox'];

describe('Content Security Policy', () => {
  const header = directives(CONTENT_SECURITY_POLICY);

  it('is the same in the header and in index.html, apart from the header-only directives', () => {
    const meta = directives(metaPolicy());
    const expected = new Map([...header].filter(([name]) => !HEADER_ONLY.includes(name)));
    expect(meta).toEqual(expected);
    expect(header.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('allows scripts only from the app itself: no eval, no inline script, no remote origin', () => {
    expect(header.get('script-src')).toEqual(["'self'"]);
    expect(header.get('default-src')).toEqual(["'none'"]);
    expect(header.get('object-src')).toEqual(["'none'"]);
    expect(header.get('base-uri')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes|strict-dynamic|https?:|\*/);
    // Nothing but the app's own files and inline images (ag-grid's CSS icons are data: SVGs).
    for (const [name, values] of header) {
      for (const v of values) expect(["'self'", "'none'", 'data:'], `${name} ${v}`).toContain(v);
      if (values.includes('data:')) expect(name).toBe('img-src');
    }
  });

  it('index.html has no inline script, inline style or remote resource', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim()).toBe('');
      expect(attrs).toMatch(/\bsrc="\.\/[^"]+"/);
    }
    expect(html).not.toMatch(/<style\b|\sstyle="|\son[a-z]+="|https?:\/\//i);
  });

  it('recognises only the app origin as the app', () => {
    expect(isAppUrl('app://harm-matrix/index.html')).toBe(true);
    expect(isAppUrl('app://harm-matrix.evil/index.html')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});

describe('ag-grid icon font served from the app', () => {
  it('is byte-for-byte the font the installed ag-grid embeds as a data: URL', () => {
    // font-src 'self' refuses data: fonts, so the renderer ships the font as a file. If ag-grid is
    // upgraded and its icons change, this fails: re-extract it from agGridQuartzFont.css.
    const css = readFileSync(join(root, 'node_modules', 'ag-grid-community', 'styles', 'agGridQuartzFont.css'), 'utf8');
    const match = /url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\)/.exec(css);
    expect(match).not.toBeNull();
    const shipped = readFileSync(join(root, 'renderer', 'src', 'assets', 'ag-grid-quartz-icons.woff2'));
    expect(shipped.equals(Buffer.from(match![1], 'base64'))).toBe(true);
  });
});
