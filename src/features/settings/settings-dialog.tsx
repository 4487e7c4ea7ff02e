import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { DEFAULT_SETTINGS, pickSettings, sanitizeSettings, useSettings, type Settings } from './settings-store.ts';
import { notificationState, requestNotificationPermission, type NotificationState } from '../../lib/notifications.ts';
import { PbxFields, pbxFieldTexts, validatePbxFields, type PbxFieldTexts } from './pbx-fields.tsx';

type NumKey = 'queueAmberSec' | 'queueRedSec' | 'parkWarnSec';
const NUM_KEYS: readonly NumKey[] = ['queueAmberSec', 'queueRedSec', 'parkWarnSec'];
const MAX_SEC = 86_400;

/** Why a threshold field is not accepted: not a whole number in range, or red not above amber. */
export type NumError = { code: 'range' | 'redNotAboveAmber' };

/**
 * Check the threshold fields as typed. Nothing is corrected: a bad value gets a message and
 * Save waits until it is fixed (a red threshold at or below amber is an error, not "amber + 1").
 */
export function validateNumbers(nums: Record<NumKey, string>): Partial<Record<NumKey, NumError>> {
  const out: Partial<Record<NumKey, NumError>> = {};
  const ok = (v: string) => /^\s*\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_SEC;
  for (const k of NUM_KEYS) if (!ok(nums[k])) out[k] = { code: 'range' };
  if (!out.queueAmberSec && !out.queueRedSec && Number(nums.queueRedSec) <= Number(nums.queueAmberSec)) out.queueRedSec = { code: 'redNotAboveAmber' };
  return out;
}

/**
 * Settings dialog: avatar base URL, where avatars may load from, queue amber/red thresholds, park warning time, sound,
 * desktop notifications, language (browser default / English / 日本語), text size, and the PBX
 * fields ({@link PbxFields}: all calls, silence limit, park groups, my user id). Saved to
 * localStorage on Save. Turning notifications on asks the browser's permission from that click
 * (the only moment the console ever asks); refused or unsupported, the box stays off and says why.
 */
export function SettingsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const current = useSettings();
  const update = useSettings((s) => s.update);
  const [draft, setDraft] = useState<Settings>(() => pickSettings(current));
  const [urlError, setUrlError] = useState(false);
  // The number fields as typed, so '' or '-5' stays visible with a message (never altered).
  const [nums, setNums] = useState<Record<NumKey, string>>(() => ({
    queueAmberSec: String(current.queueAmberSec),
    queueRedSec: String(current.queueRedSec),
    parkWarnSec: String(current.parkWarnSec),
  }));
  const [showErrors, setShowErrors] = useState(false);
  const [pbx, setPbx] = useState<PbxFieldTexts>(() => pbxFieldTexts(current));
  const id = useId();
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const errors = validateNumbers(nums);
  const [permission, setPermission] = useState<NotificationState>(() => notificationState());

  const onNotifyChange = (e: ChangeEvent<HTMLInputElement>) => {
    if (!e.target.checked) return set('notify', false);
    if (permission === 'granted') return set('notify', true);
    // Inside the click: browsers ignore (or block) a permission request made at any other time.
    void requestNotificationPermission().then((p) => {
      setPermission(p);
      set('notify', p === 'granted');
    });
  };
  const notifyProblem = permission === 'unsupported' ? 'settings.notifyUnsupported' : permission === 'denied' ? 'settings.notifyDenied' : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const url = draft.baseUrl.trim();
    const badUrl = !/^(https?:\/\/[^\s]+|\/[^\s]*)$/i.test(url);
    setUrlError(badUrl);
    setShowErrors(true);
    const pbxCheck = validatePbxFields(pbx);
    const pbxBad = (['silenceMinutes', 'parkGroups', 'myUserId'] as const).find((k) => pbxCheck.errors[k]);
    if (badUrl || Object.keys(errors).length > 0 || pbxBad) {
      // Say what is wrong where it is: focus the first invalid field.
      const numBad = NUM_KEYS.find((k) => errors[k]);
      const first = badUrl ? `${id}-base` : numBad ? `${id}-${numBad}` : `${id}-${pbxBad}`;
      (document.getElementById(first) as HTMLInputElement | null)?.focus();
      return;
    }
    update(
      sanitizeSettings({
        ...draft,
        notify: draft.notify && permission === 'granted',
        baseUrl: url,
        queueAmberSec: Number(nums.queueAmberSec),
        queueRedSec: Number(nums.queueRedSec),
        parkWarnSec: Number(nums.parkWarnSec),
        ...pbxCheck.values,
      }),
    );
    onClose();
  };

  const num = (key: NumKey, label: string) => {
    const err = showErrors ? errors[key] : undefined;
    const errId = `${id}-${key}-error`;
    return (
      <div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${id}-${key}`} className="text-sm">
            {label}
          </label>
          <input
            id={`${id}-${key}`}
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_SEC}
            step={1}
            value={nums[key]}
            aria-invalid={err ? true : undefined}
            aria-describedby={err ? errId : undefined}
            onChange={(e) => setNums((n) => ({ ...n, [key]: e.target.value }))}
            className={`input w-24 text-right tabular-nums ${err ? 'border-red-600 dark:border-red-500' : ''}`}
          />
        </div>
        {err && (
          <p id={errId} className="mt-1 text-right text-xs font-medium text-red-700 dark:text-red-400">
            <span aria-hidden="true">✖ </span>
            {t(`settings.error.${err.code}`, { min: 1, max: MAX_SEC, amber: nums.queueAmberSec })}
          </p>
        )}
      </div>
    );
  };

  return (
    <ModalDialog title={t('settings.title')} onClose={onClose}>
      <form onSubmit={onSubmit} noValidate className="flex flex-col gap-3">
        <div>
          <label htmlFor={`${id}-base`} className="mb-1 block text-sm font-medium">
            {t('settings.baseUrl')}
          </label>
          <input
            id={`${id}-base`}
            type="text"
            inputMode="url"
            value={draft.baseUrl}
            aria-invalid={urlError || undefined}
            aria-describedby={`${id}-base-help`}
            onChange={(e) => set('baseUrl', e.target.value)}
            className="input w-full font-mono text-sm"
          />
          <p id={`${id}-base-help`} className={`mt-1 text-xs ${urlError ? 'text-red-700 dark:text-red-400' : 'text-slate-500'}`}>
            {urlError ? t('settings.invalidUrl') : t('settings.baseUrlHelp')}
          </p>
        </div>
        <div>
          <div className="flex items-center justify-between gap-3">
            <label htmlFor={`${id}-avatar-source`} className="text-sm">
              {t('settings.avatarSource')}
            </label>
            <select
              id={`${id}-avatar-source`}
              className="input"
              value={draft.avatarSource}
              aria-describedby={`${id}-avatar-source-help`}
              onChange={(e) => set('avatarSource', e.target.value === 'any' ? 'any' : 'pbx')}
            >
              <option value="pbx">{t('settings.avatarSourcePbx')}</option>
              <option value="any">{t('settings.avatarSourceAny')}</option>
            </select>
          </div>
          <p id={`${id}-avatar-source-help`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
            {t(draft.avatarSource === 'any' ? 'settings.avatarSourceAnyHelp' : 'settings.avatarSourcePbxHelp')}
          </p>
        </div>
        {num('queueAmberSec', t('settings.queueAmber'))}
        {num('queueRedSec', t('settings.queueRed'))}
        {num('parkWarnSec', t('settings.parkWarn'))}
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={draft.sound} onChange={(e) => set('sound', e.target.checked)} />
          {t('settings.sound')}
        </label>
        <div>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={draft.notify && permission === 'granted'}
              disabled={permission === 'unsupported'}
              aria-describedby={`${id}-notify-help`}
              onChange={onNotifyChange}
            />
            {t('settings.notify')}
          </label>
          <p id={`${id}-notify-help`} className={`mt-1 ml-6 text-xs ${notifyProblem ? 'text-red-700 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}>
            {notifyProblem && <span aria-hidden="true">✖ </span>}
            {t(notifyProblem ?? 'settings.notifyHelp')}
          </p>
        </div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${id}-lang`} className="text-sm">
            {t('settings.language')}
          </label>
          <select id={`${id}-lang`} className="input" value={draft.language} onChange={(e) => set('language', e.target.value as Settings['language'])}>
            <option value="auto">{t('settings.languageAuto')}</option>
            <option value="en" lang="en">
              English
            </option>
            <option value="ja" lang="ja">
              日本語
            </option>
          </select>
        </div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${id}-zoom`} className="text-sm">
            {t('settings.zoom')}
          </label>
          <select
            id={`${id}-zoom`}
            className="input"
            value={String(draft.zoom)}
            onChange={(e) => set('zoom', e.target.value === 'auto' ? 'auto' : (Number(e.target.value) as Settings['zoom']))}
          >
            <option value="auto">{t('settings.zoomAuto')}</option>
            {[1, 1.25, 1.5, 2].map((z) => (
              <option key={z} value={String(z)}>
                {Math.round(z * 100)}%
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${id}-theme`} className="text-sm">
            {t('settings.theme')}
          </label>
          <select id={`${id}-theme`} className="input" value={draft.theme} onChange={(e) => set('theme', e.target.value as Settings['theme'])}>
            <option value="system">{t('settings.themeSystem')}</option>
            <option value="light">{t('settings.themeLight')}</option>
            <option value="dark">{t('settings.themeDark')}</option>
          </select>
        </div>
        <PbxFields idPrefix={id} texts={pbx} onChange={setPbx} showErrors={showErrors} />
        <div className="mt-2 flex flex-wrap justify-end gap-2 border-t border-slate-200 pt-3 dark:border-slate-700">
          <button
            type="button"
            className="btn mr-auto"
            onClick={() => {
              setDraft({ ...DEFAULT_SETTINGS });
              setNums({ queueAmberSec: String(DEFAULT_SETTINGS.queueAmberSec), queueRedSec: String(DEFAULT_SETTINGS.queueRedSec), parkWarnSec: String(DEFAULT_SETTINGS.parkWarnSec) });
              setPbx(pbxFieldTexts(DEFAULT_SETTINGS));
              setUrlError(false);
            }}
          >
            {t('settings.reset')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('settings.cancel')}
          </button>
          <button type="submit" className="btn btn-primary">
            {t('settings.save')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
