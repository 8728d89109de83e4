import type { CategoryId, FunctionId, Passage, RootCauseId } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';

/** One unit of a gold file (taxonomy.md "Gold files"). */
export interface GoldUnit {
  i: number;
  start: number;
  end: number;
  text: string;
  function: FunctionId;
  categories: { id: CategoryId; subcategory: string | null }[];
  rootCauses: RootCauseId[];
}

/** A gold file. */
export interface GoldFile {
  /** The text's file name (checked against the text the gold file is paired with). */
  doc: string;
  /** SHA-256 of the text's bytes (hex, or `sha256:` and hex), kept by gold of a text the project does not own. */
  sha256?: string;
  units: GoldUnit[];
}

/** The system's labels for one gold unit: the union over the passages that cover the unit's midpoint. */
export interface SystemLabels {
  function: FunctionId;
  categories: { id: CategoryId; subcategory: string | null }[];
  rootCauses: RootCauseId[];
  rules: string[];
}

/** Counts of one label. */
export interface LabelCounts {
  tp: number;
  fp: number;
  fn: number;
}

/** Running counts of an evaluation (add documents, then compute figures). */
export interface ScoreCounts {
  units: number;
  functionCorrect: number;
  subcategoryTotal: number;
  subcategoryCorrect: number;
  functions: Record<FunctionId, LabelCounts>;
  categories: Record<CategoryId, LabelCounts>;
  rootCauses: Record<RootCauseId, LabelCounts>;
}

/** Precision, recall and F1 of one label. */
export interface LabelFigures {
  precision: number;
  recall: number;
  f1: number;
  /** Gold units with the label (true positives + false negatives). */
  support: number;
  /** Units the system gave the label (true positives + false positives). */
  predicted: number;
}

/** The figures of an evaluation, as the protocol in taxonomy.md defines them. */
export interface ScoreFigures {
  units: number;
  categories: { labels: Record<string, LabelFigures>; micro: LabelFigures; macro: LabelFigures };
  rootCauses: { labels: Record<string, LabelFigures>; micro: LabelFigures; macro: LabelFigures };
  functions: { accuracy: number; labels: Record<string, LabelFigures>; macroF1: number };
  subcategoryAccuracy: number;
  subcategorySupport: number;
}

const zero = (): LabelCounts => ({ tp: 0, fp: 0, fn: 0 });

/** Empty counts. */
export function createScoreCounts(): ScoreCounts {
  return {
    units: 0,
    functionCorrect: 0,
    subcategoryTotal: 0,
    subcategoryCorrect: 0,
    functions: Object.fromEntries(FUNCTION_IDS.map((f) => [f, zero()])) as Record<FunctionId, LabelCounts>,
    categories: Object.fromEntries(CATEGORY_IDS.map((c) => [c, zero()])) as Record<CategoryId, LabelCounts>,
    rootCauses: Object.fromEntries(ROOT_CAUSE_IDS.map((r) => [r, zero()])) as Record<RootCauseId, LabelCounts>,
  };
}

/**
 * The system's labels for a gold unit: the union of the labels of every passage covering the unit's midpoint
 * (`start + floor((end - start) / 2)`). With no covering passage the function is `context` and there are no labels.
 */
export function labelsAt(passages: readonly Pick<Passage, 'start' | 'end' | 'function' | 'categories' | 'rootCauses' | 'functionEvidence'>[], unit: { start: number; end: number }): SystemLabels {
  const mid = unit.start + Math.floor((unit.end - unit.start) / 2);
  const out: SystemLabels = { function: 'context', categories: [], rootCauses: [], rules: [] };
  let found = false;
  for (const p of passages) {
    if (p.start <= mid && mid < p.end) {
      if (!found || p.function !== 'context') out.function = p.function;
      found = true;
      for (const c of p.categories) {
        out.categories.push({ id: c.id, subcategory: c.subcategory });
        for (const e of c.evidence) out.rules.push(e.rule);
      }
      for (const r of p.rootCauses) {
        if (!out.rootCauses.includes(r.id)) out.rootCauses.push(r.id);
        for (const e of r.evidence) out.rules.push(e.rule);
      }
      for (const e of p.functionEvidence) out.rules.push(e.rule);
    }
  }
  out.rules = [...new Set(out.rules)].sort();
  return out;
}

/** Add one unit's comparison to the counts. */
export function addUnitScore(counts: ScoreCounts, gold: GoldUnit, sys: SystemLabels): void {
  counts.units++;
  if (gold.function === sys.function) counts.functionCorrect++;
  for (const f of FUNCTION_IDS) tally(counts.functions[f], gold.function === f, sys.function === f);
  const goldCats = new Set(gold.categories.map((c) => c.id));
  const sysCats = new Set(sys.categories.map((c) => c.id));
  for (const c of CATEGORY_IDS) tally(counts.categories[c], goldCats.has(c), sysCats.has(c));
  for (const r of ROOT_CAUSE_IDS) tally(counts.rootCauses[r], gold.rootCauses.includes(r), sys.rootCauses.includes(r));
  for (const g of gold.categories) {
    if (!sysCats.has(g.id)) continue;
    counts.subcategoryTotal++;
    if (sys.categories.some((c) => c.id === g.id && c.subcategory === g.subcategory)) counts.subcategoryCorrect++;
  }
}

function tally(c: LabelCounts, gold: boolean, sys: boolean): void {
  if (gold && sys) c.tp++;
  else if (sys) c.fp++;
  else if (gold) c.fn++;
}

/** Add `b` into `a`. */
export function mergeScoreCounts(a: ScoreCounts, b: ScoreCounts): void {
  a.units += b.units;
  a.functionCorrect += b.functionCorrect;
  a.subcategoryTotal += b.subcategoryTotal;
  a.subcategoryCorrect += b.subcategoryCorrect;
  for (const group of ['functions', 'categories', 'rootCauses'] as const) {
    for (const [k, v] of Object.entries(b[group])) {
      const t = (a[group] as Record<string, LabelCounts>)[k]!;
      t.tp += v.tp;
      t.fp += v.fp;
      t.fn += v.fn;
    }
  }
}

function figures(c: LabelCounts): LabelFigures {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : c.fn ? 0 : 1;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : c.fp ? 0 : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, support: c.tp + c.fn, predicted: c.tp + c.fp };
}

function group(counts: Record<string, LabelCounts>): { labels: Record<string, LabelFigures>; micro: LabelFigures; macro: LabelFigures } {
  const labels: Record<string, LabelFigures> = {};
  const sum = zero();
  for (const [k, v] of Object.entries(counts)) {
    labels[k] = figures(v);
    sum.tp += v.tp;
    sum.fp += v.fp;
    sum.fn += v.fn;
  }
  // The macro average is over the labels that gold or the system gives (as scikit-learn's default label set): a label
  // that neither gives has no precision or recall to average, and counting it as a perfect 1 would raise the macro
  // figures of every small set (one document, a part without discipline findings) by labels nobody used. With no
  // label given at all, the average is that of the empty set's convention (1, as micro has it; the text says n/a).
  const used = Object.entries(counts).filter(([, v]) => v.tp + v.fp + v.fn > 0).map(([k]) => labels[k]!);
  const vals = used.length ? used : [figures(zero())];
  const avg = (f: (x: LabelFigures) => number): number => vals.reduce((s, x) => s + f(x), 0) / vals.length;
  return {
    labels,
    micro: figures(sum),
    macro: { precision: avg((x) => x.precision), recall: avg((x) => x.recall), f1: avg((x) => x.f1), support: sum.tp + sum.fn, predicted: sum.tp + sum.fp },
  };
}

/** Compute the protocol's figures from counts. */
export function computeScoreFigures(counts: ScoreCounts): ScoreFigures {
  const fn = group(counts.functions);
  return {
    units: counts.units,
    categories: group(counts.categories),
    rootCauses: group(counts.rootCauses),
    functions: { accuracy: counts.units ? counts.functionCorrect / counts.units : 0, labels: fn.labels, macroF1: fn.macro.f1 },
    subcategoryAccuracy: counts.subcategoryTotal ? counts.subcategoryCorrect / counts.subcategoryTotal : 0,
    subcategorySupport: counts.subcategoryTotal,
  };
}
