import { affects, dimensionsOf, termList, type RuleKindModule } from './kind.js';
import { collectPatternHits, compilePatternKey, requireTermsOrPattern } from './shared.js';

/**
 * `negation`: a cue (terms or pattern) that drops the label hits starting at most `window` characters (default 4)
 * after it, in the dimensions of its `scope` (default all) and of the rules its `targets` name.
 */
export const negationKind: RuleKindModule = {
  kind: 'negation',
  keys: {
    terms: termList,
    pattern: { type: 'string', minLength: 1 },
    window: { type: 'integer', minimum: 0, maximum: 30 },
    scope: { type: 'array', minItems: 1, items: { enum: ['function', 'category', 'rootCause'] } },
    targets: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  },
  required: [],
  labelled: false,
  bucket: 'negation',
  compile(ctx, out) {
    requireTermsOrPattern(ctx, out);
    compilePatternKey(ctx, out);
  },
  collect(ctx, rules) {
    collectPatternHits(ctx, rules, ctx.hits.negation);
  },
  drop(ctx, label, _rules, dropped) {
    const cues = ctx.hits.negation;
    if (cues.length === 0) return label;
    return label.filter((hit) => {
      const rule = ctx.rules[hit.rule]!;
      const dims = dimensionsOf(rule);
      for (const n of cues) {
        const neg = ctx.rules[n.rule]!;
        if (hit.start >= n.end && hit.start - n.end <= neg.window && affects(neg, rule) && dims.some((d) => neg.scope.includes(d))) {
          dropped.push({ hit, by: n.rule });
          return false;
        }
      }
      return true;
    });
  },
};
