import type { Passage } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import { decideFunction } from './phases/function.js';
import { decideCategories, decideRootCauses } from './phases/labels.js';
import { matchDocument, type EngineInput } from './phases/match-document.js';
import { resolveAncestors } from './phases/outline.js';
import { collectUnitEvidence } from './phases/unit-evidence.js';

export type { EngineInput } from './phases/match-document.js';

/**
 * Tag every unit of a document: one passage per unit, in order, with its function, categories and root causes and
 * the evidence behind each. The phases, each in its own module: match (rule hits per unit, document and heading cues)
 * → own evidence (tallies per label) → function (with heading and document priors) → categories → root causes; every
 * number comes from the ruleset's `scoring.yaml`. Pure and synchronous; facts are added by the caller.
 */
export function tagPassages(ruleset: RuleSet, input: EngineInput): Passage[] {
  const { source, units } = input;
  const doc = matchDocument(ruleset, input);
  const ancestors = resolveAncestors(units);
  return units.map((unit, ui) => {
    const ev = collectUnitEvidence(ruleset, unit, doc.perUnit[ui]!);
    const fn = decideFunction(ruleset, source, doc, ui, ev, ancestors[ui]!);
    return {
      id: unit.id,
      start: unit.start,
      end: unit.end,
      text: unit.text,
      headingPath: unit.headingPath,
      function: fn.function,
      functionScores: fn.scores,
      functionEvidence: fn.evidence,
      categories: decideCategories(ruleset, source, doc, ev, ancestors[ui]!, fn.function),
      rootCauses: decideRootCauses(ruleset, source, doc, ev, ancestors[ui]!, fn.function),
      facts: [],
    };
  });
}
