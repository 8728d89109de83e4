import { cpSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { collectFitSamples, fitFromGold, foldsBySite, forEachFitDocument, formatFitText, formatFunctionModel, predictFunction, readGoldFile, writeFileAtomic } from '@xunshi/eval';
import { writeGoldFixture } from '../../../test/support/gold-fixture.js';
import { REPO_DIR } from '../../../test/support/shared.js';

describe('analyzer.featuresOf', () => {
  const analyzer = createAnalyzer();
  it('gives one feature vector per unit, with the hand-set rules (the fitted model ignored)', () => {
    const text = readFileSync(join(REPO_DIR, 'corpus/tuning/feedback-02.txt'));
    const { units, features, passages } = analyzer.featuresOf(text, { path: 'feedback-02.txt' });
    const report = analyzer.analyze(text, { path: 'feedback-02.txt' });
    expect(units.length).toBe(report.passages.length);
    expect(features).toHaveLength(units.length);
    expect(passages).toHaveLength(units.length);
    expect(features.every((f) => f.get('bias') === 1)).toBe(true);
    // The hand-set decisions carry no model evidence; the analyzer's own (with the shipped model) does.
    const fromModel = (ps: typeof passages): boolean => ps.flatMap((p) => p.functionEvidence).some((e) => e.rule.startsWith('function-model:'));
    expect(fromModel(passages)).toBe(false);
    if (analyzer.ruleset.functionModel) expect(fromModel(report.passages)).toBe(true);
    expect(passages.map((p) => [p.start, p.end])).toEqual(report.passages.map((p) => [p.start, p.end]));
  });
});

describe('predictFunction', () => {
  it('takes the highest score, ties to context', () => {
    const w = { bias: { problem: 0.1, context: 0.1 }, x: { measure: 2 } };
    expect(predictFunction(w, new Map([['bias', 1]]))).toBe('context');
    expect(predictFunction(w, new Map([['bias', 1], ['x', 1]]))).toBe('measure');
    expect(predictFunction(w, new Map([['unknown', 5]]))).toBe('context');
  });
});

describe('fitFromGold', () => {
  const fx = writeGoldFixture();
  const analyzer = createAnalyzer();

  it('visits each fit document with its gold file, whose units line up with the analysis', () => {
    const seen: string[] = [];
    forEachFitDocument([fx.dir], (d, bytes, align) => {
      seen.push(d.goldPath);
      const gold = readGoldFile(d.goldPath);
      expect(d.goldPath.endsWith('.gold.json')).toBe(true);
      expect(align(analyzer.featuresOf(bytes, { path: d.textPath }).units).map(([g]) => g)).toEqual(gold.units);
    });
    expect(seen.length).toBeGreaterThan(0);
    for (const id of fx.heldOut) expect(seen.some((p) => p.includes(id))).toBe(false);
  });

  it('fits on each document once when a folder is given twice, spelt another way or through a link', () => {
    const once = collectFitSamples(analyzer, [fx.dir]).samples.length;
    const link = join(mkdtempSync(join(tmpdir(), 'xunshi-fit-link-')), 'gold');
    symlinkSync(fx.dir, link);
    expect(collectFitSamples(analyzer, [fx.dir, `${fx.dir}/`, link]).samples.length).toBe(once);
  });

  it('never reads held-out documents (their gold files here are not JSON) and says so', () => {
    const { samples, heldOut } = collectFitSamples(analyzer, [fx.dir]);
    expect(heldOut).toEqual([{ folder: fx.dir, documents: fx.heldOut.length }]);
    const docs = new Set(samples.map((s) => s.doc.split('/')[1]));
    for (const id of fx.heldOut) expect(docs.has(id)).toBe(false);
    expect(docs.has(fx.unindexed)).toBe(true);
    // Groups: the index's sites, and the document id where the index has no row.
    expect([...new Set(samples.map((s) => s.group))].sort()).toEqual(['analysis-04', 'site-a.example', 'site-b.example', 'site-c.example', 'site-d.example']);
  });

  it('cross-validates by site and compares with the rules; the result is deterministic', () => {
    const r = fitFromGold(analyzer, [fx.dir], { folds: 3, fit: { iterations: 200 } });
    expect(r.sites).toBe(5);
    expect(r.folds).toBe(3);
    expect(r.crossValidation.units).toBe(r.samples);
    expect(r.crossValidation.model).toBeGreaterThan(0);
    expect(r.crossValidation.model).toBeLessThanOrEqual(1);
    expect(Object.values(r.crossValidation.perKind).reduce((n, k) => n + k.units, 0)).toBe(r.samples);
    expect(r.weights.bias).toBeDefined();
    const text = formatFitText(r);
    expect(text).toMatch(/refused 2 document\(s\) of .* marked part=held-out/);
    expect(text).toMatch(/cross-validated function accuracy by site \(3 folds\): model 0\.\d{3}  rules without the model 0\.\d{3}/);
    const again = fitFromGold(analyzer, [fx.dir], { folds: 3, fit: { iterations: 200 } });
    expect(formatFunctionModel(again, '/')).toBe(formatFunctionModel(r, '/'));
  });

  it('repeats cross-validation over other splits of the sites and reports the mean; the first split is the single run', () => {
    const one = fitFromGold(analyzer, [fx.dir], { folds: 2, fit: { iterations: 100 } });
    const three = fitFromGold(analyzer, [fx.dir], { folds: 2, repeats: 3, fit: { iterations: 100 } });
    expect(one.repeats).toBe(1);
    expect(one.crossValidation.perRepeat).toEqual([one.crossValidation.model]);
    expect(three.repeats).toBe(3);
    expect(three.crossValidation.perRepeat).toHaveLength(3);
    expect(three.crossValidation.perRepeat[0]).toBe(one.crossValidation.model);
    const mean = three.crossValidation.perRepeat.reduce((a, b) => a + b, 0) / 3;
    expect(three.crossValidation.model).toBeCloseTo(mean, 10);
    expect(three.crossValidation.units).toBe(three.samples);
    expect(Object.values(three.crossValidation.perKind).reduce((n, k) => n + k.units, 0)).toBe(three.samples);
    expect(three.weights).toEqual(one.weights);
    expect(formatFitText(three)).toMatch(/\(2 folds, mean of 3 splits: 0\.\d{3} 0\.\d{3} 0\.\d{3}\): model 0\.\d{3}/);
    const fitted = (JSON.parse(formatFunctionModel(three, '/')) as { fitted: { crossValidation: Record<string, unknown> } }).fitted.crossValidation;
    expect(fitted).toMatchObject({ folds: 2, repeats: 3 });
    expect((JSON.parse(formatFunctionModel(one, '/')) as { fitted: { crossValidation: Record<string, unknown> } }).fitted.crossValidation).not.toHaveProperty('repeats');
    expect(formatFunctionModel(fitFromGold(analyzer, [fx.dir], { folds: 2, repeats: 3, fit: { iterations: 100 } }), '/')).toBe(formatFunctionModel(three, '/'));
  });

  it('deals the sites of each repeat into folds of equal size, the first in sorted order', () => {
    const items = ['e', 'a', 'd', 'c', 'b', 'f', 'g'].map((group) => ({ group }));
    const first = foldsBySite(items, 3, ['x'], []);
    expect([...first.foldOf.entries()]).toEqual([['a', 0], ['b', 1], ['c', 2], ['d', 0], ['e', 1], ['f', 2], ['g', 0]]);
    const sizes = (m: Map<string, number>): number[] => [0, 1, 2].map((k) => [...m.values()].filter((v) => v === k).length);
    for (const r of [1, 2, 3]) {
      const split = foldsBySite(items, 3, ['x'], [], r);
      expect(sizes(split.foldOf)).toEqual([3, 2, 2]);
      expect(foldsBySite(items, 3, ['x'], [], r).foldOf).toEqual(split.foldOf);
    }
    expect(foldsBySite(items, 3, ['x'], [], 1).foldOf).not.toEqual(first.foldOf);
  });

  it('refuses fewer than 2 folds, and a folder with nothing to fit', () => {
    expect(() => fitFromGold(analyzer, [fx.dir], { repeats: 0 })).toThrow(/--repeats must be an integer of at least 1/);
    expect(() => fitFromGold(analyzer, [fx.dir], { folds: 1 })).toThrow(/--folds must be an integer of at least 2/);
    const empty = mkdtempSync(join(tmpdir(), 'xunshi-empty-gold-'));
    expect(() => fitFromGold(analyzer, [empty])).toThrow(/no gold documents below/);
    // Documents, but every one held out: nothing to fit either.
    writeFileSync(join(empty, 'index.tsv'), 'id\tpart\na\theld-out\n');
    writeFileSync(join(empty, 'a.txt'), '形式主义问题。');
    writeFileSync(join(empty, 'a.gold.json'), JSON.stringify({ doc: 'a.txt', units: [{ i: 0, start: 0, end: 7, text: '形式主义问题。', function: 'problem', categories: [], rootCauses: [] }] }));
    expect(() => fitFromGold(analyzer, [empty])).toThrow(/no gold units to fit .*\(held-out documents are never used\)/);
  });

  it('writes JSON that the rules loader accepts as function-model.json, and that changes nothing when the weights are the same', () => {
    const r = fitFromGold(analyzer, [fx.dir], { folds: 2, fit: { iterations: 100 } });
    const yaml = formatFunctionModel(r, fx.dir);
    const data = JSON.parse(yaml) as { description: string; fitted: Record<string, unknown>; weights: Record<string, unknown> };
    expect(data.description).toMatch(/^Fitted weights of the function model/);
    expect(data.fitted).toMatchObject({ data: ['.'], refusedHeldOut: 2, options: { iterations: 100, l2: 0.002, learningRate: 0.5, minGroups: 2, minSupport: 4 } });
    expect(yaml).toMatch(/\n {2}"weights": \{\n {4}"/);
    expect(Object.keys(data.weights)).toEqual(Object.keys(r.weights).sort());
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-fit-rules-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    writeFileAtomic(join(rules, 'function-model.json'), yaml);
    expect(readdirSync(rules).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const refitted = createAnalyzer({ rules });
    expect(Object.keys(refitted.ruleset.functionModel!.weights).sort()).toEqual(Object.keys(r.weights).sort());
    expect(refitted.analyze('巡视组指出，一些干部形式主义问题突出。').passages.length).toBeGreaterThan(0);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunshi-atomic-'));
    const f = join(dir, 'a.yaml');
    writeFileSync(f, 'old');
    writeFileAtomic(f, 'new\n');
    expect(readFileSync(f, 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['a.yaml']);
    expect(() => writeFileAtomic(join(dir, 'missing/b.yaml'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['a.yaml']);
  });
});
