// What the parser does for a user of the vendor's basix_ws_cti 1.4.0 who gave no `on_error`
// (docs/cti-parser.md "Errors"): problems go to a rate-limited console.warn instead of being thrown
// inside their `ws` message handler; and the optional conversion of integers past 2^53.

/** How integers past 2^53 − 1 reach the callbacks (`MessageParserOptions.big_integers`). */
export type BigIntegerMode = 'bigint' | 'string' | 'number';

/** Options of {@link createWarner}. */
export interface WarnerOptions {
  /** warnings shown per window; default 10 */
  burst?: number;
  /** window length, ms; default 60 000 */
  windowMs?: number;
  /** clock in ms (inject for tests); default Date.now */
  now?: () => number;
  /** where warnings go; default console.warn */
  warn?: (text: string) => void;
}

/**
 * A rate-limited reporter of parser problems: at most `burst` warnings per `windowMs`; the first
 * warning after a quiet spell also says how many were left out. Never throws (a `warn` that throws
 * is ignored), so a bad frame cannot take down the caller's message handler.
 * @returns a function taking the error to report
 */
export function createWarner(opts: WarnerOptions = {}): (err: Error) => void {
  const burst = opts.burst ?? 10;
  const windowMs = opts.windowMs ?? 60_000;
  const now = opts.now ?? Date.now;
  const warn = opts.warn ?? ((text: string) => console.warn(text));
  let windowStart = -Infinity;
  let shown = 0;
  let suppressed = 0;
  return (err: Error) => {
    const t = now();
    if (t - windowStart >= windowMs) {
      windowStart = t;
      shown = 0;
    }
    if (shown >= burst) {
      suppressed++;
      return;
    }
    shown++;
    const code = (err as { code?: unknown }).code;
    const more = suppressed > 0 ? ` (${suppressed} more problem${suppressed === 1 ? '' : 's'} not shown)` : '';
    suppressed = 0;
    const text = `basix-cti: ${err.name}${typeof code === 'string' ? ` ${code}` : ''}: ${err.message}${more}; the parser goes on (pass on_error to handle these, strict: true to throw them)`;
    try {
      warn(text);
    } catch {
      // a broken console must not break parsing
    }
  };
}

/**
 * Replace every bigint in a freshly parsed value, in place, by its decimal string (`'string'`) or
 * the nearest number (`'number'`, which loses precision past 2^53 — the caller asked for it).
 * Walks arrays, plain objects and Maps (values); class instances (pids, refs…) are left as they are.
 * @returns the value, or its replacement when the value itself is a bigint
 */
export function convertBigints(value: unknown, mode: Exclude<BigIntegerMode, 'bigint'>): unknown {
  if (typeof value === 'bigint') return mode === 'string' ? value.toString() : Number(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) value[i] = convertBigints(v, mode);
    }
    return value;
  }
  if (value instanceof Map) {
    for (const [k, v] of value) if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) value.set(k, convertBigints(v, mode));
    return value;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const o = value as Record<string, unknown>;
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'bigint' || (typeof v === 'object' && v !== null)) o[k] = convertBigints(v, mode);
  }
  return value;
}
