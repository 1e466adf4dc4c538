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
    /** Refusals by field (a form shows each beside its field); the message is the first of them. */
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export function isVaultError(e: unknown): e is VaultError {
  return e instanceof VaultError;
}

/** A refusal of one field's value: the sentence as the message and beside the field. */
export function fieldRefusal(field: string, message: string): VaultError {
  return new VaultError('invalid_input', message, undefined, { [field]: message });
}
