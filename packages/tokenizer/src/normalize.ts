import * as OpenCC from 'opencc-js';
import type { Script } from '@xunshi/types';

/**
 * The matching copy of a source text: same length as the source, character for character, with traditional characters
 * converted to simplified and full-width ASCII folded to half-width. Because the length is kept, every UTF-16 offset
 * into the copy is the same offset into the source.
 */
export interface MatchingCopy {
  /** The normalised text; `normalized.length === source.length`. */
  normalized: string;
  /** Detected writing system of the source. */
  script: Script;
}

let toSimplified: ((s: string) => string) | undefined;
/** Simplified code unit of each Han code unit (U+3400–U+9FFF) met so far; 0 = not looked up yet. */
const SIMPLIFIED = new Uint16Array(0x10000);

/** The simplified form of the Han code unit `code` (itself when OpenCC has none of the same length). */
function convertCode(code: number): number {
  const known = SIMPLIFIED[code]!;
  if (known !== 0) return known;
  const convert = (toSimplified ??= OpenCC.Converter({ from: 't', to: 'cn' }));
  const ch = String.fromCharCode(code);
  const conv = convert(ch);
  // Only same-length conversions keep offsets aligned; anything else stays as written.
  const out = conv.length === 1 ? conv.charCodeAt(0) : code;
  SIMPLIFIED[code] = out;
  return out;
}

/** Fold one UTF-16 code unit of full-width ASCII (U+FF01–U+FF5E) and the ideographic space to half-width. */
function foldWidth(code: number): number {
  if (code >= 0xff01 && code <= 0xff5e) return code - 0xfee0;
  if (code === 0x3000) return 0x20;
  return code;
}

/**
 * Build the matching copy of `source` (UTF-16 length preserved). Traditional→simplified conversion is done per
 * character with OpenCC's `t → cn` table; pinyin glosses (統(tǒng)) become {@link MATCH_FILLER}s; the script is `traditional` when at least 3 % of the Han characters (and at
 * least 3 characters) change.
 */
export function createMatchingCopy(source: string): MatchingCopy {
  const parts: string[] = [];
  let han = 0;
  let changed = 0;
  let runStart = 0;
  const n = source.length;
  let i = 0;
  while (i < n) {
    const code = source.charCodeAt(i);
    if (code >= 0x3400 && code <= 0x9fff) {
      han++;
      const conv = convertCode(code);
      if (conv !== code) {
        changed++;
        if (i > runStart) parts.push(foldRun(source, runStart, i));
        parts.push(String.fromCharCode(conv));
        runStart = i + 1;
      }
    }
    i++;
  }
  if (runStart < n) parts.push(foldRun(source, runStart, n));
  const normalized = hideGlosses(parts.join(''));
  const script: Script = changed >= 3 && changed / Math.max(han, 1) >= 0.03 ? 'traditional' : 'simplified';
  return { normalized, script };
}

/**
 * Filler that the matching copy puts in place of text that is not part of the words around it (pinyin glosses): the
 * rule automaton treats it as transparent, so 統(tǒng)一 still matches 统一 while every offset stays the source's.
 */
export const MATCH_FILLER = '\u2060';

/** A pinyin gloss right after a Han character, as web pages converted from other scripts carry them: 統(tǒng), 堅(jiān). */
const GLOSS = /(?<=[\u3400-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)/g;

/** Replace every pinyin gloss of `text` by fillers of the same length. */
function hideGlosses(text: string): string {
  if (!text.includes('(')) return text;
  return text.replace(GLOSS, (g) => MATCH_FILLER.repeat(g.length));
}

function foldRun(source: string, start: number, end: number): string {
  let needs = false;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) {
      needs = true;
      break;
    }
  }
  if (!needs) return source.slice(start, end);
  let out = '';
  for (let i = start; i < end; i++) out += String.fromCharCode(foldWidth(source.charCodeAt(i)));
  return out;
}
