import { describe, expect, it } from 'vitest';
import { buildDirectory } from './directory.ts';
import { PbxModel, SimError } from './model.ts';
import { createRng } from './prng.ts';
import { VirtualScheduler } from './scheduler.ts';
import { LoadTraffic, Traffic } from './traffic.ts';
import type { Change, SimChannel, SimWaiting } from './types.ts';

function setup(seed: number, legacy = false) {
  const rng = createRng(seed);
  const sched = new VirtualScheduler();
  const model = new PbxModel({ scheduler: sched, rng, directory: buildDirectory(rng), legacy });
  return { rng, sched, model };
}

describe('model invariants over a long seeded run', () => {
  it('holds for 6 simulated hours of busy traffic', () => {
    const { rng, sched, model } = setup(2024, true);
    const live = new Set<string>();
    const waiting = new Set<string>();
    const slots = new Map<number, string>();
    const problems: string[] = [];
    const parkedWaiting = new Set<string>();
    const counts = { removed: 0, parked: 0, parkedWaiting: 0, queued: 0, voicemail: 0, cancelled: 0, transfers: 0 };
    model.onChange((c: Change) => {
      if (c.element === 'channel') {
        const ch = c.record as SimChannel;
        if (c.event === 'added') {
          if (live.has(ch.uuid)) problems.push(`added twice ${ch.uuid}`);
          live.add(ch.uuid);
        } else if (!live.has(ch.uuid)) problems.push(`${c.event} of unknown channel ${ch.uuid}`);
        if (c.event === 'removed') {
          live.delete(ch.uuid);
          counts.removed++;
          if (ch.lastEvent !== 'CHANNEL_HANGUP' || !/^(recv|send)_(bye|cancel|refuse),[A-Z_]+$/.test(ch.lastEventData ?? ''))
            problems.push(`removal without hangup disposition ${ch.uuid}`);
          if (ch.lastEventData === 'recv_cancel,ORIGINATOR_CANCEL') counts.cancelled++;
          if (ch.hangupTs === undefined || ch.hangupTs < ch.offerTs) problems.push(`bad hangup_timestamp ${ch.uuid}`);
        }
        if (ch.state.name === 'park' && c.event === 'updated') {
          counts.parked++;
          const held = slots.get(ch.state.slot);
          if (held !== undefined && held !== ch.uuid) problems.push(`slot ${ch.state.slot} double-occupied`);
          slots.set(ch.state.slot, ch.uuid);
          const parker = model.users.get(ch.state.parkerId);
          if (!parker || parker.name !== ch.state.parkerName) problems.push(`parker ${ch.state.parkerId} is not a user`);
          if (waiting.has(ch.uuid)) problems.push(`${ch.uuid} parked while queued`);
        } else {
          for (const [s, u] of slots) if (u === ch.uuid) slots.delete(s);
        }
        if (ch.state.name === 'voicemail' && c.event === 'updated') counts.voicemail++;
      }
      if (c.element === 'channel_waiting' && (c.record as SimWaiting).state.name === 'park') {
        // a parked call is also a channel_waiting with state park (PROTOCOL.md Corrections), never queued
        const w = c.record as SimWaiting;
        if (w.state.name !== 'park') return;
        if (c.event === 'added') {
          counts.parkedWaiting++;
          if (slots.get(w.state.slot) !== w.uuid) problems.push(`park channel_waiting ${w.uuid} before its channel`);
          if (waiting.has(w.uuid)) problems.push(`${w.uuid} parked while queued`);
          parkedWaiting.add(w.uuid);
        } else if (c.event === 'removed' && !parkedWaiting.delete(w.uuid)) problems.push(`removed unknown parked ${w.uuid}`);
      } else if (c.element === 'channel_waiting') {
        const w = c.record as SimWaiting;
        if (c.event === 'added') {
          counts.queued++;
          if (!live.has(w.uuid)) problems.push(`queued unknown channel ${w.uuid}`);
          if ([...slots.values()].includes(w.uuid)) problems.push(`${w.uuid} queued while parked`);
          waiting.add(w.uuid);
        } else if (c.event === 'removed') {
          if (!waiting.delete(w.uuid)) problems.push(`removed unknown waiting ${w.uuid}`);
        }
      }
      if (c.element === 'user') {
        const u = c.record as { mwiNew: number; mwiSaved: number; mwiUrgentNew: number; mwiUrgentSaved: number };
        if (u.mwiNew < 0 || u.mwiSaved < 0 || u.mwiUrgentNew < 0 || u.mwiUrgentSaved < 0) problems.push('negative mwi');
      }
    });
    const t = new Traffic(model, sched, rng, { rate: 8 });
    t.prime();
    t.start();
    for (let s = 0; s < 6 * 3600; s++) {
      sched.advance(1000);
      if (s % 10 === 0) {
        const v = model.checkInvariants();
        if (v.length) problems.push(...v.map((x) => `t=${s}s ${x}`));
      }
      if (problems.length > 5) break;
    }
    expect(problems).toEqual([]);
    // the run exercised what it should
    expect(counts.removed).toBeGreaterThan(1000);
    expect(counts.parked).toBeGreaterThan(20);
    expect(counts.parkedWaiting).toBe(counts.parked);
    expect(counts.queued).toBeGreaterThan(20);
    expect(counts.voicemail).toBeGreaterThan(10);
    expect(counts.cancelled).toBeGreaterThan(10);
    // what is live in the model is exactly what the events said
    expect([...model.channels.keys()].sort()).toEqual([...live].sort());
    expect([...model.waiting.keys()].sort()).toEqual([...waiting].sort());
    expect([...model.parkedSlots.values()].sort()).toEqual([...parkedWaiting].sort());
  });

  it('is deterministic for a seed', () => {
    const trace = (seed: number): string => {
      const { rng, sched, model } = setup(seed);
      const out: string[] = [];
      model.onChange((c) => out.push(`${c.element}:${c.event}:${(c.record as { uuid?: string; id?: number }).uuid ?? (c.record as { id: number }).id}`));
      const t = new Traffic(model, sched, rng);
      t.prime();
      t.start();
      sched.advance(30 * 60_000);
      return out.join('\n');
    };
    expect(trace(5)).toBe(trace(5));
    expect(trace(5)).not.toBe(trace(6));
  });

  it('with default settings, within a simulated minute calls ring, callers queue and calls are parked', () => {
    for (const seed of [1, 2, 3]) {
      const { rng, sched, model } = setup(seed);
      const seen = new Set<string>();
      const note = (): void => {
        for (const c of model.channels.values()) {
          if (c.state.name === 'calling' && c.userId !== undefined) seen.add('ringing');
          if (c.state.name === 'park') seen.add('parked');
        }
        if (model.waiting.size > 0) seen.add('queued');
      };
      const t = new Traffic(model, sched, rng);
      t.prime();
      t.start();
      for (let s = 0; s < 60; s++) {
        sched.advance(1000);
        note();
      }
      expect([...seen].sort(), `seed ${seed}`).toEqual(['parked', 'queued', 'ringing']);
    }
  });

  it('primes a lively start: calls in progress, queued callers and parked calls', () => {
    const { rng, sched, model } = setup(1);
    new Traffic(model, sched, rng).prime();
    const states = [...model.channels.values()].map((c) => c.state.name);
    expect(states.filter((s) => s === 'bridged').length).toBeGreaterThanOrEqual(2);
    expect(model.waiting.size).toBeGreaterThanOrEqual(2);
    expect(model.parkedSlots.size).toBe(2);
    expect(model.checkInvariants()).toEqual([]);
  });
});

describe('model operations', () => {
  it('parks on the first free slot of the parker\'s park group, refuses an occupied slot, frees the slot on pickup', () => {
    const { model } = setup(3);
    const a = model.inboundCall({ from: '0311112222', to: { group: 'group1' } });
    model.answer(a.uuid, 'user1');
    expect(model.park(a.uuid, 'user1', 905)).toBe(905);
    const b = model.inboundCall({ from: '0311113333', to: { user: 'user2' } });
    model.answer(b.uuid, 'user2');
    expect(() => model.park(b.uuid, 'user2', 905)).toThrow(SimError);
    expect(() => model.park(b.uuid, 'user2', 1000)).toThrow(SimError);
    expect(model.park(b.uuid, 'user2')).toBe(901);
    const c = model.inboundCall({ from: '0311114444', to: { user: 'user6' } });
    model.answer(c.uuid, 'user6');
    expect(model.user('user6').parkGroup).toBe(2);
    expect(model.park(c.uuid, 'user6')).toBe(907); // 901 + 2 × 3
    model.answer(a.uuid, 'user3');
    expect(model.parkedSlots.has(905)).toBe(false);
    expect(model.channel(a.uuid).state.name).toBe('bridged');
    expect(model.checkInvariants()).toEqual([]);
  });

  it('a full park group overflows to 997–999, then refuses', () => {
    const { model } = setup(3);
    const got: number[] = [];
    for (let i = 0; i < 6; i++) {
      const a = model.inboundCall({ from: `031111000${i}`, to: { user: 'user1' } });
      model.answer(a.uuid, 'user1');
      got.push(model.park(a.uuid, 'user1'));
    }
    expect(got).toEqual([901, 902, 903, 997, 998, 999]);
    const x = model.inboundCall({ from: '0311119999', to: { user: 'user1' } });
    model.answer(x.uuid, 'user1');
    expect(() => model.park(x.uuid, 'user1')).toThrow(/no free park slot/);
  });

  it('a parked call is also a channel_waiting with state park (same uuid), removed when picked up', () => {
    const { model } = setup(3);
    const seen: string[] = [];
    model.onChange((c) => c.element === 'channel_waiting' && seen.push(`${c.event}:${(c.record as SimWaiting).uuid}:${(c.record as SimWaiting).state.name}`));
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user1' } });
    model.answer(a.uuid, 'user1');
    model.park(a.uuid, 'user1');
    expect(model.parkedWaiting()).toEqual([expect.objectContaining({ uuid: a.uuid, state: expect.objectContaining({ name: 'park', slot: 901, parkerId: 10001001 }) })]);
    model.answer(a.uuid, 'user2');
    expect(seen).toEqual([`added:${a.uuid}:park`, `removed:${a.uuid}:park`]);
    expect(model.parkedWaiting()).toEqual([]);
  });

  it('a ring-back rings the parker on a leg with called_number RINGING_PARK_<slot> and state ringing', () => {
    const { model } = setup(3);
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user1' } });
    model.answer(a.uuid, 'user1');
    model.park(a.uuid, 'user1', 905);
    const leg = model.ringBack(a.uuid);
    expect(leg).toMatchObject({ userId: 10001001, calledNumber: 'RINGING_PARK_905', state: { name: 'ringing' } });
    expect(model.channel(a.uuid).state).toMatchObject({ name: 'calling', target: { type: 'user', userId: 10001001 } });
    expect(model.parkedSlots.size).toBe(0);
    model.answer(a.uuid, 'user1');
    expect(model.channel(leg.uuid).state.name).toBe('bridged');
  });

  it('call_user pickup: the user\'s phone rings first, then takes the parked call over (slot freed, one bridged pair)', () => {
    const { model } = setup(3);
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user1' } });
    model.answer(a.uuid, 'user1');
    model.park(a.uuid, 'user1');
    const orig = model.originate('operator', { destination: `pickup_uuid.${a.uuid}` });
    expect(orig).toMatchObject({ userId: 10000900, state: { name: 'calling', target: { type: 'user', userId: 10000900 } } });
    expect(model.parkedSlots.size).toBe(1);
    model.connectOriginate(orig.uuid, `pickup_uuid.${a.uuid}`);
    expect(model.parkedSlots.size).toBe(0);
    expect(model.channel(a.uuid)).toMatchObject({ state: { name: 'bridged' }, otherUuid: orig.uuid, lastBridgedUserId: 10000900 });
    expect(model.channel(orig.uuid)).toMatchObject({ state: { name: 'bridged' }, otherUuid: a.uuid });
    expect(model.root(orig.uuid).uuid).toBe(a.uuid);
    expect(model.checkInvariants()).toEqual([]);
    model.hangup(a.uuid, 'recv_bye,NORMAL_CLEARING');
    expect(model.channels.size).toBe(0);
  });

  it('call_user pickup of a ringing call ends the other ringing legs with PICKED_OFF', () => {
    const { model } = setup(3);
    const removed: string[] = [];
    model.onChange((c) => c.event === 'removed' && c.element === 'channel' && removed.push((c.record as SimChannel).lastEventData!));
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user2' } });
    const orig = model.originate('operator', { destination: `pickup_uuid.${a.uuid}` });
    model.connectOriginate(orig.uuid, `pickup_uuid.${a.uuid}`);
    expect(removed).toEqual(['send_cancel,PICKED_OFF']);
    expect(model.isBusy(10001002)).toBe(false);
  });

  it('call_user destinations: a user, a PSTN number; unknown and connected calls are destination_not_found', () => {
    const { model } = setup(3);
    expect(model.resolveDestination('user2')).toEqual({ kind: 'user', userId: 10001002 });
    expect(model.resolveDestination('1002')).toEqual({ kind: 'user', userId: 10001002 });
    expect(model.resolveDestination('0312345678')).toEqual({ kind: 'pstn', address: '0312345678' });
    for (const bad of ['', 'nobody', 'pickup_uuid.nope']) expect(() => model.resolveDestination(bad)).toThrow('destination_not_found');
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user2' } });
    model.answer(a.uuid, 'user2');
    expect(() => model.resolveDestination(`pickup_uuid.${a.uuid}`)).toThrow('destination_not_found');
    const orig = model.originate('user1', { destination: '0398765432' });
    model.connectOriginate(orig.uuid, '0398765432');
    const root = model.root(orig.uuid);
    expect(root).toMatchObject({ direction: 'outbound', peerLocation: 'external', calledNumber: '0398765432', state: { name: 'calling' } });
    model.connectOutbound(root.uuid);
    expect(model.channel(orig.uuid).state.name).toBe('bridged');
  });

  it('park and transfer act on the caller leg when given the user leg', () => {
    const { model } = setup(3);
    const a = model.inboundCall({ from: '0311112222', to: { group: 'group1' } });
    const leg = model.answer(a.uuid, 'user1');
    model.park(leg.uuid, 'user1');
    expect(model.channels.has(leg.uuid)).toBe(false);
    expect(model.channel(a.uuid).state.name).toBe('park');
  });

  it('a voicemail left increments MWI new; reading moves it to saved, never below zero', () => {
    const { model } = setup(3);
    model.setMwi('user1', '0/0');
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user1' } });
    model.voicemail(a.uuid, { user: 'user1' });
    model.hangup(a.uuid, 'recv_bye,NORMAL_CLEARING');
    expect(model.user('user1').mwiNew).toBe(1);
    model.readVoicemail('user1');
    model.readVoicemail('user1');
    expect(model.user('user1')).toMatchObject({ mwiNew: 0, mwiSaved: 1 });
    expect(() => model.setMwi('user1', '-1/0')).toThrow(SimError);
  });

  it('a caller hanging up while ringing cancels the ringing legs', () => {
    const { model } = setup(3);
    const removed: string[] = [];
    model.onChange((c) => c.event === 'removed' && c.element === 'channel' && removed.push((c.record as SimChannel).lastEventData!));
    const a = model.inboundCall({ from: '0311112222', to: { user: 'user1' } });
    model.hangup(a.uuid, 'recv_cancel,ORIGINATOR_CANCEL');
    expect(removed.sort()).toEqual(['recv_cancel,ORIGINATOR_CANCEL', 'send_cancel,ORIGINATOR_CANCEL']);
    expect(model.channels.size).toBe(0);
  });
});

describe('load mode', () => {
  it('holds 10,000 users and about 2,000 live channels at about 500 events/s of simulated time', () => {
    const rng = createRng(9);
    const sched = new VirtualScheduler();
    const model = new PbxModel({ scheduler: sched, rng, directory: buildDirectory(rng, { users: 10_000, groups: 50 }) });
    const load = new LoadTraffic(model, sched, rng);
    load.prime();
    expect(model.users.size).toBeGreaterThanOrEqual(10_000);
    expect(model.channels.size).toBeGreaterThanOrEqual(2000);
    let events = 0;
    model.onChange(() => events++);
    load.start();
    sched.advance(10_000);
    load.stop();
    expect(events).toBeGreaterThanOrEqual(4900);
    expect(events).toBeLessThanOrEqual(5100);
    expect(model.channels.size).toBeGreaterThan(1800);
    expect(model.channels.size).toBeLessThan(2200);
    expect(model.checkInvariants()).toEqual([]);
  });
});
