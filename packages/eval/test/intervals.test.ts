import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bootstrapIntervals, computeScoreFigures, createPrng, createScoreCounts, formatIntervals, formatPairedIntervals, headlineFigure, mergeScoreCounts, pairedIntervals, type ScoreCounts } from '@xunshi/eval';

/** Counts of one document: `units` units, `right` of them with the right function and one right category each, the rest one wrong category. */
function doc(units: number, right: number): ScoreCounts {
  const c = createScoreCounts();
  c.units = units;
  c.functionCorrect = right;
  c.categories.political.tp = right;
  c.categories.political.fp = units - right;
  c.categories.political.fn = units - right;
  c.subcategoryTotal = right;
  c.subcategoryCorrect = right;
  return c;
}

describe('bootstrapIntervals', () => {
  const docs = [doc(10, 9), doc(10, 5), doc(20, 18), doc(5, 1), doc(8, 8), doc(12, 6)];

  it('is deterministic for a seed, and another seed gives other draws', () => {
    const a = bootstrapIntervals(docs, { resamples: 300 });
    expect(bootstrapIntervals(docs, { resamples: 300 })).toEqual(a);
    expect(bootstrapIntervals(docs, { resamples: 300, seed: 7 })).not.toEqual(a);
    expect(a).toMatchObject({ level: 0.95, resamples: 300, documents: 6 });
  });

  it('brackets the figure over all documents, within 0 and 1', () => {
    const total = createScoreCounts();
    for (const d of docs) mergeScoreCounts(total, d);
    const f = computeScoreFigures(total);
    const i = bootstrapIntervals(docs, { resamples: 500 });
    for (const h of ['category', 'function'] as const) {
      const [lo, hi] = i[h]!;
      expect(lo).toBeGreaterThanOrEqual(0);
      expect(hi).toBeLessThanOrEqual(1);
      expect(lo).toBeLessThanOrEqual(headlineFigure(f, h));
      expect(hi).toBeGreaterThanOrEqual(headlineFigure(f, h));
      expect(hi).toBeGreaterThan(lo);
    }
    // No root-cause label anywhere: nothing to give an interval of.
    expect(i.rootCause).toBeNull();
    expect(formatIntervals(i)).toMatch(/^95% intervals over documents \(500 resamples of 6\): category 0\.\d{3}–0\.\d{3} {2}root cause n\/a {2}function 0\.\d{3}–0\.\d{3} {2}subcategory 1\.000–1\.000$/);
  });

  it('one document, or documents all alike, give an interval of one point', () => {
    const i = bootstrapIntervals([doc(10, 7)], { resamples: 50 });
    expect(i.function).toEqual([0.7, 0.7]);
    const j = bootstrapIntervals([doc(10, 7), doc(10, 7), doc(10, 7)], { resamples: 50 });
    expect(j.category![0]).toBeCloseTo(j.category![1], 12);
  });

  it('takes the interval ends between neighbouring resampled values, linearly (checked against draws replayed by hand)', () => {
    // Three documents of 10 units, function accuracy 1, 0 and 0.5: a resample's accuracy is the mean of the drawn ones.
    const three = [doc(10, 10), doc(10, 0), doc(10, 5)];
    const seed = 10; // one whose neighbours at both ends differ, so that where between them the end falls matters
    const next = createPrng(seed);
    const values: number[] = [];
    for (let r = 0; r < 10; r++) {
      const draw = Array.from({ length: 3 }, () => Math.floor(next() * 3));
      values.push(draw.reduce((s, i) => s + [10, 0, 5][i]!, 0) / 30);
    }
    values.sort((a, b) => a - b);
    // level 0.8 over 10 values: the ends sit at positions 0.9 and 8.1 of the sorted values.
    expect(values[1]).not.toBe(values[0]);
    expect(values[9]).not.toBe(values[8]);
    const i = bootstrapIntervals(three, { resamples: 10, level: 0.8, seed });
    expect(i.function![0]).toBeCloseTo(values[0]! + 0.9 * (values[1]! - values[0]!), 12);
    expect(i.function![1]).toBeCloseTo(values[8]! + 0.1 * (values[9]! - values[8]!), 12);
  });

  it('no documents give no intervals; bad settings are refused', () => {
    expect(bootstrapIntervals([], { resamples: 10 })).toMatchObject({ documents: 0, category: null, function: null });
    expect(() => bootstrapIntervals(docs, { resamples: 0 })).toThrow(/resamples must be a positive integer/);
    expect(() => bootstrapIntervals(docs, { level: 1 })).toThrow(/level must be between 0 and 1/);
  });
});

describe('pairedIntervals', () => {
  it('the same counts on both sides differ by exactly nothing', () => {
    const docs = [doc(10, 9), doc(10, 5), doc(20, 18)];
    const p = pairedIntervals(docs, docs, { resamples: 200 });
    expect(p.difference.function).toBe(0);
    expect(p.function).toEqual([0, 0]);
    expect(formatPairedIntervals(p)).toMatch(/function \+0\.000 \(\+0\.000 to \+0\.000\)/);
  });

  it('rules right on more units of every document give an interval above zero', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 2, max: 30 }), fc.integer({ min: 0, max: 28 })), { minLength: 2, maxLength: 12 }), (shapes) => {
        const b = shapes.map(([u, r]) => doc(u, Math.min(r, u - 1)));
        const a = shapes.map(([u, r]) => doc(u, Math.min(r, u - 1) + 1));
        const p = pairedIntervals(a, b, { resamples: 100 });
        expect(p.difference.function).toBeGreaterThan(0);
        expect(p.function![0]).toBeGreaterThan(0);
        expect(p.difference.category).toBeGreaterThan(0);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses counts of different documents', () => {
    expect(() => pairedIntervals([doc(1, 1)], [])).toThrow(/differ in length/);
  });
});
