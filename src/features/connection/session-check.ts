// What the worker may ask the PBX's HTTP side before and after a socket attempt. Nothing here is
// required of a real PBX (docs/ARCHITECTURE.md "Real PBX rule"):
// - `GET /basix/api/session` is OUR endpoint (the simulator's default profile has it; a real PBX
//   does not). Any answer but a well-formed one means "not available", and the socket is opened
//   anyway. Used for: who is logged in, whether the login is a PBX admin, a PBX clock sample.
// - `GET /basix/login` is the PBX's documented login page: asked only to tell "the PBX answers
//   HTTP but refuses the CTI socket" (a lost session: browsers hide the upgrade's 401) from "the
//   PBX is unreachable".

import { offsetIntervalFromDateHeader, type OffsetInterval } from '../../lib/clock.ts';
import type { SessionInfo } from './protocol.ts';

/** Our session endpoint (ours, optional: see the file comment). */
export const SESSION_PATH = '/basix/api/session';
/** The PBX's documented login page (PROTOCOL.md "Connection"). */
export const LOGIN_PATH = '/basix/login';
/** An HTTP question that takes longer than this (ms) counts as unanswered. */
export const HTTP_CHECK_TIMEOUT_MS = 4_000;

/**
 * Result of asking {@link SESSION_PATH}:
 * - `ok`: a well-formed answer `{username: string, is_admin: boolean, user_id?, domain?}`;
 * - `unauthorized`: 401/403 (means "logged out" only if the endpoint answered `ok` before);
 * - `unavailable`: 404/405/other 4xx, a redirect, HTML, or JSON of another shape: a PBX without
 *   the endpoint (every real one);
 * - `error`: network error, time-out or 5xx: unknown, try again next time.
 */
export type SessionCheck =
  | {
      kind: 'ok';
      session: SessionInfo;
      /** what the response's HTTP `Date` header says about the PBX clock offset (absent: no header) */
      clock?: OffsetInterval | null;
    }
  | { kind: 'unauthorized' }
  | { kind: 'unavailable'; detail: string }
  | { kind: 'error'; detail: string };

/**
 * Result of asking {@link LOGIN_PATH}: any HTTP answer but a 5xx means the PBX's web side is up;
 * its `Date` header is a PBX clock sample (null without one).
 */
export interface HttpProbe {
  state: 'answers' | 'down';
  clock: OffsetInterval | null;
}

/**
 * `GET {httpBase}{path}` with the session cookie, never following a redirect, given up after
 * {@link HTTP_CHECK_TIMEOUT_MS}; with the PBX clock interval its `Date` header gives (null without).
 * @throws what `fetchFn` throws (network error, abort on time-out)
 */
async function askPbx(
  httpBase: string,
  path: string,
  headers: Record<string, string>,
  fetchFn: typeof fetch,
  now: () => number,
): Promise<{ res: Response; clock: OffsetInterval | null }> {
  const ctl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => ctl?.abort(), HTTP_CHECK_TIMEOUT_MS);
  try {
    const sentAtMs = now();
    const res = await fetchFn(`${httpBase.replace(/\/$/, '')}${path}`, { credentials: 'same-origin', headers, cache: 'no-store', redirect: 'manual', signal: ctl?.signal });
    // Same-origin: the Date header is readable (cross-origin it would need Access-Control-Expose-Headers).
    return { res, clock: offsetIntervalFromDateHeader(res.headers?.get?.('date') ?? null, sentAtMs, now()) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks `GET {httpBase}/basix/api/session` with the session cookie, never following a redirect.
 * Never throws: every outcome is a {@link SessionCheck}.
 * @param httpBase origin (+ path prefix) of the PBX, e.g. `https://pbx.example.jp`
 * @param fetchFn default global fetch
 * @param now browser clock, ms (for the `Date` header's offset interval)
 */
export async function fetchSession(httpBase: string, fetchFn: typeof fetch = fetch, now: () => number = () => Date.now()): Promise<SessionCheck> {
  try {
    const { res, clock } = await askPbx(httpBase, SESSION_PATH, { accept: 'application/json' }, fetchFn, now);
    if (res.type === 'opaqueredirect' || (res.status >= 300 && res.status < 400)) return { kind: 'unavailable', detail: 'redirected' };
    if (res.status === 401 || res.status === 403) return { kind: 'unauthorized' };
    if (res.status >= 500) return { kind: 'error', detail: `HTTP ${res.status}` };
    if (!res.ok) return { kind: 'unavailable', detail: `HTTP ${res.status}` };
    const type = res.headers?.get?.('content-type') ?? '';
    if (!/\bjson\b/i.test(type)) return { kind: 'unavailable', detail: `not JSON (${type || 'no content type'})` };
    let j: unknown;
    try {
      j = await res.json();
    } catch {
      return { kind: 'unavailable', detail: 'malformed JSON' };
    }
    const o = (j && typeof j === 'object' ? j : {}) as { username?: unknown; user_id?: unknown; is_admin?: unknown; domain?: unknown };
    if (typeof o.username !== 'string' || typeof o.is_admin !== 'boolean') return { kind: 'unavailable', detail: 'JSON of another shape' };
    const uid = Number(o.user_id);
    return {
      kind: 'ok',
      session: {
        username: o.username,
        userId: o.user_id === undefined || o.user_id === null || !Number.isFinite(uid) ? null : uid,
        isAdmin: o.is_admin,
        domain: typeof o.domain === 'string' ? o.domain : null,
      },
      clock,
    };
  } catch (e) {
    return { kind: 'error', detail: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Asks the PBX's login page (`GET {httpBase}/basix/login`, no redirect followed): does the PBX's
 * web side answer, and what does its `Date` header say of the PBX clock? Never throws.
 * @returns `answers` for any status below 500 (a redirect included), `down` for a 5xx, a network
 *   error or no answer within {@link HTTP_CHECK_TIMEOUT_MS}
 */
export async function probeHttp(httpBase: string, fetchFn: typeof fetch = fetch, now: () => number = () => Date.now()): Promise<HttpProbe> {
  try {
    const { res, clock } = await askPbx(httpBase, LOGIN_PATH, {}, fetchFn, now);
    return { state: res.type === 'opaqueredirect' || (res.status > 0 && res.status < 500) ? 'answers' : 'down', clock };
  } catch {
    return { state: 'down', clock: null };
  }
}
