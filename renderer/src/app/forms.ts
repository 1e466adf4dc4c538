/**
 * Form helpers: field errors from the contract's zod schemas (client side) and from the envelope
 * main returns (`fields`), and a debounced passphrase strength check.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { ApiError, call } from './api';
import type { Output } from '../../../preload/contract';

export type FieldErrors = Record<string, string>;

/** The first message for each top-level field of a failed parse. */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * Field errors from a failed call: main's `fields` keyed like the input, plus any code that
 * belongs to one field (a weak passphrase belongs beside the passphrase).
 */
export function serverFieldErrors(e: unknown, codeToField: Partial<Record<string, string>> = {}): FieldErrors {
  if (!(e instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(e.fields)) out[key.split('.')[0]] ??= message;
  const field = codeToField[e.code];
  if (field) out[field] ??= e.message;
  return out;
}

export type PassphraseCheck = Output<'vault:check-passphrase'>;

/**
 * Ask main how strong a proposed passphrase is, 300 ms after typing stops. The check runs in main
 * because the common-password list lives there; the passphrase is not kept anywhere.
 */
export function usePassphraseCheck(passphrase: string, context: string[]): PassphraseCheck | null {
  const [check, setCheck] = useState<PassphraseCheck | null>(null);
  const contextKey = context.filter(Boolean).join('\n');
  useEffect(() => {
    if (!passphrase) {
      setCheck(null);
      return;
    }
    let isCurrent = true;
    const timer = setTimeout(() => {
      const names = contextKey ? contextKey.split('\n').slice(0, 4).map((n) => n.slice(0, 64)) : [];
      call('vault:check-passphrase', { passphrase: passphrase.slice(0, 1024), context: names })
        .then((r) => isCurrent && setCheck(r))
        .catch(() => isCurrent && setCheck(null));
    }, 300);
    return () => {
      isCurrent = false;
      clearTimeout(timer);
    };
  }, [passphrase, contextKey]);
  return check;
}
