/**
 * The contract's channel names as plain data, so the sandboxed preload can build `window.api`
 * without loading zod at run time (zod probes for eval, which the page's CSP reports).
 * contract.ts fails to compile if this list and the contract ever differ.
 */
export const CHANNEL_NAMES = [
  'app:status',
  'vault:check-passphrase',
  'vault:create',
  'vault:new-recovery-code',
  'vault:confirm-recovery',
  'vault:select',
  'vault:unlock',
  'vault:recover',
  'vault:lock',
  'vault:change-passphrase',
  'vault:backup',
  'vault:rotate-key',
  'users:list',
  'users:add',
  'users:remove',
  'audit:list',
  'audit:verify',
  'settings:get',
  'settings:update',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];
