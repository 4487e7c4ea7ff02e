// Property test of issue 12's hostile frames (the seeds at random sizes, mixtures, compressed, cut,
// mutated): messages or one typed error, record errors bounded, the parser still working after.
// `npm run fuzz` runs the same property for a million cases; this CI run is a few hundred.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorStorm, msgBomb, sameKey } from '../../../test/fuzz/hostile-frames.ts';
import { checkHostile, hostileFrame, userState } from '../../../test/fuzz/hostile-property.ts';
import { heapAfterGc, mib } from '../../../test/fuzz/heap.ts';

describe('hostile frames (property)', () => {
  for (const codegen of [true, false]) {
    it(`parseFrame stays bounded and working on hostile frames (codegen ${codegen})`, () => {
      const st = userState(codegen);
      let summaries = 0;
      let thrown = 0;
      const before = heapAfterGc();
      fc.assert(
        fc.property(hostileFrame(20_000), (frame) => {
          const o = checkHostile(frame, st);
          if (o.summary) summaries++;
          if (o.thrown !== undefined) thrown++;
        }),
        { numRuns: 150 },
      );
      const grew = heapAfterGc() - before;
      console.log(`codegen ${codegen}: 150 frames, ${summaries} with TOO_MANY_ERRORS, ${thrown} thrown; heap +${mib(grew)} MiB kept`);
      // the frames of a run are garbage afterwards: nothing held per frame by the parser state
      expect(grew).toBeLessThan(16 * 1048576);
    });
  }

  it('the seeds at their issue-12 sizes pass the property', () => {
    const st = userState(true);
    for (const f of [errorStorm(1_000_000), sameKey(20_000), msgBomb(16 * 1024 * 1024 - 20), msgBomb(16 * 1024 * 1024 - 20, 1024)]) {
      expect(() => checkHostile(f, st)).not.toThrow();
    }
  });
});
