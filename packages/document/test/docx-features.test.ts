import { ERROR_CODES } from '@xunshi/types';
import { describe, expect, it } from 'vitest';
import { readDocument, readDocumentAsync } from '../src/index.js';
import { encodeGb18030, makeDocxXml, makeMhtml, makeZeroZip, WORD_NS } from './support/fixtures.js';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const r = (t: string): string => `<w:r><w:t xml:space="preserve">${t}</w:t></w:r>`;
const p = (inner: string, style?: string): string => `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${inner}</w:p>`;

describe('Word features', () => {
  it('footnote and endnote markers stay out of the units, as a .txt copy has none', async () => {
    const bytes = await makeDocxXml(
      p(r('正文末句。') + '<w:r><w:footnoteReference w:id="1"/></w:r>' + r('再一句。') + '<w:r><w:endnoteReference w:id="1"/></w:r>') + p(r('下一段。')),
      {
        rels: [`<Relationship Id="rF" Type="${REL}/footnotes" Target="footnotes.xml"/>`, `<Relationship Id="rE" Type="${REL}/endnotes" Target="endnotes.xml"/>`],
        parts: {
          'word/footnotes.xml': `<w:footnotes ${WORD_NS}><w:footnote w:id="1">${p(r('脚注：见省委巡视办文件。'))}</w:footnote></w:footnotes>`,
          'word/endnotes.xml': `<w:endnotes ${WORD_NS}><w:endnote w:id="1">${p(r('尾注：数据截至4月。'))}</w:endnote></w:endnotes>`,
        },
      },
    );
    const doc = await readDocumentAsync(bytes, { path: 'notes.docx' });
    expect(doc.units.map((u) => u.text)).toEqual(['正文末句。', '再一句。', '下一段。']);
    expect(doc.text).toBe('正文末句。再一句。\n下一段。\n脚注：见省委巡视办文件。\n尾注：数据截至4月。');
  });
  it("Word's Title style is the document's title even when Heading 1 is used for 一、: the outline is the .txt copy's", async () => {
    for (const [title, heading] of [['Title', 'heading 1'], ['标题', '标题 1']]) {
      const styles = `<w:styles ${WORD_NS}><w:style w:type="paragraph" w:styleId="T"><w:name w:val="${title}"/></w:style><w:style w:type="paragraph" w:styleId="H1"><w:name w:val="${heading}"/></w:style></w:styles>`;
      const bytes = await makeDocxXml(
        p(r('关于某某局党组巡察整改进展情况的通报'), 'T') + p(r('根据市委统一部署，巡察组开展了巡察。')) + p(r('一、整改工作总体情况'), 'H1') + p(r('成立领导小组。')) + p(r('二、整改落实情况'), 'H1') + p(r('已清退资金。')) + p(r('三、下一步打算')) + p(r('持续巩固整改成果。')),
        { rels: [`<Relationship Id="rS" Type="${REL}/styles" Target="styles.xml"/>`], parts: { 'word/styles.xml': styles } },
      );
      const doc = await readDocumentAsync(bytes, { path: 'title.docx' });
      const path = (t: string): string[] => doc.units.find((u) => u.text === t)!.headingPath;
      expect(doc.units[0]!.isHeading).toBe(false);
      expect(path('根据市委统一部署，巡察组开展了巡察。')).toEqual([]);
      expect(path('已清退资金。')).toEqual(['二、整改落实情况']);
      // A typed 三、 closes the styled 二、, as the same lines of a .txt do.
      expect(path('持续巩固整改成果。')).toEqual(['三、下一步打算']);
      expect(doc.headings.map((h) => h.level)).toEqual([1, 1, 1]);
    }
  });
  it('a table of contents (toc N styles, 目录 N in WPS) is left out: its entries would repeat the headings as body units', async () => {
    for (const toc of ['toc 1', '目录 1']) {
      const styles = `<w:styles ${WORD_NS}><w:style w:type="paragraph" w:styleId="TOC1"><w:name w:val="${toc}"/></w:style><w:style w:type="paragraph" w:styleId="TOCH"><w:name w:val="TOC Heading"/></w:style><w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style></w:styles>`;
      const field = (code: string): string => `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">${code}</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>`;
      const entry = (t: string, n: string, last = ''): string => p(`<w:hyperlink w:anchor="_Toc${n}">${r(t)}<w:r><w:tab/></w:r>${r(n)}</w:hyperlink>${last}`, 'TOC1');
      const bytes = await makeDocxXml(
        p(r('目录'), 'TOCH') + p(field(' TOC \\o "1-3" \\h '), 'TOC1') + entry('一、整改工作总体情况', '1') + entry('二、整改落实情况', '2', '<w:r><w:fldChar w:fldCharType="end"/></w:r>') +
          p(r('关于某某局巡察整改进展情况的通报')) + p(r('一、整改工作总体情况'), 'H1') + p(r('成立领导小组。')) + p(r('二、整改落实情况'), 'H1') + p(r('已清退资金。')),
        { rels: [`<Relationship Id="rS" Type="${REL}/styles" Target="styles.xml"/>`], parts: { 'word/styles.xml': styles } },
      );
      const doc = await readDocumentAsync(bytes, { path: 'toc.docx' });
      expect(doc.units.map((u) => u.text)).toEqual(['关于某某局巡察整改进展情况的通报', '一、整改工作总体情况', '成立领导小组。', '二、整改落实情况', '已清退资金。']);
    }
  });
  it('a phonetic guide (w:ruby, 拼音指南) reads as its characters, without the reading, as the .odt and .doc of it do', async () => {
    const ruby = '<w:r><w:ruby><w:rubyPr><w:hps w:val="12"/></w:rubyPr><w:rt><w:r><w:t>xún chá</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>巡察</w:t></w:r></w:rubyBase></w:ruby></w:r>';
    const doc = await readDocumentAsync(await makeDocxXml(p(ruby + r('工作扎实推进。'))), { path: 'ruby.docx' });
    expect(doc.text).toBe('巡察工作扎实推进。');
    // A web page's <ruby> too: its reading (<rt>) and fallback brackets (<rp>) are not in the text.
    const page = readDocument(new TextEncoder().encode('<p><ruby>巡察<rp>(</rp><rt>xún chá</rt><rp>)</rp></ruby>工作扎实推进。</p>'), { path: 'ruby.html' });
    expect(page.text).toBe('巡察工作扎实推进。');
  });
  it('a simple field\'s result (w:fldSimple: a date, a reference), text in a bidirectional embedding, an equation\'s text are read; w:cr breaks the line — mammoth drops them', async () => {
    const M = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"';
    const body =
      p(r('印发日期：') + `<w:fldSimple w:instr=" DATE ">${r('2024年3月1日')}</w:fldSimple>`) +
      p(r('详见') + `<w:fldSimple w:instr=" REF _Ref1 \\h ">${r('附件1')}</w:fldSimple>` + r('。') + `<w:dir w:val="ltr">${r('整改完成率')}</w:dir>` + `<m:oMath ${M}><m:r><m:t>≥95%</m:t></m:r></m:oMath>` + r('。')) +
      p('<w:r><w:t>第一行</w:t><w:cr/><w:t>第二行</w:t></w:r>');
    const doc = await readDocumentAsync(await makeDocxXml(body), { path: 'fields.docx' });
    expect(doc.text).toBe('印发日期：2024年3月1日\n详见附件1。整改完成率≥95%。\n第一行\n第二行');
    // A 红头 set as VML WordArt (Word 2003's, LibreOffice's Fontwork) reads as its text, where a text box would.
    const V = 'xmlns:v="urn:schemas-microsoft-com:vml"';
    const wordArt = `<w:p><w:r><w:pict ${V}><v:shape id="s1" type="#_x0000_t136" style="width:400pt;height:40pt"><v:path textpathok="t"/><v:textpath on="t" fitshape="t" string="中共某县委巡察工作领导小组办公室文件"/></v:shape></w:pict></w:r></w:p>`;
    const red = await readDocumentAsync(await makeDocxXml(wordArt + p(r('关于某局巡察整改情况的通报'))), { path: 'wordart.docx' });
    expect(red.text).toBe('中共某县委巡察工作领导小组办公室文件\n关于某局巡察整改情况的通报');
  });
  it('imported parts (w:altChunk: an HTML page, a web archive, RTF, plain text) are read where they stand, in a cell too; one not read is named in a diagnostic — mammoth skips them all', async () => {
    const R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
    const chunk = (id: string, props = ''): string => `<w:altChunk r:id="${id}" ${R}>${props}</w:altChunk>`;
    const rel = (id: string, target: string): string => `<Relationship Id="${id}" Type="${REL}/aFChunk" Target="${target}"/>`;
    // An office system's export: the whole report an HTML page in GB2312, in an otherwise empty document.
    const page = encodeGb18030('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>导出</title><style>p{}</style></head><body><p>根据县委统一部署，巡察组开展了巡察。</p><table border="1"><tr><td>序号</td><td>问题</td></tr><tr><td>1</td><td>学习不深入。</td></tr></table></body></html>');
    const mht = makeMhtml({ type: 'text/html; charset="utf-8"', body: '<html><body><p>网页存档里的段落。</p></body></html>' });
    const rtf = '{\\rtf1\\ansi\\ansicpg936\\pard \\u32467?\\u35821?\\u12290?\\par}';
    const body =
      p(r('前言。')) + chunk('c1') + `<w:tbl><w:tr><w:tc>${chunk('c2', '<w:altChunkPr><w:matchSrc/></w:altChunkPr>')}<w:p/></w:tc><w:tc>${p(r('乙'))}</w:tc></w:tr></w:tbl>` + chunk('c3') + chunk('c4') + chunk('c5') + p(r('完。'));
    // A Word document imported in turn, itself importing a page (read) and a Word document (not: one level of Word documents).
    const innermost = await makeDocxXml(p(r('最深一层。')));
    const inner = await makeDocxXml(p(r('内嵌文档的段落。')) + chunk('i1') + chunk('i2'), { rels: [rel('i1', 'deep.htm'), rel('i2', 'deeper.docx')], parts: { 'word/deep.htm': '<p>更深一层。</p>', 'word/deeper.docx': innermost } });
    const bytes = await makeDocxXml(body, {
      rels: [rel('c1', 'afchunk.htm'), rel('c2', '/word/afchunk2.rtf'), rel('c3', 'chunk3.mht'), rel('c4', 'chunk4.txt'), rel('c5', 'chunk5.docx')],
      parts: { 'word/afchunk.htm': page, 'word/afchunk2.rtf': rtf, 'word/chunk3.mht': mht, 'word/chunk4.txt': '纯文本一行。', 'word/chunk5.docx': inner },
    });
    const doc = await readDocumentAsync(bytes, { path: 'chunks.docx' });
    expect(doc.text).toBe('前言。\n根据县委统一部署，巡察组开展了巡察。\n序号\t问题\n1\t学习不深入。\n结语。\t乙\n网页存档里的段落。\n纯文本一行。\n内嵌文档的段落。\n更深一层。\n完。');
    expect(doc.diagnostics.map((d) => d.message)).toEqual(['1 imported part(s) of the document (altChunk) were not read: word/deeper.docx (a Word document inside an imported Word document)']);
    // Read alone, the imported document reads its own import.
    expect((await readDocumentAsync(inner, { path: 'inner.docx' })).text).toBe('内嵌文档的段落。\n更深一层。\n最深一层。');
    // The export as it comes: nothing in the document but the chunk (mammoth alone reads it as an empty document).
    const only = await readDocumentAsync(await makeDocxXml(chunk('c1'), { rels: [rel('c1', 'afchunk.htm')], parts: { 'word/afchunk.htm': page } }), { path: 'export.docx' });
    expect(only.units.map((u) => u.text)).toEqual(['根据县委统一部署，巡察组开展了巡察。', '序号', '问题', '1', '学习不深入。']);
    // A chunk whose relationship names no part is left out; its paragraph with it.
    const missing = await readDocumentAsync(await makeDocxXml(p(r('前言。')) + chunk('cX') + chunk('c1') + p(r('完。')), { rels: [rel('c1', 'nothing.htm')] }), { path: 'missing.docx' });
    expect(missing.text).toBe('前言。\n完。');
    expect(missing.diagnostics.map((d) => d.message)).toEqual(['1 imported part(s) of the document (altChunk) were not read: word/nothing.htm (missing)']);
    // An imported Word document that would decompress past the limit (a zip bomb inside) fails the document as one would.
    const bomb = await makeDocxXml(chunk('c1'), { rels: [rel('c1', 'bomb.docx')], parts: { 'word/bomb.docx': await makeZeroZip('word/document.xml', 2 * 1024 * 1024) } });
    await expect(readDocumentAsync(bomb, { path: 'bomb.docx', maxUncompressedBytes: 1024 * 1024 })).rejects.toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE });
  });
  it('hidden text (w:vanish) is not read, as Word neither shows nor prints it; w:val="0" text is', async () => {
    const run = (t: string, rpr: string): string => `<w:r w:rsidR="00A1"><w:rPr><w:rFonts w:hint="eastAsia"/>${rpr}</w:rPr><w:t>${t}</w:t></w:r>`;
    const bytes = await makeDocxXml(
      p(run('隐藏的批注性文字。', '<w:vanish/>') + r('巡察发现问题12个。') + run('仍然显示。', '<w:vanish w:val="0"/>')) + p(run('整段隐藏。', '<w:vanish w:val="true"/>')) + p(r('已整改完成。')),
    );
    const doc = await readDocumentAsync(bytes, { path: 'hidden.docx' });
    expect(doc.text).toBe('巡察发现问题12个。仍然显示。\n已整改完成。');
  });
});
