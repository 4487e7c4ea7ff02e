// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { RingingPanel } from './ringing-panel.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import { useSettings } from '../settings/settings-store.ts';
import { beep } from './ring-sound.ts';

vi.mock('./ring-sound.ts', () => ({ beep: vi.fn() }));

afterEach(cleanup);

describe('RingingPanel', () => {
  it('shows an empty state', () => {
    seedStore();
    render(<RingingPanel onOpenCall={() => {}} />);
    expect(screen.getByRole('region', { name: 'Ringing calls' }).textContent).toContain('No calls ringing');
  });

  it('lists calling inbound calls with formatted number, CRM data and target; arrows move focus', () => {
    seedStore({
      group: mapOf([{ id: 10001111, label: 'グループ・営業', type: 0 }], (g) => g.id),
      // someone free in the group, so its calls ring (a group with nobody free queues them)
      user: mapOf([{ id: 7, name: 'u7', label: '受付', presence: 0 }], (u) => u.id),
      group_member: mapOf([{ id: 1, group_id: 10001111, user_id: 7, login_status: 1 }], (m) => m.id),
      channel: mapOf(
        [
          channel('a', 30, {
            state: { ts: (Date.now() - 30_000) * 1000, name: 'calling', data: { target_location: 'int', target_type: 'group', group_type: 'ring', group_id: 10001111 } },
            end_user: { count: 1, items: [{ id: '1', name: '木村 様', organization: '株式会社サンプル', avatar: 'javascript:alert(1)', prefecture: '東京都' }] },
          }),
          channel('b', 5, { state: { ts: (Date.now() - 5_000) * 1000, name: 'calling', data: { target_type: 'user', user_id: 7 } }, calling_number: '09012345678', calling_name: 'ヤマダ', end_user: { count: 2, items: [{ id: '2', name: 'A', organization: 'X', avatar: '', prefecture: '' }, { id: '3', name: 'B', organization: 'Y', avatar: '', prefecture: '' }] } }),
          channel('c', 1, { direction: 'outbound' }),
        ],
        (c) => c.uuid,
      ),
    });
    const onOpen = vi.fn();
    render(<RingingPanel onOpenCall={onOpen} />);
    const region = screen.getByRole('region', { name: 'Ringing calls' });
    const items = within(region).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0].textContent).toContain('木村 様');
    expect(items[0].textContent).toContain('03-1234-5678');
    expect(items[0].textContent).toContain('株式会社サンプル');
    expect(items[0].textContent).toContain('Group グループ・営業');
    expect(items[0].textContent).toMatch(/0:3\d/);
    expect(items[1].textContent).toContain('090-1234-5678');
    expect(items[1].textContent).toContain('2 CRM matches');
    // unsafe avatar never reaches the DOM
    for (const img of region.querySelectorAll('img')) expect(img.getAttribute('src')).not.toMatch(/^javascript:/i);

    const buttons = within(region).getAllByRole('button');
    buttons[0].focus();
    fireEvent.keyDown(buttons[0], { key: 'ArrowDown' });
    expect(document.activeElement).toBe(buttons[1]);
    fireEvent.keyDown(buttons[1], { key: 'ArrowUp' });
    expect(document.activeElement).toBe(buttons[0]);
    // one tab stop: the call last moved to
    fireEvent.keyDown(buttons[0], { key: 'End' });
    expect(document.activeElement).toBe(buttons[1]);
    expect(buttons.map((b) => b.tabIndex)).toEqual([-1, 0]);
    fireEvent.click(buttons[1]);
    expect(onOpen).toHaveBeenCalledWith('b');
  });

  it('renders the oldest calls only, with "Show more" for the rest', () => {
    seedStore({ user: mapOf([{ id: 7, name: 'u7', label: '受付', presence: 0 }], (u) => u.id),
      channel: mapOf(Array.from({ length: 30 }, (_, i) => channel(`c${i}`, 100 - i, { state: { ts: (Date.now() - (100 - i) * 1000) * 1000, name: 'calling', data: { target_type: 'user', user_id: 7 } } })), (c) => c.uuid),
    });
    render(<RingingPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Ringing calls' });
    expect(within(region).getAllByRole('listitem')).toHaveLength(25);
    expect(region.querySelector('button[data-call]')?.getAttribute('data-call')).toBe('c0');
    fireEvent.click(within(region).getByRole('button', { name: 'Show more (5 more not shown)' }));
    expect(within(region).getAllByRole('listitem')).toHaveLength(30);
    expect(within(region).queryByRole('button', { name: /Show more/ })).toBeNull();
  });

  it('tags a parked call ringing back with its slot and whom it rings, and does not beep for it as for a new call', () => {
    const ring = (uuid: string, ago: number) =>
      channel(uuid, ago, { state: { ts: (Date.now() - ago * 1000) * 1000, name: 'calling', data: { target_type: 'user', user_id: 7 } } });
    const ringBack = channel('rb', 3, { called_number: 'RINGING_PARK905', state: { ts: (Date.now() - 3000) * 1000, name: 'ringing', data: {} }, user_id: 7 });
    act(() => useSettings.setState({ sound: true }));
    vi.mocked(beep).mockClear();
    seedStore({ user: mapOf([{ id: 7, name: 'u7', label: '受付 花子', presence: 0 }], (u) => u.id), channel: mapOf([ring('a', 30)], (c) => c.uuid) });
    render(<RingingPanel onOpenCall={() => {}} />);
    act(() => useConsoleStore.setState({ channel: mapOf([ring('a', 30), ringBack], (c) => c.uuid) }));
    const region = screen.getByRole('region', { name: 'Ringing calls' });
    const item = region.querySelector('button[data-call="rb"]')!;
    expect(item.textContent).toContain('Park ring-back from 905');
    expect(item.textContent).toContain('rings 受付 花子');
    expect(item.textContent).not.toContain('RINGING_PARK');
    expect(beep).not.toHaveBeenCalled();
    act(() => useConsoleStore.setState({ channel: mapOf([ring('a', 30), ringBack, ring('n', 1)], (c) => c.uuid) }));
    expect(beep).toHaveBeenCalledTimes(1); // a new inbound call still beeps
  });

  it("lists a ring-back once, as the caller's channel, when the marker is on the parker's leg", () => {
    const root = channel('root', 2, { state: { ts: (Date.now() - 2000) * 1000, name: 'calling', data: { target_type: 'user', user_id: 7 } } });
    const leg = channel('leg', 2, { direction: 'outbound', user_id: 7, other_uuid: 'root', called_number: 'RINGING_PARK_904', state: { ts: (Date.now() - 2000) * 1000, name: 'ringing', data: {} } });
    act(() => useSettings.setState({ sound: true }));
    vi.mocked(beep).mockClear();
    seedStore({ user: mapOf([{ id: 7, name: 'u7', label: '受付 花子', presence: 0 }], (u) => u.id) });
    render(<RingingPanel onOpenCall={() => {}} />);
    act(() => useConsoleStore.setState({ channel: mapOf([root, leg], (c) => c.uuid) }));
    const items = within(screen.getByRole('region', { name: 'Ringing calls' })).getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0].querySelector('button')!.getAttribute('data-call')).toBe('root');
    expect(items[0].textContent).toContain('Park ring-back from 904');
    expect(beep).not.toHaveBeenCalled();
  });

  it('keeps keyboard focus in the list when the focused call stops ringing (answered elsewhere)', () => {
    const ring = (uuid: string, ago: number) =>
      channel(uuid, ago, { state: { ts: (Date.now() - ago * 1000) * 1000, name: 'calling', data: { target_type: 'user', user_id: 7 } } });
    seedStore({
      user: mapOf([{ id: 7, name: 'u7', label: '受付', presence: 0 }], (u) => u.id),
      channel: mapOf([ring('a', 30), ring('b', 20), ring('c', 10)], (c) => c.uuid),
    });
    render(<RingingPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Ringing calls' });
    const button = (uuid: string) => region.querySelector<HTMLButtonElement>(`button[data-call="${uuid}"]`)!;
    button('a').focus();
    fireEvent.keyDown(button('a'), { key: 'ArrowDown' });
    expect(document.activeElement).toBe(button('b'));
    act(() => useConsoleStore.setState({ channel: mapOf([ring('a', 30), ring('c', 10)], (c) => c.uuid) }));
    expect(document.activeElement).toBe(button('c')); // the call now in its place
    expect(button('c').tabIndex).toBe(0);
    // focus that the user moved elsewhere is left alone
    const outside = document.createElement('button');
    document.body.append(outside);
    outside.focus();
    act(() => useConsoleStore.setState({ channel: mapOf([ring('a', 30)], (c) => c.uuid) }));
    expect(document.activeElement).toBe(outside);
    outside.remove();
  });
});
