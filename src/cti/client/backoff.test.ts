import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff.ts';

describe('backoffDelayMs', () => {
  it('doubles from 0.5 s up to the 30 s cap (no jitter at random = 0)', () => {
    const delays = Array.from({ length: 10 }, (_, n) => backoffDelayMs(n, () => 0));
    expect(delays).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('keeps every jittered delay within [nominal/2, nominal] and never above 30 s', () => {
    for (let n = 0; n < 40; n++) {
      const nominal = Math.min(30_000, 500 * 2 ** n);
      for (const r of [0, 0.1, 0.5, 0.999999]) {
        const d = backoffDelayMs(n, () => r);
        expect(d).toBeGreaterThanOrEqual(Math.floor(nominal / 2));
        expect(d).toBeLessThanOrEqual(nominal);
      }
    }
    expect(backoffDelayMs(0, () => 0.999999)).toBe(250);
  });

  it('spreads consoles apart: different random draws give different delays', () => {
    const seen = new Set([0.05, 0.35, 0.65, 0.95].map((r) => backoffDelayMs(3, () => r)));
    expect(seen.size).toBe(4);
  });

  it('clamps a bad random source and honours options', () => {
    expect(backoffDelayMs(0, () => 7)).toBe(250);
    expect(backoffDelayMs(0, () => -1)).toBe(500);
    expect(backoffDelayMs(2, () => 0, { baseMs: 100, capMs: 300 })).toBe(300);
    expect(backoffDelayMs(1, () => 1, { jitter: 0 })).toBe(1_000);
  });
});
