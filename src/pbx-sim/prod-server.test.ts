import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProdServer } from './prod-server.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, upgradeStatus } from './test-support.ts';

describe('production server (sirv + http-proxy-3)', () => {
  let pbx: RunningPbxSim;
  let server: http.Server;
  let base: string;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
    pbx = await startPbxSim({ quiet: true });
    server = createProdServer({ distDir: dist, pbxUrl: pbx.url });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await pbx.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the built files with SPA fallback and immutable assets', async () => {
    const page = await fetch(`${base}/some/route`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('proxies login, session API and the CTI WebSocket (browser Origin rewritten) to the PBX', async () => {
    const cookie = await login(base, 'operator', 'operator');
    const s = await (await fetch(`${base}/basix/api/session`, { headers: { Cookie: cookie } })).json();
    expect(s.username).toBe('operator');
    const c = await connectCti(base, { cookie, origin: base, query: { full_events: 'true' } });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    c.ws.terminate();
  });

  it('answers an upgrade outside the PBX paths with 404, not a dropped socket', async () => {
    const r = await upgradeStatus(base, '/some/socket');
    expect(r).toEqual({ status: 404, body: expect.stringContaining('/basix/api/ws_cti') });
  });

  it("writes absolute avatar URLs with the proxy's origin, not the PBX's or the upgrade's ws: scheme", async () => {
    const cookie = await login(base, 'operator', 'operator');
    const c = await connectCti(base, { cookie, origin: base });
    const users = (await c.waitFor((m) => m.type === 'initial_info' && m.element === 'user')) as { data: Record<string, { avatar?: unknown }> };
    c.ws.terminate();
    const absolute = Object.values(users.data)
      .map((u) => u.avatar)
      .filter((a): a is string => typeof a === 'string' && /^[a-z]+:\/\//.test(a));
    expect(absolute.length).toBeGreaterThan(0);
    for (const a of absolute) expect(a.startsWith(`${base}/basix/avatars/`)).toBe(true);
  });

  it('refuses to start without a build', () => {
    expect(() => createProdServer({ distDir: join(dist, 'nope'), pbxUrl: pbx.url })).toThrow(/npm run build/);
  });
});
