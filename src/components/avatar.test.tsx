// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import '../app/test-utils.tsx';
import { Avatar, FALLBACK_AVATAR } from './avatar.tsx';
import { avatarPolicy, PBX_ONLY_NO_ORIGINS, setAvatarPolicy, useAvatarPolicy } from '../lib/avatar-origin.ts';
import { useSettings } from '../features/settings/settings-store.ts';

const PBX_AVATAR = 'https://pbx.example.jp/basix/avatars/end_users/e1.png';
const CRM_AVATAR = 'https://crm.example.com/photos/yamada.png';

afterEach(() => {
  cleanup();
  act(() => {
    useSettings.getState().reset();
    useAvatarPolicy.setState({ policy: PBX_ONLY_NO_ORIGINS });
  });
});

const img = () => document.querySelector('img')!;

describe('Avatar', () => {
  it('loads an avatar on the PBX’s origin', () => {
    act(() => setAvatarPolicy(avatarPolicy('pbx', 'https://pbx.example.jp/', null)));
    render(<Avatar src={PBX_AVATAR} />);
    expect(img().getAttribute('src')).toBe(PBX_AVATAR);
  });

  it('shows the fallback for an avatar on another host under "only from the PBX", and never puts its URL in the page', () => {
    act(() => setAvatarPolicy(avatarPolicy('pbx', 'https://pbx.example.jp/', null)));
    render(<Avatar src={CRM_AVATAR} />);
    // a data: URL makes no request; the blocked URL is nowhere in the DOM (no src, srcset or preload)
    expect(img().getAttribute('src')).toBe(FALLBACK_AVATAR);
    expect(document.body.innerHTML).not.toContain('crm.example.com');
  });

  it('shows the same fallback for a blocked avatar as for a broken one', () => {
    act(() => setAvatarPolicy(avatarPolicy('pbx', 'https://pbx.example.jp/', null)));
    render(
      <>
        <Avatar src={CRM_AVATAR} />
        <Avatar src={PBX_AVATAR} />
      </>,
    );
    const [blocked, broken] = Array.from(document.querySelectorAll('img'));
    fireEvent.error(broken);
    expect(broken.getAttribute('src')).toBe(FALLBACK_AVATAR);
    expect(blocked.outerHTML).toBe(broken.outerHTML);
  });

  it('loads an avatar on any host under "from any host"', () => {
    act(() => setAvatarPolicy(avatarPolicy('any', 'https://pbx.example.jp/', null)));
    render(<Avatar src={CRM_AVATAR} />);
    expect(img().getAttribute('src')).toBe(CRM_AVATAR);
  });

  it('follows the Settings choice (default: only from the PBX) and switches at once when it changes', () => {
    act(() => useSettings.getState().update({ baseUrl: 'https://pbx.example.jp/' }));
    expect(useSettings.getState().avatarSource).toBe('pbx');
    render(<Avatar src={CRM_AVATAR} />);
    expect(img().getAttribute('src')).toBe(FALLBACK_AVATAR);
    act(() => useSettings.getState().update({ avatarSource: 'any' }));
    expect(img().getAttribute('src')).toBe(CRM_AVATAR);
    act(() => useSettings.getState().update({ avatarSource: 'pbx' }));
    expect(img().getAttribute('src')).toBe(FALLBACK_AVATAR);
  });

  it('still refuses unsafe URLs under "from any host"', () => {
    act(() => setAvatarPolicy(avatarPolicy('any', '/', null)));
    render(<Avatar src="javascript:alert(1)" />);
    expect(img().getAttribute('src')).toBe(FALLBACK_AVATAR);
  });
});
