// Watchdog of the CTI worker (issue 12: a hostile frame froze the worker for over 80 s while the
// header still said "Live"). The UI thread pings the worker; a worker stuck on one frame cannot
// answer, and after `stuckAfterMs` without an answer `onStuck` is called once (the caller terminates
// the worker and starts a fresh one with a fresh connection). Pure logic: timers and the ping are
// injected, so it runs the same in tests. Ours: the ping/pong messages are between the console's own
// threads, nothing on the wire.

/** The timer functions the watchdog uses (the page's own, or a fake in tests). Milliseconds. */
export interface WatchdogTimers {
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** a monotonic clock in ms (e.g. `performance.now`) */
  now(): number;
}

/** What {@link createWorkerWatchdog} is told when the worker is taken for stuck. */
export interface StuckInfo {
  /** the ping left unanswered */
  seq: number;
  /** ms since that ping was sent */
  silentMs: number;
}

export interface WorkerWatchdogOptions {
  timers: WatchdogTimers;
  /** Post a ping carrying `seq` to the worker, which answers with the same `seq` (then call {@link WorkerWatchdog.pong}). */
  ping: (seq: number) => void;
  /** Called once when a ping is unanswered for `stuckAfterMs`; the watchdog is then `stuck` until {@link WorkerWatchdog.start} again. */
  onStuck: (info: StuckInfo) => void;
  /** ms between an answer and the next ping. Default 5,000. */
  intervalMs?: number;
  /** ms without an answer to a ping after which the worker is stuck. Default 10,000. */
  stuckAfterMs?: number;
  /**
   * ms that the deadline may fire late before the watchdog takes it that the page itself was not
   * running (a suspended tab, a laptop asleep): then the worker had no chance to answer either, so
   * it is pinged again with a fresh deadline instead of being called stuck. Default 2,000.
   */
  lateToleranceMs?: number;
}

/**
 * The watchdog's states: `stopped` (made, or after {@link WorkerWatchdog.stop}), `waiting` (the
 * worker answered; the next ping is due after `intervalMs`), `pinged` (a ping is out, its deadline
 * running), `stuck` (`onStuck` was called; nothing runs until {@link WorkerWatchdog.start}).
 */
export type WatchdogState = 'stopped' | 'waiting' | 'pinged' | 'stuck';

export interface WorkerWatchdog {
  /** Start (or restart, from any state, e.g. after a fresh worker): pings at once. */
  start(): void;
  /** The worker answered ping `seq`; an answer to an older ping (or when not `pinged`) is ignored. */
  pong(seq: number): void;
  /** Stop all timers (the worker is being terminated, or the console disconnects). */
  stop(): void;
  readonly state: WatchdogState;
}

/** Default ms between an answer and the next ping. */
export const WATCHDOG_INTERVAL_MS = 5_000;
/** Default ms without an answer after which the worker is stuck. */
export const WATCHDOG_STUCK_AFTER_MS = 10_000;

/**
 * A watchdog for one worker at a time; starts `stopped`.
 * @throws RangeError when `intervalMs`, `stuckAfterMs` or `lateToleranceMs` is not a finite number ≥ 0 (`stuckAfterMs` > 0)
 */
export function createWorkerWatchdog(opts: WorkerWatchdogOptions): WorkerWatchdog {
  const { timers, ping, onStuck } = opts;
  const intervalMs = ms('intervalMs', opts.intervalMs, WATCHDOG_INTERVAL_MS);
  const stuckAfterMs = ms('stuckAfterMs', opts.stuckAfterMs, WATCHDOG_STUCK_AFTER_MS);
  if (stuckAfterMs === 0) throw new RangeError('stuckAfterMs must be > 0');
  const lateToleranceMs = ms('lateToleranceMs', opts.lateToleranceMs, 2_000);

  let state: WatchdogState = 'stopped';
  let timer: unknown;
  let seq = 0;
  let sentAt = 0;

  const clear = (): void => {
    if (timer !== undefined) timers.clearTimeout(timer);
    timer = undefined;
  };

  const sendPing = (): void => {
    clear();
    state = 'pinged';
    seq++;
    sentAt = timers.now();
    const due = sentAt + stuckAfterMs;
    timer = timers.setTimeout(() => deadline(due), stuckAfterMs);
    ping(seq);
  };

  const deadline = (due: number): void => {
    timer = undefined;
    if (state !== 'pinged') return;
    const now = timers.now();
    if (now - due > lateToleranceMs) {
      // this page was not running either: the worker's answer may be just behind this timer
      sendPing();
      return;
    }
    state = 'stuck';
    onStuck({ seq, silentMs: now - sentAt });
  };

  return {
    start(): void {
      sendPing();
    },
    pong(answered: number): void {
      if (state !== 'pinged' || answered !== seq) return;
      clear();
      state = 'waiting';
      timer = timers.setTimeout(() => {
        timer = undefined;
        if (state === 'waiting') sendPing();
      }, intervalMs);
    },
    stop(): void {
      clear();
      state = 'stopped';
    },
    get state() {
      return state;
    },
  };
}

function ms(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite number of ms ≥ 0, got ${String(v)}`);
  return v;
}
