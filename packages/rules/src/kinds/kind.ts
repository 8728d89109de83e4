import type { Range } from '@xunshi/types';
import type { CompiledRule, RuleHit, RuleKind } from '../model.js';

/** Where the hits of a kind go: labelling hits, heading priors, document priors, or the two kinds that drop hits. */
export type HitBucket = 'label' | 'heading' | 'document' | 'exclude' | 'negation';

/** What a kind's compile step sees of one rule. */
export interface CompileContext {
  /** The rule's full id (`conduct.formalism.paper`). */
  id: string;
  /** The rule as written, with its file's `defaults` filled in. */
  rule: Record<string, unknown>;
  /** Record a problem at one of the rule's keys (or at the rule itself). */
  report(key: string | undefined, message: string): void;
}

/** What a kind's matcher sees of one range of one document. */
export interface MatchContext {
  readonly rules: readonly CompiledRule[];
  /** The matching copy of the whole document. */
  readonly normalized: string;
  /** The range being matched, and `normalized.slice(range.start, range.end)`. */
  readonly range: Range;
  readonly slice: string;
  /** Whether a hit `[start, end)` of `rule` meets the token boundaries the rule asks for. */
  stands(rule: CompiledRule, start: number, end: number): boolean;
  /** Term hits of the `first` and `then` roles (near rules), by rule index, in the order they were found. */
  readonly roleHits: { first: Map<number, Range[]>; then: Map<number, Range[]> };
  /**
   * The regex hits of the range's pattern rules (of every kind) when the document's pass found them already
   * (`collectDocumentPatternHits`), ordered by rule index; undefined: the kinds run their regexes on the range.
   */
  readonly patternHits?: readonly RuleHit[];
  /** The hits collected so far, by bucket. */
  readonly hits: Record<HitBucket, RuleHit[]>;
}

/** A label hit that an `exclude` or `negation` rule dropped, and the rule index that dropped it. */
export interface DroppedHit {
  hit: RuleHit;
  by: number;
}

/**
 * One kind of rule: its schema fragment, its compilation checks and its matching. Adding a kind is one module that
 * exports one of these plus its line in `kinds/index.ts` (and its name in the `RuleKind` union).
 */
export interface RuleKindModule {
  kind: RuleKind;
  /** JSON Schema of the keys this kind accepts besides the common ones (id, kind, description, labels, weight, …). */
  keys: Record<string, object>;
  /** Keys this kind cannot do without. */
  required: readonly string[];
  /** True when the rule must name a category, rootCause or function (it labels units). */
  labelled: boolean;
  /** Where the automaton hits of the rule's `terms` go. */
  bucket: HitBucket;
  /** Checks beyond the schema, and the fields only this kind fills (a compiled pattern). */
  compile?(ctx: CompileContext, out: CompiledRule): void;
  /** Collect the hits that are not plain term hits (paired terms, regex matches) of `rules` (indices of this kind). */
  collect?(ctx: MatchContext, rules: readonly number[]): void;
  /** Drop label hits (exclusion kinds); returns the hits kept and appends the dropped ones to `dropped`. */
  drop?(ctx: MatchContext, label: RuleHit[], rules: readonly number[], dropped: DroppedHit[]): RuleHit[];
  /** After every drop: a last pass over the label hits (the longest-match filter of `terms`). */
  refine?(ctx: MatchContext, label: RuleHit[]): RuleHit[];
}

/** A rule's terms: one or more words, no white space around any (a term of spaces alone fired on every space). */
export const termList = { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, pattern: '^\\S(.*\\S)?$' } } as const;

/** The dimensions a rule labels. */
export function dimensionsOf(rule: CompiledRule): ('function' | 'category' | 'rootCause')[] {
  const d: ('function' | 'category' | 'rootCause')[] = [];
  if (rule.target.function) d.push('function');
  if (rule.target.category) d.push('category');
  if (rule.target.rootCause) d.push('rootCause');
  return d;
}

/** The dimensions a rule labels as bits: 1 function, 2 category, 4 root cause. */
export function dimensionBits(target: CompiledRule['target']): number {
  return (target.function ? 1 : 0) | (target.category ? 2 : 0) | (target.rootCause ? 4 : 0);
}

/** Whether an `exclude`/`negation` rule affects `other` (its `targets` are id prefixes; none means every rule). */
export function affects(rule: CompiledRule, other: CompiledRule): boolean {
  if (rule.targets.length === 0) return true;
  return rule.targets.some((t) => other.id === t || other.id.startsWith(t + '.'));
}
