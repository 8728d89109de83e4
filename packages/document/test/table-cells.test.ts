import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DocumentModel, TableCell } from '@xunshi/types';
import { ExtractedTextBuilder, layoutPdf, parseExtracted, readDocument, readDocumentAsync } from '../src/index.js';
import { GRID_WORK, tableGrid } from '../src/html-extract.js';
import { edgeGrid, headerCellAt } from '../src/parse-document.js';
import { TableEdges } from '../src/table-header.js';
import type { PdfPageText, PdfTextItem } from '../src/pdf-layout.js';
import type { PdfRule } from '../src/pdf-tables.js';
import { findChromium, hasCjkFont, makeDocx, makeDocxXml, makeRtf, makeWordBinary, makeXlsx, printPdf } from './support/fixtures.js';
import { makeOdt, odfText } from './support/odt-fixtures.js';
import { ofdOfPages, ofdRulePaths } from './support/layout-pages.js';
import { setTable } from './support/stream-table-pages.js';
import { makeXls } from './support/xls-fixtures.js';

// Where each unit of a table row lies (TableCell): its table, row and column, and the header above its column, from
// every reader that reads tables.

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Each unit as `text` and its cell (`-` when it has none). */
const cells = (doc: DocumentModel): [string, TableCell | '-'][] => doc.units.map((u) => [u.text, u.cell ?? '-']);
const html = (body: string): DocumentModel => readDocument(utf8(`<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`), { path: 'a.html' });
const row = (...cs: string[]): string => `<tr>${cs.join('')}</tr>`;
const td = (s: string, attrs = ''): string => `<td${attrs}>${s}</td>`;
const th = (s: string, attrs = ''): string => `<th${attrs}>${s}</th>`;

describe('HTML tables', () => {
  it('a <thead> row is the header: its cells are isHeader, each cell below has the header of its column', () => {
    const doc = html(`<p>一、整改情况</p><table><thead>${row(td('问题'), td('整改措施'))}</thead><tbody>${row(td('学习不深入。制度不健全。'), td('建立制度。'))}</tbody></table>`);
    expect(cells(doc)).toEqual([
      ['一、整改情况', '-'],
      ['问题', { table: 0, row: 0, column: 0, isHeader: true }],
      ['整改措施', { table: 0, row: 0, column: 1, isHeader: true }],
      ['学习不深入。', { table: 0, row: 1, column: 0, header: '问题' }],
      ['制度不健全。', { table: 0, row: 1, column: 0, header: '问题' }],
      ['建立制度。', { table: 0, row: 1, column: 1, header: '整改措施' }],
    ]);
  });

  it('a first row of <th> cells is the header, even of long cells with punctuation', () => {
    const doc = html(`<table>${row(th('存在的问题（含巡察发现的问题，共计三类）'), th('整改措施、完成时限'))}${row(td('甲。'), td('乙。'))}</table>`);
    expect(cells(doc).map(([, c]) => c)).toEqual([
      { table: 0, row: 0, column: 0, isHeader: true },
      { table: 0, row: 0, column: 1, isHeader: true },
      { table: 0, row: 1, column: 0, header: '存在的问题（含巡察发现的问题，共计三类）' },
      { table: 0, row: 1, column: 1, header: '整改措施、完成时限' },
    ]);
  });

  it('a first row without markup is the header when it looks like one (short cells, no punctuation)', () => {
    const doc = html(`<table>${row(td('序号'), td('问题'), td('责任单位'))}${row(td('1'), td('学习不深入。'), td('县委办'))}</table>`);
    expect(cells(doc).slice(3)).toEqual([
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['学习不深入。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['县委办', { table: 0, row: 1, column: 2, header: '责任单位' }],
    ]);
  });

  it('a first row of long cells with punctuation is no header: no cell is isHeader or has a header', () => {
    const doc = html(`<table>${row(td('理论学习中心组学习流于形式，学习不深入。'), td('制定年度学习计划，每月开展一次集中学习。'))}${row(td('违规发放津贴补贴。'), td('全额清退。'))}</table>`);
    const got = cells(doc).map(([, c]) => c);
    expect(got).toEqual([
      { table: 0, row: 0, column: 0 },
      { table: 0, row: 0, column: 1 },
      { table: 0, row: 1, column: 0 },
      { table: 0, row: 1, column: 1 },
    ]);
  });

  it('a table of one row has no header', () => {
    expect(cells(html(`<table>${row(th('问题'), th('措施'))}</table>`)).map(([, c]) => c)).toEqual([
      { table: 0, row: 0, column: 0 },
      { table: 0, row: 0, column: 1 },
    ]);
  });

  it('colspan: a cell starts after the columns the cells before it span; under a header spanning two columns, both have its header', () => {
    const doc = html(`<table>${row(td('序号'), td('问题', ' colspan="2"'), td('措施'))}${row(td('1'), td('甲类'), td('乙类'), td('整改。'))}${row(td('2'), td('丙类问题', ' colspan="2"'), td('清退。'))}</table>`);
    expect(cells(doc).slice(3)).toEqual([
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['甲类', { table: 0, row: 1, column: 1, header: '问题' }],
      ['乙类', { table: 0, row: 1, column: 2, header: '问题' }],
      ['整改。', { table: 0, row: 1, column: 3, header: '措施' }],
      ['2', { table: 0, row: 2, column: 0, header: '序号' }],
      ['丙类问题', { table: 0, row: 2, column: 1, header: '问题' }],
      ['清退。', { table: 0, row: 2, column: 3, header: '措施' }],
    ]);
  });

  it('rowspan: a row below a cell spanning rows starts after it', () => {
    const doc = html(`<table>${row(th('类别'), th('问题'), th('措施'))}${row(td('党建', ' rowspan="2"'), td('甲。'), td('乙。'))}${row(td('丙。'), td('丁。'))}</table>`);
    expect(cells(doc).slice(3)).toEqual([
      ['党建', { table: 0, row: 1, column: 0, header: '类别' }],
      ['甲。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['乙。', { table: 0, row: 1, column: 2, header: '措施' }],
      ['丙。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['丁。', { table: 0, row: 2, column: 2, header: '措施' }],
    ]);
  });

  it('colspan and rowspan together; a closing row across every column is a line of the table, no cell', () => {
    const doc = html(
      `<table>${row(th('序号'), th('问题'), th('措施'), th('时限'))}` +
        `${row(td('一', ' rowspan="2" colspan="2"'), td('甲。'), td('六月'))}${row(td('乙。'), td('七月'))}` +
        `${row(td('合计：两项问题均已整改完成。', ' colspan="4"'))}</table>`,
    );
    expect(cells(doc).slice(4)).toEqual([
      // Across 序号 and 问题: no one header holds it.
      ['一', { table: 0, row: 1, column: 0 }],
      ['甲。', { table: 0, row: 1, column: 2, header: '措施' }],
      ['六月', { table: 0, row: 1, column: 3, header: '时限' }],
      ['乙。', { table: 0, row: 2, column: 2, header: '措施' }],
      ['七月', { table: 0, row: 2, column: 3, header: '时限' }],
      ['合计：两项问题均已整改完成。', '-'],
    ]);
  });

  it('a section title merged across a ledger (一、作风建设方面) is a line of the table: no cell, the rows after it go on under the same header; a row whose other cells are empty, or whose cell goes on below a cell merged down, stays a row', () => {
    const head = row(th('序号'), th('问题'), th('整改措施'), th('责任单位'));
    const doc = html(
      `<table>${head}${row(td('一、作风建设方面', ' colspan="4"'))}${row(td('1'), td('会议多。'), td('精简会议。'), td('县委办'))}` +
        `${row(td('二、选人用人方面', ' colspan="4"'))}${row(td('2', ' rowspan="2"'), td('档案不全。', ' rowspan="2"'), td('补齐材料。'), td('组织部'))}` +
        `${row(td('建立制度。', ' colspan="2"'))}${row(td('台账不全。'), td(''), td(''), td(''))}</table>`,
    );
    expect(cells(doc).slice(4)).toEqual([
      ['一、作风建设方面', '-'],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['会议多。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['精简会议。', { table: 0, row: 1, column: 2, header: '整改措施' }],
      ['县委办', { table: 0, row: 1, column: 3, header: '责任单位' }],
      ['二、选人用人方面', '-'],
      ['2', { table: 0, row: 2, column: 0, header: '序号' }],
      ['档案不全。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['补齐材料。', { table: 0, row: 2, column: 2, header: '整改措施' }],
      ['组织部', { table: 0, row: 2, column: 3, header: '责任单位' }],
      // One cell of text, but it starts in the third column (the two before merged down from the row above).
      ['建立制度。', { table: 0, row: 3, column: 2 }],
      // One cell of text in the first column and the others empty, not merged: a row of data.
      ['台账不全。', { table: 0, row: 4, column: 0, header: '序号' }],
    ]);
    // Unnumbered section titles across the table head the rows below them too: a table row is body, so the first one,
    // right under the header row, is no cover line of the document.
    const plain = html(
      `<p>整改台账</p><table>${head}${row(td('作风建设方面', ' colspan="4"'))}${row(td('1'), td('会议多。'), td('精简会议。'), td('县委办'))}` +
        `${row(td('选人用人方面', ' colspan="4"'))}${row(td('2'), td('档案不全。'), td('补齐材料。'), td('组织部'))}</table>`,
    );
    expect(plain.headings.map((h) => h.text)).toEqual(['作风建设方面', '选人用人方面']);
    expect(plain.units.find((u) => u.text === '会议多。')!.headingPath).toEqual(['作风建设方面']);
    expect(plain.units.find((u) => u.text === '档案不全。')!.headingPath).toEqual(['选人用人方面']);
    // A title across the table above its header stays a row of it, as before.
    const titled = cells(html(`<table>${row(td('整改台账', ' colspan="4"'))}${head}${row(td('1'), td('会议多。'), td('精简会议。'), td('县委办'))}</table>`));
    expect(titled[0]).toEqual(['整改台账', { table: 0, row: 0, column: 0 }]);
  });

  it('a section title merged across the columns after 序号, whose cell holds the title\'s Chinese number or nothing (一 | 作风建设方面), is a line of the table: the number, a tab and the title, a heading; an Arabic number, or a title of one column, stays a row', () => {
    const head = row(th('序号'), th('问题'), th('整改措施'), th('责任单位'));
    const item = (n: string, p: string): string => row(td(n), td(p), td('整改。'), td('县委办'));
    const doc = html(
      `<table>${head}${row(td('一'), td('作风建设方面', ' colspan="3"'))}${item('1', '会议多。')}${row(td('（一）'), td('违规收礼', ' colspan="3"'))}${item('2', '收受礼金。')}` +
        `${row(td('二、'), td('选人用人方面', ' colspan="3"'))}${item('3', '档案不全。')}` +
        `${row(td('4'), td('台账不全，未建立制度。', ' colspan="3"'))}${row(td('五、'), td('其他方面'), td(''), td(''))}</table>`,
    );
    const lines = doc.units.filter((u) => !u.cell).map((u) => u.text);
    expect(lines).toEqual(['一\t作风建设方面', '（一）\t违规收礼', '二、\t选人用人方面']);
    expect(doc.headings.map((h) => h.text)).toEqual(lines);
    const pathOf = (t: string): string[] => doc.units.find((u) => u.text === t)!.headingPath;
    expect(['会议多。', '收受礼金。', '档案不全。'].map(pathOf)).toEqual([['一\t作风建设方面'], ['一\t作风建设方面', '（一）\t违规收礼'], ['二、\t选人用人方面']]);
    // Every row after a title goes on under the same header.
    expect(doc.units.find((u) => u.text === '档案不全。')!.cell).toEqual({ table: 0, row: 3, column: 1, header: '问题' });
    // 4 and a cell merged across the rest: a row of data (its problem, no measure yet); 五、 and a cell of one column: a row.
    expect(doc.units.find((u) => u.text === '台账不全，未建立制度。')!.cell).toEqual({ table: 0, row: 4, column: 1 });
    expect(doc.units.find((u) => u.text === '其他方面')!.cell).toEqual({ table: 0, row: 5, column: 1, header: '问题' });
    // The 序号 cell left empty: the title alone is the line.
    const bare = html(`<p>整改台账</p><table>${head}${row(td(''), td('作风建设方面', ' colspan="3"'))}${item('1', '会议多。')}${row(td(''), td('选人用人方面', ' colspan="3"'))}${item('2', '档案不全。')}</table>`);
    expect(bare.headings.map((h) => h.text)).toEqual(['作风建设方面', '选人用人方面']);
    expect(bare.units.find((u) => u.text === '档案不全。')!.headingPath).toEqual(['选人用人方面']);
  });

  it('two header rows: the sub-headers under a header cell that groups columns (整改情况 over 整改措施 | 完成时限) head the columns below them', () => {
    const head = row(th('序号', ' rowspan="2"'), th('问题', ' rowspan="2"'), th('整改情况', ' colspan="2"'), th('责任单位', ' rowspan="2"')) + row(th('整改措施'), th('完成时限'));
    const body = row(td('1'), td('学习不深入。'), td('制定计划。'), td('六月'), td('县委办')) + row(td('2'), td('台账不全。'), td('补齐台账。'), td('七月'), td('县财政局'));
    const want = [
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['整改情况', { table: 0, row: 0, column: 2, isHeader: true }],
      ['责任单位', { table: 0, row: 0, column: 4, isHeader: true }],
      ['整改措施', { table: 0, row: 1, column: 2, isHeader: true }],
      ['完成时限', { table: 0, row: 1, column: 3, isHeader: true }],
      ['1', { table: 0, row: 2, column: 0, header: '序号' }],
      ['学习不深入。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['制定计划。', { table: 0, row: 2, column: 2, header: '整改措施' }],
      ['六月', { table: 0, row: 2, column: 3, header: '完成时限' }],
      ['县委办', { table: 0, row: 2, column: 4, header: '责任单位' }],
      ['2', { table: 0, row: 3, column: 0, header: '序号' }],
      ['台账不全。', { table: 0, row: 3, column: 1, header: '问题' }],
      ['补齐台账。', { table: 0, row: 3, column: 2, header: '整改措施' }],
      ['七月', { table: 0, row: 3, column: 3, header: '完成时限' }],
      ['县财政局', { table: 0, row: 3, column: 4, header: '责任单位' }],
    ];
    expect(cells(html(`<table>${head}${body}</table>`))).toEqual(want);
    // In <thead>, in <td> cells found by their shape, under a title row: the same cells.
    expect(cells(html(`<table><thead>${head}</thead><tbody>${body}</tbody></table>`))).toEqual(want);
    expect(cells(html(`<table>${head.replace(/th/g, 'td')}${body}</table>`))).toEqual(want);
    const titled = cells(html(`<table>${row(td('整改台账', ' colspan="5"'))}${head}${body}</table>`));
    expect(titled.slice(1)).toEqual(want.map(([t, c]) => [t, { ...(c as TableCell), row: (c as TableCell).row + 1 }]));
  });

  it('a row below a grouping header cell is data when a cell of it stands under an ungrouped column, when it leaves a column of the group empty, or when no row follows it', () => {
    const head = row(th('序号'), th('问题及整改', ' colspan="2"'), th('责任单位'));
    const headerRows = (doc: DocumentModel): number[] => [...new Set(doc.units.filter((u) => u.cell?.isHeader).map((u) => u.cell!.row))];
    // 1 | 作风 | 清退 | 县委办: a row of short cells, but its first stands under 序号.
    const data = html(`<table>${head}${row(td('1'), td('作风'), td('清退'), td('县委办'))}${row(td('2'), td('会议多。'), td('精简。'), td('县委办'))}</table>`);
    expect(headerRows(data)).toEqual([0]);
    expect(data.units.find((u) => u.text === '作风')!.cell).toEqual({ table: 0, row: 1, column: 1, header: '问题及整改' });
    // Only one of the group's two columns filled.
    const partial = html(`<table>${head}${row(td(''), td('问题'), td(''), td(''))}${row(td('1'), td('会议多。'), td('精简。'), td('县委办'))}</table>`);
    expect(headerRows(partial)).toEqual([0]);
    // The sub-headers with no row below: the table is its header and one row.
    const last = html(`<table>${head}${row(td(''), td('具体问题'), td('整改措施'), td(''))}</table>`);
    expect(headerRows(last)).toEqual([0]);
  });

  it('a title row across the table above its header is no header: the header is the first row of two cells or more', () => {
    const title = row(td('某县巡察反馈问题整改台账', ' colspan="3"'));
    const body = `${row(td('序号'), td('问题'), td('措施'))}${row(td('1'), td('学习不深入。'), td('制定计划。'))}`;
    const want = [
      ['某县巡察反馈问题整改台账', { table: 0, row: 0, column: 0 }],
      ['序号', { table: 0, row: 1, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 1, column: 1, isHeader: true }],
      ['措施', { table: 0, row: 1, column: 2, isHeader: true }],
      ['1', { table: 0, row: 2, column: 0, header: '序号' }],
      ['学习不深入。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['制定计划。', { table: 0, row: 2, column: 2, header: '措施' }],
    ];
    expect(cells(html(`<table>${title}${body}</table>`))).toEqual(want);
    // Both rows in <thead>: the same.
    expect(cells(html(`<table><thead>${title.replace(/td/g, 'th')}${row(th('序号'), th('问题'), th('措施'))}</thead>${row(td('1'), td('学习不深入。'), td('制定计划。'))}</table>`))).toEqual(want);
    // A table of a title row and one row has no header.
    expect(cells(html(`<table>${title}${row(td('序号'), td('问题'), td('措施'))}</table>`)).filter(([, c]) => c !== '-' && (c.isHeader || c.header))).toEqual([]);
  });

  it('a table of one column is a layout container: its cells are paragraphs, with no cell', () => {
    expect(cells(html(`<table><thead>${row(th('整改措施'))}</thead>${row(td('建立制度。'))}${row(td('全额清退。'))}</table>`)).map(([, c]) => c)).toEqual(['-', '-', '-']);
  });

  it('two tables one after the other are tables 0 and 1; a caption between them ends the first', () => {
    const t = (a: string, b: string): string => `<table>${row(td('问题'), td('措施'))}${row(td(a), td(b))}</table>`;
    for (const between of ['', '<caption>表二</caption>']) {
      const second = between ? t('丙。', '丁。').replace('<table>', `<table>${between}`) : t('丙。', '丁。');
      const doc = html(t('甲。', '乙。') + second);
      const got = cells(doc).filter(([, c]) => c !== '-').map(([text, c]) => [text, (c as TableCell).table, (c as TableCell).row]);
      expect(got).toEqual([
        ['问题', 0, 0], ['措施', 0, 0], ['甲。', 0, 1], ['乙。', 0, 1],
        ['问题', 1, 0], ['措施', 1, 0], ['丙。', 1, 1], ['丁。', 1, 1],
      ]);
      if (between) expect(cells(doc).find(([text]) => text === '表二')![1]).toBe('-');
    }
  });

  it('a table nested in a cell: the outer table is read as a layout container, the inner one as table 0', () => {
    const doc = html(`<table>${row(td('<p>前言。</p><table>' + row(td('问题'), td('措施')) + row(td('甲。'), td('乙。')) + '</table>'))}</table>`);
    expect(cells(doc)).toEqual([
      ['前言。', '-'],
      ['问题', { table: 0, row: 0, column: 0, isHeader: true }],
      ['措施', { table: 0, row: 0, column: 1, isHeader: true }],
      ['甲。', { table: 0, row: 1, column: 0, header: '问题' }],
      ['乙。', { table: 0, row: 1, column: 1, header: '措施' }],
    ]);
  });
});

describe('tableGrid', () => {
  const cell = (colSpan = 1, rowSpan = 1) => ({ colSpan, rowSpan });
  it('places cells by HTML table model: after cells spanning rows into the row, after the columns of the cells before', () => {
    expect(tableGrid([[cell(1, 3), cell(2), cell()], [cell(), cell(1, 2), cell()], [cell(), cell(2)]])).toEqual([
      { columns: [0, 1, 3], spans: [1, 2, 1] },
      { columns: [1, 2, 3], spans: [1, 1, 1] },
      { columns: [1, 3], spans: [1, 2] },
    ]);
    // Rows below a rowspan that ran out start at 0 again; a cell spanning two rows and two columns.
    expect(tableGrid([[cell(2, 2), cell()], [cell()], [cell(), cell()]])).toEqual([
      { columns: [0, 2], spans: [2, 1] },
      { columns: [2], spans: [1] },
      { columns: [0, 1], spans: [1, 1] },
    ]);
  });

  it('overlapping spans of malformed tables: a cell never covers a column that a cell from a row above holds', () => {
    // Row 1's first cell spans two columns, but column 1 is held by the rowspan from row 0: it is cut to one column.
    expect(tableGrid([[cell(), cell(1, 2)], [cell(2), cell()]])).toEqual([
      { columns: [0, 1], spans: [1, 1] },
      { columns: [0, 2], spans: [1, 1] },
    ]);
  });

  /** The grid's slots each cell covers, checked for overlaps; true when none overlap and each row's cells go left to right. */
  const wellFormed = (rows: { colSpan: number; rowSpan: number }[][], grid: ReturnType<typeof tableGrid>): void => {
    const held = new Map<string, string>();
    grid.forEach((g, r) => {
      expect(g.columns).toHaveLength(rows[r]!.length);
      let end = 0;
      g.columns.forEach((c, k) => {
        expect(c).toBeGreaterThanOrEqual(end);
        expect(g.spans[k]).toBeGreaterThanOrEqual(1);
        end = c + g.spans[k]!;
        for (let dr = 0; dr < rows[r]![k]!.rowSpan && r + dr < rows.length; dr++) {
          for (let dc = 0; dc < g.spans[k]!; dc++) {
            const key = `${r + dr}:${c + dc}`;
            expect(held.get(key), `slot ${key} held twice`).toBeUndefined();
            held.set(key, `${r}:${k}`);
          }
        }
      });
    });
  };

  it('property: cells go left to right in their row, no two cells overlap, the work is linear in the cells', () => {
    const spans = fc.array(fc.array(fc.record({ colSpan: fc.integer({ min: 1, max: 4 }), rowSpan: fc.integer({ min: 1, max: 4 }) }), { maxLength: 6 }), { maxLength: 12 });
    fc.assert(
      fc.property(spans, (rows) => {
        const work = { steps: 0 };
        const grid = tableGrid(rows, work);
        wellFormed(rows, grid);
        const n = rows.reduce((s, r) => s + r.length, 0);
        expect(work.steps).toBeLessThanOrEqual(GRID_WORK.perCell * n + rows.length + GRID_WORK.base);
      }),
      { numRuns: 500 },
    );
  });

  it('bounds the work of crafted spans: many cells spanning every row below, then many rows', () => {
    const n = 3000;
    const rows = [Array.from({ length: n }, () => cell(1, 65534)), ...Array.from({ length: n }, () => [cell()])];
    const work = { steps: 0 };
    const grid = tableGrid(rows, work);
    expect(work.steps).toBeLessThanOrEqual(GRID_WORK.perCell * 2 * n + rows.length + GRID_WORK.base);
    expect(grid).toHaveLength(rows.length);
    // The first rows are laid out under the spanning cells; once the work runs out, the rows left from column 0.
    expect(grid[1]!.columns).toEqual([n]);
    expect(grid[rows.length - 1]!.columns).toEqual([0]);
  });

  it('headerCellAt: the header cell that holds a cell\'s columns, found by a binary search', () => {
    const row = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(row, fc.nat(200), fc.integer({ min: 1, max: 5 }), fc.nat(20), (spans, column, span, gap) => {
        // Header cells with a gap of `gap % 3` columns between some of them (a sheet's empty cells).
        const columns: number[] = [];
        let at = 0;
        spans.forEach((s, k) => {
          columns.push(at);
          at += s + (k % 2 === 0 ? gap % 3 : 0);
        });
        const naive = columns.findIndex((c, k) => column >= c && column < c + spans[k]!);
        const want = naive >= 0 && column + span <= columns[naive]! + spans[naive]! ? naive : -1;
        const work = { steps: 0 };
        expect(headerCellAt(columns, spans, column, span, work)).toBe(want);
        expect(work.steps).toBeLessThanOrEqual(Math.ceil(Math.log2(columns.length + 1)) + 1);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads colspan above 1000 as 1000 and rowspan above 65534 as 65534, malformed ones as 1', () => {
    const doc = html(`<table>${row(td('问题', ' colspan="99999"'), td('措施'))}${row(td('甲', ' rowspan="1e9"'), td('乙', ' colspan="-3"'), td('丙', ' colspan="x"'))}</table>`);
    expect(cells(doc).map(([t, c]) => [t, (c as TableCell).column])).toEqual([['问题', 0], ['措施', 1000], ['甲', 0], ['乙', 1], ['丙', 2]]);
  });
});

describe('cells are values of their own', () => {
  it('two units of one cell have equal cells, not one object: changing one changes no other unit', () => {
    const docs = [
      html(`<table>${row(td('问题'), td('措施'))}${row(td('学习不深入。制度不健全。'), td('建立制度。'))}</table>`),
      readDocument(utf8('| 问题 | 措施 |\n|---|---|\n| 学习不深入。制度不健全。 | 建立制度。 |\n'), { path: 'a.md' }),
    ];
    for (const doc of docs) {
      const [a, b] = doc.units.filter((u) => u.cell?.row === 1 && u.cell.column === 0);
      expect(a!.cell).toEqual(b!.cell);
      expect(a!.cell).not.toBe(b!.cell);
      a!.cell!.header = 'changed';
      expect(b!.cell!.header).toBe('问题');
    }
  });
});

describe('Word, OpenDocument, RTF and Word 97 tables', () => {
  const merged = (tc: string, props = ''): string => `<w:tc>${props ? `<w:tcPr>${props}</w:tcPr>` : ''}<w:p>${tc ? `<w:r><w:t>${tc}</w:t></w:r>` : ''}</w:p></w:tc>`;
  it('.docx: a cell merged across columns (gridSpan) and one merged down rows (vMerge) keep the grid', async () => {
    const body =
      '<w:p><w:r><w:t>一、整改情况</w:t></w:r></w:p><w:tbl>' +
      `<w:tr>${merged('问题', '<w:gridSpan w:val="2"/>')}${merged('措施')}</w:tr>` +
      `<w:tr>${merged('党建', '<w:vMerge w:val="restart"/>')}${merged('甲问题。')}${merged('甲措施。')}</w:tr>` +
      `<w:tr>${merged('', '<w:vMerge/>')}${merged('乙问题。')}${merged('乙措施。')}</w:tr></w:tbl>`;
    const doc = await readDocumentAsync(await makeDocxXml(body), { path: 'a.docx' });
    expect(cells(doc)).toEqual([
      ['一、整改情况', '-'],
      ['问题', { table: 0, row: 0, column: 0, isHeader: true }],
      ['措施', { table: 0, row: 0, column: 2, isHeader: true }],
      ['党建', { table: 0, row: 1, column: 0, header: '问题' }],
      ['甲问题。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['甲措施。', { table: 0, row: 1, column: 2, header: '措施' }],
      ['乙问题。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['乙措施。', { table: 0, row: 2, column: 2, header: '措施' }],
    ]);
  });

  it('.docx: two header rows (a group header across two columns, the cells beside it merged down) head the cells below by their sub-headers', async () => {
    const down = '<w:vMerge w:val="restart"/>';
    const body =
      '<w:tbl>' +
      `<w:tr>${merged('序号', down)}${merged('问题', down)}${merged('整改情况', '<w:gridSpan w:val="2"/>')}</w:tr>` +
      `<w:tr>${merged('', '<w:vMerge/>')}${merged('', '<w:vMerge/>')}${merged('整改措施')}${merged('完成时限')}</w:tr>` +
      `<w:tr>${merged('1')}${merged('台账不全。')}${merged('补齐台账。')}${merged('七月')}</w:tr></w:tbl>`;
    const doc = await readDocumentAsync(await makeDocxXml(body), { path: 'a.docx' });
    expect(cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.isHeader ? ':H' : ''}${c.header ? `<${c.header}` : ''}`))).toEqual([
      '序号@0.0:H', '问题@0.1:H', '整改情况@0.2:H', '整改措施@1.2:H', '完成时限@1.3:H', '1@2.0<序号', '台账不全。@2.1<问题', '补齐台账。@2.2<整改措施', '七月@2.3<完成时限',
    ]);
  });

  it('.docx: a section title merged across the table below its header (gridSpan over every column) is a line of the table; the same title with the cells beside it left empty stays a row', async () => {
    const body = (section: string): string =>
      '<w:tbl>' +
      `<w:tr>${merged('序号')}${merged('问题')}${merged('整改措施')}</w:tr>${section}` +
      `<w:tr>${merged('1')}${merged('会议多。')}${merged('精简会议。')}</w:tr></w:tbl>`;
    const across = await readDocumentAsync(await makeDocxXml(body(`<w:tr>${merged('一、作风建设方面', '<w:gridSpan w:val="3"/>')}</w:tr>`)), { path: 'a.docx' });
    expect(cells(across).slice(3)).toEqual([
      ['一、作风建设方面', '-'],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['会议多。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['精简会议。', { table: 0, row: 1, column: 2, header: '整改措施' }],
    ]);
    expect(across.units.find((u) => u.text === '一、作风建设方面')!.isHeading).toBe(true);
    const unmerged = await readDocumentAsync(await makeDocxXml(body(`<w:tr>${merged('一、作风建设方面')}${merged('')}${merged('')}</w:tr>`)), { path: 'a.docx' });
    expect(cells(unmerged)[3]).toEqual(['一、作风建设方面', { table: 0, row: 1, column: 0, header: '序号' }]);
  });

  it('.docx: 一 in 序号 and the section title merged across the other columns (gridSpan) is a line of the table and a heading; unmerged, a row', async () => {
    const body = (section: string): string =>
      '<w:tbl>' +
      `<w:tr>${merged('序号')}${merged('问题')}${merged('整改措施')}</w:tr>${section}` +
      `<w:tr>${merged('1')}${merged('会议多。')}${merged('精简会议。')}</w:tr></w:tbl>`;
    const across = await readDocumentAsync(await makeDocxXml(body(`<w:tr>${merged('一')}${merged('作风建设方面', '<w:gridSpan w:val="2"/>')}</w:tr>`)), { path: 'a.docx' });
    expect(cells(across).slice(3)).toEqual([
      ['一\t作风建设方面', '-'],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['会议多。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['精简会议。', { table: 0, row: 1, column: 2, header: '整改措施' }],
    ]);
    expect(across.units.find((u) => u.text === '会议多。')!.headingPath).toEqual(['一\t作风建设方面']);
    const unmerged = await readDocumentAsync(await makeDocxXml(body(`<w:tr>${merged('一')}${merged('作风建设方面')}${merged('')}</w:tr>`)), { path: 'a.docx' });
    expect(cells(unmerged)[4]).toEqual(['作风建设方面', { table: 0, row: 1, column: 1, header: '问题' }]);
  });

  it('.docx: a title row merged across the table is no header; the row under it is', async () => {
    const body = `<w:tbl><w:tr>${merged('整改台账', '<w:gridSpan w:val="2"/>')}</w:tr><w:tr>${merged('问题')}${merged('措施')}</w:tr><w:tr>${merged('甲问题。')}${merged('甲措施。')}</w:tr></w:tbl>`;
    const doc = await readDocumentAsync(await makeDocxXml(body), { path: 'a.docx' });
    expect(cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.isHeader ? 'H' : ''}${c.header ? `<${c.header}` : ''}`))).toEqual(['整改台账@0.0', '问题@1.0H', '措施@1.1H', '甲问题。@2.0<问题', '甲措施。@2.1<措施']);
  });

  it('.docx: a header row marked to repeat on each page (w:tblHeader) is the header, whatever its cells', async () => {
    const body = `<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>${merged('存在的问题（含三类）')}${merged('整改措施，时限')}</w:tr><w:tr>${merged('甲。')}${merged('乙。')}</w:tr></w:tbl>`;
    const doc = await readDocumentAsync(await makeDocxXml(body), { path: 'a.docx' });
    expect(cells(doc).map(([, c]) => c)).toEqual([
      { table: 0, row: 0, column: 0, isHeader: true },
      { table: 0, row: 0, column: 1, isHeader: true },
      { table: 0, row: 1, column: 0, header: '存在的问题（含三类）' },
      { table: 0, row: 1, column: 1, header: '整改措施，时限' },
    ]);
  });

  it('.docx: two tables parted by a paragraph are tables 0 and 1', async () => {
    const doc = await readDocumentAsync(await makeDocx([{ table: [['问题', '措施'], ['甲。', '乙。']] }, { text: '说明。' }, { table: [['序号', '单位'], ['1', '县委办']] }]), { path: 'a.docx' });
    expect(cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.table}.${c.row}.${c.column}${c.header ? `<${c.header}` : ''}`))).toEqual([
      '问题@0.0.0', '措施@0.0.1', '甲。@0.1.0<问题', '乙。@0.1.1<措施', '说明。', '序号@1.0.0', '单位@1.0.1', '1@1.1.0<序号', '县委办@1.1.1<单位',
    ]);
  });

  it('.docx and .odt: a table in a cell (责任人 | 时限 under 责任) is text of that cell, the ledger a table, as a .doc and an RTF of it are read; in a web page the outer table is a layout container', async () => {
    const wtc = (inner: string): string => `<w:tc>${inner}</w:tc>`;
    const wp = (t: string): string => `<w:p>${t ? `<w:r><w:t>${t}</w:t></w:r>` : ''}</w:p>`;
    const inner = `<w:tbl>${[['责任人', '时限'], ['张明', '6月']].map((row) => `<w:tr>${row.map((c) => wtc(wp(c))).join('')}</w:tr>`).join('')}</w:tbl>`;
    const docx = await readDocumentAsync(await makeDocxXml(`<w:tbl><w:tr>${['序号', '整改措施', '责任'].map((c) => wtc(wp(c))).join('')}</w:tr><w:tr>${wtc(wp('1'))}${wtc(wp('修订制度。'))}${wtc(inner + wp(''))}</w:tr></w:tbl>${wp('结语。')}`), { path: 'a.docx' });
    const want = ['序号@0.0', '整改措施@0.1', '责任@0.2', '1@1.0<序号', '修订制度。@1.1<整改措施', '责任人 时限 张明 6月@1.2<责任', '结语。'];
    const shown = (doc: DocumentModel): string[] => cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.header ? `<${c.header}` : ''}`));
    expect(shown(docx)).toEqual(want);
    const tc = (inner: string): string => `<table:table-cell office:value-type="string">${inner}</table:table-cell>`;
    const tp = (t: string): string => `<text:p>${odfText(t)}</text:p>`;
    const odtInner = `<table:table table:name="N"><table:table-column table:number-columns-repeated="2"/>${[['责任人', '时限'], ['张明', '6月']].map((row) => `<table:table-row>${row.map((c) => tc(tp(c))).join('')}</table:table-row>`).join('')}</table:table>`;
    const odt = readDocument(await makeOdt(`<table:table table:name="T"><table:table-column table:number-columns-repeated="3"/><table:table-row>${['序号', '整改措施', '责任'].map((c) => tc(tp(c))).join('')}</table:table-row><table:table-row>${tc(tp('1'))}${tc(tp('修订制度。'))}${tc(odtInner + tp(''))}</table:table-row></table:table>${tp('结语。')}`), { path: 'a.odt' });
    expect(shown(odt)).toEqual(want);
    // A page that nests a table in a cell lays the page out with the outer one (see the HTML test above).
    const page = html(`<table>${row(td('序号'), td('整改措施'), td('责任'))}${row(td('1'), td('修订制度。'), td(`<table>${row(td('责任人'), td('时限'))}${row(td('张明'), td('6月'))}</table>`))}</table>`);
    expect(shown(page)).not.toEqual(want);
  });

  it('.docx and .odt: a ledger whose 整改措施 cell holds nine measures, each a paragraph, stays a table (a web page\'s cell of eight paragraphs or more is an article laid out in a table)', async () => {
    const measures = Array.from({ length: 9 }, (_, i) => `${i + 1}.开展专题学习研讨，明确责任分工。`);
    const wp = (t: string): string => `<w:p><w:r><w:t>${t}</w:t></w:r></w:p>`;
    const wtc = (ts: readonly string[]): string => `<w:tc>${ts.map(wp).join('')}</w:tc>`;
    const rows = [[['序号'], ['问题'], ['整改措施'], ['责任单位']], [['1'], ['学习不深入。'], measures, ['县财政局']], [['2'], ['制度不健全。'], ['修订制度。'], ['县委办']]];
    const docx = await readDocumentAsync(await makeDocxXml(`<w:tbl>${rows.map((row) => `<w:tr>${row.map(wtc).join('')}</w:tr>`).join('')}</w:tbl>`), { path: 'a.docx' });
    const tc = (ts: readonly string[]): string => `<table:table-cell office:value-type="string">${ts.map((t) => `<text:p>${odfText(t)}</text:p>`).join('')}</table:table-cell>`;
    const odt = readDocument(await makeOdt(`<table:table table:name="T"><table:table-column table:number-columns-repeated="4"/>${rows.map((row) => `<table:table-row>${row.map(tc).join('')}</table:table-row>`).join('')}</table:table>`), { path: 'a.odt' });
    for (const doc of [docx, odt]) {
      const at = (text: string): string => { const u = doc.units.find((v) => v.text === text)!; return u.cell ? `${u.cell.row}.${u.cell.column}:${u.headingPath.join('>')}` : '-'; };
      expect([at('9.开展专题学习研讨，明确责任分工。'), at('县财政局'), at('县委办')]).toEqual(['1.2:', '1.3:', '2.3:']);
    }
    const page = html(`<table>${rows.map((row) => row.map((ts) => td(ts.map((t) => `<p>${t}</p>`).join(''))).join('')).map((r) => row(r)).join('')}</table>`);
    expect(page.units.find((u) => u.text === '县财政局')!.cell).toBeUndefined();
  });

  it('.odt: spanned and covered cells keep the grid', async () => {
    const tc = (s: string, attrs = ''): string => `<table:table-cell${attrs} office:value-type="string"><text:p>${odfText(s)}</text:p></table:table-cell>`;
    const covered = '<table:covered-table-cell/>';
    const body =
      '<table:table table:name="T"><table:table-column table:number-columns-repeated="3"/>' +
      `<table:table-row>${tc('问题', ' table:number-columns-spanned="2"')}${covered}${tc('措施')}</table:table-row>` +
      `<table:table-row>${tc('党建', ' table:number-rows-spanned="2"')}${tc('甲问题。')}${tc('甲措施。')}</table:table-row>` +
      `<table:table-row>${covered}${tc('乙问题。')}${tc('乙措施。')}</table:table-row></table:table>`;
    const doc = readDocument(await makeOdt(body), { path: 'a.odt' });
    expect(cells(doc).map(([t, c]) => [t, c !== '-' && [c.row, c.column, c.header ?? (c.isHeader ? 'H' : '')]])).toEqual([
      ['问题', [0, 0, 'H']],
      ['措施', [0, 2, 'H']],
      ['党建', [1, 0, '问题']],
      ['甲问题。', [1, 1, '问题']],
      ['甲措施。', [1, 2, '措施']],
      ['乙问题。', [2, 1, '问题']],
      ['乙措施。', [2, 2, '措施']],
    ]);
  });

  it('RTF: columns from the cells\' edges (\\cellx): a cell merged across two columns spans them, a border dragged a little is the same edge', () => {
    const gb = (s: string): string => [...s].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch : `\\u${ch.charCodeAt(0)}?`)).join('');
    const rowOf = (edges: number[], cells: string[], left = 0): string =>
      `\\trowd\\trgaph108${left ? `\\trleft${left}` : ''}${edges.map((x) => `\\cellx${x}`).join('')}\\pard\\intbl ${cells.map((c) => `${gb(c)}\\cell `).join('')}\\row\n`;
    const rtf =
      '{\\rtf1\\ansi\\uc1\n' +
      rowOf([2000, 6000, 8000], ['序号', '问题', '措施']) +
      rowOf([2000, 4000, 6000, 8000], ['1', '甲类', '乙类', '整改。']) +
      rowOf([6000, 8000], ['合计两项', '均已整改。']) +
      rowOf([2030, 4000, 6000, 7990], ['2', '丙类', '丁类', '清退。']) +
      '}';
    const doc = readDocument(new TextEncoder().encode(rtf), { path: 'a.rtf' });
    expect(cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.isHeader ? 'H' : ''}${c.header ? `<${c.header}` : ''}`))).toEqual([
      '序号@0.0H', '问题@0.1H', '措施@0.3H',
      '1@1.0<序号', '甲类@1.1<问题', '乙类@1.2<问题', '整改。@1.3<措施',
      '合计两项@2.0', '均已整改。@2.3<措施',
      '2@3.0<序号', '丙类@3.1<问题', '丁类@3.2<问题', '清退。@3.3<措施',
    ]);
  });

  it('edgeGrid property: each row\'s cells go left to right without overlap, spans at least 1', () => {
    const row = fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }).map((ws) => {
      const edges = [0];
      for (const w of ws) edges.push(edges[edges.length - 1]! + w);
      return edges;
    });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 10 }), (rows) => {
        edgeGrid(rows).forEach((g, r) => {
          expect(g.columns).toHaveLength(rows[r]!.length - 1);
          g.columns.forEach((c, k) => {
            expect(g.spans[k]).toBeGreaterThanOrEqual(1);
            if (k > 0) expect(c).toBe(g.columns[k - 1]! + g.spans[k - 1]!);
          });
        });
      }),
    );
  });

  it('RTF: a section title in one cell as wide as the table (一、作风建设方面), or after 序号 in a cell as wide as the rest (二 | 选人用人方面), is a line of the table heading its rows; a narrower cell stays a row', () => {
    const gb = (s: string): string => [...s].map((ch) => (ch.charCodeAt(0) < 0x80 ? ch : `\\u${ch.charCodeAt(0)}?`)).join('');
    const rowOf = (edges: number[], cells: string[]): string => `\\trowd\\trgaph108${edges.map((x) => `\\cellx${x}`).join('')}\\pard\\intbl ${cells.map((c) => `${gb(c)}\\cell `).join('')}\\row\n`;
    const full = [800, 4000, 7000, 9000];
    const rtf =
      '{\\rtf1\\ansi\\uc1\n' +
      rowOf(full, ['序号', '问题', '整改措施', '责任单位']) +
      rowOf([9000], ['一、作风建设方面']) +
      rowOf(full, ['1', '会议多。', '精简会议。', '县委办']) +
      rowOf([800, 9010], ['二', '选人用人方面']) +
      rowOf(full, ['2', '档案不全。', '补齐。', '组织部']) +
      rowOf([800, 4000], ['三', '纪律建设方面']) +
      '}';
    const doc = readDocument(new TextEncoder().encode(rtf), { path: 'a.rtf' });
    expect(doc.units.filter((u) => !u.cell).map((u) => u.text)).toEqual(['一、作风建设方面', '二\t选人用人方面']);
    expect(doc.units.find((u) => u.text === '档案不全。')!.headingPath).toEqual(['二\t选人用人方面']);
    expect(doc.units.find((u) => u.text === '档案不全。')!.cell).toEqual({ table: 0, row: 2, column: 1, header: '问题' });
    // 三 | 纪律建设方面 in a cell one column wide: a row.
    expect(doc.units.find((u) => u.text === '纪律建设方面')!.cell).toEqual({ table: 0, row: 3, column: 1, header: '问题' });
  });

  it('Word 97 (.doc): each row\'s cell edges (sprmTDefTable) place its cells on the grid; a section title in a cell as wide as the table, or after 序号, is a line of the table heading its rows', async () => {
    const full = [0, 800, 4000, 7000, 9000];
    const table = [['序号', '问题', '整改措施', '责任单位'], ['一、作风建设方面'], ['1', '会议多。', '精简会议。', '县委办'], ['二', '选人用人方面'], ['2', '两项问题一并整改。', '组织部'], ['三', '纪律建设方面']];
    const edges = [full, [0, 9000], full, [0, 800, 9000], [0, 800, 7000, 9000], [0, 800, 4000]];
    const doc = await readDocumentAsync(makeWordBinary(['整改台账', { table, edges }]), { path: 'a.doc' });
    const texts = cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.header ? `<${c.header}` : ''}`));
    expect(texts.slice(5)).toEqual([
      '一、作风建设方面', '1@1.0<序号', '会议多。@1.1<问题', '精简会议。@1.2<整改措施', '县委办@1.3<责任单位',
      // A cell merged across 问题 and 整改措施 has neither header; the cell after it is under 责任单位.
      '二\t选人用人方面', '2@2.0<序号', '两项问题一并整改。@2.1', '组织部@2.3<责任单位',
      '三@3.0<序号', '纪律建设方面@3.1<问题',
    ]);
    expect(doc.units.find((u) => u.text === '会议多。')!.headingPath).toEqual(['一、作风建设方面']);
    expect(doc.units.find((u) => u.text === '组织部')!.headingPath).toEqual(['二\t选人用人方面']);
    // Without edges (an older writer's rows), cells stand by position, as before.
    const plain = await readDocumentAsync(makeWordBinary(['整改台账', { table }]), { path: 'a.doc' });
    expect(plain.units.find((u) => u.text === '组织部')!.cell).toEqual({ table: 0, row: 4, column: 2, header: '整改措施' });
    expect(plain.units.find((u) => u.text === '一、作风建设方面')!.cell).toEqual({ table: 0, row: 1, column: 0, header: '序号' });
    // A row's properties too long for their property page (a ledger of many cells, each with its borders) stand in the
    // Data stream: its end mark and edges are read from there, and the cells stand where they did.
    const huge = await readDocumentAsync(makeWordBinary(['整改台账', { table, edges }], { hugeRows: true }), { path: 'a.doc' });
    expect(cells(huge).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.header ? `<${c.header}` : ''}`))).toEqual(cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.header ? `<${c.header}` : ''}`)));
  });

  it('TableEdges property: on rows of cells whose edges lie on one grid (each edge dragged up to 30 twips), a row\'s columns and spans count the grid edges that the rows of two cells or more before it and the row itself use, the width those rows\' last', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 200, max: 3000 }), { minLength: 2, maxLength: 8 }),
        fc.array(fc.tuple(fc.array(fc.boolean(), { minLength: 9, maxLength: 9 }), fc.array(fc.integer({ min: -30, max: 30 }), { minLength: 10, maxLength: 10 })), { minLength: 1, maxLength: 12 }),
        (gaps, rows) => {
          const grid = [0];
          for (const g of gaps) grid.push(grid[grid.length - 1]! + g);
          const table = new TableEdges();
          // The grid edges (by index) that the rows of two cells or more so far use.
          const known = new Set<number>();
          for (const [cuts, jitter] of rows) {
            // The row's edges: the grid's first and last, and the inner ones it keeps.
            const kept = grid.map((_, i) => i).filter((i) => i === 0 || i === grid.length - 1 || cuts[i - 1]);
            const edges = kept.map((i, k) => grid[i]! + jitter[k]!);
            const got = table.gridOf(edges);
            if (known.size < 2) expect(got).toBeUndefined();
            else {
              const used = [...new Set([...known, ...kept])].sort((a, b) => a - b);
              const at = (i: number): number => used.indexOf(i);
              expect(got!.columns).toEqual(kept.slice(0, -1).map(at));
              expect(got!.spans).toEqual(kept.slice(1).map((e, k) => at(e) - at(kept[k]!)));
              expect(got!.width).toBe(at(Math.max(...known)));
            }
            const texts = kept.slice(1).map(() => '甲');
            table.afterRow(texts, edges);
            if (texts.length >= 2) for (const i of kept) known.add(i);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('RTF and Word 97 (.doc): rows of cells by position, the header row found by its shape', async () => {
    const blocks = [{ text: '一、整改情况' }, { table: [['问题', '措施'], ['甲问题。', '甲措施。'], ['乙问题。', '']] }];
    const want = [
      ['一、整改情况', '-'],
      ['问题', { table: 0, row: 0, column: 0, isHeader: true }],
      ['措施', { table: 0, row: 0, column: 1, isHeader: true }],
      ['甲问题。', { table: 0, row: 1, column: 0, header: '问题' }],
      ['甲措施。', { table: 0, row: 1, column: 1, header: '措施' }],
      ['乙问题。', { table: 0, row: 2, column: 0, header: '问题' }],
    ];
    expect(cells(readDocument(makeRtf(blocks), { path: 'a.rtf' }))).toEqual(want);
    expect(cells(await readDocumentAsync(makeWordBinary(['一、整改情况', { table: blocks[1]!.table! }]), { path: 'a.doc' }))).toEqual(want);
  });
});

describe('sheets', () => {
  const ledger = [
    ['某县巡察整改台账'],
    ['序号', '问题', null, '整改措施'],
    [1, '学习不深入。', null, '制定学习计划。'],
    ['一、党的建设方面'],
    [2, null, null, '建立制度。'],
  ];
  const want = [
    ['某县巡察整改台账', '-'],
    ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
    ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
    ['整改措施', { table: 0, row: 0, column: 3, isHeader: true }],
    ['1', { table: 0, row: 1, column: 0, header: '序号' }],
    ['学习不深入。', { table: 0, row: 1, column: 1, header: '问题' }],
    ['制定学习计划。', { table: 0, row: 1, column: 3, header: '整改措施' }],
    // A row of one cell inside the ledger (a section title) leaves the table open: the rows after it keep the header.
    ['一、党的建设方面', '-'],
    ['2', { table: 0, row: 2, column: 0, header: '序号' }],
    ['建立制度。', { table: 0, row: 2, column: 3, header: '整改措施' }],
  ];
  it('.xlsx: a cell\'s column is the sheet\'s (empty columns skipped); a section row keeps the table and its header', async () => {
    expect(cells(readDocument(await makeXlsx([{ name: 'S', rows: ledger }]), { path: 'a.xlsx' }))).toEqual(want);
  });
  it('.xls: the same', () => {
    expect(cells(readDocument(makeXls([{ name: 'S', rows: ledger }]), { path: 'a.xls' }))).toEqual(want);
  });
  it('merged cells: a header merged across two columns heads both; a cell merged across two headers has none', async () => {
    const rows = [
      ['序号', '整改措施', null, '时限'],
      [1, '建立制度。', '开展检查。', '六月'],
      [2, '两项问题已一并整改。', null, '七月'],
      ['合计', '两项均已整改完成', null, null],
    ];
    const want = [
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['整改措施', { table: 0, row: 0, column: 1, isHeader: true }],
      ['时限', { table: 0, row: 0, column: 3, isHeader: true }],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['建立制度。', { table: 0, row: 1, column: 1, header: '整改措施' }],
      ['开展检查。', { table: 0, row: 1, column: 2, header: '整改措施' }],
      ['六月', { table: 0, row: 1, column: 3, header: '时限' }],
      ['2', { table: 0, row: 2, column: 0, header: '序号' }],
      ['两项问题已一并整改。', { table: 0, row: 2, column: 1, header: '整改措施' }],
      ['七月', { table: 0, row: 2, column: 3, header: '时限' }],
      ['合计', { table: 0, row: 3, column: 0, header: '序号' }],
      // B4:D4 runs across 整改措施 and 时限.
      ['两项均已整改完成', { table: 0, row: 3, column: 1 }],
    ];
    const xlsx = await makeXlsx([{ name: 'S', rows, merges: ['B1:C1', 'B3:C3', 'B4:D4'] }]);
    expect(cells(readDocument(xlsx, { path: 'a.xlsx' }))).toEqual(want);
    const xls = makeXls([{ name: 'S', rows, merges: [[0, 0, 1, 2], [2, 2, 1, 2], [3, 3, 1, 3]] }]);
    expect(cells(readDocument(xls, { path: 'a.xls' }))).toEqual(want);
  });

  it('一 in 序号 and the section title merged across the other columns (.xlsx, .xls) is a line of the sheet\'s table; in a .csv, without a merge, a row', async () => {
    const rows = [
      ['序号', '问题', '整改措施', '责任单位'],
      ['一', '作风建设方面', null, null],
      [1, '会议多。', '精简会议。', '县委办'],
    ];
    const texts = (doc: DocumentModel): string[] => cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.header ? `<${c.header}` : ''}`));
    const want = ['序号@0.0', '问题@0.1', '整改措施@0.2', '责任单位@0.3', '一\t作风建设方面', '1@1.0<序号', '会议多。@1.1<问题', '精简会议。@1.2<整改措施', '县委办@1.3<责任单位'];
    const xlsx = readDocument(await makeXlsx([{ name: 'S', rows, merges: ['B2:D2'] }]), { path: 'a.xlsx' });
    expect(texts(xlsx)).toEqual(want);
    expect(xlsx.units.find((u) => u.text === '会议多。')!.headingPath).toEqual(['一\t作风建设方面']);
    expect(texts(readDocument(makeXls([{ name: 'S', rows, merges: [[1, 1, 1, 3]] }]), { path: 'a.xls' }))).toEqual(want);
    const csv = rows.map((r) => r.map((c) => c ?? '').join(',')).join('\n') + '\n';
    expect(texts(readDocument(utf8(csv), { path: 'a.csv' }))[5]).toBe('作风建设方面@1.1<问题');
  });

  it('two header rows in a sheet: merged (.xlsx, .xls) or the group header written once with its neighbour left empty (.csv)', async () => {
    const rows = [
      ['序号', '问题', '整改情况', null, '责任单位'],
      [null, null, '整改措施', '完成时限', null],
      [1, '学习不深入。', '制定计划。', '六月', '县委办'],
      [2, '台账不全。', '补齐台账。', '七月', '县财政局'],
    ];
    const texts = (doc: DocumentModel): string[] => cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.row}.${c.column}${c.isHeader ? ':H' : ''}${c.header ? `<${c.header}` : ''}`));
    const want = [
      '序号@0.0:H', '问题@0.1:H', '整改情况@0.2:H', '责任单位@0.4:H', '整改措施@1.2:H', '完成时限@1.3:H',
      '1@2.0<序号', '学习不深入。@2.1<问题', '制定计划。@2.2<整改措施', '六月@2.3<完成时限', '县委办@2.4<责任单位',
      '2@3.0<序号', '台账不全。@3.1<问题', '补齐台账。@3.2<整改措施', '七月@3.3<完成时限', '县财政局@3.4<责任单位',
    ];
    expect(texts(readDocument(await makeXlsx([{ name: 'S', rows, merges: ['A1:A2', 'B1:B2', 'C1:D1', 'E1:E2'] }]), { path: 'a.xlsx' }))).toEqual(want);
    expect(texts(readDocument(makeXls([{ name: 'S', rows, merges: [[0, 1, 0, 0], [0, 1, 1, 1], [0, 0, 2, 3], [0, 1, 4, 4]] }]), { path: 'a.xls' }))).toEqual(want);
    const csv = rows.map((r) => r.map((c) => c ?? '').join(',')).join('\n') + '\n';
    expect(texts(readDocument(utf8(csv), { path: 'a.csv' }))).toEqual(want);
  });

  it('two sheets are two tables', async () => {
    const sheets = [{ name: '甲', rows: [['问题', '措施'], ['甲。', '乙。']] }, { name: '乙', rows: [['问题', '措施'], ['丙。', '丁。']] }];
    for (const bytes of [await makeXlsx(sheets), makeXls(sheets)]) {
      const doc = readDocument(bytes, { path: bytes[0] === 0x50 ? 'a.xlsx' : 'a.xls' });
      expect(cells(doc).map(([t, c]) => (c === '-' ? t : `${t}@${c.table}.${c.row}`))).toEqual(['甲', '问题@0.0', '措施@0.0', '甲。@0.1', '乙。@0.1', '乙', '问题@1.0', '措施@1.0', '丙。@1.1', '丁。@1.1']);
    }
  });
});

describe('Markdown and text', () => {
  it('an HTML table in a Markdown file has the cells the same table has in a web page (spans, <thead>, <th>, a header found by its shape), numbered with the GFM tables', () => {
    const tables = [
      `<table><thead>${row(th('序号'), th('问题类别'), th('具体问题'), th('整改措施'))}</thead><tbody>${row(td('1'), td('作风建设方面', ' rowspan="2"'), td('<p>接待超标准。</p><p>公车私用。</p>'), td('全额清退。'))}${row(td('2'), td('会议多。'), td(''))}${row(td('合计'), td('两项均已整改。', ' colspan="3"'))}</tbody></table>`,
      `<table>${row(th('问题'), th('整改情况', ' colspan="2"'))}${row(td('学习不深入。'), td('已建立制度。'), td('长期坚持'))}</table>`,
      `<table>${row(td('序号'), td('问题'), td('责任单位'))}${row(td('1'), td('台账不全。'), td('县委办'))}</table>`,
      `<table>${row(td('甲。'), td('乙。'))}</table>`,
      `<table>${row(th('序号', ' rowspan="2"'), th('问题', ' rowspan="2"'), th('整改情况', ' colspan="2"'))}${row(th('整改措施'), th('完成时限'))}${row(td('1'), td('台账不全。'), td('补齐台账。'), td('七月'))}</table>`,
      `<table>${row(th('序号'), th('问题'), th('整改措施'))}${row(td('一、作风建设方面', ' colspan="3"'))}${row(td('1'), td('会议多。'), td('精简会议。'))}${row(td(''), td(''), td(''))}${row(td('合计', ' colspan="3"'))}</table>`,
    ];
    const page = cells(html(tables.join('')));
    const md = cells(readDocument(utf8(`${tables.join('\n\n')}\n`), { path: 'a.md' }));
    expect(md).toEqual(page);
    expect(md.filter(([, c]) => c !== '-' && c.header !== undefined).length).toBeGreaterThan(8);
    // A header cell of lines (<br>, <p>) is read as a page reads it: its cells below have the same header text (the
    // units of the header cell itself stay slices of the file, one a block).
    const lined = `<table>${row(th('整改<br>情况'), th('<p>存在</p><p>问题</p>'))}${row(td('甲。'), td('乙。'))}</table>`;
    const headersOf = (doc: DocumentModel): (string | undefined)[] => doc.units.filter((u) => u.cell && !u.cell.isHeader).map((u) => u.cell!.header);
    expect(headersOf(readDocument(utf8(`${lined}\n`), { path: 'a.md' }))).toEqual(['整改 情况', '存在 问题']);
    expect(headersOf(html(lined))).toEqual(['整改 情况', '存在 问题']);
    // A GFM table before them is table 0: theirs come after it.
    const mixed = cells(readDocument(utf8(`| 问题 | 措施 |\n|---|---|\n| 甲。 | 乙。 |\n\n${tables[2]}\n`), { path: 'a.md' }));
    expect(mixed.map(([t, c]) => (c === '-' ? t : `${t}@${c.table}.${c.row}.${c.column}`))).toEqual(['问题@0.0.0', '措施@0.0.1', '甲。@0.1.0', '乙。@0.1.1', '序号@1.0.0', '问题@1.0.1', '责任单位@1.0.2', '1@1.1.0', '台账不全。@1.1.1', '县委办@1.1.2']);
  });

  it('an HTML table in a Markdown file: 一 in 序号 and the section title merged across the other columns is no row, as in a web page; the number and the title are paragraphs of their own (a unit is a stretch of the file), the title a heading of the rows below', () => {
    const table = `<table>${row(th('序号'), th('问题'), th('整改措施'))}${row(td('一'), td('作风建设方面', ' colspan="2"'))}${row(td('1'), td('会议多。'), td('精简会议。'))}${row(td('二、'), td('选人用人方面', ' colspan="2"'))}${row(td('2'), td('档案不全。'), td('补齐。'))}</table>`;
    const md = readDocument(utf8(`# 整改台账\n\n${table}\n`), { path: 'a.md' });
    const page = html(`<h1>整改台账</h1>${table}`);
    const rowsOf = (doc: DocumentModel): [string, TableCell | '-'][] => cells(doc).filter(([, c]) => c !== '-');
    expect(rowsOf(md)).toEqual(rowsOf(page));
    expect(md.units.filter((u) => !u.cell).map((u) => u.text)).toEqual(['整改台账', '一', '作风建设方面', '二、', '选人用人方面']);
    expect(md.units.find((u) => u.text === '会议多。')!.headingPath).toEqual(['整改台账', '作风建设方面']);
    expect(md.units.find((u) => u.text === '档案不全。')!.headingPath).toEqual(['整改台账', '选人用人方面']);
  });

  it('a GFM table: its first row is the header, an empty cell keeps the columns of the cells after it', () => {
    const doc = readDocument(utf8('# 整改情况\n\n| 序号 | 问题 | 措施 |\n|---|---|---|\n| 1 | 学习不深入。 | 制定计划。 |\n|  |  | 建立制度。 |\n'), { path: 'a.md' });
    expect(cells(doc)).toEqual([
      ['整改情况', '-'],
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['措施', { table: 0, row: 0, column: 2, isHeader: true }],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['学习不深入。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['制定计划。', { table: 0, row: 1, column: 2, header: '措施' }],
      ['建立制度。', { table: 0, row: 2, column: 2, header: '措施' }],
    ]);
  });

  it('a GFM table with a footnote reference: the header is the header cell as read, without the reference', () => {
    const doc = readDocument(utf8('| 问题 | 措施[^1] |\n|---|---|\n| 学习不深入。 | 制定计划。 |\n\n[^1]: 截至六月底。\n'), { path: 'a.md' });
    expect(cells(doc).slice(2)).toEqual([
      ['学习不深入。', { table: 0, row: 1, column: 0, header: '问题' }],
      ['制定计划。', { table: 0, row: 1, column: 1, header: '措施' }],
    ]);
  });

  it('two GFM tables are tables 0 and 1', () => {
    const doc = readDocument(utf8('| 问题 | 措施 |\n|---|---|\n| 甲。 | 乙。 |\n\n说明。\n\n| 问题 | 措施 |\n|---|---|\n| 丙。 | 丁。 |\n'), { path: 'a.md' });
    expect(doc.units.map((u) => u.cell?.table ?? '-')).toEqual([0, 0, 0, 0, '-', 1, 1, 1, 1]);
  });

  it('text input never gets cells, even of tab-separated lines', () => {
    const doc = readDocument(utf8('序号\t问题\t措施\n1\t学习不深入。\t制定计划。\n'), { path: 'a.txt' });
    expect(doc.units.length).toBeGreaterThan(0);
    expect(doc.units.every((u) => !('cell' in u))).toBe(true);
  });
});

describe('PDF tables', () => {
  const SIZE = 10.5;
  /** A cell's text wrapped onto lines of `per` characters from its top left corner. */
  const cellRuns = (text: string, left: number, top: number, per: number): PdfTextItem[] => {
    const out: PdfTextItem[] = [];
    for (let i = 0, line = 0; i < text.length; i += per, line++) {
      const s = text.slice(i, i + per);
      out.push({ str: s, x: left + 3, y: top - 3 - SIZE - line * 1.4 * SIZE, width: s.length * SIZE, height: SIZE });
    }
    return out;
  };
  /** A ruled grid: vertical rules at `xs`, horizontal ones at `ys` (top down); `merged` leaves out the vertical rule i along row r (`i:r`). */
  const gridRules = (xs: number[], ys: number[], merged: Set<string> = new Set()): PdfRule[] => [
    ...xs.flatMap((x, i) => ys.slice(1).flatMap((y, r) => (merged.has(`${i}:${r}`) ? [] : [{ x0: x, y0: y, x1: x, y1: ys[r]! }]))),
    ...ys.map((y) => ({ x0: xs[0]!, y0: y, x1: xs[xs.length - 1]!, y1: y })),
  ];
  const XS = [60, 100, 300, 540];
  const HEAD = ['序号', '问题', '整改措施'];
  const ledgerPage = (rows: string[][], ys: number[], merged?: Set<string>): PdfPageText => ({
    width: 595,
    height: 842,
    items: rows.flatMap((r, i) => r.flatMap((text, c) => cellRuns(text, XS[c]!, ys[i]!, c === 0 ? 3 : 18))),
    rules: gridRules(XS, ys, merged),
  });
  const summary = (doc: DocumentModel): string[] =>
    doc.units.map((u) => (u.cell ? `${u.text}@${u.cell.table}.${u.cell.row}.${u.cell.column}${u.cell.isHeader ? 'H' : ''}${u.cell.header ? `<${u.cell.header}` : ''}` : u.text));

  it('a ruled table over two pages: its header repeated on page 2 is read once, rows go on numbering, one table', () => {
    const p1 = ledgerPage([HEAD, ['1', '学习不深入。', '制定计划。'], ['2', '制度不健全。', '建立制度。']], [700, 680, 640, 600]);
    const p2 = ledgerPage([HEAD, ['3', '违规发放津贴。', '全额清退。']], [800, 780, 740]);
    const doc = parseExtracted(layoutPdf([p1, p2]), { format: 'pdf' });
    expect(summary(doc)).toEqual([
      '序号@0.0.0H', '问题@0.0.1H', '整改措施@0.0.2H',
      '1@0.1.0<序号', '学习不深入。@0.1.1<问题', '制定计划。@0.1.2<整改措施',
      '2@0.2.0<序号', '制度不健全。@0.2.1<问题', '建立制度。@0.2.2<整改措施',
      '3@0.3.0<序号', '违规发放津贴。@0.3.1<问题', '全额清退。@0.3.2<整改措施',
    ]);
    expect(doc.units.map((u) => u.page)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]);
  });

  it("a ruled row cut by the page break, as Word and LibreOffice draw it (each part boxed), is joined with its rest at the next page's top", () => {
    // Page 1 ends with row 2 whose 整改措施 broke after 召开专题民主生; page 2 opens with the row's rest, boxed alone
    // (one cell of text), then the text below the table.
    const p1 = ledgerPage([HEAD, ['1', '学习不深入。', '制定计划。'], ['2', '财务管理不规范。', '召开专题民主生']], [700, 680, 640, 600]);
    const rest = ledgerPage([['', '', '活会。']], [800, 780]);
    const below = { str: '三、下一步工作打算', x: 90, y: 740, width: 9 * SIZE, height: SIZE };
    const doc = parseExtracted(layoutPdf([p1, { ...rest, items: [...rest.items, below] }]), { format: 'pdf' });
    expect(summary(doc)).toEqual([
      '序号@0.0.0H', '问题@0.0.1H', '整改措施@0.0.2H',
      '1@0.1.0<序号', '学习不深入。@0.1.1<问题', '制定计划。@0.1.2<整改措施',
      '2@0.2.0<序号', '财务管理不规范。@0.2.1<问题', '召开专题民主生活会。@0.2.2<整改措施',
      '三、下一步工作打算',
    ]);
    // The joined row is read where it starts, on page 1.
    expect(doc.units.map((u) => u.page)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
    // Drawn without a rule at the cut (its vertical rules run up past its one horizontal rule), the same.
    const open = { ...rest, items: [...rest.items, below], rules: rest.rules!.filter((r) => !(r.y0 === 800 && r.y1 === 800)).map((r) => (r.x0 === r.x1 ? { ...r, y1: 812 } : r)) };
    expect(open.rules.filter((r) => r.y0 === r.y1)).toHaveLength(1);
    expect(summary(parseExtracted(layoutPdf([p1, open]), { format: 'pdf' }))).toEqual(summary(doc));
  });

  it('a ruled row cut by the page break under a category merged down the rows is joined by grid column, cut after a ；', () => {
    // 类别 | 序号 | 问题 | 整改措施; 作风建设 spans rows 1 and 2, so row 2 has three cells on page 1; its rest on page 2
    // is boxed in all four columns. 精简文件； broke after its ；.
    const X4 = [60, 130, 160, 350, 540];
    const full = (y: number): PdfRule => ({ x0: X4[0]!, y0: y, x1: X4[4]!, y1: y });
    const verticals = (top: number, bottom: number): PdfRule[] => X4.map((x) => ({ x0: x, y0: bottom, x1: x, y1: top }));
    const runsAt = (cells: [string, number][], top: number): PdfTextItem[] => cells.flatMap(([text, c]) => cellRuns(text, X4[c]!, top, c === 1 ? 2 : 15));
    const p1: PdfPageText = {
      width: 595,
      height: 842,
      items: [
        ...runsAt([['类别', 0], ['序号', 1], ['问题', 2], ['整改措施', 3]], 700),
        ...runsAt([['作风建设', 0], ['1', 1], ['会议多。', 2], ['精简会议。', 3]], 680),
        ...runsAt([['2', 1], ['文件多，基层反', 2], ['精简文件；', 3]], 640),
      ],
      rules: [full(700), full(680), { x0: X4[1]!, y0: 640, x1: X4[4]!, y1: 640 }, full(600), ...verticals(700, 600)],
    };
    const p2: PdfPageText = { width: 595, height: 842, items: runsAt([['映强烈。', 2], ['压减发文数量。', 3]], 800), rules: [full(800), full(780), ...verticals(800, 780)] };
    const doc = parseExtracted(layoutPdf([p1, p2]), { format: 'pdf' });
    // One cell of row 2 each (its ； parts two units of the one cell).
    expect(summary(doc).slice(4)).toEqual(['作风建设@0.1.0<类别', '1@0.1.1<序号', '会议多。@0.1.2<问题', '精简会议。@0.1.3<整改措施', '2@0.2.1<序号', '文件多，基层反映强烈。@0.2.2<问题', '精简文件；@0.2.3<整改措施', '压减发文数量。@0.2.3<整改措施']);
  });

  it('a row at the top of a page that leaves 序号 blank under a row whose cells end their sentences is a row of its own', () => {
    // A category cell merged down the rows leaves 序号 blank too (here its text on page 1 only); the row above ends its
    // sentences (。), and its 责任单位-like cells are filled on both rows.
    const head = ['类别', '问题', '整改措施'];
    const p1 = ledgerPage([head, ['作风建设', '会议多。', '精简会议。']], [700, 680, 640]);
    const p2 = ledgerPage([['', '文件多。', '精简文件。']], [800, 780]);
    const doc = parseExtracted(layoutPdf([p1, p2]), { format: 'pdf' });
    expect(summary(doc).slice(3)).toEqual(['作风建设@0.1.0<类别', '会议多。@0.1.1<问题', '精简会议。@0.1.2<整改措施', '文件多。@0.2.1<问题', '精简文件。@0.2.2<整改措施']);
  });

  it('a box with text in one cell is read as lines where it is no rest of a row: atop the first page, or below text on the next', () => {
    const box = ledgerPage([['', '', '注：本表由县委巡察办汇总。']], [800, 780]);
    expect(summary(parseExtracted(layoutPdf([box]), { format: 'pdf' }))).toEqual(['注：本表由县委巡察办汇总。']);
    const p1 = ledgerPage([HEAD, ['1', '学习不深入。', '制定计划']], [700, 680, 640]);
    const above = { str: '附件2', x: 60, y: 810, width: 3 * SIZE, height: SIZE };
    const p2 = ledgerPage([['', '', '注：本表由县委巡察办汇总。']], [790, 770]);
    const doc = parseExtracted(layoutPdf([p1, { ...p2, items: [above, ...p2.items] }]), { format: 'pdf' });
    expect(summary(doc).slice(6)).toEqual(['附件2', '注：本表由县委巡察办汇总。']);
  });

  it('a ruled table with a cell merged across two columns: the cells after it keep their grid columns', () => {
    // Row 2's 问题 and 整改措施 are one cell (no rule between them along that row); row 3 is whole again.
    const rows = [HEAD, ['1', '学习不深入。', '制定计划。'], ['2', '两项问题已一并整改。'], ['3', '违规发放津贴。', '全额清退。']];
    const page = ledgerPage(rows, [700, 680, 640, 600, 560], new Set(['2:2']));
    const doc = parseExtracted(layoutPdf([page]), { format: 'pdf' });
    expect(summary(doc).slice(6)).toEqual(['2@0.2.0<序号', '两项问题已一并整改。@0.2.1', '3@0.3.0<序号', '违规发放津贴。@0.3.1<问题', '全额清退。@0.3.2<整改措施']);
    // 序号 and 问题 merged in row 2: its 整改措施 is still column 2.
    const first = ledgerPage([HEAD, ['1', '学习不深入。', '制定计划。'], ['合计', '', '均已整改。'], ['3', '违规发放津贴。', '全额清退。']], [700, 680, 640, 600, 560], new Set(['1:2']));
    expect(summary(parseExtracted(layoutPdf([first]), { format: 'pdf' })).slice(6, 8)).toEqual(['合计@0.2.0', '均已整改。@0.2.2<整改措施']);
  });

  it('OFD: the same ruled table over two pages (with a merged cell) reads the same cells as the PDF pages', async () => {
    const p1 = ledgerPage([HEAD, ['1', '学习不深入。', '制定计划。'], ['合计', '', '均已整改。']], [700, 680, 640, 600], new Set(['1:2']));
    const p2 = ledgerPage([HEAD, ['3', '违规发放津贴。', '全额清退。']], [800, 780, 740]);
    const pdf = parseExtracted(layoutPdf([p1, p2]), { format: 'pdf' });
    const ofd = await readDocumentAsync(await ofdOfPages([p1, p2], [p1, p2].map((p) => ofdRulePaths(p.rules!, p.height))), { path: 'a.ofd' });
    expect(summary(ofd)).toEqual(summary(pdf));
    expect(summary(ofd)).toEqual([
      '序号@0.0.0H', '问题@0.0.1H', '整改措施@0.0.2H',
      '1@0.1.0<序号', '学习不深入。@0.1.1<问题', '制定计划。@0.1.2<整改措施',
      '合计@0.2.0', '均已整改。@0.2.2<整改措施',
      '3@0.3.0<序号', '违规发放津贴。@0.3.1<问题', '全额清退。@0.3.2<整改措施',
    ]);
  });

  it('a borderless table over two pages: the header once, one table, rows numbered on', () => {
    const setting = { per: [3, 16, 14], colGap: 12, rowGap: 8, middle: false };
    const head = ['序号', '反馈问题', '整改措施'];
    const rows = [
      ['1', '学习贯彻不够深入，理论学习中心组学习流于形式。', '制定年度学习计划，每月开展一次集中学习研讨。'],
      ['2', '落实中央八项规定精神不严格，存在违规发放津补贴问题。', '全额清退违规发放的津补贴，对相关责任人进行诫勉谈话。'],
      ['3', '基层党组织建设薄弱，“三会一课”制度落实不到位。', '开展基层党组织标准化规范化建设。'],
    ];
    const p1 = setTable([head, rows[0]!, rows[1]!], setting, 700);
    const p2 = setTable([head, rows[2]!], setting, 780);
    const doc = parseExtracted(layoutPdf([{ width: 595, height: 842, items: p1.items }, { width: 595, height: 842, items: p2.items }]), { format: 'pdf' });
    const got = doc.units.filter((u) => u.cell).map((u) => [u.cell!.table, u.cell!.row, u.cell!.column, u.cell!.header ?? (u.cell!.isHeader ? 'H' : '')]);
    expect(got.filter((g) => g[1] === 0)).toEqual([[0, 0, 0, 'H'], [0, 0, 1, 'H'], [0, 0, 2, 'H']]);
    expect(new Set(got.map((g) => g[0]))).toEqual(new Set([0]));
    expect([...new Set(got.map((g) => g[1]))]).toEqual([0, 1, 2, 3]);
    expect(got.filter((g) => g[1] === 3).map((g) => g[3])).toEqual(['序号', '反馈问题', '整改措施']);
  });

  const chromium = findChromium();
  it.skipIf(!chromium || !hasCjkFont())('a page printed by Chromium gives the cells of its HTML: a title row, colspan and rowspan', async () => {
    const page =
      `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} table{border-collapse:collapse} td,th{border:1px solid #000;padding:6pt}</style></head><body><p>一、整改情况</p><table>` +
      `${row(td('某县巡察整改台账', ' colspan="4"'))}${row(th('序号'), th('问题'), th('整改措施'), th('时限'))}${row(td('1'), td('学习不深入。'), td('制定计划。'), td('六月'))}` +
      `${row(td('合计两项', ' colspan="2"'), td('均已整改。'), td('七月'))}${row(td('3', ' rowspan="2"'), td('违规发放津贴。'), td('全额清退。'), td('八月'))}${row(td('档案混乱。'), td('建立制度。'), td('九月'))}</table></body></html>`;
    const pdf = await readDocumentAsync(printPdf(chromium!, page), { path: 'a.pdf' });
    expect(cells(pdf)).toEqual(cells(readDocument(utf8(page), { path: 'a.html' })));
    expect(cells(pdf).find(([t]) => t === '均已整改。')![1]).toEqual({ table: 0, row: 3, column: 2, header: '整改措施' });
  });

  it.skipIf(!chromium || !hasCjkFont())('a landscape ledger printed by Chromium over pages gives the cells of its HTML: a head of two rows on each page, each category merged down its rows over the breaks (its cell left open at the foot), measures as paragraphs', async () => {
    const categories = ['政治建设方面', '组织建设方面', '作风建设方面', '纪律建设方面'];
    const measures = (n: number): string => Array.from({ length: 3 }, (_, k) => `<p>${k + 1}.第${n}项问题的第${k + 1}条整改措施，明确责任分工和完成时限，确保整改到位。</p>`).join('');
    let n = 0;
    const body = categories
      .map((c) =>
        Array.from({ length: 4 }, (_, i) => {
          n++;
          return row(td(String(n)), ...(i === 0 ? [td(c, ' rowspan="4"')] : []), td(`第${n}项问题：落实主体责任不到位，整改措施针对性不强。`), td(measures(n)), td('张明'), td('县财政局'), td('长期坚持'), td('持续推进'));
        }).join(''),
      )
      .join('');
    const head =
      row(th('序号', ' rowspan="2"'), th('问题类别', ' rowspan="2"'), th('巡察反馈问题', ' rowspan="2"'), th('整改措施', ' rowspan="2"'), th('责任主体', ' colspan="2"'), th('完成时限', ' rowspan="2"'), th('整改进展', ' rowspan="2"')) +
      row(th('责任领导'), th('责任单位'));
    const page = `<!doctype html><html><head><meta charset="utf-8"><style>@page{size:A4 landscape;margin:2cm} body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} table{border-collapse:collapse;width:100%} td,th{border:0.5pt solid #000;padding:3pt;vertical-align:top} p{margin:0}</style></head><body><p>附件</p><table><thead>${head}</thead><tbody>${body}</tbody></table><p>注：以上整改事项均已按期推进。</p></body></html>`;
    const pdf = await readDocumentAsync(printPdf(chromium!, page), { path: 'a.pdf' });
    expect(new Set(pdf.units.map((u) => u.page)).size).toBeGreaterThan(2);
    expect(cells(pdf)).toEqual(cells(readDocument(utf8(page), { path: 'a.html' })));
  });

  it.skipIf(!chromium || !hasCjkFont())('a ledger printed by Chromium over two pages (its <thead> on each page): one table, the header once, rows numbered on', async () => {
    const rows = Array.from({ length: 36 }, (_, i) => `<tr><td>${i + 1}</td><td>第${i + 1}项问题整改不到位。</td><td>第${i + 1}项措施已落实。</td></tr>`).join('');
    const page = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} table{border-collapse:collapse} td,th{border:1px solid #000;padding:6pt}</style></head><body><p>一、整改情况</p><table><thead><tr><th>序号</th><th>问题</th><th>整改措施</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
    const doc = await readDocumentAsync(printPdf(chromium!, page), { path: 'a.pdf' });
    const inTable = doc.units.filter((u) => u.cell);
    expect(new Set(doc.units.map((u) => u.page))).toEqual(new Set([1, 2]));
    expect(new Set(inTable.map((u) => u.cell!.table))).toEqual(new Set([0]));
    expect(inTable.filter((u) => u.cell!.isHeader).map((u) => u.text)).toEqual(['序号', '问题', '整改措施']);
    expect(inTable.filter((u) => u.cell!.column === 0).map((u) => [u.text, u.cell!.row])).toEqual([['序号', 0], ...Array.from({ length: 36 }, (_, i) => [String(i + 1), i + 1])]);
    expect(inTable.filter((u) => u.cell!.row > 0).every((u) => u.cell!.header === ['序号', '问题', '整改措施'][u.cell!.column])).toBe(true);
  });
});

describe('any sequence of rows and lines', () => {
  type Op = { row: string[]; header: boolean; gaps: number[] } | { across: string; span: number; at: number } | { lead: string; title: string; span: number } | { body: string } | 'end';
  const cellText = fc.constantFrom('', '问题', '措施', '序号', '学习不深入。制度不全。', '甲，乙。', '合计：两项', '1', 'A b');
  const op: fc.Arbitrary<Op> = fc.oneof(
    { weight: 5, arbitrary: fc.record({ row: fc.array(cellText, { minLength: 1, maxLength: 5 }), header: fc.boolean(), gaps: fc.array(fc.nat(2), { minLength: 5, maxLength: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ body: fc.constantFrom('说明。', '一、整改情况') }) },
    // A row of one cell, merged across `span` columns from column `at`.
    { weight: 2, arbitrary: fc.record({ across: fc.constantFrom('二、作风建设方面', '合计：两项。'), span: fc.integer({ min: 1, max: 12 }), at: fc.constantFrom(0, 0, 1) }) },
    // A 序号 cell (a Chinese number, an Arabic one, other text or nothing) and a cell merged across `span` columns after it.
    { weight: 2, arbitrary: fc.record({ lead: fc.constantFrom('一', '（二）', '五、', '', '1', '甲'), title: fc.constantFrom('作风建设方面', '合计：两项。'), span: fc.integer({ min: 1, max: 12 }) }) },
    { weight: 1, arbitrary: fc.constant('end' as const) },
  );
  it('property: tables numbered in order, rows counted on within a table, two header rows a table at most (one after the other), each unit its own cell', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const out = new ExtractedTextBuilder();
        let block = 0;
        // What each row line should be: its table (by the builder's rules) and its cells' texts and columns.
        const expected: { table: number; texts: string[]; columns: number[] }[] = [];
        let tables = 0;
        let open = -1;
        // Where the open table's rows of two cells or more with text reach (0: none yet), and the rows of one cell
        // merged across all of it, which become lines of the table.
        let width = 0;
        const lines: string[] = [];
        for (const o of ops) {
          if (o === 'end') {
            out.endTable();
            open = -1;
            width = 0;
          } else if ('body' in o) {
            if (out.add(o.body, 'body', block++)) {
              open = -1;
              width = 0;
            }
          } else if ('across' in o) {
            expect(out.addRow([o.across], block++, { columns: [o.at], spans: [o.span] })).toBe(true);
            if (open >= 0 && width >= 2 && o.at === 0 && o.span >= width) lines.push(o.across);
            else {
              if (open < 0) open = tables++;
              expected.push({ table: open, texts: [o.across], columns: [o.at] });
            }
          } else if ('lead' in o) {
            expect(out.addRow([o.lead, o.title], block++, { columns: [0, 1], spans: [1, o.span] })).toBe(true);
            const numbered = ['一', '（二）', '五、'].includes(o.lead);
            if (open >= 0 && width >= 2 && o.span >= 2 && 1 + o.span >= width && (numbered || o.lead === '')) lines.push(numbered ? `${o.lead}\t${o.title}` : o.title);
            else {
              if (open < 0) open = tables++;
              expected.push({ table: open, texts: [o.lead, o.title], columns: [0, 1] });
              if (o.lead !== '') width = Math.max(width, 1 + o.span);
            }
          } else {
            const columns: number[] = [];
            let c = 0;
            o.row.forEach((_, k) => {
              c += o.gaps[k]!;
              columns.push(c++);
            });
            if (out.addRow(o.row, block++, { columns, header: o.header })) {
              if (open < 0) open = tables++;
              expected.push({ table: open, texts: o.row, columns });
              if (o.row.filter((t) => t.trim() !== '').length >= 2) width = Math.max(width, columns[columns.length - 1]! + 1);
            }
          }
        }
        const doc = parseExtracted(out.finish(), { format: 'html' });
        const inCells = doc.units.filter((u) => u.cell);
        // Units of rows: each in one cell of its row, with that cell's column and its row's table.
        const tableSeen: number[] = [];
        for (const u of inCells) {
          const cell = u.cell!;
          if (!tableSeen.includes(cell.table)) tableSeen.push(cell.table);
          if (cell.isHeader) expect(cell.header).toBeUndefined();
        }
        expect(tableSeen).toEqual([...tableSeen].sort((a, b) => a - b));
        expect(new Set(inCells.map((u) => u.cell!.table))).toEqual(new Set(expected.filter((e) => e.texts.some((t) => t.trim() !== '')).map((e) => e.table)));
        // Rows of a table: 0, 1, 2… in order; its header row one at most, every `header` a text of that row's cells.
        for (let t = 0; t < tables; t++) {
          const units = inCells.filter((u) => u.cell!.table === t);
          const rows = [...new Set(units.map((u) => u.cell!.row))];
          expect(rows).toEqual([...rows].sort((a, b) => a - b));
          const lines = expected.filter((e) => e.table === t);
          expect(rows.every((r) => r < lines.length)).toBe(true);
          const headerRows = [...new Set(units.filter((u) => u.cell!.isHeader).map((u) => u.cell!.row))].sort((a, b) => a - b);
          expect(headerRows.length).toBeLessThanOrEqual(2);
          if (headerRows.length === 2) expect(headerRows[1]).toBe(headerRows[0]! + 1);
          const h = headerRows[headerRows.length - 1];
          for (const u of units) {
            const line = lines[u.cell!.row]!;
            expect(line.columns).toContain(u.cell!.column);
            expect(line.texts[line.columns.indexOf(u.cell!.column)]).toContain(u.text);
            if (u.cell!.header !== undefined) {
              expect(h).toBeDefined();
              expect(u.cell!.row).toBeGreaterThan(h!);
              expect(headerRows.flatMap((r) => lines[r]!.texts.map((x) => x.trim()))).toContain(u.cell!.header);
            }
          }
        }
        // No two units share a cell object.
        expect(new Set(inCells.map((u) => u.cell)).size).toBe(inCells.length);
        // Units of body lines have none; so do the rows of one cell merged across their table's width, each read once,
        // as it was written.
        expect(doc.units.filter((u) => !u.cell).every((u) => ['说明。', '一、整改情况', ...lines].includes(u.text))).toBe(true);
        expect(doc.units.filter((u) => !u.cell && lines.includes(u.text)).map((u) => u.text)).toEqual(lines);
      }),
      { numRuns: 300 },
    );
  });
});
