import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';

/**
 * Do-not-disturb's own icon (⊖, the "no entry" bar), never a presence icon: Busy is ⊘, and the
 * two shared one before (issue 11). Text symbols, not emoji (kiosk fonts lack emoji).
 */
export const DND_ICON = '⊖';

/** Presence icons and colours by our codes (see {@link PresenceLabel}). */
export const PRESENCE: Record<number, { icon: string; cls: string }> = {
  0: { icon: '●', cls: 'text-green-700 dark:text-green-400' },
  1: { icon: '◐', cls: 'text-amber-700 dark:text-amber-400' },
  2: { icon: '⊘', cls: 'text-red-700 dark:text-red-400' },
  3: { icon: '○', cls: 'text-slate-500 dark:text-slate-400' },
};

/**
 * Presence as icon + text: 0 available, 1 away, 2 busy, 3 offline — OUR mapping (the vendor
 * documents no presence codes; src/stores/value-codes.ts, docs/ARCHITECTURE.md "Conventions") —
 * and any other value as itself ("Presence 7", with "?"), never as one of those states.
 * The users table passes `t` (from its column definitions) rather than a subscription per
 * label: its rows mount and unmount all the time while it scrolls. Without `t`, it subscribes.
 */
export function PresenceLabel({ value, t }: { value: number | undefined | null; t?: TFunction }) {
  return t ? <PresenceView value={value} t={t} /> : <PresenceWithT value={value} />;
}

function PresenceWithT({ value }: { value: number | undefined | null }) {
  const { t } = useTranslation();
  return <PresenceView value={value} t={t} />;
}

function PresenceView({ value, t }: { value: number | undefined | null; t: TFunction }) {
  if (value === undefined || value === null) return <span className="text-slate-400">—</span>;
  const p = PRESENCE[value];
  const text = p ? t(`presence.p${value}`) : t('presence.other', { value });
  return (
    <span className={`inline-flex min-w-0 items-center gap-1 ${p?.cls ?? ''}`} title={text}>
      <span aria-hidden="true">{p?.icon ?? '?'}</span>
      <span className="truncate">{text}</span>
    </span>
  );
}
