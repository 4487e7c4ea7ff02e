// The callback API of the vendor's basix_ws_cti library (../shared/PROTOCOL.md "The reference
// library's public API"): message_parser.init(callbacks, opts) then handle_message(msg) for every
// WebSocket message, strictly in arrival order even when a Blob must be read asynchronously.

import { convertBigints, createWarner, type BigIntegerMode } from './drop-in.ts';
import { CtiOptionError, CtiProtocolError } from './errors.ts';
import { createParserState, parseFrame, type ParserState } from './parse.ts';
import type { CtiElement, CtiMessage, MessageParserOptions } from './types.ts';

/**
 * Callbacks of the parser; all optional. They are called as methods of the object passed in.
 * `data` objects are fresh per call: keep them.
 */
export interface MessageParserCallbacks {
  /** The full current set of one element kind; `data` keyed by `String(uuid)` (channel kinds) or `String(id)`. Replaces all known elements of that kind. */
  on_initial_info?(element_name: string, data: Record<string, CtiElement>): void;
  /** One element `added`, `updated` or `removed` (a channel with `last_event` `CHANNEL_HANGUP` is gone too). */
  on_info_event?(element_name: string, data: CtiElement, event_name: string): void;
  /** `connection_limit_reached`, `connection_replaced`, `logout`, or another (informational) name. */
  on_system_msg?(msg: string): void;
  /** A user-level text message from a user/admin. */
  on_msg?(msg: string): void;
  /** New (not in the old library): the field names of an element's records, in wire order. */
  on_field_spec?(element_name: string, fields: string[]): void;
  /**
   * New: a frame or record that could not be parsed — an `EtfDecodeError` (bad bytes), a
   * `CtiProtocolError` (bad message or record; see its `code`), or an `Error` from reading a Blob
   * or thrown by a callback while handling a Blob. The parser keeps working for the next frame.
   * Without it, the error goes to a rate-limited `console.warn` (at most 10 a minute) and nothing
   * is thrown — unless `opts.strict` is true: then it is thrown from `handle_message` (bytes) or
   * rejects its promise (Blob). An exception thrown by one of your other callbacks while bytes are
   * handled synchronously propagates from `handle_message`, as in basix_ws_cti 1.4.0.
   *
   * If `on_error` itself throws, it is not called again with its own exception: that exception
   * propagates from `handle_message` (bytes handled synchronously) or rejects the promise of the
   * message being handled (Blob, or bytes queued behind one), once, as it was thrown; the rest of
   * that frame's callbacks are skipped and the parser goes on with the next message.
   */
  on_error?(err: Error): void;
}

/**
 * What `handle_message` accepts: whatever a WebSocket implementation hands over — a Node `Buffer`
 * or any `Uint8Array`/`ArrayBufferView`, an `ArrayBuffer`, an array of `Buffer` fragments (ws's
 * `binaryType: 'fragments'`), a `Blob` (browser default), or a `MessageEvent` carrying one of them.
 */
export type CtiInput = Uint8Array | ArrayBufferView | ArrayBuffer | readonly Uint8Array[] | Blob | { data: unknown };

/** An independent message parser: its own field specs and queue. */
export interface MessageParser {
  /**
   * Parse one WebSocket message and run the callbacks. For bytes, the callbacks run
   * synchronously before this returns, unless a Blob is still pending: then the bytes wait their
   * turn. A Blob is read asynchronously; callbacks still run strictly in arrival order.
   * @returns `undefined` when handled synchronously, else a promise settled once this message is handled
   * (rejected with the error only with `opts.strict` and no `on_error`)
   * @throws EtfDecodeError | CtiProtocolError for a bad frame only with `opts.strict` and no `on_error` (bytes path)
   */
  handle_message(msg: CtiInput): void | Promise<void>;
  /** Resolves when every message received so far has been handled. */
  drain(): Promise<void>;
  /** The per-connection state (field specs). */
  readonly state: ParserState;
}

type Pending = {
  bytes: Uint8Array | undefined;
  ready: Promise<Uint8Array> | undefined;
  error: Error | undefined;
  settle: (err?: unknown) => void;
};

/** Carries an exception thrown by `on_error` itself past the catches that report errors to `on_error`. */
class OnErrorThrew {
  constructor(readonly error: unknown) {}
}

function isBlob(v: unknown): v is Blob {
  return (
    (typeof Blob !== 'undefined' && v instanceof Blob) ||
    (typeof v === 'object' && v !== null && typeof (v as Blob).arrayBuffer === 'function' && typeof (v as Blob).size === 'number')
  );
}

/** Normalise a message to bytes, a Blob, or an error. */
function toBytes(msg: unknown): Uint8Array | Blob | CtiProtocolError {
  if (msg instanceof Uint8Array) return msg;
  if (msg instanceof ArrayBuffer) return new Uint8Array(msg);
  if (ArrayBuffer.isView(msg)) return new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength);
  if (isBlob(msg)) return msg;
  if (Array.isArray(msg) && msg.every((p) => p instanceof Uint8Array)) {
    let n = 0;
    for (const p of msg as Uint8Array[]) n += p.byteLength;
    const out = new Uint8Array(n);
    let off = 0;
    for (const p of msg as Uint8Array[]) {
      out.set(p, off);
      off += p.byteLength;
    }
    return out;
  }
  if (typeof msg === 'object' && msg !== null && 'data' in msg) {
    const inner = (msg as { data: unknown }).data;
    if (typeof inner === 'object' && inner !== null) return toBytes(inner);
    msg = inner;
  }
  const what = typeof msg === 'string' ? 'a text frame' : msg === null ? 'null' : typeof msg;
  return new CtiProtocolError('UNSUPPORTED_INPUT', `handle_message got ${what}; ws_cti frames are binary`);
}

/** `strict` and `big_integers`, checked once (createParserState checks the others). */
function dropInOptions(opts: MessageParserOptions | null | undefined): { strict: boolean; bigIntegers: BigIntegerMode } {
  const strict: unknown = opts?.strict ?? false;
  if (typeof strict !== 'boolean') throw new CtiOptionError('strict', `opts.strict must be a boolean, got ${typeof strict}`);
  const big: unknown = opts?.big_integers ?? 'bigint';
  if (big !== 'bigint' && big !== 'string' && big !== 'number') {
    throw new CtiOptionError('big_integers', `opts.big_integers must be 'bigint', 'string' or 'number', got ${typeof big === 'string' ? JSON.stringify(big) : typeof big}`);
  }
  return { strict, bigIntegers: big };
}

/**
 * Create an independent parser (own field specs, own ordering queue).
 * @param callbacksArg see {@link MessageParserCallbacks}; undefined or null: none
 * @param opts `base_url` for avatars, `codegen`, `decode_limits` (the ETF decoder's limits),
 *   `strict`, `big_integers` — see {@link MessageParserOptions}; undefined or null: all defaults
 * @throws CtiOptionError for a bad option (see `createParserState`), here rather than on every frame
 */
export function createMessageParser(callbacksArg?: MessageParserCallbacks | null, opts?: MessageParserOptions | null): MessageParser {
  const state = createParserState(opts);
  const { strict, bigIntegers } = dropInOptions(opts);
  const callbacks: MessageParserCallbacks = callbacksArg ?? {};
  // Without on_error and not strict, problems go to a rate-limited console.warn, so nothing of the
  // parser's is thrown (basix_ws_cti 1.4.0's users call handle_message bare in their ws handler).
  const warner = callbacks.on_error || strict ? undefined : createWarner();
  /** Where errors go: on_error (called as a method of the callbacks), the warner, or undefined to throw. */
  const onError: ((err: Error) => void) | undefined = callbacks.on_error ? (err) => callbacks.on_error!(err) : warner;
  const queue: Pending[] = [];
  let draining = false;
  let idle: Array<() => void> = [];

  /** Call on_error; an exception it throws comes out wrapped, so no catch below hands it back to on_error. */
  const report = (err: Error): void => {
    try {
      onError!(err);
    } catch (e) {
      throw new OnErrorThrew(e);
    }
  };

  const recordError = (err: CtiProtocolError): void => {
    if (onError) report(err);
    else throw err;
  };

  const deliver = (m: CtiMessage): void => {
    if (bigIntegers !== 'bigint' && (m.type === 'initial_info' || m.type === 'info_event')) convertBigints(m.data, bigIntegers);
    switch (m.type) {
      case 'initial_info':
        callbacks.on_initial_info?.(m.element, m.data);
        break;
      case 'info_event':
        callbacks.on_info_event?.(m.element, m.data, m.event);
        break;
      case 'system_msg':
        callbacks.on_system_msg?.(m.msg);
        break;
      case 'msg':
        callbacks.on_msg?.(m.msg);
        break;
      case 'field_spec':
        callbacks.on_field_spec?.(m.element, m.fields);
        break;
    }
  };

  /** Parse and deliver; frame errors go to on_error or are thrown. */
  const process = (bytes: Uint8Array): void => {
    let msgs: CtiMessage[];
    try {
      msgs = parseFrame(bytes, state, recordError);
    } catch (err) {
      if (onError && !(err instanceof OnErrorThrew)) {
        report(err as Error);
        return;
      }
      throw err;
    }
    for (let i = 0; i < msgs.length; i++) deliver(msgs[i]);
  };

  /** {@link process} for the synchronous bytes path: on_error's own exception propagates as it was thrown. */
  const processNow = (bytes: Uint8Array): void => {
    try {
      process(bytes);
    } catch (err) {
      throw err instanceof OnErrorThrew ? err.error : err;
    }
  };

  const drainQueue = async (): Promise<void> => {
    draining = true;
    while (queue.length > 0) {
      const item = queue[0];
      let err: unknown;
      try {
        if (item.error !== undefined) throw item.error;
        const bytes = item.bytes ?? (await item.ready!);
        process(bytes);
      } catch (e) {
        err = e;
        if (e instanceof OnErrorThrew) {
          // on_error itself threw: never handed back to it; it rejects this message's promise.
          err = e.error;
        } else if (onError) {
          // A callback threw while handling a queued message: report, keep going.
          try {
            onError(e instanceof Error ? e : new Error(String(e)));
            err = undefined;
          } catch (e2) {
            err = e2;
          }
        }
      }
      queue.shift();
      item.settle(err);
    }
    draining = false;
    const waiters = idle;
    idle = [];
    for (const w of waiters) w();
  };

  const enqueue = (bytes: Uint8Array | undefined, blob: Blob | undefined, error?: Error): Promise<void> => {
    let settle!: (err?: unknown) => void;
    const done = new Promise<void>((resolve, reject) => {
      settle = (err) => (err === undefined ? resolve() : reject(err));
    });
    const ready =
      blob === undefined
        ? undefined
        : blob.arrayBuffer().then(
            (ab) => new Uint8Array(ab),
            (cause: unknown) => {
              throw new CtiProtocolError('UNSUPPORTED_INPUT', 'the Blob could not be read', undefined, undefined, { cause });
            },
          );
    // Avoid an unhandled rejection before the drain loop awaits it.
    ready?.catch(() => {});
    // The caller may ignore the returned promise when it has on_error; never leave it unhandled then.
    if (onError) done.catch(() => {});
    queue.push({ bytes, ready, error, settle });
    if (!draining) void drainQueue();
    return done;
  };

  return {
    state,
    handle_message(msg: CtiInput): void | Promise<void> {
      const b = toBytes(msg);
      if (b instanceof CtiProtocolError) {
        // Behind a pending Blob, even the error report waits its turn.
        if (queue.length > 0) return enqueue(undefined, undefined, b);
        if (onError) {
          onError(b);
          return;
        }
        throw b;
      }
      if (b instanceof Uint8Array) {
        if (queue.length === 0) {
          processNow(b);
          return;
        }
        return enqueue(b, undefined);
      }
      return enqueue(undefined, b);
    },
    drain(): Promise<void> {
      if (queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idle.push(resolve));
    },
  };
}

/**
 * The singleton with the old library's API (PROTOCOL.md "The reference library's public API"):
 * `message_parser.init(callbacks, opts)` then `message_parser.handle_message(msg)`.
 * `init` starts a fresh parser (field specs forgotten: call it once per connection, or once
 * overall since each connection sends its specs again).
 */
export const message_parser: {
  /**
   * Set the callbacks and options; replaces any earlier parser (a bad option throws and keeps the earlier one).
   * @throws CtiOptionError for a bad option (see `createParserState`)
   */
  init(callbacks: MessageParserCallbacks, opts?: MessageParserOptions | null): void;
  /** See {@link MessageParser.handle_message}. */
  handle_message(msg: CtiInput): void | Promise<void>;
  /** See {@link MessageParser.drain}. */
  drain(): Promise<void>;
} = (() => {
  let parser = createMessageParser();
  return {
    init(callbacks: MessageParserCallbacks, opts?: MessageParserOptions | null): void {
      parser = createMessageParser(callbacks, opts);
    },
    handle_message(msg: CtiInput): void | Promise<void> {
      return parser.handle_message(msg);
    },
    drain(): Promise<void> {
      return parser.drain();
    },
  };
})();
