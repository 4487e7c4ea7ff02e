/**
 * Time helpers for display. PBX timestamps are µs since the epoch (PROTOCOL.md, `state.ts`);
 * browser times are ms. Keep the unit in every name.
 */

/** A PBX timestamp (µs, number or bigint) as a number of µs, or `null` if absent/invalid. */
export function usToNumber(us: number | bigint | null | undefined): number | null {
  if (us === null || us === undefined) return null;
  const n = typeof us === 'bigint' ? Number(us) : us;
  return Number.isFinite(n) && n > 0 ? n : null;
}

/**
 * A duration for a ticking display: `0:07`, `12:34`, `1:02:03`. Negative (clock skew) → `0:00`.
 * @param ms milliseconds
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Seconds between a PBX µs timestamp and `nowUs` (µs), ≥ 0, or `null` if `sinceUs` is absent. */
export function elapsedSec(sinceUs: number | bigint | null | undefined, nowUs: number): number | null {
  const since = usToNumber(sinceUs);
  if (since === null) return null;
  return Math.max(0, Math.floor((nowUs - since) / 1_000_000));
}

/** A wall-clock time, 24 h `14:02:11`, in the browser's time zone. @param ms epoch ms */
export function formatClock(ms: number): string {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** A date and time, `2026-11-30 14:02:11`, in the browser's time zone. @param ms epoch ms */
export function formatDateTime(ms: number): string {
  const d = new Date(ms);
  const date = [d.getFullYear(), d.getMonth() + 1, d.getDate()].map((n) => String(n).padStart(2, '0')).join('-');
  return `${date} ${formatClock(ms)}`;
}
