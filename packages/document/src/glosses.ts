import type { DocumentModel, Range } from '@xunshi/types';
import { findPinyinGlosses, replaceRanges } from '@xunshi/types';

/** A document with its inline pinyin glosses taken out of the text, and the way back to the source's offsets. */
export interface GlossFreeDocument {
  /** The same document with the glosses removed: its text, units, headings and pages index the shorter text. */
  doc: DocumentModel;
  /** How many glosses were removed. */
  glosses: number;
  /** A range of the gloss-free text as a range of the source text (a gloss inside the range stays inside it). */
  toSource(start: number, end: number): [number, number];
}

/**
 * Take the inline pinyin glosses (責(zé)任) out of a document, so that the words they split read as words again for
 * segmentation and matching; undefined when it has none. Units and headings keep their boundaries (each range is
 * mapped onto the shorter text) and their number and order, so passage `i` is still unit `i` of the source; the caller
 * maps every range it reports back with `toSource`.
 */
export function withoutGlosses(doc: DocumentModel): GlossFreeDocument | undefined {
  const glosses = findPinyinGlosses(doc.text);
  if (!glosses.length) return undefined;
  const source = doc.text;
  // cleanOf[i]: offset in the gloss-free text of source offset i (characters kept before it); srcOf[c]: source offset of
  // gloss-free character c, with srcOf[length] = the source's length.
  const cleanOf = new Int32Array(source.length + 1);
  const kept: number[] = [];
  let g = 0;
  for (let i = 0; i < source.length; i++) {
    cleanOf[i] = kept.length;
    while (g < glosses.length && glosses[g]!.end <= i) g++;
    if (g < glosses.length && glosses[g]!.start <= i) continue;
    kept.push(i);
  }
  cleanOf[source.length] = kept.length;
  const srcOf = Int32Array.from(kept);
  const text = replaceRanges(source, glosses);
  const map = <T extends Range>(r: T): T => ({ ...r, start: cleanOf[r.start]!, end: cleanOf[r.end]! });
  // Heading texts (and the heading paths that name them) lose their glosses the same way, so a path still names its heading.
  const strip = (s: string): string => replaceRanges(s, findPinyinGlosses(s));
  const units = doc.units.map((u) => {
    const m = map(u);
    return { ...m, text: text.slice(m.start, m.end), headingPath: u.headingPath.map(strip) };
  });
  const headings = doc.headings.map((h) => ({ ...map(h), text: strip(h.text) }));
  const clean: DocumentModel = { ...doc, text, units, headings, ...(doc.pages ? { pages: doc.pages.map(map) } : {}) };
  return {
    doc: clean,
    glosses: glosses.length,
    toSource(start, end) {
      const s = start < srcOf.length ? srcOf[start]! : source.length;
      const e = end > start ? srcOf[end - 1]! + 1 : s;
      return [s, e];
    },
  };
}
