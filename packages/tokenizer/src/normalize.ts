import * as OpenCC from 'opencc-js';
import type { Script } from '@xunshi/types';
import { findPinyinGlosses, replaceRanges } from '@xunshi/types';

/**
 * The matching copy of a source text: same length as the source, character for character, with traditional characters
 * converted to simplified, Kangxi radicals and compatibility ideographs read as the ideographs they stand for (⼈ → 人)
 * and full-width ASCII folded to half-width. Because the length is kept, every UTF-16 offset
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

/** Unified ideograph of each Kangxi radical or CJK compatibility ideograph code unit met so far; 0 = not looked up yet. */
const UNIFIED = new Uint16Array(0x10000);

/**
 * The unified ideograph that a Kangxi radical (U+2F00–U+2FDF: ⼀ ⼈ ⼯, which PDFs whose fonts map glyphs to radicals
 * give for 一 人 工), a CJK radical (U+2E80–U+2EFF) or a CJK compatibility ideograph (U+F900–U+FAFF) stands for: its
 * NFKC form when that is one code unit, else the code unit itself.
 */
function unifiedCode(code: number): number {
  const known = UNIFIED[code]!;
  if (known !== 0) return known;
  const nfkc = String.fromCharCode(code).normalize('NFKC');
  const out = nfkc.length === 1 ? nfkc.charCodeAt(0) : code;
  UNIFIED[code] = out;
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
 * character with OpenCC's `t → cn` table (after Kangxi radicals and compatibility ideographs become unified ones); pinyin glosses (統(tǒng)) become {@link MATCH_FILLER}s; the script is `traditional` when at least 3 % of the Han characters (and at
 * least 3 characters) change.
 */
export function createMatchingCopy(source: string): MatchingCopy {
  let han = 0;
  let changed = 0;
  const n = source.length;
  // The copy's code units, written only once a first one differs from the source (most texts have full-width
  // punctuation, so nearly every text gets one); decoded in one native call at the end.
  let out: Uint16Array | undefined;
  for (let i = 0; i < n; i++) {
    const code = source.charCodeAt(i);
    let conv: number;
    if (code >= 0x3400 && code <= 0x9fff) {
      han++;
      conv = convertCode(code);
      if (conv !== code) changed++;
    } else if ((code >= 0x2e80 && code <= 0x2fdf) || (code >= 0xf900 && code <= 0xfaff)) {
      // A radical or compatibility ideograph reads as its unified ideograph, simplified like any other.
      const unified = unifiedCode(code);
      conv = unified;
      if (unified >= 0x3400 && unified <= 0x9fff) {
        han++;
        conv = convertCode(unified);
        if (conv !== unified) changed++;
      }
    } else {
      conv = foldWidth(code);
    }
    if (out === undefined) {
      if (conv === code) continue;
      out = new Uint16Array(n);
      for (let k = 0; k < i; k++) out[k] = source.charCodeAt(k);
    }
    out[i] = conv;
  }
  // utf16le decoding keeps every code unit as it is, unpaired surrogates included.
  const copy = out === undefined ? source : Buffer.from(out.buffer, out.byteOffset, out.byteLength).toString('utf16le');
  const normalized = hideGlosses(copy);
  const script: Script = changed >= 3 && changed / Math.max(han, 1) >= 0.03 ? 'traditional' : 'simplified';
  return { normalized, script };
}

/**
 * Filler that the matching copy puts in place of text that is not part of the words around it (pinyin glosses): the
 * rule automaton treats it as transparent, so 統(tǒng)一 still matches 统一 while every offset stays the source's.
 */
export const MATCH_FILLER = '\u2060';

/**
 * Replace every pinyin gloss of `text` (統(tǒng), 堅(jiān): `findPinyinGlosses`) by fillers of the same length. The analyzer
 * reads documents without their glosses (`readingCopy` of @xunshi/document); this covers the other callers of the
 * matching copy (rule examples, `rules suggest`, library users).
 */
function hideGlosses(text: string): string {
  const glosses = findPinyinGlosses(text);
  return glosses.length ? replaceRanges(text, glosses, (r) => MATCH_FILLER.repeat(r.end - r.start)) : text;
}

