import type { Range } from './model.js';

/**
 * An inline pinyin gloss right after a Chinese character, as reposting sites print them in pages converted from
 * another script: 責(zé)任, 監(jiān)督, 發(fā)展(zhǎn). The reading must carry a tone mark (ā á ǎ à …), so a bracketed Latin word
 * or an abbreviation ((CPC), (a)) is never taken for one; full-width brackets never hold one.
 */
const PINYIN_GLOSS = /(?<=[\u3400-\u9fff\uf900-\ufaff])\((?=[a-zü]{0,6}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)/g;

/** The ranges of the inline pinyin glosses of `text`, in order (the one definition the reader and the matching copy share). */
export function findPinyinGlosses(text: string): Range[] {
  const out: Range[] = [];
  if (!text.includes('(')) return out;
  PINYIN_GLOSS.lastIndex = 0;
  for (let m = PINYIN_GLOSS.exec(text); m; m = PINYIN_GLOSS.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/** `text` with each of the ranges `cut` (sorted, not overlapping) replaced by `by(range)`: removed by default. */
export function replaceRanges(text: string, cut: readonly Range[], by: (r: Range) => string = () => ''): string {
  let out = '';
  let from = 0;
  for (const r of cut) {
    out += text.slice(from, r.start) + by(r);
    from = r.end;
  }
  return out + text.slice(from);
}

/**
 * Characters that are not shown (Unicode's Default_Ignorable_Code_Point: zero-width space and joiners U+200B–U+200D,
 * word joiner U+2060, U+FEFF inside a text, soft hyphen U+00AD, variation selectors, bidirectional controls, …).
 * Web pages and copied text put them inside words (圈子\u200b文化, 1\u200b2万元), where a reader sees one word or number.
 */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}+/gu;

/** The ranges of the runs of invisible characters of `text` (see `INVISIBLE`), in order. */
export function findInvisibles(text: string): Range[] {
  const out: Range[] = [];
  INVISIBLE.lastIndex = 0;
  for (let m = INVISIBLE.exec(text); m; m = INVISIBLE.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

/**
 * `text` as the analyzer reads it: without its inline pinyin glosses and invisible characters (主體責(zé)任 → 主體責任,
 * 圈子\u200b文化 → 圈子文化), so that evidence texts, which keep them, are counted as the words they are.
 */
export function textAsRead(text: string): string {
  const cuts = [...findPinyinGlosses(text), ...findInvisibles(text)];
  if (!cuts.length) return text;
  return replaceRanges(text, cuts.sort((a, b) => a.start - b.start));
}
