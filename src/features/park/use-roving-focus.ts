// Roving tabindex for a list or a wrapping grid of items (WAI-ARIA Authoring Practices,
// "Developing a Keyboard Interface" → "Managing Focus Within Components Using a Roving tabindex",
// and the Grid pattern's keys for layout grids): the items are ONE tab stop; arrow keys, Home and
// End move focus between them. Used by the park slot grid, the missed-call list and the ringing
// calls (a candidate for src/components when someone who owns it wants it there).

import { useCallback, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';

/** The attribute marking an item (its value is the item's key). */
const ITEM_ATTR = 'data-roving-index';

export interface RovingFocus {
  /** Props for the item with `key`: tabindex 0 on the active one, -1 on the others, and its key. */
  itemProps(key: string): { tabIndex: 0 | -1; [ITEM_ATTR]: string };
  /** Put on the container: keys move focus; focusing an item (click, Tab) makes it the active one. */
  containerProps: {
    ref: (el: HTMLElement | null) => void;
    onKeyDown: (e: KeyboardEvent<HTMLElement>) => void;
    onFocus: (e: FocusEvent<HTMLElement>) => void;
    onBlur: (e: FocusEvent<HTMLElement>) => void;
  };
}

/**
 * Number of columns of a wrapping layout: how many items share the first item's row (by their
 * top edge). 1 when the layout cannot be measured (e.g. no layout engine).
 */
export function columnsOf(items: readonly Element[]): number {
  if (items.length === 0) return 1;
  const top0 = items[0].getBoundingClientRect().top;
  let n = 1;
  while (n < items.length && Math.abs(items[n].getBoundingClientRect().top - top0) < 1) n++;
  // Every item on "one row" with no size means no layout (jsdom): treat as a single column list.
  if (n === items.length && items[0].getBoundingClientRect().height === 0) return 1;
  return n;
}

/**
 * Where a key moves focus, or null if it does not (at an edge: no wrap-around from last to first).
 * - `list`: ↑/↓ previous/next, Home/End first/last.
 * - `grid` (items flowing in rows of `cols`): ←/→ previous/next in reading order, ↑/↓ the same
 *   column in the row above/below, Home/End the row's first/last, Ctrl+Home/Ctrl+End the first/last item.
 */
export function nextIndex(
  key: string,
  ctrl: boolean,
  i: number,
  count: number,
  mode: 'list' | 'grid',
  cols = 1,
): number | null {
  if (count === 0) return null;
  const at = (j: number) => (j >= 0 && j < count && j !== i ? j : null);
  if (mode === 'list') {
    if (key === 'ArrowDown') return at(i + 1);
    if (key === 'ArrowUp') return at(i - 1);
    if (key === 'Home') return at(0);
    if (key === 'End') return at(count - 1);
    return null;
  }
  const c = Math.max(1, cols);
  const rowStart = i - (i % c);
  switch (key) {
    case 'ArrowRight':
      return at(i + 1);
    case 'ArrowLeft':
      return at(i - 1);
    case 'ArrowDown':
      return at(i + c);
    case 'ArrowUp':
      return at(i - c);
    case 'Home':
      return at(ctrl ? 0 : rowStart);
    case 'End':
      return at(ctrl ? count - 1 : Math.min(count - 1, rowStart + c - 1));
    default:
      return null;
  }
}

/**
 * Roving tabindex over items rendered in order inside the container, identified by stable keys
 * (a slot number, a call's uuid), so the tab stop stays on the same item when others are added
 * before it (a missed-call list grows at the top); if that item goes, the first one takes it.
 * If the item that HAS focus goes (a ringing call answered by a colleague), focus moves to the
 * item now in its place instead of being lost to the page.
 * @param keys the items' keys, in rendering order
 * @param mode `list` (one column) or `grid` (rows that wrap with the container's width; the
 *   columns are measured from the layout on each key press)
 */
export function useRovingFocus(keys: readonly string[], mode: 'list' | 'grid'): RovingFocus {
  const [stored, setActive] = useState<string | null>(null);
  const active = stored !== null && keys.includes(stored) ? stored : (keys[0] ?? null);

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      if (e.altKey || e.metaKey || e.shiftKey) return;
      const items = Array.from(e.currentTarget.querySelectorAll<HTMLElement>(`[${ITEM_ATTR}]`));
      const i = items.findIndex((el) => el === document.activeElement);
      if (i < 0) return; // focus is on something else inside (e.g. Show more)
      const cols = mode === 'grid' ? columnsOf(items) : 1;
      const j = nextIndex(e.key, e.ctrlKey, i, items.length, mode, cols);
      const moves = mode === 'grid' ? GRID_KEYS : LIST_KEYS;
      if (moves.includes(e.key)) e.preventDefault(); // no page / panel scroll instead
      if (j === null) return;
      setActive(items[j].getAttribute(ITEM_ATTR));
      items[j].focus();
    },
    [mode],
  );

  const container = useRef<HTMLElement | null>(null);
  const ref = useCallback((el: HTMLElement | null) => {
    container.current = el;
  }, []);
  const keysNow = useRef(keys);
  keysNow.current = keys;
  /** the item that has focus (its key and position), while focus is on an item */
  const focused = useRef<{ key: string; index: number } | null>(null);

  const onFocus = useCallback((e: FocusEvent<HTMLElement>) => {
    const v = (e.target as HTMLElement).getAttribute?.(ITEM_ATTR);
    if (v === null || v === undefined) return;
    setActive(v);
    focused.current = { key: v, index: keysNow.current.indexOf(v) };
  }, []);

  const onBlur = useCallback((e: FocusEvent<HTMLElement>) => {
    const to = e.relatedTarget as Node | null;
    if (to && container.current?.contains(to)) return;
    const from = e.target as Node;
    // A browser may blur an element it removes: that is not the user leaving the list.
    queueMicrotask(() => {
      if (from.isConnected) focused.current = null;
    });
  }, []);

  useLayoutEffect(() => {
    const f = focused.current;
    if (!f || keys.includes(f.key)) return;
    focused.current = null;
    const now = document.activeElement;
    if (now && now !== document.body) return; // focus is somewhere on purpose
    const items = Array.from(container.current?.querySelectorAll<HTMLElement>(`[${ITEM_ATTR}]`) ?? []);
    items[Math.min(Math.max(0, f.index), items.length - 1)]?.focus();
  });

  const itemProps = useCallback((key: string) => ({ tabIndex: (key === active ? 0 : -1) as 0 | -1, [ITEM_ATTR]: key }), [active]);
  return { itemProps, containerProps: { ref, onKeyDown, onFocus, onBlur } };
}

const LIST_KEYS = ['ArrowUp', 'ArrowDown', 'Home', 'End'];
const GRID_KEYS = [...LIST_KEYS, 'ArrowLeft', 'ArrowRight'];
