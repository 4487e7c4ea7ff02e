import { createContext, memo, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState, useDeferredValue, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  flexRender,
  getCoreRowModel,
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
import type { User } from '../../stores/cti-types.ts';
import { useSettings } from '../settings/settings-store.ts';
import { DND_ICON, PresenceLabel } from './presence.tsx';
import { buildUserCalls, buildUserViews, filterUserViews, rankUserViews, type UserCall, type UserView } from './user-view.ts';
import { createViewSorter, type SortKey, type SortLevel } from './sort-views.ts';
import { CountBadge } from '../ringing/ringing-panel.tsx';
import { useRootFontPx } from '../../components/use-root-font.ts';
import { cleanText, UserText } from '../../components/text.tsx';
import { LimitedViewNote, useLimitedView } from '../../components/limited-view.tsx';
import { NotVisible } from './not-visible.tsx';
import { isComposingKey } from '../actions/ime.ts';
import { CallButton } from '../actions/call-button.tsx';

/** Row height in rem; rows are fixed-height so the virtualizer's estimate is exact. */
const ROW_REM = 2.75;

const collator = new Intl.Collator(['ja', 'en'], { numeric: true, sensitivity: 'base' });

/**
 * Collation ranks of strings: sorting 10,000 rows with `Intl.Collator.compare` on every refresh
 * cost tens of ms; labels and extensions rarely change, so they are ranked once (and again only
 * when a string not ranked yet shows up) and rows are sorted by number.
 */
class Ranks {
  private ranks = new Map<string, number>();
  /** a string without a rank was asked for since the last {@link rebuild} */
  missing = false;
  /** increases with every {@link rebuild}: ranks of the same strings may have changed */
  epoch = 0;
  /** Rank these strings (and only these). */
  rebuild(values: Iterable<string>): void {
    const sorted = [...new Set(values)].sort(collator.compare);
    this.ranks = new Map();
    let rank = 0;
    for (let i = 0; i < sorted.length; i++) {
      if (i > 0 && collator.compare(sorted[i - 1]!, sorted[i]!) !== 0) rank++;
      this.ranks.set(sorted[i]!, rank);
    }
    this.missing = false;
    this.epoch++;
  }
  /** The rank of a string ranked by {@link rebuild}; -1 (and {@link missing} set) if not ranked. */
  rank = (v: string): number => {
    const r = this.ranks.get(v);
    if (r !== undefined) return r;
    this.missing = true;
    return -1;
  };
}

/**
 * "Users" region: a sortable, filterable, virtualized table of every user (TanStack Table +
 * TanStack Virtual; rows positioned with `transform`, stable row ids, fixed row height +
 * overscan), for 10,000 users. Type-ahead search ("/" focuses it) and a group filter.
 * The call column is call data: marked STALE and dimmed while not live.
 */
export function UsersPanel({ onOpenCall }: { onOpenCall?: (legUuid: string) => void } = {}) {
  const { t } = useTranslation();
  // The table's row model (search, filter, sort over 10,000 users) follows users/groups/members
  // at most every TABLE_REFRESH_MS; what a visible row SHOWS is read live per row (UserTr), and
  // call traffic never reaches this component (CallsFeeder → the call cells).
  const maps = useThrottledMaps(TABLE_REFRESH_MS);
  const { live, lastUpdateAt } = useLiveness();
  const rows = useUserViews(maps);
  const [calls] = useState(createCallsStore);
  const [query, setQuery] = useState('');
  const [groupId, setGroupId] = useState('');
  const deferredQuery = useDeferredValue(query);
  const filtered = useMemo(() => filterUserViews(rows, deferredQuery, groupId), [rows, deferredQuery, groupId]);
  const searchRef = useRef<HTMLInputElement>(null);
  useSearchShortcut(searchRef);
  const limited = useLimitedView();

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
          <select id="user-group-filter" className="input min-w-16 max-w-44 shrink py-0.5 text-sm" value={groupId} onChange={(e) => setGroupId(e.target.value)}>
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
            aria-keyshortcuts="/ Control+K Meta+K"
            placeholder={t('users.searchPlaceholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              // Escape while composing Japanese cancels the composition only (issue 11).
              if (isComposingKey(e)) return;
              if (e.key === 'Escape') setQuery('');
            }}
            className="input w-56 min-w-24 shrink py-0.5 text-sm"
          />
        </>
      }
    >
      {limited && (
        <div className="shrink-0 px-2 pb-1">
          <LimitedViewNote />
        </div>
      )}
      {rows.length === 0 ? (
        <EmptyState>{t('users.empty')}</EmptyState>
      ) : (
        <CallsContext.Provider value={calls}>
          <OpenCallContext.Provider value={onOpenCall ?? null}>
            <CallsFeeder store={calls} />
            <UsersTable rows={rows} filtered={filtered} query={deferredQuery} live={live} lastUpdateAt={lastUpdateAt} emptyText={t('users.noMatch')} />
          </OpenCallContext.Provider>
        </CallsContext.Provider>
      )}
    </Panel>
  );
}

/**
 * "/" anywhere (outside a text field or dialog) focuses the user search; so does Ctrl+K / ⌘K, also
 * from a text field and with a Japanese input method on ("/" then types "・"): read by the
 * physical key (`code`), so the IME's character does not matter.
 */
function useSearchShortcut(ref: React.RefObject<HTMLInputElement | null>) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && (e.code === 'KeyK' || e.key === 'k' || e.key === 'K')) {
        if (document.querySelector('dialog[open]')) return;
        e.preventDefault(); // not the browser's own Ctrl+K (its search bar)
        ref.current?.focus();
        ref.current?.select();
        return;
      }
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

/**
 * How often, at most, the table's rows (and so TanStack's row model and sort over 10,000 users)
 * are rebuilt from the user/group/member maps. At 500 events/s rebuilding and re-sorting on every
 * update kept the main thread busy all the time; a human cannot follow a list re-ordering faster
 * than this anyway. Visible rows still show a user's change at once (UserTr reads the user live).
 */
export const TABLE_REFRESH_MS = 750;

type Maps = Pick<ReturnType<typeof useConsoleStore.getState>, 'user' | 'group' | 'group_member'>;
const pickMaps = (s: Maps): Maps => ({ user: s.user, group: s.group, group_member: s.group_member });

/**
 * The store's user/group/member maps, applied at most every `ms`: the first change after a quiet
 * period applies at once (next macrotask), later ones are coalesced into one update per `ms`.
 */
function useThrottledMaps(ms: number): Maps {
  const [maps, setMaps] = useState(() => pickMaps(useConsoleStore.getState()));
  // Through a ref, not captured by the effect: the subscription lives for the page's life, and
  // a captured `maps` would keep the first users map (10,000 records, stale one by one) alive.
  const applied = useRef(maps);
  applied.current = maps;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    let cur = applied.current;
    const apply = () => {
      timer = null;
      const next = pickMaps(useConsoleStore.getState());
      if (next.user === cur.user && next.group === cur.group && next.group_member === cur.group_member) return;
      last = Date.now();
      cur = next;
      setMaps(next);
    };
    apply(); // anything that changed between the first render and this effect
    const unsubscribe = useConsoleStore.subscribe((s, prev) => {
      if (timer !== null || (s.user === prev.user && s.group === prev.group && s.group_member === prev.group_member)) return;
      // No users shown yet (start-up, the first snapshot): no reason to wait.
      timer = setTimeout(apply, cur.user.size === 0 ? 0 : Math.max(0, last + ms - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [ms]);
  return maps;
}

/**
 * {@link buildUserViews} for the table, incremental: while groups and members are unchanged, only
 * users whose record changed since the last refresh are rebuilt (a refresh under load changes a
 * few hundred of 10,000 users); unchanged users keep their view object (memoized rows stay).
 */
function useUserViews(maps: Maps): UserView[] {
  // byId is owned by the cache and updated in place: a refresh allocates for the changed users only.
  const cache = useRef<{ maps: Maps; byId: Map<string, UserView>; rows: UserView[] } | null>(null);
  return useMemo(() => {
    const prev = cache.current;
    if (prev && prev.maps.user === maps.user && prev.maps.group === maps.group && prev.maps.group_member === maps.group_member) return prev.rows;
    if (!prev || prev.maps.group !== maps.group || prev.maps.group_member !== maps.group_member) {
      const rows = buildUserViews(maps);
      cache.current = { maps, byId: new Map(rows.map((v) => [v.id, v])), rows };
      return rows;
    }
    // The store's keys are String(user.id), the views' ids too.
    const byId = prev.byId;
    const rows = new Array<UserView>(maps.user.size);
    let changed: Map<string, User> | null = null;
    let at: number[] | null = null;
    let i = 0;
    for (const [k, u] of maps.user) {
      const v = byId.get(k);
      if (v !== undefined && v.user === u) rows[i++] = v;
      else {
        (changed ??= new Map()).set(k, u);
        (at ??= []).push(i++);
      }
    }
    if (changed !== null) {
      const fresh = buildUserViews({ ...maps, user: changed });
      for (let j = 0; j < fresh.length; j++) {
        rows[at![j]!] = fresh[j]!;
        byId.set(fresh[j]!.id, fresh[j]!);
      }
    }
    if (byId.size !== rows.length) {
      // users were removed: forget them
      const ids = new Set(maps.user.keys());
      for (const id of byId.keys()) if (!ids.has(id)) byId.delete(id);
    }
    cache.current = { maps, byId, rows };
    return rows;
  }, [maps]);
}

/**
 * The current call per user id for the call cells, outside React state: the call map changes
 * with every channel event, and only the cells whose user's call changed should re-render.
 */
interface CallsStore {
  get: (userId: string) => UserCall | undefined;
  set: (calls: Map<string, UserCall>) => void;
  subscribe: (listener: () => void) => () => void;
  version: () => number;
}

function createCallsStore(): CallsStore {
  let calls = new Map<string, UserCall>();
  let version = 0;
  const listeners = new Set<() => void>();
  return {
    get: (id) => calls.get(id),
    set: (next) => {
      calls = next;
      version++;
      for (const l of listeners) l();
    },
    subscribe: (l) => {
      listeners.add(l);
      return () => {
        listeners.delete(l);
      };
    },
    version: () => version,
  };
}

const CallsContext = createContext<CallsStore>(createCallsStore());
/** Opens a user's call (their leg's uuid) in the call dialog; null where the panel has no dialog. */
const OpenCallContext = createContext<((legUuid: string) => void) | null>(null);

/**
 * How often, at most, the call cells follow the channels: the per-user call map is a pass over
 * every channel (2,000 under load), and batches arrive up to every frame.
 */
export const CALLS_REFRESH_MS = 250;

/**
 * Rebuilds the per-user call map from the channels (at most every {@link CALLS_REFRESH_MS}; the
 * first change after a quiet period at once) and hands it to the call cells. Renders nothing,
 * and never re-renders for channel events: it listens to the store directly.
 */
function CallsFeeder({ store }: { store: CallsStore }) {
  const { t } = useTranslation();
  const unknown = t('call.unknownCaller');
  useLayoutEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    let channels: unknown = null;
    const apply = () => {
      timer = null;
      const next = useConsoleStore.getState().channel;
      if (next === channels) return;
      channels = next;
      last = Date.now();
      store.set(buildUserCalls(next, unknown));
    };
    apply();
    const unsubscribe = useConsoleStore.subscribe((s) => {
      if (timer !== null || s.channel === channels) return;
      timer = setTimeout(apply, Math.max(0, last + CALLS_REFRESH_MS - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, unknown]);
  return null;
}

/** A user's call as a comparable key: a call cell re-renders only when its text changes. */
function useUserCallKey(userId: string): string {
  const store = useContext(CallsContext);
  const get = () => {
    const c = store.get(userId);
    return c ? `${c.state}\u0000${c.peer}` : '';
  };
  return useSyncExternalStore(store.subscribe, get, get);
}

/** Throttled call-map version, for re-sorting by the Call column (0 while not sorting by it). */
function useCallsVersion(enabled: boolean, ms: number): number {
  const store = useContext(CallsContext);
  const [v, setV] = useState(0);
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = store.subscribe(() => {
      timer ??= setTimeout(() => {
        timer = null;
        setV(store.version());
      }, ms);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [enabled, ms, store]);
  return enabled ? v : 0;
}

const getRowId = (r: UserView): string => r.id;
const NO_ROWS: UserView[] = [];

/** Build the view of ONE user (fields derived as in user-view.ts), keeping the row's group data. */
function liveView(user: User, base: UserView): UserView {
  if (user === base.user) return base;
  const v = buildUserViews({ user: new Map([[base.id, user]]), group: new Map(), group_member: new Map() })[0];
  return v ? { ...v, groupIds: base.groupIds, groupLabels: base.groupLabels, loggedInCount: base.loggedInCount } : base;
}

interface ColSpec {
  id: string;
  header: string;
  accessorFn: (r: UserView) => unknown;
  sortDescFirst?: boolean;
  enableSorting?: boolean;
  size: number;
  meta: ColMeta;
}

interface ColMeta {
  grow?: boolean;
  callData?: boolean;
  /** renders the cell of a row from the row's (live) view */
  render: (r: UserView) => React.ReactNode;
}

/** Width/flex of a column, shared by header and cells. */
const colStyle = (size: number, meta?: ColMeta): React.CSSProperties => ({
  width: size,
  flex: meta?.grow ? `1 0 ${size}px` : `0 0 ${size}px`,
});

/** Width (px at 16 px/rem) of the DND column: fits "着信拒否中" without truncating. */
export const DND_COL_PX = 92;

/**
 * The columns a narrow table gives up first, in order; User, Ext., Presence and Call always stay
 * (who, how to reach them, whether they can take a call). Groups and Login are in the Groups
 * panel too; Forward, Voicemail and DND come next.
 */
export const COLUMN_DROP_ORDER = ['groups', 'login', 'fwd', 'mwi', 'dnd'] as const;

/**
 * Which columns are shown in a table `width` px wide: all while their sizes fit, else without
 * the first columns of {@link COLUMN_DROP_ORDER} until they do. `width` 0 (not laid out yet, or
 * no layout at all as in jsdom) shows every column.
 */
export function fitColumns(columns: ReadonlyArray<{ id?: string; size?: number }>, width: number): Record<string, boolean> {
  if (width <= 0) return ALL_COLUMNS;
  const visible: Record<string, boolean> = {};
  let hidden = 0;
  let total = columns.reduce((n, c) => n + (c.size ?? 0), 0);
  for (const id of COLUMN_DROP_ORDER) {
    if (total <= width) break;
    const c = columns.find((x) => x.id === id);
    if (!c) continue;
    visible[id] = false;
    hidden++;
    total -= c.size ?? 0;
  }
  return hidden === 0 ? ALL_COLUMNS : visible;
}

/**
 * {@link fitColumns}' answer when nothing is dropped: one object, so the first measurement of the
 * table's width (0 → the real width, right after the first render) does not give the rows a new
 * layout to re-render for when every column still fits.
 */
const ALL_COLUMNS: Record<string, boolean> = Object.freeze({}) as Record<string, boolean>;

/** The client width (px) of an element, followed with a ResizeObserver; 0 until measured. */
function useElementWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return width;
}

interface ColLayout {
  id: string;
  style: React.CSSProperties;
  meta: ColMeta;
}

/** `() => ref.current`, made outside any render scope. */
const elementOf = <T,>(ref: React.RefObject<T | null>) => () => ref.current;
/** `() => value`, made outside any render scope. */
const constant = <T,>(value: T) => () => value;

/**
 * The table's column definitions (sizes in px for the current root font `scale`). A module-level
 * function on purpose: the cell renderers live as long as the columns, and a closure created in
 * a component's render keeps that whole render scope (with its 10,000-row arrays) alive — the
 * first render's rows, pinned for the page's life, went stale user by user (~3 MB after minutes).
 */
function buildColumns(t: TFunction, baseUrl: string, scale: number, calls: CallsStore, limited: boolean, ownId: number | null): ColumnDef<UserView>[] {
  const px = (n: number) => Math.round(n * scale);
  const col = (def: ColSpec): ColumnDef<UserView> => ({ ...def, cell: ({ row }) => def.meta.render(row.original) }) as ColumnDef<UserView>;
  return [
    col({
      id: 'user',
      sortDescFirst: false,
      header: t('users.col.user'),
      accessorFn: (r) => r.label,
      size: px(170),
      meta: {
        grow: true,
        render: (r) => (
          <span className="flex min-w-0 items-center gap-2">
            <Avatar src={resolveAvatarUrl(r.user.avatar, baseUrl, 'users')} size={1.75} />
            <span className="min-w-0 leading-tight">
              <UserText text={r.label} className="block truncate font-medium" />
              {r.name && r.name !== r.label && <UserText text={r.name} className="block truncate text-xs text-slate-500 dark:text-slate-400" />}
            </span>
          </span>
        ),
      },
    }),
    col({
      id: 'extension',
      sortDescFirst: false,
      header: t('users.col.extension'),
      accessorFn: (r) => r.extension,
      size: px(60),
      meta: { render: (r) => <span className="font-mono tabular-nums">{r.extension}</span> },
    }),
    col({
      id: 'presence',
      header: t('users.col.presence'),
      accessorFn: (r) => r.presence ?? 99,
      // First click: Available, Away, Busy, Offline, unknown (TanStack sorts numbers descending first).
      sortDescFirst: false,
      size: px(104),
      meta: { render: (r) => <PresenceLabel value={r.presence} t={t} /> },
    }),
    col({
      id: 'dnd',
      sortDescFirst: true,
      header: t('users.col.dnd'),
      accessorFn: (r) => (r.dnd ? 1 : 0),
      // The longest label, "着信拒否中" (5 CJK glyphs of 0.75rem: 60 px at 16 px/rem; "DND on" is
      // shorter), + icon (⊘ then, DND_ICON ⊖ now: the same width in the UI fonts) and gap (14.1) +
      // padding (16) = 90.1 px measured in Chromium at 1366 and 1920, + 2 for another font's icon.
      size: px(DND_COL_PX),
      meta: { render: (r) => (r.dnd ? <Flag icon={DND_ICON} text={t('users.dndOn')} cls="text-red-700 dark:text-red-400" /> : <Off label={t('users.off')} />) },
    }),
    col({
      id: 'fwd',
      sortDescFirst: true,
      header: t('users.col.fwd'),
      accessorFn: (r) => (r.fwd ? 1 : 0),
      size: px(80),
      // "Forwarding" needs ~97 px at 16 px/rem and the column has 80: the cell says "Fwd on" under
      // the "Forward" header (the user's dialog and the transfer warning keep the full word).
      meta: { render: (r) => (r.fwd ? <Flag icon="↪" text={t('users.fwdShort')} cls="text-blue-700 dark:text-blue-400" /> : <Off label={t('users.off')} />) },
    }),
    col({
      id: 'call',
      sortDescFirst: false,
      header: t('users.col.call'),
      accessorFn: (r) => calls.get(r.id)?.state ?? '',
      size: px(108),
      meta: { callData: true, render: (r) => <CallCell userId={r.id} t={t} unknown={limited && r.id !== String(ownId)} extension={r.id === String(ownId) ? '' : r.extension} label={r.label} /> },
    }),
    col({
      id: 'mwi',
      sortDescFirst: true,
      header: t('users.col.mwi'),
      accessorFn: (r) => (r.mwi ? r.mwi.new * 10000 + r.mwi.saved : -1),
      size: px(92),
      meta: { render: (r) => <MwiBadge counts={r.mwi} t={t} /> },
    }),
    col({
      id: 'groups',
      header: t('users.col.groups'),
      accessorFn: (r) => r.groupLabels.join(', '),
      enableSorting: false,
      size: px(96),
      meta: {
        grow: true,
        render: (r) => {
          const text = cleanText(r.groupLabels.join(', '));
          return (
            <span className="block truncate text-xs" title={text}>
              {text}
            </span>
          );
        },
      },
    }),
    col({
      id: 'login',
      sortDescFirst: true,
      header: t('users.col.login'),
      accessorFn: (r) => r.loggedInCount,
      size: px(76),
      meta: {
        render: (r) => {
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
    }),
  ];
}

function UsersTable({
  rows,
  filtered,
  query,
  live,
  lastUpdateAt,
  emptyText,
}: {
  /** every user, in store order */
  rows: UserView[];
  /** the rows that pass the search and group filter (`rows` itself when there is no filter) */
  filtered: UserView[];
  /** the search text `filtered` was made with: better matches go first */
  query: string;
  live: boolean;
  lastUpdateAt: number | null;
  emptyText: string;
}) {
  const { t } = useTranslation();
  const baseUrl = useSettings((s) => s.baseUrl);
  const calls = useContext(CallsContext);
  // Limited view: other users' calls never reach this console, so no call is not "Idle".
  const limited = useLimitedView();
  const ownId = useConsoleStore((s) => s.session?.userId ?? null);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'user', desc: false }]);
  // Column sizes are px at 16 px/rem, scaled by the CURRENT root font size (text-size setting,
  // or the automatic size that grows with the window), re-read on resize and on a change.
  const fontPx = useRootFontPx();
  const scale = fontPx / 16;

  const [ranks] = useState(() => ({ label: new Ranks(), extension: new Ranks() }));
  // Built by a module-level function: closures made inside this render would keep the whole
  // render's scope (its 10,000-row arrays) alive for as long as the columns live.
  const columns = useMemo(() => buildColumns(t, baseUrl, scale, calls, limited, ownId), [t, baseUrl, scale, calls, limited, ownId]);

  // Sorting by the Call column must see call changes: a new data array then (throttled too).
  const sortByCall = sorting.some((x) => x.id === 'call');
  const callsVersion = useCallsVersion(sortByCall, TABLE_REFRESH_MS);
  const [sorter] = useState(createViewSorter);
  const sorted = useMemo(() => {
    // Sorted here by precomputed keys, incrementally (sort-views.ts: a refresh re-sorts only the
    // rows whose keys changed); TanStack only keeps the columns and the sort state.
    const levels: SortLevel[] = [];
    for (const x of sorting) {
      if (x.id === 'user') levels.push({ desc: x.desc, key: (r) => ranks.label.rank(r.label) });
      else if (x.id === 'extension') levels.push({ desc: x.desc, key: (r) => ranks.extension.rank(r.extension) });
      else {
        const def = columns.find((c) => c.id === x.id) as { accessorFn?: (r: UserView, i: number) => unknown } | undefined;
        if (def?.accessorFn) levels.push({ desc: x.desc, key: (r) => def.accessorFn!(r, 0) as SortKey });
      }
    }
    const spec = () => `${sorting.map((x) => `${x.id}:${x.desc}`).join(',')}|${callsVersion}|${ranks.label.epoch}|${ranks.extension.epoch}`;
    // First sort by a ranked column (start-up): rank first rather than sort twice.
    if (rows.length > 0 && ranks.label.epoch === 0 && sorting.some((x) => x.id === 'user')) ranks.label.rebuild(rows.map((r) => r.label));
    if (rows.length > 0 && ranks.extension.epoch === 0 && sorting.some((x) => x.id === 'extension')) ranks.extension.rebuild(rows.map((r) => r.extension));
    let out = sorter(rows, levels, spec());
    if (ranks.label.missing || ranks.extension.missing) {
      // A label or extension not ranked yet (start-up, a renamed user): rank them all again.
      if (ranks.label.missing) ranks.label.rebuild(rows.map((r) => r.label));
      if (ranks.extension.missing) ranks.extension.rebuild(rows.map((r) => r.extension));
      out = sorter(rows, levels, spec());
    }
    return out;
  }, [rows, sorting, columns, ranks, callsVersion, sorter]);
  // The filter keeps the sorted order (filtering the sorted rows, not sorting the filtered ones,
  // lets the sorter work incrementally whatever the search); a search then puts exact and prefix
  // matches first, each rank in the sorted order.
  const data = useMemo(() => {
    if (filtered === rows) return sorted;
    const keep = new Set(filtered);
    return rankUserViews(sorted.filter((v) => keep.has(v)), query);
  }, [sorted, filtered, rows, query]);
  // TanStack keeps the columns, sizes and sorting state; the rows never go through it (its row
  // model would create 10,000 Row objects per refresh): `data` is sorted above and virtualized.
  // With no rows it cannot guess a column's first sort direction: every column sets sortDescFirst.
  const scrollRef = useRef<HTMLDivElement>(null);
  // Columns that do not fit the panel's width are dropped, least important first, instead of
  // scrolling sideways (large text sizes on a 1366 px screen).
  const width = useElementWidth(scrollRef);
  const columnVisibility = useMemo(() => fitColumns(columns, width), [columns, width]);
  const table = useReactTable({
    data: NO_ROWS,
    columns,
    state: { sorting, columnVisibility },
    onSortingChange: setSorting,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
  });

  const rowHeight = Math.round(ROW_REM * fontPx);
  const [getScrollElement] = useState(() => elementOf(scrollRef));
  const estimateSize = useMemo(() => constant(rowHeight), [rowHeight]);
  // Rows have one fixed height and are never measured, so the virtualizer needs no per-row key:
  // a key function that changed with every table refresh (750 ms) made it rebuild its 10,000
  // measurement objects each time. React keys come from the views (UserTr key = user id).
  const virtualizer = useVirtualizer({
    count: data.length,
    // Not inline closures: the virtualizer keeps its first options for good, and an inline
    // closure would keep that first render's scope (all its rows) alive with them.
    getScrollElement,
    estimateSize,
    // Rows mounted beyond the view on each side: covers a wheel step (120 px ≈ 3 rows) ahead of
    // the render; more only adds rows to mount on a jump and to lay out and paint every frame.
    overscan: 6,
    // Render the rows a scroll brings in as a task of their own rather than synchronously inside
    // the scroll event (flushSync): a jump (scrollbar drag, Home/End) mounts ~30 rows, and the
    // render plus the frame's layout and paint in one task made a 50-60 ms long task. With fixed
    // row heights nothing needs the synchronous re-measure that flushSync is for.
    useFlushSync: false,
  });
  // A new root font size changes every row's height: drop the cached sizes.
  useEffect(() => {
    virtualizer.measure();
  }, [rowHeight, virtualizer]);

  const leafColumns = table.getVisibleLeafColumns();
  const layout = useMemo<ColLayout[]>(
    () =>
      leafColumns.map((c) => {
        const meta = c.columnDef.meta as ColMeta;
        return { id: c.id, meta, style: colStyle(c.getSize(), meta) };
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [columns, columnVisibility],
  );
  const minWidth = table.getTotalSize();
  // Say what was dropped: at a large text size the voicemail counters, for one, are nowhere else.
  const hiddenColumns = COLUMN_DROP_ORDER.filter((id) => columnVisibility[id] === false).map((id) => t(`users.col.${id}`));

  return (
    <>
      {hiddenColumns.length > 0 && (
        <p className="shrink-0 px-3 py-0.5 text-xs text-slate-600 dark:text-slate-400" data-testid="hidden-columns">
          {t('users.hiddenColumns', { columns: hiddenColumns.join(', ') })}
        </p>
      )}
    <div ref={scrollRef} className="relative min-h-0 flex-1 overflow-auto" tabIndex={-1}>
      <table role="table" aria-rowcount={data.length + 1} className="grid text-sm" style={{ minWidth }}>
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
          {data.length === 0 && (
            <tr className="absolute flex w-full">
              <td className="w-full">
                <EmptyState>{emptyText}</EmptyState>
              </td>
            </tr>
          )}
          {virtualizer.getVirtualItems().map((vi) => {
            const view = data[vi.index];
            if (!view) return null;
            return <UserTr key={view.id} view={view} index={vi.index} start={vi.start} height={rowHeight} layout={layout} live={live} />;
          })}
        </tbody>
      </table>
    </div>
    </>
  );
}

/**
 * One visible row. Memoized on its props (the view of the last table refresh, position, layout);
 * it reads its user LIVE from the store, so a change to a visible user shows at once without
 * rebuilding or re-sorting the 10,000-row model, and other users' changes do not re-render it.
 */
const UserTr = memo(function UserTr({
  view,
  index,
  start,
  height,
  layout,
  live,
}: {
  view: UserView;
  index: number;
  start: number;
  height: number;
  layout: ColLayout[];
  live: boolean;
}) {
  const user = useConsoleStore((s) => s.user.get(view.id)) ?? view.user;
  const r = useMemo(() => liveView(user, view), [user, view]);
  return (
    <tr
      role="row"
      data-index={index}
      aria-rowindex={index + 2}
      className="absolute left-0 flex w-full border-b border-slate-100 hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-800/60"
      style={{ transform: `translateY(${start}px)`, height }}
    >
      {layout.map((c) => (
        <td
          key={c.id}
          role="cell"
          style={c.style}
          className={`flex min-w-0 items-center overflow-hidden px-2 ${c.meta.callData && !live ? 'opacity-50 grayscale' : ''}`}
        >
          {c.meta.render(r)}
        </td>
      ))}
    </tr>
  );
});

// Cells get `t` from the column definitions (rebuilt when the language changes) instead of each
// calling useTranslation: rows mount and unmount all the time while scrolling 10,000 users.
/**
 * A user's call: a button opening it in the call dialog (issue 11: the call cell opens that
 * user's call); idle, "Idle" and a compact click-to-call "Call" to the user's extension (not on
 * the operator's own row).
 */
function CallCell({ userId, t, unknown, extension, label }: { userId: string; t: TFunction; unknown?: boolean; extension: string; label: string }) {
  const key = useUserCallKey(userId);
  const store = useContext(CallsContext);
  const open = useContext(OpenCallContext);
  if (!key)
    return unknown ? (
      <NotVisible t={t} />
    ) : (
      <span className="flex min-w-0 items-center gap-1.5">
        <span className="text-slate-400">{t('users.idle')}</span>
        {extension && <CallButton destination={extension} label={`${label} (${extension})`} compact />}
      </span>
    );
  const sep = key.indexOf('\u0000'); // the peer text itself may contain anything
  const state = key.slice(0, sep);
  const peer = key.slice(sep + 1);
  const stateText = t(`callState.${state}`, { defaultValue: state });
  const uuid = store.get(userId)?.uuid;
  const body = (
    <span className="min-w-0 leading-tight" title={[stateText, peer].filter(Boolean).join(' — ')}>
      <span className={`block truncate font-medium ${state === 'calling' ? 'text-red-700 dark:text-red-400' : 'text-green-800 dark:text-green-400'}`}>
        <span aria-hidden="true">{state === 'park' ? '‖ ' : '☎ '}</span>
        {stateText}
      </span>
      {peer && <span className="block truncate font-mono text-xs">{peer}</span>}
    </span>
  );
  if (!open || !uuid) return body;
  return (
    <button type="button" className="flex min-w-0 rounded text-left hover:bg-slate-100 dark:hover:bg-slate-700" aria-label={[t('workflow.openUserCall', { name: label }), stateText, peer].filter(Boolean).join(' — ')} onClick={() => open(uuid)}>
      {body}
    </button>
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

function Off({ label }: { label: string }) {
  return (
    <span className="text-xs text-slate-400">
      <span aria-hidden="true">–</span>
      <span className="sr-only">{label}</span>
    </span>
  );
}
