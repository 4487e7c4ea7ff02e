// The client's reconnect schedule (PROTOCOL.md "Connection": a better client than the reference's
// fixed 20 s backs off with jitter): exponential, "equal jitter", so a PBX restart does not get every
// client reconnecting in the same millisecond while the first retry still comes quickly.

/** Options of {@link backoffDelayMs}. */
export interface BackoffOptions {
  /** nominal first delay, ms; default 500 */
  baseMs?: number;
  /** largest delay, ms; default 30 000 */
  capMs?: number;
  /** share of the nominal delay that is random, 0..1; default 0.5 */
  jitter?: number;
}

/**
 * Delay before reconnect attempt `attempt` (0-based): nominal d = min(cap, base·2^attempt), result
 * in [d·(1 − jitter), d], never above `capMs`.
 * @param attempt 0 for the first retry after a drop
 * @param random a number in [0, 1) (inject for tests); default Math.random
 * @returns ms to wait
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random, opts: BackoffOptions = {}): number {
  const baseMs = opts.baseMs ?? 500;
  const capMs = opts.capMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.5));
  const n = Math.max(0, Math.min(attempt, 30)); // 2^30 · base is past any cap
  const nominalMs = Math.min(capMs, baseMs * 2 ** n);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(nominalMs * (1 - jitter * r));
}
