import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Range, Token } from '@xunshi/types';
import { collectBoundaries, toTokenColumns, wordsOfUnits } from '@xunshi/engine';

/** The per-unit token lists the engine built before the columns: one cursor, the tokens that start and end inside. */
function unitTokensReference(tokens: readonly Token[], units: readonly Range[]): Token[][] {
  let cursor = 0;
  return units.map((unit) => {
    while (cursor < tokens.length && tokens[cursor]!.start < unit.start) cursor++;
    const out: Token[] = [];
    for (let k = cursor; k < tokens.length && tokens[k]!.start < unit.end; k++) if (tokens[k]!.end <= unit.end) out.push(tokens[k]!);
    return out;
  });
}

/** Tokens as the segmenter writes them (ordered, not overlapping, gaps allowed) and units in document order. */
const layout = fc
  .array(fc.tuple(fc.nat({ max: 3 }), fc.integer({ min: 1, max: 4 })), { maxLength: 40 })
  .chain((spans) => {
    const tokens: Token[] = [];
    let at = 0;
    for (const [gap, len] of spans) {
      at += gap;
      tokens.push({ start: at, end: at + len, text: `w${tokens.length}` });
      at += len;
    }
    const length = at + 3;
    return fc.array(fc.tuple(fc.nat({ max: length }), fc.nat({ max: length })), { maxLength: 12 }).map((pairs) => {
      // Units in document order, not overlapping (as a document's units are).
      const cuts = [...new Set(pairs.flat())].sort((a, b) => a - b);
      const units: Range[] = [];
      for (let i = 0; i + 1 < cuts.length; i += 2) units.push({ start: cuts[i]!, end: cuts[i + 1]! });
      return { tokens, units };
    });
  });

describe('unit words over token columns', () => {
  it('gives each unit the tokens the per-unit token lists gave, by index and as objects (property)', () => {
    fc.assert(
      fc.property(layout, ({ tokens, units }) => {
        const words = wordsOfUnits(toTokenColumns(tokens), units);
        const expected = unitTokensReference(tokens, units);
        words.forEach((w, u) => {
          expect([...w]).toEqual(expected[u]);
          expect(Array.from({ length: w.length }, (_, i) => ({ start: w.start(i), end: w.end(i), text: w.text(i) }))).toEqual(expected[u]);
          expect(w.find((t) => t.text.endsWith('1'))).toEqual(expected[u]!.find((t) => t.text.endsWith('1')));
        });
      }),
      { numRuns: 300 },
    );
  });
  it('collects the same boundaries from columns as from token objects (property)', () => {
    fc.assert(
      fc.property(layout, ({ tokens }) => {
        const a = collectBoundaries(tokens);
        const b = collectBoundaries(toTokenColumns(tokens));
        const end = (tokens.at(-1)?.end ?? 0) + 2;
        for (let i = 0; i < end; i++) expect(b.has(i)).toBe(a.has(i));
      }),
      { numRuns: 200 },
    );
  });
});
