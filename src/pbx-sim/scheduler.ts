/**
 * Time for the simulator. The model and the traffic generator never read the wall clock
 * themselves: they ask a {@link Scheduler}, so tests can run minutes of traffic instantly
 * with {@link VirtualScheduler} and the servers use {@link RealScheduler}.
 */
export interface Scheduler {
  /** Current time in milliseconds since the epoch (the server's clock; wire timestamps are this × 1000 µs). */
  nowMs(): number;
  /** Run `fn` after `delayMs` of simulated time. Returns a handle for {@link Scheduler.cancel}. */
  schedule(delayMs: number, fn: () => void): TimerHandle;
  /** Cancel a pending timer (no-op if it already ran or was cancelled). */
  cancel(handle: TimerHandle | undefined): void;
  /** Cancel every pending timer. */
  cancelAll(): void;
}

/** Opaque timer handle. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * Wall clock with a time factor: `speed` 2 runs every delay twice as fast. Timestamps stay the
 * real clock (Date.now()) so a console's "waiting for 1:23" computed against its own clock agrees.
 */
export class RealScheduler implements Scheduler {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  private seq = 0;
  /** @param speed time factor (> 0); delays are divided by it. */
  constructor(private readonly speed = 1) {
    if (!(speed > 0)) throw new RangeError(`speed must be > 0, got ${speed}`);
  }
  nowMs(): number {
    return Date.now();
  }
  schedule(delayMs: number, fn: () => void): TimerHandle {
    const id = ++this.seq;
    const t = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, delayMs / this.speed),
    );
    t.unref?.();
    this.timers.set(id, t);
    return { id };
  }
  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const t = this.timers.get(handle.id);
    if (t !== undefined) clearTimeout(t);
    this.timers.delete(handle.id);
  }
  cancelAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}

/** Simulated time for tests: nothing happens until {@link VirtualScheduler.advance} is called. */
export class VirtualScheduler implements Scheduler {
  private now: number;
  private seq = 0;
  private readonly queue: Array<{ at: number; id: number; fn: () => void }> = [];
  /** @param startMs initial clock in ms since epoch (default 2026-01-05T00:00:00Z). */
  constructor(startMs = Date.UTC(2026, 0, 5, 0, 0, 0)) {
    this.now = startMs;
  }
  nowMs(): number {
    return this.now;
  }
  schedule(delayMs: number, fn: () => void): TimerHandle {
    const id = ++this.seq;
    const at = this.now + Math.max(0, delayMs);
    // keep sorted by (at, id); insertion from the end is cheap for typical near-future timers
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1].at > at || (this.queue[i - 1].at === at && this.queue[i - 1].id > id))) i--;
    this.queue.splice(i, 0, { at, id, fn });
    return { id };
  }
  cancel(handle: TimerHandle | undefined): void {
    if (!handle) return;
    const i = this.queue.findIndex((t) => t.id === handle.id);
    if (i >= 0) this.queue.splice(i, 1);
  }
  cancelAll(): void {
    this.queue.length = 0;
  }
  /** Number of pending timers. */
  get pending(): number {
    return this.queue.length;
  }
  /** Move the clock forward by `ms`, running every timer that falls due, in time order. */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const t = this.queue[0];
      if (!t || t.at > end) break;
      this.queue.shift();
      this.now = t.at;
      t.fn();
    }
    this.now = end;
  }
}
