import { describe, expect, it } from 'vitest';
import { fetchSession, probeHttp } from './session-check.ts';

const res = (status: number, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }, type: ResponseType = 'basic') =>
  ({
    status,
    type,
    ok: status >= 200 && status < 300,
    headers: new Headers(headers),
    json: async () => (typeof body === 'string' ? JSON.parse(body) : body),
  }) as Response;

describe('fetchSession (our optional endpoint)', () => {
  it('a well-formed answer is ok; never follows a redirect', async () => {
    const ok = await fetchSession('https://pbx.example/', async (url, init) => {
      expect(url).toBe('https://pbx.example/basix/api/session');
      expect(init?.redirect).toBe('manual');
      return res(200, { username: 'op', user_id: 10001001, is_admin: true, domain: 'test1' });
    });
    expect(ok).toEqual({ kind: 'ok', session: { username: 'op', userId: 10001001, isAdmin: true, domain: 'test1' }, clock: null });
  });

  it('401/403 are unauthorized; 5xx and network errors are errors', async () => {
    expect(await fetchSession('', async () => res(401, {}))).toEqual({ kind: 'unauthorized' });
    expect(await fetchSession('', async () => res(403, {}))).toEqual({ kind: 'unauthorized' });
    expect(await fetchSession('', async () => res(502, {}))).toEqual({ kind: 'error', detail: 'HTTP 502' });
    expect(
      await fetchSession('', async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).toEqual({ kind: 'error', detail: 'Failed to fetch' });
  });

  it.each([
    ['404', res(404, 'not found', { 'content-type': 'text/plain' })],
    ['405', res(405, '', {})],
    ['a redirect (opaque)', res(0, '', {}, 'opaqueredirect')],
    ['a 302', res(302, '', { location: '/basix/login' })],
    ['an HTML page with 200 (an SPA fallback)', res(200, '<!doctype html>', { 'content-type': 'text/html' })],
    ['JSON of another shape', res(200, { result_code: 0 })],
    ['malformed JSON', res(200, '{')],
  ])('%s means the PBX has no such endpoint', async (_what, r) => {
    expect(await fetchSession('', async () => r)).toMatchObject({ kind: 'unavailable' });
  });

  it('turns the Date header into an offset interval from the send/receive times', async () => {
    let t = 5_000;
    const ok = await fetchSession(
      '',
      async () => {
        t += 300; // round trip
        return res(200, { username: 'op', user_id: 1, is_admin: false }, { 'content-type': 'application/json', date: 'Mon, 30 Nov 2026 00:00:10 GMT' });
      },
      () => t,
    );
    const d = Date.UTC(2026, 10, 30, 0, 0, 10);
    expect(ok).toMatchObject({ kind: 'ok', clock: { lowMs: d - 5_300, highMs: d + 1000 - 5_000, atMs: 5_300 } });
  });
});

describe('probeHttp (the PBX login page)', () => {
  it('any answer below 500, a redirect included, means the web side is up', async () => {
    expect(await probeHttp('https://pbx.example', async (url) => (expect(url).toBe('https://pbx.example/basix/login'), res(200, '')))).toMatchObject({ state: 'answers' });
    expect(await probeHttp('', async () => res(0, '', {}, 'opaqueredirect'))).toMatchObject({ state: 'answers' });
    expect(await probeHttp('', async () => res(404, ''))).toMatchObject({ state: 'answers' });
  });
  it('a 5xx or a network error means down', async () => {
    expect(await probeHttp('', async () => res(502, ''))).toEqual({ state: 'down', clock: null });
    expect(
      await probeHttp('', async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).toEqual({ state: 'down', clock: null });
  });
  it('its Date header is a PBX clock sample (for a PBX without our session endpoint)', async () => {
    let t = 1_000;
    const p = await probeHttp(
      '',
      async () => {
        t += 200;
        return res(200, '', { date: 'Mon, 30 Nov 2026 00:00:10 GMT' });
      },
      () => t,
    );
    const d = Date.UTC(2026, 10, 30, 0, 0, 10);
    expect(p).toEqual({ state: 'answers', clock: { lowMs: d - 1_200, highMs: d + 1000 - 1_000, atMs: 1_200 } });
  });
});
