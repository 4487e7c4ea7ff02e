// Service-level targets per group (issue 13: "N per group, configurable, default 20 s"), kept in
// this browser's localStorage. Ours: the PBX knows no service level.

import { create } from 'zustand';
import { DEFAULT_SL_SEC } from '../../lib/queue-stats.ts';

/** localStorage key. */
export const STATS_SETTINGS_KEY = 'basix-console.stats-settings.v1';
/** Allowed target range, s. */
export const SL_MIN_SEC = 1;
export const SL_MAX_SEC = 3600;

export interface StatsSettings {
  /** per group id (as a string) → target, s; a group not listed uses {@link DEFAULT_SL_SEC} */
  slSec: Record<string, number>;
}

/** Validates what was stored: bad entries are left out (never throws). */
export function parseStatsSettings(raw: unknown): StatsSettings {
  const out: StatsSettings = { slSec: {} };
  const sl = raw && typeof raw === 'object' ? (raw as { slSec?: unknown }).slSec : undefined;
  if (sl && typeof sl === 'object') {
    for (const [k, v] of Object.entries(sl)) {
      if (typeof v === 'number' && Number.isInteger(v) && v >= SL_MIN_SEC && v <= SL_MAX_SEC) out.slSec[k] = v;
    }
  }
  return out;
}

function load(): StatsSettings {
  try {
    return parseStatsSettings(JSON.parse(globalThis.localStorage?.getItem(STATS_SETTINGS_KEY) ?? 'null'));
  } catch {
    return { slSec: {} };
  }
}

export const useStatsSettings = create<StatsSettings>()(load);

/** The target of a group, s. */
export function slSecOf(s: StatsSettings, groupId: number): number {
  return s.slSec[String(groupId)] ?? DEFAULT_SL_SEC;
}

/**
 * Sets a group's target and saves it. A value outside {@link SL_MIN_SEC}–{@link SL_MAX_SEC} or
 * not an integer is ignored (returns false).
 */
export function setSlSec(groupId: number, sec: number): boolean {
  if (!Number.isInteger(sec) || sec < SL_MIN_SEC || sec > SL_MAX_SEC) return false;
  const next = { slSec: { ...useStatsSettings.getState().slSec, [String(groupId)]: sec } };
  useStatsSettings.setState(next);
  try {
    globalThis.localStorage?.setItem(STATS_SETTINGS_KEY, JSON.stringify(next));
  } catch {
    // private mode / full storage: the target holds for this page
  }
  return true;
}
