import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useOwnUserId } from './own-user.ts';
import { useCallUserAvailability, useCallUserRequest, type CallUserState } from './use-call-user.ts';

/**
 * "Call" (click-to-call, issue 11): `POST /basix/api/call_user` `{user_id: <operator>, destination}`
 * — the PBX rings the operator's own phone, then `destination`. Disabled with the reason shown
 * when the operator's own user is unknown, or once this page learnt the PBX has no call_user.
 * The outcome is a live region next to the button.
 * @param destination what the PBX dials: the raw number or extension (not the formatted text)
 * @param label what the operator reads (e.g. the formatted number), for the button's name
 */
export function CallButton({ destination, label, compact = false }: { destination: string; label: string; compact?: boolean }) {
  const { t } = useTranslation();
  const own = useOwnUserId();
  const available = useCallUserAvailability();
  const [state, run] = useCallUserRequest();
  const reasonId = useId();
  const reason = own === null ? t('workflow.callNoUser') : available === 'unavailable' ? t('workflow.callUnavailable') : null;
  const disabled = reason !== null || state.kind === 'asking' || destination.trim() === '';
  const status = callStatusText(state, label, t);
  return (
    <span className="inline-flex min-w-0 flex-wrap items-center gap-2">
      <button
        type="button"
        className={`btn shrink-0 ${compact ? 'px-1.5 py-0 text-xs' : 'py-0.5'}`}
        disabled={disabled}
        aria-label={t('workflow.callNumber', { number: label })}
        aria-describedby={reason ? reasonId : undefined}
        title={reason ?? (compact && status ? status : t('workflow.callNumber', { number: label }))}
        onClick={() => {
          if (own !== null) void run({ user_id: own, destination });
        }}
      >
        <span aria-hidden="true">{compact && state.kind === 'ringing' ? '✔ ' : compact && (state.kind === 'failed' || state.kind === 'unavailable') ? '✖ ' : '☎ '}</span>
        {t('workflow.call')}
      </button>
      {reason && !compact && (
        <span id={reasonId} className="text-xs text-slate-500 dark:text-slate-400">
          {reason}
        </span>
      )}
      {reason && compact && (
        <span id={reasonId} className="sr-only">
          {reason}
        </span>
      )}
      {/* In a table cell there is no room for the words: the button's title, and read out. */}
      <CallUserStatus state={state} number={label} className={compact ? 'sr-only' : undefined} />
    </span>
  );
}

/** The outcome of a click-to-call as words (a live region; empty while idle). */
export function CallUserStatus({ state, number, className }: { state: CallUserState; number: string; className?: string }) {
  const { t } = useTranslation();
  const text = callStatusText(state, number, t);
  return (
    <span aria-live="polite" className={className ?? `text-xs ${state.kind === 'failed' || state.kind === 'unavailable' ? 'text-red-700 dark:text-red-300' : 'text-slate-600 dark:text-slate-300'}`}>
      {text}
    </span>
  );
}

function callStatusText(state: CallUserState, number: string, t: (k: string, o?: Record<string, unknown>) => string): string {
  switch (state.kind) {
    case 'idle':
      return '';
    case 'asking':
      return t('workflow.calling', { number });
    case 'ringing':
      return t('workflow.callRinging', { number });
    case 'unavailable':
      return t('workflow.callUnavailable');
    case 'failed':
      return failureText(state, t);
  }
}

/** A failed call_user in the operator's words (a PBX error id shown as the PBX wrote it). */
export function failureText(state: Extract<CallUserState, { kind: 'failed' }>, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (state.why === 'login') return t('workflow.loginRequired');
  if (state.why === 'unreachable') return t('workflow.unreachable', { message: state.detail });
  return t('workflow.refused', { reason: state.detail });
}
