import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { getPbxClockOffsetMs } from '../lib/clock.ts';
import {
  flushMissedCallsSave,
  applyClockInterval,
  applyConnectionStatus,
  applyWorkerBatch,
  clearMissedCalls,
  dismissPendingAction,
  resetConsoleStoreForTests,
  sendCommand,
  setConnectionDriver,
  setStoreClockForTests,
  takeOver,
  useConsoleStore,
  type ConnectionDriver,
} from './console-store.ts';
import { ACTION_TIMEOUT_MS } from './console-state.ts';
import { isOutageMarker, liveUntilStorageKey, setMissedCallsOwner, setMissedCallsSink } from '../lib/missed-calls.ts';
import { T0_US, batch, caller, keyed } from './test-fixtures.ts';

const BROWSER_T0_MS = T0_US / 1000 - 3 * 60_000; // the PC clock is 3 minutes slow
// The list and the live-until mark are kept per logged-in user (src/lib/missed-calls.ts).
const OWNER = { username: 'operator', domain: 'test1' };
const LIVE_UNTIL_STORAGE_KEY = liveUntilStorageKey(OWNER);

function fakeDriver() {
  const calls: Array<[string, unknown]> = [];
  const d: ConnectionDriver = {
    connect: (o) => calls.push(['connect', o]),
    send: (id, c) => calls.push(['send', { id, c }]),
    disconnect: () => calls.push(['disconnect', null]),
  };
  return { d, calls };
}

function goLive() {
  applyWorkerBatch(
    batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('c1', T0_US - 10_000_000)) }], {
      freshSnapshot: true,
      goLive: true,
      receivedAtMs: BROWSER_T0_MS,
    }),
    // the newest timestamp (10 s old) gives a loose lower bound
    -10_000 + 3 * 60_000,
  );
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(BROWSER_T0_MS);
  setStoreClockForTests(() => Date.now());
  resetConsoleStoreForTests();
});
afterEach(() => {
  setConnectionDriver(null);
  setStoreClockForTests();
  vi.useRealTimers();
});

describe('store actions', () => {
  it('applies a batch as one update and tightens the PBX clock offset from live events', () => {
    const seen: number[] = [];
    const unsub = useConsoleStore.subscribe(() => seen.push(1));
    goLive();
    expect(seen).toHaveLength(1);
    expect(useConsoleStore.getState().connection.status).toBe('live');
    expect(useConsoleStore.getState().clockOffsetMs).toBe(170_000);
    // an event that just happened on the PBX, received 15 ms later
    applyWorkerBatch(
      batch([{ type: 'info_event', element: 'channel', event: 'added', data: caller('c2', T0_US + 985_000) }], { receivedAtMs: BROWSER_T0_MS + 1_000 }),
      180_000 - 15,
    );
    expect(useConsoleStore.getState().clockOffsetMs).toBe(179_985);
    expect(getPbxClockOffsetMs()).toBe(179_985);
    unsub();
  });

  it('uses the session Date interval at once: an old snapshot does not make times short', () => {
    // the session check (before connecting): PBX − browser ∈ [179.6 s, 180.6 s]
    applyClockInterval({ lowMs: 179_600, highMs: 180_600, atMs: BROWSER_T0_MS - 200 });
    expect(useConsoleStore.getState().clockOffsetMs).toBe(180_100);
    expect(getPbxClockOffsetMs()).toBe(180_100);
    goLive(); // the snapshot's newest timestamp is 10 s old: a lower bound of 170 s, ignored
    expect(useConsoleStore.getState().clockOffsetMs).toBe(180_100);
  });

  it('tracks a command as pending and fails it after ~5 s without a confirming event', () => {
    const { d, calls } = fakeDriver();
    setConnectionDriver(d);
    goLive();
    const id = sendCommand({ cmd: 'hangup', uuid: 'c1' });
    expect(calls).toEqual([['send', { id, c: { cmd: 'hangup', uuid: 'c1' } }]]);
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ id, status: 'pending', kind: 'hangup' });
    vi.advanceTimersByTime(ACTION_TIMEOUT_MS - 10);
    expect(useConsoleStore.getState().pendingActions[0].status).toBe('pending');
    vi.advanceTimersByTime(20);
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ status: 'failed', failure: 'timeout' });
    // pruned after the TTL
    vi.advanceTimersByTime(11_000);
    expect(useConsoleStore.getState().pendingActions).toEqual([]);
  });

  it('resolves a pending hangup from the event that follows', () => {
    setConnectionDriver(fakeDriver().d);
    goLive();
    const id = sendCommand({ cmd: 'hangup', uuid: 'c1' });
    applyWorkerBatch(batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...caller('c1', T0_US), last_event: 'CHANNEL_HANGUP', answer_timestamp: T0_US } }]), null);
    expect(useConsoleStore.getState().pendingActions.find((a) => a.id === id)?.status).toBe('done');
  });

  it('fails a command at once when not live, and all pending ones when the connection drops', () => {
    const { d, calls } = fakeDriver();
    setConnectionDriver(d);
    sendCommand({ cmd: 'park', uuid: 'c1' });
    expect(calls).toEqual([]);
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ status: 'failed', failure: 'not_connected' });
    goLive();
    const id = sendCommand({ cmd: 'park', uuid: 'c1' });
    applyConnectionStatus({ status: 'reconnecting', connectionId: 1, attempt: 1, retryAtMs: BROWSER_T0_MS + 500, stopReason: null, detail: 'closed', session: null });
    const s = useConsoleStore.getState();
    expect(s.connection).toMatchObject({ status: 'reconnecting', retryAt: BROWSER_T0_MS + 500, attempt: 1 });
    expect(s.pendingActions.find((a) => a.id === id)).toMatchObject({ status: 'failed', failure: 'connection_lost', message: 'Connection to the PBX lost' });
    dismissPendingAction(id);
    expect(useConsoleStore.getState().pendingActions.some((a) => a.id === id)).toBe(false);
  });

  it('keeps stale data visible but not live while reconnecting, until the fresh snapshot', () => {
    goLive();
    applyConnectionStatus({ status: 'reconnecting', connectionId: 1, attempt: 1, retryAtMs: null, stopReason: null, detail: null, session: null });
    const s = useConsoleStore.getState();
    expect(s.connection.status).toBe('reconnecting');
    expect(s.channel.has('c1')).toBe(true);
    expect(s.connection.lastUpdateAt).toBe(BROWSER_T0_MS);
  });

  it('takeOver asks the driver for a forced connect; clearMissedCalls empties the list', () => {
    const { d, calls } = fakeDriver();
    setConnectionDriver(d);
    takeOver();
    expect(calls).toEqual([['connect', { force: true }]]);
    goLive();
    applyWorkerBatch(
      batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...caller('c1', T0_US), last_event: 'CHANNEL_HANGUP', last_event_data: 'recv_cancel,ORIGINATOR_CANCEL' } }]),
      null,
    );
    expect(useConsoleStore.getState().missedCalls).toHaveLength(1);
    clearMissedCalls();
    expect(useConsoleStore.getState().missedCalls).toEqual([]);
  });

  it('marks the span the console was not live in the missed-call list (a drop in this page)', () => {
    goLive(); // clock offset from goLive's sample: 170 s
    const offsetMs = useConsoleStore.getState().clockOffsetMs;
    vi.setSystemTime(BROWSER_T0_MS + 60_000);
    applyConnectionStatus({ status: 'reconnecting', connectionId: 1, attempt: 1, retryAtMs: null, stopReason: null, detail: null, session: null });
    expect(useConsoleStore.getState().missedCalls).toEqual([]); // nothing until live again
    vi.setSystemTime(BROWSER_T0_MS + 240_000);
    applyWorkerBatch(
      batch([{ type: 'initial_info', element: 'channel', data: {} }], { connectionId: 2, freshSnapshot: true, goLive: true, receivedAtMs: BROWSER_T0_MS + 240_000 }),
      null,
    );
    const list = useConsoleStore.getState().missedCalls;
    expect(list).toHaveLength(1);
    expect(isOutageMarker(list[0])).toBe(true);
    expect(list[0].outage).toEqual({ fromUs: (BROWSER_T0_MS + 60_000 + offsetMs) * 1000, toUs: (BROWSER_T0_MS + 240_000 + offsetMs) * 1000 });
    // a missed call after it sorts before it (newest first)
    applyWorkerBatch(
      batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...caller('c7', T0_US + 250_000_000), last_event: 'CHANNEL_HANGUP', hangup_timestamp: T0_US + 260_000_000 } }]),
      null,
    );
    expect(useConsoleStore.getState().missedCalls.map((c) => c.kind ?? 'call')).toEqual(['call', 'outage']);
  });

  it('after a reload, marks the span since the last live moment a previous page saved; the first load ever marks nothing', () => {
    const mem = new Map<string, string>();
    vi.stubGlobal('localStorage', { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v), removeItem: (k: string) => void mem.delete(k) });
    try {
      setMissedCallsOwner(OWNER);
      goLive(); // first load ever: nothing saved, no marker; saves "live until now"
      expect(useConsoleStore.getState().missedCalls).toEqual([]);
      expect(mem.get(LIVE_UNTIL_STORAGE_KEY)).toBe(String(BROWSER_T0_MS));
      // "reload" 10 min later
      resetConsoleStoreForTests();
      vi.setSystemTime(BROWSER_T0_MS + 600_000);
      applyWorkerBatch(batch([{ type: 'initial_info', element: 'channel', data: {} }], { freshSnapshot: true, goLive: true, receivedAtMs: BROWSER_T0_MS + 600_000 }), null);
      const [m] = useConsoleStore.getState().missedCalls;
      expect(m).toMatchObject({ kind: 'outage', outage: { fromUs: BROWSER_T0_MS * 1000, toUs: (BROWSER_T0_MS + 600_000) * 1000 } });
    } finally {
      setMissedCallsOwner(null);
      vi.unstubAllGlobals();
    }
  });

  it('hands missed calls to the storage sink at most every 2 s under load, and at once when the page is hidden', () => {
    const saves: number[] = [];
    setMissedCallsSink({ save: (list) => void saves.push(list.length) });
    try {
      setMissedCallsOwner(OWNER);
      const hangup = (uuid: string, i: number) =>
        batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...caller(uuid, T0_US + i), last_event: 'CHANNEL_HANGUP', hangup_timestamp: T0_US + i + 1 } }]);
      for (let i = 0; i < 10; i++) applyWorkerBatch(hangup(`m${i}`, i), null);
      expect(useConsoleStore.getState().missedCalls).toHaveLength(10);
      expect(saves).toEqual([]);
      vi.advanceTimersByTime(2_000);
      expect(saves).toEqual([10]); // one save for ten batches
      applyWorkerBatch(hangup('m10', 10), null);
      flushMissedCallsSave(); // what pagehide / visibilitychange(hidden) call
      expect(saves).toEqual([10, 11]);
    } finally {
      setMissedCallsOwner(null);
      setMissedCallsSink(null);
    }
  });

  it('limited view: a non-admin session is in the store as isAdmin false (null before the session is known)', () => {
    expect(useConsoleStore.getState().session).toBeNull();
    applyConnectionStatus({ status: 'connecting', connectionId: 1, attempt: 0, retryAtMs: null, stopReason: null, detail: null, session: { username: 'user1', userId: 10001001, isAdmin: false } });
    expect(useConsoleStore.getState().session).toEqual({ username: 'user1', userId: 10001001, isAdmin: false });
    expect(useConsoleStore.getState().session?.isAdmin === false).toBe(true);
  });
});
