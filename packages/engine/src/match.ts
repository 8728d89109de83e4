import type { Range, Token, TokenColumns } from '@xunshi/types';
import type { CompiledRule, RuleHit, RuleSet } from '@xunshi/rules';
import { toTokenColumns } from './words.js';
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

/** Token boundaries as a bitmap over the text: one byte per offset, no hashing. */
class BoundaryBits implements Boundaries {
  constructor(readonly bits: Uint8Array) {}
  has(offset: number): boolean {
    return this.bits[offset] === 1;
  }
}

/** Collect the start and end offsets of `tokens` (a bitmap over the text: one byte per offset, no hashing). */
export function collectBoundaries(tokens: readonly Token[] | TokenColumns): Boundaries {
  const { count, starts, ends } = toTokenColumns(tokens);
  let size = 1;
  for (let i = 0; i < count; i++) if (ends[i]! >= size) size = ends[i]! + 1;
  const bits = new Uint8Array(size);
  for (let i = 0; i < count; i++) {
    bits[starts[i]!] = 1;
    bits[ends[i]!] = 1;
  }
  return new BoundaryBits(bits);
}

/** Automaton hits `from` to `to` (exclusive) of a document's hit columns: those that start inside one range. */
export interface TermHitSlice {
  starts: Int32Array;
  ends: Int32Array;
  terms: Int32Array;
  from: number;
  to: number;
}

/** Role hits of a range that has none (near and frame rules only read them). */
const NO_ROLE_HITS: MatchContext['roleHits'] = { first: new Map(), then: new Map() };

/**
 * The context of one range for the rule kinds: one object per range, with the boundary test as a method (no closures
 * per range), the range's text sliced only when a pattern runs on it, and the role maps made only for a range with role hits.
 */
class RangeContext implements MatchContext {
  readonly hits: MatchContext['hits'] = { label: [], heading: [], document: [], exclude: [], negation: [] };
  private sliced: string | undefined;
  private roles: MatchContext['roleHits'] | undefined;

  constructor(
    readonly rules: readonly CompiledRule[],
    readonly normalized: string,
    readonly range: Range,
    private readonly boundaries: Boundaries,
    readonly patternHits: readonly RuleHit[] | undefined,
  ) {}

  get slice(): string {
    return (this.sliced ??= this.normalized.slice(this.range.start, this.range.end));
  }

  get roleHits(): MatchContext['roleHits'] {
    return this.roles ?? NO_ROLE_HITS;
  }

  /** A term hit of the automaton: for each rule of the term, a hit where the rule's boundaries allow, in its bucket. */
  addTermHit(termOwners: RuleSet['termOwners'], bucketOf: readonly HitBucket[], start: number, end: number, term: number): void {
    const { range, rules } = this;
    if (start < range.start || end > range.end) return;
    const owners = termOwners[term]!;
    for (let o = 0; o < owners.length; o++) {
      const owner = owners[o]!;
      if (!this.stands(rules[owner.rule]!, start, end)) continue;
      const hit = { start, end, rule: owner.rule };
      if (owner.role === 'terms') this.hits[bucketOf[owner.rule]!].push(hit);
      else this.addRoleHit(owner.role, owner.rule, hit);
    }
  }

  addRoleHit(role: 'first' | 'then', rule: number, hit: Range): void {
    this.roles ??= { first: new Map(), then: new Map() };
    push(this.roles[role], rule, hit);
  }

  private startsWord(s: number): boolean {
    return s === this.range.start || this.boundaries.has(s);
  }

  stands(rule: CompiledRule, s: number, e: number): boolean {
    return rule.boundary === 'none' || (this.startsWord(s) && (rule.boundary === 'start' || e === this.range.end || this.boundaries.has(e)));
  }
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
 * `termHits` and `patternHits`: the range's automaton hits and regex hits when a pass over the whole document found
 * them already (see `collectDocumentPatternHits`).
 */
export function matchRange(
  ruleset: RuleSet,
  normalized: string,
  range: Range,
  boundaries: Boundaries,
  termHits?: { start: number; end: number; term: number }[] | TermHitSlice,
  patternHits?: readonly RuleHit[],
): UnitHits {
  const { rules, termOwners } = ruleset;
  const index = getKindIndex(ruleset);
  const { bucketOf } = index;
  const ctx = new RangeContext(rules, normalized, range, boundaries, patternHits);
  if (termHits !== undefined && !Array.isArray(termHits)) {
    const { starts, ends, terms, from, to } = termHits as TermHitSlice;
    for (let k = from; k < to; k++) ctx.addTermHit(termOwners, bucketOf, starts[k]!, ends[k]!, terms[k]!);
  } else {
    const raw = (termHits as { start: number; end: number; term: number }[] | undefined) ?? ruleset.automaton.search(normalized, range.start, range.end);
    for (const h of raw) ctx.addTermHit(termOwners, bucketOf, h.start, h.end, h.term);
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
