// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { seedStore } from '../app/test-utils.tsx';
import { Elapsed } from './elapsed.tsx';
import { usePbxNowUs } from './use-clock.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Renders the elapsed seconds since `sinceMs` (browser ms, offset 0), recording every value rendered. */
function Since({ sinceMs, seen }: { sinceMs: number; seen: number[] }) {
  return (
    <Elapsed
      sinceUs={sinceMs * 1000}
      render={(s) => {
        seen.push(s);
        return <span>{s}</span>;
      }}
    />
  );
}

describe('usePbxNowUs', () => {
  it('a time shown between two ticks of the shared clock counts from the time of rendering, then follows the tick', () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 1, 14, 3, 0) });
    seedStore({ clockOffsetMs: 0 });
    const t0 = Date.now();
    // something already ticking keeps the shared clock running: its last tick was at t0
    const other = render(<Since sinceMs={t0 - 60_000} seen={[]} />);
    act(() => vi.advanceTimersByTime(900)); // 0.9 s later, no tick since
    const seen: number[] = [];
    // a call that has waited exactly 3 s appears now: the last tick's time would say 2 s
    const view = render(<Since sinceMs={Date.now() - 3000} seen={seen} />);
    expect(view.container.textContent).toBe('3');
    expect(Math.min(...seen)).toBe(3);
    act(() => vi.advanceTimersByTime(100)); // the shared tick re-renders it
    act(() => vi.advanceTimersByTime(1000));
    expect(view.container.textContent).toBe('4');
    other.unmount();
  });

  it('with nothing subscribed for minutes, the first value rendered is the current time, not the last tick', () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 1, 14, 3, 0) });
    seedStore({ clockOffsetMs: 0 });
    const first = render(<Since sinceMs={Date.now()} seen={[]} />);
    act(() => vi.advanceTimersByTime(1000));
    first.unmount(); // the shared clock stops
    act(() => vi.advanceTimersByTime(5 * 60_000));
    const seen: number[] = [];
    render(<Since sinceMs={Date.now() - 10_000} seen={seen} />);
    expect(seen[0]).toBe(10);
  });

  it('is frozen at the last update while not live', () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 1, 14, 3, 0) });
    const last = Date.now() - 7000;
    seedStore({ clockOffsetMs: 0, connection: { status: 'reconnecting', lastUpdateAt: last, retryAt: null, attempt: 1, stopReason: null } as never });
    let got: { nowUs: number; live: boolean } | null = null;
    function Probe() {
      got = usePbxNowUs();
      return null;
    }
    render(<Probe />);
    expect(got).toEqual({ nowUs: last * 1000, live: false });
  });
});
