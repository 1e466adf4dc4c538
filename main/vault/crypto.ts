/**
 * Key material for the vault. Everything here is "never log: key material".
 *
 * Design (why not wrap the data key directly under each passphrase key):
 * each key slot holds an X25519 key pair. The private key is wrapped with AES-256-GCM under a key
 * derived from the user's passphrase by scrypt (memory-hard, parameters stored in the slot). The
 * 256-bit data key is sealed to the slot's public key (ephemeral X25519 + HKDF-SHA-256 +
 * AES-256-GCM). A passphrase change rewraps only that slot's private key, as with a plain wrap, but
 * rotating the data key after a user is removed can re-seal the new key to every remaining slot
 * without knowing anyone's passphrase, and the removed user's old slot can open nothing new.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';

export const DATA_KEY_BYTES = 32;

export interface ScryptParams {
  alg: 'scrypt';
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  /** base64 */
  salt: string;
}

/**
 * Tuned on the 2-core reference workstation so one unlock costs roughly 0.5–1 s: measured
 * derivation times were 507 ms at N=2^17,r=8 (just under the range), 1.06 s at N=2^18,r=8 and
 * 733 ms at N=2^17,r=12 (BENCHMARKS.md "Unlock"). 2^17 × 12 × 128 B = 192 MiB per derivation.
 * Each slot stores its own parameters, so raising these never locks out an existing slot.
 */
export const SCRYPT_DEFAULT = { N: 2 ** 17, r: 12, p: 1 } as const;

/** Only for tests that create many vaults: never used by the app or the CLI. */
export const SCRYPT_TEST = { N: 2 ** 10, r: 8, p: 1 } as const;

export interface Sealed {
  /** base64 fields */
  iv: string;
  ct: string;
  tag: string;
}

export interface SealedToPublicKey extends Sealed {
  /** ephemeral public key, base64 DER (spki) */
  epk: string;
}

export function randomDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

export function newScryptParams(cost: { N: number; r: number; p: number } = SCRYPT_DEFAULT): ScryptParams {
  return { alg: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: randomBytes(16).toString('base64') };
}

/** Passphrase → 256-bit key-encryption key. never log: key material. */
export function deriveKek(passphrase: string, params: ScryptParams): Buffer {
  if (params.alg !== 'scrypt') throw new Error('unsupported KDF');
  const maxmem = 128 * params.N * params.r * params.p + 32 * 1024 * 1024;
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, {
    N: params.N,
    r: params.r,
    p: params.p,
    maxmem,
  });
}

export function aesGcmSeal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Returns null when the key is wrong or the data was altered (the GCM tag does not verify). */
export function aesGcmOpen(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  try {
    // authTagLength pins the tag to 16 bytes: without it Node accepts a truncated tag (down to 4
    // bytes) and checks only that prefix, so a forged or cut-down tag would be easier to pass.
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export interface SlotKeyPair {
  /** spki DER, base64 */
  publicKey: string;
  /** pkcs8 DER. never log: key material. */
  privateKeyDer: Buffer;
}

export function newSlotKeyPair(): SlotKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKeyDer: privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer,
  };
}

function sealKey(shared: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), `harm-matrix seal v1 ${info}`, 32));
}

/** Seal the data key to a slot's public key. */
export function sealToPublicKey(publicKeyB64: string, plaintext: Buffer, aad: string): SealedToPublicKey {
  const recipient = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
  const eph = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const epk = eph.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const sealed = aesGcmSeal(sealKey(shared, aad), plaintext, `${aad}|${epk}`);
  return { ...sealed, epk };
}

export function openSealed(privateKeyDer: Buffer, sealed: SealedToPublicKey, aad: string): Buffer | null {
  try {
    const priv = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
    const epk = createPublicKey({ key: Buffer.from(sealed.epk, 'base64'), format: 'der', type: 'spki' });
    const shared = diffieHellman({ privateKey: priv, publicKey: epk });
    return aesGcmOpen(sealKey(shared, aad), sealed, `${aad}|${sealed.epk}`);
  } catch {
    return null;
  }
}

/** Key for the audit chain's HMACs, derived once from the vault's first data key (see audit.ts). */
export function deriveAuditKey(dataKey: Buffer, vaultId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.from(vaultId, 'utf8'), 'harm-matrix audit v1', 32));
}

/** Key for MACs over files kept outside the database (the audit head). */
export function deriveFileMacKey(auditKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', auditKey, Buffer.alloc(0), 'harm-matrix head v1', 32));
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Recovery code: 30 random bytes... shown once as groups of five Crockford base32 characters, so it
 * can be read aloud and typed without ambiguity (no I, L, O, U). 150 bits of entropy.
 */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export function newRecoveryCode(): string {
  const bytes = randomBytes(19);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  out = out.slice(0, 30);
  return out.match(/.{5}/g)!.join('-');
}

/** Accepts what a person types: any case, spaces or dashes, and the usual confusions. */
export function normaliseRecoveryCode(input: string): string {
  const cleaned = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return cleaned.match(/.{1,5}/g)?.join('-') ?? '';
}
