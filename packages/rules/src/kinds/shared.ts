import { compilePattern, firstCodeUnits } from '../pattern.js';
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
  // One pass over the range says which patterns can start a match in it at all (a match starts with one of its
  // pattern's first characters); the others are not run.
  const index = getFirstIndex(ctx.rules, rules);
  const { words, masks, always } = index;
  const present = always.slice();
  const { normalized, range } = ctx;
  for (let i = range.start; i < range.end; i++) {
    const base = normalized.charCodeAt(i) * words;
    for (let w = 0; w < words; w++) present[w]! |= masks[base + w]!;
  }
  for (let k = 0; k < rules.length; k++) {
    if ((present[k >>> 5]! & (1 << (k & 31))) === 0) continue;
    const ri = rules[k]!;
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

/** For a list of rules: per code unit, a bit per rule whose pattern can start with it; `always` for the other rules. */
interface FirstIndex {
  of: readonly CompiledRule[];
  words: number;
  masks: Uint32Array;
  always: Uint32Array;
}

const firstIndexes = new WeakMap<readonly number[], FirstIndex>();

function getFirstIndex(all: readonly CompiledRule[], rules: readonly number[]): FirstIndex {
  const known = firstIndexes.get(rules);
  if (known && known.of === all) return known;
  const words = Math.max(1, Math.ceil(rules.length / 32));
  const masks = new Uint32Array(0x10000 * words);
  const always = new Uint32Array(words);
  rules.forEach((ri, k) => {
    const re = all[ri]!.regex;
    const first = re ? firstCodeUnits(re.source) : undefined;
    const bit = 1 << (k & 31);
    if (!first) always[k >>> 5]! |= bit;
    else for (const c of first) masks[c * words + (k >>> 5)]! |= bit;
  });
  const index = { of: all, words, masks, always };
  firstIndexes.set(rules, index);
  return index;
}
