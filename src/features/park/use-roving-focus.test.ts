import { describe, expect, it } from 'vitest';
import { columnsOf, nextIndex } from './use-roving-focus.ts';

describe('nextIndex', () => {
  it('list: ↑/↓ by one, Home/End to the ends, no wrap-around, other keys ignored', () => {
    expect(nextIndex('ArrowDown', false, 0, 3, 'list')).toBe(1);
    expect(nextIndex('ArrowDown', false, 2, 3, 'list')).toBeNull();
    expect(nextIndex('ArrowUp', false, 0, 3, 'list')).toBeNull();
    expect(nextIndex('ArrowUp', false, 2, 3, 'list')).toBe(1);
    expect(nextIndex('Home', false, 2, 3, 'list')).toBe(0);
    expect(nextIndex('End', false, 0, 3, 'list')).toBe(2);
    expect(nextIndex('ArrowRight', false, 0, 3, 'list')).toBeNull();
    expect(nextIndex('ArrowDown', false, 0, 0, 'list')).toBeNull();
  });

  it('grid of 10 in rows of 4: reading order, columns, row ends and grid ends (APG layout grid)', () => {
    // 0 1 2 3 / 4 5 6 7 / 8 9
    const g = (key: string, i: number, ctrl = false) => nextIndex(key, ctrl, i, 10, 'grid', 4);
    expect(g('ArrowRight', 3)).toBe(4); // to the next row's first
    expect(g('ArrowLeft', 4)).toBe(3);
    expect(g('ArrowRight', 9)).toBeNull();
    expect(g('ArrowLeft', 0)).toBeNull();
    expect(g('ArrowDown', 1)).toBe(5);
    expect(g('ArrowDown', 5)).toBe(9);
    expect(g('ArrowDown', 6)).toBeNull(); // nothing below in the short last row
    expect(g('ArrowUp', 9)).toBe(5);
    expect(g('ArrowUp', 2)).toBeNull();
    expect(g('Home', 6)).toBe(4);
    expect(g('End', 5)).toBe(7);
    expect(g('End', 8)).toBe(9); // the short last row ends at the last item
    expect(g('Home', 6, true)).toBe(0);
    expect(g('End', 1, true)).toBe(9);
  });
});

describe('columnsOf', () => {
  const at = (top: number, height = 40) => ({ getBoundingClientRect: () => ({ top, height }) }) as unknown as Element;
  it('counts the items on the first row; unmeasurable layout is one column', () => {
    expect(columnsOf([at(0), at(0), at(0), at(50), at(50)])).toBe(3);
    expect(columnsOf([at(0), at(50)])).toBe(1);
    expect(columnsOf([at(0, 0), at(0, 0), at(0, 0)])).toBe(1);
    expect(columnsOf([at(10), at(10)])).toBe(2); // one full row
    expect(columnsOf([])).toBe(1);
  });
});
