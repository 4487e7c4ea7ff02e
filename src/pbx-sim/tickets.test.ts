import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, UpgradeRefused, type CtiClient, type Received } from './test-support.ts';
import { TicketError, TicketStore, ticketFromAuth } from './tickets.ts';

const URI = '/basix/api/ws_cti?app_name=test';

describe('TicketStore', () => {
  it('a ticket is good once, for exactly its URI, until it expires', () => {
    let now = 1_000;
    const store = new TicketStore(() => now, 5_000);
    const a = store.issue(URI, 'test1');
    expect(store.take(a, URI)).toBe('test1');
    expect(store.take(a, URI)).toBeUndefined(); // single-use
    const b = store.issue(URI, 'test1');
    expect(store.take(b, `${URI}&x=1`)).toBeUndefined(); // another URI uses it up
    expect(store.take(b, URI)).toBeUndefined();
    const c = store.issue(URI, 'test1');
    now += 5_001;
    expect(store.take(c, URI)).toBeUndefined(); // expired
  });

  it('refuses another path, a non-string and full_events with typed errors', () => {
    const store = new TicketStore(() => 0);
    const id = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof TicketError ? e.id : 'other';
      }
      return 'none';
    };
    expect(id(() => store.issue('/basix/api/other', 'd'))).toBe('invalid_request');
    expect(id(() => store.issue('http://evil.example/basix/api/ws_cti', 'd'))).toBe('invalid_request');
    expect(id(() => store.issue(42, 'd'))).toBe('invalid_request');
    expect(id(() => store.issue(`${URI}&full_events=true`, 'd'))).toBe('full_events_not_allowed');
  });

  it('reads ws_ticket:TICKET basic credentials and nothing else', () => {
    const b = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;
    expect(ticketFromAuth(b('ws_ticket:abc'))).toBe('abc');
    expect(ticketFromAuth(b('test1:sim-token'))).toBeUndefined();
    expect(ticketFromAuth(undefined)).toBeUndefined();
  });
});

describe('gen_ws_ticket and user selectors over the wire', () => {
  let sim: RunningPbxSim;
  let sched: VirtualScheduler;
  const clients: CtiClient[] = [];
  const open = async (...a: Parameters<typeof connectCti>): Promise<CtiClient> => {
    const c = await connectCti(...a);
    clients.push(c);
    return c;
  };
  const refused = (p: Promise<unknown>): Promise<number> =>
    p.then(
      () => 0,
      (e: unknown) => (e instanceof UpgradeRefused ? e.status : -1),
    );
  const gen = async (body: unknown, token = 'test1:sim-token') => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (token) headers.Authorization = `Basic ${Buffer.from(token).toString('base64')}`;
    const r = await fetch(`${sim.url}/basix/api/gen_ws_ticket`, { method: 'POST', headers, body: JSON.stringify(body) });
    return (await r.json()) as { result_code: number; ticket?: string; error?: { id: string } };
  };

  beforeEach(async () => {
    sched = new VirtualScheduler();
    sim = await startPbxSim({ quiet: true, seed: 7, control: true, scheduler: sched });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.ws.terminate();
    await sim.close();
  });

  it('issues a ticket for a token, which opens exactly that URI once', async () => {
    expect((await gen({ uri: URI }, '')).error?.id).toBe('authentication_required');
    expect((await gen({ uri: URI }, 'test1:wrong')).error?.id).toBe('authentication_required');
    expect((await gen({ uri: `${URI}&full_events=true` })).result_code).toBe(500);
    const r = await gen({ uri: URI });
    expect(r.result_code).toBe(0);
    const c = await open(sim.url, { token: `ws_ticket:${r.ticket}` });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    expect(await refused(connectCti(sim.url, { token: `ws_ticket:${r.ticket}` }))).toBe(401); // used
    const other = await gen({ uri: URI });
    expect(await refused(connectCti(sim.url, { token: `ws_ticket:${other.ticket}`, query: { full_events: 'true' } }))).toBe(401); // another URI
  });

  it('a ticket expires after a few (simulated) seconds', async () => {
    const r = await gen({ uri: URI });
    sched.advance(11_000);
    expect(await refused(connectCti(sim.url, { token: `ws_ticket:${r.ticket}` }))).toBe(401);
  });

  it('a token connection with user_name sees only that user\'s channels; an unknown user is 404; full_events ignores it', async () => {
    const steps = [
      { op: 'inbound_call', id: 'a', from: '0311110000', to_group: 'group1' },
      { op: 'answer', call: 'a', user: 'user1' },
      { op: 'inbound_call', id: 'b', from: '0322220000', to_group: 'group2' },
      { op: 'answer', call: 'b', user: 'user2' },
    ];
    expect((await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) })).status).toBe(200);
    const initial = async (c: CtiClient) =>
      Object.values(((await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel')) as Extract<Received, { type: 'initial_info' }>).data);
    const one = await open(sim.url, { token: 'test1:sim-token', query: { user_name: 'user1' } });
    expect((await initial(one)).map((c) => c.user_id)).toEqual([10001001]);
    const byExt = await open(sim.url, { token: 'test1:sim-token', query: { app_name: 'x', user_extension: '1002' } });
    expect((await initial(byExt)).map((c) => c.user_id)).toEqual([10001002]);
    expect(await refused(connectCti(sim.url, { token: 'test1:sim-token', query: { user_email: 'nobody@test1.example' } }))).toBe(404);
    const all = await open(sim.url, { token: 'test1:sim-token', query: { app_name: 'y', user_name: 'user1', full_events: 'true' } });
    expect(await initial(all)).toHaveLength(4);
  });
});
