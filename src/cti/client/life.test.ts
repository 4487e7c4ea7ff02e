import { describe, expect, it } from 'vitest';
import { createConnectionLife, type LifeHooks, type LifeOptions, type LifeState, type NextStep, type SocketGone } from './life.ts';
import { FakeSocket, fakeSockets, manualTimers } from './test-fakes.ts';

type R = 'connection_replaced' | 'connection_limit_reached' | 'logout' | 'gone';
const URL0 = 'wss://pbx.example.jp/basix/api/ws_cti?app_name=life-test';

function setup(extra: Partial<LifeOptions<R, FakeSocket>> = {}, hooks: Partial<LifeHooks<R, FakeSocket>> = {}) {
  const socks = fakeSockets();
  const t = manualTimers();
  const log: string[] = [];
  const gone: SocketGone[] = [];
  const frames: unknown[] = [];
  const life = createConnectionLife<R, FakeSocket>({
    url: URL0,
    timers: t.timers,
    random: () => 0,
    ...extra,
    hooks: {
      prepare: () => ({ fullEvents: true }),
      createSocket: (url, headers) => socks.factory(url, { headers }) as FakeSocket,
      frame: (d) => frames.push(d),
      released: (g) => gone.push(g),
      state: (s: LifeState, info) => log.push(`${s}${info.retryInMs !== undefined ? `:${info.retryInMs}` : ''}${info.stopReason ? `:${info.stopReason}` : ''}${info.closed ? `:closed ${info.closed.code}` : ''}`),
      ...hooks,
    },
  });
  return { life, socks, t, log, gone, frames };
}

const flushPromises = () => new Promise((r) => setTimeout(r, 0));

describe('createConnectionLife', () => {
  it('attempt → opening → open; frames are handed on raw, only those of the current socket', () => {
    const { life, socks, log, frames } = setup();
    life.reconnectNow();
    const s = socks.last();
    expect(s.url).toBe(`${URL0}&full_events=true`);
    expect(s.binaryType).toBe('arraybuffer');
    s.open();
    const buf = new Uint8Array([131, 106]).buffer;
    s.onmessage?.({ data: buf });
    expect(frames[0]).toBe(buf); // no copy, no parse
    s.drop();
    s.onmessage?.({ data: buf }); // a late frame of the old socket: its handler is gone
    expect(frames).toHaveLength(1);
    expect(typeof s.onerror).toBe('function'); // `ws` throws an error event nobody listens to
    expect(log).toStrictEqual(['preparing', 'opening', 'open', 'deciding', 'backoff:500:closed 1006']);
  });

  it('initial_info: bit 1 at the first one of a socket (fresh), bit 2 at channel (live, backoff reset); stale from a drop after open until the fresh snapshot', () => {
    const { life, socks, t } = setup({ random: () => 1 });
    life.reconnectNow();
    socks.last().drop(); // never opened: not stale
    expect(life.stale).toBe(false);
    t.runAll();
    socks.last().drop();
    expect(t.delays()).toStrictEqual([500]); // second retry: attempt 1
    t.runAll();
    socks.last().open();
    expect(life.initialInfo('user')).toBe(1);
    expect(life.state).toBe('snapshot');
    expect(life.initialInfo('group')).toBe(0);
    expect(life.initialInfo('channel')).toBe(2);
    expect(life.state).toBe('live');
    expect(life.attempt).toBe(0);
    socks.last().drop();
    expect(life.stale).toBe(true);
    expect(t.delays()).toStrictEqual([250]);
    t.runAll();
    socks.last().open();
    expect(life.initialInfo('channel')).toBe(3);
    expect(life.stale).toBe(false);
  });

  it('forced=true&force=true until a socket opens (kept across a never-opened retry), then not; forcedAlways on every attempt', () => {
    const { life, socks, t } = setup();
    life.reconnectNow({ forced: true });
    socks.last().drop();
    t.runAll();
    expect(new URL(socks.last().url).searchParams.get('forced')).toBe('true');
    expect(new URL(socks.last().url).searchParams.get('force')).toBe('true');
    socks.last().open();
    socks.last().drop();
    t.runAll();
    expect(socks.last().url).not.toContain('force');
    const b = setup({ forcedAlways: true, user: { user_name: 'suzuki' } });
    b.life.reconnectNow();
    b.socks.last().open();
    b.socks.last().drop();
    b.t.runAll();
    const u = new URL(b.socks.last().url);
    expect([u.searchParams.get('forced'), u.searchParams.get('user_name')]).toStrictEqual(['true', 'suzuki']);
  });

  it('the open timeout counts as a socket that never opened; the next hook decides, maxDelayMs caps the delay', () => {
    const seen: SocketGone[] = [];
    const { life, socks, t } = setup({ openTimeoutMs: 15_000, backoff: { baseMs: 60_000, capMs: 60_000 }, maxDelayMs: () => 5_000 }, { next: (g) => (seen.push(g), { retry: `${g.detail}; again` }) });
    life.reconnectNow();
    expect(t.delays()).toStrictEqual([15_000]);
    t.runAll();
    expect(socks.last().closed).toBe(true);
    expect(seen).toMatchObject([{ opened: false, by: 'remote', detail: 'open timed out' }]);
    expect(t.delays()).toStrictEqual([5_000]);
    expect(life.state).toBe('backoff');
  });

  it('stop messages: at once by default; at the close with closeOnStopMessage false; others are not', () => {
    const a = setup();
    a.life.reconnectNow();
    a.socks.last().open();
    expect(a.life.systemMessage('maintenance')).toBe(false);
    expect(a.life.systemMessage('connection_replaced')).toBe(true);
    expect([a.life.state, a.life.stopReason, a.socks.last().closed]).toStrictEqual(['stopped', 'connection_replaced', true]);
    expect(a.t.delays()).toStrictEqual([]);
    const b = setup({ closeOnStopMessage: false });
    b.life.reconnectNow();
    b.socks.last().open();
    b.life.systemMessage('logout');
    expect(b.life.state).toBe('open');
    b.socks.last().drop(1000);
    expect([b.life.state, b.life.stopReason]).toStrictEqual(['stopped', 'logout']);
    expect(b.log.at(-1)).toBe('stopped:logout:closed 1000');
    b.life.reconnectNow(); // restarts after a stop by the PBX
    expect(b.life.state).toBe('opening');
    expect(b.life.stopReason).toBeUndefined();
  });

  it('an async prepare abandoned by reconnectNow is ignored; prepare can stop or ask for a retry', async () => {
    const answers: Array<(p: { fullEvents?: boolean } | { stop: R } | { retry: string }) => void> = [];
    const { life, socks, t } = setup({}, { prepare: () => new Promise((r) => answers.push(r)) });
    life.reconnectNow();
    life.reconnectNow({ forced: true });
    answers[0]({ fullEvents: false });
    await flushPromises();
    expect(socks.sockets).toHaveLength(0);
    answers[1]({ retry: 'no ticket' });
    await flushPromises();
    expect(life.state).toBe('backoff');
    t.runAll();
    answers[2]({ stop: 'gone' });
    await flushPromises();
    expect(life.stopReason).toBe('gone');
  });

  it('an async next: retryNow while deciding wins and the late answer is dropped', async () => {
    let answer: (s: NextStep<R>) => void = () => {};
    const { life, socks, t } = setup({}, { next: () => new Promise((r) => (answer = r)) });
    life.reconnectNow();
    socks.last().drop();
    expect(life.state).toBe('deciding');
    life.retryNow();
    expect(socks.sockets).toHaveLength(2);
    answer({ stop: 'gone' });
    await flushPromises();
    expect(life.state).toBe('opening');
    expect(t.delays()).toStrictEqual([]);
  });

  it("opened() 'again': that socket is closed and the next attempt starts at once, forced kept", () => {
    let probes = 1;
    const { life, socks } = setup({}, { opened: () => (probes-- > 0 ? 'again' : undefined) });
    life.reconnectNow({ forced: true });
    const first = socks.last();
    first.open();
    expect(first.closed).toBe(true);
    expect(socks.sockets).toHaveLength(2);
    expect(socks.last().url).toContain('forced=true');
    socks.last().open();
    expect(life.state).toBe('open');
  });

  it('a factory that throws is a socket that never opened, with the error; refresh and stop let go of the socket as "us"', () => {
    const seen: SocketGone[] = [];
    let fail = true;
    const socks = fakeSockets();
    const { life, gone, t } = setup(
      {},
      {
        createSocket: (url, headers) => {
          if (fail) throw new Error('no network');
          return socks.factory(url, { headers }) as FakeSocket;
        },
        next: (g) => (seen.push(g), { retry: g.detail }),
      },
    );
    life.reconnectNow();
    expect(seen[0]).toMatchObject({ opened: false, detail: 'cannot open socket: Error: no network' });
    fail = false;
    t.runAll();
    socks.last().open();
    life.refresh('silent too long');
    expect(gone.at(-1)).toMatchObject({ by: 'us', opened: true, detail: 'silent too long' });
    expect(socks.sockets).toHaveLength(2);
    life.stop('gone', 'bye');
    expect(gone.at(-1)).toMatchObject({ by: 'us', opened: false });
    expect([life.state, t.delays()]).toStrictEqual(['stopped', []]);
  });
});
