import type { CategoryId, FunctionId, Passage, ReportSummary, RootCauseId } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS, textAsRead } from '@xunshi/types';
import { aggregateFacts } from './fact-totals.js';

/** Fact totals per category, as computed by {@link aggregateFacts}. */
export type FactTotals = ReportSummary['facts'];

/** Counts over passages: per function, category, subcategory and root cause, and the top evidence phrases (only the passages' own words; heading priors are not counted again). */
export function summarizePassages(passages: readonly Passage[], factTotals: FactTotals = aggregateFacts(passages), keywordLimit = 20): ReportSummary {
  // Counted by index into the id lists (no keyed writes to the result objects, no Set per passage); the objects are
  // built at the end with their keys in the lists' order.
  const fnCounts = new Array<number>(FUNCTION_IDS.length).fill(0);
  const catCounts = new Array<number>(CATEGORY_IDS.length).fill(0);
  const rcCounts = new Array<number>(ROOT_CAUSE_IDS.length).fill(0);
  const subcategories: Record<string, number> = {};
  const keywords = new Map<string, number>();
  for (const p of passages) {
    fnCounts[FUNCTION_IDS.indexOf(p.function)]!++;
    const cats = p.categories;
    for (let i = 0; i < cats.length; i++) {
      const c = cats[i]!;
      let seen = false;
      for (let j = 0; j < i && !seen; j++) seen = cats[j]!.id === c.id;
      if (!seen) catCounts[CATEGORY_IDS.indexOf(c.id)]!++;
      if (c.subcategory) subcategories[c.subcategory] = (subcategories[c.subcategory] ?? 0) + 1;
    }
    for (const r of p.rootCauses) rcCounts[ROOT_CAUSE_IDS.indexOf(r.id)]!++;
    countEvidencePhrases(p, keywords);
  }
  const functions = Object.fromEntries(FUNCTION_IDS.map((f, i) => [f, fnCounts[i]!])) as Record<FunctionId, number>;
  const categories = Object.fromEntries(CATEGORY_IDS.map((c, i) => [c, catCounts[i]!])) as Record<CategoryId, number>;
  const rootCauses = Object.fromEntries(ROOT_CAUSE_IDS.map((r, i) => [r, rcCounts[i]!])) as Record<RootCauseId, number>;
  const sortedSubs = Object.fromEntries(Object.entries(subcategories).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  const top = [...keywords.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, keywordLimit)
    .map(([text, count]) => ({ text, count }));
  return { passages: passages.length, functions, categories, subcategories: sortedSubs, rootCauses, keywords: top, facts: factTotals };
}

/** Count the evidence phrases of a passage's categories and root causes that stand inside the passage itself. */
export function countEvidencePhrases(p: Passage, into: Map<string, number>): void {
  const count = (label: { evidence: readonly { start: number; end: number; text: string }[] }): void => {
    for (const e of label.evidence) {
      if (e.start < p.start || e.end > p.end) continue;
      // A report's evidence keeps the source's glosses and invisible characters: the phrase is the words as read.
      const phrase = textAsRead(e.text);
      into.set(phrase, (into.get(phrase) ?? 0) + 1);
    }
  };
  for (const label of p.categories) count(label);
  for (const label of p.rootCauses) count(label);
}
