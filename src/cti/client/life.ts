// The connection life of a ws_cti client, written once (issue 10 "The client, once"): the package's
// client (client.ts) and the console's worker (src/features/connection/cti-connection.ts) both run
// on it. Socket-agnostic and timer-injected: it opens sockets through a factory, never parses.
//
// Rules: ../shared/PROTOCOL.md "Connection" (URL flags, a fresh snapshot after every connect, a drop
// makes the maps stale), "Corrections of 2026-12-05" (`forced=true` and `force=true`, the limit of
// 2 per user and app_name, the stop messages `connection_replaced`, `connection_limit_reached`,
// `logout`). Nothing beyond PROTOCOL.md: no ping, no command replies.
//
// States (one at a time, {@link LifeState}):
//   idle → preparing → opening → open → snapshot → live
//   (a close) → deciding → backoff → preparing …      any → stopped (`reconnectNow` restarts)

import { backoffDelayMs, type BackoffOptions } from './backoff.ts';
import { ctiUrl, type UserSelector } from './url.ts';
import type { CtiSocket } from './socket.ts';

/**
 * Where the life is:
 * - `idle`: never started;
 * - `preparing`: the `prepare` hook runs (a ticket fetch, an optional session check);
 * - `opening`: socket made, not open yet (the open timeout runs);
 * - `open`: socket open, no `initial_info` yet;
 * - `snapshot`: the first `initial_info` of this socket came (the maps are being replaced);
 * - `live`: the `channel` `initial_info` came: the snapshot is in;
 * - `deciding`: a socket closed; the `next` hook says what now (may be async);
 * - `backoff`: waiting for the retry timer;
 * - `stopped`: for good until `reconnectNow` ({@link ConnectionLife.stopReason} says why).
 */
export type LifeState = 'idle' | 'preparing' | 'opening' | 'open' | 'snapshot' | 'live' | 'deciding' | 'backoff' | 'stopped';

/** The stop messages of PROTOCOL.md (system_msg): retrying would fight another client, or the session is gone. */
export const STOP_MESSAGES: ReadonlySet<string> = new Set(['connection_replaced', 'connection_limit_reached', 'logout']);

/** What one attempt uses, from the `prepare` hook; or why there is no attempt. */
export type AttemptPlan<R extends string> =
  /** open a socket: `full_events=true` when `fullEvents`; `headers` for the handshake (Node `ws`) */
  | { fullEvents?: boolean; headers?: Record<string, string> }
  /** stop for good (`detail` for the state hook) */
  | { stop: R; detail?: string }
  /** no socket this time: back off and try again (`detail` for the state hook) */
  | { retry: string };

/** What to do after a socket closed that the life did not close itself. */
export type NextStep<R extends string> = { retry: string } | { stop: R; detail?: string };

/** A socket let go of. */
export interface SocketGone {
  /** the socket had opened (false: it never did — the browser hides a refused upgrade's status) */
  opened: boolean;
  /** the close code (1006 when none was given; 1000 when the life closed it) */
  code: number;
  reason: string;
  /** e.g. `closed (1006)`, `open timed out`, `cannot open socket: …`, or the caller's words */
  detail: string;
  /** `remote`: the PBX, network or a timeout ended it (the `next` hook decides); `us`: reconnectNow/refresh/stop */
  by: 'remote' | 'us';
  /** set when the factory threw */
  error?: unknown;
}

/** Extra facts of a state change. */
export interface StateInfo<R extends string> {
  /** why, in words (from a hook or the life) */
  detail?: string;
  /** `backoff` with a timer: ms until the next attempt */
  retryInMs?: number;
  /** set on the first state change after a socket went (not on `deciding`) */
  closed?: { code: number; reason: string };
  /** `stopped`: why */
  stopReason?: R;
}

/** What differs between the users of the life. Every hook runs inside a try of the caller's own. */
export interface LifeHooks<R extends string, S extends CtiSocket> {
  /** Before each attempt (sync, or async: a ticket, a session check). */
  prepare(ctx: { attempt: number; forced: boolean }): AttemptPlan<R> | Promise<AttemptPlan<R>>;
  /** Open a socket (URL without userinfo; headers from the plan). May throw: then like a socket that never opened. */
  createSocket(url: string, headers: Record<string, string>): S;
  /** The socket opened. `'again'`: close it at once and make the next attempt now (the console's refusal probe), keeping `forced`. */
  opened?(): void | 'again';
  /** A frame of the current socket, as the socket gave it (an ArrayBuffer for binary frames). */
  frame(data: unknown): void;
  /** The socket's error event (always followed by a close). */
  socketError?(ev: unknown): void;
  /** A socket is let go of (sync, before any state change): the place to mark data stale, flush, clear timers. */
  released?(gone: SocketGone): void;
  /** After a `remote` close: retry or stop (default: retry). Async allowed (the console's lost-login diagnosis). */
  next?(gone: SocketGone): NextStep<R> | Promise<NextStep<R>>;
  /** Every state change. */
  state?(state: LifeState, info: StateInfo<R>): void;
}

/** Options of {@link createConnectionLife}. */
export interface LifeOptions<R extends string, S extends CtiSocket> {
  /** the ws_cti URL with `app_name`; userinfo is removed (the caller's auth puts it in a header) */
  url: string;
  /** a token connection watching one user; default none */
  user?: UserSelector;
  /** `forced=true&force=true` on every attempt; default false (see {@link ConnectionLife.reconnectNow}) */
  forcedAlways?: boolean;
  /** ms an attempt may stay `opening` before it counts as never opened; default none */
  openTimeoutMs?: number;
  /** reconnect delays; default 500 ms doubling to 30 s, half random */
  backoff?: BackoffOptions;
  /** an upper bound on the next delay (ms) asked at each retry, e.g. while a login looks lost; default none */
  maxDelayMs?: () => number | undefined;
  /** on a stop message close at once (true) or read on until the PBX closes (false); default true */
  closeOnStopMessage?: boolean;
  timers: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  /** [0, 1) for the jitter */
  random: () => number;
  hooks: LifeHooks<R, S>;
}

const ignore = (): void => {};

/** The running life. */
export interface ConnectionLife<R extends string, S extends CtiSocket> {
  readonly state: LifeState;
  /** set while `stopped` */
  readonly stopReason: R | undefined;
  /** retries since the last `live` (or `resetBackoff`, `reconnectNow`) */
  readonly attempt: number;
  /** the socket of the current attempt (opening or open), if any */
  readonly socket: S | undefined;
  /** data from a socket that had opened and closed, until the next socket's first `initial_info` */
  readonly stale: boolean;
  /** the URL an attempt with these flags uses (the forced flag as it stands now) */
  url(fullEvents: boolean): string;
  /** Close any socket, cancel any retry, and attempt now from attempt 0 (also from `idle`/`stopped`). `forced`: take over, until a socket opens. */
  reconnectNow(opts?: { forced?: boolean; detail?: string }): void;
  /** Close the socket of a live-looking connection that may be dead (silence, sleep) and attempt now, from attempt 0; nothing while idle/stopped. */
  refresh(detail: string): void;
  /** Retry at once if waiting (deciding or backoff); otherwise nothing. */
  retryNow(): void;
  /** Treat the current socket as closed by the far side (e.g. the browser went offline). */
  drop(detail: string): void;
  /** Stop for good (closes the socket, cancels retries); the state hook hears `stopped` even when already stopped. */
  stop(reason: R, detail?: string): void;
  /** Tell the life a system_msg: a stop message stops it (at once or at the close, see closeOnStopMessage); true when it was one. */
  systemMessage(msg: string): boolean;
  /** Tell the life an `initial_info` of `element` came: returns bit 1 when it starts a fresh snapshot, bit 2 when it makes the connection live (`channel`). */
  initialInfo(element: string): number;
  /** The connection proved itself (a message came): the next retry starts from the first delay. */
  resetBackoff(): void;
}

/**
 * Make a connection life (state `idle`; call `reconnectNow()` to start).
 * @throws CtiClientError `BAD_OPTION` for a URL that is not ws:/wss: or a bad user selector
 */
export function createConnectionLife<R extends string, S extends CtiSocket>(o: LifeOptions<R, S>): ConnectionLife<R, S> {
  ctiUrl(o.url, { user: o.user }); // validates once
  const { hooks, timers } = o;
  let state: LifeState = 'idle';
  let stopReason: R | undefined;
  let attempt = 0;
  let forced = false;
  let socket: S | undefined;
  let stale = false;
  /** bumped whenever a socket or an attempt is abandoned: an async step of an older one gives up */
  let gen = 0;
  let retryTimer: unknown;
  let openTimer: unknown;
  let pendingStop: R | undefined;
  let closedInfo: { code: number; reason: string } | undefined;

  const setState = (s: LifeState, info: StateInfo<R> = {}): void => {
    state = s;
    if (s !== 'deciding' && closedInfo !== undefined) {
      info.closed = closedInfo;
      closedInfo = undefined;
    }
    hooks.state?.(s, info);
  };
  const clearTimers = (): void => {
    if (retryTimer !== undefined) timers.clearTimeout(retryTimer);
    if (openTimer !== undefined) timers.clearTimeout(openTimer);
    retryTimer = openTimer = undefined;
  };
  const url = (fullEvents: boolean): string => ctiUrl(o.url, { fullEvents, forced: forced || o.forcedAlways, user: o.user }).url;

  /** Let go of the current socket (if any), without its close event. */
  const release = (g: Omit<SocketGone, 'opened'>): boolean => {
    const s = socket;
    if (s === undefined) return false;
    const opened = state === 'open' || state === 'snapshot' || state === 'live';
    gen++;
    socket = undefined;
    pendingStop = g.by === 'us' ? undefined : pendingStop;
    clearTimers();
    s.onopen = s.onmessage = s.onclose = null;
    // not null: `ws` emits an error for a socket closed while connecting, and an EventEmitter
    // without an error listener throws it (taking down the Node process)
    s.onerror = ignore;
    try {
      s.close(1000, 'client closing');
    } catch {
      // already closing
    }
    if (opened) stale = true;
    closedInfo = { code: g.code, reason: g.reason };
    hooks.released?.({ ...g, opened });
    return true;
  };

  const stopNow = (reason: R, detail?: string): void => {
    release({ code: 1000, reason: '', detail: detail ?? `stopped: ${reason}`, by: 'us' });
    gen++;
    clearTimers();
    stopReason = reason;
    setState('stopped', { stopReason: reason, detail });
  };

  const scheduleRetry = (detail: string): void => {
    let delayMs = backoffDelayMs(attempt, o.random, o.backoff);
    const cap = o.maxDelayMs?.();
    if (cap !== undefined) delayMs = Math.min(delayMs, cap);
    attempt++;
    const g = gen;
    retryTimer = timers.setTimeout(() => {
      retryTimer = undefined;
      if (g === gen && state === 'backoff') void begin();
    }, delayMs);
    setState('backoff', { detail, retryInMs: delayMs });
  };

  const follow = (step: NextStep<R>): void => {
    if ('stop' in step) stopNow(step.stop, step.detail ?? `stopped: ${step.stop}`);
    else scheduleRetry(step.retry);
  };

  /** Ask the `next` hook what to do after `gone`, then do it (unless something else happened meanwhile). */
  const decide = (gone: SocketGone): void => {
    setState('deciding', { detail: gone.detail });
    const g = ++gen;
    let step: NextStep<R> | Promise<NextStep<R>>;
    try {
      step = hooks.next ? hooks.next(gone) : { retry: gone.detail };
    } catch {
      step = { retry: gone.detail };
    }
    if (!(step instanceof Promise)) return follow(step);
    step.then(
      (x) => {
        if (g === gen && state === 'deciding') follow(x);
      },
      () => {
        if (g === gen && state === 'deciding') scheduleRetry(gone.detail);
      },
    );
  };

  /** A socket ended that the life did not end itself. */
  const closedRemotely = (gone: Omit<SocketGone, 'opened' | 'by'>): void => {
    const opened = state === 'open' || state === 'snapshot' || state === 'live';
    const stopWith = pendingStop;
    release({ ...gone, by: 'remote' });
    if (stopWith !== undefined) return stopNow(stopWith, `system_msg ${stopWith}`);
    decide({ ...gone, by: 'remote', opened });
  };

  const openSocket = (plan: { fullEvents?: boolean; headers?: Record<string, string> }): void => {
    const u = url(plan.fullEvents ?? false);
    let s: S;
    state = 'opening';
    try {
      s = hooks.createSocket(u, { ...plan.headers });
    } catch (error) {
      return decide({ opened: false, code: 1006, reason: '', detail: `cannot open socket: ${String(error)}`, by: 'remote', error });
    }
    socket = s;
    const g = gen;
    s.binaryType = 'arraybuffer';
    setState('opening', { detail: 'opening socket' });
    if (socket !== s) return; // the state hook stopped or restarted
    if (o.openTimeoutMs !== undefined) {
      openTimer = timers.setTimeout(() => {
        openTimer = undefined;
        if (socket === s && state === 'opening') closedRemotely({ code: 1006, reason: '', detail: 'open timed out' });
      }, o.openTimeoutMs);
    }
    s.onopen = () => {
      if (socket !== s || g !== gen) return;
      if (hooks.opened?.() === 'again') {
        release({ code: 1000, reason: '', detail: 'again', by: 'us' });
        closedInfo = undefined;
        void begin();
        return;
      }
      if (openTimer !== undefined) timers.clearTimeout(openTimer);
      openTimer = undefined;
      forced = false;
      setState('open');
    };
    s.onmessage = (ev) => {
      if (socket === s) hooks.frame(ev.data);
    };
    s.onerror = (ev) => {
      if (socket === s) hooks.socketError?.(ev);
    };
    s.onclose = (ev) => {
      if (socket !== s) return;
      const code = ev?.code;
      const reason = ev?.reason ?? '';
      closedRemotely({ code: code ?? 1006, reason, detail: `closed${code ? ` (${code}${reason ? ` ${reason}` : ''})` : ''}` });
    };
  };

  /** One attempt: prepare, then open. */
  const begin = async (): Promise<void> => {
    const g = ++gen;
    setState('preparing');
    if (g !== gen) return;
    let plan = hooks.prepare({ attempt, forced });
    if (plan instanceof Promise) {
      try {
        plan = await plan;
      } catch (err) {
        plan = { retry: `prepare failed: ${String(err)}` };
      }
      if (g !== gen || state !== 'preparing') return;
    }
    if ('stop' in plan) return stopNow(plan.stop, plan.detail ?? `stopped: ${plan.stop}`);
    if ('retry' in plan) return scheduleRetry(plan.retry);
    openSocket(plan);
  };

  return {
    get state() {
      return state;
    },
    get stopReason() {
      return state === 'stopped' ? stopReason : undefined;
    },
    get attempt() {
      return attempt;
    },
    get socket() {
      return socket;
    },
    get stale() {
      return stale;
    },
    url,
    reconnectNow(opts) {
      release({ code: 1000, reason: '', detail: opts?.detail ?? 'reconnecting now', by: 'us' });
      clearTimers();
      stopReason = undefined;
      pendingStop = undefined;
      attempt = 0;
      forced = opts?.forced ?? false;
      void begin();
    },
    refresh(detail) {
      if (state === 'idle' || state === 'stopped') return;
      release({ code: 1000, reason: '', detail, by: 'us' });
      clearTimers();
      attempt = 0;
      setState('backoff', { detail });
      void begin();
    },
    retryNow() {
      if (state !== 'deciding' && state !== 'backoff') return;
      clearTimers();
      void begin();
    },
    drop(detail) {
      if (socket !== undefined) closedRemotely({ code: 1006, reason: '', detail });
    },
    stop(reason, detail) {
      stopNow(reason, detail);
    },
    systemMessage(msg) {
      if (!STOP_MESSAGES.has(msg)) return false;
      if (o.closeOnStopMessage ?? true) stopNow(msg as R, `system_msg ${msg}`);
      else pendingStop ??= msg as R;
      return true;
    },
    initialInfo(element) {
      let r = 0;
      if (state === 'open') {
        stale = false;
        setState('snapshot');
        r = 1;
      }
      if (state === 'snapshot' && element === 'channel') {
        attempt = 0;
        setState('live');
        r |= 2;
      }
      return r;
    },
    resetBackoff() {
      attempt = 0;
    },
  };
}
