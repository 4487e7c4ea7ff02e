import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, type CtiClient, type Received } from './test-support.ts';

let sim: RunningPbxSim;
let sched: VirtualScheduler;
let op: CtiClient;

type Ev = Extract<Received, { type: 'info_event' }>;
const st = (m: Ev) => m.data.state as { name: string; data: Record<string, unknown> } | undefined;
const ev = (element: string, pred: (m: Ev) => boolean) => (m: Received) => m.type === 'info_event' && m.element === element && pred(m);

async function scenario(steps: unknown[]): Promise<{ calls: Record<string, string> }> {
  const r = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) });
  expect(r.status).toBe(200);
  return r.json();
}

beforeEach(async () => {
  sched = new VirtualScheduler();
  sim = await startPbxSim({ quiet: true, control: true, seed: 3, scheduler: sched, legacy: true });
  op = await connectCti(sim.url, { cookie: await login(sim.url, 'operator', 'operator'), query: { full_events: 'true' } });
  await op.waitFor((m) => m.type === 'initial_info' && m.element === 'parked_channel');
});
afterEach(async () => {
  op.ws.terminate();
  await sim.close();
});

describe('client commands over a real socket', () => {
  it('park: the caller leg gets state park (first free slot, parker = session user), the user leg hangs up; timeout rings back', async () => {
    const { calls } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', calling_name: '田中 一郎', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user1' },
    ]);
    const c1 = calls.c1;
    const leg = [...sim.sim.model.channels.values()].find((c) => c.userId === 10001001)!;
    op.command({ cmd: 'park', uuid: leg.uuid, timeout: 30 }); // names the user's leg: the caller is parked
    const parked = (await op.waitFor(ev('channel', (m) => m.data.uuid === c1 && st(m)?.name === 'park'))) as Ev;
    expect(st(parked)?.data).toMatchObject({ slot: 901, parker_id: 10000900, parker_name: 'operator' });
    const gone = (await op.waitFor(ev('channel', (m) => m.data.uuid === leg.uuid && m.event === 'removed'))) as Ev;
    expect(gone.data.last_event).toBe('CHANNEL_HANGUP');
    expect(gone.data.last_event_data).toBe('recv_bye,NORMAL_CLEARING');
    await op.waitFor(ev('parked_channel', (m) => m.event === 'added' && m.data.uuid === c1));
    sched.advance(30_000);
    const back = (await op.waitFor(ev('channel', (m) => m.data.uuid === c1 && st(m)?.name === 'calling' && st(m)!.data.target_type === 'user'))) as Ev;
    expect(st(back)?.data).toMatchObject({ target_type: 'user', user_id: 10000900 });
    await op.waitFor(ev('parked_channel', (m) => m.event === 'removed' && m.data.uuid === c1));
  });

  it('hangup: both legs end with send_bye,NORMAL_CLEARING', async () => {
    const { calls } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user1' },
    ]);
    op.command({ cmd: 'hangup', uuid: calls.c1 });
    const root = (await op.waitFor(ev('channel', (m) => m.data.uuid === calls.c1 && m.event === 'removed'))) as Ev;
    expect(root.data.last_event_data).toBe('send_bye,NORMAL_CLEARING');
    const leg = (await op.waitFor(ev('channel', (m) => m.data.user_id === 10001001 && m.event === 'removed'))) as Ev;
    expect(leg.data.last_event_data).toBe('send_bye,NORMAL_CLEARING');
    expect(sim.sim.model.channels.size).toBe(0);
  });

  it('transfer: the user leg hangs up and the caller rings the target user', async () => {
    const { calls } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user1' },
    ]);
    op.command({ cmd: 'transfer', uuid: calls.c1, user_id: 10001002, user_name: 'user2', destination: '1002' });
    const ringing = (await op.waitFor(ev('channel', (m) => m.data.uuid === calls.c1 && st(m)?.name === 'calling' && st(m)!.data.target_type === 'user'))) as Ev;
    expect(st(ringing)?.data).toMatchObject({ target_location: 'int', target_type: 'user', user_id: 10001002 });
    const newLeg = (await op.waitFor(ev('channel', (m) => m.event === 'added' && m.data.user_id === 10001002))) as Ev;
    expect(newLeg.data.other_uuid).toBe(calls.c1);
    await op.waitFor(ev('channel', (m) => m.event === 'removed' && m.data.user_id === 10001001));
    // the target answers (scenario step), the call is bridged to user2
    await scenario([{ op: 'answer', call: 'c1', user: 'user2' }]);
    await op.waitFor(ev('channel', (m) => m.data.uuid === calls.c1 && st(m)?.name === 'bridged' && m.data.last_bridged_user_id === 10001002));
  });

  it('answers malformed and unknown commands with {msg, Text} and keeps serving', async () => {
    const bad: unknown[] = ['{oops', '[]', '42', 'null', { cmd: 42 }, { cmd: 'park' }, { cmd: 'park', uuid: 'nope' }, { cmd: 'dance', uuid: 'x' }, { nocmd: true }];
    for (const b of bad) op.command(b);
    op.ws.send(Buffer.from([131, 106]), { binary: true });
    await op.waitFor(() => op.messages.filter((m) => m.type === 'msg').length >= bad.length + 1);
    const replies = op.messages.filter((m) => m.type === 'msg').map((m) => (m as { msg: string }).msg);
    expect(replies).toHaveLength(bad.length + 1);
    for (const r of replies) expect(r).toMatch(/^error: /);
    expect(replies).toContain('error: park: unknown channel nope');
    // a park timeout that is not a number
    const { calls } = await scenario([{ op: 'inbound_call', id: 'c9', from: '0312345678', to_group: 'group1' }]);
    op.command({ cmd: 'park', uuid: calls.c9, timeout: 'soon' });
    await op.waitFor((m) => m.type === 'msg' && m.msg.includes('timeout'));
    // still alive: a fresh connection gets its snapshot
    const again = await connectCti(sim.url, { token: 'test1:sim-token' });
    await again.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    again.ws.terminate();
  });

  it('a plain user cannot act on channels it does not see', async () => {
    const { calls } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group2' },
      { op: 'answer', call: 'c1', user: 'user2' },
    ]);
    const u1 = await connectCti(sim.url, { cookie: await login(sim.url, 'user1', 'user1'), query: { full_events: 'true' } });
    u1.command({ cmd: 'hangup', uuid: calls.c1 });
    await u1.waitFor((m) => m.type === 'msg' && m.msg.startsWith('error: hangup: unknown channel'));
    expect(sim.sim.model.channels.has(calls.c1)).toBe(true);
    u1.ws.terminate();
  });
});

describe('control endpoints', () => {
  it('scenario park on a given slot by a named user; reset goes back to the seeded state; state is JSON', async () => {
    await scenario([
      { op: 'incoming_call', uuid: 'e2e-1', callingName: '山田', callingNumber: '0312345678', groupId: 10001111 },
      { op: 'answer', call: 'e2e-1', user: 'user1' },
      { op: 'park', call: 'e2e-1', slot: 905, by: 'user1' },
    ]);
    const m = (await op.waitFor(ev('channel', (x) => x.data.uuid === 'e2e-1' && st(x)?.name === 'park'))) as Ev;
    expect(st(m)?.data).toEqual({ slot: 905, parker_id: 10001001, parker_name: 'user1' });
    const state = await (await fetch(`${sim.url}/__sim/state`)).json();
    expect(state.parked).toEqual({ 905: 'e2e-1' });
    const bad = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps: [{ op: 'park', call: 'e2e-1', slot: 999, by: 'user1' }] }) });
    expect(bad.status).toBe(409);
    const n = op.messages.length;
    expect((await fetch(`${sim.url}/__sim/reset`, { method: 'POST', body: '{"quiet":true}' })).status).toBe(200);
    const fresh = (await op.waitFor((x) => op.messages.indexOf(x) >= n && x.type === 'initial_info' && x.element === 'channel')) as Extract<Received, { type: 'initial_info' }>;
    expect(fresh.data).toEqual({});
  });

  it('restart closes sockets and refuses new ones for downMs', async () => {
    await fetch(`${sim.url}/__sim/restart`, { method: 'POST', body: JSON.stringify({ downMs: 60_000 }) });
    expect(await op.closed).toBe(1012);
    await expect(connectCti(sim.url, { token: 'test1:sim-token' })).rejects.toMatchObject({ status: 503 });
  });
});
