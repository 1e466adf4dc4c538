import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SCRYPT_TEST, randomDataKey } from '../../main/vault/crypto';
import { VaultError } from '../../main/vault/errors';
import { KDF_REFUSED, makeSlot, readKeyFile, writeFileAtomic, writeKeyFile, type KeyFile } from '../../main/vault/keyfile';
import { removeDir, tempDir } from '../helpers/vault-fixtures';

const dir = tempDir('keyfile');
afterAll(() => removeDir(dir));

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof VaultError ? e.code : `not a VaultError: ${String(e)}`;
  }
  return 'no error';
}

const vaultId = '00000000-0000-4000-8000-000000000001';
function validFile(): KeyFile {
  const now = new Date('2026-06-30T09:00:00.000Z');
  const dataKey = randomDataKey();
  return {
    format: 'harm-matrix-keys',
    version: 1,
    vaultId,
    generation: 1,
    slots: [makeSlot({ vaultId, kind: 'recovery', userId: null, userName: null, secret: 'x', dataKey, generation: 1, kdfCost: SCRYPT_TEST, commitKey: randomBytes(32), now })],
    pending: null,
  };
}

function withKdf(change: Record<string, number>): string {
  return JSON.stringify({ ...validFile(), slots: validFile().slots.map((s) => ({ ...s, kdf: { ...s.kdf, ...change } })) });
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  return 'no error';
}

describe('key file', () => {
  test('written atomically, owner-only, and read back equal', () => {
    const p = join(dir, 'a.hmvault.keys');
    const file = validFile();
    writeKeyFile(p, file);
    expect(readKeyFile(p)).toEqual(file);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    // No temp file left behind.
    expect(readdirSync(dir).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  test('refuses to write a file that does not match the schema, leaving the old one', () => {
    const p = join(dir, 'b.hmvault.keys');
    writeKeyFile(p, validFile());
    const before = readFileSync(p);
    expect(() => writeKeyFile(p, { ...validFile(), slots: [] })).toThrow();
    expect(readFileSync(p).equals(before)).toBe(true);
  });

  test.each([
    ['missing', null, 'keys_missing'],
    ['not JSON', '{"format": "harm-matrix-keys",', 'keys_damaged'],
    ['JSON of another shape', '{"hello": "world"}', 'keys_damaged'],
    ['no slots', JSON.stringify({ ...validFile(), slots: [] }), 'keys_damaged'],
    ['a vault id that is not a UUID', JSON.stringify({ ...validFile(), vaultId: 'x' }), 'keys_damaged'],
    ['a KDF cost below the floor', JSON.stringify({ ...validFile(), slots: validFile().slots.map((s) => ({ ...s, kdf: { ...s.kdf, N: 2 } })) }), 'keys_damaged'],
    ['a KDF cost above the ceiling (memory exhaustion)', JSON.stringify({ ...validFile(), slots: validFile().slots.map((s) => ({ ...s, kdf: { ...s.kdf, N: 2 ** 30 } })) }), 'keys_damaged'],
    ['a newer format version', JSON.stringify({ ...validFile(), version: 2 }), 'keys_damaged'],
    ['N not a power of two', withKdf({ N: 3 * 2 ** 12 }), 'keys_damaged'],
    ['N above what the app writes (2^18)', withKdf({ N: 2 ** 18 }), 'keys_damaged'],
    ['r above what the app writes (33)', withKdf({ r: 33 }), 'keys_damaged'],
    ['p other than 1 (the old ceiling allowed 16)', withKdf({ p: 16 }), 'keys_damaged'],
    ['an unknown slot format', JSON.stringify({ ...validFile(), slots: validFile().slots.map((s) => ({ ...s, format: 3 })) }), 'keys_damaged'],
    ['empty', '', 'keys_damaged'],
  ])('%s: refused with %s', (label, content, code) => {
    const p = join(dir, `${label.replaceAll(' ', '-')}.keys`);
    if (content !== null) writeFileSync(p, content);
    expect(codeOf(() => readKeyFile(p))).toBe(code);
  });

  test('writeFileAtomic never leaves a half-written file: the target is either old or new', () => {
    const sub = join(dir, 'atomic');
    mkdirSync(sub);
    const p = join(sub, 'f');
    writeFileAtomic(p, 'old');
    writeFileAtomic(p, Buffer.alloc(1 << 20, 1));
    expect(statSync(p).size).toBe(1 << 20);
    expect(readdirSync(sub)).toEqual(['f']);
  });

  test('KDF settings the app never writes are refused with a sentence that says so', () => {
    const p = join(dir, 'kdf-refused.keys');
    writeFileSync(p, withKdf({ N: 3 * 2 ** 12 }));
    expect(messageOf(() => readKeyFile(p))).toBe(KDF_REFUSED);
    expect(KDF_REFUSED).toBe(
      'The key file for this vault asks for key-derivation settings that Harm Matrix never writes, so it has been damaged or altered. It was not used; restore the key file from a backup.',
    );
  });
});
