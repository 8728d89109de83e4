import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { isLineEnd } from './split-units.js';

/**
 * Most passages (sentences, lines, table cells) a document may have to be analysed. Real reports have hundreds to a few
 * thousand; the analysis refuses a document with more before the engine runs, and the readers refuse one earlier,
 * before it is parsed ({@link MAX_TEXT_LINES}) or as its lines are extracted (`ExtractedTextBuilder`).
 */
export const MAX_PASSAGES = 100_000;

/**
 * Most lines holding text a plain-text or Markdown document may have to be read: the analysis's bound on passages
 * (every such line is at least one), checked before the text is parsed. Parsing is what costs first: 20 MB of
 * one-character lines (within the default --max-size) took 3.1 GB and 17 s to parse before the passage bound refused
 * the document. Real reports have hundreds to a few thousand lines.
 */
export const MAX_TEXT_LINES = MAX_PASSAGES;

/** White space that leaves a line blank (as `\s` reads it, less the line ends). */
function isBlankChar(c: number): boolean {
  return c === 32 || c === 9 || c === 0xa0 || c === 0x3000 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f;
}

/**
 * Lines of `text` that are not blank, counted at the line ends the text reader cuts at (LF, CR, CRLF, U+2028, U+2029,
 * NEL, form feed, vertical tab); the count stops once it passes `stopAfter`.
 */
export function countTextLines(text: string, stopAfter = Infinity): number {
  let lines = 0;
  let blank = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isLineEnd(c)) {
      if (!blank && ++lines > stopAfter) return lines;
      blank = true;
    } else if (blank && !isBlankChar(c)) blank = false;
  }
  return blank ? lines : lines + 1;
}

/**
 * Throw `INPUT_TOO_LARGE` when `text` has more than {@link MAX_TEXT_LINES} lines that are not blank. One pass that stops
 * at the bound; a text too short to hold that many lines is not scanned.
 */
export function checkTextLines(text: string, path?: string): void {
  if (text.length <= 2 * MAX_TEXT_LINES || countTextLines(text, MAX_TEXT_LINES) <= MAX_TEXT_LINES) return;
  throw new XunshiError(
    ERROR_CODES.INPUT_TOO_LARGE,
    `the text has more than ${MAX_TEXT_LINES.toLocaleString('en-US')} lines, more than a report is read in (reading them would take gigabytes of memory); split it, or check it is a report and not a data dump`,
    path === undefined ? {} : { file: path },
  );
}
