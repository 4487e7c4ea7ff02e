/**
 * A `Map` whose copies share their entries: each version is a large base (never mutated) plus a
 * small overlay of what changed since. The store replaces a map with a new one on every update
 * (selectors and React compare identities); for the 10,000-user map, copying it on each batch
 * that changes one user cost ~1.7 ms and ~0.5 MB of garbage per batch (under load nearly every
 * batch holds a presence change), i.e. ~9 % of the main thread plus the GC that follows.
 *
 * A `CowMap` is a real `Map` subclass (`instanceof Map`, same methods, same iteration order as a
 * copied `Map` would have), so readers need not know. Its overlay is folded into a fresh base
 * once it holds more than {@link overlayLimit} keys, so reads and iteration stay close to a plain
 * `Map`'s and a version never keeps more than that many stale entries alive.
 *
 * Rule for writers: the base is shared between versions, so nothing may mutate a plain `Map`
 * after handing it to {@link CowMap.draftOf} (the store never mutates its maps anyway).
 */

/** Marks a key deleted in the overlay. */
const DELETED: unique symbol = Symbol('deleted');
type Slot<V> = V | typeof DELETED;

/** How many changed keys an overlay may hold over a base of `n` entries before it is folded in. */
export function overlayLimit(n: number): number {
  // Per batch, copying the overlay costs ~its size and folding costs n every limit/changes
  // batches: about 4·√n balances the two for a few changes per batch.
  return Math.max(64, Math.ceil(4 * Math.sqrt(n)));
}

export class CowMap<K, V> extends Map<K, V> {
  private base: Map<K, V>;
  private overlay: Map<K, Slot<V>>;
  private count: number;

  private constructor(base: Map<K, V>, overlay: Map<K, Slot<V>>, count: number) {
    super();
    this.base = base;
    this.overlay = overlay;
    this.count = count;
  }

  /**
   * A new, writable version of `map` that shares its entries: O(overlay) instead of O(n).
   * `map` itself is left as it is (and must not be mutated later if it is a plain Map).
   */
  static draftOf<K, V>(map: Map<K, V>): CowMap<K, V> {
    if (map instanceof CowMap) {
      const m = map as CowMap<K, V>;
      if (m.overlay.size > overlayLimit(m.base.size)) return new CowMap(m.toPlainMap(), new Map(), m.count);
      return new CowMap(m.base, new Map(m.overlay), m.count);
    }
    return new CowMap(map, new Map(), map.size);
  }

  /** A plain `Map` with the same entries in the same order. */
  toPlainMap(): Map<K, V> {
    if (this.overlay.size === 0) return new Map(this.base);
    const out = new Map<K, V>();
    for (const [k, v] of this) out.set(k, v);
    return out;
  }

  override get size(): number {
    return this.count;
  }

  override get(key: K): V | undefined {
    if (this.overlay.size > 0) {
      const o = this.overlay.get(key);
      if (o !== undefined) return o === DELETED ? undefined : o;
      if (this.overlay.has(key)) return undefined as V; // a value set to undefined
    }
    return this.base.get(key);
  }

  override has(key: K): boolean {
    if (this.overlay.size > 0 && this.overlay.has(key)) return this.overlay.get(key) !== DELETED;
    return this.base.has(key);
  }

  override set(key: K, value: V): this {
    // Constructing the subclass calls no set (super() gets no entries); fields exist from here on.
    const o = this.overlay.get(key);
    const present = this.overlay.has(key) ? o !== DELETED : this.base.has(key);
    if (!present && this.base.has(key)) {
      // Deleted, now added again: a Map puts it last, the overlay cannot: fold it in.
      this.base = this.toPlainMap();
      this.overlay = new Map();
      this.base.set(key, value);
      this.count++;
      return this;
    }
    this.overlay.set(key, value);
    if (!present) this.count++;
    return this;
  }

  override delete(key: K): boolean {
    if (!this.has(key)) return false;
    if (this.base.has(key)) this.overlay.set(key, DELETED);
    else this.overlay.delete(key);
    this.count--;
    return true;
  }

  override clear(): void {
    this.base = new Map();
    this.overlay = new Map();
    this.count = 0;
  }

  override forEach(cb: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this) cb.call(thisArg, v, k, this);
  }

  override *entries(): MapIterator<[K, V]> {
    if (this.overlay.size === 0) {
      yield* this.base.entries();
      return;
    }
    const overlay = this.overlay;
    for (const e of this.base) {
      if (!overlay.has(e[0])) yield e;
      else {
        const o = overlay.get(e[0]) as Slot<V>;
        if (o !== DELETED) yield [e[0], o];
      }
    }
    for (const [k, o] of overlay) if (o !== DELETED && !this.base.has(k)) yield [k, o];
  }

  override *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  override *values(): MapIterator<V> {
    if (this.overlay.size === 0) {
      yield* this.base.values();
      return;
    }
    for (const [, v] of this.entries()) yield v;
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }
}
