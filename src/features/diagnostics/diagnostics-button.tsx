import { useTranslation } from 'react-i18next';
import { useConsoleStore } from '../../stores/console-store.ts';

/**
 * The header's Diagnostics button. Once a frame or record from the PBX could not be read since
 * the last full snapshot (`diagnostics.problemsSinceSnapshot` > 0: a dropped update, or a record
 * delivered without a malformed field), it carries a warning count, so the operator learns that
 * part of what the console shows may be out of date without opening the dialog (where "Reload
 * from the PBX" fixes it; the count goes back to 0 with the new connection's snapshot) (OPERATORS.md: "A console must
 * either be right or say clearly that it is not live").
 */
export function DiagnosticsButton({ onOpen }: { onOpen: () => void }) {
  const { t } = useTranslation();
  const problems = useConsoleStore((s) => s.diagnostics.problemsSinceSnapshot);
  return (
    <button
      type="button"
      className="btn"
      onClick={onOpen}
      title={problems > 0 ? t('app.dataProblems', { count: problems }) : undefined}
      aria-label={problems > 0 ? `${t('app.diagnostics')}: ${t('app.dataProblems', { count: problems })}` : undefined}
    >
      {t('app.diagnostics')}
      {problems > 0 && (
        <span aria-hidden="true" className="ml-1.5 rounded bg-amber-200 px-1 text-xs font-semibold text-amber-950 tabular-nums dark:bg-amber-700 dark:text-amber-50">
          ⚠ {problems > 99 ? '99+' : problems}
        </span>
      )}
    </button>
  );
}
