import { useTranslation } from 'react-i18next';
import { useConsoleStore } from '../stores/console-store.ts';

/**
 * Whether the PBX gives this login only its own calls (`session.isAdmin === false`): a plain
 * user's console shows no other callers, queues or parked calls, so empty call panels would
 * look complete when they are not.
 */
export function useLimitedView(): boolean {
  return useConsoleStore((s) => s.session?.isAdmin === false);
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
