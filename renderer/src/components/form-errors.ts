/** Field errors for the matrix forms, from the contract's schemas and from main's envelopes. */
import type { z } from 'zod';
import { ApiError } from '../app/api';
import type { FieldErrors } from '../app/forms';

/** The first message per field of a failed parse, keyed by the field's top-level name. */
export function schemaErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : '_';
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * main's `fields` map, keyed like the input; edits send `{id, draft}`, so "draft.name" belongs
 * beside "name". `fallbackField` takes a refusal that names no field but belongs beside one (the
 * member-link rule belongs beside the intelligence it is about).
 */
export function envelopeErrors(e: unknown, fallbackField?: string): FieldErrors {
  if (!(e instanceof ApiError)) return {};
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(e.fields)) {
    const parts = key.split('.');
    const field = parts[0] === 'draft' && parts.length > 1 ? parts[1] : parts[0];
    out[field] ??= message;
  }
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
