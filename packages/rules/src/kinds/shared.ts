import { compilePattern, firstCodeUnits, maxMatchLength, requiredCodeUnits } from '../pattern.js';
import type { Range } from '@xunshi/types';
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
  const pre = ctx.patternHits;
  if (pre !== undefined) {
    // Found by the document's pass (see `collectDocumentPatternHits`), ordered by rule index as `rules` is: those of
    // these rules, in that order.
    for (let j = 0, k = 0; j < pre.length && k < rules.length; j++) {
      const hit = pre[j]!;
      while (k < rules.length && rules[k]! < hit.rule) k++;
      if (k < rules.length && rules[k] === hit.rule) sink.push(hit);
    }
    return;
  }
  // One pass over the range says which characters of the patterns' required sets it holds (see `patternIndex`); a
  // pattern none of whose alternatives can match in the range is not run. The pass is made once per range for the
  // patterns of every kind (pattern, exclude, negation) and kept with the range's context.
  const index = getPatternIndex(ctx.rules);
  const present = presentIn(ctx, index);
  const { needOf } = index;
  for (let k = 0; k < rules.length; k++) {
    const ri = rules[k]!;
    const need = needOf[ri];
    if (need === null || (need !== undefined && !anyAlternativePresent(need, present))) continue;
    const rule = ctx.rules[ri]!;
    const win = ctx.range.end - ctx.range.start > LONG_RANGE ? index.windowOf[ri] : undefined;
    if (win) {
      collectInWindows(ctx, ri, win, sink);
      continue;
    }
    const n = matchSpans(rule.regex!, ctx.slice, ctx.range.start);
    for (let j = 0; j < n; j += 2) {
      const s = spans[j]!;
      const e = spans[j + 1]!;
      if (ctx.stands(rule, s, e)) sink.push({ start: s, end: e, rule: ri });
    }
  }
}

/** A range longer than this runs a pattern of bounded length only in windows around its anchor characters. */
const LONG_RANGE = 2048;

/** Where {@link matchSpans} writes: start and end of each match, in pairs (reused; read before the next call). */
let spans = new Int32Array(64);

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * Every non-empty match of the global regex `re` in `text`, as offsets from `base`, written in pairs (start, end) to
 * `spans`; returns how many numbers it wrote (twice the matches). Patterns run without the `u` flag, so `.` or a negated
 * class can take half of a surrogate pair (an emoji, a CJK Extension B character): such a match is widened to the whole
 * character, so that evidence never starts or ends inside one.
 */
function matchSpans(re: RegExp, text: string, base: number): number {
  let n = 0;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (n + 2 > spans.length) {
      const grown = new Int32Array(spans.length * 2);
      grown.set(spans);
      spans = grown;
    }
    let s = m.index;
    let e = s + m[0].length;
    if (s > 0 && isLowSurrogate(text.charCodeAt(s)) && isHighSurrogate(text.charCodeAt(s - 1))) s--;
    if (e < text.length && isHighSurrogate(text.charCodeAt(e - 1)) && isLowSurrogate(text.charCodeAt(e))) e++;
    spans[n++] = base + s;
    spans[n++] = base + e;
  }
  return n;
}

/**
 * Where a pattern of bounded length can match in a long range (a page without a sentence end): every match is at most
 * `maxLen` code units long and holds a code unit of `anchor` (the smallest of the pattern's first-character set and the
 * union of each alternative's smallest required set), so every match lies within `maxLen − 1` units of an anchor
 * character. The regex runs only on those windows (merged where they touch), not from every position of the range.
 */
interface PatternWindow {
  maxLen: number;
  /** Bitset over UTF-16 code units. */
  anchor: Uint32Array;
}

/**
 * Every match of the rule's regex in the range, found window by window (see {@link PatternWindow}): the same hits as one
 * scan of the whole range, because the pattern has no assertion (a match depends only on the text it spans), every
 * match lies inside one window, and windows that share a unit are merged — so within a window the regex tries the same
 * starts in the same order, and a longer path that would leave the window fails in both.
 */
function collectInWindows(ctx: MatchContext, ri: number, win: PatternWindow, sink: RuleHit[]): void {
  const { normalized, range } = ctx;
  const rule = ctx.rules[ri]!;
  const re = rule.regex!;
  const { maxLen, anchor } = win;
  const run = (a: number, b: number): void => {
    // A window never cuts a surrogate pair, so that a match at its edge is widened as in one scan of the range.
    if (a > range.start && isLowSurrogate(normalized.charCodeAt(a))) a--;
    if (b < range.end && isHighSurrogate(normalized.charCodeAt(b - 1))) b++;
    const n = matchSpans(re, normalized.slice(a, b), a);
    for (let k = 0; k < n; k += 2) {
      const s = spans[k]!;
      const e = spans[k + 1]!;
      if (ctx.stands(rule, s, e)) sink.push({ start: s, end: e, rule: ri });
    }
  };
  let from = -1;
  let to = -1;
  for (let i = range.start; i < range.end; i++) {
    const c = normalized.charCodeAt(i);
    if ((anchor[c >>> 5]! & (1 << (c & 31))) === 0) continue;
    const a = Math.max(range.start, i - maxLen + 1);
    const b = Math.min(range.end, i + maxLen);
    if (a <= to) to = Math.max(to, b);
    else {
      if (to >= 0) run(from, to);
      from = a;
      to = b;
    }
  }
  if (to >= 0) run(from, to);
}

/** The window of a pattern (see {@link PatternWindow}), or undefined when its matches are unbounded or need no anchor. */
function windowOfPattern(source: string): PatternWindow | undefined {
  const maxLen = maxMatchLength(source);
  if (maxLen === undefined) return undefined;
  const candidates: number[][] = [];
  const first = firstCodeUnits(source);
  if (first) candidates.push(first);
  const required = requiredCodeUnits(source);
  if (required && required.every((alt) => alt.length > 0)) {
    const union = new Set<number>();
    for (const alt of required) for (const c of alt.reduce((x, y) => (y.length < x.length ? y : x))) union.add(c);
    candidates.push([...union]);
  }
  if (!candidates.length) return undefined;
  const units = candidates.reduce((x, y) => (y.length < x.length ? y : x));
  const anchor = new Uint32Array(0x10000 / 32);
  for (const c of units) anchor[c >>> 5]! |= 1 << (c & 31);
  return { maxLen, anchor };
}

/** Whether some alternative (a run of slots, ended by −1) has every one of its slots' bits in `present` (from `base`). */
function anyAlternativePresent(need: Int32Array, present: Uint32Array, base = 0): boolean {
  let all = true;
  for (let i = 0; i < need.length; i++) {
    const slot = need[i]!;
    if (slot < 0) {
      if (all) return true;
      all = true;
    } else if (all && (present[base + (slot >>> 5)]! & (1 << (slot & 31))) === 0) all = false;
  }
  return false;
}

/**
 * For the rules with a regex, what a range must hold for the regex to match in it: each set of code units that some
 * match must contain gets a bit slot; per code unit, the bits of the sets that hold it. A rule's need: per alternative
 * of its pattern (`requiredCodeUnits`), the slots of its required sets and of the pattern's first characters
 * (`firstCodeUnits`), each alternative ended by −1.
 */
interface PatternIndex {
  /** Per rule index: null for a rule without a regex, undefined for a pattern that may match anywhere, else its need. */
  needOf: (Int32Array | null | undefined)[];
  /** Per rule index: the windows its regex runs in on a long range, or undefined (the whole range). */
  windowOf: (PatternWindow | undefined)[];
  /** The indices of the rules with a regex, ascending. */
  regexRules: number[];
  /** Per row (see `rowOf`), the sets that hold its code unit: `rowSetIds[rowSetStart[row] .. rowSetStart[row + 1])`. */
  rowSetStart: Int32Array;
  rowSetIds: Int32Array;
  /** How many sets there are. */
  sets: number;
  words: number;
  /** Per code unit, its row in `masks` (0: in no set). */
  rowOf: Uint32Array;
  masks: Uint32Array;
}

const patternIndexes = new WeakMap<readonly CompiledRule[], PatternIndex>();

function getPatternIndex(all: readonly CompiledRule[]): PatternIndex {
  const known = patternIndexes.get(all);
  if (known) return known;
  const slotOfSet = new Map<string, number>();
  const sets: number[][] = [];
  const slot = (units: number[]): number => {
    const key = units.join(',');
    let k = slotOfSet.get(key);
    if (k === undefined) {
      slotOfSet.set(key, (k = sets.length));
      sets.push(units);
    }
    return k;
  };
  const needOf = all.map((rule): Int32Array | null | undefined => {
    if (!rule.regex) return null;
    const first = firstCodeUnits(rule.regex.source);
    const required = requiredCodeUnits(rule.regex.source);
    if (!first && !required) return undefined;
    const alternatives = required ?? [[]];
    const need: number[] = [];
    for (const alt of alternatives) {
      if (first) need.push(slot(first));
      for (const units of alt) need.push(slot(units));
      need.push(-1);
    }
    return Int32Array.from(need);
  });
  const words = Math.max(1, Math.ceil(sets.length / 32));
  const rowOf = new Uint32Array(0x10000);
  let rows = 1;
  for (const units of sets) for (const c of units) if (rowOf[c] === 0) rowOf[c] = rows++;
  const masks = new Uint32Array(rows * words);
  sets.forEach((units, k) => {
    for (const c of units) masks[rowOf[c]! * words + (k >>> 5)]! |= 1 << (k & 31);
  });
  const windowOf = all.map((rule) => (rule.regex ? windowOfPattern(rule.regex.source) : undefined));
  const regexRules: number[] = [];
  all.forEach((rule, ri) => {
    if (rule.regex) regexRules.push(ri);
  });
  const setsOfRow: number[][] = Array.from({ length: rows }, () => []);
  sets.forEach((units, k) => {
    for (const c of units) setsOfRow[rowOf[c]!]!.push(k);
  });
  const rowSetStart = new Int32Array(rows + 1);
  for (let r = 0; r < rows; r++) rowSetStart[r + 1] = rowSetStart[r]! + setsOfRow[r]!.length;
  const rowSetIds = Int32Array.from(setsOfRow.flat());
  const index = { needOf, windowOf, regexRules, rowSetStart, rowSetIds, sets: sets.length, words, rowOf, masks };
  patternIndexes.set(all, index);
  return index;
}

const presentByContext = new WeakMap<MatchContext, Uint32Array>();

/** The sets of which the context's range holds a code unit, as bits (one pass over the range, then kept). */
function presentIn(ctx: MatchContext, index: PatternIndex): Uint32Array {
  let present = presentByContext.get(ctx);
  if (present) return present;
  const { words, masks, rowOf } = index;
  present = new Uint32Array(words);
  const { normalized, range } = ctx;
  for (let i = range.start; i < range.end; i++) {
    const row = rowOf[normalized.charCodeAt(i)]!;
    if (row === 0) continue;
    const base = row * words;
    for (let w = 0; w < words; w++) present[w]! |= masks[base + w]!;
  }
  presentByContext.set(ctx, present);
  return present;
}

/** Token boundaries, as the engine's bitmap gives them. */
export interface BoundaryTest {
  has(offset: number): boolean;
}

const NO_HITS: readonly RuleHit[] = Object.freeze([]);

/** Row stamps of the document pass: `rowSeen[row] === stamp` when the current range has added that row's sets. */
let rowSeen = new Int32Array(0);
let rowStamp = 0;

/**
 * The regex hits of every rule with a pattern (of any kind) in each of a document's ranges, in one pass per document:
 * one scan over the ranges records, per required set (see `patternIndex`), the ranges that hold one of its code units
 * (a bitset over the ranges; each distinct code-unit row once per range); a rule's candidate ranges are then computed
 * for all ranges at once, word by word (per alternative the AND of its sets' bitsets, OR over the alternatives), and
 * the rule runs on those, exactly as `collectPatternHits` runs it on each range alone (the range's slice, its
 * boundaries). Rules are taken in index order, so each range gets its hits by rule index, then by position (what
 * `MatchContext.patternHits` expects); `undefined` for a range longer than the windowed limit (those run on their
 * own, window by window). Hit objects are made only for the hits that stand.
 */
export function collectDocumentPatternHits(
  rules: readonly CompiledRule[],
  normalized: string,
  ranges: readonly Range[],
  boundaries: BoundaryTest,
): (readonly RuleHit[] | undefined)[] {
  const index = getPatternIndex(rules);
  const { rowOf, needOf, rowSetStart, rowSetIds } = index;
  const n = ranges.length;
  const out = new Array<readonly RuleHit[] | undefined>(n);
  for (let u = 0; u < n; u++) out[u] = ranges[u]!.end - ranges[u]!.start > LONG_RANGE ? undefined : NO_HITS;
  if (index.regexRules.length === 0 || n === 0) return out;
  const W = (n + 31) >>> 5;
  // Ranges that may run patterns at all (every range but the long ones), and per set the ranges that hold it.
  const short = new Uint32Array(W);
  const holding = new Uint32Array(index.sets * W);
  if (rowSeen.length < rowSetStart.length) rowSeen = new Int32Array(rowSetStart.length);
  for (let u = 0; u < n; u++) {
    if (out[u] === undefined) continue;
    const word = u >>> 5;
    const bit = 1 << (u & 31);
    short[word]! |= bit;
    const stamp = ++rowStamp;
    const { start, end } = ranges[u]!;
    for (let i = start; i < end; i++) {
      const row = rowOf[normalized.charCodeAt(i)]!;
      if (row === 0 || rowSeen[row] === stamp) continue;
      rowSeen[row] = stamp;
      for (let k = rowSetStart[row]!; k < rowSetStart[row + 1]!; k++) holding[rowSetIds[k]! * W + word]! |= bit;
    }
  }
  if (rowStamp > 0x3fffffff) {
    rowStamp = 0;
    rowSeen.fill(0);
  }
  const lists = new Array<RuleHit[] | undefined>(n);
  const slices = new Array<string | undefined>(n);
  const candidates = new Uint32Array(W);
  const acc = new Uint32Array(W);
  for (const ri of index.regexRules) {
    const need = needOf[ri];
    if (need === undefined) candidates.set(short);
    else {
      candidates.fill(0);
      acc.set(short);
      for (let i = 0; i < need!.length; i++) {
        const slot = need![i]!;
        if (slot < 0) {
          for (let w = 0; w < W; w++) candidates[w]! |= acc[w]!;
          acc.set(short);
        } else {
          const base = slot * W;
          for (let w = 0; w < W; w++) acc[w]! &= holding[base + w]!;
        }
      }
    }
    const rule = rules[ri]!;
    const re = rule.regex!;
    for (let w = 0; w < W; w++) {
      let bits = candidates[w]!;
      while (bits !== 0) {
        const low = bits & -bits;
        bits ^= low;
        const u = (w << 5) + (31 - Math.clz32(low));
        const range = ranges[u]!;
        const slice = (slices[u] ??= normalized.slice(range.start, range.end));
        const found = matchSpans(re, slice, range.start);
        for (let k = 0; k < found; k += 2) {
          const s = spans[k]!;
          const e = spans[k + 1]!;
          if (rule.boundary === 'none' || ((s === range.start || boundaries.has(s)) && (rule.boundary === 'start' || e === range.end || boundaries.has(e)))) {
            (lists[u] ??= []).push({ start: s, end: e, rule: ri });
          }
        }
      }
    }
  }
  for (let u = 0; u < n; u++) if (lists[u] !== undefined) out[u] = lists[u];
  return out;
}
