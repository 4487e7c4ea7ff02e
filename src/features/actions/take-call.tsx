import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { sendCommand, useConsoleStore } from '../../stores/console-store.ts';
import { getCallUserAvailability, pickupDestination } from '../../lib/call-user.ts';
import { useOwnUser } from './own-user.ts';
import { useCallUserRequest } from './use-call-user.ts';
import { failureText } from './call-button.tsx';

/**
 * How the take went: `callUser` — call_user answered (see its state); `transfer` — the PBX has no
 * call_user (404 / not JSON, remembered per page), so the protocol's `transfer` to the
 * operator's own user was sent (its outcome is the store's pending action, shown with the other
 * actions of the call).
 */
type TakeVia = 'none' | 'callUser' | 'transfer';

/**
 * "Take call" on a ringing, queued or parked call (issue 11): brings it to the operator's own
 * phone. The vendor's way (PROTOCOL.md Corrections) is call_user with destination
 * `pickup_uuid.<channel uuid>`: the PBX rings the operator's phone, then picks the call up. Where
 * the PBX does not serve call_user, the documented `transfer` command to the operator's own user
 * (for a parked call: "unpark to me"). Disabled, with the reason, while the operator's own user is
 * unknown (no session user id and no "My PBX user id" setting).
 * @param autoStart take at once on mount (the T / Alt+T key of a call list opened the dialog)
 */
export function TakeCall({ uuid, autoStart = false }: { uuid: string; autoStart?: boolean }) {
  const { t } = useTranslation();
  const { id: own, user } = useOwnUser();
  const live = useConsoleStore((s) => s.connection.status === 'live');
  const [state, run] = useCallUserRequest();
  const [via, setVia] = useState<TakeVia>('none');
  const reasonId = useId();

  const transfer = () => {
    if (own === null) return;
    setVia('transfer');
    sendCommand({ cmd: 'transfer', uuid, user_id: own, user_name: user?.name, destination: user?.main_extension });
  };
  const take = async () => {
    if (own === null) return;
    if (getCallUserAvailability() === 'unavailable') return transfer();
    setVia('callUser');
    const r = await run({ user_id: own, destination: pickupDestination(uuid) });
    if (r.kind === 'unavailable') transfer();
  };
  const started = useRef(false);
  useEffect(() => {
    if (!autoStart || started.current || own === null) return;
    started.current = true;
    void take();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoStart, own]);

  const busy = state.kind === 'asking';
  const message =
    via === 'transfer'
      ? t('workflow.takeTransfer')
      : via === 'callUser'
        ? state.kind === 'asking'
          ? t('workflow.taking')
          : state.kind === 'ringing'
            ? t('workflow.takeRinging')
            : state.kind === 'failed'
              ? failureText(state, t)
              : ''
        : '';
  return (
    <div className="flex flex-wrap items-center gap-2">
      <button
        type="button"
        className="btn btn-primary"
        disabled={own === null || busy || (!live && getCallUserAvailability() === 'unavailable')}
        aria-describedby={own === null ? reasonId : undefined}
        aria-keyshortcuts="T Alt+T"
        title={own === null ? t('workflow.takeNoUser') : t('workflow.takeHint')}
        onClick={() => void take()}
      >
        <span aria-hidden="true">⤓ </span>
        {t('workflow.take')}
      </button>
      {own === null && (
        <span id={reasonId} className="text-sm text-amber-800 dark:text-amber-300">
          {t('workflow.takeNoUser')}
        </span>
      )}
      <span aria-live="polite" className={`text-sm ${state.kind === 'failed' && via === 'callUser' ? 'text-red-700 dark:text-red-300' : 'text-slate-600 dark:text-slate-300'}`}>
        {message}
      </span>
    </div>
  );
}
