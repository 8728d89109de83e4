import { DEFAULT_FIT_OPTIONS, type FitOptions } from '@xunshi/engine';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { EvalAnalyzer } from './analyzer.js';
import { findGoldDocuments } from './eval.js';
import { collectCategoryUnits, fitCategoryWeights, type CategoryFitAnalyzer } from './fit-category.js';
import { checkFolds, collectFitSamples, fitFunctionModelWithout, fitGroupOf, foldsBySite, realPathOf, type FittedWeights } from './fit.js';

/** Fitted models an analyzer can be given in place of its ruleset's (`withModels` of `xunshi`'s analyzer). */
export interface FoldModels {
  functionModel?: { weights: FittedWeights };
  categoryModel?: { threshold: number; weights: Record<string, number> };
}

/** An analyzer whose fitted models can be replaced, and that says which ones its rules have (`createAnalyzer()`). */
export interface OutOfFoldAnalyzer extends CategoryFitAnalyzer {
  readonly ruleset: { functionModel?: unknown; categoryModel?: { threshold: number }; rules?: NonNullable<EvalAnalyzer['ruleset']>['rules'] };
  withModels(models: FoldModels): EvalAnalyzer;
}

/** Options of {@link createOutOfFoldAnalyzer}. */
export interface OutOfFoldOptions {
  /** Folds the sites are dealt into (sorted, round-robin, as `xunshi rules fit` does). Default 5. */
  folds?: number;
  /** Settings of both fits; default `DEFAULT_FIT_OPTIONS` (those of `xunshi rules fit`). */
  fit?: Partial<FitOptions>;
}

/** What {@link createOutOfFoldAnalyzer} returns: the routing analyzer and what it was fitted on. */
export interface OutOfFold {
  /** Reads each document with the models fitted without its site's fold (see {@link createOutOfFoldAnalyzer}). */
  analyzer: EvalAnalyzer;
  folders: string[];
  folds: number;
  sites: number;
  /** The models refitted per fold: those the rules have. */
  models: ('function' | 'category')[];
}

/**
 * An analyzer that reads every gold document the way a text from a new site is read: with fitted models (the
 * function model, and the category model at the rules' own threshold, whichever the rules have) refitted per fold of
 * the sites of `folders` (their documents marked part=held-out are never read), each document analysed by the models
 * fitted without its site's fold. A document whose site is not in the fit data (a held-out one, or one of another
 * folder) is read by models fitted on all of it. The models are fitted as `xunshi rules fit` fits them: the function
 * model on the hand-set features, the category model on the candidates of the rules' own function model. Rules are
 * not refitted: they were written while reading the tuning texts, so even out of fold a figure on those texts flatters
 * them. Deterministic.
 */
export function createOutOfFoldAnalyzer(analyzer: OutOfFoldAnalyzer, folders: readonly string[], options: OutOfFoldOptions = {}): OutOfFold {
  const folds = checkFolds(options.folds);
  const fit: FitOptions = { ...DEFAULT_FIT_OPTIONS, ...options.fit };
  const hasFunction = analyzer.ruleset.functionModel !== undefined;
  const category = analyzer.ruleset.categoryModel;
  if (!hasFunction && !category) throw new XunshiError(ERROR_CODES.USAGE, '--out-of-fold: the rules have no fitted model (function-model.json, category-model.json) to refit');
  const samples = hasFunction ? collectFitSamples(analyzer, folders) : undefined;
  const units = category ? collectCategoryUnits(analyzer, folders) : undefined;
  const groups = samples?.samples ?? units!.units;
  const heldOut = (samples ?? units)!.heldOut;
  const { sites, foldOf } = foldsBySite(groups, folds, folders, heldOut);
  /** The models fitted on every site but those of fold `k` (all sites when `k` is −1). */
  const modelsWithout = (k: number): FoldModels => {
    return {
      ...(samples ? { functionModel: fitFunctionModelWithout(samples.samples, foldOf, k, fit) } : {}),
      ...(units && category ? { categoryModel: { threshold: category.threshold, weights: fitCategoryWeights(units.units.filter((u) => foldOf.get(u.group) !== k), fit) } } : {}),
    };
  };
  const byFold = Array.from({ length: folds }, (_, k) => analyzer.withModels(modelsWithout(k)));
  const all = analyzer.withModels(modelsWithout(-1));
  // Each fit document's site, by its real path (held-out documents are not fitted on: they take the models of all). A
  // folder reached through a link is the same folder: keyed by the path as spelt, its documents were read by the
  // models fitted on them, and scored as if out of fold.
  const siteOf = new Map<string, string>();
  for (const folder of folders) for (const d of findGoldDocuments(folder)) if (d.part !== 'held-out') siteOf.set(realPathOf(d.textPath), fitGroupOf(d));
  const route = (path: string | undefined): EvalAnalyzer => {
    const site = path === undefined ? undefined : siteOf.get(realPathOf(path));
    const k = site === undefined ? undefined : foldOf.get(site);
    return k === undefined ? all : byFold[k]!;
  };
  return {
    analyzer: {
      lexicon: analyzer.lexicon,
      // The labels the gold's subcategories are checked against (without them a misspelt one was scored as an error).
      ...(analyzer.labels ? { labels: analyzer.labels } : {}),
      analyze: (input, opts) => route(opts?.path).analyze(input, opts),
    },
    folders: [...folders],
    folds,
    sites: sites.length,
    models: [...(hasFunction ? (['function'] as const) : []), ...(category ? (['category'] as const) : [])],
  };
}
