import type { RuleHit } from '../model.js';
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
    const { rules } = ctx;
    const swallows = (x: RuleHit, hit: RuleHit): boolean => x.start <= hit.start && hit.end <= x.end && affects(rules[x.rule]!, rules[hit.rule]!);
    // The span that drops a hit is the first in `spans` order that can. With few spans all are tried; with many (a long
    // unit) the hits are visited by start, next to the spans open at that start (those that begin at or before it and
    // end after it), so each hit looks at the few spans over it.
    const by: (RuleHit | undefined)[] = new Array(label.length);
    if (spans.length <= 8) {
      for (let i = 0; i < label.length; i++) by[i] = spans.find((x) => swallows(x, label[i]!));
    } else {
      const order = label.map((_, i) => i).sort((a, b) => label[a]!.start - label[b]!.start || a - b);
      const opening = spans.map((_, i) => i).sort((a, b) => spans[a]!.start - spans[b]!.start || a - b);
      const open: number[] = [];
      let next = 0;
      for (const i of order) {
        const hit = label[i]!;
        while (next < opening.length && spans[opening[next]!]!.start <= hit.start) open.push(opening[next++]!);
        let w = 0;
        for (let r = 0; r < open.length; r++) if (spans[open[r]!]!.end > hit.start) open[w++] = open[r]!;
        open.length = w;
        let first = -1;
        for (const x of open) if ((first < 0 || x < first) && swallows(spans[x]!, hit)) first = x;
        by[i] = first < 0 ? undefined : spans[first];
      }
    }
    return label.filter((hit, i) => {
      const x = by[i];
      if (!x) return true;
      dropped.push({ hit, by: x.rule });
      return false;
    });
  },
};
