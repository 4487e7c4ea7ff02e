// cti:tail promises pure JSON lines on stdout; `npm run` without -s prints its banner there first,
// so every documented invocation in our files must use `npm run -s cti:tail`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('documented cti:tail invocations', () => {
  it.each(['README.md', 'src/cti/cli/cti-tail.ts'])('%s uses `npm run -s cti:tail` (npm banner off stdout)', (file) => {
    const text = readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');
    expect(text).toContain('npm run -s cti:tail --');
    expect(text.match(/npm run cti:tail\b/g) ?? []).toEqual([]);
  });
});
