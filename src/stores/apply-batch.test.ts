import { describe, expect, it } from 'vitest';
import { applyBatch, COW_MIN_SIZE, elementKey } from './apply-batch.ts';
import { CowMap } from './cow-map.ts';
import { initialConsoleData, type ConsoleData } from './console-state.ts';
import { newPendingAction } from './pending-actions.ts';
import { GROUP_ID, T0_US, USER_A, batch, caller, group, keyed, user, userLeg } from './test-fixtures.ts';

const ctx = { nowMs: T0_US / 1000 + 60_000, clockOffsetMs: 0 };
const apply = (s: ConsoleData, b: Parameters<typeof applyBatch>[1]): ConsoleData => ({ ...s, ...applyBatch(s, b, ctx) });

function liveState(): ConsoleData {
  let s = initialConsoleData();
  s = apply(
    s,
    batch(
      [
        { type: 'field_spec', element: 'channel', fields: ['uuid'] },
        { type: 'initial_info', element: 'user', data: keyed(user(USER_A)) },
        { type: 'initial_info', element: 'group', data: keyed(group(GROUP_ID)) },
        { type: 'initial_info', element: 'channel', data: keyed(caller('c1', T0_US), caller('c2', T0_US + 1)) },
      ],
      { freshSnapshot: true, goLive: true },
    ),
  );
  return s;
}

describe('applyBatch', () => {
  it('initial_info replaces a whole element map, keyed by uuid / id, and goes live', () => {
    const s = liveState();
    expect([...s.channel.keys()]).toEqual(['c1', 'c2']);
    expect(s.user.get(String(USER_A))?.name).toBe(`user${USER_A}`);
    expect(s.connection.status).toBe('live');
    expect(s.connection.snapshotConnectionId).toBe(1);
    expect(s.connection.lastUpdateAt).toBe(T0_US / 1000);
    const again = apply(s, batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('c3', T0_US)) }]));
    expect([...again.channel.keys()]).toEqual(['c3']);
  });

  it('kindsSent: the element kinds the PBX sent since the snapshot; a fresh snapshot starts over', () => {
    const s = liveState();
    expect([...s.kindsSent].sort()).toEqual(['channel', 'group', 'user']); // not the field_spec's
    const same = apply(s, batch([{ type: 'info_event', element: 'channel', data: caller('c4', T0_US), event: 'added' }]));
    expect(same.kindsSent).toBe(s.kindsSent);
    const w = apply(s, batch([{ type: 'initial_info', element: 'channel_waiting', data: {} }]));
    expect(w.kindsSent.has('channel_waiting')).toBe(true);
    const fresh = apply(w, batch([{ type: 'initial_info', element: 'channel', data: {} }], { freshSnapshot: true, connectionId: 2 }));
    expect([...fresh.kindsSent]).toEqual(['channel']);
  });

  it('only state (initial_info / info_event) sets the last update: a tab refused at once has no data yet', () => {
    const refused = apply(initialConsoleData(), batch([{ type: 'system_msg', msg: 'connection_limit_reached' }]));
    expect(refused.connection.lastUpdateAt).toBeNull();
    expect(refused.systemMessages.map((m) => m.text)).toEqual(['connection_limit_reached']);
  });

  it('a big map changes by versions that share its entries (CowMap), leaving every earlier version as it was', () => {
    const n = COW_MIN_SIZE + 10;
    let s = apply(initialConsoleData(), batch([{ type: 'initial_info', element: 'user', data: keyed(...Array.from({ length: n }, (_, i) => user(i + 1))) }]));
    const first = s.user;
    const history: Array<[ConsoleData['user'], number]> = [];
    for (let v = 0; v < 300; v++) {
      const id = (v * 37) % n + 1;
      s = apply(s, batch([{ type: 'info_event', element: 'user', event: 'updated', data: user(id, { presence: v % 4, mwi: `${v}/0` }) }]));
      history.push([s.user, v]);
    }
    expect(s.user).toBeInstanceOf(CowMap);
    expect(s.user.size).toBe(n);
    expect([...s.user.keys()]).toEqual([...first.keys()]); // updates keep the order
    expect(first.get('38')?.mwi).toBe(user(38).mwi);
    for (const [map, v] of history) expect(map.get(String(((v * 37) % n) + 1))?.mwi).toBe(`${v}/0`);
    const removed = apply(s, batch([{ type: 'info_event', element: 'user', event: 'removed', data: user(1) }]));
    expect(removed.user.has('1')).toBe(false);
    expect(s.user.has('1')).toBe(true);
    expect(removed.user.size).toBe(n - 1);
  });

  it('info_event added/updated sets, removed deletes, with a new Map only for the changed kind', () => {
    const s = liveState();
    const added = apply(s, batch([{ type: 'info_event', element: 'channel', event: 'added', data: caller('c9', T0_US + 9) }]));
    expect(added.channel).not.toBe(s.channel);
    expect(added.channel.has('c9')).toBe(true);
    expect(added.user).toBe(s.user); // untouched maps keep their identity
    const updated = apply(added, batch([{ type: 'info_event', element: 'user', event: 'updated', data: user(USER_A, { do_not_disturb_status: 1 }) }]));
    expect(updated.user.get(String(USER_A))?.do_not_disturb_status).toBe(1);
    const removed = apply(updated, batch([{ type: 'info_event', element: 'channel', event: 'removed', data: caller('c1', T0_US) }]));
    expect(removed.channel.has('c1')).toBe(false);
    expect(removed.channel.has('c9')).toBe(true);
  });

  it('CHANNEL_HANGUP takes the channel away (from every channel-like map) even as an update', () => {
    let s = liveState();
    s = apply(s, batch([{ type: 'info_event', element: 'channel_waiting', event: 'added', data: caller('c1', T0_US) }]));
    expect(s.channel_waiting.has('c1')).toBe(true);
    s = apply(
      s,
      batch([{ type: 'info_event', element: 'channel', event: 'updated', data: { ...caller('c1', T0_US), last_event: 'CHANNEL_HANGUP', last_event_data: 'recv_cancel,ORIGINATOR_CANCEL' } }]),
    );
    expect(s.channel.has('c1')).toBe(false);
    expect(s.channel_waiting.has('c1')).toBe(false);
  });

  it('records a missed call on an unanswered hangup, once per uuid', () => {
    let s = liveState();
    const hang = { ...caller('c1', T0_US), last_event: 'CHANNEL_HANGUP', last_event_data: 'recv_cancel,ORIGINATOR_CANCEL', hangup_timestamp: T0_US + 30_000_000 };
    s = apply(s, batch([{ type: 'info_event', element: 'channel', event: 'removed', data: hang }]));
    expect(s.missedCalls).toHaveLength(1);
    expect(s.missedCalls[0]).toMatchObject({ uuid: 'c1', waitedMs: 30_000, abandoned: true, called: { kind: 'group', id: GROUP_ID, name: `グループ${GROUP_ID}` } });
    const before = s.missedCalls;
    s = apply(s, batch([{ type: 'info_event', element: 'channel', event: 'removed', data: hang }]));
    expect(s.missedCalls).toBe(before);
    // an answered call is not missed
    s = apply(s, batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...userLeg('c2', USER_A, 'x', T0_US), direction: 'inbound', last_event: 'CHANNEL_HANGUP' } }]));
    expect(s.missedCalls).toHaveLength(1);
  });

  it('does not list a caller the operator hung up on purpose (this console sent hangup), other hang-ups still count', () => {
    let s = liveState();
    // the operator hangs up c1 by naming the user's ringing leg; c1 is a leg of that call
    s = apply(s, batch([{ type: 'info_event', element: 'channel', event: 'added', data: { ...userLeg('leg1', USER_A, 'c1', T0_US), state: { ts: T0_US, name: 'calling', data: {} } } }]));
    s = { ...s, pendingActions: [newPendingAction('a1', { cmd: 'hangup', uuid: 'leg1' }, s, ctx.nowMs)] };
    expect(s.pendingActions[0].relatedUuids).toContain('c1');
    const hang = (uuid: string) => ({ ...caller(uuid, T0_US), last_event: 'CHANNEL_HANGUP', last_event_data: 'send_bye,NORMAL_CLEARING', hangup_timestamp: T0_US + 9_000_000 });
    s = apply(
      s,
      batch([
        { type: 'info_event', element: 'channel', event: 'removed', data: hang('c1') },
        { type: 'info_event', element: 'channel', event: 'removed', data: { ...userLeg('leg1', USER_A, 'c1', T0_US), last_event: 'CHANNEL_HANGUP' } },
      ]),
    );
    expect(s.missedCalls).toEqual([]);
    expect(s.pendingActions[0].status).toBe('done');
    // still excluded when its leg's event comes in a later batch (the action is done, not pruned)
    s = apply(s, batch([{ type: 'info_event', element: 'channel_waiting', event: 'removed', data: hang('c1') }]));
    expect(s.missedCalls).toEqual([]);
    // a caller who hangs up by themselves is still missed
    s = apply(s, batch([{ type: 'info_event', element: 'channel', event: 'removed', data: { ...hang('c2'), last_event_data: 'recv_cancel,ORIGINATOR_CANCEL' } }]));
    expect(s.missedCalls.map((c) => c.uuid)).toEqual(['c2']);
  });

  it('reconnect: the fresh snapshot replaces stale channel maps — no ghost calls, no duplicates', () => {
    let s = liveState();
    s = apply(s, batch([{ type: 'info_event', element: 'queued_channel', event: 'added', data: caller('ghost-q', T0_US) }]));
    s = apply(s, batch([{ type: 'info_event', element: 'parked_channel', event: 'added', data: caller('ghost-p', T0_US) }]));
    // drop: the store is told 'reconnecting' (not by this reducer); the next connection's first batch
    const next = apply(
      { ...s, connection: { ...s.connection, status: 'reconnecting' } },
      batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('c2', T0_US + 1), caller('c4', T0_US + 4)) }], {
        connectionId: 2,
        freshSnapshot: true,
        goLive: true,
      }),
    );
    expect([...next.channel.keys()]).toEqual(['c2', 'c4']); // c1 ended while we were away: gone
    expect(next.queued_channel.size).toBe(0); // not re-sent by the new server: cleared, not stale
    expect(next.parked_channel.size).toBe(0);
    expect(next.user).toBe(s.user); // non-channel kinds are kept until their own initial_info
    expect(next.connection).toMatchObject({ status: 'live', attempt: 0, snapshotConnectionId: 2, connectionId: 2 });
  });

  it('keeps system messages (bounded) and counts diagnostics', () => {
    let s = liveState();
    s = apply(
      s,
      batch([{ type: 'system_msg', msg: 'maintenance at 22:00' }, { type: 'msg', msg: 'hello from admin' }], {
        frames: 3,
        badFrames: 1,
        badRecords: 2,
        errors: ['bad frame: TRUNCATED'],
      }),
    );
    expect(s.systemMessages.map((m) => [m.kind, m.text])).toEqual([
      ['system_msg', 'maintenance at 22:00'],
      ['msg', 'hello from admin'],
    ]);
    expect(s.diagnostics).toMatchObject({ badFrames: 1, badRecords: 2, framesReceived: 4 + 3 });
    expect(s.diagnostics.lastErrors.map((e) => e.message)).toEqual(['bad frame: TRUNCATED']);
    for (let i = 0; i < 80; i++) s = apply(s, batch([{ type: 'msg', msg: `m${i}` }]));
    expect(s.systemMessages).toHaveLength(50);
    expect(s.systemMessages.at(-1)?.text).toBe('m79');
  });

  it('counts problems since the last full snapshot: a new connection\'s snapshot starts them again', () => {
    let s = liveState();
    expect(s.diagnostics.problemsSinceSnapshot).toBe(0);
    s = apply(s, batch([], { frames: 2, badFrames: 1, badRecords: 1 }));
    s = apply(s, batch([], { frames: 1, badRecords: 1 }));
    expect(s.diagnostics).toMatchObject({ badFrames: 1, badRecords: 2, problemsSinceSnapshot: 3 });
    // the next connection's snapshot replaces everything: 0, plus what that batch itself had
    const fresh = (badRecords: number) =>
      batch([{ type: 'initial_info', element: 'channel', data: keyed(caller('c9', T0_US)) }], { freshSnapshot: true, goLive: true, frames: 1, badRecords });
    expect(apply(s, fresh(0)).diagnostics).toMatchObject({ badRecords: 2, problemsSinceSnapshot: 0 });
    expect(apply(s, fresh(1)).diagnostics).toMatchObject({ badRecords: 3, problemsSinceSnapshot: 1 });
  });

  it('counts a record without its key as bad instead of storing it under "undefined"', () => {
    let s = liveState();
    s = apply(s, batch([{ type: 'info_event', element: 'user', event: 'updated', data: { name: 'no id' } }]));
    expect(s.user.has('undefined')).toBe(false);
    expect(s.diagnostics.badRecords).toBe(1);
    expect(elementKey('channel', { uuid: 'u1', id: 4 })).toBe('u1');
    expect(elementKey('terminal', { id: 4n })).toBe('4');
  });

  it('ignores unknown element kinds and sets the clock offset', () => {
    const s = liveState();
    const patch = applyBatch(s, batch([{ type: 'info_event', element: 'conference_room', event: 'added', data: { id: 1 } }]), { ...ctx, clockOffsetMs: 1234 });
    expect(Object.keys(patch).sort()).toEqual(['clockOffsetMs', 'connection', 'diagnostics']);
    expect(patch.clockOffsetMs).toBe(1234);
  });
});
