/**
 * Domain records of the simulated Basix PBX. Field meanings follow the vendor README
 * (`shared/seed/basix_ws_cti-README.md`) and `shared/PROTOCOL.md`; conventions that are ours
 * (presence codes, domain record) follow `docs/ARCHITECTURE.md`. Timestamps are µs since the epoch.
 */

/** Element kinds the simulator sends (`queued_channel`/`parked_channel` only with `legacy`). */
export type ElementKind =
  | 'channel'
  | 'channel_waiting'
  | 'queued_channel'
  | 'parked_channel'
  | 'user'
  | 'group'
  | 'group_member'
  | 'terminal'
  | 'domain';

/** Every element kind in the order they are sent on connect. */
export const ELEMENT_KINDS: readonly ElementKind[] = [
  'domain',
  'user',
  'group',
  'group_member',
  'terminal',
  'channel',
  'channel_waiting',
  'queued_channel',
  'parked_channel',
];

/** Channel-like kinds (keyed by uuid, subject to per-session filtering). */
export const CHANNEL_KINDS: ReadonlySet<ElementKind> = new Set([
  'channel',
  'channel_waiting',
  'queued_channel',
  'parked_channel',
]);

/** `user.presence` codes (ARCHITECTURE.md): 0 available, 1 away, 2 busy, 3 offline. */
export type Presence = 0 | 1 | 2 | 3;

/** A PBX user. `avatar` may contain the placeholder `{ORIGIN}` (replaced by the server's own origin when sent). */
export interface SimUser {
  id: number;
  name: string;
  label: string;
  mainExtension: string;
  presence: number;
  dnd: 0 | 1;
  fwdAlways: 0 | 1;
  /** 100 = PBX admin role (admin, receptionist), 0 = plain user. */
  role: number;
  language: number;
  /** Park group 0…31: the user parks on slots `901 + parkGroup × 3` … `+ 2`, then 997–999 (park-slots.ts). */
  parkGroup: number;
  flags: number;
  email: string;
  avatar: string;
  /** Voicemail counters; `hasBox` false → `mwi` is `''`. */
  hasBox: boolean;
  mwiNew: number;
  mwiSaved: number;
  mwiUrgentNew: number;
  mwiUrgentSaved: number;
}

/** A ring (type 0) or hunt (type 1) group. */
export interface SimGroup {
  id: number;
  name: string;
  label: string;
  type: 0 | 1;
  mainExtension: string;
  language: number;
  queue: number;
  flags: number;
  checkLoginStatus: number;
  hasBox: boolean;
  mwiNew: number;
  mwiSaved: number;
}

/** Group membership; `loginStatus` 1 logged in, 0 logged out. */
export interface SimMember {
  id: number;
  groupId: number;
  userId: number;
  priority: number;
  loginStatus: 0 | 1;
  role: number;
}

/** A SIP terminal of a user. */
export interface SimTerminal {
  id: number;
  name: string;
  assocUserId: number;
  type: string;
  userAgent: string;
  registered: boolean;
}

/**
 * The PBX domain (one record). `parkSlotStart`/`parkSlotEnd` are ours (docs/ARCHITECTURE.md
 * "Conventions"): sent only by the default profile, as the slot range a console shows by default;
 * parking follows the PBX's numbering (`park-slots.ts`) whatever they say.
 */
export interface SimDomain {
  id: number;
  name: string;
  label: string;
  parkSlotStart: number;
  parkSlotEnd: number;
}

/** What a `calling` state targets. */
export type CallingTarget =
  | { type: 'user'; userId: number }
  | { type: 'group'; groupType: 'ring' | 'hunt'; groupId: number; queueId?: string }
  | { type: 'pstn'; address: string };

/** Channel state (PROTOCOL.md "Field translations"); `ts` in µs. */
export type ChannelState =
  | { name: 'calling'; ts: number; targetLocation: 'int' | 'ext'; target: CallingTarget }
  | { name: 'bridged'; ts: number }
  /** A phone ringing with no more detail (`{Ts, ringing}`), as a park ring-back leg may be (PROTOCOL.md Corrections). */
  | { name: 'ringing'; ts: number }
  | { name: 'park'; ts: number; slot: number; parkerId: number; parkerName: string }
  | { name: 'voicemail'; ts: number; targetType: 'user' | 'group'; targetId: number; targetName: string };

/** Summary of the other leg (`other_info`). */
export interface OtherInfo {
  type: 'user' | 'end_user';
  userId?: number;
  endUser?: string;
  direction: 'inbound' | 'outbound';
  peerLocation: 'internal' | 'external';
  address: string;
  offerTs?: number;
  groupId?: number;
  whoscall?: string;
}

/** One call leg (`channel` element). */
export interface SimChannel {
  uuid: string;
  callId: string;
  direction: 'inbound' | 'outbound';
  peerLocation: 'internal' | 'external';
  callingName: string;
  callingNumber: string;
  calledNumber: string;
  offerTs: number;
  answerTs?: number;
  hangupTs?: number;
  otherUuid?: string;
  userId?: number;
  state: ChannelState;
  groupId?: number;
  target?: { type: 'user' | 'group'; id: number; name: string; address: string };
  origination?: string;
  endUser?: string;
  tags?: string;
  lastBridgedUserId?: number;
  lastEvent: string;
  lastEventData?: string;
  otherInfo?: OtherInfo;
}

/** A channel waiting in a group's ring queue (`channel_waiting`, legacy `queued_channel`) or parked (`parked_channel`). */
export interface SimWaiting {
  uuid: string;
  state: ChannelState;
  peerNumber: string;
  endUser?: string;
  callingName: string;
  groupId?: number;
}

/** One change of the model, in the order it happened. `record` is the element after the change (for `removed`: its last value). */
export interface Change {
  element: ElementKind;
  event: 'added' | 'updated' | 'removed';
  record: SimUser | SimGroup | SimMember | SimTerminal | SimDomain | SimChannel | SimWaiting;
}
