// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { useThrottledValue } from './use-throttled-value.ts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

function Probe({ value, seen }: { value: number; seen: number[] }) {
  const v = useThrottledValue(value, 1000);
  seen.push(v);
  return null;
}

describe('useThrottledValue', () => {
  it('passes a change after a quiet spell at once, holds a burst and shows its latest value after the interval', () => {
    vi.useFakeTimers();
    const seen: number[] = [];
    const { rerender } = render(<Probe value={1} seen={seen} />);
    act(() => vi.advanceTimersByTime(5_000));
    act(() => rerender(<Probe value={2} seen={seen} />)); // quiet before: at once
    expect(seen.at(-1)).toBe(2);
    for (let v = 3; v <= 10; v++) act(() => rerender(<Probe value={v} seen={seen} />)); // a burst
    expect(seen.at(-1)).toBe(2);
    act(() => vi.advanceTimersByTime(999));
    expect(seen.at(-1)).toBe(2);
    act(() => vi.advanceTimersByTime(1));
    expect(seen.at(-1)).toBe(10); // the latest, not every step in between
    expect(seen).not.toContain(5);
  });
});
