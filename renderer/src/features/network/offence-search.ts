/**
 * Finding a recorded offence by the start of its crime reference (offences:find), for the link
 * form. A search runs when the person asks for it (Find, or Enter in the field), not as each
 * letter is typed: every search is a consultation of the offence records.
 */
import { useState } from 'react';
import { contract } from '../../../../preload/contract';
import { call } from '../../app/api';
import { schemaErrors, useSubmit } from '../../app/forms';
import type { OffenceRecord } from './card';

const findInput = contract['offences:find'].input;

export function useOffenceSearch() {
  const [text, setText] = useState('');
  /** The last search's matches, and what was searched for; null before the first search. */
  const [result, setResult] = useState<{ crimeReference: string; matches: OffenceRecord[] } | null>(null);
  const { isBusy, failure, errors, setErrors, setFailure, run } = useSubmit();

  async function find() {
    if (isBusy) return;
    setFailure(null);
    const parsed = findInput.safeParse({ crimeReference: text });
    setErrors(parsed.success ? {} : schemaErrors(parsed.error));
    if (!parsed.success) return;
    const matches = await run(() => call('offences:find', parsed.data));
    if (matches) setResult({ crimeReference: parsed.data.crimeReference, matches });
  }

  return {
    text,
    /** Typing again clears the last search's refusal, as editing any field does. */
    setText: (next: string) => {
      setText(next);
      setErrors({});
      setFailure(null);
    },
    result,
    isSearching: isBusy,
    /** Beside the search field: the search's own refusal, or why it could not run. */
    error: Object.values(errors)[0] ?? failure ?? undefined,
    find,
  };
}

/** The offences a form can offer, each once, in the order given. */
export function uniqueOffences(lists: readonly (readonly OffenceRecord[])[]): OffenceRecord[] {
  const seen = new Set<string>();
  const out: OffenceRecord[] = [];
  for (const list of lists) {
    for (const o of list) {
      if (seen.has(o.id)) continue;
      seen.add(o.id);
      out.push(o);
    }
  }
  return out;
}
