import { describe, expect, it } from 'vitest';
import { nextFit, type FitState } from './use-fit-compact.ts';

describe('nextFit', () => {
  const full: FitState = { level: 0, basis: null };
  it('gets one level more compact per overflowing measurement (at most 3), and stays while nothing changes', () => {
    expect(nextFit(full, { contentPx: 256, boxPx: 256, occupied: 2 })).toBe(full);
    const one = nextFit(full, { contentPx: 320, boxPx: 256, occupied: 5 });
    expect(one).toEqual({ level: 1, basis: { boxPx: 256, occupied: 5 } });
    // compact made it fit: that is no reason to go back (it would overflow again)
    expect(nextFit(one, { contentPx: 256, boxPx: 256, occupied: 5 })).toBe(one);
    expect(nextFit(one, { contentPx: 256, boxPx: 256, occupied: 6 })).toBe(one);
    const two = nextFit(one, { contentPx: 291, boxPx: 256, occupied: 8 });
    expect(two).toEqual({ level: 2, basis: { boxPx: 256, occupied: 5 } });
    const three = nextFit(two, { contentPx: 300, boxPx: 256, occupied: 8 }); // free slots on one line
    expect(three).toEqual({ level: 3, basis: { boxPx: 256, occupied: 5 } });
    expect(nextFit(three, { contentPx: 300, boxPx: 256, occupied: 8 })).toBe(three); // nothing more to drop
  });
  it('goes back to full when the box grows or fewer slots are occupied than when first needed', () => {
    const two: FitState = { level: 2, basis: { boxPx: 256, occupied: 5 } };
    expect(nextFit(two, { contentPx: 400, boxPx: 400, occupied: 8 })).toEqual(full);
    expect(nextFit(two, { contentPx: 256, boxPx: 256, occupied: 4 })).toEqual(full);
  });
});
