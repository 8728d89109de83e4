import { compilePattern } from '../pattern.js';
import type { CompiledRule, RuleHit } from '../model.js';
import type { CompileContext, MatchContext } from './kind.js';

/** Compile `rule.pattern` into `out.regex`, reporting a refused pattern at its key. */
export function compilePatternKey(ctx: CompileContext, out: CompiledRule): void {
  if (typeof ctx.rule.pattern !== 'string') return;
  const result = compilePattern(ctx.rule.pattern);
  if (result instanceof RegExp) out.regex = result;
  else ctx.report('pattern', result.problem);
}

/** Exclusion kinds take either `terms` or `pattern`, not both and not neither. */
export function requireTermsOrPattern(ctx: CompileContext, out: CompiledRule): void {
  if ((ctx.rule.terms === undefined) === (ctx.rule.pattern === undefined)) {
    ctx.report(undefined, `rule "${ctx.id}" of kind ${out.kind} needs either "terms" or "pattern"`);
  }
}

/** Every match of each rule's regex inside the range that meets the rule's boundaries, appended to `sink`. */
export function collectPatternHits(ctx: MatchContext, rules: readonly number[], sink: RuleHit[]): void {
  for (const ri of rules) {
    const rule = ctx.rules[ri]!;
    const re = rule.regex;
    if (!re) continue;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ctx.slice)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const s = ctx.range.start + m.index;
      const e = s + m[0].length;
      if (ctx.stands(rule, s, e)) sink.push({ start: s, end: e, rule: ri });
    }
  }
}
