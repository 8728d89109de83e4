import type { CategoryLabel, Evidence, FunctionId, Passage, RootCauseLabel, Unit } from '@xunshi/types';
import type { RuleSet } from '@xunshi/rules';
import { round } from './tally.js';
import type { Ancestor } from './outline.js';

/** Where a unit's topic comes from: the unit (heading or paragraph opener) whose labels it continues. */
function topicSource(ruleset: RuleSet, units: readonly Unit[], passages: readonly Passage[], ui: number, ancestors: readonly Ancestor[]): number | undefined {
  const { topic } = ruleset.scoring;
  const names = (i: number): boolean => new Set(passages[i]!.categories.map((c) => c.id)).size === 1;
  if (topic.fromParagraph) {
    // The opening sentence of the unit's paragraph (一是热衷搞小圈子，…), when it names one area and is not the unit.
    let first = ui;
    while (first > 0 && units[first - 1]!.block === units[ui]!.block) first--;
    if (first !== ui && !units[first]!.isHeading && names(first)) return first;
  }
  if (topic.fromHeading) {
    const nearest = ancestors[0];
    if (nearest && nearest.depth === 0 && names(nearest.unit)) return nearest.unit;
  }
  return undefined;
}

const cite = (evidence: readonly Evidence[]): Evidence[] => evidence.map((e) => ({ ...e, rule: `topic:${e.rule}` }));

/**
 * Topic phase (taxonomy.md, "Topic continuity"): a problem or cause unit with no category of its own that goes on with
 * the topic of its paragraph's opening sentence or of its section heading, when that names exactly one area, takes the
 * area's category (and, if it has none of its own, the topic's root causes), scaled by `topic.scoreShare` and citing
 * the opening sentence's or heading's evidence as `topic:RULE`. Runs after every unit has its own labels, in order, so
 * a topic never comes from a unit that itself inherited it.
 */
export function applyTopicContinuity(ruleset: RuleSet, units: readonly Unit[], passages: Passage[], ancestors: readonly Ancestor[][]): void {
  const { topic } = ruleset.scoring;
  const functions = new Set<FunctionId>(topic.functions);
  const own = passages.map((p) => ({ categories: p.categories, rootCauses: p.rootCauses }));
  const view = passages.map((p, i) => ({ ...p, categories: own[i]!.categories, rootCauses: own[i]!.rootCauses }));
  passages.forEach((p, ui) => {
    if (!functions.has(p.function) || p.categories.length > 0) return;
    const from = topicSource(ruleset, units, view, ui, ancestors[ui]!);
    if (from === undefined) return;
    const src = own[from]!;
    p.categories = src.categories.map((c): CategoryLabel => ({ id: c.id, subcategory: c.subcategory, score: round(c.score * topic.scoreShare), evidence: cite(c.evidence) }));
    if (p.rootCauses.length === 0) p.rootCauses = src.rootCauses.map((r): RootCauseLabel => ({ id: r.id, score: round(r.score * topic.scoreShare), evidence: cite(r.evidence) }));
  });
}
