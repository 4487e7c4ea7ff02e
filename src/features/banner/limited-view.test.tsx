// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { seedStore } from '../../app/test-utils.tsx';
import { SystemBanner } from './system-banner.tsx';
import { RingingPanel } from '../ringing/ringing-panel.tsx';
import { QueuesPanel } from '../queues/queues-panel.tsx';
import { MissedPanel } from '../missed/missed-panel.tsx';

afterEach(cleanup);

describe('limited (non-admin) view', () => {
  it('says so in the banner and in the call panels’ empty states', () => {
    seedStore({ session: { username: 'user1', userId: 1001, isAdmin: false } });
    render(
      <>
        <SystemBanner />
        <RingingPanel onOpenCall={() => {}} />
        <QueuesPanel onOpenCall={() => {}} />
        <MissedPanel />
      </>,
    );
    expect(screen.getByTestId('limited-view').textContent).toMatch(/Limited view: only your own calls — log in with a PBX admin or operator account/);
    expect(screen.getByRole('region', { name: 'Ringing calls' }).textContent).toMatch(/No calls ringing.*Limited view/);
    expect(screen.getByRole('region', { name: 'Queues' }).textContent).toMatch(/Limited view/);
    expect(screen.getByRole('region', { name: 'Missed calls' }).textContent).toMatch(/Limited view/);
  });

  it('shows nothing of the kind for an admin/operator login', () => {
    seedStore({ session: { username: 'operator', userId: 900, isAdmin: true } });
    render(
      <>
        <SystemBanner />
        <RingingPanel onOpenCall={() => {}} />
      </>,
    );
    expect(screen.queryByTestId('limited-view')).toBeNull();
    expect(screen.getByRole('region', { name: 'Ringing calls' }).textContent).not.toMatch(/Limited/);
  });
});
