import { describe, expect, it } from 'vitest';
import type { CtiMessage } from '../../stores/cti-types.ts';
import { PendingMessages } from './coalesce.ts';

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
