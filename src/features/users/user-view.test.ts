import { describe, expect, it } from 'vitest';
import { buildUserCalls, buildUserViews, filterUserViews } from './user-view.ts';
import { matchUsers } from '../actions/user-combobox.tsx';
import type { Channel, User } from '../../stores/cti-types.ts';

const m = <T,>(items: T[], k: (v: T) => unknown) => new Map(items.map((v) => [String(k(v)), v]));

const users: User[] = [
  { id: 1, name: 'yamada', label: '山田 太郎', main_extension: '1001', presence: 0, do_not_disturb_status: 1, mwi: '2/3 (1/0)' },
  { id: 2, name: 'sato', label: '佐藤 花子', main_extension: '1002', presence: 2, fwd_always_status: 1, mwi: '' },
  { id: 3, name: 'smith', label: 'John Smith', main_extension: '2001' },
];

describe('buildUserViews', () => {
  it('derives flags, MWI, groups, login and the current call', () => {
    const rows = buildUserViews({
      user: m(users, (u) => u.id),
      group: m([{ id: 10, label: '営業' }, { id: 11, label: '受付' }], (g) => g.id),
      group_member: m(
        [
          { id: 1, group_id: 10, user_id: 1, login_status: 1 },
          { id: 2, group_id: 11, user_id: 1, login_status: 0 },
          { id: 3, group_id: 11, user_id: 2, login_status: 0 },
        ],
        (x) => x.id,
      ),
    });
    const calls = buildUserCalls(
      m(
        [
          { uuid: 'x', user_id: 2, state: { ts: 1, name: 'calling', data: {} } } as Channel,
          { uuid: 'y', user_id: 2, state: { ts: 1, name: 'bridged', data: {} }, other_uuid: 'z' } as Channel,
          { uuid: 'z', calling_number: '0312345678', state: { ts: 1, name: 'bridged', data: {} } } as Channel,
        ],
        (c) => c.uuid,
      ),
      'Unknown',
    );
    const [a, b, c] = rows;
    expect(a).toMatchObject({ id: '1', dnd: true, fwd: false, groupLabels: ['営業', '受付'], loggedInCount: 1 });
    expect(calls.get('1')).toBeUndefined();
    expect(a.mwi).toEqual({ new: 2, saved: 3, urgentNew: 1, urgentSaved: 0 });
    expect(b).toMatchObject({ dnd: false, fwd: true, loggedInCount: 0, mwi: null });
    expect(calls.get('2')).toEqual({ state: 'bridged', peer: '03-1234-5678', uuid: 'y' });
    expect(c.groupIds).toEqual([]);
  });

  it('filters by type-ahead text (width-insensitive) and group', () => {
    const rows = buildUserViews({ user: m(users, (u) => u.id), group: new Map(), group_member: m([{ id: 1, group_id: 10, user_id: 2 }], (x) => x.id) });
    expect(filterUserViews(rows, '山田', '').map((r) => r.id)).toEqual(['1']);
    expect(filterUserViews(rows, '１００', '').map((r) => r.id)).toEqual(['1', '2']); // full-width digits
    expect(filterUserViews(rows, 'SMITH', '').map((r) => r.id)).toEqual(['3']);
    expect(filterUserViews(rows, '', '10').map((r) => r.id)).toEqual(['2']);
    expect(filterUserViews(rows, '', '')).toBe(rows);
  });
});

describe('matchUsers', () => {
  it('ranks exact and prefix extension matches first and limits results', () => {
    expect(matchUsers(users, '1001').map((u) => u.id)).toEqual([1]);
    // both are extension-prefix matches: ordered by label (佐藤 before 山田 in the ja collation)
    expect(matchUsers(users, '100').map((u) => u.id).sort()).toEqual([1, 2]);
    expect(matchUsers(users, 'smi').map((u) => u.id)).toEqual([3]);
    expect(matchUsers(users, '')).toEqual([]);
    expect(matchUsers(users, 'a', 1)).toHaveLength(1);
  });
});
