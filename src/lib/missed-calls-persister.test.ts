import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { MISSED_CALLS_STORAGE_KEY, addMissedCalls, missedCallsOwnerId, missedCallsStorageKey, outageMarker, withCalledBack, withoutOutage, type MissedCall } from './missed-calls.ts';
import { MissedCallsStorageError, openMissedCallsDb, type MissedCallsBackend } from './missed-calls-storage.ts';
import { JOURNAL_MAX, MISSED_JOURNAL_KEY, MissedCallsPersister, type PersisterEvent } from './missed-calls-persister.ts';

const DAY0_US = Date.UTC(2026, 11, 4, 0, 0) * 1000; // made-up busy Friday
const SATO = { username: 'sato', domain: 'test1' };
const OFFICE = { origin: 'https://pbx.example.test' };
let dbSeq = 0;
const freshDb = () => openMissedCallsDb({ name: `missed-test-${++dbSeq}` });

function memoryStorage() {
  const m = new Map<string, string>();
  return { m, getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k) };
}

/** A missed call with long CRM fields (made up), ending at `endedAtUs`. */
function crmCall(i: number, endedAtUs: number): MissedCall {
  const note = `顧客メモ ${i}: `.padEnd(600, '長い備考テキスト');
  return {
    uuid: `call-${i}`,
    callerNumber: `03${String(10_000_000 + i).slice(-8)}`,
    callerName: `株式会社テスト${i}`,
    endUser: {
      count: 1,
      items: [{ id: `crm-${i}`, name: `顧客 ${i}`, organization: `テスト商事 第${i}営業部`.padEnd(200, '部'), avatar: '', prefecture: note } as never],
    },
    called: { kind: 'group', id: 10001111, name: '代表', number: '0501112222' },
    offeredAtUs: endedAtUs - 30_000_000,
    endedAtUs,
    waitedMs: 30_000,
    disposition: { side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', raw: 'recv_cancel,ORIGINATOR_CANCEL' },
    abandoned: true,
    internal: false,
    endedIn: 'calling',
  };
}

/** A busy day: `n` calls from 08:30 on, one every ~13 s, newest first. */
function busyDay(n: number, startUs = DAY0_US + 8.5 * 3600e6): MissedCall[] {
  return addMissedCalls([], Array.from({ length: n }, (_, i) => crmCall(i, startUs + i * 13_000_000)));
}

/** A backend around a real one that counts transactions and refuses writes past `budgetBytes` (as a full disk does). */
function limited(inner: MissedCallsBackend, budgetBytes: number) {
  const sizes = new Map<string, number>();
  const stats = { commits: 0 };
  const backend: MissedCallsBackend = {
    load: (o) => inner.load(o),
    clear: async (o) => {
      await inner.clear(o);
      sizes.clear();
    },
    async commit(o, puts, deletes) {
      stats.commits++;
      let total = 0;
      const next = new Map(sizes);
      for (const u of deletes) next.delete(u);
      for (const c of puts) next.set(c.uuid, JSON.stringify(c).length);
      for (const v of next.values()) total += v;
      if (total > budgetBytes) throw new MissedCallsStorageError('saving missed calls failed', new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
      await inner.commit(o, puts, deletes);
      sizes.clear();
      for (const [k, v] of next) sizes.set(k, v);
    },
  };
  return { backend, stats };
}

describe('MissedCallsPersister with IndexedDB (fake-indexeddb)', () => {
  it('stores a full busy day (2,500 calls with long CRM fields) in a few transactions and reloads it intact', async () => {
    const db = await freshDb();
    const { backend, stats } = limited(db, Infinity);
    const st = memoryStorage();
    const p = new MissedCallsPersister(SATO, { backend, storage: st });
    expect(await p.open()).toEqual([]);
    const day = busyDay(2_500);
    // the store hands over the growing list on every change: 25 saves of 100 new calls each
    for (let k = 1; k <= 25; k++) p.save(day.slice(day.length - k * 100));
    await p.flushed();
    expect(stats.commits).toBeLessThan(25); // batched: saves during a commit ride on the next one
    expect(st.m.has(`${MISSED_JOURNAL_KEY}:${missedCallsOwnerId(SATO)}`)).toBe(false); // all committed

    const reloaded = await new MissedCallsPersister(SATO, { backend: db, storage: memoryStorage() }).open();
    expect(reloaded).toHaveLength(2_500);
    expect(reloaded).toEqual(day);
    // another owner on the same PC sees none of it
    expect(await new MissedCallsPersister(OFFICE, { backend: db, storage: memoryStorage() }).open()).toEqual([]);
  });

  it('writes only what changed: a removed entry is deleted, a Clear empties the owner’s list', async () => {
    const db = await freshDb();
    const p = new MissedCallsPersister(SATO, { backend: db, storage: memoryStorage() });
    await p.open();
    const day = busyDay(10);
    p.save(day);
    await p.flushed();
    p.save(day.slice(0, 7));
    await p.flushed();
    expect((await db.load(missedCallsOwnerId(SATO))).map((c) => c.uuid).sort()).toEqual(day.slice(0, 7).map((c) => c.uuid).sort());
    p.save([]);
    await p.flushed();
    expect(await db.load(missedCallsOwnerId(SATO))).toEqual([]);
  });

  it('a call marked as called back, a dismissed outage marker and an unmarked call are kept so across a reload (issue 11)', async () => {
    const db = await freshDb();
    const storage = memoryStorage();
    const p = new MissedCallsPersister(SATO, { backend: db, storage });
    await p.open();
    const marker = outageMarker(DAY0_US + 9 * 3600e6, DAY0_US + 9.1 * 3600e6)!;
    const day = addMissedCalls(busyDay(5), [marker]);
    p.save(day);
    await p.flushed();
    let commits = 0;
    const counting: MissedCallsBackend = { ...db, commit: (o, puts, dels) => (commits++, db.commit(o, puts, dels)) };
    const p2 = new MissedCallsPersister(SATO, { backend: counting, storage });
    const loaded = await p2.open();
    await p2.flushed();
    expect(commits).toBe(0); // loading writes nothing back
    const marked = withoutOutage(withCalledBack(withCalledBack(loaded, 'call-3', 1_700_000_000_000), 'call-1', 1_700_000_000_001), marker.uuid);
    p2.save(withCalledBack(marked, 'call-1', null));
    await p2.flushed();
    const after = await new MissedCallsPersister(SATO, { backend: db, storage }).open();
    expect(after.find((c) => c.uuid === 'call-3')?.calledBackAt).toBe(1_700_000_000_000);
    expect(after.find((c) => c.uuid === 'call-1')?.calledBackAt).toBeUndefined();
    expect(after.some((c) => c.uuid === marker.uuid)).toBe(false);
    expect(after).toHaveLength(5);
  });

  it('a "called back" mark made just before the page goes away (commit not done) is still there after the reload', async () => {
    const db = await freshDb();
    const storage = memoryStorage();
    const p = new MissedCallsPersister(SATO, { backend: db, storage });
    await p.open();
    const day = busyDay(3);
    p.save(day);
    await p.flushed();
    const stuck: MissedCallsBackend = { ...db, commit: () => new Promise<void>(() => {}) }; // never commits
    const p2 = new MissedCallsPersister(SATO, { backend: stuck, storage });
    p2.save(withCalledBack(await p2.open(), 'call-1', 1_700_000_000_000));
    const after = await new MissedCallsPersister(SATO, { backend: db, storage }).open();
    expect(after.find((c) => c.uuid === 'call-1')?.calledBackAt).toBe(1_700_000_000_000);
    expect(after).toHaveLength(3);
  });

  it('a storage quota error is reported (not swallowed), the oldest calls make room and the newest survive a reload', async () => {
    const db = await freshDb();
    const perCall = JSON.stringify(crmCall(0, DAY0_US)).length;
    const { backend } = limited(db, perCall * 1_000); // room for about 1,000 of the day's calls
    const events: PersisterEvent[] = [];
    const p = new MissedCallsPersister(SATO, { backend, storage: memoryStorage(), onEvent: (e) => events.push(e) });
    await p.open();
    const day = busyDay(2_500);
    p.save(day);
    await p.flushed();
    const drops = events.filter((e): e is Extract<PersisterEvent, { type: 'dropped' }> => e.type === 'dropped');
    expect(drops.length).toBeGreaterThan(0);
    const dropped = drops.flatMap((e) => e.calls);
    expect(drops.every((e) => e.reason === 'quota')).toBe(true);
    // the dropped ones are the oldest, never the newest
    const newest = day[0];
    expect(dropped.map((c) => c.uuid)).not.toContain(newest.uuid);
    const oldestKept = Math.min(...day.filter((c) => !dropped.includes(c)).map((c) => c.endedAtUs));
    expect(Math.max(...dropped.map((c) => c.endedAtUs))).toBeLessThan(oldestKept);

    const reloaded = await new MissedCallsPersister(SATO, { backend: db, storage: memoryStorage() }).open();
    expect(reloaded[0]).toEqual(newest);
    expect(reloaded.length).toBe(day.length - dropped.length);
    expect(reloaded.length).toBeGreaterThan(500);
  });

  it('a write failure that is not for space is reported, and the journal keeps the newest across a reload', async () => {
    const st = memoryStorage();
    const db = await freshDb();
    const broken: MissedCallsBackend = { ...db, commit: async () => { throw new MissedCallsStorageError('saving missed calls failed', new DOMException('disk I/O', 'UnknownError')); } };
    const events: PersisterEvent[] = [];
    const p = new MissedCallsPersister(SATO, { backend: broken, storage: st, onEvent: (e) => events.push(e) });
    await p.open();
    const day = busyDay(3);
    p.save(day);
    await p.flushed();
    expect(events).toContainEqual({ type: 'write-failed', reason: expect.stringContaining('UnknownError'), quota: false });
    // the next page (IndexedDB works again) gets the calls from the journal, and commits them
    const again = new MissedCallsPersister(SATO, { backend: db, storage: st });
    expect(await again.open()).toEqual(day);
    expect((await db.load(missedCallsOwnerId(SATO))).length).toBe(3);
    expect(st.m.has(`${MISSED_JOURNAL_KEY}:${missedCallsOwnerId(SATO)}`)).toBe(false);
  });

  it('a call saved just before the page goes away (commit not done) is still there after the reload', async () => {
    const st = memoryStorage();
    const db = await freshDb();
    let release!: () => void;
    const slow: MissedCallsBackend = { ...db, commit: (o, puts, dels) => new Promise<void>((r) => (release = r)).then(() => db.commit(o, puts, dels)) };
    const p = new MissedCallsPersister(SATO, { backend: slow, storage: st });
    await p.open();
    p.save(busyDay(1));
    // the page is gone before IndexedDB committed (release never called): the journal has it
    const next = await new MissedCallsPersister(SATO, { backend: db, storage: st }).open();
    expect(next.map((c) => c.uuid)).toEqual(['call-0']);
    release();
  });

  it('a journal too big for localStorage keeps the newest that fit', async () => {
    const st = memoryStorage();
    const small = { ...st, setItem: (k: string, v: string) => { if (v.length > 20_000) throw new DOMException('full', 'QuotaExceededError'); st.setItem(k, v); } };
    const p = new MissedCallsPersister(OFFICE, { backend: Promise.reject(new Error('no IndexedDB')), storage: small });
    await p.open();
    p.save(busyDay(100)); // ~2 KB each
    const back = await new MissedCallsPersister(OFFICE, { backend: Promise.reject(new Error('no IndexedDB')), storage: st }).open();
    expect(back.length).toBeGreaterThan(0);
    expect(back.length).toBeLessThan(100);
    expect(back[0].uuid).toBe('call-99');
  });

  it('without IndexedDB: says so, and keeps the newest in the journal', async () => {
    const st = memoryStorage();
    const events: PersisterEvent[] = [];
    const p = new MissedCallsPersister(OFFICE, { backend: Promise.reject(new MissedCallsStorageError('IndexedDB is not available', new Error('x'))), storage: st, onEvent: (e) => events.push(e) });
    expect(await p.open()).toEqual([]);
    expect(p.status).toBe('unavailable');
    expect(events[0]).toMatchObject({ type: 'unavailable' });
    p.save(busyDay(JOURNAL_MAX + 10));
    const back = await new MissedCallsPersister(OFFICE, { backend: Promise.reject(new Error('still none')), storage: st }).open();
    expect(back).toHaveLength(JOURNAL_MAX);
    expect(back[0].uuid).toBe(`call-${JOURNAL_MAX + 9}`);
  });

  it('moves the v1 localStorage lists (the user’s and the unkeyed one of an older console) into IndexedDB once', async () => {
    const st = memoryStorage();
    const db = await freshDb();
    const mine = busyDay(2);
    const marker = outageMarker(DAY0_US, DAY0_US + 60e6)!;
    st.m.set(missedCallsStorageKey(SATO), JSON.stringify([...mine, marker]));
    st.m.set(MISSED_CALLS_STORAGE_KEY, JSON.stringify([crmCall(99, DAY0_US + 5e6)]));
    const p = new MissedCallsPersister(SATO, { backend: db, storage: st });
    const list = await p.open();
    expect(list.map((c) => c.uuid)).toEqual(['call-1', 'call-0', marker.uuid, 'call-99']);
    await p.flushed();
    expect(st.m.has(missedCallsStorageKey(SATO))).toBe(false);
    expect(st.m.has(MISSED_CALLS_STORAGE_KEY)).toBe(false);
    expect((await db.load(missedCallsOwnerId(SATO))).length).toBe(4);
    // corrupt v1 values are dropped, not handed over
    st.m.set(MISSED_CALLS_STORAGE_KEY, '{not json');
    const office = new MissedCallsPersister(OFFICE, { backend: db, storage: st });
    expect(await office.open()).toEqual([]);
    await office.flushed();
    expect(st.m.has(MISSED_CALLS_STORAGE_KEY)).toBe(false);
  });

  it('destroy() removes the owner’s list everywhere (browser-wide list at log-out)', async () => {
    const st = memoryStorage();
    const db = await freshDb();
    const p = new MissedCallsPersister(OFFICE, { backend: db, storage: st });
    await p.open();
    p.save(busyDay(4));
    await p.destroy();
    expect(await db.load(missedCallsOwnerId(OFFICE))).toEqual([]);
    expect([...st.m.keys()].filter((k) => k.includes(missedCallsOwnerId(OFFICE)))).toEqual([]);
    expect(await new MissedCallsPersister(OFFICE, { backend: db, storage: st }).open()).toEqual([]);
  });
});
