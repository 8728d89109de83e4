import { computeScoreFigures, createScoreCounts, mergeScoreCounts, type ScoreCounts, type ScoreFigures } from './score.js';

/** The four headline figures of an evaluation. */
export type HeadlineFigure = 'category' | 'rootCause' | 'function' | 'subcategory';
const HEADLINE: readonly HeadlineFigure[] = ['category', 'rootCause', 'function', 'subcategory'];

/**
 * Percentile intervals of the headline figures from resampling documents with replacement (a bootstrap over
 * documents: units of one report are not independent, so documents are what is drawn). `null` where a resample never
 * had a gold label to score.
 */
export interface EvalIntervals {
  level: number;
  resamples: number;
  seed: number;
  documents: number;
  category: [number, number] | null;
  rootCause: [number, number] | null;
  function: [number, number] | null;
  subcategory: [number, number] | null;
}

/** The headline figure of `f`, or NaN when it has nothing to score. */
export function headlineFigure(f: ScoreFigures, which: HeadlineFigure): number {
  switch (which) {
    case 'category':
      return f.categories.micro.support + f.categories.micro.predicted ? f.categories.micro.f1 : Number.NaN;
    case 'rootCause':
      return f.rootCauses.micro.support + f.rootCauses.micro.predicted ? f.rootCauses.micro.f1 : Number.NaN;
    case 'function':
      return f.units ? f.functions.accuracy : Number.NaN;
    case 'subcategory':
      return f.subcategorySupport ? f.subcategoryAccuracy : Number.NaN;
  }
}

/** A small seeded generator (mulberry32), numbers in [0, 1): the same seed gives the same sequence on every machine. */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The value at quantile `q` of sorted `xs` (linear between neighbours). */
function quantile(xs: readonly number[], q: number): number {
  const pos = (xs.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo]! + (xs[hi]! - xs[lo]!) * (pos - lo);
}

/**
 * Bootstrap intervals of the headline figures over the per-document counts `perDocument`: `resamples` times, as many
 * documents as there are drawn with replacement, their counts summed and scored; the interval is the central `level`
 * share of the resampled figures. Deterministic for the same counts, resamples and seed.
 */
export function bootstrapIntervals(perDocument: readonly ScoreCounts[], options: ResampleOptions = {}): EvalIntervals {
  const n = perDocument.length;
  return resample(n, options, (draw) => {
    const f = sumFigures(perDocument, draw);
    return (h) => headlineFigure(f, h);
  });
}

/** Settings of a bootstrap: how many resamples, the central share the interval covers, the generator's seed. */
export interface ResampleOptions {
  resamples?: number;
  level?: number;
  seed?: number;
}

/** The figures of the documents `draw` picks (indices into `counts`). */
function sumFigures(counts: readonly ScoreCounts[], draw: readonly number[]): ScoreFigures {
  const total = createScoreCounts();
  for (const i of draw) mergeScoreCounts(total, counts[i]!);
  return computeScoreFigures(total);
}

/**
 * Draw `n` document indices with replacement `resamples` times, read one value per headline figure from each draw
 * (NaN: nothing to score, left out), and give the central `level` share of the values as each figure's interval.
 */
function resample(n: number, options: ResampleOptions, valuesOf: (draw: readonly number[]) => (h: HeadlineFigure) => number): EvalIntervals {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const seed = options.seed ?? 20261203;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`resamples must be a positive integer, got ${resamples}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, got ${level}`);
  const values: Record<HeadlineFigure, number[]> = { category: [], rootCause: [], function: [], subcategory: [] };
  const next = createPrng(seed);
  for (let r = 0; r < resamples && n > 0; r++) {
    const draw = Array.from({ length: n }, () => Math.floor(next() * n));
    const value = valuesOf(draw);
    for (const h of HEADLINE) {
      const v = value(h);
      if (!Number.isNaN(v)) values[h].push(v);
    }
  }
  const interval = (xs: number[]): [number, number] | null => {
    if (!xs.length) return null;
    xs.sort((a, b) => a - b);
    return [quantile(xs, (1 - level) / 2), quantile(xs, 1 - (1 - level) / 2)];
  };
  return { level, resamples, seed, documents: n, category: interval(values.category), rootCause: interval(values.rootCause), function: interval(values.function), subcategory: interval(values.subcategory) };
}

/** Intervals of the difference of the headline figures between two evaluations of the same documents. */
export interface PairedIntervals extends EvalIntervals {
  /** The difference over all documents (this evaluation minus the other), NaN where either has nothing to score. */
  difference: Record<HeadlineFigure, number>;
}

/**
 * A paired bootstrap: the same documents scored twice (`a` and `b`, counts in the same order), resampled together, the
 * interval of the difference a − b of each headline figure. Far narrower than the two separate intervals, since both
 * sides see the same hard and easy documents: it says whether a change of rules moved a figure by more than chance.
 */
export function pairedIntervals(a: readonly ScoreCounts[], b: readonly ScoreCounts[], options: ResampleOptions = {}): PairedIntervals {
  if (a.length !== b.length) throw new RangeError(`paired counts differ in length: ${a.length} and ${b.length}`);
  const n = a.length;
  const every = Array.from({ length: n }, (_, i) => i);
  const fa = sumFigures(a, every);
  const fb = sumFigures(b, every);
  const difference = Object.fromEntries(HEADLINE.map((h) => [h, headlineFigure(fa, h) - headlineFigure(fb, h)])) as Record<HeadlineFigure, number>;
  const intervals = resample(n, options, (draw) => {
    const ra = sumFigures(a, draw);
    const rb = sumFigures(b, draw);
    return (h) => headlineFigure(ra, h) - headlineFigure(rb, h);
  });
  return { ...intervals, difference };
}

/** One line: the difference of two evaluations and its intervals. */
export function formatPairedIntervals(p: PairedIntervals, label = 'these rules minus the others'): string {
  const sign = (x: number): string => (Number.isNaN(x) ? 'n/a' : `${x >= 0 ? '+' : ''}${x.toFixed(3)}`);
  const f = (h: HeadlineFigure, name: string): string => {
    const iv = p[h];
    return `${name} ${sign(p.difference[h])} (${iv ? `${sign(iv[0])} to ${sign(iv[1])}` : 'n/a'})`;
  };
  return `${label}, with ${Math.round(p.level * 100)}% paired intervals over documents (${p.resamples} resamples of ${p.documents}): ${f('category', 'category')}  ${f('rootCause', 'root cause')}  ${f('function', 'function')}  ${f('subcategory', 'subcategory')}`;
}

/** One line: the intervals of an evaluation. */
export function formatIntervals(i: EvalIntervals): string {
  const f = (x: [number, number] | null): string => (x ? `${x[0].toFixed(3)}–${x[1].toFixed(3)}` : 'n/a');
  return `${Math.round(i.level * 100)}% intervals over documents (${i.resamples} resamples of ${i.documents}): category ${f(i.category)}  root cause ${f(i.rootCause)}  function ${f(i.function)}  subcategory ${f(i.subcategory)}`;
}
