/**
 * The audit log's signing keys: Ed25519 (node:crypto; BoringSSL in Electron has it too).
 *
 * A user's signing key is not stored anywhere. It is derived from the X25519 private key inside
 * that user's passphrase-wrapped key slot (HKDF-SHA-256 over the private key, bound to the vault
 * and the slot), so it exists only while that slot is open, and every new slot (a passphrase
 * change, a reset, a format upgrade) has a new one: a copy of an older slot, or a first
 * passphrase someone else chose, gives a key the log no longer accepts once the new one is used.
 * The recovery slot has one the same way. never log: key material.
 *
 * What the log records is the public half and its id (the first 32 hex digits of the SHA-256 of
 * its DER), registered by a signed statement (audit.ts).
 */
import { createHash, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from 'node:crypto';

/** PKCS#8 DER of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface SigningKey {
  keyId: string;
  /** spki DER, base64 */
  publicKey: string;
  /** never log: key material */
  privateKey: KeyObject;
}

export function signingKeyId(publicKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyB64, 'base64')).digest('hex').slice(0, 32);
}

/** The signing key of a key slot, from the slot's X25519 private key (pkcs8 DER). never log: key material. */
export function slotSigningKey(slotPrivateKeyDer: Buffer, vaultId: string, slotId: string): SigningKey {
  const jwk = createPrivateKey({ key: slotPrivateKeyDer, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  const raw = Buffer.from(String(jwk.d), 'base64url');
  const seed = Buffer.from(hkdfSync('sha256', raw, Buffer.from(vaultId, 'utf8'), `harm-matrix audit-signing v1|${slotId}`, 32));
  raw.fill(0);
  const der = Buffer.concat([ED25519_PKCS8_PREFIX, seed]);
  seed.fill(0);
  try {
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    const publicKey = createPublicKey(privateKey).export({ type: 'spki', format: 'der' }).toString('base64');
    return { keyId: signingKeyId(publicKey), publicKey, privateKey };
  } finally {
    der.fill(0);
  }
}

export function signText(key: SigningKey, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), key.privateKey).toString('base64');
}

const publicKeys = new Map<string, KeyObject>();

/** Checks an Ed25519 signature (base64) over `text` by the public key (spki DER, base64). */
export function verifyText(publicKeyB64: string, text: string, signatureB64: string): boolean {
  let key = publicKeys.get(publicKeyB64);
  try {
    if (!key) {
      key = createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' });
      if (key.asymmetricKeyType !== 'ed25519') return false;
      if (publicKeys.size > 1000) publicKeys.clear();
      publicKeys.set(publicKeyB64, key);
    }
    const sig = Buffer.from(signatureB64, 'base64');
    return sig.length === 64 && verify(null, Buffer.from(text, 'utf8'), key, sig);
  } catch {
    return false;
  }
}
