import { afterEach, describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';
import { VirtualScheduler } from './scheduler.ts';
import { startPbxSim, type RunningPbxSim } from './server.ts';

describe('LoginThrottle (injected clock)', () => {
  it('lets a few wrong passwords through, then doubles the delay up to the cap', () => {
    let now = 0;
    const t = new LoginThrottle(() => now, { freeFailures: 3, baseDelayMs: 1000, maxDelayMs: 8000 });
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const w = t.retryAfterMs('user1', '10.0.0.1');
      waits.push(w);
      now += w; // the guesser waits as told, then guesses wrong again
      t.fail('user1', '10.0.0.1');
    }
    waits.push(t.retryAfterMs('user1', '10.0.0.1'));
    expect(waits).toEqual([0, 0, 0, 0, 1000, 2000, 4000, 8000, 8000]);
  });

  it('counts per account (another address is held too) and per address (another account is held too)', () => {
    const now = 0;
    const t = new LoginThrottle(() => now, { freeFailures: 1, baseDelayMs: 1000 });
    t.fail('user1', 'a');
    t.fail('user1', 'b'); // user1: 2 failures → 1 s; address b: 1 failure → free
    expect(t.retryAfterMs('user1', 'c')).toBe(1000);
    expect(t.retryAfterMs('user2', 'b')).toBe(0);
    t.fail('user3', 'b'); // address b: 2 failures → 1 s for anyone from b
    expect(t.retryAfterMs('user9', 'b')).toBe(1000);
  });

  it('a success clears the counts; a quiet period forgets them; memory stays bounded', () => {
    let now = 0;
    const t = new LoginThrottle(() => now, { freeFailures: 0, baseDelayMs: 1000, forgetAfterMs: 60_000, maxKeys: 100 });
    t.fail('user1', 'a');
    expect(t.retryAfterMs('user1', 'a')).toBe(1000);
    t.succeed('user1', 'a');
    expect(t.retryAfterMs('user1', 'a')).toBe(0);
    t.fail('user1', 'a');
    t.fail('user1', 'a');
    now += 60_001;
    t.fail('user1', 'a'); // first failure again: 1 s, not 4 s
    expect(t.retryAfterMs('user1', 'a')).toBe(1000);
    for (let i = 0; i < 1000; i++) t.fail(`u${i}`, `ip${i}`);
    expect((t as unknown as { entries: Map<string, unknown> }).entries.size).toBeLessThanOrEqual(100);
  });
});

describe('the login form under guessing', () => {
  let sim: RunningPbxSim | undefined;
  afterEach(async () => {
    await sim?.close();
  });
  const post = (username: string, password: string, next?: string) =>
    fetch(`${sim!.url}/basix/login`, {
      method: 'POST',
      body: new URLSearchParams({ username, password, ...(next === undefined ? {} : { next }) }),
      redirect: 'manual',
    });

  it('answers 429 with Retry-After after repeated wrong passwords, even for the right one, until the delay has passed', async () => {
    const sched = new VirtualScheduler();
    sim = await startPbxSim({ quiet: true, seed: 1, scheduler: sched });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post('operator', 'guess')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const held = await post('operator', 'operator');
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('1');
    expect(held.headers.get('set-cookie')).toBeNull();
    sched.advance(1000);
    expect((await post('operator', 'operator')).status).toBe(303);
    expect((await post('operator', 'guess')).status).toBe(401); // the success cleared the count
  });

  it('a next with non-Latin-1 characters redirects there percent-encoded, never a 400 after the cookie', async () => {
    sim = await startPbxSim({ quiet: true, seed: 1 });
    const r = await post('user1', 'user1', '/受付?名前=花子 山田#上');
    expect(r.status).toBe(303);
    expect(r.headers.get('location')).toBe('/%E5%8F%97%E4%BB%98?%E5%90%8D%E5%89%8D=%E8%8A%B1%E5%AD%90%20%E5%B1%B1%E7%94%B0#%E4%B8%8A');
    expect(r.headers.get('set-cookie')).toMatch(/^basix_session=/);
  });

  it('sets Secure; SameSite=None session cookies with secureCookies (an HTTPS PBX)', async () => {
    sim = await startPbxSim({ quiet: true, seed: 1, secureCookies: true });
    const cookie = (await post('user1', 'user1')).headers.get('set-cookie') ?? '';
    expect(cookie).toContain('Secure');
    expect(cookie).toContain('SameSite=None');
    expect(cookie).toContain('HttpOnly');
  });
});
