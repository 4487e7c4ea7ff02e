import { useEffect, useRef, useState } from 'react';

/**
 * `value`, passed on at most every `ms` milliseconds: a change after a quiet spell shows at once
 * (leading edge), changes that follow it within `ms` are held and the latest shows when `ms` has
 * passed (trailing edge). For panels whose input changes with every worker batch under load but
 * need not be redrawn that often (the missed-call list, calls in progress): fewer renders and
 * layout reads on the UI thread, never a value older than `ms`.
 * @param value compared by identity (store maps and lists are replaced on change)
 * @param ms the shortest time between two values passed on, > 0
 */
export function useThrottledValue<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastAtMs = useRef(-Infinity);
  const latest = useRef(value);
  latest.current = value;
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = lastAtMs.current + ms - performance.now();
    if (wait <= 0) {
      lastAtMs.current = performance.now();
      setShown(value);
      return;
    }
    const id = setTimeout(() => {
      lastAtMs.current = performance.now();
      setShown(latest.current);
    }, wait);
    return () => clearTimeout(id);
  }, [value, shown, ms]);
  return Object.is(value, shown) ? value : shown;
}
