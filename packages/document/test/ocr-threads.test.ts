// Pages of one document read by OCR at once (`ocrThreads`), with a stand-in engine that answers later pages first:
// every reader that schedules its pages (PDF, OFD, a TIFF's pages, image files of one report, a Word document's
// pictures) gives the same document and diagnostic as one page at a time, never reads more pages at once than asked,
// and a page that fails fails the document with nothing left running after it.
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError, type ImageFile } from '@xunshi/types';
// The full entry: a Word document is read through the HTML parser it loads.
import '../src/index.js';
import { extractDocx } from '../src/docx-read.js';
import { extractImage, extractImageFiles } from '../src/image-read.js';
import { extractPdf } from '../src/pdf-read.js';
import { MAX_OCR_THREADS, OcrSession, type GreyImage, type OcrRecognizer, type OcrResult } from '../src/pdf-ocr.js';
import { picturesDocx } from './support/image-fixtures.js';
import { readOfdPages } from '../src/ofd-read.js';
import { blankPng, JBIG2_FILE, makeScanOfd } from './support/ofd-scan-fixtures.js';
import { errorOf } from './support/ocr-stand-in.js';
import { rawPdf } from './support/scan-fixtures.js';
import { tiffOf } from './support/tiff-fixtures.js';

/** A PDF of one scanned page per width, each page an image of that width (which the engine reads back as its text). */
function pagesPdf(widths: readonly number[]): Uint8Array {
  const objs: (string | { dict: string; stream: Uint8Array })[] = ['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${widths.map((_, i) => `${3 + i * 3} 0 R`).join(' ')}] /Count ${widths.length} >>`];
  widths.forEach((w, i) => {
    objs.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 ${5 + i * 3} 0 R >> >> /Contents ${4 + i * 3} 0 R >>`);
    objs.push({ dict: '<< >>', stream: Buffer.from('q 595 0 0 842 0 0 cm /Im0 Do Q', 'latin1') });
    objs.push({ dict: `<< /Type /XObject /Subtype /Image /Width ${w} /Height 80 /ColorSpace /DeviceGray /BitsPerComponent 8 >>`, stream: new Uint8Array(w * 80).fill(255) });
  });
  return rawPdf(objs);
}

/**
 * Reads an image as the words of its width ({@link labelOf}) with a confidence that differs by width, after a delay that is shorter the wider the
 * image (so a later page is answered first); counts the reads in flight. `failOn`: the width whose read fails.
 */
class ShuffledEngine implements OcrRecognizer {
  inFlight = 0;
  most = 0;
  reads = 0;
  closed = 0;
  constructor(private readonly failOn?: number) {}
  async recognize(image: GreyImage): Promise<OcrResult> {
    this.reads++;
    this.most = Math.max(this.most, ++this.inFlight);
    try {
      await new Promise((done) => setTimeout(done, Math.max(1, 400 - 2 * image.width)));
      if (image.width === this.failOn) throw new XunshiError(ERROR_CODES.INTERNAL, `OCR failed on the image ${image.width} wide`);
      return { lines: [{ bbox: { x0: 0, y0: 0, x1: image.width, y1: Math.min(image.height, 40) }, words: [{ text: labelOf(image.width), confidence: 80 + (image.width % 7) / 10 + 0.037, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } }] }] };
    } finally {
      this.inFlight--;
    }
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

const WIDTHS = [64, 72, 80, 88, 96, 104, 112];
/** What the engine reads on the image of a width (no figures: a lone figure in a line is taken for a page number). */
const labelOf = (width: number): string => `第${'甲乙丙丁戊己庚辛壬癸子丑'[(width - 64) / 8] ?? '某'}页内容`;

describe('pages of one document read by OCR at once', () => {
  it('a PDF: the same text, pages and diagnostic with 1, 2 and 3 at once; never more at once than asked', async () => {
    const pdf = pagesPdf(WIDTHS);
    const docs = [];
    for (const threads of [1, 2, 3]) {
      const engine = new ShuffledEngine();
      docs.push(await extractPdf(pdf, { ocr: true, ocrEngine: engine, ocrThreads: threads }));
      // Never more than asked; more than one when asked (a loaded machine may not reach all of them).
      expect(engine.most).toBeLessThanOrEqual(threads);
      expect(engine.most > 1).toBe(threads > 1);
    }
    expect(docs[0]!.text.replace(/\s+/g, '')).toBe(WIDTHS.map(labelOf).join(''));
    expect(docs[1]).toEqual(docs[0]);
    expect(docs[2]).toEqual(docs[0]);
  });

  it("a TIFF's pages, image files of one report and a Word document's pictures: the same with 3 at once", async () => {
    const white = (w: number) => ({ width: w, height: 90, bits: 8 as const, pixels: new Uint8Array(w * 90).fill(255) });
    const tif = tiffOf(WIDTHS.map(white));
    const pngs = WIDTHS.map((w) => blankPng(w, 90));
    const files: ImageFile[] = pngs.map((b, i) => ({ name: `IMG_${i + 1}.png`, read: () => b }));
    const docx = await picturesDocx(pngs);
    for (const read of [
      (threads: number, engine: OcrRecognizer) => extractImage(tif, { ocr: true, ocrEngine: engine, ocrThreads: threads }),
      (threads: number, engine: OcrRecognizer) => extractImageFiles(files, { ocr: true, ocrEngine: engine, ocrThreads: threads }),
      (threads: number, engine: OcrRecognizer) => extractDocx(docx, { ocr: true, ocrEngine: engine, ocrThreads: threads }),
    ]) {
      const one = new ShuffledEngine();
      const three = new ShuffledEngine();
      const a = await read(1, one);
      const b = await read(3, three);
      expect(one.most).toBe(1);
      expect(three.most).toBeGreaterThan(1);
      expect(three.most).toBeLessThanOrEqual(3);
      expect(a.text.replace(/\s+/g, '')).toBe(WIDTHS.map(labelOf).join(''));
      expect(b).toEqual(a);
    }
  });

  it('an OFD: the same pages, and the same list of images not read, with 3 at once', async () => {
    // Scans, a page of text between them, and images of a format not decoded, noted as the pages are read.
    const ofd = await makeScanOfd([...WIDTHS.slice(0, 3).map((w) => ({ image: blankPng(w, 90) })), { text: ['一、巡视发现的问题'] }, { image: JBIG2_FILE, ext: 'jb2' }, ...WIDTHS.slice(3).map((w) => ({ image: blankPng(w, 90) })), { image: JBIG2_FILE, ext: 'jb2' }]);
    const one = new ShuffledEngine();
    const three = new ShuffledEngine();
    const a = await readOfdPages(ofd, { ocr: true, ocrEngine: one, ocrThreads: 1 });
    const b = await readOfdPages(ofd, { ocr: true, ocrEngine: three, ocrThreads: 3 });
    expect(one.most).toBe(1);
    expect(three.most).toBeGreaterThan(1);
    expect(three.most).toBeLessThanOrEqual(3);
    expect(b).toEqual(a);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['XUNSHI_OFD_OCR', 'XUNSHI_OFD_IMAGE_NOT_READ']);
  });

  it('a page that fails fails the document with its error and no more pages are started; those in flight are settled before it returns', async () => {
    const engine = new ShuffledEngine(80);
    const e = await errorOf(extractPdf(pagesPdf(WIDTHS), { ocr: true, ocrEngine: engine, ocrThreads: 3 }));
    expect([e.code, e.message]).toEqual([ERROR_CODES.INTERNAL, 'OCR failed on the image 80 wide']);
    expect(engine.inFlight).toBe(0);
    const reads = engine.reads;
    await new Promise((done) => setTimeout(done, 300));
    expect(engine.reads).toBe(reads);
    // The three in flight when the third failed; no page was started after it.
    expect(reads).toBe(3);
  });

  it('a time budget spent while pages are in flight stops the document', async () => {
    const engine = new ShuffledEngine();
    let checks = 0;
    const e = await errorOf(
      extractPdf(pagesPdf(WIDTHS), {
        ocr: true,
        ocrEngine: engine,
        ocrThreads: 2,
        check: () => {
          if (++checks > 4) throw new XunshiError(ERROR_CODES.INPUT_TIMEOUT, 'budget spent');
        },
      }),
    );
    expect(e.code).toBe(ERROR_CODES.INPUT_TIMEOUT);
    expect(engine.inFlight).toBe(0);
  });

  it('a session starts at most MAX_OCR_THREADS at once, at least one, and is not used once closed', async () => {
    const tooMany = () => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, 'too many');
    expect(new OcrSession({ ocrThreads: 99 }, tooMany).threads).toBe(MAX_OCR_THREADS);
    expect(new OcrSession({ ocrThreads: 0 }, tooMany).threads).toBe(1);
    expect(new OcrSession({}, tooMany).threads).toBe(1);
    const session = new OcrSession({ ocrEngine: new ShuffledEngine(), ocrThreads: 2 }, tooMany);
    await session.close();
    await expect(session.schedule(async () => 1)).rejects.toThrow(/after it was closed/);
  });
});
