import type { TFunction } from 'i18next';

/**
 * A value the console cannot know in limited view (a plain user's login gets only its own
 * calls): "—", with "Not visible with your account" as tooltip and screen-reader text, instead
 * of a made-up "Idle" or "0".
 */
export function NotVisible({ t, className = '' }: { t: TFunction; className?: string }) {
  const text = t('limited.unknown');
  return (
    <span className={`text-slate-500 dark:text-slate-400 ${className}`} title={text}>
      <span aria-hidden="true">—</span>
      <span className="sr-only">{text}</span>
    </span>
  );
}
