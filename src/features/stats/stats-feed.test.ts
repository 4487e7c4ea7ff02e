// The statistics beside a store, saved to IndexedDB (fake-indexeddb) and back after a "reload".
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import { applyBatch } from '../../stores/apply-batch.ts';
import { initialConsoleData, type ConsoleData } from '../../stores/console-state.ts';
import type { Channel, CtiMessage } from '../../stores/cti-types.ts';
import { batch, caller, group, GROUP_ID } from '../../stores/test-fixtures.ts';
import { groupStats } from '../../lib/queue-stats.ts';
import { openQueueStatsDb } from '../../lib/queue-stats-db.ts';
import { startQueueStats, useQueueStats } from './stats-feed.ts';

const TZ = 'Asia/Tokyo';
const waitLong = { timeout: 10_000, interval: 20 };

function makeStore() {
  return create<ConsoleData>()(() => ({ ...initialConsoleData(), group: new Map([[String(GROUP_ID), group(GROUP_ID)]]) }));
}
function send(store: ReturnType<typeof makeStore>, messages: CtiMessage[], fresh = false) {
  const s = store.getState();
  const now = Date.now();
  store.setState(applyBatch(s, batch(messages, { receivedAtMs: now, freshSnapshot: fresh, connectionId: 1 }), { nowMs: now, clockOffsetMs: 0 }));
}
const ev = (element: string, data: Channel, event = 'updated'): CtiMessage => ({ type: 'info_event', element, data, event });

let stops: Array<() => void> = [];
afterEach(() => {
  stops.forEach((s) => s());
  stops = [];
});

describe('startQueueStats', () => {
  it('counts from the first live state, saves in batches and restores the day after a reload without counting twice', async () => {
    const db = `stats-test-${Math.random()}`;
    const open = (today: string) => openQueueStatsDb(today, db);
    const store = makeStore();
    stops.push(startQueueStats({ store: store as never, timeZone: TZ, openBackend: open, publishMs: 20, flushMs: 20 }));
    const t = Date.now() * 1000;
    store.setState({ connection: { ...store.getState().connection, status: 'live' } });
    await vi.waitFor(() => expect(useQueueStats.getState().storage).toBe('ready'), waitLong);
    send(store, [ev('channel', caller('a', t)), ev('channel_waiting', caller('a', t))]);
    send(store, [ev('channel', caller('b', t)), ev('channel_waiting', caller('b', t))]);
    send(store, [ev('channel', caller('a', t, { answer_timestamp: t + 5_000_000, state: { ts: t + 5_000_000, name: 'bridged', data: {} } })), ev('channel_waiting', caller('a', t), 'removed')]);
    send(store, [ev('channel', caller('b', t, { last_event: 'CHANNEL_HANGUP', last_event_data: 'recv_cancel,ORIGINATOR_CANCEL', hangup_timestamp: t + 9_000_000 }))]);
    await vi.waitFor(() => expect(groupStats(useQueueStats.getState().day!)[0]).toMatchObject({ offered: 2, answered: 1, abandoned: 1 }), waitLong);
    // wait for a write that holds both outcomes
    await vi.waitFor(async () => {
      const back = await (await open('x')).load(useQueueStats.getState().day!.day);
      expect(groupStats(back!.day)[0]).toMatchObject({ offered: 2, answered: 1, abandoned: 1 });
    }, waitLong);
    stops.forEach((s) => s());
    stops = [];

    // the reload: a new store whose snapshot still holds a (talking); nothing counts twice
    useQueueStats.setState({ day: null, version: 0, storage: 'idle' });
    const again = makeStore();
    send(again, [{ type: 'initial_info', element: 'channel', data: { a: caller('a', t, { answer_timestamp: t + 5_000_000, state: { ts: t + 5_000_000, name: 'bridged', data: {} } }) } }], true);
    stops.push(startQueueStats({ store: again as never, timeZone: TZ, openBackend: open, publishMs: 20, flushMs: 20 }));
    again.setState({ connection: { ...again.getState().connection, status: 'live' } });
    await vi.waitFor(() => expect(useQueueStats.getState().storage).toBe('ready'), waitLong);
    await vi.waitFor(() => expect(groupStats(useQueueStats.getState().day!)[0]).toMatchObject({ offered: 2, answered: 1, abandoned: 1 }), waitLong);
  });

  it('keeps counting in memory when storage cannot be opened', async () => {
    const store = makeStore();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    stops.push(startQueueStats({ store: store as never, timeZone: TZ, openBackend: () => Promise.reject(new Error('blocked')), publishMs: 20, flushMs: 20 }));
    store.setState({ connection: { ...store.getState().connection, status: 'live' } });
    await vi.waitFor(() => expect(useQueueStats.getState().storage).toBe('failed'), waitLong);
    const t = Date.now() * 1000;
    send(store, [ev('channel', caller('c', t)), ev('channel_waiting', caller('c', t))]);
    await vi.waitFor(() => expect(groupStats(useQueueStats.getState().day!)[0]).toMatchObject({ offered: 1 }), waitLong);
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });
});
