// React hooks over the memoized selectors. Each selector returns the same array while the maps
// it reads keep their identity, so these hooks re-render only when their inputs change.
import { useConsoleStore } from './console-store.ts';
import {
  selectGroupRows,
  selectIsStale,
  selectQueues,
  selectRingingCalls,
  selectUserRows,
  type GroupRow,
  type QueueView,
  type UserRow,
} from './selectors.ts';
import type { Channel } from './cti-types.ts';

/** Ringing calls, oldest first ({@link selectRingingCalls}). */
export const useRingingCalls = (): Channel[] => useConsoleStore(selectRingingCalls);
/** Queues per group ({@link selectQueues}). */
export const useQueues = (): QueueView[] => useConsoleStore(selectQueues);
/** User rows ({@link selectUserRows}). */
export const useUserRows = (): UserRow[] => useConsoleStore(selectUserRows);
/** Group rows ({@link selectGroupRows}). */
export const useGroupRows = (): GroupRow[] => useConsoleStore(selectGroupRows);
/** True while the connection is not live: call panels must show STALE. */
export const useIsStale = (): boolean => useConsoleStore(selectIsStale);
