import { describe, expect, it } from 'vitest';
import { addUnitScore, computeScoreFigures, createScoreCounts, formatEvalText, labelsAt, mergeScoreCounts, type GoldUnit, type SystemLabels } from '@xunshi/eval';

// The scoring protocol (taxonomy.md) on a hand-counted example: every figure below was worked out by hand, not by the
// code under test. Nothing else in the suite pins these counts (the CLI test only asks for accuracy > 0.5, and the
// floors on real gold need ../shared).

const gold = (i: number, fn: GoldUnit['function'], categories: GoldUnit['categories'], rootCauses: GoldUnit['rootCauses']): GoldUnit => ({
  i,
  start: i * 10,
  end: i * 10 + 5,
  text: 'xxxxx',
  function: fn,
  categories,
  rootCauses,
});
const sys = (fn: SystemLabels['function'], categories: SystemLabels['categories'], rootCauses: SystemLabels['rootCauses']): SystemLabels => ({ function: fn, categories, rootCauses, rules: [] });

/** Three units: A (a hit, a miss and a false alarm), B (wrong function, wrong subcategory), C (context, right). */
function example() {
  const counts = createScoreCounts();
  const units: [GoldUnit, SystemLabels][] = [
    [
      gold(0, 'problem', [{ id: 'political', subcategory: null }, { id: 'conduct', subcategory: 'conduct.formalism' }], ['responsibility']),
      sys('problem', [{ id: 'political', subcategory: null }, { id: 'discipline', subcategory: null }], []),
    ],
    [gold(1, 'measure', [{ id: 'conduct', subcategory: 'conduct.hedonism' }], []), sys('problem', [{ id: 'conduct', subcategory: 'conduct.formalism' }], ['responsibility'])],
    [gold(2, 'context', [], []), sys('context', [], [])],
  ];
  for (const [g, s] of units) addUnitScore(counts, g, s);
  return { counts, units };
}

describe('addUnitScore and computeScoreFigures (hand-counted)', () => {
  it('counts true positives, false positives and false negatives per label', () => {
    const { counts } = example();
    expect(counts.units).toBe(3);
    expect(counts.functionCorrect).toBe(2);
    expect(counts.categories).toEqual({
      political: { tp: 1, fp: 0, fn: 0 },
      organizational: { tp: 0, fp: 0, fn: 0 },
      conduct: { tp: 1, fp: 0, fn: 1 },
      discipline: { tp: 0, fp: 1, fn: 0 },
    });
    expect(counts.rootCauses.responsibility).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(counts.rootCauses.ideology).toEqual({ tp: 0, fp: 0, fn: 0 });
    expect(counts.functions).toEqual({
      problem: { tp: 1, fp: 1, fn: 0 },
      cause: { tp: 0, fp: 0, fn: 0 },
      measure: { tp: 0, fp: 0, fn: 1 },
      context: { tp: 1, fp: 0, fn: 0 },
    });
    // Subcategories are scored only where the category itself was found: A's political (null = null, right) and B's
    // conduct (formalism for hedonism, wrong); A's conduct, which the system missed, is not a subcategory error.
    expect([counts.subcategoryTotal, counts.subcategoryCorrect]).toEqual([2, 1]);
  });

  it('computes precision, recall and F1 per label, micro and macro, the macro average over the labels gold or the system gives, a never-predicted one 0', () => {
    const f = computeScoreFigures(example().counts);
    expect(f.units).toBe(3);
    expect(f.functions.accuracy).toBeCloseTo(2 / 3, 12);
    expect(f.subcategoryAccuracy).toBe(0.5);
    expect(f.subcategorySupport).toBe(2);
    const c = f.categories.labels;
    expect(c.political).toEqual({ precision: 1, recall: 1, f1: 1, support: 1, predicted: 1 });
    expect(c.organizational).toEqual({ precision: 1, recall: 1, f1: 1, support: 0, predicted: 0 });
    expect(c.conduct!.precision).toBe(1);
    expect(c.conduct!.recall).toBe(0.5);
    expect(c.conduct!.f1).toBeCloseTo(2 / 3, 12);
    expect(c.discipline).toEqual({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 1 });
    expect(f.categories.micro.precision).toBeCloseTo(2 / 3, 12);
    expect(f.categories.micro.recall).toBeCloseTo(2 / 3, 12);
    expect(f.categories.micro.f1).toBeCloseTo(2 / 3, 12);
    expect([f.categories.micro.support, f.categories.micro.predicted]).toEqual([3, 3]);
    // organizational is given by neither, so it stands apart from the macro average (as scikit-learn's default label
    // set has it): counted as a perfect 1, it raised every small set's macro figures by a label nobody used.
    expect(f.categories.macro.precision).toBeCloseTo((1 + 1 + 0) / 3, 12);
    expect(f.categories.macro.recall).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(f.categories.macro.f1).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
    expect(f.rootCauses.labels.responsibility).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, predicted: 1 });
    expect(f.rootCauses.micro).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(f.rootCauses.macro.f1).toBe(0); // responsibility alone is used
    // measure: gold once, never predicted: precision 0 (not 1), recall 0.
    expect(f.functions.labels.measure).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, predicted: 0 });
    expect(f.functions.labels.problem!.precision).toBe(0.5);
    expect(f.functions.labels.problem!.recall).toBe(1);
    expect(f.functions.macroF1).toBeCloseTo((2 / 3 + 0 + 1) / 3, 12); // cause unused
  });

  it('empty counts give zero accuracies, not NaN', () => {
    const f = computeScoreFigures(createScoreCounts());
    expect(f.functions.accuracy).toBe(0);
    expect(f.subcategoryAccuracy).toBe(0);
    // No label used at all: the macro average is the empty set's convention, as micro's.
    expect(f.categories.macro).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it('the text report says n/a where there is nothing to score, not 0.000 or a perfect 1.000', () => {
    const overall = computeScoreFigures(createScoreCounts());
    const text = formatEvalText({ documents: 0, overall, perKind: {}, perDocument: [], worst: [] } as unknown as Parameters<typeof formatEvalText>[0]);
    expect(text).toContain('function accuracy n/a');
    expect(text).toContain('subcategory accuracy n/a');
    expect(text).toContain('functions (no units)');
    expect(text).not.toMatch(/0\.000|1\.000/);
    const some = formatEvalText({ documents: 1, overall: computeScoreFigures(example().counts), perKind: {}, perDocument: [], worst: [] } as unknown as Parameters<typeof formatEvalText>[0]);
    expect(some).toMatch(/organizational +n\/a \(neither gold nor the system gives it\)/);
    expect(some).toMatch(/political +P 1\.000/);
  });

  it('merging the counts of parts gives the counts of the whole', () => {
    const { counts, units } = example();
    const a = createScoreCounts();
    const b = createScoreCounts();
    addUnitScore(a, ...units[0]!);
    addUnitScore(b, ...units[1]!);
    addUnitScore(b, ...units[2]!);
    mergeScoreCounts(a, b);
    expect(a).toEqual(counts);
  });
});

describe('labelsAt: the passages covering the unit midpoint', () => {
  type P = Parameters<typeof labelsAt>[0][number];
  const passage = (start: number, end: number, fn: P['function'], rule: string, cat?: string, rc?: string): P =>
    ({
      start,
      end,
      function: fn,
      categories: cat ? [{ id: cat, subcategory: null, evidence: [{ rule: `${rule}-c` }] }] : [],
      rootCauses: rc ? [{ id: rc, evidence: [{ rule: `${rule}-r` }] }] : [],
      functionEvidence: [{ rule: `${rule}-f` }],
    }) as unknown as P;

  it('takes the midpoint start + floor((end - start) / 2), with passages half-open [start, end)', () => {
    const ps = [passage(0, 10, 'problem', 'a', 'conduct'), passage(10, 20, 'context', 'b', 'political'), passage(5, 15, 'measure', 'c', undefined, 'ecology')];
    // [0, 20): midpoint 10, covered by b and c, not by a (which ends at 10).
    expect(labelsAt(ps, { start: 0, end: 20 })).toEqual({
      function: 'measure',
      categories: [{ id: 'political', subcategory: null }],
      rootCauses: ['ecology'],
      rules: ['b-c', 'b-f', 'c-f', 'c-r'],
    });
    // [0, 21): midpoint 10 as well (floor); [0, 19): midpoint 9, covered by a and c.
    expect(labelsAt(ps, { start: 0, end: 21 }).categories).toEqual([{ id: 'political', subcategory: null }]);
    expect(labelsAt(ps, { start: 0, end: 19 }).categories).toEqual([{ id: 'conduct', subcategory: null }]);
    expect(labelsAt(ps, { start: 30, end: 40 })).toEqual({ function: 'context', categories: [], rootCauses: [], rules: [] });
  });

  it('a context passage never overrides the function of another covering passage, whatever their order', () => {
    const m = passage(0, 10, 'measure', 'm');
    const c = passage(0, 10, 'context', 'c');
    expect(labelsAt([m, c], { start: 0, end: 10 }).function).toBe('measure');
    expect(labelsAt([c, m], { start: 0, end: 10 }).function).toBe('measure');
  });
});
