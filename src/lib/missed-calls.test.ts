import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../stores/cti-types.ts';
import {
  MAX_MISSED_CALLS,
  LIVE_UNTIL_STORAGE_KEY,
  MISSED_CALLS_STORAGE_KEY,
  addMissedCalls,
  detectMissedCall,
  getMissedCallsOwner,
  isOutageMarker,
  liveUntilStorageKey,
  loadLiveUntil,
  loadMissedCalls,
  outageMarker,
  saveLiveUntil,
  missedCallsStorageKey,
  saveMissedCalls,
  setMissedCallsOwner,
  splitHangupDisposition,
  type MissedCall,
} from './missed-calls.ts';

const T0_US = 1_764_460_800_000_000; // 2025-11-30 00:00 UTC, made up
const lookup = {
  userName: (id: number) => (id === 10001001 ? '山田 花子' : null),
  groupName: (id: number) => (id === 10001111 ? '代表' : null),
};

/** A caller's leg ringing the 代表 group (made-up numbers). */
function ringingRoot(over: Partial<Channel> = {}): Channel {
  return {
    uuid: 'root-1',
    direction: 'inbound',
    peer_location: 'external',
    calling_name: '株式会社テスト',
    calling_number: '0312345678',
    called_number: '0501112222',
    offer_timestamp: T0_US,
    state: { ts: T0_US + 10_000, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: 10001111 } },
    end_user: { count: 1, items: [{ id: 'c9', name: '佐藤 一郎', organization: '株式会社テスト', avatar: '', prefecture: '東京都' }] },
    last_event: 'STATE_CHANGE',
    ...over,
  };
}
const hungUp = (prev: Channel, data: string, over: Partial<Channel> = {}): Channel => ({
  ...prev,
  last_event: 'CHANNEL_HANGUP',
  last_event_data: data,
  hangup_timestamp: T0_US + 42_000_000,
  ...over,
});

describe('splitHangupDisposition', () => {
  it('splits SIDE,CAUSE and tolerates odd values', () => {
    expect(splitHangupDisposition('recv_cancel,ORIGINATOR_CANCEL')).toEqual({ side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', raw: 'recv_cancel,ORIGINATOR_CANCEL' });
    expect(splitHangupDisposition('NO_ANSWER')).toEqual({ side: null, cause: 'NO_ANSWER', raw: 'NO_ANSWER' });
    expect(splitHangupDisposition(undefined)).toEqual({ side: null, cause: null, raw: null });
  });
});

describe('detectMissedCall', () => {
  it('records a caller who hung up while ringing a group: who, what, when, how long, why', () => {
    const prev = ringingRoot();
    const call = detectMissedCall('channel', hungUp(prev, 'recv_cancel,ORIGINATOR_CANCEL'), prev, lookup, T0_US + 99_000_000);
    expect(call).toEqual<MissedCall>({
      uuid: 'root-1',
      callerNumber: '0312345678',
      callerName: '株式会社テスト',
      endUser: prev.end_user!,
      called: { kind: 'group', id: 10001111, name: '代表', number: '0501112222' },
      offeredAtUs: T0_US,
      endedAtUs: T0_US + 42_000_000,
      waitedMs: 42_000,
      disposition: { side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', raw: 'recv_cancel,ORIGINATOR_CANCEL' },
      abandoned: true,
      internal: false,
      endedIn: 'calling',
    });
  });

  it('records a caller who reached voicemail, with what they called and where it ended', () => {
    const prev = ringingRoot({ state: { ts: T0_US + 20_000_000, name: 'voicemail', data: { target_type: 'user', target_id: 10001001, target_name: 'user1' } } });
    const call = detectMissedCall('channel', hungUp(prev, 'recv_bye,NORMAL_CLEARING'), prev, lookup, 0)!;
    expect(call.called).toEqual({ kind: 'user', id: 10001001, name: '山田 花子', number: '0501112222' });
    expect(call.endedIn).toBe('voicemail');
    expect(call.abandoned).toBe(false);
  });

  it('records an unanswered call to a user (NO_ANSWER) as missed but not abandoned', () => {
    const prev = ringingRoot({ state: { ts: T0_US, name: 'calling', data: { target_type: 'user', user_id: 10001001 } } });
    const call = detectMissedCall('channel', hungUp(prev, 'send_cancel,NO_ANSWER'), prev, lookup, 0)!;
    expect(call.called).toEqual({ kind: 'user', id: 10001001, name: '山田 花子', number: '0501112222' });
    expect(call.abandoned).toBe(false);
    expect(call.disposition.cause).toBe('NO_ANSWER');
  });

  it('uses the state before hangup when the hangup record no longer says what was called', () => {
    const prev = ringingRoot();
    const rec = hungUp(prev, 'recv_cancel,ORIGINATOR_CANCEL', { state: { ts: T0_US + 5, name: 'hangup', data: {} } });
    expect(detectMissedCall('channel', rec, prev, lookup, 0)?.called.kind).toBe('group');
  });

  it('falls back to PBX now when there is no hangup_timestamp', () => {
    const prev = ringingRoot();
    const rec = hungUp(prev, 'recv_cancel,ORIGINATOR_CANCEL', { hangup_timestamp: undefined });
    expect(detectMissedCall('channel', rec, prev, lookup, T0_US + 7_000_000)?.waitedMs).toBe(7_000);
  });

  it('ignores answered calls, outbound ringing legs, non-hangups and calls that never reached a user or group', () => {
    const prev = ringingRoot();
    expect(detectMissedCall('channel', hungUp(prev, 'recv_bye,NORMAL_CLEARING', { answer_timestamp: T0_US + 1 }), prev, lookup, 0)).toBeNull();
    // answered earlier (bridged), the hangup record lost the field: still answered
    expect(detectMissedCall('channel', hungUp(prev, 'recv_bye,NORMAL_CLEARING'), { ...prev, answer_timestamp: T0_US + 1 }, lookup, 0)).toBeNull();
    const leg = ringingRoot({ uuid: 'leg-1', direction: 'outbound', state: { ts: T0_US, name: 'calling', data: { target_type: 'user', user_id: 10001001 } } });
    expect(detectMissedCall('channel', hungUp(leg, 'send_cancel,LOSE_RACE'), leg, lookup, 0)).toBeNull();
    expect(detectMissedCall('channel', prev, prev, lookup, 0)).toBeNull();
    const ivr = ringingRoot({ state: { ts: T0_US, name: 'ivr', data: { ivr_id: 3 } } });
    expect(detectMissedCall('channel', hungUp(ivr, 'recv_bye,NORMAL_CLEARING'), ivr, lookup, 0)).toBeNull();
    expect(detectMissedCall('user', hungUp(prev, 'x') as never, prev, lookup, 0)).toBeNull();
  });

  it('records a hung-up legacy queued_channel (the caller, no direction field)', () => {
    const q: Channel = { uuid: 'q1', peer_number: '0311112222', state: { ts: T0_US, name: 'calling', data: { target_type: 'group', group_id: 10001111 } } };
    const call = detectMissedCall('queued_channel', { ...q, last_event: 'CHANNEL_HANGUP' }, q, lookup, T0_US + 3_000_000)!;
    expect(call.callerNumber).toBe('0311112222');
    expect(call.waitedMs).toBe(3_000);
  });
});

function mc(uuid: string, endedAtUs: number): MissedCall {
  return {
    uuid,
    callerNumber: '0300000000',
    callerName: null,
    endUser: null,
    called: { kind: 'group', id: 1, name: 'g', number: null },
    offeredAtUs: endedAtUs - 1,
    endedAtUs,
    waitedMs: 0,
    disposition: { side: null, cause: null, raw: null },
    abandoned: false,
    internal: false,
    endedIn: 'calling',
  };
}

describe('addMissedCalls', () => {
  it('keeps newest first, one per uuid, bounded', () => {
    const a = addMissedCalls([], [mc('a', 1), mc('b', 3)]);
    expect(a.map((c) => c.uuid)).toEqual(['b', 'a']);
    const b = addMissedCalls(a, [mc('c', 2), mc('a', 9)]);
    expect(b.map((c) => c.uuid)).toEqual(['b', 'c', 'a']);
    expect(addMissedCalls(b, [mc('a', 10)])).toBe(b); // nothing new: same array
    const many = addMissedCalls([], Array.from({ length: MAX_MISSED_CALLS + 20 }, (_, i) => mc(`m${i}`, i)));
    expect(many).toHaveLength(MAX_MISSED_CALLS);
    expect(many[0].uuid).toBe(`m${MAX_MISSED_CALLS + 19}`);
  });
});

describe('persistence', () => {
  const memoryStorage = () => {
    const m = new Map<string, string>();
    return {
      m,
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
    };
  };
  const SATO = { username: 'sato', domain: 'test1' };
  const KIMURA = { username: 'kimura', domain: 'test1' };
  afterEach(() => void setMissedCallsOwner(null, null));

  it('keeps outage markers (validated) and the live-until mark across reloads', () => {
    const st = memoryStorage();
    setMissedCallsOwner(SATO, st);
    const marker = outageMarker(T0_US, T0_US + 180_000_000)!;
    expect(marker).toMatchObject({ kind: 'outage', uuid: `outage:${T0_US}`, offeredAtUs: T0_US, endedAtUs: T0_US + 180_000_000 });
    expect(outageMarker(T0_US, T0_US)).toBeNull();
    expect(outageMarker(T0_US, Number.NaN)).toBeNull();
    const list = addMissedCalls([], [mc('a', 1), marker]);
    saveMissedCalls(list, st);
    const back = loadMissedCalls(st);
    expect(back).toEqual(list);
    expect(back.filter(isOutageMarker)).toHaveLength(1);
    // a corrupt marker (no span) is dropped
    st.setItem(missedCallsStorageKey(SATO), JSON.stringify([{ ...marker, outage: null }]));
    expect(loadMissedCalls(st)).toEqual([]);
    expect(loadLiveUntil(st)).toBeNull();
    saveLiveUntil(1_234.4, st);
    expect(loadLiveUntil(st)).toBe(1_234);
    expect(st.m.get(liveUntilStorageKey(SATO))).toBe('1234');
    st.setItem(liveUntilStorageKey(SATO), 'junk');
    expect(loadLiveUntil(st)).toBeNull();
    expect(loadLiveUntil(null)).toBeNull();
  });

  it('round-trips through storage and clears with an empty list', () => {
    const st = memoryStorage();
    setMissedCallsOwner(SATO, st);
    const list = addMissedCalls([], [mc('a', 1), mc('b', 2)]);
    saveMissedCalls(list, st);
    expect(loadMissedCalls(st)).toEqual(list);
    saveMissedCalls([], st);
    expect(st.m.has(missedCallsStorageKey(SATO))).toBe(false);
    expect(loadMissedCalls(st)).toEqual([]);
  });

  it('survives corrupt, foreign and missing storage, and quota errors', () => {
    const st = memoryStorage();
    setMissedCallsOwner(SATO, st);
    const key = missedCallsStorageKey(SATO);
    st.m.set(key, '{not json');
    expect(loadMissedCalls(st)).toEqual([]);
    st.m.set(key, JSON.stringify([{ uuid: 5 }, mc('ok', 1)]));
    expect(loadMissedCalls(st).map((c) => c.uuid)).toEqual(['ok']);
    expect(loadMissedCalls(null)).toEqual([]);
    const full = { ...st, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveMissedCalls([mc('x', 1)], full)).not.toThrow();
    const broken = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => {}, removeItem: () => {} };
    expect(setMissedCallsOwner(KIMURA, broken)).toEqual([]);
  });

  it('keeps one list per user and domain; the key escapes its parts', () => {
    const st = memoryStorage();
    expect(missedCallsStorageKey({ username: 'a:b', domain: 'x' })).not.toBe(missedCallsStorageKey({ username: 'b', domain: 'x:a' }));
    expect(missedCallsStorageKey(SATO)).toBe('basix-console.missed-calls.v1:test1:sato');
    setMissedCallsOwner(SATO, st);
    saveMissedCalls([mc('sato-1', 1)], st);
    saveLiveUntil(5_000, st);
    expect(setMissedCallsOwner(KIMURA, st)).toEqual([]);
    expect(loadLiveUntil(st)).toBeNull();
    saveMissedCalls([mc('kimura-1', 2)], st);
    // the same user name in another domain is someone else
    expect(setMissedCallsOwner({ username: 'sato', domain: 'other' }, st)).toEqual([]);
    expect(setMissedCallsOwner(SATO, st).map((c) => c.uuid)).toEqual(['sato-1']);
    expect(loadLiveUntil(st)).toBe(5_000);
    expect(setMissedCallsOwner(KIMURA, st).map((c) => c.uuid)).toEqual(['kimura-1']);
  });

  it('without an owner (before the session is known, after a logout) loads nothing and saves nothing', () => {
    const st = memoryStorage();
    setMissedCallsOwner(SATO, st);
    saveMissedCalls([mc('sato-1', 1)], st);
    const before = new Map(st.m);
    expect(setMissedCallsOwner(null, st)).toEqual([]);
    expect(getMissedCallsOwner()).toBeNull();
    expect(loadMissedCalls(st)).toEqual([]);
    saveMissedCalls([mc('x', 2)], st);
    saveMissedCalls([], st);
    saveLiveUntil(9_000, st);
    expect(loadLiveUntil(st)).toBeNull();
    expect(st.m).toEqual(before);
  });

  it('hands the unkeyed list of an older console (and its live-until mark) to the first user once', () => {
    const st = memoryStorage();
    st.m.set(MISSED_CALLS_STORAGE_KEY, JSON.stringify([mc('old-1', 1), mc('old-2', 2)]));
    st.m.set(LIVE_UNTIL_STORAGE_KEY, '7000');
    expect(setMissedCallsOwner(SATO, st).map((c) => c.uuid)).toEqual(['old-2', 'old-1']);
    expect(loadLiveUntil(st)).toBe(7_000);
    expect(st.m.has(MISSED_CALLS_STORAGE_KEY)).toBe(false);
    expect(st.m.has(LIVE_UNTIL_STORAGE_KEY)).toBe(false);
    expect(JSON.parse(st.m.get(missedCallsStorageKey(SATO))!)).toHaveLength(2);
    // the next user does not get it, and the first one keeps it
    expect(setMissedCallsOwner(KIMURA, st)).toEqual([]);
    expect(loadLiveUntil(st)).toBeNull();
    expect(setMissedCallsOwner(SATO, st)).toHaveLength(2);
    // a corrupt unkeyed entry is dropped, not handed over
    st.m.set(MISSED_CALLS_STORAGE_KEY, '{not json');
    expect(setMissedCallsOwner(KIMURA, st)).toEqual([]);
    expect(st.m.has(MISSED_CALLS_STORAGE_KEY)).toBe(false);
  });
});
