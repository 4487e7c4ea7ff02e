import { useEffect, useState } from 'react';
import { pbxNowUs } from './clock.ts';

/**
 * Re-renders every `intervalMs` and returns "now" on the PBX clock (µs since epoch), for
 * live-ticking wait / ring / park times. Use it in the lowest component that shows a time so
 * only that component re-renders.
 * @param intervalMs tick period, ms; default 1000
 * @returns PBX now, µs ({@link pbxNowUs})
 */
export function useNowTick(intervalMs = 1000): number {
  const [nowUs, setNowUs] = useState(pbxNowUs);
  useEffect(() => {
    const id = setInterval(() => setNowUs(pbxNowUs()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return nowUs;
}
