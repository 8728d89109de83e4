import { compilePattern, isContextFreePattern } from '../pattern.js';
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
    if (ctx.patterns && !ctx.patterns.mayMatch(rule, ctx.range.start, ctx.range.end)) continue;
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

/** For each pattern, a global copy for scanning whole documents, or null when the pattern has assertions. */
const scanCopies = new WeakMap<RegExp, RegExp | null>();

function scanCopyOf(re: RegExp): RegExp | null {
  let copy = scanCopies.get(re);
  if (copy === undefined) {
    copy = isContextFreePattern(re.source) ? new RegExp(re.source, 'g') : null;
    scanCopies.set(re, copy);
  }
  return copy;
}

/**
 * Where the patterns match in one document, for skipping the units they cannot match in. For a pattern without
 * assertions, a unit holds a match only if the leftmost match in the whole document that starts at or after the
 * unit's start starts before its end (a piece of text that matches, matches wherever it stands); one scan per pattern
 * serves the units in document order. Patterns with assertions (`^`, `$`, `\b`) always run on the unit.
 */
export class PatternScanner {
  private readonly next = new Map<RegExp, { from: number; at: number }>();

  constructor(private readonly text: string) {}

  /** False only when `rule`'s pattern cannot match inside `[start, end)`. */
  mayMatch(rule: CompiledRule, start: number, end: number): boolean {
    const re = rule.regex;
    if (!re) return false;
    const scan = scanCopyOf(re);
    if (!scan) return true;
    let found = this.next.get(re);
    if (!found || found.from > start || found.at < start) {
      scan.lastIndex = start;
      const m = scan.exec(this.text);
      found = { from: start, at: m ? m.index : Infinity };
      this.next.set(re, found);
    }
    return found.at < end;
  }
}
