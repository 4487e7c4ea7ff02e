// When the worker posts a batch: at the next animation frame (workers have
// requestAnimationFrame in Chromium and Firefox), or after ~16 ms where there is none. A hidden
// tab gets no animation frames, so a timer also fires after `maxDelayMs` to keep the store
// (missed calls, pending actions) current and the batch bounded.

/** The timer and frame functions used (the worker's globals; fakes in tests). */
export interface FrameSchedulerEnv {
  requestAnimationFrame?: (cb: () => void) => unknown;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** ms clock for {@link createAfterPaint}'s `minIntervalMs`; default `Date.now` */
  now?: () => number;
}

/**
 * Makes `schedule(cb)`: runs `cb` exactly once, at whichever comes first of the next animation
 * frame and `maxDelayMs` (16 ms when there is no requestAnimationFrame).
 * @param maxDelayMs longest wait for a frame, ms; default 250
 */
export function createFrameScheduler(env: FrameSchedulerEnv, maxDelayMs = 250): (cb: () => void) => void {
  return (cb) => {
    let done = false;
    const hasRaf = typeof env.requestAnimationFrame === 'function';
    const once = () => {
      if (done) return;
      done = true;
      env.clearTimeout(timer);
      cb();
    };
    const timer = env.setTimeout(once, hasRaf ? maxDelayMs : 16);
    if (hasRaf) env.requestAnimationFrame!(once);
  };
}

/**
 * Makes `afterPaint(cb)` for the UI thread: runs `cb` once the next frame has been painted — a
 * task queued from the animation frame callback runs after that frame's paint — or after
 * `maxDelayMs` when no frame comes (hidden tab), so the worker is never held forever. Used to
 * acknowledge a batch only when its update is on the screen (backpressure, connection-manager.ts).
 *
 * With `minIntervalMs`, a callback also runs no sooner than `minIntervalMs` after the previous
 * one ran (the wait starts after the paint, so it only adds what is left of the interval): the
 * connection manager acks at most every {@link ACK_MIN_INTERVAL_MS}, so a busy PBX gives the UI
 * thread ~30 batches a second rather than one per frame (docs/console-data.md "Backpressure").
 * @param maxDelayMs longest wait for a frame, ms; default 250
 * @param minIntervalMs least time between two callbacks, ms; default 0 (none)
 */
export function createAfterPaint(env: FrameSchedulerEnv, maxDelayMs = 250, minIntervalMs = 0): (cb: () => void) => void {
  const schedule = createFrameScheduler(env, maxDelayMs);
  const now = env.now ?? (() => Date.now());
  let lastRunAt = -Infinity;
  return (cb) =>
    schedule(() => {
      const wait = minIntervalMs > 0 ? Math.max(0, lastRunAt + minIntervalMs - now()) : 0;
      env.setTimeout(() => {
        lastRunAt = now();
        cb();
      }, wait);
    });
}

/**
 * Least time (ms) between two acks of worker batches (connection-manager.ts). Each applied batch
 * costs the UI thread a fixed part (structured-clone decode, `applyBatch`, selectors that rescan
 * the channels, a React commit, a new map version to collect) whatever its size; at 500 events/s
 * one batch per frame (60/s) spent that part twice as often as ~30/s, for changes no one reads
 * faster. Adds at most this much to event → screen.
 */
export const ACK_MIN_INTERVAL_MS = 30;
