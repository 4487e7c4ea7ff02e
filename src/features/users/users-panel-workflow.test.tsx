// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import type { Channel } from '../../stores/cti-types.ts';
import { UsersPanel } from './users-panel.tsx';

const restore: Array<() => void> = [];
afterEach(() => {
  cleanup();
  while (restore.length > 0) restore.pop()!();
  vi.unstubAllGlobals();
});

/** jsdom lays nothing out: give every element a size so the virtualizer renders rows. */
function stubLayout(height: number, width: number): void {
  for (const [prop, px] of [['clientHeight', height], ['clientWidth', width]] as const) {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, prop);
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => px });
    restore.push(() => {
      if (original) Object.defineProperty(HTMLElement.prototype, prop, original);
    });
  }
}

const OPERATOR = 10001900;

function seed() {
  const ts = Date.now() * 1000;
  seedStore({
    user: mapOf(
      [
        { id: OPERATOR, name: 'operator', label: '受付 一郎', main_extension: '200', presence: 0 },
        { id: 1, name: 'yamada', label: '山田 太郎', main_extension: '1001', presence: 0 },
        { id: 2, name: 'sato', label: '佐藤 花子', main_extension: '1002', presence: 0 },
      ],
      (u) => u.id,
    ),
    channel: mapOf<Channel>(
      [
        channel('c1', 60, { other_uuid: 'l1', answer_timestamp: ts, state: { ts, name: 'bridged', data: {} } as never }),
        { uuid: 'l1', direction: 'outbound', user_id: 2, other_uuid: 'c1', answer_timestamp: ts, state: { ts, name: 'bridged', data: {} } } as Channel,
      ],
      (c) => c.uuid,
    ),
    session: { username: 'operator', userId: OPERATOR, isAdmin: true },
  });
}

describe('UsersPanel: receptionist workflow', () => {
  it('Ctrl+K and ⌘K focus the search, also from another text field (the IME turns "/" into "・")', () => {
    seed();
    render(
      <>
        <input aria-label="elsewhere" />
        <UsersPanel />
      </>,
    );
    const search = screen.getByRole('searchbox', { name: 'Search users' });
    expect(search.getAttribute('placeholder')).toContain('Ctrl+K');
    const other = screen.getByRole('textbox', { name: 'elsewhere' });
    other.focus();
    fireEvent.keyDown(other, { key: 'k', code: 'KeyK', ctrlKey: true });
    expect(document.activeElement).toBe(search);
    other.focus();
    fireEvent.keyDown(other, { key: 'k', code: 'KeyK', metaKey: true });
    expect(document.activeElement).toBe(search);
  });

  it('Escape while composing Japanese keeps the search text; after the composition it clears it', async () => {
    seed();
    render(<UsersPanel />);
    const search = screen.getByRole('searchbox', { name: 'Search users' }) as HTMLInputElement;
    fireEvent.compositionStart(search);
    await act(async () => {
      fireEvent.change(search, { target: { value: 'やまだ' } });
    });
    fireEvent.keyDown(search, { key: 'Escape', isComposing: true });
    fireEvent.keyDown(search, { key: 'Enter', keyCode: 229 });
    expect(search.value).toBe('やまだ');
    fireEvent.compositionEnd(search);
    await act(async () => {
      fireEvent.keyDown(search, { key: 'Escape' });
    });
    expect(search.value).toBe('');
  });

  it('the call cell opens that user’s call; an idle colleague offers Call (not the operator’s own row)', async () => {
    seed();
    stubLayout(600, 1400);
    const open = vi.fn();
    const calls: unknown[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
      calls.push(JSON.parse(init.body));
      return { status: 200, text: async () => '{"result_code":0,"uuids":[]}' };
    });
    render(<UsersPanel onOpenCall={open} />);
    const region = screen.getByRole('region', { name: 'Users' });
    await waitFor(() => expect(within(region).getAllByRole('row').length).toBe(4));
    fireEvent.click(within(region).getByRole('button', { name: /^Open the call of 佐藤 花子/ }));
    expect(open).toHaveBeenCalledWith('l1');
    expect(within(region).queryByRole('button', { name: /^Call 受付 一郎/ })).toBeNull();
    await act(async () => {
      fireEvent.click(within(region).getByRole('button', { name: 'Call 山田 太郎 (1001)' }));
    });
    expect(calls).toEqual([{ user_id: OPERATOR, destination: '1001' }]);
  });
});
