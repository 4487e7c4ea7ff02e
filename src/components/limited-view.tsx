import { useTranslation } from 'react-i18next';
import { useConsoleStore } from '../stores/console-store.ts';
import { selectLimitedView } from '../stores/selectors.ts';

/**
 * Whether this console sees only some calls (the store's `limitedView`: the optional session
 * endpoint says the login is not an admin, `full_events` was not asked for or was refused, or
 * every channel delivered so far belongs to one user): empty call panels would look complete
 * when they are not.
 */
export function useLimitedView(): boolean {
  return useConsoleStore(selectLimitedView);
}

/** A second line for a call panel's empty state: "Limited view: only your own calls…". */
export function LimitedViewNote() {
  const { t } = useTranslation();
  const limited = useLimitedView();
  if (!limited) return null;
  return (
    <span className="mt-1 block text-xs font-medium text-amber-800 dark:text-amber-300">
      <span aria-hidden="true">⚠ </span>
      {t('limited.empty')}
    </span>
  );
}
