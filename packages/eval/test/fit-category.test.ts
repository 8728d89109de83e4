import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { CATEGORY_THRESHOLD_GRID, collectCategoryUnits, fitCategoryFromGold, formatCategoryFitText, formatCategoryModel, writeFileAtomic } from '@xunshi/eval';
import { writeGoldFixture } from '../../../test/support/gold-fixture.js';
import { REPO_DIR } from '../../../test/support/shared.js';

describe('fitCategoryFromGold', () => {
  const fx = writeGoldFixture();
  const analyzer = createAnalyzer();

  it('never reads held-out documents and pairs each gold unit with its candidate categories', () => {
    const { units, heldOut } = collectCategoryUnits(analyzer, [fx.dir]);
    expect(heldOut).toEqual([{ folder: fx.dir, documents: fx.heldOut.length }]);
    const docs = new Set(units.map((u) => u.doc.split('/')[1]));
    for (const id of fx.heldOut) expect(docs.has(id)).toBe(false);
    expect(units.some((u) => u.candidates.length > 0)).toBe(true);
    for (const u of units) for (const c of u.candidates) expect(c.x.get('bias')).toBe(1);
  });

  it('cross-validates by site against the hand-set thresholds; the result is deterministic', () => {
    const r = fitCategoryFromGold(analyzer, [fx.dir], { folds: 3, fit: { iterations: 200, minSupport: 1, minGroups: 1 } });
    const cv = r.crossValidation;
    expect(r.sites).toBe(5);
    // Every gold category is counted once, by the model and by the thresholds alike: kept (tp) or missed (fn).
    const gold = collectCategoryUnits(analyzer, [fx.dir]).units.reduce((n, u) => n + u.gold.size, 0);
    expect(cv.model.tp + cv.model.fn).toBe(gold);
    expect(cv.rules.tp + cv.rules.fn).toBe(gold);
    expect(r.uncovered).toBeLessThanOrEqual(cv.rules.fn);
    expect(r.weights.bias).toBeDefined();
    expect(formatCategoryFitText(r)).toMatch(/cross-validated category micro-F1 by site \(3 folds; functions of a model fitted without the fold, accuracy [01]\.\d{3}\): model F1 0\.\d{3} \(P 0\.\d{3} R 0\.\d{3}\) at threshold -?[\d.]+  hand-set thresholds F1/);
    const again = fitCategoryFromGold(analyzer, [fx.dir], { folds: 3, fit: { iterations: 200, minSupport: 1, minGroups: 1 } });
    expect(formatCategoryModel(again, '/')).toBe(formatCategoryModel(r, '/'));
  });

  it('scores each fold under a function model fitted without its sites unless told otherwise', () => {
    const fit = { iterations: 200, minSupport: 1, minGroups: 1 };
    const oof = fitCategoryFromGold(analyzer, [fx.dir], { folds: 3, fit, threshold: 0 });
    const fitted = fitCategoryFromGold(analyzer, [fx.dir], { folds: 3, fit, threshold: 0, functionFolds: false });
    expect(oof.functions).toBe('out-of-fold');
    expect(fitted.functions).toBe('fitted');
    // The final weights are fitted on the same candidates either way: only the cross-validated figures differ.
    expect(oof.weights).toEqual(fitted.weights);
    // The fitted readings are those of the analyzer itself.
    const { units } = collectCategoryUnits(analyzer, [fx.dir]);
    expect(fitted.functionAccuracy).toBe(units.filter((u) => u.functionRight).length / units.length);
    expect(oof.functionAccuracy).toBeGreaterThanOrEqual(0);
    expect(oof.functionAccuracy).toBeLessThanOrEqual(1);
    expect(formatCategoryFitText(fitted)).toMatch(/functions of the analyzer's fitted model, accuracy/);
    expect(JSON.parse(formatCategoryModel(oof, '/')).fitted.crossValidation).toMatchObject({ functions: 'out-of-fold' });
  });

  it('reads a document under the function model it is given', () => {
    const text = '巡视组指出，一些干部形式主义问题突出。要求压实主体责任，建立健全制度。';
    const own = analyzer.categoryCandidatesOf(text);
    // A model whose only weight says "cause" makes every unit a cause.
    const cause = analyzer.categoryCandidatesOf(text, { functionModel: { weights: { bias: { cause: 5 } } } });
    expect(own.passages.map((p) => p.function)).not.toEqual(own.passages.map(() => 'cause'));
    expect(cause.passages.map((p) => p.function)).toEqual(own.passages.map(() => 'cause'));
    // The analyzer's own model is untouched.
    expect(analyzer.categoryCandidatesOf(text).passages.map((p) => p.function)).toEqual(own.passages.map((p) => p.function));
    expect(() => analyzer.categoryCandidatesOf(text, { functionModel: null as never })).toThrow(/options.functionModel must be an object with weights/);
  });

  it('decides categories and root causes under the functions functionOf puts in place', () => {
    const text = '巡视组指出，一些干部形式主义问题突出。要求压实主体责任，建立健全制度。';
    const own = analyzer.categoryCandidatesOf(text);
    expect(own.passages.map((p) => p.function)).toEqual(['problem', 'measure']);
    expect(own.passages[0]!.categories.map((c) => c.id)).toContain('conduct');
    const seen: [string, number][] = [];
    const put = analyzer.categoryCandidatesOf(text, {
      functionOf: (unit, index) => {
        seen.push([unit.text, index]);
        return index === 0 ? 'context' : undefined;
      },
    });
    // Each unit is offered once, in order; undefined keeps the decided function.
    expect(seen).toEqual(own.units.map((u, i) => [u.text, i]));
    expect(put.passages.map((p) => p.function)).toEqual(['context', 'measure']);
    // A finding read as context keeps no area at the ordinary strength, and its candidates carry the function given.
    expect(put.passages[0]!.categories).toEqual([]);
    const first = put.candidates.filter((c) => c.unit === 0);
    expect(first.length).toBeGreaterThan(0);
    for (const c of first) expect(c.x.get('fn:context')).toBe(1);
    expect(put.passages[1]!.rootCauses).toEqual(own.passages[1]!.rootCauses);
    // The analyzer itself is untouched.
    expect(analyzer.categoryCandidatesOf(text).passages).toEqual(own.passages);
    expect(() => analyzer.categoryCandidatesOf(text, { functionOf: 'context' as never })).toThrow(/options.functionOf must be a function/);
    expect(() => analyzer.categoryCandidatesOf(text, { functionOf: () => 'finding' as never })).toThrow(/functionOf returned "finding" for unit 0; expected one of problem, cause, measure, context or undefined/);
  });

  it('refuses fewer than 2 folds', () => {
    expect(() => fitCategoryFromGold(analyzer, [fx.dir], { folds: 1 })).toThrow(/--folds must be an integer of at least 2/);
  });

  it('writes JSON that the rules loader accepts as category-model.json', () => {
    const r = fitCategoryFromGold(analyzer, [fx.dir], { folds: 2, fit: { iterations: 100, minSupport: 1, minGroups: 1 } });
    const json = formatCategoryModel(r, fx.dir);
    const data = JSON.parse(json) as { description: string; threshold: number; fitted: Record<string, unknown>; weights: Record<string, number> };
    expect(data.description).toMatch(/^Fitted weights of the category model/);
    expect(CATEGORY_THRESHOLD_GRID).toContain(data.threshold); // chosen by cross-validation
    expect(fitCategoryFromGold(analyzer, [fx.dir], { folds: 2, threshold: 0.5, fit: { iterations: 100, minSupport: 1, minGroups: 1 } }).threshold).toBe(0.5);
    expect(data.fitted).toMatchObject({ data: ['.'], refusedHeldOut: 2 });
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-fit-category-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    writeFileAtomic(join(rules, 'category-model.json'), json);
    const refitted = createAnalyzer({ rules });
    expect(refitted.ruleset.categoryModel!.weights).toEqual(data.weights);
    expect(refitted.analyze('巡视组指出，一些干部形式主义问题突出。').passages.length).toBeGreaterThan(0);
  });
});
