/**
 * The missed-call panel's "my groups / everyone" filter (issue 11). "My groups": the calls to the
 * operator's own user or to a group the operator's user is a member of (`group_member`, logged in
 * or not); outage markers always stay (they are about every call). The operator's user is the
 * session's or the "My phone" setting's (src/features/actions/own-user.ts).
 */
import type { GroupMember } from '../../stores/cti-types.ts';
import { isOutageMarker, type MissedCall } from '../../lib/missed-calls.ts';

/** Which missed calls the panel shows. */
export type MissedScope = 'everyone' | 'mine';

/** Ids (strings) of the groups `userId` is a member of. */
export function groupIdsOf(members: Map<string, GroupMember>, userId: number): Set<string> {
  const out = new Set<string>();
  for (const gm of members.values()) if (gm.user_id !== undefined && Number(gm.user_id) === userId && gm.group_id !== undefined) out.add(String(gm.group_id));
  return out;
}

/**
 * The entries of `list` the scope shows (the same array for `everyone`, or when the operator's
 * user is unknown: the filter then cannot apply and says so).
 * @param ownId the operator's PBX user id, or null
 * @param groups {@link groupIdsOf} the operator's user
 */
export function filterMissed(list: readonly MissedCall[], scope: MissedScope, ownId: number | null, groups: ReadonlySet<string>): readonly MissedCall[] {
  if (scope === 'everyone' || ownId === null) return list;
  return list.filter((c) => {
    if (isOutageMarker(c)) return true;
    const id = c.called.id;
    if (id === null) return false;
    return c.called.kind === 'user' ? id === ownId : c.called.kind === 'group' && groups.has(String(id));
  });
}
