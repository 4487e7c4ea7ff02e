// Keeps the store's missed-call list the logged-in operator's own: a reception PC is shared, and
// the list is persisted per user and domain (src/lib/missed-calls.ts). The console learns who is
// logged in from `GET /basix/api/session`, asked by the worker before every connect attempt; the
// store holds it as `session` (set before the socket opens, so no call is seen without an owner).

import { sameOwner, setMissedCallsOwner, getMissedCallsOwner, type MissedCallsOwner } from '../../lib/missed-calls.ts';
import { flushMissedCallsSave, useConsoleStore } from '../../stores/console-store.ts';

type ConsoleState = ReturnType<typeof useConsoleStore.getState>;

/**
 * Whose list the console should show for this state: the session's user and domain; null before
 * the session is known, and once the PBX has logged the user out (`logout`) or the session is no
 * longer valid (`unauthorized`) — the next person at the PC must not see it, even for the moment
 * before the login page loads.
 */
export function missedCallsOwnerOf(s: Pick<ConsoleState, 'session' | 'connection'>): MissedCallsOwner | null {
  if (!s.session || !s.session.username) return null;
  if (s.connection.status === 'stopped' && (s.connection.stopReason === 'logout' || s.connection.stopReason === 'unauthorized')) return null;
  return { username: s.session.username, domain: s.session.domain ?? null };
}

/**
 * Follows the store's session: when the owner changes, the previous owner's pending save is
 * written (to the previous owner's key), then the new owner's list (migrating the old unkeyed
 * list once, for the first user) replaces the one in the store; no owner empties it.
 * @returns a function that stops following
 */
export function bindMissedCallsToSession(store: typeof useConsoleStore = useConsoleStore): () => void {
  const follow = (s: ConsoleState) => {
    const owner = missedCallsOwnerOf(s);
    if (sameOwner(owner, getMissedCallsOwner())) return;
    flushMissedCallsSave();
    const list = setMissedCallsOwner(owner);
    // Replaced, not merged: what is in the store is the previous owner's (already saved above).
    store.setState({ missedCalls: list });
  };
  follow(store.getState());
  return store.subscribe(follow);
}
