/**
 * Word's automatic numbering made text. A paragraph numbered by Word (`<w:numPr>` on the paragraph, or on its paragraph
 * style or a style it is based on) shows a number (一、 （一） 1. （1） ①) that is not in its text: it is computed from
 * word/numbering.xml (ECMA-376 Part 1, §17.9). mammoth drops it, so a report saved with automatic numbering would lose
 * the 一、 its outline is read from. {@link withNumberText} writes the number Word shows into the paragraph as a run, as
 * if typed, and takes the paragraph out of its list (`numId` 0) so that mammoth reads it as the plain paragraph (or
 * heading) that the typed copy is.
 *
 * Counting follows Word: counters belong to the abstract numbering (two `w:num` of one `w:abstractNum` continue one
 * sequence), a level restarts when a higher level is used (or as `w:lvlRestart` says), a `w:num`'s `w:startOverride`
 * restarts its level the first time the `w:num` is used, `%1`–`%9` of `w:lvlText` show each level's counter in that
 * level's `w:numFmt` (decimal for all under `w:isLgl`), and a level not used yet shows its start value. Bullets get no
 * text (a glyph, often from a symbol font, is no number and typed reports have none): they stay mammoth's list items.
 *
 * The XML is read with bounded scans (every search moves forward; a missing closing tag ends the scan), levels are
 * `w:ilvl` 0–8 only and style chains are followed at most {@link MAX_STYLE_CHAIN} steps without revisiting a style, so
 * that a damaged or hostile document costs time linear in its size.
 */

/** Levels of a list: `w:ilvl` 0–8. */
const LEVELS = 9;
/** Longest style `w:basedOn` chain followed (Word's own are a few steps; a cycle stops at its first repeat). */
export const MAX_STYLE_CHAIN = 64;
/** Longest `w:lvlText` read (Word's dialog takes far fewer); the rest is left out. */
const MAX_LVL_TEXT = 64;
/** Start values and overrides are clamped to Word's range (its dialog goes to 32767). */
const MAX_START = 32767;

/** One level of a list: what `w:lvl` says (and what a Word 97 `.doc`'s LVL says, read into the same shape). */
export interface Level {
  start?: number;
  fmt?: string;
  text?: string;
  /** `w:lvlRestart`: 1-based level whose use restarts this one; 0 never. */
  restart?: number;
  isLgl?: boolean;
  pStyle?: string;
  suff?: string;
  hidden?: boolean;
}

export interface AbstractNum {
  levels: (Level | undefined)[];
  numStyleLink?: string;
}

export interface Num {
  abstractId: string;
  overrides: ({ start?: number; level?: Level } | undefined)[];
}

export interface Style {
  basedOn?: string;
  numId?: string;
  ilvl?: number;
}

/** What numbering.xml and styles.xml say, read once per document. */
export interface NumberingDefinitions {
  abstracts: Map<string, AbstractNum>;
  nums: Map<string, Num>;
  styles: Map<string, Style>;
  /** Numbering styles (`w:type="numbering"`): the `numId` each names, for `w:numStyleLink`. */
  numberingStyles: Map<string, string>;
  defaultStyle?: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name) return ENTITIES[name]!;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : m;
  });
}

/** Text written into XML or HTML: `&`, `<` and `>` escaped. */
export const escXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The value of attribute `name` in an opening tag, decoded. */
export function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? decodeXml(m[1] ?? m[2]!) : undefined;
}

/**
 * What follows a tag's name up to its `>`: attributes, whose quoted values may hold a `>` (XML allows it) but never a
 * `<`. A search for a tag therefore stops at the next `<`: each stretch of the text is scanned by one attempt only, and
 * a part full of tags left unclosed (`<w:p <w:p <w:p …`) costs time linear in its size, not quadratic.
 */
export const TAG_REST = String.raw`(?:[^<>"']|"[^"<]*"|'[^'<]*')*>`;

/** The opening (or empty) tag `<name …>` (not `<nameMore …>`), see {@link TAG_REST}. */
export function openTag(name: string, flags = ''): RegExp {
  return new RegExp(`<${name}(?=[\\s>/])${TAG_REST}`, flags);
}

/** A relationship of a part (`…/_rels/X.xml.rels`): its id, type and target as a zip entry name (relative to `dir`). */
export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

/** The relationships a part's `.rels` names, in order. */
export function relationshipsOf(rels: string | undefined, dir: string): Relationship[] {
  if (rels === undefined) return [];
  const out: Relationship[] = [];
  for (const m of rels.matchAll(openTag('Relationship', 'g'))) {
    const target = attr(m[0], 'Target');
    if (target === undefined) continue;
    out.push({
      id: attr(m[0], 'Id') ?? '',
      type: attr(m[0], 'Type') ?? '',
      target: target.startsWith('/') ? target.slice(1) : `${dir}${target.replace(/^\.\//, '')}`,
      external: attr(m[0], 'TargetMode') === 'External',
    });
  }
  return out;
}

interface Element {
  tag: string;
  body: string;
}

/**
 * The `<name>` elements of `xml`, in order, each with its opening tag and content. For elements that do not nest in
 * themselves; a missing closing tag ends the list (so that no search runs to the end of the text twice).
 */
function elements(xml: string, name: string): Element[] {
  const out: Element[] = [];
  const open = openTag(name, 'g');
  const close = `</${name}>`;
  for (let m = open.exec(xml); m; m = open.exec(xml)) {
    const tag = m[0];
    if (tag.endsWith('/>')) {
      out.push({ tag, body: '' });
      continue;
    }
    const after = m.index + tag.length;
    const end = xml.indexOf(close, after);
    if (end < 0) break;
    out.push({ tag, body: xml.slice(after, end) });
    open.lastIndex = end + close.length;
  }
  return out;
}

/** The first `<name …>` opening (or empty) tag in `xml`. */
function first(xml: string, name: string): string | undefined {
  return openTag(name).exec(xml)?.[0];
}

/** An on/off property (`<w:isLgl/>`, `<w:vanish w:val="false"/>`): present and not switched off. */
function isOn(xml: string, name: string): boolean {
  const tag = first(xml, name);
  if (tag === undefined) return false;
  const v = attr(tag, 'w:val');
  return v === undefined || !/^(?:false|0|off)$/i.test(v);
}

function intAttr(xml: string, name: string): number | undefined {
  const tag = first(xml, name);
  const v = tag === undefined ? undefined : attr(tag, 'w:val');
  if (v === undefined || !/^\s*-?\d{1,9}\s*$/.test(v)) return undefined;
  return Number(v);
}

const clampStart = (n: number | undefined): number | undefined => (n === undefined ? undefined : Math.min(MAX_START, Math.max(0, n)));

/** Content without the parts Word reads alternately: `mc:Choice` (the `mc:Fallback` is what mammoth reads too) and tracked property changes. */
function withoutAlternates(xml: string): string {
  let out = xml;
  for (const name of ['mc:Choice', 'w:pPrChange', 'w:rPrChange']) {
    if (!out.includes(`<${name}`)) continue;
    let s = '';
    let at = 0;
    for (const open = openTag(name, 'g'); ; ) {
      const m = open.exec(out);
      if (!m) break;
      s += out.slice(at, m.index);
      if (m[0].endsWith('/>')) {
        at = m.index + m[0].length;
        continue;
      }
      const end = out.indexOf(`</${name}>`, m.index);
      at = end < 0 ? out.length : end + name.length + 3;
      open.lastIndex = at;
    }
    out = s + out.slice(at);
  }
  return out;
}

function readLevel(xml: string): Level {
  const body = withoutAlternates(xml);
  const level: Level = {};
  const start = clampStart(intAttr(body, 'w:start'));
  if (start !== undefined) level.start = start;
  const fmt = first(body, 'w:numFmt');
  if (fmt !== undefined) level.fmt = attr(fmt, 'w:val') ?? 'decimal';
  const text = first(body, 'w:lvlText');
  if (text !== undefined) level.text = (attr(text, 'w:val') ?? '').slice(0, MAX_LVL_TEXT);
  const restart = intAttr(body, 'w:lvlRestart');
  if (restart !== undefined) level.restart = restart;
  if (isOn(body, 'w:isLgl')) level.isLgl = true;
  const pStyle = first(body, 'w:pStyle');
  if (pStyle !== undefined) {
    const v = attr(pStyle, 'w:val');
    if (v !== undefined) level.pStyle = v;
  }
  const suff = first(body, 'w:suff');
  if (suff !== undefined) level.suff = attr(suff, 'w:val') ?? 'tab';
  const rPr = elements(body, 'w:rPr')[0];
  if (rPr && isOn(rPr.body, 'w:vanish')) level.hidden = true;
  return level;
}

function levelIndex(tag: string): number | undefined {
  const v = attr(tag, 'w:ilvl');
  if (v === undefined) return 0;
  if (!/^\s*\d\s*$/.test(v)) return undefined;
  const n = Number(v);
  return n < LEVELS ? n : undefined;
}

/** A `w:numPr`'s level and list, each when given. */
function readNumPr(pPr: string): { numId?: string; ilvl?: number } | undefined {
  const numPr = elements(pPr, 'w:numPr')[0];
  if (!numPr) return undefined;
  const out: { numId?: string; ilvl?: number } = {};
  const numId = first(numPr.body, 'w:numId');
  const id = numId === undefined ? undefined : attr(numId, 'w:val')?.trim();
  if (id !== undefined) out.numId = id;
  const ilvlTag = first(numPr.body, 'w:ilvl');
  if (ilvlTag !== undefined) {
    // A level past 8 (or no number) is no level Word shows: the paragraph is not numbered (-1).
    const v = attr(ilvlTag, 'w:val');
    out.ilvl = v !== undefined && /^\s*\d\s*$/.test(v) && Number(v) < LEVELS ? Number(v) : -1;
  }
  return out;
}

/** Read word/numbering.xml and word/styles.xml (either may be missing). */
export function readNumbering(numberingXml: string | undefined, stylesXml: string | undefined): NumberingDefinitions {
  const defs: NumberingDefinitions = { abstracts: new Map(), nums: new Map(), styles: new Map(), numberingStyles: new Map() };
  if (numberingXml) {
    for (const a of elements(numberingXml, 'w:abstractNum')) {
      const id = attr(a.tag, 'w:abstractNumId');
      if (id === undefined || defs.abstracts.has(id)) continue;
      const abs: AbstractNum = { levels: new Array<Level | undefined>(LEVELS) };
      for (const l of elements(a.body, 'w:lvl')) {
        const i = levelIndex(l.tag);
        if (i !== undefined && abs.levels[i] === undefined) abs.levels[i] = readLevel(l.body);
      }
      const link = first(a.body, 'w:numStyleLink');
      const linked = link === undefined ? undefined : attr(link, 'w:val');
      if (linked !== undefined) abs.numStyleLink = linked;
      defs.abstracts.set(id, abs);
    }
    for (const n of elements(numberingXml, 'w:num')) {
      const id = attr(n.tag, 'w:numId')?.trim();
      const absTag = first(n.body, 'w:abstractNumId');
      const abstractId = absTag === undefined ? undefined : attr(absTag, 'w:val');
      if (id === undefined || abstractId === undefined || defs.nums.has(id)) continue;
      const num: Num = { abstractId, overrides: new Array(LEVELS) };
      for (const o of elements(n.body, 'w:lvlOverride')) {
        const i = levelIndex(o.tag);
        if (i === undefined || num.overrides[i] !== undefined) continue;
        const override: { start?: number; level?: Level } = {};
        const start = clampStart(intAttr(o.body, 'w:startOverride'));
        if (start !== undefined) override.start = start;
        const lvl = elements(o.body, 'w:lvl')[0];
        if (lvl) override.level = readLevel(lvl.body);
        num.overrides[i] = override;
      }
      defs.nums.set(id, num);
    }
  }
  if (stylesXml) {
    for (const s of elements(stylesXml, 'w:style')) {
      const id = attr(s.tag, 'w:styleId');
      if (id === undefined) continue;
      const type = attr(s.tag, 'w:type') ?? 'paragraph';
      const pPr = elements(withoutAlternates(s.body), 'w:pPr')[0]?.body ?? '';
      const numPr = readNumPr(pPr);
      if (type === 'numbering') {
        if (numPr?.numId !== undefined && !defs.numberingStyles.has(id)) defs.numberingStyles.set(id, numPr.numId);
        continue;
      }
      if (type !== 'paragraph' || defs.styles.has(id)) continue;
      const style: Style = {};
      const basedOn = first(s.body, 'w:basedOn');
      const base = basedOn === undefined ? undefined : attr(basedOn, 'w:val');
      if (base !== undefined) style.basedOn = base;
      if (numPr?.numId !== undefined) style.numId = numPr.numId;
      if (numPr?.ilvl !== undefined) style.ilvl = numPr.ilvl;
      defs.styles.set(id, style);
      const def = attr(s.tag, 'w:default');
      if (def !== undefined && /^(?:1|true|on)$/i.test(def) && defs.defaultStyle === undefined) defs.defaultStyle = id;
    }
  }
  return defs;
}

/** True when the definitions can number anything: without a `w:num`, no paragraph is numbered. */
export function hasNumbering(defs: NumberingDefinitions): boolean {
  return defs.nums.size > 0;
}

/** Links from a list to a numbering style's list followed at most (Word writes one: list style → its definition). */
const MAX_STYLE_LINKS = 8;

/** The abstract numbering a `w:num` uses, following `w:numStyleLink` through numbering styles (without revisiting). */
function abstractOf(defs: NumberingDefinitions, numId: string): { id: string; abs: AbstractNum } | undefined {
  const seen = new Set<string>();
  let id = numId;
  while (!seen.has(id) && seen.size <= MAX_STYLE_LINKS) {
    seen.add(id);
    const num = defs.nums.get(id);
    const abs = num && defs.abstracts.get(num.abstractId);
    if (!num || !abs) return undefined;
    if (abs.numStyleLink === undefined) return { id: num.abstractId, abs };
    const next = defs.numberingStyles.get(abs.numStyleLink);
    if (next === undefined) return { id: num.abstractId, abs };
    id = next;
  }
  return undefined;
}

/** Arabic to Chinese counting (一, 十, 十一, 二十, 一百〇一; 一千 past 999): `zero` is 〇 or 零, `digits` the ten digits. */
function chineseCounting(n: number, digits: string, units: string, zero: string, tenAlone: boolean): string {
  if (n === 0) return zero;
  if (n >= 100000) return String(n);
  const parts: string[] = [];
  const s = String(n);
  let pendingZero = false;
  for (let i = 0; i < s.length; i++) {
    const d = Number(s[i]);
    const pos = s.length - 1 - i;
    if (d === 0) {
      pendingZero = parts.length > 0;
      continue;
    }
    if (pendingZero) parts.push(zero);
    pendingZero = false;
    // 十一, not 一十一, when the number starts at the tens (counting formats); 壹拾壹 in the legal ones.
    if (!(tenAlone && pos === 1 && d === 1 && i === 0)) parts.push(digits[d]!);
    if (pos > 0) parts.push(units[pos - 1]!);
  }
  return parts.join('');
}

const CN_DIGITS = '〇一二三四五六七八九';
const CN_UNITS = '十百千万';
const LEGAL_SIMPLIFIED = '零壹贰叁肆伍陆柒捌玖';
const LEGAL_TRADITIONAL = '零壹貳參肆伍陸柒捌玖';
const LEGAL_UNITS = '拾佰仟万';
const HEAVENLY_STEMS = '甲乙丙丁戊己庚辛壬癸';
const EARTHLY_BRANCHES = '子丑寅卯辰巳午未申酉戌亥';

function roman(n: number): string {
  if (n <= 0 || n >= 4000) return String(n);
  const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let s = '';
  for (const [v, r] of table) {
    while (n >= v) {
      s += r;
      n -= v;
    }
  }
  return s;
}

/** Circled, parenthesised and full-stop numbers have code points up to 20 (circled up to 50); past them Word writes digits. */
function enclosed(n: number, ranges: [number, number, number][]): string {
  for (const [from, to, base] of ranges) if (n >= from && n <= to) return String.fromCodePoint(base + n - from);
  return String(n);
}

/**
 * A number as Word shows it in `w:numFmt` `fmt`. Formats of no use to a Chinese report (English words, Hebrew, Thai,
 * Korean, …) are written in decimal; `none` and `bullet` have no number.
 */
export function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'none':
    case 'bullet':
      return '';
    case 'decimalZero':
      return n < 10 && n >= 0 ? `0${n}` : String(n);
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    case 'upperLetter':
    case 'lowerLetter': {
      // A…Z, AA…ZZ, AAA…: Word repeats the letter; past 26 × 10 it writes digits rather than a long run of letters.
      if (n <= 0 || n > 260) return String(n);
      const letter = String.fromCharCode(65 + ((n - 1) % 26)).repeat(Math.ceil(n / 26));
      return fmt === 'upperLetter' ? letter : letter.toLowerCase();
    }
    case 'chineseCounting':
    case 'japaneseCounting':
    case 'taiwaneseCounting':
      return chineseCounting(n, CN_DIGITS, CN_UNITS, '〇', true);
    case 'chineseCountingThousand':
    case 'taiwaneseCountingThousand':
      return chineseCounting(n, CN_DIGITS, CN_UNITS, '零', true);
    case 'chineseLegalSimplified':
      return chineseCounting(n, LEGAL_SIMPLIFIED, LEGAL_UNITS, '零', false);
    case 'ideographLegalTraditional':
      return chineseCounting(n, LEGAL_TRADITIONAL, LEGAL_UNITS, '零', false);
    case 'ideographDigital':
    case 'taiwaneseDigital':
    case 'japaneseDigitalTenThousand':
      return [...String(n)].map((d) => CN_DIGITS[Number(d)] ?? d).join('');
    case 'ideographTraditional':
      return n >= 1 ? HEAVENLY_STEMS[(n - 1) % 10]! : String(n);
    case 'ideographZodiac':
      return n >= 1 ? EARTHLY_BRANCHES[(n - 1) % 12]! : String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return enclosed(n, [[1, 20, 0x2460], [21, 35, 0x3251], [36, 50, 0x32b1]]);
    case 'ideographEnclosedCircle':
      return enclosed(n, [[1, 10, 0x3220]]);
    case 'decimalEnclosedParen':
      return enclosed(n, [[1, 20, 0x2474]]);
    case 'decimalEnclosedFullstop':
      return enclosed(n, [[1, 20, 0x2488]]);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return [...String(n)].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    default:
      return String(n);
  }
}

/** Counters of one part (document body, footnotes): per abstract numbering, one per level; undefined until used. */
export class NumberingCounter {
  private readonly counters = new Map<string, (number | undefined)[]>();
  private readonly usedNums = new Set<string>();

  constructor(private readonly defs: NumberingDefinitions) {}

  /** The list and level of a paragraph, from its own `w:numPr` and its style's (inherited through `w:basedOn`). */
  private resolve(own: { numId?: string; ilvl?: number } | undefined, styleId: string | undefined): { numId: string; ilvl: number } | undefined {
    let numId = own?.numId;
    let ilvl = own?.ilvl;
    let numStyle: string | undefined;
    const seen = new Set<string>();
    let id = styleId ?? this.defs.defaultStyle;
    for (let steps = 0; id !== undefined && !seen.has(id) && steps < MAX_STYLE_CHAIN && (numId === undefined || ilvl === undefined); steps++) {
      seen.add(id);
      const style = this.defs.styles.get(id);
      if (!style) break;
      if (numId === undefined && style.numId !== undefined) {
        numId = style.numId;
        numStyle = id;
      }
      if (ilvl === undefined && style.ilvl !== undefined) ilvl = style.ilvl;
      id = style.basedOn;
    }
    if (numId === undefined || numId === '0' || (ilvl !== undefined && ilvl < 0)) return undefined;
    if (ilvl === undefined) {
      // A style linked to a list without a level: the level that names the style (Heading 2 ↔ level 2), else the first.
      const abs = abstractOf(this.defs, numId)?.abs;
      const i = numStyle === undefined || !abs ? -1 : abs.levels.findIndex((l) => l?.pStyle === numStyle);
      ilvl = i >= 0 ? i : 0;
    }
    return { numId, ilvl };
  }

  /**
   * Count one paragraph and return the number Word shows before its text: '' when it has none (not numbered, a
   * `none` level with no literal text, a hidden number), undefined for a bullet (left to mammoth as a list item).
   */
  next(own: { numId?: string; ilvl?: number } | undefined, styleId: string | undefined): string | undefined {
    const at = this.resolve(own, styleId);
    if (!at) return '';
    const found = abstractOf(this.defs, at.numId);
    if (!found) return '';
    const num = this.defs.nums.get(at.numId)!;
    const level = (i: number): Level => {
      const o = num.overrides[i];
      const base = o?.level ?? found.abs.levels[i] ?? {};
      return o?.start !== undefined ? { ...base, start: o.start } : base;
    };
    // A level the list does not define: Word shows no number there.
    if (!(num.overrides[at.ilvl]?.level ?? found.abs.levels[at.ilvl])) return '';
    let counters = this.counters.get(found.id);
    if (!counters) {
      counters = new Array<number | undefined>(LEVELS);
      this.counters.set(found.id, counters);
    }
    if (!this.usedNums.has(at.numId)) {
      this.usedNums.add(at.numId);
      // Restart numbering: the w:num's overridden start takes effect where it is first used.
      num.overrides.forEach((o, i) => {
        if (o?.start !== undefined) counters[i] = undefined;
      });
    }
    const current = counters[at.ilvl];
    counters[at.ilvl] = current === undefined ? (level(at.ilvl).start ?? 0) : current + 1;
    for (let m = at.ilvl + 1; m < LEVELS; m++) {
      const r = level(m).restart;
      const restartAt = r === undefined || r > m ? m : r;
      if (restartAt > 0 && at.ilvl < restartAt) counters[m] = undefined;
    }
    const lvl = level(at.ilvl);
    if (lvl.fmt === 'bullet') return undefined;
    if (lvl.hidden || lvl.text === undefined) return '';
    const text = lvl.text.replace(/%([1-9])/g, (_, k: string) => {
      const i = Number(k) - 1;
      const l = level(i);
      return formatNumber(counters[i] ?? l.start ?? 0, lvl.isLgl ? 'decimal' : (l.fmt ?? 'decimal'));
    });
    if (text.trim() === '') return '';
    // Word separates number and text with a tab (or a space): typed, 一、 1. and ① touch the text, 第一章 and 1.1 do not.
    return lvl.suff !== 'nothing' && /[\p{L}0-9０-９]$/u.test(text) ? `${text} ` : text;
  }
}

/**
 * Paragraph openings, the `mc:Choice` branches whose paragraphs mammoth does not read (it reads `mc:Fallback`), and
 * table cells.
 */
const PARAGRAPH_TOKENS = new RegExp(String.raw`<w:p(?=[\s>/])${TAG_REST}|<mc:Choice(?=[\s>/])${TAG_REST}|<\/mc:Choice>|<w:tc(?=[\s>/])${TAG_REST}|<\/w:tc>`, 'g');
/** The next paragraph boundary after a paragraph's properties: where its own runs end. */
const PARAGRAPH_EDGE = /<w:p(?=[\s>/])|<\/w:p>/g;
/** Text that Word shows: a non-blank `w:t`. */
const SHOWN_TEXT = new RegExp(String.raw`<w:t(?=[\s>])${TAG_REST}[^<]*[^<\s]`);
/** A paragraph's properties, its first child. */
const LEADING_PPR = new RegExp(String.raw`^\s*<w:pPr(?=[\s>/])${TAG_REST}`);
/** What takes a paragraph out of its list: `numId` 0, in Word and in mammoth. */
const NO_NUMBERING = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>';

/**
 * `xml.indexOf(needle, from)` for a caller whose `from` never decreases: the last hit is kept while it lies ahead, so
 * that each stretch of the text is scanned once however many times it is asked (a paragraph's properties holding
 * thousands of `w:pPrChange`, each search for `</w:pPr>` ran on to the same far close: quadratic).
 */
function forwardSearch(xml: string, needle: string): (from: number) => number {
  let next: number | undefined;
  return (from) => {
    if (next === undefined || (next >= 0 && next < from)) next = xml.indexOf(needle, from);
    return next;
  };
}

/** Paragraph properties without their (first) `w:numPr`: as they are when it is never closed. */
function withoutNumPr(pPr: string): string {
  const m = openTag('w:numPr').exec(pPr);
  if (!m) return pPr;
  if (m[0].endsWith('/>')) return pPr.slice(0, m.index) + pPr.slice(m.index + m[0].length);
  const end = pPr.indexOf('</w:numPr>', m.index + m[0].length);
  return end < 0 ? pPr : pPr.slice(0, m.index) + pPr.slice(end + '</w:numPr>'.length);
}

/**
 * A part (word/document.xml, footnotes) with the number Word shows written at the start of each numbered paragraph
 * that has text, as a run, and that paragraph taken out of its list. Paragraphs are counted in document order with
 * fresh counters per part; a numbered paragraph without text is counted (Word shows its number) but given none, so that
 * no line of a lone "3." is read, except in a table cell, where the number alone is the cell's text (the 序号 column of
 * a rectification list). Bullet paragraphs are left as they are.
 */
export function withNumberText(xml: string, defs: NumberingDefinitions): string {
  if (!hasNumbering(defs)) return xml;
  const counter = new NumberingCounter(defs);
  let out = '';
  let copied = 0;
  let inChoice = 0;
  let inCell = 0;
  // The closes and tracked changes of paragraph properties, looked for from positions that only move forward.
  const nextClose = forwardSearch(xml, '</w:pPr>');
  const nextChange = forwardSearch(xml, '<w:pPrChange');
  const nextChangeEnd = forwardSearch(xml, '</w:pPrChange>');
  PARAGRAPH_TOKENS.lastIndex = 0;
  for (let m = PARAGRAPH_TOKENS.exec(xml); m; m = PARAGRAPH_TOKENS.exec(xml)) {
    const tag = m[0];
    if (tag === '</mc:Choice>') {
      inChoice = Math.max(0, inChoice - 1);
      continue;
    }
    if (tag === '</w:tc>') {
      inCell = Math.max(0, inCell - 1);
      continue;
    }
    if (tag.startsWith('<mc:')) {
      if (!tag.endsWith('/>')) inChoice++;
      continue;
    }
    if (tag.startsWith('<w:tc')) {
      if (!tag.endsWith('/>')) inCell++;
      continue;
    }
    if (inChoice > 0 || tag.endsWith('/>')) continue;
    const afterOpen = m.index + tag.length;
    // The paragraph's own properties: its first child when present.
    let pPrEnd = afterOpen;
    let own = '';
    const lead = LEADING_PPR.exec(xml.slice(afterOpen, afterOpen + 512));
    if (lead) {
      if (lead[0].endsWith('/>')) pPrEnd = afterOpen + lead[0].length;
      else {
        const bodyStart = afterOpen + lead[0].length;
        // Skip tracked changes (w:pPrChange holds the old w:pPr) to find this w:pPr's end.
        let at = bodyStart;
        let end = -1;
        for (;;) {
          const close = nextClose(at);
          if (close < 0) break;
          const change = nextChange(at);
          if (change >= 0 && change < close) {
            const changeEnd = nextChangeEnd(change);
            if (changeEnd < 0) break;
            at = changeEnd + '</w:pPrChange>'.length;
            continue;
          }
          end = close;
          break;
        }
        if (end < 0) break; // A paragraph's properties never closed: the part is damaged, leave the rest alone.
        own = withoutAlternates(xml.slice(bodyStart, end));
        pPrEnd = end + '</w:pPr>'.length;
      }
    }
    // No paragraph starts inside properties: each stretch of the part is scanned once.
    PARAGRAPH_TOKENS.lastIndex = pPrEnd;
    const pStyleTag = first(own, 'w:pStyle');
    const styleId = pStyleTag === undefined ? undefined : attr(pStyleTag, 'w:val');
    const ownNumPr = readNumPr(own);
    const number = counter.next(ownNumPr, styleId);
    if (!number) continue;
    const rPr = elements(own, 'w:rPr')[0]?.body ?? '';
    if (isOn(rPr, 'w:vanish') || /<w:del(?=[\s>/])/.test(rPr)) continue;
    PARAGRAPH_EDGE.lastIndex = pPrEnd;
    const edge = PARAGRAPH_EDGE.exec(xml);
    // In a table cell the number is the cell's text (a 序号 column numbered by Word), as typed in a rectification list.
    if (inCell === 0 && !SHOWN_TEXT.test(xml.slice(pPrEnd, edge ? edge.index : xml.length))) continue;
    const props = withoutNumPr(own);
    out += `${xml.slice(copied, afterOpen)}<w:pPr>${props}${NO_NUMBERING}</w:pPr><w:r><w:t xml:space="preserve">${escXml(number)}</w:t></w:r>`;
    copied = pPrEnd;
  }
  return copied === 0 ? xml : out + xml.slice(copied);
}
