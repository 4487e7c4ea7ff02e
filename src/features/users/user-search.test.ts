import { describe, expect, it } from 'vitest';
import type { User } from '../../stores/cti-types.ts';
import { buildUserViews } from './user-view.ts';
import { filterUserViews, findUsers, matchRank, rankUserViews, userQuery, userSearchKeys } from './user-search.ts';

const staff: User[] = [
  { id: 1, name: 'sato', label: '佐藤 花子', main_extension: '2001' },
  { id: 2, name: 'user2', label: 'さとう はなこ', main_extension: '2002' },
  { id: 3, name: 'user3', label: 'サトウ 一郎', main_extension: '2003' },
  { id: 4, name: 'kato', label: '加藤 結衣', main_extension: '2004' },
  { id: 5, name: 'inoue', label: '井上 蓮', main_extension: '2005' },
  { id: 6, name: 'user6', label: '鈴木 次郎', main_extension: '2' },
];
const ids = (q: string, limit = 10) => findUsers(staff, q, limit).matches.map((u) => u.id);

describe('search by reading (issue 11)', () => {
  it('finds 佐藤 花子 by her romaji login, hiragana, katakana and kanji', () => {
    expect(ids('sato')).toContain(1);
    expect(ids('さとう')).toContain(1);
    expect(ids('サトウ')).toContain(1);
    expect(ids('佐藤')).toEqual([1]);
  });
  it('finds a kana label by romaji, with or without the long vowel', () => {
    expect(ids('satou')).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(ids('satouhanako')).toEqual([2]);
    expect(ids('hanako')).toEqual([2]);
    expect(ids('ｻﾄｳ')).toEqual(expect.arrayContaining([1, 2, 3]));
  });
  it('keeps finding while the reading is typed letter by letter', () => {
    for (const q of ['i', 'in', 'ino', 'inou', 'inoue', 'いの', 'いのうえ']) expect(ids(q)).toContain(5);
  });
  it('ranks the exact login and extension first, then prefixes, then substrings', () => {
    expect(ids('sato')[0]).toBe(1); // exact login before the kana readings
    expect(ids('2')[0]).toBe(6); // exact extension, then the 200x prefixes
    expect(matchRank(userSearchKeys(staff[0]!), userQuery('sato'))).toBe(0);
    expect(matchRank(userSearchKeys(staff[1]!), userQuery('sato'))).toBe(2);
    expect(matchRank(userSearchKeys(staff[1]!), userQuery('hanako'))).toBe(3);
    expect(matchRank(userSearchKeys(staff[3]!), userQuery('sato'))).toBe(-1);
  });
  it('ranks the Users table the same way as the type-ahead', () => {
    const rows = buildUserViews({ user: new Map(staff.map((u) => [String(u.id), u])), group: new Map(), group_member: new Map() });
    for (const q of ['sato', 'さとう', '2', 'ino']) {
      const table = rankUserViews(filterUserViews(rows, q, ''), q).map((r) => r.user.id);
      expect(table.slice(0, 1)).toEqual(ids(q).slice(0, 1));
      expect([...table].sort()).toEqual([...ids(q)].sort());
    }
  });
  it('counts what the limit leaves out', () => {
    expect(findUsers(staff, '200', 2)).toMatchObject({ more: 3 });
    expect(findUsers(staff, '', 2)).toEqual({ matches: [], more: 0 });
  });
  it('searches 10,000 users (printed figure, no time asserted)', () => {
    const family = ['佐藤', 'さとう', 'カトウ', '井上', 'すずき', 'タナカ'];
    const many: User[] = Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `user${i}`, label: `${family[i % family.length]} ${i}`, main_extension: String(10_000 + i) }));
    const rows = buildUserViews({ user: new Map(many.map((u) => [String(u.id), u])), group: new Map(), group_member: new Map() });
    const t0 = performance.now();
    const first = rankUserViews(filterUserViews(rows, 'satou', ''), 'satou');
    const t1 = performance.now();
    const second = rankUserViews(filterUserViews(rows, 'たなか', ''), 'たなか');
    const t2 = performance.now();
    console.log(`search over 10,000 users: first ${(t1 - t0).toFixed(1)} ms (builds the keys), next ${(t2 - t1).toFixed(1)} ms`);
    expect(first.length).toBe(1667); // さとう (佐藤 has no reading without a kana one from the PBX)
    expect(second.length).toBe(1666);
  });
});

describe('readings from the e-mail address (a kanji label has none of its own)', () => {
  const inoue = { id: 10001005, name: 'user5', label: '井上 蓮', main_extension: '1005', email: 'ren.inoue@test1.example' } as User;
  const kato = { id: 10001007, name: 'user7', label: '加藤 太郎', main_extension: '1007', email: 'taro.kato2@test1.example' } as User;
  it.each(['inoue', 'いのうえ', 'イノウエ', 'ｲﾉｳｴ', 'ren', 'れん'])('%s finds 井上 蓮 by the romaji in ren.inoue@…', (q) => {
    expect(matchRank(userSearchKeys(inoue), userQuery(q))).toBeGreaterThan(0);
  });
  it('a number after the name (two people of one name) is not part of the reading', () => {
    expect(matchRank(userSearchKeys(kato), userQuery('かとう'))).toBeGreaterThan(0);
  });
  it('an address that is not romaji words adds nothing', () => {
    const odd = { ...inoue, email: 'x1@test1.example' } as User;
    expect(matchRank(userSearchKeys(odd), userQuery('inoue'))).toBe(-1);
  });
});
