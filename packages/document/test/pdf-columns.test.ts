import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPdf } from '../src/index.js';
import { extractOfd } from '../src/ofd-read.js';
import { extractPdf } from '../src/pdf-read.js';
import { findChromium, hasCjkFont, printPdf } from './support/fixtures.js';
import { mixedPage, ofdOfPages, paragraphText, twoColumnLines, type LayoutBlock, type MixedPageOptions, type PlacedRun } from './support/layout-pages.js';

const read = (blocks: LayoutBlock[], options: MixedPageOptions): { got: string[]; want: string[] } => {
  const { page, lines } = mixedPage(blocks, options);
  return { got: layoutPdf([page]).text.split('\n'), want: lines };
};
const para = paragraphText;
// Two columns of 20 characters with a 2-character gutter (24 pt at 12 pt).
const TWO: MixedPageOptions = { columnChars: 20, gutterChars: 2 };
const body = (k: number): string[] => [para(k, 50), para(k + 1, 75), para(k + 2, 64), para(k + 3, 90), para(k + 4, 43)];

/**
 * Pages of random blocks (centred lines of 1–8 characters, some moved right or left as a first-line indent moves them;
 * paragraphs across the page; paragraphs in two columns of 14–22 characters with a gutter of 1–3, closing marks hanging
 * past the margin), as far as the layout can tell them apart (see the filter).
 */
const mixedPages = (() => {
  const cjk = '巡视整改通报一二三四五六小结附件说明';
  const centred = fc.record({
    kind: fc.constant('centred' as const),
    text: fc.array(fc.constantFrom(...cjk), { minLength: 1, maxLength: 8 }).map((cs) => cs.join('')),
    shift: fc.constantFrom(0, 6, 12, -6),
  });
  const lengths = (min: number, max: number) => fc.array(fc.integer({ min: 12, max: 140 }), { minLength: min, maxLength: max });
  const block = fc.oneof(
    { weight: 3, arbitrary: centred },
    { weight: 2, arbitrary: lengths(1, 2).map((ns) => ({ kind: 'one' as const, ns })) },
    { weight: 3, arbitrary: lengths(2, 6).map((ns) => ({ kind: 'two' as const, ns })) },
  );
  return fc
    .tuple(fc.array(block, { minLength: 1, maxLength: 7 }), fc.integer({ min: 14, max: 22 }), fc.integer({ min: 1, max: 3 }))
    .map(([raw, columnChars, gutterChars]) => {
      let k = 1;
      // A paragraph has two lines at least, three in a column: a column's (or a page's) left edge is where most of its
      // lines start, the leftmost start a fifth as many lines share as the commonest one (leftEdgeOf in pdf-columns.ts):
      // a column of one-line paragraphs alone has no edge to tell its first-line indent by.
      const full = 2 * columnChars + gutterChars;
      const blocks: LayoutBlock[] = raw.map((b) => (b.kind === 'centred' ? b : { kind: b.kind, paragraphs: b.ns.map((n) => para(k++, n + (b.kind === 'one' ? full : 2 * columnChars))) }));
      return { blocks, options: { columnChars, gutterChars } };
    })
    .filter(({ blocks, options: { columnChars, gutterChars } }) => {
      const full = 2 * columnChars + gutterChars;
      const two = blocks.filter((b) => b.kind === 'two');
      // Lines of the right columns (the left ones hold as many or one more), and lines across the gutter: every
      // centred line and one-column line at most. A gutter has text on each side on 6 lines at least, and is crossed
      // by fewer lines than that (pdf-columns.ts); a column holds 3 lines at least.
      const centred = blocks.filter((b) => b.kind === 'centred').length;
      const right = two.reduce((s, b) => s + Math.floor(twoColumnLines(b.paragraphs, columnChars) / 2), 0);
      const across = blocks.reduce((s, b) => s + (b.kind === 'centred' ? 1 : b.kind === 'one' ? b.paragraphs.reduce((n, p) => n + Math.ceil((p.length + 2) / full), 0) : 0), 0);
      // A centred line reaches half a character or more into the gutter (one moved wholly into a column is a line of it).
      const gutter = [54 + columnChars * 12, 54 + (columnChars + gutterChars) * 12] as const;
      const x0 = (b: { text: string; shift?: number }): number => 54 + (full * 12) / 2 - (b.text.length * 12) / 2 + (b.shift ?? 0);
      return (
        // The left margin is where most lines start: fewer centred lines than lines at the margin (a page of centred
        // lines alone has no margin to tell them apart by).
        centred < blocks.reduce((n, b) => n + (b.kind === 'centred' ? 0 : twoColumnLines(b.paragraphs, b.kind === 'one' ? full : columnChars) - b.paragraphs.length), 0) &&
        blocks.every((b) => b.kind !== 'centred' || (x0(b) <= gutter[1] - 6 && x0(b) + b.text.length * 12 >= gutter[0] + 6)) &&
        // Two sections of columns one right under the other, with no line across between them, look like one section.
        blocks.every((b, i) => i === 0 || b.kind !== 'two' || blocks[i - 1]!.kind !== 'two') &&
        (two.length === 0 || (right >= 6 && two.every((b) => twoColumnLines(b.paragraphs, columnChars) >= 6) && across < right))
      );
    });
})();

describe('PDF columns: a short line in the gutter', () => {
  it('reads a centred page number narrower than the gutter below two columns in place, not the page across the gutter', () => {
    // The "3" leaves 6 pt of the 24 pt gutter blank on each side: less than a gutter, so the page was read across.
    const { got, want } = read([{ kind: 'two', paragraphs: body(1) }, { kind: 'centred', text: '3' }], TWO);
    expect(got).toEqual(want);
  });

  it('reads a one-character centred title above, and a centred heading between, two sections of columns', () => {
    for (const gutterChars of [1, 2, 3]) {
      const { got, want } = read([{ kind: 'centred', text: '报' }, { kind: 'two', paragraphs: body(1) }, { kind: 'centred', text: '二' }, { kind: 'two', paragraphs: body(6) }], { ...TWO, gutterChars });
      expect(got).toEqual(want);
    }
  });

  it('reads a centred line set half in the gutter and half in the right column (moved by a first-line indent) in place', () => {
    // As Chromium prints <p style="text-align:center;text-indent:2em">: the line's centre on the right column's edge.
    for (const text of ['报', '二、', '小结']) {
      const { got, want } = read([{ kind: 'centred', text, shift: 12 }, { kind: 'two', paragraphs: body(1) }, { kind: 'centred', text, shift: 12 }, { kind: 'two', paragraphs: body(6) }], TWO);
      expect(got).toEqual(want);
    }
  });

  it('still reads a one-column page whose short lines end in the same white band as one column', () => {
    // Paragraphs whose last lines all end near the middle of the page, and a centred line in that band.
    const paragraphs = [1, 2, 3, 4, 5, 6, 7].map((k) => para(k, 42 + 20));
    const { got, want } = read([{ kind: 'centred', text: '一' }, { kind: 'one', paragraphs }, { kind: 'centred', text: '二' }], TWO);
    expect(got).toEqual(want);
  });

  it('still reads a list with aligned second parts, and justified text with word gaps at one x, by rows, with a centred line in the band', () => {
    const run = (str: string, x: number, y: number, width = str.length * 12): PlacedRun => ({ str, x, y, width, height: 12 });
    // 名单: name at the left margin, post at x = 306, ten rows; a centred 附 sits in the white band between them.
    const names = ['组长：张三', '副组长：李四', '成员：王五', '成员：赵六', '成员：钱七', '成员：孙八', '成员：周九', '成员：吴十', '联络员：郑一', '联络员：冯二'];
    const list = names.flatMap((n, i) => [run(n, 54, 700 - i * 16), run(`县财政局第${i + 1}科室负责人`, 306, 700 - i * 16)]);
    const doc = layoutPdf([{ width: 612, height: 792, items: [run('附', 288, 716), ...list] }]);
    // Row by row: a table of one-line rows (pdf-stream-tables.ts), each name and post a cell.
    expect(doc.text.split('\n')).toEqual(['附', ...names.map((n, i) => `${n}\t县财政局第${i + 1}科室负责人`)]);
    // Justified Latin text whose every line has a wide word gap at x = 300 (each word a run), and a centred "ii".
    const words = ['The', 'inspection', 'team', 'found', 'problems', 'in', 'the', 'work', 'of', 'the', 'leading', 'group', 'and', 'the', 'party', 'committee'];
    const lines = Array.from({ length: 8 }, (_, i) => [words[(2 * i) % 16]!, words[(2 * i + 1) % 16]!]);
    const prose = lines.flatMap(([a, b], i) => [run(`${a} ${i}`, 54, 600 - i * 16, 240), run(`${b} ${i}`, 318, 600 - i * 16, 240)]);
    const text = layoutPdf([{ width: 612, height: 792, items: [run('ii', 300, 616, 12), ...prose] }]).text.split('\n');
    expect(text).toEqual(['ii', lines.map(([a, b], i) => `${a} ${i} ${b} ${i}`).join(' ')]);
  });

  it('property: random mixes of one- and two-column blocks and centred lines read in order', () => {
    fc.assert(
      fc.property(mixedPages, ({ blocks, options }) => {
        const { got, want } = read(blocks, options);
        expect(got).toEqual(want);
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });
});

describe('OFD columns: a short line in the gutter', () => {
  it('reads an OFD set in two columns with a one-character centred title, a centred heading and page number in place', async () => {
    const blocks: LayoutBlock[] = [{ kind: 'centred', text: '报' }, { kind: 'two', paragraphs: body(1) }, { kind: 'centred', text: '二', shift: 12 }, { kind: 'two', paragraphs: body(6) }, { kind: 'centred', text: '附件' }];
    const { page, lines } = mixedPage(blocks, TWO);
    expect((await extractOfd(await ofdOfPages([page]))).text.split('\n')).toEqual(lines);
  });

  it('property: random mixes of one- and two-column blocks and centred lines read in order, as from a PDF', async () => {
    await fc.assert(
      fc.asyncProperty(mixedPages, async ({ blocks, options }) => {
        const { page, lines } = mixedPage(blocks, options);
        expect((await extractOfd(await ofdOfPages([page]))).text.split('\n')).toEqual(lines);
      }),
      { numRuns: 60, seed: 20261205 },
    );
  });
});

describe('PDF columns printed by headless Chromium', () => {
  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  it.skipIf(!ready)('reads two sections of CSS columns with a one-character centred title, heading and page number between them', async () => {
    const ps = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => para(k, 60 + k * 7));
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const cols = (xs: string[]): string => `<div class="cols">${xs.map((p) => `<p>${esc(p)}</p>`).join('')}</div>`;
    // text-indent applies to the centred lines too: each is moved right by 1em, half into the right column.
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} p{margin:0;text-indent:2em} .cols{column-count:2;column-gap:2em} .c{text-align:center}</style></head><body><p class="c">报</p>${cols(ps.slice(0, 4))}<p class="c">二</p>${cols(ps.slice(4))}<p class="c">3</p></body></html>`;
    const doc = await extractPdf(printPdf(chromium!, html));
    expect(doc.text.split('\n')).toEqual(['报', ...ps.slice(0, 4), '二', ...ps.slice(4), '3']);
  });
});
