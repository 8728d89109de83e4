/**
 * Uneven light on a photographed page, evened out before OCR. Tesseract binarizes a page with one threshold (Otsu's),
 * so the part of a page in a hand's shadow, or far from the window, goes black with its text, or white: a Chromium
 * screenshot of a sample report with its lower right in shadow (45 % of the light) read 0.711 of its characters, one lit
 * from the left and dimmed to 40 % on the right 0.698, against 0.991 evenly lit.
 *
 * The paper's brightness is estimated tile by tile (tiles of {@link TILE} pixels, the 90th percentile of each: the
 * paper between the strokes of the characters and between lines), a tile darker than {@link MIN_PAPER} taken to be ink
 * or a picture and given its neighbours' paper; the estimate is interpolated between tile centres and each pixel
 * divided by it (scaled to white). A page lit evenly (every tile's paper within {@link EVEN} of the brightest) is left
 * exactly as it is, so a scan reads as before.
 */
import type { GreyImage } from './pdf-ocr.js';

/** Side of a tile in pixels: larger than a character at the resolutions read (a character is 30–60 pixels at 300 dpi), smaller than a shadow's edge is long. */
const TILE = 64;
/** Paper darker than this is no paper: a tile covered by ink, a photograph, a black bar. */
const MIN_PAPER = 60;
/** A page whose darkest paper is at least this share of its brightest is evenly lit. */
const EVEN = 0.85;
/** The share of a tile's pixels darker than its paper estimate. */
const PAPER_RANK = 0.9;

/** The paper's brightness of each tile (`cols` × `rows`), or undefined for a tile that is no paper. */
function tilePaper(img: GreyImage, cols: number, rows: number): (number | undefined)[] {
  const out: (number | undefined)[] = new Array(cols * rows);
  const histogram = new Uint32Array(256);
  for (let ty = 0; ty < rows; ty++) {
    for (let tx = 0; tx < cols; tx++) {
      histogram.fill(0);
      const x0 = tx * TILE;
      const y0 = ty * TILE;
      const x1 = Math.min(img.width, x0 + TILE);
      const y1 = Math.min(img.height, y0 + TILE);
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) histogram[img.pixels[y * img.width + x]!]!++;
      const n = (x1 - x0) * (y1 - y0);
      let seen = 0;
      let v = 0;
      for (; v < 255; v++) {
        seen += histogram[v]!;
        if (seen >= n * PAPER_RANK) break;
      }
      out[ty * cols + tx] = v >= MIN_PAPER ? v : undefined;
    }
  }
  return out;
}

/**
 * `img` with its paper made evenly white where the light on it was uneven (a shadow, a gradient), or `img` itself when
 * it was lit evenly, or has too little paper to tell (fewer than a quarter of its tiles).
 */
export function evenLight(img: GreyImage): GreyImage {
  const cols = Math.ceil(img.width / TILE);
  const rows = Math.ceil(img.height / TILE);
  if (cols < 2 || rows < 2) return img;
  const paper = tilePaper(img, cols, rows);
  const known = paper.filter((v): v is number => v !== undefined);
  if (known.length < (cols * rows) / 4) return img;
  const brightest = Math.max(...known);
  const darkest = Math.min(...known);
  if (darkest >= brightest * EVEN) return img;
  // A tile that is no paper takes the mean of its known neighbours, spreading ring by ring (a bounded number of rounds).
  const filled = Float64Array.from(paper, (v) => v ?? NaN);
  for (let round = 0; round < cols + rows && filled.some(Number.isNaN); round++) {
    const next = Float64Array.from(filled);
    for (let ty = 0; ty < rows; ty++) {
      for (let tx = 0; tx < cols; tx++) {
        if (!Number.isNaN(filled[ty * cols + tx]!)) continue;
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const x = tx + dx;
            const y = ty + dy;
            if (x < 0 || y < 0 || x >= cols || y >= rows) continue;
            const v = filled[y * cols + x]!;
            if (!Number.isNaN(v)) {
              sum += v;
              count++;
            }
          }
        }
        if (count > 0) next[ty * cols + tx] = sum / count;
      }
    }
    filled.set(next);
  }
  // Each pixel over the paper interpolated between the four nearest tile centres.
  const out = new Uint8Array(img.pixels.length);
  const at = (tx: number, ty: number): number => filled[Math.min(rows - 1, Math.max(0, ty)) * cols + Math.min(cols - 1, Math.max(0, tx))]!;
  for (let y = 0; y < img.height; y++) {
    const fy = (y + 0.5) / TILE - 0.5;
    const ty = Math.floor(fy);
    const wy = fy - ty;
    for (let x = 0; x < img.width; x++) {
      const fx = (x + 0.5) / TILE - 0.5;
      const tx = Math.floor(fx);
      const wx = fx - tx;
      const p = (at(tx, ty) * (1 - wx) + at(tx + 1, ty) * wx) * (1 - wy) + (at(tx, ty + 1) * (1 - wx) + at(tx + 1, ty + 1) * wx) * wy;
      const i = y * img.width + x;
      out[i] = Math.min(255, Math.round((img.pixels[i]! * 255) / Math.max(1, p)));
    }
  }
  return { width: img.width, height: img.height, pixels: out, box: img.box };
}
