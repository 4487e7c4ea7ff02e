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
import { handleWorkerMessage } from './connection-manager.ts';

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
      const base = { type: 'status', connectionId: 1, attempt: 0, retryAtMs: null, session: null, detail: null } as const;
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
      { type: 'status', status: 'connecting', connectionId: 2, attempt: 0, retryAtMs: null, stopReason: null, detail: null, session: { username: 'op', userId: 7, isAdmin: true, domain: 'd' } },
      () => {},
    );
    expect(useConsoleStore.getState().session).toEqual({ username: 'op', userId: 7, isAdmin: true });
  });
});
