import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  categoryDifferences,
  definitionsInForce,
  LONDON_BOROUGH_CODES,
  parseBoroughs,
  parseBusinessGroups,
  parseDefinitions,
  parseWeights,
  ReferenceDataError,
  toWeightTable,
} from '../../main/domain/reference';

function load(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../resources/reference/${name}`, import.meta.url), 'utf8'));
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ReferenceDataError);
    return [...(e as ReferenceDataError).issues];
  }
  throw new Error('expected a ReferenceDataError');
}

const clone = <T>(value: T): T => structuredClone(value);

describe('every reference file', () => {
  it.each([
    'boroughs.json',
    'business-groups.json',
    'definitions.json',
    'weights-hm-1.json',
    'weights-severity-1.json',
  ])('%s has an id, a version and a source', (name) => {
    const json = load(name) as Record<string, unknown>;
    for (const key of ['id', 'version', 'source']) {
      expect(typeof json[key], key).toBe('string');
      expect((json[key] as string).length, key).toBeGreaterThan(0);
    }
  });
});

describe('boroughs.json', () => {
  const file = parseBoroughs(load('boroughs.json'));

  it('lists E09000001 to E09000033 exactly, once each, then Outside London', () => {
    const codes = file.items.map((b) => b.code);
    expect(codes).toHaveLength(34);
    expect(new Set(codes).size).toBe(34);
    expect(codes.slice(0, 33)).toEqual(
      Array.from({ length: 33 }, (_, i) => `E09${String(i + 1).padStart(6, '0')}`),
    );
    expect(LONDON_BOROUGH_CODES).toEqual(codes.slice(0, 33));
    expect(file.items[33]).toEqual({ code: 'OUTSIDE', name: 'Outside London', isLondon: false });
  });

  it('names each ONS code correctly', () => {
    expect(Object.fromEntries(file.items.map((b) => [b.code, b.name]))).toEqual({
      E09000001: 'City of London',
      E09000002: 'Barking and Dagenham',
      E09000003: 'Barnet',
      E09000004: 'Bexley',
      E09000005: 'Brent',
      E09000006: 'Bromley',
      E09000007: 'Camden',
      E09000008: 'Croydon',
      E09000009: 'Ealing',
      E09000010: 'Enfield',
      E09000011: 'Greenwich',
      E09000012: 'Hackney',
      E09000013: 'Hammersmith and Fulham',
      E09000014: 'Haringey',
      E09000015: 'Harrow',
      E09000016: 'Havering',
      E09000017: 'Hillingdon',
      E09000018: 'Hounslow',
      E09000019: 'Islington',
      E09000020: 'Kensington and Chelsea',
      E09000021: 'Kingston upon Thames',
      E09000022: 'Lambeth',
      E09000023: 'Lewisham',
      E09000024: 'Merton',
      E09000025: 'Newham',
      E09000026: 'Redbridge',
      E09000027: 'Richmond upon Thames',
      E09000028: 'Southwark',
      E09000029: 'Sutton',
      E09000030: 'Tower Hamlets',
      E09000031: 'Waltham Forest',
      E09000032: 'Wandsworth',
      E09000033: 'Westminster',
      OUTSIDE: 'Outside London',
    });
  });

  it('rejects a file with a borough missing', () => {
    const json = clone(load('boroughs.json')) as { items: unknown[] };
    json.items.splice(11, 1);
    expect(issuesOf(() => parseBoroughs(json))).toContain('items: missing borough E09000012');
  });

  it('rejects a code outside E09000001 to E09000033', () => {
    const json = clone(load('boroughs.json')) as { items: Array<Record<string, unknown>> };
    json.items.push({ code: 'E09000034', name: 'Nowhere', isLondon: true });
    expect(issuesOf(() => parseBoroughs(json))).toEqual([
      'items.34.code: must be an ONS London code E09000001 to E09000033 or OUTSIDE',
    ]);
  });

  it('rejects a repeated code and a wrong isLondon in an otherwise valid file', () => {
    const json = clone(load('boroughs.json')) as { items: Array<Record<string, unknown>> };
    json.items.push({ code: 'E09000005', name: 'Brent again', isLondon: true });
    (json.items[0] as Record<string, unknown>).isLondon = false;
    expect(issuesOf(() => parseBoroughs(json))).toEqual([
      'items.34.code: duplicate code "E09000005"',
      'items.0.isLondon: isLondon must be true for E09000001',
    ]);
  });

  it('names the file in the error', () => {
    expect(() => parseBoroughs({ id: 'boroughs', version: '1', source: 'x', items: [] })).toThrow(
      /^Reference data "boroughs" is invalid: items: missing borough E09000001/,
    );
    expect(() => parseBoroughs(null)).toThrow(ReferenceDataError);
  });
});

describe('business-groups.json', () => {
  it('holds the five business groups with their full names', () => {
    const file = parseBusinessGroups(load('business-groups.json'));
    expect(file.items).toEqual([
      { code: 'SCD', name: 'Specialist Crime Directorate' },
      { code: 'TP', name: 'Territorial Policing' },
      { code: 'SO', name: 'Specialist Operations' },
      { code: 'CO', name: 'Central Operations' },
      { code: 'partner', name: 'Partner agency' },
    ]);
  });

  it('rejects an unknown or missing group', () => {
    const json = clone(load('business-groups.json')) as { items: Array<Record<string, unknown>> };
    (json.items[4] as Record<string, unknown>).code = 'MIB';
    const issues = issuesOf(() => parseBusinessGroups(json));
    expect(issues.some((i) => i.startsWith('items.4.code:'))).toBe(true);
  });
});

describe('definitions.json', () => {
  const file = parseDefinitions(load('definitions.json'));

  it('defines criminal network, gang and peer group, each versioned with a source', () => {
    expect(file.items.map((d) => d.id).sort()).toEqual(['criminal_network', 'gang', 'peer_group']);
    for (const d of file.items) {
      expect(d.version).not.toBe('');
      expect(d.definition.length).toBeGreaterThan(50);
      expect(d.criteria.length).toBeGreaterThan(0);
      expect(d.source.length).toBeGreaterThan(0);
    }
    expect(file.items.find((d) => d.id === 'gang')?.definition).toContain('at least three people');
  });

  it('gives the definitions in force on a date, and none before they took effect', () => {
    const inForce = definitionsInForce(file, '2026-06-30');
    expect(Object.keys(inForce).sort()).toEqual(['criminal_network', 'gang', 'peer_group']);
    expect(definitionsInForce(file, '2025-12-31')).toEqual({});
  });

  it('picks the later version when a definition is revised', () => {
    const json = clone(load('definitions.json')) as { items: Array<Record<string, unknown>> };
    const gang = json.items.find((d) => d.id === 'gang') as Record<string, unknown>;
    json.items.push({ ...gang, version: '2', effectiveFrom: '2026-09-01', definition: `${gang.definition as string} (revised)` });
    const revised = parseDefinitions(json);
    expect(definitionsInForce(revised, '2026-08-31').gang?.version).toBe('1');
    expect(definitionsInForce(revised, '2026-09-01').gang?.version).toBe('2');
  });

  it('rejects a file without a peer group definition', () => {
    const json = clone(load('definitions.json')) as { items: Array<Record<string, unknown>> };
    json.items = json.items.filter((d) => d.id !== 'peer_group');
    expect(issuesOf(() => parseDefinitions(json))).toContain('items: missing definition of peer_group');
  });
});

describe('offence weight tables', () => {
  const hm1 = parseWeights(load('weights-hm-1.json'));
  const severity = parseWeights(load('weights-severity-1.json'));

  it('identify themselves and their unit', () => {
    expect([hm1.id, hm1.version, hm1.unit, hm1.model]).toEqual(['hm-1', '1.0.0', 'harm_days', 'hm-1']);
    expect([severity.id, severity.version, severity.unit]).toEqual(['severity-1', '1.0.0', 'severity_weight']);
    expect(hm1.source).toContain('Cambridge Crime Harm Index');
    expect(hm1.source).toContain('illustrative');
    expect(severity.source).toContain('Crime Severity Score');
  });

  it('share exactly the same categories', () => {
    expect(categoryDifferences(hm1, severity)).toEqual({ onlyInFirst: [], onlyInSecond: [] });
    expect(hm1.weights.map((w) => w.category)).toEqual(severity.weights.map((w) => w.category));
  });

  it('carry the domain.md subgroup medians in hm-1, and mark only those as reviewed', () => {
    const table = toWeightTable(hm1);
    const medians = {
      homicide: 5475,
      rape: 2555,
      violence_with_injury: 365,
      robbery: 365,
      possession_of_weapons: 273.75,
      residential_burglary: 273.5,
      arson: 185,
      drug_trafficking: 5,
      criminal_damage: 2,
      shoplifting: 1,
    };
    expect(table.weights).toMatchObject(medians);
    expect(hm1.weights.filter((w) => !w.isIllustrative).map((w) => w.category).sort()).toEqual(
      Object.keys(medians).sort(),
    );
    expect(table.weights.class_a_supply).toBe(1460);
  });

  it('include the categories an analyst needs', () => {
    const categories = hm1.weights.map((w) => w.category);
    expect(categories).toEqual(
      expect.arrayContaining([
        'class_a_supply',
        'violence_without_injury',
        'sexual_offences_other',
        'kidnap',
        'firearms_offences',
        'non_residential_burglary',
        'vehicle_crime',
        'theft_other',
        'fraud',
        'public_order',
        'drug_possession',
        'modern_slavery',
        'child_sexual_exploitation',
      ]),
    );
  });

  it('turn into a scoring weight table', () => {
    const table = toWeightTable(severity);
    expect(table.id).toBe('severity-1');
    expect(table.version).toBe('1.0.0');
    expect(Object.keys(table.weights)).toHaveLength(severity.weights.length);
  });

  it('reject a repeated category, a negative weight and a missing basis', () => {
    const json = clone(load('weights-hm-1.json')) as { weights: Array<Record<string, unknown>> };
    json.weights.push({ ...json.weights[0] });
    (json.weights[1] as Record<string, unknown>).weight = -5;
    (json.weights[2] as Record<string, unknown>).basis = '  ';
    const issues = issuesOf(() => parseWeights(json));
    expect(issues).toEqual(
      expect.arrayContaining([
        'weights.1.weight: weight must not be negative',
        'weights.2.basis: must not be empty',
      ]),
    );
  });

  it('reject a repeated category in an otherwise valid table', () => {
    const json = clone(load('weights-hm-1.json')) as { weights: Array<Record<string, unknown>> };
    json.weights.push({ ...json.weights[0] });
    expect(issuesOf(() => parseWeights(json))).toEqual([
      `weights.${json.weights.length - 1}.category: duplicate category "homicide"`,
    ]);
  });
});
