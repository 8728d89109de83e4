// The matching phases that a long unit (many hits) used to make quadratic — near/frame pairing, the longest-match filter
// of `terms`, `negation` and `exclude` drops — against the straightforward all-pairs versions they replaced: same hits
// kept, same hits dropped, by the same rule, for any hits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Range } from '@xunshi/types';
import { RULE_KIND_MODULES, affects, dimensionsOf, type DroppedHit, type MatchContext } from '@xunshi/rules/kinds';
import type { CompiledRule, RuleHit } from '@xunshi/rules';
import { pairNear } from '../src/kinds/near.js';

const DIMENSIONS = [{}, { function: 'problem' }, { category: { id: 'conduct', subcategory: null } }, { rootCause: 'ideology' }, { function: 'cause', rootCause: 'ecology' }] as const;

function rule(i: number, kind: CompiledRule['kind'], dims: number, extra: Partial<CompiledRule> = {}): CompiledRule {
  return {
    id: `r${i % 3}.x${i}`,
    kind,
    file: 'f.yaml',
    line: 1,
    column: 1,
    target: DIMENSIONS[dims % DIMENSIONS.length] as CompiledRule['target'],
    weight: 1,
    boundary: 'none',
    terms: [],
    first: [],
    then: [],
    within: 0,
    ordered: false,
    absent: false,
    window: 4,
    scope: ['function', 'category', 'rootCause'],
    targets: [],
    examples: { match: [], noMatch: [] },
    ...extra,
  };
}

const range = (max: number) => fc.tuple(fc.nat(max), fc.integer({ min: 1, max: 8 })).map(([start, len]): Range => ({ start, end: start + len }));

function context(rules: CompiledRule[], hits: Partial<MatchContext['hits']>): MatchContext {
  return {
    rules,
    normalized: '',
    range: { start: 0, end: 1000 },
    slice: '',
    stands: () => true,
    roleHits: { first: new Map(), then: new Map() },
    hits: { label: [], heading: [], document: [], exclude: [], negation: [], ...hits },
  };
}

// ── the all-pairs versions ──────────────────────────────────────────────────────────────────────────────────────────
function pairNearAll(firsts: Range[], thens: Range[], r: { within: number; ordered: boolean }, ri: number, accept: (a: number, b: number) => boolean): RuleHit | undefined {
  let best: RuleHit | undefined;
  const pick = (a: RuleHit | undefined, b: RuleHit): RuleHit => (!a ? b : b.end - b.start < a.end - a.start || (b.end - b.start === a.end - a.start && b.start < a.start) ? b : a);
  for (const f of firsts) {
    for (const t of thens) {
      if (t.start >= f.end && t.start - f.end <= r.within && accept(f.end, t.start)) best = pick(best, { start: f.start, end: t.end, rule: ri });
      else if (!r.ordered && f.start >= t.end && f.start - t.end <= r.within && accept(t.end, f.start)) best = pick(best, { start: t.start, end: f.end, rule: ri });
    }
  }
  return best;
}

function longestAll(rules: CompiledRule[], kept: RuleHit[]): RuleHit[] {
  return kept.filter((hit) => {
    const r = rules[hit.rule]!;
    if (r.kind !== 'terms') return true;
    const dims = dimensionsOf(r);
    return !kept.some((o) => {
      if (o === hit) return false;
      const other = rules[o.rule]!;
      if (other.kind !== 'terms') return false;
      if (!(o.start <= hit.start && hit.end <= o.end && o.end - o.start > hit.end - hit.start)) return false;
      return dimensionsOf(other).some((d) => dims.includes(d));
    });
  });
}

function negationAll(rules: CompiledRule[], cues: RuleHit[], label: RuleHit[], dropped: DroppedHit[]): RuleHit[] {
  return label.filter((hit) => {
    const r = rules[hit.rule]!;
    const dims = dimensionsOf(r);
    for (const n of cues) {
      const neg = rules[n.rule]!;
      if (hit.start >= n.end && hit.start - n.end <= neg.window && affects(neg, r) && dims.some((d) => neg.scope.includes(d))) {
        dropped.push({ hit, by: n.rule });
        return false;
      }
    }
    return true;
  });
}

function excludeAll(rules: CompiledRule[], spans: RuleHit[], label: RuleHit[], dropped: DroppedHit[]): RuleHit[] {
  return label.filter((hit) => {
    for (const x of spans) {
      if (x.start <= hit.start && hit.end <= x.end && affects(rules[x.rule]!, rules[hit.rule]!)) {
        dropped.push({ hit, by: x.rule });
        return false;
      }
    }
    return true;
  });
}

// ── properties ──────────────────────────────────────────────────────────────────────────────────────────────────────
const many = (max: number) => fc.array(range(max), { minLength: 0, maxLength: 60 });

describe('matching phases are linear and unchanged', () => {
  it('near/frame pairing finds the pair the all-pairs search finds', () => {
    fc.assert(
      fc.property(many(200), many(200), fc.integer({ min: 0, max: 60 }), fc.boolean(), fc.nat(4), (firsts, thens, within, ordered, salt) => {
        const accept = (a: number, b: number): boolean => (a * 7 + b + salt) % 5 !== 0;
        expect(pairNear(firsts, thens, { within, ordered }, 3, accept)).toEqual(pairNearAll(firsts, thens, { within, ordered }, 3, accept));
      }),
      { numRuns: 300 },
    );
  });

  const hitsOf = (ruleCount: number) => fc.array(fc.tuple(range(150), fc.nat(ruleCount - 1)).map(([r, ri]): RuleHit => ({ ...r, rule: ri })), { maxLength: 80 });

  it('the longest-match filter of terms keeps what the all-pairs filter keeps', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(4)), { minLength: 6, maxLength: 6 }), hitsOf(6), (specs, hits) => {
        const rules = specs.map(([isTerms, dims], i) => rule(i, isTerms ? 'terms' : 'pattern', dims));
        expect(RULE_KIND_MODULES.terms.refine!(context(rules, {}), hits)).toEqual(longestAll(rules, hits));
      }),
      { numRuns: 300 },
    );
  });

  it('negation drops the hits, by the same cue, that the all-pairs check drops', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 0, max: 30 }), fc.boolean()), { minLength: 8, maxLength: 8 }), hitsOf(8), hitsOf(8), (specs, cues, label) => {
        const rules = specs.map(([dims, window, narrow], i) => rule(i, i < 4 ? 'negation' : 'terms', dims, { window, ...(narrow ? { scope: ['category'], targets: ['r1'] } : {}) }));
        const negCues = cues.map((c) => ({ ...c, rule: c.rule % 4 }));
        const got: DroppedHit[] = [];
        const want: DroppedHit[] = [];
        expect(RULE_KIND_MODULES.negation.drop!(context(rules, { negation: negCues }), label, [0, 1, 2, 3], got)).toEqual(negationAll(rules, negCues, label, want));
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('exclude drops the hits, by the same span, that the all-pairs check drops', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }), fc.array(fc.tuple(fc.nat(150), fc.integer({ min: 1, max: 40 }), fc.nat(3)), { maxLength: 40 }), hitsOf(8), (narrow, spans, label) => {
        const rules = narrow.map((n, i) => rule(i, i < 4 ? 'exclude' : 'terms', 1, n ? { targets: ['r2'] } : {}));
        const xs = spans.map(([start, len, ri]) => ({ start, end: start + len, rule: ri }));
        const got: DroppedHit[] = [];
        const want: DroppedHit[] = [];
        expect(RULE_KIND_MODULES.exclude.drop!(context(rules, { exclude: xs }), label, [0, 1, 2, 3], got)).toEqual(excludeAll(rules, xs, label, want));
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('pattern rules find the matches a plain scan of the range finds (the first-character filter skips none)', () => {
    const sources = ['a[^b]{0,3}c', '(ab|bc)+d', '^c，?a', 'd(a|b)*$', '[ab]{2}d', '[^a]d', 'x?bd', '(?:a|b|c)d'];
    const rules = sources.map((source, i) => rule(i, 'pattern', 1, { regex: new RegExp(source, 'g') }));
    const indices = rules.map((_, i) => i);
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', 'x', '，'), maxLength: 80 }), fc.nat(80), fc.nat(80), (text, p, q) => {
        const range = { start: Math.min(p, q, text.length), end: Math.min(Math.max(p, q), text.length) };
        const slice = text.slice(range.start, range.end);
        const ctx = { ...context(rules, {}), normalized: text, range, slice };
        RULE_KIND_MODULES.pattern.collect!(ctx, indices);
        const want: RuleHit[] = [];
        rules.forEach((r, ri) => {
          for (const m of slice.matchAll(new RegExp(r.regex!.source, 'g'))) want.push({ start: range.start + m.index, end: range.start + m.index + m[0].length, rule: ri });
        });
        expect(ctx.hits.label).toEqual(want);
      }),
      { numRuns: 500 },
    );
  });
});
