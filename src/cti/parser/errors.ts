// Protocol errors of the ws_cti message parser (../shared/PROTOCOL.md "Messages").

/**
 * Why a message or record was rejected:
 * - `NOT_A_MESSAGE`: the frame's term is not a tuple whose first element is an atom (a list, or a
 *   binary head, is not one: `parseFrame` reads this from the bytes);
 * - `UNKNOWN_MESSAGE`: a tuple headed by an atom other than the five message kinds;
 * - `BAD_MESSAGE`: a known message kind with the wrong shape (e.g. an Element that is not an atom, a
 *   field_spec whose fields are not a list of atoms, an initial_info whose Records is not a list, `[]`
 *   or `{bert, nil}` — nothing of that frame is delivered);
 * - `NO_FIELD_SPEC`: a record for an element whose `field_spec` has not arrived (record only);
 * - `ARITY_MISMATCH`: a record with more or fewer values than the element's field_spec (record only);
 * - `BAD_RECORD`: a record that is not a tuple (a list is not), or whose key field is absent
 *   (record only: that record is not delivered); also a record of an initial_info whose key an
 *   earlier record of it has — that later record **is** delivered, replacing the earlier one;
 * - `BAD_FIELD`: a field not of its PROTOCOL.md "Field translations" shape, e.g. a `state` that is
 *   not `{Ts, Name, ...}` or a `label` that is not text: the record **is** delivered, with that
 *   field left out (`undefined`, as an absent field), so one odd field never hides a call or a
 *   user; `field` names it;
 * - `UNSUPPORTED_INPUT`: `handle_message` got something that is not bytes (e.g. a text frame),
 *   or a Blob could not be read;
 * - `TOO_MANY_ERRORS`: one frame had more record errors than are reported in full (the parser's
 *   `MAX_ERRORS_PER_FRAME`, 100): the first ones came as usual, the rest are counted in this one
 *   error, reported last for that frame; `suppressed` is their number and `suppressedCodes` their
 *   count per code. Bounds the errors (each with a stack) a hostile frame can make. Ours: no
 *   PROTOCOL.md rule.
 */
export type CtiProtocolErrorCode =
  | 'NOT_A_MESSAGE'
  | 'UNKNOWN_MESSAGE'
  | 'BAD_MESSAGE'
  | 'NO_FIELD_SPEC'
  | 'ARITY_MISMATCH'
  | 'BAD_RECORD'
  | 'BAD_FIELD'
  | 'UNSUPPORTED_INPUT'
  | 'TOO_MANY_ERRORS';

/**
 * A frame that decoded as ETF but breaks the ws_cti protocol. Record-level errors
 * (`NO_FIELD_SPEC`, `ARITY_MISMATCH`, `BAD_RECORD`, `BAD_FIELD`) concern one record only: the rest
 * of the frame is still delivered (and, for `BAD_FIELD` and the `BAD_RECORD` of a key repeated in
 * one initial_info, that record too). `element` and `index`
 * (position in the initial_info record list, 0 for an info_event) locate it; `field` names the
 * field of a `BAD_FIELD`.
 */
export class CtiProtocolError extends Error {
  override readonly name = 'CtiProtocolError';
  constructor(
    readonly code: CtiProtocolErrorCode,
    message: string,
    /** the element kind concerned, when known */
    readonly element?: string,
    /** index of the bad record in its initial_info list (0 for an info_event) */
    readonly index?: number,
    options?: { cause?: unknown; field?: string; suppressed?: Readonly<Partial<Record<CtiProtocolErrorCode, number>>> },
  ) {
    super(
      `${message} (${code}${element === undefined ? '' : ` element=${element}`}${index === undefined ? '' : ` index=${index}`})`,
      options,
    );
    this.field = options?.field;
    const codes = options?.suppressed;
    this.suppressedCodes = codes;
    let n = 0;
    if (codes !== undefined) for (const c in codes) n += codes[c as CtiProtocolErrorCode] ?? 0;
    this.suppressed = codes === undefined ? undefined : n;
  }

  /** the field of a `BAD_FIELD` error, as its field_spec names it */
  readonly field: string | undefined;
  /** for `TOO_MANY_ERRORS`: how many errors of the frame were counted instead of reported; else undefined */
  readonly suppressed: number | undefined;
  /** for `TOO_MANY_ERRORS`: those errors per code, e.g. `{ BAD_RECORD: 999900 }`; else undefined */
  readonly suppressedCodes: Readonly<Partial<Record<CtiProtocolErrorCode, number>>> | undefined;
}

/**
 * A bad `MessageParserOptions` value, thrown once by `createParserState`, `createMessageParser` and
 * `message_parser.init` (never later, per frame): `base_url` not a string, `codegen` not a
 * boolean, `decode_limits` refused by the ETF decoder (its `EtfDecodeError` `BAD_OPTION` is the
 * `cause`), or `opts` itself not an object. A caller's mistake, hence a `TypeError`; `option`
 * names the option (`opts` for the object itself), e.g. `decode_limits.maxDepth`.
 */
export class CtiOptionError extends TypeError {
  override readonly name = 'CtiOptionError';
  constructor(
    /** the option at fault: `base_url`, `codegen`, `decode_limits`, `decode_limits.maxDepth`…, or `opts` */
    readonly option: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
