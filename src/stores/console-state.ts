// The shape of the console's state (docs/console-store.md is the contract) and its initial
// value. Pure data: no zustand, no React, so the reducer and selectors are testable in Node.

import type { MissedCall } from '../lib/missed-calls.ts';
import type { Channel, ChannelWaiting, Domain, Group, GroupMember, ParkedChannel, QueuedChannel, Terminal, User } from './cti-types.ts';

/** Why the connection stopped for good (the user must act: take over, or log in). */
export type StopReason = 'connection_replaced' | 'connection_limit_reached' | 'logout' | 'unauthorized';

/** Connection life, as shown to the user. */
export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** A JSON command of the protocol (PROTOCOL.md "Commands"); sent as one text frame. */
export type CtiCommand =
  | { cmd: 'hangup'; uuid: string }
  | { cmd: 'park'; uuid: string; timeout?: number }
  | { cmd: 'transfer'; uuid: string; user_id: number; user_name?: string; destination?: string }
  | { cmd: 'eavesdrop'; uuid: string; target_uuid: string; subcommand: string };


/** Element kinds the console keeps (PROTOCOL.md "Elements"). */
export const ELEMENT_KINDS = [
  'channel',
  'channel_waiting',
  'queued_channel',
  'parked_channel',
  'user',
  'group',
  'group_member',
  'terminal',
  'domain',
] as const;
export type ElementKind = (typeof ELEMENT_KINDS)[number];

/** Kinds keyed by `uuid` whose content is stale after a drop and replaced by the next snapshot. */
export const CHANNEL_LIKE_KINDS = ['channel', 'channel_waiting', 'queued_channel', 'parked_channel'] as const;
export type ChannelLikeKind = (typeof CHANNEL_LIKE_KINDS)[number];

/** Element maps, keyed by `String(uuid)` (channel kinds) or `String(id)`; a new Map on every change. */
export interface ElementsSlice {
  channel: Map<string, Channel>;
  channel_waiting: Map<string, ChannelWaiting>;
  queued_channel: Map<string, QueuedChannel>;
  parked_channel: Map<string, ParkedChannel>;
  user: Map<string, User>;
  group: Map<string, Group>;
  group_member: Map<string, GroupMember>;
  terminal: Map<string, Terminal>;
  domain: Map<string, Domain>;
}

/** What the console knows of its view. */
export type ViewKind = 'full' | 'limited' | 'unknown';
/**
 * Why: `session` the optional session endpoint says the login is not an admin; `not_requested`
 * the settings say never to ask for all calls; `refused` sockets with `full_events=true` kept
 * failing and one without opened; `one_user` every channel delivered so far belongs to one user;
 * `delivered` channels of several users (or outside callers) were delivered.
 */
export type ViewReason = 'session' | 'not_requested' | 'refused' | 'one_user' | 'delivered';

export interface ViewInfo {
  kind: ViewKind;
  reason: ViewReason | null;
  /** the one user whose calls were delivered (`one_user`), else null */
  userId: number | null;
}

/** Nothing known yet. */
export const UNKNOWN_VIEW: ViewInfo = Object.freeze({ kind: 'unknown', reason: null, userId: null });

/** Connection life (see docs/console-data.md). */
export interface ConnectionInfo {
  status: ConnectionStatus;
  /** browser ms (Date.now()) of the last frame applied; null before the first */
  lastUpdateAt: number | null;
  /** browser ms when the next reconnect attempt happens (status 'reconnecting'), else null */
  retryAt: number | null;
  /** reconnect attempt number, 0 after a success */
  attempt: number;
  /** why we stopped: needs the user (Take over) or the login page; null otherwise */
  stopReason: StopReason | null;
  /** increases with every socket; the snapshot in the maps belongs to `snapshotConnectionId` */
  connectionId: number;
  /** the connection whose initial_info the channel maps hold; null before the first */
  snapshotConnectionId: number | null;
  /** last transition's reason, for diagnostics (e.g. "closed (1006)") */
  detail: string | null;
  /**
   * the PBX's HTTP side answers but its CTI socket keeps refusing: most likely logged out (the
   * browser hides the upgrade's 401). Retrying goes on; the banner offers "Log in to the PBX".
   */
  loginRequired: boolean;
  /** what is known of our optional session endpoint (`GET /basix/api/session`) */
  sessionEndpoint: 'present' | 'absent' | 'unknown';
  /** all calls, or one user's: from what the connection delivered (connection/view-evidence.ts) */
  view: ViewInfo;
}

export interface SessionSlice {
  username: string;
  userId: number | null;
  isAdmin: boolean;
  /** the PBX domain of the login (`GET /basix/api/session`), or null if not told */
  domain?: string | null;
}

export interface SystemMessage {
  /** browser ms when received */
  at: number;
  kind: 'system_msg' | 'msg';
  text: string;
}

export interface Diagnostics {
  badFrames: number;
  badRecords: number;
  /**
   * Bad frames and records since the last full snapshot (a connection's `initial_info`s replace
   * all state): while > 0, part of what is shown may be out of date (a dropped update); the header
   * says so, and reloading from the PBX (a new connection) brings it back to 0.
   */
  problemsSinceSnapshot: number;
  /** newest last, at most {@link MAX_DIAG_ERRORS} */
  lastErrors: Array<{ at: number; message: string }>;
  framesReceived: number;
}

/** What a pending action waits for: PROTOCOL.md "Commands". */
export type PendingActionKind = CtiCommand['cmd'];

/**
 * A command sent and not yet confirmed by an event. `status` moves pending → done | failed
 * once; settled actions stay in the list for {@link SETTLED_ACTION_TTL_MS} so a panel can show the
 * outcome, then are pruned.
 */
export interface PendingAction {
  id: string;
  kind: PendingActionKind;
  command: CtiCommand;
  /** the uuid named in the command */
  uuid: string;
  /** uuids of the call's other legs known at send time (park/transfer act on the whole call) */
  relatedUuids: string[];
  /** the named uuid was in a channel-like map when sent (a hangup of an unknown uuid waits for the server) */
  knownAtSend: boolean;
  /** transfer target */
  targetUserId: number | null;
  /** browser ms when sent */
  sentAtMs: number;
  /** browser ms after which a still-pending action fails */
  deadlineAtMs: number;
  /**
   * `unconfirmed`: sent, but this connection cannot see its effect (a limited view: a plain
   * user's login, or the PBX refused all calls) and no event confirmed it in time — not a failure
   */
  status: 'pending' | 'done' | 'failed' | 'unconfirmed';
  /** failure text (English; the panel may translate by `failure`) */
  message: string | null;
  /** machine-readable failure kind */
  /**
   * `not_connected`: never sent (not live, or the worker could not send it); `connection_lost`:
   * sent, then the connection dropped before a confirmation — the result is unknown;
   * `call_ended`: every leg of the call known at send time is gone before a confirmation
   */
  failure: null | 'timeout' | 'server' | 'not_connected' | 'connection_lost' | 'call_ended';
  /** browser ms when it settled */
  settledAtMs: number | null;
}

export interface ConsoleData extends ElementsSlice {
  connection: ConnectionInfo;
  session: SessionSlice | null;
  /**
   * The connection's deliveries (or what it asked for) show it sees only some calls (one user's):
   * `full_events` was not asked for or was refused, or every channel delivered so far belongs to
   * one user (`connection.view`). With a session that says "not an admin" this is the limited view
   * (selectors.ts `selectLimitedView`): empty call panels are then not "no calls", and a command's
   * effect may be invisible ("sent, not confirmed").
   */
  limitedView: boolean;
  /** estimated PBX clock − browser clock, ms (src/lib/clock.ts) */
  clockOffsetMs: number;
  /** oldest first, at most {@link MAX_SYSTEM_MESSAGES} */
  systemMessages: SystemMessage[];
  diagnostics: Diagnostics;
  /** newest first, persisted in IndexedDB (src/lib/missed-calls.ts, missed-calls-persister.ts) */
  missedCalls: MissedCall[];
  pendingActions: PendingAction[];
  /**
   * Element kinds the PBX has sent (an `initial_info` or `info_event`) since the channel maps'
   * snapshot began (reset by a fresh snapshot). Tells "the PBX sends no `channel_waiting` /
   * `queued_channel`" (queues then come from channels alone) from "nobody is waiting".
   */
  kindsSent: ReadonlySet<string>;
}

export const MAX_SYSTEM_MESSAGES = 50;
export const MAX_DIAG_ERRORS = 20;
/** A command not confirmed by an event within this many ms fails (issue: "~5 s"). */
export const ACTION_TIMEOUT_MS = 5_000;
/** Settled actions are kept this long (ms) for the panels to show the outcome. */
export const SETTLED_ACTION_TTL_MS = 10_000;

/** A fresh, empty state (not connected, no data). */
export function initialConsoleData(): ConsoleData {
  return {
    channel: new Map(),
    channel_waiting: new Map(),
    queued_channel: new Map(),
    parked_channel: new Map(),
    user: new Map(),
    group: new Map(),
    group_member: new Map(),
    terminal: new Map(),
    domain: new Map(),
    connection: {
      status: 'connecting',
      lastUpdateAt: null,
      retryAt: null,
      attempt: 0,
      stopReason: null,
      connectionId: 0,
      snapshotConnectionId: null,
      detail: null,
      loginRequired: false,
      sessionEndpoint: 'unknown',
      view: UNKNOWN_VIEW,
    },
    session: null,
    limitedView: false,
    clockOffsetMs: 0,
    systemMessages: [],
    diagnostics: { badFrames: 0, badRecords: 0, problemsSinceSnapshot: 0, lastErrors: [], framesReceived: 0 },
    missedCalls: [],
    pendingActions: [],
    kindsSent: new Set(),
  };
}
