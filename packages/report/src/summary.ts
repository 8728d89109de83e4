import type { CategoryId, FunctionId, Passage, ReportSummary, RootCauseId } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import { aggregateFacts } from './fact-totals.js';

/** Fact totals per category, as computed by {@link aggregateFacts}. */
export type FactTotals = ReportSummary['facts'];

/** Counts over passages: per function, category, subcategory and root cause, and the top evidence phrases (only the passages' own words; heading priors are not counted again). */
export function summarizePassages(passages: readonly Passage[], factTotals: FactTotals = aggregateFacts(passages), keywordLimit = 20): ReportSummary {
  const functions = Object.fromEntries(FUNCTION_IDS.map((f) => [f, 0])) as Record<FunctionId, number>;
  const categories = Object.fromEntries(CATEGORY_IDS.map((c) => [c, 0])) as Record<CategoryId, number>;
  const rootCauses = Object.fromEntries(ROOT_CAUSE_IDS.map((r) => [r, 0])) as Record<RootCauseId, number>;
  const subcategories: Record<string, number> = {};
  const keywords = new Map<string, number>();
  for (const p of passages) {
    functions[p.function]++;
    const seenCat = new Set<CategoryId>();
    for (const c of p.categories) {
      if (!seenCat.has(c.id)) categories[c.id]++;
      seenCat.add(c.id);
      if (c.subcategory) subcategories[c.subcategory] = (subcategories[c.subcategory] ?? 0) + 1;
    }
    for (const r of p.rootCauses) rootCauses[r.id]++;
    countEvidencePhrases(p, keywords);
  }
  const sortedSubs = Object.fromEntries(Object.entries(subcategories).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const top = [...keywords.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, keywordLimit)
    .map(([text, count]) => ({ text, count }));
  return { passages: passages.length, functions, categories, subcategories: sortedSubs, rootCauses, keywords: top, facts: factTotals };
}

/** Count the evidence phrases of a passage's categories and root causes that stand inside the passage itself. */
export function countEvidencePhrases(p: Passage, into: Map<string, number>): void {
  for (const label of [...p.categories, ...p.rootCauses]) {
    for (const e of label.evidence) if (e.start >= p.start && e.end <= p.end) into.set(e.text, (into.get(e.text) ?? 0) + 1);
  }
}
