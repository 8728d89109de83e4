import { describe, expect, it } from 'vitest';
import type { CategoryId } from '@xunshi/types';
import { createFactExtractor } from '@xunshi/facts';
import { aggregateFacts } from '@xunshi/report';

// Amounts and counts need no unit types: an empty list keeps this test independent of the shipped rules.
const extractor = createFactExtractor({ unitTypes: { file: '', determiners: [], types: [] } });
const passage = (text: string, ...ids: CategoryId[]) => ({ facts: extractor.extract(text), categories: ids.map((id) => ({ id })) });

describe('aggregateFacts', () => {
  it('totals amounts, people and cases per category, none for passages without one, both for two', () => {
    const totals = aggregateFacts([
      passage('违规费用达18万元，涉及3名处级干部。', 'conduct'),
      passage('违规占用资金180余万元，不足1万元的未计。', 'discipline', 'conduct'),
      passage('移交问题线索39件，查处15起违纪问题，其中2人涉嫌犯罪。', 'discipline'),
      passage('有23名党员连续6个月未足额缴纳党费，填报8种表格。'),
      passage('巡察反馈25个问题，已完成整改19个。', 'political'),
    ]);
    expect(totals).toEqual({
      political: { amount: 0, people: 0, cases: 25 },
      organizational: { amount: 0, people: 0, cases: 0 },
      conduct: { amount: 1980000, people: 3, cases: 0 },
      discipline: { amount: 1800000, people: 2, cases: 54 },
      none: { amount: 0, people: 23, cases: 0 },
    });
  });

  it('counts approximate counts by their lower bound', () => {
    expect(aggregateFacts([passage('有10余名干部参与，超过20人知情。')]).none.people).toBe(30);
  });
});
