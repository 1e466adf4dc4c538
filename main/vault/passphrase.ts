/**
 * Passphrase policy: 12 to 128 characters, not a common password (the 49k-entry list shipped in
 * @zxcvbn-ts/language-common), with a strength estimate for the hint beside the field.
 * Paste is allowed: long passphrases from a password manager are what we want.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export const PASSPHRASE_MIN = 12;
export const PASSPHRASE_MAX = 128;

let factory: ZxcvbnFactory | undefined;
let commonSet: Set<string> | undefined;

function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  return factory;
}
function commonPasswords(): Set<string> {
  commonSet ??= new Set((common.dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));
  return commonSet;
}

export interface PassphraseCheck {
  isAcceptable: boolean;
  /** Sentences to show beside the field, empty when acceptable. */
  problems: string[];
  /** 0 (very weak) to 4 (very strong). */
  strength: 0 | 1 | 2 | 3 | 4;
  hint: string;
}

const STRENGTH_WORDS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

/** never log: the passphrase itself. */
export function checkPassphrase(passphrase: string, context: string[] = []): PassphraseCheck {
  const problems: string[] = [];
  const length = [...passphrase].length;
  if (length < PASSPHRASE_MIN) problems.push(`Use at least ${PASSPHRASE_MIN} characters (this has ${length}).`);
  if (length > PASSPHRASE_MAX) problems.push(`Use at most ${PASSPHRASE_MAX} characters.`);
  const lower = passphrase.toLowerCase();
  if (commonPasswords().has(lower) || commonPasswords().has(lower.replace(/[\d\W_]+$/, ''))) {
    problems.push('This is on the list of commonly used passwords. Choose something else.');
  }
  // The whole name, and each part of it of four letters or more ("Alice Admin" -> "alice"), so
  // a first name alone is caught; shorter parts would refuse ordinary words ("eve" in "never").
  const lowered = context
    .flatMap((c) => [c, ...c.split(/[\s\-_.,']+/).filter((part) => part.length >= 4)])
    .map((c) => c.toLowerCase())
    .filter((c) => c.length >= 3);
  if (lowered.some((c) => lower.includes(c))) problems.push('Do not include your name in your passphrase.');
  const result = zxcvbn().check(passphrase.slice(0, PASSPHRASE_MAX), context);
  const strength = result.score as PassphraseCheck['strength'];
  if (problems.length === 0 && strength < 2) {
    problems.push('This is too easy to guess. Try four or more unrelated words.');
  }
  const hint = `${STRENGTH_WORDS[strength]}${result.feedback.warning ? '' : ''}.`;
  return { isAcceptable: problems.length === 0, problems, strength, hint };
}
