/**
 * TIFF images — what office scanners and fax servers write, often one file of all a report's pages — walked and
 * decoded for OCR by xunshi's own bounded reader: the IFD chain followed once (a loop, an offset past the end, more
 * than {@link MAX_TIFF_PAGES} pages or an entry count past the file ends the walk), each page's size known before
 * anything is decoded, and every decoder bounded by the size its page needs: CCITT fax (ccitt.ts), LZW (here),
 * PackBits (here), Deflate (node's zlib with `maxOutputLength`), JPEG (jpeg-js with the file's `JPEGTables`, as the
 * other images are, bounded), uncompressed; strips or tiles; bilevel, grey, palette, RGB and CMYK pixels of 1–16 bits,
 * horizontal differencing (`Predictor` 2). Pages are decoded to pdf.js's image form (1-bit for a bilevel page, else
 * RGB) for the OCR of pdf-ocr.ts. npm's TIFF readers were measured first: utif2 follows the IFD chain without a bound
 * (a file whose last IFD points to its first loops for ever), allocates what a header claims, inflates without a
 * limit and prints to standard output for tiled files; `tiff` (image-js) decodes neither CCITT fax, PackBits nor JPEG.
 */
import zlib from 'node:zlib';
import { decodeCcittStrip } from './ccitt.js';
import { LzwTable } from './lzw.js';
import type { PdfImageData } from './pdf-ocr.js';

/** Most pages (IFDs) of a TIFF walked: a longer chain is cut there. */
export const MAX_TIFF_PAGES = 2000;
/** Most strips or tiles of one page. */
const MAX_CHUNKS = 1_000_000;

/** One page (image file directory) of a TIFF: what decoding it needs, or why it is not decoded. */
export interface TiffPage {
  width: number;
  height: number;
  /** The EXIF orientation (tag 274), 1 when absent. */
  orientation: number;
  /**
   * Rows each stored row stands for: 2 for a fax in normal mode (204 × 98 dpi: a pixel twice as tall as wide), so that
   * the page is not read squashed; 1 when the resolutions are equal or not given.
   */
  rowRepeat: number;
  /** Why this page is not decoded (a compression or pixel format xunshi does not read), if so. */
  unsupported?: string;
  bitsPerSample: number;
  samplesPerPixel: number;
  photometric: number;
  compression: number;
  fillOrder: number;
  predictor: number;
  t4Options: number;
  /** Offsets and byte counts of the strips (or tiles). */
  offsets: number[];
  counts: number[];
  rowsPerStrip: number;
  tile?: { width: number; height: number };
  colorMap?: number[];
  jpegTables?: Uint8Array;
}

/** What {@link tiffPages} found: the pages, and what cut the walk short, if anything. */
export interface TiffWalk {
  pages: TiffPage[];
  /** Set when the IFD chain is damaged (a loop, an offset past the end): the pages before it are kept. */
  damaged?: string;
  /** Why the file is not read at all (BigTIFF). */
  unsupported?: string;
}

const TYPE_SIZE: Readonly<Record<number, number>> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8 };

/** Compressions decoded, by their TIFF code. */
const COMPRESSION_NAME: Readonly<Record<number, string>> = {
  1: 'none',
  2: 'CCITT modified Huffman',
  3: 'CCITT T.4',
  4: 'CCITT T.6',
  5: 'LZW',
  6: 'old-style JPEG',
  7: 'JPEG',
  8: 'Deflate',
  32773: 'PackBits',
  32946: 'Deflate',
  34712: 'JPEG 2000',
  34661: 'JBIG',
  50000: 'ZSTD',
  34925: 'LZMA',
  50001: 'WebP',
};
const DECODED_COMPRESSIONS = [1, 2, 3, 4, 5, 7, 8, 32773, 32946];

/** Whether bytes start with a TIFF signature (`II*\0` or `MM\0*`; BigTIFF's 43 too). */
export function isTiff(b: Uint8Array): boolean {
  return b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && (b[2] === 0x2a || b[2] === 0x2b) && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && (b[3] === 0x2a || b[3] === 0x2b)));
}

/**
 * The pages of a TIFF file, in the order of its IFD chain (reduced-resolution images — thumbnails, `NewSubfileType`
 * bit 0 — left out). Bounded: each IFD is read once, its entries within the file; the walk stops at a loop, an
 * offset past the end or {@link MAX_TIFF_PAGES}.
 */
export function tiffPages(b: Uint8Array): TiffWalk {
  if (!isTiff(b) || b.length < 8) return { pages: [], damaged: 'no TIFF header' };
  const le = b[0] === 0x49;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (i: number): number => dv.getUint16(i, le);
  const u32 = (i: number): number => dv.getUint32(i, le);
  if (u16(2) === 43) return { pages: [], unsupported: 'a BigTIFF (64-bit offsets), which xunshi does not read' };
  const pages: TiffPage[] = [];
  const seen = new Set<number>();
  let ifd = u32(4);
  let damaged: string | undefined;
  while (ifd !== 0) {
    if (seen.has(ifd)) {
      damaged = 'its chain of pages loops';
      break;
    }
    if (seen.size >= MAX_TIFF_PAGES) {
      damaged = `it has more than ${MAX_TIFF_PAGES} pages`;
      break;
    }
    if (ifd + 2 > b.length) {
      damaged = 'a page lies past the end of the file (cut short?)';
      break;
    }
    seen.add(ifd);
    const count = u16(ifd);
    if (ifd + 2 + count * 12 + 4 > b.length) {
      damaged = 'a page lies past the end of the file (cut short?)';
      break;
    }
    const tags = new Map<number, { type: number; count: number; at: number }>();
    for (let k = 0; k < count; k++) {
      const e = ifd + 2 + k * 12;
      const type = u16(e + 2);
      const n = u32(e + 4);
      const size = (TYPE_SIZE[type] ?? 0) * n;
      // A value of 4 bytes or fewer is in the entry; a longer one at its offset, which must lie in the file.
      const at = size <= 4 ? e + 8 : u32(e + 8);
      if (TYPE_SIZE[type] === undefined || at + size > b.length) continue;
      tags.set(u16(e), { type, count: n, at });
    }
    const values = (tag: number, max = MAX_CHUNKS): number[] | undefined => {
      const t = tags.get(tag);
      if (!t || t.count > max) return undefined;
      const out: number[] = [];
      for (let k = 0; k < t.count; k++) {
        const i = t.at + k * TYPE_SIZE[t.type]!;
        out.push(t.type === 3 || t.type === 8 ? u16(i) : t.type === 4 || t.type === 9 || t.type === 13 ? u32(i) : t.type === 5 ? u32(i) / Math.max(1, u32(i + 4)) : b[i]!);
      }
      return out;
    };
    const one = (tag: number, fallback: number): number => values(tag, 16)?.[0] ?? fallback;
    // A page is an IFD of an image (a size and its data) that is not a reduced-resolution copy (a thumbnail).
    if ((one(254, 0) & 1) === 0 && one(256, 0) > 0 && one(257, 0) > 0 && (tags.has(273) || tags.has(324))) pages.push(pageOf(b, tags, values, one));
    ifd = u32(ifd + 2 + count * 12);
  }
  return { pages, ...(damaged ? { damaged } : {}) };
}

function pageOf(b: Uint8Array, tags: Map<number, { type: number; count: number; at: number }>, values: (tag: number, max?: number) => number[] | undefined, one: (tag: number, fallback: number) => number): TiffPage {
  const width = one(256, 0);
  const height = one(257, 0);
  const bitsPerSample = one(258, 1);
  const samplesPerPixel = one(277, 1);
  const compression = one(259, 1);
  const photometric = one(262, compression >= 2 && compression <= 4 ? 0 : samplesPerPixel >= 3 ? 2 : 1);
  const tiled = tags.has(322) || tags.has(324);
  const offsets = (tiled ? values(324) : values(273)) ?? [];
  const counts = (tiled ? values(325) : values(279)) ?? [];
  const jt = tags.get(347);
  const page: TiffPage = {
    width,
    height,
    orientation: one(274, 1),
    rowRepeat: rowRepeatOf(values(282, 1)?.[0], values(283, 1)?.[0]),
    bitsPerSample,
    samplesPerPixel,
    photometric,
    compression,
    fillOrder: one(266, 1),
    predictor: one(317, 1),
    t4Options: one(292, 0),
    offsets,
    counts,
    rowsPerStrip: Math.max(1, Math.min(one(278, height), height || 1)),
    ...(tiled ? { tile: { width: one(322, 0), height: one(323, 0) } } : {}),
    ...(photometric === 3 ? { colorMap: values(320, 3 * 65536) ?? [] } : {}),
    ...(jt && jt.type === 7 ? { jpegTables: b.subarray(jt.at, jt.at + jt.count) } : {}),
  };
  const why = unsupportedWhy(page, one(284, 1), one(339, 1));
  return why ? { ...page, unsupported: why } : page;
}

/** Rows a stored row stands for, from the horizontal and vertical resolutions: their ratio rounded, 1–4. */
function rowRepeatOf(x: number | undefined, y: number | undefined): number {
  if (!(x !== undefined && y !== undefined && x > 0 && y > 0 && Number.isFinite(x / y))) return 1;
  return Math.max(1, Math.min(4, Math.round(x / y)));
}

/** Why a page is not decoded, or undefined. */
function unsupportedWhy(p: TiffPage, planar: number, sampleFormat: number): string | undefined {
  if (!DECODED_COMPRESSIONS.includes(p.compression)) return `${COMPRESSION_NAME[p.compression] ?? `compression ${p.compression}`} compression`;
  if (p.offsets.length === 0) return 'no image data';
  if (p.tile && !(p.tile.width > 0 && p.tile.height > 0)) return 'tiles of no size';
  if (planar === 2 && p.samplesPerPixel > 1) return 'colour planes stored apart';
  if (sampleFormat === 3) return 'floating-point samples';
  if (p.compression >= 2 && p.compression <= 4 && (p.bitsPerSample !== 1 || p.samplesPerPixel !== 1)) return 'CCITT compression of more than one bit a pixel';
  if (p.compression === 7) {
    if (p.bitsPerSample !== 8 || ![0, 1, 2, 6].includes(p.photometric)) return 'JPEG of a colour model other than grey, RGB or YCbCr';
    return undefined;
  }
  if (p.photometric === 6) return 'YCbCr pixels outside JPEG';
  const bps = p.bitsPerSample;
  const ok =
    ((p.photometric === 0 || p.photometric === 1) && [1, 2, 4, 8, 16].includes(bps)) ||
    (p.photometric === 3 && [1, 2, 4, 8].includes(bps) && (p.colorMap?.length ?? 0) >= 3 << bps) ||
    (p.photometric === 2 && p.samplesPerPixel >= 3 && (bps === 8 || bps === 16)) ||
    (p.photometric === 5 && p.samplesPerPixel >= 4 && bps === 8);
  if (!ok) return `pixels of ${bps} bits × ${p.samplesPerPixel} samples, colour model ${p.photometric}`;
  if (p.predictor !== 1 && !(p.predictor === 2 && bps >= 8)) return `predictor ${p.predictor}`;
  return undefined;
}

/**
 * TIFF LZW (most significant bit first, codes of 9–12 bits widened one code early, 256 clear, 257 end) into `out`,
 * bounded by its length. Returns the bytes written; a damaged stream ends where it stops making sense.
 */
export function decodeLzw(src: Uint8Array, out: Uint8Array): number {
  const table = new LzwTable(256, 258);
  const end = src.length * 8;
  let pos = 0;
  let width = 9;
  let o = 0;
  // Each code read moves on by 9 bits or more: the walk ends with the bits.
  while (pos + width <= end && o < out.length) {
    let code = 0;
    for (let k = 0; k < width; k++, pos++) code = (code << 1) | ((src[pos >> 3]! >> (7 - (pos & 7))) & 1);
    if (code === 257) break;
    if (code === 256) {
      width = 9;
      table.clear();
      continue;
    }
    const before = table.next;
    const next = table.decode(code, out, o);
    if (next < 0) break;
    o = next;
    if (table.next !== before && table.next + 1 >= 1 << width && width < 12) width++;
  }
  return Math.min(o, out.length);
}

/** PackBits (Apple's run-length code) into `out`, bounded by its length. */
export function decodePackBits(src: Uint8Array, out: Uint8Array): number {
  let i = 0;
  let o = 0;
  // Each step reads at least one byte.
  while (i < src.length && o < out.length) {
    const n = (src[i++]! << 24) >> 24;
    if (n >= 0) {
      for (let k = 0; k <= n && i < src.length && o < out.length; k++) out[o++] = src[i++]!;
    } else if (n !== -128) {
      const v = src[i++];
      if (v === undefined) break;
      for (let k = 0; k < 1 - n && o < out.length; k++) out[o++] = v;
    }
  }
  return o;
}

/** Deflate (a zlib stream, or raw) into `out`, at most its length: more is damage and gives nothing. */
function inflateInto(src: Uint8Array, out: Uint8Array): number {
  for (const inflate of [zlib.inflateSync, zlib.inflateRawSync]) {
    try {
      const got = inflate(src, { maxOutputLength: Math.max(1, out.length), finishFlush: zlib.constants.Z_SYNC_FLUSH });
      out.set(got.subarray(0, out.length));
      return Math.min(got.length, out.length);
    } catch (err) {
      if (err instanceof RangeError) return 0;
    }
  }
  return 0;
}

/** A JPEG strip or tile with the page's shared tables (`JPEGTables`: SOI, tables, EOI) put after its SOI. */
function withTables(strip: Uint8Array, tables: Uint8Array | undefined): Uint8Array {
  if (!tables || tables.length < 4 || strip.length < 2) return strip;
  const merged = new Uint8Array(tables.length - 4 + strip.length);
  merged.set(strip.subarray(0, 2));
  merged.set(tables.subarray(2, tables.length - 2), 2);
  merged.set(strip.subarray(2), tables.length - 2);
  return merged;
}

type JpegDecode = (data: Uint8Array, opts: Record<string, unknown>) => { width: number; height: number; data: Uint8Array };
let jpegDecode: JpegDecode | undefined;

/**
 * Decode page `page` of a TIFF (`bytes`) to pixels: 1-bit (pdf.js's kind 1, 1 white) for a bilevel page, RGB (kind 2)
 * for the others. Undefined when the page is not decoded (see {@link TiffPage.unsupported}), is larger than
 * `maxPixels`, or none of its strips decodes; a strip that does not decode is left white.
 */
export async function decodeTiffPage(bytes: Uint8Array, page: TiffPage, maxPixels: number): Promise<PdfImageData | undefined> {
  const { width, height, samplesPerPixel: spp, bitsPerSample: bps, compression } = page;
  if (page.unsupported || !(width > 0 && height > 0) || width * height > maxPixels) return undefined;
  const bilevel = bps === 1 && spp === 1 && (page.photometric === 0 || page.photometric === 1);
  const rowBytes = Math.ceil((width * spp * bps) / 8);
  // The chunks (strips, or tiles), each a rectangle of the page.
  const tw = page.tile?.width ?? width;
  const th = page.tile?.height ?? page.rowsPerStrip;
  const across = Math.ceil(width / tw);
  const chunks = across * Math.ceil(height / th);
  // (The TIFF standard makes a tile's width a multiple of 16, so every tile starts on a byte.)
  if (chunks > MAX_CHUNKS || (page.tile && (tw * spp * bps) % 8 !== 0)) return undefined;
  const chunkRowBytes = Math.ceil((tw * spp * bps) / 8);
  const raw = new Uint8Array(rowBytes * height);
  const rgb = compression === 7 ? new Uint8Array(width * height * 3) : undefined;
  if (compression === 7) jpegDecode ??= await loadJpeg();
  // Where a chunk does not decode the page stays white: 0 for the bit of a WhiteIsZero page, 0xFF otherwise.
  const white = page.photometric === 0 ? 0 : 0xff;
  if (white) (rgb ?? raw).fill(0xff);
  let decoded = 0;
  for (let c = 0; c < chunks && c < page.offsets.length; c++) {
    const x0 = (c % across) * tw;
    const y0 = Math.floor(c / across) * th;
    const rows = Math.min(th, height - y0);
    const off = page.offsets[c]!;
    const count = page.counts[c] ?? (compression === 1 ? rows * chunkRowBytes : bytes.length - off);
    if (off >= bytes.length) continue;
    const src = bytes.subarray(off, Math.min(bytes.length, off + count));
    if (compression === 7) {
      if (placeJpeg(withTables(src, page.jpegTables), page, rgb!, x0, y0, Math.min(tw, width - x0), rows)) decoded++;
      continue;
    }
    const chunk = new Uint8Array((page.tile ? th : rows) * chunkRowBytes);
    // What a damaged chunk leaves undecoded stays white (CCITT sets the bits of black runs in a chunk of 0s).
    if (white && !(compression >= 2 && compression <= 4)) chunk.fill(white);
    let got: number;
    if (compression === 1) {
      chunk.set(src.subarray(0, chunk.length));
      got = Math.min(src.length, chunk.length);
    } else if (compression === 5) got = decodeLzw(src, chunk);
    else if (compression === 8 || compression === 32946) got = inflateInto(src, chunk);
    else if (compression === 32773) got = decodePackBits(src, chunk);
    else got = decodeCcittStrip(src, tw, page.tile ? th : rows, { compression: compression as 2 | 3 | 4, t4Options: page.t4Options, reversed: page.fillOrder === 2 }, chunk, 0) * chunkRowBytes;
    if (got <= 0) continue;
    decoded++;
    if (page.predictor === 2) undoDifferencing(chunk, chunkRowBytes, spp, bps, bytes[0] === 0x49);
    // The chunk's rows into the page (a tile's columns past the page's edge dropped).
    const xb = (x0 * spp * bps) / 8;
    const take = Math.min(chunkRowBytes, rowBytes - xb);
    for (let r = 0; r < rows; r++) raw.set(chunk.subarray(r * chunkRowBytes, r * chunkRowBytes + take), (y0 + r) * rowBytes + xb);
  }
  if (decoded === 0) return undefined;
  if (rgb) return tallRows({ width, height, kind: 2, data: rgb }, page.rowRepeat, maxPixels);
  if (bilevel) {
    // Kind 1 reads a 1 bit as white: a WhiteIsZero page (0 white) is inverted.
    if (page.photometric === 0) for (let i = 0; i < raw.length; i++) raw[i] = ~raw[i]! & 0xff;
    return tallRows({ width, height, kind: 1, data: raw }, page.rowRepeat, maxPixels);
  }
  return tallRows({ width, height, kind: 2, data: toRgb(raw, page, rowBytes, bytes[0] === 0x49) }, page.rowRepeat, maxPixels);
}

/** Each row repeated `times` (a fax's tall pixels made square), within `maxPixels`; the image itself when once. */
function tallRows(img: PdfImageData, times: number, maxPixels: number): PdfImageData {
  if (times <= 1 || img.width * img.height * times > maxPixels) return img;
  const stride = img.kind === 1 ? (img.width + 7) >> 3 : img.width * 3;
  const data = new Uint8Array(stride * img.height * times);
  for (let y = 0; y < img.height; y++) {
    const row = img.data!.subarray(y * stride, (y + 1) * stride);
    for (let k = 0; k < times; k++) data.set(row, (y * times + k) * stride);
  }
  return { ...img, height: img.height * times, data };
}

async function loadJpeg(): Promise<JpegDecode> {
  const jpeg = await import('jpeg-js');
  return (jpeg.decode ?? (jpeg as unknown as { default: typeof jpeg }).default.decode) as unknown as JpegDecode;
}

/** Decode one JPEG strip or tile into the page's RGB at (x0, y0); false when it does not decode. */
function placeJpeg(data: Uint8Array, page: TiffPage, rgb: Uint8Array, x0: number, y0: number, w: number, rows: number): boolean {
  let img: { width: number; height: number; data: Uint8Array };
  try {
    const colorTransform = page.photometric === 6 ? true : page.photometric === 2 ? false : undefined;
    img = jpegDecode!(data, { useTArray: true, formatAsRGBA: true, tolerantDecoding: true, maxResolutionInMP: Math.max(1, (w * rows) / 1e6 + 1), maxMemoryUsageInMB: Math.ceil((w * rows * 8) / 1e6) + 64, ...(colorTransform === undefined ? {} : { colorTransform }) });
  } catch {
    return false;
  }
  const cw = Math.min(w, img.width);
  const ch = Math.min(rows, img.height);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const s = (y * img.width + x) * 4;
      const d = ((y0 + y) * page.width + x0 + x) * 3;
      rgb[d] = img.data[s]!;
      rgb[d + 1] = img.data[s + 1]!;
      rgb[d + 2] = img.data[s + 2]!;
    }
  }
  return true;
}

/** Undo horizontal differencing (`Predictor` 2) row by row: each sample was stored as its difference from the one before. */
function undoDifferencing(chunk: Uint8Array, rowBytes: number, spp: number, bps: number, le: boolean): void {
  const rows = Math.floor(chunk.length / rowBytes);
  if (bps === 8) {
    for (let r = 0; r < rows; r++) for (let i = r * rowBytes + spp; i < (r + 1) * rowBytes; i++) chunk[i] = (chunk[i]! + chunk[i - spp]!) & 0xff;
  } else if (bps === 16) {
    const dv = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let r = 0; r < rows; r++) for (let i = r * rowBytes + 2 * spp; i + 1 < (r + 1) * rowBytes; i += 2) dv.setUint16(i, (dv.getUint16(i, le) + dv.getUint16(i - 2 * spp, le)) & 0xffff, le);
  }
}

/** Grey, palette, RGB or CMYK samples (rows of `rowBytes`) as RGB. */
function toRgb(raw: Uint8Array, page: TiffPage, rowBytes: number, le: boolean): Uint8Array {
  const { width, height, samplesPerPixel: spp, bitsPerSample: bps, photometric } = page;
  const out = new Uint8Array(width * height * 3);
  const max = (1 << bps) - 1;
  const sample = (row: number, index: number): number => {
    if (bps === 8) return raw[row * rowBytes + index]!;
    if (bps === 16) {
      const i = row * rowBytes + 2 * index;
      return le ? raw[i]! | (raw[i + 1]! << 8) : (raw[i]! << 8) | raw[i + 1]!;
    }
    const bit = index * bps;
    return (raw[row * rowBytes + (bit >> 3)]! >> (8 - bps - (bit & 7))) & max;
  };
  const map = page.colorMap ?? [];
  const n = 1 << bps;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = (y * width + x) * 3;
      if (photometric === 3) {
        const v = sample(y, x);
        out[d] = (map[v] ?? 0) >> 8;
        out[d + 1] = (map[n + v] ?? 0) >> 8;
        out[d + 2] = (map[2 * n + v] ?? 0) >> 8;
      } else if (photometric === 2) {
        for (let k = 0; k < 3; k++) out[d + k] = bps === 16 ? sample(y, x * spp + k) >> 8 : sample(y, x * spp + k);
      } else if (photometric === 5) {
        const k = sample(y, x * spp + 3);
        for (let j = 0; j < 3; j++) out[d + j] = Math.round(((255 - sample(y, x * spp + j)) * (255 - k)) / 255);
      } else {
        let v = Math.round((sample(y, x * spp) * 255) / max);
        if (photometric === 0) v = 255 - v;
        out[d] = out[d + 1] = out[d + 2] = v;
      }
    }
  }
  return out;
}
