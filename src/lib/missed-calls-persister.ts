// Keeps one owner's missed-call list in IndexedDB (src/lib/missed-calls-storage.ts) without losing
// the newest calls and without hiding a failure (issue 12). Ours: no PBX rule is involved.
//
// - Batched: `save(list)` may be called on every change; it writes what changed since the last
//   commit (new entries, removed ones) in ONE transaction, one transaction in flight at a time,
//   the next one carrying everything that arrived meanwhile.
// - Never loses the newest: the entries not yet committed are also written, synchronously, to a
//   small journal in localStorage on every `save`, so a reload or a closed tab right after a call
//   (before IndexedDB committed) still has it; `open` replays the journal.
// - Out of space: the oldest quarter of the calls is deleted, then the write retried, until the
//   newest fit; what was dropped is reported (`dropped`, reason `quota`), never swallowed. A write
//   that fails otherwise is reported (`write-failed`) and retried on the next save.
// - Moves the lists of older consoles (localStorage v1, per user and the one unkeyed list) in once.

import {
  LIVE_UNTIL_STORAGE_KEY,
  MISSED_CALLS_STORAGE_KEY,
  WATCH_STORAGE_KEY,
  addMissedCalls,
  defaultStorage,
  isMissedCall,
  isOutageMarker,
  liveUntilStorageKey,
  missedCallsOwnerId,
  missedCallsStorageKey,
  readListText,
  type MissedCall,
  type MissedCallsOwner,
} from './missed-calls.ts';
import { isQuotaError, type MissedCallsBackend } from './missed-calls-storage.ts';

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** localStorage key prefix of the journal of entries not yet in IndexedDB (`<prefix>:<owner id>`). */
export const MISSED_JOURNAL_KEY = 'basix-console.missed-journal.v1';
/**
 * Most entries the journal holds (the newest). Normally it holds the few seconds' worth not yet
 * committed; it fills only while IndexedDB fails, and then keeps the newest.
 */
export const JOURNAL_MAX = 500;

/** What the persister reports to the console (the missed-call panel shows it). */
export type PersisterEvent =
  | {
      type: 'dropped';
      /** `quota`: the browser's storage is full; `retention` is reported by the owner binder, not here */
      reason: 'quota';
      /** the missed calls dropped (markers not included), newest first */
      calls: MissedCall[];
    }
  | { type: 'write-failed'; reason: string; quota: boolean }
  | { type: 'unavailable'; reason: string }
  | { type: 'saved' };

/** The persister's life: explicit, so a save before the load has finished is never a diff against nothing. */
type PersisterState = 'opening' | 'ready' | 'unavailable' | 'closed';

export interface PersisterOptions {
  /** the IndexedDB backend, or a promise of it (rejecting: IndexedDB unavailable) */
  backend: MissedCallsBackend | Promise<MissedCallsBackend>;
  /** receives drops and failures; must not throw */
  onEvent?: (e: PersisterEvent) => void;
  /** where the journal and the v1 lists are; default `localStorage` (null: none) */
  storage?: StorageLike | null;
}

/** One owner's list in IndexedDB. Create one per owner; {@link open} first. */
export class MissedCallsPersister {
  private state: PersisterState = 'opening';
  private backend: MissedCallsBackend | null = null;
  /** uuids committed to IndexedDB */
  private readonly persisted = new Set<string>();
  /**
   * Entry objects as committed, for the entries the operator marks (`calledBackAt`): a marked or
   * unmarked entry is a new object with a uuid already persisted, and must be written again.
   */
  private readonly committedObjects = new WeakSet<MissedCall>();
  /** uuids dropped for lack of space: never written again by this persister */
  private readonly excluded = new Set<string>();
  private latest: readonly MissedCall[] | null = null;
  private writing: Promise<void> | null = null;
  private dirty = false;
  /** the journal says "cleared": IndexedDB still holds the entries until the next commit */
  private clearPending = false;
  private readonly ownerId: string;
  /** v1 localStorage keys to remove once their entries are committed */
  private v1: { keys: string[]; calls: MissedCall[] } | null = null;
  private readonly storage: StorageLike | null;
  private readonly onEvent: (e: PersisterEvent) => void;

  constructor(
    private readonly owner: MissedCallsOwner,
    private readonly opts: PersisterOptions,
  ) {
    this.ownerId = missedCallsOwnerId(owner);
    this.storage = opts.storage === undefined ? defaultStorage() : opts.storage;
    this.onEvent = (e) => {
      try {
        opts.onEvent?.(e);
      } catch {
        /* a listener's bug must not stop the saving */
      }
    };
  }

  /** `opening` → `ready` (or `unavailable`: kept in the journal only) → `closed`. */
  get status(): PersisterState {
    return this.state;
  }

  /**
   * Loads the owner's list: IndexedDB, plus the journal (entries a previous page saw but had not
   * committed), plus a v1 localStorage list of this owner (and the unkeyed list of an even older
   * console, for the first owner opened); writes what is not yet in IndexedDB, then removes the
   * v1 keys. Never rejects: without IndexedDB the journal alone is used and `unavailable` reported.
   * @param takeUnkeyed hand the unkeyed list of an older console to this owner (default true)
   * @returns the list, newest first
   */
  open(takeUnkeyed = true): Promise<MissedCall[]> {
    this.opening ??= this.load(takeUnkeyed);
    return this.opening;
  }

  /** Resolves once {@link open} is done and everything handed over is written (the next owner's persister waits for it). */
  async idle(): Promise<void> {
    await this.opening;
    await this.flushed();
  }

  private opening: Promise<MissedCall[]> | null = null;

  private async load(takeUnkeyed: boolean): Promise<MissedCall[]> {
    const journal = this.readJournal();
    const v1Key = missedCallsStorageKey(this.owner);
    const v1 = [...readListText(this.get(v1Key)), ...(takeUnkeyed ? readListText(this.get(MISSED_CALLS_STORAGE_KEY)) : [])];
    if (takeUnkeyed) this.moveUnkeyedLiveUntil();
    let stored: MissedCall[] = [];
    try {
      this.backend = await this.opts.backend;
      if (journal.cleared) await this.backend.clear(this.ownerId);
      else stored = await this.backend.load(this.ownerId);
    } catch (e) {
      if (this.state === 'closed') return [];
      this.state = 'unavailable';
      journal.puts = addMissedCalls(journal.puts, this.latest ?? []);
      this.backend = null;
      this.onEvent({ type: 'unavailable', reason: errorText(e) });
      this.latest = addMissedCalls(journal.puts, v1);
      this.writeJournal(this.latest);
      return [...this.latest];
    }
    for (const c of stored) {
      this.persisted.add(c.uuid);
      this.committedObjects.add(c);
    }
    // A journal entry is newer than IndexedDB's for the same call (a mark made just before the
    // page went away): it replaces it, and is written again on the next commit.
    if (journal.puts.length > 0 && stored.length > 0) {
      const newer = new Map(journal.puts.map((c) => [c.uuid, c]));
      stored = stored.map((c) => newer.get(c.uuid) ?? c);
    }
    // + what was handed to save() while loading (calls seen meanwhile), even if closed since:
    // they are this owner's and are written all the same.
    const list = addMissedCalls(addMissedCalls([], stored), [...journal.puts, ...v1, ...(this.latest ?? [])]);
    const closed = this.state === 'closed';
    if (!closed) this.state = 'ready';
    this.latest = list;
    this.dirty = true;
    this.writeJournal(list);
    // The list is shown at once; the v1 keys go once their entries are in IndexedDB.
    this.v1 = { keys: takeUnkeyed ? [v1Key, MISSED_CALLS_STORAGE_KEY] : [v1Key], calls: v1 };
    void this.drain();
    return closed ? [] : [...list];
  }

  /**
   * The owner's whole list as it is now (newest first). Writes the entries not yet committed to
   * the journal at once (synchronously), and commits the changes to IndexedDB soon, batched with
   * whatever else arrives meanwhile. Before {@link open} has finished it only remembers the list
   * (then merged with what is loaded: an empty one is not a Clear then).
   */
  save(list: readonly MissedCall[]): void {
    if (this.state === 'closed') return;
    this.latest = this.excluded.size ? list.filter((c) => !this.excluded.has(c.uuid)) : list;
    if (this.state === 'opening') return; // merged into the loaded list by open()
    if (list.length === 0) this.clearPending = true;
    this.writeJournal(this.latest);
    if (this.state === 'unavailable') return;
    this.dirty = true;
    void this.drain();
  }

  /** `list` without the entries dropped for lack of space (they must not come back from an older copy). */
  withoutDropped(list: readonly MissedCall[]): MissedCall[] {
    return this.excluded.size ? list.filter((c) => !this.excluded.has(c.uuid)) : [...list];
  }

  /** Resolves when every change handed to {@link save} so far is committed (or has failed and been reported). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Stops taking saves (owner switch, log-out); what was handed over before is still written. */
  close(): void {
    this.state = 'closed';
  }

  /**
   * Deletes the owner's list everywhere (log-out of a browser-wide list): IndexedDB, journal, the
   * v1 key. Closes the persister.
   */
  async destroy(): Promise<void> {
    this.state = 'closed';
    this.remove(this.journalKey());
    this.remove(missedCallsStorageKey(this.owner));
    this.remove(liveUntilStorageKey(this.owner));
    this.remove(`${WATCH_STORAGE_KEY}:${this.ownerId}`);
    await this.flushed();
    try {
      const b = this.backend ?? (await this.opts.backend);
      await b.clear(this.ownerId);
    } catch (e) {
      this.onEvent({ type: 'write-failed', reason: errorText(e), quota: false });
    }
  }

  // ---- writing -------------------------------------------------------------------------------

  private drain(): Promise<void> {
    if (!this.writing) {
      this.writing = this.commitLoop().finally(() => {
        this.writing = null;
      });
    }
    return this.writing;
  }

  private async commitLoop(): Promise<void> {
    let quotaRounds = 0;
    // `closed` still finishes what was handed over before the close (an owner switch saves the
    // previous owner's last calls, then closes).
    while (this.dirty && this.backend && (this.state === 'ready' || this.state === 'closed')) {
      this.dirty = false;
      const list = this.latest ?? [];
      const { puts, deletes } = this.diff(list);
      const clearing = this.clearPending && list.length === 0;
      try {
        if (clearing) {
          await this.backend.clear(this.ownerId);
          this.persisted.clear();
          this.clearPending = false;
        } else if (puts.length > 0 || deletes.length > 0) {
          await this.backend.commit(this.ownerId, puts, deletes);
          this.clearPending = false; // the deletes emptied what the clear was for
          for (const u of deletes) this.persisted.delete(u);
          for (const c of puts) {
            this.persisted.add(c.uuid);
            this.committedObjects.add(c);
          }
        }
        quotaRounds = 0;
        this.afterCommit();
      } catch (e) {
        if (!isQuotaError(e) || quotaRounds >= 12) {
          this.onEvent({ type: 'write-failed', reason: errorText(e), quota: isQuotaError(e) });
          return; // the journal holds the newest; the next save retries
        }
        quotaRounds++;
        if (!(await this.makeRoom(list))) {
          this.onEvent({ type: 'write-failed', reason: errorText(e), quota: true });
          return;
        }
        this.dirty = true;
      }
    }
  }

  /**
   * Out of space: drops the oldest quarter of the calls (at least one, never the newest call),
   * deletes them from IndexedDB first (a transaction of deletes only frees space), reports them.
   * @returns false when nothing more can be dropped
   */
  private async makeRoom(list: readonly MissedCall[]): Promise<boolean> {
    const calls = list.filter((c) => !isOutageMarker(c));
    if (calls.length <= 1) return false;
    const n = Math.min(calls.length - 1, Math.max(1, Math.ceil(calls.length / 4)));
    const dropped = calls.slice(calls.length - n);
    const oldestKeptUs = calls[calls.length - n - 1].endedAtUs;
    const gone = new Set(dropped.map((c) => c.uuid));
    // markers older than every kept call go with them (not reported: they are not calls)
    for (const c of list) if (isOutageMarker(c) && c.outage.toUs < oldestKeptUs) gone.add(c.uuid);
    for (const u of gone) this.excluded.add(u);
    this.latest = list.filter((c) => !gone.has(c.uuid));
    const deletes = [...gone].filter((u) => this.persisted.has(u));
    try {
      if (deletes.length > 0 && this.backend) await this.backend.commit(this.ownerId, [], deletes);
      for (const u of deletes) this.persisted.delete(u);
    } catch {
      /* deleting failed too: the next round drops more */
    }
    this.writeJournal(this.latest);
    this.onEvent({ type: 'dropped', reason: 'quota', calls: dropped.reverse() });
    return true;
  }

  private diff(list: readonly MissedCall[]): { puts: MissedCall[]; deletes: string[] } {
    const inList = new Set<string>();
    const puts: MissedCall[] = [];
    for (const c of list) {
      inList.add(c.uuid);
      if (!this.persisted.has(c.uuid) || !this.committedObjects.has(c)) puts.push(c);
    }
    const deletes: string[] = [];
    for (const u of this.persisted) if (!inList.has(u)) deletes.push(u);
    return { puts, deletes };
  }

  /** After a commit: the journal keeps only what is still not in IndexedDB. */
  private afterCommit(): void {
    if (this.v1 && this.persistedAll(this.v1.calls)) {
      for (const k of this.v1.keys) this.remove(k);
      this.v1 = null;
    }
    if (this.dirty) return; // more is coming: the next commit rewrites it
    this.writeJournal(this.latest ?? []);
    this.onEvent({ type: 'saved' });
  }

  private persistedAll(calls: readonly MissedCall[]): boolean {
    return this.state === 'ready' && calls.every((c) => this.persisted.has(c.uuid) || this.excluded.has(c.uuid));
  }

  // ---- journal (localStorage) --------------------------------------------------------------

  private journalKey(): string {
    return `${MISSED_JOURNAL_KEY}:${this.ownerId}`;
  }

  private readJournal(): { puts: MissedCall[]; cleared: boolean } {
    const raw = this.get(this.journalKey());
    if (!raw) return { puts: [], cleared: false };
    try {
      const j = JSON.parse(raw) as { puts?: unknown; cleared?: unknown };
      const puts = Array.isArray(j.puts) ? addMissedCalls([], j.puts.filter(isMissedCall)) : [];
      return { puts, cleared: j.cleared === true };
    } catch {
      return { puts: [], cleared: false };
    }
  }

  /** Writes the entries of `list` not yet in IndexedDB (the newest {@link JOURNAL_MAX}); removes the journal when there are none. */
  private writeJournal(list: readonly MissedCall[]): void {
    if (!this.storage) return;
    const pending: MissedCall[] = [];
    for (const c of list) {
      if (pending.length >= JOURNAL_MAX) break;
      // new entries, and changed ones (a "called back" mark) not committed yet
      if (!this.persisted.has(c.uuid) || !this.committedObjects.has(c)) pending.push(c);
    }
    const cleared = this.clearPending && this.persisted.size > 0;
    try {
      if (pending.length === 0 && !cleared) return this.storage.removeItem(this.journalKey());
    } catch {
      return;
    }
    // Out of localStorage space (long CRM fields): keep the newest half, then a quarter, … — the
    // newest call is the one that must survive. IndexedDB, if it works, gets them all within moments.
    for (let n = pending.length; n >= 1; n = n === 1 ? 0 : Math.ceil(n / 2)) {
      try {
        this.storage.setItem(this.journalKey(), JSON.stringify({ puts: pending.slice(0, n), ...(cleared ? { cleared: true } : {}) }));
        return;
      } catch {
        /* too big: fewer */
      }
    }
  }

  private moveUnkeyedLiveUntil(): void {
    const legacy = this.get(LIVE_UNTIL_STORAGE_KEY);
    if (legacy === null || !this.storage) return;
    try {
      if (this.storage.getItem(liveUntilStorageKey(this.owner)) === null) this.storage.setItem(liveUntilStorageKey(this.owner), legacy);
      this.storage.removeItem(LIVE_UNTIL_STORAGE_KEY);
    } catch {
      /* storage disabled: the mark is only for an outage marker */
    }
  }

  private get(key: string): string | null {
    try {
      return this.storage?.getItem(key) ?? null;
    } catch {
      return null;
    }
  }

  private remove(key: string): void {
    try {
      this.storage?.removeItem(key);
    } catch {
      /* storage disabled */
    }
  }
}

function errorText(e: unknown): string {
  if (e && typeof e === 'object') {
    const cause = (e as { cause?: unknown }).cause;
    const name = cause && typeof cause === 'object' && 'name' in cause ? String((cause as { name: unknown }).name) : String((e as { name?: unknown }).name ?? 'Error');
    return `${name}: ${String((e as { message?: unknown }).message ?? '')}`;
  }
  return String(e);
}
