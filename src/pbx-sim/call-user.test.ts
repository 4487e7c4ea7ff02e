import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, type CtiClient, type Received } from './test-support.ts';

type Ev = Extract<Received, { type: 'info_event' }>;
const st = (m: Ev) => m.data.state as { name: string; data: Record<string, unknown> };
const ev = (element: string, pred: (m: Ev) => boolean) => (m: Received) => m.type === 'info_event' && m.element === element && pred(m);

let sim: RunningPbxSim;
let sched: VirtualScheduler;
let op: CtiClient;
let opCookie: string;

async function scenario(steps: unknown[]): Promise<{ calls: Record<string, string>; parked: Record<string, number> }> {
  const r = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) });
  expect(r.status).toBe(200);
  return r.json();
}
async function callUser(body: unknown, auth: { cookie?: string; token?: string } = {}) {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (auth.cookie) headers.Cookie = auth.cookie;
  if (auth.token) headers.Authorization = `Basic ${Buffer.from(auth.token).toString('base64')}`;
  const r = await fetch(`${sim.url}/basix/api/call_user`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  expect(r.status).toBe(200);
  return (await r.json()) as { result_code: number; uuids?: string[]; error?: { id: string } };
}

beforeEach(async () => {
  sched = new VirtualScheduler();
  sim = await startPbxSim({ quiet: true, control: true, seed: 3, scheduler: sched });
  opCookie = await login(sim.url, 'operator', 'operator');
  op = await connectCti(sim.url, { cookie: opCookie, query: { full_events: 'true' } });
  await op.waitFor((m) => m.type === 'initial_info' && m.element === 'channel_waiting');
});
afterEach(async () => {
  op.ws.terminate();
  await sim.close();
});

describe('POST /basix/api/call_user', () => {
  it('answers the documented error ids', async () => {
    expect((await callUser({ user_id: 10000900, destination: '1001' })).error?.id).toBe('authentication_required');
    expect((await callUser({ user_id: 10000900, destination: '1001' }, { token: 'test1:bad' })).error?.id).toBe('authentication_required');
    expect((await callUser('{nope', { cookie: opCookie })).error?.id).toBe('invalid_request');
    expect((await callUser({ user_id: 10000900 }, { cookie: opCookie })).error?.id).toBe('invalid_request');
    expect((await callUser({ user_name: 'nobody', destination: '1001' }, { cookie: opCookie })).error?.id).toBe('user_not_found');
    expect((await callUser({ destination: 'pickup_uuid.nope' }, { cookie: opCookie })).error?.id).toBe('destination_not_found');
    const u1 = await login(sim.url, 'user1', 'user1');
    expect((await callUser({ user_name: 'user2', destination: '1003' }, { cookie: u1 })).error?.id).toBe('permission_denied');
    expect((await callUser({ destination: '1003' }, { token: 'test1:sim-token' })).error?.id).toBe('invalid_request');
    expect(sim.sim.model.channels.size).toBe(0);
  });

  it('pickup_uuid of a parked call: rings the operator\'s phone first, then bridges it; the slot and its channel_waiting go', async () => {
    const { calls, parked } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user1' },
      { op: 'park', call: 'c1', by: 'user1' },
    ]);
    expect(parked.c1).toBe(901);
    await op.waitFor(ev('channel_waiting', (m) => m.event === 'added' && m.data.uuid === calls.c1 && st(m).name === 'park'));
    const r = await callUser({ user_id: 10000900, destination: `pickup_uuid.${calls.c1}` }, { cookie: opCookie });
    expect(r.result_code).toBe(0);
    const [leg] = r.uuids!;
    const ringing = (await op.waitFor(ev('channel', (m) => m.event === 'added' && m.data.uuid === leg))) as Ev;
    expect(ringing.data.user_id).toBe(10000900);
    expect(ringing.data.origination).toEqual(['call_user', `pickup_uuid.${calls.c1}`]);
    expect(st(ringing)).toMatchObject({ name: 'calling', data: { target_type: 'user', user_id: 10000900 } });
    expect(sim.sim.model.parkedSlots.get(901)).toBe(calls.c1); // still parked until the phone answers
    sched.advance(3000);
    await op.waitFor(ev('channel', (m) => m.data.uuid === calls.c1 && st(m).name === 'bridged' && m.data.other_uuid === leg));
    await op.waitFor(ev('channel_waiting', (m) => m.event === 'removed' && m.data.uuid === calls.c1));
    expect(sim.sim.model.parkedSlots.size).toBe(0);
  });

  it('auto_answer picks a ringing call up at once with a token and a user_extension selector; others ringing get PICKED_OFF', async () => {
    const { calls } = await scenario([{ op: 'inbound_call', id: 'c1', from: '0312345678', to_user: 'user2' }]);
    const r = await callUser({ user_extension: '1001', destination: `pickup_uuid.${calls.c1}`, auto_answer: true }, { token: 'test1:sim-token' });
    expect(r.result_code).toBe(0);
    const gone = (await op.waitFor(ev('channel', (m) => m.event === 'removed' && m.data.user_id === 10001002))) as Ev;
    expect(gone.data.last_event_data).toBe('send_cancel,PICKED_OFF');
    await op.waitFor(ev('channel', (m) => m.data.uuid === calls.c1 && st(m).name === 'bridged' && m.data.last_bridged_user_id === 10001001));
  });

  it('a phone not answered within answer_timeout ends NO_ANSWER and the destination is never called', async () => {
    const r = await callUser({ user_id: 10000900, destination: '0398765432', answer_timeout: 1 }, { cookie: opCookie });
    sched.advance(1000);
    const gone = (await op.waitFor(ev('channel', (m) => m.event === 'removed' && m.data.uuid === r.uuids![0]))) as Ev;
    expect(gone.data.last_event_data).toBe('send_cancel,NO_ANSWER');
    expect(sim.sim.model.channels.size).toBe(0);
  });
});

describe('park over the wire (PROTOCOL.md Corrections)', () => {
  it('a park command parks in the parker\'s group, adds a channel_waiting park record, and rings back with RINGING_PARK_<slot>', async () => {
    const { calls } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user1' },
    ]);
    op.command({ cmd: 'park', uuid: calls.c1, timeout: 30 });
    const w = (await op.waitFor(ev('channel_waiting', (m) => m.event === 'added' && m.data.uuid === calls.c1))) as Ev;
    expect(st(w)).toMatchObject({ name: 'park', data: { slot: 901, parker_id: 10000900, parker_name: 'operator' } });
    sched.advance(30_000);
    await op.waitFor(ev('channel_waiting', (m) => m.event === 'removed' && m.data.uuid === calls.c1));
    const back = (await op.waitFor(ev('channel', (m) => m.event === 'added' && m.data.user_id === 10000900))) as Ev;
    expect(back.data.called_number).toBe('RINGING_PARK_901');
    expect(st(back).name).toBe('ringing');
  });

  it('a new connection gets parked calls in its channel_waiting snapshot, and a park step with timeout rings back', async () => {
    const { calls } = await scenario([
      { op: 'inbound_call', id: 'c1', from: '0312345678', to_group: 'group1' },
      { op: 'answer', call: 'c1', user: 'user6' },
      { op: 'park', call: 'c1', by: 'user6', timeout: 45 },
    ]);
    const c = await connectCti(sim.url, { token: 'test1:sim-token' });
    try {
      const init = (await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel_waiting')) as Extract<Received, { type: 'initial_info' }>;
      expect(Object.values(init.data).map((x) => [x.uuid, (x.state as { data: { slot: number } }).data.slot])).toEqual([[calls.c1, 907]]);
      sched.advance(45_000);
      await c.waitFor(ev('channel', (m) => m.event === 'added' && m.data.called_number === 'RINGING_PARK_907'));
    } finally {
      c.ws.terminate();
    }
  });
});
