import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Render cost bound for lists that can grow with the load (ringing calls, queued callers): only
 * the first `step` items (the oldest — the lists are oldest first) are rendered, plus a
 * "Show more (N more not shown)" button that adds `step` more each time. A few hundred calls can
 * ring at once on a large PBX; rendering them all on every update froze the page.
 */
export function useBoundedList<T>(items: readonly T[], step: number): { shown: readonly T[]; hidden: number; more: () => void } {
  const [limit, setLimit] = useState(step);
  const shown = items.length > limit ? items.slice(0, limit) : items;
  return { shown, hidden: items.length - shown.length, more: () => setLimit((l) => l + step) };
}

/** The "Show more (N more not shown)" button of {@link useBoundedList}; nothing when all are shown. */
export function ShowMore({ hidden, onMore, className = '' }: { hidden: number; onMore: () => void; className?: string }) {
  const { t } = useTranslation();
  if (hidden <= 0) return null;
  return (
    <button
      type="button"
      onClick={onMore}
      className={`w-full px-3 py-1 text-left text-sm text-blue-700 hover:underline dark:text-blue-300 ${className}`}
    >
      {t('list.showMore', { count: hidden })}
    </button>
  );
}
