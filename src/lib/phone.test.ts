import { describe, expect, it } from 'vitest';
import { formatPhone } from './phone.ts';

describe('formatPhone', () => {
  it('formats Japanese numbers in national format', () => {
    expect(formatPhone('0312345678')).toBe('03-1234-5678');
    expect(formatPhone('+81312345678')).toBe('03-1234-5678');
    expect(formatPhone('09012345678')).toBe('090-1234-5678');
    expect(formatPhone('0120123456')).toBe('0120-123-456');
    expect(formatPhone('0612345678')).toBe('06-1234-5678');
    expect(formatPhone('05012345678')).toBe('050-1234-5678');
    // too short for 050: shown as typed, never without its leading 0
    expect(formatPhone('0501234567')).toBe('0501234567');
  });
  it('formats foreign numbers internationally', () => {
    expect(formatPhone('+14155552671')).toBe('+1 415 555 2671');
  });
  it('leaves extensions, names and junk unchanged', () => {
    expect(formatPhone('1001')).toBe('1001');
    expect(formatPhone('anonymous')).toBe('anonymous');
    expect(formatPhone('user@host')).toBe('user@host');
    expect(formatPhone('')).toBe('');
    expect(formatPhone(undefined)).toBe('');
    expect(formatPhone(12345)).toBe('12345');
  });

  it('memoizes: repeated and many distinct numbers give the same results as the first call', () => {
    expect(formatPhone('0312345678')).toBe('03-1234-5678');
    expect(formatPhone('0312345678')).toBe('03-1234-5678');
    expect(formatPhone('0312345678', 'US')).not.toBe('03-1234-5678'); // the region is part of the key
    for (let i = 0; i < 6000; i++) formatPhone(`03${String(10000000 + i)}`); // past the cache bound
    expect(formatPhone('0312345678')).toBe('03-1234-5678');
    expect(formatPhone('1001')).toBe('1001');
  });
});
