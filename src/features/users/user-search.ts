/**
 * Finding a user by what the receptionist types (issue 11): kanji, extension, login name,
 * hiragana, katakana or romaji. One ranking ({@link matchRank}) for the Users search and the
 * transfer / "My phone" type-ahead, so both put the same people first.
 */
import type { User } from '../../stores/cti-types.ts';
import { userLabel } from '../../components/caller.ts';
import { readingOf } from '../../lib/reading.ts';
import type { UserView } from './user-view.ts';

/**
 * A user's type-ahead keys ({@link userSearchKeys}): built on the first search that reads them, not
 * with the view — normalising 10,000 users' label, name and extension cost 20–35 ms of the start-up
 * render, before anything was on screen, for a search nobody has typed yet.
 */
export interface SearchKeys {
  /** {@link searchKey} of label, name and extension, NUL-separated (a match never spans two) */
  all: string;
  /** {@link searchKey} of the label (display name, often kanji) */
  label: string;
  /** {@link searchKey} of `user.name`, the login name (often romaji) */
  name: string;
  /** {@link searchKey} of the main extension */
  ext: string;
  /**
   * readings ({@link readingOf}: folded romaji) of the label, the login name, and each part of the
   * e-mail address's local part (`taro.yamada@…` → `taro`, `yamada`, `taroyamada`: Japanese
   * companies spell names in romaji there, the one place a PBX user record carries a kanji
   * name's reading); `''` entries dropped
   */
  readings: string[];
}

/** A query prepared once per keystroke: its {@link searchKey} and its reading (`''` if none). */
export interface UserQuery {
  key: string;
  reading: string;
}

const SPACES = /[\s\u3000]+/g;
const KATAKANA = /[\u30a1-\u30f6]/g;
const toHiragana = (c: string): string => String.fromCharCode(c.charCodeAt(0) - 0x60);

/**
 * A name, label, extension or query as type-ahead compares it: NFKC (full-width digits and Latin
 * letters, half-width katakana), lower case, katakana as hiragana, and no spaces at all (ASCII or
 * full-width U+3000), so "井上蓮" finds "井上 蓮" and "ｉｎｏｕｅ" finds "Inoue".
 */
export function searchKey(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(SPACES, '').replace(KATAKANA, toHiragana);
}

/** Prepare a typed query: {@link searchKey} plus its reading, so `satou` meets `さとう`. */
export function userQuery(text: string): UserQuery {
  const key = searchKey(text);
  return { key, reading: key === '' ? '' : readingOf(key) };
}

/** Per user record: its {@link SearchKeys} (they depend on the record only). */
const searchCache = new WeakMap<User, SearchKeys>();

/**
 * The type-ahead keys of a user record — its label ({@link userLabel}), login name, extension and
 * the readings of label and login — computed on first use and cached per record.
 */
export function userSearchKeys(u: User): SearchKeys {
  let k = searchCache.get(u);
  if (!k) {
    const all = searchKey(`${userLabel(u)}\u0000${u.name ?? ''}\u0000${u.main_extension ?? ''}`);
    const [label = '', name = '', ext = ''] = all.split('\u0000');
    const readings: string[] = [];
    const rl = readingOf(label);
    if (rl !== '') readings.push(rl);
    const rn = readingOf(name);
    if (rn !== '' && rn !== rl) readings.push(rn);
    for (const r of emailReadings(u.email)) if (!readings.includes(r)) readings.push(r);
    k = { all, label, name, ext, readings };
    searchCache.set(u, k);
  }
  return k;
}

/** Romaji readings in an e-mail address's local part: each `.`/`_`/`-`-separated word, and all of them joined. */
function emailReadings(email: unknown): string[] {
  if (typeof email !== 'string') return [];
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (!/^[a-z][a-z0-9._-]*$/.test(local)) return [];
  const words = local.split(/[._-]+/).map((w) => w.replace(/\d+$/, '')).filter((w) => /^[a-z]{2,}$/.test(w));
  const out = words.map((w) => readingOf(w)).filter((r) => r !== '');
  if (words.length > 1) out.push(readingOf(words.join('')));
  return out;
}

/** The type-ahead keys of a row: its user record's ({@link userSearchKeys}). */
export function searchKeysOf(r: UserView): SearchKeys {
  return userSearchKeys(r.user);
}

/** Ranks of {@link matchRank}; lower is better. */
export const RANK = { exactId: 0, exactName: 1, prefix: 2, substring: 3, none: -1 } as const;

/**
 * How well keys match a query — the one ranking of the Users search and every user type-ahead:
 * 0 the exact extension or login name; 1 the exact label or reading; 2 a prefix of the extension,
 * label, login or a reading; 3 a substring of any of them; -1 no match. An empty query is -1.
 */
export function matchRank(k: SearchKeys, q: UserQuery): number {
  const { key, reading } = q;
  if (key === '') return RANK.none;
  if (k.ext === key || k.name === key) return RANK.exactId;
  if (k.label === key || (reading !== '' && k.readings.includes(reading))) return RANK.exactName;
  if (k.ext.startsWith(key) || k.label.startsWith(key) || k.name.startsWith(key)) return RANK.prefix;
  if (reading !== '' && k.readings.some((r) => r.startsWith(reading))) return RANK.prefix;
  if (k.all.includes(key)) return RANK.substring;
  if (reading !== '' && k.readings.some((r) => r.includes(reading))) return RANK.substring;
  return RANK.none;
}

/** {@link matchRank} of a row for an already normalised query key (kept for older callers). */
export function searchRank(r: UserView, q: string): number {
  const rank = matchRank(searchKeysOf(r), { key: q, reading: q === '' ? '' : readingOf(q) });
  return rank === RANK.none ? 4 : rank;
}

/**
 * `rows` (already in the table's order) with the better matches of `query` first
 * ({@link matchRank}); equal ranks keep their order, non-matches last. The same array for an
 * empty query.
 */
export function rankUserViews(rows: UserView[], query: string): UserView[] {
  const q = userQuery(query);
  if (q.key === '') return rows;
  const byRank: UserView[][] = [[], [], [], [], []];
  for (const r of rows) {
    const k = matchRank(searchKeysOf(r), q);
    byRank[k === RANK.none ? 4 : k]!.push(r);
  }
  return byRank.flat();
}

/** Keep the rows matching the search text ({@link matchRank}) and the group filter (`''` = all groups). */
export function filterUserViews(rows: readonly UserView[], query: string, groupId: string): UserView[] {
  const q = userQuery(query);
  if (q.key === '' && groupId === '') return rows as UserView[];
  return rows.filter((r) => (groupId === '' || r.groupIds.includes(groupId)) && (q.key === '' || matchRank(searchKeysOf(r), q) !== RANK.none));
}

/** What {@link findUsers} returns: the best `matches` and how many more matched beyond them. */
export interface FoundUsers {
  matches: User[];
  /** matching users left out by the limit (shown as "N more") */
  more: number;
}

/**
 * Users matching `query` in {@link matchRank} order, ties by label (locale order), cut at `limit`.
 * Empty query → none.
 */
export function findUsers(users: Iterable<User>, query: string, limit: number): FoundUsers {
  const q = userQuery(query);
  if (q.key === '') return { matches: [], more: 0 };
  const scored: Array<{ u: User; rank: number; label: string }> = [];
  for (const u of users) {
    const rank = matchRank(userSearchKeys(u), q);
    if (rank !== RANK.none) scored.push({ u, rank, label: userLabel(u) });
  }
  scored.sort((a, b) => a.rank - b.rank || a.label.localeCompare(b.label));
  return { matches: scored.slice(0, limit).map((s) => s.u), more: Math.max(0, scored.length - limit) };
}
