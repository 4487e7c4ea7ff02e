// Tracking of commands sent to the PBX (PROTOCOL.md "Commands": "Do not depend on any reply to a
// command: its effect shows in the events that follow"): each stays pending until the events that
// follow show its effect, and fails if nothing shows within ACTION_TIMEOUT_MS — or, when this
// connection cannot see the effect (a limited view), ends "sent, not confirmed" (`unconfirmed`).
// A `{msg, Text}` is a message from a person: it fails an action only when it is an error reply
// naming the action's call by uuid (our simulator answers so; a real PBX may answer nothing).
// Pure functions of the state; the store calls them after each batch and on a timer.
// The worker checks every record it receives for the same effects before coalescing (coalesce.ts
// ActionWatcher, with {@link recordShowsEffect}): a state that passed within one held batch
// confirms the command too ({@link markWitnessed}).

import type { Channel } from './cti-types.ts';
import {
  ACTION_TIMEOUT_MS,
  CHANNEL_LIKE_KINDS,
  SETTLED_ACTION_TTL_MS,
  type CtiCommand,
  type ElementsSlice,
  type PendingAction,
} from './console-state.ts';

const CHANNEL_LIKE_SET: ReadonlySet<string> = new Set(CHANNEL_LIKE_KINDS);

type ChannelMaps = Pick<ElementsSlice, 'channel' | 'channel_waiting' | 'queued_channel' | 'parked_channel'>;

/**
 * What tells whether this connection sees every call: `session.isAdmin === false` (a plain
 * user's login) or the store's `limitedView` flag (set by the connection code from what the PBX
 * delivered) make it limited (selectors.ts `selectLimitedView`, the same rule).
 */
export interface ViewInfo {
  session?: { isAdmin?: boolean } | null;
  limitedView?: unknown;
}

/** The limited-view rule, in one place (selectors.ts `selectLimitedView` is this). */
export const isLimitedView = (v: ViewInfo): boolean => v.session?.isAdmin === false || v.limitedView === true;

const num = (v: unknown): number | null => {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'bigint' ? Number(v) : Number(v);
  return Number.isFinite(n) ? n : null;
};

/**
 * The uuids of a call's legs as far as the maps show: the named channel, its `other_uuid`, and
 * every channel whose `other_uuid` is the named one. Park and transfer act on the whole call, so
 * the effect may show on any of them.
 */
export function relatedUuidsOf(uuid: string, maps: Pick<ElementsSlice, 'channel'>): string[] {
  const out = new Set<string>([uuid]);
  const own = maps.channel.get(uuid);
  if (own?.other_uuid) out.add(String(own.other_uuid));
  for (const c of maps.channel.values()) {
    if (c.other_uuid !== undefined && String(c.other_uuid) === uuid) out.add(String(c.uuid));
  }
  return [...out];
}

/**
 * A new pending action for `command`, sent at browser time `nowMs`.
 * @param id unique id (the worker reports send failures by it)
 */
export function newPendingAction(id: string, command: CtiCommand, maps: Pick<ElementsSlice, 'channel'> & Partial<ChannelMaps>, nowMs: number): PendingAction {
  const u = command.uuid;
  return {
    knownAtSend:
      maps.channel.has(u) || !!maps.channel_waiting?.has(u) || !!maps.queued_channel?.has(u) || !!maps.parked_channel?.has(u),
    id,
    kind: command.cmd,
    command,
    uuid: command.uuid,
    relatedUuids: relatedUuidsOf(command.uuid, maps),
    targetUserId: command.cmd === 'transfer' ? num(command.user_id) : null,
    sentAtMs: nowMs,
    deadlineAtMs: nowMs + ACTION_TIMEOUT_MS,
    status: 'pending',
    message: null,
    failure: null,
    settledAtMs: null,
  };
}

/**
 * What shows an action's effect, as far as one record can tell: sent to the worker with the
 * command (docs/console-data.md "Coalescing"), which checks every record it receives after
 * sending, before coalescing can merge a passing state away.
 */
export interface ActionExpectation {
  kind: PendingAction['kind'];
  uuid: string;
  relatedUuids: string[];
  targetUserId: number | null;
  /** eavesdrop: the channel listened to */
  targetUuid: string | null;
}

/** The expectation of a pending action (what the worker watches for). */
export function expectationOf(a: PendingAction): ActionExpectation {
  const t = (a.command as { target_uuid?: unknown }).target_uuid;
  return {
    kind: a.kind,
    uuid: a.uuid,
    relatedUuids: a.relatedUuids,
    targetUserId: a.targetUserId,
    targetUuid: t === undefined || t === null ? null : String(t),
  };
}

const isHangupRecord = (rec: Channel): boolean => rec.last_event === 'CHANNEL_HANGUP';

/**
 * Does this one record (of element kind `element`, arriving with `event`) show the effect of the
 * action? The per-record half of the rules (the other half, "the uuid is gone from every map",
 * needs the maps):
 * - hangup: a channel-like record of the named uuid with `last_event` `CHANNEL_HANGUP`;
 * - park: a leg of the call (`relatedUuids`) as a `channel` or `channel_waiting` in state `park`
 *   (PROTOCOL.md Corrections: newer servers send parked calls as `channel_waiting`), or a legacy
 *   `parked_channel` of it being added/updated;
 * - transfer: a `channel` that is a leg of the call or points at one (`other_uuid`) and rings the
 *   target user, is that user's leg (calling/bridged), or is bridged to them;
 * - eavesdrop: a `channel` in state `eavesdrop` on `targetUuid`.
 * A `removed` or hung-up record shows nothing but a hang-up.
 */
export function recordShowsEffect(x: ActionExpectation, element: string, rec: Channel, event: string = 'updated'): boolean {
  if (rec === null || typeof rec !== 'object') return false;
  const uuid = rec.uuid === undefined || rec.uuid === null ? '' : String(rec.uuid);
  if (x.kind === 'hangup') return isHangupRecord(rec) && uuid === x.uuid && CHANNEL_LIKE_SET.has(element);
  if (event === 'removed' || isHangupRecord(rec)) return false;
  switch (x.kind) {
    case 'park':
      if (!x.relatedUuids.includes(uuid)) return false;
      return element === 'parked_channel' || ((element === 'channel' || element === 'channel_waiting') && rec.state?.name === 'park');
    case 'transfer': {
      if (element !== 'channel' || x.targetUserId === null) return false;
      const touches = x.relatedUuids.includes(uuid) || (rec.other_uuid !== undefined && rec.other_uuid !== null && x.relatedUuids.includes(String(rec.other_uuid)));
      return touches && callsOrBridgesUser(rec, x.targetUserId);
    }
    case 'eavesdrop':
      return (
        element === 'channel' &&
        rec.state?.name === 'eavesdrop' &&
        rec.state.data?.uuid !== undefined &&
        x.targetUuid !== null &&
        String(rec.state.data.uuid) === x.targetUuid
      );
    default:
      return false;
  }
}

function isDone(a: PendingAction, maps: ChannelMaps): boolean {
  switch (a.kind) {
    case 'hangup':
      // the named channel, known when the command was sent, is gone from every channel-like map
      return a.knownAtSend && !maps.channel.has(a.uuid) && !maps.channel_waiting.has(a.uuid) && !maps.queued_channel.has(a.uuid) && !maps.parked_channel.has(a.uuid);
    case 'park': {
      const x = expectationOf(a);
      for (const u of a.relatedUuids) {
        const c = maps.channel.get(u);
        if (c && recordShowsEffect(x, 'channel', c)) return true;
        const w = maps.channel_waiting.get(u);
        if (w && recordShowsEffect(x, 'channel_waiting', w)) return true;
        const p = maps.parked_channel.get(u);
        if (p && recordShowsEffect(x, 'parked_channel', p as Channel)) return true;
      }
      return false;
    }
    case 'transfer':
    case 'eavesdrop': {
      const x = expectationOf(a);
      for (const c of maps.channel.values()) if (recordShowsEffect(x, 'channel', c)) return true;
      return false;
    }
  }
}

/** The channel rings user `userId`, or is that user's leg, or is bridged to them. */
function callsOrBridgesUser(c: Channel, userId: number): boolean {
  const st = c.state;
  if (st?.name === 'calling' && st.data?.target_type === 'user' && num(st.data.user_id) === userId) return true;
  if (num(c.user_id) === userId && (st?.name === 'calling' || st?.name === 'bridged')) return true;
  if (st?.name === 'bridged' && c.other_info?.type === 'user' && num(c.other_info.user_id) === userId) return true;
  return false;
}

/**
 * The worker saw a record showing the effect of these actions (`BatchMessage.witnessed`), after
 * it sent them: they are done even if the state was coalesced away before the UI thread saw it
 * (docs/console-data.md "Coalescing"). A pending action becomes done; so does one that already
 * failed by timeout or ended unconfirmed (the confirmation was held while the UI thread was busy,
 * or came late: the PBX did it, and saying otherwise would make the operator act twice). Other
 * failures stay.
 * @returns the same array if nothing changed
 */
export function markWitnessed(actions: PendingAction[], ids: readonly string[], nowMs: number): PendingAction[] {
  if (ids.length === 0) return actions;
  const want = new Set(ids);
  let changed = false;
  const out = actions.map((a) => {
    if (!want.has(a.id)) return a;
    if (a.status === 'pending' || a.status === 'unconfirmed' || (a.status === 'failed' && a.failure === 'timeout')) {
      changed = true;
      return { ...a, status: 'done' as const, failure: null, message: null, settledAtMs: nowMs };
    }
    return a;
  });
  return changed ? out : actions;
}

/**
 * Is this `msg` the PBX's error reply to this action? Only a text starting with `error` that names
 * one of the call's uuids (e.g. `error: transfer: unknown channel 5714…`): a person's message
 * ("please transfer the Sato call") never is, whatever words it uses. A convention of our
 * simulator; a real PBX may answer nothing, and then the events decide.
 */
function isErrorReplyTo(a: PendingAction, text: string): boolean {
  if (!/^\s*error\b/i.test(text)) return false;
  const t = text.toLowerCase();
  return [a.uuid, ...a.relatedUuids].some((u) => u.length >= 6 && t.includes(u.toLowerCase()));
}

/** Message of an action that ended unconfirmed (English; the panel translates by status). */
export const UNCONFIRMED_MESSAGE = 'Sent; this connection cannot see whether the PBX did it';

/**
 * Settles pending actions against the current maps, server messages and time.
 * Order: an effect seen in the maps wins (done); else an error reply naming the action's call by
 * uuid fails it with the server's text (`server`); else a park/transfer/eavesdrop whose call
 * (every leg known at send time) is gone fails (`call_ended`); else passing `deadlineAtMs` fails
 * it (`timeout`). In a limited view ({@link ViewInfo}) the last two end `unconfirmed` instead: the
 * call may well have moved where this login cannot see it. Settled actions older than
 * SETTLED_ACTION_TTL_MS are dropped.
 * @param actions current list
 * @param maps channel maps after the batch, with the session / `limitedView` when known
 * @param serverMsgs texts of `msg` messages in the batch (may be empty)
 * @param nowMs browser ms
 * @returns the same array if nothing changed, else a new one
 */
export function settlePendingActions(
  actions: PendingAction[],
  maps: ChannelMaps & ViewInfo,
  serverMsgs: readonly string[],
  nowMs: number,
): PendingAction[] {
  let changed = false;
  const out: PendingAction[] = [];
  const unclaimed = [...serverMsgs];
  const limited = isLimitedView(maps);
  const unconfirmed = (a: PendingAction): PendingAction => ({ ...a, status: 'unconfirmed', failure: null, message: UNCONFIRMED_MESSAGE, settledAtMs: nowMs });
  for (const a of actions) {
    if (a.status !== 'pending') {
      if (a.settledAtMs !== null && nowMs - a.settledAtMs > SETTLED_ACTION_TTL_MS) {
        changed = true;
        continue;
      }
      out.push(a);
      continue;
    }
    if (isDone(a, maps)) {
      out.push({ ...a, status: 'done', settledAtMs: nowMs });
      changed = true;
      continue;
    }
    const i = unclaimed.findIndex((m) => isErrorReplyTo(a, m));
    if (i >= 0) {
      out.push({ ...a, status: 'failed', failure: 'server', message: unclaimed[i], settledAtMs: nowMs });
      unclaimed.splice(i, 1);
      changed = true;
      continue;
    }
    if (a.kind !== 'hangup' && a.knownAtSend && callGone(a, maps)) {
      // Nothing can confirm it any more (the rules need a leg of the call): say so now, not in 5 s.
      out.push(limited ? unconfirmed(a) : { ...a, status: 'failed', failure: 'call_ended', message: 'The call ended before the PBX confirmed', settledAtMs: nowMs });
      changed = true;
      continue;
    }
    if (nowMs >= a.deadlineAtMs) {
      out.push(
        limited
          ? unconfirmed(a)
          : {
              ...a,
              status: 'failed',
              failure: 'timeout',
              message: `No confirmation from the PBX within ${Math.round(ACTION_TIMEOUT_MS / 1000)} s`,
              settledAtMs: nowMs,
            },
      );
      changed = true;
      continue;
    }
    out.push(a);
  }
  return changed ? out : actions;
}

/** Every leg of the action's call known at send time is gone from every channel-like map. */
function callGone(a: PendingAction, maps: ChannelMaps): boolean {
  for (const u of a.relatedUuids) {
    if (maps.channel.has(u) || maps.channel_waiting.has(u) || maps.queued_channel.has(u) || maps.parked_channel.has(u)) return false;
  }
  return true;
}

/**
 * Marks one action failed (e.g. the worker could not send it).
 * @returns a new list, or the same if `id` is not pending
 */
export function failPendingAction(
  actions: PendingAction[],
  id: string,
  failure: PendingAction['failure'],
  message: string,
  nowMs: number,
): PendingAction[] {
  const i = actions.findIndex((a) => a.id === id && a.status === 'pending');
  if (i < 0) return actions;
  const next = actions.slice();
  next[i] = { ...actions[i], status: 'failed', failure, message, settledAtMs: nowMs };
  return next;
}
