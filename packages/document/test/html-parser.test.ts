import fc from 'fast-check';
import { unified } from 'unified';
import rehypeParse from 'rehype-parse';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { extractHtml, MAX_HTML_ELEMENTS } from '../src/html-extract.js';
import { readDocument } from '../src/index.js';
import { html } from '../src/parsers-load.js';
import { TooManyElements } from '../src/parsers.js';
import { thrownBy } from './support/thrown.js';

const rehype = (text: string, fragment: boolean): unknown => unified().use(rehypeParse, { fragment }).parse(text);

/** A page of `open` formatting elements left open in a paragraph (each with its own id), then `paragraphs` paragraphs. */
function reopened(open: number, paragraphs: number): string {
  const bs = Array.from({ length: open }, (_, k) => `<b id="b${k}">`).join('');
  const ps = Array.from({ length: paragraphs }, (_, i) => `<p>巡视发现有的党员干部违规发放津补贴十八万元。${i}</p>`).join('');
  return `<!doctype html><html><head><meta charset="utf-8"></head><body><p>${bs}</p>${ps}</body></html>`;
}

describe('the HTML parser', () => {
  it('makes the tree rehype-parse makes, positions included, of pages and fragments', () => {
    const piece = fc.constantFrom(
      '<p>', '</p>', '<b id="x">', '</b>', '<i>', '<table><tr><td>', '</td><td>', '</table>', '<br>', '<!-- c -->', '<script>a<b</script>',
      '<style>p{}</style>', '&amp;', '&nbsp;', '巡视发现问题。', '<h2>一、总体情况</h2>', '<a href="/x">', '</a>', '<font color=red>', '<ul><li>', '</li>', '<svg><text>t</text></svg>',
      '<template><p>t</p></template>', '<noscript><p>n</p></noscript>', '<!doctype html>', '<html lang="zh">', '<head><title>标题</title></head>', '<body>', '\n', ' ',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 6 })), { maxLength: 40 }), fc.boolean(), (parts, fragment) => {
        const text = parts.join('');
        expect(html(text, fragment)).toEqual(rehype(text, fragment));
      }),
      { numRuns: 400 },
    );
    const page = reopened(3, 5);
    expect(html(page, false)).toEqual(rehype(page, false));
  });

  it('counts the elements it makes, the ones it re-creates for formatting left open included', () => {
    // 4 open <b> re-created in each of 10 paragraphs: 4 + 10 × (1 + 4) elements in the body, and html, head, meta, body.
    const page = reopened(4, 10);
    expect(() => html(page, false, 1000)).not.toThrow();
    expect(() => html(page, false, 40)).toThrow(TooManyElements);
  });

  it('refuses a page of few start tags whose parse would make more than the bound on elements, naming the file', () => {
    // 480 open <b> before 2,200 paragraphs: 2,700 start tags, 1,056,000 elements made (16,000 paragraphs, 1.2 MB, made
    // 7.7 million and ran the process out of memory after 92 s).
    const page = reopened(480, 2200);
    const message = 'the page has more than 1,000,000 elements, more than a report is read in (parsing them would take gigabytes of memory); split it, or check it is a report and not a data dump';
    expect(thrownBy(() => extractHtml(page, { path: 'afe.html' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'afe.html', message });
    expect(thrownBy(() => readDocument(new TextEncoder().encode(page), { path: 'afe.htm' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'afe.htm' });
    expect(MAX_HTML_ELEMENTS).toBeLessThan(480 * 2200);
    // Under the bound it is read: each paragraph two passages (the sentence, and the number after it).
    expect(readDocument(new TextEncoder().encode(reopened(480, 200)), { path: 'afe.htm' }).units.length).toBe(400);
  }, 60_000);
});
