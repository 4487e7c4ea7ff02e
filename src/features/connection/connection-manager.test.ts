import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applyWorkerBatch,
  loginUrl,
  resetConsoleStoreForTests,
  sendCommand,
  setConnectionDriver,
  setStoreClockForTests,
  useConsoleStore,
} from '../../stores/console-store.ts';
import { T0_US, batch, caller, keyed } from '../../stores/test-fixtures.ts';
import { handleWorkerMessage, startConnection, type WorkerLike } from './connection-manager.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const fakeDriver = () => ({ connect: () => {}, send: () => {}, disconnect: () => {} });

function goLive() {
  applyWorkerBatch(
    batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('c1', T0_US)) }], { freshSnapshot: true, goLive: true, receivedAtMs: T0_US / 1000 }),
    0,
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0_US / 1000);
  setStoreClockForTests(() => Date.now());
  resetConsoleStoreForTests();
});
afterEach(() => {
  setConnectionDriver(null);
  setStoreClockForTests();
  vi.useRealTimers();
});

describe('connection manager message handling', () => {
  it('goes to the login page on logout or 401, with next pointing back', () => {
    const nav: string[] = [];
    const loc = { pathname: '/console/', search: '?lang=ja', hash: '#queues' };
    expect(loginUrl(loc)).toBe('/basix/login?next=%2Fconsole%2F%3Flang%3Dja%23queues');
    vi.stubGlobal('window', { location: loc });
    try {
      const base = { type: 'status', connectionId: 1, attempt: 0, retryAtMs: null, session: null, detail: null, sessionEndpoint: 'unknown', loginRequired: false } as const;
      handleWorkerMessage({ ...base, status: 'stopped', stopReason: 'connection_replaced' }, (u) => nav.push(u));
      expect(nav).toEqual([]);
      expect(useConsoleStore.getState().connection.stopReason).toBe('connection_replaced');
      handleWorkerMessage({ ...base, status: 'stopped', stopReason: 'logout' }, (u) => nav.push(u));
      handleWorkerMessage({ ...base, status: 'stopped', stopReason: 'unauthorized' }, (u) => nav.push(u));
      expect(nav).toEqual([loginUrl(loc), loginUrl(loc)]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('passes sendFailed to the pending action and session info to the store', () => {
    setConnectionDriver(fakeDriver());
    goLive();
    const id = sendCommand({ cmd: 'transfer', uuid: 'c1', user_id: 10001002, user_name: 'b' });
    handleWorkerMessage({ type: 'sendFailed', id, reason: 'Not connected to the PBX' }, () => {});
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ status: 'failed', message: 'Not connected to the PBX' });
    handleWorkerMessage(
      { type: 'status', status: 'connecting', connectionId: 2, attempt: 0, retryAtMs: null, stopReason: null, detail: null, session: { username: 'op', userId: 7, isAdmin: true, domain: 'd' }, sessionEndpoint: 'present', loginRequired: false },
      () => {},
    );
    expect(useConsoleStore.getState().session).toEqual({ username: 'op', userId: 7, isAdmin: true, domain: 'd' });
  });

  it('keeps "log in to the PBX" and the session endpoint in the store; a delivered one-user view makes the view limited', () => {
    const base = { type: 'status', connectionId: 3, attempt: 2, retryAtMs: 5, session: null, detail: null, stopReason: null, status: 'reconnecting' } as const;
    handleWorkerMessage({ ...base, sessionEndpoint: 'absent', loginRequired: true }, () => {});
    expect(useConsoleStore.getState().connection).toMatchObject({ loginRequired: true, sessionEndpoint: 'absent' });
    expect(useConsoleStore.getState().limitedView).toBe(false);
    handleWorkerMessage({ type: 'view', view: { kind: 'limited', reason: 'one_user', userId: 7 } }, () => {});
    expect(useConsoleStore.getState().limitedView).toBe(true);
    expect(useConsoleStore.getState().connection.view).toEqual({ kind: 'limited', reason: 'one_user', userId: 7 });
    handleWorkerMessage({ type: 'view', view: { kind: 'full', reason: 'delivered', userId: null } }, () => {});
    expect(useConsoleStore.getState().limitedView).toBe(false);
  });
});

describe('startConnection backpressure', () => {
  it('acknowledges each batch with applied once it is applied and painted, even if applying threw', () => {
    const sent: ToWorker[] = [];
    let onMessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
    const worker: WorkerLike = {
      postMessage: (m) => void sent.push(m),
      addEventListener: ((type: string, cb: (ev: never) => void) => {
        if (type === 'message') onMessage = cb as unknown as (ev: MessageEvent<FromWorker>) => void;
      }) as WorkerLike['addEventListener'],
      terminate: () => {},
    };
    const painted: Array<() => void> = [];
    const stop = startConnection({ createWorker: () => worker, afterPaint: (cb) => void painted.push(cb), navigate: () => {} });
    try {
      const b = batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('c1', T0_US)) }], { freshSnapshot: true, goLive: true, receivedAtMs: T0_US / 1000 });
      onMessage!({ data: { type: 'batch', ...b, clockSampleMs: null } } as unknown as MessageEvent<FromWorker>);
      expect(useConsoleStore.getState().channel.has('c1')).toBe(true);
      expect(sent.filter((m) => m.type === 'applied')).toHaveLength(0); // not before the paint
      painted.splice(0).forEach((f) => f());
      expect(sent.filter((m) => m.type === 'applied')).toHaveLength(1);
      // a status is not acknowledged
      onMessage!({ data: { type: 'status', status: 'reconnecting', connectionId: 1, attempt: 1, retryAtMs: null, stopReason: null, detail: null, session: null } } as unknown as MessageEvent<FromWorker>);
      expect(painted).toHaveLength(0);
      // a batch whose apply throws is still acknowledged (a lost ack would freeze the console)
      expect(() => onMessage!({ data: { type: 'batch', ...b, messages: null as never, clockSampleMs: null } } as unknown as MessageEvent<FromWorker>)).toThrow();
      painted.splice(0).forEach((f) => f());
      expect(sent.filter((m) => m.type === 'applied')).toHaveLength(2);
    } finally {
      stop();
    }
  });
});

describe('startConnection watchdog (issue 12: a worker stuck on a frame)', () => {
  function fakeWorker(answers: boolean) {
    const w = {
      sent: [] as ToWorker[],
      terminated: false,
      onMessage: null as ((ev: MessageEvent<FromWorker>) => void) | null,
      postMessage(m: ToWorker) {
        w.sent.push(m);
        if (answers && m.type === 'ping') queueMicrotask(() => w.onMessage?.({ data: { type: 'pong', seq: m.seq } } as MessageEvent<FromWorker>));
      },
      addEventListener: ((type: string, cb: (ev: never) => void) => {
        if (type === 'message') w.onMessage = cb as unknown as (ev: MessageEvent<FromWorker>) => void;
      }) as WorkerLike['addEventListener'],
      terminate() {
        w.terminated = true;
      },
    };
    return w;
  }

  it('a worker that answers its pings is left alone', async () => {
    vi.useFakeTimers();
    const workers = [fakeWorker(true)];
    const stop = startConnection({ createWorker: () => workers[0], afterPaint: () => {}, navigate: () => {} });
    try {
      await vi.advanceTimersByTimeAsync(60_000);
      expect(workers[0].terminated).toBe(false);
      expect(workers[0].sent.filter((m) => m.type === 'ping').length).toBeGreaterThan(3);
    } finally {
      stop();
      vi.useRealTimers();
    }
  });

  it('a stuck worker (no pong for 10 s) is replaced by a fresh one that connects, and the header stops saying Live', async () => {
    vi.useFakeTimers();
    const workers = [fakeWorker(false), fakeWorker(true)];
    let made = 0;
    const stop = startConnection({ createWorker: () => workers[made++], afterPaint: () => {}, navigate: () => {} });
    try {
      goLive();
      expect(useConsoleStore.getState().connection.status).toBe('live');
      await vi.advanceTimersByTimeAsync(10_001);
      expect(workers[0].terminated).toBe(true);
      expect(made).toBe(2);
      expect(useConsoleStore.getState().connection).toMatchObject({ status: 'reconnecting' });
      expect(useConsoleStore.getState().connection.detail).toMatch(/did not answer/);
      expect(workers[1].sent.some((m) => m.type === 'connect')).toBe(true);
      // a late batch of the old worker is ignored
      const late = batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('ghost', T0_US)) }], { freshSnapshot: true, goLive: true, receivedAtMs: T0_US / 1000 });
      workers[0].onMessage!({ data: { type: 'batch', ...late, clockSampleMs: null } } as unknown as MessageEvent<FromWorker>);
      expect(useConsoleStore.getState().channel.has('ghost')).toBe(false);
      expect(useConsoleStore.getState().connection.status).toBe('reconnecting');
      // the new one answers: it is kept
      await vi.advanceTimersByTimeAsync(30_000);
      expect(workers[1].terminated).toBe(false);
    } finally {
      stop();
      vi.useRealTimers();
    }
  });
});
