import type { Evidence, FunctionId } from '@xunshi/types';
import { FUNCTION_IDS } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import type { MatchedDocument } from './match-document.js';
import type { Ancestor } from './outline.js';
import { round, tallyOf, toEvidence } from './tally.js';
import type { UnitEvidence } from './unit-evidence.js';

/** The function phase's decision for one unit. */
export interface FunctionDecision {
  function: FunctionId;
  scores: Record<FunctionId, number>;
  evidence: Evidence[];
}

/**
 * Function phase. Priors first: a heading (or short enumerated title) takes the function its own cues announce, which
 * outranks what the headings above announce; the enclosing headings' function (decaying with distance; none from an
 * overview heading that announces several) counts for a body unit only when it has a function cue of its own, and for
 * a sub-heading when it has any evidence of its own; the document's lead adds its kind's function to units with
 * evidence of their own; absence rules add theirs to every unit. Then the best of cause / measure / problem at or above
 * `function.threshold` wins, unless context scores as much; otherwise the unit is context.
 */
export function decideFunction(ruleset: RuleSet, source: string, doc: MatchedDocument, ui: number, ev: UnitEvidence, ancestors: readonly Ancestor[]): FunctionDecision {
  const { rules, scoring } = ruleset;
  const { fn, headingLike, hasOwnEvidence } = ev;
  let ownAnnouncement = false;
  if (headingLike) {
    for (const hit of doc.headingCues[ui]!.cues) {
      const rule = rules[hit.rule]!;
      if (!rule.target.function) continue;
      tallyOf(fn, rule.target.function).addPrior(hit, rule.weight * scoring.heading.subheadingPrior);
      ownAnnouncement = true;
    }
  }
  for (const { unit, depth } of ancestors) {
    const { cues, functions } = doc.headingCues[unit]!;
    const takesFunction = !ownAnnouncement && functions === 1 && (headingLike ? hasOwnEvidence : fn.size > 0);
    if (!takesFunction) continue;
    for (const hit of cues) {
      const rule = rules[hit.rule]!;
      if (!rule.target.function) continue;
      const w = rule.weight * scoring.heading.decay ** depth;
      tallyOf(fn, rule.target.function).addPrior(hit, w * (headingLike ? scoring.heading.subheadingPrior : scoring.heading.functionPrior));
    }
  }
  if (hasOwnEvidence) {
    for (const hit of doc.documentHits) {
      const rule = rules[hit.rule]!;
      if (rule.target.function) tallyOf(fn, rule.target.function).addPrior(hit, rule.weight * scoring.document.functionPrior);
    }
  }
  // Absence priors have no span of their own; they are reported once as a document diagnostic.
  for (const ri of doc.absentRules) {
    const rule = rules[ri]!;
    if (rule.target.function) tallyOf(fn, rule.target.function).score += rule.weight * scoring.document.functionPrior;
  }
  const fscore = (f: FunctionId): number => fn.get(f)?.score ?? 0;
  let best: FunctionId = 'context';
  let bestScore = 0;
  for (const f of ['cause', 'measure', 'problem'] as FunctionId[]) {
    if (fscore(f) > bestScore) {
      best = f;
      bestScore = fscore(f);
    }
  }
  if (bestScore < scoring.function.threshold || fscore('context') >= bestScore) best = 'context';
  return {
    function: best,
    scores: Object.fromEntries(FUNCTION_IDS.map((f) => [f, round(fscore(f))])) as Record<FunctionId, number>,
    evidence: toEvidence(source, rules, fn.get(best)?.hits ?? []),
  };
}
