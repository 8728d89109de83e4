import type { Range, Token } from '@xunshi/types';
import type { CompiledRule, RuleSet } from '@xunshi/rules';

/** One place where a rule fired, in UTF-16 offsets into the document. */
export interface RuleHit extends Range {
  rule: number;
}

/** Hits of one unit, split by what they do. */
export interface UnitHits {
  /** Hits of rules that label (terms, pattern, near), after exclusion, negation and longest-match filtering. */
  label: RuleHit[];
  /** Hits of `heading` rules (used as priors for the units under a heading). */
  heading: RuleHit[];
  /** Hits of `document` rules (a prior for the whole document when they stand in its lead). */
  document: RuleHit[];
  /** Hits that were dropped, with the rule that dropped them (kept so that the rule tester can check negations). */
  dropped: { hit: RuleHit; by: number }[];
}

/** Token boundaries of a document: every offset where a token starts or ends. */
export interface Boundaries {
  has(offset: number): boolean;
}

/** Collect the start and end offsets of `tokens` (a bitmap over the text: one byte per offset, no hashing). */
export function collectBoundaries(tokens: readonly Token[]): Boundaries {
  let size = 1;
  for (const t of tokens) if (t.end >= size) size = t.end + 1;
  const bits = new Uint8Array(size);
  for (const t of tokens) {
    bits[t.start] = 1;
    bits[t.end] = 1;
  }
  return { has: (offset) => bits[offset] === 1 };
}

const patternRules = new WeakMap<RuleSet, number[]>();
/** Indices of the rules that carry a regex, computed once per ruleset. */
function getPatternRules(ruleset: RuleSet): number[] {
  let list = patternRules.get(ruleset);
  if (!list) {
    list = ruleset.rules.flatMap((r, i) => (r.regex ? [i] : []));
    patternRules.set(ruleset, list);
  }
  return list;
}

function dimensionsOf(rule: CompiledRule): ('function' | 'category' | 'rootCause')[] {
  const d: ('function' | 'category' | 'rootCause')[] = [];
  if (rule.target.function) d.push('function');
  if (rule.target.category) d.push('category');
  if (rule.target.rootCause) d.push('rootCause');
  return d;
}

function targets(rule: CompiledRule, other: CompiledRule): boolean {
  if (rule.targets.length === 0) return true;
  return rule.targets.some((t) => other.id === t || other.id.startsWith(t + '.'));
}

/**
 * Find every rule hit inside `[range.start, range.end)` of the matching copy `normalized`. Term hits stand only where
 * both ends fall on token boundaries (unless the rule says `boundary: none`); a `near` rule pairs its `first` and `then`
 * terms within `within` characters; `exclude` spans swallow the hits they contain; `negation` cues drop the hits that
 * start within `window` characters after them; finally a term hit contained in a longer term hit of the same
 * dimension (category, root cause or function) is dropped, so that 主体责任 is not also counted as 责任.
 */
export function matchRange(ruleset: RuleSet, normalized: string, range: Range, boundaries: Boundaries, termHits?: { start: number; end: number; term: number }[]): UnitHits {
  const { rules, termOwners } = ruleset;
  const raw = termHits ?? ruleset.automaton.search(normalized, range.start, range.end);
  const startsWord = (s: number): boolean => s === range.start || boundaries.has(s);
  const onBoundary = (s: number, e: number): boolean => startsWord(s) && (e === range.end || boundaries.has(e));
  const stands = (rule: CompiledRule, s: number, e: number): boolean =>
    rule.boundary === 'none' || (rule.boundary === 'start' ? startsWord(s) : onBoundary(s, e));
  const labelHits: RuleHit[] = [];
  const headingHits: RuleHit[] = [];
  const documentHits: RuleHit[] = [];
  const excludeHits: RuleHit[] = [];
  const negationHits: RuleHit[] = [];
  const firstHits = new Map<number, Range[]>();
  const thenHits = new Map<number, Range[]>();
  for (const h of raw) {
    if (h.start < range.start || h.end > range.end) continue;
    for (const owner of termOwners[h.term]!) {
      const rule = rules[owner.rule]!;
      if (!stands(rule, h.start, h.end)) continue;
      const hit = { start: h.start, end: h.end, rule: owner.rule };
      if (owner.role === 'first') push(firstHits, owner.rule, hit);
      else if (owner.role === 'then') push(thenHits, owner.rule, hit);
      else if (rule.kind === 'terms') labelHits.push(hit);
      else if (rule.kind === 'heading') headingHits.push(hit);
      else if (rule.kind === 'document') documentHits.push(hit);
      else if (rule.kind === 'exclude') excludeHits.push(hit);
      else if (rule.kind === 'negation') negationHits.push(hit);
    }
  }
  for (const [ri, firsts] of firstHits) {
    const thens = thenHits.get(ri);
    if (!thens) continue;
    const rule = rules[ri]!;
    let best: RuleHit | undefined;
    for (const f of firsts) {
      for (const t of thens) {
        if (t.start >= f.end && t.start - f.end <= rule.within) best = pick(best, { start: f.start, end: t.end, rule: ri });
        else if (!rule.ordered && f.start >= t.end && f.start - t.end <= rule.within) best = pick(best, { start: t.start, end: f.end, rule: ri });
      }
    }
    if (best) labelHits.push(best);
  }
  const slice = normalized.slice(range.start, range.end);
  for (const ri of getPatternRules(ruleset)) {
    const rule = rules[ri]!;
    if (!rule.regex) continue;
    const sink = rule.kind === 'exclude' ? excludeHits : rule.kind === 'negation' ? negationHits : labelHits;
    const re = rule.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(slice)) !== null) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const s = range.start + m.index;
      const e = s + m[0].length;
      if (stands(rule, s, e)) sink.push({ start: s, end: e, rule: ri });
    }
  }
  const dropped: { hit: RuleHit; by: number }[] = [];
  let kept = labelHits.filter((hit) => {
    const rule = rules[hit.rule]!;
    for (const x of excludeHits) {
      if (x.start <= hit.start && hit.end <= x.end && targets(rules[x.rule]!, rule)) {
        dropped.push({ hit, by: x.rule });
        return false;
      }
    }
    const dims = dimensionsOf(rule);
    for (const n of negationHits) {
      const neg = rules[n.rule]!;
      if (hit.start >= n.end && hit.start - n.end <= neg.window && targets(neg, rule) && dims.some((d) => neg.scope.includes(d))) {
        dropped.push({ hit, by: n.rule });
        return false;
      }
    }
    return true;
  });
  // Longest match per dimension among literal term hits.
  kept = kept.filter((hit) => {
    const rule = rules[hit.rule]!;
    if (rule.kind !== 'terms') return true;
    const dims = dimensionsOf(rule);
    return !kept.some((o) => {
      if (o === hit) return false;
      const other = rules[o.rule]!;
      if (other.kind !== 'terms') return false;
      if (!(o.start <= hit.start && hit.end <= o.end && o.end - o.start > hit.end - hit.start)) return false;
      return dimensionsOf(other).some((d) => dims.includes(d));
    });
  });
  kept.sort(compareHits);
  headingHits.sort(compareHits);
  documentHits.sort(compareHits);
  return { label: kept, heading: headingHits, document: documentHits, dropped };
}

function push(map: Map<number, Range[]>, key: number, r: Range): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

function pick(a: RuleHit | undefined, b: RuleHit): RuleHit {
  if (!a) return b;
  return b.end - b.start < a.end - a.start || (b.end - b.start === a.end - a.start && b.start < a.start) ? b : a;
}

/** Order hits by start, then end, then rule index. */
export function compareHits(a: RuleHit, b: RuleHit): number {
  return a.start - b.start || a.end - b.end || a.rule - b.rule;
}
