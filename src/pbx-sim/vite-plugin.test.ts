/**
 * The Vite plugin on a real Vite dev server (port 0): simulator mode serves login + CTI socket on
 * the dev server's origin without touching Vite's HMR socket; proxy mode forwards `/basix/*`
 * (HTTP and WebSocket, Origin rewritten) to a "real" PBX — here a standalone simulator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createServer, preview, type PreviewServer, type ViteDevServer } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, UpgradeRefused } from './test-support.ts';
import { basixPbx, PREVIEW_NEEDS_PBX } from './vite-plugin.ts';

let vite: ViteDevServer | undefined;
let pbx: RunningPbxSim | undefined;

async function startVite(env: NodeJS.ProcessEnv): Promise<string> {
  vite = await createServer({
    configFile: false,
    root: process.cwd(),
    logLevel: 'silent',
    plugins: [basixPbx(env)],
    server: { port: 0, host: '127.0.0.1', strictPort: false },
    optimizeDeps: { noDiscovery: true, include: [] },
  });
  await vite.listen();
  const addr = vite.httpServer!.address() as { port: number };
  return `http://127.0.0.1:${addr.port}`;
}

afterEach(async () => {
  await vite?.close();
  vite = undefined;
  await pbx?.close();
  pbx = undefined;
});

describe('vite plugin, simulator mode', () => {
  it('serves login, session API and the same-origin CTI socket; HMR socket still works', async () => {
    const base = await startVite({ PBX_SIM_QUIET: '1', PBX_SIM_CONTROL: '1', PBX_SIM_SEED: '4' });
    expect((await fetch(`${base}/basix/login`)).status).toBe(200);
    const cookie = await login(base, 'operator', 'operator');
    const sr = await fetch(`${base}/basix/api/session`, { headers: { Cookie: cookie } });
    // the console's clock estimate reads the session response's Date header (src/lib/clock.ts)
    expect(Math.abs(Date.parse(sr.headers.get('date') ?? '') - Date.now())).toBeLessThan(5_000);
    const s = await sr.json();
    expect(s.username).toBe('operator');
    const c = await connectCti(base, { cookie, origin: base, query: { full_events: 'true' } });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    const r = await fetch(`${base}/__sim/scenario`, {
      method: 'POST',
      body: JSON.stringify({ steps: [{ op: 'inbound_call', id: 'v1', from: '0312340000', to_group: 'group1' }] }),
    });
    expect(r.status).toBe(200);
    await c.waitFor((m) => m.type === 'info_event' && m.element === 'channel' && m.event === 'added');
    await expect(connectCti(base, { cookie, origin: 'http://evil.example' })).rejects.toBeInstanceOf(UpgradeRefused);
    c.ws.terminate();
    // Vite's HMR socket (subprotocol vite-hmr on the base path) is not swallowed by the simulator
    const hmr = new WebSocket(base.replace('http', 'ws') + '/', 'vite-hmr');
    const first = await new Promise<string>((resolve, reject) => {
      hmr.on('message', (d) => resolve(String(d)));
      hmr.on('error', reject);
    });
    expect(JSON.parse(first).type).toBe('connected');
    hmr.terminate();
  });
});

describe('vite plugin, BASIX_PBX_URL proxy mode', () => {
  it('proxies /basix HTTP and the WebSocket to the PBX with the Origin rewritten to the PBX', async () => {
    pbx = await startPbxSim({ quiet: true });
    const base = await startVite({ BASIX_PBX_URL: pbx.url });
    // login through the dev server: cookie comes back for the dev server's origin
    const cookie = await login(base, 'user1', 'user1');
    const s = await (await fetch(`${base}/basix/api/session`, { headers: { Cookie: cookie } })).json();
    expect(s).toMatchObject({ username: 'user1', is_admin: false });
    // the browser sends the dev server's Origin; the PBX would refuse it (403) without the rewrite
    const c = await connectCti(base, { cookie, origin: base });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'user');
    expect(pbx.sim.connectionCount).toBe(1);
    c.ws.terminate();
  });

  it('refuses a foreign Origin with 403 before the PBX sees it, on the CTI socket and on a login POST (issue 12)', async () => {
    pbx = await startPbxSim({ quiet: true });
    const base = await startVite({ BASIX_PBX_URL: pbx.url });
    const cookie = await login(base, 'operator', 'operator');
    const err = await connectCti(base, { cookie, origin: 'http://attacker.example' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpgradeRefused);
    expect((err as UpgradeRefused).status).toBe(403);
    expect(pbx.sim.connectionCount).toBe(0);
    const form = await fetch(`${base}/basix/login`, {
      method: 'POST',
      headers: { Origin: 'http://attacker.example' },
      body: new URLSearchParams({ username: 'user1', password: 'user1' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(403);
    expect(form.headers.get('set-cookie')).toBeNull();
  });
});

describe('vite preview', () => {
  let server: PreviewServer | undefined;
  let out: string | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    if (out) rmSync(out, { recursive: true, force: true });
  });
  const startPreview = async (env: NodeJS.ProcessEnv): Promise<string> => {
    out = mkdtempSync(join(tmpdir(), 'preview-'));
    writeFileSync(join(out, 'index.html'), '<!doctype html><title>console</title>');
    server = await preview({ configFile: false, root: process.cwd(), logLevel: 'silent', plugins: [basixPbx(env)], build: { outDir: out }, preview: { port: 0, host: '127.0.0.1' } });
    const addr = server.httpServer.address() as { port: number };
    return `http://127.0.0.1:${addr.port}`;
  };

  it('refuses to start with neither BASIX_PBX_URL nor PBX_SIM=1, instead of showing simulated calls', async () => {
    await expect(startPreview({})).rejects.toThrow(PREVIEW_NEEDS_PBX);
  });
  it('runs the simulator when asked with PBX_SIM=1', async () => {
    const base = await startPreview({ PBX_SIM: '1', PBX_SIM_QUIET: '1' });
    expect((await fetch(`${base}/basix/login`)).status).toBe(200);
  });
  it('proxies to BASIX_PBX_URL with the cross-origin check', async () => {
    pbx = await startPbxSim({ quiet: true });
    const base = await startPreview({ BASIX_PBX_URL: pbx.url });
    const cookie = await login(base, 'operator', 'operator');
    const c = await connectCti(base, { cookie, origin: base });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'user');
    c.ws.terminate();
    await expect(connectCti(base, { cookie, origin: 'http://attacker.example' })).rejects.toBeInstanceOf(UpgradeRefused);
  });
});
