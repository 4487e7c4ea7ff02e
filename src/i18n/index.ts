/**
 * i18next setup: English and 日本語, resources bundled (no network), initialised synchronously
 * so the first render is already translated. Default language: the browser's first preferred
 * language if it is Japanese, else English (so `en-*` browsers and e2e get English).
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { ja } from './ja.ts';

export type Language = 'en' | 'ja';

/** The language a browser prefers among ours: `ja` for `ja`/`ja-JP` first, else `en`. */
export function browserLanguage(languages: readonly string[] | undefined = globalThis.navigator?.languages): Language {
  const first = languages?.[0]?.toLowerCase() ?? 'en';
  return first === 'ja' || first.startsWith('ja-') ? 'ja' : 'en';
}

/** Resolve the setting (`auto` follows the browser). */
export function resolveLanguage(setting: 'auto' | Language): Language {
  return setting === 'auto' ? browserLanguage() : setting;
}

let initialised = false;

/** Initialise i18next once (idempotent) and set `<html lang>`. */
export function initI18n(lng: Language): typeof i18n {
  if (!initialised) {
    initialised = true;
    void i18n.use(initReactI18next).init({
      resources: { en: { translation: en }, ja: { translation: ja } },
      lng,
      fallbackLng: 'en',
      initAsync: false,
      interpolation: { escapeValue: false }, // React escapes; we never render HTML
      returnNull: false,
    });
  } else if (i18n.language !== lng) {
    void i18n.changeLanguage(lng);
  }
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  return i18n;
}

export { i18n };
