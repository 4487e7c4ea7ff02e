import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useDeferredValue } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Panel, EmptyState } from '../../components/panel.tsx';
import { Avatar } from '../../components/avatar.tsx';
import { MwiBadge } from '../../components/mwi-badge.tsx';
import { useLiveness } from '../../components/use-clock.ts';
import { groupLabel } from '../../components/caller.ts';
import { resolveAvatarUrl } from '../../lib/safe-url.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { useSettings } from '../settings/settings-store.ts';
import { PresenceLabel } from './presence.tsx';
import { buildUserCalls, buildUserViews, filterUserViews, type UserCall, type UserView } from './user-view.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { useRootFontPx } from '../../components/use-root-font.ts';
import { cleanText, UserText } from '../../components/text.tsx';

/** Row height in rem; rows are fixed-height so the virtualizer's estimate is exact. */
const ROW_REM = 2.75;

const collator = new Intl.Collator(['ja', 'en'], { numeric: true, sensitivity: 'base' });

/**
 * "Users" region: a sortable, filterable, virtualized table of every user (TanStack Table +
 * TanStack Virtual; rows positioned with `transform`, stable row ids, fixed row height +
 * overscan), for 10,000 users. Type-ahead search ("/" focuses it) and a group filter.
 * The call column is call data: marked STALE and dimmed while not live.
 */
export function UsersPanel() {
  const { t } = useTranslation();
  const maps = useConsoleStore(useShallow((s) => ({ user: s.user, group: s.group, group_member: s.group_member })));
  const channels = useConsoleStore((s) => s.channel);
  const { live, lastUpdateAt } = useLiveness();
  const unknown = t('call.unknownCaller');
  // Rows rebuild only when users/groups/members change; call traffic only rebuilds the small call map.
  const rows = useMemo(() => buildUserViews(maps), [maps]);
  const calls = useMemo(() => buildUserCalls(channels, unknown), [channels, unknown]);
  const [query, setQuery] = useState('');
  const [groupId, setGroupId] = useState('');
  const deferredQuery = useDeferredValue(query);
  const filtered = useMemo(() => filterUserViews(rows, deferredQuery, groupId), [rows, deferredQuery, groupId]);
  const searchRef = useRef<HTMLInputElement>(null);
  useSlashFocus(searchRef);

  const groups = useMemo(
    () => [...maps.group.values()].sort((a, b) => collator.compare(groupLabel(a), groupLabel(b))),
    [maps.group],
  );

  return (
    <Panel
      title={t('panels.users')}
      meta={<CountBadge n={filtered.length} label={t('count.users', { shown: filtered.length, total: rows.length })} />}
      bodyClassName="flex flex-col overflow-hidden"
      actions={
        <>
          <label className="sr-only" htmlFor="user-group-filter">
            {t('users.groupFilter')}
          </label>
          <select id="user-group-filter" className="input max-w-44 py-0.5 text-sm" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
            <option value="">{t('users.allGroups')}</option>
            {groups.map((g) => (
              <option key={g.id} value={String(g.id)}>
                {groupLabel(g)}
              </option>
            ))}
          </select>
          <input
            ref={searchRef}
            type="search"
            aria-label={t('users.search')}
            aria-keyshortcuts="/"
            placeholder={t('users.searchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setQuery('');
            }}
            className="input w-56 py-0.5 text-sm"
          />
        </>
      }
    >
      {rows.length === 0 ? (
        <EmptyState>{t('users.empty')}</EmptyState>
      ) : (
        <CallsContext.Provider value={calls}>
          <UsersTable rows={filtered} calls={calls} live={live} lastUpdateAt={lastUpdateAt} emptyText={t('users.noMatch')} />
        </CallsContext.Provider>
      )}
    </Panel>
  );
}

/** "/" anywhere (outside a text field or dialog) focuses the user search. */
function useSlashFocus(ref: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
      if (document.querySelector('dialog[open]')) return;
      e.preventDefault();
      ref.current?.focus();
      ref.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [ref]);
}

interface ColMeta {
  grow?: boolean;
  callData?: boolean;
}

/** The current call per user id, for the call cells (kept out of the rows, see user-view.ts). */
const CallsContext = createContext<Map<string, UserCall>>(new Map());

function UsersTable({
  rows,
  calls,
  live,
  lastUpdateAt,
  emptyText,
}: {
  rows: UserView[];
  calls: Map<string, UserCall>;
  live: boolean;
  lastUpdateAt: number | null;
  emptyText: string;
}) {
  const { t } = useTranslation();
  const baseUrl = useSettings((s) => s.baseUrl);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'user', desc: false }]);
  // Column sizes are px at 16 px/rem, scaled by the CURRENT root font size (text-size setting,
  // or the automatic size that grows with the window), re-read on resize and on a change.
  const fontPx = useRootFontPx();
  const scale = fontPx / 16;
  const px = (n: number) => Math.round(n * scale);

  const columns = useMemo<ColumnDef<UserView>[]>(
    () => [
      {
        id: 'user',
        header: t('users.col.user'),
        accessorFn: (r) => r.label,
        sortingFn: (a, b) => collator.compare(a.original.label, b.original.label),
        size: px(170),
        meta: { grow: true } satisfies ColMeta,
        cell: ({ row }) => {
          const r = row.original;
          return (
            <span className="flex min-w-0 items-center gap-2">
              <Avatar src={resolveAvatarUrl(r.user.avatar, baseUrl, 'users')} size={1.75} />
              <span className="min-w-0 leading-tight">
                <UserText text={r.label} className="block truncate font-medium" />
                {r.name && r.name !== r.label && (
                  <UserText text={r.name} className="block truncate text-xs text-slate-500 dark:text-slate-400" />
                )}
              </span>
            </span>
          );
        },
      },
      {
        id: 'extension',
        header: t('users.col.extension'),
        accessorFn: (r) => r.extension,
        sortingFn: (a, b) => collator.compare(a.original.extension, b.original.extension),
        size: px(60),
        cell: ({ row }) => <span className="font-mono tabular-nums">{row.original.extension}</span>,
      },
      {
        id: 'presence',
        header: t('users.col.presence'),
        accessorFn: (r) => r.presence ?? 99,
        // First click: Available, Away, Busy, Offline, unknown (TanStack sorts numbers descending first).
        sortDescFirst: false,
        size: px(104),
        cell: ({ row }) => <PresenceLabel value={row.original.presence} />,
      },
      {
        id: 'dnd',
        header: t('users.col.dnd'),
        accessorFn: (r) => (r.dnd ? 1 : 0),
        size: px(84),
        cell: ({ row }) => (row.original.dnd ? <Flag icon="⊘" text={t('users.dndOn')} cls="text-red-700 dark:text-red-400" /> : <Off />),
      },
      {
        id: 'fwd',
        header: t('users.col.fwd'),
        accessorFn: (r) => (r.fwd ? 1 : 0),
        size: px(80),
        cell: ({ row }) => (row.original.fwd ? <Flag icon="↪" text={t('users.fwdOn')} cls="text-blue-700 dark:text-blue-400" /> : <Off />),
      },
      {
        id: 'call',
        header: t('users.col.call'),
        accessorFn: (r) => callsRef.current.get(r.id)?.state ?? '',
        size: px(108),
        meta: { callData: true } satisfies ColMeta,
        cell: ({ row }) => <CallCell userId={row.original.id} />,
      },
      {
        id: 'mwi',
        header: t('users.col.mwi'),
        accessorFn: (r) => (r.mwi ? r.mwi.new * 10000 + r.mwi.saved : -1),
        size: px(92),
        cell: ({ row }) => <MwiBadge counts={row.original.mwi} />,
      },
      {
        id: 'groups',
        header: t('users.col.groups'),
        accessorFn: (r) => r.groupLabels.join(', '),
        enableSorting: false,
        size: px(96),
        meta: { grow: true } satisfies ColMeta,
        cell: ({ row }) => {
          const text = cleanText(row.original.groupLabels.join(', '));
          return (
            <span className="block truncate text-xs" title={text}>
              {text}
            </span>
          );
        },
      },
      {
        id: 'login',
        header: t('users.col.login'),
        accessorFn: (r) => r.loggedInCount,
        size: px(76),
        cell: ({ row }) => {
          const r = row.original;
          if (r.groupIds.length === 0) return <span className="text-slate-400">—</span>;
          const on = r.loggedInCount > 0;
          const text = `${on ? t('users.loggedIn') : t('users.loggedOut')} (${r.loggedInCount}/${r.groupIds.length})`;
          // Compact "✔ 1/2"; the words are the tooltip and the screen-reader text.
          return (
            <span className={`truncate text-xs tabular-nums ${on ? 'text-green-800 dark:text-green-400' : 'text-slate-500'}`} title={text}>
              <span aria-hidden="true">
                {on ? '✔ ' : '✖ '}
                {r.loggedInCount}/{r.groupIds.length}
              </span>
              <span className="sr-only">{text}</span>
            </span>
          );
        },
      },
    ],
    [t, baseUrl, scale],
  );

  // Sorting by the call column must see call changes: give the table a new data array then.
  const callsRef = useRef(calls);
  callsRef.current = calls;
  const sortByCall = sorting.some((x) => x.id === 'call');
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const data = useMemo(() => (sortByCall ? rows.slice() : rows), [rows, sortByCall ? calls : null]);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (r) => r.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  const tableRows = table.getRowModel().rows;

  const scrollRef = useRef<HTMLDivElement>(null);
  const rowHeight = Math.round(ROW_REM * fontPx);
  // Stable while the row order is unchanged, so the virtualizer keeps its measurements.
  const getItemKey = useCallback((i: number) => tableRows[i]?.id ?? i, [tableRows]);
  const virtualizer = useVirtualizer({
    count: tableRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
    getItemKey,
  });
  // A new root font size changes every row's height: drop the cached sizes.
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  const colStyle = (size: number, meta?: ColMeta): React.CSSProperties => ({
    width: size,
    flex: meta?.grow ? `1 0 ${size}px` : `0 0 ${size}px`,
  });
  const minWidth = table.getTotalSize();

  return (
    <div ref={scrollRef} className="relative min-h-0 flex-1 overflow-auto" tabIndex={-1}>
      <table role="table" aria-rowcount={tableRows.length + 1} className="grid text-sm" style={{ minWidth }}>
        <thead role="rowgroup" className="sticky top-0 z-10 grid bg-slate-100 dark:bg-slate-800">
          {table.getHeaderGroups().map((hg) => (
            <tr key={hg.id} role="row" className="flex w-full" aria-rowindex={1}>
              {hg.headers.map((h) => {
                const meta = h.column.columnDef.meta as ColMeta | undefined;
                const sorted = h.column.getIsSorted();
                const label = flexRender(h.column.columnDef.header, h.getContext());
                return (
                  <th
                    key={h.id}
                    scope="col"
                    role="columnheader"
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                    style={colStyle(h.getSize(), meta)}
                    title={typeof h.column.columnDef.header === 'string' ? h.column.columnDef.header : undefined}
                    className="flex min-w-0 items-center overflow-hidden px-2 py-1 text-left text-xs font-semibold text-slate-600 dark:text-slate-300"
                  >
                    {h.column.getCanSort() ? (
                      <button type="button" onClick={h.column.getToggleSortingHandler()} className="flex min-w-0 items-center gap-1 hover:underline">
                        <span className="truncate">{label}</span>
                        <span aria-hidden="true" className="shrink-0">{sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}</span>
                      </button>
                    ) : (
                      <span className="truncate">{label}</span>
                    )}
                    {meta?.callData && !live && (
                      <span className="ml-1 rounded bg-amber-200 px-1 text-[0.65rem] text-amber-900" title={lastUpdateAt ? t('stale.lastUpdate', { time: new Date(lastUpdateAt).toLocaleTimeString() }) : t('stale.noData')}>
                        {t('stale.label')}
                      </span>
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody role="rowgroup" className="relative grid" style={{ height: virtualizer.getTotalSize() }}>
          {tableRows.length === 0 && (
            <tr className="absolute flex w-full">
              <td className="w-full">
                <EmptyState>{emptyText}</EmptyState>
              </td>
            </tr>
          )}
          {virtualizer.getVirtualItems().map((vi) => {
            const row = tableRows[vi.index];
            if (!row) return null;
            return (
              <tr
                key={row.id}
                role="row"
                data-index={vi.index}
                aria-rowindex={vi.index + 2}
                className="absolute left-0 flex w-full border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/60"
                style={{ transform: `translateY(${vi.start}px)`, height: rowHeight }}
              >
                {row.getVisibleCells().map((cell) => {
                  const meta = cell.column.columnDef.meta as ColMeta | undefined;
                  return (
                    <td
                      key={cell.id}
                      role="cell"
                      style={colStyle(cell.column.getSize(), meta)}
                      className={`flex min-w-0 items-center overflow-hidden px-2 ${meta?.callData && !live ? 'opacity-50 grayscale' : ''}`}
                    >
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CallCell({ userId }: { userId: string }) {
  const { t } = useTranslation();
  const c = useContext(CallsContext).get(userId);
  if (!c) return <span className="text-slate-400">{t('users.idle')}</span>;
  const stateText = t(`callState.${c.state}`, { defaultValue: c.state });
  return (
    <span className="min-w-0 leading-tight" title={[stateText, c.peer].filter(Boolean).join(' — ')}>
      <span className={`block truncate font-medium ${c.state === 'calling' ? 'text-red-700 dark:text-red-400' : 'text-green-800 dark:text-green-400'}`}>
        <span aria-hidden="true">{c.state === 'park' ? '‖ ' : '☎ '}</span>
        {stateText}
      </span>
      {c.peer && <span className="block truncate font-mono text-xs">{c.peer}</span>}
    </span>
  );
}

function Flag({ icon, text, cls }: { icon: string; text: string; cls: string }) {
  return (
    <span className={`inline-flex min-w-0 items-center gap-1 text-xs font-medium ${cls}`} title={text}>
      <span aria-hidden="true">{icon}</span>
      <span className="truncate">{text}</span>
    </span>
  );
}

function Off() {
  const { t } = useTranslation();
  return (
    <span className="text-xs text-slate-400">
      <span aria-hidden="true">–</span>
      <span className="sr-only">{t('users.off')}</span>
    </span>
  );
}
