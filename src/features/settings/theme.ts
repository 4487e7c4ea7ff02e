/**
 * Applies the colour-scheme setting (issue 11) to the page: the class `dark` or `light` on
 * `<html>` for a fixed choice, neither for `system` (the OS's `prefers-color-scheme` then decides,
 * in CSS alone: src/index.css `@custom-variant dark`, so a page that never loads this module —
 * the wallboard — still follows the OS). `color-scheme` follows too, for native controls.
 */
import { useSettings, type ThemeSetting } from './settings-store.ts';

/**
 * Puts `theme` on `root`: class `dark` / `light` (or none for `system`) and `color-scheme`.
 * @param root default `document.documentElement`
 */
export function applyTheme(theme: ThemeSetting, root: HTMLElement = document.documentElement): void {
  root.classList.toggle('dark', theme === 'dark');
  root.classList.toggle('light', theme === 'light');
  if (theme === 'system') root.style.removeProperty('color-scheme');
  else root.style.colorScheme = theme;
}

/** Keeps the page's scheme in step with the setting; returns the unsubscribe. A no-op outside a browser. */
export function installTheme(): () => void {
  if (typeof document === 'undefined') return () => {};
  applyTheme(useSettings.getState().theme);
  return useSettings.subscribe((s, prev) => {
    if (s.theme !== prev.theme) applyTheme(s.theme);
  });
}
