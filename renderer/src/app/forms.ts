/**
 * Form helpers: one field-error mapper for the contract's zod schemas (client side) and for the
 * envelope main returns (`fields`), the submit block every form shares (`useSubmit`), and a
 * debounced passphrase strength check.
 */
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import { ApiError, call, messageOf } from './api';
import type { Output } from '../../../preload/contract';

export type FieldErrors = Record<string, string>;

/** The first message for each top-level field of a failed parse. */
export function schemaErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
    out[key] ??= issue.message;
  }
  return out;
}

export interface EnvelopeErrorOptions {
  /** A refusal that names no field but belongs beside one (the member-link rule beside its items). */
  fallbackField?: string;
  /** Codes that belong to one field (a weak passphrase belongs beside the passphrase). */
  codeToField?: Partial<Record<string, string>>;
}

/**
 * Field errors from a failed call: main's `fields` keyed like the input (edits send `{id, draft}`,
 * so "draft.name" belongs beside "name"), plus the options above.
 */
export function envelopeErrors(e: unknown, options: EnvelopeErrorOptions | string = {}): FieldErrors {
  if (!(e instanceof ApiError)) return {};
  const { fallbackField, codeToField = {} } = typeof options === 'string' ? { fallbackField: options } : options;
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(e.fields)) {
    const parts = key.split('.');
    const field = parts[0] === 'draft' && parts.length > 1 ? parts[1] : parts[0];
    out[field] ??= message;
  }
  const field = codeToField[e.code];
  if (field) out[field] ??= e.message;
  if (fallbackField && Object.keys(out).length === 0 && e.code === 'invalid_input') out[fallbackField] = e.message;
  return out;
}

/** An updater that drops one field's error: the error goes once the person edits that field. */
export function withoutField(field: string): (errors: FieldErrors) => FieldErrors {
  return (errors) => {
    if (!(field in errors)) return errors;
    const next = { ...errors };
    delete next[field];
    return next;
  };
}

/**
 * The submit block every form shares: busy while the work runs, the failure cleared first, and a
 * refusal from main shown beside its fields, or as one sentence when it names none. `run` returns
 * the work's value, or undefined when it failed (the form stays open with what was typed).
 */
export function useSubmit(options: EnvelopeErrorOptions = {}) {
  const [isBusy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const { fallbackField, codeToField } = options;
  const run = useCallback(
    async <T,>(work: () => Promise<T>, onError?: (e: unknown, fields: FieldErrors) => void): Promise<T | undefined> => {
      setFailure(null);
      setBusy(true);
      try {
        return await work();
      } catch (e) {
        const fields = envelopeErrors(e, { fallbackField, codeToField });
        onError?.(e, fields);
        setErrors(fields);
        if (Object.keys(fields).length === 0) setFailure(messageOf(e));
        return undefined;
      } finally {
        setBusy(false);
      }
    },
    [fallbackField, codeToField],
  );
  return { isBusy, failure, setFailure, errors, setErrors, run };
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
