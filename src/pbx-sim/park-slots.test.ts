import { describe, expect, it } from 'vitest';
import { isParkSlot, parkGroupSlots, pickParkSlot } from './park-slots.ts';

describe('park slot numbering (vendor webphone)', () => {
  it('gives each park group three slots from 901 + group × 3', () => {
    expect(parkGroupSlots(0)).toEqual([901, 902, 903]);
    expect(parkGroupSlots(1)).toEqual([904, 905, 906]);
    expect(parkGroupSlots(31)).toEqual([994, 995, 996]);
  });

  it('refuses a park group outside 0..31 with a RangeError', () => {
    for (const g of [-1, 32, 1.5, Number.NaN]) expect(() => parkGroupSlots(g)).toThrow(RangeError);
  });

  it('picks the first free slot of the group, then 997–999, then none', () => {
    const taken = new Set<number>();
    const got: Array<number | undefined> = [];
    for (let i = 0; i < 6; i++) {
      const s = pickParkSlot(2, taken);
      got.push(s);
      if (s !== undefined) taken.add(s);
    }
    expect(got).toEqual([907, 908, 909, 997, 998, 999]);
    expect(pickParkSlot(2, taken)).toBeUndefined();
  });

  it('knows 901–999 as slot numbers', () => {
    expect([900, 901, 999, 1000, 950.5].map(isParkSlot)).toEqual([false, true, true, false, false]);
  });
});
