import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortSmall } from '../src/match.js';

describe('sortSmall', () => {
  it('orders any list exactly as the built-in stable sort does, ties kept in their order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), id: fc.nat() }), { maxLength: 40 }), (items) => {
        const compare = (a: { key: number }, b: { key: number }) => a.key - b.key;
        expect(sortSmall([...items], compare)).toEqual([...items].sort(compare));
      }),
      { numRuns: 500 },
    );
  });
});
