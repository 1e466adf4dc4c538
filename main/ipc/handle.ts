/**
 * The only place that registers IPC handlers. For every call it: refuses senders that are not the
 * app's own top frame, checks the caller's role, parses the input with the contract's zod schema,
 * calls the handler, checks the output against the contract (so nothing undeclared leaves main),
 * and returns an envelope: {ok, value} or {ok:false, code, message}. Messages are plain
 * sentences; no stack, no SQL, no paths beyond what the user typed.
 */
import { z } from 'zod';
import { contract, CHANNELS, type Channel, type Contract, type ErrorCode, type Output, type Result } from '../../preload/contract';
import { VaultError } from '../vault/errors';
import type { Session } from '../services/session';

export interface SenderInfo {
  /** URL of the frame that sent the message. */
  url: string;
  /** True only for the window's main frame (not an iframe). */
  isTopFrame: boolean;
}

export type Handler<C extends Channel> = (session: Session, input: z.output<Contract[C]['input']>) => Output<C> | Promise<Output<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

export type Dispatch = (channel: string, payload: unknown, sender: SenderInfo) => Promise<Result<unknown>>;

const GENERIC = 'Something went wrong and the action was not completed. Nothing was changed.';

function fail(code: ErrorCode, message: string, fields?: Record<string, string>): Result<never> {
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

export function createDispatch(session: Session, handlers: Handlers, isAppUrl: (url: string) => boolean): Dispatch {
  return async (channel, payload, sender) => {
    if (!Object.hasOwn(contract, channel)) return fail('forbidden', 'Unknown request.');
    if (!sender.isTopFrame || !isAppUrl(sender.url)) return fail('forbidden', 'This request did not come from Harm Matrix.');
    const spec = contract[channel as Channel];
    // Who may call comes before what was sent: a caller without the role learns nothing about the
    // channel's fields from validation messages.
    if (spec.access !== 'public') {
      if (!session.vault?.isOpen || !session.user) return fail('locked', 'The vault is locked. Unlock it to continue.');
      if (spec.access !== 'user' && !spec.access.includes(session.user.role)) {
        return fail('forbidden', 'Your role does not allow this.');
      }
    }
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
      if (e instanceof VaultError) return fail(e.code, e.message);
      // A service that validates a nested record itself (e.g. each of several ratings) refuses with
      // the same envelope as the contract's own parse.
      if (e instanceof z.ZodError) return fail('invalid_input', 'Some of the details are not valid. Check the highlighted fields.', fieldErrors(e));
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
