import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, type CtiClient, type Received } from './test-support.ts';

// The strict profile (issue 9): only the surface a real Basix PBX is known to have.
let sim: RunningPbxSim;
const clients: CtiClient[] = [];
const open = async (...a: Parameters<typeof connectCti>): Promise<CtiClient> => {
  const c = await connectCti(...a);
  clients.push(c);
  return c;
};
const fieldSpec = (c: CtiClient, element: string) =>
  c.waitFor((m) => m.type === 'field_spec' && m.element === element) as Promise<Extract<Received, { type: 'field_spec' }>>;

beforeEach(async () => {
  sim = await startPbxSim({ quiet: true, seed: 7, control: true, strict: true, scheduler: new VirtualScheduler() });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await sim.close();
});

describe('strict profile', () => {
  it('a log-out just closes the socket: no undocumented system_msg logout, and the next socket is refused', async () => {
    const cookie = await login(sim.url, 'operator', 'operator');
    const c = await open(sim.url, { cookie, query: { app_name: 'strict-logout' } });
    await fieldSpec(c, 'channel');
    const r = await fetch(`${sim.url}/__sim/logout`, { method: 'POST', body: JSON.stringify({ username: 'operator' }) });
    expect(r.status).toBe(200);
    await c.closed;
    expect(c.messages.filter((m) => m.type === 'system_msg')).toEqual([]);
    await expect(connectCti(sim.url, { cookie, query: { app_name: 'strict-logout' } })).rejects.toThrow(/401/);
  });

  it('has no /basix/api/session (404), with or without a session', async () => {
    expect((await fetch(`${sim.url}/basix/api/session`)).status).toBe(404);
    const cookie = await login(sim.url, 'operator', 'operator');
    expect((await fetch(`${sim.url}/basix/api/session`, { headers: { Cookie: cookie } })).status).toBe(404);
  });

  it('login redirects to the PBX web app, not to next; the web app page links back and needs a session', async () => {
    const r = await fetch(`${sim.url}/basix/login`, {
      method: 'POST',
      body: new URLSearchParams({ username: 'operator', password: 'operator', next: '/console/' }),
      redirect: 'manual',
    });
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/basix/app/');
    const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
    const page = await fetch(`${sim.url}/basix/app/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('operator');
    expect(text).toContain('href="/"');
    const anon = await fetch(`${sim.url}/basix/app/`, { redirect: 'manual' });
    expect([anon.status, anon.headers.get('location')]).toEqual([303, '/basix/login']);
  });

  it('ignores malformed, unknown and refused commands without any reply, and keeps serving', async () => {
    const c = await open(sim.url, { token: 'test1:sim-token' });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    for (const b of ['{oops', '[]', { cmd: 'dance' }, { cmd: 'park', uuid: 'nope' }, { cmd: 'hangup' }]) c.command(b);
    c.ws.send(Buffer.from([131, 106]), { binary: true });
    // a step after the commands: everything before it has been handled
    const res = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps: [{ op: 'system_msg', msg: 'marker' }] }) });
    expect(res.status).toBe(200);
    await c.waitFor((m) => m.type === 'system_msg' && m.msg === 'marker');
    expect(c.messages.filter((m) => m.type === 'msg')).toEqual([]);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });

  it('sends no domain park slot range and only the README\'s waiting-record fields (ours); the default profile does', async () => {
    const c = await open(sim.url, { token: 'test1:sim-token' });
    expect((await fieldSpec(c, 'domain')).fields).toEqual(['id', 'name', 'label']);
    expect((await fieldSpec(c, 'channel_waiting')).fields).toEqual(['uuid', 'state', 'peer_number', 'end_user']);
    const dflt = await startPbxSim({ quiet: true, seed: 7 });
    try {
      const d = await open(dflt.url, { token: 'test1:sim-token' });
      expect((await fieldSpec(d, 'domain')).fields).toEqual(['id', 'name', 'label', 'park_slot_start', 'park_slot_end']);
    } finally {
      await dflt.close();
    }
  });

  it('a park command parks in the parker\'s park group without any reply; the call comes as a 4-field channel_waiting', async () => {
    const steps = [
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user1' },
    ];
    const r = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) });
    const { calls } = (await r.json()) as { calls: Record<string, string> };
    const op = await open(sim.url, { token: 'test1:sim-token' });
    await op.waitFor((m) => m.type === 'initial_info' && m.element === 'channel_waiting');
    // a token client parks as admin (park group 0)
    op.command({ cmd: 'park', uuid: calls.c1, timeout: 60 });
    const w = (await op.waitFor((m) => m.type === 'info_event' && m.element === 'channel_waiting' && m.event === 'added')) as Extract<Received, { type: 'info_event' }>;
    expect(Object.keys(w.data).sort()).toEqual(['end_user', 'peer_number', 'state', 'uuid']);
    expect(w.data.state).toMatchObject({ name: 'park', data: { slot: 901, parker_id: 10001000, parker_name: 'admin' } });
    expect(op.messages.filter((m) => m.type === 'msg')).toEqual([]);
  });

  it('still serves avatars, icons, the login page and (with --control) the test control', async () => {
    for (const p of ['/basix/login', '/basix/avatars/users/u1.png', '/static/icons/user.png', '/__sim/state']) expect((await fetch(`${sim.url}${p}`)).status, p).toBe(200);
  });
});
