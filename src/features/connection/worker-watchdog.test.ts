import { describe, expect, it } from 'vitest';
import { createWorkerWatchdog, type StuckInfo, type WatchdogTimers, type WorkerWatchdogOptions } from './worker-watchdog.ts';

/** Fake timers on a fake clock: `advance(ms)` runs what falls due, in order. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; cb: () => void }>();
  const timers: WatchdogTimers = {
    setTimeout: (cb, ms) => {
      const id = next++;
      due.set(id, { at: now + ms, cb });
      return id;
    },
    clearTimeout: (h) => void due.delete(h as number),
    now: () => now,
  };
  return {
    timers,
    pending: () => due.size,
    /** move the clock by `ms`, running the timers that fall due (a page that runs normally) */
    advance(ms: number): void {
      const end = now + ms;
      for (;;) {
        const first = [...due].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (first === undefined) break;
        due.delete(first[0]);
        now = Math.max(now, first[1].at);
        first[1].cb();
      }
      now = end;
    },
    /** the page was frozen for `ms`: the clock jumps, then the timers due run late */
    freeze(ms: number): void {
      now += ms;
      this.advance(0);
    },
  };
}

function setup(opts: Partial<WorkerWatchdogOptions> = {}) {
  const t = fakeTimers();
  const pings: number[] = [];
  const stuck: StuckInfo[] = [];
  const w = createWorkerWatchdog({ timers: t.timers, ping: (s) => pings.push(s), onStuck: (i) => stuck.push(i), ...opts });
  return { t, w, pings, stuck };
}

describe('worker watchdog', () => {
  it('a worker that answers every ping is never stuck; pings every interval after each answer', () => {
    const { t, w, pings, stuck } = setup({ intervalMs: 5000, stuckAfterMs: 10_000 });
    expect(w.state).toBe('stopped');
    w.start();
    expect([w.state, pings]).toStrictEqual(['pinged', [1]]);
    for (let i = 1; i <= 20; i++) {
      t.advance(300); // the worker answers within 300 ms
      w.pong(i);
      expect(w.state).toBe('waiting');
      t.advance(5000);
    }
    expect(pings).toHaveLength(21);
    expect(stuck).toStrictEqual([]);
  });

  it('a worker stuck on one frame: onStuck once, 10 s after the unanswered ping; nothing runs afterwards', () => {
    const { t, w, pings, stuck } = setup();
    w.start();
    w.pong(1);
    t.advance(5000); // ping 2, never answered
    t.advance(9999);
    expect(stuck).toStrictEqual([]);
    t.advance(1);
    expect(stuck).toStrictEqual([{ seq: 2, silentMs: 10_000 }]);
    expect(w.state).toBe('stuck');
    t.advance(60_000);
    expect(stuck).toHaveLength(1);
    expect(pings).toStrictEqual([1, 2]);
    expect(t.pending()).toBe(0);
  });

  it('a slow frame answered before the deadline is not stuck; a late answer after it changes nothing', () => {
    const { t, w, stuck } = setup();
    w.start();
    t.advance(9000);
    w.pong(1);
    expect(w.state).toBe('waiting');
    t.advance(5000); // ping 2
    t.advance(10_000);
    expect(stuck).toHaveLength(1);
    w.pong(2); // the stuck frame finished after all: the caller is already restarting
    expect(w.state).toBe('stuck');
  });

  it('an answer to an older ping does not count for the current one', () => {
    const { t, w, stuck } = setup();
    w.start();
    w.pong(1);
    t.advance(5000); // ping 2
    w.pong(1);
    expect(w.state).toBe('pinged');
    t.advance(10_000);
    expect(stuck.map((s) => s.seq)).toStrictEqual([2]);
  });

  it('start() after stuck (a fresh worker) watches again from a new ping; stop() stops every timer', () => {
    const { t, w, pings, stuck } = setup();
    w.start();
    t.advance(10_000);
    expect(stuck).toHaveLength(1);
    w.start();
    expect([w.state, pings.at(-1)]).toStrictEqual(['pinged', 2]);
    w.pong(2);
    w.stop();
    expect([w.state, t.pending()]).toStrictEqual(['stopped', 0]);
    t.advance(100_000);
    expect(pings).toHaveLength(2);
    expect(stuck).toHaveLength(1);
  });

  it('a page frozen past the deadline (tab suspended, laptop asleep) pings again instead of calling the worker stuck', () => {
    const { t, w, pings, stuck } = setup();
    w.start();
    t.freeze(60_000); // the deadline fires 50 s late
    expect(stuck).toStrictEqual([]);
    expect([w.state, pings]).toStrictEqual(['pinged', [1, 2]]);
    w.pong(2);
    expect(w.state).toBe('waiting');
    // still stuck detection after the freeze
    t.advance(5000);
    t.advance(10_000);
    expect(stuck.map((s) => s.seq)).toStrictEqual([3]);
  });

  it('refuses bad durations with a RangeError', () => {
    const t = fakeTimers();
    const base = { timers: t.timers, ping: () => {}, onStuck: () => {} };
    expect(() => createWorkerWatchdog({ ...base, stuckAfterMs: 0 })).toThrow(RangeError);
    expect(() => createWorkerWatchdog({ ...base, intervalMs: -1 })).toThrow(RangeError);
    expect(() => createWorkerWatchdog({ ...base, lateToleranceMs: NaN })).toThrow(RangeError);
    expect(() => createWorkerWatchdog({ ...base, stuckAfterMs: Infinity })).toThrow(RangeError);
  });
});
