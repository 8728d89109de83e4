import type { FunctionId, TokenColumns } from '@xunshi/types';
import type { UnitWords } from '../words.js';
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
  /** The same words (and every second part of a pair feature) by their code units: a token's id without hashing a new string. */
  words: WordTable;
  /** Per word id, its features (undefined: a word that is only the second part of pairs). */
  byId: (WordFeatures | undefined)[];
  /** Per word id, the id of its `word:` feature and of its `start:` feature (−1: none), and 1 when it opens a pair feature. */
  wordFeature: Int32Array;
  startFeature: Int32Array;
  opensPair: Uint8Array;
  /** Every feature's weights and margins, four per feature id (in {@link MODEL_FUNCTIONS} order), in one array each. */
  weights: Float64Array;
  margins: Float64Array;
  /** The word id of every token of the last document's token columns (−2: not looked up yet), each looked up once. */
  idColumns: TokenColumns | undefined;
  tokenIds: Int32Array;
  /** Every feature by its id (`CompiledFeature.id`): what the word table's pairs point to. */
  features: CompiledFeature[];
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

/**
 * Words by their UTF-16 code units, in an open-addressing table: the id of a token's text is found from its characters
 * (a hash computed here, the characters compared to confirm), where a Map would first hash each token string anew; and
 * pairs of word ids, in a second table.
 */
export class WordTable {
  private readonly slots: Int32Array;
  private readonly hashes: Int32Array;
  private readonly mask: number;
  /** Each word's code units, one after another: word k is `chars[at[k] .. at[k + 1])`. */
  private readonly chars: Uint16Array;
  private readonly at: Int32Array;
  readonly keys: string[];
  private pairSlots = new Int32Array(16);
  private pairKeys = new Int32Array(32);
  private pairValues: number[] = [];

  constructor(words: Iterable<string>) {
    const list = (this.keys = [...new Set(words)]);
    let size = 16;
    while (size < list.length * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    this.at = new Int32Array(list.length + 1);
    let total = 0;
    list.forEach((w, k) => {
      this.at[k] = total;
      total += w.length;
    });
    this.at[list.length] = total;
    this.chars = new Uint16Array(total);
    list.forEach((w, k) => {
      for (let j = 0; j < w.length; j++) this.chars[this.at[k]! + j] = w.charCodeAt(j);
      const h = hashOf(w);
      let i = h & this.mask;
      while (this.slots[i] !== 0) i = (i + 1) & this.mask;
      this.slots[i] = k + 1;
      this.hashes[i] = h;
    });
  }

  /** The id of `text`, or −1 when it is not a word of the table. */
  idOf(text: string): number {
    const { slots, hashes, mask, chars, at } = this;
    const h = hashOf(text);
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const k = slots[i]!;
      if (k === 0) return -1;
      if (hashes[i] !== h) continue;
      const start = at[k - 1]!;
      if (at[k]! - start !== text.length) continue;
      let j = 0;
      while (j < text.length && chars[start + j] === text.charCodeAt(j)) j++;
      if (j === text.length) return k - 1;
    }
  }

  /** Remember `value` (≥ 0) for the pair of word ids (a, b). */
  setPair(a: number, b: number, value: number): void {
    if ((this.pairValues.length + 1) * 2 > this.pairSlots.length) this.growPairs();
    this.pairValues.push(value);
    this.insertPair(a, b, this.pairValues.length);
  }

  /** The value remembered for the pair (a, b), or −1. */
  pair(a: number, b: number): number {
    const { pairSlots, pairKeys } = this;
    const mask = pairSlots.length - 1;
    for (let i = pairHash(a, b) & mask; ; i = (i + 1) & mask) {
      const k = pairSlots[i]!;
      if (k === 0) return -1;
      if (pairKeys[2 * (k - 1)] === a && pairKeys[2 * (k - 1) + 1] === b) return this.pairValues[k - 1]!;
    }
  }

  private insertPair(a: number, b: number, k: number): void {
    const mask = this.pairSlots.length - 1;
    let i = pairHash(a, b) & mask;
    while (this.pairSlots[i] !== 0) i = (i + 1) & mask;
    this.pairSlots[i] = k;
    if (this.pairKeys.length < 2 * k) {
      const keys = new Int32Array(this.pairKeys.length * 2);
      keys.set(this.pairKeys);
      this.pairKeys = keys;
    }
    this.pairKeys[2 * (k - 1)] = a;
    this.pairKeys[2 * (k - 1) + 1] = b;
  }

  private growPairs(): void {
    const old = this.pairKeys;
    const n = this.pairValues.length;
    this.pairSlots = new Int32Array(this.pairSlots.length * 2);
    for (let k = 1; k <= n; k++) this.insertPair(old[2 * (k - 1)]!, old[2 * (k - 1) + 1]!, k);
  }
}

const pairHash = (a: number, b: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 0;

/** FNV-1a over a string's code units (a signed 32-bit integer, as the table stores it). */
function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
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
  const seconds: string[] = [];
  for (const e of vocab.values()) if (e.next) seconds.push(...e.next.keys());
  const words = new WordTable([...vocab.keys(), ...seconds]);
  const byId = words.keys.map((w) => vocab.get(w));
  for (const [w, e] of vocab) if (e.next) for (const [x, f] of e.next) words.setPair(words.idOf(w), words.idOf(x), f.id);
  const wordFeature = Int32Array.from(byId, (e) => e?.word?.id ?? -1);
  const startFeature = Int32Array.from(byId, (e) => e?.start?.id ?? -1);
  const opensPair = Uint8Array.from(byId, (e) => (e?.next === undefined ? 0 : 1));
  const F = MODEL_FUNCTIONS.length;
  const weights = new Float64Array(byName.size * F);
  const margins = new Float64Array(byName.size * F);
  for (const f of byName.values()) {
    weights.set(f.w, f.id * F);
    margins.set(f.margin, f.id * F);
  }
  out = {
    byName,
    weights,
    margins,
    vocab,
    words,
    byId,
    wordFeature,
    startFeature,
    opensPair,
    idColumns: undefined,
    tokenIds: new Int32Array(0),
    features: [...byName.values()],
    stamp: new Int32Array(byName.size),
    slot: new Int32Array(byName.size),
    active: 0,
    serials: 0,
  };
  compiled.set(model, out);
  return out;
}

/**
 * The word ids of a document's tokens, by token index (−2 for a token not looked up yet): one array per document and
 * model, so each token's text is hashed once for the scorer and the decision alike.
 */
export function tokenIdsOf(m: CompiledFunctionModel, columns: TokenColumns): Int32Array {
  if (m.idColumns !== columns) {
    m.idColumns = columns;
    m.tokenIds = new Int32Array(columns.count).fill(-2);
  }
  return m.tokenIds;
}

/**
 * A feature sink that keeps only what a compiled model weighs (a feature the model does not know scores 0 and is never
 * cited), in the order the features were first set, with a later value of the same feature replacing the earlier one:
 * the same sums, in the same order, as scoring the feature Map.
 */
export class ModelScorer implements FeatureSink {
  readonly features: CompiledFeature[] = [];
  readonly values: number[] = [];
  /** The id of each feature in `features` (index-aligned): the scores read the model's flat weight array by it. */
  private readonly ids: number[] = [];
  /** The tokens of the last {@link words} call and the word ids of their document's tokens (see {@link tokenIdsOf}), for reuse by the decision. */
  wordTokens: UnitWords | undefined;
  wordIds: Int32Array | undefined;
  private serial: number;

  constructor(readonly model: CompiledFunctionModel) {
    this.serial = ++model.serials;
  }

  set(name: string, value: number): void {
    const feature = this.model.byName.get(name);
    if (feature) this.add(feature, value);
  }

  /** The `word:` features of the unit's tokens (two characters or more), then its `pair:` features, in token order. */
  words(tokens: UnitWords): void {
    const m = this.model;
    const { words, wordFeature, opensPair, features } = m;
    const ids = tokenIdsOf(m, tokens.columns);
    const { starts, ends, texts } = tokens.columns;
    const { from, to } = tokens;
    for (let k = from; k < to; k++) {
      let id = ids[k]!;
      if (id === -2) id = ids[k] = words.idOf(texts[k]!);
      if (id < 0) continue;
      const f = wordFeature[id]!;
      if (f >= 0 && ends[k]! - starts[k]! >= 2) this.add(features[f]!, 1);
    }
    this.wordTokens = tokens;
    this.wordIds = ids;
    for (let k = from; k + 1 < to; k++) {
      const a = ids[k]!;
      if (a < 0 || opensPair[a] === 0) continue;
      const b = ids[k + 1]!;
      if (b < 0) continue;
      const f = words.pair(a, b);
      if (f >= 0) this.add(features[f]!, 1);
    }
  }

  start(text: string): void {
    const m = this.model;
    const id = m.words.idOf(text);
    const f = id < 0 ? -1 : m.startFeature[id]!;
    if (f >= 0) this.add(m.features[f]!, 1);
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
    this.ids.push(id);
    this.values.push(value);
  }

  /** Linear scores per function, summed in feature order (zero contributions skipped, as a sum over the Map does). */
  scores(): Record<FunctionId, number> {
    let p = 0;
    let c = 0;
    let me = 0;
    let k = 0;
    const w = this.model.weights;
    const { ids, values } = this;
    for (let i = 0; i < ids.length; i++) {
      const at = ids[i]! * 4;
      const value = values[i]!;
      let v = w[at]! * value;
      if (v !== 0) p += v;
      v = w[at + 1]! * value;
      if (v !== 0) c += v;
      v = w[at + 2]! * value;
      if (v !== 0) me += v;
      v = w[at + 3]! * value;
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
export function setWordsAndPairs(x: FeatureSink, words: UnitWords): void {
  if (x instanceof ModelScorer) return x.words(words);
  for (let i = 0; i < words.length; i++) if (words.end(i) - words.start(i) >= 2) x.set(`word:${words.text(i)}`, 1);
  for (let i = 0; i + 1 < words.length; i++) x.set(`pair:${words.text(i)}${words.text(i + 1)}`, 1);
}

/** Sets `start:W` = 1. */
export function setStart(x: FeatureSink, text: string): void {
  if (x instanceof ModelScorer) x.start(text);
  else x.set(`start:${text}`, 1);
}

