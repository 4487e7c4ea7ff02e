// What the missed-call panel says about the list's storage: entries dropped (by the retention
// rule, or because the browser's storage is full) and saving that failed (issue 12: "say when
// anything is dropped, and why"). A tiny store of its own: the console store is about the PBX.

import { create } from 'zustand';

/** One notice; at most one of each kind is shown (a new one of a kind adds to it). */
export type MissedNotice =
  | {
      kind: 'retention';
      /** missed calls removed by the retention rule */
      count: number;
      /** PBX µs: the removed calls ended before this (the start of the previous working day) */
      beforeUs: number;
    }
  | {
      kind: 'quota';
      /** missed calls removed to make room */
      count: number;
      /** PBX µs: the newest removed call ended then (everything after it is kept) */
      untilUs: number;
    }
  | {
      kind: 'write-failed';
      /** the browser's error, e.g. `UnknownError: …` */
      reason: string;
    }
  | {
      kind: 'unavailable';
      /** why IndexedDB cannot be used */
      reason: string;
    };

export type MissedNoticeKind = MissedNotice['kind'];

/** The notices shown in the missed-call panel, oldest first. */
export const useMissedNotices = create<{ notices: MissedNotice[] }>(() => ({ notices: [] }));

/** Adds a notice: counts of the same kind add up (the limit shown is the latest one), other kinds replace theirs. */
export function reportMissedNotice(n: MissedNotice): void {
  const { notices } = useMissedNotices.getState();
  const old = notices.find((x) => x.kind === n.kind);
  let next: MissedNotice = n;
  if (old?.kind === 'retention' && n.kind === 'retention') next = { ...n, count: old.count + n.count, beforeUs: Math.max(old.beforeUs, n.beforeUs) };
  if (old?.kind === 'quota' && n.kind === 'quota') next = { ...n, count: old.count + n.count, untilUs: Math.max(old.untilUs, n.untilUs) };
  useMissedNotices.setState({ notices: [...notices.filter((x) => x.kind !== n.kind), next] });
}

/** Removes the notice of `kind` (the operator closed it, or the problem is over). */
export function dismissMissedNotice(kind: MissedNoticeKind): void {
  const { notices } = useMissedNotices.getState();
  if (notices.some((x) => x.kind === kind)) useMissedNotices.setState({ notices: notices.filter((x) => x.kind !== kind) });
}

/** Removes every notice (another owner's list is shown now). */
export function clearMissedNotices(): void {
  if (useMissedNotices.getState().notices.length > 0) useMissedNotices.setState({ notices: [] });
}
