import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startPbxSim, WS_PATH, type RunningPbxSim } from './server.ts';

let sim: RunningPbxSim | undefined;
afterEach(async () => {
  await sim?.close();
});

/** POST the login form over https, trusting the simulator's own certificate. */
function loginTls(s: RunningPbxSim): Promise<{ status: number; setCookie: string }> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams({ username: 'operator', password: 'operator' }).toString();
    const req = https.request(
      `${s.url}/basix/login`,
      { method: 'POST', ca: s.tls!.cert, headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, setCookie: String(res.headers['set-cookie']?.[0] ?? '') });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('--tls: https and wss with a self-signed certificate', () => {
  it('serves the login over https with a Secure; SameSite=None cookie, and the CTI socket over wss', async () => {
    sim = await startPbxSim({ quiet: true, seed: 1, tls: true });
    expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = await loginTls(sim);
    expect(r.status).toBe(303);
    expect(r.setCookie).toMatch(/^basix_session=[\w-]+; Path=\/; HttpOnly; Secure; SameSite=None$/);
    const ws = new WebSocket(`${sim.url.replace('https', 'wss')}${WS_PATH}?app_name=t`, {
      ca: sim.tls!.cert,
      headers: { Cookie: r.setCookie.split(';')[0] },
    });
    const first = await new Promise<Buffer>((resolve, reject) => {
      ws.once('message', (d: Buffer) => resolve(d));
      ws.once('error', reject);
    });
    expect(first[0]).toBe(131); // an ETF frame
    ws.terminate();
  }, 30_000);
});
