// The console's one zustand store (docs/console-store.md is the contract, docs/console-data.md
// the design). Built from typed slices; the actions are plain module functions calling
// setState (zustand docs, "Practice with no store actions"), so the connection manager needs
// no React. Each worker batch is ONE setState.

import { create } from 'zustand';
import { ClockOffsetEstimator, setPbxClockOffsetMs, type OffsetInterval } from '../lib/clock.ts';
import { addMissedCalls, loadLiveUntil, loadMissedCalls, outageMarker, saveLiveUntil, saveMissedCalls, type MissedCall } from '../lib/missed-calls.ts';
import { applyBatch, type BatchInput } from './apply-batch.ts';
import {
  SETTLED_ACTION_TTL_MS,
  initialConsoleData,
  type ConnectionInfo,
  type ConsoleData,
  type CtiCommand,
  type PendingAction,
  type SessionSlice,
  type ViewInfo,
} from './console-state.ts';
import { expectationOf, failPendingAction, markWitnessed, newPendingAction, settlePendingActions, type ActionExpectation } from './pending-actions.ts';

export type { ConsoleData as ConsoleState } from './console-state.ts';
export type { PendingAction, SystemMessage, ConnectionInfo, SessionSlice, Diagnostics } from './console-state.ts';
export type { MissedCall } from '../lib/missed-calls.ts';

// ---- slices -----------------------------------------------------------------------------------

const fresh = initialConsoleData();

/** Element maps (PROTOCOL.md "Elements"). */
const elementsSlice = () => ({
  channel: fresh.channel,
  channel_waiting: fresh.channel_waiting,
  queued_channel: fresh.queued_channel,
  parked_channel: fresh.parked_channel,
  user: fresh.user,
  group: fresh.group,
  group_member: fresh.group_member,
  terminal: fresh.terminal,
  domain: fresh.domain,
});

/** Connection life, session and clock. */
const connectionSlice = () => ({
  connection: fresh.connection,
  session: fresh.session,
  limitedView: fresh.limitedView,
  clockOffsetMs: fresh.clockOffsetMs,
});

/** Messages, diagnostics, missed calls and pending actions. */
const activitySlice = () => ({
  systemMessages: fresh.systemMessages,
  diagnostics: fresh.diagnostics,
  missedCalls: loadMissedCalls(),
  pendingActions: fresh.pendingActions,
  kindsSent: fresh.kindsSent,
});

/** The store. Select atomically, or with `useShallow` / the memoized selectors of selectors.ts. */
export const useConsoleStore = create<ConsoleData>()(() => ({
  ...elementsSlice(),
  ...connectionSlice(),
  ...activitySlice(),
}));

// Dev / test builds only: lets e2e tests and the devtools console read the state.
if (typeof window !== 'undefined' && (import.meta.env?.DEV || import.meta.env?.MODE === 'test')) {
  (window as unknown as { __consoleStore?: typeof useConsoleStore }).__consoleStore = useConsoleStore;
}

// ---- connection driver (registered by src/features/connection/connection-manager.ts) ----------

/** What the store needs from the connection: implemented by the connection manager. */
export interface ConnectionDriver {
  /** (re)connect; `force` adds `forced=true` (and `force=true`) to this connect (Take over) */
  connect(opts: { force: boolean }): void;
  /**
   * send a command; failures come back through {@link failAction}; `expect` is what shows its
   * effect (the worker watches for it before coalescing; the batch names it in `witnessed`)
   */
  send(id: string, command: CtiCommand, expect?: ActionExpectation): void;
  disconnect(): void;
}

let driver: ConnectionDriver | null = null;

/** Registers the connection (the manager does this once). Pass null to unregister (tests). */
export function setConnectionDriver(d: ConnectionDriver | null): void {
  driver = d;
}

// ---- clock ------------------------------------------------------------------------------------

const clockEstimator = new ClockOffsetEstimator();

/** The estimator the store feeds (exposed for diagnostics and tests). */
export function getClockEstimator(): ClockOffsetEstimator {
  return clockEstimator;
}

// ---- actions called by the connection manager --------------------------------------------------

let nowMs: () => number = () => Date.now();

/** For tests: replace the browser clock the actions use (ms). Pass nothing to restore Date.now. */
export function setStoreClockForTests(now?: () => number): void {
  nowMs = now ?? (() => Date.now());
}

/**
 * Applies one worker batch as one store update: feeds the clock estimator with the batch's
 * sample, runs the pure reducer ({@link applyBatch}), persists missed calls when they changed.
 * @param batch the worker's batch (protocol.ts `BatchMessage`)
 * @param clockSampleMs the batch's offset sample (ms), or null
 * @param witnessed ids of actions whose effect the worker saw in this batch's frames, even if
 *   coalescing merged that state away (`BatchMessage.witnessed`): done before the batch is applied
 */
export function applyWorkerBatch(batch: BatchInput, clockSampleMs: number | null, witnessed: readonly string[] = []): void {
  if (clockSampleMs !== null) clockEstimator.add(clockSampleMs, batch.receivedAtMs);
  const clockOffsetMs = clockEstimator.estimateMs();
  setPbxClockOffsetMs(clockOffsetMs);
  const current = useConsoleStore.getState();
  const witnessedActions = markWitnessed(current.pendingActions, witnessed, nowMs());
  const before = witnessedActions === current.pendingActions ? current : { ...current, pendingActions: witnessedActions };
  const patch = applyBatch(before, batch, { nowMs: nowMs(), clockOffsetMs });
  if (witnessedActions !== current.pendingActions && !patch.pendingActions) patch.pendingActions = witnessedActions;
  if (batch.goLive) {
    // Live again: calls that ended while we were not live are unknown. Mark the span in the
    // missed-call list (since the drop in this page, or since the last live moment saved by a
    // previous page; the very first load has nothing to compare with).
    const fromMs = notLiveSinceMs ?? (liveBeforeInPage ? null : loadLiveUntil());
    const marker = fromMs === null ? null : outageMarker((fromMs + clockOffsetMs) * 1000, (batch.receivedAtMs + clockOffsetMs) * 1000);
    if (marker) {
      const list = addMissedCalls(patch.missedCalls ?? before.missedCalls, [marker]);
      if (list !== before.missedCalls) patch.missedCalls = list;
    }
    notLiveSinceMs = null;
    liveBeforeInPage = true;
  }
  useConsoleStore.setState(patch);
  if (patch.missedCalls) scheduleMissedCallsSave(patch.missedCalls);
  if (useConsoleStore.getState().connection.status === 'live' && nowMs() - liveUntilSavedAtMs >= LIVE_UNTIL_SAVE_EVERY_MS) {
    liveUntilSavedAtMs = nowMs();
    saveLiveUntil(liveUntilSavedAtMs);
  }
  schedulePendingCheck();
}

// ---- persisting missed calls (throttled) ------------------------------------------------------

/**
 * Handing the list to the storage sink (src/lib/missed-calls-persister.ts: it diffs, journals and
 * writes IndexedDB) on every batch that adds a call would cost work per batch under load (a busy
 * PBX has hang-ups in nearly every batch): the list is handed over at most every
 * {@link MISSED_SAVE_EVERY_MS}, and at once when the page is hidden or unloaded.
 */
const MISSED_SAVE_EVERY_MS = 2_000;
let missedToSave: readonly MissedCall[] | null = null;
let missedSaveTimer: ReturnType<typeof setTimeout> | null = null;

function scheduleMissedCallsSave(list: readonly MissedCall[]): void {
  missedToSave = list;
  if (missedSaveTimer === null) missedSaveTimer = setTimeout(flushMissedCallsSave, MISSED_SAVE_EVERY_MS);
}

/** Saves the missed-call list now if a save is due (also on page hide / unload). */
export function flushMissedCallsSave(): void {
  if (missedSaveTimer !== null) clearTimeout(missedSaveTimer);
  missedSaveTimer = null;
  if (missedToSave === null) return;
  const list = missedToSave;
  missedToSave = null;
  saveMissedCalls(list);
}

if (typeof window !== 'undefined' && typeof window.addEventListener === 'function') {
  window.addEventListener('pagehide', flushMissedCallsSave);
  window.addEventListener('visibilitychange', () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') flushMissedCallsSave();
  });
}

// ---- outage tracking (missed-call list markers) -----------------------------------------------

/** browser ms when the console stopped being live in this page, or null while live / before */
let notLiveSinceMs: number | null = null;
/** this page has been live once (later gaps are measured from `notLiveSinceMs`) */
let liveBeforeInPage = false;
/** browser ms the live-until mark was last saved (throttled: at most every 5 s, on batches) */
let liveUntilSavedAtMs = -Infinity;
const LIVE_UNTIL_SAVE_EVERY_MS = 5_000;

/**
 * Takes the offset interval of the session check's HTTP `Date` header (sent before every connect
 * attempt) and updates the offset in use at once, so a snapshot with old timestamps shows right
 * wait/park times before any live event (src/lib/clock.ts).
 */
export function applyClockInterval(interval: OffsetInterval): void {
  clockEstimator.setInterval(interval);
  const clockOffsetMs = clockEstimator.estimateMs();
  setPbxClockOffsetMs(clockOffsetMs);
  if (useConsoleStore.getState().clockOffsetMs !== clockOffsetMs) useConsoleStore.setState({ clockOffsetMs });
}

/**
 * Applies a connection status change from the worker. Unchanged values keep the state object.
 * The worker never reports 'live' this way: the batch that completes the snapshot does
 * (`goLive`), so "live" and the fresh data arrive in the same update. Going to a non-live status
 * fails every pending action at once.
 */
export function applyConnectionStatus(update: {
  status: ConnectionInfo['status'];
  connectionId: number;
  attempt: number;
  retryAtMs: number | null;
  stopReason: ConnectionInfo['stopReason'];
  detail: string | null;
  session: SessionSlice | null;
  loginRequired?: boolean;
  sessionEndpoint?: ConnectionInfo['sessionEndpoint'];
}): void {
  const s = useConsoleStore.getState();
  const c = s.connection;
  const next: ConnectionInfo = {
    ...c,
    status: update.status,
    connectionId: Math.max(c.connectionId, update.connectionId),
    attempt: update.attempt,
    retryAt: update.retryAtMs,
    stopReason: update.stopReason,
    detail: update.detail,
    loginRequired: update.loginRequired ?? false,
    sessionEndpoint: update.sessionEndpoint ?? c.sessionEndpoint,
  };
  const patch: Partial<ConsoleData> = {};
  const same =
    next.status === c.status &&
    next.connectionId === c.connectionId &&
    next.attempt === c.attempt &&
    next.retryAt === c.retryAt &&
    next.stopReason === c.stopReason &&
    next.detail === c.detail &&
    next.loginRequired === c.loginRequired &&
    next.sessionEndpoint === c.sessionEndpoint;
  if (!same) patch.connection = next;
  if (update.session && (s.session?.username !== update.session.username || s.session?.userId !== update.session.userId || s.session?.isAdmin !== update.session.isAdmin || (s.session?.domain ?? null) !== (update.session.domain ?? null))) {
    patch.session = update.session;
  }
  if (c.status === 'live' && update.status !== 'live') {
    // The exact moment calls stop being known (the persisted mark is for a reload).
    notLiveSinceMs = nowMs();
    liveUntilSavedAtMs = notLiveSinceMs;
    saveLiveUntil(notLiveSinceMs);
  }
  if (update.status !== 'live' && update.status !== 'connecting') {
    // Nothing can be confirmed on a dead socket: fail what is pending now rather than in 5 s.
    // They were sent: whether the PBX did them is unknown (`connection_lost`, not `not_connected`).
    const failed = s.pendingActions.map((a) =>
      a.status === 'pending' ? { ...a, status: 'failed' as const, failure: 'connection_lost' as const, message: 'Connection to the PBX lost', settledAtMs: nowMs() } : a,
    );
    if (failed.some((a, i) => a !== s.pendingActions[i])) patch.pendingActions = failed;
  }
  if (Object.keys(patch).length > 0) useConsoleStore.setState(patch);
  schedulePendingCheck();
}


/**
 * Takes what the worker learnt of the connection's view from its deliveries (all calls, or one
 * user's: connection/view-evidence.ts) and updates `limitedView`.
 */
export function applyView(view: ViewInfo): void {
  const s = useConsoleStore.getState();
  const c = s.connection;
  if (c.view.kind === view.kind && c.view.reason === view.reason && c.view.userId === view.userId) return;
  const limitedView = view.kind === 'limited';
  useConsoleStore.setState({ connection: { ...c, view }, ...(limitedView !== s.limitedView ? { limitedView } : {}) });
}

/** Marks action `id` failed (the worker could not send it). */
export function failAction(id: string, reason: string): void {
  const s = useConsoleStore.getState();
  const next = failPendingAction(s.pendingActions, id, 'not_connected', reason, nowMs());
  if (next !== s.pendingActions) useConsoleStore.setState({ pendingActions: next });
  schedulePendingCheck();
}

// ---- actions for the panels --------------------------------------------------------------------

let actionSeq = 0;

/**
 * Sends a command (PROTOCOL.md "Commands": hangup, park, transfer, eavesdrop) and tracks it as a
 * {@link PendingAction}: done when the following events show its effect, failed after ~5 s
 * without one, on a server `msg` about it, or at once if the console is not live.
 * @param command e.g. `{cmd: 'park', uuid}` (the PBX picks a free slot), `{cmd: 'transfer', uuid, user_id, user_name}`
 * @returns the action's id (find it in `pendingActions`)
 */
export function sendCommand(command: CtiCommand): string {
  const id = `a${++actionSeq}-${nowMs().toString(36)}`;
  const s = useConsoleStore.getState();
  let action: PendingAction = newPendingAction(id, command, s, nowMs());
  const live = s.connection.status === 'live' && driver !== null;
  if (!live) {
    action = { ...action, status: 'failed', failure: 'not_connected', message: 'Not connected to the PBX', settledAtMs: nowMs() };
  }
  useConsoleStore.setState({ pendingActions: [...s.pendingActions, action] });
  if (live) driver!.send(id, command, expectationOf(action));
  schedulePendingCheck();
  return id;
}

/** Removes an action from the list (e.g. the user closed its error toast). */
export function dismissPendingAction(id: string): void {
  const s = useConsoleStore.getState();
  const next = s.pendingActions.filter((a) => a.id !== id);
  if (next.length !== s.pendingActions.length) useConsoleStore.setState({ pendingActions: next });
}

/** Empties the missed-call list, here and in storage. */
export function clearMissedCalls(): void {
  useConsoleStore.setState({ missedCalls: [] });
  missedToSave = null;
  flushMissedCallsSave();
  saveMissedCalls([]);
}

/**
 * Reconnects with `forced=true` (PROTOCOL.md Corrections; `force=true` too, the vendor README's
 * spelling) after `connection_replaced` / `connection_limit_reached` (the banner's "Take over"):
 * the PBX then closes an older connection of this login and app_name instead of refusing this one.
 */
export function takeOver(): void {
  driver?.connect({ force: true });
}

/** Closes the CTI connection and stops retrying (Log out, before leaving the page). */
export function disconnect(): void {
  driver?.disconnect();
}

/** Reconnects now (e.g. a "Retry now" button while reconnecting). */
export function reconnectNow(): void {
  driver?.connect({ force: false });
}

/**
 * The PBX login page with a `next` back to this page: `/basix/login?next=<path+query+hash>`
 * (issue 4: logout or 401 goes to the login page).
 * @param loc the current location; default `window.location`
 */
export function loginUrl(loc: Pick<Location, 'pathname' | 'search' | 'hash'> = window.location): string {
  return `/basix/login?next=${encodeURIComponent(`${loc.pathname}${loc.search}${loc.hash}`)}`;
}

/**
 * The PBX login page for a login in ANOTHER tab (the banner's "Log in to the PBX" while the socket
 * keeps being refused): its `next` is our `logged-in.html`, which says to come back (the PBX's
 * own login page may ignore `next` and land on its own web app; this console reconnects either way).
 * @param baseUri where this page is, for the path of `logged-in.html`; default `document.baseURI`
 */
export function loginUrlForNewTab(baseUri: string = document.baseURI): string {
  return `/basix/login?next=${encodeURIComponent(new URL('logged-in.html', baseUri).pathname)}`;
}

// ---- pending-action timer ----------------------------------------------------------------------

let pendingTimer: ReturnType<typeof setTimeout> | null = null;

/** Settles actions whose deadline passed and prunes old settled ones, then re-arms. */
export function checkPendingActions(): void {
  const s = useConsoleStore.getState();
  const next = settlePendingActions(s.pendingActions, s, [], nowMs());
  if (next !== s.pendingActions) useConsoleStore.setState({ pendingActions: next });
  schedulePendingCheck();
}

function schedulePendingCheck(): void {
  if (pendingTimer !== null) clearTimeout(pendingTimer);
  pendingTimer = null;
  const actions = useConsoleStore.getState().pendingActions;
  if (actions.length === 0) return;
  let dueMs = Infinity;
  for (const a of actions) {
    const at = a.status === 'pending' ? a.deadlineAtMs : (a.settledAtMs ?? 0) + SETTLED_ACTION_TTL_MS + 1;
    if (at < dueMs) dueMs = at;
  }
  pendingTimer = setTimeout(checkPendingActions, Math.max(0, dueMs - nowMs()) + 1);
}

/** For tests: back to the initial state (keeps missed calls only if asked). */
export function resetConsoleStoreForTests(): void {
  if (missedSaveTimer !== null) clearTimeout(missedSaveTimer);
  missedSaveTimer = null;
  missedToSave = null;
  if (pendingTimer !== null) clearTimeout(pendingTimer);
  pendingTimer = null;
  clockEstimator.reset();
  setPbxClockOffsetMs(0);
  notLiveSinceMs = null;
  liveBeforeInPage = false;
  liveUntilSavedAtMs = -Infinity;
  useConsoleStore.setState(initialConsoleData());
}
