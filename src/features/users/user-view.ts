/**
 * The users table's row model, built from the store's maps. Two parts so that call traffic does
 * not rebuild 10,000 rows: {@link buildUserViews} from users/groups/members (change rarely) and
 * {@link buildUserCalls} from channels (change all the time), joined in the call cell.
 */
import type { Channel, Group, GroupMember, User } from '../../stores/cti-types.ts';
import { mwiOf, type MwiCounts } from '../../components/mwi-badge.tsx';
import { callerNumber, callerTitle, userLabel } from '../../components/caller.ts';
import { flagState, loginState, type FlagState } from '../../stores/value-codes.ts';

export interface UserView {
  /** stable row id: String(user.id) */
  id: string;
  user: User;
  label: string;
  name: string;
  extension: string;
  /** the raw presence code (meaning: value-codes.ts `presenceState`, our mapping; others shown as the number) */
  presence: number | undefined;
  /** DND known on (`do_not_disturb_status` 1) */
  dnd: boolean;
  /** on / off / unknown / absent (always set by {@link buildUserViews}; optional for hand-made views) */
  dndState?: FlagState;
  /** the raw `do_not_disturb_status`, for showing an unknown code as itself */
  dndCode?: unknown;
  /** forwarding known on (`fwd_always_status` 1) */
  fwd: boolean;
  fwdState?: FlagState;
  fwdCode?: unknown;
  mwi: MwiCounts | null;
  /** ids of the groups the user belongs to */
  groupIds: string[];
  /** labels of those groups, in the same order */
  groupLabels: string[];
  /** number of groups the user is logged in to (login_status 1) */
  loggedInCount: number;
  /** number of the user's memberships whose login_status is outside our mapping (or absent) */
  loginUnknownCount?: number;
}

/** A user's current call: state name (`calling`, `bridged`, `park`…) and the other party. */
export interface UserCall {
  state: string;
  /** the other party's name or number (formatted when first read) */
  peer: string;
  uuid: string;
}

interface Maps {
  user: Map<string, User>;
  group: Map<string, Group>;
  group_member: Map<string, GroupMember>;
}

const CALL_PRIORITY: Record<string, number> = { bridged: 0, calling: 1, park: 2 };

/** What a view takes from the user record alone. */
type UserBase = Omit<UserView, 'groupIds' | 'groupLabels' | 'loggedInCount' | 'loginUnknownCount'>;
/**
 * The last view built per user record, reused while its group part is unchanged (stable rows);
 * it also holds the record's {@link UserBase} fields, so one weak entry per record is enough
 * (a second WeakMap for the base doubled the ephemerons every major GC has to mark: 10,000 more).
 */
const viewCache = new WeakMap<User, UserView>();

/** The record-only fields: from the record's last view if there is one, else computed. */
function userBase(u: User, last: UserView | undefined): UserBase {
  if (last) return last;
  return {
    id: String(u.id),
    user: u,
    label: userLabel(u),
    name: u.name ?? '',
    extension: u.main_extension ?? '',
    presence: typeof u.presence === 'number' ? u.presence : typeof u.presence === 'bigint' ? Number(u.presence) : undefined,
    dnd: flagState(u.do_not_disturb_status) === 'on',
    dndState: flagState(u.do_not_disturb_status),
    dndCode: u.do_not_disturb_status,
    fwd: flagState(u.fwd_always_status) === 'on',
    fwdState: flagState(u.fwd_always_status),
    fwdCode: u.fwd_always_status,
    mwi: mwiOf(u.mwi),
  };
}

/** Per user id: the ids of the user's groups and how many of them the user is logged in to. */
type GroupsByUser = Map<string, { ids: string[]; loggedIn: number; loginUnknown: number }>;
const groupsCache = new WeakMap<Map<string, GroupMember>, GroupsByUser>();

/** {@link GroupsByUser} of a membership map, once per map object (a table refresh that rebuilds a few users must not walk every membership). */
function groupsByUser(members: Map<string, GroupMember>): GroupsByUser {
  let out = groupsCache.get(members);
  if (out) return out;
  out = new Map();
  for (const gm of members.values()) {
    if (gm.user_id === undefined || gm.group_id === undefined) continue;
    const key = String(gm.user_id);
    let e = out.get(key);
    if (!e) out.set(key, (e = { ids: [], loggedIn: 0, loginUnknown: 0 }));
    e.ids.push(String(gm.group_id));
    const login = loginState(gm.login_status);
    if (login === 'in') e.loggedIn++;
    else if (login !== 'out') e.loginUnknown++;
  }
  groupsCache.set(members, out);
  return out;
}

const sameStrings = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const NO_STRINGS: string[] = [];

/**
 * Build one {@link UserView} per user, in map order. A user record object is read once (label,
 * MWI are cached per record; the search keys are made on first search, {@link searchKeysOf}),
 * and the same view object is returned for an unchanged record with unchanged groups, so
 * memoized rows skip re-rendering.
 */
export function buildUserViews(m: Maps): UserView[] {
  const groupsOf = groupsByUser(m.group_member);
  const out: UserView[] = [];
  for (const u of m.user.values()) {
    const old = viewCache.get(u);
    const id = old?.id ?? String(u.id);
    const g = groupsOf.get(id);
    const groupIds = g?.ids ?? NO_STRINGS;
    const groupLabels = groupIds.map((gid) => {
      const grp = m.group.get(gid);
      return grp?.label || grp?.name || `#${gid}`;
    });
    const loggedInCount = g?.loggedIn ?? 0;
    const loginUnknownCount = g?.loginUnknown ?? 0;
    if (old && old.loggedInCount === loggedInCount && old.loginUnknownCount === loginUnknownCount && sameStrings(old.groupIds, groupIds) && sameStrings(old.groupLabels, groupLabels)) {
      out.push(old);
      continue;
    }
    const view: UserView = { ...userBase(u, old), groupIds, groupLabels, loggedInCount, loginUnknownCount };
    viewCache.set(u, view);
    out.push(view);
  }
  return out;
}

const asNumber = (n: string): string => callerNumber({ uuid: '', calling_number: n });

/**
 * The far party of a user's call, seen from the user's own leg `ch`:
 * - the user placed the call (own leg `direction` `inbound`: the call came into the PBX from the
 *   user's phone): the number dialled — `state.data.address` while calling a number, else the
 *   leg's `called_number`, else `other_info.address`, else the other leg's `called_number`. The
 *   other leg's caller name/number would be the user's own (the PBX presents the user as caller);
 * - the call was delivered to the user (own leg `outbound`, or no direction): the caller — the
 *   other leg's CRM name / name / number, else `other_info.address`, else the caller fields the
 *   PBX copies onto the user's leg.
 */
function farParty(ch: Channel, peerCh: Channel | undefined, unknownCaller: string): string {
  if (ch.direction === 'inbound') {
    const data = ch.state?.name === 'calling' ? ch.state.data : undefined;
    const dialled =
      (typeof data?.address === 'string' && data.address) || ch.called_number || ch.other_info?.address || peerCh?.called_number || '';
    return dialled ? asNumber(String(dialled)) : unknownCaller;
  }
  if (peerCh) return callerTitle(peerCh, unknownCaller);
  if (ch.other_info?.address) return asNumber(ch.other_info.address);
  return callerTitle(ch, '');
}

/** Per channel record: its UserCall for the peer record and label it was built with. */
const callCache = new WeakMap<Channel, { peer: Channel | undefined; unknownCaller: string; call: UserCall }>();
let lastCalls: { channels: Map<string, Channel>; unknownCaller: string; out: Map<string, UserCall> } | null = null;

function userCallOf(ch: Channel, channels: Map<string, Channel>, unknownCaller: string): UserCall {
  const peer = ch.other_uuid ? channels.get(String(ch.other_uuid)) : undefined;
  const hit = callCache.get(ch);
  if (hit && hit.peer === peer && hit.unknownCaller === unknownCaller) return hit.call;
  // The peer text (number formatting) only when something reads it: only the call cells of the
  // rows on screen do, out of ~1,000 users on a call (formatting them all at once was a 60 ms
  // task right after start-up).
  let text: string | undefined;
  const call: UserCall = {
    state: ch.state?.name ?? 'unknown',
    get peer() {
      return (text ??= farParty(ch, peer, unknownCaller));
    },
    uuid: String(ch.uuid),
  };
  callCache.set(ch, { peer, unknownCaller, call });
  return call;
}

/**
 * Per user id (string), the call the user is on: their own leg (`user_id`), preferring bridged,
 * then ringing, then parked/other; the peer is the far party ({@link farParty}): the number dialled
 * for a call the user placed, the caller for a call to the user.
 *
 * Cheap on a busy PBX: the far party (number formatting) is computed once per channel record and
 * peer record, and only when read (`peer` is a lazy getter), and when no user's call changed the previous map is returned (same identity), so
 * nothing downstream re-renders. Same `channels` map → the same result without any work.
 */
export function buildUserCalls(channels: Map<string, Channel>, unknownCaller: string): Map<string, UserCall> {
  if (lastCalls && lastCalls.channels === channels && lastCalls.unknownCaller === unknownCaller) return lastCalls.out;
  const best = new Map<string, Channel>();
  for (const ch of channels.values()) {
    if (ch.user_id === undefined || ch.user_id === null) continue;
    const key = String(ch.user_id);
    const prev = best.get(key);
    if (prev && (CALL_PRIORITY[prev.state?.name ?? 'unknown'] ?? 9) <= (CALL_PRIORITY[ch.state?.name ?? 'unknown'] ?? 9)) continue;
    best.set(key, ch);
  }
  const callOf = new Map<string, UserCall>();
  for (const [key, ch] of best) callOf.set(key, userCallOf(ch, channels, unknownCaller));
  let out = callOf;
  const prevOut = lastCalls?.unknownCaller === unknownCaller ? lastCalls.out : null;
  if (prevOut && prevOut.size === callOf.size) {
    let same = true;
    for (const [k, v] of callOf) {
      if (prevOut.get(k) !== v) {
        same = false;
        break;
      }
    }
    if (same) out = prevOut;
  }
  lastCalls = { channels, unknownCaller, out };
  return out;
}

// The type-ahead (search keys, readings, the shared ranking) lives in user-search.ts; re-exported
// here for the modules that import it with the row model.
export { filterUserViews, rankUserViews, searchKey, searchKeysOf, searchRank, userSearchKeys, type SearchKeys } from './user-search.ts';
