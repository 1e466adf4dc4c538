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
  createHash,
  createHmac,
  randomBytes,
  scrypt,
  scryptSync,
  timingSafeEqual,
} from 'node:crypto';
import { performance } from 'node:perf_hooks';

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
 * The floor: no vault made by the app derives with less. Tuned on the 2-core reference
 * workstation: measured derivation times were 507 ms at N=2^17,r=8, 1.06 s at N=2^18,r=8 and
 * 733 ms at N=2^17,r=12 (BENCHMARKS.md "Unlock"); other machines take 0.46 s to 0.58 s at this
 * cost. 2^17 × 12 × 128 B = 192 MiB per derivation. Each slot stores its own parameters, so
 * raising these never locks out an existing slot.
 */
export const SCRYPT_DEFAULT = { N: 2 ** 17, r: 12, p: 1 } as const;

/** Only for tests that create many vaults: never used by the app or the CLI. */
export const SCRYPT_TEST = { N: 2 ** 10, r: 8, p: 1 } as const;

/**
 * The cost of a key slot: scrypt's N, r and p. With `targetMs`, the vault calibrates at creation
 * (calibratedCost): the cost is raised from these values until one derivation takes about that
 * long on the workstation, and recorded in the vault for every slot it makes after.
 */
export interface KdfCost {
  N: number;
  r: number;
  p: number;
  targetMs?: number;
}

/** What the app and the command line ask for: about 0.75 s on the workstation that creates the vault, never below SCRYPT_DEFAULT. */
export const SCRYPT_APP: KdfCost = { ...SCRYPT_DEFAULT, targetMs: 750 };

/**
 * The only parameters a key file may ask for: what the app writes (SCRYPT_TEST up to the largest
 * cost calibration can choose, N=2^17 with r=32, 512 MiB) and nothing else. N must be a power of
 * two (scrypt refuses others, which used to surface as an internal error), and p is always 1. A
 * tampered file therefore cannot make an unlock allocate gigabytes or run for minutes.
 */
export const SCRYPT_LIMITS = { minN: 2 ** 10, maxN: 2 ** 17, minR: 1, maxR: 32, p: 1 } as const;

export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

/** Whether scrypt parameters are inside SCRYPT_LIMITS. */
export function isAllowedScryptCost(c: { N: number; r: number; p: number }): boolean {
  const L = SCRYPT_LIMITS;
  return isPowerOfTwo(c.N) && c.N >= L.minN && c.N <= L.maxN && Number.isInteger(c.r) && c.r >= L.minR && c.r <= L.maxR && c.p === L.p;
}

/** One derivation at `cost`, in milliseconds (a throwaway passphrase and salt). */
export function measureScryptMs(cost: { N: number; r: number; p: number }): number {
  const params = newScryptParams(cost);
  const started = performance.now();
  deriveKek('calibration only, never a passphrase', params).fill(0);
  return performance.now() - started;
}

/** The same measurement off the main thread (deriveKekAsync). */
export async function measureScryptMsAsync(cost: { N: number; r: number; p: number }): Promise<number> {
  const params = newScryptParams(cost);
  const started = performance.now();
  (await deriveKekAsync('calibration only, never a passphrase', params)).fill(0);
  return performance.now() - started;
}

/**
 * The cost a new vault uses. Without a target: the cost as given (tests). With one: N and p stay
 * at the floor's and r, which scales derivation time (and memory) linearly, is raised so one
 * derivation takes about `targetMs` here, never below the floor's r nor above SCRYPT_LIMITS.maxR.
 * Raising r rather than N gives steps of one twelfth rather than doubling, so a workstation lands
 * near the target instead of at 0.46 s or 0.92 s. One measurement: a busy machine measures slow
 * and so chooses a lower cost, which the floor bounds.
 */
export function calibratedCost(cost: KdfCost, measure: (c: { N: number; r: number; p: number }) => number = measureScryptMs): { N: number; r: number; p: number } {
  const floor = { N: cost.N, r: cost.r, p: cost.p };
  return cost.targetMs ? costForMeasured(floor, cost.targetMs, measure(floor)) : floor;
}

/** calibratedCost with its measurement off the main thread (the app's vault creation and first slot of an older vault). */
export async function calibratedCostAsync(cost: KdfCost): Promise<{ N: number; r: number; p: number }> {
  const floor = { N: cost.N, r: cost.r, p: cost.p };
  return cost.targetMs ? costForMeasured(floor, cost.targetMs, await measureScryptMsAsync(floor)) : floor;
}

function costForMeasured(floor: { N: number; r: number; p: number }, targetMs: number, ms: number): { N: number; r: number; p: number } {
  const r = ms > 0 ? Math.round((floor.r * targetMs) / ms) : SCRYPT_LIMITS.maxR;
  return { ...floor, r: Math.min(SCRYPT_LIMITS.maxR, Math.max(floor.r, r)) };
}

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

function scryptOptions(params: ScryptParams): { N: number; r: number; p: number; maxmem: number } {
  if (params.alg !== 'scrypt') throw new Error('unsupported KDF');
  return { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * params.p + 32 * 1024 * 1024 };
}

/** Passphrase → 256-bit key-encryption key, on this thread. never log: key material. */
export function deriveKek(passphrase: string, params: ScryptParams): Buffer {
  const options = scryptOptions(params);
  return scryptSync(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, options);
}

/**
 * The same derivation on libuv's thread pool (scrypt's callback form), so the main process keeps
 * serving the window while an unlock derives. never log: key material.
 */
export function deriveKekAsync(passphrase: string, params: ScryptParams): Promise<Buffer> {
  const options = scryptOptions(params);
  return new Promise((resolve, reject) => {
    scrypt(passphrase.normalize('NFC'), Buffer.from(params.salt, 'base64'), 32, options, (err, key) => (err ? reject(err) : resolve(key)));
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

/** The public key (spki DER, base64) of an X25519 private key (pkcs8 DER); null if it is not one. */
export function publicKeyOf(privateKeyDer: Buffer): string | null {
  try {
    const priv = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
    if (priv.asymmetricKeyType !== 'x25519') return null;
    return createPublicKey(priv).export({ type: 'spki', format: 'der' }).toString('base64');
  } catch {
    return null;
  }
}

/** SHA-256 of a public key's DER bytes, hex: what the vault's slot registry records. */
export function publicKeyHash(publicKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex');
}

export function hmacSha256(key: Buffer, message: string): Buffer {
  return createHmac('sha256', key).update(message, 'utf8').digest();
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
