import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type Fact } from '@xunshi/types';
import { createFactExtractor, normalizeForFacts } from '../src/index.js';
import { SHIPPED_UNIT_TYPES } from './support/unit-types.js';

const extractor = createFactExtractor({ unitTypes: SHIPPED_UNIT_TYPES });

const PIECES = [
  '0', '1', '2', '9', '18', '2019', '2022', '１', '８', '０', '％', '.', ',', '，', '、', '-', '至', '万', '亿', '元', '%',
  '年', '月', '日', '个', '名', '起', '件', '余', '多', '近', '约', '不足', '超过', '以上', '一', '二', '两', '十', '百', '千',
  '〇', '萬', '億', '個', '兩', '“', '”', '「', '」', '"', '某', '县', '村', '市直单位', '干部', '党员', '问题', '第', '是',
  '同比', '下降', '上升', '工作日', '以来', '间', '。', '\n', ' ', 'a', '𠀀', '\uD800',
  '三', '五', '七八', '成', '分之', '半数', '过半', '党的', '十八大', '届', '中全会', '之前', '~', '百分之',
];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));
const mixedArb = fc.oneof(textArb, fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }));

function checkFacts(source: string, facts: Fact[], lo = 0, hi = source.length): void {
  for (const f of facts) {
    expect(f.start).toBeGreaterThanOrEqual(lo);
    expect(f.end).toBeLessThanOrEqual(hi);
    expect(f.start).toBeLessThan(f.end);
    expect(source.slice(f.start, f.end)).toBe(f.text);
  }
  for (let i = 1; i < facts.length; i++) {
    const a = facts[i - 1]!;
    const b = facts[i]!;
    expect(a.start < b.start || (a.start === b.start && a.end <= b.end)).toBe(true);
  }
  const byKind = new Map<string, Fact[]>();
  for (const f of facts) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  for (const list of byKind.values()) {
    for (let i = 1; i < list.length; i++) expect(list[i]!.start).toBeGreaterThanOrEqual(list[i - 1]!.end);
  }
}

describe('fact extraction, properties', () => {
  it('never throws; ranges stay inside the text and reproduce it; facts are sorted and do not overlap per kind', () => {
    fc.assert(
      fc.property(mixedArb, (source) => {
        checkFacts(source, extractor.extract(source));
      }),
      { numRuns: 1500 },
    );
  });

  it('honours a window [start, end) and an external normalised copy', () => {
    fc.assert(
      fc.property(textArb, fc.nat(), fc.nat(), (source, a, b) => {
        const x = source.length === 0 ? 0 : a % (source.length + 1);
        const y = source.length === 0 ? 0 : b % (source.length + 1);
        const [lo, hi] = x <= y ? [x, y] : [y, x];
        const facts = extractor.extract(source, { start: lo, end: hi, normalized: normalizeForFacts(source) });
        checkFacts(source, facts, lo, hi);
      }),
      { numRuns: 800 },
    );
  });

  it('the normalised copy always has the length of the source', () => {
    fc.assert(fc.property(mixedArb, (s) => normalizeForFacts(s).length === s.length));
  });

  it('gives the same facts for full-width and half-width digits, reading text from the source', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99999 }), fc.constantFrom('万元', '元', '名干部', '%'), (n, suffix) => {
        const half = `共有${n}${suffix}。`;
        const full = half.replace(/[0-9%]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        const a = extractor.extract(half);
        const b = extractor.extract(full);
        expect(b.map(({ text: _t, ...rest }) => rest)).toEqual(a.map(({ text: _t, ...rest }) => rest));
        for (const f of b) expect(full.slice(f.start, f.end)).toBe(f.text);
      }),
    );
  });

  it('rejects a normalised copy of another length and a window outside the source', () => {
    expect(() => extractor.extract('18万元', { normalized: '18万' })).toThrow(expect.objectContaining({ code: ERROR_CODES.USAGE }));
    expect(() => extractor.extract('18万元', { start: 2, end: 1 })).toThrow(/not inside the source/);
    expect(() => extractor.extract('18万元', { end: 99 })).toThrow(/not inside the source/);
    expect(() => createFactExtractor({} as never)).toThrow(/unitTypes/);
  });
});
