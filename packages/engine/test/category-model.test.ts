import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Unit } from '@xunshi/types';
import { loadRuleSet } from '@xunshi/rules';
import { addNeighbourFeatures, applyCategoryPriors, categoryCandidates, CategoryScorer, collectUnitEvidence, compileCategoryModel, matchDocument, resolveAncestors, scoreCategoryModel, tagPassages, type CategoryCandidate } from '@xunshi/engine';

// The compiled category model (per-candidate features by index into a scorer) against the Map of named features that
// fitting reads: the same scores to the last bit, the same strongest feature, the same passages. On the shipped rules
// and model and the project's own sample reports (corpus/), cut into sentences; every character is a token.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const ruleset = loadRuleSet({ dirs: [`${root}rules`] });

function units(text: string): Unit[] {
  const out: Unit[] = [];
  const re = /[^。；！？\n]+[。；！？]?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[0].trim()) continue;
    out.push({ id: `u${out.length}`, index: out.length, start: m.index, end: m.index + m[0].length, text: m[0], headingPath: [], isHeading: false, block: out.length });
  }
  return out;
}

const samples = ['corpus/tuning', 'corpus/held-out'].flatMap((dir) =>
  readdirSync(`${root}${dir}`)
    .filter((n) => n.endsWith('.txt') || n.endsWith('.md'))
    .sort()
    .slice(0, 8)
    .map((n) => readFileSync(`${root}${dir}/${n}`, 'utf8')),
);

describe('compiled category model', () => {
  it('the shipped rules have a category model', () => {
    expect(ruleset.categoryModel).toBeDefined();
    expect(compileCategoryModel(ruleset)).toBe(compileCategoryModel(ruleset));
  });

  it('scores every candidate as the feature Map does, and tags the same passages', () => {
    const model = ruleset.categoryModel!;
    const compiled = compileCategoryModel(ruleset)!;
    let candidates = 0;
    let kept = 0;
    for (const text of samples) {
      const input = { source: text, normalized: text, units: units(text), tokens: [...text].map((ch, i) => ({ start: i, end: i + 1, text: ch })) };
      const mapped: (CategoryCandidate & { unit: number })[] = [];
      const viaMaps = tagPassages(ruleset, { ...input, categorySamples: mapped });
      const viaScorer = tagPassages(ruleset, input);
      expect(viaScorer).toEqual(viaMaps);
      for (const c of mapped) {
        // The same features, written into the compiled scorer by index (plus the neighbour features by name).
        const scorer = new CategoryScorer(compiled);
        for (const [name, value] of c.x) scorer.set(name, value);
        const want = scoreCategoryModel(model, c.x);
        const got = scorer.score();
        expect(Object.is(got.score, want.score)).toBe(true);
        expect(got.strongest).toBe(want.strongest);
        candidates++;
        if (want.score > model.threshold) kept++;
      }
    }
    expect(candidates).toBeGreaterThan(50);
    expect(kept).toBeGreaterThan(0);
  });

  it('writes the per-candidate features by index in the order and with the values the Map gets them by name', () => {
    const model = ruleset.categoryModel!;
    const compiled = compileCategoryModel(ruleset)!;
    let compared = 0;
    for (const text of samples.slice(0, 6)) {
      const input = { source: text, normalized: text, units: units(text), tokens: [...text].map((ch, i) => ({ start: i, end: i + 1, text: ch })) };
      const doc = matchDocument(ruleset, input);
      const ancestors = resolveAncestors(input.units);
      const evidence = input.units.map((u, ui) => {
        const ev = collectUnitEvidence(ruleset, u, doc.perUnit[ui]!);
        applyCategoryPriors(ruleset, doc, ev, ancestors[ui]!);
        return ev;
      });
      for (const fn of ['problem', 'cause', 'measure', 'context'] as const) {
        const byName = evidence.map((ev) => categoryCandidates(ruleset, ev, fn));
        const byIndex = evidence.map((ev) => categoryCandidates(ruleset, ev, fn, compiled));
        addNeighbourFeatures(byName);
        addNeighbourFeatures(byIndex);
        byName.forEach((cs, ui) => {
          expect(byIndex[ui]!.map((c) => [c.id, c.rules])).toEqual(cs.map((c) => [c.id, c.rules]));
          cs.forEach((c, k) => {
            const s = byIndex[ui]![k]!.x;
            const known = [...c.x].filter(([name]) => model.weights[name] !== undefined);
            expect(s.ids.map((id, j) => [compiled.names[id], s.values[j]])).toEqual(known);
            const want = scoreCategoryModel(model, c.x);
            const got = s.score();
            expect(Object.is(got.score, want.score)).toBe(true);
            expect(got.strongest).toBe(want.strongest);
            compared++;
          });
        });
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});
