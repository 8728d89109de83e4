import type { CategoryId, CategoryLabel, Diagnostic, Evidence, FunctionId, Passage, RootCauseId, RootCauseLabel, Token, Unit } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import type { CompiledRule, RuleSet } from '@xunshi/rules';
import { collectBoundaries, compareHits, matchRange, type RuleHit, type UnitHits } from './match.js';

/** The document as the engine sees it: source text, its same-length matching copy, units and tokens. */
export interface EngineInput {
  source: string;
  /** Matching copy of `source` (same length; simplified, half-width). */
  normalized: string;
  units: readonly Unit[];
  tokens: readonly Token[];
  /** When given, document-level findings (such as an absence rule firing) are appended here. */
  diagnostics?: Diagnostic[];
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
/** Map a raw additive score to (0, 1). */
const squash = (x: number): number => round(1 - Math.exp(-x));

/** Evidence and score collected for one label of one unit. */
class Tally {
  score = 0;
  hits: RuleHit[] = [];
  private readonly perRule = new Map<number, number>();

  /** Add a hit; a rule counts at most `cap` times, further hits are kept as evidence only. */
  add(hit: RuleHit, weight: number, cap: number): void {
    const n = this.perRule.get(hit.rule) ?? 0;
    if (n < cap) this.score += weight;
    this.perRule.set(hit.rule, n + 1);
    this.hits.push(hit);
  }

  /** Add a prior (from a heading or the document lead); it carries its evidence too. */
  addPrior(hit: RuleHit, weight: number): void {
    this.score += weight;
    this.hits.push(hit);
  }
}

/** The evidence a category needs in a unit of the given function (context units need much more: they name no finding). */
function categoryThreshold(scoring: RuleSet['scoring'], fn: FunctionId): number {
  if (fn === 'context') return Math.max(scoring.category.threshold, scoring.category.contextKeeps ?? Infinity);
  return scoring.category.byFunction?.[fn] ?? scoring.category.threshold;
}

function tallyOf<K>(map: Map<K, Tally>, key: K): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = new Tally()));
  return t;
}

function toEvidence(source: string, rules: readonly CompiledRule[], hits: readonly RuleHit[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const h of [...hits].sort(compareHits)) {
    const key = `${h.rule}:${h.start}:${h.end}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ rule: rules[h.rule]!.id, start: h.start, end: h.end, text: source.slice(h.start, h.end) });
  }
  return out;
}

/**
 * Tag every unit of a document: one passage per unit, in order, with its function, categories and root causes and
 * the evidence behind each. Scores are sums of rule weights (each rule counted a bounded number of times per unit),
 * plus priors from enclosing headings and from the document's lead, which only ever strengthen what the unit's own
 * words already show. Pure and synchronous; facts are added by the caller.
 */
export function tagPassages(ruleset: RuleSet, input: EngineInput): Passage[] {
  const { rules, scoring } = ruleset;
  const { source, normalized, units } = input;
  const boundaries = collectBoundaries(input.tokens);
  const caps = { function: scoring.perRuleCap?.function ?? 1, category: scoring.perRuleCap?.category ?? 2, rootCause: scoring.perRuleCap?.rootCause ?? 2 };
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
  // Document priors: a document is of one kind, so only the strongest document rule that fires in the lead counts
  // (a rectification report also mentions the feedback it answers), once.
  const leadHits = perUnit.slice(0, scoring.document.leadUnits).flatMap((u) => u.document).filter((h) => !rules[h.rule]!.absent);
  // An `absent` document rule fires when none of its terms occurs anywhere (e.g. a text with no inspection vocabulary).
  const seenAnywhere = new Set(perUnit.flatMap((u) => u.document.map((h) => h.rule)));
  const absentRules = rules.map((r, i) => (r.kind === 'document' && r.absent && !seenAnywhere.has(i) ? i : -1)).filter((i) => i >= 0);
  for (const ri of absentRules) {
    input.diagnostics?.push({ code: 'XUNSHI_DOCUMENT_KIND', message: `${rules[ri]!.id}: ${rules[ri]!.description ?? 'document rule fired by absence'}` });
  }
  const topWeight = Math.max(0, ...leadHits.map((h) => rules[h.rule]!.weight));
  const documentHits: RuleHit[] = [];
  for (const h of leadHits) {
    if (rules[h.rule]!.weight === topWeight && !documentHits.some((d) => d.rule === h.rule)) documentHits.push(h);
  }
  // Each unit's heading cues, one hit per rule (a heading that repeats a term announces it once), and how many
  // functions they announce: a heading that announces several (表现、根源与治理) is an overview and gives no function prior.
  const headingCues = perUnit.map((u) => {
    const seen = new Set<number>();
    const cues = u.heading.filter((h) => (seen.has(h.rule) ? false : (seen.add(h.rule), true)));
    return { cues, functions: new Set(cues.flatMap((h) => rules[h.rule]!.target.function ?? [])).size };
  });
  const lastHeadingByText = new Map<string, number>();
  const decay = scoring.heading.decay ?? 0.7;
  const subheadingPrior = scoring.heading.subheadingPrior ?? scoring.heading.functionPrior;
  const passages: Passage[] = [];
  units.forEach((unit, ui) => {
    const hits = perUnit[ui]!;
    const fn = new Map<FunctionId, Tally>();
    const cat = new Map<string, Tally>();
    const rc = new Map<RootCauseId, Tally>();
    for (const hit of hits.label) {
      const rule = rules[hit.rule]!;
      const t = rule.target;
      if (t.function) tallyOf(fn, t.function).add(hit, rule.weight, caps.function);
      if (t.category) tallyOf(cat, t.category.subcategory ?? t.category.id).add(hit, rule.weight, caps.category);
      if (t.rootCause) tallyOf(rc, t.rootCause).add(hit, rule.weight, caps.rootCause);
    }
    const categoryTotals = new Map<CategoryId, number>();
    for (const [key, v] of cat) {
      const id = key.split('.')[0] as CategoryId;
      categoryTotals.set(id, (categoryTotals.get(id) ?? 0) + v.score);
    }
    const hasOwnEvidence = fn.size > 0 || categoryTotals.size > 0 || rc.size > 0;
    // A short enumerated item (其一，“选择性整改”。 / 1. 思想根源：…) names a point of its section, like a sub-heading.
    const headingLike = unit.isHeading || (unit.enumeration !== undefined && unit.text.length <= (scoring.heading.enumeratedTitleMax ?? 0));
    // Heading priors: heading rules that fired in the enclosing headings, nearest first, decaying with distance.
    // A heading takes the function of what it announces (深层问题产生的根源剖析 is a cause): its own heading cues count for
    // itself, and then outrank whatever the headings above it announce.
    let ownAnnouncement = false;
    if (headingLike) {
      for (const hit of headingCues[ui]!.cues) {
        const rule = rules[hit.rule]!;
        if (!rule.target.function) continue;
        tallyOf(fn, rule.target.function).addPrior(hit, rule.weight * subheadingPrior);
        ownAnnouncement = true;
      }
    }
    const path = unit.headingPath;
    for (let depth = 0; depth < path.length; depth++) {
      const hi = lastHeadingByText.get(path[path.length - 1 - depth]!);
      if (hi === undefined) continue;
      const { cues, functions } = headingCues[hi]!;
      // Body units need a function cue of their own; a sub-heading may take its section's function from its area words.
      const takesFunction = !ownAnnouncement && functions === 1 && (headingLike ? hasOwnEvidence : fn.size > 0);
      for (const hit of cues) {
        const rule = rules[hit.rule]!;
        const w = rule.weight * decay ** depth;
        const t = rule.target;
        if (t.function && takesFunction) tallyOf(fn, t.function).addPrior(hit, w * (headingLike ? subheadingPrior : scoring.heading.functionPrior));
        // A heading names the area; it only strengthens categories the unit's own words already point at.
        if (t.category && categoryTotals.has(t.category.id)) {
          const key = t.category.subcategory ?? t.category.id;
          categoryTotals.set(t.category.id, categoryTotals.get(t.category.id)! + w * scoring.heading.categoryPrior);
          tallyOf(cat, cat.has(key) ? key : [...cat.keys()].find((k) => k.startsWith(t.category!.id))!).addPrior(hit, w * scoring.heading.categoryPrior);
        }
        if (t.rootCause && rc.has(t.rootCause)) tallyOf(rc, t.rootCause).addPrior(hit, w * scoring.heading.categoryPrior);
      }
    }
    if (hasOwnEvidence) {
      for (const hit of documentHits) {
        const rule = rules[hit.rule]!;
        if (rule.target.function) tallyOf(fn, rule.target.function).addPrior(hit, rule.weight * scoring.document.functionPrior);
      }
    }
    // Absence priors have no span of their own; they are reported once as a document diagnostic.
    for (const ri of absentRules) {
      const rule = rules[ri]!;
      if (rule.target.function) tallyOf(fn, rule.target.function).score += rule.weight * scoring.document.functionPrior;
    }
    if (unit.isHeading) lastHeadingByText.set(unit.text, ui);

    // Function: the best-scoring cue family at or above the threshold; otherwise context.
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
    const functionScores = Object.fromEntries(FUNCTION_IDS.map((f) => [f, round(fscore(f))])) as Record<FunctionId, number>;

    // Categories: a category passes on its total; it is reported once per subcategory with enough evidence of its own.
    const categories: CategoryLabel[] = [];
    const keepAt = categoryThreshold(scoring, best);
    for (const id of CATEGORY_IDS) {
      const total = categoryTotals.get(id) ?? 0;
      if (total < keepAt) continue;
      const area = cat.get(id);
      const subs = [...cat.entries()].filter(([k]) => k.startsWith(id + '.')).sort((a, b) => b[1].score - a[1].score || (a[0] < b[0] ? -1 : 1));
      if (subs.length === 0) {
        categories.push({ id, subcategory: null, score: squash(total), evidence: toEvidence(source, rules, area?.hits ?? []) });
        continue;
      }
      const [topKey, top] = subs[0]!;
      for (const [sub, v] of subs) {
        if (sub !== topKey && v.score < Math.max(scoring.category.threshold * 0.5, top.score * 0.5)) continue;
        const withArea = sub === topKey && area ? [...v.hits, ...area.hits] : v.hits;
        categories.push({ id, subcategory: sub, score: squash(v.score + (sub === topKey ? (area?.score ?? 0) : 0)), evidence: toEvidence(source, rules, withArea) });
      }
    }
    const rootCauses: RootCauseLabel[] = [];
    const rcKeep = best === 'context' ? Math.max(scoring.rootCause.threshold, scoring.rootCause.contextKeeps ?? Infinity) : (scoring.rootCause.byFunction?.[best] ?? scoring.rootCause.threshold);
    for (const id of ROOT_CAUSE_IDS) {
      const v = rc.get(id);
      if (!v || v.score < rcKeep) continue;
      rootCauses.push({ id, score: squash(v.score), evidence: toEvidence(source, rules, v.hits) });
    }
    passages.push({
      id: unit.id,
      start: unit.start,
      end: unit.end,
      text: unit.text,
      headingPath: unit.headingPath,
      function: best,
      functionScores,
      functionEvidence: toEvidence(source, rules, fn.get(best)?.hits ?? []),
      categories,
      rootCauses,
      facts: [],
    });
  });
  return passages;
}
