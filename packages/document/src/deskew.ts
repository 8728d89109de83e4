/**
 * Skew of a scanned or photographed page, and the page turned straight, before OCR. Tesseract does not correct skew
 * itself (its line finder follows a slant a little, then cuts lines and runs them together: a Chromium screenshot of a
 * sample report turned 2° read 0.944 of its characters, turned 5° 0.802, against 0.991 straight), while scanners feed
 * pages a degree or two askew and phones hold them at any small angle.
 *
 * The angle is found by projection profiles: the ink of a page of text lines, projected along the lines' direction, is
 * concentrated in the lines and absent between them, so the sum of the squared counts of its rows is largest at the
 * angle the lines run at. It is searched from −{@link MAX_SKEW}° to +{@link MAX_SKEW}° in steps of a half degree, then
 * a tenth around the best, on the page's ink pixels (dark ones of a copy at most {@link PROFILE_WIDTH} pixels wide,
 * at most {@link MAX_INK} of them, sampled evenly). A page whose best angle does not beat the straight reading by
 * {@link MIN_GAIN} (a photograph, a blank page, a page of one line) is left as it is.
 */
import type { GreyImage } from './pdf-ocr.js';
import { DARK } from './scan-rules.js';

/** Largest skew looked for, in degrees: a page set more askew is a photograph at an angle OCR is not meant for. */
export const MAX_SKEW = 10;
/** Smallest skew corrected, in degrees: below it, tesseract reads a page as well as straight. */
export const MIN_SKEW = 0.3;
/** Width in pixels of the copy whose ink is profiled. */
const PROFILE_WIDTH = 800;
/** Most ink pixels profiled. */
const MAX_INK = 150_000;
/** How much more concentrated the best angle's profile must be than the straight one's. */
const MIN_GAIN = 1.05;

/** The ink pixels of a reduced copy of `img` (box minimum, so thin strokes stay), as x and y in the copy. */
function inkOf(img: GreyImage): { xs: Float64Array; ys: Float64Array; height: number } {
  const f = Math.max(1, Math.ceil(img.width / PROFILE_WIDTH));
  const w = Math.floor(img.width / f);
  const h = Math.floor(img.height / f);
  let count = 0;
  const dark = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let min = 255;
      for (let dy = 0; dy < f && min >= DARK; dy++) {
        const row = (y * f + dy) * img.width + x * f;
        for (let dx = 0; dx < f; dx++) {
          const v = img.pixels[row + dx]!;
          if (v < min) min = v;
        }
      }
      if (min < DARK) {
        dark[y * w + x] = 1;
        count++;
      }
    }
  }
  const step = Math.max(1, Math.ceil(count / MAX_INK));
  const n = Math.ceil(count / step);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let k = 0;
  let seen = 0;
  for (let i = 0; i < dark.length && k < n; i++) {
    if (dark[i] === 0) continue;
    if (seen++ % step === 0) {
      xs[k] = i % w;
      ys[k] = Math.floor(i / w);
      k++;
    }
  }
  return { xs: xs.subarray(0, k), ys: ys.subarray(0, k), height: h };
}

/** How concentrated the ink's rows are when the lines run at `degrees` (y down, clockwise positive). */
function concentration(xs: Float64Array, ys: Float64Array, degrees: number, rows: Float64Array, width: number): number {
  rows.fill(0);
  const t = Math.tan((degrees * Math.PI) / 180);
  // The row each pixel lies on, measured along the slant; the offset keeps every row index positive.
  const offset = Math.abs(t) * width;
  for (let i = 0; i < xs.length; i++) {
    const r = Math.floor(ys[i]! - xs[i]! * t + offset);
    if (r >= 0 && r < rows.length) rows[r]!++;
  }
  let sum = 0;
  for (let r = 0; r < rows.length; r++) sum += rows[r]! * rows[r]!;
  return sum;
}

/**
 * The angle in degrees at which the text lines of `img` run (y down, so a positive angle runs down to the right, a
 * page turned clockwise), 0 when no angle clearly beats the straight reading. Turning the image by minus this angle
 * ({@link rotateGrey}) sets its lines straight.
 */
export function skewAngle(img: GreyImage): number {
  if (img.width < 32 || img.height < 32) return 0;
  const { xs, ys, height } = inkOf(img);
  if (xs.length < 200) return 0;
  const width = Math.floor(img.width / Math.max(1, Math.ceil(img.width / PROFILE_WIDTH)));
  const rows = new Float64Array(height + 2 * Math.ceil(Math.tan((MAX_SKEW * Math.PI) / 180) * width) + 2);
  const straight = concentration(xs, ys, 0, rows, width);
  let best = 0;
  let bestScore = straight;
  for (let a = -MAX_SKEW; a <= MAX_SKEW + 1e-9; a += 0.5) {
    const s = concentration(xs, ys, a, rows, width);
    if (s > bestScore) {
      best = a;
      bestScore = s;
    }
  }
  const coarse = best;
  for (let a = coarse - 0.5; a <= coarse + 0.5 + 1e-9; a += 0.1) {
    const s = concentration(xs, ys, a, rows, width);
    if (s > bestScore) {
      best = a;
      bestScore = s;
    }
  }
  if (bestScore < straight * MIN_GAIN || Math.abs(best) < MIN_SKEW) return 0;
  return Math.round(best * 10) / 10;
}

/**
 * `img` turned by `degrees` about its centre (y down: positive turns it clockwise), at its own size and over the same
 * box of the page, what comes in from outside it white; bilinear.
 */
export function rotateGrey(img: GreyImage, degrees: number): GreyImage {
  const { width: w, height: h, pixels } = img;
  const out = new Uint8Array(w * h);
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  for (let y = 0; y < h; y++) {
    const dy = y - cy;
    for (let x = 0; x < w; x++) {
      const dx = x - cx;
      // The source of output pixel (x, y): turned back by the angle.
      const sx = cos * dx + sin * dy + cx;
      const sy = -sin * dx + cos * dy + cy;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out[y * w + x] = 255;
        continue;
      }
      const fx = sx - x0;
      const fy = sy - y0;
      const i = y0 * w + x0;
      const top = pixels[i]! * (1 - fx) + pixels[i + 1]! * fx;
      const bottom = pixels[i + w]! * (1 - fx) + pixels[i + w + 1]! * fx;
      out[y * w + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: w, height: h, pixels: out, box: img.box };
}
