// TIFF files made at test time: an uncompressed TIFF written here (one strip a page, the tags the reader needs), then
// compressed by libtiff's own `tiffcp` (CCITT T.4 and T.6, LZW, Deflate, PackBits, JPEG; strips, tiles, fill order,
// predictor): an encoder independent of xunshi's decoders, as xlwt is for the .xls reader.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A page to write: `bits` 1 (a 1 bit is black, WhiteIsZero), 8 grey (BlackIsZero) or 24 RGB, rows top to bottom. */
export interface TiffPicture {
  width: number;
  height: number;
  bits: 1 | 8 | 24;
  /** 1 bit: one byte a pixel, 1 black; 8: one byte a pixel; 24: three bytes a pixel. */
  pixels: Uint8Array;
  orientation?: number;
  /** Photometric interpretation to write for a 1-bit page (0 WhiteIsZero, the default, or 1 BlackIsZero). */
  photometric?: 0 | 1;
  /** Horizontal and vertical resolution in dots an inch (a fax in normal mode: 204 × 98). */
  resolution?: [number, number];
}

/** The stored rows of a page: 1-bit pixels packed most significant first. */
function rowsOf(p: TiffPicture): Uint8Array {
  if (p.bits !== 1) return p.pixels;
  const stride = (p.width + 7) >> 3;
  const out = new Uint8Array(stride * p.height);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const black = p.pixels[y * p.width + x] === 1;
      const value = (p.photometric ?? 0) === 0 ? black : !black;
      if (value) out[y * stride + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

/** An uncompressed little-endian TIFF of the pages, in order (each page's IFD after its data). */
export function tiffOf(pages: readonly TiffPicture[], bigEndian = false): Uint8Array {
  const parts: number[] = [];
  const put16 = (at: number, v: number): void => {
    if (bigEndian) parts.splice(at, 2, (v >> 8) & 0xff, v & 0xff);
    else parts.splice(at, 2, v & 0xff, (v >> 8) & 0xff);
  };
  const put32 = (at: number, v: number): void => {
    const b = [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff];
    parts.splice(at, 4, ...(bigEndian ? b.reverse() : b));
  };
  parts.push(...(bigEndian ? [0x4d, 0x4d, 0, 42] : [0x49, 0x49, 42, 0]), 0, 0, 0, 0);
  let link = 4;
  for (const p of pages) {
    const data = rowsOf(p);
    const dataAt = parts.length;
    for (const b of data) parts.push(b);
    if (parts.length & 1) parts.push(0);
    // BitsPerSample of an RGB page: three SHORTs, stored apart.
    let bpsAt = 0;
    if (p.bits === 24) {
      bpsAt = parts.length;
      parts.push(0, 0, 0, 0, 0, 0);
      put16(bpsAt, 8);
      put16(bpsAt + 2, 8);
      put16(bpsAt + 4, 8);
    }
    // The resolutions: two RATIONALs (dots, 1), stored apart.
    let resAt = 0;
    if (p.resolution) {
      resAt = parts.length;
      parts.push(...new Array(16).fill(0));
      put32(resAt, p.resolution[0]);
      put32(resAt + 4, 1);
      put32(resAt + 8, p.resolution[1]);
      put32(resAt + 12, 1);
    }
    const entries: [number, number, number, number][] = [
      [256, 4, 1, p.width],
      [257, 4, 1, p.height],
      [258, 3, p.bits === 24 ? 3 : 1, p.bits === 24 ? bpsAt : p.bits],
      [259, 3, 1, 1],
      [262, 3, 1, p.bits === 1 ? (p.photometric ?? 0) : p.bits === 8 ? 1 : 2],
      [273, 4, 1, dataAt],
      ...(p.orientation ? ([[274, 3, 1, p.orientation]] as [number, number, number, number][]) : []),
      [277, 3, 1, p.bits === 24 ? 3 : 1],
      [278, 4, 1, p.height],
      [279, 4, 1, data.length],
      ...(p.resolution
        ? ([
            [282, 5, 1, resAt],
            [283, 5, 1, resAt + 8],
          ] as [number, number, number, number][])
        : []),
    ];
    const ifd = parts.length;
    put32(link, ifd);
    parts.push(0, 0);
    put16(ifd, entries.length);
    for (const [tag, type, count, value] of entries) {
      const e = parts.length;
      parts.push(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      put16(e, tag);
      put16(e + 2, type);
      put32(e + 4, count);
      if (type === 3 && count === 1) put16(e + 8, value);
      else put32(e + 8, value);
    }
    link = parts.length;
    parts.push(0, 0, 0, 0);
  }
  return Uint8Array.from(parts);
}

/** libtiff's tiffcp, when installed (apt-get install libtiff-tools). */
export function findTiffcp(): string | undefined {
  return ['/usr/bin/tiffcp', '/usr/local/bin/tiffcp'].find((p) => existsSync(p));
}

/** `tiff` copied by tiffcp with `args` (`-c g4`, `-c lzw:2`, `-r 16`, `-t -w 16 -l 16`, `-f lsb2msb`, …). */
export function tiffcp(tiff: Uint8Array, args: readonly string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'xunshi-tiff-'));
  try {
    writeFileSync(join(dir, 'in.tif'), tiff);
    execFileSync(findTiffcp()!, [...args, join(dir, 'in.tif'), join(dir, 'out.tif')], { stdio: ['ignore', 'ignore', 'pipe'] });
    return new Uint8Array(readFileSync(join(dir, 'out.tif')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page of black-and-white marks (1 black): blocks, strokes and dots of a pseudo-random text, as a fax of print has. */
export function bilevelPicture(width: number, height: number, seed = 1): Uint8Array {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const px = new Uint8Array(width * height);
  for (let k = 0; k < (width * height) / 200; k++) {
    const x = Math.floor(rnd() * width);
    const y = Math.floor(rnd() * height);
    const w = 1 + Math.floor(rnd() * 12);
    const h = 1 + Math.floor(rnd() * 12);
    for (let yy = y; yy < Math.min(height, y + h); yy++) for (let xx = x; xx < Math.min(width, x + w); xx++) px[yy * width + xx] = 1;
  }
  // A rule across the page and a black run to its right edge.
  for (let x = 0; x < width; x++) px[Math.floor(height / 2) * width + x] = 1;
  for (let x = Math.floor(width / 3); x < width; x++) px[3 * width + x] = 1;
  return px;
}

/** A grey (or, `channels` 3, colour) picture of smooth gradients and pseudo-random marks. */
export function tonedPicture(width: number, height: number, channels: 1 | 3, seed = 7): Uint8Array {
  let s = seed;
  const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const px = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) px[(y * width + x) * channels + c] = (x * (c + 1) + y * 2 + (rnd() < 0.05 ? 128 : 0)) & 0xff;
    }
  }
  return px;
}
