// PBX clock estimate: wait, ring and park times are differences between the PBX's µs timestamps
// and "now on the PBX", so the console needs the PBX clock, not the PC's (which may be minutes off).
//
// Estimator: every timestamp the PBX sends describes something that already happened on the PBX,
// so when a frame is received at browser time `receivedAtMs`, each of its timestamps `tsUs`
// satisfies  tsUs/1000 ≤ pbxNowMs(receivedAtMs) = receivedAtMs + offsetMs.  Hence every sample
// (tsUs/1000 − receivedAtMs) is a LOWER BOUND of the true offset (PBX − browser), short of it by
// the network + processing delay plus the age of the timestamp. The maximum over a window of
// samples is the tightest lower bound; for an info_event caused by the change itself (a call
// starts ringing, hangs up) the newest timestamp in the record is "now" on the PBX, so the
// estimate lands within a few ms of the truth after the first live event. Samples age out of the
// window (count and browser-time bounded) so a PC clock that is stepped later is followed.
//
// Lower bounds alone are not enough after a (re)load on a quiet PBX: the snapshot's timestamps
// are old (a call parked a minute ago), so the max of them is a minute short and every wait/park
// time reads a minute too short until a live event arrives. The second source is the HTTP `Date`
// header of the session check (`GET /basix/api/session`, the PBX web server's clock, 1 s
// resolution): the server generated it at a time in [D, D + 1000) ms while the browser clock was in
// [tSend, tRecv], so  offset ∈ [D − tRecv, D + 1000 − tSend]. The estimate is that interval's
// midpoint, raised to the event lower bound when that is higher (events never lie low; if they
// exceed the interval's top, they prove it, e.g. the web server's clock lags the CTI's). The
// interval is re-sampled on every (re)connect and replaces the previous one.

/** A timestamp from the wire: µs since the epoch (number, or bigint past 2^53). */
export type WireTimestampUs = number | bigint | null | undefined;

/** Converts a wire µs timestamp to ms (fractional), or `null` if absent / not a positive finite value. */
export function wireUsToMs(tsUs: WireTimestampUs): number | null {
  if (tsUs === null || tsUs === undefined) return null;
  const n = typeof tsUs === 'bigint' ? Number(tsUs) : tsUs;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  return n / 1000;
}

/** Converts a wire µs timestamp to a µs number (bigint → number), or `null` if absent / invalid. */
export function wireUsToNumber(tsUs: WireTimestampUs): number | null {
  if (tsUs === null || tsUs === undefined) return null;
  const n = typeof tsUs === 'bigint' ? Number(tsUs) : tsUs;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

/** Timestamp fields of channel-like records that count as "something happened at". */
const CHANNEL_TS_FIELDS = ['offer_timestamp', 'answer_timestamp', 'hangup_timestamp'] as const;

/**
 * The newest PBX timestamp in a record, in ms: max of `state.ts`, `offer_timestamp`,
 * `answer_timestamp`, `hangup_timestamp` (PROTOCOL.md "Field translations"; README "channel").
 * @param record any element record (non-channel records have none and give `null`)
 * @returns ms since epoch on the PBX clock, or `null`
 */
export function newestTimestampMs(record: unknown): number | null {
  if (record === null || typeof record !== 'object') return null;
  const r = record as Record<string, unknown>;
  let best: number | null = null;
  const state = r.state as { ts?: WireTimestampUs } | undefined;
  if (state && typeof state === 'object') {
    const ms = wireUsToMs(state.ts);
    if (ms !== null) best = ms;
  }
  for (const f of CHANNEL_TS_FIELDS) {
    const ms = wireUsToMs(r[f] as WireTimestampUs);
    if (ms !== null && (best === null || ms > best)) best = ms;
  }
  return best;
}

/**
 * One offset sample from a received message: (newest timestamp in it) − receivedAtMs, in ms.
 * Uses `info_event` records and every record of an `initial_info` (older timestamps only make
 * the sample lower, never wrong). Other messages give `null`.
 * @param message a parsed CTI message (docs/ARCHITECTURE.md "Parsed message union")
 * @param receivedAtMs browser time (Date.now(), ms) when the frame was received
 */
export function offsetSampleMs(
  message: { type: string; data?: unknown },
  receivedAtMs: number,
): number | null {
  let newestMs: number | null = null;
  if (message.type === 'info_event') {
    newestMs = newestTimestampMs(message.data);
  } else if (message.type === 'initial_info' && message.data && typeof message.data === 'object') {
    for (const rec of Object.values(message.data as Record<string, unknown>)) {
      const ms = newestTimestampMs(rec);
      if (ms !== null && (newestMs === null || ms > newestMs)) newestMs = ms;
    }
  }
  return newestMs === null ? null : newestMs - receivedAtMs;
}

/** What one HTTP `Date` sample says about the offset (PBX − browser), ms. */
export interface OffsetInterval {
  lowMs: number;
  highMs: number;
  /** browser ms when it was taken */
  atMs: number;
}

/**
 * The offset interval given by an HTTP `Date` header (1 s resolution, the server's clock when it
 * generated the response) and the browser times the request was sent and the response received.
 * @returns `[D − tRecv, D + 1000 − tSend]`, or `null` if the header is absent/unparseable or the
 *   browser times are not finite / reversed
 */
export function offsetIntervalFromDateHeader(
  dateHeader: string | null | undefined,
  sentAtMs: number,
  receivedAtMs: number,
): OffsetInterval | null {
  if (!dateHeader) return null;
  const d = Date.parse(dateHeader);
  if (!Number.isFinite(d) || !Number.isFinite(sentAtMs) || !Number.isFinite(receivedAtMs) || receivedAtMs < sentAtMs) return null;
  return { lowMs: d - receivedAtMs, highMs: d + 1000 - sentAtMs, atMs: receivedAtMs };
}

/** Options of {@link ClockOffsetEstimator}. */
export interface ClockOffsetEstimatorOptions {
  /** most samples kept; default 256 */
  maxSamples?: number;
  /** samples older than this (browser ms, by their receive time) are dropped; default 10 min */
  windowMs?: number;
}

/**
 * Estimator of (PBX clock − browser clock), in ms: the windowed maximum of event lower bounds,
 * combined with the latest HTTP `Date` interval (see the file comment). Before any sample the
 * estimate is 0 (trust the PC clock).
 */
export class ClockOffsetEstimator {
  private samples: Array<{ atMs: number; offsetMs: number }> = [];
  private interval: OffsetInterval | null = null;
  private readonly maxSamples: number;
  private readonly windowMs: number;

  constructor(opts: ClockOffsetEstimatorOptions = {}) {
    this.maxSamples = opts.maxSamples ?? 256;
    this.windowMs = opts.windowMs ?? 10 * 60_000;
  }

  /**
   * Adds a sample taken at browser time `atMs`.
   * @param offsetMs (PBX event time − browser receive time), ms; non-finite values are ignored
   * @param atMs browser ms when the sample was taken (its receive time)
   */
  add(offsetMs: number, atMs: number): void {
    if (!Number.isFinite(offsetMs) || !Number.isFinite(atMs)) return;
    this.samples.push({ atMs, offsetMs });
    this.prune(atMs);
  }

  /**
   * Sets the interval of the latest HTTP `Date` sample (replaces the previous one; see the file
   * comment). Invalid intervals (non-finite, low > high) are ignored.
   */
  setInterval(interval: OffsetInterval | null): void {
    if (interval === null) return;
    const { lowMs, highMs, atMs } = interval;
    if (!Number.isFinite(lowMs) || !Number.isFinite(highMs) || !Number.isFinite(atMs) || lowMs > highMs) return;
    this.interval = { lowMs, highMs, atMs };
  }

  /** The interval in use, or null (diagnostics and tests). */
  get currentInterval(): OffsetInterval | null {
    return this.interval;
  }

  /** Drops samples outside the window as of browser time `nowMs`. */
  prune(nowMs: number): void {
    const oldest = nowMs - this.windowMs;
    // A browser clock stepped backwards makes atMs > nowMs: keep those, they age out by count.
    this.samples = this.samples.filter((s) => s.atMs >= oldest);
    if (this.samples.length > this.maxSamples) this.samples.splice(0, this.samples.length - this.maxSamples);
  }

  /**
   * The current estimate, ms: the HTTP interval's midpoint, raised to the highest event lower
   * bound if that is higher; only event samples → their max; nothing → 0.
   */
  estimateMs(): number {
    let best = -Infinity;
    for (const s of this.samples) if (s.offsetMs > best) best = s.offsetMs;
    if (this.interval !== null) {
      const mid = (this.interval.lowMs + this.interval.highMs) / 2;
      return Math.max(mid, best);
    }
    return this.samples.length === 0 ? 0 : best;
  }

  /** Number of samples held (for diagnostics and tests). */
  get size(): number {
    return this.samples.length;
  }

  /** Forgets everything (e.g. when connecting to another PBX). */
  reset(): void {
    this.samples = [];
    this.interval = null;
  }
}

let currentOffsetMs = 0;
let browserNowMs: () => number = () => Date.now();

/** Sets the offset used by {@link pbxNowUs} (the store calls this after each batch). */
export function setPbxClockOffsetMs(offsetMs: number): void {
  currentOffsetMs = Number.isFinite(offsetMs) ? offsetMs : 0;
}

/** The offset in use (PBX − browser), ms. */
export function getPbxClockOffsetMs(): number {
  return currentOffsetMs;
}

/** For tests: replace the browser clock (ms). Pass nothing to restore `Date.now`. */
export function setBrowserClockForTests(now?: () => number): void {
  browserNowMs = now ?? (() => Date.now());
}

/** "Now" on the PBX clock, µs since epoch: browser now + estimated offset. */
export function pbxNowUs(): number {
  return Math.round((browserNowMs() + currentOffsetMs) * 1000);
}

/**
 * Elapsed time since a PBX timestamp, ms, never negative (a small negative would be estimator
 * slack, not a real future event).
 * @param sinceUs PBX µs timestamp (e.g. `state.ts`)
 * @param nowUs PBX now, µs; default {@link pbxNowUs}()
 * @returns ms elapsed, or `null` if `sinceUs` is absent
 */
export function elapsedSinceMs(sinceUs: WireTimestampUs, nowUs: number = pbxNowUs()): number | null {
  const sinceMs = wireUsToMs(sinceUs);
  if (sinceMs === null) return null;
  return Math.max(0, nowUs / 1000 - sinceMs);
}
