import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAfterPaint, createFrameScheduler } from './frame-scheduler.ts';

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
    vi.advanceTimersByTime(2); // the ~16 ms timer, then the after-paint task
    expect(cb).toHaveBeenCalledTimes(1);
  });
});

describe('createAfterPaint', () => {
  it('runs in a task after the next animation frame (after its paint), once', () => {
    const frames: Array<() => void> = [];
    const afterPaint = createAfterPaint({ ...timers, requestAnimationFrame: (cb) => frames.push(cb) });
    const cb = vi.fn();
    afterPaint(cb);
    vi.advanceTimersByTime(100);
    expect(cb).not.toHaveBeenCalled();
    frames.splice(0).forEach((f) => f());
    expect(cb).not.toHaveBeenCalled(); // not inside the frame callback: after the paint
    vi.advanceTimersByTime(0);
    expect(cb).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1_000);
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('still runs when no frame comes (hidden tab), so the worker is never held forever', () => {
    const afterPaint = createAfterPaint({ ...timers, requestAnimationFrame: () => 0 }, 250);
    const cb = vi.fn();
    afterPaint(cb);
    vi.advanceTimersByTime(249);
    expect(cb).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2); // the frame fallback at 250 ms, then the after-paint task
    expect(cb).toHaveBeenCalledTimes(1);
  });

  it('with minIntervalMs, runs no sooner than that after the previous run (the wait starts after the paint)', () => {
    const frames: Array<() => void> = [];
    const afterPaint = createAfterPaint({ ...timers, now: () => Date.now(), requestAnimationFrame: (cb) => frames.push(cb) }, 250, 30);
    const first = vi.fn();
    afterPaint(first);
    frames.splice(0).forEach((f) => f());
    vi.advanceTimersByTime(0);
    expect(first).toHaveBeenCalledTimes(1); // nothing ran before: at once after the paint
    const second = vi.fn();
    vi.advanceTimersByTime(10);
    afterPaint(second);
    frames.splice(0).forEach((f) => f()); // painted 10 ms after the first ran
    vi.advanceTimersByTime(19);
    expect(second).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(second).toHaveBeenCalledTimes(1); // 30 ms after the first
    const third = vi.fn();
    vi.advanceTimersByTime(50);
    afterPaint(third);
    frames.splice(0).forEach((f) => f());
    vi.advanceTimersByTime(0);
    expect(third).toHaveBeenCalledTimes(1); // the interval has passed: no added wait
  });
});
