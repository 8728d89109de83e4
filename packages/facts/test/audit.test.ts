// Focused regressions found by an audit of the facts package: each block fails without its fix.
import { describe, expect, it } from 'vitest';
import type { Fact } from '@xunshi/types';
import { createFactExtractor } from '../src/index.js';
import { parseNumeral } from '../src/numbers.js';
import { SHIPPED_UNIT_TYPES } from './support/unit-types.js';

const extractor = createFactExtractor({ unitTypes: SHIPPED_UNIT_TYPES });
const facts = (text: string, kind?: Fact['kind']): Record<string, unknown>[] =>
  extractor.extract(text).filter((f) => kind === undefined || f.kind === kind).map((f) => ({ ...f }));

describe('long or malformed Chinese numerals', () => {
  it('reads no number from repeated groups', () => {
    expect(parseNumeral('两千零两千零')).toBeUndefined();
    expect(parseNumeral('一万一万')).toBeUndefined();
    expect(parseNumeral('一百一百')).toBeUndefined();
    expect(parseNumeral('一千二百三十四万五')).toBe(12345000);
    expect(parseNumeral('八千七百六十五万四千三百二十一')).toBe(87654321);
    expect(parseNumeral('一千二百三十四亿五千六百七十八万九千零一十二')).toBe(123456789012);
  });
  it('stays fast on a long run of numerals and finds no count in it', () => {
    const text = `${'两千零'.repeat(3000)}名`;
    const t0 = performance.now();
    expect(facts(text, 'count')).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('open periods written with 至今', () => {
  it('takes 至今 as from-only, not as a one-year period', () => {
    expect(facts('2019年至今，该局违规发放补贴。', 'period')).toEqual([{ kind: 'period', text: '2019年至今', start: 0, end: 7, from: '2019' }]);
    expect(facts('2021年3月至今', 'period')).toEqual([{ kind: 'period', text: '2021年3月至今', start: 0, end: 9, from: '2021-03' }]);
    expect(facts('自2019年起至今', 'period')).toEqual([{ kind: 'period', text: '自2019年起至今', start: 0, end: 9, from: '2019' }]);
  });
});
