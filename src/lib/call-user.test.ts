import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../cti/client/http.ts';
import { callUser, CallUserInputError, getCallUserAvailability, pickupDestination, resetCallUserAvailabilityForTests, subscribeCallUserAvailability } from './call-user.ts';

function fakeFetch(status: number, body: string) {
  const calls: Array<{ url: string; init: Parameters<FetchLike>[1] }> = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    return { status, text: async () => body };
  };
  return { fetch, calls };
}

afterEach(() => resetCallUserAvailabilityForTests());

describe('callUser', () => {
  it('posts the JSON body with the session cookie to this origin and reads the uuids', async () => {
    const f = fakeFetch(200, JSON.stringify({ result_code: 0, uuids: ['u-1'] }));
    const r = await callUser({ user_id: 1001, destination: 'pickup_uuid.abc', auto_answer: true }, { fetch: f.fetch });
    expect(r).toEqual({ kind: 'ok', uuids: ['u-1'] });
    expect(f.calls[0]!.url).toBe('/basix/api/call_user');
    expect(f.calls[0]!.init.credentials).toBe('include');
    expect(JSON.parse(f.calls[0]!.init.body)).toEqual({ user_id: 1001, destination: 'pickup_uuid.abc', auto_answer: true });
    expect(getCallUserAvailability()).toBe('available');
  });

  it('accepts each of the six user selectors', async () => {
    for (const sel of [{ user_id: 7 }, { user_name: 'tanaka' }, { user_label: '田中' }, { user_extension: '201' }, { user_did: '0312340000' }, { user_email: 'a@example.jp' }] as const) {
      const f = fakeFetch(200, '{"result_code":0,"uuids":[]}');
      await callUser({ ...sel, destination: '200' }, { fetch: f.fetch });
      expect(JSON.parse(f.calls[0]!.init.body)).toEqual({ ...sel, destination: '200' });
    }
  });

  it('refuses bad input with a typed error before any request', async () => {
    const f = fakeFetch(200, '{}');
    await expect(callUser({ user_id: 1, destination: ' ' }, { fetch: f.fetch })).rejects.toBeInstanceOf(CallUserInputError);
    await expect(callUser({ destination: '200' } as never, { fetch: f.fetch })).rejects.toBeInstanceOf(CallUserInputError);
    await expect(callUser({ user_id: 1, user_name: 'x', destination: '200' } as never, { fetch: f.fetch })).rejects.toBeInstanceOf(CallUserInputError);
    await expect(callUser({ user_id: 1, destination: '200', answer_timeout: -1 }, { fetch: f.fetch })).rejects.toBeInstanceOf(CallUserInputError);
    expect(f.calls).toHaveLength(0);
  });

  it('a refusal carries result_code and error.id; authentication_required means log in', async () => {
    const f = fakeFetch(200, JSON.stringify({ result_code: 500, error: { id: 'authentication_required' } }));
    const r = await callUser({ user_id: 1, destination: '200' }, { fetch: f.fetch });
    expect(r).toEqual({ kind: 'refused', resultCode: 500, errorId: 'authentication_required', loginRequired: true, status: 200 });
    const g = fakeFetch(200, JSON.stringify({ result_code: 500, error: { id: 'destination_not_found' } }));
    const r2 = await callUser({ user_id: 1, destination: '200' }, { fetch: g.fetch });
    expect(r2).toMatchObject({ kind: 'refused', errorId: 'destination_not_found', loginRequired: false });
    expect(getCallUserAvailability()).toBe('available');
  });

  it('a 401 without JSON is "log in", not "unavailable"', async () => {
    const r = await callUser({ user_id: 1, destination: '200' }, { fetch: fakeFetch(401, '<html>login</html>').fetch });
    expect(r).toMatchObject({ kind: 'refused', loginRequired: true, status: 401 });
    expect(getCallUserAvailability()).toBe('unknown');
  });

  it('a 404 or an answer that is not JSON means not available, remembered for the page', async () => {
    let changes = 0;
    subscribeCallUserAvailability(() => changes++);
    const r = await callUser({ user_id: 1, destination: '200' }, { fetch: fakeFetch(404, 'Not Found').fetch });
    expect(r).toEqual({ kind: 'unavailable', status: 404 });
    expect(getCallUserAvailability()).toBe('unavailable');
    expect(changes).toBe(1);
    resetCallUserAvailabilityForTests();
    const r2 = await callUser({ user_id: 1, destination: '200' }, { fetch: fakeFetch(200, '<!doctype html><p>web app</p>').fetch });
    expect(r2).toEqual({ kind: 'unavailable', status: 200 });
  });

  it('no answer at all is "unreachable" and teaches nothing', async () => {
    const fetch: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    const r = await callUser({ user_id: 1, destination: '200' }, { fetch });
    expect(r.kind).toBe('unreachable');
    expect(getCallUserAvailability()).toBe('unknown');
  });

  it('pickupDestination is the vendor webphone destination', () => {
    expect(pickupDestination('9f2c-1')).toBe('pickup_uuid.9f2c-1');
  });
});
