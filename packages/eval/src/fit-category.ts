import { relative, resolve, sep } from 'node:path';
import type { CategoryId, Passage, Unit } from '@xunshi/types';
import { DEFAULT_FIT_OPTIONS, fitFunctionModel, type CategoryCandidate, type FitOptions } from '@xunshi/engine';
import { checkFolds, collectFitSamples, fitFunctionModelWithout, foldsBySite, forEachFitDocument, type FitAnalyzer, type FitDocument, type FitResult, type FittedWeights } from './fit.js';

/**
 * An analyzer that can give each unit's candidate categories with their features, under its own function model or
 * under the one given (`createAnalyzer()`), and the function-model features (for the out-of-fold function models).
 */
export interface CategoryFitAnalyzer extends FitAnalyzer {
  categoryCandidatesOf(
    input: string | Uint8Array,
    options?: { path?: string; functionModel?: { weights: FittedWeights } },
  ): { units: Unit[]; candidates: (CategoryCandidate & { unit: number })[]; passages: Passage[] };
}

/** One gold unit: its gold categories and its candidates (features, and whether the hand-set rules keep each). */
export interface CategoryFitUnit {
  group: string;
  doc: string;
  kind: string;
  gold: Set<CategoryId>;
  candidates: CategoryCandidate[];
  /** Whether the analyzer gave the unit its gold function. */
  functionRight: boolean;
}

/** Precision, recall and F1 over (unit, category) pairs; gold categories without a candidate count as misses. */
export interface PairScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Result of {@link fitCategoryFromGold}. */
export interface CategoryFitResult {
  folders: string[];
  units: number;
  documents: number;
  sites: number;
  folds: number;
  options: FitOptions;
  unmatched: number;
  heldOut: FitResult['heldOut'];
  /** Gold categories with no rule evidence in their unit (no model can keep what no rule proposes). */
  uncovered: number;
  /**
   * The functions the held-out fold is scored under: `out-of-fold` (each fold's documents read with a function model
   * fitted without its sites, as a new text is read; `functionAccuracy` is that model's accuracy on them) or `fitted`
   * (the analyzer's own function model, fitted on every site: near-perfect functions flatter the figures).
   */
  functions: 'out-of-fold' | 'fitted';
  functionAccuracy: number;
  crossValidation: { model: PairScore; rules: PairScore; perKind: Record<string, { model: PairScore; rules: PairScore }> };
  threshold: number;
  weights: Record<string, number>;
}

/**
 * Collect every gold unit of the folders with its candidates; documents marked part=held-out are skipped unread. With
 * `functionModelOf`, each document's functions are decided by the function model it returns for that document.
 */
export function collectCategoryUnits(
  analyzer: CategoryFitAnalyzer,
  folders: readonly string[],
  functionModelOf?: (d: FitDocument) => { weights: FittedWeights },
): { units: CategoryFitUnit[]; unmatched: number; heldOut: FitResult['heldOut'] } {
  const out: CategoryFitUnit[] = [];
  const { unmatched, heldOut } = forEachFitDocument(folders, (d, bytes, align) => {
    const { units, candidates, passages } = analyzer.categoryCandidatesOf(bytes, { path: d.textPath, ...(functionModelOf ? { functionModel: functionModelOf(d) } : {}) });
    const perUnit = new Map<number, CategoryCandidate[]>();
    for (const c of candidates) {
      let list = perUnit.get(c.unit);
      if (!list) perUnit.set(c.unit, (list = []));
      list.push(c);
    }
    for (const [g, i] of align(units)) {
      out.push({ group: d.group, doc: d.doc, kind: d.kind, gold: new Set(g.categories.map((c) => c.id)), candidates: perUnit.get(i) ?? [], functionRight: passages[i]!.function === g.function });
    }
  });
  return { units: out, unmatched, heldOut };
}

/** Fit the category model's weights (a logistic regression of "the gold has this candidate") on the candidates of some units. */
export function fitCategoryWeights(units: readonly CategoryFitUnit[], options: FitOptions): Record<string, number> {
  const samples = units.flatMap((u) => u.candidates.map((c) => ({ x: c.x, y: u.gold.has(c.id) ? ('problem' as const) : ('context' as const), group: u.group })));
  const fitted = fitFunctionModel(samples, options).weights;
  const out: Record<string, number> = {};
  for (const k of Object.keys(fitted).sort()) {
    const w = Math.round(((fitted[k]!.problem ?? 0) - (fitted[k]!.context ?? 0)) * 1000) / 1000;
    if (w !== 0 || k === 'bias') out[k] = w;
  }
  return out;
}

const scoreOf = (weights: Record<string, number>, x: Map<string, number>): number => {
  let s = 0;
  for (const [k, v] of x) s += (weights[k] ?? 0) * v;
  return s;
};

function pairScore(c: { tp: number; fp: number; fn: number }): PairScore {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  return { ...c, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

function count(c: { tp: number; fp: number; fn: number }, predicted: ReadonlySet<CategoryId>, gold: ReadonlySet<CategoryId>): void {
  for (const id of predicted) if (gold.has(id)) c.tp++;
  else c.fp++;
  for (const id of gold) if (!predicted.has(id)) c.fn++;
}

/** The thresholds cross-validation chooses from when none is given: -2 to 1 in steps of 0.2. */
export const CATEGORY_THRESHOLD_GRID: readonly number[] = Array.from({ length: 16 }, (_, i) => Math.round((-2 + i * 0.2) * 10) / 10);

/** Options of {@link fitCategoryFromGold}. */
export interface CategoryFitOptions {
  /** Cross-validation folds (sites dealt round-robin in sorted order). Default 5. */
  folds?: number;
  /** Settings of the category model's fit; default `DEFAULT_FIT_OPTIONS` of the engine. */
  fit?: Partial<FitOptions>;
  /** Keep a candidate whose score exceeds this; default: the one cross-validation chooses from `CATEGORY_THRESHOLD_GRID`. */
  threshold?: number;
  /**
   * Score each held-out fold under a function model fitted without its sites (default true), as new texts are read;
   * false scores it under the analyzer's own function model, which was fitted on those very units.
   */
  functionFolds?: boolean;
  /** Settings of the out-of-fold function models; default `DEFAULT_FIT_OPTIONS` (those of `xunshi rules fit`). */
  functionFit?: Partial<FitOptions>;
}

/**
 * Fit the category model on gold folders and cross-validate it by site (sites sorted and dealt round-robin into
 * `folds`), against the hand-set thresholds on the same candidates. Each fold is scored by a category model fitted on
 * the others' candidates (under the analyzer's function model, as the final model is fitted) and, unless
 * `functionFolds` is false, read with a function model fitted without the fold's sites: the shipped function model
 * was fitted on these units and gives them near-perfect functions (0.97 against 0.85 out of fold), while the category
 * model is used on texts where a unit's function is wrong about as often as out of fold, and a wrong function (a
 * finding read as context) costs categories. A candidate is kept when its score exceeds the threshold: the one given,
 * else the one of `CATEGORY_THRESHOLD_GRID` with the best cross-validated micro-F1 (ties: the one nearest 0).
 * Deterministic.
 */
export function fitCategoryFromGold(analyzer: CategoryFitAnalyzer, folders: readonly string[], options: CategoryFitOptions = {}): CategoryFitResult {
  const folds = checkFolds(options.folds);
  const fitOptions: FitOptions = { ...DEFAULT_FIT_OPTIONS, ...options.fit };
  const { units, unmatched, heldOut } = collectCategoryUnits(analyzer, folders);
  const { sites, foldOf } = foldsBySite(units, folds, folders, heldOut);
  // The units each fold is scored on: the same gold units, read with the function model fitted without the fold.
  let test = units;
  const outOfFold = options.functionFolds !== false;
  if (outOfFold) {
    const { samples } = collectFitSamples(analyzer, folders);
    const functionOptions: FitOptions = { ...DEFAULT_FIT_OPTIONS, ...options.functionFit };
    const models = Array.from({ length: folds }, (_, k) => fitFunctionModelWithout(samples, foldOf, k, functionOptions));
    test = collectCategoryUnits(analyzer, folders, (d) => models[foldOf.get(d.group)!]!).units;
    // Both readings align the same gold units of the same documents, in the same order.
    if (test.length !== units.length || test.some((u, i) => u.doc !== units[i]!.doc)) throw new Error('out-of-fold reading did not align with the fitted one');
  }
  // Each unit's candidates scored by the model fitted without its fold.
  const scored = new Map<CategoryFitUnit, number[]>();
  for (let k = 0; k < folds; k++) {
    const inFold = test.filter((u) => foldOf.get(u.group) === k);
    if (!inFold.length) continue;
    const weights = fitCategoryWeights(units.filter((u) => foldOf.get(u.group) !== k), fitOptions);
    for (const u of inFold) scored.set(u, u.candidates.map((c) => scoreOf(weights, c.x)));
  }
  const keptAt = (u: CategoryFitUnit, t: number): Set<CategoryId> => new Set(u.candidates.filter((_, i) => scored.get(u)![i]! > t).map((c) => c.id));
  const f1At = (t: number): number => {
    const c = { tp: 0, fp: 0, fn: 0 };
    for (const u of scored.keys()) count(c, keptAt(u, t), u.gold);
    return pairScore(c).f1;
  };
  let threshold = options.threshold ?? 0;
  if (options.threshold === undefined) {
    let best = -1;
    for (const t of [...CATEGORY_THRESHOLD_GRID].sort((a, b) => Math.abs(a) - Math.abs(b) || a - b)) {
      const f = f1At(t);
      if (f > best + 1e-12) {
        best = f;
        threshold = t;
      }
    }
  }
  const zero = () => ({ tp: 0, fp: 0, fn: 0 });
  const total = { model: zero(), rules: zero() };
  const perKind = new Map<string, { model: ReturnType<typeof zero>; rules: ReturnType<typeof zero> }>();
  for (const u of test) {
    if (!scored.has(u)) continue;
    const model = keptAt(u, threshold);
    const rules = new Set(u.candidates.filter((c) => c.rules).map((c) => c.id));
    let pk = perKind.get(u.kind);
    if (!pk) perKind.set(u.kind, (pk = { model: zero(), rules: zero() }));
    for (const c of [total, pk]) {
      count(c.model, model, u.gold);
      count(c.rules, rules, u.gold);
    }
  }
  const uncovered = test.reduce((n, u) => n + [...u.gold].filter((id) => !u.candidates.some((c) => c.id === id)).length, 0);
  return {
    folders: [...folders],
    units: units.length,
    documents: new Set(units.map((u) => u.doc)).size,
    sites: sites.length,
    folds,
    options: fitOptions,
    unmatched,
    heldOut,
    uncovered,
    functions: outOfFold ? 'out-of-fold' : 'fitted',
    functionAccuracy: test.length ? test.filter((u) => u.functionRight).length / test.length : 0,
    crossValidation: {
      model: pairScore(total.model),
      rules: pairScore(total.rules),
      perKind: Object.fromEntries([...perKind.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, { model: pairScore(v.model), rules: pairScore(v.rules) }])),
    },
    threshold,
    weights: fitCategoryWeights(units, fitOptions),
  };
}

const f3 = (x: number): string => x.toFixed(3);
const fmt = (s: PairScore): string => `F1 ${f3(s.f1)} (P ${f3(s.precision)} R ${f3(s.recall)})`;

/** The figures of a category fit, as the lines `xunshi rules fit --model category` prints. */
export function formatCategoryFitText(r: CategoryFitResult): string {
  const lines: string[] = [];
  for (const h of r.heldOut) lines.push(`refused ${h.documents} document(s) of ${h.folder} marked part=held-out: held-out texts are never used for fitting`);
  lines.push(`${r.units} gold units from ${r.documents} document(s), ${r.sites} site(s)${r.unmatched ? ` (${r.unmatched} gold unit(s) not aligned with a unit, left out)` : ''}`);
  const cv = r.crossValidation;
  const functions = r.functions === 'out-of-fold' ? `functions of a model fitted without the fold, accuracy ${f3(r.functionAccuracy)}` : `functions of the analyzer's fitted model, accuracy ${f3(r.functionAccuracy)}`;
  lines.push(`cross-validated category micro-F1 by site (${r.folds} folds; ${functions}): model ${fmt(cv.model)} at threshold ${r.threshold}  hand-set thresholds ${fmt(cv.rules)}`);
  for (const [k, v] of Object.entries(cv.perKind)) lines.push(`  ${k.padEnd(14)} model ${fmt(v.model)}  thresholds ${fmt(v.rules)}`);
  lines.push(`${r.uncovered} gold categories have no rule evidence in their unit (no threshold or model can report them)`);
  lines.push(`${Object.keys(r.weights).length} features with weights`);
  return lines.join('\n') + '\n';
}

/** The JSON of `rules/category-model.json` for a fit (same layout as the function model's file; the same fit gives the same bytes). */
export function formatCategoryModel(r: CategoryFitResult, cwd = process.cwd()): string {
  const cv = r.crossValidation;
  const j = (v: unknown): string => JSON.stringify(v);
  const short = (s: PairScore) => ({ f1: Number(f3(s.f1)), precision: Number(f3(s.precision)), recall: Number(f3(s.recall)) });
  const fitted = {
    data: r.folders.map((f) => (relative(cwd, resolve(f)) || '.').split(sep).join('/')),
    ...(r.heldOut.length ? { refusedHeldOut: r.heldOut.reduce((n, h) => n + h.documents, 0) } : {}),
    units: r.units,
    documents: r.documents,
    sites: r.sites,
    options: Object.fromEntries((Object.keys(r.options) as (keyof FitOptions)[]).sort().map((k) => [k, r.options[k]])),
    crossValidation: {
      folds: r.folds,
      functions: r.functions,
      functionAccuracy: Number(f3(r.functionAccuracy)),
      model: short(cv.model),
      rules: short(cv.rules),
      perKind: Object.fromEntries(Object.entries(cv.perKind).map(([k, v]) => [k, { model: short(v.model), rules: short(v.rules) }])),
    },
  };
  const lines = [
    '{',
    `  "description": ${j(`Fitted weights of the category model (rules/README.md, "The category model"), written by \`xunshi rules fit --model category\`: do not edit by hand, refit. Logistic regression over each candidate category's explainable features; ${r.units} gold units, ${r.sites} sites; cross-validated category micro-F1 by site ${f3(cv.model.f1)} (hand-set thresholds: ${f3(cv.rules.f1)}).`)},`,
    `  "fitted": ${j(fitted)},`,
    `  "threshold": ${j(r.threshold)},`,
    '  "weights": {',
  ];
  const keys = Object.keys(r.weights).sort();
  keys.forEach((k, i) => lines.push(`    ${j(k)}: ${j(r.weights[k])}${i < keys.length - 1 ? ',' : ''}`));
  lines.push('  }', '}');
  return lines.join('\n') + '\n';
}
