/**
 * Scenario steps for POST /__sim/scenario, built in one place so the specs read as intent.
 * The step format is the simulator's (src/pbx-sim/scenario.ts, docs/pbx-sim.md).
 */
import type { ScenarioStep } from '../fixtures/sim-control';

/** A CRM end_user string (PROTOCOL.md "end_user"): `ID*NAME*ORGANIZATION*AVATAR*PREFECTURE`, URL-encoded parts. */
export function endUser(p: { id: string; name: string; organization: string; avatar?: string; prefecture?: string }): string {
  const enc = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
  return [p.id, p.name, p.organization, p.avatar ?? '', p.prefecture ?? ''].map(enc).join('*');
}

/** An external caller ringing a group. */
export function incomingCall(p: {
  uuid: string;
  callingName: string;
  callingNumber: string;
  groupId: number;
  endUser?: string;
}): ScenarioStep {
  return { op: 'incoming_call', ...p };
}

export function setMwi(p: { userId: number; new: number; saved: number }): ScenarioStep {
  return { op: 'set_mwi', ...p };
}
