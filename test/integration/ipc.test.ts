/**
 * The IPC boundary, through createDispatch and the real handlers over a real vault:
 * - the contract and the handlers name exactly the same channels, and registerIpc registers each;
 * - senders that are not the app's top frame are refused and change nothing;
 * - each channel's access rule is enforced, for every role;
 * - fuzz: 1,000 payloads per channel as an administrator and 300 more as a read-only user
 *   (arbitrary values, the right keys with wrong types, extreme strings, prototype-pollution keys,
 *   valid shapes), structured-cloned as Electron's IPC would. Every answer is a valid result or a
 *   known error code (never 'internal', never a throw), and a refused call never changes the
 *   database, the key file or the audit head.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3-multiple-ciphers';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AUDIT_ACTIONS, CHANNELS, ERROR_CODES, ROLES, contract, type Channel, type Result, type Role } from '../../preload/contract';
import { createDispatch, registerIpc, type Dispatch, type IpcEventLike, type SenderInfo } from '../../main/ipc/handle';
import { handlers } from '../../main/ipc/handlers';
import { CHANNEL_NAMES } from '../../preload/contract/channels';
import { readHead } from '../../main/audit/audit';
import { Session } from '../../main/services/session';
import * as usersService from '../../main/services/users.service';
import { APP_ORIGIN, isAppUrl } from '../../main/window/csp';
import {
  ADMIN,
  ANALYST,
  READER,
  SUPERVISOR,
  TestClock,
  VALIDATOR,
  createTestVault,
  fileHash,
  keysPathFor,
  removeDir,
  sha256,
  vaultLayerUnlock,
  type TestVault,
} from '../helpers/vault-fixtures';

const SEED = Number(process.env.HM_FUZZ_SEED ?? 20260630);
const RUNS = 1_000;
/** The read-only pass mostly meets the role check; fewer runs keep the suite inside its time. */
const RUNS_SECOND_PASS = 300;
const APP: SenderInfo = { url: `${APP_ORIGIN}/index.html`, isTopFrame: true };

interface Person {
  id: string;
  name: string;
  role: Role;
  passphrase: string;
}

let tv: TestVault;
let s: Session;
let dispatch: Dispatch;
const people = {} as Record<Role, Person>;
const sacrificial: string[] = [];
let backupDir: string;
/**
 * Moved on five minutes before each fuzzed call, past the longest unlock back-off, so every
 * fuzzed unlock and recovery reaches the key slots instead of stopping at rate_limited
 * (throttling has its own test in vault.test.ts).
 */
const clock = new TestClock();

beforeAll(() => {
  tv = createTestVault({ label: 'ipc', ctx: { now: clock.now } });
  s = tv.session;
  people.administrator = { id: tv.adminId, name: ADMIN.name, role: 'administrator', passphrase: ADMIN.passphrase };
  const more: [Role, { name: string; passphrase: string }][] = [
    ['supervisor', SUPERVISOR],
    ['validator', VALIDATOR],
    ['analyst', ANALYST],
    ['read_only', READER],
  ];
  for (const [role, p] of more) people[role] = { id: usersService.add(s, { name: p.name, role, passphrase: p.passphrase }).id, name: p.name, role, passphrase: p.passphrase };
  for (const n of ['Spare One', 'Spare Two', 'Spare Three']) sacrificial.push(usersService.add(s, { name: n, role: 'analyst', passphrase: 'quince tundra whistle 28' }).id);
  backupDir = join(tv.dir, 'backups');
  mkdirSync(backupDir);
  dispatch = createDispatch(s, handlers, isAppUrl);
});
afterAll(() => {
  s.closeVault();
  removeDir(tv.dir);
});

/**
 * Make the session signed in as `who`, at the vault layer (no audit entry, its own state folder
 * for failure counts), so a fuzzed call that locked the session can be followed by the next.
 */
function signIn(who: Person): void {
  if (s.vault?.isOpen && s.user?.id === who.id) return;
  s.closeVault();
  const u = vaultLayerUnlock(tv.dir, tv.path, who.name, who.passphrase);
  s.vault = u.vault;
  s.signer = u.signer;
  s.signerSlotId = u.slot.id;
  s.user = { id: who.id, name: who.name, role: who.role };
}

type Db = NonNullable<Session['vault']>['db'];
type Statement = Database.Statement<unknown[], unknown>;
/** Prepared once per connection: the fingerprint runs after every one of the fuzzed calls. */
const statements = new WeakMap<Db, Map<string, Statement>>();
function stmt(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (!m) statements.set(db, (m = new Map()));
  let st = m.get(sql);
  if (!st) m.set(sql, (st = db.prepare<unknown[], unknown>(sql)));
  return st;
}

/**
 * Everything a call could change: the schema, every table's rows (the audit log by its head,
 * which the hash chain ties to every entry before it), user_version, and the key file.
 */
function fingerprint(): string {
  const db = s.vault!.db;
  const schema = stmt(db, 'SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all() as { type: string; name: string }[];
  const tables = schema.filter((o) => o.type === 'table' && o.name !== 'audit_log' && !o.name.startsWith('sqlite_'));
  return sha256(
    JSON.stringify([
      schema,
      readHead(db),
      tables.map((t) => stmt(db, `SELECT * FROM "${t.name}"`).all()),
      db.pragma('user_version', { simple: true }),
      fileHash(keysPathFor(tv.path)),
    ]),
  );
}

/**
 * The same question, cheaply, while the connection stays open: SQLite counts every row this
 * connection inserts, updates or deletes (total_changes), schema_version moves on any DDL, and
 * the key file is only ever replaced by rename (a new inode), never edited in place.
 */
function quickFingerprint(): string {
  const db = s.vault!.db;
  const changes = (stmt(db, 'SELECT total_changes() AS n').get() as { n: number }).n;
  const keys = statSync(keysPathFor(tv.path), { bigint: true });
  return JSON.stringify([changes, db.pragma('schema_version', { simple: true }), readHead(db), String(keys.ino), String(keys.size), String(keys.mtimeNs)]);
}

/**
 * Channels whose handlers may close or replace the session's connection: locking, unlocking
 * afresh, and rotating the data key (which reopens the re-keyed file).
 */
const CLOSERS = new Set<string>(['vault:unlock', 'vault:recover', 'vault:lock', 'vault:rotate-key', 'users:remove']);

function isKnownFailure(r: Result<unknown>): boolean {
  return !r.ok && (ERROR_CODES as readonly string[]).includes(r.code) && r.code !== 'internal';
}

/* ---- The channel list ------------------------------------------------------------------------ */

describe('contract and handlers', () => {
  test('every contract channel has a handler and no handler lacks a channel', () => {
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(contract).sort());
    expect([...CHANNELS].sort()).toEqual(Object.keys(contract).sort());
    for (const c of CHANNELS) {
      expect(typeof handlers[c]).toBe('function');
      expect(c).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    }
    // The preload's plain list (no zod at run time) names the same channels.
    expect([...CHANNEL_NAMES].sort()).toEqual([...CHANNELS].sort());
  });

  test('registerIpc registers every channel once, and takes the sender from the frame', async () => {
    const registered = new Map<string, (e: IpcEventLike, p: unknown) => Promise<unknown>>();
    registerIpc({ handle: (c, l) => void (expect(registered.has(c)).toBe(false), registered.set(c, l)), removeHandler: () => undefined }, dispatch);
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort());
    signIn(people.administrator);
    const status = registered.get('app:status')!;
    expect(await status({ senderFrame: { url: APP.url, parent: null } }, {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    const refused = { ok: false, code: 'forbidden', message: 'This request did not come from Harm Matrix.' };
    expect(await status({ senderFrame: { url: APP.url, parent: {} } }, {})).toEqual(refused);
    expect(await status({ senderFrame: null }, {})).toEqual(refused);
    expect(await status({ senderFrame: { url: 'https://evil.example/', parent: null } }, {})).toEqual(refused);
  });

  test('an unknown channel is refused, including names that exist on Object.prototype', async () => {
    for (const c of ['vault:delete', '__proto__', 'constructor', 'toString', 'hasOwnProperty', '', 'app:status ']) {
      expect(await dispatch(c, {}, APP)).toEqual({ ok: false, code: 'forbidden', message: 'Unknown request.' });
    }
  });
});

/* ---- Sample valid inputs ------------------------------------------------------------------- */

let unique = 0;
/** A valid input per channel that does no lasting harm, for the sender and role tables. */
function sampleInput(c: Channel, as: Person): unknown {
  unique++;
  switch (c) {
    case 'vault:check-passphrase':
      return { passphrase: 'abc' };
    case 'vault:create':
      return { path: join(tv.dir, `never-${unique}.hmvault`), adminName: 'New Person', passphrase: 'granite orbit lantern 47' };
    case 'vault:select':
      return { path: tv.path };
    case 'vault:unlock':
      return { userName: as.name, passphrase: as.passphrase };
    case 'vault:recover':
      return { recoveryCode: 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-AAAAA', userName: as.name, newPassphrase: 'harbour violet compass 19' };
    case 'vault:change-passphrase':
      return { current: 'not the passphrase', next: 'harbour violet compass 19' };
    case 'vault:backup':
      return { path: join(backupDir, `sample-${unique}.hmvault`) };
    case 'users:add':
      return { name: `Sample Person ${unique}`, role: 'analyst', passphrase: 'copper meadow fiddle 61' };
    case 'users:remove':
      return { userId: randomUUID(), rotateKey: false };
    case 'audit:list':
      return { limit: 5 };
    case 'settings:update':
      return { idleTimeoutMinutes: 10, marking: 'OFFICIAL-SENSITIVE' };
    default:
      return {};
  }
}

describe('senders', () => {
  const senders: SenderInfo[] = [
    { url: 'https://evil.example/', isTopFrame: true },
    { url: APP.url, isTopFrame: false },
    { url: 'app://harm-matrix.evil.example/index.html', isTopFrame: true },
    { url: 'http://127.0.0.1:5173/', isTopFrame: true },
    { url: 'file:///etc/passwd', isTopFrame: true },
    { url: 'about:blank', isTopFrame: true },
    { url: '', isTopFrame: true },
    { url: 'not a url', isTopFrame: true },
  ];

  test('a sender that is not the app top frame is refused on every channel and changes nothing', async () => {
    signIn(people.administrator);
    const before = fingerprint();
    for (const c of CHANNELS) {
      for (const sender of senders) {
        const r = await dispatch(c, sampleInput(c, people.administrator), sender);
        expect(r, `${c} from ${sender.url} (top ${sender.isTopFrame})`).toEqual({ ok: false, code: 'forbidden', message: 'This request did not come from Harm Matrix.' });
      }
    }
    // Not even vault:lock got through.
    expect(s.vault?.isOpen).toBe(true);
    expect(fingerprint()).toBe(before);
  });
});

/* ---- Access rules -------------------------------------------------------------------------- */

/**
 * The foundation's intended policy, written out independently of the contract so a loosened rule
 * shows. Channels added later (the matrix) are held to their contract rule by the fuzz below.
 */
const POLICY: Partial<Record<Channel, 'public' | 'user' | Role[]>> = {
  'app:status': 'public',
  'vault:check-passphrase': 'public',
  'vault:create': 'public',
  'vault:new-recovery-code': ['administrator'],
  'vault:confirm-recovery': ['administrator'],
  'vault:select': 'public',
  'vault:unlock': 'public',
  'vault:recover': 'public',
  'vault:lock': 'public',
  'vault:change-passphrase': 'user',
  'vault:backup': ['administrator'],
  'vault:rotate-key': ['administrator'],
  'users:list': ['administrator'],
  'users:add': ['administrator'],
  'users:remove': ['administrator'],
  'audit:list': ['administrator', 'supervisor'],
  'audit:verify': ['administrator', 'supervisor'],
  'settings:get': 'user',
  'settings:update': ['administrator'],
};

const FOUNDATION = Object.keys(POLICY) as Channel[];

describe('access rules', () => {
  test('the contract declares the intended rule for every foundation channel, and a well-formed rule for every other', () => {
    for (const c of FOUNDATION) {
      expect(CHANNELS, c).toContain(c);
      const a = contract[c].access;
      expect(typeof a === 'string' ? a : [...a], c).toEqual(POLICY[c]);
    }
    for (const c of CHANNELS) {
      const a = contract[c].access;
      if (typeof a === 'string') expect(['public', 'user'], c).toContain(a);
      else {
        expect(a.length, c).toBeGreaterThan(0);
        for (const r of a) expect(ROLES, c).toContain(r);
      }
    }
  });

  test.each(ROLES.map((r) => [r]))('as %s, each foundation channel is allowed or refused exactly as its rule says', async (role) => {
    const me = people[role];
    for (const c of FOUNDATION) {
      signIn(me);
      const rule = POLICY[c]!;
      const isAllowed = rule === 'public' || rule === 'user' || rule.includes(role);
      const before = fingerprint();
      const r = await dispatch(c, sampleInput(c, me), APP);
      if (isAllowed) {
        expect(r.ok || r.code !== 'forbidden', `${role} ${c}: ${JSON.stringify(r)}`).toBe(true);
        expect(r.ok || isKnownFailure(r), `${role} ${c}: ${JSON.stringify(r)}`).toBe(true);
      } else {
        expect(r, `${role} ${c}`).toEqual({ ok: false, code: 'forbidden', message: 'Your role does not allow this.' });
        expect(fingerprint()).toBe(before);
      }
    }
  });

  test('with the vault locked, every channel that needs a user answers locked and nothing else runs', async () => {
    s.closeVault();
    for (const c of FOUNDATION) {
      if (POLICY[c] === 'public') continue;
      expect(await dispatch(c, sampleInput(c, people.administrator), APP), c).toEqual({ ok: false, code: 'locked', message: 'The vault is locked. Unlock it to continue.' });
    }
    expect(s.vault).toBeNull();
    // The public ones answer without a user: status says locked.
    expect(await dispatch('app:status', {}, APP)).toMatchObject({ ok: true, value: { state: 'locked', user: null, settings: null } });
  });
});

/* ---- Fuzz ---------------------------------------------------------------------------------- */

const EXTREME_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a'.repeat(1_000_000),
  '\u0000'.repeat(10_000),
  '\uD800',
  '\uDFFF\uD800',
  '😀'.repeat(100),
  'é'.normalize('NFD').repeat(64),
  '../../../../etc/passwd',
  // Path-shaped, but never a folder that exists: a valid absolute path would really be written to.
  '../../etc/passwd.hmvault',
  '/nonexistent-hm-fuzz-folder/x.hmvault',
  "'; DROP TABLE audit_log; --",
  '%s%n%x',
  '\u202Eevil',
  'x'.repeat(129),
  'x'.repeat(128),
  'x'.repeat(12),
  ' '.repeat(65),
];

const str = (min: number, max: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }) },
    { weight: 1, arbitrary: fc.string({ minLength: min, maxLength: max, unit: 'binary' }) },
  );
const validName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z '.-]{1,30}[A-Za-z]$/),
  fc.constantFrom(ADMIN.name, ANALYST.name, 'alice admin', 'ÜLRICH', 'Spare One'),
);
const validPassphrase = str(12, 128);
const isoDay = fc.date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const safeFile = fc.stringMatching(/^[A-Za-z0-9 _'-]{1,30}$/);

/** Valid shapes for each channel; the weight keeps expensive but repetitive successes rare. */
function validArbitrary(c: Channel): { arb: fc.Arbitrary<unknown>; weight: number } {
  switch (c) {
    case 'vault:check-passphrase':
      return { arb: fc.record({ passphrase: str(0, 200), context: fc.array(str(0, 64), { maxLength: 4 }) }, { requiredKeys: ['passphrase'] }), weight: 6 };
    case 'vault:create':
      return { arb: fc.record({ path: safeFile.map((f) => join(tv.dir, 'created', `${f}.hmvault`)), adminName: validName, passphrase: validPassphrase }), weight: 6 };
    case 'vault:select':
      return { arb: fc.record({ path: fc.oneof(fc.constant(tv.path), safeFile.map((f) => join(tv.dir, `${f}.hmvault`))) }), weight: 6 };
    case 'vault:unlock':
      return { arb: fc.record({ userName: validName, passphrase: str(1, 1024) }), weight: 3 };
    case 'vault:recover':
      return {
        arb: fc.record({
          recoveryCode: fc.oneof(str(1, 64), fc.stringMatching(/^[0-9A-Z]{5}(-[0-9A-Z]{5}){5}$/)),
          userName: validName,
          newPassphrase: validPassphrase,
        }),
        weight: 3,
      };
    case 'vault:change-passphrase':
      return { arb: fc.record({ current: str(1, 1024), next: validPassphrase }), weight: 3 };
    case 'vault:backup':
      return { arb: fc.record({ path: safeFile.map((f) => join(backupDir, `${f}.hmvault`)) }), weight: 1 };
    case 'users:add':
      return { arb: fc.record({ name: validName, role: fc.constantFrom(...ROLES), passphrase: validPassphrase }), weight: 3 };
    case 'users:remove':
      return { arb: fc.record({ userId: fc.oneof(fc.uuid(), fc.constantFrom(...sacrificial, people.administrator.id)), rotateKey: fc.boolean() }), weight: 6 };
    case 'audit:list':
      return {
        arb: fc.record(
          {
            userName: str(0, 64),
            action: fc.constantFrom(...AUDIT_ACTIONS),
            entityType: str(0, 64),
            entityId: str(0, 128),
            from: isoDay,
            to: isoDay,
            limit: fc.integer({ min: 1, max: 100_000 }),
          },
          { requiredKeys: [] },
        ),
        weight: 3,
      };
    case 'settings:update':
      return { arb: fc.record({ idleTimeoutMinutes: fc.integer({ min: 1, max: 60 }), marking: str(1, 80) }), weight: 6 };
    case 'app:status':
    case 'settings:get':
    case 'users:list':
      return { arb: fc.constant({}), weight: 6 };
    default:
      // The other channels that take {} lock, rotate, verify or confirm: one valid input, and
      // repeating it hundreds of times would test nothing more at a high cost.
      return { arb: fc.constant({}), weight: 1 };
  }
}

/** The keys a channel's input object declares. */
function keysOf(c: Channel): string[] {
  const shape = (contract[c].input as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function payloads(c: Channel, seed: number, runs: number): unknown[] {
  const keys = keysOf(c);
  const valid = validArbitrary(c);
  const rightKeysWrongTypes = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.anything()])), { requiredKeys: [] })
    : fc.dictionary(fc.string(), fc.anything(), { minKeys: 1, maxKeys: 3 });
  const extreme = keys.length
    ? fc.record(Object.fromEntries(keys.map((k) => [k, fc.constantFrom(...EXTREME_STRINGS)])), { requiredKeys: [] })
    : fc.record({ x: fc.constantFrom(...EXTREME_STRINGS) });
  const pollution = fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'prototype', '__defineGetter__', 'hasOwnProperty'), fc.anything(), valid.arb)
    .map(([k, v, base]) => {
      const extra = JSON.parse(`{"${k}": {"polluted": true, "isAdmin": true, "role": "administrator"}}`) as Record<string, unknown>;
      return { ...(typeof base === 'object' && base ? base : {}), ...extra, other: v };
    });
  const anything = fc
    .anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true })
    // An empty object is the valid input of several channels: it comes from the valid arm only.
    .filter((v) => !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0));
  const arb = fc.oneof(
    { weight: valid.weight, arbitrary: valid.arb },
    { weight: 10, arbitrary: rightKeysWrongTypes },
    { weight: 10, arbitrary: anything },
    { weight: 3, arbitrary: extreme },
    { weight: 3, arbitrary: pollution },
    { weight: 2, arbitrary: fc.constantFrom(undefined, null, 0, '', [], [{}], 'app:status', new Map([['passphrase', 'x']])) },
  );
  return fc.sample(arb, { numRuns: runs, seed });
}

interface Tally {
  ok: number;
  codes: Record<string, number>;
}

async function fuzzChannel(c: Channel, as: Person, seed: number, runs: number): Promise<Tally> {
  const tally: Tally = { ok: 0, codes: {} };
  const inputs = payloads(c, seed, runs);
  const mayClose = CLOSERS.has(c);
  for (const [i, raw] of inputs.entries()) {
    let payload: unknown;
    try {
      // What Electron's IPC would deliver: a structured clone (no functions, getters or classes).
      payload = structuredClone(raw);
    } catch {
      payload = raw;
    }
    signIn(as);
    const conn = s.vault!.db;
    const quickBefore = quickFingerprint();
    const fullBefore = mayClose ? fingerprint() : null;
    let r: Result<unknown>;
    clock.advance(301_000);
    try {
      r = await dispatch(c, payload, APP);
    } catch (e) {
      throw new Error(`${c} #${i} (seed ${seed}) threw: ${String(e)}`);
    }
    const where = `${c} #${i} as ${as.role} (seed ${seed})`;
    if (r.ok) {
      tally.ok++;
      expect(contract[c].output.safeParse(r.value).success, where).toBe(true);
    } else {
      tally.codes[r.code] = (tally.codes[r.code] ?? 0) + 1;
      expect(isKnownFailure(r), `${where}: ${r.code} ${r.message}`).toBe(true);
      expect(r.message, where).not.toMatch(/SQLITE|\n\s+at |Error:|undefined/);
    }
    const isSameConnection = s.vault?.isOpen === true && s.vault.db === conn;
    if (!r.ok) {
      if (!isSameConnection) expect(mayClose, `${where}: refused, yet the session's connection was closed or replaced`).toBe(true);
      if (isSameConnection) {
        expect(quickFingerprint(), `${where}: refused (${r.code}) but the vault changed`).toBe(quickBefore);
      } else {
        signIn(as);
        expect(fingerprint(), `${where}: refused (${r.code}) but the vault changed`).toBe(fullBefore);
      }
    }
  }
  return tally;
}

describe('fuzz', () => {
  let started = 0;
  const summary: string[] = [];
  beforeAll(() => {
    started = Date.now();
  });
  afterAll(() => {
    console.log(`ipc fuzz: ${summary.length} channel passes in ${Date.now() - started} ms\n${summary.join('\n')}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  for (const [pass, role, runs] of [
    [0, 'administrator', RUNS],
    [1, 'read_only', RUNS_SECOND_PASS],
  ] as const) {
    test.each(CHANNELS.map((c, i) => [c, i]))(`as ${role}: ${runs} payloads on %s`, async (c, i) => {
      const t = Date.now();
      const tally = await fuzzChannel(c as Channel, people[role], SEED + pass * 1000 + (i as number), runs);
      summary.push(`  ${role.padEnd(13)} ${String(c).padEnd(24)} ${String(Date.now() - t).padStart(6)} ms  ok ${tally.ok}  ${JSON.stringify(tally.codes)}`);
      expect(tally.ok + Object.values(tally.codes).reduce((a, b) => a + b, 0)).toBe(runs);
      const access = contract[c as Channel].access;
      if (typeof access !== 'string' && !(access as readonly Role[]).includes(people[role].role)) {
        expect(tally.ok).toBe(0);
        // Foundation channels have valid shapes in the mix, so some calls pass parsing and meet the role check.
        if (FOUNDATION.includes(c as Channel)) expect(tally.codes.forbidden).toBeGreaterThan(0);
      }
      // Prototype pollution never reached a plain object.
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }, 120_000);
  }
});
