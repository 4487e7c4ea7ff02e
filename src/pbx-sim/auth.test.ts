import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectCti, login, upgradeStatus, UpgradeRefused, type CtiClient, type Received } from './test-support.ts';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';

let sim: RunningPbxSim;
const clients: CtiClient[] = [];
const open = async (...a: Parameters<typeof connectCti>): Promise<CtiClient> => {
  const c = await connectCti(...a);
  clients.push(c);
  return c;
};
const refusedStatus = (p: Promise<unknown>): Promise<number> =>
  p.then(
    () => 0,
    (e: unknown) => (e instanceof UpgradeRefused ? e.status : -1),
  );
const isSys = (msg: string) => (m: Received) => m.type === 'system_msg' && m.msg === msg;

beforeEach(async () => {
  sim = await startPbxSim({ quiet: true, seed: 7, control: true });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim.close();
});

describe('login and session', () => {
  it('serves a login form with username and password fields', async () => {
    const res = await fetch(`${sim.url}/basix/login`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('name="username"');
    expect(html).toContain('type="password"');
  });

  it('sets an HttpOnly SameSite=Strict cookie and redirects to a safe next, else /', async () => {
    const ok = await fetch(`${sim.url}/basix/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'operator', password: 'operator', next: '/queue?x=1' }),
      redirect: 'manual',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/queue?x=1');
    const cookie = ok.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^basix_session=[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    for (const evil of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
      const r = await fetch(`${sim.url}/basix/login`, {
        method: 'POST',
        body: new URLSearchParams({ username: 'user1', password: 'user1', next: evil }),
        redirect: 'manual',
      });
      expect(r.headers.get('location')).toBe('/');
    }
  });

  it('refuses a wrong password with 401 and no cookie', async () => {
    const r = await fetch(`${sim.url}/basix/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'operator', password: 'nope' }),
      redirect: 'manual',
    });
    expect(r.status).toBe(401);
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('GET /basix/api/session tells who is logged in, 401 without a session', async () => {
    expect((await fetch(`${sim.url}/basix/api/session`)).status).toBe(401);
    const op = await login(sim.url, 'operator', 'operator');
    const s = await (await fetch(`${sim.url}/basix/api/session`, { headers: { Cookie: op } })).json();
    expect(s).toEqual({ username: 'operator', user_id: 10000900, is_admin: true, domain: 'test1' });
    const u1 = await login(sim.url, 'user1', 'user1');
    const s1 = await (await fetch(`${sim.url}/basix/api/session`, { headers: { Cookie: u1 } })).json();
    expect(s1).toEqual({ username: 'user1', user_id: 10001001, is_admin: false, domain: 'test1' });
  });

  it('sends the PBX clock (the scheduler\'s, here months from the host\'s) in the Date header', async () => {
    const sched = new VirtualScheduler(Date.UTC(2026, 0, 5, 3, 4, 5, 678));
    const other = await startPbxSim({ quiet: true, seed: 7, scheduler: sched });
    try {
      const cookie = await login(other.url, 'operator', 'operator');
      const r = await fetch(`${other.url}/basix/api/session`, { headers: { Cookie: cookie } });
      expect(r.headers.get('date')).toBe('Mon, 05 Jan 2026 03:04:05 GMT');
      expect((await fetch(`${other.url}/basix/api/session`)).headers.get('date')).toBe('Mon, 05 Jan 2026 03:04:05 GMT');
    } finally {
      await other.close();
    }
  });
});

describe('WebSocket auth', () => {
  it('answers an upgrade to another path with 404 naming the CTI path, not a dropped socket', async () => {
    const r = await upgradeStatus(sim.url, '/basix/api/ws_wrong');
    expect(r).toEqual({ status: 404, body: expect.stringContaining('/basix/api/ws_cti') });
  });

  it('refuses an upgrade without a session with 401', async () => {
    expect(await refusedStatus(connectCti(sim.url))).toBe(401);
    expect(await refusedStatus(connectCti(sim.url, { cookie: 'basix_session=forged' }))).toBe(401);
  });

  it("refuses a foreign Origin with 403 even with a valid session", async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    expect(await refusedStatus(connectCti(sim.url, { cookie, origin: 'https://evil.example' }))).toBe(403);
    const c = await open(sim.url, { cookie, origin: sim.url });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
  });

  it('accepts DOMAIN:TOKEN basic credentials and refuses a wrong token', async () => {
    const c = await open(sim.url, { token: 'test1:sim-token' });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'user');
    expect(await refusedStatus(connectCti(sim.url, { token: 'test1:wrong' }))).toBe(401);
  });

  it('logout sends system_msg logout to the session sockets and the session is gone', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    const c = await open(sim.url, { cookie });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    const r = await fetch(`${sim.url}/basix/logout`, { method: 'POST', headers: { Cookie: cookie }, redirect: 'manual' });
    expect(r.status).toBe(303);
    await c.waitFor(isSys('logout'));
    await c.closed;
    expect(await refusedStatus(connectCti(sim.url, { cookie }))).toBe(401);
  });

  it('POST /__sim/logout ends a user sessions the same way', async () => {
    const cookie = await login(sim.url, 'user1', 'user1');
    const c = await open(sim.url, { cookie });
    await fetch(`${sim.url}/__sim/logout`, { method: 'POST', body: JSON.stringify({ username: 'user1' }) });
    await c.waitFor(isSys('logout'));
  });
});

describe('connection limit: 2 per user and app_name (PROTOCOL.md Corrections)', () => {
  it('a third connection of one user and app_name gets connection_limit_reached and is closed; the others stay', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    const two = [await open(sim.url, { cookie }), await open(sim.url, { cookie })];
    const third = await open(sim.url, { cookie });
    await third.waitFor(isSys('connection_limit_reached'));
    await third.closed;
    expect(third.messages.some((m) => m.type === 'initial_info')).toBe(false);
    for (const c of two) expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('counts per app_name: two more with another app_name are served', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    await open(sim.url, { cookie, query: { app_name: 'console' } });
    await open(sim.url, { cookie, query: { app_name: 'console' } });
    for (let i = 0; i < 2; i++) {
      const c = await open(sim.url, { cookie, query: { app_name: 'tail' } });
      await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    }
  });

  it('refuses an upgrade without app_name with 400', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    expect(await refusedStatus(connectCti(sim.url, { cookie, query: { app_name: '' } }))).toBe(400);
  });

  it('with forced=true the oldest gets connection_replaced and closes, the new one is served', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    const oldest = await open(sim.url, { cookie });
    const second = await open(sim.url, { cookie });
    const forced = await open(sim.url, { cookie, query: { forced: 'true' } });
    await oldest.waitFor(isSys('connection_replaced'));
    await oldest.closed;
    await forced.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    expect(second.ws.readyState).toBe(second.ws.OPEN);
  });

  it('force=true (the library README\'s spelling) takes over only with legacyForce', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    await open(sim.url, { cookie });
    await open(sim.url, { cookie });
    const refused = await open(sim.url, { cookie, query: { force: 'true' } });
    await refused.waitFor(isSys('connection_limit_reached'));
    const legacy = await startPbxSim({ quiet: true, seed: 7, legacyForce: true });
    try {
      const c2 = await login(legacy.url, 'operator', 'operator');
      const oldest = await open(legacy.url, { cookie: c2 });
      await open(legacy.url, { cookie: c2 });
      const forced = await open(legacy.url, { cookie: c2, query: { force: 'true' } });
      await oldest.waitFor(isSys('connection_replaced'));
      await forced.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    } finally {
      await legacy.close();
    }
  });

  it('other users are not affected by one user reaching the limit', async () => {
    const op = await login(sim.url, 'operator', 'operator');
    for (let i = 0; i < 2; i++) await open(sim.url, { cookie: op });
    const u1 = await open(sim.url, { cookie: await login(sim.url, 'user1', 'user1') });
    await u1.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
  });
});

describe('channel visibility', () => {
  it('a non-admin asking full_events=true sees only its own channels; an admin-role operator sees all', async () => {
    const steps = [
      { op: 'inbound_call', id: 'a', from: '0311110000', to_group: 'group1' },
      { op: 'answer', call: 'a', user: 'user1' },
      { op: 'inbound_call', id: 'b', from: '0322220000', to_group: 'group2' },
      { op: 'answer', call: 'b', user: 'user2' },
      { op: 'inbound_call', id: 'q', from: '0333330000', to_group: 'group1', queue: true },
    ];
    const pre = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps: steps.slice(0, 2) }) });
    expect(pre.status).toBe(200);
    const u1 = await open(sim.url, { cookie: await login(sim.url, 'user1', 'user1'), query: { full_events: 'true' } });
    const op = await open(sim.url, { cookie: await login(sim.url, 'operator', 'operator'), query: { full_events: 'true' } });
    const opNoFull = await open(sim.url, { cookie: await login(sim.url, 'operator', 'operator') });
    const init = (await u1.waitFor((m) => m.type === 'initial_info' && m.element === 'channel')) as Extract<Received, { type: 'initial_info' }>;
    expect(Object.values(init.data).map((c) => c.user_id)).toEqual([10001001]);
    const opInit = (await op.waitFor((m) => m.type === 'initial_info' && m.element === 'channel')) as Extract<Received, { type: 'initial_info' }>;
    expect(Object.keys(opInit.data)).toHaveLength(2); // caller leg + user1 leg
    const opNoFullInit = (await opNoFull.waitFor((m) => m.type === 'initial_info' && m.element === 'channel')) as Extract<Received, { type: 'initial_info' }>;
    expect(Object.keys(opNoFullInit.data)).toHaveLength(0); // without full_events: own channels only

    await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps: [...steps.slice(2), { op: 'msg', text: 'END' }] }) });
    await u1.waitFor((m) => m.type === 'msg' && m.msg === 'END');
    await op.waitFor((m) => m.type === 'msg' && m.msg === 'END');
    const u1Channels = u1.messages.filter((m) => m.type === 'info_event' && (m.element === 'channel' || m.element === 'channel_waiting'));
    expect(u1Channels).toHaveLength(0);
    const opEvents = op.messages.filter((m) => m.type === 'info_event' && m.element === 'channel');
    expect(opEvents.some((m) => m.type === 'info_event' && m.data.user_id === 10001002)).toBe(true);
    expect(op.messages.some((m) => m.type === 'info_event' && m.element === 'channel_waiting' && m.event === 'added')).toBe(true);
    expect(u1.errors).toEqual([]);
  });
});
