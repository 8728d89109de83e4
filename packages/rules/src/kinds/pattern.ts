import type { RuleKindModule } from './kind.js';
import { collectPatternHits, compilePatternKey } from './shared.js';

/** `pattern`: a regular expression (no backreferences or lookarounds, at most 400 characters) over the matching copy. */
export const patternKind: RuleKindModule = {
  kind: 'pattern',
  keys: { pattern: { type: 'string', minLength: 1 } },
  required: ['pattern'],
  labelled: true,
  bucket: 'label',
  compile: compilePatternKey,
  collect(ctx, rules) {
    collectPatternHits(ctx, rules, ctx.hits.label);
  },
};
