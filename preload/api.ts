/**
 * Builds `window.api` from the contract: one named function per channel, nothing else. The
 * transport is passed in: Electron's ipcRenderer.invoke in preload/index.ts; in e2e tests the
 * loopback test host's init script builds the same shape over fetch. Only type imports from the
 * contract: the preload must not load zod (see channels.ts).
 */
import { CHANNEL_NAMES } from './contract/channels';
import type { Channel, Input, Output, Result } from './contract';

export type Invoke = (channel: Channel, input: unknown) => Promise<unknown>;

export type Api = { [C in Channel]: (input?: Input<C>) => Promise<Result<Output<C>>> };

export function buildApi(invoke: Invoke): Api {
  const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
  for (const channel of CHANNEL_NAMES) {
    api[channel] = (input?: unknown) => invoke(channel, input ?? {});
  }
  return Object.freeze(api) as Api;
}
