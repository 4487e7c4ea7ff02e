import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/time.ts';
import { RETAIN_OLDER_MAX } from '../../lib/missed-calls-retention.ts';
import { JOURNAL_MAX } from '../../lib/missed-calls-persister.ts';
import { dismissMissedNotice, useMissedNotices, type MissedNotice } from './missed-notice.ts';

/**
 * What happened to the missed-call list's storage, above the list (missed-notice.ts): entries
 * removed by the retention rule or for lack of space (how many, up to when, why), and saving
 * that failed. Each stays until closed (a failed save also goes when a save succeeds again).
 * Announced politely (`role="status"`): it is not an emergency at the reception desk.
 */
export function MissedNotices() {
  const { t } = useTranslation();
  const notices = useMissedNotices((s) => s.notices);
  if (notices.length === 0) return null;
  return (
    <div role="status" className="shrink-0 divide-y divide-amber-200 border-b border-amber-300 bg-amber-50 text-xs text-amber-950 dark:divide-amber-800 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      {notices.map((n) => (
        <p key={n.kind} data-notice={n.kind} className="flex items-start gap-2 px-3 py-1">
          <span aria-hidden="true">⚠</span>
          <span className="min-w-0 flex-1">{text(t, n)}</span>
          <button type="button" className="btn py-0 text-xs" onClick={() => dismissMissedNotice(n.kind)}>
            {t('missed.dismiss')}
          </button>
        </p>
      ))}
    </div>
  );
}

function text(t: ReturnType<typeof useTranslation>['t'], n: MissedNotice): string {
  switch (n.kind) {
    case 'retention':
      return t('missed.notice.retention', { count: n.count, before: formatDateTime(n.beforeUs / 1000), limit: RETAIN_OLDER_MAX });
    case 'quota':
      return t('missed.notice.quota', { count: n.count, until: formatDateTime(n.untilUs / 1000) });
    case 'write-failed':
      return t('missed.notice.writeFailed', { reason: n.reason });
    case 'unavailable':
      return t('missed.notice.unavailable', { reason: n.reason, limit: JOURNAL_MAX });
  }
}
