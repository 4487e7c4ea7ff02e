// The PBX's HTTP API used by clients (../shared/PROTOCOL.md "HTTP API" and "Corrections of
// 2026-12-05"): the one-time WebSocket ticket and call_user. Uses the global `fetch` (Node 18+,
// browsers) unless one is passed.

import { CtiApiError, CtiClientError } from './errors.ts';
import { basicAuth, selectorEntry, type UserSelector } from './url.ts';

/** The `fetch` these helpers need (the global one, or undici's, or a test's). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; credentials?: 'include' | 'same-origin' }) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** API-token credentials: HTTP basic `DOMAIN:TOKEN`. */
export interface TokenCredentials {
  domain: string;
  token: string;
}

function fetchOf(f: FetchLike | undefined): FetchLike {
  const g = f ?? (globalThis as { fetch?: FetchLike }).fetch;
  if (typeof g !== 'function') throw new CtiClientError('BAD_OPTION', 'no fetch: pass one (opts.fetch) on a runtime without a global fetch');
  return g;
}

/** POST JSON and read the PBX's `{result_code, …}` answer; a non-zero result_code or a non-JSON answer is a CtiApiError. */
async function postApi(fetchFn: FetchLike, origin: string, path: string, body: unknown, auth: TokenCredentials | undefined): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (auth) headers.Authorization = basicAuth(auth.domain, auth.token);
  let status = 0;
  let text: string;
  try {
    const res = await fetchFn(origin.replace(/\/+$/, '') + path, { method: 'POST', headers, body: JSON.stringify(body), ...(auth ? {} : { credentials: 'include' as const }) });
    status = res.status;
    text = await res.text();
  } catch (cause) {
    throw new CtiApiError(path, status, undefined, undefined, `${path}: no answer from the PBX (${(cause as Error)?.message ?? String(cause)})`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CtiApiError(path, status, undefined, undefined, `${path}: HTTP ${status}, not a JSON answer: ${text.slice(0, 120)}`);
  }
  const o = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const rc = typeof o.result_code === 'number' ? o.result_code : undefined;
  const err = o.error as { id?: unknown } | undefined;
  const errorId = typeof err?.id === 'string' ? err.id : undefined;
  if (rc !== 0) {
    throw new CtiApiError(path, status, rc, errorId, `${path}: HTTP ${status}, result_code ${rc ?? 'missing'}${errorId ? `, error ${errorId}` : ''}`);
  }
  return o;
}

/** Arguments of {@link genWsTicket}. */
export interface GenWsTicketArgs {
  /** the PBX's HTTP origin, e.g. `https://pbx.example.jp` */
  origin: string;
  /** path and query of the socket to open, e.g. `/basix/api/ws_cti?app_name=tail` (no `full_events`: a ticket cannot carry it) */
  uri: string;
  credentials: TokenCredentials;
  fetch?: FetchLike;
}

/**
 * Get a one-time WebSocket ticket: `POST /basix/api/gen_ws_ticket` with Basic `DOMAIN:TOKEN` and
 * `{"uri": uri}`, answered `{"result_code": 0, "ticket": "…"}`. Then open exactly `uri` with
 * userinfo `ws_ticket:TICKET` (Basic auth). Single-use, expires within seconds: get one per connection.
 * (PROTOCOL.md "Corrections of 2026-12-05")
 * @returns the ticket
 * @throws CtiApiError when the PBX refuses (non-zero result_code, e.g. a wrong token), answers no JSON or no ticket, or cannot be reached
 */
export async function genWsTicket(args: GenWsTicketArgs): Promise<string> {
  const o = await postApi(fetchOf(args.fetch), args.origin, '/basix/api/gen_ws_ticket', { uri: args.uri }, args.credentials);
  if (typeof o.ticket !== 'string' || o.ticket === '') throw new CtiApiError('/basix/api/gen_ws_ticket', 200, 0, undefined, '/basix/api/gen_ws_ticket: result_code 0 but no ticket');
  return o.ticket;
}

/** Arguments of {@link callUser}: one user selector, the destination, the options. */
export type CallUserArgs = UserSelector & {
  /** the PBX's HTTP origin, e.g. `https://pbx.example.jp`; `''` for the page's own origin (browser) */
  origin: string;
  /** a number, an extension, a user name, or `pickup_uuid.<channel uuid>` to pick a call up */
  destination: string;
  /** seconds the user's own phone may ring; PBX default 180 */
  answer_timeout?: number;
  /** ask the user's phone to answer by itself; PBX default false */
  auto_answer?: boolean;
  /** the name shown on the user's phone */
  calling_name?: string;
  /** HTTP basic `DOMAIN:TOKEN`; without it the browser's session cookie is sent (`credentials: 'include'`) */
  credentials?: TokenCredentials;
  fetch?: FetchLike;
};

/**
 * `POST /basix/api/call_user`: the PBX rings the user's own phone, then calls `destination`.
 * Exactly one of `user_id`, `user_name`, `user_label`, `user_extension`, `user_did`, `user_email`.
 * (PROTOCOL.md "HTTP API", "Corrections of 2026-12-05")
 * @returns the uuids of the channels made (`uuids` of the answer; `[]` when it has none)
 * @throws CtiClientError `BAD_OPTION` for a missing/extra selector or an empty destination (before any request)
 * @throws CtiApiError for a refusal: `resultCode` non-zero, `errorId` e.g. `authentication_required`
 */
export async function callUser(args: CallUserArgs): Promise<{ uuids: string[] }> {
  const [key, value] = selectorEntry(args, 'callUser');
  if (typeof args.destination !== 'string' || args.destination === '') throw new CtiClientError('BAD_OPTION', 'callUser: destination must be a non-empty string');
  const raw = (args as Record<string, unknown>)[key];
  const body: Record<string, unknown> = { [key]: typeof raw === 'number' ? raw : value, destination: args.destination };
  if (args.answer_timeout !== undefined) body.answer_timeout = args.answer_timeout;
  if (args.auto_answer !== undefined) body.auto_answer = args.auto_answer;
  if (args.calling_name !== undefined) body.calling_name = args.calling_name;
  const o = await postApi(fetchOf(args.fetch), args.origin, '/basix/api/call_user', body, args.credentials);
  const uuids = Array.isArray(o.uuids) ? o.uuids.filter((u): u is string => typeof u === 'string') : [];
  return { uuids };
}
