/**
 * Tables of a PDF page drawn without vertical rules (borderless tables, and 三线表: a rule above, one under the header
 * and one below), found from where the text runs are: the principle of Camelot's stream mode and pdfplumber's text
 * strategy, whitespace that stays blank down a stretch of lines, with the rows told apart by what the page shows
 * between them.
 *
 * Read as lines, such a table interleaves its cells: each line of the page holds one line of every cell beside it, so
 * the wrapped text of 问题 and 整改措施 alternates line by line (存在违规发放津补贴 + 全额清退…). Read as a table, each row is
 * one row line with its cells' wrapped lines joined, as a ruled table is (pdf-tables.ts, the same `PdfTable` grid).
 *
 * - A corridor is an x-range that no line of a stretch crosses, at least {@link MIN_GAP} of the text size wide (an HTML
 *   table's default spacing leaves a quarter of 12pt text between cells); it is
 *   established once two lines of the stretch have text left of it and two right of it. A stretch starts at a line of two or
 *   more separated pieces and goes on, line by line, until a line would cross an established corridor (the paragraph
 *   after the table, a note set across the columns, a line centred in a gutter) or stands more than
 *   {@link MAX_PITCH} sizes below the line before, or is of another text size (a title, a heading), or is a line of
 *   the page's bottom band set further apart than the stretch's lines and rows (a page number, a running footer; rows
 *   of the table go on into the band, and a header repeated at the top of a page is read whole), or leaves more blanks
 *   than a table has columns. Every column has text on two lines or more.
 * - Rows: between two lines a horizontal rule across most of the stretch, or a gap larger than the stretch's line
 *   pitch within a cell (cell padding). The line pitch is the least between two lines with text in one column (cells
 *   centred in their rows, HTML's default, set the stretch's lines half a pitch apart); where no row is padded, rows of
 *   centred cells (Word's vAlign center) are a whole pitch apart and their lines half a pitch, when each such row's
 *   cells are centred on one middle (columns of running text whose paragraphs are spaced half a line also fall half a
 *   pitch apart); lines off one another's pitch with no gap at all tell no rows, and are no table. Where the stretch shows no such gap, a line goes on with the row above only
 *   where each of its columns continues text that filled its column on the line above (a wrap) and a column that has
 *   text on the row's first line (its 序号) is blank on it; a row's cells are read from the top (a cell centred in a
 *   row taller than it, with no gap between rows, starts a row of its own).
 * - Nothing changes for text that reads right as lines, nor for Latin text (whose justified word gaps line up by
 *   chance): a stretch is a table only when half its characters or more are Chinese, and some row holds two or more
 *   columns with text and a cell of it wraps onto a second line with two characters or more on a line (a title
 *   letter-spaced over two lines sets a character a piece). Rows of one line each (a 名单 with aligned
 *   posts, short cells) are a table too when there are three or more, each with text in two columns or more: read as
 *   lines, full and without a full stop, they ran together into one paragraph. Two such lines (a source line and a
 *   date) stay lines. Columns of running text of similar width (a page set in two or three columns, which
 *   pdf-columns.ts reads column by column) are no table unless horizontal rules part their rows, nor are columns whose
 *   baselines drift apart on a line (each column set on its own, its paragraphs spaced), however their paragraph gaps
 *   happen to line up.
 *
 * The cost is linear in the runs: each line is swept once against the stretch's corridors (both left to right), and
 * a stretch holds at most {@link MAX_CORRIDORS} + 2 of them.
 */
import { EDGE_BAND, extentOf, groupRuns, LAYOUT_COLUMNS, MIN_COLUMN_LINES, scriptsMeet } from './pdf-columns.js';
import type { PdfTextItem } from './pdf-layout.js';
import type { PdfRule, PdfTable } from './pdf-tables.js';

/**
 * Narrowest blank between the text of two cells, in text sizes: an HTML table's default cell spacing and padding
 * (`<table border=0>`: 2px + 1px + 1px) leave 3pt between a cell whose text fills it and the next, a quarter of 12pt
 * text (Word's cell margins leave about one character).
 */
export const MIN_GAP = 0.2;
/** A line further below the line before than this many text sizes ends a stretch (the next section, a footer). */
const MAX_PITCH = 5;
/** Most corridors of a stretch (columns of a table, less one); a line of more pieces starts none. */
const MAX_CORRIDORS = 24;
const HAN = /\p{Script=Han}/gu;
/**
 * A gap between Chinese and a letter or digit narrower than this many text sizes may be a producer's space between
 * scripts (AUTOSPACE: LibreOffice sets a fifth of the size, and a justified line widens it with the line's slack, 4.8pt
 * at 16pt seen). Such gaps of lines of running text line up by chance (two lines with 国内生产总值 529971 亿元 and
 * 第一产业增加值 40666 亿元 set alike), and a blank down a stretch whose lines with text on both sides all have such a gap
 * there is no column edge: a table's cells meet so only where every left cell fills its column and every right cell
 * starts with a figure, its header among them (an HTML table's narrowest spacing, 3pt, is a quarter of 12pt text).
 */
const SOFT_GAP = 0.4;
/** Steps taken over lines' pieces and corridors, for tests that the work stays linear in the runs. */
export const streamTableWork = { steps: 0 };
/** A stretch of at most this many lines more than its first that is no table is looked at again from its second line. */
const SHORT_STRETCH = 4;
/** Most distance between the baselines of a line's pieces, in text sizes (runs within half a size are one line). */
const MAX_DRIFT = 0.2;
/** Lines whose text sizes differ by more than this ratio are not of one table. */
const MAX_SIZE_RATIO = 1.3;
/** Fewest rows of a table whose rows are all one line. */
const MIN_LINE_ROWS = 3;
/** A rule parts two rows where it runs across at least this share of the stretch's width. */
const RULE_SHARE = 0.5;

interface Line {
  /** Baseline and text size of the line (of its first run, as groupRuns groups them). */
  y: number;
  size: number;
  /** The line's text as separated pieces, left to right: runs closer than MIN_GAP sizes are one piece. */
  pieces: [number, number][];
  /** Characters of each piece (spaces left out). */
  pieceChars: number[];
  /** For each piece after the first: whether the gap before it is narrower than SOFT_GAP and parts Chinese from a figure. */
  soft: boolean[];
  /** How far apart the baselines of the line's pieces are (each piece's that of its longest run). */
  drift: number;
  chars: number;
  /** Chinese characters among `chars`. */
  han: number;
}

/** A table without vertical rules, as a grid of cells; `ruled` when horizontal rules part some of its rows. */
export interface StreamTable extends PdfTable {
  ruled: boolean;
}

/**
 * A blank x-range of a stretch, and how many of its lines have text left of it and right of it (not necessarily the
 * same lines: a 序号 centred in a tall row stands on a line of its own); established when each is two or more.
 */
interface Corridor {
  l: number;
  r: number;
  left: number;
  right: number;
  /** Lines with text both left and right of it (a row of cells on each side, not a paragraph beside a signature). */
  both: number;
  /** Those of `both` whose gap there is a soft one (see SOFT_GAP). */
  soft: number;
}

const established = (c: Corridor): boolean => c.left >= 2 && c.right >= 2;
const bounded = (c: Corridor): boolean => Number.isFinite(c.l) && Number.isFinite(c.r);

function lineOf(g: PdfTextItem[]): Line {
  const runs = [...g].sort((a, b) => a.x - b.x);
  const sizes = runs.map((it) => it.height).sort((a, b) => a - b);
  const size = Math.max(sizes[Math.floor(sizes.length / 2)]!, 0.01);
  const pieces: [number, number][] = [];
  const pieceChars: number[] = [];
  // Each piece's baseline, that of its run of most characters, and that run's count.
  const pieceY: [number, number][] = [];
  const soft: boolean[] = [];
  let chars = 0;
  let han = 0;
  // The run that ends furthest right so far (where the next run's gap is measured from).
  let end = '';
  for (const it of runs) {
    const a = it.x;
    const b = it.x + Math.max(0, it.width);
    const n = [...it.str.replace(/\s+/g, '')].length;
    chars += n;
    han += it.str.match(HAN)?.length ?? 0;
    const last = pieces[pieces.length - 1];
    const joins = last !== undefined && a < last[1] + MIN_GAP * size;
    if (last && !joins) soft.push(a < last[1] + SOFT_GAP * size && scriptsMeet(end, it.str));
    if (!last || b >= last[1]) end = it.str;
    if (last && joins) {
      last[1] = Math.max(last[1], b);
      pieceChars[pieceChars.length - 1]! += n;
      const py = pieceY[pieceY.length - 1]!;
      if (n > py[1]) pieceY[pieceY.length - 1] = [it.y, n];
    } else {
      pieces.push([a, b]);
      pieceChars.push(n);
      pieceY.push([it.y, n]);
    }
  }
  const [low, high] = extentOf(pieceY, ([y]) => y);
  // The line's baseline is its longest piece's, not its highest run's (a footnote mark raised above it: …推进¹⁶。).
  const y = pieceY.reduce((best, p) => (p[1] > best[1] ? p : best))[0];
  return { y, size, pieces, pieceChars, soft, drift: high - low, chars, han };
}

/**
 * The corridors less a line's pieces, pieces narrower than `minGap` dropped. A piece of a corridor keeps its counts
 * (no earlier line had text inside it) and counts the line where it has text to the piece's left or right. `killed`
 * when an established corridor would vanish or be split in two (text inside it: a line centred in a gutter).
 */
function narrow(corridors: readonly Corridor[], line: Line, minGap: number): { corridors: Corridor[]; killed: boolean } {
  const out: Corridor[] = [];
  let killed = false;
  const pieces = line.pieces;
  const first = pieces[0]![0];
  const last = pieces[pieces.length - 1]![1];
  // One sweep: corridors and pieces both run left to right without overlapping one another, so each piece is looked at
  // for the corridors it reaches into (a line of thousands of pieces costs as many steps, not their square).
  let p = 0;
  for (const c of corridors) {
    while (p < pieces.length && pieces[p]![1] <= c.l) {
      p++;
      streamTableWork.steps++;
    }
    // Each blank kept, with the piece right of it (pieces.length: none), whose gap before it is the line's gap there.
    const kept: [number, number, number][] = [];
    let from = c.l;
    let q = p;
    for (; q < pieces.length && pieces[q]![0] < c.r; q++) {
      streamTableWork.steps++;
      const [a, b] = pieces[q]!;
      if (a - from >= minGap) kept.push([from, a, q]);
      from = Math.max(from, b);
    }
    if (c.r - from >= minGap) kept.push([from, c.r, q]);
    streamTableWork.steps++;
    if (established(c) && kept.length !== 1) killed = true;
    for (const [l, r, k] of kept) {
      const both = first < l && last > r;
      out.push({ l, r, left: c.left + (first < l ? 1 : 0), right: c.right + (last > r ? 1 : 0), both: c.both + (both ? 1 : 0), soft: c.soft + (both && line.soft[k - 1] ? 1 : 0) });
    }
  }
  return { corridors: out, killed };
}

/**
 * The blanks of a stretch's first line: between its pieces, and the open blanks left and right of it, where a column
 * blank on the first line (a 序号 centred in its row) finds its edge.
 */
function gapsOf(line: Line): Corridor[] {
  const out: Corridor[] = [{ l: -Infinity, r: line.pieces[0]![0], left: 0, right: 1, both: 0, soft: 0 }];
  for (let k = 1; k < line.pieces.length; k++) out.push({ l: line.pieces[k - 1]![1], r: line.pieces[k]![0], left: 1, right: 1, both: 1, soft: line.soft[k - 1] ? 1 : 0 });
  out.push({ l: line.pieces[line.pieces.length - 1]![1], r: Infinity, left: 1, right: 0, both: 0, soft: 0 });
  return out;
}

/**
 * The tables without vertical rules among a page's text runs (runs of ruled tables already taken out). `rules` are the
 * page's rules, of which the horizontal ones part rows; `pageHeight` places its edge bands, where a line set apart
 * (a page number, a running footer) is no row.
 */
export function findStreamTables(items: readonly PdfTextItem[], rules: readonly PdfRule[] | undefined, pageHeight: number): StreamTable[] {
  const lines = groupRuns(items).map(lineOf);
  const horizontal = (rules ?? []).filter((r) => [r.x0, r.y0, r.x1, r.y1].every(Number.isFinite) && Math.abs(r.y1 - r.y0) <= 0.5 && Math.abs(r.x1 - r.x0) > 0);
  const tables: StreamTable[] = [];
  for (let a = 0; a < lines.length; ) {
    const first = lines[a]!;
    if (first.pieces.length < 2 || first.pieces.length > MAX_CORRIDORS + 1) {
      a++;
      continue;
    }
    const minGap = MIN_GAP * first.size;
    let corridors = gapsOf(first);
    let b = a;
    let least = Infinity;
    let most = 0;
    while (b + 1 < lines.length) {
      const next = lines[b + 1]!;
      const pitch = lines[b]!.y - next.y;
      if (pitch > MAX_PITCH * Math.max(next.size, lines[b]!.size)) break;
      // Text of another size (a title, a heading above or below the table) is no row of it.
      if (Math.max(next.size, first.size) > MAX_SIZE_RATIO * Math.min(next.size, first.size)) break;
      // A line of the page's bottom band set further apart than the lines and the rows of the stretch above it (a page
      // number, a running footer); a row of the table goes on as far down as its rows are apart. (In the top band,
      // lines below the stretch's first are the rows of a table at the top of the page, its header repeated.)
      const inBand = pageHeight > 0 && next.y <= EDGE_BAND * pageHeight;
      if (inBand && pitch > Math.max(1.5 * next.size, 1.6 * least, most + 0.25 * next.size)) break;
      if (pitch > 0) least = Math.min(least, pitch);
      most = Math.max(most, pitch);
      const n = narrow(corridors, next, minGap);
      // The stretch ends where an established corridor would be crossed, or no blank is left between two pieces, or
      // the line leaves more blanks than a table has columns (a line of many pieces split them).
      if (n.killed || !n.corridors.some(bounded) || n.corridors.length > MAX_CORRIDORS + 2) break;
      corridors = n.corridors;
      b++;
    }
    const table = b > a ? tableOf(lines.slice(a, b + 1), corridors.filter((c) => bounded(c) && established(c) && (c.both === 0 || c.soft < c.both)), horizontal) : undefined;
    if (table) tables.push(table);
    // After a table, or a long stretch that is none (a page in columns), the next stretch starts below it; after a
    // short one (a line of two pieces above a table), on the next line. Either way each line is looked at a bounded
    // number of times.
    a = table || b - a >= SHORT_STRETCH ? b + 1 : a + 1;
  }
  return tables;
}

/** The table of a stretch of lines with its established corridors, or undefined when it reads right as lines. */
function tableOf(lines: readonly Line[], corridors: readonly Corridor[], horizontal: readonly PdfRule[]): StreamTable | undefined {
  if (corridors.length === 0) return undefined;
  // The tables of these reports are Chinese; in Latin text the gaps of justified lines line up by chance.
  if (2 * lines.reduce((n, l) => n + l.han, 0) < lines.reduce((n, l) => n + l.chars, 0)) return undefined;
  // The cells of a row are set on one baseline; columns whose baselines drift apart (a page in columns whose
  // paragraphs are spaced) are running text, however their paragraph gaps happen to line up.
  if (lines.some((l) => l.drift > MAX_DRIFT * l.size)) return undefined;
  corridors = [...corridors].sort((p, q) => p.l - q.l);
  const [left] = extentOf(lines, (l) => l.pieces[0]![0]);
  const [, right] = extentOf(lines, (l) => l.pieces[l.pieces.length - 1]![1]);
  const nc = corridors.length + 1;
  // Column edges: just left of where each column's text starts (stable from page to page for a table going on).
  const X = [left - 1, ...corridors.map((c) => c.r - Math.min(1, (c.r - c.l) / 2)), right + 1];
  const colOf = (x: number): number => {
    let k = 0;
    while (k < corridors.length && x >= corridors[k]!.r) k++;
    return k;
  };
  // Each line's text per column: where it ends (−∞ where blank) and how many characters it holds.
  const ends = lines.map((l) => {
    const e = new Array<number>(nc).fill(-Infinity);
    for (const [a, b] of l.pieces) e[colOf(a)] = Math.max(e[colOf(a)]!, b);
    return e;
  });
  const counts = lines.map((l) => {
    const n = new Array<number>(nc).fill(0);
    l.pieces.forEach(([a], i) => (n[colOf(a)]! += l.pieceChars[i]!));
    return n;
  });
  const colRight = Array.from({ length: nc }, (_, c) => extentOf(ends, (e) => e[c]!)[1]);
  // Every column has text on two lines or more (a table's column, not a line's stray piece), and some line has text in
  // two columns (a header, a row's first line): lines each in one column only are a paragraph's end, a signature set
  // right and a 公文's 版记 (抄送：…) under it, not a row of cells.
  for (let c = 0; c < nc; c++) if (ends.filter((e) => e[c]! > -Infinity).length < 2) return undefined;
  if (!ends.some((e) => e.filter((x) => x > -Infinity).length >= 2)) return undefined;
  const width = right - left;
  // Row boundaries between line k - 1 and line k: a rule across the stretch, or a gap beyond the pitch within a cell.
  const ruled = new Set<number>();
  for (let k = 1; k < lines.length; k++) {
    const above = lines[k - 1]!;
    const below = lines[k]!;
    const spans = horizontal.some((r) => {
      const y = (r.y0 + r.y1) / 2;
      const from = Math.max(left, Math.min(r.x0, r.x1));
      const to = Math.min(right, Math.max(r.x0, r.x1));
      return y > below.y + 0.7 * below.size && y < above.y && to - from >= RULE_SHARE * width;
    });
    if (spans) ruled.add(k);
  }
  const pitches = lines.slice(1).map((l, i) => lines[i]!.y - l.y);
  // The line pitch: the least between two lines with text in one column (a cell's wrapped lines). Cells centred in
  // their rows set the lines of the stretch on a grid of half pitches, whose least is no line pitch.
  let least = Infinity;
  const lastIn = new Array<number>(nc).fill(-1);
  ends.forEach((e, k) => {
    e.forEach((x, c) => {
      if (x === -Infinity) return;
      const p = lastIn[c]! >= 0 ? lines[lastIn[c]!]!.y - lines[k]!.y : 0;
      if (p > 0) least = Math.min(least, p);
      lastIn[c] = k;
    });
  });
  const closest = extentOf(pitches.filter((p) => p > 0), (p) => p)[0];
  if (least === Infinity) least = closest;
  const gapsOver = (pitch: number): Set<number> => {
    const out = new Set<number>();
    pitches.forEach((p, i) => {
      if (p >= pitch + Math.max(1, 0.1 * lines[i + 1]!.size)) out.add(i + 1);
    });
    return out;
  };
  // Rows without padding whose cells are centred (Word's vAlign center): a row's lines, of cells of odd and even line
  // counts, fall half a pitch apart, and the rows a whole pitch apart; those are its gaps.
  let gapped = gapsOver(least);
  if (gapped.size === 0 && closest < least) {
    // Only where each such row's cells are centred on one middle: columns of running text set on their own, whose
    // paragraph spacing is half a line (CSS columns with p{margin:0 0 6pt}), also fall half a pitch apart.
    gapped = gapsOver(closest);
    if (!centredRows(lines, ends, [0, ...[...gapped].sort((p, q) => p - q), lines.length], 0.25 * least)) gapped = new Set();
  }
  // Lines off one another's pitch with no gap to part rows: neither centred rows nor top-aligned ones, whose lines
  // keep the pitch; nothing on the page tells the rows apart.
  if (gapped.size === 0 && ruled.size === 0 && closest < 0.75 * least) return undefined;
  const starts = new Set<number>([...ruled, ...gapped]);
  if (gapped.size === 0) {
    // No gap between rows: a line goes on with the row above only where each of its columns goes on a cell's text
    // that filled its column on the line above (wrapped there), and a column of the row's first line (its 序号, its
    // 时限) is blank on it. A list whose every line has text in every column is a row a line.
    let first = 0;
    for (let k = 1; k < lines.length; k++) {
      const above = ends[k - 1]!;
      const here = ends[k]!;
      const wrapped = here.every((e, c) => e === -Infinity || (above[c]! > -Infinity && above[c]! >= colRight[c]! - 1.5 * lines[k - 1]!.size));
      const fewer = ends[first]!.some((e, c) => e > -Infinity && here[c] === -Infinity);
      if (starts.has(k) || !wrapped || !fewer) {
        starts.add(k);
        first = k;
      }
    }
  }
  // Rows as ranges of lines; a table has two rows or more, and a row with two columns of text, one of them wrapped.
  const bounds = [0, ...[...starts].sort((p, q) => p - q), lines.length];
  const rows: [number, number][] = [];
  for (let i = 0; i + 1 < bounds.length; i++) if (bounds[i + 1]! > bounds[i]!) rows.push([bounds[i]!, bounds[i + 1]!]);
  if (rows.length < 2) return undefined;
  // A wrapped cell holds two characters or more on a line (a title letter-spaced over two lines sets one a piece).
  const wraps = rows.some(([s, e]) => {
    const lineCount = new Array<number>(nc).fill(0);
    const widest = new Array<number>(nc).fill(0);
    for (let k = s; k < e; k++) {
      ends[k]!.forEach((x, c) => {
        if (x === -Infinity) return;
        lineCount[c]!++;
        widest[c] = Math.max(widest[c]!, counts[k]![c]!);
      });
    }
    return lineCount.filter((n) => n > 0).length >= 2 && lineCount.some((n, c) => n >= 2 && widest[c]! >= 2);
  });
  // A table whose rows are one line each (short cells: 序号 | 问题 | 责任单位 | 时限) reads its rows in order as lines
  // too, but its lines, full and without a full stop, are joined as wrapped lines into one paragraph: three rows or
  // more, each with text in two columns or more, are rows.
  const oneLineRows = rows.length >= MIN_LINE_ROWS && rows.every(([s, e]) => e - s === 1 && ends[s]!.filter((x) => x > -Infinity).length >= 2);
  if (!wraps && !oneLineRows) return undefined;
  // Columns of running text of similar width are a page set in columns, unless rules part their rows.
  if (ruled.size === 0 && runningText(lines, ends, colRight, X)) return undefined;
  // Row edges half way between the middles of the last line of a row and the first of the next (as cellOf places runs).
  const middle = (l: Line): number => l.y + l.size / 3;
  const [, topmost] = extentOf(lines, (l) => l.y + l.size);
  const [lowest] = extentOf(lines, (l) => l.y - 0.3 * l.size);
  const Y = [topmost + 1, ...rows.slice(1).map(([s]) => (middle(lines[s - 1]!) + middle(lines[s]!)) / 2), lowest - 1];
  const nr = rows.length;
  const cells = [];
  const cellAt = new Int32Array(nr * nc);
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      cellAt[r * nc + c] = cells.length;
      cells.push({ left: X[c]!, right: X[c + 1]!, top: Y[r]!, bottom: Y[r + 1]!, row: r, col: c });
    }
  }
  return { left: X[0]!, right: X[nc]!, top: Y[0]!, bottom: Y[nr]!, columns: X, rowEdges: Y, cells, cellAt, openBottom: false, openTop: false, ruled: ruled.size > 0 };
}

/**
 * Whether in each row (lines `bounds[i]` to `bounds[i + 1]`) every column's text is centred on one middle, within
 * `slack`: the middle of its first and last line.
 */
function centredRows(lines: readonly Line[], ends: readonly number[][], bounds: readonly number[], slack: number): boolean {
  const nc = ends[0]!.length;
  for (let i = 0; i + 1 < bounds.length; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let c = 0; c < nc; c++) {
      let top = -1;
      let bottom = -1;
      for (let k = bounds[i]!; k < bounds[i + 1]!; k++) {
        if (ends[k]![c] === -Infinity) continue;
        if (top < 0) top = k;
        bottom = k;
      }
      if (top < 0) continue;
      const middle = (lines[top]!.y + lines[bottom]!.y) / 2;
      lo = Math.min(lo, middle);
      hi = Math.max(hi, middle);
    }
    if (hi - lo > slack) return false;
  }
  return true;
}

/**
 * Whether a stretch's columns hold running text of similar width (pdf-columns.ts's test of a page set in columns):
 * each with text on {@link MIN_COLUMN_LINES} lines or more, at least half of them reaching its right edge.
 */
function runningText(lines: readonly Line[], ends: readonly number[][], colRight: readonly number[], X: readonly number[]): boolean {
  const nc = colRight.length;
  const widths = Array.from({ length: nc }, (_, c) => colRight[c]! - X[c]!);
  const [narrowest, widest] = extentOf(widths, (w) => w);
  if (narrowest < LAYOUT_COLUMNS.minWidthRatio * widest) return false;
  for (let c = 0; c < nc; c++) {
    let n = 0;
    let full = 0;
    for (let k = 0; k < lines.length; k++) {
      const e = ends[k]![c]!;
      if (e === -Infinity) continue;
      n++;
      if (e >= colRight[c]! - 2.5 * lines[k]!.size) full++;
    }
    if (n < MIN_COLUMN_LINES || full < 0.5 * n) return false;
  }
  const chars = lines.reduce((s, l) => s + l.chars, 0) / Math.max(1, lines.reduce((s, l) => s + l.pieces.length, 0));
  return chars >= LAYOUT_COLUMNS.minLineChars;
}
