/**
 * Phone numbers for display, the way people in Japan write them (03-1234-5678).
 * Uses libphonenumber-js (min metadata); anything it cannot parse is shown as it came.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * Format a phone number for display.
 *
 * - A number that parses as Japanese (default region `JP`) → national format, e.g.
 *   `0312345678` → `03-1234-5678`, `+81312345678` → `03-1234-5678`.
 * - A valid foreign number (`+1…`) → international format.
 * - Short internal extensions (`1001`), SIP addresses, `anonymous` and anything invalid → unchanged.
 *
 * @param raw the number as the PBX sent it (digits, maybe a leading `+`); `undefined`/empty → `''`.
 * @param region the default region for numbers without `+` (default `JP`).
 * @returns the display text; never throws.
 */
export function formatPhone(raw: string | number | null | undefined, region: CountryCode = 'JP'): string {
  if (raw === null || raw === undefined) return '';
  // Numbers repeat (the same callers ring, queue and park; every re-render asks again) and
  // libphonenumber parsing costs far more than a Map lookup: remember the last results.
  const key = `${region}\u0000${raw}`;
  const hit = cache.get(key);
  if (hit !== undefined) {
    // most recently used last: what is on screen stays, one-off callers leave first
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const out = formatUncached(raw, region);
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string); // least recently used
  cache.set(key, out);
  return out;
}

/**
 * Bounded memo of {@link formatPhone} results, least recently used first. What is rendered at
 * once (25 ringing calls, 20×5 queued, 50 missed, the users table's visible call cells, a
 * dialog) is a few hundred numbers at most; 5,000 kept ~0.6 MB of one-off callers alive on a busy PBX.
 */
const CACHE_MAX = 1000;
const cache = new Map<string, string>();

function formatUncached(raw: string | number, region: CountryCode): string {
  // bidi controls (U+202A–E, U+2066–9, U+200E/F, U+061C) never belong in a number
  const text = String(raw).replace(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g, '').trim();
  if (text === '') return '';
  // Extensions and feature codes: too short to be a subscriber number; don't touch.
  if (!/^\+?[0-9][0-9\s\-()]{5,}$/.test(text)) return text;
  try {
    const parsed = parsePhoneNumberFromString(text, region);
    if (!parsed || !parsed.isValid()) return text;
    if (parsed.country !== region) return parsed.formatInternational();
    const national = parsed.formatNational();
    // The min metadata accepts some short numbers but formats them without the trunk '0'
    // (0501234567 → 501234567): never show a number people would not dial.
    if (region === 'JP' && !national.startsWith('0')) return text;
    return national;
  } catch {
    return text;
  }
}
