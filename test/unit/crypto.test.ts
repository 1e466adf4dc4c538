import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  aesGcmOpen,
  aesGcmSeal,
  deriveAuditKey,
  deriveFileMacKey,
  deriveKek,
  newRecoveryCode,
  newScryptParams,
  newSlotKeyPair,
  normaliseRecoveryCode,
  openSealed,
  randomDataKey,
  safeEqual,
  sealToPublicKey,
  SCRYPT_DEFAULT,
  SCRYPT_TEST,
  type Sealed,
} from '../../main/vault/crypto';
import { makeSlot, openSlotDataKey, openSlotPrivateKey, rewrapSlot, sealForSlot } from '../../main/vault/keyfile';

const b64 = (b: Buffer) => b.toString('base64');
/** Flip the lowest bit of one byte of a base64 field. */
function flip(field: string, at = 0): string {
  const b = Buffer.from(field, 'base64');
  b[at] ^= 1;
  return b64(b);
}

describe('scrypt key derivation', () => {
  test('matches the RFC 7914 test vector (first 32 bytes of scrypt("password", "NaCl", N=1024, r=8, p=16))', () => {
    const kek = deriveKek('password', { alg: 'scrypt', N: 1024, r: 8, p: 16, salt: b64(Buffer.from('NaCl')) });
    expect(kek.toString('hex')).toBe('fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162');
  });

  test('the same passphrase and salt give the same key; another salt or passphrase does not', () => {
    const p = newScryptParams(SCRYPT_TEST);
    expect(p).toMatchObject({ alg: 'scrypt', N: 1024, r: 8, p: 1 });
    expect(Buffer.from(p.salt, 'base64')).toHaveLength(16);
    const a = deriveKek('granite orbit lantern 47', p);
    expect(a).toHaveLength(32);
    expect(deriveKek('granite orbit lantern 47', p).equals(a)).toBe(true);
    expect(deriveKek('granite orbit lantern 48', p).equals(a)).toBe(false);
    expect(deriveKek('granite orbit lantern 47', newScryptParams(SCRYPT_TEST)).equals(a)).toBe(false);
  });

  test('passphrases are NFC-normalised, so the same word typed two ways gives the same key', () => {
    const p = newScryptParams(SCRYPT_TEST);
    expect(deriveKek('café crème brûlée'.normalize('NFD'), p).equals(deriveKek('café crème brûlée'.normalize('NFC'), p))).toBe(true);
  });

  test('the default cost is 2^17 × 12 × 1 (192 MiB per derivation), and derivation at that cost works', () => {
    expect(SCRYPT_DEFAULT).toEqual({ N: 131072, r: 12, p: 1 });
    expect(128 * SCRYPT_DEFAULT.N * SCRYPT_DEFAULT.r * SCRYPT_DEFAULT.p).toBe(192 * 1024 * 1024);
    // One real derivation: the memory limit passed to scrypt must allow the app's own cost.
    expect(deriveKek('granite orbit lantern 47', newScryptParams(SCRYPT_DEFAULT))).toHaveLength(32);
  }, 30_000);

  test('refuses an unknown KDF', () => {
    expect(() => deriveKek('x', { alg: 'argon2' as 'scrypt', N: 1024, r: 8, p: 1, salt: '' })).toThrow('unsupported KDF');
  });
});

describe('AES-256-GCM', () => {
  const key = randomBytes(32);
  const plain = Buffer.from('the data key, say');
  const sealed = aesGcmSeal(key, plain, 'context');

  test('round trip', () => {
    expect(aesGcmOpen(key, sealed, 'context')!.equals(plain)).toBe(true);
    expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(sealed.tag, 'base64')).toHaveLength(16);
    // A fresh IV each time: the same plaintext never seals to the same bytes.
    expect(aesGcmSeal(key, plain, 'context').ct).not.toBe(sealed.ct);
  });

  test.each<[string, (s: Sealed) => Sealed, Buffer?, string?]>([
    ['a wrong key', (s) => s, randomBytes(32)],
    ['other associated data', (s) => s, undefined, 'other context'],
    ['one bit of the ciphertext flipped', (s) => ({ ...s, ct: flip(s.ct, 3) })],
    ['one bit of the tag flipped', (s) => ({ ...s, tag: flip(s.tag, 15) })],
    ['one bit of the IV flipped', (s) => ({ ...s, iv: flip(s.iv) })],
    ['the tag cut to its first 4 bytes', (s) => ({ ...s, tag: b64(Buffer.from(s.tag, 'base64').subarray(0, 4)) })],
    ['the tag cut to its first 12 bytes', (s) => ({ ...s, tag: b64(Buffer.from(s.tag, 'base64').subarray(0, 12)) })],
    ['no tag', (s) => ({ ...s, tag: '' })],
    ['the ciphertext cut short', (s) => ({ ...s, ct: b64(Buffer.from(s.ct, 'base64').subarray(1)) })],
  ])('%s: refused (null), never a plaintext', (_label, alter, otherKey, otherAad) => {
    expect(aesGcmOpen(otherKey ?? key, alter(sealed), otherAad ?? 'context')).toBeNull();
  });
});

describe('sealing to a slot public key (X25519 + HKDF + AES-GCM)', () => {
  test('round trip, and only the matching private key and context open it', () => {
    const kp = newSlotKeyPair();
    const other = newSlotKeyPair();
    const dataKey = randomDataKey();
    expect(dataKey).toHaveLength(32);
    const sealed = sealToPublicKey(kp.publicKey, dataKey, 'aad-1');
    expect(openSealed(kp.privateKeyDer, sealed, 'aad-1')!.equals(dataKey)).toBe(true);
    expect(openSealed(other.privateKeyDer, sealed, 'aad-1')).toBeNull();
    expect(openSealed(kp.privateKeyDer, sealed, 'aad-2')).toBeNull();
    expect(openSealed(kp.privateKeyDer, { ...sealed, epk: other.publicKey }, 'aad-1')).toBeNull();
    expect(openSealed(kp.privateKeyDer, { ...sealed, ct: flip(sealed.ct) }, 'aad-1')).toBeNull();
    expect(openSealed(Buffer.from('not a key'), sealed, 'aad-1')).toBeNull();
  });
});

describe('key slots', () => {
  const vaultId = '00000000-0000-4000-8000-000000000001';
  const dataKey = randomDataKey();
  const slot = makeSlot({
    vaultId,
    kind: 'user',
    userId: 'user-1',
    userName: 'Alice Admin',
    secret: 'granite orbit lantern 47',
    dataKey,
    generation: 1,
    kdfCost: SCRYPT_TEST,
    now: new Date('2026-06-30T09:00:00.000Z'),
  });

  test('the passphrase opens the private key, which opens the data key of its generation', () => {
    expect(slot).toMatchObject({ kind: 'user', userId: 'user-1', userName: 'Alice Admin', updatedAt: '2026-06-30T09:00:00.000Z', kdf: { alg: 'scrypt', N: 1024, r: 8, p: 1 } });
    const priv = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    expect(priv).not.toBeNull();
    expect(openSlotDataKey(vaultId, slot, priv, 1)!.equals(dataKey)).toBe(true);
    expect(openSlotDataKey(vaultId, slot, priv, 2)).toBeNull();
    expect(openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 48')).toBeNull();
  });

  test('a slot is bound to its vault and its user: moved to another vault or user, it opens nothing', () => {
    expect(openSlotPrivateKey('00000000-0000-4000-8000-000000000002', slot, 'granite orbit lantern 47')).toBeNull();
    expect(openSlotPrivateKey(vaultId, { ...slot, userId: 'user-2' }, 'granite orbit lantern 47')).toBeNull();
    expect(openSlotPrivateKey(vaultId, { ...slot, id: 'another-slot' }, 'granite orbit lantern 47')).toBeNull();
  });

  test('rewrapping changes the passphrase and keeps the key pair and sealed data key', () => {
    const priv = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    const next = rewrapSlot(vaultId, slot, priv, 'harbour violet compass 19', SCRYPT_TEST, new Date('2026-07-01T09:00:00.000Z'));
    expect([next.id, next.publicKey, next.sealedDataKey]).toEqual([slot.id, slot.publicKey, slot.sealedDataKey]);
    expect(next.updatedAt).toBe('2026-07-01T09:00:00.000Z');
    expect(openSlotPrivateKey(vaultId, next, 'granite orbit lantern 47')).toBeNull();
    const priv2 = openSlotPrivateKey(vaultId, next, 'harbour violet compass 19')!;
    expect(priv2.equals(priv)).toBe(true);
  });

  test('a new data key can be sealed to a slot without its passphrase (rotation)', () => {
    const next = randomDataKey();
    const sealed = sealForSlot(vaultId, slot, next, 2);
    const priv = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    expect(openSlotDataKey(vaultId, slot, priv, 2, sealed)!.equals(next)).toBe(true);
    expect(openSlotDataKey(vaultId, slot, priv, 1, sealed)).toBeNull();
  });
});

describe('derived keys', () => {
  // Pinned: changing either derivation would orphan every existing audit chain and head file.
  test('audit key and head-file MAC key are fixed functions of their inputs', () => {
    expect(deriveAuditKey(Buffer.alloc(32, 7), '00000000-0000-4000-8000-000000000000').toString('hex')).toBe(
      '624e9404d5580b4be2d81719f94b28c1c4f9bc58b4c2998eadc0afd8cefdde11',
    );
    expect(deriveFileMacKey(Buffer.alloc(32, 9)).toString('hex')).toBe('333a7914152b6e0e982d91f9a10eb78fc3b7b3a5615682348cab0aa3a273d460');
    expect(deriveAuditKey(Buffer.alloc(32, 7), '00000000-0000-4000-8000-000000000001').equals(deriveAuditKey(Buffer.alloc(32, 7), '00000000-0000-4000-8000-000000000000'))).toBe(false);
  });

  test('safeEqual', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('recovery code', () => {
  const FORMAT = /^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){5}$/;

  test('six groups of five Crockford base32 characters (150 bits), different every time', () => {
    const codes = Array.from({ length: 200 }, () => newRecoveryCode());
    for (const c of codes) expect(c).toMatch(FORMAT);
    expect(new Set(codes).size).toBe(200);
    // Every symbol of the alphabet turns up: the encoding is not stuck on part of it.
    expect(new Set(codes.join('').replaceAll('-', '')).size).toBe(32);
  });

  test.each([
    ['as shown', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567'],
    ['lower case', 'abcde-fghjk-mnpqr-stvwx-yz012-34567', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567'],
    ['spaces, tabs and newlines instead of dashes', '  abcde fghjk\tmnpqr\nstvwx yz012 34567 ', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567'],
    ['no separators', 'ABCDEFGHJKMNPQRSTVWXYZ01234567', 'ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567'],
    ['I and L read as 1, O as 0', 'iIlLo-OABCD-EFGHJ-KMNPQ-RSTVW-XYZ23', '11110-0ABCD-EFGHJ-KMNPQ-RSTVW-XYZ23'],
    ['empty', '', ''],
    ['short', 'ab', 'AB'],
  ])('normalises what a person types: %s', (_label, typed, expected) => {
    expect(normaliseRecoveryCode(typed)).toBe(expected);
  });

  test('a generated code survives being typed back in lower case with spaces and the usual confusions', () => {
    for (let i = 0; i < 50; i++) {
      const code = newRecoveryCode();
      const typed = code.toLowerCase().replaceAll('-', ' ').replaceAll('1', 'l').replaceAll('0', 'o');
      expect(normaliseRecoveryCode(typed)).toBe(code);
    }
  });
});
