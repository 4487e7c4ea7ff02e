// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import { useSettings } from '../settings/settings-store.ts';
import { RingingPanel } from './ringing-panel.tsx';
import { useRingNotifications } from './use-ring-notifications.ts';
import type { Channel } from '../../stores/cti-types.ts';

/** A fake browser Notification (permission granted) recording what the console shows. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static requestPermission = vi.fn(async () => FakeNotification.permission);
  static shown: FakeNotification[] = [];
  onclick: ((ev: Event) => unknown) | null = null;
  closed = false;
  constructor(
    readonly title: string,
    readonly options: { body?: string; tag?: string; lang?: string } = {},
  ) {
    FakeNotification.shown.push(this);
  }
  close() {
    this.closed = true;
  }
}

const GROUP = 10001111;
const ringing = (uuid: string) =>
  channel(uuid, 3, {
    calling_name: '',
    state: { ts: Date.now() * 1000, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: GROUP } },
    end_user: { count: 1, items: [{ id: '1', name: '木村 様', organization: '株式会社サンプル', avatar: '', prefecture: '' }] },
  });
const live = (snapshotConnectionId: number) => ({ ...useConsoleStore.getState().connection, status: 'live' as const, snapshotConnectionId });
function setCalls(uuids: string[], snapshotConnectionId = 1) {
  act(() => useConsoleStore.setState({ channel: mapOf(uuids.map(ringing), (c) => c.uuid), connection: live(snapshotConnectionId) }));
}

let visibility: DocumentVisibilityState = 'hidden';
beforeEach(() => {
  FakeNotification.shown = [];
  FakeNotification.permission = 'granted';
  vi.stubGlobal('Notification', FakeNotification);
  visibility = 'hidden';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  seedStore({
    group: mapOf([{ id: GROUP, label: '代表', type: 0 }], (g) => g.id),
    user: mapOf([{ id: 7, name: 'u7', label: '受付', presence: 0 }], (u) => u.id),
    group_member: mapOf([{ id: 1, group_id: GROUP, user_id: 7, login_status: 1 }], (m) => m.id),
    channel: mapOf([ringing('at-load')], (c) => c.uuid),
    connection: live(1),
  });
  act(() => useSettings.getState().update({ notify: true }));
});
afterEach(() => {
  cleanup();
  act(() => useSettings.getState().reset());
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('desktop notification of a new ringing call', () => {
  it('one per new call while the tab is hidden, with the caller, number, company and target as text; none for calls ringing at load', () => {
    render(<RingingPanel onOpenCall={() => {}} />);
    expect(FakeNotification.shown).toHaveLength(0);
    setCalls(['at-load', 'new-1']);
    setCalls(['at-load', 'new-1']);
    expect(FakeNotification.shown).toHaveLength(1);
    const [n] = FakeNotification.shown;
    expect(n.title).toBe('Incoming call: 木村 様');
    expect(n.options.body).toBe('03-1234-5678\n株式会社サンプル\n→ Group 代表');
    expect(n.options.tag).toBe('basix-call-new-1');
    // clicking it brings the console to the front
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => {});
    n.onclick!(new Event('click'));
    expect(focus).toHaveBeenCalledTimes(1);
    expect(n.closed).toBe(true);
  });

  it('none while visible, none when off, none for the calls of a reconnect’s snapshot', () => {
    render(<RingingPanel onOpenCall={() => {}} />);
    visibility = 'visible';
    setCalls(['at-load', 'seen-while-visible']);
    visibility = 'hidden';
    act(() => useSettings.getState().update({ notify: false }));
    setCalls(['at-load', 'seen-while-visible', 'while-off']);
    act(() => useSettings.getState().update({ notify: true }));
    act(() => useConsoleStore.setState({ connection: { ...useConsoleStore.getState().connection, status: 'reconnecting' } }));
    setCalls(['at-load', 'seen-while-visible', 'while-off', 'in-new-snapshot'], 2);
    expect(FakeNotification.shown).toHaveLength(0);
    setCalls(['at-load', 'in-new-snapshot', 'after-reconnect'], 2);
    expect(FakeNotification.shown.map((n) => n.options.tag)).toEqual(['basix-call-after-reconnect']);
  });

  it('never for a parked call ringing back (RINGING_PARK), even passed in with the ringing calls', () => {
    function Probe({ calls }: { calls: Channel[] }) {
      useRingNotifications(calls);
      return null;
    }
    const atLoad = ringing('at-load');
    const { rerender } = render(<Probe calls={[atLoad]} />);
    const rb = { ...ringing('rb-1'), called_number: 'RINGING_PARK905' };
    rerender(<Probe calls={[atLoad, rb]} />);
    expect(FakeNotification.shown).toHaveLength(0);
    rerender(<Probe calls={[atLoad, rb, ringing('new-2')]} />);
    expect(FakeNotification.shown.map((n) => n.options.tag)).toEqual(['basix-call-new-2']);
  });
});
