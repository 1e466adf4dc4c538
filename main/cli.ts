/**
 * The Harm Matrix command line: the same services as the app, headless, for an administrator at
 * the workstation or a script. Run with Node (`npm run cli -- <command>`), or as out/main/cli.js
 * after a build. It never imports Electron.
 *
 *   vault info <path> [--unlock --user NAME] [--json]
 *   audit verify <path> --user NAME [--json]
 *   backup <path> <dest> --user NAME
 *   restore <backup> <dest> --user NAME
 *
 * Passphrases come from a hidden prompt, or one line of standard input when it is not a terminal;
 * never from argv. Every unlock is an ordinary unlock: throttled after failures, and recorded in
 * the vault's audit log with its lock, exactly as in the app. State (unlock-failure counters,
 * audit heads) is the app's own folder, so the CLI and the app check each other.
 *
 * Exit codes: 0 done (audit intact); 1 the audit check found a break; 2 the command could not be
 * done (the message says why); 64 the command line was wrong; 70 an unexpected error.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { contract, type Channel, type SessionUser } from '../preload/contract';
import { readHead } from './audit/audit';
import { findSecretOption, readSecret, SecretInputError } from './app/secret-input';
import { stateDirFor } from './app/paths';
import * as auditService from './services/audit.service';
import { nodeContext, type AppContext } from './services/context';
import { Session } from './services/session';
import * as vaultService from './services/vault.service';
import { findUser, listUsers } from './store/users.repo';
import { precheckVaultFile } from './vault/database';
import { VaultError } from './vault/errors';
import { keysPathFor, readKeyFile } from './vault/keyfile';
import { checkNewVaultPath, lockPathFor, Vault } from './vault/vault';

export const EXIT = { ok: 0, checkFailed: 1, refused: 2, usage: 64, internal: 70 } as const;

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
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

function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** The roles a contract channel allows, so the CLI grants exactly what the app grants. */
function requireAccess(user: SessionUser, channel: Channel): void {
  const access = contract[channel].access;
  if (access === 'public' || access === 'user') return;
  if (!access.includes(user.role)) {
    throw new CliError(`Your role (${user.role}) does not allow this. It needs: ${access.join(' or ')}.`, EXIT.refused);
  }
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

/** Unlock `path` as a user, run `fn`, and always lock again (the lock is audited like the app's). */
async function withUnlocked<T>(path: string, userName: string, fn: (s: Session, user: SessionUser) => T): Promise<T> {
  const session = new PinnedSession(context(), path);
  precheckVaultFile(path);
  const passphrase = await askPassphrase(userName);
  const user = vaultService.unlock(session, { userName, passphrase });
  try {
    return fn(session, user);
  } finally {
    vaultService.lock(session, 'manual');
  }
}

/* ---- vault info ------------------------------------------------------------------------------ */

interface FileFact {
  path: string;
  bytes: number | null;
}

function fileFact(path: string): FileFact {
  return { path, bytes: existsSync(path) ? statSync(path).size : null };
}

function formatBytes(n: number | null): string {
  if (n === null) return 'absent';
  return `${n.toLocaleString('en-GB')} bytes`;
}

async function vaultInfo(pathArg: string, opts: { unlock?: boolean; user?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  precheckVaultFile(path);
  const keys = readKeyFile(keysPathFor(path));
  const facts = {
    path,
    vaultId: keys.vaultId,
    keyGeneration: keys.generation,
    isRotationPending: keys.pending !== null,
    slots: keys.slots.map((s) => ({
      kind: s.kind,
      userName: s.userName,
      kdf: `scrypt N=2^${Math.log2(s.kdf.N)} r=${s.kdf.r} p=${s.kdf.p}`,
      updatedAt: s.updatedAt,
    })),
    files: {
      vault: fileFact(path),
      wal: fileFact(`${path}-wal`),
      shm: fileFact(`${path}-shm`),
      keys: fileFact(keysPathFor(path)),
      lock: fileFact(lockPathFor(path)),
    },
  };
  let unlocked: Record<string, unknown> | null = null;
  if (opts.unlock) {
    const userName = requireUserName(opts.user);
    unlocked = await withUnlocked(path, userName, (s) => {
      const db = s.requireVault().db;
      const users = listUsers(db);
      const pragma = (name: string): string => String(db.pragma(name, { simple: true }));
      return {
        userVersion: Number(pragma('user_version')),
        users: { active: users.filter((u) => !u.removedAt).length, removed: users.filter((u) => u.removedAt).length },
        auditEntries: readHead(db).seq,
        pragmas: {
          cipher: pragma('cipher'),
          legacy: pragma('legacy'),
          hmac_algorithm: pragma('hmac_algorithm'),
          page_size: pragma('page_size'),
          journal_mode: pragma('journal_mode'),
          synchronous: pragma('synchronous'),
          temp_store: pragma('temp_store'),
          foreign_keys: pragma('foreign_keys'),
        },
      };
    });
  }
  if (opts.json) {
    out(JSON.stringify({ ...facts, unlocked }, null, 2));
    return EXIT.ok;
  }
  out(`Vault            ${facts.path}`);
  out(`Vault id         ${facts.vaultId}`);
  out(`Key generation   ${facts.keyGeneration}${facts.isRotationPending ? ' (a key rotation is unfinished: the next unlock completes it)' : ''}`);
  out(`Key slots        ${facts.slots.length}`);
  for (const s of facts.slots) {
    const who = s.kind === 'recovery' ? 'recovery code' : `user "${s.userName ?? ''}"`;
    out(`  - ${who}, ${s.kdf}, updated ${s.updatedAt}`);
  }
  out('Files');
  for (const [label, f] of Object.entries(facts.files)) out(`  ${label.padEnd(6)} ${formatBytes(f.bytes).padEnd(20)} ${f.path}`);
  if (unlocked) {
    const u = unlocked as { userVersion: number; users: { active: number; removed: number }; auditEntries: number; pragmas: Record<string, string> };
    out(`Schema version   ${u.userVersion}`);
    out(`Users            ${u.users.active} active, ${u.users.removed} removed`);
    out(`Audit entries    ${u.auditEntries}`);
    out('Pragmas (read back)');
    for (const [k, v] of Object.entries(u.pragmas)) out(`  ${k.padEnd(15)} ${v}`);
  }
  return EXIT.ok;
}

/* ---- audit verify ---------------------------------------------------------------------------- */

async function auditVerify(pathArg: string, opts: { user?: string; json?: boolean }): Promise<number> {
  const path = resolve(pathArg);
  const userName = requireUserName(opts.user);
  const result = await withUnlocked(path, userName, (s, user) => {
    requireAccess(user, 'audit:verify');
    return { ...auditService.verify(s), headWarning: s.auditWarning };
  });
  // A mismatch with this workstation's recorded head (entries removed, or an older copy) is found
  // at unlock; it is a broken log even if the chain itself is whole.
  const isIntact = result.isIntact && result.headWarning === null;
  if (opts.json) {
    out(JSON.stringify({ ...result, isIntact }, null, 2));
  } else if (isIntact) {
    out(`Audit log intact: ${result.count} entries, every one verified.`);
  } else {
    if (!result.isIntact) out(`Audit log broken at entry ${result.firstBrokenSeq}: ${result.reason}.`);
    if (result.headWarning) out(`Audit log does not match this workstation's record: ${result.headWarning}`);
  }
  return isIntact ? EXIT.ok : EXIT.checkFailed;
}

/* ---- backup and restore ---------------------------------------------------------------------- */

async function backup(pathArg: string, destArg: string, opts: { user?: string }): Promise<number> {
  const path = resolve(pathArg);
  const dest = resolve(destArg);
  const userName = requireUserName(opts.user);
  const result = await withUnlocked(path, userName, (s, user) => {
    requireAccess(user, 'vault:backup');
    return vaultService.backup(s, { path: dest });
  });
  out(`Backup written and verified: ${result.path} (${formatBytes(result.bytes)})`);
  out(`Its key file:                ${keysPathFor(result.path)}`);
  out('Keep the two files together. The backup opens with the passphrases and recovery code of the vault it was taken from.');
  return EXIT.ok;
}

async function restore(backupArg: string, destArg: string, opts: { user?: string }): Promise<number> {
  const backupPath = resolve(backupArg);
  const destPath = resolve(destArg);
  const userName = requireUserName(opts.user);
  const ctx = context();
  precheckVaultFile(backupPath);
  readKeyFile(keysPathFor(backupPath));
  checkNewVaultPath(destPath);
  const passphrase = await askPassphrase(userName);
  // Unlocking opens a database read-write (WAL, lock file), which would alter the backup and fail
  // on write-protected media. So the backup is first copied, untouched, into a private folder
  // beside the destination, and everything below works on that copy.
  const staging = mkdtempSync(join(dirname(destPath), '.harm-matrix-restore-'));
  try {
    const staged = join(staging, 'backup.hmvault');
    copyFileSync(backupPath, staged);
    copyFileSync(keysPathFor(backupPath), keysPathFor(staged));
    // Restoring moves this workstation to the restored copy and its audit head with it, so it is
    // an administrator's act, as backups are. The role is read from the backup itself first.
    const probe = Vault.unlock(ctx, { path: staged, userName, secret: passphrase });
    try {
      const row = findUser(probe.vault.db, probe.slot.userId ?? '');
      if (!row || row.removedAt) throw new VaultError('user_removed', 'This user no longer has access to the vault.');
      requireAccess({ id: row.id, name: row.name, role: row.role }, 'vault:backup');
    } finally {
      probe.vault.close();
    }
    const session = new Session(ctx);
    vaultService.restore(session, { backupPath: staged, destPath, userName, passphrase });
    vaultService.lock(session, 'manual');
  } finally {
    // Only the staging copy this command made (and its -wal, -shm, .keys and .lock) goes.
    rmSync(staging, { recursive: true, force: true });
  }
  out(`Restored and verified: ${destPath}`);
  out(`Its key file:          ${keysPathFor(destPath)}`);
  out('This workstation now opens the restored vault.');
  return EXIT.ok;
}

/* ---- the program ----------------------------------------------------------------------------- */

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('harm-matrix')
    .description('Harm Matrix vault tools. Passphrases are asked for at a hidden prompt, or read as one line from standard input.')
    .exitOverride()
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
    .description('Walk the audit chain and compare it with this workstation\'s record. Exit 0 if intact, 1 naming the first broken entry.')
    .argument('<path>', 'the .hmvault file')
    .addOption(new Option('--user <name>', 'an administrator or supervisor').makeOptionMandatory())
    .option('--json', 'print JSON')
    .action((path: string, opts: { user?: string; json?: boolean }) => run(() => auditVerify(path, opts))());

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

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const secretOption = findSecretOption(argv.slice(2));
  if (secretOption) {
    process.stderr.write(
      `${secretOption}: passphrases are never taken from the command line, where shell history and the process list would keep them. ` +
        'Type it at the prompt, or pipe it on standard input as one line.\n',
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
      process.stderr.write(`${e.message}\n`);
      return e.exitCode;
    }
    if (e instanceof VaultError) {
      process.stderr.write(`${e.message}\n`);
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
