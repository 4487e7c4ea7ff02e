// The client's element store (../shared/PROTOCOL.md "Messages"): one Map per element kind, keyed
// by `String(uuid)` for channel kinds and `String(id)` for the others, REPLACED by a new Map on
// every change (cheap change detection for UI code), with a stale flag per kind across reconnects.

import { CHANNEL_ELEMENTS, type CtiElement } from '../parser/types.ts';

const CHANNEL_KINDS: ReadonlySet<string> = new Set(CHANNEL_ELEMENTS);
const EMPTY: ReadonlyMap<string, CtiElement> = new Map();

/** The elements known from the PBX, read-only to the client's users. */
export interface ElementStore {
  /** The elements of one kind (`channel`, `user`…); an empty map for a kind not received. A new Map object after every change of that kind. */
  get(element: string): ReadonlyMap<string, CtiElement>;
  /** The kinds held. */
  elements(): string[];
  /** Whether `element` (or, without an argument, any kind) still holds data of a closed connection, not yet replaced by the current one's snapshot. */
  isStale(element?: string): boolean;
}

/** The store with the operations the client applies. */
export interface MutableElementStore extends ElementStore {
  /** `initial_info`: replaces the kind's map, no longer stale. */
  replace(element: string, data: Record<string, CtiElement>): void;
  /**
   * `info_event`: `removed` deletes; a channel kind whose `last_event` is `CHANNEL_HANGUP` is gone
   * too (PROTOCOL.md "Messages"); else added/updated. A record with no key is ignored.
   */
  apply(element: string, data: CtiElement, event: string): void;
  /** The connection closed: every kind is stale until its next `initial_info`. */
  markStale(): void;
  /** The new connection's snapshot is complete: kinds it did not send again are dropped. @returns the kinds dropped */
  dropStale(): string[];
}

/** A fresh, empty store. */
export function createElementStore(): MutableElementStore {
  const maps = new Map<string, ReadonlyMap<string, CtiElement>>();
  const stale = new Set<string>();
  const keyOf = (element: string, data: CtiElement): string | undefined => {
    const d = data as Record<string, unknown>;
    const k = CHANNEL_KINDS.has(element) ? (d.uuid ?? d.id) : (d.id ?? d.uuid);
    return k === undefined || k === null ? undefined : String(k);
  };
  return {
    get: (element) => maps.get(element) ?? EMPTY,
    elements: () => [...maps.keys()],
    isStale: (element) => (element === undefined ? stale.size > 0 : stale.has(element)),
    replace(element, data) {
      maps.set(element, new Map(Object.entries(data)));
      stale.delete(element);
    },
    apply(element, data, event) {
      const key = keyOf(element, data);
      if (key === undefined) return;
      const next = new Map(maps.get(element) ?? EMPTY);
      const gone = event === 'removed' || (CHANNEL_KINDS.has(element) && (data as { last_event?: unknown }).last_event === 'CHANNEL_HANGUP');
      if (gone) next.delete(key);
      else next.set(key, data);
      maps.set(element, next);
    },
    markStale() {
      for (const k of maps.keys()) stale.add(k);
    },
    dropStale() {
      const dropped = [...stale];
      for (const k of dropped) maps.delete(k);
      stale.clear();
      return dropped;
    },
  };
}
