import { describe, expect, it } from 'vitest';
import { createFactExtractor } from '../src/index.js';
import { SHIPPED_UNIT_TYPES } from './support/unit-types.js';

const extractor = createFactExtractor({ unitTypes: SHIPPED_UNIT_TYPES });

/** The examples of the issue "Facts with evidence", verbatim, each on its own. */
const EXAMPLES: [string, Record<string, unknown>][] = [
  ['违规费用达18万元', { kind: 'amount', text: '18万元', value: 180000, unit: 'CNY' }],
  ['涉及金额1.2亿元', { kind: 'amount', text: '1.2亿元', value: 120000000 }],
  ['7.132万元', { kind: 'amount', value: 71320 }],
  ['一千二百万元', { kind: 'amount', value: 12000000 }],
  ['180余万元', { kind: 'amount', min: 1800000, max: 1900000, approx: true }],
  ['一千多万元', { kind: 'amount', min: 10000000, max: 20000000, approx: true }],
  ['近5000万元', { kind: 'amount', max: 50000000, approx: true }],
  ['约30万元', { kind: 'amount', min: 300000, max: 300000, approx: true }],
  ['超过100万元', { kind: 'amount', min: 1000000 }],
  ['50万元以上', { kind: 'amount', min: 500000 }],
  ['不足1万元', { kind: 'amount', max: 10000 }],
  ['12名干部', { kind: 'count', value: 12, measure: '名', counted: '干部' }],
  ['6个项目', { kind: 'count', value: 6, measure: '个', counted: '项目' }],
  ['15起违纪问题', { kind: 'count', value: 15, measure: '起', counted: '违纪问题' }],
  ['3趟', { kind: 'count', value: 3, measure: '趟' }],
  ['8种表格', { kind: 'count', value: 8, measure: '种', counted: '表格' }],
  ['23名党员', { kind: 'count', value: 23, measure: '名', counted: '党员' }],
  ['问题线索39件', { kind: 'count', value: 39, measure: '件', counted: '问题线索' }],
  ['不足20%', { kind: 'ratio', value: 0.2, comparator: 'lt' }],
  ['占比达40%', { kind: 'ratio', text: '达40%', value: 0.4, comparator: 'eq' }],
  ['同比下降15%', { kind: 'ratio', value: 0.15, change: 'down' }],
  ['上升25%', { kind: 'ratio', value: 0.25, change: 'up' }],
  ['整改完成率76%', { kind: 'ratio', text: '76%', value: 0.76 }],
  ['2019-2022年间', { kind: 'period', from: '2019', to: '2022', duration: { value: 4, unit: 'year' } }],
  ['2022年', { kind: 'period', from: '2022', to: '2022' }],
  ['2020年10月28日', { kind: 'period', from: '2020-10-28', to: '2020-10-28' }],
  ['近3年', { kind: 'period', duration: { value: 3, unit: 'year' } }],
  ['2019年以来', { kind: 'period', from: '2019' }],
  ['连续6个月', { kind: 'period', duration: { value: 6, unit: 'month' } }],
  ['15个工作日', { kind: 'period', duration: { value: 15, unit: 'workday' } }],
  ['某市直单位', { kind: 'unitType', type: 'municipal-department' }],
  ['某县', { kind: 'unitType', type: 'county' }],
  ['某国企', { kind: 'unitType', type: 'soe' }],
  ['某省属高校', { kind: 'unitType', type: 'university' }],
  ['某乡镇', { kind: 'unitType', type: 'township' }],
  ['省直部门', { kind: 'unitType', type: 'provincial-department' }],
  ['政务服务中心', { kind: 'unitType', type: 'service-center' }],
  ['“两张皮”', { kind: 'catchphrase', phrase: '两张皮' }],
  ['“一言堂”', { kind: 'catchphrase', phrase: '一言堂' }],
];

describe('examples of the issue, verbatim', () => {
  it.each(EXAMPLES)('%s', (phrase, expected) => {
    const facts = extractor.extract(phrase);
    expect(facts).toHaveLength(1);
    const text = (expected.text as string | undefined) ?? phrase;
    expect(facts[0]).toMatchObject({ ...expected, text, start: phrase.indexOf(text), end: phrase.indexOf(text) + text.length });
  });

  it('村 names a village after a determiner or a measure word', () => {
    expect(extractor.extract('该村')).toEqual([{ kind: 'unitType', text: '该村', start: 0, end: 2, type: 'village' }]);
    expect(extractor.extract('村')).toEqual([]);
  });

  it('“温差”“落差”“偏差” are three catchphrases', () => {
    expect(extractor.extract('“温差”“落差”“偏差”').map((f) => f.kind === 'catchphrase' && f.phrase)).toEqual(['温差', '落差', '偏差']);
  });

  it('有23名党员连续6个月未足额缴纳党费 gives the count and the span', () => {
    expect(extractor.extract('有23名党员连续6个月未足额缴纳党费').map((f) => f.text)).toEqual(['23名党员', '连续6个月']);
  });

  it('the false positives of the issue stay silent', () => {
    for (const s of ['第一', '一是', '一些', '一把手', '十九大', '二十届', '三重一大', '四个意识', '两个维护', '八项规定', '一、']) {
      expect(extractor.extract(s), s).toEqual([]);
    }
  });
});
