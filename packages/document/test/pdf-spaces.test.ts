import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPdf } from '../src/index.js';
import { extractOfd } from '../src/ofd-read.js';
import { extractPdf } from '../src/pdf-read.js';
import { findChromium, hasCjkFont, printPdf } from './support/fixtures.js';
import { ofdOfPages, type PlacedPage, type PlacedRun } from './support/layout-pages.js';

const LEFT = 54;
/** The text width: 60 characters of half an em at 12 pt. */
const WIDTH = 360;
const run = (str: string, x: number, y: number, width: number): PlacedRun => ({ str, x, y, width, height: 12 });

/** Tokens broken greedily into lines of at most `max` characters, at the spaces between them (the spaces dropped). */
function breakAtSpaces(tokens: readonly string[], max = 60): string[] {
  const lines: string[] = [];
  let line = '';
  for (const t of tokens) {
    if (line !== '' && line.length + 1 + t.length > max) {
      lines.push(line);
      line = t;
    } else line = line === '' ? t : `${line} ${t}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * A page of one paragraph: each line one run set across the text width (the last at its own width), or at its own
 * width (`ragged`: text set flush left), or each word a run, the words spread across the width as justified text is
 * (`perWord`: the spaces are not runs).
 */
function paragraphPage(lines: readonly string[], set: 'justified' | 'perWord' | 'ragged' = 'justified', charWidth = 6): PlacedPage {
  const items: PlacedRun[] = [];
  lines.forEach((s, i) => {
    const y = 700 - i * 16;
    const last = i === lines.length - 1;
    if (set !== 'perWord') {
      items.push(run(s, LEFT, y, last || set === 'ragged' ? s.length * charWidth : WIDTH));
      return;
    }
    const words = s.split(' ');
    const total = words.reduce((n, w) => n + w.length * charWidth, 0);
    const gap = last || words.length < 2 ? charWidth : (WIDTH - total) / (words.length - 1);
    let x = LEFT;
    for (const w of words) {
      items.push(run(w, x, y, w.length * charWidth));
      x += w.length * charWidth + gap;
    }
  });
  return { width: 595, height: 842, items };
}

// Words of Latin letters and digits with punctuation around them, at most 5 characters each (so that greedy lines
// of 60 characters are 55 or more: full lines, set across the width).
const token = fc
  .tuple(fc.constantFrom('', '(', '"', '“', '‘'), fc.stringMatching(/^[A-Za-z0-9]{1,3}$/), fc.constantFrom('', '.', ',', ';', ':', '!', '?', '%', ')', '"', '”', '’', '.)', '!"'))
  .map(([a, w, b]) => a + w + b)
  .filter((t) => t.length <= 5);
const words = fc.array(token, { minLength: 20, maxLength: 80 });

/**
 * The text with the paragraph breaks after a sentence's end joined with `by`: a line that ends a sentence and a next
 * one that starts with what reads as a list number (`(1)`, `001、`) are two paragraphs, as written text is read too.
 */
const paragraphs = (text: string, by: string): string => text.replace(/(?<=[。！？；：!?;:])\n/g, by);

const joined = (lines: readonly string[]): string => layoutPdf([paragraphPage(lines)]).text;

describe('PDF layout: a line broken at a space', () => {
  it('joins wrapped lines with a space between words of Latin text, punctuation on either side too', () => {
    const cases: [string, string, string][] = [
      ['The Party', 'committee met', 'The Party committee met'],
      ['held 12', 'meetings', 'held 12 meetings'],
      ['in 2023,', '50%', 'in 2023, 50%'],
      ['50%', 'of them', '50% of them'],
      ['held "twelve"', 'meetings', 'held "twelve" meetings'],
      ['by the end of the year!', 'Notwithstanding', 'by the end of the year! Notwithstanding'],
      ['is it done?', 'Yes', 'is it done? Yes'],
      ['handled.', '“Quoted text”', 'handled. “Quoted text”'],
      ['“Quoted text”', 'and ‘single’', '“Quoted text” and ‘single’'],
      ['the party’s', '(first) group', 'the party’s (first) group'],
      ['see', '"Annex 1"', 'see "Annex 1"'],
    ];
    for (const [a, b, want] of cases) expect(joined([a, b])).toBe(want);
  });

  it('joins without a space after a hyphen and next to Chinese text on either side, quotation marks and all', () => {
    const cases: [string, string, string][] = [
      ['well-', 'known', 'well-known'],
      ['co-', 'operatively', 'co-operatively'],
      ['截至2023', '年底', '截至2023年底'],
      ['巡视组指出', '2023年', '巡视组指出2023年'],
      ['做到“两个维护”', '2024年以来', '做到“两个维护”2024年以来'],
      ['落实“两个维护”', 'Party', '落实“两个维护”Party'],
      ['监督', 'Party committee', '监督Party committee'],
      ['the Party', '委员会', 'the Party委员会'],
      ['共追回资金126.5', '万元', '共追回资金126.5万元'],
      ['等等……', 'abc', '等等……abc'],
    ];
    for (const [a, b, want] of cases) expect(joined([a, b])).toBe(want);
  });

  it('joins wrapped lines of the same paragraph across a page break with the space too', () => {
    const first: PlacedPage = { width: 595, height: 842, items: [run('A first line of the paragraph that runs to the margin and', LEFT, 700, WIDTH), run('on to the foot of the page with the Party', LEFT, 684, WIDTH)] };
    const second: PlacedPage = { width: 595, height: 842, items: [run('committee named on the next page.', LEFT, 700, 198)] };
    expect(layoutPdf([first, second]).text).toBe('A first line of the paragraph that runs to the margin and on to the foot of the page with the Party committee named on the next page.');
  });

  it('joins lines of text set flush left where the first word of the next line would not have fitted, and only there', () => {
    // The second line leaves 7 characters of the width blank: not full, but the next line's first word is longer.
    const lines = ['The inspection team found in its work that the committee of', 'the rectification office had not finished its work on', 'internationalization by the end of 2023.'];
    expect(layoutPdf([paragraphPage(lines, 'ragged')]).text).toBe(lines.join(' '));
    // A heading, and a list of short lines whose next first word would have fitted: lines of their own.
    const page = paragraphPage(['Introduction', ...lines, 'Name: John Smith', 'Title: Director of the Office', 'Phone: 12345'], 'ragged');
    expect(layoutPdf([page]).text.split('\n')).toEqual(['Introduction', lines.join(' '), 'Name: John Smith', 'Title: Director of the Office', 'Phone: 12345']);
  });

  it('property: Latin text broken at its spaces reads as it was written, one run a line, one a word or set flush left', () => {
    fc.assert(
      fc.property(words, fc.constantFrom('justified' as const, 'perWord' as const, 'ragged' as const), (tokens, set) => {
        const lines = breakAtSpaces(tokens);
        expect(paragraphs(layoutPdf([paragraphPage(lines, set)]).text, ' ')).toBe(tokens.join(' '));
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });

  it('property: Chinese text broken anywhere but inside a number reads as it was written, without spaces', () => {
    const piece = fc.oneof(fc.constantFrom(...'巡视整改落实责任监督问题党组织，。、；：“”（）《》'), fc.stringMatching(/^[0-9]{1,4}$/), fc.constantFrom('Party', 'OK'));
    fc.assert(
      fc.property(fc.array(piece, { minLength: 40, maxLength: 120 }), fc.integer({ min: 20, max: 28 }), (pieces, per) => {
        // Lines of about `per` characters (one em each), broken between pieces (a number or word is never broken).
        const lines: string[] = [];
        let line = '';
        for (const p of pieces) {
          if (line.length + p.length > per && line !== '') {
            lines.push(line);
            line = '';
          }
          line += p;
        }
        lines.push(line);
        const page: PlacedPage = { width: 595, height: 842, items: lines.map((s, i) => run(s, LEFT, 700 - i * 16, i < lines.length - 1 ? WIDTH : 12)) };
        // Where a line ends in a word or number and the next starts with one (a quotation mark between them or not),
        // the break reads as a space: the layout cannot tell it from one. Never a space next to a Chinese character.
        const text = paragraphs(layoutPdf([page]).text, '');
        const latinBreak = /(?<=[A-Za-z0-9][”’]{0,3}) (?=[“‘]{0,3}[A-Za-z0-9])/g;
        expect(text.replace(latinBreak, '')).toBe(pieces.join(''));
        expect(text).not.toMatch(/[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef] | [\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]/);
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });
});

describe('OFD: a line broken at a space', () => {
  it('property: Latin text broken at its spaces reads as it was written', async () => {
    await fc.assert(
      fc.asyncProperty(words, async (tokens) => {
        const lines = breakAtSpaces(tokens);
        // Each line one text object drawing its spaces too, its glyphs spread over the width.
        const page = paragraphPage(lines);
        expect(paragraphs((await extractOfd(await ofdOfPages([page]))).text, ' ')).toBe(tokens.join(' '));
      }),
      { numRuns: 60, seed: 20261205 },
    );
  });
});

describe('PDF printed by headless Chromium: a line broken at a space', () => {
  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  it.skipIf(!ready)('reads English text wrapped at its spaces, with quotation marks, % and ! at the breaks, as written', async () => {
    const en =
      'The Party committee of the county finance bureau held "twelve" meetings in 2023, 50% of them about rectification; the inspection team found 345 problems (in the work of the leading group) of which 300 were rectified by the end of the year! The rest are being rectified now; well-known problems are co-operatively handled. “Quoted text” and ‘single quoted’ words appear too, with O\'Brien and e.g. U.S. abbreviations, "quoted" again and again, “and again” and “again”.';
    const zh = '巡视组指出，County Finance Bureau党组在2023年共召开12次会议研究整改工作，整改问题345个，其中Party committee的rectification工作进展顺利，做到“两个维护”，2024年以来持续推进。';
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:12pt} p{margin:0 0 1em 0}</style></head><body><p>${esc(en)}</p><p>${esc(zh)}</p></body></html>`;
    const doc = await extractPdf(printPdf(chromium!, html));
    expect(doc.text.split('\n')).toEqual([en, zh]);
  });
});

describe('PDF layout: spaces pdf.js writes between Chinese characters set apart', () => {
  const page = (strs: string[]): PlacedPage => ({ width: 595, height: 842, items: strs.map((s, i) => run(s, LEFT, 700 - i * 40, s.length * 8)) });

  it('closes up a run of characters set apart (letter-spacing, a spread title), digits among them too', () => {
    const doc = layoutPdf([page(['巡 察 整 改 通 报', '巡 视 组 指 出 ， 该 局 党 组 在 2 0 2 3 年 共 召 开 1 2 次 会 议 。', '3 4 5个 ， 已 完 成 3 0 0 个 。'])]);
    expect(doc.text.split('\n')).toEqual(['巡察整改通报', '巡视组指出，该局党组在2023年共召开12次会议。', '345个，已完成300个。']);
  });

  it('leaves out a single space between two Chinese characters of a run, and keeps the spaces of Latin words, numbers and wider gaps', () => {
    const doc = layoutPdf([page(['巡视组 指出，该局 党组', '其中 Party committee 的 rectification 工作', '组  长：王  伟', 'A B C D', '第 3 页 共 10 页 附件'])]);
    expect(doc.text.split('\n')).toEqual(['巡视组指出，该局党组', '其中 Party committee 的 rectification 工作', '组  长：王  伟', 'A B C D', '第 3 页共 10 页附件']);
  });

  it('property: Chinese text (with numbers) set apart, a space between characters, reads as written', () => {
    const piece = fc.oneof(fc.constantFrom(...'巡视整改落实责任监督问题党组织，。、；：“”（）《》'), fc.stringMatching(/^[0-9]{1,4}$/));
    fc.assert(
      fc.property(fc.array(fc.array(piece, { minLength: 3, maxLength: 30 }), { minLength: 1, maxLength: 8 }), (lines) => {
        const written = lines.map((l) => l.join(''));
        // Each line its text set apart, closing with a full stop so that no two lines join.
        const doc = layoutPdf([page(written.map((l) => [...`${l}。`].join(' ')))]);
        expect(doc.text.split('\n')).toEqual(written.map((l) => `${l}。`));
      }),
      { numRuns: 300, seed: 20261205 },
    );
  });

  it('reads an OFD whose text codes hold a space between Chinese characters as the PDF of it', async () => {
    const doc = await extractOfd(await ofdOfPages([page(['巡 察 整 改 通 报', '巡视组 指出，该局 党组'])]));
    expect(doc.text.split('\n')).toEqual(['巡察整改通报', '巡视组指出，该局党组']);
  });

  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  it.skipIf(!ready)('reads Chromium-printed Chinese text set with letter-spacing without the spaces pdf.js writes into it', async () => {
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>body{font-family:'WenQuanYi Micro Hei';font-size:12pt} p{margin:0 0 1em 0;text-indent:2em}</style></head><body><p style="letter-spacing:0.5em;text-align:center">巡察整改通报</p><p style="letter-spacing:0.2em">巡视组指出，该局党组在2023年共召开12次会议研究整改工作，整改问题345个，已完成300个。</p><p style="word-spacing:1em">巡视组 指出 该局 党组</p></body></html>`;
    const doc = await extractPdf(printPdf(chromium!, html));
    // Spaces a character wide or wider between runs stay written space (ideographic), as before.
    expect(doc.text.split('\n')).toEqual(['巡察整改通报', '巡视组指出，该局党组在2023年共召开12次会议研究整改工作，整改问题345个，已完成300个。', '巡视组　指出　该局　党组']);
  });
});
