// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { ParkPanel, ParkSlotButton } from './park-panel.tsx';
import { selectParkSlots } from '../../stores/selectors.ts';
import { useConsoleStore } from '../../stores/console-store.ts';
import { useSettings } from '../settings/settings-store.ts';

afterEach(cleanup);

function parked(uuid: string, slot: number, agoSec: number, parker: string) {
  const ch = channel(uuid, agoSec, { calling_number: '0612345678', calling_name: '0612345678' });
  ch.state = { ts: (Date.now() - agoSec * 1000) * 1000, name: 'park', data: { slot, parker_id: 10001001, parker_name: parker } } as Channel['state'];
  return ch;
}
type Channel = ReturnType<typeof channel>;

describe('ParkPanel', () => {
  it('names every slot exactly "Park slot N" and puts the state in the description', () => {
    seedStore({
      domain: mapOf([{ id: 1, park_slot_start: 901, park_slot_end: 905 }], (d) => d.id),
      channel: mapOf([parked('p1', 903, 20, '佐藤 花子')], (c) => c.uuid),
    });
    const onOpen = vi.fn();
    render(<ParkPanel onOpenCall={onOpen} />);
    const region = screen.getByRole('region', { name: 'Park slots' });
    const buttons = within(region).getAllByRole('button');
    // park group 0 (901–903), the shared 997–999, and the optional domain range a PBX may send
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([901, 902, 903, 904, 905, 997, 998, 999].map((n) => `Park slot ${n}`));

    const occupied = screen.getByRole('button', { name: 'Park slot 903' });
    const desc = document.getElementById(occupied.getAttribute('aria-describedby')!)!;
    expect(desc.textContent).toContain('06-1234-5678');
    expect(desc.textContent).toContain('Parked by 佐藤 花子');
    expect(desc.textContent).not.toContain('Waiting too long');

    const free = screen.getByRole('button', { name: 'Park slot 901' });
    expect(document.getElementById(free.getAttribute('aria-describedby')!)!.textContent).toBe('Free');
    expect(free.getAttribute('aria-disabled')).toBe('true');

    fireEvent.click(occupied);
    expect(onOpen).toHaveBeenCalledWith('p1');
    fireEvent.click(free);
    expect(onOpen).toHaveBeenCalledTimes(1);
  });

  it('in limited view never calls a slot Free (another user may have a call there) and says why above the grid', () => {
    seedStore({ session: { username: 'user1', userId: 1001, isAdmin: false }, channel: mapOf([parked('p1', 903, 20, 'user1')], (c) => c.uuid) });
    render(<ParkPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Park slots' });
    const free = screen.getByRole('button', { name: 'Park slot 901' });
    const desc = document.getElementById(free.getAttribute('aria-describedby')!)!;
    expect(desc.textContent).toBe('—Not visible with your account');
    expect(free.textContent).not.toContain('Free');
    // our own parked call is still shown as it is
    expect(document.getElementById(screen.getByRole('button', { name: 'Park slot 903' }).getAttribute('aria-describedby')!)!.textContent).toContain('Parked by user1');
    expect(within(region).getByText(/Limited view: only your own calls/)).toBeTruthy();
    // the count says whose calls it counts, never "1/10 occupied"
    expect(region.textContent).toContain('1 of your calls parked');
    expect(region.textContent).not.toMatch(/\d+\/\d+ occupied/);
  });

  it("names the parker by the user's label when the user is known (the PBX's parker_name is a login name)", () => {
    seedStore({
      user: mapOf([{ id: 10001001, name: 'user3', label: '受付 花子' }], (u) => u.id),
      channel: mapOf([parked('p1', 903, 20, 'user3')], (c) => c.uuid),
    });
    render(<ParkPanel onOpenCall={() => {}} />);
    const desc = document.getElementById(screen.getByRole('button', { name: 'Park slot 903' }).getAttribute('aria-describedby')!)!;
    expect(desc.textContent).toContain('Parked by 受付 花子');
    expect(desc.textContent).not.toContain('user3');
  });

  it('warns (text, not only colour) when a call is parked longer than the setting', () => {
    useSettings.setState({ parkWarnSec: 60 });
    seedStore({ channel: mapOf([parked('p2', 905, 120, 'x')], (c) => c.uuid) });
    render(<ParkPanel onOpenCall={() => {}} />);
    const b = screen.getByRole('button', { name: 'Park slot 905' });
    expect(b.getAttribute('data-warning')).toBe('true');
    expect(b.textContent).toContain('Waiting too long');
    // without a known own user: park group 0's slots, 997–999 and the occupied 905
    expect(screen.getAllByRole('button', { name: /^Park slot \d+$/ }).map((b) => b.getAttribute('aria-label'))).toEqual(
      [901, 902, 903, 905, 997, 998, 999].map((n) => `Park slot ${n}`),
    );
  });

  it('is marked STALE with the last update time when not live', () => {
    seedStore();
    const at = new Date(2026, 0, 1, 14, 2, 11).getTime();
    useConsoleStore.setState({ connection: { ...useConsoleStore.getState().connection, status: 'reconnecting', lastUpdateAt: at } });
    render(<ParkPanel onOpenCall={() => {}} />);
    expect(screen.getByRole('region', { name: 'Park slots' }).textContent).toContain('Not live — last update 14:02:11');
  });

  it('is one tab stop: arrow keys move in rows and columns, Home/End in the row, Ctrl+Home/End to the ends', () => {
    seedStore({
      domain: mapOf([{ id: 1, park_slot_start: 901, park_slot_end: 910 }], (d) => d.id),
      channel: mapOf([parked('p1', 906, 20, '佐藤 花子')], (c) => c.uuid),
    });
    render(<ParkPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Park slots' });
    const buttons = within(region).getAllByRole('button');
    // lay the slots out as the CSS grid would in a narrow panel: rows of 4
    buttons.forEach((b, i) => {
      b.getBoundingClientRect = () => ({ top: Math.floor(i / 4) * 50, left: (i % 4) * 100, height: 48, width: 96, bottom: 0, right: 0, x: 0, y: 0, toJSON: () => ({}) });
    });
    const slot = (n: number) => screen.getByRole('button', { name: `Park slot ${n}` });
    const tabStops = () => buttons.filter((b) => b.tabIndex === 0).map((b) => b.getAttribute('aria-label'));
    expect(tabStops()).toEqual(['Park slot 901']);
    expect(region.querySelector('ul')!.getAttribute('aria-describedby')).toBeTruthy();

    slot(901).focus();
    const key = (k: string, opts: object = {}) => fireEvent.keyDown(document.activeElement!, { key: k, ...opts });
    key('ArrowRight');
    expect(document.activeElement).toBe(slot(902));
    key('ArrowDown');
    expect(document.activeElement).toBe(slot(906)); // the occupied one, below 902
    expect(tabStops()).toEqual(['Park slot 906']);
    key('End');
    expect(document.activeElement).toBe(slot(908));
    key('ArrowRight');
    expect(document.activeElement).toBe(slot(909)); // next row, reading order
    key('ArrowDown');
    expect(document.activeElement).toBe(slot(999)); // the last row: 999 alone
    key('ArrowDown');
    expect(document.activeElement).toBe(slot(999)); // nothing below
    key('Home');
    expect(document.activeElement).toBe(slot(999));
    key('ArrowUp');
    key('ArrowUp');
    key('ArrowUp');
    expect(document.activeElement).toBe(slot(901));
    key('End', { ctrlKey: true });
    expect(document.activeElement).toBe(slot(999));
    key('Home', { ctrlKey: true });
    expect(document.activeElement).toBe(slot(901));
    // a click (or Tab) onto a slot makes it the tab stop; names stay "Park slot N"
    fireEvent.focus(slot(904));
    expect(tabStops()).toEqual(['Park slot 904']);
    expect(buttons.map((b) => b.getAttribute('aria-label'))).toEqual([...Array.from({ length: 10 }, (_, i) => 901 + i), 997, 998, 999].map((n) => `Park slot ${n}`));
  });

  it("shows the operator's own park group (session user, else My user id in Settings), or the configured groups", () => {
    seedStore({ user: mapOf([{ id: 10001005, name: 'user5', label: '受付 花子', park_group: 2 }], (u) => u.id), session: { username: 'user5', userId: 10001005, isAdmin: true } });
    const labels = () => screen.getAllByRole('button', { name: /^Park slot \d+$/ }).map((b) => Number(b.getAttribute('aria-label')!.slice(10)));
    const { unmount } = render(<ParkPanel onOpenCall={() => {}} />);
    expect(labels()).toEqual([907, 908, 909, 997, 998, 999]);
    unmount();
    seedStore({ user: mapOf([{ id: 10001005, name: 'user5', park_group: 1 }], (u) => u.id) });
    act(() => useSettings.setState({ myUserId: 10001005 }));
    const second = render(<ParkPanel onOpenCall={() => {}} />);
    expect(labels()).toEqual([904, 905, 906, 997, 998, 999]);
    act(() => useSettings.setState({ parkGroups: [0, 3] }));
    expect(labels()).toEqual([901, 902, 903, 910, 911, 912, 997, 998, 999]);
    second.unmount();
    act(() => useSettings.setState({ parkGroups: 'auto', myUserId: null }));
  });

  it('says on its slot that a parked call is ringing back, and whom it rings', () => {
    const ringBack = channel('rb1', 5, { direction: 'outbound', user_id: 10001001, other_uuid: 'p1', called_number: 'RINGING_PARK903' });
    ringBack.state = { ts: Date.now() * 1000, name: 'ringing', data: {} } as Channel['state'];
    seedStore({
      user: mapOf([{ id: 10001001, name: 'user1', label: '佐藤 花子' }], (u) => u.id),
      channel: mapOf([parked('p1', 903, 200, 'user1'), ringBack], (c) => c.uuid),
    });
    render(<ParkPanel onOpenCall={() => {}} />);
    const desc = document.getElementById(screen.getByRole('button', { name: 'Park slot 903' }).getAttribute('aria-describedby')!)!;
    expect(desc.textContent).toContain('Ringing back → 佐藤 花子');
  });

  it('compact: the caller’s number leaves the view, not the description or the tooltip', () => {
    seedStore({ channel: mapOf([{ ...parked('p1', 903, 20, '佐藤 花子'), calling_name: '木村 様' }], (c) => c.uuid) });
    const slot = selectParkSlots(useConsoleStore.getState()).find((x) => x.slot === 903)!;
    const desc = () => {
      const b = screen.getByRole('button', { name: 'Park slot 903' });
      return document.getElementById(b.getAttribute('aria-describedby')!)!;
    };
    const numberSpan = () => Array.from(desc().querySelectorAll('span')).find((el) => el.textContent === '06-1234-5678')!;
    const { rerender } = render(<ParkSlotButton slot={slot} onOpenCall={() => {}} />);
    expect(numberSpan().className).not.toContain('sr-only');
    rerender(<ParkSlotButton slot={slot} onOpenCall={() => {}} compact={1} />);
    expect(numberSpan().className).toContain('sr-only');
    expect(desc().textContent).toContain('06-1234-5678');
    expect(desc().textContent).toContain('Parked by 佐藤 花子');
    expect(desc().querySelector('[title]')!.getAttribute('title')).toContain('06-1234-5678');
    // level 2: also the warning words (the slot stays red with ⚠)
    act(() => useSettings.setState({ parkWarnSec: 10 }));
    rerender(<ParkSlotButton slot={slot} onOpenCall={() => {}} compact={1} />);
    const words = () => Array.from(desc().querySelectorAll('strong')).find((el) => el.textContent === 'Waiting too long')!;
    expect(words().className).not.toContain('sr-only');
    rerender(<ParkSlotButton slot={slot} onOpenCall={() => {}} compact={2} />);
    expect(words().className).toContain('sr-only');
    expect(screen.getByRole('button', { name: 'Park slot 903' }).getAttribute('data-warning')).toBe('true');
    expect(desc().querySelector('[title]')!.getAttribute('title')).toContain('Waiting too long');
    act(() => useSettings.setState({ parkWarnSec: 180 }));
  });
});
