import type { FunctionId } from '@xunshi/types';
import type { FunctionModel } from '@xunshi/rules';
import type { FeatureVector } from './phases/function-features.js';

const FUNCTIONS: readonly FunctionId[] = ['problem', 'cause', 'measure', 'context'];

/** One labelled unit for fitting: its features, its gold function and the group it comes from (a site or document). */
export interface FunctionSample {
  x: FeatureVector;
  y: FunctionId;
  group: string;
  /** Its weight in the loss (default 1: weight 2 fits as two copies of the sample would). */
  weight?: number;
}

/** Settings of {@link fitFunctionModel}. */
export interface FitOptions {
  /** L2 penalty per weight (times the number of samples). */
  l2: number;
  /** Full-batch gradient steps. */
  iterations: number;
  /** Step size. */
  learningRate: number;
  /** A feature is fitted only when it occurs in at least this many samples of at least `minGroups` groups. */
  minSupport: number;
  minGroups: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = { l2: 0.002, iterations: 1500, learningRate: 0.5, minSupport: 4, minGroups: 2 };

/**
 * Fit a multinomial logistic regression (softmax) of the function on the features, with L2 regularisation, by
 * full-batch gradient descent from zero weights: deterministic for the same samples and options. Features that occur
 * in too few samples or groups are left out (a weight fitted to one sentence of one text would not generalise). Weights
 * are rounded to 3 decimals; `bias` is always kept.
 */
export function fitFunctionModel(samples: readonly FunctionSample[], options: Partial<FitOptions> = {}): FunctionModel {
  const o = { ...DEFAULT_FIT_OPTIONS, ...options };
  const support = new Map<string, { n: number; groups: Set<string> }>();
  for (const s of samples) {
    for (const k of s.x.keys()) {
      let e = support.get(k);
      if (!e) support.set(k, (e = { n: 0, groups: new Set() }));
      e.n++;
      e.groups.add(s.group);
    }
  }
  const features = [...support.entries()].filter(([k, e]) => k === 'bias' || (e.n >= o.minSupport && e.groups.size >= o.minGroups)).map(([k]) => k).sort();
  const index = new Map(features.map((k, i) => [k, i]));
  const K = FUNCTIONS.length;
  const D = features.length;
  // Sparse rows: feature indices and values.
  const rows = samples.map((s) => {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [k, v] of s.x) {
      const i = index.get(k);
      if (i !== undefined && v !== 0) {
        idx.push(i);
        val.push(v);
      }
    }
    return { idx, val, y: FUNCTIONS.indexOf(s.y), weight: s.weight ?? 1 };
  });
  const w = new Float64Array(D * K);
  const grad = new Float64Array(D * K);
  let n = 0;
  for (const r of rows) n += r.weight;
  n ||= 1;
  const p = new Float64Array(K);
  for (let it = 0; it < o.iterations; it++) {
    grad.fill(0);
    for (const r of rows) {
      let max = -Infinity;
      for (let c = 0; c < K; c++) {
        let z = 0;
        for (let j = 0; j < r.idx.length; j++) z += w[r.idx[j]! * K + c]! * r.val[j]!;
        p[c] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let c = 0; c < K; c++) sum += p[c] = Math.exp(p[c]! - max);
      for (let c = 0; c < K; c++) {
        const g = (p[c]! / sum - (c === r.y ? 1 : 0)) * r.weight;
        for (let j = 0; j < r.idx.length; j++) grad[r.idx[j]! * K + c]! += g * r.val[j]!;
      }
    }
    for (let i = 0; i < D * K; i++) w[i] = w[i]! - o.learningRate * (grad[i]! / n + o.l2 * w[i]!);
  }
  const weights: FunctionModel['weights'] = {};
  features.forEach((k, i) => {
    const entry: Partial<Record<FunctionId, number>> = {};
    let any = false;
    FUNCTIONS.forEach((f, c) => {
      const v = Math.round(w[i * K + c]! * 1000) / 1000;
      if (v !== 0) {
        entry[f] = v;
        any = true;
      }
    });
    if (any || k === 'bias') weights[k] = entry;
  });
  return { weights };
}
