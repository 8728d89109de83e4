// The image files of one report, a page a file (a phone's photographs of a notice's pages, a scanner's file a page),
// read by OCR as one document (`extractImageFiles`, `readImageFilesAsync`), with a stand-in engine: pages in the order
// given, a TIFF's every page, the file of each page named, files that cannot be read or decoded left out and named,
// the errors that say what to do. End to end with tesseract.js: test/ocr.test.ts.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError, type ImageFile } from '@xunshi/types';
import { readImageFilesAsync } from '../src/index.js';
import { extractImageFiles } from '../src/image-read.js';
import { OCR_PAGE_SECONDS } from '../src/pdf-ocr.js';
import { asymmetricPicture, jpegOf } from './support/image-fixtures.js';
import { blankPng, JBIG2_FILE } from './support/ofd-scan-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';
import { tiffOf } from './support/tiff-fixtures.js';

const file = (name: string, bytes: Uint8Array): ImageFile => ({ name, read: () => bytes });
const white = (width: number, height: number) => ({ width, height, bits: 8 as const, pixels: new Uint8Array(width * height).fill(255) });

/** A stand-in engine that finds, on each image it is given, the next of `pages` (a line of words each). */
class PageEngine extends FakeEngine {
  private n = 0;
  constructor(private readonly pages: readonly (readonly string[])[]) {
    super();
  }
  override async recognize(image: Parameters<FakeEngine['recognize']>[0]) {
    const words = this.pages[this.n++ % this.pages.length]!;
    await super.recognize(image);
    return { lines: [{ bbox: { x0: 0, y0: 0, x1: image.width, y1: Math.min(image.height, 40) }, words: words.map((text) => ({ text, confidence: 80, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } })) }] };
  }
}

describe('image files of one report read as its pages', () => {
  it('reads each file as a page in the order given, a TIFF each of its pages, and names the file of each page', async () => {
    const png = blankPng(1200, 1700);
    const jpg = jpegOf(asymmetricPicture());
    const tif = tiffOf([white(600, 800), white(600, 800)]);
    const engine = new PageEngine([['第一页'], ['第二页'], ['第三页'], ['第四页']]);
    const granted: number[] = [];
    const doc = await extractImageFiles([file('IMG_1.png', png), file('scan.tif', tif), file('IMG_3.jpg', jpg)], { path: 'notice/', ocr: true, ocrEngine: engine, grant: (s) => granted.push(s) });
    // Each page read by OCR grows the time budget.
    expect(granted).toEqual([OCR_PAGE_SECONDS, OCR_PAGE_SECONDS, OCR_PAGE_SECONDS, OCR_PAGE_SECONDS]);
    expect(doc.pageFiles).toEqual(['IMG_1.png', 'scan.tif', 'scan.tif', 'IMG_3.jpg']);
    expect(doc.pages).toHaveLength(4);
    expect(doc.pages!.map((r) => doc.text.slice(r.start, r.end).trim())).toEqual(['第一页', '第二页', '第三页', '第四页']);
    expect(doc.sha256).toBe(createHash('sha256').update(png).update(tif).update(jpg).digest('hex'));
    expect(doc.diagnostics).toEqual([{ code: 'XUNSHI_IMAGE_OCR', message: '4 page(s) of the 3 image files read by OCR (tesseract.js, chi_sim): pages 1–4; mean word confidence 80%' }]);
    // One engine for the report, ended by it (the session's own).
    expect(engine.images).toHaveLength(4);
  });

  it('leaves out, and names with why, a file that cannot be read, is damaged, too large to decode or of a format not decoded; the others are read', async () => {
    const unreadable: ImageFile = {
      name: 'gone.jpg',
      read: () => {
        throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
      },
    };
    const tooLarge: ImageFile = {
      name: 'huge.jpg',
      read: () => {
        throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, 'the file is 30 MiB, more than the size limit of 20 MiB');
      },
    };
    const damaged = blankPng(900, 900).subarray(0, 60);
    // A caller's own reader that throws an error of its own: its message says why.
    const own: ImageFile = {
      name: 'cloud.png',
      read: () => {
        throw new Error('the object store timed out');
      },
    };
    const doc = await extractImageFiles(
      [file('IMG_1.png', blankPng(1200, 1700)), unreadable, tooLarge, own, file('IMG_4.png', damaged), file('IMG_5.jb2', JBIG2_FILE), file('notes.png', new TextEncoder().encode('not an image'))],
      { ocr: true, ocrEngine: new PageEngine([['巡视', '整改']]) },
    );
    expect(doc.pageFiles).toEqual(['IMG_1.png']);
    const message = doc.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')!.message;
    expect(message).toMatch(/^1 page\(s\) of the 7 image files read by OCR .*; not read: gone\.jpg \(cannot be read: ENOENT\); huge\.jpg \(the file is 30 MiB, more than the size limit of 20 MiB\); cloud\.png \(cannot be read: the object store timed out\); IMG_4\.png \(.+\); IMG_5\.jb2 \(a JBIG2 image, which xunshi does not decode\); notes\.png \(not an image xunshi reads\)$/);
  });

  it('is INPUT_NO_TEXT without ocr (naming --ocr) and when OCR finds nothing; INPUT_CORRUPT, naming each file, when none gives a page; INPUT_EMPTY with no file', async () => {
    const files = [file('IMG_1.png', blankPng(1200, 1700)), file('IMG_2.png', blankPng(1200, 1700))];
    const no = await errorOf(extractImageFiles(files, { path: 'notice/' }));
    expect([no.code, no.file, no.message]).toEqual([ERROR_CODES.INPUT_NO_TEXT, 'notice/', 'a report of 2 image files, which have no text but what OCR reads: read them with --ocr (library: the option ocr: true)']);
    const blank = await errorOf(extractImageFiles(files, { ocr: true, ocrEngine: new FakeEngine([]) }));
    expect([blank.code, blank.message]).toEqual([ERROR_CODES.INPUT_NO_TEXT, 'a report of 2 image files in which OCR found no text']);
    const none = await errorOf(extractImageFiles([file('a.png', new Uint8Array(3)), file('b.jb2', JBIG2_FILE)], { ocr: true, ocrEngine: new FakeEngine() }));
    expect(none.code).toBe(ERROR_CODES.INPUT_CORRUPT);
    expect(none.message).toBe('a report of 2 image files, none of which gives a page: a.png (not an image xunshi reads); b.jb2 (a JBIG2 image, which xunshi does not decode)');
    expect((await errorOf(extractImageFiles([], { ocr: true }))).code).toBe(ERROR_CODES.INPUT_EMPTY);
  });

  it('refuses more files than pages are read by OCR (a folder of many reports) before reading any', async () => {
    let reads = 0;
    const counted = (name: string): ImageFile => ({ name, read: () => (reads++, blankPng(1200, 1700)) });
    const e = await errorOf(extractImageFiles([counted('a.png'), counted('b.png'), counted('c.png')], { path: 'photos/', ocr: true, ocrEngine: new FakeEngine(), maxOcrPages: 2 }));
    expect([e.code, e.file, e.message]).toEqual([ERROR_CODES.INPUT_TOO_LARGE, 'photos/', "a report of 3 image files, more than the 2 pages xunshi reads by OCR in one report: keep each report's photographs or scans in a folder of their own"]);
    expect(reads).toBe(0);
  });

  it("stops at the time budget's check, between files and within a page", async () => {
    const stop = new XunshiError(ERROR_CODES.INPUT_TIMEOUT, 'past the budget');
    let reads = 0;
    const counted = (name: string): ImageFile => ({ name, read: () => (reads++, blankPng(1200, 1700)) });
    let calls = 0;
    const e = await errorOf(extractImageFiles([counted('a.png'), counted('b.png'), counted('c.png')], { ocr: true, ocrEngine: new FakeEngine(), check: () => { if (++calls > 1) throw stop; } }));
    expect(e).toBe(stop);
    expect(reads).toBeLessThan(3);
    // A file whose reading fails with an error that is not about the file (the budget's) ends the report too.
    const timeout: ImageFile = { name: 'slow.png', read: () => { throw stop; } };
    expect(await errorOf(extractImageFiles([timeout, counted('d.png')], { ocr: true, ocrEngine: new FakeEngine() }))).toBe(stop);
  });

  it('readImageFilesAsync gives a DocumentModel of format image with the files of its pages, its units on their pages', async () => {
    const doc = await readImageFilesAsync([file('IMG_2.png', blankPng(1200, 1700)), file('IMG_10.png', blankPng(1200, 1700))], { path: 'notice/', ocr: true, ocrEngine: new PageEngine([['一、巡视发现的问题。'], ['二、整改措施。']]) });
    expect(doc.format).toBe('image');
    expect(doc.pageFiles).toEqual(['IMG_2.png', 'IMG_10.png']);
    expect(doc.units.map((u) => [doc.text.slice(u.start, u.end), u.page])).toEqual([
      ['一、巡视发现的问题。', 1],
      ['二、整改措施。', 2],
    ]);
  });
});
