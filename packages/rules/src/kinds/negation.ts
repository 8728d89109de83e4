import type { RuleHit } from '../model.js';
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
    const { rules } = ctx;
    const drops = (hit: RuleHit, n: RuleHit): boolean => {
      const rule = rules[hit.rule]!;
      const neg = rules[n.rule]!;
      return hit.start >= n.end && hit.start - n.end <= neg.window && affects(neg, rule) && dimensionsOf(rule).some((d) => neg.scope.includes(d));
    };
    // The cue that drops a hit is the first in `cues` order that can: with few cues all are tried; with many (a long
    // unit) only those that end at most the largest window before the hit, found by binary search on their ends.
    let firstDropper: (hit: RuleHit) => RuleHit | undefined;
    if (cues.length <= 8) {
      firstDropper = (hit) => cues.find((n) => drops(hit, n));
    } else {
      let reach = 0;
      for (const n of cues) reach = Math.max(reach, rules[n.rule]!.window);
      const byEnd = cues.map((_, i) => i).sort((a, b) => cues[a]!.end - cues[b]!.end || a - b);
      firstDropper = (hit) => {
        let lo = 0;
        let hi = byEnd.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (cues[byEnd[mid]!]!.end < hit.start - reach) lo = mid + 1;
          else hi = mid;
        }
        let first = -1;
        for (let k = lo; k < byEnd.length && cues[byEnd[k]!]!.end <= hit.start; k++) {
          const i = byEnd[k]!;
          if ((first < 0 || i < first) && drops(hit, cues[i]!)) first = i;
        }
        return first < 0 ? undefined : cues[first];
      };
    }
    return label.filter((hit) => {
      const n = firstDropper(hit);
      if (!n) return true;
      dropped.push({ hit, by: n.rule });
      return false;
    });
  },
};
