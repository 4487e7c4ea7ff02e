import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFrameScheduler } from './frame-scheduler.ts';

const timers = { setTimeout: (cb: () => void, ms: number) => setTimeout(cb, ms), clearTimeout: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('createFrameScheduler', () => {
  it('runs at the next animation frame, once', () => {
    const frames: Array<() => void> = [];
    const schedule = createFrameScheduler({ ...timers, requestAnimationFrame: (cb) => frames.push(cb) });
    const cb = vi.fn();
    schedule(cb);
    expect(cb).not.toHaveBeenCalled();
    frames.forEach((f) => f());
    expect(cb).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000); // the fallback timer was cancelled
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('still runs within maxDelayMs when no frame comes (hidden tab)', () => {
    const frames: Array<() => void> = [];
    const schedule = createFrameScheduler({ ...timers, requestAnimationFrame: (cb) => frames.push(cb) }, 250);
    const cb = vi.fn();
    schedule(cb);
    vi.advanceTimersByTime(249);
    expect(cb).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cb).toHaveBeenCalledTimes(1);
    frames.forEach((f) => f()); // a late frame does not run it again
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('uses a ~16 ms timer without requestAnimationFrame', () => {
    const schedule = createFrameScheduler(timers);
    const cb = vi.fn();
    schedule(cb);
    vi.advanceTimersByTime(15);
    expect(cb).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(cb).toHaveBeenCalledTimes(1);
  });
});
