import type { CategoryId, CategoryLabel, FunctionId } from '@xunshi/types';
import { CATEGORY_IDS } from '@xunshi/types';
import type { CategoryModel, RuleSet } from '@xunshi/rules';
import type { FeatureVector } from './function-features.js';
import { categoryLabels, categoryThreshold, categoryTotalsAt } from './labels.js';
import type { UnitEvidence } from './unit-evidence.js';

/** One candidate category of a unit: every category with rule evidence in it (after heading priors). */
export interface CategoryCandidate {
  id: CategoryId;
  /** Whether the hand-set threshold keeps it. */
  rules: boolean;
  /** Its features for the category model (see {@link categoryFeatures}). */
  x: FeatureVector;
}

/** Smallest evidence total that makes a category a candidate (a hit with measureWeight 0 leaves none). */
const CANDIDATE_MIN = 1e-9;

/**
 * Features of one candidate category, all read from the unit's own evidence and its function: `bias`; `fn:F`;
 * `cat:C` and `catfn:C|F`; `score` (log of 1 + the category's evidence total); `kept` (1 when the hand-set threshold
 * keeps it); `ncand` (candidates in the unit, at most 4); `nrules` (distinct rules behind it, at most 4); `rule:R`
 * and `rulefn:R|F` for each rule behind it; `fnrule:R` for each function rule that fired in the unit (what the
 * sentence does: a procedure, a pledge, a counted action).
 */
export function categoryFeatures(ruleset: RuleSet, ev: UnitEvidence, fn: FunctionId, id: CategoryId, total: number, kept: boolean, candidates: number, fnRules: readonly string[]): FeatureVector {
  const x: FeatureVector = new Map([
    ['bias', 1],
    [`fn:${fn}`, 1],
    [`cat:${id}`, 1],
    [`catfn:${id}|${fn}`, 1],
    ['score', Math.log1p(total)],
    ['kept', kept ? 1 : 0],
    ['ncand', Math.min(candidates, 4)],
  ]);
  const rules = new Set<string>();
  for (const [key, t] of ev.cat) {
    if (key !== id && !key.startsWith(id + '.')) continue;
    for (const h of t.hits) rules.add(ruleset.rules[h.rule]!.id);
  }
  x.set('nrules', Math.min(rules.size, 4));
  for (const r of [...rules].sort()) {
    x.set(`rule:${r}`, 1);
    x.set(`rulefn:${r}|${fn}`, 1);
  }
  for (const r of fnRules) x.set(`fnrule:${r}`, 1);
  return x;
}

/** The function rules that fired in the unit (its own hits, not priors), sorted. */
function functionRulesOf(ruleset: RuleSet, ev: UnitEvidence): string[] {
  const out = new Set<string>();
  for (const t of ev.fn.values()) for (const h of t.hits) out.add(ruleset.rules[h.rule]!.id);
  return [...out].sort();
}

/** Every candidate category of a unit of function `fn`, with its features (after `applyCategoryPriors`). */
export function categoryCandidates(ruleset: RuleSet, ev: UnitEvidence, fn: FunctionId): CategoryCandidate[] {
  const totals = categoryTotalsAt(ev, fn);
  const threshold = categoryThreshold(ruleset, fn);
  const ids = CATEGORY_IDS.filter((id) => (totals.get(id) ?? 0) >= CANDIDATE_MIN);
  const fnRules = functionRulesOf(ruleset, ev);
  return ids.map((id) => {
    const total = totals.get(id)!;
    const kept = total >= threshold;
    return { id, rules: kept, x: categoryFeatures(ruleset, ev, fn, id, total, kept, ids.length, fnRules) };
  });
}

/**
 * Neighbour features of every candidate, from the areas the hand-set thresholds give the previous and the next unit:
 * `prev:same` / `next:same` (the neighbour has this category), else `prev:other` / `next:other` (it has another).
 */
export function addNeighbourFeatures(candidatesOf: readonly CategoryCandidate[][]): void {
  const kept = candidatesOf.map((cs) => new Set(cs.filter((c) => c.rules).map((c) => c.id)));
  candidatesOf.forEach((cs, ui) => {
    for (const c of cs) {
      for (const [side, set] of [['prev', kept[ui - 1]], ['next', kept[ui + 1]]] as const) {
        if (!set || set.size === 0) continue;
        c.x.set(`${side}:${set.has(c.id) ? 'same' : 'other'}`, 1);
      }
    }
  });
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
export function decideCategoriesByModel(ruleset: RuleSet, source: string, ev: UnitEvidence, fn: FunctionId, model: CategoryModel, candidates: readonly CategoryCandidate[]): CategoryLabel[] {
  const why = new Map<CategoryId, string | undefined>();
  for (const c of candidates) {
    const { score, strongest } = scoreCategoryModel(model, c.x);
    if (score > model.threshold) why.set(c.id, c.rules ? undefined : strongest);
  }
  if (why.size === 0) return [];
  return categoryLabels(ruleset, source, ev, fn, CANDIDATE_MIN, new Set(why.keys())).map((l) => {
    const strongest = why.get(l.id);
    const first = l.evidence[0];
    return strongest && first ? { ...l, evidence: [...l.evidence, { rule: `category-model:${strongest}`, start: first.start, end: first.end, text: first.text }] } : l;
  });
}
