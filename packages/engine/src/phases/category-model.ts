import type { CategoryId, CategoryLabel, FunctionId } from '@xunshi/types';
import { CATEGORY_IDS } from '@xunshi/types';
import type { CategoryModel, RuleSet } from '@xunshi/rules';
import type { FeatureSink, FeatureVector } from './function-features.js';
import { categoryLabels, categoryThreshold } from './labels.js';
import { categoryOfKey } from './tally.js';
import type { UnitEvidence } from './unit-evidence.js';

/** One candidate category of a unit: every category with rule evidence in it (after heading priors). */
export interface CategoryCandidate<S extends FeatureSink = FeatureVector> {
  id: CategoryId;
  /** Whether the hand-set threshold keeps it. */
  rules: boolean;
  /** Its features for the category model (see {@link categoryFeatures}): a Map for fitting, a {@link CategoryScorer} for scoring. */
  x: S;
}

/** Smallest evidence total that makes a category a candidate (a hit with measureWeight 0 leaves none). */
const CANDIDATE_MIN = 1e-9;

/** The functions and categories in the order of a compiled model's lookup arrays. */
const FUNCTIONS: readonly FunctionId[] = ['problem', 'cause', 'measure', 'context'];
const fnIndex = (fn: FunctionId): number => FUNCTIONS.indexOf(fn);

/**
 * A category model compiled once per ruleset: each feature it weighs by a dense id (its weight in `w`), and the
 * features the engine sets per candidate looked up by index instead of by a name built per candidate: `fn:F`, `cat:C`,
 * `catfn:C|F`, and `rule:R`, `rulefn:R|F`, `fnrule:R` by the rule's index in the ruleset. −1: the model does not weigh it.
 */
export interface CompiledCategoryModel {
  byName: Map<string, number>;
  names: string[];
  w: Float64Array;
  fn: Int32Array;
  cat: Int32Array;
  catfn: Int32Array;
  rule: Int32Array;
  rulefn: Int32Array;
  fnrule: Int32Array;
  /** Per rule index, its place among the rule ids in string order (the features' order is the ids' sorted order). */
  rank: Int32Array;
}

const compiledModels = new WeakMap<RuleSet, CompiledCategoryModel>();

/** The ruleset's category model compiled (built once per ruleset; undefined when it has none). */
export function compileCategoryModel(ruleset: RuleSet): CompiledCategoryModel | undefined {
  const model = ruleset.categoryModel;
  if (!model) return undefined;
  let out = compiledModels.get(ruleset);
  if (out) return out;
  const byName = new Map<string, number>();
  const names: string[] = [];
  const weights: number[] = [];
  for (const [name, weight] of Object.entries(model.weights)) {
    if (weight === undefined) continue;
    byName.set(name, names.length);
    names.push(name);
    weights.push(weight);
  }
  const id = (name: string): number => byName.get(name) ?? -1;
  const { rules } = ruleset;
  const nf = FUNCTIONS.length;
  const order = rules.map((_, i) => i).sort((a, b) => (rules[a]!.id < rules[b]!.id ? -1 : rules[a]!.id > rules[b]!.id ? 1 : a - b));
  const rank = new Int32Array(rules.length);
  order.forEach((ri, k) => (rank[ri] = k));
  out = {
    byName,
    names,
    w: Float64Array.from(weights),
    fn: Int32Array.from(FUNCTIONS, (f) => id(`fn:${f}`)),
    cat: Int32Array.from(CATEGORY_IDS, (c) => id(`cat:${c}`)),
    catfn: Int32Array.from({ length: CATEGORY_IDS.length * nf }, (_, k) => id(`catfn:${CATEGORY_IDS[Math.floor(k / nf)]!}|${FUNCTIONS[k % nf]!}`)),
    rule: Int32Array.from(rules, (r) => id(`rule:${r.id}`)),
    rulefn: Int32Array.from({ length: rules.length * nf }, (_, k) => id(`rulefn:${rules[Math.floor(k / nf)]!.id}|${FUNCTIONS[k % nf]!}`)),
    fnrule: Int32Array.from(rules, (r) => id(`fnrule:${r.id}`)),
    rank,
  };
  compiledModels.set(ruleset, out);
  return out;
}

/**
 * A feature sink that keeps only the features a compiled category model weighs, in the order they were first set (a
 * later value of the same feature replaces the earlier one): the same sums, in the same order, as scoring the Map.
 */
export class CategoryScorer implements FeatureSink {
  readonly ids: number[] = [];
  readonly values: number[] = [];

  constructor(readonly model: CompiledCategoryModel) {}

  set(name: string, value: number): void {
    const id = this.model.byName.get(name);
    if (id !== undefined) this.add(id, value);
  }

  /** Set feature `id` (−1: one the model does not weigh, ignored). */
  add(id: number, value: number): void {
    if (id < 0) return;
    const k = this.ids.indexOf(id);
    if (k >= 0) this.values[k] = value;
    else {
      this.ids.push(id);
      this.values.push(value);
    }
  }

  /** The score and the strongest positive feature, as {@link scoreCategoryModel} gives them for the same features. */
  score(): { score: number; strongest: string | undefined } {
    const { w: weights, names } = this.model;
    let score = 0;
    let strongest: string | undefined;
    let best = 0;
    for (let i = 0; i < this.ids.length; i++) {
      const id = this.ids[i]!;
      const wv = weights[id]! * this.values[i]!;
      score += wv;
      const k = names[id]!;
      if (k !== 'bias' && (wv > best || (wv === best && best > 0 && strongest !== undefined && k < strongest))) {
        best = wv;
        strongest = k;
      }
    }
    return { score, strongest };
  }
}

/** Rule indices sorted by their ids (few: a unit's rules), without repeats. */
function sortedRules(rank: Int32Array, rules: number[]): number[] {
  for (let i = 1; i < rules.length; i++) {
    const x = rules[i]!;
    let j = i;
    while (j > 0 && rank[rules[j - 1]!]! > rank[x]!) {
      rules[j] = rules[j - 1]!;
      j--;
    }
    rules[j] = x;
  }
  return rules;
}

/** Push `ri` onto `list` unless it is there already. */
const addOnce = (list: number[], ri: number): void => {
  if (!list.includes(ri)) list.push(ri);
};

/** The rule indices behind category `id`'s evidence in the unit (its own and its subcategories' tallies), unsorted. */
function rulesBehind(ev: UnitEvidence, id: CategoryId): number[] {
  const out: number[] = [];
  for (const [key, t] of ev.cat) {
    if (key !== id && categoryOfKey(key) !== id) continue;
    for (const h of t.hits) addOnce(out, h.rule);
  }
  return out;
}

/**
 * Features of one candidate category, all read from the unit's own evidence and its function: `bias`; `fn:F`;
 * `cat:C` and `catfn:C|F`; `score` (log of 1 + the category's evidence total); `kept` (1 when the hand-set threshold
 * keeps it); `ncand` (candidates in the unit, at most 4); `nrules` (distinct rules behind it, at most 4); `rule:R`
 * and `rulefn:R|F` for each rule behind it; `fnrule:R` for each function rule that fired in the unit (what the
 * sentence does: a procedure, a pledge, a counted action). `fnRules` are rule indices in id order (see
 * {@link functionRulesOf}). Written to `sink` (a new Map when none is given); a {@link CategoryScorer} takes the
 * per-candidate features by index, any other sink by name.
 */
export function categoryFeatures<S extends FeatureSink = FeatureVector>(ruleset: RuleSet, ev: UnitEvidence, fn: FunctionId, id: CategoryId, total: number, kept: boolean, candidates: number, fnRules: readonly number[], sink?: S): S {
  const x = sink ?? (new Map() as FeatureSink as S);
  const rules = rulesBehind(ev, id);
  const m = x instanceof CategoryScorer ? x.model : undefined;
  x.set('bias', 1);
  if (m) {
    const s = x as unknown as CategoryScorer;
    const f = fnIndex(fn);
    const c = CATEGORY_IDS.indexOf(id);
    s.add(m.fn[f]!, 1);
    s.add(m.cat[c]!, 1);
    s.add(m.catfn[c * FUNCTIONS.length + f]!, 1);
  } else {
    x.set(`fn:${fn}`, 1);
    x.set(`cat:${id}`, 1);
    x.set(`catfn:${id}|${fn}`, 1);
  }
  x.set('score', Math.log1p(total));
  x.set('kept', kept ? 1 : 0);
  x.set('ncand', Math.min(candidates, 4));
  x.set('nrules', Math.min(rules.length, 4));
  if (m) {
    const s = x as unknown as CategoryScorer;
    const f = fnIndex(fn);
    for (const ri of sortedRules(m.rank, rules)) {
      s.add(m.rule[ri]!, 1);
      s.add(m.rulefn[ri * FUNCTIONS.length + f]!, 1);
    }
    for (const ri of fnRules) s.add(m.fnrule[ri]!, 1);
  } else {
    const ids = rules.map((ri) => ruleset.rules[ri]!.id).sort();
    for (const r of ids) {
      x.set(`rule:${r}`, 1);
      x.set(`rulefn:${r}|${fn}`, 1);
    }
    for (const ri of fnRules) x.set(`fnrule:${ruleset.rules[ri]!.id}`, 1);
  }
  return x;
}

/** The function rules that fired in the unit (its own hits, not priors), as rule indices in the order of their ids. */
function functionRulesOf(ruleset: RuleSet, ev: UnitEvidence): number[] {
  const out: number[] = [];
  for (const t of ev.fn.values()) for (const h of t.hits) addOnce(out, h.rule);
  const { rules } = ruleset;
  return out.sort((a, b) => (rules[a]!.id < rules[b]!.id ? -1 : rules[a]!.id > rules[b]!.id ? 1 : 0));
}

/**
 * Every candidate category of a unit of function `fn`, with its features (after `applyCategoryPriors`): into a new Map
 * each, or, given a compiled model, into a {@link CategoryScorer} each.
 */
export function categoryCandidates(ruleset: RuleSet, ev: UnitEvidence, fn: FunctionId): CategoryCandidate[];
export function categoryCandidates(ruleset: RuleSet, ev: UnitEvidence, fn: FunctionId, compiled: CompiledCategoryModel): CategoryCandidate<CategoryScorer>[];
export function categoryCandidates(ruleset: RuleSet, ev: UnitEvidence, fn: FunctionId, compiled?: CompiledCategoryModel): CategoryCandidate<FeatureSink>[] {
  if (ev.cat.size === 0) return [];
  const totals = categoryTotalsOf(ev, fn);
  const threshold = categoryThreshold(ruleset, fn);
  let count = 0;
  for (let c = 0; c < totals.length; c++) if (totals[c]! >= CANDIDATE_MIN) count++;
  if (count === 0) return [];
  const fnRules = compiled ? functionRulesByRank(compiled.rank, ev) : functionRulesOf(ruleset, ev);
  const out: CategoryCandidate<FeatureSink>[] = [];
  for (let c = 0; c < totals.length; c++) {
    const total = totals[c]!;
    if (!(total >= CANDIDATE_MIN)) continue;
    const id = CATEGORY_IDS[c]!;
    const kept = total >= threshold;
    const sink = compiled ? new CategoryScorer(compiled) : new Map<string, number>();
    out.push({ id, rules: kept, x: categoryFeatures(ruleset, ev, fn, id, total, kept, count, fnRules, sink) });
  }
  return out;
}

/** {@link functionRulesOf} by the compiled model's ranks (no string comparisons). */
function functionRulesByRank(rank: Int32Array, ev: UnitEvidence): number[] {
  const out: number[] = [];
  for (const t of ev.fn.values()) for (const h of t.hits) addOnce(out, h.rule);
  return sortedRules(rank, out);
}

/** Each category's evidence total in a unit of function `fn`, in {@link CATEGORY_IDS} order (as `categoryTotalsAt` sums them). */
function categoryTotalsOf(ev: UnitEvidence, fn: FunctionId): Float64Array {
  const totals = new Float64Array(CATEGORY_IDS.length);
  for (const [key, v] of ev.cat) totals[CATEGORY_IDS.indexOf(categoryOfKey(key))]! += v.scoreAt(fn);
  return totals;
}

/**
 * Neighbour features of every candidate, from the areas the hand-set thresholds give the previous and the next unit:
 * `prev:same` / `next:same` (the neighbour has this category), else `prev:other` / `next:other` (it has another).
 */
export function addNeighbourFeatures(candidatesOf: readonly CategoryCandidate<FeatureSink>[][]): void {
  for (let ui = 0; ui < candidatesOf.length; ui++) {
    const prev = ui > 0 ? candidatesOf[ui - 1]! : undefined;
    const next = ui + 1 < candidatesOf.length ? candidatesOf[ui + 1]! : undefined;
    for (const c of candidatesOf[ui]!) {
      const p = keptRelation(prev, c.id);
      if (p !== undefined) c.x.set(p ? 'prev:same' : 'prev:other', 1);
      const n = keptRelation(next, c.id);
      if (n !== undefined) c.x.set(n ? 'next:same' : 'next:other', 1);
    }
  }
}

/** Whether a neighbour's kept candidates include `id` (undefined: no neighbour, or it keeps none). */
function keptRelation(neighbour: readonly CategoryCandidate<FeatureSink>[] | undefined, id: CategoryId): boolean | undefined {
  if (!neighbour) return undefined;
  let any = false;
  for (const c of neighbour) {
    if (!c.rules) continue;
    if (c.id === id) return true;
    any = true;
  }
  return any ? false : undefined;
}

/** The model's score of a feature vector, and its strongest positive feature (ties: the first in name order). */
export function scoreCategoryModel(model: CategoryModel, x: FeatureVector): { score: number; strongest: string | undefined } {
  let score = 0;
  let strongest: string | undefined;
  let best = 0;
  for (const [k, v] of x) {
    const w = model.weights[k];
    if (w === undefined) continue;
    score += w * v;
    if (k !== 'bias' && (w * v > best || (w * v === best && best > 0 && strongest !== undefined && k < strongest))) {
      best = w * v;
      strongest = k;
    }
  }
  return { score, strongest };
}

/**
 * Category phase under a fitted category model: each candidate is kept when its score exceeds the model's threshold,
 * with the labels the thresholds would give it. A category the hand-set threshold would not have kept carries one more
 * evidence entry, `category-model:FEATURE` (its strongest feature), on the span of its first piece of evidence.
 */
export function decideCategoriesByModel(ruleset: RuleSet, source: string, ev: UnitEvidence, fn: FunctionId, model: CategoryModel, candidates: readonly CategoryCandidate<FeatureSink>[]): CategoryLabel[] {
  const why = new Map<CategoryId, string | undefined>();
  for (const c of candidates) {
    const { score, strongest } = c.x instanceof CategoryScorer ? c.x.score() : scoreCategoryModel(model, c.x as FeatureVector);
    if (score > model.threshold) why.set(c.id, c.rules ? undefined : strongest);
  }
  if (why.size === 0) return [];
  return categoryLabels(ruleset, source, ev, fn, CANDIDATE_MIN, new Set(why.keys())).map((l) => {
    const strongest = why.get(l.id);
    const first = l.evidence[0];
    return strongest && first ? { ...l, evidence: [...l.evidence, { rule: `category-model:${strongest}`, start: first.start, end: first.end, text: first.text }] } : l;
  });
}
