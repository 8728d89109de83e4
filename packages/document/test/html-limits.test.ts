import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { extractHtml, MAX_HTML_ELEMENTS } from '../src/html-extract.js';
import { readDocument } from '../src/index.js';
import { thrownBy } from './support/thrown.js';

// 20 MB of `<p>巡</p>` took 4.1 GB and 66 s to parse before the bound on passages refused the page.
describe('the bound on elements of a page', () => {
  it('refuses a page of more start tags before it is parsed, in any case of tag names, naming the file', () => {
    for (const tag of ['p', 'P', 'span']) {
      const page = `<${tag}>巡</${tag}>`.repeat(MAX_HTML_ELEMENTS + 1);
      const err = thrownBy(() => extractHtml(page, { path: 'dump.html' }));
      expect(err).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.html' });
      expect(err!.message).toBe('the page has more than 1,000,000 elements, more than a report is read in (parsing them would take gigabytes of memory); split it, or check it is a report and not a data dump');
    }
    // Read from bytes as a web page, and as a Word document's converted HTML names it.
    const bytes = new TextEncoder().encode(`<!doctype html><body>${'<p>巡</p>'.repeat(MAX_HTML_ELEMENTS + 1)}</body>`);
    expect(thrownBy(() => readDocument(bytes, { path: 'dump.htm' }))).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.htm' });
    expect(thrownBy(() => extractHtml('<b>'.repeat(MAX_HTML_ELEMENTS + 1), { what: 'Word document', fragment: true }))!.message).toMatch(/^the Word document has more than 1,000,000 elements/);
  });

  it('counts only start tags: a long page of text holding < signs is read', () => {
    const page = `<p>${'违规资金1<2亿元, a <= b; '.repeat(200_000)}</p>`;
    expect(page.length).toBeGreaterThan(3 * MAX_HTML_ELEMENTS);
    expect(extractHtml(page).text.startsWith('违规资金1<2亿元')).toBe(true);
  });
});
