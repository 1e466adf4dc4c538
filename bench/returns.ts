/**
 * Returns benchmark (issue 4, "Benchmarks": the corporate return and the meeting pack at force
 * scale, 20,000 disruptions and 5,000 networks; goal under 2 s per format). Method and figures:
 * BENCHMARKS.md, "Returns".
 *
 *   npx tsx bench/returns.ts [--scale desk|force] [--repeats N] [--seed S] [--dir PATH] [--no-save]
 *   npm run bench -- --only returns [same options]
 *
 * A real vault is created through the services (cheap scrypt: unlocking is not what is measured)
 * and filled with plain SQL in large transactions, deterministically from the seed: networks with
 * a spread of types, groups and statuses; graded intelligence; offences (bench/synthetic.ts, as the
 * storage benchmark makes them) with confirmed links; ratings with support, so some networks reach
 * Bands A and B; people and member links (some under 18); band overrides; disruptions across three
 * years in every workflow state, with outcomes, partner-reference duplicates and durability
 * reviews. Then every network is rescored as of today and stored, and a meeting is held, as the
 * app would have done. Those set-up steps are timed and reported but are not the benchmark.
 *
 * Measured, each through `returns.service` exactly as the app and the CLI call it:
 * - preview (build only: read, count, protect) and export in every format (build, render, write,
 *   one transaction for the audit entry and register row);
 * - the corporate return for a month (the monthly return) and for a financial year; the matrix
 *   population comes from the stored scores, which the set-up's full rescore left as of today;
 * - the meeting pack as of today, compared with the meeting; and once, as of the day before, when
 *   no stored score is as of the day and every network is scored in memory first.
 * One warm-up, then `--repeats` timed runs of each; the median is reported.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addMonths } from '../preload/contract/dates';
import { durabilityDueOn } from '../preload/contract/disruption-workflow';
import { MODEL_ID } from '../main/domain/scoring';
import { nodeContext } from '../main/services/context';
import { holdMeeting } from '../main/services/meetings.service';
import { definitionsVersion } from '../main/services/reference.service';
import * as R from '../main/services/returns.service';
import { rescoreNetworks } from '../main/services/scoring.service';
import { Session } from '../main/services/session';
import * as usersService from '../main/services/users.service';
import { createVault } from '../main/services/vault.service';
import { SCRYPT_TEST } from '../main/vault/crypto';
import type { Db } from '../main/vault/database';
import { BOROUGH_CODES, DEFAULT_AS_OF, isoDaysBefore, rng, SCALES, syntheticOffences, weighted, type ScaleName } from './synthetic';

const USAGE = `Usage: npx tsx bench/returns.ts [options]   (or: npm run bench -- --only returns [options])
  --scale desk|force   the register's size (default: force: 5,000 networks, 20,000 disruptions)
  --repeats N          timed runs of each measurement after one warm-up (default: 3)
  --seed S             synthetic data seed (default: 1)
  --dir PATH           where the temporary vault goes (default: the OS temp dir)
  --no-save            do not write bench/results/returns-<timestamp>.json`;

const TODAY = DEFAULT_AS_OF;
const NOW = `${TODAY}T10:00:00.000Z`;
const MEETING_DAY = '2026-05-29';

interface Options {
  scale: ScaleName;
  repeats: number;
  seed: string;
  dir: string;
  isSaved: boolean;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      scale: { type: 'string' },
      repeats: { type: 'string' },
      seed: { type: 'string' },
      dir: { type: 'string' },
      'no-save': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const scale = (values.scale ?? 'force') as ScaleName;
  if (scale !== 'desk' && scale !== 'force') throw new Error(`--scale must be desk or force, not "${scale}".`);
  const repeats = values.repeats === undefined ? 3 : Number(values.repeats);
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats must be a whole number of at least 1.`);
  return { scale, repeats, seed: values.seed ?? '1', dir: values.dir ?? tmpdir(), isSaved: !values['no-save'] };
}

/* ---- Synthetic register, by SQL ------------------------------------------------------------ */

/** UUID-shaped id for record `n` of `kind`: fixed for a seed, unordered like the app's random ids. */
function sid(kind: string, n: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < kind.length; i++) h = Math.imul(h ^ kind.charCodeAt(i), 0x01000193);
  const words: string[] = [];
  let x = (h ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0;
  for (let k = 0; k < 4; k++) {
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    x = (x ^ (x >>> 16)) >>> 0;
    words.push(x.toString(16).padStart(8, '0'));
    x = (x + n + k + 1) >>> 0;
  }
  const s = words.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

const pickStatus = weighted([
  ['active', 86],
  ['dormant', 6],
  ['proposed', 4],
  ['archived', 4],
] as const);
const pickType = weighted([
  ['criminal_network', 45],
  ['gang', 40],
  ['peer_group', 15],
] as const);
const pickGroup = weighted([
  ['SCD', 45],
  ['TP', 35],
  ['SO', 8],
  ['CO', 7],
  ['partner', 5],
] as const);
const pickTier = weighted([
  ['A', 3],
  ['B', 12],
  ['C', 35],
  ['low', 50],
] as const);
const pickLevel = weighted([
  ['major', 15],
  ['moderate', 35],
  ['minor', 40],
  ['none', 7],
  ['negative', 3],
] as const);
const pickDisruptionStatus = weighted([
  ['validated', 80],
  ['rejected', 5],
  ['endorsed', 5],
  ['submitted', 5],
  ['draft', 3],
  ['returned', 2],
] as const);
const GROUPS = ['SCD', 'TP', 'SO', 'CO', 'partner'] as const;
const ASSESSED = ['physical', 'psychological', 'financial', 'community_impact', 'victim_vulnerability'];
const CAPABILITY = ['firearms', 'violence_intimidation', 'corruption_insider_access', 'financial_capacity', 'resilience_reach'];

interface Counts {
  networks: number;
  offences: number;
  intelligence: number;
  people: number;
  memberships: number;
  disruptions: number;
  validated: number;
  overrides: number;
}

export function populate(db: Db, scale: ScaleName, seed: string, users: { analyst: string; supervisor: string; supervisor2: string; validator: string }): Counts {
  const size = SCALES[scale];
  const root = rng(`returns-${seed}`);
  const counts: Counts = { networks: size.networks, offences: size.offences, intelligence: 0, people: size.people, memberships: 0, disruptions: size.disruptions, validated: 0, overrides: 0 };
  const at = NOW;
  const defs = definitionsVersion();
  const tx = (fn: () => void) => db.transaction(fn)();

  const tiers: string[] = [];
  tx(() => {
    const r = root.fork('networks');
    const ins = db.prepare(
      `INSERT INTO networks (id, reference, name, aliases, type, definitions_version, status, lead_borough, business_group, unit, lead_officer, created_at, created_by, last_reviewed_on, next_review_on, plan_status)
       VALUES (?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const intel = db.prepare(`INSERT INTO intelligence (id, reference, item_date, summary, grading, source_grade, intel_grade, handling, legacy_grade, source_ref, created_at, created_by) VALUES (?, ?, ?, 'Synthetic item.', '3x5x2', ?, ?, 'P', NULL, ?, ?, ?)`);
    const held = db.prepare('INSERT INTO network_intelligence (network_id, intel_id) VALUES (?, ?)');
    const rating = db.prepare('INSERT INTO ratings (network_id, kind, dimension, value, rated_by, rated_at) VALUES (?, ?, ?, ?, ?, ?)');
    const support = db.prepare('INSERT INTO rating_support (network_id, kind, dimension, intel_id) VALUES (?, ?, ?, ?)');
    for (let n = 0; n < size.networks; n++) {
      const id = sid('network', n);
      const tier = pickTier(r);
      tiers.push(tier);
      // Most networks reviewed within the last year and a bit (a few overdue); the rest are new.
      const isNew = r.bool(0.08);
      const created = isoDaysBefore(TODAY, isNew ? r.int(1, 300) : r.int(400, 1500));
      const reviewed = isNew ? null : isoDaysBefore(TODAY, r.int(0, 380));
      ins.run(
        id,
        `CN-SYN-${String(n + 1).padStart(5, '0')}`,
        `Demo network ${n + 1} (synthetic)`,
        pickType(r),
        defs,
        pickStatus(r),
        r.pick(BOROUGH_CODES),
        pickGroup(r),
        `Synthetic Unit ${r.int(1, 40)}`,
        `Synthetic Officer ${r.int(1, 300)}`,
        `${created}T09:00:00.000Z`,
        users.analyst,
        reviewed,
        addMonths(reviewed ?? created, 12),
        r.pick(['none', 'draft', 'agreed', 'in_progress', 'under_review']),
      );
      // Four items per network from distinct sources; the better tiers have better grades.
      const items: string[] = [];
      for (let k = 0; k < 4; k++) {
        const item = sid('intel', n * 4 + k);
        const good = tier === 'A' || (tier === 'B' && k < 2) || (tier === 'C' && k === 0);
        intel.run(item, `SYN-INT-${n * 4 + k + 1}`, isoDaysBefore(TODAY, r.int(30, 900)), good ? 1 : 3, good ? (k % 2 ? 'B' : 'A') : 'C', `SYN-SRC-${n}-${k}`, at, users.analyst);
        held.run(id, item);
        items.push(item);
        counts.intelligence++;
      }
      const base = { A: [4, 3], B: [3, 2], C: [1, 1], low: [0, 0] }[tier]!;
      for (const d of ASSESSED) {
        const v = Math.min(4, Math.max(0, base[0]! + r.int(-1, 0)));
        rating.run(id, 'assessed', d, v, users.analyst, at);
        if (v >= 2) support.run(id, 'assessed', d, items[0]!);
      }
      for (const d of CAPABILITY) rating.run(id, 'capability', d, Math.min(3, Math.max(0, base[1]! + r.int(-1, 0))), users.analyst, at);
    }
  });

  // Offences with confirmed links, in the storage benchmark's synthetic mix; the better tiers get
  // convicted stages more often, which is what lifts their evidenced harm.
  const offenceIter = syntheticOffences({ seed: `returns-${seed}`, networks: size.networks, offences: size.offences, asOf: TODAY });
  const r = root.fork('links');
  let done = false;
  while (!done) {
    tx(() => {
      const o = db.prepare(`INSERT INTO offences (id, crime_reference, ho_code, category, offence_date, borough_code, stage, weapon, is_victim_under_20, created_at, created_by) VALUES (?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)`);
      const l = db.prepare(`INSERT INTO offence_links (id, offence_id, network_id, rationale, status, proposed_by, confirmed_by, confirmed_at, created_at) VALUES (?, ?, ?, 'Synthetic link.', 'confirmed', ?, ?, ?, ?)`);
      for (let k = 0; k < 50_000; k++) {
        const next = offenceIter.next();
        if (next.done) {
          done = true;
          return;
        }
        const x = next.value;
        const n = x.networkId - 1;
        const tier = tiers[n]!;
        // Stages by tier, so that bands come out near the demo generator's spread (about 3% A, 12% B).
        const keep = { A: 1, B: 0.35, C: 0.12, low: 0.03 }[tier as 'A' | 'B' | 'C' | 'low'];
        const stage = tier === 'A' && r.bool(0.6) ? 'convicted' : r.bool(keep) ? x.stage : 'intelligence';
        // A linked homicide or firearm discharge in the last 12 months forces at least Band B (the
        // serious-violence gate): keep those to the harmful tiers, or nearly every network is B.
        const isHarmful = tier === 'A' || tier === 'B';
        const category = !isHarmful && x.category === 'homicide' ? 'violence_with_injury' : x.category;
        const weapon = !isHarmful && x.weapon === 'firearm_discharged' ? 'firearm' : x.weapon;
        const id = sid('offence', x.id);
        o.run(id, x.crimeRef, category, x.offenceDate, x.borough, stage, weapon, x.isVictimUnder20 ? 1 : 0, at, users.analyst);
        l.run(sid('link', x.id), id, sid('network', n), users.analyst, users.analyst, at, at);
      }
    });
  }

  tx(() => {
    const rp = root.fork('people');
    const p = db.prepare(`INSERT INTO people (id, reference, name, date_of_birth, sex, created_at, created_by) VALUES (?, ?, ?, ?, 'unknown', ?, ?)`);
    const m = db.prepare(
      `INSERT INTO memberships (id, person_id, network_id, role, basis, status, start_date, review_on, confirmed_by, confirmed_at, created_at, created_by) VALUES (?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?, ?, ?)`,
    );
    for (let k = 0; k < size.people; k++) {
      const isChild = rp.bool(0.12);
      const dob = isoDaysBefore(TODAY, isChild ? rp.int(13 * 365, 17 * 365) : rp.int(18 * 365, 45 * 365));
      p.run(sid('person', k), `P-SYN-${k + 1}`, `Synthetic Person ${k + 1}`, dob, at, users.analyst);
      const links = rp.bool(0.1) ? 2 : 1;
      const networks = new Set<number>();
      for (let j = 0; j < links; j++) networks.add(rp.int(0, size.networks - 1));
      for (const n of networks) {
        const victim = isChild ? rp.bool(0.25) : rp.bool(0.03);
        m.run(sid('membership', counts.memberships), sid('person', k), sid('network', n), victim ? 'victim_at_risk' : rp.pick(['principal', 'lieutenant', 'associate', 'facilitator']), victim ? 'safeguarding' : 'graded_sources', isoDaysBefore(TODAY, rp.int(30, 700)), isoDaysBefore(TODAY, -rp.int(1, 180)), users.supervisor, at, at, users.analyst);
        counts.memberships++;
      }
    }
  });

  tx(() => {
    const ro = root.fork('overrides');
    const o = db.prepare(`INSERT INTO band_overrides (id, network_id, band, reason, author_id, requested_at, approver_id, approved_at, expires_on, status) VALUES (?, ?, ?, 'Synthetic override.', ?, ?, ?, ?, ?, 'approved')`);
    for (let k = 0; k < Math.round(size.networks / 100); k++) {
      const approved = isoDaysBefore(TODAY, ro.int(30, 400));
      o.run(sid('override', k), sid('network', ro.int(0, size.networks - 1)), ro.pick(['A', 'B']), users.analyst, `${approved}T09:00:00.000Z`, users.supervisor2, `${approved}T10:00:00.000Z`, isoDaysBefore(TODAY, -ro.int(-120, 300)));
      counts.overrides++;
    }
  });

  tx(() => {
    const rd = root.fork('disruptions');
    const d = db.prepare(
      `INSERT INTO disruptions (id, reference, primary_network_id, operation_reference, activity_start, activity_end, claiming_business_group, claiming_unit, claimant_id,
         claimed_level, level, status, submitted_on, endorsed_by, endorsed_on, validated_by, validated_on, returned_on, rejected_on, decision_reason, durability_due_on,
         durability_outcome, level_after_review, reviewed_by, reviewed_on, review_reason, tactics, outcomes, impact_narrative, partner_reference, created_at, updated_at)
       VALUES (@id, @reference, @primary, 'Op SYNTHETIC', @start, @end, @group, 'Synthetic Unit 1', @claimant, @level, @level, @status, @submitted, @endorser, @endorsed, @validator, @validated,
         @returned, @rejected, @reason, @due, @outcome, @after, @reviewer, @reviewed, @reviewReason, '["criminal_justice"]', @outcomes, 'Synthetic narrative: the line stopped running.', @partner, @at, @at)`,
    );
    const dn = db.prepare('INSERT INTO disruption_networks (disruption_id, network_id, is_primary) VALUES (?, ?, ?)');
    const levels = ['negative', 'none', 'minor', 'moderate', 'major'];
    for (let k = 0; k < size.disruptions; k++) {
      const id = sid('disruption', k);
      const primary = rd.int(0, size.networks - 1);
      const level = pickLevel(rd);
      const end = isoDaysBefore(TODAY, rd.int(20, 3 * 365));
      // Claims still in the queues are recent ones; older claims were decided long ago.
      const drawn = pickDisruptionStatus(rd);
      const status = end >= isoDaysBefore(TODAY, 60) ? drawn : drawn === 'rejected' ? 'rejected' : 'validated';
      const start = isoDaysBefore(end, rd.int(10, 200));
      const submitted = isoDaysBefore(end, -rd.int(1, 10));
      const isPast = (day: string) => day <= TODAY;
      const endorsed = ['endorsed', 'validated', 'rejected'].includes(status) ? isoDaysBefore(submitted, -rd.int(1, 7)) : null;
      const decided = status === 'validated' || status === 'rejected' ? isoDaysBefore(endorsed!, -rd.int(1, 14)) : null;
      const validated = status === 'validated' && decided && isPast(decided) ? decided : null;
      const finalStatus = status === 'validated' && !validated ? 'endorsed' : status;
      const due = validated ? durabilityDueOn(validated) : null;
      let outcome: string | null = null;
      let after: string | null = null;
      let reviewed: string | null = null;
      if (due && isPast(isoDaysBefore(due, -20)) && rd.bool(0.97)) {
        reviewed = isoDaysBefore(due, -rd.int(0, 20));
        const shift = rd.pick([0, 0, 0, -1, 1]);
        const i = Math.min(4, Math.max(0, levels.indexOf(level) + shift));
        after = levels[i]!;
        outcome = i === levels.indexOf(level) ? 'confirmed' : i < levels.indexOf(level) ? 'downgraded' : 'upgraded';
      }
      if (validated) counts.validated++;
      const outcomes = {
        arrests: rd.int(0, 8),
        charges: rd.int(0, 5),
        convictions: rd.int(0, 3),
        custodyYears: rd.bool(0.3) ? rd.int(1, 40) / 2 : 0,
        firearms: { handgun: rd.bool(0.1) ? 1 : 0, shotgun: rd.bool(0.03) ? 1 : 0, automatic: 0, converted: rd.bool(0.03) ? 1 : 0, imitation: rd.bool(0.05) ? 1 : 0 },
        rounds: rd.bool(0.1) ? rd.int(1, 60) : 0,
        knives: rd.int(0, 3),
        otherWeapons: rd.int(0, 1),
        drugs: rd.bool(0.5) ? [{ substance: 'Synthetic', drugClass: rd.pick(['A', 'B', 'C']), grams: rd.int(1, 20000) / 10 }] : [],
        cashSeized: rd.bool(0.4) ? rd.int(100, 5_000_000) / 100 : 0,
        assetsRestrained: rd.bool(0.1) ? rd.int(1000, 50_000_000) / 100 : 0,
        confiscation: rd.bool(0.05) ? rd.int(1000, 10_000_000) / 100 : 0,
        vehicles: rd.int(0, 2),
        premisesClosed: rd.bool(0.1) ? 1 : 0,
        safeguardingReferrals: rd.int(0, 3),
        childrenSafeguarded: rd.int(0, 2),
      };
      // One in ten has a partner reference; a third of those repeat an earlier one (the same
      // operation claimed again by another group), which counting must fold into one event.
      const partner = rd.bool(0.1) ? `SYN-PARTNER-${rd.bool(0.33) ? rd.int(0, 50) : k}` : null;
      d.run({
        id,
        reference: `DR-SYN-${String(k + 1).padStart(6, '0')}`,
        primary: sid('network', primary),
        start,
        end,
        group: rd.pick(GROUPS),
        claimant: users.analyst,
        level,
        status: finalStatus,
        submitted: finalStatus === 'draft' ? null : submitted,
        endorser: endorsed ? users.supervisor : null,
        endorsed,
        validator: decided && finalStatus !== 'endorsed' ? users.validator : null,
        validated,
        returned: finalStatus === 'returned' ? submitted : null,
        rejected: finalStatus === 'rejected' ? decided : null,
        reason: finalStatus === 'rejected' || finalStatus === 'returned' ? 'Synthetic reason.' : null,
        due,
        outcome,
        after,
        reviewer: reviewed ? users.validator : null,
        reviewed,
        reviewReason: outcome && outcome !== 'confirmed' ? 'Synthetic review.' : null,
        outcomes: JSON.stringify(outcomes),
        partner,
        at,
      });
      dn.run(id, sid('network', primary), 1);
      if (rd.bool(0.2)) {
        const other = rd.int(0, size.networks - 1);
        if (other !== primary) dn.run(id, sid('network', other), 0);
      }
    }
  });
  return counts;
}

/* ---- Timing -------------------------------------------------------------------------------- */

interface Measurement {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runsMs: number[];
  bytes?: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function measure(name: string, repeats: number, fn: (i: number) => Promise<number | undefined> | number | undefined): Promise<Measurement> {
  await fn(-1); // warm-up
  const runs: number[] = [];
  let bytes: number | undefined;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    bytes = (await fn(i)) ?? undefined;
    runs.push(performance.now() - t0);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const m: Measurement = { name, medianMs: round(median), minMs: round(sorted[0]!), maxMs: round(sorted.at(-1)!), runsMs: runs.map(round), ...(bytes !== undefined ? { bytes } : {}) };
  console.log(`  ${name.padEnd(58)} ${fmt(m.medianMs).padStart(9)}  (min ${fmt(m.minMs)}, max ${fmt(m.maxMs)})${bytes !== undefined ? `  ${bytes.toLocaleString('en-GB')} bytes` : ''}`);
  return m;
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export async function runReturnsBench(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  const startedAt = new Date();
  const loadStart = loadavg();
  console.log(`Returns benchmark, ${startedAt.toISOString()}, ${opts.scale} scale; ${cpus()[0]?.model ?? 'cpu'} × ${cpus().length}; load average ${loadStart.map((x) => x.toFixed(2)).join(', ')}`);
  mkdirSync(opts.dir, { recursive: true });
  const work = mkdtempSync(join(opts.dir, 'harm-matrix-returns-bench-'));
  const result: Record<string, unknown> = { startedAt: startedAt.toISOString(), options: opts, loadAverageAtStart: loadStart, cores: cpus().length, totalMemoryMiB: Math.round(totalmem() / 2 ** 20) };
  try {
    const ctx = nodeContext({ stateDir: join(work, 'state'), documentsDir: work, now: () => new Date(NOW), kdfCost: SCRYPT_TEST });
    const s = new Session(ctx);
    const path = join(work, 'bench.hmvault');
    createVault(s, { path, adminName: 'Bench Admin', passphrase: 'granite orbit lantern 47' });
    const add = (name: string, role: 'analyst' | 'supervisor' | 'validator' | 'read_only', unit: string) => usersService.add(s, { name, role, passphrase: 'velvet cactus harbour 93', unit }).id;
    const users = { analyst: add('Bench Analyst', 'analyst', 'Synthetic Unit 1'), supervisor: add('Bench Supervisor', 'supervisor', 'Synthetic Unit 1'), supervisor2: add('Bench Supervisor Two', 'supervisor', 'Synthetic Unit 2'), validator: add('Bench Validator', 'validator', 'Validation Unit') };
    const reader = add('Bench Reader', 'read_only', 'Performance');
    const db = s.vault!.db;

    const setup: Record<string, number> = {};
    let t0 = performance.now();
    const counts = populate(db, opts.scale, opts.seed, users);
    setup.populateMs = round(performance.now() - t0);
    console.log(`Populated in ${fmt(setup.populateMs)}: ${JSON.stringify(counts)}`);
    t0 = performance.now();
    db.transaction(() => rescoreNetworks(db, null, TODAY, new Date(NOW)))();
    setup.rescoreAllMs = round(performance.now() - t0);
    const bands = Object.fromEntries(db.prepare("SELECT effective_band, count(*) FROM network_scores GROUP BY effective_band").raw().all() as [string, number][]);
    console.log(`Full rescore as of ${TODAY} stored in ${fmt(setup.rescoreAllMs)}; bands ${JSON.stringify(bands)} (model ${MODEL_ID})`);
    s.user = { id: users.supervisor, name: 'Bench Supervisor', role: 'supervisor' };
    t0 = performance.now();
    holdMeeting(s, MEETING_DAY);
    setup.holdMeetingMs = round(performance.now() - t0);
    console.log(`Meeting held as of ${MEETING_DAY} (snapshot of every network) in ${fmt(setup.holdMeetingMs)}`);
    result.counts = counts;
    result.bands = bands;
    result.setup = setup;
    result.fileBytes = statSync(path).size;

    const measurements: Measurement[] = [];
    const outDir = join(work, 'out');
    mkdirSync(outDir);
    let n = 0;
    const exportOnce = async (kind: 'corporate' | 'meeting_pack', format: 'csv' | 'xlsx' | 'json' | 'pdf', period?: string) => {
      const r = await R.exportReturn(s, { kind, format, ...(period ? { period } : {}), rules: 'internal', purpose: 'Benchmark of the returns', recipient: 'Benchmark recipient', path: join(outDir, `r${n++}.${format}`) });
      return r.bytes;
    };

    s.user = { id: reader, name: 'Bench Reader', role: 'read_only' };
    for (const [label, period] of [
      ['the monthly return for May 2026', '2026-05'],
      ['financial year 2025/26', '2025/26'],
    ] as const) {
      console.log(`\nCorporate return, ${label} (population: the matrix on ${TODAY}, stored scores)`);
      measurements.push(await measure(`corporate ${period}: preview (build)`, opts.repeats, () => void R.preview(s, { kind: 'corporate', period, rules: 'internal' })));
      for (const format of ['csv', 'xlsx', 'json'] as const) measurements.push(await measure(`corporate ${period}: export ${format}`, opts.repeats, () => exportOnce('corporate', format, period)));
    }
    console.log(`\nMeeting pack as of ${TODAY} (compared with ${MEETING_DAY}; stored scores are as of ${TODAY})`);
    s.user = { id: users.analyst, name: 'Bench Analyst', role: 'analyst' };
    measurements.push(await measure('meeting pack: preview (build)', opts.repeats, () => void R.preview(s, { kind: 'meeting_pack', rules: 'internal' })));
    for (const format of ['pdf', 'xlsx'] as const) measurements.push(await measure(`meeting pack: export ${format}`, opts.repeats, () => exportOnce('meeting_pack', format)));
    console.log(`\nMeeting pack as of the day before (no stored score is as of that day: every network is scored for it in memory)`);
    measurements.push(await measure('meeting pack as of the day before: preview (build)', 1, () => void R.preview(s, { kind: 'meeting_pack', asOf: '2026-06-29', rules: 'internal' })));
    const pack = R.buildReturn(s, { kind: 'meeting_pack', rules: 'internal' }, 1);
    result.packRows = Object.fromEntries(pack.sections.flatMap((x) => x.tables).map((t) => [t.id, t.rows.length]));
    console.log(`Meeting pack rows per table: ${JSON.stringify(result.packRows)}`);
    result.measurements = measurements;
    s.closeVault();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  result.loadAverageAtEnd = loadavg();
  result.finishedAt = new Date().toISOString();
  console.log(`\nLoad average at end ${loadavg().map((x) => x.toFixed(2)).join(', ')}`);
  if (opts.isSaved) {
    const dir = join(__dirname, 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `returns-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Results written to ${file}`);
  }
}

// Run directly (npx tsx bench/returns.ts), not when bench/run.ts imports it.
if (process.argv[1] && /bench[\\/]returns\.ts$/.test(process.argv[1])) {
  runReturnsBench(process.argv.slice(2)).catch((e: unknown) => {
    console.error(`Benchmark failed: ${e instanceof Error ? `${e.message}\n${e.stack}` : String(e)}`);
    process.exitCode = 1;
  });
}


