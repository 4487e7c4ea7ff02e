import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atom, binary, encodeEtf, tuple, type Term } from '../../cti/index.ts';
import { CtiConnection, FAILED_OPENS_BEFORE_LOGIN, type CtiConnectionDeps, type CtiConnectionOptions, type SessionCheck, type SocketLike } from './cti-connection.ts';
import type { HttpProbe } from './session-check.ts';
import type { BatchMessage, FromWorker, StatusMessage } from './protocol.ts';
import { handleWorkerMessage } from './connection-manager.ts';
import { resetConsoleStoreForTests, sendCommand, setConnectionDriver, setStoreClockForTests, useConsoleStore } from '../../stores/console-store.ts';
import { ACTION_TIMEOUT_MS } from '../../stores/console-state.ts';

// ---- frames as the PBX sends them (made-up data) ----
const T0_US = 1_764_460_800_000_000;
const CH_FIELDS = ['uuid', 'direction', 'calling_number', 'state', 'last_event'];
const chSpec = encodeEtf(tuple(atom('field_spec'), atom('channel'), CH_FIELDS.map(atom)));
const chRec = (uuid: string, tsUs: number, lastEvent = 'STATE_CHANGE'): Term =>
  tuple(binary(uuid), atom('inbound'), binary('0312345678'), tuple(tsUs, atom('bridged')), atom(lastEvent));
const chInitial = (...recs: Term[]) => encodeEtf(tuple(atom('initial_info'), atom('channel'), recs));
const chEvent = (rec: Term, ev = 'updated') => encodeEtf(tuple(atom('info_event'), atom('channel'), rec, atom(ev)));
const userSpec = encodeEtf(tuple(atom('field_spec'), atom('user'), [atom('id'), atom('name')]));
const userInitial = encodeEtf(tuple(atom('initial_info'), atom('user'), [tuple(10001001, binary('yamada'))]));
const sysMsg = (m: string) => encodeEtf(tuple(atom('system_msg'), atom(m)));
const ab = (u: Uint8Array): ArrayBuffer => u.slice().buffer as ArrayBuffer;

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  sent: string[] = [];
  closed = false;
  constructor(readonly url: string) {}
  send(d: string) {
    this.sent.push(d);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  // server side
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  frame(bytes: Uint8Array) {
    this.onmessage?.({ data: ab(bytes) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}

interface Harness {
  conn: CtiConnection;
  sockets: FakeSocket[];
  posts: FromWorker[];
  frames: Array<() => void>;
  warnings: unknown[][];
  session: { next: SessionCheck };
  http: { next: HttpProbe; asked: number };
  runFrame(): void;
  statuses(): StatusMessage[];
  batches(): BatchMessage[];
}

let nowMs = 0;
/** `autoAck`: the UI thread acknowledges every batch as soon as it is posted (backpressure off). */
function harness(random = 0, autoAck = true, opts: Partial<CtiConnectionOptions> = {}): Harness {
  const h = {
    sockets: [] as FakeSocket[],
    posts: [] as FromWorker[],
    frames: [] as Array<() => void>,
    warnings: [] as unknown[][],
    session: { next: { kind: 'ok', session: { username: 'op', userId: 10001001, isAdmin: true, domain: 'test1' } } as SessionCheck },
    http: { next: { state: 'answers', clock: null } as HttpProbe, asked: 0 },
  };
  const deps: CtiConnectionDeps = {
    createSocket: (url) => {
      const s = new FakeSocket(url);
      h.sockets.push(s);
      return s;
    },
    checkSession: async () => h.session.next,
    probeHttp: async () => {
      h.http.asked++;
      return h.http.next;
    },
    post: (m) => {
      h.posts.push(m);
      if (autoAck && m.type === 'batch') conn.applied();
    },
    scheduleFrame: (cb) => h.frames.push(cb),
    now: () => nowMs,
    random: () => random,
    setTimeout: (cb, ms) => setTimeout(cb, ms),
    clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
    warn: (...a) => h.warnings.push(a),
  };
  const conn = new CtiConnection(deps, { wsBase: 'wss://pbx.example', appName: 'console-test', ...opts });
  return {
    ...h,
    conn,
    runFrame: () => h.frames.splice(0).forEach((f) => f()),
    statuses: () => h.posts.filter((p): p is StatusMessage => p.type === 'status'),
    batches: () => h.posts.filter((p): p is BatchMessage => p.type === 'batch'),
  };
}

/** Let the async session check resolve. */
const settle = () => vi.advanceTimersByTimeAsync(0);

/** `n` sockets in a row close before opening (the browser hides why); each retry is waited for. */
async function failOpens(h: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    h.sockets.at(-1)!.drop();
    await settle();
    await vi.advanceTimersByTimeAsync(h.statuses().at(-1)!.retryAtMs! - nowMs);
  }
}

async function connectLive(h: Harness): Promise<FakeSocket> {
  h.conn.connect(false);
  await settle();
  const s = h.sockets.at(-1)!;
  s.open();
  s.frame(userSpec);
  s.frame(userInitial);
  s.frame(chSpec);
  s.frame(chInitial(chRec('c1', T0_US)));
  h.runFrame();
  return s;
}

beforeEach(() => {
  vi.useFakeTimers();
  nowMs = T0_US / 1000;
});
afterEach(() => {
  vi.useRealTimers();
});

describe('CtiConnection', () => {
  it('asks the session, then opens the same-origin URL with full_events for admins, binaryType arraybuffer', async () => {
    const h = harness();
    h.conn.connect(false);
    expect(h.statuses()[0]).toMatchObject({ status: 'connecting', attempt: 0 });
    await settle();
    const s = h.sockets[0];
    expect(s.url).toBe('wss://pbx.example/basix/api/ws_cti?app_name=console-test&full_events=true');
    expect(s.binaryType).toBe('arraybuffer');
  });

  it('leaves full_events out for a non-admin', async () => {
    const h = harness();
    h.session.next = { kind: 'ok', session: { username: 'u', userId: 5, isAdmin: false, domain: null } };
    h.conn.connect(false);
    await settle();
    expect(h.sockets[0].url).toBe('wss://pbx.example/basix/api/ws_cti?app_name=console-test');
  });

  it('posts one batch per animation frame holding every message since the last, and goes live with the channel snapshot', async () => {
    const h = harness();
    await connectLive(h);
    const batches = h.batches();
    expect(batches).toHaveLength(1);
    const [b] = batches;
    expect(b.messages.map((m) => `${m.type}:${'element' in m ? m.element : ''}`)).toEqual([
      'field_spec:user',
      'initial_info:user',
      'field_spec:channel',
      'initial_info:channel',
    ]);
    expect(b).toMatchObject({ freshSnapshot: true, goLive: true, frames: 4, badFrames: 0, connectionId: 1 });
    // the channel's state ts sampled against the receive time
    expect(b.clockSampleMs).toBe(0);
    // nothing new: no post on the next frame
    h.runFrame();
    expect(h.batches()).toHaveLength(1);
  });

  it('counts and warns about a malformed frame without dying, and keeps parsing', async () => {
    const h = harness();
    const s = await connectLive(h);
    s.frame(new Uint8Array([131, 104, 5, 1])); // truncated tuple
    s.onmessage?.({ data: 'text frame' });
    s.frame(chEvent(chRec('c2', T0_US + 1)));
    h.runFrame();
    const b = h.batches().at(-1)!;
    expect(b.badFrames).toBe(2);
    expect(b.messages).toHaveLength(1);
    expect(b.errors[0]).toMatch(/^bad frame:/);
    expect(h.warnings).toHaveLength(2);
    expect(b.freshSnapshot).toBe(false);
  });

  it('a storm of bad records counts every one in the batch, though only the first 100 are reported one by one', async () => {
    const h = harness();
    const s = await connectLive(h);
    const bad = Array.from({ length: 1_000 }, () => 7); // records that are not tuples
    s.frame(encodeEtf(tuple(atom('initial_info'), atom('channel'), bad)));
    h.runFrame();
    const b = h.batches().at(-1)!;
    expect(b.badRecords).toBe(1_000);
    expect(b.errors.length).toBeLessThanOrEqual(20);
  });

  it('reconnects after a drop with backoff, and the next snapshot is marked fresh', async () => {
    const h = harness(0); // no jitter: 500, 1000, 2000 ms
    const s1 = await connectLive(h);
    nowMs += 1;
    s1.drop();
    expect(h.statuses().at(-1)).toMatchObject({ status: 'reconnecting', attempt: 1, retryAtMs: nowMs + 500 });
    await vi.advanceTimersByTimeAsync(499);
    expect(h.sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.sockets).toHaveLength(2);
    // this one never opens: a failed upgrade; the session is still fine → retry in 1 s
    h.sockets[1].drop();
    await settle();
    expect(h.statuses().at(-1)).toMatchObject({ status: 'reconnecting', attempt: 2, retryAtMs: nowMs + 1000 });
    await vi.advanceTimersByTimeAsync(1000);
    const s3 = h.sockets[2];
    s3.open();
    s3.frame(chSpec);
    s3.frame(chInitial(chRec('c9', T0_US + 9)));
    h.runFrame();
    const b = h.batches().at(-1)!;
    expect(b).toMatchObject({ connectionId: 3, freshSnapshot: true, goLive: true });
  });

  it('samples the session Date header before every (re)connect and posts it before the snapshot', async () => {
    const h = harness(0);
    let calls = 0;
    const base: CtiConnectionDeps['checkSession'] = async () => {
      calls++;
      return { kind: 'ok', session: { username: 'op', userId: 1, isAdmin: true, domain: null }, clock: { lowMs: calls * 1000, highMs: calls * 1000 + 900, atMs: nowMs } };
    };
    (h.conn as unknown as { deps: CtiConnectionDeps }).deps.checkSession = base;
    const s1 = await connectLive(h);
    const clocks = () => h.posts.filter((p) => p.type === 'clock');
    expect(clocks()).toEqual([{ type: 'clock', interval: { lowMs: 1000, highMs: 1900, atMs: nowMs } }]);
    // the clock message comes before the snapshot's batch
    expect(h.posts.findIndex((p) => p.type === 'clock')).toBeLessThan(h.posts.findIndex((p) => p.type === 'batch'));
    s1.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(h.sockets).toHaveLength(2);
    expect(calls).toBe(2);
    expect(clocks().at(-1)).toMatchObject({ interval: { lowMs: 2000, highMs: 2900 } });
    // a failing check with a known session does not block the attempt
    (h.conn as unknown as { deps: CtiConnectionDeps }).deps.checkSession = async () => ({ kind: 'error', detail: 'HTTP 502' });
    h.sockets[1].open();
    h.sockets[1].drop();
    await settle();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(h.sockets.length).toBeGreaterThanOrEqual(3);
  });

  it('after a failed connect asks the session: a 401 stops with "unauthorized"', async () => {
    const h = harness();
    h.conn.connect(false);
    await settle();
    h.session.next = { kind: 'unauthorized' };
    h.sockets[0].drop();
    await settle();
    expect(h.statuses().at(-1)).toMatchObject({ status: 'stopped', stopReason: 'unauthorized' });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('a 401 on the first session check stops before opening a socket when the endpoint answered well before (remembered)', async () => {
    const h = harness(0, true, { sessionEndpointKnown: true });
    h.session.next = { kind: 'unauthorized' };
    h.conn.connect(false);
    await settle();
    expect(h.sockets).toHaveLength(0);
    expect(h.statuses().at(-1)).toMatchObject({ status: 'stopped', stopReason: 'unauthorized' });
  });

  it('a 401 from an endpoint never seen to answer well proves nothing: the socket is opened anyway', async () => {
    const h = harness();
    h.session.next = { kind: 'unauthorized' };
    h.conn.connect(false);
    await settle();
    expect(h.sockets).toHaveLength(1);
    expect(h.statuses().at(-1)).toMatchObject({ status: 'connecting', sessionEndpoint: 'unknown' });
  });

  it.each([
    ['404', { kind: 'unavailable', detail: 'HTTP 404' }],
    ['an HTML page', { kind: 'unavailable', detail: 'not JSON (text/html)' }],
    ['a network error', { kind: 'error', detail: 'Failed to fetch' }],
  ] as const)('without a session endpoint (%s) the socket opens, all calls asked for, and the console goes live', async (_what, check) => {
    const h = harness();
    h.session.next = check as SessionCheck;
    const s = await connectLive(h);
    expect(s.url).toBe('wss://pbx.example/basix/api/ws_cti?app_name=console-test&full_events=true');
    expect(h.conn.currentStatus).toBe('live');
    expect(h.batches().at(-1)).toMatchObject({ goLive: true });
  });

  it('without the endpoint the PBX clock is sampled from the login page Date header, alongside the socket', async () => {
    const h = harness();
    h.session.next = { kind: 'unavailable', detail: 'HTTP 404' };
    h.http.next = { state: 'answers', clock: { lowMs: 5_000, highMs: 5_900, atMs: nowMs } };
    await connectLive(h);
    expect(h.posts.filter((p) => p.type === 'clock')).toEqual([{ type: 'clock', interval: { lowMs: 5_000, highMs: 5_900, atMs: nowMs } }]);
  });

  it('a PBX without the endpoint is not asked again on later attempts', async () => {
    const h = harness(0);
    let calls = 0;
    (h.conn as unknown as { deps: CtiConnectionDeps }).deps.checkSession = async () => {
      calls++;
      return { kind: 'unavailable', detail: 'HTTP 404' };
    };
    const s = await connectLive(h);
    s.drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(h.sockets).toHaveLength(2);
    expect(calls).toBe(1);
  });

  it('sockets that never open while the login page answers: "log in" is shown after trying once without full_events; retrying goes on, capped, and a login ends it', async () => {
    const h = harness(0);
    h.session.next = { kind: 'unavailable', detail: 'HTTP 404' };
    h.conn.connect(false);
    await settle();
    for (let i = 0; i < FAILED_OPENS_BEFORE_LOGIN; i++) {
      expect(h.sockets.at(-1)!.url).toContain('full_events=true');
      h.sockets.at(-1)!.drop();
      await settle();
      await vi.advanceTimersByTimeAsync(h.statuses().at(-1)!.retryAtMs! - nowMs);
    }
    // the PBX may refuse full_events to a non-admin: one attempt without it (the login page was
    // also asked alongside each socket for a clock sample)
    expect(h.http.asked).toBeGreaterThanOrEqual(1);
    expect(h.sockets.at(-1)!.url).not.toContain('full_events');
    expect(h.statuses().some((st) => st.loginRequired)).toBe(false);
    h.sockets.at(-1)!.drop();
    await settle();
    expect(h.statuses().at(-1)).toMatchObject({ status: 'reconnecting', loginRequired: true });
    // keeps retrying, at most every 5 s, while the operator logs in elsewhere
    for (let i = 0; i < 4; i++) {
      const st = h.statuses().at(-1)!;
      expect(st.retryAtMs! - nowMs).toBeLessThanOrEqual(5_000);
      const n = h.sockets.length;
      await vi.advanceTimersByTimeAsync(st.retryAtMs! - nowMs);
      expect(h.sockets).toHaveLength(n + 1);
      h.sockets.at(-1)!.drop();
      await settle();
    }
    // logged in: the next socket opens and the notice goes
    await vi.advanceTimersByTimeAsync(5_000);
    const s = h.sockets.at(-1)!;
    s.open();
    expect(h.statuses().at(-1)).toMatchObject({ loginRequired: false });
    s.frame(chSpec);
    s.frame(chInitial(chRec('c1', T0_US)));
    h.runFrame();
    expect(h.conn.currentStatus).toBe('live');
  });

  it('a PBX that just came back (a restart while its web side answered): the socket without full_events opens, the one with it right after too ⇒ all calls, no limited view', async () => {
    const h = harness(0);
    h.session.next = { kind: 'unavailable', detail: 'HTTP 404' };
    h.conn.connect(false);
    await settle();
    await failOpens(h, FAILED_OPENS_BEFORE_LOGIN);
    const probe = h.sockets.at(-1)!;
    expect(probe.url).not.toContain('full_events');
    probe.open(); // the PBX is back: the probe opens, is closed at once, and one WITH full_events follows
    expect(probe.closed).toBe(true);
    await settle();
    const s = h.sockets.at(-1)!;
    expect(s).not.toBe(probe);
    expect(s.url).toContain('full_events=true');
    s.open();
    s.frame(chSpec);
    s.frame(chInitial(chRec('c1', T0_US)));
    h.runFrame();
    expect(h.conn.currentStatus).toBe('live');
    expect(h.posts.filter((p) => p.type === 'view').at(-1)).toMatchObject({ view: { kind: 'full' } });
  });

  it('a PBX that refuses full_events to this login: without it opens, with it right after does not ⇒ limited view (refused)', async () => {
    const h = harness(0);
    h.session.next = { kind: 'unavailable', detail: 'HTTP 404' };
    h.conn.connect(false);
    await settle();
    await failOpens(h, FAILED_OPENS_BEFORE_LOGIN);
    h.sockets.at(-1)!.open(); // without full_events: opens
    await settle();
    h.sockets.at(-1)!.drop(); // with full_events: refused
    await settle();
    await vi.advanceTimersByTimeAsync(h.statuses().at(-1)!.retryAtMs! - nowMs);
    const s = h.sockets.at(-1)!;
    expect(s.url).not.toContain('full_events');
    s.open();
    s.frame(chSpec);
    s.frame(chInitial(chRec('c1', T0_US)));
    h.runFrame();
    expect(h.posts.filter((p) => p.type === 'view').at(-1)).toMatchObject({ view: { kind: 'limited', reason: 'refused' } });
    expect(h.statuses().some((st) => st.loginRequired)).toBe(false);
  });

  it('sockets that never open while the PBX web side is down too: no "log in", plain backoff', async () => {
    const h = harness(0);
    h.session.next = { kind: 'error', detail: 'Failed to fetch' };
    h.http.next = { state: 'down', clock: null };
    h.conn.connect(false);
    await settle();
    for (let i = 0; i < 5; i++) {
      h.sockets.at(-1)!.drop();
      await settle();
      await vi.advanceTimersByTimeAsync(h.statuses().at(-1)!.retryAtMs! - nowMs);
    }
    expect(h.statuses().every((st) => !st.loginRequired)).toBe(true);
    expect(h.sockets.every((s) => s.url.includes('full_events=true'))).toBe(true);
  });

  it('wake() retries at once while waiting (the operator came back from logging in)', async () => {
    const h = harness(0);
    const s = await connectLive(h);
    for (let i = 0; i < 4; i++) {
      (i === 0 ? s : h.sockets.at(-1)!).drop();
      await settle();
      if (i < 3) await vi.advanceTimersByTimeAsync(h.statuses().at(-1)!.retryAtMs! - nowMs);
    }
    const n = h.sockets.length;
    h.conn.wake(0);
    await settle();
    expect(h.sockets).toHaveLength(n + 1);
  });

  it.each(['connection_replaced', 'connection_limit_reached', 'logout'] as const)('system_msg %s stops retrying; data before it is delivered first', async (reason) => {
    const h = harness();
    const s = await connectLive(h);
    s.frame(chEvent(chRec('c2', T0_US + 2)));
    s.frame(sysMsg(reason));
    const last = h.posts.at(-1) as StatusMessage;
    expect(last).toMatchObject({ type: 'status', status: 'stopped', stopReason: reason });
    const b = h.posts.at(-2) as BatchMessage;
    expect(b.type).toBe('batch');
    expect(b.messages.map((m) => m.type)).toEqual(['info_event', 'system_msg']);
    expect(s.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.sockets).toHaveLength(1);
  });

  it('Take over reconnects with forced=true (and force=true) once', async () => {
    const h = harness();
    const s = await connectLive(h);
    s.frame(sysMsg('connection_replaced'));
    h.conn.connect(true);
    await settle();
    const s2 = h.sockets[1];
    expect(new URL(s2.url).searchParams.get('forced')).toBe('true');
    expect(new URL(s2.url).searchParams.get('force')).toBe('true');
    s2.open();
    s2.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.sockets[2].url).not.toContain('force');
  });

  it('a quiet PBX is not a dead one: no command is ever sent, and the socket stays for 10 quiet minutes', async () => {
    const h = harness();
    const s = await connectLive(h);
    for (let i = 0; i < 120; i++) {
      nowMs += 5_000; // the browser clock moves with the timers (no sleep)
      await vi.advanceTimersByTimeAsync(5_000);
    }
    expect(s.sent).toEqual([]);
    expect(s.closed).toBe(false);
    expect(h.sockets).toHaveLength(1);
    expect(h.conn.currentStatus).toBe('live');
  });

  it('only a silence past the configured limit gets a fresh connection (once, not a loop)', async () => {
    const h = harness(0, true, { silenceLimitMs: 20 * 60_000 });
    const s = await connectLive(h);
    await vi.advanceTimersByTimeAsync(20 * 60_000 - 1);
    expect(s.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.closed).toBe(true);
    expect(h.statuses().some((st) => /no frame for 20 min/.test(st.detail ?? ""))).toBe(true);
    await settle();
    expect(h.sockets).toHaveLength(2);
    expect(s.sent).toEqual([]);
  });

  it('a timer that fires far too late (the PC slept) gets a fresh connection', async () => {
    const h = harness(0, true, { sleepCheckEveryMs: 5_000 });
    const s = await connectLive(h);
    nowMs += 5_000;
    await vi.advanceTimersByTimeAsync(5_000); // on time: nothing
    expect(s.closed).toBe(false);
    nowMs += 5_000 + 3 * 60 * 60_000; // slept three hours between two ticks
    await vi.advanceTimersByTimeAsync(5_000);
    expect(s.closed).toBe(true);
    expect(h.statuses().some((st) => /fired .* late/.test(st.detail ?? ""))).toBe(true);
    await settle();
    expect(h.sockets).toHaveLength(2);
  });

  it('resumed(gap) from the UI thread: a gap of 30 s or more gets a fresh connection, a shorter one nothing', async () => {
    const h = harness();
    const s = await connectLive(h);
    h.conn.resumed(10_000);
    expect(s.closed).toBe(false);
    h.conn.resumed(45_000);
    expect(s.closed).toBe(true);
    await settle();
    expect(h.sockets).toHaveLength(2);
  });

  it('wake() after a long hidden spell with a silent socket opens a fresh connection; a short one does not', async () => {
    const h = harness();
    const s = await connectLive(h);
    nowMs += 2 * 60_000;
    h.conn.wake(2 * 60_000);
    expect(s.closed).toBe(false);
    nowMs += 10 * 60_000;
    h.conn.wake(12 * 60_000);
    expect(s.closed).toBe(true);
    await settle();
    expect(h.sockets).toHaveLength(2);
  });

  it('offline() drops the socket at once and waits; wake() (online) retries', async () => {
    const h = harness(0);
    const s = await connectLive(h);
    h.conn.offline();
    expect(s.closed).toBe(true);
    expect(h.statuses().at(-1)).toMatchObject({ status: 'reconnecting' });
    h.conn.wake(0);
    await settle();
    expect(h.sockets).toHaveLength(2);
  });

  it('posts the view the deliveries show: channels of one user only ⇒ limited to that user; an outside leg ⇒ full', async () => {
    const h = harness();
    const s = await connectLive(h);
    const views = () => h.posts.filter((p) => p.type === 'view');
    // chRec has no user_id: an outside caller's leg ⇒ all calls are delivered
    expect(views().at(-1)).toMatchObject({ view: { kind: 'full', reason: 'delivered' } });
    const h2 = harness();
    h2.conn.connect(false);
    await settle();
    const s2 = h2.sockets[0];
    s2.open();
    const spec = encodeEtf(tuple(atom('field_spec'), atom('channel'), [atom('uuid'), atom('user_id')]));
    s2.frame(spec);
    s2.frame(encodeEtf(tuple(atom('initial_info'), atom('channel'), [tuple(binary('a'), 7), tuple(binary('b'), 7)])));
    s2.frame(encodeEtf(tuple(atom('info_event'), atom('channel'), tuple(binary('c'), 7), atom('added'))));
    h2.runFrame();
    expect(h2.posts.filter((p) => p.type === 'view').at(-1)).toMatchObject({ view: { kind: 'limited', reason: 'one_user', userId: 7 } });
    s2.frame(encodeEtf(tuple(atom('info_event'), atom('channel'), tuple(binary('d'), 8), atom('added'))));
    h2.runFrame();
    expect(h2.posts.filter((p) => p.type === 'view').at(-1)).toMatchObject({ view: { kind: 'full' } });
    void s;
  });

  it('changing the All-calls setting reconnects at once with the new URL', async () => {
    const h = harness();
    const s = await connectLive(h);
    h.conn.configure({ fullEvents: 'never' });
    expect(s.closed).toBe(true);
    await settle();
    expect(h.sockets).toHaveLength(2);
    expect(h.sockets[1].url).not.toContain('full_events');
    h.conn.configure({ fullEvents: 'never', silenceLimitMs: 60 * 60_000 }); // unchanged mode: no reconnect
    expect(h.sockets[1].closed).toBe(false);
  });

  it('full_events "never" asks for none and says the view is limited by choice', async () => {
    const h = harness(0, true, { fullEvents: 'never' });
    const s = await connectLive(h);
    expect(s.url).not.toContain('full_events');
    expect(h.posts.filter((p) => p.type === 'view').at(-1)).toMatchObject({ view: { kind: 'limited', reason: 'not_requested' } });
  });

  it('sends commands as JSON text frames when live, reports them failed otherwise', async () => {
    const h = harness();
    h.conn.send('a1', { cmd: 'hangup', uuid: 'c1' });
    expect(h.posts.at(-1)).toEqual({ type: 'sendFailed', id: 'a1', reason: 'Not connected to the PBX' });
    const s = await connectLive(h);
    h.conn.send('a2', { cmd: 'park', uuid: 'c1' });
    expect(s.sent).toEqual(['{"cmd":"park","uuid":"c1"}']);
  });

  it('disconnect stops for good without a reason', async () => {
    const h = harness();
    const s = await connectLive(h);
    h.conn.disconnect();
    expect(s.closed).toBe(true);
    expect(h.statuses().at(-1)).toMatchObject({ status: 'stopped', stopReason: null });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.sockets).toHaveLength(1);
  });
});

describe('CtiConnection backpressure (pull-based batches)', () => {
  it('holds the next batch until the UI thread acknowledges, coalescing what arrives meanwhile', async () => {
    const h = harness(0, false);
    const s = await connectLive(h);
    expect(h.batches()).toHaveLength(1);
    expect(h.conn.unackedBatches).toBe(1);
    // The UI thread is busy: 50 updates of the same call and one of another arrive over many frames.
    for (let i = 1; i <= 50; i++) {
      s.frame(chEvent(chRec('c1', T0_US + i)));
      h.runFrame();
    }
    s.frame(chEvent(chRec('c2', T0_US + 99), 'added'));
    h.runFrame();
    expect(h.batches()).toHaveLength(1); // nothing posted while unacknowledged
    h.conn.applied(); // posted at once: the UI thread has just painted
    const b = h.batches();
    expect(b).toHaveLength(2);
    expect(b[1].frames).toBe(51);
    expect(b[1].messages.map((m) => (m.type === 'info_event' ? [String((m.data as { uuid: unknown }).uuid), (m.data as { state: { ts: number } }).state.ts] : m.type))).toEqual([
      ['c1', T0_US + 50],
      ['c2', T0_US + 99],
    ]);
    // Acknowledged with nothing pending: the next frame's data goes at that frame.
    h.conn.applied();
    s.frame(chEvent(chRec('c1', T0_US + 60)));
    h.runFrame();
    expect(h.batches()).toHaveLength(3);
  });

  it('a status change still posts the held data first, whatever the acks (never overtaken)', async () => {
    const h = harness(0, false);
    const s = await connectLive(h);
    s.frame(chEvent(chRec('c2', T0_US + 1), 'added'));
    h.runFrame();
    expect(h.batches()).toHaveLength(1);
    s.drop();
    const posts = h.posts.slice(-2);
    expect(posts.map((p) => p.type)).toEqual(['batch', 'status']);
    expect(h.conn.unackedBatches).toBe(2);
    h.conn.applied();
    h.conn.applied();
    h.conn.applied(); // an extra ack (e.g. from before a restart) does not go negative
    expect(h.conn.unackedBatches).toBe(0);
  });
});

describe('a command whose effect coalescing merges away (held batch)', () => {
  // The PBX parks the call, and someone picks it up again, while the UI thread is still busy
  // with the previous batch: the held batch only has the picked-up call.
  const parkedRec = tuple(binary('c1'), atom('inbound'), binary('0312345678'), tuple(T0_US + 2, atom('park'), 903, atom('undefined'), 10001001, binary('op')), atom('STATE_CHANGE'));
  const pickedUpRec = chRec('c1', T0_US + 3);

  afterEach(() => {
    setConnectionDriver(null);
    setStoreClockForTests();
    resetConsoleStoreForTests();
  });

  async function consoleOnWorker() {
    resetConsoleStoreForTests();
    setStoreClockForTests(() => nowMs);
    const h = harness(0, false);
    setConnectionDriver({ connect: () => {}, send: (id, command, expect) => h.conn.send(id, command, expect), disconnect: () => {} });
    let applied = 0;
    /** the UI thread applies what the worker posted so far (as connection-manager.ts does) */
    const pump = () => {
      for (const m of h.posts.slice(applied)) handleWorkerMessage(m, () => {});
      applied = h.posts.length;
    };
    const s = await connectLive(h);
    pump();
    expect(useConsoleStore.getState().connection.status).toBe('live');
    return { h, s, pump };
  }

  it('the park is confirmed from the frame the worker saw, not timed out', async () => {
    const { h, s, pump } = await consoleOnWorker();
    const id = sendCommand({ cmd: 'park', uuid: 'c1' });
    expect(s.sent).toEqual(['{"cmd":"park","uuid":"c1"}']);
    nowMs += 100;
    s.frame(chEvent(parkedRec));
    nowMs += 100;
    s.frame(chEvent(pickedUpRec));
    h.runFrame();
    expect(h.batches()).toHaveLength(1); // held: the first batch is not acknowledged yet
    h.conn.applied();
    const held = h.batches()[1];
    expect(held.messages).toHaveLength(1); // the park state was merged away
    expect((held.messages[0] as { data: { state: { name: string } } }).data.state.name).toBe('bridged');
    expect(held.witnessed).toEqual([id]);
    pump();
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ id, status: 'done', failure: null });
    await vi.advanceTimersByTimeAsync(ACTION_TIMEOUT_MS + 1_000);
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ id, status: 'done' });
  });

  it('a frame from before the command confirms nothing, nor one of another call', async () => {
    const { h, s, pump } = await consoleOnWorker();
    s.frame(chEvent(parkedRec)); // parked before the operator acted
    s.frame(chEvent(pickedUpRec));
    const id = sendCommand({ cmd: 'park', uuid: 'c1' });
    s.frame(chEvent(tuple(binary('c2'), atom('inbound'), binary('0312345678'), tuple(T0_US + 4, atom('park'), 904, atom('undefined'), 10001001, binary('op')), atom('STATE_CHANGE')), 'added'));
    h.conn.applied();
    expect(h.batches()[1].witnessed).toEqual([]);
    pump();
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ id, status: 'pending' });
    nowMs += ACTION_TIMEOUT_MS;
    await vi.advanceTimersByTimeAsync(ACTION_TIMEOUT_MS + 1);
    expect(useConsoleStore.getState().pendingActions[0]).toMatchObject({ id, status: 'failed', failure: 'timeout' });
  });
});

describe('CtiConnection before live (snapshot)', () => {
  it('posts each part of a snapshot at the next frame without waiting for acks (pipelined), then holds once live', async () => {
    const h = harness(0, false);
    h.conn.connect(false);
    await settle();
    const s = h.sockets.at(-1)!;
    s.open();
    s.frame(userSpec);
    s.frame(userInitial);
    h.runFrame();
    expect(h.batches()).toHaveLength(1);
    expect(h.batches()[0]).toMatchObject({ freshSnapshot: true, goLive: false });
    // not acknowledged yet, but not live: the channel snapshot still goes at the next frame
    s.frame(chSpec);
    s.frame(chInitial(chRec('c1', T0_US)));
    h.runFrame();
    expect(h.batches()).toHaveLength(2);
    expect(h.batches()[1]).toMatchObject({ freshSnapshot: false, goLive: true });
    // live now, two batches unacknowledged: held until both are
    s.frame(chEvent(chRec('c1', T0_US + 1)));
    h.runFrame();
    expect(h.batches()).toHaveLength(2);
    h.conn.applied();
    expect(h.batches()).toHaveLength(2);
    h.conn.applied();
    expect(h.batches()).toHaveLength(3);
  });
});
