import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { DocumentModel } from '@xunshi/types';
import { layoutPdf, openZip, readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { encodeGb18030, findChromium, hasCjkFont, makeDocx, makeEncryptedPdf, makeImageOnlyPdf, makeRawPdf, makeXlsx, makeZeroZip, makeZip, pageOf, printPdf } from './support/fixtures.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Every unit's range must cut exactly its text out of the model's text. */
function expectRangesHold(doc: DocumentModel): void {
  for (const u of doc.units) expect(doc.text.slice(u.start, u.end)).toBe(u.text);
  for (const h of doc.headings) expect(doc.text.slice(h.start, h.end)).toBe(h.text);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    return (e as XunshiError).code;
  }
}

describe('HTML input', () => {
  const page = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面标题</title><style>p{color:red}</style><script>var x = "不要我";</script></head>
<body><header><div>网站首页 | 新闻中心</div></header><nav><a href="/">首页</a><a href="/x">导航链接</a></nav>
<div class="main"><h1>关于某某单位巡视整改进展情况的通报</h1>
<p>根据统一部署，巡视组对某某单位开展了巡视。<br>现将有关情况通报如下。</p>
<h2>一、整改工作总体情况</h2>
<p>党委高度重视，
成立整改工作领导小组。</p>
<p style="display:none">隐藏的段落</p><div hidden>另一个隐藏</div><span aria-hidden="true">也隐藏</span>
<p>一、压实整改责任</p><p>认真落实整改主体责任。</p>
<table><tr><th>序号</th><th>问题</th><th>整改情况</th></tr><tr><td>1</td><td>违规发放津贴补贴</td><td>已清退。已完成</td></tr></table>
<ul><li>列表第一项。</li><li>列表第二项</li></ul>
</div><footer>版权所有 联系我们</footer><aside>相关阅读</aside></body></html>`;
  const doc = readDocument(utf8(page), { path: 'a.html' });

  it('keeps body text, leaves out scripts, styles, navigation, header, footer, asides and hidden elements', () => {
    expect(doc.format).toBe('html');
    expect(doc.extracted).toBe(true);
    for (const gone of ['不要我', 'color', '网站首页', '导航链接', '隐藏', '版权所有', '相关阅读', '页面标题']) expect(doc.text).not.toContain(gone);
    expect(doc.text).toContain('党委高度重视，成立整改工作领导小组。');
    expectRangesHold(doc);
  });
  it('makes h1–h6 headings (the leading title h1 is the title, as in text) and keeps 公文 numbering working in paragraphs', () => {
    expect(doc.headings.map((h) => [h.text, h.source])).toEqual([
      ['一、整改工作总体情况', 'markup'],
      ['一、压实整改责任', 'numbering'],
    ]);
    expect(doc.units[0]!.text).toBe('关于某某单位巡视整改进展情况的通报');
    expect(doc.units[0]!.isHeading).toBe(false);
    expect(doc.units.find((u) => u.text === '党委高度重视，成立整改工作领导小组。')!.headingPath).toEqual(['一、整改工作总体情况']);
    // A numbered paragraph closes the numbered markup heading of the same rank, as a numbered line does in text.
    expect(doc.units.find((u) => u.text === '认真落实整改主体责任。')!.headingPath).toEqual(['一、压实整改责任']);
    const nested = readDocument(utf8('<h1>标题</h1><h2>整改措施</h2><h3>具体做法</h3><p>建立长效机制。</p><h1>第二部分</h1><p>正文。</p>'), { path: 'n.html' });
    expect(nested.units.find((u) => u.text === '建立长效机制。')!.headingPath).toEqual(['标题', '整改措施', '具体做法']);
    expect(nested.units.find((u) => u.text === '正文。')!.headingPath).toEqual(['第二部分']);
  });
  it('gives each table row a block and never lets a unit run across cells', () => {
    const row = doc.units.filter((u) => doc.text.slice(u.start, u.end).length && ['1', '违规发放津贴补贴', '已清退。', '已完成'].includes(u.text));
    expect(row.map((u) => u.text)).toEqual(['1', '违规发放津贴补贴', '已清退。', '已完成']);
    expect(new Set(row.map((u) => u.block)).size).toBe(1);
    const header = doc.units.find((u) => u.text === '序号')!;
    expect(header.block).not.toBe(row[0]!.block);
    for (const u of doc.units) expect(u.text).not.toContain('\t');
  });
  it('splits at <br> inside one block', () => {
    const a = doc.units.find((u) => u.text === '根据统一部署，巡视组对某某单位开展了巡视。')!;
    const b = doc.units.find((u) => u.text === '现将有关情况通报如下。')!;
    expect(a.block).toBe(b.block);
    expect(doc.text.slice(a.end, b.start)).toBe('\n');
  });
  it('reads GBK pages by their <meta> charset, and by detection without one', () => {
    const body = '<p>巡视发现，该单位违规发放津贴补贴共计12.5万元，涉及干部23人。</p><p>整改责任落实不到位。</p>';
    for (const meta of ['<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', '<meta charset="GBK">', '']) {
      const bytes = encodeGb18030(`<html><head>${meta}<title>t</title></head><body>${body}</body></html>`);
      const gbk = readDocument(bytes, { path: 'page.htm' });
      expect(gbk.encoding).toBe('gb18030');
      expect(gbk.units.map((u) => u.text)).toEqual(['巡视发现，该单位违规发放津贴补贴共计12.5万元，涉及干部23人。', '整改责任落实不到位。']);
    }
  });
  it('falls back to detection when the declared charset is wrong, and says so', () => {
    const bytes = encodeGb18030('<html><head><meta charset="utf-8"></head><body><p>党委主体责任落实不到位，监督执纪宽松软。</p></body></html>');
    const doc2 = readDocument(bytes, { path: 'lies.html' });
    expect(doc2.encoding).toBe('gb18030');
    expect(doc2.units[0]!.text).toBe('党委主体责任落实不到位，监督执纪宽松软。');
    expect(doc2.diagnostics?.map((d) => d.code)).toContain('XUNSHI_HTML_CHARSET_MISMATCH');
  });
  it('sniffs a page saved as .doc or without extension, and keeps footnotes out of the units', () => {
    const html = '<!doctype html><html><body><p>正文一句。</p><ol><li id="footnote-1"><p>脚注内容。 <a href="#footnote-ref-1">↑</a></p></li></ol></body></html>';
    expect(sniffFormat(utf8(html), 'saved.doc')).toBe('html');
    expect(sniffFormat(utf8(html), 'noext')).toBe('html');
    // A text or Markdown file that merely starts with a tag stays what its extension says, under each of its names.
    for (const ext of ['txt', 'text']) expect(sniffFormat(utf8(html), `notes.${ext}`)).toBe('text');
    for (const ext of ['md', 'markdown', 'mdown', 'mkd']) expect(sniffFormat(utf8(html), `notes.${ext}`)).toBe('markdown');
    const d = readDocument(utf8(html), { path: 'saved.doc' });
    expect(d.text).toBe('正文一句。\n脚注内容。');
    expect(d.units.map((u) => u.text)).toEqual(['正文一句。']);
  });
  it('a text file that mentions %PDF- stays text; a PDF header after junk is still a PDF', () => {
    expect(sniffFormat(utf8('笔记：文件头是 %PDF-1.7。'), 'notes.txt')).toBe('text');
    expect(sniffFormat(utf8('junk\n%PDF-1.7\n'), 'download.bin')).toBe('pdf');
    expect(sniffFormat(utf8('%PDF-1.7\n'), 'misnamed.txt')).toBe('pdf');
  });
  it('a page with no text is an empty input', () => {
    expect(() => readDocument(utf8('<html><body><script>x()</script><nav>菜单</nav></body></html>'), { path: 'e.html' })).toThrow(/no text/);
  });
});

describe('Word input', () => {
  it('reads heading styles, 公文 numbering, tables and footnotes', async () => {
    const bytes = await makeDocx([
      { text: '关于某某单位巡视整改进展情况的通报', style: 'Heading1' },
      { text: '一、整改工作总体情况', style: 'Heading2' },
      { text: '党委高度重视整改工作，成立领导小组。', footnote: '见某某文件。' },
      { text: '（一）压实整改责任' },
      { text: '认真落实整改主体责任。' },
      { table: [['序号', '问题', '整改情况'], ['1', '违规发放津贴补贴', '已清退。已完成']] },
    ]);
    const doc = await readDocumentAsync(bytes, { path: 'r.docx' });
    expect(doc.format).toBe('docx');
    expectRangesHold(doc);
    // The leading Heading 1 is the document's title (body, as the first line of a text file); the rest nest.
    expect(doc.headings.map((h) => [h.text, h.level, h.source])).toEqual([
      ['一、整改工作总体情况', 1, 'markup'],
      ['（一）压实整改责任', 2, 'numbering'],
    ]);
    expect(doc.units.find((u) => u.text === '认真落实整改主体责任。')!.headingPath).toEqual(['一、整改工作总体情况', '（一）压实整改责任']);
    // The footnote is in the text, after the body, but in no unit.
    expect(doc.text).toContain('见某某文件。');
    expect(doc.units.some((u) => u.text.includes('见某某文件'))).toBe(false);
    const cells = doc.units.filter((u) => ['违规发放津贴补贴', '已清退。', '已完成'].includes(u.text));
    expect(cells).toHaveLength(3);
    expect(new Set(cells.map((u) => u.block)).size).toBe(1);
  });
  it('reads heading styles under their Chinese names (WPS)', async () => {
    const bytes = await makeDocx([{ text: '一段引言。' }, { text: '整改措施', style: 'Heading2' }, { text: '建立长效机制。' }], { styleName: (n) => `标题 ${n}` });
    const doc = await readDocumentAsync(bytes, { path: 'wps.docx' });
    expect(doc.headings.map((h) => h.text)).toEqual(['整改措施']);
    expect(doc.units[2]!.headingPath).toEqual(['整改措施']);
  });
  it('refuses a Word document or an OpenDocument text whose text part is over 10 MiB uncompressed (its tree would take gigabytes), however small the file', async () => {
    const para = '<w:p><w:r><w:t>巡视发现问题整改不到位。</w:t></w:r></w:p>';
    const bytes = await makeDocx(Array.from({ length: 1 }, () => ({ text: '巡视发现问题。' })));
    const zip = openZip(bytes);
    const xml = new TextDecoder().decode(zip.read('word/document.xml')).replace('<w:body>', `<w:body>${para.repeat(200_000)}`);
    const big = await makeZip(Object.fromEntries([...zip.entries.keys()].map((n) => [n, n === 'word/document.xml' ? xml : zip.read(n)])));
    expect(big.length).toBeLessThan(1 << 20);
    await expect(readDocumentAsync(big, { path: 'big.docx' })).rejects.toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'big.docx' });
  });
  it('reads a .doc that is really a docx', async () => {
    const bytes = await makeDocx([{ text: '巡视发现问题。' }]);
    expect(sniffFormat(bytes, 'old-name.doc')).toBe('docx');
    expect((await readDocumentAsync(bytes, { path: 'old-name.doc' })).units.map((u) => u.text)).toEqual(['巡视发现问题。']);
  });
  it('the synchronous reader refuses docx and pdf with a clear usage error', async () => {
    const bytes = await makeDocx([{ text: '巡视发现问题。' }]);
    expect(() => readDocument(bytes, { path: 'a.docx' })).toThrow(/readDocumentAsync/);
  });
});

describe('broken, encrypted and hostile inputs', () => {
  it('zero bytes', async () => {
    for (const name of ['a.docx', 'a.pdf', 'a.html']) expect(await codeOf(readDocumentAsync(new Uint8Array(), { path: name }))).toBe(ERROR_CODES.INPUT_EMPTY);
  });
  it('a truncated docx', async () => {
    const bytes = await makeDocx([{ text: '巡视发现问题。' }]);
    expect(await codeOf(readDocumentAsync(bytes.subarray(0, Math.floor(bytes.length / 2)), { path: 'cut.docx' }))).toBe(ERROR_CODES.INPUT_TRUNCATED);
    expect(await codeOf(readDocumentAsync(utf8('PK\u0003\u0004'), { path: 'tiny.docx' }))).toBe(ERROR_CODES.INPUT_TRUNCATED);
  });
  it('a docx that is not a zip at all', async () => {
    expect(await codeOf(readDocumentAsync(utf8('just some text'), { path: 'fake.docx' }))).toBe(ERROR_CODES.INPUT_CORRUPT);
  });
  it('a zip bomb: declared sizes over the limit, and sizes that lie', async () => {
    const bomb = await makeZeroZip('word/document.xml', 2 * 1024 * 1024);
    expect(bomb.length).toBeLessThan(20_000);
    expect(await codeOf(readDocumentAsync(bomb, { path: 'bomb.docx', maxUncompressedBytes: 1024 * 1024 }))).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    // Patch the declared size (central directory) to 100 bytes: the bounded inflate still stops at the limit.
    const lying = new Uint8Array(bomb);
    const view = new DataView(lying.buffer);
    for (let i = lying.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 100, true);
        break;
      }
    }
    const zip = openZip(lying, { maxUncompressedBytes: 1024 * 1024 });
    expect(() => zip.read('word/document.xml')).toThrow(expect.objectContaining({ code: ERROR_CODES.INPUT_TOO_LARGE }));
  });
  it('an encrypted zip entry, and a password-protected Office file', async () => {
    const bytes = new Uint8Array(await makeDocx([{ text: '巡视。' }]));
    const view = new DataView(bytes.buffer);
    for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === 0x02014b50) view.setUint16(i + 8, view.getUint16(i + 8, true) | 1, true);
    expect(await codeOf(readDocumentAsync(bytes, { path: 'enc.docx' }))).toBe(ERROR_CODES.INPUT_ENCRYPTED);
    // An encrypted .docx is a compound (OLE) file holding EncryptionInfo and EncryptedPackage streams.
    const cfb = new Uint8Array(4096);
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    cfb.set(Buffer.from('EncryptedPackage', 'utf16le'), 1024);
    expect(await codeOf(readDocumentAsync(cfb, { path: 'secret.docx' }))).toBe(ERROR_CODES.INPUT_ENCRYPTED);
  });
  it('legacy binary .doc and .wps whose compound file is broken: a damaged Word document (doc-read.test.ts reads sound ones)', async () => {
    const cfb = new Uint8Array(4096);
    cfb.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    cfb.set(Buffer.from('WordDocument', 'utf16le'), 1024);
    for (const name of ['old.doc', 'old.wps']) {
      await expect(readDocumentAsync(cfb, { path: name })).rejects.toThrow(/the Word document \(\.doc\) is damaged and cannot be read/);
      expect(await codeOf(readDocumentAsync(cfb, { path: name }))).toBe(ERROR_CODES.INPUT_CORRUPT);
    }
  });
  it('a docx whose document part is not a Word body says so in plain words, and where a malformed part breaks', async () => {
    const { default: JSZip } = await import('jszip');
    const docx = async (xml: string): Promise<Uint8Array> => {
      const z = new JSZip();
      z.file('[Content_Types].xml', '<Types/>');
      z.file('word/document.xml', xml);
      return z.generateAsync({ type: 'uint8array' });
    };
    for (const [xml, why] of [['0'.repeat(1000), 'its word/document.xml is not a Word document body'], ['<w:document><w:body><w:p>违规吃喝', 'its word/document.xml is not well-formed XML: line 1, column 29: unclosed tag: w:p'], ['<w:document>\n<w:body><w:p>违规</w:x></w:body></w:document>', 'its word/document.xml is not well-formed XML: line 2, column 21: unexpected close tag.']] as const) {
      const p = readDocumentAsync(await docx(xml), { path: 'x.docx' });
      await expect(p).rejects.toThrow(`the Word document is damaged and cannot be read: ${why}`);
      expect(await codeOf(readDocumentAsync(await docx(xml), { path: 'x.docx' }))).toBe(ERROR_CODES.INPUT_CORRUPT);
    }
  });
  it('a workbook named .docx is read as the workbook it is', async () => {
    const doc = await readDocumentAsync(await makeXlsx([{ name: 'S', rows: [['问题', '措施']] }]), { path: 'x.docx' });
    expect(doc.format).toBe('xlsx');
    expect(doc.text).toBe('问题\t措施');
  });
  it('HTML and Word documents nested past any report are refused by name, not by a stack overflow', async () => {
    const sentence = '违规吃喝问题屡禁不止。';
    // Measured on the parsed tree (600 divs and html/body), and too deep for the tree converter's recursion: one message.
    for (const page of ['<div>'.repeat(600) + sentence, '<div>'.repeat(12000) + sentence, '<b><i'.repeat(20000) + sentence]) {
      let thrown: unknown;
      try {
        readDocument(utf8(page), { path: 'deep.html' });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(XunshiError);
      expect((thrown as XunshiError).code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
      expect((thrown as XunshiError).message).toBe('the page nests its elements more than 512 levels deep; no report is written that way: save it as .txt');
      expect((thrown as XunshiError).file).toBe('deep.html');
    }
    // Within the limit the text is read.
    expect(readDocument(utf8('<div>'.repeat(500) + sentence), { path: 'ok.html' }).text).toContain(sentence);
    const { default: JSZip } = await import('jszip');
    const docx = async (levels: number): Promise<Uint8Array> => {
      const z = new JSZip();
      z.file('[Content_Types].xml', '<Types/>');
      const body = '<w:tbl><w:tr><w:tc>'.repeat(levels) + `<w:p><w:r><w:t>${sentence}</w:t></w:r></w:p>` + '</w:tc></w:tr></w:tbl>'.repeat(levels);
      z.file('word/document.xml', `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`);
      return z.generateAsync({ type: 'uint8array' });
    };
    // 200 tables in tables convert to 600 levels of table/tr/td; 3,000 are past what the converter's recursion follows.
    for (const levels of [200, 3000]) {
      expect(await codeOf(readDocumentAsync(await docx(levels), { path: 'deep.docx' }))).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
      await expect(readDocumentAsync(await docx(levels), { path: 'deep.docx' })).rejects.toThrow('the Word document nests its elements more than 512 levels deep; no report is written that way: save it as .txt');
    }
    expect((await readDocumentAsync(await docx(20), { path: 'ok.docx' })).text).toContain(sentence);
  });
  it('a PDF without a text layer is an error, not an empty report', async () => {
    expect(await codeOf(readDocumentAsync(makeImageOnlyPdf(2), { path: 'scan.pdf' }))).toBe(ERROR_CODES.INPUT_NO_TEXT);
    await expect(readDocumentAsync(makeImageOnlyPdf(2), { path: 'scan.pdf' })).rejects.toThrow(/no text layer.*OCR/);
  });
  it('a password-protected PDF', async () => {
    expect(await codeOf(readDocumentAsync(makeEncryptedPdf(), { path: 'locked.pdf' }))).toBe(ERROR_CODES.INPUT_ENCRYPTED);
  });
  it('a damaged or truncated PDF', async () => {
    const good = makeImageOnlyPdf();
    const cut = good.subarray(0, 40);
    expect([ERROR_CODES.INPUT_TRUNCATED, ERROR_CODES.INPUT_NO_TEXT]).toContain(await codeOf(readDocumentAsync(cut, { path: 'cut.pdf' })));
    expect(await codeOf(readDocumentAsync(utf8('not a pdf'), { path: 'x.pdf' }))).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(await codeOf(readDocumentAsync(makeRawPdf(['<< /Type /Catalog /Pages 9 0 R >>']).subarray(0, 60), { path: 'y.pdf' }))).not.toBe('no error');
  });
});

describe('PDF layout', () => {
  const item = (str: string, x: number, y: number, size = 12): { str: string; x: number; y: number; width: number; height: number } => ({ str, x, y, width: str.length * size, height: size });
  it('re-joins wrapped lines without spaces, starts a paragraph at an indent, drops repeated headers and page numbers', () => {
    const page = (n: number, lines: { str: string; x: number; y: number; width: number; height: number }[]) => ({
      width: 612,
      height: 792,
      items: [item('某某单位巡视整改报告', 200, 770, 9), ...lines, item(`- ${n} -`, 290, 20, 9)],
    });
    const doc = layoutPdf([
      page(1, [item('一、总体情况', 72, 700), item('　　巡视组坚持问题导向，深入查找政治偏差，发现了一些值得重视的问题，现', 48, 680), item('将有关情况反馈如下。', 72, 665), item('二、主要问题', 72, 640), item('巡视发现，该单位违规发放津贴补贴问题突出，整改责任落实不到位，监督', 72, 620)]),
      page(2, [item('执纪宽松软。', 72, 700), item('三、整改要求', 72, 680)]),
    ]);
    expect(doc.text).toBe('一、总体情况\n巡视组坚持问题导向，深入查找政治偏差，发现了一些值得重视的问题，现将有关情况反馈如下。\n二、主要问题\n巡视发现，该单位违规发放津贴补贴问题突出，整改责任落实不到位，监督执纪宽松软。\n三、整改要求');
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_PDF_EDGES_DROPPED']);
    expect(doc.pages).toHaveLength(2);
    expect(doc.text.slice(doc.pages![1]!.start, doc.pages![1]!.end)).toBe('执纪宽松软。\n三、整改要求');
  });
});

describe('PDF input printed by headless Chromium', () => {
  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  if (!ready) console.warn(`skipped: PDF tests need headless Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei); found chromium=${chromium ?? 'none'}, CJK font=${hasCjkFont()}`);
  it.skipIf(!ready)('extracts text per page in reading order, drops running headers and footers, gives each unit its page', async () => {
    const paras = ['关于某某单位巡视整改进展情况的通报'];
    for (let i = 1; i <= 40; i++) paras.push(`${i}. 巡视发现第${i}个问题，该单位违规发放津贴补贴问题突出，整改责任落实不到位，监督执纪宽松软，需要长期坚持抓好整改落实工作。`);
    const pdf = printPdf(chromium!, pageOf(paras, '某某通报'), { headerFooter: true });
    const doc = await readDocumentAsync(pdf, { path: 'p.pdf' });
    expect(doc.format).toBe('pdf');
    expectRangesHold(doc);
    expect(doc.pages!.length).toBeGreaterThan(1);
    expect(doc.text).not.toMatch(/file:\/\//);
    expect(doc.text).not.toContain('某某通报');
    const lines = doc.text.split('\n');
    expect(lines).toEqual(paras);
    expect(doc.units.at(-1)!.page).toBe(doc.pages!.length);
    expect(doc.units[0]!.page).toBe(1);
  });
});
