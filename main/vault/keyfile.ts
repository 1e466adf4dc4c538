/**
 * The key file beside the vault (`<vault>.keys`): one slot per user plus the recovery slot.
 * It holds no secret in clear; every secret in it is wrapped or sealed (see crypto.ts).
 * Written atomically (temp file, fsync, rename, fsync folder) so a crash leaves the old or the new
 * file, never half of one.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, existsSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  aesGcmOpen,
  aesGcmSeal,
  deriveKek,
  newScryptParams,
  newSlotKeyPair,
  openSealed,
  sealToPublicKey,
  type ScryptParams,
  type SealedToPublicKey,
} from './crypto';
import { VaultError } from './errors';

const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const sealed = z.object({ iv: b64, ct: b64, tag: b64 });
const sealedToPk = sealed.extend({ epk: b64 });
const scryptParams = z.object({
  alg: z.literal('scrypt'),
  N: z.number().int().min(2 ** 10).max(2 ** 22),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
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
  if (!result.success) throw new VaultError('keys_damaged', 'The key file for this vault is damaged and cannot be read.');
  return result.data;
}

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

function privAad(vaultId: string, slotId: string, userId: string | null): string {
  return `harm-matrix slot-private v1|${vaultId}|${slotId}|${userId ?? 'recovery'}`;
}
export function dataKeyAad(vaultId: string, slotId: string, generation: number): string {
  return `harm-matrix data-key v1|${vaultId}|${slotId}|${generation}`;
}

export interface KdfCost {
  N: number;
  r: number;
  p: number;
}

/** A new slot whose secret is `secret` (a passphrase or the recovery code). never log: key material. */
export function makeSlot(args: {
  vaultId: string;
  kind: 'user' | 'recovery';
  userId: string | null;
  userName: string | null;
  secret: string;
  dataKey: Buffer;
  generation: number;
  kdfCost: KdfCost;
  now: Date;
}): Slot {
  const id = randomUUID();
  const kp = newSlotKeyPair();
  const kdf = newScryptParams(args.kdfCost);
  const kek = deriveKek(args.secret, kdf);
  try {
    return {
      id,
      kind: args.kind,
      userId: args.userId,
      userName: args.userName,
      publicKey: kp.publicKey,
      kdf,
      wrappedPrivateKey: aesGcmSeal(kek, kp.privateKeyDer, privAad(args.vaultId, id, args.userId)),
      sealedDataKey: sealToPublicKey(kp.publicKey, args.dataKey, dataKeyAad(args.vaultId, id, args.generation)),
      updatedAt: args.now.toISOString(),
    };
  } finally {
    kek.fill(0);
    kp.privateKeyDer.fill(0);
  }
}

/**
 * Unwrap a slot's private key with its secret. Returns null for a wrong secret (the GCM tag fails).
 * The expensive part is the KDF; callers time it for the benchmark. never log: key material.
 */
export function openSlotPrivateKey(vaultId: string, slot: Slot, secret: string): Buffer | null {
  const kek = deriveKek(secret, slot.kdf as ScryptParams);
  try {
    return aesGcmOpen(kek, slot.wrappedPrivateKey, privAad(vaultId, slot.id, slot.userId));
  } finally {
    kek.fill(0);
  }
}

export function openSlotDataKey(vaultId: string, slot: Slot, privateKey: Buffer, generation: number, sealedKey?: SealedToPublicKey): Buffer | null {
  return openSealed(privateKey, sealedKey ?? slot.sealedDataKey, dataKeyAad(vaultId, slot.id, generation));
}

/** Rewrap a slot's private key under a new secret; the slot keeps its id and key pair. */
export function rewrapSlot(vaultId: string, slot: Slot, privateKey: Buffer, newSecret: string, kdfCost: KdfCost, now: Date): Slot {
  const kdf = newScryptParams(kdfCost);
  const kek = deriveKek(newSecret, kdf);
  try {
    return {
      ...slot,
      kdf,
      wrappedPrivateKey: aesGcmSeal(kek, privateKey, privAad(vaultId, slot.id, slot.userId)),
      updatedAt: now.toISOString(),
    };
  } finally {
    kek.fill(0);
  }
}

export function sealForSlot(vaultId: string, slot: Slot, dataKey: Buffer, generation: number): SealedToPublicKey {
  return sealToPublicKey(slot.publicKey, dataKey, dataKeyAad(vaultId, slot.id, generation));
}
