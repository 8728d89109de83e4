import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedDocument } from './extracted.js';
import { layoutPdf, type PdfPageText, type PdfTextItem } from './pdf-layout.js';
import { MAX_RULES, rulesOfOperatorList, type PdfRule } from './pdf-tables.js';
import { MAX_IMAGE_PIXELS, MAX_OCR_IMAGES, MAX_OCR_PIXELS, MIN_OCR_SIDE, OcrEngine, imagesOfOperatorList, itemsOfOcr, uprightGrey, type GreyImage, type OcrRecognizer, type OcrResult, type PdfImageData } from './pdf-ocr.js';

/** Most rules read from one PDF, over all its pages (a 台账 of a thousand pages draws a few hundred a page). */
const MAX_DOCUMENT_RULES = 1_000_000;

/** Options of {@link extractPdf}. */
export interface PdfOptions {
  path?: string;
  /** Most pages read (default 2,000): a longer PDF is refused as `INPUT_TOO_LARGE`. */
  maxPages?: number;
  /**
   * Read the pages that have no text layer but draw an image (scans) by OCR (tesseract.js, Simplified Chinese model);
   * pages with a text layer are read as always. Off by default: without it such a PDF is `INPUT_NO_TEXT`.
   */
  ocr?: boolean;
  /** Most pages read by OCR (default 500): a PDF with more pages to OCR is refused as `INPUT_TOO_LARGE`. */
  maxOcrPages?: number;
  /** Called before each page is read by OCR; it throws to stop the reading (a time budget). */
  check?: () => void;
  /** The OCR engine to use (tests count its work); by default one for the document, ended when it is read. */
  ocrEngine?: OcrRecognizer;
}

function locOf(path: string | undefined): { file?: string } {
  return path === undefined ? {} : { file: path };
}

function endsWithEof(bytes: Uint8Array): boolean {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(Math.max(0, bytes.length - 1024)).toString('latin1');
  return tail.includes('%%EOF');
}

/** Map pdf.js's exceptions to xunshi's input errors. */
function toPdfError(e: unknown, bytes: Uint8Array, path: string | undefined): XunshiError {
  const err = e as { name?: string; message?: string; code?: number };
  const loc = locOf(path);
  if (err?.name === 'PasswordException') {
    return new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the PDF is password-protected; open it with its password and save or print an unprotected copy', loc);
  }
  if (!endsWithEof(bytes)) {
    return new XunshiError(ERROR_CODES.INPUT_TRUNCATED, `the PDF is truncated: it has no %%EOF marker at its end (${bytes.length} bytes; was the download or copy cut off?) and cannot be read (${err?.message ?? String(e)})`, loc);
  }
  return new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the PDF is damaged and cannot be read: ${err?.message ?? String(e)}`, loc);
}

/** Page numbers as ranges: `pages 1–3, 7`. */
function pageList(pages: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j]! + 1) j++;
    parts.push(j === i ? `${pages[i]}` : `${pages[i]}–${pages[j]}`);
    i = j + 1;
  }
  return `${pages.length === 1 ? 'page' : 'pages'} ${parts.join(', ')}`;
}

type PdfPage = Awaited<ReturnType<Awaited<ReturnType<typeof import('unpdf').getDocumentProxy>>['getPage']>>;

/** Decoded pixels of an image XObject: in the page's objects, or the document's (`g_` names) for images shared by pages. */
function imageData(page: PdfPage, name: string): Promise<PdfImageData | undefined> {
  const objs = name.startsWith('g_') ? page.commonObjs : page.objs;
  return new Promise((resolve) => {
    try {
      if (objs.has(name)) resolve(objs.get(name) as PdfImageData);
      else objs.get(name, (v: unknown) => resolve(v as PdfImageData));
    } catch {
      resolve(undefined);
    }
  });
}

/** How often the budget is checked while tesseract reads an image (a page takes seconds). */
const CHECK_INTERVAL_MS = 250;

/**
 * Read one image, calling `check` every {@link CHECK_INTERVAL_MS} meanwhile: when it throws (the time budget is spent),
 * the read is given up at once with its error; the caller then ends the engine, which stops tesseract's thread.
 */
async function recognizeChecked(engine: OcrRecognizer, image: GreyImage, check: (() => void) | undefined): Promise<OcrResult> {
  const job = engine.recognize(image);
  if (!check) return job;
  // The job's own failure once it has been given up (the engine ended under it) is nobody's concern.
  job.catch(() => {});
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopped = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      try {
        check();
      } catch (e) {
        reject(e);
      }
    }, CHECK_INTERVAL_MS);
  });
  try {
    return await Promise.race([job, stopped]);
  } finally {
    clearInterval(timer);
  }
}

/**
 * OCR one page without a text layer: each image it paints (the largest {@link MAX_OCR_IMAGES}, none smaller than a
 * few pixels), upright as shown and scaled down to {@link MAX_OCR_PIXELS} over the page, read by tesseract; its lines
 * become text items in page space.
 */
async function ocrPage(page: PdfPage, viewport: { width: number; height: number; transform: number[] }, engine: OcrRecognizer, before: (first: boolean) => void, check: (() => void) | undefined): Promise<{ images: number; items: PdfTextItem[]; confidences: number[]; scaled: boolean }> {
  let ops;
  try {
    ops = await page.getOperatorList();
  } catch {
    return { images: 0, items: [], confidences: [], scaled: false };
  }
  const painted = imagesOfOperatorList(ops.fnArray, ops.argsArray)
    .filter((im) => im.width >= MIN_OCR_SIDE && im.height >= MIN_OCR_SIDE)
    .map((im, i) => ({ im, i }))
    .sort((a, b) => b.im.width * b.im.height - a.im.width * a.im.height || a.i - b.i)
    .slice(0, MAX_OCR_IMAGES)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.im);
  const total = painted.reduce((s, im) => s + im.width * im.height, 0);
  const items: PdfTextItem[] = [];
  const confidences: number[] = [];
  let images = 0;
  let scaled = false;
  for (const im of painted) {
    const data = im.inline ?? (im.name !== undefined ? await imageData(page, im.name) : undefined);
    if (!data) continue;
    // The page's pixel budget shared by its images in proportion to their size.
    const share = Math.max(1, Math.floor((MAX_OCR_PIXELS * (im.width * im.height)) / Math.max(total, 1)));
    const grey = uprightGrey(data, im.mask, im.ctm, viewport.transform, share);
    if (!grey) continue;
    if (grey.width * grey.height < im.width * im.height) scaled = true;
    before(images === 0);
    images++;
    const result = await recognizeChecked(engine, grey, check);
    const got = itemsOfOcr(result, grey, viewport.height);
    items.push(...got.items);
    confidences.push(...got.confidences);
  }
  return { images, items, confidences, scaled };
}

/**
 * Extract a PDF's text with unpdf (pdf.js): each page's text runs in reading order, laid out by {@link layoutPdf}.
 * A PDF with pages but no text layer (a scan) is `INPUT_NO_TEXT`, unless `ocr` is set: then the pages without a text
 * layer that draw an image are read by OCR (see pdf-ocr.ts) and the document says so (`XUNSHI_PDF_OCR`). Password-protected ones are `INPUT_ENCRYPTED`,
 * damaged or truncated ones `INPUT_CORRUPT` / `INPUT_TRUNCATED`.
 */
export async function extractPdf(bytes: Uint8Array, options: PdfOptions = {}): Promise<ExtractedDocument> {
  const { getDocumentProxy } = await import('unpdf');
  const loc = locOf(options.path);
  const maxPages = options.maxPages ?? 2000;
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js may take over (detach) the buffer it is given. disableFontFace: false (unpdf sets true on Node):
    // with true, reading a page's operator list (for its rules) also compiles every glyph drawn into a path for a
    // canvas, which nothing here renders (a third of the time the operator list took); the text read is the same.
    // maxImageSize: pdf.js drops (does not decode) an image of more pixels, whatever the page; a scan at 600 dpi is 35 M.
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, stopAtErrors: false, disableFontFace: false, maxImageSize: MAX_IMAGE_PIXELS });
  } catch (e) {
    throw toPdfError(e, bytes, options.path);
  }
  try {
    if (pdf.numPages > maxPages) {
      throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the PDF has ${pdf.numPages} pages, more than the ${maxPages} that xunshi reads`, loc);
    }
    const pages: PdfPageText[] = [];
    // Rules read over the whole document (a page over MAX_RULES counts in full): past this, pages are read without
    // looking for tables, so that a crafted file of many pages drawn full of rules costs no more than a few.
    let ruleBudget = MAX_DOCUMENT_RULES;
    let unruledFrom: number | undefined;
    // OCR: the engine (started on the first page that needs it), the pages it read and the confidence of each word.
    const engine = options.ocr ? (options.ocrEngine ?? new OcrEngine()) : undefined;
    const ocrPages: number[] = [];
    const confidences: number[] = [];
    const scaledPages: number[] = [];
    const maxOcrPages = options.maxOcrPages ?? 500;
    try {
      for (let n = 1; n <= pdf.numPages; n++) {
        let page;
        try {
          page = await pdf.getPage(n);
        } catch (e) {
          throw toPdfError(e, bytes, options.path);
        }
        const viewport = page.getViewport({ scale: 1 });
        const content = await page.getTextContent();
        const items: PdfTextItem[] = [];
        for (const it of content.items) {
          if (!('str' in it) || it.str.length === 0) continue;
          const t = it.transform as number[];
          // The run's size is its vertical scale; rotated text keeps its length along the baseline as width.
          const size = Math.hypot(t[2] ?? 0, t[3] ?? 0) || it.height || 1;
          items.push({ str: it.str, x: t[4] ?? 0, y: t[5] ?? 0, width: it.width, height: size });
        }
        // The rules drawn on a page with text, for its ruled tables (pdf-tables.ts); a page whose drawing cannot be read
        // is read without tables.
        let rules: PdfRule[] | undefined;
        if (items.length > 0 && ruleBudget > 0) {
          try {
            const ops = await page.getOperatorList();
            rules = rulesOfOperatorList(ops.fnArray, ops.argsArray);
          } catch {
            rules = undefined;
          }
          ruleBudget -= rules?.length ?? MAX_RULES;
          if (ruleBudget <= 0) unruledFrom = n + 1;
        }
        // A page without a text layer (pdf.js drops runs of white space) that draws an image: a scan.
        if (engine && items.length === 0) {
          // Before the page's first image is read: the budget's check, and the bound on pages read by OCR.
          const before = (first: boolean): void => {
            options.check?.();
            if (first && ocrPages.length >= maxOcrPages) {
              throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the PDF has more than ${maxOcrPages} pages without a text layer, more than xunshi reads by OCR`, loc);
            }
          };
          const ocr = await ocrPage(page, viewport, engine, before, options.check);
          if (ocr.images > 0) {
            ocrPages.push(n);
            items.push(...ocr.items);
            confidences.push(...ocr.confidences);
            if (ocr.scaled) scaledPages.push(n);
          }
        }
        pages.push(rules && rules.length > 0 ? { width: viewport.width, height: viewport.height, items, rules } : { width: viewport.width, height: viewport.height, items });
        page.cleanup();
      }
    } finally {
      if (engine && engine !== options.ocrEngine) await engine.close();
    }
    const doc = layoutPdf(pages);
    if (unruledFrom !== undefined && unruledFrom <= pdf.numPages) {
      doc.diagnostics.push({ code: 'XUNSHI_PDF_TABLES_SKIPPED', message: `the pages draw more rules than reports do: from page ${unruledFrom} on, ruled tables were not looked for (their cells are read as lines)` });
    }
    if (!/[^\s]/.test(doc.text)) {
      throw new XunshiError(
        ERROR_CODES.INPUT_NO_TEXT,
        engine
          ? `the PDF has ${pdf.numPages} page(s), no text layer, and ${ocrPages.length === 0 ? `no image that OCR could read (an image of more than ${MAX_IMAGE_PIXELS / 1e6} M pixels is not decoded)` : 'OCR found no text in its images'}`
          : `the PDF has ${pdf.numPages} page(s) but no text layer (a scanned document?): read it by OCR with --ocr (library: the option ocr: true), or use the original .docx`,
        loc,
      );
    }
    if (ocrPages.length > 0) {
      const mean = confidences.length === 0 ? 0 : Math.round(confidences.reduce((a, b) => a + b, 0) / confidences.length);
      doc.diagnostics.push({
        code: 'XUNSHI_PDF_OCR',
        message: `${ocrPages.length} page(s) without a text layer read by OCR (tesseract.js, chi_sim): ${pageList(ocrPages)}; mean word confidence ${mean}%${scaledPages.length > 0 ? `; images scaled down to ${MAX_OCR_PIXELS / 1e6} M pixels on ${pageList(scaledPages)}` : ''}`,
      });
    }
    return doc;
  } finally {
    await pdf.loadingTask.destroy();
  }
}
