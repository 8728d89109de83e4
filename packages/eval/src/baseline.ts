import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { CategoryId, FunctionId, RootCauseId } from '@xunshi/types';
import { CATEGORY_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import { readDocument } from '@xunshi/document';
import { createMatchingCopy, segment } from '@xunshi/tokenizer';
import type { EvalAnalyzer as Analyzer } from './analyzer.js';
import { checkGoldOffsets, findGoldDocuments, readGoldFile } from './eval.js';
import { addUnitScore, computeScoreFigures, createScoreCounts, type GoldUnit, type ScoreFigures, type SystemLabels } from './score.js';

interface NaturalClassifier {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  textToFeatures(tokens: string[]): number[];
  /** The trained apparatus model: per-class feature counts and class totals. */
  classifier: { classFeatures: Record<string, Record<number, number>>; classTotals: Record<string, number>; totalExamples: number; smoothing: number };
}

/**
 * Log posterior (up to a constant) of every class under a Bernoulli naive Bayes model built from natural's trained
 * (smoothed) document counts. natural's own decision multiplies out `exp(sum of logs)`, which underflows to 0 for long
 * sentences, and it ignores absent words, which makes a rare class win on any unseen word; both are fixed here by
 * scoring every vocabulary word, present or absent, in log space.
 */
function logPosteriors(c: NaturalClassifier, tokens: string[]): Map<string, number> {
  const obs = c.textToFeatures(tokens);
  const m = c.classifier;
  const out = new Map<string, number>();
  for (const label of Object.keys(m.classTotals).sort()) {
    const total = m.classTotals[label]! + m.smoothing;
    let lp = Math.log(m.classTotals[label]! / m.totalExamples);
    for (let i = 0; i < obs.length; i++) {
      const p = (m.classFeatures[label]?.[i] || m.smoothing) / total;
      lp += Math.log(obs[i] ? p : 1 - p);
    }
    out.set(label, lp);
  }
  return out;
}

function classify(c: NaturalClassifier, tokens: string[]): string {
  let best = '';
  let bestLp = -Infinity;
  for (const [label, lp] of logPosteriors(c, tokens)) if (lp > bestLp) [best, bestLp] = [label, lp];
  return best;
}

/** A yes/no decision of a one-vs-rest classifier. */
function decideYes(c: NaturalClassifier, tokens: string[]): boolean {
  const lp = logPosteriors(c, tokens);
  if (!lp.has('yes')) return false;
  if (!lp.has('no')) return true;
  return lp.get('yes')! > lp.get('no')!;
}

type BayesCtor = new () => NaturalClassifier;

// natural's main entry pulls in database clients and prints dotenv tips; only the Bayes classifier is needed.
const require = createRequire(import.meta.url);
const loadBayes = (): BayesCtor => require('natural/lib/natural/classifiers/bayes_classifier.js') as BayesCtor;

/** Word tokens of a unit's text (matching copy, jieba tokens with a Han letter or digit), as classifier features. */
function featuresOf(text: string, analyzer: Analyzer): string[] {
  const { normalized } = createMatchingCopy(text);
  return segment(normalized, [{ start: 0, end: normalized.length }], analyzer.lexicon)
    .map((t) => t.text)
    .filter((w) => /[\p{Script=Han}\p{L}\p{N}]/u.test(w));
}

interface LabelledUnit {
  features: string[];
  gold: GoldUnit;
}

/**
 * The labelled units of a gold folder: for training, those of every document not held out (held-out documents are never
 * fitted on, as `rules fit` refuses them); for scoring, those of the documents `evaluateGold` scores with the same `part`.
 */
function readUnits(dir: string, analyzer: Analyzer, use: { train: true } | { train: false; part?: string }): LabelledUnit[] {
  const out: LabelledUnit[] = [];
  const docs = use.train ? findGoldDocuments(dir).filter((d) => d.part !== 'held-out') : findGoldDocuments(dir, use.part !== undefined ? { part: use.part } : {});
  for (const d of docs) {
    const gold = readGoldFile(d.goldPath);
    // Decode like the analyzer does (GB18030 files included), so gold offsets point into the same text.
    const doc = readDocument(readFileSync(d.textPath), { path: d.textPath });
    checkGoldOffsets(gold, doc.text.length, d.goldPath);
    for (const u of gold.units) out.push({ features: featuresOf(doc.text.slice(u.start, u.end), analyzer), gold: u });
  }
  return out;
}

/**
 * An honest supervised baseline for the rules: naive Bayes classifiers from `natural` (decided on log posteriors) over jieba tokens, trained on
 * the units of `trainDir` (one 4-way classifier for the function, one yes/no classifier per category and per root
 * cause, one classifier over subcategories per category) and scored on `testDir` with the same protocol as the rules.
 */
export function evaluateBaseline(analyzer: Analyzer, trainDir: string, testDir: string, options: { part?: string } = {}): { train: number; figures: ScoreFigures } {
  const Bayes = loadBayes();
  const train = readUnits(trainDir, analyzer, { train: true });
  const fn = new Bayes();
  const cat = new Map<CategoryId, NaturalClassifier>(CATEGORY_IDS.map((c) => [c, new Bayes()]));
  const sub = new Map<CategoryId, NaturalClassifier>(CATEGORY_IDS.map((c) => [c, new Bayes()]));
  const subSeen = new Map<CategoryId, Set<string>>(CATEGORY_IDS.map((c) => [c, new Set()]));
  const rc = new Map<RootCauseId, NaturalClassifier>(ROOT_CAUSE_IDS.map((r) => [r, new Bayes()]));
  for (const { features, gold } of train.filter((u) => u.features.length > 0)) {
    fn.addDocument(features, gold.function);
    for (const c of CATEGORY_IDS) {
      const entries = gold.categories.filter((x) => x.id === c);
      cat.get(c)!.addDocument(features, entries.length ? 'yes' : 'no');
      for (const e of entries) {
        sub.get(c)!.addDocument(features, e.subcategory ?? 'null');
        subSeen.get(c)!.add(e.subcategory ?? 'null');
      }
    }
    for (const r of ROOT_CAUSE_IDS) rc.get(r)!.addDocument(features, gold.rootCauses.includes(r) ? 'yes' : 'no');
  }
  fn.train();
  for (const c of CATEGORY_IDS) {
    cat.get(c)!.train();
    if (subSeen.get(c)!.size) sub.get(c)!.train();
  }
  for (const r of ROOT_CAUSE_IDS) rc.get(r)!.train();
  const counts = createScoreCounts();
  for (const { features, gold } of readUnits(testDir, analyzer, { train: false, ...(options.part !== undefined ? { part: options.part } : {}) })) {
    const sys: SystemLabels = { function: 'context', categories: [], rootCauses: [], rules: [] };
    if (features.length) {
      sys.function = classify(fn, features) as FunctionId;
      for (const c of CATEGORY_IDS) {
        if (!decideYes(cat.get(c)!, features)) continue;
        const s = subSeen.get(c)!.size ? classify(sub.get(c)!, features) : 'null';
        sys.categories.push({ id: c, subcategory: s === 'null' ? null : s });
      }
      for (const r of ROOT_CAUSE_IDS) if (decideYes(rc.get(r)!, features)) sys.rootCauses.push(r);
    }
    addUnitScore(counts, gold, sys);
  }
  return { train: train.length, figures: computeScoreFigures(counts) };
}
