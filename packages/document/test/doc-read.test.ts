import CFB from 'cfb';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { readCompoundFile } from '../src/cfb-read.js';
import { extractDoc, withoutFieldCodes } from '../src/doc-read.js';
import { readDocumentAsync, sniffFormat } from '../src/index.js';
import { makeWordBinary } from './support/fixtures.js';

const lines = async (bytes: Uint8Array) => {
  const d = await extractDoc(bytes, { path: 'r.doc' });
  return d.lines.map((l) => ({ kind: l.kind, text: d.text.slice(l.start, l.end), ...(l.cells ? { cells: l.cells.map((c) => d.text.slice(c.start, c.end)) } : {}) }));
};

async function codeOf(bytes: Uint8Array, path = 'r.doc'): Promise<{ code: string; message: string; file?: string }> {
  try {
    await readDocumentAsync(bytes, { path });
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    const x = e as XunshiError;
    return { code: x.code, message: x.message, ...(x.file !== undefined ? { file: x.file } : {}) };
  }
  throw new Error('no error');
}

describe('Word 97 binary (.doc)', () => {
  it('reads paragraphs as body lines, line breaks as lines of one block, typed 一、 as headings', async () => {
    const doc = await readDocumentAsync(makeWordBinary(['关于巡视反馈意见整改情况的报告', '一、总体情况', '党委高度重视。\x0b第二行。', '（一）学习方面', '学习不够深入。']), { path: 'r.doc' });
    expect(doc.format).toBe('doc');
    expect(doc.text).toBe('关于巡视反馈意见整改情况的报告\n一、总体情况\n党委高度重视。\n第二行。\n（一）学习方面\n学习不够深入。');
    expect(doc.headings.map((h) => [doc.text.slice(h.start, h.end), h.level])).toEqual([
      ['一、总体情况', 1],
      ['（一）学习方面', 2],
    ]);
    expect(sniffFormat(makeWordBinary(['x']), 'a.wps')).toBe('doc');
    expect(sniffFormat(makeWordBinary(['x']))).toBe('doc');
  });

  it('reads a table as row lines with cells, and a cell of two paragraphs as one cell', async () => {
    expect(await lines(makeWordBinary(['前言', { table: [['序号', '问题', '整改措施'], ['1', '学习不深入', '制定计划\r按月检查']] }, '结语']))).toEqual([
      { kind: 'body', text: '前言' },
      { kind: 'row', text: '序号\t问题\t整改措施', cells: ['序号', '问题', '整改措施'] },
      { kind: 'row', text: '1\t学习不深入\t制定计划 按月检查', cells: ['1', '学习不深入', '制定计划 按月检查'] },
      { kind: 'body', text: '结语' },
    ]);
  });

  it('ends a row at its end mark whose properties stand in the Data stream (sprmPHugePapx), as Word and LibreOffice write a long row\'s', async () => {
    const table = [['序号', '问题类别', '巡察反馈问题', '整改措施'], ['1', '政治建设方面', '学习不深入。', '制定计划。'], ['2', '作风建设方面', '会议多。', '精简会议。']];
    const rows = [
      { kind: 'row', text: '序号\t问题类别\t巡察反馈问题\t整改措施', cells: ['序号', '问题类别', '巡察反馈问题', '整改措施'] },
      { kind: 'row', text: '1\t政治建设方面\t学习不深入。\t制定计划。', cells: ['1', '政治建设方面', '学习不深入。', '制定计划。'] },
      { kind: 'row', text: '2\t作风建设方面\t会议多。\t精简会议。', cells: ['2', '作风建设方面', '会议多。', '精简会议。'] },
    ];
    expect(await lines(makeWordBinary([{ table }, '结语'], { hugeRows: true }))).toEqual([...rows, { kind: 'body', text: '结语' }]);
    // word-extractor alone reads such a table as one row of all its cells (and an empty one at each row's end).
    const d = await extractDoc(makeWordBinary([{ table }, '结语'], { hugeRows: true }), { path: 'r.doc' });
    expect(d.lines.filter((l) => l.kind === 'row')).toHaveLength(3);
    // Without the Data stream the marks' properties are unknown: the table's text is read all the same, as one row.
    const lost = await lines(makeWordBinary([{ table }, '结语'], { hugeRows: 'no-data' }));
    expect(lost.map((l) => l.text.replace(/\s+/g, '')).join('')).toBe(rows.map((r) => r.text.replace(/\s+/g, '')).join('') + '结语');
    expect(lost.filter((l) => l.kind === 'row')).toHaveLength(1);
  });

  it('keeps footnotes and endnotes as footnote lines after the body, without their reference marks', async () => {
    expect(await lines(makeWordBinary(['正文\x02。'], { footnotes: ['脚注甲', '脚注乙'], endnotes: ['尾注'] }))).toEqual([
      { kind: 'body', text: '正文。' },
      { kind: 'footnote', text: '脚注甲' },
      { kind: 'footnote', text: '脚注乙' },
      { kind: 'footnote', text: '尾注' },
    ]);
  });

  it('leaves field codes out and keeps their results; a table of contents is left out', async () => {
    expect(await lines(makeWordBinary([
      '详见\x13 HYPERLINK "http://www.example.cn/a.html" \x14通报\x15。',
      '第\x13 PAGE \x14\x13 X \x143\x15\x15页\x13 SEQ 无结果 \x15。',
      '\x13 TOC \\o "1-3" \\h \x14一、总体情况\t3\r二、问题\t5\x15',
      '一、总体情况',
    ]))).toEqual([
      { kind: 'body', text: '详见通报。' },
      { kind: 'body', text: '第3页。' },
      { kind: 'body', text: '一、总体情况' },
    ]);
    // Its title, the paragraph right above it, goes with it; a paragraph that is no such title stays.
    expect(await lines(makeWordBinary(['关于整改情况的报告', '目　录', '\x13 TOC \\o "1-3" \x14一、总体情况\t3\x15', '一、总体情况']))).toEqual([
      { kind: 'body', text: '关于整改情况的报告' },
      { kind: 'body', text: '一、总体情况' },
    ]);
    expect(withoutFieldCodes('目录说明\r\x13 TOC \x14一、总体情况\t3\r\x15正文\r')).toBe('目录说明\r正文\r');
  });

  it('fields nested thousands deep cost work linear in the text: each character is not checked against every open field', () => {
    // A result inside a result inside …: 2,000 fields open around 2,000 characters (a crafted .doc of 10^6 took hours).
    const n = 2000;
    const s = '\x13 X \x14'.repeat(n) + '字'.repeat(n) + '\x15'.repeat(n) + '\x13 TOC \x14目录\x13 PAGE \x143\x15\x15后';
    let looked = 0;
    const some = Array.prototype.some;
    Array.prototype.some = function (this: unknown[], f: (v: unknown, i: number, a: unknown[]) => unknown, self?: unknown): boolean {
      return some.call(this, (v: unknown, i: number, a: unknown[]) => (looked++, f.call(self, v, i, a)));
    };
    let out: string;
    try {
      out = withoutFieldCodes(s);
    } finally {
      Array.prototype.some = some;
    }
    expect(out).toBe(`${'字'.repeat(n)}后`);
    expect(looked).toBeLessThan(s.length);
  });
  it('drops control characters (pictures, drawings, page breaks end a paragraph, optional hyphens)', async () => {
    expect(await lines(makeWordBinary(['图\x01片\x08。\x0c下一页\x1f。', '不\x1e间断']))).toEqual([
      { kind: 'body', text: '图片。' },
      { kind: 'body', text: '下一页。' },
      { kind: 'body', text: '不\u2011间断' },
    ]);
  });

  it('reads a text box after the paragraph (or in the cell) that holds its anchor, as LibreOffice and mammoth read the same document', async () => {
    const red = '中共某某县委巡察工作领导小组办公室文件';
    const note = '重点提示：整改“两张皮”问题必须坚决杜绝。\r典型案例：违规发放津贴补贴12万元。';
    const blocks = ['\x08', '关于县财政局党组巡察整改进展情况的通报', '党组成立整改领导小组。\x08已清退资金12万元。', { table: [['序号', '整改措施'], ['1', '修订制度。\x08']] }, '中共县财政局党组'] as const;
    const boxes = [red, note, '附：制度汇编目录'];
    expect(await lines(makeWordBinary(blocks, { textBoxes: boxes }))).toEqual([
      { kind: 'body', text: red },
      { kind: 'body', text: '关于县财政局党组巡察整改进展情况的通报' },
      { kind: 'body', text: '党组成立整改领导小组。已清退资金12万元。' },
      { kind: 'body', text: '重点提示：整改“两张皮”问题必须坚决杜绝。' },
      { kind: 'body', text: '典型案例：违规发放津贴补贴12万元。' },
      { kind: 'row', text: '序号\t整改措施', cells: ['序号', '整改措施'] },
      { kind: 'row', text: '1\t修订制度。 附：制度汇编目录', cells: ['1', '修订制度。 附：制度汇编目录'] },
      { kind: 'body', text: '中共县财政局党组' },
    ]);
    // Boxes whose shape the anchors' table does not name, or with the tables damaged, are read after the body, as
    // word-extractor gives the textbox story (and as this reader did before).
    const after = ['关于县财政局党组巡察整改进展情况的通报', '党组成立整改领导小组。已清退资金12万元。', '序号\t整改措施', '1\t修订制度。', '中共县财政局党组', red, ...note.split('\r'), '附：制度汇编目录'];
    for (const options of [{ boxLids: [7, 8, 9] }, { damagedBoxTables: true }]) {
      expect((await lines(makeWordBinary(blocks, { textBoxes: boxes, ...options }))).map((l) => l.text)).toEqual(after);
    }
    // One box named, the others not: the named one at its anchor, the rest after the body in the textbox story's order.
    expect((await lines(makeWordBinary(blocks, { textBoxes: boxes, boxLids: [7, 1026, 9] }))).map((l) => l.text)).toEqual([
      '关于县财政局党组巡察整改进展情况的通报', '党组成立整改领导小组。已清退资金12万元。', ...note.split('\r'), '序号\t整改措施', '1\t修订制度。', '中共县财政局党组', red, '附：制度汇编目录',
    ]);
    // A body that holds the private-use characters the anchors are marked with keeps its boxes after it, and its own
    // characters as they are.
    const own = (await lines(makeWordBinary(['\ue000\ue001符号。\x08', '结语'], { textBoxes: ['框内文字'] }))).map((l) => l.text);
    expect(own).toEqual(['\ue000\ue001符号。', '结语', '框内文字']);
  });

  it('reads WordArt (a 红头 set as WordArt: its text in the shape\'s gtextUNICODE property, in no story) after the paragraph holding its anchor, with the text boxes', async () => {
    const red = '中共某某县委巡察工作领导小组办公室文件';
    const blocks = ['\x08', '关于县财政局党组巡察整改进展情况的通报', '正文。\x08', '中共县财政局党组'];
    expect((await lines(makeWordBinary(blocks, { textBoxes: ['框内说明。'], wordArt: [red] }))).map((l) => l.text)).toEqual(['框内说明。', '关于县财政局党组巡察整改进展情况的通报', '正文。', red, '中共县财政局党组']);
    expect((await lines(makeWordBinary(['\x08', '标题'], { wordArt: [red] }))).map((l) => l.text)).toEqual([red, '标题']);
    // Drawing records cut short, or a shape no anchor of the body names: no WordArt text, the rest read as before.
    expect((await lines(makeWordBinary(['\x08', '标题'], { wordArt: [red], cutDrawing: true }))).map((l) => l.text)).toEqual(['标题']);
    expect((await lines(makeWordBinary(['标题'], { wordArt: [red] }))).map((l) => l.text)).toEqual(['标题']);
  });

  it('a phonetic guide (拼音指南: an EQ field without a result, whose code Word draws) reads as its characters; other field codes stay out', async () => {
    const eq = '\x13 EQ \\* jc2 \\* "Font:宋体" \\* hps10 \\o\\ad(\\s\\up 9(xún chá),巡察)\x15';
    expect((await lines(makeWordBinary([`${eq}工作扎实推进。\x13 EQ \\f(1,2)\x15`]))).map((l) => l.text)).toEqual(['巡察工作扎实推进。']);
    // A template's placeholder, a MACROBUTTON field, shows its display text.
    expect((await lines(makeWordBinary(['责任单位：\x13 MACROBUTTON NoMacro [单位名称] \x15。']))).map((l) => l.text)).toEqual(['责任单位：[单位名称]。']);
  });

  it('a password-protected .doc (fEncrypted) is INPUT_ENCRYPTED, naming the file', async () => {
    expect(await codeOf(makeWordBinary(['秘密'], { flags: 0x1300 }))).toMatchObject({ code: ERROR_CODES.INPUT_ENCRYPTED, file: 'r.doc' });
    expect((await codeOf(makeWordBinary(['秘密'], { flags: 0x9200 }))).code).toBe(ERROR_CODES.INPUT_ENCRYPTED);
  });

  it('a PowerPoint OLE file is INPUT_UNSUPPORTED naming what it is; an Excel one is read as a workbook', async () => {
    // An OLE file with a Workbook stream is an Excel workbook under any name (xls-read.test.ts): here a damaged one.
    const xls = makeWordBinary([], { noWordDocument: true, noTable: true, streams: { Workbook: new Uint8Array(600) } });
    const e = await codeOf(xls, 'r.doc');
    expect(e.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(e.message).toMatch(/workbook/);
    const ppt = makeWordBinary([], { noWordDocument: true, noTable: true, streams: { 'PowerPoint Document': new Uint8Array(600) } });
    expect((await codeOf(ppt, 'r.ppt')).message).toContain('PowerPoint');
    expect((await codeOf(makeWordBinary(['旧版'], { nFib: 0x68 }))).code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
  });

  it('a damaged .doc is INPUT_CORRUPT naming the file: cut short, no table stream, a bad piece table', async () => {
    const good = makeWordBinary(['一、总体情况', '正文。'.repeat(2000)]);
    const cut = await codeOf(good.slice(0, 3000));
    expect(cut).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'r.doc' });
    expect(cut.message).toMatch(/Word document \(\.doc\) is damaged/);
    expect((await codeOf(makeWordBinary(['x'], { noTable: true }))).code).toBe(ERROR_CODES.INPUT_CORRUPT);
    // A piece that points past the end of the WordDocument stream.
    const cfb = CFB.read(Buffer.from(makeWordBinary(['正文'])), { type: 'buffer' });
    const entry = CFB.find(cfb, '1Table')!;
    const table = Buffer.from(entry.content as Buffer);
    table.writeUInt32LE(0x3fffff00, 15); // the Pcd's fc
    entry.content = table;
    const bad = await codeOf(new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer));
    expect(bad.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(bad.message).toContain('past the end of the WordDocument stream');
    // A compressed piece (bit 30) whose fc has its top bit set: it was read as a negative offset, passed the check and
    // gave no text (INPUT_EMPTY, 'no text outside scripts, styles…').
    table.writeUInt32LE(0xc0000800, 15);
    entry.content = table;
    const negative = await codeOf(new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer));
    expect(negative.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(negative.message).toContain('past the end of the WordDocument stream');
  });

  it('a cyclic sector chain is INPUT_CORRUPT, not a hang', async () => {
    const bytes = Buffer.from(makeWordBinary(['正文。'.repeat(3000)]));
    // Point the FAT entry of the WordDocument stream's second sector back at its first.
    const ssz = 512;
    const fatSector = bytes.readUInt32LE(76);
    const cfb = readCompoundFile(bytes);
    expect(cfb.names).toContain('WordDocument');
    const dirAt = (bytes.readUInt32LE(48) + 1) * ssz;
    let start = -1;
    for (let o = dirAt; o < dirAt + ssz; o += 128) if (bytes.toString('utf16le', o, o + 24) === 'WordDocument') start = bytes.readUInt32LE(o + 116);
    expect(start).toBeGreaterThanOrEqual(0);
    const fatAt = (fatSector + 1) * ssz;
    const second = bytes.readUInt32LE(fatAt + start * 4);
    bytes.writeUInt32LE(start, fatAt + second * 4);
    const e = await codeOf(new Uint8Array(bytes));
    expect(e.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(e.message).toContain('loops');
  });

});
