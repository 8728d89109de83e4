import { describe, expect, it } from 'vitest';
import { readDocumentAsync } from '../src/index.js';
import { makeDocxXml, WORD_NS } from './support/fixtures.js';

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
});
