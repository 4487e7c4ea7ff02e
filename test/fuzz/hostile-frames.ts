// Hostile ws_cti frames of issue 12 ("Hostile frames"), written byte by byte so that a frame of a
// million records is made in milliseconds: seeds of the property tests and of `npm run fuzz`.
// Erlang's External Term Format (ERTS User's Guide); made-up values only.
import { zlibSync } from 'fflate';

const enc = new TextEncoder();

/** 119 SMALL_ATOM_UTF8_EXT */
export function atomBytes(name: string): number[] {
  const b = enc.encode(name);
  return [119, b.length, ...b];
}

/** 109 BINARY_EXT */
export function binaryBytes(text: string): number[] {
  const b = enc.encode(text);
  return [109, (b.length >>> 24) & 255, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255, ...b];
}

const u32 = (n: number): number[] => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

/** A whole frame: 131, `head`, then `n` copies of `item`, then `tail`. */
function repeated(head: number[], item: ArrayLike<number>, n: number, tail: number[]): Uint8Array {
  const out = new Uint8Array(1 + head.length + item.length * n + tail.length);
  out[0] = 131;
  out.set(head, 1);
  let at = 1 + head.length;
  for (let i = 0; i < n; i++, at += item.length) out.set(item, at);
  out.set(tail, at);
  return out;
}

/** `{initial_info, Element, [Record × n]}`, each record the bytes of one term. */
export function initialInfo(element: string, record: ArrayLike<number>, n: number): Uint8Array {
  return repeated([104, 3, ...atomBytes('initial_info'), ...atomBytes(element), 108, ...u32(n)], record, n, [106]);
}

/** `{initial_info, Element, Records}` of the given records, each the bytes of one term. */
export function recordList(element: string, records: ReadonlyArray<ArrayLike<number>>): Uint8Array {
  const head = [131, 104, 3, ...atomBytes('initial_info'), ...atomBytes(element), 108, ...u32(records.length)];
  let size = head.length + 1;
  for (const r of records) size += r.length;
  const out = new Uint8Array(size);
  out.set(head);
  let at = head.length;
  for (const r of records) {
    out.set(r, at);
    at += r.length;
  }
  out[at] = 106;
  return out;
}

/** `{field_spec, Element, [Field, ...]}` */
export function fieldSpec(element: string, fields: readonly string[]): Uint8Array {
  return Uint8Array.from([131, 104, 3, ...atomBytes('field_spec'), ...atomBytes(element), 108, ...u32(fields.length), ...fields.flatMap(atomBytes), 106]);
}

/**
 * The frame as term_to_binary(T, [compressed]) writes it: 131, 80, UncompressedSize, zlib stream of
 * the term without its 131 (level 6, Erlang's default; 9 for the bombs).
 */
export function compressed(frame: Uint8Array, declared = frame.length - 1, level: 6 | 9 = frame.length > 1 << 20 ? 9 : 6): Uint8Array {
  const z = zlibSync(frame.subarray(1), { level });
  const out = new Uint8Array(6 + z.length);
  out.set([131, 80, ...u32(declared)]);
  out.set(z, 6);
  return out;
}

/** The user field_spec of the seeds: `id` is the key. */
export const USER_FIELDS = ['id', 'name', 'avatar', 'label'] as const;

/** A user record `{Id, <<"name">>, undefined, <<"Label">>}` (Id a small integer < 256). */
export function userRecord(id: number, label: number[] = binaryBytes('Label')): number[] {
  return [104, 4, 97, id, ...binaryBytes('user'), ...atomBytes('undefined'), ...label];
}

/** Error storm: an initial_info of user whose `n` records are small integers, no tuples (BAD_RECORD each); compressed: ~1 KB per million. */
export function errorStorm(n: number): Uint8Array {
  return compressed(initialInfo('user', [97, 1], n));
}

/** `n` user records that all have the key 1 (BAD_RECORD each after the first, naming the one before). */
export function sameKey(n: number): Uint8Array {
  return compressed(initialInfo('user', userRecord(1), n));
}

/** Decompression bomb: `{msg, [[] × n]}` compressed (64 KB for n = 64M). */
export function msgBomb(n: number, declared?: number): Uint8Array {
  return compressed(repeated([104, 2, ...atomBytes('msg'), 108, ...u32(n)], [106], n, [106]), declared);
}

/** `{msg, [[[] × inner] × outer]}` compressed: many lists each under any one-list limit. */
export function nestedBomb(outer: number, inner: number): Uint8Array {
  const list = new Uint8Array(5 + inner + 1);
  list.set([108, ...u32(inner)]);
  list.fill(106, 5);
  return compressed(repeated([104, 2, ...atomBytes('msg'), 108, ...u32(outer)], list, outer, [106]));
}
