/**
 * Locks the vault after a period without input, and at once when the machine suspends or the
 * screen locks.
 *
 * A screen lock is seen two ways, and both lead to the same lock as the idle timeout. Electron
 * emits powerMonitor 'lock-screen' on Windows and macOS only (electron/electron#38088: not on
 * Linux). Every check therefore also asks powerMonitor.getSystemIdleState, which answers 'locked'
 * where Chromium can tell: on Linux when the desktop's ScreenSaver D-Bus service (freedesktop,
 * GNOME, Cinnamon, MATE or Xfce) says it is active, or else when X11 reports its screensaver on;
 * on Windows for a locked workstation or a running screensaver. A Linux screen lock is so noticed
 * within one check interval (15 seconds); a desktop that offers neither is covered by the idle
 * timeout alone.
 *
 * Idle time is measured by the wall clock (Date.now differences), not by counting timer ticks:
 * timers do not run while the machine sleeps, so a laptop closed for two hours must find itself
 * two hours idle when it wakes, and lock at the first check. Input is seen in main, from the
 * window's keyboard and mouse events, so a compromised renderer cannot keep the vault open by
 * claiming activity over IPC.
 */
import type { PowerMonitor, WebContents } from 'electron';
import { settings } from '../../preload/contract';

export const IDLE_CHECK_INTERVAL_MS = 15_000;
export const DEFAULT_IDLE_TIMEOUT_MINUTES = 10;
/** getSystemIdleState needs an idle threshold; 'locked' is answered whatever it is. */
const IDLE_STATE_THRESHOLD_SECONDS = 60;

export type LockReason = 'idle' | 'suspend' | 'screen_lock';

export interface IdleLockOptions {
  /** Wall-clock milliseconds (Date.now). */
  now: () => number;
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
  /**
   * The vault's idle timeout in minutes while it is unlocked; null while locked (then there is
   * nothing to lock).
   */
  idleTimeoutMinutes: () => number | null;
  lock: (reason: LockReason) => void;
}

/** Mouse events that can happen without anyone touching the mouse (a window appearing under it). */
const PASSIVE_MOUSE_EVENTS = new Set(['mouseEnter', 'mouseLeave']);

export class IdleLock {
  private lastActivity: number;
  private handle: unknown = null;
  /** Set by watchPower: does the operating system say the screen is locked? */
  private isScreenLocked: () => boolean = () => false;

  constructor(private readonly opts: IdleLockOptions) {
    this.lastActivity = opts.now();
  }

  start(): void {
    if (this.handle !== null) return;
    this.handle = this.opts.setInterval(() => this.check(), IDLE_CHECK_INTERVAL_MS);
  }

  stop(): void {
    if (this.handle === null) return;
    this.opts.clearInterval(this.handle);
    this.handle = null;
  }

  recordActivity(): void {
    this.lastActivity = this.opts.now();
  }

  /** The timeout in force: the vault's setting, or the default if the stored value is not a valid one. */
  private timeoutMs(minutes: number): number {
    const isValid = settings.shape.idleTimeoutMinutes.safeParse(minutes).success;
    return (isValid ? minutes : DEFAULT_IDLE_TIMEOUT_MINUTES) * 60_000;
  }

  /**
   * One check: lock if the vault is unlocked and the screen is locked, or it has been idle for at
   * least the timeout. Returns true if it locked.
   */
  check(): boolean {
    const minutes = this.opts.idleTimeoutMinutes();
    if (minutes === null) return false;
    if (this.isScreenLocked()) {
      this.opts.lock('screen_lock');
      return true;
    }
    const now = this.opts.now();
    // The clock was set back: start counting again from now rather than waiting for it to catch up.
    if (now < this.lastActivity) this.lastActivity = now;
    if (now - this.lastActivity < this.timeoutMs(minutes)) return false;
    this.opts.lock('idle');
    return true;
  }

  /** Lock at once (suspend, screen lock) if there is anything to lock. */
  lockNow(reason: LockReason): void {
    if (this.opts.idleTimeoutMinutes() === null) return;
    this.opts.lock(reason);
  }

  /** Count the window's keyboard and mouse input as activity. Nothing is prevented or read. */
  watchInput(contents: Pick<WebContents, 'on'>): void {
    contents.on('before-input-event', () => this.recordActivity());
    contents.on('before-mouse-event', (_event, mouse) => {
      if (!PASSIVE_MOUSE_EVENTS.has(mouse.type)) this.recordActivity();
    });
  }

  /**
   * Lock on suspend and on screen lock: at once where Electron emits 'lock-screen' (macOS,
   * Windows), and at the next check where the idle state says 'locked' (Linux among them).
   */
  watchPower(powerMonitor: Pick<PowerMonitor, 'on'> & Partial<Pick<PowerMonitor, 'getSystemIdleState'>>): void {
    powerMonitor.on('suspend', () => this.lockNow('suspend'));
    powerMonitor.on('lock-screen', () => this.lockNow('screen_lock'));
    const { getSystemIdleState } = powerMonitor;
    if (!getSystemIdleState) return;
    this.isScreenLocked = () => {
      try {
        return getSystemIdleState.call(powerMonitor, IDLE_STATE_THRESHOLD_SECONDS) === 'locked';
      } catch {
        // A platform that cannot answer is one where the idle timeout is the only lock.
        return false;
      }
    };
  }
}
