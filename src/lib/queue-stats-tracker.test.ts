// The statistics tracker fed through the store's own reducer (applyBatch), as the console feeds it.
import { describe, expect, it } from 'vitest';
import { applyBatch } from '../stores/apply-batch.ts';
import { initialConsoleData, type ConnectionStatus, type ConsoleData } from '../stores/console-state.ts';
import type { Channel, CtiMessage } from '../stores/cti-types.ts';
import { batch, caller, group, GROUP_ID, T0_US } from '../stores/test-fixtures.ts';
import { fromStored, groupStats, daySlots, toStored } from './queue-stats.ts';
import { QueueStatsTracker } from './queue-stats-tracker.ts';

const TZ = 'Asia/Tokyo'; // T0_US is 09:00 there
const S = 1_000_000;

function harness(tracker = new QueueStatsTracker({ timeZone: TZ }), start = true) {
  let s: ConsoleData = {
    ...initialConsoleData(),
    group: new Map([[String(GROUP_ID), group(GROUP_ID)]]),
    connection: { ...initialConsoleData().connection, status: 'live' },
  };
  if (start) tracker.update(null, s, T0_US);
  return {
    tracker,
    get state() {
      return s;
    },
    send(atUs: number, messages: CtiMessage[], over: { freshSnapshot?: boolean } = {}) {
      const prev = s;
      s = { ...s, ...applyBatch(s, batch(messages, { receivedAtMs: atUs / 1000, ...over }), { nowMs: atUs / 1000, clockOffsetMs: 0 }) };
      tracker.update(prev, s, atUs);
    },
    status(atUs: number, status: ConnectionStatus) {
      const prev = s;
      s = { ...s, connection: { ...s.connection, status } };
      tracker.update(prev, s, atUs);
    },
  };
}

const ev = (element: string, data: Channel, event = 'updated'): CtiMessage => ({ type: 'info_event', element, data, event });
const waiting = (uuid: string, atUs: number): CtiMessage[] => [ev('channel', caller(uuid, atUs)), ev('channel_waiting', caller(uuid, atUs))];
const answer = (uuid: string, since: number, atUs: number): CtiMessage[] => [
  ev('channel', caller(uuid, since, { answer_timestamp: atUs, state: { ts: atUs, name: 'bridged', data: {} }, last_event: 'CHANNEL_BRIDGE' })),
  ev('channel_waiting', caller(uuid, since), 'removed'),
];
const hangup = (uuid: string, since: number, atUs: number, cause = 'recv_cancel,ORIGINATOR_CANCEL'): CtiMessage[] => [
  ev('channel', caller(uuid, since, { last_event: 'CHANNEL_HANGUP', last_event_data: cause, hangup_timestamp: atUs })),
];
const toVoicemail = (uuid: string, since: number, atUs: number): CtiMessage[] => [
  ev('channel', caller(uuid, since, { state: { ts: atUs, name: 'voicemail', data: { target_type: 'group', target_id: GROUP_ID } } })),
  ev('channel_waiting', caller(uuid, since), 'removed'),
];

/** A small scripted day: a answered after 12 s, b abandoned after 30 s, c to voicemail after 60 s, d answered after 40 s, e waiting. */
function scriptedDay() {
  const h = harness();
  h.send(T0_US, waiting('a', T0_US));
  h.send(T0_US + 1 * S, waiting('b', T0_US + 1 * S));
  h.send(T0_US + 2 * S, waiting('c', T0_US + 2 * S));
  h.send(T0_US + 3 * S, waiting('d', T0_US + 3 * S));
  h.send(T0_US + 12 * S, answer('a', T0_US, T0_US + 12 * S));
  h.send(T0_US + 31 * S, hangup('b', T0_US + 1 * S, T0_US + 31 * S));
  h.send(T0_US + 43 * S, answer('d', T0_US + 3 * S, T0_US + 43 * S));
  h.send(T0_US + 62 * S, toVoicemail('c', T0_US + 2 * S, T0_US + 62 * S));
  h.send(T0_US + 70 * S, waiting('e', T0_US + 70 * S));
  return h;
}

describe('QueueStatsTracker', () => {
  it('counts offered, answered, abandoned, voicemail, waits and the service level of a scripted day', () => {
    const h = scriptedDay();
    const [g] = groupStats(h.tracker.day!);
    expect(g).toMatchObject({ groupId: GROUP_ID, offered: 5, answered: 2, abandoned: 1, voicemail: 1, other: 0 });
    expect(g.avgWaitAnsweredMs).toBe(26_000);
    expect(g.longestWaitAnsweredMs).toBe(40_000);
    expect(g.avgWaitAbandonedMs).toBe(30_000);
    expect(g.serviceLevel).toBe(0.5);
    expect(groupStats(h.tracker.day!, () => 45)[0].serviceLevel).toBe(1);
  });

  it('records the peak of callers waiting per 15 minutes and the service level of the slot', () => {
    const h = scriptedDay();
    const slots = daySlots(h.tracker.day!, [], () => 20, TZ);
    expect(slots[36]).toMatchObject({ waitingPeak: 4, serviceLevel: 0.5 }); // 09:00–09:15
    expect(slots[35].waitingPeak).toBeNull();
  });

  it('an operator hang-up of a waiting caller is not an abandoned call', () => {
    const h = harness();
    h.send(T0_US, waiting('x', T0_US));
    h.send(T0_US + 5 * S, hangup('x', T0_US, T0_US + 5 * S, 'send_bye,NORMAL_CLEARING'));
    expect(groupStats(h.tracker.day!)[0]).toMatchObject({ offered: 1, abandoned: 0, other: 1 });
  });

  it('a reconnect with a fresh snapshot counts no call twice; a call gone meanwhile is unknown; the outage is kept', () => {
    const h = scriptedDay();
    h.status(T0_US + 80 * S, 'reconnecting');
    h.status(T0_US + 100 * S, 'connecting');
    // the fresh snapshot: d still talking, e gone while the console was blind
    const d = answer('d', T0_US + 3 * S, T0_US + 43 * S)[0] as { data: Channel };
    h.status(T0_US + 110 * S, 'live');
    h.send(T0_US + 110 * S, [{ type: 'initial_info', element: 'channel', data: { d: d.data } }], { freshSnapshot: true });
    const [g] = groupStats(h.tracker.day!);
    expect(g).toMatchObject({ offered: 5, answered: 2, abandoned: 1, voicemail: 1, other: 1 });
    expect(h.tracker.day!.outages).toEqual([{ fromUs: T0_US + 80 * S, toUs: T0_US + 110 * S }]);
  });

  it('a short blip (under 10 s) is no outage', () => {
    const h = scriptedDay();
    h.status(T0_US + 80 * S, 'reconnecting');
    h.status(T0_US + 83 * S, 'live');
    expect(h.tracker.day!.outages).toEqual([]);
  });

  it('after a reload, the stored day goes on: the gap is an outage and no call counts twice', () => {
    const first = scriptedDay();
    const stored = JSON.parse(JSON.stringify(toStored(first.tracker.day!)));
    const tracker = new QueueStatsTracker({ timeZone: TZ });
    tracker.restore(fromStored(stored)!, T0_US + 70 * S);
    const h = harness(tracker, false);
    h.send(T0_US + 130 * S, waiting('e', T0_US + 70 * S), { freshSnapshot: true }); // the new page's snapshot: e still waits
    expect(tracker.day!.outages).toEqual([{ fromUs: T0_US + 70 * S, toUs: T0_US + 130 * S }]);
    h.send(T0_US + 140 * S, answer('e', T0_US + 70 * S, T0_US + 140 * S));
    const [g] = groupStats(tracker.day!);
    expect(g).toMatchObject({ offered: 5, answered: 3, abandoned: 1, voicemail: 1 });
  });

  it('a reload after a gap adds the gap as an outage', () => {
    const first = scriptedDay();
    const tracker = new QueueStatsTracker({ timeZone: TZ });
    tracker.restore(fromStored(JSON.parse(JSON.stringify(toStored(first.tracker.day!))))!, T0_US + 70 * S);
    const live = { ...first.state };
    tracker.update(null, live, T0_US + 190 * S);
    expect(tracker.day!.outages).toEqual([{ fromUs: T0_US + 70 * S, toUs: T0_US + 190 * S }]);
  });

  it('starts a new day at local midnight (Asia/Tokyo), from what is seen then (a caller still waiting counts in it)', () => {
    const h = scriptedDay();
    h.send(T0_US + 15 * 3600 * S, waiting('z', T0_US + 15 * 3600 * S)); // 00:00 JST next day
    expect(h.tracker.day!.day).toBe('2025-12-01');
    expect(groupStats(h.tracker.day!)[0]).toMatchObject({ offered: 2, answered: 0 }); // e (still waiting) and z
    expect(h.tracker.day!.sinceUs).toBe(T0_US + 15 * 3600 * S);
  });

  it('marks a day fed by a limited view', () => {
    const h = harness();
    const prev = h.state;
    const next = { ...prev, limitedView: true };
    h.tracker.update(prev, next, T0_US + S);
    expect(h.tracker.day!.limited).toBe(true);
  });

  it('hands out each changed call once for the batched writes', () => {
    const h = scriptedDay();
    const first = h.tracker.takeDirty();
    expect(first.calls.map((c) => c.uuid).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(first.meta).toBe(true);
    expect(h.tracker.takeDirty()).toEqual({ calls: [], meta: false });
  });
});

describe('fromStored', () => {
  it('gives null for what is not a day and leaves bad calls out', () => {
    expect(fromStored(null)).toBeNull();
    expect(fromStored({ day: 1 })).toBeNull();
    const d = fromStored({ day: '2025-11-30', sinceUs: 1, calls: [{ uuid: 'a', groupId: 1, offeredAtUs: 1, outcome: 'answered', endedAtUs: 2 }, { uuid: 3 }] });
    expect([...d!.calls.keys()]).toEqual(['a']);
  });
});
