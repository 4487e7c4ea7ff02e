// @vitest-environment jsdom
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MISSED_CALLS_STORAGE_KEY, getMissedCallsOwner, isOutageMarker, missedCallsOwnerId, missedCallsStorageKey, setMissedCallsOwner, type MissedCall } from '../../lib/missed-calls.ts';
import { MissedCallsStorageError, openMissedCallsDb, type MissedCallsBackend } from '../../lib/missed-calls-storage.ts';
import { applyConnectionStatus, applyWorkerBatch, clearMissedCalls, resetConsoleStoreForTests, setStoreClockForTests, useConsoleStore } from '../../stores/console-store.ts';
import type { ConnectionInfo, SessionSlice } from '../../stores/console-state.ts';
import { T0_US, batch, caller } from '../../stores/test-fixtures.ts';
import { bindMissedCallsToSession, clearMissedCallsOnLogout, flushMissedCalls, missedCallsOwnerOf } from './missed-owner.ts';
import { useMissedNotices } from './missed-notice.ts';

const SATO: SessionSlice = { username: 'sato', userId: 10001001, isAdmin: true, domain: 'test1' };
const KIMURA: SessionSlice = { username: 'kimura', userId: 10001002, isAdmin: true, domain: 'test1' };
const ORIGIN = 'https://pbx.example.test';
const SATO_ID = missedCallsOwnerId({ username: 'sato', domain: 'test1' });
const KIMURA_ID = missedCallsOwnerId({ username: 'kimura', domain: 'test1' });
const OFFICE_ID = missedCallsOwnerId({ origin: ORIGIN });

/** vi.waitFor with room for IndexedDB (fake-indexeddb) on a busy machine: it never waits longer than needed. */
const until = <T,>(fn: () => T | Promise<T>, opts: { timeout?: number; interval?: number } = {}) => vi.waitFor(fn, { timeout: 10_000, interval: 20, ...opts });
const uuids = () => useConsoleStore.getState().missedCalls.map((c) => c.uuid);
const stored = async (owner: string) => (await db.load(owner)).sort((a, b) => b.endedAtUs - a.endedAtUs).map((c) => c.uuid);

type StatusOver = Partial<Pick<ConnectionInfo, 'loginRequired' | 'sessionEndpoint' | 'stopReason'>>;
function status(session: SessionSlice | null, s: ConnectionInfo['status'] = 'connecting', over: StatusOver = {}) {
  applyConnectionStatus({ status: s, connectionId: 1, attempt: 0, retryAtMs: null, stopReason: over.stopReason ?? null, detail: null, session, loginRequired: over.loginRequired, sessionEndpoint: over.sessionEndpoint });
}
/** The connection's snapshot completes at browser ms `atMs` with these callers ringing. */
function goLive(atMs: number, ringing: string[] = [], connectionId = 1) {
  nowMs = atMs;
  const data = Object.fromEntries(ringing.map((u) => [u, caller(u, atMs * 1000 - 5e6)]));
  applyWorkerBatch(batch([{ type: 'initial_info', element: 'channel', data }], { connectionId, receivedAtMs: atMs, freshSnapshot: true, goLive: true }), null);
}
function hangup(uuid: string, atUs: number) {
  applyWorkerBatch(batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...caller(uuid, atUs - 10e6), last_event: 'CHANNEL_HANGUP', hangup_timestamp: atUs } }], { receivedAtMs: atUs / 1000 }), null);
}

let mem: Map<string, string>;
let db: MissedCallsBackend;
let dbName: string;
let seq = 0;
let nowMs = T0_US / 1000;
let unbind: (() => void) | null = null;
const bind = (over: { backend?: MissedCallsBackend } = {}) =>
  (unbind = bindMissedCallsToSession(useConsoleStore, {
    openBackend: async () => over.backend ?? db,
    storage: { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => void mem.set(k, v), removeItem: (k) => void mem.delete(k) },
    origin: ORIGIN,
    nowUs: () => nowMs * 1000,
    now: () => nowMs,
  }));
/** A page reload: the page's state is gone, storage stays. */
function reload() {
  unbind?.();
  unbind = null;
  setMissedCallsOwner(null);
  resetConsoleStoreForTests();
  setStoreClockForTests(() => nowMs);
}

beforeEach(async () => {
  mem = new Map();
  vi.stubGlobal('localStorage', { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v), removeItem: (k: string) => void mem.delete(k) });
  dbName = `owner-test-${++seq}`;
  db = await openMissedCallsDb({ name: dbName });
  nowMs = T0_US / 1000;
  reload();
  useMissedNotices.setState({ notices: [] });
});
afterEach(() => {
  unbind?.();
  unbind = null;
  setMissedCallsOwner(null);
  setStoreClockForTests();
  resetConsoleStoreForTests();
  vi.unstubAllGlobals();
});

describe('missed calls follow the logged-in user (session endpoint present)', () => {
  it('shows nothing before the owner is known, then the user’s list from IndexedDB with the older console’s localStorage lists moved in', async () => {
    await db.commit(SATO_ID, [storedCall('idb-1', T0_US - 60e6)], []);
    mem.set(missedCallsStorageKey({ username: 'sato', domain: 'test1' }), JSON.stringify([storedCall('v1-1', T0_US - 30e6)]));
    mem.set(MISSED_CALLS_STORAGE_KEY, JSON.stringify([storedCall('old-1', T0_US - 90e6)]));
    bind();
    expect(getMissedCallsOwner()).toBeNull();
    expect(uuids()).toEqual([]);
    status(SATO);
    await until(() => expect(uuids()).toEqual(['v1-1', 'idb-1', 'old-1']));
    await until(async () => expect(await stored(SATO_ID)).toEqual(['v1-1', 'idb-1', 'old-1']));
    await until(() => expect(mem.has(MISSED_CALLS_STORAGE_KEY)).toBe(false));
  });

  it('a user switch saves the previous user’s calls under their id and shows the new user’s own list', async () => {
    await db.commit(KIMURA_ID, [storedCall('kimura-old', T0_US - 60e6)], []);
    bind();
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).toEqual({ username: 'sato', domain: 'test1' }));
    goLive(T0_US / 1000);
    hangup('s1', T0_US + 1e6);
    expect(uuids()).toEqual(['s1']);
    status(KIMURA);
    await until(() => expect(uuids()).toEqual(['kimura-old']));
    await until(async () => expect(await stored(SATO_ID)).toEqual(['s1']));
    expect(await stored(KIMURA_ID)).toEqual(['kimura-old']);
  });

  it('Clear empties only the logged-in user’s list, at once', async () => {
    await db.commit(SATO_ID, [storedCall('s-old', T0_US)], []);
    await db.commit(KIMURA_ID, [storedCall('k-old', T0_US)], []);
    bind();
    status(KIMURA);
    await until(() => expect(uuids()).toEqual(['k-old']));
    clearMissedCalls();
    expect(uuids()).toEqual([]);
    await until(async () => expect(await stored(KIMURA_ID)).toEqual([]));
    expect(await stored(SATO_ID)).toEqual(['s-old']);
  });

  it('a PBX logout hides a known user’s list (kept for them); the next login sees only their own', async () => {
    bind();
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).not.toBeNull());
    goLive(T0_US / 1000);
    hangup('s1', T0_US + 1e6);
    status(SATO, 'stopped', { stopReason: 'logout' });
    expect(uuids()).toEqual([]);
    expect(getMissedCallsOwner()).toBeNull();
    await until(async () => expect(await stored(SATO_ID)).toEqual(['s1']));
    status(KIMURA, 'live');
    await until(() => expect(getMissedCallsOwner()).toEqual({ username: 'kimura', domain: 'test1' }));
    expect(uuids()).toEqual([]);
  });

  it('the console’s own log-out hides a known user’s list (kept for them) until the console is live again', async () => {
    await db.commit(SATO_ID, [storedCall('s-old', T0_US)], []);
    bind();
    status(SATO);
    await until(() => expect(uuids()).toEqual(['s-old']));
    await clearMissedCallsOnLogout();
    expect(uuids()).toEqual([]);
    status(SATO, 'reconnecting');
    expect(getMissedCallsOwner()).toBeNull();
    goLive(T0_US / 1000 + 1_000, [], 2);
    await until(() => expect(uuids()).toEqual(['s-old']));
  });
});

describe('missed calls without a session endpoint (a real PBX): this browser’s list on this PBX', () => {
  it('is kept per origin, survives a reload, and is deleted by a PBX logout', async () => {
    bind();
    status(null, 'connecting', { sessionEndpoint: 'absent' });
    expect(getMissedCallsOwner()).toEqual({ origin: ORIGIN });
    goLive(T0_US / 1000);
    hangup('b1', T0_US + 1e6);
    hangup('b2', T0_US + 2e6);
    flushMissedCalls();
    await until(async () => expect(await stored(OFFICE_ID)).toEqual(['b2', 'b1']));

    reload();
    bind();
    expect(uuids()).toEqual([]); // the endpoint is not known absent yet in the new page
    status(null, 'connecting', { sessionEndpoint: 'absent' });
    await until(() => expect(uuids()).toEqual(['b2', 'b1']));

    status(null, 'stopped', { stopReason: 'logout', sessionEndpoint: 'absent' });
    expect(uuids()).toEqual([]);
    await until(async () => expect(await stored(OFFICE_ID)).toEqual([]));
    expect([...mem.keys()].filter((k) => k.includes(OFFICE_ID))).toEqual([]);
  });

  it('shown at load while the PBX cannot be reached, when it was this browser’s list last time', async () => {
    bind();
    status(null, 'connecting', { sessionEndpoint: 'absent' });
    goLive(T0_US / 1000);
    hangup('b1', T0_US + 1e6);
    flushMissedCalls();
    await until(async () => expect(await stored(OFFICE_ID)).toEqual(['b1']));
    reload();
    bind();
    status(null, 'connecting'); // first attempt, nothing known yet
    expect(getMissedCallsOwner()).toBeNull();
    status(null, 'reconnecting'); // the PBX does not answer
    await until(() => expect(uuids()).toEqual(['b1']));
    // a known user's list used since: not shown before the PBX answers
    status(SATO, 'live');
    reload();
    bind();
    status(null, 'reconnecting');
    expect(getMissedCallsOwner()).toBeNull();
  });

  it('the console’s own log-out deletes it too; "log in to the PBX" only hides it', async () => {
    bind();
    status(null, 'connecting', { sessionEndpoint: 'absent' });
    goLive(T0_US / 1000);
    hangup('b1', T0_US + 1e6);
    status(null, 'reconnecting', { sessionEndpoint: 'absent', loginRequired: true });
    expect(uuids()).toEqual([]);
    goLive(T0_US / 1000 + 5_000, [], 2);
    await until(() => expect(uuids()).toContain('b1'));
    await clearMissedCallsOnLogout();
    expect(uuids()).toEqual([]);
    expect(await stored(OFFICE_ID)).toEqual([]);
    // not taken up again until the console is live after the next log-in
    status(null, 'reconnecting', { sessionEndpoint: 'absent' });
    expect(getMissedCallsOwner()).toBeNull();
  });

  it('owner of a state: user, browser or none', () => {
    const conn = (status: ConnectionInfo['status'], over: Partial<ConnectionInfo> = {}) => ({ ...useConsoleStore.getState().connection, status, ...over });
    expect(missedCallsOwnerOf({ session: null, connection: conn('connecting') }, ORIGIN)).toBeNull();
    expect(missedCallsOwnerOf({ session: null, connection: conn('connecting', { sessionEndpoint: 'absent' }) }, ORIGIN)).toEqual({ origin: ORIGIN });
    expect(missedCallsOwnerOf({ session: null, connection: conn('live') }, ORIGIN)).toEqual({ origin: ORIGIN });
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('live') }, ORIGIN)).toEqual({ username: 'sato', domain: 'test1' });
    expect(missedCallsOwnerOf({ session: { ...SATO, domain: undefined }, connection: conn('live') }, ORIGIN)).toEqual({ username: 'sato', domain: null });
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('stopped', { stopReason: 'connection_replaced' }) }, ORIGIN)).not.toBeNull();
    expect(missedCallsOwnerOf({ session: SATO, connection: conn('stopped', { stopReason: 'logout' }) }, ORIGIN)).toBeNull();
    expect(missedCallsOwnerOf({ session: null, connection: conn('stopped', { stopReason: 'unauthorized' }) }, ORIGIN)).toBeNull();
    expect(missedCallsOwnerOf({ session: null, connection: conn('reconnecting', { sessionEndpoint: 'absent', loginRequired: true }) }, ORIGIN)).toBeNull();
    expect(missedCallsOwnerOf({ session: null, connection: conn('reconnecting') }, ORIGIN, true)).toEqual({ origin: ORIGIN });
    expect(missedCallsOwnerOf({ session: null, connection: conn('reconnecting', { sessionEndpoint: 'present' }) }, ORIGIN, true)).toBeNull();
  });
});

describe('a whole day, retention and storage problems', () => {
  it('a busy day through the store: 2,500 missed calls (past the old 500 cap) all kept, saved in batches and back after a reload', async () => {
    let commits = 0;
    const counting: MissedCallsBackend = { ...db, commit: (o, p, d) => (commits++, db.commit(o, p, d)) };
    bind({ backend: counting });
    status(SATO);
    goLive(T0_US / 1000);
    for (let b = 0; b < 250; b++) {
      const at = T0_US + b * 13e6;
      nowMs = at / 1000;
      applyWorkerBatch(
        batch(
          Array.from({ length: 10 }, (_, i) => ({ type: 'info_event' as const, element: 'channel', event: 'removed', data: { ...caller(`d${b}-${i}`, at - 20e6), last_event: 'CHANNEL_HANGUP', hangup_timestamp: at + i } })),
          { receivedAtMs: at / 1000 },
        ),
        null,
      );
    }
    expect(uuids()).toHaveLength(2_500);
    flushMissedCalls();
    // one transaction of 2,500 records: fake-indexeddb on a busy 2-core machine takes seconds
    await until(async () => expect((await db.load(SATO_ID)).length).toBe(2_500), { timeout: 20_000, interval: 100 });
    expect(commits).toBeLessThan(10); // batched, not one transaction per call or per batch
    reload();
    bind();
    status(SATO);
    await until(() => expect(uuids()).toHaveLength(2_500), { timeout: 20_000, interval: 100 });
    expect(uuids()[0]).toBe('d249-9');
  });

  it('drops calls from before the previous working day past the limit and says so in the panel’s notices', async () => {
    const day = (d: number, h: number) => new Date(2026, 11, d, h).getTime() * 1000; // December 2026, local
    const older = Array.from({ length: 510 }, (_, i) => storedCall(`old-${i}`, day(1, 9) + i * 1e6));
    await db.commit(SATO_ID, [...older, storedCall('mon', day(7, 9))], []);
    nowMs = day(8, 10) / 1000; // Tuesday 12-08
    bind();
    status(SATO);
    await until(() => expect(uuids()).toHaveLength(511), { timeout: 10_000 });
    await db.load(SATO_ID); // (let the first save run) nothing dropped before the PBX clock is known from a live connection
    expect(uuids()).toHaveLength(511);
    goLive(nowMs);
    await until(() => expect(uuids()).toHaveLength(501));
    expect(uuids()[0]).toBe('mon');
    expect(useMissedNotices.getState().notices).toEqual([{ kind: 'retention', count: 10, beforeUs: day(7, 0) }]);
    await until(async () => expect((await stored(SATO_ID)).length).toBe(501), { timeout: 10_000 });
  });

  it('a full disk: the oldest calls go (the store’s list and IndexedDB alike), the newest stay, and the panel says why', async () => {
    let full = false;
    const quota: MissedCallsBackend = {
      ...db,
      commit: async (o, puts, dels) => {
        if (full && puts.length > 1) throw new MissedCallsStorageError('saving missed calls failed', new DOMException('quota', 'QuotaExceededError'));
        await db.commit(o, puts, dels);
      },
    };
    bind({ backend: quota });
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).not.toBeNull());
    goLive(T0_US / 1000);
    full = true;
    for (let i = 0; i < 8; i++) hangup(`c${i}`, T0_US + (i + 1) * 1e6);
    flushMissedCalls();
    await until(() => expect(useMissedNotices.getState().notices.map((n) => n.kind)).toContain('quota'));
    await until(async () => expect(await stored(SATO_ID)).toEqual(['c7']));
    expect(uuids()).toEqual(['c7']);
    expect(useMissedNotices.getState().notices.find((n) => n.kind === 'quota')).toMatchObject({ count: 7, untilUs: T0_US + 7e6 });
  });
});

describe('outage markers: one per real outage, none for a reload or a quick reconnect', () => {
  const markers = () => useConsoleStore.getState().missedCalls.filter(isOutageMarker);

  it('a reload 3 s after the last live moment adds none; one 60 s later adds one', async () => {
    bind();
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).not.toBeNull());
    goLive(T0_US / 1000);
    nowMs += 1_000;
    window.dispatchEvent(new Event('pagehide')); // saves the live-until mark
    reload();
    nowMs += 3_000;
    bind();
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).not.toBeNull());
    goLive(nowMs);
    expect(markers()).toEqual([]);

    window.dispatchEvent(new Event('pagehide'));
    reload();
    nowMs += 60_000;
    bind();
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).not.toBeNull());
    goLive(nowMs);
    expect(markers()).toHaveLength(1);
    expect(markers()[0].outage.toUs - markers()[0].outage.fromUs).toBe(60_000_000);
  });

  it('a quick reconnect adds none, unless a caller who was ringing is gone when it comes back; a long drop adds exactly one', async () => {
    bind();
    status(SATO);
    await until(() => expect(getMissedCallsOwner()).not.toBeNull());
    goLive(T0_US / 1000, ['ring-1']);
    status(SATO, 'reconnecting');
    nowMs += 2_000;
    goLive(nowMs, ['ring-1'], 2); // still ringing: nothing lost
    expect(markers()).toEqual([]);
    status(SATO, 'reconnecting');
    nowMs += 2_000;
    goLive(nowMs, [], 3); // ring-1 ended unseen
    expect(markers()).toHaveLength(1);
    status(SATO, 'reconnecting');
    nowMs += 45_000;
    goLive(nowMs, [], 4);
    expect(markers()).toHaveLength(2); // the store's marker for the long drop, not a second one
  });
});

/** A stored missed call (JSON shape), made up. */
function storedCall(uuid: string, endedAtUs: number): MissedCall {
  return {
    uuid,
    callerNumber: '0312345678',
    callerName: null,
    endUser: null,
    called: { kind: 'group', id: 1, name: '代表', number: null },
    offeredAtUs: endedAtUs - 30e6,
    endedAtUs,
    waitedMs: 30_000,
    disposition: { side: null, cause: 'NO_ANSWER', raw: null },
    abandoned: false,
    internal: false,
    endedIn: 'calling',
  };
}
