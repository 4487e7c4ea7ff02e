/**
 * The console's click-to-call / take-call client: `POST /basix/api/call_user` (../shared/PROTOCOL.md
 * "HTTP API" and "Corrections of 2026-12-05") through the CTI library's `callUser`, with the
 * browser's session cookie. The PBX rings the operator's own phone first, then calls
 * `destination` (a number, an extension, a user name, or `pickup_uuid.<channel uuid>` to pick a
 * ringing, queued or parked call up).
 *
 * The endpoint is documented but a PBX may not serve it: a 404 (or 405/501) or an answer that is
 * not JSON reads as "not available here", remembered for the rest of the page (module state; a
 * reload asks again) so the console stops offering it / falls back to the protocol's `transfer`.
 */
import { callUser as libCallUser, type FetchLike } from '../cti/client/http.ts';
import { CtiApiError, CtiClientError } from '../cti/client/errors.ts';
import type { UserSelector } from '../cti/client/url.ts';

export type { UserSelector };

/** What {@link callUser} sends: exactly one user selector, the destination and the PBX's options. */
export type CallUserRequest = UserSelector & {
  /** a number, an extension, a user name, or `pickup_uuid.<channel uuid>` */
  destination: string;
  /** seconds the operator's own phone may ring; PBX default 180 */
  answer_timeout?: number;
  /** ask the operator's phone to answer by itself; PBX default false */
  auto_answer?: boolean;
  /** the name shown on the operator's phone while it rings */
  calling_name?: string;
};

/**
 * The outcome of one request (never thrown: every answer of the PBX is one of these):
 * - `ok`: `result_code` 0; `uuids` the channels the PBX made (may be empty);
 * - `refused`: a JSON answer with a non-zero `result_code` (`resultCode`, 500 in the reference)
 *   and its `error.id` (`errorId`); `loginRequired` when that is `authentication_required` or
 *   the HTTP status is 401 (the session is gone: log in);
 * - `unavailable`: the PBX does not serve call_user (HTTP 404/405/501, or an answer that is not
 *   JSON); `status` the HTTP status;
 * - `unreachable`: no answer at all (network error, page offline); `message` says why.
 */
export type CallUserOutcome =
  | { kind: 'ok'; uuids: string[] }
  | { kind: 'refused'; resultCode: number | null; errorId: string | null; loginRequired: boolean; status: number }
  | { kind: 'unavailable'; status: number }
  | { kind: 'unreachable'; message: string };

/** A request the client will not send (no or several user selectors, an empty destination, a bad option). */
export class CallUserInputError extends Error {
  override readonly name = 'CallUserInputError';
}

/** Whether this page has learnt that the PBX serves call_user. */
export type CallUserAvailability = 'unknown' | 'available' | 'unavailable';

let availability: CallUserAvailability = 'unknown';
const listeners = new Set<() => void>();

function setAvailability(next: CallUserAvailability): void {
  if (next === availability) return;
  availability = next;
  for (const l of [...listeners]) l();
}

/** What this page knows of call_user (for `useSyncExternalStore`). */
export function getCallUserAvailability(): CallUserAvailability {
  return availability;
}

/** Calls `listener` when {@link getCallUserAvailability} changes. @returns unsubscribe */
export function subscribeCallUserAvailability(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For tests: forget what was learnt. */
export function resetCallUserAvailabilityForTests(): void {
  availability = 'unknown';
  listeners.clear();
}

const NOT_SERVED = new Set([404, 405, 501]);

/**
 * `POST /basix/api/call_user` on this page's origin with the session cookie.
 * @param req e.g. `{user_id: 1001, destination: 'pickup_uuid.9f2c…'}` or `{user_extension: '200', destination: '0312345678'}`
 * @param opts `fetch` to use (default the global one), `origin` (default `''`: this page's origin)
 * @returns the outcome ({@link CallUserOutcome}); also updates {@link getCallUserAvailability}
 * @throws CallUserInputError before any request for a missing/extra selector, an empty destination or a bad option
 */
export async function callUser(req: CallUserRequest, opts: { fetch?: FetchLike; origin?: string } = {}): Promise<CallUserOutcome> {
  if (typeof req?.destination !== 'string' || req.destination.trim() === '') throw new CallUserInputError('call_user: the destination is empty');
  if (req.answer_timeout !== undefined && !(Number.isFinite(req.answer_timeout) && req.answer_timeout > 0)) throw new CallUserInputError('call_user: answer_timeout is seconds > 0');
  try {
    const { uuids } = await libCallUser({ ...req, destination: req.destination.trim(), origin: opts.origin ?? '', fetch: opts.fetch } as Parameters<typeof libCallUser>[0]);
    setAvailability('available');
    return { kind: 'ok', uuids };
  } catch (e) {
    if (e instanceof CtiClientError) throw new CallUserInputError(e.message, { cause: e });
    if (!(e instanceof CtiApiError)) return { kind: 'unreachable', message: e instanceof Error ? e.message : String(e) };
    if (e.status === 0) return { kind: 'unreachable', message: e.message };
    // A JSON answer carries result_code; anything else (an HTML 404 page, a web app's index) is not call_user.
    if (NOT_SERVED.has(e.status) || (e.resultCode === undefined && e.errorId === undefined && e.status !== 401)) {
      setAvailability('unavailable');
      return { kind: 'unavailable', status: e.status };
    }
    // A JSON refusal proves the endpoint exists; a bare 401 (a proxy's login wall) proves nothing.
    if (e.resultCode !== undefined || e.errorId !== undefined) setAvailability('available');
    return {
      kind: 'refused',
      resultCode: e.resultCode ?? null,
      errorId: e.errorId ?? null,
      loginRequired: e.errorId === 'authentication_required' || e.status === 401,
      status: e.status,
    };
  }
}

/** The `destination` that picks up call `uuid` (ringing, queued or parked): PROTOCOL.md Corrections. */
export function pickupDestination(uuid: string): string {
  return `pickup_uuid.${uuid}`;
}
