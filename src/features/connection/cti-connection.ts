// The CTI connection as run inside the Web Worker (cti.worker.ts): the shared connection life of
// src/cti/client/life.ts (the package's client runs on the same one) plus the console's part: the
// optional session check, decoding with src/cti, batching one post per animation frame, noticing
// dead sockets and lost logins. Every
// outside effect (socket, fetch, timers, clock, frame scheduler, post) is injected so this runs
// under Node in the tests.
//
// Rules: PROTOCOL.md "Connection" (URL flags, session auth, snapshot after connect, a drop makes
// channel maps stale), its Corrections (`forced=true`, limit 2 per user and app_name, `logout`
// undocumented) and "Messages" (system_msg); issue 9 (the real PBX has no ping, no session
// endpoint, and hides the upgrade's 401: docs/console-data.md "Connection life").

import { createParserState, parseFrame, WS_CTI_PATH, type ParserState } from '../../cti/index.ts';
import { offsetSampleMs } from '../../lib/clock.ts';
import type { CtiMessage } from '../../stores/cti-types.ts';
import { createConnectionLife, STOP_MESSAGES, type AttemptPlan, type ConnectionLife, type LifeState, type NextStep, type SocketGone, type StateInfo } from '../../cti/client/life.ts';
import { ACTION_TIMEOUT_MS, SETTLED_ACTION_TTL_MS } from '../../stores/console-state.ts';
import type { ActionExpectation } from '../../stores/pending-actions.ts';
import { ActionWatcher, PendingMessages } from './coalesce.ts';
import {
  FROM_WORKER,
  SLEEP_GAP_MS,
  type BatchMessage,
  type ConnectionStatus,
  type CtiCommand,
  type FromWorker,
  type FullEventsMode,
  type SessionEndpoint,
  type SessionInfo,
  type StopReason,
} from './protocol.ts';
import type { HttpProbe, SessionCheck } from './session-check.ts';
import { UNKNOWN_VIEW, ViewEvidence, type ViewInfo } from './view-evidence.ts';

export type { SessionCheck } from './session-check.ts';
export { SLEEP_GAP_MS } from './protocol.ts';
export { fetchSession } from './session-check.ts';

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

/** Everything from outside. */
export interface CtiConnectionDeps {
  createSocket(url: string): SocketLike;
  /** asks our optional session endpoint (session-check.ts `fetchSession`) */
  checkSession(): Promise<SessionCheck>;
  /** asks the PBX's login page whether its HTTP side answers (session-check.ts `probeHttp`) */
  probeHttp(): Promise<HttpProbe>;
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
  /** `app_name` query value (the PBX counts its limit of 2 per user and app_name); default `operator-console` */
  appName?: string;
  /** ask for every call: `auto` unless the login is known not to be an admin; default `auto` */
  fullEvents?: FullEventsMode;
  /** no frame at all for this long (ms) ⇒ close and open a fresh connection; default 30 min */
  silenceLimitMs?: number;
  /** give up an open attempt that has not opened after this long (ms); default 15 000 */
  openTimeoutMs?: number;
  /** our session endpoint answered well in an earlier page of this browser (a 401 then means logged out) */
  sessionEndpointKnown?: boolean;
  /** how often (ms) the sleep detector's timer runs; default 5 000 */
  sleepCheckEveryMs?: number;
}

const WS_OPEN = 1;
/**
 * Does the PBX refuse `full_events=true` to this login (issue 9: "if the PBX refuses … say so")?
 * Sockets with it kept failing while the login page answers ⇒ `probe`: one socket without it.
 * That one opens ⇒ `confirm`: closed at once and one WITH it opened right after — it opens too
 * (the PBX was just restarting) ⇒ `unknown` again; it fails ⇒ `refused` (sockets go without,
 * the view is limited). The probe fails too ⇒ `probe_failed` (logged out, or down), until a
 * socket opens.
 */
export type FullEventsRefusal = 'unknown' | 'probe' | 'probe_failed' | 'confirm' | 'refused';

/** Sockets in a row that never opened, while the PBX's HTTP side answers, before "log in". */
export const FAILED_OPENS_BEFORE_LOGIN = 2;
/** While the login looks lost, retry at least this often (ms), so a login elsewhere is noticed soon. */
export const LOGIN_RETRY_CAP_MS = 5_000;
/** The page came back after being hidden this long (ms) … */
export const WAKE_HIDDEN_MS = 5 * 60_000;
/** … and the socket had been silent this long (ms): open a fresh connection. */
export const WAKE_SILENT_MS = 60_000;

/**
 * Where the connection is: the shared life's {@link LifeState} as the console names it.
 * - `idle`: before the first connect, or after disconnect() / a stop reason (`stopReason`) (life: `idle`, `stopped`);
 * - `checking`: asking the optional session endpoint before opening (life: `preparing`);
 * - `opening`: socket made, not open yet;
 * - `open`: socket open, no initial_info yet;
 * - `snapshot`: the initial_infos arriving (the first one replaces the maps);
 * - `live`: the channel snapshot arrived; every frame is applied as it comes;
 * - `waiting`: diagnosing a socket that never opened, or waiting for the retry timer (life: `deciding`, `backoff`).
 */
export type Phase = 'idle' | 'checking' | 'opening' | 'open' | 'snapshot' | 'live' | 'waiting';

/** Stop reasons of the shared life here: the console's, and `disconnected` (disconnect(): no reason shown). */
type LifeStop = StopReason | 'disconnected';

/**
 * The CTI socket's life, one instance per worker: the shared connection life
 * (src/cti/client/life.ts: attempts, URL, open timeout, backoff, forced, stop messages, snapshot →
 * live) with the console's extras on top: the optional session endpoint, the lost-login and
 * full_events-refusal diagnosis of sockets that never open, the view evidence, the silence limit,
 * the sleep detector, wake/offline, and batching with backpressure and witnessed actions.
 */
export class CtiConnection {
  private readonly life: ConnectionLife<LifeStop, SocketLike>;
  private connectionId = 0;
  /** bumped per attempt and per socket let go: a clock sample of an older attempt is dropped */
  private attemptSeq = 0;
  private stopReason: StopReason | null = null;
  private session: SessionInfo | null = null;
  private sessionEndpoint: SessionEndpoint;
  private status: ConnectionStatus = 'connecting';
  private silenceTimer: unknown = null;
  private sleepTimer: unknown = null;
  private sleepCheckDueMs = 0;
  private lastFrameAtMs = 0;
  /** sockets in a row that closed without ever opening */
  private failedOpens = 0;
  /** the PBX's HTTP side answers while its CTI socket keeps refusing: most likely logged out */
  private loginRequired = false;
  /** does the PBX refuse `full_events` to this login? ({@link FullEventsRefusal}) */
  private refusal: FullEventsRefusal = 'unknown';
  /** the socket now open asked for full_events */
  private askedFull = false;
  private evidence = new ViewEvidence();
  private view: ViewInfo = UNKNOWN_VIEW;
  private parser: ParserState = createParserState();
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
  private fullEvents: FullEventsMode;
  private silenceLimitMs: number;
  private readonly sleepCheckEveryMs: number;

  constructor(
    private readonly deps: CtiConnectionDeps,
    opts: CtiConnectionOptions,
  ) {
    this.fullEvents = opts.fullEvents ?? 'auto';
    this.silenceLimitMs = opts.silenceLimitMs ?? 30 * 60_000;
    this.sleepCheckEveryMs = opts.sleepCheckEveryMs ?? 5_000;
    this.sessionEndpoint = opts.sessionEndpointKnown ? 'present' : 'unknown';
    const q = new URLSearchParams({ app_name: opts.appName ?? 'operator-console' });
    this.life = createConnectionLife<LifeStop, SocketLike>({
      url: `${opts.wsBase.replace(/\/$/, '')}${WS_CTI_PATH}?${q.toString()}`,
      openTimeoutMs: opts.openTimeoutMs ?? 15_000,
      maxDelayMs: () => (this.loginRequired ? LOGIN_RETRY_CAP_MS : undefined),
      timers: { setTimeout: (fn, ms) => this.deps.setTimeout(fn, ms), clearTimeout: (h) => this.deps.clearTimeout(h) },
      random: () => this.deps.random(),
      hooks: {
        prepare: () => this.prepare(),
        createSocket: (url) => {
          this.connectionId++;
          this.parser = createParserState();
          this.evidence = new ViewEvidence();
          return this.deps.createSocket(url);
        },
        opened: () => this.onOpen(),
        frame: (data) => this.onFrame(data),
        released: () => {
          this.attemptSeq++;
          this.flush();
          if (this.silenceTimer !== null) this.deps.clearTimeout(this.silenceTimer);
          this.silenceTimer = null;
          this.watcher.clear();
        },
        next: (gone) => this.afterClose(gone),
        state: (st, info) => this.onLifeState(st, info),
      },
    });
  }

  private get live(): boolean {
    return this.life.state === 'live';
  }

  /**
   * Starts (or restarts) connecting with a fresh socket. `force` (Take over) adds
   * `forced=true&force=true` until a socket opens. Clears any stop reason and the retry counter.
   */
  connect(force: boolean): void {
    this.stopReason = null;
    this.failedOpens = 0;
    this.refusal = 'unknown';
    this.armSleepCheck();
    this.life.reconnectNow({ forced: force });
  }

  /**
   * Updates the settings that shape the socket (`full_events`, the silence limit). A changed
   * `full_events` mode takes effect at once: a fresh connection asks the PBX the new way.
   */
  configure(o: { fullEvents?: FullEventsMode; silenceLimitMs?: number }): void {
    if (o.fullEvents && o.fullEvents !== this.fullEvents) {
      this.fullEvents = o.fullEvents;
      this.refusal = 'unknown';
      if (this.life.socket) this.life.refresh(`full_events setting: ${o.fullEvents}`);
    }
    if (o.silenceLimitMs !== undefined && o.silenceLimitMs > 0) {
      this.silenceLimitMs = o.silenceLimitMs;
      if (this.life.socket && this.life.state !== 'opening') this.armSilence();
    }
  }

  /** Closes the socket and stops retrying (status `stopped`, no reason). */
  disconnect(): void {
    this.clearSleepCheck();
    this.flush();
    this.life.stop('disconnected', 'disconnected');
  }

  /**
   * The browser says the network may be back, or the page is back in front (`online`, `focus`,
   * `visibilitychange`): retry now if waiting to; open a fresh connection if the page was hidden
   * for {@link WAKE_HIDDEN_MS} and the socket has been silent for {@link WAKE_SILENT_MS}.
   * @param hiddenMs how long the page had been hidden (0 for `online`/`focus`)
   */
  wake(hiddenMs = 0): void {
    const st = this.life.state;
    if (st === 'deciding' || st === 'backoff') this.life.retryNow();
    else if ((st === 'live' || st === 'snapshot' || st === 'open') && hiddenMs >= WAKE_HIDDEN_MS && this.deps.now() - this.lastFrameAtMs >= WAKE_SILENT_MS) {
      this.life.refresh(`page back after ${Math.round(hiddenMs / 60_000)} min with a silent socket`);
    }
  }

  /**
   * The page's timers stood still for `gapMs` while it was visible (the computer slept; seen by
   * the UI thread, connection-manager.ts): past {@link SLEEP_GAP_MS} a socket from before may be
   * dead without a close event, so a fresh connection. The worker's own sleep detector sees the
   * same, this one also where the worker's clock is not the page's (tests with a fake page clock).
   */
  resumed(gapMs: number): void {
    if (gapMs >= SLEEP_GAP_MS && this.life.socket && this.life.state !== 'opening') this.life.refresh(`the page's timers stood still ${Math.round(gapMs / 1000)} s (the computer slept?): a fresh connection`);
  }

  /** The browser says it is offline: the socket cannot carry anything; wait for `online`. */
  offline(): void {
    this.life.drop('the browser went offline');
  }

  /**
   * Sends one command as a JSON text frame (PROTOCOL.md "Commands").
   * Posts `sendFailed` if the socket is not open. With `expect`, every record received from now
   * on is checked for the command's effect before coalescing; the batch that holds such a record
   * names `id` in `witnessed` (docs/console-data.md "Coalescing").
   */
  send(id: string, command: CtiCommand, expect?: ActionExpectation): void {
    const s = this.life.socket;
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

  /** Whether the next socket asks for every call (`full_events=true`). */
  private wantsFull(): boolean {
    if (this.fullEvents === 'never') return false;
    if (this.fullEvents === 'always') return true;
    return this.refusal !== 'probe' && this.refusal !== 'refused' && this.session?.isAdmin !== false;
  }

  /** The URL of the next connect (exposed for tests). */
  url(): string {
    return this.life.url(this.wantsFull());
  }

  // ---- the console's part of each attempt -----------------------------------------------------

  /** Before each socket: our optional session endpoint (unless known absent), then the URL's flags. */
  private prepare(): AttemptPlan<LifeStop> | Promise<AttemptPlan<LifeStop>> {
    const seq = ++this.attemptSeq;
    if (this.sessionEndpoint === 'absent') return this.plan(seq);
    this.setStatus(this.life.attempt === 0 ? 'connecting' : 'reconnecting', null, 'asking the session endpoint (optional)');
    return this.deps.checkSession().then((check) => (this.takeSessionCheck(check) ? { stop: 'unauthorized', detail: 'session endpoint: 401' } : this.plan(seq)));
  }

  private plan(seq: number): AttemptPlan<LifeStop> {
    if (this.sessionEndpoint !== 'present') this.sampleClockFromLoginPage(seq);
    this.askedFull = this.wantsFull();
    return { fullEvents: this.askedFull };
  }

  /**
   * Without our session endpoint the PBX clock is sampled from the `Date` header of its login
   * page, asked alongside the socket (never waited for): a snapshot's old timestamps on a quiet
   * PBX then show right wait and park times.
   */
  private sampleClockFromLoginPage(seq: number): void {
    void this.deps.probeHttp().then((p) => {
      if (p.clock && seq === this.attemptSeq) this.deps.post({ type: FROM_WORKER.clock, interval: p.clock });
    });
  }

  /** Applies a session check; true when it says logged out (a known endpoint answers 401). */
  private takeSessionCheck(check: SessionCheck): boolean {
    switch (check.kind) {
      case 'ok':
        this.sessionEndpoint = 'present';
        this.session = check.session;
        if (check.clock) this.deps.post({ type: FROM_WORKER.clock, interval: check.clock });
        return false;
      case 'unauthorized':
        // Only an endpoint that has answered well before can say "logged out"; a 401 from an
        // unknown one proves nothing (the socket decides).
        return this.sessionEndpoint === 'present';
      case 'unavailable':
        this.sessionEndpoint = 'absent';
        this.session = null;
        return false;
      case 'error':
        return false; // unknown: never wait or retry on it
    }
  }

  /** The socket opened: the refusal probe's turn, the silence limit, the login notice goes. */
  private onOpen(): void | 'again' {
    this.failedOpens = 0;
    if (this.refusal === 'probe') {
      // Opened without full_events after sockets with it kept failing: a PBX that refuses
      // full_events, or one that just came back (a restart). Ask again with it at once.
      this.refusal = 'confirm';
      return 'again';
    }
    if (this.refusal === 'confirm' || this.refusal === 'probe_failed') this.refusal = 'unknown';
    this.lastFrameAtMs = this.deps.now();
    this.armSilence();
    if (this.loginRequired) {
      this.loginRequired = false;
      this.setStatus(this.status, null, 'socket open');
    }
  }

  /** A socket closed by the far side (or timed out, or the browser went offline): retry how? */
  private afterClose(gone: SocketGone): NextStep<LifeStop> | Promise<NextStep<LifeStop>> {
    // A socket that had opened: a network/server event; retry quickly.
    if (gone.opened || gone.error !== undefined) return { retry: gone.detail };
    // Never opened: the browser hides the upgrade's status (a 401 looks like any failure).
    this.failedOpens++;
    if (this.refusal === 'probe') this.refusal = 'probe_failed'; // refused without full_events too
    else if (this.refusal === 'confirm') {
      // without full_events it opened, with it not, right after: the PBX refuses full_events
      this.refusal = 'refused';
      return { retry: `${gone.detail}; the PBX refuses full_events to this login` };
    }
    return this.diagnoseFailedOpen(gone.detail);
  }

  /**
   * Why did a socket never open? A known session endpoint answering 401 ⇒ logged out (stop and
   * go to the login page). Otherwise, once {@link FAILED_OPENS_BEFORE_LOGIN} sockets in a row
   * failed while the PBX's login page answers: first (`auto`) try once without `full_events`
   * (the PBX may refuse it to a non-admin), then say the login looks lost ("Log in to the PBX")
   * and keep retrying. The shared life drops the answer if anything happened meanwhile.
   */
  private async diagnoseFailedOpen(detail: string): Promise<NextStep<LifeStop>> {
    if (this.sessionEndpoint === 'present') {
      const check = await this.deps.checkSession();
      if (this.takeSessionCheck(check)) return { stop: 'unauthorized', detail: 'session endpoint: 401' };
      if (check.kind === 'ok') return { retry: detail }; // logged in: a server or network problem
    }
    if (this.failedOpens < FAILED_OPENS_BEFORE_LOGIN) return { retry: detail };
    const http = await this.deps.probeHttp();
    if (http.state === 'down') return { retry: `${detail}; the PBX's web side does not answer either` };
    if (this.fullEvents === 'auto' && this.refusal === 'unknown') {
      this.refusal = 'probe';
      return { retry: `${detail}; trying once without full_events` };
    }
    this.loginRequired = true;
    return { retry: `${detail}; the PBX answers but refuses the live connection: log in to the PBX` };
  }

  /** The shared life's states, as the console's statuses. */
  private onLifeState(st: LifeState, info: StateInfo<LifeStop>): void {
    switch (st) {
      case 'opening':
        return this.setStatus(this.life.attempt === 0 ? 'connecting' : 'reconnecting', null, info.detail ?? null);
      case 'backoff':
        return this.setStatus('reconnecting', info.retryInMs === undefined ? null : this.deps.now() + info.retryInMs, info.detail ?? null);
      case 'stopped':
        this.stopReason = info.stopReason === undefined || info.stopReason === 'disconnected' ? null : info.stopReason;
        if (this.stopReason !== null) this.loginRequired = false;
        this.clearSleepCheck();
        return this.setStatus('stopped', null, info.detail ?? null);
      default:
    }
  }

  private onFrame(data: unknown): void {
    const receivedAtMs = this.deps.now();
    this.lastFrameAtMs = receivedAtMs;
    this.armSilence();
    this.batchFrames++;
    this.batchReceivedAtMs = receivedAtMs;
    let messages: CtiMessage[];
    try {
      if (!(data instanceof ArrayBuffer) && !ArrayBuffer.isView(data)) {
        throw new Error(`unexpected ${typeof data === 'string' ? 'text' : typeof data} frame`);
      }
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      messages = parseFrame(bytes, this.parser, (err) => {
        // a TOO_MANY_ERRORS summary stands for the records past the per-frame bound
        this.batchBadRecords += err.code === 'TOO_MANY_ERRORS' ? Math.max(1, err.suppressed ?? 1) : 1;
        this.noteError(`bad record: ${err.message}`);
      });
    } catch (e) {
      this.batchBad++;
      this.noteError(`bad frame: ${e instanceof Error ? e.message : String(e)}`);
      this.scheduleFlush();
      return;
    }
    let stopWith: string | null = null;
    let viewChanged = false;
    for (const m of messages) {
      if (m.type === 'initial_info') {
        // bit 1: the first initial_info of this socket (the maps are about to be replaced); bit 2: the channel snapshot (live)
        const step = this.life.initialInfo(m.element);
        if (step & 1) this.batchFresh = true;
        if (step & 2) this.batchGoLive = true;
      } else if (m.type === 'system_msg' && STOP_MESSAGES.has(m.msg)) {
        stopWith = m.msg;
      }
      if (this.evidence.observe(m)) viewChanged = true;
      const sample = offsetSampleMs(m, receivedAtMs);
      if (sample !== null && (this.batchSample === null || sample > this.batchSample)) this.batchSample = sample;
      // Before coalescing: a state that passes within one held batch still confirms a command.
      if (this.watcher.size > 0) for (const id of this.watcher.observe(m, receivedAtMs)) this.batchWitnessed.push(id);
      this.pending.push(m);
    }
    if (stopWith !== null) {
      this.flush();
      this.life.systemMessage(stopWith);
      return;
    }
    this.scheduleFlush();
    if (this.batchGoLive || viewChanged) this.updateView();
  }

  private noteError(message: string): void {
    this.deps.warn('[cti-worker]', message);
    if (this.batchErrors.length < 20) this.batchErrors.push(message);
  }

  /** The view shown to the UI: what is known for sure first, then the delivered evidence. */
  private updateView(): void {
    let v: ViewInfo;
    if (!this.askedFull) {
      const reason = this.fullEvents === 'never' ? 'not_requested' : this.refusal === 'refused' ? 'refused' : 'session';
      v = { kind: 'limited', reason, userId: this.session?.userId ?? null };
    } else v = this.evidence.view(true);
    if (v.kind === this.view.kind && v.reason === this.view.reason && v.userId === this.view.userId) return;
    this.view = v;
    this.deps.post({ type: FROM_WORKER.view, view: v });
  }

  private setStatus(status: ConnectionStatus, retryAtMs: number | null, detail: string | null): void {
    this.status = status;
    this.flush(); // a status must never overtake the data received before it
    this.deps.post({
      type: FROM_WORKER.status,
      status,
      connectionId: this.connectionId,
      attempt: this.life.attempt,
      retryAtMs,
      stopReason: status === 'stopped' ? this.stopReason : null,
      session: this.session,
      sessionEndpoint: this.sessionEndpoint,
      loginRequired: this.loginRequired,
      detail,
    });
  }

  /** Current status (tests). */
  get currentStatus(): ConnectionStatus {
    return this.live && this.life.socket ? 'live' : this.status;
  }

  /** Current phase (tests, diagnostics). */
  get currentPhase(): Phase {
    const st = this.life.state;
    switch (st) {
      case 'idle':
      case 'stopped':
        return 'idle';
      case 'preparing':
        return 'checking';
      case 'deciding':
      case 'backoff':
        return 'waiting';
      default:
        return st;
    }
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

  // ---- timers -----------------------------------------------------------------------------------

  /**
   * The protocol has no ping (PROTOCOL.md "Commands"), and a quiet PBX at night is not a dead
   * one: only a very long silence (`silenceLimitMs`, default 30 min) gets a fresh connection.
   */
  private armSilence(): void {
    if (this.silenceTimer !== null) this.deps.clearTimeout(this.silenceTimer);
    const s = this.life.socket;
    this.silenceTimer = this.deps.setTimeout(() => {
      this.silenceTimer = null;
      if (s && this.life.socket === s) this.life.refresh(`no frame for ${Math.round(this.silenceLimitMs / 60_000)} min: a fresh connection`);
    }, this.silenceLimitMs);
  }

  /**
   * The sleep detector: a timer every `sleepCheckEveryMs`; one that fires {@link SLEEP_GAP_MS}
   * late means the PC slept (or the tab was frozen), and a socket from before may be dead
   * without a close event: a fresh connection.
   */
  private armSleepCheck(): void {
    this.clearSleepCheck();
    this.sleepCheckDueMs = this.deps.now() + this.sleepCheckEveryMs;
    this.sleepTimer = this.deps.setTimeout(() => {
      this.sleepTimer = null;
      const lateMs = this.deps.now() - this.sleepCheckDueMs;
      if (lateMs >= SLEEP_GAP_MS && this.life.socket && this.life.state !== 'opening') {
        this.life.refresh(`the timer fired ${Math.round(lateMs / 1000)} s late (the computer slept?): a fresh connection`);
      }
      if (this.life.state !== 'idle' && this.life.state !== 'stopped') this.armSleepCheck();
    }, this.sleepCheckEveryMs);
  }

  private clearSleepCheck(): void {
    if (this.sleepTimer !== null) this.deps.clearTimeout(this.sleepTimer);
    this.sleepTimer = null;
  }
}
