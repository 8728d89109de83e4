// The document's pattern pass (collectDocumentPatternHits: one presence scan over all ranges, rules that can match in
// none dropped, then the rest per range) gives each range the same hits, in the same order, as collectPatternHits run
// on that range alone: on the shipped rules' patterns and their examples and on hand-written patterns, with random
// ranges (gaps between them) and random token boundaries.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Range } from '@xunshi/types';
import type { MatchContext } from '@xunshi/rules/kinds';
import { loadRuleSet, type CompiledRule, type RuleHit } from '@xunshi/rules';
import { collectDocumentPatternHits, collectPatternHits } from '../src/kinds/shared.js';
import { compilePattern } from '../src/pattern.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const shipped = loadRuleSet({ dirs: [`${root}rules`] }).rules;

/** The range's hits as the per-range path finds them (every regex rule, in rule order). */
function perRange(rules: readonly CompiledRule[], text: string, range: Range, bits: Uint8Array): RuleHit[] {
  const has = (o: number): boolean => bits[o] === 1;
  const ctx: MatchContext = {
    rules,
    normalized: text,
    range,
    slice: text.slice(range.start, range.end),
    stands: (rule, s, e) => rule.boundary === 'none' || ((s === range.start || has(s)) && (rule.boundary === 'start' || e === range.end || has(e))),
    roleHits: { first: new Map(), then: new Map() },
    hits: { label: [], heading: [], document: [], exclude: [], negation: [] },
  };
  const out: RuleHit[] = [];
  collectPatternHits(ctx, rules.flatMap((r, i) => (r.regex ? [i] : [])), out);
  return out;
}

/** Cut `text` into ranges at the given points, leaving out every third piece (a gap between units). */
function rangesOf(text: string, cuts: readonly number[]): Range[] {
  const points = [...new Set([0, ...cuts.map((c) => c % (text.length + 1)), text.length])].sort((a, b) => a - b);
  const out: Range[] = [];
  for (let i = 0; i + 1 < points.length; i++) if (i % 3 !== 2) out.push({ start: points[i]!, end: points[i + 1]! });
  return out;
}

function check(rules: readonly CompiledRule[], text: string, cuts: readonly number[], seed: number): number {
  const ranges = rangesOf(text, cuts);
  const bits = new Uint8Array(text.length + 1);
  for (let i = 0; i <= text.length; i++) bits[i] = (Math.imul(i + 1, 0x9e3779b1 ^ seed) >>> 29) & 1;
  const got = collectDocumentPatternHits(rules, text, ranges, { has: (o) => bits[o] === 1 });
  expect(got.length).toBe(ranges.length);
  let hits = 0;
  ranges.forEach((range, u) => {
    const want = perRange(rules, text, range, bits);
    expect([...got[u]!]).toEqual(want);
    hits += want.length;
  });
  return hits;
}

const examples = shipped.filter((r) => r.regex).flatMap((r) => [...r.examples.match, ...r.examples.noMatch].map((e) => e.text));

describe('pattern hits in one pass per document', () => {
  it('gives each range the hits of the shipped patterns that a pass over that range alone gives', () => {
    let hits = 0;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...examples), fc.string({ maxLength: 3 }), fc.constantFrom('，', '。', '1', '年', '的')), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        fc.integer(),
        (parts, cuts, seed) => {
          hits += check(shipped, parts.join(''), cuts, seed);
        },
      ),
      { numRuns: 300 },
    );
    expect(hits).toBeGreaterThan(50);
  });

  it('gives each range the hits of hand-written patterns with every boundary setting', () => {
    const sources = ['[^，]{0,4}《[^》]{0,6}(甲|乙)》', '(甲|乙丙)?\\d{1,2}月|丁[戊己]+', '^(甲|乙)?[,，]?某(市|县)', '(a|b)c|d\\d$', '[一二三四五六七八九十]+是', '乙+丙?'];
    const boundaries = ['none', 'start', 'both'] as const;
    const rules = sources.flatMap((source, i) =>
      boundaries.map((boundary) => ({ id: `p${i}.${boundary}`, kind: i % 2 ? 'exclude' : 'pattern', boundary, regex: compilePattern(source) as RegExp }) as unknown as CompiledRule),
    );
    for (const r of rules) expect(r.regex).toBeInstanceOf(RegExp);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'甲乙丙丁戊己某市县月《》，。,12abcd一五十是'.split('')), { maxLength: 24 }), fc.array(fc.nat(), { maxLength: 5 }), fc.integer(), (chars, cuts, seed) => {
        void check(rules, chars.join(''), cuts, seed);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves a range longer than the windowed limit to its own pass, and gives nothing where no rule has a pattern', () => {
    const text = '存在问题，'.repeat(600);
    const got = collectDocumentPatternHits(shipped, text, [{ start: 0, end: 5 }, { start: 5, end: text.length }], { has: () => true });
    expect(got[1]).toBeUndefined();
    const plain = shipped.filter((r) => !r.regex);
    expect(collectDocumentPatternHits(plain, text, [{ start: 0, end: 5 }], { has: () => true })).toEqual([[]]);
  });
});
