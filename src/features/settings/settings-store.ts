/**
 * Console settings: persisted in localStorage (`basix-console-settings`), never secrets.
 * A separate small zustand store (not part of the CTI store): it outlives connections.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { avatarPolicy, setAvatarPolicy, type AvatarSource } from '../../lib/avatar-origin.ts';

export type LanguageSetting = 'auto' | 'en' | 'ja';
/** `auto` grows the type on wide screens (≥1920 px, ≥2560 px); numbers are a fixed scale. */
export type ZoomSetting = 'auto' | 1 | 1.25 | 1.5 | 2;
/**
 * Whether the CTI socket asks for every call (`full_events=true`, PBX admins only): `auto` asks
 * unless the login is known not to be an admin; `always` / `never` force it.
 */
export type FullEventsSetting = 'auto' | 'always' | 'never';
/**
 * The park groups whose free slots the Park panel shows (occupied slots are always shown):
 * `auto` = the operator's own user's `park_group` (group 0 when unknown); else these groups
 * (each 0–31: slots 901 + g × 3 … + 2). 997–999 are always shown.
 */
export type ParkGroupsSetting = 'auto' | readonly number[];

/** `silenceMinutes` bounds (minutes). */
export const SILENCE_MINUTES_MIN = 2;
export const SILENCE_MINUTES_MAX = 1440;
/** Highest park group whose three slots stay within 901–996. */
export const PARK_GROUP_MAX = 31;

export interface Settings {
  /** Base for relative avatar URLs, ending with `/`. Default: the console's own origin + `/`. */
  baseUrl: string;
  /**
   * Where avatars may load from: `pbx` only the PBX's origin (the console's own, and `baseUrl`'s;
   * src/lib/avatar-origin.ts), `any` any http(s) host (CRM avatars hosted elsewhere, at the cost of
   * that host seeing the operator's address and call times). Default `pbx` (issue 12).
   */
  avatarSource: AvatarSource;
  /** Queue wait (s) after which a waiting caller turns amber. Default 30. */
  queueAmberSec: number;
  /** Queue wait (s) after which a waiting caller turns red. Default 90. */
  queueRedSec: number;
  /** Parked time (s) after which a park slot shows a warning. Default 180. */
  parkWarnSec: number;
  /** Beep on a new ringing call (after the first click/key press). Default true. */
  sound: boolean;
  /**
   * Desktop notification of a new ringing call while the console's tab is hidden (opt-in; the
   * browser's permission is asked when the user turns it on in Settings). Default false.
   */
  notify: boolean;
  /** UI language; `auto` follows the browser. Default `auto`. */
  language: LanguageSetting;
  /** Type scale. Default `auto`. */
  zoom: ZoomSetting;
  /** Ask for all calls (`full_events`), read by the connection code. Default `auto`. */
  fullEvents: FullEventsSetting;
  /**
   * Reconnect after this many minutes without any frame from the PBX (the protocol has no ping;
   * a quiet PBX is not a dead one), 2–1440. Read by the connection code. Default 30.
   */
  silenceMinutes: number;
  /** Park groups whose free slots are shown. Default `auto`. */
  parkGroups: ParkGroupsSetting;
  /**
   * The operator's own PBX user id ("My phone"), used when the PBX does not tell the session's
   * user (its own park group, picking calls up). Default null (unknown).
   */
  myUserId: number | null;
  /** Colour scheme: `system` follows the OS, `light` / `dark` fixed (issue 11; applied by theme.ts). Default `system`. */
  theme: ThemeSetting;
}

/** Settings → Appearance: light, dark or the OS's choice. */
export type ThemeSetting = 'system' | 'light' | 'dark';

/** The console's own origin + `/` (the PBX serves the console), or `/` outside a browser. */
export function defaultBaseUrl(): string {
  return typeof location !== 'undefined' && location.origin && location.origin !== 'null' ? `${location.origin}/` : '/';
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  baseUrl: defaultBaseUrl(),
  avatarSource: 'pbx',
  queueAmberSec: 30,
  queueRedSec: 90,
  parkWarnSec: 180,
  sound: true,
  notify: false,
  language: 'auto',
  zoom: 'auto',
  fullEvents: 'auto',
  silenceMinutes: 30,
  parkGroups: 'auto',
  myUserId: null,
  theme: 'system',
});

const ZOOMS: readonly ZoomSetting[] = ['auto', 1, 1.25, 1.5, 2];

function num(v: unknown, min: number, max: number, dflt: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max ? Math.round(v) : dflt;
}

/**
 * Validate settings read from localStorage (or a form): unknown keys dropped, bad values
 * replaced by defaults, amber forced below red.
 */
export function sanitizeSettings(raw: unknown): Settings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const baseUrl =
    typeof r.baseUrl === 'string' && r.baseUrl.trim() !== '' && /^(https?:\/\/|\/)/i.test(r.baseUrl.trim())
      ? r.baseUrl.trim()
      : DEFAULT_SETTINGS.baseUrl;
  const queueAmberSec = num(r.queueAmberSec, 1, 86_400, DEFAULT_SETTINGS.queueAmberSec);
  let queueRedSec = num(r.queueRedSec, 1, 86_400, DEFAULT_SETTINGS.queueRedSec);
  if (queueRedSec <= queueAmberSec) queueRedSec = queueAmberSec + 1;
  return {
    baseUrl: baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`,
    avatarSource: r.avatarSource === 'any' ? 'any' : 'pbx',
    queueAmberSec,
    queueRedSec,
    parkWarnSec: num(r.parkWarnSec, 1, 86_400, DEFAULT_SETTINGS.parkWarnSec),
    sound: typeof r.sound === 'boolean' ? r.sound : DEFAULT_SETTINGS.sound,
    notify: r.notify === true,
    language: r.language === 'en' || r.language === 'ja' || r.language === 'auto' ? r.language : 'auto',
    zoom: ZOOMS.includes(r.zoom as ZoomSetting) ? (r.zoom as ZoomSetting) : 'auto',
    fullEvents: r.fullEvents === 'always' || r.fullEvents === 'never' ? r.fullEvents : 'auto',
    silenceMinutes: num(r.silenceMinutes, SILENCE_MINUTES_MIN, SILENCE_MINUTES_MAX, DEFAULT_SETTINGS.silenceMinutes),
    parkGroups: sanitizeParkGroups(r.parkGroups),
    myUserId: typeof r.myUserId === 'number' && Number.isSafeInteger(r.myUserId) && r.myUserId > 0 ? r.myUserId : null,
    theme: r.theme === 'light' || r.theme === 'dark' ? r.theme : 'system',
  };
}

/** `auto`, or a sorted list of distinct whole park groups 0–31 (at most 32); anything else `auto`. */
function sanitizeParkGroups(v: unknown): ParkGroupsSetting {
  if (!Array.isArray(v)) return 'auto';
  const groups = [...new Set(v.filter((g): g is number => Number.isInteger(g) && g >= 0 && g <= PARK_GROUP_MAX))].sort((a, b) => a - b);
  return groups.length > 0 ? groups : 'auto';
}

/**
 * Reads the park-groups field as typed: `''` or `auto` → `auto`; else whole numbers 0–31
 * separated by commas or spaces (`0, 2`).
 * @returns the setting, or null when the text is not valid (the dialog says so)
 */
export function parseParkGroups(text: string): ParkGroupsSetting | null {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'auto') return 'auto';
  const parts = t.split(/[\s,、，]+/).filter(Boolean);
  if (!parts.every((p) => /^\d{1,2}$/.test(p) && Number(p) <= PARK_GROUP_MAX)) return null;
  return sanitizeParkGroups(parts.map(Number));
}

/** The park-groups setting as the dialog's field shows it: `auto`, or `0, 2`. */
export function formatParkGroups(v: ParkGroupsSetting): string {
  return v === 'auto' ? 'auto' : v.join(', ');
}

interface SettingsState extends Settings {
  /** Replace settings (validated). */
  update: (patch: Partial<Settings>) => void;
  /** Back to the defaults. */
  reset: () => void;
}

/** The settings store; read with atomic selectors, e.g. `useSettings((s) => s.parkWarnSec)`. */
export const useSettings = create<SettingsState>()(
  persist(
    (set, get) => ({
      ...DEFAULT_SETTINGS,
      update: (patch) => set(sanitizeSettings({ ...pickSettings(get()), ...patch })),
      reset: () => set({ ...DEFAULT_SETTINGS }),
    }),
    {
      name: 'basix-console-settings',
      version: 1,
      partialize: (s) => pickSettings(s),
      merge: (persisted, current) => ({ ...current, ...sanitizeSettings(persisted) }),
    },
  ),
);

/** The plain settings of a state (without the actions). */
export function pickSettings(s: Settings): Settings {
  const { baseUrl, avatarSource, queueAmberSec, queueRedSec, parkWarnSec, sound, notify, language, zoom, fullEvents, silenceMinutes, parkGroups, myUserId, theme } = s;
  return { baseUrl, avatarSource, queueAmberSec, queueRedSec, parkWarnSec, sound, notify, language, zoom, fullEvents, silenceMinutes, parkGroups, myUserId, theme };
}

// The shared Avatar component reads the policy from src/lib (it cannot import this feature):
// keep it in step with the loaded settings and every change.
const syncAvatarPolicy = (s: Settings): void =>
  setAvatarPolicy(avatarPolicy(s.avatarSource, s.baseUrl, typeof location !== 'undefined' ? location.origin : null));
syncAvatarPolicy(useSettings.getState());
useSettings.subscribe(syncAvatarPolicy);
