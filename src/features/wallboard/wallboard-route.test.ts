import { describe, expect, it } from 'vitest';
import { gridOf, isWallboardPath, pagesOf, parseWallboardOptions } from './wallboard-route.ts';

describe('wallboard route', () => {
  it('recognises /wallboard, with or without a trailing slash or a base path', () => {
    expect(isWallboardPath('/wallboard')).toBe(true);
    expect(isWallboardPath('/wallboard/')).toBe(true);
    expect(isWallboardPath('/console/wallboard')).toBe(true);
    expect(isWallboardPath('/')).toBe(false);
    expect(isWallboardPath('/wallboards')).toBe(false);
  });

  it('reads the groups in order, leaving out junk and repeats; page time and theme with defaults', () => {
    expect(parseWallboardOptions('?groups=3,1,x,3,,2')).toEqual({ groups: [3, 1, 2], pageSeconds: 15, theme: 'dark' });
    expect(parseWallboardOptions('?page_seconds=30&theme=light')).toMatchObject({ groups: [], pageSeconds: 30, theme: 'light' });
    expect(parseWallboardOptions('?page_seconds=1').pageSeconds).toBe(15);
  });

  it('pages of eight, and a grid that fits up to eight tiles on one screen', () => {
    expect(pagesOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).map((p) => p.length)).toEqual([8, 2]);
    expect(pagesOf([])).toEqual([[]]);
    for (let n = 1; n <= 8; n++) {
      const g = gridOf(n);
      expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
      expect(g.rows).toBeLessThanOrEqual(2);
    }
  });
});
