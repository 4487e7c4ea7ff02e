import { describe, expect, it } from 'vitest';
import { isTakeKey } from './app.tsx';

const k = (over: Partial<Parameters<typeof isTakeKey>[0]>) => ({ key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...over });

describe('isTakeKey', () => {
  it('T, Alt+T and Ctrl/⌘+Enter take; the IME-on character of T still has the physical key', () => {
    expect(isTakeKey(k({ key: 't', code: 'KeyT' }))).toBe(true);
    expect(isTakeKey(k({ key: 'T', code: 'KeyT', shiftKey: true }))).toBe(true);
    expect(isTakeKey(k({ key: '†', code: 'KeyT', altKey: true }))).toBe(true);
    expect(isTakeKey(k({ key: 'Process', code: 'KeyT' }))).toBe(true);
    expect(isTakeKey(k({ key: 'Enter', code: 'Enter', ctrlKey: true }))).toBe(true);
    expect(isTakeKey(k({ key: 'Enter', code: 'Enter', metaKey: true }))).toBe(true);
  });
  it('plain Enter opens (not take); Ctrl+T is the browser’s', () => {
    expect(isTakeKey(k({ key: 'Enter', code: 'Enter' }))).toBe(false);
    expect(isTakeKey(k({ key: 't', code: 'KeyT', ctrlKey: true }))).toBe(false);
    expect(isTakeKey(k({ key: 'x', code: 'KeyX' }))).toBe(false);
  });
});
