import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Unit } from '@xunshi/types';
import { loadRuleSet, type RuleSet } from '@xunshi/rules';
import { fitFunctionModel, tagPassages, type FeatureVector, type FunctionSample } from '@xunshi/engine';

// The fitted function model, on the engine's fixture ruleset with a hand-written model: every character is a token,
// and a few two-character "words" are added as tokens where a test needs them.
const base = loadRuleSet({ dirs: [fileURLToPath(new URL('./fixtures/rules/', import.meta.url))] });
const withModel = (weights: NonNullable<RuleSet['functionModel']>['weights']): RuleSet => ({ ...base, functionModel: { weights } });

function tagLines(ruleset: RuleSet, lines: string[], words: string[] = []) {
  let text = '';
  const units: Unit[] = [];
  for (const line of lines) {
    units.push({ id: `u${units.length}`, index: units.length, start: text.length, end: text.length + line.length, text: line, headingPath: [], isHeading: false, block: units.length });
    text += line + '\n';
  }
  const tokens = [...text].map((ch, i) => ({ start: i, end: i + 1, text: ch }));
  for (const w of words) for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) tokens.push({ start: i, end: i + w.length, text: w });
  tokens.sort((a, b) => a.start - b.start || a.end - b.end);
  const features: FeatureVector[] = [];
  return { passages: tagPassages(ruleset, { source: text, normalized: text, units, tokens, features }), features };
}

describe('function model', () => {
  it('decides by the highest linear score and reports probabilities', () => {
    const rs = withModel({ bias: { context: 1 }, 'rule:fn.demand': { measure: 3 } });
    const [measure, context] = tagLines(rs, ['巡察要求建立台账', '巡察组进驻']).passages;
    expect(measure!.function).toBe('measure');
    expect(measure!.functionEvidence.map((e) => [e.rule, e.text])).toEqual([['fn.demand', '要'], ['fn.demand', '建立']]);
    const sum = Object.values(measure!.functionScores).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 2);
    expect(context!.function).toBe('context');
  });
  it('cites supporting words, and the strongest structural feature when nothing with a span supports the decision', () => {
    const rs = withModel({ bias: { context: 1 }, 'word:违纪': { problem: 3 }, 'shape:colon': { problem: 5 } });
    const { passages } = tagLines(rs, ['个别干部违纪', '情况如下：'], ['违纪']);
    expect(passages[0]!.function).toBe('problem');
    expect(passages[0]!.functionEvidence).toEqual([{ rule: 'function-model:word', start: 4, end: 6, text: '违纪' }]);
    expect(passages[1]!.function).toBe('problem');
    expect(passages[1]!.functionEvidence).toEqual([{ rule: 'function-model:shape:colon', start: 7, end: 12, text: '情况如下：' }]);
  });
  it('computes the documented features', () => {
    const { features } = tagLines(base, ['巡察发现存在问题：', '会议次数偏少'], ['会议']);
    expect(features[0]!.get('rule:fn.found')).toBe(1);
    expect(features[0]!.get('cue:problem')).toBe(1);
    expect(features[0]!.get('shape:colon')).toBe(1);
    expect(features[0]!.get('shape:first')).toBe(1);
    expect(features[1]!.get('prev:problem')).toBe(1);
    expect(features[1]!.get('prev:colon')).toBe(1);
    expect(features[1]!.get('word:会议')).toBe(1);
    expect(features[1]!.get('prior:problem')).toBe(0.5); // the hand-set raw score
  });
  it('conjoins each function cue with every structural feature of its unit, and nothing else', () => {
    const { features } = tagLines(base, ['巡察发现存在问题：', '会议次数偏少'], ['会议']);
    const x = features[0]!;
    const conj = [...x.keys()].filter((k) => k.startsWith('x:')).sort();
    // cue:problem of the first unit, with its shapes and the next unit's hand-set function; never with rules, words or priors.
    expect(conj).toContain('x:cue:problem&shape:colon');
    expect(conj).toContain('x:cue:problem&shape:first');
    expect(conj).toContain('x:cue:problem&next:context');
    for (const k of conj) {
      expect(k).toMatch(/^x:cue:(problem|cause|measure|context)&(shape|section|heading|doc|prev|prev2|next|sibling):/);
      expect(x.get(k)).toBe(1);
      expect(x.has(k.slice(k.indexOf('&') + 1))).toBe(true);
    }
    // Every pair of a cue and a structural feature of the unit is there.
    const cues = [...x.keys()].filter((k) => k.startsWith('cue:'));
    const structural = [...x.keys()].filter((k) => /^(shape|section|heading|doc|prev|prev2|next|sibling):/.test(k));
    expect(conj.length).toBe(cues.length * structural.length);
    // A unit without a function cue has no conjunction.
    const { features: plain } = tagLines(base, ['天气晴朗'], []);
    expect([...plain[0]!.keys()].some((k) => k.startsWith('x:'))).toBe(false);
  });
  it('scores the conjunctions as the fitted weights say', () => {
    const rs = withModel({ bias: { context: 1 }, 'x:cue:problem&shape:colon': { measure: 5 } });
    const [lead, plain] = tagLines(rs, ['巡察发现存在问题：', '巡察发现存在问题'], []).passages;
    expect(lead!.function).toBe('measure');
    expect(plain!.function).toBe('context');
  });
});

describe('fitFunctionModel', () => {
  const sample = (y: FunctionSample['y'], keys: string[], group: string): FunctionSample => ({ y, x: new Map([['bias', 1], ...keys.map((k) => [k, 1] as [string, number])]), group });
  const data: FunctionSample[] = [];
  for (let i = 0; i < 6; i++) {
    data.push(sample('measure', ['word:要'], `s${i % 3}`), sample('problem', ['word:存在'], `s${i % 3}`), sample('context', [], `s${i % 3}`));
  }
  data.push(sample('cause', ['word:孤例'], 's0'));
  it('learns separable data', () => {
    const m = fitFunctionModel(data);
    expect(m.weights['word:要']!.measure).toBeGreaterThan(m.weights['word:要']!.problem ?? 0);
    expect(m.weights['word:存在']!.problem).toBeGreaterThan(m.weights['word:存在']!.measure ?? 0);
  });
  it('leaves out features seen in too few samples or groups', () => {
    expect(fitFunctionModel(data).weights['word:孤例']).toBeUndefined();
  });
  it('is deterministic', () => {
    expect(JSON.stringify(fitFunctionModel(data))).toBe(JSON.stringify(fitFunctionModel([...data])));
  });
  it('weighs a sample of weight 2 as two copies of it, and weight 1 as no weight at all', () => {
    const loose = { minSupport: 1, minGroups: 1, iterations: 200 };
    const heavy = data.map((s, i) => (i % 3 === 0 ? { ...s, weight: 2 } : s));
    const copied = data.flatMap((s, i) => (i % 3 === 0 ? [s, s] : [s]));
    const a = fitFunctionModel(heavy, loose).weights;
    const b = fitFunctionModel(copied, loose).weights;
    expect(Object.keys(a)).toEqual(Object.keys(b));
    for (const k of Object.keys(a)) for (const f of ['problem', 'cause', 'measure', 'context'] as const) expect(a[k]![f] ?? 0).toBeCloseTo(b[k]![f] ?? 0, 2);
    // The weighted samples move the fit (the measures' cue gets more weight than unweighted).
    expect(a['word:要']!.measure).not.toBe(fitFunctionModel(data, loose).weights['word:要']!.measure);
    expect(JSON.stringify(fitFunctionModel(data.map((s) => ({ ...s, weight: 1 }))))).toBe(JSON.stringify(fitFunctionModel(data)));
  });
});
