import { PassThrough, Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appDataDir, stateDirFor } from '../../main/app/paths';
import { findSecretOption, promptHidden, readLine } from '../../main/app/secret-input';

describe('findSecretOption', () => {
  it('spots a passphrase-like option in any spelling, with or without a value', () => {
    expect(findSecretOption(['vault', 'info', 'x.hmvault', '--passphrase', 'hunter2'])).toBe('--passphrase');
    expect(findSecretOption(['--passphrase=hunter2'])).toBe('--passphrase');
    expect(findSecretOption(['--Password=x'])).toBe('--Password');
    expect(findSecretOption(['-pass'])).toBe('-pass');
    expect(findSecretOption(['--recovery-code', 'ABCD'])).toBe('--recovery-code');
    expect(findSecretOption(['--pw=x'])).toBe('--pw');
  });

  it('leaves ordinary arguments alone, and anything after --', () => {
    expect(findSecretOption(['audit', 'verify', 'passphrase.hmvault', '--user', 'Pass Word'])).toBeNull();
    expect(findSecretOption(['--user', 'x', '--', '--passphrase'])).toBeNull();
    expect(findSecretOption(['--passage'])).toBeNull();
  });
});

describe('readLine (piped standard input)', () => {
  const from = (...chunks: string[]) => Readable.from(chunks.map((c) => Buffer.from(c, 'utf8')));

  it('reads up to the first newline, keeping spaces inside and at the ends', async () => {
    expect(await readLine(from('  correct horse battery staple  \nsecond line\n'))).toBe('  correct horse battery staple  ');
  });

  it('joins chunks, drops a CR before the newline, and accepts a last line without one', async () => {
    expect(await readLine(from('correct ho', 'rse\r\n'))).toBe('correct horse');
    expect(await readLine(from('no newline at end'))).toBe('no newline at end');
    expect(await readLine(from('pässwörd ✓ 12345\n'))).toBe('pässwörd ✓ 12345');
  });

  it('refuses nothing at all, an empty line, and a runaway stream', async () => {
    await expect(readLine(from())).rejects.toThrow('No passphrase was given');
    await expect(readLine(from('\n'))).rejects.toThrow('is empty');
    await expect(readLine(from('x'.repeat(5000)))).rejects.toThrow('too long');
  });
});

describe('promptHidden (terminal)', () => {
  function tty() {
    const input = new PassThrough() as PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(m: boolean): void };
    input.isTTY = true;
    input.rawModes = [];
    input.setRawMode = (m: boolean) => void input.rawModes.push(m);
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString('utf8')));
    return { input, output, shown: () => shown };
  }

  it('echoes nothing but the prompt, handles backspace and ignores escape sequences, and restores the terminal', async () => {
    const t = tty();
    const p = promptHidden('Passphrase for Alice: ', t.input, t.output);
    t.input.write('secreX\u007ft');
    t.input.write('\u001b[A');
    t.input.write(' value\r');
    expect(await p).toBe('secret value');
    expect(t.shown()).toBe('Passphrase for Alice: \n');
    expect(t.input.rawModes).toEqual([true, false]);
  });

  it('Ctrl-C cancels', async () => {
    const t = tty();
    const p = promptHidden('Passphrase: ', t.input, t.output);
    t.input.write('abc\u0003');
    await expect(p).rejects.toThrow('Cancelled.');
    expect(t.input.rawModes).toEqual([true, false]);
  });
});

describe('state folder (shared by the app and the CLI)', () => {
  it("is Electron's userData for an app named harm-matrix on each platform", () => {
    expect(stateDirFor('linux', {}, '/home/ana')).toBe('/home/ana/.config/harm-matrix');
    expect(stateDirFor('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/ana')).toBe('/cfg/harm-matrix');
    expect(stateDirFor('darwin', {}, '/Users/ana')).toBe('/Users/ana/Library/Application Support/harm-matrix');
    expect(stateDirFor('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe(join('C:\\Users\\ana\\AppData\\Roaming', 'harm-matrix'));
    expect(appDataDir('win32', {}, '/h')).toBe(join('/h', 'AppData', 'Roaming'));
  });

  it('is HARM_MATRIX_STATE_DIR when that is set', () => {
    expect(stateDirFor('linux', { HARM_MATRIX_STATE_DIR: '/srv/hm-state' }, '/home/ana')).toBe('/srv/hm-state');
    expect(stateDirFor('linux', { HARM_MATRIX_STATE_DIR: '' }, '/home/ana')).toBe('/home/ana/.config/harm-matrix');
  });
});
