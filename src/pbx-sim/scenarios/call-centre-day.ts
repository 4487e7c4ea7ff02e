/**
 * A call-centre morning with known answers (issue 13): 32 external callers to the reception
 * (`group1`) and sales (`group2`), one a minute from the start, each waiting in the group's queue
 * and then answered, giving up (`recv_cancel,ORIGINATOR_CANCEL`) or reaching the group's voicemail
 * after a scripted wait. {@link callCentreDayExpected} gives the figures any correct statistics
 * must show for it; tests run it against the console's statistics engine.
 *
 * As steps for `--scenario` / `POST /__sim/scenario`: {@link callCentreDaySteps} (also written to
 * `call-centre-day.json` next to this file), or {@link callCentreDayTimeline} to drive a virtual
 * clock event by event.
 */
import type { Step } from '../scenario.ts';

/** One scripted caller. Times in ms from the start of the scenario. */
export interface DayCall {
  id: string;
  group: 'group1' | 'group2';
  /** when the caller starts waiting in the queue */
  atMs: number;
  outcome: 'answered' | 'abandoned' | 'voicemail';
  /** how long the caller waits before the outcome */
  waitMs: number;
  /** the user who answers (answered calls) */
  user?: string;
}

const ANSWER_WAITS_S = [5, 12, 18, 25, 40, 8, 30, 15, 22, 3, 60, 10];
const ABANDON_WAITS_S = [15, 35, 50, 7];
const MINUTE = 60_000;

/** The 32 callers, in order. Deterministic: no randomness. */
export function callCentreDayCalls(): DayCall[] {
  const calls: DayCall[] = [];
  let a = 0;
  let b = 0;
  for (let i = 0; i < 32; i++) {
    const group = i % 3 === 2 ? 'group2' : 'group1';
    const kind = i % 8 === 5 ? 'voicemail' : i % 4 === 3 ? 'abandoned' : 'answered';
    const id = `cc${String(i + 1).padStart(2, '0')}`;
    const atMs = i * 2 * MINUTE;
    if (kind === 'answered') calls.push({ id, group, atMs, outcome: kind, waitMs: ANSWER_WAITS_S[a++ % ANSWER_WAITS_S.length]! * 1000, user: `user${(i % 4) + 1}` });
    else if (kind === 'abandoned') calls.push({ id, group, atMs, outcome: kind, waitMs: ABANDON_WAITS_S[b++ % ABANDON_WAITS_S.length]! * 1000 });
    else calls.push({ id, group, atMs, outcome: kind, waitMs: 45_000 });
  }
  return calls;
}

/** Events in time order: each is the steps to run at `atMs` (answered calls end 20 s after the answer, voicemail callers 15 s after reaching it). */
export function callCentreDayTimeline(calls = callCentreDayCalls()): Array<{ atMs: number; steps: Step[] }> {
  const ev: Array<{ atMs: number; steps: Step[] }> = [];
  calls.forEach((c, i) => {
    ev.push({ atMs: c.atMs, steps: [{ op: 'inbound_call', id: c.id, from: `03555${String(10000 + i).slice(1)}`, to_group: c.group, queue: true }] });
    const end = c.atMs + c.waitMs;
    if (c.outcome === 'answered') {
      ev.push({ atMs: end, steps: [{ op: 'answer', call: c.id, user: c.user }] });
      ev.push({ atMs: end + 20_000, steps: [{ op: 'hangup', call: c.id }] });
    } else if (c.outcome === 'abandoned') {
      ev.push({ atMs: end, steps: [{ op: 'hangup', call: c.id, cause: 'recv_cancel,ORIGINATOR_CANCEL' }] });
    } else {
      ev.push({ atMs: end, steps: [{ op: 'voicemail', call: c.id, group: c.group }] });
      ev.push({ atMs: end + 15_000, steps: [{ op: 'hangup', call: c.id }] });
    }
  });
  return ev.sort((x, y) => x.atMs - y.atMs);
}

/** The same as one list of steps with `wait`s between the events. */
export function callCentreDaySteps(): Step[] {
  const out: Step[] = [];
  let t = 0;
  for (const e of callCentreDayTimeline()) {
    if (e.atMs > t) out.push({ op: 'wait', ms: e.atMs - t });
    t = e.atMs;
    out.push(...e.steps);
  }
  return out;
}

/** Figures per group name that the scenario must give (waits in ms; service level within `slSec`). */
export interface DayExpected {
  offered: number;
  answered: number;
  abandoned: number;
  voicemail: number;
  avgWaitAnsweredMs: number;
  longestWaitAnsweredMs: number;
  avgWaitAbandonedMs: number;
  serviceLevel: number;
}

export function callCentreDayExpected(slSec = 20, calls = callCentreDayCalls()): Record<string, DayExpected> {
  const out: Record<string, DayExpected> = {};
  for (const g of ['group1', 'group2']) {
    const mine = calls.filter((c) => c.group === g);
    const ans = mine.filter((c) => c.outcome === 'answered').map((c) => c.waitMs);
    const ab = mine.filter((c) => c.outcome === 'abandoned').map((c) => c.waitMs);
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    out[g] = {
      offered: mine.length,
      answered: ans.length,
      abandoned: ab.length,
      voicemail: mine.filter((c) => c.outcome === 'voicemail').length,
      avgWaitAnsweredMs: avg(ans),
      longestWaitAnsweredMs: Math.max(...ans),
      avgWaitAbandonedMs: avg(ab),
      serviceLevel: ans.filter((w) => w <= slSec * 1000).length / ans.length,
    };
  }
  return out;
}
