import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { userLabel } from '../../components/caller.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { UserCombobox } from '../actions/user-combobox.tsx';

/**
 * Settings → "My phone" (issue 11): which PBX user is the operator, when the PBX does not say
 * (our session endpoint is optional). A type-ahead over the users the PBX sent (name in kanji,
 * kana or romaji, login or extension; IME-safe, UserCombobox), kept per browser as the
 * `myUserId` setting. Before the PBX has sent any user (not connected yet) it is a plain id field.
 * @param value the field's text: the chosen user id as digits, or `''`
 * @param onChange the new text (a picked user's id, or `''` to clear)
 * @param describedBy id of the help / error text under the field
 */
export function MyPhoneField({ id, value, onChange, invalid, describedBy }: { id: string; value: string; onChange: (v: string) => void; invalid: boolean; describedBy: string }) {
  const { t } = useTranslation();
  const users = useConsoleStore((s) => s.user);
  const chosenId = value.trim();
  const chosen = chosenId === '' ? undefined : users.get(chosenId);
  const chosenTextId = useId();
  if (users.size === 0) {
    return (
      <div className="flex items-center justify-between gap-3">
        <label htmlFor={id} className="text-sm">
          {t('settings.myUserId')}
        </label>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          value={value}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onChange(e.target.value)}
          className={`input w-32 text-right font-mono text-sm tabular-nums ${invalid ? 'border-red-600 dark:border-red-500' : ''}`}
        />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-1">
      {chosenId !== '' && (
        <p id={chosenTextId} className="flex flex-wrap items-center gap-2 text-sm">
          <span>{t('settings.myPhoneChosen')}</span>
          <span className="font-medium">{chosen ? userLabel(chosen) : `#${chosenId}`}</span>
          {chosen?.main_extension && <span className="font-mono tabular-nums">{chosen.main_extension}</span>}
          <button type="button" className="btn px-1.5 py-0 text-xs" onClick={() => onChange('')}>
            {t('settings.myPhoneClear')}
          </button>
        </p>
      )}
      <UserCombobox id={id} describedBy={describedBy} users={users} label={t('settings.myUserId')} plain placeholder={t('settings.myPhonePlaceholder')} onPick={(u) => onChange(String(u.id))} />
    </div>
  );
}
