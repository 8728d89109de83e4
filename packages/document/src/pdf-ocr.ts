// OCR of the pages of a PDF that have no text layer (scans): their images are taken from pdf.js's operator list,
// turned upright and grey, handed to tesseract.js (WASM, in a worker thread of its own) with the Simplified Chinese
// model of @tesseract.js-data/chi_sim, and its lines come back as positioned text items for layoutPdf.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { PdfPageText, PdfTextItem } from './pdf-layout.js';
import { compose, IDENTITY, OP, walkOperatorList, type Matrix } from './pdf-operators.js';
import type { PdfRule } from './pdf-tables.js';
import { crossingAt, DARK, eraseRules, findScanRules, framedRules, pageRules, type PixelRule } from './scan-rules.js';
import { rotateGrey, skewAngle } from './deskew.js';
import { evenLight } from './page-light.js';

/** Most pixels handed to tesseract for one page (over all its images): larger images are scaled down (16 M: A4 at 400 dpi). */
export const MAX_OCR_PIXELS = 16_000_000;
/** Largest image pdf.js decodes at all, in pixels (`maxImageSize`): a larger one is dropped before it costs memory (A4 at 600 dpi is 35 M). */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Most images of one page that are read by OCR (the largest ones); a scan draws one, a few strips at most. */
export const MAX_OCR_IMAGES = 16;
/** An image smaller than this on either side (a rule, a dot, a logo) is not read by OCR. */
export const MIN_OCR_SIDE = 32;
/** The tesseract model used: `4.0.0_best_int` (1.7 MB, integer LSTM) read the samples better and faster than `4.0.0` (20 MB). */
const MODEL = '4.0.0_best_int';

/** An image a page paints: its object name (decoded pixels in `page.objs`/`commonObjs`) or inline data, and the matrix that maps the unit square onto the page. */
export interface PaintedImage {
  name?: string;
  inline?: PdfImageData;
  mask: boolean;
  ctm: Matrix;
  width: number;
  height: number;
}

/** Decoded pixels as pdf.js hands them to a canvas: `kind` 1 = 1 bit grey (1 white), 2 = RGB, 3 = RGBA; for masks, 1 bit (0 painted). */
export interface PdfImageData {
  width: number;
  height: number;
  kind?: number;
  data?: Uint8Array | Uint8ClampedArray;
}

/** The images a page's operator list paints (image XObjects, inline images, image masks), with their placement, in drawing order. */
export function imagesOfOperatorList(fnArray: ArrayLike<number>, argsArray: ArrayLike<unknown>): PaintedImage[] {
  const images: PaintedImage[] = [];
  walkOperatorList(fnArray, argsArray, (fn, args, ctm) => {
    switch (fn) {
      // (paintImageXObjectRepeat and the Group variants draw one small image many times: tiles and glyphs, not scans.)
      case OP.paintImageXObject: {
        if (!Array.isArray(args) || typeof args[0] !== 'string') break;
        images.push({ name: args[0], mask: false, ctm, width: Number(args[1]), height: Number(args[2]) });
        break;
      }
      case OP.paintInlineImageXObject:
      case OP.paintImageMaskXObject: {
        const img = Array.isArray(args) ? (args[0] as (Omit<PdfImageData, 'data'> & { data?: unknown }) | undefined) : undefined;
        if (!img || typeof img !== 'object') break;
        // pdf.js 5 hands an image mask over by the name of its decoded bits in the page's objects (`data: 'mask_p0_1'`).
        const source = typeof img.data === 'string' ? { name: img.data } : { inline: img as PdfImageData };
        images.push({ ...source, mask: fn === OP.paintImageMaskXObject, ctm, width: Number(img.width), height: Number(img.height) });
        break;
      }
    }
  });
  return images;
}

/** An upright grey image (one byte a pixel, 0 black) and the box of the page (device space, y down) it covers. */
export interface GreyImage {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Device-space box [x0, y0, x1, y1] (viewport units, y down) that the upright image covers. */
  box: [number, number, number, number];
}

/** Grey value (0–255) of source pixel (x, y). */
function greyReader(img: PdfImageData, mask: boolean): ((x: number, y: number) => number) | undefined {
  const { width, data } = img;
  if (!data) return undefined;
  if (mask) {
    // An image mask, as pdf.js hands it over (its /Decode applied): a 0 bit paints the fill colour (read as black,
    // whatever the colour), a 1 bit leaves the paper.
    const stride = (width + 7) >> 3;
    return (x, y) => ((data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0);
  }
  switch (img.kind) {
    case 1: {
      const stride = (width + 7) >> 3;
      return (x, y) => ((data[y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 255 : 0);
    }
    case 2:
      return (x, y) => {
        const j = (y * width + x) * 3;
        return (data[j]! * 299 + data[j + 1]! * 587 + data[j + 2]! * 114) / 1000;
      };
    case 3:
      return (x, y) => {
        const j = (y * width + x) * 4;
        // Transparent pixels are the white of the paper.
        const a = data[j + 3]! / 255;
        return ((data[j]! * 299 + data[j + 1]! * 587 + data[j + 2]! * 114) / 1000) * a + 255 * (1 - a);
      };
    default:
      return undefined;
  }
}

/**
 * The image drawn upright as the page is shown (its `/Rotate` and the image's matrix), grey, scaled down by a whole
 * factor (box average) so that it has at most `maxPixels` pixels. `device` maps PDF user space to the viewport (y
 * down): `page.getViewport({ scale: 1 }).transform`. Undefined for an image without usable pixels.
 */
export function uprightGrey(img: PdfImageData, mask: boolean, ctm: Matrix, device: readonly number[], maxPixels: number): GreyImage | undefined {
  const { width: w, height: h } = img;
  if (!(w > 0 && h > 0) || !Number.isSafeInteger(w) || !Number.isSafeInteger(h)) return undefined;
  const expected = mask || img.kind === 1 ? ((w + 7) >> 3) * h : w * h * (img.kind === 3 ? 4 : 3);
  if (!img.data || img.data.length < expected) return undefined;
  const read = greyReader(img, mask);
  if (!read) return undefined;
  const [a, b, c, d, e, f] = composeDevice(ctm, device);
  // A matrix that overflows (an OFD CTM of 1e308 mm, a PDF `cm` of 1e38 twice) places the image nowhere.
  if (![a, b, c, d, e, f].every(Number.isFinite)) return undefined;
  // Unit square corners in device space: image pixel (col, row) is at unit (col / w, 1 - row / h).
  const corners = [
    [e, f],
    [a + e, b + f],
    [c + e, d + f],
    [a + c + e, b + d + f],
  ];
  // Every corner, not one: a + e can overflow where a + c + e does not (c of opposite sign).
  if (!corners.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) return undefined;
  const xs = corners.map((p) => p[0]!);
  const ys = corners.map((p) => p[1]!);
  const box: [number, number, number, number] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  // Device direction of one column step (+u) and one row step (-v): the nearest axis of each.
  const colOnX = Math.abs(a) >= Math.abs(b);
  const colSign = colOnX ? Math.sign(a) || 1 : Math.sign(b) || 1;
  const rowSign = colOnX ? Math.sign(-d) || 1 : Math.sign(-c) || 1;
  // Upright size before scaling: columns run along x when colOnX, else along y.
  const uw = colOnX ? w : h;
  const uh = colOnX ? h : w;
  let factor = Math.max(1, Math.ceil(Math.sqrt((uw * uh) / maxPixels)));
  // A side is at least one pixel: a thin image may need a larger factor (a few rounds: the factor grows by a quarter).
  while (Math.max(1, Math.floor(uw / factor)) * Math.max(1, Math.floor(uh / factor)) > Math.max(1, maxPixels)) factor = Math.ceil(factor * 1.25);
  const ow = Math.max(1, Math.floor(uw / factor));
  const oh = Math.max(1, Math.floor(uh / factor));
  const pixels = new Uint8Array(ow * oh);
  const n = factor * factor;
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let sum = 0;
      for (let dy = 0; dy < factor; dy++) {
        const Y = oy * factor + dy;
        for (let dx = 0; dx < factor; dx++) {
          const X = ox * factor + dx;
          // Upright (X, Y) back to source (col, row).
          let col: number, row: number;
          if (colOnX) {
            col = colSign > 0 ? X : w - 1 - X;
            row = rowSign > 0 ? Y : h - 1 - Y;
          } else {
            col = colSign > 0 ? Y : w - 1 - Y;
            row = rowSign > 0 ? X : h - 1 - X;
          }
          sum += read(col, row);
        }
      }
      pixels[oy * ow + ox] = Math.round(sum / n);
    }
  }
  return { width: ow, height: oh, pixels, box };
}

function composeDevice(ctm: Matrix, device: readonly number[]): Matrix {
  return compose(device.length >= 6 ? (device.slice(0, 6) as Matrix) : IDENTITY, ctm);
}

/** A binary PGM (P5) of a grey image: a format tesseract's Leptonica reads from memory without any codec. */
export function encodePgm(img: GreyImage): Uint8Array {
  const header = new TextEncoder().encode(`P5\n${img.width} ${img.height}\n255\n`);
  const out = new Uint8Array(header.length + img.pixels.length);
  out.set(header);
  out.set(img.pixels, header.length);
  return out;
}

const CJK = /[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/u;

const HALF_TO_FULL: Record<string, string> = { ':': '：', ';': '；', ',': '，', '!': '！', '?': '？' };
const CJK_SOURCE = CJK.source;
const SPACE_BESIDE_CJK = new RegExp(` (?=${CJK_SOURCE})|(?<=${CJK_SOURCE}) `, 'gu');
const HALF_BESIDE_CJK = new RegExp(`(?<=${CJK_SOURCE})[:;,!?]|[:;,!?](?=${CJK_SOURCE})`, 'gu');

/**
 * Join tesseract's words of one line: no space where either side is a CJK character or full-width punctuation, one
 * space elsewhere (between Latin words and numbers). The model reads full-width ：；，！？ as ASCII: beside a CJK
 * character they are put back full-width (`12:30` and `a, b` stay as they are).
 */
export function joinWords(words: readonly string[]): string {
  return joinSpaced(words).replace(HALF_BESIDE_CJK, (c) => HALF_TO_FULL[c] ?? c).replace(SPACE_BESIDE_CJK, '');
}

function joinSpaced(words: readonly string[]): string {
  let out = '';
  for (const raw of words) {
    const w = raw.replace(/\s+/g, '');
    if (w === '') continue;
    if (out !== '' && !CJK.test(out[out.length - 1]!) && !CJK.test(w[0]!)) out += ' ';
    out += w;
  }
  return out;
}

/** Remove the spaces tesseract puts between CJK characters in running text (kept between Latin words and numbers). */
export function removeCjkSpaces(text: string): string {
  return joinWords(text.split(/[ \t]+/));
}

interface Bbox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
interface OcrWord {
  text: string;
  confidence: number;
  bbox: Bbox;
}
interface OcrLine {
  words: OcrWord[];
  bbox: Bbox;
}

/** What tesseract read from one image. */
export interface OcrResult {
  lines: OcrLine[];
}

/**
 * A cell's piece of a line cut at a border (`left`/`right`: a cut on that side), without the marks tesseract reads at
 * a cell's edge out of the border or the blank beside it: bars (`|`); at its start a closing quotation mark or
 * punctuation that ends a clause (。，、；：！？, which no line starts with); at its end an opening quotation mark; and
 * a quotation mark at its start (end) that nothing in the piece closes (opens).
 */
export function trimAtCut(text: string, left: boolean, right: boolean): string {
  let s = text;
  for (let k = 0; k < 3; k++) {
    const before = s;
    if (left) {
      s = s.replace(/^[|｜]+/u, '').replace(/^[”’。，、；：！？]+/u, '');
      if (/^“/u.test(s) && !s.includes('”')) s = s.slice(1);
      if (/^‘/u.test(s) && !s.includes('’')) s = s.slice(1);
    }
    if (right) {
      s = s.replace(/[|｜]+$/u, '').replace(/[“‘]+$/u, '');
      if (/”$/u.test(s) && !s.includes('“')) s = s.slice(0, -1);
      if (/’$/u.test(s) && !s.includes('‘')) s = s.slice(0, -1);
    }
    if (s === before) break;
  }
  return s;
}

/** A blank this many text sizes wide or wider within a line parts two cells (a comma's blank after it is about 0.8). */
export const CELL_BLANK = 0.95;

/** A line's text size in pixels: the median height of its words' boxes (a comma's is less), at most the line's. */
function emOf(line: OcrLine, lineHeight: number): number {
  const hs = line.words.filter((w) => w.text.trim() !== '').map((w) => w.bbox.y1 - w.bbox.y0).filter((v) => v > 0).sort((a, b) => a - b);
  return hs.length === 0 ? lineHeight : Math.min(lineHeight, hs[hs.length >> 1]!);
}

/** Which pixel columns of a line's box hold ink, from `start` on, in the image tesseract read. */
interface InkProfile {
  start: number;
  inked: Uint8Array;
}

/**
 * The ink of a line's box, column by column, in the image tesseract read; the pixels looked at are taken from
 * `ink.budget` (undefined once it is spent).
 */
function profileOf(ink: { image: GreyImage; budget: number }, box: Bbox): InkProfile | undefined {
  const { width: w, height: h, pixels } = ink.image;
  const x0 = Math.max(0, Math.floor(box.x0));
  const x1 = Math.min(w, Math.ceil(box.x1));
  const y0 = Math.max(0, Math.floor(box.y0));
  const y1 = Math.min(h, Math.ceil(box.y1));
  if (x1 <= x0 || y1 <= y0) return undefined;
  ink.budget -= (x1 - x0) * (y1 - y0);
  if (ink.budget < 0) return undefined;
  const inked = new Uint8Array(x1 - x0);
  for (let x = x0; x < x1; x++) {
    for (let y = y0; y < y1; y++) {
      if (pixels[y * w + x]! < DARK) {
        inked[x - x0] = 1;
        break;
      }
    }
  }
  return { start: x0, inked };
}

/**
 * The middles of the blanks at least {@link CELL_BLANK} text sizes wide between inked columns of a line: where a line
 * of a table without borders passes from one cell to the next.
 */
function blanksOf(profile: InkProfile, em: number): number[] {
  const out: number[] = [];
  let lastInk = -1;
  for (let i = 0; i < profile.inked.length; i++) {
    if (!profile.inked[i]) continue;
    if (lastInk >= 0 && i - lastInk - 1 >= CELL_BLANK * em) out.push(profile.start + (lastInk + 1 + i) / 2);
    lastInk = i;
  }
  return out;
}

/** The first and last inked columns (end exclusive) of a profile within `from`–`to`, or undefined when blank there. */
function inkWithin(profile: InkProfile, from: number, to: number): [number, number] | undefined {
  const a = Math.max(0, Math.ceil(from - profile.start));
  const b = Math.min(profile.inked.length, Math.ceil(to - profile.start));
  let first = -1;
  let last = -1;
  for (let i = a; i < b; i++) {
    if (!profile.inked[i]) continue;
    if (first < 0) first = i;
    last = i;
  }
  return first < 0 ? undefined : [profile.start + first, profile.start + last + 1];
}

/**
 * Tesseract's lines (pixel boxes in the upright image) as text items in layout space (y up, page units). `cuts`: the
 * vertical rules of the image (scan-rules.ts): a line that runs across one is cut there into pieces, its words going
 * to the piece their first character is in, so that no item runs across a cell's border. `read`: the pixels tesseract
 * read (the image with its rules erased): a line is also cut at each blank of its ink {@link CELL_BLANK} text sizes
 * wide (between the cells of a table without borders), and a cut line's pieces span their ink.
 */
export function itemsOfOcr(result: OcrResult, image: GreyImage, pageHeight: number, cuts: readonly PixelRule[] = [], read?: GreyImage): { items: PdfTextItem[]; confidences: number[] } {
  // The pixels looked at for blanks, at most four times the image's (lines do not overlap, but a crafted result may).
  const ink = read && read.width === image.width && read.height === image.height ? { image: read, budget: 4 * read.width * read.height } : undefined;
  const [bx0, by0, bx1, by1] = image.box;
  const sx = (bx1 - bx0) / image.width;
  const sy = (by1 - by0) / image.height;
  const items: PdfTextItem[] = [];
  const confidences: number[] = [];
  for (const line of result.lines) {
    const words = line.words.filter((w) => w.text.trim() !== '');
    if (words.length === 0) continue;
    const lineHeight = Math.max(1, line.bbox.y1 - line.bbox.y0);
    // The line's foot and size from its words' boxes (medians): its own box grows with a comma or a mark set low or
    // high, and lines of one table would not stand on one pitch.
    const em = emOf(line, lineHeight);
    const feet = words.map((w) => w.bbox.y1).sort((a, b) => a - b);
    const foot = Math.min(line.bbox.y1, Math.max(line.bbox.y0 + em, feet[feet.length >> 1]!));
    const bottom = by0 + foot * sy;
    const top = by0 + (foot - em) * sy;
    const mid = (line.bbox.y0 + line.bbox.y1) / 2;
    // The borders this line runs across (a border whose span holds the line's middle), and the blanks between cells
    // of a table without borders, left to right.
    const xs = cuts
      .filter((r) => r.from <= mid && r.to > mid)
      .map((r) => crossingAt(r, mid))
      .filter((x) => x > line.bbox.x0 && x < line.bbox.x1);
    const profile = ink && ink.budget > 0 ? profileOf(ink, line.bbox) : undefined;
    if (profile) for (const x of blanksOf(profile, em)) if (!xs.some((c) => Math.abs(c - x) < lineHeight)) xs.push(x);
    xs.sort((a, b) => a - b);
    const pieces: { words: OcrWord[]; x0: number; x1: number }[] = [];
    for (let i = 0; i <= xs.length; i++) pieces.push({ words: [], x0: i === 0 ? line.bbox.x0 : xs[i - 1]!, x1: i === xs.length ? line.bbox.x1 : xs[i]! });
    // Words go to the pieces in their order (tesseract's, left to right): never back to a piece before.
    let k = 0;
    for (const w of words) {
      // A word's box runs on too far more often than it starts early: its place is half a character into it.
      const anchor = Math.min(w.bbox.x0 + lineHeight / 2, (w.bbox.x0 + w.bbox.x1) / 2);
      while (k < xs.length && anchor >= xs[k]!) k++;
      pieces[k]!.words.push(w);
    }
    let any = false;
    pieces.forEach((p, i) => {
      if (p.words.length === 0) return;
      const str = xs.length === 0 ? joinWords(p.words.map((w) => w.text)) : trimAtCut(joinWords(p.words.map((w) => w.text)), i > 0, i < xs.length);
      if (str === '') return;
      any = true;
      // Inside its borders: a piece never reaches over one.
      let left = Infinity;
      let right = -Infinity;
      for (const w of p.words) {
        left = Math.min(left, w.bbox.x0);
        right = Math.max(right, w.bbox.x1);
      }
      // Where its ink is, when a line is cut: tesseract's word boxes run on past a word, or take in a mark it read
      // in the blank before it.
      const inked = profile && xs.length > 0 ? inkWithin(profile, p.x0, p.x1) : undefined;
      const x0 = bx0 + (xs.length === 0 ? line.bbox.x0 : inked ? inked[0] : Math.max(p.x0, left)) * sx;
      const x1 = bx0 + (xs.length === 0 ? line.bbox.x1 : inked ? inked[1] : Math.max(Math.max(p.x0, left), Math.min(p.x1, right))) * sx;
      items.push({ str, x: x0, y: pageHeight - bottom, width: Math.max(0, x1 - x0), height: Math.max(1, bottom - top) });
    });
    if (any) for (const w of words) confidences.push(w.confidence);
  }
  return { items, confidences };
}

type TesseractWorker = {
  recognize(image: Uint8Array | Buffer, options?: object, output?: object): Promise<{ data: { blocks?: { paragraphs: { lines: { bbox: Bbox; words: { text: string; confidence: number; bbox: Bbox }[] }[] }[] }[] | null } }>;
  terminate(): Promise<unknown>;
};

/** What the PDF reader needs of an OCR engine: {@link OcrEngine}, or a stand-in in tests. */
export interface OcrRecognizer {
  recognize(image: GreyImage): Promise<OcrResult>;
  close(): Promise<void>;
}

/**
 * One document's OCR engine: the tesseract.js worker (a thread of its own holding the WASM core and the model, about
 * 200 MB) is started on the first page that needs it and ended by {@link OcrEngine.close}, which the PDF reader calls
 * when the document is read (or fails): no thread is left behind. Nothing is fetched: the model is read from the
 * installed @tesseract.js-data/chi_sim package, uncached (`cacheMethod: 'none'`), and the core from tesseract.js-core.
 */
export class OcrEngine implements OcrRecognizer {
  private worker: Promise<TesseractWorker> | undefined;
  /** Ended: no worker is started again (a page that raced its session's end must not start one left running). */
  private ended = false;

  private start(): Promise<TesseractWorker> {
    if (this.ended) return Promise.reject(new XunshiError(ERROR_CODES.INTERNAL, 'OCR engine used after it was ended'));
    this.worker ??= (async () => {
      const require = createRequire(import.meta.url);
      const langPath = join(dirname(require.resolve('@tesseract.js-data/chi_sim/package.json')), MODEL);
      const tesseract = (await import('tesseract.js')) as unknown as { createWorker: (...a: unknown[]) => Promise<TesseractWorker>; default?: { createWorker: (...a: unknown[]) => Promise<TesseractWorker> } };
      const createWorker = tesseract.createWorker ?? tesseract.default!.createWorker;
      // OEM 1: LSTM only (the models of the data package have no legacy engine).
      return createWorker('chi_sim', 1, { langPath, gzip: true, cacheMethod: 'none', logger: () => {}, errorHandler: () => {} });
    })().catch((e: unknown) => {
      throw new XunshiError(ERROR_CODES.INTERNAL, `OCR could not start (tesseract.js with the chi_sim model of @tesseract.js-data/chi_sim; are they installed?): ${(e as Error)?.message ?? String(e)}`);
    });
    return this.worker;
  }

  async recognize(image: GreyImage): Promise<OcrResult> {
    const worker = await this.start();
    let data;
    try {
      ({ data } = await worker.recognize(encodePgm(image), {}, { text: false, blocks: true }));
    } catch (e) {
      throw new XunshiError(ERROR_CODES.INTERNAL, `OCR failed on a ${image.width} × ${image.height} image: ${(e as Error)?.message ?? String(e)}`);
    }
    const lines: OcrLine[] = [];
    for (const block of data.blocks ?? []) for (const p of block.paragraphs) for (const l of p.lines) lines.push({ bbox: l.bbox, words: l.words.map((w) => ({ text: w.text, confidence: w.confidence, bbox: w.bbox })) });
    return { lines };
  }

  /** End the worker thread, if one was started; the engine starts none again. */
  async close(): Promise<void> {
    this.ended = true;
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    try {
      await (await worker).terminate();
    } catch {
      // A worker that failed to start has nothing to end.
    }
  }
}

/**
 * What OCR read on a page put into the page (`page`: its text and rules so far, a template's on an OFD page): its text
 * items, and the borders of its tables, found in its pixels (scan-rules.ts), as its rules.
 */
export function placeScanned(page: PdfPageText, scanned: { items: PdfTextItem[]; rules: PdfRule[] }): void {
  page.items.push(...scanned.items);
  if (scanned.rules.length > 0) page.rules = [...(page.rules ?? []), ...scanned.rules];
}

/** Most pages of one document read by OCR (`maxOcrPages` by default). */
export const MAX_OCR_PAGES = 500;

/** Most OCR engines one document reads with at once (each a tesseract thread of about 200 MB). */
export const MAX_OCR_THREADS = 4;

/** How often the budget is checked while tesseract reads an image (a page takes seconds). */
const CHECK_INTERVAL_MS = 250;

/**
 * Read one image, calling `check` every {@link CHECK_INTERVAL_MS} meanwhile: when it throws (the time budget is spent),
 * the read is given up at once with its error; the caller then ends the engine, which stops tesseract's thread.
 */
async function recognizeChecked(engine: OcrRecognizer, image: GreyImage, check: (() => void) | undefined): Promise<OcrResult> {
  const job = engine.recognize(image);
  if (!check) return job;
  // The job's own failure once it has been given up (the engine ended under it) is nobody's concern.
  job.catch(() => {});
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        check();
      } catch (e) {
        reject(e);
      }
    }, CHECK_INTERVAL_MS);
  });
  try {
    return await Promise.race([job, stopped]);
  } finally {
    clearInterval(timer);
  }
}

/** Page numbers as ranges: `pages 1–3, 7`. */
export function pageList(pages: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    parts.push(j === i ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return `${pages.length === 1 ? 'page' : 'pages'} ${parts.join(', ')}`;
}

/**
 * Seconds a time budget grows by for each page read by OCR: about five times what a page of A4 at 300 dpi takes on one
 * core (5–7 s), so that a page is not cut short on a machine busy with other documents (`--jobs` above the cores).
 */
export const OCR_PAGE_SECONDS = 30;

/** Options of an {@link OcrSession}: those of the PDF and OFD readers. */
export interface OcrSessionOptions {
  /** Most pages read by OCR (default 500): more is refused as `INPUT_TOO_LARGE` (the error from `tooMany`). */
  maxOcrPages?: number;
  /** Called before each image is read by OCR and every 250 ms while it is read; it throws to stop (a time budget). */
  check?: () => void;
  /**
   * Called with {@link OCR_PAGE_SECONDS} as each page's reading by OCR begins (before its `check`): a time budget that
   * grows with the pages read, so that a long scan is not stopped for its length alone.
   */
  grant?: (seconds: number) => void;
  /** The engine to use (tests count its work); by default one for the document, ended by {@link OcrSession.close}. */
  ocrEngine?: OcrRecognizer;
  /**
   * OCR engines (tesseract threads, about 200 MB each) a document may read pages with at once (default 1): readers
   * that schedule their pages ({@link OcrSession.schedule}) read that many at a time, for a long scan on a machine
   * whose other cores are idle (a given `ocrEngine` is shared by them).
   */
  ocrThreads?: number;
}

/** An image a page draws, as far as the choice of images to read goes: its size in pixels. */
export interface SizedImage {
  width: number;
  height: number;
}

/**
 * The OCR of one document, for the PDF and OFD readers: the engine (started on the first image read, ended by
 * {@link close}), the bound on pages read, the budget's check, and what was read for the diagnostic.
 */
export class OcrSession {
  private readonly own: boolean;
  private readonly maxOcrPages: number;
  /** How many pages may be read at once (engines started as needed, one a page in flight). */
  readonly threads: number;
  /** The engines started (one a page in flight: {@link schedule} keeps no more than {@link threads} in flight). */
  private readonly engines: OcrRecognizer[] = [];
  private readonly idle: OcrRecognizer[] = [];
  /** The pages scheduled and not yet settled (each promise resolves when its page is done, read or failed). */
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;
  /** The first failure of a page scheduled (see {@link schedule}). */
  private failure: { error: unknown } | undefined;
  /** What each page read gave for the diagnostic, kept by page number so that the message is the same in any order. */
  private readonly started = new Set<number>();
  private readonly confidences = new Map<number, number[]>();
  private readonly scaledPages: number[] = [];
  /** The pages whose light was evened out before they were read. */
  private readonly litPages: number[] = [];
  /** The images set straight before they were read, by page and angle. */
  private readonly skews: { page: number; degrees: number }[] = [];

  constructor(
    private readonly options: OcrSessionOptions,
    private readonly tooMany: (max: number) => XunshiError,
  ) {
    this.own = options.ocrEngine === undefined;
    this.maxOcrPages = options.maxOcrPages ?? MAX_OCR_PAGES;
    this.threads = Math.max(1, Math.min(MAX_OCR_THREADS, Math.floor(options.ocrThreads ?? 1) || 1));
  }

  /** The pages read by OCR so far, in order. */
  get pages(): number[] {
    return [...this.started].sort((a, b) => a - b);
  }

  /**
   * Start `read` (one page's reading by OCR, its decoding too) once fewer than {@link threads} pages are in flight, and
   * hand back its promise wrapped (`done`, not awaited here): the reader goes on to its next page meanwhile and takes
   * the results in page order. A page that fails rejects its `done` alone; the reader's {@link close} then ends the rest.
   */
  async schedule<R>(read: () => Promise<R>): Promise<{ done: Promise<R> }> {
    await this.whenFree();
    if (this.closed) throw new XunshiError(ERROR_CODES.INTERNAL, 'OCR session used after it was closed');
    const done = read();
    // Handled here, so that a page that fails before the reader comes to it is no unhandled rejection; its failure
    // stops the scheduling of more pages (the document fails with it: reading on would be work thrown away).
    const settled = done.then(
      () => undefined,
      (e: unknown) => {
        this.failure ??= { error: e };
      },
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
    return { done };
  }

  /** Resolves once fewer than {@link threads} pages are in flight (a reader decodes its next page only then). */
  async whenFree(): Promise<void> {
    while (this.inFlight.size >= this.threads) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure.error;
  }

  /**
   * An engine for one image: an idle one, else a new one. A page holds one engine at a time and at most
   * {@link threads} pages are in flight, so no more engines are ever started than that. A given engine (tests) is
   * shared by the pages in flight.
   */
  private acquire(): OcrRecognizer {
    if (this.closed) throw new XunshiError(ERROR_CODES.INTERNAL, 'OCR session used after it was closed');
    if (this.options.ocrEngine) return this.options.ocrEngine;
    let engine = this.idle.pop();
    if (!engine) this.engines.push((engine = new OcrEngine()));
    return engine;
  }

  private release(engine: OcrRecognizer): void {
    if (engine !== this.options.ocrEngine) this.idle.push(engine);
  }

  /**
   * OCR page `n`: the images it draws (the largest {@link MAX_OCR_IMAGES}, none smaller than {@link MIN_OCR_SIDE} on
   * a side), each made upright and grey by `grey` within its share of the page's {@link MAX_OCR_PIXELS}, read by
   * tesseract; its lines become text items in page space (`pageHeight`: the page's height, y up). No items when no
   * image could be read.
   */
  async readPage<T extends SizedImage>(
    n: number,
    painted: readonly T[],
    grey: (image: T, maxPixels: number) => Promise<GreyImage | undefined>,
    pageHeight: number,
    placement?: (image: T) => { source: unknown; at: string },
  ): Promise<{ items: PdfTextItem[]; rules: PdfRule[] }> {
    // An image painted again in the same place (`placement`: the decoded image and where it goes) is read once: a
    // page painting one scan 10,000 times had it read 16 times, each at a sixteenth of the budget, its text 16 times.
    const seen = new Map<unknown, Set<string>>();
    const once = placement
      ? painted.filter((im) => {
          const { source, at } = placement(im);
          const places = seen.get(source) ?? new Set<string>();
          seen.set(source, places);
          if (places.has(at)) return false;
          places.add(at);
          return true;
        })
      : painted;
    const chosen = once
      .filter((im) => im.width >= MIN_OCR_SIDE && im.height >= MIN_OCR_SIDE)
      .map((im, i) => ({ im, i }))
      .sort((a, b) => b.im.width * b.im.height - a.im.width * a.im.height || a.i - b.i)
      .slice(0, MAX_OCR_IMAGES)
      .sort((a, b) => a.i - b.i)
      .map((x) => x.im);
    const total = chosen.reduce((s, im) => s + im.width * im.height, 0);
    const items: PdfTextItem[] = [];
    const rules: PdfRule[] = [];
    let images = 0;
    let scaled = false;
    for (const im of chosen) {
      // The page's pixel budget shared by its images in proportion to their size.
      const share = Math.max(1, Math.floor((MAX_OCR_PIXELS * (im.width * im.height)) / Math.max(total, 1)));
      const greyed = await grey(im, share);
      if (!greyed) continue;
      if (greyed.width * greyed.height < im.width * im.height) scaled = true;
      // Before the page's first image is read: the page's time granted, the budget's check, and the bound on pages
      // read by OCR.
      if (images === 0) this.options.grant?.(OCR_PAGE_SECONDS);
      this.options.check?.();
      if (images === 0 && this.started.size >= this.maxOcrPages) throw this.tooMany(this.maxOcrPages);
      if (images === 0) this.started.add(n);
      images++;
      // Uneven light on a photographed page evened out (page-light.ts), then a page scanned or photographed askew set
      // straight (deskew.ts): tesseract does neither itself.
      const lit = evenLight(greyed);
      if (lit !== greyed && !this.litPages.includes(n)) this.litPages.push(n);
      const skew = skewAngle(lit);
      const image = skew === 0 ? lit : rotateGrey(lit, -skew);
      if (skew !== 0) this.skews.push({ page: n, degrees: skew });
      // A table's borders (scan-rules.ts): taken out of the image tesseract reads, given to the page as its rules, and
      // the lines cut where a vertical one crosses them.
      const found = findScanRules(image);
      const borders = found ? framedRules(found) : { horizontal: [], vertical: [] };
      const framed = borders.horizontal.length + borders.vertical.length > 0;
      const read = framed ? eraseRules(image, borders) : image;
      const engine = this.acquire();
      let result: OcrResult;
      try {
        result = await recognizeChecked(engine, read, this.options.check);
      } finally {
        this.release(engine);
      }
      const got = itemsOfOcr(result, image, pageHeight, borders.vertical, read);
      if (framed) rules.push(...pageRules(borders, image, pageHeight));
      items.push(...got.items);
      const confidences = this.confidences.get(n) ?? [];
      confidences.push(...got.confidences);
      this.confidences.set(n, confidences);
    }
    if (scaled) this.scaledPages.push(n);
    return { items, rules };
  }

  /** The diagnostic's message once pages were read (`without`: what those pages lack), else undefined. */
  summary(without: string): string | undefined {
    const pages = this.pages;
    if (pages.length === 0) return undefined;
    // Summed in page order: the same figure however the pages' reading interleaved.
    const c = pages.flatMap((n) => this.confidences.get(n) ?? []);
    const mean = c.length === 0 ? 0 : Math.round(c.reduce((a, b) => a + b, 0) / c.length);
    const byPage = (a: number, b: number): number => a - b;
    const scaled = [...this.scaledPages].sort(byPage);
    const lit = [...this.litPages].sort(byPage);
    const skews = this.skews.map((k, i) => ({ ...k, i })).sort((a, b) => a.page - b.page || a.i - b.i);
    return `${pages.length} page(s) ${without} read by OCR (tesseract.js, chi_sim): ${pageList(pages)}; mean word confidence ${mean}%${scaled.length > 0 ? `; images scaled down to ${MAX_OCR_PIXELS / 1e6} M pixels on ${pageList(scaled)}` : ''}${lit.length > 0 ? `; uneven light evened out on ${pageList(lit)}` : ''}${skews.length > 0 ? `; set straight (skewed ${skews.map((k) => `${k.degrees}° on page ${k.page}`).join(', ')})` : ''}`;
  }

  /**
   * End the engines the session started (a page still being read is given up: its `done` rejects) and wait for the
   * pages in flight to settle, so that nothing of the document runs on once its reader returns.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.own) for (const engine of this.engines) await engine.close();
    await Promise.all(this.inFlight);
  }
}
