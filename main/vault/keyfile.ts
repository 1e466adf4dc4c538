/**
 * The key file beside the vault (`<vault>.keys`): one slot per user plus the recovery slot.
 * It holds no secret in clear; every secret in it is wrapped or sealed (see crypto.ts). Nor does it
 * name anyone: a user slot keeps a salted hash of its user's name (nameHashOf).
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
import { createHash, randomBytes, randomUUID } from 'node:crypto';
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
/** A user slot's name, hashed (nameHashOf): the salt and the SHA-256. */
const nameHash = z.object({ salt: b64, hash: b64 });
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
  /**
   * The user's name in clear, as versions before names were hashed wrote it: still read, never
   * written (writeKeyFile replaces it with nameHash). Only a lookup, like nameHash: the wrapped
   * private key is bound to userId, not the name.
   */
  userName: z.string().nullable().optional(),
  /** For user slots: a salted hash of the user's name, so the name typed at unlock finds the slot and the file names nobody. */
  nameHash: nameHash.optional(),
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
export type NameHash = z.infer<typeof nameHash>;
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
  const out = withoutClearNames(file);
  keyFileSchema.parse(out);
  writeFileAtomic(path, `${JSON.stringify(out, null, 2)}\n`);
}

/* ---- Names ------------------------------------------------------------------------------------ */

/**
 * One spelling of a name for matching: NFKC, trimmed, each run of white space one space, lower
 * case (toLowerCase, as names have always been compared here and in users.service).
 */
export function normaliseUserName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/**
 * The hash a user slot keeps instead of its user's name: SHA-256 of the normalised name with the
 * vault's id and a random salt of the slot's own, so the same name hashes differently in every
 * slot and every vault. A fast hash, not a slow KDF, on purpose: a name is not a secret, and the
 * hash is there to keep names out of plain sight (a backup, a copied folder, a search of a disk),
 * not to withstand guessing. Someone with the file and a list of likely names can confirm which of
 * them have a slot; a slow KDF would only slow that down, at a cost every unlock would pay for
 * every slot.
 */
export function nameHashOf(vaultId: string, name: string, salt: string = randomBytes(16).toString('base64')): NameHash {
  const hash = createHash('sha256').update(`harm-matrix user-name v1|${vaultId}|${salt}|${normaliseUserName(name)}`, 'utf8').digest('base64');
  return { salt, hash };
}

/**
 * Is this the named user's slot? A hashed slot is checked by hashing the name with the slot's own
 * salt (the same work for every slot, whoever it belongs to); an older slot by its clear name.
 */
export function isSlotNamed(vaultId: string, slot: Slot, name: string): boolean {
  if (slot.kind !== 'user') return false;
  if (slot.nameHash) return nameHashOf(vaultId, name, slot.nameHash.salt).hash === slot.nameHash.hash;
  return typeof slot.userName === 'string' && normaliseUserName(slot.userName) === normaliseUserName(name);
}

/** The name a remade slot carries on: its hash, or an older slot's clear name (hashed as the slot is made). */
export function slotNameOf(slot: Slot): NameHash | string | null {
  return slot.nameHash ?? slot.userName ?? null;
}

/** Does the file still name a user in clear (written before names were hashed)? */
export function hasClearNames(file: KeyFile): boolean {
  return file.slots.some((s) => typeof s.userName === 'string');
}

/** The file as it is written: every clear name replaced by its hash. No secret is needed for it. */
function withoutClearNames(file: KeyFile): KeyFile {
  if (!file.slots.some((s) => s.userName !== undefined)) return file;
  const slots = file.slots.map(({ userName, ...slot }): Slot => {
    if (slot.nameHash || slot.kind !== 'user' || typeof userName !== 'string') return slot;
    return { ...slot, nameHash: nameHashOf(file.vaultId, userName) };
  });
  return { ...file, slots };
}

/** A new slot's name field: a name is hashed with a fresh salt, a hash carried on as it is. */
function nameFieldOf(vaultId: string, name: NameHash | string | null): { nameHash?: NameHash } {
  if (name === null) return {};
  return { nameHash: typeof name === 'string' ? nameHashOf(vaultId, name) : name };
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

/** Write a file that must not exist yet ('wx': never through a file or link already there), owner-only, fsynced. */
export function writeNewFile(path: string, data: Buffer | string): void {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const fd = openSync(path, 'wx', 0o600);
  try {
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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

/**
 * A new slot's KDF parameters (a fresh salt, at the vault's cost) and the key its secret derives
 * with them: derived ahead, off the main thread, so making the slot itself is quick. Whoever
 * derives it wipes it after use (wipeSlotKey). never log: key material.
 */
export interface DerivedSlotKey {
  kdf: ScryptParams;
  kek: Buffer;
}

/** Derive a new slot's key from its secret on libuv's thread pool (crypto.ts deriveKekAsync). never log: key material. */
export async function deriveNewSlotKey(secret: string, cost: { N: number; r: number; p: number }): Promise<DerivedSlotKey> {
  const kdf = newScryptParams(cost);
  assertSlotKdf(kdf);
  return { kdf, kek: await deriveKekAsync(secret, kdf) };
}

export function wipeSlotKey(d: DerivedSlotKey | null | undefined): void {
  d?.kek.fill(0);
}

/**
 * A new slot whose secret is `secret` (a passphrase or the recovery code), in format 2. With
 * `derived` (deriveNewSlotKey, from the same secret) nothing is derived here: its parameters and
 * key are used as they are, and stay the caller's to wipe. never log: key material.
 */
export function makeSlot(args: {
  vaultId: string;
  /** Keep a slot's id when it is remade (a passphrase change); a new slot gets a new one. */
  id?: string;
  kind: SlotKind;
  userId: string | null;
  /** A user slot's name (hashed here) or the hash of the slot it remakes; null for a recovery slot. */
  userName: NameHash | string | null;
  secret: string;
  dataKey: Buffer;
  generation: number;
  kdfCost: { N: number; r: number; p: number };
  /** The slot's commitment key, recorded in the registry in the same change. never log: key material. */
  commitKey: Buffer;
  now: Date;
  /** Receives the new slot's audit signing key (main/vault/signing.ts). never log: key material. */
  onSigningKey?: (key: SigningKey) => void;
  /** The secret's key, derived ahead with the slot's new parameters. never log: key material. */
  derived?: DerivedSlotKey;
}): Slot {
  if (args.derived) {
    assertSlotKdf(args.derived.kdf);
    return sealNewSlot({ ...args, kdf: args.derived.kdf, kek: args.derived.kek });
  }
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
  userName: NameHash | string | null;
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
      ...nameFieldOf(args.vaultId, args.userName),
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
