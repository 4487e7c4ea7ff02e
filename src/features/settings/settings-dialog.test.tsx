// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useTranslation } from 'react-i18next';
import { mapOf, seedStore } from '../../app/test-utils.tsx';
import { initI18n } from '../../i18n/index.ts';
import { SettingsDialog } from './settings-dialog.tsx';
import { DEFAULT_SETTINGS, useSettings } from './settings-store.ts';

afterEach(() => {
  cleanup();
  act(() => {
    useSettings.getState().reset();
    initI18n('en');
  });
});

function Heading() {
  const { t } = useTranslation();
  return <h2>{t('panels.ringing')}</h2>;
}

describe('SettingsDialog', () => {
  it('saves validated values to localStorage', () => {
    let closed = false;
    render(<SettingsDialog onClose={() => (closed = true)} />);
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Queue wait: amber after (seconds)'), { target: { value: '45' } });
    fireEvent.change(screen.getByLabelText('Park warning after (seconds)'), { target: { value: '300' } });
    fireEvent.change(screen.getByLabelText('Avatar base URL'), { target: { value: 'https://pbx.example.jp' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(closed).toBe(true);
    const s = useSettings.getState();
    expect(s.queueAmberSec).toBe(45);
    expect(s.parkWarnSec).toBe(300);
    expect(s.baseUrl).toBe('https://pbx.example.jp/');
    expect(JSON.parse(localStorage.getItem('basix-console-settings')!).state).toMatchObject({ queueAmberSec: 45, parkWarnSec: 300 });
  });

  it('saves where avatars may load from, explaining each choice', () => {
    render(<SettingsDialog onClose={() => {}} />);
    const select = screen.getByLabelText('Avatars') as HTMLSelectElement;
    expect(select.value).toBe('pbx');
    expect(select.getAttribute('aria-describedby') && document.getElementById(select.getAttribute('aria-describedby')!)?.textContent).toMatch(/never requested/);
    fireEvent.change(select, { target: { value: 'any' } });
    expect(document.getElementById(select.getAttribute('aria-describedby')!)?.textContent).toMatch(/can see this PC’s address/);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(useSettings.getState().avatarSource).toBe('any');
    expect(JSON.parse(localStorage.getItem('basix-console-settings')!).state).toMatchObject({ avatarSource: 'any' });
  });

  it('saves the PBX fields: all calls, silence minutes, park groups and my user id', () => {
    let closed = false;
    render(<SettingsDialog onClose={() => (closed = true)} />);
    fireEvent.change(screen.getByLabelText('All calls (full_events)'), { target: { value: 'never' } });
    fireEvent.change(screen.getByLabelText('Reconnect after silence (minutes)'), { target: { value: '45' } });
    fireEvent.change(screen.getByLabelText('Park groups shown'), { target: { value: '2, 0' } });
    fireEvent.change(screen.getByLabelText('My phone'), { target: { value: '10001001' } }); // no users from the PBX yet: the id field
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(closed).toBe(true);
    expect(useSettings.getState()).toMatchObject({ fullEvents: 'never', silenceMinutes: 45, parkGroups: [0, 2], myUserId: 10001001 });
  });

  it('My phone is a type-ahead over the users by reading, IME-safe, kept in this browser (issue 11)', () => {
    seedStore({
      user: mapOf(
        [
          { id: 10001001, name: 'sato', label: '佐藤 花子', main_extension: '1001' },
          { id: 10001002, name: 'kato', label: '加藤 結衣', main_extension: '1002' },
        ],
        (u) => u.id,
      ),
    });
    let closed = false;
    render(<SettingsDialog onClose={() => (closed = true)} />);
    const box = screen.getByRole('combobox', { name: 'My phone' });
    fireEvent.change(box, { target: { value: 'さとう' } });
    expect(screen.getByRole('option', { name: /佐藤 花子/ })).toBeTruthy();
    fireEvent.keyDown(box, { key: 'Enter', isComposing: true }); // the IME's Enter confirms the text only
    fireEvent.keyDown(box, { key: 'Enter', keyCode: 229 });
    expect(screen.queryByText('You are:')).toBeNull();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(screen.getByText('You are:').parentElement!.textContent).toContain('佐藤 花子');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(closed).toBe(true);
    expect(useSettings.getState().myUserId).toBe(10001001);
    expect(JSON.parse(localStorage.getItem('basix-console-settings')!).state).toMatchObject({ myUserId: 10001001 });
  });

  it('saves the colour scheme (system / light / dark)', () => {
    render(<SettingsDialog onClose={() => {}} />);
    const select = screen.getByLabelText('Colour scheme') as HTMLSelectElement;
    expect(select.value).toBe('system');
    fireEvent.change(select, { target: { value: 'dark' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(useSettings.getState().theme).toBe('dark');
  });

  it('keeps a bad silence limit or park-group list as typed, says why and does not save', () => {
    let closed = false;
    render(<SettingsDialog onClose={() => (closed = true)} />);
    const minutes = screen.getByLabelText('Reconnect after silence (minutes)');
    const groups = screen.getByLabelText('Park groups shown');
    fireEvent.change(minutes, { target: { value: '1' } });
    fireEvent.change(groups, { target: { value: '40' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(closed).toBe(false);
    expect(minutes.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(minutes.getAttribute('aria-describedby')!)!.textContent).toContain('Enter a whole number of minutes from 2 to 1440.');
    expect(document.getElementById(groups.getAttribute('aria-describedby')!)!.textContent).toContain('park groups 0–31');
    expect(document.activeElement).toBe(minutes);
    expect(useSettings.getState().silenceMinutes).toBe(30);
  });

  it('refuses a javascript: base URL', () => {
    render(<SettingsDialog onClose={() => {}} />);
    fireEvent.change(screen.getByLabelText('Avatar base URL'), { target: { value: 'javascript:alert(1)' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Enter an http(s) URL or a path starting with /.')).toBeTruthy();
    expect(useSettings.getState().baseUrl).toBe(DEFAULT_SETTINGS.baseUrl);
  });

  it('does not alter a red threshold below amber: says why, marks the field, keeps the dialog open', () => {
    let closed = false;
    render(<SettingsDialog onClose={() => (closed = true)} />);
    const amber = screen.getByLabelText('Queue wait: amber after (seconds)');
    const red = screen.getByLabelText('Queue wait: red after (seconds)');
    fireEvent.change(amber, { target: { value: '120' } });
    fireEvent.change(red, { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(closed).toBe(false);
    expect((red as HTMLInputElement).value).toBe('30');
    expect(red.getAttribute('aria-invalid')).toBe('true');
    const msg = document.getElementById(red.getAttribute('aria-describedby')!)!;
    expect(msg.textContent).toContain('Must be more than the amber time (120 s).');
    expect(document.activeElement).toBe(red);
    expect(useSettings.getState().queueRedSec).toBe(DEFAULT_SETTINGS.queueRedSec);
    fireEvent.change(red, { target: { value: '180' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(closed).toBe(true);
    expect(useSettings.getState()).toMatchObject({ queueAmberSec: 120, queueRedSec: 180 });
  });

  it('explains invalid numbers (-5, 0, empty) instead of doing nothing on Save', () => {
    render(<SettingsDialog onClose={() => {}} />);
    for (const [label, value] of [
      ['Queue wait: amber after (seconds)', '-5'],
      ['Park warning after (seconds)', '0'],
    ] as const) {
      fireEvent.change(screen.getByLabelText(label), { target: { value } });
    }
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    for (const label of ['Queue wait: amber after (seconds)', 'Park warning after (seconds)']) {
      const input = screen.getByLabelText(label);
      expect(input.getAttribute('aria-invalid')).toBe('true');
      expect(document.getElementById(input.getAttribute('aria-describedby')!)!.textContent).toContain('Enter a whole number of seconds from 1 to 86400.');
    }
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });

  it('switches the language to Japanese', () => {
    render(<Heading />);
    expect(screen.getByRole('heading').textContent).toBe('Ringing calls');
    act(() => {
      initI18n('ja');
    });
    expect(screen.getByRole('heading').textContent).toBe('着信中');
    expect(document.documentElement.lang).toBe('ja');
  });

  describe('desktop notifications', () => {
    /** A fake Notification whose requestPermission answers `answer` (and counts calls). */
    function stubNotification(permission: NotificationPermission, answer: NotificationPermission) {
      const N = {
        permission,
        requestPermission: vi.fn(async () => {
          N.permission = answer;
          return answer;
        }),
      };
      vi.stubGlobal('Notification', N);
      return N;
    }
    afterEach(() => vi.unstubAllGlobals());
    const box = () => screen.getByRole('checkbox', { name: /Desktop notification of a new ringing call/ }) as HTMLInputElement;

    it('is off by default, asks the permission only when the user turns it on, and saves it', async () => {
      const N = stubNotification('default', 'granted');
      render(<SettingsDialog onClose={() => {}} />);
      expect(useSettings.getState().notify).toBe(false);
      expect(box().checked).toBe(false);
      expect(N.requestPermission).not.toHaveBeenCalled(); // opening Settings does not ask
      await act(async () => {
        fireEvent.click(box());
      });
      expect(N.requestPermission).toHaveBeenCalledTimes(1);
      expect(box().checked).toBe(true);
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(useSettings.getState().notify).toBe(true);
    });

    it('stays off and says why when the browser refuses, or has no notifications', async () => {
      const N = stubNotification('default', 'denied');
      render(<SettingsDialog onClose={() => {}} />);
      await act(async () => {
        fireEvent.click(box());
      });
      expect(N.requestPermission).toHaveBeenCalledTimes(1);
      expect(box().checked).toBe(false);
      expect(document.getElementById(box().getAttribute('aria-describedby')!)!.textContent).toContain('Notifications are blocked for this site');
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
      expect(useSettings.getState().notify).toBe(false);
      cleanup();
      vi.unstubAllGlobals();
      vi.stubGlobal('Notification', undefined);
      render(<SettingsDialog onClose={() => {}} />);
      expect(box().disabled).toBe(true);
      expect(document.getElementById(box().getAttribute('aria-describedby')!)!.textContent).toContain('This browser cannot show notifications.');
    });
  });
});
