import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPdf, parseExtracted } from '../src/index.js';
import { extractPdf } from '../src/pdf-read.js';
import type { PdfPageText, PdfTextItem } from '../src/pdf-layout.js';
import type { PdfRule } from '../src/pdf-tables.js';
import { findChromium, hasCjkFont, printPdf } from './support/fixtures.js';
import { cellText, rowsOf, wrap } from './support/stream-table-pages.js';

// Tables without vertical rules (pdf-stream-tables.ts): borderless tables and 三线表, read by rows of cells.

const SIZE = 10.5;
const run = (str: string, x: number, y: number, size = SIZE): PdfTextItem => ({ str, x, y, width: [...str].length * size, height: size });

/** A column of a drawn table: where its text starts and how many characters a line of it holds. */
interface Column {
  x: number;
  per: number;
}

/**
 * A table's runs drawn from `top` down: each cell's text wrapped onto lines of its column's `per` characters, set from
 * the row's top (or, `middle`, centred in the row's height), lines `pitch` apart and `gap` more between rows; the
 * baselines of the row separators and of the table's bottom are returned for rules.
 */
function drawTable(rows: string[][], cols: Column[], top: number, opts: { pitch?: number; gap?: number; middle?: boolean } = {}): { items: PdfTextItem[]; seps: number[]; bottom: number } {
  const pitch = opts.pitch ?? 1.3 * SIZE;
  const gap = opts.gap ?? 0;
  const items: PdfTextItem[] = [];
  const seps: number[] = [];
  let y = top;
  for (const row of rows) {
    const wrapped = row.map((text, c) => (text.length > 0 ? wrap(text, cols[c]!.per) : []));
    const height = Math.max(...wrapped.map((l) => l.length));
    wrapped.forEach((lines, c) => {
      const offset = opts.middle ? Math.floor((height - lines.length) / 2) : 0;
      lines.forEach((s, i) => items.push(run(s, cols[c]!.x, y - SIZE - (offset + i) * pitch)));
    });
    y -= height * pitch + gap;
    seps.push(y + gap / 2 - 0.2 * SIZE);
  }
  return { items, seps, bottom: y };
}

const rule = (x0: number, x1: number, y: number): PdfRule => ({ x0, y0: y, x1, y1: y });

// A 整改台账 of four columns: 序号 (2 characters), 反馈问题 (16), 整改措施 (14), 完成情况 (2).
const COLS: Column[] = [
  { x: 60, per: 2 },
  { x: 100, per: 16 },
  { x: 290, per: 14 },
  { x: 460, per: 2 },
];
const HEAD = ['序号', '反馈问题', '整改措施', '完成情况'];
const ROWS = [
  ['1', '学习贯彻习近平新时代中国特色社会主义思想不够深入，理论学习中心组学习流于形式。', '制定年度学习计划，每月开展一次集中学习研讨。', '已完成'],
  ['2', '落实中央八项规定精神不严格，存在违规发放津补贴问题，涉及金额18万元。', '全额清退违规发放的津补贴，对相关责任人进行诫勉谈话。', '已完成'],
  ['3', '基层党组织建设薄弱，“三会一课”制度落实不到位。', '开展基层党组织标准化规范化建设。', '持续推进'],
];
const ABOVE = run('二、具体问题整改情况', 81, 720, 12);
const BELOW = (y: number): PdfTextItem => run('三、下一步，局党组将持续巩固整改成果，坚持标准不降、力度不减。', 81, y, 12);

describe('PDF tables without vertical rules', () => {
  it('reads a borderless table with padded rows by rows of cells, between the body text above and below', () => {
    const t = drawTable([HEAD, ...ROWS], COLS, 700, { gap: 6 });
    expect(rowsOf([{ width: 595, height: 842, items: [ABOVE, ...t.items, BELOW(t.bottom - 24)] }])).toEqual([
      ['body:二、具体问题整改情况'],
      HEAD,
      ...ROWS,
      ['body:三、下一步，局党组将持续巩固整改成果，坚持标准不降、力度不减。'],
    ]);
  });

  it('reads a 三线表 (rules above, under the header and below; none between its rows) with no gap between rows', () => {
    const t = drawTable([HEAD, ...ROWS], COLS, 700);
    const rules = [rule(55, 500, 702), rule(55, 500, t.seps[0]!), rule(55, 500, t.bottom)];
    const page = { width: 595, height: 842, items: [ABOVE, ...t.items, BELOW(t.bottom - 24)], rules };
    expect(rowsOf([page])).toEqual([['body:二、具体问题整改情况'], HEAD, ...ROWS, ['body:三、下一步，局党组将持续巩固整改成果，坚持标准不降、力度不减。']]);
    // Without its rules, the rows come from the 序号 column, blank on a row's further lines.
    const { rules: _r, ...bare } = page;
    expect(rowsOf([bare])).toEqual(rowsOf([page]));
  });

  it('reads cells centred in their row by the gaps between rows', () => {
    const t = drawTable([HEAD, ...ROWS], COLS, 700, { gap: 8, middle: true });
    expect(rowsOf([{ width: 595, height: 842, items: t.items }])).toEqual([HEAD, ...ROWS]);
  });

  it('gives one unit per cell sentence, the rows under the heading before the table', () => {
    const t = drawTable([HEAD, ...ROWS], COLS, 700, { gap: 6 });
    const model = parseExtracted(layoutPdf([{ width: 595, height: 842, items: [ABOVE, ...t.items] }]), { format: 'pdf' });
    const texts = model.units.map((u) => u.text);
    expect(texts).toContain('落实中央八项规定精神不严格，存在违规发放津补贴问题，涉及金额18万元。');
    expect(texts).toContain('全额清退违规发放的津补贴，对相关责任人进行诫勉谈话。');
    expect(model.units.slice(1).every((u) => u.headingPath.join('/') === '二、具体问题整改情况')).toBe(true);
  });

  it('goes on over a page break: the header row repeated on the next page is read once', () => {
    const p1 = drawTable([HEAD, ROWS[0]!, ROWS[1]!], COLS, 700, { gap: 6 });
    const p2 = drawTable([HEAD, ROWS[2]!], COLS, 780, { gap: 6 });
    expect(rowsOf([{ width: 595, height: 842, items: p1.items }, { width: 595, height: 842, items: p2.items }])).toEqual([HEAD, ...ROWS]);
  });

  it('joins a row cut by the page break with its rest, which leaves the 序号 column blank, and not a row that has its own', () => {
    const cut = ['3', '基层党组织建设薄弱，“三会一课”', '开展基层党组织标准化', '持续'];
    const rest = ['', '制度落实不到位。', '规范化建设。', '推进'];
    const p1 = drawTable([HEAD, ROWS[0]!, ROWS[1]!, cut], COLS, 700, { gap: 6 });
    const p2 = drawTable([HEAD, rest, ['4', '形式主义问题突出，文山会海现象仍然存在。', '精简会议文件。', '已完成']], COLS, 780, { gap: 6 });
    const page = (items: PdfTextItem[]): PdfPageText => ({ width: 595, height: 842, items });
    expect(rowsOf([page(p1.items), page(p2.items)])).toEqual([HEAD, ROWS[0], ROWS[1], ROWS[2], ['4', '形式主义问题突出，文山会海现象仍然存在。', '精简会议文件。', '已完成']]);
    // The next page's first row has its own 序号: a row of its own.
    const p3 = drawTable([HEAD, ['4', '形式主义问题突出，文山会海现象仍然存在。', '精简会议文件。', '已完成']], COLS, 780, { gap: 6 });
    expect(rowsOf([page(p1.items), page(p3.items)])).toEqual([HEAD, ROWS[0], ROWS[1], cut, ['4', '形式主义问题突出，文山会海现象仍然存在。', '精简会议文件。', '已完成']]);
    // A paragraph after the table on its page: the table's last row is whole.
    const p4 = drawTable([HEAD, ROWS[0]!, ROWS[1]!, cut], COLS, 700, { gap: 6 });
    expect(rowsOf([page([...p4.items, BELOW(p4.bottom - 24)]), page(p2.items)]).slice(3, 6)).toEqual([cut, ['body:三、下一步，局党组将持续巩固整改成果，坚持标准不降、力度不减。'], HEAD]);
  });

  it('leaves out of the table a page number below it and the paragraph after it', () => {
    const t = drawTable([HEAD, ...ROWS], COLS, 700, { gap: 6 });
    // The page number sits under the 反馈问题 column, in the bottom band, set apart from the table.
    const rows = rowsOf([{ width: 595, height: 842, items: [...t.items, run('- 3 -', 280, 40)] }]);
    expect(rows).toEqual([HEAD, ...ROWS]);
  });

  it('reads a paragraph’s last line with a raised note mark, a list of 附件 and a signature set right as lines, not as a table', () => {
    // As LibreOffice prints it at 10.5pt (runs from pdf.js): the mark ¹⁶ set 4pt above the line made that line's
    // baseline the mark's, so the line pitch above the 附件 looked like a gap between rows, and the 附件 under the
    // signature read as a row of two cells.
    const mark = (str: string, x: number, y: number): PdfTextItem => ({ str, x, y, width: 7.7, height: 6.1 });
    const items = [
      run('万元，持续推进', 135.1, 644.8), mark('15', 209.5, 648.8), run('。党组形式主义、官僚主义问题仍然存在，涉及', 217.3, 644.8), run('33', 442.5, 644.8), run('名干部，部分', 458, 644.8),
      run('问题整改不彻底。开展专题学习研讨，累计', 79.5, 626.8), { ...run('213.6', 281.1, 626.8), width: 30.1 }, run('万元，持续推进', 313.3, 626.8), mark('16', 386.8, 630.8), run('。', 394.5, 626.8),
      run('附件：', 111.5, 608.8), { ...run('1.', 143, 608.8), width: 10 }, run('县财政局巡察整改台账', 153, 608.8),
      { ...run('2.', 159.5, 590.8), width: 10 }, run('整改责任清单', 169.5, 590.8),
      run('中共县财政局党组', 437.8, 572.8),
      run('2024年3月23日', 433, 554.8),
    ];
    expect(rowsOf([{ width: 595, height: 842, items }]).every((r) => r.length === 1)).toBe(true);
  });

  it('reads a paragraph’s last line, a signature set right and a 版记 under it as lines: no line has text in two columns', () => {
    // As LibreOffice prints a 公文's end at 14pt: the last line has figures (pieces), the signature and date stand right
    // of where it ends, and the 抄送 line under them ends short of them; each line has text in one column only.
    const at = (str: string, x: number, y: number, width: number): PdfTextItem => ({ str, x, y, width, height: 14 });
    const items = [
      at('涉及', 79.5, 351, 28.4), at('12', 111.1, 351, 17.8), at('名干部，部分问题整改不彻底。对相关责任人进行诫勉谈话，', 132.1, 351, 388.2),
      at('累计', 79.5, 326, 28), at('931.9', 110.3, 326, 40.1), at('万元，已全部完成整改。', 153.2, 326, 154),
      at('中共县财政局党组', 409.8, 301, 112),
      at('2024', 403.4, 276, 35.6), at('年', 441.9, 276, 14), at('3', 458.7, 276, 8.9), at('月', 470.4, 276, 14), at('24', 487.2, 276, 17.8), at('日', 507.8, 276, 14),
      at('抄送：县纪委监委，县委组织部，县委巡察办。', 95.5, 248.5, 294),
    ];
    expect(rowsOf([{ width: 595, height: 842, items }]).every((r) => r.length === 1)).toBe(true);
  });

  it('reads a table of one-line rows by rows (its lines were joined as one paragraph), and as before a source line, a signature block, a page of prose', () => {
    // 名单 of three columns, every row one line: each row a row line (read as lines, they ran together, full and
    // without a full stop). Two such lines are no table.
    const names = ['组长：张三', '副组长：李四', '成员：王五', '成员：赵六', '联络员：郑一'];
    const list = names.flatMap((n, i) => [run(n, 60, 700 - i * 16), run(`县财政局第${i + 1}科室`, 200, 700 - i * 16), run('负责人', 400, 700 - i * 16)]);
    expect(rowsOf([{ width: 595, height: 842, items: list }])).toEqual(names.map((n, i) => [n, `县财政局第${i + 1}科室`, '负责人']));
    const two = rowsOf([{ width: 595, height: 842, items: list.slice(0, 6) }]);
    expect(two.every((r) => r.length === 1 && r[0]!.startsWith('body:'))).toBe(true);
    // A source line under a title, a body paragraph, a signature and date set right.
    const page = [
      run('关于巡察整改进展情况的通报', 150, 760, 16),
      run('发布时间：2023-05-06', 60, 730),
      run('来源：县纪委监委', 300, 730),
      run('浏览次数：128', 450, 730),
      run('根据县委巡察工作统一部署，县委第二巡察组对县财政局党组开展了巡察，现将整改情况通报如下。', 81, 700, 10.5),
      run('中共县财政局党组', 400, 640),
      run('2023年5月6日', 405, 624),
    ];
    expect(rowsOf([{ width: 595, height: 842, items: page }]).every((r) => r.length === 1)).toBe(true);
  });

  it('property: random ledgers between paragraphs read as their rows, with or without 三线表 rules, gaps or 序号', () => {
    const text = cellText;
    const ledger = fc.record({
      widths: fc.array(fc.integer({ min: 4, max: 14 }), { minLength: 2, maxLength: 5 }),
      lengths: fc.array(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 5, maxLength: 5 }), { minLength: 2, maxLength: 6 }),
      numbered: fc.boolean(),
      gap: fc.constantFrom(0, 4, 8),
      ruled: fc.boolean(),
    });
    fc.assert(
      fc.property(ledger, ({ widths, lengths, numbered, gap, ruled }) => {
        const cols: Column[] = [];
        let x = 60;
        if (numbered) {
          cols.push({ x, per: 2 });
          x += 3 * SIZE;
        }
        for (const w of widths) {
          cols.push({ x, per: w });
          x += (w + 1.5) * SIZE;
        }
        const k0 = numbered ? 1 : 0;
        const body = lengths.map((ls, r) => widths.map((_, c) => text(ls[c]!, r * 5 + c)));
        const rows = body.map((cells, r) => (numbered ? [String(r + 1), ...cells] : cells));
        const head = cols.map((_, c) => (numbered && c === 0 ? '序号' : `栏目${c + 1 - k0}`));
        const t = drawTable([head, ...rows], cols, 700, { gap });
        const rules = ruled ? [rule(55, x, 702), rule(55, x, t.seps[0]!), rule(55, x, t.bottom)] : [];
        const page = { width: 595 + Math.max(0, x - 540), height: 842, items: [ABOVE, ...t.items, BELOW(t.bottom - 24)], rules };
        const got = rowsOf([page]);
        // Where the page shows rows (a gap, rules, or a 序号 blank on the further lines of each row) and some cell
        // wraps, the table's rows; otherwise no row line at all.
        const wraps = [head, ...rows].some((row) => row.filter((s) => s.length > 0).length >= 2 && row.some((s, c) => [...s].length > cols[c]!.per));
        const tellable = gap > 0 || (numbered && rows.every((row) => row.some((s, c) => [...s].length > cols[c]!.per)));
        // Columns of similar width with no rules (no 序号) may be a page set in columns of running text, which
        // pdf-columns.ts reads column by column: those are left to it when each holds six lines or more.
        const layoutLike = !numbered && !ruled && Math.min(...widths) >= 0.6 * Math.max(...widths);
        if (wraps && tellable && !layoutLike) {
          expect(got).toEqual([['body:二、具体问题整改情况'], head, ...rows, ['body:三、下一步，局党组将持续巩固整改成果，坚持标准不降、力度不减。']]);
        } else {
          // Rows or lines, the text is all there and in the page's order of rows.
          const flat = got.map((r) => r.join('')).join('').replace(/[\s\u3000]/g, '');
          for (const row of [head, ...rows]) row.forEach((cell, c) => expect(flat).toContain([...cell].slice(0, cols[c]!.per).join('')));
        }
      }),
      { numRuns: 400, seed: 20261206 },
    );
  });
});

describe('PDF tables without vertical rules printed by headless Chromium', () => {
  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  it.skipIf(!ready)('reads a sample report set in three CSS columns without paragraph spacing as lines: the foot of its columns is no table', async () => {
    const text = readFileSync(new URL('../../../corpus/held-out/analysis-h02.md', import.meta.url), 'utf8');
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const ps = text.split('\n').filter((l) => l.trim().length > 0);
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} p{margin:0;text-indent:2em} .c{column-count:3;column-gap:2em}</style></head><body><div class="c">${ps.map((p) => `<p>${esc(p)}</p>`).join('')}</div></body></html>`;
    const doc = await extractPdf(printPdf(chromium!, html));
    expect(doc.lines.filter((l) => l.kind === 'row')).toEqual([]);
  });

  it.skipIf(!ready)('reads an HTML table without borders and a 三线表 as rows of cells', async () => {
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const table = (cls: string, head: string[] | undefined, rows: string[][]): string =>
      `<table class="${cls}">${head ? `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead>` : ''}<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} table{border-collapse:collapse;width:100%} td,th{padding:4px;text-align:left;vertical-align:top} .three thead tr{border-top:2px solid #000;border-bottom:1px solid #000} .three tbody tr:last-child{border-bottom:2px solid #000} .mid td{vertical-align:middle}</style></head><body>
<p>二、具体问题整改情况</p>${table('three', HEAD, ROWS)}<p>三、下一步工作打算。坚持标准不降、力度不减，巩固整改成果。</p>${table('mid', undefined, ROWS)}</body></html>`;
    const doc = await extractPdf(printPdf(chromium!, html));
    const got = doc.lines.map((l) => (l.kind === 'row' ? l.cells!.map((c) => doc.text.slice(c.start, c.end)) : [`body:${doc.text.slice(l.start, l.end)}`]));
    expect(got).toEqual([['body:二、具体问题整改情况'], HEAD, ...ROWS, ['body:三、下一步工作打算。坚持标准不降、力度不减，巩固整改成果。'], ...ROWS]);
  });
});
