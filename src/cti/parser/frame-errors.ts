// The record errors of one frame, bounded, and the earlier record of a repeated key found in linear
// time (issue 12: a 1 KB frame of a million bad records made a million errors, each with a stack,
// and 20,000 records of one key re-read the frame 20,000 times). Ours: no PROTOCOL.md rule.
import { CtiProtocolError, type CtiProtocolErrorCode } from './errors.ts';

/**
 * How many record errors of one frame are reported one by one by default; the others are counted
 * and reported as one `TOO_MANY_ERRORS` after them. A real PBX sends none; 100 is enough to see
 * what is wrong, and bounds what a hostile or broken frame costs (an Error and its stack each).
 */
export const MAX_ERRORS_PER_FRAME = 100;

/**
 * The record errors of one frame: the first `max` are passed to `out` as they come, the rest only
 * counted (per code); {@link finish} then passes one `TOO_MANY_ERRORS` holding the count. Callers ask
 * {@link room} before building an error, so no error object is made for a counted one.
 */
export class FrameErrors {
  private reported = 0;
  private counted: Partial<Record<CtiProtocolErrorCode, number>> | undefined;
  /** the errors passed on, when made without `out` (see {@link take}) */
  private list: CtiProtocolError[] | undefined;

  constructor(
    /** errors reported one by one, an integer ≥ 0 or Infinity */
    private max: number,
    /** where errors go; without it they are kept for {@link take} */
    private readonly out?: (err: CtiProtocolError) => void,
  ) {}

  /** Start a new frame, kept errors dropped (one instance reused for every frame of the fused path). */
  reset(max: number): void {
    this.max = max;
    this.reported = 0;
    this.counted = undefined;
    this.list = undefined;
  }

  /** The errors kept (no `out`) since {@link reset}, undefined for none; then forgotten. */
  take(): CtiProtocolError[] | undefined {
    const l = this.list;
    this.list = undefined;
    return l;
  }

  private pass(err: CtiProtocolError): void {
    if (this.out === undefined) (this.list ??= []).push(err);
    else this.out(err);
  }

  /**
   * Is there room for one more error of `code`? true: the caller builds it and passes it to
   * {@link add} (it then counts as reported); false: it is counted for the summary, nothing to build.
   */
  room(code: CtiProtocolErrorCode): boolean {
    if (this.reported < this.max) {
      this.reported++;
      return true;
    }
    const c = (this.counted ??= {});
    c[code] = (c[code] ?? 0) + 1;
    return false;
  }

  /** Pass on an error {@link room} made room for. */
  add(err: CtiProtocolError): void {
    this.pass(err);
  }

  /** {@link room} then {@link add}, for an error already built (one per frame at most). */
  report(err: CtiProtocolError): void {
    if (this.room(err.code)) this.pass(err);
  }

  /**
   * The end of the frame: when errors were counted, one `TOO_MANY_ERRORS` (its `suppressed` the
   * count, `suppressedCodes` per code) is passed to `out`; else nothing.
   * @param what the message, e.g. `initial_info of user`
   */
  finish(element: string | undefined, what: string): void {
    const c = this.counted;
    if (c === undefined) return;
    let n = 0;
    const parts: string[] = [];
    for (const code in c) {
      const k = c[code as CtiProtocolErrorCode] ?? 0;
      n += k;
      parts.push(`${code} ${k}`);
    }
    this.counted = undefined;
    this.pass(
      new CtiProtocolError(
        'TOO_MANY_ERRORS',
        `${n} more record errors of this ${what} not reported one by one (${parts.join(', ')}); only the first ${this.max} of a frame are`,
        element,
        undefined,
        { suppressed: c },
      ),
    );
  }
}

/**
 * Where the records of one initial_info had each key, to name the earlier record of a repeated key
 * (`BAD_RECORD`) without searching back for it each time. Nothing is kept until the first repeated
 * key that is reported: then `seed(i)` gives the last index of each key among records `[0, i)`
 * (one pass over them), and from then on every record is {@link note}d.
 */
export class EarlierKeys {
  private map: Map<string, number> | undefined;

  constructor(private readonly seed: (upTo: number) => Map<string, number>) {}

  /** Index of the last record before `i` whose key is `key` (-1 if none). Call before noting record `i`. */
  earlier(key: string, i: number): number {
    this.map ??= this.seed(i);
    return this.map.get(key) ?? -1;
  }

  /** Record `i` has the key `key` (undefined/null: none); a no-op until {@link earlier} was first called. */
  note(key: unknown, i: number): void {
    if (this.map !== undefined && key !== undefined && key !== null) this.map.set(String(key), i);
  }
}
