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
  // pattern's first characters); the others are not run. The pass is made once per range for the patterns of every
  // kind (pattern, exclude, negation) and kept with the range's context.
  const index = getFirstIndex(ctx.rules);
  const present = presentIn(ctx, index);
  const { slotOf } = index;
  for (let k = 0; k < rules.length; k++) {
    const ri = rules[k]!;
    const slot = slotOf[ri]!;
    if (slot < 0 || (present[slot >>> 5]! & (1 << (slot & 31))) === 0) continue;
    const rule = ctx.rules[ri]!;
    const re = rule.regex!;
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

/** For the rules with a regex: each one's bit slot; per code unit, a bit per pattern that can start with it; `always` for the patterns whose first characters are unknown. */
interface FirstIndex {
  /** Per rule index, its slot among the patterns, or -1 for a rule without a regex. */
  slotOf: Int32Array;
  words: number;
  masks: Uint32Array;
  always: Uint32Array;
}

const firstIndexes = new WeakMap<readonly CompiledRule[], FirstIndex>();

function getFirstIndex(all: readonly CompiledRule[]): FirstIndex {
  const known = firstIndexes.get(all);
  if (known) return known;
  const slotOf = new Int32Array(all.length).fill(-1);
  let slots = 0;
  all.forEach((rule, ri) => {
    if (rule.regex) slotOf[ri] = slots++;
  });
  const words = Math.max(1, Math.ceil(slots / 32));
  const masks = new Uint32Array(0x10000 * words);
  const always = new Uint32Array(words);
  all.forEach((rule, ri) => {
    const k = slotOf[ri]!;
    if (k < 0) return;
    const first = firstCodeUnits(rule.regex!.source);
    const bit = 1 << (k & 31);
    if (!first) always[k >>> 5]! |= bit;
    else for (const c of first) masks[c * words + (k >>> 5)]! |= bit;
  });
  const index = { slotOf, words, masks, always };
  firstIndexes.set(all, index);
  return index;
}

const presentByContext = new WeakMap<MatchContext, Uint32Array>();

/** The patterns that can start a match somewhere in the context's range (one pass over it, then kept). */
function presentIn(ctx: MatchContext, index: FirstIndex): Uint32Array {
  let present = presentByContext.get(ctx);
  if (present) return present;
  const { words, masks } = index;
  present = index.always.slice();
  const { normalized, range } = ctx;
  if (words === 1) {
    let bits = present[0]!;
    for (let i = range.start; i < range.end; i++) bits |= masks[normalized.charCodeAt(i)]!;
    present[0] = bits;
  } else {
    for (let i = range.start; i < range.end; i++) {
      const base = normalized.charCodeAt(i) * words;
      for (let w = 0; w < words; w++) present[w]! |= masks[base + w]!;
    }
  }
  presentByContext.set(ctx, present);
  return present;
}
