// Messages between the UI thread and the CTI worker (cti.worker.ts). Both sides import this
// file and nothing else from each other; it imports no UI code.

import type { OffsetInterval } from '../../lib/clock.ts';
import type { BatchInput } from '../../stores/apply-batch.ts';
import type { ConnectionStatus, CtiCommand, StopReason } from '../../stores/console-state.ts';
import type { ActionExpectation } from '../../stores/pending-actions.ts';
import type { ViewInfo } from './view-evidence.ts';

export type { ConnectionStatus, CtiCommand, StopReason };

/** A timer this late (ms) means the machine slept (or the tab was frozen): a socket from before is suspect. */
export const SLEEP_GAP_MS = 30_000;

/** Message type names, UI → worker. */
export const TO_WORKER = {
  /** open (or re-open) the CTI socket */
  connect: 'connect',
  /** new settings for the next socket (`full_events` mode, silence limit) */
  configure: 'configure',
  /** send one JSON command on the open socket */
  send: 'send',
  /** close the socket and stop retrying */
  disconnect: 'disconnect',
  /**
   * the network may be back or the page is back in front (`online`, `focus`, `visibilitychange`):
   * retry now if waiting; a fresh connection if the page was hidden long and the socket is silent
   */
  wake: 'wake',
  /** the browser's `offline` event: the socket cannot carry anything */
  offline: 'offline',
  /** the page's own timers stood still while it was visible (the computer slept): the socket is suspect */
  resumed: 'resumed',
  /** the watchdog's question (worker-watchdog.ts): a worker stuck on a frame cannot answer `pong` */
  ping: 'ping',
  /** the UI thread applied a batch and painted it: the worker may post the next (backpressure) */
  applied: 'applied',
} as const;

/** Message type names, worker → UI. */
export const FROM_WORKER = {
  /** parsed CTI messages received since the last batch (at most one per animation frame, and only after the previous one was acknowledged with `applied`) */
  batch: 'batch',
  /** connection life changed */
  status: 'status',
  /** a command could not be sent */
  sendFailed: 'sendFailed',
  /** a PBX clock sample from the session check's HTTP `Date` header (before every connect attempt) */
  clock: 'clock',
  /** what the connection's deliveries say about its view (all calls, or one user's) */
  view: 'view',
  /** the answer to the watchdog's `ping` */
  pong: 'pong',
} as const;

/** Whether to ask for every call with `full_events=true`: `auto` = unless the login is known not to be a PBX admin. */
export type FullEventsMode = 'auto' | 'always' | 'never';

/**
 * Our optional session endpoint (`GET /basix/api/session`, session-check.ts): `present` once it
 * answered well (in this page, or an earlier one of this browser), `absent` once it answered
 * like a PBX without it, `unknown` before.
 */
export type SessionEndpoint = 'present' | 'absent' | 'unknown';

/** Session as answered by `GET /basix/api/session`. */
export interface SessionInfo {
  username: string;
  userId: number | null;
  isAdmin: boolean;
  domain: string | null;
}

export type ToWorker =
  | {
      type: typeof TO_WORKER.connect;
      /** `app_name` query value */
      appName: string;
      /** `force=true` on this connect only (Take over) */
      force: boolean;
      /** origin + base path to reach the PBX, e.g. `https://pbx.example` (default: the worker's origin) */
      baseUrl?: string;
      /** `full_events` mode; default `auto` */
      fullEvents?: FullEventsMode;
      /** no frame for this long (ms) ⇒ a fresh connection; default 30 min */
      silenceLimitMs?: number;
      /** our session endpoint answered well in an earlier page of this browser */
      sessionEndpointKnown?: boolean;
    }
  | { type: typeof TO_WORKER.configure; fullEvents?: FullEventsMode; silenceLimitMs?: number }
  | {
      type: typeof TO_WORKER.send;
      id: string;
      command: CtiCommand;
      /** what shows the command's effect: the worker watches every record for it before coalescing */
      expect?: ActionExpectation;
    }
  | { type: typeof TO_WORKER.disconnect }
  | {
      type: typeof TO_WORKER.wake;
      /** how long (ms) the page had been hidden before this (0 for `online` / `focus`) */
      hiddenMs: number;
    }
  | { type: typeof TO_WORKER.offline }
  | { type: typeof TO_WORKER.ping; seq: number }
  | {
      type: typeof TO_WORKER.resumed;
      /** how long (ms) the page's timers stood still */
      gapMs: number;
    }
  | { type: typeof TO_WORKER.applied };

/**
 * One batch of parsed messages (at most one per animation frame, the next only after `applied`).
 * The fields the store applies are its {@link BatchInput}; the clock sample is consumed on the way.
 */
export interface BatchMessage extends BatchInput {
  type: typeof FROM_WORKER.batch;
  /** max over the batch of (newest PBX timestamp in a message − its receive time), ms; null if none */
  clockSampleMs: number | null;
  /**
   * ids of pending actions whose expected effect a record of this batch showed, as received —
   * before coalescing, which may have replaced that record (docs/console-data.md "Coalescing")
   */
  witnessed: string[];
}

export interface StatusMessage {
  type: typeof FROM_WORKER.status;
  status: ConnectionStatus;
  connectionId: number;
  /** retry number (0 for the first connect after a success / start) */
  attempt: number;
  /** browser ms of the next attempt, when status is `reconnecting` */
  retryAtMs: number | null;
  stopReason: StopReason | null;
  /** the session, when our optional session endpoint told it */
  session: SessionInfo | null;
  /** what is known of that endpoint */
  sessionEndpoint: SessionEndpoint;
  /**
   * the PBX's HTTP side answers but sockets keep failing to open: most likely logged out (the
   * browser hides the upgrade's 401). Retrying goes on; the console offers "Log in to the PBX".
   */
  loginRequired: boolean;
  /** human-readable reason of the last transition (diagnostics) */
  detail: string | null;
}

export interface SendFailedMessage {
  type: typeof FROM_WORKER.sendFailed;
  id: string;
  reason: string;
}

export interface ClockMessage {
  type: typeof FROM_WORKER.clock;
  /** offset (PBX − browser, ms) ∈ [lowMs, highMs], sampled at browser ms atMs (src/lib/clock.ts) */
  interval: OffsetInterval;
}

export interface ViewMessage {
  type: typeof FROM_WORKER.view;
  view: ViewInfo;
}

export interface PongMessage {
  type: typeof FROM_WORKER.pong;
  seq: number;
}

export type FromWorker = BatchMessage | StatusMessage | SendFailedMessage | ClockMessage | ViewMessage | PongMessage;
