// Who is logged in to each group, for the wallboard: group_member `login_status` read through
// value-codes.ts (1 in, 0 out are OURS; any other value is unknown and counted as such, never as
// logged in or out).

import type { ConsoleData } from '../../stores/console-state.ts';
import { loginState } from '../../stores/value-codes.ts';

/** A group's agents as far as the codes tell. */
export interface GroupAgents {
  /** names (label, else login name, else the id) of members logged in, sorted */
  loggedIn: string[];
  /** members whose login_status is missing or outside our mapping */
  unknown: number;
}

let last: { members: unknown; users: unknown; out: Map<number, GroupAgents> } | null = null;

/** Per group id, memoized on the `group_member` and `user` maps. */
export function selectGroupAgents(s: Pick<ConsoleData, 'group_member' | 'user'>): Map<number, GroupAgents> {
  if (last && last.members === s.group_member && last.users === s.user) return last.out;
  const out = new Map<number, GroupAgents>();
  for (const m of s.group_member.values()) {
    const gid = Number(m.group_id);
    if (!Number.isFinite(gid)) continue;
    let g = out.get(gid);
    if (!g) out.set(gid, (g = { loggedIn: [], unknown: 0 }));
    const login = loginState(m.login_status);
    if (login === 'in') {
      const u = s.user.get(String(m.user_id));
      g.loggedIn.push(String(u?.label || u?.name || m.user_id));
    } else if (login !== 'out') g.unknown++;
  }
  for (const g of out.values()) g.loggedIn.sort((a, b) => a.localeCompare(b));
  last = { members: s.group_member, users: s.user, out };
  return out;
}
