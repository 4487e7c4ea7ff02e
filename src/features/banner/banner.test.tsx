// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { useConsoleStore } from '../../stores/console-store.ts';
import { ConnectionStatus } from './connection-status.tsx';
import { SystemBanner } from './system-banner.tsx';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const setConn = (patch: Partial<ReturnType<typeof useConsoleStore.getState>['connection']>) =>
  act(() => useConsoleStore.setState({ connection: { ...useConsoleStore.getState().connection, ...patch } }));

describe('ConnectionStatus', () => {
  it('says live / reconnecting in N s / stopped', () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 1, 14, 3, 0) });
    seedStore();
    render(<ConnectionStatus />);
    const status = screen.getByRole('status', { name: 'Connection status' });
    expect(status.textContent).toBe('●Live');
    setConn({ status: 'reconnecting', retryAt: Date.now() + 4_200, lastUpdateAt: new Date(2026, 0, 1, 14, 2, 11).getTime() });
    expect(screen.getByRole('status', { name: 'Connection status' }).textContent).toMatch(/Reconnecting in 5 s.*last update 14:02:11/);
    setConn({ status: 'stopped', stopReason: 'connection_replaced' });
    expect(screen.getByRole('status', { name: 'Connection status' }).textContent).toMatch(/Stopped/);
  });

  // The shared 1 s clock's value is the time of its last tick: up to 1 s old when a status
  // arrives between ticks (under load, the first test in a file: any age). The countdown must
  // never be above the real remaining time, and must change when the real one does.
  it('counts down from the real remaining time, not from the last tick of the shared clock', () => {
    vi.useFakeTimers({ now: new Date(2026, 0, 1, 14, 3, 0) });
    seedStore();
    render(<ConnectionStatus />); // live: subscribed to the shared 1 s clock, which ticked just now
    const text = () => screen.getByRole('status', { name: 'Connection status' }).textContent;
    act(() => vi.advanceTimersByTime(900)); // 0.9 s after that tick, no tick since
    setConn({ status: 'reconnecting', retryAt: Date.now() + 4_200, lastUpdateAt: null });
    expect(text()).toBe('↻Reconnecting in 5 s'); // 4.2 s left (the stale tick said 5.1 → "6 s")
    act(() => vi.advanceTimersByTime(199)); // 4.001 s left
    expect(text()).toBe('↻Reconnecting in 5 s');
    act(() => vi.advanceTimersByTime(1)); // 4.0 s left: the number changes now, not at the next 1 s tick
    expect(text()).toBe('↻Reconnecting in 4 s');
    act(() => vi.advanceTimersByTime(3_000)); // 1.0 s left
    expect(text()).toBe('↻Reconnecting in 1 s');
    act(() => vi.advanceTimersByTime(999));
    expect(text()).toBe('↻Reconnecting in 1 s');
    act(() => vi.advanceTimersByTime(1));
    expect(text()).toMatch(/^↻Reconnecting(?! in)/);
    // a new attempt scheduled later counts down from its own time
    setConn({ status: 'reconnecting', retryAt: Date.now() + 8_000 });
    expect(text()).toBe('↻Reconnecting in 8 s');
    act(() => vi.advanceTimersByTime(1));
    expect(text()).toBe('↻Reconnecting in 8 s');
    act(() => vi.advanceTimersByTime(999));
    expect(text()).toBe('↻Reconnecting in 7 s');
  });
});

describe('SystemBanner', () => {
  it('offers Take over for connection_replaced and a login link for logout', () => {
    seedStore();
    setConn({ status: 'stopped', stopReason: 'connection_replaced' });
    const { rerender } = render(<SystemBanner />);
    expect(screen.getByRole('alert').textContent).toContain('took over with another console');
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

describe('SystemBanner: logged out, seen from the socket alone (issue 9)', () => {
  it('shows a persistent "Log in to the PBX" opening the login page in another tab, and hides it once a socket opens', () => {
    seedStore();
    render(<SystemBanner />);
    expect(screen.queryByTestId('login-required')).toBeNull();
    setConn({ status: 'reconnecting', loginRequired: true });
    const link = screen.getByRole('link', { name: 'Log in to the PBX' });
    expect(link.getAttribute('href')).toBe('/basix/login?next=%2Flogged-in.html');
    expect(link.getAttribute('target')).toBe('basix-login');
    expect(screen.getByRole('alert').textContent).toMatch(/refuses the live connection/);
    setConn({ status: 'reconnecting', loginRequired: false });
    expect(screen.queryByTestId('login-required')).toBeNull();
  });
});

describe('SystemBanner: limited view worded by what is known', () => {
  it.each([
    [{ kind: 'limited', reason: 'refused', userId: null }, /refused to send every call/],
    [{ kind: 'limited', reason: 'not_requested', userId: null }, /Settings say not to ask/],
    [{ kind: 'limited', reason: 'one_user', userId: 1001 }, /only the calls of one user \(鈴木 花子\)/],
  ] as const)('%o', (view, text) => {
    seedStore({ user: new Map([['1001', { id: 1001, name: 'suzuki', label: '鈴木 花子' }]]) as never });
    act(() => useConsoleStore.setState({ limitedView: true, connection: { ...useConsoleStore.getState().connection, view } }));
    render(<SystemBanner />);
    expect(screen.getByTestId('limited-view').textContent).toMatch(text);
  });

  it('a full view with an admin session shows no notice', () => {
    seedStore({ session: { username: 'operator', userId: 900, isAdmin: true } });
    act(() => useConsoleStore.setState({ limitedView: false, connection: { ...useConsoleStore.getState().connection, view: { kind: 'full', reason: 'delivered', userId: null } } }));
    render(<SystemBanner />);
    expect(screen.queryByTestId('limited-view')).toBeNull();
  });
});
