import { describe, expect, it } from 'vitest';
import { resolveAvatarUrl, safeUrl } from './safe-url.ts';

describe('safeUrl', () => {
  it('keeps http(s) and relative URLs', () => {
    expect(safeUrl('https://pbx.example.jp/a.png')).toBe('https://pbx.example.jp/a.png');
    expect(safeUrl('http://pbx.example.jp/a.png')).toBe('http://pbx.example.jp/a.png');
    expect(safeUrl('/basix/avatars/users/1.png')).toBe('/basix/avatars/users/1.png');
    expect(safeUrl('avatars/1.png')).toBe('avatars/1.png');
    expect(safeUrl('../x.png')).toBe('../x.png');
  });
  it('refuses script, data and other schemes, also disguised', () => {
    for (const bad of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      '\u0001javascript:alert(1)',
      'data:image/svg+xml,<svg/>',
      'vbscript:x',
      'file:///etc/passwd',
      '//evil.example/x.png',
      '\\\\evil\\x',
      'a:b/c',
      '',
      '   ',
    ]) {
      expect(safeUrl(bad), bad).toBeNull();
    }
    expect(safeUrl(undefined)).toBeNull();
    expect(safeUrl(42)).toBeNull();
  });
});

describe('resolveAvatarUrl', () => {
  const base = 'https://pbx.example.jp/';
  it('resolves relative avatars and fallbacks against base_url', () => {
    expect(resolveAvatarUrl('u1.png', base, 'users')).toBe('https://pbx.example.jp/basix/avatars/users/u1.png');
    expect(resolveAvatarUrl('e1.png', base, 'end_users')).toBe('https://pbx.example.jp/basix/avatars/end_users/e1.png');
    expect(resolveAvatarUrl('', base, 'users')).toBe('https://pbx.example.jp/static/icons/user.png');
    expect(resolveAvatarUrl(undefined, 'https://pbx.example.jp', 'end_users')).toBe(
      'https://pbx.example.jp/static/icons/end_user.png',
    );
  });
  it('keeps absolute http(s) avatars and refuses others', () => {
    expect(resolveAvatarUrl('https://cdn.example.com/a.png', base, 'users')).toBe('https://cdn.example.com/a.png');
    expect(resolveAvatarUrl('javascript:alert(1)', base, 'users')).toBe(
      'https://pbx.example.jp/basix/avatars/users/javascript:alert(1)',
    );
  });
});
