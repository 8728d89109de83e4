import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lastAtOrBefore } from '../src/search.js';

describe('lastAtOrBefore', () => {
  it('is the last index whose value is at most x, -1 when none is (property, against a scan)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 40 }), fc.integer({ min: -60, max: 60 }), (values, x) => {
        const sorted = [...values].sort((a, b) => a - b);
        let want = -1;
        sorted.forEach((v, i) => {
          if (v <= x) want = i;
        });
        const work = { steps: 0 };
        expect(lastAtOrBefore(sorted, x, work)).toBe(want);
        expect(work.steps).toBeLessThanOrEqual(Math.ceil(Math.log2(sorted.length + 1)) + 1);
      }),
    );
  });
});
