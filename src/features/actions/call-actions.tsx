import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { sendCommand, useConsoleStore } from '../../stores/console-store.ts';
import { ACTION_TIMEOUT_MS, type PendingAction } from '../../stores/console-state.ts';
import type { User } from '../../stores/cti-types.ts';
import { userLabel } from '../../components/caller.ts';
import { transferWarnings, UserCombobox, useUsersOnCall } from './user-combobox.tsx';

/** Seconds a parked call waits before the PBX returns it (PROTOCOL.md park `timeout`). */
const PARK_TIMEOUT_SEC = 600;

/** Escape inside an inline question (hang up? transfer anyway?) answers "no" instead of closing the whole dialog. */
const cancelOnEscape = (cancel: () => void) => (e: KeyboardEvent) => {
  if (e.key !== 'Escape') return;
  e.preventDefault(); // also keeps the native <dialog> from cancelling
  e.stopPropagation();
  cancel();
};

/**
 * Actions on one call: Hang up (asks for confirmation first, naming the colleague talking on it
 * when `colleague` is given), Park, and Transfer to a user
 * picked by type-ahead. Commands go through the store's `sendCommand`; the outcome shown is the
 * store's `pendingActions` entry (waiting / done / failed with the reason, e.g. no confirmation).
 *
 * Keyboard: Escape in a question cancels it (not the dialog) and focus goes back to what asked
 * it; when the control that had focus goes away or is disabled (a question answered, buttons
 * disabled while the PBX confirms, Park gone once the call is parked), focus moves to this group
 * instead of falling out of the dialog.
 */
export function CallActions({ uuid, canPark = true, colleague = null }: { uuid: string; canPark?: boolean; colleague?: string | null }) {
  const { t } = useTranslation();
  const live = useConsoleStore((s) => s.connection.status === 'live');
  const users = useConsoleStore((s) => s.user);
  const actions = useActionsFor(uuid);
  const [confirming, setConfirming] = useState(false);
  const busy = actions.some((a) => a.status === 'pending');
  const hangupQuestion = colleague ? t('workflow.hangupColleague', { name: colleague }) : t('actions.hangupConfirm');
  const onCall = useUsersOnCall();
  // A pick whose target is DND / offline / busy / on a call / forwarding waits for "Transfer anyway".
  const [checking, setChecking] = useState<User | null>(null);

  const send = (u: User) => {
    setChecking(null);
    sendCommand({ cmd: 'transfer', uuid, user_id: Number(u.id), user_name: u.name ?? userLabel(u), destination: u.main_extension });
  };
  const transfer = (u: User) => {
    if (transferWarnings(u, onCall.has(String(u.id))).length > 0) setChecking(u);
    else send(u);
  };
  const warnings = checking ? transferWarnings(checking, onCall.has(String(checking.id))) : [];

  const groupRef = useRef<HTMLDivElement>(null);
  const hangupRef = useRef<HTMLButtonElement>(null);
  /** where focus goes once a question is closed ('hangup' button, 'transfer' box), or null */
  const [refocus, setRefocus] = useState<'hangup' | 'transfer' | null>(null);
  useEffect(() => {
    const group = groupRef.current;
    if (!group) return;
    const target = refocus === 'hangup' ? hangupRef.current : refocus === 'transfer' ? group.querySelector<HTMLInputElement>('[role="combobox"]') : null;
    if (refocus) setRefocus(null);
    if (target && !target.disabled) return target.focus();
    // the focused control is gone or disabled: keep focus here, not on <body>
    const active = document.activeElement;
    if (!active || active === document.body || (group.contains(active) && (active as HTMLButtonElement).disabled)) group.focus();
    // canPark: the Park button goes when the call is parked (by anyone), maybe with focus on it
  }, [confirming, checking, busy, live, refocus, canPark]);
  const cancelHangup = () => {
    setConfirming(false);
    setRefocus('hangup');
  };
  const cancelTransfer = () => {
    setChecking(null);
    setRefocus('transfer');
  };

  return (
    <div ref={groupRef} tabIndex={-1} role="group" aria-label={t('actions.label')} className="flex flex-col gap-3 outline-none focus-visible:ring-2 focus-visible:ring-blue-500">
      {!live && <p className="text-sm text-amber-800 dark:text-amber-300">{t('actions.notLive')}</p>}
      <div className="flex flex-wrap items-center gap-2">
        {confirming ? (
          <div role="alertdialog" aria-label={hangupQuestion} onKeyDown={cancelOnEscape(cancelHangup)} className="flex items-center gap-2 rounded border border-red-300 bg-red-50 px-2 py-1 dark:border-red-800 dark:bg-red-950">
            <span className="text-sm font-medium">{hangupQuestion}</span>
            <button
              type="button"
              className="btn btn-danger"
              autoFocus
              onClick={() => {
                setConfirming(false);
                sendCommand({ cmd: 'hangup', uuid });
              }}
            >
              {t('actions.hangupYes')}
            </button>
            <button type="button" className="btn" onClick={cancelHangup}>
              {t('actions.cancel')}
            </button>
          </div>
        ) : (
          <button ref={hangupRef} type="button" className="btn btn-danger" disabled={!live || busy} onClick={() => setConfirming(true)}>
            <span aria-hidden="true">✖ </span>
            {t('actions.hangup')}
          </button>
        )}
        {canPark && (
          <button type="button" className="btn" disabled={!live || busy} onClick={() => sendCommand({ cmd: 'park', uuid, timeout: PARK_TIMEOUT_SEC })}>
            <span aria-hidden="true">‖ </span>
            {t('actions.park')}
          </button>
        )}
      </div>
      <UserCombobox users={users} label={t('actions.transferTo')} onPick={transfer} disabled={!live || busy} />
      {checking && (
        <div role="alertdialog" aria-label={t('actions.transferCheck', { name: userLabel(checking) })} onKeyDown={cancelOnEscape(cancelTransfer)} className="flex flex-col gap-2 rounded border border-amber-400 bg-amber-50 px-3 py-2 text-sm dark:border-amber-700 dark:bg-amber-950">
          <p className="font-medium">
            <span aria-hidden="true">⚠ </span>
            {t('actions.transferCheck', { name: userLabel(checking) })}{' '}
            {warnings.map((w) => t(`actions.warn.${w}`)).join(t('mwi.separator'))}
          </p>
          <div className="flex gap-2">
            <button type="button" className="btn btn-primary" autoFocus disabled={!live || busy} onClick={() => send(checking)}>
              {t('actions.transferAnyway')}
            </button>
            <button type="button" className="btn" onClick={cancelTransfer}>
              {t('actions.cancel')}
            </button>
          </div>
        </div>
      )}
      <ActionStatus actions={actions} />
    </div>
  );
}

/** Actions sent for a call (named uuid or one of its legs), as the store tracks them. */
function useActionsFor(uuid: string): PendingAction[] {
  return useConsoleStore(useShallow((s) => s.pendingActions.filter((a) => a.uuid === uuid || a.relatedUuids.includes(uuid))));
}

/** Only the outcomes of the actions on a call (e.g. after the call ended: "Hang up: done"). */
export function CallActionResults({ uuid }: { uuid: string }) {
  return <ActionStatus actions={useActionsFor(uuid)} />;
}

/** The outcome of the actions on a call, newest first; a live region so results are announced. */
export function ActionStatus({ actions }: { actions: readonly PendingAction[] }) {
  const { t } = useTranslation();
  const users = useConsoleStore((s) => s.user);
  const name = (a: PendingAction) => {
    const base = t(`actions.${a.kind === 'hangup' ? 'hangup' : a.kind === 'park' ? 'park' : 'transfer'}`);
    return a.kind === 'transfer' && a.targetUserId !== null ? `${base} → ${userLabel(users.get(String(a.targetUserId)), a.targetUserId)}` : base;
  };
  const sorted = [...actions].sort((a, b) => b.sentAtMs - a.sentAtMs).slice(0, 3);
  return (
    <ul role="status" aria-live="polite" className="flex flex-col gap-1 text-sm">
      {sorted.map((a) => (
        <li
          key={a.id}
          className={
            a.status === 'failed'
              ? 'text-red-700 dark:text-red-300'
              : a.status === 'done'
                ? 'text-green-700 dark:text-green-300'
                : a.status === 'unconfirmed'
                  ? 'text-amber-800 dark:text-amber-300'
                  : 'text-slate-600 dark:text-slate-300'
          }
        >
          <span aria-hidden="true">{a.status === 'failed' ? '✖ ' : a.status === 'done' ? '✔ ' : a.status === 'unconfirmed' ? '? ' : '… '}</span>
          <ActionText action={a} name={name(a)} />
        </li>
      ))}
    </ul>
  );
}

/** The slot a parked leg of the action's call is in now, or null (only while it is parked). */
function parkedSlotOf(s: { channel: ReadonlyMap<string, { state?: { name?: string; data?: unknown } }> }, a: PendingAction): number | string | null {
  for (const u of [a.uuid, ...a.relatedUuids]) {
    const st = s.channel.get(u)?.state;
    const slot = st?.name === 'park' ? (st.data as { slot?: unknown } | undefined)?.slot : undefined;
    if (typeof slot === 'number' || typeof slot === 'string') return slot;
  }
  return null;
}

/** One outcome line: waiting / done (a park says which slot: what the operator announces) / sent, not confirmed (limited view) / failed and why. */
function ActionText({ action: a, name }: { action: PendingAction; name: string }) {
  const { t } = useTranslation();
  const slot = useConsoleStore((s) => (a.kind === 'park' && a.status === 'done' ? parkedSlotOf(s, a) : null));
  if (a.status === 'pending') return <>{t('actions.pending', { action: name })}</>;
  // a limited view cannot see the effect: neither done nor failed (issue 9 "Action results")
  if (a.status === 'unconfirmed') return <>{t('actions.unconfirmed', { action: name })}</>;
  if (a.status === 'done') return <>{slot !== null ? t('actions.parkedOn', { action: name, slot }) : t('actions.confirmed', { action: name })}</>;
  // The console's own reasons in the operator's language; a server's reply as the PBX wrote it.
  const message =
    a.failure === 'timeout'
      ? t('actions.timeout', { seconds: Math.round(ACTION_TIMEOUT_MS / 1000) })
      : a.failure === 'not_connected'
        ? t('actions.notSent')
        : a.failure === 'connection_lost'
          ? t('actions.connectionLost')
          : a.failure === 'call_ended'
            ? t('actions.callEnded')
            : (a.message ?? '');
  return <>{t('actions.failed', { action: name, message })}</>;
}
