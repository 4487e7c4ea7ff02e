import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, formatParkGroups, parseParkGroups, sanitizeSettings } from './settings-store.ts';

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
  it('avatars load only from the PBX unless explicitly allowed from any host', () => {
    expect(DEFAULT_SETTINGS.avatarSource).toBe('pbx');
    expect(sanitizeSettings({}).avatarSource).toBe('pbx');
    expect(sanitizeSettings({ avatarSource: 'anywhere' }).avatarSource).toBe('pbx');
    expect(sanitizeSettings({ avatarSource: 'any' }).avatarSource).toBe('any');
  });
  it('desktop notifications are off unless explicitly on', () => {
    expect(DEFAULT_SETTINGS.notify).toBe(false);
    expect(sanitizeSettings({}).notify).toBe(false);
    expect(sanitizeSettings({ notify: 'yes' }).notify).toBe(false);
    expect(sanitizeSettings({ notify: true }).notify).toBe(true);
  });
});

describe('settings read by the connection and the park panel', () => {
  it('defaults: all calls auto, reconnect after 30 silent minutes, own park group, own user unknown', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ fullEvents: 'auto', silenceMinutes: 30, parkGroups: 'auto', myUserId: null });
  });
  it('keeps valid values and replaces bad ones', () => {
    expect(sanitizeSettings({ fullEvents: 'never', silenceMinutes: 2, parkGroups: [3, 0, 3], myUserId: 10001001 })).toMatchObject({
      fullEvents: 'never', silenceMinutes: 2, parkGroups: [0, 3], myUserId: 10001001,
    });
    expect(sanitizeSettings({ fullEvents: 'yes', silenceMinutes: 1, parkGroups: [40, -1], myUserId: -3 })).toMatchObject({
      fullEvents: 'auto', silenceMinutes: 30, parkGroups: 'auto', myUserId: null,
    });
    expect(sanitizeSettings({ silenceMinutes: 1441 }).silenceMinutes).toBe(30);
    expect(sanitizeSettings({ parkGroups: 'x' }).parkGroups).toBe('auto');
  });
  it('parses the park-groups field as typed', () => {
    expect(parseParkGroups('')).toBe('auto');
    expect(parseParkGroups(' Auto ')).toBe('auto');
    expect(parseParkGroups('2, 0 5')).toEqual([0, 2, 5]);
    expect(parseParkGroups('32')).toBeNull();
    expect(parseParkGroups('1-3')).toBeNull();
    expect(formatParkGroups([0, 2])).toBe('0, 2');
    expect(formatParkGroups('auto')).toBe('auto');
  });
});
