/**
 * Errors the vault and services raise on purpose. Their messages are written for the person at
 * the screen: plain sentences, no paths of other users' files, no SQL, no key material.
 * Anything else that is thrown is a bug and reaches the renderer only as a generic message.
 */
import type { ErrorCode } from '../../preload/contract/vocabulary';

export type { ErrorCode };

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
