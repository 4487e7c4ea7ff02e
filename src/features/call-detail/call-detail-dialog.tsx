import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from '../../components/modal-dialog.tsx';
import { Avatar } from '../../components/avatar.tsx';
import { Elapsed } from '../../components/elapsed.tsx';
import { formatDateTime, usToNumber } from '../../components/time.ts';
import { callTarget, callerName, rawCallerNumber, callerTitle, endUserOf, userLabel } from '../../components/caller.ts';
import { formatPhone } from '../../lib/phone.ts';
import { cleanText, UserText } from '../../components/text.tsx';
import { resolveAvatarUrl } from '../../lib/safe-url.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { Channel } from '../../stores/cti-types.ts';
import { useSettings } from '../settings/settings-store.ts';
import { CallActionResults, CallActions } from '../actions/call-actions.tsx';
import { TakeCall } from '../actions/take-call.tsx';
import { CallButton } from '../actions/call-button.tsx';
import { useOwnUserId } from '../actions/own-user.ts';
import { useReturnFocusNearOpener } from './return-focus.ts';

type ConsoleState = ReturnType<typeof useConsoleStore.getState>;

/** Find a call by uuid in every channel-like map (newer `channel` first, then legacy kinds). */
export function findCall(s: Pick<ConsoleState, 'channel' | 'channel_waiting' | 'queued_channel' | 'parked_channel'>, uuid: string): Channel | undefined {
  return s.channel.get(uuid) ?? s.parked_channel.get(uuid) ?? s.channel_waiting.get(uuid) ?? s.queued_channel.get(uuid);
}

/**
 * The caller's detail as a modal dialog (role dialog, labelled "Call from …"; Escape closes and
 * focus returns to the slot/call that opened it — or, if that is gone (the call was parked,
 * answered or ended meanwhile), to the item now in its place in the same panel, or to the panel
 * itself; never to <body>): numbers, name, CRM items with avatars,
 * organization, prefecture, target, tags, parker, offered/answered/parked times, and the actions.
 * If the call ends while open, the last known data stays with a note, the actions give way to
 * their outcomes, and focus — if it was on an action that is gone — moves to the note (it would
 * otherwise fall out of the dialog, and Tab/Escape users lose their place).
 */
export function CallDetailDialog({ uuid, onClose, autoTake = false }: { uuid: string; onClose: () => void; autoTake?: boolean }) {
  const { t } = useTranslation();
  useReturnFocusNearOpener();
  const current = useConsoleStore((s) => findCall(s, uuid));
  const last = useRef<Channel | undefined>(current);
  if (current) last.current = current;
  const ch = current ?? last.current;
  const title = ch ? t('detail.title', { caller: callerTitle(ch, t('call.unknownCaller')) }) : t('detail.gone');
  const goneRef = useRef<HTMLParagraphElement>(null);
  const gone = !current;
  const own = useOwnUserId();
  const takeable = useConsoleStore((s) => isTakeable(s, uuid));
  // Hanging up a call a colleague is talking on asks with their name (issue 11).
  // (a string, not a new object: a selector's result must stay equal while nothing changed)
  const talking = useConsoleStore((s) => {
    const a = current ? answeredBy(s, current) : null;
    return a === null ? null : `${a.id}\u0000${a.label}`;
  });
  const colleague = talking !== null && talking.slice(0, talking.indexOf('\u0000')) !== String(own) ? talking.slice(talking.indexOf('\u0000') + 1) : null;
  useEffect(() => {
    const note = goneRef.current;
    if (!gone || !note) return;
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) note.focus();
  }, [gone]);
  return (
    <ModalDialog title={title} onClose={onClose} className="w-[min(44rem,95vw)]">
      {!current && (
        <p ref={goneRef} tabIndex={-1} aria-live="polite" className="mb-3 rounded outline-none focus-visible:ring-2 focus-visible:ring-blue-500 bg-slate-100 px-3 py-2 text-sm font-medium dark:bg-slate-800">
          {t('detail.gone')}
        </p>
      )}
      {ch && <CallDetailBody ch={ch} ended={!current} />}
      <div className="mt-4 border-t border-slate-200 pt-3 dark:border-slate-700">
        {current && takeable && (
          <div className="mb-3">
            <TakeCall uuid={uuid} autoStart={autoTake} />
          </div>
        )}
        {current ? <CallActions uuid={uuid} canPark={current.state?.name !== 'park'} colleague={current.state?.name === 'bridged' ? colleague : null} /> : <CallActionResults uuid={uuid} />}
      </div>
    </ModalDialog>
  );
}

/** States of a call that can be taken to the operator's phone: ringing, waiting in a queue, parked. */
const TAKEABLE_STATES = new Set(['calling', 'ringing', 'park']);

/** Whether call `uuid` is ringing, queued or parked (a waiting record of any kind counts). */
export function isTakeable(s: Pick<ConsoleState, 'channel' | 'channel_waiting' | 'queued_channel' | 'parked_channel'>, uuid: string): boolean {
  if (s.channel_waiting.has(uuid) || s.queued_channel.has(uuid) || s.parked_channel.has(uuid)) return true;
  const ch = s.channel.get(uuid);
  return !!ch && ch.last_event !== 'CHANNEL_HANGUP' && TAKEABLE_STATES.has(String(ch.state?.name));
}

/**
 * Who answered the call: the user on its bridged partner leg (`other_uuid`, or a leg naming it),
 * else the leg's own user when it is a user's bridged leg, else `last_bridged_user_id` /
 * `other_info.user_id` (PROTOCOL.md "Field translations"). Null when not known.
 */
export function answeredBy(s: Pick<ConsoleState, 'channel' | 'user'>, ch: Channel): { id: number; label: string } | null {
  const asId = (v: unknown): number | null => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
  let id: number | null = null;
  const partner = ch.other_uuid != null ? s.channel.get(String(ch.other_uuid)) : undefined;
  if (partner && partner.last_event !== 'CHANNEL_HANGUP') id = asId(partner.user_id);
  if (id === null && ch.state?.name === 'bridged') {
    for (const l of s.channel.values()) {
      if (l.other_uuid != null && String(l.other_uuid) === String(ch.uuid) && l.last_event !== 'CHANNEL_HANGUP' && asId(l.user_id) !== null) {
        id = asId(l.user_id);
        break;
      }
    }
  }
  if (id === null && ch.direction === 'outbound') id = asId(ch.user_id);
  if (id === null) id = asId(ch.last_bridged_user_id) ?? (ch.other_info?.type === 'user' ? asId(ch.other_info.user_id) : null);
  if (id === null) return null;
  return { id, label: userLabel(s.user.get(String(id)), id) };
}

/** A number the PBX can dial (digits, +, spaces, dashes, brackets; no masked or anonymous caller). */
const DIALLABLE = /^\+?[0-9][0-9\-\s()]*$/;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-sm text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </>
  );
}

function when(us: number | bigint | undefined): string | null {
  const n = usToNumber(us);
  return n === null ? null : formatDateTime(n / 1000);
}

/**
 * What to say in "State" once the call is gone: never its last live state ("Ringing"), but
 * "Ended" with how, from the missed-calls entry or the last record's `last_event_data`.
 */
function EndedState({ ch }: { ch: Channel }) {
  const { t } = useTranslation();
  const missed = useConsoleStore((s) => s.missedCalls.find((m) => m.uuid === ch.uuid));
  const raw = missed?.disposition.raw ?? (typeof ch.last_event_data === 'string' && ch.last_event_data !== '' ? ch.last_event_data : null);
  const how = missed
    ? missed.abandoned
      ? t('detail.endedAbandoned')
      : missed.endedIn === 'voicemail'
        ? t('detail.endedVoicemail')
        : t('detail.endedMissed')
    : usToNumber(ch.answer_timestamp) !== null
      ? t('detail.endedAnswered')
      : t('detail.ended');
  return (
    <span className="font-semibold">
      {how}
      {raw && <span className="ml-2 font-mono text-xs font-normal text-slate-500 dark:text-slate-400">({raw})</span>}
    </span>
  );
}

function CallDetailBody({ ch, ended }: { ch: Channel; ended: boolean }) {
  const { t } = useTranslation();
  const users = useConsoleStore((s) => s.user);
  const groups = useConsoleStore((s) => s.group);
  const baseUrl = useSettings((s) => s.baseUrl);
  const eu = endUserOf(ch);
  const target = callTarget(ch, users, groups);
  const park = !ended && ch.state?.name === 'park' ? ch.state.data : undefined;
  // The parker's label (the person) when the user is known; the PBX's parker_name is a login name.
  const parkerUser = park?.parker_id !== undefined && park?.parker_id !== null ? users.get(String(park.parker_id)) : undefined;
  const parkerName = parkerUser ? userLabel(parkerUser) : (park?.parker_name ?? (park?.parker_id != null ? `#${park.parker_id}` : undefined));
  const none = t('detail.none');
  const callingNumber = formatPhone(rawCallerNumber(ch));
  const rawCalling = rawCallerNumber(ch);
  const rawCalled = typeof ch.called_number === 'string' ? ch.called_number : '';
  const answerer = useConsoleStore((s) => (usToNumber(ch.answer_timestamp) !== null ? (answeredBy(s, ch)?.label ?? null) : null));
  return (
    <div className="flex flex-col gap-4">
      {eu && eu.items.length > 0 && (
        <section aria-label={t('detail.crm')}>
          <h3 className="mb-1 text-sm font-semibold">
            {t('detail.crm')}
            {eu.count > 1 && <span className="ml-2 font-normal text-slate-500">({t('call.crmMatches', { count: eu.count })})</span>}
          </h3>
          <ul className="flex flex-col gap-2">
            {eu.items.map((it, i) => (
              <li key={`${it.id ?? ''}-${i}`} className="flex items-center gap-3 rounded border border-slate-200 p-2 dark:border-slate-700">
                <Avatar src={resolveAvatarUrl(it.avatar, baseUrl, 'end_users')} size={3} />
                <div className="min-w-0">
                  <p className="truncate font-semibold" title={cleanText(it.name)}>
                    {it.name ? <UserText text={it.name} /> : none}
                  </p>
                  <p className="truncate text-sm" title={cleanText(it.organization)}>
                    {t('detail.organization')}: {it.organization ? <UserText text={it.organization} /> : none}
                  </p>
                  <p className="truncate text-sm">
                    {t('detail.prefecture')}: {it.prefecture ? <UserText text={it.prefecture} /> : none}
                  </p>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <Row label={t('detail.callingNumber')}>
          <span className="inline-flex flex-wrap items-center gap-2">
            <span className="font-mono">{callingNumber || none}</span>
            {!ended && DIALLABLE.test(rawCalling) && <CallButton destination={rawCalling} label={callingNumber} />}
          </span>
        </Row>
        <Row label={t('detail.callingName')}>{callerName(ch) ? <UserText text={callerName(ch)} /> : none}</Row>
        <Row label={t('detail.calledNumber')}>
          <span className="inline-flex flex-wrap items-center gap-2">
            <span className="font-mono">{formatPhone(ch.called_number) || none}</span>
            {!ended && DIALLABLE.test(rawCalled) && !rawCalled.startsWith('RINGING_PARK') && <CallButton destination={rawCalled} label={formatPhone(rawCalled)} />}
          </span>
        </Row>
        <Row label={t('detail.target')}>{target?.label ? <UserText text={target.label} /> : none}</Row>
        <Row label={t('detail.state')}>{ended ? <EndedState ch={ch} /> : ch.state?.name ? t(`callState.${ch.state.name}`, { defaultValue: ch.state.name, name: ch.state.name }) : none}</Row>
        {park && (
          <>
            <Row label={t('detail.slot')}>{park.slot ?? none}</Row>
            <Row label={t('detail.parker')}>{parkerName || none}</Row>
          </>
        )}
        <Row label={t('detail.tags')}>
          {ch.tags && ch.tags.length > 0 ? (
            <span className="flex flex-wrap gap-1">
              {ch.tags.map((tag) => (
                <span key={tag} className="rounded bg-slate-100 px-1.5 font-mono text-xs dark:bg-slate-800">
                  {tag}
                </span>
              ))}
            </span>
          ) : (
            none
          )}
        </Row>
        <Row label={t('detail.offered')}>{when(ch.offer_timestamp) ?? none}</Row>
        <Row label={t('detail.answered')}>{when(ch.answer_timestamp) ?? t('detail.notAnswered')}</Row>
        {answerer && <Row label={t('workflow.answeredBy')}>{answerer}</Row>}
        {park && (
          <Row label={t('detail.parked')}>
            {when(ch.state?.ts) ?? none}{' '}
            <Elapsed sinceUs={ch.state?.ts} render={(_s, text) => <span className="font-mono">({text})</span>} />
          </Row>
        )}
      </dl>
    </div>
  );
}
