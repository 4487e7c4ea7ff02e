// Made-up element records for the store tests (names and numbers are fictional).
import type { Channel, Group, GroupMember, User } from './cti-types.ts';
import type { BatchInput } from './apply-batch.ts';
import type { CtiMessage } from './cti-types.ts';

export const T0_US = 1_764_460_800_000_000; // 2025-11-30 00:00:00 UTC

export const GROUP_ID = 10001111;
export const USER_A = 10001001;
export const USER_B = 10001002;

export function user(id: number, over: Partial<User> = {}): User {
  return { id, name: `user${id}`, label: `ユーザ${id}`, presence: 0, do_not_disturb_status: 0, fwd_always_status: 0, mwi: '', ...over };
}
export function group(id: number, over: Partial<Group> = {}): Group {
  return { id, name: `group${id}`, label: `グループ${id}`, type: 0, mwi: '', ...over };
}
export function member(groupId: number, userId: number, loggedIn: boolean): GroupMember {
  return { id: groupId * 10 + userId, group_id: groupId, user_id: userId, priority: 0, login_status: loggedIn ? 1 : 0, role: 0 };
}

/** An external caller's root leg ringing a group. */
export function caller(uuid: string, sinceUs: number, over: Partial<Channel> = {}): Channel {
  return {
    uuid,
    direction: 'inbound',
    peer_location: 'external',
    calling_name: '',
    calling_number: '0312345678',
    called_number: '0501112222',
    offer_timestamp: sinceUs,
    state: { ts: sinceUs, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: GROUP_ID } },
    last_event: 'STATE_CHANGE',
    ...over,
  };
}

/** A user's leg bridged to `otherUuid`. */
export function userLeg(uuid: string, userId: number, otherUuid: string, sinceUs: number): Channel {
  return {
    uuid,
    direction: 'outbound',
    peer_location: 'internal',
    user_id: userId,
    other_uuid: otherUuid,
    offer_timestamp: sinceUs,
    answer_timestamp: sinceUs,
    state: { ts: sinceUs, name: 'bridged', data: {} },
    last_event: 'CHANNEL_BRIDGE',
  };
}

export function keyed<T extends { uuid?: unknown; id?: unknown }>(...recs: T[]): Record<string, T> {
  return Object.fromEntries(recs.map((r) => [String(r.uuid ?? r.id), r]));
}

export function batch(messages: CtiMessage[], over: Partial<BatchInput> = {}): BatchInput {
  return {
    connectionId: 1,
    messages,
    receivedAtMs: T0_US / 1000,
    freshSnapshot: false,
    goLive: false,
    frames: messages.length,
    badFrames: 0,
    badRecords: 0,
    errors: [],
    ...over,
  };
}
