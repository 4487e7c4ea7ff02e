/**
 * Field specs and record terms of every element kind, as the real Basix server sends them
 * (PROTOCOL.md "Messages", "Field translations"; vendor README field lists). A record is a tuple
 * whose i-th value belongs to the i-th field of the spec; absent values are the atom `undefined`;
 * text is a UTF-8 binary; timestamps are µs integers.
 */
import { atom, binary, tuple, type Term } from '../cti/etf/term.ts';
import { mwiString } from './model.ts';
import type {
  ChannelState,
  ElementKind,
  OtherInfo,
  SimChannel,
  SimDomain,
  SimGroup,
  SimMember,
  SimTerminal,
  SimUser,
  SimWaiting,
  Change,
} from './types.ts';

/** Field names per element kind, in record order. */
export const FIELD_SPECS: Record<ElementKind, readonly string[]> = {
  channel: [
    'uuid', 'call_id', 'direction', 'peer_location', 'calling_name', 'calling_number', 'called_number',
    'offer_timestamp', 'answer_timestamp', 'hangup_timestamp', 'other_uuid', 'user_id', 'state', 'group_id',
    'target', 'origination', 'end_user', 'tags', 'last_bridged_user_id', 'last_event', 'other_info', 'last_event_data',
  ],
  channel_waiting: ['uuid', 'state', 'peer_number', 'end_user', 'calling_name', 'group_id'],
  queued_channel: ['uuid', 'state', 'peer_number', 'end_user'],
  parked_channel: ['uuid', 'state', 'peer_number', 'end_user'],
  user: [
    'id', 'name', 'fwd_always_status', 'do_not_disturb_status', 'language', 'main_extension', 'presence', 'role',
    'park_group', 'mwi_target', 'flags', 'followme', 'email', 'avatar', 'label', 'mwi',
  ],
  group: ['id', 'name', 'type', 'language', 'main_extension', 'queue', 'label', 'flags', 'check_login_status', 'mwi'],
  group_member: ['id', 'group_id', 'user_id', 'priority', 'login_status', 'role'],
  terminal: ['id', 'name', 'assoc_user_id', 'type', 'user_agent', 'registered'],
  domain: ['id', 'name', 'label', 'park_slot_start', 'park_slot_end'],
};

/**
 * The strict profile's field specs: only fields a PBX is known to send. The domain's
 * `park_slot_start`/`park_slot_end` are ours (docs/ARCHITECTURE.md) and left out; a
 * `channel_waiting` has only the fields the vendor README gives its waiting records
 * (`uuid, state, peer_number, end_user`), so a console must take the group from the state.
 */
export const STRICT_FIELD_SPECS: Record<ElementKind, readonly string[]> = {
  ...FIELD_SPECS,
  channel_waiting: FIELD_SPECS.queued_channel,
  domain: ['id', 'name', 'label'],
};

const U = atom('undefined');
const opt = <T>(v: T | undefined, f: (x: T) => Term): Term => (v === undefined ? U : f(v));
const bin = (s: string | undefined): Term => (s === undefined ? U : binary(s));
const int = (n: number | undefined): Term => (n === undefined ? U : n);

/** Encode a state as PROTOCOL.md describes (`{Ts, Name, ...}`). */
export function stateTerm(s: ChannelState): Term {
  switch (s.name) {
    case 'calling': {
      const t = s.target;
      const data =
        t.type === 'user'
          ? tuple(t.userId)
          : t.type === 'group'
            ? tuple(atom(t.groupType), t.groupId, U, U, bin(t.queueId))
            : tuple(binary(t.address));
      return tuple(s.ts, atom('calling'), atom(s.targetLocation), atom(t.type), data);
    }
    case 'bridged':
      return tuple(s.ts, atom('bridged'));
    case 'ringing':
      return tuple(s.ts, atom('ringing'));
    case 'park':
      return tuple(s.ts, atom('park'), s.slot, U, s.parkerId, binary(s.parkerName));
    case 'voicemail':
      return tuple(s.ts, atom('voicemail'), atom(s.targetType), s.targetId, binary(s.targetName));
  }
}

function otherInfoTerm(o: OtherInfo): Term {
  return tuple(
    atom(o.type),
    o.type === 'user' ? int(o.userId) : bin(o.endUser),
    atom(o.direction),
    atom(o.peerLocation),
    binary(o.address),
    int(o.offerTs),
    int(o.groupId),
    bin(o.whoscall),
  );
}

/**
 * Replace the `{ORIGIN}` placeholder of absolute avatar URLs with the server's origin (e.g. `http://localhost:5173`).
 * In CRM `end_user` strings every part is URL-encoded, so there the placeholder is `%7BORIGIN%7D`
 * and the origin goes in URL-encoded too.
 */
export const withOrigin = (s: string | undefined, origin: string): string | undefined =>
  s === undefined ? undefined : s.split('{ORIGIN}').join(origin).split('%7BORIGIN%7D').join(encodeURIComponent(origin));

/**
 * The record tuple of one element, its values in {@link FIELD_SPECS} order.
 * @param origin the server's own origin, substituted into absolute avatar URLs.
 * @param strict the strict profile's fields ({@link STRICT_FIELD_SPECS}) instead of {@link FIELD_SPECS}.
 */
export function recordTerm(element: ElementKind, r: Change['record'], origin: string, strict = false): Term {
  switch (element) {
    case 'channel': {
      const c = r as SimChannel;
      return tuple(
        binary(c.uuid), binary(c.callId), atom(c.direction), atom(c.peerLocation), binary(c.callingName),
        binary(c.callingNumber), binary(c.calledNumber), c.offerTs, int(c.answerTs), int(c.hangupTs),
        bin(c.otherUuid), int(c.userId), stateTerm(c.state), int(c.groupId),
        opt(c.target, (t) => tuple(atom(t.type), t.id, binary(t.name), binary(t.address))),
        bin(c.origination), bin(withOrigin(c.endUser, origin)), bin(c.tags), int(c.lastBridgedUserId),
        atom(c.lastEvent), opt(c.otherInfo, (o) => otherInfoTerm({ ...o, endUser: withOrigin(o.endUser, origin) })),
        bin(c.lastEventData),
      );
    }
    case 'channel_waiting': {
      const w = r as SimWaiting;
      if (strict) return tuple(binary(w.uuid), stateTerm(w.state), binary(w.peerNumber), bin(withOrigin(w.endUser, origin)));
      return tuple(binary(w.uuid), stateTerm(w.state), binary(w.peerNumber), bin(withOrigin(w.endUser, origin)), binary(w.callingName), int(w.groupId));
    }
    case 'queued_channel':
    case 'parked_channel': {
      const w = r as SimWaiting;
      return tuple(binary(w.uuid), stateTerm(w.state), binary(w.peerNumber), bin(withOrigin(w.endUser, origin)));
    }
    case 'user': {
      const u = r as SimUser;
      return tuple(
        u.id, binary(u.name), u.fwdAlways, u.dnd, u.language, binary(u.mainExtension), u.presence, u.role,
        u.parkGroup, U, u.flags, U, binary(u.email), binary(withOrigin(u.avatar, origin)!), binary(u.label), binary(mwiString(u)),
      );
    }
    case 'group': {
      const g = r as SimGroup;
      return tuple(g.id, binary(g.name), g.type, g.language, binary(g.mainExtension), g.queue, binary(g.label), g.flags, g.checkLoginStatus, binary(mwiString(g)));
    }
    case 'group_member': {
      const m = r as SimMember;
      return tuple(m.id, m.groupId, m.userId, m.priority, m.loginStatus, m.role);
    }
    case 'terminal': {
      const t = r as SimTerminal;
      return tuple(t.id, binary(t.name), t.assocUserId, binary(t.type), binary(t.userAgent), atom(t.registered ? 'true' : 'false'));
    }
    case 'domain': {
      const d = r as SimDomain;
      return strict ? tuple(d.id, binary(d.name), binary(d.label)) : tuple(d.id, binary(d.name), binary(d.label), d.parkSlotStart, d.parkSlotEnd);
    }
  }
}

/** `{field_spec, Element, [Field…]}` ({@link STRICT_FIELD_SPECS} when `strict`). */
export const fieldSpecTerm = (element: ElementKind, strict = false): Term =>
  tuple(atom('field_spec'), atom(element), (strict ? STRICT_FIELD_SPECS : FIELD_SPECS)[element].map((f) => atom(f)));

/** `{initial_info, Element, Records}`; no records → `[]`. */
export const initialInfoTerm = (element: ElementKind, records: Term[]): Term => tuple(atom('initial_info'), atom(element), records);

/** `{info_event, Element, Record, Event}`. */
export const infoEventTerm = (element: ElementKind, record: Term, event: string): Term =>
  tuple(atom('info_event'), atom(element), record, atom(event));

/** `{system_msg, Msg}` (atom). */
export const systemMsgTerm = (msg: string): Term => tuple(atom('system_msg'), atom(msg));

/** `{msg, Text}` (binary). */
export const msgTerm = (text: string): Term => tuple(atom('msg'), binary(text));
