// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import { ConnectionStatus } from './connection-status.tsx';
import { SystemBanner } from './system-banner.tsx';

afterEach(cleanup);

const setConn = (patch: Partial<ReturnType<typeof useConsoleStore.getState>['connection']>) =>
  act(() => useConsoleStore.setState({ connection: { ...useConsoleStore.getState().connection, ...patch } }));

describe('ConnectionStatus', () => {
  it('says live / reconnecting in N s / stopped', () => {
    seedStore();
    render(<ConnectionStatus />);
    const status = screen.getByRole('status', { name: 'Connection status' });
    expect(status.textContent).toBe('●Live');
    setConn({ status: 'reconnecting', retryAt: Date.now() + 4_200, lastUpdateAt: new Date(2026, 0, 1, 14, 2, 11).getTime() });
    expect(screen.getByRole('status', { name: 'Connection status' }).textContent).toMatch(/Reconnecting in 5 s.*last update 14:02:11/);
    setConn({ status: 'stopped', stopReason: 'connection_replaced' });
    expect(screen.getByRole('status', { name: 'Connection status' }).textContent).toMatch(/Stopped/);
  });
});

describe('SystemBanner', () => {
  it('offers Take over for connection_replaced and a login link for logout', () => {
    seedStore();
    setConn({ status: 'stopped', stopReason: 'connection_replaced' });
    const { rerender } = render(<SystemBanner />);
    expect(screen.getByRole('alert').textContent).toContain('opened somewhere else');
    expect(screen.getByRole('button', { name: 'Take over' })).toBeTruthy();
    setConn({ stopReason: 'logout' });
    rerender(<SystemBanner />);
    expect(screen.queryByRole('button', { name: 'Take over' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Log in' }).getAttribute('href')).toMatch(/^\/basix\/login\?next=/);
  });
  it('shows a PBX msg as text', () => {
    seedStore({ systemMessages: [{ at: 1, kind: 'msg', text: '<b>全員</b> 14時に会議' }] });
    render(<SystemBanner />);
    expect(screen.getByText('<b>全員</b> 14時に会議')).toBeTruthy();
    expect(document.querySelector('b')).toBeNull();
  });
});
