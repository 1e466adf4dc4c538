import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { SCRYPT_TEST, randomDataKey } from '../../main/vault/crypto';
import { VaultError } from '../../main/vault/errors';
import { KDF_REFUSED, isSlotNamed, makeSlot, normaliseUserName, readKeyFile, writeFileAtomic, writeKeyFile, type KeyFile, type Slot } from '../../main/vault/keyfile';
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

describe('user names in the key file: a salted hash, never the name', () => {
  const now = new Date('2026-06-30T09:00:00.000Z');
  const userSlot = (userName: string | null): Slot =>
    makeSlot({ vaultId, kind: 'user', userId: 'user-1', userName, secret: 'granite orbit lantern 47', dataKey: randomDataKey(), generation: 1, kdfCost: SCRYPT_TEST, commitKey: randomBytes(32), now });
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

  test('a user slot keeps SHA-256 over the vault id, its own 16-byte salt and the normalised name, and no name', () => {
    const slot = userSlot('Alice Admin');
    expect('userName' in slot).toBe(false);
    const { salt, hash } = slot.nameHash!;
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(hash).toBe(sha(`harm-matrix user-name v1|${vaultId}|${salt}|alice admin`));
    // Salted per slot: the same name in a second slot hashes differently.
    const again = userSlot('Alice Admin');
    expect(again.nameHash!.salt).not.toBe(salt);
    expect(again.nameHash!.hash).not.toBe(hash);
    // A recovery slot has no name at all.
    expect(validFile().slots[0]).not.toHaveProperty('nameHash');
    expect(validFile().slots[0]).not.toHaveProperty('userName');
  });

  test('a typed name matches regardless of case, surrounding and repeated spaces and compatibility forms; another name or vault does not', () => {
    const slot = userSlot('Zoë  Ångström');
    expect(normaliseUserName('  ZOË\tÅNGSTRÖM ')).toBe('zoë ångström');
    for (const typed of ['Zoë Ångström', 'zoë ångström', '  ZOË   ÅNGSTRÖM  ', 'Zoe\u0308 A\u030angstro\u0308m', 'Ｚｏë Ångström']) {
      expect(isSlotNamed(vaultId, slot, typed), typed).toBe(true);
    }
    for (const typed of ['Zoë Angstrom', 'Zoë Ångströms', 'ZoëÅngström', '']) expect(isSlotNamed(vaultId, slot, typed), typed).toBe(false);
    expect(isSlotNamed('00000000-0000-4000-8000-000000000002', slot, 'Zoë Ångström')).toBe(false);
    expect(isSlotNamed(vaultId, { ...slot, kind: 'recovery' }, 'Zoë Ångström')).toBe(false);
  });

  test('writing a file whose slots name their users in clear (an older file) replaces each name by its hash', () => {
    const p = join(dir, 'clear-names.hmvault.keys');
    const hashed = userSlot('Alice Admin');
    const { nameHash: _drop, ...bare } = hashed;
    const older: KeyFile = { ...validFile(), slots: [{ ...bare, userName: 'Alice Admin' }, { ...validFile().slots[0], userName: null }] };
    // Such a file still reads.
    writeFileSync(p, JSON.stringify(older));
    expect(readKeyFile(p).slots[0].userName).toBe('Alice Admin');
    writeKeyFile(p, readKeyFile(p));
    const text = readFileSync(p, 'utf8');
    expect(text).not.toMatch(/alice/i);
    expect(text).not.toContain('userName');
    const back = readKeyFile(p);
    expect(isSlotNamed(vaultId, back.slots[0], 'alice admin')).toBe(true);
    expect(back.slots[1]).not.toHaveProperty('nameHash');
    // The rest of the slot is as it was.
    expect({ ...back.slots[0], nameHash: undefined }).toEqual({ ...bare, nameHash: undefined });
  });
});
