// cti-tail's issue-14 options against the simulated PBX: --ticket (gen_ws_ticket, then
// ws_ticket:TICKET) and a user selector (--user-name).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPbxSim, type RunningPbxSim } from '../../pbx-sim/server.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = join(ROOT, 'src', 'cti', 'cli', 'cti-tail.ts');

/** Run cti-tail until `until` matches a stdout line (then Ctrl-C) or it exits by itself. */
function tail(args: string[], until?: (line: Record<string, unknown>) => boolean): Promise<{ code: number | null; lines: Array<Record<string, unknown>>; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    const lines: Array<Record<string, unknown>> = [];
    let buf = '';
    let stderr = '';
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = JSON.parse(buf.slice(0, i)) as Record<string, unknown>;
        buf = buf.slice(i + 1);
        lines.push(line);
        if (until?.(line)) child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, lines, stderr });
    });
  });
}

let sim: RunningPbxSim;
let base: string;
beforeAll(async () => {
  sim = await startPbxSim({ seed: 7, quiet: true, control: true });
  base = `${sim.url.replace(/^http/, 'ws')}/basix/api/ws_cti?app_name=tail-test`;
  const steps = [
    { op: 'inbound_call', id: 'a', from: '0311110000', to_group: 'group1' },
    { op: 'answer', call: 'a', user: 'user1' },
    { op: 'inbound_call', id: 'b', from: '0322220000', to_group: 'group2' },
    { op: 'answer', call: 'b', user: 'user2' },
  ];
  const r = await fetch(`${sim.url}/__sim/scenario`, { method: 'POST', body: JSON.stringify({ steps }) });
  expect(r.status).toBe(200);
});
afterAll(async () => {
  await sim.close();
});

const isChannels = (l: Record<string, unknown>) => l.type === 'initial_info' && l.element === 'channel';

describe('cti-tail --ticket and user selectors', () => {
  it('--ticket --user-name: connects with a one-time ticket and sees only that user’s channels', async () => {
    const r = await tail(['--url', base, '--domain', 'test1', '--token', 'sim-token', '--ticket', '--user-name', 'user1'], isChannels);
    expect(r.stderr).toContain('connected to');
    const channels = Object.values(r.lines.find(isChannels)!.data as Record<string, { user_id?: number }>);
    expect(channels.map((c) => c.user_id)).toStrictEqual([10001001]);
    expect(r.code).toBe(0);
  });

  it('--ticket with a wrong token: the ticket is refused, exit 1, nothing on stdout', async () => {
    const r = await tail(['--url', base, '--domain', 'test1', '--token', 'wrong', '--ticket', '--reconnect']);
    expect(r.code).toBe(1);
    expect(r.lines).toStrictEqual([]);
    expect(r.stderr).toMatch(/ticket refused: .*authentication_required/);
  });

  it('two user selectors are a usage error (exit 2)', async () => {
    const r = await tail(['--url', base, '--user-name', 'a', '--user-id', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give one user selector');
  });
});
