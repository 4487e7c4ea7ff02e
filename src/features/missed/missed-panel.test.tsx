// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import type { MissedCall } from '../../lib/missed-calls.ts';
import { MissedPanel, whenText } from './missed-panel.tsx';

afterEach(cleanup);

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

  it('renders the newest 50 entries, with "Show more" for older ones', () => {
    const now = Date.now() * 1000;
    seedStore({ missedCalls: Array.from({ length: 60 }, (_, i) => call(`m${i}`, now - i * 1e6, false)) });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    expect(within(region).getAllByRole('listitem')).toHaveLength(50);
    expect(region.textContent).toContain('60 calls');
    fireEvent.click(within(region).getByRole('button', { name: 'Show more (10 more not shown)' }));
    expect(within(region).getAllByRole('listitem')).toHaveLength(60);
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
