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

/**
 * Switches the packaged app refuses to start with. The Electron fuses (electron-builder.yml) turn
 * off ELECTRON_RUN_AS_NODE, NODE_OPTIONS and Node's --inspect family, but no fuse covers the rest:
 * a shortcut edited to add --remote-debugging-port hands the unlocked page (and everything the
 * person can see in it) to every account on the machine that can reach the port, and a launcher
 * or command prefix runs a program of someone else's choosing around the app's own processes.
 * The packaged app takes no command-line switches at all, so refusing these costs nobody anything.
 *
 * - remote-debugging-* (port, pipe, address, io-pipes, targets) and remote-allow-origins: the
 *   DevTools protocol, which can read and drive the page.
 * - js-flags: V8 flags for every renderer (natives syntax, tracing, a different heap policy).
 * - inspect*, debug, debug-brk, debug-port: Node's debugger. The fuse already ignores them; they
 *   are refused too, so an edited shortcut is reported rather than silently half-working.
 * - *-cmd-prefix (renderer, utility, zygote, gpu, plugin, nacl-loader …), *-launcher (gpu,
 *   plugin, ppapi-plugin …) and browser-subprocess-path: another program starts, or stands in
 *   for, the app's child processes, with the page's memory in reach.
 * - wait-for-debugger*: a child process stops until a debugger attaches.
 */
const REFUSED_NAMES: ReadonlySet<string> = new Set([
  'remote-allow-origins',
  'js-flags',
  'inspect',
  'debug',
  'debug-brk',
  'debug-port',
  'browser-subprocess-path',
  'wait-for-debugger',
  'wait-for-debugger-children',
]);
const REFUSED_PREFIXES = ['remote-debugging-', 'inspect-'];
const REFUSED_SUFFIXES = ['-cmd-prefix', '-launcher'];

/** The exit code of a packaged app that refused its switches: the CLI's usage code (EX_USAGE). */
export const REFUSED_SWITCH_EXIT_CODE = 64;

/**
 * The switch name an argument sets, as Chromium or Node would read it, or null if it sets none.
 * Chromium takes "--name", "--name=value" and "-name" (and "/name" on Windows), and lower-cases the
 * name on Windows; Node treats "_" and "-" in a flag's name alike. Both are applied on every
 * platform: a spelling that only some platform reads is still a spelling the app has no use for.
 * "--x value" (a value in the next argument) needs nothing more: the name is in "--x".
 */
function switchNameOf(arg: string, platform: NodeJS.Platform): string | null {
  let body: string;
  if (arg.startsWith('--')) body = arg.slice(2);
  else if (arg.startsWith('-')) body = arg.slice(1);
  else if (platform === 'win32' && arg.startsWith('/')) body = arg.slice(1);
  else return null;
  const name = body.split('=', 1)[0].toLowerCase().replaceAll('_', '-');
  return name === '' ? null : name;
}

function isRefusedName(name: string): boolean {
  return REFUSED_NAMES.has(name) || REFUSED_PREFIXES.some((p) => name.startsWith(p)) || REFUSED_SUFFIXES.some((s) => name.endsWith(s));
}

/**
 * The refused switches in a command line, by name (never their values), in the order given.
 * argv[0] is the program itself and is never read as a switch, as Chromium does not read it. The
 * rest is read whole: Chromium stops reading switches after a bare "--", but nothing the packaged
 * app is given should look like these, so they are refused there too.
 */
export function refusedSwitches(argv: readonly string[], platform: NodeJS.Platform): string[] {
  const found: string[] = [];
  for (const arg of argv.slice(1)) {
    const name = switchNameOf(arg, platform);
    if (name !== null && isRefusedName(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

/**
 * Start-up's decision: the switches that stop a packaged app, or none. Development builds are not
 * checked: electron-vite and the test launcher pass --inspect and --remote-debugging-port on
 * purpose, and a development build has devtools anyway.
 */
export function switchesRefusedAtStart(opts: { argv: readonly string[]; platform: NodeJS.Platform; isPackaged: boolean }): string[] {
  return opts.isPackaged ? refusedSwitches(opts.argv, opts.platform) : [];
}

/** What the refusing app writes to its standard error: the switches by name, and what to do. */
export function refusedSwitchesMessage(names: readonly string[]): string {
  const listed = names.map((n) => `--${n}`).join(', ');
  const [what, it] = names.length === 1 ? [`the switch ${listed} is`, 'it'] : [`the switches ${listed} are`, 'they'];
  const them = names.length === 1 ? 'it' : 'them';
  return `Harm Matrix is not starting: ${what} not allowed (${it} would let another program watch or drive the app). Remove ${them} from the shortcut or command.`;
}
