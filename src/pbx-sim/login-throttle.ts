/**
 * Slowing down password guessing on the simulated login form (issue 12), the habit a real PBX
 * should have: after a few wrong passwords for one account, or from one address, each further
 * attempt must wait an exponentially growing delay (capped); the form answers `429` with
 * `Retry-After` meanwhile, without checking the password. A success clears the account's and the
 * address's count. Time comes from an injected clock (ms), so tests need no waiting.
 */

/** Throttle settings. */
export interface ThrottleOptions {
  /** Wrong passwords allowed before any delay (default 3). */
  freeFailures: number;
  /** Delay after the first failure past the free ones, doubled for each further one (default 1,000 ms). */
  baseDelayMs: number;
  /** Longest delay (default 300,000 ms = 5 min). */
  maxDelayMs: number;
  /** A key with no failure for this long starts again from zero (default 900,000 ms = 15 min). */
  forgetAfterMs: number;
  /** Most keys remembered; the oldest are forgotten first (default 10,000), so a flood of addresses cannot grow memory. */
  maxKeys: number;
}

/** Defaults of {@link ThrottleOptions}. */
export const DEFAULT_THROTTLE: ThrottleOptions = { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 300_000, forgetAfterMs: 900_000, maxKeys: 10_000 };

interface Entry {
  failures: number;
  lastMs: number;
  untilMs: number;
}

/** Per-account and per-address login throttle. */
export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly o: ThrottleOptions;

  /**
   * @param now clock in ms (the simulator passes its scheduler's).
   * @param opts settings (defaults {@link DEFAULT_THROTTLE}).
   */
  constructor(
    private readonly now: () => number,
    opts: Partial<ThrottleOptions> = {},
  ) {
    this.o = { ...DEFAULT_THROTTLE, ...opts };
  }

  private get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.now() - e.lastMs > this.o.forgetAfterMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Ms to wait before `account` may try again from `address`; 0 when it may try now. */
  retryAfterMs(account: string, address: string): number {
    const t = this.now();
    let wait = 0;
    for (const k of [`a:${account}`, `ip:${address}`]) {
      const e = this.get(k);
      if (e) wait = Math.max(wait, e.untilMs - t);
    }
    return Math.max(0, wait);
  }

  /** Record a wrong password. */
  fail(account: string, address: string): void {
    const t = this.now();
    for (const k of [`a:${account}`, `ip:${address}`]) {
      const e = this.get(k) ?? { failures: 0, lastMs: t, untilMs: 0 };
      e.failures++;
      e.lastMs = t;
      const over = e.failures - this.o.freeFailures;
      if (over > 0) e.untilMs = t + Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** Math.min(over - 1, 30));
      this.entries.delete(k); // re-insert: Map order = age, for eviction
      this.entries.set(k, e);
    }
    while (this.entries.size > this.o.maxKeys) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** Record a success: both counts start again. */
  succeed(account: string, address: string): void {
    this.entries.delete(`a:${account}`);
    this.entries.delete(`ip:${address}`);
  }
}
