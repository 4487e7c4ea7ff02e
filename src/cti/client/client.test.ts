import { describe, expect, it } from 'vitest';
import { createCtiClient, type CtiClientOptions } from './client.ts';
import { atom, binary, tuple } from '../etf/term.ts';
import { CtiClientError } from './errors.ts';
import { fakeSockets, frames, manualTimers } from './test-fakes.ts';

const URL0 = 'wss://pbx.example.jp/basix/api/ws_cti?app_name=test';

function setup(extra: Partial<CtiClientOptions> = {}) {
  const socks = fakeSockets();
  const t = manualTimers();
  const events: string[] = [];
  const client = createCtiClient({ url: URL0, createSocket: socks.factory, timers: t.timers, random: () => 0, ...extra });
  client.on('state', (s) => events.push(`state:${s}`));
  client.on('stale', (s) => events.push(`stale:${s}`));
  client.on('snapshot', (d) => events.push(`snapshot:${d.join(',')}`));
  client.on('stop', (r) => events.push(`stop:${r}`));
  client.on('problem', (e) => events.push(`problem:${e.message.slice(0, 30)}`));
  return { client, socks, t, events };
}

function snapshot(s: ReturnType<typeof fakeSockets>['sockets'][number], users: number[], channels: string[]) {
  s.open();
  s.frame(frames.userSpec);
  s.frame(frames.users(...users));
  s.frame(frames.channelSpec);
  s.frame(frames.channels(...channels));
}

describe('createCtiClient: connection life', () => {
  it('connects, fills the store, applies events (removed and CHANNEL_HANGUP delete), new Map per change', () => {
    const { client, socks, events } = setup();
    expect(client.state).toBe('idle');
    client.start();
    snapshot(socks.last(), [1, 2], ['c1', 'c2']);
    expect(client.state).toBe('open');
    expect(socks.last().binaryType).toBe('arraybuffer');
    const users = client.store.get('user');
    expect([...users.keys()]).toStrictEqual(['1', '2']);
    socks.last().frame(frames.userEvent(2, 'removed'));
    expect(client.store.get('user')).not.toBe(users);
    expect([...client.store.get('user').keys()]).toStrictEqual(['1']);
    socks.last().frame(frames.channelEvent('c1', 'CHANNEL_HANGUP'));
    socks.last().frame(frames.channelEvent('c3', 'CHANNEL_CREATE', 'added'));
    expect([...client.store.get('channel').keys()]).toStrictEqual(['c2', 'c3']);
    expect(events).toStrictEqual(['state:connecting', 'state:open', 'snapshot:']);
  });

  it('a drop marks the store stale, reconnects with backoff, and the fresh snapshot replaces the maps; kinds not sent again are dropped', () => {
    const { client, socks, t, events } = setup();
    client.start();
    snapshot(socks.last(), [1, 2], ['c1']);
    socks.last().frame(frames.raw([] as never)); // not a message: a problem, not a stop
    socks.last().drop();
    expect(client.state).toBe('backoff');
    expect(client.stale).toBe(true);
    expect(t.delays()).toStrictEqual([500]); // random 0 → the nominal first delay
    t.runAll();
    expect(socks.sockets).toHaveLength(2);
    const s2 = socks.last();
    s2.open();
    s2.frame(frames.userSpec);
    s2.frame(frames.users(3));
    expect(client.store.isStale('user')).toBe(false);
    expect(client.store.isStale('channel')).toBe(true);
    s2.frame(frames.userEvent(4, 'added')); // first non-snapshot message ends the snapshot
    expect(client.stale).toBe(false);
    expect(client.store.get('channel').size).toBe(0);
    expect([...client.store.get('user').keys()]).toStrictEqual(['3', '4']);
    expect(events.filter((e) => !e.startsWith('state:'))).toStrictEqual(['problem:frame is not a tuple headed by', 'stale:true', 'stale:false', 'snapshot:channel']);
  });

  it('backoff grows while connections fail before any message, and resets after one that got a message', () => {
    const { client, socks, t } = setup({ random: () => 1 });
    client.start();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      socks.last().drop();
      seen.push(...t.delays());
      t.runAll();
    }
    expect(seen).toStrictEqual([250, 500, 1000, 2000]); // jitter 0.5 with random 1 halves each nominal delay
    socks.last().open();
    socks.last().frame(frames.userSpec);
    socks.last().drop();
    expect(t.delays()).toStrictEqual([250]);
    client.stop();
  });

  it('the settle timer completes a snapshot when nothing else follows it; it does not run before the snapshot starts', () => {
    const { client, socks, t, events } = setup();
    client.start();
    socks.last().open();
    expect(t.delays()).toStrictEqual([]);
    snapshot(socks.last(), [1], []);
    expect(events).not.toContain('snapshot:');
    t.runAll();
    expect(events).toContain('snapshot:');
  });

  for (const m of ['connection_replaced', 'connection_limit_reached', 'logout']) {
    it(`system_msg ${m} stops for good (no reconnect)`, () => {
      const { client, socks, t, events } = setup();
      client.start();
      socks.last().open();
      socks.last().frame(frames.system(m));
      expect(client.state).toBe('stopped');
      expect(client.stopReason).toBe(m);
      expect(socks.last().closed).toBe(true);
      expect(t.delays()).toStrictEqual([]);
      expect(events).toContain(`stop:${m}`);
    });
  }

  it('reconnectNow({forced: true}) takes over once with forced=true&force=true, also after connection_limit_reached', () => {
    const { client, socks } = setup();
    client.start();
    socks.last().open();
    socks.last().frame(frames.system('connection_limit_reached'));
    client.reconnectNow({ forced: true });
    expect(client.state).toBe('connecting');
    const u = new URL(socks.last().url);
    expect(u.searchParams.get('forced')).toBe('true');
    expect(u.searchParams.get('force')).toBe('true');
    socks.last().open();
    socks.last().drop();
    expect(client.state).toBe('backoff');
    client.reconnectNow();
    expect(new URL(socks.last().url).searchParams.get('forced')).toBeNull();
  });

  it('a take-over that fails before opening keeps forced=true on the retry (the shared life: until a socket opens)', () => {
    const { client, socks, t } = setup();
    client.start();
    socks.last().open();
    client.reconnectNow({ forced: true });
    socks.last().drop(); // never opened
    t.runAll();
    expect(new URL(socks.last().url).searchParams.get('forced')).toBe('true');
    socks.last().open();
    socks.last().drop();
    t.runAll();
    expect(new URL(socks.last().url).searchParams.get('forced')).toBeNull();
  });

  it('an HTTP 401 reported by the socket stops with refused', () => {
    const { client, socks } = setup();
    client.start();
    socks.last().onerror?.({ message: 'Unexpected server response: 401' });
    socks.last().drop();
    expect(client.stopReason).toBe('refused');
  });

  it('stop() closes and cancels a pending reconnect; reconnect: false stops on the first close', () => {
    const a = setup();
    a.client.start();
    a.socks.last().drop();
    a.client.stop();
    expect(a.t.delays()).toStrictEqual([]);
    expect(a.client.stopReason).toBe('stopped');
    const b = setup({ reconnect: false });
    b.client.start();
    b.socks.last().open();
    b.socks.last().drop(1000);
    expect(b.client.stopReason).toBe('closed');
  });

  it('messages of a closed connection are ignored', () => {
    const { client, socks, t } = setup();
    client.start();
    const s1 = socks.last();
    s1.open();
    s1.frame(frames.userSpec);
    s1.drop();
    t.runAll();
    s1.frame(frames.users(9)); // late frame of the old socket
    expect(client.store.get('user').size).toBe(0);
  });

  it('a throwing listener is a problem event, not an exception in the socket handler', () => {
    const { client, socks, events } = setup();
    client.on('initial_info', () => {
      throw new Error('listener bug');
    });
    client.start();
    expect(() => snapshot(socks.last(), [1], [])).not.toThrow();
    expect(events).toContain('problem:listener bug');
  });
});

describe('createCtiClient: commands and options', () => {
  it('sends the four commands as JSON text frames of PROTOCOL.md', () => {
    const { client, socks } = setup();
    client.start();
    socks.last().open();
    client.park('u1', 60);
    client.hangup('u1');
    client.transfer('u1', { user_id: 10001001, user_name: 'suzuki' });
    client.transfer('u1', { destination: '0312345678' });
    client.eavesdrop('m1', 'u1', 'listen');
    expect(socks.last().sent.map((s) => JSON.parse(s))).toStrictEqual([
      { cmd: 'park', uuid: 'u1', timeout: 60 },
      { cmd: 'hangup', uuid: 'u1' },
      { cmd: 'transfer', uuid: 'u1', user_id: 10001001, user_name: 'suzuki' },
      { cmd: 'transfer', uuid: 'u1', destination: '0312345678' },
      { cmd: 'eavesdrop', uuid: 'm1', target_uuid: 'u1', subcommand: 'listen' },
    ]);
  });

  it('commands throw NOT_OPEN without an open connection and BAD_OPTION for bad arguments', () => {
    const { client, socks } = setup();
    expect(() => client.hangup('u1')).toThrow(expect.objectContaining({ code: 'NOT_OPEN' }));
    client.start();
    socks.last().open();
    expect(() => client.hangup('')).toThrow(expect.objectContaining({ code: 'BAD_OPTION' }));
    expect(() => client.transfer('u1', {})).toThrow(CtiClientError);
    expect(() => client.park('u1', -1)).toThrow(CtiClientError);
  });

  it('token auth from the URL userinfo or auth: Basic header, userinfo removed from the URL; user selector in the query', () => {
    const a = setup({ url: 'wss://test1:tok%40en@pbx.example.jp/basix/api/ws_cti?app_name=x' });
    a.client.start();
    expect(a.socks.last().url).toBe('wss://pbx.example.jp/basix/api/ws_cti?app_name=x');
    expect(a.socks.last().headers.Authorization).toBe(`Basic ${Buffer.from('test1:tok@en').toString('base64')}`);
    const b = setup({ auth: { type: 'token', domain: 'test1', token: 't' }, user: { user_name: 'suzuki' } });
    b.client.start();
    expect(new URL(b.socks.last().url).searchParams.get('user_name')).toBe('suzuki');
  });

  it('bad options are typed errors at creation', () => {
    const f = fakeSockets().factory;
    // no app_name: passed on for the PBX to judge (cti-tail warns)
    expect(() => createCtiClient({ url: 'wss://h/basix/api/ws_cti', createSocket: f })).not.toThrow();
    expect(() => createCtiClient({ url: 'https://h/x?app_name=a', createSocket: f })).toThrow(CtiClientError);
    expect(() => createCtiClient({ url: URL0, createSocket: f, user: { user_name: 'a', user_id: 1 } as never })).toThrow(/exactly one/);
    expect(() => createCtiClient({ url: `${URL0}&full_events=true`, createSocket: f, auth: { type: 'ticket', domain: 'd', token: 't' } })).toThrow(/full_events/);
    expect(() => createCtiClient({ url: URL0, auth: { type: 'token', domain: 'd', token: 't' } })).toThrow(expect.objectContaining({ code: 'NO_WEBSOCKET' }));
    expect(() => createCtiClient({ url: URL0, createSocket: f, parser: { big_integers: 'x' as never } })).toThrow(/big_integers/);
  });
});

describe('createCtiClient: closeOnStopMessage false', () => {
  it('keeps reading after a stop message until the PBX closes, then stops with that reason', () => {
    const { client, socks, t } = setup({ closeOnStopMessage: false });
    const msgs: string[] = [];
    client.on('msg', (m) => msgs.push(m));
    client.start();
    socks.last().open();
    socks.last().frame(frames.system('logout'));
    expect(client.state).toBe('open');
    socks.last().frame(frames.raw(tuple(atom('msg'), binary('保守のお知らせ'))));
    expect(msgs).toStrictEqual(['保守のお知らせ']);
    socks.last().drop(1000);
    expect(client.stopReason).toBe('logout');
    expect(t.delays()).toStrictEqual([]);
  });
});
