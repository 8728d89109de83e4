import type { Range } from '@xunshi/types';

/** A unit span before structure is attached: `text === source.slice(start, end)` (UTF-16 offsets). */
export interface UnitSpan extends Range {
  text: string;
}

/** One line of the source: `[start, end)` excludes the line break (UTF-16 offsets). */
export interface LineSpan extends Range {
  /** 0-based line number. */
  line: number;
}

const TERMINATORS = new Set(['。', '！', '？', '；', '!', '?', ';']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '】', '》', '"', "'"]);
// Exactly the reference set (taxonomy.md): gold offsets were produced with it, so it must not grow.
const UNIT_WHITESPACE = new Set([' ', '\t', '\u3000', '\u00a0', '\ufeff']);

// Character classes by UTF-16 code unit: one table lookup per character keeps splitting fast.
const CLASS = new Uint8Array(0x10000);
const TERM = 1;
const CLOSE = 2;
const WS = 4;
for (const ch of TERMINATORS) CLASS[ch.charCodeAt(0)]! |= TERM;
for (const ch of CLOSERS) CLASS[ch.charCodeAt(0)]! |= CLOSE;
for (const ch of UNIT_WHITESPACE) CLASS[ch.charCodeAt(0)]! |= WS;

/** True for the white space that unit trimming removes (space, tab, U+3000, U+00A0, U+FEFF). */
export function isUnitWhitespace(ch: string): boolean {
  return ch.length === 1 && (CLASS[ch.charCodeAt(0)]! & WS) !== 0;
}

/** True for a sentence terminator that ends a unit (`。！？；!?;`). */
export function isTerminator(ch: string): boolean {
  return ch.length === 1 && (CLASS[ch.charCodeAt(0)]! & TERM) !== 0;
}

/**
 * The terminator that ended the unit `[start, end)` (the first of the run of terminators and closing marks it ends
 * with: `。` of `…。”`), or -1 when it ends with none (at a line end or the end of a cell).
 */
export function terminatorOfUnit(text: string, start: number, end: number): number {
  let i = end;
  while (i > start && CLASS[text.charCodeAt(i - 1)]! & (TERM | CLOSE)) i--;
  for (let k = i; k < end; k++) if (CLASS[text.charCodeAt(k)]! & TERM) return k;
  return -1;
}

/**
 * Split text into lines at `\r\n`, `\n` or `\r`; every line (also empty ones) is listed, breaks excluded. With
 * `unicode`, also at the other mandatory breaks of Unicode's line breaking (UAX #14: U+2028 LINE SEPARATOR, U+2029
 * PARAGRAPH SEPARATOR, NEL, form feed and vertical tab), as a plain-text report copied out of a web page or a script's
 * string, or a `pdftotext` file's page breaks, has them; Markdown keeps CommonMark's line ends, which its parser's
 * positions count.
 */
/**
 * Whether UTF-16 code unit `c` ends a line: LF or CR, and with `unicode` Unicode's other mandatory breaks (U+2028,
 * U+2029, NEL, vertical tab, form feed), as a text document is read.
 */
export function isLineEnd(c: number, unicode = true): boolean {
  return c === 10 || c === 13 || (unicode && (c === 0x2028 || c === 0x2029 || c === 0x85 || c === 0x0b || c === 0x0c));
}

export function splitLines(text: string, unicode = false): LineSpan[] {
  const lines: LineSpan[] = [];
  let start = 0;
  let line = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (isLineEnd(c, unicode)) {
      lines.push({ start, end: i, line: line++ });
      if (c === 13 && i + 1 < n && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  lines.push({ start, end: n, line });
  return lines;
}

/**
 * Cut `[from, to)` of one line into units by the taxonomy.md algorithm (terminators with their
 * closing quotes, then white-space trimming) and append them to `out`; offsets are UTF-16.
 */
export function appendLineUnits(text: string, from: number, to: number, out: UnitSpan[]): void {
  forEachLineUnit(text, from, to, (start, end) => out.push({ start, end, text: text.slice(start, end) }));
}

/**
 * Call `emit(start, end)` for each unit of `[from, to)` of one line, in order (UTF-16 offsets);
 * the allocation-free core of {@link appendLineUnits}.
 */
export function forEachLineUnit(text: string, from: number, to: number, emit: (start: number, end: number) => void): void {
  let s = from;
  let i = from;
  while (i < to) {
    if (CLASS[text.charCodeAt(i)]! & TERM) {
      let j = i + 1;
      while (j < to && CLASS[text.charCodeAt(j)]! & (TERM | CLOSE)) j++;
      emitTrimmed(text, s, j, emit);
      s = i = j;
    } else {
      i++;
    }
  }
  if (s < to) emitTrimmed(text, s, to, emit);
}

function emitTrimmed(text: string, a: number, b: number, emit: (start: number, end: number) => void): void {
  while (a < b && CLASS[text.charCodeAt(a)]! & WS) a++;
  while (b > a && CLASS[text.charCodeAt(b - 1)]! & WS) b--;
  if (a < b) emit(a, b);
}

/**
 * Split plain text into units exactly as taxonomy.md defines them: cut at line ends (U+2028, U+2029, NEL, form feed and
 * vertical tab among them) and after
 * `。！？；!?;` (plus closing quotes/brackets), trim white space, drop empty pieces. UTF-16 offsets.
 */
export function splitUnits(text: string): UnitSpan[] {
  const out: UnitSpan[] = [];
  // Every line end, Unicode's other mandatory breaks included, as a text document is read (parseDocument).
  for (const line of splitLines(text, true)) appendLineUnits(text, line.start, line.end, out);
  return out;
}
