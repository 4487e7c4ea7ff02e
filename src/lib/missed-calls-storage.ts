// The missed-call lists in IndexedDB, through `idb` (jakearchibald/idb: promises over the native
// API, nothing else). One record per entry, keyed [owner id, uuid], so a save writes only what
// changed — not the whole day's list (thousands of calls with CRM fields) every time — and one
// transaction carries a whole batch of changes. Ours: no PBX rule is involved.

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { isMissedCall, type MissedCall } from './missed-calls.ts';

/** Database name (one per console origin, as every IndexedDB is). */
export const MISSED_DB_NAME = 'basix-console-missed-calls';
const STORE = 'entries';

interface StoredEntry {
  /** {@link missedCallsOwnerId} of the list's owner */
  owner: string;
  uuid: string;
  call: MissedCall;
}

interface MissedDb extends DBSchema {
  entries: { key: [string, string]; value: StoredEntry };
}

/** A storage failure, with the browser's error name kept (`QuotaExceededError`, `UnknownError`, …). */
export class MissedCallsStorageError extends Error {
  override readonly name = 'MissedCallsStorageError';
  /** the DOMException's name, or `Error` */
  readonly reason: string;
  /** true when the browser refused for lack of space */
  readonly quota: boolean;
  constructor(message: string, cause: unknown) {
    super(message, { cause });
    this.reason = cause instanceof Error || (cause && typeof cause === 'object' && 'name' in cause) ? String((cause as { name: unknown }).name) : 'Error';
    this.quota = isQuotaError(cause);
  }
}

/** True for the browsers' out-of-space errors (Chromium/WebKit `QuotaExceededError`, Firefox `NS_ERROR_DOM_QUOTA_REACHED`). */
export function isQuotaError(e: unknown): boolean {
  const name = e && typeof e === 'object' && 'name' in e ? String((e as { name: unknown }).name) : '';
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || (e instanceof MissedCallsStorageError && e.quota);
}

/** What the persister needs from a storage backend (IndexedDB here; a fake in tests). */
export interface MissedCallsBackend {
  /** every valid entry of `owner`, in no particular order; corrupt records are skipped */
  load(owner: string): Promise<MissedCall[]>;
  /**
   * writes `puts` and deletes the `deletes` uuids of `owner` in ONE transaction: all or nothing.
   * @throws MissedCallsStorageError (`quota` true when out of space)
   */
  commit(owner: string, puts: readonly MissedCall[], deletes: readonly string[]): Promise<void>;
  /** deletes every entry of `owner` @throws MissedCallsStorageError */
  clear(owner: string): Promise<void>;
}

const ownerRange = (owner: string) => IDBKeyRange.bound([owner], [owner, []]); // [] sorts after every string uuid

/**
 * Opens the IndexedDB backend.
 * @param opts.name default {@link MISSED_DB_NAME} (tests use one per test; fake-indexeddb provides the globals)
 * @throws MissedCallsStorageError when IndexedDB is missing or refuses to open (e.g. some private modes)
 */
export async function openMissedCallsDb(opts: { name?: string } = {}): Promise<MissedCallsBackend> {
  if (typeof indexedDB === 'undefined') throw new MissedCallsStorageError('IndexedDB is not available', new Error('no indexedDB'));
  let db: IDBPDatabase<MissedDb> | undefined;
  try {
    db = await openDB<MissedDb>(opts.name ?? MISSED_DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: ['owner', 'uuid'] });
      },
      // Another tab of a newer console wants to upgrade: let it (this one reopens on its next load).
      blocking() {
        db?.close();
      },
    });
  } catch (e) {
    throw new MissedCallsStorageError(`IndexedDB could not be opened: ${String((e as Error)?.message ?? e)}`, e);
  }
  const conn = db;
  return {
    async load(owner) {
      try {
        const rows = await conn.getAll(STORE, ownerRange(owner));
        return rows.map((r) => r.call).filter(isMissedCall);
      } catch (e) {
        throw new MissedCallsStorageError(`reading missed calls failed: ${String((e as Error)?.message ?? e)}`, e);
      }
    },
    async commit(owner, puts, deletes) {
      if (puts.length === 0 && deletes.length === 0) return;
      const tx = conn.transaction(STORE, 'readwrite');
      const ops: Promise<unknown>[] = [];
      try {
        for (const u of deletes) ops.push(tx.store.delete([owner, u]));
        for (const call of puts) ops.push(tx.store.put({ owner, uuid: call.uuid, call }));
        ops.push(tx.done);
        await Promise.all(ops);
      } catch (e) {
        // Every request of an aborted transaction rejects with AbortError: the cause is tx.error.
        try {
          tx.abort();
        } catch {
          /* already finished */
        }
        await Promise.allSettled(ops);
        const cause = tx.error ?? e;
        throw new MissedCallsStorageError(`saving missed calls failed: ${String((cause as Error)?.message ?? cause)}`, cause);
      }
    },
    async clear(owner) {
      try {
        await conn.delete(STORE, ownerRange(owner));
      } catch (e) {
        throw new MissedCallsStorageError(`clearing missed calls failed: ${String((e as Error)?.message ?? e)}`, e);
      }
    },
  };
}
