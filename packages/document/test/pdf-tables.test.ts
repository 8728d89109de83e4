import { describe, expect, it } from 'vitest';
import { layoutPdf, parseExtracted, readDocumentAsync } from '../src/index.js';
import { makeRawPdf } from './support/fixtures.js';
import { findTables, MAX_RULES, rulesOfOperatorList, type PdfRule } from '../src/pdf-tables.js';
import type { PdfPageText, PdfTextItem } from '../src/pdf-layout.js';

// pdf.js operator codes (OPS) and path codes (DrawOPS), as pdf.js's getOperatorList gives them.
const OPS = { save: 10, restore: 11, transform: 12, stroke: 20, fill: 22, endPath: 28, constructPath: 91 };
const D = { moveTo: 0, lineTo: 1, curveTo: 2, closePath: 4 };

type Ops = { fnArray: number[]; argsArray: unknown[] };
const ops = (): Ops => ({ fnArray: [], argsArray: [] });
const op = (o: Ops, fn: number, args: unknown = null): void => {
  o.fnArray.push(fn);
  o.argsArray.push(args);
};
/** A path as pdf.js 5+ gives it: [paint op, [path data], bounds]. */
const path = (o: Ops, paint: number, data: number[]): void => op(o, OPS.constructPath, [paint, [Float32Array.from(data)], null]);
const rect = (x: number, y: number, w: number, h: number): number[] => [D.moveTo, x, y, D.lineTo, x + w, y, D.lineTo, x + w, y + h, D.lineTo, x, y + h, D.closePath];

/**
 * The rules of a grid in page units (origin bottom left): vertical rules at `xs`, horizontal ones at `ys` (top down),
 * with the rules in `missing` left out (`v:i:r` the vertical rule i along row r, `h:j:c` the horizontal rule j along
 * column c), drawn as `style`: thin filled rectangles (what Chromium draws, one a cell side) or stroked lines.
 */
function grid(o: Ops, xs: number[], ys: number[], style: 'fill' | 'stroke' | 'dots', missing: Set<string> = new Set()): void {
  if (style === 'dots') {
    // A dotted border as Chromium prints it: squares of 0.75 pt every 1.5 pt.
    for (const x of xs) for (let y = ys[ys.length - 1]!; y < ys[0]!; y += 1.5) path(o, OPS.fill, rect(x - 0.375, y, 0.75, 0.75));
    for (const y of ys) for (let x = xs[0]!; x < xs[xs.length - 1]!; x += 1.5) path(o, OPS.fill, rect(x, y - 0.375, 0.75, 0.75));
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    for (let r = 0; r + 1 < ys.length; r++) {
      if (missing.has(`v:${i}:${r}`)) continue;
      if (style === 'fill') path(o, OPS.fill, rect(xs[i]! - 0.375, ys[r + 1]!, 0.75, ys[r]! - ys[r + 1]!));
      else path(o, OPS.stroke, [D.moveTo, xs[i]!, ys[r]!, D.lineTo, xs[i]!, ys[r + 1]!]);
    }
  }
  for (let j = 0; j < ys.length; j++) {
    for (let c = 0; c + 1 < xs.length; c++) {
      if (missing.has(`h:${j}:${c}`)) continue;
      if (style === 'fill') path(o, OPS.fill, rect(xs[c]!, ys[j]! - 0.375, xs[c + 1]! - xs[c]!, 0.75));
      else path(o, OPS.stroke, [D.moveTo, xs[c]!, ys[j]!, D.lineTo, xs[c + 1]!, ys[j]!]);
    }
  }
}

const SIZE = 10.5;
/** A cell's text wrapped onto lines of `per` characters, set from the cell's top left corner (3 pt padding). */
function cellRuns(text: string, left: number, top: number, per: number): PdfTextItem[] {
  const out: PdfTextItem[] = [];
  for (let i = 0, line = 0; i < text.length; i += per, line++) {
    const s = text.slice(i, i + per);
    out.push({ str: s, x: left + 3, y: top - 3 - SIZE - line * 1.4 * SIZE, width: s.length * SIZE, height: SIZE });
  }
  return out;
}
const bodyLine = (str: string, x: number, y: number, size = 12): PdfTextItem => ({ str, x, y, width: str.length * size, height: size });
const rulesOf = (o: Ops): PdfRule[] => rulesOfOperatorList(o.fnArray, o.argsArray)!;
const rowsOf = (pages: PdfPageText[]): string[][] => {
  const doc = layoutPdf(pages);
  return doc.lines.map((l) => (l.kind === 'row' ? l.cells!.map((c) => doc.text.slice(c.start, c.end)) : [`body:${doc.text.slice(l.start, l.end)}`]));
};

// A 台账 of three columns: 序号 (x 60–100), 问题 (100–300), 整改措施 (300–540); rows from y = 700 down.
const XS = [60, 100, 300, 540];
const HEAD = ['序号', '问题', '整改措施'];
const ROWS = [
  ['1', '选人用人把关不严，干部档案管理混乱，存在涂改现象。', '开展干部档案专项审核，建立档案审核制度。'],
  ['2', '违规发放津贴补贴12.5万元。', '已全部清退。'],
];
/** The table's page: rules at XS and `ys`, the header row and ROWS in the cells (18 characters a line in 问题 and 整改措施). */
function ledgerPage(style: 'fill' | 'stroke' | 'dots', ys = [700, 680, 620, 590], extra: PdfTextItem[] = []): { page: PdfPageText; o: Ops } {
  const o = ops();
  grid(o, XS, ys, style);
  const items = [HEAD, ...ROWS].flatMap((row, r) => row.flatMap((text, c) => cellRuns(text, XS[c]!, ys[r]!, c === 0 ? 3 : 18)));
  return { page: { width: 595, height: 842, items: [...extra, ...items], rules: rulesOf(o) }, o };
}

describe('rules from an operator list', () => {
  it('reads cell borders drawn as thin filled rectangles (Chromium), stroked lines (Word, WPS) or dots as the same table', () => {
    const a = findTables(rulesOf(ledgerPage('fill').o));
    const b = findTables(rulesOf(ledgerPage('stroke').o));
    expect(a).toHaveLength(1);
    expect(a[0]!.columns).toEqual(XS);
    expect(a[0]!.rowEdges).toEqual([700, 680, 620, 590]);
    expect(a[0]!.cells).toHaveLength(9);
    expect(b.map((t) => [t.columns, t.rowEdges, t.cells])).toEqual(a.map((t) => [t.columns, t.rowEdges, t.cells]));
    // Dotted borders (rows of small squares) join into the same rules.
    const c = findTables(rulesOf(ledgerPage('dots').o));
    expect(c).toHaveLength(1);
    expect(c[0]!.columns.map((x) => Math.round(x))).toEqual(XS);
    expect(c[0]!.rowEdges.map((y) => Math.round(y))).toEqual([700, 680, 620, 590]);
    expect(c[0]!.cells).toHaveLength(9);
  });

  it('follows the current matrix through transform, save and restore (a flipped, scaled page; a rotated form)', () => {
    // Chromium's matrices: y flipped and scaled to its pixel units, then a scale inside (one unit is 0.75 pt).
    const o = ops();
    op(o, OPS.transform, [0.24, 0, 0, -0.24, 0, 842]);
    op(o, OPS.save);
    op(o, OPS.transform, [3.125, 0, 0, 3.125, 0, 0]);
    // x in page points p: unit = p / 0.75; y from the top: (842 - p) / 0.75.
    const u = (p: number): number => p / 0.75;
    const w = (p: number): number => (842 - p) / 0.75;
    const xs = XS.map(u);
    const ys = [700, 680, 620, 590].map(w);
    for (const x of xs) path(o, OPS.fill, rect(x - 0.5, ys[0]!, 1, ys[3]! - ys[0]!));
    for (const y of ys) path(o, OPS.fill, rect(xs[0]!, y - 0.5, xs[3]! - xs[0]!, 1));
    op(o, OPS.restore);
    // After the restore the matrix is the outer one again: a rule drawn there in its units lands elsewhere.
    path(o, OPS.stroke, [D.moveTo, 0, 0, D.lineTo, 100, 0]);
    const rules = rulesOf(o);
    const t = findTables(rules);
    expect(t).toHaveLength(1);
    expect(t[0]!.columns.map((x) => Math.round(x))).toEqual(XS);
    expect(t[0]!.rowEdges.map((y) => Math.round(y))).toEqual([700, 680, 620, 590]);
    expect(Object.values(rules.at(-1)!).map((v) => Math.round(v * 1000) / 1000)).toEqual([0, 842, 24, 842]);
    // A page rotated a quarter turn (rules drawn in landscape units, turned onto the portrait page): still a grid.
    const r = ops();
    op(r, OPS.transform, [0, 1, -1, 0, 595, 0]);
    grid(r, XS, [500, 480, 420, 390], 'stroke');
    const rt = findTables(rulesOf(r));
    expect(rt).toHaveLength(1);
    expect(rt[0]!.cells).toHaveLength(9);
    expect(rt[0]!.columns.length).toBe(4);
  });

  it('takes no rule from curves, clipping paths or large fills (shading, a page background)', () => {
    const o = ops();
    path(o, OPS.endPath, rect(0, 0, 595, 842));
    path(o, OPS.fill, rect(0, 0, 595, 842));
    path(o, OPS.fill, rect(60, 600, 480, 20));
    path(o, OPS.stroke, [D.moveTo, 60, 600, D.curveTo, 100, 650, 200, 650, 300, 600]);
    expect(rulesOf(o)).toEqual([]);
  });
});

describe('PDF tables laid out as rows of cells', () => {
  it('reads each row as one row line, the wrapped lines of a cell joined without a space between Chinese characters', () => {
    for (const style of ['fill', 'stroke', 'dots'] as const) {
      expect(rowsOf([ledgerPage(style).page])).toEqual([HEAD, ...ROWS]);
    }
    // The same runs without rules are the same rows, found from the white space between the cells and rows
    // (pdf-stream-tables.ts).
    const { page } = ledgerPage('fill');
    const { rules: _rules, ...unruled } = page;
    expect(rowsOf([unruled])).toEqual([HEAD, ...ROWS]);
  });

  it('gives one unit per cell sentence and a numbered title before the table as the heading of its rows', () => {
    const title = bodyLine('二、整改落实情况台账', 84, 720);
    const { page } = ledgerPage('fill', undefined, [title]);
    const doc = layoutPdf([page]);
    const model = parseExtracted(doc, { format: 'pdf' });
    expect(model.units.map((u) => u.text)).toEqual(['二、整改落实情况台账', ...HEAD, ...ROWS.flat()]);
    expect(model.units.slice(1).every((u) => u.headingPath.join('/') === '二、整改落实情况台账')).toBe(true);
    // Each row is one block.
    expect(new Set(model.units.slice(1, 4).map((u) => u.block)).size).toBe(1);
    expect(model.units[4]!.block).not.toBe(model.units[1]!.block);
  });

  it('reads a merged cell once, in the row it starts in, as an HTML or Word table gives a rowspan or colspan', () => {
    const o = ops();
    const ys = [700, 680, 650, 620, 600];
    // 责任单位 (third column) of rows 1 and 2 merged: no rule between them there; the last row one cell across, a line of the
    // table (as a section title across a ledger is), not a row.
    const xs = [60, 100, 300, 420, 540];
    grid(o, xs, ys, 'fill', new Set(['h:2:2', 'v:1:3', 'v:2:3', 'v:3:3']));
    const items = [
      ...cellRuns('序号', 60, 700, 3), ...cellRuns('问题', 100, 700, 18), ...cellRuns('责任单位', 300, 700, 10), ...cellRuns('进展', 420, 700, 10),
      ...cellRuns('1', 60, 680, 3), ...cellRuns('学习不深入。', 100, 680, 18), ...cellRuns('县委组织部', 300, 672, 10), ...cellRuns('已完成。', 420, 680, 10),
      ...cellRuns('2', 60, 650, 3), ...cellRuns('制度不健全。', 100, 650, 18), ...cellRuns('正在推进。', 420, 650, 10),
      ...cellRuns('以上情况每月通报一次。', 60, 620, 30),
    ];
    expect(rowsOf([{ width: 595, height: 842, items, rules: rulesOf(o) }])).toEqual([
      ['序号', '问题', '责任单位', '进展'],
      ['1', '学习不深入。', '县委组织部', '已完成。'],
      ['2', '制度不健全。', '正在推进。'],
      ['body:以上情况每月通报一次。'],
    ]);
  });

  it('reads a section title after its number in 序号, merged across the other columns (一 | 作风建设方面), as a line of the table', () => {
    const o = ops();
    const ys = [700, 680, 660, 630];
    const xs = [60, 100, 300, 420, 540];
    // Row 1: no rule between the columns after 序号 (x 300 and 420).
    grid(o, xs, ys, 'fill', new Set(['v:2:1', 'v:3:1']));
    const items = [
      ...cellRuns('序号', 60, 700, 3), ...cellRuns('问题', 100, 700, 18), ...cellRuns('责任单位', 300, 700, 10), ...cellRuns('进展', 420, 700, 10),
      ...cellRuns('一', 60, 680, 3), ...cellRuns('作风建设方面', 100, 680, 30),
      ...cellRuns('1', 60, 660, 3), ...cellRuns('会议多。', 100, 660, 18), ...cellRuns('县委办', 300, 660, 10), ...cellRuns('已完成。', 420, 660, 10),
    ];
    const page = { width: 595, height: 842, items, rules: rulesOf(o) };
    expect(rowsOf([page])).toEqual([['序号', '问题', '责任单位', '进展'], ['body:一\t作风建设方面'], ['1', '会议多。', '县委办', '已完成。']]);
    const model = parseExtracted(layoutPdf([page]), { format: 'pdf' });
    expect(model.units.find((u) => u.text === '会议多。')!.headingPath).toEqual(['一\t作风建设方面']);
    expect(model.units.find((u) => u.text === '会议多。')!.cell).toEqual({ table: 0, row: 1, column: 1, header: '问题' });
  });

  it('splits a run that pdf.js joined across a rule (neighbouring cells on one baseline) at the space by the rule', () => {
    const { page } = ledgerPage('stroke');
    // Row 2's three cells as one run each line: "2 违规发放津贴补贴12.5万元。 已全部清退。" from x = 63 on.
    const joined = page.items.filter((it) => it.y > 610);
    const s = '2' + ' '.repeat(1) + ROWS[1]![1] + ' ' + ROWS[1]![2];
    // Placed as Chromium sets them: '2' at 63, the problem at 103, the measure at 303 (spaces stretched over the gaps).
    joined.push({ str: s, x: 63, y: 620 - 3 - SIZE, width: 303 + ROWS[1]![2]!.length * SIZE - 63, height: SIZE });
    expect(rowsOf([{ ...page, items: joined }])).toEqual([HEAD, ROWS[0], ROWS[1]]);
  });

  it('reads the body text above, beside and below a table in place, paragraphs joined as before', () => {
    const above = [bodyLine('根据县委统一部署，县委第一巡察组对县财政局党组开展了常规巡察，并', 84, 760), bodyLine('反馈了巡察意见。现将整改进展情况通报如下。', 60, 740)];
    const below = [bodyLine('下一步，局党组将持续巩固整改成果。', 84, 560)];
    const beside = [bodyLine('注：', 550, 650, 9)];
    const { page } = ledgerPage('fill', undefined, [...above, ...below, ...beside]);
    expect(rowsOf([page])).toEqual([
      ['body:根据县委统一部署，县委第一巡察组对县财政局党组开展了常规巡察，并反馈了巡察意见。现将整改进展情况通报如下。'],
      HEAD,
      ...ROWS,
      ['body:注：'],
      ['body:下一步，局党组将持续巩固整改成果。'],
    ]);
  });

  it('goes on over a page break: the repeated header row once, a row cut by the break joined with its rest', () => {
    // Page 1: header and row 1, then row 2 cut by the page foot (the side rules run on to y = 80, no rule there).
    const o1 = ops();
    grid(o1, XS, [700, 680, 620], 'fill');
    grid(o1, XS, [620, 80], 'fill', new Set(['h:1:0', 'h:1:1', 'h:1:2']));
    const p1: PdfTextItem[] = [
      ...[HEAD, ROWS[0]!].flatMap((row, r) => row.flatMap((text, c) => cellRuns(text, XS[c]!, [700, 680][r]!, c === 0 ? 3 : 18))),
      ...cellRuns('2', 60, 620, 3), ...cellRuns('违规发放津贴', 100, 620, 18), ...cellRuns('已全部', 300, 620, 18),
    ];
    // Page 2: the header again, then the rest of row 2 (its top rule drawn under the header), then row 3.
    const o2 = ops();
    grid(o2, XS, [800, 780, 760, 730], 'fill');
    const p2: PdfTextItem[] = [
      ...HEAD.flatMap((text, c) => cellRuns(text, XS[c]!, 800, c === 0 ? 3 : 18)),
      ...cellRuns('补贴12.5万元。', 100, 780, 18), ...cellRuns('清退。', 300, 780, 18),
      ...cellRuns('3', 60, 760, 3), ...cellRuns('档案管理混乱。', 100, 760, 18), ...cellRuns('建立审核制度。', 300, 760, 18),
    ];
    const pages = [
      { width: 595, height: 842, items: p1, rules: rulesOf(o1) },
      { width: 595, height: 842, items: p2, rules: rulesOf(o2) },
    ];
    expect(rowsOf(pages)).toEqual([HEAD, ROWS[0], ROWS[1], ['3', '档案管理混乱。', '建立审核制度。']]);
    // Without the header repeated, the rest of the cut row opens page 2 (the side rules start above its first rule).
    const o3 = ops();
    grid(o3, XS, [800, 780, 760, 730], 'fill', new Set(['h:0:0', 'h:0:1', 'h:0:2']));
    const p3 = [...cellRuns('补贴12.5万元。', 100, 800, 18), ...cellRuns('清退。', 300, 800, 18), ...p2.filter((it) => it.y < 760)];
    // (row 3 moved up a row: its runs sit at 760 - 3 - SIZE; the cells now run 800–780 and 780–760.)
    const moved = p3.map((it) => (it.y < 760 && it.y > 740 ? { ...it, y: it.y + 20 } : it));
    expect(rowsOf([pages[0]!, { width: 595, height: 842, items: moved, rules: rulesOf(o3) }])).toEqual([HEAD, ROWS[0], ROWS[1], ['3', '档案管理混乱。', '建立审核制度。']]);
  });

  it('reads a cell left open at the table\'s foot where the rest of the foot is ruled (Chromium: a cell merged down rows that go on over the page break, or cut by it)', () => {
    // 问题 merged down rows 1 and 2 and going on over the break: no rule under it, nor between its rows.
    const o = ops();
    grid(o, XS, [700, 680, 640, 600], 'fill', new Set(['h:2:1', 'h:3:1']));
    const rows = [HEAD, ['1', '作风建设方面', '精简会议。'], ['2', '', '规范公务接待。']];
    const items = rows.flatMap((row, r) => row.flatMap((text, c) => (text === '' ? [] : cellRuns(text, XS[c]!, [700, 680, 640][r]!, c === 0 ? 3 : 18))));
    expect(rowsOf([{ width: 595, height: 842, items, rules: rulesOf(o) }])).toEqual([HEAD, rows[1], ['2', '规范公务接待。']]);
    // A row cut by the break: its 序号 and 问题 go on on the next page, open at the foot; 整改措施 ends there.
    const cut = ops();
    grid(cut, XS, [700, 680, 600], 'fill', new Set(['h:2:0', 'h:2:1']));
    const cutItems = [HEAD, ROWS[0]!].flatMap((row, r) => row.flatMap((text, c) => cellRuns(text, XS[c]!, [700, 680][r]!, c === 0 ? 3 : 18)));
    expect(rowsOf([{ width: 595, height: 842, items: cutItems, rules: rulesOf(cut) }])).toEqual([HEAD, ROWS[0]]);
  });

  it('reads a head of two rows repeated on each page once (责任主体 over 责任领导 and 责任单位)', () => {
    const sub = ['', '牵头', '配合'];
    const row3 = ['3', '档案管理混乱。', '建立审核制度。'];
    const o1 = ops();
    grid(o1, XS, [700, 680, 660, 600], 'fill');
    const p1 = [HEAD, sub, ROWS[0]!].flatMap((row, r) => row.flatMap((text, c) => (text === '' ? [] : cellRuns(text, XS[c]!, [700, 680, 660][r]!, c === 0 ? 3 : 18))));
    const o2 = ops();
    grid(o2, XS, [800, 780, 760, 730], 'fill');
    const p2 = [HEAD, sub, row3].flatMap((row, r) => row.flatMap((text, c) => (text === '' ? [] : cellRuns(text, XS[c]!, [800, 780, 760][r]!, c === 0 ? 3 : 18))));
    const rows = rowsOf([
      { width: 595, height: 842, items: p1, rules: rulesOf(o1) },
      { width: 595, height: 842, items: p2, rules: rulesOf(o2) },
    ]);
    expect(rows).toEqual([HEAD, sub, ROWS[0], row3]);
  });

  it('joins a row cut by the break between two paragraphs of a cell (after a sentence\'s end) where the rest leaves the number and the short cells blank; a sub-row or a row with its number stays a row', () => {
    // A ledger of five columns whose rows may break across pages; LibreOffice and Word draw the cut row's border at the
    // break. Row 2's measures are two paragraphs, cut between them: every cell above the break ends a sentence.
    const xs = [60, 90, 230, 420, 490, 540];
    const head = ['序号', '反馈问题', '整改措施', '责任单位', '完成时限'];
    const row1 = ['1', '选人用人把关不严，干部档案管理混乱。', '开展干部档案专项审核。', '县委组织部', '长期坚持'];
    const runsOf = (row: readonly string[], top: number): PdfTextItem[] => row.flatMap((text, c) => (text === '' ? [] : cellRuns(text, xs[c]!, top, c === 0 ? 2 : c < 3 ? 13 : 6)));
    const o1 = ops();
    grid(o1, xs, [700, 680, 620, 80], 'fill');
    const p1: PdfPageText = {
      width: 595, height: 842, rules: rulesOf(o1),
      items: [...runsOf(head, 700), ...runsOf(row1, 680), ...runsOf(['2', '违规发放津贴补贴12.5万元。', '1.全额清退违规资金。', '县财政局', '立行立改'], 620)],
    };
    const row3 = ['3', '财务管理不规范，报销审核不严。', '修订财务报销制度。', '县财政局', '2024年6月'];
    const page2 = (next: readonly string[]): PdfPageText => {
      const o = ops();
      grid(o, xs, [800, 780, 740, 700], 'fill');
      return { width: 595, height: 842, rules: rulesOf(o), items: [...runsOf(head, 800), ...runsOf(next, 780), ...runsOf(row3, 740)] };
    };
    expect(rowsOf([p1, page2(['', '', '2.修订完善津贴发放制度。', '', ''])])).toEqual([
      head, row1, ['2', '违规发放津贴补贴12.5万元。', '1.全额清退违规资金。2.修订完善津贴发放制度。', '县财政局', '立行立改'], row3,
    ]);
    // A sub-row under a number and a problem merged down the rows fills its own unit and date.
    const sub = ['', '', '2.修订完善津贴发放制度。', '县人社局', '2024年3月'];
    expect(rowsOf([p1, page2(sub)]).slice(2, 4).map((r) => r.join('|'))).toEqual(['2|违规发放津贴补贴12.5万元。|1.全额清退违规资金。|县财政局|立行立改', sub.join('|')]);
    // A row with a number of its own is a row of its own, even with its unit and date left blank.
    const own = ['3', '', '2.修订完善津贴发放制度。', '', ''];
    expect(rowsOf([p1, page2(own)])[3]).toEqual(own);
  });

  it('invents no table from a box around the page, a single frame, a frame split in one column, or an underline', () => {
    const lines = [bodyLine('一、提高政治站位，扎实推进巡察整改', 84, 700), bodyLine('局党组召开专题会议研究整改工作。', 84, 680), bodyLine('巡察反馈的问题已完成整改。', 84, 660)];
    const cases: Ops[] = [];
    let o = ops();
    path(o, OPS.stroke, [...rect(30, 30, 535, 782)]);
    cases.push(o);
    o = ops();
    grid(o, [70, 520], [715, 650], 'fill');
    cases.push(o);
    o = ops();
    grid(o, [70, 520], [715, 675, 650], 'stroke');
    cases.push(o);
    o = ops();
    path(o, OPS.fill, rect(84, 676, 200, 0.75));
    path(o, OPS.fill, rect(60, 720, 475, 2));
    cases.push(o);
    const before = layoutPdf([{ width: 595, height: 842, items: lines }]);
    for (const c of cases) {
      const rules = rulesOf(c);
      expect(rules.length).toBeGreaterThan(0);
      expect(findTables(rules)).toEqual([]);
      expect(layoutPdf([{ width: 595, height: 842, items: lines, rules }])).toEqual(before);
    }
  });

  it('reads a page of random segments in bounded time, without a table, and gives up past the rule limit', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const o = ops();
    for (let i = 0; i < 15_000; i++) {
      const x = rnd() * 595;
      const y = rnd() * 842;
      const len = rnd() * 40;
      if (i % 3 === 0) path(o, OPS.stroke, [D.moveTo, x, y, D.lineTo, x + len, y]);
      else if (i % 3 === 1) path(o, OPS.stroke, [D.moveTo, x, y, D.lineTo, x, y + len]);
      else path(o, OPS.stroke, [D.moveTo, x, y, D.lineTo, x + len, y + len]);
    }
    const items = [bodyLine('巡察反馈的问题已完成整改。', 84, 660)];
    const t0 = performance.now();
    const rules = rulesOf(o);
    const doc = layoutPdf([{ width: 595, height: 842, items, rules }]);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(doc.lines.map((l) => l.kind)).toEqual(['body']);
    // Long random rules across the page cross everywhere: a frame of hundreds of lines, cut into many tiny cells, holds
    // the text in one cell at most: still no table.
    const long = ops();
    for (let i = 0; i < 2_000; i++) {
      const a = rnd() * 842;
      if (i % 2 === 0) path(long, OPS.stroke, [D.moveTo, 0, a, D.lineTo, 595, a]);
      else path(long, OPS.stroke, [D.moveTo, a * 0.7, 0, D.lineTo, a * 0.7, 842]);
    }
    const t1 = performance.now();
    const doc2 = layoutPdf([{ width: 595, height: 842, items, rules: rulesOf(long) }]);
    expect(performance.now() - t1).toBeLessThan(2000);
    expect(doc2.lines.map((l) => l.kind)).toEqual(['body']);
    // More rules than MAX_RULES: the page is read without tables.
    const many = ops();
    for (let i = 0; i <= MAX_RULES; i++) path(many, OPS.stroke, [D.moveTo, 10, i % 800, D.lineTo, 20, i % 800]);
    expect(rulesOfOperatorList(many.fnArray, many.argsArray)).toBeUndefined();
  });
});

describe('a PDF file read by pdf.js', () => {
  it('finds a ruled table whose rules the page draws after its text, as LibreOffice, Word and WPS write pages (pdf.js needs ArrayBuffer.prototype.transferToFixedLength for the fonts before them)', async () => {
    const xs = [60, 100, 300, 500];
    const ys = [720, 700, 680, 660];
    const rows = [['No', 'Problem', 'Measure'], ['1', 'Late files.', 'Filed them.'], ['2', 'Lost ledgers.', 'Rebuilt them.']];
    let stream = '';
    rows.forEach((row, r) => row.forEach((t, c) => (stream += `BT /F1 10 Tf ${xs[c]! + 3} ${ys[r]! - 14} Td (${t}) Tj ET\n`)));
    stream += '0.5 w\n';
    for (const y of ys) stream += `${xs[0]} ${y} m ${xs[xs.length - 1]} ${y} l S\n`;
    for (const x of xs) stream += `${x} ${ys[0]} m ${x} ${ys[ys.length - 1]} l S\n`;
    const pdf = makeRawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
      `<< /Length ${stream.length} >>\nstream\n${stream}endstream`,
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]);
    const doc = await readDocumentAsync(pdf, { path: 'a.pdf' });
    expect(doc.units.map((u) => [u.text, u.cell?.row, u.cell?.column, u.cell?.header])).toEqual([
      ['No', 0, 0, undefined], ['Problem', 0, 1, undefined], ['Measure', 0, 2, undefined],
      ['1', 1, 0, 'No'], ['Late files.', 1, 1, 'Problem'], ['Filed them.', 1, 2, 'Measure'],
      ['2', 2, 0, 'No'], ['Lost ledgers.', 2, 1, 'Problem'], ['Rebuilt them.', 2, 2, 'Measure'],
    ]);
  });
});
