// The rules of a table found in a scan's pixels (scan-rules.ts), on synthetic grey images: no tesseract.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findTables } from '../src/pdf-tables.js';
import { eraseRules, findScanRules, framedRules, maxThickness, MAX_SCAN_RULES, MAX_SKEW, MIN_RUN, MIN_SHARE, pageRules, type PixelRule } from '../src/scan-rules.js';
import type { GreyImage } from '../src/pdf-ocr.js';

/** A white image of `w` × `h` pixels. */
function blank(w: number, h: number): GreyImage {
  return { width: w, height: h, pixels: new Uint8Array(w * h).fill(255), box: [0, 0, w, h] };
}
function fillRect(img: GreyImage, x0: number, y0: number, x1: number, y1: number, v = 0): void {
  for (let y = y0; y < y1; y++) img.pixels.fill(v, y * img.width + x0, y * img.width + x1);
}
/** A grid of `cols` × `rows` cells, `t` pixels thick, inside (x0, y0)–(x1, y1). */
function grid(img: GreyImage, xs: number[], ys: number[], t: number): void {
  for (const y of ys) fillRect(img, xs[0]!, y, xs[xs.length - 1]! + t, y + t);
  for (const x of xs) fillRect(img, x, ys[0]!, x + t, ys[ys.length - 1]! + t);
}
const centres = (rs: PixelRule[]): number[] => rs.map((r) => (r.at0 + r.at1) / 2);

describe('rules found in a scan', () => {
  const xs = [100, 250, 500, 700];
  const ys = [200, 300, 420, 560];
  it('finds the borders of a ruled table, of their thickness and length, and nothing in text-like strokes', () => {
    const img = blank(800, 1000);
    grid(img, xs, ys, 3);
    // "Characters": short strokes of a character's size in the cells and below the table.
    for (let k = 0; k < 30; k++) fillRect(img, 110 + 25 * (k % 20), 230 + 20 * Math.floor(k / 20), 130 + 25 * (k % 20), 233 + 20 * Math.floor(k / 20));
    for (let x = 100; x < 700; x += 30) fillRect(img, x, 800, x + 24, 820);
    const rules = findScanRules(img)!;
    expect(centres(rules.horizontal)).toEqual(ys.map((y) => y + 1.5));
    expect(centres(rules.vertical)).toEqual(xs.map((x) => x + 1.5));
    expect(rules.horizontal.every((r) => r.from === 100 && r.to === 703 && r.at1 - r.at0 === 3)).toBe(true);
    expect(rules.vertical.every((r) => r.from === 200 && r.to === 563)).toBe(true);
  });

  it('bridges a broken line (gaps of two pixels), and takes no filled area, short line or lone underline as a border', () => {
    const img = blank(800, 1000);
    grid(img, xs, ys, 2);
    // Breaks of 1–2 pixels in the top border, as a scanner leaves them.
    for (const x of [150, 300, 301, 600]) fillRect(img, x, 200, x + 1, 202, 255);
    // A black bar 40 pixels thick, a short dash, and an underline with no vertical rule near it.
    fillRect(img, 100, 700, 700, 740);
    fillRect(img, 100, 800, 100 + MIN_RUN - 1, 802);
    fillRect(img, 100, 900, 600, 902);
    const found = findScanRules(img)!;
    expect(centres(found.horizontal)).toEqual([...ys.map((y) => y + 1), 901]);
    expect(found.horizontal[0]).toMatchObject({ from: 100, to: 702 });
    const framed = framedRules(found);
    expect(centres(framed.horizontal)).toEqual(ys.map((y) => y + 1));
    expect(centres(framed.vertical)).toEqual(xs.map((x) => x + 1));
  });

  it('maps the rules to page units through the image box, so that pdf-tables reads the grid', () => {
    const img = blank(800, 1000);
    grid(img, xs, ys, 3);
    // The image covers an 80 × 100 point box at (10, 20) of a 200-point-high page (device y down).
    img.box = [10, 20, 90, 120];
    const rules = pageRules(findScanRules(img)!, img, 200);
    expect(rules[0]).toEqual({ x0: 20, y0: 200 - (20 + 20.15), x1: 80.3, y1: 200 - (20 + 20.15) });
    const tables = findTables(rules);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.cells).toHaveLength(9);
  });

  it('finds the borders of a table scanned askew (0.5°, 1°): staircases of runs, placed where they are on average and erased run by run', () => {
    for (const deg of [0.5, 1]) {
      const t = Math.tan((deg * Math.PI) / 180);
      const img = blank(800, 1000);
      // The grid turned about (100, 200): a point (x, y) of the upright grid drawn at (x − (y − 200)·t, y + (x − 100)·t).
      const put = (x: number, y: number): void => {
        const X = Math.round(x - (y - 200) * t);
        const Y = Math.round(y + (x - 100) * t);
        if (X >= 0 && X < 800 && Y >= 0 && Y < 1000) img.pixels[Y * 800 + X] = 0;
      };
      for (const y of ys) for (let x = xs[0]!; x < xs[xs.length - 1]! + 3; x++) for (let d = 0; d < 3; d++) put(x, y + d);
      for (const x of xs) for (let y = ys[0]!; y < ys[ys.length - 1]! + 3; y++) for (let d = 0; d < 3; d++) put(x + d, y);
      const found = framedRules(findScanRules(img)!);
      expect(found.horizontal).toHaveLength(ys.length);
      expect(found.vertical).toHaveLength(xs.length);
      // On average where the turned grid's rules are (a horizontal rule's middle is half its length further down).
      found.horizontal.forEach((r, i) => expect(Math.abs((r.at0 + r.at1) / 2 - (ys[i]! + 1.5 + ((xs[3]! - xs[0]!) / 2) * t))).toBeLessThan(3));
      const tables = findTables(pageRules(found, img, 1000));
      expect(tables).toHaveLength(1);
      expect(tables[0]!.cells).toHaveLength(9);
      // Erased run by run: nothing of the grid is left, and a character beside a rule is kept.
      expect(eraseRules(img, found).pixels.every((v) => v === 255)).toBe(true);
    }
  });

  it('erases the borders and only them', () => {
    const img = blank(800, 1000);
    grid(img, xs, ys, 3);
    fillRect(img, 300, 350, 320, 370);
    const erased = eraseRules(img, framedRules(findScanRules(img)!));
    const dark = (g: GreyImage): number => g.pixels.reduce((n, v) => n + (v < 128 ? 1 : 0), 0);
    expect(dark(erased)).toBe(400);
    // The image given is left as it was.
    expect(dark(img)).toBeGreaterThan(400);
  });

  it('gives up on an image of more rules than a page of tables draws (hatching)', () => {
    const img = blank(400, 4 * MAX_SCAN_RULES + 100);
    for (let y = 0; y < img.height - 4; y += 4) fillRect(img, 0, y, 400, y + 1);
    expect(findScanRules(img)).toBeUndefined();
  });

  it('on any image: rules inside it, long enough and thin enough, their page rules finite; never more than the bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { maxLength: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (w, h, rects, seed) => {
          const img = blank(w, h);
          let s = seed;
          // Speckle: a pixel in seven dark.
          for (let i = 0; i < img.pixels.length; i++) {
            s = (s * 1103515245 + 12345) & 0x7fffffff;
            if (s % 7 === 0) img.pixels[i] = 0;
          }
          for (const [a, b, c, d, light] of rects) fillRect(img, a % w, b % h, Math.min(w, (a % w) + (c % w)), Math.min(h, (b % h) + (d % h)), light ? 255 : 0);
          const found = findScanRules(img);
          if (!found) return;
          expect(found.horizontal.length + found.vertical.length).toBeLessThanOrEqual(MAX_SCAN_RULES);
          expect(pageRules(found, img, h).every((r) => [r.x0, r.y0, r.x1, r.y1].every(Number.isFinite))).toBe(true);
          const thick = maxThickness(w, h);
          for (const [rs, along, across] of [
            [found.horizontal, w, h],
            [found.vertical, h, w],
          ] as const) {
            for (const r of rs) {
              expect(r.from).toBeGreaterThanOrEqual(0);
              expect(r.to).toBeLessThanOrEqual(along);
              expect(r.to - r.from).toBeGreaterThanOrEqual(Math.max(MIN_RUN, Math.ceil(along * MIN_SHARE)));
              expect(r.at0).toBeGreaterThanOrEqual(0);
              expect(r.at1).toBeLessThanOrEqual(across);
              // As thin as a rule (its ink over its length), drifting across no more than a page scanned askew.
              expect(r.at1 - r.at0).toBeLessThanOrEqual(thick + MAX_SKEW * (r.to - r.from));
              expect((r.runs ?? []).reduce((n, [, a, b]) => n + (b - a), 0)).toBeLessThanOrEqual(thick * (r.to - r.from));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
