// The CTI connection's life, as run inside the Web Worker (cti.worker.ts): session check, the
// native WebSocket, decoding with src/cti, batching one post per animation frame, reconnecting
// with backoff, the idle timeout and the stop reasons. Every outside effect (socket, fetch,
// timers, clock, frame scheduler, post) is injected so this runs under Node in the tests.
//
// Rules: PROTOCOL.md "Connection" (URL flags, session auth, snapshot after connect, a drop makes
// channel maps stale) and "Messages" (system_msg); issue 4 (backoff 0.5–30 s with jitter, 401
// detected by asking /basix/api/session after a failed connect, idle timeout).

import { createParserState, parseFrame, WS_CTI_PATH, type ParserState } from '../../cti/index.ts';
import { offsetIntervalFromDateHeader, offsetSampleMs, type OffsetInterval } from '../../lib/clock.ts';
import type { CtiMessage } from '../../stores/cti-types.ts';
import { backoffDelayMs } from '../../lib/backoff.ts';
import { ACTION_TIMEOUT_MS, SETTLED_ACTION_TTL_MS } from '../../stores/console-state.ts';
import type { ActionExpectation } from '../../stores/pending-actions.ts';
import { ActionWatcher, PendingMessages } from './coalesce.ts';
import {
  FROM_WORKER,
  type BatchMessage,
  type ConnectionStatus,
  type CtiCommand,
  type FromWorker,
  type SessionInfo,
  type StopReason,
} from './protocol.ts';

/** The part of the browser WebSocket this uses. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code?: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** Result of asking `GET /basix/api/session`. */
export type SessionCheck =
  | {
      kind: 'ok';
      session: SessionInfo;
      /** what the response's HTTP `Date` header says about the PBX clock offset (absent: no header) */
      clock?: OffsetInterval | null;
    }
  | { kind: 'unauthorized' }
  | { kind: 'error'; detail: string };

/** Everything from outside. */
export interface CtiConnectionDeps {
  createSocket(url: string): SocketLike;
  checkSession(): Promise<SessionCheck>;
  post(msg: FromWorker): void;
  /** run `cb` before the next paint (requestAnimationFrame) or after ~16 ms */
  scheduleFrame(cb: () => void): void;
  /** browser ms */
  now(): number;
  /** [0, 1) */
  random(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** diagnostics (console.warn in the worker: e2e tests fail on console errors) */
  warn(...args: unknown[]): void;
}

/** Options. */
export interface CtiConnectionOptions {
  /** `ws:`/`wss:` origin + optional path prefix of the PBX, e.g. `wss://pbx.example`; required */
  wsBase: string;
  /** `app_name` query value; default `operator-console` */
  appName?: string;
  /** no frame for this long (ms) ⇒ probe the socket (see {@link PROBE_COMMAND}); default 60 000 */
  idleTimeoutMs?: number;
  /** no frame this long (ms) after the probe ⇒ the socket is dead: close and reconnect; default 5 000 */
  probeTimeoutMs?: number;
  /** give up an open attempt that has not opened after this long (ms); default 15 000 */
  openTimeoutMs?: number;
}

const WS_OPEN = 1;

/**
 * The idle probe: a command the server does not know. The PBX answers a bad command with
 * `{msg, Text}` (ARCHITECTURE.md "Conventions"), and any frame proves the socket alive; that
 * reply (a `msg` mentioning `ping`) is dropped, not shown. A server that stays silent gets the
 * socket closed and reopened after `probeTimeoutMs`, which proves it the hard way.
 */
export const PROBE_COMMAND = '{"cmd":"ping"}';
const STOP_MESSAGES = new Set<StopReason>(['connection_replaced', 'connection_limit_reached', 'logout']);

/** The CTI socket's life. One instance per worker. */
export class CtiConnection {
  private socket: SocketLike | null = null;
  private connectionId = 0;
  private attempt = 0;
  private force = false;
  private stopped = true;
  /** bumped by connect(): an attempt from an older generation gives up after its await */
  private generation = 0;
  private stopReason: StopReason | null = null;
  private session: SessionInfo | null = null;
  private status: ConnectionStatus = 'connecting';
  private retryTimer: unknown = null;
  private idleTimer: unknown = null;
  /** a probe was sent and no frame has come since */
  private probing = false;
  private openTimer: unknown = null;
  private parser: ParserState = createParserState();
  /** per socket: opened, saw any initial_info, went live */
  private opened = false;
  private snapshotStarted = false;
  private live = false;
  // batch under construction
  private pending = new PendingMessages();
  /** commands sent on this socket whose effect has not been seen yet (coalesce.ts) */
  private watcher = new ActionWatcher();
  /** ids of actions whose effect a frame of the batch under construction showed */
  private batchWitnessed: string[] = [];
  /** batches posted and not yet acknowledged by the UI thread ({@link applied}) */
  private unacked = 0;
  private batchFrames = 0;
  private batchBad = 0;
  private batchBadRecords = 0;
  private batchErrors: string[] = [];
  private batchSample: number | null = null;
  private batchReceivedAtMs = 0;
  private batchFresh = false;
  private batchGoLive = false;
  private flushScheduled = false;
  private readonly appName: string;
  private readonly idleTimeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly openTimeoutMs: number;

  constructor(
    private readonly deps: CtiConnectionDeps,
    private readonly opts: CtiConnectionOptions,
  ) {
    this.appName = opts.appName ?? 'operator-console';
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 60_000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 5_000;
    this.openTimeoutMs = opts.openTimeoutMs ?? 15_000;
  }

  /**
   * Starts (or restarts) connecting. `force` adds `force=true` until a socket opens (Take over).
   * Clears any stop reason and the retry counter.
   */
  connect(force: boolean): void {
    this.teardownSocket();
    this.clearRetry();
    this.stopped = false;
    this.stopReason = null;
    this.force = force;
    this.attempt = 0;
    this.generation++;
    void this.attemptConnect();
  }

  /** Closes the socket and stops retrying (status `stopped`, no reason). */
  disconnect(): void {
    this.stopped = true;
    this.clearRetry();
    this.flush();
    this.teardownSocket();
    this.setStatus('stopped', null, 'disconnected');
  }

  /** The network may be back (browser `online`): if waiting to retry, retry now. */
  probe(): void {
    if (this.stopped || this.retryTimer === null) return;
    this.clearRetry();
    void this.attemptConnect();
  }

  /**
   * Sends one command as a JSON text frame (PROTOCOL.md "Commands").
   * Posts `sendFailed` if the socket is not open. With `expect`, every record received from now
   * on is checked for the command's effect before coalescing; the batch that holds such a record
   * names `id` in `witnessed` (docs/console-data.md "Coalescing").
   */
  send(id: string, command: CtiCommand, expect?: ActionExpectation): void {
    const s = this.socket;
    if (!s || s.readyState !== WS_OPEN || !this.live) {
      this.deps.post({ type: FROM_WORKER.sendFailed, id, reason: 'Not connected to the PBX' });
      return;
    }
    // Watched as long as the UI thread keeps the action (a late confirmation still counts).
    if (expect) this.watcher.add(id, expect, this.deps.now() + ACTION_TIMEOUT_MS + SETTLED_ACTION_TTL_MS);
    try {
      s.send(JSON.stringify(command));
    } catch (e) {
      this.watcher.remove(id);
      this.deps.post({ type: FROM_WORKER.sendFailed, id, reason: `Send failed: ${String(e)}` });
    }
  }

  /** The URL of the next connect (exposed for tests). */
  url(): string {
    const q = new URLSearchParams({ app_name: this.appName });
    if (this.session?.isAdmin) q.set('full_events', 'true');
    if (this.force) q.set('force', 'true');
    return `${this.opts.wsBase.replace(/\/$/, '')}${WS_CTI_PATH}?${q.toString()}`;
  }

  // ---- life ---------------------------------------------------------------------------------

  private async attemptConnect(): Promise<void> {
    this.retryTimer = null;
    const generation = this.generation;
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', null, 'checking session');
    // The session is asked before EVERY attempt, not only the first: its HTTP `Date` header is a
    // fresh sample of the PBX clock for the snapshot that follows (src/lib/clock.ts).
    const check = await this.deps.checkSession();
    if (this.stopped || generation !== this.generation || this.socket !== null) return;
    if (check.kind === 'unauthorized') return this.stop('unauthorized', 'session check: 401');
    if (check.kind === 'error') {
      // With a known session a failed check (a web server hiccup) does not stop the socket attempt.
      if (this.session === null) return this.scheduleRetry(`session check failed: ${check.detail}`);
    } else {
      this.session = check.session;
      if (check.clock) this.deps.post({ type: FROM_WORKER.clock, interval: check.clock });
    }
    this.openSocket();
  }

  private openSocket(): void {
    const id = ++this.connectionId;
    this.opened = false;
    this.snapshotStarted = false;
    this.live = false;
    this.parser = createParserState();
    let s: SocketLike;
    try {
      s = this.deps.createSocket(this.url());
    } catch (e) {
      return this.scheduleRetry(`cannot open socket: ${String(e)}`);
    }
    this.socket = s;
    s.binaryType = 'arraybuffer';
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting', null, 'opening socket');
    this.openTimer = this.deps.setTimeout(() => {
      if (this.socket === s && !this.opened) this.onDrop(s, 'open timed out');
    }, this.openTimeoutMs);
    s.onopen = () => {
      if (this.socket !== s) return;
      this.opened = true;
      this.force = false;
      this.clearOpenTimer();
      this.armIdle();
    };
    s.onmessage = (ev) => {
      if (this.socket !== s) return;
      this.onFrame(ev.data, id);
    };
    s.onerror = () => {
      /* always followed by close; handled there */
    };
    s.onclose = (ev) => {
      if (this.socket !== s) return;
      this.onDrop(s, `closed${ev?.code ? ` (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})` : ''}`);
    };
  }

  private onFrame(data: unknown, connectionId: number): void {
    const receivedAtMs = this.deps.now();
    this.armIdle();
    this.batchFrames++;
    this.batchReceivedAtMs = receivedAtMs;
    let messages: CtiMessage[];
    try {
      if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
        throw new Error(`unexpected ${typeof data === 'string' ? 'text' : typeof data} frame`);
      }
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      messages = parseFrame(bytes, this.parser, (err) => {
        this.batchBadRecords++;
        this.noteError(`bad record: ${err.message}`);
      });
    } catch (e) {
      this.batchBad++;
      this.noteError(`bad frame: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleFlush();
      return;
    }
    if (this.probing) {
      this.probing = false;
      messages = messages.filter((m) => !(m.type === 'msg' && /\bping\b/i.test(String(m.msg))));
    }
    let stopWith: StopReason | null = null;
    for (const m of messages) {
      if (m.type === 'initial_info') {
        if (!this.snapshotStarted) {
          this.snapshotStarted = true;
          this.batchFresh = true;
        }
        if (m.element === 'channel' && !this.live) {
          this.live = true;
          this.attempt = 0;
          this.batchGoLive = true;
        }
      } else if (m.type === 'system_msg' && STOP_MESSAGES.has(m.msg as StopReason)) {
        stopWith = m.msg as StopReason;
      }
      const sample = offsetSampleMs(m, receivedAtMs);
      if (sample !== null && (this.batchSample === null || sample > this.batchSample)) this.batchSample = sample;
      // Before coalescing: a state that passes within one held batch still confirms a command.
      if (this.watcher.size > 0) for (const id of this.watcher.observe(m, receivedAtMs)) this.batchWitnessed.push(id);
      this.pending.push(m);
    }
    void connectionId;
    if (stopWith) {
      this.flush();
      this.teardownSocket();
      this.stop(stopWith, `system_msg ${stopWith}`);
      return;
    }
    this.scheduleFlush();
  }

  private noteError(message: string): void {
    this.deps.warn('[cti-worker]', message);
    if (this.batchErrors.length < 20) this.batchErrors.push(message);
  }

  private onDrop(s: SocketLike, detail: string): void {
    if (this.socket !== s) return;
    const wasOpened = this.opened;
    this.flush();
    this.teardownSocket();
    if (this.stopped) return;
    if (wasOpened) {
      // A socket that had opened: the drop is a network/server event; retry quickly.
      this.scheduleRetry(detail);
      return;
    }
    // Never opened: maybe the upgrade got a 401 (browsers hide the status): ask the session.
    this.session = null;
    const generation = this.generation;
    void this.deps.checkSession().then((check) => {
      if (this.stopped || generation !== this.generation || this.socket !== null || this.retryTimer !== null) return;
      if (check.kind === 'unauthorized') this.stop('unauthorized', `${detail}; session check: 401`);
      else {
        if (check.kind === 'ok') this.session = check.session;
        this.scheduleRetry(detail);
      }
    });
  }

  private scheduleRetry(detail: string): void {
    if (this.stopped) return;
    const delayMs = backoffDelayMs(this.attempt, () => this.deps.random());
    this.attempt++;
    const retryAtMs = this.deps.now() + delayMs;
    this.retryTimer = this.deps.setTimeout(() => void this.attemptConnect(), delayMs);
    this.setStatus('reconnecting', retryAtMs, detail);
  }

  private stop(reason: StopReason, detail: string): void {
    this.stopped = true;
    this.stopReason = reason;
    this.clearRetry();
    this.teardownSocket();
    this.setStatus('stopped', null, detail);
  }

  private setStatus(status: ConnectionStatus, retryAtMs: number | null, detail: string | null): void {
    this.status = status;
    this.flush(); // a status must never overtake the data received before it
    this.deps.post({
      type: FROM_WORKER.status,
      status,
      connectionId: this.connectionId,
      attempt: this.attempt,
      retryAtMs,
      stopReason: status === 'stopped' ? this.stopReason : null,
      session: this.session,
      detail,
    });
  }

  /** Current status (tests). */
  get currentStatus(): ConnectionStatus {
    return this.live && this.socket ? 'live' : this.status;
  }

  // ---- batching -----------------------------------------------------------------------------

  /**
   * Backpressure: once live, a batch is posted at the next frame only when the UI thread has
   * acknowledged every batch posted before ({@link applied}). Until then messages wait here,
   * coalesced (coalesce.ts), so a busy UI thread gets fewer, bigger batches — never a growing
   * backlog of posted ones. Status changes, drops and stops still post at once (`flush()`): a
   * status must never overtake the data received before it.
   *
   * Not before live: while a socket's snapshot arrives, each part (up to and including the
   * batch that goes live) goes at the next frame, so the UI thread applies and draws the 10,000
   * users while this worker decodes the channels (pipelined; holding all parts until the channel
   * snapshot made startup slower).
   */
  private mayPost(): boolean {
    return this.unacked === 0 || !this.live || this.batchGoLive;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || !this.mayPost()) return;
    this.flushScheduled = true;
    this.deps.scheduleFrame(() => {
      this.flushScheduled = false;
      if (this.mayPost()) this.flush();
    });
  }

  /**
   * The UI thread applied a batch and painted it (TO_WORKER.applied): the next one may go. What
   * was coalesced meanwhile is posted at once — the UI thread has just painted, the best moment
   * for it to take the next update (waiting for the worker's own next frame would add up to 16 ms).
   */
  applied(): void {
    if (this.unacked > 0) this.unacked--;
    if (this.unacked > 0 || (this.batchFrames === 0 && this.pending.size === 0)) return;
    this.flush();
  }

  /** Batches posted and not acknowledged yet (tests, diagnostics). */
  get unackedBatches(): number {
    return this.unacked;
  }

  /** Posts what has been received since the last post, if anything (whatever the acks). */
  flush(): void {
    if (this.batchFrames === 0 && this.pending.size === 0) return;
    const batch: BatchMessage = {
      type: FROM_WORKER.batch,
      connectionId: this.connectionId,
      messages: this.pending.take(),
      receivedAtMs: this.batchReceivedAtMs,
      clockSampleMs: this.batchSample,
      freshSnapshot: this.batchFresh,
      goLive: this.batchGoLive,
      frames: this.batchFrames,
      badFrames: this.batchBad,
      badRecords: this.batchBadRecords,
      errors: this.batchErrors,
      witnessed: this.batchWitnessed,
    };
    this.batchFrames = 0;
    this.batchBad = 0;
    this.batchBadRecords = 0;
    this.batchErrors = [];
    this.batchWitnessed = [];
    this.batchSample = null;
    this.batchFresh = false;
    this.batchGoLive = false;
    this.unacked++;
    this.deps.post(batch);
  }

  // ---- timers and teardown ------------------------------------------------------------------

  private armIdle(): void {
    if (this.idleTimer !== null) this.deps.clearTimeout(this.idleTimer);
    const s = this.socket;
    this.idleTimer = this.deps.setTimeout(() => {
      this.idleTimer = null;
      if (!s || this.socket !== s) return;
      // No frame for idleTimeoutMs: the PBX sends no pings JS can see, and a silent socket may be
      // dead (NAT timeout, sleeping laptop). Ask the server something; no answer ⇒ reconnect.
      this.probing = true;
      try {
        s.send(PROBE_COMMAND);
      } catch {
        /* a dead socket: the probe timer below handles it */
      }
      this.idleTimer = this.deps.setTimeout(() => {
        this.idleTimer = null;
        if (this.socket === s) this.onDrop(s, `no frame for ${Math.round((this.idleTimeoutMs + this.probeTimeoutMs) / 1000)} s`);
      }, this.probeTimeoutMs);
    }, this.idleTimeoutMs);
  }

  private clearOpenTimer(): void {
    if (this.openTimer !== null) this.deps.clearTimeout(this.openTimer);
    this.openTimer = null;
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.deps.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private teardownSocket(): void {
    this.clearOpenTimer();
    if (this.idleTimer !== null) this.deps.clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.probing = false;
    this.watcher.clear();
    const s = this.socket;
    this.socket = null;
    this.live = false;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = s.onerror = null;
    try {
      s.close(1000, 'client closing');
    } catch {
      /* already closed */
    }
  }
}

/**
 * Asks `GET {httpBase}/basix/api/session` with the session cookie: 200 `{username, user_id,
 * is_admin, domain}` → ok (with the offset interval its `Date` header gives); 401/403 → unauthorized; anything else (network error, 5xx) → error.
 * @param fetchFn default global fetch
 */
export async function fetchSession(
  httpBase: string,
  fetchFn: typeof fetch = fetch,
  now: () => number = () => Date.now(),
): Promise<SessionCheck> {
  try {
    const sentAtMs = now();
    const res = await fetchFn(`${httpBase.replace(/\/$/, '')}/basix/api/session`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
      cache: 'no-store',
    });
    const receivedAtMs = now();
    if (res.status === 401 || res.status === 403) return { kind: 'unauthorized' };
    if (!res.ok) return { kind: 'error', detail: `HTTP ${res.status}` };
    // Same-origin: the Date header is readable (cross-origin it would need Access-Control-Expose-Headers).
    const clock = offsetIntervalFromDateHeader(res.headers?.get?.('date') ?? null, sentAtMs, receivedAtMs);
    const j = (await res.json()) as { username?: unknown; user_id?: unknown; is_admin?: unknown; domain?: unknown };
    const uid = Number(j.user_id);
    return {
      kind: 'ok',
      session: {
        username: typeof j.username === 'string' ? j.username : '',
        userId: j.user_id === undefined || j.user_id === null || !Number.isFinite(uid) ? null : uid,
        isAdmin: j.is_admin === true,
        domain: typeof j.domain === 'string' ? j.domain : null,
      },
      clock,
    };
  } catch (e) {
    return { kind: 'error', detail: e instanceof Error ? e.message : String(e) };
  }
}
