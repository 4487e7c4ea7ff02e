import { memo, useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { Avatar } from '../../components/avatar.tsx';
import { Elapsed } from '../../components/elapsed.tsx';
import { Truncate } from '../../components/truncate.tsx';
import { useLiveness } from '../../components/use-clock.ts';
import { callTarget, callerName, callerNumber, callerTitle, endUserOf, userLabel } from '../../components/caller.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { useRingingCalls } from '../../stores/console-hooks.ts';
import { selectRingBacks, type RingBack } from '../../stores/selectors.ts';
import type { Channel } from '../../stores/cti-types.ts';
import { resolveAvatarUrl } from '../../lib/safe-url.ts';
import { useSettings } from '../settings/settings-store.ts';
import { beep } from './ring-sound.ts';
import { useRingNotifications } from './use-ring-notifications.ts';
import { useRovingFocus } from '../park/use-roving-focus.ts';
import { LimitedViewNote } from '../../components/limited-view.tsx';
import { ShowMore, useBoundedList } from '../../components/show-more.tsx';

/** Calls rendered at first (oldest first) and added per "Show more": more than fit the panel. */
export const RINGING_STEP = 25;

/**
 * "Ringing calls" region: every inbound call in `calling` state, and every parked call ringing
 * back (tagged "Park ring-back from 905", with whom it rings; never beeped or notified as a new
 * call), oldest first, with caller
 * number/name, CRM data, the called group/user and a ticking ring time. Each call is a list
 * item with a button opening the call detail; the calls are one tab stop (roving tabindex, so
 * Tab gets past 25 ringing calls in one press) and ↑/↓/Home/End move between them. Beeps on a new call
 * when sound is enabled (after the user's first click), and shows a desktop notification while
 * the tab is hidden when the user turned that on (use-ring-notifications.ts).
 */
export function RingingPanel({ onOpenCall }: { onOpenCall: (uuid: string) => void }) {
  const { t } = useTranslation();
  const calls = useRingingCalls();
  const { live, lastUpdateAt } = useLiveness();
  const hintId = useId();
  // A parked call ringing back is no new inbound call: no beep, no desktop notification.
  const ringBacks = useConsoleStore(selectRingBacks);
  const inbound = useMemo(() => (ringBacks.size > 0 ? calls.filter((c) => !ringBacks.has(c.uuid)) : calls), [calls, ringBacks]);
  useNewCallBeep(inbound);
  useRingNotifications(inbound);
  const { shown, hidden, more } = useBoundedList(calls, RINGING_STEP);

  const roving = useRovingFocus(shown.map((c) => c.uuid), 'list');

  return (
    <Panel
      title={t('panels.ringing')}
      stale={!live}
      lastUpdateAt={lastUpdateAt}
      meta={<CountBadge n={calls.length} label={t('count.calls', { count: calls.length })} urgent={calls.length > 0} />}
    >
      <p id={hintId} className="sr-only">
        {t('ringing.hint')}
      </p>
      {calls.length === 0 ? (
        <EmptyState>
          {t('ringing.empty')}
          <LimitedViewNote />
        </EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-describedby={hintId} {...roving.containerProps}>
            {shown.map((ch) => (
              <RingingItem key={ch.uuid} ch={ch} ringBack={ringBacks.get(ch.uuid) ?? null} onOpen={onOpenCall} tabIndex={roving.itemProps(ch.uuid).tabIndex} />
            ))}
          </ul>
          <ShowMore hidden={hidden} onMore={more} />
        </>
      )}
    </Panel>
  );
}

/** A small count pill next to a panel heading (text, not colour, carries the number). */
export function CountBadge({ n, label, urgent }: { n: number; label: string; urgent?: boolean }) {
  return (
    <span
      title={label}
      className={`rounded-full px-2 text-xs font-semibold tabular-nums ${
        urgent ? 'bg-red-600 text-white' : 'bg-slate-200 text-slate-700 dark:bg-slate-700 dark:text-slate-200'
      }`}
    >
      <span aria-hidden="true">{n}</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}

/**
 * One ringing call. Memoized: a batch that changes one channel re-renders that item only (the
 * store keeps unchanged channel objects, `onOpen` is stable). The called group/user is read as a
 * string through a selector, so user/group updates re-render only an item whose target changed.
 */
const RingingItem = memo(function RingingItem({
  ch,
  ringBack,
  onOpen,
  tabIndex,
}: {
  ch: Channel;
  /** set when the call is a parked call ringing back */
  ringBack: RingBack | null;
  onOpen: (uuid: string) => void;
  tabIndex: 0 | -1;
}) {
  const { t } = useTranslation();
  const targetKey = useConsoleStore((s) => {
    const tg = callTarget(ch, s.user, s.group);
    return tg ? `${tg.kind}\u0000${tg.label}` : '';
  });
  const baseUrl = useSettings((s) => s.baseUrl);
  const eu = endUserOf(ch);
  const first = eu?.items[0];
  const number = callerNumber(ch);
  const name = callerName(ch);
  const title = callerTitle(ch, t('call.unknownCaller'));
  const sep = targetKey.indexOf('\u0000'); // the label itself may contain anything
  const kind = targetKey.slice(0, sep);
  const label = targetKey.slice(sep + 1);
  // A ring-back rings its parker: name them (the target, else the leg's own user), not the called "number" RINGING_PARK….
  const ringBackUser = useConsoleStore((s) => (ringBack?.userId == null ? '' : userLabel(s.user.get(String(ringBack.userId)), ringBack.userId)));
  const targetText = ringBack
    ? ringBackUser
      ? t('ringing.parkRingBackTo', { name: ringBackUser })
      : ''
    : targetKey
      ? kind === 'group'
        ? t('call.group', { name: label })
        : kind === 'user'
          ? t('call.user', { name: label })
          : label
      : '';
  const sinceUs = ch.state?.ts ?? ch.offer_timestamp;
  return (
    <li>
      <button
        type="button"
        data-call={ch.uuid}
        data-roving-index={ch.uuid}
        tabIndex={tabIndex}
        onClick={() => onOpen(ch.uuid)}
        style={INSET_FOCUS}
        className="flex w-full items-start gap-3 px-3 py-2 text-left hover:bg-slate-50 focus-visible:bg-blue-50 dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800"
      >
        <span className="relative mt-0.5">
          <Avatar src={eu?.count === 1 && first ? resolveAvatarUrl(first.avatar, baseUrl, 'end_users') : null} size={2.25} />
          {/* Not animated: an infinite pulse per item made each a composited layer, ~3 ms of
              layerizing per frame with 25 calls shown (docs/console-ui.md "Render cost"). */}
          <span aria-hidden="true" className="absolute -right-1 -bottom-1 text-sm">{ringBack ? '↩' : '☎'}</span>
        </span>
        <span className="min-w-0 flex-1">
          {ringBack && (
            <span className="mb-0.5 inline-block rounded bg-amber-100 px-1.5 text-xs font-semibold text-amber-900 dark:bg-amber-900 dark:text-amber-100">
              {ringBack.slot !== null ? t('ringing.parkRingBack', { slot: ringBack.slot }) : t('ringing.parkRingBackNoSlot')}
            </span>
          )}
          <span className="flex items-baseline gap-2">
            <Truncate text={title} className="text-base font-semibold" />
            <Elapsed
              sinceUs={sinceUs}
              render={(_s, text) => (
                <span className="ml-auto shrink-0 font-mono text-sm tabular-nums text-slate-600 dark:text-slate-300" title={t('call.ringFor', { time: text })}>
                  {text}
                </span>
              )}
            />
          </span>
          <span className="flex gap-2 text-sm text-slate-700 dark:text-slate-300">
            {number && number !== title && <span className="shrink-0 font-mono tabular-nums">{number}</span>}
            {name && name !== title && <Truncate text={name} />}
            {eu?.count === 1 && first?.organization && <Truncate text={first.organization} className="text-slate-500 dark:text-slate-400" />}
          </span>
          {eu && eu.count > 1 && (
            // One line that ends in "…" (full list as tooltip): an inline Truncate did not cut,
            // and long Japanese company names ran past the panel's edge.
            <span className="flex min-w-0 gap-1 text-xs text-slate-600 dark:text-slate-400">
              <span className="shrink-0">
                <strong>{t('call.crmMatches', { count: eu.count })}</strong>:{' '}
              </span>
              <Truncate text={eu.items.map((it) => [it.name, it.organization].filter(Boolean).join(' / ')).join(', ')} />
            </span>
          )}
          {targetText && (
            <span className="flex items-center gap-1 text-xs text-slate-500 dark:text-slate-400">
              <span aria-hidden="true">→</span>
              <Truncate text={targetText} />
            </span>
          )}
        </span>
      </button>
    </li>
  );
});

/**
 * The focus ring drawn inside the item: the global `:focus-visible` ring sits 2 px outside
 * (unlayered CSS, stronger than a Tailwind utility), where the panel's scroll box cut it off to
 * a bottom line on these full-width buttons.
 */
const INSET_FOCUS = { outlineOffset: '-2px' } as const;

/** Beep once for each call that starts ringing after the panel mounted. */
function useNewCallBeep(calls: readonly Channel[]): void {
  const seen = useRef<Set<string> | null>(null);
  const sound = useSettings((s) => s.sound);
  useEffect(() => {
    const ids = new Set(calls.map((c) => c.uuid));
    if (seen.current !== null && sound) {
      for (const id of ids) {
        if (!seen.current.has(id)) {
          beep();
          break;
        }
      }
    }
    seen.current = ids;
  }, [calls, sound]);
}
