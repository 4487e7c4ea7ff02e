import { useTranslation } from 'react-i18next';
import { loginUrlForNewTab, useConsoleStore } from '../../stores/console-store.ts';

/**
 * "Log in to the PBX", shown while the PBX's web side answers but its CTI socket keeps refusing
 * (the browser hides the upgrade's 401, so a lost login looks like this; issue 9). Persistent:
 * it goes when a socket opens. The login opens in a new tab so this console keeps retrying and
 * reconnects by itself once the receptionist is back (the page's focus retries at once).
 */
export function LoginRequiredBanner() {
  const { t } = useTranslation();
  const show = useConsoleStore((s) => s.connection.loginRequired && s.connection.status !== 'stopped');
  if (!show) return null;
  return (
    <div role="alert" data-testid="login-required" className="flex flex-wrap items-center gap-3 border-b border-red-300 bg-red-100 px-4 py-2 text-sm text-red-950 dark:border-red-800 dark:bg-red-950 dark:text-red-100">
      <span aria-hidden="true">⚠</span>
      <span className="min-w-0 flex-1">
        <strong className="font-semibold">{t('banner.loginRequired')}</strong> {t('banner.loginRequiredHelp')}
      </span>
      <a className="btn btn-primary" href={loginUrlForNewTab()} target="basix-login" rel="opener">
        {t('banner.loginToPbx')}
      </a>
    </div>
  );
}
