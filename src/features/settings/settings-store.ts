/**
 * Console settings: persisted in localStorage (`basix-console-settings`), never secrets.
 * A separate small zustand store (not part of the CTI store): it outlives connections.
 */
import { create } from 'zustand';
import { persist } from 'zustand/middleware';

export type LanguageSetting = 'auto' | 'en' | 'ja';
/** `auto` grows the type on wide screens (≥1920 px, ≥2560 px); numbers are a fixed scale. */
export type ZoomSetting = 'auto' | 1 | 1.25 | 1.5 | 2;

export interface Settings {
  /** Base for relative avatar URLs, ending with `/`. Default: the console's own origin + `/`. */
  baseUrl: string;
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
}

/** The console's own origin + `/` (the PBX serves the console), or `/` outside a browser. */
export function defaultBaseUrl(): string {
  return typeof location !== 'undefined' && location.origin && location.origin !== 'null' ? `${location.origin}/` : '/';
}

export const DEFAULT_SETTINGS: Readonly<Settings> = Object.freeze({
  baseUrl: defaultBaseUrl(),
  queueAmberSec: 30,
  queueRedSec: 90,
  parkWarnSec: 180,
  sound: true,
  notify: false,
  language: 'auto',
  zoom: 'auto',
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
    queueAmberSec,
    queueRedSec,
    parkWarnSec: num(r.parkWarnSec, 1, 86_400, DEFAULT_SETTINGS.parkWarnSec),
    sound: typeof r.sound === 'boolean' ? r.sound : DEFAULT_SETTINGS.sound,
    notify: r.notify === true,
    language: r.language === 'en' || r.language === 'ja' || r.language === 'auto' ? r.language : 'auto',
    zoom: ZOOMS.includes(r.zoom as ZoomSetting) ? (r.zoom as ZoomSetting) : 'auto',
  };
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
  const { baseUrl, queueAmberSec, queueRedSec, parkWarnSec, sound, notify, language, zoom } = s;
  return { baseUrl, queueAmberSec, queueRedSec, parkWarnSec, sound, notify, language, zoom };
}
