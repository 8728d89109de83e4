import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { elapsedFormat, extractXlsx, formatElapsed, formatIsoDate, formatNumber, formatSerialDate, isDateFormat } from '../src/xlsx-read.js';
import { readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { makeDocx, makeXlsx, makeZeroZip } from './support/fixtures.js';

const lines = async (bytes: Uint8Array | Promise<Uint8Array>) => {
  const d = extractXlsx(await bytes, { path: 'a.xlsx' });
  return d.lines.map((l) => ({ kind: l.kind, text: d.text.slice(l.start, l.end), ...(l.cells ? { cells: l.cells.map((c) => d.text.slice(c.start, c.end)) } : {}) }));
};
const failure = async (fn: () => unknown): Promise<{ code?: string; message?: string; file?: string }> => {
  try {
    await fn();
  } catch (e) {
    return e as { code?: string; message?: string; file?: string };
  }
  return {};
};

const LEDGER = [
  ['某县巡察反馈问题整改台账'],
  ['序号', '存在问题', '整改措施', '责任单位', '完成时限', '整改情况'],
  [1, '选人用人不规范，违规提拔干部3名。', '严格执行干部选拔任用条例，对违规提拔的干部予以纠正。', '县委组织部', { date: 45077 }, '已完成'],
  [2, '违规发放津贴补贴18.5万元。', '全额清退违规发放资金。', '县财政局', { date: 45107, format: 'custom' as const }, null],
];

describe('Excel workbooks', () => {
  it('reads a ledger: a merged title row as a body line, other rows as rows of cells, dates as a reader sees them', async () => {
    expect(await lines(makeXlsx([{ name: 'Sheet1', rows: LEDGER }]))).toEqual([
      { kind: 'body', text: '某县巡察反馈问题整改台账' },
      { kind: 'row', text: '序号\t存在问题\t整改措施\t责任单位\t完成时限\t整改情况', cells: ['序号', '存在问题', '整改措施', '责任单位', '完成时限', '整改情况'] },
      { kind: 'row', text: '1\t选人用人不规范，违规提拔干部3名。\t严格执行干部选拔任用条例，对违规提拔的干部予以纠正。\t县委组织部\t2023年5月31日\t已完成', cells: ['1', '选人用人不规范，违规提拔干部3名。', '严格执行干部选拔任用条例，对违规提拔的干部予以纠正。', '县委组织部', '2023年5月31日', '已完成'] },
      { kind: 'row', text: '2\t违规发放津贴补贴18.5万元。\t全额清退违规发放资金。\t县财政局\t2023年6月30日', cells: ['2', '违规发放津贴补贴18.5万元。', '全额清退违规发放资金。', '县财政局', '2023年6月30日'] },
    ]);
  });
  it('leaves out phonetic guides, error values and empty cells; reads inline strings, booleans and times; cells without references follow in order', async () => {
    const rows = [['巡视', { inline: '内联文本' }, true, { error: '#N/A' }, null, { date: 0.5, format: 'time' as const }]];
    expect(await lines(makeXlsx([{ name: 'S', rows }]))).toEqual([{ kind: 'row', text: '巡视\t内联文本\tTRUE\t12:00', cells: ['巡视', '内联文本', 'TRUE', '12:00'] }]);
    expect(await lines(makeXlsx([{ name: 'S', rows: [['甲', '乙', '丙']], refs: false }]))).toEqual([{ kind: 'row', text: '甲\t乙\t丙', cells: ['甲', '乙', '丙'] }]);
  });
  it('undoes Excel\'s _xHHHH_ escapes (a pasted CRLF is written _x000D_), in shared and inline strings and formula strings', async () => {
    const rows = [['整改措施_x000D_\n第二条', { inline: '责任_x0009_单位' }, '字面_x005F_x000D_'], ['表头', '值']];
    expect(await lines(makeXlsx([{ name: 'S', rows }]))).toEqual([
      { kind: 'row', text: '整改措施 第二条\t责任 单位\t字面_x000D_', cells: ['整改措施 第二条', '责任 单位', '字面_x000D_'] },
      { kind: 'row', text: '表头\t值', cells: ['表头', '值'] },
    ]);
    const zip = await JSZip.loadAsync(await makeXlsx([{ name: 'S', rows: [['甲', '乙']] }]));
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    zip.file('xl/worksheets/sheet1.xml', sheet.replace(/<c r="B1"[^]*?<\/c>/, '<c r="B1" t="str"><f>A1&amp;"_x000D_"</f><v>甲_x000D_乙</v></c>'));
    expect(await lines(zip.generateAsync({ type: 'uint8array' }))).toEqual([{ kind: 'row', text: '甲\t甲 乙', cells: ['甲', '甲 乙'] }]);
  });
  it('reads the line breaks of a row\'s only cell (a note, a merged title) as lines of one block', async () => {
    const d = extractXlsx(await makeXlsx([{ name: 'S', rows: [['一、总体情况\n二、整改落实_x000D_\n（一）措施', null], ['甲', '乙']] }]));
    expect(d.lines.map((l) => [l.kind, l.block, d.text.slice(l.start, l.end)])).toEqual([
      ['body', 0, '一、总体情况'],
      ['body', 0, '二、整改落实'],
      ['body', 0, '（一）措施'],
      ['row', 1, '甲\t乙'],
    ]);
    const doc = readDocument(await makeXlsx([{ name: 'S', rows: [['一、总体情况\n违规发放津贴补贴。'], ['二、整改\n已整改。']] }]), { path: 'a.xlsx' });
    expect(doc.headings.map((h) => h.text)).toEqual(['一、总体情况', '二、整改']);
  });
  it('shows a number in a percent format as Excel does (a rate 0.85 as 85%)', async () => {
    const zip = await JSZip.loadAsync(await makeXlsx([{ name: 'S', rows: [['完成率', 0.85, 0.12345, 0.5, 3]] }]));
    const styles = await zip.file('xl/styles.xml')!.async('string');
    zip.file(
      'xl/styles.xml',
      styles
        .replace('<numFmts count="3">', '<numFmts count="4"><numFmt numFmtId="190" formatCode="0.0%;[Red]\\-0.0%"/>')
        .replace('</cellXfs>', '<xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="190"/></cellXfs>'),
    );
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    zip.file('xl/worksheets/sheet1.xml', sheet.replace('<c r="B1"', '<c r="B1" s="5"').replace('<c r="C1"', '<c r="C1" s="6"').replace('<c r="D1"', '<c r="D1" s="7"'));
    expect(await lines(zip.generateAsync({ type: 'uint8array' }))).toEqual([{ kind: 'row', text: '完成率\t85%\t12.35%\t50.0%\t3', cells: ['完成率', '85%', '12.35%', '50.0%', '3'] }]);
  });
  it('names each visible sheet when there are several, leaves hidden ones out with a diagnostic, reads prefixed XML and the 1904 date system', async () => {
    const bytes = await makeXlsx(
      [
        { name: '问题清单', rows: [['问题一', '措施一']] },
        { name: '下拉选项', rows: [['是', '否']], hidden: true },
        { name: '完成情况', rows: [['已完成', { date: 43615 }]] },
      ],
      { date1904: true, prefix: true },
    );
    const d = extractXlsx(bytes);
    expect(d.lines.map((l) => [l.kind, d.text.slice(l.start, l.end)])).toEqual([
      ['heading', '问题清单'],
      ['row', '问题一\t措施一'],
      ['heading', '完成情况'],
      ['row', '已完成\t2023年5月31日'],
    ]);
    expect(d.diagnostics.map((x) => x.code)).toEqual(['XUNSHI_XLSX_HIDDEN_SHEETS']);
  });
  it('shows elapsed times as durations and ISO date cells as the date cells read', async () => {
    const rows = [['工时', { date: 1.5, format: 'elapsed' as const }, { iso: '2023-05-31T00:00:00' }, { iso: '2023-05-31T14:30:00' }]];
    expect(await lines(makeXlsx([{ name: 'S', rows }]))).toEqual([
      { kind: 'row', text: '工时\t36:00\t2023年5月31日\t2023年5月31日 14:30', cells: ['工时', '36:00', '2023年5月31日', '2023年5月31日 14:30'] },
    ]);
    expect(elapsedFormat(46, undefined)).toBe(true);
    expect(elapsedFormat(178, '[h]:mm')).toBe(false);
    expect(elapsedFormat(179, '[mm]:ss')).toBe(true);
    expect(elapsedFormat(180, 'h:mm')).toBeUndefined();
    expect(elapsedFormat(181, '"[h]"0')).toBeUndefined();
    expect(formatElapsed(-0.25, true)).toBe('-6:00:00');
    expect(formatIsoDate('not a date')).toBe('not a date');
  });
  it('formats numbers as Excel\'s General does and dates by their format', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(18.5)).toBe('18.5');
    expect(formatNumber(120000)).toBe('120000');
    // Excel's exponent: upper-case E, a sign and at least two digits (JavaScript writes 1e-7, 1e+21).
    expect(formatNumber(1e-7)).toBe('1E-07');
    expect(formatNumber(-1.5e-8)).toBe('-1.5E-08');
    expect(formatNumber(1e21)).toBe('1E+21');
    expect(formatNumber(2.5e100)).toBe('2.5E+100');
    expect(formatNumber(0.000001)).toBe('0.000001');
    expect(formatSerialDate(45077, false, false)).toBe('2023年5月31日');
    expect(formatSerialDate(45077.75, false, false)).toBe('2023年5月31日 18:00');
    expect(formatSerialDate(59, false, false)).toBe('1900年2月28日');
    expect(formatSerialDate(61, false, false)).toBe('1900年3月1日');
    expect(formatSerialDate(0, true, false)).toBe('1904年1月1日');
    for (const code of ['yyyy"年"m"月"d"日"', 'yyyy-mm-dd', '[$-F800]dddd, mmmm dd, yyyy', '[DBNum1][$-804]yyyy"年"m"月"d"日"', 'h:mm:ss', 'm/d/yy']) expect(isDateFormat(code), code).toBe(true);
    for (const code of ['0.00', '#,##0"元"', '0%', '@', 'General', '"年度"0', '0.00E+00']) expect(isDateFormat(code), code).toBe(false);
  });
  it('is sniffed by its workbook part whatever its name, read as format xlsx (one saved under .xls too)', async () => {
    const bytes = await makeXlsx([{ name: 'Sheet1', rows: LEDGER }]);
    expect(sniffFormat(bytes)).toBe('xlsx');
    expect(sniffFormat(bytes, 'a.et')).toBe('xlsx');
    expect(sniffFormat(bytes, 'a.xls')).toBe('xlsx');
    expect(sniffFormat(await makeDocx([{ text: '巡视' }]), 'a.docx')).toBe('docx');
    const doc = readDocument(bytes, { path: 'a.xlsx' });
    expect(doc.format).toBe('xlsx');
    expect(doc.units.map((u) => u.text)).toContain('违规发放津贴补贴18.5万元。');
    for (const u of doc.units) expect(doc.text.slice(u.start, u.end)).toBe(u.text);
  });
  it('a workbook cut short is a truncated workbook under each of its names, not a Word document or an unsupported .et', async () => {
    const bytes = await makeXlsx([{ name: 'Sheet1', rows: LEDGER }]);
    const cut = bytes.subarray(0, bytes.length - 30);
    for (const name of ['a.xlsx', 'a.xlsm', 'a.et']) {
      expect(sniffFormat(cut, name)).toBe('xlsx');
      expect(await failure(() => readDocumentAsync(cut, { path: name }))).toMatchObject({ code: ERROR_CODES.INPUT_TRUNCATED, file: name, message: expect.stringMatching(/workbook/) });
    }
    // A Word document named .xlsx is still read as one.
    expect(sniffFormat(await makeDocx([{ text: '巡视' }]), 'a.xlsx')).toBe('docx');
  });
  it('refuses what is no workbook, a missing sheet, malformed XML and a workbook without text, with the file and a specific code', async () => {
    expect(await failure(async () => extractXlsx(await makeDocx([{ text: '巡视' }]), { path: 'a.xlsx' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'a.xlsx', message: expect.stringMatching(/xl\/workbook\.xml/) });
    const zip = await JSZip.loadAsync(await makeXlsx([{ name: 'S', rows: [['a', 'b']] }]));
    zip.remove('xl/worksheets/sheet1.xml');
    expect(await failure(async () => extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/sheet "S"/) });
    zip.file('xl/worksheets/sheet1.xml', '<worksheet><sheetData><row><c t="s"><v>0</v></row></sheetData>');
    expect(await failure(async () => extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/not well-formed XML/) });
    expect(await failure(async () => readDocument(await makeXlsx([{ name: 'S', rows: [[null, { error: '#REF!' }]] }]), { path: 'a.xlsx' }))).toMatchObject({ code: ERROR_CODES.INPUT_EMPTY, message: expect.stringMatching(/workbook/) });
    // A package that decompresses past the bound is refused before it is inflated.
    const bomb = await makeZeroZip('xl/workbook.xml', 2_000_000);
    expect(await failure(() => extractXlsx(bomb, { path: 'a.xlsx', maxUncompressedBytes: 1_000_000 }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE });
  });
  it('counts the cells whose shared string the package lacks: a diagnostic, or INPUT_CORRUPT when no text is left (it read as an empty workbook)', async () => {
    const zip = await JSZip.loadAsync(await makeXlsx([{ name: 'Sheet1', rows: LEDGER }]));
    const sst = await zip.file('xl/sharedStrings.xml')!.async('string');
    // Cut short: only the first string kept.
    const first = sst.replace(/(<si>.*?<\/si>)(?:<si>.*?<\/si>)+/s, '$1');
    zip.file('xl/sharedStrings.xml', first);
    const short = extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' });
    const d = short.diagnostics.find((x) => x.code === 'XUNSHI_XLSX_STRINGS_MISSING');
    expect(d?.message).toMatch(/^the workbook is damaged: \d+ cell\(s\) refer to shared strings the package lacks \(xl\/sharedStrings\.xml is cut short\); their text is lost$/);
    zip.remove('xl/sharedStrings.xml');
    const none = await failure(async () => extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' }));
    // The ledger's numbers and dates remain: text is left, so a diagnostic; a workbook of strings alone is corrupt.
    expect(none).toEqual({});
    const words = await JSZip.loadAsync(await makeXlsx([{ name: 'Sheet1', rows: [['某县巡察反馈问题整改台账'], ['序号', '存在问题']] }]));
    words.remove('xl/sharedStrings.xml');
    const lost = await failure(async () => extractXlsx(await words.generateAsync({ type: 'uint8array' }), { path: 'w.xlsx' }));
    expect(lost).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'w.xlsx' });
    expect(lost.message).toMatch(/it has no xl\/sharedStrings\.xml\), so none of its text can be read$/);
  });

  it('does not expand entities a part declares (no entity bombs)', async () => {
    const zip = await JSZip.loadAsync(await makeXlsx([{ name: 'S', rows: [['a', 'b']] }]));
    zip.file('xl/sharedStrings.xml', '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si><si><t>b</t></si></sst>');
    const error = await failure(async () => extractXlsx(await zip.generateAsync({ type: 'uint8array' }), { path: 'a.xlsx' }));
    expect(error.code).toBe(ERROR_CODES.INPUT_CORRUPT);
  });
});
