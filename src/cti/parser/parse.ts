// Frame → parsed messages (../shared/PROTOCOL.md "Messages", "Elements", "Field translations").
// Hot path (initial_info / info_event of an element with a compiled field_spec): each record
// tuple is decoded straight into its element object by a reader compiled per field_spec, with no
// array in between; any other frame is decoded whole by `decodeEtfPlain` and zipped with the names.

import { decodeEtfPlain, plainReader, validateDecodeOptions, type DecodeOptions, type PlainReader } from '../etf/decode.ts';
import { EtfDecodeError } from '../etf/errors.ts';
import { CtiOptionError, CtiProtocolError } from './errors.ts';
import { EarlierKeys, FrameErrors, MAX_ERRORS_PER_FRAME } from './frame-errors.ts';
import { parseEndUser, parseOrigination, parseOtherInfo, parseState, parseTags, parseTarget, resolveAvatar, textOf } from './translate.ts';
import type { CtiElement, CtiMessage, MessageParserOptions } from './types.ts';

type Translator = (value: unknown, baseUrl: string | undefined) => unknown;

/** An element's last field_spec, compiled for the hot path. */
export interface CompiledFieldSpec {
  /** field names in wire order */
  readonly fields: readonly string[];
  /**
   * index of the key field (`uuid` for channel kinds, `id` otherwise; the other one as a fallback), -1 for none;
   * for a name the spec repeats, its last occurrence (whose value the object keeps)
   */
  readonly keyIndex: number;
  /** per field index, its translator (PROTOCOL.md "Field translations"), or undefined to copy as is */
  readonly translators: ReadonlyArray<Translator | undefined>;
  /**
   * Builds the element object from a record of the right arity (plain values), translations and
   * shape checks included. Where
   * `new Function` is allowed it is an object literal compiled once per field_spec (about 50×
   * faster than assigning keys in a loop); under a CSP without 'unsafe-eval' a generic loop.
   * A field not of its PROTOCOL.md shape is left out (`undefined`) and noted for a `BAD_FIELD`
   * error of the record, which the caller takes (`takeFieldErrors`); it does not throw for one.
   */
  readonly build: (rec: readonly unknown[], baseUrl: string | undefined) => Record<string, unknown>;
  /**
   * The fused form of `build`: reads the record's values (a tuple of the right arity, header
   * already read) from `d`, sets `key.k` to the raw key value (undefined without a key field) and
   * returns the element object, translations included. `state`, `target` and `other_info` are read
   * knowing tuples from lists (a list there fails its shape check, a `BAD_FIELD` as for `build`).
   * Compiled with `new Function` where `build` is; else a loop over the values, then `build`.
   * @throws EtfDecodeError from `d` (before any translator runs)
   */
  readonly read: (d: PlainReader, baseUrl: string | undefined, key: { k: unknown }) => Record<string, unknown>;
}

/**
 * Per-connection parser state: the field specs received so far and the options. Make one per
 * connection with {@link createParserState}; a new connection sends its specs again.
 */
export interface ParserState {
  /** element name → its last field_spec */
  readonly specs: Map<string, CompiledFieldSpec>;
  /** `opts.base_url` (avatars), undefined for none */
  readonly baseUrl: string | undefined;
  /** `opts.codegen` (default true) */
  readonly codegen: boolean;
  /** `opts.decode_limits`: the ETF decoder's limits for every frame; undefined for its defaults */
  readonly decodeOptions: DecodeOptions | undefined;
  /**
   * Record errors of one frame reported one by one (an integer ≥ 0 or Infinity); the rest are
   * counted in one `TOO_MANY_ERRORS` after them. Default (undefined) {@link MAX_ERRORS_PER_FRAME}, 100.
   */
  readonly maxErrorsPerFrame?: number;
}

export { MAX_ERRORS_PER_FRAME };

/**
 * A fresh {@link ParserState} (no field specs yet), its options validated here once rather than
 * failing every frame later: `opts` undefined or null → all defaults; `base_url` undefined, null or
 * `''` → none, else a string; `codegen` undefined or null → true, else a boolean; `decode_limits`
 * undefined or null → the decoder's defaults, else what the ETF decoder accepts (src/cti/etf
 * `DecodeOptions`: each limit an integer ≥ 0 or Infinity). Other properties are ignored.
 * @throws CtiOptionError naming the bad option (`opts`, `base_url`, `codegen`, `decode_limits.maxDepth`…)
 */
export function createParserState(opts?: MessageParserOptions | null): ParserState {
  if (opts === undefined || opts === null) opts = {};
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new CtiOptionError('opts', `parser opts must be an object (or undefined/null), got ${shown(opts)}`);
  const base: unknown = opts.base_url;
  if (base !== undefined && base !== null && typeof base !== 'string') {
    throw new CtiOptionError('base_url', `opts.base_url must be a string (the PBX's base URL, e.g. 'https://pbx.example.jp/'), got ${shown(base)}`);
  }
  const codegen: unknown = opts.codegen;
  if (codegen !== undefined && codegen !== null && typeof codegen !== 'boolean') {
    throw new CtiOptionError('codegen', `opts.codegen must be a boolean, got ${shown(codegen)}`);
  }
  const limits = opts.decode_limits ?? undefined;
  checkDecodeLimits(limits);
  return { specs: new Map(), baseUrl: (base as string | null | undefined) || undefined, codegen: codegen !== false, decodeOptions: limits };
}

/** How a bad option value is shown in its error. */
function shown(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${typeof v} ${String(v)}`;
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** The decoder's own option check (`validateDecodeOptions`), its `BAD_OPTION` as a CtiOptionError. */
function checkDecodeLimits(limits: DecodeOptions | undefined): void {
  try {
    validateDecodeOptions(limits);
  } catch (e) {
    if (e instanceof EtfDecodeError && e.code === 'BAD_OPTION') {
      const option = e.option === undefined ? 'decode_limits' : `decode_limits.${e.option}`;
      throw new CtiOptionError(option, `opts.decode_limits is refused by the ETF decoder: ${e.message}`, { cause: e });
    }
    throw e;
  }
}

const CHANNEL_KINDS = new Set(['channel', 'channel_waiting', 'queued_channel', 'parked_channel']);

/**
 * What the fused readers ({@link readTuple}) give for a list where PROTOCOL.md puts a tuple (state,
 * target, other_info, state's TargetData): not an array, so the shape checks below refuse it. (The
 * plain mapping makes tuples and lists both arrays; only the bytes tell them apart.)
 */
class NotATuple {
  constructor(readonly value: unknown) {}
}

/**
 * The fields of the record being translated that did not have their PROTOCOL.md shape, as
 * {@link badField} noted them. Translators run synchronously, one record at a time: the record's
 * reader takes them with {@link takeFieldErrors} right after building it, or drops them.
 */
const FIELD_ERRORS: Array<{ field: string; message: string }> = [];

/**
 * A field whose value does not have its PROTOCOL.md shape: noted for a `BAD_FIELD` error of its
 * record, and left out of the element (`undefined`, as an absent field) — the record is still
 * delivered, so one odd field never hides a call or a user.
 */
function badField(field: string, shape: string, v: unknown): undefined {
  // An array is a tuple or a list: only the readers of tuple-shaped fields know which (NotATuple).
  const what =
    v instanceof NotATuple
      ? `a list of ${values((v.value as unknown[]).length)}`
      : Array.isArray(v)
        ? `a tuple or list of ${values(v.length)}`
        : typeof v === 'boolean'
          ? `the atom ${v} (a boolean)`
          : v === null
            ? 'null'
            : typeof v;
  FIELD_ERRORS.push({ field, message: `${field} is ${what}, not ${shape} (PROTOCOL.md "Field translations"); left out of the record` });
  return undefined;
}

const values = (n: number): string => (n === 1 ? '1 value' : `${n} values`);

/** Report the `BAD_FIELD` errors of the record just built to `errors` (then forget them). */
function takeFieldErrors(element: string, index: number, errors: FrameErrors): void {
  for (let i = 0; i < FIELD_ERRORS.length; i++) {
    const e = FIELD_ERRORS[i];
    if (errors.room('BAD_FIELD')) errors.add(new CtiProtocolError('BAD_FIELD', e.message, element, index, { field: e.field }));
  }
  FIELD_ERRORS.length = 0;
}

/** The record errors of one frame of `state`, bounded (see {@link FrameErrors}). */
function frameErrors(state: ParserState, out: (err: CtiProtocolError) => void): FrameErrors {
  return new FrameErrors(state.maxErrorsPerFrame ?? MAX_ERRORS_PER_FRAME, out);
}

const isInt = (v: unknown): boolean => (typeof v === 'number' ? Number.isInteger(v) : typeof v === 'bigint');
/** Text: a binary/atom (string) or the empty Erlang string `[]`. */
const isText = (v: unknown): boolean => textOf(v) !== undefined;

/** Minimum tuple size of `calling`'s TargetData per target type (PROTOCOL.md `state`); other types are kept raw. */
function targetDataOk(type: unknown, td: unknown): boolean {
  switch (type) {
    case 'user':
    case 'pstn':
      return Array.isArray(td) && td.length >= 1;
    case 'group':
      return Array.isArray(td) && td.length >= (td[0] === 'ring' ? 5 : 2);
    case 'bridged_endpoint':
      return Array.isArray(td) && td.length >= 2;
    default:
      return true;
  }
}

/** Minimum tuple size of a state per name (PROTOCOL.md `state`); unknown names need only `{Ts, Name}`. */
function stateArity(name: string): number {
  switch (name) {
    case 'calling':
    case 'voicemail':
      return 5;
    case 'park':
      return 6;
    case 'eavesdrop':
      return 4;
    case 'checking_voicemail':
    case 'calling_siptermination':
    case 'ivr':
    case 'system_operation':
    case 'conference':
      return 3;
    default:
      return 2;
  }
}

// The field translators of the records: each checks the field against its PROTOCOL.md shape with
// plain type tests (no extra pass); a mismatch is left out of the element and noted for a BAD_FIELD
// error of its record ({@link badField}). `undefined` (field absent) always passes, unknown state
// names pass (`data: {}`), and tuples may have more values than PROTOCOL.md lists (servers add
// values over time, as they add fields): values past the positions PROTOCOL.md gives are ignored,
// except by the four states it writes `{Ts, .., X}`, which take the last element (parseState).
const translateState: Translator = (v) => {
  if (v === undefined) return v;
  if (!Array.isArray(v) || v.length < 2 || !isInt(v[0]) || typeof v[1] !== 'string') return badField('state', '{Ts, Name, ...} (Ts an integer, Name an atom)', v);
  const name = v[1];
  if (v.length < stateArity(name)) return badField('state', `a ${name} state of at least ${stateArity(name)} values`, v);
  if (name === 'calling' && (typeof v[2] !== 'string' || typeof v[3] !== 'string' || !targetDataOk(v[3], v[4]))) {
    return badField('state', '{Ts, calling, TargetLocation, TargetType, TargetData} with the TargetData tuple of that type', v);
  }
  return parseState(v);
};
const translateTarget: Translator = (v) => {
  if (v === undefined) return v;
  if (!Array.isArray(v) || v.length < 4) return badField('target', '{Type, Id, Name, Address} (at least 4 values)', v);
  return parseTarget(v);
};
const translateEndUser: Translator = (v, base) => {
  if (v !== undefined && !isText(v)) return badField('end_user', 'a string', v);
  return parseEndUser(v, base);
};
const translateOtherInfo: Translator = (v, base) => {
  if (v === undefined) return v;
  if (!Array.isArray(v) || v.length < 8) return badField('other_info', '{Type, UserIdOrEndUser, Direction, PeerLocation, Address, OfferTimestamp, GroupId, WhosCall} (at least 8 values)', v);
  if (v[0] !== 'user' && v[1] !== undefined && !isText(v[1])) return badField('other_info', 'a tuple whose UserIdOrEndUser is a string (type end_user)', v);
  return parseOtherInfo(v, base);
};
const translateOrigination: Translator = (v) => {
  if (v !== undefined && !isText(v)) return badField('origination', 'a string', v);
  return parseOrigination(v);
};
const translateTags: Translator = (v) => {
  if (v !== undefined && !isText(v)) return badField('tags', 'a string', v);
  return parseTags(v);
};
/** A text field (`last_event_data`, `label`, `mwi`): a string, `[]` read as `''`, or undefined. */
function textField(field: string): Translator {
  return (v) => {
    if (v === undefined) return v;
    const s = textOf(v);
    return s === undefined ? badField(field, 'a string', v) : s;
  };
}
const CHANNEL_TRANSLATORS: Record<string, Translator> = {
  state: translateState,
  target: translateTarget,
  end_user: translateEndUser,
  origination: translateOrigination,
  tags: translateTags,
  other_info: translateOtherInfo,
  last_event_data: textField('last_event_data'),
};
const checkAvatar = textField('avatar');
const translateUserAvatar: Translator = (v, base) => (base === undefined ? checkAvatar(v, base) : resolveAvatar(checkAvatar(v, base), base, 'user'));
/** user and group (PROTOCOL.md "user and group"): text fields. */
const USER_TRANSLATORS: Record<string, Translator> = { avatar: translateUserAvatar, label: textField('label'), mwi: textField('mwi') };
const GROUP_TRANSLATORS: Record<string, Translator> = { label: textField('label'), mwi: textField('mwi') };

type FieldReader = (d: PlainReader) => unknown;

/** Read a value where a tuple belongs: a tuple as an array, a list as a {@link NotATuple}, anything else as it is. */
function readTuple(d: PlainReader): unknown {
  const n = d.tupleArity();
  if (n < 0) {
    const v = d.plain();
    return Array.isArray(v) ? new NotATuple(v) : v;
  }
  const a: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) a[i] = d.plain();
  d.leave();
  return a;
}

/** {@link readTuple} for `state`, whose `calling` TargetData (5th value) is a tuple too. */
function readState(d: PlainReader): unknown {
  const n = d.tupleArity();
  if (n < 0) {
    const v = d.plain();
    return Array.isArray(v) ? new NotATuple(v) : v;
  }
  const a: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) a[i] = i === 4 && a[1] === 'calling' ? readTuple(d) : d.plain();
  d.leave();
  return a;
}

const CHANNEL_READERS: Record<string, FieldReader> = { state: readState, target: readTuple, other_info: readTuple };

/** Assign an own data property even for the key `__proto__`. */
function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Compile `(r, b) => ({"f0": r[0], "f1": T[1](r[1], b), …})`. Field names are embedded with
 * JSON.stringify, which always yields a valid JS string literal, so wire text cannot inject code.
 * Returns undefined when a field is `__proto__` (a literal `"__proto__":` would set the
 * prototype) or `new Function` is forbidden.
 */
function compileBuilder(fields: readonly string[], translators: ReadonlyArray<Translator | undefined>): CompiledFieldSpec['build'] | undefined {
  if (fields.includes('__proto__')) return undefined;
  try {
    const props = fields.map((f, i) => `${JSON.stringify(f)}: ${translators[i] === undefined ? `r[${i}]` : `T[${i}](r[${i}], b)`}`);
    const make = new Function('T', `return function build(r, b) { return {${props.join(', ')}}; };`);
    return make(translators) as CompiledFieldSpec['build'];
  } catch {
    return undefined;
  }
}

/**
 * Compile `(d, b, K) => { const v0 = d.plain(), …; K.k = vKEY; return {"f0": v0, "f1": T[1](v1, b), …}; }`:
 * every value is read before any translator runs, so a throwing translator leaves `d` after the record.
 * Same literal safety and `__proto__` rule as {@link compileBuilder}.
 */
function compileReader(
  fields: readonly string[],
  translators: ReadonlyArray<Translator | undefined>,
  readers: ReadonlyArray<FieldReader | undefined>,
  keyIndex: number,
): CompiledFieldSpec['read'] | undefined {
  if (fields.includes('__proto__')) return undefined;
  try {
    const reads = fields.map((_, i) => `v${i} = ${readers[i] === undefined ? 'd.plain()' : `R[${i}](d)`}`);
    const props = fields.map((f, i) => `${JSON.stringify(f)}: ${translators[i] === undefined ? `v${i}` : `T[${i}](v${i}, b)`}`);
    const body =
      (fields.length > 0 ? `const ${reads.join(', ')};\n` : '') +
      `K.k = ${keyIndex < 0 ? 'undefined' : `v${keyIndex}`};\n` +
      `return {${props.join(', ')}};`;
    const make = new Function('T', 'R', `return function read(d, b, K) {\n${body}\n};`);
    return make(translators, readers) as CompiledFieldSpec['read'];
  } catch {
    return undefined;
  }
}

/** The reader where none is compiled: every value read (tuple-shaped fields by their readers), then `build`. */
function genericReader(
  n: number,
  readers: ReadonlyArray<FieldReader | undefined>,
  keyIndex: number,
  build: CompiledFieldSpec['build'],
): CompiledFieldSpec['read'] {
  return (d, b, K) => {
    const r: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const rd = readers[i];
      r[i] = rd === undefined ? d.plain() : rd(d);
    }
    K.k = keyIndex < 0 ? undefined : r[keyIndex];
    return build(r, b);
  };
}

function genericBuilder(fields: readonly string[], translators: ReadonlyArray<Translator | undefined>): CompiledFieldSpec['build'] {
  const safe = !fields.includes('__proto__');
  return (rec, baseUrl) => {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < fields.length; i++) {
      const t = translators[i];
      const v = t === undefined ? rec[i] : t(rec[i], baseUrl);
      if (safe) o[fields[i]] = v;
      else setOwn(o, fields[i], v);
    }
    return o;
  };
}

/**
 * Compile a field_spec of `element` (PROTOCOL.md "Messages", field_spec): which fields get a
 * translation and shape check (channel kinds: state, target, end_user, origination, tags,
 * other_info, last_event_data; user: avatar, label, mwi; group: label, mwi — see PROTOCOL.md
 * "Field translations", "user and group"), which are read as tuples (state, target, other_info),
 * and the record → object builder and reader.
 * @param _baseUrl unused (kept for callers): the builder and reader take the base URL per call; without one, avatars are only checked
 * @param allowCodegen default true; false forces the generic builder and reader (tests, strict CSP)
 */
export function compileFieldSpec(element: string, fields: readonly string[], _baseUrl: string | undefined, allowCodegen = true): CompiledFieldSpec {
  const isChannel = CHANNEL_KINDS.has(element);
  const table = isChannel ? CHANNEL_TRANSLATORS : element === 'user' ? USER_TRANSLATORS : element === 'group' ? GROUP_TRANSLATORS : undefined;
  const translators: Array<Translator | undefined> = [];
  const readers: Array<FieldReader | undefined> = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    translators.push(table !== undefined && Object.hasOwn(table, f) ? table[f] : undefined);
    readers.push(isChannel && Object.hasOwn(CHANNEL_READERS, f) ? CHANNEL_READERS[f] : undefined);
  }
  const primary = isChannel ? 'uuid' : 'id';
  // the last occurrence, as in the object (a field named twice: its last value wins), so the key,
  // the missing-key check and the delivered value agree
  let keyIndex = fields.lastIndexOf(primary);
  if (keyIndex < 0) keyIndex = fields.lastIndexOf(isChannel ? 'id' : 'uuid');
  const compiled = allowCodegen ? compileBuilder(fields, translators) : undefined;
  const build = compiled ?? genericBuilder(fields, translators);
  const read = (compiled === undefined ? undefined : compileReader(fields, translators, readers, keyIndex)) ?? genericReader(fields.length, readers, keyIndex, build);
  return { fields, keyIndex, translators, build, read };
}

/** Build one element object; a record-level error goes to `errors` (no object built for a counted one) and gives undefined. */
function buildRecord(element: string, spec: CompiledFieldSpec | undefined, rec: unknown, index: number, baseUrl: string | undefined, errors: FrameErrors): CtiElement | undefined {
  if (spec === undefined || !Array.isArray(rec)) {
    if (errors.room(spec === undefined ? 'NO_FIELD_SPEC' : 'BAD_RECORD')) errors.add(notARecord(element, spec, index));
    return undefined;
  }
  const n = spec.fields.length;
  if (rec.length !== n) {
    if (errors.room('ARITY_MISMATCH')) errors.add(arityMismatch(element, rec.length, n, index));
    return undefined;
  }
  try {
    return spec.build(rec, baseUrl);
  } catch (cause) {
    FIELD_ERRORS.length = 0;
    if (errors.room('BAD_RECORD')) errors.add(new CtiProtocolError('BAD_RECORD', `fields of ${element} could not be translated`, element, index, { cause }));
    return undefined;
  }
}

function arityMismatch(element: string, m: number, n: number, index: number): CtiProtocolError {
  return new CtiProtocolError('ARITY_MISMATCH', `record of ${element} has ${m} values, field_spec has ${n}`, element, index);
}

/** A record whose key field (`uuid` / `id`) is absent (`undefined` atom) cannot be stored by key: a record error. */
function missingKey(element: string, spec: CompiledFieldSpec, index: number): CtiProtocolError {
  return new CtiProtocolError('BAD_RECORD', `record of ${element} has no ${spec.fields[spec.keyIndex]}`, element, index);
}

function isStringArray(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/**
 * Turn one decoded frame term (as `decodeEtfPlain` returns it) into parsed messages, updating
 * `state` (field specs). Record-level errors (`NO_FIELD_SPEC`, `ARITY_MISMATCH`, `BAD_RECORD`)
 * go to `onError` and the other records are still returned (an initial_info always comes out,
 * with the good records; an info_event with a bad record does not); a field of the wrong shape is
 * a `BAD_FIELD` error, and its record is still returned without that field.
 *
 * A plain value cannot show a tuple from a list (both arrays) or an atom from a binary (both
 * strings), so this function takes a list where PROTOCOL.md puts a tuple (a record, `state`,
 * `target`, `other_info`) and a binary where it puts an atom; {@link parseFrame}, which reads the
 * bytes, refuses them. The other way round, a STRING_EXT where a list belongs (Records, a field
 * list) is a string here, refused as a binary would be (`BAD_MESSAGE`); parseFrame takes it as the list it is. Field shapes it can see (a `state` that is a number or a string, a
 * `target` too short…) are BAD_FIELD here too.
 * @param term the frame's top-level term
 * @param onError receives record-level errors: the first `state.maxErrorsPerFrame` (default
 *   {@link MAX_ERRORS_PER_FRAME}, 100) one by one, then, when there were more, one `TOO_MANY_ERRORS`
 *   counting the others; default: throw the first one (losing the rest of the frame)
 * @returns 0 or 1 message (an array, so later message kinds may expand to several)
 * @throws CtiProtocolError `NOT_A_MESSAGE`, `UNKNOWN_MESSAGE`, `BAD_MESSAGE` for a frame that is no message
 */
export function parseTerm(term: unknown, state: ParserState, onError: (err: CtiProtocolError) => void = throwIt): CtiMessage[] {
  if (!Array.isArray(term) || term.length === 0 || typeof term[0] !== 'string') {
    throw new CtiProtocolError('NOT_A_MESSAGE', 'frame is not a tuple headed by an atom');
  }
  const kind = term[0];
  switch (kind) {
    case 'field_spec': {
      const element = term[1];
      const fields = term[2];
      if (term.length !== 3 || typeof element !== 'string' || !isStringArray(fields)) {
        throw new CtiProtocolError('BAD_MESSAGE', 'field_spec is not {field_spec, Element, [Field, ...]}', typeof element === 'string' ? element : undefined);
      }
      state.specs.set(element, compileFieldSpec(element, fields, state.baseUrl, state.codegen));
      // A server bug, but not a reason to drop the element: kept (the last value of the name wins), and reported.
      const dup = fields.find((f, i) => fields.indexOf(f) !== i);
      if (dup !== undefined) frameErrors(state, onError).report(new CtiProtocolError('BAD_MESSAGE', `field_spec of ${element} names ${dup} more than once; its last value wins`, element));
      return [{ type: 'field_spec', element, fields: fields.slice() }];
    }
    case 'initial_info': {
      const element = term[1];
      const records = term[2];
      if (term.length !== 3 || typeof element !== 'string' || !Array.isArray(records)) {
        throw new CtiProtocolError('BAD_MESSAGE', 'initial_info is not {initial_info, Element, Records}', typeof element === 'string' ? element : undefined);
      }
      const data: Record<string, CtiElement> = {};
      // {bert, nil} means "none", like [] (PROTOCOL.md "Messages"); {bert, Other} is no record list
      // (as a list, its first "record" would be an atom: not a record either).
      if (records.length === 2 && records[0] === 'bert') {
        if (records[1] === 'nil') return [{ type: 'initial_info', element, data }];
        throw new CtiProtocolError('BAD_MESSAGE', 'initial_info Records is not a list, [] or {bert, nil}', element);
      }
      const spec = state.specs.get(element);
      const keyIndex = spec === undefined ? -1 : spec.keyIndex;
      const baseUrl = state.baseUrl;
      const errors = frameErrors(state, onError);
      const keys = new EarlierKeys((upTo) => keysInList(records, spec!, upTo));
      for (let i = 0; i < records.length; i++) {
        const el = buildRecord(element, spec, records[i], i, baseUrl, errors);
        const kv = keyIndex < 0 ? i : (records[i] as unknown[])[keyIndex];
        if (el === undefined) {
          // a record that failed its translation still names its key (keysInList counts it too)
          if (keyIndex >= 0 && Array.isArray(records[i]) && (records[i] as unknown[]).length === spec!.fields.length) keys.note(kv, i);
          continue;
        }
        if (kv === undefined || kv === null) {
          FIELD_ERRORS.length = 0;
          if (errors.room('BAD_RECORD')) errors.add(missingKey(element, spec!, i));
          continue;
        }
        takeFieldErrors(element, i, errors);
        const key = String(kv);
        if (Object.hasOwn(data, key) && errors.room('BAD_RECORD')) errors.add(duplicateKey(element, key, i, keys.earlier(key, i)));
        keys.note(key, i);
        if (key === '__proto__') setOwn(data, key, el);
        else data[key] = el;
      }
      errors.finish(element, `initial_info of ${element}`);
      return [{ type: 'initial_info', element, data }];
    }
    case 'info_event': {
      const element = term[1];
      const event = term[3];
      if (term.length !== 4 || typeof element !== 'string' || typeof event !== 'string') {
        throw new CtiProtocolError('BAD_MESSAGE', 'info_event is not {info_event, Element, Record, Event}', typeof element === 'string' ? element : undefined);
      }
      const spec = state.specs.get(element);
      const errors = frameErrors(state, onError);
      const data = buildRecord(element, spec, term[2], 0, state.baseUrl, errors);
      if (data === undefined) return [];
      if (spec!.keyIndex >= 0) {
        const kv = (term[2] as unknown[])[spec!.keyIndex];
        if (kv === undefined || kv === null) {
          FIELD_ERRORS.length = 0;
          errors.report(missingKey(element, spec!, 0));
          return [];
        }
      }
      takeFieldErrors(element, 0, errors);
      errors.finish(element, `info_event of ${element}`);
      return [{ type: 'info_event', element, data, event }];
    }
    case 'system_msg':
    case 'msg': {
      const msg = textOf(term[1]);
      if (term.length !== 2 || msg === undefined) throw new CtiProtocolError('BAD_MESSAGE', `${kind} is not {${kind}, Text}`);
      return [{ type: kind, msg }];
    }
    default:
      throw new CtiProtocolError('UNKNOWN_MESSAGE', `unknown message kind ${kind}`);
  }
}

function throwIt(err: CtiProtocolError): never {
  throw err;
}

/**
 * Decode one binary ws_cti frame (ETF, maybe zlib-compressed) and parse it: the lower-level
 * entry the console's Web Worker uses (it posts the result to the UI). Unlike {@link parseTerm}
 * it reads the bytes, so it tells tuples from lists and atoms from binaries where PROTOCOL.md
 * ("Messages") says which: the frame must be a tuple headed by an atom (else `NOT_A_MESSAGE`);
 * the Element of field_spec/initial_info/info_event an atom, a field_spec's fields a proper list
 * of atoms (`[]` allowed, also as the empty STRING_EXT `107 0 0`: records of that element are then
 * `{}`, keyed by position), an initial_info's Records a proper list (a STRING_EXT included: its
 * integers are `BAD_RECORD` each), `[]` or `{bert, nil}` (else `BAD_MESSAGE`, nothing
 * delivered); each record a tuple (else `BAD_RECORD`), and `state`, `target`, `other_info` tuples
 * (else `BAD_FIELD`: the record is delivered without that field).
 * @param bytes one whole WebSocket binary message
 * @param state per-connection state from {@link createParserState}; updated by field_spec frames
 * @param onError receives record-level errors (see {@link parseTerm}); default: throw
 * @throws EtfDecodeError when the bytes are not one valid ETF term, or exceed a limit of
 *   `state.decodeOptions` (`opts.decode_limits`; code `LIMIT`)
 * @throws CtiProtocolError when the term is not a ws_cti message (see {@link parseTerm})
 */
export function parseFrame(bytes: Uint8Array, state: ParserState, onError: (err: CtiProtocolError) => void = throwIt): CtiMessage[] {
  const fused = parseRecordFrame(bytes, state);
  if (fused === undefined) {
    const term = decodeEtfPlain(bytes, state.decodeOptions);
    // `107 0 0` is `[]`, which the plain value shows as '' (a binary's text)
    if (checkFrameShape(bytes, state) === EMPTY_STRING_EXT) (term as unknown[])[2] = [];
    return parseTerm(term, state, onError);
  }
  // Record errors are reported only once the whole frame has decoded.
  const errors = fused.errors;
  if (errors !== undefined) for (let i = 0; i < errors.length; i++) onError(errors[i]);
  return fused.messages;
}

/** What {@link checkFrameShape} returns for a field_spec whose field list is an empty STRING_EXT (`107 0 0`, i.e. `[]`). */
const EMPTY_STRING_EXT = 1;

/**
 * What the plain value of a frame cannot show (tuple or list, atom or binary), read from the bytes
 * of a frame that has decoded (so only protocol errors remain): throws NOT_A_MESSAGE or BAD_MESSAGE.
 * @returns {@link EMPTY_STRING_EXT} for a field_spec whose fields are `[]` written as STRING_EXT, else undefined
 */
function checkFrameShape(bytes: Uint8Array, state: ParserState): typeof EMPTY_STRING_EXT | undefined {
  const d = plainReader(bytes, state.decodeOptions);
  const arity = d.tupleArity();
  const head = arity > 0 ? d.atomValue() : null;
  if (typeof head !== 'string') throw new CtiProtocolError('NOT_A_MESSAGE', 'frame is not a tuple headed by an atom');
  if (head !== 'field_spec' && head !== 'initial_info' && head !== 'info_event') return undefined;
  if (arity < 2) return undefined; // parseTerm reports the arity
  const element = d.atomValue();
  if (typeof element !== 'string') throw new CtiProtocolError('BAD_MESSAGE', `the Element of ${head} is not an atom`);
  if (head !== 'field_spec' || arity !== 3) return undefined;
  if (d.peekTag() === STRING_EXT) {
    // a non-empty one is a list of integers: no field names
    if (d.plain() === '') return EMPTY_STRING_EXT;
    throw new CtiProtocolError('BAD_MESSAGE', 'field_spec is not {field_spec, Element, [Field, ...]}: the fields are integers (a STRING_EXT), not atoms', element);
  }
  if (!atomList(d)) {
    throw new CtiProtocolError('BAD_MESSAGE', 'field_spec is not {field_spec, Element, [Field, ...]}: the fields are not a list of atoms', element);
  }
  return undefined;
}

/** At a proper list of atoms (other than true/false/undefined), `[]` included: true. Reads an unspecified part of it. */
function atomList(d: PlainReader): boolean {
  if (d.nextIsNil()) return true;
  let n = d.listLength();
  if (n < 0) return false;
  for (;;) {
    for (let i = 0; i < n; i++) if (typeof d.atomValue() !== 'string') return false;
    if (d.nextIsNil()) return true;
    // a chained tail (`[a | [b]]` written as two LIST_EXTs) is the same list, not one level deeper:
    // its level is closed at once, as in parseRecordFrame, or ~maxDepth chained tails hit LIMIT
    n = d.listLength();
    if (n < 0) return false;
    d.leave();
  }
}

/**
 * A record of an initial_info whose key an earlier record of it has (PROTOCOL.md "Messages":
 * Records are keyed by uuid/id): a server bug that would silently replace the earlier one. Reported
 * as BAD_RECORD of the later record, which is still the one kept (as a later info_event would).
 */
function duplicateKey(element: string, key: string, index: number, earlier: number): CtiProtocolError {
  const first = earlier < 0 ? 'an earlier record' : `record ${earlier}`;
  return new CtiProtocolError('BAD_RECORD', `record of ${element} has the key ${key} of ${first} too; this later one is kept`, element, index);
}

/**
 * The last index of each key among records `[0, upTo)` that are tuples of the spec's arity with a
 * key (as {@link EarlierKeys} wants it): one pass, made at the first repeated key only.
 */
function keysInList(records: readonly unknown[], spec: CompiledFieldSpec, upTo: number): Map<string, number> {
  const map = new Map<string, number>();
  for (let j = 0; j < upTo; j++) {
    const r = records[j];
    if (Array.isArray(r) && r.length === spec.fields.length) {
      const k = r[spec.keyIndex];
      if (k !== undefined && k !== null) map.set(String(k), j);
    }
  }
  return map;
}

/**
 * {@link keysInList} for the fused path, which keeps no records: the frame's record list read again
 * up to `upTo` (bytes already decoded once, so no error), once per frame at most.
 */
function keysInBytes(bytes: Uint8Array, state: ParserState, spec: CompiledFieldSpec, upTo: number): Map<string, number> {
  const map = new Map<string, number>();
  const d = plainReader(bytes, state.decodeOptions);
  d.tupleArity();
  d.atomValue();
  d.atomValue();
  let count = d.listLength();
  for (let j = 0; j < upTo; ) {
    if (count < 0) return map;
    for (let c = 0; c < count && j < upTo; c++, j++) {
      const tag = d.peekTag();
      const r = d.plain();
      if ((tag === 104 || tag === 105) && Array.isArray(r) && r.length === spec.fields.length) {
        const k = r[spec.keyIndex];
        if (k !== undefined && k !== null) map.set(String(k), j);
      }
    }
    if (j < upTo) {
      // a chained tail
      count = d.listLength();
      if (count >= 0) d.leave();
    }
  }
  return map;
}

/** 107 STRING_EXT: a list of small integers (ERTS "External Term Format"), which the plain mapping makes a string. */
const STRING_EXT = 107;

/** The error of a record that is not a tuple: NO_FIELD_SPEC before the element's field_spec (as for any record), else BAD_RECORD. */
function notARecord(element: string, spec: CompiledFieldSpec | undefined, index: number): CtiProtocolError {
  return spec === undefined
    ? new CtiProtocolError('NO_FIELD_SPEC', `record for ${element} before its field_spec`, element, index)
    : new CtiProtocolError('BAD_RECORD', `record of ${element} is not a tuple`, element, index);
}

/** The key value a compiled reader hands back (one per module: parsing is synchronous). */
const KEY: { k: unknown } = { k: undefined };

/** The record errors of the fused path, one instance reset per frame (it calls no user code, so it is never re-entered). */
const FUSED_ERRORS = new FrameErrors(MAX_ERRORS_PER_FRAME);

interface Fused {
  messages: CtiMessage[];
  errors: CtiProtocolError[] | undefined;
}

/**
 * Read one record (at the reader's position) of `element` into its object; the reader ends after
 * the record whatever happens. Sets `KEY.k` to the raw key value of a tuple of the spec's arity
 * (undefined for any other record). A record error goes to `errors` (no object built for one
 * counted only) and gives undefined.
 * @throws EtfDecodeError from the reader
 */
function readRecord(d: PlainReader, element: string, spec: CompiledFieldSpec | undefined, index: number, baseUrl: string | undefined, errors: FrameErrors): CtiElement | undefined {
  KEY.k = undefined;
  if (spec === undefined) {
    d.plain();
    if (errors.room('NO_FIELD_SPEC')) errors.add(notARecord(element, spec, index));
    return undefined;
  }
  const at = d.pos;
  const m = d.tupleArity();
  if (m < 0) {
    d.plain();
    if (errors.room('BAD_RECORD')) errors.add(notARecord(element, spec, index));
    return undefined;
  }
  const n = spec.fields.length;
  if (m !== n) {
    // read it the ordinary way only to step over it
    d.leave();
    d.pos = at;
    d.plain();
    if (errors.room('ARITY_MISMATCH')) errors.add(arityMismatch(element, m, n, index));
    return undefined;
  }
  let el: CtiElement;
  try {
    el = spec.read(d, baseUrl, KEY);
  } catch (cause) {
    FIELD_ERRORS.length = 0;
    if (cause instanceof EtfDecodeError) throw cause;
    d.leave();
    if (errors.room('BAD_RECORD')) errors.add(new CtiProtocolError('BAD_RECORD', `fields of ${element} could not be translated: ${(cause as Error).message}`, element, index, { cause }));
    return undefined;
  }
  d.leave();
  if (spec.keyIndex >= 0 && (KEY.k === undefined || KEY.k === null)) {
    FIELD_ERRORS.length = 0;
    if (errors.room('BAD_RECORD')) errors.add(missingKey(element, spec, index));
    return undefined;
  }
  return el;
}

/**
 * `{initial_info, El, Records}` and `{info_event, El, Rec, Ev}` with an atom `El`, read from the
 * bytes straight into the element objects (a reader compiled per field_spec, or its generic loop).
 * Returns undefined — and the caller decodes the frame whole — for every other frame. Record
 * errors are returned, not reported, and `state` is only read; a frame-level error is thrown only
 * once the whole frame has decoded, so bad bytes always give their EtfDecodeError first.
 * @throws EtfDecodeError for bad bytes
 * @throws CtiProtocolError BAD_MESSAGE: Records not a proper list, `[]` or `{bert, nil}`; Event not text
 */
function parseRecordFrame(bytes: Uint8Array, state: ParserState): Fused | undefined {
  const d = plainReader(bytes, state.decodeOptions);
  const arity = d.tupleArity();
  if (arity !== 3 && arity !== 4) return undefined;
  const kind = d.atomValue();
  if (kind !== (arity === 3 ? 'initial_info' : 'info_event')) return undefined;
  const element = d.atomValue();
  if (typeof element !== 'string') return undefined;
  const spec = state.specs.get(element);
  const baseUrl = state.baseUrl;
  const errors = FUSED_ERRORS;
  errors.reset(state.maxErrorsPerFrame ?? MAX_ERRORS_PER_FRAME);
  if (arity === 4) {
    const r = readRecord(d, element, spec, 0, baseUrl, errors);
    // taken before the rest is read: bad bytes after the record must not leave them to the next frame
    takeFieldErrors(element, 0, errors);
    const event = d.plain();
    d.leave();
    d.finish();
    if (typeof event !== 'string') throw new CtiProtocolError('BAD_MESSAGE', 'info_event is not {info_event, Element, Record, Event}', element);
    errors.finish(element, `info_event of ${element}`);
    return { messages: r === undefined ? [] : [{ type: 'info_event', element, data: r, event }], errors: errors.take() };
  }
  const data: Record<string, CtiElement> = {};
  // made at the first repeated key only
  let keys: EarlierKeys | undefined;
  const earlier = (key: string, i: number): number => (keys ??= new EarlierKeys((upTo) => keysInBytes(bytes, state, spec!, upTo))).earlier(key, i);
  let isList = true;
  let count = d.listLength();
  if (count >= 0) {
    let i = 0;
    for (;;) {
      for (let j = 0; j < count; j++, i++) {
        const el = readRecord(d, element, spec, i, baseUrl, errors);
        if (el === undefined) {
          // a record that failed its translation still names its key (keysInBytes counts it too)
          keys?.note(KEY.k, i);
          continue;
        }
        if (FIELD_ERRORS.length !== 0) takeFieldErrors(element, i, errors);
        // A number key is set as a number: the same property (ToPropertyKey is ToString) without
        // building the string only for V8 to parse it back into an index.
        // A key already set (5 as a bignum and as a small integer are one key too) is reported and
        // the later record kept; Object.prototype has no index properties, so a number needs no hasOwn.
        const k = spec!.keyIndex < 0 ? i : KEY.k;
        if (typeof k === 'number') {
          if ((data as unknown as CtiElement[])[k] !== undefined && errors.room('BAD_RECORD')) errors.add(duplicateKey(element, String(k), i, earlier(String(k), i)));
          keys?.note(k, i);
          (data as unknown as CtiElement[])[k] = el;
        } else {
          const key = String(k);
          if (Object.hasOwn(data, key) && errors.room('BAD_RECORD')) errors.add(duplicateKey(element, key, i, earlier(key, i)));
          keys?.note(key, i);
          if (key === '__proto__') setOwn(data, key, el);
          else data[key] = el;
        }
      }
      if (d.nextIsNil()) break;
      // a chained tail (`[a | [b]]` written as two LIST_EXTs) goes on; any other tail makes it improper
      count = d.listLength();
      if (count >= 0) {
        d.leave();
        continue;
      }
      d.plain();
      isList = false;
      break;
    }
    d.leave();
  } else if (d.peekTag() === STRING_EXT) {
    // A list of small integers, as term_to_binary writes `[1, 2]` (`107 0 0` is `[]`): a list, of
    // entries that are no records; a binary, which the plain value cannot tell from it, is no list.
    const codes = d.plain() as string;
    for (let i = 0; i < codes.length; i++) if (errors.room(spec === undefined ? 'NO_FIELD_SPEC' : 'BAD_RECORD')) errors.add(notARecord(element, spec, i));
  } else if (!d.nextIsNil()) {
    // {bert, nil} is the empty list too (PROTOCOL.md "Messages"); anything else is no record list
    const at = d.pos;
    const n = d.tupleArity();
    if (n >= 0) d.leave();
    if (!(n === 2 && d.atomValue() === 'bert' && d.atomValue() === 'nil')) {
      d.pos = at;
      d.plain();
      isList = false;
    }
  }
  d.leave();
  d.finish();
  if (!isList) {
    // nothing delivered: an initial_info replaces all that the consumer knows of the element
    throw new CtiProtocolError('BAD_MESSAGE', 'initial_info is not {initial_info, Element, Records}: Records is not a list, [] or {bert, nil}', element);
  }
  errors.finish(element, `initial_info of ${element}`);
  return { messages: [{ type: 'initial_info', element, data }], errors: errors.take() };
}
