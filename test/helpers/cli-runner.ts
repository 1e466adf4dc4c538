/**
 * Runs the real CLI (main/cli.ts under tsx) as a child process, with standard input piped — the
 * only way it accepts a passphrase — and the workstation state folder given, as a test needs.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], stdin: string, stateDir: string): Promise<Run> {
  return new Promise((done, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main/cli.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, HARM_MATRIX_STATE_DIR: stateDir, NODE_OPTIONS: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the CLI may exit before reading (usage errors)
    child.stdin.end(stdin);
  });
}
