/**
 * The one text rule (preload/contract/text.ts) and every schema that takes it: control characters
 * (tabs and line breaks kept where a field holds paragraphs), bidi overrides and isolates, and
 * invisible format characters are refused beside the field, with the field's own sentence; and
 * the terminal escaping the command line prints everything through.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { addUserInput, contract, marking, settings, unitName, userName } from '../../preload/contract';
import { disruptionDraft, durabilityInput, outcomes, transitionInput } from '../../preload/contract/schemas/disruptions';
import { intelligenceDraft, networkDraft, offenceLinkDraft, overrideDraft, personDraft } from '../../preload/contract/schemas/matrix';
import { exportPurpose, exportRecipient } from '../../preload/contract/schemas/returns';
import { escapeForTerminal, invisibleMessage, jsonForTerminal, textFault } from '../../preload/contract/text';

/** The messages a schema gives, by field path. */
function faults(schema: z.ZodType, value: unknown): Record<string, string[]> {
  const r = schema.safeParse(value);
  if (r.success) return {};
  const out: Record<string, string[]> = {};
  for (const i of r.error.issues) (out[i.path.join('.')] ??= []).push(i.message);
  return out;
}

const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\u2061', '\u2062', '\u2063', '\u2064', '\ufeff', '\u00ad', '\u2028', '\u2029', '\u{e0041}'];
const C0 = ['\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u001f', '\u007f'];
const C1 = ['\u0080', '\u0085', '\u009b', '\u009f'];

describe('textFault', () => {
  it.each([...C0, ...C1])('refuses control %j, on one line and in paragraphs', (ch) => {
    expect(textFault(`a${ch}b`)).toBe('control');
    expect(textFault(`a${ch}b`, true)).toBe('control');
  });

  it.each(['\t', '\n', '\r'])('refuses %j on one line, keeps it in paragraphs', (ch) => {
    expect(textFault(`a${ch}b`)).toBe('control');
    expect(textFault(`a${ch}b`, true)).toBeNull();
  });

  it.each([...BIDI, ...INVISIBLE])('refuses format character %j', (ch) => {
    expect(textFault(`CN-2026-${ch}0042`)).toBe('invisible');
    expect(textFault(`CN-2026-${ch}0042`, true)).toBe('invisible');
  });

  it.each([['Gangs Unit'], ['Zoë Ångström'], ['Отдел'], ['中文'], ['£1,234 – “quoted”'], ['no\u00a0break'], ['🙂'], ['']])('accepts %j', (text) => {
    expect(textFault(text)).toBeNull();
  });
});

describe('every free-text field takes the rule, with its sentence beside the field', () => {
  const IMPACT = 'The network lost its supply line for three months.';
  const claim = {
    primaryNetworkId: 'n1',
    activityStart: '2026-01-01',
    activityEnd: '2026-01-31',
    claimingBusinessGroup: 'SCD',
    claimingUnit: 'Trident',
    claimedLevel: 'major',
    tactics: ['criminal_justice'],
    impactNarrative: IMPACT,
  };

  it('a claim: unit, operation reference, narrative, partner reference and substance (none were checked before)', () => {
    expect(faults(disruptionDraft, claim)).toEqual({});
    expect(faults(disruptionDraft, { ...claim, claimingUnit: 'Tri\u202edent' })).toEqual({ claimingUnit: [invisibleMessage('Claiming unit')] });
    expect(faults(disruptionDraft, { ...claim, claimingUnit: 'Tri\u001b[2Kdent' })).toEqual({ claimingUnit: ['Claiming unit: remove control characters.'] });
    expect(faults(disruptionDraft, { ...claim, operationReference: 'OP\nTRIDENT' })).toEqual({ operationReference: ['Operation reference: remove control characters.'] });
    expect(faults(disruptionDraft, { ...claim, operationReference: 'OP\u200bTRIDENT' })).toEqual({ operationReference: [invisibleMessage('Operation reference')] });
    expect(faults(disruptionDraft, { ...claim, partnerReference: 'NCA\u2066-1' })).toEqual({ partnerReference: [invisibleMessage('Partner reference')] });
    expect(faults(disruptionDraft, { ...claim, impactNarrative: `${IMPACT}\n\n\tSecond paragraph.` })).toEqual({});
    expect(faults(disruptionDraft, { ...claim, impactNarrative: `${IMPACT}\u0000` })).toEqual({ impactNarrative: ['Impact: remove control characters.'] });
    expect(faults(disruptionDraft, { ...claim, impactNarrative: `${IMPACT}\u202e` })).toEqual({ impactNarrative: [invisibleMessage('Impact')] });
    expect(faults(outcomes, { drugs: [{ substance: 'Crack\u0085cocaine', drugClass: 'A', grams: 1 }] })).toEqual({ 'drugs.0.substance': ['Substance: remove control characters.'] });
    expect(faults(outcomes, { drugs: [{ substance: 'Crack\ufeffcocaine', drugClass: 'A', grams: 1 }] })).toEqual({ 'drugs.0.substance': [invisibleMessage('Substance')] });
    // Messages the forms already show are kept.
    expect(faults(disruptionDraft, { ...claim, claimingUnit: '' })).toEqual({ claimingUnit: ['Enter the claiming unit.'] });
    expect(faults(outcomes, { drugs: [{ substance: '', drugClass: 'A', grams: 1 }] })).toEqual({ 'drugs.0.substance': ['Name the substance.'] });
  });

  it('reasons: a workflow decision, a durability review, ending a link or a flag (paragraphs kept)', () => {
    expect(faults(transitionInput, { id: 'd1', action: 'return', reason: 'Needs the\nfull narrative.' })).toEqual({});
    expect(faults(transitionInput, { id: 'd1', action: 'return', reason: 'Needs \u202ethe narrative.' })).toEqual({ reason: [invisibleMessage('Reason')] });
    expect(faults(durabilityInput, { id: 'd1', outcome: 'downgraded', level: 'minor', reason: 'Back \u0007in business.' })).toEqual({ reason: ['Reason: remove control characters.'] });
    expect(faults(contract['memberships:end'].input, { id: 'm1', reason: 'Left the\ngroup.' })).toEqual({});
    expect(faults(contract['memberships:end'].input, { id: 'm1', reason: 'Left\u2067 the group.' })).toEqual({ reason: [invisibleMessage('Reason')] });
    expect(faults(contract['flags:end'].input, { id: 'f1', status: 'removed', reason: 'Criteria \u009bno longer met.' })).toEqual({ reason: ['Reason: remove control characters.'] });
    expect(faults(contract['memberships:end'].input, { id: 'm1', reason: '' })).toEqual({ reason: ['Give a reason.'] });
  });

  it("the register's records: C1 and format characters refused, tabs and line breaks kept as before", () => {
    const network = { name: 'Northside Crew', type: 'gang', leadBorough: 'E09000001', businessGroup: 'SCD' };
    expect(faults(networkDraft, { ...network, name: 'North\u202eside' })).toEqual({ name: [invisibleMessage('Name')] });
    expect(faults(networkDraft, { ...network, unit: 'SCD\u009b2J' })).toEqual({ unit: ['Unit: remove control characters.'] });
    expect(faults(networkDraft, { ...network, unit: 'SCD\u0001' })).toEqual({ unit: ['Unit: remove control characters.'] });
    expect(faults(networkDraft, { ...network, aliases: 'One\nTwo\tThree' })).toEqual({});
    expect(faults(personDraft, { name: 'A\u200bPerson' })).toEqual({ name: [invisibleMessage('Name')] });
    expect(faults(offenceLinkDraft, { offenceId: 'o', networkId: 'n', rationale: 'Because\u2068', intelIds: ['i'] })).toEqual({ rationale: [invisibleMessage('Rationale')] });
    expect(faults(overrideDraft, { networkId: 'n', band: 'A', reason: 'Reason\u200f', expiresOn: '2026-12-31' })).toEqual({ reason: [invisibleMessage('Reason')] });
    const item = { reference: 'INT-1', itemDate: '2026-01-01', summary: 'Seen\nat the address.', sourceRef: 'S1', sourceGrade: 1, intelGrade: 'A', handling: 'P' };
    expect(faults(intelligenceDraft, item)).toEqual({});
    expect(faults(intelligenceDraft, { ...item, sourceRef: 'S\u20601' })).toEqual({ sourceRef: [invisibleMessage('Source')] });
  });

  it('user names, units, markings and settings: one line, the sentences the forms already show', () => {
    const ORDINARY = 'Use letters, numbers and ordinary punctuation.';
    expect(faults(userName, 'Alice\u202e Admin')).toEqual({ '': [invisibleMessage()] });
    expect(faults(userName, 'Alice\u009b Admin')).toEqual({ '': [ORDINARY] });
    expect(faults(userName, 'Alice\u0000 Admin')).toEqual({ '': [ORDINARY] });
    expect(faults(addUserInput, { name: 'Bob Analyst', role: 'analyst', passphrase: 'x'.repeat(12), unit: 'Tri\u2066dent' })).toEqual({ unit: [invisibleMessage()] });
    expect(faults(unitName, 'Tri\u0000dent')).toEqual({ '': [ORDINARY] });
    expect(faults(marking, 'OFFICIAL\u200b-SENSITIVE')).toEqual({ '': [invisibleMessage()] });
    expect(faults(settings, { idleTimeoutMinutes: 10, marking: 'OFFICIAL\u0085SENSITIVE' })).toEqual({ marking: [ORDINARY] });
    expect(faults(settings, { idleTimeoutMinutes: 10, marking: 'OFFICIAL-SENSITIVE' })).toEqual({});
  });

  it('an export\'s purpose and recipient', () => {
    expect(faults(exportPurpose, 'Quarterly \u202ereturn')).toEqual({ '': ['The purpose must not hold invisible formatting characters (such as a right-to-left override or a zero-width space).'] });
    expect(faults(exportRecipient, 'Two\nlines here')).toEqual({ '': ['The recipient must be on one line, without control characters.'] });
  });

  it('a name made before the rule still signs in, and a marking stored before it is still read back', () => {
    expect(contract['vault:unlock'].input.safeParse({ userName: 'Old\u200bName', passphrase: 'x' }).success).toBe(true);
    expect(contract['vault:unlock'].input.safeParse({ userName: 'Old\u0000Name', passphrase: 'x' }).success).toBe(false);
    expect(contract['settings:get'].output.safeParse({ idleTimeoutMinutes: 10, marking: 'OFFICIAL\u200b' }).success).toBe(true);
    expect(contract['settings:update'].input.safeParse({ idleTimeoutMinutes: 10, marking: 'OFFICIAL\u200b' }).success).toBe(false);
  });
});

describe('escapeForTerminal and jsonForTerminal', () => {
  it('writes every control, bidi and invisible character out, and leaves other text alone', () => {
    expect(escapeForTerminal('\u001b[2K\r\u001b[32mImported\u001b[0m')).toBe('\\u001b[2K\\u000d\\u001b[32mImported\\u001b[0m');
    expect(escapeForTerminal('a\nb\tc\u0000')).toBe('a\\u000ab\\u0009c\\u0000');
    expect(escapeForTerminal('CSI \u009b2J, bidi \u202e\u2066, zero-width \u200b\ufeff, tag \u{e0041}')).toBe('CSI \\u009b2J, bidi \\u202e\\u2066, zero-width \\u200b\\ufeff, tag \\u{e0041}');
    expect(escapeForTerminal('Zoë – £5 “x” 中文 🙂 C:\\path')).toBe('Zoë – £5 “x” 中文 🙂 C:\\path');
    expect(escapeForTerminal('a\nb\u001b', '\n')).toBe('a\nb\\u001b');
  });

  it('JSON reads back to the same value and holds nothing a terminal acts on', () => {
    const value = { reference: '\u001b[2K\u009b2J\u202e\u200b\u2028\u007f', list: ['a\nb'] };
    const text = jsonForTerminal(value, 2);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('\\u009b2J\\u202e\\u200b\\u2028\\u007f');
  });
});
