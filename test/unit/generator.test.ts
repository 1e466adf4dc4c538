/**
 * The demo data generator: determinism, exact scale counts, the shape of the register it makes,
 * fictitious names, and that every row passes the import's own checks.
 */
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { addMonths, compareIsoDates, daysBetween } from '../../preload/contract/dates';
import {
  DEMO_SEED,
  DemoGenerator,
  documentChunks,
  generateDocument,
  SCALES,
  SYNTHETIC_NETWORK_NAME,
  SYNTHETIC_PERSON_NAME,
  type ScaleCounts,
} from '../../main/demo/generator';
import { Rand } from '../../main/demo/prng';
import { isUnder18 } from '../../main/domain/register-rules';
import { noExistingRecords, SECTIONS, validateDocument, type ImportDocument } from '../../main/services/import.service';
import { weightTable } from '../../main/services/reference.service';

const AS_OF = '2026-06-30';
const SMALL: ScaleCounts = { networks: 12, people: 90, offences: 700, intelligence: 160 };

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const share = (n: number, d: number) => n / d;

let desk: ImportDocument;
let deskJson: string;

beforeAll(() => {
  desk = generateDocument({ scale: 'desk', seed: DEMO_SEED, asOf: AS_OF });
  deskJson = JSON.stringify(desk);
});

describe('random source', () => {
  it('gives the same numbers for the same seed, stream and index, and different ones otherwise', () => {
    const draw = (seed: number, stream: number, index: number) => {
      const r = new Rand(seed, stream, index);
      return [r.u32(), r.u32(), r.u32()];
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 2, 4));
    expect(draw(1, 2, 3)).not.toEqual(draw(2, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 3, 3));
    const r = new Rand(9, 9, 9);
    for (let i = 0; i < 1000; i++) {
      const x = r.next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
    }
  });
});

describe('determinism', () => {
  it('gives a byte-identical document for the same seed and date, and a different one for another seed', () => {
    const again = JSON.stringify(generateDocument({ scale: 'desk', seed: DEMO_SEED, asOf: AS_OF }));
    expect(sha256(again)).toBe(sha256(deskJson));
    const other = JSON.stringify(generateDocument({ scale: 'desk', seed: DEMO_SEED + 1, asOf: AS_OF }));
    expect(sha256(other)).not.toBe(sha256(deskJson));
    expect(other.length).not.toBe(0);
  });

  it('streams exactly the text of the in-memory document, in bounded pieces', () => {
    const pieces = [...documentChunks({ scale: SMALL, seed: 5, asOf: AS_OF }, 4096)];
    expect(pieces.join('')).toBe(JSON.stringify(generateDocument({ scale: SMALL, seed: 5, asOf: AS_OF })));
    expect(pieces.length).toBeGreaterThan(10);
    // A piece is flushed once it reaches the batch size, so it is at most one row over it.
    for (const p of pieces) expect(p.length).toBeLessThan(4096 + 2000);
  });

  it('makes any record on its own exactly as in the whole document (what streaming relies on)', () => {
    const g = new DemoGenerator({ scale: 'desk', seed: DEMO_SEED, asOf: AS_OF });
    expect(g.offence(41_999)).toEqual(desk.offences![41_999]);
    expect(g.intelligence(12_345)).toEqual(desk.intelligence![12_345]);
    expect(g.person(4_321)).toEqual(desk.people![4_321]);
    expect(g.network(499)).toEqual(desk.networks![499]);
  });

  it('depends on the as-of date given, not on the clock', () => {
    const a = generateDocument({ scale: SMALL, seed: 1, asOf: '2026-06-30' });
    const b = generateDocument({ scale: SMALL, seed: 1, asOf: '2027-06-30' });
    expect(a.offences![0]!.crimeReference.slice(3)).not.toBe(b.offences![0]!.crimeReference.slice(3));
    expect(daysBetween(a.offences![0]!.offenceDate, b.offences![0]!.offenceDate)).toBe(daysBetween('2026-06-30', '2027-06-30'));
  });

  it('refuses a bad seed, date or scale', () => {
    expect(() => new DemoGenerator({ scale: 'desk', seed: -1, asOf: AS_OF })).toThrow(/seed/);
    expect(() => new DemoGenerator({ scale: 'desk', seed: 1.5, asOf: AS_OF })).toThrow(/seed/);
    expect(() => new DemoGenerator({ scale: 'desk', seed: 1, asOf: '2026-02-30' })).toThrow();
    expect(() => new DemoGenerator({ scale: { ...SMALL, intelligence: 20 }, seed: 1, asOf: AS_OF })).toThrow(/at least 4 intelligence items per network/);
  });
});

describe('scale', () => {
  it('desk: exactly the counts of domain.md', () => {
    expect(desk.networks).toHaveLength(500);
    expect(desk.people).toHaveLength(5_000);
    expect(desk.offences).toHaveLength(50_000);
    expect(desk.intelligence).toHaveLength(20_000);
    expect(SCALES.desk).toEqual({ networks: 500, people: 5_000, offences: 50_000, intelligence: 20_000 });
  });

  it('force: exactly ten times desk, counted row by row without holding the document', () => {
    const g = new DemoGenerator({ scale: 'force', seed: DEMO_SEED, asOf: AS_OF });
    const count = (rows: Iterable<unknown>) => {
      let n = 0;
      for (const _ of rows) n++;
      return n;
    };
    expect(count(g.networks())).toBe(5_000);
    expect(count(g.people())).toBe(50_000);
    expect(count(g.intelligenceItems())).toBe(200_000);
    expect(count(g.offences())).toBe(500_000);
    expect(g.network(4_999).reference).toMatch(/^CN-\d{4}-5000$/);
  });

  it('national: ten times force, with references that still fit the schemas', () => {
    expect(SCALES.national).toEqual({ networks: 50_000, people: 500_000, offences: 5_000_000, intelligence: 2_000_000 });
    // Only the first rows: the generator makes any row on demand, so nothing else is built.
    const g = new DemoGenerator({ scale: { ...SCALES.national }, seed: DEMO_SEED, asOf: AS_OF });
    expect(g.network(49_999).reference).toMatch(/^CN-\d{4}-50000$/);
    expect(g.person(499_999).reference).toMatch(/^P-\d{4}-500000$/);
    expect(g.offence(4_999_999).crimeReference).toMatch(/^CR-\d{4}-5000000$/);
    const head = documentChunks({ scale: 'national', seed: DEMO_SEED, asOf: AS_OF }).next().value as string;
    expect(head.startsWith('{"format":"harm-matrix-import","version":1,"asOf":"2026-06-30"')).toBe(true);
  }, 120_000);
});

describe('every row passes the import checks', () => {
  it('desk document: no fault at all (schemas, references, member-link rule, categories, flags)', () => {
    const v = validateDocument(JSON.parse(deskJson), { today: AS_OF, existing: noExistingRecords(), canConfirmFlags: true });
    expect(v.errors).toEqual([]);
    for (const s of SECTIONS) expect(v.doc![s].length).toBe((desk[s] ?? []).length);
  });

  it('a small document with another seed too', () => {
    const v = validateDocument(generateDocument({ scale: SMALL, seed: 77, asOf: AS_OF }), { today: AS_OF, existing: noExistingRecords(), canConfirmFlags: true });
    expect(v.errors).toEqual([]);
  });
});

describe('fictitious names', () => {
  it('people, networks, officers, aliases and sources follow the synthetic patterns', () => {
    // Collected, then compared, so a failure names the offending values.
    const misfits = (values: string[], pattern: RegExp) => values.filter((v) => !pattern.test(v));
    expect(misfits(desk.people!.map((p) => p.name), SYNTHETIC_PERSON_NAME)).toEqual([]);
    expect(misfits(desk.networks!.map((n) => n.name), SYNTHETIC_NETWORK_NAME)).toEqual([]);
    expect(misfits(desk.networks!.map((n) => n.leadOfficer!), /^Synthetic Officer \d{3}$/)).toEqual([]);
    expect(misfits(desk.networks!.map((n) => n.unit!), /^Synthetic /)).toEqual([]);
    expect(misfits(desk.networks!.map((n) => n.aliases!).filter(Boolean), /^Synthetic alias /)).toEqual([]);
    expect(misfits(desk.intelligence!.map((i) => i.sourceRef), /^SYN-SRC-\d{4}-\d$/)).toEqual([]);
    expect(misfits(desk.intelligence!.map((i) => i.summary), /^Synthetic intelligence item \d{6}: fictitious text/)).toEqual([]);
    expect(misfits(desk.offenceLinks!.map((l) => l.rationale), /^Synthetic rationale: /)).toEqual([]);
    // The patterns themselves refuse an ordinary name.
    expect(SYNTHETIC_PERSON_NAME.test('Synthetic Person 00042 Smith')).toBe(false);
    expect(SYNTHETIC_NETWORK_NAME.test('Demo Crew 0042')).toBe(false);
    expect(desk.isSynthetic).toBe(true);
    expect(desk.source).toBe(`Synthetic data from the Harm Matrix demo generator (scale desk, seed ${DEMO_SEED}). Every name, reference and text is fictitious.`);
  });

  it('person names carry their own number, so none repeats', () => {
    expect(new Set(desk.people!.map((p) => p.name)).size).toBe(5_000);
    expect(desk.people![41]!.name.startsWith('Synthetic Person 00042 ')).toBe(true);
  });
});

describe('the register looks like a real one', () => {
  it('under-18s are about 12% of people, and have links, some as victim / at risk', () => {
    const dob = new Map(desk.people!.map((p) => [p.reference, p.dateOfBirth ?? null]));
    const young = desk.people!.filter((p) => isUnder18(p.dateOfBirth ?? null, AS_OF)).length;
    expect(share(young, 5_000)).toBeGreaterThanOrEqual(0.1);
    expect(share(young, 5_000)).toBeLessThanOrEqual(0.15);
    const youngLinks = desk.memberships!.filter((m) => isUnder18(dob.get(m.personRef)!, AS_OF));
    expect(youngLinks.length).toBeGreaterThan(400);
    expect(youngLinks.filter((m) => m.role === 'victim_at_risk').length).toBeGreaterThan(60);
    const victims = desk.memberships!.filter((m) => m.role === 'victim_at_risk').length;
    expect(share(victims, desk.memberships!.length)).toBeGreaterThan(0.03);
    expect(share(victims, desk.memberships!.length)).toBeLessThan(0.1);
  });

  it('a fifth to a third of networks operate across borough borders, some outside London', () => {
    const cross = desk.networks!.filter((n) => (n.otherBoroughs ?? []).length > 0);
    expect(share(cross.length, 500)).toBeGreaterThanOrEqual(0.18);
    expect(share(cross.length, 500)).toBeLessThanOrEqual(0.32);
    expect(desk.networks!.some((n) => n.otherBoroughs!.includes('OUTSIDE'))).toBe(true);
  });

  it('some network and member-link reviews are overdue, most are not', () => {
    const overdue = desk.networks!.filter((n) => n.lastReviewedOn && compareIsoDates(addMonths(n.lastReviewedOn, 12), AS_OF) < 0).length;
    expect(share(overdue, 500)).toBeGreaterThanOrEqual(0.1);
    expect(share(overdue, 500)).toBeLessThanOrEqual(0.3);
    const staleLinks = desk.memberships!.filter((m) => m.lastReviewedOn && compareIsoDates(addMonths(m.lastReviewedOn, 6), AS_OF) < 0).length;
    expect(staleLinks).toBeGreaterThan(500);
    expect(share(staleLinks, desk.memberships!.length)).toBeLessThan(0.35);
  });

  it('all three network types, mostly gangs and criminal networks', () => {
    const by = (t: string) => desk.networks!.filter((n) => n.type === t).length;
    expect(by('gang')).toBeGreaterThan(150);
    expect(by('criminal_network')).toBeGreaterThan(150);
    expect(by('peer_group')).toBeGreaterThan(30);
    expect(by('peer_group')).toBeLessThan(by('gang'));
  });

  it('offences: drug trafficking, violence and weapons most frequent; homicide and firearm discharge rare; stages lean to arrest and intelligence', () => {
    const o = desk.offences!;
    const counts = new Map<string, number>();
    for (const x of o) counts.set(x.category, (counts.get(x.category) ?? 0) + 1);
    const ranked = [...counts].sort((a, b) => b[1] - a[1]).map(([c]) => c);
    expect(ranked[0]).toBe('drug_trafficking');
    expect(ranked.slice(0, 5)).toEqual(expect.arrayContaining(['violence_without_injury', 'possession_of_weapons']));
    expect(ranked.slice(0, 6)).toContain('violence_with_injury');
    expect(share(counts.get('homicide')!, o.length)).toBeLessThan(0.003);
    expect(counts.get('homicide')).toBeGreaterThan(0);
    const discharged = o.filter((x) => x.weapon === 'firearm_discharged').length;
    expect(discharged).toBeGreaterThan(0);
    expect(share(discharged, o.length)).toBeLessThan(0.01);
    for (const c of counts.keys()) expect(Object.hasOwn(weightTable().weights, c)).toBe(true);
    const stage = (s: string) => o.filter((x) => x.stage === s).length;
    expect(share(stage('arrested') + stage('intelligence'), o.length)).toBeGreaterThan(0.5);
    expect(share(stage('convicted'), o.length)).toBeLessThan(0.2);
    expect(stage('convicted')).toBeLessThan(stage('arrested'));
  });

  it('offence dates spread over the five years before the as-of date, never after it', () => {
    const ages = desk.offences!.map((x) => daysBetween(x.offenceDate, AS_OF));
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThan(5 * 365);
    for (const year of [0, 1, 2, 3, 4]) {
      expect(ages.filter((a) => a >= year * 365 && a < (year + 1) * 365).length).toBeGreaterThan(2_000);
    }
  });

  it('intelligence: 3x5x2 with a few legacy 5x5x5 items kept as recorded', () => {
    const legacy = desk.intelligence!.filter((i) => i.grading === '5x5x5');
    expect(share(legacy.length, 20_000)).toBeGreaterThan(0.01);
    expect(share(legacy.length, 20_000)).toBeLessThan(0.05);
    expect(legacy.filter((i) => !/^[A-E][1-5] [1-5]$/.test(i.legacyGrade ?? ''))).toEqual([]);
    const grades = new Set(desk.intelligence!.filter((i) => i.grading === '3x5x2').map((i) => `${i.sourceGrade}${i.intelGrade}${i.handling}`));
    expect(grades.size).toBeGreaterThan(20);
  });

  it('ratings supported and unsupported; flags proposed and confirmed, on people and offences', () => {
    const intel = new Map(desk.intelligence!.map((i) => [i.reference, i]));
    const qualifies = (ref: string) => {
      const i = intel.get(ref)!;
      return i.grading === '3x5x2' && (i.sourceGrade === 1 || i.sourceGrade === 2) && ['A', 'B', 'C'].includes(i.intelGrade!);
    };
    const high = desk.ratings!.filter((r) => r.kind === 'assessed' && r.value >= 2);
    const unsupported = high.filter((r) => !(r.intelRefs ?? []).some(qualifies)).length;
    expect(unsupported).toBeGreaterThan(0);
    expect(share(unsupported, high.length)).toBeLessThan(0.2);
    const f = desk.flags!;
    for (const [type, status] of [['person', 'confirmed'], ['person', 'proposed'], ['offence', 'confirmed'], ['offence', 'proposed']]) {
      expect(f.filter((x) => x.subjectType === type && x.status === status).length).toBeGreaterThan(10);
    }
    expect(desk.offenceLinks!.filter((l) => l.status === 'proposed').length).toBeGreaterThan(100);
  });
});
