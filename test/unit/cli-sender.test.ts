/**
 * The command line calls the app's own dispatcher with a sender of its own kind. Only
 * `cliSender()` makes one, never inside the Electron app; anything else that claims to be one, and
 * everything that arrives over IPC, is checked as a window frame.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../../preload/contract';
import { accessRefusal, cliSender, createDispatch, registerIpc, type Handlers, type IpcEventLike, type Sender } from '../../main/ipc/handle';
import type { Session } from '../../main/services/session';

const APP_URL = 'app://harm-matrix/index.html';
const NOT_OURS = { ok: false, code: 'forbidden', message: 'This request did not come from Harm Matrix.' };
const CHECKED = { isAcceptable: true, problems: [], strength: 4, hint: '' };

/** A signed-in analyst; only the fields the dispatcher reads. */
const session = { vault: { isOpen: true }, user: { id: 'u1', name: 'Bob Analyst', role: 'analyst' } } as unknown as Session;

function handlersWith(overrides: Partial<Record<Channel, () => unknown>>): Handlers {
  return new Proxy({} as Handlers, {
    get: (_t, channel: string) => overrides[channel as Channel] ?? (() => CHECKED),
  });
}

const dispatch = createDispatch(session, handlersWith({}), (url) => url === APP_URL);

describe('the command-line sender', () => {
  afterEach(() => {
    delete (process as { type?: string }).type;
  });

  it('is accepted from the command line without a page URL', async () => {
    expect(await dispatch('vault:check-passphrase', { passphrase: 'abc' }, cliSender())).toEqual({ ok: true, value: CHECKED });
  });

  it('cannot be imitated: a look-alike object is checked as a frame and refused', async () => {
    const lookAlikes = [{ kind: 'cli' }, Object.freeze({ kind: 'cli' }), { kind: 'cli', url: '', isTopFrame: true }, { ...cliSender() }, Object.create(cliSender())];
    for (const sender of lookAlikes) {
      expect(await dispatch('vault:check-passphrase', { passphrase: 'abc' }, sender as Sender)).toEqual(NOT_OURS);
    }
  });

  it('is never what registerIpc hands the dispatcher, whatever the frame or payload carries', async () => {
    const listeners = new Map<string, (e: IpcEventLike, p: unknown) => Promise<unknown>>();
    const seen: Sender[] = [];
    registerIpc({ handle: (c, l) => void listeners.set(c, l), removeHandler: () => undefined }, (channel, payload, sender) => {
      seen.push(sender);
      return dispatch(channel, payload, sender);
    });
    const check = listeners.get('vault:check-passphrase')!;
    const frames = [{ url: 'cli', parent: null, kind: 'cli' }, { url: '', parent: null }, null] as IpcEventLike['senderFrame'][];
    for (const senderFrame of frames) {
      expect(await check({ senderFrame, kind: 'cli', sender: cliSender() } as IpcEventLike, { passphrase: 'abc' })).toEqual(NOT_OURS);
    }
    expect(seen.every((s) => !('kind' in s))).toBe(true);
    // The app's own top frame still gets through.
    expect(await check({ senderFrame: { url: APP_URL, parent: null } }, { passphrase: 'abc' })).toEqual({ ok: true, value: CHECKED });
  });

  it('is not made inside the Electron app', () => {
    Object.defineProperty(process, 'type', { value: 'browser', configurable: true });
    expect(() => cliSender()).toThrow('The command-line sender exists only in the command-line process.');
  });

  it('is told which roles a refused channel needs; a window is not', async () => {
    expect(await dispatch('users:list', {}, cliSender())).toEqual({ ok: false, code: 'forbidden', message: 'Your role (analyst) does not allow this. It needs: administrator.' });
    expect(await dispatch('users:list', {}, { url: APP_URL, isTopFrame: true })).toEqual({ ok: false, code: 'forbidden', message: 'Your role does not allow this.' });
    expect(accessRefusal({ id: 'u2', name: 'Alice Admin', role: 'administrator' }, 'users:list', cliSender())).toBeNull();
    expect(accessRefusal(null, 'users:list', cliSender())).toMatchObject({ code: 'locked' });
  });

  it('gets an unexpected failure back as the error itself; a window gets the generic sentence', async () => {
    const throwing = handlersWith({
      'vault:check-passphrase': () => {
        throw new TypeError('boom');
      },
    });
    const failing = createDispatch(session, throwing, (url) => url === APP_URL);
    await expect(failing('vault:check-passphrase', { passphrase: 'abc' }, cliSender())).rejects.toThrow(TypeError);
    expect(await failing('vault:check-passphrase', { passphrase: 'abc' }, { url: APP_URL, isTopFrame: true })).toMatchObject({ ok: false, code: 'internal' });
  });
});
