// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import '../app/test-utils.tsx';
import { Panel } from './panel.tsx';

afterEach(cleanup);

function Boom(): never {
  throw new Error('kaboom');
}

describe('Panel', () => {
  it('is a region named by its title and keeps a crash inside itself', () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    render(
      <>
        <Panel title="Queues">
          <Boom />
        </Panel>
        <Panel title="Park slots">
          <p>slots here</p>
        </Panel>
      </>,
    );
    const broken = screen.getByRole('region', { name: 'Queues' });
    expect(within(broken).getByRole('alert').textContent).toContain('kaboom');
    expect(within(broken).getByRole('button', { name: 'Try again' })).toBeTruthy();
    const fine = screen.getByRole('region', { name: 'Park slots' });
    expect(fine.textContent).toContain('slots here');
    expect(within(fine).queryByRole('alert')).toBeNull();
    spy.mockRestore();
  });

  it('shows the STALE note only when stale', () => {
    const { rerender } = render(<Panel title="Ringing calls">x</Panel>);
    expect(screen.getByRole('region', { name: 'Ringing calls' }).textContent).not.toContain('STALE');
    rerender(
      <Panel title="Ringing calls" stale lastUpdateAt={new Date(2026, 0, 1, 9, 5, 7).getTime()}>
        x
      </Panel>,
    );
    expect(screen.getByRole('region', { name: 'Ringing calls' }).textContent).toContain('STALE — Not live — last update 09:05:07');
  });
});
