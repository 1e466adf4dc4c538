/**
 * Chromium command-line switches appended before 'ready'. The request guard (guards.ts) cancels
 * every request the page makes; these cover what happens below it, in Chromium's network stack,
 * where no webRequest listener sees it. Each is here for a stated reason:
 *
 * - host-resolver-rules "MAP * ~NOTFOUND": every host name fails to resolve inside Chromium, so
 *   nothing (DNS prefetch, preconnect, a service nobody knew about) can reach a network. app://
 *   involves no host resolution. In development the dev server on localhost is excluded.
 * - no-proxy-server: no proxy auto-detection, which on Windows sends WPAD lookups to the network.
 * - disable-background-networking, disable-component-update: Chrome's background services
 *   (variations, component and safe-browsing updates). Electron ships few of them; the switches
 *   make sure any that are present stay quiet.
 *
 * Not used: crashReporter (never started, so nothing is uploaded), autoUpdater (never imported),
 * app.setAsDefaultProtocolClient (never called: no other program can hand the app a URL).
 */
export type Switch = readonly [name: string, value?: string];

export function chromiumSwitches(opts: { devServerUrl: string | null }): Switch[] {
  const resolverRules = opts.devServerUrl
    ? 'MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1'
    : 'MAP * ~NOTFOUND';
  return [
    ['host-resolver-rules', resolverRules],
    ['no-proxy-server'],
    ['disable-background-networking'],
    ['disable-component-update'],
  ];
}
