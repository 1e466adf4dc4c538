/**
 * The key file beside the vault (`<vault>.keys`): one slot per user plus the recovery slot.
 * It holds no secret in clear; every secret in it is wrapped or sealed (see crypto.ts).
 * Written atomically (temp file, fsync, rename, fsync folder) so a crash leaves the old or the new
 * file, never half of one.
 *
 * The file is not trusted as a set: anyone who can write to the folder can add, replace or put
 * back a slot. Which slots are legitimate is recorded inside the encrypted vault (slot-registry.ts)
 * and checked at every unlock and before every rotation.
 *
 * Slot formats. Format 1 (no `format` field) bound the wrapped private key to the vault, slot and
 * user only. Format 2 also binds the slot's kind, the SHA-256 of its public key and its KDF
 * parameters into both AADs, and puts a commitment to the real vault inside the passphrase-wrapped
 * part: an HMAC under a per-slot key that only the vault's registry holds, so a database built by
 * someone else cannot answer for it (vault substitution). Format-1 slots still open; each is
 * rewritten in format 2 the next time its secret is at hand: its owner's next unlock (with the key
 * already derived for that unlock, so at no extra cost), a passphrase change or reset, or a new
 * recovery code. A data-key rotation re-seals a format-1 slot with its format-1 AAD, as the owner's
 * wrapped part cannot be rewritten without the owner's secret.
 */
import { closeSync, constants as fsConstants, copyFileSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, writeSync, existsSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  aesGcmOpen,
  aesGcmSeal,
  deriveKek,
  deriveKekAsync,
  hmacSha256,
  isAllowedScryptCost,
  isPowerOfTwo,
  newScryptParams,
  newSlotKeyPair,
  openSealed,
  publicKeyHash,
  publicKeyOf,
  SCRYPT_LIMITS,
  sealToPublicKey,
  type KdfCost,
  type ScryptParams,
  type SealedToPublicKey,
} from './crypto';
import { VaultError } from './errors';
import { slotSigningKey, type SigningKey } from './signing';

export type { KdfCost };

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealed = z.object({ iv: b64, ct: b64, tag: b64 });
const sealedToPk = sealed.extend({ epk: b64 });
/** Bounded to what the app writes (crypto.ts SCRYPT_LIMITS): see KDF_REFUSED. */
const scryptParams = z.object({
  alg: z.literal('scrypt'),
  N: z.number().int().min(SCRYPT_LIMITS.minN).max(SCRYPT_LIMITS.maxN).refine(isPowerOfTwo, 'N must be a power of two'),
  r: z.number().int().min(SCRYPT_LIMITS.minR).max(SCRYPT_LIMITS.maxR),
  p: z.number().int().min(SCRYPT_LIMITS.p).max(SCRYPT_LIMITS.p),
  salt: b64,
});

const slotSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['user', 'recovery']),
  /** For user slots: the user's id in the vault's users table (authoritative for role and status). */
  userId: z.string().nullable(),
  /** A lookup hint for the unlock screen; the wrapped private key is bound to userId, not the name. */
  userName: z.string().nullable(),
  publicKey: b64,
  kdf: scryptParams,
  wrappedPrivateKey: sealed,
  sealedDataKey: sealedToPk,
  updatedAt: z.string(),
  /** 2 for the current format (see the top of this file); absent for format 1. */
  format: z.literal(2).optional(),
});

const keyFileSchema = z.object({
  format: z.literal('harm-matrix-keys'),
  version: z.literal(1),
  vaultId: z.string().uuid(),
  /** Increases by one each time the data key is rotated. */
  generation: z.number().int().min(1),
  slots: z.array(slotSchema).min(1),
  /**
   * Set only while a data-key rotation is under way: the next key sealed to each slot. If the
   * app stops after the database was re-keyed but before this file was finalised, the next
   * unlock finds that the current key no longer opens the database and uses this one.
   */
  pending: z
    .object({ generation: z.number().int(), sealed: z.record(z.string(), sealedToPk) })
    .nullable(),
});

export type Slot = z.infer<typeof slotSchema>;
export type KeyFile = z.infer<typeof keyFileSchema>;

export function keysPathFor(vaultPath: string): string {
  return `${vaultPath}.keys`;
}

export function readKeyFile(path: string): KeyFile {
  if (!existsSync(path)) {
    throw new VaultError('keys_missing', 'The key file for this vault is missing. Restore it from the backup it was saved with.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new VaultError('keys_damaged', 'The key file for this vault is damaged and cannot be read.');
  }
  const result = keyFileSchema.safeParse(parsed);
  if (!result.success) {
    if (result.error.issues.some((i) => i.path.includes('kdf'))) throw new VaultError('keys_damaged', KDF_REFUSED);
    throw new VaultError('keys_damaged', 'The key file for this vault is damaged and cannot be read.');
  }
  return result.data;
}

/** A slot asking for key-derivation settings the app never writes: a damaged or altered file, never run. */
export const KDF_REFUSED =
  'The key file for this vault asks for key-derivation settings that Harm Matrix never writes, so it has been damaged or altered. It was not used; restore the key file from a backup.';

/** Atomic replace: write a temp file in the same folder, fsync, rename over, fsync the folder. */
export function writeFileAtomic(path: string, data: string | Buffer): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* the temp file may already be gone */
    }
    throw e;
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* some filesystems do not allow fsync on a folder; the rename is still atomic */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function writeKeyFile(path: string, file: KeyFile): void {
  keyFileSchema.parse(file);
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}

/**
 * Give a finished temp file its final name without ever replacing what is there: a hard link
 * fails if the name is taken (unlike rename), then the temp name goes. Where the filesystem has no
 * hard links (FAT on removable media), a rename after a fresh check is the best it allows.
 */
export function publishNoReplace(tmp: string, target: string): void {
  try {
    linkSync(tmp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new VaultError('exists', 'A vault or file already exists at that location. Choose a new file name.');
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EOPNOTSUPP') throw e;
    if (existsSync(target)) throw new VaultError('exists', 'A vault or file already exists at that location. Choose a new file name.');
    renameSync(tmp, target);
    return;
  }
  unlinkSync(tmp);
}

/**
 * Copy a file to a name that must be new: COPYFILE_EXCL makes the copy fail rather than write
 * through a file or symbolic link already at `dest`.
 */
export function copyFileExclusive(src: string, dest: string): void {
  copyFileSync(src, dest, fsConstants.COPYFILE_EXCL);
}

/** A random temp name beside `path` (never predictable, so nothing can be planted there first). */
export function tempNameBeside(path: string, label: string): string {
  return join(dirname(path), `.${basename(path)}.${label}-${randomBytes(8).toString('hex')}.tmp`);
}

/* ---- Slots ------------------------------------------------------------------------------------ */

export type SlotKind = 'user' | 'recovery';

function kdfLabel(k: ScryptParams): string {
  return `scrypt N=${k.N} r=${k.r} p=${k.p} salt=${k.salt}`;
}

/** AAD of the passphrase-wrapped private key. */
function privAad(vaultId: string, slot: Pick<Slot, 'id' | 'kind' | 'userId' | 'publicKey' | 'kdf' | 'format'>): string {
  if (slot.format === 2) {
    return `harm-matrix slot-private v2|${vaultId}|${slot.id}|${slot.kind}|${slot.userId ?? 'recovery'}|${publicKeyHash(slot.publicKey)}|${kdfLabel(slot.kdf)}`;
  }
  return `harm-matrix slot-private v1|${vaultId}|${slot.id}|${slot.userId ?? 'recovery'}`;
}

/** AAD of the data key sealed to a slot, in the slot's format. */
export function dataKeyAad(vaultId: string, slot: Pick<Slot, 'id' | 'kind' | 'publicKey' | 'format'>, generation: number): string {
  if (slot.format === 2) return `harm-matrix data-key v2|${vaultId}|${slot.id}|${slot.kind}|${publicKeyHash(slot.publicKey)}|${generation}`;
  return `harm-matrix data-key v1|${vaultId}|${slot.id}|${generation}`;
}

/**
 * The commitment a format-2 slot carries inside its wrapped part: an HMAC under the slot's own
 * commitment key, which only the genuine vault's registry holds. never log: key material.
 */
export function slotCommitment(commitKey: Buffer, vaultId: string, slot: Pick<Slot, 'id' | 'kind' | 'userId' | 'publicKey'>): Buffer {
  return hmacSha256(commitKey, `harm-matrix slot-commit v2|${vaultId}|${slot.id}|${slot.kind}|${slot.userId ?? 'recovery'}|${publicKeyHash(slot.publicKey)}`);
}

const WRAP_V2 = 2;
const COMMITMENT_BYTES = 32;

/** Refuse, with a sentence, parameters outside what the app writes (the schema already does; this holds for slots made in code). */
export function assertSlotKdf(kdf: ScryptParams): void {
  if (kdf.alg !== 'scrypt' || !isAllowedScryptCost(kdf)) throw new VaultError('keys_damaged', KDF_REFUSED);
}

/** The key a slot's secret derives, on this thread. never log: key material. */
export function slotKek(slot: Slot, secret: string): Buffer {
  assertSlotKdf(slot.kdf);
  return deriveKek(secret, slot.kdf);
}

/** The same off the main thread (see crypto.ts deriveKekAsync). never log: key material. */
export function slotKekAsync(slot: Slot, secret: string): Promise<Buffer> {
  assertSlotKdf(slot.kdf);
  return deriveKekAsync(secret, slot.kdf);
}

/** What a slot's secret opens: its private key, the public key that private key has, and (format 2) its vault commitment. */
export interface OpenedSlot {
  /** pkcs8 DER. never log: key material. */
  privateKey: Buffer;
  /** Computed from the private key: for format 1, the only proof the file's public key is the slot's own. */
  publicKey: string | null;
  commitment: Buffer | null;
}

/** Unwrap with an already derived key. Null for a wrong secret (the GCM tag fails) or a wrapped part of the wrong shape. */
export function openSlotWithKek(vaultId: string, slot: Slot, kek: Buffer): OpenedSlot | null {
  const plain = aesGcmOpen(kek, slot.wrappedPrivateKey, privAad(vaultId, slot));
  if (!plain) return null;
  if (slot.format !== 2) return { privateKey: plain, publicKey: publicKeyOf(plain), commitment: null };
  if (plain.length <= 1 + COMMITMENT_BYTES || plain[0] !== WRAP_V2) {
    plain.fill(0);
    return null;
  }
  const privateKey = Buffer.from(plain.subarray(1 + COMMITMENT_BYTES));
  const commitment = Buffer.from(plain.subarray(1, 1 + COMMITMENT_BYTES));
  plain.fill(0);
  return { privateKey, publicKey: publicKeyOf(privateKey), commitment };
}

/** A new slot whose secret is `secret` (a passphrase or the recovery code), in format 2. never log: key material. */
export function makeSlot(args: {
  vaultId: string;
  /** Keep a slot's id when it is remade (a passphrase change); a new slot gets a new one. */
  id?: string;
  kind: SlotKind;
  userId: string | null;
  userName: string | null;
  secret: string;
  dataKey: Buffer;
  generation: number;
  kdfCost: { N: number; r: number; p: number };
  /** The slot's commitment key, recorded in the registry in the same change. never log: key material. */
  commitKey: Buffer;
  now: Date;
  /** Receives the new slot's audit signing key (main/vault/signing.ts). never log: key material. */
  onSigningKey?: (key: SigningKey) => void;
}): Slot {
  const kdf = newScryptParams(args.kdfCost);
  assertSlotKdf(kdf);
  const kek = deriveKek(args.secret, kdf);
  try {
    return sealNewSlot({ ...args, kdf, kek });
  } finally {
    kek.fill(0);
  }
}

/**
 * Build a format-2 slot from a derived key: a fresh key pair every time, so a copy of an older
 * slot (a first passphrase someone else chose) unwraps a private key nothing is sealed to any more.
 * never log: key material.
 */
export function sealNewSlot(args: {
  vaultId: string;
  id?: string;
  kind: SlotKind;
  userId: string | null;
  userName: string | null;
  kdf: ScryptParams;
  kek: Buffer;
  dataKey: Buffer;
  generation: number;
  commitKey: Buffer;
  now: Date;
  /** Receives the new slot's audit signing key (main/vault/signing.ts). never log: key material. */
  onSigningKey?: (key: SigningKey) => void;
}): Slot {
  const kp = newSlotKeyPair();
  const head = { id: args.id ?? randomUUID(), kind: args.kind, userId: args.userId, publicKey: kp.publicKey, kdf: args.kdf, format: 2 as const };
  const inner = Buffer.concat([Buffer.from([WRAP_V2]), slotCommitment(args.commitKey, args.vaultId, head), kp.privateKeyDer]);
  try {
    args.onSigningKey?.(slotSigningKey(kp.privateKeyDer, args.vaultId, head.id));
    return {
      id: head.id,
      kind: args.kind,
      userId: args.userId,
      userName: args.userName,
      publicKey: kp.publicKey,
      kdf: args.kdf,
      wrappedPrivateKey: aesGcmSeal(args.kek, inner, privAad(args.vaultId, head)),
      sealedDataKey: sealToPublicKey(kp.publicKey, args.dataKey, dataKeyAad(args.vaultId, head, args.generation)),
      updatedAt: args.now.toISOString(),
      format: 2,
    };
  } finally {
    inner.fill(0);
    kp.privateKeyDer.fill(0);
  }
}

/**
 * Unwrap a slot's private key with its secret. Returns null for a wrong secret (the GCM tag fails).
 * The expensive part is the KDF; callers time it for the benchmark. never log: key material.
 */
export function openSlotPrivateKey(vaultId: string, slot: Slot, secret: string): Buffer | null {
  const kek = slotKek(slot, secret);
  try {
    const opened = openSlotWithKek(vaultId, slot, kek);
    if (opened?.commitment) opened.commitment.fill(0);
    return opened?.privateKey ?? null;
  } finally {
    kek.fill(0);
  }
}

export function openSlotDataKey(vaultId: string, slot: Slot, privateKey: Buffer, generation: number, sealedKey?: SealedToPublicKey): Buffer | null {
  return openSealed(privateKey, sealedKey ?? slot.sealedDataKey, dataKeyAad(vaultId, slot, generation));
}

export function sealForSlot(vaultId: string, slot: Slot, dataKey: Buffer, generation: number): SealedToPublicKey {
  return sealToPublicKey(slot.publicKey, dataKey, dataKeyAad(vaultId, slot, generation));
}
