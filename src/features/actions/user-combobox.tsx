import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../stores/cti-types.ts';
import { userLabel } from '../../components/caller.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { DND_ICON, PresenceLabel } from '../users/presence.tsx';
import { findUsers } from '../users/user-search.ts';
import { isComposingKey } from './ime.ts';

/** What the operator should know before sending a call to `u`: DND, offline, busy, away, on a call. */
export type TransferWarning = 'dnd' | 'offline' | 'busy' | 'away' | 'onCall' | 'fwd';

/** The reasons a transfer to `u` may not reach them (`onCall`: `u` has a call now). */
export function transferWarnings(u: User, onCall: boolean): TransferWarning[] {
  const w: TransferWarning[] = [];
  if (Number(u.do_not_disturb_status) === 1) w.push('dnd');
  if (u.presence === 3) w.push('offline');
  else if (u.presence === 2) w.push('busy');
  else if (u.presence === 1) w.push('away'); // issue 11: Away asks too (value code: ours, ARCHITECTURE.md)
  if (onCall) w.push('onCall');
  if (Number(u.fwd_always_status) === 1) w.push('fwd');
  return w;
}

/** Ids (strings) of the users who have a call now (their own leg in `channel`). */
export function useUsersOnCall(): Set<string> {
  const channels = useConsoleStore((s) => s.channel);
  return useMemo(() => {
    const ids = new Set<string>();
    for (const ch of channels.values()) if (ch.user_id !== undefined && ch.user_id !== null) ids.add(String(ch.user_id));
    return ids;
  }, [channels]);
}

/**
 * Users matching `query`, best first: the Users search's ranking ({@link findUsers}: exact
 * extension/login, exact label or reading, prefix, substring; kanji, kana or romaji), so
 * "吉田直樹" finds "吉田 直樹" and "satou" finds "さとう".
 * @param limit most results (default 8)
 */
export function matchUsers(users: Iterable<User>, query: string, limit = 8): User[] {
  return findUsers(users, query, limit).matches;
}

interface UserComboboxProps {
  users: Map<string, User>;
  label: string;
  onPick: (user: User) => void;
  disabled?: boolean;
  /** the input's placeholder (default: the transfer box's) */
  placeholder?: string;
  /** hide the presence / DND / on-a-call words of each suggestion (the "My phone" setting) */
  plain?: boolean;
  /** the input's id (default a generated one) */
  id?: string;
  /** id of a help text for the input */
  describedBy?: string;
}

/** Suggestions shown at most; the rest are counted ("N more"). */
const LIMIT = 8;

/**
 * Type-ahead user picker (ARIA combobox with a listbox popup): type part of a name or an
 * extension, ↑/↓ to move, Enter to pick, Escape to clear. Not a long dropdown. No key acts while
 * an input method composes (Enter then only confirms the Japanese text: {@link isComposingKey}).
 */
export function UserCombobox({ users, label, onPick, disabled, placeholder, plain, id, describedBy }: UserComboboxProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const generatedId = useId();
  const inputId = id ?? generatedId;
  const { matches, more } = useMemo(() => findUsers(users.values(), query, LIMIT), [users, query]);
  const onCall = useUsersOnCall();
  const open = query.trim() !== '';
  const listRef = useRef<HTMLUListElement>(null);
  // The list is in the dialog's flow (not a popup the dialog would clip): bring it into view.
  useEffect(() => {
    if (open) listRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [open, matches.length]);
  useEffect(() => {
    listRef.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [active]);
  const pick = (u: User | undefined) => {
    if (!u) return;
    onPick(u);
    setQuery('');
    setActive(0);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    // Enter / arrows / Escape during a Japanese composition belong to the input method (issue 11).
    if (isComposingKey(e)) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(matches.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      pick(matches[active]);
    } else if (e.key === 'Escape' && query !== '') {
      e.preventDefault();
      e.stopPropagation(); // clear the box, don't close the dialog
      setQuery('');
    }
  };
  return (
    <div className="relative">
      <label htmlFor={inputId} className="mb-1 block text-sm font-medium">
        {label}
      </label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-describedby={describedBy}
        aria-activedescendant={open && matches[active] ? `${listId}-${matches[active].id}` : undefined}
        autoComplete="off"
        disabled={disabled}
        value={query}
        placeholder={placeholder ?? t('actions.transferPlaceholder')}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        className="input w-full"
      />
      <ul
        ref={listRef}
        id={listId}
        role="listbox"
        aria-label={label}
        hidden={!open}
        className="mt-1 max-h-[min(16rem,40vh)] w-full overflow-y-auto rounded-md border border-slate-300 bg-white shadow-lg dark:border-slate-600 dark:bg-slate-800"
      >
        {open && matches.length === 0 && <li className="px-3 py-2 text-sm text-slate-500">{t('actions.noMatch')}</li>}
        {matches.map((u, i) => (
          <li
            key={u.id}
            id={`${listId}-${u.id}`}
            role="option"
            aria-selected={i === active}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(u)}
            onMouseEnter={() => setActive(i)}
            className={`flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm ${i === active ? 'bg-blue-100 dark:bg-blue-900' : ''}`}
          >
            <span className="min-w-0 flex-1 truncate font-medium" title={userLabel(u)}>
              {userLabel(u)}
            </span>
            <span className="font-mono tabular-nums">{u.main_extension}</span>
            {!plain && <UserStatus user={u} onCall={onCall.has(String(u.id))} />}
          </li>
        ))}
        {open && more > 0 && (
          <li role="presentation" className="px-3 py-1.5 text-xs text-slate-600 dark:text-slate-300">
            {t('actions.moreMatches', { count: more })}
          </li>
        )}
      </ul>
    </div>
  );
}

/** Presence, DND, forwarding and "on a call" of a transfer suggestion, as icons + words. */
function UserStatus({ user, onCall }: { user: User; onCall: boolean }) {
  const { t } = useTranslation();
  const dnd = Number(user.do_not_disturb_status) === 1;
  const fwd = Number(user.fwd_always_status) === 1;
  return (
    <span className="flex shrink-0 items-center gap-2 text-xs">
      <PresenceLabel value={typeof user.presence === 'number' ? user.presence : undefined} />
      {dnd && (
        <span className="font-semibold text-red-700 dark:text-red-400">
          <span aria-hidden="true">{DND_ICON} </span>
          {t('users.dndOn')}
        </span>
      )}
      {fwd && (
        <span className="text-blue-700 dark:text-blue-400">
          <span aria-hidden="true">↪ </span>
          {t('users.fwdOn')}
        </span>
      )}
      {onCall && (
        <span className="text-red-700 dark:text-red-400">
          <span aria-hidden="true">☎ </span>
          {t('callState.bridged')}
        </span>
      )}
    </span>
  );
}
