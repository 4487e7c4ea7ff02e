import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakePbx, selfSignedPair, type FakePbx } from './fake-pbx.ts';
import { createProdServer, type ProdServerOptions } from './prod-server.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';
import { connectCti, login, upgradeStatus, UpgradeRefused } from './test-support.ts';

/** An HTTP answer read whole. */
interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with any headers (fetch cannot set Host), to http or https (self-signed accepted). */
function raw(base: string, path: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const lib = base.startsWith('https') ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(`${base}${path}`, { method: o.method ?? 'GET', headers: o.headers, rejectUnauthorized: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket through the server: `'open'` with the first message, or the refusing status. */
function wsTry(base: string, path: string, origin?: string): Promise<string | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${path}`, { origin, rejectUnauthorized: false, perMessageDeflate: false });
    ws.on('message', (d) => {
      resolve(`open:${String(d)}`);
      ws.terminate();
    });
    ws.on('unexpected-response', (_q, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

let dist: string;
const servers: http.Server[] = [];
const logs: string[] = [];

async function serve(o: Partial<ProdServerOptions> & { pbxUrl: string }): Promise<string> {
  const server = createProdServer({ distDir: dist, log: (l) => logs.push(l), ...o });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return `${o.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as { port: number }).port}`;
}

beforeAll(() => {
  dist = mkdtempSync(join(tmpdir(), 'dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
});
afterAll(() => rmSync(dist, { recursive: true, force: true }));
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  logs.length = 0;
});

describe('production server against the simulator', () => {
  let pbx: RunningPbxSim;
  beforeAll(async () => {
    pbx = await startPbxSim({ quiet: true });
  });
  afterAll(() => pbx.close());

  it('proxies login, session API and the CTI WebSocket (same-origin browser Origin rewritten) to the PBX', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const cookie = await login(base, 'operator', 'operator');
    const s = await (await fetch(`${base}/basix/api/session`, { headers: { Cookie: cookie } })).json();
    expect(s.username).toBe('operator');
    const c = await connectCti(base, { cookie, origin: base, query: { full_events: 'true' } });
    await c.waitFor((m) => m.type === 'initial_info' && m.element === 'channel');
    c.ws.terminate();
  });

  it('refuses a logged-in operator\'s CTI socket opened by a page of another origin (cross-site WebSocket hijacking)', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const cookie = await login(base, 'operator', 'operator');
    const before = pbx.sim.connectionCount;
    const err = await connectCti(base, { cookie, origin: 'http://attacker.example' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpgradeRefused);
    expect((err as UpgradeRefused).status).toBe(403);
    expect(pbx.sim.connectionCount).toBe(before);
    expect(logs.join('\n')).toMatch(/refused cross-origin WebSocket upgrade .*attacker\.example/);
  });

  it('refuses a cross-site login form (login CSRF) before the PBX sees it', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const res = await fetch(`${base}/basix/login`, {
      method: 'POST',
      headers: { Origin: 'http://attacker.example' },
      body: new URLSearchParams({ username: 'user1', password: 'user1' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toContain('BASIX_ALLOWED_ORIGINS');
  });

  it('answers an upgrade outside the PBX paths with 404, not a dropped socket', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const r = await upgradeStatus(base, '/some/socket');
    expect(r).toEqual({ status: 404, body: expect.stringContaining('/basix/api/ws_cti') });
  });

  // The simulator writes absolute avatar URLs with the origin it was reached at: without
  // X-Forwarded-* (the default, issue 9) that is the PBX's own; BASIX_PBX_XFWD=1 gives it the console's.
  it('sends the PBX no X-Forwarded-Host by default; with forwardedHeaders the PBX learns the console origin (absolute avatar URLs)', async () => {
    const avatarsVia = async (base: string): Promise<string[]> => {
      const cookie = await login(base, 'operator', 'operator');
      const c = await connectCti(base, { cookie, origin: base });
      const users = (await c.waitFor((m) => m.type === 'initial_info' && m.element === 'user')) as { data: Record<string, { avatar?: unknown }> };
      c.ws.terminate();
      return Object.values(users.data)
        .map((u) => u.avatar)
        .filter((a): a is string => typeof a === 'string' && /^[a-z]+:\/\//.test(a));
    };
    const plain = await avatarsVia(await serve({ pbxUrl: pbx.url }));
    expect(plain.length).toBeGreaterThan(0);
    for (const a of plain) expect(a.startsWith(`${pbx.url}/basix/avatars/`)).toBe(true);
    const base = await serve({ pbxUrl: pbx.url, forwardedHeaders: true });
    const fwd = await avatarsVia(base);
    expect(fwd.length).toBeGreaterThan(0);
    for (const a of fwd) expect(a.startsWith(`${base}/basix/avatars/`)).toBe(true);
  });

  it('refuses to start without a build', () => {
    expect(() => createProdServer({ distDir: join(dist, 'nope'), pbxUrl: pbx.url })).toThrow(/npm run build/);
  });
});

describe('production server against a fake PBX', () => {
  let pbx: FakePbx;
  beforeAll(async () => {
    pbx = await startFakePbx();
  });
  afterAll(() => pbx.close());

  it('serves the built files: SPA fallback for app routes only, 404 for a missing asset, immutable assets', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const page = await fetch(`${base}/some/route`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect((await fetch(`${base}/`)).status).toBe(200);
    for (const p of ['/login.css', '/js/app.js', '/images/logo.png', '/assets/gone-123.js']) {
      const r = await fetch(`${base}${p}`);
      expect(r.status, p).toBe(404);
      expect(await r.text(), p).not.toContain('<title>console</title>');
    }
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('sends a Content-Security-Policy header and X-Frame-Options with the page', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    for (const p of ['/', '/some/route']) {
      const r = await fetch(`${base}${p}`);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`connect-src 'self' ${base.replace('http', 'ws')};`);
      expect(csp).toContain("worker-src 'self';");
      expect(csp).toContain("script-src 'self';");
      expect(r.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('proxies /static and the BASIX_PBX_PATHS prefixes, so the PBX login page gets its CSS', async () => {
    const base = await serve({ pbxUrl: pbx.url, paths: ['/basix', '/static', '/css'] });
    for (const p of ['/static/login.css', '/css/login.css']) {
      const r = await fetch(`${base}${p}`);
      expect(r.status, p).toBe(200);
      expect(await r.text()).toBe('body{color:#123}');
    }
    const missing = await fetch(`${base}/basix/nothing-here`);
    expect(await missing.text()).toBe('PBX: not found');
  });

  it('refuses a foreign Origin or, on a POST without Origin, a foreign Referer; passes same-origin, allowed and header-less requests', async () => {
    const base = await serve({ pbxUrl: pbx.url, allowedOrigins: ['https://console.example.jp'] });
    const n = pbx.seen.length;
    expect((await raw(base, '/basix/echo', { headers: { Origin: 'http://attacker.example' } })).status).toBe(403);
    expect((await raw(base, '/basix/echo', { headers: { Origin: 'null' } })).status).toBe(403);
    expect((await raw(base, '/basix/login', { method: 'POST', headers: { Referer: 'http://attacker.example/form' } })).status).toBe(403);
    expect(pbx.seen.length).toBe(n); // nothing reached the PBX
    expect((await raw(base, '/basix/echo')).status).toBe(200);
    expect((await raw(base, '/basix/echo', { headers: { Referer: 'http://attacker.example/link' } })).status).toBe(200); // a plain link (GET)
    expect((await raw(base, '/basix/echo', { headers: { Origin: 'https://console.example.jp' } })).status).toBe(200);
    const same = JSON.parse((await raw(base, '/basix/echo', { headers: { Origin: base, Referer: `${base}/some/route?q=1` } })).body);
    expect(same.headers.origin).toBe(pbx.url);
    expect(same.headers.referer).toBe(`${pbx.url}/some/route?q=1`);
    expect(same.headers.host).toBe(new URL(pbx.url).host);
  });

  it('refuses a WebSocket upgrade from a foreign Origin before the PBX sees it; same-origin and Origin-less ones pass', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const n = pbx.seen.filter((s) => s.upgrade).length;
    expect(await wsTry(base, '/basix/api/ws_cti', 'http://attacker.example')).toBe(403);
    expect(pbx.seen.filter((s) => s.upgrade).length).toBe(n);
    expect(await wsTry(base, '/basix/api/ws_cti', base)).toBe('open:hello');
    expect(await wsTry(base, '/basix/api/ws_cti')).toBe('open:hello');
  });

  it('believes X-Forwarded-Proto/Host only from a trusted proxy', async () => {
    const fwd = { Origin: 'https://console.example.jp', 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'console.example.jp' };
    const untrusted = await serve({ pbxUrl: pbx.url });
    expect((await raw(untrusted, '/basix/echo', { headers: fwd })).status).toBe(403);
    const trusted = await serve({ pbxUrl: pbx.url, trustProxy: ['127.0.0.1'] });
    expect((await raw(trusted, '/basix/echo', { headers: fwd })).status).toBe(200);
    const other = await serve({ pbxUrl: pbx.url, trustProxy: ['192.0.2.1'] });
    expect((await raw(other, '/basix/echo', { headers: fwd })).status).toBe(403);
  });

  it('sends no X-Forwarded-* to the PBX unless asked (a PBX can redirect to itself in a loop on them)', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const h = JSON.parse((await raw(base, '/basix/echo', { headers: { 'X-Forwarded-Proto': 'https', Forwarded: 'proto=https' } })).body).headers;
    expect(Object.keys(h).filter((k) => k.startsWith('x-forwarded') || k === 'forwarded')).toEqual([]);
    const opted = await serve({ pbxUrl: pbx.url, forwardedHeaders: true });
    const h2 = JSON.parse((await raw(opted, '/basix/echo')).body).headers;
    expect(h2['x-forwarded-proto']).toBe('http');
    expect(h2['x-forwarded-host']).toBe(new URL(opted).host);
  });

  it('rewrites every redirect status to the PBX host (absolute or protocol-relative) to the console origin', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const hostPort = new URL(pbx.url).host;
    for (const status of [301, 302, 303, 307, 308])
      for (const to of [`${pbx.url}/basix/app/?a=1`, `//${hostPort}/basix/app/?a=1`]) {
        const r = await raw(base, `/basix/redirect?status=${status}&to=${encodeURIComponent(to)}`);
        expect(r.status).toBe(status);
        expect(r.headers.location, `${status} ${to}`).toBe(`${base}/basix/app/?a=1`);
      }
    expect((await raw(base, `/basix/redirect?status=302&to=${encodeURIComponent('/basix/login')}`)).headers.location).toBe('/basix/login');
    expect((await raw(base, `/basix/redirect?status=302&to=${encodeURIComponent('https://sso.example.jp/x')}`)).headers.location).toBe('https://sso.example.jp/x');
  });

  it('on loopback http keeps Secure cookies (Chromium accepts them there) and drops Domain', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const r = await raw(base, `/basix/cookie?set=${encodeURIComponent('sid=a; Domain=pbx.example.jp; Path=/; Secure; HttpOnly; SameSite=None')}`);
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toEqual(['sid=a; Path=/; Secure; HttpOnly; SameSite=None']);
  });

  it('over plain http on a LAN address refuses a Secure session cookie with a page saying to serve over TLS, and logs it', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const cookie = `/basix/cookie?set=${encodeURIComponent('sid=a; Path=/; Secure; HttpOnly')}`;
    const html = await raw(base, cookie, { headers: { Host: '192.0.2.10:8080', Accept: 'text/html' } });
    expect(html.status).toBe(502);
    expect(html.headers['set-cookie']).toBeUndefined();
    expect(html.body).toMatch(/Serve the console over HTTPS/);
    expect(html.body).toContain('TLS_CERT');
    const json = await raw(base, cookie, { headers: { Host: '192.0.2.10:8080', Accept: 'application/json' } });
    expect(JSON.parse(json.body)).toMatchObject({ error: 'insecure_cookie', cookie: 'sid' });
    expect(logs.join('\n')).toMatch(/Secure cookie "sid".*plain http at http:\/\/192\.0\.2\.10:8080/);
    // a cookie without Secure still works there, SameSite=None (needs Secure) becoming Lax
    const plain = await raw(base, `/basix/cookie?set=${encodeURIComponent('sid=b; Path=/; SameSite=None')}`, { headers: { Host: '192.0.2.10:8080' } });
    expect(plain.headers['set-cookie']).toEqual(['sid=b; Path=/; SameSite=Lax']);
  });

  it('behind a trusted TLS-terminating proxy keeps and adds Secure', async () => {
    const base = await serve({ pbxUrl: pbx.url, trustProxy: true });
    const r = await raw(base, `/basix/cookie?set=${encodeURIComponent('sid=c; Path=/; HttpOnly')}`, {
      headers: { Host: '192.0.2.10:8080', 'X-Forwarded-Proto': 'https' },
    });
    expect(r.status).toBe(200);
    expect(r.headers['set-cookie']).toEqual(['sid=c; Path=/; HttpOnly; Secure']);
  });
});

describe('production server over TLS, against an HTTPS PBX', () => {
  let pbx: FakePbx;
  beforeAll(async () => {
    pbx = await startFakePbx({ tls: true });
  });
  afterAll(() => pbx.close());

  it('serves https, marks cookies Secure, rewrites the PBX https redirects, proxies wss with Origin rewritten', async () => {
    const base = await serve({ pbxUrl: pbx.url, verifyTls: false, tls: await selfSignedPair() });
    expect(base.startsWith('https://')).toBe(true);
    const page = await raw(base, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain(`connect-src 'self' ${base.replace('https', 'wss')};`);
    const c = await raw(base, `/basix/cookie?set=${encodeURIComponent('sid=d; Path=/')}`, { headers: { Host: '192.0.2.10:8443' } });
    expect(c.headers['set-cookie']).toEqual(['sid=d; Path=/; Secure']);
    const login = await raw(base, '/basix/login', { method: 'POST', headers: { Origin: base } });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe(`${base}/basix/app/`);
    expect(await wsTry(base, '/basix/api/ws_cti', base)).toBe('open:hello');
    expect(await wsTry(base, '/basix/api/ws_cti', 'https://attacker.example')).toBe(403);
  });

  it('reports a PBX whose certificate fails verification as 502, not a crash', async () => {
    const base = await serve({ pbxUrl: pbx.url });
    const r = await raw(base, '/basix/echo');
    expect(r.status).toBe(502);
    expect(logs.join('\n')).toMatch(/PBX proxy error/);
  });
});
