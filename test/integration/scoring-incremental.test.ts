/**
 * Incremental rescoring stores exactly what a full rescore would (issue 3, "Tests").
 *
 * fast-check generates sequences of edits made through the services, by the roles that make them
 * (networks, people, graded and legacy intelligence, offences and their stages, offence links,
 * flags on offences that propose links, decisions on proposed links, ratings with support, member
 * and victim links, ended links, override requests and decisions). The clock is fixed within a
 * sequence (each sequence picks its day, some across the BST change). After each sequence the
 * stored scores (network_scores: every column, the explanation JSON text included) are read, a
 * full rescore is run as of the same day, and the stored rows must be identical (===, not close)
 * with no history row added. A refused edit must write nothing.
 *
 * Stored scores come from each network's scoring digest (main/domain/scoring-digest.ts), kept
 * current by the triggers of schema 0040. So after each sequence three more things must hold
 * exactly: every stored digest part (offences, intelligence, ratings) equals one built afresh
 * from the rows; `network_offences`
 * equals the confirmed links joined to their offences; and every stored score (score, the three
 * parts, both bands, confidence) equals scoring the rows through `scoreTrustedInput`, the path
 * that explains a score.
 *
 * One vault for the run: each sequence starts from an empty matrix (the matrix tables are
 * cleared directly; users, reference data and the audit log stay), so a failing sequence
 * shrinks and replays on its own. Seed: HM_PROPERTY_SEED, default below.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays } from '../../preload/contract/dates';
import * as M from '../../main/services/matrix.service';
import { computeScores } from '../../main/services/scoring.service';
import { NETWORK_OFFENCES_FROM_ROWS, staleDigests } from '../helpers/fresh-build';
import { summariseScore } from '../../main/store/scores.repo';
import type { Db } from '../../main/vault/database';
import { ukToday } from '../../preload/contract/uk-time';
import { VaultError } from '../../main/vault/errors';
import {
  fingerprint,
  openMatrixWorld,
  scoreRows,
  uniq,
  type MatrixWorld,
  type ScoreRow,
} from '../helpers/matrix-fixtures';

const SEED = Number(process.env.HM_PROPERTY_SEED ?? 20260630);
const RUNS = 200;

let w: MatrixWorld;

beforeAll(() => {
  // Durability is not under test here, and each of some 3,000 edits is its own transaction: skip
  // the fsyncs (the vault's per commit, the audit head file's on every write, kept on tmpfs) so
  // 200 sequences fit the time budget. The vault is still the encrypted file on disk.
  const shm = existsSync('/dev/shm') ? mkdtempSync(join('/dev/shm', 'hm-state-')) : undefined;
  w = openMatrixWorld('scoring-incremental', undefined, { stateDir: shm });
  w.db().pragma('synchronous = OFF');
});
afterAll(() => w?.close());

/* ---- The edits ------------------------------------------------------------------------------ */

const CATEGORIES = ['homicide', 'robbery', 'violence_with_injury', 'possession_of_weapons', 'firearms_offences', 'drug_trafficking', 'criminal_damage'] as const;
const STAGES = ['convicted', 'charged', 'arrested', 'intelligence', 'nfa', 'acquitted'] as const;
const WEAPONS = ['firearm_discharged', 'firearm', 'knife', 'none'] as const;
const ASSESSED = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'] as const;
const CAPABILITY = ['firearms', 'violence_intimidation', 'corruption_insider_access', 'financial_capacity', 'resilience_reach'] as const;
const ROLES = ['principal', 'lieutenant', 'associate', 'facilitator'] as const;
const BANDS = ['A', 'B', 'C', 'below_threshold'] as const;
/** Clock readings: a summer day, a winter evening, 00:30 BST (still the day before in UTC), the spring change. */
const INSTANTS = ['2026-06-30T10:00:00.000Z', '2026-01-15T21:00:00.000Z', '2026-06-30T23:30:00.000Z', '2026-03-29T01:30:00.000Z'] as const;

const pick = fc.nat({ max: 50 });
const picks = (max: number) => fc.array(pick, { minLength: 0, maxLength: max });

const networkEdit = fc.record({ t: fc.constant('network' as const) });
const personEdit = fc.record({ t: fc.constant('person' as const), ageYears: fc.integer({ min: 12, max: 40 }), extraDays: fc.integer({ min: -2, max: 2 }) });
const intelEdit = fc.record({
  t: fc.constant('intel' as const),
  isLegacy: fc.boolean(),
  source: fc.constantFrom(1, 2, 3),
  grade: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
  sourceNo: fc.nat({ max: 4 }),
  dayOffset: fc.integer({ min: -500, max: 10 }),
  networks: picks(2),
});
const offenceEdit = fc.record({
  t: fc.constant('offence' as const),
  category: fc.constantFrom(...CATEGORIES),
  // Around the 12-month gate (365/366 days) and the 36-month window (about 1,095 days), and a few days ahead.
  daysAgo: fc.oneof(fc.integer({ min: -5, max: 1200 }), fc.integer({ min: 360, max: 370 }), fc.integer({ min: 1090, max: 1100 })),
  stage: fc.constantFrom(...STAGES),
  weapon: fc.constantFrom(...WEAPONS),
});

const edit = fc.oneof(
  { weight: 1, arbitrary: networkEdit },
  { weight: 1, arbitrary: personEdit },
  { weight: 2, arbitrary: intelEdit },
  { weight: 2, arbitrary: offenceEdit },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('linkOffence' as const), offence: pick, network: pick, items: picks(2) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('stage' as const), offence: pick, stage: fc.constantFrom(...STAGES) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('rate' as const),
      network: pick,
      isAssessed: fc.boolean(),
      dimension: fc.nat({ max: 4 }),
      value: fc.nat({ max: 4 }),
      items: picks(3),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('member' as const), person: pick, network: pick, role: fc.constantFrom(...ROLES), isSelfAdmission: fc.boolean(), items: picks(3) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('victim' as const), person: pick, network: pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('endMember' as const), membership: pick }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('flagOffence' as const), offence: pick, network: pick, items: picks(3) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('decideLink' as const), link: pick, isConfirmed: fc.boolean() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('override' as const),
      network: pick,
      band: fc.constantFrom(...BANDS),
      expiresInDays: fc.integer({ min: 0, max: 90 }),
      decision: fc.constantFrom('approved', 'rejected', 'none'),
      approver: fc.constantFrom('other supervisor', 'other supervisor', 'other supervisor', 'author', 'analyst'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('editNetwork' as const), network: pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rescoreAll' as const) }) },
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

/** A few records to start from, then any edits, in any order. */
const sequence = fc
  .record({
    instant: fc.constantFrom(...INSTANTS),
    networks: fc.array(networkEdit, { minLength: 1, maxLength: 3 }),
    people: fc.array(personEdit, { maxLength: 3 }),
    intel: fc.array(intelEdit, { minLength: 1, maxLength: 6 }),
    offences: fc.array(offenceEdit, { maxLength: 8 }),
    edits: fc.array(edit, { minLength: 1, maxLength: 30 }),
  })
  .map(({ instant, networks, people, intel, offences, edits }) => ({ instant, edits: [...networks, ...people, ...intel, ...offences, ...edits] as Edit[] }));

/* ---- Running a sequence ----------------------------------------------------------------- */

/** Children before parents, so the foreign keys hold while clearing. */
const CLEAR_ORDER = [
  'rating_support',
  'ratings',
  'offence_link_intelligence',
  'offence_links',
  'membership_intelligence',
  'memberships',
  'gang_flag_intelligence',
  'gang_flags',
  'band_overrides',
  'network_intelligence',
  'network_boroughs',
  'network_scores',
  'score_history',
  'intelligence',
  'offences',
  'people',
  'networks',
];

function clearMatrix(): void {
  const db = w.db();
  db.transaction(() => {
    for (const t of CLEAR_ORDER) db.prepare(`DELETE FROM "${t}"`).run();
  })();
}

/** What the sequences reached, so the test can show it exercised what it claims to. */
const seen = {
  sequences: 0,
  edits: 0,
  refused: 0,
  scoredNetworks: 0,
  bands: new Set<string>(),
  overridesInForce: 0,
  unsupportedRatings: 0,
  confidences: new Set<string>(),
  servedFloor: 0,
  excluded: new Set<string>(),
  historyRows: 0,
};

function at<T>(pool: readonly T[], k: number): T | undefined {
  return pool.length ? pool[k % pool.length] : undefined;
}

function runSequence(instant: string, edits: Edit[]): void {
  clearMatrix();
  w.clock.set(instant);
  w.as(w.analyst);
  const s = w.s;
  const db = w.db();
  const today = ukToday(w.clock.now());
  const pools = { networks: [] as string[], people: [] as string[], intel: [] as string[], offences: [] as string[], memberships: [] as string[] };
  const ids = (pool: string[], ks: number[]) => ks.map((k) => at(pool, k)).filter((x): x is string => x !== undefined);

  /** One service call; a refused call must write nothing: not a row, not an audit entry. */
  function attempt<T>(label: string, call: () => T): T | undefined {
    const before = fingerprint(db);
    try {
      return call();
    } catch (err) {
      if (!(err instanceof VaultError)) throw err;
      seen.refused++;
      expect(fingerprint(db), `${label} was refused (${err.message}) but wrote something`).toBe(before);
      return undefined;
    }
  }

  for (const e of edits) {
    w.as(w.analyst);
    apply(e);
    seen.edits++;
  }

  function apply(e: Edit): void {
    switch (e.t) {
      case 'network':
        const n = attempt(e.t, () => M.createNetwork(s, { name: uniq('Net'), type: 'criminal_network', leadBorough: 'E09000030', otherBoroughs: ['E09000028'], businessGroup: 'SCD' }));
        if (n) pools.networks.push(n.id);
        return;
      case 'person': {
        const dob = addDays(`${Number(today.slice(0, 4)) - e.ageYears}${today.slice(4)}`, e.extraDays);
        const p = attempt(e.t, () => M.createPerson(s, { name: uniq('Person'), dateOfBirth: dob }));
        if (p) pools.people.push(p.id);
        return;
      }
      case 'intel': {
        const common = { reference: uniq('INT'), itemDate: addDays(today, e.dayOffset), summary: 'Generated item.', sourceRef: `Source ${e.sourceNo}`, networkIds: ids(pools.networks, e.networks) };
        const i = attempt(e.t, () =>
          e.isLegacy
            ? M.recordIntelligence(s, { ...common, grading: '5x5x5', legacyGrade: 'B2 1' })
            : M.recordIntelligence(s, { ...common, grading: '3x5x2', sourceGrade: e.source as 1 | 2 | 3, intelGrade: e.grade as 'A', handling: 'P' }),
        );
        if (i) pools.intel.push(i.id);
        return;
      }
      case 'offence': {
        const o = attempt(e.t, () => M.recordOffence(s, { crimeReference: uniq('CR'), category: e.category, offenceDate: addDays(today, -e.daysAgo), borough: 'E09000030', stage: e.stage, weapon: e.weapon }));
        if (o) pools.offences.push(o.id);
        return;
      }
      case 'linkOffence': {
        const [o, n] = [at(pools.offences, e.offence), at(pools.networks, e.network)];
        if (!o || !n) return;
        attempt(e.t, () => M.linkOffence(s, { offenceId: o, networkId: n, rationale: 'Generated link.', intelIds: ids(pools.intel, e.items).length ? ids(pools.intel, e.items) : ['missing-item'] }));
        return;
      }
      case 'stage': {
        const o = at(pools.offences, e.offence);
        if (o) attempt(e.t, () => M.setOffenceStage(s, o, e.stage));
        return;
      }
      case 'rate': {
        const n = at(pools.networks, e.network);
        if (!n) return;
        const kind = e.isAssessed ? 'assessed' : 'capability';
        const dimension = (e.isAssessed ? ASSESSED : CAPABILITY)[e.dimension]!;
        attempt(e.t, () => M.rateNetwork(s, { networkId: n, kind, dimension, value: e.isAssessed ? e.value : Math.min(e.value, 3), intelIds: ids(pools.intel, e.items) }));
        return;
      }
      case 'member':
      case 'victim': {
        const [p, n] = [at(pools.people, e.person), at(pools.networks, e.network)];
        if (!p || !n) return;
        const m = attempt(e.t, () =>
          e.t === 'victim'
            ? M.linkPerson(s, { personId: p, networkId: n, role: 'victim_at_risk', startDate: today })
            : M.linkPerson(s, { personId: p, networkId: n, role: e.role, isSelfAdmission: e.isSelfAdmission, intelIds: ids(pools.intel, e.items), startDate: today }),
        );
        if (m) pools.memberships.push(m.id);
        return;
      }
      case 'endMember': {
        const m = at(pools.memberships, e.membership);
        if (m) attempt(e.t, () => M.endMembership(s, m, 'Generated end.'));
        return;
      }
      case 'flagOffence': {
        const [o, n] = [at(pools.offences, e.offence), at(pools.networks, e.network)];
        if (!o || !n) return;
        const f = attempt('proposeFlag', () => M.proposeFlag(s, { subjectType: 'offence', subjectId: o, networkId: n, intelIds: ids(pools.intel, e.items) }));
        if (!f) return;
        w.as(w.supervisor);
        attempt('confirmFlag', () => M.confirmFlag(s, f.id));
        return;
      }
      case 'decideLink': {
        const proposed = db.prepare("SELECT id FROM offence_links WHERE status = 'proposed' ORDER BY created_at, id").pluck().all() as string[];
        const l = at(proposed, e.link);
        if (l) attempt(e.t, () => M.decideOffenceLink(s, l, e.isConfirmed ? 'confirmed' : 'rejected'));
        return;
      }
      case 'override': {
        const n = at(pools.networks, e.network);
        if (!n) return;
        w.as(w.supervisor);
        const o = attempt('requestOverride', () => M.requestOverride(s, { networkId: n, band: e.band, reason: 'Generated override.', expiresOn: addDays(today, e.expiresInDays) }));
        if (!o || e.decision === 'none') return;
        w.as(e.approver === 'other supervisor' ? w.supervisor2 : e.approver === 'author' ? w.supervisor : w.analyst);
        attempt('decideOverride', () => M.decideOverride(s, o.id, e.decision as 'approved' | 'rejected'));
        return;
      }
      case 'editNetwork': {
        const n = at(pools.networks, e.network);
        if (n) attempt(e.t, () => M.editNetwork(s, n, { name: uniq('Renamed'), type: 'gang', leadBorough: 'E09000001', businessGroup: 'TP', status: 'active' }));
        return;
      }
      case 'rescoreAll':
        attempt(e.t, () => M.rescoreAll(s));
        return;
    }
  }
}

const COLUMNS: (keyof ScoreRow)[] = ['as_of', 'model', 'weight_table_id', 'weight_table_version', 'score', 'eh_pts', 'ah_pts', 'cap_pts', 'band', 'effective_band', 'confidence', 'explanation', 'computed_at'];

/** Every column that differs, with both values; [] when the rows are identical. */
function differences(a: ScoreRow[], b: ScoreRow[]): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`${a.length} stored rows, ${b.length} after the full rescore`);
  const byId = new Map(b.map((r) => [r.network_id, r]));
  for (const x of a) {
    const y = byId.get(x.network_id);
    if (!y) {
      out.push(`${x.network_id}: missing after the full rescore`);
      continue;
    }
    for (const c of COLUMNS) if (x[c] !== y[c]) out.push(`${x.network_id}.${c}: stored ${String(x[c])} | full ${String(y[c])}`);
  }
  return out;
}

/** Stored scores that differ from scoring the rows (the explaining path); [] when all agree. */
function digestVersusRows(db: Db, stored: ScoreRow[]): string[] {
  const out: string[] = [];
  const day = stored[0]?.as_of;
  if (!day) return out;
  for (const [id, h] of computeScores(db, null, day)) {
    const x = summariseScore(h);
    const r = stored.find((y) => y.network_id === id);
    const fromRows = [x.score, x.ehPts, x.ahPts, x.capPts, x.band, x.effectiveBand, x.confidence];
    const fromDigest = r ? [r.score, r.eh_pts, r.ah_pts, r.cap_pts, r.band, r.effective_band, r.confidence] : [];
    if (JSON.stringify(fromRows) !== JSON.stringify(fromDigest)) out.push(`${id}: stored ${JSON.stringify(fromDigest)} | rows ${JSON.stringify(fromRows)}`);
  }
  return out;
}

function record(rows: ScoreRow[]): void {
  seen.sequences++;
  for (const r of rows) {
    const x = JSON.parse(r.explanation) as {
      offences: { exclusion: string | null }[];
      assessed: { isFlaggedUnsupported: boolean }[];
      override: { status: string };
      gates: { gate: string; hasChangedBand: boolean }[];
    };
    if (r.score > 0) seen.scoredNetworks++;
    seen.bands.add(r.effective_band);
    seen.confidences.add(r.confidence);
    if (x.override.status === 'in_force') seen.overridesInForce++;
    seen.unsupportedRatings += x.assessed.filter((a) => a.isFlaggedUnsupported).length;
    if (x.gates.some((g) => g.gate === 'serious_violence_floor' && g.hasChangedBand)) seen.servedFloor++;
    for (const o of x.offences) seen.excluded.add(o.exclusion ?? 'counted');
  }
}

test(`incremental rescoring stores exactly what a full rescore stores (${RUNS} sequences, seed ${SEED})`, () => {
  fc.assert(
    fc.property(sequence, ({ instant, edits }) => {
      runSequence(instant, edits);
      const db = w.db();
      const stored = scoreRows(db);
      const history = db.prepare('SELECT count(*) FROM score_history').pluck().get() as number;
      // Every network has a stored score, as of the sequence's UK day.
      expect(stored).toHaveLength(db.prepare('SELECT count(*) FROM networks').pluck().get() as number);
      const day = ukToday(w.clock.now());
      for (const r of stored) expect(r.as_of).toBe(day);

      // The digests the scores came from are current, and score exactly as the rows do.
      expect(db.prepare('SELECT * FROM network_offences ORDER BY 1, 2').raw().all()).toEqual(db.prepare(NETWORK_OFFENCES_FROM_ROWS).raw().all());
      expect(staleDigests(db)).toEqual([]);
      expect(digestVersusRows(db, stored)).toEqual([]);

      w.as(w.analyst);
      const full = M.rescoreAll(w.s, day);
      expect(full.scored).toBe(stored.length);
      expect(differences(stored, scoreRows(db))).toEqual([]);
      expect(full.changed).toBe(0);
      expect(db.prepare('SELECT count(*) FROM score_history').pluck().get()).toBe(history);
      seen.historyRows += history;
      record(stored);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );

  // The sequences reached what the property is about: scores above zero in every band,
  // overrides in force, unsupported ratings, the serious-violence floor, each offence exclusion.
  expect(seen.sequences).toBeGreaterThanOrEqual(RUNS);
  expect(seen.scoredNetworks).toBeGreaterThan(100);
  expect([...seen.bands].sort()).toEqual(['A', 'B', 'C', 'below_threshold']);
  expect([...seen.confidences].sort()).toEqual(['high', 'low', 'medium']);
  expect(seen.overridesInForce).toBeGreaterThan(0);
  expect(seen.unsupportedRatings).toBeGreaterThan(0);
  expect(seen.servedFloor).toBeGreaterThan(0);
  expect([...seen.excluded].sort()).toEqual(['counted', 'future_dated', 'outside_window', 'stage_scores_zero']);
  expect(seen.refused).toBeGreaterThan(0);
  console.info(`[scoring-incremental] ${JSON.stringify({ ...seen, bands: [...seen.bands], confidences: [...seen.confidences], excluded: [...seen.excluded] })}`);
});
