import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEtf } from '../etf/encode.ts';
import { EtfDecodeError } from '../etf/errors.ts';
import { atom, binary, tuple, type Term } from '../etf/term.ts';
import { CtiProtocolError } from './errors.ts';
import { createMessageParser, message_parser, type MessageParserCallbacks } from './message-parser.ts';
import { createParserState, parseFrame } from './parse.ts';

const spec = (element: string, fields: string[]) => encodeEtf(tuple(atom('field_spec'), atom(element), fields.map(atom)));
const userSpec = spec('user', ['id', 'name', 'avatar', 'label']);
const userRec = (id: number, label: string): Term => tuple(id, binary(`user${id}`), atom('undefined'), binary(label));
const userEvent = (id: number, label: string) => encodeEtf(tuple(atom('info_event'), atom('user'), userRec(id, label), atom('updated')));
const sysMsg = (m: string) => encodeEtf(tuple(atom('system_msg'), atom(m)));

/** A Blob whose contents arrive when the test says so. */
function controlledBlob(bytes: Uint8Array) {
  let release!: () => void;
  let fail!: (e: Error) => void;
  const p = new Promise<ArrayBuffer>((resolve, reject) => {
    release = () => resolve(bytes.slice().buffer as ArrayBuffer);
    fail = reject;
  });
  const blob = { size: bytes.byteLength, type: '', arrayBuffer: () => p } as unknown as Blob;
  return { blob, release, fail };
}

function recorder(extra: Partial<MessageParserCallbacks> = {}) {
  const log: string[] = [];
  const cbs: MessageParserCallbacks = {
    on_field_spec: (el) => log.push(`spec:${el}`),
    on_initial_info: (el, data) => log.push(`initial:${el}:${Object.keys(data).join(',')}`),
    on_info_event: (el, data, ev) => log.push(`event:${el}:${ev}:${(data as { label: string }).label}`),
    on_system_msg: (m) => log.push(`system:${m}`),
    on_msg: (m) => log.push(`msg:${m}`),
    on_error: (e) => log.push(`error:${(e as CtiProtocolError).code ?? e.name}`),
    ...extra,
  };
  return { log, cbs };
}

describe('handle_message inputs', () => {
  it('runs callbacks synchronously for Buffer, Uint8Array (with offset), ArrayBuffer, DataView, fragments and MessageEvent', () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    p.handle_message(Buffer.from(userSpec));
    const ev = userEvent(1, '山田 太郎');
    const padded = new Uint8Array(ev.byteLength + 10);
    padded.set(ev, 5);
    p.handle_message(padded.subarray(5, 5 + ev.byteLength));
    p.handle_message(userEvent(2, 'b').slice().buffer);
    const e3 = userEvent(3, 'c');
    p.handle_message(new DataView(e3.buffer, e3.byteOffset, e3.byteLength));
    const e4 = Buffer.from(userEvent(4, 'd'));
    p.handle_message([e4.subarray(0, 7), e4.subarray(7)]);
    p.handle_message({ data: userEvent(5, 'e').slice().buffer });
    expect(log).toStrictEqual(['spec:user', 'event:user:updated:山田 太郎', 'event:user:updated:b', 'event:user:updated:c', 'event:user:updated:d', 'event:user:updated:e']);
  });

  it('reports a text frame as UNSUPPORTED_INPUT, or throws without on_error when strict', () => {
    const { log, cbs } = recorder();
    createMessageParser(cbs).handle_message('hello' as never);
    expect(log).toStrictEqual(['error:UNSUPPORTED_INPUT']);
    expect(() => createMessageParser({}, { strict: true }).handle_message({ data: 'x' })).toThrow(CtiProtocolError);
  });

  it('strict without on_error: a bad frame throws and the next frame still parses', () => {
    const { log, cbs } = recorder({ on_error: undefined });
    const p = createMessageParser(cbs, { strict: true });
    expect(() => p.handle_message(new Uint8Array([131, 255]))).toThrow(EtfDecodeError);
    expect(() => p.handle_message(userEvent(1, 'x'))).toThrow(/NO_FIELD_SPEC/);
    p.handle_message(userSpec);
    p.handle_message(userEvent(1, 'x'));
    expect(log).toStrictEqual(['spec:user', 'event:user:updated:x']);
  });

  it('opts.base_url resolves user avatars', () => {
    let got: unknown;
    const p = createMessageParser({ on_info_event: (_e, d) => (got = d) }, { base_url: 'https://pbx.example.jp/' });
    p.handle_message(userSpec);
    p.handle_message(userEvent(1, 'x'));
    expect(got).toStrictEqual({ id: 1, name: 'user1', avatar: 'https://pbx.example.jp/static/icons/user.png', label: 'x' });
  });

  it('parsers are independent; message_parser.init starts afresh', () => {
    const a = recorder();
    const b = recorder();
    const pa = createMessageParser(a.cbs);
    const pb = createMessageParser(b.cbs);
    pa.handle_message(userSpec);
    pa.handle_message(userEvent(1, 'x'));
    pb.handle_message(userEvent(1, 'x'));
    expect(a.log).toStrictEqual(['spec:user', 'event:user:updated:x']);
    expect(b.log).toStrictEqual(['error:NO_FIELD_SPEC']);
    const c = recorder();
    message_parser.init(c.cbs);
    message_parser.handle_message(userSpec);
    message_parser.init(c.cbs);
    message_parser.handle_message(userEvent(1, 'x'));
    expect(c.log).toStrictEqual(['spec:user', 'error:NO_FIELD_SPEC']);
  });

  it('keeps unknown fields and elements, and a field named __proto__ does not swap the prototype', () => {
    const state = createParserState();
    parseFrame(spec('x_new', ['id', '__proto__', 'extra']), state);
    const [m] = parseFrame(encodeEtf(tuple(atom('initial_info'), atom('x_new'), [tuple(7, binary('p'), 1.5)])), state);
    expect(m.type).toBe('initial_info');
    const el = (m as { data: Record<string, Record<string, unknown>> }).data['7'];
    expect(Object.getPrototypeOf(el)).toBe(Object.prototype);
    expect(Object.keys(el)).toStrictEqual(['id', '__proto__', 'extra']);
    expect(el.extra).toBe(1.5);
  });
});

describe('Blob ordering', () => {
  it('Blobs resolving out of order still deliver in arrival order; bytes after a pending Blob wait', async () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    const b1 = controlledBlob(userSpec);
    const b2 = controlledBlob(userEvent(1, 'first'));
    const r1 = p.handle_message(b1.blob);
    const r2 = p.handle_message(b2.blob);
    const r3 = p.handle_message(userEvent(2, 'bytes-after-blob'));
    expect(r1).toBeInstanceOf(Promise);
    expect(r3).toBeInstanceOf(Promise);
    b2.release();
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toStrictEqual([]);
    b1.release();
    await Promise.all([r1, r2, r3]);
    expect(log).toStrictEqual(['spec:user', 'event:user:updated:first', 'event:user:updated:bytes-after-blob']);
    // The queue is empty again: bytes are synchronous once more.
    expect(p.handle_message(sysMsg('logout'))).toBeUndefined();
    expect(log.at(-1)).toBe('system:logout');
  });

  it('real Node Blobs work and drain() waits for them', async () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    p.handle_message(new Blob([userSpec as Uint8Array<ArrayBuffer>]));
    p.handle_message(new Blob([userEvent(9, "鈴木 花子") as Uint8Array<ArrayBuffer>]));
    p.handle_message(sysMsg('connection_replaced'));
    await p.drain();
    expect(log).toStrictEqual(['spec:user', 'event:user:updated:鈴木 花子', 'system:connection_replaced']);
  });

  it('a Blob that cannot be read is reported in order and the queue goes on', async () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    const bad = controlledBlob(new Uint8Array());
    p.handle_message(bad.blob);
    p.handle_message('text' as never);
    p.handle_message(sysMsg('logout'));
    bad.fail(new Error('read failed'));
    await p.drain();
    expect(log).toStrictEqual(['error:UNSUPPORTED_INPUT', 'error:UNSUPPORTED_INPUT', 'system:logout']);
  });

  it('strict without on_error: the promise of a bad Blob rejects and later messages still arrive', async () => {
    const { log, cbs } = recorder({ on_error: undefined });
    const p = createMessageParser(cbs, { strict: true });
    const r = p.handle_message(new Blob([new Uint8Array([1, 2, 3])]));
    const r2 = p.handle_message(sysMsg('logout'));
    await expect(r).rejects.toBeInstanceOf(EtfDecodeError);
    await r2;
    expect(log).toStrictEqual(['system:logout']);
  });
});

describe('properties (fast-check)', () => {
  const goodFrame = sysMsg('connection_limit_reached');

  it('random bytes only ever give EtfDecodeError (or a protocol error) via on_error; the parser still works', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, withMagic) => {
        const input = withMagic ? Uint8Array.of(131, ...bytes) : bytes;
        const errors: Error[] = [];
        const seen: string[] = [];
        const p = createMessageParser({ on_error: (e) => errors.push(e), on_system_msg: (m) => seen.push(m) });
        p.handle_message(input);
        for (const e of errors) {
          expect(e instanceof EtfDecodeError || e instanceof CtiProtocolError).toBe(true);
        }
        if (!withMagic && (bytes.length === 0 || bytes[0] !== 131)) {
          expect(errors).toHaveLength(1);
          expect(errors[0]).toBeInstanceOf(EtfDecodeError);
        }
        p.handle_message(goodFrame);
        expect(seen.at(-1)).toBe('connection_limit_reached');
      }),
      { numRuns: 500 },
    );
  });

  it('mutated real frames: only our errors, and the next good frame still parses', () => {
    const base = [userSpec, userEvent(1, '山田 太郎'), encodeEtf(tuple(atom('initial_info'), atom('user'), [userRec(1, 'a'), userRec(2, 'b')]), { compressed: true })];
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean(), (frame, pos, byte, cut) => {
        const f = frame.slice();
        const i = pos % f.length;
        const mutated = cut ? f.subarray(0, i) : (f.set([byte], i), f);
        const errors: Error[] = [];
        let events = 0;
        const p = createMessageParser({ on_error: (e) => errors.push(e), on_info_event: () => events++ });
        p.handle_message(userSpec);
        p.handle_message(mutated);
        for (const e of errors) expect(e instanceof EtfDecodeError || e instanceof CtiProtocolError).toBe(true);
        p.handle_message(userSpec);
        const before = events;
        p.handle_message(userEvent(3, 'ok'));
        expect(events).toBe(before + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('a bad record inside an initial_info is reported with its index and the other records still arrive', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.constantFrom('short', 'long', 'not-a-tuple'),
        (goodness, how) => {
          const records: Term[] = goodness.map((good, i) => {
            if (good) return userRec(1000 + i, `ユーザ${i}`);
            if (how === 'short') return tuple(1000 + i, binary('x'));
            if (how === 'long') return tuple(1000 + i, binary('x'), atom('undefined'), binary('y'), 5);
            return 1000 + i;
          });
          const errors: CtiProtocolError[] = [];
          let data: Record<string, unknown> | undefined;
          const p = createMessageParser({ on_error: (e) => errors.push(e as CtiProtocolError), on_initial_info: (_el, d) => (data = d) });
          p.handle_message(userSpec);
          p.handle_message(encodeEtf(tuple(atom('initial_info'), atom('user'), records)));
          const goodIds = goodness.flatMap((g, i) => (g ? [String(1000 + i)] : []));
          const badIdx = goodness.flatMap((g, i) => (g ? [] : [i]));
          expect(Object.keys(data!).sort()).toStrictEqual(goodIds.sort());
          expect(errors.map((e) => e.index)).toStrictEqual(badIdx);
          for (const e of errors) {
            expect(e).toBeInstanceOf(CtiProtocolError);
            expect(e.code).toBe(how === 'not-a-tuple' ? 'BAD_RECORD' : 'ARITY_MISMATCH');
            expect(e.element).toBe('user');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('more edges', () => {
  it('a MessageEvent carrying a Blob is read like a Blob', async () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    await p.handle_message({ data: new Blob([userSpec as Uint8Array<ArrayBuffer>]) });
    expect(log).toStrictEqual(['spec:user']);
  });

  it('a callback throwing while a Blob is handled goes to on_error and the queue goes on', async () => {
    const { log, cbs } = recorder({
      on_system_msg: (m) => {
        if (m === 'logout') throw new Error('callback bug');
        log.push(`system:${m}`);
      },
      on_error: (e) => log.push(`error:${e.message}`),
    });
    const p = createMessageParser(cbs);
    p.handle_message(new Blob([sysMsg('logout') as Uint8Array<ArrayBuffer>]));
    p.handle_message(sysMsg('connection_replaced'));
    await p.drain();
    expect(log).toStrictEqual(['error:callback bug', 'system:connection_replaced']);
  });

  it('an on_error that throws is not called again with its own exception; the exception propagates once, the queue goes on', async () => {
    const seen: string[] = [];
    const p = createMessageParser({
      on_msg: (m) => {
        seen.push(`msg:${m}`);
        if (m === 'cb-throws') throw new Error('cb');
      },
      on_error: (e) => {
        seen.push(`error:${e.message.split(' (')[0]}`);
        throw new Error(`on_error threw: ${e.message.split(' (')[0]}`);
      },
    });
    const msg = (t: string) => encodeEtf(tuple(atom('msg'), binary(t)));
    // bytes: thrown from handle_message, as on_error threw it
    expect(() => p.handle_message(encodeEtf(tuple(5)))).toThrow(/^on_error threw: frame is not a tuple headed by an atom$/);
    // a record error reported from inside the parse: same
    p.handle_message(spec('user', ['id']));
    expect(() => p.handle_message(encodeEtf(tuple(atom('info_event'), atom('user'), tuple(1, 2), atom('added'))))).toThrow(/^on_error threw: record of user has 2 values/);
    p.handle_message(msg('bytes-after'));
    // Blobs: each promise rejects once with on_error's exception; later messages still arrive
    const a = p.handle_message(new Blob([new Uint8Array([1])]));
    const b = p.handle_message(new Blob([msg('cb-throws') as Uint8Array<ArrayBuffer>]));
    const c = p.handle_message(new Blob([msg('blob-after') as Uint8Array<ArrayBuffer>]));
    await expect(a).rejects.toThrow(/^on_error threw: /);
    await expect(b).rejects.toThrow(/^on_error threw: cb$/);
    await expect(c).resolves.toBeUndefined();
    await p.drain();
    expect(seen.filter((s) => s.startsWith('msg:'))).toStrictEqual(['msg:bytes-after', 'msg:cb-throws', 'msg:blob-after']);
    // on_error was called once per error, never with its own exception
    expect(seen.filter((s) => s.includes('on_error threw'))).toStrictEqual([]);
    expect(seen.filter((s) => s.startsWith('error:'))).toHaveLength(4);
  });

  it('opts.decode_limits caps the decoder: a compressed frame declaring more than maxInflatedBytes is a LIMIT error', () => {
    const recs = Array.from({ length: 200 }, (_, i) => userRec(i + 1, 'x'.repeat(50)));
    const big = encodeEtf(tuple(atom('initial_info'), atom('user'), recs), { compressed: true });
    expect(big[1]).toBe(80);
    const declared = new DataView(big.buffer, big.byteOffset).getUint32(2);
    for (const codegen of [true, false]) {
      const errs: Error[] = [];
      const p = createMessageParser({ on_error: (e) => errs.push(e), on_initial_info: () => errs.push(new Error('delivered')) }, { codegen, decode_limits: { maxInflatedBytes: declared - 1 } });
      p.handle_message(userSpec);
      p.handle_message(big);
      expect(errs).toHaveLength(1);
      expect(errs[0]).toBeInstanceOf(EtfDecodeError);
      expect((errs[0] as EtfDecodeError).code).toBe('LIMIT');
      // the same frame within the limit, and other limits passed through (maxDepth, maxBytes)
      const ok: string[] = [];
      const q = createMessageParser({ on_initial_info: (el, d) => ok.push(`${el}:${Object.keys(d).length}`) }, { codegen, decode_limits: { maxInflatedBytes: declared } });
      q.handle_message(userSpec);
      q.handle_message(big);
      expect(ok).toStrictEqual(['user:200']);
      const r = createMessageParser({}, { codegen, decode_limits: { maxBytes: 10 }, strict: true });
      expect(() => r.handle_message(userSpec)).toThrow(EtfDecodeError);
    }
  });

  it('field names from the wire cannot inject code into the compiled builder', () => {
    const evil = ['id', '"}; globalThis.__pwned = 1; ({"', 'back\\slash', 'line\nbreak', 'sep\u2028x', '`${1}`', 'constructor'];
    for (const codegen of [true, false]) {
      const state = createParserState({ codegen });
      parseFrame(spec('x_evil', evil), state);
      const [m] = parseFrame(encodeEtf(tuple(atom('info_event'), atom('x_evil'), tuple(1, 2, 3, 4, 5, 6, 7), atom('added'))), state);
      expect((globalThis as Record<string, unknown>).__pwned).toBeUndefined();
      const data = (m as { data: Record<string, unknown> }).data;
      expect(Object.keys(data)).toStrictEqual(evil);
      expect(evil.map((k) => data[k])).toStrictEqual([1, 2, 3, 4, 5, 6, 7]);
    }
  });

  it('an initial_info before its field_spec reports each record and delivers none', () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    p.handle_message(encodeEtf(tuple(atom('initial_info'), atom('user'), [userRec(1, 'a'), userRec(2, 'b')])));
    expect(log).toStrictEqual(['error:NO_FIELD_SPEC', 'error:NO_FIELD_SPEC', 'initial:user:']);
  });

  it('malformed messages are BAD_MESSAGE / NOT_A_MESSAGE, frame level', () => {
    const state = createParserState();
    const code = (t: Term) => {
      try {
        parseFrame(encodeEtf(t), state);
        return 'ok';
      } catch (e) {
        return (e as CtiProtocolError).code;
      }
    };
    expect(code(tuple(atom('field_spec'), atom('user'), binary('x')))).toBe('BAD_MESSAGE');
    expect(code(tuple(atom('initial_info'), atom('user')))).toBe('BAD_MESSAGE');
    expect(code(tuple(atom('info_event'), atom('user'), tuple(1), 5))).toBe('BAD_MESSAGE');
    expect(code(tuple(atom('system_msg'), 5))).toBe('BAD_MESSAGE');
    expect(code(tuple(5, atom('x')))).toBe('NOT_A_MESSAGE');
    // only a tuple headed by an atom is a message (a list and a binary head were taken for one)
    expect(code(tuple(binary('msg'), binary('x')))).toBe('NOT_A_MESSAGE');
    expect(code([atom('msg'), binary('x')])).toBe('NOT_A_MESSAGE');
    expect(code([atom('msg')])).toBe('NOT_A_MESSAGE');
    expect(code([atom('hello')])).toBe('NOT_A_MESSAGE');
    expect(code(tuple())).toBe('NOT_A_MESSAGE');
    expect(code(tuple(atom('msg'), binary('x')))).toBe('ok');
    expect(code(42)).toBe('NOT_A_MESSAGE');
    expect(code(tuple(atom('msg'), []))).toBe('ok'); // the empty Erlang string
  });
});

describe('records without a key, field_specs naming a field twice', () => {
  const initial = (recs: Term[]) => encodeEtf(tuple(atom('initial_info'), atom('user'), recs));

  it.each([true, false])('reports a record whose id is undefined and keeps the others (codegen %s)', (codegen) => {
    const errors: CtiProtocolError[] = [];
    const got: Array<[string, unknown]> = [];
    const p = createMessageParser(
      { on_initial_info: (el, data) => got.push([el, Object.keys(data)]), on_info_event: (el, data) => got.push([el, data]), on_error: (e) => errors.push(e as CtiProtocolError) },
      { codegen },
    );
    p.handle_message(userSpec);
    const keyless = (label: string): Term => tuple(atom('undefined'), binary('nobody'), atom('undefined'), binary(label));
    // two keyless records would otherwise collapse into one entry keyed "undefined"
    p.handle_message(initial([userRec(1, 'a'), keyless('x'), userRec(2, 'b'), keyless('y')]));
    p.handle_message(encodeEtf(tuple(atom('info_event'), atom('user'), keyless('z'), atom('updated'))));
    p.handle_message(userEvent(3, 'c'));
    expect(got).toStrictEqual([
      ['user', ['1', '2']],
      ['user', { id: 3, name: 'user3', avatar: undefined, label: 'c' }],
    ]);
    expect(errors.map((e) => [e.code, e.element, e.index, e.message.split(' (')[0]])).toStrictEqual([
      ['BAD_RECORD', 'user', 1, 'record of user has no id'],
      ['BAD_RECORD', 'user', 3, 'record of user has no id'],
      ['BAD_RECORD', 'user', 0, 'record of user has no id'],
    ]);
  });

  it('reports a field_spec that names a field twice, and still parses with it (the last value wins)', () => {
    const { log, cbs } = recorder();
    const p = createMessageParser(cbs);
    p.handle_message(spec('user', ['id', 'label', 'name', 'label']));
    p.handle_message(encodeEtf(tuple(atom('info_event'), atom('user'), tuple(7, binary('first'), binary('n'), binary('second')), atom('added'))));
    expect(log).toStrictEqual(['error:BAD_MESSAGE', 'spec:user', 'event:user:added:second']);
  });
});
