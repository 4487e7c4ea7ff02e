// A compressed term that inflates past its declared size is stopped early (issue 12): inflating goes
// on in small input slices and stops at the first output past the size, instead of one 16 KiB slice
// producing up to 16 MiB first. Measured by counting fflate's output, not by time.
import { describe, expect, it, vi } from 'vitest';
import { msgBomb } from '../../../test/fuzz/hostile-frames.ts';

const out = vi.hoisted(() => ({ bytes: 0 }));
vi.mock('fflate', async (importOriginal) => {
  const m = await importOriginal<typeof import('fflate')>();
  class CountingInflate extends m.Inflate {
    constructor(cb: (chunk: Uint8Array, final: boolean) => void) {
      super((chunk, final) => {
        out.bytes += chunk.length;
        cb(chunk, final);
      });
    }
  }
  return { ...m, Inflate: CountingInflate };
});

const { decodeEtfPlain } = await import('./decode.ts');

describe('inflate stops early', () => {
  it('a frame declaring 1 KiB that inflates to 16 MiB is INFLATE_FAILED after at most ~1 MiB of output', () => {
    const frame = msgBomb(16 * 1024 * 1024 - 20, 1024);
    out.bytes = 0;
    expect(() => decodeEtfPlain(frame)).toThrow(expect.objectContaining({ code: 'INFLATE_FAILED' }));
    console.log(`declared 1 KiB, ${frame.length} bytes compressed: stopped after ${out.bytes} bytes of output`);
    expect(out.bytes).toBeGreaterThan(1024);
    expect(out.bytes).toBeLessThanOrEqual(1100 * 1024);
  });
});
