// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { COLUMN_DROP_ORDER, fitColumns, UsersPanel } from './users-panel.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';

afterEach(cleanup);

/** Restores the layout stubs of a test, even when it failed before reaching its end. */
const restoreLayout: Array<() => void> = [];
afterEach(() => {
  while (restoreLayout.length > 0) restoreLayout.pop()!();
});

/** jsdom lays nothing out: give every element this size (px) so the virtualizer renders rows. */
function stubLayout(clientHeight: number, clientWidth?: number): void {
  const sizes: Array<['clientHeight' | 'clientWidth', number]> = [['clientHeight', clientHeight]];
  if (clientWidth !== undefined) sizes.push(['clientWidth', clientWidth]);
  for (const [prop, px] of sizes) {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop);
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => px });
    restoreLayout.push(() => {
      if (original) Object.defineProperty(HTMLElement.prototype, prop, original);
    });
  }
}

function seed() {
  seedStore({
    user: mapOf(
      [
        { id: 1, name: 'yamada', label: '山田 太郎', main_extension: '1001', presence: 0, mwi: '3/5 (1/0)' },
        { id: 2, name: 'sato', label: '佐藤 花子', main_extension: '1002', presence: 2, do_not_disturb_status: 1, fwd_always_status: 1 },
        { id: 3, name: 'smith', label: 'John Smith', main_extension: '2001', presence: 3 },
      ],
      (u) => u.id,
    ),
    group: mapOf([{ id: 10, label: '営業', type: 0 }], (g) => g.id),
    group_member: mapOf([{ id: 1, group_id: 10, user_id: 2, login_status: 1 }], (m) => m.id),
  });
}

describe('UsersPanel', () => {
  it('"/" focuses the search; search and group filter narrow the rows', async () => {
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    const search = within(region).getByRole('searchbox', { name: 'Search users' });
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);
    expect(region.textContent).toContain('3 of 3');

    await act(async () => {
      fireEvent.change(search, { target: { value: 'smith' } });
    });
    expect(region.textContent).toContain('1 of 3');

    await act(async () => {
      fireEvent.change(search, { target: { value: '' } });
    });
    fireEvent.change(within(region).getByRole('combobox', { name: 'Filter by group' }), { target: { value: '10' } });
    expect(region.textContent).toContain('1 of 3');
  });

  it('renders rows with presence text, DND and an MWI text alternative', async () => {
    // jsdom has no layout: give the scroll container a height so the virtualizer renders rows
    stubLayout(600, 900);
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBeGreaterThan(1));
    const rows = within(region).getAllByRole('row');
    expect(rows).toHaveLength(4); // header + 3 users
    const yamada = rows.find((r) => r.textContent?.includes('山田 太郎'));
    expect(yamada?.textContent).toContain('Available');
    expect(yamada?.textContent).toContain('3 new voicemail messages, 5 saved, 1 urgent');
    const sato = rows.find((r) => r.textContent?.includes('佐藤 花子'));
    expect(sato?.textContent).toContain('DND on');
    expect(sato?.textContent).toContain('Fwd on'); // the short form: "Forwarding" did not fit the column
    expect(yamada?.textContent).not.toContain('Fwd on');
    expect(sato?.textContent).toContain('Busy');
    expect(sato?.textContent).toContain('Logged in (1/1)');
    // header sort buttons
    expect(within(region).getByRole('button', { name: /User/ })).toBeTruthy();
    expect(within(region).queryByTestId('hidden-columns')).toBeNull(); // every column fits 900 px
  });

  it('rows and columns follow the root font size when it changes without a reload', async () => {
    stubLayout(600);
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    const rowH = () => within(region).getAllByRole('row')[1]!.style.height;
    const colW = () => within(region).getAllByRole('columnheader')[1]!.style.width;
    expect(rowH()).toBe('44px');
    const w16 = parseFloat(colW());
    // Settings → Text size 150 % (the app notifies) or a wider window (automatic size: resize)
    document.documentElement.style.fontSize = '24px';
    restoreLayout.push(() => {
      document.documentElement.style.fontSize = '';
    });
    await act(async () => {
      window.dispatchEvent(new Event('resize'));
    });
    expect(rowH()).toBe('66px');
    expect(parseFloat(colW())).toBeCloseTo(w16 * 1.5, 0);
    expect(within(region).getAllByRole('row')[2]!.style.transform).toBe('translateY(66px)');
  });

  it('drops the least important columns that do not fit the width instead of scrolling sideways', async () => {
    // 878 px of columns at 16 px/rem; 1.5 × that at 150 % text in a ~920 px panel
    stubLayout(600, 920);
    document.documentElement.style.fontSize = '24px';
    restoreLayout.push(() => {
      document.documentElement.style.fontSize = '';
    });
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    const headers = within(region).getAllByRole('columnheader').map((h) => h.textContent ?? '');
    expect(headers.join('|')).toMatch(/User.*Ext.*Presence.*Call/);
    expect(headers.some((h) => /Groups/.test(h))).toBe(false);
    // and it says which ones are not shown (the voicemail counters, for one, are nowhere else)
    const note = within(region).getByTestId('hidden-columns').textContent ?? '';
    expect(note).toMatch(/^Not shown at this text size: /);
    expect(note).toContain('Groups');
    for (const h of headers) expect(note).not.toContain(h.replace(/[▲▼]/g, '').trim());
    const sum = within(region).getAllByRole('columnheader').reduce((n, h) => n + parseFloat(h.style.width), 0);
    expect(sum).toBeLessThanOrEqual(920);
    // every row has as many cells as there are headers
    for (const row of within(region).getAllByRole('row').slice(1)) expect(within(row).getAllByRole('cell')).toHaveLength(headers.length);
  });

  it('fitColumns: all columns when they fit or before layout, else drops in order', () => {
    const cols = [
      { id: 'user', size: 100 },
      { id: 'extension', size: 50 },
      { id: 'groups', size: 80 },
      { id: 'login', size: 40 },
      { id: 'dnd', size: 40 },
    ];
    expect(fitColumns(cols, 0)).toEqual({});
    expect(fitColumns(cols, 310)).toEqual({});
    expect(fitColumns(cols, 310)).toBe(fitColumns(cols, 0)); // one object while all fit: rows keep their layout
    expect(fitColumns(cols, 309)).toEqual({ groups: false });
    expect(fitColumns(cols, 150)).toEqual({ groups: false, login: false, dnd: false });
    expect(COLUMN_DROP_ORDER).not.toContain('user');
  });

  it('first click on Presence puts available users first', async () => {
    stubLayout(600);
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    fireEvent.click(within(region).getByRole('button', { name: /Presence/ }));
    const order = () => within(region).getAllByRole('row').slice(1).map((r) => r.textContent ?? '');
    await waitFor(() => expect(order()[0]).toContain('Available'));
    expect(order()[1]).toContain('Busy');
    expect(order()[2]).toContain('Offline');
  });

  it("a visible row shows its user's change at once; the row model (count, order) follows within the refresh interval", async () => {
    stubLayout(600);
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    const users = new Map(useConsoleStore.getState().user);
    users.set('3', { ...users.get('3')!, mwi: '7/1' });
    act(() => useConsoleStore.setState({ user: users }));
    // no timer needed: the row reads its user live
    expect(within(region).getAllByRole('row').find((r) => r.textContent?.includes('John Smith'))?.textContent).toContain('7 new voicemail messages, 1 saved');
    const more = new Map(useConsoleStore.getState().user);
    more.set('4', { id: 4, name: 'abe', label: 'Abe', main_extension: '3001', presence: 0 });
    act(() => useConsoleStore.setState({ user: more }));
    await waitFor(() => expect(region.textContent).toContain('4 of 4'), { timeout: 3000 });
    expect(within(region).getAllByRole('row')).toHaveLength(5);
  });

  it('sorts by user (collation order) and by extension', async () => {
    stubLayout(600);
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    const first = () => within(region).getAllByRole('row').slice(1).map((r) => r.querySelector('[role=cell]')?.textContent ?? '');
    const collator = new Intl.Collator(['ja', 'en'], { numeric: true, sensitivity: 'base' });
    expect(first()).toEqual(['山田 太郎yamada', '佐藤 花子sato', 'John Smithsmith'].sort((a, b) => collator.compare(a, b)));
    fireEvent.click(within(region).getByRole('button', { name: /User/ }));
    await waitFor(() => expect(first()).toEqual(['山田 太郎yamada', '佐藤 花子sato', 'John Smithsmith'].sort((a, b) => collator.compare(b, a))));
    fireEvent.click(within(region).getByRole('button', { name: /Ext/ }));
    await waitFor(() => expect(first()).toEqual(['山田 太郎yamada', '佐藤 花子sato', 'John Smithsmith']));
  });

  it("the Call cell follows the user's call (channel events)", async () => {
    stubLayout(600);
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    const sato = () => within(region).getAllByRole('row').find((r) => r.textContent?.includes('佐藤 花子'))?.textContent ?? '';
    expect(sato()).toContain('Idle');
    const ch = (state: string) => new Map([['c1', channel('c1', 5, { user_id: 2, direction: 'outbound', state: { ts: Date.now() * 1000, name: state, data: {} } } as never)]]);
    act(() => useConsoleStore.setState({ channel: ch('calling') }));
    await waitFor(() => expect(sato()).toContain('Ringing'));
    act(() => useConsoleStore.setState({ channel: ch('bridged') }));
    await waitFor(() => expect(sato()).toContain('On a call'));
    act(() => useConsoleStore.setState({ channel: new Map() }));
    await waitFor(() => expect(sato()).toContain('Idle'));
  });

  it("limited view: another user's call is unknown (\"—\"), never \"Idle\"; the user's own row and known calls still show", async () => {
    stubLayout(600);
    seed();
    // user1 is 山田 太郎 (id 1); the PBX sends only that user's channels
    useConsoleStore.setState({ session: { username: 'yamada', userId: 1, isAdmin: false } });
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    expect(region.textContent).toContain('Limited view: only your own calls are shown here.');
    const row = (name: string) => within(region).getAllByRole('row').find((r) => r.textContent?.includes(name))!;
    const callCell = (name: string) => within(row(name)).getAllByRole('cell')[5]!.textContent ?? '';
    expect(callCell('佐藤 花子')).not.toContain('Idle');
    expect(callCell('佐藤 花子')).toContain('Not visible with your account');
    expect(callCell('山田 太郎')).toContain('Idle');
    // a call the console does see (an internal call to 佐藤) is a fact and is shown
    const ch = new Map([['c1', channel('c1', 5, { user_id: 2, direction: 'outbound', state: { ts: Date.now() * 1000, name: 'bridged', data: {} } } as never)]]);
    act(() => useConsoleStore.setState({ channel: ch }));
    await waitFor(() => expect(callCell('佐藤 花子')).toContain('On a call'));
  });

  it('full view: a user without a call is Idle and there is no limited-view note', async () => {
    stubLayout(600);
    seed();
    useConsoleStore.setState({ session: { username: 'operator', userId: 900, isAdmin: true } });
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    expect(region.textContent).not.toContain('Limited view');
    expect(within(region).getAllByRole('row').find((r) => r.textContent?.includes('佐藤 花子'))?.textContent).toContain('Idle');
  });

  it('search: ignores spaces and lists the exact match first, then the table order', async () => {
    stubLayout(600);
    seedStore({
      user: mapOf(
        [
          { id: 1, name: 'user30', label: '井上 蓮', main_extension: '1001' },
          { id: 2, name: 'user31', label: 'Sato', main_extension: '1002' },
          { id: 3, name: 'user3', label: 'Ota', main_extension: '1003' },
        ],
        (u) => u.id,
      ),
    });
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    fireEvent.click(within(region).getByRole('button', { name: /Ext/ }));
    const names = () => within(region).getAllByRole('row').slice(1).map((r) => r.querySelector('[role=cell]')?.textContent ?? '');
    await waitFor(() => expect(names()).toEqual(['井上 蓮user30', 'Satouser31', 'Otauser3']));
    const search = within(region).getByRole('searchbox', { name: 'Search users' });
    await act(async () => {
      fireEvent.change(search, { target: { value: 'user3' } });
    });
    await waitFor(() => expect(names()).toEqual(['Otauser3', '井上 蓮user30', 'Satouser31']));
    await act(async () => {
      fireEvent.change(search, { target: { value: '井上蓮' } });
    });
    await waitFor(() => expect(names()).toEqual(['井上 蓮user30']));
  });

  it('the DND column is wide enough for the longest label, "着信拒否中" (90.1 px measured in Chromium at 16 px/rem), and all columns still fit 1366 px', async () => {
    stubLayout(600, 916); // the Users panel's table at 1366x768, 100 %
    seed();
    render(<UsersPanel />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    const headers = within(region).getAllByRole('columnheader');
    const dnd = headers.find((h) => h.textContent?.includes('DND'))!;
    expect(parseFloat(dnd.style.width)).toBeGreaterThanOrEqual(91);
    expect(headers).toHaveLength(9); // nothing dropped
  });
});
