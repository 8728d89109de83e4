/**
 * GIF images (GIF87a, GIF89a) decoded for OCR: what older government sites post a scanned notice as (a black-and-white
 * page in a few colours), and what a GIF pasted into a Word document or drawn on an OFD page is. The first image of the
 * file is decoded onto its logical screen (white where it does not cover), its transparent colour white. xunshi's own
 * decoder, bounded: the blocks are walked within the file, the LZW codes (least significant bit first, 3–12 bits) are
 * decoded into the image's own size and no more, and every string is built from table entries whose prefix comes
 * before them (lzw.ts, shared with the TIFF reader), so no chain of prefixes can loop. omggif, the npm decoder most used, follows prefixes that a crafted
 * file can make loop for ever (a code past the table's end becomes the previous code of the next entry), in one
 * synchronous call no time budget stops; it is kept to write the test fixtures.
 */
import { LzwTable } from './lzw.js';
import type { PdfImageData } from './pdf-ocr.js';

/** The logical screen's size of a GIF, from its header (0 × 0 when it is no GIF). */
export function gifSize(b: Uint8Array): { width: number; height: number } {
  if (!isGif(b) || b.length < 10) return { width: 0, height: 0 };
  return { width: b[6]! | (b[7]! << 8), height: b[8]! | (b[9]! << 8) };
}

/** Whether bytes start with `GIF87a` or `GIF89a`. */
export function isGif(b: Uint8Array): boolean {
  return b.length >= 6 && b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 && (b[4] === 0x37 || b[4] === 0x39) && b[5] === 0x61;
}

/**
 * Decode a GIF's first image into RGBA pixels of its logical screen (pdf.js's kind 3), when the screen is at most
 * `maxPixels`; undefined when the file is damaged before the image's data (a truncated image keeps what it has).
 */
export function decodeGif(b: Uint8Array, maxPixels: number): PdfImageData | undefined {
  const { width, height } = gifSize(b);
  if (!(width > 0 && height > 0) || width * height > maxPixels || b.length < 13) return undefined;
  let p = 13;
  const globalTable = b[10]! & 0x80 ? 3 << ((b[10]! & 7) + 1) : 0;
  const global = globalTable ? b.subarray(p, p + globalTable) : undefined;
  p += globalTable;
  let transparent = -1;
  // Each step reads at least one byte: the walk ends with the file.
  while (p < b.length) {
    const block = b[p++]!;
    if (block === 0x3b) return undefined;
    if (block === 0x21) {
      const label = b[p++];
      // A graphic control extension names the transparent colour of the image after it.
      if (label === 0xf9 && b[p] === 4 && p + 4 < b.length) transparent = b[p + 1]! & 1 ? b[p + 4]! : -1;
      p = skipSubBlocks(b, p);
      continue;
    }
    if (block !== 0x2c || p + 9 > b.length) return undefined;
    const x = b[p]! | (b[p + 1]! << 8);
    const y = b[p + 2]! | (b[p + 3]! << 8);
    const w = b[p + 4]! | (b[p + 5]! << 8);
    const h = b[p + 6]! | (b[p + 7]! << 8);
    const flags = b[p + 8]!;
    p += 9;
    const localTable = flags & 0x80 ? 3 << ((flags & 7) + 1) : 0;
    const palette = localTable ? b.subarray(p, p + localTable) : global;
    p += localTable;
    if (!palette || p >= b.length) return undefined;
    const indices = new Uint8Array(w * h);
    const got = decodeLzwIndices(b, p, indices);
    if (got === 0 && w * h > 0) return undefined;
    const data = new Uint8Array(width * height * 4).fill(255);
    const interlaced = (flags & 0x40) !== 0;
    const rowOf = interlaced ? interlacedRows(h) : undefined;
    for (let r = 0; r < h; r++) {
      const row = rowOf ? rowOf[r]! : r;
      const Y = y + row;
      if (Y >= height) continue;
      for (let c = 0; c < w; c++) {
        const X = x + c;
        if (X >= width) break;
        const i = indices[r * w + c]!;
        if (i === transparent || 3 * i + 2 >= palette.length) continue;
        const d = (Y * width + X) * 4;
        data[d] = palette[3 * i]!;
        data[d + 1] = palette[3 * i + 1]!;
        data[d + 2] = palette[3 * i + 2]!;
      }
    }
    return { width, height, kind: 3, data };
  }
  return undefined;
}

/** The position after a run of sub-blocks (each a length byte and its bytes, ended by a 0). */
function skipSubBlocks(b: Uint8Array, p0: number): number {
  let p = p0;
  while (p < b.length && b[p] !== 0) p += b[p]! + 1;
  return p + 1;
}

/** The image rows in the order an interlaced GIF stores them: every 8th from 0, every 8th from 4, every 4th from 2, every 2nd from 1. */
function interlacedRows(h: number): number[] {
  const rows: number[] = [];
  for (const [start, step] of [
    [0, 8],
    [4, 8],
    [2, 4],
    [1, 2],
  ] as const) {
    for (let r = start; r < h; r += step) rows.push(r);
  }
  return rows;
}

/**
 * The colour indices of an image's LZW data (its minimum code size at `p`, then sub-blocks) into `out`, at most its
 * length. Returns the indices written; a damaged stream ends where it stops making sense.
 */
export function decodeLzwIndices(b: Uint8Array, p0: number, out: Uint8Array): number {
  const minSize = b[p0]!;
  if (!(minSize >= 2 && minSize <= 8)) return 0;
  const clear = 1 << minSize;
  const end = clear + 1;
  const table = new LzwTable(clear, end + 1);
  let size = minSize + 1;
  let o = 0;
  // The code stream: the sub-blocks' bytes, read least significant bit first.
  let p = p0 + 1;
  let left = 0;
  let bits = 0;
  let nbits = 0;
  while (o < out.length) {
    while (nbits < size) {
      if (left === 0) {
        if (p >= b.length) return o;
        left = b[p++]!;
        if (left === 0) return o;
      }
      if (p >= b.length) return o;
      bits |= b[p++]! << nbits;
      nbits += 8;
      left--;
    }
    const code = bits & ((1 << size) - 1);
    bits >>>= size;
    nbits -= size;
    if (code === clear) {
      size = minSize + 1;
      table.clear();
      continue;
    }
    if (code === end) break;
    const before = table.next;
    const next = table.decode(code, out, o);
    if (next < 0) break;
    o = next;
    if (table.next !== before && table.next === 1 << size && size < 12) size++;
  }
  return Math.min(o, out.length);
}
