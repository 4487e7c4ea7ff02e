// The missed-call list, virtualized (@tanstack/react-virtual): a busy day is thousands of entries
// (issue 12), and only the rows in view (+ overscan) are in the DOM. Rows have different heights
// (a long target wraps): each is measured once rendered. One tab stop (roving tabindex, WAI-ARIA
// APG "Managing Focus Within Components"): ↑/↓ move through the WHOLE list, Home/End to the
// newest/oldest entry; the entry with the tab stop is always rendered (rangeExtractor), so focus
// can move to it before it is scrolled into view.

import { useCallback, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import type { MissedCall } from '../../lib/missed-calls.ts';
import { nextIndex } from '../park/use-roving-focus.ts';
import { MissedItem } from './missed-item.tsx';

/** Estimated row height before measuring, px (one line of name + one of details). */
const ESTIMATE_PX = 48;
const MOVE_KEYS = ['ArrowUp', 'ArrowDown', 'Home', 'End'];
const ITEM_ATTR = 'data-roving-index';

const indexOfKey = (calls: readonly MissedCall[], key: string | null) => (key === null ? -1 : calls.findIndex((c) => c.uuid === key));

/**
 * The list of entries (newest first), virtualized inside its own scroll box that fills the panel.
 * @param calls the store's `missedCalls`
 * @param describedBy id of the keyboard hint
 * @param onOpen opens a call entry's detail (click / Enter / Space)
 */
export function MissedList({ calls, describedBy, onOpen }: { calls: readonly MissedCall[]; describedBy: string; onOpen?: (uuid: string) => void }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const found = indexOfKey(calls, activeKey);
  const activeIndex = found >= 0 ? found : 0;
  const callsNow = useRef(calls);
  callsNow.current = calls;
  /** an entry to focus once rendered (keyboard move, or the focused entry went away) */
  const focusWanted = useRef<string | null>(null);
  /** the entry that has focus, while focus is in the list */
  const focused = useRef<{ key: string; index: number } | null>(null);

  // Stable option functions: the virtualizer keeps them; they read the latest values through refs.
  const [getScrollElement] = useState(() => () => scrollRef.current);
  const [estimateSize] = useState(() => () => ESTIMATE_PX);
  const [getItemKey] = useState(() => (i: number) => callsNow.current[i]?.uuid ?? i);
  // A new function when the active entry moves: the virtualizer memoizes the indexes on it.
  const rangeExtractor = useCallback(
    (range: Range) => {
      const out = defaultRangeExtractor(range);
      if (activeIndex < range.count && !out.includes(activeIndex)) {
        out.push(activeIndex);
        out.sort((x, y) => x - y);
      }
      return out;
    },
    [activeIndex],
  );
  const virtualizer = useVirtualizer({ count: calls.length, getScrollElement, estimateSize, getItemKey, rangeExtractor, overscan: 8, useFlushSync: false });

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      if (e.altKey || e.metaKey || e.shiftKey || !MOVE_KEYS.includes(e.key)) return;
      const key = (document.activeElement as HTMLElement | null)?.getAttribute?.(ITEM_ATTR) ?? null;
      const i = indexOfKey(callsNow.current, key);
      if (i < 0) return;
      e.preventDefault(); // no panel scroll instead
      const j = nextIndex(e.key, false, i, callsNow.current.length, 'list');
      if (j === null) return;
      const to = callsNow.current[j].uuid;
      focusWanted.current = to;
      // Rendered at once (rangeExtractor keeps the active entry); focusing it scrolls it into
      // view, and the virtualizer follows that scroll. (scrollToIndex re-renders until the scroll
      // position settles: it never does where there is no layout.)
      setActiveKey(to);
    },
    [],
  );
  const onFocus = useCallback((e: FocusEvent<HTMLElement>) => {
    const v = (e.target as HTMLElement).getAttribute?.(ITEM_ATTR);
    if (v === null || v === undefined) return;
    setActiveKey(v);
    focused.current = { key: v, index: indexOfKey(callsNow.current, v) };
  }, []);
  const onBlur = useCallback((e: FocusEvent<HTMLElement>) => {
    const to = e.relatedTarget as Node | null;
    if (to && listRef.current?.contains(to)) return;
    const from = e.target as Node;
    // A browser may blur an element it removes (scrolled out, or gone): not the user leaving.
    queueMicrotask(() => {
      if (from.isConnected) focused.current = null;
    });
  }, []);

  useLayoutEffect(() => {
    const f = focused.current;
    if (f && indexOfKey(calls, f.key) < 0) {
      // The focused entry went (cleared, dropped): focus the one now in its place, unless focus moved on purpose.
      focused.current = null;
      const now = document.activeElement;
      if ((!now || now === document.body) && calls.length > 0) {
        const j = Math.min(Math.max(0, f.index), calls.length - 1);
        focusWanted.current = calls[j].uuid;
        setActiveKey(calls[j].uuid);
      }
    }
    const want = focusWanted.current;
    if (!want) return;
    const el = Array.from(listRef.current?.querySelectorAll<HTMLElement>(`[${ITEM_ATTR}]`) ?? []).find((x) => x.getAttribute(ITEM_ATTR) === want);
    if (el) {
      focusWanted.current = null;
      el.focus();
    }
  });

  const items = virtualizer.getVirtualItems();
  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto" data-testid="missed-scroll">
      <ol
        ref={listRef}
        aria-describedby={describedBy}
        className="relative divide-y divide-slate-100 dark:divide-slate-800"
        style={{ height: virtualizer.getTotalSize() }}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={onBlur}
      >
        {items.map((v) => {
          const c = calls[v.index];
          if (!c) return null;
          return (
            <MissedItem
              key={c.uuid}
              c={c}
              index={v.index}
              setSize={calls.length}
              tabIndex={v.index === activeIndex ? 0 : -1}
              measureRef={virtualizer.measureElement}
              onOpen={onOpen}
              style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${v.start}px)` }}
            />
          );
        })}
      </ol>
    </div>
  );
}
