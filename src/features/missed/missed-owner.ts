// Keeps the store's missed-call list the right owner's, loaded from and saved to IndexedDB
// (src/lib/missed-calls-persister.ts), within the retention rule (src/lib/missed-calls-retention.ts).
//
// Whose list: the logged-in PBX user's when our optional session endpoint says who that is (a
// reception PC is shared: each operator has their own); when the console cannot tell (a real PBX
// has no such endpoint, issue 9), this browser's list on this PBX (`location.origin`), deleted at
// a log-out. Nothing is shown while the owner is unknown, and after a log-out.

import { addMissedCalls, defaultStorage, getMissedCallsOwner, isBrowserOwner, sameOwner, setMissedCallsOwner, setMissedCallsSink, type MissedCall, type MissedCallsOwner } from '../../lib/missed-calls.ts';
import { applyRetention } from '../../lib/missed-calls-retention.ts';
import { MissedCallsPersister, type PersisterEvent } from '../../lib/missed-calls-persister.ts';
import { openMissedCallsDb, type MissedCallsBackend } from '../../lib/missed-calls-storage.ts';
import { pbxNowUs } from '../../lib/clock.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { clearMissedNotices, dismissMissedNotice, reportMissedNotice } from './missed-notice.ts';
import { bindOutageMarkers } from './missed-outage.ts';

type ConsoleState = ReturnType<typeof useConsoleStore.getState>;
type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** Changes are written at most this often, ms (and at once on page hide and on Clear). */
export const MISSED_SAVE_EVERY_MS = 2_000;

/**
 * Whose list the console should show for this state:
 * - none after the PBX logged the user out (`logout`) or the session is no longer valid
 *   (`unauthorized`), and while the connection says "log in to the PBX" (`loginRequired`);
 * - the session's user and domain when the session endpoint named them;
 * - this browser on this PBX (`origin`) when the PBX has no session endpoint (`absent`), or the
 *   console is live without knowing the user, or (`browserListBefore`) this browser's list was the
 *   one used here last time and the PBX cannot be reached yet;
 * - none otherwise (the user may still become known: the first session check is under way).
 * @param origin default `location.origin`
 * @param browserListBefore this browser's list was in use on this origin (see {@link BROWSER_LIST_KEY})
 */
export function missedCallsOwnerOf(
  s: Pick<ConsoleState, 'session' | 'connection'>,
  origin: string = typeof location === 'undefined' ? 'null' : location.origin,
  browserListBefore = false,
): MissedCallsOwner | null {
  const c = s.connection;
  if (c.status === 'stopped' && (c.stopReason === 'logout' || c.stopReason === 'unauthorized')) return null;
  // "Log in to the PBX" is a guess from sockets that keep failing (the browser hides the 401):
  // the list is hidden, not deleted, and comes back when the console is live again.
  if (c.loginRequired && c.status !== 'live') return null;
  if (s.session?.username) return { username: s.session.username, domain: s.session.domain ?? null };
  if (c.sessionEndpoint === 'absent' || c.status === 'live') return { origin };
  // The PBX cannot be reached at load (nothing known of its session endpoint yet): the list this
  // browser used last time here is shown meanwhile — an outage is when the receptionist needs it.
  if (browserListBefore && c.sessionEndpoint === 'unknown' && c.status !== 'connecting') return { origin };
  return null;
}

/**
 * localStorage key: this browser's list (user unknown) was the one in use on this origin, so it
 * is shown even while the PBX cannot be reached at load. Removed when a known user's list is used
 * and at a log-out.
 */
export const BROWSER_LIST_KEY = 'basix-console.missed-browser-list.v1';

/** What {@link bindMissedCallsToSession} uses (tests inject them). */
export interface MissedBindingDeps {
  /** opens the IndexedDB backend (once); default {@link openMissedCallsDb} */
  openBackend?: () => Promise<MissedCallsBackend>;
  /** journal, v1 lists, live-until mark; default localStorage */
  storage?: StorageLike | null;
  /** `location.origin` */
  origin?: string;
  /** PBX now, µs (the retention's "today"); default {@link pbxNowUs} */
  nowUs?: () => number;
  /** browser now, ms (outage spans); default Date.now */
  now?: () => number;
}

let active: { logout(): Promise<void>; flush(): void } | null = null;

/**
 * Follows the store: loads the owner's list when the owner becomes known (merged with calls seen
 * before it was loaded), saves changes in batches, applies the retention rule (and says what it
 * dropped), deletes the browser-wide list at a PBX log-out, and adds outage markers
 * (missed-outage.ts). Call once, before the connection starts (src/main.tsx).
 * @returns a function that stops following
 */
export function bindMissedCallsToSession(store: typeof useConsoleStore = useConsoleStore, deps: MissedBindingDeps = {}): () => void {
  const nowUs = deps.nowUs ?? pbxNowUs;
  let backend: Promise<MissedCallsBackend> | null = null;
  const getBackend = () => (backend ??= (deps.openBackend ?? openMissedCallsDb)());
  let persister: MissedCallsPersister | null = null;
  /** every earlier owner's load and writes: a new owner's load waits for them */
  let writesDone: Promise<void> = Promise.resolve();
  /** the owner's list has been loaded and merged into the store: saves may go out */
  let loaded = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** a log-out happened: no list is shown again until the console is live */
  let loggedOut = false;
  /** the console has been live in this page: the PBX clock offset (the retention's "today") is known */
  let clockKnown = false;

  const storage = deps.storage === undefined ? defaultStorage() : deps.storage;
  // Read once: follow() runs on every store update (each worker batch).
  let browserList = (() => {
    try {
      return storage?.getItem(BROWSER_LIST_KEY) === '1';
    } catch {
      return false;
    }
  })();
  const rememberBrowserList = (on: boolean) => {
    if (on === browserList) return;
    browserList = on;
    try {
      if (on) storage?.setItem(BROWSER_LIST_KEY, '1');
      else storage?.removeItem(BROWSER_LIST_KEY);
    } catch {
      /* no storage: the list shows once the PBX answers */
    }
  };

  const onEvent = (p: MissedCallsPersister) => (e: PersisterEvent) => {
    if (p !== persister) return;
    if (e.type === 'saved') dismissMissedNotice('write-failed');
    else if (e.type === 'write-failed') reportMissedNotice({ kind: 'write-failed', reason: e.reason });
    else if (e.type === 'unavailable') reportMissedNotice({ kind: 'unavailable', reason: e.reason });
    else if (e.type === 'dropped') {
      const gone = new Set(e.calls.map((c) => c.uuid));
      const list = store.getState().missedCalls;
      store.setState({ missedCalls: list.filter((c) => !gone.has(c.uuid)) });
      if (e.calls.length > 0) reportMissedNotice({ kind: 'quota', count: e.calls.length, untilUs: e.calls[0].endedAtUs });
    }
  };

  /** Applies the retention rule to the store's list (saying what it dropped), then hands it to the persister. */
  const flush = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (!persister) return;
    const list = store.getState().missedCalls;
    if (!loaded) return persister.save(list); // calls seen while loading: merged with the stored list
    // "Today" is the PBX's: not before the clock offset is known from a live connection (a PC
    // clock days off must not make the retention drop a day's calls).
    const r = clockKnown ? applyRetention(list, nowUs()) : { kept: list, dropped: [], cutoffUs: 0 };
    if (r.kept !== list) {
      store.setState({ missedCalls: r.kept });
      if (r.dropped.length > 0) reportMissedNotice({ kind: 'retention', count: r.dropped.length, beforeUs: r.cutoffUs });
    }
    persister.save(r.kept);
  };
  const schedule = (list: readonly MissedCall[]) => {
    if (!persister) return;
    if (!loaded) return persister.save(list); // remembered, merged with the stored list once loaded
    if (list.length === 0) return flush(); // a Clear is written at once
    if (timer === null) timer = setTimeout(flush, MISSED_SAVE_EVERY_MS);
  };

  const switchTo = (owner: MissedCallsOwner | null) => {
    const previous = getMissedCallsOwner();
    flush(); // the previous owner's pending changes, to the previous owner
    // The next load waits for those writes: the same list may come back (a hidden list shown again).
    if (persister) writesDone = Promise.all([writesDone, persister.idle()]).then(() => undefined);
    persister?.close();
    persister = null;
    loaded = false;
    setMissedCallsOwner(owner);
    if (owner) rememberBrowserList(isBrowserOwner(owner));
    clearMissedNotices();
    // Calls seen while nobody owned the list (the owner became known only when live) are the new owner's.
    const carried = previous === null ? store.getState().missedCalls : [];
    if (carried !== store.getState().missedCalls) store.setState({ missedCalls: carried });
    if (!owner) return;
    const p = new MissedCallsPersister(owner, { backend: writesDone.then(getBackend), storage: deps.storage, onEvent: (e) => onEvent(p)(e) });
    persister = p;
    void p.open().then((stored) => {
      if (p !== persister) return;
      loaded = true;
      // (a write may already have dropped some for lack of space: not brought back)
      const merged = p.withoutDropped(addMissedCalls(stored, store.getState().missedCalls));
      store.setState({ missedCalls: merged });
      flush();
    });
  };

  const follow = (s: ConsoleState, prev?: ConsoleState) => {
    if (s.connection.status === 'live' && prev && prev.connection.status !== 'live') {
      loggedOut = false;
      if (!clockKnown) {
        clockKnown = true;
        if (loaded) queueMicrotask(flush); // the retention, now that "today" is known
      }
    }
    const stoppedNow = s.connection.status === 'stopped' && prev?.connection.status !== 'stopped';
    if (stoppedNow && (s.connection.stopReason === 'logout' || s.connection.stopReason === 'unauthorized')) {
      void logout();
      return;
    }
    let owner = missedCallsOwnerOf(s, deps.origin, browserList);
    if (loggedOut) owner = null; // until live again after the next log-in
    if (!sameOwner(owner, getMissedCallsOwner())) switchTo(owner);
    else if (prev && s.missedCalls !== prev.missedCalls) schedule(s.missedCalls);
  };

  /** Log-out: the browser-wide list is deleted (the next person at the PC is someone else); a user's own is kept for them, hidden. */
  const logout = async () => {
    const owner = getMissedCallsOwner();
    const p = persister;
    loggedOut = true;
    rememberBrowserList(false);
    if (isBrowserOwner(owner) && p) {
      persister = null;
      loaded = false;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      setMissedCallsOwner(null);
      clearMissedNotices();
      store.setState({ missedCalls: [] });
      await p.destroy();
      return;
    }
    switchTo(null);
  };

  setMissedCallsSink({ save: (list) => schedule(list) });
  follow(store.getState());
  const unsubscribe = store.subscribe(follow);
  const unbindOutage = bindOutageMarkers(store, { storage: deps.storage, now: deps.now });
  const onHide = () => flush();
  const onVisibility = () => {
    if (typeof document !== 'undefined' && document.visibilityState === 'hidden') flush();
  };
  const win = typeof window !== 'undefined' && typeof window.addEventListener === 'function' ? window : null;
  win?.addEventListener('pagehide', onHide);
  win?.addEventListener('visibilitychange', onVisibility);
  active = { logout, flush };
  return () => {
    flush();
    unsubscribe();
    unbindOutage();
    win?.removeEventListener('pagehide', onHide);
    win?.removeEventListener('visibilitychange', onVisibility);
    setMissedCallsSink(null);
    persister?.close();
    persister = null;
    active = null;
  };
}

/**
 * For the console's own log-out (and any other certain log-out the connection learns of): the
 * browser-wide list (user unknown) is deleted from this browser, a known user's list is hidden
 * and kept for them. Missed calls show again once the console is live after the next log-in.
 * `system_msg logout` and an `unauthorized` stop are followed without this call.
 * @returns when the deletion is done (it never rejects; a failure shows in the panel)
 */
export function clearMissedCallsOnLogout(): Promise<void> {
  return active?.logout() ?? Promise.resolve();
}

/** Writes pending missed-call changes now (the journal synchronously, IndexedDB soon). */
export function flushMissedCalls(): void {
  active?.flush();
}
