import { describe, expect, it } from 'vitest';
import {
  channelQueueOf,
  classifyWaiting,
  isParkRingBack,
  parkGroupOfSlot,
  parkInfoOf,
  parkRingBackOf,
  parkSlotsOfGroup,
  waitingQueueOf,
} from './classify.ts';
import type { Channel } from './types.ts';

const TS = 1_546_839_040_035_125;
// The seed README's queued_channel / channel state: calling ring group 10001111, queue 'group1'.
const ringState = { ts: TS, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: 10001111, group_queue_id: 'group1' } };
const huntState = { ts: TS, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'hunt', group_id: 10002222 } };
const parkState = { ts: TS + 5, name: 'park', data: { slot: 904, parker_id: 10001001, parker_name: 'user1' } };

describe('classify by state, not by map', () => {
  it('a channel_waiting record in state park is a parked call with slot and parker', () => {
    const rec = { uuid: 'w1', state: parkState, peer_number: '0312341234' };
    expect(parkInfoOf(rec)).toEqual({ slot: 904, parkerId: 10001001, parkerName: 'user1', sinceUs: TS + 5 });
    expect(classifyWaiting(rec, { waiting: true })).toMatchObject({ kind: 'parked', slot: 904 });
    expect(waitingQueueOf(rec)).toBeNull();
  });

  it('a waiting record calling any group is queued; a parked_channel calling a group is queued too', () => {
    expect(classifyWaiting({ uuid: 'q', state: ringState }, { waiting: true })).toEqual({
      kind: 'queued', groupId: 10001111, groupType: 'ring', queueId: 'group1', sinceUs: TS,
    });
    expect(classifyWaiting({ uuid: 'h', state: huntState }, { waiting: true })).toMatchObject({ kind: 'queued', groupId: 10002222, queueId: null });
  });

  it('a channel alone is queued only calling a ring group with a group_queue_id', () => {
    const ch: Channel = { uuid: 'c', direction: 'inbound', state: ringState };
    expect(channelQueueOf(ch)).toMatchObject({ groupId: 10001111, queueId: 'group1' });
    expect(channelQueueOf({ ...ch, state: huntState })).toBeNull(); // hunt groups have no queue
    expect(channelQueueOf({ ...ch, state: { ...ringState, data: { ...ringState.data, group_queue_id: undefined } } })).toBeNull();
    expect(channelQueueOf({ ...ch, last_event: 'CHANNEL_HANGUP' })).toBeNull();
    expect(classifyWaiting(ch, { channelsQueue: false })).toEqual({ kind: 'none' });
    expect(classifyWaiting(ch)).toMatchObject({ kind: 'queued' });
  });

  it('odd input never throws', () => {
    expect(classifyWaiting(null)).toEqual({ kind: 'none' });
    expect(classifyWaiting({ uuid: 'x', state: { ts: 0, name: 'park', data: {} } } as Channel)).toEqual({ kind: 'parked', slot: null, parkerId: null, parkerName: null, sinceUs: null });
    expect(classifyWaiting({ uuid: 'y', state: { ts: TS, name: 'calling', data: { target_type: 'group', group_id: 'x' } } } as unknown as Channel, { waiting: true })).toEqual({ kind: 'none' });
  });
});

describe('park ring-back', () => {
  const rb: Channel = {
    uuid: 'rb',
    direction: 'outbound',
    called_number: 'RINGING_PARK905',
    user_id: 10001001,
    state: { ts: TS, name: 'ringing', data: {} },
  };

  it('is recognised by RINGING_PARK, reads the slot digits and the rung user', () => {
    expect(isParkRingBack(rb)).toBe(true);
    expect(parkRingBackOf(rb)).toEqual({ slot: 905, userId: 10001001 });
    expect(parkRingBackOf({ ...rb, called_number: 'RINGING_PARK_906' })?.slot).toBe(906);
    expect(parkRingBackOf({ ...rb, called_number: 'RINGING_PARK' })?.slot).toBeNull();
    const calling = { ...rb, user_id: undefined, state: { ts: TS, name: 'calling', data: { target_type: 'user', user_id: 10001003 } } };
    expect(parkRingBackOf(calling)?.userId).toBe(10001003);
    expect(classifyWaiting(rb)).toMatchObject({ kind: 'park_ring_back', slot: 905 });
  });

  it('is not a queued caller even when calling a ring group, and not once hung up', () => {
    const toGroup = { ...rb, state: ringState };
    expect(channelQueueOf(toGroup)).toBeNull();
    expect(classifyWaiting(toGroup).kind).toBe('park_ring_back');
    expect(isParkRingBack({ ...rb, last_event: 'CHANNEL_HANGUP' })).toBe(false);
    expect(isParkRingBack({ ...rb, called_number: '0312341234' })).toBe(false);
  });
});

describe('park slot numbering', () => {
  it('three slots per park group from 901 + g × 3, up to 996', () => {
    expect(parkSlotsOfGroup(0)).toEqual([901, 902, 903]);
    expect(parkSlotsOfGroup(1)).toEqual([904, 905, 906]);
    expect(parkSlotsOfGroup(31)).toEqual([994, 995, 996]);
    expect(parkSlotsOfGroup(32)).toEqual([]);
    expect(parkSlotsOfGroup(-1)).toEqual([]);
    expect(parkSlotsOfGroup(1.5)).toEqual([]);
  });

  it('a slot maps back to its group; 997–999 belong to none', () => {
    expect(parkGroupOfSlot(901)).toBe(0);
    expect(parkGroupOfSlot(905)).toBe(1);
    expect(parkGroupOfSlot(996)).toBe(31);
    expect(parkGroupOfSlot(997)).toBeNull();
    expect(parkGroupOfSlot(900)).toBeNull();
  });
});
