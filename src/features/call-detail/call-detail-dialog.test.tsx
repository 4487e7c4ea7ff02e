// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import { applyConnectionStatus, applyWorkerBatch, checkPendingActions, setConnectionDriver, useConsoleStore } from '../../stores/console-store.ts';
import { ACTION_TIMEOUT_MS } from '../../stores/console-state.ts';
import { CallDetailDialog } from './call-detail-dialog.tsx';

afterEach(() => {
  cleanup();
  setConnectionDriver(null);
  vi.useRealTimers();
});

/** A connection that sends nothing: actions stay pending until the store sees their effect. */
function liveDriver() {
  const sent: unknown[] = [];
  setConnectionDriver({ connect: () => {}, send: (_id, command) => void sent.push(command), disconnect: () => {} });
  return sent;
}

/** A batch from the worker with one channel event. */
function event(data: Record<string, unknown>, ev = 'updated') {
  act(() =>
    applyWorkerBatch(
      { connectionId: 1, messages: [{ type: 'info_event', element: 'channel', data, event: ev } as never], receivedAtMs: Date.now(), freshSnapshot: false, goLive: false, frames: 1, badFrames: 0, badRecords: 0, errors: [] },
      null,
    ),
  );
}

function Harness() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Park slot 903
      </button>
      {open && <CallDetailDialog uuid="p1" onClose={() => setOpen(false)} />}
    </>
  );
}

function seed() {
  const ch = channel('p1', 90, {
    called_number: '05012345678',
    tags: ['monitoring_required'],
    end_user: {
      count: 2,
      items: [
        { id: '1', name: '木村 様', organization: '株式会社サンプル', avatar: 'k.png', prefecture: '東京都' },
        { id: '2', name: '木村 二郎', organization: '木村商店', avatar: '', prefecture: '大阪府' },
      ],
    },
  });
  ch.state = { ts: (Date.now() - 60_000) * 1000, name: 'park', data: { slot: 903, parker_id: 7, parker_name: '佐藤 花子' } } as typeof ch.state;
  seedStore({
    channel: mapOf([ch], (c) => c.uuid),
    user: mapOf([{ id: 42, name: 'yamada', label: '山田 太郎', main_extension: '1042' }], (u) => u.id),
  });
}

/**
 * A stand-in for a call panel (the real ones are other modules): a region named "Ringing calls"
 * listing the ringing calls as buttons keyed like the panels' items, opening the dialog.
 */
function PanelHarness({ keyAttr = 'data-roving-index' }: { keyAttr?: string }) {
  const [open, setOpen] = useState<string | null>(null);
  const channels = useConsoleStore((s) => s.channel);
  const calls = [...channels.values()].filter((c) => c.state?.name === 'calling');
  return (
    <>
      <section aria-label="Ringing calls">
        <h2>Ringing calls</h2>
        {calls.length === 0 ? (
          <p>No calls ringing</p>
        ) : (
          <ul>
            {calls.map((c) => (
              <li key={c.uuid}>
                <button type="button" {...{ [keyAttr]: c.uuid }} onClick={() => setOpen(c.uuid)}>
                  Call {c.uuid}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      {open && <CallDetailDialog uuid={open} onClose={() => setOpen(null)} />}
    </>
  );
}

const parkedEvent = (uuid: string, slot: number) =>
  event({ ...useConsoleStore.getState().channel.get(uuid)!, state: { ts: Date.now() * 1000, name: 'park', data: { slot, parker_id: 7, parker_name: 'op' } } });

/** Render the harness and open the dialog of the call parked in slot 903; returns the dialog. */
function openSlot903(): HTMLElement {
  render(<Harness />);
  fireEvent.click(screen.getByRole('button', { name: 'Park slot 903' }));
  return screen.getByRole('dialog');
}

describe('CallDetailDialog', () => {
  it('is a labelled dialog with the caller details and actions; Escape closes and focus returns', () => {
    seed();
    render(<Harness />);
    const opener = screen.getByRole('button', { name: 'Park slot 903' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('dialog', { name: /Call from/ });
    const text = dialog.textContent ?? '';
    for (const s of ['03-1234-5678', '050-1234-5678', '木村 様', '株式会社サンプル', '東京都', '木村 二郎', '大阪府', 'monitoring_required', '佐藤 花子', '903', '2 CRM matches', 'Not answered']) {
      expect(text, s).toContain(s);
    }
    expect(within(dialog).getByRole('button', { name: /Hang up/ })).toBeTruthy();
    expect(within(dialog).getByRole('combobox', { name: 'Transfer to' })).toBeTruthy();
    // parked already: no Park button
    expect(within(dialog).queryByRole('button', { name: /^‖?\s*Park$/ })).toBeNull();

    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('asks before hanging up and sends the command through the store', () => {
    seed();
    const dialog = openSlot903();
    fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
    expect(useConsoleStore.getState().pendingActions).toHaveLength(0);
    const confirm = within(dialog).getByRole('alertdialog', { name: 'Hang up this call?' });
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, hang up' }));
    const actions = useConsoleStore.getState().pendingActions;
    expect(actions).toHaveLength(1);
    expect(actions[0].command).toEqual({ cmd: 'hangup', uuid: 'p1' });
    // no connection driver in tests → failed at once, and the panel says so
    expect(within(dialog).getByRole('status').textContent).toMatch(/Hang up failed/);
  });

  it('transfers to a user picked by type-ahead', () => {
    seed();
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Park slot 903' }));
    const box = screen.getByRole('combobox', { name: 'Transfer to' });
    fireEvent.change(box, { target: { value: '104' } });
    const option = screen.getByRole('option', { name: /山田 太郎/ });
    expect(option.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });
    const a = useConsoleStore.getState().pendingActions.at(-1)!;
    expect(a.command).toMatchObject({ cmd: 'transfer', uuid: 'p1', user_id: 42, destination: '1042' });
  });

  it('shows presence, DND and forwarding in the suggestions and asks before transferring to a DND user', () => {
    seed();
    useConsoleStore.setState({
      user: mapOf(
        [
          { id: 42, name: 'yamada', label: '山田 太郎', main_extension: '1042', presence: 0 },
          { id: 43, name: 'sato', label: '佐藤 花子', main_extension: '1043', presence: 2, do_not_disturb_status: 1, fwd_always_status: 1 },
        ],
        (u) => u.id,
      ),
    });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Park slot 903' }));
    const box = screen.getByRole('combobox', { name: 'Transfer to' });
    fireEvent.change(box, { target: { value: '104' } });
    expect(screen.getByRole('option', { name: /山田 太郎/ }).textContent).toContain('Available');
    const sato = screen.getByRole('option', { name: /佐藤 花子/ });
    expect(sato.textContent).toMatch(/Busy.*DND on.*Forwarding/);
    const before = useConsoleStore.getState().pendingActions.length;
    fireEvent.click(sato);
    expect(useConsoleStore.getState().pendingActions).toHaveLength(before); // not sent yet
    const check = screen.getByRole('alertdialog', { name: 'Transfer to 佐藤 花子?' });
    expect(check.textContent).toMatch(/Do not disturb is on.*presence is Busy.*calls are forwarded/);
    fireEvent.click(within(check).getByRole('button', { name: 'Transfer anyway' }));
    expect(useConsoleStore.getState().pendingActions.at(-1)!.command).toMatchObject({ cmd: 'transfer', user_id: 43 });
  });

  it('after the call ends shows how it ended, not its last live state', () => {
    seed();
    const ringing = channel('p1', 20);
    useConsoleStore.setState({ channel: mapOf([ringing], (c) => c.uuid) });
    render(<Harness />);
    fireEvent.click(screen.getByRole('button', { name: 'Park slot 903' }));
    let dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('Ringing');
    act(() => {
      useConsoleStore.setState({
        channel: new Map(),
        missedCalls: [
          {
            uuid: 'p1', callerNumber: '0312345678', callerName: null, endUser: null,
            called: { kind: 'group', id: 1, name: '代表', number: null },
            offeredAtUs: null, endedAtUs: Date.now() * 1000, waitedMs: 20_000,
            disposition: { side: 'recv_cancel', cause: 'ORIGINATOR_CANCEL', raw: 'recv_cancel,ORIGINATOR_CANCEL' },
            abandoned: true, internal: false, endedIn: 'calling',
          },
        ],
      });
    });
    dialog = screen.getByRole('dialog');
    expect(dialog.textContent).toContain('This call has ended.');
    expect(dialog.textContent).not.toContain('Ringing');
    expect(dialog.textContent).toMatch(/Ended — the caller hung up before an answer\s*\(recv_cancel,ORIGINATOR_CANCEL\)/);
  });

  it('Escape in the hang-up question cancels it (not the dialog) and focus goes back to Hang up', () => {
    seed();
    liveDriver();
    const dialog = openSlot903();
    fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
    const yes = within(dialog).getByRole('button', { name: 'Yes, hang up' });
    expect(document.activeElement).toBe(yes);
    fireEvent.keyDown(yes, { key: 'Escape' });
    expect(screen.getByRole('dialog')).toBe(dialog);
    expect(within(dialog).queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: /Hang up/ }));
    expect(useConsoleStore.getState().pendingActions).toHaveLength(0);
    // the same for "Cancel"
    fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: /Hang up/ }));
  });

  it('keeps focus in the dialog while the PBX confirms, and on the note when the call ends meanwhile', () => {
    seed();
    liveDriver();
    const dialog = openSlot903();
    fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, hang up' }));
    expect(within(dialog).getByRole('status').textContent).toMatch(/Hang up: waiting for the PBX/);
    expect(within(dialog).getByRole('button', { name: /Hang up/ })).toHaveProperty('disabled', true);
    expect(document.activeElement).toBe(within(dialog).getByRole('group', { name: 'Call actions' }));
    // the PBX hangs up: the actions go, the outcome and the note stay, focus on the note
    event({ ...useConsoleStore.getState().channel.get('p1')!, last_event: 'CHANNEL_HANGUP' });
    const note = within(dialog).getByText('This call has ended.');
    expect(document.activeElement).toBe(note);
    expect(within(dialog).getByRole('status').textContent).toMatch(/Hang up: done/);
  });

  it('says which slot a parked call went to, and what a timeout means', () => {
    vi.useFakeTimers({ now: Date.now(), toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const ringing = channel('r1', 10);
    seedStore({ channel: mapOf([ringing], (c) => c.uuid), user: mapOf([{ id: 42, name: 'yamada', label: '山田 太郎', main_extension: '1042', presence: 0 }], (u) => u.id) });
    liveDriver();
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    const dialog = screen.getByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: /^‖?\s*Park$/ }));
    event({ ...ringing, state: { ts: Date.now() * 1000, name: 'park', data: { slot: 903, parker_id: 7, parker_name: 'op' } } });
    expect(within(dialog).getByRole('status').textContent).toMatch(/Park: done — park slot 903/);
    // a transfer that nothing confirms: failed after the timeout, with what to do
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Transfer to' }), { target: { value: '104' } });
    fireEvent.keyDown(within(dialog).getByRole('combobox', { name: 'Transfer to' }), { key: 'Enter' });
    expect(within(dialog).getByRole('status').textContent).toMatch(/Transfer → 山田 太郎: waiting for the PBX/);
    act(() => {
      vi.advanceTimersByTime(ACTION_TIMEOUT_MS + 10);
      checkPendingActions();
    });
    expect(within(dialog).getByRole('status').textContent).toMatch(/Transfer → 山田 太郎 failed: no confirmation from the PBX within 5 s — check the call before trying again/);
  });

  it('tells a command never sent from one whose result is unknown because the connection dropped', () => {
    seed();
    const dialog = openSlot903();
    // no connection: nothing is sent
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Transfer to' }), { target: { value: '1042' } });
    fireEvent.keyDown(within(dialog).getByRole('combobox', { name: 'Transfer to' }), { key: 'Enter' });
    expect(within(dialog).getByRole('status').textContent).toMatch(/Transfer → 山田 太郎 failed: not connected to the PBX — nothing was sent/);
    // sent, then the connection drops before the PBX confirms
    liveDriver();
    fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, hang up' }));
    act(() => applyConnectionStatus({ status: 'reconnecting', connectionId: 1, attempt: 1, retryAtMs: null, stopReason: null, detail: 'closed', session: null }));
    expect(within(dialog).getByRole('status').textContent).toMatch(/Hang up failed: the connection to the PBX was lost before it confirmed — check the call once the console is live again/);
  });

  it('a transfer pending when the caller hangs up says the call ended, at once', () => {
    seed();
    liveDriver();
    const dialog = openSlot903();
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Transfer to' }), { target: { value: '1042' } });
    fireEvent.keyDown(within(dialog).getByRole('combobox', { name: 'Transfer to' }), { key: 'Enter' });
    expect(within(dialog).getByRole('status').textContent).toMatch(/Transfer → 山田 太郎: waiting for the PBX/);
    event({ ...useConsoleStore.getState().channel.get('p1')!, last_event: 'CHANNEL_HANGUP', last_event_data: 'recv_bye,NORMAL_CLEARING' });
    expect(within(dialog).getByText('This call has ended.')).toBeTruthy();
    expect(within(dialog).getByRole('status').textContent).toMatch(/Transfer → 山田 太郎 failed: the call ended before the PBX confirmed/);
  });

  it('keeps focus in the dialog when the call is parked by someone else while focus is on Park', () => {
    seedStore({ channel: mapOf([channel('r1', 10, { answer_timestamp: Date.now() * 1000 })], (c) => c.uuid) });
    liveDriver();
    render(<CallDetailDialog uuid="r1" onClose={() => {}} />);
    const dialog = screen.getByRole('dialog');
    within(dialog).getByRole('button', { name: /^‖?\s*Park$/ }).focus();
    parkedEvent('r1', 905); // a colleague parks it: no Park button for a parked call
    expect(within(dialog).queryByRole('button', { name: /^‖?\s*Park$/ })).toBeNull();
    expect(document.activeElement).toBe(within(dialog).getByRole('group', { name: 'Call actions' }));
  });

  describe('focus on close when the call that opened it is gone', () => {
    const seedRinging = (...uuids: string[]) => {
      seedStore({ channel: mapOf(uuids.map((u, i) => channel(u, 30 - i)), (c) => c.uuid) });
      liveDriver();
    };
    const button = (uuid: string) => screen.getByRole('button', { name: `Call ${uuid}` });

    it('a ringing call parked from the dialog: Escape puts focus on the call that followed it', () => {
      seedRinging('a', 'b', 'c');
      render(<PanelHarness />);
      button('b').focus();
      fireEvent.click(button('b'));
      const dialog = screen.getByRole('dialog');
      fireEvent.click(within(dialog).getByRole('button', { name: /^‖?\s*Park$/ }));
      parkedEvent('b', 903);
      expect(within(dialog).getByRole('status').textContent).toMatch(/Park: done — park slot 903/);
      expect(screen.queryByRole('button', { name: 'Call b' })).toBeNull(); // no longer ringing
      fireEvent.keyDown(dialog, { key: 'Escape' });
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(document.activeElement).toBe(button('c'));
    });

    it('the last call of the list: focus on the one before it; found by data-call too', () => {
      seedRinging('a', 'b');
      render(<PanelHarness keyAttr="data-call" />);
      button('b').focus();
      fireEvent.click(button('b'));
      parkedEvent('b', 903);
      fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
      expect(document.activeElement).toBe(button('a'));
    });

    it('hung up from the dialog, the only call: focus stays in the dialog, then goes to the panel on Escape', () => {
      seedRinging('a');
      render(<PanelHarness />);
      button('a').focus();
      fireEvent.click(button('a'));
      const dialog = screen.getByRole('dialog');
      fireEvent.click(within(dialog).getByRole('button', { name: /Hang up/ }));
      fireEvent.click(within(dialog).getByRole('button', { name: 'Yes, hang up' }));
      expect(dialog.contains(document.activeElement)).toBe(true); // (not <body>) while the PBX confirms
      event({ ...useConsoleStore.getState().channel.get('a')!, last_event: 'CHANNEL_HANGUP', last_event_data: 'send_bye,NORMAL_CLEARING' }, 'removed');
      expect(document.activeElement).toBe(within(dialog).getByText('This call has ended.'));
      fireEvent.keyDown(dialog, { key: 'Escape' });
      const region = screen.getByRole('region', { name: 'Ringing calls' });
      expect(document.activeElement).toBe(region);
      // focusable for this once only: the panel is not a tab stop afterwards
      expect(region.getAttribute('tabindex')).toBe('-1');
      act(() => region.blur());
      expect(region.hasAttribute('tabindex')).toBe(false);
    });

    it('an opener re-created with the same key (a park slot re-rendered) gets focus back', () => {
      seedRinging('a', 'b');
      function Slots() {
        const [open, setOpen] = useState(false);
        const [gen, setGen] = useState(0);
        return (
          <section aria-label="Park slots">
            <ul>
              {['901', '902'].map((k) => (
                <li key={`${k}-${gen}`}>
                  <button type="button" data-roving-index={k} onClick={() => setOpen(true)}>
                    Park slot {k}
                  </button>
                </li>
              ))}
            </ul>
            <button type="button" onClick={() => setGen((g) => g + 1)}>
              re-create
            </button>
            {open && <CallDetailDialog uuid="b" onClose={() => setOpen(false)} />}
          </section>
        );
      }
      render(<Slots />);
      const slot = screen.getByRole('button', { name: 'Park slot 902' });
      slot.focus();
      fireEvent.click(slot);
      fireEvent.click(screen.getByRole('button', { name: 're-create', hidden: true }));
      expect(slot.isConnected).toBe(false);
      fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Park slot 902' }));
    });
  });
});
