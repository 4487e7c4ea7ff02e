// cti:tail's message for a connection the server drops during the WebSocket handshake.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectionErrorText } from './hints.ts';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
const hangUp = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('connectionErrorText', () => {
  it('a hang-up before the handshake completes names the path and the usual one', () => {
    const t = connectionErrorText(hangUp, false, new URL('ws://127.0.0.1:1/wrong/path'));
    expect(t).toMatch(/closed the connection during the WebSocket handshake/);
    expect(t).toContain('/wrong/path');
    expect(t).toContain('/basix/api/ws_cti');
  });

  it('at the usual path it points elsewhere; after the open, or another error, it is the plain message', () => {
    expect(connectionErrorText(hangUp, false, new URL('ws://h/basix/api/ws_cti?app_name=x'))).toMatch(/usual \/basix\/api\/ws_cti: check the host/);
    expect(connectionErrorText(hangUp, true, new URL('ws://h/x'))).toBe('connection error: socket hang up');
    expect(connectionErrorText(new Error('connect ECONNREFUSED 127.0.0.1:1'), false, new URL('ws://h/x'))).toBe(
      'connection error: connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('cti:tail against a server that drops the upgrade request says so on stderr, exit 1, nothing on stdout', async () => {
    const server = createServer((s) => s.once('data', () => s.destroy()));
    await new Promise<void>((r) => server.listen(18802, '127.0.0.1', r));
    try {
      const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['src/cti/cli/cti-tail.ts', '--url', 'ws://127.0.0.1:18802/wrong/path'], { cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expect(out.code).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/during the WebSocket handshake.*\/wrong\/path.*\/basix\/api\/ws_cti/);
    } finally {
      server.close();
    }
  }, 30_000);
});
