import type { Enumeration } from '@xunshi/types';

const CN_DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const CN_NUM = '[零〇一二两三四五六七八九十百]{1,5}';
const AR_NUM = '[0-9０-９]{1,3}';

/**
 * Value of a Chinese numeral up to 999 (`三` → 3, `十二` → 12, `二十` → 20, `一百零五` → 105),
 * or undefined when the string is not a well-formed numeral.
 */
export function parseChineseNumeral(s: string): number | undefined {
  if (s.length === 0) return undefined;
  let total = 0;
  let digit: number | undefined;
  let lastUnit = 1000;
  for (const ch of s) {
    if (ch in CN_DIGITS) {
      if (digit !== undefined && digit !== 0) return undefined;
      digit = CN_DIGITS[ch];
    } else if (ch === '十' || ch === '百') {
      const unit = ch === '十' ? 10 : 100;
      if (unit >= lastUnit) return undefined;
      // 十 alone means 1×10; 零 cannot multiply.
      if (digit === 0) return undefined;
      total += (digit ?? 1) * unit;
      digit = undefined;
      lastUnit = unit;
    } else {
      return undefined;
    }
  }
  if (digit !== undefined) total += digit;
  return total > 0 ? total : undefined;
}

function parseArabic(s: string): number {
  let v = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    v = v * 10 + (c >= 0xff10 ? c - 0xff10 : c - 48);
  }
  return v;
}

const MARKER_START = new Set([...'（(零〇一二两三四五六七八九十百第其首再0123456789０１２３４５６７８９']);
/** Sequence words that number the points of a paragraph (首先…其次…再次…). */
const SEQUENCE = ['首先', '其次', '再次'];
const SEQUENCE_RE = new RegExp(`^(${SEQUENCE.join('|')})(?:是|[,，、:：])`);

interface MarkerPattern {
  style: Enumeration['style'];
  re: RegExp;
  numeral: 'cn' | 'arabic';
}

// Order matters: parenthesised forms first so `(1)` is never read as something else.
const PATTERNS: readonly MarkerPattern[] = [
  { style: 'cn-paren', re: new RegExp(`^[（(](${CN_NUM})[）)]`), numeral: 'cn' },
  { style: 'arabic-paren', re: new RegExp(`^[（(](${AR_NUM})[）)]`), numeral: 'arabic' },
  { style: 'cn-dun', re: new RegExp(`^(${CN_NUM})[、．]`), numeral: 'cn' },
  // A digit right after the dot is a decimal (3.5万元), not a list number.
  { style: 'arabic-dot', re: new RegExp(`^(${AR_NUM})(?:[.．](?![0-9０-９])|、)`), numeral: 'arabic' },
  // A Chinese numeral and a tab: a table's 序号 cell before a title across the rest of its row (一 | 作风建设方面), read
  // as one line (table-header.ts, lineAcross). Not an Arabic one: 1 and a tab begin a row of a table pasted as text.
  { style: 'cn-dun', re: new RegExp(`^(${CN_NUM})\t`), numeral: 'cn' },
  { style: 'cn-shi', re: new RegExp(`^(${CN_NUM})是`), numeral: 'cn' },
  { style: 'cn-ordinal', re: new RegExp(`^[第其](${CN_NUM})[,，、:：]`), numeral: 'cn' },
];

/**
 * The enumeration marker at the very start of `text` (一、 （一） 1. （1） 一是 第一, 其一, 首先是), or
 * undefined; `marker` is the marker as written, `ordinal` its 1-based value.
 */
export function detectEnumeration(text: string): Enumeration | undefined {
  // A marker written with Kangxi radicals (⼀、 （⼆） ⼀是) is read as the numerals they stand for; it stays as written.
  const c = text.charCodeAt(0);
  if ((c >= 0x2e80 && c <= 0x2fdf) || ((c === 0xff08 || c === 0x28) && RADICAL_RE.test(text.slice(1, 8)))) {
    const head = text.slice(0, 16);
    const unified = unifyRadicals(head);
    if (unified !== head) {
      const read = detectEnumeration(unified);
      return read && { ...read, marker: text.slice(0, read.marker.length) };
    }
  }
  // Most units start with an ordinary character: skip the six regexes for them.
  if (!MARKER_START.has(text.charAt(0))) return undefined;
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (!m) continue;
    const num = m[1]!;
    const ordinal = p.numeral === 'cn' ? parseChineseNumeral(num) : parseArabic(num);
    if (ordinal === undefined || ordinal === 0) continue;
    return { marker: m[0], style: p.style, ordinal };
  }
  const s = SEQUENCE_RE.exec(text);
  if (s) return { marker: s[0], style: 'cn-sequence', ordinal: SEQUENCE.indexOf(s[1]!) + 1 };
  return undefined;
}

const RADICAL_RE = /[\u2e80-\u2fdf]/;
const RADICALS_RE = /[\u2e80-\u2fdf]/g;

/**
 * `s` with its Kangxi and CJK radicals (⼀ ⼆ ⼗, which some PDF fonts give for 一 二 十) as the ideographs they stand
 * for (their NFKC form, when that is one code unit): same length, so offsets into `s` still hold.
 */
export function unifyRadicals(s: string): string {
  if (!RADICAL_RE.test(s)) return s;
  return s.replace(RADICALS_RE, (ch) => {
    const u = ch.normalize('NFKC');
    return u.length === 1 ? u : ch;
  });
}
