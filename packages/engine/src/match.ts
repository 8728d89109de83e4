import type { Range, Token } from '@xunshi/types';
import type { CompiledRule, RuleHit, RuleSet } from '@xunshi/rules';
import { getRuleKindModules, type DroppedHit, type HitBucket, type MatchContext, type RuleKindModule } from '@xunshi/rules/kinds';

export type { RuleHit } from '@xunshi/rules';

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

interface KindIndex {
  /** For each rule, the bucket its term hits go to. */
  bucketOf: HitBucket[];
  /** The kinds that have rules in this ruleset and a phase of their own, in registry order, with their rules. */
  collect: { module: RuleKindModule; rules: number[] }[];
  drop: { module: RuleKindModule; rules: number[] }[];
  refine: { module: RuleKindModule; rules: number[] }[];
}

const kindIndexes = new WeakMap<RuleSet, KindIndex>();
/** Which bucket each rule's term hits go to, and the rules of each kind, computed once per ruleset. */
function getKindIndex(ruleset: RuleSet): KindIndex {
  let index = kindIndexes.get(ruleset);
  if (!index) {
    const kinds = getRuleKindModules().map((module) => ({ module, rules: [] as number[] }));
    const bucketOf = ruleset.rules.map((rule, ri) => {
      const entry = kinds.find((k) => k.module.kind === rule.kind)!;
      entry.rules.push(ri);
      return entry.module.bucket;
    });
    const present = kinds.filter((k) => k.rules.length > 0);
    index = {
      bucketOf,
      collect: present.filter((k) => k.module.collect),
      drop: present.filter((k) => k.module.drop),
      refine: present.filter((k) => k.module.refine),
    };
    kindIndexes.set(ruleset, index);
  }
  return index;
}

/**
 * Find every rule hit inside `[range.start, range.end)` of the matching copy `normalized`. The phases are generic and
 * each kind of rule (`@xunshi/rules` `kinds/`) supplies its part: term hits from the one automaton pass stand only
 * where the rule's token boundaries allow and go to the bucket of the rule's kind; then each kind collects the hits
 * that are not plain term hits (`near` pairs its `first` and `then` terms within `within` characters, `pattern`,
 * `exclude` and `negation` run their regexes); then the exclusion kinds drop label hits (`exclude` spans swallow the
 * hits they contain, `negation` cues drop the hits that start within `window` characters after them); finally `terms`
 * drops a term hit contained in a longer term hit of the same dimension, so that 主体责任 is not also counted as 责任.
 */
export function matchRange(ruleset: RuleSet, normalized: string, range: Range, boundaries: Boundaries, termHits?: { start: number; end: number; term: number }[]): UnitHits {
  const { rules, termOwners } = ruleset;
  const index = getKindIndex(ruleset);
  const { bucketOf } = index;
  const raw = termHits ?? ruleset.automaton.search(normalized, range.start, range.end);
  const startsWord = (s: number): boolean => s === range.start || boundaries.has(s);
  const onBoundary = (s: number, e: number): boolean => startsWord(s) && (e === range.end || boundaries.has(e));
  const stands = (rule: CompiledRule, s: number, e: number): boolean =>
    rule.boundary === 'none' || (rule.boundary === 'start' ? startsWord(s) : onBoundary(s, e));
  const ctx: MatchContext = {
    rules,
    normalized,
    range,
    slice: normalized.slice(range.start, range.end),
    stands,
    roleHits: { first: new Map(), then: new Map() },
    hits: { label: [], heading: [], document: [], exclude: [], negation: [] },
  };
  for (const h of raw) {
    if (h.start < range.start || h.end > range.end) continue;
    for (const owner of termOwners[h.term]!) {
      if (!stands(rules[owner.rule]!, h.start, h.end)) continue;
      const hit = { start: h.start, end: h.end, rule: owner.rule };
      if (owner.role === 'terms') ctx.hits[bucketOf[owner.rule]!].push(hit);
      else push(ctx.roleHits[owner.role], owner.rule, hit);
    }
  }
  for (const k of index.collect) k.module.collect!(ctx, k.rules);
  const dropped: DroppedHit[] = [];
  let kept = ctx.hits.label;
  for (const k of index.drop) kept = k.module.drop!(ctx, kept, k.rules, dropped);
  for (const k of index.refine) kept = k.module.refine!(ctx, kept);
  sortSmall(kept, compareHits);
  sortSmall(ctx.hits.heading, compareHits);
  sortSmall(ctx.hits.document, compareHits);
  return { label: kept, heading: ctx.hits.heading, document: ctx.hits.document, dropped };
}

function push(map: Map<number, Range[]>, key: number, r: Range): void {
  const list = map.get(key);
  if (list) list.push(r);
  else map.set(key, [r]);
}

/**
 * Sort `items` in place, stably, as `Array.prototype.sort` does: a short list (a unit's few hits or evidence entries,
 * most often none or one) by insertion, without the copy the built-in sort makes of every array it is given.
 */
export function sortSmall<T>(items: T[], compare: (a: T, b: T) => number): T[] {
  const n = items.length;
  if (n < 2) return items;
  if (n > 16) return items.sort(compare);
  for (let i = 1; i < n; i++) {
    const x = items[i]!;
    let j = i;
    while (j > 0 && compare(items[j - 1]!, x) > 0) {
      items[j] = items[j - 1]!;
      j--;
    }
    items[j] = x;
  }
  return items;
}

/** Order hits by start, then end, then rule index. */
export function compareHits(a: RuleHit, b: RuleHit): number {
  return a.start - b.start || a.end - b.end || a.rule - b.rule;
}
