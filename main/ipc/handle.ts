/**
 * The only place that registers IPC handlers, and the one dispatcher the command line calls too.
 * For every call it: refuses senders that are not the app's own top frame (or the command-line
 * process itself), checks the caller's role, parses the input with the contract's zod schema,
 * calls the handler, checks the output against the contract (so nothing undeclared leaves main),
 * and returns an envelope: {ok, value} or {ok:false, code, message}. Messages are plain
 * sentences; no stack, no SQL, no paths beyond what the user typed.
 */
import { z } from 'zod';
import { contract, CHANNELS, type Channel, type Contract, type ErrorCode, type Output, type Result, type SessionUser } from '../../preload/contract';
import { VaultError } from '../vault/errors';
import type { Session } from '../services/session';

/** A window's frame, as Electron reports it. */
export interface SenderInfo {
  /** URL of the frame that sent the message. */
  url: string;
  /** True only for the window's main frame (not an iframe). */
  isTopFrame: boolean;
}

/**
 * The command-line process (main/cli.ts), trusted as itself rather than as a page. Only
 * `cliSender()` makes one, and it refuses inside the Electron app; the dispatcher trusts only the objects
 * it made (a look-alike is checked as a frame, and has no app URL). `registerIpc` builds every
 * sender from the frame, so nothing that arrives over IPC can be one.
 */
export interface CliSender {
  readonly kind: 'cli';
}

export type Sender = SenderInfo | CliSender;

const cliSenders = new WeakSet<object>();

export function cliSender(): CliSender {
  // Electron sets `process.type` in the app's own processes ('browser' in main); plain Node, and
  // Electron run as Node, leave it unset.
  if ((process as { type?: string }).type !== undefined) throw new Error('The command-line sender exists only in the command-line process.');
  const sender: CliSender = Object.freeze({ kind: 'cli' as const });
  cliSenders.add(sender);
  return sender;
}

function isCliSender(sender: Sender): sender is CliSender {
  return cliSenders.has(sender);
}

export type Handler<C extends Channel> = (session: Session, input: z.output<Contract[C]['input']>) => Output<C> | Promise<Output<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

export type Dispatch = (channel: string, payload: unknown, sender: Sender) => Promise<Result<unknown>>;

const GENERIC = 'Something went wrong and the action was not completed. Nothing was changed.';

/** A call that was not done: its code and a sentence for the person at the screen. */
export type Refusal = Extract<Result<never>, { ok: false }>;

function fail(code: ErrorCode, message: string, fields?: Record<string, string>): Refusal {
  return fields ? { ok: false, code, message, fields } : { ok: false, code, message };
}

function fieldErrors(err: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of err.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
}

/**
 * What a user who must replace a passphrase someone else chose may still ask for: to change it
 * (and check a new one against the policy), to lock, and where the app stands.
 */
const WHILE_PASSPHRASE_CHANGE_DUE: ReadonlySet<Channel> = new Set<Channel>(['app:status', 'vault:check-passphrase', 'vault:change-passphrase', 'vault:lock']);

/**
 * Whether `user` (null: nobody is signed in) may call `channel`: the one reading of the contract's
 * access table (and of a passphrase change that is due), for the dispatcher and for the command
 * line's work that has no channel. Null when allowed. The command line, run by someone at the workstation, is told which roles would do.
 */
export function accessRefusal(user: SessionUser | null, channel: Channel, sender: Sender): Refusal | null {
  // Before anything else: a user whose passphrase someone else chose may only replace it (the
  // one rule, for the window and the command line alike).
  if (!WHILE_PASSPHRASE_CHANGE_DUE.has(channel)) {
    const due = passphraseChangeDueRefusal(user, sender);
    if (due) return due;
  }
  const access = contract[channel].access;
  if (access === 'public') return null;
  if (!user) return fail('locked', 'The vault is locked. Unlock it to continue.');
  if (access !== 'user' && !access.includes(user.role)) {
    return fail('forbidden', isCliSender(sender) ? `Your role (${user.role}) does not allow this. It needs: ${access.join(' or ')}.` : 'Your role does not allow this.');
  }
  return null;
}

/**
 * The refusal for a user whose passphrase someone else chose, in the words for this sender; null
 * for anyone else. The dispatcher's gate, and the command line's for what it does after an unlock
 * without a channel (`vault info --unlock`).
 */
export function passphraseChangeDueRefusal(user: SessionUser | null, sender: Sender): Refusal | null {
  if (!user?.mustChangePassphrase) return null;
  return fail(
    'passphrase_change_due',
    isCliSender(sender)
      ? 'Your passphrase was set by someone else. Unlock Harm Matrix on this workstation and choose your own before using the command line.'
      : 'Choose your own passphrase first: the one you have was set by someone else.',
  );
}

export function createDispatch(session: Session, handlers: Handlers, isAppUrl: (url: string) => boolean): Dispatch {
  return async (channel, payload, sender) => {
    if (!Object.hasOwn(contract, channel)) return fail('forbidden', 'Unknown request.');
    const isCli = isCliSender(sender);
    if (!isCli && !(sender.isTopFrame && isAppUrl(sender.url))) return fail('forbidden', 'This request did not come from Harm Matrix.');
    const spec = contract[channel as Channel];
    // Who may call comes before what was sent: a caller without the role learns nothing about the
    // channel's fields from validation messages.
    const refused = accessRefusal(session.vault?.isOpen ? session.user : null, channel as Channel, sender);
    if (refused) return refused;
    const parsed = spec.input.safeParse(payload);
    if (!parsed.success) return fail('invalid_input', 'Some of the details are not valid. Check the highlighted fields.', fieldErrors(parsed.error));
    try {
      const handler = handlers[channel as Channel] as (s: Session, i: unknown) => unknown;
      const value = await handler(session, parsed.data);
      const out = spec.output.safeParse(value);
      if (!out.success) {
        console.error(`[ipc] ${channel}: handler output does not match the contract`);
        return fail('internal', GENERIC);
      }
      return { ok: true, value: out.data };
    } catch (e) {
      if (e instanceof VaultError) return fail(e.code, e.message, e.fields);
      // A service that validates a nested record itself (e.g. each of several ratings) refuses with
      // the same envelope as the contract's own parse.
      if (e instanceof z.ZodError) return fail('invalid_input', 'Some of the details are not valid. Check the highlighted fields.', fieldErrors(e));
      // The command line reports a bug itself: exit code 70, naming the error and nothing more.
      if (isCli) throw e;
      // A bug: log the channel and error (never the payload: it may hold passphrases), answer generically.
      console.error(`[ipc] ${channel} failed:`, e instanceof Error ? `${e.name}: ${e.message}` : 'non-error thrown');
      return fail('internal', GENERIC);
    }
  };
}

/** Electron's side: the one ipcMain.handle call site. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, payload: unknown) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}
export interface IpcEventLike {
  senderFrame: { url: string; parent: unknown } | null;
}

export function registerIpc(ipcMain: IpcMainLike, dispatch: Dispatch): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload) => {
      const frame = event.senderFrame;
      const sender: SenderInfo = frame ? { url: frame.url, isTopFrame: frame.parent === null } : { url: '', isTopFrame: false };
      return dispatch(channel, payload, sender);
    });
  }
}
