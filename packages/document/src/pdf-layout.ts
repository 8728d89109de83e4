import { detectEnumeration } from './enumeration.js';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { AUTOSPACE, EDGE_BAND, extentOf, groupRuns, HANGING_END, leftEdgeOf, mid, readingGroups, scriptsMeet, SMALLER, type ColumnFrame, type ReadingGroup } from './pdf-columns.js';
import { findStreamTables } from './pdf-stream-tables.js';
import { cellAt, cellOf, findTables, SNAP, type PdfRule, type PdfTable } from './pdf-tables.js';
import { isOrdinalCell } from './table-header.js';
import { CONTENTS_TITLE, opensPart } from './text-structure.js';

/** One text run of a PDF page, in page units with the origin at the bottom left (pdf.js's `transform[4..5]`). */
export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  /** Font size (height of the run). */
  height: number;
}

/** A page's size, text runs and, when they were read, the rules drawn on it (see pdf-tables.ts). */
export interface PdfPageText {
  width: number;
  height: number;
  items: PdfTextItem[];
  rules?: PdfRule[];
}

/** Where each cell of a row stands in its table's grid (see {@link ExtractedTextBuilder.addRow}). */
interface RowGrid {
  columns: number[];
  spans: number[];
}

/** A ruled table of a page with the text of its cells, row by row (a merged cell in the row it starts in). */
interface TableText {
  table: PdfTable;
  rows: string[][];
  /** Where each cell of each row starts in the table's grid of columns, and how many columns it spans (a merged cell). */
  grid: RowGrid[];
  /** Found without vertical rules (pdf-stream-tables.ts): its outer edges are where its text ends, and no rule shows a cut row. */
  stream?: boolean;
}

interface Line {
  text: string;
  x0: number;
  x1: number;
  y: number;
  size: number;
  /** The line's first run, as the producer set it, and its width (what a leading number takes of a line, measured). */
  head?: { text: string; width: number };
  /** The edges of the column the line is in, on a page read in columns. */
  frame?: ColumnFrame;
}

// Page numbers as they are printed: 3, - 3 -, — 3 —, 第3页, 第 3 页 共 10 页, 3/10, Page 3 of 10, ·3·.
const PAGE_NUMBER = /^(?:[-—–·•\s]*\d{1,4}[-—–·•\s]*|第\s*\d{1,4}\s*页(?:\s*[，,/]?\s*共\s*\d{1,4}\s*页)?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页|\d{1,4}\s*\/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?|[-—–]?\s*[ivxlcdm]{1,6}\s*[-—–]?)$/i;
const TERMINAL = /[。！？；：!?;:]$/;
/** What follows a text under it, set across the page: its attachments, appendix, references, a 公文's 抄送 and 印发. */
const AFTER_TEXT = /^(?:附件|附录|附錄|参考文献|參考文獻|抄送|印发)(?:$|[:：\s\d])/;
/** A line's first run of half-width letters and figures (at least half an em each), and the closing marks after it. */
const LEADING_RUN = /^([0-9A-Za-z][0-9A-Za-z.%‰,:/+\-]*[)\];!?,.:]*)([，。、；：！？）》」』】]*)/;

/**
 * The width of `run`, the half-width characters a line starts with: measured where the line's first run is that run
 * (and perhaps the marks after it), as producers that set Latin text in a font of its own give it (LibreOffice's
 * figures are 0.6 of the size wide: 1.1%， is 3 sizes, not the 2.5 that half an em a character gives); otherwise half
 * an em a character, the least a half-width character takes.
 */
function leadingWidth(line: Line, run: string): number {
  const least = 0.5 * run.length * line.size;
  const head = line.head;
  if (!head) return least;
  const text = head.text.trim();
  if (!text.startsWith(run) || LEADING_RUN.exec(text)?.[0] !== text) return least;
  return Math.max(least, (head.width * run.length) / text.length);
}

function isWide(c: number): boolean {
  return (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x3000 && c <= 0x303f);
}

/** Punctuation that ends a word of a spaced script before a space: 'said.' '"yes",' '50%' '(a)' 'U.S.'. */
const CLOSING = /[.,;:!?%)\]}"'”’»…]/;
/** Punctuation that opens a word of a spaced script after a space: '"yes' '(a' '“Quoted'. */
const OPENING = /[(\[{"'“‘«]/;
const WORD = /[\p{L}\p{N}]/u;

/**
 * True when two runs or lines meet between two words of a spaced script (Latin letters, digits), where a space
 * belongs: between a letter or digit (or such punctuation as ends a word after one: `.` `,` `)` `"` `”` `%` `!`) and a
 * letter or digit (or such punctuation as opens one: `(` `"` `“`). Never next to a Chinese character or a space, and
 * never after a hyphen (a word broken at its hyphen: 'well-' + 'known'); quotation marks and dots count only where a
 * Latin letter or digit is on their side, so '“两个维护”' + '2024年' stays without a space. `left` may be the last few
 * characters only.
 */
function needsSpace(left: string, right: string): boolean {
  if (left.length === 0 || right.length === 0) return false;
  const a = left.charCodeAt(left.length - 1);
  const b = right.charCodeAt(0);
  if (isWide(a) || isWide(b)) return false;
  if (/\s/.test(left[left.length - 1]!) || /\s/.test(right[0]!)) return false;
  if (/[\p{L}\p{N},.;:)\]]/u.test(left[left.length - 1]!) && /[\p{L}\p{N}(\[]/u.test(right[0]!)) return true;
  return endsWord(left) && startsWord(right);
}

/** A letter or digit of a spaced script, after at most 3 closing marks, ends `s`. */
function endsWord(s: string): boolean {
  let i = s.length - 1;
  for (let k = 0; k < 3 && i > 0 && CLOSING.test(s[i]!); k++) i--;
  return WORD.test(s[i]!) && !isWide(s.charCodeAt(i));
}

/** A letter or digit of a spaced script, after at most 3 opening marks, starts `s`. */
function startsWord(s: string): boolean {
  let i = 0;
  for (let k = 0; k < 3 && i < s.length - 1 && OPENING.test(s[i]!); k++) i++;
  return WORD.test(s[i]!) && !isWide(s.charCodeAt(i));
}

/** A footnote's mark: 1, 12, *, †, [3], (3), （3）, ①, ❶ (raised in the text, or opening the note at the foot). */
const MARK = String.raw`\d{1,3}|[*†‡]{1,3}|\[\d{1,3}\]|[(（]\d{1,3}[)）]|[\u2460-\u2473\u2776-\u277f]`;
/** A run that is only a mark. */
const NOTE_MARK = new RegExp(`^(?:${MARK})$`, 'u');

/**
 * A line's runs without its footnote markers: a short number set smaller than the line and raised above its baseline
 * (a superscript). Kept, it ended the sentence (…万元。1) and made a unit of its own.
 */
function withoutNoteMarks(g: PdfTextItem[]): PdfTextItem[] {
  if (g.length < 2) return g;
  const sizes = g.map((it) => it.height).sort((a, b) => a - b);
  const size = sizes[Math.floor(sizes.length / 2)]!;
  const base = g.filter((it) => Math.abs(it.height - size) <= 0.1 * size).map((it) => it.y).sort((a, b) => a - b);
  const y = base[Math.floor(base.length / 2)]!;
  const isMark = (it: PdfTextItem): boolean => NOTE_MARK.test(it.str.trim()) && it.height <= 0.85 * size && it.y - y >= 0.2 * size;
  if (!g.some(isMark)) return g;
  // The run before a mark takes the mark's place on the line: the blank it leaves is no gap between words (彻底¹²。).
  const kept: PdfTextItem[] = [];
  for (const it of [...g].sort((a, b) => a.x - b.x)) {
    if (!isMark(it)) kept.push(it);
    else if (kept.length > 0) {
      const before = kept[kept.length - 1]!;
      if (it.x <= before.x + before.width + 0.5 * size) kept[kept.length - 1] = { ...before, width: Math.max(before.width, it.x + it.width - before.x) };
    }
  }
  return kept.length > 0 ? kept : g;
}

/**
 * A page's lines in reading order, each left to right: top to bottom on a one-column page; on a page set in columns
 * (see pdf-columns.ts), each section's columns in turn, left first, with the lines that cross the gutter in place.
 */
function linesOf(groups: readonly ReadingGroup[]): Line[] {
  return groups.flatMap((r) => {
    const lines = linesOfGroups(r.lines);
    if (r.frame) for (const l of lines) l.frame = r.frame;
    return lines;
  });
}

const WIDE = '\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef';
/** A single space between two Chinese characters (or full-width marks). */
const SPACE_IN_CHINESE = new RegExp(`(?<=[${WIDE}]) (?=[${WIDE}])`, 'gu');
const HAS_WIDE = new RegExp(`[${WIDE}]`, 'u');

/**
 * A run's text without the spaces pdf.js writes into Chinese text whose characters are set apart (letter-spacing, a
 * title spread over the line: 巡 察 整 改 通 报): a run in which single spaces part single characters, nearly all of
 * them (digits too: 2 0 2 3 年), and that holds Chinese, is closed up; otherwise a single space between two Chinese
 * characters is left out, as a gap under the width of a character between two runs is (layoutPdf writes none).
 */
function closedUp(str: string): string {
  if (!str.includes(' ') || !HAS_WIDE.test(str)) return str;
  const body = str.trim();
  const parts = body.split(' ');
  if (parts.length >= 3 && !parts.includes('') && parts.filter((p) => [...p].length === 1).length >= 0.8 * parts.length) {
    return str.slice(0, str.indexOf(body)) + parts.join('') + str.slice(str.indexOf(body) + body.length);
  }
  return str.replace(SPACE_IN_CHINESE, '');
}

/**
 * The runs of a line (sorted by x) with each run that another starts inside cut at its spaces: pdf.js joins the text
 * of one font across a narrow gap with a space (7.0 41.1 51.9, one run over 106pt) where the producer drew a glyph of
 * another font in the gap (the ∶ of 7.0∶41.1∶51.9, runs of their own at 415.7 and 456.0); read left to right, the
 * marks came after the figures (7.041.151.9∶∶). Each piece is placed by its characters' share of the run's width.
 * Whether a run has another starting inside it is the next run's start (the runs are sorted): linear in the runs.
 */
function apartAtSpaces(g: PdfTextItem[]): PdfTextItem[] {
  let cut = false;
  const out: PdfTextItem[] = [];
  for (let i = 0; i < g.length; i++) {
    const it = g[i]!;
    const next = g[i + 1];
    const slack = 0.05 * Math.max(it.height, 1);
    if (!next || next.x <= it.x + slack || next.x >= it.x + it.width - slack || !/\S\s+\S/.test(it.str)) {
      out.push(it);
      continue;
    }
    const chars = [...it.str];
    const per = it.width / chars.length;
    let at = 0;
    for (const part of it.str.split(/(\s+)/)) {
      const n = [...part].length;
      if (part.trim().length > 0) out.push({ ...it, str: part, x: it.x + at * per, width: n * per });
      at += n;
    }
    cut = true;
  }
  if (cut) out.sort((a, b) => a.x - b.x);
  return out;
}

/** Each group of runs as one line, left to right. */
function linesOfGroups(groups: PdfTextItem[][]): Line[] {
  return groups.map((g0) => {
    const g = apartAtSpaces(withoutNoteMarks(g0).sort((a, b) => a.x - b.x));
    let text = '';
    let prevEnd = -Infinity;
    const sizes: number[] = [];
    for (const it of g) {
      const str = closedUp(it.str);
      const gap = it.x - prevEnd;
      if (text.length > 0 && gap >= 0.8 * it.height && (isWide(text.charCodeAt(text.length - 1)) || isWide(str.charCodeAt(0)))) {
        // A gap of whole character widths next to Chinese text is written space (发布时间：…　来源：…), not layout.
        text += '\u3000'.repeat(Math.min(MAX_GAP_CHARS, Math.max(1, Math.round(gap / it.height))));
      } else if (text.length > 0 && gap > 0.25 * it.height && needsSpace(text, str)) text += ' ';
      text += str;
      prevEnd = it.x + it.width;
      sizes.push(it.height);
    }
    sizes.sort((a, b) => a - b);
    const head = { text: g[0]!.str, width: Math.max(0, g[0]!.width) };
    return { text: text.replace(/\s+$/, ''), x0: g[0]!.x, x1: extentOf(g, (it) => it.x + it.width)[1], y: g[0]!.y, size: sizes[Math.floor(sizes.length / 2)]!, head };
  });
}

/**
 * Most ideographic spaces written for one gap: a line of a page holds fewer characters than this at any size text is
 * read at; text set at a tiny size (a crafted 0.000001 pt) would otherwise make a gap of billions of them.
 */
const MAX_GAP_CHARS = 64;

/** The size that carries most characters of `xs` (to half a point; the larger of two that carry as many; 0 for none). */
function commonestSize<T>(xs: Iterable<T>, size: (x: T) => number, chars: (x: T) => number): number {
  const bySize = new Map<number, number>();
  for (const x of xs) {
    const key = Math.round(size(x) * 2) / 2;
    bySize.set(key, (bySize.get(key) ?? 0) + chars(x));
  }
  return [...bySize.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 0;
}

/** A footnote's mark where its text begins, and the space after it. */
const NOTE_START = new RegExp(`^(?:${MARK})(?=[\\s\\u3000]|$|[^\\d.．、,，])[\\s\\u3000]*`, 'u');

/** How long the mark is that a line begins a footnote with (its mark, then its text); 0 where it begins none. */
function noteMarkOf(text: string): number {
  const mark = NOTE_START.exec(text);
  return mark !== null && mark[0].length < text.length ? mark[0].length : 0;
}

/** A page's horizontal rules that may part footnotes from the text: 5 % to 50 % of the page's width. */
function separatorsOf(page: PdfPageText): PdfRule[] {
  return (page.rules ?? []).filter((r) => {
    const width = Math.abs(r.x1 - r.x0);
    return Math.abs(r.y1 - r.y0) <= 1 && width >= 0.05 * page.width && width <= 0.5 * page.width;
  });
}

/**
 * The size of the body text, for telling footnotes by: the commonest size of the runs above each page's lowest rule that
 * may be a separator (long notes can hold more characters than the text above them).
 */
function textSizeOf(pages: readonly PdfPageText[], separatorsByPage: readonly PdfRule[][]): number {
  const runs = pages.flatMap((page, p) => {
    const separators = separatorsByPage[p]!;
    if (separators.length === 0) return page.items;
    const lowest = extentOf(separators, (r) => Math.min(r.y0, r.y1))[0];
    return page.items.filter((it) => it.y >= lowest);
  });
  return commonestSize(runs, (it) => it.height, (it) => it.str.length);
}

/**
 * Where the footnotes at the foot of a page begin (undefined where it has none): under a short rule drawn from where
 * they begin (the separator that Word, WPS and LibreOffice draw, a fifth to a quarter of the text's width: here 5 % to
 * 50 % of the page's), with text above it, every run under it set smaller than the body text and the first within
 * four of its sizes under the rule. A page number or footer under the notes is under the rule too (left out later).
 */
function footOf(page: PdfPageText, candidates: readonly PdfRule[], bodySize: number): PdfRule | undefined {
  if (page.items.length < 2 || bodySize <= 0 || candidates.length === 0) return undefined;
  // The page's lines top to bottom, less a page number at the foot (as large as the text, it is no note). Each rule
  // is then weighed in logarithmic time: a ledger's page draws thousands of short rules.
  const lines = groupRuns(page.items);
  let end = lines.length;
  while (end > 1 && PAGE_NUMBER.test(lines[end - 1]!.map((it) => it.str).join('').trim())) end--;
  let lowestLarge = Infinity;
  for (let k = 0; k < end; k++) for (const it of lines[k]!) if (it.height > SMALLER * bodySize) lowestLarge = Math.min(lowestLarge, it.y);
  // The leftmost start of the lines from each one down to the foot.
  const leftFrom = new Array<number>(end + 1).fill(Infinity);
  for (let k = end - 1; k >= 0; k--) leftFrom[k] = Math.min(leftFrom[k + 1]!, extentOf(lines[k]!, (it) => it.x)[0]);
  for (const r of candidates) {
    const y = Math.min(r.y0, r.y1);
    if (lowestLarge < y) continue;
    // The first line under the rule (lines go down the page: a binary search); text above it, notes under it.
    let lo = 0;
    let hi = lines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lines[mid]![0]!.y < y) hi = mid;
      else lo = mid + 1;
    }
    if (lo === 0 || lo >= end) continue;
    const top = lines[lo]![0]!;
    if (y - top.y > 4 * top.height || Math.abs(leftFrom[lo]! - Math.min(r.x0, r.x1)) > 2 * top.height) continue;
    return r;
  }
  return undefined;
}

/**
 * The footnotes of a page's note lines, each as the other readers give it: its text without its mark. A note begins
 * at a line that begins with a mark, or after a line that stops short of the notes' right edge (a mark set raised is
 * left out of the line, as in the body); a line that reaches that edge goes on in the next.
 */
function footnoteTexts(lines: readonly Line[]): string[] {
  if (lines.length === 0) return [];
  const right = extentOf(lines, (l) => l.x1)[1];
  const texts: string[] = [];
  let open = false;
  for (const l of lines) {
    const mark = noteMarkOf(l.text);
    const text = l.text.slice(mark);
    if (open && mark === 0) texts[texts.length - 1] += (needsSpace(texts[texts.length - 1]!, text) ? ' ' : '') + text;
    else texts.push(text);
    open = l.x1 >= right - 2 * l.size;
  }
  return texts;
}

/** An entry of a table of contents: a title, a leader (…… ······ ----) and a page number. */
const CONTENTS_ENTRY = /^\S.*?[\s\u3000]*(?:[.．·・•…‥⋯_\-—][\s\u3000]?){3,}[\s\u3000]*(?:\d{1,4}|[ivxlcdm]{1,6})$/iu;

/**
 * A page's lines without its table of contents, which the other readers leave out (a docx's `toc N` paragraphs, an
 * OpenDocument index, a TOC field): runs of entries (a title, a leader, a page number), two or more, or one under the
 * title 目录, a heading wrapped onto a line above its entry's included, and the title. Read, each entry was a passage
 * (a heading, a finding) and the title ran into the document's title above it.
 */
function withoutContents(lines: readonly Line[]): { lines: Line[]; dropped: number } {
  const entry = lines.map((l) => CONTENTS_ENTRY.test(l.text.trim()));
  if (!entry.some(Boolean)) return { lines: [...lines], dropped: 0 };
  const drop = new Set<number>();
  for (let i = 0; i < lines.length; ) {
    if (!entry[i]) {
      i++;
      continue;
    }
    // The run of entries from line i, a wrapped heading between two of them (not ending a sentence) taken in.
    let j = i;
    let entries = 1;
    while (j + 1 < lines.length && (entry[j + 1] || (j + 2 < lines.length && entry[j + 2] && !/[。！？；]$/.test(lines[j + 1]!.text)))) {
      j += entry[j + 1] ? 1 : 2;
      entries++;
    }
    const titled = i > 0 && CONTENTS_TITLE.test(lines[i - 1]!.text.trim());
    if (entries >= 2 || titled) {
      for (let k = i; k <= j; k++) drop.add(k);
      if (titled) drop.add(i - 1);
    }
    i = j + 1;
  }
  return { lines: lines.filter((_, k) => !drop.has(k)), dropped: drop.size };
}

/**
 * A page's first line, in the top band, set smaller than the text, with a rule across half the page or more drawn
 * right under it (within two of its sizes), above the next line, that no vertical rule meets: a running header as Word
 * and WPS set 页眉 in Chinese (its style has a bottom border), told so on a page of its own too, where it cannot
 * repeat. (A 公文's 文号 above its red rule stands much lower on the page, at the text's size.)
 */
function ruledHeader(line: Line, next: Line | undefined, page: PdfPageText, textSize: number): boolean {
  if (!next || !page.rules || page.height <= 0 || line.y < page.height * (1 - EDGE_BAND) || line.size > SMALLER * textSize) return false;
  const rules = page.rules;
  return rules.some((r) => {
    const y = (r.y0 + r.y1) / 2;
    if (Math.abs(r.y1 - r.y0) > 1 || Math.abs(r.x1 - r.x0) < 0.5 * page.width || y >= line.y || line.y - y > 2 * line.size || y <= next.y + 0.7 * next.size) return false;
    // The top of a table (a rule that vertical ones meet) under a paragraph's last line is no header's border.
    return !rules.some((v) => Math.abs(v.x1 - v.x0) <= 1 && Math.abs(v.y1 - v.y0) > 1 && Math.abs(Math.max(v.y0, v.y1) - y) <= 1.5 && Math.min(v.x0, v.x1) >= Math.min(r.x0, r.x1) - 1.5 && Math.max(v.x0, v.x1) <= Math.max(r.x0, r.x1) + 1.5);
  });
}

/**
 * A page number that says it is one (— 3 —, 第3页, 3/10, page 3): a {@link PAGE_NUMBER} with a mark beside its figures,
 * not a bare figure or a bare Roman numeral.
 */
const isMarkedPageNumber = (text: string): boolean => PAGE_NUMBER.test(text) && /[^\divxlcdm\s]/i.test(text);
/** Share of page height, at the top and the bottom, where such a marked page number is looked for. */
const PAGE_NUMBER_BAND = 0.2;
/** Most rows of a table's head repeated on each page it goes on (a header of two rows under merged cells, and a title row). */
const MAX_HEAD_ROWS = 3;
/** Lines across the pages of one size that give those pages margins of their own. */
const MIN_MARGIN_LINES = 6;

/** A header/footer key: digits stand for any number, so `第 3 页` on every page is one key. */
function edgeKey(text: string): string {
  return text.replace(/\s+/g, '').replace(/\d+/g, '#');
}

/**
 * Lay out a PDF's text runs as extracted text: lines in reading order (top to bottom, left to right; a page set in
 * columns column by column, see pdf-columns.ts),
 * running headers, footers and page numbers dropped (a line near the top or bottom edge that repeats on at least half
 * of the pages, or that is only a page number), and lines re-joined into paragraphs where the break is only a wrap:
 * the line reaches the right margin and the next one is not indented, also across a page break. No space is inserted
 * where the join is between Chinese characters.
 */
export function layoutPdf(pages00: readonly PdfPageText[]): ExtractedDocument {
  // Footnotes at the foot of a page, under the short rule that parts them from the text, are laid out apart and kept as
  // the other readers keep them (after the body, of no unit): they neither make passages, nor tables (a column of
  // marks), nor cut the paragraph that runs on over the page break.
  const separators = pages00.map(separatorsOf);
  const textSize = textSizeOf(pages00, separators);
  const feet = pages00.map((page, p) => footOf(page, separators[p]!, textSize));
  // The separator and what it is drawn with (a filled box's four sides) go too: a rule under the text would close a table.
  const pages0 = pages00.map((page, p) => {
    const r = feet[p];
    if (!r) return page;
    const y = Math.min(r.y0, r.y1);
    const box = (q: PdfRule): boolean => Math.min(q.x0, q.x1) >= Math.min(r.x0, r.x1) - 1 && Math.max(q.x0, q.x1) <= Math.max(r.x0, r.x1) + 1 && Math.min(q.y0, q.y1) >= y - 1 && Math.max(q.y0, q.y1) <= y + 2;
    return { ...page, items: page.items.filter((it) => it.y >= y), rules: page.rules!.filter((q) => !box(q)) };
  });
  const noteLines = pages00.map((page, p) => (feet[p] === undefined ? [] : linesOfGroups(groupRuns(page.items.filter((it) => it.y < Math.min(feet[p]!.y0, feet[p]!.y1))))));
  // Ruled tables are read cell by cell; the rest of each page (its runs outside the tables) is laid out as lines.
  const ruled = withLoneRows(pages0.map(withoutTables));
  // So are tables without vertical rules. In a document set in columns (pdf-columns.ts) only those of three columns
  // or more, or whose rows rules part (two columns of lines there are the end of a section, a short page), and none
  // whose columns are the page's own (the foot of a page set in three columns).
  // A page's reading groups are found once for each `minLines` asked: a page from which no stream table was taken is
  // the same page below, and its groups are read again there as lines.
  const memo = new Map<PdfPageText, Map<number | undefined, ReadingGroup[]>>();
  const groupsOf = (page: PdfPageText, minLines?: number): ReadingGroup[] => {
    let byMin = memo.get(page);
    if (!byMin) memo.set(page, (byMin = new Map()));
    let groups = byMin.get(minLines);
    if (!groups) byMin.set(minLines, (groups = readingGroups(page, groupRuns(page.items), minLines)));
    return groups;
  };
  const framesOf = (page: PdfPageText, minLines?: number): ColumnFrame[] => groupsOf(page, minLines).flatMap((g) => (g.frame ? [g.frame] : []));
  let frames = ruled.map((s) => framesOf(s.page));
  const setInColumns = frames.some((f) => f.length > 0);
  // A short page of a document in columns has its columns too (see below: two lines each side of a gutter).
  if (setInColumns) frames = frames.map((f, p) => (f.length > 0 ? f : framesOf(ruled[p]!.page, 2)));
  const split = ruled.map((s, p) => withoutStreamTables(s, pages0[p]!.rules, setInColumns ? 3 : 2, frames[p]!));
  const pages = split.map((s) => s.page);
  let pageLines = pages.map((p) => linesOf(groupsOf(p)));
  // In a document set in columns, a page with few lines (the last page, half full) is in columns too: its gutter need
  // only have text on each side on two lines.
  if (pageLines.some((ls) => ls.some((l) => l.frame))) pageLines = pageLines.map((ls, p) => (ls.some((l) => l.frame) ? ls : linesOf(groupsOf(pages[p]!, 2))));
  // Running headers and footers: the two lines nearest each edge, inside the edge band.
  const counts = new Map<string, number>();
  const edgeCandidates = pageLines.map((lines, p) => {
    const h = pages[p]!.height;
    const out: { index: number; key: string }[] = [];
    lines.forEach((l, i) => {
      const nearEdge = i < 2 || i >= lines.length - 2;
      // A page number set between dashes or in words (— 3 —, 第3页) is one further in: LibreOffice sets a footer inside
      // the page's margins, over a 公文's 3.5 cm (12.4 % of an A4 page up, with the page number's own line).
      const band = isMarkedPageNumber(l.text.trim()) ? PAGE_NUMBER_BAND : EDGE_BAND;
      const inBand = h <= 0 || l.y >= h * (1 - band) || l.y <= h * band;
      if (nearEdge && inBand) out.push({ index: i, key: (l.y >= h / 2 ? 'top:' : 'bottom:') + edgeKey(l.text) });
    });
    for (const key of new Set(out.map((c) => c.key))) counts.set(key, (counts.get(key) ?? 0) + 1);
    return out;
  });
  const needed = Math.max(2, Math.ceil(pages.length / 2));
  let dropped = 0;
  let contents = 0;
  const kept0 = pageLines.map((lines, p) => {
    const drop = new Set<number>();
    for (const c of edgeCandidates[p]!) {
      const line = lines[c.index]!;
      const isFirstOrLast = c.index === 0 || c.index === lines.length - 1;
      if ((counts.get(c.key) ?? 0) >= needed || (isFirstOrLast && PAGE_NUMBER.test(line.text.trim()))) drop.add(c.index);
      else if (c.index === 0 && ruledHeader(line, lines[1], pages0[p]!, textSize)) drop.add(0);
    }
    dropped += drop.size;
    const rest = withoutContents(lines.filter((_, i) => !drop.has(i)));
    contents += rest.dropped;
    return rest.lines;
  });
  const kept = withSectionTails(
    kept0,
    pages.map((p) => p.height),
    pageLines.map((ls) => extentOf(ls, (l) => l.y + l.size)[1]),
  );
  // Under the notes: a page number, or a running footer the pages without notes have at their foot.
  const notes = noteLines.map((lines) =>
    lines.filter((l) => {
      if (noteMarkOf(l.text) > 0) return true;
      const footer = PAGE_NUMBER.test(l.text.trim()) || (counts.get('bottom:' + edgeKey(l.text)) ?? 0) + 1 >= needed;
      if (footer) dropped++;
      return !footer;
    }),
  );
  const all = kept.flat();
  const out = new ExtractedTextBuilder();
  if (dropped > 0) out.diagnostics.push({ code: 'XUNSHI_PDF_EDGES_DROPPED', message: `${dropped} running header, footer or page-number line(s) were left out` });
  if (contents > 0) out.diagnostics.push({ code: 'XUNSHI_PDF_CONTENTS_DROPPED', message: `${contents} line(s) of a table of contents were left out` });
  let noteBlock = 0;
  for (const lines of notes) for (const text of footnoteTexts(lines)) out.addFootnote(text, noteBlock++);
  const anyTable = split.some((s) => s.tables.length > 0);
  if (all.length === 0 && !anyTable) {
    for (let p = 0; p < pages.length; p++) out.startPage();
    return out.finish();
  }
  // The text of a page of tables alone is laid out by tables only: no line needs margins.
  if (all.length === 0) all.push({ text: '', x0: 0, x1: 0, y: 0, size: 1 });
  // Margins come from the body text (the font size that carries most characters), so that a small running header or
  // footer that was not recognised cannot move them: the left margin is where most body lines start, the right one
  // the furthest a body line reaches.
  const bodySize = commonestSize(all, (l) => l.size, (l) => l.text.length);
  // Text smaller than a quarter point rounds to a body size of 0, which no line is near: then every line is body.
  const near = all.filter((l) => Math.abs(l.size - bodySize) <= 0.2 * bodySize);
  const body = near.length > 0 ? near : all;
  // A line of a column has its column's edges as margins; the page's margins come from the lines across the page.
  const across = body.filter((l) => !l.frame);
  const marginLines = across.length > 0 ? across : body;
  // Pages of another size than most (a landscape 台账 after a portrait report) have margins of their own: their own
  // lines', where they have enough of them, else the main pages' margins kept as far from each edge.
  const pageOf = new Map<Line, number>();
  kept.forEach((ls, p) => ls.forEach((l) => pageOf.set(l, p)));
  const sizeOf = (p: number): string => `${Math.round(pages[p]!.width)}x${Math.round(pages[p]!.height)}`;
  const bySize = new Map<string, Line[]>();
  for (const l of marginLines) {
    const p = pageOf.get(l);
    const key = p === undefined ? '' : sizeOf(p);
    const ls = bySize.get(key);
    if (ls) ls.push(l);
    else bySize.set(key, [l]);
  }
  const mainSize = [...bySize].reduce((a, b) => (b[1].length > a[1].length ? b : a))[0];
  const mainLines = bySize.size > 1 ? bySize.get(mainSize)! : marginLines;
  // Where a document's paragraphs are mostly of one line, most lines start at the first-line indent (leftEdgeOf).
  const leftMarginOf = (ls: readonly Line[]): number => leftEdgeOf(ls.map((l) => l.x0));
  // The right margin: where lines end, a full-width closing mark that Chinese typesetting lets hang past it (。，, as
  // LibreOffice and Word set it) not counted, so that the lines which reach the margin count as full.
  const rightMarginOf = (ls: readonly Line[]): number => extentOf(ls, (l) => l.x1 - (HANGING_END.test(l.text) ? l.size : 0))[1];
  let pageLeft = leftMarginOf(mainLines);
  let pageRight = rightMarginOf(mainLines);
  // The lines across the page of a document in columns may all be short centred ones (a heading, a title, a page
  // number): where every such line is on a page in columns, the page's text reaches from its first column's left edge
  // to its last column's right edge at least.
  const inColumns = new Set(kept.filter((ls) => ls.some((l) => l.frame)).flat());
  if (across.length > 0 && across.length < body.length && across.every((l) => inColumns.has(l))) {
    for (const l of body) {
      if (!l.frame) continue;
      pageLeft = Math.min(pageLeft, Math.round(l.frame.left));
      pageRight = Math.max(pageRight, l.frame.right);
    }
  }
  // A line across a page set in columns (a journal's 摘要, indented on both sides) is measured on that page from its
  // first column's left edge to its last column's right edge, as the column line it goes on in is from its column's:
  // a page of the same document in one column (a last page the text ends on in its first column) keeps the margins
  // of the lines across the pages.
  const acrossColumns = new Map<Line, ColumnFrame>();
  for (const ls of kept) {
    const framed = ls.filter((l) => l.frame);
    if (framed.length === 0) continue;
    const edges = { left: Math.min(pageLeft, extentOf(framed, (l) => Math.round(l.frame!.left))[0]), right: Math.max(pageRight, extentOf(framed, (l) => l.frame!.right)[1]) };
    for (const l of ls) if (!l.frame) acrossColumns.set(l, edges);
  }
  const otherSizes = new Map<string, { left: number; right: number }>();
  if (bySize.size > 1) {
    const mainPage = pages.findIndex((_, p) => sizeOf(p) === mainSize);
    const mainWidth = mainPage < 0 ? 0 : pages[mainPage]!.width;
    pages.forEach((page, p) => {
      const key = sizeOf(p);
      if (key === mainSize || otherSizes.has(key)) return;
      const ls = bySize.get(key) ?? [];
      otherSizes.set(key, ls.length >= MIN_MARGIN_LINES ? { left: leftMarginOf(ls), right: rightMarginOf(ls) } : { left: pageLeft, right: page.width - (mainWidth - pageRight) });
    });
  }
  const marginsOf = (l: Line): { left: number; right: number } | undefined => {
    const p = pageOf.get(l);
    return p === undefined ? undefined : otherSizes.get(sizeOf(p));
  };
  const leftOf = (l: Line): number => l.frame?.left ?? acrossColumns.get(l)?.left ?? marginsOf(l)?.left ?? pageLeft;
  const rightOf = (l: Line): number => l.frame?.right ?? acrossColumns.get(l)?.right ?? marginsOf(l)?.right ?? pageRight;

  const isFull = (l: Line): boolean => l.x1 >= rightOf(l) - 2.5 * l.size;
  const isIndented = (l: Line): boolean => l.x0 > leftOf(l) + 0.5 * l.size;
  /** A line that ends no sentence and reaches half the width at least: cut mid-sentence, where a long run may follow. */
  const cutMidSentence = (l: Line): boolean => !TERMINAL.test(l.text) && l.x1 >= leftOf(l) + 0.5 * (rightOf(l) - leftOf(l));
  // Chinese documents indent each paragraph's first line by two characters; where most paragraphs do, a line at the
  // left margin continues the paragraph above even when a long unbreakable run (《…》, a number) left a gap.
  const firstLineIndent = body.filter((l) => Math.abs(l.x0 - (leftOf(l) + 2 * l.size)) <= 0.6 * l.size).length;
  // A line of a column counts for the share of the page's width it has: a column's paragraphs have more lines.
  const bodyLines = body.reduce((n, l) => n + (l.frame ? Math.min(1, (l.frame.right - l.frame.left) / Math.max(1, pageRight - pageLeft)) : 1), 0);
  const indentStyle = firstLineIndent >= Math.max(2, 0.2 * bodyLines);
  // A title set larger than the body and centred (a 公文's 小标宋 title) wraps onto centred lines: one paragraph.
  const isCentredTitle = (l: Line): boolean => l.size > 1.15 * bodySize && Math.abs((l.x0 + l.x1) / 2 - (leftOf(l) + rightOf(l)) / 2) <= 1.5 * l.size && l.x0 > leftOf(l) - 0.5 * l.size;
  // A line of a block indented on both sides by as much (a 公文's 版记, 抄送：… one character in on each side; a
  // quotation; a journal article's 摘要, set smaller), cut mid-sentence, goes on in the next line that starts where it
  // starts. Not at the first-line indent of a document that indents its paragraphs, in the text's size: there a
  // heading that happens to end as far short of the margin is a paragraph of its own, and so is the line after it.
  const inIndentedBlock = (a: Line, b: Line): boolean => {
    const indent = a.x0 - leftOf(a);
    if (indentStyle && a.size > SMALLER * bodySize && Math.abs(indent - 2 * a.size) <= 0.6 * a.size) return false;
    // A few characters in, and most of the width long: short lines centred one under the other are no block.
    if (indent < 0.5 * a.size || indent > 4 * a.size || a.x1 - a.x0 < 0.6 * (rightOf(a) - leftOf(a))) return false;
    // One block is set in one size: the 关键词 line of a smaller 摘要 does not go on in the heading under it.
    if (Math.abs(a.size - b.size) > 0.05 * a.size) return false;
    return Math.abs(b.x0 - a.x0) <= 0.25 * a.size && Math.abs(rightOf(a) - a.x1 - indent) <= 0.5 * a.size && !TERMINAL.test(a.text);
  };
  /**
   * A page of another size than the page before opens a section (Word and LibreOffice turn a page at a section
   * break), over which no paragraph goes on.
   */
  const sectionBetween = (a: Line, b: Line): boolean => {
    const [p, q] = [pageOf.get(a), pageOf.get(b)];
    return p !== undefined && q !== undefined && p !== q && sizeOf(p) !== sizeOf(q);
  };
  const continues = (a: Line, b: Line, samePage: boolean): boolean => {
    if (!samePage && sectionBetween(a, b)) return false;
    if (samePage && isCentredTitle(a) && isCentredTitle(b) && Math.abs(a.size - b.size) <= 0.1 * a.size && a.y - b.y <= 2.2 * a.size && !TERMINAL.test(a.text)) return true;
    const block = isIndented(b) && inIndentedBlock(a, b);
    if (isIndented(b) && !block) return false;
    if (Math.abs(a.size - b.size) > 0.2 * Math.max(a.size, b.size)) return false;
    if (samePage && a.y - b.y > 2.2 * a.size) return false;
    // After a sentence's end, a line that opens a list item (一、), a section (第三节) or a part (附件：) starts afresh, however
    // full the line above.
    if (TERMINAL.test(a.text) && (detectEnumeration(b.text.trim()) !== undefined || opensPart(b.text.trim()))) return false;
    if (block || isFull(a)) return true;
    // Ragged-right Latin text: a line broken at a space between two words is a wrap when the next line's first word
    // (its width estimated from the line's) would not have fitted in what the line leaves of the width.
    if (needsSpace(a.text, b.text.trimStart())) {
      const next = b.text.trimStart();
      const word = /^\S+/.exec(next)![0].length;
      if (a.x1 + ((b.x1 - b.x0) * (word + 1)) / Math.max(1, next.length) > rightOf(a)) return true;
    }
    // A line cut mid-sentence before a number or Latin word that would not have fitted in what it leaves of the width
    // (7.1%， 0830-2286110；: a run of half-width characters, and the closing marks that may not begin a line) is a wrap,
    // in text set flush left as in justified text.
    if (cutMidSentence(a)) {
      const run = LEADING_RUN.exec(b.text.trimStart());
      if (run) {
        // A producer that spaces Chinese from figures (AUTOSPACE) needed that space before the run as well.
        const space = scriptsMeet(a.text, run[1]!) ? AUTOSPACE * b.size : 0;
        if (a.x1 + space + leadingWidth(b, run[1]!) + run[2]!.length * b.size > rightOf(a)) return true;
      }
    }
    // A short line that ends a sentence ends its paragraph; a short line cut mid-sentence is a wrap before a long run.
    return indentStyle && cutMidSentence(a) && !/[”’」』）)】》]$/.test(a.text);
  };
  let block = 0;
  let prev: Line | undefined;
  if (!anyTable) {
    kept.forEach((lines) => {
      out.startPage();
      lines.forEach((l, i) => {
        if (prev && continues(prev, l, i > 0)) {
          out.appendToLast((needsSpace(out.lastChars(), l.text.trimStart()) ? ' ' : '') + l.text.trimStart());
        } else {
          out.add(l.text, 'body', block++);
        }
        prev = l;
      });
    });
    return out.finish();
  }
  // With tables: each table goes before the first line below its top, its rows one line each. A table that a page
  // opens, right after a table that ended the page before with the same columns, goes on: its first row is left out
  // when it repeats the first row of the table it goes on (a header row printed on each page), and a row that the page
  // break cut (the table open at the foot of the page) is joined, cell by cell, with the first row after the break.
  let last: { table: TableText; head: string[][] } | undefined;
  let pending: string[] | undefined;
  let pendingGrid: RowGrid | undefined;
  // A table that ends its page may have its last row cut by the break: a table without rules shows nothing of it, and
  // Word and LibreOffice draw a ruled cell's border at the break (a row may break across pages by default), so that
  // row waits, and is joined with the next page's first row only where that row leaves the first column (序号) blank,
  // as the rest of a cut row does; in a ruled table, where that row leaves blank a cell the row above fills and each
  // cell the two rows both fill was cut mid-sentence above the break (rowCutByBreak: the first column may be a category
  // merged down the rows, blank on both).
  let pendingSure = false;
  let pendingRuled = false;
  const flush = (): void => {
    if (pending && out.addRow(pending, block, pendingGrid)) block++;
    pending = undefined;
  };
  /**
   * A table's rows and grid without its first rows where they repeat the head of the table it goes on: the first rows
   * of that table's first page, as many as repeat in order (a header of two rows: 责任主体 over 责任领导 and 责任单位).
   */
  const bodyOf = (tt: TableText, head: readonly string[][] | undefined): { rows: string[][]; grid: RowGrid[] } => {
    let k = 0;
    while (head !== undefined && k < head.length && k < tt.rows.length && tt.rows[k]!.join('\t') === head[k]!.join('\t')) k++;
    return { rows: tt.rows.slice(k), grid: tt.grid.slice(k) };
  };
  kept.forEach((lines, p) => {
    const tables = split[p]!.tables;
    // The row the break may have cut goes before the page starts (its text starts above the break): joined with the
    // first row of the table that opens the page, where that table goes on and its first row is the cut row's rest.
    let consumed: TableText | undefined;
    const opener = tables[0] !== undefined && (lines.length === 0 || lines[0]!.y < tables[0].table.top) ? tables[0] : undefined;
    const body = pending && opener && last !== undefined && sameColumns(last.table, opener) ? bodyOf(opener, last.head) : undefined;
    if (pending && pendingGrid && body?.rows[0] !== undefined && body.grid[0]) {
      // The two rows' cells by the grid column each starts at (a row under a cell merged down the rows has fewer), joined
      // only where no text of the row below starts in a column where the row above has no cell.
      const cols = pendingGrid.columns;
      const above = byColumn(pending, pendingGrid);
      const below = byColumn(body.rows[0], body.grid[0]);
      const rest = pendingSure || (pendingRuled ? rowCutByBreak(above, below) : below[0] === '' && above[0] !== '');
      if (rest && below.every((c, i) => c === '' || cols.includes(i))) {
        pending = pending.map((c, i) => joinWrapped(c, below[cols[i]!] ?? ''));
        consumed = opener;
      }
    }
    flush();
    out.startPage();
    let t = 0;
    let first = true;
    const emitTable = (tt: TableText, endsPage: boolean): void => {
      const goesOn = first && last !== undefined && sameColumns(last.table, tt);
      let { rows, grid } = bodyOf(tt, goesOn ? last!.head : undefined);
      if (tt === consumed) {
        rows = rows.slice(1);
        grid = grid.slice(1);
      }
      flush();
      if (!goesOn) out.endTable();
      const open = tt.table.openBottom || endsPage;
      rows.forEach((row, i) => {
        if (i === rows.length - 1 && open) {
          pending = row;
          pendingGrid = grid[i];
          pendingSure = tt.table.openBottom;
          pendingRuled = tt.stream !== true;
        } else if (out.addRow(row, block, grid[i])) block++;
      });
      last = { table: tt, head: goesOn ? last!.head : tt.rows.slice(0, MAX_HEAD_ROWS) };
      prev = undefined;
      first = false;
    };
    lines.forEach((l, i) => {
      while (t < tables.length && l.y < tables[t]!.table.top) emitTable(tables[t++]!, false);
      flush();
      if (prev && continues(prev, l, i > 0)) {
        out.appendToLast((needsSpace(out.lastChars(), l.text.trimStart()) ? ' ' : '') + l.text.trimStart());
      } else {
        out.add(l.text, 'body', block++);
      }
      prev = l;
      first = false;
      last = undefined;
    });
    while (t < tables.length) {
      const tt = tables[t++]!;
      emitTable(tt, t === tables.length);
    }
  });
  flush();
  return out.finish();
}

/**
 * Each page's lines with what a section set in balanced columns has under it read after its last column. Where a
 * section in columns ends on a page (a report's text before its 附件 and signature, a journal article's before its
 * 参考文献), Word and LibreOffice balance its columns: they end within a line of each other, and what follows is set
 * under them; short lines of it fit in the first column's width and are found as that column's foot, which would read
 * them before the next column. A column that reaches the foot of the text (the text ran on into the next column
 * because the first was full) keeps its lines. `tops`: each page's highest line's top, for the foot of a document of
 * one page.
 */
function withSectionTails(pages: Line[][], heights: readonly number[], tops: readonly number[]): Line[][] {
  const lowest = pages.map((ls) => extentOf(ls.filter((l) => l.frame), (l) => l.y)[0]);
  return pages.map((ls, p) => {
    if (!Number.isFinite(lowest[p]!)) return ls;
    // The foot of the text: the lowest line of a column on the document's other pages; on a document of one page in
    // columns, where the bottom margin as wide as the top one puts it (less sure: four lines of slack, not one and a half).
    let foot = extentOf(lowest.filter((_, q) => q !== p), (y) => y)[0];
    let slack = 1.5;
    if (!Number.isFinite(foot)) {
      if (!(heights[p]! > 0) || !Number.isFinite(tops[p]!)) return ls;
      foot = heights[p]! - tops[p]!;
      slack = 4;
    }
    const out: Line[] = [];
    for (let i = 0; i < ls.length; ) {
      let j = i;
      while (j < ls.length && ls[j]!.frame) j++;
      if (j === i) out.push(ls[i++]!);
      else {
        out.push(...withTailLast(ls.slice(i, j), foot, slack));
        i = j;
      }
    }
    return out;
  });
}

/**
 * A section's lines (its columns in turn) with the lines under its balanced columns after its last column: under the
 * lowest baseline its first two columns have a line on, in any column (a signature set to the right falls in the last).
 */
function withTailLast(section: Line[], foot: number, slack: number): Line[] {
  const cols: Line[][] = [];
  for (const l of section) {
    const c = cols[cols.length - 1];
    if (c && c[0]!.frame === l.frame) c.push(l);
    else cols.push([l]);
  }
  if (cols.length < 2) return section;
  // Balanced, the first column holds at most a line more than the second, and the last may be shorter by a line for
  // each column before it: the bottom is the lowest baseline the first two share.
  const size = commonestSize(section, (l) => l.size, (l) => l.text.length);
  const bottom = extentOf(cols[0]!.filter((l) => cols[1]!.some((m) => Math.abs(m.y - l.y) <= 0.3 * size)), (l) => l.y)[0];
  if (!Number.isFinite(bottom)) return section;
  const tail: Line[] = [];
  const kept = cols.map((col, c) => {
    const pitch = Math.max(mid(col.slice(1).map((l, k) => col[k]!.y - l.y).filter((g) => g > 0 && g <= 3 * size)), 1.2 * size);
    const next = cols[c + 1]?.[0];
    let k = col.findIndex((l) => l.y < bottom - 0.5 * size);
    // What the last column has under the bottom is after the section whatever its depth; an earlier column that reaches
    // the foot was full.
    if (k < 0 || (next !== undefined && extentOf(col, (l) => l.y)[0] <= foot + slack * pitch)) return col;
    // A balanced column may hold a line more than the next, one pitch under the bottom. That line is the column's where
    // it goes on from the line above (it starts at the column's edge and opens no part), or else where it opens nothing
    // that follows a text (附件：, 参考文献) and the next column does not go on from the line above it: the next column
    // opens a paragraph, or the line above ends a sentence.
    const first = col[k]!;
    const atEdge = (l: Line): boolean => l.x0 <= l.frame!.left + 0.5 * l.size;
    const text = first.text.trim();
    const goesOn = atEdge(first) && !opensPart(text) && detectEnumeration(text) === undefined;
    const above = col[k - 1];
    const own = goesOn || (next !== undefined && !AFTER_TEXT.test(text) && (!atEdge(next) || (above !== undefined && TERMINAL.test(above.text))));
    if (next !== undefined && first.y >= bottom - 1.5 * pitch && own) k++;
    // What follows a section is set across the page: a line of it that a column's width holds is short of the column's
    // edge (a longer one crosses the gutter and is read in place), and none is wrapped in a column. A column with a
    // line under the bottom (past its one extra line) that goes on from the line above, wrapped (that line reaches the
    // column's edge within a character, and this one starts at it), goes on there: its next column was cut short (a
    // line that calls a note the page could not hold went over to the next page).
    const wrapped = (i: number): boolean => i > 0 && atEdge(col[i]!) && col[i - 1]!.x1 >= col[i - 1]!.frame!.right - col[i - 1]!.size;
    if (next !== undefined && col.some((_, i) => i >= k && wrapped(i))) return col;
    tail.push(...col.slice(k));
    return col.slice(0, k);
  });
  return [...kept.flat(), ...tail.sort((a, b) => b.y - a.y || a.x0 - b.x0)];
}

/**
 * True when the ruled row above a page break looks cut by it: the row below leaves blank a cell that the row above
 * fills (序号, 责任单位: written whole above the break), and each cell that both fill (one at least) ends without a
 * sentence's end (。！？) above the break (a cell of measures is often cut after one of them, at its ；). A new row
 * under a category cell merged down the rows leaves that cell blank on both, fills the rest, and follows a row whose
 * cells end their sentences. Where the row above has a number (序号) that the row below leaves blank (and no number
 * of its own), a cell that both fill cut mid-sentence is enough, as is a row below that leaves blank every short cell
 * the row above fills (names, units, dates, written whole above the break): a cell of several paragraphs (measures
 * 1. 2. 3.) is cut between two of them as often as not, after a sentence's end. (A sub-row under a number and a
 * problem merged down the rows fills its own short cells.)
 */
function rowCutByBreak(above: readonly string[], below: readonly string[]): boolean {
  let both = 0;
  let left = false;
  let ended = false;
  let midSentence = false;
  let numberLeft = false;
  let shortFilled = false;
  for (let i = 0; i < above.length; i++) {
    const a = above[i]!.trim();
    const b = (below[i] ?? '').trim();
    if (a !== '' && b === '') {
      left = true;
      if (isRowNumber(a)) numberLeft = true;
    }
    if (a === '' || b === '') continue;
    if (a.length < MID_SENTENCE_CHARS) shortFilled = true;
    // A row below with a number of its own is a row of its own.
    if (isRowNumber(b)) return false;
    if (SENTENCE_END.test(a)) ended = true;
    else if (a.length >= MID_SENTENCE_CHARS) midSentence = true;
    both++;
  }
  return left && both > 0 && (!ended || (numberLeft && (midSentence || !shortFilled)));
}

/** A row's number as a ledger writes it in its first columns: 1, 12, 一, （三）. */
const isRowNumber = (text: string): boolean => /^\d{1,4}[.．、]?$/.test(text) || isOrdinalCell(text);
/** A cell's text ends a sentence (closing quotes and brackets after the mark). */
const SENTENCE_END = /[。！？!?][”’」』）)]?$/;
/** A cell cut mid-sentence holds at least a clause: shorter texts without a sentence's end are names, dates, 持续推进. */
const MID_SENTENCE_CHARS = 8;

/** A row's cell texts at the grid columns they start at ('' where none starts). */
function byColumn(row: readonly string[], grid: RowGrid): string[] {
  const out: string[] = [];
  row.forEach((text, i) => {
    const col = grid.columns[i] ?? i;
    while (out.length < col) out.push('');
    out[col] = text;
  });
  return out;
}

/** Two pieces of a cell's text that a wrap (or a page break) parted, joined as wrapped lines are. */
function joinWrapped(a: string, b: string): string {
  if (a.length === 0 || b.length === 0) return a + b;
  return a + (needsSpace(a, b) ? ' ' : '') + b;
}

/** The same grid columns (a table going on over a page break): as many, each edge within a snap of the other's. */
function sameColumns(a: TableText, b: TableText): boolean {
  const x = a.table.columns;
  const y = b.table.columns;
  // A table without rules has its outer edges where its text ends on each page: only the edges between columns count.
  const outer = a.stream || b.stream ? 1 : 0;
  return x.length === y.length && x.every((v, i) => i < outer || i >= x.length - outer || Math.abs(v - y[i]!) <= 2 * SNAP);
}

/**
 * A page's ruled tables (pdf-tables.ts; those with text in two cells or more) with the text of their cells, and the
 * page with the runs outside them. A page without rules, or whose rules make no table, is returned as it is.
 */
function withoutTables(page: PdfPageText): { page: PdfPageText; tables: TableText[]; lone?: LoneRow } {
  if (!page.rules || page.rules.length < 4 || page.items.length === 0) return { page, tables: [] };
  const found = findTables(page.rules);
  if (found.length === 0) return { page, tables: [] };
  const { tables, rest, lone } = placeInTables(splitAtRules(page.items, found), found);
  if (tables.length === 0 && !lone) return { page, tables: [] };
  return { page: { width: page.width, height: page.height, items: rest }, tables, lone };
}

/**
 * `split` with the page's tables without vertical rules (pdf-stream-tables.ts) of `minColumns` columns or more that
 * are not the page's own columns (`frames`), or whose rows rules part, taken out of its runs as well; `rules` are the page's rules, whose horizontal ones part rows.
 */
function withoutStreamTables(split: { page: PdfPageText; tables: TableText[] }, rules: readonly PdfRule[] | undefined, minColumns: number, frames: readonly ColumnFrame[]): { page: PdfPageText; tables: TableText[] } {
  const found = findStreamTables(split.page.items, rules, split.page.height).filter((t) => t.ruled || (t.columns.length - 1 >= minColumns && !pageColumns(t, frames)));
  if (found.length === 0) return split;
  const { tables, rest } = placeInTables(split.page.items, found);
  if (tables.length === 0) return split;
  for (const t of tables) t.stream = true;
  const all = [...split.tables, ...tables].sort((p, q) => q.table.top - p.table.top || p.table.left - q.table.left);
  return { page: { width: split.page.width, height: split.page.height, items: rest }, tables: all };
}

/**
 * True when a table's columns are the page's columns (pdf-columns.ts): as many, each edge between two of them in the
 * gutter between two frames (half a gutter of slack).
 */
function pageColumns(t: PdfTable, frames: readonly ColumnFrame[]): boolean {
  const unique = frames.filter((f, i) => frames.findIndex((g) => g.left === f.left && g.right === f.right) === i).sort((a, b) => a.left - b.left);
  if (unique.length < 2 || unique.length !== t.columns.length - 1) return false;
  return t.columns.slice(1, -1).every((x, i) => {
    const gap = unique[i + 1]!.left - unique[i]!.right;
    return x >= unique[i]!.right - gap / 2 && x <= unique[i + 1]!.left + gap / 2;
  });
}

/**
 * The tables among `found` whose cells hold text in two cells or more, with their rows, and the runs outside them in
 * the order given: a table of less text, or whose rules strike through its runs, gives its runs back.
 */
function placeInTables(runs: readonly PdfTextItem[], found: readonly PdfTable[]): { tables: TableText[]; rest: PdfTextItem[]; lone?: LoneRow } {
  const inCells = found.map((t) => t.cells.map((): PdfTextItem[] => []));
  // Runs that a rule of the table strikes through: text is set inside a table's cells, never across its rules.
  const struck = found.map(() => 0);
  const placedIn = found.map(() => 0);
  const table = new Map<PdfTextItem, number>();
  for (const it of runs) {
    if (it.str.trim().length === 0) continue;
    for (let k = 0; k < found.length; k++) {
      const c = cellOf(found[k]!, it);
      if (c < 0) continue;
      inCells[k]![c]!.push(it);
      table.set(it, k);
      placedIn[k]!++;
      const cell = found[k]!.cells[c]!;
      const slack = Math.max(SNAP, 0.3 * it.height);
      if (it.x < cell.left - slack || it.x + it.width > cell.right + slack || it.y + 0.7 * it.height > cell.top + slack || it.y < cell.bottom - slack) struck[k]!++;
      break;
    }
  }
  const tables: TableText[] = [];
  const given = new Set<number>();
  let lone: LoneRow | undefined;
  // The highest table of the page: the one that may be the rest of a row cut at the foot of the page before.
  const highest = found.reduce((h, t, k) => (h < 0 || t.top > found[h]!.top ? k : h), -1);
  found.forEach((t, k) => {
    const texts = inCells[k]!.map(cellText);
    const filled = texts.filter((s) => s.length > 0).length;
    const loneRow = k === highest && filled === 1 && t.columns.length >= 3 && t.rowEdges.length === 2 && struck[k] === 0;
    if ((filled < 2 && !loneRow) || struck[k]! > 0.1 * placedIn[k]!) {
      // Rules around less text than a table holds (a box, a form's frame), or rules across the text (a drawing under
      // it, a crafted file): its runs are read as lines.
      given.add(k);
      return;
    }
    const rows: string[][] = [];
    const grid: RowGrid[] = [];
    // A cell's columns: from its left edge's to its right edge's (the grid's own edges).
    const edge = new Map(t.columns.map((x, i) => [x, i]));
    t.cells.forEach((c, i) => {
      while (rows.length <= c.row) {
        rows.push([]);
        grid.push({ columns: [], spans: [] });
      }
      rows[c.row]!.push(texts[i]!);
      grid[c.row]!.columns.push(c.col);
      grid[c.row]!.spans.push(Math.max(1, (edge.get(c.right) ?? c.col + 1) - c.col));
    });
    const kept = rows.map((r, i) => i).filter((i) => rows[i]!.length > 0);
    const text: TableText = { table: t, rows: kept.map((i) => rows[i]!), grid: kept.map((i) => grid[i]!) };
    if (loneRow) lone = { table: text, runs: inCells[k]!.flat() };
    else tables.push(text);
  });
  const rest = runs.filter((it) => {
    const k = table.get(it);
    return k === undefined || given.has(k);
  });
  return { tables, rest, lone };
}

/**
 * A ruled table of one row with text in one cell only, the highest on its page: read as lines (a box), unless it is the
 * rest of a row that the page break cut (Word and LibreOffice draw the cut row's part on the next page as a row of its
 * own, often one cell's last line).
 */
interface LoneRow {
  table: TableText;
  runs: PdfTextItem[];
}

/**
 * Each page's tables with its lone row (see LoneRow) among them where it opens the page (no text above it) under a
 * page that has a table with the same columns; elsewhere its runs go back to the page's lines.
 */
function withLoneRows(pages: readonly { page: PdfPageText; tables: TableText[]; lone?: LoneRow }[]): { page: PdfPageText; tables: TableText[] }[] {
  return pages.map((s, p) => {
    const lone = s.lone;
    if (!lone) return { page: s.page, tables: s.tables };
    const before = pages[p - 1]?.tables;
    const above = before && before.length > 0 ? before.reduce((a, b) => (b.table.bottom < a.table.bottom ? b : a)) : undefined;
    // Nothing above it (a running header too keeps it lines: the cut row's rest is the first thing a page prints).
    const opens = !s.page.items.some((it) => it.y > lone.table.table.top);
    if (above && opens && sameColumns(above, lone.table)) return { page: s.page, tables: [lone.table, ...s.tables] };
    return { page: { ...s.page, items: [...s.page.items, ...lone.runs] }, tables: s.tables };
  });
}

/**
 * Runs that run across a rule between two cells of a table, split there: pdf.js joins the runs of neighbouring cells
 * on one baseline into one when they are close, with a space for the gap. Each is cut at the space nearest to where
 * the rule crosses it (positions estimated from the characters' widths, a Chinese character one em, others about
 * half); a run without a space there is left whole.
 */
function splitAtRules(items: readonly PdfTextItem[], tables: readonly PdfTable[]): PdfTextItem[] {
  const out: PdfTextItem[] = [];
  for (const it of items) {
    const y = it.y + it.height / 3;
    const slack = Math.max(SNAP, 0.3 * it.height);
    const t = tables.find((t) => y < t.top && y > t.bottom && it.x + slack < t.right && it.x + it.width - slack > t.left);
    if (!t || !/\S\s+\S/.test(it.str)) {
      out.push(it);
      continue;
    }
    // The rules inside the run that part two different cells.
    const cuts = t.columns.filter((x) => x > it.x + slack && x < it.x + it.width - slack && cellAt(t, x - slack, y) !== cellAt(t, x + slack, y));
    if (cuts.length === 0) {
      out.push(it);
      continue;
    }
    const chars = Array.from(it.str);
    const weights = chars.map((ch) => (isWide(ch.charCodeAt(0)) ? 1 : /\s/.test(ch) ? 0.3 : 0.55));
    const total = weights.reduce((a, b) => a + b, 0);
    const xs: number[] = [];
    let acc = 0;
    for (const w of weights) {
      xs.push(it.x + (it.width * (acc + w / 2)) / total);
      acc += w;
    }
    // For each rule, the space nearest to it; pieces run between the chosen spaces, each kept inside its rules (the
    // estimate is rough: pdf.js writes one space for a gap of any width).
    const at = new Map<number, number>();
    for (const x of cuts) {
      let best = -1;
      for (let i = 0; i < chars.length; i++) if (/\s/.test(chars[i]!) && (best < 0 || Math.abs(xs[i]! - x) < Math.abs(xs[best]! - x))) best = i;
      if (best >= 0 && !at.has(best)) at.set(best, x);
    }
    let start = 0;
    let from = it.x;
    const ends = [...at.keys()].sort((a, b) => a - b);
    for (const end of [...ends, chars.length]) {
      const to = end === chars.length ? it.x + it.width : at.get(end)!;
      const str = chars.slice(start, end).join('');
      if (str.trim().length > 0) {
        const x0 = Math.max(from + 1, start === 0 ? it.x : xs[start]! - (it.width * weights[start]!) / total / 2);
        const x1 = Math.min(end === chars.length ? it.x + it.width : to - 1, Math.max(x0, end === chars.length ? it.x + it.width : xs[end]!));
        out.push({ str, x: start === 0 ? it.x : x0, y: it.y, width: Math.max(0, x1 - (start === 0 ? it.x : x0)), height: it.height });
      }
      start = end + 1;
      from = to;
    }
  }
  return out;
}

/** A cell's text: its lines top to bottom, joined as wrapped lines are (no space between Chinese characters). */
function cellText(items: PdfTextItem[]): string {
  if (items.length === 0) return '';
  let text = '';
  for (const l of linesOfGroups(groupRuns(items))) {
    const s = l.text.trim();
    if (s.length === 0) continue;
    text = joinWrapped(text, s);
  }
  return text;
}
