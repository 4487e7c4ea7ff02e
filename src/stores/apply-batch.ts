// The reducer that applies one batch of parsed CTI messages from the worker to the console state,
// as ONE update. Pure: (state, batch, context) → changed fields. Rules: PROTOCOL.md "Messages"
// (initial_info replaces a whole element kind; info_event added/updated/removed; a channel whose
// last_event is CHANNEL_HANGUP is gone) and "Connection" (after a drop every channel-like map is
// stale; the fresh snapshot replaces it).

import { detectMissedCall, addMissedCalls, type MissedCall, type MissedCallLookup } from '../lib/missed-calls.ts';
import type { Channel, CtiElement, CtiMessage } from './cti-types.ts';
import {
  CHANNEL_LIKE_KINDS,
  ELEMENT_KINDS,
  MAX_DIAG_ERRORS,
  MAX_SYSTEM_MESSAGES,
  type ConsoleData,
  type ElementKind,
  type ElementsSlice,
  type PendingAction,
  type SystemMessage,
} from './console-state.ts';
import { settlePendingActions } from './pending-actions.ts';
import { CowMap } from './cow-map.ts';

/** One batch as posted by the worker (protocol.ts `BatchMessage` extends it). */
export interface BatchInput {
  /** increases with every socket the worker opens; lets the store tell snapshots apart */
  connectionId: number;
  messages: CtiMessage[];
  /** browser ms (the worker's Date.now()) when the newest frame of the batch arrived */
  receivedAtMs: number;
  /** true on the first batch of a connection that holds an `initial_info`: channel-like maps are cleared first */
  freshSnapshot: boolean;
  /** true when this batch completes the snapshot of a new connection (the console is live after applying it) */
  goLive: boolean;
  /** frames received in this batch (including bad ones) */
  frames: number;
  /** frames that failed to decode / parse (already console.warn-ed in the worker) */
  badFrames: number;
  /** records rejected by the parser (wrong arity, no field_spec) */
  badRecords: number;
  /** messages of the failures above */
  errors: string[];
}

/** What the reducer needs from outside. */
export interface ApplyContext {
  /** browser ms now */
  nowMs: number;
  /** the clock offset (PBX − browser, ms) after this batch's samples */
  clockOffsetMs: number;
}

const ELEMENT_KIND_SET: ReadonlySet<string> = new Set(ELEMENT_KINDS);
const CHANNEL_LIKE_SET: ReadonlySet<string> = new Set(CHANNEL_LIKE_KINDS);
const isElementKind = (k: string): k is ElementKind => ELEMENT_KIND_SET.has(k);
const isChannelLike = (k: string): boolean => CHANNEL_LIKE_SET.has(k);

/**
 * From this many records a changed map is a {@link CowMap} version (shares the unchanged entries)
 * instead of a full copy: the 10,000 users of a big PBX, not the 2,000 channels (they change so
 * much that the overlay would be folded in often, and selectors iterate them on every batch,
 * which a plain Map does faster).
 */
export const COW_MIN_SIZE = 4096;

/** A new, writable version of a state map (the old one is left untouched). */
function copyForWrite(map: Map<string, CtiElement>): Map<string, CtiElement> {
  return map instanceof CowMap || map.size >= COW_MIN_SIZE ? CowMap.draftOf(map) : new Map(map);
}

/** `String(k)`, or null for a missing key. */
const keyOf = (k: unknown): string | null => (k === undefined || k === null || k === '' ? null : typeof k === 'string' ? k : String(k));

/** The key of a record in its map: `String(uuid)` for channel kinds, else `String(id)`; null if missing. */
export function elementKey(kind: string, rec: CtiElement): string | null {
  const r = rec as Record<string, unknown>;
  return keyOf(isChannelLike(kind) ? r.uuid : r.id);
}

/**
 * Applies a batch. Returns only the fields that changed (a zustand `setState` partial); maps that
 * changed are new `Map`s, the others keep their identity so memoized selectors stay valid.
 *
 * - `freshSnapshot`: the four channel-like maps start empty (no ghost calls from before the drop);
 * - `initial_info`: the element's map is replaced by the records (keyed by uuid / id);
 * - `info_event` `removed`, or a channel-like record with `last_event` `CHANNEL_HANGUP`: deleted
 *   (a hung-up uuid is deleted from every channel-like map); a hang-up that is a missed call is
 *   added to `missedCalls`;
 * - other `info_event`s: set;
 * - `system_msg`, `msg`: appended to `systemMessages`; a `msg` that is an error reply naming an
 *   action's call by uuid fails that action (pending-actions.ts);
 * - unknown element kinds and `field_spec` are ignored (the parser in the worker used the spec);
 * - `kindsSent` gains the (known) element of every `initial_info` / `info_event`, and
 *   starts over with a fresh snapshot;
 * - then pending actions are settled against the new maps.
 */
/**
 * True when this console sent a `hangup` for the call with leg `uuid` (the named leg or a leg of
 * that call at send time) that has not failed for a reason other than a timeout (a late hangup
 * still counts). Actions are kept 10 s after settling, which covers the legs' hang-up events.
 */
export function hungUpByOperator(uuid: string, actions: readonly PendingAction[]): boolean {
  return actions.some(
    (a) =>
      a.kind === 'hangup' &&
      (a.status !== 'failed' || a.failure === 'timeout') &&
      (a.uuid === uuid || a.relatedUuids.includes(uuid)),
  );
}

export function applyBatch(state: ConsoleData, batch: BatchInput, ctx: ApplyContext): Partial<ConsoleData> {
  const drafts: Partial<Record<ElementKind, Map<string, CtiElement>>> = {};
  const current = (k: ElementKind): Map<string, CtiElement> =>
    (drafts[k] ?? (state[k] as Map<string, CtiElement>));
  const writable = (k: ElementKind): Map<string, CtiElement> => {
    let d = drafts[k];
    if (!d) {
      d = copyForWrite(state[k] as Map<string, CtiElement>);
      drafts[k] = d;
    }
    return d;
  };

  if (batch.freshSnapshot) for (const k of CHANNEL_LIKE_KINDS) drafts[k] = new Map();

  const lookup: MissedCallLookup = {
    userName: (id) => {
      const u = current('user').get(String(id)) as { label?: string; name?: string } | undefined;
      return u ? (u.label || u.name || null) : null;
    },
    groupName: (id) => {
      const g = current('group').get(String(id)) as { label?: string; name?: string } | undefined;
      return g ? (g.label || g.name || null) : null;
    },
  };
  const pbxNowUs = Math.round((ctx.nowMs + ctx.clockOffsetMs) * 1000);

  const newMessages: SystemMessage[] = [];
  const serverMsgs: string[] = [];
  const missed: MissedCall[] = [];
  let badRecords = batch.badRecords;
  const errors = [...batch.errors];
  /** initial_info / info_event messages: what makes "the last update" (a stop message alone is none). */
  let stateMessages = 0;
  // Kinds sent since the snapshot began: a fresh snapshot starts over (a PBX downgraded across a
  // restart may stop sending channel_waiting).
  let kindsSent: Set<string> | null = batch.freshSnapshot ? new Set() : null;

  for (const m of batch.messages) {
    if (m.type === 'initial_info' || m.type === 'info_event') {
      stateMessages++;
      if (isElementKind(m.element) && !(kindsSent ?? state.kindsSent).has(m.element)) (kindsSent ??= new Set(state.kindsSent)).add(m.element);
    }
    switch (m.type) {
      case 'initial_info': {
        if (!isElementKind(m.element)) break;
        // 10,000 users at startup: one pass, the key field chosen once per snapshot.
        const next = new Map<string, CtiElement>();
        const data = (m.data ?? {}) as Record<string, Record<string, unknown>>;
        const field = isChannelLike(m.element) ? 'uuid' : 'id';
        for (const key in data) {
          const rec = data[key];
          next.set(keyOf(rec?.[field]) ?? key, rec as CtiElement);
        }
        drafts[m.element] = next;
        break;
      }
      case 'info_event': {
        if (!isElementKind(m.element)) break;
        const key = elementKey(m.element, m.data);
        if (key === null) {
          badRecords++;
          errors.push(`info_event ${m.element}: record without ${isChannelLike(m.element) ? 'uuid' : 'id'}`);
          break;
        }
        const hungUp = isChannelLike(m.element) && (m.data as Channel).last_event === 'CHANNEL_HANGUP';
        if (hungUp) {
          const prev = current(m.element).get(key) as Channel | undefined;
          const call = detectMissedCall(m.element, m.data as Channel, prev, lookup, pbxNowUs);
          // A caller the operator hung up on purpose (this console sent `hangup` for the call) is
          // not a missed call to return: it is left out of the list.
          if (call && !hungUpByOperator(call.uuid, state.pendingActions)) missed.push(call);
          for (const k of CHANNEL_LIKE_KINDS) if (current(k).has(key)) writable(k).delete(key);
        } else if (m.event === 'removed') {
          if (current(m.element).has(key)) writable(m.element).delete(key);
        } else {
          writable(m.element).set(key, m.data);
        }
        break;
      }
      case 'system_msg':
        newMessages.push({ at: batch.receivedAtMs, kind: 'system_msg', text: String(m.msg) });
        break;
      case 'msg':
        newMessages.push({ at: batch.receivedAtMs, kind: 'msg', text: String(m.msg) });
        serverMsgs.push(String(m.msg));
        break;
      default:
        break; // field_spec: used by the parser only
    }
  }

  const out: Partial<ConsoleData> = {};
  for (const [k, map] of Object.entries(drafts) as Array<[ElementKind, Map<string, CtiElement>]>) {
    (out as Record<string, unknown>)[k] = map;
  }

  const conn = state.connection;
  out.connection = {
    ...conn,
    // The time of the last state the PBX sent: a tab refused at once (connection_limit_reached)
    // got a frame but no state, and must say "no data yet", not "last update 09:18:12".
    lastUpdateAt: stateMessages > 0 ? Math.max(conn.lastUpdateAt ?? 0, batch.receivedAtMs) : conn.lastUpdateAt,
    connectionId: Math.max(conn.connectionId, batch.connectionId),
    snapshotConnectionId: batch.freshSnapshot ? batch.connectionId : conn.snapshotConnectionId,
    ...(batch.goLive ? { status: 'live' as const, attempt: 0, retryAt: null, stopReason: null, detail: null } : {}),
  };
  out.clockOffsetMs = ctx.clockOffsetMs;
  if (kindsSent !== null) out.kindsSent = kindsSent;

  if (newMessages.length > 0) {
    out.systemMessages = [...state.systemMessages, ...newMessages].slice(-MAX_SYSTEM_MESSAGES);
  }
  if (batch.frames > 0 || batch.badFrames > 0 || badRecords > 0 || errors.length > 0 || batch.freshSnapshot) {
    const d = state.diagnostics;
    out.diagnostics = {
      framesReceived: d.framesReceived + batch.frames,
      badFrames: d.badFrames + batch.badFrames,
      badRecords: d.badRecords + badRecords,
      // a fresh snapshot replaces everything an earlier bad frame or record may have left wrong
      problemsSinceSnapshot: (batch.freshSnapshot ? 0 : d.problemsSinceSnapshot) + batch.badFrames + badRecords,
      lastErrors: errors.length
        ? [...d.lastErrors, ...errors.map((message) => ({ at: batch.receivedAtMs, message }))].slice(-MAX_DIAG_ERRORS)
        : d.lastErrors,
    };
  }
  if (missed.length > 0) {
    const list = addMissedCalls(state.missedCalls, missed);
    if (list !== state.missedCalls) out.missedCalls = list;
  }

  const maps = {
    channel: (out.channel ?? state.channel) as ElementsSlice['channel'],
    channel_waiting: (out.channel_waiting ?? state.channel_waiting) as ElementsSlice['channel_waiting'],
    queued_channel: (out.queued_channel ?? state.queued_channel) as ElementsSlice['queued_channel'],
    parked_channel: (out.parked_channel ?? state.parked_channel) as ElementsSlice['parked_channel'],
  };
  // what this connection can see decides between "failed" and "sent, not confirmed"
  const view = { session: state.session, limitedView: state.limitedView };
  const settled = settlePendingActions(state.pendingActions, { ...maps, ...view }, serverMsgs, ctx.nowMs);
  if (settled !== state.pendingActions) out.pendingActions = settled;
  return out;
}
