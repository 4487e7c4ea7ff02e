import { useCallback, useMemo } from 'react';
import { useConsoleStore } from '../../stores/console-store.ts';
import { selectParkSlots, type ParkSlotConfig, type ParkSlotView } from '../../stores/selectors.ts';
import { useSettings } from '../settings/settings-store.ts';

/**
 * The park slots to show ({@link selectParkSlots}) with the operator's settings: the park groups
 * shown (`parkGroups`) and their own user id (`myUserId`, used when the session does not tell it).
 * Re-renders only when the slots' views change.
 */
export function useParkSlots(): ParkSlotView[] {
  const parkGroups = useSettings((s) => s.parkGroups);
  const myUserId = useSettings((s) => s.myUserId);
  const cfg = useMemo<ParkSlotConfig>(() => ({ parkGroups, myUserId }), [parkGroups, myUserId]);
  return useConsoleStore(useCallback((s) => selectParkSlots(s, cfg), [cfg]));
}
