import { describe, expect, it, vi } from 'vitest';
import { extractDocx, readDocumentAsync } from '../src/index.js';
import { formatNumber, openTag, readNumbering, withNumberText } from '../src/docx-numbering.js';
import { withoutHiddenRuns } from '../src/docx-read.js';
import { makeDocxXml, WORD_NS } from './support/fixtures.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r = (t: string): string => `<w:r><w:t xml:space="preserve">${esc(t)}</w:t></w:r>`;
const numPr = (numId: number | undefined, ilvl?: number): string => `<w:numPr>${ilvl === undefined ? '' : `<w:ilvl w:val="${ilvl}"/>`}${numId === undefined ? '' : `<w:numId w:val="${numId}"/>`}</w:numPr>`;
/** A paragraph: its text, its list and level (direct numPr) and its style. */
const p = (text: string, numId?: number, ilvl?: number, style?: string): string =>
  `<w:p><w:pPr>${style ? `<w:pStyle w:val="${style}"/>` : ''}${numId !== undefined || ilvl !== undefined ? numPr(numId, ilvl) : ''}</w:pPr>${text ? r(text) : ''}</w:p>`;
/** A list level: format, text and further children (w:lvlRestart, w:isLgl, w:pStyle, w:suff). */
const lvl = (i: number, fmt: string, text: string, extra = '', start = 1): string => `<w:lvl w:ilvl="${i}"><w:start w:val="${start}"/><w:numFmt w:val="${fmt}"/>${extra}<w:lvlText w:val="${esc(text)}"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="420" w:hanging="420"/></w:pPr></w:lvl>`;
const abstractNum = (id: number, levels: string): string => `<w:abstractNum w:abstractNumId="${id}"><w:multiLevelType w:val="multilevel"/>${levels}</w:abstractNum>`;
const num = (id: number, abs: number, overrides = ''): string => `<w:num w:numId="${id}"><w:abstractNumId w:val="${abs}"/>${overrides}</w:num>`;
const startOverride = (ilvl: number, start: number): string => `<w:lvlOverride w:ilvl="${ilvl}"><w:startOverride w:val="${start}"/></w:lvlOverride>`;
/** The multilevel list of a 公文: 一、 （一） 1. （1） ①. */
const OFFICIAL = (id: number, extra: string[] = []): string =>
  abstractNum(id, lvl(0, 'chineseCounting', '%1、', extra[0]) + lvl(1, 'chineseCounting', '（%2）', extra[1]) + lvl(2, 'decimal', '%3.', extra[2]) + lvl(3, 'decimal', '（%4）', extra[3]) + lvl(4, 'decimalEnclosedCircle', '%5', extra[4]));

async function docx(body: string, numbering: string, styles?: string, parts: Record<string, string> = {}, rels: string[] = []): Promise<Uint8Array> {
  return makeDocxXml(body, {
    rels: [`<Relationship Id="rN" Type="${REL}/numbering" Target="numbering.xml"/>`, ...(styles ? [`<Relationship Id="rS" Type="${REL}/styles" Target="styles.xml"/>`] : []), ...rels],
    parts: { 'word/numbering.xml': `<w:numbering ${WORD_NS}>${numbering}</w:numbering>`, ...(styles ? { 'word/styles.xml': `<w:styles ${WORD_NS}>${styles}</w:styles>` } : {}), ...parts },
  });
}
async function lines(body: string, numbering: string, styles?: string): Promise<string[]> {
  return (await extractDocx(await docx(body, numbering, styles))).text.split('\n');
}
const style = (id: string, name: string, inner = '', basedOn?: string): string =>
  `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/>${basedOn ? `<w:basedOn w:val="${basedOn}"/>` : ''}${inner ? `<w:pPr>${inner}</w:pPr>` : ''}</w:style>`;

describe('Word automatic numbering is read as the text Word shows', () => {
  it('a multilevel 一、（一）1.（1）① list: each level counts, and restarts when a higher level is used', async () => {
    const body =
      p('总体情况', 1, 0) + p('正文一。') + p('政治建设', 1, 1) + p('学习不深入', 1, 2) + p('落实不到位', 1, 2) + p('细项', 1, 3) + p('再细', 1, 4) + p('再细二', 1, 4) +
      p('作风建设', 1, 1) + p('形式主义', 1, 2) + p('细项', 1, 3) + p('整改要求', 1, 0) + p('组织领导', 1, 1) + p('压实责任', 1, 2);
    expect(await lines(body, OFFICIAL(0) + num(1, 0))).toEqual([
      '一、总体情况', '正文一。', '（一）政治建设', '1.学习不深入', '2.落实不到位', '（1）细项', '①再细', '②再细二',
      '（二）作风建设', '1.形式主义', '（1）细项', '二、整改要求', '（一）组织领导', '1.压实责任',
    ]);
  });
  it('the numbered report reads as the typed one: same units, headings and heading paths', async () => {
    const numbered = p('总体情况', 1, 0) + p('巡视发现问题12个。') + p('关于政治建设', 1, 1) + p('学习贯彻不深入。') + p('关于作风建设', 1, 1) + p('形式主义仍有发生。') + p('整改要求', 1, 0) + p('限期整改。');
    const typed = p('一、总体情况') + p('巡视发现问题12个。') + p('（一）关于政治建设') + p('学习贯彻不深入。') + p('（二）关于作风建设') + p('形式主义仍有发生。') + p('二、整改要求') + p('限期整改。');
    const a = await readDocumentAsync(await docx(numbered, OFFICIAL(0) + num(1, 0)), { path: 'a.docx' });
    const b = await readDocumentAsync(await docx(typed, OFFICIAL(0) + num(1, 0)), { path: 'b.docx' });
    expect(a.text).toBe(b.text);
    expect(a.units.map((u) => [u.text, u.headingPath, u.isHeading])).toEqual(b.units.map((u) => [u.text, u.headingPath, u.isHeading]));
    expect(a.units.find((u) => u.text === '形式主义仍有发生。')!.headingPath).toEqual(['一、总体情况', '（二）关于作风建设']);
    expect(a.headings.map((h) => [h.text, h.level])).toEqual(b.headings.map((h) => [h.text, h.level]));
  });
  it('w:lvlRestart: 1 restarts a level only when level 1 is used, 0 never', async () => {
    const numbering = abstractNum(0, lvl(0, 'chineseCounting', '%1、') + lvl(1, 'chineseCounting', '（%2）') + lvl(2, 'decimal', '%3.', '<w:lvlRestart w:val="1"/>') + lvl(3, 'decimal', '（%4）', '<w:lvlRestart w:val="0"/>')) + num(1, 0);
    const body = p('甲', 1, 0) + p('乙', 1, 1) + p('丙', 1, 2) + p('丁', 1, 3) + p('戊', 1, 1) + p('己', 1, 2) + p('庚', 1, 3) + p('辛', 1, 0) + p('壬', 1, 2) + p('癸', 1, 3);
    expect(await lines(body, numbering)).toEqual(['一、甲', '（一）乙', '1.丙', '（1）丁', '（二）戊', '2.己', '（2）庚', '二、辛', '1.壬', '（3）癸']);
  });
  it('two w:num of one abstract numbering continue one sequence; a w:startOverride restarts it where that w:num is first used', async () => {
    const numbering = OFFICIAL(0) + num(1, 0) + num(2, 0) + num(3, 0, startOverride(0, 1)) + num(4, 0, startOverride(0, 5));
    const body = p('甲', 1, 0) + p('乙', 1, 0) + p('丙', 2, 0) + p('丁', 3, 0) + p('戊', 3, 0) + p('己', 4, 0) + p('庚', 4, 1) + p('辛', 4, 0);
    expect(await lines(body, numbering)).toEqual(['一、甲', '二、乙', '三、丙', '一、丁', '二、戊', '五、己', '（一）庚', '六、辛']);
  });
  it('%1.%2 shows each level in its own format, all decimal under w:isLgl; a level not used yet shows its start value', async () => {
    const numbering =
      abstractNum(0, lvl(0, 'decimal', '%1') + lvl(1, 'decimal', '%1.%2') + lvl(2, 'decimal', '%1.%2.%3')) +
      abstractNum(1, lvl(0, 'chineseCounting', '第%1章') + lvl(1, 'decimal', '%1.%2', '<w:isLgl/>') + lvl(2, 'upperLetter', '%1-%3')) +
      num(1, 0) + num(2, 1);
    const body = p('总则', 1, 0) + p('目的', 1, 1) + p('依据', 1, 1) + p('细则', 1, 2) + p('职责', 1, 0) + p('分工', 1, 1) + p('监督', 2, 0) + p('巡视', 2, 1) + p('附则', 2, 2) + p('补充', 2, 2);
    expect(await lines(body, numbering)).toEqual(['1 总则', '1.1 目的', '1.2 依据', '1.2.1 细则', '2 职责', '2.1 分工', '第一章 监督', '1.1 巡视', '一-A 附则', '一-B 补充']);
    const orphan = abstractNum(0, lvl(0, 'chineseCounting', '%1、', '', 3) + lvl(1, 'decimal', '%1.%2'));
    expect(await lines(p('无上级', 1, 1), orphan + num(1, 0))).toEqual(['三.1 无上级']);
  });
  it('a list continues across other paragraphs and tables; two lists count apart', async () => {
    const table = `<w:tbl><w:tr><w:tc>${p('表中', 1, 0)}</w:tc><w:tc>${p('单元格')}</w:tc></w:tr></w:tbl>`;
    const numbering = OFFICIAL(0) + abstractNum(1, lvl(0, 'decimalEnclosedCircle', '%1')) + num(1, 0) + num(2, 1);
    const body = p('甲', 1, 0) + p('正文。') + p('子', 2, 0) + table + p('又一段正文。') + p('乙', 1, 0) + p('丑', 2, 0) + p('丙', 1, 0);
    expect(await lines(body, numbering)).toEqual(['一、甲', '正文。', '①子', '二、表中\t单元格', '又一段正文。', '三、乙', '②丑', '四、丙']);
  });
  it('numbering through a paragraph style (Heading 1/2 linked to the list), inherited through w:basedOn; the paragraph’s own w:numPr wins, numId 0 takes it away', async () => {
    const numbering = OFFICIAL(0, ['<w:pStyle w:val="Heading1"/>', '<w:pStyle w:val="Heading2"/>']) + num(1, 0) + OFFICIAL(1) + num(2, 1);
    const styles =
      style('Normal', 'Normal') +
      style('Heading1', 'heading 1', numPr(1), 'Normal') +
      style('Heading2', 'heading 2', numPr(1, 1), 'Heading1') +
      style('MyHeading', '我的标题', '', 'Heading1') +
      style('Plain', '无编号', numPr(0), 'Heading1') +
      // A cycle of w:basedOn is followed until it repeats.
      style('LoopA', 'loop a', '', 'LoopB') + style('LoopB', 'loop b', '', 'LoopA');
    const body =
      p('总体情况', undefined, undefined, 'Heading1') + p('正文。') + p('政治建设', undefined, undefined, 'Heading2') + p('作风建设', undefined, undefined, 'Heading2') +
      p('整改要求', undefined, undefined, 'MyHeading') + p('组织领导', undefined, 1, 'Heading1') + p('不编号', 0, undefined, 'Heading1') + p('也不编号', undefined, undefined, 'Plain') +
      p('另一列表', 2, 0, 'Heading1') + p('循环样式', undefined, undefined, 'LoopA') + p('下一步', undefined, undefined, 'Heading1');
    const doc = await readDocumentAsync(await docx(body, numbering, styles), { path: 's.docx' });
    expect(doc.text.split('\n')).toEqual(['一、总体情况', '正文。', '（一）政治建设', '（二）作风建设', '二、整改要求', '（一）组织领导', '不编号', '也不编号', '一、另一列表', '循环样式', '三、下一步']);
    expect(doc.units.find((u) => u.text === '正文。')!.headingPath).toEqual(['一、总体情况']);
  });
  it('bullets get no text and stay list items; a none level shows only its literal text; an empty numbered paragraph is counted but not read', async () => {
    const numbering =
      abstractNum(0, lvl(0, 'bullet', '\uf0b7') + lvl(1, 'none', '附件：')) + OFFICIAL(1) + num(1, 0) + num(2, 1);
    const body = p('要点一', 1, 0) + p('说明', 1, 1) + p('甲', 2, 0) + p('', 2, 0) + p('丙', 2, 0);
    expect(await lines(body, numbering)).toEqual(['要点一', '附件：说明', '一、甲', '三、丙']);
  });
  it('a 序号 column numbered by Word: an empty numbered cell gets its number, as typed in a rectification list', async () => {
    const row = (cells: string[]): string => `<w:tr>${cells.map((c) => `<w:tc>${c}</w:tc>`).join('')}</w:tr>`;
    const numbering = abstractNum(0, lvl(0, 'decimal', '%1')) + num(1, 0) + OFFICIAL(1) + num(2, 1);
    const table = `<w:tbl>${row([p('序号'), p('问题'), p('整改措施')])}${row([p('', 1, 0), p('学习不深入。'), p('开展专题学习。')])}${row([p('', 1, 0), p('制度不健全。'), p('修订制度3项。')])}</w:tbl>`;
    expect(await lines(p('整改台账', 2, 0) + table + p('', 2, 0) + p('下一步', 2, 0), numbering)).toEqual(['一、整改台账', '序号\t问题\t整改措施', '1\t学习不深入。\t开展专题学习。', '2\t制度不健全。\t修订制度3项。', '三、下一步']);
  });
  it('numbers in footnotes are counted on their own; a hidden number (w:vanish in the level) is not read', async () => {
    const numbering = OFFICIAL(0) + num(1, 0) + abstractNum(1, lvl(0, 'decimal', '%1.', '<w:rPr><w:vanish/></w:rPr>')) + num(2, 1);
    const body = p('正文', 1, 0) + p('隐藏编号', 2, 0) + `<w:p>${r('注释在此')}<w:r><w:footnoteReference w:id="1"/></w:r></w:p>`;
    const notes = `<w:footnotes ${WORD_NS}><w:footnote w:id="1">${p('脚注条目', 1, 0)}</w:footnote></w:footnotes>`;
    const bytes = await docx(body, numbering, undefined, { 'word/footnotes.xml': notes }, [`<Relationship Id="rF" Type="${REL}/footnotes" Target="footnotes.xml"/>`]);
    expect((await extractDocx(bytes)).text.split('\n')).toEqual(['一、正文', '隐藏编号', '注释在此', '一、脚注条目']);
  });
  it('a text box written twice (mc:Choice and mc:Fallback) is counted once, as mammoth reads it once', async () => {
    const box = (t: string): string => `<w:txbxContent>${p(t, 1, 0)}</w:txbxContent>`;
    const drawing = `<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing>${box('框内')}</w:drawing></mc:Choice><mc:Fallback><w:pict>${box('框内')}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>`;
    expect(await lines(p('甲', 1, 0) + drawing + p('乙', 1, 0), OFFICIAL(0) + num(1, 0))).toEqual(['一、甲', '二、框内', '三、乙']);
  });
  it('a format Word 2010 writes as mc:AlternateContent is read from its mc:Fallback, as mammoth reads the body', async () => {
    const custom = '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/></mc:Choice><mc:Fallback><w:numFmt w:val="decimalZero"/></mc:Fallback></mc:AlternateContent>';
    const numbering = `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>${custom}<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>` + num(1, 0);
    expect(await lines(p('甲', 1, 0) + p('乙', 1, 0), numbering)).toEqual(['01.甲', '02.乙']);
  });
  it('Chinese, circled, full-width, Roman and letter formats', () => {
    const f = (fmt: string, ns: number[]): string => ns.map((n) => formatNumber(n, fmt)).join(' ');
    expect(f('chineseCounting', [1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110])).toBe('一 九 十 十一 十九 二十 二十一 九十九 一百 一百〇一 一百一十');
    expect(f('chineseCountingThousand', [10, 15, 105, 1234])).toBe('十 十五 一百零五 一千二百三十四');
    expect(f('chineseLegalSimplified', [1, 10, 11, 23])).toBe('壹 壹拾 壹拾壹 贰拾叁');
    expect(f('ideographTraditional', [1, 2, 3, 10, 11])).toBe('甲 乙 丙 癸 甲');
    expect(f('ideographZodiac', [1, 2, 12, 13])).toBe('子 丑 亥 子');
    expect(f('decimalEnclosedCircle', [1, 10, 20, 21, 50, 51])).toBe('① ⑩ ⑳ ㉑ ㊿ 51');
    expect(f('decimalEnclosedCircleChinese', [3])).toBe('③');
    expect(f('decimalFullWidth', [7, 12])).toBe('７ １２');
    expect(f('upperRoman', [4, 9, 14])).toBe('IV IX XIV');
    expect(f('lowerLetter', [1, 26, 27])).toBe('a z aa');
    expect(f('decimalZero', [3, 12])).toBe('03 12');
    expect(f('ordinalText', [3])).toBe('3');
  });
  it('a hostile numbering.xml (10,000 levels, a 100,000-character lvlText, a numStyleLink cycle, huge starts) is read without blowing up', async () => {
    const levels = Array.from({ length: 10_000 }, (_, i) => `<w:lvl w:ilvl="${i}"><w:start w:val="99999999"/><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1${'、'.repeat(i === 0 ? 100_000 : 1)}"/></w:lvl>`).join('');
    const numbering =
      `<w:abstractNum w:abstractNumId="0">${levels}</w:abstractNum>` +
      '<w:abstractNum w:abstractNumId="1"><w:numStyleLink w:val="Cyc"/></w:abstractNum>' + num(1, 0) + num(2, 1);
    const styles = '<w:style w:type="numbering" w:styleId="Cyc"><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>';
    const text = await lines(p('甲', 1, 0) + p('乙', 2, 0) + p('丙', 1, 9), numbering, styles);
    expect(text[0]).toBe(`32767${'、'.repeat(62)}甲`);
    expect(text.slice(1)).toEqual(['乙', '丙']);
  });
  it('an attribute value holding a `>` (XML allows it unescaped) stays in its tag: a lvlText of "%1>" shows "1>"', async () => {
    const numbering = '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1>"/></w:lvl></w:abstractNum>' + num(1, 0);
    expect(await lines(p('甲', 1, 0) + p('乙', 1, 0), numbering)).toEqual(['1>甲', '2>乙']);
  });
  it('a tag is never looked for past the next `<`: unclosed tags (<w:p <w:p …) cost one scan of the part, not one per tag', () => {
    // The bound that keeps the scans linear: each search for a tag stops at the next `<` (the old `[^>]*>` ran on to
    // the part's end from every one of 10^6 unclosed tags: hours for a 5 MB document.xml).
    const hostile = '<w:p <w:p w:x="a>b"><w:pPr/><w:p <w:p/>';
    const found = [...hostile.matchAll(openTag('w:p', 'g'))].map((m) => m[0]);
    expect(found).toEqual(['<w:p w:x="a>b">', '<w:p/>']);
    // The readers on such parts: nothing read, nothing thrown, the part given back as it is.
    const defs = readNumbering(`<w:abstractNum w:abstractNumId="0">${'<w:lvl '.repeat(1000)}</w:abstractNum>${num(1, 0)}`, `<w:style w:styleId="a">${'<w:pPr '.repeat(1000)}</w:style>`);
    expect(defs.abstracts.get('0')!.levels.filter(Boolean)).toEqual([]);
    const part = `<w:body>${'<w:p '.repeat(1000)}`;
    expect(withNumberText(part, defs)).toBe(part);
    expect(withoutHiddenRuns(`<w:vanish/>${'<w:r '.repeat(1000)}`)).toBe(`<w:vanish/>${'<w:r '.repeat(1000)}`);
  });
  it('paragraph properties holding thousands of tracked changes are scanned once: each search for their end ran on from the last change', () => {
    const defs = readNumbering(OFFICIAL(0) + num(1, 0), undefined);
    const xml = `<w:body><w:p><w:pPr>${numPr(1, 0)}${'<w:pPrChange w:id="1">x</w:pPrChange>'.repeat(2000)}</w:pPr>${r('总体情况')}</w:p>${p('正文。')}</w:body>`;
    // Characters looked at by indexOf: from where each search starts to its hit (or the end).
    let scanned = 0;
    const indexOf = String.prototype.indexOf;
    const spy = vi.spyOn(String.prototype, 'indexOf').mockImplementation(function (this: string, needle: string, from?: number) {
      const at = indexOf.call(this, needle, from);
      scanned += (at < 0 ? this.length : at) - (from ?? 0);
      return at;
    });
    let out: string;
    try {
      out = withNumberText(xml, defs);
    } finally {
      spy.mockRestore();
    }
    expect(out).toContain('<w:t xml:space="preserve">一、</w:t></w:r><w:r><w:t xml:space="preserve">总体情况');
    expect(scanned).toBeLessThan(4 * xml.length);
  });
});
