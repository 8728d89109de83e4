import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XunshiError } from '@xunshi/types';
import { extractHtml, layoutPdf, parseExtracted, readDocument } from '../src/index.js';

const piece = fc.constantFrom(
  '<p>', '</p>', '<br>', '<h2>', '</h2>', '<table><tr><td>', '</td><td>', '</td></tr></table>', '<li>', '<script>', '</script>',
  '<nav>', '</nav>', '<div hidden>', '</div>', '<pre>', '</pre>', '一、', '（一）', '1.', '巡视发现问题。', '整改', '；', '\n', ' ', '\u3000', '&amp;', '<', '>', '"',
);

describe('extracted formats on arbitrary input', () => {
  it('HTML: never throws anything but a XunshiError, and every range cuts its own text', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 60 }), (parts) => {
        const html = parts.join('');
        let doc;
        try {
          doc = readDocument(new TextEncoder().encode(html), { path: 'p.html' });
        } catch (e) {
          expect(e).toBeInstanceOf(XunshiError);
          return;
        }
        for (const u of doc.units) {
          expect(doc.text.slice(u.start, u.end)).toBe(u.text);
          expect(u.text).not.toMatch(/[\t\n]/);
        }
        for (let i = 1; i < doc.units.length; i++) expect(doc.units[i]!.start).toBeGreaterThanOrEqual(doc.units[i - 1]!.end);
      }),
      { numRuns: 300 },
    );
  });
  it('PDF layout: any runs give ordered, in-range pages and units', () => {
    const run = fc.record({ str: fc.oneof(fc.constantFrom('巡视发现问题。', '一、总体情况', '整改', '- 1 -', '第 2 页'), fc.string({ maxLength: 8 })), x: fc.integer({ min: 0, max: 600 }), y: fc.integer({ min: 0, max: 800 }), width: fc.integer({ min: 0, max: 500 }), height: fc.constantFrom(9, 12, 16) });
    fc.assert(
      fc.property(fc.array(fc.array(run, { maxLength: 15 }), { minLength: 1, maxLength: 4 }), (pages) => {
        const extracted = layoutPdf(pages.map((items) => ({ width: 612, height: 792, items })));
        expect(extracted.pages).toHaveLength(pages.length);
        const doc = parseExtracted(extracted, { format: 'pdf' });
        for (const u of doc.units) {
          expect(doc.text.slice(u.start, u.end)).toBe(u.text);
          expect(u.page).toBeGreaterThanOrEqual(1);
          expect(u.page).toBeLessThanOrEqual(pages.length);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('extractHtml is deterministic, and gives a heading, a body line and a table row with its cells', () => {
    const html = '<h1>标题</h1><p>巡视发现问题。整改</p><table><tr><td>a</td><td>b</td></tr></table>';
    const out = extractHtml(html);
    expect(extractHtml(html)).toEqual(out);
    // Comparing the output only with itself could not fail for any deterministic extractor: what it is, by hand.
    expect(out).toEqual({
      text: '标题\n巡视发现问题。整改\na\tb',
      lines: [
        { start: 0, end: 2, kind: 'heading', block: 0, level: 1 },
        { start: 3, end: 12, kind: 'body', block: 1 },
        { start: 13, end: 16, kind: 'row', block: 2, cells: [{ start: 13, end: 14 }, { start: 15, end: 16 }], table: 0 },
      ],
      diagnostics: [],
    });
  });
});
