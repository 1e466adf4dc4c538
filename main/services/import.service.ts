/**
 * Import of a register from a JSON document (docs/import-schema.md): the CLI's `import`, and the
 * demo vault's synthetic data.
 *
 * Two phases, and nothing is written unless the first finds no fault at all:
 * 1. Check every row (import/validate.ts, reading the document with the shared layer's
 *    schemas/import.ts): the contract's own record schemas, the references between rows and to
 *    records already in the vault, and the register's rules as the app applies them
 *    (domain/register-rules.ts). Every fault is reported, by section, row and field, not only
 *    the first.
 * 2. One transaction (Session.write): every row (import/write.ts, written in bulk by
 *    store/import.repo.ts), audit entries that count what was recorded (no personal data in
 *    them), and one rescore of every network. A failure anywhere, including a progress callback
 *    that throws to cancel, rolls all of it back.
 */
import { randomUUID } from 'node:crypto';
import { loadExistingRecords } from '../store/import.repo';
import type { Db } from '../vault/database';
import { ukToday } from '../../preload/contract/uk-time';
import type { ImportError, ImportProgress, SectionName, ValidDocument } from '../../preload/contract/schemas/import';
import { validateDocument } from './import/validate';
import { writeDocument } from './import/write';
import { rescoreNetworks } from './scoring.service';
import { policyOn } from './policy.service';
import type { AuditFn, Session } from './session';

export {
  IMPORT_FORMAT,
  IMPORT_VERSION,
  SECTIONS,
  type FlagRow,
  type ImportDocument,
  type ImportError,
  type ImportProgress,
  type IntelligenceRow,
  type MembershipRow,
  type NetworkRow,
  type OffenceLinkRow,
  type OffenceRow,
  type PersonRow,
  type RatingRow,
  type SectionName,
} from '../../preload/contract/schemas/import';
export { MAX_ERRORS, validateDocument, type ValidationContext } from './import/validate';
export { noExistingRecords, type ExistingRecords } from '../store/import.repo';

export type ImportCounts = Record<SectionName, number> & { proposedLinksFromFlags: number };

export interface ImportOptions {
  /** Called as work proceeds. Throwing from it cancels the import: nothing is kept. */
  onProgress?: (p: ImportProgress) => void;
  /** Validate only. */
  dryRun?: boolean;
  /**
   * Whether rows may arrive as confirmed gang flags. Confirming a flag is a supervisor's act
   * (matrix.service.ts confirmFlag), so by default only a supervisor's import may carry them.
   */
  canConfirmFlags?: boolean;
  /** Runs inside the import's transaction after the rows and the rescore (the demo vault's marker). */
  withinTransaction?: (db: Db, audit: AuditFn) => void;
}

export type ImportResult =
  | { ok: true; isDryRun: boolean; importId: string | null; counts: ImportCounts; scored: number }
  | { ok: false; errors: ImportError[]; isTruncated: boolean };

const fmt = (n: number) => n.toLocaleString('en-GB');

function countsOf(d: ValidDocument, proposedLinksFromFlags: number): ImportCounts {
  return {
    networks: d.networks.length,
    people: d.people.length,
    intelligence: d.intelligence.length,
    memberships: d.memberships.length,
    offences: d.offences.length,
    offenceLinks: d.offenceLinks.length,
    ratings: d.ratings.length,
    flags: d.flags.length,
    proposedLinksFromFlags,
  };
}

/**
 * Validate a document and, if it has no fault, record all of it in one transaction.
 * The signed-in user is recorded as the creator of every row.
 */
export function importDocument(s: Session, input: unknown, opts: ImportOptions = {}): ImportResult {
  const user = s.requireUser();
  const vault = s.requireVault();
  const today = ukToday(s.ctx.now());
  // Read once: nothing else writes to this vault while the import runs (the CLI and the app each
  // hold the vault's lock, and the work below is synchronous).
  const existing = loadExistingRecords(vault.db);
  const policy = policyOn(vault.db, today);
  const v = validateDocument(input, {
    today,
    existing,
    canConfirmFlags: opts.canConfirmFlags ?? user.role === 'supervisor',
    policy,
    onProgress: opts.onProgress,
  });
  if (!v.doc) return { ok: false, errors: v.errors, isTruncated: v.isTruncated };
  const d = v.doc;
  if (opts.dryRun) return { ok: true, isDryRun: true, importId: null, counts: countsOf(d, 0), scored: 0 };

  const importId = randomUUID();
  const now = s.ctx.now();
  const tag = d.isSynthetic ? ' (synthetic data)' : '';
  return s.write((db, audit) => {
    const progress = (phase: ImportProgress['phase'], section: SectionName | null, done: number, total: number) => opts.onProgress?.({ phase, section, done, total });
    const w = writeDocument(db, d, { userId: user.id, today, now, existing, policy, onProgress: (section, done, total) => progress('write', section, done, total) });

    const entry = (action: 'collect' | 'combine' | 'alter', summary: string) => audit({ action, entityType: 'import', entityId: importId, summary: `${summary}${tag}` });
    const collected: [number, string][] = [
      [d.networks.length, 'networks'],
      [d.people.length, 'people'],
      [d.intelligence.length, 'intelligence items'],
      [d.offences.length, 'offences'],
      [d.ratings.length, 'ratings'],
    ];
    for (const [n, what] of collected) if (n > 0) entry('collect', `Import: ${fmt(n)} ${what} recorded`);
    if (d.flags.length > 0) entry('collect', `Import: ${fmt(d.flags.length)} gang flags recorded (${fmt(w.confirmedFlags)} confirmed, ${fmt(d.flags.length - w.confirmedFlags)} proposed)`);
    if (d.memberships.length + d.offenceLinks.length + w.heldAgainstNetworks + w.proposedLinksFromFlags > 0) {
      entry(
        'combine',
        `Import: ${fmt(d.memberships.length)} member links (${fmt(w.victimLinks)} victim / at risk, never scored${w.proposedMemberLinks > 0 ? `; ${fmt(w.proposedMemberLinks)} for under-18s proposed for a supervisor` : ''}), ` +
          `${fmt(d.offenceLinks.length + w.proposedLinksFromFlags)} offence links (${fmt(w.proposedLinks + w.proposedLinksFromFlags)} proposed) ` +
          `and ${fmt(w.heldAgainstNetworks)} intelligence items held against networks recorded`,
      );
    }

    progress('score', null, 0, 1);
    const scored = rescoreNetworks(db, null, today, now);
    entry('alter', `Import: all ${fmt(scored.scored)} networks rescored as of ${today}; ${fmt(scored.changed)} changed`);
    progress('score', null, 1, 1);
    opts.withinTransaction?.(db, audit);
    return { ok: true, isDryRun: false, importId, counts: countsOf(d, w.proposedLinksFromFlags), scored: scored.scored } as const;
  });
}
