import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { expandDeltas, extractOfd, MAX_OFD_DEPTH, readOfdPages } from '../src/ofd-read.js';
import { detectFormat, INPUT_EXTENSIONS, readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { makeDocx, makeOfd, makeZip } from './support/fixtures.js';

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const PT = 72 / 25.4;
const OFD_XML = `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>1</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`;
const documentXml = (pages: number, templates = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>9</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>${templates}</ofd:CommonData><ofd:Pages>${Array.from({ length: pages }, (_, i) => `<ofd:Page ID="${i + 10}" BaseLoc="Pages/Page_${i}/Content.xml"/>`).join('')}</ofd:Pages></ofd:Document>`;
const pageXml = (objects: string, before = ''): string => `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}>${before}<ofd:Content><ofd:Layer ID="2">${objects}</ofd:Layer></ofd:Content></ofd:Page>`;
const text = (boundary: string, codes: string, attrs = ''): string => `<ofd:TextObject ID="3" Boundary="${boundary}" Font="1"${attrs.includes('Size=') ? '' : ' Size="5"'}${attrs}>${codes}</ofd:TextObject>`;

/** A hand-written package: OFD.xml, Doc_0/Document.xml and one Content.xml a page; `extra` adds or replaces entries. */
function pkg(pages: string[], extra: Record<string, string | Uint8Array> = {}, templates = ''): Promise<Uint8Array> {
  const entries: Record<string, string | Uint8Array> = { 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': documentXml(pages.length, templates) };
  pages.forEach((p, i) => (entries[`Doc_0/Pages/Page_${i}/Content.xml`] = p));
  return makeZip({ ...entries, ...extra });
}

async function errorOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    return { code: (e as XunshiError).code, message: (e as XunshiError).message };
  }
  throw new Error('no error');
}

const body = (n: number): string[] => Array.from({ length: n }, (_, i) => `第${i + 1}段：巡视发现，该单位违规发放津贴补贴，整改责任落实不到位，群众反映强烈的问题长期得不到解决。`);

describe('OFD: placing the text', () => {
  it('expands DeltaX lists with the g shorthand, only as far as the text needs', () => {
    expect(expandDeltas('g 3 5.2 1 g 2 0.5', 10)).toEqual([5.2, 5.2, 5.2, 1, 0.5, 0.5]);
    expect(expandDeltas('g 3 5.2 1 g 2 0.5', 4)).toEqual([5.2, 5.2, 5.2, 1]);
    expect(expandDeltas('1 x 2', 3)).toEqual([1, undefined, 2]);
    expect(expandDeltas(undefined, 3)).toEqual([]);
    // A repeat count of four billion on a two-character code costs two values.
    const start = performance.now();
    expect(expandDeltas('g 4000000000 1', 1)).toEqual([1]);
    expect(expandDeltas(`${'g 1000000000 2 '.repeat(1000)}`, 5)).toEqual([2, 2, 2, 2, 2]);
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('places glyphs from X/Y and DeltaX relative to the Boundary, through the CTM, with y turned upwards in points', async () => {
    // Boundary at (50, 100) mm, CTM halves: TextCode (20, 10) is (60, 105) on the page, size 10 → 5 mm.
    const page = pageXml(text('50 100 40 10', '<ofd:TextCode X="20" Y="10" DeltaX="g 3 10">巡视整改</ofd:TextCode>', ' CTM="0.5 0 0 0.5 0 0" Size="10"'));
    const { pages } = await readOfdPages(await pkg([page]));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.width).toBeCloseTo(210 * PT);
    expect(pages[0]!.height).toBeCloseTo(297 * PT);
    const [run] = pages[0]!.items;
    expect(run!.str).toBe('巡视整改');
    expect(run!.x).toBeCloseTo(60 * PT);
    expect(run!.y).toBeCloseTo((297 - 105) * PT);
    expect(run!.height).toBeCloseTo(5 * PT);
    expect(run!.width).toBeCloseTo(20 * PT);
  });

  it('splits a TextCode where DeltaX jumps, moves onto other lines with DeltaY, and reads objects in page order whatever their order in the file', async () => {
    const objects = [
      text('20 60 100 10', '<ofd:TextCode X="0" Y="5" DeltaX="5 5 5 5">第二行内容</ofd:TextCode>'),
      // 发布时间 … 来源: a gap of 30 mm (six characters) in the DeltaX list is written space, not one run.
      text('20 40 160 10', '<ofd:TextCode X="0" Y="5" DeltaX="g 4 5 35 5 5">发布时间：来源：</ofd:TextCode>'),
      text('20 50 100 10', '<ofd:TextCode X="0" Y="5" DeltaX="5 5" DeltaY="0 0">第一行</ofd:TextCode><ofd:TextCode X="15" Y="5" DeltaX="5">内容</ofd:TextCode>'),
      // One code drawn down a column: each character on a line of its own.
      text('150 100 10 40', '<ofd:TextCode X="0" Y="5" DeltaX="0 0" DeltaY="10 10">上中下</ofd:TextCode>'),
    ];
    const doc = await extractOfd(await pkg([pageXml(objects.join(''))]));
    expect(doc.text.split('\n')).toEqual(['发布时间：　　　　　　来源：', '第一行内容', '第二行内容', '上', '中', '下']);
  });

  it('a TextCode without X/Y goes on from where the last one ended; a DeltaX list that runs short keeps its last value', async () => {
    const { pages } = await readOfdPages(await pkg([pageXml(text('10 20 100 10', '<ofd:TextCode X="0" Y="5" DeltaX="6">巡视整改</ofd:TextCode><ofd:TextCode>通报</ofd:TextCode>'))]));
    const items = pages[0]!.items;
    expect(items.map((i) => i.str)).toEqual(['巡视整改', '通报']);
    // 巡 at 10, then 6 mm a character: 改 at 28, ending 33; 通报 goes on at 33.
    expect(items[0]!.width).toBeCloseTo(23 * PT);
    expect(items[1]!.x).toBeCloseTo(33 * PT);
    expect(items[1]!.y).toBeCloseTo(items[0]!.y);
  });

  it('one TextCode a character (no DeltaX), as some producers write: Latin words stay whole, HScale narrows the glyphs', async () => {
    // WTO 2023 in a proportional font, 5 mm: W 4.7, T 3.1, O 3.9 mm wide, a 1.4 mm space before 2023.
    const xs: [string, number][] = [['在', 0], ['W', 5], ['T', 9.7], ['O', 12.8], ['2', 18.1], ['0', 20.9], ['2', 23.7], ['3', 26.5], ['年', 29.3]];
    const codes = xs.map(([ch, x]) => `<ofd:TextCode X="${x}" Y="5">${ch}</ofd:TextCode>`).join('');
    expect((await extractOfd(await pkg([pageXml(text('20 40 100 10', codes))]))).text).toBe('在WTO 2023年');
    // 长宋 at 80 %: four characters of 5 mm drawn 4 mm apart, then 4 mm on: one run, no gap.
    const narrow = text('20 60 100 10', '<ofd:TextCode X="0" Y="5">巡视</ofd:TextCode><ofd:TextCode X="8" Y="5">整改</ofd:TextCode>', ' HScale="0.8"');
    const { pages } = await readOfdPages(await pkg([pageXml(narrow)]));
    expect(pages[0]!.items.map((i) => [i.str, +(i.width / PT).toFixed(2)])).toEqual([
      ['巡视', 8],
      ['整改', 8],
    ]);
  });

  it('leaves out images, paths, composite objects, hidden text and text far off the page, reads PageBlocks and every layer', async () => {
    const objects = [
      '<ofd:ImageObject ID="4" Boundary="0 0 50 50" ResourceID="7"/>',
      '<ofd:PathObject ID="5" Boundary="0 0 50 1"><ofd:AbbreviatedData>M 0 0 L 50 0</ofd:AbbreviatedData></ofd:PathObject>',
      '<ofd:CompositeObject ID="6" Boundary="0 0 9 9" ResourceID="8"/>',
      text('20 40 100 10', '<ofd:TextCode X="0" Y="5">隐藏的字</ofd:TextCode>', ' Visible="false"'),
      text('20 45 100 10', '<ofd:TextCode X="0" Y="5">也隐藏的字</ofd:TextCode>', ' Visible="0"'),
      text('1e300 40 100 10', '<ofd:TextCode X="0" Y="5">很远的字</ofd:TextCode>'),
      text('20 1e308 100 10', '<ofd:TextCode X="0" Y="1e308">无穷远</ofd:TextCode>'),
      `<ofd:PageBlock ID="9"><ofd:PageBlock ID="10">${text('20 60 100 10', '<ofd:TextCode X="0" Y="5">块中的字。</ofd:TextCode>')}</ofd:PageBlock></ofd:PageBlock>`,
    ];
    const page = pageXml(objects.join('')).replace('</ofd:Content>', `<ofd:Layer ID="11" Type="Foreground">${text('20 80 100 10', '<ofd:TextCode X="0" Y="5">前景层的字。</ofd:TextCode>')}</ofd:Layer></ofd:Content>`);
    const doc = await extractOfd(await pkg([page]));
    expect(doc.text).toBe('块中的字。\n前景层的字。');
  });

  it('a page of its own size (Page/Area/PhysicalBox) and paths from the package root', async () => {
    const page = `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}><ofd:Area><ofd:PhysicalBox>0 0 297 210</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="2">${text('20 20 100 10', '<ofd:TextCode X="0" Y="5">横排的页。</ofd:TextCode>')}</ofd:Layer></ofd:Content></ofd:Page>`;
    const bytes = await makeZip({
      'OFD.xml': OFD_XML.replace('<ofd:DocRoot>Doc_0/', '<ofd:DocRoot>/Doc_0/'),
      'Doc_0/Document.xml': documentXml(1).replace('BaseLoc="Pages/', 'BaseLoc="/Doc_0/Pages/'),
      'Doc_0/Pages/Page_0/Content.xml': page,
    });
    const { pages } = await readOfdPages(bytes);
    expect(pages[0]!.width).toBeCloseTo(297 * PT);
    expect(pages[0]!.items[0]!.y).toBeCloseTo((210 - 25) * PT);
  });

  it('a report set in two columns is read column by column, as the one-column setting of it', async () => {
    const paragraphs = [{ text: '关于巡视整改进展情况的通报', title: true }, ...body(24)];
    const one = await extractOfd(await makeOfd(paragraphs));
    const two = await extractOfd(await makeOfd(paragraphs, { columns: 2 }));
    expect(one.text.split('\n')).toEqual(['关于巡视整改进展情况的通报', ...body(24)]);
    expect(two.text).toBe(one.text);
  });
});

describe('OFD: template pages', () => {
  it('a template drawn on every page (a running header) is dropped as a PDF running header is; its body text stays', async () => {
    const doc = await extractOfd(await makeOfd(body(60), { header: '青溪市巡视整改工作简报' }));
    expect(doc.pages!.length).toBeGreaterThanOrEqual(3);
    expect(doc.text).not.toContain('青溪市巡视整改工作简报');
    expect(doc.text.split('\n')).toEqual(body(60));
    expect(doc.diagnostics.map((d) => d.code)).toContain('XUNSHI_PDF_EDGES_DROPPED');
  });

  it('a template is read once however many pages use it; a reference to no TemplatePage is skipped with a diagnostic', async () => {
    const tpl = pageXml(text('20 150 170 10', '<ofd:TextCode X="0" Y="5">模板正文中的一句话。</ofd:TextCode>'));
    const uses = (id: string): string => pageXml(text('20 40 100 10', '<ofd:TextCode X="0" Y="5">页面自己的字。</ofd:TextCode>'), `<ofd:Template TemplateID="${id}" ZOrder="Foreground"/>`);
    const bytes = await pkg([uses('70'), uses('70'), uses('71')], { 'Doc_0/Tpl/Content.xml': tpl }, '<ofd:TemplatePage ID="70" BaseLoc="Tpl/Content.xml"/>');
    const { pages, diagnostics } = await readOfdPages(bytes);
    expect(pages.map((p) => p.items.map((i) => i.str))).toEqual([
      ['页面自己的字。', '模板正文中的一句话。'],
      ['页面自己的字。', '模板正文中的一句话。'],
      ['页面自己的字。'],
    ]);
    expect(diagnostics.map((d) => d.code)).toEqual(['XUNSHI_OFD_TEMPLATE_MISSING']);
  });

  it('a template that names a template, or a page that names a part of the package structure, cannot loop', async () => {
    const tpl = pageXml(text('20 150 170 10', '<ofd:TextCode X="0" Y="5">模板。</ofd:TextCode>'), '<ofd:Template TemplateID="70"/>');
    const page = pageXml(text('20 40 100 10', '<ofd:TextCode X="0" Y="5">正文。</ofd:TextCode>'), '<ofd:Template TemplateID="70"/>');
    const doc = documentXml(2, '<ofd:TemplatePage ID="70" BaseLoc="Tpl/Content.xml"/>').replace('Pages/Page_1/Content.xml', '../OFD.xml');
    const bytes = await makeZip({ 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': doc, 'Doc_0/Pages/Page_0/Content.xml': page, 'Doc_0/Tpl/Content.xml': tpl });
    const { pages } = await readOfdPages(bytes);
    expect(pages.map((p) => p.items.map((i) => i.str))).toEqual([['正文。', '模板。'], []]);
  });
});

describe('OFD: packages', () => {
  it('reads the first document of several and says so', async () => {
    const two = OFD_XML.replace('</ofd:OFD>', '<ofd:DocBody><ofd:DocRoot>Doc_1/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>');
    const doc = await readDocumentAsync(await pkg([pageXml(text('20 40 100 10', '<ofd:TextCode X="0" Y="5">第一份文件。</ofd:TextCode>'))], { 'OFD.xml': two }), { path: 'a.ofd' });
    expect(doc.format).toBe('ofd');
    expect(doc.text).toBe('第一份文件。');
    expect(doc.diagnostics.map((d) => d.code)).toContain('XUNSHI_OFD_MORE_DOCUMENTS');
  });

  it('is sniffed by its extension and, under any other name, by the OFD.xml at its root', async () => {
    const ofd = await makeOfd(['巡视整改。']);
    expect(sniffFormat(ofd, 'a.ofd')).toBe('ofd');
    expect(sniffFormat(ofd, 'a.OFD')).toBe('ofd');
    expect(sniffFormat(ofd)).toBe('ofd');
    expect(sniffFormat(ofd, 'download.zip')).toBe('ofd');
    expect(sniffFormat(ofd, 'a.docx')).toBe('ofd');
    expect(sniffFormat(await makeDocx([{ text: 'x' }]))).toBe('docx');
    const plain = await makeZip({ 'a.txt': 'x' });
    expect(() => sniffFormat(plain, 'a.zip')).toThrow(expect.objectContaining({ code: ERROR_CODES.INPUT_UNSUPPORTED }));
    expect(detectFormat('a.ofd')).toBe('ofd');
    expect(INPUT_EXTENSIONS).toContain('.ofd');
    expect((await readDocumentAsync(ofd, { path: 'report' })).format).toBe('ofd');
    expect(() => readDocument(ofd, { path: 'a.ofd' })).toThrow(expect.objectContaining({ code: ERROR_CODES.USAGE, message: expect.stringMatching(/OFD.*readDocumentAsync/) }));
  });
});

describe('OFD: errors and hostile files', () => {
  it('a .ofd that is not a zip, a zip without OFD.xml, a missing or broken part are INPUT_CORRUPT naming what is wrong', async () => {
    expect(await errorOf(readDocumentAsync(new TextEncoder().encode('巡视整改'), { path: 'a.ofd' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/not an OFD.*zip/) });
    expect(await errorOf(readDocumentAsync(await makeZip({ 'a.xml': '<a/>' }), { path: 'a.ofd' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(/OFD\.xml/) });
    const page = pageXml(text('20 40 100 10', '<ofd:TextCode X="0" Y="5">正文。</ofd:TextCode>'));
    const cases: [Promise<Uint8Array>, RegExp][] = [
      [pkg([page, page], { 'Doc_0/Pages/Page_1/Content.xml': '' }), /Doc_0\/Pages\/Page_1\/Content\.xml is not well-formed/],
      [makeZip({ 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': documentXml(2), 'Doc_0/Pages/Page_0/Content.xml': page }), /page 2 Doc_0\/Pages\/Page_1\/Content\.xml is missing/],
      [makeZip({ 'OFD.xml': OFD_XML }), /the document Doc_0\/Document\.xml is missing/],
      [pkg([page], { 'Doc_0/Pages/Page_0/Content.xml': page.replace('</ofd:Layer>', '') }), /Doc_0\/Pages\/Page_0\/Content\.xml is not well-formed XML/],
      [pkg([page], { 'OFD.xml': `<ofd:OFD ${NS}></ofd:OFD>` }), /no DocBody/],
      [pkg([page], { 'OFD.xml': `<ofd:OFD ${NS}><ofd:DocBody/></ofd:OFD>` }), /no DocRoot/],
      [pkg([page], { 'Doc_0/Document.xml': documentXml(0) }), /lists no pages/],
      [pkg([page], { 'Doc_0/Pages/Page_0/Content.xml': page.replace('正文。', '&bomb;') }), /not well-formed/],
    ];
    // Part names differ in case from the references to them (Doc_0/document.xml): found all the same.
    const lower = await makeZip({ 'ofd.xml': OFD_XML, 'Doc_0/document.xml': documentXml(1), 'Doc_0/Pages/Page_0/content.xml': page });
    expect((await readDocumentAsync(lower, { path: 'a.ofd' })).text).toBe('正文。');
    // Cut off: the zip's end record is gone.
    const cut = await makeOfd(['巡视整改。']);
    expect((await errorOf(readDocumentAsync(cut.subarray(0, cut.length - 30), { path: 'a.ofd' }))).code).toBe(ERROR_CODES.INPUT_TRUNCATED);
    for (const [bytes, message] of cases) expect(await errorOf(readDocumentAsync(await bytes, { path: 'a.ofd' }))).toMatchObject({ code: ERROR_CODES.INPUT_CORRUPT, message: expect.stringMatching(message) });
  });

  it('an encrypted OFD (GM/T 0099 Encryptions, or encrypted zip entries) is INPUT_ENCRYPTED', async () => {
    const page = pageXml(text('20 40 100 10', '<ofd:TextCode X="0" Y="5">正文。</ofd:TextCode>'));
    const declared = OFD_XML.replace('</ofd:DocBody>', '<ofd:Encryptions>Encryptions.xml</ofd:Encryptions></ofd:DocBody>');
    expect((await errorOf(readDocumentAsync(await pkg([page], { 'OFD.xml': declared }), { path: 'a.ofd' }))).code).toBe(ERROR_CODES.INPUT_ENCRYPTED);
    expect((await errorOf(readDocumentAsync(await pkg([page], { 'Encryptions.xml': '<Encryptions/>' }), { path: 'a.ofd' }))).code).toBe(ERROR_CODES.INPUT_ENCRYPTED);
    const zip = await pkg([page]);
    // Set the encrypted flag of the first central-directory entry.
    const cd = Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip[cd + 8]! |= 1;
    expect((await errorOf(readDocumentAsync(zip, { path: 'a.ofd' }))).code).toBe(ERROR_CODES.INPUT_ENCRYPTED);
  });

  it('pages without text objects (a scan) are INPUT_NO_TEXT', async () => {
    const page = pageXml('<ofd:ImageObject ID="4" Boundary="0 0 210 297" ResourceID="7"/>');
    expect(await errorOf(readDocumentAsync(await pkg([page, page]), { path: 'scan.ofd' }))).toMatchObject({ code: ERROR_CODES.INPUT_NO_TEXT, message: expect.stringMatching(/2 page\(s\)/) });
  });

  it('bounds pages, characters, nesting and decompressed size; none of it is read past the bound', async () => {
    const page = pageXml(text('20 40 100 10', '<ofd:TextCode X="0" Y="5">正文。</ofd:TextCode>'));
    const many = await makeZip({ 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': documentXml(2001), 'Doc_0/Pages/Page_0/Content.xml': page });
    expect(await errorOf(readDocumentAsync(many, { path: 'a.ofd' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, message: expect.stringMatching(/more than 2000 pages/) });
    expect((await errorOf(extractOfd(await pkg([page, page, page]), { maxPages: 2 }))).code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    // A template of 1,000 characters on 30 pages is 30,000 characters drawn.
    const tpl = pageXml(text('20 150 170 10', `<ofd:TextCode X="0" Y="5">${'巡'.repeat(1000)}</ofd:TextCode>`));
    const usesTpl = pageXml('', '<ofd:Template TemplateID="70"/>');
    const templated = await pkg(Array.from({ length: 30 }, () => usesTpl), { 'Doc_0/Tpl/Content.xml': tpl }, '<ofd:TemplatePage ID="70" BaseLoc="Tpl/Content.xml"/>');
    expect((await errorOf(extractOfd(templated, { maxChars: 20_000 }))).code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    expect((await extractOfd(templated, { maxChars: 40_000 })).text.length).toBeGreaterThan(0);
    // PageBlocks nested past any real file: refused by name, the parser never recurses.
    const deep = pageXml(`${'<ofd:PageBlock ID="5">'.repeat(MAX_OFD_DEPTH)}${'</ofd:PageBlock>'.repeat(MAX_OFD_DEPTH)}`);
    expect(await errorOf(readDocumentAsync(await pkg([deep]), { path: 'a.ofd' }))).toMatchObject({ code: ERROR_CODES.INPUT_UNSUPPORTED, message: expect.stringMatching(/nests elements more than 256 levels/) });
    // A zip bomb: 8 MiB of spaces in a page, within a 1 MiB budget.
    const bomb = await pkg([page.replace('<ofd:Content>', `<ofd:Content>${' '.repeat(8 * 1024 * 1024)}`)]);
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect((await errorOf(readDocumentAsync(bomb, { path: 'a.ofd', maxUncompressedBytes: 1024 * 1024 }))).code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    // One that declares 4 GB: without its extension it is still sniffed as an OFD, and refused as one.
    const declared = await pkg([page]);
    const cd = Buffer.from(declared).lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    new DataView(declared.buffer, declared.byteOffset).setUint32(cd + 24, 0xfffffff0, true);
    expect(await errorOf(readDocumentAsync(declared))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, message: expect.stringMatching(/OFD package would decompress/) });
    // The same page part named by every page is inflated once a page, each time within the one budget.
    const reused = await makeZip({ 'OFD.xml': OFD_XML, 'Doc_0/Document.xml': documentXml(2000).replace(/Page_\d+/g, 'Page_0'), 'Doc_0/Pages/Page_0/Content.xml': page.replace('<ofd:Content>', `<ofd:Content>${' '.repeat(64 * 1024)}`) });
    expect((await errorOf(readDocumentAsync(reused, { path: 'a.ofd', maxUncompressedBytes: 16 * 1024 * 1024 }))).code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
  });

  it('a DeltaX of billions of repeats, sizes of 1e-9 or 1e300: read in bounded time, without NaN', async () => {
    const codes = `<ofd:TextCode X="0" Y="5" DeltaX="g 4000000000 5">巡视整改</ofd:TextCode>`;
    const objects = [text('20 40 100 10', codes), text('20 60 100 10', '<ofd:TextCode X="0" Y="5">极小的字。</ofd:TextCode>', ' Size="1e-9"'), text('20 80 100 10', '<ofd:TextCode X="0" Y="5">极大的字。</ofd:TextCode>', ' Size="1e300"')];
    const start = performance.now();
    const { pages } = await readOfdPages(await pkg([pageXml(objects.join(''))]));
    expect(performance.now() - start).toBeLessThan(2000);
    for (const it of pages[0]!.items) for (const v of [it.x, it.y, it.width, it.height]) expect(Number.isFinite(v)).toBe(true);
    const doc = await extractOfd(await pkg([pageXml(objects.join(''))]));
    expect(doc.text).toContain('巡视整改');
  });
});

describe('OFD: the project samples', () => {
  it('a sample report reads back as its lines, through templates, page numbers, images and paths', async () => {
    const lines = readFileSync(new URL('../../../corpus/tuning/feedback-02.txt', import.meta.url), 'utf8').split('\n').filter((l) => l.trim() !== '');
    const doc = await readDocumentAsync(await makeOfd(lines.map((l, i) => (i === 0 ? { text: l, title: true } : l)), { header: '青溪市巡视整改工作简报', ctmEvery: 2, absolutePaths: true }), { path: 'r.ofd' });
    expect(doc.text.split('\n')).toEqual(lines.map((l) => l.trim()));
    expect(doc.pages!.length).toBeGreaterThanOrEqual(2);
  });

  it('a 100-page OFD reads in a few seconds', { timeout: 60_000 }, async () => {
    const paragraphs = Array.from({ length: 1200 }, (_, i) => (i % 12 === 0 ? `${'一二三四五六七八九十'[(i / 12) % 10]}、第${i}部分的小标题` : body(1)[0]!.replace('第1段', `第${i}段`)));
    const bytes = await makeOfd(paragraphs, { header: '青溪市巡视整改工作简报' });
    const start = performance.now();
    const doc = await extractOfd(bytes);
    const ms = performance.now() - start;
    expect(doc.pages!.length).toBeGreaterThanOrEqual(100);
    expect(doc.text.split('\n')).toHaveLength(1200);
    // About 0.5 s warm on the development machine; the bound leaves room for a loaded CI.
    expect(ms).toBeLessThan(15_000);
  });
});
