import { afterEach, describe, expect, it } from 'vitest';
import { avatarAllowed, avatarPolicy, PBX_ONLY_NO_ORIGINS, pbxOrigins, setAvatarPolicy, useAvatarPolicy } from './avatar-origin.ts';

afterEach(() => useAvatarPolicy.setState({ policy: PBX_ONLY_NO_ORIGINS }));

describe('pbxOrigins', () => {
  it('is the console’s own origin and the base URL’s, once each', () => {
    expect(pbxOrigins('https://console.example.jp/', 'https://console.example.jp')).toEqual(['https://console.example.jp']);
    expect(pbxOrigins('https://pbx.example.jp/basix/', 'https://console.example.jp')).toEqual(['https://console.example.jp', 'https://pbx.example.jp']);
    expect(pbxOrigins('/avatars/', 'http://127.0.0.1:5173')).toEqual(['http://127.0.0.1:5173']);
  });
  it('uses the base URL alone when the page has no usable origin (file:, sandboxed, Node)', () => {
    expect(pbxOrigins('https://pbx.example.jp/', 'null')).toEqual(['https://pbx.example.jp']);
    expect(pbxOrigins('https://pbx.example.jp/', null)).toEqual(['https://pbx.example.jp']);
    expect(pbxOrigins('/x/', undefined)).toEqual([]);
    expect(pbxOrigins('javascript:alert(1)', '')).toEqual([]);
  });
});

describe('avatarAllowed', () => {
  const pbx = avatarPolicy('pbx', 'https://pbx.example.jp/', 'https://console.example.jp');
  it('under "only from the PBX" allows the PBX’s origins and relative URLs, nothing else', () => {
    expect(avatarAllowed('https://pbx.example.jp/basix/avatars/users/u1.png', pbx)).toBe(true);
    expect(avatarAllowed('https://console.example.jp/static/icons/user.png', pbx)).toBe(true);
    expect(avatarAllowed('/basix/avatars/end_users/e1.png', pbx)).toBe(true);
    expect(avatarAllowed('avatars/e1.png', pbx)).toBe(true);
    expect(avatarAllowed('https://crm.example.com/photos/1.png', pbx)).toBe(false);
    // same host, other scheme or port: another origin
    expect(avatarAllowed('http://pbx.example.jp/basix/avatars/users/u1.png', pbx)).toBe(false);
    expect(avatarAllowed('https://pbx.example.jp:8443/a.png', pbx)).toBe(false);
    // look-alikes
    expect(avatarAllowed('https://pbx.example.jp.tracker.example.net/a.png', pbx)).toBe(false);
    expect(avatarAllowed('https://pbx.example.jp@tracker.example.net/a.png', pbx)).toBe(false);
    expect(avatarAllowed('//tracker.example.net/a.png', pbx)).toBe(false);
    expect(avatarAllowed('https://', pbx)).toBe(false);
  });
  it('under "from any host" allows any URL', () => {
    expect(avatarAllowed('https://crm.example.com/photos/1.png', avatarPolicy('any', '/', null))).toBe(true);
  });
  it('before any setting only relative URLs pass', () => {
    expect(avatarAllowed('https://pbx.example.jp/a.png', PBX_ONLY_NO_ORIGINS)).toBe(false);
    expect(avatarAllowed('/a.png', PBX_ONLY_NO_ORIGINS)).toBe(true);
  });
});

describe('setAvatarPolicy', () => {
  it('replaces the policy, and keeps the same object when nothing changed (no re-render of every avatar)', () => {
    setAvatarPolicy(avatarPolicy('pbx', 'https://pbx.example.jp/', null));
    const first = useAvatarPolicy.getState().policy;
    expect(first).toEqual({ mode: 'pbx', origins: ['https://pbx.example.jp'] });
    setAvatarPolicy(avatarPolicy('pbx', 'https://pbx.example.jp/x/', null));
    expect(useAvatarPolicy.getState().policy).toBe(first);
    setAvatarPolicy(avatarPolicy('any', 'https://pbx.example.jp/', null));
    expect(useAvatarPolicy.getState().policy).toEqual({ mode: 'any' });
  });
});
