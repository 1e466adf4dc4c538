/**
 * The Harm Matrix command line: the same dispatcher and services as the app, headless, for an
 * administrator at the workstation or a script. Run with Node (`npm run cli -- <command>`), or as
 * out/main/cli.js after a build. It never imports Electron.
 *
 *   vault info <path> [--unlock --user NAME] [--json]
 *   audit verify <path> --user NAME [--anchor FILE] [--json]
 *   audit anchor <path> --user NAME --out FILE [--json]
 *   backup <path> <dest> --user NAME
 *   restore <backup> <dest> --user NAME
 *   review due <path> --user NAME [--json]
 *   erase <path> person|link|flag|offence|intelligence|network|claim <ref> --reason TEXT --user NAME [--json]
 *   retention run <path> --user NAME [--dry-run] [--as-of YYYY-MM-DD] [--json]
 *   import <path> <file.json> --user NAME [--dry-run] [--json]
 *   networks <path> --user NAME [--as-of YYYY-MM-DD] --format json|csv --out FILE --purpose TEXT --recipient TEXT [--json]
 *   demo <out.json> [--scale desk|force|national] [--seed N] [--as-of YYYY-MM-DD]
 *   return corporate <path> --user NAME --period P --format csv|xlsx|json --rules internal|public --out FILE --purpose TEXT --recipient TEXT [--json]
 *   return meeting-pack <path> --user NAME [--as-of YYYY-MM-DD] --format pdf|xlsx --rules internal|public --out FILE --purpose TEXT --recipient TEXT [--json]
 *
 * Passphrases come from a hidden prompt, or one line of standard input when it is not a terminal;
 * never from argv. Every unlock is an ordinary unlock: throttled after failures, and recorded in
 * the vault's audit log with its lock, exactly as in the app. State (unlock-failure counters,
 * audit heads) is the app's own folder, so the CLI and the app check each other.
 *
 * Exit codes: 0 done (audit intact); 1 the audit check found a break (or the anchor's head is not
 * in the log); 2 the command could not be
 * done (the message says why; for `import`, the document has faults and nothing was written);
 * 64 the command line was wrong; 70 an unexpected error.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { z } from 'zod';
import { anchorPath, type Channel, type Contract, type Output, type SessionUser } from '../preload/contract';
import { findSecretOption, readSecret, SecretInputError } from './app/secret-input';
import { stateDirFor } from './app/paths';
import { accessRefusal, cliSender, createDispatch, passphraseChangeDueRefusal, type Dispatch, type Refusal } from './ipc/handle';
import { handlers } from './ipc/handlers';
import { isoDay } from '../preload/contract/schemas/matrix';
import { DEMO_SEED, SCALE_NAMES, SCALES, writeDemoDocument, type ScaleName } from './services/demo.service';
import { importDocument, SECTIONS, type ImportError, type ImportProgress } from './services/import.service';
import { CORPORATE_FORMATS, exportInput, MEETING_PACK_FORMATS, NETWORK_LIST_FORMATS, type ReturnKind } from '../preload/contract/schemas/returns';
import { formatUkDate } from '../preload/contract/dates';
import { ukDateTime, ukToday } from '../preload/contract/uk-time';
import { escapeForTerminal, jsonForTerminal } from '../preload/contract/text';
import { readSections } from '../preload/contract/schemas/import';
import { nodeContext, type AppContext } from './services/context';
import { Session } from './services/session';
import * as auditService from './services/audit.service';
import type { AnchorCheck } from './services/audit.service';
import { ANCHOR_SOURCE_LABELS, findAuditHead, type FoundHead } from './audit/anchor-finder';
import * as vaultService from './services/vault.service';
import * as erasureService from './services/erasure.service';
import { ERASE_KINDS, type EraseKind } from '../preload/contract/vocabulary';
import { VaultError } from './vault/errors';

export const EXIT = { ok: 0, checkFailed: 1, refused: 2, usage: 64, internal: 70 } as const;

class CliError extends Error {
  /** The message's lines, each printed on its own (and escaped: see `err`). */
  readonly lines: string[];
  constructor(
    message: string | string[],
    readonly exitCode: number,
  ) {
    const lines = typeof message === 'string' ? [message] : message;
    super(lines.join('\n'));
    this.lines = lines;
  }
}

/**
 * A session pinned to the vault named on the command line. It never changes which vault this
 * workstation's app opens (the app's selection lives in the same state folder).
 */
class PinnedSession extends Session {
  constructor(
    ctx: AppContext,
    private readonly pinnedPath: string,
  ) {
    super(ctx);
  }

  override get vaultPath(): string | null {
    return this.pinnedPath;
  }

  override set vaultPath(_path: string | null) {
    // Deliberately ignored: see the class comment.
  }
}

function context(): AppContext {
  return nodeContext({ stateDir: stateDirFor(process.platform, process.env, homedir()) });
}

/*
 * Everything printed goes through these three. What is printed comes from documents, key files,
 * vaults and the command line, any of which may hold an escape sequence (erase the line, print a
 * green "Imported") or a bidi override: each line is escaped (../preload/contract/text.ts) so a
 * terminal shows such characters as `\u001b` and acts on none of them.
 */

/** One line on standard output; a line break inside it is shown, not obeyed. */
function out(line = ''): void {
  process.stdout.write(`${escapeForTerminal(line)}\n`);
}

/** A value as JSON on standard output: the same JSON value, with nothing a terminal acts on. */
function outJson(value: unknown): void {
  process.stdout.write(`${jsonForTerminal(value, 2)}\n`);
}

/** One line on standard error, escaped as `out` is. */
function err(line: string): void {
  process.stderr.write(`${escapeForTerminal(line)}\n`);
}

/**
 * This process's own sender: the app's dispatcher (main/ipc/handle.ts) enforces the contract's
 * access rules, parses the input and checks the output for the command line exactly as it does
 * for the window.
 */
const CLI = cliSender();

/** The app's dispatcher over this command's session. No page is trusted here: only this process's own sender gets through. */
function dispatcherFor(session: Session): Dispatch {
  return createDispatch(session, handlers, () => false);
}

/** A refusal, as the command line says it: the field messages when the input was at fault, else the sentence. */
function refusalError(r: Refusal): CliError {
  const lines = r.code === 'invalid_input' && r.fields ? [...new Set(Object.values(r.fields))] : [r.message];
  return new CliError(lines, EXIT.refused);
}

/** Call a channel through the dispatcher; a refusal becomes the command's error (exit 2). */
async function call<C extends Channel>(dispatch: Dispatch, channel: C, input: z.input<Contract[C]['input']>): Promise<Output<C>> {
  const r = await dispatch(channel, input, CLI);
  if (!r.ok) throw refusalError(r);
  return r.value as Output<C>;
}

/** Work with no channel of its own is allowed to whoever the named channel allows, by the same rule. */
function requireAccess(user: SessionUser, channel: Channel): void {
  const refused = accessRefusal(user, channel, CLI);
  if (refused) throw refusalError(refused);
}

/** An unlocked vault, as a command sees it: the session, who is signed in, and the dispatcher over both. */
interface Unlocked {
  s: Session;
  user: SessionUser;
  call: <C extends Channel>(channel: C, input: z.input<Contract[C]['input']>) => Promise<Output<C>>;
}

function requireUserName(name: string | undefined): string {
  if (!name || !name.trim()) throw new CliError('Give the user to unlock as, with --user NAME.', EXIT.usage);
  return name.trim();
}

async function askPassphrase(userName: string): Promise<string> {
  try {
    return await readSecret(`Passphrase for ${userName}: `);
  } catch (e) {
    if (e instanceof SecretInputError) throw new CliError(e.message, EXIT.refused);
    throw e;
  }
}

/**
 * Unlock `path` as a user, run `fn`, and always lock again (the lock is audited like the app's).
 * `fn` may be async (an export renders and writes a file): the vault stays unlocked until it settles.
 * A user whose passphrase someone else chose gets the dispatcher's refusal, and `fn` does not run:
 * nothing the command line does is changing a passphrase, including what it does without a channel.
 */
async function withUnlocked<T>(path: string, userName: string, fn: (u: Unlocked) => T | Promise<T>): Promise<T> {
  const session = new PinnedSession(context(), path);
  const dispatch = dispatcherFor(session);
  vaultService.checkVaultFile(path);
  const passphrase = await askPassphrase(userName);
  const user = await call(dispatch, 'vault:unlock', { userName, passphrase });
  try {
    const due = passphraseChangeDueRefusal(user, CLI);
    if (due) throw refusalError(due);
    return await fn({ s: session, user, call: (channel, input) => call(dispatch, channel, input) });
  } finally {
    await call(dispatch, 'vault:lock', {});
  }
}

/* ---- vault info ------------------------------------------------------------------------------ */

function formatBytes(n: number | null): string {
  if (n === null) return 'absent';
  return `${n.toLocaleString('en-GB')} bytes`;
}

async function vaultInfo(pathArg: string, opts: { unlock?: boolean; user?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const facts = vaultService.vaultFileFacts(path);
  let unlocked: ReturnType<typeof vaultService.openVaultFacts> | null = null;
  if (opts.unlock) {
    const userName = requireUserName(opts.user);
    unlocked = await withUnlocked(path, userName, ({ s }) => vaultService.openVaultFacts(s));
  }
  if (opts.json) {
    outJson({ ...facts, unlocked });
    return EXIT.ok;
  }
  out(`Vault            ${facts.path}`);
  out(`Vault id         ${facts.vaultId}`);
  out(`Key generation   ${facts.keyGeneration}${facts.isRotationPending ? ' (a key rotation is unfinished: the next unlock completes it)' : ''}`);
  out(`Key slots        ${facts.slots.length}`);
  for (const s of facts.slots) {
    out(`  - ${s.kind === 'recovery' ? 'recovery code' : 'user'}, slot ${s.slotId.slice(0, 8)}, ${s.kdf}, updated ${s.updatedAt}, slot format ${s.format}`);
  }
  if (!unlocked) out('                 (as the key file says, which names nobody; with --unlock, each is checked against the vault\'s own registry and named from its users)');
  out('Files');
  for (const [label, f] of Object.entries(facts.files)) out(`  ${label.padEnd(6)} ${formatBytes(f.bytes).padEnd(20)} ${f.path}`);
  if (unlocked) {
    out(`Schema version   ${unlocked.userVersion}`);
    out(`Users            ${unlocked.users.active} active, ${unlocked.users.removed} removed`);
    out(`Audit entries    ${unlocked.auditEntries}`);
    out('Pragmas (read back)');
    for (const [k, v] of Object.entries(unlocked.pragmas)) out(`  ${k.padEnd(15)} ${v}`);
    out('Key slots as the vault vouches for them');
    for (const k of unlocked.keySlots) {
      const who = k.kind === 'recovery' ? 'recovery code' : `user "${k.userName ?? 'not a user of this vault'}"`;
      out(`  - ${who}, slot ${k.slotId.slice(0, 8)}, ${k.status}, last changed ${k.lastChangedAt}${k.problem ? `: ${k.problem}` : ''}`);
    }
    if (unlocked.keySlotWarning) out(`Key slot warning: ${unlocked.keySlotWarning}`);
  }
  return EXIT.ok;
}

/* ---- audit verify ---------------------------------------------------------------------------- */

/** The head named in an anchor or export file, read before any passphrase is asked for. */
function readAnchor(file: string, vaultPath: string): FoundHead {
  const found = findAuditHead(file);
  // The key file names the vault without unlocking it: a file from another vault costs no unlock.
  const vaultId = vaultService.vaultFileFacts(vaultPath).vaultId;
  if (found.vaultId !== null && found.vaultId.toLowerCase() !== vaultId.toLowerCase()) {
    throw new CliError(`${file} names the audit log of another vault (${found.vaultId}), not this one (${vaultId}): it says nothing about this vault's log.`, EXIT.refused);
  }
  return found;
}

function describeAnchor(a: FoundHead): string {
  const written = a.writtenAt ? `, written ${ukDateTime(a.writtenAt)} (UK time)` : '';
  return `entry ${a.seq}, hash ${a.hash}, from ${ANCHOR_SOURCE_LABELS[a.source]}${written}`;
}

async function auditVerify(pathArg: string, opts: { user?: string; anchor?: string; json?: boolean; full?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  vaultService.checkVaultFile(path);
  const anchor = opts.anchor === undefined ? null : readAnchor(resolve(opts.anchor), path);
  const result = await withUnlocked(path, userName, async ({ s, user, call }) => {
    const verified = await call('audit:verify', opts.full ? { full: true } : {});
    let anchorCheck: AnchorCheck | null = null;
    if (anchor) {
      // The same rule as the chain check: whoever may verify the log may check it against an anchor.
      requireAccess(user, 'audit:verify');
      anchorCheck = auditService.verifyAgainstAnchor(s, anchor);
    }
    return { ...verified, headWarning: s.auditWarning, anchorCheck };
  });
  const { anchorCheck, ...chain } = result;
  // A mismatch with this workstation's recorded head (entries removed, or an older copy) is found
  // at unlock; it is a broken log even if the chain itself is whole.
  const isIntact = chain.isIntact && chain.headWarning === null;
  const isAnchorHeld = anchorCheck === null || anchorCheck.isHeld;
  if (opts.json) {
    outJson({
      ...chain,
      isIntact,
      ...(anchor && anchorCheck
        ? { anchor: { source: anchor.source, vaultId: anchor.vaultId, seq: anchor.seq, hash: anchor.hash, writtenAt: anchor.writtenAt, writtenBy: anchor.writtenBy, isHeld: anchorCheck.isHeld, reason: anchorCheck.reason, lastSeq: anchorCheck.lastSeq, signature: anchorCheck.signature } }
        : {}),
    });
  } else {
    if (isIntact) {
      const before = chain.beforeSigning > 0 ? `; entries 1 to ${chain.beforeSigning} are from before signing (chain only)` : '';
      out(`Audit log intact: ${chain.count} entries, the chain and ${opts.full ? 'every' : 'each vouching'} signature verified (${chain.signaturesChecked} checked)${before}.`);
    }
    else {
      // verify() also reports the head mismatch found at unlock, with no entry number: say it once.
      if (!chain.isIntact && chain.firstBrokenSeq !== null) out(`Audit log broken at entry ${chain.firstBrokenSeq}: ${chain.reason}.`);
      if (chain.headWarning) out(`Audit log does not match this workstation's record: ${chain.headWarning}`);
    }
    if (anchor && anchorCheck) {
      out(`Anchor: ${describeAnchor(anchor)}.`);
      if (anchorCheck.signature === 'valid') out('The anchor is signed, and its signature verifies with the key of the user who wrote it.');
      out(anchorCheck.isHeld ? `The log holds the anchor's entry ${anchor.seq}, with the same hash.` : `The log does not hold the anchor's head: ${anchorCheck.reason}.`);
    }
  }
  return isIntact && isAnchorHeld ? EXIT.ok : EXIT.checkFailed;
}

/* ---- audit anchor ---------------------------------------------------------------------------- */

async function auditAnchor(pathArg: string, opts: { user?: string; out?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  const parsed = anchorPath.safeParse(opts.out);
  if (!parsed.success) throw new CliError(`--out: ${opts.out === undefined ? 'required.' : parsed.error.issues[0]!.message}`, EXIT.usage);
  const outPath = resolve(parsed.data);
  if (existsSync(outPath)) throw new CliError(`${outPath} already exists. An audit anchor never replaces a file: choose a new name.`, EXIT.refused);
  const result = await withUnlocked(path, userName, ({ call }) => call('audit:anchor', { path: outPath }));
  if (opts.json) {
    outJson(result);
  } else {
    out(`Audit anchor written: ${result.path}`);
    out(`Audit log head: entry ${result.seq}, hash ${result.hash}, vault ${result.vaultId} (this anchor's own entry included).`);
    out('Keep it where no user of this vault can change it; check the log against it with `audit verify --anchor`.');
  }
  return EXIT.ok;
}

/* ---- backup and restore ---------------------------------------------------------------------- */

async function backup(pathArg: string, destArg: string, opts: { user?: string }): Promise<number> {
  const path = resolve(pathArg);
  const dest = resolve(destArg);
  const userName = requireUserName(opts.user);
  const result = await withUnlocked(path, userName, ({ call }) => call('vault:backup', { path: dest }));
  out(`Backup written and verified: ${result.path} (${formatBytes(result.bytes)})`);
  out(`Its key file:                ${vaultService.keyFileFor(result.path)}`);
  out('Keep the two files together. The backup opens with the passphrases and recovery code of the vault it was taken from.');
  return EXIT.ok;
}

async function restore(backupArg: string, destArg: string, opts: { user?: string }): Promise<number> {
  const backupPath = resolve(backupArg);
  const destPath = resolve(destArg);
  const userName = requireUserName(opts.user);
  const session = new Session(context());
  const dispatch = dispatcherFor(session);
  vaultService.checkRestore({ backupPath, destPath });
  const passphrase = await askPassphrase(userName);
  const staged = vaultService.stageBackup(backupPath, destPath);
  try {
    // Restoring moves this workstation to the restored copy and its audit head with it, so it is
    // an administrator's act, as backups are. The role is read from the backup itself first.
    // One derivation, off the main thread, serves the check and the restore's own unlocks.
    await vaultService.restoreAsync(session, { backupPath: staged.path, destPath, userName, passphrase }, (user) => requireAccess(user, 'vault:backup'));
    await call(dispatch, 'vault:lock', {});
  } finally {
    staged.discard();
  }
  out(`Restored and verified: ${destPath}`);
  const reapplied = erasureService.reappliedAtRestore(session);
  if (reapplied > 0) out(`Re-applied ${reapplied} ${reapplied === 1 ? 'erasure' : 'erasures'} recorded since this backup was taken.`);
  out(`Its key file:          ${vaultService.keyFileFor(destPath)}`);
  out('This workstation now opens the restored vault.');
  return EXIT.ok;
}

/* ---- review due ------------------------------------------------------------------------------ */

const REVIEW_KIND_WORDS = { membership: 'link', gang_flag: 'flag', network: 'network' } as const;

/**
 * What is due for review (the Reviews screen's list, for the user's unit): ids, kinds, references
 * and due dates, under-18s first; no names.
 */
async function reviewDueCommand(pathArg: string, opts: { user?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  const due = await withUnlocked(path, userName, ({ call }) => call('reviews:due', {}));
  const rows = due.map((r) => ({
    kind: REVIEW_KIND_WORDS[r.kind],
    id: r.id,
    reference: r.reference,
    networkReference: r.networkReference,
    dueOn: r.dueOn,
    isOverdue: r.isOverdue,
    isUnder18: r.isUnder18,
  }));
  if (opts.json) {
    outJson(rows);
    return EXIT.ok;
  }
  if (rows.length === 0) {
    out('Nothing is due for review in the next 30 days.');
    return EXIT.ok;
  }
  for (const r of rows) {
    const marks = [r.isOverdue ? 'overdue' : 'due', ...(r.isUnder18 ? ['under 18'] : [])].join(', ');
    out(`${r.kind.padEnd(7)} ${r.id}  ${r.reference.padEnd(14)} ${(r.networkReference ?? '').padEnd(14)} ${formatUkDate(r.dueOn)}  ${marks}`);
  }
  out(`${rows.length} due for review (${rows.filter((r) => r.isOverdue).length} overdue).`);
  return EXIT.ok;
}

/* ---- erase ----------------------------------------------------------------------------------- */

async function eraseCommand(pathArg: string, kindArg: string, ref: string, opts: { user?: string; reason?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  if (!(ERASE_KINDS as readonly string[]).includes(kindArg)) throw new CliError(`Erase one of: ${ERASE_KINDS.join(', ')}.`, EXIT.usage);
  if (!opts.reason || !opts.reason.trim()) throw new CliError('Give the reason for the erasure, with --reason TEXT.', EXIT.usage);
  const kind = kindArg as EraseKind;
  const { plan, done } = await withUnlocked(path, userName, async ({ call }) => {
    const plan = await call('erase:plan', { kind, ref });
    const done = await call('erase:confirm', { kind, ref, reason: opts.reason! });
    return { plan, done };
  });
  if (opts.json) {
    outJson({ plan, erased: done });
    return EXIT.ok;
  }
  out(`Plan:   ${plan.summary}`);
  out(`Erased: ${done.kind} ${done.reference} (erasure ${done.erasureId}): ${done.summary}`);
  if (!done.isLogCheckpointed) out('The write-ahead log was in use and will be emptied at the next checkpoint.');
  return EXIT.ok;
}

/* ---- retention ------------------------------------------------------------------------------- */

async function retentionCommand(pathArg: string, opts: { user?: string; dryRun?: boolean; asOf?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  if (opts.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.asOf)) throw new CliError('Give --as-of as a date like 2026-06-30.', EXIT.usage);
  const result = await withUnlocked(path, userName, async ({ call }) => call('retention:run', { ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.dryRun ? { dryRun: true } : {}) }));
  if (opts.json) {
    outJson(result);
    return EXIT.ok;
  }
  out(result.summary);
  for (const i of result.items) out(`${i.day}  ${i.step.padEnd(7)}  ${i.kind.padEnd(12)}  ${i.reference}  (${i.reason.replace(/_/g, ' ')} since ${i.since})`);
  return EXIT.ok;
}

/* ---- import ---------------------------------------------------------------------------------- */

function describeError(e: ImportError): string {
  const where = e.index === null ? e.section : `${e.section}[${e.index}]`;
  return `${where}${e.reference ? ` ${e.reference}` : ''}${e.field ? ` ${e.field}` : ''}: ${e.message}`;
}

/** Read and parse the document before asking for a passphrase, so a bad file costs no unlock. */
function readDocument(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`There is no file ${file}.`, EXIT.refused);
    // Node cannot hold a string over about 512 MB: such a document must be split.
    if (code === 'ERR_STRING_TOO_LONG') throw new CliError('The file is too large to import in one piece: split it into several documents.', EXIT.refused);
    throw new CliError(`The file could not be read (${code ?? 'unknown error'}).`, EXIT.refused);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`The file is not valid JSON: ${e instanceof Error ? e.message : 'parse error'}.`, EXIT.refused);
  }
}

function progressPrinter(): ((p: ImportProgress) => void) | undefined {
  // Only on a terminal: a script reading stderr should see faults, not a progress meter.
  if (!process.stderr.isTTY) return undefined;
  return (p) => {
    const what = p.phase === 'score' ? 'scoring every network' : `${p.phase === 'validate' ? 'checking' : 'writing'} ${p.section} ${p.done.toLocaleString('en-GB')}/${p.total.toLocaleString('en-GB')}`;
    process.stderr.write(`\r\x1b[K${what}`);
  };
}

const SECTION_LABELS: Record<(typeof SECTIONS)[number], string> = {
  networks: 'networks',
  people: 'people',
  intelligence: 'intelligence items',
  memberships: 'member links',
  offences: 'offences',
  offenceLinks: 'offence links',
  ratings: 'ratings',
  flags: 'gang flags',
};

/** An import's faults, one a line or as JSON; nothing was imported (exit 2). */
function printFaults(result: { ok: false; errors: ImportError[]; isTruncated: boolean }, isJson: boolean | undefined): number {
  if (isJson) outJson(result);
  else {
    for (const e of result.errors) out(describeError(e));
    out(`${result.errors.length.toLocaleString('en-GB')}${result.isTruncated ? '+' : ''} fault${result.errors.length === 1 ? '' : 's'} found; nothing was imported.`);
  }
  return EXIT.refused;
}

async function importCommand(pathArg: string, fileArg: string, opts: { user?: string; dryRun?: boolean; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  const doc = readDocument(resolve(fileArg));
  // The document's own shape (format, version, sections, nesting) needs no vault: a document at
  // fault there costs no unlock and leaves no entry.
  const shape = readSections(doc);
  if (shape.errors.length > 0) return printFaults({ ok: false, errors: shape.errors, isTruncated: false }, opts.json);
  const onProgress = progressPrinter();
  const result = await withUnlocked(path, userName, ({ s, user }) => {
    // Importing creates networks, people, links and offences: the register keepers' work.
    requireAccess(user, 'networks:create');
    return importDocument(s, doc, { dryRun: opts.dryRun, onProgress });
  });
  if (onProgress) process.stderr.write('\r\x1b[K');
  if (!result.ok) return printFaults(result, opts.json);
  if (opts.json) outJson(result);
  if (!opts.json) {
    const c = result.counts;
    const parts = SECTIONS.map((k) => `${c[k].toLocaleString('en-GB')} ${SECTION_LABELS[k]}`).join(', ');
    if (result.isDryRun) out(`The document is valid and would import: ${parts}. Nothing was written (dry run).`);
    else {
      out(`Imported: ${parts}${c.proposedLinksFromFlags ? `, and ${c.proposedLinksFromFlags.toLocaleString('en-GB')} offence links proposed by confirmed flags` : ''}.`);
      out(`All ${result.scored.toLocaleString('en-GB')} networks in the vault were rescored as of today.`);
    }
  }
  return EXIT.ok;
}

/* ---- networks ------------------------------------------------------------------------------ */

/**
 * Every network's reference, name and score, as an export: the same rules as every return
 * (returns.service exportReturn, kind 'network_list'): the protective marking, the numbered copy,
 * the audit head and the destroy-after day in the file's header, a required purpose and recipient,
 * a 'disclose' audit entry and an export register row, and only the roles that may export it.
 *
 * Only to a new file, never to standard output: a copy is accounted for by its register row (its
 * file name, size and SHA-256, the day it must be destroyed by), and what is printed to a terminal
 * or a pipe lands where nobody can find it to destroy it: scrollback, logs, another program.
 */
async function networksCommand(pathArg: string, opts: ReturnOptions): Promise<number> {
  if (opts.asOf !== undefined && !isoDay.safeParse(opts.asOf).success) throw new CliError('Give --as-of as a real date like 2026-06-30.', EXIT.usage);
  // The format may be left to the file's name (list.csv, list.json).
  const extension = opts.out?.toLowerCase().match(/\.(csv|json)$/)?.[1];
  const format = opts.format ?? extension;
  const missing = [
    format === undefined ? '--format json or --format csv (or an --out file name ending in .json or .csv)' : null,
    opts.out === undefined ? '--out FILE (the new file: a network list is never printed to standard output, where no register could account for it)' : null,
    opts.purpose === undefined ? '--purpose TEXT (why it is disclosed)' : null,
    opts.recipient === undefined ? '--recipient TEXT (who receives it)' : null,
  ].filter((m): m is string => m !== null);
  if (missing.length > 0) {
    throw new CliError(['The network list is an export, recorded in the audit log and the export register. Give:', ...missing.map((m) => `  ${m}`)], EXIT.usage);
  }
  // Record-level: never under the public rules (exportInput says so too).
  return returnCommand('network_list', pathArg, { ...opts, format, rules: 'internal' });
}

/* ---- demo ------------------------------------------------------------------------------------ */

async function demoCommand(outArg: string, opts: { scale?: string; seed?: string; asOf?: string }): Promise<number> {
  const outPath = resolve(outArg);
  const scale = (opts.scale ?? 'desk') as ScaleName;
  if (!SCALE_NAMES.includes(scale)) throw new CliError(`Use --scale ${SCALE_NAMES.join(', ')}.`, EXIT.usage);
  const seed = opts.seed === undefined ? DEMO_SEED : Number(opts.seed);
  if (!/^\d+$/.test(opts.seed ?? '0') || !Number.isSafeInteger(seed) || seed > 0xffffffff) throw new CliError('Give --seed as a whole number from 0 to 4294967295.', EXIT.usage);
  const asOf = opts.asOf ?? ukToday(new Date());
  if (!isoDay.safeParse(asOf).success) throw new CliError('Give --as-of as a real date like 2026-06-30.', EXIT.usage);
  const { bytes } = writeDemoDocument(outPath, { scale, seed, asOf });
  const c = SCALES[scale];
  out(
    `Wrote ${outPath} (${formatBytes(bytes)}): synthetic ${scale}-scale register, seed ${seed}, as of ${asOf}: ` +
      `${c.networks.toLocaleString('en-GB')} networks, ${c.people.toLocaleString('en-GB')} people, ${c.offences.toLocaleString('en-GB')} offences, ${c.intelligence.toLocaleString('en-GB')} intelligence items.`,
  );
  return EXIT.ok;
}

/* ---- return ---------------------------------------------------------------------------------- */

interface ReturnOptions {
  user?: string;
  period?: string;
  asOf?: string;
  format?: string;
  rules?: string;
  out?: string;
  purpose?: string;
  recipient?: string;
  json?: boolean;
}

/**
 * Export a return exactly as the app's returns screen does (returns.service exportReturn): the
 * same disclosure control, the same 'disclose' audit entry and export register row in one
 * transaction, a new file only. Everything on the command line is checked before the passphrase
 * is asked for, so a typing slip in a script costs no unlock.
 */
async function returnCommand(kind: ReturnKind, pathArg: string, opts: ReturnOptions): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  const input = {
    kind,
    format: opts.format,
    ...(kind === 'corporate' ? { period: opts.period } : opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
    rules: opts.rules,
    purpose: opts.purpose,
    recipient: opts.recipient,
    path: opts.out === undefined ? undefined : resolve(opts.out),
  };
  const parsed = exportInput.safeParse(input);
  if (!parsed.success) {
    const flags: Record<string, string> = { period: '--period', asOf: '--as-of', format: '--format', rules: '--rules', purpose: '--purpose', recipient: '--recipient', path: '--out', kind: 'the return' };
    const lines = parsed.error.issues.map((i) => `${flags[String(i.path[0])] ?? String(i.path[0])}: ${i.path.length > 0 && (input as Record<string, unknown>)[String(i.path[0])] === undefined ? 'required.' : i.message}`);
    throw new CliError([...new Set(lines)], EXIT.usage);
  }
  if (existsSync(parsed.data.path)) throw new CliError(`${parsed.data.path} already exists. An export never replaces a file: choose a new name.`, EXIT.refused);
  const result = await withUnlocked(path, userName, ({ call }) => call('returns:export', parsed.data));
  if (opts.json) {
    outJson(result);
  } else {
    const asOf = parsed.data.asOf === undefined ? 'today' : formatUkDate(parsed.data.asOf);
    const what = kind === 'corporate' ? `Corporate return ${parsed.data.period}` : `${kind === 'meeting_pack' ? 'Meeting pack' : 'Network list'} as of ${asOf}`;
    out(`${what} saved as copy ${result.copyNumber}: ${result.path} (${formatBytes(result.bytes)}, SHA-256 ${result.sha256}).`);
    out(`Recorded as a disclosure to ${parsed.data.recipient} in the audit log and the export register.`);
    out(`Destroy after: ${formatUkDate(result.destroyAfter)} (printed in the file and kept in the register).`);
  }
  return EXIT.ok;
}

/* ---- the program ----------------------------------------------------------------------------- */

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('harm-matrix')
    .description('Harm Matrix vault tools. Passphrases are asked for at a hidden prompt, or read as one line from standard input.')
    .exitOverride()
    // Commander quotes the command line back in its errors ("unknown command '…'"): escaped too.
    .configureOutput({ writeErr: (text) => process.stderr.write(escapeForTerminal(text, '\n')) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 audit log broken, 2 could not be done, 64 wrong usage, 70 unexpected error.\n' +
        'State folder: HARM_MATRIX_STATE_DIR, or the app\'s own (see README).',
    );
  const run = (fn: () => Promise<number>) => async () => setExit(await fn());

  const vault = program.command('vault').description('Facts about a vault file.');
  vault
    .command('info')
    .description('Vault id, key generation, key slots and file sizes, without unlocking; with --unlock, the schema version, users, audit entries and pragmas read back.')
    .argument('<path>', 'the .hmvault file')
    .option('--unlock', 'unlock to read facts from inside the vault (recorded in its audit log)')
    .option('--user <name>', 'the user to unlock as')
    .option('--json', 'print JSON')
    .action((path: string, opts: { unlock?: boolean; user?: string; json?: boolean }) => run(() => vaultInfo(path, opts))());

  const audit = program.command('audit').description('The audit log.');
  audit
    .command('verify')
    .description(
      'Walk the audit chain, check the signatures and the signed user registry, and compare with this workstation\'s record, and with --anchor with the head named in an anchor or an exported return. ' +
        'Exit 0 if intact (and the anchor\'s entry is held), 1 naming what is broken or missing.',
    )
    .argument('<path>', 'the .hmvault file')
    .addOption(new Option('--user <name>', 'an administrator or supervisor').makeOptionMandatory())
    .option('--anchor <file>', 'an audit anchor (audit anchor --out) or an exported return or meeting pack (JSON, CSV, XLSX, PDF)')
    .option('--full', "check every entry's signature, not only those that vouch for the entries before them")
    .option('--json', 'print JSON')
    .action((path: string, opts: { user?: string; anchor?: string; json?: boolean; full?: boolean }) => run(() => auditVerify(path, opts))());
  audit
    .command('anchor')
    .description('Write the audit log\'s head (entry number and hash) to a new file, to keep where no user of the vault can reach it. Recorded in the audit log. Administrators and supervisors.')
    .argument('<path>', 'the .hmvault file')
    .addOption(new Option('--user <name>', 'an administrator or supervisor').makeOptionMandatory())
    .addOption(new Option('--out <file>', 'the new anchor file (ends in .json; must not exist)').makeOptionMandatory())
    .option('--json', 'print the result as JSON')
    .action((path: string, opts: { user?: string; out?: string; json?: boolean }) => run(() => auditAnchor(path, opts))());

  program
    .command('backup')
    .description('Write an encrypted, verified copy of a vault, with its key file beside it. Administrators only.')
    .argument('<path>', 'the .hmvault file')
    .argument('<dest>', 'the new backup file (ends in .hmvault; must not exist)')
    .addOption(new Option('--user <name>', 'an administrator').makeOptionMandatory())
    .action((path: string, dest: string, opts: { user?: string }) => run(() => backup(path, dest, opts))());

  program
    .command('restore')
    .description('Copy a backup to a new location, verify it opens, and make it this workstation\'s vault. Administrators only.')
    .argument('<backup>', 'the backup .hmvault file (its .keys file beside it)')
    .argument('<dest>', 'where to put the restored vault (ends in .hmvault; must not exist)')
    .addOption(new Option('--user <name>', 'an administrator of the backed-up vault').makeOptionMandatory())
    .action((backupPath: string, dest: string, opts: { user?: string }) => run(() => restore(backupPath, dest, opts))());

  program
    .command('review')
    .description('Reviews of member links, gang flags and networks.')
    .command('due')
    .description('List what is due for review in the next 30 days and what is overdue, under-18s first, for your unit: kinds, ids, references and due dates; never names. Analysts and supervisors.')
    .argument('<path>', 'the .hmvault file')
    .addOption(new Option('--user <name>', 'an analyst or supervisor').makeOptionMandatory())
    .option('--json', 'print JSON')
    .action((path: string, opts: { user?: string; json?: boolean }) => run(() => reviewDueCommand(path, opts))());

  program
    .command('erase')
    .description(
      'Erase a record and everything that goes with it (DPA 2018 s.47): prints what will go, then erases it in one transaction with its audit entry and erase register row. ' +
        'REF is the reference (a person, network, offence by crime reference, intelligence item, claim) or the id (any kind; member links and flags by id). Supervisors and administrators.',
    )
    .argument('<path>', 'the .hmvault file')
    .argument('<kind>', ERASE_KINDS.join('|'))
    .argument('<ref>', 'the record\'s reference or id')
    .addOption(new Option('--reason <text>', 'why it is erased (kept in the erase register; never the name or date of birth)').makeOptionMandatory())
    .addOption(new Option('--user <name>', 'a supervisor or administrator').makeOptionMandatory())
    .option('--json', 'print the plan and the result as JSON')
    .action((path: string, kind: string, ref: string, opts: { user?: string; reason?: string; json?: boolean }) => run(() => eraseCommand(path, kind, ref, opts))());

  program
    .command('retention')
    .description('The retention run (docs/user-guide.md, "Retention"): lapse, archive and erase what the policy says, for today. A day other than today (--as-of) or --dry-run only prints what would happen and writes nothing. Supervisors and administrators.')
    .argument('<action>', 'run')
    .argument('<path>', 'the .hmvault file')
    .addOption(new Option('--user <name>', 'a supervisor or administrator').makeOptionMandatory())
    .option('--dry-run', 'print what the run would do, writing nothing')
    .option('--as-of <date>', 'the day to run for (YYYY-MM-DD); any day but today is a dry run')
    .option('--json', 'print the result as JSON')
    .action((action: string, path: string, opts: { user?: string; dryRun?: boolean; asOf?: string; json?: boolean }) =>
      run(() => {
        if (action !== 'run') throw new CliError('Use: retention run VAULT --user NAME [--dry-run] [--as-of DATE] [--json].', EXIT.usage);
        return retentionCommand(path, opts);
      })(),
    );

  program
    .command('import')
    .description(
      'Import networks, people, intelligence, links, offences, ratings and flags from a JSON document (docs/import-schema.md). ' +
        'Every row is checked first; if any is at fault, each fault is listed, nothing is written, and the exit code is 2. ' +
        'Otherwise everything is written in one transaction and every network is rescored. Analysts and supervisors; confirmed flags need a supervisor.',
    )
    .argument('<path>', 'the .hmvault file')
    .argument('<file>', 'the import document (.json)')
    .addOption(new Option('--user <name>', 'an analyst or supervisor').makeOptionMandatory())
    .option('--dry-run', 'check the document against the vault without writing anything')
    .option('--json', 'print the result or the fault list as JSON')
    .action((path: string, file: string, opts: { user?: string; dryRun?: boolean; json?: boolean }) => run(() => importCommand(path, file, opts))());

  program
    .command('networks')
    .description(
      'Export every network\'s reference, name, score, band (effective and computed), confidence and the three parts to a new file, as the returns are exported: ' +
        'the protective marking, copy number, audit head and destroy-after date in its header, recorded as a disclosure (who, what, why, to whom) in the audit log and the export register. ' +
        'Nothing about any person. Analysts and supervisors. Written only to a new file, never to standard output: a copy is accounted for by its register row and destroyed by its date, ' +
        'and a terminal or pipe keeps no account of where the list went.',
    )
    .argument('<path>', 'the .hmvault file')
    .addOption(new Option('--user <name>', 'an analyst or supervisor').makeOptionMandatory())
    .option('--as-of <date>', 'score as of this date (YYYY-MM-DD; default today): a network\'s stored score where it is as of that day, otherwise scored for that day without storing it')
    .addOption(new Option('--format <format>', `${NETWORK_LIST_FORMATS.join(' or ')} (default: from the --out file's extension)`).choices([...NETWORK_LIST_FORMATS]))
    .option('--out <file>', 'the new file (ends in .json or .csv; must not exist)')
    .option('--purpose <text>', 'why it is disclosed (5 to 500 characters)')
    .option('--recipient <text>', 'who receives it (5 to 500 characters)')
    .option('--json', 'print the result (path, bytes, SHA-256, copy number, destroy-after date) as JSON')
    .action((path: string, opts: ReturnOptions) => run(() => networksCommand(path, opts))());

  program
    .command('demo')
    .description('Write a synthetic import document from the seeded demo generator: every name and reference is fictitious. The same seed and date always give the same file.')
    .argument('<out>', 'the new .json file (must not exist)')
    .addOption(new Option('--scale <scale>', 'desk (500 networks), force (5,000) or national (50,000; several gigabytes)').choices([...SCALE_NAMES]).default('desk'))
    .option('--seed <n>', `the seed (default ${DEMO_SEED}, the demo vault's)`)
    .option('--as-of <date>', 'the date the register is current to (default today)')
    .action((outPath: string, opts: { scale?: string; seed?: string; asOf?: string }) => run(() => demoCommand(outPath, opts))());

  const returns = program
    .command('return')
    .description(
      'Export a return to a new file, as the app\'s returns screen does: disclosure-controlled, with the protective marking and a numbered copy, ' +
        'recorded as a disclosure (who, what, why, to whom) in the audit log and the export register. Never replaces a file.',
    );
  const returnOptions = (c: Command, formats: readonly string[]) =>
    c
      .addOption(new Option('--user <name>', 'the user to unlock as').makeOptionMandatory())
      .addOption(new Option('--format <format>', formats.join(', ')).choices([...formats]).makeOptionMandatory())
      .addOption(new Option('--rules <rules>', 'disclosure rules: internal (<5 shown) or public (under 10 withheld, rounded to 5)').choices(['internal', 'public']).makeOptionMandatory())
      .addOption(new Option('--out <file>', 'the new file (ends in the format\'s extension; must not exist)').makeOptionMandatory())
      .addOption(new Option('--purpose <text>', 'why it is disclosed (5 to 500 characters)').makeOptionMandatory())
      .addOption(new Option('--recipient <text>', 'who receives it (5 to 500 characters)').makeOptionMandatory())
      .option('--json', 'print the result (path, bytes, SHA-256, copy number) as JSON');
  returnOptions(
    returns
      .command('corporate')
      .description('The corporate return for a period: networks disrupted, events, outcomes, harm before and after, the matrix population, reviews on time. Analysts, supervisors, validators and read-only (performance) users.')
      .argument('<path>', 'the .hmvault file')
      .addOption(new Option('--period <period>', 'a month (2026-05), financial quarter (2025/26-Q3), financial year (2025/26) or range (2026-01-01..2026-03-31)').makeOptionMandatory()),
    CORPORATE_FORMATS,
  ).action((path: string, opts: ReturnOptions) => run(() => returnCommand('corporate', path, opts))());
  returnOptions(
    returns
      .command('meeting-pack')
      .description('The prioritisation meeting pack as of a day, compared with the previous meeting. Analysts and supervisors.')
      .argument('<path>', 'the .hmvault file')
      .option('--as-of <date>', 'the day the pack describes (YYYY-MM-DD; default today)'),
    MEETING_PACK_FORMATS,
  ).action((path: string, opts: ReturnOptions) => run(() => returnCommand('meeting_pack', path, opts))());

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const secretOption = findSecretOption(argv.slice(2));
  if (secretOption) {
    err(
      `${secretOption}: passphrases are never taken from the command line, where shell history and the process list would keep them. ` +
        'Type it at the prompt, or pipe it on standard input as one line.',
    );
    return EXIT.usage;
  }
  let code: number = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are "errors" to commander; they are successes here.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CliError) {
      for (const line of e.lines) err(line);
      return e.exitCode;
    }
    if (e instanceof VaultError) {
      err(e.message);
      return EXIT.refused;
    }
    // A bug. The name only: a driver message could quote SQL, and nothing here may echo a secret.
    process.stderr.write(`The command stopped on an unexpected error (${e instanceof Error ? e.name : 'unknown'}).\n`);
    return EXIT.internal;
  }
}

// `harm-matrix … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
});

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = EXIT.internal;
  },
);
