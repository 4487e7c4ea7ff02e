import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { formatDateTime, formatDuration } from '../../components/time.ts';
import { cleanText } from '../../components/text.tsx';
import { formatPhone } from '../../lib/phone.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { CallButton } from '../actions/call-button.tsx';
import { setCalledBack } from './missed-marks.ts';

/**
 * The detail of one missed call (issue 11), a modal dialog: who called (CRM name and organisation,
 * the caller's name and number), what they called, when it ended and how, how long they waited;
 * **Call back** (the click-to-call button: it rings the operator's phone, then the caller; it says
 * when click-to-call is not available) and **Mark as called back** (kept with the list).
 * Follows the store: a mark shows at once; the dialog closes itself if the entry goes (Clear).
 */
export function MissedDetail({ uuid, onClose }: { uuid: string; onClose: () => void }) {
  const { t } = useTranslation();
  const c = useConsoleStore((s) => s.missedCalls.find((x) => x.uuid === uuid));
  if (!c || c.kind === 'outage') {
    queueMicrotask(onClose);
    return null;
  }
  const crm = c.endUser && c.endUser.count === 1 ? c.endUser.items[0] : undefined;
  const raw = (c.callerNumber ?? '').trim();
  const number = formatPhone(raw);
  const who = cleanText(crm?.name || c.callerName || '') || number || t('call.unknownCaller');
  const target = c.called.name ?? (c.called.number ? formatPhone(c.called.number) : '');
  const kind = c.abandoned ? t('missed.abandoned') : c.endedIn === 'voicemail' ? t('missed.voicemail') : t('missed.missed');
  const marked = c.calledBackAt !== undefined;
  const rows: Array<[string, string]> = [
    [t('missed.caller'), who],
    ...(number && number !== who ? [[t('missed.number'), number] as [string, string]] : []),
    ...(crm?.organization ? [[t('missed.organization'), cleanText(crm.organization)] as [string, string]] : []),
    ...(target ? [[t('missed.called'), cleanText(target)] as [string, string]] : []),
    [t('missed.endedAt'), formatDateTime(c.endedAtUs / 1000)],
    [t('missed.cause'), [kind, c.waitedMs !== null ? t('missed.waited', { time: formatDuration(c.waitedMs) }) : ''].filter(Boolean).join(', ')],
  ];
  return (
    <ModalDialog title={t('missed.detail')} onClose={onClose}>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-slate-600 dark:text-slate-400">{k}</dt>
            <dd className="min-w-0 break-words font-medium">{v}</dd>
          </div>
        ))}
      </dl>
      <div className="mt-4 flex flex-col gap-3">
        {raw ? <CallButton destination={raw} label={number || raw} /> : <p className="text-sm text-slate-600 dark:text-slate-400">{t('missed.callBackUnknown')}</p>}
        <div className="flex flex-wrap items-center gap-2">
          <button type="button" className="btn py-0.5" aria-pressed={marked} onClick={() => setCalledBack(c.uuid, !marked)}>
            <span aria-hidden="true">{marked ? '↺ ' : '✔ '}</span>
            {marked ? t('missed.unmarkCalledBack') : t('missed.markCalledBack')}
          </button>
          {marked && (
            <span className="text-sm font-medium text-green-800 dark:text-green-300" role="status">
              {t('missed.calledBackAt', { time: formatDateTime(c.calledBackAt!) })}
            </span>
          )}
        </div>
      </div>
    </ModalDialog>
  );
}
