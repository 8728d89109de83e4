// Common forms of figures the extractor did not read: each block fails without its change. Sentences are made up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from '@xunshi/types';
import { createFactExtractor, normalizeForFacts } from '../src/index.js';
import { isLoosePair, readLoosePair } from '../src/numbers.js';
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

describe('ratios in tenths (成), fractions and halves', () => {
  it('reads 三成, 近三成, 三成多, 三成以上, 不足三成, 七成左右, 两成, 3成', () => {
    expectFacts('此类问题占三成。', 'ratio', [['三成', { value: 0.3 }]]);
    expectFacts('近三成的村未公开账目', 'ratio', [['近三成', { value: 0.3, max: 0.3, approx: true }]]);
    expectFacts('占比三成多', 'ratio', [['三成多', { value: 0.3, min: 0.3, max: 0.4, approx: true }]]);
    expectFacts('三成以上的干部', 'ratio', [['三成以上', { value: 0.3, min: 0.3, comparator: 'ge' }]]);
    expectFacts('五成以上', 'ratio', [['五成以上', { value: 0.5, min: 0.5, comparator: 'ge' }]]);
    expectFacts('覆盖率不足三成', 'ratio', [['不足三成', { value: 0.3, max: 0.3, comparator: 'lt' }]]);
    expectFacts('七成左右来自基层', 'ratio', [['七成左右', { value: 0.7, min: 0.7, max: 0.7, approx: true }]]);
    expectFacts('同比下降两成', 'ratio', [['同比下降两成', { value: 0.2, change: 'down' }]]);
    expectFacts('约占3成', 'ratio', [['3成', { value: 0.3 }]]);
    expectFacts('超过四成，', 'ratio', [['超过四成', { value: 0.4, min: 0.4, comparator: 'gt' }]]);
  });
  it('reads 一成 only with a lead-in, a bound or after 占/仅/只', () => {
    expectFacts('仅占一成', 'ratio', [['一成', { value: 0.1 }]]);
    expectFacts('不足一成', 'ratio', [['不足一成', { value: 0.1, max: 0.1, comparator: 'lt' }]]);
    expectFacts('统一成册', 'ratio', []);
    expectFacts('一成', 'ratio', []);
  });
  it('reads no ratio in idioms and words with 成', () => {
    for (const s of [
      '制度一成不变', '干部三五成群打牌', '八九不离十', '压缩成本', '取得成效', '成为典型', '由五人组成', '全部完成', '形成合力',
      '促成合作', '七成新的车辆', '五成熟', '三成员单位', '十三成员', '其中三成为党员', '第三成', '万一成功', '变成一种负担',
      '成千上万', '四成立', '分成三组',
    ]) {
      expect(facts(s, 'ratio'), s).toEqual([]);
    }
  });
  it('reads 三分之一, 四分之三, 二十分之一, 千分之五, 三分之二以上', () => {
    expectFacts('约三分之一的项目', 'ratio', [['约三分之一', { value: 0.333333333333, min: 0.333333333333, max: 0.333333333333, approx: true }]]);
    expectFacts('四分之三', 'ratio', [['四分之三', { value: 0.75 }]]);
    expectFacts('二十分之一', 'ratio', [['二十分之一', { value: 0.05 }]]);
    expectFacts('差错率千分之五', 'ratio', [['千分之五', { value: 0.005 }]]);
    expectFacts('三分之二以上', 'ratio', [['三分之二以上', { value: 0.666666666667, min: 0.666666666667, comparator: 'ge' }]]);
    for (const s of ['十分之重要', '三分之四', '部分之间', '三分之一二']) expect(facts(s, 'ratio'), s).toEqual([]);
  });
  it('reads 过半, 超过半数, 半数以上, 近一半 and not 过半年, 经过半个月, 通过半数, 一半是', () => {
    expect(facts('时间过半、任务过半', 'ratio')).toEqual([
      { kind: 'ratio', text: '过半', start: 2, end: 4, value: 0.5, min: 0.5, comparator: 'gt' },
      { kind: 'ratio', text: '过半', start: 7, end: 9, value: 0.5, min: 0.5, comparator: 'gt' },
    ]);
    expectFacts('超过半数的党员', 'ratio', [['超过半数', { value: 0.5, min: 0.5, comparator: 'gt' }]]);
    expectFacts('过半数', 'ratio', [['过半数', { value: 0.5, min: 0.5, comparator: 'gt' }]]);
    expectFacts('半数以上', 'ratio', [['半数以上', { value: 0.5, min: 0.5, comparator: 'ge' }]]);
    expectFacts('近一半', 'ratio', [['近一半', { value: 0.5, max: 0.5, approx: true }]]);
    expectFacts('不足半数', 'ratio', [['不足半数', { value: 0.5, max: 0.5, comparator: 'lt' }]]);
    for (const s of ['过半年后', '经过半个月', '通过半数表决', '一半是', '半数党员', '超过半年', '度过半生']) expect(facts(s, 'ratio'), s).toEqual([]);
  });
  it('reads the traditional script and the matching copy', () => {
    expectFacts('過半數', 'ratio', [['過半數', { value: 0.5, min: 0.5, comparator: 'gt' }]]);
    expectFacts('兩成', 'ratio', [['兩成', { value: 0.2 }]]);
    const source = '佔比近三成';
    expect(extractor.extract(source, { normalized: '占比近三成', start: 2 })).toEqual([
      { kind: 'ratio', text: '近三成', start: 2, end: 5, value: 0.3, max: 0.3, approx: true },
    ]);
    expect(normalizeForFacts('近三成')).toBe('近三成');
  });
});

describe('ratio ranges', () => {
  it('reads 20~30%, 20%-30%, 20-30%, 20%至30% and 百分之二十至三十 as one ratio from min to max (was 30% alone or two ratios)', () => {
    const range = { value: 0.2, min: 0.2, max: 0.3 };
    expectFacts('占比20~30%。', 'ratio', [['20~30%', range]]);
    expectFacts('占比20%-30%。', 'ratio', [['20%-30%', range]]);
    expectFacts('占比20-30%。', 'ratio', [['20-30%', range]]);
    expectFacts('占比２０％—３０％。', 'ratio', [['２０％—３０％', range]]);
    expectFacts('提高20%至30%', 'ratio', [['提高20%至30%', { ...range, change: 'up' }]]);
    expectFacts('约占百分之二十至三十', 'ratio', [['百分之二十至三十', range]]);
    expectFacts('百分之二十到百分之三十', 'ratio', [['百分之二十到百分之三十', range]]);
    expectFacts('约20%-30%', 'ratio', [['约20%-30%', { ...range, approx: true }]]);
    expectFacts('三至五成', 'ratio', [['三至五成', { value: 0.3, min: 0.3, max: 0.5 }]]);
    expectFacts('两到三成', 'ratio', [['两到三成', { value: 0.2, min: 0.2, max: 0.3 }]]);
  });
  it('splits ends that do not make a range into the ratios they write', () => {
    expectFacts('30%-20%', 'ratio', [['30%', { value: 0.3 }], ['20%', { value: 0.2 }]]);
    expectFacts('30-20%', 'ratio', [['20%', { value: 0.2 }]]);
    expectFacts('百分之三十至二十', 'ratio', [['百分之三十', { value: 0.3 }]]);
    expectFacts('五至三成', 'ratio', [['三成', { value: 0.3 }]]);
  });
  it('leaves dates, month ranges and separate percentages alone', () => {
    expectFacts('1-9月增长20%', 'ratio', [['增长20%', { value: 0.2, change: 'up' }]]);
    expectFacts('分别为20%、30%', 'ratio', [['为20%', { value: 0.2, comparator: 'eq' }], ['30%', { value: 0.3 }]]);
    expectFacts('2022-10%', 'ratio', [['10%', { value: 0.1 }]]);
    expectFacts('20-30个百分点', 'ratio', []);
  });
});

describe('amount ranges with both ends written in full', () => {
  it('reads 3万元至5万元, 3万元-5万元, 300元到500元 as one amount (were two)', () => {
    expectFacts('罚款3万元至5万元。', 'amount', [['3万元至5万元', { unit: 'CNY', min: 30000, max: 50000 }]]);
    expectFacts('罚款3万元-5万元', 'amount', [['3万元-5万元', { unit: 'CNY', min: 30000, max: 50000 }]]);
    expectFacts('每人300元到500元不等', 'amount', [['300元到500元', { unit: 'CNY', min: 300, max: 500 }]]);
    expectFacts('300元至5万元', 'amount', [['300元至5万元', { unit: 'CNY', min: 300, max: 50000 }]]);
    expectFacts('约3万元至5万元', 'amount', [['约3万元至5万元', { unit: 'CNY', min: 30000, max: 50000, approx: true }]]);
    expectFacts('罰款3萬元至5萬元', 'amount', [['3萬元至5萬元', { unit: 'CNY', min: 30000, max: 50000 }]]);
  });
  it('keeps 10-20万元, 3万-5万元 and 3000至5000元 as they were', () => {
    expectFacts('10-20万元', 'amount', [['10-20万元', { unit: 'CNY', min: 100000, max: 200000 }]]);
    expectFacts('3万-5万元', 'amount', [['3万-5万元', { unit: 'CNY', min: 30000, max: 50000 }]]);
    expectFacts('3000至5000元', 'amount', [['3000至5000元', { unit: 'CNY', min: 3000, max: 5000 }]]);
  });
  it('keeps two amounts when they make no range, and 至今 or a year after 元 out of it', () => {
    expectFacts('5万元至3万元', 'amount', [['5万元', { unit: 'CNY', value: 50000 }], ['3万元', { unit: 'CNY', value: 30000 }]]);
    expectFacts('超过5万元至3万元以上', 'amount', [['超过5万元', { unit: 'CNY', min: 50000 }], ['3万元以上', { unit: 'CNY', min: 30000 }]]);
    expectFacts('借款5万元至今未还', 'amount', [['5万元', { unit: 'CNY', value: 50000 }]]);
    expectFacts('5万元至2023年', 'amount', [['5万元', { unit: 'CNY', value: 50000 }]]);
    expectFacts('3万元、5万元', 'amount', [['3万元', { unit: 'CNY', value: 30000 }], ['5万元', { unit: 'CNY', value: 50000 }]]);
  });
});

describe('periods named by a Party congress or plenum', () => {
  it('reads 党的十八大以来 and the other congresses from the month each opened', () => {
    expectFacts('党的十八大以来，全省查处违纪问题。', 'period', [['党的十八大以来', { from: '2012-11' }]]);
    expectFacts('十八大以来', 'period', [['十八大以来', { from: '2012-11' }]]);
    expectFacts('十九大以来', 'period', [['十九大以来', { from: '2017-10' }]]);
    expectFacts('党的二十大召开以来', 'period', [['党的二十大召开以来', { from: '2022-10' }]]);
    expectFacts('中共十七大以后', 'period', [['中共十七大以后', { from: '2007-10' }]]);
    expectFacts('十六大之后', 'period', [['十六大之后', { from: '2002-11' }]]);
    expectFacts('十八大以来至今', 'period', [['十八大以来至今', { from: '2012-11' }]]);
  });
  it('reads 以前/之前 as a period to the congress month (inclusive: the congress opened in the course of it)', () => {
    expectFacts('党的十八大以前', 'period', [['党的十八大以前', { to: '2012-11' }]]);
    expectFacts('十九大之前', 'period', [['十九大之前', { to: '2017-10' }]]);
  });
  it('reads plenums of the 18th to 20th Central Committees from a table', () => {
    expectFacts('党的十八届三中全会以来', 'period', [['党的十八届三中全会以来', { from: '2013-11' }]]);
    expectFacts('十九届四中全会召开以来', 'period', [['十九届四中全会召开以来', { from: '2019-10' }]]);
    expectFacts('二十届三中全会以来', 'period', [['二十届三中全会以来', { from: '2024-07' }]]);
    // Not in the table: no date is made up.
    expectFacts('十七届三中全会以来', 'period', []);
    expectFacts('十八届八中全会以来', 'period', []);
  });
  it('reads no period from a congress named as an event, or from other numerals before 大', () => {
    for (const s of ['深入学习贯彻党的十九大精神', '十八大报告', '认真学习党的二十届三中全会精神', '三十八大以来', '第十八大以来', '十五大以来', '十八大代表以来']) {
      expect(facts(s, 'period'), s).toEqual([]);
    }
  });
  it('reads the traditional script and honours a window', () => {
    expectFacts('黨的十八大以來', 'period', [['黨的十八大以來', { from: '2012-11' }]]);
    const source = '前言。黨的十九屆六中全會以來';
    expect(extractor.extract(source, { normalized: normalizeForFacts(source), start: 3 })).toEqual([
      { kind: 'period', text: '黨的十九屆六中全會以來', start: 3, end: 14, from: '2021-11' },
    ]);
  });
});

describe('loose numeral pairs', () => {
  const loose = (lo: number, hi: number, more: Record<string, unknown>): Record<string, unknown> => ({ value: lo, min: lo, max: hi, approx: true, ...more });
  it('reads 三五名, 两三个, 七八个, 十二三名, 二三十人, 一百七八十人 as counts from min to max', () => {
    expectFacts('抽查三五名干部', 'count', [['三五名干部', loose(3, 5, { measure: '名', counted: '干部' })]]);
    expectFacts('发现两三个问题', 'count', [['两三个问题', loose(2, 3, { measure: '个', counted: '问题' })]]);
    expectFacts('有七八个。', 'count', [['七八个', loose(7, 8, { measure: '个' })]]);
    expectFacts('约十二三名', 'count', [['约十二三名', loose(12, 13, { measure: '名', min: 12, max: 13 })]]);
    expectFacts('二三十人参加', 'count', [['二三十人', loose(20, 30, { measure: '人' })]]);
    expectFacts('一百七八十人', 'count', [['一百七八十人', loose(170, 180, { measure: '人' })]]);
    expectFacts('十一二个', 'count', [['十一二个', loose(11, 12, { measure: '个' })]]);
    expectFacts('一两个项目', 'count', [['一两个项目', loose(1, 2, { measure: '个', counted: '项目' })]]);
    expectFacts('三五個項目', 'count', [['三五個項目', loose(3, 5, { measure: '个', counted: '项目' })]]);
  });
  it('reads 三四百万元 and 三四万元 as amounts from min to max', () => {
    expectFacts('损失三四百万元', 'amount', [['三四百万元', { unit: 'CNY', min: 3000000, max: 4000000, approx: true }]]);
    expectFacts('三四萬元', 'amount', [['三四萬元', { unit: 'CNY', min: 30000, max: 40000, approx: true }]]);
  });
  it('reads 七八成 and 两三成 as ratios from min to max', () => {
    expectFacts('七八成的问题', 'ratio', [['七八成', { value: 0.7, min: 0.7, max: 0.8, approx: true }]]);
    expectFacts('两三成', 'ratio', [['两三成', { value: 0.2, min: 0.2, max: 0.3, approx: true }]]);
  });
  it('reads no figure in fixed phrases, decades and numerals that are no pair', () => {
    for (const s of [
      '三五成群', '一二把手', '七八十年代', '四五十年代', '三三两两', '八九不离十', '乱七八糟', '一二个', '五六七个', '三六个',
      '第三四名', '三六成', '78成', '一二成', '二十三四百个',
    ]) {
      expect(facts(s).filter((f) => f.kind === 'count' || f.kind === 'amount' || f.kind === 'ratio'), s).toEqual([]);
    }
    // Years are read as before (二三十年 and 三五年 stay no duration).
    expect(facts('七八十年代', 'period')).toEqual([]);
  });
});

describe('loose pairs, properties', () => {
  const DIGITS = [...'一二两三四五六七八九'];
  it('two numerals are a pair exactly when isLoosePair says so, from the first value to the second', () => {
    for (const a of DIGITS) {
      for (const b of DIGITS) {
        const r = readLoosePair(a + b);
        expect(r !== undefined, a + b).toBe(isLoosePair(a, b));
        if (r !== undefined) expect(r.lo).toBeLessThan(r.hi);
      }
    }
  });
  it('any numeral string reads as no pair or as lo < hi, both whole and positive', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...DIGITS, '十', '百', '千', '零'), { maxLength: 6 }), (chars) => {
        const r = readLoosePair(chars.join(''));
        if (r === undefined) return;
        expect(Number.isInteger(r.lo) && Number.isInteger(r.hi) && r.lo > 0 && r.lo < r.hi).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
