// The images of a scanned OFD page, for OCR: the format and size read from the file's own header (nothing is decoded
// before the size is known to be within the bound), then PNG, JPEG, BMP, GIF, WebP and HEIC decoded to RGBA pixels (a
// TIFF's first page by tiff-read.ts, to 1-bit or RGB pixels) in the form pdf.js hands images over, so that pdf-ocr.ts turns them upright, grey and scaled as it does a PDF's.
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import type { PdfImageData } from './pdf-ocr.js';
import { decodeTiffPage, isTiff, tiffPages } from './tiff-read.js';
import { decodeGif, gifSize } from './gif-decode.js';
import { decodeWebp, isWebp, webpSize } from './webp-decode.js';
import { decodeHeic, heicSize, isHeic } from './heic-decode.js';

/** What an image file is, from its first bytes: a format xunshi decodes, one it does not, or nothing known. */
export type ImageFormat = 'PNG' | 'JPEG' | 'BMP' | 'TIFF' | 'JBIG2' | 'GIF' | 'WebP' | 'HEIC' | 'unknown';

/** The formats decoded for OCR (of a TIFF, its first page; of a GIF, its first image); JBIG2 is named in a diagnostic and not read. */
export const DECODED_FORMATS: readonly ImageFormat[] = ['PNG', 'JPEG', 'BMP', 'TIFF', 'GIF', 'WebP', 'HEIC'];

/** An image file's format and, for the decoded formats, its size in pixels from its header (0 when unreadable). */
export interface ImageHeader {
  format: ImageFormat;
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, i: number): number => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number): number => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const i32le = (b: Uint8Array, i: number): number => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24);

/** Width, height and colour components from a JPEG's frame header (SOFn); the markers before it are skipped by their lengths (all 0 without one). */
export function jpegFrame(b: Uint8Array): { width: number; height: number; components: number } {
  let pos = 2;
  // Each step moves past one marker segment (at least 2 bytes): the walk ends with the bytes.
  while (pos + 9 < b.length) {
    if (b[pos] !== 0xff) break;
    const marker = b[pos + 1]!;
    if (marker === 0xff) {
      pos++;
      continue;
    }
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: u16be(b, pos + 5), width: u16be(b, pos + 7), components: b[pos + 9]! };
    pos += 2 + u16be(b, pos + 2);
  }
  return { width: 0, height: 0, components: 0 };
}

/** Most scans a JPEG may have to be decoded: a progressive JPEG has about 10; each scan walks every block of the image. */
export const MAX_JPEG_SCANS = 100;

/**
 * How many scans (SOS segments) a JPEG has, counted up to `limit + 1`: the marker segments are skipped by their
 * lengths and each scan's entropy-coded data up to the next marker (0xFF followed by neither 0 nor a restart marker).
 * jpeg-js decodes every scan over every block, with no bound of its own, in one synchronous call that no time budget
 * stops: a 237 KB progressive JPEG of 7000 × 7000 pixels with 3,000 empty scans kept it busy 20 s.
 */
export function jpegScans(b: Uint8Array, limit = MAX_JPEG_SCANS): number {
  let scans = 0;
  let pos = 2;
  // Each step moves on by at least one byte: the walk ends with the bytes.
  while (pos + 3 < b.length && scans <= limit) {
    if (b[pos] !== 0xff) {
      pos++;
      continue;
    }
    const marker = b[pos + 1]!;
    if (marker === 0xff || marker === 0 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      pos++;
      continue;
    }
    if (marker === 0xd9) break;
    pos += 2 + u16be(b, pos + 2);
    if (marker !== 0xda) continue;
    scans++;
    // The scan's data: up to the next marker that is not a stuffed 0xFF or a restart marker.
    while (pos + 1 < b.length && !(b[pos] === 0xff && b[pos + 1] !== 0 && !(b[pos + 1]! >= 0xd0 && b[pos + 1]! <= 0xd7))) pos++;
  }
  return scans;
}

/** The format of an image file from its magic bytes, and its size from its header. */
export function imageHeader(b: Uint8Array): ImageHeader {
  if (b.length >= 24 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return { format: 'PNG', width: u32be(b, 16), height: u32be(b, 20) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    const { width, height } = jpegFrame(b);
    return { format: 'JPEG', width, height };
  }
  if (b.length >= 26 && b[0] === 0x42 && b[1] === 0x4d) return { format: 'BMP', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  if (isTiff(b)) {
    // A TIFF's size is its first page's (tiff-read.ts: the pages of a scanner's multi-page file are read by extractImage).
    const first = tiffPages(b).pages[0];
    return { format: 'TIFF', width: first?.width ?? 0, height: first?.height ?? 0 };
  }
  if (b.length >= 8 && b[0] === 0x97 && b[1] === 0x4a && b[2] === 0x42 && b[3] === 0x32) return { format: 'JBIG2', width: 0, height: 0 };
  if (b.length >= 4 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38) return { format: 'GIF', ...gifSize(b) };
  if (isWebp(b)) return { format: 'WebP', ...webpSize(b) };
  if (isHeic(b)) return { format: 'HEIC', ...heicSize(b) };
  return { format: 'unknown', width: 0, height: 0 };
}

/** Channels of a PNG pixel by colour type (grey, -, RGB, palette, grey + alpha, -, RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7's seven passes: first column, first row, column step, row step. */
export const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

/**
 * Whether a PNG's image data inflates to what its header needs: no more for an interlaced one, and no less for any.
 * pngjs bounds the inflate of a plain PNG by its header's size but inflates an interlaced one without any bound (a 1 MB
 * file could inflate to gigabytes: a decompression bomb); and given less data than the header needs (a file cut
 * short, a damaged stream, an IDAT of nothing) it reads the rest of its output buffer uninitialised, so that the same
 * file failed with a random "unrecognised filter type" most times and decoded to an image of whatever that memory held
 * (1 time in 20, measured). Here the IDAT chunks are inflated first, bounded, as far as they go.
 */
export function pngDataFitsHeader(b: Uint8Array): boolean {
  if (b.length < 33) return true;
  const width = u32be(b, 16);
  const height = u32be(b, 20);
  const channels = PNG_CHANNELS[b[25]!];
  if (channels === undefined) return false;
  const bits = channels * b[24]!;
  const interlaced = b[28] === 1;
  let size = 0;
  if (interlaced) {
    for (const [x0, y0, dx, dy] of ADAM7) {
      const w = Math.ceil((width - x0) / dx);
      const h = Math.ceil((height - y0) / dy);
      if (w > 0 && h > 0) size += h * (1 + Math.ceil((w * bits) / 8));
    }
  } else size = height * (1 + Math.ceil((width * bits) / 8));
  const idat: Uint8Array[] = [];
  // Each chunk moves the walk on by at least its 12 bytes of length, type and CRC.
  for (let pos = 8; pos + 8 <= b.length; ) {
    const length = u32be(b, pos);
    const end = pos + 12 + length;
    if (b[pos + 4] === 0x49 && b[pos + 5] === 0x44 && b[pos + 6] === 0x41 && b[pos + 7] === 0x54) idat.push(b.subarray(pos + 8, Math.min(end - 4, b.length)));
    pos = end;
  }
  let got: number;
  try {
    // Z_SYNC_FLUSH: a stream cut short gives what it holds instead of an error.
    got = zlib.inflateSync(Buffer.concat(idat), { maxOutputLength: Math.max(1, size), finishFlush: zlib.constants.Z_SYNC_FLUSH }).length;
  } catch (err) {
    // More data than the header needs: a bomb when interlaced (pngjs bounds a plain PNG itself); else damaged data.
    return err instanceof RangeError && !interlaced;
  }
  return got >= size;
}

type BmpDecode = (buffer: Buffer) => { width: number; height: number; data: Buffer };

/**
 * Decode an image of a decoded format into RGBA pixels (pdf.js's `kind` 3). The caller has checked the header's size
 * against its bound; the decoders are told the same bound. Undefined when the data does not decode (damaged, or a
 * header that lies about the size).
 */
export async function decodeImage(bytes: Uint8Array, header: ImageHeader, maxPixels: number): Promise<PdfImageData | undefined> {
  const { width, height } = header;
  if (!(width > 0 && height > 0) || width * height > maxPixels) return undefined;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out: { width: number; height: number; data: Uint8Array };
  try {
    if (header.format === 'PNG') {
      if (!pngDataFitsHeader(bytes)) return undefined;
      const { PNG } = await import('pngjs');
      out = PNG.sync.read(buffer);
    } else if (header.format === 'JPEG') {
      if (jpegScans(bytes) > MAX_JPEG_SCANS) return undefined;
      const jpeg = await import('jpeg-js');
      const decode = (jpeg.decode ?? (jpeg as unknown as { default: typeof jpeg }).default.decode) as typeof jpeg.decode;
      out = decode(buffer, { useTArray: true, formatAsRGBA: true, tolerantDecoding: true, maxResolutionInMP: maxPixels / 1e6, maxMemoryUsageInMB: Math.ceil((maxPixels * 8) / 1e6) });
    } else if (header.format === 'GIF') {
      return decodeGif(bytes, maxPixels);
    } else if (header.format === 'WebP') {
      return await decodeWebp(bytes, maxPixels);
    } else if (header.format === 'HEIC') {
      return await decodeHeic(bytes, maxPixels);
    } else if (header.format === 'TIFF') {
      const first = tiffPages(bytes).pages[0];
      return first ? decodeTiffPage(bytes, first, maxPixels) : undefined;
    } else if (header.format === 'BMP') {
      const decodeBmp = (createRequire(import.meta.url)('bmp-js') as { decode: BmpDecode }).decode;
      const bmp = decodeBmp(buffer);
      // bmp-js gives ABGR: turned into RGBA (alpha ignored: BMP scans are opaque).
      const data = new Uint8Array(bmp.width * bmp.height * 4);
      for (let i = 0; i + 3 < data.length && i + 3 < bmp.data.length; i += 4) {
        data[i] = bmp.data[i + 3]!;
        data[i + 1] = bmp.data[i + 2]!;
        data[i + 2] = bmp.data[i + 1]!;
        data[i + 3] = 255;
      }
      out = { width: bmp.width, height: bmp.height, data };
    } else return undefined;
  } catch {
    return undefined;
  }
  // What was decoded must be what the header said (the bound was checked on the header).
  if (out.width !== width || out.height !== height || out.data.length < width * height * 4) return undefined;
  return { width, height, kind: 3, data: out.data };
}
