import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IDLE_TIMEOUT_MINUTES, IDLE_CHECK_INTERVAL_MS, IdleLock, type LockReason } from '../../main/window/idle-lock';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 5, 30, 9, 0, 0);

/**
 * A wall clock and an interval timer under the test's control. `advance` moves the clock and runs
 * the interval as a real one would while the machine is awake; `jump` moves only the clock, as
 * when the machine sleeps and timers stop.
 */
function harness(opts: { minutes?: number | null } = {}) {
  let now = T0;
  let tick: (() => void) | null = null;
  let intervalMs: number | null = null;
  let timeout: number | null = opts.minutes === undefined ? 10 : opts.minutes;
  const locks: { reason: LockReason; at: number }[] = [];
  const idle = new IdleLock({
    now: () => now,
    setInterval: (fn, ms) => {
      tick = fn;
      intervalMs = ms;
      return 'handle';
    },
    clearInterval: (h) => {
      expect(h).toBe('handle');
      tick = null;
    },
    idleTimeoutMinutes: () => timeout,
    lock: (reason) => {
      locks.push({ reason, at: now - T0 });
      timeout = null; // locked: nothing left to lock
    },
  });
  return {
    idle,
    locks,
    get intervalMs() {
      return intervalMs;
    },
    get isTicking() {
      return tick !== null;
    },
    advance(ms: number) {
      const end = now + ms;
      while (now + IDLE_CHECK_INTERVAL_MS <= end) {
        now += IDLE_CHECK_INTERVAL_MS;
        tick?.();
      }
      now = end;
    },
    jump(ms: number) {
      now += ms;
    },
    tick() {
      tick?.();
    },
    unlock(minutes = 10) {
      timeout = minutes;
    },
    setTimeout(m: number | null) {
      timeout = m;
    },
  };
}

describe('IdleLock', () => {
  it('checks every 15 seconds', () => {
    const h = harness();
    h.idle.start();
    expect(h.intervalMs).toBe(15_000);
    expect(IDLE_CHECK_INTERVAL_MS).toBe(15_000);
  });

  it('locks at exactly the timeout, not a check before', () => {
    const h = harness({ minutes: 10 });
    h.idle.start();
    h.advance(10 * MINUTE - IDLE_CHECK_INTERVAL_MS);
    expect(h.locks).toEqual([]);
    h.advance(IDLE_CHECK_INTERVAL_MS);
    expect(h.locks).toEqual([{ reason: 'idle', at: 10 * MINUTE }]);
  });

  it('is not fooled by one millisecond', () => {
    const h = harness({ minutes: 1 });
    h.jump(MINUTE - 1);
    expect(h.idle.check()).toBe(false);
    h.jump(1);
    expect(h.idle.check()).toBe(true);
    expect(h.locks).toEqual([{ reason: 'idle', at: MINUTE }]);
  });

  it('counts sleep: a two-hour clock jump with no timer runs locks at the next check', () => {
    const h = harness({ minutes: 10 });
    h.idle.start();
    h.advance(2 * MINUTE);
    h.jump(2 * 60 * MINUTE); // asleep: the interval did not run
    expect(h.locks).toEqual([]);
    h.tick();
    expect(h.locks).toEqual([{ reason: 'idle', at: 2 * MINUTE + 2 * 60 * MINUTE }]);
  });

  it('activity resets the count', () => {
    const h = harness({ minutes: 10 });
    h.idle.start();
    h.advance(9 * MINUTE);
    h.idle.recordActivity();
    h.advance(9 * MINUTE);
    expect(h.locks).toEqual([]);
    h.advance(MINUTE);
    expect(h.locks).toEqual([{ reason: 'idle', at: 19 * MINUTE }]);
  });

  it("uses the vault's setting as it is now, re-read at every check", () => {
    const h = harness({ minutes: 30 });
    h.idle.start();
    h.advance(10 * MINUTE);
    expect(h.locks).toEqual([]);
    h.setTimeout(5); // an administrator shortened it meanwhile
    h.advance(IDLE_CHECK_INTERVAL_MS);
    expect(h.locks).toEqual([{ reason: 'idle', at: 10 * MINUTE + IDLE_CHECK_INTERVAL_MS }]);
  });

  it('falls back to 10 minutes when the stored timeout is not a valid one', () => {
    expect(DEFAULT_IDLE_TIMEOUT_MINUTES).toBe(10);
    for (const bad of [Number.NaN, 0, -5, 2.5, 61, 100_000]) {
      const h = harness({ minutes: bad });
      h.jump(10 * MINUTE - 1);
      expect(h.idle.check(), String(bad)).toBe(false);
      h.jump(1);
      expect(h.idle.check(), String(bad)).toBe(true);
    }
  });

  it('does nothing while the vault is locked', () => {
    const h = harness({ minutes: null });
    h.idle.start();
    h.advance(60 * MINUTE);
    expect(h.locks).toEqual([]);
  });

  it('a clock set back restarts the count instead of waiting for the clock to catch up', () => {
    const h = harness({ minutes: 10 });
    h.jump(-60 * MINUTE);
    expect(h.idle.check()).toBe(false);
    h.jump(10 * MINUTE);
    expect(h.idle.check()).toBe(true);
  });

  it('locks at once on suspend and on screen lock, and only when unlocked', () => {
    const h = harness({ minutes: 10 });
    const power = new EventEmitter();
    h.idle.watchPower(power as never);
    h.jump(MINUTE);
    power.emit('suspend');
    expect(h.locks).toEqual([{ reason: 'suspend', at: MINUTE }]);
    power.emit('lock-screen'); // already locked: no second lock
    expect(h.locks).toHaveLength(1);
    h.unlock();
    power.emit('lock-screen');
    expect(h.locks).toEqual([
      { reason: 'suspend', at: MINUTE },
      { reason: 'screen_lock', at: MINUTE },
    ]);
  });

  it("counts the window's keyboard and mouse input, but not the pointer merely entering or leaving", () => {
    const h = harness({ minutes: 10 });
    const contents = new EventEmitter();
    h.idle.watchInput(contents as never);
    const idleFor = (ms: number) => {
      h.jump(ms);
      return h.idle.check();
    };
    h.jump(9 * MINUTE);
    contents.emit('before-input-event', {}, { type: 'keyDown', key: 'a' });
    expect(idleFor(9 * MINUTE)).toBe(false);
    contents.emit('before-mouse-event', {}, { type: 'mouseMove', x: 1, y: 1 });
    expect(idleFor(9 * MINUTE)).toBe(false);
    contents.emit('before-mouse-event', {}, { type: 'mouseEnter', x: 1, y: 1 });
    contents.emit('before-mouse-event', {}, { type: 'mouseLeave', x: 1, y: 1 });
    expect(idleFor(MINUTE)).toBe(true);
  });

  it('stops checking when stopped', () => {
    const h = harness({ minutes: 1 });
    h.idle.start();
    h.idle.start(); // idempotent
    h.idle.stop();
    expect(h.isTicking).toBe(false);
    h.advance(10 * MINUTE);
    expect(h.locks).toEqual([]);
  });
});
