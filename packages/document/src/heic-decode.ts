/**
 * HEIC/HEIF photographs decoded for OCR: what iPhones save (a notice on a board, a page on a desk, photographed and
 * sent by AirDrop or cable without conversion). The size comes from the file's own `ispe` properties in its `meta` box
 * first (nothing is decoded over the bound: an iPhone's photograph is a grid of tiles, the grid's `ispe` the largest),
 * then libheif decodes the primary image, its rotation and mirroring (`irot`, `imir`) applied as viewers apply them:
 * `libheif-js` (the library's WebAssembly build; LGPL-3.0, used as the separate package it is), loaded on the first
 * HEIC of a thread. Its JavaScript wrapper prints a damaged file's errors with `console.log`, which would land in the
 * CLI's standard output among the reports: its one synchronous call that may log runs with `console.log` silenced
 * ({@link quietly}), and the pixels are decoded through libheif's own call rather than the wrapper's `display()`.
 */
import { createRequire } from 'node:module';
import type { PdfImageData } from './pdf-ocr.js';

/** The HEIF brands of an image (not AVIF's, not a sequence's alone). */
const HEIF_BRANDS = /^(heic|heix|heim|heis|mif1)$/;

const u32 = (b: Uint8Array, i: number): number => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;
const type = (b: Uint8Array, i: number): string => String.fromCharCode(b[i]!, b[i + 1]!, b[i + 2]!, b[i + 3]!);

/** Whether bytes are a HEIF image: an ISO media file whose `ftyp` major brand is one of HEIF's. */
export function isHeic(b: Uint8Array): boolean {
  return b.length >= 12 && type(b, 4) === 'ftyp' && HEIF_BRANDS.test(type(b, 8));
}

/**
 * The largest image size a HEIF file declares (`ispe` properties in its top-level `meta` box: the primary image's, or
 * its grid's, is the largest of them); 0 × 0 when there is none.
 */
export function heicSize(b: Uint8Array): { width: number; height: number } {
  let width = 0;
  let height = 0;
  if (!isHeic(b)) return { width, height };
  // The top-level boxes, to the `meta` box: each step moves on by its box's size (8 bytes at least).
  for (let at = 0; at + 8 <= b.length; ) {
    let size = u32(b, at);
    const box = type(b, at + 4);
    if (size === 1) {
      if (at + 16 > b.length) break;
      // A 64-bit size: past 2^32 bytes no file read here reaches.
      if (u32(b, at + 8) !== 0) break;
      size = u32(b, at + 12);
    } else if (size === 0) size = b.length - at;
    if (size < 8) break;
    if (box === 'meta') {
      const end = Math.min(b.length, at + size);
      // An `ispe` is a full box: its size, `ispe`, version and flags, then width and height (32 bits each).
      for (let i = at + 8; i + 16 <= end; i++) {
        if (b[i] !== 0x69 || type(b, i) !== 'ispe' || u32(b, i - 4) < 20) continue;
        const w = u32(b, i + 8);
        const h = u32(b, i + 12);
        if (w * h > width * height) {
          width = w;
          height = h;
        }
      }
      break;
    }
    at += size;
  }
  return { width, height };
}

/**
 * Run a synchronous call of libheif's wrapper with `console.log` silenced: it logs a damaged file's errors there
 * ("Could not parse HEIF file", "Decoding image failed"), which would land among the CLI's reports.
 */
function quietly<T>(call: () => T): T {
  const log = console.log;
  console.log = () => {};
  try {
    return call();
  } finally {
    console.log = log;
  }
}

interface HeifImage {
  handle: unknown;
  get_width(): number;
  get_height(): number;
  free(): void;
}
interface HeifChannel {
  id: unknown;
  data: Uint8Array;
  width: number;
  height: number;
  stride: number;
}
interface Libheif {
  ready: Promise<void>;
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[]; decoder: { delete(): void } };
  heif_js_decode_image2(handle: unknown, colorspace: unknown, chroma: unknown): { code?: unknown; channels?: HeifChannel[]; image?: unknown } | Promise<{ code?: unknown; channels?: HeifChannel[]; image?: unknown }>;
  heif_image_release(image: unknown): void;
  heif_colorspace: { heif_colorspace_RGB: unknown };
  heif_chroma: { heif_chroma_interleaved_RGBA: unknown };
  heif_channel: { heif_channel_interleaved: unknown };
}
let libheif: Promise<Libheif> | undefined;

/** libheif, its WebAssembly instantiated once a thread, printing nothing. */
function loadLibheif(): Promise<Libheif> {
  libheif ??= (async () => {
    const factory = createRequire(import.meta.url)('libheif-js/libheif-wasm/libheif-bundle.js') as (overrides: object) => Libheif;
    const lib = factory({ print: () => {}, printErr: () => {} });
    await lib.ready;
    return lib;
  })();
  return libheif;
}

/**
 * Decode a HEIF photograph's primary image into RGBA pixels (pdf.js's kind 3) when the size its `ispe` gives is within
 * `maxPixels`; undefined when it is not, has no image, or does not decode (damaged).
 */
export async function decodeHeic(b: Uint8Array, maxPixels: number): Promise<PdfImageData | undefined> {
  const { width, height } = heicSize(b);
  if (!(width > 0 && height > 0) || width * height > maxPixels) return undefined;
  const lib = await loadLibheif();
  const decoder = new lib.HeifDecoder();
  let images: HeifImage[] = [];
  try {
    images = quietly(() => decoder.decode(b));
    const image = images[0];
    if (!image) return undefined;
    const w = image.get_width();
    const h = image.get_height();
    // What is decoded must be within the bound (a turned image swaps its sides).
    if (!(w > 0 && h > 0) || w * h > maxPixels || w * h > width * height) return undefined;
    // The image as RGBA rows, as the wrapper's display() decodes it (which logs its failures from a timer, where they
    // could not be silenced: so decoded here).
    const decoded = await lib.heif_js_decode_image2(image.handle, lib.heif_colorspace.heif_colorspace_RGB, lib.heif_chroma.heif_chroma_interleaved_RGBA);
    if (!decoded || decoded.code) return undefined;
    try {
      const channel = decoded.channels?.find((c) => c.id === lib.heif_channel.heif_channel_interleaved);
      if (!channel || channel.width !== w || channel.height !== h || channel.stride < w * 4 || channel.data.length < channel.stride * (h - 1) + w * 4) return undefined;
      const data = new Uint8Array(w * h * 4);
      for (let y = 0; y < h; y++) data.set(channel.data.subarray(y * channel.stride, y * channel.stride + w * 4), y * w * 4);
      return { width: w, height: h, kind: 3, data };
    } finally {
      if (decoded.image !== undefined) lib.heif_image_release(decoded.image);
    }
  } catch {
    return undefined;
  } finally {
    for (const image of images) image.free();
    decoder.decoder.delete();
  }
}
