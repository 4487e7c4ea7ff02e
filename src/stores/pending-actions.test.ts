import { describe, expect, it } from 'vitest';
import { ACTION_TIMEOUT_MS, SETTLED_ACTION_TTL_MS, initialConsoleData, type ElementsSlice } from './console-state.ts';
import { UNCONFIRMED_MESSAGE, expectationOf, failPendingAction, markWitnessed, newPendingAction, recordShowsEffect, relatedUuidsOf, settlePendingActions } from './pending-actions.ts';
import { T0_US, USER_A, USER_B, caller, userLeg } from './test-fixtures.ts';
import type { Channel } from './cti-types.ts';

const SENT_MS = 1_000_000;

function maps(...channels: Channel[]): ElementsSlice {
  const s = initialConsoleData();
  return { ...s, channel: new Map(channels.map((c) => [c.uuid, c])) };
}

// The operator (USER_A) talks to caller c1 on leg a1.
const bridgedCaller: Channel = { ...caller('c1', T0_US), other_uuid: 'a1', answer_timestamp: T0_US, state: { ts: T0_US + 5, name: 'bridged', data: {} } };
const before = maps(bridgedCaller, userLeg('a1', USER_A, 'c1', T0_US + 5));

describe('pending actions', () => {
  it('knows the legs of the call at send time', () => {
    expect(relatedUuidsOf('a1', before).sort()).toEqual(['a1', 'c1']);
    expect(relatedUuidsOf('c1', before).sort()).toEqual(['a1', 'c1']);
    expect(relatedUuidsOf('zz', before)).toEqual(['zz']);
  });

  it('hangup resolves when the channel is gone', () => {
    const a = newPendingAction('h', { cmd: 'hangup', uuid: 'c1' }, before, SENT_MS);
    expect(settlePendingActions([a], before, [], SENT_MS + 100)).toEqual([a]);
    const [done] = settlePendingActions([a], maps(), [], SENT_MS + 200);
    expect(done).toMatchObject({ status: 'done', settledAtMs: SENT_MS + 200, message: null });
  });

  it('park resolves when any leg of the call is in park state, whichever leg was named', () => {
    const a = newPendingAction('p', { cmd: 'park', uuid: 'a1' }, before, SENT_MS);
    const parked = maps({ ...bridgedCaller, other_uuid: undefined, state: { ts: T0_US + 9, name: 'park', data: { slot: 903, parker_id: USER_A, parker_name: 'user' } } });
    expect(settlePendingActions([a], parked, [], SENT_MS + 50)[0].status).toBe('done');
    // legacy servers: a parked_channel with the uuid
    const legacy = { ...maps(), parked_channel: new Map([['c1', { uuid: 'c1' }]]) };
    expect(settlePendingActions([a], legacy, [], SENT_MS + 50)[0].status).toBe('done');
  });

  it('transfer resolves when the call rings the target user, or is bridged to them', () => {
    const a = newPendingAction('t', { cmd: 'transfer', uuid: 'c1', user_id: USER_B, user_name: 'b' }, before, SENT_MS);
    expect(a.targetUserId).toBe(USER_B);
    // ringing another user is not it
    const wrong = maps({ ...bridgedCaller, state: { ts: T0_US + 9, name: 'calling', data: { target_type: 'user', user_id: USER_A } } });
    expect(settlePendingActions([a], wrong, [], SENT_MS + 50)[0].status).toBe('pending');
    const ringing = maps({ ...bridgedCaller, other_uuid: undefined, state: { ts: T0_US + 9, name: 'calling', data: { target_type: 'user', user_id: USER_B } } });
    expect(settlePendingActions([a], ringing, [], SENT_MS + 50)[0].status).toBe('done');
    // a new leg of USER_B pointing at the caller
    const newLeg = maps(bridgedCaller, { ...userLeg('b1', USER_B, 'c1', T0_US + 9), state: { ts: T0_US + 9, name: 'calling', data: {} } });
    expect(settlePendingActions([a], newLeg, [], SENT_MS + 50)[0].status).toBe('done');
  });

  it('fails after the timeout with a clear message, not before', () => {
    const a = newPendingAction('h', { cmd: 'hangup', uuid: 'c1' }, before, SENT_MS);
    expect(settlePendingActions([a], before, [], SENT_MS + ACTION_TIMEOUT_MS - 1)[0].status).toBe('pending');
    const [failed] = settlePendingActions([a], before, [], SENT_MS + ACTION_TIMEOUT_MS);
    expect(failed).toMatchObject({ status: 'failed', failure: 'timeout' });
    expect(failed.message).toMatch(/No confirmation from the PBX within 5 s/);
  });

  it('fails only on an error reply naming the call by uuid; a person\'s msg mentioning "transfer" or "park" fails nothing', () => {
    const park = newPendingAction('p', { cmd: 'park', uuid: 'c1-call-uuid' }, before, SENT_MS);
    const xfer = newPendingAction('t', { cmd: 'transfer', uuid: 'zz-other-uuid', user_id: USER_B }, before, SENT_MS);
    const chat = ['Please transfer the Sato call to sales', 'park failed: no free park slot', 'error: something went wrong', 'Lunch is ready'];
    expect(settlePendingActions([park, xfer], before, chat, SENT_MS + 10).map((a) => a.status)).toEqual(['pending', 'pending']);
    const out = settlePendingActions([park, xfer], before, ['error: transfer: unknown channel zz-other-uuid'], SENT_MS + 10);
    expect(out[0].status).toBe('pending');
    expect(out[1]).toMatchObject({ status: 'failed', failure: 'server', message: 'error: transfer: unknown channel zz-other-uuid' });
  });

  it('limited view (not an admin, or the limitedView flag): a time-out or a call gone from view is "sent, not confirmed", not a failure', () => {
    const xfer = newPendingAction('t', { cmd: 'transfer', uuid: 'c1', user_id: USER_B }, before, SENT_MS);
    const plainUser = { ...before, session: { isAdmin: false } };
    const [late] = settlePendingActions([xfer], plainUser, [], SENT_MS + ACTION_TIMEOUT_MS);
    expect(late).toMatchObject({ status: 'unconfirmed', failure: null, message: UNCONFIRMED_MESSAGE });
    const [gone] = settlePendingActions([xfer], { ...maps(), limitedView: true }, [], SENT_MS + 10);
    expect(gone.status).toBe('unconfirmed');
    // full view: the same is a failure
    expect(settlePendingActions([xfer], { ...before, session: { isAdmin: true } }, [], SENT_MS + ACTION_TIMEOUT_MS)[0]).toMatchObject({ status: 'failed', failure: 'timeout' });
    // a confirmation seen later by the worker still makes it done
    expect(markWitnessed([late], ['t'], SENT_MS + ACTION_TIMEOUT_MS + 5)[0].status).toBe('done');
  });

  it('park is confirmed by a channel_waiting in state park (newer servers)', () => {
    const a = newPendingAction('p', { cmd: 'park', uuid: 'a1' }, before, SENT_MS);
    const waiting = { ...before, channel_waiting: new Map([['c1', { uuid: 'c1', state: { ts: T0_US + 9, name: 'park', data: { slot: 904 } } }]]) };
    expect(settlePendingActions([a], waiting as typeof before, [], SENT_MS + 50)[0].status).toBe('done');
    expect(recordShowsEffect(expectationOf(a), 'channel_waiting', waiting.channel_waiting.get('c1') as Channel)).toBe(true);
  });

  it('prunes settled actions after their TTL and returns the same array when nothing changes', () => {
    const a = newPendingAction('h', { cmd: 'hangup', uuid: 'c1' }, before, SENT_MS);
    const list = failPendingAction([a], 'h', 'not_connected', 'Not connected to the PBX', SENT_MS);
    expect(list[0]).toMatchObject({ status: 'failed', failure: 'not_connected' });
    expect(failPendingAction(list, 'h', 'timeout', 'x', SENT_MS)).toBe(list); // already settled
    expect(settlePendingActions(list, before, [], SENT_MS + SETTLED_ACTION_TTL_MS)).toBe(list);
    expect(settlePendingActions(list, before, [], SENT_MS + SETTLED_ACTION_TTL_MS + 1)).toEqual([]);
  });

  it('one record shows the effect: park on any leg, transfer to the target, hang-up of the named leg, eavesdrop on the target', () => {
    const park = expectationOf(newPendingAction('p', { cmd: 'park', uuid: 'a1' }, before, SENT_MS));
    const parked: Channel = { ...bridgedCaller, state: { ts: T0_US + 9, name: 'park', data: { slot: 903 } } };
    expect(recordShowsEffect(park, 'channel', parked)).toBe(true);
    expect(recordShowsEffect(park, 'channel', bridgedCaller)).toBe(false);
    expect(recordShowsEffect(park, 'channel', { ...parked, uuid: 'zz' })).toBe(false);
    expect(recordShowsEffect(park, 'channel', parked, 'removed')).toBe(false);
    expect(recordShowsEffect(park, 'channel', { ...parked, last_event: 'CHANNEL_HANGUP' })).toBe(false);
    expect(recordShowsEffect(park, 'parked_channel', { uuid: 'c1' } as Channel, 'added')).toBe(true);

    const transfer = expectationOf(newPendingAction('t', { cmd: 'transfer', uuid: 'c1', user_id: USER_B }, before, SENT_MS));
    const ringsB: Channel = { ...bridgedCaller, state: { ts: T0_US + 9, name: 'calling', data: { target_type: 'user', user_id: USER_B } } };
    expect(recordShowsEffect(transfer, 'channel', ringsB)).toBe(true);
    expect(recordShowsEffect(transfer, 'channel_waiting', ringsB)).toBe(false);
    expect(recordShowsEffect(transfer, 'channel', { ...ringsB, state: { ...ringsB.state!, data: { target_type: 'user', user_id: USER_A } } })).toBe(false);

    const hangup = expectationOf(newPendingAction('h', { cmd: 'hangup', uuid: 'c1' }, before, SENT_MS));
    expect(recordShowsEffect(hangup, 'channel', { ...bridgedCaller, last_event: 'CHANNEL_HANGUP' })).toBe(true);
    expect(recordShowsEffect(hangup, 'channel', { ...bridgedCaller, uuid: 'a1', last_event: 'CHANNEL_HANGUP' })).toBe(false); // another leg
    expect(recordShowsEffect(hangup, 'channel', bridgedCaller)).toBe(false);

    const eaves = expectationOf(newPendingAction('e', { cmd: 'eavesdrop', uuid: 'm1', target_uuid: 'c1', subcommand: 'listen' }, before, SENT_MS));
    expect(recordShowsEffect(eaves, 'channel', { uuid: 'm1', state: { ts: T0_US, name: 'eavesdrop', data: { uuid: 'c1' } } } as Channel)).toBe(true);
    expect(recordShowsEffect(eaves, 'channel', { uuid: 'm1', state: { ts: T0_US, name: 'eavesdrop', data: { uuid: 'a1' } } } as Channel)).toBe(false);
  });

  it('an action the worker witnessed is done although the maps never show it (coalesced away), even after a timeout', () => {
    const park = newPendingAction('p', { cmd: 'park', uuid: 'c1' }, before, SENT_MS);
    const hang = newPendingAction('h', { cmd: 'hangup', uuid: 'a1' }, before, SENT_MS);
    // the maps after the held batch: the call was parked and picked up again
    expect(settlePendingActions([park], before, [], SENT_MS + 300)[0].status).toBe('pending');
    const list = markWitnessed([park, hang], ['p'], SENT_MS + 300);
    expect(list[0]).toMatchObject({ status: 'done', failure: null, message: null, settledAtMs: SENT_MS + 300 });
    expect(list[1]).toBe(hang);
    expect(settlePendingActions(list, before, [], SENT_MS + ACTION_TIMEOUT_MS + 1)[0].status).toBe('done');
    // a confirmation held past the deadline (busy UI thread) turns the timeout into done
    const [timedOut] = settlePendingActions([park], before, [], SENT_MS + ACTION_TIMEOUT_MS);
    expect(timedOut.failure).toBe('timeout');
    expect(markWitnessed([timedOut], ['p'], SENT_MS + ACTION_TIMEOUT_MS + 50)[0]).toMatchObject({ status: 'done', failure: null, message: null });
    // other failures stay; unknown ids and no ids change nothing
    const server = failPendingAction([park], 'p', 'server', 'error: no free park slot', SENT_MS + 10);
    expect(markWitnessed(server, ['p'], SENT_MS + 20)).toBe(server);
    expect(markWitnessed([park], ['zz'], SENT_MS + 20)).toEqual([park]);
    const same = [park];
    expect(markWitnessed(same, [], SENT_MS + 20)).toBe(same);
  });

  it('a park or transfer whose call is gone fails at once as call_ended, unless its effect was seen first', () => {
    const park = newPendingAction('p', { cmd: 'park', uuid: 'a1' }, before, SENT_MS);
    const transfer = newPendingAction('t', { cmd: 'transfer', uuid: 'c1', user_id: USER_B }, before, SENT_MS);
    const hang = newPendingAction('h', { cmd: 'hangup', uuid: 'c1' }, before, SENT_MS);
    const unknown = newPendingAction('u', { cmd: 'park', uuid: 'zz' }, before, SENT_MS); // never seen: only the server can tell
    // one leg left: still pending
    expect(settlePendingActions([park, transfer], maps(bridgedCaller), [], SENT_MS + 10).map((a) => a.status)).toEqual(['pending', 'pending']);
    const out = settlePendingActions([park, transfer, hang, unknown], maps(), [], SENT_MS + 10);
    expect(out.map((a) => [a.id, a.status, a.failure])).toEqual([
      ['p', 'failed', 'call_ended'],
      ['t', 'failed', 'call_ended'],
      ['h', 'done', null],
      ['u', 'pending', null],
    ]);
    // witnessed in the batch that also ended the call: done (markWitnessed runs before settling)
    const witnessed = markWitnessed([park], ['p'], SENT_MS + 10);
    expect(settlePendingActions(witnessed, maps(), [], SENT_MS + 10)[0]).toMatchObject({ status: 'done' });
  });
});
