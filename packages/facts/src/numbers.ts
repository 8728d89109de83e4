import { createRequire } from 'node:module';
import type * as Recognizers from '@microsoft/recognizers-text-number';

type NumberModel = ReturnType<InstanceType<typeof Recognizers.NumberRecognizer>['getNumberModel']>;

let model: NumberModel | undefined;

// Loaded on first use: the recognizer costs ~40 ms and ~10 MB to require and ~20 ms to compile its Chinese regexes,
// which a CLI run that never extracts facts (--help, rules test) should not pay.
function getModel(): NumberModel {
  if (model === undefined) {
    const require = createRequire(import.meta.url);
    const lib = require('@microsoft/recognizers-text-number') as typeof Recognizers;
    model = new lib.NumberRecognizer(lib.Culture.Chinese).getNumberModel();
  }
  return model;
}

const CN_DIGIT_VALUES: Readonly<Record<string, number>> = {
  '〇': 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/** Arabic digits, with optional thousands separators and decimals (on the half-width copy). */
export const ARABIC_SOURCE = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
/** One formal numeral alone (壹 … 玖, 拾, 佰, 仟): a surname or a place name (伍家岗, 陆元华, 队伍年龄) far more often than a figure. */
export const LONE_FORMAL_NUMERAL = /^[壹贰叁肆伍陆柒捌玖拾佰仟]$/;
/** Chinese numeral characters, financial forms included. */
export const CN_NUMERAL_CHARS = '零〇一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰仟';

/**
 * Parse a numeral written in Arabic digits, Chinese numerals or a mix with 万/亿 (e.g. `7.132万`, `一千二百万`,
 * `1,234.5`, `两千`) with Microsoft Recognizers-Text; returns undefined unless the whole string is one number.
 */
export function parseNumeral(text: string): number | undefined {
  if (text.length === 0) return undefined;
  // Plain Arabic integers and decimals are by far the most frequent; they need no recognizer.
  if (ARABIC_PLAIN.test(text)) return Number(text);
  // The recognizer costs tens of microseconds a call while reports repeat the same few numerals (一, 两, 十五) over
  // and over; its reading depends on the string alone, so it is cached.
  if (numeralCache.has(text)) return numeralCache.get(text);
  // The recognizer takes time quadratic in the numeral's length (8,000 characters of 两千零… took 2 s) and sums
  // repeated groups into a number (两千零两千零 → 4000): numerals longer than any written one, or whose places do not
  // descend, are no numbers.
  if (text.length > MAX_NUMERAL_LENGTH || !placesDescend(text)) return undefined;
  // 3.5千 (of 3.5千万元), 1.2百: a decimal times a place, which the recognizer does not read.
  const decimalPlace = DECIMAL_PLACE.exec(text);
  if (decimalPlace) return roundTo15(Number(decimalPlace[1]) * PLAIN_UNITS[decimalPlace[2]!]!);
  const value = parsePlainChineseNumeral(text) ?? parseWithRecognizer(text);
  if (numeralCache.size >= NUMERAL_CACHE_LIMIT) numeralCache.clear();
  numeralCache.set(text, value);
  return value;
}

const ARABIC_PLAIN = /^\d+(?:\.\d+)?$/;
const DECIMAL_PLACE = /^(\d+\.\d+)([十百千])$/;
/**
 * Longest numeral read: 一千二百三十四亿五千六百七十八万九千零一十二 has 22 characters, 1,234,567,890.12 has 16.
 */
const MAX_NUMERAL_LENGTH = 32;
const ALL_CHINESE_NUMERAL = /^[零〇一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰仟万亿]+$/;

/**
 * For a numeral in Chinese characters only: 亿 and 万 each at most once (亿 before 万) and, between them, the places
 * 千 百 十 strictly descending (一千二百万, not 两千零两千 or 一百一百). Other forms (7.132万, 3千) pass.
 */
function placesDescend(text: string): boolean {
  if (!ALL_CHINESE_NUMERAL.test(text)) return true;
  const yi = text.split('亿');
  if (yi.length > 2) return false;
  for (const part of yi) {
    const wan = part.split('万');
    if (wan.length > 2) return false;
    for (const section of wan) {
      let last = Infinity;
      for (const ch of section) {
        const u = PLAIN_UNITS[ch];
        if (u === undefined) continue;
        if (u >= last) return false;
        last = u;
      }
    }
  }
  return true;
}
// Numerals are short, so even a full cache stays small; clearing keeps memory bounded on adversarial input.
const NUMERAL_CACHE_LIMIT = 10_000;
const numeralCache = new Map<string, number | undefined>();

const PLAIN_DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 壹: 1, 二: 2, 贰: 2, 两: 2, 三: 3, 叁: 3, 四: 4, 肆: 4, 五: 5, 伍: 5, 六: 6, 陆: 6, 七: 7, 柒: 7, 八: 8, 捌: 8, 九: 9, 玖: 9,
};
const PLAIN_UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
/** Longer numerals are read here only in the plain forms whose every instance the tests compare with the recognizer. */
const PLAIN_LONG = /^(?:[一二三四五六七八九两]千)?(?:零?[一二三四五六七八九两]百)?(?:零?[一二三四五六七八九]?十)?(?:零?[一二三四五六七八九])?$/;

/**
 * A Chinese numeral below 万 in its ordinary written forms (十五, 两百, 一千零一十, 叁拾), read without the recognizer, or
 * undefined for anything else (which the recognizer then reads). Returns what the recognizer returns wherever it
 * answers: the tests compare both on every string of up to three numeral characters and on every longer string of
 * the forms {@link PLAIN_LONG} accepts.
 */
export function parsePlainChineseNumeral(text: string): number | undefined {
  if (text.length > 3 && !PLAIN_LONG.test(text)) return undefined;
  let total = 0;
  let digit = -1;
  let lastUnit = 10_000;
  let zero = false;
  let afterZero = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const d = PLAIN_DIGITS[ch];
    if (d !== undefined) {
      if (digit !== -1) return undefined;
      if (d === 0) {
        if (text.length === 1) return 0;
        // 零 only between a unit and a digit (一百零五), once.
        if (i === 0 || zero) return undefined;
        zero = true;
        continue;
      }
      digit = d;
      afterZero = zero;
      continue;
    }
    const u = PLAIN_UNITS[ch];
    if (u === undefined || u >= lastUnit) return undefined;
    if (digit === -1) {
      if (i === 0 && u === 10) digit = 1;
      else return undefined;
    }
    total += digit * u;
    lastUnit = u;
    digit = -1;
    zero = false;
  }
  if (zero) return undefined;
  if (digit !== -1) {
    // 两 ends a numeral only on its own (十两 is no number to the recognizer).
    if (text.length > 1 && text[text.length - 1] === '两') return undefined;
    // 一百五 (colloquially 150) and the like: left to the recognizer.
    if (lastUnit > 10 && lastUnit !== 10_000 && !afterZero) return undefined;
    total += digit;
  }
  return total;
}

function parseWithRecognizer(text: string): number | undefined {
  const results = getModel().parse(text);
  if (results.length !== 1) return undefined;
  const r = results[0]!;
  // The recognizer's `end` is inclusive.
  if (r.start !== 0 || r.end !== text.length - 1) return undefined;
  const value = Number((r.resolution as { value?: unknown }).value);
  return Number.isFinite(value) ? value : undefined;
}

/** Read a year written digit by digit (二〇二二, 二零一九) or in Arabic digits; undefined if it is neither. */
export function parseYearDigits(text: string): number | undefined {
  if (/^\d{4}$/.test(text)) return Number(text);
  if (text.length !== 4) return undefined;
  let value = 0;
  for (const ch of text) {
    const d = CN_DIGIT_VALUES[ch];
    if (d === undefined) return undefined;
    value = value * 10 + d;
  }
  return value;
}

/**
 * `x` rounded to 15 significant digits, `Number(x.toPrecision(15))`, so that binary floating-point artefacts do not
 * leak out (1.2 × 10000 → 12000, not 12000.000000000002). An integer of at most 15 digits is its own rounding and is
 * returned without the round trip through a string (−0 as 0, as that round trip gives): most figures are such integers.
 */
export function roundTo15(x: number): number {
  if (Number.isInteger(x) && x < 1e15 && x > -1e15) return x === 0 ? 0 : x;
  return Number(x.toPrecision(15));
}

/** Round a money value to the fen, so that decimal artefacts of binary floating point do not leak out. */
export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The size of one step in the last written place of a numeral, used for 余/多/几 bounds: `180` → 10, `100` → 100,
 * `23` → 1, `1.5` → 0.1, `一千` → 1000, `十` → 10.
 */
export function getLastPlaceStep(numeral: string): number {
  const dot = numeral.indexOf('.');
  if (dot >= 0) return 10 ** -(numeral.length - dot - 1);
  if (/^[\d,]+$/.test(numeral)) {
    const digits = numeral.replace(/,/g, '');
    const trailing = digits.length - digits.replace(/0+$/, '').length;
    return trailing === digits.length ? 1 : 10 ** trailing;
  }
  // Chinese numerals name their last place: 一千 ends in 千, 一百八十 in 十, 二十三 in a units digit.
  const last = numeral[numeral.length - 1]!;
  const places: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
  const place = places[last];
  if (place !== undefined) return place;
  return 1;
}

const PAIR_DIGITS: Readonly<Record<string, number>> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/**
 * Whether two numeral characters written side by side name a loose range: neighbours (两三, 七八, 一两) or 三五. 一二 is
 * left out (一二把手, 一二线), as is every other pair (三三两两, 五六七).
 */
export function isLoosePair(a: string, b: string): boolean {
  const x = PAIR_DIGITS[a];
  const y = PAIR_DIGITS[b];
  if (x === undefined || y === undefined || (a === '一' && b === '二')) return false;
  return y === x + 1 || (x === 3 && y === 5);
}

const LOOSE_PAIR = /^(?:(?<head>[一二两三四五六七八九]?十)|(?<big>[一二两三四五六七八九][百千]))?(?<a>[一二两三四五六七八九])(?<b>[一二两三四五六七八九])(?<place>[十百千])?$/;
const PAIR_PLACES: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };

/**
 * Read a numeral that names two neighbouring values loosely (三五 → 3–5, 两三 → 2–3, 十二三 → 12–13, 二三十 → 20–30,
 * 三四百 → 300–400, 一百七八十 → 170–180); undefined for any other string.
 */
export function readLoosePair(numeral: string): { lo: number; hi: number } | undefined {
  const m = LOOSE_PAIR.exec(numeral);
  if (!m?.groups) return undefined;
  const { head, big, a, b, place } = m.groups;
  // 十一二 (11–12) is a pair after 十; alone 一二 is not.
  if (!(isLoosePair(a!, b!) || (head !== undefined && a === '一' && b === '二'))) return undefined;
  let base = 0;
  let step = place === undefined ? 1 : PAIR_PLACES[place]!;
  if (head !== undefined) {
    // 十二三, 二十三四: units after the tens; a place after the pair (二十三四百) is no numeral.
    if (place !== undefined) return undefined;
    base = head.length === 1 ? 10 : PAIR_DIGITS[head[0]!]! * 10;
  } else if (big !== undefined) {
    // 一百七八十, 三千四五百: the pair names the next lower place, which must be written.
    const bigPlace = PAIR_PLACES[big[1]!]!;
    if (place === undefined || PAIR_PLACES[place]! * 10 !== bigPlace) return undefined;
    base = PAIR_DIGITS[big[0]!]! * bigPlace;
    step = PAIR_PLACES[place]!;
  }
  return { lo: base + PAIR_DIGITS[a!]! * step, hi: base + PAIR_DIGITS[b!]! * step };
}
