// The meaning of the value codes the vendor documents nowhere (PROTOCOL.md Corrections: "Value
// codes of presence, do_not_disturb_status, fwd_always_status, login_status and role are not
// documented anywhere (examples show 0; an admin has role: 100). Show unknown values as they
// are."). Every mapping below is OURS (docs/ARCHITECTURE.md "Conventions"): a value outside it is
// `unknown` and shown as itself, never as a state it may not be; code that gates behaviour on a
// code (free members, transfer warnings) must treat `unknown` as unknown.

/** An on/off flag (`do_not_disturb_status`, `fwd_always_status`). */
export type FlagState = 'on' | 'off' | 'unknown' | 'absent';

const isAbsent = (v: unknown): boolean => v === undefined || v === null || v === '';

/** A wire integer as a number (numbers, bigints, numeric strings), else null. */
function code(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  return null;
}

/**
 * `do_not_disturb_status` / `fwd_always_status`: 0 off (the vendor's example user), 1 on (ours:
 * the usual integer flag), `true`/`false` alike; any other value `unknown`; missing `absent`.
 */
export function flagState(v: unknown): FlagState {
  if (isAbsent(v)) return 'absent';
  if (v === true) return 'on';
  if (v === false) return 'off';
  const n = code(v);
  return n === 1 ? 'on' : n === 0 ? 'off' : 'unknown';
}

/** A group membership's `login_status`: 1 logged in, 0 logged out (ours); else `unknown`. */
export type LoginState = 'in' | 'out' | 'unknown' | 'absent';

export function loginState(v: unknown): LoginState {
  if (isAbsent(v)) return 'absent';
  if (v === true) return 'in';
  if (v === false) return 'out';
  const n = code(v);
  return n === 1 ? 'in' : n === 0 ? 'out' : 'unknown';
}

/** `user.presence`: 0 available, 1 away, 2 busy, 3 offline (ours, as the simulator sends them). */
export type PresenceState = 'available' | 'away' | 'busy' | 'offline' | 'unknown' | 'absent';

const PRESENCE: readonly PresenceState[] = ['available', 'away', 'busy', 'offline'];

export function presenceState(v: unknown): PresenceState {
  if (isAbsent(v)) return 'absent';
  const n = code(v);
  return n !== null && Number.isInteger(n) && n >= 0 && n < PRESENCE.length ? PRESENCE[n]! : 'unknown';
}

/** `terminal.registered`: `true` / `false` (the simulator's atoms), 1 / 0 alike; else `unknown`. */
export function registeredState(v: unknown): 'yes' | 'no' | 'unknown' | 'absent' {
  if (isAbsent(v)) return 'absent';
  if (v === true || code(v) === 1) return 'yes';
  if (v === false || code(v) === 0) return 'no';
  return 'unknown';
}

/**
 * Whether a group member can take a call, as far as the codes tell: `yes` when logged in, not on
 * DND and not offline; `no` when logged out, on DND or offline; `unknown` when any code it needs
 * is outside our mapping (then it is neither counted free nor unavailable). A missing DND or
 * presence field does not stop a logged-in member; a missing login_status is unknown.
 */
export function memberAvailability(loginStatus: unknown, dnd: unknown, presence: unknown): 'yes' | 'no' | 'unknown' {
  const login = loginState(loginStatus);
  if (login === 'out') return 'no';
  const d = flagState(dnd);
  const p = presenceState(presence);
  if (d === 'on' || p === 'offline') return 'no';
  if (login !== 'in' || d === 'unknown' || p === 'unknown') return 'unknown';
  return 'yes';
}

/** The raw value of a code for display ("presence 7"): the number, or the text as sent. */
export function codeText(v: unknown): string {
  if (isAbsent(v)) return '';
  const n = code(v);
  return n !== null ? String(n) : String(v);
}
