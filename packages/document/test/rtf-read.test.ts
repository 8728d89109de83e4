import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { extractRtf } from '../src/rtf-read.js';
import { readDocument, sniffFormat } from '../src/index.js';
import { encodeGb18030, makeRtf } from './support/fixtures.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
/** `\'hh` escapes of a text's GB18030 bytes. */
const gb = (s: string): string => [...encodeGb18030(s)].map((b) => `\\'${b.toString(16)}`).join('');
const WORD_HEAD = `{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\froman\\fcharset0 Times New Roman;}{\\f13\\fnil\\fcharset134 ${gb('宋体')};}{\\f20\\fnil\\fcharset136 MingLiU;}{\\f30\\fnil\\fcharset2 Symbol;}}`;
const lines = (rtf: string | Uint8Array) => {
  const d = extractRtf(typeof rtf === 'string' ? ascii(rtf) : rtf, { path: 'a.rtf' });
  return d.lines.map((l) => ({ kind: l.kind, text: d.text.slice(l.start, l.end), ...(l.level !== undefined ? { level: l.level } : {}), ...(l.cells ? { cells: l.cells.map((c) => d.text.slice(c.start, c.end)) } : {}) }));
};
const texts = (rtf: string | Uint8Array): string[] => lines(rtf).map((l) => l.text);

describe('RTF text', () => {
  it('decodes \\\'hh bytes in the font\'s code page (charset 0 meaning the document\'s), GB2312 as GB18030, Big5 by charset 136', () => {
    expect(texts(`${WORD_HEAD}\\pard {\\loch\\f0\\hich\\af0\\dbch\\f13 ${gb('巡视反馈')}}\\par}`)).toEqual(['巡视反馈']);
    // Word writes Chinese under a Latin font of charset 0 too: the document's code page decides.
    expect(texts(`${WORD_HEAD}\\pard\\f0 ${gb('整改落实')}\\par}`)).toEqual(['整改落实']);
    expect(texts(`${WORD_HEAD}\\pard\\f20 \\'a8\\'b5\\'b5\\'f8\\par}`)).toEqual(['巡視']);
    // A Latin font of charset 0 is in the document's code page even where the default font is a Chinese one.
    const cjkDefault = `{\\rtf1\\ansi\\ansicpg1252\\deff1{\\fonttbl{\\f0\\fnil\\fcharset0 Calibri;}{\\f1\\fnil\\fcharset134 SimSun;}}`;
    expect(texts(`${cjkDefault}\\pard\\f0 \\'93caf\\'e9\\'94 \\f1 \\'d6\\'d0\\plain \\'d6\\'d0\\par}`)).toEqual(['“café” 中中']);
    // Windows-1252's punctuation at 0x80–0x9F (curly quotes, dashes, €), as English Word writes it.
    expect(texts(`{\\rtf1\\ansi\\ansicpg1252 \\'93quoted\\'94 \\'80 5\\'85 a\\'97b \\'95 caf\\'e9\\par}`)).toEqual(['“quoted” € 5… a—b • café']);
    // A character outside GB2312 (GB18030 four-byte) is read, never replaced as the lossy gbk label would.
    expect(texts(`${WORD_HEAD}\\pard\\f13 \\'95\\'32\\'82\\'36\\par}`)).toEqual(['\u{20000}']);
  });
  it('reads \\uN with its \\ucN fallback skipped, surrogate pairs, and 8-bit bytes written raw', () => {
    expect(texts(`{\\rtf1\\ansi\\uc1 \\u36873?\\u20154?\\u-26684?\\par}`)).toEqual(['选人\u97c4']);
    expect(texts(`${WORD_HEAD}\\pard\\uc2 \\u36873\\'d1\\'a1\\u20154\\'c8\\'cb\\par}`)).toEqual(['选人']);
    expect(texts(`{\\rtf1\\ansi\\uc1 \\u-10179?\\u-8704?\\par}`)).toEqual(['😀']);
    const raw = Buffer.concat([Buffer.from(`${WORD_HEAD}\\pard\\f13 `, 'latin1'), Buffer.from(encodeGb18030('违规')), Buffer.from('\\par}', 'latin1')]);
    expect(texts(raw)).toEqual(['违规']);
  });
  it('reads a double-byte character whose trail byte is written as the character itself (WordPad, Outlook)', () => {
    // 镕 is E9 46 in GBK, 乗 81 5C, 亄 81 7B, 亇 81 7D: the trail byte is written `F`, `\\`, `\{`, `\}`.
    const wordpad = (s: string): string =>
      [...encodeGb18030(s)].map((b, i, all) => (i > 0 && all[i - 1]! >= 0x81 && b >= 0x40 && b <= 0x7e ? (b === 0x5c || b === 0x7b || b === 0x7d ? `\\${String.fromCharCode(b)}` : String.fromCharCode(b)) : b >= 0x80 ? `\\'${b.toString(16)}` : String.fromCharCode(b))).join('');
    expect(wordpad('镕乗')).toBe("\\'e9F\\'81\\\\");
    expect(texts(`${WORD_HEAD}\\pard\\f13 ${wordpad('朱镕基同志，乗亄亇A')}\\par}`)).toEqual(['朱镕基同志，乗亄亇A']);
    // Raw bytes too.
    const raw = Buffer.concat([Buffer.from(`${WORD_HEAD}\\pard\\f13 `, 'latin1'), Buffer.from(encodeGb18030('朱镕基')), Buffer.from('\\par}', 'latin1')]);
    expect(texts(raw)).toEqual(['朱镕基']);
  });
  it('leaves out text deleted in tracked changes (\\deleted) and hidden text (\\v), as Word shows the document', () => {
    // As Word writes a revision: the deleted run and the inserted one side by side, each in its own group.
    const revised = `${WORD_HEAD}\\pard {\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\f13 ${gb('违规发放津贴')}}{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\deleted\\f13\\revauthdel1\\revdttmdel1 ${gb('18')}}{\\rtlch\\fcs1 \\af0 \\ltrch\\fcs0 \\f13\\revised\\revauth1 ${gb('28')}}${gb('万元。')}\\par}`;
    expect(texts(revised)).toEqual(['违规发放津贴28万元。']);
    expect(texts(`{\\rtf1\\ansi shown {\\v hidden }again\\v  gone\\v0  back\\deleted  del\\plain  plain\\par}`)).toEqual(['shown again back plain']);
    expect(texts(`{\\rtf1\\ansi \\v\\deleted a\\deleted0 b\\v0 c\\par}`)).toEqual(['c']);
  });
  it('control symbols, source line breaks and \\line', () => {
    expect(texts(`{\\rtf1\\ansi a\\{b\\}c\\\\d\\~e\\_f\\-g\\emdash h\r\ni\\tab j\\line k\\par}`)).toEqual(['a{b}c\\d\u00a0e\u2011fg—hi j', 'k']);
    expect(lines(`{\\rtf1\\ansi one\\line two\\par}`).map((l) => l.kind)).toEqual(['body', 'body']);
    // `\` then a line break is a paragraph end.
    expect(texts(`{\\rtf1\\ansi one\\\ntwo\\par}`)).toEqual(['one', 'two']);
  });
  it('leaves out headers, footers, info, style sheet, pictures, objects, \\bin data, comments and ignorable destinations', () => {
    const rtf = `${WORD_HEAD}{\\stylesheet{\\s1 heading 1;}}{\\info{\\title T}}{\\header \\pard H\\par}{\\footer \\pard F\\par}{\\*\\generator G;}{\\*\\unknown U}\\pard body{\\pict\\pngblip 89504e47}{\\object{\\*\\objdata 0102}{\\result R}} {\\*\\atnid A}{\\bin5 {{{\\p}{\\*\\bkmkstart b}end\\par}`;
    expect(texts(rtf)).toEqual(['bodyR end']);
  });
  it('reads a text box (\\shptxt) and WordArt (gtextUNICODE) after the paragraph that holds the shape, or in its cell, as the other readers place them', () => {
    const box = (text: string, name = 'Box'): string =>
      `{\\shp{\\*\\shpinst\\shpleft0\\shptop0\\shpright4000\\shpbottom900{\\sp{\\sn shapeType}{\\sv 202}}{\\sp{\\sn wzName}{\\sv ${name}}}{\\sp{\\sn wzDescription}{\\sv ${gb('说明文字')}}}{\\shptxt \\pard\\plain ${text}}}` +
      `{\\shprslt{\\*\\do\\dobxcolumn\\dptxbx{\\dptxbxtext\\pard ${text}}}}}`;
    const para = `\\pard ${gb('党组成立整改领导小组。')}${box(`${gb('重点提示：整改必须到位。')}\\par ${gb('典型案例：违规发放津贴。')}\\par`)}${gb('已清退资金。')}\\par`;
    expect(lines(`${WORD_HEAD}${para}\\pard ${gb('结语')}\\par}`)).toEqual([
      { kind: 'body', text: '党组成立整改领导小组。已清退资金。' },
      { kind: 'body', text: '重点提示：整改必须到位。' },
      { kind: 'body', text: '典型案例：违规发放津贴。' },
      { kind: 'body', text: '结语' },
    ]);
    // In a cell: more of the cell's text.
    const row = `\\trowd\\cellx2000\\cellx6000\\pard\\intbl 1\\cell ${gb('修订制度。')}${box(`${gb('附：制度汇编')}\\par`)}\\cell\\row`;
    expect(lines(`${WORD_HEAD}${row}\\pard ${gb('结语')}\\par}`)).toEqual([
      { kind: 'row', text: '1\t修订制度。 附：制度汇编', cells: ['1', '修订制度。 附：制度汇编'] },
      { kind: 'body', text: '结语' },
    ]);
    // WordArt's text is the value of its gtextUNICODE property (LibreOffice writes a shape holding text so as well,
    // inside a SHAPE field's result); a group's shapes are read as the group is; a shape in a header is not read.
    const wordArt = `{\\field{\\*\\fldinst SHAPE }{\\fldrslt{\\shp{\\*\\shpinst{\\sp{\\sn shapeType}{\\sv 136}}{\\sp{\\sn gtextUNICODE}{\\sv ${gb('某某县委巡察办文件')}}}{\\sp{\\sn gtextFont}{\\sv SimSun}}}}}}`;
    const group = `{\\shpgrp{\\*\\shpinst{\\sp{\\sn wzName}{\\sv G}}{\\shp{\\*\\shpinst{\\shptxt ${gb('组合框一')}\\par}}}{\\shp{\\*\\shpinst{\\shptxt ${gb('组合框二')}\\par}}}}}`;
    const header = `{\\header \\pard ${box(`${gb('页眉框')}\\par`)}\\par}`;
    expect(texts(`${WORD_HEAD}${header}\\pard ${wordArt}\\par\\pard ${gb('正文。')}${group}\\par}`)).toEqual(['某某县委巡察办文件', '正文。', '组合框一', '组合框二']);
  });
  it('keeps a field\'s result, not its code, and leaves a table of contents out whole', () => {
    expect(texts(`{\\rtf1\\ansi {\\field{\\*\\fldinst HYPERLINK "http://a"}{\\fldrslt link}} text\\par}`)).toEqual(['link text']);
    expect(texts(`{\\rtf1\\ansi {\\field{\\*\\fldinst {TOC \\\\o "1-3"}}{\\fldrslt {one\\par two\\par}}}\\pard after\\par}`)).toEqual(['after']);
    // Its title, the paragraph right above it, goes with it (目录, Contents); another paragraph there stays.
    expect(texts(`{\\rtf1\\ansi Report\\par Contents\\par {\\field{\\*\\fldinst {TOC \\\\o "1-3"}}{\\fldrslt {one\\par two\\par}}}\\pard after\\par}`)).toEqual(['Report', 'after']);
    expect(texts(`{\\rtf1\\ansi Report\\par {\\field{\\*\\fldinst {TOC \\\\o "1-3"}}{\\fldrslt {one\\par two\\par}}}\\pard after\\par}`)).toEqual(['Report', 'after']);
  });
  it('headings from \\outlinelevel, reset by \\pard; list numbers kept, bullets dropped', () => {
    expect(lines(`${WORD_HEAD}\\pard\\outlinelevel0 Title\\par\\pard\\outlinelevel1 Sub\\par\\pard body\\par}`)).toEqual([
      { kind: 'heading', text: 'Title', level: 1 },
      { kind: 'heading', text: 'Sub', level: 2 },
      { kind: 'body', text: 'body' },
    ]);
    expect(texts(`${WORD_HEAD}\\pard {\\listtext\\pard\\plain\\f13 ${gb('一、')}\\tab}${gb('总体情况')}\\par\\pard {\\pntext\\f30 \\'b7\\tab}item\\par}`)).toEqual(['一、总体情况', 'item']);
  });
  it('table rows are rows of cells, a cell\'s paragraphs kept together, nested cells too', () => {
    const rtf = `${WORD_HEAD}\\trowd\\cellx1\\cellx2\\pard\\intbl ${gb('问题')}\\cell ${gb('措施')}\\cell\\row\\pard\\intbl a\\par b\\cell c\\cell\\row\\pard after\\par}`;
    expect(lines(rtf)).toEqual([
      { kind: 'row', text: '问题\t措施', cells: ['问题', '措施'] },
      { kind: 'row', text: 'a b\tc', cells: ['a b', 'c'] },
      { kind: 'body', text: 'after' },
    ]);
  });
  it('a table in a cell is text of that cell, its cells apart (as the .doc, .docx and .odt of it are read), not cells of the row', () => {
    const nested = `\\pard\\intbl\\itap2 ${gb('责任人')}\\nestcell ${gb('时限')}\\nestcell{\\*\\nesttableprops\\trowd\\cellx1000\\cellx2000\\nestrow}{\\nonesttables\\par}` +
      `\\pard\\intbl\\itap2 ${gb('张明')}\\nestcell 2024\\nestcell{\\*\\nesttableprops\\trowd\\cellx1000\\cellx2000\\nestrow}{\\nonesttables\\par}`;
    const rtf = `${WORD_HEAD}\\trowd\\cellx1000\\cellx4000\\cellx8000\\pard\\intbl 1\\cell ${gb('修订制度。')}\\cell ${nested}\\pard\\intbl\\itap1\\cell\\row\\pard ${gb('结语')}\\par}`;
    expect(lines(rtf)).toEqual([
      { kind: 'row', text: '1\t修订制度。\t责任人 时限 张明 2024', cells: ['1', '修订制度。', '责任人 时限 张明 2024'] },
      { kind: 'body', text: '结语' },
    ]);
  });
  it('a phonetic guide (拼音指南: an EQ field with an empty result) reads as its characters', () => {
    const eq = `{\\field{\\*\\fldinst { EQ \\\\* jc3 \\\\* "Font:SimSun" \\\\* hps12 \\\\o\\\\al(\\\\s\\\\up 15(x\\u250\\'3fn ch\\u225\\'3f),${gb('巡察')})}}{\\fldrslt {}}}`;
    expect(texts(`${WORD_HEAD}\\pard ${eq}${gb('工作扎实推进。')}\\par}`)).toEqual(['巡察工作扎实推进。']);
    // A template's placeholder, a MACROBUTTON field without a result, shows its display text.
    expect(texts(`${WORD_HEAD}\\pard ${gb('责任单位：')}{\\field{\\*\\fldinst MACROBUTTON None ${gb('单位名称')}}}${gb('。')}\\par}`)).toEqual(['责任单位：单位名称。']);
  });
  it('footnotes come after the body as footnote lines', () => {
    expect(lines(`{\\rtf1\\ansi one{\\super\\chftn{\\footnote \\pard note\\par}} two\\par}`)).toEqual([
      { kind: 'body', text: 'one two' },
      { kind: 'footnote', text: 'note' },
    ]);
    // LibreOffice writes the footnote as an ignorable destination ({\\*\\footnote …}), its number as \\chftn and a tab.
    expect(lines(`{\\rtf1\\ansi one{\\super \\chftn{\\*\\footnote \\chftn\\pard\\plain \\s30\\fs20{\\tab note}}} two\\par}`)).toEqual([
      { kind: 'body', text: 'one two' },
      { kind: 'footnote', text: 'note' },
    ]);
  });
  it('a file cut short is read as far as it goes, with a diagnostic; deep nesting is read flat', () => {
    const cut = extractRtf(ascii(`{\\rtf1\\ansi {\\b {\\i one\\par two`));
    expect(cut.text).toBe('one\ntwo');
    expect(cut.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_RTF_UNBALANCED']);
    // Cut between two runs of the body, where only the document's own group is open: as cut short.
    const between = extractRtf(ascii(`{\\rtf1\\ansi {\\b one}\\par two`));
    expect(between.text).toBe('one\ntwo');
    expect(between.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_RTF_UNBALANCED']);
    expect(extractRtf(ascii(`{\\rtf1\\ansi {\\b one}\\par two\\par}`)).diagnostics).toEqual([]);
    const deep = extractRtf(ascii(`{\\rtf1\\ansi ${'{'.repeat(10_000)}x${'}'.repeat(10_000)}\\par}`));
    expect(deep.text).toBe('x');
    expect(deep.diagnostics.map((d) => d.code)).toContain('XUNSHI_RTF_TOO_DEEP');
  });
  it('any text written by the WPS-style writer reads back, paragraph by paragraph', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.oneof(fc.constantFrom('{', '}', '\\', ' ', '巡', '视', '。', '𠀋', 'a', '1'), fc.constant('x')), minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 8 }), (paras) => {
        const wanted = paras.map((t) => t.trim()).filter((t) => t !== '');
        expect(texts(makeRtf(paras.map((text) => ({ text })), { style: 'wps' }))).toEqual(wanted);
        expect(texts(makeRtf(paras.map((text) => ({ text: text.replace(/𠀋/g, '巡') })), { style: 'word' }))).toEqual(wanted.map((t) => t.replace(/𠀋/g, '巡')));
      }),
    );
  });
});

describe('RTF input', () => {
  it('is sniffed by {\\rtf whatever its name but .txt/.md, and a .rtf that is none is corrupt', () => {
    const rtf = makeRtf([{ text: '巡视反馈。' }]);
    expect(sniffFormat(rtf)).toBe('rtf');
    expect(sniffFormat(rtf, 'a.doc')).toBe('rtf');
    expect(sniffFormat(rtf, 'a.wps')).toBe('rtf');
    expect(sniffFormat(rtf, 'a.rtf')).toBe('rtf');
    expect(sniffFormat(rtf, 'a.txt')).toBe('text');
    // A byte-order mark or white space before {\\rtf, as the reader accepts it: still RTF under any name.
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, 0x0d, 0x0a, ...rtf]);
    expect(sniffFormat(bom, 'a.doc')).toBe('rtf');
    expect(sniffFormat(bom)).toBe('rtf');
    expect(readDocument(bom, { path: 'a.doc' }).text).toBe('巡视反馈。');
    let error: { code?: string; file?: string } = {};
    try {
      readDocument(ascii('巡视反馈'), { path: 'a.rtf' });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, file: 'a.rtf' });
  });
  it('reads as format rtf with the document\'s code page as its encoding', () => {
    const doc = readDocument(makeRtf([{ text: '一、存在的问题', style: 'Heading1' }, { text: '违规发放津贴补贴18万元。' }], { outline: true }), { path: 'a.rtf' });
    expect(doc.format).toBe('rtf');
    expect(doc.encoding).toBe('gb18030');
    expect(doc.units.map((u) => u.text)).toEqual(['一、存在的问题', '违规发放津贴补贴18万元。']);
    expect(doc.headings.map((h) => h.text)).toEqual(['一、存在的问题']);
    expect(readDocument(makeRtf([{ text: '巡視' }], { style: 'wps' }), { path: 'a.rtf' }).encoding).toBe('utf-8');
    let error: { code?: string; message?: string } = {};
    try {
      readDocument(ascii('{\\rtf1\\ansi {\\pict 0102}}'), { path: 'a.rtf' });
    } catch (e) {
      error = e as typeof error;
    }
    // No text but a picture: a document of pasted scans, which only the asynchronous way reads (by OCR).
    expect(error.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(error.message).toMatch(/^the RTF document has no text but 1 picture\(s\)/);
    error = {};
    try {
      readDocument(ascii('{\\rtf1\\ansi {\\*\\generator x;}}'), { path: 'a.rtf' });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error.code).toBe(ERROR_CODES.INPUT_EMPTY);
  });
});
