import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractOfd } from '../src/ofd-read.js';
import { extractPdf } from '../src/pdf-read.js';
import { extentOf } from '../src/pdf-columns.js';
import type { PdfTextItem } from '../src/pdf-layout.js';
import { findStreamTables, streamTableWork } from '../src/pdf-stream-tables.js';
import { findChromium, hasCjkFont, printPdf } from './support/fixtures.js';
import { ofdOfPages } from './support/layout-pages.js';
import { cellText, libreLine, libreParagraphs, rowsOf, run, setColumns, setTable, SIZE, type TableSetting } from './support/stream-table-pages.js';

// The borderless-table finder (pdf-stream-tables.ts) on pages as producers set them: HTML's default cell spacing,
// cells centred in their rows, rows in the page's edge bands, and pages that are no tables.

const HEAD = ['序号', '反馈问题', '整改措施', '责任领导', '责任单位', '完成时限', '整改进展'];
const ROWS = [
  ['1', '学习贯彻习近平新时代中国特色社会主义思想不够深入，理论学习中心组学习流于形式。', '制定年度学习计划，每月开展一次集中学习研讨。', '张三', '办公室', '2023年6月30日', '已完成'],
  ['2', '落实中央八项规定精神不严格，存在违规发放津补贴问题，涉及金额18万元。', '全额清退违规发放的津补贴，对相关责任人进行诫勉谈话。', '李四', '财务科', '2023年5月31日', '已完成'],
  ['3', '基层党组织建设薄弱，“三会一课”制度落实不到位。', '开展基层党组织标准化规范化建设。', '王五', '机关党委', '长期坚持', '持续推进'],
];
const PER = [2, 16, 12, 2, 2, 5, 2];
const A4 = { width: 595, height: 842 };
const ABOVE = run('二、具体问题整改情况', 40, 780);

describe('borderless tables as producers set them', () => {
  it("reads a table whose cells are as close as HTML's default spacing sets them (3pt, a quarter of the text size)", () => {
    const t = setTable([HEAD, ...ROWS], { per: PER, colGap: 3, rowGap: 3, middle: false }, 760);
    expect(rowsOf([{ ...A4, items: [ABOVE, ...t.items] }])).toEqual([['body:二、具体问题整改情况'], HEAD, ...ROWS]);
  });

  it('reads cells centred in their rows, whose lines fall half a line apart, by rows (not a row a line pitch)', () => {
    // A cell of four lines beside cells of one, two and three: the row's lines are half a pitch apart in places.
    const head = ['序号', '反馈问题（巡察组指出）', '整改措施及责任分工', '完成时限（年月日）'];
    const rows = ROWS.map((r) => [r[0]!, r[1]!, r[2]!, r[5]!]);
    const t = setTable([head, ...rows], { per: [2, 11, 20, 7], colGap: 8, rowGap: 7.5, middle: true }, 760);
    expect(rowsOf([{ ...A4, items: [ABOVE, ...t.items] }])).toEqual([['body:二、具体问题整改情况'], head, ...rows]);
  });

  it("reads a Word table without borders whose cells are centred (vAlign center) and rows unpadded: its rows a whole pitch apart, its lines half", () => {
    // Word's cell margins (0.19 cm a side) between columns, none between rows; 10.5pt text, lines 12.3pt apart.
    const t = setTable([HEAD, ...ROWS], { per: [1, 10, 9, 2, 3, 5, 3], colGap: 10.8, rowGap: 0, middle: true, size: 10.5, pitch: 12.3 }, 760);
    expect(rowsOf([{ ...A4, items: [ABOVE, ...t.items] }])).toEqual([['body:二、具体问题整改情况'], HEAD, ...ROWS]);
  });

  it('goes on with rows in the bottom band that are as far apart as the rows above, but leaves out a page number further down', () => {
    const rows = Array.from({ length: 9 }, (_, i) => [String(i + 1), ...ROWS[i % 3]!.slice(1)]);
    const setting: TableSetting = { per: PER, colGap: 6, rowGap: 7.5, middle: true };
    const t = setTable([HEAD, ...rows], setting, 500);
    expect(t.bottom).toBeLessThan(0.12 * 842 - 20); // the last rows are in the bottom band
    const got = rowsOf([{ ...A4, items: [...t.items, run('- 3 -', 280, 12)] }]);
    // The page number is no row of the table (and, as a page number, is left out).
    expect(got).toEqual([HEAD, ...rows]);
  });

  it('reads a header of two lines repeated at the top of the next page (in its top band) once', () => {
    const setting: TableSetting = { per: PER, colGap: 6, rowGap: 7.5, middle: true };
    const letter = { width: 612, height: 792 };
    const p1 = setTable([HEAD, ROWS[0]!, ROWS[1]!], setting, 740);
    const p2 = setTable([HEAD, ROWS[2]!], setting, 760);
    expect(rowsOf([{ ...letter, items: p1.items }, { ...letter, items: p2.items }])).toEqual([HEAD, ...ROWS]);
  });

  it('reads a letter-spaced title over two lines, and the source line above it, as lines', () => {
    // Each character a run, set 1.2 characters apart: the title of a notice spread over its box.
    const title = (text: string, y: number): ReturnType<typeof run>[] => [...text].map((ch, i) => run(ch, 200 + i * 2.2 * 22, y, 22));
    const titled = [...title('关于巡察整', 610), ...title('改进展情况', 584), ...title('的通报', 559)];
    const source = [run('发布时间：2023-05-06', 34, 645), run('来源：县纪委监委', 278, 645), run('浏览次数：128', 498, 645)];
    for (const items of [titled, [...source, ...titled]]) {
      const got = rowsOf([{ ...A4, items }]);
      expect(got.every((r) => r.length === 1 && r[0]!.startsWith('body:'))).toBe(true);
      expect(findStreamTables(items, undefined, 842)).toEqual([]);
    }
  });

  it('reads as lines two columns of running text whose paragraph gaps line up at first, then drift apart', () => {
    const para = (n: number, k: number): string => Array.from({ length: n }, (_, i) => '巡察反馈问题整改落实责任制度干部党组织建设监督执纪学习教育'[(i * 7 + k) % 30]).join('') + '。';
    // Paragraphs of 2, 1, 5, 1, 4 lines in both columns (their gaps on one baseline), then the columns part.
    // Then the right column's short lines (a closing, a signature, a date) fall a paragraph gap above the left's.
    const left = [para(40, 1), para(8, 2), para(105, 3), para(11, 4), para(84, 5), para(3, 6), para(9, 7), para(62, 8)];
    const right = [para(30, 11), para(10, 12), para(101, 13), para(9, 14), para(70, 15), para(5, 16), para(8, 17), para(3, 18), para(10, 19)];
    const items = setColumns([left, right], 21, 4, 780);
    expect(findStreamTables(items, undefined, 842)).toEqual([]);
    expect(rowsOf([{ ...A4, items }]).every((r) => r.length === 1)).toBe(true);
  });

  it('reads as lines three columns of running text whose paragraphs are spaced half a line (lines of one column half a pitch off the next)', () => {
    const para = (n: number, k: number): string => Array.from({ length: n }, (_, i) => '巡察反馈问题整改落实责任制度干部党组织建设监督执纪学习教育'[(i * 7 + k) % 30]).join('') + '。';
    const cols = [
      [para(20, 1), para(7, 2), para(70, 3), para(10, 4), para(60, 5)],
      [para(33, 6), para(9, 7), para(60, 8), para(13, 9), para(50, 10)],
      [para(30, 11), para(8, 12), para(62, 13), para(3, 14), para(5, 15), para(3, 16), para(10, 17)],
    ];
    const items = setColumns(cols, 16, (1.1875 * SIZE) / 2, 780);
    expect(findStreamTables(items, undefined, 842)).toEqual([]);
  });

  it('property: ledgers set as a browser sets them (narrow gaps, centred cells, padded rows) read as their rows', () => {
    const text = cellText;
    const ledger = fc.record({
      widths: fc.array(fc.integer({ min: 3, max: 16 }), { minLength: 2, maxLength: 6 }),
      lengths: fc.array(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 6, maxLength: 6 }), { minLength: 2, maxLength: 6 }),
      colGap: fc.constantFrom(3, 4.5, 8),
      rowGap: fc.constantFrom(3, 4.5, 7.5),
      middle: fc.boolean(),
    });
    fc.assert(
      fc.property(ledger, ({ widths, lengths, colGap, rowGap, middle }) => {
        const per = [2, ...widths];
        const rows = lengths.map((ls, r) => [String(r + 1), ...widths.map((_, c) => text(ls[c]!, r * 7 + c))]);
        const head = ['序号', ...widths.map((_, c) => `栏目${c + 1}`)];
        const t = setTable([head, ...rows], { per, colGap, rowGap, middle }, 760);
        const width = 40 + per.reduce((s, w) => s + w * SIZE + colGap, 0) + 40;
        const got = rowsOf([{ width: Math.max(595, width), height: 842, items: [ABOVE, ...t.items] }]);
        const wraps = rows.some((row) => row.some((s, c) => [...s].length > per[c]!));
        if (wraps) expect(got).toEqual([['body:二、具体问题整改情况'], head, ...rows]);
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });
});

describe('borderless tables of an OFD', () => {
  it('reads a ledger whose cells are text objects (centred in their rows, 3pt apart) by rows, over two pages', async () => {
    const setting: TableSetting = { per: PER, colGap: 3, rowGap: 4.5, middle: true };
    const p1 = setTable([HEAD, ROWS[0]!, ROWS[1]!], setting, 760);
    const p2 = setTable([HEAD, ROWS[2]!], setting, 800);
    const doc = await extractOfd(await ofdOfPages([{ ...A4, items: [ABOVE, ...p1.items] }, { ...A4, items: p2.items }]));
    const got = doc.lines.map((l) => (l.kind === 'row' ? l.cells!.map((c) => doc.text.slice(c.start, c.end)) : [`body:${doc.text.slice(l.start, l.end)}`]));
    expect(got).toEqual([['body:二、具体问题整改情况'], HEAD, ...ROWS]);
  });
});

describe('running text whose spaces between Chinese and figures line up', () => {
  // LibreOffice sets a fifth of the size between a Chinese character and a figure (libreLine). Where two lines' spaces
  // fall at the same x by chance, the blank corridor down the lines (a paragraph's short last line between them ending
  // short of it) read as a table of two columns that tore the sentences apart (国内生产总值 | 529971亿元). Set solid at
  // 10pt, the space is 2pt; justified at 16pt with lines 28pt apart (a 公文), LibreOffice spreads each character and
  // the space by 0.4pt (3.6pt: more than a fifth of the size).
  const han = (n: number, k: number): string => cellText(n + 1, k).slice(0, n);
  for (const { size, spread, pitch, before, after } of [
    { size: 10, spread: 0, pitch: 11.7, before: 31, after: 13 },
    { size: 16, spread: 0.4, pitch: 28, before: 10, after: 14 },
  ]) {
    // The paragraph's second line is its last, ending just before the space; the next paragraph is indented two characters.
    const lines = [han(before, 1) + '40666' + han(after, 2), han(before - 1, 3) + '。', han(before - 2, 4) + '2015' + han(after, 5)];
    const items = lines.flatMap((t, i) => libreLine(t, i === 2 ? 57 + 2 * (size + spread) : 57, 700 - pitch * i, size, spread));
    const gapsOf = (i: number): string[] => {
      const line = items.filter((it) => it.y === 700 - pitch * i);
      return line.slice(1).map((it, j) => `${(line[j]!.x + line[j]!.width).toFixed(1)}-${it.x.toFixed(1)}`);
    };

    it(`${size}pt, spread ${spread}pt: the lines are set so, one gap at the same x on the two full lines`, () => {
      const first = gapsOf(0)[0]!;
      expect(gapsOf(2)[0]).toBe(first);
      const [l, r] = first.split('-').map(Number);
      expect(r! - l!).toBeCloseTo(0.2 * size + spread, 5);
      const short = items.filter((it) => it.y === 700 - pitch);
      expect(extentOf(short, (it) => it.x + it.width)[1]).toBeLessThanOrEqual(l! + 0.01);
      expect(extentOf(items, (it) => it.x + it.width)[1]).toBeLessThan(540);
    });

    it(`${size}pt, spread ${spread}pt: finds no table there, and reads the two paragraphs whole`, () => {
      expect(findStreamTables(items, [], 842)).toEqual([]);
      expect(rowsOf([{ ...A4, items }])).toEqual([[`body:${lines[0]}${lines[1]}`], [`body:${lines[2]}`]]);
    });
  }

  it("a justified line whose space before a figure took the line's slack (0.26–0.3 of the size): no table with the lines below", () => {
    // LibreOffice gives a justified line's slack to its spaces between scripts first: 3.2pt + 1pt at 16pt, beyond what the
    // line's spread of its characters allows. Two such lines ending in a figure at the margin, and a line of the rest.
    const run16 = (str: string, x: number, y: number, w = [...str].length * 16): PdfTextItem => ({ str, x, y, width: w, height: 16 });
    const twoFigures = [
      run16('（一）关于选人用人不规范的问题。制定整改方案，累计', 88.8, 586.8),
      run16('955.9', 493, 586.8, 45.7),
      run16('万元，长期坚持。建立问题清单、任务清单、责任清单，涉及', 56.8, 558.8),
      run16('604.2', 492.9, 558.8, 45.7),
      run16('万元，整改到位。', 56.8, 530.8),
    ];
    expect(findStreamTables(twoFigures, [], 842)).toEqual([]);
    // One such line (4.8pt) under a heading, its paragraph's last character on the next line, then a signature and a
    // date set flush right, right of the space: cells side by side on one line only.
    const signed = [
      run16('（一）关于选人用人不规范的问题', 88.8, 231.4),
      run16('个别班子成员基层党组织建设薄弱，涉及', 88.8, 203.4, 295.3),
      run16('76.2%', 388.9, 203.4, 50.8),
      run16('，群众反映强', 440.2, 203.4, 98.1),
      run16('烈', 56.8, 175.4),
      run16('中共市国资委党组', 410.8, 147.4),
      run16('2024年7月19日', 403.5, 119.4, 135.5),
    ];
    expect(findStreamTables(signed, [], 842)).toEqual([]);
    expect(rowsOf([{ ...A4, items: signed }]).map((r) => r.length)).toEqual([1, 1, 1, 1]);
  });

  it('property: paragraphs of figures set as LibreOffice sets them, solid at 10pt or justified at 16pt, read as their paragraphs', () => {
    const word = fc.constantFrom('前三季度', '国内生产总值', '同比增长', '万元', '亿元', '个百分点', '，', '、', '其中', '比上年减少', '万吨', '下降', '全省', '规模以上工业增加值', '按可比价格计算');
    // A figure as reports write one: a count or amount with its unit, or a share (the words keep figures apart).
    const unit = fc.constantFrom('万元', '亿元', '万吨', '名干部', '个百分点', '年');
    const figure = fc.oneof(
      fc.tuple(fc.integer({ min: 1, max: 999999 }), unit).map(([n, u]) => `${n}${u}`),
      fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => `${a}.${b}%，`),
    );
    const paragraph = fc.array(fc.oneof(word, word, figure), { minLength: 24, maxLength: 60 }).map((ps) => `${ps.join('').replace(/^[，、]+/, '').replace(/[，、]+$/, '').replace(/[，、]+(?=[，、])/g, '')}。`);
    const setting = fc.constantFrom(
      { size: 10, justify: false, left: 57, right: 538.6, top: 760, pitch: 11.7 },
      { size: 16, justify: true, left: 57, right: 538.6, top: 760, pitch: 28 },
    );
    fc.assert(
      fc.property(fc.array(paragraph, { minLength: 2, maxLength: 6 }), setting, (paras, s) => {
        const { items, bottom } = libreParagraphs(paras, s);
        fc.pre(bottom > 100);
        expect(rowsOf([{ ...A4, items }])).toEqual(paras.map((p) => [`body:${p}`]));
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });

  it('still finds a table whose cells meet as Chinese and figures across the narrowest cell spacing (3pt at 12pt)', () => {
    const head = ['序号', '责任单位', '金额', '完成时限'];
    const rows = [
      ['1', '县财政局', '18万元', '2023年6月'],
      ['2', '县交通运输局', '1.2亿元', '2023年12月'],
      ['3', '镇政府', '300元', '长期坚持'],
    ];
    // Columns as wide as their widest text (HTML's auto layout), 3pt between them: 县交通运输局 meets 1.2亿元 at 3pt.
    const t = setTable([head, ...rows], { per: [2, 6, 5, 8], colGap: 3, rowGap: 3, middle: false }, 760);
    expect(rowsOf([{ ...A4, items: [ABOVE, ...t.items] }])).toEqual([['body:二、具体问题整改情况'], head, ...rows]);
  });
});

describe('borderless tables printed by headless Chromium', () => {
  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const page = (style: string, body: string): string =>
    `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} ${style}</style></head><body>${body}</body></html>`;
  const table = (attrs: string, head: string[], rows: string[][]): string =>
    `<table ${attrs}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const read = async (html: string): Promise<string[][]> => {
    const doc = await extractPdf(printPdf(chromium!, html));
    return doc.lines.map((l) => (l.kind === 'row' ? l.cells!.map((c) => doc.text.slice(c.start, c.end)) : [`body:${doc.text.slice(l.start, l.end)}`]));
  };

  it.skipIf(!ready)('reads <table border=0> with default styles, a header of two lines, and one over a page break with <thead> repeated', async () => {
    const head2 = ['序号', '反馈问题（巡察组指出）', '整改措施及责任分工', '完成时限（年月日）'];
    const rows2 = ROWS.map((r) => [r[0]!, r[1]!, r[2]!, r[5]!]);
    const html = page(
      'th:nth-child(2){width:30%}',
      `<p>二、具体问题整改情况</p>${table('border=0', HEAD, ROWS)}<p>三、下一步工作打算。</p>${table('border=0 cellpadding=4 style="width:100%"', head2, rows2)}<p style="text-align:right;margin-top:30px">中共某某县财政局党组</p><p style="text-align:right">2023年5月6日</p>`,
    );
    expect(await read(html)).toEqual([['body:二、具体问题整改情况'], HEAD, ...ROWS, ['body:三、下一步工作打算。'], head2, ...rows2, ['body:中共某某县财政局党组'], ['body:2023年5月6日']]);
    const long = Array.from({ length: 30 }, (_, i) => [String(i + 1), ...ROWS[i % 3]!.slice(1)]);
    expect(await read(page('', table('border=0 cellpadding=4', HEAD, long)))).toEqual([HEAD, ...long]);
  });

  it.skipIf(!ready)('reads as lines a letter-spaced title and a sample report set in two columns whose paragraphs line up', async () => {
    const sample = readFileSync(new URL('../../../corpus/tuning/negative-03.txt', import.meta.url), 'utf8');
    const paras = sample.split('\n').filter((l) => l.trim().length > 0);
    const html = page(
      'body{column-count:2} p{margin:0 0 6pt} .t{column-span:all;text-align:center;font-size:22pt;letter-spacing:0.9em;width:300px;margin:auto}',
      `<p style="column-span:all">发布时间：2023-05-06　　　　来源：县纪委监委　　　　浏览次数：128</p><p class="t">关于巡察整改进展情况的通报</p>${paras.map((p) => `<p>${esc(p)}</p>`).join('')}`,
    );
    expect((await read(html)).every((r) => r.length === 1)).toBe(true);
    // The same sample in three columns of 10.5pt text, its paragraphs 6pt apart: half a line.
    const three = page('body{column-count:3} p{margin:0 0 6pt;font-size:10.5pt}', paras.map((p) => `<p>${esc(p)}</p>`).join(''));
    expect((await read(three)).every((r) => r.length === 1)).toBe(true);
  });
});

describe('bounded work on crafted pages', () => {
  const S = 10;
  const glyph = (x: number, y: number): ReturnType<typeof run> => ({ str: '字', x, y, width: 0.9 * S, height: S });

  it('takes steps linear in the runs on a page of 100,000 runs: lines of thousands of pieces under a line of two', () => {
    // Two pieces far apart open one wide blank; each line below sets 5,000 pieces into it, a third of a size apart and
    // shifted from the line above, which split the blank into thousands of corridors.
    const items = [glyph(0, 800), glyph(5000 * 1.3 * S + 100, 800)];
    for (let l = 0; l < 20; l++) for (let i = 0; i < 5000; i++) items.push(glyph(20 + i * 1.3 * S + (l % 2) * 0.65 * S, 788 - l * 12));
    streamTableWork.steps = 0;
    expect(findStreamTables(items, undefined, 842)).toEqual([]);
    expect(streamTableWork.steps).toBeLessThan(4 * items.length);
  });

  it('takes steps linear in the runs on a page of 5,000 lines of 20 pieces in columns', () => {
    const items: ReturnType<typeof run>[] = [];
    for (let l = 0; l < 5000; l++) for (let c = 0; c < 20; c++) items.push(glyph(20 + c * 4 * S + (l % 3 === 0 ? 0 : 1.5 * S), 10_000 - l * 12));
    streamTableWork.steps = 0;
    findStreamTables(items, undefined, 10_100);
    expect(streamTableWork.steps).toBeLessThan(20 * items.length);
  });
});
