/**
 * `POST /basix/api/call_user` (PROTOCOL.md "HTTP API" and Corrections): the PBX rings the named
 * user's own phone first and, once it answers, calls `destination` — a number, an extension, a
 * user name, or `pickup_uuid.<channel uuid>` to pick up a ringing, queued or parked call.
 * Answers `{result_code: 0, uuids: [uuid of the user's leg]}` or
 * `{result_code: 500, error: {id}}`; the HTTP status is 200 either way (the real status is not
 * documented; clients read `result_code`).
 */
import { SimError, type PbxModel } from './model.ts';
import type { Scheduler } from './scheduler.ts';
import { selectUser } from './user-selector.ts';

/** Who is asking: a session user, a domain API token, or nobody. */
export type CallUserAuth = { kind: 'session'; userId: number; isAdmin: boolean } | { kind: 'token' } | { kind: 'none' };

/** `error.id` values this endpoint answers with. */
export type CallUserErrorId =
  | 'authentication_required'
  | 'invalid_request'
  | 'user_not_found'
  | 'destination_not_found'
  | 'permission_denied';

/** The JSON answer. */
export type CallUserAnswer = { result_code: 0; uuids: string[] } | { result_code: 500; error: { id: CallUserErrorId; message: string } };

/** What the handler acts on. */
export interface CallUserContext {
  model: PbxModel;
  scheduler: Scheduler;
  /** Simulated ms until the user's phone answers without `auto_answer` (default 3,000; divided by the speed factor). */
  answerDelayMs?: number;
  log?: (line: string) => void;
}

const fail = (id: CallUserErrorId, message: string): CallUserAnswer => ({ result_code: 500, error: { id, message } });

/**
 * Handle one request body (already read as text). Never throws: every problem is an answer.
 * Options: `answer_timeout` (s, default 180: the user's phone rings at most this long, then the
 * call ends `send_cancel,NO_ANSWER`), `auto_answer` (default false: answer at once),
 * `calling_name` (shown on the user's phone; default the destination).
 * A plain (non-admin) session may only ring its own phone; a session with no selector rings its own.
 */
export function callUser(ctx: CallUserContext, auth: CallUserAuth, bodyText: string): CallUserAnswer {
  if (auth.kind === 'none') return fail('authentication_required', 'log in or send Basic DOMAIN:TOKEN');
  let body: Record<string, unknown>;
  try {
    const v: unknown = JSON.parse(bodyText);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('invalid_request', 'the body is a JSON object');
    body = v as Record<string, unknown>;
  } catch {
    return fail('invalid_request', 'the body is not JSON');
  }
  const m = ctx.model;
  const dest = body.destination;
  if ((typeof dest !== 'string' && typeof dest !== 'number') || String(dest).trim() === '')
    return fail('invalid_request', '"destination" is required');
  const timeoutS = body.answer_timeout === undefined ? 180 : Number(body.answer_timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 3600) return fail('invalid_request', '"answer_timeout" must be seconds in (0, 3600]');
  if (body.auto_answer !== undefined && typeof body.auto_answer !== 'boolean') return fail('invalid_request', '"auto_answer" must be true or false');
  if (body.calling_name !== undefined && typeof body.calling_name !== 'string') return fail('invalid_request', '"calling_name" must be a string');
  const sel = selectUser(m, (k) => body[k]);
  let userId: number;
  if (sel.kind === 'found') userId = sel.user.id;
  else if (sel.kind === 'not_found') return fail('user_not_found', `no user matches ${sel.selector}`);
  else if (auth.kind === 'session') userId = auth.userId;
  else return fail('invalid_request', 'name the user: user_id, user_name, user_label, user_extension, user_did or user_email');
  if (auth.kind === 'session' && !auth.isAdmin && userId !== auth.userId) return fail('permission_denied', 'a user may only ring its own phone');
  const destination = String(dest).trim();
  try {
    m.resolveDestination(destination);
  } catch (e) {
    if (e instanceof SimError) return fail('destination_not_found', `no such destination: ${destination.slice(0, 80)}`);
    throw e;
  }
  const orig = m.originate(userId, { destination, callingName: body.calling_name as string | undefined });
  const connect = (): void => {
    if (!m.isOriginating(orig.uuid)) return; // answered meanwhile (scenario step) or hung up
    try {
      m.connectOriginate(orig.uuid, destination);
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      ctx.log?.(`call_user ${orig.uuid}: ${e.message}; hanging up`);
      if (m.channels.has(orig.uuid)) m.hangup(orig.uuid, 'send_bye,NORMAL_CLEARING');
    }
  };
  const delay = ctx.answerDelayMs ?? 3000;
  if (body.auto_answer === true) connect();
  else if (delay <= timeoutS * 1000) ctx.scheduler.schedule(delay, connect);
  else
    ctx.scheduler.schedule(timeoutS * 1000, () => {
      const c = m.channels.get(orig.uuid);
      if (c && m.isOriginating(orig.uuid)) m.hangup(orig.uuid, 'send_cancel,NO_ANSWER');
    });
  return { result_code: 0, uuids: [orig.uuid] };
}
