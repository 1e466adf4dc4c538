import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  aesGcmOpen,
  aesGcmSeal,
  calibratedCost,
  deriveAuditKey,
  deriveKekAsync,
  isAllowedScryptCost,
  publicKeyHash,
  publicKeyOf,
  SCRYPT_APP,
  SCRYPT_LIMITS,
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
import { makeSlot, openSlotDataKey, openSlotPrivateKey, openSlotWithKek, sealForSlot, slotCommitment, slotKek, type Slot } from '../../main/vault/keyfile';

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

  test('the asynchronous derivation gives the same keys (the RFC 7914 vector too)', async () => {
    const rfc = { alg: 'scrypt' as const, N: 1024, r: 8, p: 16, salt: b64(Buffer.from('NaCl')) };
    expect((await deriveKekAsync('password', rfc)).toString('hex')).toBe('fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162');
    const p = newScryptParams(SCRYPT_TEST);
    expect((await deriveKekAsync('granite orbit lantern 47', p)).equals(deriveKek('granite orbit lantern 47', p))).toBe(true);
  });

  test('the asynchronous derivation leaves the event loop free while it runs', async () => {
    const p = newScryptParams({ N: 2 ** 14, r: 8, p: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = Date.now();
    // Several derivations in a row, long enough to span many timer ticks if the loop is free.
    for (let i = 0; i < 4; i++) (await deriveKekAsync('granite orbit lantern 47', p)).fill(0);
    clearInterval(timer);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('KDF limits and calibration', () => {
  test.each<[string, { N: number; r: number; p: number }, boolean]>([
    ['the test cost', SCRYPT_TEST, true],
    ['the floor', SCRYPT_DEFAULT, true],
    ['the largest calibration can choose', { N: 2 ** 17, r: 32, p: 1 }, true],
    ['N not a power of two', { N: 3 * 2 ** 12, r: 8, p: 1 }, false],
    ['N above the largest the app writes', { N: 2 ** 18, r: 12, p: 1 }, false],
    ['N below the smallest', { N: 2 ** 9, r: 8, p: 1 }, false],
    ['r above 32', { N: 2 ** 17, r: 33, p: 1 }, false],
    ['r of zero', { N: 2 ** 10, r: 0, p: 1 }, false],
    ['a fractional r', { N: 2 ** 10, r: 8.5, p: 1 }, false],
    ['p other than 1', { N: 2 ** 10, r: 8, p: 2 }, false],
    ['the old ceiling (N=2^22, r=32, p=16)', { N: 2 ** 22, r: 32, p: 16 }, false],
  ])('%s: allowed %s', (_label, cost, expected) => {
    expect(isAllowedScryptCost(cost)).toBe(expected);
  });

  test('limits: N from 2^10 to 2^17, r up to 32, p 1 (at most 512 MiB per derivation)', () => {
    expect(SCRYPT_LIMITS).toEqual({ minN: 1024, maxN: 131072, minR: 1, maxR: 32, p: 1 });
    expect(128 * SCRYPT_LIMITS.maxN * SCRYPT_LIMITS.maxR).toBe(512 * 1024 * 1024);
    expect(SCRYPT_APP).toEqual({ N: 131072, r: 12, p: 1, targetMs: 750 });
  });

  test.each<[string, number, number]>([
    ['0.46 s at the floor (one reference machine)', 460, 20],
    ['0.58 s at the floor (another)', 580, 16],
    ['exactly the target', 750, 12],
    ['slower than the target: never below the floor', 1500, 12],
    ['very fast: capped at r=32', 100, 32],
    ['a zero reading: the cap', 0, 32],
  ])('calibration, %s: r=%i', (_label, ms, r) => {
    const seen: unknown[] = [];
    const cost = calibratedCost(SCRYPT_APP, (c) => {
      seen.push(c);
      return ms;
    });
    expect(cost).toEqual({ N: 2 ** 17, r, p: 1 });
    // One measurement, at the floor.
    expect(seen).toEqual([{ N: 2 ** 17, r: 12, p: 1 }]);
  });

  test('without a target nothing is measured: the cost is as given (tests)', () => {
    expect(calibratedCost(SCRYPT_TEST, () => {
      throw new Error('measured');
    })).toEqual({ N: 1024, r: 8, p: 1 });
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
  const commitKey = randomBytes(32);
  const slot = makeSlot({
    vaultId,
    kind: 'user',
    userId: 'user-1',
    userName: 'Alice Admin',
    secret: 'granite orbit lantern 47',
    dataKey,
    generation: 1,
    kdfCost: SCRYPT_TEST,
    commitKey,
    now: new Date('2026-06-30T09:00:00.000Z'),
  });

  test('the passphrase opens the private key, which opens the data key of its generation', () => {
    expect(slot).toMatchObject({ kind: 'user', userId: 'user-1', updatedAt: '2026-06-30T09:00:00.000Z', kdf: { alg: 'scrypt', N: 1024, r: 8, p: 1 }, format: 2 });
    const priv = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    expect(priv).not.toBeNull();
    expect(publicKeyOf(priv)).toBe(slot.publicKey);
    expect(openSlotDataKey(vaultId, slot, priv, 1)!.equals(dataKey)).toBe(true);
    expect(openSlotDataKey(vaultId, slot, priv, 2)).toBeNull();
    expect(openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 48')).toBeNull();
  });

  test('a slot is bound to its vault and its user: moved to another vault or user, it opens nothing', () => {
    expect(openSlotPrivateKey('00000000-0000-4000-8000-000000000002', slot, 'granite orbit lantern 47')).toBeNull();
    expect(openSlotPrivateKey(vaultId, { ...slot, userId: 'user-2' }, 'granite orbit lantern 47')).toBeNull();
    expect(openSlotPrivateKey(vaultId, { ...slot, id: 'another-slot' }, 'granite orbit lantern 47')).toBeNull();
  });

  test('format 2 binds kind, public key and KDF parameters into the wrapped part and the sealed data key', () => {
    const other = newSlotKeyPair();
    const kek = slotKek(slot, 'granite orbit lantern 47');
    const priv = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    // The right key, but a file that says something else about the slot: nothing opens.
    expect(openSlotWithKek(vaultId, { ...slot, kind: 'recovery' }, kek)).toBeNull();
    expect(openSlotWithKek(vaultId, { ...slot, publicKey: other.publicKey }, kek)).toBeNull();
    expect(openSlotWithKek(vaultId, { ...slot, kdf: { ...slot.kdf, r: 9 } }, kek)).toBeNull();
    // Dropping the format marker (posing as format 1) does not open it either.
    expect(openSlotWithKek(vaultId, { ...slot, format: undefined }, kek)).toBeNull();
    expect(openSlotDataKey(vaultId, { ...slot, kind: 'recovery' }, priv, 1)).toBeNull();
    expect(openSlotDataKey(vaultId, { ...slot, publicKey: other.publicKey }, priv, 1)).toBeNull();
    expect(openSlotWithKek(vaultId, slot, kek)).not.toBeNull();
  });

  test('the wrapped part carries the commitment to the vault, under the slot\'s commitment key', () => {
    const opened = openSlotWithKek(vaultId, slot, slotKek(slot, 'granite orbit lantern 47'))!;
    expect(opened.publicKey).toBe(slot.publicKey);
    expect(opened.commitment!.equals(slotCommitment(commitKey, vaultId, slot))).toBe(true);
    expect(opened.commitment!.equals(slotCommitment(randomBytes(32), vaultId, slot))).toBe(false);
    expect(opened.privateKey.equals(openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!)).toBe(true);
  });

  test('remaking a slot (a passphrase change) keeps its id and gives it a new key pair: the old slot unwraps a key the new data key is not sealed to', () => {
    const next = makeSlot({ vaultId, id: slot.id, kind: 'user', userId: 'user-1', userName: 'Alice Admin', secret: 'harbour violet compass 19', dataKey, generation: 1, kdfCost: SCRYPT_TEST, commitKey: randomBytes(32), now: new Date('2026-07-01T09:00:00.000Z') });
    expect(next.id).toBe(slot.id);
    expect(next.publicKey).not.toBe(slot.publicKey);
    expect(next.updatedAt).toBe('2026-07-01T09:00:00.000Z');
    expect(openSlotPrivateKey(vaultId, next, 'granite orbit lantern 47')).toBeNull();
    const fresh = openSlotPrivateKey(vaultId, next, 'harbour violet compass 19')!;
    expect(openSlotDataKey(vaultId, next, fresh, 1)!.equals(dataKey)).toBe(true);
    const old = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    expect(openSlotDataKey(vaultId, next, old, 1)).toBeNull();
  });

  test('a new data key can be sealed to a slot without its passphrase (rotation)', () => {
    const next = randomDataKey();
    const sealed = sealForSlot(vaultId, slot, next, 2);
    const priv = openSlotPrivateKey(vaultId, slot, 'granite orbit lantern 47')!;
    expect(openSlotDataKey(vaultId, slot, priv, 2, sealed)!.equals(next)).toBe(true);
    expect(openSlotDataKey(vaultId, slot, priv, 1, sealed)).toBeNull();
  });

  test('a format-1 slot (made before this version, with its own AADs) still opens, and a rotation re-seals it in format 1', () => {
    const kp = newSlotKeyPair();
    const kdf = newScryptParams(SCRYPT_TEST);
    const kek = deriveKek('granite orbit lantern 47', kdf);
    // The first format, written out here independently of keyfile.ts.
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', kek, iv);
    c.setAAD(Buffer.from(`harm-matrix slot-private v1|${vaultId}|legacy-1|user-1`, 'utf8'));
    const ct = Buffer.concat([c.update(kp.privateKeyDer), c.final()]);
    const legacy: Slot = {
      id: 'legacy-1',
      kind: 'user',
      userId: 'user-1',
      userName: 'Alice Admin',
      publicKey: kp.publicKey,
      kdf,
      wrappedPrivateKey: { iv: b64(iv), ct: b64(ct), tag: b64(c.getAuthTag()) },
      sealedDataKey: sealToPublicKey(kp.publicKey, dataKey, `harm-matrix data-key v1|${vaultId}|legacy-1|1`),
      updatedAt: '2026-01-01T00:00:00.000Z',
    };
    const opened = openSlotWithKek(vaultId, legacy, kek)!;
    expect(opened.commitment).toBeNull();
    expect(opened.publicKey).toBe(kp.publicKey);
    expect(openSlotDataKey(vaultId, legacy, opened.privateKey, 1)!.equals(dataKey)).toBe(true);
    const next = randomDataKey();
    expect(openSlotDataKey(vaultId, legacy, opened.privateKey, 2, sealForSlot(vaultId, legacy, next, 2))!.equals(next)).toBe(true);
    // Format 1 has no kind, public key or KDF in its AAD, which is why the registry checks them.
    expect(openSlotWithKek(vaultId, { ...legacy, kind: 'recovery' }, kek)).not.toBeNull();
    expect(publicKeyHash(kp.publicKey)).toMatch(/^[0-9a-f]{64}$/);
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
