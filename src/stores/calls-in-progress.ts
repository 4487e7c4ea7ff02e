/**
 * Calls in progress (issue 11): every answered call, a bridged pair of legs shown once.
 *
 * Read from the `channel` map alone (../shared/PROTOCOL.md "Elements", "Field translations"): a
 * leg in state `bridged` that is not hung up is answered; its partner is the leg named by its
 * `other_uuid`, or the leg whose `other_uuid` names it (a PBX may fill only one side). A leg whose
 * partner this console cannot see (a limited view: a plain user's login gets only its own legs)
 * is listed alone.
 *
 * Which leg is whose (the vendor README's `channel`): `direction` is as the PBX sees the leg —
 * `inbound` was offered to the PBX (the caller's side), `outbound` made by it (the called side);
 * a leg with a `user_id` is that user's phone, one without is an outside line. Park / transfer /
 * hang up act on the external party's leg (the caller's own leg for an internal call): parking or
 * transferring the operator's leg would move the operator, not the caller.
 */
import type { Channel } from './cti-types.ts';

/** One side of a call: a PBX user, the calling party of a leg, or a number dialled out. */
export type CallParty =
  | { kind: 'user'; userId: number }
  /** described by `leg`'s caller fields (CRM name, calling name, calling number) */
  | { kind: 'caller'; leg: Channel }
  /** an outside number a user dialled (`called_number`), `''` when unknown */
  | { kind: 'dialled'; number: string };

/**
 * `incoming`: an outside caller talks to a user; `outgoing`: a user called outside;
 * `internal`: user to user; `unknown`: neither side is a user (e.g. a forwarded outside call).
 */
export type CallDirection = 'incoming' | 'outgoing' | 'internal' | 'unknown';

export interface CallInProgress {
  /** stable key: the legs' uuids, caller's first, joined with `|` */
  key: string;
  /** the leg actions act on (the external party's; the caller's for an internal call) */
  actUuid: string;
  /** the caller's leg first; one leg when its partner is not visible */
  legs: readonly Channel[];
  /** who called */
  from: CallParty;
  /** who answered; null when unknown (a lone outside leg) */
  to: CallParty | null;
  direction: CallDirection;
  /** PBX µs when this conversation began (the latest bridge of its legs), or null */
  sinceUs: number | null;
  /** user ids on the call (0–2) */
  userIds: readonly number[];
  /** the operator's own phone is one of the legs */
  own: boolean;
}

const num = (v: unknown): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return null;
};

const isAnswered = (ch: Channel): boolean => ch.state?.name === 'bridged' && ch.last_event !== 'CHANNEL_HANGUP';
const isGone = (ch: Channel): boolean => ch.last_event === 'CHANNEL_HANGUP';

/** The conversation's start on this leg: its bridge (state ts), else its answer time, µs. */
const bridgedSince = (ch: Channel): number | null => num(ch.state?.ts) ?? num(ch.answer_timestamp);

function describePair(caller: Channel, callee: Channel | null): Pick<CallInProgress, 'from' | 'to' | 'direction' | 'actUuid'> {
  const cu = num(caller.user_id);
  if (!callee) {
    if (cu === null) return { from: { kind: 'caller', leg: caller }, to: null, direction: 'unknown', actUuid: caller.uuid };
    // A user's lone leg: made by the PBX to the user (`outbound`) is an incoming call to them.
    if (caller.direction === 'outbound') return { from: { kind: 'caller', leg: caller }, to: { kind: 'user', userId: cu }, direction: 'incoming', actUuid: caller.uuid };
    return { from: { kind: 'user', userId: cu }, to: { kind: 'dialled', number: String(caller.called_number ?? '') }, direction: 'outgoing', actUuid: caller.uuid };
  }
  const du = num(callee.user_id);
  const from: CallParty = cu !== null ? { kind: 'user', userId: cu } : { kind: 'caller', leg: caller };
  const to: CallParty = du !== null ? { kind: 'user', userId: du } : { kind: 'dialled', number: String(callee.called_number ?? caller.called_number ?? '') };
  const direction: CallDirection = cu === null && du !== null ? 'incoming' : cu !== null && du === null ? 'outgoing' : cu !== null ? 'internal' : 'unknown';
  const actUuid = cu === null ? caller.uuid : du === null ? callee.uuid : caller.uuid;
  return { from, to, direction, actUuid };
}

/** `inbound` (offered to the PBX) is the caller's leg; otherwise keep the order found. */
function orderLegs(a: Channel, b: Channel): [Channel, Channel] {
  if (b.direction === 'inbound' && a.direction !== 'inbound') return [b, a];
  return [a, b];
}

/**
 * Every call in progress, the operator's own first, then the longest conversation first.
 * @param channels the store's `channel` map (keyed by uuid)
 * @param ownUserId the operator's PBX user id, or null when unknown (nothing is then marked own)
 * @param prev the previous result: items whose legs are the same objects are reused (stable
 *   identities for memoized rows), and `prev` itself is returned when nothing changed
 */
export function selectCallsInProgress(channels: ReadonlyMap<string, Channel>, ownUserId: number | null, prev: readonly CallInProgress[] = []): readonly CallInProgress[] {
  // legs naming each uuid as their other_uuid (for a PBX that fills only one side)
  const namedBy = new Map<string, Channel>();
  for (const ch of channels.values()) {
    if (ch.other_uuid != null && !isGone(ch)) namedBy.set(String(ch.other_uuid), ch);
  }
  const prevByKey = new Map(prev.map((c) => [c.key, c]));
  const seen = new Set<string>();
  const out: CallInProgress[] = [];
  for (const ch of channels.values()) {
    const uuid = String(ch.uuid);
    if (seen.has(uuid) || !isAnswered(ch)) continue;
    seen.add(uuid);
    let partner = ch.other_uuid != null ? channels.get(String(ch.other_uuid)) : undefined;
    if (!partner || isGone(partner)) partner = namedBy.get(uuid);
    if (partner && (isGone(partner) || seen.has(String(partner.uuid)) || String(partner.uuid) === uuid)) partner = undefined;
    if (partner) seen.add(String(partner.uuid));
    const legs: Channel[] = partner ? orderLegs(ch, partner) : [ch];
    const key = legs.map((l) => String(l.uuid)).join('|');
    const userIds = legs.map((l) => num(l.user_id)).filter((v): v is number => v !== null);
    const own = ownUserId !== null && userIds.includes(ownUserId);
    const old = prevByKey.get(key);
    if (old && old.own === own && old.legs.length === legs.length && old.legs.every((l, i) => l === legs[i])) {
      out.push(old);
      continue;
    }
    let sinceUs: number | null = null;
    for (const l of legs) {
      const s = bridgedSince(l);
      if (s !== null && (sinceUs === null || s > sinceUs)) sinceUs = s;
    }
    out.push({ key, legs, ...describePair(legs[0]!, legs[1] ?? null), sinceUs, userIds, own });
  }
  out.sort((a, b) => Number(b.own) - Number(a.own) || (a.sinceUs ?? Infinity) - (b.sinceUs ?? Infinity) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (out.length === prev.length && out.every((c, i) => c === prev[i])) return prev;
  return out;
}

/** The call in progress that has `uuid` as one of its legs, or undefined. */
export function findCallInProgress(calls: readonly CallInProgress[], uuid: string): CallInProgress | undefined {
  return calls.find((c) => c.legs.some((l) => String(l.uuid) === uuid));
}

/**
 * The uuid a call dialog opened from a user's leg should act on: for an answered call its
 * external party's leg ({@link CallInProgress.actUuid}); for a user's phone ringing for a caller
 * whose leg is known, the caller's leg (what Take call picks up and Park parks); else the leg itself.
 */
export function resolveCallUuid(channels: ReadonlyMap<string, Channel>, legUuid: string): string {
  const leg = channels.get(legUuid);
  if (!leg) return legUuid;
  if (isAnswered(leg)) {
    const call = findCallInProgress(selectCallsInProgress(channels, null), legUuid);
    if (call) return call.actUuid;
  }
  const other = leg.other_uuid != null ? channels.get(String(leg.other_uuid)) : undefined;
  if (other && !isGone(other) && num(leg.user_id) !== null && num(other.user_id) === null) return String(other.uuid);
  return legUuid;
}
