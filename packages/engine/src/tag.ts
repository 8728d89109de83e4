import type { Passage } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import { decideFunction, decideFunctionByModel, type FunctionDecision } from './phases/function.js';
import { addCueConjunctions, addDecisionFeatures, functionFeatures, type FeatureSink, type FeatureVector } from './phases/function-features.js';
import { compileFunctionModel, ModelScorer } from './phases/function-model.js';
import { addNeighbourFeatures, categoryCandidates, compileCategoryModel, decideCategoriesByModel, type CategoryCandidate } from './phases/category-model.js';
import { applyCategoryPriors, categoryLabels, categoryThreshold, decideRootCauses } from './phases/labels.js';
import { matchDocument, type EngineInput } from './phases/match-document.js';
import { resolveAncestors } from './phases/outline.js';
import { applyTopicContinuity } from './phases/topic.js';
import { collectUnitEvidence } from './phases/unit-evidence.js';
import { toTokenColumns, wordsOfUnits, type UnitWords } from './words.js';

export type { EngineInput } from './phases/match-document.js';

/**
 * Tag every unit of a document: one passage per unit, in order, with its function, categories and root causes and
 * the evidence behind each. The phases, each in its own module: match (rule hits per unit, document and heading cues)
 * → own evidence (tallies per label) → function (hand-set priors; then, when the ruleset has a fitted function model,
 * the model over the unit's features and those decisions) → categories → root causes → topic continuity (units
 * without a category of their own continue their paragraph's, section's or title's area); every number comes from the
 * ruleset's `scoring.yaml` and `function-model.json`. Pure and synchronous; facts are added by the caller.
 */
export function tagPassages(ruleset: RuleSet, input: EngineInput): Passage[] {
  const { source, units } = input;
  // Token objects (the rule tester's) become columns once, for the boundaries and the units' words alike.
  const tokens = toTokenColumns(input.tokens);
  const doc = matchDocument(ruleset, tokens === input.tokens ? input : { ...input, tokens });
  const ancestors = resolveAncestors(units);
  const model = ruleset.functionModel;
  const wantFeatures = model !== undefined || input.features !== undefined;
  const evidence = units.map((unit, ui) => collectUnitEvidence(ruleset, unit, doc.perUnit[ui]!));
  // Features are read from the units' own evidence, before the hand-set phase adds its priors to the tallies.
  const words: UnitWords[] = wantFeatures ? wordsOfUnits(tokens, units) : [];
  // With a model and no one asking for the feature Maps, each unit's features go straight to the model's scorer, which
  // keeps only the features the model weighs.
  const compiled = model && !input.features ? compileFunctionModel(model) : undefined;
  // Each unit's cue and structural features, listed for their conjunctions (addCueConjunctions).
  const conjoined: string[][] = wantFeatures ? units.map(() => []) : [];
  const sinks: FeatureSink[] = wantFeatures
    ? units.map((unit, ui) =>
        functionFeatures(ruleset, doc, unit, ui, evidence[ui]!, ancestors[ui]!, input.normalized, words[ui]!, compiled ? new ModelScorer(compiled) : new Map<string, number>(), conjoined[ui]),
      )
    : [];
  const hand = units.map((_, ui) => decideFunction(ruleset, source, doc, ui, evidence[ui]!, ancestors[ui]!));
  let decisions: FunctionDecision[] = hand;
  if (wantFeatures) {
    addDecisionFeatures(sinks, units, hand, conjoined);
    addCueConjunctions(sinks, conjoined);
    const scorers = compiled ? (sinks as ModelScorer[]) : [];
    if (!compiled) {
      const features = sinks as FeatureVector[];
      input.features?.push(...features);
      if (model) {
        const m = compileFunctionModel(model);
        for (const x of features) scorers.push(ModelScorer.of(m, x));
      }
    }
    if (model) decisions = units.map((_, ui) => decideFunctionByModel(ruleset, source, doc, units[ui]!, evidence[ui]!, ancestors[ui]!, scorers[ui]!, words[ui]!));
  }
  const functionOf = input.functionOf;
  if (functionOf) {
    decisions = decisions.map((d, ui) => {
      const f = functionOf(units[ui]!, ui);
      return f === undefined || f === d.function ? d : { ...d, function: f };
    });
  }
  const categoryModel = ruleset.categoryModel;
  const wantCandidates = categoryModel !== undefined || input.categorySamples !== undefined;
  for (let ui = 0; ui < units.length; ui++) applyCategoryPriors(ruleset, doc, evidence[ui]!, ancestors[ui]!);
  // Every unit's candidate categories, then their neighbours' areas as the hand-set thresholds see them (never the
  // model's own decisions, so that a refit does not depend on the model in place).
  // With a model and no one asking for the samples, each candidate's features go straight to the compiled model's scorer.
  const compiledCategories = categoryModel && !input.categorySamples ? compileCategoryModel(ruleset) : undefined;
  const candidatesOf: CategoryCandidate<FeatureSink>[][] = wantCandidates
    ? units.map((_, ui) => (compiledCategories ? categoryCandidates(ruleset, evidence[ui]!, decisions[ui]!.function, compiledCategories) : categoryCandidates(ruleset, evidence[ui]!, decisions[ui]!.function)))
    : [];
  if (wantCandidates) addNeighbourFeatures(candidatesOf);
  // Units whose candidate categories the category model all turned down: they name no area, so no topic either.
  const silenced = new Set<number>();
  const passages = units.map((unit, ui): Passage => {
    const fn = decisions[ui]!;
    const ev = evidence[ui]!;
    const candidates = candidatesOf[ui] ?? [];
    if (input.categorySamples) for (const c of candidates as CategoryCandidate[]) input.categorySamples.push({ unit: ui, ...c });
    const categories = categoryModel
      ? decideCategoriesByModel(ruleset, source, ev, fn.function, categoryModel, candidates)
      : categoryLabels(ruleset, source, ev, fn.function, categoryThreshold(ruleset, fn.function));
    if (categoryModel && candidates.length > 0 && categories.length === 0) silenced.add(ui);
    return {
      id: unit.id,
      start: unit.start,
      end: unit.end,
      text: unit.text,
      headingPath: unit.headingPath,
      function: fn.function,
      functionScores: fn.scores,
      functionEvidence: fn.evidence,
      categories,
      rootCauses: decideRootCauses(ruleset, source, doc, evidence[ui]!, ancestors[ui]!, fn.function),
      facts: [],
    };
  });
  applyTopicContinuity(ruleset, source, units, evidence, passages, ancestors, silenced);
  return passages;
}
