// appendExtracted: one extracted document after another (a Word document's own text, then the pages OCR read from its
// pictures): every range of the second still names its own text, blocks and tables numbered on, pages placed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendExtracted, ExtractedTextBuilder, type ExtractedDocument } from '../src/extracted.js';

/** A document of `items`: a string a body line, an array a table row; `pages` starts a page before each item index given. */
function build(items: readonly (string | string[])[], pages: readonly number[] = []): ExtractedDocument {
  const out = new ExtractedTextBuilder();
  items.forEach((item, i) => {
    if (pages.includes(i)) out.startPage();
    if (typeof item === 'string') out.add(item, 'body', i);
    else out.addRow(item, i);
  });
  return out.finish();
}

/** Each line's text, kind, block and table, and each cell's text. */
const shape = (d: ExtractedDocument): unknown[] => d.lines.map((l) => [d.text.slice(l.start, l.end), l.kind, l.block, l.table, l.cells?.map((c) => d.text.slice(c.start, c.end))]);

describe('appendExtracted', () => {
  it('keeps the first document as it is and moves the second past it: its lines, cells, blocks, tables and pages', () => {
    const a = build(['标题', ['序号', '问题']]);
    const b = build(['第一页', ['1', '会议多'], '第二页'], [0, 2]);
    const both = appendExtracted(a, b);
    expect(both.text).toBe(`${a.text}\n${b.text}`);
    expect(shape(both).slice(0, a.lines.length)).toEqual(shape(a));
    expect(shape(both).slice(a.lines.length)).toEqual(shape(b).map((l) => {
      const [text, kind, block, table, cells] = l as [string, string, number, number | undefined, string[] | undefined];
      return [text, kind, block + 2, table === undefined ? undefined : table + 1, cells];
    }));
    // The first document's text stands on the second's first page.
    expect(both.pages!.map((p) => both.text.slice(p.start, p.end).trim())).toEqual([`标题\n序号\t问题\n第一页\n1\t会议多`, '第二页']);
    expect(appendExtracted(build([]), b)).toEqual(b);
  });

  it('every line and cell of either document names the same text after the join (property)', () => {
    const item = fc.oneof(fc.string({ minLength: 1, maxLength: 6 }), fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 2, maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(item, { maxLength: 5 }), fc.array(item, { maxLength: 5 }), (x, y) => {
        const a = build(x);
        const b = build(y, y.length > 0 ? [0] : []);
        const both = appendExtracted(a, b);
        const texts = (d: ExtractedDocument): string[] => d.lines.flatMap((l) => [d.text.slice(l.start, l.end), ...(l.cells ?? []).map((c) => d.text.slice(c.start, c.end))]);
        expect(texts(both)).toEqual([...texts(a), ...texts(b)]);
      }),
      { numRuns: 200, seed: 20261207 },
    );
  });
});
