/**
 * The operator's marks on the missed-call list (issue 11): "called back" and dismissing an
 * outage marker. Both change the store's `missedCalls` and hand the new list to storage at once
 * (the entries are persisted: src/lib/missed-calls-persister.ts writes a changed entry again).
 * Ours: nothing of this reaches the PBX.
 */
import { flushMissedCallsSave, useConsoleStore } from '../../stores/console-store.ts';
import { saveMissedCalls, withCalledBack, withoutOutage, type MissedCall } from '../../lib/missed-calls.ts';

function apply(change: (list: readonly MissedCall[]) => MissedCall[]): void {
  // A throttled save of an older list must not land after this one and undo the mark.
  flushMissedCallsSave();
  const before = useConsoleStore.getState().missedCalls;
  const next = change(before);
  if (next === before) return;
  useConsoleStore.setState({ missedCalls: next });
  saveMissedCalls(next);
}

/**
 * Marks the missed call `uuid` as called back now (`on`), or takes the mark away.
 * @param atMs when, epoch ms (default now, this browser's clock)
 */
export function setCalledBack(uuid: string, on: boolean, atMs: number = Date.now()): void {
  apply((list) => withCalledBack(list, uuid, on ? atMs : null));
}

/** Removes the outage marker `uuid` ("calls may be missing…") from the list, for good. */
export function dismissOutage(uuid: string): void {
  apply((list) => withoutOutage(list, uuid));
}
