// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { mapOf, seedStore } from '../../app/test-utils.tsx';
import { useSettings } from '../settings/settings-store.ts';
import { HeaderUser, logOut } from './header-user.tsx';
import { setConnectionDriver } from '../../stores/console-store.ts';

afterEach(() => {
  cleanup();
  useSettings.setState({ myUserId: null } as never);
});

describe('HeaderUser', () => {
  it('shows the session username and logs out through the given handler', () => {
    seedStore({ session: { username: 'operator', userId: 5, isAdmin: true } });
    const out = vi.fn();
    render(<HeaderUser onLogOut={out} />);
    expect(screen.getByText('Logged in as operator')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Log out' }));
    expect(out).toHaveBeenCalledOnce();
  });

  it('without a session names the "My phone" user, else nothing', () => {
    seedStore({ user: mapOf([{ id: 77, name: 'uketsuke', label: '受付 花子' }], (u) => u.id) });
    const { rerender } = render(<HeaderUser onLogOut={() => {}} />);
    expect(screen.queryByText(/Logged in as|My phone/)).toBeNull();
    useSettings.setState({ myUserId: 77 } as never);
    rerender(<HeaderUser onLogOut={() => {}} />);
    expect(screen.getByText('My phone: 受付 花子')).toBeTruthy();
  });

  it('logOut closes the connection, then goes to the PBX login page with a next back here', async () => {
    const go = vi.fn();
    const driver = { connect: vi.fn(), send: vi.fn(), disconnect: vi.fn() };
    setConnectionDriver(driver);
    try {
      window.history.replaceState(null, '', '/console/?x=1');
      logOut(go);
      expect(driver.disconnect).toHaveBeenCalledTimes(1);
      await vi.waitFor(() => expect(go).toHaveBeenCalledWith('/basix/login?next=%2Fconsole%2F%3Fx%3D1'));
    } finally {
      setConnectionDriver(null);
    }
  });
});
