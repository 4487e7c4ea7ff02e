// The JS text paths of the decoder (asciiText, utf8Js via utf8Text) must agree with the
// TextDecoder on every input, invalid UTF-8 included; and the atom cache must not thrash.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atomCacheSlot, SHORT_UTF8_BYTES, utf8Js, utf8Text } from './decode.ts';

const td = new TextDecoder();
const enc = new TextEncoder();

describe('utf8Text ≡ TextDecoder', () => {
  it('arbitrary bytes (mostly invalid UTF-8), placed inside a bigger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: SHORT_UTF8_BYTES + 8 }), fc.nat({ max: 7 }), (bytes, pad) => {
        const frame = new Uint8Array(bytes.length + 2 * pad);
        frame.set(bytes, pad);
        expect(utf8Text(frame, pad, pad + bytes.length)).toBe(td.decode(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('arbitrary text (valid UTF-8: ASCII, Japanese, astral), and its every cut', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 24 }), fc.string({ unit: 'binary', maxLength: 24 })), fc.nat(), (text, cutAt) => {
        const bytes = enc.encode(text);
        expect(utf8Text(bytes, 0, bytes.length)).toBe(td.decode(bytes));
        const cut = cutAt % (bytes.length + 1);
        expect(utf8Text(bytes, 0, cut)).toBe(td.decode(bytes.subarray(0, cut)));
      }),
      { numRuns: 3000 },
    );
  });

  it('a leading BOM is dropped as the TextDecoder drops it', () => {
    for (const t of ['\ufeffabc', '\ufeff山田', '\ufeff' + '山'.repeat(20), 'a\ufeffb']) {
      const b = enc.encode(t);
      expect(utf8Text(b, 0, b.length)).toBe(td.decode(b));
    }
  });

  it('utf8Js refuses what is not UTF-8 instead of guessing', () => {
    const bad = [[0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0x80], [0xe3, 0x81], [0xff]];
    for (const b of bad) expect(utf8Js(Uint8Array.from(b), 0, b.length)).toBeNull();
    const ok = enc.encode('山田・太郎 😀 é');
    expect(utf8Js(ok, 0, ok.length)).toBe('山田・太郎 😀 é');
  });
});

describe('atom cache', () => {
  // FreeSWITCH's channel event names (PROTOCOL.md `last_event`) share length and first, middle and
  // last bytes; a hash of sampled bytes put CHANNEL_CREATE and CHANNEL_BRIDGE in one slot, so they
  // evicted each other and every event decoded its atom afresh.
  const EVENTS = [
    'CHANNEL_CREATE', 'CHANNEL_DESTROY', 'CHANNEL_STATE', 'CHANNEL_CALLSTATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP',
    'CHANNEL_HANGUP_COMPLETE', 'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_HOLD', 'CHANNEL_UNHOLD',
    'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_PROGRESS', 'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_OUTGOING',
    'CHANNEL_PARK', 'CHANNEL_UNPARK', 'CHANNEL_ORIGINATE', 'CHANNEL_UUID',
  ];
  it('gives every FreeSWITCH channel event name a slot of its own', () => {
    const slots = EVENTS.map((name) => {
      const b = new TextEncoder().encode(name);
      return atomCacheSlot(b, 0, b.length, true);
    });
    expect(new Set(slots).size).toBe(EVENTS.length);
  });
  it('hashes the atom, not the buffer around it', () => {
    const b = new TextEncoder().encode('xxCHANNEL_CREATEyy');
    const alone = new TextEncoder().encode('CHANNEL_CREATE');
    expect(atomCacheSlot(b, 2, 14, true)).toBe(atomCacheSlot(alone, 0, 14, true));
  });
});
