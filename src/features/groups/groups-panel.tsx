import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { MwiBadge, mwiOf } from '../../components/mwi-badge.tsx';
import { groupLabel } from '../../components/caller.ts';
import { useGroupRows } from '../../stores/console-hooks.ts';
import type { GroupRow } from '../../stores/selectors.ts';
import { LimitedViewNote, useLimitedView } from '../../components/limited-view.tsx';
import { NotVisible } from '../users/not-visible.tsx';
import { useLiveness } from '../../components/use-clock.ts';

/**
 * "Groups" region: per group its type (ring/hunt), members logged in / total, queue length
 * and group voicemail counters. While not live the whole panel is marked STALE (the queue counts
 * are call data, frozen like the Queues panel's; issue 11).
 */
export function GroupsPanel() {
  const { t } = useTranslation();
  const rows = useGroupRows();
  // Limited view: callers queued for a group are not sent to this login, so the queue length is unknown.
  const limited = useLimitedView();
  const { live, lastUpdateAt } = useLiveness();
  return (
    <Panel title={t('panels.groups')} stale={!live} lastUpdateAt={lastUpdateAt}>
      {limited && (
        <div className="px-2 pb-1">
          <LimitedViewNote />
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState>{t('groups.empty')}</EmptyState>
      ) : (
        // A size container: at large text in a narrow panel the Type and Voicemail columns give
        // their room to the group name (which keeps at least ~8 characters).
        <div className="@container">
        <table className="w-full table-fixed text-sm">
          <thead className="sticky top-0 bg-slate-100 text-left text-[0.7rem] uppercase leading-tight text-slate-600 dark:bg-slate-800 dark:text-slate-300">
            <tr>
              <th scope="col" className="truncate px-2 py-1" title={t('groups.col.group')}>{t('groups.col.group')}</th>
              <th scope="col" className="hidden w-14 truncate px-1 py-1 @[22rem]:table-cell" title={t('groups.col.type')}>{t('groups.col.type')}</th>
              <th scope="col" className="w-16 truncate px-1 py-1" title={t('groups.col.members')}>{t('groups.col.members')}</th>
              <th scope="col" className="w-14 truncate px-1 py-1" title={t('groups.col.queue')}>{t('groups.col.queue')}</th>
              <th scope="col" className="hidden w-20 truncate px-1 py-1 @[18rem]:table-cell" title={t('groups.col.mwi')}>{t('groups.col.mwi')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <GroupRowView key={r.id} r={r} limited={limited} />
            ))}
          </tbody>
        </table>
        </div>
      )}
    </Panel>
  );
}

/**
 * One group. Memoized on what it shows: the selector rebuilds the rows on every member/channel
 * change, so without this all 50 rows re-rendered for each batch.
 */
const GroupRowView = memo(
  function GroupRowView({ r, limited }: { r: GroupRow; limited: boolean }) {
    const { t } = useTranslation();
    const label = groupLabel(r.group);
    // "nobody logged in" only when every member's login_status is one we can read (value codes: ours)
    const noneIn = r.membersTotal > 0 && r.membersLoggedIn === 0 && r.membersLoginUnknown === 0;
    const membersTitle = [
      t('queues.members', { loggedIn: r.membersLoggedIn, total: r.membersTotal }),
      r.membersLoginUnknown > 0 ? t('groups.loginUnknown', { count: r.membersLoginUnknown }) : '',
    ]
      .filter(Boolean)
      .join(', ');
    return (
      <tr className="border-b border-slate-100 dark:border-slate-800">
        {/* One line per group (name, then its extension), so the five groups of a company fit the
            panel at 1366×768 (two lines each showed only three; issue 11). */}
        <td className="px-2 py-0.5">
          <span className="flex min-w-0 items-baseline gap-1.5" title={r.group.main_extension ? `${label} ${r.group.main_extension}` : label}>
            <span className="min-w-0 truncate font-medium">{label}</span>
            {r.group.main_extension && <span className="shrink-0 font-mono text-xs text-slate-500 dark:text-slate-400">{r.group.main_extension}</span>}
          </span>
        </td>
        <td className="hidden px-1 py-0.5 text-xs @[22rem]:table-cell">{r.type === 0 ? t('groups.ring') : r.type === 1 ? t('groups.hunt') : '—'}</td>
        <td className={`px-1 py-0.5 tabular-nums ${noneIn ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>
          {noneIn && <span aria-hidden="true">⚠ </span>}
          <span title={membersTitle}>
            {r.membersLoggedIn}
            {r.membersLoginUnknown > 0 && <span aria-hidden="true">+?</span>}/{r.membersTotal}
          </span>
          {r.membersLoginUnknown > 0 && <span className="sr-only"> ({t('groups.loginUnknown', { count: r.membersLoginUnknown })})</span>}
        </td>
        {limited ? (
          <td className="px-1 py-0.5">
            <NotVisible t={t} />
          </td>
        ) : (
          <td className={`px-1 py-0.5 tabular-nums ${r.waitingCount > 0 ? 'font-semibold text-red-700 dark:text-red-400' : ''}`}>
            <span title={t('count.waiting', { count: r.waitingCount })}>{r.waitingCount}</span>
          </td>
        )}
        <td className="hidden px-1 py-0.5 @[18rem]:table-cell">
          <MwiBadge counts={mwiOf(r.group.mwi)} />
        </td>
      </tr>
    );
  },
  (a, b) =>
    a.r.group === b.r.group &&
    a.r.id === b.r.id &&
    a.r.type === b.r.type &&
    a.r.membersLoggedIn === b.r.membersLoggedIn &&
    a.r.membersLoginUnknown === b.r.membersLoginUnknown &&
    a.r.membersTotal === b.r.membersTotal &&
    a.r.waitingCount === b.r.waitingCount &&
    a.limited === b.limited,
);
