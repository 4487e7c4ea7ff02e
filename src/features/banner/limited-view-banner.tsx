import { useTranslation } from 'react-i18next';
import { useLimitedView } from '../../components/limited-view.tsx';
import { loginUrl, useConsoleStore } from '../../stores/console-store.ts';

/**
 * The limited-view notice (not dismissible: everything below is incomplete for as long as this
 * login is used), worded by what is known: the session endpoint said "not an admin"; the PBX
 * refused `full_events`; the settings do not ask for it; or every channel delivered so far
 * belongs to one user (connection/view-evidence.ts).
 */
export function LimitedViewBanner() {
  const { t } = useTranslation();
  const limited = useLimitedView();
  const view = useConsoleStore((s) => s.connection.view);
  const userName = useConsoleStore((s) => {
    if (view.userId === null) return null;
    const u = s.user.get(String(view.userId));
    return u ? String(u.label || u.name || view.userId) : String(view.userId);
  });
  if (!limited) return null;
  const text =
    view.kind === 'limited' && view.reason === 'refused'
      ? t('limited.banner_refused')
      : view.kind === 'limited' && view.reason === 'not_requested'
        ? t('limited.banner_not_requested')
        : view.kind === 'limited' && view.reason === 'one_user'
          ? t('limited.banner_one_user', { user: userName })
          : t('limited.banner');
  return (
    <div data-testid="limited-view" className="flex flex-wrap items-center gap-3 border-b border-amber-300 bg-amber-100 px-4 py-1.5 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <span aria-hidden="true">⚠</span>
      <strong className="min-w-0 flex-1 font-semibold">{text}</strong>
      {!(view.kind === 'limited' && view.reason === 'not_requested') && (
        <a className="btn py-0 text-xs" href={loginUrl()}>
          {t('limited.login')}
        </a>
      )}
    </div>
  );
}
