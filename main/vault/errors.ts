/**
 * Errors the vault and services raise on purpose. Their messages are written for the person at
 * the screen: plain sentences, no paths of other users' files, no SQL, no key material.
 * Anything else that is thrown is a bug and reaches the renderer only as a generic message.
 */
export type ErrorCode =
  | 'invalid_input'
  | 'forbidden'
  | 'locked'
  | 'no_vault'
  | 'wrong_passphrase'
  | 'rate_limited'
  | 'not_found'
  | 'conflict'
  | 'weak_passphrase'
  | 'not_a_vault'
  | 'damaged'
  | 'newer_version'
  | 'in_use'
  | 'exists'
  | 'keys_missing'
  | 'keys_damaged'
  | 'audit_broken'
  | 'user_removed'
  | 'io_error'
  | 'internal';

export class VaultError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export function isVaultError(e: unknown): e is VaultError {
  return e instanceof VaultError;
}
