// Derived views of the console state (docs/console-store.md "Selectors"). Pure functions of the
// state, memoized on the identity of the maps they read: the same inputs give the SAME array, so
// they can be used directly with `useConsoleStore(selectX)` (see console-hooks.ts) and with the
// panels' `useDerived`. Each selector's `deps` lists the state keys it reads.
// Field meanings: PROTOCOL.md "Field translations", ARCHITECTURE.md "Conventions".

// Straight from the helpers module, not the library entry: the UI bundle must not carry the decoder.
import { parseMwi, type MwiCounts } from '../cti/parser/helpers.ts';
import type { Channel, Group, GroupMember, Terminal, User } from './cti-types.ts';
import type { ConsoleData } from './console-state.ts';

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

/** `{...rec, ...ch}` (a waiting/parked record merged with its channel), one object per (rec, ch) pair. */
const mergedCache = new WeakMap<object, { ch: Channel; merged: Channel }>();
function mergedWith(rec: Channel, ch: Channel | undefined): Channel {
  if (!ch) return rec;
  const hit = mergedCache.get(rec);
  if (hit && hit.ch === ch) return hit.merged;
  const merged = { ...rec, ...ch };
  mergedCache.set(rec, { ch, merged });
  return merged;
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

/** Per group id: logged-in member count, total, and whether any logged-in member is free. */
interface GroupStaffing {
  loggedIn: number;
  total: number;
  free: number;
}

/** A membership with what does not change with calls: resolved once per group_member/user change. */
interface MemberInfo {
  member: GroupMember;
  user: User | null;
  uid: number | null;
  loggedIn: boolean;
  /** logged in, not on DND, not offline: free unless on a call */
  available: boolean;
}

/** Memberships per group id, in priority then user-id order. */
const selectMembersByGroup = memo(['group_member', 'user'] as const, (s): Map<number, MemberInfo[]> => {
  const out = new Map<number, MemberInfo[]>();
  for (const m of s.group_member.values()) {
    const gid = num(m.group_id);
    if (gid === null) continue;
    const uid = num(m.user_id);
    const user = uid === null ? null : (s.user.get(String(uid)) ?? null);
    const loggedIn = m.login_status === 1;
    let l = out.get(gid);
    if (!l) out.set(gid, (l = []));
    l.push({ member: m, user, uid, loggedIn, available: loggedIn && uid !== null && user?.do_not_disturb_status !== 1 && user?.presence !== 3 });
  }
  for (const l of out.values()) l.sort((a, b) => (a.member.priority ?? 0) - (b.member.priority ?? 0) || (a.uid ?? 0) - (b.uid ?? 0));
  return out;
});

const selectStaffing = memo(['group_member', 'user', 'channel'] as const, (s): Map<number, GroupStaffing> => {
  const busy = selectCurrentCallByUser(s);
  const out = new Map<number, GroupStaffing>();
  for (const [gid, list] of selectMembersByGroup(s)) {
    let loggedIn = 0;
    let free = 0;
    for (const m of list) {
      if (m.loggedIn) loggedIn++;
      if (m.available && !busy.has(m.uid!)) free++;
    }
    out.set(gid, { loggedIn, total: list.length, free });
  }
  return out;
});

/** The uuids in the waiting maps (`channel_waiting`, legacy `queued_channel`). */
function waitingUuids(s: Pick<S, 'channel_waiting' | 'queued_channel'>): Set<string> {
  return new Set([...s.channel_waiting.keys(), ...s.queued_channel.keys()]);
}

/**
 * The callers whose call is ringing a phone right now: the `other_uuid` of every user's leg in
 * `calling` state (a group call rings each member through a leg of its own, linked to the caller's
 * channel by `other_uuid`).
 */
const selectRungCallers = memo(['channel'] as const, (s): Set<string> => {
  const out = new Set<string>();
  for (const ch of s.channel.values()) {
    if (ch.user_id == null || ch.other_uuid == null || ch.state?.name !== 'calling' || ch.last_event === 'CHANNEL_HANGUP') continue;
    out.add(String(ch.other_uuid));
  }
  return out;
});

/**
 * An inbound channel ringing a group in which nobody is free counts as queued, not ringing —
 * unless some member's phone is ringing for it: the members it rings count as busy (their leg is
 * a call), yet the call is ringing, not waiting.
 */
function ringsUnstaffedGroup(ch: Channel, staffing: Map<number, GroupStaffing>, rung: Set<string>): boolean {
  const gid = callingGroupId(ch);
  if (gid === null) return false;
  const st = staffing.get(gid);
  return st !== undefined && st.free === 0 && !rung.has(String(ch.uuid));
}

/**
 * A call ringing for the receptionist: the caller's leg (`direction` `inbound` as the PBX sees
 * it) in `calling` state whose target is a user or a group (`state.data.target_type`). An
 * employee dialling OUT is also an `inbound` leg in `calling`, but its target is `pstn` (or a
 * `bridged_endpoint`): not ringing anyone here, so not listed. Internal user→user / user→group
 * calls ring a user or group, so they are kept (the receptionist may pick them up or redirect).
 */
export const isRinging = (ch: Channel): boolean => {
  if (ch.direction !== 'inbound' || ch.state?.name !== 'calling' || ch.last_event === 'CHANNEL_HANGUP') return false;
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
  (ch.other_uuid == null || !channels.has(String(ch.other_uuid)));

/**
 * The channels that are {@link isRinging} or {@link isRingingLegWithoutCaller}: one scan of the
 * channel map per batch, shared by ringing and queues.
 */
const selectRingingCandidates = memo(['channel'] as const, (s): Channel[] => {
  const out: Channel[] = [];
  for (const ch of s.channel.values()) if (isRinging(ch) || isRingingLegWithoutCaller(ch, s.channel)) out.push(ch);
  return out;
});

// ---- ringing ----------------------------------------------------------------------------------

/**
 * Inbound channels in `calling` state ringing a user or group ({@link isRinging}: not a user's
 * own leg dialling out), oldest first (by state ts): the calls ringing now.
 * Not included: calls waiting in a queue (`channel_waiting`/`queued_channel`) and calls ringing a
 * group in which no logged-in member is free — those are in {@link selectQueues}.
 */
let lastRinging: Channel[] | null = null;
export const selectRingingCalls = memo(
  ['channel', 'channel_waiting', 'queued_channel', 'group_member', 'user'] as const,
  (s): Channel[] => {
    const waiting = waitingUuids(s);
    const staffing = selectStaffing(s);
    const rung = selectRungCallers(s);
    const out: Channel[] = [];
    for (const ch of selectRingingCandidates(s)) {
      if (waiting.has(String(ch.uuid)) || ringsUnstaffedGroup(ch, staffing, rung)) continue;
      out.push(ch);
    }
    out.sort((a, b) => (stateSinceUs(a) ?? Infinity) - (stateSinceUs(b) ?? Infinity) || String(a.uuid).localeCompare(String(b.uuid)));
    return (lastRinging = reuse(lastRinging, out));
  },
);

// ---- queues -----------------------------------------------------------------------------------

/** One caller waiting in a group's queue. */
export interface WaitingCaller {
  /** the caller's `channel` when known (richer), else the waiting record itself */
  channel: Channel;
  /** 1-based position in the queue, longest-waiting first */
  position: number;
  /** PBX µs since when the caller has waited (state ts of the waiting record), or null */
  sinceUs: number | null;
  /** where it came from */
  source: 'channel_waiting' | 'queued_channel' | 'unstaffed_group';
}

export interface QueueView {
  group: Group;
  waiting: WaitingCaller[];
  /** PBX µs of the longest wait's start, or null if nobody waits */
  longestWaitSinceUs: number | null;
  membersLoggedIn: number;
  membersTotal: number;
  /** logged-in members without a call and not on DND */
  membersFree: number;
}

function waitingGroupId(rec: Channel): number | null {
  return callingGroupId(rec) ?? num(rec.group_id) ?? (rec.target?.type === 'group' ? num(rec.target.id) : null);
}

/**
 * Per group (every known group, in id order): the callers waiting, in order (longest first,
 * position 1..n), from `channel_waiting`, legacy `queued_channel` (same uuid counted once) and
 * inbound channels ringing a group in which no logged-in member is free.
 */
let lastQueueViews = new Map<Group, QueueView>();
let lastQueues: QueueView[] | null = null;
export const selectQueues = memo(
  ['channel', 'channel_waiting', 'queued_channel', 'group', 'group_member', 'user'] as const,
  (s): QueueView[] => {
    const staffing = selectStaffing(s);
    const rung = selectRungCallers(s);
    const byGroup = new Map<number, Array<Omit<WaitingCaller, 'position'>>>();
    const seen = new Set<string>();
    const add = (gid: number | null, w: Omit<WaitingCaller, 'position'>) => {
      const uuid = String(w.channel.uuid);
      if (gid === null || seen.has(uuid)) return;
      seen.add(uuid);
      let list = byGroup.get(gid);
      if (!list) byGroup.set(gid, (list = []));
      list.push(w);
    };
    for (const [kind, map] of [['channel_waiting', s.channel_waiting], ['queued_channel', s.queued_channel]] as const) {
      for (const rec of map.values()) {
        const ch = s.channel.get(String(rec.uuid));
        const merged: Channel = mergedWith(rec as Channel, ch);
        add(waitingGroupId(rec as Channel) ?? (ch ? waitingGroupId(ch) : null), {
          channel: merged,
          sinceUs: usNum(rec.state?.ts) ?? (ch ? stateSinceUs(ch) : null),
          source: kind,
        });
      }
    }
    for (const ch of selectRingingCandidates(s)) {
      if (ringsUnstaffedGroup(ch, staffing, rung)) {
        add(callingGroupId(ch), { channel: ch, sinceUs: stateSinceUs(ch), source: 'unstaffed_group' });
      }
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
            };
      lastQueueViews.set(group, view);
      return view;
    });
    return (lastQueues = reuse(lastQueues, views));
  },
);

// ---- park -------------------------------------------------------------------------------------

/** A parked call in a slot. */
export interface ParkedCall {
  /** the parked channel (legacy: the parked_channel record, merged with its channel if known) */
  channel: Channel;
  /** PBX µs since when it is parked (state ts) */
  sinceUs: number | null;
  parkerId: number | null;
  parkerName: string | null;
}

export interface ParkSlotView {
  slot: number;
  call: ParkedCall | null;
}

/** Default park slots when the PBX sends no `domain` record (ARCHITECTURE.md conventions). */
export const DEFAULT_PARK_SLOTS = { start: 901, end: 910 } as const;

/**
 * The domain's park slots `park_slot_start..park_slot_end` (fallback 901–910), each with the
 * call parked there: channels in state `park` (data.slot) and legacy `parked_channel`s. A parked
 * call on a slot outside the range is appended, so it is never hidden.
 */
let lastParkSlots: ParkSlotView[] | null = null;
export const selectParkSlots = memo(['channel', 'parked_channel', 'domain'] as const, (s): ParkSlotView[] => {
  const dom = s.domain.values().next().value;
  let start = num(dom?.park_slot_start) ?? DEFAULT_PARK_SLOTS.start;
  let end = num(dom?.park_slot_end) ?? DEFAULT_PARK_SLOTS.end;
  if (end < start || end - start > 1000) ({ start, end } = DEFAULT_PARK_SLOTS);
  const bySlot = new Map<number, ParkedCall>();
  const put = (rec: Channel, merged: Channel) => {
    const st = rec.state;
    if (st?.name !== 'park') return;
    const slot = num(st.data?.slot);
    if (slot === null || bySlot.has(slot)) return;
    bySlot.set(slot, {
      channel: merged,
      sinceUs: usNum(st.ts),
      parkerId: num(st.data?.parker_id),
      parkerName: typeof st.data?.parker_name === 'string' ? st.data.parker_name : null,
    });
  };
  for (const ch of s.channel.values()) put(ch, ch);
  for (const rec of s.parked_channel.values()) {
    const ch = s.channel.get(String(rec.uuid));
    put(rec as Channel, mergedWith(rec as Channel, ch));
  }
  const prevBySlot = new Map((lastParkSlots ?? []).map((v) => [v.slot, v]));
  const view = (slot: number, call: ParkedCall | null): ParkSlotView => {
    const old = prevBySlot.get(slot);
    const same =
      old !== undefined &&
      (old.call === null
        ? call === null
        : call !== null &&
          old.call.channel === call.channel &&
          old.call.sinceUs === call.sinceUs &&
          old.call.parkerId === call.parkerId &&
          old.call.parkerName === call.parkerName);
    return same ? old! : { slot, call };
  };
  const out: ParkSlotView[] = [];
  for (let slot = start; slot <= end; slot++) out.push(view(slot, bySlot.get(slot) ?? null));
  for (const [slot, call] of [...bySlot].sort((a, b) => a[0] - b[0])) if (slot < start || slot > end) out.push(view(slot, call));
  return (lastParkSlots = reuse(lastParkSlots, out));
});

// ---- users and groups -------------------------------------------------------------------------

export interface UserRow {
  user: User;
  id: number;
  /** 0 available, 1 away, 2 busy, 3 offline; null if absent */
  presence: number | null;
  dnd: boolean;
  fwdAlways: boolean;
  /** the user's current call (see {@link selectCurrentCallByUser}), or null */
  currentCall: Channel | null;
  mwi: MwiCounts;
  /** groups the user is a member of, with the login status */
  groups: Array<{ group: Group | null; groupId: number; loggedIn: boolean; member: GroupMember }>;
  terminals: Terminal[];
  /** at least one terminal registered */
  registered: boolean;
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
      dnd: user.do_not_disturb_status === 1,
      fwdAlways: user.fwd_always_status === 1,
      currentCall,
      mwi: mwiOfRecord(user),
      groups: (membersByUser.get(id) ?? []).map((member) => {
        const groupId = num(member.group_id) ?? NaN;
        return { group: s.group.get(String(groupId)) ?? null, groupId, loggedIn: member.login_status === 1, member };
      }),
      terminals,
      registered: terminals.some((t) => t.registered === true),
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
  ['group', 'group_member', 'user', 'channel', 'channel_waiting', 'queued_channel'] as const,
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
