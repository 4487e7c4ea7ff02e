import { describe, expect, it } from 'vitest';
import type { CtiMessage } from '../../stores/cti-types.ts';
import { ActionWatcher, PendingMessages } from './coalesce.ts';
import { applyBatch } from '../../stores/apply-batch.ts';
import { initialConsoleData } from '../../stores/console-state.ts';
import { expectationOf, newPendingAction } from '../../stores/pending-actions.ts';
import { T0_US, USER_A, USER_B, batch, caller, keyed, userLeg } from '../../stores/test-fixtures.ts';

const ev = (element: string, data: Record<string, unknown>, event = 'updated'): CtiMessage =>
  ({ type: 'info_event', element, data, event }) as CtiMessage;
const init = (element: string, data: Record<string, unknown>): CtiMessage => ({ type: 'initial_info', element, data }) as CtiMessage;
const run = (...ms: CtiMessage[]): CtiMessage[] => {
  const p = new PendingMessages();
  ms.forEach((m) => p.push(m));
  return p.take();
};

describe('PendingMessages (worker-side coalescing)', () => {
  it('keeps the last info_event per element + key, at the first one\'s place', () => {
    const a1 = ev('user', { id: 1, mwi: '1/0' });
    const b = ev('user', { id: 2, mwi: '5/0' });
    const a2 = ev('user', { id: 1, mwi: '2/0' });
    const a3 = ev('user', { id: 1, mwi: '3/0' });
    expect(run(a1, b, a2, a3)).toEqual([a3, b]);
  });

  it('added then removed = removed; removed then added = added', () => {
    const added = ev('channel', { uuid: 'c1', state: { name: 'calling' } }, 'added');
    const removed = ev('channel', { uuid: 'c1' }, 'removed');
    expect(run(added, removed)).toEqual([removed]);
    expect(run(removed, added)).toEqual([added]);
  });

  it('does not merge across element kinds with the same key', () => {
    const u = ev('user', { id: 7 });
    const g = ev('group', { id: 7 });
    expect(run(u, g)).toEqual([u, g]);
  });

  it('never merges a hang-up away, and later events of that uuid (any channel-like kind) come after it', () => {
    const upd = ev('channel', { uuid: 'c1', answer_timestamp: 5 });
    const wait = ev('channel_waiting', { uuid: 'c1' });
    const hang = ev('channel', { uuid: 'c1', last_event: 'CHANNEL_HANGUP' });
    const again = ev('channel', { uuid: 'c1', state: { name: 'calling' } }, 'added');
    const wait2 = ev('channel_waiting', { uuid: 'c1' }, 'added');
    expect(run(upd, wait, hang, again, wait2)).toEqual([upd, wait, hang, again, wait2]);
    const hang2 = ev('channel', { uuid: 'c1', last_event: 'CHANNEL_HANGUP' });
    expect(run(hang, hang2)).toEqual([hang, hang2]);
  });

  it('an initial_info supersedes earlier events and snapshots of its element, not hang-ups or other kinds', () => {
    const u = ev('user', { id: 1 });
    const c = ev('channel', { uuid: 'c9' });
    const hang = ev('channel', { uuid: 'c8', last_event: 'CHANNEL_HANGUP' });
    const snap1 = init('channel', {});
    const snap2 = init('channel', { c1: { uuid: 'c1' } });
    const after = ev('channel', { uuid: 'c9', state: { name: 'bridged' } });
    const after2 = ev('channel', { uuid: 'c9', state: { name: 'park' } });
    expect(run(u, c, hang, snap1, snap2, after, after2)).toEqual([u, hang, snap2, after2]);
  });

  it('keeps other messages and keyless records in order', () => {
    const spec = { type: 'field_spec', element: 'user', fields: ['id'] } as unknown as CtiMessage;
    const sys = { type: 'system_msg', msg: 'x' } as CtiMessage;
    const bad1 = ev('user', { name: 'no id' });
    const bad2 = ev('user', { name: 'no id' });
    expect(run(spec, bad1, sys, bad2)).toEqual([spec, bad1, sys, bad2]);
  });

  it('take() empties it and resets the index', () => {
    const p = new PendingMessages();
    const a = ev('user', { id: 1 });
    p.push(a);
    expect(p.take()).toEqual([a]);
    expect(p.size).toBe(0);
    const b = ev('user', { id: 1, x: 1 });
    p.push(b);
    expect(p.take()).toEqual([b]);
  });
});

// The call the operator acts on: caller c1 ringing a group (made-up data).
const ringing = caller('c1', T0_US);
const parkedState = { ts: T0_US + 2, name: 'park', data: { slot: 903, parker_id: USER_A, parker_name: 'op' } };
const pickedUp = { ...ringing, other_uuid: 'b1', answer_timestamp: T0_US + 3, state: { ts: T0_US + 3, name: 'bridged', data: {} } };
const mapsWith = (...cs: Array<Record<string, unknown>>) => ({ ...initialConsoleData(), channel: new Map(cs.map((c) => [String(c.uuid), c])) }) as ReturnType<typeof initialConsoleData>;
const SENT_MS = 5_000;

describe('what coalescing must not lose', () => {
  it('a park that came and went within one held batch is merged away, but the watcher saw it', () => {
    const park = newPendingAction('p1', { cmd: 'park', uuid: 'c1' }, mapsWith(ringing), SENT_MS);
    const w = new ActionWatcher();
    w.add('p1', expectationOf(park), SENT_MS + 15_000);
    const p = new PendingMessages();
    const seen: string[] = [];
    for (const m of [ev('channel', { ...ringing, state: parkedState }), ev('channel', pickedUp)]) {
      seen.push(...w.observe(m, SENT_MS + 100));
      p.push(m);
    }
    // The store would only ever see the picked-up call: the park state is gone...
    const out = p.take();
    expect(out).toHaveLength(1);
    expect((out[0] as { data: { state: { name: string } } }).data.state.name).toBe('bridged');
    // ...but the action's effect was witnessed, once.
    expect(seen).toEqual(['p1']);
    expect(w.size).toBe(0);
  });

  it('watches only its own call and effect, and stops after its time', () => {
    const x = expectationOf(newPendingAction('t1', { cmd: 'transfer', uuid: 'c1', user_id: USER_B }, mapsWith(ringing), SENT_MS));
    const w = new ActionWatcher();
    w.add('t1', x, SENT_MS + 1_000);
    const ringsB = { ...ringing, state: { ts: T0_US + 2, name: 'calling', data: { target_type: 'user', user_id: USER_B } } };
    expect(w.observe(ev('channel', { ...ringsB, uuid: 'other' }), SENT_MS + 10)).toEqual([]); // another call
    expect(w.observe(ev('channel', { ...ringing, state: { ...ringsB.state, data: { target_type: 'user', user_id: USER_A } } }), SENT_MS + 10)).toEqual([]); // another user
    expect(w.observe(ev('channel', ringsB, 'removed'), SENT_MS + 10)).toEqual([]); // a removal shows nothing
    expect(w.observe(ev('user', { id: USER_B }), SENT_MS + 10)).toEqual([]);
    expect(w.observe({ type: 'initial_info', element: 'channel', data: { c1: ringsB } } as CtiMessage, SENT_MS + 10)).toEqual([]);
    // B's new leg pointing at the caller is the transfer's effect
    const bLeg = { ...userLeg('b1', USER_B, 'c1', T0_US + 2), state: { ts: T0_US + 2, name: 'calling', data: {} } };
    expect(w.observe(ev('channel', bLeg, 'added'), SENT_MS + 10)).toEqual(['t1']);
    // past its time a watch is dropped without a witness
    w.add('t2', x, SENT_MS + 1_000);
    expect(w.observe(ev('channel', ringsB), SENT_MS + 1_001)).toEqual([]);
    expect(w.size).toBe(0);
  });

  it('a hang-up and a legacy parked_channel are witnessed; clear() forgets every watch', () => {
    const maps = mapsWith(ringing);
    const w = new ActionWatcher();
    w.add('h1', expectationOf(newPendingAction('h1', { cmd: 'hangup', uuid: 'c1' }, maps, SENT_MS)), Infinity);
    w.add('p1', expectationOf(newPendingAction('p1', { cmd: 'park', uuid: 'c1' }, maps, SENT_MS)), Infinity);
    expect(w.observe(ev('parked_channel', { uuid: 'c1' }, 'added'), 1)).toEqual(['p1']);
    expect(w.observe(ev('channel', { ...ringing, last_event: 'CHANNEL_HANGUP' }), 2)).toEqual(['h1']);
    w.add('p2', expectationOf(newPendingAction('p2', { cmd: 'park', uuid: 'c1' }, maps, SENT_MS)), Infinity);
    w.clear();
    expect(w.observe(ev('channel', { ...ringing, state: parkedState }), 3)).toEqual([]);
  });

  it('a call that rang and hung up within one held batch is still a missed call', () => {
    const p = new PendingMessages();
    p.push(ev('channel', ringing, 'added'));
    p.push(ev('channel', { ...ringing, state: { ...ringing.state, ts: T0_US + 1 } }));
    p.push(ev('channel', { ...ringing, last_event: 'CHANNEL_HANGUP', last_event_data: 'recv_cancel,ORIGINATOR_CANCEL', hangup_timestamp: T0_US + 9 }));
    const start = { ...initialConsoleData(), ...applyBatch(initialConsoleData(), batch([{ type: 'initial_info', element: 'channel', data: keyed() }], { freshSnapshot: true, goLive: true }), { nowMs: T0_US / 1000, clockOffsetMs: 0 }) };
    const out = applyBatch(start, batch(p.take()), { nowMs: T0_US / 1000 + 10, clockOffsetMs: 0 });
    expect(out.missedCalls).toHaveLength(1);
    expect(out.missedCalls![0]).toMatchObject({ uuid: 'c1', abandoned: true });
  });
});
