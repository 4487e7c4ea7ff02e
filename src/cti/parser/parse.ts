// Frame → parsed messages (../shared/PROTOCOL.md "Messages", "Elements", "Field translations").
// Hot path (initial_info / info_event of an element with a compiled field_spec): each record
// tuple is decoded straight into its element object by a reader compiled per field_spec, with no
// array in between; any other frame is decoded whole by `decodeEtfPlain` and zipped with the names.

import { decodeEtfPlain, plainReader, type DecodeOptions, type PlainReader } from '../etf/decode.ts';
import { EtfDecodeError } from '../etf/errors.ts';
import { CtiProtocolError } from './errors.ts';
import { parseEndUser, parseOrigination, parseOtherInfo, parseState, parseTags, parseTarget, resolveAvatar } from './translate.ts';
import type { CtiElement, CtiMessage, MessageParserOptions } from './types.ts';

type Translator = (value: unknown, baseUrl: string | undefined) => unknown;

/** An element's last field_spec, compiled for the hot path. */
export interface CompiledFieldSpec {
  /** field names in wire order */
  readonly fields: readonly string[];
  /** index of the key field (`uuid` for channel kinds, `id` otherwise; the other one as a fallback), -1 for none */
  readonly keyIndex: number;
  /** per field index, its translator (PROTOCOL.md "Field translations"), or undefined to copy as is */
  readonly translators: ReadonlyArray<Translator | undefined>;
  /**
   * Builds the element object from a record of the right arity, translations included. Where
   * `new Function` is allowed it is an object literal compiled once per field_spec (about 50×
   * faster than assigning keys in a loop); under a CSP without 'unsafe-eval' a generic loop.
   * @throws whatever a translator throws (they are written not to)
   */
  readonly build: (rec: readonly unknown[], baseUrl: string | undefined) => Record<string, unknown>;
  /**
   * The fused form of `build`: reads the record's values (a tuple of the right arity, header
   * already read) from `d`, sets `key.k` to the raw key value (undefined without a key field) and
   * returns the element object, translations included. Undefined where `build` is the generic loop
   * (no `new Function`, or a field named `__proto__`): such frames take the decode-then-zip path.
   * @throws EtfDecodeError from `d` (before any translator runs), else whatever a translator throws
   */
  readonly read: ((d: PlainReader, baseUrl: string | undefined, key: { k: unknown }) => Record<string, unknown>) | undefined;
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
}

/** A fresh {@link ParserState} (no field specs yet). */
export function createParserState(opts: MessageParserOptions = {}): ParserState {
  return { specs: new Map(), baseUrl: opts.base_url || undefined, codegen: opts.codegen !== false, decodeOptions: opts.decode_limits };
}

const CHANNEL_KINDS = new Set(['channel', 'channel_waiting', 'queued_channel', 'parked_channel']);

const translateEndUser: Translator = (v, base) => parseEndUser(v, base);
const translateOtherInfo: Translator = (v, base) => parseOtherInfo(v, base);
const CHANNEL_TRANSLATORS: Record<string, Translator> = {
  state: parseState,
  target: parseTarget,
  end_user: translateEndUser,
  origination: parseOrigination,
  tags: parseTags,
  other_info: translateOtherInfo,
};
const translateUserAvatar: Translator = (v, base) => (base === undefined ? v : resolveAvatar(v, base, 'user'));

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
function compileReader(fields: readonly string[], translators: ReadonlyArray<Translator | undefined>, keyIndex: number): CompiledFieldSpec['read'] {
  if (fields.includes('__proto__')) return undefined;
  try {
    const reads = fields.map((_, i) => `v${i} = d.plain()`);
    const props = fields.map((f, i) => `${JSON.stringify(f)}: ${translators[i] === undefined ? `v${i}` : `T[${i}](v${i}, b)`}`);
    const body =
      (fields.length > 0 ? `const ${reads.join(', ')};\n` : '') +
      `K.k = ${keyIndex < 0 ? 'undefined' : `v${keyIndex}`};\n` +
      `return {${props.join(', ')}};`;
    const make = new Function('T', `return function read(d, b, K) {\n${body}\n};`);
    return make(translators) as CompiledFieldSpec['read'];
  } catch {
    return undefined;
  }
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
 * translation (channel kinds: state, target, end_user, origination, tags, other_info; user:
 * avatar when `baseUrl` is given) and the record → object builder.
 * @param baseUrl when undefined, user avatars are copied as they are
 * @param allowCodegen default true; false forces the generic builder (tests, strict CSP)
 */
export function compileFieldSpec(element: string, fields: readonly string[], baseUrl: string | undefined, allowCodegen = true): CompiledFieldSpec {
  const isChannel = CHANNEL_KINDS.has(element);
  const translators: Array<Translator | undefined> = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    let t: Translator | undefined;
    if (isChannel) t = Object.hasOwn(CHANNEL_TRANSLATORS, f) ? CHANNEL_TRANSLATORS[f] : undefined;
    else if (element === 'user' && f === 'avatar' && baseUrl !== undefined) t = translateUserAvatar;
    translators.push(t);
  }
  const primary = isChannel ? 'uuid' : 'id';
  let keyIndex = fields.indexOf(primary);
  if (keyIndex < 0) keyIndex = fields.indexOf(isChannel ? 'id' : 'uuid');
  const compiled = allowCodegen ? compileBuilder(fields, translators) : undefined;
  const build = compiled ?? genericBuilder(fields, translators);
  const read = compiled === undefined ? undefined : compileReader(fields, translators, keyIndex);
  return { fields, keyIndex, translators, build, read };
}

/** Build one element object; throws a record-level CtiProtocolError. */
function buildRecord(element: string, spec: CompiledFieldSpec | undefined, rec: unknown, index: number, baseUrl: string | undefined): CtiElement {
  if (spec === undefined) throw new CtiProtocolError('NO_FIELD_SPEC', `record for ${element} before its field_spec`, element, index);
  if (!Array.isArray(rec)) throw new CtiProtocolError('BAD_RECORD', `record of ${element} is not a tuple`, element, index);
  const n = spec.fields.length;
  if (rec.length !== n) {
    throw new CtiProtocolError('ARITY_MISMATCH', `record of ${element} has ${rec.length} values, field_spec has ${n}`, element, index);
  }
  try {
    return spec.build(rec, baseUrl);
  } catch (cause) {
    throw new CtiProtocolError('BAD_RECORD', `fields of ${element} could not be translated`, element, index, { cause });
  }
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

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 0) return '';
  return undefined;
}

/**
 * Turn one decoded frame term (as `decodeEtfPlain` returns it) into parsed messages, updating
 * `state` (field specs). Record-level errors (`NO_FIELD_SPEC`, `ARITY_MISMATCH`, `BAD_RECORD`)
 * go to `onError` and the other records are still returned (an initial_info always comes out,
 * with the good records; an info_event with a bad record does not).
 * @param term the frame's top-level term
 * @param onError receives record-level errors; default: throw the first one (losing the rest of the frame)
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
      if (dup !== undefined) onError(new CtiProtocolError('BAD_MESSAGE', `field_spec of ${element} names ${dup} more than once; its last value wins`, element));
      return [{ type: 'field_spec', element, fields: fields.slice() }];
    }
    case 'initial_info': {
      const element = term[1];
      const records = term[2];
      if (term.length !== 3 || typeof element !== 'string' || !Array.isArray(records)) {
        throw new CtiProtocolError('BAD_MESSAGE', 'initial_info is not {initial_info, Element, Records}', typeof element === 'string' ? element : undefined);
      }
      const data: Record<string, CtiElement> = {};
      // {bert, nil} means "none", like [] (PROTOCOL.md "Messages").
      if (records.length === 2 && records[0] === 'bert' && records[1] === 'nil') return [{ type: 'initial_info', element, data }];
      const spec = state.specs.get(element);
      const keyIndex = spec === undefined ? -1 : spec.keyIndex;
      const baseUrl = state.baseUrl;
      for (let i = 0; i < records.length; i++) {
        let el: CtiElement;
        try {
          el = buildRecord(element, spec, records[i], i, baseUrl);
        } catch (err) {
          onError(err as CtiProtocolError);
          continue;
        }
        const kv = keyIndex < 0 ? i : (records[i] as unknown[])[keyIndex];
        if (kv === undefined || kv === null) {
          onError(missingKey(element, spec!, i));
          continue;
        }
        const key = String(kv);
        if (key === '__proto__') setOwn(data, key, el);
        else data[key] = el;
      }
      return [{ type: 'initial_info', element, data }];
    }
    case 'info_event': {
      const element = term[1];
      const event = term[3];
      if (term.length !== 4 || typeof element !== 'string' || typeof event !== 'string') {
        throw new CtiProtocolError('BAD_MESSAGE', 'info_event is not {info_event, Element, Record, Event}', typeof element === 'string' ? element : undefined);
      }
      const spec = state.specs.get(element);
      let data: CtiElement;
      try {
        data = buildRecord(element, spec, term[2], 0, state.baseUrl);
      } catch (err) {
        onError(err as CtiProtocolError);
        return [];
      }
      if (spec!.keyIndex >= 0) {
        const kv = (term[2] as unknown[])[spec!.keyIndex];
        if (kv === undefined || kv === null) {
          onError(missingKey(element, spec!, 0));
          return [];
        }
      }
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
 * entry the console's Web Worker uses (it posts the result to the UI).
 * @param bytes one whole WebSocket binary message
 * @param state per-connection state from {@link createParserState}; updated by field_spec frames
 * @param onError receives record-level errors (see {@link parseTerm}); default: throw
 * @throws EtfDecodeError when the bytes are not one valid ETF term, or exceed a limit of
 *   `state.decodeOptions` (`opts.decode_limits`; code `LIMIT`)
 * @throws CtiProtocolError when the term is not a ws_cti message (see {@link parseTerm})
 */
export function parseFrame(bytes: Uint8Array, state: ParserState, onError: (err: CtiProtocolError) => void = throwIt): CtiMessage[] {
  const fused = parseFused(bytes, state);
  if (fused === undefined) return parseTerm(decodeEtfPlain(bytes, state.decodeOptions), state, onError);
  // Record errors are reported only once the whole frame has decoded, as on the decode-then-parse path.
  const errors = fused.errors;
  if (errors !== undefined) for (let i = 0; i < errors.length; i++) onError(errors[i]);
  return fused.messages;
}

/** The key value a compiled reader hands back (one per module: parsing is synchronous). */
const KEY: { k: unknown } = { k: undefined };

interface Fused {
  messages: CtiMessage[];
  errors: CtiProtocolError[] | undefined;
}

/**
 * The fused path of {@link parseFrame}: `{initial_info, El, [Rec, …]}` and `{info_event, El, Rec, Ev}`
 * for an element with a compiled reader, decoded straight into the element objects. Returns
 * undefined — and the caller decodes the frame the ordinary way — for every other frame and every
 * unusual shape (bad bytes included, so errors are exactly those of that path). It has no side
 * effects: record errors are returned, not reported, and `state` is only read.
 */
function parseFused(bytes: Uint8Array, state: ParserState): Fused | undefined {
  try {
    const d = plainReader(bytes, state.decodeOptions);
    const arity = d.tupleArity();
    if (arity !== 3 && arity !== 4) return undefined;
    const kind = d.atomValue();
    if (kind !== (arity === 3 ? 'initial_info' : 'info_event')) return undefined;
    const element = d.atomValue();
    if (typeof element !== 'string') return undefined;
    const spec = state.specs.get(element);
    const read = spec === undefined ? undefined : spec.read;
    if (read === undefined) return undefined;
    const n = spec!.fields.length;
    const baseUrl = state.baseUrl;
    if (arity === 4) {
      if (d.tupleArity() !== n) return undefined;
      let data: CtiElement;
      let errors: CtiProtocolError[] | undefined;
      try {
        data = read(d, baseUrl, KEY);
        if (spec!.keyIndex >= 0 && (KEY.k === undefined || KEY.k === null)) errors = [missingKey(element, spec!, 0)];
      } catch (cause) {
        if (cause instanceof EtfDecodeError) throw cause;
        errors = [new CtiProtocolError('BAD_RECORD', `fields of ${element} could not be translated`, element, 0, { cause })];
      }
      d.leave();
      const event = d.plain();
      if (typeof event !== 'string') return undefined;
      d.leave();
      d.finish();
      return errors === undefined ? { messages: [{ type: 'info_event', element, data: data!, event }], errors } : { messages: [], errors };
    }
    const count = d.listLength();
    if (count < 0) return undefined;
    const data: Record<string, CtiElement> = {};
    let errors: CtiProtocolError[] | undefined;
    for (let i = 0; i < count; i++) {
      const at = d.pos;
      const m = d.tupleArity();
      // not a tuple (a list would still be zipped by the ordinary path): let that path judge it
      if (m < 0) return undefined;
      if (m !== n) {
        // a tuple of another arity: a record error; read it the ordinary way only to step over it
        d.leave();
        d.pos = at;
        d.plain();
        (errors ??= []).push(new CtiProtocolError('ARITY_MISMATCH', `record of ${element} has ${m} values, field_spec has ${n}`, element, i));
        continue;
      }
      let el: CtiElement;
      try {
        el = read(d, baseUrl, KEY);
      } catch (cause) {
        if (cause instanceof EtfDecodeError) throw cause;
        (errors ??= []).push(new CtiProtocolError('BAD_RECORD', `fields of ${element} could not be translated`, element, i, { cause }));
        d.leave();
        continue;
      }
      d.leave();
      // A number key is set as a number: the same property (ToPropertyKey is ToString) without
      // building the string only for V8 to parse it back into an index.
      const k = spec!.keyIndex < 0 ? i : KEY.k;
      if (k === undefined || k === null) {
        (errors ??= []).push(missingKey(element, spec!, i));
        continue;
      }
      if (typeof k === 'number') (data as unknown as CtiElement[])[k] = el;
      else {
        const key = String(k);
        if (key === '__proto__') setOwn(data, key, el);
        else data[key] = el;
      }
    }
    // a proper list ends in NIL; anything else (chained or improper tails) goes the ordinary way
    if (!d.nextIsNil()) return undefined;
    d.leave();
    d.leave();
    d.finish();
    return { messages: [{ type: 'initial_info', element, data }], errors };
  } catch (err) {
    if (err instanceof EtfDecodeError) return undefined;
    throw err;
  }
}
