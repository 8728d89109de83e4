import { readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { FunctionId, Passage, Unit } from '@xunshi/types';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { DEFAULT_FIT_OPTIONS, fitFunctionModel, type FeatureVector, type FitOptions, type FunctionSample } from '@xunshi/engine';
import type { EvalAnalyzer } from './analyzer.js';
import { findGoldDocuments, readGoldFile, type GoldDocument } from './eval.js';
import { createPrng } from './intervals.js';
import type { GoldUnit } from './score.js';

/** An analyzer that can also give each unit's function-model features under the hand-set rules (`createAnalyzer()`). */
export interface FitAnalyzer extends EvalAnalyzer {
  featuresOf(input: string | Uint8Array, options?: { path?: string }): { units: Unit[]; features: FeatureVector[]; passages: Passage[] };
}

/** The function model's weights, as `fitFunctionModel` returns them. */
export type FittedWeights = ReturnType<typeof fitFunctionModel>['weights'];

/** One gold unit with its features, for fitting and cross-validation. */
export interface FitSample extends FunctionSample {
  /** Document, as `FOLDER/NAME` (the folder's base name). */
  doc: string;
  /** Kind of document from `index.tsv`, or `unknown`. */
  kind: string;
  /** The function the hand-set rules give (without the model). */
  rules: FunctionId;
}

/** Options of {@link fitFromGold}. */
export interface FitFromGoldOptions {
  /** Cross-validation folds (sites assigned round-robin in sorted order). Default 5. */
  folds?: number;
  /**
   * How many times cross-validation is run, each time with the sites dealt into the folds in another deterministic
   * order (the first time in sorted order, as with one repeat); the figures are the means. Default 1.
   */
  repeats?: number;
  /** Settings of the fit; default `DEFAULT_FIT_OPTIONS` of the engine. */
  fit?: Partial<FitOptions>;
}

/** Accuracy of the model (cross-validated) and of the rules without the model over some units. */
export interface FitAccuracy {
  units: number;
  model: number;
  rules: number;
}

/** Result of {@link fitFromGold}. */
export interface FitResult {
  /** The gold folders, as given. */
  folders: string[];
  samples: number;
  documents: number;
  sites: number;
  folds: number;
  /** Cross-validation runs (site orders); the accuracies are their means. */
  repeats: number;
  options: FitOptions;
  /** Gold units whose span is not a unit of the analyzer's segmentation (left out). */
  unmatched: number;
  /** Documents left out because their index says part=held-out: never used for fitting. */
  heldOut: { folder: string; documents: number }[];
  /** Cross-validated by site: overall and per kind of document; `perRepeat` is the model's overall accuracy of each run. */
  crossValidation: FitAccuracy & { perKind: Record<string, FitAccuracy>; perRepeat: number[] };
  /** The weights fitted on all samples. */
  weights: FittedWeights;
}

const FUNCTIONS: readonly FunctionId[] = ['problem', 'cause', 'measure', 'context'];

/** The function the model predicts from a feature vector (ties go to context, then problem, cause, measure). */
export function predictFunction(weights: FittedWeights, x: FeatureVector): FunctionId {
  const score: Record<FunctionId, number> = { problem: 0, cause: 0, measure: 0, context: 0 };
  for (const [k, v] of x) {
    const w = weights[k];
    if (w) for (const f of FUNCTIONS) score[f] += (w[f] ?? 0) * v;
  }
  let best: FunctionId = 'context';
  for (const f of ['problem', 'cause', 'measure'] as const) if (score[f] > score[best]) best = f;
  return best;
}

/**
 * Collect the samples of gold folders: every gold unit whose span is a unit of the analyzer, with its features under
 * the hand-set rules, its gold function, its group (the `site` of `index.tsv`, else the host of its `url`, else the
 * document id) and the rules' own function. Documents marked part=held-out are skipped unread.
 */
export function collectFitSamples(analyzer: FitAnalyzer, folders: readonly string[]): { samples: FitSample[]; unmatched: number; heldOut: FitResult['heldOut'] } {
  const samples: FitSample[] = [];
  const { unmatched, heldOut } = forEachFitDocument(folders, (d, bytes, align) => {
    const { units, features, passages } = analyzer.featuresOf(bytes, { path: d.textPath });
    for (const [g, i] of align(units)) samples.push({ x: features[i]!, y: g.function, group: d.group, doc: d.doc, kind: d.kind, rules: passages[i]!.function });
  });
  return { samples, unmatched, heldOut };
}

/** A gold document read for fitting: its text file, `FOLDER/NAME` id, kind and group (site). */
export interface FitDocument {
  textPath: string;
  /** The document's gold file (read it with readGoldFile). */
  goldPath: string;
  doc: string;
  kind: string;
  group: string;
}

/** The function model fitted on the samples of every site outside fold `k` (all of them when `k` is in no fold, e.g. −1). */
export function fitFunctionModelWithout(samples: readonly FunctionSample[], foldOf: ReadonlyMap<string, number>, k: number, options: FitOptions): ReturnType<typeof fitFunctionModel> {
  return fitFunctionModel(samples.filter((s) => foldOf.get(s.group) !== k), options);
}

/** A gold document's id: its name below the folder without the extension, with `/` separators. */
const documentIdOf = (d: GoldDocument): string => d.name.replace(/\.(txt|md|markdown)$/, '').split(sep).join('/');

/** The group a gold document is fitted and cross-validated in: its site (index.tsv), else its own id. */
export const fitGroupOf = (d: GoldDocument): string => d.site ?? documentIdOf(d);

/**
 * Call `visit` for every gold document of the folders that is not held out (those are counted, never read), with
 * its bytes and a function that pairs its gold units with the analyzer's units by span (gold units without a unit of
 * the same span are counted as unmatched and left out).
 */
export function forEachFitDocument(
  folders: readonly string[],
  visit: (d: FitDocument, bytes: Uint8Array, align: (units: readonly Unit[]) => [GoldUnit, number][]) => void,
): { unmatched: number; heldOut: FitResult['heldOut'] } {
  const heldOut: FitResult['heldOut'] = [];
  let unmatched = 0;
  // A document of two folders given (the same folder spelt twice, one inside the other) is fitted on once.
  const seen = new Set<string>();
  for (const folder of folders) {
    const docs = findGoldDocuments(folder);
    const refused = docs.filter((d) => d.part === 'held-out');
    if (refused.length) heldOut.push({ folder, documents: refused.length });
    for (const d of docs) {
      if (d.part === 'held-out' || !firstTime(seen, d.textPath)) continue;
      const gold = readGoldFile(d.goldPath);
      const id = documentIdOf(d);
      const align = (units: readonly Unit[]): [GoldUnit, number][] => {
        const bySpan = new Map(units.map((u, i) => [`${u.start}:${u.end}`, i]));
        const out: [GoldUnit, number][] = [];
        for (const g of gold.units) {
          const i = bySpan.get(`${g.start}:${g.end}`);
          if (i === undefined) unmatched++;
          else out.push([g, i]);
        }
        return out;
      };
      visit({ textPath: d.textPath, goldPath: d.goldPath, doc: `${basename(resolve(folder))}/${id}`, kind: d.kind ?? 'unknown', group: fitGroupOf(d) }, readFileSync(d.textPath), align);
    }
  }
  return { unmatched, heldOut };
}

/** The number of cross-validation folds (default 5), at least 2. */
export function checkFolds(folds = 5): number {
  if (!Number.isInteger(folds) || folds < 2) throw new XunshiError(ERROR_CODES.USAGE, `--folds must be an integer of at least 2, got ${folds}`);
  return folds;
}

/** The number of cross-validation repeats (default 1), at least 1. */
export function checkRepeats(repeats = 1): number {
  if (!Number.isInteger(repeats) || repeats < 1) throw new XunshiError(ERROR_CODES.USAGE, `--repeats must be an integer of at least 1, got ${repeats}`);
  return repeats;
}

/**
 * Sites (groups) sorted and dealt round-robin into folds; no gold unit at all is a usage error naming the folders.
 * Repeat 0 deals them in sorted order; repeat r > 0 in sorted order shuffled by the seeded generator of the intervals
 * (`createPrng(r)`, Fisher–Yates), so that each repeat splits the sites differently and the same repeat always the
 * same way.
 */
export function foldsBySite(items: readonly { group: string }[], folds: number, folders: readonly string[], heldOut: FitResult['heldOut'], repeat = 0): { sites: string[]; foldOf: Map<string, number> } {
  if (!items.length) throw new XunshiError(ERROR_CODES.USAGE, `no gold units to fit in ${folders.join(', ')}${heldOut.length ? ' (held-out documents are never used)' : ''}`, { file: folders[0] ?? '.' });
  const sites = [...new Set(items.map((s) => s.group))].sort();
  if (folds > sites.length) {
    throw new XunshiError(ERROR_CODES.USAGE, `${folds} folds need ${folds} sites at least, and the gold in ${folders.join(', ')} has ${sites.length}: folds are made of whole sites`, { file: folders[0] ?? '.' });
  }
  const order = [...sites];
  if (repeat > 0) {
    const next = createPrng(repeat);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  return { sites, foldOf: new Map(order.map((s, i) => [s, i % folds])) };
}

/**
 * Fit the function model on gold folders and cross-validate it by site: sites are dealt round-robin into `folds` folds
 * (in sorted order, and with `repeats` > 1 again in other orders, see {@link foldsBySite}); each fold is predicted by a
 * model fitted on the others, and compared with the hand-set rules; with several repeats the accuracies are the means
 * over them (a single split of some hundred sites moves the figure by a few thousandths). The final weights are
 * fitted on every sample. Deterministic: the same folders and options give the same result.
 */
export function fitFromGold(analyzer: FitAnalyzer, folders: readonly string[], options: FitFromGoldOptions = {}): FitResult {
  const folds = checkFolds(options.folds);
  const repeats = checkRepeats(options.repeats);
  const fitOptions: FitOptions = { ...DEFAULT_FIT_OPTIONS, ...options.fit };
  const { samples, unmatched, heldOut } = collectFitSamples(analyzer, folders);
  let sites: string[] = [];
  const total = { units: 0, model: 0, rules: 0 };
  const perKind = new Map<string, { units: number; model: number; rules: number }>();
  const perRepeat: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const split = foldsBySite(samples, folds, folders, heldOut, r);
    sites = split.sites;
    let right = 0;
    let seen = 0;
    for (let k = 0; k < folds; k++) {
      const test = samples.filter((s) => split.foldOf.get(s.group) === k);
      if (!test.length) continue;
      const model = fitFunctionModelWithout(samples, split.foldOf, k, fitOptions);
      for (const s of test) {
        const ok = predictFunction(model.weights, s.x) === s.y ? 1 : 0;
        const rulesOk = s.rules === s.y ? 1 : 0;
        let pk = perKind.get(s.kind);
        if (!pk) perKind.set(s.kind, (pk = { units: 0, model: 0, rules: 0 }));
        for (const c of [total, pk]) {
          c.units++;
          c.model += ok;
          c.rules += rulesOk;
        }
        right += ok;
        seen++;
      }
    }
    perRepeat.push(seen ? right / seen : 0);
  }
  // Every repeat predicts every sample once: per-run units are the totals over the repeats divided by their number.
  const rate = (c: { units: number; model: number; rules: number }): FitAccuracy => ({ units: c.units / repeats, model: c.units ? c.model / c.units : 0, rules: c.units ? c.rules / c.units : 0 });
  return {
    folders: [...folders],
    samples: samples.length,
    documents: new Set(samples.map((s) => s.doc)).size,
    sites: sites.length,
    folds,
    repeats,
    options: fitOptions,
    unmatched,
    heldOut,
    crossValidation: { ...rate(total), perKind: Object.fromEntries([...perKind.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => [k, rate(v)])), perRepeat },
    weights: fitFunctionModel(samples, fitOptions).weights,
  };
}

const f3 = (x: number): string => x.toFixed(3);

/** The figures of a fit, as the lines `xunshi rules fit` prints. */
export function formatFitText(r: FitResult): string {
  const lines: string[] = [];
  for (const h of r.heldOut) lines.push(`refused ${h.documents} document(s) of ${h.folder} marked part=held-out: held-out texts are never used for fitting`);
  lines.push(`${r.samples} gold units from ${r.documents} document(s), ${r.sites} site(s)${r.unmatched ? ` (${r.unmatched} gold unit(s) not aligned with a unit, left out)` : ''}`);
  const cv = r.crossValidation;
  const runs = r.repeats > 1 ? `, mean of ${r.repeats} splits: ${cv.perRepeat.map(f3).join(' ')}` : '';
  lines.push(`cross-validated function accuracy by site (${r.folds} folds${runs}): model ${f3(cv.model)}  rules without the model ${f3(cv.rules)}  (${cv.units} units)`);
  for (const [k, v] of Object.entries(cv.perKind)) lines.push(`  ${k.padEnd(14)} model ${f3(v.model)}  rules ${f3(v.rules)}  (${v.units} units)`);
  lines.push(`${Object.keys(r.weights).length} features with weights`);
  return lines.join('\n') + '\n';
}

const portable = (p: string): string => p.split(sep).join('/');

/**
 * The JSON of `rules/function-model.json` for a fit: a description with the figures, a `fitted` block (data folders
 * relative to `cwd`, sample count, options, cross-validated accuracy; not read by the engine), then the weights, one
 * line per feature, features sorted. JSON, not YAML: a fitted model has thousands of features, and JSON parses about a
 * hundred times faster at start-up. The same fit gives the same bytes.
 */
export function formatFunctionModel(r: FitResult, cwd = process.cwd()): string {
  const cv = r.crossValidation;
  const j = (v: unknown): string => JSON.stringify(v);
  const fitted = {
    data: r.folders.map((f) => portable(relative(cwd, resolve(f)) || '.')),
    ...(r.heldOut.length ? { refusedHeldOut: r.heldOut.reduce((n, h) => n + h.documents, 0) } : {}),
    samples: r.samples,
    documents: r.documents,
    sites: r.sites,
    options: Object.fromEntries((Object.keys(r.options) as (keyof FitOptions)[]).sort().map((k) => [k, r.options[k]])),
    crossValidation: {
      folds: r.folds,
      ...(r.repeats > 1 ? { repeats: r.repeats, perRepeat: cv.perRepeat.map((v) => Number(f3(v))) } : {}),
      units: cv.units,
      model: Number(f3(cv.model)),
      rules: Number(f3(cv.rules)),
      perKind: Object.fromEntries(Object.entries(cv.perKind).map(([k, v]) => [k, { units: v.units, model: Number(f3(v.model)), rules: Number(f3(v.rules)) }])),
    },
  };
  const lines = [
    '{',
    `  "description": ${j(`Fitted weights of the function model (rules/README.md, "The function model"), written by \`xunshi rules fit\`: do not edit by hand, refit. Multinomial logistic regression over explainable unit features; ${r.samples} gold units, ${r.sites} sites; cross-validated accuracy by site ${f3(cv.model)} (rules without the model: ${f3(cv.rules)}).`)},`,
    `  "fitted": ${j(fitted)},`,
    '  "weights": {',
  ];
  const keys = Object.keys(r.weights).sort();
  keys.forEach((k, i) => {
    const w = r.weights[k]!;
    const entry = Object.fromEntries(FUNCTIONS.filter((f) => w[f] !== undefined).map((f) => [f, w[f]]));
    lines.push(`    ${j(k)}: ${j(entry)}${i < keys.length - 1 ? ',' : ''}`);
  });
  lines.push('  }', '}');
  return lines.join('\n') + '\n';
}

/** Write a file atomically: a temporary file beside it, then a rename (readers never see half a file). */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** A file's path with its links resolved (as spelt, resolved, when it cannot be). */
export function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** True the first time `seen` meets the file at `path` (by its real path, so a file reached through a link is itself). */
export function firstTime(seen: Set<string>, path: string): boolean {
  const real = realPathOf(path);
  if (seen.has(real)) return false;
  seen.add(real);
  return true;
}
