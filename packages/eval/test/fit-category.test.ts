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
    expect(formatCategoryFitText(r)).toMatch(/cross-validated category micro-F1 by site \(3 folds\): model F1 0\.\d{3} \(P 0\.\d{3} R 0\.\d{3}\) at threshold -?[\d.]+  hand-set thresholds F1/);
    const again = fitCategoryFromGold(analyzer, [fx.dir], { folds: 3, fit: { iterations: 200, minSupport: 1, minGroups: 1 } });
    expect(formatCategoryModel(again, '/')).toBe(formatCategoryModel(r, '/'));
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
