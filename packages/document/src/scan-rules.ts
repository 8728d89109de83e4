/**
 * The rules of a table as a scan shows them: long straight runs of dark pixels in the upright grey image that OCR
 * reads (pdf-ocr.ts). A ruled 整改台账 printed and scanned has lost its drawing; its cell borders are only pixels, and
 * tesseract reads its lines across the cells (one line holds a line of every cell beside it, and a border now and
 * then as `|`). Found here, the rules go to the page as drawn rules go (`PdfPageText.rules`, read by pdf-tables.ts),
 * and tesseract's lines are cut where a vertical rule crosses them.
 *
 * - A run is a stretch of dark pixels (grey below {@link DARK}) along one pixel row (horizontal) or column (vertical),
 *   bridging gaps of up to {@link MAX_BREAK} pixels (a scan's broken line), at least {@link MIN_SHARE} of the image's
 *   width (or height) long and never shorter than {@link MIN_RUN} pixels. Text never makes such a run: a character's
 *   strokes are a character wide.
 * - Runs of neighbouring rows (columns) that overlap along their length are one rule. Its thickness is its ink over its
 *   length: a rule thicker than {@link maxThickness} (a filled area, a black bar, a photo) is no rule. A page scanned
 *   a little askew draws a rule as a staircase of runs: the rows it spans may exceed its thickness by up to
 *   {@link MAX_SKEW} of its length (about 1.2°); it is erased run by run, and placed where its runs are on average.
 * - The cost is linear in the pixels: one pass, row by row, that carries the run of every column along with it.
 */
import type { GreyImage } from './pdf-ocr.js';
import type { PdfRule } from './pdf-tables.js';

/** Grey values below this are ink. */
export const DARK = 128;
/** Light pixels within a run that do not break it (a scanned line's breaks and specks). */
export const MAX_BREAK = 2;
/** A rule runs along at least this share of the image's width (horizontal) or height (vertical). */
export const MIN_SHARE = 1 / 20;
/** Shortest rule, in pixels, whatever the image. */
export const MIN_RUN = 24;
/** Most rules kept from one image; an image with more (a chart, hatching, a crafted image) gives none. */
export const MAX_SCAN_RULES = 2_000;

/** Drift across a rule over its length allowed for a page scanned askew (tan 1.2°). */
export const MAX_SKEW = 0.021;

/** A rule in image pixels: along its length `from`–`to` (exclusive), across it `at0`–`at1` (exclusive). */
export interface PixelRule {
  from: number;
  to: number;
  at0: number;
  at1: number;
  /** Its runs: the row (column) each is on and its extent along it; none given, the whole box. */
  runs?: [number, number, number][];
}

/** The rules of a scan, in pixels: horizontal ones (along x, across y) and vertical ones (along y, across x). */
export interface ScanRules {
  horizontal: PixelRule[];
  vertical: PixelRule[];
}

/** Thickest rule, in pixels, of an image of this size: 1/250 of its shorter side (2.5 pt on A4), 4 at least. */
export function maxThickness(width: number, height: number): number {
  return Math.max(4, Math.ceil(Math.min(width, height) / 250));
}

interface Open {
  rule: PixelRule & { runs: [number, number, number][] };
  /** Dark run length summed over its rows (columns). */
  ink: number;
  /** The last row (column) the rule was seen on. */
  last: number;
}

/**
 * Join the runs of one row (column) `at` to the open rules of the rows before: a run overlapping an open rule over half
 * the shorter of the two continues it. Rules not continued are closed into `done` (thin enough) or dropped.
 */
function joinRuns(runs: readonly [number, number][], at: number, open: Open[], done: PixelRule[], thick: number): Open[] {
  const next: Open[] = [];
  const used = new Set<Open>();
  for (const [from, to] of runs) {
    let match: Open | undefined;
    for (const o of open) {
      if (used.has(o)) continue;
      const overlap = Math.min(to, o.rule.to) - Math.max(from, o.rule.from);
      if (overlap > 0.5 * Math.min(to - from, o.rule.to - o.rule.from)) {
        match = o;
        break;
      }
    }
    if (match) {
      used.add(match);
      const r = match.rule;
      r.runs.push([at, from, to]);
      next.push({ rule: { from: Math.min(r.from, from), to: Math.max(r.to, to), at0: r.at0, at1: at + 1, runs: r.runs }, ink: match.ink + (to - from), last: at });
    } else next.push({ rule: { from, to, at0: at, at1: at + 1, runs: [[at, from, to]] }, ink: to - from, last: at });
  }
  for (const o of open) if (!used.has(o)) close(o, done, thick);
  return next;
}

/** Keep a rule as thin as a rule (its ink over its length) whose drift across is no more than skew allows. */
function close(o: Open, done: PixelRule[], thick: number): void {
  const { rule } = o;
  const length = rule.to - rule.from;
  if (o.ink <= thick * length && rule.at1 - rule.at0 <= thick + MAX_SKEW * length) done.push(rule);
}

/**
 * The horizontal and vertical rules of a grey image (one byte a pixel, 0 black). Undefined when the image has more
 * than {@link MAX_SCAN_RULES} (hatching, a chart, noise): its tables are not looked for.
 */
export function findScanRules(img: Pick<GreyImage, 'width' | 'height' | 'pixels'>): ScanRules | undefined {
  const { width: w, height: h, pixels } = img;
  if (!(w > 0 && h > 0) || pixels.length < w * h) return { horizontal: [], vertical: [] };
  const thick = maxThickness(w, h);
  const minH = Math.max(MIN_RUN, Math.ceil(w * MIN_SHARE));
  const minV = Math.max(MIN_RUN, Math.ceil(h * MIN_SHARE));
  const horizontal: PixelRule[] = [];
  const vertical: PixelRule[] = [];
  // Per column: where its current dark run started (-1: none), where its ink was last seen.
  const vStart = new Int32Array(w).fill(-1);
  const vLast = new Int32Array(w).fill(-1);
  // Vertical runs ended, by the column they are in, waiting to be joined column by column at the end.
  const vRuns: [number, number, number][] = [];
  let openH: Open[] = [];
  let count = 0;
  const endColumnRun = (x: number): void => {
    if (vStart[x]! >= 0 && vLast[x]! + 1 - vStart[x]! >= minV) vRuns.push([x, vStart[x]!, vLast[x]! + 1]);
    vStart[x] = -1;
  };
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const runs: [number, number][] = [];
    let start = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (pixels[row + x]! < DARK) {
        if (start < 0 || x - last - 1 > MAX_BREAK) {
          if (start >= 0 && last + 1 - start >= minH) runs.push([start, last + 1]);
          start = x;
        }
        last = x;
        if (vStart[x]! < 0 || y - vLast[x]! - 1 > MAX_BREAK) {
          endColumnRun(x);
          vStart[x] = y;
        }
        vLast[x] = y;
      }
    }
    if (start >= 0 && last + 1 - start >= minH) runs.push([start, last + 1]);
    openH = joinRuns(runs, y, openH, horizontal, thick);
    count += runs.length;
    if (count > 50 * MAX_SCAN_RULES) return undefined;
  }
  for (const o of openH) close(o, horizontal, thick);
  for (let x = 0; x < w; x++) endColumnRun(x);
  if (vRuns.length > 50 * MAX_SCAN_RULES) return undefined;
  // The vertical runs column by column (vRuns holds them by the row they ended on), then joined as rows' runs are.
  vRuns.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let openV: Open[] = [];
  for (let i = 0; i < vRuns.length; ) {
    const x = vRuns[i]![0];
    const runs: [number, number][] = [];
    while (i < vRuns.length && vRuns[i]![0] === x) {
      runs.push([vRuns[i]![1], vRuns[i]![2]]);
      i++;
    }
    // Open rules not seen on the column before are closed first: a rule is columns next to each other.
    const kept = openV.filter((o) => o.last === x - 1);
    for (const o of openV) if (o.last !== x - 1) close(o, vertical, thick);
    openV = joinRuns(runs, x, kept, vertical, thick);
  }
  for (const o of openV) close(o, vertical, thick);
  if (horizontal.length + vertical.length > MAX_SCAN_RULES) return undefined;
  horizontal.sort((a, b) => a.at0 - b.at0 || a.from - b.from);
  vertical.sort((a, b) => a.at0 - b.at0 || a.from - b.from);
  return { horizontal, vertical };
}

/** True when a horizontal and a vertical rule meet (cross or touch, within `slack` pixels). */
function meet(hr: PixelRule, vr: PixelRule, slack: number): boolean {
  return vr.at0 - slack < hr.to && vr.at1 + slack > hr.from && hr.at0 - slack < vr.to && hr.at1 + slack > vr.from;
}

/**
 * The rules that meet a rule of the other direction: a table's borders. A rule on its own (an underline, a dash, the
 * red line under a letterhead) is left out.
 */
export function framedRules(rules: ScanRules, slack = 2 * MAX_BREAK + 1): ScanRules {
  const horizontal = rules.horizontal.filter((hr) => rules.vertical.some((vr) => meet(hr, vr, slack)));
  const vertical = rules.vertical.filter((vr) => rules.horizontal.some((hr) => meet(hr, vr, slack)));
  return { horizontal, vertical };
}

/**
 * A copy of the image with the rules' pixels (and one pixel either side) made white: tesseract then reads the cells'
 * text without the borders (which it reads as `|`, or which hide a line of text next to them).
 */
export function eraseRules(img: GreyImage, rules: ScanRules): GreyImage {
  const { width: w, height: h } = img;
  const pixels = new Uint8Array(img.pixels);
  for (const r of rules.horizontal) {
    for (const [at, from, to] of r.runs ?? rowsOf(r)) {
      for (let y = Math.max(0, at - 1); y < Math.min(h, at + 2); y++) pixels.fill(255, y * w + Math.max(0, from), y * w + Math.min(w, to));
    }
  }
  for (const r of rules.vertical) {
    for (const [at, from, to] of r.runs ?? rowsOf(r)) {
      for (let y = Math.max(0, from); y < Math.min(h, to); y++) pixels.fill(255, y * w + Math.max(0, at - 1), y * w + Math.min(w, at + 2));
    }
  }
  return { ...img, pixels };
}

/** A rule given without its runs: a run on each row (column) of its box. */
function rowsOf(r: PixelRule): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let at = r.at0; at < r.at1; at++) out.push([at, r.from, r.to]);
  return out;
}

/** Where a rule lies across its length, on average over its runs (weighted by their length): a pixel's middle. */
export function centreOf(r: PixelRule): number {
  if (!r.runs || r.runs.length === 0) return (r.at0 + r.at1) / 2;
  let sum = 0;
  let len = 0;
  for (const [at, from, to] of r.runs) {
    sum += (at + 0.5) * (to - from);
    len += to - from;
  }
  return len > 0 ? sum / len : (r.at0 + r.at1) / 2;
}

/** Where a rule lies across its length at `along` (a skewed rule drifts): its runs' there, else its centre. */
export function crossingAt(r: PixelRule, along: number): number {
  if (!r.runs) return (r.at0 + r.at1) / 2;
  let sum = 0;
  let n = 0;
  for (const [at, from, to] of r.runs) {
    if (from <= along && along < to) {
      sum += at + 0.5;
      n++;
    }
  }
  return n > 0 ? sum / n : centreOf(r);
}

/**
 * The rules in page units (y up), through the same box the OCR's items are placed by: each where its runs are on
 * average. A rule that meets another (at their real crossing) reaches at least to where that one is on average, so
 * that the straight rules of a grid scanned askew still cross at its corners.
 */
export function pageRules(rules: ScanRules, image: Pick<GreyImage, 'width' | 'height' | 'box'>, pageHeight: number): PdfRule[] {
  const [bx0, by0, bx1, by1] = image.box;
  const sx = (bx1 - bx0) / image.width;
  const sy = (by1 - by0) / image.height;
  const slack = 2 * MAX_BREAK + 1;
  const hMid = rules.horizontal.map(centreOf);
  const vMid = rules.vertical.map(centreOf);
  const hEnds = rules.horizontal.map((r) => [r.from, r.to]);
  const vEnds = rules.vertical.map((r) => [r.from, r.to]);
  // (At most MAX_SCAN_RULES² / 4 pairs.)
  rules.horizontal.forEach((h, i) => {
    rules.vertical.forEach((v, j) => {
      const x = crossingAt(v, hMid[i]!);
      const y = crossingAt(h, vMid[j]!);
      if (x < h.from - slack || x > h.to + slack || y < v.from - slack || y > v.to + slack) return;
      hEnds[i] = [Math.min(hEnds[i]![0]!, vMid[j]!), Math.max(hEnds[i]![1]!, vMid[j]!)];
      vEnds[j] = [Math.min(vEnds[j]![0]!, hMid[i]!), Math.max(vEnds[j]![1]!, hMid[i]!)];
    });
  });
  const out: PdfRule[] = [];
  rules.horizontal.forEach((_, i) => {
    const y = pageHeight - (by0 + hMid[i]! * sy);
    out.push({ x0: bx0 + hEnds[i]![0]! * sx, y0: y, x1: bx0 + hEnds[i]![1]! * sx, y1: y });
  });
  rules.vertical.forEach((_, j) => {
    const x = bx0 + vMid[j]! * sx;
    out.push({ x0: x, y0: pageHeight - (by0 + vEnds[j]![1]! * sy), x1: x, y1: pageHeight - (by0 + vEnds[j]![0]! * sy) });
  });
  return out;
}
