import { describe, expect, it } from 'vitest';
import { createViewSorter, type SortLevel } from './sort-views.ts';
import type { UserView } from './user-view.ts';
import { createRng } from '../../pbx-sim/prng.ts';

const view = (id: number, presence: number, label: string): UserView =>
  ({ id: String(id), user: { id }, label, name: '', extension: '', presence, dnd: false, fwd: false, mwi: null, groupIds: [], groupLabels: [], loggedInCount: 0 }) as UserView;

/** The reference: a full stable sort. */
function fullSort(rows: readonly UserView[], levels: readonly SortLevel[]): UserView[] {
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      for (const l of levels) {
        const ka = l.key(a.r);
        const kb = l.key(b.r);
        if (ka !== kb) return (ka < kb ? -1 : 1) * (l.desc ? -1 : 1);
      }
      return a.i - b.i;
    })
    .map((x) => x.r);
}

/** A small deterministic PRNG: the simulator's seeded mulberry32. */
function rng(seed: number): () => number {
  return createRng(seed).next;
}

describe('createViewSorter', () => {
  const byPresence: SortLevel[] = [{ desc: false, key: (r) => r.presence ?? 99 }];
  const byPresenceDescThenLabel: SortLevel[] = [
    { desc: true, key: (r) => r.presence ?? 99 },
    { desc: false, key: (r) => r.label },
  ];

  it('gives the same order as a full stable sort after every partial change', () => {
    for (const levels of [byPresence, byPresenceDescThenLabel]) {
      const rand = rng(levels.length);
      let rows = Array.from({ length: 300 }, (_, i) => view(i, Math.floor(rand() * 4), `u${Math.floor(rand() * 50)}`));
      const sort = createViewSorter();
      expect(sort(rows, levels, 's')).toEqual(fullSort(rows, levels));
      for (let step = 0; step < 60; step++) {
        rows = rows.map((r) => (rand() < 0.05 ? view(Number(r.id), Math.floor(rand() * 4), rand() < 0.5 ? r.label : `u${Math.floor(rand() * 50)}`) : r));
        expect(sort(rows, levels, 's')).toEqual(fullSort(rows, levels));
      }
    }
  });

  it('returns the previous array when nothing changed, and the rows themselves without levels', () => {
    const rows = [view(1, 2, 'a'), view(2, 0, 'b')];
    const sort = createViewSorter();
    const a = sort(rows, byPresence, 's');
    expect(sort(rows, byPresence, 's')).toBe(a);
    expect(sort([...rows], byPresence, 's')).toBe(a); // same views, new array
    expect(sort(rows, [], 's')).toBe(rows);
  });

  it('sorts from scratch when the spec or the users change', () => {
    const rows = [view(1, 2, 'b'), view(2, 0, 'a'), view(3, 1, 'c')];
    const sort = createViewSorter();
    expect(sort(rows, byPresence, 'presence').map((r) => r.id)).toEqual(['2', '3', '1']);
    const byLabel: SortLevel[] = [{ desc: true, key: (r) => r.label }];
    expect(sort(rows, byLabel, 'label').map((r) => r.id)).toEqual(['3', '1', '2']);
    const more = [...rows, view(4, 0, 'd')];
    expect(sort(more, byLabel, 'label').map((r) => r.id)).toEqual(['4', '3', '1', '2']);
    const fewer = [rows[1]!, rows[2]!];
    expect(sort(fewer, byLabel, 'label').map((r) => r.id)).toEqual(['3', '2']);
  });

  it('a changed view whose keys are unchanged stays where it was (new object in the output)', () => {
    const rows = [view(1, 1, 'a'), view(2, 0, 'b')];
    const sort = createViewSorter();
    sort(rows, byPresence, 's');
    const next = [view(1, 1, 'renamed'), rows[1]!];
    const out = sort(next, byPresence, 's');
    expect(out.map((r) => r.id)).toEqual(['2', '1']);
    expect(out[1]).toBe(next[0]);
  });
});
