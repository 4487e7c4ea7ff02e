import { describe, expect, it } from 'vitest';
import { codeText, flagState, loginState, memberAvailability, presenceState, registeredState } from './value-codes.ts';

describe('value codes (ours: the vendor documents none)', () => {
  it('flags: 0 off, 1 on, booleans alike, anything else unknown', () => {
    expect([flagState(0), flagState(1), flagState(true), flagState(false), flagState(2), flagState('x'), flagState(undefined)]).toEqual([
      'off', 'on', 'on', 'off', 'unknown', 'unknown', 'absent',
    ]);
    expect(flagState(1n)).toBe('on');
  });

  it('login_status 1 in, 0 out, else unknown; presence 0–3, else unknown; registered true/false/1/0', () => {
    expect([loginState(1), loginState(0), loginState(4)]).toEqual(['in', 'out', 'unknown']);
    expect([presenceState(0), presenceState(3), presenceState(7), presenceState(-1), presenceState(null)]).toEqual(['available', 'offline', 'unknown', 'unknown', 'absent']);
    expect([registeredState(true), registeredState(0), registeredState('maybe')]).toEqual(['yes', 'no', 'unknown']);
  });

  it('a member is free only when every code it needs is known; an unknown code is neither free nor unavailable', () => {
    expect(memberAvailability(1, 0, 0)).toBe('yes');
    expect(memberAvailability(1, undefined, undefined)).toBe('yes');
    expect(memberAvailability(0, 0, 0)).toBe('no');
    expect(memberAvailability(1, 1, 0)).toBe('no');
    expect(memberAvailability(1, 0, 3)).toBe('no');
    expect(memberAvailability(1, 0, 7)).toBe('unknown');
    expect(memberAvailability(1, 2, 0)).toBe('unknown');
    expect(memberAvailability(5, 0, 0)).toBe('unknown');
    expect(memberAvailability(undefined, 0, 0)).toBe('unknown');
  });

  it('shows a raw code as itself', () => {
    expect([codeText(7), codeText('busy'), codeText(undefined), codeText(12n)]).toEqual(['7', 'busy', '', '12']);
  });
});
