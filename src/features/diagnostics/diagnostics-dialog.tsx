import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { formatClock } from '../../components/time.ts';
import { reconnectNow, useConsoleStore } from '../../stores/console-store.ts';
import { UserText } from '../../components/text.tsx';
import { STATUS_LABEL_KEY } from '../banner/connection-status.tsx';

/**
 * Diagnostics (dialog): frames received, malformed frames/records from the store's
 * `diagnostics`, the latest errors, the PBX clock offset, connection detail and PBX messages.
 * After a bad frame or record since the last full snapshot, a warning with "Reload from the PBX"
 * (a new connection, whose snapshot replaces everything: {@link reconnectNow}).
 */
export function DiagnosticsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const d = useConsoleStore((s) => s.diagnostics);
  const offset = useConsoleStore((s) => s.clockOffsetMs);
  const conn = useConsoleStore((s) => s.connection);
  const msgs = useConsoleStore((s) => s.systemMessages);
  return (
    <ModalDialog title={t('diagnostics.title')} onClose={onClose}>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        <dt>{t('diagnostics.status')}</dt>
        <dd>
          {t(STATUS_LABEL_KEY[conn.status])}
          {conn.detail ? ` — ${conn.detail}` : ''}
          {conn.attempt > 0 ? ` (${t('connection.attempt', { attempt: conn.attempt })})` : ''}
        </dd>
        <dt>{t('diagnostics.framesReceived')}</dt>
        <dd className="tabular-nums">{d.framesReceived}</dd>
        <dt>{t('diagnostics.badFrames')}</dt>
        <dd className={`tabular-nums ${d.badFrames > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>{d.badFrames}</dd>
        <dt>{t('diagnostics.badRecords')}</dt>
        <dd className={`tabular-nums ${d.badRecords > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>{d.badRecords}</dd>
        <dt>{t('diagnostics.clockOffset')}</dt>
        <dd className="tabular-nums">{Math.round(offset)} ms</dd>
      </dl>
      {d.problemsSinceSnapshot > 0 && (
        <div role="alert" className="mt-3 flex flex-wrap items-center gap-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50">
          <span>{t('app.dataProblems', { count: d.problemsSinceSnapshot })}</span>
          <button type="button" className="btn" onClick={() => reconnectNow()}>
            {t('diagnostics.reload')}
          </button>
        </div>
      )}
      <h3 className="mt-4 mb-1 text-sm font-semibold">{t('diagnostics.lastErrors')}</h3>
      {d.lastErrors.length === 0 ? (
        <p className="text-sm text-slate-500">{t('diagnostics.noErrors')}</p>
      ) : (
        <ul className="max-h-48 overflow-y-auto font-mono text-xs">
          {[...d.lastErrors].reverse().map((e, i) => (
            <li key={`${e.at}-${i}`} className="break-words">
              {formatClock(e.at)} {e.message}
            </li>
          ))}
        </ul>
      )}
      <h3 className="mt-4 mb-1 text-sm font-semibold">{t('diagnostics.messages')}</h3>
      {msgs.length === 0 ? (
        <p className="text-sm text-slate-500">{t('diagnostics.noMessages')}</p>
      ) : (
        <ul className="max-h-40 overflow-y-auto text-xs">
          {[...msgs].reverse().map((m, i) => (
            <li key={`${m.at}-${i}`} className="break-words">
              <span className="font-mono">{formatClock(m.at)}</span> [{m.kind}] <UserText text={m.text} />
            </li>
          ))}
        </ul>
      )}
    </ModalDialog>
  );
}
