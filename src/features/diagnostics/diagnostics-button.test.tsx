// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import { DiagnosticsButton } from './diagnostics-button.tsx';

afterEach(cleanup);

const setProblems = (problemsSinceSnapshot: number) =>
  act(() => useConsoleStore.setState({ diagnostics: { ...useConsoleStore.getState().diagnostics, problemsSinceSnapshot } }));

describe('DiagnosticsButton', () => {
  it('is a plain button while every frame reads; shows a warning count once one since the last snapshot does not', () => {
    seedStore();
    const onOpen = vi.fn();
    render(<DiagnosticsButton onOpen={onOpen} />);
    expect(screen.getByRole('button', { name: 'Diagnostics' }).textContent).toBe('Diagnostics');
    setProblems(1);
    const one = screen.getByRole('button', { name: 'Diagnostics: 1 problem reading PBX data: some of what is shown may be out of date' });
    expect(one.textContent).toBe('Diagnostics⚠ 1');
    setProblems(152);
    const many = screen.getByRole('button', { name: /^Diagnostics: 152 problems reading PBX data/ });
    expect(many.textContent).toBe('Diagnostics⚠ 99+');
    fireEvent.click(many);
    expect(onOpen).toHaveBeenCalledTimes(1);
    // back to plain after a fresh snapshot (counts before it stay in the dialog)
    setProblems(0);
    expect(screen.getByRole('button', { name: 'Diagnostics' }).textContent).toBe('Diagnostics');
  });
});
