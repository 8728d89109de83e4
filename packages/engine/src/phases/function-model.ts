import type { FunctionId } from '@xunshi/types';
import type { FunctionModel } from '@xunshi/rules';
import type { FeatureSink, FeatureVector } from './function-features.js';

/** The functions in the order of a compiled model's weight arrays. */
export const MODEL_FUNCTIONS: readonly FunctionId[] = ['problem', 'cause', 'measure', 'context'];

/** One feature a compiled model knows: its name, its weight and its margin per function (in {@link MODEL_FUNCTIONS} order). */
export interface CompiledFeature {
  /** Dense index, for the scorer's per-feature bookkeeping. */
  id: number;
  name: string;
  w: Float64Array;
  /** margin[f] = w[f] − the largest weight of the other functions: how much the feature favours f over the rest. */
  margin: Float64Array;
}

/**
 * A function model compiled once per ruleset and thread: the features it weighs by name, and the segmenter-word
 * features (`word:W`, `start:W`, `pair:W1W2`) by the words themselves, so that scoring a unit looks its tokens up
 * without building a feature name for each.
 */
export interface CompiledFunctionModel {
  byName: Map<string, CompiledFeature>;
  word: Map<string, CompiledFeature>;
  start: Map<string, CompiledFeature>;
  /** `pair:W1W2` under every split of W1W2 into two non-empty parts: first part → second part → feature. */
  pair: Map<string, Map<string, CompiledFeature>>;
  /** Per feature id: the serial of the scorer that last wrote it, and where in that scorer's list it stands. */
  stamp: Int32Array;
  slot: Int32Array;
  /** The serial of the scorer whose stamps are current. */
  active: number;
  serials: number;
}

const compiled = new WeakMap<FunctionModel, CompiledFunctionModel>();

/** The model's weights as typed arrays by feature name (built once per model; a missing weight is 0, as in the file). */
export function compileFunctionModel(model: FunctionModel): CompiledFunctionModel {
  let out = compiled.get(model);
  if (out) return out;
  const byName = new Map<string, CompiledFeature>();
  const word = new Map<string, CompiledFeature>();
  const start = new Map<string, CompiledFeature>();
  const pair = new Map<string, Map<string, CompiledFeature>>();
  for (const [name, weights] of Object.entries(model.weights)) {
    if (!weights) continue;
    const w = Float64Array.from(MODEL_FUNCTIONS, (f) => weights[f] ?? 0);
    const margin = new Float64Array(MODEL_FUNCTIONS.length);
    for (let i = 0; i < MODEL_FUNCTIONS.length; i++) {
      let other = -Infinity;
      for (let j = 0; j < MODEL_FUNCTIONS.length; j++) if (j !== i) other = Math.max(other, w[j]!);
      margin[i] = w[i]! - other;
    }
    const feature: CompiledFeature = { id: byName.size, name, w, margin };
    byName.set(name, feature);
    if (name.startsWith('word:')) word.set(name.slice(5), feature);
    else if (name.startsWith('start:')) start.set(name.slice(6), feature);
    else if (name.startsWith('pair:')) {
      const both = name.slice(5);
      for (let k = 1; k < both.length; k++) {
        const first = both.slice(0, k);
        let next = pair.get(first);
        if (!next) pair.set(first, (next = new Map()));
        next.set(both.slice(k), feature);
      }
    }
  }
  out = { byName, word, start, pair, stamp: new Int32Array(byName.size), slot: new Int32Array(byName.size), active: 0, serials: 0 };
  compiled.set(model, out);
  return out;
}

/**
 * A feature sink that keeps only what a compiled model weighs (a feature the model does not know scores 0 and is never
 * cited), in the order the features were first set, with a later value of the same feature replacing the earlier one:
 * the same sums, in the same order, as scoring the feature Map.
 */
export class ModelScorer implements FeatureSink {
  readonly features: CompiledFeature[] = [];
  readonly values: number[] = [];
  private serial: number;

  constructor(readonly model: CompiledFunctionModel) {
    this.serial = ++model.serials;
  }

  set(name: string, value: number): void {
    const feature = this.model.byName.get(name);
    if (feature) this.add(feature, value);
  }

  word(text: string): void {
    const feature = this.model.word.get(text);
    if (feature) this.add(feature, 1);
  }

  start(text: string): void {
    const feature = this.model.start.get(text);
    if (feature) this.add(feature, 1);
  }

  pair(first: string, second: string): void {
    const feature = this.model.pair.get(first)?.get(second);
    if (feature) this.add(feature, 1);
  }

  private add(feature: CompiledFeature, value: number): void {
    const m = this.model;
    if (m.active !== this.serial) {
      // Another unit's scorer wrote the stamps since: take them back (a new serial marks every feature of this unit).
      this.serial = ++m.serials;
      m.active = this.serial;
      for (let i = 0; i < this.features.length; i++) {
        m.stamp[this.features[i]!.id] = this.serial;
        m.slot[this.features[i]!.id] = i;
      }
    }
    const id = feature.id;
    if (m.stamp[id] === this.serial) {
      this.values[m.slot[id]!] = value;
      return;
    }
    m.stamp[id] = this.serial;
    m.slot[id] = this.features.length;
    this.features.push(feature);
    this.values.push(value);
  }

  /** Linear scores per function, summed in feature order (zero contributions skipped, as a sum over the Map does). */
  scores(): Record<FunctionId, number> {
    let p = 0;
    let c = 0;
    let me = 0;
    let k = 0;
    for (let i = 0; i < this.features.length; i++) {
      const w = this.features[i]!.w;
      const value = this.values[i]!;
      let v = w[0]! * value;
      if (v !== 0) p += v;
      v = w[1]! * value;
      if (v !== 0) c += v;
      v = w[2]! * value;
      if (v !== 0) me += v;
      v = w[3]! * value;
      if (v !== 0) k += v;
    }
    return { problem: p, cause: c, measure: me, context: k };
  }

  /** A scorer holding the features of a feature Map. */
  static of(model: CompiledFunctionModel, x: FeatureVector): ModelScorer {
    const s = new ModelScorer(model);
    for (const [name, value] of x) s.set(name, value);
    return s;
  }
}

/** Sets `word:W` = 1 (W a segmenter word of two or more characters; checked by the caller). */
export function setWord(x: FeatureSink, text: string): void {
  if (x instanceof ModelScorer) x.word(text);
  else x.set(`word:${text}`, 1);
}

/** Sets `start:W` = 1. */
export function setStart(x: FeatureSink, text: string): void {
  if (x instanceof ModelScorer) x.start(text);
  else x.set(`start:${text}`, 1);
}

/** Sets `pair:W1W2` = 1. */
export function setPair(x: FeatureSink, first: string, second: string): void {
  if (x instanceof ModelScorer) x.pair(first, second);
  else x.set(`pair:${first}${second}`, 1);
}
