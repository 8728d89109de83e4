import type { Evidence, FunctionId, Unit } from '@xunshi/types';
import type { FunctionModel, RuleSet } from '@xunshi/rules';
import { sortSmall, type RuleHit } from '../match.js';
import { MODEL_FUNCTIONS, type CompiledFeature, type CompiledFunctionModel, type ModelScorer } from './function-model.js';
import type { MatchedDocument } from './match-document.js';
import type { Ancestor } from './outline.js';
import { round, tallyOf, toEvidence } from './tally.js';
import type { UnitEvidence } from './unit-evidence.js';
import type { UnitWords } from '../words.js';

/** The function phase's decision for one unit. */
export interface FunctionDecision {
  function: FunctionId;
  scores: Record<FunctionId, number>;
  evidence: Evidence[];
}

/**
 * Function phase, hand-set part (the whole phase when the ruleset has no fitted model; otherwise its scores are
 * features of the model, see {@link decideFunctionByModel}). Priors first: a heading (or short enumerated title) takes the function its own cues announce, which
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
    scores: { problem: round(fscore('problem')), cause: round(fscore('cause')), measure: round(fscore('measure')), context: round(fscore('context')) },
    evidence: toEvidence(source, rules, fn.get(best)?.hits ?? []),
  };
}

/** A compiled model's features the decision looks up, by rule index and by function index (built once per ruleset and model). */
interface DecisionFeatures {
  model: CompiledFunctionModel;
  /** `rule:ID` of each rule of the ruleset. */
  rule: (CompiledFeature | undefined)[];
  /** `heading:F`, `section:F` and `doc:F`, by function in {@link MODEL_FUNCTIONS} order. */
  heading: (CompiledFeature | undefined)[];
  section: (CompiledFeature | undefined)[];
  doc: (CompiledFeature | undefined)[];
}

const decisionFeatureCache = new WeakMap<RuleSet, DecisionFeatures>();

function decisionFeatures(ruleset: RuleSet, model: CompiledFunctionModel): DecisionFeatures {
  let out = decisionFeatureCache.get(ruleset);
  if (!out || out.model !== model) {
    const of = (prefix: string): (CompiledFeature | undefined)[] => MODEL_FUNCTIONS.map((f) => model.byName.get(`${prefix}:${f}`));
    out = { model, rule: ruleset.rules.map((r) => model.byName.get(`rule:${r.id}`)), heading: of('heading'), section: of('section'), doc: of('doc') };
    decisionFeatureCache.set(ruleset, out);
  }
  return out;
}

/** The functions that win over `context` only with a higher score, in the order they are tried. */
const CONTENDERS: readonly FunctionId[] = ['problem', 'cause', 'measure'];

/** How many segmenter words at most a model decision cites as evidence. */
const MODEL_WORD_EVIDENCE = 3;

/**
 * Function phase, fitted part: linear scores over the unit's features ({@link functionFeatures}), the function with the
 * highest score wins; the reported scores are the model's probabilities. The evidence is what supports the decision
 * (a feature supports it when its weight for the chosen function exceeds its weight for every other): the hits of
 * supporting rule, heading and document cues; the strongest supporting words, cited as `function-model:word`; and,
 * when nothing with a span of its own supports it, the strongest supporting feature cited on the whole unit as
 * `function-model:FEATURE` (e.g. `function-model:prev:problem`).
 */
export function decideFunctionByModel(ruleset: RuleSet, source: string, doc: MatchedDocument, unit: Unit, ev: UnitEvidence, ancestors: readonly Ancestor[], x: ModelScorer, words: UnitWords): FunctionDecision {
  const { rules } = ruleset;
  const ui = unit.index;
  const compiled = x.model;
  const scores = x.scores();
  let best: FunctionId = 'context';
  for (const f of CONTENDERS) if (scores[f] > scores[best]) best = f;
  const bi = MODEL_FUNCTIONS.indexOf(best);
  const known = decisionFeatures(ruleset, compiled);
  const supports = (feature: CompiledFeature | undefined): boolean => (feature?.margin[bi] ?? 0) > 0;
  const hits: RuleHit[] = [];
  for (const tally of ev.fn.values()) for (const hit of tally.hits) if (supports(known.rule[hit.rule])) hits.push(hit);
  if (ev.headingLike && supports(known.heading[bi])) for (const hit of doc.headingCues[ui]!.cues) if (rules[hit.rule]!.target.function === best) hits.push(hit);
  if (ancestors.length && supports(known.section[bi])) {
    for (const { unit: hi } of ancestors) {
      const cues = doc.headingCues[hi]!.cues.filter((h) => rules[h.rule]!.target.function === best);
      if (cues.length) {
        hits.push(...cues);
        break;
      }
    }
  }
  if (doc.documentHits.length && supports(known.doc[bi])) for (const hit of doc.documentHits) if (rules[hit.rule]!.target.function === best) hits.push(hit);
  const evidence = toEvidence(source, rules, hits);
  // The strongest supporting words (a word feature is present for every word of two or more characters).
  // The first MODEL_WORD_EVIDENCE by margin (descending), then by start: the words come by start, so a word goes in
  // after those of an equal margin.
  const wordEvidence: { start: number; end: number; m: number }[] = [];
  // The scorer looked every word up already when it scored the unit's words.
  const ids = x.wordTokens === words ? x.wordIds : undefined;
  const { wordFeature, margins } = compiled;
  for (let i = 0; i < words.length; i++) {
    const start = words.start(i);
    const end = words.end(i);
    if (end - start < 2) continue;
    let m: number;
    if (ids) {
      const id = ids[words.from + i]!;
      const f = id < 0 ? -1 : wordFeature[id]!;
      m = f < 0 ? 0 : margins[f * 4 + bi]!;
    } else m = compiled.vocab.get(words.text(i))?.word?.margin[bi] ?? 0;
    if (!(m > 0)) continue;
    let j = wordEvidence.length;
    while (j > 0 && wordEvidence[j - 1]!.m < m) j--;
    if (j >= MODEL_WORD_EVIDENCE) continue;
    wordEvidence.splice(j, 0, { start, end, m });
    if (wordEvidence.length > MODEL_WORD_EVIDENCE) wordEvidence.pop();
  }
  for (const t of wordEvidence) evidence.push({ rule: 'function-model:word', start: t.start, end: t.end, text: source.slice(t.start, t.end) });
  if (evidence.length === 0) {
    let top: { feature: string; m: number } | undefined;
    for (let i = 0; i < x.features.length; i++) {
      const feature = x.features[i]!.name;
      const m = x.features[i]!.margin[bi]! * x.values[i]!;
      if (m > 0 && (!top || m > top.m || (m === top.m && feature < top.feature))) top = { feature, m };
    }
    if (top) evidence.push({ rule: `function-model:${top.feature}`, start: unit.start, end: unit.end, text: source.slice(unit.start, unit.end) });
  }
  sortSmall(evidence, (a, b) => a.start - b.start || a.end - b.end || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  // Softmax, as `softmax` computes it (the same operations in the same order), rounded.
  const max = Math.max(scores.problem, scores.cause, scores.measure, scores.context);
  const ep = Math.exp(scores.problem - max);
  const ec = Math.exp(scores.cause - max);
  const em = Math.exp(scores.measure - max);
  const ek = Math.exp(scores.context - max);
  const z = 0 + ep + ec + em + ek;
  return {
    function: best,
    scores: { problem: round(ep / z), cause: round(ec / z), measure: round(em / z), context: round(ek / z) },
    evidence,
  };
}
