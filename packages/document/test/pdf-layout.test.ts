import { describe, expect, it } from 'vitest';
import { layoutPdf } from '../src/index.js';

type Item = { str: string; x: number; y: number; width: number; height: number };
const item = (str: string, x: number, y: number, size = 16): Item => ({ str, x, y, width: str.length * size, height: size });
/** An A4 page (body from x = 79 to 521, 16 pt): lines given as [text, x, y, size]. */
const page = (items: Item[]) => ({ width: 595, height: 842, items });

describe('PDF layout of a 公文', () => {
  const body = [
    item('各乡镇、县直各单位：', 79, 618),
    item('根据县委统一部署，县委第一巡察组对县财政局党组开展了', 111, 589),
    item('常规巡察，并于2023年8月反馈了巡察意见。现将整改进展情况', 79, 561),
    item('通报如下。', 79, 534),
    item('一、提高政治站位，扎实推进巡察整改', 111, 505),
  ];
  it('joins a title set large and centred that wraps onto a second centred line, as Word and WPS print it', () => {
    // Wrapped by the width (a full first line, one character left), and broken by the author (two centred lines).
    for (const title of [
      [item('关于某某县财政局党组巡察整改进展情况的通', 81, 711, 22), item('报', 290, 675, 22)],
      [item('关于某某县财政局党组', 187, 711, 22), item('巡察整改进展情况的通报', 176, 675, 22)],
    ]) {
      const doc = layoutPdf([page([...title, ...body])]);
      expect(doc.text.split('\n')).toEqual([
        '关于某某县财政局党组巡察整改进展情况的通报',
        '各乡镇、县直各单位：',
        '根据县委统一部署，县委第一巡察组对县财政局党组开展了常规巡察，并于2023年8月反馈了巡察意见。现将整改进展情况通报如下。',
        '一、提高政治站位，扎实推进巡察整改',
      ]);
    }
  });
  it('keeps apart centred lines of different sizes (the issuer above the title) and a title from the line after it', () => {
    const doc = layoutPdf([page([item('中共某某县委巡察办', 200, 760, 28), item('关于巡察整改进展情况的通报', 154, 711, 22), ...body])]);
    expect(doc.text.split('\n').slice(0, 3)).toEqual(['中共某某县委巡察办', '关于巡察整改进展情况的通报', '各乡镇、县直各单位：']);
  });
  it('leaves out a footnote marker set as a superscript (smaller, raised), but not a number on the line', () => {
    const doc = layoutPdf([
      page([
        item('整改中，共追回资金人民币126.5万元。', 111, 621),
        { str: '1', x: 471, y: 627, width: 7, height: 12.5 },
        item('涉及干部12人，已全部完成整改，全面从严治党取得新', 111, 593),
        item('成效，第2批次整改任务正在推进。', 79, 565),
        item('1 数据截至2024年4月30日。', 79, 196, 10),
      ]),
    ]);
    expect(doc.text.split('\n')).toEqual(['整改中，共追回资金人民币126.5万元。', '涉及干部12人，已全部完成整改，全面从严治党取得新成效，第2批次整改任务正在推进。', '1 数据截至2024年4月30日。']);
  });
});
