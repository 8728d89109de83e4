import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { extractOdt, MAX_ODT_DEPTH } from '../src/odt-read.js';
import { detectFormat, INPUT_EXTENSIONS, readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { contentXml, listStyle, makeFodt, makeOdt, ODF_NS, odfText, odtBody } from './support/odt-fixtures.js';

function errorOf(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    return { code: (e as XunshiError).code, message: (e as XunshiError).message };
  }
  throw new Error('no error');
}

const lines = (bytes: Uint8Array, path = 'r.odt'): string[] => readDocument(bytes, { path }).units.map((u) => u.text);
const headingPaths = (bytes: Uint8Array, path = 'r.odt'): string[] => readDocument(bytes, { path }).units.map((u) => `${u.headingPath.join(' / ')} :: ${u.text}`);

/** The levels of a 公文's multilevel list: 一、 （一） 1. （1）. */
const GONGWEN = listStyle('L1', [{ format: '一, 二, 三, ...', suffix: '、' }, { format: '一, 二, 三, ...', prefix: '（', suffix: '）' }, { format: '1', suffix: '.' }, { format: '1', prefix: '（', suffix: '）' }]);
const item = (text: string, inner = ''): string => `<text:list-item><text:p text:style-name="Standard">${odfText(text)}</text:p>${inner}</text:list-item>`;
const list = (items: string, attrs = ''): string => `<text:list${attrs}>${items}</text:list>`;

describe('OpenDocument text: structure', () => {
  it('reads the title (the document’s title, as a .txt’s first line), headings by outline level, paragraphs and tables (spans kept, covered cells skipped)', async () => {
    const body =
      odtBody([{ text: '关于巡视整改情况的通报', title: true }, { text: '一、总体情况', level: 1 }, { text: '巡视组反馈了问题。' }, { text: '（一）党的领导', level: 2 }, { text: '落实不到位。' }]) +
      '<table:table><table:table-column table:number-columns-repeated="3"/><table:table-header-rows><table:table-row><table:table-cell><text:p>序号</text:p></table:table-cell><table:table-cell><text:p>问题</text:p></table:table-cell><table:table-cell><text:p>责任单位</text:p></table:table-cell></table:table-row></table:table-header-rows>' +
      '<table:table-row><table:table-cell><text:p>1</text:p></table:table-cell><table:table-cell><text:p>学习不深入。</text:p></table:table-cell><table:table-cell table:number-rows-spanned="2"><text:p>办公室</text:p></table:table-cell></table:table-row>' +
      '<table:table-row><table:table-cell><text:p>2</text:p></table:table-cell><table:table-cell><text:p>制度不健全。</text:p></table:table-cell><table:covered-table-cell><text:p>不显示</text:p></table:covered-table-cell></table:table-row>' +
      '<table:table-row><table:table-cell table:number-columns-spanned="3"><text:p>合计两项。</text:p></table:table-cell><table:covered-table-cell/><table:covered-table-cell/></table:table-row></table:table>';
    const doc = await readDocumentAsync(await makeOdt(body), { path: 'r.odt' });
    expect(doc.format).toBe('odt');
    expect(doc.text).not.toContain('不显示');
    expect(doc.text).not.toContain('页眉文字');
    expect(doc.units.map((u) => `${u.headingPath.join(' / ')} :: ${u.text}`)).toEqual([
      ' :: 关于巡视整改情况的通报',
      ' :: 一、总体情况',
      '一、总体情况 :: 巡视组反馈了问题。',
      '一、总体情况 :: （一）党的领导',
      '一、总体情况 / （一）党的领导 :: 落实不到位。',
      ...['序号', '问题', '责任单位', '1', '学习不深入。', '办公室', '2', '制度不健全。', '合计两项。'].map((t) => `一、总体情况 / （一）党的领导 :: ${t}`),
    ]);
  });

  it('reads a paragraph whose style has a default outline level as a heading', () => {
    const styles = '<style:style style:name="P9" style:family="paragraph" style:parent-style-name="Heading_20_1"/>';
    const body = '<text:p text:style-name="P9">一、总体情况</text:p><text:p text:style-name="Standard">正文。</text:p>';
    expect(headingPaths(makeFodt(body, { automaticStyles: styles }), 'r.fodt')).toEqual([' :: 一、总体情况', '一、总体情况 :: 正文。']);
  });

  it('writes text:s (with text:c), tabs and line breaks; leaves out comments, deletions, page breaks, hidden text, the table of contents and frame titles', async () => {
    const body =
      '<text:table-of-content text:name="目录"><text:index-body><text:index-title><text:p>目录</text:p></text:index-title><text:p text:style-name="Contents_20_1">一、总体情况\t1</text:p></text:index-body></text:table-of-content>' +
      '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>删除的话。</text:p></text:deletion></text:changed-region></text:tracked-changes>' +
      '<text:h text:outline-level="1">一、总体情况</text:h>' +
      '<text:p>甲<text:s text:c="3"/>乙<text:tab/>丙<text:line-break/>丁。<office:annotation><dc:creator>审稿人</dc:creator><text:p>批注内容</text:p></office:annotation><text:soft-page-break/><text:change text:change-id="c1"/>戊<text:span text:style-name="Hidden">隐藏的字</text:span>己。</text:p>' +
      '<text:p><draw:frame draw:name="图1"><svg:title>图的标题</svg:title><svg:desc>图的说明</svg:desc><draw:text-box><text:p>文本框里的话。</text:p></draw:text-box></draw:frame>框外的话。</text:p>' +
      '<text:section text:name="隐藏节" text:display="none"><text:p>隐藏节的话。</text:p></text:section>' +
      // A flat file's image bytes and embedded chart (its own document with a table), and the document-title field.
      '<text:p>图片<draw:frame><draw:image><office:binary-data>iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB</office:binary-data></draw:image></draw:frame>之后。</text:p>' +
      '<text:p><draw:frame><draw:object><office:document><office:body><office:chart><table:table><table:table-row><table:table-cell><text:p>图表数据</text:p></table:table-cell></table:table-row></table:table></office:chart></office:body></office:document></draw:object></draw:frame>标题字段：<text:title>巡察通报</text:title>。</text:p>';
    const doc = await readDocumentAsync(await makeOdt(body), { path: 'r.odt' });
    for (const gone of ['目录', '删除的话', '批注内容', '审稿人', '隐藏的字', '图的标题', '图的说明', '隐藏节的话', 'iVBOR', '图表数据']) expect(doc.text).not.toContain(gone);
    expect(doc.text).toContain('图片之后。');
    expect(doc.text).toContain('标题字段：巡察通报。');
    // Runs of spaces and tabs are white space in the HTML, as the docx reader's are.
    expect(doc.text).toContain('甲 乙 丙\n丁。戊己。');
    expect(doc.text).toContain('文本框里的话。');
    expect(doc.text).toContain('框外的话。');
    expect(doc.units[0]!.text).toBe('一、总体情况');
  });

  it('puts footnotes and endnotes after the body, without their markers in the text', async () => {
    const note = (cls: string, citation: string, text: string): string => `<text:note text:id="n${citation}" text:note-class="${cls}"><text:note-citation>${citation}</text:note-citation><text:note-body><text:p>${text}</text:p></text:note-body></text:note>`;
    const body = `<text:p>巡视组反馈了问题${note('footnote', '1', '见巡视反馈意见。')}，整改已完成${note('endnote', 'i', '据整改台账。')}。</text:p><text:p>下一段。</text:p>`;
    const doc = readDocument(await makeOdt(body), { path: 'r.odt' });
    expect(doc.units.map((u) => u.text)).toEqual(['巡视组反馈了问题，整改已完成。', '下一段。']);
    expect(doc.text).toBe('巡视组反馈了问题，整改已完成。\n下一段。\n见巡视反馈意见。\n据整改台账。');
  });
});

describe('OpenDocument text: automatic list numbering from the list style', () => {
  it('numbers a 公文 multilevel list 一、（一）1.（1） as LibreOffice shows it, each level restarting under the one above', () => {
    const body = list(
      item('总体情况', list(item('党的领导', list(item('学习不深入', list(item('第一点') + item('第二点'))) + item('制度不健全'))) + item('全面从严治党'))) + item('整改措施', list(item('压实责任'))),
      ' text:style-name="L1"',
    );
    expect(lines(makeFodt(body, { automaticStyles: GONGWEN }), 'r.fodt')).toEqual(['一、总体情况', '（一）党的领导', '1.学习不深入', '（1）第一点', '（2）第二点', '2.制度不健全', '（二）全面从严治党', '二、整改措施', '（一）压实责任']);
  });

  it('restarts a new list, continues one that says so (text:continue-numbering, text:continue-list), and restarts at an item’s text:start-value', () => {
    const style = listStyle('L2', [{ format: '1', suffix: '.' }]);
    const body =
      list(item('甲') + item('乙'), ' text:style-name="L2" xml:id="list1"') +
      '<text:p>间隔一。</text:p>' +
      list(item('丙'), ' text:style-name="L2" text:continue-numbering="true"') +
      '<text:p>间隔二。</text:p>' +
      list(item('丁'), ' text:style-name="L2"') +
      list(item('戊'), ' text:style-name="L2" text:continue-list="list1"') +
      list(`<text:list-item text:start-value="7"><text:p>己</text:p></text:list-item>${item('庚')}`, ' text:style-name="L2"');
    expect(lines(makeFodt(body, { automaticStyles: style }), 'r.fodt')).toEqual(['1.甲', '2.乙', '间隔一。', '3.丙', '间隔二。', '1.丁', '4.戊', '7.己', '8.庚']);
  });

  it('reads start values, letters, roman and Chinese formats, several levels shown, LibreOffice’s own level format; bullets and list headers get no number', () => {
    const style = listStyle('L3', [
      { format: '壹, 贰, 叁, ...', suffix: '、', start: 3 },
      { format: 'A', suffix: ')' },
      { format: 'i', prefix: '(', suffix: ')', displayLevels: 3 },
      { bullet: '•' },
    ]);
    const lo = listStyle('L4', [{ format: '1', listFormat: '第%1%条' }, { format: '1', listFormat: '%1%.%2%' }]);
    const body =
      list(item('一项', list(item('甲项', list(item('子项', list(item('圆点项'))))))) + '<text:list-header><text:p>表头行</text:p></text:list-header>' + item('二项'), ' text:style-name="L3"') +
      list(item('总则', list(item('细则'))), ' text:style-name="L4"');
    expect(lines(makeFodt(body, { automaticStyles: style + lo }), 'r.fodt')).toEqual(['叁、一项', 'A)甲项', '(叁.A.i)子项', '圆点项', '表头行', '肆、二项', '第1条 总则', '1.1 细则']);
  });

  it('numbers headings by the outline style, and counts the notes’ lists apart from the body’s', async () => {
    const outline = `<text:outline-style style:name="Outline"><text:outline-level-style text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/><text:outline-level-style text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（" style:num-suffix="）"/></text:outline-style>`;
    const style = listStyle('L5', [{ format: '1', suffix: '.' }]);
    const note = `<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>${list(item('注一'), ' text:style-name="L5"')}</text:note-body></text:note>`;
    const body = `<text:h text:outline-level="1">总体情况</text:h><text:h text:outline-level="2">党的领导</text:h>${list(item('学习贯彻不够深入，存在形式主义问题。') + item('制度执行不够严格，监督检查不到位。'), ' text:style-name="L5"')}<text:p>说明${note}。</text:p><text:h text:outline-level="2">作风建设</text:h><text:h text:outline-level="1" text:is-list-header="true">附件</text:h><text:h text:outline-level="1">整改措施</text:h>`;
    expect(headingPaths(await makeOdt(body, { styles: outline, automaticStyles: style }))).toEqual([
      ' :: 一、总体情况',
      '一、总体情况 :: （一）党的领导',
      '一、总体情况 / （一）党的领导 :: 1.学习贯彻不够深入，存在形式主义问题。',
      '一、总体情况 / （一）党的领导 :: 2.制度执行不够严格，监督检查不到位。',
      '一、总体情况 / （一）党的领导 / 2.制度执行不够严格，监督检查不到位。 :: 说明。',
      '一、总体情况 :: （二）作风建设',
      ' :: 附件',
      ' :: 二、整改措施',
    ]);
    expect(readDocument(await makeOdt(body, { styles: outline, automaticStyles: style }), { path: 'r.odt' }).text).toMatch(/二、整改措施\n1\.注一$/);
  });

  it('reads a text:number a producer wrote only where the list style gives no number', () => {
    const outline = '<text:outline-style style:name="Outline"><text:outline-level-style text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/></text:outline-style>';
    const body = '<text:h text:outline-level="1"><text:number>九、</text:number>总体情况</text:h><text:h text:outline-level="2"><text:number>（一）</text:number>党的领导</text:h>';
    expect(lines(makeFodt(body, { styles: outline }), 'r.fodt')).toEqual(['一、总体情况', '（一）党的领导']);
  });

  it('gives a numbered item without text no number, except in a table cell (the 序号 column)', () => {
    const style = listStyle('L6', [{ format: '1', suffix: '.' }]);
    const cell = (inner: string): string => `<table:table-cell>${inner}</table:table-cell>`;
    const row = (n: string): string => `<table:table-row>${cell(list('<text:list-item><text:p/></text:list-item>', ` text:style-name="L6"${n === '1' ? '' : ' text:continue-numbering="true"'}`))}${cell(`<text:p>问题${n}。</text:p>`)}</table:table-row>`;
    const body = list('<text:list-item><text:p/></text:list-item>' + item('有字'), ' text:style-name="L6"') + `<table:table><table:table-column table:number-columns-repeated="2"/>${row('1')}${row('2')}</table:table>`;
    expect(lines(makeFodt(body, { automaticStyles: style }), 'r.fodt')).toEqual(['2.有字', '1.', '问题1。', '2.', '问题2。']);
  });
});

describe('OpenDocument text: formats and errors', () => {
  it('is sniffed by its mimetype entry whatever its name, a template too; a flat .fodt by its root; other kinds are named', async () => {
    const odt = await makeOdt(odtBody([{ text: '巡视。' }]));
    for (const path of ['r.odt', 'r', 'r.docx', 'report.zip.odt', 'r.bin']) expect(sniffFormat(odt, path)).toBe('odt');
    expect(sniffFormat(await makeOdt('<text:p>模板。</text:p>', { mimetype: 'application/vnd.oasis.opendocument.text-template' }), 'r.ott')).toBe('odt');
    expect(sniffFormat(makeFodt('<text:p>巡视。</text:p>'), 'r.fodt')).toBe('odt');
    expect(sniffFormat(makeFodt('<text:p>巡视。</text:p>'), 'r')).toBe('odt');
    // A .txt stays text whatever it holds.
    expect(sniffFormat(makeFodt('<text:p>巡视。</text:p>'), 'r.txt')).toBe('text');
    expect(detectFormat('a.odt')).toBe('odt');
    expect(detectFormat('a.fodt')).toBe('odt');
    for (const ext of ['.odt', '.ott', '.fodt']) expect(INPUT_EXTENSIONS).toContain(ext);
    const ods = await makeOdt('', { mimetype: 'application/vnd.oasis.opendocument.spreadsheet' });
    for (const path of ['r.ods', 'r.odt', 'r']) expect(errorOf(() => sniffFormat(ods, path))).toEqual({ code: ERROR_CODES.INPUT_UNSUPPORTED, message: expect.stringContaining('an OpenDocument spreadsheet (.ods)') });
    const odp = await makeOdt('', { mimetype: 'application/vnd.oasis.opendocument.presentation' });
    expect(errorOf(() => sniffFormat(odp, 'r.odp')).message).toContain('an OpenDocument presentation (.odp)');
    expect(errorOf(() => sniffFormat(makeFodt('', { mimetype: 'application/vnd.oasis.opendocument.spreadsheet' }), 'r.fods')).message).toMatch(/OpenDocument spreadsheet.*flat XML/);
    expect(errorOf(() => extractOdt(ods, { path: 'r.odt' })).code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    expect(errorOf(() => sniffFormat(new TextEncoder().encode('巡视组反馈。'), 'r.odt'))).toEqual({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringContaining('not an OpenDocument text') });
    expect(errorOf(() => detectFormat('a.ods')).code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
  });

  it('never inflates a mimetype entry that lies about its size (50 MB declared as 39 bytes) while sniffing', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = new JSZip();
    zip.file('mimetype', 'application/vnd.oasis.opendocument.text' + ' '.repeat(50_000_000), { compression: 'DEFLATE' });
    zip.file('content.xml', contentXml('<text:p>巡视组反馈了问题。</text:p>'));
    const bytes = Buffer.from(await zip.generateAsync({ type: 'uint8array' }));
    // The declared size, in the local header (offset 22) and the central directory (offset 24), made 39 bytes.
    const local = bytes.indexOf(Buffer.from('504b0304', 'hex'));
    bytes.writeUInt32LE(39, local + 22);
    const central = bytes.indexOf(Buffer.from('504b0102', 'hex'));
    bytes.writeUInt32LE(39, central + 24);
    // Only the names are looked at: read whole, its text would have said an OpenDocument text.
    expect(sniffFormat(bytes, 'r')).toBe('docx');
    expect(sniffFormat(bytes, 'r.odt')).toBe('odt');
    expect(readDocument(bytes, { path: 'r.odt' }).units.map((u) => u.text)).toEqual(['巡视组反馈了问题。']);
  });

  it('refuses a zip bomb, an encrypted package, a malformed part (named), a package without content.xml and nesting past the bound', async () => {
    const big = '<text:p>巡视组反馈了问题。</text:p>'.repeat(20000);
    expect(errorOf(() => readDocument(new Uint8Array(0) as Uint8Array, { path: 'r.odt' })).code).toBe(ERROR_CODES.INPUT_EMPTY);
    const bomb = await makeOdt(big);
    expect(errorOf(() => readDocument(bomb, { path: 'r.odt', maxUncompressedBytes: 100_000 })).code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    expect(readDocument(bomb, { path: 'r.odt' }).units.length).toBe(20000);
    const encrypted = await makeOdt('<text:p>巡视。</text:p>', { encrypted: true });
    expect(errorOf(() => readDocument(encrypted, { path: 'r.odt' }))).toEqual({ code: ERROR_CODES.INPUT_ENCRYPTED, message: expect.stringMatching(/password/) });
    const broken = await makeOdt('', { parts: { 'content.xml': contentXml('<text:p>巡视。</text:span>') } });
    expect(errorOf(() => readDocument(broken, { path: 'r.odt' }))).toEqual({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringContaining('content.xml is not well-formed XML') });
    const badStyles = await makeOdt('<text:p>巡视。</text:p>', { parts: { 'styles.xml': '<office:document-styles' } });
    expect(errorOf(() => readDocument(badStyles, { path: 'r.odt' })).message).toContain('styles.xml');
    // Cut short, as a download can be: its name says what it is, the zip reader says how it is damaged.
    const cut = (await makeOdt('<text:p>巡视。</text:p>')).subarray(0, 300);
    expect(sniffFormat(cut, 'r.odt')).toBe('odt');
    expect(errorOf(() => readDocument(cut, { path: 'r.odt' })).code).toBe(ERROR_CODES.INPUT_TRUNCATED);
    const noContent = await makeOdt('', { parts: { 'content.xml': null } });
    expect(errorOf(() => readDocument(noContent, { path: 'r.odt' }))).toEqual({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringContaining('no content.xml') });
    const deep = '<text:list><text:list-item>'.repeat(MAX_ODT_DEPTH) + '<text:p>深</text:p>' + '</text:list-item></text:list>'.repeat(MAX_ODT_DEPTH);
    expect(errorOf(() => readDocument(makeFodt(deep), { path: 'r.fodt' })).code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    // A DTD's entities are never expanded (saxes reads no DTD).
    const dtd = new TextEncoder().encode(`<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><office:document ${ODF_NS} office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text><text:p>&b;</text:p></office:text></office:body></office:document>`);
    expect(errorOf(() => readDocument(dtd, { path: 'r.fodt' })).code).toBe(ERROR_CODES.INPUT_CORRUPT);
    // A count of spaces of 10⁹ gives a bounded run.
    const spaces = readDocument(makeFodt('<text:p>甲<text:s text:c="1000000000"/>乙</text:p>'), { path: 'r.fodt' }).text;
    expect(spaces.length).toBeLessThan(300);
    expect(errorOf(() => readDocument(makeFodt('<text:p> </text:p>'), { path: 'r.fodt' })).code).toBe(ERROR_CODES.INPUT_EMPTY);
  });

  it('property: any nesting of ODF elements with hostile attributes is read or refused with a XunshiError, never anything else', () => {
    const tags = ['text:p', 'text:h', 'text:list', 'text:list-item', 'text:list-header', 'table:table', 'table:table-row', 'table:table-cell', 'table:covered-table-cell', 'text:note', 'text:note-body', 'text:span', 'text:section', 'office:annotation', 'draw:frame', 'draw:text-box', 'text:number', 'text:table-of-content'];
    const attrs = fc.array(
      fc.tuple(
        fc.constantFrom('text:style-name', 'text:outline-level', 'text:start-value', 'text:continue-numbering', 'text:continue-list', 'xml:id', 'text:c', 'table:number-columns-spanned', 'table:number-rows-spanned', 'text:is-list-header', 'text:restart-numbering', 'text:note-class', 'text:display'),
        fc.constantFrom('L1', 'L9', 'true', '0', '-3', '1', '7', '11', '99999999999', 'NaN', 'l1', 'endnote', 'none', ''),
      ),
      { maxLength: 3 },
    );
    type El = { tag: string; attrs: [string, string][]; children: (El | string)[] };
    const tree = fc.letrec<{ el: El; node: El | string }>((tie) => ({
      el: fc.record({ tag: fc.constantFrom(...tags, 'text:s', 'text:tab', 'text:line-break'), attrs, children: fc.array(tie('node'), { maxLength: 4 }) }),
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, fc.constantFrom('巡视', '整改。', ' ', '&amp;', '一、'), tie('el')),
    })).el;
    const render = (n: El | string): string => (typeof n === 'string' ? n : `<${n.tag}${n.attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}>${n.children.map(render).join('')}</${n.tag}>`);
    fc.assert(
      fc.property(fc.array(tree, { maxLength: 6 }), (nodes) => {
        try {
          readDocument(makeFodt(nodes.map(render).join(''), { automaticStyles: GONGWEN }), { path: 'r.fodt' });
        } catch (e) {
          expect(e).toBeInstanceOf(XunshiError);
          // Attributes repeated on one element are malformed XML; an element without text gives an empty document.
          expect([ERROR_CODES.INPUT_CORRUPT, ERROR_CODES.INPUT_EMPTY]).toContain((e as XunshiError).code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('property: random nesting of lists, tables, notes, sections and spans never throws and keeps every text', () => {
    type Node = { kind: 'p'; text: string; note?: string } | { kind: 'list' | 'table' | 'section'; children: Node[] };
    const word = fc.stringMatching(/^[\u4e00-\u4e2f]{1,6}$/);
    const tree = fc.letrec<{ node: Node }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.record({ kind: fc.constant('p' as const), text: word, note: fc.option(word, { nil: undefined }) }),
        fc.record({ kind: fc.constantFrom('list' as const, 'table' as const, 'section' as const), children: fc.array(tie('node'), { maxLength: 4 }) }),
      ),
    })).node;
    const render = (n: Node): string => {
      switch (n.kind) {
        case 'p':
          return `<text:p><text:span>${n.text}</text:span>${n.note !== undefined ? `<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>${n.note}</text:p></text:note-body></text:note>` : ''}。</text:p>`;
        case 'list':
          return `<text:list text:style-name="L1">${n.children.map((c) => `<text:list-item>${c.kind === 'list' ? '' : '<text:p/>'}${render(c)}</text:list-item>`).join('')}</text:list>`;
        case 'table':
          return `<table:table><table:table-row>${n.children.map((c) => `<table:table-cell>${render(c)}</table:table-cell>`).join('')}</table:table-row></table:table>`;
        case 'section':
          return `<text:section text:name="s">${n.children.map(render).join('')}</text:section>`;
      }
    };
    const texts = (n: Node): string[] => (n.kind === 'p' ? [n.text, ...(n.note !== undefined ? [n.note] : [])] : n.children.flatMap(texts));
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 5 }), (nodes) => {
        const all = nodes.flatMap(texts);
        fc.pre(all.length > 0);
        const doc = readDocument(makeFodt(nodes.map(render).join(''), { automaticStyles: GONGWEN }), { path: 'r.fodt' });
        let at = 0;
        const text = doc.text.replace(/\s+/g, '');
        for (const t of all) {
          const i = text.indexOf(t, 0);
          expect(i, `${t} in ${text}`).toBeGreaterThanOrEqual(0);
          at = i;
        }
        expect(at).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });
});
