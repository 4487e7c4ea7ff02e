// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import '../../app/test-utils.tsx';
import { groupStats, newStatsDay } from '../../lib/queue-stats.ts';
import type { QueueView } from '../../stores/selectors.ts';
import { WallboardTile } from './wallboard-tile.tsx';

afterEach(cleanup);

const NOW = 1_800_000_000_000_000;

function fig(longestAgoSec: number | null, answeredWaitsSec: number[]) {
  const day = newStatsDay('2027-01-15', NOW - 3600e6);
  answeredWaitsSec.forEach((w, i) => day.calls.set(`a${i}`, { uuid: `a${i}`, groupId: 7, offeredAtUs: NOW - 600e6, outcome: 'answered', endedAtUs: NOW - 600e6 + w * 1e6 }));
  const queue = {
    group: { id: 7, label: '営業部' },
    waiting: longestAgoSec === null ? [] : [{ channel: {}, position: 1, sinceUs: NOW - longestAgoSec * 1e6, source: 'channel_waiting' }],
    longestWaitSinceUs: longestAgoSec === null ? null : NOW - longestAgoSec * 1e6,
  } as unknown as QueueView;
  return { groupId: 7, name: '営業部', stats: groupStats(day, () => 20, [7])[0]!, queue };
}

describe('WallboardTile', () => {
  it('turns the longest wait amber and red at the console’s queue thresholds, with a mark besides the colour', () => {
    const { rerender } = render(<WallboardTile fig={fig(10, [])} agents={undefined} nowUs={NOW} amberSec={30} redSec={90} />);
    expect(screen.getByTestId('wb-longest').dataset.level).toBe('ok');
    rerender(<WallboardTile fig={fig(45, [])} agents={undefined} nowUs={NOW} amberSec={30} redSec={90} />);
    expect(screen.getByTestId('wb-longest').dataset.level).toBe('amber');
    expect(screen.getByTestId('wb-longest').textContent).toContain('▲');
    rerender(<WallboardTile fig={fig(100, [])} agents={undefined} nowUs={NOW} amberSec={30} redSec={90} />);
    expect(screen.getByTestId('wb-longest').dataset.level).toBe('red');
    expect(screen.getByTestId('wb-longest').textContent).toContain('1:40');
  });

  it('shows answered today and the service level (red under 60 %), and who is logged in', () => {
    render(<WallboardTile fig={fig(null, [5, 30, 40])} agents={{ loggedIn: ['佐藤 花子', '鈴木 一郎'], unknown: 1 }} nowUs={NOW} amberSec={30} redSec={90} />);
    const tile = screen.getByRole('region', { name: '営業部' });
    expect(within(tile).getByTestId('wb-answered').textContent).toContain('3');
    expect(within(tile).getByTestId('wb-sl').textContent).toContain('33%');
    expect(within(tile).getByTestId('wb-sl').dataset.level).toBe('red');
    expect(tile.textContent).toContain('Agents logged in (2): 佐藤 花子, 鈴木 一郎 (+1 ?)');
  });
});
