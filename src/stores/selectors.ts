// Derived views of the console state (docs/console-store.md "Selectors"). Pure functions of the
// state, memoized on the identity of the maps they read: the same inputs give the SAME array, so
// they can be used directly with `useConsoleStore(selectX)` (see console-hooks.ts) and with the
// panels' `useDerived`. Each selector's `deps` lists the state keys it reads.
// Field meanings: PROTOCOL.md "Field translations", ARCHITECTURE.md "Conventions".

// Straight from the helpers module, not the library entry: the UI bundle must not carry the decoder.
import { parseMwi, type MwiCounts } from '../cti/parser/helpers.ts';
import { isParkRingBack, parkSlotsOfGroup, PARK_SLOTS_SHARED } from '../cti/parser/classify.ts';
import type { Channel, Group, GroupMember, Terminal, User } from './cti-types.ts';
import type { ConsoleData } from './console-state.ts';
import { classifyCalls, type ParkedCall, type RingBack, type WaitingSource } from './call-classes.ts';
import { isLimitedView } from './pending-actions.ts';
import { flagState, loginState, memberAvailability, registeredState, type FlagState, type LoginState } from './value-codes.ts';

type S = Pick<ConsoleData, keyof ConsoleData>;

const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const usNum = (v: unknown): number | null => {
  const n = num(v);
  return n !== null && n > 0 ? n : null;
};

/**
 * Memoizes `fn` on the identity of the listed state keys (one cache entry: the store is single).
 * @returns a selector with a `deps` property listing the keys
 */
function memo<K extends keyof S, R>(deps: readonly K[], fn: (s: Pick<S, K>) => R): ((s: Pick<S, K>) => R) & { deps: readonly K[] } {
  let lastInputs: unknown[] | null = null;
  let lastOut: R;
  const sel = (s: Pick<S, K>): R => {
    const inputs = deps.map((k) => s[k]);
    if (lastInputs !== null && inputs.every((v, i) => v === lastInputs![i])) return lastOut;
    lastOut = fn(s);
    lastInputs = inputs;
    return lastOut;
  };
  return Object.assign(sel, { deps });
}

/**
 * Structural sharing: `prev` when `next` holds the same elements (by identity) in the same order,
 * else `next`. Lets a selector whose input map changed (any channel event) keep its output's
 * identity when the part it shows did not change, so the panel reading it does not re-render.
 */
function reuse<T>(prev: readonly T[] | null, next: T[]): T[] {
  if (prev === null || prev.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) if (prev[i] !== next[i]) return next;
  return prev as T[];
}

/** `parseMwi` once per record object (a user's MWI is read for every row rebuild otherwise). */
const mwiCache = new WeakMap<object, MwiCounts>();
function mwiOfRecord(rec: { mwi?: unknown }): MwiCounts {
  let c = mwiCache.get(rec);
  if (!c) {
    c = parseMwi(rec.mwi);
    mwiCache.set(rec, c);
  }
  return c;
}

// ---- building blocks --------------------------------------------------------------------------

/** µs since the channel entered its current state (falls back to offer time), or null. */
export function stateSinceUs(ch: Channel): number | null {
  return usNum(ch.state?.ts) ?? usNum(ch.offer_timestamp);
}

/** The group a channel is calling (state `calling` with target_type `group`), or null. */
export function callingGroupId(ch: Channel): number | null {
  const st = ch.state;
  if (st?.name !== 'calling' || st.data?.target_type !== 'group') return null;
  return num(st.data.group_id);
}

/** A call is "current" for a user while it exists and is not hung up. */
const userCallRank = (ch: Channel): number =>
  ch.state?.name === 'bridged' ? 0 : ch.state?.name === 'calling' ? 1 : 2;

/**
 * Per user id, the call that user is on: the user's own leg (`user_id`), preferring a bridged
 * one, then a ringing one, then any other state (voicemail check, conference…).
 */
export const selectCurrentCallByUser = memo(['channel'] as const, (s): Map<number, Channel> => {
  const out = new Map<number, Channel>();
  for (const ch of s.channel.values()) {
    const uid = num(ch.user_id);
    if (uid === null || ch.last_event === 'CHANNEL_HANGUP') continue;
    const prev = out.get(uid);
    if (!prev || userCallRank(ch) < userCallRank(prev)) out.set(uid, ch);
  }
  return out;
});

/** Per group id: member counts by what the value codes tell (src/stores/value-codes.ts). */
interface GroupStaffing {
  /** login_status 1 */
  loggedIn: number;
  /** login_status outside our mapping (neither in nor out) */
  loginUnknown: number;
  total: number;
  /** available (logged in, not DND, not offline) and not on a call */
  free: number;
  /** availability unknown (a code outside our mapping) and not on a call */
  unknown: number;
}

/** A membership with what does not change with calls: resolved once per group_member/user change. */
interface MemberInfo {
  member: GroupMember;
  user: User | null;
  uid: number | null;
  loggedIn: boolean;
  login: LoginState;
  /** can take a call unless on one: yes / no / unknown (a code outside our mapping) */
  available: 'yes' | 'no' | 'unknown';
}

/** Memberships per group id, in priority then user-id order. */
const selectMembersByGroup = memo(['group_member', 'user'] as const, (s): Map<number, MemberInfo[]> => {
  const out = new Map<number, MemberInfo[]>();
  for (const m of s.group_member.values()) {
    const gid = num(m.group_id);
    if (gid === null) continue;
    const uid = num(m.user_id);
    const user = uid === null ? null : (s.user.get(String(uid)) ?? null);
    const login = loginState(m.login_status);
    let l = out.get(gid);
    if (!l) out.set(gid, (l = []));
    l.push({
      member: m,
      user,
      uid,
      loggedIn: login === 'in',
      login,
      available: uid === null ? 'no' : memberAvailability(m.login_status, user?.do_not_disturb_status, user?.presence),
    });
  }
  for (const l of out.values()) l.sort((a, b) => (a.member.priority ?? 0) - (b.member.priority ?? 0) || (a.uid ?? 0) - (b.uid ?? 0));
  return out;
});

const selectStaffing = memo(['group_member', 'user', 'channel'] as const, (s): Map<number, GroupStaffing> => {
  const busy = selectCurrentCallByUser(s);
  const out = new Map<number, GroupStaffing>();
  for (const [gid, list] of selectMembersByGroup(s)) {
    let loggedIn = 0;
    let loginUnknown = 0;
    let free = 0;
    let unknown = 0;
    for (const m of list) {
      if (m.login === 'in') loggedIn++;
      else if (m.login === 'unknown' || m.login === 'absent') loginUnknown++;
      if (m.uid !== null && busy.has(m.uid)) continue;
      if (m.available === 'yes') free++;
      else if (m.available === 'unknown') unknown++;
    }
    out.set(gid, { loggedIn, loginUnknown, total: list.length, free, unknown });
  }
  return out;
});

/**
 * A call ringing for the receptionist: the caller's leg (`direction` `inbound` as the PBX sees
 * it) in `calling` state whose target is a user or a group (`state.data.target_type`). An
 * employee dialling OUT is also an `inbound` leg in `calling`, but its target is `pstn` (or a
 * `bridged_endpoint`): not ringing anyone here, so not listed. Internal user→user / user→group
 * calls ring a user or group, so they are kept (the receptionist may pick them up or redirect).
 * A parked call ringing back ({@link isParkRingBack}) is not one: it is listed as a ring-back.
 */
export const isRinging = (ch: Channel): boolean => {
  if (ch.direction !== 'inbound' || ch.state?.name !== 'calling' || ch.last_event === 'CHANNEL_HANGUP' || isParkRingBack(ch)) return false;
  const t = ch.state.data?.target_type;
  return t === 'user' || t === 'group';
};

/**
 * A user's phone ringing — the leg the PBX made to it (`direction` `outbound`, `calling`, target
 * `user`) — for a caller whose own leg is not in `channels`. A plain user's login (no
 * `full_events`) gets only its own legs, never the caller's, so without this its own ringing phone
 * would never show; with every channel (an operator) the caller's leg is there and is listed instead.
 */
export const isRingingLegWithoutCaller = (ch: Channel, channels: ReadonlyMap<string, Channel>): boolean =>
  ch.direction === 'outbound' &&
  ch.state?.name === 'calling' &&
  ch.last_event !== 'CHANNEL_HANGUP' &&
  ch.user_id != null &&
  ch.state.data?.target_type === 'user' &&
  !isParkRingBack(ch) &&
  (ch.other_uuid == null || !channels.has(String(ch.other_uuid)));

/** The channels that are {@link isRinging} or {@link isRingingLegWithoutCaller}: one scan of the channel map per change. */
const selectRingingCandidates = memo(['channel'] as const, (s): Channel[] => {
  const out: Channel[] = [];
  for (const ch of s.channel.values()) if (isRinging(ch) || isRingingLegWithoutCaller(ch, s.channel)) out.push(ch);
  return out;
});

const CALL_KEYS = ['channel', 'channel_waiting', 'queued_channel', 'parked_channel', 'kindsSent'] as const;

// ---- ringing ----------------------------------------------------------------------------------

/**
 * The calls ringing now, oldest first (by state ts): inbound channels in `calling` state ringing
 * a user or group ({@link isRinging}: not a user's own leg dialling out), and parked calls ringing
 * back (`RINGING_PARK`, whose call is no longer in a slot: listed as the caller's channel; tell
 * them apart with {@link selectRingBacks}). Not included: parked calls and callers waiting in a queue
 * (call-classes.ts {@link classifyCalls}) — those are in {@link selectParkSlots} / {@link selectQueues}.
 * A hunt-group call is a ringing call (a hunt group has no queue; ours, docs/console-store.md).
 */
let lastRinging: Channel[] | null = null;
export const selectRingingCalls = memo(CALL_KEYS, (s): Channel[] => {
  const c = classifyCalls(s);
  const out: Channel[] = [];
  for (const ch of selectRingingCandidates(s)) {
    const uuid = String(ch.uuid);
    if (c.parkedUuids.has(uuid) || c.queued.has(uuid) || c.ringBacks.has(uuid)) continue;
    const other = ch.other_uuid == null ? null : String(ch.other_uuid);
    // a user's leg ringing for a caller who is parked or queued (limited view): shown there
    if (ch.direction === 'outbound' && other !== null && (c.parkedUuids.has(other) || c.queued.has(other))) continue;
    out.push(ch);
  }
  for (const rb of c.ringBacks.values()) out.push(rb.channel);
  out.sort((a, b) => (stateSinceUs(a) ?? Infinity) - (stateSinceUs(b) ?? Infinity) || String(a.uuid).localeCompare(String(b.uuid)));
  return (lastRinging = reuse(lastRinging, out));
});

/**
 * The park ring-backs among the ringing calls, keyed by the uuid of the channel listed (the
 * caller's), with the slot and the user rung (call-classes.ts `RingBack`). The same Map while the
 * channel maps are unchanged: select it whole, then `.get(uuid)`.
 */
export const selectRingBacks = (s: Pick<S, (typeof CALL_KEYS)[number]>): ReadonlyMap<string, RingBack> => classifyCalls(s).ringBacks;

// ---- queues -----------------------------------------------------------------------------------

/** One caller waiting in a group's queue. */
export interface WaitingCaller {
  /** the caller's `channel` merged with its waiting record when both are known (richer) */
  channel: Channel;
  /** 1-based position in the queue, longest-waiting first */
  position: number;
  /** PBX µs since when the caller has waited (state ts of the waiting record), or null */
  sinceUs: number | null;
  /** where it was learnt from: a waiting record's map, or `channel` (a PBX that sends none) */
  source: WaitingSource;
}

export interface QueueView {
  group: Group;
  waiting: WaitingCaller[];
  /** PBX µs of the longest wait's start, or null if nobody waits */
  longestWaitSinceUs: number | null;
  membersLoggedIn: number;
  membersTotal: number;
  /** logged-in members without a call, not on DND, not offline (value codes: ours) */
  membersFree: number;
  /** members without a call whose availability is unknown (a value code outside our mapping) */
  membersUnknown: number;
}

/**
 * Per group (every known group, in id order): the callers waiting, in order (longest first,
 * position 1..n), as {@link classifyCalls} finds them (waiting records classified by state, or
 * channels alone when the PBX sends no waiting records; one entry per call).
 */
let lastQueueViews = new Map<Group, QueueView>();
let lastQueues: QueueView[] | null = null;
export const selectQueues = memo([...CALL_KEYS, 'group', 'group_member', 'user'] as const, (s): QueueView[] => {
  const staffing = selectStaffing(s);
  const byGroup = new Map<number, Array<Omit<WaitingCaller, 'position'>>>();
  for (const q of classifyCalls(s).queued.values()) {
    let list = byGroup.get(q.groupId);
    if (!list) byGroup.set(q.groupId, (list = []));
    list.push({ channel: q.channel, sinceUs: q.sinceUs, source: q.source });
  }
  const groups = [...s.group.values()].sort((a, b) => (num(a.id) ?? 0) - (num(b.id) ?? 0));
  const prevByGroup = lastQueueViews;
  lastQueueViews = new Map();
  const views = groups.map((group): QueueView => {
    const gid = num(group.id) ?? NaN;
    const list = (byGroup.get(gid) ?? [])
      .slice()
      .sort((a, b) => (a.sinceUs ?? Infinity) - (b.sinceUs ?? Infinity) || String(a.channel.uuid).localeCompare(String(b.channel.uuid)));
    const st = staffing.get(gid);
    const old = prevByGroup.get(group);
    const view: QueueView =
      old &&
      old.membersLoggedIn === (st?.loggedIn ?? 0) &&
      old.membersTotal === (st?.total ?? 0) &&
      old.membersFree === (st?.free ?? 0) &&
      old.membersUnknown === (st?.unknown ?? 0) &&
      old.waiting.length === list.length &&
      list.every((w, i) => old.waiting[i].channel === w.channel && old.waiting[i].sinceUs === w.sinceUs && old.waiting[i].source === w.source)
        ? old
        : {
            group,
            waiting: list.map((w, i) => ({ ...w, position: i + 1 })),
            longestWaitSinceUs: list.length > 0 ? list[0].sinceUs : null,
            membersLoggedIn: st?.loggedIn ?? 0,
            membersTotal: st?.total ?? 0,
            membersFree: st?.free ?? 0,
            membersUnknown: st?.unknown ?? 0,
          };
    lastQueueViews.set(group, view);
    return view;
  });
  return (lastQueues = reuse(lastQueues, views));
});

// ---- park -------------------------------------------------------------------------------------

export type { ParkedCall, RingBack } from './call-classes.ts';

export interface ParkSlotView {
  slot: number;
  call: ParkedCall | null;
}

/** Which free park slots the operator works with (settings `parkGroups`, `myUserId`). */
export interface ParkSlotConfig {
  /**
   * `auto`: the operator's own user's `park_group` (the session's user, else `myUserId`), or group 0
   * when unknown; else these park groups. 997–999 are always shown.
   */
  parkGroups: 'auto' | readonly number[];
  /** the operator's own user id from settings, used when the session does not tell it */
  myUserId: number | null;
}

export const DEFAULT_PARK_CONFIG: ParkSlotConfig = Object.freeze({ parkGroups: 'auto', myUserId: null });

/** The operator's own user id: the session's (the PBX's optional session endpoint), else the setting. */
export function ownUserId(s: Pick<S, 'session'>, cfg: Pick<ParkSlotConfig, 'myUserId'>): number | null {
  return num(s.session?.userId) ?? cfg.myUserId ?? null;
}

/** The park groups whose free slots are shown ({@link ParkSlotConfig}). */
export function parkGroupsShown(s: Pick<S, 'session' | 'user'>, cfg: ParkSlotConfig): number[] {
  if (cfg.parkGroups !== 'auto') return [...new Set(cfg.parkGroups)].filter((g) => parkSlotsOfGroup(g).length > 0).sort((a, b) => a - b);
  const me = ownUserId(s, cfg);
  const g = me === null ? null : num(s.user.get(String(me))?.park_group);
  return [g !== null && parkSlotsOfGroup(g).length > 0 ? g : 0];
}

/**
 * The slot numbers shown even when free: the slots of {@link parkGroupsShown}, 997–999, and — an
 * optional extra a PBX may send, not a documented field — the `domain` record's
 * `park_slot_start..park_slot_end` when present and sane (at most 99 slots). Ascending.
 */
export function freeSlotsShown(s: Pick<S, 'session' | 'user' | 'domain'>, cfg: ParkSlotConfig): number[] {
  const out = new Set<number>();
  for (const g of parkGroupsShown(s, cfg)) for (const n of parkSlotsOfGroup(g)) out.add(n);
  for (const n of PARK_SLOTS_SHARED) out.add(n);
  const dom = s.domain.values().next().value;
  const start = num(dom?.park_slot_start);
  const end = num(dom?.park_slot_end);
  if (start !== null && end !== null && Number.isInteger(start) && Number.isInteger(end) && start > 0 && end >= start && end - start < 99) {
    for (let n = start; n <= end; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

let lastPark: { inputs: unknown[]; out: ParkSlotView[] } | null = null;
let lastParkSlots: ParkSlotView[] | null = null;

/**
 * The park slots to show, ascending: every occupied slot whatever its number (a call parked in
 * any slot — a `channel`, `channel_waiting` or legacy `parked_channel` in state `park` — is never
 * hidden), and the free slots the operator works with ({@link freeSlotsShown}: 901–996 three per
 * `park_group` from `901 + park_group × 3`, and 997–999; PROTOCOL.md Corrections). Memoized on the
 * maps it reads and the config's values; a slot view object is kept while its call is unchanged.
 */
export function selectParkSlots(
  s: Pick<S, (typeof CALL_KEYS)[number] | 'domain' | 'user' | 'session'>,
  cfg: ParkSlotConfig = DEFAULT_PARK_CONFIG,
): ParkSlotView[] {
  const classes = classifyCalls(s);
  const free = freeSlotsShown(s, cfg);
  const freeKey = free.join(',');
  const inputs = [classes, freeKey];
  if (lastPark && inputs.every((v, i) => v === lastPark!.inputs[i])) return lastPark.out;
  const slots = new Set<number>(free);
  for (const n of classes.bySlot.keys()) slots.add(n);
  const prevBySlot = new Map((lastParkSlots ?? []).map((v) => [v.slot, v]));
  const out = [...slots]
    .sort((a, b) => a - b)
    .map((slot): ParkSlotView => {
      const call = classes.bySlot.get(slot) ?? null;
      const old = prevBySlot.get(slot);
      const same =
        old !== undefined &&
        (old.call === null
          ? call === null
          : call !== null &&
            old.call.channel === call.channel &&
            old.call.sinceUs === call.sinceUs &&
            old.call.parkerId === call.parkerId &&
            old.call.parkerName === call.parkerName &&
            old.call.ringingBack === call.ringingBack);
      return same ? old! : { slot, call };
    });
  lastParkSlots = reuse(lastParkSlots, out);
  lastPark = { inputs, out: lastParkSlots };
  return lastParkSlots;
}

/**
 * Whether this connection sees only part of the PBX's calls: the session says the login is not
 * an admin (`session.isAdmin === false`), or the connection found so from what the PBX delivered
 * (the store's optional `limitedView` flag, set by the connection code). Then an action's effect
 * may be invisible (pending-actions.ts: "sent, not confirmed") and empty call panels incomplete.
 */
export const selectLimitedView = (s: Pick<S, 'session' | 'limitedView'>): boolean => isLimitedView(s);

// ---- users and groups -------------------------------------------------------------------------

export interface UserRow {
  user: User;
  id: number;
  /** the raw `presence` code, null if absent (meaning: value-codes.ts `presenceState`, ours) */
  presence: number | null;
  /** DND known on (`do_not_disturb_status` 1); see `dndState` for unknown codes */
  dnd: boolean;
  dndState: FlagState;
  /** forwarding known on (`fwd_always_status` 1); see `fwdState` */
  fwdAlways: boolean;
  fwdState: FlagState;
  /** the user's current call (see {@link selectCurrentCallByUser}), or null */
  currentCall: Channel | null;
  mwi: MwiCounts;
  /** groups the user is a member of, with the login status */
  groups: Array<{ group: Group | null; groupId: number; loggedIn: boolean; login: LoginState; member: GroupMember }>;
  terminals: Terminal[];
  /** at least one terminal known registered */
  registered: boolean;
  /** no terminal known registered, and some terminal's `registered` is a value outside true/false/1/0 */
  registeredUnknown: boolean;
}

/** Row cache of {@link selectUserRows}: rows whose inputs did not change are reused. */
let userRowCache: {
  user: unknown;
  group: unknown;
  groupMember: unknown;
  terminal: unknown;
  calls: Map<number, Channel>;
  /** by user id; owned by the cache (mutated in place) */
  rows: Map<number, UserRow>;
  order: UserRow[];
} | null = null;

/**
 * Per user (id order): presence, DND, forwarding, current call, MWI, groups, terminals.
 * Row objects are reused while their inputs are unchanged (row components can be `memo`ized on
 * `row`). When only channels changed — the common case, many times a second on a busy PBX —
 * only the rows of users whose current call changed are rebuilt: O(channels), not O(users).
 */
export const selectUserRows = memo(['user', 'group', 'group_member', 'terminal', 'channel'] as const, (s): UserRow[] => {
  const calls = selectCurrentCallByUser(s);
  const prev = userRowCache;
  let membersByUser: Map<number, GroupMember[]> | null = null;
  let termsByUser: Map<number, Terminal[]> | null = null;
  const build = (user: User, id: number, currentCall: Channel | null): UserRow => {
    if (!membersByUser || !termsByUser) {
      membersByUser = new Map();
      for (const m of s.group_member.values()) {
        const uid = num(m.user_id);
        if (uid === null) continue;
        let l = membersByUser.get(uid);
        if (!l) membersByUser.set(uid, (l = []));
        l.push(m);
      }
      termsByUser = new Map();
      for (const t of s.terminal.values()) {
        const uid = num(t.assoc_user_id);
        if (uid === null) continue;
        let l = termsByUser.get(uid);
        if (!l) termsByUser.set(uid, (l = []));
        l.push(t);
      }
    }
    const terminals = termsByUser.get(id) ?? [];
    return {
      user,
      id,
      presence: num(user.presence),
      dnd: flagState(user.do_not_disturb_status) === 'on',
      dndState: flagState(user.do_not_disturb_status),
      fwdAlways: flagState(user.fwd_always_status) === 'on',
      fwdState: flagState(user.fwd_always_status),
      currentCall,
      mwi: mwiOfRecord(user),
      groups: (membersByUser.get(id) ?? []).map((member) => {
        const groupId = num(member.group_id) ?? NaN;
        const login = loginState(member.login_status);
        return { group: s.group.get(String(groupId)) ?? null, groupId, loggedIn: login === 'in', login, member };
      }),
      terminals,
      registered: terminals.some((t) => registeredState(t.registered) === 'yes'),
      registeredUnknown: !terminals.some((t) => registeredState(t.registered) === 'yes') && terminals.some((t) => registeredState(t.registered) === 'unknown'),
    };
  };
  const structureSame = prev !== null && prev.group === s.group && prev.groupMember === s.group_member && prev.terminal === s.terminal;

  if (structureSame && prev.user === s.user) {
    // Only channels changed: rebuild the rows of users whose current call is another object.
    const changedIds = new Set<number>();
    for (const [uid, ch] of calls) if (prev.calls.get(uid) !== ch) changedIds.add(uid);
    for (const uid of prev.calls.keys()) if (!calls.has(uid)) changedIds.add(uid);
    let order = prev.order;
    if (changedIds.size > 0) {
      order = prev.order.map((row) => {
        if (!changedIds.has(row.id)) return row;
        const fresh = build(row.user, row.id, calls.get(row.id) ?? null);
        prev.rows.set(row.id, fresh);
        return fresh;
      });
    }
    userRowCache = { ...prev, calls, order };
    return order;
  }

  const rows = new Map<number, UserRow>();
  let changed = !structureSame || prev === null || prev.rows.size !== s.user.size;
  for (const user of s.user.values()) {
    const id = num(user.id) ?? NaN;
    const currentCall = calls.get(id) ?? null;
    const old = structureSame ? prev!.rows.get(id) : undefined;
    if (old && old.user === user && old.currentCall === currentCall) {
      rows.set(id, old);
      continue;
    }
    changed = true;
    rows.set(id, build(user, id, currentCall));
  }
  const order = !changed && prev ? prev.order : [...rows.values()].sort((a, b) => a.id - b.id);
  userRowCache = { user: s.user, group: s.group, groupMember: s.group_member, terminal: s.terminal, calls, rows, order };
  return order;
});

export interface GroupRow {
  group: Group;
  id: number;
  /** 0 ring, 1 hunt */
  type: number | null;
  mwi: MwiCounts;
  members: Array<{ member: GroupMember; user: User | null; loggedIn: boolean; busy: boolean }>;
  membersLoggedIn: number;
  /** members whose `login_status` is absent or outside our mapping: "none logged in" is unknown while > 0 */
  membersLoginUnknown: number;
  membersTotal: number;
  membersFree: number;
  /** callers waiting (same count as the group's {@link QueueView}) */
  waitingCount: number;
}

/** Per group (id order): members with login and busy status, MWI, waiting count. */
let groupRowCache = new Map<number, GroupRow>();
let lastGroupRows: GroupRow[] | null = null;

/**
 * Per group (id order): members with login and busy status, MWI, waiting count. A row object is
 * reused while its group, memberships, members' busy flags and counts are unchanged.
 */
export const selectGroupRows = memo(
  ['group', 'group_member', 'user', ...CALL_KEYS] as const,
  (s): GroupRow[] => {
    const calls = selectCurrentCallByUser(s);
    const staffing = selectStaffing(s);
    const membersByGroup = selectMembersByGroup(s);
    const queues = new Map(selectQueues(s).map((q) => [num(q.group.id), q.waiting.length]));
    const next = new Map<number, GroupRow>();
    const rows = [...s.group.values()].map((group): GroupRow => {
      const id = num(group.id) ?? NaN;
      const st = staffing.get(id);
      const list = membersByGroup.get(id) ?? [];
      const old = groupRowCache.get(id);
      const waitingCount = queues.get(id) ?? 0;
      const same =
        old !== undefined &&
        old.group === group &&
        old.members.length === list.length &&
        old.waitingCount === waitingCount &&
        old.membersFree === (st?.free ?? 0) &&
        old.membersLoggedIn === (st?.loggedIn ?? 0) &&
        old.membersLoginUnknown === (st?.loginUnknown ?? 0) &&
        list.every((m, i) => old.members[i].member === m.member && old.members[i].user === m.user && old.members[i].busy === (m.uid !== null && calls.has(m.uid)));
      const row: GroupRow = same
        ? old!
        : {
            group,
            id,
            type: num(group.type),
            mwi: mwiOfRecord(group),
            members: list.map((m) => ({ member: m.member, user: m.user, loggedIn: m.loggedIn, busy: m.uid !== null && calls.has(m.uid) })),
            membersLoggedIn: st?.loggedIn ?? 0,
            membersLoginUnknown: st?.loginUnknown ?? 0,
            membersTotal: st?.total ?? 0,
            membersFree: st?.free ?? 0,
            waitingCount,
          };
      next.set(id, row);
      return row;
    });
    groupRowCache = next;
    return (lastGroupRows = reuse(lastGroupRows, rows.sort((a, b) => a.id - b.id)));
  },
);

/** Whether the call-related panels must be shown as stale (not live). */
export const selectIsStale = (s: Pick<S, 'connection'>): boolean => s.connection.status !== 'live';

/** Pending (unsettled) actions for a uuid — e.g. to disable its buttons while one is in flight. */
export function pendingFor(s: Pick<S, 'pendingActions'>, uuid: string): boolean {
  return s.pendingActions.some((a) => a.status === 'pending' && (a.uuid === uuid || a.relatedUuids.includes(uuid)));
}
