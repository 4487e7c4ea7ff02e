/**
 * What bench:ui knows of the console's DOM and of the simulator's scenario steps, in one place.
 * Accessible names are the ones the issue fixes (regions "Users", status "Connection status").
 */

/**
 * Runs in the page (polled every animation frame): once the console is usable — the connection
 * status says Live and the users table shows data rows — the wall time (ms) and the text of the
 * first data row; else null.
 */
export function usableProbe(): { at: number; firstRow: string; table: { x: number; y: number; width: number; height: number } } | null {
  const status = document.querySelector('[role="status"][aria-label="Connection status"]');
  if (!status || !/\bLive\b/.test(status.textContent ?? '')) return null;
  const rows = document.querySelectorAll('section[aria-label="Users"] tbody [role="row"]');
  if (rows.length === 0) return null;
  const r = rows[0].closest('tbody')!.getBoundingClientRect();
  return { at: Date.now(), firstRow: rows[0].textContent ?? '', table: { x: r.x, y: r.y, width: r.width, height: Math.min(r.height, window.innerHeight - r.y) } };
}

/** The scenario step that sets a user's voicemail counters to `newCount`/0 (src/pbx-sim/scenario.ts). */
export function mwiMarkerStep(userId: number, newCount: number): Record<string, unknown> {
  return { op: 'set_mwi', user: userId, mwi: `${newCount}/0` };
}

interface SimUserJson {
  id: number;
  name: string;
  label: string;
  mainExtension: string;
}

/**
 * The simulator's user shown in the first row of the users table (virtualization keeps only
 * rows on screen in the DOM, so the marker must go to a visible one), matched by label + extension.
 * @throws Error when no user matches.
 */
export async function findMarkerUser(origin: string, firstRowText: string): Promise<{ id: number; name: string }> {
  const res = await fetch(`${origin}/__sim/state`);
  const state = (await res.json()) as { users?: SimUserJson[] };
  const hit = (state.users ?? []).find((u) => firstRowText.includes(u.label) && firstRowText.includes(u.name) && firstRowText.includes(u.mainExtension));
  if (!hit) throw new Error(`cannot tell which user the first users-table row shows: ${firstRowText.slice(0, 200)}`);
  return { id: hit.id, name: hit.name };
}
