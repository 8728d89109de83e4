import type { Range } from '@xunshi/types';
import type { RuleHit } from '../model.js';
import { termList, type RuleKindModule } from './kind.js';

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
      const best = pairInClause(ctx.normalized, concepts, predicates, ctx.rules[ri]!.within, ri);
      if (best) ctx.hits.label.push(best);
    }
  },
};

function pairInClause(text: string, concepts: Range[], predicates: Range[], within: number, ri: number): RuleHit | undefined {
  let best: RuleHit | undefined;
  for (const c of concepts) {
    for (const p of predicates) {
      if (p.start < c.end || p.start - c.end > within) continue;
      if (CLAUSE_END.test(text.slice(c.end, p.start))) continue;
      const hit = { start: c.start, end: p.end, rule: ri };
      if (!best || hit.end - hit.start < best.end - best.start || (hit.end - hit.start === best.end - best.start && hit.start < best.start)) best = hit;
    }
  }
  return best;
}
