// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { installTheme } from './theme.ts';
import { sanitizeSettings, useSettings } from './settings-store.ts';

afterEach(() => useSettings.getState().reset());

describe('colour scheme (issue 11)', () => {
  it('puts dark / light on <html> for a fixed choice and leaves system to the OS, following changes', () => {
    const root = document.documentElement;
    useSettings.getState().update({ theme: 'dark' });
    const stop = installTheme();
    expect(root.classList.contains('dark')).toBe(true);
    expect(root.style.colorScheme).toBe('dark');
    useSettings.getState().update({ theme: 'light' });
    expect([root.classList.contains('dark'), root.classList.contains('light'), root.style.colorScheme]).toEqual([false, true, 'light']);
    useSettings.getState().update({ theme: 'system' });
    expect([root.classList.contains('dark'), root.classList.contains('light'), root.style.colorScheme]).toEqual([false, false, '']);
    stop();
    useSettings.getState().update({ theme: 'dark' });
    expect(root.classList.contains('dark')).toBe(false); // no longer followed
  });
  it('keeps only a known scheme from storage', () => {
    expect(sanitizeSettings({ theme: 'dark' }).theme).toBe('dark');
    expect(sanitizeSettings({ theme: 'purple' }).theme).toBe('system');
    expect(sanitizeSettings({}).theme).toBe('system');
  });
});
