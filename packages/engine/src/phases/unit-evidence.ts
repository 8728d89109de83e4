import type { CategoryId, FunctionId, RootCauseId, Unit } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import type { UnitHits } from '../match.js';
import { Tally, categoryOfKey, tallyOf } from './tally.js';

/** What one unit's own words show, before any prior: a tally per function, (sub)category key and root cause. */
export interface UnitEvidence {
  fn: Map<FunctionId, Tally>;
  /** Keyed by subcategory id, or by category id for rules that name only the area. */
  cat: Map<string, Tally>;
  rc: Map<RootCauseId, Tally>;
  /** Sum of the unit's own category evidence per category id (priors are added by the category phase). */
  categoryTotals: Map<CategoryId, number>;
  /** Whether the unit's own words gave any label evidence at all. */
  hasOwnEvidence: boolean;
  /** A heading, or a short enumerated item (其一，“选择性整改”。) that names a point of its section like a sub-heading. */
  headingLike: boolean;
}

/** Own-evidence phase: add every label hit of the unit to its tallies, each rule counted at most `perRuleCap` times. */
export function collectUnitEvidence(ruleset: RuleSet, unit: Unit, hits: UnitHits): UnitEvidence {
  const { rules, scoring } = ruleset;
  const caps = scoring.perRuleCap;
  const fn = new Map<FunctionId, Tally>();
  const cat = new Map<string, Tally>();
  const rc = new Map<RootCauseId, Tally>();
  for (const hit of hits.label) {
    const rule = rules[hit.rule]!;
    const t = rule.target;
    if (t.function) tallyOf(fn, t.function).add(hit, rule.weight, caps.function);
    if (t.category) tallyOf(cat, t.category.subcategory ?? t.category.id).add(hit, rule.weight, caps.category, rule.measureWeight);
    if (t.rootCause) tallyOf(rc, t.rootCause).add(hit, rule.weight, caps.rootCause, rule.measureWeight);
  }
  const categoryTotals = new Map<CategoryId, number>();
  for (const [key, v] of cat) {
    const id = categoryOfKey(key);
    categoryTotals.set(id, (categoryTotals.get(id) ?? 0) + v.score);
  }
  const hasOwnEvidence = fn.size > 0 || categoryTotals.size > 0 || rc.size > 0;
  const headingLike = unit.isHeading || (unit.enumeration !== undefined && unit.text.length <= scoring.heading.enumeratedTitleMax);
  return { fn, cat, rc, categoryTotals, hasOwnEvidence, headingLike };
}
