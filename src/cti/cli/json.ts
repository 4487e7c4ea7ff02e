// cti:tail's JSON form of a parsed CTI message: every value decodeEtfPlain can give (PROTOCOL.md
// "Frame encoding": any valid ETF term may appear) as JSON, without silently dropping any.
import { BitBinary, ExportFun, ImproperList, OpaqueFun, Pid, Port, Reference } from '../etf/term.ts';

/** Bytes → lowercase hex, two digits a byte. */
function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i] < 16 ? '0' : '') + b[i].toString(16);
  return s;
}

/**
 * A map as JSON: an object when every key is a string or a number, no string key starts with `$`,
 * and no two keys give the same property name (`1` and `'1'`); otherwise `{"$map": [[key, value], …]}`
 * in the map's order (keys and values converted the same way).
 */
function mapJson(m: Map<unknown, unknown>): unknown {
  const o: Record<string, unknown> = {};
  let plain = true;
  for (const k of m.keys()) {
    if (!(typeof k === 'string' && !k.startsWith('$')) && typeof k !== 'number') {
      plain = false;
      break;
    }
    const name = String(k);
    if (Object.prototype.hasOwnProperty.call(o, name)) {
      plain = false;
      break;
    }
    // defineProperty: a key named "__proto__" is an ordinary property here, not the prototype
    Object.defineProperty(o, name, { value: m.get(k), enumerable: true, writable: true, configurable: true });
  }
  return plain ? o : { $map: [...m] };
}

/**
 * `JSON.stringify` replacer giving each Erlang value a JSON form (README "Using the CTI library from Node"):
 * - `bigint` → decimal string (`"18446744073709551616"`); `undefined` → `null` in arrays, omitted in objects (JSON's own rule);
 * - `Map` (Erlang map) → object, or `{"$map": [[k, v], …]}` when a key is not a string/number, starts with `$`, or two keys collide;
 * - {@link BitBinary} → `{"$bitstring": "<hex of bytes>", "bits": n}` (n = significant high bits of the last byte, 1..8);
 * - {@link ImproperList} → `{"$improper": [elements…], "tail": t}`;
 * - {@link Pid} → `{"$pid": node, "id", "serial", "creation"}`; {@link Port} → `{"$port": node, "id", "creation"}` (id a string for V4 ports);
 *   {@link Reference} → `{"$ref": node, "ids": [u32…], "creation"}`;
 * - {@link ExportFun} → `{"$fun": "module:fun/arity"}`; {@link OpaqueFun} → `{"$fun": "<hex of the NEW_FUN_EXT bytes>"}`.
 * Everything else (strings, numbers, booleans, arrays, the parser's objects) is JSON as it is.
 */
export function erlangJsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  if (v instanceof Map) return mapJson(v);
  if (v instanceof BitBinary) return { $bitstring: hex(v.bytes), bits: v.bits };
  if (v instanceof ImproperList) return { $improper: v.elements, tail: v.tail };
  if (v instanceof Pid) return { $pid: v.node.name, id: v.id, serial: v.serial, creation: v.creation };
  if (v instanceof Port) return { $port: v.node.name, id: v.id, creation: v.creation };
  if (v instanceof Reference) return { $ref: v.node.name, ids: v.ids, creation: v.creation };
  if (v instanceof ExportFun) return { $fun: `${v.module.name}:${v.fun.name}/${v.arity}` };
  if (v instanceof OpaqueFun) return { $fun: hex(v.raw) };
  return v;
}

/**
 * One message as one line of JSON (no newline inside: JSON.stringify escapes control characters),
 * Erlang values as {@link erlangJsonReplacer} gives them.
 * @param m a parsed message (`CtiMessage`) or any value the parser hands out
 * @returns the JSON text, without the trailing newline
 */
export function messageToJsonLine(m: unknown): string {
  return JSON.stringify(m, erlangJsonReplacer);
}
