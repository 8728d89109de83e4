/**
 * Column layout of a PDF page, found from where its text runs are (pdf.js gives runs, not blocks or columns).
 *
 * A gutter is found by x-projection, as the recursive X-Y cut does on a page image, but once per page and on lines:
 * the text width is cut into at most {@link MAX_BINS} bins and, for each bin, the lines that cover it with a run are
 * counted, and the lines that leave it blank with text both to its left and to its right (a line of each column at the
 * same height), or — where the columns' baselines do not line up — the lines that have text only to its left and only
 * to its right. A gutter is a band of such bins, inside the text width, at least {@link MIN_GUTTER} of the body size
 * wide, with text on each side on at least {@link MIN_COLUMN_LINES} lines and crossed by fewer lines than that. Lines
 * that cross a gutter (a centred title, an abstract set across the page, a full-width figure caption or table) are read
 * in place and cut the page into sections; each section is read column by column, left column first.
 *
 * What a table's cells leave blank is told from a gutter by what the columns hold: the columns must be of similar
 * width (the narrowest at least {@link MIN_WIDTH_RATIO} of the widest) and each must hold running text — at least
 * half of its lines reach its right edge (a wrapped line) and its lines hold {@link MIN_LINE_CHARS} characters or more
 * on average. A table with a narrow 序号 or 时限 column, or with short cells, stays rows.
 *
 * The cost is linear in the runs (after pdf.js's sort by position), with a fixed number of bins.
 */
import type { PdfPageText, PdfTextItem } from './pdf-layout.js';

/** Lines with text on both sides of a gutter (or on each side of it) that make it a gutter. */
export const MIN_COLUMN_LINES = 6;
/** Most columns on a page. */
const MAX_COLUMNS = 4;
/** Bins of the text width (a run's extent is rounded out to whole bins). */
const MAX_BINS = 2000;
/** Narrowest gutter, in body sizes (CSS's `column-gap: normal` is 1em, Word's default 2 characters). */
const MIN_GUTTER = 0.6;
/** Share of the text width, at each side, where no gutter is looked for (a 序号 column, a hanging label). */
const GUTTER_MARGIN = 0.15;
/** Narrowest column, as a share of the widest. */
const MIN_WIDTH_RATIO = 0.6;
/** Mean characters a line of a column holds. */
const MIN_LINE_CHARS = 6;
/** Share of page height, at the top and the bottom, where a running header or footer line is read in place. */
const EDGE_BAND = 0.12;

/** One column's edges on a page, for re-joining its lines into paragraphs. */
export interface ColumnFrame {
  left: number;
  right: number;
}

/** A piece of a page in reading order, as lines of runs: the whole page, a line read in place, or one column of a section. */
export interface ReadingGroup {
  lines: PdfTextItem[][];
  /** Set when the runs are one column of a section: the column's edges on the page. */
  frame?: ColumnFrame;
}

/** Group runs into lines, top to bottom (runs whose baselines are within half a size of the line's first run). */
export function groupRuns(runs: readonly PdfTextItem[]): PdfTextItem[][] {
  const items = runs.filter((it) => it.str.trim().length > 0).sort((a, b) => b.y - a.y || a.x - b.x);
  const groups: PdfTextItem[][] = [];
  for (const it of items) {
    const g = groups[groups.length - 1];
    const ref = g?.[0];
    if (g && ref && Math.abs(ref.y - it.y) <= 0.5 * Math.max(ref.height, it.height, 1)) g.push(it);
    else groups.push([it]);
  }
  return groups;
}

/**
 * The least and the greatest of `f` over `xs` (Infinity and -Infinity when empty), in a loop: `Math.min(...xs)` passes
 * each element as an argument and throws a RangeError past about 120,000 of them (a line of that many runs).
 */
export function extentOf<T>(xs: readonly T[], f: (x: T) => number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    const v = f(x);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

const mid = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** The body size of a page: the run height that carries most characters. */
function bodySizeOf(groups: readonly PdfTextItem[][]): number {
  const by = new Map<number, number>();
  for (const g of groups) for (const it of g) by.set(Math.round(it.height * 2) / 2, (by.get(Math.round(it.height * 2) / 2) ?? 0) + it.str.length);
  return [...by.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 1;
}

/**
 * A running header or footer line (the page's first or last line, inside the edge band, set apart from the body by
 * more than one and a half line pitches): read in place, never split across columns.
 */
function edgeLines(groups: readonly PdfTextItem[][], height: number, size: number): Set<number> {
  const out = new Set<number>();
  if (groups.length < 3 || height <= 0) return out;
  const ys = groups.map((g) => g[0]!.y);
  const pitches: number[] = [];
  for (let i = 1; i < ys.length; i++) if (ys[i - 1]! - ys[i]! > 0) pitches.push(ys[i - 1]! - ys[i]!);
  const apart = Math.max(1.5 * size, 1.6 * mid(pitches));
  const last = ys.length - 1;
  if (ys[0]! >= height * (1 - EDGE_BAND) && ys[0]! - ys[1]! > apart) out.add(0);
  if (ys[last]! <= height * EDGE_BAND && ys[last - 1]! - ys[last]! > apart) out.add(last);
  return out;
}

/**
 * The gutters of a page as `[start, end]` x-ranges, left to right, and which lines cross them; undefined when the page
 * is read as one column.
 */
function findGutters(groups: readonly PdfTextItem[][], skip: ReadonlySet<number>, size: number, minLines: number): { gutters: [number, number][]; crossing: boolean[] } | undefined {
  const lines = groups.map((g, i) => (skip.has(i) ? undefined : [...g].sort((a, b) => a.x - b.x)));
  let left = Infinity;
  let right = -Infinity;
  let counted = 0;
  for (const g of lines) {
    if (!g) continue;
    counted++;
    for (const it of g) {
      left = Math.min(left, it.x);
      right = Math.max(right, it.x + Math.max(0, it.width));
    }
  }
  if (counted < minLines || !(right - left > 0) || !Number.isFinite(right - left)) return undefined;
  const n = Math.max(1, Math.min(MAX_BINS, Math.ceil(right - left)));
  const bw = (right - left) / n;
  const binOf = (x: number): number => Math.min(n - 1, Math.max(0, Math.floor((x - left) / bw)));
  const cover = new Int32Array(n + 1);
  const leftOf = new Int32Array(n + 1); // the line leaves the bin blank and has text to its left
  const rightOf = new Int32Array(n + 1); // … and text to its right
  const add = (d: Int32Array, a: number, b: number): void => {
    if (a > b) return;
    d[a]! += 1;
    d[b + 1]! -= 1;
  };
  const spansOf = lines.map((g) => {
    if (!g) return undefined;
    // The line's runs as merged bin ranges.
    const spans: [number, number][] = [];
    for (const it of g) {
      const a = binOf(it.x);
      const b = Math.max(a, Math.min(n - 1, Math.ceil((it.x + Math.max(0, it.width) - left) / bw) - 1));
      const last = spans[spans.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else spans.push([a, b]);
    }
    for (const [a, b] of spans) add(cover, a, b);
    for (let k = 1; k < spans.length; k++) {
      add(leftOf, spans[k - 1]![1] + 1, spans[k]![0] - 1);
      add(rightOf, spans[k - 1]![1] + 1, spans[k]![0] - 1);
    }
    add(leftOf, spans[spans.length - 1]![1] + 1, n - 1);
    add(rightOf, 0, spans[0]![0] - 1);
    return spans;
  });
  const lo = Math.ceil(GUTTER_MARGIN * n);
  const hi = Math.floor((1 - GUTTER_MARGIN) * n);
  const coverAt = new Int32Array(n);
  const candidate = new Uint8Array(n);
  let c = 0;
  let l = 0;
  let r = 0;
  for (let i = 0; i < n; i++) {
    c += cover[i]!;
    l += leftOf[i]!;
    r += rightOf[i]!;
    coverAt[i] = c;
    const sides = Math.min(l, r);
    candidate[i] = i >= lo && i < hi && sides >= minLines && c < sides ? 1 : 0;
  }
  // In each stretch of candidate bins, the gutter is the widest run of bins crossed by the fewest lines: the lines
  // across the page cross all of it, a column's longest lines only reach into its edges.
  const bins: [number, number][] = [];
  for (let i = 0; i < n; ) {
    if (!candidate[i]) {
      i++;
      continue;
    }
    let j = i;
    let least = Infinity;
    while (j < n && candidate[j]) least = Math.min(least, coverAt[j++]!);
    let best: [number, number] | undefined;
    for (let k = i; k < j; ) {
      if (coverAt[k] !== least) {
        k++;
        continue;
      }
      let e = k;
      while (e < j && coverAt[e] === least) e++;
      if (!best || e - k > best[1] - best[0] + 1) best = [k, e - 1];
      k = e;
    }
    if (best && (best[1] - best[0] + 1) * bw >= MIN_GUTTER * size) bins.push(best);
    i = j;
  }
  if (bins.length === 0 || bins.length >= MAX_COLUMNS) return undefined;
  const crossing = spansOf.map((spans) => !spans || spans.some(([a, b]) => bins.some(([ga, gb]) => a <= gb && b >= ga)));
  return { gutters: bins.map(([a, b]) => [left + a * bw, left + (b + 1) * bw] as [number, number]), crossing };
}

/** The column (0 = leftmost) a run that crosses no gutter belongs to. */
function columnOf(it: PdfTextItem, gutters: readonly [number, number][]): number {
  const centre = it.x + Math.max(0, it.width) / 2;
  let k = 0;
  while (k < gutters.length && centre > gutters[k]![0]) k++;
  return k;
}

/**
 * Whether each column holds running text: columns of similar width, each with at least three lines, at least half of
 * them reaching its right edge, and {@link MIN_LINE_CHARS} characters a line on average (on a short page of a document
 * in columns, `minLines` below {@link MIN_COLUMN_LINES}: as few lines as that, full or not).
 */
function frames(groups: readonly PdfTextItem[][], crossing: readonly boolean[], gutters: readonly [number, number][], minLines: number): ColumnFrame[] | undefined {
  const cols = gutters.length + 1;
  const perCol: { x0: number; x1: number; chars: number; size: number }[][] = Array.from({ length: cols }, () => []);
  groups.forEach((g, i) => {
    if (crossing[i]) return;
    const parts: PdfTextItem[][] = Array.from({ length: cols }, () => []);
    for (const it of g) parts[columnOf(it, gutters)]!.push(it);
    parts.forEach((p, k) => {
      if (p.length === 0) return;
      perCol[k]!.push({
        x0: extentOf(p, (it) => it.x)[0],
        x1: extentOf(p, (it) => it.x + Math.max(0, it.width))[1],
        chars: p.reduce((s, it) => s + it.str.replace(/\s+/g, '').length, 0),
        size: mid(p.map((it) => it.height)),
      });
    });
  });
  const out: ColumnFrame[] = [];
  for (const lines of perCol) {
    if (lines.length < Math.min(3, minLines)) return undefined;
    const lefts = new Map<number, number>();
    for (const l of lines) lefts.set(Math.round(l.x0), (lefts.get(Math.round(l.x0)) ?? 0) + 1);
    const frame = { left: [...lefts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0], right: extentOf(lines, (l) => l.x1)[1] };
    const full = lines.filter((l) => l.x1 >= frame.right - 2.5 * l.size).length;
    const chars = lines.reduce((s, l) => s + l.chars, 0) / lines.length;
    // On a page of a few lines (see readingGroups' `minLines`) a share of full lines says little: not asked.
    if ((minLines >= MIN_COLUMN_LINES && full < 0.5 * lines.length) || chars < MIN_LINE_CHARS) return undefined;
    out.push(frame);
  }
  const widths = out.map((f) => f.right - f.left);
  const [narrowest, widest] = extentOf(widths, (w) => w);
  if (narrowest < MIN_WIDTH_RATIO * widest) return undefined;
  return out;
}

/**
 * A page's lines of runs (grouped top to bottom) in reading order: the whole page as one group when it is one column;
 * otherwise, top to bottom, each line that crosses a gutter as a group of its own and, between them, each section's
 * columns left to right, each a group with its frame. `minLines` is how many lines must have text on each side of a
 * gutter ({@link MIN_COLUMN_LINES}; fewer on the short last page of a document whose other pages are in columns).
 */
export function readingGroups(page: PdfPageText, groups: readonly PdfTextItem[][], minLines = MIN_COLUMN_LINES): ReadingGroup[] {
  const whole = (): ReadingGroup[] => [{ lines: [...groups] }];
  if (groups.length < minLines) return whole();
  const size = bodySizeOf(groups);
  const found = findGutters(groups, edgeLines(groups, page.height, size), size, minLines);
  if (!found) return whole();
  const columnFrames = frames(groups, found.crossing, found.gutters, minLines);
  if (!columnFrames) return whole();
  const out: ReadingGroup[] = [];
  let section: PdfTextItem[][] = columnFrames.map(() => []);
  const flush = (): void => {
    section.forEach((items, k) => {
      if (items.length > 0) out.push({ lines: groupRuns(items), frame: columnFrames[k]! });
    });
    section = columnFrames.map(() => []);
  };
  groups.forEach((g, i) => {
    if (found.crossing[i]) {
      flush();
      out.push({ lines: [g] });
    } else for (const it of g) section[columnOf(it, found.gutters)]!.push(it);
  });
  flush();
  return out;
}
