import { describe, expect, it, vi } from 'vitest';
import {
  RingNotifier,
  notificationState,
  requestNotificationPermission,
  type NotificationCtorLike,
  type NotificationEnv,
  type NotificationLike,
} from './notifications.ts';

/** A fake `Notification`: records what was shown, permission settable, requestPermission answers `answer`. */
function fakeNotification(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const shown: Array<{ title: string; options?: { body?: string; tag?: string; lang?: string }; n: FakeN }> = [];
  class FakeN implements NotificationLike {
    static permission: NotificationPermission = permission;
    static requestPermission = vi.fn(async () => {
      FakeN.permission = answer;
      return answer;
    });
    onclick: NotificationLike['onclick'] = null;
    closed = false;
    constructor(title: string, options?: { body?: string; tag?: string; lang?: string }) {
      shown.push({ title, options, n: this });
    }
    close() {
      this.closed = true;
    }
  }
  return { N: FakeN as unknown as NotificationCtorLike & typeof FakeN, shown };
}

function env(N: NotificationCtorLike | undefined, hidden = true) {
  const e = { Notification: N, hidden, focused: 0 };
  const out: NotificationEnv & { hidden: boolean; focused: number } = Object.assign(e, {
    isHidden: () => e.hidden,
    focusWindow: () => void e.focused++,
  });
  return out;
}

const note = (uuid: string) => ({ title: `Incoming call: caller ${uuid}`, body: `03-1234-5678\n→ Group 代表`, lang: 'en' });

describe('RingNotifier', () => {
  it('notifies once per new call while hidden, with the caller as text; never for calls in the page’s first snapshot', () => {
    const { N, shown } = fakeNotification('granted');
    const r = new RingNotifier(env(N));
    expect(r.update(['a', 'b'], 1, true, note)).toEqual([]); // already ringing at load
    expect(r.update(['a', 'b', 'c'], 1, true, note)).toEqual(['c']);
    expect(r.update(['a', 'b', 'c'], 1, true, note)).toEqual([]); // same list again: no repeat
    expect(r.update(['c', 'd', 'e'], 1, true, note)).toEqual(['d', 'e']);
    expect(shown.map((s) => s.title)).toEqual(['Incoming call: caller c', 'Incoming call: caller d', 'Incoming call: caller e']);
    expect(shown[0].options).toEqual({ body: '03-1234-5678\n→ Group 代表', tag: 'basix-call-c', lang: 'en' });
  });

  it('takes the calls of a reconnect’s fresh snapshot as already ringing, and decides nothing while not live', () => {
    const { N, shown } = fakeNotification('granted');
    const r = new RingNotifier(env(N));
    r.update(['a'], 1, true, note);
    expect(r.update(['a', 'b'], null, true, note)).toEqual([]); // reconnecting: stale list
    expect(r.update(['a', 'b', 'c'], 2, true, note)).toEqual([]); // the new snapshot
    expect(r.update(['a', 'b', 'c', 'd'], 2, true, note)).toEqual(['d']);
    expect(shown).toHaveLength(1);
  });

  it('shows nothing while the tab is visible, disabled, or not permitted — and those calls are not notified later', () => {
    const { N, shown } = fakeNotification('default');
    const e = env(N, false);
    const r = new RingNotifier(e);
    r.update([], 1, true, note);
    expect(r.update(['visible'], 1, true, note)).toEqual([]);
    e.hidden = true;
    expect(r.update(['visible', 'no-permission'], 1, true, note)).toEqual([]);
    (N as unknown as { permission: NotificationPermission }).permission = 'granted';
    expect(r.update(['visible', 'no-permission', 'off'], 1, false, note)).toEqual([]);
    expect(r.update(['visible', 'no-permission', 'off', 'new'], 1, true, note)).toEqual(['new']);
    expect(shown.map((s) => s.options?.tag)).toEqual(['basix-call-new']);
  });

  it('clicking a notification focuses the console and closes it; it closes by itself when the call stops ringing', () => {
    const { N, shown } = fakeNotification('granted');
    const e = env(N);
    const r = new RingNotifier(e);
    r.update([], 1, true, note);
    r.update(['a', 'b'], 1, true, note);
    const [a, b] = shown.map((s) => s.n);
    a.onclick!.call(a, new Event('click'));
    expect(e.focused).toBe(1);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
    r.update(['a'], 1, true, note); // b answered / gone
    expect(b.closed).toBe(true);
    r.update(['a', 'b'], 1, true, note); // the same call ringing again is not a new call
    expect(shown).toHaveLength(2);
  });

  it('does nothing without a Notification, and survives a constructor that throws', () => {
    const r = new RingNotifier(env(undefined));
    r.update([], 1, true, note);
    expect(r.update(['a'], 1, true, note)).toEqual([]);
    const Throwing = class {
      static permission: NotificationPermission = 'granted';
      static requestPermission = async () => 'granted' as NotificationPermission;
      constructor() {
        throw new TypeError('Illegal constructor');
      }
    } as unknown as NotificationCtorLike;
    const r2 = new RingNotifier(env(Throwing));
    r2.update([], 1, true, note);
    expect(r2.update(['a'], 1, true, note)).toEqual([]);
  });
});

describe('permission', () => {
  it('asks only when not answered yet, and reports unsupported browsers', async () => {
    const { N } = fakeNotification('default', 'granted');
    expect(notificationState(env(N))).toBe('default');
    expect(await requestNotificationPermission(env(N))).toBe('granted');
    expect(N.requestPermission).toHaveBeenCalledTimes(1);
    expect(await requestNotificationPermission(env(N))).toBe('granted');
    expect(N.requestPermission).toHaveBeenCalledTimes(1);
    const denied = fakeNotification('denied');
    expect(await requestNotificationPermission(env(denied.N))).toBe('denied');
    expect(denied.N.requestPermission).not.toHaveBeenCalled();
    expect(notificationState(env(undefined))).toBe('unsupported');
    expect(await requestNotificationPermission(env(undefined))).toBe('unsupported');
  });
});
