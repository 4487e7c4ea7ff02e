// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { channel, mapOf, seedStore } from '../app/test-utils.tsx';
import { cleanText, UserText } from './text.tsx';
import { RingingPanel } from '../features/ringing/ringing-panel.tsx';
import { formatPhone } from '../lib/phone.ts';

afterEach(cleanup);

const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

describe('cleanText / UserText', () => {
  it('strips every bidi control character and nothing else', () => {
    for (const c of CONTROLS) expect(cleanText(`a${c}b`)).toBe('ab');
    expect(cleanText('\u202Elive')).toBe('live');
    expect(cleanText('山田 太郎 (مرحبا) 03-1234')).toBe('山田 太郎 (مرحبا) 03-1234');
    expect(cleanText(null)).toBe('');
    expect(formatPhone('\u202E0312345678')).toBe('03-1234-5678');
  });

  it('renders an isolated run (<bdi>) with the cleaned text and title', () => {
    render(<UserText text={'\u202Eevil'} className="block truncate" />);
    const el = screen.getByText('evil');
    expect(el.tagName).toBe('BDI');
    expect(el.getAttribute('title')).toBe('evil');
  });

  it('a caller name with U+202E is shown without the override in the ringing panel', () => {
    seedStore({
      user: mapOf([{ id: 7, name: 'u7', label: '\u202Ereception', presence: 0 }], (u) => u.id),
      channel: mapOf(
        [channel('a', 3, { calling_name: '\u202Eevil', state: { ts: Date.now() * 1000, name: 'calling', data: { target_type: 'user', user_id: 7 } } })],
        (c) => c.uuid,
      ),
    });
    render(<RingingPanel onOpenCall={() => {}} />);
    const text = screen.getByRole('region', { name: 'Ringing calls' }).innerHTML;
    for (const c of CONTROLS) expect(text.includes(c)).toBe(false);
    expect(text).toContain('evil');
    expect(text).toContain('User reception');
  });
});
