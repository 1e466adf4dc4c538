import { describe, expect, test } from 'vitest';
import { checkPassphrase, PASSPHRASE_MAX, PASSPHRASE_MIN } from '../../main/vault/passphrase';
import { passphrase as passphraseSchema } from '../../preload/contract';
import { ADMIN, ANALYST, READER, SUPERVISOR, VALIDATOR } from '../helpers/vault-fixtures';

const TOO_SHORT = (n: number) => `Use at least 12 characters (this has ${n}).`;
const TOO_LONG = 'Use at most 128 characters.';
const COMMON = 'This is on the list of commonly used passwords. Choose something else.';
const EASY = 'This is too easy to guess. Try four or more unrelated words.';
const NAME = 'Do not include your name in your passphrase.';
const BUILT_ON = 'Do not build your passphrase from the name of this app, the force, the protective marking or your unit.';

/** 128 characters of unrelated words: strong, and exactly at the limit. */
const LONGEST = 'Kestrel-Marmalade-Quartz-Vellum-Ochre-Bramble-Tundra-Fjord-Lichen-Pylon-Sorrel-Zephyr-Gannet-Umber-Wicket-Nougat-Harrow-Cobalt-J';

describe('passphrase policy', () => {
  test('limits are 12 and 128', () => {
    expect([PASSPHRASE_MIN, PASSPHRASE_MAX]).toEqual([12, 128]);
    expect(LONGEST).toHaveLength(128);
  });

  test.each([
    ['11 characters', 'Tq9#vLm2$xW', [TOO_SHORT(11)], false],
    ['12 characters exactly', 'Tq9#vLm2$xWe', [], true],
    ['128 characters exactly', LONGEST, [], true],
    ['129 characters', `${LONGEST}x`, [TOO_LONG], false],
    ['empty', '', [TOO_SHORT(0)], false],
    ['a common password with digits', 'password1234', [COMMON], false],
    ['a common password, capitalised, with digits and a symbol', 'Password1234!', [COMMON], false],
    ['a common word and digits', 'monkey123456', [COMMON], false],
    ['a keyboard run', 'qwertyuiopasdf', [EASY], false],
    ['one letter repeated', 'aaaaaaaaaaaa', [EASY], false],
    ['the alphabet in order', 'abcdefghijkl', [EASY], false],
    ['four unrelated words', 'correct horse battery staple', [], true],
  ])('%s', (_label, p, problems, isAcceptable) => {
    const r = checkPassphrase(p);
    expect(r.problems).toEqual(problems);
    expect(r.isAcceptable).toBe(isAcceptable);
  });

  test('length counts characters, not UTF-16 code units', () => {
    expect(checkPassphrase('😀'.repeat(11)).problems).toEqual([TOO_SHORT(11)]);
    expect(checkPassphrase('😀'.repeat(12)).problems).toEqual([EASY]);
  });

  test('the name, or a part of it of four letters or more, inside the passphrase is refused', () => {
    expect(checkPassphrase('walrus alice admin 99', ['Alice Admin']).problems).toEqual([NAME]);
    expect(checkPassphrase('alice-river-stone-42', ['Alice Admin']).problems).toEqual([NAME]);
    expect(checkPassphrase('river-ADMIN-stone-42', ['Alice Admin']).problems).toEqual([NAME]);
    expect(checkPassphrase('alice-river-stone-42', ['Bob Analyst']).problems).toEqual([]);
    // Short parts are not checked on their own: "eve" is in too many words.
    expect(checkPassphrase('never seven levers 42', ['Eve Reader']).problems).toEqual([]);
    expect(checkPassphrase('al-walrus-teapot-99x', ['Al']).problems).toEqual([]);
  });

  test("the product's, the force's and the marking's words are refused, alone or with a year", () => {
    for (const p of ['Harmmatrix2026', 'MetPolice2026', 'OFFICIAL-SENSITIVE']) {
      const r = checkPassphrase(p);
      expect(r.problems, p).toEqual([BUILT_ON]);
      expect(r.isAcceptable, p).toBe(false);
      // zxcvbn knows them too, so the hint beside the field says weak.
      expect(r.strength, p).toBeLessThan(2);
    }
    expect(checkPassphrase('official sensitive 2026').problems).toEqual([BUILT_ON]);
  });

  test("the user's unit and the vault's own marking are refused the same way; a passphrase that merely contains such a word is not", () => {
    const related = ['Trident Gangs Command', 'RESTRICTED-CASEWORK'];
    expect(checkPassphrase('TridentGangs2026!', ['Bob Analyst'], related).problems).toEqual([BUILT_ON]);
    expect(checkPassphrase('Restricted-Casework-99', ['Bob Analyst'], related).problems).toEqual([BUILT_ON]);
    expect(checkPassphrase('TridentGangs2026!', ['Bob Analyst']).problems).toEqual([]);
    expect(checkPassphrase('police harbour compass 17', ['Bob Analyst'], related)).toMatchObject({ isAcceptable: true, problems: [] });
    expect(checkPassphrase('trident walrus lantern teapot', ['Bob Analyst'], related)).toMatchObject({ isAcceptable: true, problems: [] });
  });

  test('strength and hint', () => {
    expect(checkPassphrase('correct horse battery staple')).toEqual({ isAcceptable: true, problems: [], strength: 4, hint: 'Very strong.' });
    expect(checkPassphrase('password1234')).toEqual({ isAcceptable: false, problems: [COMMON], strength: 1, hint: 'Weak.' });
    expect(checkPassphrase('aaaaaaaaaaaa')).toMatchObject({ strength: 0, hint: 'Very weak.' });
  });

  test("the tests' own passphrases pass the policy for their users", () => {
    for (const u of [ADMIN, ANALYST, SUPERVISOR, VALIDATOR, READER]) {
      expect(checkPassphrase(u.passphrase, [u.name]), u.name).toMatchObject({ isAcceptable: true, problems: [] });
    }
  });

  test('the contract schema agrees on the limits (the renderer validates with it)', () => {
    expect(passphraseSchema.safeParse('x'.repeat(11)).success).toBe(false);
    expect(passphraseSchema.safeParse('x'.repeat(12)).success).toBe(true);
    expect(passphraseSchema.safeParse(LONGEST).success).toBe(true);
    expect(passphraseSchema.safeParse(`${LONGEST}x`).success).toBe(false);
  });
});
