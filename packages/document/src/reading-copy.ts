import type { DocumentModel, Range } from '@xunshi/types';
import { findInvisibles, findPinyinGlosses, replaceRanges } from '@xunshi/types';

/**
 * The reading copy of a document: what the engine reads past taken out of the text (inline pinyin glosses, invisible characters, a
 * Markdown file's inline markup), and the way back to the source's offsets.
 */
export interface ReadingCopy {
  /** The same document with the glosses, invisibles and markup removed: its text, units, headings and pages index the shorter text. */
  doc: DocumentModel;
  /** How many glosses were removed. */
  glosses: number;
  /** How many invisible characters (zero-width spaces and joiners, soft hyphens, …: `findInvisibles`) were removed. */
  invisible: number;
  /** How many ranges of inline markup (`doc.markup`) were removed. */
  markup: number;
  /** A range of the reading copy's text as a range of the source text (a gloss inside the range stays inside it). */
  toSource(start: number, end: number): [number, number];
}

/** The glosses and the runs of invisible characters of `text`, in order (they never overlap: a gloss is Latin letters). */
function cutsOf(text: string): { cuts: Range[]; glosses: number; invisible: number } {
  const glosses = findPinyinGlosses(text);
  const invisibles = findInvisibles(text);
  let invisible = 0;
  for (const r of invisibles) for (const _ of text.slice(r.start, r.end)) invisible++; // code points
  const cuts = !invisibles.length ? glosses : !glosses.length ? invisibles : [...glosses, ...invisibles].sort((a, b) => a.start - b.start);
  return { cuts, glosses: glosses.length, invisible };
}

/** Sorted ranges of two sorted lists, overlapping or touching ones merged. */
function mergeRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const all = [...a, ...b].sort((x, y) => x.start - y.start || x.end - y.end);
  const out: Range[] = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/** A text with ranges cut out, and the maps between its offsets and the source's. */
export interface CutText {
  text: string;
  /** `cleanOf[i]`: offset in `text` of source offset `i` (the characters kept before it); `cleanOf[source.length]` = `text.length`. */
  cleanOf: Int32Array;
  /** `srcOf[c]`: source offset of character `c` of `text`. */
  srcOf: Int32Array;
}

/** `source` without the ranges `cuts` (sorted; overlapping or touching ones are fine), with the offset maps both ways. */
export function cutText(source: string, cuts: readonly Range[]): CutText {
  const cleanOf = new Int32Array(source.length + 1);
  const kept: number[] = [];
  let g = 0;
  for (let i = 0; i < source.length; i++) {
    cleanOf[i] = kept.length;
    while (g < cuts.length && cuts[g]!.end <= i) g++;
    if (g < cuts.length && cuts[g]!.start <= i) continue;
    kept.push(i);
  }
  cleanOf[source.length] = kept.length;
  const srcOf = Int32Array.from(kept);
  // The kept characters, a slice per run between cuts.
  let text = '';
  let run = -1;
  let prev = -2;
  for (const i of srcOf) {
    if (i !== prev + 1) {
      if (run >= 0) text += source.slice(run, prev + 1);
      run = i;
    }
    prev = i;
  }
  if (run >= 0) text += source.slice(run, prev + 1);
  return { text, cleanOf, srcOf };
}

/**
 * Take the inline pinyin glosses (責(zé)任), the invisible characters (圈子\u200b文化, 1\u200b2万元) and a Markdown file's
 * inline markup (`违规**发放**津补贴`, `[链接](…)`: `doc.markup`) out of a document, so that the words and numbers
 * they split read as words again for segmentation, matching and facts; undefined when it has none. Units and headings
 * keep their boundaries (each range is mapped onto the shorter text) and their number and order, so passage `i` is still
 * unit `i` of the source; the caller maps every range it reports back with `toSource`.
 */
export function readingCopy(doc: DocumentModel): ReadingCopy | undefined {
  const { cuts, glosses: glossCount, invisible } = cutsOf(doc.text);
  const markup = doc.markup ?? [];
  if (!cuts.length && !markup.length) return undefined;
  const glosses = markup.length ? mergeRanges(cuts, markup) : cuts;
  const source = doc.text;
  const { text, cleanOf, srcOf } = cutText(source, glosses);
  const map = <T extends Range>(r: T): T => ({ ...r, start: cleanOf[r.start]!, end: cleanOf[r.end]! });
  // Heading texts (and the heading paths that name them) lose their glosses and markup the same way, so a path still
  // names its heading: a heading's text is its range of the source, so the cleaned text is the same range of the cleaned.
  const cleanHeading = new Map<string, string>();
  for (const h of doc.headings) {
    if (source.slice(h.start, h.end) === h.text) cleanHeading.set(h.text, text.slice(cleanOf[h.start]!, cleanOf[h.end]!));
  }
  const strip = (s: string): string => cleanHeading.get(s) ?? replaceRanges(s, cutsOf(s).cuts);
  const units = doc.units.map((u) => {
    const m = map(u);
    return { ...m, text: text.slice(m.start, m.end), headingPath: u.headingPath.map(strip) };
  });
  const headings = doc.headings.map((h) => ({ ...map(h), text: strip(h.text) }));
  const { markup: _markup, ...rest } = doc;
  void _markup;
  const clean: DocumentModel = { ...rest, text, units, headings, ...(doc.pages ? { pages: doc.pages.map(map) } : {}) };
  return {
    doc: clean,
    glosses: glossCount,
    invisible,
    markup: markup.length,
    toSource(start, end) {
      const s = start < srcOf.length ? srcOf[start]! : source.length;
      const e = end > start ? srcOf[end - 1]! + 1 : s;
      return [s, e];
    },
  };
}

/** @deprecated Renamed {@link readingCopy}: it takes out invisible characters and Markdown markup as well as glosses. */
export const withoutGlosses = readingCopy;
/** @deprecated Renamed {@link ReadingCopy}. */
export type GlossFreeDocument = ReadingCopy;
