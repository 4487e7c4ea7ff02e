// UI-thread side of the CTI connection: starts the worker (cti.worker.ts), hands each batch and
// status to the store (one setState per batch), registers itself as the store's connection
// driver (sendCommand / takeOver go through it), and sends the user to the login page on
// `logout` / 401. The UI thread never decodes a frame.

import {
  applyClockInterval,
  applyConnectionStatus,
  applyView,
  applyWorkerBatch,
  failAction,
  loginUrl,
  setConnectionDriver,
  useConsoleStore,
  type ConnectionDriver,
} from '../../stores/console-store.ts';
import { ACK_MIN_INTERVAL_MS, createAfterPaint } from './frame-scheduler.ts';
import { createWorkerWatchdog } from './worker-watchdog.ts';
import { FROM_WORKER, SLEEP_GAP_MS, TO_WORKER, type FromWorker, type FullEventsMode, type SessionEndpoint, type ToWorker } from './protocol.ts';

/** How often (ms) the UI thread's sleep detector ticks. */
export const SLEEP_TICK_MS = 5_000;

/** The settings that shape the socket (features/settings: "All calls", the silence limit). */
export interface ConnectionSettings {
  fullEvents: FullEventsMode;
  /** no frame for this many minutes ⇒ a fresh connection */
  silenceMinutes: number;
}

/**
 * localStorage key remembering that our optional session endpoint answered well in this browser
 * (then a 401 from it means "logged out" at once, even on the first check of a new page).
 */
export const SESSION_ENDPOINT_KEY = 'basix-console.session-endpoint';

function rememberSessionEndpoint(e: SessionEndpoint): void {
  try {
    if (e === 'present') localStorage.setItem(SESSION_ENDPOINT_KEY, 'present');
    else if (e === 'absent') localStorage.removeItem(SESSION_ENDPOINT_KEY);
  } catch {
    /* no storage (private mode): the endpoint is asked again, nothing lost */
  }
}

function sessionEndpointRemembered(): boolean {
  try {
    return localStorage.getItem(SESSION_ENDPOINT_KEY) === 'present';
  } catch {
    return false;
  }
}

/** The part of `Worker` used here (a fake in tests). */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  addEventListener(type: 'message', cb: (ev: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', cb: (ev: ErrorEvent) => void): void;
  terminate(): void;
}

/** Options of {@link startConnection}. */
export interface StartConnectionOptions {
  /**
   * `app_name` sent to the PBX; default `operator-console`. The PBX allows 2 connections per
   * user and app_name (PROTOCOL.md Corrections): one app_name per kind of console page.
   */
  appName?: string;
  /** current settings, read at connect and whenever `subscribeSettings` says they changed */
  getSettings?: () => ConnectionSettings;
  /** calls back on every settings change; returns an unsubscribe */
  subscribeSettings?: (cb: () => void) => () => void;
  /** http(s) origin of the PBX; default: this page's origin (the PBX serves the console or proxies it) */
  baseUrl?: string;
  /** how to leave for the login page; default `window.location.assign` */
  navigate?: (url: string) => void;
  /** makes the worker; default the bundled cti.worker.ts */
  createWorker?: () => WorkerLike;
  /**
   * runs a callback once the next frame is painted; default {@link createAfterPaint} on `window`,
   * at most every {@link ACK_MIN_INTERVAL_MS}
   */
  afterPaint?: (cb: () => void) => void;
}

let running: { stop: () => void } | null = null;

/** Handles one message from the worker (exported for tests). */
export function handleWorkerMessage(msg: FromWorker, navigate: (url: string) => void): void {
  switch (msg.type) {
    case FROM_WORKER.batch:
      applyWorkerBatch(msg, msg.clockSampleMs, msg.witnessed);
      break;
    case FROM_WORKER.status:
      applyConnectionStatus({
        status: msg.status,
        connectionId: msg.connectionId,
        attempt: msg.attempt,
        retryAtMs: msg.retryAtMs,
        stopReason: msg.stopReason,
        detail: msg.detail,
        session: msg.session ? { username: msg.session.username, userId: msg.session.userId, isAdmin: msg.session.isAdmin, domain: msg.session.domain } : null,
        loginRequired: msg.loginRequired,
        sessionEndpoint: msg.sessionEndpoint,
      });
      rememberSessionEndpoint(msg.sessionEndpoint);
      if (msg.status === 'stopped' && (msg.stopReason === 'logout' || msg.stopReason === 'unauthorized')) {
        navigate(loginUrl());
      }
      break;
    case FROM_WORKER.sendFailed:
      failAction(msg.id, msg.reason);
      break;
    case FROM_WORKER.clock:
      applyClockInterval(msg.interval);
      break;
    case FROM_WORKER.view:
      applyView(msg.view);
      break;
  }
}

/**
 * Starts the CTI connection (idempotent: a second call returns the running one's stop).
 * @returns a function that disconnects and terminates the worker
 */
export function startConnection(opts: StartConnectionOptions = {}): () => void {
  if (running) return running.stop;
  const appName = opts.appName ?? 'operator-console';
  const navigate = opts.navigate ?? ((url: string) => window.location.assign(url));
  const makeWorker = (): WorkerLike =>
    opts.createWorker?.() ?? (new Worker(new URL('./cti.worker.ts', import.meta.url), { type: 'module', name: 'cti' }) as unknown as WorkerLike);
  let worker: WorkerLike;

  const afterPaint =
    opts.afterPaint ??
    createAfterPaint(
      {
        requestAnimationFrame: typeof requestAnimationFrame === 'function' ? (cb) => requestAnimationFrame(cb) : undefined,
        setTimeout: (cb, ms) => setTimeout(cb, ms),
        clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
        now: () => performance.now(),
      },
      250,
      ACK_MIN_INTERVAL_MS,
    );
  /** Starts a worker and listens to it; messages of a worker already replaced are ignored. */
  const spawn = (): void => {
    const w = makeWorker();
    worker = w;
    w.addEventListener('message', (ev) => {
      if (worker !== w) return;
      if (ev.data.type === FROM_WORKER.pong) return watchdog.pong(ev.data.seq);
      try {
        handleWorkerMessage(ev.data, navigate);
      } finally {
        // Backpressure: the worker holds (and coalesces) the next batch until this one is applied
        // AND painted (and at most every ACK_MIN_INTERVAL_MS), so a busy main thread gets coarser
        // updates, never a backlog. Acked even if applying threw: a lost ack would freeze the console.
        if (ev.data.type === FROM_WORKER.batch) afterPaint(() => w.postMessage({ type: TO_WORKER.applied }));
      }
    });
    w.addEventListener('error', (ev) => {
      console.warn('[cti] worker error', ev.message);
    });
  };

  // Issue 12: a worker stuck on one frame answers nothing, and the header must not keep saying
  // "Live" over it: unanswered for WATCHDOG_STUCK_AFTER_MS ⇒ a new worker and a fresh connection.
  const watchdog = createWorkerWatchdog({
    timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>), now: () => performance.now() },
    ping: (seq) => worker.postMessage({ type: TO_WORKER.ping, seq }),
    onStuck: ({ silentMs }) => {
      const c = useConsoleStore.getState().connection;
      worker.terminate();
      applyConnectionStatus({
        status: 'reconnecting',
        connectionId: c.connectionId,
        attempt: c.attempt,
        retryAtMs: null,
        stopReason: null,
        session: null,
        detail: `the CTI worker did not answer for ${Math.round(silentMs / 1000)} s: restarted with a fresh connection`,
      });
      spawn();
      driver.connect({ force: false });
      watchdog.start();
    },
  });
  spawn();

  const post = (m: ToWorker) => worker.postMessage(m);
  const socketSettings = () => {
    const st = opts.getSettings?.();
    return st ? { fullEvents: st.fullEvents, silenceLimitMs: st.silenceMinutes * 60_000 } : {};
  };
  const driver: ConnectionDriver = {
    connect: ({ force }) =>
      post({ type: TO_WORKER.connect, appName, force, baseUrl: opts.baseUrl, sessionEndpointKnown: sessionEndpointRemembered(), ...socketSettings() }),
    send: (id, command, expect) => post({ type: TO_WORKER.send, id, command, expect }),
    disconnect: () => post({ type: TO_WORKER.disconnect }),
  };
  setConnectionDriver(driver);
  const unsubscribeSettings = opts.subscribeSettings?.(() => post({ type: TO_WORKER.configure, ...socketSettings() }));

  // What the browser tells about the network and the page (the protocol has no ping): see
  // cti-connection.ts `wake` / `offline`.
  let hiddenSinceMs: number | null = null;
  const onOnline = () => post({ type: TO_WORKER.wake, hiddenMs: 0 });
  const onOffline = () => post({ type: TO_WORKER.offline });
  const onFocus = () => post({ type: TO_WORKER.wake, hiddenMs: 0 });
  const onVisibility = () => {
    if (document.visibilityState === 'hidden') hiddenSinceMs = Date.now();
    else {
      post({ type: TO_WORKER.wake, hiddenMs: hiddenSinceMs === null ? 0 : Date.now() - hiddenSinceMs });
      hiddenSinceMs = null;
    }
  };
  // A visible page whose 5 s timer comes 30 s late was asleep (hidden pages' timers are throttled
  // by the browser, so only visible ticks count).
  let lastTickMs = Date.now();
  let lastTickVisible = typeof document === 'undefined' || document.visibilityState === 'visible';
  const sleepTimer = setInterval(() => {
    const now = Date.now();
    const visible = typeof document === 'undefined' || document.visibilityState === 'visible';
    const gapMs = now - lastTickMs - SLEEP_TICK_MS;
    if (visible && lastTickVisible && gapMs >= SLEEP_GAP_MS) post({ type: TO_WORKER.resumed, gapMs });
    lastTickMs = now;
    lastTickVisible = visible;
  }, SLEEP_TICK_MS);
  const hasWindow = typeof window !== 'undefined' && typeof window.addEventListener === 'function';
  if (hasWindow) {
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    window.addEventListener('focus', onFocus);
    document.addEventListener('visibilitychange', onVisibility);
  }

  driver.connect({ force: false });
  watchdog.start();

  const stop = () => {
    if (hasWindow) {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('focus', onFocus);
      document.removeEventListener('visibilitychange', onVisibility);
    }
    unsubscribeSettings?.();
    clearInterval(sleepTimer);
    watchdog.stop();
    driver.disconnect();
    worker.terminate();
    setConnectionDriver(null);
    running = null;
  };
  running = { stop };
  return stop;
}
