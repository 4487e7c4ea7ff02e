// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { setConnectionDriver, useConsoleStore } from '../../stores/console-store.ts';
import { resetCallUserAvailabilityForTests } from '../../lib/call-user.ts';
import { useSettings } from '../settings/settings-store.ts';
import { CallDetailDialog } from './call-detail-dialog.tsx';

const OPERATOR = 10001900;
const COLLEAGUE = 10001042;

type FetchCall = { url: string; body: unknown };
/** Replace the global fetch with one answering `status`/`body`; returns the requests seen. */
function stubFetch(status: number, body: string): FetchCall[] {
  const calls: FetchCall[] = [];
  vi.stubGlobal('fetch', async (url: string, init: { body: string }) => {
    calls.push({ url, body: JSON.parse(init.body) });
    return { status, text: async () => body };
  });
  return calls;
}

function liveDriver(): unknown[] {
  const sent: unknown[] = [];
  setConnectionDriver({ connect: () => {}, send: (_id, command) => void sent.push(command), disconnect: () => {} });
  return sent;
}

function seedRinging(withSession = true) {
  seedStore({
    channel: mapOf([channel('r1', 5, { called_number: '0501112222', state: { ts: (Date.now() - 5000) * 1000, name: 'calling', data: { target_type: 'group', group_id: 1 } } as never })], (c) => c.uuid),
    user: mapOf(
      [
        { id: OPERATOR, name: 'operator', label: '受付 一郎', main_extension: '200' },
        { id: COLLEAGUE, name: 'yamada', label: '山田 太郎', main_extension: '1042', presence: 1 },
      ],
      (u) => u.id,
    ),
    session: withSession ? { username: 'operator', userId: OPERATOR, isAdmin: true } : null,
  });
}

/** Let the fetch promise chain settle. */
async function flush() {
  await act(async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  });
}

beforeEach(() => {
  resetCallUserAvailabilityForTests();
  useSettings.setState({ myUserId: null } as never);
});
afterEach(() => {
  cleanup();
  setConnectionDriver(null);
  vi.unstubAllGlobals();
});

describe('Take call', () => {
  it('asks call_user to pick the call up on the operator’s phone and says the phone rings', async () => {
    seedRinging();
    const calls = stubFetch(200, JSON.stringify({ result_code: 0, uuids: ['leg-9'] }));
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: /Take call/ }));
    await flush();
    expect(calls).toEqual([{ url: '/basix/api/call_user', body: { user_id: OPERATOR, destination: 'pickup_uuid.r1' } }]);
    expect(screen.getByRole('dialog').textContent).toContain('your phone is ringing');
  });

  it('falls back to the protocol’s transfer to the operator when the PBX has no call_user (404), and remembers it', async () => {
    seedRinging();
    const sent = liveDriver();
    const calls = stubFetch(404, 'Not Found');
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: /Take call/ }));
    await flush();
    expect(sent).toEqual([{ cmd: 'transfer', uuid: 'r1', user_id: OPERATOR, user_name: 'operator', destination: '200' }]);
    expect(screen.getByRole('dialog').textContent).toContain('sent as a transfer');
    // the second take goes straight to transfer, without asking call_user again
    fireEvent.click(screen.getByRole('button', { name: /Take call/ }));
    await flush();
    expect(calls).toHaveLength(1);
    expect(sent).toHaveLength(2);
    // and click-to-call says it is not available here
    expect(screen.getAllByRole('button', { name: /^Call / }).every((b) => (b as HTMLButtonElement).disabled)).toBe(true);
    expect(screen.getByRole('dialog').textContent).toContain('Click-to-call is not available on this PBX');
  });

  it('says "log in" on authentication_required', async () => {
    seedRinging();
    stubFetch(200, JSON.stringify({ result_code: 500, error: { id: 'authentication_required' } }));
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: /Take call/ }));
    await flush();
    expect(screen.getByRole('dialog').textContent).toContain('log in to the PBX');
  });

  it('is disabled with the reason while the operator’s own user is unknown; the My PBX user id setting enables it', async () => {
    seedRinging(false);
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    const take = screen.getByRole('button', { name: /Take call/ }) as HTMLButtonElement;
    expect(take.disabled).toBe(true);
    expect(take.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(take.getAttribute('aria-describedby')!)!.textContent).toMatch(/My PBX user id/);
    act(() => useSettings.setState({ myUserId: OPERATOR } as never));
    expect((screen.getByRole('button', { name: /Take call/ }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('autoTake (the T key of a list) takes at once', async () => {
    seedRinging();
    const calls = stubFetch(200, JSON.stringify({ result_code: 0, uuids: [] }));
    render(<CallDetailDialog uuid="r1" onClose={() => {}} autoTake />);
    await flush();
    expect(calls).toHaveLength(1);
  });

  it('is not offered for an answered call', () => {
    seedRinging();
    useConsoleStore.setState({ channel: mapOf([channel('r1', 5, { answer_timestamp: Date.now() * 1000, state: { ts: Date.now() * 1000, name: 'bridged', data: {} } as never })], (c) => c.uuid) });
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    expect(screen.queryByRole('button', { name: /Take call/ })).toBeNull();
  });
});

describe('Call buttons and the answered call', () => {
  it('Call next to the caller’s number rings the operator’s phone, then that number', async () => {
    seedRinging();
    const calls = stubFetch(200, JSON.stringify({ result_code: 0, uuids: ['x'] }));
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Call 03-1234-5678' }));
    await flush();
    expect(calls[0]!.body).toEqual({ user_id: OPERATOR, destination: '0312345678' });
    expect(screen.getByRole('dialog').textContent).toContain('Your phone is ringing: answer it to call 03-1234-5678');
  });

  it('says who answered, and hanging up asks naming the colleague on it', () => {
    seedRinging();
    const now = Date.now() * 1000;
    useConsoleStore.setState({
      channel: mapOf(
        [
          channel('c1', 60, { other_uuid: 'l1', answer_timestamp: now, state: { ts: now, name: 'bridged', data: {} } as never }),
          { uuid: 'l1', direction: 'outbound', user_id: COLLEAGUE, other_uuid: 'c1', answer_timestamp: now, state: { ts: now, name: 'bridged', data: {} } } as never,
        ],
        (c) => c.uuid,
      ),
    });
    render(<CallDetailDialog uuid="c1" onClose={() => {}} />);
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Answered by山田 太郎');
    fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
    expect(within(dialog).getByRole('alertdialog', { name: '山田 太郎 is talking on this call. Hang up anyway?' })).toBeTruthy();
  });
});

describe('Japanese input in the transfer box', () => {
  it('Enter while composing confirms the text only: no transfer is sent; Enter after it picks', () => {
    seedRinging();
    const sent = liveDriver();
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    const box = screen.getByRole('combobox', { name: 'Transfer to' });
    fireEvent.compositionStart(box);
    fireEvent.change(box, { target: { value: '山田' } });
    fireEvent.keyDown(box, { key: 'Enter', isComposing: true });
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 229 });
    expect(sent).toEqual([]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
    fireEvent.compositionEnd(box);
    fireEvent.keyDown(box, { key: 'Enter' });
    // 山田 is Away: the transfer asks first (issue 11)
    const ask = screen.getByRole('alertdialog', { name: 'Transfer to 山田 太郎?' });
    expect(ask.textContent).toContain('presence is Away');
    expect(sent).toEqual([]);
    fireEvent.click(within(ask).getByRole('button', { name: 'Transfer anyway' }));
    expect(sent).toEqual([{ cmd: 'transfer', uuid: 'r1', user_id: COLLEAGUE, user_name: 'yamada', destination: '1042' }]);
  });
});
