// TIFF images (what office scanners and fax servers write, often one file of a whole report) decoded by xunshi's own
// bounded reader: checked pixel for pixel against what libtiff's tiffcp writes (CCITT T.4 one- and two-dimensional,
// T.6, LZW, Deflate, PackBits, JPEG; strips and tiles, fill order, predictor, both byte orders), then for what damage
// does (loops, offsets past the end, random bytes: never an exception, never more than the page's size), then read as
// a report page by page with a stand-in OCR engine, and at the end a fax-like scan of a real page read by tesseract.js.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@xunshi/types';
import { readDocumentAsync } from '../src/index.js';
import { decodeCcittStrip } from '../src/ccitt.js';
import { extractDocx } from '../src/docx-read.js';
import { extractImage } from '../src/image-read.js';
import { extractOfd } from '../src/ofd-read.js';
import { imageHeader } from '../src/ofd-images.js';
import type { PdfImageData } from '../src/pdf-ocr.js';
import { decodeLzw, decodePackBits, decodeTiffPage, MAX_TIFF_PAGES, tiffPages } from '../src/tiff-read.js';
import { findChromium, hasCjkFont, makeWordBinary } from './support/fixtures.js';
import { picturesDocx, pixelsOf } from './support/image-fixtures.js';
import { makeScanOfd } from './support/ofd-scan-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';
import { charAccuracy, scanPageHtml, screenshot } from './support/scan-fixtures.js';
import { bilevelPicture, findTiffcp, tiffcp, tiffOf, tonedPicture, type TiffPicture } from './support/tiff-fixtures.js';
import { extractDoc } from '../src/doc-read.js';
import { readFileSync } from 'node:fs';

const TIFFCP = findTiffcp();
if (!TIFFCP) console.warn('skipped: the TIFF tests against libtiff need tiffcp (apt-get install libtiff-tools)');

/** The black pixels (1) of a decoded page, as the picture was given. */
function blackOf(img: PdfImageData): Uint8Array {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(w * h);
  if (img.kind === 1) {
    const stride = (w + 7) >> 3;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = (data![y * stride + (x >> 3)]! >> (7 - (x & 7))) & 1 ? 0 : 1;
  } else for (let i = 0; i < w * h; i++) out[i] = data![i * 3]! < 128 ? 1 : 0;
  return out;
}

/** Pixels that differ between two pictures of black marks. */
function differing(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Mean absolute difference of the luminance of a decoded RGB page and the source samples (1 or 3 a pixel). */
function lumaDistance(img: PdfImageData, src: Uint8Array, channels: 1 | 3): number {
  const n = img.width * img.height;
  const luma = (a: ArrayLike<number>, i: number, c: number): number => (c === 1 ? a[i]! : 0.299 * a[i * 3]! + 0.587 * a[i * 3 + 1]! + 0.114 * a[i * 3 + 2]!);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(luma(img.data!, i, 3) - luma(src, channels === 1 ? i : i, channels));
  return sum / n;
}

async function firstPage(tiff: Uint8Array): Promise<PdfImageData | undefined> {
  const page = tiffPages(tiff).pages[0];
  return page && decodeTiffPage(tiff, page, 50_000_000);
}

const W = 301;
const H = 97;
const MARKS = bilevelPicture(W, H);

describe('TIFF pages decoded as libtiff writes them', () => {
  it('reads its own uncompressed pages of both byte orders, bilevel (either photometric), grey and RGB, and their orientation', async () => {
    const grey = tonedPicture(W, H, 1);
    const rgb = tonedPicture(W, H, 3);
    for (const bigEndian of [false, true]) {
      const tiff = tiffOf(
        [
          { width: W, height: H, bits: 1, pixels: MARKS },
          { width: W, height: H, bits: 1, pixels: MARKS, photometric: 1, orientation: 6 },
          { width: W, height: H, bits: 8, pixels: grey },
          { width: W, height: H, bits: 24, pixels: rgb },
        ],
        bigEndian,
      );
      const { pages, damaged } = tiffPages(tiff);
      expect(damaged).toBeUndefined();
      expect(pages.map((p) => [p.width, p.height, p.orientation, p.unsupported])).toEqual([
        [W, H, 1, undefined],
        [W, H, 6, undefined],
        [W, H, 1, undefined],
        [W, H, 1, undefined],
      ]);
      const decoded = await Promise.all(pages.map((p) => decodeTiffPage(tiff, p, 50_000_000)));
      expect(decoded.map((d) => d?.kind)).toEqual([1, 1, 2, 2]);
      expect(differing(blackOf(decoded[0]!), MARKS)).toBe(0);
      expect(differing(blackOf(decoded[1]!), MARKS)).toBe(0);
      expect(lumaDistance(decoded[2]!, grey, 1)).toBeLessThan(1e-9);
      expect(lumaDistance(decoded[3]!, rgb, 3)).toBeLessThan(0.5);
    }
    // The header of the file is its first page's.
    expect(imageHeader(tiffOf([{ width: W, height: H, bits: 8, pixels: grey }]))).toEqual({ format: 'TIFF', width: W, height: H });
  });

  it.skipIf(!TIFFCP)('decodes a bilevel page pixel for pixel in every CCITT coding libtiff writes (T.4 1D and 2D, with fill bits, T.6, modified Huffman), LZW, Deflate, PackBits; strips, tiles, either fill order', async () => {
    const base = tiffOf([{ width: W, height: H, bits: 1, pixels: MARKS }]);
    const variants = [
      ['-c', 'g3'],
      ['-c', 'g3:1d:fill'],
      ['-c', 'g3:2d'],
      ['-c', 'g3:2d:fill'],
      ['-c', 'g4'],
      ['-c', 'g4', '-r', '16'],
      ['-c', 'g4', '-f', 'lsb2msb'],
      ['-c', 'g3:2d', '-f', 'lsb2msb', '-r', '8'],
      ['-c', 'g4', '-t', '-w', '64', '-l', '32'],
      ['-c', 'lzw'],
      ['-c', 'lzw', '-B'],
      ['-c', 'zip'],
      ['-c', 'packbits'],
      ['-c', 'none', '-r', '10'],
    ];
    for (const args of variants) {
      const tiff = tiffcp(base, args);
      const img = await firstPage(tiff);
      expect([args.join(' '), img?.kind, img && differing(blackOf(img), MARKS)]).toEqual([args.join(' '), 1, 0]);
    }
    // Compression 2 (modified Huffman, each row byte-aligned), which tiffcp does not write: the T.4 one-dimensional
    // strip re-coded without its EOLs decodes the same rows.
    const g3 = tiffcp(base, ['-c', 'g3:1d:fill', '-r', String(H)]);
    const page = tiffPages(g3).pages[0]!;
    const stride = (W + 7) >> 3;
    const out = new Uint8Array(stride * H);
    expect(decodeCcittStrip(g3.subarray(page.offsets[0]!, page.offsets[0]! + page.counts[0]!), W, H, { compression: 3 }, out, 0)).toBe(H);
    let ones = 0;
    for (let i = 0; i < W * H; i++) ones += MARKS[i]!;
    let set = 0;
    for (const b of out) for (let k = 0; k < 8; k++) set += (b >> k) & 1;
    expect(set).toBe(ones);
  });

  it.skipIf(!TIFFCP)('decodes grey and RGB pages losslessly in LZW, Deflate (with and without the predictor), PackBits and tiles, and JPEG within its loss', async () => {
    for (const [bits, channels] of [
      [8, 1],
      [24, 3],
    ] as const) {
      const pixels = tonedPicture(W, H, channels);
      const base = tiffOf([{ width: W, height: H, bits, pixels }]);
      for (const args of [['-c', 'lzw'], ['-c', 'lzw:2'], ['-c', 'zip'], ['-c', 'zip:2'], ['-c', 'packbits'], ['-c', 'lzw:2', '-t', '-w', '64', '-l', '64'], ['-c', 'lzw', '-B']]) {
        const img = await firstPage(tiffcp(base, args));
        expect([bits, args.join(' '), img && lumaDistance(img, pixels, channels) < 0.5]).toEqual([bits, args.join(' '), true]);
      }
      // JPEG strips and tiles with the file's shared tables; colour as YCbCr (subsampled) or RGB.
      for (const args of [['-c', 'jpeg:90', '-r', '16'], ['-c', 'jpeg:r:90', '-r', '16'], ['-c', 'jpeg:90', '-t', '-w', '64', '-l', '64']]) {
        const img = await firstPage(tiffcp(base, args));
        expect([bits, args.join(' '), img && lumaDistance(img, pixels, channels) < 4]).toEqual([bits, args.join(' '), true]);
      }
    }
  });

  it('makes a fax\'s tall pixels square (normal mode, 204 × 98 dpi: each row twice), and leaves square ones alone', async () => {
    const fax = tiffOf([
      { width: W, height: H, bits: 1, pixels: MARKS, resolution: [204, 98] },
      { width: W, height: H, bits: 1, pixels: MARKS, resolution: [204, 196] },
      { width: W, height: H, bits: 1, pixels: MARKS, resolution: [300, 300] },
    ]);
    const [normal, fine, square] = await Promise.all(tiffPages(fax).pages.map((p) => decodeTiffPage(fax, p, 50_000_000)));
    expect([normal!.width, normal!.height, fine!.height, square!.height]).toEqual([W, 2 * H, H, H]);
    const twice = new Uint8Array(W * 2 * H);
    for (let y = 0; y < 2 * H; y++) twice.set(MARKS.subarray(Math.floor(y / 2) * W, Math.floor(y / 2) * W + W), y * W);
    expect(differing(blackOf(normal!), twice)).toBe(0);
    // Not past the bound: a page that would be too large twice is left as stored.
    expect((await decodeTiffPage(fax, tiffPages(fax).pages[0]!, W * H + 1))!.height).toBe(H);
  });

  it.skipIf(!TIFFCP)('keeps every page of a multi-page file in order (tiffcp joins files)', async () => {
    const pages: TiffPicture[] = [1, 2, 3].map((seed) => ({ width: W, height: H, bits: 1, pixels: bilevelPicture(W, H, seed) }));
    const tiff = tiffcp(tiffOf(pages), ['-c', 'g4']);
    const walk = tiffPages(tiff);
    expect(walk.pages).toHaveLength(3);
    for (let k = 0; k < 3; k++) expect(differing(blackOf((await decodeTiffPage(tiff, walk.pages[k]!, 50_000_000))!), pages[k]!.pixels)).toBe(0);
  });
});

/** Little-endian TIFF bytes with the u32 at `at` set. */
function setU32(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = b.slice();
  new DataView(c.buffer).setUint32(at, v, true);
  return c;
}

/** Where the first IFD of a little-endian TIFF is. */
const firstIfd = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset).getUint32(4, true);

describe('TIFF damage and bounds', () => {
  const one = tiffOf([{ width: W, height: H, bits: 1, pixels: MARKS }]);
  const two = tiffOf([
    { width: W, height: H, bits: 1, pixels: MARKS },
    { width: W, height: H, bits: 1, pixels: MARKS },
  ]);

  it('stops at a chain of pages that loops or points past the end, keeping the pages before', () => {
    // The second IFD's link back to the first.
    const second = new DataView(two.buffer).getUint32(firstIfd(two) + 2 + new DataView(two.buffer).getUint16(firstIfd(two), true) * 12, true);
    const linkAt = second + 2 + new DataView(two.buffer).getUint16(second, true) * 12;
    expect(tiffPages(setU32(two, linkAt, firstIfd(two)))).toMatchObject({ pages: [{ width: W }, { width: W }], damaged: 'its chain of pages loops' });
    expect(tiffPages(setU32(two, linkAt, two.length + 10))).toMatchObject({ pages: [{}, {}], damaged: 'a page lies past the end of the file (cut short?)' });
    expect(tiffPages(setU32(one, 4, one.length - 3))).toEqual({ pages: [], damaged: 'a page lies past the end of the file (cut short?)' });
    expect(tiffPages(new Uint8Array([0x49, 0x49, 0x2b, 0, 8, 0, 0, 0]))).toEqual({ pages: [], unsupported: 'a BigTIFF (64-bit offsets), which xunshi does not read' });
  });

  it('walks at most MAX_TIFF_PAGES pages of a long chain', () => {
    // 2,500 IFDs of a one-pixel page each (width, height, strip offset), chained.
    const n = 2500;
    const size = 2 + 3 * 12 + 4;
    const b = new Uint8Array(8 + n * size);
    const dv = new DataView(b.buffer);
    b.set([0x49, 0x49, 42, 0]);
    dv.setUint32(4, 8, true);
    for (let k = 0; k < n; k++) {
      const at = 8 + k * size;
      dv.setUint16(at, 3, true);
      [256, 257, 273].forEach((tag, j) => {
        const e = at + 2 + j * 12;
        dv.setUint16(e, tag, true);
        dv.setUint16(e + 2, 4, true);
        dv.setUint32(e + 4, 1, true);
        dv.setUint32(e + 8, tag === 273 ? 0 : 1, true);
      });
      dv.setUint32(at + 2 + 36, k + 1 < n ? at + size : 0, true);
    }
    const walk = tiffPages(b);
    expect(walk.pages).toHaveLength(MAX_TIFF_PAGES);
    expect(walk.damaged).toBe(`it has more than ${MAX_TIFF_PAGES} pages`);
  });

  it('names what it does not decode, and never decodes a page larger than the bound', async () => {
    const compressionAt = (b: Uint8Array): number => {
      const ifd = firstIfd(b);
      const dv = new DataView(b.buffer);
      for (let k = 0; k < dv.getUint16(ifd, true); k++) if (dv.getUint16(ifd + 2 + k * 12, true) === 259) return ifd + 2 + k * 12 + 8;
      throw new Error('no compression tag');
    };
    const jp2 = one.slice();
    new DataView(jp2.buffer).setUint16(compressionAt(jp2), 34712, true);
    expect(tiffPages(jp2).pages[0]!.unsupported).toBe('JPEG 2000 compression');
    expect(await decodeTiffPage(jp2, tiffPages(jp2).pages[0]!, 50_000_000)).toBeUndefined();
    // A page whose header claims 100,000 × 100,000 pixels is not decoded (nothing allocated for it).
    const page = { ...tiffPages(one).pages[0]!, width: 100_000, height: 100_000 };
    expect(await decodeTiffPage(one, page, 50_000_000)).toBeUndefined();
    // Strips past the end of the file: nothing to decode.
    const lost = { ...tiffPages(one).pages[0]!, offsets: [one.length + 100] };
    expect(await decodeTiffPage(one, lost, 50_000_000)).toBeUndefined();
  });

  it('decoders never write past the size given, nor fail, on any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 40 }), fc.constantFrom(2, 3, 4), fc.nat(7), (data, width, rows, compression, t4) => {
        const stride = (width + 7) >> 3;
        const out = new Uint8Array(stride * rows + 16).fill(0);
        const got = decodeCcittStrip(data, width, rows, { compression: compression as 2 | 3 | 4, t4Options: t4 }, out.subarray(0, stride * rows), 0);
        expect(got).toBeGreaterThanOrEqual(0);
        expect(got).toBeLessThanOrEqual(rows);
        expect(out.subarray(stride * rows).every((v) => v === 0)).toBe(true);
        const small = new Uint8Array(64);
        expect(decodeLzw(data, small)).toBeLessThanOrEqual(64);
        expect(decodePackBits(data, small)).toBeLessThanOrEqual(64);
      }),
      { numRuns: 400, seed: 20261207 },
    );
  });

  it('a damaged file decodes to pixels or to nothing, never an exception (property over libtiff-written and own files)', async () => {
    const bases = [one, two, tiffOf([{ width: W, height: H, bits: 24, pixels: tonedPicture(W, H, 3) }])];
    if (TIFFCP) for (const c of ['g4', 'g3:2d', 'lzw', 'zip', 'packbits']) bases.push(tiffcp(one, ['-c', c]));
    if (TIFFCP) bases.push(tiffcp(bases[2]!, ['-c', 'jpeg', '-r', '16']));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bases), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(), async (base, edits, cut) => {
        const b = base.slice(0, Math.max(8, base.length - (cut % 64 === 0 ? cut % base.length : 0)));
        for (const [at, v] of edits) b[at % b.length] = v;
        const walk = tiffPages(b);
        for (const page of walk.pages) {
          const img = await decodeTiffPage(b, page, 50_000_000);
          if (img) expect(img.data!.length).toBe(img.kind === 1 ? ((img.width + 7) >> 3) * img.height : img.width * img.height * 3);
        }
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

describe('a TIFF file read as a report by OCR (stand-in engine)', () => {
  // Pages of a few sparse marks: nothing that the OCR's preparation (rules, skew, light) changes.
  const page = (seed: number, extra: Partial<TiffPicture> = {}): TiffPicture => ({ width: 400, height: 560, bits: 1, pixels: sparseMarks(400, 560, seed), ...extra });

  it('without ocr is INPUT_NO_TEXT naming its pages and --ocr; a BigTIFF or a file of pages it cannot decode is INPUT_UNSUPPORTED; a header without pages INPUT_CORRUPT', async () => {
    const three = tiffOf([page(1), page(2), page(3)]);
    let e = await errorOf(extractImage(three, { path: 'scan.tif' }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INPUT_NO_TEXT, 'the file is a TIFF image of 3 pages (400 × 560 pixels the first), which has no text but what OCR reads: read it with --ocr (library: the option ocr: true)']);
    e = await errorOf(extractImage(new Uint8Array([0x4d, 0x4d, 0, 0x2b, 0, 8, 0, 0]), { path: 'big.tif', ocr: true, ocrEngine: new FakeEngine() }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INPUT_UNSUPPORTED, 'the file is a BigTIFF (64-bit offsets), which xunshi does not read; save the scan as PDF, or as a TIFF of 32-bit offsets']);
    e = await errorOf(extractImage(new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]), { path: 'empty.tif', ocr: true, ocrEngine: new FakeEngine() }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INPUT_CORRUPT, 'the file is a TIFF image without a page it can read (no image)']);
    const jp2 = withCompression(tiffOf([page(1)]), 0, 34712);
    e = await errorOf(extractImage(jp2, { path: 'jp2.tif', ocr: true, ocrEngine: new FakeEngine() }));
    expect(e.code).toBe(ERROR_CODES.INPUT_UNSUPPORTED);
    expect(e.message).toMatch(/^the file is a TIFF image of 1 page \(400 × 560 pixels\) stored with JPEG 2000 compression, which xunshi does not decode/);
  });

  it('reads each page in order as a page of the document, upright by its orientation, naming a page it cannot decode', async () => {
    const tiff = withCompression(tiffOf([page(1), page(2), page(3, { orientation: 6 })]), 1, 34712);
    // (What OCR finds stands mid-page: the same line at the top of every page would be a running header.)
    const engine = new FakeEngine(['巡视', '整改', '通报'], { x0: 40, y0: 250, x1: 360, y1: 280 });
    const doc = await extractImage(tiff, { path: 'scan.tif', ocr: true, ocrEngine: engine });
    expect(doc.pages).toHaveLength(3);
    // Page 2 is empty; pages 1 and 3 have what OCR read.
    expect(doc.pages!.map((p) => doc.text.slice(p.start, p.end).trim())).toEqual(['巡视整改通报', '', '巡视整改通报']);
    expect(engine.images.map((g) => [g.width, g.height])).toEqual([
      [400, 560],
      [560, 400],
    ]);
    expect(doc.diagnostics).toContainEqual({
      code: 'XUNSHI_IMAGE_OCR',
      message: '2 page(s) of the TIFF image read by OCR (tesseract.js, chi_sim): pages 1, 3; mean word confidence 80%; turned upright by its orientation (6); not read: page 2 stored with JPEG 2000 compression',
    });
    expect(engine.closed).toBe(0);
  });

  it('reads a TIFF picture pasted into a .docx or a .doc, and a TIFF image of an OFD page', async () => {
    const tiff = TIFFCP ? tiffcp(tiffOf([page(4)]), ['-c', 'g4']) : tiffOf([page(4)]);
    for (const [what, read] of [
      ['docx', async (o: object) => extractDocx(await picturesDocx([tiff]), o)],
      ['doc', async (o: object) => extractDoc(makeWordBinary(['\x01'], { pictures: [tiff] }), o)],
      ['ofd', async (o: object) => extractOfd(await makeScanOfd([{ image: tiff, ext: 'tif' }]), o)],
    ] as const) {
      const engine = new FakeEngine();
      const doc = await read({ ocr: true, ocrEngine: engine });
      expect([what, doc.text.trim(), engine.images.length]).toEqual([what, '巡视整改通报', 1]);
      expect(differing(greyBlack(engine.images[0]!), page(4).pixels)).toBe(0);
    }
  });
});

/** A white page with a row of small black squares (1 black), as a line of print: level, evenly lit. */
function sparseMarks(width: number, height: number, seed: number): Uint8Array {
  const px = new Uint8Array(width * height);
  for (let k = 0; k < 12; k++) {
    const x = 20 + k * 28 + (seed % 5);
    const y = 100 + seed * 20;
    for (let yy = y; yy < y + 6; yy++) for (let xx = x; xx < x + 6; xx++) px[yy * width + xx] = 1;
  }
  return px;
}

/** The black pixels (1) of a grey image the engine was given. */
function greyBlack(g: { width: number; height: number; pixels: Uint8Array }): Uint8Array {
  return Uint8Array.from(g.pixels, (v) => (v < 128 ? 1 : 0));
}

/** A little-endian TIFF of own writing with page `k`'s compression tag set to `c`. */
function withCompression(b: Uint8Array, k: number, c: number): Uint8Array {
  const out = b.slice();
  const dv = new DataView(out.buffer);
  let ifd = dv.getUint32(4, true);
  for (let i = 0; i < k; i++) ifd = dv.getUint32(ifd + 2 + dv.getUint16(ifd, true) * 12, true);
  for (let e = 0; e < dv.getUint16(ifd, true); e++) if (dv.getUint16(ifd + 2 + e * 12, true) === 259) dv.setUint16(ifd + 2 + e * 12 + 8, c, true);
  return out;
}

const chromium = findChromium();
const scanReady = chromium !== undefined && hasCjkFont() && TIFFCP !== undefined;
if (!scanReady) console.warn(`skipped: the TIFF OCR test needs headless Chromium, a CJK font and tiffcp (apt-get install chromium fonts-wqy-microhei libtiff-tools); found chromium=${chromium ?? 'none'}, tiffcp=${TIFFCP ?? 'none'}`);

describe.skipIf(!scanReady)('a black-and-white scan of a report as a multi-page TIFF (CCITT T.6), read by tesseract.js', () => {
  it('reads both pages close to the source text, in order', async () => {
    const text = readFileSync(new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url), 'utf8');
    const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
    const half = Math.ceil(paragraphs.length / 2);
    // Each half a page at about 200 dpi (a fax's fine mode), thresholded to black and white as a scanner's document mode does.
    const pages = [paragraphs.slice(0, half), paragraphs.slice(half)].map((ps): TiffPicture => {
      const shot = pixelsOf(screenshot(chromium!, scanPageHtml(ps), 2));
      return { width: shot.width, height: shot.height, bits: 1, pixels: Uint8Array.from({ length: shot.width * shot.height }, (_, i) => (shot.data[i * 4]! < 160 ? 1 : 0)) };
    });
    const tiff = tiffcp(tiffOf(pages), ['-c', 'g4']);
    const doc = await readDocumentAsync(tiff, { path: 'scan.tif', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 as a two-page CCITT T.6 TIFF (${tiff.length} bytes): character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(0.95);
    expect(doc.format).toBe('image');
    expect(doc.pages).toHaveLength(2);
  }, 180_000);
});

