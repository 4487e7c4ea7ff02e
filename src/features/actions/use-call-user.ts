/**
 * One click-to-call / take-call request from a component: an explicit state machine around
 * src/lib/call-user.ts, and what this page knows of the PBX's call_user (for disabling "Call").
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { callUser, getCallUserAvailability, subscribeCallUserAvailability, type CallUserAvailability, type CallUserRequest } from '../../lib/call-user.ts';

/**
 * `idle` → `asking` (request sent) → `ringing` (the PBX accepted: the operator's phone rings; what
 * follows shows in the call panels) | `unavailable` (no call_user on this PBX) | `failed`
 * (`login`: authentication_required / 401; `refused`: another error id; `unreachable`: no answer;
 * `input`: a request the client would not send). A new request starts from any state.
 */
export type CallUserState =
  | { kind: 'idle' }
  | { kind: 'asking' }
  | { kind: 'ringing'; uuids: string[] }
  | { kind: 'unavailable' }
  | { kind: 'failed'; why: 'login' | 'refused' | 'unreachable' | 'input'; detail: string };

/** What this page knows of call_user ('unavailable' after a 404 or a non-JSON answer). */
export function useCallUserAvailability(): CallUserAvailability {
  return useSyncExternalStore(subscribeCallUserAvailability, getCallUserAvailability, getCallUserAvailability);
}

/**
 * @returns the request's state and `run(req)`, which resolves to the final state (so a caller can
 *   fall back, e.g. Take call → `transfer` when call_user is unavailable). Never rejects.
 */
export function useCallUserRequest(): [CallUserState, (req: CallUserRequest) => Promise<CallUserState>] {
  const [state, setState] = useState<CallUserState>({ kind: 'idle' });
  const seq = useRef(0);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async (req: CallUserRequest): Promise<CallUserState> => {
    const mine = ++seq.current;
    setState({ kind: 'asking' });
    let next: CallUserState;
    try {
      const r = await callUser(req);
      next =
        r.kind === 'ok'
          ? { kind: 'ringing', uuids: r.uuids }
          : r.kind === 'unavailable'
            ? { kind: 'unavailable' }
            : r.kind === 'unreachable'
              ? { kind: 'failed', why: 'unreachable', detail: r.message }
              : { kind: 'failed', why: r.loginRequired ? 'login' : 'refused', detail: r.errorId ?? `result_code ${r.resultCode ?? '?'} (HTTP ${r.status})` };
    } catch (e) {
      next = { kind: 'failed', why: 'input', detail: e instanceof Error ? e.message : String(e) };
    }
    // Only the latest request of a still-mounted component shows.
    if (mounted.current && mine === seq.current) setState(next);
    return next;
  }, []);
  return [state, run];
}
