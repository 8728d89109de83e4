import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findPeriods } from '../src/periods.js';
import type { FactSink } from '../src/sink.js';

/** Every period findPeriods reports, in order. */
function periods(text: string, yearBefore: number | undefined, gate: boolean): unknown[] {
  const out: unknown[] = [];
  const sink = { add: (start: number, end: number, body: unknown) => void out.push([start, end, body]) } as unknown as FactSink;
  findPeriods(text, sink, yearBefore, { gate });
  return out;
}

// Numbers, numerals and every character a date, range or duration reads, so that most texts hold candidates.
const PIECES = [
  '0', '1', '2', '9', '10', '12', '28', '31', '2019', '2022', '2025', '1999', '.', '/', '-', '—', '–', '~', '至', '到', '年', '月',
  '日', '号', '底', '末', '初', '上半年', '下半年', '第一季度', '三季度', '上旬', '份', '度', '以来', '以前', '截至', '自', '从', '期间', '间',
  '一', '二', '三', '十', '十二', '两', '〇', '零', '二〇二二', '一九九九', '百', '第', '个月', '天', '周', '工作日', '连续', '近', '内',
  '统一', '进一步', '一些', '问题', '，', '。', ' ', 'a',
];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }).map((a) => a.join(''));

describe('findPeriods skips numbers with no period cue after them', () => {
  it('finds the same periods with the gate as without it (property)', () => {
    fc.assert(
      fc.property(textArb, fc.option(fc.integer({ min: 1990, max: 2030 }), { nil: undefined }), (text, year) => {
        expect(periods(text, year, true)).toEqual(periods(text, year, false));
      }),
      { numRuns: 3000 },
    );
  });
  it('still finds dates, years, ranges and months at the edges of the gate', () => {
    for (const text of ['二〇二二年', '十二月', '2022-10-28', '2019至2022年', '10月', '2022年底', '1999.12.31']) {
      expect(periods(text, undefined, true).length, text).toBeGreaterThan(0);
      expect(periods(text, undefined, true)).toEqual(periods(text, undefined, false));
    }
  });
});
