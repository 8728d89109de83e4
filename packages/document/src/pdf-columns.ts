/**
 * Column layout of a PDF page, found from where its text runs are (pdf.js gives runs, not blocks or columns).
 *
 * A gutter is found by x-projection, as the recursive X-Y cut does on a page image, but once per page and on lines:
 * the text width is cut into at most {@link MAX_BINS} bins and, for each bin, the lines that cover it with a run are
 * counted, and the lines that leave it blank with text both to its left and to its right (a line of each column at the
 * same height), or — where the columns' baselines do not line up — the lines that have text only to its left and only
 * to its right. A gutter is a band of such bins, inside the text width, at least {@link MIN_GUTTER} of the body size
 * wide, with text on each side on at least {@link MIN_COLUMN_LINES} lines and crossed by fewer lines than that; the
 * lines that cross are counted over windows of the least gutter width, so that a short line sitting in the gutter (a
 * centred page number, a one-character heading) counts as one line across it rather than splitting it into two strips
 * each too narrow. Lines that cross a gutter (a centred title, an abstract set across the page, a full-width figure
 * caption or table, a short centred line in the gutter), and lines that reach into it from one column (see
 * {@link inGutters}), are read in place and cut the page into sections; each section is read column by column, left
 * column first.
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
/** How far (in body sizes) a short line may start before, or end after, its column's long lines and be of the column. */
const GUTTER_SLACK = 0.3;
/** A run ending in a full-width closing mark (one em wide), which Chinese typesetting lets hang past the margin. */
export const HANGING_END = /[，。、；：！？）》」』】]$/;

/** Where a run's text ends, for the gutter: a closing mark hanging past a column's edge (。，) does not reach into it. */
function endOf(it: PdfTextItem): number {
  const w = Math.max(0, it.width);
  return it.x + w - (HANGING_END.test(it.str) ? Math.min(w, it.height) : 0);
}
/**
 * The space a producer sets between Chinese and Latin letters or digits within a line, in text sizes: LibreOffice (its
 * default "space between Asian and non-Asian text") sets a fifth of the size (measured 0.200–0.210 at 10, 12 and 16pt),
 * so 国内生产总值 529971 亿元 is three runs 2pt apart at 10pt; Word's "adjust space between Asian text and numbers"
 * does the like.
 */
export const AUTOSPACE = 0.2;
const HAN_END = /\p{Script=Han}$/u;
const HAN_START = /^\p{Script=Han}/u;
const ALNUM_END = /[0-9A-Za-z%\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]$/u;
const ALNUM_START = /^[0-9A-Za-z\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/u;

/** True when `left` (ending) and `right` (starting) meet as Chinese and a letter or digit, either way round. */
export function scriptsMeet(left: string, right: string): boolean {
  const l = left.trimEnd();
  const r = right.trimStart();
  return (HAN_END.test(l) && ALNUM_START.test(r)) || (ALNUM_END.test(l) && HAN_START.test(r));
}
/** Narrowest column, as a share of the widest. */
const MIN_WIDTH_RATIO = 0.6;
/** Mean characters a line of a column holds. */
const MIN_LINE_CHARS = 6;
/** What makes columns of running text, for the borderless-table finder (pdf-stream-tables.ts), which leaves them to this file. */
export const LAYOUT_COLUMNS = { minWidthRatio: MIN_WIDTH_RATIO, minLineChars: MIN_LINE_CHARS } as const;
/** Set smaller than the text: at most this share of its size (Word's 9pt notes under 10.5pt text, 小五 under 五号). */
export const SMALLER = 0.92;
/** Share of page height, at the top and the bottom, where running headers, footers and page numbers are looked for. */
export const EDGE_BAND = 0.12;

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

/**
 * The left edge of a block of lines (a page's text, a column) from where they start: the leftmost start (to the whole
 * point) shared by a fifth as many lines as the commonest start, and by two at least. Where most paragraphs are of one
 * or two lines, most lines start at the first-line indent, and the edge is where the others wrap to; a line that
 * starts left of the edge alone (a hanging label) does not move it.
 */
export function leftEdgeOf(starts: readonly number[]): number {
  const lefts = new Map<number, number>();
  for (const x of starts) lefts.set(Math.round(x), (lefts.get(Math.round(x)) ?? 0) + 1);
  const most = extentOf([...lefts.values()], (n) => n)[1];
  return extentOf([...lefts.entries()].filter(([, n]) => n >= Math.max(2, 0.2 * most) || n === most), ([x]) => x)[0];
}

/** The median of `xs` (0 when empty). */
export const mid = (xs: readonly number[]): number => {
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
 * more than one and a half line pitches, or set smaller than it): read in place, never split across columns.
 */
function edgeLines(groups: readonly PdfTextItem[][], height: number, size: number): Set<number> {
  const out = new Set<number>();
  if (groups.length < 3 || height <= 0) return out;
  const ys = groups.map((g) => g[0]!.y);
  const pitches: number[] = [];
  for (let i = 1; i < ys.length; i++) if (ys[i - 1]! - ys[i]! > 0) pitches.push(ys[i - 1]! - ys[i]!);
  const apart = Math.max(1.5 * size, 1.6 * mid(pitches));
  const last = ys.length - 1;
  // Or set smaller than the body (a running header set in 小五 a line above the text, centred over a middle column).
  const smaller = (g: readonly PdfTextItem[]): boolean => g.every((it) => it.height <= SMALLER * size);
  if (ys[0]! >= height * (1 - EDGE_BAND) && (ys[0]! - ys[1]! > apart || smaller(groups[0]!))) out.add(0);
  if (ys[last]! <= height * EDGE_BAND && (ys[last - 1]! - ys[last]! > apart || smaller(groups[last]!))) out.add(last);
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
  const both = new Int32Array(n + 1); // … and text on both sides (a line of each column at the same height)
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
      const b = Math.max(a, Math.min(n - 1, Math.ceil((endOf(it) - left) / bw) - 1));
      const last = spans[spans.length - 1];
      if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
      else spans.push([a, b]);
    }
    for (const [a, b] of spans) add(cover, a, b);
    for (let k = 1; k < spans.length; k++) {
      add(leftOf, spans[k - 1]![1] + 1, spans[k]![0] - 1);
      add(rightOf, spans[k - 1]![1] + 1, spans[k]![0] - 1);
      add(both, spans[k - 1]![1] + 1, spans[k]![0] - 1);
    }
    add(leftOf, spans[spans.length - 1]![1] + 1, n - 1);
    add(rightOf, 0, spans[0]![0] - 1);
    return spans;
  });
  // hits[a]: the lines with a run in the window of `w` bins from bin a (a gutter's least width). A line that sits in
  // the gutter (a centred page number or heading narrower than the gutter) leaves blank bins on each side of it, each
  // stretch narrower than a gutter; counted by windows, it is one line that crosses the gutter, as a line across the
  // page is.
  const w = Math.max(1, Math.ceil((MIN_GUTTER * size) / bw));
  const hits = new Int32Array(n + 1);
  for (const spans of spansOf) {
    if (!spans) continue;
    let from = -1;
    let to = -1;
    for (const [a, b] of spans) {
      const s = Math.max(0, a - w + 1);
      if (from >= 0 && s <= to + 1) to = Math.max(to, b);
      else {
        if (from >= 0) add(hits, from, to);
        from = s;
        to = b;
      }
    }
    if (from >= 0) add(hits, from, to);
  }
  const lo = Math.ceil(GUTTER_MARGIN * n);
  const hi = Math.floor((1 - GUTTER_MARGIN) * n);
  const windowAt = new Int32Array(n);
  const candidate = new Uint8Array(n);
  let c = 0;
  let l = 0;
  let r = 0;
  let h = 0;
  let o = 0;
  // On a short page (fewer lines asked than MIN_COLUMN_LINES) a line of each column at the same height at least: there
  // a running header that ends short of the page's middle, and a signature under the right column, would otherwise
  // make a gutter of what one line of the right column leaves blank.
  const paired = minLines < MIN_COLUMN_LINES ? 1 : 0;
  for (let i = 0; i < n; i++) {
    c += cover[i]!;
    l += leftOf[i]!;
    r += rightOf[i]!;
    h += hits[i]!;
    o += both[i]!;
    windowAt[i] = h;
    const sides = Math.min(l, r);
    candidate[i] = i >= lo && i < hi && sides >= minLines && c < sides && o >= paired ? 1 : 0;
  }
  // In each stretch of candidate bins, the gutter is the widest run of windows (inside the stretch) crossed by the
  // fewest lines: the lines across the page (or in the gutter) cross all of it, a column's longest lines only reach
  // into its edges. A stretch narrower than a window holds no gutter.
  const bins: [number, number][] = [];
  for (let i = 0; i < n; ) {
    if (!candidate[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && candidate[j]) j++;
    const last = j - w;
    let least = Infinity;
    for (let k = i; k <= last; k++) least = Math.min(least, windowAt[k]!);
    let best: [number, number] | undefined;
    for (let k = i; k <= last; ) {
      if (windowAt[k] !== least) {
        k++;
        continue;
      }
      let e = k;
      while (e <= last && windowAt[e] === least) e++;
      if (!best || e - k > best[1] - best[0] + 1) best = [k, e - 1];
      k = e;
    }
    if (best) bins.push([best[0], best[1] + w - 1]);
    i = j;
  }
  if (bins.length === 0 || bins.length >= MAX_COLUMNS) return undefined;
  const crossing = spansOf.map((spans) => !spans || spans.some(([a, b]) => bins.some(([ga, gb]) => a <= gb && b >= ga)));
  const gutters = bins.map(([a, b]) => [left + a * bw, left + (b + 1) * bw] as [number, number]);
  return { gutters, crossing: inGutters(lines, crossing, gutters, size) };
}

/**
 * `crossing` with the lines that reach into a gutter from one side added: a line with text in one column only that
 * starts left of where the column's lines start, or ends right of where they end, by more than {@link GUTTER_SLACK}
 * of the body size, and is short (a centred heading or page number set off the gutter's centre, half in it) or wider
 * than the column (the last line of a paragraph across the page, ending in the gutter).
 */
function inGutters(lines: readonly (PdfTextItem[] | undefined)[], crossing: readonly boolean[], gutters: readonly [number, number][], size: number): boolean[] {
  const cols = gutters.length + 1;
  // Each line's text in each column it has text in (a line of a page in columns often holds a line of each).
  const parts = lines.map((g, i): { col: number; x0: number; x1: number }[] => {
    if (!g || crossing[i]) return [];
    const out: { col: number; x0: number; x1: number }[] = [];
    for (const it of g) {
      const col = columnOf(it, gutters);
      const x1 = endOf(it);
      const p = out.find((q) => q.col === col);
      if (!p) out.push({ col, x0: it.x, x1 });
      else {
        p.x0 = Math.min(p.x0, it.x);
        p.x1 = Math.max(p.x1, x1);
      }
    }
    return out;
  });
  const widest = new Array<number>(cols).fill(0);
  for (const ps of parts) for (const p of ps) widest[p.col] = Math.max(widest[p.col]!, p.x1 - p.x0);
  // A column's edges: where the lines with text in another column too start and end (lines of the columns for sure);
  // where fewer than two such lines have text in it (columns whose baselines do not line up), where its long lines do.
  const edges = (both: boolean): { start: number[]; end: number[]; n: number[] } => {
    const e = { start: new Array<number>(cols).fill(Infinity), end: new Array<number>(cols).fill(-Infinity), n: new Array<number>(cols).fill(0) };
    for (const ps of parts) {
      if (both && ps.length < 2) continue;
      for (const p of ps) {
        if (!both && p.x1 - p.x0 < 0.5 * widest[p.col]!) continue;
        e.start[p.col] = Math.min(e.start[p.col]!, p.x0);
        e.end[p.col] = Math.max(e.end[p.col]!, p.x1);
        e.n[p.col]!++;
      }
    }
    return e;
  };
  const paired = edges(true);
  const long = edges(false);
  const start = paired.start.map((x, c) => (paired.n[c]! >= 2 ? x : long.start[c]!));
  const end = paired.end.map((x, c) => (paired.n[c]! >= 2 ? x : long.end[c]!));
  const slack = GUTTER_SLACK * size;
  return crossing.map((x, i) => {
    const p = parts[i]!.length === 1 ? parts[i]![0]! : undefined;
    if (x || !p) return x;
    const out = (p.col > 0 && p.x0 < start[p.col]! - slack) || (p.col < cols - 1 && p.x1 > end[p.col]! + slack);
    // Out past the edge: a short line (a centred heading, a page number), or a line wider than the column (the last
    // line of a paragraph across the page, ending in the gutter); not a long line of ragged text that reaches further.
    const width = p.x1 - p.x0;
    return out && (width < 0.5 * widest[p.col]! || width > end[p.col]! - start[p.col]! + slack);
  });
}

/** The column (0 = leftmost) a run that crosses no gutter belongs to. */
function columnOf(it: PdfTextItem, gutters: readonly [number, number][]): number {
  // The run's centre (without a closing mark hanging into the gutter) against each gutter's middle: a mark that hangs
  // past the column's edge, a run of its own, stays with the line it ends.
  const centre = (it.x + endOf(it)) / 2;
  let k = 0;
  while (k < gutters.length && centre > (gutters[k]![0] + gutters[k]![1]) / 2) k++;
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
    const frame = { left: leftEdgeOf(lines.map((l) => l.x0)), right: extentOf(lines, (l) => l.x1)[1] };
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
