/**
 * Park slot numbering of a Basix PBX (PROTOCOL.md "Corrections of 2026-12-05", from the vendor's
 * webphone): slots 901–996 come three per `park_group` (a user field), group G owning
 * `901 + G × 3` … `903 + G × 3` (G = 0…31); 997–999 are shared by everyone.
 */

/** First park slot. */
export const FIRST_PARK_SLOT = 901;
/** Highest park group (its slots are 994–996). */
export const MAX_PARK_GROUP = 31;
/** Slots shared by every park group, tried after the parker's own three. */
export const SHARED_PARK_SLOTS: readonly number[] = [997, 998, 999];

/**
 * The three slots of a park group.
 * @param parkGroup integer 0…31.
 * @throws RangeError for anything else.
 */
export function parkGroupSlots(parkGroup: number): number[] {
  if (!Number.isInteger(parkGroup) || parkGroup < 0 || parkGroup > MAX_PARK_GROUP)
    throw new RangeError(`park_group must be an integer 0..${MAX_PARK_GROUP}, got ${parkGroup}`);
  const first = FIRST_PARK_SLOT + parkGroup * 3;
  return [first, first + 1, first + 2];
}

/** Is `slot` a park slot number of the PBX (901–999)? */
export function isParkSlot(slot: number): boolean {
  return Number.isInteger(slot) && slot >= FIRST_PARK_SLOT && slot <= 999;
}

/**
 * Where a user of `parkGroup` parks: the first free slot of its own three, then of 997–999.
 * @param occupied slots in use.
 * @returns the slot, or undefined when all five are taken.
 * @throws RangeError for a park group outside 0…31.
 */
export function pickParkSlot(parkGroup: number, occupied: ReadonlySet<number> | ReadonlyMap<number, unknown>): number | undefined {
  for (const s of [...parkGroupSlots(parkGroup), ...SHARED_PARK_SLOTS]) if (!occupied.has(s)) return s;
  return undefined;
}
