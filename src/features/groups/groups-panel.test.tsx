// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { GroupsPanel } from './groups-panel.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';

afterEach(cleanup);

const groups = mapOf([{ id: 20, label: 'サポート', type: 0 }], (g) => g.id);
const waiting = mapOf(
  [channel('w1', 30, { state: { ts: (Date.now() - 30_000) * 1000, name: 'calling', data: { target_type: 'group', group_type: 'ring', group_id: 20 } } } as never)],
  (c) => c.uuid,
);

describe('GroupsPanel', () => {
  it('shows the queue length in the full view', () => {
    seedStore({ session: { username: 'operator', userId: 900, isAdmin: true }, group: groups, channel_waiting: waiting });
    render(<GroupsPanel />);
    const region = screen.getByRole('region', { name: 'Groups' });
    const row = within(region).getAllByRole('row')[1]!;
    expect(within(row).getAllByRole('cell')[3]!.textContent).toBe('1');
    expect(region.textContent).not.toContain('Limited view');
  });

  it('the queue counts are marked STALE with the rest while not live (issue 11)', () => {
    seedStore({ session: { username: 'operator', userId: 900, isAdmin: true }, group: groups, channel_waiting: waiting });
    useConsoleStore.setState((s) => ({ connection: { ...s.connection, status: 'reconnecting', lastUpdateAt: Date.now() - 60_000 } }));
    render(<GroupsPanel />);
    const region = screen.getByRole('region', { name: 'Groups' });
    expect(region.getAttribute('data-stale')).toBe('true');
    expect(region.textContent).toContain('STALE');
  });

  it('a login_status outside our mapping is unknown: no "nobody logged in" warning, and it says so', () => {
    seedStore({
      session: { username: 'operator', userId: 900, isAdmin: true },
      group: groups,
      user: mapOf([{ id: 7, name: 'u7' }], (u) => u.id),
      group_member: mapOf([{ id: 1, group_id: 20, user_id: 7, login_status: 4 }], (m) => m.id),
    });
    render(<GroupsPanel />);
    const row = within(screen.getByRole('region', { name: 'Groups' })).getAllByRole('row')[1]!;
    const members = within(row).getAllByRole('cell')[2]!;
    expect(members.textContent).not.toContain('⚠');
    expect(members.textContent).toContain('1 with an unknown login status');
  });

  it('limited view: the queue length is unknown ("—"), not 0, and the panel says why', () => {
    // a plain user's login gets no other callers: nothing waiting in the store, yet the PBX may have a queue
    seedStore({ session: { username: 'user1', userId: 1001, isAdmin: false }, group: groups });
    render(<GroupsPanel />);
    const region = screen.getByRole('region', { name: 'Groups' });
    const row = within(region).getAllByRole('row')[1]!;
    const queue = within(row).getAllByRole('cell')[3]!;
    expect(queue.textContent).not.toContain('0');
    expect(queue.textContent).toContain('—');
    expect(queue.textContent).toContain('Not visible with your account');
    expect(region.textContent).toContain('Limited view: only your own calls are shown here.');
  });
});
