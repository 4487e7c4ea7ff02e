import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useConsoleStore } from '../stores/console-store.ts';

type ConsoleState = ReturnType<typeof useConsoleStore.getState>;

/**
 * Run a selector that builds new arrays/objects (e.g. `selectQueues`) only when the store
 * slices it reads change. Subscribing to the derived value directly would give a new object on
 * every store read, which `useSyncExternalStore` rejects; instead we subscribe to the slices
 * (stable references: a new Map only on change) and memoise.
 *
 * @param keys the top-level state keys the selector reads (constant per call site)
 * @param select a pure function of the state (module-level, not recreated per render)
 */
export function useDerived<T>(keys: readonly (keyof ConsoleState)[], select: (s: ConsoleState) => T): T {
  const parts = useConsoleStore(useShallow((s: ConsoleState) => keys.map((k) => s[k])));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(() => select(useConsoleStore.getState()), [select, ...parts]);
}
