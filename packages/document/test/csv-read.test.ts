import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { csvDelimiter, extractCsv, unclosedQuote } from '../src/csv-read.js';
import { readDocument, sniffFormat } from '../src/index.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const lines = (text: string, path = 'a.csv') => {
  const d = extractCsv(text, { path });
  return d.lines.map((l) => ({ kind: l.kind, text: d.text.slice(l.start, l.end), ...(l.cells ? { cells: l.cells.map((c) => d.text.slice(c.start, c.end)) } : {}) }));
};
const failure = (fn: () => unknown): XunshiError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof XunshiError) return e;
    throw e;
  }
  throw new Error('no error');
};

const LEDGER = '整改落实情况台账\n序号,问题,整改措施,责任单位\n1,违规发放津补贴18万元。,"全额清退，对相关责任人诫勉谈话。",县财政局\n2,"选人用人不规范，""带病提拔""时有发生。","修订干部选拔任用办法。\n建立干部档案专审制度。",县委组织部\n';

describe('the delimiter of a .csv', () => {
  it('is the one found as often on most lines, outside quotes; a Chinese comma is text', () => {
    expect(csvDelimiter('问题,整改措施\n违规，严重,清退\n')).toBe(',');
    expect(csvDelimiter('问题\t整改措施\t时限\n违规,严重\t清退,追缴\t6月\n')).toBe('\t');
    expect(csvDelimiter('问题;整改措施\n"违规,严重,多次";清退\n违规;追缴\n')).toBe(';');
    expect(csvDelimiter('问题|整改措施\n违规|清退\n')).toBe('|');
    expect(csvDelimiter('只有一列\n第二行\n')).toBe(',');
  });
});

describe('a delimiter-separated table read as a sheet', () => {
  it('reads each record as a row of cells (quoted commas, doubled quotes, line breaks inside a cell), a one-cell record as a body line', () => {
    expect(lines(LEDGER)).toEqual([
      { kind: 'body', text: '整改落实情况台账' },
      { kind: 'row', text: '序号\t问题\t整改措施\t责任单位', cells: ['序号', '问题', '整改措施', '责任单位'] },
      { kind: 'row', text: '1\t违规发放津补贴18万元。\t全额清退，对相关责任人诫勉谈话。\t县财政局', cells: ['1', '违规发放津补贴18万元。', '全额清退，对相关责任人诫勉谈话。', '县财政局'] },
      {
        kind: 'row',
        text: '2\t选人用人不规范，"带病提拔"时有发生。\t修订干部选拔任用办法。 建立干部档案专审制度。\t县委组织部',
        cells: ['2', '选人用人不规范，"带病提拔"时有发生。', '修订干部选拔任用办法。 建立干部档案专审制度。', '县委组织部'],
      },
    ]);
  });
  it('gives each cell its column and header, and keeps the column of a cell after an empty one', () => {
    const doc = readDocument(utf8('序号,问题,整改措施,完成情况\n1,违规发放津补贴。,,已清退。\n'), { path: 'a.csv' });
    expect(doc.format).toBe('csv');
    expect(doc.units.map((u) => [u.text, u.cell])).toEqual([
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['整改措施', { table: 0, row: 0, column: 2, isHeader: true }],
      ['完成情况', { table: 0, row: 0, column: 3, isHeader: true }],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['违规发放津补贴。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['已清退。', { table: 0, row: 1, column: 3, header: '完成情况' }],
    ]);
    expect(doc.text.slice(doc.units[6]!.start, doc.units[6]!.end)).toBe('已清退。');
  });
  it('decodes as text input does: GB18030 (Excel on a Chinese Windows), a UTF-8 byte-order mark', () => {
    const gbk = new Uint8Array([0xce, 0xca, 0xcc, 0xe2, 0x2c, 0xd5, 0xfb, 0xb8, 0xc4, 0x0a, 0xb3, 0xac, 0xb1, 0xea, 0x2c, 0xc7, 0xe5, 0xcd, 0xcb, 0x0a]); // 问题,整改\n超标,清退\n
    const doc = readDocument(gbk, { path: 'a.csv' });
    expect(doc.encoding).toBe('gb18030');
    expect(doc.units.map((u) => u.text)).toEqual(['问题', '整改', '超标', '清退']);
    const bom = readDocument(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('问题,整改\n超标,清退\n')]), { path: 'a.csv' });
    expect(bom.bom).toBe(true);
    expect(bom.units[0]!.text).toBe('问题');
  });
  it('reads a .tsv by tabs, whatever its commas', () => {
    expect(lines('问题\t整改措施\n违规，严重,多次\t清退\n', 'a.tsv')[1]).toEqual({ kind: 'row', text: '违规，严重,多次\t清退', cells: ['违规，严重,多次', '清退'] });
    expect(sniffFormat(utf8('a\tb\n'), 'a.tsv')).toBe('csv');
    expect(sniffFormat(utf8('a,b\n'), 'a.csv')).toBe('csv');
  });
  it('names the line and column where a quoted cell that never closes opens', () => {
    const e = failure(() => readDocument(utf8('问题,整改\n违规,"清退\n追缴,完成\n'), { path: 'a.csv' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(e.file).toBe('a.csv');
    expect([e.line, e.column]).toEqual([2, 4]);
    expect(e.message).toMatch(/never closed.*line 2, column 4/);
  });
  it('refuses a table that xunshi wrote (a passage or a document CSV), and a table without text', () => {
    const passages = failure(() => readDocument(utf8('document,passage,start,end,function,categories\na.txt,u0,0,4,problem,\n'), { path: 'out.csv' }));
    expect(passages.code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    expect(passages.message).toMatch(/xunshi wrote/);
    expect(failure(() => readDocument(utf8('document,passages,problem,cause\na.txt,3,1,0\n'), { path: 'docs.csv' })).code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    expect(failure(() => readDocument(utf8(',,\n , ,\n'), { path: 'a.csv' })).code).toBe(ERROR_CODES.INPUT_EMPTY);
  });
  it('reads any text without hanging: units are slices of the text, or a clear error; an unclosed quote is found where csv-parse finds one (property)', () => {
    const alphabet = fc.constantFrom(',', '"', '\n', '\r', '\r\n', '\t', ';', '|', ' ', '问', '题', '。', '，', 'a');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }), (chars) => {
        const text = chars.join('');
        const delimiter = csvDelimiter(text);
        let parseFailed = '';
        try {
          parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
        } catch (e) {
          parseFailed = (e as { code?: string }).code ?? 'other';
        }
        if (parseFailed === 'CSV_QUOTE_NOT_CLOSED') expect(unclosedQuote(text, delimiter)).toBeDefined();
        try {
          const doc = readDocument(utf8(text), { path: 'p.csv' });
          for (const u of doc.units) expect(doc.text.slice(u.start, u.end)).toBe(u.text);
        } catch (e) {
          expect(e).toBeInstanceOf(XunshiError);
          expect([ERROR_CODES.INPUT_CORRUPT, ERROR_CODES.INPUT_EMPTY, ERROR_CODES.INPUT_UNSUPPORTED]).toContain((e as XunshiError).code);
        }
      }),
      { numRuns: 500 },
    );
  });
});
