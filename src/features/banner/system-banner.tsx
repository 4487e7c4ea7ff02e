import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { loginUrl, takeOver, useConsoleStore } from '../../stores/console-store.ts';
import { LimitedViewBanner } from './limited-view-banner.tsx';
import { LoginRequiredBanner } from './login-required-banner.tsx';
import { UserText } from '../../components/text.tsx';

/**
 * The banners under the header: the limited-view notice; "Log in to the PBX" while the socket
 * keeps being refused; why the console stopped (`connection_replaced`,
 * `connection_limit_reached` → "Take over" button calling the store's `takeOver()`;
 * `logout`/`unauthorized` → a "Log in" link), and the latest user-level `msg` (dismissible).
 * Text from the PBX is shown as text.
 */
export function SystemBanner() {
  const { t } = useTranslation();
  const reason = useConsoleStore((s) => (s.connection.status === 'stopped' ? s.connection.stopReason : null));
  const lastMsg = useConsoleStore((s) => {
    for (let i = s.systemMessages.length - 1; i >= 0; i--) if (s.systemMessages[i].kind === 'msg') return s.systemMessages[i];
    return null;
  });
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  return (
    <>
      <LimitedViewBanner />
      <LoginRequiredBanner />
      {reason && (
        <div role="alert" className="flex flex-wrap items-center gap-3 border-b border-red-300 bg-red-100 px-4 py-2 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
          <span aria-hidden="true">⚠</span>
          <span className="font-medium">{t(`banner.${reason}`)}</span>
          {reason === 'connection_replaced' || reason === 'connection_limit_reached' ? (
            <button type="button" className="btn btn-primary" onClick={() => takeOver()}>
              {t('banner.takeOver')}
            </button>
          ) : (
            <a className="btn btn-primary" href={loginUrl()}>
              {t('banner.login')}
            </a>
          )}
        </div>
      )}
      {lastMsg && lastMsg.at !== dismissedAt && (
        <div role="status" className="flex items-center gap-3 border-b border-blue-300 bg-blue-50 px-4 py-1.5 text-sm text-blue-950 dark:border-blue-800 dark:bg-blue-950 dark:text-blue-100">
          <span className="font-semibold">{t('banner.message')}:</span>
          <UserText text={lastMsg.text} className="min-w-0 flex-1 truncate" />
          <button type="button" className="btn py-0 text-xs" onClick={() => setDismissedAt(lastMsg.at)}>
            {t('banner.dismiss')}
          </button>
        </div>
      )}
    </>
  );
}
