import { buildCodeTable } from './scan.js';
import type { FactSink } from './sink.js';

/** Longest quoted text still taken for a catchphrase; longer quotations are citations, not catchphrases. */
export const MAX_CATCHPHRASE_LENGTH = 20;

const QUOTE_PAIRS: ReadonlyMap<number, number> = new Map(
  [['“', '”'], ['「', '」'], ['『', '』'], ['‘', '’'], ['"', '"']].map(([o, c]) => [o!.charCodeAt(0), c!.charCodeAt(0)]),
);
const OPENING_CODES = buildCodeTable([...QUOTE_PAIRS.keys()].map((c) => String.fromCharCode(c)));
/** Code units of 。！？；!?;\n\r: a quotation does not run over them. */
const SENTENCE_END_CODES = buildCodeTable('。！？；!?;\n\r');
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** A quotation that is one title in book-title marks (“《意见》”). */
const WHOLE_TITLE = /^《[^《》]*》$/;

/**
 * Find the quoted phrases of the normalised window (“两张皮”, 「一言堂」) and return their ranges, quotes included;
 * each becomes a catchphrase fact unless it is too long or spans a sentence end.
 */
export function findCatchphrases(text: string, sink: FactSink): [number, number][] {
  const quoted: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.charCodeAt(i);
    const close = OPENING_CODES[open] === 1 ? QUOTE_PAIRS.get(open) : undefined;
    if (close === undefined) {
      i++;
      continue;
    }
    // Scan to the closing mark, but give up at a sentence end or a second opening mark: such a quote is unbalanced
    // (restart just after the opening mark). Stopping there keeps the scan within one sentence.
    let end = -1;
    for (let j = i + 1; j < text.length; j++) {
      const c = text.charCodeAt(j);
      if (c === close) {
        end = j;
        break;
      }
      if (c === open || SENTENCE_END_CODES[c] === 1) break;
    }
    if (end < 0) {
      i++;
      continue;
    }
    const inner = text.slice(i + 1, end);
    quoted.push([i, end + 1]);
    const phrase = inner.trim();
    // One character in quotes is a word stressed (“查”), a quoted title (“《意见》”) a citation: neither is a catchphrase.
    if (phrase.length > 1 && inner.length <= MAX_CATCHPHRASE_LENGTH && WORD_CHAR.test(phrase) && !WHOLE_TITLE.test(phrase)) {
      sink.add(i, end + 1, { kind: 'catchphrase', phrase });
    }
    i = end + 1;
  }
  return quoted;
}
