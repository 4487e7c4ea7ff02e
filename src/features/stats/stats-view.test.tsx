// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { mapOf, seedStore } from '../../app/test-utils.tsx';
import { newStatsDay } from '../../lib/queue-stats.ts';
import { useQueueStats } from './stats-feed.ts';
import { useStatsSettings } from './stats-settings.ts';
import { StatsView } from './stats-view.tsx';

afterEach(() => {
  cleanup();
  useQueueStats.setState({ day: null, version: 0, storage: 'idle' });
});

const at = (h: number, m: number) => new Date(2026, 11, 7, h, m).getTime() * 1000; // local time, µs

function seedDay(limited = false) {
  const day = newStatsDay('2026-12-07', at(8, 55), limited);
  day.outages.push({ fromUs: at(10, 2), toUs: at(10, 5) });
  day.calls.set('a', { uuid: 'a', groupId: 20, offeredAtUs: at(9, 0), outcome: 'answered', endedAtUs: at(9, 0) + 12_000_000 });
  day.calls.set('b', { uuid: 'b', groupId: 20, offeredAtUs: at(9, 1), outcome: 'answered', endedAtUs: at(9, 1) + 30_000_000 });
  day.calls.set('c', { uuid: 'c', groupId: 20, offeredAtUs: at(9, 2), outcome: 'abandoned', endedAtUs: at(9, 2) + 40_000_000 });
  useQueueStats.setState({ day, version: 1, storage: 'ready' });
}

describe('StatsView', () => {
  it('is the region "Queue statistics": since when, the spans without data, and the figures per group', () => {
    seedStore({ group: mapOf([{ id: 20, label: 'サポート', type: 0 }], (g) => g.id) });
    seedDay();
    render(<StatsView />);
    const region = screen.getByRole('region', { name: 'Queue statistics' });
    expect(within(region).getByText('Statistics since 08:55 (when this console first connected today)')).toBeTruthy();
    expect(within(region).getByText('no data 10:02–10:05')).toBeTruthy();
    expect(within(region).queryByText(/Your own calls only/)).toBeNull();
    const row = within(region).getByRole('row', { name: /サポート/ });
    const cells = within(row).getAllByRole('cell').map((c) => c.textContent);
    expect(cells.slice(0, 10)).toEqual(['0', '—', '3', '2', '1', '0', '0:21', '0:30', '0:40', '50 %']);
  });

  it('says plainly that a limited view counts only its own calls', () => {
    seedStore({ group: mapOf([{ id: 20, label: 'サポート', type: 0 }], (g) => g.id) });
    seedDay(true);
    render(<StatsView />);
    expect(screen.getByText(/Your own calls only/)).toBeTruthy();
  });

  it('changes a group’s service-level target from its row', () => {
    seedStore({ group: mapOf([{ id: 20, label: 'サポート', type: 0 }], (g) => g.id) });
    seedDay();
    render(<StatsView />);
    fireEvent.change(screen.getByRole('spinbutton', { name: 'Service-level target of サポート, seconds' }), { target: { value: '30' } });
    expect(useStatsSettings.getState().slSec['20']).toBe(30);
    const row = screen.getByRole('row', { name: /サポート/ });
    expect(within(row).getAllByRole('cell')[9]!.textContent).toBe('100 %');
  });

  it('says when there are no statistics yet', () => {
    seedStore();
    render(<StatsView />);
    expect(screen.getByText(/No statistics yet/)).toBeTruthy();
  });
});
