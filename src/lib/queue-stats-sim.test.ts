// The queue statistics engine against the simulated PBX over a real socket (issue 13): the
// scripted call-centre morning (src/pbx-sim/scenarios/call-centre-day.ts) runs on the simulator's
// virtual clock, event by event, through CtiConnection → the store → the tracker (fed from store
// updates as the console feeds it); the figures must equal the scenario's known answers.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VirtualScheduler } from '../pbx-sim/scheduler.ts';
import { startPbxSim, type RunningPbxSim } from '../pbx-sim/server.ts';
import { login } from '../pbx-sim/test-support.ts';
import { callCentreDayExpected, callCentreDayTimeline } from '../pbx-sim/scenarios/call-centre-day.ts';
import { resetConsoleStoreForTests, setConnectionDriver, useConsoleStore } from '../stores/console-store.ts';
import { handleWorkerMessage } from '../features/connection/connection-manager.ts';
import { CtiConnection, type SocketLike } from '../features/connection/cti-connection.ts';
import { fetchSession, probeHttp } from '../features/connection/session-check.ts';
import { groupStats, type GroupStats } from './queue-stats.ts';
import { QueueStatsTracker } from './queue-stats-tracker.ts';

let sim: RunningPbxSim;
// 2026-12-07 09:00 in Tokyo: the morning stays within one PBX day
const sched = new VirtualScheduler(Date.UTC(2026, 11, 7, 0, 0, 0));
let conn: CtiConnection;
const tracker = new QueueStatsTracker({ timeZone: 'Asia/Tokyo' });
let unsubscribe = () => {};
const state = () => useConsoleStore.getState();
const waitFor = (fn: () => void) => vi.waitFor(fn, { timeout: 10_000, interval: 10 });

async function scenario(steps: unknown[]): Promise<void> {
  const r = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) });
  expect(r.status, await r.clone().text()).toBe(200);
}

beforeAll(async () => {
  resetConsoleStoreForTests();
  vi.stubGlobal('window', { location: { pathname: '/', search: '', hash: '' } });
  sim = await startPbxSim({ quiet: true, control: true, seed: 5, scheduler: sched });
  const cookie = await login(sim.url, 'operator', 'operator');
  conn = new CtiConnection(
    {
      createSocket: (url) => new WebSocket(url, { headers: { Cookie: cookie }, perMessageDeflate: false }) as unknown as SocketLike,
      checkSession: () => fetchSession(sim.url, (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as object), cookie } })),
      probeHttp: () => probeHttp(sim.url),
      post: (m) => {
        handleWorkerMessage(m, () => {});
        if (m.type === 'batch') setTimeout(() => conn.applied(), 0);
      },
      scheduleFrame: (cb) => setTimeout(cb, 16),
      now: () => Date.now(),
      random: () => 0,
      setTimeout: (cb, ms) => setTimeout(cb, ms),
      clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      warn: () => {},
    },
    { wsBase: sim.url.replace(/^http/, 'ws'), appName: 'stats-it' },
  );
  setConnectionDriver({ connect: ({ force }) => conn.connect(force), send: (id, c, x) => conn.send(id, c, x), disconnect: () => conn.disconnect() });
  unsubscribe = useConsoleStore.subscribe((next, prev) => tracker.update(prev, next, (Date.now() + next.clockOffsetMs) * 1000));
  conn.connect(false);
  await waitFor(() => expect(state().connection.status).toBe('live'));
  tracker.update(null, state(), (Date.now() + state().clockOffsetMs) * 1000);
});

afterAll(async () => {
  unsubscribe();
  conn.disconnect();
  setConnectionDriver(null);
  await sim.close();
  vi.unstubAllGlobals();
});

describe('queue statistics of the simulated call-centre morning', () => {
  it('equal the scenario’s known answers per group', async () => {
    const groupId = (name: string) => Number([...state().group.values()].find((g) => g.name === name)!.id);
    const before = new Map(groupStats(tracker.day!).map((g) => [g.groupId, g]));
    let t = 0;
    for (const e of callCentreDayTimeline()) {
      sched.advance(e.atMs - t);
      t = e.atMs;
      const frames = state().diagnostics.framesReceived;
      await scenario(e.steps);
      // one event at a time through the store, as a live console sees them
      await waitFor(() => expect(state().diagnostics.framesReceived).toBeGreaterThan(frames));
    }
    const expected = callCentreDayExpected(20);
    const stats = new Map(groupStats(tracker.day!).map((g) => [g.groupId, g]));
    for (const [name, exp] of Object.entries(expected)) {
      const gid = groupId(name);
      const got = stats.get(gid) as GroupStats;
      const base = before.get(gid);
      expect(base?.answered ?? 0).toBe(0); // the seeded start leaves nothing settled
      expect({ name, ...pick(got), offered: got.offered - (base?.offered ?? 0) }).toEqual({ name, ...pick({ ...got, ...exp }), offered: exp.offered });
    }
  });
});

function pick(g: Pick<GroupStats, 'answered' | 'abandoned' | 'voicemail' | 'avgWaitAnsweredMs' | 'longestWaitAnsweredMs' | 'avgWaitAbandonedMs' | 'serviceLevel'>) {
  const r = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    answered: g.answered,
    abandoned: g.abandoned,
    voicemail: g.voicemail,
    avgWaitAnsweredMs: r(g.avgWaitAnsweredMs),
    longestWaitAnsweredMs: r(g.longestWaitAnsweredMs),
    avgWaitAbandonedMs: r(g.avgWaitAbandonedMs),
    serviceLevel: g.serviceLevel === null ? null : Math.round(g.serviceLevel * 1000) / 1000,
  };
}
