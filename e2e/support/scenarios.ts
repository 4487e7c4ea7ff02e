/**
 * Scenario steps for POST /__sim/scenario, built in one place so the specs read as intent.
 * Step format: src/pbx-sim/scenario.ts (users by name, e.g. `user1`; groups by name, `group1`).
 */
import type { ScenarioStep } from '../fixtures/sim-control';

/** A CRM end_user string (PROTOCOL.md "end_user"): `ID*NAME*ORGANIZATION*AVATAR*PREFECTURE`, URL-encoded, `+` for space. */
export function endUser(p: { id: string; name: string; organization: string; avatar?: string; prefecture?: string }): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return [p.id, p.name, p.organization, p.avatar ?? '', p.prefecture ?? ''].map(enc).join('*');
}

/** The caller used across the specs: a Tokyo number with a Japanese name and one CRM match. */
export const YAMADA = {
  number: '0312345678',
  formatted: '03-1234-5678',
  callingName: 'ヤマダ タロウ',
  crmName: '山田 太郎',
  organization: '山田商事株式会社',
  prefecture: '東京都',
} as const;

/** An external caller ringing a group (`queue: true` puts it straight into the group's queue). */
export function inboundCall(p: {
  id: string;
  from: string;
  callingName?: string;
  endUser?: string;
  toGroup?: string;
  toUser?: string;
  queue?: boolean;
}): ScenarioStep {
  return {
    op: 'inbound_call',
    id: p.id,
    from: p.from,
    calling_name: p.callingName,
    end_user: p.endUser,
    to_group: p.toGroup,
    to_user: p.toUser,
    queue: p.queue,
  };
}

/** Yamada calling group1, with CRM data. */
export function yamadaCalls(id = 'yamada', extra: { queue?: boolean; toGroup?: string } = {}): ScenarioStep {
  return inboundCall({
    id,
    from: YAMADA.number,
    callingName: YAMADA.callingName,
    endUser: endUser({ id: 'C-1001', name: YAMADA.crmName, organization: YAMADA.organization, prefecture: YAMADA.prefecture }),
    toGroup: extra.toGroup ?? 'group1',
    queue: extra.queue,
  });
}

export function park(call: string, by: string, slot?: number): ScenarioStep {
  return { op: 'park', call, by, slot };
}

export function answer(call: string, user: string): ScenarioStep {
  return { op: 'answer', call, user };
}

export function setMwi(user: string, counts: { new: number; saved: number }): ScenarioStep {
  return { op: 'set_mwi', user, new: counts.new, saved: counts.saved };
}
