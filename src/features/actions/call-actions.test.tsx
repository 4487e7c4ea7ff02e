// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import type { PendingAction } from '../../stores/console-state.ts';
import { ActionStatus } from './call-actions.tsx';

afterEach(cleanup);

const action = (patch: Partial<PendingAction>): PendingAction => ({
  id: 'a1',
  kind: 'park',
  command: { cmd: 'park', uuid: 'c1' },
  uuid: 'c1',
  relatedUuids: [],
  knownAtSend: true,
  targetUserId: null,
  sentAtMs: 1,
  deadlineAtMs: 5_001,
  status: 'pending',
  message: null,
  failure: null,
  settledAtMs: null,
  ...patch,
});

describe('ActionStatus', () => {
  it('a limited view\'s unconfirmed action says "sent, not confirmed", never "failed"', () => {
    seedStore();
    render(<ActionStatus actions={[action({ status: 'unconfirmed', settledAtMs: 6_000 })]} />);
    const line = screen.getByRole('status').textContent ?? '';
    expect(line).toMatch(/sent, not confirmed/);
    expect(line).not.toMatch(/failed/i);
    expect(line).not.toContain('✖');
  });

  it('a failed one still says failed, with the reason', () => {
    seedStore();
    render(<ActionStatus actions={[action({ status: 'failed', failure: 'timeout', settledAtMs: 6_000 })]} />);
    expect(screen.getByRole('status').textContent).toMatch(/✖/);
  });
});
