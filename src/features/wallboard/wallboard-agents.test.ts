import { describe, expect, it } from 'vitest';
import { member, user, GROUP_ID, USER_A, USER_B } from '../../stores/test-fixtures.ts';
import type { GroupMember } from '../../stores/cti-types.ts';
import { selectGroupAgents } from './wallboard-agents.ts';

describe('selectGroupAgents', () => {
  it('lists members logged in by name; an unknown login code is counted as unknown, not in or out', () => {
    const odd: GroupMember = { ...member(GROUP_ID, 10001003, true), login_status: 7 };
    const s = {
      group_member: new Map([
        ['1', member(GROUP_ID, USER_A, true)],
        ['2', member(GROUP_ID, USER_B, false)],
        ['3', odd],
      ]),
      user: new Map([[String(USER_A), user(USER_A)], [String(USER_B), user(USER_B)]]),
    };
    const g = selectGroupAgents(s).get(GROUP_ID)!;
    expect(g.loggedIn).toEqual([`ユーザ${USER_A}`]);
    expect(g.unknown).toBe(1);
    expect(selectGroupAgents(s)).toBe(selectGroupAgents(s));
  });
});
