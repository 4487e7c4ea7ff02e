/**
 * What bench:ui knows of the console's DOM and of the simulator's scenario steps, in one place.
 * Accessible names are the ones the issue fixes (regions "Users", "Connection status").
 */
import type { Page } from '@playwright/test';

/** The users panel (`<section aria-label="Users">`). */
export const USERS_REGION_SELECTOR = 'section[aria-label="Users"]';
/** The scrolling element of the users table (the virtualizer's scroll container). */
export const USERS_SCROLL_SELECTOR = `${USERS_REGION_SELECTOR} [data-scroll-container], ${USERS_REGION_SELECTOR} .overflow-auto, ${USERS_REGION_SELECTOR} .overflow-y-auto`;

/**
 * Runs in the page (polled every animation frame): the wall time (ms) once the console is
 * usable — status says live and the users table shows rows — else 0.
 */
export function usableProbe(): number {
  const status = document.querySelector('[role="status"][aria-label="Connection status"]');
  const live = !!status && /\blive\b/i.test(status.textContent ?? '');
  const rows = document.querySelectorAll('section[aria-label="Users"] [role="row"]').length;
  return live && rows > 1 ? Date.now() : 0;
}

/** The scenario step that sets a user's new-voicemail count (src/pbx-sim/scenario.ts). */
export function mwiMarkerStep(userId: number, newCount: number): Record<string, unknown> {
  return { op: 'set_mwi', user: userId, mwi: `${newCount}/0` };
}

/**
 * A user whose row is on screen at the top of the users table (so its voicemail counter is in
 * the DOM despite virtualization): the first data row, matched to the simulator's users by name.
 */
export async function findMarkerUser(page: Page, origin: string): Promise<{ id: number; name: string }> {
  const firstRow = page.locator('section[aria-label="Users"] [role="row"]').nth(1);
  const text = (await firstRow.textContent()) ?? '';
  const res = await fetch(`${origin}/__sim/state`);
  const state = (await res.json()) as { users?: Array<{ id: number; name: string; label: string; mainExtension: string }> };
  const users = state.users ?? [];
  const hit = users.find((u) => text.includes(u.label) && text.includes(u.mainExtension));
  if (!hit) throw new Error(`cannot tell which user the first users-table row shows: ${text.slice(0, 200)}`);
  return { id: hit.id, name: hit.name };
}
