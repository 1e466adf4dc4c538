/**
 * The hand-built register the returns tests read, made through the real services on an encrypted
 * vault with a clock moved by hand, so that every answer in the returns is known in advance.
 *
 * Timeline (UK days):
 * - 01/03/2025: thirteen networks entered (N0 proposed; N1–N12 active): first reviews due 01/03/2026.
 * - offences for harm before and after; people (canaries) linked to N1, two of them under 18.
 * - disruptions, each claimed by the analyst (Gangs Unit), endorsed by the supervisor (Gangs Unit)
 *   and validated by the validator (Economic Crime), on the days below.
 * - 31/03/2026: a prioritisation meeting. Then P1 and P2 proposed, N12 archived, N2's override lapses.
 * - 30/06/2026: "today" for every return.
 *
 * FY 2025/26 (01/04/2025–31/03/2026), counting rule set count-1:
 * | record | networks | group | level | validated | note |
 * |---|---|---|---|---|---|
 * | D1..D6 | N1..N6 | SCD | major | 15/07/2025 | activity 01/05–30/06/2025 |
 * | DTP | N1 | TP | minor | 20/07/2025 | downgraded to none at review 25/01/2026 |
 * | D7 | N7 + N8 | SCD | moderate | 10/11/2025 | partner reference PARTNER-CANARY-77 |
 * | D7dup | N7 | partner | moderate | 12/11/2025 | same partner reference, other case: one event |
 * | D11none | N11 | SCD | none | 05/12/2025 | assessed, not disrupted |
 * | D12rej | N12 | SCD | (major) | rejected 01/12/2025 | |
 * | D9 | N9 | SCD | minor | 31/03/2026 at 23:30 BST | last day of the year |
 * | D10 | N10 | SCD | minor | 01/04/2026 at 00:30 BST | first day of the next year |
 * | D11 | N11 | SCD | major | endorsed, not validated | awaiting validation |
 */
import * as D from '../../main/services/disruptions.service';
import * as M from '../../main/services/matrix.service';
import * as V from '../../main/services/reviews.service';
import { holdMeeting } from '../../main/services/meetings.service';
import * as settingsService from '../../main/services/settings.service';
import type { DisruptionDraft } from '../../preload/contract/schemas/disruptions';
import { Clock, intel, linkOffence, network, offence } from '../helpers/matrix-fixtures';
import { claim, openDisruptionWorld, type DisruptionWorld } from '../helpers/disruption-fixtures';

/** People's names, references and dates of birth (both forms), and other free text: none may appear in any return. */
export const CANARIES = {
  people: [
    { name: 'Quillon Marchbanks-Vey', reference: 'P-2025-0090901', dateOfBirth: '1991-02-03' },
    { name: 'Oriel Fennimore-Slade', reference: 'P-2025-0090902', dateOfBirth: '2010-07-14' },
    { name: 'Thaddeus Vantongeren', reference: 'P-2025-0090903', dateOfBirth: '2011-11-11' },
  ],
  networkName: 'Ravenscourt Zephyr Boys',
  networkAlias: 'Kettleby Alias Crew',
  narrative: 'Wolstenholme narrative canary: the principal was seen at the address',
  operation: 'Op CANARYWHARF9',
  partnerReference: 'PARTNER-CANARY-77',
  intelSummary: 'Intelligence canary Brackenridge says the principal deals from the flat',
  crimeReference: 'CR-CANARY-4412',
  substance: 'Canarium powder',
} as const;

export function canaryStrings(): string[] {
  const ukDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  return [
    ...CANARIES.people.flatMap((p) => [p.name, p.reference, p.dateOfBirth, ukDate(p.dateOfBirth), p.name.split(' ')[1]!]),
    CANARIES.networkName,
    CANARIES.networkAlias,
    'Wolstenholme',
    'CANARYWHARF9',
    CANARIES.partnerReference,
    'Brackenridge',
    CANARIES.crimeReference,
    CANARIES.substance,
  ];
}

/** Free text planted to be shown in the pack (units, lead officers) that a spreadsheet would run as a formula. */
export const FORMULAS = {
  p1Unit: '=HYPERLINK("http://evil.example/x","click")',
  p1Officer: '+1',
  p2Unit: '@cmd',
  p2Officer: '-2+3',
} as const;

export const TODAY_INSTANT = '2026-06-30T10:00:00.000Z';

export interface ReturnsWorld extends DisruptionWorld {
  ids: Record<string, string>;
  refs: Record<string, string>;
  /** Disruption references by fixture name (D1, DTP, …). */
  claims: Record<string, string>;
}

const NONE = {};

export function buildReturnsWorld(label: string): ReturnsWorld {
  const clock = new Clock('2025-03-01T10:00:00.000Z');
  const w = openDisruptionWorld(label, clock) as ReturnsWorld;
  w.ids = { N0: w.networkId };
  w.refs = { N0: w.networkReference };
  w.claims = {};
  const at = (iso: string) => clock.set(iso);

  w.as(w.admin);
  settingsService.update(w.s, { idleTimeoutMinutes: 10, marking: 'OFFICIAL-SENSITIVE' });

  /* Networks, 01/03/2025 */
  w.as(w.analyst);
  const spec: Record<string, { type: 'gang' | 'criminal_network' | 'peer_group'; businessGroup: 'SCD' | 'TP'; unit?: string; leadOfficer?: string }> = {
    N1: { type: 'gang', businessGroup: 'SCD' },
    N2: { type: 'gang', businessGroup: 'SCD' },
    N3: { type: 'gang', businessGroup: 'SCD' },
    N4: { type: 'gang', businessGroup: 'SCD' },
    N5: { type: 'gang', businessGroup: 'SCD' },
    N6: { type: 'gang', businessGroup: 'SCD' },
    N7: { type: 'criminal_network', businessGroup: 'SCD' },
    N8: { type: 'criminal_network', businessGroup: 'SCD' },
    N9: { type: 'criminal_network', businessGroup: 'SCD' },
    N10: { type: 'peer_group', businessGroup: 'TP' },
    N11: { type: 'peer_group', businessGroup: 'TP' },
    N12: { type: 'peer_group', businessGroup: 'TP' },
  };
  for (const [key, s] of Object.entries(spec)) {
    const n = network(w, key === 'N1' ? CANARIES.networkName : `Synthetic ${key}`, {
      status: 'active',
      type: s.type,
      businessGroup: s.businessGroup,
      aliases: key === 'N1' ? CANARIES.networkAlias : '',
      unit: s.unit ?? 'Gangs Unit',
      leadOfficer: s.leadOfficer ?? 'DI Synthetic',
    });
    w.ids[key] = n.id;
    w.refs[key] = n.reference;
  }

  /* Intelligence, offences and people */
  const i1 = intel(w, 1, 'A', 'CHIS 0101', { summary: CANARIES.intelSummary, itemDate: '2025-02-01', networkIds: [w.ids.N1!] });
  const i2 = intel(w, 2, 'B', 'Officer report 7', { itemDate: '2025-02-01', networkIds: [w.ids.N1!] });
  const link = (key: string, stage: 'convicted' | 'charged' | 'arrested', date: string, crimeReference?: string) =>
    linkOffence(w, offence(w, 'robbery', date, stage, crimeReference ? { crimeReference } : {}).id, w.ids[key]!, [i1.id]);
  at('2025-05-01T10:00:00.000Z');
  link('N1', 'convicted', '2025-04-10', CANARIES.crimeReference); // before: 365
  link('N2', 'charged', '2025-04-15'); // before: 292
  link('N3', 'convicted', '2025-04-20'); // before: 365
  at('2025-08-10T10:00:00.000Z');
  link('N1', 'arrested', '2025-08-01'); // after: 182.5
  link('N2', 'arrested', '2025-08-05'); // after: 182.5

  at('2025-03-02T10:00:00.000Z');
  for (const [i, p] of CANARIES.people.entries()) {
    const person = M.createPerson(w.s, { name: p.name, reference: p.reference, dateOfBirth: p.dateOfBirth });
    M.linkPerson(w.s, { personId: person.id, networkId: w.ids.N1!, role: i === 2 ? 'victim_at_risk' : i === 1 ? 'associate' : 'principal', intelIds: [i1.id, i2.id], startDate: '2025-03-01' });
  }

  /* Band overrides, each within the policy's 6 months: N1 to A (to 25/07/2026), N2 to B (lapses after 30/04/2026) */
  for (const [key, band, expiresOn, requestedAt] of [
    ['N1', 'A', '2026-07-25', '2026-01-25T09:00:00.000Z'],
    ['N2', 'B', '2026-04-30', '2025-11-01T10:00:00.000Z'],
  ] as const) {
    at(requestedAt);
    w.as(w.analyst);
    const o = M.requestOverride(w.s, { networkId: w.ids[key]!, band, reason: 'Intelligence picture beyond the recorded offences.', expiresOn });
    w.as(w.supervisor2);
    M.decideOverride(w.s, o.id, 'approved');
  }

  /* Disruptions */
  const submit = (name: string, draft: DisruptionDraft, submittedAt: string) => {
    at(submittedAt);
    w.as(w.analyst);
    const r = D.createDisruption(w.s, draft);
    D.transitionDisruption(w.s, { id: r.id, action: 'submit' });
    w.as(w.supervisor);
    D.transitionDisruption(w.s, { id: r.id, action: 'endorse' });
    w.claims[name] = r.reference;
    return r.id;
  };
  const validate = (id: string, validatedAt: string) => {
    at(validatedAt);
    w.as(w.validator);
    D.transitionDisruption(w.s, { id, action: 'validate' });
  };
  const base = (key: string, extra: Partial<DisruptionDraft>): DisruptionDraft =>
    claim(w.ids[key]!, { operationReference: CANARIES.operation, impactNarrative: CANARIES.narrative, outcomes: NONE, ...extra });
  const may = { activityStart: '2025-05-01', activityEnd: '2025-06-30' };

  for (const k of [1, 2, 3, 4, 5, 6]) {
    const outcomes =
      k === 1
        ? { arrests: 3, charges: 2, cashSeized: 10000, custodyYears: 4, firearms: { handgun: 1 }, drugs: [{ substance: CANARIES.substance, drugClass: 'A' as const, grams: 100 }] }
        : { arrests: 1, cashSeized: 1000, drugs: [{ substance: 'Cocaine', drugClass: 'A' as const, grams: 50 }] };
    validate(submit(`D${k}`, base(`N${k}`, { ...may, claimedLevel: 'major', outcomes }), '2025-07-10T10:00:00.000Z'), '2025-07-15T10:00:00.000Z');
  }
  const dtp = submit('DTP', base('N1', { activityStart: '2025-06-01', activityEnd: '2025-06-20', claimingBusinessGroup: 'TP', claimedLevel: 'minor', outcomes: { arrests: 1 } }), '2025-07-18T10:00:00.000Z');
  validate(dtp, '2025-07-20T10:00:00.000Z');
  const autumn = { activityStart: '2025-09-01', activityEnd: '2025-10-31', claimedLevel: 'moderate' as const };
  const d7 = submit(
    'D7',
    base('N7', { ...autumn, otherNetworkIds: [w.ids.N8!], partnerReference: CANARIES.partnerReference, outcomes: { arrests: 5, charges: 5, firearms: { handgun: 2 }, rounds: 30, cashSeized: 2000 } }),
    '2025-11-05T10:00:00.000Z',
  );
  validate(d7, '2025-11-10T10:00:00.000Z');
  const d7dup = submit('D7dup', base('N7', { ...autumn, claimingBusinessGroup: 'partner', partnerReference: ` ${CANARIES.partnerReference.toLowerCase()} `, outcomes: { arrests: 5 } }), '2025-11-11T10:00:00.000Z');
  validate(d7dup, '2025-11-12T10:00:00.000Z');
  const d12 = submit('D12rej', base('N12', { ...autumn, claimedLevel: 'major' }), '2025-11-25T10:00:00.000Z');
  at('2025-12-01T10:00:00.000Z');
  w.as(w.validator);
  D.transitionDisruption(w.s, { id: d12, action: 'reject', reason: 'No evidence the network stopped operating.' });
  const d11none = submit('D11none', base('N11', { ...autumn, claimedLevel: 'none', outcomes: { safeguardingReferrals: 1, childrenSafeguarded: 1 } }), '2025-12-01T11:00:00.000Z');
  validate(d11none, '2025-12-05T10:00:00.000Z');

  /* Durability review of DTP, due 20/01/2026: downgraded to none */
  at('2026-01-25T10:00:00.000Z');
  w.as(w.validator);
  D.reviewDurability(w.s, { id: dtp, outcome: 'downgraded', level: 'none', reason: 'The group re-formed within weeks.' });

  /* Network reviews: N1 on time (20/02/2026), N2 late (10/03/2026), the rest not done */
  w.as(w.analyst);
  at('2026-02-20T10:00:00.000Z');
  V.recordReview(w.s, { kind: 'network', id: w.ids.N1!, outcome: 'retain', reason: 'Reviewed on time.', intelIds: [] });
  at('2026-03-10T10:00:00.000Z');
  V.recordReview(w.s, { kind: 'network', id: w.ids.N2!, outcome: 'retain', reason: 'Reviewed late.', intelIds: [] });

  /* The financial-year boundary, in BST: 23:30 on 31 March and 00:30 on 1 April 2026 */
  const spring = { activityStart: '2026-02-01', activityEnd: '2026-03-15', claimedLevel: 'minor' as const, outcomes: { knives: 2 } };
  const d9 = submit('D9', base('N9', spring), '2026-03-20T10:00:00.000Z');
  const d10 = submit('D10', base('N10', { ...spring, outcomes: NONE }), '2026-03-20T11:00:00.000Z');
  validate(d9, '2026-03-31T22:30:00.000Z');
  validate(d10, '2026-03-31T23:30:00.000Z');

  /* The meeting, then movement after it */
  at('2026-03-31T12:00:00.000Z');
  w.as(w.supervisor);
  holdMeeting(w.s, '2026-03-31');
  at('2026-04-02T10:00:00.000Z');
  w.as(w.analyst);
  for (const [key, unit, leadOfficer] of [
    ['P1', FORMULAS.p1Unit, FORMULAS.p1Officer],
    ['P2', FORMULAS.p2Unit, FORMULAS.p2Officer],
  ] as const) {
    const p = network(w, `Synthetic ${key}`, { type: 'gang', businessGroup: 'SCD', unit, leadOfficer });
    w.ids[key] = p.id;
    w.refs[key] = p.reference;
  }
  at('2026-04-03T10:00:00.000Z');
  M.editNetwork(w.s, w.ids.N12!, { name: 'Synthetic N12', type: 'peer_group', status: 'archived', leadBorough: 'E09000022', businessGroup: 'TP', unit: 'Gangs Unit', leadOfficer: 'DI Synthetic' });

  /* A claim awaiting validation on the day of the pack */
  submit('D11', base('N11', { activityStart: '2026-05-01', activityEnd: '2026-06-01', claimedLevel: 'major' }), '2026-06-20T10:00:00.000Z');

  at(TODAY_INSTANT);
  w.as(w.analyst);
  return w;
}
