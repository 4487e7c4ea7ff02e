import { describe, expect, it } from 'vitest';
import { buildDirectory } from './directory.ts';
import { PbxModel } from './model.ts';
import { createRng } from './prng.ts';
import { parseScenario, runScenario, ScenarioError, type ScenarioContext } from './scenario.ts';
import { VirtualScheduler } from './scheduler.ts';

function ctx(): ScenarioContext & { sys: string[]; msgs: string[]; sched: VirtualScheduler } {
  const rng = createRng(1);
  const sched = new VirtualScheduler();
  const sys: string[] = [];
  const msgs: string[] = [];
  return {
    model: new PbxModel({ scheduler: sched, rng, directory: buildDirectory(rng) }),
    scheduler: sched,
    calls: new Map(),
    systemMsg: (m) => sys.push(m),
    msg: (t) => msgs.push(t),
    sys,
    msgs,
    sched,
  };
}

describe('scenario steps', () => {
  it('accepts the e2e aliases (incoming_call with uuid/callingNumber/groupId, set_mwi with userId/new/saved)', async () => {
    const c = ctx();
    const r = await runScenario(c, [
      { op: 'incoming_call', uuid: 'u-1', callingName: '山田', callingNumber: '0311112222', groupId: 10001111, endUser: '***' },
      { type: 'set_mwi', userId: 10001001, new: 2, saved: 5 },
      { op: 'set_mwi', user: 'user2', mwi: '3/1 (1/0)' },
      { op: 'presence', user: 'user3', presence: 1 },
      { op: 'system_msg', msg: 'hello' },
      { op: 'msg', text: 'お知らせ' },
    ]);
    expect(r.calls).toEqual({ 'u-1': 'u-1' });
    const ch = c.model.channel('u-1');
    expect(ch).toMatchObject({ callingName: '山田', callingNumber: '0311112222', endUser: '***' });
    expect(ch.state).toMatchObject({ name: 'calling', target: { type: 'group', groupId: 10001111, queueId: 'group1' } });
    expect(c.model.user('user1')).toMatchObject({ mwiNew: 2, mwiSaved: 5 });
    expect(c.model.user('user2')).toMatchObject({ mwiNew: 3, mwiSaved: 1, mwiUrgentNew: 1, mwiUrgentSaved: 0 });
    expect(c.model.user('user3').presence).toBe(1);
    expect(c.sys).toEqual(['hello']);
    expect(c.msgs).toEqual(['お知らせ']);
  });

  it('wait uses simulated time', async () => {
    const c = ctx();
    let done = false;
    const p = runScenario(c, [{ op: 'wait', ms: 5000 }, { op: 'inbound_call', id: 'x', from: '0311112222', to_user: 'user1' }]).then(() => (done = true));
    await Promise.resolve();
    c.sched.advance(4999);
    await Promise.resolve();
    expect(done).toBe(false);
    c.sched.advance(1);
    await p;
    expect(c.model.channels.size).toBe(2); // caller leg + ringing user leg
  });

  it('reports the index of the first rejected step; earlier steps took effect', async () => {
    const c = ctx();
    const run = runScenario(c, [
      { op: 'inbound_call', id: 'a', from: '0311112222', to_group: 'group1' },
      { op: 'park', call: 'a', slot: 905, by: 'user1' },
      { op: 'inbound_call', id: 'b', from: '0311113333', to_group: 'group1' },
      { op: 'park', call: 'b', slot: 905, by: 'user1' },
    ]);
    await expect(run).rejects.toBeInstanceOf(ScenarioError);
    await expect(run).rejects.toMatchObject({ index: 3 });
    expect(c.model.parkedSlots.get(905)).toBe(c.calls.get('a'));
    await expect(runScenario(c, [{ op: 'fly' }])).rejects.toThrow(/unknown op "fly"/);
    await expect(runScenario(c, [{ op: 'hangup', call: 'a', cause: 'whatever' }])).rejects.toThrow(/SIDE,CAUSE/);
  });

  it('call_user rings the user, phone_answer picks the named call up; park with timeout rings back with RINGING_PARK', async () => {
    const c = ctx();
    const r = await runScenario(c, [
      { op: 'inbound_call', id: 'a', from: '0311112222', to_group: 'group1' },
      { op: 'answer', call: 'a', user: 'user1' },
      { op: 'park', call: 'a', by: 'user1' },
      { op: 'call_user', id: 'p', user: 'operator', destination: 'pickup_uuid.a' },
    ]);
    expect(c.model.channel(r.calls.p)).toMatchObject({ userId: 10000900, state: { name: 'calling' } });
    expect(c.model.parkedSlots.size).toBe(1);
    await runScenario(c, [{ op: 'phone_answer', call: 'p' }]);
    expect(c.model.channel(r.calls.a)).toMatchObject({ state: { name: 'bridged' }, otherUuid: r.calls.p });
    expect(c.model.parkedSlots.size).toBe(0);
    await expect(runScenario(c, [{ op: 'phone_answer', call: 'a' }])).rejects.toThrow(/not a call_user call/);

    await runScenario(c, [{ op: 'park', call: 'a', by: 'user1', timeout: 20 }]);
    c.sched.advance(19_999);
    expect(c.model.channel(r.calls.a).state.name).toBe('park');
    c.sched.advance(1);
    const leg = [...c.model.channels.values()].find((x) => x.calledNumber === 'RINGING_PARK_901');
    expect(leg).toMatchObject({ userId: 10001001, state: { name: 'ringing' } });
  });

  it('parses a file as an array or {steps}', () => {
    expect(parseScenario('[{"op":"wait","ms":1}]')).toHaveLength(1);
    expect(parseScenario('{"steps":[{"op":"wait","ms":1}]}')).toHaveLength(1);
    expect(() => parseScenario('{"steps":3}')).toThrow(TypeError);
    expect(() => parseScenario('nope')).toThrow(SyntaxError);
  });
});
