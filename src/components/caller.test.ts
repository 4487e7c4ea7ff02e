import { describe, expect, it } from 'vitest';
import { callTarget } from './caller.ts';
import type { Channel } from '../stores/cti-types.ts';

describe('callTarget', () => {
  const none = new Map();
  it('shows the called number when nothing better is known', () => {
    expect(callTarget({ uuid: 'a', called_number: '0312345678' }, none, none)).toEqual({ kind: 'other', id: null, label: '03-1234-5678' });
  });
  it("never shows a ring-back's RINGING_PARK marker as a number", () => {
    const rb: Channel = { uuid: 'b', called_number: 'RINGING_PARK905', state: { ts: 1, name: 'ringing', data: {} } };
    expect(callTarget(rb, none, none)).toBeNull();
  });
});
