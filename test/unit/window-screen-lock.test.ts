/**
 * The screen lock reaches the idle lock's own lock path: at once where Electron emits
 * 'lock-screen' (Windows, macOS), and at the next check where the idle state says 'locked'
 * (Linux, where Electron emits no such event). main/index.ts's wiring of the same is in
 * window-lifecycle.test.ts.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { IDLE_CHECK_INTERVAL_MS, IdleLock, type LockReason } from '../../main/window/idle-lock';

type IdleState = 'active' | 'idle' | 'locked' | 'unknown';

function harness() {
  let now = Date.UTC(2026, 5, 30, 9, 0, 0);
  let tick: (() => void) | null = null;
  let timeout: number | null = 10;
  const locks: LockReason[] = [];
  const idle = new IdleLock({
    now: () => now,
    setInterval: (fn) => {
      tick = fn;
      return 'handle';
    },
    clearInterval: () => {
      tick = null;
    },
    idleTimeoutMinutes: () => timeout,
    lock: (reason) => {
      locks.push(reason);
      timeout = null;
    },
  });
  const power = Object.assign(new EventEmitter(), {
    state: 'active' as IdleState,
    getSystemIdleState: vi.fn(function (this: { state: IdleState }, _threshold: number) {
      return this.state;
    }),
  });
  return {
    idle,
    power,
    locks,
    step() {
      now += IDLE_CHECK_INTERVAL_MS;
      tick?.();
    },
    unlock() {
      timeout = 10;
    },
  };
}

describe('IdleLock and the screen lock', () => {
  it("locks at once on 'lock-screen'", () => {
    const h = harness();
    h.idle.watchPower(h.power as never);
    h.idle.start();
    h.power.emit('lock-screen');
    expect(h.locks).toEqual(['screen_lock']);
  });

  it("locks at the first check after the idle state turns 'locked', and not before", () => {
    const h = harness();
    h.idle.watchPower(h.power as never);
    h.idle.start();
    h.step();
    h.step();
    expect(h.locks).toEqual([]);
    h.power.state = 'locked';
    h.step();
    expect(h.locks).toEqual(['screen_lock']);
    expect(h.power.getSystemIdleState).toHaveBeenCalledWith(60);
    // Locked already: a screen that stays locked locks nothing more.
    h.step();
    expect(h.locks).toEqual(['screen_lock']);
  });

  it("does not lock for 'idle' or 'unknown' before the timeout", () => {
    const h = harness();
    h.idle.watchPower(h.power as never);
    h.idle.start();
    for (const state of ['idle', 'unknown', 'active'] as const) {
      h.power.state = state;
      h.step();
    }
    expect(h.locks).toEqual([]);
  });

  it('asks nothing while the vault is locked', () => {
    const h = harness();
    h.idle.watchPower(h.power as never);
    h.idle.start();
    h.power.emit('lock-screen');
    h.power.getSystemIdleState.mockClear();
    h.step();
    expect(h.power.getSystemIdleState).not.toHaveBeenCalled();
    h.unlock();
    h.step();
    expect(h.power.getSystemIdleState).toHaveBeenCalledTimes(1);
  });

  it('a power monitor that cannot tell the idle state leaves the idle timeout in charge', () => {
    const h = harness();
    h.power.getSystemIdleState.mockImplementation(() => {
      throw new Error('not supported');
    });
    h.idle.watchPower(h.power as never);
    h.idle.start();
    h.step();
    expect(h.locks).toEqual([]);
    for (let i = 0; i < 40; i += 1) h.step();
    expect(h.locks).toEqual(['idle']);
  });
});
