import { afterEach, describe, expect, it } from 'vitest';
import type { Channel } from '../stores/cti-types.ts';
import {
  OUTAGE_MIN_MS,
  addMissedCalls,
  detectMissedCall,
  getMissedCallsOwner,
  isOutageMarker,
  liveUntilStorageKey,
  loadLiveUntil,
  missedCallsOwnerId,
  missedCallsStorageKey,
  outageMarker,
  readListText,
  saveLiveUntil,
  saveMissedCalls,
  setMissedCallsOwner,
  setMissedCallsSink,
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
  it('keeps newest first, one per uuid, and no limit by default (a busy day is thousands of calls)', () => {
    const a = addMissedCalls([], [mc('a', 1), mc('b', 3)]);
    expect(a.map((c) => c.uuid)).toEqual(['b', 'a']);
    const b = addMissedCalls(a, [mc('c', 2), mc('a', 9)]);
    expect(b.map((c) => c.uuid)).toEqual(['b', 'c', 'a']);
    expect(addMissedCalls(b, [mc('a', 10)])).toBe(b); // nothing new: same array
    // an older list used again still knows only its own calls (the uuid set moved on to `b`)
    expect(addMissedCalls(a, [mc('c', 2)]).map((c) => c.uuid)).toEqual(['b', 'c', 'a']);
    expect(addMissedCalls(b, [mc('d', 4)]).map((c) => c.uuid)).toEqual(['d', 'b', 'c', 'a']);
    expect(addMissedCalls(b, [mc('c', 5)])).toBe(b);
    const day = addMissedCalls([], Array.from({ length: 2_500 }, (_, i) => mc(`m${i}`, i)));
    expect(day).toHaveLength(2_500);
    expect(day[0].uuid).toBe('m2499');
  });

  it('with a limit keeps the newest calls; outage markers never count against it', () => {
    const markers = [outageMarker(10_000_000_000, 40_000_000_000)!, outageMarker(50_000_000_000, 90_000_000_000)!];
    const calls = Array.from({ length: 10 }, (_, i) => mc(`m${i}`, 100_000_000_000 + i));
    const list = addMissedCalls([], [...calls, ...markers], 10);
    expect(list.filter((c) => !isOutageMarker(c))).toHaveLength(10);
    expect(list.filter(isOutageMarker)).toHaveLength(2);
    // past the limit the oldest call goes, and a marker older than every kept call with it
    const old = outageMarker(1_000_000_000, 2_000_000_000 + OUTAGE_MIN_MS * 1000)!;
    const five = addMissedCalls([], [...calls, old, mc('early', 5_000_000_000_000)], 5);
    expect(five.filter((c) => !isOutageMarker(c)).map((c) => c.uuid)).toEqual(['early', 'm9', 'm8', 'm7', 'm6']);
    expect(five.some(isOutageMarker)).toBe(false);
  });
});

describe('outage markers', () => {
  it('a span shorter than OUTAGE_MIN_MS (a reload, a quick reconnect) gives none unless asked for', () => {
    expect(outageMarker(T0_US, T0_US + (OUTAGE_MIN_MS - 1) * 1000)).toBeNull();
    expect(outageMarker(T0_US, T0_US + OUTAGE_MIN_MS * 1000)).not.toBeNull();
    expect(outageMarker(T0_US, T0_US + 2_000_000, { minMs: 0 })).toMatchObject({ kind: 'outage', outage: { fromUs: T0_US, toUs: T0_US + 2_000_000 } });
  });
});

describe('owners, live-until mark and the sink', () => {
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
  const OFFICE = { origin: 'https://pbx.example.test' };
  afterEach(() => {
    setMissedCallsOwner(null);
    setMissedCallsSink(null);
  });

  it('keeps outage markers (validated) in a stored list, and the live-until mark per owner', () => {
    const st = memoryStorage();
    setMissedCallsOwner(SATO);
    const marker = outageMarker(T0_US, T0_US + 180_000_000)!;
    expect(marker).toMatchObject({ kind: 'outage', uuid: `outage:${T0_US}`, offeredAtUs: T0_US, endedAtUs: T0_US + 180_000_000 });
    expect(outageMarker(T0_US, T0_US)).toBeNull();
    expect(outageMarker(T0_US, Number.NaN)).toBeNull();
    const list = addMissedCalls([], [mc('a', 1), marker]);
    expect(readListText(JSON.stringify(list))).toEqual(list);
    expect(readListText(JSON.stringify([{ ...marker, outage: null }]))).toEqual([]); // a corrupt marker is dropped
    expect(readListText('{not json')).toEqual([]);
    expect(readListText(JSON.stringify([{ uuid: 5 }, mc('ok', 1)])).map((c) => c.uuid)).toEqual(['ok']);
    expect(loadLiveUntil(st)).toBeNull();
    saveLiveUntil(1_234.4, st);
    expect(loadLiveUntil(st)).toBe(1_234);
    expect(st.m.get(liveUntilStorageKey(SATO))).toBe('1234');
    st.setItem(liveUntilStorageKey(SATO), 'junk');
    expect(loadLiveUntil(st)).toBeNull();
    expect(loadLiveUntil(null)).toBeNull();
    const full = { ...st, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(() => saveLiveUntil(5, full)).not.toThrow();
  });

  it('keeps one mark per user and domain, and one per PBX for the browser-wide list; ids never collide', () => {
    const st = memoryStorage();
    expect(missedCallsStorageKey({ username: 'a:b', domain: 'x' })).not.toBe(missedCallsStorageKey({ username: 'b', domain: 'x:a' }));
    expect(missedCallsStorageKey(SATO)).toBe('basix-console.missed-calls.v1:test1:sato');
    expect(missedCallsOwnerId(OFFICE)).toBe('origin=https%3A%2F%2Fpbx.example.test');
    expect(missedCallsOwnerId({ username: 'origin=x', domain: null })).not.toBe(missedCallsOwnerId({ origin: 'x' }));
    setMissedCallsOwner(SATO);
    saveLiveUntil(5_000, st);
    setMissedCallsOwner(KIMURA);
    expect(loadLiveUntil(st)).toBeNull();
    setMissedCallsOwner({ username: 'sato', domain: 'other' });
    expect(loadLiveUntil(st)).toBeNull();
    setMissedCallsOwner(OFFICE);
    expect(getMissedCallsOwner()).toEqual(OFFICE);
    expect(loadLiveUntil(st)).toBeNull();
    setMissedCallsOwner(SATO);
    expect(loadLiveUntil(st)).toBe(5_000);
  });

  it('hands saves to the sink only while there is an owner (none before it is known, none after a logout)', () => {
    const st = memoryStorage();
    const saved: number[] = [];
    setMissedCallsSink({ save: (l) => saved.push(l.length) });
    saveMissedCalls([mc('x', 1)]);
    saveLiveUntil(9_000, st);
    expect(saved).toEqual([]);
    expect(st.m.size).toBe(0);
    setMissedCallsOwner(SATO);
    saveMissedCalls([mc('x', 1), mc('y', 2)]);
    expect(saved).toEqual([2]);
    setMissedCallsOwner(null);
    saveMissedCalls([]);
    expect(saved).toEqual([2]);
  });
});
