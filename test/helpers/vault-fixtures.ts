/**
 * Shared set-up for the vault, audit and IPC tests: temp folders, a controllable clock, a vault
 * created through the real services with cheap scrypt (SCRYPT_TEST), file fingerprints, canary
 * scanning, and test-only ways to reach the data key through the same crypto the app uses.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveKek, newScryptParams, newSlotKeyPair, SCRYPT_TEST, sealToPublicKey } from '../../main/vault/crypto';
import { openDatabase, type Db } from '../../main/vault/database';
import { VaultError } from '../../main/vault/errors';
import { isSlotNamed, keysPathFor, openSlotDataKey, openSlotPrivateKey, readKeyFile, type Slot } from '../../main/vault/keyfile';
import { MIGRATIONS } from '../../main/vault/migrations';
import { slotSigningKey, type SigningKey } from '../../main/vault/signing';
import { normaliseRecoveryCode } from '../../main/vault/crypto';
import { Vault, type UnlockedVault } from '../../main/vault/vault';
import type { AppContext } from '../../main/services/context';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';

/** Acceptable under the policy (checked in passphrase.test.ts) and free of the users' names. */
export const ADMIN = { name: 'Alice Admin', passphrase: 'granite orbit lantern 47' } as const;
export const ANALYST = { name: 'Bob Analyst', passphrase: 'velvet cactus harbour 93' } as const;
export const SUPERVISOR = { name: 'Carol Supervisor', passphrase: 'amber tundra whistle 28' } as const;
export const VALIDATOR = { name: 'Dev Validator', passphrase: 'copper meadow fiddle 61' } as const;
export const READER = { name: 'Eve Reader', passphrase: 'marble geyser pickle 15' } as const;

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `hm-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A clock the test moves by hand, so throttling and audit times are exact. */
export class TestClock {
  constructor(public t = Date.parse('2026-06-30T09:00:00.000Z')) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export function testContext(dir: string, overrides: Partial<AppContext> = {}): AppContext {
  return {
    stateDir: join(dir, 'state'),
    documentsDir: dir,
    now: () => new Date(),
    kdfCost: SCRYPT_TEST,
    appVersion: 'test',
    ...overrides,
  };
}

export interface TestVault {
  dir: string;
  ctx: AppContext;
  session: Session;
  path: string;
  recoveryCode: string;
  adminId: string;
}

/** Create a vault through the services, unlocked as ADMIN, recovery confirmed unless asked not to. */
export function createTestVault(opts: { dir?: string; label?: string; ctx?: Partial<AppContext>; fileName?: string; confirm?: boolean } = {}): TestVault {
  const dir = opts.dir ?? tempDir(opts.label ?? 'vault');
  const vaultDir = join(dir, 'vaults');
  mkdirSync(vaultDir, { recursive: true });
  const ctx = testContext(dir, opts.ctx);
  const session = new Session(ctx);
  const path = join(vaultDir, opts.fileName ?? 'unit.hmvault');
  const { recoveryCode } = vaultService.createVault(session, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase });
  if (opts.confirm !== false) vaultService.confirmRecovery(session);
  return { dir, ctx, session, path, recoveryCode, adminId: session.user!.id };
}

/** The error a call throws, so its code and message can be compared exactly. */
export function caught(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VaultError) return e;
    throw e;
  }
  throw new Error('expected the call to throw a VaultError');
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hash of a file's bytes, or null when it does not exist. */
export function fileHash(path: string): string | null {
  return existsSync(path) ? sha256(readFileSync(path)) : null;
}

/** Every file in a folder (not recursive) with its hash: the whole on-disk state of a vault folder. */
export function folderSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isFile()) out[name] = sha256(readFileSync(p));
  }
  return out;
}

/** Regular files under `dir`; with `since` (ms), only those created or changed since then. */
export function listFilesRecursive(dir: string, since = 0): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const p = join(dir, name);
    let st;
    try {
      st = lstatSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      out.push(...listFilesRecursive(p, since));
    } else if (st.isFile() && (since === 0 || st.mtimeMs >= since || st.ctimeMs >= since)) {
      out.push(p);
    }
  }
  return out;
}

/** The byte patterns a leaked string could take on disk: UTF-8, UTF-16LE and UTF-16BE. */
export function encodings(s: string): Buffer[] {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.from(le);
  be.swap16();
  return [Buffer.from(s, 'utf8'), le, be];
}

export interface CanaryHit {
  file: string;
  canary: string;
}

/** Files (read in full) that contain any canary in any encoding. Unreadable files are skipped. */
export function findCanaries(files: string[], canaries: string[], maxBytes = 512 * 1024 * 1024): CanaryHit[] {
  const patterns = canaries.map((c) => ({ canary: c, bufs: encodings(c) }));
  const hits: CanaryHit[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      if (statSync(file).size > maxBytes) continue;
      buf = readFileSync(file);
    } catch {
      continue;
    }
    for (const p of patterns) if (p.bufs.some((b) => buf.includes(b))) hits.push({ file, canary: p.canary });
  }
  return hits;
}

/** Flip one byte at `offset` (XOR 0xff) in place. */
export function flipByte(path: string, offset: number): void {
  const fd = openSync(path, 'r+');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, offset);
    b[0] ^= 0xff;
    writeSync(fd, b, 0, 1, offset);
  } finally {
    closeSync(fd);
  }
}

/**
 * Test-only: unlock at the vault layer, with no audit entry, using a state folder of its own so
 * the workstation's failure counts and audit head are not touched.
 */
export function vaultLayerUnlock(dir: string, path: string, userName: string | null, secret: string): UnlockedVault {
  return Vault.unlock({ stateDir: join(dir, 'harness-state'), now: () => new Date(), kdfCost: SCRYPT_TEST }, { path, userName, secret });
}

/**
 * Test-only: a user's audit signing key, as their own unlock derives it from their slot, for tests
 * that switch the signed-in user on one session. never log: key material.
 */
export function slotSigner(vaultPath: string, userId: string, secret: string): { signer: SigningKey; slotId: string } {
  const keys = readKeyFile(keysPathFor(vaultPath));
  const slot = keys.slots.find((s) => s.kind === 'user' && s.userId === userId);
  if (!slot) throw new Error(`no slot for user ${userId}`);
  const priv = openSlotPrivateKey(keys.vaultId, slot, secret);
  if (!priv) throw new Error('wrong secret for slot');
  try {
    return { signer: slotSigningKey(priv, keys.vaultId, slot.id), slotId: slot.id };
  } finally {
    priv.fill(0);
  }
}

/** Test-only: the data key a slot holds, through the same crypto the app uses. never log: key material. */
export function dataKeyFromSlot(keysPath: string, userName: string | null, secret: string): Buffer {
  const keys = readKeyFile(keysPath);
  const slot =
    userName === null
      ? keys.slots.find((s) => s.kind === 'recovery')
      : keys.slots.find((s) => isSlotNamed(keys.vaultId, s, userName));
  if (!slot) throw new Error(`no slot for ${userName ?? 'recovery'}`);
  const priv = openSlotPrivateKey(keys.vaultId, slot, userName === null ? normaliseRecoveryCode(secret) : secret);
  if (!priv) throw new Error('wrong secret for slot');
  const key = openSlotDataKey(keys.vaultId, slot, priv, keys.generation);
  if (!key) throw new Error('slot does not open the data key');
  return key;
}

/** Test-only: which of `names` each slot of a key file answers to (by its hash, as unlock matches), or null. */
export function slotNames(keysPath: string, names: readonly string[]): (string | null)[] {
  const keys = readKeyFile(keysPath);
  return keys.slots.map((s) => names.find((n) => isSlotNamed(keys.vaultId, s, n)) ?? null);
}

/** Test-only: open a vault file read-only with a raw data key (throws VaultError 'damaged' if the key is wrong). */
export function openReadOnlyWithKey(path: string, dataKey: Buffer): Db {
  return openDatabase(path, dataKey, { mode: 'open', migrations: MIGRATIONS, purpose: 'verify' });
}

export { keysPathFor };

/** A slot in the first format (before this version), written out here with its own AADs. */
export function legacySlot(vaultId: string, a: { id: string; kind: 'user' | 'recovery'; userId: string | null; userName: string | null; secret: string; dataKey: Buffer; generation: number }): Slot {
  const kp = newSlotKeyPair();
  const kdf = newScryptParams(SCRYPT_TEST);
  const kek = deriveKek(a.secret, kdf);
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', kek, iv);
  c.setAAD(Buffer.from(`harm-matrix slot-private v1|${vaultId}|${a.id}|${a.userId ?? 'recovery'}`, 'utf8'));
  const ct = Buffer.concat([c.update(kp.privateKeyDer), c.final()]);
  return {
    id: a.id,
    kind: a.kind,
    userId: a.userId,
    userName: a.userName,
    publicKey: kp.publicKey,
    kdf,
    wrappedPrivateKey: { iv: toB64(iv), ct: toB64(ct), tag: toB64(c.getAuthTag()) },
    sealedDataKey: sealToPublicKey(kp.publicKey, a.dataKey, `harm-matrix data-key v1|${vaultId}|${a.id}|${a.generation}`),
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}

const toB64 = (b: Buffer) => b.toString('base64');
