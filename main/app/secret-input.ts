/**
 * Reading a passphrase for the CLI: a hidden prompt on a terminal, or one line of standard input
 * when it is a pipe (scripts, tests). Never from argv: command lines are kept in shell history and
 * visible to every user of the machine through the process list.
 *
 * never log: the value returned is a passphrase or recovery code.
 */
import type { Readable, Writable } from 'node:stream';

export class SecretInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretInputError';
  }
}

/** Longer than any passphrase the vault accepts (128) or any recovery code; stops a runaway pipe. */
const MAX_LINE_BYTES = 4096;

/** Options that look like a secret on the command line. Matched by name; the value is never echoed. */
const SECRET_OPTION = /^--?(pass|passwd|password|passphrase|new-passphrase|pw|pin|secret|key|recovery|recovery-code)(=.*)?$/i;

export function findSecretOption(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (arg === '--') return null;
    const m = SECRET_OPTION.exec(arg);
    if (m) return arg.split('=')[0];
  }
  return null;
}

/** One line from a non-terminal stream: up to the first newline (a trailing CR is dropped too). */
export async function readLine(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of input) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    chunks.push(buf);
    total += buf.length;
    if (buf.includes(0x0a)) break;
    if (total > MAX_LINE_BYTES) throw new SecretInputError('The passphrase on standard input is too long.');
  }
  const all = Buffer.concat(chunks);
  const newline = all.indexOf(0x0a);
  if (newline < 0 && all.length === 0) {
    throw new SecretInputError('No passphrase was given. Type it at the prompt, or pipe it on standard input as one line.');
  }
  let line = (newline >= 0 ? all.subarray(0, newline) : all).toString('utf8');
  if (line.endsWith('\r')) line = line.slice(0, -1);
  if (line.length === 0) throw new SecretInputError('The passphrase given on standard input is empty.');
  return line;
}

interface TtyInput extends Readable {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

/** A prompt that echoes nothing. Ctrl-C cancels; backspace works; other control keys are ignored. */
export function promptHidden(prompt: string, input: TtyInput, output: Writable): Promise<string> {
  return new Promise((resolve, reject) => {
    let value = '';
    output.write(prompt);
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.resume();
    const finish = (err: Error | null): void => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish(value ? null : new SecretInputError('No passphrase was given.'));
        if (ch === '\u0003' || (ch === '\u0004' && !value)) return finish(new SecretInputError('Cancelled.'));
        if (ch === '\u0004') return finish(null);
        if (ch === '\u007f' || ch === '\b') {
          value = Array.from(value).slice(0, -1).join('');
          continue;
        }
        // An escape sequence (arrow keys and the like) arrives whole in one chunk: drop the rest.
        if (ch === '\u001b') break;
        if (ch < ' ') continue;
        value += ch;
      }
    };
    input.on('data', onData);
  });
}

/** A passphrase from the terminal (hidden) or from piped standard input. */
export function readSecret(prompt: string, input: TtyInput = process.stdin, output: Writable = process.stderr): Promise<string> {
  return input.isTTY ? promptHidden(prompt, input, output) : readLine(input);
}
