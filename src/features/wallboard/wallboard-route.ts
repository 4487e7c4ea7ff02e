// The `/wallboard` route and its URL options (issue 13). Ours: nothing here involves the PBX.

/** True for the wallboard's path (`/wallboard`, `/wallboard/`), also under a base path (`/console/wallboard`). */
export function isWallboardPath(pathname: string): boolean {
  return /\/wallboard\/?$/.test(pathname);
}

/** Most groups on one screen; more are laid out in pages that rotate. */
export const GROUPS_PER_PAGE = 8;
/** Seconds each page is shown, unless `?page_seconds=` says otherwise (5–600). */
export const DEFAULT_PAGE_SECONDS = 15;

/** What the URL asks for. */
export interface WallboardOptions {
  /** group ids in the order to show them; empty = every known group */
  groups: number[];
  /** seconds per page when there are more than {@link GROUPS_PER_PAGE} groups */
  pageSeconds: number;
  /** `?theme=light` for a bright room; dark by default */
  theme: 'dark' | 'light';
}

/**
 * Reads `?groups=1,2&page_seconds=20&theme=light`. Anything that is not a group id is left out
 * (a typo never hides the whole board); a repeated id is shown once. Never throws.
 */
export function parseWallboardOptions(search: string): WallboardOptions {
  const p = new URLSearchParams(search);
  const groups: number[] = [];
  for (const part of (p.get('groups') ?? '').split(/[\s,]+/)) {
    if (!/^\d+$/.test(part)) continue;
    const id = Number(part);
    if (Number.isSafeInteger(id) && !groups.includes(id)) groups.push(id);
  }
  const sec = Number(p.get('page_seconds'));
  return {
    groups,
    pageSeconds: Number.isFinite(sec) && sec >= 5 && sec <= 600 ? Math.round(sec) : DEFAULT_PAGE_SECONDS,
    theme: p.get('theme') === 'light' ? 'light' : 'dark',
  };
}

/** Splits items into pages of at most `perPage`. */
export function pagesOf<T>(items: readonly T[], perPage = GROUPS_PER_PAGE): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += perPage) pages.push(items.slice(i, i + perPage));
  return pages.length > 0 ? pages : [[]];
}

/** Columns × rows of the grid for `n` tiles on a landscape screen (n ≤ 8 fits one screen). */
export function gridOf(n: number): { cols: number; rows: number } {
  if (n <= 1) return { cols: 1, rows: 1 };
  if (n === 2) return { cols: 2, rows: 1 };
  if (n <= 4) return { cols: 2, rows: 2 };
  if (n <= 6) return { cols: 3, rows: 2 };
  return { cols: 4, rows: 2 };
}
