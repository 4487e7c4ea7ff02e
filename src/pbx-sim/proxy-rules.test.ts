import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  checkOrigin,
  consoleOrigin,
  cookieContext,
  isLoopbackHost,
  isUnderPrefix,
  looksLikeAsset,
  parseOriginList,
  parsePathList,
  rewriteLocation,
  rewriteSetCookies,
} from './proxy-rules.ts';

const req = (headers: Record<string, string>, method = 'GET', peer = '127.0.0.1'): IncomingMessage =>
  ({ headers, method, socket: { remoteAddress: peer } }) as unknown as IncomingMessage;

describe('rewriteLocation', () => {
  const pbx = 'https://pbx.example.jp';
  const own = 'http://192.0.2.10:8080';
  it.each([301, 302, 303, 307, 308])('rewrites a %i to the PBX host, http or https or protocol-relative', (status) => {
    for (const loc of ['https://pbx.example.jp/basix/app/?x=1#h', 'http://pbx.example.jp/basix/app/?x=1#h', '//pbx.example.jp/basix/app/?x=1#h', 'HTTPS://PBX.example.jp:443/basix/app/?x=1#h'])
      expect(rewriteLocation(loc, status, pbx, own), loc).toBe(`${own}/basix/app/?x=1#h`);
  });
  it('leaves relative locations, other hosts, other ports and non-redirects alone', () => {
    expect(rewriteLocation('/basix/login', 302, pbx, own)).toBe('/basix/login');
    expect(rewriteLocation('app/', 302, pbx, own)).toBe('app/');
    expect(rewriteLocation('https://sso.example.jp/login', 302, pbx, own)).toBe('https://sso.example.jp/login');
    expect(rewriteLocation('https://pbx.example.jp:9443/x', 302, pbx, own)).toBe('https://pbx.example.jp:9443/x');
    expect(rewriteLocation('https://pbx.example.jp/x', 201, pbx, own)).toBe('https://pbx.example.jp/x');
    expect(rewriteLocation('mailto:a@pbx.example.jp', 302, pbx, own)).toBe('mailto:a@pbx.example.jp');
  });
  it('a PBX on its own port: that port or none (the default of http/https) matches', () => {
    const p = 'https://pbx.example.jp:8443';
    expect(rewriteLocation('https://pbx.example.jp:8443/a', 302, p, own)).toBe(`${own}/a`);
    expect(rewriteLocation('http://pbx.example.jp/a', 302, p, own)).toBe(`${own}/a`);
    expect(rewriteLocation('https://pbx.example.jp:9000/a', 302, p, own)).toBe('https://pbx.example.jp:9000/a');
  });
});

describe('rewriteSetCookies', () => {
  const c = 'sid=abc; Domain=.pbx.example.jp; Path=/; Secure; HttpOnly; SameSite=None';
  it('drops Domain; keeps Secure over https and on loopback http', () => {
    expect(rewriteSetCookies([c], 'https')).toEqual({ ok: true, cookies: ['sid=abc; Path=/; Secure; HttpOnly; SameSite=None'] });
    expect(rewriteSetCookies([c], 'loopback-http')).toEqual({ ok: true, cookies: ['sid=abc; Path=/; Secure; HttpOnly; SameSite=None'] });
  });
  it('adds Secure over https, and to a SameSite=None cookie on loopback (the browser drops it without)', () => {
    expect(rewriteSetCookies(['a=1; Path=/'], 'https')).toEqual({ ok: true, cookies: ['a=1; Path=/; Secure'] });
    expect(rewriteSetCookies(['a=1; Path=/'], 'loopback-http')).toEqual({ ok: true, cookies: ['a=1; Path=/'] });
    expect(rewriteSetCookies(['a=1; SameSite=none'], 'loopback-http')).toEqual({ ok: true, cookies: ['a=1; SameSite=none; Secure'] });
  });
  it('on LAN http refuses a Secure cookie by name, and turns SameSite=None into Lax', () => {
    expect(rewriteSetCookies(['a=1', c], 'lan-http')).toEqual({ ok: false, cookie: 'sid' });
    expect(rewriteSetCookies(['a=1; SameSite=None; HttpOnly'], 'lan-http')).toEqual({ ok: true, cookies: ['a=1; SameSite=Lax; HttpOnly'] });
  });
});

describe('consoleOrigin, cookieContext and checkOrigin', () => {
  it('the origin is the Host the browser used, https only with TLS or a trusted X-Forwarded-Proto', () => {
    expect(consoleOrigin(req({ host: 'Console.Example.jp:80' }), { tls: false })).toBe('http://console.example.jp');
    expect(consoleOrigin(req({ host: 'console.example.jp' }), { tls: true })).toBe('https://console.example.jp');
    const fwd = req({ host: '10.0.0.5:8080', 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'console.example.jp' });
    expect(consoleOrigin(fwd, { tls: false })).toBe('http://10.0.0.5:8080');
    expect(consoleOrigin(fwd, { tls: false, trustProxy: true })).toBe('https://console.example.jp');
    expect(consoleOrigin(req({ host: 'a b' }), { tls: false })).toBeUndefined();
    expect(cookieContext(fwd, { tls: false, trustProxy: true })).toBe('https');
    expect(cookieContext(req({ host: 'localhost:8080' }), { tls: false })).toBe('loopback-http');
    expect(cookieContext(req({ host: '192.0.2.10:8080' }), { tls: false })).toBe('lan-http');
  });
  it('refuses a foreign or null Origin and a foreign Referer on unsafe methods only', () => {
    const ctx = { tls: false };
    const h = { host: 'console.example.jp:8080' };
    expect(checkOrigin(req({ ...h, origin: 'http://console.example.jp:8080' }), ctx).ok).toBe(true);
    expect(checkOrigin(req({ ...h, origin: 'https://console.example.jp:8080' }), ctx).ok).toBe(false); // scheme differs
    expect(checkOrigin(req({ ...h, origin: 'http://evil.example' }), ctx)).toMatchObject({ ok: false, reason: expect.stringContaining('http://evil.example') });
    expect(checkOrigin(req({ ...h, origin: 'null' }), ctx).ok).toBe(false);
    expect(checkOrigin(req({ ...h, origin: 'http://evil.example' }), ctx, ['http://evil.example']).ok).toBe(true);
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(checkOrigin(req({ ...h, referer: 'http://evil.example/f' }, m), ctx).ok, m).toBe(false);
    expect(checkOrigin(req({ ...h, referer: 'http://console.example.jp:8080/x' }, 'POST'), ctx).ok).toBe(true);
    expect(checkOrigin(req({ ...h, referer: 'http://evil.example/f' }, 'GET'), ctx).ok).toBe(true);
    expect(checkOrigin(req(h, 'POST'), ctx).ok).toBe(true);
  });
  it("accepts Origin: null only from the browser's own same-origin page (a no-referrer login page's form)", () => {
    const ctx = { tls: false };
    const h = { host: 'console.example.jp:8080', origin: 'null' };
    // measured in /usr/bin/chromium: a same-origin form POST under Referrer-Policy: no-referrer
    expect(checkOrigin(req({ ...h, 'sec-fetch-site': 'same-origin' }, 'POST'), ctx).ok).toBe(true);
    expect(checkOrigin(req({ ...h, 'sec-fetch-site': 'same-site' }, 'POST'), ctx).ok).toBe(false);
    expect(checkOrigin(req({ ...h, 'sec-fetch-site': 'cross-site' }, 'POST'), ctx).ok).toBe(false);
    expect(checkOrigin(req(h, 'POST'), ctx).ok).toBe(false);
    // no Origin and no Referer, but the browser says the POST comes from another site
    expect(checkOrigin(req({ host: h.host, 'sec-fetch-site': 'cross-site' }, 'POST'), ctx).ok).toBe(false);
    expect(checkOrigin(req({ host: h.host, 'sec-fetch-site': 'same-site' }, 'POST'), ctx).ok).toBe(false);
    expect(checkOrigin(req({ host: h.host, 'sec-fetch-site': 'cross-site' }, 'GET'), ctx).ok).toBe(true); // a link
  });
});

describe('lists and paths', () => {
  it('parses allowed origins and refuses what is not one', () => {
    expect(parseOriginList(' https://a.example.jp/, http://b.example.jp:8080 ')).toEqual(['https://a.example.jp', 'http://b.example.jp:8080']);
    expect(parseOriginList(undefined)).toEqual([]);
    expect(() => parseOriginList('a.example.jp')).toThrow(TypeError);
  });
  it('adds BASIX_PBX_PATHS to the defaults and refuses / and relative entries', () => {
    expect(parsePathList('/css, /js/', ['/basix', '/static'])).toEqual(['/basix', '/static', '/css', '/js']);
    expect(() => parsePathList('/', [])).toThrow(/BASIX_PBX_PATHS/);
    expect(() => parsePathList('css', [])).toThrow(/BASIX_PBX_PATHS/);
  });
  it('matches prefixes by segment, and tells assets from app routes', () => {
    expect(isUnderPrefix('/basix/login?next=/', ['/basix'])).toBe(true);
    expect(isUnderPrefix('/basix', ['/basix'])).toBe(true);
    expect(isUnderPrefix('/basixx', ['/basix'])).toBe(false);
    expect(looksLikeAsset('/login.css?v=2')).toBe(true);
    expect(looksLikeAsset('/a/b/logo.png')).toBe(true);
    expect(looksLikeAsset('/calls/123')).toBe(false);
    expect(looksLikeAsset('/')).toBe(false);
  });
  it('knows loopback hosts (where Chromium keeps Secure cookies on http)', () => {
    for (const o of ['http://localhost:8080', 'http://127.0.0.1', 'http://127.1.2.3:9', 'http://[::1]:80', 'http://app.localhost']) expect(isLoopbackHost(o), o).toBe(true);
    for (const o of ['http://192.0.2.10', 'http://localhost.example.jp', undefined]) expect(isLoopbackHost(o)).toBe(false);
  });
});
