import type { CategoryId, ErrorEntry, FunctionId, Report, ReportSummary, RootCauseId } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import { countEvidencePhrases } from './summary.js';

/** Running totals over many reports; memory grows with distinct evidence phrases, not with documents. */
export interface CorpusSummary {
  documents: number;
  failed: number;
  passages: number;
  functions: Record<FunctionId, number>;
  categories: Record<CategoryId, number>;
  subcategories: Record<string, number>;
  rootCauses: Record<RootCauseId, number>;
  keywords: Map<string, number>;
  /** Fact totals per category (sums of the documents' own per-category totals). */
  facts: ReportSummary['facts'];
  /** Documents with the most problem passages (at most `topLimit`), most first. */
  topDocuments: { path: string; problems: number; passages: number }[];
  errors: ErrorEntry[];
  topLimit: number;
}

/** An empty corpus summary. */
export function createCorpusSummary(topLimit = 10): CorpusSummary {
  return {
    documents: 0,
    failed: 0,
    passages: 0,
    functions: Object.fromEntries(FUNCTION_IDS.map((f) => [f, 0])) as Record<FunctionId, number>,
    categories: Object.fromEntries(CATEGORY_IDS.map((c) => [c, 0])) as Record<CategoryId, number>,
    subcategories: {},
    rootCauses: Object.fromEntries(ROOT_CAUSE_IDS.map((r) => [r, 0])) as Record<RootCauseId, number>,
    keywords: new Map(),
    facts: Object.fromEntries([...CATEGORY_IDS, 'none'].map((c) => [c, { amount: 0, people: 0, cases: 0 }])) as ReportSummary['facts'],
    topDocuments: [],
    errors: [],
    topLimit,
  };
}

/** Add one report's counts to a corpus summary (the report itself is not kept). */
export function addReportToSummary(acc: CorpusSummary, report: Report): void {
  const s = report.summary;
  acc.documents++;
  acc.passages += s.passages;
  for (const f of FUNCTION_IDS) acc.functions[f] += s.functions[f];
  for (const c of CATEGORY_IDS) acc.categories[c] += s.categories[c];
  for (const r of ROOT_CAUSE_IDS) acc.rootCauses[r] += s.rootCauses[r];
  for (const [k, v] of Object.entries(s.subcategories)) acc.subcategories[k] = (acc.subcategories[k] ?? 0) + v;
  for (const p of report.passages) countEvidencePhrases(p, acc.keywords);
  for (const [k, v] of Object.entries(s.facts) as [keyof ReportSummary['facts'], { amount: number; people: number; cases: number }][]) {
    // To the cent, as each report's own totals are (aggregateFacts): 0.1 + 0.2 yuan printed as 0.30000000000000004元.
    acc.facts[k].amount = Math.round((acc.facts[k].amount + v.amount) * 100) / 100;
    acc.facts[k].people += v.people;
    acc.facts[k].cases += v.cases;
  }
  const entry = { path: report.source.path ?? '-', problems: s.functions.problem, passages: s.passages };
  acc.topDocuments.push(entry);
  acc.topDocuments.sort((a, b) => b.problems - a.problems || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (acc.topDocuments.length > acc.topLimit) acc.topDocuments.length = acc.topLimit;
}

/** Record an input that failed. */
export function addErrorToSummary(acc: CorpusSummary, entry: ErrorEntry): void {
  acc.failed++;
  acc.errors.push(entry);
}
