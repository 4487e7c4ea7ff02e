import { describe, expect, it } from 'vitest';
import type { Channel } from './cti-types.ts';
import { findCallInProgress, resolveCallUuid, selectCallsInProgress } from './calls-in-progress.ts';
import { caller, T0_US, USER_A, USER_B, userLeg } from './test-fixtures.ts';

const S = 1_000_000; // µs per second

function map(...chs: Channel[]): Map<string, Channel> {
  return new Map(chs.map((c) => [c.uuid, c]));
}

/** An outside caller's leg bridged to `other` (answered at `sinceUs`). */
function bridgedCaller(uuid: string, other: string | undefined, sinceUs: number): Channel {
  return caller(uuid, sinceUs - 10 * S, { other_uuid: other, answer_timestamp: sinceUs, state: { ts: sinceUs, name: 'bridged', data: {} }, last_event: 'CHANNEL_BRIDGE' });
}

describe('selectCallsInProgress', () => {
  it('shows a bridged pair once: the outside caller → the user, acting on the caller leg', () => {
    const out = selectCallsInProgress(map(bridgedCaller('c1', 'l1', T0_US), userLeg('l1', USER_A, 'c1', T0_US)), null);
    expect(out).toHaveLength(1);
    const c = out[0]!;
    expect(c.key).toBe('c1|l1');
    expect(c.actUuid).toBe('c1');
    expect(c.direction).toBe('incoming');
    expect(c.from).toMatchObject({ kind: 'caller' });
    expect(c.to).toEqual({ kind: 'user', userId: USER_A });
    expect(c.sinceUs).toBe(T0_US);
    expect(c.own).toBe(false);
  });

  it('pairs by the partner naming this leg when only one side carries other_uuid', () => {
    const out = selectCallsInProgress(map(userLeg('l1', USER_A, 'c1', T0_US), bridgedCaller('c1', undefined, T0_US)), null);
    expect(out.map((c) => c.key)).toEqual(['c1|l1']);
  });

  it('leaves out ringing, parked and hung-up calls', () => {
    const ringing = caller('r1', T0_US);
    const parked = caller('p1', T0_US, { answer_timestamp: T0_US, state: { ts: T0_US, name: 'park', data: { slot: 905 } } });
    const gone = { ...bridgedCaller('g1', 'gl', T0_US), last_event: 'CHANNEL_HANGUP' };
    const goneLeg = { ...userLeg('gl', USER_B, 'g1', T0_US), last_event: 'CHANNEL_HANGUP' };
    expect(selectCallsInProgress(map(ringing, parked, gone, goneLeg), null)).toEqual([]);
  });

  it('an internal call acts on the caller leg; an outgoing one on the outside leg', () => {
    const internalA: Channel = { ...userLeg('ia', USER_A, 'ib', T0_US), direction: 'inbound' };
    const internalB = userLeg('ib', USER_B, 'ia', T0_US);
    const outUser: Channel = { ...userLeg('ou', USER_A, 'ox', T0_US + S), direction: 'inbound' };
    const outLine: Channel = { uuid: 'ox', direction: 'outbound', peer_location: 'external', called_number: '0398765432', other_uuid: 'ou', state: { ts: T0_US + S, name: 'bridged', data: {} } };
    const out = selectCallsInProgress(map(internalB, internalA, outLine, outUser), null);
    const internal = findCallInProgress(out, 'ib')!;
    expect(internal).toMatchObject({ key: 'ia|ib', direction: 'internal', actUuid: 'ia', from: { kind: 'user', userId: USER_A }, to: { kind: 'user', userId: USER_B } });
    const outgoing = findCallInProgress(out, 'ox')!;
    expect(outgoing).toMatchObject({ key: 'ou|ox', direction: 'outgoing', actUuid: 'ox', to: { kind: 'dialled', number: '0398765432' } });
  });

  it('a user leg whose caller is not visible (limited view) is listed alone as incoming', () => {
    const out = selectCallsInProgress(map(userLeg('l1', USER_A, 'hidden', T0_US)), USER_A);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ key: 'l1', actUuid: 'l1', direction: 'incoming', own: true, to: { kind: 'user', userId: USER_A } });
  });

  it('puts the operator’s own call first, then the longest conversation first', () => {
    const chs = map(
      bridgedCaller('c1', 'l1', T0_US + 5 * S), userLeg('l1', USER_A, 'c1', T0_US + 5 * S),
      bridgedCaller('c2', 'l2', T0_US), userLeg('l2', USER_B, 'c2', T0_US),
      bridgedCaller('c3', 'l3', T0_US + 60 * S), userLeg('l3', 10001003, 'c3', T0_US + 60 * S),
    );
    expect(selectCallsInProgress(chs, null).map((c) => c.key)).toEqual(['c2|l2', 'c1|l1', 'c3|l3']);
    const mine = selectCallsInProgress(chs, 10001003);
    expect(mine.map((c) => c.key)).toEqual(['c3|l3', 'c2|l2', 'c1|l1']);
    expect(mine[0]!.own).toBe(true);
  });

  it('duration starts at the latest bridge of the legs (a transferred call restarts)', () => {
    const c = bridgedCaller('c1', 'l1', T0_US);
    const out = selectCallsInProgress(map(c, userLeg('l1', USER_B, 'c1', T0_US + 30 * S)), null);
    expect(out[0]!.sinceUs).toBe(T0_US + 30 * S);
  });

  it('keeps the result and item identities when nothing it shows changed', () => {
    const a = bridgedCaller('c1', 'l1', T0_US);
    const b = userLeg('l1', USER_A, 'c1', T0_US);
    const first = selectCallsInProgress(map(a, b), null);
    expect(selectCallsInProgress(map(b, a, caller('r1', T0_US)), null, first)).toBe(first);
    const moved = selectCallsInProgress(map(a, { ...b }), null, first);
    expect(moved).not.toBe(first);
  });
});

describe('resolveCallUuid', () => {
  it('a user’s answered leg opens the outside caller’s leg; a ringing user leg its caller; else itself', () => {
    const chs = map(bridgedCaller('c1', 'l1', T0_US), userLeg('l1', USER_A, 'c1', T0_US), caller('r1', T0_US), { ...userLeg('rl', USER_B, 'r1', T0_US), answer_timestamp: undefined, state: { ts: T0_US, name: 'calling', data: {} } });
    expect(resolveCallUuid(chs, 'l1')).toBe('c1');
    expect(resolveCallUuid(chs, 'rl')).toBe('r1');
    expect(resolveCallUuid(chs, 'r1')).toBe('r1');
    expect(resolveCallUuid(chs, 'nope')).toBe('nope');
  });
});
