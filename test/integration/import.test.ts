/**
 * Import into a real encrypted vault: the demo vault at desk scale (through the vault:create-demo
 * channel), reopened from disk; every fault of a document with planted mistakes, with nothing
 * written; roll-back of a failure half-way; references to records already in the vault; the
 * confirmed-flag rule; the documented example; the same register recorded on screen and imported
 * holds the same bases, review dates, flags and proposed links.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, readHead } from '../../main/audit/audit';
import { DEMO_SEED, generateDocument, type ScaleCounts } from '../../main/demo/generator';
import { addMonths } from '../../preload/contract/dates';
import { createDispatch, type SenderInfo } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import * as auditService from '../../main/services/audit.service';
import * as M from '../../main/services/matrix.service';
import type { AppContext } from '../../main/services/context';
import { importDocument, MAX_ERRORS, type FlagRow, type ImportDocument, type ImportError, type NetworkRow, type OffenceRow } from '../../main/services/import.service';
import type { IntelligenceDraft, MembershipDraft } from '../../preload/contract/schemas/matrix';
import { FLAG_CRITERIA_REFUSAL, isUnder18 } from '../../main/domain/register-rules';
import { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import * as vaultService from '../../main/services/vault.service';
import { readMeta } from '../../main/vault/meta';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import type { Db } from '../../main/vault/database';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';

const TODAY = '2026-06-30';
const NOW = new Date('2026-06-30T09:00:00.000Z');
const ADMIN = { name: 'Alice Admin', passphrase: 'granite orbit lantern 47' };
const ANALYST = { name: 'Bob Analyst', passphrase: 'velvet cactus harbour 93' };
const SUPERVISOR = { name: 'Carol Supervisor', passphrase: 'amber tundra whistle 28' };
/** A second supervisor: a flag or a child's link is confirmed by someone other than its proposer. */
const SUPERVISOR2 = { name: 'Dan Supervisor', passphrase: 'copper meadow falcon 61' };
const APP: SenderInfo = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };
const SMALL: ScaleCounts = { networks: 10, people: 60, offences: 200, intelligence: 80 };

let dir: string;
let ctx: AppContext;

function newVault(name: string): string {
  const path = join(dir, `${name}.hmvault`);
  const s = new Session(ctx);
  vaultService.createVault(s, { path, adminName: ADMIN.name, passphrase: ADMIN.passphrase });
  vaultService.confirmRecovery(s);
  usersService.add(s, { name: ANALYST.name, role: 'analyst', passphrase: ANALYST.passphrase });
  usersService.add(s, { name: SUPERVISOR.name, role: 'supervisor', passphrase: SUPERVISOR.passphrase });
  usersService.add(s, { name: SUPERVISOR2.name, role: 'supervisor', passphrase: SUPERVISOR2.passphrase });
  vaultService.lock(s, 'manual');
  return path;
}

function open(path: string, who: { name: string; passphrase: string }): Session {
  const s = new Session(ctx);
  s.vaultPath = path;
  vaultService.unlock(s, { userName: who.name, passphrase: who.passphrase });
  return s;
}

const count = (db: Db, table: string, where = '1=1'): number => db.prepare(`SELECT count(*) FROM ${table} WHERE ${where}`).pluck().get() as number;

/** Every row of every table (the audit log by its head, which chains every entry before it). */
function fingerprint(db: Db): string {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'audit_log' ORDER BY name").pluck().all() as string[];
  return createHash('sha256')
    .update(JSON.stringify([readHead(db), tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()])]))
    .digest('hex');
}

const small = (seed = 11): ImportDocument => generateDocument({ scale: SMALL, seed, asOf: TODAY });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-import-'));
  ctx = { stateDir: join(dir, 'state'), documentsDir: dir, now: () => NOW, kdfCost: SCRYPT_TEST, appVersion: 'test' };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the demo vault (vault:create-demo): desk scale, imported, reopened', () => {
  const path = () => join(dir, 'demo.hmvault');
  const doc = generateDocument({ scale: 'desk', seed: DEMO_SEED, asOf: TODAY });

  it('is created like any vault and holds the generated register, scored', async () => {
    const s = new Session(ctx);
    const dispatch = createDispatch(s, handlers, isAppUrl);
    expect(await dispatch('vault:create-demo', { path: path(), adminName: ADMIN.name, passphrase: ADMIN.passphrase, scale: 'force' }, APP)).toMatchObject({
      ok: false,
      code: 'invalid_input',
    });
    expect(await dispatch('vault:create-demo', { path: path(), adminName: ADMIN.name, passphrase: 'short', scale: 'desk' }, APP)).toMatchObject({ ok: false, code: 'invalid_input' });
    const started = Date.now();
    const r = await dispatch('vault:create-demo', { path: path(), adminName: ADMIN.name, passphrase: ADMIN.passphrase, scale: 'desk' }, APP);
    console.info(`demo vault: desk-scale generate + import + score in ${Date.now() - started} ms`);
    expect(r.ok).toBe(true);
    expect((r as { value: { recoveryCode: string } }).value.recoveryCode).toMatch(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/);
    expect(s.user).toMatchObject({ name: ADMIN.name, role: 'administrator' });
    expect(s.isRecoveryUnconfirmed).toBe(true);
    vaultService.lock(s, 'manual');
  }, 180_000);

  it('adds a demo analyst, supervisor and validator who sign in with the creator\'s passphrase and can work', () => {
    const admin = open(path(), ADMIN);
    const users = admin.vault!.db.prepare("SELECT name, role, unit FROM users WHERE name LIKE 'Demo %' ORDER BY name").all() as { name: string; role: string; unit: string }[];
    vaultService.lock(admin, 'manual');
    expect(users).toEqual([
      { name: 'Demo Analyst', role: 'analyst', unit: 'Demo Gangs Unit' },
      { name: 'Demo Supervisor', role: 'supervisor', unit: 'Demo Gangs Unit' },
      { name: 'Demo Validator', role: 'validator', unit: 'Demo Performance Unit' },
    ]);
    const s = open(path(), { name: 'Demo Analyst', passphrase: ADMIN.passphrase });
    expect(s.user).toMatchObject({ name: 'Demo Analyst', role: 'analyst' });
    vaultService.lock(s, 'manual');
  });

  it('reopens from disk with exactly the generated rows, a stored score for every network, and the audit entries', () => {
    const s = open(path(), ADMIN);
    const db = s.vault!.db;
    const linksFromFlags = count(db, 'offence_links', "rationale = 'Proposed by a confirmed gang flag on the offence.'");
    expect({
      networks: count(db, 'networks'),
      people: count(db, 'people'),
      intelligence: count(db, 'intelligence'),
      memberships: count(db, 'memberships'),
      offences: count(db, 'offences'),
      offenceLinks: count(db, 'offence_links') - linksFromFlags,
      ratings: count(db, 'ratings'),
      flags: count(db, 'gang_flags'),
    }).toEqual({
      networks: 500,
      people: 5_000,
      intelligence: 20_000,
      memberships: doc.memberships!.length,
      offences: 50_000,
      offenceLinks: doc.offenceLinks!.length,
      ratings: doc.ratings!.length,
      flags: doc.flags!.length,
    });
    expect(linksFromFlags).toBeGreaterThan(0);
    expect(count(db, 'network_scores')).toBe(500);
    expect(count(db, 'network_scores', `as_of = '${TODAY}' AND model = 'hm-1'`)).toBe(500);
    expect(count(db, 'score_history')).toBe(500);
    expect(readMeta(db, 'is_demo')).toBe('yes');

    const entries = listAudit(db, { entityType: 'import' }).reverse();
    const importId = entries[0]!.entityId;
    // A child's link (other than victim / at risk) is imported as proposed, for a supervisor other than the importer.
    const birth = new Map(doc.people!.map((p) => [p.reference, p.dateOfBirth ?? null]));
    const childLinks = doc.memberships!.filter((m) => m.role !== 'victim_at_risk' && isUnder18(birth.get(m.personRef)!, TODAY)).length;
    expect(childLinks).toBeGreaterThan(0);
    expect(count(db, 'memberships', "status = 'proposed'")).toBe(childLinks);
    expect(count(db, 'memberships', "status = 'proposed' AND confirmed_by IS NOT NULL")).toBe(0);
    expect(entries.map((e) => [e.action, e.summary, e.entityId, e.userName])).toEqual(
      [
        ['collect', 'Import: 500 networks recorded (synthetic data)'],
        ['collect', 'Import: 5,000 people recorded (synthetic data)'],
        ['collect', 'Import: 20,000 intelligence items recorded (synthetic data)'],
        ['collect', 'Import: 50,000 offences recorded (synthetic data)'],
        ['collect', `Import: ${doc.ratings!.length.toLocaleString('en-GB')} ratings recorded (synthetic data)`],
        [
          'collect',
          `Import: ${doc.flags!.length.toLocaleString('en-GB')} gang flags recorded (${doc.flags!.filter((f) => f.status === 'confirmed').length.toLocaleString('en-GB')} confirmed, ${doc.flags!.filter((f) => f.status !== 'confirmed').length.toLocaleString('en-GB')} proposed) (synthetic data)`,
        ],
        [
          'combine',
          `Import: ${doc.memberships!.length.toLocaleString('en-GB')} member links (${doc.memberships!.filter((m) => m.role === 'victim_at_risk').length.toLocaleString('en-GB')} victim / at risk, never scored; ${childLinks.toLocaleString('en-GB')} for under-18s proposed for a supervisor), ` +
            `${(doc.offenceLinks!.length + linksFromFlags).toLocaleString('en-GB')} offence links (${(doc.offenceLinks!.filter((l) => l.status === 'proposed').length + linksFromFlags).toLocaleString('en-GB')} proposed) ` +
            `and ${doc.intelligence!.reduce((n, i) => n + i.networkRefs!.length, 0).toLocaleString('en-GB')} intelligence items held against networks recorded (synthetic data)`,
        ],
        ['alter', `Import: all 500 networks rescored as of ${TODAY}; 500 changed (synthetic data)`],
      ].map(([a, summary]) => [a, summary, importId, ADMIN.name]),
    );
    const demo = listAudit(db, { entityType: 'vault' }).find((e) => e.summary === 'Demo vault: synthetic data imported');
    expect(demo).toMatchObject({ action: 'collect', userName: ADMIN.name });
    expect(demo!.seq).toBe(entries.at(-1)!.seq + 1);
    // No name, date of birth or free text in any import entry.
    for (const e of entries) expect(e.summary).not.toMatch(/Synthetic|Demo (Crew|Network|Peer Group)|P-\d{4}-|CN-\d{4}-|CR-\d{4}-/);
    expect(auditService.verify(s)).toMatchObject({ isIntact: true });
    vaultService.lock(s, 'manual');
  });

  it('scores as the generator intends: a few Band A, most Band C or below threshold, some Low confidence', () => {
    const s = open(path(), ADMIN);
    const db = s.vault!.db;
    const band = (b: string) => count(db, 'network_scores', `effective_band = '${b}'`);
    console.info(`demo vault bands: A ${band('A')}, B ${band('B')}, C ${band('C')}, below threshold ${band('below_threshold')}`);
    expect(band('A') / 500).toBeGreaterThanOrEqual(0.015);
    expect(band('A') / 500).toBeLessThanOrEqual(0.06);
    expect((band('C') + band('below_threshold')) / 500).toBeGreaterThanOrEqual(0.7);
    expect(band('below_threshold')).toBeGreaterThan(100);
    expect(band('B')).toBeGreaterThan(band('A'));
    expect(count(db, 'network_scores', "confidence = 'low'")).toBeGreaterThan(10);
    // The gate held: no Low-confidence network above Band B.
    expect(count(db, 'network_scores', "confidence = 'low' AND band = 'A'")).toBe(0);
    vaultService.lock(s, 'manual');
  });

  it('sets review dates by the app rules: overdue ones show at once, under-18 links on 3 months', () => {
    const s = open(path(), ADMIN);
    const db = s.vault!.db;
    const net = (ref: string) => db.prepare('SELECT last_reviewed_on, next_review_on FROM networks WHERE reference = ?').get(ref) as { last_reviewed_on: string | null; next_review_on: string };
    const never = doc.networks!.find((n) => n.lastReviewedOn === null)!;
    expect(net(never.reference)).toEqual({ last_reviewed_on: null, next_review_on: addMonths(TODAY, 12) });
    const reviewed = doc.networks!.find((n) => n.lastReviewedOn)!;
    expect(net(reviewed.reference)).toEqual({ last_reviewed_on: reviewed.lastReviewedOn, next_review_on: addMonths(reviewed.lastReviewedOn!, 12) });
    expect(count(db, 'networks', `next_review_on < '${TODAY}'`)).toBeGreaterThan(50);

    const dob = new Map(doc.people!.map((p) => [p.reference, p.dateOfBirth ?? null]));
    const reviewOn = (m: { personRef: string; networkRef: string }) =>
      db
        .prepare('SELECT m.review_on FROM memberships m JOIN people p ON p.id = m.person_id JOIN networks n ON n.id = m.network_id WHERE p.reference = ? AND n.reference = ?')
        .pluck()
        .get(m.personRef, m.networkRef);
    const child = doc.memberships!.find((m) => m.lastReviewedOn && isUnder18(dob.get(m.personRef)!, TODAY))!;
    const adult = doc.memberships!.find((m) => m.lastReviewedOn && !isUnder18(dob.get(m.personRef)!, TODAY))!;
    const fresh = doc.memberships!.find((m) => m.lastReviewedOn === null && !isUnder18(dob.get(m.personRef)!, TODAY))!;
    expect(reviewOn(child)).toBe(addMonths(child.lastReviewedOn!, 3));
    expect(reviewOn(adult)).toBe(addMonths(adult.lastReviewedOn!, 6));
    expect(reviewOn(fresh)).toBe(addMonths(TODAY, 6));
    expect(count(db, 'memberships', `review_on < '${TODAY}'`)).toBeGreaterThan(300);
    // Victim / at-risk links are held as safeguarding links.
    expect(count(db, 'memberships', "role = 'victim_at_risk' AND basis <> 'safeguarding'")).toBe(0);
    expect(count(db, 'memberships', "basis = 'self_admission'")).toBeGreaterThan(100);
    vaultService.lock(s, 'manual');
  });
});

describe('a document with mistakes', () => {
  it('reports every fault by section, row, field and message, and writes nothing', () => {
    const path = newVault('faults');
    const s = open(path, SUPERVISOR);
    const db = s.vault!.db;
    const before = fingerprint(db);
    const changesBefore = db.prepare('SELECT total_changes()').pluck().get();

    const doc = small();
    const o3 = doc.offences![3]!;
    o3.offenceDate = '2025-02-30';
    const o7 = doc.offences![7]!;
    o7.category = 'jaywalking';
    doc.people!.push({ ...doc.people![4]!, name: 'Synthetic Person 99999 Qorvex' });
    const dupIndex = doc.people!.length - 1;
    const members = doc.memberships!;
    const graded = members.map((m, i) => [m, i] as const).filter(([m]) => m.role !== 'victim_at_risk' && !m.isSelfAdmission);
    const [single, singleIndex] = graded[0]!;
    single.intelRefs = [single.intelRefs![0]!];
    // Two items, but from the same source: one source, so still not enough.
    const [sameSource, sameIndex] = graded[1]!;
    const bySource = new Map<string, string[]>();
    for (const i of doc.intelligence!) bySource.set(i.sourceRef, [...(bySource.get(i.sourceRef) ?? []), i.reference]);
    const pair = [...bySource.values()].find((refs) => refs.length >= 2)!;
    sameSource.intelRefs = pair.slice(0, 2);
    const [unknown, unknownIndex] = graded[2]!;
    unknown.networkRef = 'CN-2026-9999';

    const r = importDocument(s, doc);
    const rule =
      'A member link needs at least two graded intelligence items from independent sources, or a self-admission. No one is linked on association or location alone. A source graded 3 or intelligence graded D or E does not count.';
    // In the order the checks run: each section in turn, rows in order.
    const expected: ImportError[] = [
      { section: 'people', index: dupIndex, reference: doc.people![4]!.reference, field: 'reference', message: `Duplicate person reference ${doc.people![4]!.reference}: already used by people[4].` },
      { section: 'offences', index: 3, reference: o3.crimeReference, field: 'offenceDate', message: 'That is not a real date.' },
      { section: 'offences', index: 7, reference: o7.crimeReference, field: 'category', message: 'Choose an offence category from the weight table.' },
      { section: 'memberships', index: singleIndex, reference: single.personRef, field: 'intelRefs', message: rule },
      { section: 'memberships', index: sameIndex, reference: sameSource.personRef, field: 'intelRefs', message: rule },
      { section: 'memberships', index: unknownIndex, reference: unknown.personRef, field: 'networkRef', message: 'No network with reference CN-2026-9999 in this document or the vault.' },
    ];
    expect(singleIndex < sameIndex && sameIndex < unknownIndex).toBe(true);
    expect(r).toEqual({ ok: false, errors: expected, isTruncated: false });
    expect(fingerprint(db)).toBe(before);
    expect(db.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
    vaultService.lock(s, 'manual');
  });

  it('names unknown fields and bad values in the document\'s own terms, and document-level faults', () => {
    const s = open(newVault('terms'), SUPERVISOR);
    const doc = small() as unknown as Record<string, unknown[]> & ImportDocument;
    (doc.memberships![0] as Record<string, unknown>).networkId = 'x';
    (doc.offenceLinks![0] as Record<string, unknown>).colour = 'red';
    doc.offenceLinks![1]!.intelRefs = [];
    (doc.ratings![0] as Record<string, unknown>).value = 7;
    doc.flags![0]!.status = 'expired' as never;
    doc.networks![0]!.leadBorough = 'E09000034';
    // From JSON text, "__proto__" is an ordinary key: refused, not turned into a prototype.
    doc.memberships![1] = JSON.parse(`{"__proto__": {"role": "principal"}, ${JSON.stringify(doc.memberships![1]).slice(1)}`);
    (doc.networks![1] as Record<string, unknown>) = JSON.parse(`{"__proto__": {"x": 1}, ${JSON.stringify(doc.networks![1]).slice(1)}`);
    const r = importDocument(s, doc);
    expect(r.ok).toBe(false);
    const errors = (r as { errors: ImportError[] }).errors.map(({ section, index, field, message }) => ({ section, index, field, message }));
    expect(errors).toEqual(
      expect.arrayContaining([
        { section: 'networks', index: 0, field: 'leadBorough', message: 'Choose a borough.' },
        { section: 'memberships', index: 0, field: 'networkId', message: 'Use networkRef (a reference), not networkId.' },
        { section: 'memberships', index: 1, field: undefined, message: 'Unknown field: __proto__.' },
        { section: 'networks', index: 1, field: undefined, message: expect.stringMatching(/__proto__/) },
        { section: 'offenceLinks', index: 0, field: undefined, message: 'Unknown field: colour.' },
        { section: 'offenceLinks', index: 1, field: 'intelRefs', message: 'Cite at least one graded intelligence item.' },
        { section: 'ratings', index: 0, field: 'value', message: expect.stringMatching(/4/) },
        { section: 'flags', index: 0, field: 'status', message: 'Use proposed or confirmed.' },
      ]),
    );

    expect(importDocument(s, { format: 'csv', version: 2, networks: {}, extra: 1 })).toEqual({
      ok: false,
      isTruncated: false,
      errors: [
        { section: 'document', index: null, field: 'format', message: 'This is not a Harm Matrix import document: "format" must be "harm-matrix-import".' },
        { section: 'document', index: null, field: 'version', message: 'This app reads import documents of version 1; this one says 2.' },
        { section: 'document', index: null, field: 'extra', message: 'Unknown section or field "extra".' },
        { section: 'document', index: null, field: 'networks', message: '"networks" must be a list of rows.' },
      ],
    });
    expect(importDocument(s, [])).toEqual({ ok: false, isTruncated: false, errors: [{ section: 'document', index: null, message: 'The document must be a JSON object.' }] });
    vaultService.lock(s, 'manual');
  });

  it('refuses bidi overrides, invisible and C1 control characters in any text field, by field, and writes nothing', () => {
    const s = open(newVault('text-rule'), SUPERVISOR);
    const db = s.vault!.db;
    const before = fingerprint(db);
    const doc = small();
    doc.networks![0]!.name = 'Northside \u202eweN';
    doc.networks![1]!.unit = 'Trident\u009b2J';
    doc.people![0]!.name = 'Synthetic\u200bPerson';
    doc.intelligence![0]!.summary = 'Seen at\nthe address\u2066.';
    doc.offenceLinks![0]!.rationale = 'Because\u0085';
    const r = importDocument(s, doc);
    expect(r.ok).toBe(false);
    const errors = (r as { errors: ImportError[] }).errors.map(({ section, index, field, message }) => ({ section, index, field, message }));
    const invisible = (label: string) => `${label}: remove invisible formatting characters (such as a right-to-left override or a zero-width space).`;
    expect(errors).toEqual(
      expect.arrayContaining([
        { section: 'networks', index: 0, field: 'name', message: invisible('Name') },
        { section: 'networks', index: 1, field: 'unit', message: 'Unit: remove control characters.' },
        { section: 'people', index: 0, field: 'name', message: invisible('Name') },
        { section: 'intelligence', index: 0, field: 'summary', message: invisible('Summary') },
        { section: 'offenceLinks', index: 0, field: 'rationale', message: 'Rationale: remove control characters.' },
      ]),
    );
    expect(fingerprint(db)).toBe(before);
    vaultService.lock(s, 'manual');
  });

  it('refuses a document nested deeper than the format, and describes a bad version without serialising it', () => {
    const s = open(newVault('nesting'), SUPERVISOR);
    const depth = 200_000;
    const deep = JSON.parse(`{"format":"harm-matrix-import","version":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    const refusal = { ok: false, isTruncated: false, errors: [{ section: 'document', index: null, message: 'The document nests lists or objects more than 8 deep; an import document never does.' }] };
    expect(importDocument(s, deep)).toEqual(refusal);
    // Deep anywhere: in a row's field, or under an unknown key.
    const doc = small() as unknown as Record<string, unknown>;
    (doc.networks as Record<string, unknown>[])[0]!.aliases = JSON.parse(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    expect(importDocument(s, doc)).toEqual(refusal);
    const withKey = JSON.parse(`{"format":"harm-matrix-import","version":1,"x${'y'.repeat(5000)}":${'['.repeat(7)}${']'.repeat(7)}}`);
    const r = importDocument(s, withKey) as { errors: ImportError[] };
    expect(r.errors).toEqual([{ section: 'document', index: null, field: `x${'y'.repeat(63)}…`, message: `Unknown section or field "x${'y'.repeat(63)}…".` }]);
    for (const [version, said] of [[[1], 'a list'], [{ v: 1 }, 'an object'], ['two', '"two"'], [null, 'null'], [`${'v'.repeat(100)}`, `"${'v'.repeat(64)}…"`]] as const) {
      expect(importDocument(s, { format: 'harm-matrix-import', version })).toEqual({
        ok: false,
        isTruncated: false,
        errors: [{ section: 'document', index: null, field: 'version', message: `This app reads import documents of version 1; this one says ${said}.` }],
      });
    }
    vaultService.lock(s, 'manual');
  });

  it(`stops listing at ${MAX_ERRORS.toLocaleString('en-GB')} faults and says so`, () => {
    const s = open(newVault('many'), SUPERVISOR);
    const rows = Array.from({ length: MAX_ERRORS + 5 }, () => ({ crimeReference: '' }));
    const r = importDocument(s, { format: 'harm-matrix-import', version: 1, offences: rows });
    expect(r).toMatchObject({ ok: false, isTruncated: true });
    expect((r as { errors: unknown[] }).errors).toHaveLength(MAX_ERRORS);
    vaultService.lock(s, 'manual');
  });
});

describe('atomic', () => {
  it('a failure half-way (cancelled from the progress callback) leaves the vault exactly as it was; the same document then imports', () => {
    const path = newVault('atomic');
    const s = open(path, SUPERVISOR);
    const db = s.vault!.db;
    const before = fingerprint(db);
    const doc = small();
    const seen: string[] = [];
    expect(() =>
      importDocument(s, doc, {
        onProgress: (p) => {
          seen.push(`${p.phase}:${p.section}`);
          if (p.phase === 'write' && p.section === 'offenceLinks') throw new Error('injected failure');
        },
      }),
    ).toThrow('injected failure');
    // Networks, people, intelligence, member links and offences had been written when it failed.
    expect(seen).toEqual(expect.arrayContaining(['write:networks', 'write:people', 'write:intelligence', 'write:offences', 'write:memberships']));
    expect(fingerprint(db)).toBe(before);
    vaultService.lock(s, 'manual');

    const again = open(path, SUPERVISOR);
    expect(count(again.vault!.db, 'networks')).toBe(0);
    const r = importDocument(again, doc);
    expect(r).toMatchObject({ ok: true, isDryRun: false, counts: { networks: 10, people: 60, offences: 200, intelligence: 80 } });
    expect(count(again.vault!.db, 'network_scores')).toBe(10);
    vaultService.lock(again, 'manual');
  });

  it('a dry run checks everything and writes nothing', () => {
    const s = open(newVault('dry'), SUPERVISOR);
    const db = s.vault!.db;
    const before = fingerprint(db);
    const r = importDocument(s, small(), { dryRun: true });
    expect(r).toMatchObject({ ok: true, isDryRun: true, importId: null, counts: { networks: 10, people: 60 } });
    expect(fingerprint(db)).toBe(before);
    vaultService.lock(s, 'manual');
  });
});

describe('references to the vault, and the rules', () => {
  it('a second document may cite networks, people, intelligence and offences already in the vault, but not repeat them', () => {
    const path = newVault('twice');
    const s = open(path, SUPERVISOR);
    const first = small(21);
    expect(importDocument(s, first).ok).toBe(true);
    const net = first.networks![0]!.reference;
    const items = first.intelligence!.filter((i) => i.networkRefs!.includes(net) && i.grading === '3x5x2');
    const twoSources = [items[0]!.reference, items.find((i) => i.sourceRef !== items[0]!.sourceRef)!.reference];
    const second: ImportDocument = {
      format: 'harm-matrix-import',
      version: 1,
      people: [{ reference: 'P-2026-90001', name: 'Synthetic Person 90001 Zylvex', dateOfBirth: '2010-01-01' }],
      memberships: [{ personRef: 'P-2026-90001', networkRef: net, role: 'associate', intelRefs: twoSources, startDate: '2026-05-01' }],
      offences: [{ crimeReference: 'CR-2026-9000001', category: 'robbery', offenceDate: '2026-05-02', borough: 'E09000001', stage: 'convicted' }],
      offenceLinks: [{ crimeReference: 'CR-2026-9000001', networkRef: net, rationale: 'Synthetic rationale.', intelRefs: [twoSources[0]!] }],
      ratings: [{ networkRef: net, kind: 'capability', dimension: 'firearms', value: 3 }],
    };
    const db = s.vault!.db;
    const scoreBefore = db.prepare('SELECT s.score FROM network_scores s JOIN networks n ON n.id = s.network_id WHERE n.reference = ?').pluck().get(net) as number;
    expect(importDocument(s, second)).toMatchObject({ ok: true, counts: { people: 1, memberships: 1, offences: 1, offenceLinks: 1, ratings: 1 } });
    expect(count(db, 'networks')).toBe(10);
    // An under-18 linked today: review in 3 months.
    expect(db.prepare("SELECT review_on FROM memberships m JOIN people p ON p.id = m.person_id WHERE p.reference = 'P-2026-90001'").pluck().get()).toBe(addMonths(TODAY, 3));
    expect(db.prepare('SELECT s.score FROM network_scores s JOIN networks n ON n.id = s.network_id WHERE n.reference = ?').pluck().get(net)).toBeGreaterThan(scoreBefore);

    const again = importDocument(s, { format: 'harm-matrix-import', version: 1, networks: [first.networks![0]!], offences: second.offences, offenceLinks: second.offenceLinks });
    expect(again).toEqual({
      ok: false,
      isTruncated: false,
      errors: [
        { section: 'networks', index: 0, reference: net, field: 'reference', message: `The vault already holds network reference ${net}.` },
        { section: 'offences', index: 0, reference: 'CR-2026-9000001', field: 'crimeReference', message: 'The vault already holds crime reference CR-2026-9000001.' },
      ],
    });
    vaultService.lock(s, 'manual');
  });

  it('confirmed flags need a supervisor; an analyst may import them as proposed', () => {
    const path = newVault('flags');
    const s = open(path, ANALYST);
    const doc = small(31);
    const confirmed = doc.flags!.map((f, i) => [f, i] as const).filter(([f]) => f.status === 'confirmed');
    expect(confirmed.length).toBeGreaterThan(0);
    const r = importDocument(s, doc);
    expect(r).toEqual({
      ok: false,
      isTruncated: false,
      errors: confirmed.map(([f, index]) => ({
        section: 'flags',
        index,
        reference: f.subjectRef,
        field: 'status',
        message: 'Only a supervisor can confirm a gang flag: import it as proposed, or run the import as a supervisor.',
      })),
    });
    for (const f of doc.flags!) f.status = 'proposed';
    expect(importDocument(s, doc).ok).toBe(true);
    expect(count(s.vault!.db, 'gang_flags', "status = 'proposed'")).toBe(doc.flags!.length);
    vaultService.lock(s, 'manual');
  });

  it('a confirmed flag without its criteria is refused, as on screen', () => {
    const s = open(newVault('criteria'), SUPERVISOR);
    const doc = small(41);
    const i = doc.flags!.findIndex((f) => f.status === 'confirmed' && !f.isSelfAdmission);
    doc.flags![i]!.intelRefs = doc.flags![i]!.intelRefs!.slice(0, 1);
    const r = importDocument(s, doc);
    expect(r).toEqual({
      ok: false,
      isTruncated: false,
      errors: [
        {
          section: 'flags',
          index: i,
          reference: doc.flags![i]!.subjectRef,
          field: 'intelRefs',
          message: FLAG_CRITERIA_REFUSAL,
        },
      ],
    });
    vaultService.lock(s, 'manual');
  });

  it('the example in docs/import-schema.md imports as documented', () => {
    const markdown = readFileSync(resolve(__dirname, '../../docs/import-schema.md'), 'utf8');
    const example = JSON.parse(/## Example\s+```json\n([\s\S]*?)\n```/.exec(markdown)![1]!);
    const s = open(newVault('example'), SUPERVISOR);
    const r = importDocument(s, example);
    expect(r).toMatchObject({
      ok: true,
      counts: { networks: 1, people: 2, intelligence: 3, memberships: 2, offences: 1, offenceLinks: 1, ratings: 2, flags: 1, proposedLinksFromFlags: 0 },
    });
    const db = s.vault!.db;
    expect(db.prepare("SELECT next_review_on FROM networks WHERE reference = 'CN-2026-0042'").pluck().get()).toBe('2026-11-03');
    expect(db.prepare("SELECT legacy_grade FROM intelligence WHERE reference = 'INT-2021-000003'").pluck().get()).toBe('B2 4');
    expect(db.prepare("SELECT basis FROM memberships WHERE role = 'victim_at_risk'").pluck().get()).toBe('safeguarding');
    const score = db.prepare('SELECT score, eh_pts, ah_pts, cap_pts, confidence FROM network_scores').get() as Record<string, number | string>;
    // One convicted robbery 122 days before today (w 365 × 1.0 × 0.5^(122/365.25·12/12)); physical 3 supported (3.75); firearms 1.
    expect(score.ah_pts).toBe(3.75);
    expect(score.cap_pts).toBe(1);
    expect(score.confidence).toBe('high');
    expect(score.eh_pts).toBeCloseTo(12 * Math.log10(1 + 365 * 0.5 ** (122 / 365.25)), 9);
    vaultService.lock(s, 'manual');
  });
});

describe('the app and the import apply the same register rules (domain/register-rules.ts)', () => {
  // Today is 2026-06-30: one person turns 18 tomorrow, one turned 18 today.
  const PEOPLE = [
    { reference: 'P-2026-00101', name: 'Synthetic Person 00101 Adult', dateOfBirth: '1990-01-01' },
    { reference: 'P-2026-00102', name: 'Synthetic Person 00102 Child', dateOfBirth: '2008-07-01' },
    { reference: 'P-2026-00103', name: 'Synthetic Person 00103 Eighteen', dateOfBirth: '2008-06-30' },
    { reference: 'P-2026-00104', name: 'Synthetic Person 00104 Young', dateOfBirth: '2012-05-05' },
    { reference: 'P-2026-00105', name: 'Synthetic Person 00105 Unknown', dateOfBirth: null },
  ];
  const ITEMS: (IntelligenceDraft & { reference: string })[] = [
    { reference: 'INT-AG-A1', itemDate: '2026-03-01', summary: 'Fictitious.', sourceRef: 'SRC-A', grading: '3x5x2', sourceGrade: 1, intelGrade: 'B', handling: 'P' },
    // The same source as INT-AG-A1, written with other case and spacing.
    { reference: 'INT-AG-A2', itemDate: '2026-03-02', summary: 'Fictitious.', sourceRef: ' src-a ', grading: '3x5x2', sourceGrade: 2, intelGrade: 'A', handling: 'P' },
    { reference: 'INT-AG-B1', itemDate: '2026-03-03', summary: 'Fictitious.', sourceRef: 'SRC-B', grading: '3x5x2', sourceGrade: 2, intelGrade: 'C', handling: 'C' },
    { reference: 'INT-AG-L1', itemDate: '2019-03-04', summary: 'Fictitious.', sourceRef: 'SRC-L', grading: '5x5x5', legacyGrade: 'B2 4' },
  ];
  type Link = { personRef: string; role: MembershipDraft['role']; isSelfAdmission: boolean; intelRefs: string[] };
  const LINKS: Link[] = [
    { personRef: 'P-2026-00101', role: 'principal', isSelfAdmission: false, intelRefs: ['INT-AG-A1', 'INT-AG-B1'] },
    { personRef: 'P-2026-00102', role: 'associate', isSelfAdmission: false, intelRefs: ['INT-AG-A1', 'INT-AG-L1'] },
    // A self-admission cites the item that records it.
    { personRef: 'P-2026-00103', role: 'lieutenant', isSelfAdmission: true, intelRefs: ['INT-AG-B1'] },
    { personRef: 'P-2026-00104', role: 'victim_at_risk', isSelfAdmission: false, intelRefs: [] },
  ];
  /** Two items, one source: refused on both paths. */
  const ONE_SOURCE_LINK: Link = { personRef: 'P-2026-00105', role: 'associate', isSelfAdmission: false, intelRefs: ['INT-AG-A1', 'INT-AG-A2'] };
  type Flag = { subjectType: 'person' | 'offence'; subjectRef: string; isSelfAdmission: boolean; intelRefs: string[]; status: 'proposed' | 'confirmed'; hasNetwork: boolean };
  const FLAGS: Flag[] = [
    // A child's flag is imported as proposed (it is confirmed in the app by a supervisor other than its proposer).
    { subjectType: 'person', subjectRef: 'P-2026-00102', isSelfAdmission: false, intelRefs: ['INT-AG-A1', 'INT-AG-B1'], status: 'proposed', hasNetwork: true },
    { subjectType: 'person', subjectRef: 'P-2026-00101', isSelfAdmission: true, intelRefs: ['INT-AG-A1'], status: 'confirmed', hasNetwork: true },
    // P-2026-00104's only link is victim / at risk, so they are never flagged; P-2026-00105 has no link.
    { subjectType: 'person', subjectRef: 'P-2026-00105', isSelfAdmission: false, intelRefs: [], status: 'proposed', hasNetwork: true },
    { subjectType: 'offence', subjectRef: 'CR-AG-0001', isSelfAdmission: false, intelRefs: ['INT-AG-A1', 'INT-AG-B1'], status: 'confirmed', hasNetwork: true },
    { subjectType: 'offence', subjectRef: 'CR-AG-0002', isSelfAdmission: true, intelRefs: ['INT-AG-L1'], status: 'confirmed', hasNetwork: false },
  ];
  /** Confirming a two-source flag whose two items share a source: refused on both paths. */
  const ONE_SOURCE_FLAG: Flag = { subjectType: 'person', subjectRef: 'P-2026-00103', isSelfAdmission: false, intelRefs: ['INT-AG-A1', 'INT-AG-A2'], status: 'confirmed', hasNetwork: true };
  const NETWORK: NetworkRow = { reference: 'CN-2026-0100', name: 'Demo Crew 0100 (synthetic)', type: 'gang', leadBorough: 'E09000022', otherBoroughs: ['E09000028', 'E09000022', 'E09000028'], businessGroup: 'TP' };
  const OFFENCES: OffenceRow[] = ['CR-AG-0001', 'CR-AG-0002'].map((crimeReference) => ({ crimeReference, category: 'robbery', offenceDate: '2026-04-01', borough: 'E09000022', stage: 'charged' }));
  const asRow = ({ hasNetwork, ...f }: Flag): FlagRow => ({ ...f, networkRef: hasNetwork ? NETWORK.reference : null });

  /** What each path stored, by the records' own references. */
  function stored(db: Db) {
    return {
      network: db.prepare('SELECT last_reviewed_on, next_review_on, (SELECT group_concat(borough_code) FROM network_boroughs b WHERE b.network_id = n.id) AS others FROM networks n').all(),
      memberships: db
        .prepare('SELECT p.reference, m.role, m.basis, m.status, m.start_date, m.review_on FROM memberships m JOIN people p ON p.id = m.person_id ORDER BY p.reference')
        .all(),
      flags: db
        .prepare(
          `SELECT coalesce(p.reference, o.crime_reference) AS subject, f.status, f.criteria, f.review_on, f.network_id IS NOT NULL AS has_network,
             (SELECT count(*) FROM gang_flag_intelligence x WHERE x.flag_id = f.id) AS items
           FROM gang_flags f LEFT JOIN people p ON p.id = f.subject_id LEFT JOIN offences o ON o.id = f.subject_id ORDER BY subject`,
        )
        .all(),
      offenceLinks: db
        .prepare(
          `SELECT o.crime_reference, l.status, l.rationale, l.confirmed_by IS NULL AS is_unconfirmed, (SELECT count(*) FROM offence_link_intelligence x WHERE x.link_id = l.id) AS items
           FROM offence_links l JOIN offences o ON o.id = l.offence_id ORDER BY o.crime_reference`,
        )
        .all(),
      intelligence: db.prepare('SELECT reference, grading, source_grade, intel_grade, handling, legacy_grade, source_ref FROM intelligence ORDER BY reference').all(),
    };
  }

  it('the same register, recorded on screen and imported, is stored alike; the same rows are refused with the same sentence', () => {
    // On screen.
    const app = open(newVault('agree-app'), SUPERVISOR);
    const network = M.createNetwork(app, NETWORK);
    const personId = new Map(PEOPLE.map((p) => [p.reference, M.createPerson(app, p).id]));
    const itemId = new Map(ITEMS.map((i) => [i.reference, M.recordIntelligence(app, { ...i, networkIds: [network.id] }).id]));
    const offenceId = new Map(OFFENCES.map((o) => [o.crimeReference, M.recordOffence(app, o).id]));
    const ids = (refs: string[]) => refs.map((r) => itemId.get(r)!);
    for (const l of LINKS) M.linkPerson(app, { personId: personId.get(l.personRef)!, networkId: network.id, role: l.role, isSelfAdmission: l.isSelfAdmission, intelIds: ids(l.intelRefs), startDate: '2026-01-15' });
    const refusal = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return null;
    };
    const appLinkRefusal = refusal(() =>
      M.linkPerson(app, { personId: personId.get(ONE_SOURCE_LINK.personRef)!, networkId: network.id, role: ONE_SOURCE_LINK.role, intelIds: ids(ONE_SOURCE_LINK.intelRefs), startDate: '2026-01-15' }),
    );
    const subjectId = (f: { subjectType: string; subjectRef: string }) => (f.subjectType === 'person' ? personId : offenceId).get(f.subjectRef)!;
    const toConfirm: string[] = [];
    for (const f of FLAGS) {
      const flag = M.proposeFlag(app, {
        subjectType: f.subjectType,
        subjectId: subjectId(f),
        networkId: f.hasNetwork ? network.id : null,
        isSelfAdmission: f.isSelfAdmission,
        intelIds: ids(f.intelRefs),
      });
      if (f.status === 'confirmed') toConfirm.push(flag.id);
    }
    const oneSource = M.proposeFlag(app, { subjectType: 'person', subjectId: subjectId(ONE_SOURCE_FLAG), networkId: network.id, intelIds: ids(ONE_SOURCE_FLAG.intelRefs) });
    vaultService.lock(app, 'manual');
    // Confirmed by a supervisor who proposed none of them.
    const second = open(join(dir, 'agree-app.hmvault'), SUPERVISOR2);
    for (const id of toConfirm) M.confirmFlag(second, id);
    const appFlagRefusal = refusal(() => M.confirmFlag(second, oneSource.id));
    M.endFlag(second, oneSource.id, 'removed', 'Not needed for the comparison.');
    const onScreen = stored(second.vault!.db);
    vaultService.lock(second, 'manual');

    // Imported.
    const imp = open(newVault('agree-import'), SUPERVISOR);
    const doc: ImportDocument = {
      format: 'harm-matrix-import',
      version: 1,
      networks: [NETWORK],
      people: PEOPLE,
      intelligence: ITEMS.map((i) => ({ ...i, networkRefs: [NETWORK.reference] })),
      memberships: LINKS.map((l) => ({ ...l, networkRef: NETWORK.reference, startDate: '2026-01-15' })),
      offences: OFFENCES,
      flags: FLAGS.map(asRow),
    };
    const refused = importDocument(imp, {
      ...doc,
      memberships: [...doc.memberships!, { ...ONE_SOURCE_LINK, networkRef: NETWORK.reference, startDate: '2026-01-15' }],
      flags: [...doc.flags!, asRow(ONE_SOURCE_FLAG)],
    });
    expect(refused).toEqual({
      ok: false,
      isTruncated: false,
      errors: [
        { section: 'memberships', index: LINKS.length, reference: ONE_SOURCE_LINK.personRef, field: 'intelRefs', message: appLinkRefusal },
        { section: 'flags', index: FLAGS.length, reference: ONE_SOURCE_FLAG.subjectRef, field: 'intelRefs', message: appFlagRefusal },
      ],
    });
    expect(importDocument(imp, doc)).toMatchObject({ ok: true, counts: { memberships: LINKS.length, flags: FLAGS.length, proposedLinksFromFlags: 1 } });
    const imported = stored(imp.vault!.db);
    vaultService.lock(imp, 'manual');

    // The removed flag was made only to show the refusal on screen.
    onScreen.flags = onScreen.flags.filter((f) => (f as { status: string }).status !== 'removed');
    expect(imported).toEqual(onScreen);
    // And what both stored is what the rules say, for today.
    expect(onScreen.network).toEqual([{ last_reviewed_on: null, next_review_on: '2027-06-30', others: 'E09000028' }]);
    expect(onScreen.memberships).toEqual([
      { reference: 'P-2026-00101', role: 'principal', basis: 'graded_sources', status: 'confirmed', start_date: '2026-01-15', review_on: '2026-12-30' },
      // Under 18: proposed, for a supervisor other than its proposer to confirm.
      { reference: 'P-2026-00102', role: 'associate', basis: 'graded_sources', status: 'proposed', start_date: '2026-01-15', review_on: '2026-09-30' },
      { reference: 'P-2026-00103', role: 'lieutenant', basis: 'self_admission', status: 'confirmed', start_date: '2026-01-15', review_on: '2026-12-30' },
      { reference: 'P-2026-00104', role: 'victim_at_risk', basis: 'safeguarding', status: 'confirmed', start_date: '2026-01-15', review_on: '2026-09-30' },
    ]);
    expect(onScreen.flags).toEqual([
      { subject: 'CR-AG-0001', status: 'confirmed', criteria: 'two_sources', review_on: '2026-12-30', has_network: 1, items: 2 },
      { subject: 'CR-AG-0002', status: 'confirmed', criteria: 'self_admission', review_on: '2026-12-30', has_network: 0, items: 1 },
      { subject: 'P-2026-00101', status: 'confirmed', criteria: 'self_admission', review_on: '2026-12-30', has_network: 1, items: 1 },
      { subject: 'P-2026-00102', status: 'proposed', criteria: 'two_sources', review_on: '2026-12-30', has_network: 1, items: 2 },
      { subject: 'P-2026-00105', status: 'proposed', criteria: 'two_sources', review_on: '2026-12-30', has_network: 1, items: 0 },
    ]);
    expect(onScreen.offenceLinks).toEqual([{ crime_reference: 'CR-AG-0001', status: 'proposed', rationale: 'Proposed by a confirmed gang flag on the offence.', is_unconfirmed: 1, items: 2 }]);
    expect(onScreen.intelligence.find((i) => (i as { reference: string }).reference === 'INT-AG-L1')).toEqual({
      reference: 'INT-AG-L1',
      grading: '5x5x5',
      source_grade: null,
      intel_grade: null,
      handling: null,
      legacy_grade: 'B2 4',
      source_ref: 'SRC-L',
    });
  });
});
