/**
 * Ruled tables of a PDF page, found from the rules drawn on it (the principle of pdfplumber's table finder and Camelot's
 * lattice mode): the page's straight horizontal and vertical strokes and thin filled rectangles, in page units, are
 * snapped onto common lines, joined where they touch, grouped into frames of rules that cross, and each frame's grid
 * cut into cells: the rectangles between consecutive rules, an elementary cell merged with its neighbour where the rule
 * between them is missing (a merged cell). Text runs are then put in the cell their middle falls in.
 *
 * Nothing is guessed from text alone: a page without rules (a borderless table) has no table. A box around the page or
 * a single frame is one cell and no table; an underline or a rule under a letterhead has no vertical rule and no cell.
 * Work is bounded: past {@link MAX_RULES} rules on a page, or a frame with more crossings or cells than a report's
 * table has, the page is read without tables.
 */
import type { PdfTextItem } from './pdf-layout.js';
import { OP, walkOperatorList, type Matrix } from './pdf-operators.js';

/** A straight piece of a rule in page units (origin at the bottom left, as text runs are): `(x0, y0)`–`(x1, y1)`. */
export interface PdfRule {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** One cell of a table: its edges, and the grid row and column it starts at (top left; rows count from the top). */
export interface PdfCell {
  left: number;
  right: number;
  top: number;
  bottom: number;
  row: number;
  col: number;
}

/** A ruled table of a page: its outline, its grid's column edges and its cells in reading order (by row, then left to right). */
export interface PdfTable {
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** The x of each vertical rule of the grid, left to right. */
  columns: number[];
  /** The y of each horizontal rule of the grid, top to bottom. */
  rowEdges: number[];
  cells: PdfCell[];
  /** The cell of each elementary cell of the grid (row by row), or -1 outside every cell. */
  cellAt: Int32Array;
  /**
   * The frame's vertical rules run on past its last (first) horizontal rule, with no rule to close them: a page break
   * cut the table there, and the row it cut is closed at the rules' ends.
   */
  openBottom: boolean;
  openTop: boolean;
}

/** Rules closer than this (in points) across their direction are one rule (pdfplumber's snap_tolerance). */
export const SNAP = 3;
/** Pieces of one rule closer than this along it are joined (pdfplumber's join_tolerance), and rules that come this close cross. */
export const JOIN = 3;
/** A rule shorter than this after joining is no rule (pdfplumber's edge_min_length). */
const MIN_LENGTH = 3;
/** A filled rectangle this thin or thinner is drawn as a rule (Chromium draws each cell border so). */
const MAX_RULE_WIDTH = 4;
/** Most rules read from a page; a page drawn with more (a chart, a crafted file) is read without tables. */
export const MAX_RULES = 20_000;
/**
 * Most rules read from one document, over all its pages (a 台账 of a thousand pages draws a few hundred a page; a page
 * over {@link MAX_RULES} counts in full): past this, later pages are read without looking for tables.
 */
export const MAX_DOCUMENT_RULES = 1_000_000;
/** Most crossings tested in a page's frames, and most elementary cells of one grid. */
const MAX_CROSSING_TESTS = 1_000_000;
const MAX_GRID_CELLS = 50_000;

// pdf.js's path-drawing codes (DrawOPS) and the operators that stroke or fill a path. The OFD reader writes its paths
// (AbbreviatedData) in the same codes, for addPath.
export const DRAW = { moveTo: 0, lineTo: 1, curveTo: 2, quadraticCurveTo: 3, closePath: 4 } as const;
const STROKES = new Set<number>([OP.stroke, OP.closeStroke, OP.fillStroke, OP.eoFillStroke, OP.closeFillStroke, OP.closeEOFillStroke]);
const FILLS = new Set<number>([OP.fill, OP.eoFill]);

/** Nearly horizontal or vertical: the drift across is at most 1% of the length (or half a point). */
function straight(x0: number, y0: number, x1: number, y1: number): boolean {
  const dx = Math.abs(x1 - x0);
  const dy = Math.abs(y1 - y0);
  return Math.min(dx, dy) <= Math.max(0.5, 0.01 * Math.max(dx, dy)) && Math.max(dx, dy) > 0;
}

/**
 * The rules a page draws, from pdf.js's operator list (`page.getOperatorList()`): the straight pieces of stroked paths
 * (whatever their width) and filled rectangles thin enough to be rules, in page units through the current matrix
 * (`cm`, `q`/`Q`, form XObjects). Curves, clipping paths, and fills larger than a rule (shading, a page background)
 * are no rules.
 * Returns undefined when the page draws more than {@link MAX_RULES}.
 */
export function rulesOfOperatorList(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>): PdfRule[] | undefined {
  const rules: PdfRule[] = [];
  let tooMany = false;
  walkOperatorList(fnArray, argsArray, (fn, args, ctm) => {
    if (fn !== OP.constructPath || !Array.isArray(args)) return;
    const paint = args[0];
    const data = Array.isArray(args[1]) ? (args[1] as unknown[])[0] : undefined;
    if (typeof paint !== 'number' || !data || typeof data !== 'object') return;
    const stroked = STROKES.has(paint);
    if (!stroked && !FILLS.has(paint)) return;
    addPath(rules, data as ArrayLike<number>, ctm, stroked);
    if (rules.length > MAX_RULES) {
      tooMany = true;
      return false;
    }
  });
  if (tooMany) return undefined;
  return rules;
}

/**
 * The rules of one path (pdf.js's path data: DrawOPS codes, each followed by its points), through `ctm` into page
 * units, added to `rules`: with `stroked`, its straight pieces; else (filled) each subpath that is a thin upright
 * rectangle. Shared with the OFD reader, whose paths are turned into the same codes.
 */
export function addPath(rules: PdfRule[], data: ArrayLike<number>, ctm: Matrix, stroked: boolean): void {
  const [a, b, c, d, e, f] = ctm;
  let sub: number[] = [];
  let curved = false;
  const endSub = (): void => {
    if (sub.length >= 4) {
      if (stroked) {
        for (let k = 0; k + 3 < sub.length; k += 2) {
          const x0 = sub[k]!, y0 = sub[k + 1]!, x1 = sub[k + 2]!, y1 = sub[k + 3]!;
          if (straight(x0, y0, x1, y1)) rules.push({ x0, y0, x1, y1 });
        }
      } else if (!curved) addThinRectangle(rules, sub);
    }
    sub = [];
    curved = false;
  };
  const n = data.length;
  for (let i = 0; i < n; ) {
    const op = data[i++]!;
    if (op === DRAW.moveTo || op === DRAW.lineTo) {
      if (op === DRAW.moveTo) endSub();
      const x = data[i++]!, y = data[i++]!;
      sub.push(a * x + c * y + e, b * x + d * y + f);
    } else if (op === DRAW.curveTo || op === DRAW.quadraticCurveTo) {
      // Cubic curves carry three points, quadratic ones two.
      i += op === DRAW.curveTo ? 6 : 4;
      // A curve ends the straight run: its end point starts the next piece.
      const x = data[i - 2]!, y = data[i - 1]!;
      if (stroked) endSub();
      else curved = true;
      sub.push(a * x + c * y + e, b * x + d * y + f);
    } else if (op === DRAW.closePath) {
      if (sub.length >= 4) sub.push(sub[0]!, sub[1]!);
      endSub();
    } else {
      break;
    }
  }
  endSub();
}

/** A filled subpath that is an upright rectangle at most {@link MAX_RULE_WIDTH} thick: a rule along its middle. */
function addThinRectangle(rules: PdfRule[], pts: number[]): void {
  // Four corners (a closed path repeats the first as a fifth).
  let m = pts.length / 2;
  if (m === 5 && pts[0] === pts[8] && pts[1] === pts[9]) m = 4;
  if (m !== 4) return;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let k = 0; k < 8; k += 2) {
    x0 = Math.min(x0, pts[k]!);
    x1 = Math.max(x1, pts[k]!);
    y0 = Math.min(y0, pts[k + 1]!);
    y1 = Math.max(y1, pts[k + 1]!);
  }
  // Upright: every corner on the box's edges.
  for (let k = 0; k < 8; k += 2) {
    const onX = Math.abs(pts[k]! - x0) < 0.01 || Math.abs(pts[k]! - x1) < 0.01;
    const onY = Math.abs(pts[k + 1]! - y0) < 0.01 || Math.abs(pts[k + 1]! - y1) < 0.01;
    if (!onX || !onY) return;
  }
  const w = x1 - x0;
  const h = y1 - y0;
  if (Math.min(w, h) > MAX_RULE_WIDTH) return;
  // A dot (Chromium draws a dotted border as a row of small squares) is a piece of a rule either way: the dots of one
  // border join into a rule along it, and the pieces across, each as short as a dot, are dropped.
  const dot = Math.max(w, h) <= MAX_RULE_WIDTH;
  if (w >= h || dot) rules.push({ x0, y0: (y0 + y1) / 2, x1, y1: (y0 + y1) / 2 });
  if (w < h || dot) rules.push({ x0: (x0 + x1) / 2, y0, x1: (x0 + x1) / 2, y1 });
}

/** A joined rule: `at` is its place across (y of a horizontal rule, x of a vertical one), `[from, to]` its extent along. */
interface Edge {
  at: number;
  from: number;
  to: number;
}

/**
 * Snap rules onto common lines (each cluster of places within {@link SNAP} of its first becomes their mean) and join
 * the pieces of each line that touch or nearly touch; pieces shorter than {@link MIN_LENGTH} after joining are dropped.
 * The edges come sorted by place, then by extent.
 */
function snapAndJoin(edges: Edge[]): Edge[] {
  edges.sort((p, q) => p.at - q.at);
  for (let i = 0; i < edges.length; ) {
    let j = i;
    let sum = 0;
    while (j < edges.length && edges[j]!.at - edges[i]!.at <= SNAP) sum += edges[j++]!.at;
    const mean = sum / (j - i);
    for (let k = i; k < j; k++) edges[k]!.at = mean;
    i = j;
  }
  edges.sort((p, q) => p.at - q.at || p.from - q.from);
  const out: Edge[] = [];
  for (const e of edges) {
    const last = out[out.length - 1];
    if (last && last.at === e.at && e.from <= last.to + JOIN) last.to = Math.max(last.to, e.to);
    else out.push({ ...e });
  }
  return out.filter((e) => e.to - e.from >= MIN_LENGTH);
}

class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    const p = this.parent;
    while (p[i] !== i) {
      p[i] = p[p[i]!]!;
      i = p[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** True when one of the sorted, disjoint edges of a line covers `[from, to]` (up to {@link JOIN} short at each end). */
function covers(line: readonly Edge[], from: number, to: number): boolean {
  let lo = 0;
  let hi = line.length - 1;
  // The last edge that starts at or before from + JOIN.
  let found = -1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (line[m]!.from <= from + JOIN) {
      found = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  return found >= 0 && line[found]!.to >= to - JOIN;
}

/**
 * The ruled tables among a page's rules: frames of crossing rules whose grid has at least two cells side by side.
 * Returns [] when the rules make no table or are more than a table is drawn with.
 */
export function findTables(rules: readonly PdfRule[]): PdfTable[] {
  if (rules.length > MAX_RULES) return [];
  const hs: Edge[] = [];
  const vs: Edge[] = [];
  for (const r of rules) {
    if (![r.x0, r.y0, r.x1, r.y1].every(Number.isFinite)) continue;
    const dx = Math.abs(r.x1 - r.x0);
    const dy = Math.abs(r.y1 - r.y0);
    if (!straight(r.x0, r.y0, r.x1, r.y1)) continue;
    if (dx >= dy) hs.push({ at: (r.y0 + r.y1) / 2, from: Math.min(r.x0, r.x1), to: Math.max(r.x0, r.x1) });
    else vs.push({ at: (r.x0 + r.x1) / 2, from: Math.min(r.y0, r.y1), to: Math.max(r.y0, r.y1) });
  }
  const h = snapAndJoin(hs);
  const v = snapAndJoin(vs);
  if (h.length < 1 || v.length < 2) return [];
  // Frames: rules that cross (or come within JOIN of crossing) are one frame. Vertical rules are looked up by place.
  const uf = new UnionFind(h.length + v.length);
  let tests = 0;
  for (let i = 0; i < h.length; i++) {
    const e = h[i]!;
    // The first vertical rule at or right of e.from - JOIN.
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (v[m]!.at < e.from - JOIN) lo = m + 1;
      else hi = m;
    }
    for (let k = lo; k < v.length && v[k]!.at <= e.to + JOIN; k++) {
      if (++tests > MAX_CROSSING_TESTS) return [];
      const w = v[k]!;
      if (w.from - JOIN <= e.at && e.at <= w.to + JOIN) uf.union(i, h.length + k);
    }
  }
  const frames = new Map<number, { h: Edge[]; v: Edge[] }>();
  const frameOf = (i: number): { h: Edge[]; v: Edge[] } => {
    const root = uf.find(i);
    let f = frames.get(root);
    if (!f) frames.set(root, (f = { h: [], v: [] }));
    return f;
  };
  h.forEach((e, i) => frameOf(i).h.push(e));
  v.forEach((e, k) => frameOf(h.length + k).v.push(e));
  const tables: PdfTable[] = [];
  for (const f of frames.values()) {
    // One horizontal rule is enough where the outer vertical rules run on past it: the rest of a row cut by a page
    // break, at the top of the next page, where its producer draws no rule at the cut.
    if (f.h.length < 1 || f.v.length < 2) continue;
    const t = gridOf(f.h, f.v);
    if (t) tables.push(t);
  }
  return tables.sort((p, q) => q.top - p.top || p.left - q.left);
}

/** The table of one frame: its grid cut into cells, merged where an inner rule is missing; undefined when no table. */
function gridOf(h: Edge[], v: Edge[]): PdfTable | undefined {
  const byPlace = (es: Edge[]): { places: number[]; lines: Edge[][] } => {
    const places: number[] = [];
    const lines: Edge[][] = [];
    for (const e of es) {
      if (places.length > 0 && places[places.length - 1] === e.at) lines[lines.length - 1]!.push(e);
      else {
        places.push(e.at);
        lines.push([e]);
      }
    }
    return { places, lines };
  };
  const xs = byPlace(v);
  // A row cut by a page break has no rule at the cut: where both outer vertical rules run on past the last (or first)
  // horizontal rule, the row ends where they end.
  const outer = [xs.lines[0]!, xs.lines[xs.lines.length - 1]!];
  const lowest = Math.max(...outer.map((l) => l[0]!.from));
  const highest = Math.min(...outer.map((l) => l[l.length - 1]!.to));
  const left = xs.places[0]!;
  const right = xs.places[xs.places.length - 1]!;
  const openBottom = lowest < h[0]!.at - SNAP;
  const openTop = highest > h[h.length - 1]!.at + SNAP;
  if (openBottom) h = [{ at: lowest, from: left, to: right }, ...h];
  if (openTop) h = [...h, { at: highest, from: left, to: right }];
  // Rows count from the top: horizontal lines from the highest y down.
  const ysUp = byPlace(h);
  const ys = { places: [...ysUp.places].reverse(), lines: [...ysUp.lines].reverse() };
  const nc = xs.places.length - 1;
  const nr = ys.places.length - 1;
  if (nc < 2 || nr < 1 || nc * nr > MAX_GRID_CELLS) return undefined;
  const X = xs.places;
  const Y = ys.places;
  // Elementary cell (r, c) is r * nc + c; it joins its right or lower neighbour where no rule runs between them.
  const uf = new UnionFind(nr * nc);
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      if (c + 1 < nc && !covers(xs.lines[c + 1]!, Y[r + 1]!, Y[r]!)) uf.union(r * nc + c, r * nc + c + 1);
      if (r + 1 < nr && !covers(ys.lines[r + 1]!, X[c]!, X[c + 1]!)) uf.union(r * nc + c, (r + 1) * nc + c);
    }
  }
  // Each merged region's bounds and size; it is a cell when rectangular and closed on the frame's outline.
  const regions = new Map<number, { r0: number; r1: number; c0: number; c1: number; n: number }>();
  for (let r = 0; r < nr; r++) {
    for (let c = 0; c < nc; c++) {
      const root = uf.find(r * nc + c);
      const g = regions.get(root);
      if (!g) regions.set(root, { r0: r, r1: r, c0: c, c1: c, n: 1 });
      else {
        g.r1 = Math.max(g.r1, r);
        g.c0 = Math.min(g.c0, c);
        g.c1 = Math.max(g.c1, c);
        g.n++;
      }
    }
  }
  const cells: (PdfCell & { root: number })[] = [];
  for (const [root, g] of regions) {
    if (g.n !== (g.r1 - g.r0 + 1) * (g.c1 - g.c0 + 1)) continue;
    const top = Y[g.r0]!;
    const bottom = Y[g.r1 + 1]!;
    const left = X[g.c0]!;
    const right = X[g.c1 + 1]!;
    if (g.c0 === 0 && !covers(xs.lines[0]!, bottom, top)) continue;
    if (g.c1 === nc - 1 && !covers(xs.lines[nc]!, bottom, top)) continue;
    if (g.r0 === 0 && !covers(ys.lines[0]!, left, right)) continue;
    // A cell that goes on on the next page (merged down rows the break parts, or a row the break cuts) is left open at
    // the table's foot, where Chromium draws the border of the cells that end there: it is a cell where the foot is
    // ruled beside it.
    if (g.r1 === nr - 1 && !covers(ys.lines[nr]!, left, right) && !footRuledBeside(ys.lines[nr]!, X[0]!, left, right, X[nc]!)) continue;
    cells.push({ left, right, top, bottom, row: g.r0, col: g.c0, root });
  }
  // A table has two cells side by side somewhere; a single frame, or boxes stacked in one column, is none.
  const perRow = new Map<number, number>();
  for (const c of cells) perRow.set(c.row, (perRow.get(c.row) ?? 0) + 1);
  if (![...perRow.values()].some((k) => k >= 2)) return undefined;
  cells.sort((p, q) => p.row - q.row || p.col - q.col);
  const indexOfRoot = new Map(cells.map((c, i) => [c.root, i]));
  const cellAt = new Int32Array(nr * nc);
  for (let k = 0; k < nr * nc; k++) cellAt[k] = indexOfRoot.get(uf.find(k)) ?? -1;
  return { left: X[0]!, right: X[nc]!, top: Y[0]!, bottom: Y[nr]!, columns: X, rowEdges: Y, cells: cells.map(({ root: _root, ...c }) => c), cellAt, openBottom, openTop };
}

/** True when a rule along the table's foot runs beside `[left, right]`, within `[from, to]`: the foot is drawn. */
function footRuledBeside(foot: readonly Edge[], from: number, left: number, right: number, to: number): boolean {
  return foot.some((e) => e.to - e.from > SNAP && ((e.to <= left + SNAP && e.from >= from - SNAP) || (e.from >= right - SNAP && e.to <= to + SNAP)));
}

/** The last index `i` with `f(i)` true over `0..n-1` for a predicate true on a prefix (-1 when none). */
function lastTrue(n: number, f: (i: number) => boolean): number {
  let lo = 0;
  let hi = n - 1;
  let found = -1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    if (f(m)) {
      found = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  return found;
}

/**
 * The index of the cell of `table` a text run belongs to (by its middle: half way along it, a third of its size above
 * its baseline), or -1.
 */
export function cellOf(table: PdfTable, it: PdfTextItem): number {
  return cellAt(table, it.x + it.width / 2, it.y + it.height / 3);
}

/** The index of the cell of `table` that holds the point `(x, y)`, or -1. */
export function cellAt(table: PdfTable, x: number, y: number): number {
  if (!(x > table.left && x < table.right && y < table.top && y > table.bottom)) return -1;
  const X = table.columns;
  const Y = table.rowEdges;
  const c = lastTrue(X.length - 1, (i) => X[i]! < x);
  const r = lastTrue(Y.length - 1, (i) => Y[i]! > y);
  if (c < 0 || r < 0) return -1;
  return table.cellAt[r * (X.length - 1) + c]!;
}
