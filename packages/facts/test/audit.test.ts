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
  it('stays linear on a long run of numerals and finds no count in it', () => {
    // The recognizer was quadratic in a numeral's length (8,000 characters took 2 s). A ratio of two sizes in one
    // run, not a time limit: 4× the text may cost at most 8× the time (a quadratic step costs 16×).
    const time = (n: number): number => {
      const text = `${'两千零'.repeat(n)}名`;
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        expect(facts(text, 'count')).toEqual([]);
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(750);
    expect(time(3000)).toBeLessThan(Math.max(8 * time(750), 50));
  });
});

describe('open periods written with 至今', () => {
  it('takes 至今 as from-only, not as a one-year period', () => {
    expect(facts('2019年至今，该局违规发放补贴。', 'period')).toEqual([{ kind: 'period', text: '2019年至今', start: 0, end: 7, from: '2019' }]);
    expect(facts('2021年3月至今', 'period')).toEqual([{ kind: 'period', text: '2021年3月至今', start: 0, end: 9, from: '2021-03' }]);
    expect(facts('自2019年起至今', 'period')).toEqual([{ kind: 'period', text: '自2019年起至今', start: 0, end: 9, from: '2019' }]);
  });
});

describe('month ranges with 月 written once', () => {
  it('reads 1-9月 and 2023年1至6月 as one range from the first month', () => {
    expect(facts('2023年1-6月，共受理信访举报。', 'period')).toEqual([
      { kind: 'period', text: '2023年1-6月', start: 0, end: 9, from: '2023-01', to: '2023-06', duration: { value: 6, unit: 'month' } },
    ]);
    expect(facts('今年1至9月份', 'period')).toEqual([{ kind: 'period', text: '1至9月份', start: 2, end: 7, from: '--01', to: '--09', duration: { value: 9, unit: 'month' } }]);
    expect(facts('2022年，1—3月间', 'period')).toEqual([
      { kind: 'period', text: '2022年', start: 0, end: 5, from: '2022', to: '2022' },
      { kind: 'period', text: '1—3月间', start: 6, end: 11, from: '2022-01', to: '2022-03', duration: { value: 3, unit: 'month' } },
    ]);
  });
  it('leaves other shapes alone', () => {
    expect(facts('整改期限为2-3个月。', 'period').some((f) => f.from !== undefined)).toBe(false);
    expect(facts('12月13-15日', 'period')).toEqual([{ kind: 'period', text: '12月13-15日', start: 0, end: 9, from: '--12-13', to: '--12-15', duration: { value: 3, unit: 'day' } }]);
  });
});

describe('set phrases written without quotes', () => {
  it('counts nothing in 两张皮 (was a count of 2 皮问题, a case count), 三个规定, 四项监督, 三个必须', () => {
    expect(facts('党建和业务两张皮问题突出。', 'count')).toEqual([]);
    expect(facts('“两张皮问题', 'count')).toEqual([]);
    expect(facts('贯彻防止干预司法三个规定不到位。', 'count')).toEqual([]);
    expect(facts('四项监督贯通协调不够。', 'count')).toEqual([]);
    expect(facts('落实三个必须要求不到位。', 'count')).toEqual([]);
    expect(facts('发现3个规定动作未落实。', 'count')).toEqual([{ kind: 'count', text: '3个', start: 2, end: 4, value: 3, measure: '个' }]);
  });
});

describe('round figures written with a bare place', () => {
  it('reads 百余名, 千余万元, 万余元, 近百万元, 上千名, 数百万元', () => {
    expect(facts('处理百余名干部', 'count')).toEqual([
      { kind: 'count', text: '百余名干部', start: 2, end: 7, value: 100, measure: '名', counted: '干部', min: 100, max: 200, approx: true },
    ]);
    expect(facts('涉及资金千余万元', 'amount')).toEqual([
      { kind: 'amount', text: '千余万元', start: 4, end: 8, unit: 'CNY', min: 10000000, max: 20000000, approx: true },
    ]);
    expect(facts('收受礼金万余元', 'amount')).toEqual([{ kind: 'amount', text: '万余元', start: 4, end: 7, unit: 'CNY', min: 10000, max: 20000, approx: true }]);
    expect(facts('损失近百万元', 'amount')).toEqual([{ kind: 'amount', text: '近百万元', start: 2, end: 6, unit: 'CNY', max: 1000000, approx: true }]);
    expect(facts('动辄上万元', 'amount')).toEqual([{ kind: 'amount', text: '上万元', start: 2, end: 5, unit: 'CNY', min: 10000 }]);
    expect(facts('上千名群众', 'count')).toEqual([
      { kind: 'count', text: '上千名群众', start: 0, end: 5, value: 1000, measure: '名', counted: '群众', min: 1000 },
    ]);
    expect(facts('造成损失数百万元', 'amount')).toEqual([
      { kind: 'amount', text: '数百万元', start: 4, end: 8, unit: 'CNY', min: 2000000, max: 10000000, approx: true },
    ]);
  });
  it('counts nothing in 千家万户, 千人计划, 百年大计, 上一轮, and keeps 上 out of ordinary counts', () => {
    expect(facts('走进千家万户，落实千人计划和百年大计', 'count')).toEqual([]);
    expect(facts('对上一轮巡察反馈问题整改不力', 'count')).toEqual([]);
    expect(facts('以上3名干部', 'count')).toEqual([{ kind: 'count', text: '3名干部', start: 2, end: 6, value: 3, measure: '名', counted: '干部' }]);
  });
});

describe('a count of one at the start of the text or window', () => {
  it('is found as it is after another character', () => {
    const one = { kind: 'count', value: 1, measure: '名', counted: '处级干部' };
    expect(facts('一名处级干部违规经商', 'count')).toEqual([{ ...one, text: '一名处级干部', start: 0, end: 6 }]);
    const text = '经查，一名处级干部违规经商';
    expect(extractor.extract(text, { start: 3 }).filter((f) => f.kind === 'count')).toEqual([{ ...one, text: '一名处级干部', start: 3, end: 9 }]);
    expect(facts('一起违纪案件被查处', 'count')).toEqual([{ kind: 'count', text: '一起违纪案件', start: 0, end: 6, value: 1, measure: '起', counted: '违纪案件' }]);
  });
});

describe('count ranges with the measure word written once', () => {
  it('reads 3至5名干部 as 3 to 5 (was a count of 5 from the second numeral)', () => {
    expect(facts('每个单位抽查3至5名干部', 'count')).toEqual([
      { kind: 'count', text: '3至5名干部', start: 6, end: 12, value: 3, measure: '名', counted: '干部', min: 3, max: 5 },
    ]);
    expect(facts('涉及10-20家企业', 'count')).toEqual([
      { kind: 'count', text: '10-20家企业', start: 2, end: 10, value: 10, measure: '家', counted: '企业', min: 10, max: 20 },
    ]);
  });
  it('falls back to the second numeral when the two do not make a range', () => {
    expect(facts('5至3名', 'count')).toEqual([{ kind: 'count', text: '3名', start: 2, end: 4, value: 3, measure: '名' }]);
  });
});

describe('余/多 after 万/亿 with decimals', () => {
  it('bounds 1.2万余元 below 1.3万 (was 2.2万) and 3.2亿余元 below 3.3亿', () => {
    expect(facts('1.2万余元', 'amount')).toEqual([{ kind: 'amount', text: '1.2万余元', start: 0, end: 6, unit: 'CNY', min: 12000, max: 13000, approx: true }]);
    expect(facts('3.2亿余元', 'amount')).toEqual([{ kind: 'amount', text: '3.2亿余元', start: 0, end: 6, unit: 'CNY', min: 320000000, max: 330000000, approx: true }]);
    expect(facts('5万余元', 'amount')).toEqual([{ kind: 'amount', text: '5万余元', start: 0, end: 4, unit: 'CNY', min: 50000, max: 60000, approx: true }]);
    expect(facts('10万余元', 'amount')).toEqual([{ kind: 'amount', text: '10万余元', start: 0, end: 5, unit: 'CNY', min: 100000, max: 110000, approx: true }]);
  });
});

describe('deadlines written with 前', () => {
  it('reads 2022年底前 and 6月30日前 as to-only (were a period of that month or day)', () => {
    expect(facts('2022年底前完成整改', 'period')).toEqual([{ kind: 'period', text: '2022年底前', start: 0, end: 7, to: '2022-12' }]);
    expect(facts('2023年6月30日前', 'period')).toEqual([{ kind: 'period', text: '2023年6月30日前', start: 0, end: 11, to: '2023-06-30' }]);
  });
  it('leaves 前三季度, 前后 alone', () => {
    expect(facts('2023年前三季度', 'period')[0]).toEqual({ kind: 'period', text: '2023年', start: 0, end: 5, from: '2023', to: '2023' });
    expect(facts('2023年前后', 'period')).toEqual([{ kind: 'period', text: '2023年', start: 0, end: 5, from: '2023', to: '2023' }]);
  });
});
