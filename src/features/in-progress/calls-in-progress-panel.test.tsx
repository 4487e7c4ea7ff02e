// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../../app/test-utils.tsx';
import type { Channel } from '../../stores/cti-types.ts';
import { CallsInProgressPanel } from './calls-in-progress-panel.tsx';

// A fixed clock: durations are read from the data, not from how long the test took.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-01T01:00:00Z'));
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const OPERATOR = 10001900;
const TANAKA = 10001003;

function bridged(uuid: string, other: string, agoSec: number, extra: Partial<Channel> = {}): Channel {
  const ts = (Date.now() - agoSec * 1000) * 1000;
  return channel(uuid, agoSec, { other_uuid: other, answer_timestamp: ts, state: { ts, name: 'bridged', data: {} } as never, ...extra });
}
function leg(uuid: string, userId: number, other: string, agoSec: number): Channel {
  const ts = (Date.now() - agoSec * 1000) * 1000;
  return { uuid, direction: 'outbound', peer_location: 'internal', user_id: userId, other_uuid: other, answer_timestamp: ts, state: { ts, name: 'bridged', data: {} } } as Channel;
}

function seed() {
  seedStore({
    channel: mapOf(
      [
        bridged('c1', 'l1', 300, { end_user: { count: 1, items: [{ id: '1', name: '木村 様', organization: '株式会社サンプル', avatar: '', prefecture: '' }] } }),
        leg('l1', TANAKA, 'c1', 300),
        bridged('c2', 'l2', 20, { calling_number: '0698765432', calling_name: '' }),
        leg('l2', OPERATOR, 'c2', 20),
        channel('r1', 3),
      ],
      (c) => c.uuid,
    ),
    user: mapOf(
      [
        { id: OPERATOR, name: 'operator', label: '受付 一郎' },
        { id: TANAKA, name: 'tanaka', label: '田中 三郎' },
      ],
      (u) => u.id,
    ),
    session: { username: 'operator', userId: OPERATOR, isAdmin: true },
  });
}

describe('CallsInProgressPanel', () => {
  it('is the "Calls in progress" region: each answered pair once, own call first and marked, with duration and CRM name', () => {
    seed();
    render(<CallsInProgressPanel onOpenCall={() => {}} />);
    const region = screen.getByRole('region', { name: 'Calls in progress' });
    const items = within(region).getAllByRole('button');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('06-9876-5432');
    expect(items[0]!.textContent).toContain('受付 一郎');
    expect(items[0]!.textContent).toContain('My call');
    expect(items[0]!.textContent).toContain('Incoming');
    expect(items[0]!.textContent).toContain('0:20');
    expect(items[1]!.textContent).toContain('木村 様');
    expect(items[1]!.textContent).toContain('田中 三郎');
    expect(items[1]!.textContent).toContain('株式会社サンプル');
    expect(items[1]!.textContent).toContain('5:00');
    expect(items[1]!.textContent).not.toContain('My call');
  });

  it('opens the call dialog on the external caller’s leg', () => {
    seed();
    const open = vi.fn();
    render(<CallsInProgressPanel onOpenCall={open} />);
    const region = screen.getByRole('region', { name: 'Calls in progress' });
    fireEvent.click(within(region).getAllByRole('button')[1]!);
    expect(open).toHaveBeenCalledWith('c1');
    expect(within(region).getAllByRole('button')[1]!.getAttribute('data-call')).toBe('c1');
  });

  it('says when no call is answered', () => {
    seedStore({ channel: mapOf([channel('r1', 3)], (c) => c.uuid) });
    render(<CallsInProgressPanel onOpenCall={() => {}} />);
    expect(screen.getByRole('region', { name: 'Calls in progress' }).textContent).toContain('No answered calls');
  });
});
