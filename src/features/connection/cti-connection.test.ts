import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { atom, binary, encodeEtf, tuple, type Term } from '../../cti/index.ts';
import { CtiConnection, PROBE_COMMAND, fetchSession, type CtiConnectionDeps, type SessionCheck, type SocketLike } from './cti-connection.ts';
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
  runFrame(): void;
  statuses(): StatusMessage[];
  batches(): BatchMessage[];
}

let nowMs = 0;
/** `autoAck`: the UI thread acknowledges every batch as soon as it is posted (backpressure off). */
function harness(random = 0, autoAck = true): Harness {
  const h = {
    sockets: [] as FakeSocket[],
    posts: [] as FromWorker[],
    frames: [] as Array<() => void>,
    warnings: [] as unknown[][],
    session: { next: { kind: 'ok', session: { username: 'op', userId: 10001001, isAdmin: true, domain: 'test1' } } as SessionCheck },
  };
  const deps: CtiConnectionDeps = {
    createSocket: (url) => {
      const s = new FakeSocket(url);
      h.sockets.push(s);
      return s;
    },
    checkSession: async () => h.session.next,
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
  const conn = new CtiConnection(deps, { wsBase: 'wss://pbx.example', appName: 'console-test', idleTimeoutMs: 60_000 });
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
    expect(h.sockets).toHaveLength(3);
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

  it('a 401 on the first session check stops before opening a socket', async () => {
    const h = harness();
    h.session.next = { kind: 'unauthorized' };
    h.conn.connect(false);
    await settle();
    expect(h.sockets).toHaveLength(0);
    expect(h.statuses().at(-1)).toMatchObject({ status: 'stopped', stopReason: 'unauthorized' });
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

  it('Take over reconnects with force=true once', async () => {
    const h = harness();
    const s = await connectLive(h);
    s.frame(sysMsg('connection_replaced'));
    h.conn.connect(true);
    await settle();
    const s2 = h.sockets[1];
    expect(s2.url).toContain('force=true');
    s2.open();
    s2.drop();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.sockets[2].url).not.toContain('force=true');
  });

  it('idle: no frame for 60 s sends a probe; an answer keeps the socket (and is not shown)', async () => {
    const h = harness();
    const s = await connectLive(h);
    await vi.advanceTimersByTimeAsync(59_000);
    s.frame(chEvent(chRec('c1', T0_US + 5))); // a frame re-arms the timer
    h.runFrame();
    await vi.advanceTimersByTimeAsync(59_000);
    expect(s.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(s.sent).toEqual([PROBE_COMMAND]);
    s.frame(encodeEtf(tuple(atom('msg'), binary('error: unknown command "ping"'))));
    h.runFrame();
    expect(h.batches().at(-1)).toMatchObject({ frames: 1, messages: [] });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.closed).toBe(false);
    expect(h.sockets).toHaveLength(1);
  });

  it('idle: no answer to the probe within 5 s closes the socket and reconnects', async () => {
    const h = harness();
    const s = await connectLive(h);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(s.sent).toEqual([PROBE_COMMAND]);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(s.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.closed).toBe(true);
    expect(h.statuses().at(-1)).toMatchObject({ status: 'reconnecting', detail: 'no frame for 65 s' });
    await vi.advanceTimersByTimeAsync(500);
    expect(h.sockets).toHaveLength(2);
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

describe('fetchSession', () => {
  const res = (status: number, body: unknown) =>
    ({ status, ok: status >= 200 && status < 300, json: async () => body }) as Response;

  it('maps 200, 401 and failures', async () => {
    const ok = await fetchSession('https://pbx.example/', async (url) => {
      expect(url).toBe('https://pbx.example/basix/api/session');
      return res(200, { username: 'op', user_id: 10001001, is_admin: true, domain: 'test1' });
    });
    expect(ok).toEqual({ kind: 'ok', session: { username: 'op', userId: 10001001, isAdmin: true, domain: 'test1' }, clock: null });
    expect(await fetchSession('', async () => res(401, {}))).toEqual({ kind: 'unauthorized' });
    expect(await fetchSession('', async () => res(502, {}))).toEqual({ kind: 'error', detail: 'HTTP 502' });
    expect(await fetchSession('', async () => { throw new TypeError('Failed to fetch'); })).toEqual({ kind: 'error', detail: 'Failed to fetch' });
  });

  it('turns the Date header into an offset interval from the send/receive times', async () => {
    let t = 5_000;
    const now = () => t;
    const ok = await fetchSession(
      '',
      async () => {
        t += 300; // round trip
        return { ...res(200, { username: 'op', user_id: 1, is_admin: false }), headers: new Headers({ date: 'Mon, 30 Nov 2026 00:00:10 GMT' }) } as Response;
      },
      now,
    );
    const d = Date.UTC(2026, 10, 30, 0, 0, 10);
    expect(ok).toMatchObject({ kind: 'ok', clock: { lowMs: d - 5_300, highMs: d + 1000 - 5_000, atMs: 5_300 } });
  });
});
