/**
 * The renderer's view of the main process: `window.api`, built by the preload from the contract
 * (one function per channel). Its type comes from preload/api.ts, not written again here.
 */
import type { Api } from '../../../preload/api';
import type { Channel, ErrorCode, Input, Output, Result } from '../../../preload/contract';

declare global {
  interface Window {
    api: Api;
  }
}

/** A failed call, carried as an exception so screens can `try` a sequence of calls. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Return the value of a successful Result, or throw its code and message as an ApiError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.code, result.message, result.fields);
}

/** Call a channel and unwrap its result. */
export async function call<C extends Channel>(channel: C, input?: Input<C>): Promise<Output<C>> {
  const fn = window.api[channel] as (input?: Input<C>) => Promise<Result<Output<C>>>;
  return unwrap(await fn(input));
}

/** The message to show for anything thrown by `call`. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return 'Harm Matrix could not reach its main process. Restart the app; nothing was changed.';
}
