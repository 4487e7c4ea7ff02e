// The Node example of docs/cti-parser.md and the cti:tail CLI, run for real against a fake PBX
// on 127.0.0.1 that replays the Erlang golden frames (then closes with 1000).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenFrame, goldenFrames, startFakePbx } from './golden-util.ts';

const ROOT = join(GOLDEN_DIR, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const CACHE = join(ROOT, 'node_modules', '.cache', 'cti-parser-tests');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const frames = goldenFrames().map(([, b]) => b);

afterAll(() => rmSync(CACHE, { recursive: true, force: true }));

describe('docs/cti-parser.md Node example', () => {
  it('runs as written (wss→ws, constants pointed at the fake PBX) and prints the parsed messages', async () => {
    const doc = readFileSync(join(ROOT, 'docs', 'cti-parser.md'), 'utf8');
    const m = /<!-- example:node -->\s*```ts\n([\s\S]*?)```/.exec(doc);
    expect(m).not.toBeNull();
    const pbx = await startFakePbx({ frames, domain: 'test1.com', token: 'tok:en/+@' });
    try {
      const code = m![1]
        .replace("from './src/cti/index.ts'", `from ${JSON.stringify(join(ROOT, 'src', 'cti', 'index.ts'))}`)
        .replace("'bcs.brastel.com'", `'127.0.0.1:${pbx.port}'`)
        .replace("'YOUR_BASIX_DOMAIN'", "'test1.com'")
        .replace("'YOUR_API_TOKEN'", "'tok:en/+@'")
        .replace("'YOUR_APP_NAME'", "'docs-example'")
        .replace('`wss://', '`ws://');
      expect(code).toContain('ws://');
      mkdirSync(CACHE, { recursive: true });
      const file = join(CACHE, `example-${process.pid}.ts`);
      writeFileSync(file, code);
      const r = await run([file]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = r.stdout;
      expect(pbx.requests).toHaveLength(1);
      expect(pbx.requests[0].url).toBe('/basix/api/ws_cti?app_name=docs-example');
      expect(out.indexOf('Connection Opened')).toBeLessThan(out.indexOf('on_initial_info for channel'));
      for (const s of [
        'on_initial_info for channel',
        "calling_name: '0312341234'",
        "group_queue_id: 'group1'",
        'on_initial_info for parked_channel',
        "parker_name: 'user1'",
        'on_initial_info for user',
        "label: 'ユーザ・10001000'",
        'answer_timestamp: undefined',
        'on_info_event for channel (added)',
        "name: '鈴木 花子'",
        'on_info_event for terminal (updated)',
        'on_system_msg: connection_limit_reached',
        'on_system_msg: logout',
        'on_msg: 本日18時から保守作業を行います',
        'on_error: CtiProtocolError: record for terminal before its field_spec',
        'on_error: CtiProtocolError: unknown message kind hello',
      ]) {
        expect(out).toContain(s);
      }
      expect(out.trimEnd().endsWith('Connection Closed')).toBe(true);
    } finally {
      await pbx.close();
    }
  });
});

describe('npm run cti:tail', () => {
  const CLI = join(ROOT, 'src', 'cti', 'cli', 'cti-tail.ts');

  it('prints one JSON line per message with token auth, bigints as strings, exit 0 on a normal close', async () => {
    const pbx = await startFakePbx({ frames, domain: 'test1.com', token: 'secret' });
    try {
      const r = await run([CLI, '--url', `ws://127.0.0.1:${pbx.port}/basix/api/ws_cti?app_name=tail`, '--domain', 'test1.com', '--token', 'secret']);
      expect(r.code).toBe(0);
      const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      // 42 frames: 12 field_specs (not printed by default), 2 with a bad record/unknown message, 28 messages.
      expect(lines).toHaveLength(28);
      expect(lines[0]).toMatchObject({ type: 'initial_info', element: 'channel' });
      const metrics = lines.find((l) => l.element === 'x_metrics');
      expect(metrics.data['1']).toMatchObject({ big_pos: '18446744073709551616', huge: '9007199254740993', ts: 1546839040024071, float_pos: 3.25 });
      expect(lines.at(-1)).toStrictEqual({ type: 'msg', msg: '本日18時から保守作業を行います' });
      expect(r.stderr).toContain('bad record: record for terminal before its field_spec');
      expect(r.stderr).toContain('bad frame');
      expect(r.stderr).toContain('server says logout');
      expect(r.stderr).toContain('connection closed (code 1000, bye)');
    } finally {
      await pbx.close();
    }
  });

  it('--cookie auth and --field-specs', async () => {
    const pbx = await startFakePbx({ frames: frames.slice(0, 2), cookie: 'basix_session=abc' });
    try {
      const r = await run([CLI, '--url', `ws://127.0.0.1:${pbx.port}/basix/api/ws_cti?app_name=tail`, '--cookie', 'basix_session=abc', '--field-specs']);
      expect(r.code).toBe(0);
      expect(r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l).type)).toStrictEqual(['field_spec', 'initial_info']);
      expect(pbx.requests[0].cookie).toBe('basix_session=abc');
    } finally {
      await pbx.close();
    }
  });

  const named = (name: string): Uint8Array => goldenFrame(name);
  const snapshot = [named('01-field_spec-channel-seed'), named('02-initial_info-channel-seed')];

  it('--reconnect: connects again after the server goes away, with a fresh parser, and stops on connection_replaced', async () => {
    const pbx = await startFakePbx({
      frames: [],
      domain: 'test1.com',
      token: 'secret',
      sessions: [
        // a PBX restart: snapshot, then 1001 going away
        { frames: snapshot, close: [1001, 'restart'] },
        // the new connection sends its (here: newer) field_spec and snapshot again, then events
        {
          frames: [
            named('20-field_spec-channel-new'),
            named('21-initial_info-channel-every-state'),
            named('22-info_event-channel-added'),
            named('38-system_msg-connection_replaced'),
          ],
        },
      ],
    });
    try {
      const r = await run([CLI, '--url', `ws://127.0.0.1:${pbx.port}/basix/api/ws_cti?app_name=tail`, '--domain', 'test1.com', '--token', 'secret', '--reconnect']);
      expect(r.code).toBe(1);
      expect(pbx.requests).toHaveLength(2);
      const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; element?: string; msg?: string });
      expect(lines.map((l) => `${l.type}:${l.element ?? l.msg}`)).toStrictEqual([
        'initial_info:channel',
        'initial_info:channel',
        'info_event:channel',
        'system_msg:connection_replaced',
      ]);
      expect(r.stderr).toContain('connection closed (code 1001, restart)');
      expect(r.stderr).toMatch(/reconnecting in \d+\.\d s \(attempt 1\)/);
      expect(r.stderr).toContain('server says connection_replaced; not reconnecting');
      expect(r.stderr).not.toContain('bad record');
    } finally {
      await pbx.close();
    }
  });

  it('--reconnect never retries a refused credential', async () => {
    const pbx = await startFakePbx({ frames, domain: 'test1.com', token: 'secret' });
    try {
      const r = await run([CLI, '--url', `ws://127.0.0.1:${pbx.port}/basix/api/ws_cti?app_name=tail`, '--domain', 'test1.com', '--token', 'wrong', '--reconnect']);
      expect(r.code).toBe(1);
      expect(pbx.requests).toHaveLength(1);
      expect(r.stderr).toContain('HTTP 401');
      expect(r.stderr).not.toContain('reconnecting');
    } finally {
      await pbx.close();
    }
  });

  it('--ping-interval: a connection whose pings get no pong is dropped (exit 1 without --reconnect)', async () => {
    const pbx = await startFakePbx({ frames: [], domain: 'test1.com', token: 'secret', autoPong: false, sessions: [{ frames: snapshot }] });
    try {
      const r = await run([CLI, '--url', `ws://127.0.0.1:${pbx.port}/basix/api/ws_cti?app_name=tail`, '--domain', 'test1.com', '--token', 'secret', '--ping-interval', '0.2']);
      expect(r.code).toBe(1);
      expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('no pong within 0.2 s: dropping the connection');
    } finally {
      await pbx.close();
    }
    const bad = await run([CLI, '--url', 'ws://127.0.0.1:1/', '--ping-interval', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--ping-interval must be a number');
  });

  it('a refused token exits 1 with a clear message; bad arguments exit 2', async () => {
    const pbx = await startFakePbx({ frames, domain: 'test1.com', token: 'secret' });
    try {
      const r = await run([CLI, '--url', `ws://127.0.0.1:${pbx.port}/basix/api/ws_cti?app_name=tail`, '--domain', 'test1.com', '--token', 'wrong']);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('HTTP 401');
      expect(r.stderr).toContain('check --domain/--token or --cookie');
    } finally {
      await pbx.close();
    }
    const noUrl = await run([CLI]);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('--url is required');
    const badScheme = await run([CLI, '--url', 'https://pbx.example.jp/']);
    expect(badScheme.code).toBe(2);
    const unknown = await run([CLI, '--url', 'ws://127.0.0.1:1/', '--bogus']);
    expect(unknown.code).toBe(2);
  });

  it('a server that drops the upgrade request: says so on stderr with the path, exit 1, nothing on stdout', async () => {
    const server = createServer((sock) => sock.once('data', () => sock.destroy()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await run([CLI, '--url', `ws://127.0.0.1:${port}/wrong/path`]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/during the WebSocket handshake.*\/wrong\/path.*\/basix\/api\/ws_cti/);
    } finally {
      server.close();
    }
  });
});
