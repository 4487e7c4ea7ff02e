// The data layer end to end against the simulated PBX over a real socket: CtiConnection (as the
// worker runs it) → handleWorkerMessage → the store → selectors. The simulator runs on a virtual
// clock set months away from this machine's, which is the "PC clock is off" case for the clock
// estimate.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { elapsedSinceMs, pbxNowUs } from '../../lib/clock.ts';
import { VirtualScheduler } from '../../pbx-sim/scheduler.ts';
import { startPbxSim, type RunningPbxSim } from '../../pbx-sim/server.ts';
import { login } from '../../pbx-sim/test-support.ts';
import { resetConsoleStoreForTests, sendCommand, setConnectionDriver, useConsoleStore } from '../../stores/console-store.ts';
import { selectParkSlots, selectRingingCalls } from '../../stores/selectors.ts';
import { handleWorkerMessage } from './connection-manager.ts';
import { CtiConnection, type SocketLike } from './cti-connection.ts';
import { fetchSession, probeHttp } from './session-check.ts';
import type { FromWorker } from './protocol.ts';

let sim: RunningPbxSim;
const sched = new VirtualScheduler();
let conn: CtiConnection;
const navigations: string[] = [];
const warnings: unknown[][] = [];

async function scenario(steps: unknown[]): Promise<Record<string, string>> {
  const r = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) });
  expect(r.status).toBe(200);
  return ((await r.json()) as { calls: Record<string, string> }).calls;
}
const state = () => useConsoleStore.getState();
/** while true, the UI thread does not acknowledge batches (busy): the worker holds and coalesces */
let holdAcks = false;
let heldAcks = 0;
/** a text frame to wait for at the socket (before the worker's hold) */
let marker: string | null = null;
let markerSeen = false;
const waitFor = (fn: () => void) => vi.waitFor(fn, { timeout: 5_000, interval: 10 });

beforeAll(async () => {
  resetConsoleStoreForTests();
  vi.stubGlobal('window', { location: { pathname: '/', search: '', hash: '' } });
  sim = await startPbxSim({ quiet: true, control: true, seed: 3, scheduler: sched });
  const cookie = await login(sim.url, 'operator', 'operator');
  conn = new CtiConnection(
    {
      createSocket: (url) => {
        const ws = new WebSocket(url, { headers: { Cookie: cookie }, perMessageDeflate: false });
        ws.on('message', (d: Buffer) => {
          if (marker !== null && Buffer.from(d).includes(marker)) markerSeen = true;
        });
        return ws as unknown as SocketLike;
      },
      checkSession: () => fetchSession(sim.url, (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as object), cookie } })),
      probeHttp: () => probeHttp(sim.url),
      post: (m) => {
        handleWorkerMessage(m, (u) => navigations.push(u));
        if (m.type !== 'batch') return;
        if (holdAcks) heldAcks++;
        else setTimeout(() => conn.applied(), 0); // as connection-manager.ts acks after paint
      },
      scheduleFrame: (cb) => setTimeout(cb, 16),
      now: () => Date.now(),
      random: () => 0,
      setTimeout: (cb, ms) => setTimeout(cb, ms),
      clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      warn: (...a) => warnings.push(a),
    },
    { wsBase: sim.url.replace(/^http/, 'ws'), appName: 'console-it' },
  );
  setConnectionDriver({ connect: ({ force }) => conn.connect(force), send: (id, c, x) => conn.send(id, c, x), disconnect: () => conn.disconnect() });
  conn.connect(false);
  await waitFor(() => expect(state().connection.status).toBe('live'));
});

afterAll(async () => {
  conn.disconnect();
  setConnectionDriver(null);
  await sim.close();
  vi.unstubAllGlobals();
});

describe('console data layer against the simulator', () => {
  it('loads the snapshot: session, users, groups; the free park slots of the operator\'s park group (0: 901–903), the shared 997–999, and the default profile\'s optional domain range (901–910)', () => {
    const s = state();
    expect(s.session).toMatchObject({ username: 'operator', isAdmin: true });
    expect(s.user.size).toBeGreaterThan(10);
    expect(s.group.size).toBeGreaterThan(0);
    expect(selectParkSlots(s).map((x) => x.slot)).toEqual([901, 902, 903, 904, 905, 906, 907, 908, 909, 910, 997, 998, 999]);
    expect(s.diagnostics.badFrames).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('knows the PBX clock from the session Date header before any live event (quiet PBX, months off)', () => {
    // no scenario has run: only the snapshot and the session check's Date header are known
    const trueOffsetMs = sched.nowMs() - Date.now();
    expect(Math.abs(trueOffsetMs)).toBeGreaterThan(24 * 3600_000);
    expect(Math.abs(state().clockOffsetMs - trueOffsetMs)).toBeLessThan(1_500);
  });

  it('shows a ringing call with a ring time right on the PBX clock although the PC clock is months off', async () => {
    const calls = await scenario([{ op: 'inbound_call', id: 'r1', from: '0312345678', calling_name: '田中 一郎', to_group: 'group1' }]);
    await waitFor(() => expect(selectRingingCalls(state()).map((c) => c.uuid)).toContain(calls.r1));
    const ch = state().channel.get(calls.r1)!;
    expect(Math.abs(state().clockOffsetMs)).toBeGreaterThan(24 * 3600_000); // the clocks really differ
    expect(elapsedSinceMs(ch.state?.ts, pbxNowUs())).toBeLessThan(5_000);
  });

  it('records a caller who hangs up while ringing as an abandoned missed call', async () => {
    const calls = await scenario([{ op: 'inbound_call', id: 'm1', from: '0398765432', to_group: 'group1' }]);
    sched.advance(12_000);
    await scenario([{ op: 'hangup', call: calls.m1, cause: 'recv_cancel,ORIGINATOR_CANCEL' }]);
    await waitFor(() => expect(state().missedCalls.map((c) => c.uuid)).toContain(calls.m1));
    const m = state().missedCalls.find((c) => c.uuid === calls.m1)!;
    expect(m).toMatchObject({ callerNumber: '0398765432', abandoned: true, called: { kind: 'group' }, disposition: { cause: 'ORIGINATOR_CANCEL' } });
    expect(m.waitedMs).toBeCloseTo(12_000, -1); // the simulator keeps µs timestamps unique, so ±a few µs
    expect(state().channel.has(calls.m1)).toBe(false);
  });

  it('park: the pending action resolves from the events and the slot fills', async () => {
    const calls = await scenario([
      { op: 'inbound_call', id: 'p1', from: '0311112222', to_group: 'group1' },
      { op: 'answer', call: 'p1', user: 'user1' },
    ]);
    await waitFor(() => expect(state().channel.get(calls.p1)?.state?.name).toBe('bridged'));
    const id = sendCommand({ cmd: 'park', uuid: calls.p1, timeout: 60 });
    await waitFor(() => expect(state().pendingActions.find((a) => a.id === id)?.status).toBe('done'));
    expect(selectParkSlots(state()).find((x) => x.call?.channel.uuid === calls.p1)?.slot).toBe(901);
  });

  it('a park picked up again while the UI thread was busy is confirmed, though the store never saw it parked', async () => {
    const calls = await scenario([{ op: 'inbound_call', id: 'cp', from: '0322223333', to_group: 'group1' }]);
    await waitFor(() => expect(state().channel.has(calls.cp)).toBe(true));
    const shown: string[] = []; // the states of the call the store was given
    const unsubscribe = useConsoleStore.subscribe((s) => {
      const name = s.channel.get(calls.cp)?.state?.name;
      if (name && shown.at(-1) !== name) shown.push(name);
    });
    holdAcks = true;
    try {
      // one batch posted and not acknowledged: from now on the worker holds and coalesces
      await scenario([{ op: 'presence', user: 'user3', presence: 1 }]);
      await waitFor(() => expect(heldAcks).toBeGreaterThan(0));
      const id = sendCommand({ cmd: 'park', uuid: calls.cp, timeout: 60 });
      await waitFor(() => expect(sim.sim.model.channels.get(calls.cp)?.state.name).toBe('park'));
      await scenario([{ op: 'answer', call: calls.cp, user: 'user2' }]); // picked up from the slot
      marker = 'coalesce-test-marker';
      await scenario([{ op: 'msg', text: marker }]);
      await waitFor(() => expect(markerSeen).toBe(true)); // every frame up to the pickup is in the worker
      expect(state().pendingActions.find((a) => a.id === id)?.status).toBe('pending');
      holdAcks = false;
      for (; heldAcks > 0; heldAcks--) conn.applied();
      await waitFor(() => expect(state().channel.get(calls.cp)?.state?.name).toBe('bridged'));
      expect(shown).not.toContain('park');
      expect(state().pendingActions.find((a) => a.id === id)).toMatchObject({ status: 'done', failure: null });
    } finally {
      holdAcks = false;
      for (; heldAcks > 0; heldAcks--) conn.applied();
      marker = null;
      unsubscribe();
    }
  });

  it('a bad command fails with the server message', async () => {
    // a channel we know is gone: the server answers {msg, Text}
    const id = sendCommand({ cmd: 'transfer', uuid: 'no-such-call', user_id: 10001002 });
    await waitFor(() => expect(state().pendingActions.find((a) => a.id === id)?.status).toBe('failed'));
    expect(state().pendingActions.find((a) => a.id === id)?.failure).toBe('server');
  });

  it('after a PBX restart: reconnecting (stale), then a fresh snapshot with no ghosts or duplicates', async () => {
    const r = await fetch(`${sim.url}/__sim/restart`, { method: 'POST', body: JSON.stringify({ downMs: 300 }) });
    expect(r.status).toBe(200);
    await waitFor(() => expect(state().connection.status).toBe('reconnecting'));
    // while away, a call ends
    const ringing = selectRingingCalls(state()).map((c) => c.uuid);
    expect(ringing.length).toBeGreaterThan(0);
    sim.sim.model.hangup(ringing[0], 'recv_cancel,ORIGINATOR_CANCEL');
    await waitFor(() => expect(state().connection.status).toBe('live'));
    expect(state().channel.has(ringing[0])).toBe(false);
    expect([...state().channel.keys()].sort()).toEqual([...sim.sim.model.channels.keys()].sort());
    expect(state().connection.snapshotConnectionId).toBe(state().connection.connectionId);
  });

  it('a lost login, seen from the socket alone: sockets refused while the login page answers ⇒ "log in"; logging in elsewhere ⇒ live again', async () => {
    const posts: FromWorker[] = [];
    let cookie = 'basix_session=expired-or-made-up';
    const c = new CtiConnection(
      {
        createSocket: (url) => new WebSocket(url, { headers: { Cookie: cookie }, perMessageDeflate: false }) as unknown as SocketLike,
        checkSession: () => fetchSession(sim.url, (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as object), cookie } })),
        probeHttp: () => probeHttp(sim.url),
        post: (m) => {
          posts.push(m);
          if (m.type === 'batch') setTimeout(() => c.applied(), 0);
        },
        scheduleFrame: (cb) => setTimeout(cb, 16),
        now: () => Date.now(),
        random: () => 0,
        setTimeout: (cb, ms) => setTimeout(cb, ms),
        clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
        warn: (...a) => warnings.push(a),
      },
      { wsBase: sim.url.replace(/^http/, 'ws'), appName: 'console-relogin' },
    );
    const lastStatus = () => posts.filter((p) => p.type === 'status').at(-1);
    try {
      c.connect(false);
      await vi.waitFor(() => expect(lastStatus()).toMatchObject({ status: 'reconnecting', loginRequired: true }), { timeout: 15_000, interval: 20 });
      expect(posts.some((p) => p.type === 'batch' && p.goLive)).toBe(false);
      cookie = await login(sim.url, 'operator', 'operator');
      c.wake(0); // the page gets the focus back
      await vi.waitFor(() => expect(posts.some((p) => p.type === 'batch' && p.goLive)).toBe(true), { timeout: 10_000, interval: 20 });
      expect(lastStatus()).toMatchObject({ loginRequired: false });
    } finally {
      c.disconnect();
    }
  });

  it('connection_replaced stops retrying and shows the reason; no login redirect', async () => {
    await scenario([{ op: 'system_msg', msg: 'connection_replaced' }]);
    await waitFor(() => expect(state().connection).toMatchObject({ status: 'stopped', stopReason: 'connection_replaced' }));
    expect(navigations).toEqual([]);
  });
});
