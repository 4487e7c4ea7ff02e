// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { MissedCall } from '../../lib/missed-calls.ts';
import { MissedPanel } from './missed-panel.tsx';
import { whenText } from './missed-item.tsx';
import { reportMissedNotice, useMissedNotices } from './missed-notice.ts';

afterEach(() => {
  cleanup();
  useMissedNotices.setState({ notices: [] });
});

// jsdom has no layout: give the scroll box a height and every row one, as a browser would
// (the virtualizer reads the scroll box's clientHeight and each row's offsetHeight).
const ROW_PX = 48;
const VIEW_PX = 480;
const saved = ['clientHeight', 'offsetHeight'].map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => VIEW_PX });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => ROW_PX });
});
afterAll(() => {
  for (const [k, d] of saved) {
    if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
  }
});

const call = (uuid: string, endedAtUs: number, abandoned: boolean): MissedCall => ({
  uuid,
  callerNumber: '0312345678',
  callerName: null,
  endUser: abandoned ? { count: 1, items: [{ id: '1', name: '木村 様', organization: 'X', avatar: '', prefecture: '' }] } : null,
  called: { kind: 'group', id: 1, name: '代表', number: null },
  offeredAtUs: endedAtUs - 30e6,
  endedAtUs,
  waitedMs: 30_000,
  disposition: { side: abandoned ? 'recv_cancel' : null, cause: abandoned ? 'ORIGINATOR_CANCEL' : 'NO_ANSWER', raw: null },
  abandoned,
  internal: false,
  endedIn: 'calling',
});

describe('MissedPanel', () => {
  it('lists missed and abandoned calls as the store orders them, and clears after confirmation', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: [call('b', now, true), call('a', now - 60e6, false)] });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const items = within(region).getAllByRole('listitem');
    expect(items[0].textContent).toContain('Abandoned');
    expect(items[0].textContent).toContain('木村 様');
    expect(items[0].textContent).toContain('03-1234-5678');
    expect(items[0].textContent).toContain('to 代表');
    expect(items[0].textContent).toContain('waited 0:30');
    expect(items[1].textContent).toContain('Missed');
    fireEvent.click(within(region).getByRole('button', { name: 'Clear' }));
    expect(useConsoleStore.getState().missedCalls).toHaveLength(2); // not yet: confirmation
    expect(region.textContent).toContain('Clear the list of missed calls?');
    fireEvent.click(within(region).getByRole('button', { name: 'Clear' }));
    expect(useConsoleStore.getState().missedCalls).toHaveLength(0);
    expect(region.textContent).toContain('No missed calls');
  });

  it('while the PBX refuses the socket as for a lost login, the empty list says it is hidden and kept — not "No missed calls"', () => {
    seedStore({ missedCalls: [] });
    act(() => useConsoleStore.setState({ connection: { ...useConsoleStore.getState().connection, status: 'reconnecting', loginRequired: true } }));
    render(<MissedPanel />);
    expect(screen.getByText(/hidden until you are logged in/)).toBeTruthy();
    expect(screen.queryByText('No missed calls')).toBeNull();
  });

  it('shows a nameless caller’s number once, formatted', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: [{ ...call('n', now, false), callerNumber: '0523103347', callerName: '0523103347' }] });
    render(<MissedPanel />);
    const item = within(screen.getByRole('region', { name: 'Missed calls' })).getByRole('listitem');
    expect(item.textContent).toContain('052-310-3347');
    expect(item.textContent).not.toContain('0523103347');
  });

  it('renders an outage marker entry from the store as "calls may be missing between …"', () => {
    const now = Date.now() * 1000;
    const from = new Date(2026, 0, 1, 14, 2, 0).getTime() * 1000;
    const to = new Date(2026, 0, 1, 14, 5, 0).getTime() * 1000;
    const marker = {
      ...call(`outage:${from}`, to, false),
      callerNumber: null,
      called: { kind: 'other' as const, id: null, name: null, number: null },
      offeredAtUs: from,
      waitedMs: null,
      disposition: { side: null, cause: null, raw: null },
      endedIn: null,
      kind: 'outage',
      outage: { fromUs: from, toUs: to },
    } as MissedCall;
    seedStore({ missedCalls: [call('b', now, false), marker] });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const items = within(region).getAllByRole('listitem');
    expect(items[1].textContent).toMatch(/Calls may be missing between (1\/1 )?14:02(:00)? and (1\/1 )?14:05(:00)?/); // dated unless today
    expect(items[1].textContent).not.toContain('Missed');
    expect(region.querySelector('header')!.textContent).toContain('1 call'); // the marker is not a call
  });

  it('a busy day (3,000 entries) is virtualized: a screenful of rows in the DOM, End reaches the oldest, ↑ its neighbour', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: Array.from({ length: 3_000 }, (_, i) => call(`m${i}`, now - i * 1e6, false)) });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const items = () => within(region).getAllByRole('listitem');
    expect(region.querySelector('header')!.textContent).toContain('3000 calls');
    expect(items().length).toBeGreaterThan(5);
    expect(items().length).toBeLessThan(40);
    expect(items()[0].getAttribute('aria-setsize')).toBe('3000');
    items()[0].focus();
    act(() => void fireEvent.keyDown(document.activeElement!, { key: 'End' }));
    expect(document.activeElement?.getAttribute('data-roving-index')).toBe('m2999');
    expect(document.activeElement?.getAttribute('aria-posinset')).toBe('3000');
    act(() => void fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' }));
    expect(document.activeElement?.getAttribute('data-roving-index')).toBe('m2998');
    act(() => void fireEvent.keyDown(document.activeElement!, { key: 'Home' }));
    expect(document.activeElement?.getAttribute('data-roving-index')).toBe('m0');
    expect(items().length).toBeLessThan(60);
  });

  it('says what was dropped from the list and why, until closed', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: [call('a', now, false)] });
    act(() => reportMissedNotice({ kind: 'quota', count: 120, untilUs: new Date(2026, 10, 29, 17, 2).getTime() * 1000 }));
    act(() => reportMissedNotice({ kind: 'retention', count: 1, beforeUs: new Date(2026, 11, 7).getTime() * 1000 }));
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const status = within(region).getByRole('status');
    expect(status.textContent).toContain('storage is full: the 120 oldest missed calls');
    expect(status.textContent).toContain('1 missed call from before');
    fireEvent.click(within(status).getAllByRole('button', { name: 'Dismiss' })[0]);
    expect(region.textContent).not.toContain('storage is full');
    expect(region.textContent).toContain('1 missed call from before');
  });

  it('is one tab stop: ↑/↓/Home/End move between entries, each named by what it shows; the tab stop stays on its entry when a call is added', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: [call('c', now, true), call('b', now - 60e6, false), call('a', now - 120e6, false)] });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const items = () => within(region).getAllByRole('listitem');
    const tabStops = () => items().filter((li) => li.tabIndex === 0);
    expect(tabStops()).toEqual([items()[0]]);
    expect(items()[0].getAttribute('aria-label')).toMatch(/^Abandoned, 木村 様, 03-1234-5678, to 代表, waited 0:30, \d\d:\d\d/);
    expect(items()[1].getAttribute('aria-label')).toMatch(/^Missed, 03-1234-5678, to 代表/);
    items()[0].focus();
    const key = (k: string) => fireEvent.keyDown(document.activeElement!, { key: k });
    key('ArrowDown');
    expect(document.activeElement).toBe(items()[1]);
    key('End');
    expect(document.activeElement).toBe(items()[2]);
    key('ArrowDown');
    expect(document.activeElement).toBe(items()[2]);
    key('Home');
    expect(document.activeElement).toBe(items()[0]);
    key('ArrowDown');
    expect(tabStops()).toEqual([items()[1]]);
    // a new missed call arrives at the top: the tab stop stays on entry 'b'
    act(() => useConsoleStore.setState({ missedCalls: [call('d', now + 1e6, false), ...useConsoleStore.getState().missedCalls] }));
    expect(items()).toHaveLength(4);
    expect(tabStops()).toEqual([items()[2]]);
    expect(document.activeElement).toBe(items()[2]);
  });

  it('shows the date with the time for an entry from another day (the list is kept across days)', () => {
    const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi, 8).getTime();
    const now = at(2026, 11, 30, 9, 0);
    expect(whenText(at(2026, 11, 30, 8, 59), now)).toBe('08:59:08');
    expect(whenText(at(2026, 11, 29, 16, 36), now)).toBe('11/29 16:36:08');
    expect(whenText(at(2025, 11, 30, 16, 36), now)).toBe('11/30 16:36:08'); // same day a year ago is not today
    seedStore({ missedCalls: [call('y', at(2020, 1, 2, 16, 36) * 1000, false)] });
    render(<MissedPanel />);
    const item = within(screen.getByRole('region', { name: 'Missed calls' })).getByRole('listitem');
    expect(item.textContent).toContain('1/2 16:36:08');
    expect(item.getAttribute('aria-label')).toContain('1/2 16:36:08');
  });

  it('Clear by keyboard: focus goes to the confirmation, back to Clear on Escape / Cancel, and to the empty list after clearing', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: [call('b', now, true)] });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const clear = () => within(region).getByRole('button', { name: 'Clear' });
    fireEvent.click(clear());
    expect(document.activeElement).toBe(clear()); // the confirming "Clear"
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(region.textContent).not.toContain('Clear the list of missed calls?');
    expect(document.activeElement).toBe(clear());
    fireEvent.click(clear());
    fireEvent.click(within(region).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(clear());
    expect(useConsoleStore.getState().missedCalls).toHaveLength(1);
    fireEvent.click(clear());
    fireEvent.click(clear());
    expect(useConsoleStore.getState().missedCalls).toHaveLength(0);
    expect(document.activeElement?.textContent).toContain('No missed calls');
    expect(region.contains(document.activeElement)).toBe(true);
  });
});
