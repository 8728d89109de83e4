import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTED_NOUNS, findCountedBefore, longestNounAt } from '../src/figures.js';
import { roundTo15 } from '../src/numbers.js';

// The old implementations, kept as oracles for the fast paths that replaced them.
const oldRoundTo15 = (x: number): number => Number(x.toPrecision(15));

/** Figures as the readers compute them: integers and decimals times the scales of 万, 亿 and 万亿, and sums. */
const figureArb = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.integer({ min: -2e15, max: 2e15 }),
  fc.tuple(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(1, 1e4, 1e8, 1e12)).map(([v, s]) => v * s),
  fc.tuple(fc.integer({ min: 0, max: 99999 }), fc.nat(4), fc.constantFrom(1, 1e4, 1e8, 1e12)).map(([n, d, s]) => (n / 10 ** d) * s),
  fc.constantFrom(0, -0, 1e15, 1e15 - 1, -1e15, -(1e15 - 1), 2 ** 53, 2 ** 53 + 2, 0.1 + 0.2, 1.2 * 1e4, Infinity, -Infinity, NaN),
);

describe('roundTo15', () => {
  it('gives what Number(x.toPrecision(15)) gives, bit for bit (property)', () => {
    fc.assert(
      fc.property(figureArb, (x) => {
        expect(Object.is(roundTo15(x), oldRoundTo15(x)), String(x)).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });
});


// The counted-noun lookups before their first- and last-code-unit gates (figures.ts).
const NOUNS = new Set(COUNTED_NOUNS);
const LONGEST = Math.max(...COUNTED_NOUNS.map((n) => n.length));
function oldLongestNounAt(text: string, pos: number): number {
  for (let len = Math.min(LONGEST, text.length - pos); len > 0; len--) if (NOUNS.has(text.slice(pos, pos + len))) return len;
  return 0;
}
function oldFindCountedBefore(text: string, pos: number): number {
  for (let len = Math.min(LONGEST, pos); len >= 2; len--) if (NOUNS.has(text.slice(pos - len, pos))) return pos - len;
  return -1;
}

describe('counted-noun lookups', () => {
  it('find the nouns they found before their gates, at every position (property)', () => {
    const pieces = [...COUNTED_NOUNS, ...COUNTED_NOUNS.map((n) => n.slice(0, -1)), ...COUNTED_NOUNS.map((n) => n.slice(1)), '名', '个', '3', '，', '违纪', '处级', '的', ''];
    const textArb = fc.oneof(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((a) => a.join('')), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(textArb, (text) => {
        for (let pos = 0; pos <= text.length; pos++) {
          expect(longestNounAt(text, pos), `${text} @${pos}`).toBe(oldLongestNounAt(text, pos));
          expect(findCountedBefore(text, pos), `${text} @${pos}`).toBe(oldFindCountedBefore(text, pos));
        }
      }),
      { numRuns: 5000 },
    );
  });
});
