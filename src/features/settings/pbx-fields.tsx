import { MyPhoneField } from './my-phone-field.tsx';
import { useTranslation } from 'react-i18next';
import { userLabel } from '../../components/caller.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import {
  SILENCE_MINUTES_MAX,
  SILENCE_MINUTES_MIN,
  formatParkGroups,
  parseParkGroups,
  type FullEventsSetting,
  type ParkGroupsSetting,
  type Settings,
} from './settings-store.ts';

/** The PBX fields as typed (text, so a bad value stays visible with its message). */
export interface PbxFieldTexts {
  fullEvents: FullEventsSetting;
  silenceMinutes: string;
  parkGroups: string;
  myUserId: string;
}

export type PbxFieldError = 'silenceRange' | 'parkGroups' | 'userId';

/** The fields' texts for the current settings. */
export function pbxFieldTexts(s: Pick<Settings, 'fullEvents' | 'silenceMinutes' | 'parkGroups' | 'myUserId'>): PbxFieldTexts {
  return { fullEvents: s.fullEvents, silenceMinutes: String(s.silenceMinutes), parkGroups: formatParkGroups(s.parkGroups), myUserId: s.myUserId === null ? '' : String(s.myUserId) };
}

/**
 * Checks the typed PBX fields. Nothing is corrected: a bad value gets a message and Save waits.
 * @returns `errors` per field, and `values` (only meaningful when there is no error)
 */
export function validatePbxFields(t: PbxFieldTexts): {
  errors: Partial<Record<'silenceMinutes' | 'parkGroups' | 'myUserId', PbxFieldError>>;
  values: { fullEvents: FullEventsSetting; silenceMinutes: number; parkGroups: ParkGroupsSetting; myUserId: number | null };
} {
  const errors: Partial<Record<'silenceMinutes' | 'parkGroups' | 'myUserId', PbxFieldError>> = {};
  const minutes = Number(t.silenceMinutes);
  if (!/^\s*\d+\s*$/.test(t.silenceMinutes) || minutes < SILENCE_MINUTES_MIN || minutes > SILENCE_MINUTES_MAX) errors.silenceMinutes = 'silenceRange';
  const groups = parseParkGroups(t.parkGroups);
  if (groups === null) errors.parkGroups = 'parkGroups';
  const idText = t.myUserId.trim();
  const id = idText === '' ? null : Number(idText);
  if (id !== null && (!/^\d{1,15}$/.test(idText) || id <= 0)) errors.myUserId = 'userId';
  return { errors, values: { fullEvents: t.fullEvents, silenceMinutes: minutes, parkGroups: groups ?? 'auto', myUserId: errors.myUserId ? null : id } };
}

/**
 * The settings about the PBX connection and the operator's place in it: "All calls
 * (full_events)", the silence limit before a fresh connection, the park groups whose free slots
 * are shown, and "My user id" (a plain field; the PBX's optional session endpoint, when present,
 * tells it instead).
 */
export function PbxFields({
  idPrefix,
  texts,
  onChange,
  showErrors,
}: {
  idPrefix: string;
  texts: PbxFieldTexts;
  onChange: (next: PbxFieldTexts) => void;
  showErrors: boolean;
}) {
  const { t } = useTranslation();
  const { errors } = validatePbxFields(texts);
  const sessionUserId = useConsoleStore((s) => s.session?.userId ?? null);
  const typedId = /^\d+$/.test(texts.myUserId.trim()) ? texts.myUserId.trim() : null;
  const me = useConsoleStore((s) => (typedId === null ? null : userLabel(s.user.get(typedId)) || null));
  const set = <K extends keyof PbxFieldTexts>(k: K, v: PbxFieldTexts[K]) => onChange({ ...texts, [k]: v });
  const err = (k: 'silenceMinutes' | 'parkGroups' | 'myUserId') => (showErrors ? errors[k] : undefined);
  const help = (k: 'silenceMinutes' | 'parkGroups' | 'myUserId', text: string) => {
    const e = err(k);
    return (
      <p id={`${idPrefix}-${k}-help`} className={`mt-1 text-xs ${e ? 'font-medium text-red-700 dark:text-red-400' : 'text-slate-500 dark:text-slate-400'}`}>
        {e && <span aria-hidden="true">✖ </span>}
        {e ? t(`settings.error.${e}`, { min: SILENCE_MINUTES_MIN, max: SILENCE_MINUTES_MAX }) : text}
      </p>
    );
  };
  return (
    <fieldset className="flex flex-col gap-3 border-t border-slate-200 pt-3 dark:border-slate-700">
      <legend className="sr-only">{t('settings.pbx')}</legend>
      <div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${idPrefix}-fullEvents`} className="text-sm">
            {t('settings.fullEvents')}
          </label>
          <select
            id={`${idPrefix}-fullEvents`}
            className="input"
            value={texts.fullEvents}
            aria-describedby={`${idPrefix}-fullEvents-help`}
            onChange={(e) => set('fullEvents', e.target.value as FullEventsSetting)}
          >
            <option value="auto">{t('settings.fullEventsAuto')}</option>
            <option value="always">{t('settings.fullEventsAlways')}</option>
            <option value="never">{t('settings.fullEventsNever')}</option>
          </select>
        </div>
        <p id={`${idPrefix}-fullEvents-help`} className="mt-1 text-xs text-slate-500 dark:text-slate-400">
          {t('settings.fullEventsHelp')}
        </p>
      </div>
      <div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${idPrefix}-silenceMinutes`} className="text-sm">
            {t('settings.silenceMinutes')}
          </label>
          <input
            id={`${idPrefix}-silenceMinutes`}
            type="number"
            inputMode="numeric"
            min={SILENCE_MINUTES_MIN}
            max={SILENCE_MINUTES_MAX}
            step={1}
            value={texts.silenceMinutes}
            aria-invalid={err('silenceMinutes') ? true : undefined}
            aria-describedby={`${idPrefix}-silenceMinutes-help`}
            onChange={(e) => set('silenceMinutes', e.target.value)}
            className={`input w-24 text-right tabular-nums ${err('silenceMinutes') ? 'border-red-600 dark:border-red-500' : ''}`}
          />
        </div>
        {help('silenceMinutes', t('settings.silenceMinutesHelp'))}
      </div>
      <div>
        <div className="flex items-center justify-between gap-3">
          <label htmlFor={`${idPrefix}-parkGroups`} className="text-sm">
            {t('settings.parkGroups')}
          </label>
          <input
            id={`${idPrefix}-parkGroups`}
            type="text"
            value={texts.parkGroups}
            aria-invalid={err('parkGroups') ? true : undefined}
            aria-describedby={`${idPrefix}-parkGroups-help`}
            onChange={(e) => set('parkGroups', e.target.value)}
            className={`input w-32 font-mono text-sm ${err('parkGroups') ? 'border-red-600 dark:border-red-500' : ''}`}
          />
        </div>
        {help('parkGroups', t('settings.parkGroupsHelp'))}
      </div>
      <div>
        <MyPhoneField
          id={`${idPrefix}-myUserId`}
          value={texts.myUserId}
          onChange={(v) => set('myUserId', v)}
          invalid={!!err('myUserId')}
          describedBy={`${idPrefix}-myUserId-help`}
        />
        {help(
          'myUserId',
          sessionUserId !== null
            ? t('settings.myUserIdSession', { id: sessionUserId })
            : me
              ? t('settings.myUserIdFound', { name: me })
              : t('settings.myUserIdHelp'),
        )}
      </div>
    </fieldset>
  );
}
