import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Lexicon, Range, Token, TokenColumns } from '@xunshi/types';
import { MATCH_FILLER } from './normalize.js';

export type { Lexicon } from '@xunshi/types';

interface NodeJieba {
  load(options?: { userDict?: string; idfDict?: string; stopWordDict?: string }): unknown;
  cut(text: string, hmm?: boolean): string[];
  /**
   * Added by the project's patch of nodejieba (patches/nodejieba@3.5.8.patch): the words of `cut(text, false)` as their
   * lengths in UTF-16 code units, without a string per word. Absent from an unpatched nodejieba (a packed xunshi
   * installed with npm, which does not apply pnpm's patches): then `cut` is used.
   */
  cutLengths?(text: string): Uint32Array;
}

const require = createRequire(import.meta.url);
const UNUSED_IDF = fileURLToPath(new URL('../dict/idf.utf8', import.meta.url));
const UNUSED_STOP_WORDS = fileURLToPath(new URL('../dict/stop-words.utf8', import.meta.url));
let jieba: NodeJieba | undefined;
let loadedKey: string | undefined;

/**
 * Load nodejieba with `lexicon` (checked and collected by `@xunshi/rules`: `ruleset.lexicon`; this package reads no
 * files itself; nodejieba reads the lexicon files it is given) once per thread, lazily, on first use. A second call with
 * the same lexicon is free; a different lexicon reloads. With the project's patch of nodejieba the threads of a process
 * that load the same files share one dictionary (the first load takes about half a second, the others wait for it and
 * share it); without it each thread loads its own.
 */
export function ensureSegmenter(lexicon: Lexicon): void {
  const key = lexicon.hash;
  if (jieba && loadedKey === key) return;
  jieba ??= require('nodejieba') as NodeJieba;
  // cppjieba splits its userDict argument on "|" and ";", so several lexicon files load in one call. Its keyword
  // extractor's tables (6 MB of IDF, the stop words) are loaded with every dictionary although segmentation never reads
  // them: one-line stand-ins (cppjieba refuses empty ones) save about a fifth of the load and ~20 MiB per thread.
  jieba.load({ ...(lexicon.files.length ? { userDict: lexicon.files.join('|') } : {}), idfDict: UNUSED_IDF, stopWordDict: UNUSED_STOP_WORDS });
  loadedKey = key;
}

/**
 * Called around every call into nodejieba's native code: `enter` may throw to stop before it (a time budget), and a
 * thread must not be terminated between `enter` and `exit` (terminating one inside nodejieba aborts the process).
 */
export interface NativeGuard {
  enter(): void;
  exit(): void;
}

/**
 * Segment the given ranges of `text` into tokens with UTF-16 ranges into `text`. Ranges are segmented one at a time
 * (nodejieba is fastest and leanest per paragraph). White-space tokens are dropped. Fillers of the matching copy
 * (`MATCH_FILLER`, where a pinyin gloss was: 实(shí)事求是 → 实⁠⁠⁠⁠事求是) are not shown to the segmenter, so the words
 * around them are cut as if the gloss were not there: a token's range may then span fillers, and its `text` is the
 * word without them (`text.slice(start, end)` with every filler removed). Fillers between words are in no token.
 */
export function segment(text: string, ranges: readonly Range[], lexicon: Lexicon, guard?: NativeGuard): Token[] {
  const { count, starts, ends, texts } = segmentColumns(text, ranges, lexicon, guard);
  const out = new Array<Token>(count);
  for (let i = 0; i < count; i++) out[i] = { start: starts[i]!, end: ends[i]!, text: texts[i]! };
  return out;
}

/**
 * The tokens of {@link segment} as columns (offsets in typed arrays, the words in one array): no object per token, for
 * the analyzer, which reads a token's offsets far more often than its word.
 */
export function segmentColumns(text: string, ranges: readonly Range[], lexicon: Lexicon, guard?: NativeGuard): TokenColumns {
  ensureSegmenter(lexicon);
  let span = 0;
  for (const r of ranges) span += r.end - r.start;
  // At most one token per code unit; grown on demand from a first guess of one token per two code units.
  let starts = new Int32Array(Math.min(span, Math.max(64, span >>> 1)));
  let ends = new Int32Array(starts.length);
  const texts: string[] = [];
  let count = 0;
  for (const r of ranges) {
    const raw = text.slice(r.start, r.end);
    // Where the piece has fillers: the text without them, and where each of its characters stands in the piece.
    const kept = raw.includes(MATCH_FILLER) ? keptOffsets(raw) : undefined;
    const piece = kept ? raw.replaceAll(MATCH_FILLER, '') : raw;
    if (!piece) continue;
    // HMM off: unknown runs split into single characters instead of odd merges such as 名未, and it is faster.
    const cut = cutNative(piece, guard);
    const lengths = cut instanceof Uint32Array ? cut : undefined;
    const words = lengths ? undefined : (cut as string[]);
    const total = cut.length;
    if (count + total > starts.length) {
      const size = Math.max(count + total, 2 * starts.length);
      const s2 = new Int32Array(size);
      s2.set(starts.subarray(0, count));
      const e2 = new Int32Array(size);
      e2.set(ends.subarray(0, count));
      starts = s2;
      ends = e2;
    }
    let pos = 0;
    for (let k = 0; k < total; k++) {
      let at: number;
      let w: string;
      if (lengths) {
        at = pos;
        pos += lengths[k]!;
        w = piece.slice(at, pos);
      } else {
        w = words![k]!;
        at = piece.startsWith(w, pos) ? pos : piece.indexOf(w, pos);
        if (at < 0) continue; // the segmenter never drops text, but never trust offsets we did not compute
        pos = at + w.length;
      }
      if (isBlank(w)) continue;
      if (kept) {
        starts[count] = r.start + kept[at]!;
        ends[count] = r.start + kept[pos - 1]! + 1;
      } else {
        starts[count] = r.start + at;
        ends[count] = r.start + pos;
      }
      texts.push(w);
      count++;
    }
  }
  return { count, starts, ends, texts };
}

/** Whether segmentation may use the patched `cutLengths` (tests turn it off to compare it with `cut`). */
let useLengths = true;

/** Use nodejieba's `cut` even where the patched `cutLengths` is there (for tests that compare the two). */
export function setCutLengths(enabled: boolean): void {
  useLengths = enabled;
}

/** Whether the loaded nodejieba has the patched `cutLengths` (false before the first segmentation). */
export function hasCutLengths(): boolean {
  return typeof jieba?.cutLengths === 'function';
}

/**
 * The words of `piece` (HMM off) from nodejieba, inside the guard: their lengths from the patched `cutLengths` where it
 * is there, or the words themselves from `cut` (without the patch, or in the never-seen case of lengths that do not
 * add up to the piece).
 */
function cutNative(piece: string, guard: NativeGuard | undefined): Uint32Array | string[] {
  const withLengths = useLengths && typeof jieba!.cutLengths === 'function';
  guard?.enter();
  try {
    if (withLengths) {
      const lengths = jieba!.cutLengths!(piece);
      let sum = 0;
      for (let k = 0; k < lengths.length; k++) sum += lengths[k]!;
      if (sum === piece.length) return lengths;
    }
    return jieba!.cut(piece, false);
  } finally {
    guard?.exit();
  }
}

/** `w.trim() === ''` without the trimmed copy for the common case: a word that starts with a character above U+3000. */
function isBlank(w: string): boolean {
  const c = w.charCodeAt(0);
  if (c > 0x3000 && c !== 0xfeff) return false;
  return w.trim() === '';
}

/** The offsets in `piece` of its characters that are not fillers, in order. */
function keptOffsets(piece: string): number[] {
  const kept: number[] = [];
  for (let i = 0; i < piece.length; i++) if (piece[i] !== MATCH_FILLER) kept.push(i);
  return kept;
}
