import { afterEach, describe, expect, it } from 'vitest';
import {
  ClockOffsetEstimator,
  elapsedSinceMs,
  newestTimestampMs,
  offsetIntervalFromDateHeader,
  offsetSampleMs,
  pbxNowUs,
  setBrowserClockForTests,
  setPbxClockOffsetMs,
  wireUsToMs,
} from './clock.ts';

// Made-up times: the PBX clock reads 2026-11-30 09:00:00 JST (00:00 UTC).
const PBX_T0_MS = Date.UTC(2026, 10, 30, 0, 0, 0);

afterEach(() => {
  setBrowserClockForTests();
  setPbxClockOffsetMs(0);
});

describe('wire timestamps', () => {
  it('converts µs numbers and bigints to ms, rejects absent/invalid', () => {
    expect(wireUsToMs(1_546_839_040_024_071)).toBeCloseTo(1_546_839_040_024.071, 3);
    expect(wireUsToMs(1_546_839_040_024_071n)).toBeCloseTo(1_546_839_040_024.071, 3);
    expect(wireUsToMs(undefined)).toBeNull();
    expect(wireUsToMs(null)).toBeNull();
    expect(wireUsToMs(0)).toBeNull();
    expect(wireUsToMs(Number.NaN)).toBeNull();
  });

  it('takes the newest of state.ts, offer, answer and hangup timestamps', () => {
    const rec = {
      uuid: 'c1',
      offer_timestamp: 1_000_000_000,
      answer_timestamp: 3_000_000_000,
      hangup_timestamp: undefined,
      state: { ts: 2_000_000_000, name: 'bridged', data: {} },
    };
    expect(newestTimestampMs(rec)).toBe(3_000_000);
    expect(newestTimestampMs({ id: 7, name: 'user7' })).toBeNull();
    expect(newestTimestampMs(null)).toBeNull();
  });

  it('samples info_event and initial_info, not other messages', () => {
    const rec = { uuid: 'c1', state: { ts: (PBX_T0_MS + 500) * 1000, name: 'calling', data: {} } };
    expect(offsetSampleMs({ type: 'info_event', data: rec }, PBX_T0_MS)).toBe(500);
    expect(offsetSampleMs({ type: 'initial_info', data: { c1: rec, c2: { uuid: 'c2', offer_timestamp: PBX_T0_MS * 1000 } } }, PBX_T0_MS)).toBe(500);
    expect(offsetSampleMs({ type: 'system_msg' }, PBX_T0_MS)).toBeNull();
  });
});

describe('ClockOffsetEstimator', () => {
  it('is 0 before any sample', () => {
    expect(new ClockOffsetEstimator().estimateMs()).toBe(0);
  });

  it('finds a PC clock that is 3 minutes slow, from events with network delay and stale timestamps', () => {
    const trueOffsetMs = 3 * 60_000; // PBX = browser + 3 min
    const est = new ClockOffsetEstimator();
    // browser time of reception; the event happened on the PBX `delay` ms before reception
    const events = [
      { browserMs: PBX_T0_MS - trueOffsetMs + 0, delayMs: 40 },
      { browserMs: PBX_T0_MS - trueOffsetMs + 1_000, delayMs: 12 }, // the tightest
      { browserMs: PBX_T0_MS - trueOffsetMs + 2_000, delayMs: 90_000 }, // an update of an old state
      { browserMs: PBX_T0_MS - trueOffsetMs + 3_000, delayMs: 25 },
    ];
    for (const e of events) {
      const eventPbxMs = e.browserMs + trueOffsetMs - e.delayMs;
      const sample = offsetSampleMs({ type: 'info_event', data: { uuid: 'x', state: { ts: eventPbxMs * 1000 } } }, e.browserMs);
      est.add(sample!, e.browserMs);
    }
    // lower bound, within the smallest delay
    expect(est.estimateMs()).toBe(trueOffsetMs - 12);
    expect(est.estimateMs()).toBeLessThanOrEqual(trueOffsetMs);
  });

  it('finds a PC clock that is 5 minutes fast (negative offset)', () => {
    const est = new ClockOffsetEstimator();
    const trueOffsetMs = -5 * 60_000;
    for (let i = 0; i < 10; i++) {
      const browserMs = PBX_T0_MS + i * 1000;
      est.add(browserMs + trueOffsetMs - (20 + i) - browserMs, browserMs);
    }
    expect(est.estimateMs()).toBe(trueOffsetMs - 20);
  });

  it('forgets samples outside the window so a stepped PC clock is followed', () => {
    const est = new ClockOffsetEstimator({ windowMs: 60_000 });
    est.add(10_000, PBX_T0_MS);
    expect(est.estimateMs()).toBe(10_000);
    // the PC clock got corrected: offsets now ~0; the old sample ages out after a minute
    est.add(-5, PBX_T0_MS + 30_000);
    expect(est.estimateMs()).toBe(10_000);
    est.add(-3, PBX_T0_MS + 61_000);
    expect(est.estimateMs()).toBe(-3);
    expect(est.size).toBe(2);
  });

  it('keeps at most maxSamples and ignores non-finite samples', () => {
    const est = new ClockOffsetEstimator({ maxSamples: 3 });
    est.add(Number.NaN, PBX_T0_MS);
    expect(est.size).toBe(0);
    for (let i = 0; i < 5; i++) est.add(i === 0 ? 999 : i, PBX_T0_MS + i);
    expect(est.size).toBe(3);
    expect(est.estimateMs()).toBe(4); // the 999 sample was the oldest and is gone
  });
});

describe('pbxNowUs / elapsedSinceMs', () => {
  it('adds the offset to the browser clock, in µs', () => {
    setBrowserClockForTests(() => PBX_T0_MS);
    setPbxClockOffsetMs(180_000);
    expect(pbxNowUs()).toBe((PBX_T0_MS + 180_000) * 1000);
  });

  it('measures elapsed PBX time in ms and never goes negative', () => {
    const nowUs = PBX_T0_MS * 1000;
    expect(elapsedSinceMs(nowUs - 42_000_000, nowUs)).toBe(42_000);
    expect(elapsedSinceMs(BigInt(nowUs - 1_000_000), nowUs)).toBe(1_000);
    expect(elapsedSinceMs(nowUs + 5_000, nowUs)).toBe(0);
    expect(elapsedSinceMs(undefined, nowUs)).toBeNull();
  });
});

describe('HTTP Date header interval (bug: times too short after load on a quiet PBX)', () => {
  /** The Date header a server whose clock reads `serverMs` sends (1 s resolution, truncated). */
  const dateHeader = (serverMs: number) => new Date(Math.floor(serverMs / 1000) * 1000).toUTCString();

  it('gives [D − tRecv, D + 1000 − tSend] and rejects bad input', () => {
    const iv = offsetIntervalFromDateHeader('Mon, 30 Nov 2026 00:00:10 GMT', 1_000, 1_200);
    const d = Date.UTC(2026, 10, 30, 0, 0, 10);
    expect(iv).toEqual({ lowMs: d - 1_200, highMs: d + 1000 - 1_000, atMs: 1_200 });
    expect(offsetIntervalFromDateHeader(null, 1, 2)).toBeNull();
    expect(offsetIntervalFromDateHeader('garbage', 1, 2)).toBeNull();
    expect(offsetIntervalFromDateHeader('Mon, 30 Nov 2026 00:00:10 GMT', 5, 2)).toBeNull();
  });

  for (const pcOffMs of [-7 * 60_000 - 321, 4 * 60_000 + 777, 0]) {
    it(`PC clock ${pcOffMs} ms off the PBX, old snapshot, no live event: a 35 s park reads 35 s ± 1 s`, () => {
      const trueOffsetMs = -pcOffMs; // PBX − browser
      const est = new ClockOffsetEstimator();
      const loadBrowserMs = PBX_T0_MS + 123_456 - trueOffsetMs;
      // session check: 80 ms round trip, the server stamps its Date mid-way
      const tSend = loadBrowserMs;
      const tRecv = loadBrowserMs + 80;
      est.setInterval(offsetIntervalFromDateHeader(dateHeader(tSend + 40 + trueOffsetMs), tSend, tRecv));
      // the snapshot arrives 150 ms later; the newest timestamp in it is the park, 35 s old
      const snapBrowserMs = tRecv + 150;
      const parkedAtPbxMs = snapBrowserMs + trueOffsetMs - 35_000;
      const sample = offsetSampleMs(
        { type: 'initial_info', data: { p: { uuid: 'p', state: { ts: parkedAtPbxMs * 1000, name: 'park' } } } },
        snapBrowserMs,
      );
      est.add(sample!, snapBrowserMs);
      const offset = est.estimateMs();
      expect(Math.abs(offset - trueOffsetMs)).toBeLessThanOrEqual(1000);
      // what the park slot shows 5 s after load
      const shownMs = elapsedSinceMs(parkedAtPbxMs * 1000, (snapBrowserMs + 5_000 + offset) * 1000)!;
      expect(Math.abs(shownMs - 40_000)).toBeLessThanOrEqual(1000);
      // the lower-bound-only estimate was the bug: 35 s short
      const eventsOnly = new ClockOffsetEstimator();
      eventsOnly.add(sample!, snapBrowserMs);
      expect(trueOffsetMs - eventsOnly.estimateMs()).toBeGreaterThanOrEqual(35_000);
    });
  }

  it('never goes below an event lower bound; events above the interval win (they prove it)', () => {
    const est = new ClockOffsetEstimator();
    est.setInterval({ lowMs: 1_000, highMs: 2_000, atMs: PBX_T0_MS });
    expect(est.estimateMs()).toBe(1_500);
    est.add(1_200, PBX_T0_MS + 1); // below the midpoint: midpoint stays
    expect(est.estimateMs()).toBe(1_500);
    est.add(1_800, PBX_T0_MS + 2); // a tighter lower bound than the midpoint
    expect(est.estimateMs()).toBe(1_800);
    est.add(2_500, PBX_T0_MS + 3); // above the interval's top: the web server's clock lags
    expect(est.estimateMs()).toBe(2_500);
  });

  it('a new interval (reconnect) replaces the old one; reset forgets it; invalid ones are ignored', () => {
    const est = new ClockOffsetEstimator();
    est.setInterval({ lowMs: 1_000, highMs: 2_000, atMs: 0 });
    est.setInterval({ lowMs: 61_000, highMs: 62_000, atMs: 10 });
    expect(est.estimateMs()).toBe(61_500);
    est.setInterval({ lowMs: 5, highMs: 1, atMs: 20 });
    est.setInterval({ lowMs: Number.NaN, highMs: 1, atMs: 20 });
    est.setInterval(null);
    expect(est.currentInterval).toEqual({ lowMs: 61_000, highMs: 62_000, atMs: 10 });
    est.reset();
    expect(est.estimateMs()).toBe(0);
    expect(est.currentInterval).toBeNull();
  });
});
