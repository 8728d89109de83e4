/**
 * Word markup whose text a reader would otherwise lose: the phonetic guide of every Word format, and the elements of a
 * `.docx` that mammoth does not read.
 *
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

/** A MACROBUTTON field's code: the macro's name, then the text Word shows in its place (a template's [单位名称]). */
const MACROBUTTON = /^\s*MACROBUTTON\s+\S+\s+([^]*\S)\s*$/i;

/**
 * The text Word draws for a field that has no result, from its code: a phonetic guide's characters
 * ({@link phoneticGuideBase}) or a MACROBUTTON's display text (a template's placeholder, `MACROBUTTON NoMacro
 * [单位名称]`); undefined for any other field, whose code is no text of the document.
 */
export function drawnFieldText(code: string): string | undefined {
  return phoneticGuideBase(code) ?? MACROBUTTON.exec(code)?.[1];
}

/**
 * A WordprocessingML part with each `<w:ruby>` replaced by its base's text (`<w:t>` elements, which a run holds), so
 * that mammoth, which skips the element, reads the characters. Linear: each ruby is found by its closing tag once.
 */
export function withRubyBase(xml: string): string {
  return replaceElements(xml, 'w:ruby', (inner) => {
    const from = inner.indexOf('<w:rubyBase');
    return (from < 0 ? [] : (inner.slice(from).match(/<w:t(?:\s[^>]*)?>[^<]*<\/w:t>/g) ?? [])).join('');
  });
}

/**
 * `xml` with each element `name` (from its opening tag to its first closing tag: the elements replaced here never nest)
 * replaced by `replace` of what it holds, opening tag included. Linear: each one's closing tag is looked for once, and
 * an unclosed one ends the search (a damaged part keeps the rest as it is).
 */
function replaceElements(xml: string, name: string, replace: (element: string) => string): string {
  if (!xml.includes(`<${name}`)) return xml;
  const close = `</${name}>`;
  const opening = new RegExp(`<${name}(?=[\\s>])`, 'g');
  let out = '';
  let copied = 0;
  for (let m = opening.exec(xml); m; m = opening.exec(xml)) {
    const end = xml.indexOf(close, m.index);
    if (end < 0) break;
    out += xml.slice(copied, m.index) + replace(xml.slice(m.index, end));
    copied = end + close.length;
    opening.lastIndex = copied;
  }
  return out + xml.slice(copied);
}

/** Containers mammoth 1.13 does not know, and so drops with what they hold: a simple field (its result is the runs inside, as Word shows them), and bidirectional embeddings. */
const UNWRAPPED = ['w:fldSimple', 'w:dir', 'w:bdo', 'm:oMathPara'];
const UNWRAP = new RegExp(String.raw`<(${UNWRAPPED.join('|')})(?=[\s/>])(?:[^<>"']|"[^"<]*"|'[^'<]*')*?(/?)>|</(?:${UNWRAPPED.join('|')})>`, 'g');
/** A VML WordArt's text path, whose `string` is the text it draws. */
const TEXTPATH = /<v:textpath(?=[\s/>])(?:[^<>"']|"[^"<]*"|'[^'<]*')*>/g;
const TEXTPATH_STRING = /\sstring\s*=\s*"([^"<]*)"/;
/** An equation (OMML): read as the text of its runs. */
const MATH_TEXT = /<m:t(?:\s[^>]*)?>([^<]*)<\/m:t>/g;

/** A complex field's character (`w:fldChar`: begin, separate or end): its start tag, and the type it names. */
const FIELD_CHAR = /<w:fldChar(?=[\s/>])(?:[^<>"']|"[^"<]*"|'[^'<]*')*>/g;
const FIELD_CHAR_TYPE = /(\sw:fldCharType\s*=\s*)(["'])(\w+)\2/;
/**
 * Complex fields open at once that mammoth is given. It looks through every open field for each run it reads (for a
 * hyperlink among them), so fields begun and never ended made reading quadratic: 80,000 begins in a 19 KB file took
 * 59 s. Word nests fields a few deep (a `PAGE` inside an `IF`); the field codes are not text either way.
 */
export const MAX_FIELD_DEPTH = 16;

/**
 * `xml` with the complex fields nested deeper than {@link MAX_FIELD_DEPTH} unmarked: their begin, separate and end
 * characters get a type mammoth passes over (`unmarked`), and the runs between, their result as Word shows it, stay; so
 * the fields mammoth keeps open are at most that many. Fields nest, so the innermost open field is an unmarked one while
 * there is one.
 */
export function withBoundedFields(xml: string): string {
  if (!xml.includes('<w:fldChar')) return xml;
  let depth = 0;
  let unmarked = 0;
  const unmark = (tag: string): string => tag.replace(FIELD_CHAR_TYPE, '$1$2unmarked$2');
  return xml.replace(FIELD_CHAR, (tag: string) => {
    const type = FIELD_CHAR_TYPE.exec(tag)?.[3];
    if (type === 'begin') {
      if (depth < MAX_FIELD_DEPTH) {
        depth++;
        return tag;
      }
      unmarked++;
      return unmark(tag);
    }
    if (type === 'separate') return unmarked > 0 ? unmark(tag) : tag;
    if (type === 'end') {
      if (unmarked > 0) {
        unmarked--;
        return unmark(tag);
      }
      if (depth > 0) depth--;
    }
    return tag;
  });
}

/**
 * A WordprocessingML part with the markup that mammoth 1.13 drops (with the text it holds) written as markup it reads:
 * a simple field (`w:fldSimple`, a `DATE`, `REF` or `DOCPROPERTY` whose result Word shows) and a bidirectional
 * embedding (`w:dir`, `w:bdo`) unwrapped to the runs inside; a carriage return (`w:cr`) as the break it is, an absolute
 * tab (`w:ptab`) as a tab; an equation (`m:oMath`, in `m:oMathPara` or not) as a run of its text (`增长<m:oMath>…20%…`);
 * a VML WordArt (`v:textpath`'s `string`, a 红头 set as WordArt) as a text box of its text, which mammoth reads as it reads
 * a text box.
 * Each is found by one scan of the part.
 */
export function withReadableMarkup(xml: string): string {
  let out = xml;
  if (/<(?:w:fldSimple|w:dir|w:bdo|m:oMathPara)[\s/>]|<\/(?:w:fldSimple|w:dir|w:bdo|m:oMathPara)>/.test(out)) out = out.replace(UNWRAP, '');
  if (out.includes('<w:cr')) out = out.replace(/<w:cr\s*\/>/g, '<w:br/>');
  if (out.includes('<w:ptab')) out = out.replace(/<w:ptab(?=[\s/>])(?:[^<>"']|"[^"<]*"|'[^'<]*')*\/>/g, '<w:tab/>');
  // WordArt as VML (Word 2003's, kept in a .docx, and LibreOffice's Fontwork): its text is the textpath's string.
  if (out.includes('<v:textpath')) {
    out = out.replace(TEXTPATH, (tag: string) => {
      const text = TEXTPATH_STRING.exec(tag)?.[1] ?? '';
      return text.trim() === '' ? tag : `${tag}<v:textbox><w:txbxContent><w:p><w:r><w:t xml:space="preserve">${text}</w:t></w:r></w:p></w:txbxContent></v:textbox>`;
    });
  }
  return replaceElements(out, 'm:oMath', (inner) => {
    const text = [...inner.matchAll(MATH_TEXT)].map((t) => t[1]).join('');
    return text === '' ? '' : `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
  });
}
