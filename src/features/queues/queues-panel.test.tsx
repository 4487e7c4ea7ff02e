// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { useSettings } from '../settings/settings-store.ts';
import { QueuesPanel, waitLevel } from './queues-panel.tsx';

afterEach(cleanup);

/** A caller waiting `ago` s in ring group 20's queue. */
const waiting = (uuid: string, ago: number) =>
  channel(uuid, ago, { state: { ts: (Date.now() - ago * 1000) * 1000, name: 'calling', data: { target_type: 'group', group_type: 'ring', group_id: 20 } } } as never);

/** Group 20 (サポート) with seven callers waiting, the longest 100 s. */
function seedSevenWaiting(): void {
  seedStore({
    group: mapOf([{ id: 20, label: 'サポート', type: 0 }], (g) => g.id),
    channel_waiting: mapOf(Array.from({ length: 7 }, (_, i) => waiting(`w${i}`, 100 - i)), (c) => c.uuid),
  });
}

describe('waitLevel', () => {
  it('classifies against amber and red thresholds', () => {
    expect(waitLevel(29, 30, 90)).toBe('ok');
    expect(waitLevel(30, 30, 90)).toBe('amber');
    expect(waitLevel(90, 30, 90)).toBe('red');
  });
});

describe('QueuesPanel', () => {
  it('lists waiting callers in order with position and marks long waits with text', () => {
    useSettings.setState({ queueAmberSec: 30, queueRedSec: 90 });
    const waiting = (uuid: string, ago: number, number: string) =>
      channel(uuid, ago, {
        calling_number: number,
        calling_name: number,
        state: { ts: (Date.now() - ago * 1000) * 1000, name: 'calling', data: { target_type: 'group', group_type: 'ring', group_id: 20 } },
      } as never);
    seedStore({
      group: mapOf([{ id: 20, label: 'グループ・サポート', type: 0 }, { id: 21, label: '受付', type: 1 }], (g) => g.id),
      channel_waiting: mapOf([waiting('w1', 120, '0312340001'), waiting('w2', 40, '0312340002'), waiting('w3', 5, '0312340003')], (c) => c.uuid),
    });
    render(<QueuesPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Queues' });
    const group = within(region).getByRole('region', { name: 'グループ・サポート' });
    expect(group.textContent).toContain('3 waiting');
    expect(group.textContent).toMatch(/Longest wait 2:0\d/);
    const items = within(group).getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.match(/03-1234-000\d/)?.[0])).toEqual(['03-1234-0001', '03-1234-0002', '03-1234-0003']);
    expect(items[0].textContent).toContain('Position 1');
    expect(items[0].textContent).toContain('(very long wait)');
    expect(items[1].textContent).toContain('(long wait)');
    expect(items[2].textContent).not.toContain('long wait');
    // an idle group is listed compactly
    expect(region.textContent).toContain('受付');
  });

  it('orders the groups so the longest wait comes first, not by group id (issue 11)', () => {
    const inGroup = (uuid: string, ago: number, gid: number) =>
      channel(uuid, ago, { state: { ts: (Date.now() - ago * 1000) * 1000, name: 'calling', data: { target_type: 'group', group_type: 'ring', group_id: gid } } } as never);
    seedStore({
      group: mapOf([{ id: 20, label: '営業', type: 0 }, { id: 21, label: '受付', type: 0 }, { id: 22, label: '経理', type: 0 }], (g) => g.id),
      channel_waiting: mapOf([inGroup('a', 10, 20), inGroup('b', 300, 21), inGroup('c', 60, 22), inGroup('d', 5, 22)], (c) => c.uuid),
    });
    render(<QueuesPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Queues' });
    const names = within(region).getAllByRole('region').map((r) => ['営業', '受付', '経理'].find((g) => r.textContent?.startsWith(g)));
    expect(names).toEqual(['受付', '経理', '営業']);
  });

  it('says when nobody waits', () => {
    seedStore({ group: mapOf([{ id: 21, label: '受付', type: 1 }], (g) => g.id) });
    render(<QueuesPanel onOpenCall={() => {}} />);
    expect(screen.getByRole('region', { name: 'Queues' }).textContent).toContain('No callers waiting');
  });

  it('limited view: an idle-looking group shows its count as unknown, not 0', () => {
    seedStore({ session: { username: 'user1', userId: 1001, isAdmin: false }, group: mapOf([{ id: 21, label: '受付', type: 1 }], (g) => g.id) });
    render(<QueuesPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Queues' });
    const chip = within(region).getAllByRole('listitem').find((li) => li.textContent?.includes('受付'))!;
    expect(chip.textContent).not.toMatch(/\b0\b/);
    expect(chip.textContent).toContain('—');
    expect(chip.textContent).toContain('Not visible with your account');
    expect(region.textContent).toContain('Limited view');
  });

  it('full view: an idle group shows 0', () => {
    seedStore({ session: { username: 'operator', userId: 900, isAdmin: true }, group: mapOf([{ id: 21, label: '受付', type: 1 }], (g) => g.id) });
    render(<QueuesPanel onOpenCall={() => {}} />);
    const chip = within(screen.getByRole('region', { name: 'Queues' })).getAllByRole('listitem').find((li) => li.textContent?.includes('受付'))!;
    expect(chip.textContent).toMatch(/受付\s*0$/);
  });

  it('renders the first callers of a long queue, with "Show more" for the rest', () => {
    seedSevenWaiting();
    render(<QueuesPanel onOpenCall={() => {}} />);
    const group = within(screen.getByRole('region', { name: 'Queues' })).getByRole('region', { name: 'サポート' });
    expect(group.textContent).toContain('7 waiting');
    expect(within(group).getAllByRole('listitem')).toHaveLength(5);
    fireEvent.click(within(group).getByRole('button', { name: 'Show more (2 more not shown)' }));
    expect(within(group).getAllByRole('listitem')).toHaveLength(7);
  });

  it('the waiting callers of all queues are one tab stop; ↑/↓/Home/End move across groups; a caller keeps its name and opens the call', () => {
    const waiting = (uuid: string, ago: number, group: number) =>
      channel(uuid, ago, {
        calling_number: `03123400${uuid.slice(1)}`,
        calling_name: `03123400${uuid.slice(1)}`,
        state: { ts: (Date.now() - ago * 1000) * 1000, name: 'calling', data: { target_type: 'group', group_type: 'ring', group_id: group } },
      } as never);
    seedStore({
      group: mapOf([{ id: 20, label: 'サポート', type: 0 }, { id: 21, label: '受付', type: 1 }], (g) => g.id),
      channel_waiting: mapOf([waiting('w11', 50, 20), waiting('w12', 40, 20), waiting('w21', 30, 21), waiting('w22', 20, 21)], (c) => c.uuid),
    });
    const onOpen = vi.fn();
    render(<QueuesPanel onOpenCall={onOpen} />);
    const region = screen.getByRole('region', { name: 'Queues' });
    const callers = () => within(region).getAllByRole('button', { name: /Position/ });
    expect(callers()).toHaveLength(4);
    expect(callers().map((b) => b.tabIndex)).toEqual([0, -1, -1, -1]);
    expect(callers()[0]!.textContent).toContain('Position 1');
    expect(callers()[0]!.textContent).toContain('03-1234-0011');
    callers()[0]!.focus();
    fireEvent.keyDown(callers()[0]!, { key: 'ArrowDown' });
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' }); // into the next group
    expect(document.activeElement).toBe(callers()[2]);
    expect(callers().map((b) => b.tabIndex)).toEqual([-1, -1, 0, -1]);
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(callers()[3]);
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement).toBe(callers()[0]);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' }); // at the top: stays
    expect(document.activeElement).toBe(callers()[0]);
    fireEvent.click(document.activeElement!); // Enter on a button clicks it
    expect(onOpen).toHaveBeenCalledWith('w11');
  });

  it('callers behind "Show more" join the one tab stop once shown', () => {
    seedSevenWaiting();
    render(<QueuesPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Queues' });
    const callers = () => within(region).getAllByRole('button', { name: /Position/ });
    fireEvent.click(within(region).getByRole('button', { name: 'Show more (2 more not shown)' }));
    expect(callers()).toHaveLength(7);
    expect(callers().filter((b) => b.tabIndex === 0)).toHaveLength(1);
    callers()[0]!.focus();
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(document.activeElement).toBe(callers()[6]);
  });
});
