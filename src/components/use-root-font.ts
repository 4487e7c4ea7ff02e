import { useSyncExternalStore } from 'react';

/** Fired on window by the app after it changes the root font size (Settings → Text size). */
export const ROOT_FONT_EVENT = 'basix:root-font-size';

/** Pixels per rem right now (the zoom setting and the wall-screen media queries change it). */
export function rootFontPx(): number {
  if (typeof document === 'undefined') return 16;
  return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('resize', onChange);
  window.addEventListener(ROOT_FONT_EVENT, onChange);
  return () => {
    window.removeEventListener('resize', onChange);
    window.removeEventListener(ROOT_FONT_EVENT, onChange);
  };
}

/**
 * The current root font size in px, re-read when the window is resized (the automatic size
 * goes 16 → 20 → 24 px with the width) and when the text-size setting changes, so
 * pixel-sized layouts (the virtualized users table) follow it without a reload.
 */
export function useRootFontPx(): number {
  return useSyncExternalStore(subscribe, rootFontPx, () => 16);
}

/** Tell {@link useRootFontPx} readers that the root font size was changed by script. */
export function notifyRootFontChange(): void {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(ROOT_FONT_EVENT));
}
