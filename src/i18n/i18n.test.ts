import { describe, expect, it } from 'vitest';
import { browserLanguage } from './index.ts';
import { en } from './en.ts';
import { ja } from './ja.ts';

function keys(o: object, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`]));
}

describe('i18n', () => {
  it('defaults to English except for browsers preferring Japanese', () => {
    expect(browserLanguage(['en-US', 'ja'])).toBe('en');
    expect(browserLanguage(['en-GB'])).toBe('en');
    expect(browserLanguage(['ja-JP', 'en'])).toBe('ja');
    expect(browserLanguage(['ja'])).toBe('ja');
    expect(browserLanguage(['fr-FR'])).toBe('en');
    expect(browserLanguage([])).toBe('en');
  });
  it('has a Japanese string for every English key (Japanese has no _one plural)', () => {
    const jaKeys = new Set(keys(ja));
    const missing = keys(en).filter((k) => !k.endsWith('_one') && !jaKeys.has(k));
    expect(missing).toEqual([]);
    const extra = [...jaKeys].filter((k) => !keys(en).includes(k));
    expect(extra).toEqual([]);
  });
  it('keeps the English accessible names the e2e tests use', () => {
    expect(en.panels).toEqual({ ringing: 'Ringing calls', queues: 'Queues', park: 'Park slots', users: 'Users', groups: 'Groups', missed: 'Missed calls' });
    expect(en.park.slot).toBe('Park slot {{slot}}');
    expect(en.banner.takeOver).toBe('Take over');
  });
});
