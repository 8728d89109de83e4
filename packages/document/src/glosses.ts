import type { DocumentModel, Range } from '@xunshi/types';

/**
 * An inline pinyin gloss right after a Chinese character, as some reposting sites print them in traditional-script
 * pages: 責(zé)任, 監(jiān)督, 發(fā)展(zhǎn). The reading must carry a tone mark (ā á ǎ à …), so a bracketed Latin word or an
 * abbreviation (CPC), (a) is never taken for one.
 */
const GLOSS = /(?<=[\u3400-\u9fff\uf900-\ufaff])\((?=[a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)/g;

/** The ranges of the inline pinyin glosses of `text`, in order (see {@link withoutGlosses}). */
export function findGlosses(text: string): Range[] {
  const out: Range[] = [];
  if (!text.includes('(')) return out;
  GLOSS.lastIndex = 0;
  for (let m = GLOSS.exec(text); m; m = GLOSS.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

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
  const glosses = findGlosses(doc.text);
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
  let text = '';
  let from = 0;
  for (const r of glosses) {
    text += source.slice(from, r.start);
    from = r.end;
  }
  text += source.slice(from);
  const map = <T extends Range>(r: T): T => ({ ...r, start: cleanOf[r.start]!, end: cleanOf[r.end]! });
  // Heading texts (and the heading paths that name them) lose their glosses the same way, so a path still names its heading.
  const strip = (s: string): string => (s.includes('(') ? s.replace(GLOSS, '') : s);
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
