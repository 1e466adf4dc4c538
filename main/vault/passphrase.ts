/**
 * Passphrase policy: 12 to 128 characters, not a common password (the 49k-entry list shipped in
 * @zxcvbn-ts/language-common), not built on the user's name, with a strength estimate for the
 * hint beside the field. Paste is allowed: long passphrases from a password manager are what we
 * want.
 *
 * The first words anyone guesses at a police workstation are the product's, the force's and the
 * protective marking's ("Harmmatrix2026", "MetPolice2026", "OFFICIAL-SENSITIVE"), then the
 * user's unit. zxcvbn counts words it is given as one guess each, so a passphrase made of them
 * scores as the guess it is, while a long one that merely contains "police" among other words
 * stays strong.
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

/** The product, the force and the Government Security Classifications' markings. */
export const POLICY_WORDS: readonly string[] = [
  'Harm Matrix',
  'Metropolitan Police Service',
  'Metropolitan Police',
  'Met Police',
  'Scotland Yard',
  'OFFICIAL-SENSITIVE',
  'OFFICIAL',
  'SENSITIVE',
  'SECRET',
  'TOP SECRET',
];

/**
 * Each phrase as zxcvbn should know it: whole, run together ("harmmatrix", "metpolice") and each
 * word of it, lower-cased (zxcvbn matches case-insensitively and scores capitals separately).
 */
function guessWords(phrases: readonly string[]): string[] {
  const out = new Set<string>();
  for (const phrase of phrases) {
    const lower = phrase.trim().toLowerCase();
    if (!lower) continue;
    const parts = lower.split(/[\s\-_.,'/]+/).filter((w) => w.length >= 3);
    out.add(lower);
    out.add(parts.join(''));
    out.add(parts.join('-'));
    for (const w of parts) out.add(w);
  }
  out.delete('');
  return [...out];
}

/**
 * True when the passphrase is those words and little else: once each is taken out (longest
 * first), with digits, spaces and punctuation, fewer than four letters are left. A passphrase
 * that merely contains one of them among words of its own is not.
 */
function isBuiltOn(lower: string, words: readonly string[]): boolean {
  let rest = lower;
  for (const w of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(w).join('');
  return rest !== lower && rest.replace(/[^\p{L}]/gu, '').length < 4;
}

/**
 * `context` holds the user's own names (refused inside the passphrase, and known to zxcvbn); `related` are
 * other words a guesser would try first for this user (their unit, the vault's protective
 * marking), known to zxcvbn only. never log: the passphrase itself.
 */
export function checkPassphrase(passphrase: string, context: string[] = [], related: string[] = []): PassphraseCheck {
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
  if (problems.length === 0 && isBuiltOn(lower, guessWords([...POLICY_WORDS, ...related]))) {
    problems.push('Do not build your passphrase from the name of this app, the force, the protective marking or your unit.');
  }
  const result = zxcvbn().check(passphrase.slice(0, PASSPHRASE_MAX), guessWords([...POLICY_WORDS, ...context, ...related]));
  const strength = result.score as PassphraseCheck['strength'];
  if (problems.length === 0 && strength < 2) {
    problems.push('This is too easy to guess. Try four or more unrelated words.');
  }
  const hint = `${STRENGTH_WORDS[strength]}${result.feedback.warning ? '' : ''}.`;
  return { isAcceptable: problems.length === 0, problems, strength, hint };
}
