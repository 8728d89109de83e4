import type { FactSink } from './sink.js';

/** Longest quoted text still taken for a catchphrase; longer quotations are citations, not catchphrases. */
export const MAX_CATCHPHRASE_LENGTH = 20;

const QUOTE_PAIRS: Readonly<Record<string, string>> = { '“': '”', '「': '」', '『': '』', '‘': '’', '"': '"' };
const SENTENCE_END = /[。！？；!?;\n\r]/;

/**
 * Find the quoted phrases of the normalised window (“两张皮”, 「一言堂」) and return their ranges, quotes included;
 * each becomes a catchphrase fact unless it is too long or spans a sentence end.
 */
export function findCatchphrases(text: string, sink: FactSink): [number, number][] {
  const quoted: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const close = QUOTE_PAIRS[text[i]!];
    if (close === undefined) {
      i++;
      continue;
    }
    const end = text.indexOf(close, i + 1);
    if (end < 0) {
      i++;
      continue;
    }
    const inner = text.slice(i + 1, end);
    // A quote that runs over a sentence end is unbalanced; restart just after the opening mark.
    if (SENTENCE_END.test(inner) || inner.includes(text[i]!)) {
      i++;
      continue;
    }
    quoted.push([i, end + 1]);
    const phrase = inner.trim();
    if (phrase.length > 0 && inner.length <= MAX_CATCHPHRASE_LENGTH && /[\p{L}\p{N}]/u.test(phrase)) {
      sink.add(i, end + 1, { kind: 'catchphrase', phrase });
    }
    i = end + 1;
  }
  return quoted;
}
