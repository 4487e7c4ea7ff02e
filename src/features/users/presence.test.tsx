// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/react';
import '../../app/test-utils.tsx';
import { DND_ICON, PRESENCE, PresenceLabel } from './presence.tsx';

afterEach(cleanup);

describe('presence and DND icons (issue 11)', () => {
  it('DND has an icon of its own, unlike every presence', () => {
    expect(Object.values(PRESENCE).map((p) => p.icon)).not.toContain(DND_ICON);
    const { container } = render(<PresenceLabel value={2} />);
    expect(container.textContent).toContain('⊘');
    expect(container.textContent).not.toContain(DND_ICON);
  });
});
