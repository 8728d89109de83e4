// Common forms of figures the extractor did not read: each block fails without its change. Sentences are made up.
import { describe, expect, it } from 'vitest';
import type { Fact } from '@xunshi/types';
import { createFactExtractor, normalizeForFacts } from '../src/index.js';
import { SHIPPED_UNIT_TYPES } from './support/unit-types.js';

const extractor = createFactExtractor({ unitTypes: SHIPPED_UNIT_TYPES });
const facts = (text: string, kind?: Fact['kind']): Record<string, unknown>[] =>
  extractor.extract(text).filter((f) => kind === undefined || f.kind === kind).map((f) => ({ ...f }));
const at = (sentence: string, text: string): { text: string; start: number; end: number } => {
  const start = sentence.indexOf(text);
  if (start < 0) throw new Error(`${text} not in ${sentence}`);
  return { text, start, end: start + text.length };
};

/** The expected fact of `kind` for `text` in `sentence`, with its offsets. */
const fact = (sentence: string, kind: Fact['kind'], text: string, fields: Record<string, unknown>): Record<string, unknown> => ({
  kind,
  ...at(sentence, text),
  ...fields,
});
/** Expect exactly these facts of `kind` in `sentence`, each given as [text, value fields]. */
const expectFacts = (sentence: string, kind: Fact['kind'], expected: [string, Record<string, unknown>][]): void => {
  expect(facts(sentence, kind), sentence).toEqual(expected.map(([text, fields]) => fact(sentence, kind, text, fields)));
};

describe('ratio bounds', () => {
  it('gives comparators their bound, as amounts do (不足20% → max, 超过60% → min, 95%以上 → min)', () => {
    expectFacts('占比不足20%。', 'ratio', [['不足20%', { value: 0.2, max: 0.2, comparator: 'lt' }]]);
    expectFacts('占比超过60%', 'ratio', [['超过60%', { value: 0.6, min: 0.6, comparator: 'gt' }]]);
    expectFacts('达到95%以上', 'ratio', [['达到95%以上', { value: 0.95, min: 0.95, comparator: 'ge' }]]);
    expectFacts('超30%', 'ratio', [['超30%', { value: 0.3, min: 0.3, comparator: 'gt' }]]);
    // 达/为 are no bound.
    expectFacts('占比达40%', 'ratio', [['达40%', { value: 0.4, comparator: 'eq' }]]);
  });
  it('reads 近/约/左右 before and after a percentage (were left out of the text)', () => {
    expectFacts('占比近30%', 'ratio', [['近30%', { value: 0.3, max: 0.3, approx: true }]]);
    expectFacts('约占25%', 'ratio', [['25%', { value: 0.25 }]]);
    expectFacts('约25%', 'ratio', [['约25%', { value: 0.25, min: 0.25, max: 0.25, approx: true }]]);
    expectFacts('下降百分之十左右', 'ratio', [['下降百分之十左右', { value: 0.1, min: 0.1, max: 0.1, approx: true, change: 'down' }]]);
  });
});
