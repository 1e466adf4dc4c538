/**
 * The signed audit log's costs (BENCHMARKS.md "Audit signing"): appending one signed entry
 * through the app's write path, reading the signed registry at unlock, and verifying a log of
 * 100,000 entries, fast (the signatures that vouch for the rest) and full (every signature), in
 * one run so their ratio is measured, not assumed.
 *
 * The log is built the way the app builds it (appendAudit, signed by each user's own slot key),
 * in sessions of 5 to 40 entries by one of four users in turn, so the runs of one signer are as an
 * office's day makes them.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { appendAudit, readSigningRegistry, verifyAudit, type SigningKey } from '../main/audit/audit';
import { nodeContext } from '../main/services/context';
import { Session } from '../main/services/session';
import * as usersService from '../main/services/users.service';
import { createVault, lock, unlock } from '../main/services/vault.service';
import { SCRYPT_TEST } from '../main/vault/crypto';
import { keysPathFor, openSlotPrivateKey, readKeyFile } from '../main/vault/keyfile';
import { slotSigningKey } from '../main/vault/signing';
import { fmtInt, fmtMs, printTable, stats, timed, type Stats } from './measure';
import { rng } from './synthetic';

export interface AuditBenchResult {
  entries: number;
  runs: number;
  appendOne: Stats;
  registryAtUnlock: Stats;
  verifyFast: Stats & { signaturesChecked: number };
  verifyFull: Stats & { signaturesChecked: number };
  fullOverFast: number;
  goalMs: number;
}

const PASS = 'benchmark vault: copper heron 2281 meadow';
const PEOPLE = [
  { name: 'Rowan Hale', role: 'administrator' as const },
  { name: 'Sam Okafor', role: 'analyst' as const },
  { name: 'Jo Pritchard', role: 'supervisor' as const },
  { name: 'Ari Lindqvist', role: 'analyst' as const },
];

export function benchAudit(opts: { seed: string; repeats: number; entries?: number }, workDir: string): AuditBenchResult {
  const target = opts.entries ?? 100_000;
  const dir = mkdtempSync(join(workDir, 'audit-'));
  // The KDF is not what is measured here: the test cost keeps the set-up short.
  const ctx = nodeContext({ stateDir: join(dir, 'state'), documentsDir: dir, kdfCost: SCRYPT_TEST });
  const s = new Session(ctx);
  const path = join(dir, 'audit.hmvault');
  createVault(s, { path, adminName: PEOPLE[0]!.name, passphrase: PASS });
  const ids = [s.user!.id];
  for (const p of PEOPLE.slice(1)) ids.push(usersService.add(s, { name: p.name, role: p.role, passphrase: PASS }, { isPassphraseTheirOwn: true }).id);
  const keys = readKeyFile(keysPathFor(path));
  const signers: SigningKey[] = ids.map((id) => {
    const slot = keys.slots.find((x) => x.userId === id)!;
    const priv = openSlotPrivateKey(keys.vaultId, slot, PASS)!;
    return slotSigningKey(priv, keys.vaultId, slot.id);
  });

  // Build the log in sessions of one user each.
  const random = rng(`audit-${opts.seed}`);
  const vault = s.vault!;
  let runs = 0;
  let who = 0;
  const t0 = new Date('2026-06-30T08:00:00.000Z').getTime();
  let n = 0;
  while (n < target) {
    const batch = Math.min(target - n, 5 + Math.floor(random.next() * 36));
    const p = PEOPLE[who]!;
    vault.tx((db) => {
      for (let i = 0; i < batch; i++) {
        appendAudit(
          db,
          vault.auditKey,
          { userId: ids[who]!, userName: p.name, role: p.role, action: 'consult', entityType: 'person', entityId: `p-${n + i}`, summary: 'Person opened' },
          new Date(t0 + (n + i) * 60_000),
          signers[who]!,
        );
      }
    });
    n += batch;
    runs++;
    who = (who + 1 + Math.floor(random.next() * (PEOPLE.length - 1))) % PEOPLE.length;
  }

  const appendRuns: number[] = [];
  for (let i = 0; i <= 200; i++) {
    const t = timed(() => s.write((_db, audit) => audit({ action: 'consult', entityType: 'person', entityId: 'p-bench', summary: 'Person opened' })));
    if (i > 0) appendRuns.push(t.ms);
  }
  const registryRuns: number[] = [];
  const fastRuns: number[] = [];
  const fullRuns: number[] = [];
  let fastChecked = 0;
  let fullChecked = 0;
  // Alternate the two walks so noise from other processes lands on both.
  for (let i = 0; i <= opts.repeats; i++) {
    const reg = timed(() => readSigningRegistry(vault.db));
    if (reg.value.problem) throw new Error(`the benchmark log's registry does not verify: ${reg.value.problem.reason}`);
    const fast = timed(() => verifyAudit(vault.db, vault.auditKey));
    const full = timed(() => verifyAudit(vault.db, vault.auditKey, null, { full: true }));
    if (!fast.value.isIntact || !full.value.isIntact) throw new Error('the benchmark log does not verify');
    fastChecked = fast.value.signaturesChecked;
    fullChecked = full.value.signaturesChecked;
    if (i > 0) {
      registryRuns.push(reg.ms);
      fastRuns.push(fast.ms);
      fullRuns.push(full.ms);
    }
  }
  lock(s, 'manual');
  // Unlock once more, so the log's own unlock check runs over the whole log (not timed here: see "Unlock").
  unlock(s, { userName: PEOPLE[1]!.name, passphrase: PASS });
  lock(s, 'manual');
  const fast = stats(fastRuns);
  const full = stats(fullRuns);
  return {
    entries: n,
    runs,
    appendOne: stats(appendRuns),
    registryAtUnlock: stats(registryRuns),
    verifyFast: { ...fast, signaturesChecked: fastChecked },
    verifyFull: { ...full, signaturesChecked: fullChecked },
    fullOverFast: Math.round((full.medianMs / fast.medianMs) * 100) / 100,
    goalMs: 2000,
  };
}

export function printAudit(r: AuditBenchResult): void {
  console.log(`\nAudit signing: a log of ${fmtInt(r.entries)} signed entries in ${fmtInt(r.runs)} sessions of one user each`);
  printTable(
    ['Workload', 'Median', 'Min', 'Max', 'Signatures checked'],
    [
      ['append one signed entry (write path, head file included)', fmtMs(r.appendOne.medianMs), fmtMs(r.appendOne.minMs), fmtMs(r.appendOne.maxMs), '-'],
      ['signed registry read at unlock', fmtMs(r.registryAtUnlock.medianMs), fmtMs(r.registryAtUnlock.minMs), fmtMs(r.registryAtUnlock.maxMs), '-'],
      [`verify ${fmtInt(r.entries)} entries, fast`, fmtMs(r.verifyFast.medianMs), fmtMs(r.verifyFast.minMs), fmtMs(r.verifyFast.maxMs), fmtInt(r.verifyFast.signaturesChecked)],
      [`verify ${fmtInt(r.entries)} entries, full`, fmtMs(r.verifyFull.medianMs), fmtMs(r.verifyFull.minMs), fmtMs(r.verifyFull.maxMs), fmtInt(r.verifyFull.signaturesChecked)],
    ],
  );
  console.log(`Full over fast: ${r.fullOverFast}×. Goal for verify: ≤ ${fmtMs(r.goalMs)} (fast ${r.verifyFast.medianMs <= r.goalMs ? 'meets it' : 'misses it'}; full ${r.verifyFull.medianMs <= r.goalMs ? 'meets it' : 'misses it'}).`);
}
