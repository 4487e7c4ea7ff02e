// Term model for Erlang's External Term Format (ERTS User's Guide, "External Term Format").
// It keeps every Erlang type distinguishable so that `encodeEtf(decodeEtf(b))` gives back `b`.

/**
 * An Erlang atom. Instances are interned: `Atom.of('ok') === Atom.of('ok')`, so atoms can be
 * compared with `===`. `name` is the atom's text (Unicode; Latin-1 atoms are decoded as Latin-1).
 */
export class Atom {
  private static readonly table = new Map<string, Atom>();
  private constructor(readonly name: string) {}
  /** The interned atom with this name. */
  static of(name: string): Atom {
    let a = Atom.table.get(name);
    if (a === undefined) {
      a = new Atom(name);
      Atom.table.set(name, a);
    }
    return a;
  }
  toString(): string {
    return this.name;
  }
}

/** Shorthand for {@link Atom.of}. */
export const atom = (name: string): Atom => Atom.of(name);

/** An Erlang tuple `{A, B, ...}` (SMALL_TUPLE_EXT 104 / LARGE_TUPLE_EXT 105). */
export class Tuple {
  constructor(readonly elements: Term[]) {}
  get length(): number {
    return this.elements.length;
  }
}

/** Shorthand: `tuple(a, b)` is `{a, b}`. */
export const tuple = (...elements: Term[]): Tuple => new Tuple(elements);

/**
 * A list whose tail is not `[]` (LIST_EXT 108 with a non-NIL tail), e.g. `[a | b]`.
 * Proper lists are plain JS arrays.
 */
export class ImproperList {
  constructor(
    readonly elements: Term[],
    readonly tail: Term,
  ) {}
}

/** An Erlang float (NEW_FLOAT_EXT 70 / FLOAT_EXT 99). Plain JS numbers that are safe integers encode as integers; wrap a number in `Float` to force a float. */
export class Float {
  constructor(readonly value: number) {}
}

/** A bitstring whose last byte holds only `bits` (1..8) significant high bits (BIT_BINARY_EXT 77). */
export class BitBinary {
  constructor(
    readonly bytes: Uint8Array,
    readonly bits: number,
  ) {}
}

/** An Erlang map (MAP_EXT 116). Keys are arbitrary terms, so entries are kept as pairs in wire order. */
export class ErlMap {
  constructor(readonly entries: Array<[Term, Term]>) {}
}

/** A pid (PID_EXT 103 / NEW_PID_EXT 88), kept opaque: `node`, `id`, `serial`, `creation`. */
export class Pid {
  constructor(
    readonly node: Atom,
    readonly id: number,
    readonly serial: number,
    readonly creation: number,
    /** true for NEW_PID_EXT (32-bit creation). */
    readonly wide: boolean,
  ) {}
}

/** A port (PORT_EXT 102 / NEW_PORT_EXT 89 / V4_PORT_EXT 120), kept opaque. `id` is a bigint for V4 ports. */
export class Port {
  constructor(
    readonly node: Atom,
    readonly id: number | bigint,
    readonly creation: number,
    /** The tag it came with (102, 89 or 120), so it re-encodes the same. */
    readonly tag: number,
  ) {}
}

/** A reference (REFERENCE_EXT 101 / NEW_REFERENCE_EXT 114 / NEWER_REFERENCE_EXT 90), kept opaque. */
export class Reference {
  constructor(
    readonly node: Atom,
    readonly creation: number,
    readonly ids: number[],
    /** The tag it came with (101, 114 or 90). */
    readonly tag: number,
  ) {}
}

/** An external fun `fun M:F/A` (EXPORT_EXT 113). */
export class ExportFun {
  constructor(
    readonly module: Atom,
    readonly fun: Atom,
    readonly arity: number,
  ) {}
}

/** A local fun (NEW_FUN_EXT 112), kept opaque as its raw bytes including the tag. */
export class OpaqueFun {
  constructor(readonly raw: Uint8Array) {}
}

/**
 * Any decoded Erlang term:
 * - integers (SMALL_INTEGER_EXT 97, INTEGER_EXT 98, SMALL_BIG_EXT 110, LARGE_BIG_EXT 111) →
 *   `number` when |n| ≤ 2^53 − 1, else `bigint` (never rounded);
 * - floats → {@link Float};
 * - atoms → {@link Atom} (`true`, `false`, `undefined` stay atoms in the term model);
 * - binaries (BINARY_EXT 109) → `Uint8Array`; bitstrings → {@link BitBinary};
 * - STRING_EXT 107 (a list of bytes) → `string` (each char code 0..255);
 * - proper lists (LIST_EXT 108, NIL_EXT 106) → `Term[]`; improper → {@link ImproperList};
 * - tuples → {@link Tuple}; maps → {@link ErlMap}; pids, ports, references, funs → opaque classes;
 * - encoder input only: JS `true`, `false` and `undefined` stand for the atoms of those names
 *   (so records can be written naturally); the decoder always gives {@link Atom}s for them.
 */
export type Term =
  | boolean
  | undefined
  | number
  | bigint
  | string
  | Atom
  | Float
  | Uint8Array
  | BitBinary
  | Tuple
  | Term[]
  | ImproperList
  | ErlMap
  | Pid
  | Port
  | Reference
  | ExportFun
  | OpaqueFun;

/** Encode a JS string as an Erlang binary (UTF-8 bytes) — how Basix sends text. */
export const binary = (text: string): Uint8Array => new TextEncoder().encode(text);
