import { describe, expect, it } from 'vitest';
import { createCtiClient } from './client.ts';
import { CtiApiError, CtiClientError } from './errors.ts';
import { callUser, genWsTicket, type FetchLike } from './http.ts';
import { fakeSockets, manualTimers } from './test-fakes.ts';
import { ctiUrl, httpOrigin } from './url.ts';

type Call = { url: string; init: Parameters<FetchLike>[1] };

/** A fetch answering each call with the next of `answers` (status, body). */
function fakeFetch(...answers: Array<[number, unknown]>) {
  const calls: Call[] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const [status, body] = answers.shift() ?? [500, 'no more answers'];
    return { status, text: async () => (typeof body === 'string' ? body : JSON.stringify(body)) };
  };
  return { fetch, calls };
}

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('genWsTicket', () => {
  it('POSTs {uri} with Basic DOMAIN:TOKEN and returns the ticket', async () => {
    const f = fakeFetch([200, { result_code: 0, ticket: 'tk-1' }]);
    const t = await genWsTicket({ origin: 'https://pbx.example.jp', uri: '/basix/api/ws_cti?app_name=a', credentials: { domain: 'test1', token: 'secret' }, fetch: f.fetch });
    expect(t).toBe('tk-1');
    expect(f.calls[0].url).toBe('https://pbx.example.jp/basix/api/gen_ws_ticket');
    expect(f.calls[0].init.method).toBe('POST');
    expect(f.calls[0].init.headers.Authorization).toBe(basic('test1:secret'));
    expect(JSON.parse(f.calls[0].init.body)).toStrictEqual({ uri: '/basix/api/ws_cti?app_name=a' });
  });

  it('a refusal, a non-JSON answer and a missing ticket are CtiApiErrors', async () => {
    const args = { origin: 'https://h', uri: '/x', credentials: { domain: 'd', token: 't' } };
    await expect(genWsTicket({ ...args, fetch: fakeFetch([401, { result_code: 500, error: { id: 'authentication_required' } }]).fetch })).rejects.toMatchObject({
      name: 'CtiApiError',
      status: 401,
      resultCode: 500,
      errorId: 'authentication_required',
    });
    await expect(genWsTicket({ ...args, fetch: fakeFetch([502, '<html>bad gateway']).fetch })).rejects.toThrow(/not a JSON answer/);
    await expect(genWsTicket({ ...args, fetch: fakeFetch([200, { result_code: 0 }]).fetch })).rejects.toBeInstanceOf(CtiApiError);
    const down: FetchLike = async () => {
      throw new Error('ECONNREFUSED');
    };
    await expect(genWsTicket({ ...args, fetch: down })).rejects.toMatchObject({ status: 0, message: expect.stringMatching(/no answer/) });
  });
});

describe('callUser', () => {
  it('accepts any one of the six selectors, sends the options, returns uuids', async () => {
    for (const sel of [{ user_id: 10001001 }, { user_name: 'suzuki' }, { user_label: '鈴木' }, { user_extension: '1001' }, { user_did: '0312345678' }, { user_email: 'a@example.jp' }]) {
      const f = fakeFetch([200, { result_code: 0, uuids: ['u1', 'u2'] }]);
      const r = await callUser({ origin: 'https://pbx.example.jp/', ...sel, destination: 'pickup_uuid.abc', answer_timeout: 30, auto_answer: true, calling_name: 'Op', credentials: { domain: 'd', token: 't' }, fetch: f.fetch });
      expect(r).toStrictEqual({ uuids: ['u1', 'u2'] });
      expect(f.calls[0].url).toBe('https://pbx.example.jp/basix/api/call_user');
      expect(JSON.parse(f.calls[0].init.body)).toStrictEqual({ ...sel, destination: 'pickup_uuid.abc', answer_timeout: 30, auto_answer: true, calling_name: 'Op' });
    }
  });

  it('without credentials the session cookie goes along (credentials: include)', async () => {
    const f = fakeFetch([200, { result_code: 0, uuids: [] }]);
    await callUser({ origin: '', user_id: 1, destination: '100', fetch: f.fetch });
    expect(f.calls[0].init.credentials).toBe('include');
    expect(f.calls[0].init.headers.Authorization).toBeUndefined();
  });

  it('errors: result_code and error.id as CtiApiError; no or two selectors / no destination as CtiClientError before any request', async () => {
    const f = fakeFetch([200, { result_code: 500, error: { id: 'destination_not_found' } }]);
    await expect(callUser({ origin: 'https://h', user_id: 1, destination: 'x', fetch: f.fetch })).rejects.toMatchObject({ resultCode: 500, errorId: 'destination_not_found' });
    const none = fakeFetch();
    await expect(callUser({ origin: 'https://h', destination: 'x', fetch: none.fetch } as never)).rejects.toBeInstanceOf(CtiClientError);
    await expect(callUser({ origin: 'https://h', user_id: 1, user_name: 'a', destination: 'x', fetch: none.fetch } as never)).rejects.toThrow(/exactly one/);
    await expect(callUser({ origin: 'https://h', user_id: 1, destination: '', fetch: none.fetch })).rejects.toThrow(/destination/);
    expect(none.calls).toHaveLength(0);
  });
});

describe('ticket auth in the client', () => {
  it('gets a fresh ticket per connection for exactly the URI it then opens, with Basic ws_ticket:TICKET', async () => {
    const f = fakeFetch([200, { result_code: 0, ticket: 'T1' }], [200, { result_code: 0, ticket: 'T2' }]);
    const socks = fakeSockets();
    const t = manualTimers();
    const client = createCtiClient({ url: 'ws://127.0.0.1:8089/basix/api/ws_cti?app_name=tail', user: { user_extension: '1001' }, auth: { type: 'ticket', domain: 'test1', token: 'tok' }, createSocket: socks.factory, fetch: f.fetch, timers: t.timers });
    client.start();
    await Promise.resolve();
    await new Promise((r) => setImmediate(r));
    const s1 = socks.last();
    const u = new URL(s1.url);
    expect(JSON.parse(f.calls[0].init.body).uri).toBe(u.pathname + u.search);
    expect(u.searchParams.get('user_extension')).toBe('1001');
    expect(f.calls[0].url).toBe('http://127.0.0.1:8089/basix/api/gen_ws_ticket');
    expect(s1.headers.Authorization).toBe(basic('ws_ticket:T1'));
    s1.drop();
    t.runAll();
    await new Promise((r) => setImmediate(r));
    expect(socks.last().headers.Authorization).toBe(basic('ws_ticket:T2'));
    client.stop();
  });

  it('a refused ticket request stops the client with refused', async () => {
    const f = fakeFetch([401, { result_code: 500, error: { id: 'authentication_required' } }]);
    const client = createCtiClient({ url: 'ws://h/basix/api/ws_cti?app_name=a', auth: { type: 'ticket', domain: 'd', token: 't' }, createSocket: fakeSockets().factory, fetch: f.fetch, timers: manualTimers().timers });
    const problems: Error[] = [];
    client.on('problem', (e) => problems.push(e));
    client.start();
    await new Promise((r) => setImmediate(r));
    expect(client.stopReason).toBe('refused');
    expect(problems[0]).toBeInstanceOf(CtiApiError);
  });
});

describe('url helpers', () => {
  it('ctiUrl keeps the query, adds forced and force, replaces an earlier user selector', () => {
    const r = ctiUrl('wss://d:t@h/basix/api/ws_cti?app_name=a&user_id=5', { forced: true, user: { user_email: 'x@example.jp' } });
    expect(r.url).toBe('wss://h/basix/api/ws_cti?app_name=a&forced=true&force=true&user_email=x%40example.jp');
    expect(r.userinfo).toStrictEqual({ user: 'd', password: 't' });
    expect(httpOrigin('wss://h:8443/x')).toBe('https://h:8443');
  });
});
