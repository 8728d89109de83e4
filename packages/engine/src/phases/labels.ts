import type { CategoryId, CategoryLabel, FunctionId, RootCauseLabel } from '@xunshi/types';
import { CATEGORY_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import { sortSmall } from '../match.js';
import type { MatchedDocument } from './match-document.js';
import type { Ancestor } from './outline.js';
import { categoryOfKey, squash, tallyOf, toEvidence } from './tally.js';
import type { UnitEvidence } from './unit-evidence.js';

/** The evidence a label needs in a unit of the given function: context units need `contextKeeps` (they name no finding). */
function keepAt(section: { threshold: number; contextKeeps: number }, fn: FunctionId): number {
  return fn === 'context' ? Math.max(section.threshold, section.contextKeeps) : section.threshold;
}

/**
 * Category priors: an enclosing heading's area cue (decaying with distance) strengthens only a category the unit's own
 * words already point at — a heading alone never decides a category. Added to the unit's tallies once, before any
 * decision.
 */
export function applyCategoryPriors(ruleset: RuleSet, doc: MatchedDocument, ev: UnitEvidence, ancestors: readonly Ancestor[]): void {
  const { rules, scoring } = ruleset;
  const { cat, categoryTotals } = ev;
  for (const { unit, depth } of ancestors) {
    for (const hit of doc.headingCues[unit]!.cues) {
      const rule = rules[hit.rule]!;
      const t = rule.target.category;
      if (!t || !categoryTotals.has(t.id)) continue;
      const w = rule.weight * scoring.heading.decay ** depth * scoring.heading.categoryPrior;
      const key = t.subcategory ?? t.id;
      categoryTotals.set(t.id, categoryTotals.get(t.id)! + w);
      tallyOf(cat, cat.has(key) ? key : [...cat.keys()].find((k) => k.startsWith(t.id))!).addPrior(hit, w);
    }
  }
}

/** Each category's evidence total in a unit of function `fn` (a measure unit weighs hits by the rules' measureWeight). */
export function categoryTotalsAt(ev: UnitEvidence, fn: FunctionId): Map<CategoryId, number> {
  const totals = new Map<CategoryId, number>();
  for (const [key, v] of ev.cat) {
    const id = categoryOfKey(key);
    totals.set(id, (totals.get(id) ?? 0) + v.scoreAt(fn));
  }
  return totals;
}

/**
 * The category labels of a unit whose categories pass at `threshold` (after `applyCategoryPriors`). A category is
 * reported once per subcategory, the top one always and another one when it reaches `secondSubcategory` of the top
 * score and of the threshold; a category with evidence for the area only is reported with a null subcategory.
 */
export function categoryLabels(ruleset: RuleSet, source: string, ev: UnitEvidence, fn: FunctionId, threshold: number, only?: ReadonlySet<CategoryId>): CategoryLabel[] {
  const { rules, scoring } = ruleset;
  const { cat } = ev;
  const totals = categoryTotalsAt(ev, fn);
  const categories: CategoryLabel[] = [];
  const second = scoring.category.secondSubcategory;
  for (const id of CATEGORY_IDS) {
    const total = totals.get(id) ?? 0;
    if (total < threshold || total <= 0 || (only && !only.has(id))) continue;
    const area = cat.get(id);
    const subs = sortSmall([...cat.entries()].filter(([k]) => k.startsWith(id + '.')), (a, b) => b[1].scoreAt(fn) - a[1].scoreAt(fn) || (a[0] < b[0] ? -1 : 1));
    if (subs.length === 0) {
      categories.push({ id, subcategory: null, score: squash(total), evidence: toEvidence(source, rules, area?.hits ?? []) });
      continue;
    }
    const [topKey, top] = subs[0]!;
    for (const [sub, v] of subs) {
      if (sub !== topKey && v.scoreAt(fn) < Math.max(scoring.category.threshold * second.ofThreshold, top.scoreAt(fn) * second.ofTop)) continue;
      const withArea = sub === topKey && area ? [...v.hits, ...area.hits] : v.hits;
      categories.push({ id, subcategory: sub, score: squash(v.scoreAt(fn) + (sub === topKey ? (area?.scoreAt(fn) ?? 0) : 0)), evidence: toEvidence(source, rules, withArea) });
    }
  }
  return categories;
}

/** The evidence total a category needs in a unit of function `fn` under the hand-set rules. */
export function categoryThreshold(ruleset: RuleSet, fn: FunctionId): number {
  return keepAt(ruleset.scoring.category, fn);
}

/**
 * Root-cause phase: enclosing headings' root-cause cues strengthen a root cause the unit's own words already show;
 * each root cause at or above its threshold (`contextKeeps` for context units) is reported with its evidence.
 */
export function decideRootCauses(ruleset: RuleSet, source: string, doc: MatchedDocument, ev: UnitEvidence, ancestors: readonly Ancestor[], fn: FunctionId): RootCauseLabel[] {
  const { rules, scoring } = ruleset;
  const { rc } = ev;
  for (const { unit, depth } of ancestors) {
    for (const hit of doc.headingCues[unit]!.cues) {
      const rule = rules[hit.rule]!;
      const t = rule.target.rootCause;
      if (t && rc.has(t)) tallyOf(rc, t).addPrior(hit, rule.weight * scoring.heading.decay ** depth * scoring.heading.categoryPrior);
    }
  }
  const rootCauses: RootCauseLabel[] = [];
  const threshold = keepAt(scoring.rootCause, fn);
  for (const id of ROOT_CAUSE_IDS) {
    const v = rc.get(id);
    if (!v || v.scoreAt(fn) < threshold) continue;
    rootCauses.push({ id, score: squash(v.scoreAt(fn)), evidence: toEvidence(source, rules, v.hits) });
  }
  return rootCauses;
}
