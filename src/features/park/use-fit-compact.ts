// The park grid at 1366×768 has ~290 px for 4 rows of slots: with several occupied (and warning)
// slots in different rows, the last row (910) scrolled out of view — a forgotten call there could
// go unseen. When the grid does not fit, slots get compact in three steps: 1) the caller's number
// leaves the view; 2) also the words "Waiting too long" (the slot stays red with ⚠); 3) free slots
// take one line ("905 Free") and no slot keeps a minimum height — at 150 % text on 1366×768 the
// free slots' two lines pushed 905–910 out of view (issue 11). The hidden words stay in the
// accessible description and the tooltip; the number also in the call detail.

import { useCallback, useLayoutEffect, useRef, useState } from 'react';

/** 0 full, 1 without the number, 2 also without the warning words, 3 also free slots on one line and no minimum height. */
export type CompactLevel = 0 | 1 | 2 | 3;

export interface FitState {
  level: CompactLevel;
  /** the scroll box height and occupied count when compact mode was needed, or null */
  basis: { boxPx: number; occupied: number } | null;
}

/**
 * Next compact state from a measurement: one level more compact while the content overflows the
 * box; back to full when the box grew or fewer slots are occupied than when it was first needed
 * (the next measurements decide again). Never less compact just because compact made it fit.
 * @param m `contentPx` the box's scroll height, `boxPx` its client height (px)
 */
export function nextFit(s: FitState, m: { contentPx: number; boxPx: number; occupied: number }): FitState {
  if (s.level > 0 && s.basis && (m.boxPx > s.basis.boxPx + 1 || m.occupied < s.basis.occupied)) return { level: 0, basis: null };
  if (m.contentPx > m.boxPx + 1 && s.level < 3) {
    return { level: (s.level + 1) as CompactLevel, basis: s.basis ?? { boxPx: m.boxPx, occupied: m.occupied } };
  }
  return s;
}

/**
 * Measures the element's scroll box (its parent) on resize and when `occupied` changes.
 * @returns `ref` for the grid element, and how compact slots should be
 */
export function useFitCompact(occupied: number): { ref: (el: HTMLElement | null) => void; level: CompactLevel } {
  const [state, setState] = useState<FitState>({ level: 0, basis: null });
  const el = useRef<HTMLElement | null>(null);
  const occupiedNow = useRef(occupied);
  occupiedNow.current = occupied;

  const measure = useCallback(() => {
    const box = el.current?.parentElement;
    if (!box || box.clientHeight === 0) return; // not laid out (hidden, or no layout engine)
    const m = { contentPx: box.scrollHeight, boxPx: box.clientHeight, occupied: occupiedNow.current };
    setState((s) => nextFit(s, m));
  }, []);

  const ref = useCallback((node: HTMLElement | null) => {
    el.current = node;
  }, []);

  useLayoutEffect(() => {
    const node = el.current;
    if (!node || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(node);
    if (node.parentElement) ro.observe(node.parentElement);
    return () => ro.disconnect();
  }, [measure]);

  // A change of state or occupancy is measured after its layout (left compact → does it fit?).
  useLayoutEffect(measure, [measure, occupied, state.level]);

  return { ref, level: state.level };
}
