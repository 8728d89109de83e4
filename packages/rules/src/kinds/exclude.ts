import { affects, termList, type RuleKindModule } from './kind.js';
import { collectPatternHits, compilePatternKey, requireTermsOrPattern } from './shared.js';

/** `exclude`: a span (terms or pattern) that swallows the label hits inside it (of the rules its `targets` name). */
export const excludeKind: RuleKindModule = {
  kind: 'exclude',
  keys: {
    terms: termList,
    pattern: { type: 'string', minLength: 1 },
    targets: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
  },
  required: [],
  labelled: false,
  bucket: 'exclude',
  compile(ctx, out) {
    requireTermsOrPattern(ctx, out);
    compilePatternKey(ctx, out);
  },
  collect(ctx, rules) {
    collectPatternHits(ctx, rules, ctx.hits.exclude);
  },
  drop(ctx, label, _rules, dropped) {
    const spans = ctx.hits.exclude;
    if (spans.length === 0) return label;
    return label.filter((hit) => {
      const rule = ctx.rules[hit.rule]!;
      for (const x of spans) {
        if (x.start <= hit.start && hit.end <= x.end && affects(ctx.rules[x.rule]!, rule)) {
          dropped.push({ hit, by: x.rule });
          return false;
        }
      }
      return true;
    });
  },
};
