// Image files (a page scanned to PNG or JPEG, a phone's photograph, a screenshot) read by OCR (opt-in `ocr`): the
// format from the bytes and the name, the errors that say what to do, the EXIF orientation that shows a photograph
// upright, with a stand-in engine; then Chromium screenshots read by tesseract.js and compared with their source text.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { detectFormat, readDocument, readDocumentAsync, sniffFormat } from '../src/index.js';
import { exifOrientation, extractImage, IMAGE_PAGE_WIDTH } from '../src/image-read.js';
import { extractDocx } from '../src/docx-read.js';
import { parseExtracted } from '../src/parse-document.js';
import { MAX_IMAGE_PIXELS } from '../src/pdf-ocr.js';
import { findChromium, hasCjkFont } from './support/fixtures.js';
import { asymmetricPicture, jpegOf, picturesDocx, pixelsOf, pngOf, storedFor, type Rgba } from './support/image-fixtures.js';
import { blankPng, headerOnlyPng, JBIG2_FILE } from './support/ofd-scan-fixtures.js';
import { FakeEngine, errorOf } from './support/ocr-stand-in.js';
import { tiffOf } from './support/tiff-fixtures.js';
import { charAccuracy, compact, LEDGER_ROWS, ledgerCells, ledgerPageHtml, ledgerText, scanPageHtml, screenshot } from './support/scan-fixtures.js';

const TIFF = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
const GIF = new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;');

/** Mean absolute difference of two grey pictures of one size (255 when the sizes differ). */
function greyDistance(a: { width: number; height: number; pixels: Uint8Array }, b: Rgba): number {
  if (a.width !== b.width || a.height !== b.height) return 255;
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++) sum += Math.abs(a.pixels[i]! - b.data[i * 4]!);
  return sum / a.pixels.length;
}

describe('image files: format and errors', () => {
  it('takes the format from the signature (PNG, JPEG, TIFF, GIF under any name but .txt and .md) or the extension (BMP, an empty .png)', () => {
    const png = blankPng(40, 40);
    const jpg = jpegOf(asymmetricPicture());
    expect(sniffFormat(png, 'scan.png')).toBe('image');
    expect(sniffFormat(png, 'scan')).toBe('image');
    // A .txt or .md stays what it says (a PNG saved as .txt is refused as binary text).
    expect(sniffFormat(png, 'scan.txt')).toBe('text');
    expect(sniffFormat(png, 'scan.md')).toBe('markdown');
    expect(sniffFormat(jpg, 'photo.JPG')).toBe('image');
    expect(sniffFormat(jpg, 'photo.jpeg')).toBe('image');
    expect(sniffFormat(TIFF, 'fax.tif')).toBe('image');
    expect(sniffFormat(GIF, 'x')).toBe('image');
    // BMP's two letters are text too: only the extension makes it an image.
    expect(sniffFormat(new TextEncoder().encode('BM is a text'), 'notes.txt')).toBe('text');
    expect(sniffFormat(new TextEncoder().encode('BM'), 'scan.bmp')).toBe('image');
    for (const ext of ['.png', '.jpg', '.jpeg', '.jpe', '.jfif', '.bmp', '.tif', '.tiff', '.gif', '.heic', '.heif', '.avif', '.webp']) {
      expect(detectFormat(`a${ext}`)).toBe('image');
      expect(sniffFormat(new Uint8Array([1, 2, 3]), `a${ext.toUpperCase()}`)).toBe('image');
    }
  });

  it('without ocr an image is INPUT_NO_TEXT, naming its kind, its size and --ocr; the synchronous reader names the asynchronous one', async () => {
    const e = await errorOf(readDocumentAsync(jpegOf(asymmetricPicture()), { path: 'photo.jpg' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toBe('the file is a JPEG image (48 × 80 pixels), which has no text but what OCR reads: read it with --ocr (library: the option ocr: true)');
    expect(e.file).toBe('photo.jpg');
    expect(() => readDocument(blankPng(40, 40), { path: 'a.png' })).toThrow(/an image is read asynchronously: use analyzeAsync\(\) \/ readDocumentAsync\(\)/);
  });

  it('names JBIG2 as not decoded, bytes that are no image as corrupt (a TIFF header without a page, a GIF without an image too), a damaged one, and one too large to decode, never decoding it', async () => {
    const engine = new FakeEngine();
    const cases: [Uint8Array, string, string, RegExp][] = [
      [TIFF, 'fax.tiff', ERROR_CODES.INPUT_CORRUPT, /^the file is a TIFF image without a page it can read \(a page lies past the end of the file \(cut short\?\)\)$/],
      [GIF, 'a.gif', ERROR_CODES.INPUT_CORRUPT, /^the file is a GIF image \(1 × 1 pixels\) that does not decode: it is damaged or cut short$/],
      [JBIG2_FILE, 'a.png', ERROR_CODES.INPUT_UNSUPPORTED, /^the file is a JBIG2 image/],
      [new TextEncoder().encode('not an image at all'), 'a.png', ERROR_CODES.INPUT_CORRUPT, /^the file is not an image xunshi reads/],
      [new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0]), 'IMG_0001.HEIC', ERROR_CODES.INPUT_CORRUPT, /^the file is a HEIC\/HEIF photograph whose header gives no size/],
      [new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypavif'), 0, 0, 0, 0]), 'a.avif', ERROR_CODES.INPUT_UNSUPPORTED, /^the file is an AVIF image, which xunshi does not decode; export it as JPEG or PNG/],
      [new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '), 'a.webp', ERROR_CODES.INPUT_CORRUPT, /^the file is a WebP image whose header gives no size/],
      [blankPng(40, 40).slice(0, 16), 'a.png', ERROR_CODES.INPUT_CORRUPT, /^the file is a PNG image cut short \(16 bytes, no complete header\)$/],
      [headerOnlyPng(400, 300), 'a.png', ERROR_CODES.INPUT_CORRUPT, /^the file is a PNG image \(400 × 300 pixels\) that does not decode: it is damaged or cut short$/],
      [headerOnlyPng(10_000, 6_000), 'big.png', ERROR_CODES.INPUT_TOO_LARGE, new RegExp(`^the file is a PNG image of 10000 × 6000 pixels, more than the ${MAX_IMAGE_PIXELS / 1e6} M pixels xunshi decodes`)],
      [headerOnlyPng(0, 300), 'a.png', ERROR_CODES.INPUT_CORRUPT, /whose header gives no size/],
    ];
    for (const [bytes, path, code, message] of cases) {
      const e = await errorOf(extractImage(bytes, { path, ocr: true, ocrEngine: engine }));
      expect([path, e.code]).toEqual([path, code]);
      expect(e.message).toMatch(message);
    }
    expect(engine.images).toEqual([]);
  });

  it('never fails but with a XunshiError on any bytes named as an image, and starts no engine it was not given (property)', async () => {
    const valid = [blankPng(40, 40), jpegOf(asymmetricPicture(), 6), pngOf(asymmetricPicture()), tiffOf([{ width: 40, height: 40, bits: 8, pixels: new Uint8Array(1600).fill(255) }, { width: 40, height: 40, bits: 1, pixels: new Uint8Array(1600) }])];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.constantFrom(...valid), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat()).map(([b, at, v, cut]) => {
            const c = b.slice(0, Math.max(2, b.length - (cut % b.length)));
            c[at % c.length] = v;
            return c;
          }),
        ),
        async (bytes) => {
          const engine = new FakeEngine();
          try {
            const doc = await extractImage(bytes, { path: 'x.png', ocr: true, ocrEngine: engine });
            expect(doc.text).toContain('巡视');
          } catch (e) {
            expect(e).toBeInstanceOf(XunshiError);
          }
          expect(engine.closed).toBe(0);
        },
      ),
      { numRuns: 150, seed: 20261207 },
    );
  });
});

describe('image files read by OCR (stand-in engine)', () => {
  it('reads what OCR finds on a page of A4 width, one page, and says so', async () => {
    // A page of 1,200 × 1,700 pixels, the line OCR finds across its middle.
    const engine = new FakeEngine(['巡视', '整改', '通报'], { x0: 100, y0: 800, x1: 1100, y1: 850 });
    const doc = await extractImage(blankPng(1200, 1700), { path: 'a.png', ocr: true, ocrEngine: engine });
    expect(doc.text.trim()).toBe('巡视整改通报');
    expect(doc.pages).toEqual([{ start: 0, end: doc.text.length }]);
    expect(doc.diagnostics).toContainEqual({ code: 'XUNSHI_IMAGE_OCR', message: '1 page(s) of the image read by OCR (tesseract.js, chi_sim): page 1; mean word confidence 80%' });
    // The engine sees the image upright and grey, covering the page from edge to edge.
    expect(engine.images).toHaveLength(1);
    expect(engine.images[0]!.box.map((v) => Math.round(v * 100) / 100)).toEqual([0, 0, IMAGE_PAGE_WIDTH, Math.round(((IMAGE_PAGE_WIDTH * 1700) / 1200) * 100) / 100]);
    expect(engine.closed).toBe(0);
  });

  it('shows a photograph upright by its EXIF orientation, each of the eight, as stored pixels turned and flipped', async () => {
    const upright = asymmetricPicture();
    const seen: number[] = [];
    for (let o = 1; o <= 8; o++) {
      const jpeg = jpegOf(storedFor(upright, o), o);
      expect(await exifOrientation(jpeg)).toBe(o);
      const engine = new FakeEngine();
      const doc = await extractImage(jpeg, { path: `o${o}.jpg`, ocr: true, ocrEngine: engine });
      const image = engine.images[0]!;
      // Upright: what the engine gets is the picture as shown (JPEG's loss aside), and no other turn of it is.
      expect([o, greyDistance(image, upright) < 6]).toEqual([o, true]);
      // Nor is it the pixels as stored (for every orientation but 1), which reading without the EXIF would give.
      if (o !== 1) expect(greyDistance(image, pixelsOf(jpeg))).toBeGreaterThan(20);
      seen.push(o);
      const message = doc.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')!.message;
      expect(message.endsWith(`; turned upright by its EXIF orientation (${o})`)).toBe(o !== 1);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('reads a JPEG without EXIF, or with an orientation out of range, as stored', async () => {
    const picture = asymmetricPicture();
    for (const jpeg of [jpegOf(picture), jpegOf(picture, 9), jpegOf(picture, 0)]) {
      expect(await exifOrientation(jpeg)).toBe(1);
      const engine = new FakeEngine();
      await extractImage(jpeg, { ocr: true, ocrEngine: engine });
      expect(greyDistance(engine.images[0]!, picture)).toBeLessThan(6);
    }
  });

  it('an image in which OCR finds nothing is INPUT_NO_TEXT', async () => {
    const e = await errorOf(extractImage(blankPng(64, 64), { path: 'blank.png', ocr: true, ocrEngine: new FakeEngine([]) }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toBe('the file is a PNG image (64 × 64 pixels) in which OCR found no text');
  });

  it('stops before the image is read when the check throws (a time budget)', async () => {
    const engine = new FakeEngine();
    const stop = new XunshiError(ERROR_CODES.INPUT_TIMEOUT, 'out of time');
    const e = await errorOf(extractImage(blankPng(64, 64), { ocr: true, ocrEngine: engine, check: () => { throw stop; } }));
    expect(e).toBe(stop);
    expect(engine.images).toEqual([]);
  });
});

describe('a Word document of pictures only (pages scanned and pasted into Word), read by OCR', () => {
  it('without ocr is INPUT_NO_TEXT, naming the pictures and --ocr; with more text than a title its pictures are never read', async () => {
    const docx = await picturesDocx([blankPng(1200, 1700), blankPng(1200, 1700)]);
    const e = await errorOf(readDocumentAsync(docx, { path: 'scan.docx' }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toBe('the Word document has no text but 2 picture(s) (pages scanned into it?): read it by OCR with --ocr (library: the option ocr: true), or use the original document');
    const engine = new FakeEngine(['巡视', '整改'], { x0: 100, y0: 800, x1: 1100, y1: 850 });
    const report = '县委巡察组反馈意见指出，部分党员干部理想信念淡化，落实全面从严治党主体责任不到位。'.repeat(5);
    const withText = await extractDocx(await picturesDocx([blankPng(1200, 1700)], [report]), { ocr: true, ocrEngine: engine });
    expect(withText.text.trim()).toBe(report);
    expect(withText.diagnostics).toEqual([]);
    expect(engine.images).toEqual([]);
  });

  it('reads each picture as a page, in order, upright by its EXIF orientation; names those it cannot read', async () => {
    const engine = new FakeEngine(['巡视', '整改'], { x0: 100, y0: 800, x1: 1100, y1: 850 });
    const emf = new Uint8Array([0x01, 0x00, 0x00, 0x00, 0x6c, 0x00, 0x00, 0x00]);
    const upright = asymmetricPicture();
    const docx = await picturesDocx([blankPng(1200, 1700), emf, jpegOf(storedFor(upright, 8), 8), headerOnlyPng(900, 900)]);
    const doc = await extractDocx(docx, { path: 'scan.docx', ocr: true, ocrEngine: engine });
    expect(engine.images.map((g) => [g.width, g.height])).toEqual([
      [1200, 1700],
      [48, 80],
    ]);
    expect(greyDistance(engine.images[1]!, upright)).toBeLessThan(6);
    expect(doc.pages).toHaveLength(2);
    expect(doc.diagnostics).toContainEqual({
      code: 'XUNSHI_DOCX_OCR',
      message: '2 page(s) of a Word document (its pictures) read by OCR (tesseract.js, chi_sim): pages 1–2; mean word confidence 80%; not read: of a format xunshi does not decode (EMF, WMF, …): picture 2; that did not decode: picture 4',
    });
    expect(engine.closed).toBe(0);
  });

  it('names a picture pasted in of a format not decoded (a HEIF sequence, AVIF) as what it is', async () => {
    const heic = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypmsf1'), 0, 0, 0, 0]);
    const webp = new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypavif'), 0, 0, 0, 0]);
    const engine = new FakeEngine(['巡视', '整改'], { x0: 100, y0: 800, x1: 1100, y1: 850 });
    const doc = await extractDocx(await picturesDocx([blankPng(1200, 1700), heic, webp]), { path: 'scan.docx', ocr: true, ocrEngine: engine });
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_DOCX_OCR')?.message).toMatch(/; not read: of a format xunshi does not decode \(HEIF image sequence\): picture 2; of a format xunshi does not decode \(AVIF image\): picture 3$/);
  });

  it('a document whose pictures OCR finds nothing in is INPUT_NO_TEXT, saying which were not read', async () => {
    const emf = new Uint8Array([0x01, 0x00, 0x00, 0x00]);
    const e = await errorOf(extractDocx(await picturesDocx([blankPng(64, 64), emf]), { ocr: true, ocrEngine: new FakeEngine([]) }));
    expect(e.code).toBe(ERROR_CODES.INPUT_NO_TEXT);
    expect(e.message).toBe('the Word document has no text but 2 picture(s), in which OCR found no text (not read: of a format xunshi does not decode (EMF, WMF, …): picture 2)');
  });

  it('a title typed above pasted scans: without ocr read as the title with a diagnostic; with it, the page-sized pictures follow the title, a logo not read', async () => {
    const title = '关于巡察反馈问题整改情况的报告（扫描件）';
    // The first scan wider than the second, so that its one line ends short of the page's edge and no paragraph runs
    // on over the page break (a line reaching its page's margin would, as in a PDF).
    const docx = await picturesDocx([blankPng(120, 120), blankPng(1800, 1700), blankPng(1200, 1700)], [title]);
    const plain = await extractDocx(docx, { path: 'scan.docx' });
    expect(plain.text.trim()).toBe(title);
    expect(plain.diagnostics).toEqual([{ code: 'XUNSHI_PICTURES_NOT_READ', message: `the Word document has ${title.length} characters of text and 2 picture(s) the size of a page (pages scanned into it?): with --ocr (library: the option ocr: true) they are read by OCR after its text` }]);
    // A short memo with a logo is no scan: nothing is said.
    expect((await extractDocx(await picturesDocx([blankPng(120, 120)], [title]))).diagnostics).toEqual([]);
    const engine = new FakeEngine(['巡视', '整改。'], { x0: 100, y0: 800, x1: 1100, y1: 850 });
    const doc = await extractDocx(docx, { path: 'scan.docx', ocr: true, ocrEngine: engine });
    expect(engine.images).toHaveLength(2);
    expect(doc.text.split('\n').filter((l) => l.trim() !== '')).toEqual([title, '巡视整改。', '巡视整改。']);
    // The title stands on the first page, with the first scan.
    expect(doc.pages!.map((p) => doc.text.slice(p.start, p.end).trim())).toEqual([`${title}\n巡视整改。`, '巡视整改。']);
    expect(doc.diagnostics).toEqual([
      { code: 'XUNSHI_DOCX_OCR', message: '2 page(s) of a Word document (its pictures) read by OCR (tesseract.js, chi_sim): pages 1–2; mean word confidence 80%; not read: smaller than a page (under 400 pixels a side): picture 1' },
    ]);
    // Parsed, the title is a unit of the first page and each page's text a unit of its page.
    const model = parseExtracted(doc, { format: 'docx' });
    expect(model.units.map((u) => [model.text.slice(u.start, u.end), u.page])).toEqual([
      [title, 1],
      ['巡视整改。', 1],
      ['巡视整改。', 2],
    ]);
  });
});

const chromium = findChromium();
const scanReady = chromium !== undefined && hasCjkFont();
if (!scanReady) console.warn(`skipped: the image OCR tests need headless Chromium and a CJK font (apt-get install chromium fonts-wqy-microhei); found chromium=${chromium ?? 'none'}`);

const SAMPLE = new URL('../../../corpus/tuning/rectification-06.txt', import.meta.url);
// As for the PDF and OFD scans of the same page (pdf-ocr.test.ts, ofd-ocr.test.ts).
const MIN_ACCURACY = 0.95;

describe.skipIf(!scanReady)('screenshots and photographs of a report, read by tesseract.js', () => {
  const text = readFileSync(SAMPLE, 'utf8');
  const paragraphs = text.split('\n').filter((l) => l.trim() !== '');

  it('reads a PNG screenshot of a page close to its source text, paragraphs joined as in the text', async () => {
    const doc = await readDocumentAsync(screenshot(chromium!, scanPageHtml(paragraphs), 2), { path: 'page.png', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 PNG screenshot: character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
    expect(doc.format).toBe('image');
    // Each paragraph, heading and signature line of the source starts a line of the reading (its wrapped lines joined;
    // five of its first six characters as OCR reads them, which may take ： for ；): measured 18 of 18, and one
    // paragraph cut once more (before 元。, after a figure OCR set short of the margin).
    const lines = doc.text.split('\n').map(compact);
    const startsLine = (p: string): boolean => lines.some((l) => [...compact(p).slice(0, 6)].filter((c, i) => l[i] === c).length >= 5);
    expect(paragraphs.filter(startsLine)).toEqual(paragraphs);
    expect(lines.filter((l) => l !== '').length).toBeLessThanOrEqual(paragraphs.length + 2);
  }, 120_000);

  it('reads a photograph stored a quarter turn with EXIF orientation 6, as a phone writes it, as well as the upright page', async () => {
    const upright = pixelsOf(screenshot(chromium!, scanPageHtml(paragraphs), 2, 'jpeg'));
    const doc = await readDocumentAsync(jpegOf(storedFor(upright, 6), 6), { path: 'photo.jpg', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 JPEG stored turned (EXIF 6): character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')?.message).toMatch(/; turned upright by its EXIF orientation \(6\)$/);
  }, 120_000);

  it('reads a Word document of two pasted pages (a PNG and a JPEG) by OCR, page by page, as the source text', async () => {
    const half = Math.ceil(paragraphs.length / 2);
    const first = screenshot(chromium!, scanPageHtml(paragraphs.slice(0, half)), 2);
    const second = screenshot(chromium!, scanPageHtml(paragraphs.slice(half)), 2, 'jpeg');
    const doc = await readDocumentAsync(await picturesDocx([first, second]), { path: 'scan.docx', ocr: true });
    const accuracy = charAccuracy(text, doc.text);
    console.log(`rectification-06 as two pictures in a .docx: character accuracy ${accuracy.toFixed(4)}`);
    expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
    expect(doc.format).toBe('docx');
    expect(doc.pages).toHaveLength(2);
    expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_DOCX_OCR')?.message).toMatch(/^2 page\(s\) of a Word document \(its pictures\) read by OCR \(tesseract\.js, chi_sim\): pages 1–2; mean word confidence \d+%$/);
  }, 180_000);

  it('sets a page scanned askew straight before OCR (3° one way, 5° the other), and says so', async () => {
    // Measured before deskew.ts: 2° read 0.944 of the characters, 5° 0.802; after, 0.993 and 0.986.
    for (const degrees of [3, -5]) {
      const html = scanPageHtml(paragraphs).replace('<body>', `<body style="transform:rotate(${degrees}deg);transform-origin:50% 0">`);
      const doc = await readDocumentAsync(screenshot(chromium!, html, 2), { path: 'askew.png', ocr: true });
      const accuracy = charAccuracy(text, doc.text);
      console.log(`rectification-06 screenshot turned ${degrees}°: character accuracy ${accuracy.toFixed(4)}`);
      expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
      expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')?.message).toMatch(new RegExp(`; set straight \\(skewed ${degrees}(\\.\\d)?° on page 1\\)$`));
    }
  }, 180_000);

  it('evens out uneven light on a photographed page (a hand\'s shadow, light from one side) before OCR, and says so', async () => {
    // Measured before page-light.ts: the shadow (45 % of the light over the lower right) 0.711, the gradient (down to
    // 40 % on the right) 0.698; after: 0.969 and 0.992.
    const page = pixelsOf(screenshot(chromium!, scanPageHtml(paragraphs), 2));
    const lights: [string, (x: number, y: number) => number][] = [
      ['shadow', (x, y) => (x > page.width * 0.55 && y > page.height * 0.3 ? 0.45 : 1)],
      ['gradient', (x) => 1 - 0.6 * (x / page.width)],
    ];
    for (const [name, light] of lights) {
      const data = new Uint8Array(page.data);
      for (let y = 0; y < page.height; y++) {
        for (let x = 0; x < page.width; x++) {
          const i = (y * page.width + x) * 4;
          for (let c = 0; c < 3; c++) data[i + c] = Math.round(data[i + c]! * light(x, y));
        }
      }
      const doc = await readDocumentAsync(pngOf({ width: page.width, height: page.height, data }), { path: `${name}.png`, ocr: true });
      const accuracy = charAccuracy(text, doc.text);
      console.log(`rectification-06 screenshot under ${name}: character accuracy ${accuracy.toFixed(4)}`);
      expect(accuracy).toBeGreaterThan(MIN_ACCURACY);
      expect(doc.diagnostics.find((d) => d.code === 'XUNSHI_IMAGE_OCR')?.message).toMatch(/; uneven light evened out on page 1$/);
    }
  }, 180_000);

  it('reads a ruled ledger in a screenshot by rows of cells, as in the scanned PDF of it', async () => {
    const doc = await extractImage(screenshot(chromium!, ledgerPageHtml(true)), { path: 'ledger.png', ocr: true });
    const cells = ledgerCells(doc);
    const accuracy = charAccuracy(ledgerText(), doc.text);
    console.log(`ledger PNG screenshot: character accuracy ${accuracy.toFixed(4)}; cells exact ${cells.exact}/${cells.total}, within OCR error ${cells.close}/${cells.total}`);
    // The thresholds of the scanned PDF of the same screenshot (pdf-ocr.test.ts).
    expect(accuracy).toBeGreaterThan(0.95);
    expect(cells.close).toBeGreaterThanOrEqual(cells.total - 2);
    expect(doc.lines.filter((l) => l.kind === 'row' && l.cells!.length === 5)).toHaveLength(LEDGER_ROWS.length + 1);
  }, 120_000);
});
