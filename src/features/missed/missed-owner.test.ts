import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MISSED_CALLS_STORAGE_KEY,
  getMissedCallsOwner,
  missedCallsStorageKey,
  setMissedCallsOwner,
  type MissedCall,
} from '../../lib/missed-calls.ts';
import {
  applyConnectionStatus,
  applyWorkerBatch,
  clearMissedCalls,
  flushMissedCallsSave,
  resetConsoleStoreForTests,
  useConsoleStore,
} from '../../stores/console-store.ts';
import type { ConnectionInfo, SessionSlice } from '../../stores/console-state.ts';
import { T0_US, batch, caller } from '../../stores/test-fixtures.ts';
import { bindMissedCallsToSession, missedCallsOwnerOf } from './missed-owner.ts';

const SATO: SessionSlice = { username: 'sato', userId: 10001001, isAdmin: true, domain: 'test1' };
const KIMURA: SessionSlice = { username: 'kimura', userId: 10001002, isAdmin: true, domain: 'test1' };
const SATO_KEY = missedCallsStorageKey({ username: 'sato', domain: 'test1' });
const KIMURA_KEY = missedCallsStorageKey({ username: 'kimura', domain: 'test1' });

const stored = (mem: Map<string, string>, key: string) => (JSON.parse(mem.get(key) ?? '[]') as MissedCall[]).map((c) => c.uuid);
const uuids = () => useConsoleStore.getState().missedCalls.map((c) => c.uuid);

function status(session: SessionSlice | null, s: ConnectionInfo['status'] = 'connecting', stopReason: ConnectionInfo['stopReason'] = null) {
  applyConnectionStatus({ status: s, connectionId: 1, attempt: 0, retryAtMs: null, stopReason, detail: null, session });
}
function hangup(uuid: string, i: number) {
  applyWorkerBatch(
    batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...caller(uuid, T0_US + i), last_event: 'CHANNEL_HANGUP', hangup_timestamp: T0_US + i + 1 } }]),
    null,
  );
}

let mem: Map<string, string>;
let unbind: () => void;
beforeEach(() => {
  vi.useFakeTimers();
  mem = new Map();
  vi.stubGlobal('localStorage', { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v), removeItem: (k: string) => void mem.delete(k) });
  resetConsoleStoreForTests();
  setMissedCallsOwner(null);
});
afterEach(() => {
  unbind?.();
  setMissedCallsOwner(null);
  resetConsoleStoreForTests();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('missed calls follow the logged-in user', () => {
  it('shows nothing before the session is known, then the first user gets the old unkeyed list once', () => {
    mem.set(MISSED_CALLS_STORAGE_KEY, JSON.stringify([storedCall('old-1')]));
    useConsoleStore.setState({ missedCalls: [] });
    unbind = bindMissedCallsToSession();
    expect(getMissedCallsOwner()).toBeNull();
    expect(uuids()).toEqual([]);
    status(SATO);
    expect(getMissedCallsOwner()).toEqual({ username: 'sato', domain: 'test1' });
    expect(uuids()).toEqual(['old-1']);
    expect(mem.has(MISSED_CALLS_STORAGE_KEY)).toBe(false);
    expect(stored(mem, SATO_KEY)).toEqual(['old-1']);
  });

  it('a user switch saves the previous user’s pending calls under their key and shows the new user’s own list', () => {
    mem.set(KIMURA_KEY, JSON.stringify([storedCall('kimura-old')]));
    unbind = bindMissedCallsToSession();
    status(SATO);
    hangup('s1', 1);
    expect(uuids()).toEqual(['s1']);
    expect(mem.has(SATO_KEY)).toBe(false); // throttled: not saved yet
    status(KIMURA);
    expect(stored(mem, SATO_KEY)).toEqual(['s1']); // flushed to sato, not to kimura
    expect(uuids()).toEqual(['kimura-old']);
    hangup('k1', 2);
    flushMissedCallsSave();
    expect(stored(mem, KIMURA_KEY)).toEqual(['k1', 'kimura-old']);
    expect(stored(mem, SATO_KEY)).toEqual(['s1']);
  });

  it('Clear empties only the logged-in user’s list', () => {
    mem.set(SATO_KEY, JSON.stringify([storedCall('s-old')]));
    mem.set(KIMURA_KEY, JSON.stringify([storedCall('k-old')]));
    unbind = bindMissedCallsToSession();
    status(KIMURA);
    expect(uuids()).toEqual(['k-old']);
    clearMissedCalls();
    expect(uuids()).toEqual([]);
    expect(mem.has(KIMURA_KEY)).toBe(false);
    expect(stored(mem, SATO_KEY)).toEqual(['s-old']);
  });

  it('a logout hides the list at once (kept for that user), and the next login sees only their own', () => {
    unbind = bindMissedCallsToSession();
    status(SATO);
    hangup('s1', 1);
    status(SATO, 'stopped', 'logout');
    expect(uuids()).toEqual([]);
    expect(getMissedCallsOwner()).toBeNull();
    expect(stored(mem, SATO_KEY)).toEqual(['s1']);
    clearMissedCalls(); // nobody's list: nothing is removed
    expect(stored(mem, SATO_KEY)).toEqual(['s1']);
    status(KIMURA);
    expect(uuids()).toEqual([]);
    // a reload after the logout: the store starts with nothing until the session is known
    unbind();
    setMissedCallsOwner(null);
    resetConsoleStoreForTests();
    unbind = bindMissedCallsToSession();
    expect(uuids()).toEqual([]);
    status(SATO);
    expect(uuids()).toEqual(['s1']);
  });

  it('owner of a state: user and domain; none before the session or after logout / unauthorized', () => {
    const conn = (status: ConnectionInfo['status'], stopReason: ConnectionInfo['stopReason'] = null) => ({ ...useConsoleStore.getState().connection, status, stopReason });
    expect(missedCallsOwnerOf({ session: null, connection: conn('live') })).toBeNull();
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('live') })).toEqual({ username: 'sato', domain: 'test1' });
    expect(missedCallsOwnerOf({ session: { ...SATO, domain: undefined }, connection: conn('live') })).toEqual({ username: 'sato', domain: null });
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('stopped', 'connection_replaced') })).not.toBeNull();
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('stopped', 'logout') })).toBeNull();
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('stopped', 'unauthorized') })).toBeNull();
  });
});

/** A stored missed call (JSON shape), made up. */
function storedCall(uuid: string): MissedCall {
  return {
    uuid,
    callerNumber: '0312345678',
    callerName: null,
    endUser: null,
    called: { kind: 'group', id: 1, name: '代表', number: null },
    offeredAtUs: T0_US - 30e6,
    endedAtUs: T0_US,
    waitedMs: 30_000,
    disposition: { side: null, cause: 'NO_ANSWER', raw: null },
    abandoned: false,
    internal: false,
    endedIn: 'calling',
  };
}
