import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isParkRingBack } from '../../cti/parser/classify.ts';
import { callTarget, callerNumber, callerTitle, endUserOf } from '../../components/caller.ts';
import { cleanText } from '../../components/text.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { Channel } from '../../stores/cti-types.ts';
import { RingNotifier, type CallNote } from '../../lib/notifications.ts';
import { useSettings } from '../settings/settings-store.ts';

/**
 * Desktop notification for each call that starts ringing while the console's tab is hidden, when
 * the user turned it on in Settings (src/lib/notifications.ts decides: one per call, none for the
 * calls of a fresh snapshot — page load or reconnect — and none while not live). A parked call
 * ringing back (`RINGING_PARK`, PROTOCOL.md Corrections) is no new inbound call: never notified.
 * @param calls every ringing call (not only the rendered ones)
 * @param notifier for tests; default one per mounted panel
 */
export function useRingNotifications(calls: readonly Channel[], notifier?: RingNotifier): void {
  const { t, i18n } = useTranslation();
  const enabled = useSettings((s) => s.notify);
  // The snapshot the list belongs to, while live; null otherwise (a stale list decides nothing).
  const snapshot = useConsoleStore((s) => (s.connection.status === 'live' ? s.connection.snapshotConnectionId : null));
  const own = useRef<RingNotifier | null>(null);
  const n = notifier ?? (own.current ??= new RingNotifier());

  useEffect(() => {
    const inbound = calls.filter((c) => !isParkRingBack(c));
    const byUuid = new Map(inbound.map((c) => [c.uuid, c]));
    n.update(
      inbound.map((c) => c.uuid),
      snapshot,
      enabled,
      (uuid): CallNote => {
        const ch = byUuid.get(uuid)!;
        const title = callerTitle(ch, t('call.unknownCaller'));
        const number = callerNumber(ch);
        const eu = endUserOf(ch);
        const org = eu?.count === 1 ? cleanText(eu.items[0]?.organization) : '';
        const s = useConsoleStore.getState();
        const tg = callTarget(ch, s.user, s.group);
        const target = tg ? (tg.kind === 'group' ? t('call.group', { name: tg.label }) : tg.kind === 'user' ? t('call.user', { name: tg.label }) : tg.label) : '';
        const body = [number !== title ? number : '', org, target ? `→ ${target}` : ''].filter(Boolean).join('\n');
        return { title: t('notify.title', { caller: title }), body, lang: i18n.language };
      },
    );
  }, [calls, snapshot, enabled, n, t, i18n.language]);

  useEffect(() => () => n.closeAll(), [n]);
}
