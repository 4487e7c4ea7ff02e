import { useSyncExternalStore } from 'react';

/** Fired on window by the app after it changes the root font size (Settings → Text size). */
export const ROOT_FONT_EVENT = 'basix:root-font-size';

/** Pixels per rem right now (the zoom setting and the wall-screen media queries change it). */
export function rootFontPx(): number {
  if (typeof document === 'undefined') return 16;
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

// The last value read. React asks for the snapshot on every render and commit of a reader, and
// getComputedStyle forces a style recalculation of a page that changed since: under load that
// was a large share of the main thread. Re-read only when it can have changed (the events below).
let cached: number | null = null;
const read = (): number => (cached = rootFontPx());
const snapshot = (): number => cached ?? read();

function subscribe(onChange: () => void): () => void {
  const changed = () => {
    read();
    onChange();
  };
  window.addEventListener('resize', changed);
  window.addEventListener(ROOT_FONT_EVENT, changed);
  // the stylesheet may have changed the size since the first render read it
  if (cached !== read()) onChange();
  return () => {
    window.removeEventListener('resize', changed);
    window.removeEventListener(ROOT_FONT_EVENT, changed);
  };
}

/**
 * The current root font size in px, re-read when the window is resized (the automatic size
 * goes 16 → 20 → 24 px with the width) and when the text-size setting changes, so
 * pixel-sized layouts (the virtualized users table) follow it without a reload.
 */
export function useRootFontPx(): number {
  return useSyncExternalStore(subscribe, snapshot, () => 16);
}

/** Tell {@link useRootFontPx} readers that the root font size was changed by script. */
export function notifyRootFontChange(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(ROOT_FONT_EVENT));
}
