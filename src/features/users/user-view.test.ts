import { describe, expect, it } from 'vitest';
import { buildUserCalls, buildUserViews, filterUserViews, rankUserViews, searchKey } from './user-view.ts';
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
    expect(a.mwi).toEqual({ new: 2, saved: 3, urgentNew: 1, urgentSaved: 0, valid: true });
    expect(b).toMatchObject({ dnd: false, fwd: true, loggedInCount: 0, mwi: null });
    expect(calls.get('2')).toEqual({ state: 'bridged', peer: '03-1234-5678', uuid: 'y' });
    expect(c.groupIds).toEqual([]);
  });

  it('keeps a DND, forwarding or login code outside our mapping as unknown, never as off / logged out', () => {
    const [v] = buildUserViews({
      user: m([{ id: 5, name: 'odd', do_not_disturb_status: 4, fwd_always_status: 0, presence: 9 }], (u) => u.id),
      group: m([{ id: 10, label: '営業' }], (g) => g.id),
      group_member: m([{ id: 1, group_id: 10, user_id: 5, login_status: 7 }], (x) => x.id),
    });
    expect(v).toMatchObject({ dnd: false, dndState: 'unknown', dndCode: 4, fwdState: 'off', presence: 9, loggedInCount: 0, loginUnknownCount: 1 });
  });

  it('shows the number dialled for a call the user places (not the user\'s own name), the caller for a call to the user', () => {
    // as the PBX (and the simulator's outboundCall) sends it: the user's own leg is `inbound`
    // (from the phone) calling pstn; the PSTN leg presents the user as the caller
    const own = (state: Channel['state']): Channel =>
      ({ uuid: 'own', direction: 'inbound', peer_location: 'internal', user_id: 1, calling_name: '山田 太郎', calling_number: '1001', called_number: '0398765432', other_uuid: 'pstn', state, other_info: { type: 'end_user', address: '0398765432' } }) as Channel;
    const pstn = { uuid: 'pstn', direction: 'outbound', peer_location: 'external', calling_name: '山田 太郎', calling_number: '0312340000', called_number: '0398765432', other_uuid: 'own', state: { ts: 1, name: 'calling', data: {} } } as Channel;
    const ringing = own({ ts: 1, name: 'calling', data: { target_location: 'ext', target_type: 'pstn', address: '0398765432' } });
    expect(buildUserCalls(m([ringing, pstn], (c) => c.uuid), 'Unknown').get('1')).toEqual({ state: 'calling', peer: '03-9876-5432', uuid: 'own' });
    const talking = own({ ts: 2, name: 'bridged', data: {} });
    expect(buildUserCalls(m([talking, { ...pstn, state: { ts: 2, name: 'bridged', data: {} } }], (c) => c.uuid), 'Unknown').get('1')?.peer).toBe('03-9876-5432');
    // an internal call the user places: the extension dialled
    const internal = { ...own({ ts: 1, name: 'calling', data: { target_location: 'int', target_type: 'user', user_id: 2 } }), called_number: '1002', other_info: undefined, other_uuid: undefined } as Channel;
    expect(buildUserCalls(m([internal], (c) => c.uuid), 'Unknown').get('1')?.peer).toBe('1002');
    // a call delivered to the user (own leg outbound): the caller, even without the caller's leg
    const delivered = { uuid: 'u2', direction: 'outbound', user_id: 2, calling_name: '', calling_number: '0312345678', called_number: '1002', state: { ts: 1, name: 'calling', data: { target_type: 'user', user_id: 2 } } } as Channel;
    expect(buildUserCalls(m([delivered], (c) => c.uuid), 'Unknown').get('2')?.peer).toBe('03-1234-5678');
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

  it('normalises like the Users search: spaces (also U+3000) ignored, katakana as hiragana, full width folded', () => {
    const staff = [
      { id: 7, name: 'user7', label: '吉田 直樹', main_extension: '1030' },
      { id: 8, name: 'user8', label: 'さくら　受付', main_extension: '1031' },
    ] as User[];
    expect(matchUsers(staff, '吉田直樹').map((u) => u.id)).toEqual([7]);
    expect(matchUsers(staff, 'サクラ受付').map((u) => u.id)).toEqual([8]);
    expect(matchUsers(staff, '１０３０').map((u) => u.id)).toEqual([7]);
  });
});

describe('caching by input identity (busy PBX)', () => {
  const groups = m([{ id: 10, label: '営業' }], (g) => g.id);
  const members = m([{ id: 1, group_id: 10, user_id: 1, login_status: 1 }], (x) => x.id);

  it('buildUserViews reuses the view of an unchanged user record, rebuilds a changed one', () => {
    const userMap = m(users, (u) => u.id);
    const first = buildUserViews({ user: userMap, group: groups, group_member: members });
    const changed = { ...users[1], mwi: '7/0' };
    const next = new Map(userMap).set('2', changed);
    const second = buildUserViews({ user: next, group: groups, group_member: members });
    expect(second[0]).toBe(first[0]);
    expect(second[2]).toBe(first[2]);
    expect(second[1]).not.toBe(first[1]);
    expect(second[1].mwi).toMatchObject({ new: 7 });
    // Same record, different groups: a new view with the new groups.
    const third = buildUserViews({ user: next, group: groups, group_member: new Map() });
    expect(third[0]).not.toBe(first[0]);
    expect(third[0].groupIds).toEqual([]);
  });

  it('buildUserCalls: same channels → same map; an unrelated change → same map; a change of a user call → new map', () => {
    const ch = (uuid: string, extra: Partial<Channel>) => ({ uuid, state: { ts: 1, name: 'bridged', data: {} }, ...extra }) as Channel;
    const own = ch('y', { user_id: 2, other_uuid: 'z' });
    const peer = ch('z', { calling_number: '0312345678' });
    const other = ch('q', { calling_number: '0311112222' });
    const c1 = m([own, peer, other], (c) => c.uuid);
    const a = buildUserCalls(c1, 'Unknown');
    expect(buildUserCalls(c1, 'Unknown')).toBe(a);
    const c2 = new Map(c1).set('q', { ...other, calling_number: '0399998888' });
    expect(buildUserCalls(c2, 'Unknown')).toBe(a);
    const c3 = new Map(c2).set('z', { ...peer, calling_number: '0677776666' });
    const b = buildUserCalls(c3, 'Unknown');
    expect(b).not.toBe(a);
    expect(b.get('2')?.peer).not.toBe(a.get('2')?.peer);
    const c4 = new Map(c3);
    c4.delete('y');
    expect(buildUserCalls(c4, 'Unknown').size).toBe(0);
  });

});

describe('type-ahead search', () => {
  it('ignores spaces (ASCII and full-width), width and kana case when matching', () => {
    const people: User[] = [
      { id: 1, name: 'inoue', label: '井上 蓮', main_extension: '1101' },
      { id: 2, name: 'kato', label: 'カトウ　ユイ', main_extension: '1102' }, // U+3000 between
      { id: 3, name: 'John Smith', label: 'John Smith', main_extension: '2001' },
      { id: 4, name: 'ota', label: 'ｵｵﾀ ｹﾝ', main_extension: '1103' }, // half-width katakana
    ];
    const rows = buildUserViews({ user: m(people, (u) => u.id), group: new Map(), group_member: new Map() });
    const ids = (q: string) => filterUserViews(rows, q, '').map((r) => r.id);
    expect(ids('井上蓮')).toEqual(['1']);
    expect(ids('井上 蓮')).toEqual(['1']);
    expect(ids('井上　蓮')).toEqual(['1']);
    expect(ids('カトウユイ')).toEqual(['2']);
    expect(ids('かとう ゆい')).toEqual(['2']); // hiragana finds katakana
    expect(ids('おおた')).toEqual(['4']); // half-width katakana
    expect(ids('ｊｏｈｎｓｍｉｔｈ')).toEqual(['3']); // full-width Latin
    expect(ids('１１０１')).toEqual(['1']);
    // a match never spans two fields (label "John Smith" + name "john smith")
    expect(ids('smithjohn')).toEqual([]);
    expect(searchKey(' Ａ　ｂ ﾃｽﾄ ')).toBe('abてすと');
  });

  it('puts the exact extension, then exact names, then prefixes before other matches, keeping the order among equals', () => {
    const people: User[] = [
      { id: 100, name: 'operator', label: 'Operator', main_extension: '100' },
      ...Array.from({ length: 11 }, (_, i) => ({ id: i + 1, name: `user${i === 0 ? 3 : 30 + i - 1}`, label: `User ${i === 0 ? 3 : 30 + i - 1}`, main_extension: `1${String(i).padStart(3, '0')}` })),
      { id: 50, name: 'bob', label: 'Bob (room 100)', main_extension: '2100' },
    ];
    // the table's order: by extension, descending — user3 (ext 1000) comes last
    const sorted = buildUserViews({ user: m(people, (u) => u.id), group: new Map(), group_member: new Map() }).sort((a, b) => b.extension.localeCompare(a.extension));
    const search = (q: string) => rankUserViews(filterUserViews(sorted, q, ''), q).map((r) => r.name);
    const user3 = search('user3');
    expect(user3).toHaveLength(11);
    expect(user3[0]).toBe('user3');
    expect(user3.slice(1)).toEqual(sorted.filter((r) => r.name.startsWith('user3') && r.name !== 'user3').map((r) => r.name)); // table order kept
    // "100": the exact extension, then extensions starting with 100 (1000..1009, table order), then substring (2100)
    const hundred = search('100');
    expect(hundred[0]).toBe('operator');
    expect(hundred.at(-1)).toBe('bob');
    expect(search('User 3')[0]).toBe('user3');
    expect(rankUserViews(sorted, '')).toBe(sorted);
  });
});
