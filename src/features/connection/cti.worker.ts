// The CTI Web Worker: owns the WebSocket, decodes every frame with src/cti and posts parsed
// batches to the UI thread at most once per animation frame, and only once the UI thread has
// acknowledged the previous one (`applied`; docs/console-data.md "Backpressure"). Imports
// nothing from UI code. Started by connection-manager.ts as
// `new Worker(new URL('./cti.worker.ts', import.meta.url), { type: 'module' })`.

import { CtiConnection, type SocketLike } from './cti-connection.ts';
import { createFrameScheduler } from './frame-scheduler.ts';
import { TO_WORKER, type FromWorker, type ToWorker } from './protocol.ts';
import { fetchSession, probeHttp } from './session-check.ts';

// `self` of a dedicated worker; typed structurally so this file needs no WebWorker lib.
const scope = self as unknown as {
  postMessage(msg: FromWorker): void;
  onmessage: ((ev: MessageEvent<ToWorker>) => void) | null;
  requestAnimationFrame?: (cb: () => void) => number;
  location: { origin: string; protocol: string; host: string };
};

const scheduleFrame = createFrameScheduler({
  requestAnimationFrame: typeof scope.requestAnimationFrame === 'function' ? (cb) => scope.requestAnimationFrame!(cb) : undefined,
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
});

let conn: CtiConnection | null = null;
let connKey = '';

function connectionFor(m: Extract<ToWorker, { type: 'connect' }>): CtiConnection {
  const httpBase = (m.baseUrl || scope.location.origin).replace(/\/$/, '');
  const wsBase = httpBase.replace(/^http/, 'ws');
  return new CtiConnection(
    {
      createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      checkSession: () => fetchSession(httpBase),
      probeHttp: () => probeHttp(httpBase),
      post: (msg) => scope.postMessage(msg),
      scheduleFrame,
      now: () => Date.now(),
      random: () => Math.random(),
      setTimeout: (cb, ms) => setTimeout(cb, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      warn: (...args) => console.warn(...args),
    },
    { wsBase, appName: m.appName, fullEvents: m.fullEvents, silenceLimitMs: m.silenceLimitMs, sessionEndpointKnown: m.sessionEndpointKnown },
  );
}

scope.onmessage = (ev) => {
  const m = ev.data;
  switch (m.type) {
    case TO_WORKER.connect:
      // Same PBX and app: reuse (no 'stopped' flash on Take over); else start afresh.
      if (!conn || connKey !== `${m.baseUrl ?? ''}|${m.appName}`) {
        conn?.disconnect();
        conn = connectionFor(m);
        connKey = `${m.baseUrl ?? ''}|${m.appName}`;
      } else conn.configure(m);
      conn.connect(m.force);
      break;
    case TO_WORKER.configure:
      conn?.configure(m);
      break;
    case TO_WORKER.send:
      if (conn) conn.send(m.id, m.command, m.expect);
      else scope.postMessage({ type: 'sendFailed', id: m.id, reason: 'Not connected to the PBX' });
      break;
    case TO_WORKER.disconnect:
      conn?.disconnect();
      break;
    case TO_WORKER.wake:
      conn?.wake(m.hiddenMs);
      break;
    case TO_WORKER.offline:
      conn?.offline();
      break;
    case TO_WORKER.ping:
      scope.postMessage({ type: 'pong', seq: m.seq });
      break;
    case TO_WORKER.resumed:
      conn?.resumed(m.gapMs);
      break;
    case TO_WORKER.applied:
      conn?.applied();
      break;
  }
};
