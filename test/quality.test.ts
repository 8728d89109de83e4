import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { createOutOfFoldAnalyzer, evaluateGold, formatHeadline, type ScoreFigures } from '@xunshi/eval';
import { REPO_DIR, SHARED_DIR, hasShared } from './support/shared.js';

interface Floors {
  category: number;
  rootCause: number;
  function: number;
  subcategory: number;
}

// Accuracy is measured on real reports only (../shared/corpus): the sample reports the project wrote (corpus/) follow
// the rules' own wording and stay fixtures for edge cases (encodings, Markdown, traditional script), outside these
// figures. The function and category models (rules/function-model.json, rules/category-model.json) are fitted on dev
// and the real tuning part, so their figures are fitted ones; the real held-out part is never used for fitting or for writing rules.
//
// The accuracy issue's floors. dev meets them. The real parts do not yet, so they are held by ratchets (the figures
// when this was written, less 0.02) and the issue stays open:
//   real tuning   issue 0.85 / 0.80 / 0.88 / 0.90, measured 0.836 / 0.814 / 0.959 / 0.893
//   real held-out issue 0.80 / 0.75 / 0.85 / 0.90, measured 0.711 / 0.694 / 0.836 / 0.894
// and, for the tuning part read out of fold (both models refitted without each document's site, `eval --out-of-fold`:
// what the models give a text from a new site), measured 0.773 / 0.778 / 0.824 / 0.898
// (a ratchet rises to the new figure less 0.02 only where that is above it)
// (category micro-F1 / root-cause micro-F1 / function accuracy / subcategory accuracy).
const DEV_FLOORS: Floors = { category: 0.88, rootCause: 0.85, function: 0.92, subcategory: 0.9 };
const TUNING_RATCHET: Floors = { category: 0.817, rootCause: 0.796, function: 0.94, subcategory: 0.873 };
const HELD_OUT_RATCHET: Floors = { category: 0.692, rootCause: 0.674, function: 0.816, subcategory: 0.874 };
const TUNING_OUT_OF_FOLD_RATCHET: Floors = { category: 0.755, rootCause: 0.761, function: 0.803, subcategory: 0.878 };

function expectFloors(name: string, f: ScoreFigures, floors: Floors): void {
  console.log(`${name}: ${formatHeadline(f)}`);
  expect.soft(f.categories.micro.f1, `${name} category micro-F1`).toBeGreaterThanOrEqual(floors.category);
  expect.soft(f.rootCauses.micro.f1, `${name} root-cause micro-F1`).toBeGreaterThanOrEqual(floors.rootCause);
  expect.soft(f.functions.accuracy, `${name} function accuracy`).toBeGreaterThanOrEqual(floors.function);
  expect.soft(f.subcategoryAccuracy, `${name} subcategory accuracy`).toBeGreaterThanOrEqual(floors.subcategory);
}

describe('quality floors on real reports', () => {
  const analyzer = createAnalyzer();

  const dev = hasShared('corpus/dev');
  it.skipIf(!dev)('holds the issue floors on ../shared/corpus/dev (skipped, not passed, when ../shared is absent)', () => {
    const r = evaluateGold(analyzer, `${SHARED_DIR}corpus/dev`);
    expect(r.documents).toBeGreaterThanOrEqual(30);
    expectFloors('../shared/corpus/dev', r.overall, DEV_FLOORS);
    // Texts that are not inspection reports stay (nearly) all context.
    expect(r.perKind.negative!.functions.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  const real = hasShared('corpus/real/index.tsv');
  it.skipIf(!real)('holds its ratchets on the real tuning part (skipped, not passed, when ../shared is absent)', () => {
    const r = evaluateGold(analyzer, `${SHARED_DIR}corpus/real`, { part: 'tuning' });
    expect(r.documents).toBeGreaterThanOrEqual(120);
    expectFloors('../shared/corpus/real tuning', r.overall, TUNING_RATCHET);
  });

  it.skipIf(!dev || !real)('holds its ratchets on the real tuning part read out of fold (skipped, not passed, when ../shared is absent)', () => {
    const folds = createOutOfFoldAnalyzer(analyzer, [`${SHARED_DIR}corpus/dev`, `${SHARED_DIR}corpus/real`]);
    expect(folds.models).toEqual(['function', 'category']);
    const r = evaluateGold(folds.analyzer, `${SHARED_DIR}corpus/real`, { part: 'tuning' });
    expectFloors('../shared/corpus/real tuning, out of fold', r.overall, TUNING_OUT_OF_FOLD_RATCHET);
  });

  it.skipIf(!real)('holds its ratchets on the real held-out part (skipped, not passed, when ../shared is absent)', () => {
    const r = evaluateGold(analyzer, `${SHARED_DIR}corpus/real`, { part: 'held-out' });
    expect(r.documents).toBeGreaterThanOrEqual(60);
    expectFloors('../shared/corpus/real held-out', r.overall, HELD_OUT_RATCHET);
  });

  it.skipIf(!dev)('the rules beat the naive Bayes baseline on every headline figure (dev)', async () => {
    const { evaluateBaseline } = await import('@xunshi/eval');
    const rules = evaluateGold(analyzer, `${SHARED_DIR}corpus/dev`).overall;
    const base = evaluateBaseline(analyzer, `${REPO_DIR}corpus`, `${SHARED_DIR}corpus/dev`).figures;
    console.log(`baseline on dev: ${formatHeadline(base)}`);
    expect(rules.categories.micro.f1).toBeGreaterThan(base.categories.micro.f1);
    expect(rules.rootCauses.micro.f1).toBeGreaterThan(base.rootCauses.micro.f1);
    expect(rules.functions.accuracy).toBeGreaterThan(base.functions.accuracy);
    expect(rules.subcategoryAccuracy).toBeGreaterThan(base.subcategoryAccuracy);
  });
});
