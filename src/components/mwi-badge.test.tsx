// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import '../app/test-utils.tsx';
import { MwiBadge, mwiOf } from './mwi-badge.tsx';

afterEach(cleanup);

describe('MwiBadge', () => {
  it('has a text alternative with new, saved and urgent counts', () => {
    render(<MwiBadge counts={mwiOf('3/5 (1/0)')} />);
    expect(screen.getByText('3 new voicemail messages, 5 saved, 1 urgent')).toBeTruthy();
    // the visible glyphs are hidden from assistive technology
    const hidden = document.querySelector('[aria-hidden="true"]');
    expect(hidden?.textContent).toContain('3/5');
  });
  it('uses the singular for one message and omits urgent when there is none', () => {
    render(<MwiBadge counts={mwiOf('1/1')} />);
    expect(screen.getByText('1 new voicemail message, 1 saved')).toBeTruthy();
  });
  it('renders nothing without a box or messages', () => {
    const { container } = render(<MwiBadge counts={mwiOf('')} />);
    expect(container.textContent).toBe('');
    expect(mwiOf(undefined)).toBeNull();
    expect(mwiOf('0/0')).toBeNull();
  });
});
