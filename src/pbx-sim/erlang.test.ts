/**
 * Every frame the simulator sends during several simulated minutes of busy traffic (all message
 * and element kinds, every state it produces) is decoded by a real Erlang (`binary_to_term` in an
 * escript) and re-encoded by Erlang to the same bytes (`term_to_binary(T, [{minor_version, 2}])`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, type CtiClient } from './test-support.ts';

const ESCRIPT = fileURLToPath(new URL('./erlang/roundtrip.escript', import.meta.url));

function runErlang(frames: Uint8Array[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'pbx-sim-erl-'));
  try {
    const file = join(dir, 'frames.bin');
    const parts: Buffer[] = [];
    for (const f of frames) {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(f.length);
      parts.push(len, Buffer.from(f));
    }
    writeFileSync(file, Buffer.concat(parts));
    const r = spawnSync('escript', [ESCRIPT, file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error("Erlang not found: install it with `apt-get install erlang-nox` (Debian) or your OS's erlang package");
    if (r.status !== 0) throw new Error(`escript failed (${r.status}): ${r.stderr}`);
    if (r.stderr) console.error(r.stderr.slice(0, 2000));
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('frames vs a real Erlang', () => {
  let sim: RunningPbxSim;
  const sched = new VirtualScheduler();
  const frames: Uint8Array[] = [];
  const clients: CtiClient[] = [];

  beforeAll(async () => {
    sim = await startPbxSim({ seed: 11, rate: 20, legacy: true, scheduler: sched, control: true });
    const token = await connectCti(sim.url, { token: 'test1:sim-token' });
    clients.push(token);
    const user1 = await connectCti(sim.url, { cookie: await login(sim.url, 'user1', 'user1') });
    clients.push(user1);
    // a few simulated minutes of busy random traffic, second by second
    for (let s = 0; s < 6 * 60; s++) {
      sched.advance(1000);
      if (s % 30 === 0) await new Promise((r) => setImmediate(r));
    }
    // scripted calls for every state and hangup kind the simulator produces
    const r = await fetch(`${sim.url}/__sim/scenario`, {
      method: 'POST',
      body: JSON.stringify({
        steps: [
          { op: 'inbound_call', id: 's1', from: '0312345678', calling_name: '山田 太郎', end_user: 'C1*%E5%B1%B1%E7%94%B0*ACME**', to_group: 'group3' },
          { op: 'queue', call: 's1' },
          { op: 'answer', call: 's1', user: 'user1' },
          { op: 'park', call: 's1', slot: 910, by: 'user1' },
          { op: 'ring_back', call: 's1' },
          { op: 'voicemail', call: 's1', user: 'user1' },
          { op: 'hangup', call: 's1', cause: 'recv_bye,NORMAL_CLEARING' },
          { op: 'outbound_call', id: 's2', user: 'user1', to: '0120444444' },
          { op: 'connect', call: 's2' },
          { op: 'transfer', call: 's2', to: 'user2' },
          { op: 'hangup', call: 's2', cause: 'send_refuse,USER_BUSY' },
          { op: 'inbound_call', id: 's3', from: '09011112222', to_user: 'user1' },
          { op: 'hangup', call: 's3', cause: 'recv_cancel,ORIGINATOR_CANCEL' },
          { op: 'inbound_call', id: 's4', from: '0451234567', to_user: 'user2' },
          { op: 'call_user', id: 'p4', user: 'operator', destination: 'pickup_uuid.s4', auto_answer: true },
          { op: 'hangup', call: 's4', cause: 'recv_bye,NORMAL_CLEARING' },
          { op: 'set_mwi', user: 'user1', mwi: '3/1 (1/0)' },
          { op: 'presence', user: 'user1', presence: 2 },
          { op: 'member_login', group: 'group1', user: 'user1', on: false },
          { op: 'system_msg', msg: 'maintenance_soon' },
          { op: 'msg', text: 'お知らせ: テスト' },
        ],
      }),
    });
    expect(r.status).toBe(200);
    // client commands and an error reply
    const ch = [...sim.sim.model.channels.values()].find((c) => c.state.name === 'bridged' && c.peerLocation === 'external');
    if (ch) token.command({ cmd: 'park', uuid: ch.uuid, timeout: 30 });
    token.command('{not json');
    // connection limit: 3 token sockets open → the 4th is refused with a system_msg
    const more = [await connectCti(sim.url, { token: 'test1:sim-token' }), await connectCti(sim.url, { token: 'test1:sim-token' })];
    clients.push(...more);
    const refused = await connectCti(sim.url, { token: 'test1:sim-token' });
    clients.push(refused);
    await refused.closed;
    sched.advance(40_000); // park timeout → ring back
    await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps: [{ op: 'msg', text: 'END' }] }) });
    for (const c of [token, user1]) await c.waitFor((m) => m.type === 'msg' && m.msg === 'END', 20_000);
    for (const c of clients) frames.push(...c.frames);
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.ws.terminate();
    await sim?.close();
  });

  it('our own parser decodes every frame without errors', () => {
    expect(frames.length).toBeGreaterThan(500);
    for (const c of clients) expect(c.errors).toEqual([]);
  });

  it('Erlang decodes every frame and re-encodes it to the same bytes, covering all kinds and states', () => {
    const out = runErlang(frames);
    const summary = /FRAMES (\d+) MISMATCHES (\d+)/.exec(out);
    expect(summary, out).not.toBeNull();
    expect(Number(summary![1])).toBe(frames.length);
    expect(out.match(/^MISMATCH .*$/gm) ?? []).toEqual([]);
    const seen = new Set(out.split('\n').filter((l) => l.startsWith('SEEN ')).map((l) => l.slice(5)));
    const must = [
      ...['domain', 'user', 'group', 'group_member', 'terminal', 'channel', 'channel_waiting', 'queued_channel', 'parked_channel'].flatMap((e) => [
        `field_spec ${e}`,
        `initial_info ${e}`,
      ]),
      'info_event channel added',
      'info_event channel updated',
      'info_event channel removed',
      'info_event channel_waiting added',
      'info_event channel_waiting removed',
      'info_event queued_channel added',
      'info_event parked_channel added',
      'info_event parked_channel removed',
      'info_event user updated',
      'info_event group_member updated',
      'info_event terminal updated',
      'state calling int user',
      'state calling int group ring queue',
      'state calling int group hunt',
      'state calling ext pstn',
      'state bridged',
      'state park',
      'state voicemail',
      'hangup recv_cancel,ORIGINATOR_CANCEL',
      'hangup send_cancel,ORIGINATOR_CANCEL',
      'hangup recv_bye,NORMAL_CLEARING',
      'hangup send_bye,NORMAL_CLEARING',
      'hangup send_cancel,LOSE_RACE',
      'hangup send_refuse,USER_BUSY',
      'system_msg connection_limit_reached',
      'system_msg maintenance_soon',
      'msg',
    ];
    for (const k of must) expect(seen, `Erlang saw no "${k}"`).toContain(k);
    expect(seen).not.toContain('unknown');
    expect(seen).not.toContain('bad state');
  });
});
