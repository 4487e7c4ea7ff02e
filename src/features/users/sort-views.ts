/**
 * Sorting the users table's 10,000 rows, incrementally. Under load a table refresh (every 750 ms)
 * changes a few hundred users, mostly their presence; when sorted by name (the default) none of
 * them moves. Re-sorting everything (keys for every row, ~130,000 comparisons, and the arrays
 * that go with it) on each refresh was one of the main thread's long tasks. Here only the rows
 * whose sort keys changed are taken out and merged back in: O(n + k log k) for k changed rows.
 */
import type { UserView } from './user-view.ts';

/** A sort key: numbers and strings compare with `<` (a collation is turned into ranks first). */
export type SortKey = number | string;

/** One sort level: the key of a row, and the direction. */
export interface SortLevel {
  desc: boolean;
  key: (r: UserView) => SortKey;
}

/**
 * A sorter that remembers its last result. `sort(rows, levels, spec)` returns `rows` sorted by
 * `levels` (first level first; ties keep the input order, i.e. a stable sort as TanStack's).
 *
 * It works incrementally when the call before had the same `spec` and rows with the same ids in
 * the same order: then only the rows whose view object changed get their keys recomputed, and
 * only those whose keys changed move. `spec` must change whenever a key function would give
 * another result for an unchanged view (another column, direction, collation ranks, call data):
 * the sorter cannot see inside the functions.
 * Returns the previous array (same identity) when nothing changed.
 */
export function createViewSorter(): (rows: readonly UserView[], levels: readonly SortLevel[], spec: string) => UserView[] {
  let last: {
    rows: readonly UserView[];
    spec: string;
    /** keys[level][input index] */
    keys: SortKey[][];
    /** input indices in sorted order */
    order: number[];
    out: UserView[];
  } | null = null;

  return (rows, levels, spec) => {
    if (levels.length === 0) {
      last = null;
      return rows as UserView[];
    }
    const prev = last;
    if (prev && prev.rows === rows && prev.spec === spec) return prev.out;

    const sameShape = prev !== null && prev.spec === spec && prev.rows.length === rows.length && sameIds(prev.rows, rows);
    if (!sameShape) {
      const keys = levels.map((l) => rows.map(l.key));
      const order = rows.map((_, i) => i);
      order.sort(comparator(keys, levels));
      last = { rows, spec, keys, order, out: order.map((i) => rows[i]!) };
      return last.out;
    }

    // Same users in the same order: recompute the keys of the changed views only.
    const keys = prev.keys;
    const moved = new Set<number>();
    let changed = false;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === prev.rows[i]) continue;
      changed = true;
      for (let l = 0; l < levels.length; l++) {
        const k = levels[l]!.key(rows[i]!);
        if (k !== keys[l]![i]) {
          keys[l]![i] = k;
          moved.add(i);
        }
      }
    }
    if (!changed) {
      last = { ...prev, rows };
      return prev.out;
    }
    let order = prev.order;
    if (moved.size > 0) {
      const cmp = comparator(keys, levels);
      const stay = order.filter((i) => !moved.has(i));
      const move = [...moved].sort(cmp);
      order = new Array<number>(rows.length);
      let a = 0;
      let b = 0;
      for (let o = 0; o < order.length; o++) {
        order[o] = b >= move.length || (a < stay.length && cmp(stay[a]!, move[b]!) <= 0) ? stay[a++]! : move[b++]!;
      }
    }
    last = { rows, spec, keys, order, out: order.map((i) => rows[i]!) };
    return last.out;
  };
}

/** Compare input indices by the keys, then by input order. */
function comparator(keys: SortKey[][], levels: readonly SortLevel[]): (a: number, b: number) => number {
  return (a, b) => {
    for (let l = 0; l < levels.length; l++) {
      const ka = keys[l]![a]!;
      const kb = keys[l]![b]!;
      if (ka !== kb) return (ka < kb ? -1 : 1) * (levels[l]!.desc ? -1 : 1);
    }
    return a - b;
  };
}

function sameIds(a: readonly UserView[], b: readonly UserView[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && a[i]!.id !== b[i]!.id) return false;
  return true;
}
