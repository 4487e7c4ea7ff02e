// @vitest-environment jsdom
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { mapOf, seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import { outageMarker, type MissedCall } from '../../lib/missed-calls.ts';
import type { GroupMember } from '../../stores/cti-types.ts';
import { MissedPanel } from './missed-panel.tsx';

// jsdom has no layout: the virtualizer needs a scroll box height and row heights.
const saved = ['clientHeight', 'offsetHeight'].map((k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const);
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 480 });
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 48 });
});
afterAll(() => {
  for (const [k, d] of saved) {
    if (d) Object.defineProperty(HTMLElement.prototype, k, d);
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[k];
  }
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const OPERATOR = 10001900;
const call = (uuid: string, endedAtUs: number, groupId: number, number: string): MissedCall => ({
  uuid,
  callerNumber: number,
  callerName: null,
  endUser: { count: 1, items: [{ id: '1', name: `顧客 ${uuid}`, organization: 'テスト商事', avatar: '', prefecture: '' }] },
  called: { kind: 'group', id: groupId, name: `グループ${groupId}`, number: null },
  offeredAtUs: endedAtUs - 30e6,
  endedAtUs,
  waitedMs: 30_000,
  disposition: { side: null, cause: 'NO_ANSWER', raw: null },
  abandoned: false,
  internal: false,
  endedIn: 'calling',
});

function seed(withSession = true) {
  const now = Date.now() * 1000;
  const marker = outageMarker(now - 3_600e6, now - 3_500e6)!;
  seedStore({
    missedCalls: [call('a', now, 1, '0312345678'), call('b', now - 60e6, 2, '0398765432'), marker],
    group_member: mapOf<GroupMember>([{ id: 1, user_id: OPERATOR, group_id: 1, login_status: 1 } as GroupMember], (m) => m.id),
    ...(withSession ? { session: { username: 'operator', userId: OPERATOR, isAdmin: true } } : {}),
  });
  return marker;
}

describe('MissedPanel: receptionist workflow (issue 11)', () => {
  it('a missed call opens its detail with Call back (call_user to the caller) and Mark as called back', async () => {
    seed();
    const sent: unknown[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body));
      return { status: 200, text: async () => '{"result_code":0,"uuids":["x"]}' };
    });
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    const first = within(region).getAllByRole('listitem')[0]!;
    first.focus();
    fireEvent.keyDown(first, { key: 'Enter' });
    const dialog = await screen.findByRole('dialog', { name: 'Missed call' });
    expect(dialog.textContent).toContain('顧客 a');
    expect(dialog.textContent).toContain('テスト商事');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Call 03-1234-5678' }));
    });
    expect(sent).toEqual([{ user_id: OPERATOR, destination: '0312345678' }]);
    fireEvent.click(within(dialog).getByRole('button', { name: /Mark as called back/ }));
    expect(useConsoleStore.getState().missedCalls.find((c) => c.uuid === 'a')?.calledBackAt).toEqual(expect.any(Number));
    expect(within(dialog).getByRole('status').textContent).toMatch(/Called back at/);
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(within(region).getAllByRole('listitem')[0]!.getAttribute('aria-label')).toMatch(/Called back$/);
  });

  it('Call back says why it cannot call when the operator’s own phone is unknown', () => {
    seed(false);
    render(<MissedPanel />);
    fireEvent.click(within(screen.getByRole('region', { name: 'Missed calls' })).getAllByRole('listitem')[0]!);
    const dialog = screen.getByRole('dialog', { name: 'Missed call' });
    expect((within(dialog).getByRole('button', { name: 'Call 03-1234-5678' }) as HTMLButtonElement).disabled).toBe(true);
    expect(dialog.textContent).toContain('needs to know your own phone');
  });

  it('"My groups" shows the calls to the operator’s groups (and the outage note); the note can be dismissed', () => {
    const marker = seed();
    render(<MissedPanel />);
    const region = screen.getByRole('region', { name: 'Missed calls' });
    expect(within(region).getAllByRole('listitem')).toHaveLength(3);
    fireEvent.change(within(region).getByRole('combobox', { name: 'Show missed calls of' }), { target: { value: 'mine' } });
    const items = within(region).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-roving-index'))).toEqual(['a', marker.uuid]);
    fireEvent.click(within(region).getByRole('button', { name: 'Dismiss this note' }));
    expect(useConsoleStore.getState().missedCalls.map((c) => c.uuid)).toEqual(['a', 'b']);
    expect(within(region).getAllByRole('listitem')).toHaveLength(1);
  });
});
