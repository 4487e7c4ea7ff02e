// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { setConnectionDriver, useConsoleStore } from '../../stores/console-store.ts';
import { DiagnosticsDialog } from './diagnostics-dialog.tsx';

afterEach(() => {
  cleanup();
  setConnectionDriver(null);
});

describe('DiagnosticsDialog', () => {
  it('after a bad frame or record since the last snapshot, offers to reload everything from the PBX (a new connection)', () => {
    seedStore();
    const driver = { connect: vi.fn(), send: vi.fn(), disconnect: vi.fn() };
    setConnectionDriver(driver);
    render(<DiagnosticsDialog onClose={() => {}} />);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reload everything from the PBX' })).toBeNull();
    act(() => useConsoleStore.setState({ diagnostics: { ...useConsoleStore.getState().diagnostics, badRecords: 2, problemsSinceSnapshot: 2 } }));
    expect(screen.getByRole('alert').textContent).toMatch(/2 problems reading PBX data/);
    fireEvent.click(screen.getByRole('button', { name: 'Reload everything from the PBX' }));
    expect(driver.connect).toHaveBeenCalledWith({ force: false });
  });
});
