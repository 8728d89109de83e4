import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAnalyzer } from 'xunshi';
import { createOutOfFoldAnalyzer, findGoldDocuments, fitGroupOf, foldsBySite } from '@xunshi/eval';
import { writeGoldFixture } from '../../../test/support/gold-fixture.js';
import { REPO_DIR } from '../../../test/support/shared.js';

describe('createOutOfFoldAnalyzer', () => {
  const fx = writeGoldFixture();
  const analyzer = createAnalyzer();
  const fit = { iterations: 100, minSupport: 1, minGroups: 1 };
  const docs = findGoldDocuments(fx.dir);
  const hashOf = (a: { analyze: (input: Uint8Array, o: { path: string }) => { tool: { rulesetHash: string } } }, path: string): string => a.analyze(readFileSync(path), { path }).tool.rulesetHash;

  it("reads each fit document with the models fitted without its site's fold, every other one with models fitted on all", () => {
    const oof = createOutOfFoldAnalyzer(analyzer, [fx.dir], { folds: 2, fit });
    expect(oof.models).toEqual(['function', 'category']);
    expect(oof.folds).toBe(2);
    const fitted = docs.filter((d) => d.part !== 'held-out');
    const { foldOf } = foldsBySite(fitted.map((d) => ({ group: fitGroupOf(d) })), 2, [fx.dir], []);
    expect(oof.sites).toBe(foldOf.size);
    const hashes = new Map<number, Set<string>>();
    for (const d of fitted) {
      const k = foldOf.get(fitGroupOf(d))!;
      if (!hashes.has(k)) hashes.set(k, new Set());
      hashes.get(k)!.add(hashOf(oof.analyzer, d.textPath));
    }
    // One set of models per fold (every document of a fold reads with the same ones), different between folds.
    expect([...hashes.values()].map((s) => s.size)).toEqual([1, 1]);
    const [a, b] = [...hashes.values()].map((s) => [...s][0]!);
    expect(a).not.toBe(b);
    // Held-out documents, and text without a path, read with the models of all sites: neither fold's, nor the shipped ones.
    const all = new Set(docs.filter((d) => d.part === 'held-out').map((d) => hashOf(oof.analyzer, d.textPath)));
    all.add(oof.analyzer.analyze('巡视组指出，一些干部形式主义问题突出。').tool.rulesetHash);
    expect(all.size).toBe(1);
    const [allHash] = [...all];
    expect([a, b, analyzer.ruleset.hash]).not.toContain(allHash);
    // Deterministic: the same folders and options fit the same models.
    const again = createOutOfFoldAnalyzer(analyzer, [fx.dir], { folds: 2, fit });
    for (const d of fitted.slice(0, 3)) expect(JSON.stringify(again.analyzer.analyze(readFileSync(d.textPath), { path: d.textPath }))).toBe(JSON.stringify(oof.analyzer.analyze(readFileSync(d.textPath), { path: d.textPath })));
  });

  it('reads a fit document reached through a link to its folder as itself (it was read by models fitted on it), and keeps the labels gold is checked against', () => {
    const oof = createOutOfFoldAnalyzer(analyzer, [fx.dir], { folds: 2, fit });
    const link = join(mkdtempSync(join(tmpdir(), 'xunshi-oof-link-')), 'gold');
    symlinkSync(fx.dir, link);
    for (const d of docs.filter((x) => x.part !== 'held-out').slice(0, 4)) {
      const through = join(link, relative(fx.dir, d.textPath));
      expect(hashOf(oof.analyzer, through)).toBe(hashOf(oof.analyzer, d.textPath));
    }
    expect(oof.analyzer.labels).toBe(analyzer.labels);
  });

  it('refits only the models the rules have, and refuses rules without any', () => {
    const rules = mkdtempSync(join(tmpdir(), 'xunshi-oof-rules-'));
    cpSync(join(REPO_DIR, 'rules'), rules, { recursive: true });
    rmSync(join(rules, 'category-model.json'));
    expect(createOutOfFoldAnalyzer(createAnalyzer({ rules }), [fx.dir], { folds: 2, fit }).models).toEqual(['function']);
    rmSync(join(rules, 'function-model.json'));
    expect(() => createOutOfFoldAnalyzer(createAnalyzer({ rules }), [fx.dir], { folds: 2, fit })).toThrow(/the rules have no fitted model/);
    expect(() => createOutOfFoldAnalyzer(analyzer, [fx.dir], { folds: 1 })).toThrow(/--folds must be an integer of at least 2/);
  });
});
