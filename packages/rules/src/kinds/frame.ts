import { termList, type RuleKindModule } from './kind.js';
import { pairNear } from './near.js';

/** Characters that end a clause: a frame's concept and judgement must stand in one clause. */
const CLAUSE_END = /[，,。；;！!？?：:\n]/;

/**
 * `frame`: an area concept and a judgement on it in one clause: one of `concepts` followed by one of `predicates` at
 * most `within` characters after it, with no clause punctuation (，。；：！？) between them (意识…淡薄, 主体责任…落实不到位).
 * Both lists may name shared term lists (`@name`, from `lists/*.yaml`), so one frame composes a concept family with a
 * judgement family. Negation and exclusion rules apply to frame hits like to any label hit. Of all pairs in a range,
 * the shortest (then the earliest) is the hit. Compiled onto the `first`/`then` roles of the automaton.
 */
export const frameKind: RuleKindModule = {
  kind: 'frame',
  keys: {
    concepts: termList,
    predicates: termList,
    within: { type: 'integer', minimum: 0, maximum: 30 },
  },
  required: ['concepts', 'predicates', 'within'],
  labelled: true,
  bucket: 'label',
  compile(ctx, out) {
    out.first = (ctx.rule.concepts as string[] | undefined) ?? [];
    out.then = (ctx.rule.predicates as string[] | undefined) ?? [];
    out.ordered = true;
  },
  collect(ctx, rules) {
    for (const ri of rules) {
      const concepts = ctx.roleHits.first.get(ri);
      const predicates = concepts && ctx.roleHits.then.get(ri);
      if (!predicates) continue;
      const best = pairNear(concepts, predicates, ctx.rules[ri]!, ri, (from, to) => !CLAUSE_END.test(ctx.normalized.slice(from, to)));
      if (best) ctx.hits.label.push(best);
    }
  },
};
