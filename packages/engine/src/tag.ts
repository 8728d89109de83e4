import type { CategoryId, CategoryLabel, Evidence, FunctionId, Passage, RootCauseId, RootCauseLabel, Token, Unit } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import type { CompiledRule, RuleSet } from '@xunshi/rules';
import { collectBoundaries, matchRange, type RuleHit, type UnitHits } from './match.js';

/** The document as the engine sees it: source text, its same-length matching copy, units and tokens. */
export interface EngineInput {
  source: string;
  /** Matching copy of `source` (same length; simplified, half-width). */
  normalized: string;
  units: readonly Unit[];
  tokens: readonly Token[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
/** Map a raw additive score to (0, 1). */
const squash = (x: number): number => round(1 - Math.exp(-x));

function evidenceOf(source: string, rules: readonly CompiledRule[], hit: RuleHit): Evidence {
  return { rule: rules[hit.rule]!.id, start: hit.start, end: hit.end, text: source.slice(hit.start, hit.end) };
}

function addScore<K>(map: Map<K, { score: number; hits: RuleHit[] }>, key: K, w: number, hit?: RuleHit): void {
  let e = map.get(key);
  if (!e) map.set(key, (e = { score: 0, hits: [] }));
  e.score += w;
  if (hit) e.hits.push(hit);
}

/**
 * Tag every unit of a document: one passage per unit, in order, with its function, categories and root causes and
 * the evidence behind each. Pure and synchronous; facts are added by the caller.
 */
export function tagPassages(ruleset: RuleSet, input: EngineInput): Passage[] {
  const { rules, scoring } = ruleset;
  const { source, normalized, units } = input;
  const boundaries = collectBoundaries(input.tokens);
  // One automaton pass over the whole document, then hits are bucketed by unit.
  const allHits = ruleset.automaton.search(normalized);
  allHits.sort((a, b) => a.start - b.start || a.end - b.end || a.term - b.term);
  const perUnit: UnitHits[] = [];
  let cursor = 0;
  for (const unit of units) {
    while (cursor < allHits.length && allHits[cursor]!.start < unit.start) cursor++;
    const mine = [];
    for (let k = cursor; k < allHits.length && allHits[k]!.start < unit.end; k++) if (allHits[k]!.end <= unit.end) mine.push(allHits[k]!);
    perUnit.push(matchRange(ruleset, normalized, unit, boundaries, mine));
  }
  const lastHeadingByText = new Map<string, number>();
  const decay = scoring.heading.decay ?? 0.7;
  const passages: Passage[] = [];
  units.forEach((unit, ui) => {
    const hits = perUnit[ui]!;
    const fn = new Map<FunctionId, { score: number; hits: RuleHit[] }>();
    const cat = new Map<string, { score: number; hits: RuleHit[] }>();
    const rc = new Map<RootCauseId, { score: number; hits: RuleHit[] }>();
    for (const hit of hits.label) {
      const rule = rules[hit.rule]!;
      const t = rule.target;
      if (t.function) addScore(fn, t.function, rule.weight, hit);
      if (t.category) addScore(cat, t.category.subcategory ?? t.category.id, rule.weight, hit);
      if (t.rootCause) addScore(rc, t.rootCause, rule.weight, hit);
    }
    const ownFunctionEvidence = fn.size > 0;
    const categoryTotals = new Map<CategoryId, number>();
    for (const [key, v] of cat) {
      const id = key.split('.')[0] as CategoryId;
      categoryTotals.set(id, (categoryTotals.get(id) ?? 0) + v.score);
    }
    // Heading priors: heading rules that fired in the enclosing headings, nearest first, decaying with distance.
    const priorHits: RuleHit[] = [];
    unit.headingPath
      .slice()
      .reverse()
      .forEach((text, depth) => {
        const hi = lastHeadingByText.get(text);
        if (hi === undefined) return;
        for (const hit of perUnit[hi]!.heading) {
          const rule = rules[hit.rule]!;
          const w = rule.weight * decay ** depth;
          if (rule.target.function && (ownFunctionEvidence || categoryTotals.size > 0)) {
            addScore(fn, rule.target.function, w * scoring.heading.functionPrior, hit);
            priorHits.push(hit);
          }
          // A heading names the area; it only strengthens categories the unit's own words already point at.
          if (rule.target.category && categoryTotals.has(rule.target.category.id)) {
            const key = rule.target.category.id;
            categoryTotals.set(key, categoryTotals.get(key)! + w * scoring.heading.categoryPrior);
            addScore(cat, rule.target.category.subcategory ?? key, w * scoring.heading.categoryPrior, hit);
          }
          if (rule.target.rootCause && rc.has(rule.target.rootCause)) addScore(rc, rule.target.rootCause, w * scoring.heading.categoryPrior, hit);
        }
      });
    if (unit.isHeading) lastHeadingByText.set(unit.text, ui);

    // Function: the best-scoring cue family above the threshold; otherwise context.
    const fscore = (f: FunctionId): number => fn.get(f)?.score ?? 0;
    let best: FunctionId = 'context';
    let bestScore = 0;
    for (const f of ['cause', 'measure', 'problem'] as FunctionId[]) {
      if (fscore(f) > bestScore) {
        best = f;
        bestScore = fscore(f);
      }
    }
    if (fscore('context') >= bestScore && fscore('context') > 0) best = 'context';
    else if (bestScore < scoring.function.threshold) best = 'context';
    const functionScores = Object.fromEntries(FUNCTION_IDS.map((f) => [f, round(fscore(f))])) as Record<FunctionId, number>;
    const functionEvidence = (fn.get(best)?.hits ?? []).map((h) => evidenceOf(source, rules, h));

    // Categories: a category passes on its total; it is reported once per subcategory that has evidence of its own.
    const categories: CategoryLabel[] = [];
    const keepAt = best === 'context' ? Math.max(scoring.category.threshold, scoring.category.contextKeeps ?? Infinity) : scoring.category.threshold;
    for (const id of CATEGORY_IDS) {
      const total = categoryTotals.get(id) ?? 0;
      if (total < keepAt) continue;
      const subs = [...cat.entries()].filter(([k]) => k.startsWith(id + '.')).sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1));
      const areaHits = cat.get(id)?.hits ?? [];
      if (subs.length === 0) {
        categories.push({ id, subcategory: null, score: squash(total), evidence: areaHits.map((h) => evidenceOf(source, rules, h)) });
        continue;
      }
      const top = subs[0]![1].score;
      for (const [sub, v] of subs) {
        if (v.score < Math.max(scoring.category.threshold * 0.5, top * 0.5) && sub !== subs[0]![0]) continue;
        const ev = [...v.hits, ...(sub === subs[0]![0] ? areaHits : [])].sort((a, b) => a.start - b.start || a.end - b.end || a.rule - b.rule);
        categories.push({ id, subcategory: sub, score: squash(v.score + (sub === subs[0]![0] ? (cat.get(id)?.score ?? 0) : 0)), evidence: dedupe(ev).map((h) => evidenceOf(source, rules, h)) });
      }
    }
    const rootCauses: RootCauseLabel[] = [];
    const rcKeep = best === 'context' ? Math.max(scoring.rootCause.threshold, scoring.rootCause.contextKeeps ?? Infinity) : scoring.rootCause.threshold;
    for (const id of ROOT_CAUSE_IDS) {
      const v = rc.get(id);
      if (!v || v.score < rcKeep) continue;
      rootCauses.push({ id, score: squash(v.score), evidence: dedupe(v.hits).map((h) => evidenceOf(source, rules, h)) });
    }
    passages.push({
      id: unit.id,
      start: unit.start,
      end: unit.end,
      text: unit.text,
      headingPath: unit.headingPath,
      function: best,
      functionScores,
      functionEvidence: dedupe(fn.get(best)?.hits ?? []).map((h) => evidenceOf(source, rules, h)),
      categories,
      rootCauses,
      facts: [],
    });
    void functionEvidence;
    void priorHits;
  });
  return passages;
}

function dedupe(hits: RuleHit[]): RuleHit[] {
  const seen = new Set<string>();
  const out: RuleHit[] = [];
  for (const h of hits) {
    const k = `${h.rule}:${h.start}:${h.end}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(h);
  }
  return out;
}
