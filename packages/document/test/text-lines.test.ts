import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { parseDocument } from '../src/parse-document.js';
import { checkTextLines, countTextLines, MAX_TEXT_LINES } from '../src/text-lines.js';

function refused(text: string): boolean {
  try {
    checkTextLines(text, 'dump.txt');
    return false;
  } catch (e) {
    expect(e).toBeInstanceOf(XunshiError);
    expect(e).toMatchObject({ code: ERROR_CODES.INPUT_TOO_LARGE, file: 'dump.txt' });
    return true;
  }
}

describe('checkTextLines', () => {
  it('refuses one line past the bound, at every kind of line end, and not the bound itself', () => {
    for (const end of ['\n', '\r\n', '\r', '\u2028', '\u2029', '\u0085', '\f', '\v']) {
      expect(refused(`巡${end}`.repeat(MAX_TEXT_LINES)), JSON.stringify(end)).toBe(false);
      expect(refused(`巡${end}`.repeat(MAX_TEXT_LINES + 1)), JSON.stringify(end)).toBe(true);
      // The last line needs no line end.
      expect(refused(`${`巡${end}`.repeat(MAX_TEXT_LINES)}察`), JSON.stringify(end)).toBe(true);
    }
  });

  it('does not count blank lines, or lines of white space only', () => {
    expect(refused('巡\n \n\u3000\t\n\n'.repeat(MAX_TEXT_LINES))).toBe(false);
    expect(refused(' \n'.repeat(3 * MAX_TEXT_LINES))).toBe(false);
  });

  it('is linear on a long line of white space (no regular expression backtracks over it)', () => {
    expect(refused(' '.repeat(20_000_000))).toBe(false);
  });

  it('counts the lines with text as a plain split does, and each is at least one passage of the text reader', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('巡', 'a', ' ', '\t', '\u3000', '\u00a0', '\u2003', '\ufeff', '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\f', '\v'), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const byPlainSplit = text.split(/\r\n|[\n\r\u2028\u2029\u0085\f\v]/).filter((l) => /[^\s]/.test(l)).length;
        expect(countTextLines(text)).toBe(byPlainSplit);
        // So the bound on lines never refuses a text the bound on passages would keep.
        expect(parseDocument(text, { format: 'text' }).units.length).toBeGreaterThanOrEqual(byPlainSplit);
      }),
      { numRuns: 500 },
    );
  });
});
