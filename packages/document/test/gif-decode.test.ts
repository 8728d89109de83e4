// GIF images (what older government sites post a scanned notice as; a GIF pasted into Word, drawn on an OFD page)
// decoded by xunshi's own bounded decoder: checked pixel for pixel against what omggif's writer encodes (palettes of 2
// to 256 colours, interlaced, a transparent colour, an image smaller than its screen, codes of up to 12 bits), then for
// what damage does, then read as a page by OCR (stand-in engine) and as a scanned page by tesseract.js.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { GifWriter } from 'omggif';
import { describe, expect, it } from 'vitest';
import { readDocumentAsync } from '../src/index.js';
import { decodeGif, decodeLzwIndices, gifSize } from '../src/gif-decode.js';
import { extractImage } from '../src/image-read.js';
import { imageHeader } from '../src/ofd-images.js';
import { findChromium, hasCjkFont } from './support/fixtures.js';
import { pixelsOf } from './support/image-fixtures.js';
import { FakeEngine } from './support/ocr-stand-in.js';
import { charAccuracy, scanPageHtml, screenshot } from './support/scan-fixtures.js';

/** A GIF written by omggif: one image of `indices` (w × h) at (x, y) on a `sw` × `sh` screen, with `palette` (0xRRGGBB). */
function gifOf(o: { sw: number; sh: number; x?: number; y?: number; w: number; h: number; palette: number[]; indices: Uint8Array; interlaced?: boolean; transparent?: number; global?: boolean }): Uint8Array {
  const buf = new Uint8Array(o.sw * o.sh * 4 + 4096 + o.palette.length * 3);
  const writer = new GifWriter(buf, o.sw, o.sh, o.global === false ? {} : { palette: o.palette });
  writer.addFrame(o.x ?? 0, o.y ?? 0, o.w, o.h, Array.from(o.indices), {
    ...(o.global === false ? { palette: o.palette } : {}),
    ...(o.interlaced ? { interlaced: true } : {}),
    ...(o.transparent !== undefined ? { transparent: o.transparent } : {}),
  } as never);
  return buf.slice(0, writer.end());
}

/** Pseudo-random indices below `colors`, in runs (as a scan's rows have). */
function indicesOf(n: number, colors: number, seed = 3): Uint8Array {
  let s = seed;
  const out = new Uint8Array(n);
  let v = 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    if (s % 7 === 0) v = s % colors;
    out[i] = v;
  }
  return out;
}

const paletteOf = (n: number): number[] => Array.from({ length: n }, (_, i) => ((i * 37) & 0xff) * 0x10000 + ((i * 91) & 0xff) * 0x100 + ((i * 53) & 0xff));

describe('GIF decoding, against omggif\'s writer', () => {
  it('decodes every pixel of images of 2 to 256 colours, interlaced or not, with a local palette', () => {
    for (const colors of [2, 4, 16, 256]) {
      for (const interlaced of [false, true]) {
        for (const global of [true, false]) {
          const [w, h] = [123, 77];
          const indices = indicesOf(w * h, colors, colors);
          const palette = paletteOf(colors);
          const gif = gifOf({ sw: w, sh: h, w, h, palette, indices, interlaced, global });
          expect(gifSize(gif)).toEqual({ width: w, height: h });
          expect(imageHeader(gif)).toEqual({ format: 'GIF', width: w, height: h });
          const img = decodeGif(gif, 1e6)!;
          let wrong = 0;
          for (let i = 0; i < w * h; i++) {
            const c = palette[indices[i]!]!;
            if (img.data![i * 4] !== c >> 16 || img.data![i * 4 + 1] !== ((c >> 8) & 0xff) || img.data![i * 4 + 2] !== (c & 0xff)) wrong++;
          }
          expect([colors, interlaced, global, wrong]).toEqual([colors, interlaced, global, 0]);
        }
      }
    }
  });

  it('sets an image smaller than its screen in its place, the rest and the transparent colour white', () => {
    const indices = new Uint8Array(4 * 3).fill(1);
    indices[0] = 0;
    const gif = gifOf({ sw: 10, sh: 8, x: 5, y: 4, w: 4, h: 3, palette: [0x000000, 0x112233], indices, transparent: 0 });
    const img = decodeGif(gif, 1e6)!;
    const at = (x: number, y: number): number[] => Array.from(img.data!.subarray((y * 10 + x) * 4, (y * 10 + x) * 4 + 3));
    expect(at(0, 0)).toEqual([255, 255, 255]);
    expect(at(5, 4)).toEqual([255, 255, 255]);
    expect(at(6, 4)).toEqual([0x11, 0x22, 0x33]);
    expect(at(8, 6)).toEqual([0x11, 0x22, 0x33]);
    expect(at(9, 7)).toEqual([255, 255, 255]);
  });

  it('never decodes past the bound, nor fails, nor loops, on damaged files or random codes (property)', () => {
    const base = gifOf({ sw: 60, sh: 40, w: 60, h: 40, palette: paletteOf(16), indices: indicesOf(2400, 16) });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(), fc.uint8Array({ maxLength: 600 }), (edits, cut, random) => {
        const b = base.slice(0, Math.max(6, base.length - (cut % 97)));
        for (const [at, v] of edits) b[6 + (at % (b.length - 6))] = v;
        const img = decodeGif(b, 1e6);
        if (img) expect(img.data!.length).toBe(img.width * img.height * 4);
        const out = new Uint8Array(500);
        expect(decodeLzwIndices(new Uint8Array([2 + (random[0] ?? 0) % 7, ...random]), 0, out)).toBeLessThanOrEqual(500);
      }),
      { numRuns: 500, seed: 20261207 },
    );
    // A screen larger than the bound is not decoded.
    expect(decodeGif(base, 2399)).toBeUndefined();
  });
});

describe('GIF files read by OCR', () => {
  it('reads a GIF scan as one page (stand-in engine)', async () => {
    const engine = new FakeEngine();
    const gif = gifOf({ sw: 600, sh: 800, w: 600, h: 800, palette: [0xffffff, 0x000000], indices: new Uint8Array(600 * 800) });
    const doc = await extractImage(gif, { path: 'notice.gif', ocr: true, ocrEngine: engine });
    expect(doc.text.trim()).toBe('巡视整改通报');
    expect(engine.images.map((g) => [g.width, g.height])).toEqual([[600, 800]]);
  });

  const chromium = findChromium();
  const ready = chromium !== undefined && hasCjkFont();
  if (!ready) console.warn(`skipped: the GIF OCR test needs headless Chromium and a CJK font; found chromium=${chromium ?? 'none'}`);
  it.skipIf(!ready)('reads a page scanned to a GIF of 16 greys close to its source text (tesseract.js)', async () => {
    const text = readFileSync(new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url), 'utf8');
    const shot = pixelsOf(screenshot(chromium!, scanPageHtml(text.split('\n').filter((l) => l.trim() !== '')), 2));
    const indices = Uint8Array.from({ length: shot.width * shot.height }, (_, i) => shot.data[i * 4]! >> 4);
    const gif = gifOf({ sw: shot.width, sh: shot.height, w: shot.width, h: shot.height, palette: Array.from({ length: 16 }, (_, i) => (i * 17) * 0x10101), indices });
    const doc = await readDocumentAsync(gif, { path: 'notice.gif', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 as a GIF of 16 greys (${gif.length} bytes): character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(0.95);
  }, 120_000);
});
