// The client over a real `ws` socket against the simulated PBX (token auth test1:sim-token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxSim, type RunningPbxSim } from '../../pbx-sim/server.ts';
import type { ClientState, StopReason } from './client.ts';
import { CtiApiError } from './errors.ts';
import { callUser } from './http.ts';
import { createNodeCtiClient } from './node.ts';

let sim: RunningPbxSim;
beforeAll(async () => {
  sim = await startPbxSim({ seed: 7, quiet: true });
});
afterAll(async () => {
  await sim.close();
});

const wsUrl = (q: string) => `${sim.url.replace(/^http/, 'ws')}/basix/api/ws_cti?${q}`;

function waitFor<T>(check: () => T | undefined, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    let n = 0;
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (++n > 400) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('createNodeCtiClient against the simulator', () => {
  it('token userinfo in the URL (the vendor example form): snapshot of users in the store', async () => {
    const [host] = sim.url.replace(/^http:\/\//, '').split('/');
    const client = createNodeCtiClient({ url: `ws://test1:sim-token@${host}/basix/api/ws_cti?app_name=node-test`, snapshotSettleMs: 200 });
    const states: ClientState[] = [];
    client.on('state', (s) => states.push(s));
    let snap = false;
    client.on('snapshot', () => (snap = true));
    client.start();
    await waitFor(() => (snap ? true : undefined), 'the snapshot');
    expect(client.store.get('user').size).toBeGreaterThan(10);
    expect(client.stale).toBe(false);
    client.stop();
    expect(states).toStrictEqual(['connecting', 'open', 'stopped']);
  });

  it('a wrong token is refused (HTTP 401) and the client stops instead of retrying', async () => {
    const client = createNodeCtiClient({ url: wsUrl('app_name=node-test'), auth: { type: 'token', domain: 'test1', token: 'wrong' } });
    let reason: StopReason | undefined;
    client.on('stop', (r) => (reason = r));
    client.start();
    await waitFor(() => reason, 'the stop');
    expect(reason).toBe('refused');
  });

  it('ticket auth: a one-time ticket per connection, watching one user', async () => {
    const client = createNodeCtiClient({ url: wsUrl('app_name=node-ticket'), auth: { type: 'ticket', domain: 'test1', token: 'sim-token' }, user: { user_name: 'user1' }, snapshotSettleMs: 200 });
    let snap = false;
    client.on('snapshot', () => (snap = true));
    client.start();
    await waitFor(() => (snap ? true : undefined), 'the snapshot');
    expect(client.store.get('user').size).toBeGreaterThan(10);
    // a second connection needs a second ticket (the first is used): reconnect and get a snapshot again
    snap = false;
    client.reconnectNow();
    await waitFor(() => (snap ? true : undefined), 'the second snapshot');
    expect(client.state).toBe('open');
    client.stop();
  });

  it('callUser with token credentials: uuids on success, CtiApiError with result_code and error.id on failure', async () => {
    const credentials = { domain: 'test1', token: 'sim-token' };
    const ok = await callUser({ origin: sim.url, user_name: 'user1', destination: '0312345678', credentials });
    expect(ok.uuids.length).toBeGreaterThan(0);
    const err = await callUser({ origin: sim.url, user_name: 'no-such-user', destination: '0312345678', credentials }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CtiApiError);
    expect((err as CtiApiError).resultCode).not.toBe(0);
    expect(typeof (err as CtiApiError).errorId).toBe('string');
    const refused = await callUser({ origin: sim.url, user_id: 10001001, destination: '100', credentials: { domain: 'test1', token: 'wrong' } }).catch((e: unknown) => e);
    expect((refused as CtiApiError).errorId).toBe('authentication_required');
  });

  it('the limit of 2 per user and app_name: a third client stops with connection_limit_reached; reconnectNow({forced}) takes over and an older one gets connection_replaced', async () => {
    const make = () => {
      const c = createNodeCtiClient({ url: wsUrl('app_name=node-limit'), auth: { type: 'token', domain: 'test1', token: 'sim-token' } });
      const seen: { stop?: StopReason; open: number } = { open: 0 };
      c.on('open', () => seen.open++);
      c.on('stop', (r) => (seen.stop = r));
      return { c, seen };
    };
    const a = make();
    const b = make();
    a.c.start();
    b.c.start();
    await waitFor(() => (a.seen.open && b.seen.open ? true : undefined), 'two connections');
    const third = make();
    third.c.start();
    await waitFor(() => third.seen.stop, 'the third client to stop');
    expect(third.seen.stop).toBe('connection_limit_reached');
    third.c.reconnectNow({ forced: true });
    await waitFor(() => a.seen.stop ?? b.seen.stop, 'an older client to be replaced');
    expect([a.seen.stop, b.seen.stop]).toContain('connection_replaced');
    await waitFor(() => (third.c.state === 'open' ? true : undefined), 'the take-over connection');
    for (const x of [a, b, third]) x.c.stop();
  });
});
