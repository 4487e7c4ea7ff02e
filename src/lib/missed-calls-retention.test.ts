import { describe, expect, it } from 'vitest';
import { addMissedCalls, outageMarker, type MissedCall } from './missed-calls.ts';
import { RETAIN_OLDER_MAX, applyRetention, retentionCutoffUs, startOfDayMs } from './missed-calls-retention.ts';

/** PBX µs of a local date and time (the rule reads days in the browser's zone). */
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(y, mo - 1, d, h, mi).getTime() * 1000;

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

// 2026-12-07 is a Monday, 12-04 the Friday before (made-up days)
describe('retentionCutoffUs', () => {
  it('Tuesday keeps Monday; Monday keeps Friday and the weekend', () => {
    expect(retentionCutoffUs([], at(2026, 12, 8, 9))).toBe(at(2026, 12, 7));
    expect(retentionCutoffUs([], at(2026, 12, 7, 9))).toBe(at(2026, 12, 4));
    expect(retentionCutoffUs([], at(2026, 12, 6, 9))).toBe(at(2026, 12, 4)); // Sunday: Friday too
  });

  it('after a day without calls (a holiday) keeps the last day that had calls', () => {
    // Tuesday after a holiday Monday: Friday had the last calls
    const list = [mc('fri', at(2026, 12, 4, 17)), mc('thu', at(2026, 12, 3, 10))];
    expect(retentionCutoffUs(list, at(2026, 12, 8, 9))).toBe(at(2026, 12, 4));
    // an outage marker is not a working day
    const withMarker = addMissedCalls(list, [outageMarker(at(2026, 12, 7, 8), at(2026, 12, 7, 9))!]);
    expect(retentionCutoffUs(withMarker, at(2026, 12, 8, 9))).toBe(at(2026, 12, 4));
  });

  it('reads days by the calendar, not 24 h steps', () => {
    expect(startOfDayMs(at(2026, 12, 8, 23, 59) / 1000)).toBe(at(2026, 12, 8) / 1000);
  });
});

describe('applyRetention', () => {
  it('keeps a whole busy today and previous working day whatever their size, and the newest older calls up to the limit', () => {
    const now = at(2026, 12, 8, 17);
    const today = Array.from({ length: 2_500 }, (_, i) => mc(`t${i}`, at(2026, 12, 8, 8) + i * 10_000_000));
    const monday = Array.from({ length: 2_500 }, (_, i) => mc(`m${i}`, at(2026, 12, 7, 8) + i * 10_000_000));
    const older = Array.from({ length: RETAIN_OLDER_MAX + 30 }, (_, i) => mc(`o${i}`, at(2026, 12, 4, 8) + i * 1_000_000));
    const list = addMissedCalls([], [...today, ...monday, ...older]);
    const r = applyRetention(list, now);
    expect(r.cutoffUs).toBe(at(2026, 12, 7));
    expect(r.kept).toHaveLength(5_000 + RETAIN_OLDER_MAX);
    expect(r.dropped.map((c) => c.uuid)).toEqual(Array.from({ length: 30 }, (_, i) => `o${29 - i}`));
    expect(r.kept[0].uuid).toBe('t2499');
  });

  it('returns the same list when nothing goes; an old marker goes with the calls around it', () => {
    const now = at(2026, 12, 8, 17);
    const list = addMissedCalls([], [mc('t', at(2026, 12, 8, 9)), outageMarker(at(2026, 12, 1, 9), at(2026, 12, 1, 10))!]);
    expect(applyRetention(list, now).kept.map((c) => c.uuid)).toEqual(['t']); // no older call kept: the marker is noise
    const keep = addMissedCalls([], [mc('t', at(2026, 12, 8, 9)), mc('mon', at(2026, 12, 7, 9)), mc('old', at(2026, 12, 1, 12)), outageMarker(at(2026, 12, 1, 13), at(2026, 12, 1, 14))!]);
    expect(applyRetention(keep, now).kept).toBe(keep);
    expect(applyRetention(keep, now, 0).dropped.map((c) => c.uuid)).toEqual(['old']);
    expect(applyRetention(keep, now, 0).kept.map((c) => c.uuid)).toEqual(['t', 'mon']);
  });
});
