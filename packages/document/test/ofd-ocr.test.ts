// OCR of scanned OFDs (opt-in `ocr`): the image headers and their bounds, the placement through Boundary and CTM,
// templates and page resources, with a stand-in engine; then OFDs of Chromium scans read by tesseract.js and compared
// with the sample report they show.
import { readFileSync } from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { readDocumentAsync } from '../src/index.js';
import { MAX_JPEG_SCANS, decodeImage, imageHeader, jpegScans } from '../src/ofd-images.js';
import { extractOfd } from '../src/ofd-read.js';
import { MAX_IMAGE_PIXELS, MAX_OCR_PIXELS } from '../src/pdf-ocr.js';
import { findChromium, hasCjkFont } from './support/fixtures.js';
import { JBIG2_FILE, TURNED_CTM, blankPng, headerOnlyPng, interlacedPng, manyScanJpeg, makeScanOfd, turnedPng } from './support/ofd-scan-fixtures.js';
import { charAccuracy, compact, scanPageHtml, screenshot } from './support/scan-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';

const chromium = findChromium();
const scanReady = chromium !== undefined && hasCjkFont();
if (!scanReady) console.warn(`skipped: the scanned-OFD tests need headless Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei); found chromium=${chromium ?? 'none'}`);

describe('image headers of OFD MultiMedia files', () => {
  it('reads the format and size of PNG, JPEG and BMP (of TIFF and GIF too, tiff-read.test.ts and gif-decode.test.ts), and names JBIG2', () => {
    expect(imageHeader(blankPng(300, 200))).toEqual({ format: 'PNG', width: 300, height: 200 });
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0x2c, 0x02, 0x58, 0x03, 0, 0, 0]);
    expect(imageHeader(jpeg)).toEqual({ format: 'JPEG', width: 600, height: 300 });
    const bmp = new Uint8Array(54);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 640, true);
    new DataView(bmp.buffer).setInt32(22, -480, true);
    expect(imageHeader(bmp)).toEqual({ format: 'BMP', width: 640, height: 480 });
    expect(imageHeader(new Uint8Array([0x49, 0x49, 0x2a, 0]))).toMatchObject({ format: 'TIFF' });
    expect(imageHeader(JBIG2_FILE)).toMatchObject({ format: 'JBIG2' });
    expect(imageHeader(new TextEncoder().encode('GIF89a'))).toMatchObject({ format: 'GIF' });
  });
  it('never throws on any bytes, and never decodes more pixels than the bound or than the header says (property)', async () => {
    const magic = fc.constantFrom([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0xff, 0xd8, 0xff], [0x42, 0x4d], [0x49, 0x49, 0x2a, 0], [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], []);
    await fc.assert(
      fc.asyncProperty(magic, fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 10_000 }), async (head, rest, bound) => {
        const bytes = new Uint8Array([...head, ...rest]);
        const h = imageHeader(bytes);
        const img = await decodeImage(bytes, h, bound);
        if (img) {
          expect(img.width * img.height).toBeLessThanOrEqual(bound);
          // (A TIFF of a fax's tall pixels has each row repeated: a multiple of the header's height.)
          expect([img.width, img.height % h.height]).toEqual([h.width, 0]);
          const stride = img.kind === 1 ? (img.width + 7) >> 3 : img.width * (img.kind === 2 ? 3 : 4);
          expect(img.data!.length).toBeGreaterThanOrEqual(stride * img.height);
        }
      }),
      { numRuns: 300 },
    );
  });
  it('decodes a PNG to RGBA pixels of its size', async () => {
    const img = await decodeImage(blankPng(40, 30), imageHeader(blankPng(40, 30)), 1e6);
    expect([img!.width, img!.height, img!.kind, img!.data!.length]).toEqual([40, 30, 3, 40 * 30 * 4]);
    expect(img!.data![0]).toBe(255);
  });
  it('decodes an interlaced PNG, and never inflates an interlaced PNG\'s data past what its header allows (a bomb)', async () => {
    const ok = interlacedPng(13, 11, 40);
    const img = await decodeImage(ok, imageHeader(ok), 1e6);
    expect([img!.width, img!.height, img!.data![0], img!.data![3]]).toEqual([13, 11, 40, 255]);
    // A 4 × 4 image whose data inflates to 64 MB (from some 60 kB): pngjs inflates an interlaced PNG without a bound.
    const bomb = interlacedPng(4, 4, 0, 64 << 20);
    const inflate = vi.spyOn(zlib, 'inflateSync');
    try {
      expect(await decodeImage(bomb, imageHeader(bomb), 1e6)).toBeUndefined();
      const inflated = inflate.mock.results.map((r) => (r.type === 'return' ? (r.value as Buffer).length : 0));
      expect(Math.max(0, ...inflated)).toBeLessThan(1 << 20);
    } finally {
      inflate.mockRestore();
    }
  });
  it('decodes a progressive JPEG, but not one of more scans than the bound (jpeg-js walks every block each scan)', async () => {
    const few = manyScanJpeg(64, 48, 10);
    expect(jpegScans(few)).toBe(10);
    const img = await decodeImage(few, imageHeader(few), 1e6);
    expect([img!.width, img!.height, img!.data![0]]).toEqual([64, 48, 128]);
    const many = manyScanJpeg(64, 48, MAX_JPEG_SCANS + 1);
    expect(jpegScans(many)).toBe(MAX_JPEG_SCANS + 1);
    expect(await decodeImage(many, imageHeader(many), 1e6)).toBeUndefined();
    // Counted no further than one past the bound, however many there are.
    expect(jpegScans(manyScanJpeg(64, 48, 5000))).toBe(MAX_JPEG_SCANS + 1);
  });
  it('counts the scans of any bytes without throwing, never more than one past the limit (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 5 }), (rest, limit) => {
        const n = jpegScans(new Uint8Array([0xff, 0xd8, ...rest]), limit);
        expect(n).toBeGreaterThanOrEqual(0);
        expect(n).toBeLessThanOrEqual(limit + 1);
      }),
      { numRuns: 500 },
    );
  });
  it('decodes a BMP (bmp-js, ABGR) to RGBA pixels, colours in place', async () => {
    const { encode } = createRequire(import.meta.url)('bmp-js') as { encode: (img: { data: Buffer; width: number; height: number }) => { data: Buffer } };
    // Two pixels, ABGR: pure red, then pure blue.
    const bmp = new Uint8Array(encode({ width: 2, height: 1, data: Buffer.from([0, 0, 0, 255, 0, 255, 0, 0]) }).data);
    expect(imageHeader(bmp)).toEqual({ format: 'BMP', width: 2, height: 1 });
    const img = await decodeImage(bmp, imageHeader(bmp), 1e6);
    expect(Array.from(img!.data!)).toEqual([255, 0, 0, 255, 0, 0, 255, 255]);
  });
});

describe('OFD pages without text objects, read by OCR (stand-in engine)', () => {
  it('without ocr, a scanned OFD is INPUT_NO_TEXT and the message names --ocr', async () => {
    const e = await errorOf(readDocumentAsync(await makeScanOfd([{ image: blankPng(64, 64) }]), { path: 's.ofd' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toMatch(/no text objects \(a scanned document\?\): read it by OCR with --ocr \(library: the option ocr: true\)/);
  });
  it('places what OCR reads through the Boundary and CTM, on the page in points, and ends no engine it was given', async () => {
    const engine = new FakeEngine();
    // An image of 400 × 300 pixels on the lower half of the page: what OCR reads there is read as the page's text.
    const ofd = await makeScanOfd([{ image: blankPng(400, 300), boundary: '10 150 190 140', ctm: '190 0 0 140 0 0' }]);
    const doc = await extractOfd(ofd, { ocr: true, ocrEngine: engine });
    expect(engine.images).toHaveLength(1);
    const g = engine.images[0]!;
    expect([g.width, g.height]).toEqual([400, 300]);
    const mm = 72 / 25.4;
    expect(g.box.map((v) => +(v / mm).toFixed(6))).toEqual([10, 150, 200, 290]);
    expect(doc.text.trim()).toBe('巡视整改通报');
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_OFD_OCR', message: '1 page(s) without text objects read by OCR (tesseract.js, chi_sim): page 1; mean word confidence 80%' });
    expect(engine.closed).toBe(0);
  });
  it('reads an image drawn by many ImageObjects in the same place once, at the full budget', async () => {
    const engine = new FakeEngine();
    const doc = await extractOfd(await makeScanOfd([{ image: blankPng(2000, 2000), times: 100 }]), { ocr: true, ocrEngine: engine });
    expect(engine.images.map((g) => [g.width, g.height])).toEqual([[2000, 2000]]);
    expect(doc.text.match(/巡视整改通报/g)).toHaveLength(1);
  });
  it('turns an image stored a quarter turn (by its CTM) upright, and finds it in the page resources too', async () => {
    const engine = new FakeEngine();
    // Stored 300 wide and 200 high, drawn with its columns up the page: upright it is 200 × 300.
    await extractOfd(await makeScanOfd([{ image: blankPng(300, 200), ctm: TURNED_CTM, pageRes: true }]), { ocr: true, ocrEngine: engine });
    expect(engine.images.map((g) => [g.width, g.height])).toEqual([[200, 300]]);
  });
  it('reads the text pages as always and only the pages without text by OCR; a template header does not stop OCR', async () => {
    const engine = new FakeEngine();
    const ofd = await makeScanOfd([{ text: ['第一页的正文。'] }, { image: blankPng(64, 64) }, { text: ['第三页的正文。'] }], { templateText: '内部资料' });
    const doc = await extractOfd(ofd, { ocr: true, ocrEngine: engine });
    expect(engine.images).toHaveLength(1);
    expect(compact(doc.text)).toBe('第一页的正文。巡视整改通报第三页的正文。');
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_OFD_OCR')?.message).toMatch(/: page 2;/);
  });
  it('an image over the decoding bound is never decoded nor read; the error and diagnostic say why', async () => {
    const engine = new FakeEngine();
    const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 1;
    // A header claiming 7,072 × 7,072 over 60 bytes: were it decoded, it would fail or cost 200 MB.
    const e = await errorOf(extractOfd(await makeScanOfd([{ image: headerOnlyPng(side, side) }]), { ocr: true, ocrEngine: engine }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toMatch(/no image that OCR could read \(images not read by OCR: of more than 50 M pixels \(not decoded\) on page 1\)/);
    expect(engine.images).toHaveLength(0);
  });
  it('an image over the OCR budget is scaled down to it, and the diagnostic says so', async () => {
    const engine = new FakeEngine();
    const doc = await extractOfd(await makeScanOfd([{ image: blankPng(5000, 4000) }]), { ocr: true, ocrEngine: engine });
    const g = engine.images[0]!;
    expect(g.width * g.height).toBeLessThanOrEqual(MAX_OCR_PIXELS);
    expect([g.width, g.height]).toEqual([2500, 2000]);
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_OFD_OCR')?.message).toMatch(/; images scaled down to 16 M pixels on page 1$/);
  });
  it('names the formats it does not decode (JBIG2, an EMF) and the pages, and reads the others', async () => {
    const engine = new FakeEngine();
    const ofd = await makeScanOfd([{ image: JBIG2_FILE, ext: 'jb2' }, { image: blankPng(64, 64) }, { image: new Uint8Array([0x01, 0x00, 0x00, 0x00, 0x6c, 0x00, 0x00, 0x00]), ext: 'emf' }]);
    const doc = await extractOfd(ofd, { ocr: true, ocrEngine: engine });
    expect(engine.images).toHaveLength(1);
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_OFD_IMAGE_NOT_READ', message: 'images not read by OCR: in JBIG2 (xunshi decodes PNG, JPEG, BMP, TIFF, GIF, WebP, HEIC) on page 1; in an unknown format (xunshi decodes PNG, JPEG, BMP, TIFF, GIF, WebP, HEIC) on page 3' });
  });
  it('refuses an OFD with more pages to OCR than the bound, having read no more than the bound', async () => {
    const engine = new FakeEngine();
    const ofd = await makeScanOfd(Array.from({ length: 4 }, () => ({ image: blankPng(64, 64) })));
    const e = await errorOf(extractOfd(ofd, { ocr: true, ocrEngine: engine, maxOcrPages: 2 }));
    expect(e.code).toBe(ERROR_CODES.INPUT_TOO_LARGE);
    expect(e.message).toMatch(/more than 2 pages without text objects/);
    expect(engine.images).toHaveLength(2);
  });
  it('stops before a page is read by OCR when the check throws (a time budget)', async () => {
    let checks = 0;
    const check = (): void => {
      checks++;
      throw new XunshiError(ERROR_CODES.INPUT_TIMEOUT, 'stop');
    };
    const e = await errorOf(readDocumentAsync(await makeScanOfd([{ image: blankPng(64, 64) }]), { path: 's.ofd', ocr: true, check }));
    expect(e.code).toBe(ERROR_CODES.INPUT_TIMEOUT);
    expect(checks).toBe(1);
  });
});

const SAMPLE = new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url);
// As for the PDF scans (pdf-ocr.test.ts): the same images, so the same accuracy is expected.
const MIN_ACCURACY = 0.95;

describe.skipIf(!scanReady)('scanned OFDs of Chromium screenshots, read by tesseract.js', () => {
  const text = readFileSync(SAMPLE, 'utf8');
  const paragraphs = text.split('\n').filter((l) => l.trim() !== '');
  let png: Uint8Array;
  const shot = (): Uint8Array => (png ??= screenshot(chromium!, scanPageHtml(paragraphs)));

  it('reads a one-page PNG scan close to its source text and says it was read by OCR', async () => {
    const ofd = await makeScanOfd([{ image: shot() }]);
    const doc = await readDocumentAsync(ofd, { path: 'scan.ofd', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 OFD scan (PNG): character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
    expect(doc.format).toBe('ofd');
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_OFD_OCR')?.message).toMatch(/^1 page\(s\) without text objects read by OCR \(tesseract\.js, chi_sim\): page 1; mean word confidence \d+%$/);
  }, 120_000);

  it('reads a JPEG scan, and a PNG stored turned a quarter and drawn upright by its CTM, as well', async () => {
    const jpeg = screenshot(chromium!, scanPageHtml(paragraphs), 3, 'jpeg');
    for (const [name, page] of [
      ['JPEG', { image: jpeg, ext: 'jpg' }],
      ['turned PNG', { image: turnedPng(shot()), ctm: TURNED_CTM }],
    ] as const) {
      const doc = await readDocumentAsync(await makeScanOfd([page]), { path: 'scan.ofd', ocr: true });
      const accuracy = charAccuracy(text, doc.text);
      console.log(`rectification-06 OFD scan (${name}): character accuracy ${accuracy.toFixed(4)}`);
      expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
    }
  }, 240_000);

  it('reads a mixed OFD: the text page from its text objects, the scanned page by OCR', async () => {
    const first = ['中共测试县委关于巡察整改情况的通报', '根据县委统一部署，县委第一巡察组对县财政局开展了常规巡察。'];
    const doc = await readDocumentAsync(await makeScanOfd([{ text: first }, { image: shot() }]), { path: 'mixed.ofd', ocr: true });
    expect(compact(doc.text).startsWith(compact(first.join('')))).toBe(true);
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_OFD_OCR')?.message).toMatch(/: page 2;/);
    expect(charAccuracy(text, compact(doc.text).slice(compact(first.join('')).length))).toBeGreaterThan(MIN_ACCURACY);
  }, 120_000);
});
