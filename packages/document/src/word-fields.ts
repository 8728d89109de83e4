/**
 * Word's phonetic guide (拼音指南): the characters with their reading set above them. A `.docx` writes it as
 * `<w:ruby>` (its base in `<w:rubyBase>`, the reading in `<w:rt>`); a `.doc` and an RTF as an `EQ` field with no result,
 * `EQ \* jc2 \* "Font:宋体" \* hps10 \o\ad(\s\up 9(xún chá),巡察)`, whose code Word draws. Read as the characters
 * alone, as a page shows them and as the `.odt` of it (`text:ruby-base`) is read; a reader that drops field codes, or
 * an element it does not know, loses the characters themselves.
 */

/** The start of a phonetic guide's field code, up to the reading's opening bracket: `EQ … \o\ad(\s\up 9(`. */
const EQ_RUBY = /^\s*EQ\s[^\\]*(?:\\\*[^\\]*)*\\o\s*\\a[lcdr]\s*\(\s*\\s\s*\\up\s*-?\d+\s*\(/i;

/** The characters of a phonetic guide's `EQ` field code (its base text, with Word's `\,` `\(` `\)` escapes undone), or undefined for any other field. */
export function phoneticGuideBase(code: string): string | undefined {
  const m = EQ_RUBY.exec(code);
  if (!m) return undefined;
  const rest = code.slice(m[0].length);
  // The reading ends at the first unescaped `)` followed by the comma before the base.
  let i = 0;
  while (i < rest.length && !(rest[i] === ')' && rest[i - 1] !== '\\')) i++;
  let j = i + 1;
  while (j < rest.length && /\s/.test(rest[j]!)) j++;
  if (i >= rest.length || rest[j] !== ',') return undefined;
  const base = rest.slice(j + 1).replace(/\)\s*$/, '').replace(/\\([\\,()])/g, '$1');
  return base.trim() === '' ? undefined : base;
}

/**
 * A WordprocessingML part with each `<w:ruby>` replaced by its base's text (`<w:t>` elements, which a run holds), so
 * that mammoth, which skips the element, reads the characters. Linear: each ruby is found by its closing tag once.
 */
export function withRubyBase(xml: string): string {
  if (!xml.includes('<w:ruby')) return xml;
  let out = '';
  let copied = 0;
  const opening = /<w:ruby(?=[\s>])/g;
  for (let m = opening.exec(xml); m; m = opening.exec(xml)) {
    const end = xml.indexOf('</w:ruby>', m.index);
    if (end < 0) break;
    const inner = xml.slice(m.index, end);
    const from = inner.indexOf('<w:rubyBase');
    const base = from < 0 ? '' : inner.slice(from);
    out += xml.slice(copied, m.index) + (base.match(/<w:t(?:\s[^>]*)?>[^<]*<\/w:t>/g) ?? []).join('');
    copied = end + '</w:ruby>'.length;
    opening.lastIndex = copied;
  }
  return out + xml.slice(copied);
}
