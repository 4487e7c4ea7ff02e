// When the worker posts a batch: at the next animation frame (workers have
// requestAnimationFrame in Chromium and Firefox), or after ~16 ms where there is none. A hidden
// tab gets no animation frames, so a timer also fires after `maxDelayMs` to keep the store
// (missed calls, pending actions) current and the batch bounded.

/** The timer and frame functions used (the worker's globals; fakes in tests). */
export interface FrameSchedulerEnv {
  requestAnimationFrame?: (cb: () => void) => unknown;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
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
 * @param maxDelayMs longest wait for a frame, ms; default 250
 */
export function createAfterPaint(env: FrameSchedulerEnv, maxDelayMs = 250): (cb: () => void) => void {
  const schedule = createFrameScheduler(env, maxDelayMs);
  return (cb) => schedule(() => void env.setTimeout(cb, 0));
}
