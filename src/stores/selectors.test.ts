import { describe, expect, it } from 'vitest';
import { initialConsoleData, type ConsoleData } from './console-state.ts';
import type { Channel } from './cti-types.ts';
import {
  DEFAULT_PARK_SLOTS,
  selectCurrentCallByUser,
  selectGroupRows,
  selectParkSlots,
  selectQueues,
  selectRingingCalls,
  selectUserRows,
} from './selectors.ts';
import { GROUP_ID, T0_US, USER_A, USER_B, caller, group, member, user, userLeg } from './test-fixtures.ts';

const mapOf = <T extends { uuid?: unknown; id?: unknown }>(...recs: T[]) => new Map(recs.map((r) => [String(r.uuid ?? r.id), r]));

function state(over: Partial<ConsoleData> = {}): ConsoleData {
  return {
    ...initialConsoleData(),
    user: mapOf(user(USER_A), user(USER_B, { do_not_disturb_status: 1, mwi: '2/5 (1/0)' })),
    group: mapOf(group(GROUP_ID), group(20002222, { label: '営業' })),
    group_member: mapOf(member(GROUP_ID, USER_A, true), member(GROUP_ID, USER_B, false)),
    ...over,
  };
}

const parkedAt = (uuid: string, slot: number, sinceUs: number): Channel => ({
  ...caller(uuid, sinceUs - 1_000_000),
  answer_timestamp: sinceUs - 500_000,
  state: { ts: sinceUs, name: 'park', data: { slot, parker_id: USER_A, parker_name: 'user10001001' } },
});

describe('selectRingingCalls', () => {
  it('lists inbound calling channels, oldest first, skipping outbound legs, bridged and queued calls', () => {
    const s = state({
      channel: mapOf(
        caller('new', T0_US + 3_000_000),
        caller('old', T0_US),
        { ...caller('leg', T0_US), direction: 'outbound' },
        { ...caller('talking', T0_US), state: { ts: T0_US, name: 'bridged', data: {} } },
        caller('queued', T0_US - 1),
      ),
      channel_waiting: mapOf(caller('queued', T0_US - 1)),
    });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['old', 'new']);
  });

  it('leaves out a user dialling out (own inbound leg calling pstn); keeps user→user and user→group calls', () => {
    const own = {
      direction: 'inbound' as const,
      peer_location: 'internal',
      user_id: USER_B, // logged out of the group: USER_A stays free, so nothing counts as queued
      calling_number: '202',
      called_number: '0398765432',
    };
    const s = state({
      channel: mapOf(
        { ...caller('out', T0_US), ...own, state: { ts: T0_US, name: 'calling', data: { target_location: 'ext', target_type: 'pstn', address: '0398765432' } } },
        { ...caller('sip', T0_US), ...own, state: { ts: T0_US, name: 'calling', data: { target_location: 'ext', target_type: 'bridged_endpoint', address: 'a@b' } } },
        { ...caller('nodata', T0_US), state: { ts: T0_US, name: 'calling', data: {} } },
        { ...caller('u2u', T0_US + 1), ...own, state: { ts: T0_US + 1, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: USER_A } } },
        { ...caller('u2g', T0_US + 2), ...own },
        caller('ext', T0_US + 3),
      ),
    });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['u2u', 'u2g', 'ext']);
    // nor does an outgoing call to a number count as waiting in a queue
    const noneFree = state({ ...s, group_member: mapOf(member(GROUP_ID, USER_A, false)), channel: mapOf(s.channel.get('out')!) });
    expect(selectQueues(noneFree).flatMap((q) => q.waiting)).toEqual([]);
  });

  it('returns the same array while its inputs are unchanged (stable for useSyncExternalStore)', () => {
    const s = state({ channel: mapOf(caller('a', T0_US)) });
    const first = selectRingingCalls(s);
    const unrelated: ConsoleData = { ...s, terminal: new Map() };
    expect(selectRingingCalls(unrelated)).toBe(first);
    // A channel event that does not change the ringing list keeps the array (no re-render)…
    const talking = { ...caller('t', T0_US), state: { ts: T0_US, name: 'bridged', data: {} } } as Channel;
    expect(selectRingingCalls({ ...s, channel: new Map(s.channel).set('t', talking) })).toBe(first);
    // …one that does gives a new one.
    const changed = selectRingingCalls({ ...s, channel: mapOf(caller('a', T0_US), caller('b', T0_US + 1)) });
    expect(changed).not.toBe(first);
    expect(changed.map((c) => c.uuid)).toEqual(['a', 'b']);
  });

  it('queues and park slots keep their views when a channel event does not touch them', () => {
    const s = state({
      group: mapOf(group(GROUP_ID)),
      channel: mapOf(caller('q', T0_US), parkedAt('p', 905, T0_US)),
      channel_waiting: mapOf(caller('q', T0_US)),
    });
    const q1 = selectQueues(s);
    const p1 = selectParkSlots(s);
    const talking = { ...caller('t', T0_US), state: { ts: T0_US, name: 'bridged', data: {} } } as Channel;
    const s2 = { ...s, channel: new Map(s.channel).set('t', talking) };
    expect(selectQueues(s2)).toBe(q1);
    expect(selectParkSlots(s2)).toBe(p1);
    const moved = parkedAt('p', 905, T0_US + 5);
    const s3 = { ...s2, channel: new Map(s2.channel).set('p', moved) };
    const p3 = selectParkSlots(s3);
    expect(p3).not.toBe(p1);
    expect(p3.find((v) => v.slot === 905)?.call?.channel).toBe(moved);
    expect(p3.find((v) => v.slot === 901)).toBe(p1.find((v) => v.slot === 901));
    expect(selectQueues(s3)).toBe(q1);
  });
});

describe('selectQueues', () => {
  it('orders each group by wait, with positions, longest wait and staffing', () => {
    const s = state({
      channel: mapOf(caller('w1', T0_US + 5_000_000), caller('w2', T0_US)),
      channel_waiting: mapOf(
        { uuid: 'w1', state: caller('w1', T0_US + 5_000_000).state, peer_number: '0311110000', group_id: GROUP_ID } as Channel,
        { uuid: 'w2', state: caller('w2', T0_US).state, peer_number: '0322220000', group_id: GROUP_ID } as Channel,
      ),
    });
    const [g1, g2] = selectQueues(s);
    expect(g1.group.id).toBe(GROUP_ID);
    expect(g1.waiting.map((w) => [w.position, w.channel.uuid, w.sinceUs])).toEqual([
      [1, 'w2', T0_US],
      [2, 'w1', T0_US + 5_000_000],
    ]);
    expect(g1.waiting[0].channel.calling_number).toBe('0312345678'); // merged with the root channel
    expect(g1.longestWaitSinceUs).toBe(T0_US);
    expect(g1).toMatchObject({ membersLoggedIn: 1, membersTotal: 2, membersFree: 1 });
    expect(g2.waiting).toEqual([]);
    expect(g2.longestWaitSinceUs).toBeNull();
  });

  it('counts a legacy queued_channel and its channel_waiting twin once', () => {
    const q = { uuid: 'w1', state: caller('w1', T0_US).state, peer_number: '0311110000' } as Channel;
    const s = state({ channel_waiting: mapOf(q), queued_channel: mapOf(q) });
    expect(selectQueues(s)[0].waiting).toHaveLength(1);
  });

  it('treats a call ringing a group with nobody free as waiting, not ringing', () => {
    // USER_A (the only logged-in member) is on a call; USER_B is logged out
    const s = state({
      channel: mapOf(caller('r1', T0_US), { ...caller('x', T0_US), state: { ts: T0_US, name: 'bridged', data: {} } }, userLeg('a-leg', USER_A, 'x', T0_US)),
    });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual([]);
    const q = selectQueues(s)[0];
    expect(q.waiting.map((w) => [w.channel.uuid, w.source])).toEqual([['r1', 'unstaffed_group']]);
    expect(q.membersFree).toBe(0);
  });

  it("keeps a group call that is ringing a member's phone in Ringing calls, though that member now counts as busy", () => {
    // USER_A, the only logged-in member, is being rung by r1 through a leg of its own: no one is
    // free, yet the call rings a phone (it is not waiting); once the leg is gone it is waiting.
    const ringingLeg: Channel = {
      ...userLeg('a-leg', USER_A, 'r1', T0_US),
      answer_timestamp: undefined,
      state: { ts: T0_US, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: USER_A } },
      last_event: 'CHANNEL_CREATE',
    };
    const s = state({ channel: mapOf(caller('r1', T0_US), ringingLeg) });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['r1']);
    expect(selectQueues(s)[0].waiting).toEqual([]);
    expect(selectQueues(s)[0].membersFree).toBe(0);
    // a second caller of the same group, whose call rings no phone (USER_A is taken by r1): it waits
    const s2 = state({ channel: mapOf(caller('r1', T0_US), ringingLeg, caller('r2', T0_US + 1_000_000)) });
    expect(selectRingingCalls(s2).map((c) => c.uuid)).toEqual(['r1']);
    expect(selectQueues(s2)[0].waiting.map((w) => [w.channel.uuid, w.source])).toEqual([['r2', 'unstaffed_group']]);
  });
});

describe('selectRingingCalls, limited view', () => {
  it("lists a user's own ringing leg when the caller's leg is not in the map (a plain user's login), and only then", () => {
    const leg: Channel = {
      ...userLeg('my-leg', USER_A, 'root-1', T0_US),
      answer_timestamp: undefined,
      calling_number: '0312345678',
      state: { ts: T0_US, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: USER_A } },
      last_event: 'CHANNEL_CREATE',
    };
    // only our own leg, as the PBX sends it without full_events
    expect(selectRingingCalls(state({ channel: mapOf(leg) })).map((c) => c.uuid)).toEqual(['my-leg']);
    // with every channel (an operator) the caller's leg is the ringing call, not the leg
    const root = { ...caller('root-1', T0_US), state: { ts: T0_US, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: USER_A } } } as Channel;
    expect(selectRingingCalls(state({ channel: mapOf(root, leg) })).map((c) => c.uuid)).toEqual(['root-1']);
    // answered or hung up: not ringing
    expect(selectRingingCalls(state({ channel: mapOf({ ...leg, state: { ts: T0_US, name: 'bridged', data: {} } }) }))).toEqual([]);
    expect(selectRingingCalls(state({ channel: mapOf({ ...leg, last_event: 'CHANNEL_HANGUP' }) }))).toEqual([]);
  });
});

describe('selectParkSlots', () => {
  it('falls back to 901–910 and fills slots from channels in park state', () => {
    const s = state({ channel: mapOf(parkedAt('p1', 903, T0_US), caller('r', T0_US)) });
    const slots = selectParkSlots(s);
    expect(slots.map((x) => x.slot)).toEqual(Array.from({ length: 10 }, (_, i) => DEFAULT_PARK_SLOTS.start + i));
    expect(slots.filter((x) => x.call).map((x) => [x.slot, x.call!.channel.uuid, x.call!.sinceUs, x.call!.parkerId, x.call!.parkerName])).toEqual([
      [903, 'p1', T0_US, USER_A, 'user10001001'],
    ]);
  });

  it("uses the domain's range, legacy parked_channel, and never hides an out-of-range slot", () => {
    const legacy = { uuid: 'lp', peer_number: '0399998888', state: { ts: T0_US, name: 'park', data: { slot: 701 } } } as Channel;
    const s = state({
      domain: mapOf({ id: 1, name: 'd', park_slot_start: 700, park_slot_end: 702 }),
      parked_channel: mapOf(legacy),
      channel: mapOf(parkedAt('far', 905, T0_US)),
    });
    expect(selectParkSlots(s).map((x) => [x.slot, x.call?.channel.uuid ?? null])).toEqual([
      [700, null],
      [701, 'lp'],
      [702, null],
      [905, 'far'],
    ]);
  });
});

describe('user and group rows', () => {
  it('gives each user presence, DND, current call, MWI, groups and terminals', () => {
    const s = state({
      channel: mapOf({ ...caller('x', T0_US), state: { ts: T0_US, name: 'bridged', data: {} } }, userLeg('a-leg', USER_A, 'x', T0_US)),
      terminal: mapOf({ id: 1, name: 't1', assoc_user_id: USER_A, registered: true }),
    });
    const [a, b] = selectUserRows(s);
    expect(a).toMatchObject({ id: USER_A, dnd: false, registered: true, presence: 0 });
    expect(a.currentCall?.uuid).toBe('a-leg');
    expect(a.groups.map((g) => [g.groupId, g.loggedIn])).toEqual([[GROUP_ID, true]]);
    expect(b).toMatchObject({ id: USER_B, dnd: true, registered: false, currentCall: null, mwi: { new: 2, saved: 5, urgentNew: 1, urgentSaved: 0 } });
    expect(selectCurrentCallByUser(s).get(USER_A)?.uuid).toBe('a-leg');
  });

  it('prefers a bridged call over a ringing one for the current call', () => {
    const ring: Channel = { ...userLeg('ring', USER_A, 'y', T0_US), state: { ts: T0_US, name: 'calling', data: {} } };
    const s = state({ channel: mapOf(ring, userLeg('talk', USER_A, 'x', T0_US)) });
    expect(selectCurrentCallByUser(s).get(USER_A)?.uuid).toBe('talk');
  });

  it('gives each group its members, staffing and waiting count', () => {
    const s = state({ channel_waiting: mapOf({ uuid: 'w', state: caller('w', T0_US).state } as Channel) });
    const [g] = selectGroupRows(s);
    expect(g).toMatchObject({ id: GROUP_ID, type: 0, membersLoggedIn: 1, membersTotal: 2, membersFree: 1, waitingCount: 1 });
    expect(g.members.map((m) => [m.user?.id, m.loggedIn, m.busy])).toEqual([
      [USER_A, true, false],
      [USER_B, false, false],
    ]);
  });
});

describe('selectUserRows row reuse', () => {
  it('rebuilds only the rows whose user or current call changed', () => {
    const s = state();
    const first = selectUserRows(s);
    // a call for USER_A: only A's row is new
    const s2: ConsoleData = { ...s, channel: mapOf(userLeg('a-leg', USER_A, 'x', T0_US)) };
    const second = selectUserRows(s2);
    expect(second).not.toBe(first);
    expect(second[0]).not.toBe(first[0]);
    expect(second[0].currentCall?.uuid).toBe('a-leg');
    expect(second[1]).toBe(first[1]);
    // an unrelated channel change: same array
    const s3: ConsoleData = { ...s2, channel: new Map([...s2.channel, ['zz', caller('zz', T0_US)]]) };
    expect(selectUserRows(s3)).toBe(second);
    // a membership change rebuilds every row
    const s4: ConsoleData = { ...s3, group_member: mapOf(member(GROUP_ID, USER_A, false)) };
    const fourth = selectUserRows(s4);
    expect(fourth[1]).not.toBe(second[1]);
    expect(fourth[0].groups[0].loggedIn).toBe(false);
  });
});
