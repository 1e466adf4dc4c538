/**
 * Reference lists (boroughs, business groups, definitions, offence categories) fetched once per
 * unlocked session: they come from files shipped with the app and do not change while it runs.
 */
import { useEffect, useState } from 'react';
import type { Output } from '../../../preload/contract';
import { call, messageOf } from '../app/api';

export type Reference = Output<'reference:get'>;

export interface ReferenceLookup extends Reference {
  boroughName: (code: string) => string;
  businessGroupName: (code: string) => string;
  categoryLabel: (id: string) => string;
}

let pending: Promise<ReferenceLookup> | null = null;

function lookup(r: Reference): ReferenceLookup {
  const boroughs = new Map(r.boroughs.map((b) => [b.code, b.name]));
  const groups = new Map(r.businessGroups.map((b) => [b.code, b.name]));
  const categories = new Map(r.categories.map((c) => [c.id, c.label]));
  return {
    ...r,
    boroughName: (code) => boroughs.get(code) ?? code,
    businessGroupName: (code) => groups.get(code) ?? code,
    categoryLabel: (id) => categories.get(id) ?? id,
  };
}

export function loadReference(): Promise<ReferenceLookup> {
  pending ??= call('reference:get')
    .then(lookup)
    .catch((e: unknown) => {
      pending = null;
      throw e;
    });
  return pending;
}

/** The reference lists, or null while loading; `failure` says why they could not be read. */
export function useReference(): { reference: ReferenceLookup | null; failure: string | null } {
  const [reference, setReference] = useState<ReferenceLookup | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    let isCurrent = true;
    loadReference()
      .then((r) => isCurrent && setReference(r))
      .catch((e: unknown) => isCurrent && setFailure(messageOf(e)));
    return () => {
      isCurrent = false;
    };
  }, []);
  return { reference, failure };
}
