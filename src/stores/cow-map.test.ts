import { describe, expect, it } from 'vitest';
import { CowMap, overlayLimit } from './cow-map.ts';
import { createRng } from '../pbx-sim/prng.ts';

/** A small deterministic PRNG: the simulator's seeded mulberry32. */
function rng(seed: number): () => number {
  return createRng(seed).next;
}

const snapshot = <K, V>(m: Map<K, V>) => ({ entries: [...m], keys: [...m.keys()], values: [...m.values()], size: m.size });

describe('CowMap', () => {
  it('behaves as a copied Map through many versions of sets, updates, deletes and re-adds', () => {
    const rand = rng(7);
    let model = new Map<string, number>();
    for (let i = 0; i < 300; i++) model.set(`k${i}`, i);
    let cow: Map<string, number> = model;
    const versions: Array<{ cow: Map<string, number>; model: Map<string, number> }> = [];
    for (let v = 0; v < 200; v++) {
      const draft = CowMap.draftOf(cow);
      const next = new Map(model);
      for (let op = 0; op < 1 + Math.floor(rand() * 20); op++) {
        const key = `k${Math.floor(rand() * 400)}`;
        const r = rand();
        if (r < 0.6) {
          draft.set(key, v * 1000 + op);
          next.set(key, v * 1000 + op);
        } else {
          expect(draft.delete(key)).toBe(next.delete(key));
        }
      }
      expect(snapshot(draft)).toEqual(snapshot(next));
      versions.push({ cow: draft, model: next });
      cow = draft;
      model = next;
    }
    // older versions are unaffected by later drafts
    for (const { cow: c, model: m } of versions) {
      expect(snapshot(c)).toEqual(snapshot(m));
      for (let i = 0; i < 400; i++) {
        expect(c.get(`k${i}`)).toBe(m.get(`k${i}`));
        expect(c.has(`k${i}`)).toBe(m.has(`k${i}`));
      }
    }
  });

  it('is a Map to its readers and never touches the map it was drafted from', () => {
    const base = new Map([
      ['a', 1],
      ['b', 2],
    ]);
    const d = CowMap.draftOf(base);
    d.set('c', 3);
    d.delete('a');
    expect(d).toBeInstanceOf(Map);
    expect(Object.prototype.toString.call(d)).toBe('[object Map]');
    expect(new Map(d)).toEqual(new Map([['b', 2], ['c', 3]]));
    expect([...base]).toEqual([['a', 1], ['b', 2]]);
    const seen: string[] = [];
    d.forEach((v, k, m) => {
      expect(m).toBe(d);
      seen.push(`${k}${v}`);
    });
    expect(seen).toEqual(['b2', 'c3']);
  });

  it('a key deleted and added again goes last, as in a Map', () => {
    const d = CowMap.draftOf(new Map([['a', 1], ['b', 2], ['c', 3]]));
    d.delete('a');
    d.set('a', 9);
    expect([...d.keys()]).toEqual(['b', 'c', 'a']);
    const next = CowMap.draftOf(d);
    next.delete('b');
    next.set('b', 8);
    expect([...next]).toEqual([['c', 3], ['a', 9], ['b', 8]]);
    expect([...d]).toEqual([['b', 2], ['c', 3], ['a', 9]]);
  });

  it('folds the overlay into a fresh base past the limit, so versions do not pile up changes', () => {
    const n = 1000;
    let m: Map<number, number> = new Map(Array.from({ length: n }, (_, i) => [i, i]));
    for (let v = 0; v < 3 * overlayLimit(n); v++) {
      const d = CowMap.draftOf(m);
      d.set(v % n, -v);
      const overlay = (d as unknown as { overlay: Map<number, unknown> }).overlay;
      expect(overlay.size).toBeLessThanOrEqual(overlayLimit(n) + 1);
      m = d;
    }
    expect(m.size).toBe(n);
    expect(m.get(5)).toBe(-5);
  });

  it('clear empties only this version', () => {
    const a = CowMap.draftOf(new Map([['x', 1]]));
    const b = CowMap.draftOf(a);
    b.clear();
    expect(b.size).toBe(0);
    expect([...a]).toEqual([['x', 1]]);
  });
});
