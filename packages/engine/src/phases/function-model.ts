import type { FunctionId, Token } from '@xunshi/types';
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
  /** Every word some `word:`, `start:` or `pair:` feature names, with those features: one lookup per token. */
  vocab: Map<string, WordFeatures>;
  /** Per feature id: the serial of the scorer that last wrote it, and where in that scorer's list it stands. */
  stamp: Int32Array;
  slot: Int32Array;
  /** The serial of the scorer whose stamps are current. */
  active: number;
  serials: number;
}

/** The features a word takes part in. */
export interface WordFeatures {
  /** `word:W`. */
  word?: CompiledFeature;
  /** `start:W`. */
  start?: CompiledFeature;
  /** `pair:WX` by X, under every split of a pair feature's words into two non-empty parts. */
  next?: Map<string, CompiledFeature>;
}

const compiled = new WeakMap<FunctionModel, CompiledFunctionModel>();

/** The model's weights as typed arrays by feature name (built once per model; a missing weight is 0, as in the file). */
export function compileFunctionModel(model: FunctionModel): CompiledFunctionModel {
  let out = compiled.get(model);
  if (out) return out;
  const byName = new Map<string, CompiledFeature>();
  const vocab = new Map<string, WordFeatures>();
  const entry = (w: string): WordFeatures => {
    let e = vocab.get(w);
    if (!e) vocab.set(w, (e = {}));
    return e;
  };
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
    if (name.startsWith('word:')) entry(name.slice(5)).word = feature;
    else if (name.startsWith('start:')) entry(name.slice(6)).start = feature;
    else if (name.startsWith('pair:')) {
      const both = name.slice(5);
      for (let k = 1; k < both.length; k++) (entry(both.slice(0, k)).next ??= new Map()).set(both.slice(k), feature);
    }
  }
  out = { byName, vocab, stamp: new Int32Array(byName.size), slot: new Int32Array(byName.size), active: 0, serials: 0 };
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
  /** The tokens of the last {@link words} call and each one's vocabulary entry (index-aligned), for reuse by the decision. */
  wordTokens: readonly Token[] | undefined;
  wordEntries: (WordFeatures | undefined)[] | undefined;
  private serial: number;

  constructor(readonly model: CompiledFunctionModel) {
    this.serial = ++model.serials;
  }

  set(name: string, value: number): void {
    const feature = this.model.byName.get(name);
    if (feature) this.add(feature, value);
  }

  /** The `word:` features of the unit's tokens (two characters or more), then its `pair:` features, in token order. */
  words(tokens: readonly Token[]): void {
    const { vocab } = this.model;
    const entries = new Array<WordFeatures | undefined>(tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const e = (entries[i] = vocab.get(t.text));
      if (e?.word && t.end - t.start >= 2) this.add(e.word, 1);
    }
    this.wordTokens = tokens;
    this.wordEntries = entries;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const feature = entries[i]?.next?.get(tokens[i + 1]!.text);
      if (feature) this.add(feature, 1);
    }
  }

  start(text: string): void {
    const feature = this.model.vocab.get(text)?.start;
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

/**
 * Sets `word:W` = 1 for every token W of two characters or more, then `pair:W1W2` = 1 for every two adjacent tokens,
 * in token order.
 */
export function setWordsAndPairs(x: FeatureSink, words: readonly Token[]): void {
  if (x instanceof ModelScorer) return x.words(words);
  for (const t of words) if (t.end - t.start >= 2) x.set(`word:${t.text}`, 1);
  for (let i = 0; i + 1 < words.length; i++) x.set(`pair:${words[i]!.text}${words[i + 1]!.text}`, 1);
}

/** Sets `start:W` = 1. */
export function setStart(x: FeatureSink, text: string): void {
  if (x instanceof ModelScorer) x.start(text);
  else x.set(`start:${text}`, 1);
}

