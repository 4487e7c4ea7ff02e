// Errors of the ETF codec (ERTS User's Guide, "External Term Format").
import type { DecodeOptions } from './decode.ts';

/**
 * Why a frame was rejected:
 * - `BAD_VERSION`: the first byte is not 131 (the ETF version magic);
 * - `UNKNOWN_TAG`: a tag byte the codec does not know (or that only appears in distribution headers);
 * - `TRUNCATED`: the frame ends in the middle of a term (also a cut zlib stream);
 * - `LIMIT`: a size, length or nesting limit of {@link DecodeOptions} was exceeded;
 * - `TRAILING_BYTES`: bytes follow the complete term;
 * - `BAD_VALUE`: a well-framed but invalid value (bad float text, bit count out of 1..8, non-atom node, …);
 * - `INFLATE_FAILED`: the zlib data of a compressed term (tag 80) is corrupt, or inflates to another size than declared;
 * - `BAD_OPTION`: a {@link DecodeOptions} value is not what it must be (the message names the option; `offset` 0) —
 *   a caller's mistake, not the frame's, reported with this class so that nothing else escapes the decoder.
 */
export type EtfDecodeErrorCode =
  | 'BAD_VERSION'
  | 'UNKNOWN_TAG'
  | 'TRUNCATED'
  | 'LIMIT'
  | 'TRAILING_BYTES'
  | 'BAD_VALUE'
  | 'INFLATE_FAILED'
  | 'BAD_OPTION';

/**
 * The only error `decodeEtf`/`decodeEtfPlain` throw for bad input.
 * `offset` is the byte offset in the input where the problem was found; inside a compressed
 * term (tag 80) it is the offset in the *inflated* data and `inflated` is true.
 */
export class EtfDecodeError extends Error {
  override readonly name = 'EtfDecodeError';
  constructor(
    readonly code: EtfDecodeErrorCode,
    message: string,
    /** Byte offset of the problem (in the inflated data when `inflated`). */
    readonly offset: number,
    /** true when `offset` refers to the inflated contents of a compressed term. */
    readonly inflated = false,
    /** for `BAD_OPTION`: the {@link DecodeOptions} property at fault (e.g. `maxDepth`), undefined when `opts` itself is not an object */
    readonly option?: keyof DecodeOptions,
  ) {
    super(`${message} (${code} at byte ${offset}${inflated ? ' of the inflated data' : ''})`);
  }
  /** true when the frame was merely cut short (more bytes would have made it decodable). */
  get truncated(): boolean {
    return this.code === 'TRUNCATED';
  }
}

/** Thrown by `encodeEtf` for a value that has no Erlang term (a plain object, `null`, NaN, a symbol, a too-long atom, a cycle…). `path` locates it, e.g. `$[2].elements[0]`. */
export class EtfEncodeError extends Error {
  override readonly name = 'EtfEncodeError';
  constructor(
    message: string,
    /** Where in the input term the bad value sits, e.g. `$[1].elements[0]`. */
    readonly path: string,
  ) {
    super(`${message} at ${path}`);
  }
}

/**
 * Is `e` the engine's "out of stack" error? V8 and JavaScriptCore throw a `RangeError`
 * ("Maximum call stack size exceeded"), SpiderMonkey an `InternalError` ("too much recursion").
 * (Also a `SyntaxError` for that message: a regex compiled with the stack exhausted fails that way.)
 * The codec recurses once per nesting level, so a deep enough term (with a high `maxDepth`, or a
 * caller already deep in its own stack) can run out of stack; the codec turns that into its own
 * error, code `LIMIT`, instead of letting it escape.
 */
export function isStackOverflow(e: unknown): boolean {
  // No regular expression here: this runs where the stack is exhausted, and V8 compiles a regex
  // lazily — that compilation itself then fails (a SyntaxError saying "Maximum call stack size exceeded").
  if (!(e instanceof Error)) return false;
  const m = e.message;
  if (e instanceof RangeError) return m.includes('call stack') || m.includes('stack size') || m.includes('stack overflow');
  if (e instanceof SyntaxError) return m.includes('Maximum call stack size exceeded');
  return e.name === 'InternalError' && m.includes('recursion');
}
