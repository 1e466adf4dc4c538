/**
 * Run a TypeScript helper (crash-writer.ts, canary-child.ts) as a separate Node process.
 *
 * Start-up cost matters because the crash test starts one child per kill. Measured here:
 * `node --import tsx` takes about 0.5 s to start and load the services; the same code bundled
 * once with esbuild (which tsx already depends on) starts in about 0.13 s. So the helper is
 * bundled once per test file into a temp folder, keeping the native driver external (resolved
 * through NODE_PATH); if esbuild cannot be loaded, it falls back to `node --import tsx`.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(import.meta.url);
const ROOT = resolve(dirname(HERE), '..', '..');
const requireHere = createRequire(HERE);

/** Absolute path of a helper in this folder. */
export function helperPath(name: string): string {
  return join(dirname(HERE), name);
}

export interface ChildCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
  how: 'bundle' | 'tsx';
}

let bundleDir: string | null = null;
const cache = new Map<string, ChildCommand>();

export function childCommand(entry: string): ChildCommand {
  const hit = cache.get(entry);
  if (hit) return hit;
  let cmd: ChildCommand;
  try {
    const esbuild = requireHere('esbuild') as typeof import('esbuild');
    bundleDir ??= mkdtempSync(join(tmpdir(), 'hm-child-bundle-'));
    const outfile = join(bundleDir, `${basename(entry, '.ts')}.cjs`);
    esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      outfile,
      external: ['better-sqlite3-multiple-ciphers'],
      logLevel: 'silent',
    });
    cmd = { command: process.execPath, args: [outfile], env: { NODE_PATH: join(ROOT, 'node_modules') }, how: 'bundle' };
  } catch {
    cmd = { command: process.execPath, args: ['--import', 'tsx', entry], env: {}, how: 'tsx' };
  }
  cache.set(entry, cmd);
  return cmd;
}

export function disposeChildBundles(): void {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = null;
  cache.clear();
}

/** A child with its stdout split into lines, so the parent can wait for "READY", "ACK n" and so on. */
export class Child {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  stderr = '';
  private partial = '';
  private waiters: { test: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(entry: string, env: Record<string, string>, cwd = ROOT) {
    const cmd = childCommand(entry);
    this.proc = spawn(cmd.command, cmd.args, { cwd, env: { ...process.env, ...cmd.env, ...env }, stdio: 'pipe' });
    this.proc.stdout.setEncoding('utf8');
    this.proc.stdout.on('data', (chunk: string) => {
      this.partial += chunk;
      const parts = this.partial.split('\n');
      this.partial = parts.pop()!;
      for (const line of parts) this.onLine(line);
    });
    this.proc.stderr.setEncoding('utf8');
    this.proc.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((res) => this.proc.on('exit', (code, signal) => res({ code, signal })));
  }

  private onLine(line: string): void {
    this.lines.push(line);
    const still: typeof this.waiters = [];
    for (const w of this.waiters) (w.test(line) ? w.resolve(line) : still.push(w));
    this.waiters = still;
  }

  /** Resolves with the first line (already seen or still to come) that starts with `prefix`. */
  waitFor(prefix: string, timeoutMs = 20_000): Promise<string> {
    const seen = this.lines.find((l) => l.startsWith(prefix));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`child did not print "${prefix}" within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        rej(new Error(`child exited (code ${code}, signal ${signal}) before "${prefix}"; stderr: ${this.stderr.slice(-2000)}`));
      });
      this.waiters.push({
        test: (l) => l.startsWith(prefix),
        resolve: (l) => {
          clearTimeout(timer);
          res(l);
        },
      });
    });
  }

  send(line: string): void {
    this.proc.stdin.write(`${line}\n`);
  }

  /** SIGKILL: no exit handlers, no flushing, no closing of the database. */
  async kill(): Promise<void> {
    this.proc.kill('SIGKILL');
    await this.exited;
    // Let the last chunks of stdout already in the pipe arrive.
    // An unterminated last line is not a whole message (each line is written with one write()).
    await new Promise<void>((res) => (this.proc.stdout.readableEnded ? res() : this.proc.stdout.once('end', () => res())));
  }
}
