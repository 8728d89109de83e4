import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { ExtractedTextBuilder } from '../src/extracted.js';
import { extractHtml } from '../src/html-extract.js';
import { readDocument, readDocumentAsync } from '../src/index.js';
import { parseExtracted } from '../src/parse-document.js';
import { MAX_PASSAGES } from '../src/text-lines.js';
import { rejectionOf, thrownBy } from './support/thrown.js';

const MESSAGE =
  'the document has more than 100,000 lines and table cells with text, more than a report is read in (reading them would take gigabytes of memory); split it, or check it is a report and not a data dump';

/** An RTF document of `n` one-character paragraphs (巡, as `\uN` with its `?` fallback). */
function rtfParagraphs(n: number): Uint8Array {
  return new TextEncoder().encode(`{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0 SimSun;}}${'\\par \\u24033?\n'.repeat(n)}}`);
}

// 20 MB of RTF paragraphs took 4.5 s and 1.15 GB (every line extracted, then a passage made of each) before the
// analysis refused them; with the bound in the builder the reader stops at the 100,001st line (1.0 s, 0.25 GB).
describe('the bound on lines and cells an extracted document may have', () => {
  it('refuses the line past the bound, naming the file; blank lines and footnotes do not count', () => {
    const out = new ExtractedTextBuilder('dump.rtf');
    for (let i = 0; i < MAX_PASSAGES; i++) {
      out.add(i % 2 ? '巡' : '  察\u3000', i % 3 ? 'body' : 'heading', i);
      out.add(' \u3000\t', 'body', i);
      out.addFootnote('注', i);
    }
    expect(out.passageCount).toBe(MAX_PASSAGES);
    expect(thrownBy(() => out.add('巡', 'body', -1))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.rtf', message: MESSAGE });
    expect(thrownBy(() => new ExtractedTextBuilder().addRow(Array.from({ length: MAX_PASSAGES + 1 }, () => '巡'), 0))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, message: MESSAGE });
  });

  it('counts the cells of a row that hold text, and gives back a line taken back', () => {
    const out = new ExtractedTextBuilder();
    out.addRow(['1', '', ' ', '违规发放津补贴'], 0);
    expect(out.passageCount).toBe(2);
    out.add('目录', 'body', 1);
    expect(out.passageCount).toBe(3);
    expect(out.dropLastLineIf((l) => l === '目录')).toBe(true);
    expect(out.passageCount).toBe(2);
    const full = new ExtractedTextBuilder();
    for (let i = 0; i < MAX_PASSAGES - 1; i++) full.add('巡', 'body', i);
    full.addRow(['', '巡', ''], MAX_PASSAGES);
    expect(thrownBy(() => full.addRow(['巡', '察'], MAX_PASSAGES + 1))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE });
  });

  it('never counts more than the passages the document is read into (so it refuses nothing the analysis would take)', () => {
    const text = fc.oneof(
      fc.constantFrom('巡视发现问题。', '一、总体情况', '（一）政治建设方面', '整改；落实。', ' ', '\u3000', '', '。', '”。', '1.', '\t'),
      fc.string({ maxLength: 8 }),
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constantFrom('body' as const, 'heading' as const), text, level: fc.integer({ min: 1, max: 6 }) }),
      fc.record({ kind: fc.constant('row' as const), cells: fc.array(text, { maxLength: 5 }) }),
      fc.record({ kind: fc.constant('footnote' as const), text }),
      fc.record({ kind: fc.constant('end' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const out = new ExtractedTextBuilder();
        ops.forEach((o, block) => {
          if (o.kind === 'row') out.addRow(o.cells, block);
          else if (o.kind === 'footnote') out.addFootnote(o.text, block);
          else if (o.kind === 'end') out.endTable();
          else out.add(o.text, o.kind, block, o.kind === 'heading' ? o.level : undefined);
        });
        const counted = out.passageCount;
        const units = parseExtracted(out.finish(), { format: 'html' }).units.length;
        expect(units).toBeGreaterThanOrEqual(counted);
      }),
      { numRuns: 500 },
    );
  });

  it('stops reading an RTF document at the line past the bound, and reads one at the bound', async () => {
    expect(await rejectionOf(() => readDocumentAsync(rtfParagraphs(MAX_PASSAGES + 1), { path: 'dump.rtf' }))).toMatchObject({
      code: ERROR_CODES.INPUT_TOO_LARGE,
      file: 'dump.rtf',
      message: MESSAGE,
    });
    expect((await readDocumentAsync(rtfParagraphs(MAX_PASSAGES), { path: 'long.rtf' })).units.length).toBe(MAX_PASSAGES);
  }, 60_000);

  it('stops reading a page at the line past the bound (under the bound on elements), naming the file', () => {
    const page = `<!doctype html><body>${'<p>巡</p>'.repeat(MAX_PASSAGES + 1)}</body>`;
    expect(thrownBy(() => extractHtml(page, { path: 'dump.html' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.html', message: MESSAGE });
    expect(thrownBy(() => readDocument(new TextEncoder().encode(page), { path: 'dump.htm' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.htm', message: MESSAGE });
  }, 60_000);
});
