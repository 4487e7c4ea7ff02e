// UI-thread side of the CTI connection: starts the worker (cti.worker.ts), hands each batch and
// status to the store (one setState per batch), registers itself as the store's connection
// driver (sendCommand / takeOver go through it), and sends the user to the login page on
// `logout` / 401. The UI thread never decodes a frame.

import {
  applyClockInterval,
  applyConnectionStatus,
  applyWorkerBatch,
  failAction,
  loginUrl,
  setConnectionDriver,
  type ConnectionDriver,
} from '../../stores/console-store.ts';
import { ACK_MIN_INTERVAL_MS, createAfterPaint } from './frame-scheduler.ts';
import { FROM_WORKER, TO_WORKER, type FromWorker, type ToWorker } from './protocol.ts';

/** The part of `Worker` used here (a fake in tests). */
export interface WorkerLike {
  postMessage(msg: ToWorker): void;
  addEventListener(type: 'message', cb: (ev: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', cb: (ev: ErrorEvent) => void): void;
  terminate(): void;
}

/** Options of {@link startConnection}. */
export interface StartConnectionOptions {
  /** `app_name` sent to the PBX; default `operator-console` */
  appName?: string;
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

let running: { worker: WorkerLike; stop: () => void } | null = null;

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
      });
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
  const worker: WorkerLike =
    opts.createWorker?.() ?? (new Worker(new URL('./cti.worker.ts', import.meta.url), { type: 'module', name: 'cti' }) as unknown as WorkerLike);

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
  worker.addEventListener('message', (ev) => {
    try {
      handleWorkerMessage(ev.data, navigate);
    } finally {
      // Backpressure: the worker holds (and coalesces) the next batch until this one is applied
      // AND painted (and at most every ACK_MIN_INTERVAL_MS), so a busy main thread gets coarser
      // updates, never a backlog. Acked even if applying threw: a lost ack would freeze the console.
      if (ev.data.type === FROM_WORKER.batch) afterPaint(() => worker.postMessage({ type: TO_WORKER.applied }));
    }
  });
  worker.addEventListener('error', (ev) => {
    console.warn('[cti] worker error', ev.message);
  });

  const post = (m: ToWorker) => worker.postMessage(m);
  const driver: ConnectionDriver = {
    connect: ({ force }) => post({ type: TO_WORKER.connect, appName, force, baseUrl: opts.baseUrl }),
    send: (id, command, expect) => post({ type: TO_WORKER.send, id, command, expect }),
    disconnect: () => post({ type: TO_WORKER.disconnect }),
  };
  setConnectionDriver(driver);

  const onOnline = () => post({ type: TO_WORKER.probe });
  if (typeof window !== 'undefined') window.addEventListener('online', onOnline);

  driver.connect({ force: false });

  const stop = () => {
    if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
    driver.disconnect();
    worker.terminate();
    setConnectionDriver(null);
    running = null;
  };
  running = { worker, stop };
  return stop;
}
