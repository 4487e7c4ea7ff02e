import { describe, expect, it } from 'vitest';
import { initialConsoleData, type ConsoleData } from './console-state.ts';
import type { Channel } from './cti-types.ts';
import {
  selectCurrentCallByUser,
  selectGroupRows,
  selectParkSlots,
  selectQueues,
  selectLimitedView,
  selectRingBacks,
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

  it('a group with nobody free is no reason to queue a call: the PBX says who waits (value codes are not documented)', () => {
    // USER_A (the only logged-in member) is on a call; USER_B is logged out
    const s = state({
      channel: mapOf(caller('r1', T0_US), { ...caller('x', T0_US), state: { ts: T0_US, name: 'bridged', data: {} } }, userLeg('a-leg', USER_A, 'x', T0_US)),
    });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['r1']);
    expect(selectQueues(s)[0].waiting).toEqual([]);
    expect(selectQueues(s)[0].membersFree).toBe(0);
  });

  it('counts a member with a presence or DND code outside our mapping as unknown, never as free', () => {
    const s = state({
      user: mapOf(user(USER_A, { presence: 7 }), user(USER_B, { do_not_disturb_status: 5 })),
      group_member: mapOf(member(GROUP_ID, USER_A, true), member(GROUP_ID, USER_B, true), { ...member(GROUP_ID, 10001003, true), login_status: 9 }),
    });
    const q = selectQueues(s)[0];
    expect([q.membersFree, q.membersUnknown, q.membersLoggedIn]).toEqual([0, 3, 2]);
    expect(selectGroupRows(s)[0]).toMatchObject({ membersLoggedIn: 2, membersLoginUnknown: 1 });
  });
});

describe('classification by state (PROTOCOL.md Corrections)', () => {
  const ringQ = (uuid: string, sinceUs: number, over: Partial<Channel> = {}): Channel =>
    caller(uuid, sinceUs, {
      state: { ts: sinceUs, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: GROUP_ID, group_queue_id: 'group1' } },
      ...over,
    });
  const parkRec = (uuid: string, slot: number, ts: number) => ({ uuid, peer_number: '0311112222', state: { ts, name: 'park', data: { slot, parker_id: USER_A, parker_name: 'user10001001' } } });

  it('a channel_waiting in state park is a park slot, merged with its channel, in no queue and not ringing', () => {
    const s = state({
      kindsSent: new Set(['channel', 'channel_waiting']),
      channel: mapOf(ringQ('p1', T0_US)), // the channel still says calling (older state)
      channel_waiting: mapOf(parkRec('p1', 904, T0_US + 5) as Channel),
    });
    const slot = selectParkSlots(s).find((x) => x.slot === 904)!;
    expect(slot.call?.channel.uuid).toBe('p1');
    expect(slot.call?.channel.calling_number).toBe('0312345678'); // merged with the channel
    expect(slot.call?.parkerId).toBe(USER_A);
    expect(selectQueues(s)[0].waiting).toEqual([]);
    expect(selectRingingCalls(s)).toEqual([]);
  });

  it('a channel_waiting calling a group is a queued caller once, even with its channel and a queued_channel twin', () => {
    const rec = { uuid: 'q1', peer_number: '0312345678', state: ringQ('q1', T0_US).state } as Channel;
    const s = state({
      kindsSent: new Set(['channel', 'channel_waiting', 'queued_channel']),
      channel: mapOf(ringQ('q1', T0_US), caller('r1', T0_US + 1)),
      channel_waiting: mapOf(rec),
      queued_channel: mapOf(rec),
    });
    expect(selectQueues(s)[0].waiting.map((w) => [w.channel.uuid, w.source])).toEqual([['q1', 'channel_waiting']]);
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['r1']);
  });

  it('a waiting record whose channel moved on (answered, newer state) is no longer queued', () => {
    const s = state({
      kindsSent: new Set(['channel', 'channel_waiting']),
      channel: mapOf({ ...caller('q1', T0_US), state: { ts: T0_US + 9, name: 'bridged', data: {} } }),
      channel_waiting: mapOf({ uuid: 'q1', state: ringQ('q1', T0_US).state } as Channel),
    });
    expect(selectQueues(s)[0].waiting).toEqual([]);
  });

  it('queues from channels alone when the PBX sends no waiting records; not when it does', () => {
    const channels = mapOf(ringQ('q1', T0_US), ringQ('q2', T0_US - 5));
    const alone = state({ kindsSent: new Set(['channel']), channel: channels });
    expect(selectQueues(alone)[0].waiting.map((w) => [w.channel.uuid, w.position, w.source])).toEqual([
      ['q2', 1, 'channel'],
      ['q1', 2, 'channel'],
    ]);
    expect(selectRingingCalls(alone)).toEqual([]); // not ringing AND queued
    expect(selectGroupRows(alone)[0].waitingCount).toBe(2);
    // the PBX sends channel_waiting (empty now): a ring-group call not in it rings members
    const withWaiting = state({ kindsSent: new Set(['channel', 'channel_waiting']), channel: channels });
    expect(selectQueues(withWaiting)[0].waiting).toEqual([]);
    expect(selectRingingCalls(withWaiting).map((c) => c.uuid)).toEqual(['q2', 'q1']);
  });

  it('a hunt-group call is a ringing call, never queued from its channel', () => {
    const hunt = caller('h1', T0_US, { state: { ts: T0_US, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'hunt', group_id: GROUP_ID } } });
    const s = state({ kindsSent: new Set(['channel']), channel: mapOf(hunt) });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['h1']);
    expect(selectQueues(s)[0].waiting).toEqual([]);
  });

  it('a parked channel is never a queued caller, whatever else names it', () => {
    const s = state({
      kindsSent: new Set(['channel', 'queued_channel']),
      channel: mapOf(parkedAt('p1', 997, T0_US)),
      queued_channel: mapOf(ringQ('p1', T0_US - 10)), // stale queue record, older state
    });
    expect(selectQueues(s)[0].waiting).toEqual([]);
    expect(selectParkSlots(s).find((x) => x.slot === 997)?.call?.channel.uuid).toBe('p1');
  });

  it('a park ring-back is listed once among ringing calls, or on its slot while its call is still parked', () => {
    const rb: Channel = { ...caller('rb', T0_US), called_number: 'RINGING_PARK905', state: { ts: T0_US, name: 'ringing', data: {} } };
    const rbLeg: Channel = { ...userLeg('rb-leg', USER_A, 'rb', T0_US), called_number: 'RINGING_PARK905', state: { ts: T0_US, name: 'calling', data: { target_type: 'user', user_id: USER_A } } };
    const s = state({ kindsSent: new Set(['channel']), channel: mapOf(rb, rbLeg) });
    expect(selectRingingCalls(s).map((c) => c.uuid)).toEqual(['rb']);
    // as the simulator does it: the caller's leg calls the parker; the parker's leg has the marker
    const root: Channel = { ...caller('root', T0_US), state: { ts: T0_US + 9, name: 'calling', data: { target_type: 'user', user_id: USER_A } } };
    const simLeg: Channel = { ...userLeg('pl', USER_A, 'root', T0_US + 9), called_number: 'RINGING_PARK_905', state: { ts: T0_US + 9, name: 'ringing', data: {} } };
    const s3 = state({ kindsSent: new Set(['channel']), channel: mapOf(root, simLeg) });
    expect(selectRingingCalls(s3).map((c) => c.uuid)).toEqual(['root']);
    expect(selectRingBacks(s3).get('root')).toMatchObject({ slot: 905, userId: USER_A, leg: simLeg });
    // a leg rings the parker while the caller's channel is still in its slot
    const parked = parkedAt('p1', 905, T0_US);
    const s2 = state({ kindsSent: new Set(['channel']), channel: mapOf(parked, { ...rbLeg, other_uuid: 'p1' }) });
    expect(selectRingingCalls(s2)).toEqual([]);
    expect(selectParkSlots(s2).find((x) => x.slot === 905)?.call?.ringingBack?.uuid).toBe('rb-leg');
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
  it('shows park group 0 (901–903) and 997–999 free when the own user is unknown, and every occupied slot', () => {
    const s = state({ channel: mapOf(parkedAt('p1', 903, T0_US), parkedAt('far', 950, T0_US + 1), caller('r', T0_US)) });
    const slots = selectParkSlots(s);
    expect(slots.map((x) => x.slot)).toEqual([901, 902, 903, 950, 997, 998, 999]);
    expect(slots.filter((x) => x.call).map((x) => [x.slot, x.call!.channel.uuid, x.call!.sinceUs, x.call!.parkerId, x.call!.parkerName])).toEqual([
      [903, 'p1', T0_US, USER_A, 'user10001001'],
      [950, 'far', T0_US + 1, USER_A, 'user10001001'],
    ]);
  });

  it("auto: the own user's park_group (session user, else the setting); or the configured groups", () => {
    const users = mapOf(user(USER_A, { park_group: 2 }), user(USER_B, { park_group: 4 }));
    const bySession = state({ user: users, session: { username: 'a', userId: USER_A, isAdmin: true } });
    expect(selectParkSlots(bySession).map((x) => x.slot)).toEqual([907, 908, 909, 997, 998, 999]);
    const bySetting = state({ user: users });
    expect(selectParkSlots(bySetting, { parkGroups: 'auto', myUserId: USER_B }).map((x) => x.slot)).toEqual([913, 914, 915, 997, 998, 999]);
    expect(selectParkSlots(bySetting, { parkGroups: [1, 0, 99], myUserId: null }).map((x) => x.slot)).toEqual([901, 902, 903, 904, 905, 906, 997, 998, 999]);
  });

  it("adds a domain's park_slot_start..end when a PBX sends one (optional), and legacy parked_channel", () => {
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
      [901, null],
      [902, null],
      [903, null],
      [905, 'far'],
      [997, null],
      [998, null],
      [999, null],
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

describe('selectLimitedView', () => {
  it('is limited when the session is no admin or the connection found a limited view', () => {
    expect(selectLimitedView(state())).toBe(false);
    expect(selectLimitedView(state({ session: { username: 'u', userId: 1, isAdmin: false } }))).toBe(true);
    expect(selectLimitedView(state({ session: { username: 'u', userId: 1, isAdmin: true }, limitedView: true }))).toBe(true);
  });
});
