import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, sanitizeSettings } from './settings-store.ts';

describe('sanitizeSettings', () => {
  it('fills defaults for missing or bad values', () => {
    expect(sanitizeSettings(null)).toEqual(DEFAULT_SETTINGS);
    const s = sanitizeSettings({ queueAmberSec: -5, parkWarnSec: 'x', language: 'fr', zoom: 7, baseUrl: 'javascript:alert(1)' });
    expect(s.queueAmberSec).toBe(30);
    expect(s.parkWarnSec).toBe(180);
    expect(s.language).toBe('auto');
    expect(s.zoom).toBe('auto');
    expect(s.baseUrl).toBe(DEFAULT_SETTINGS.baseUrl);
  });
  it('keeps good values, appends / to base_url and keeps amber below red', () => {
    const s = sanitizeSettings({ baseUrl: 'https://pbx.example.jp', queueAmberSec: 60, queueRedSec: 20, language: 'ja', zoom: 1.5 });
    expect(s.baseUrl).toBe('https://pbx.example.jp/');
    expect(s.queueAmberSec).toBe(60);
    expect(s.queueRedSec).toBe(61);
    expect(s.language).toBe('ja');
    expect(s.zoom).toBe(1.5);
  });
  it('desktop notifications are off unless explicitly on', () => {
    expect(DEFAULT_SETTINGS.notify).toBe(false);
    expect(sanitizeSettings({}).notify).toBe(false);
    expect(sanitizeSettings({ notify: 'yes' }).notify).toBe(false);
    expect(sanitizeSettings({ notify: true }).notify).toBe(true);
  });
});
