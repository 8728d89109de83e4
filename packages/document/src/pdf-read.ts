import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedDocument } from './extracted.js';
import { layoutPdf, type PdfPageText, type PdfTextItem } from './pdf-layout.js';
import { MAX_DOCUMENT_RULES, MAX_RULES, rulesOfOperatorList, type PdfRule } from './pdf-tables.js';
import { MAX_IMAGE_PIXELS, OcrSession, imagesOfOperatorList, placeScanned, uprightGrey, type OcrSessionOptions, type PdfImageData } from './pdf-ocr.js';
import { ensureArrayBufferTransfer } from './array-buffer-transfer.js';

/** Options of {@link extractPdf}. */
export interface PdfOptions extends OcrSessionOptions {
  path?: string;
  /** Most pages read (default 2,000): a longer PDF is refused as `INPUT_TOO_LARGE`. */
  maxPages?: number;
  /**
   * Read the pages that have no text layer but draw an image (scans) by OCR (tesseract.js, Simplified Chinese model);
   * pages with a text layer are read as always. Off by default: without it such a PDF is `INPUT_NO_TEXT`.
   */
  ocr?: boolean;
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

/**
 * OCR one page without a text layer: the images it paints, upright as shown, read by the document's OCR session; its
 * lines become text items in page space.
 */
async function ocrPage(n: number, page: PdfPage, viewport: { width: number; height: number; transform: number[] }, session: OcrSession): Promise<{ items: PdfTextItem[]; rules: PdfRule[] }> {
  let ops;
  try {
    ops = await page.getOperatorList();
  } catch {
    return { items: [], rules: [] };
  }
  const painted = imagesOfOperatorList(ops.fnArray, ops.argsArray);
  return session.readPage(
    n,
    painted,
    async (im, share) => {
      const data = im.inline ?? (im.name !== undefined ? await imageData(page, im.name) : undefined);
      return data ? uprightGrey(data, im.mask, im.ctm, viewport.transform, share) : undefined;
    },
    viewport.height,
    (im) => ({ source: im.name ?? im.inline, at: `${im.mask ? 'mask ' : ''}${im.ctm.join(' ')}` }),
  );
}

/**
 * Extract a PDF's text with unpdf (pdf.js): each page's text runs in reading order, laid out by {@link layoutPdf}.
 * A PDF with pages but no text layer (a scan) is `INPUT_NO_TEXT`, unless `ocr` is set: then the pages without a text
 * layer that draw an image are read by OCR (see pdf-ocr.ts) and the document says so (`XUNSHI_PDF_OCR`). Password-protected ones are `INPUT_ENCRYPTED`,
 * damaged or truncated ones `INPUT_CORRUPT` / `INPUT_TRUNCATED`.
 */
export async function extractPdf(bytes: Uint8Array, options: PdfOptions = {}): Promise<ExtractedDocument> {
  ensureArrayBufferTransfer();
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
    const session = options.ocr ? new OcrSession(options, (max) => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the PDF has more than ${max} pages without a text layer, more than xunshi reads by OCR`, loc)) : undefined;
    // The pages being read by OCR (as many at once as the session has engines), taken in page order after the loop.
    const scans: { done: Promise<{ items: PdfTextItem[]; rules: PdfRule[] }>; page: PdfPageText }[] = [];
    try {
      for (let n = 1; n <= pdf.numPages; n++) {
        let page;
        try {
          page = await pdf.getPage(n);
        } catch (e) {
          throw toPdfError(e, bytes, options.path);
        }
        const viewport = page.getViewport({ scale: 1 });
        let content;
        try {
          content = await page.getTextContent();
        } catch (e) {
          // A damaged content stream (a cut flate stream, a bad xref entry) was XUNSHI_INTERNAL: the page is named.
          const err = toPdfError(e, bytes, options.path);
          throw new XunshiError(err.code, err.message.replace(/^the PDF is damaged and cannot be read: /, `the PDF is damaged: page ${n}'s text cannot be read: `), locOf(options.path));
        }
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
        const text: PdfPageText = rules && rules.length > 0 ? { width: viewport.width, height: viewport.height, items, rules } : { width: viewport.width, height: viewport.height, items };
        pages.push(text);
        // A page without a text layer (pdf.js drops runs of white space) that draws an image: a scan, read by OCR while
        // the next pages are looked at; its text and the borders of its tables (found in its pixels, scan-rules.ts) go
        // into its place when read.
        if (session && items.length === 0) {
          const scan = await session.schedule(async () => {
            try {
              return await ocrPage(n, page, viewport, session);
            } finally {
              page.cleanup();
            }
          });
          scans.push({ done: scan.done, page: text });
          continue;
        }
        page.cleanup();
      }
      for (const scan of scans) placeScanned(scan.page, await scan.done);
    } finally {
      await session?.close();
    }
    const doc = layoutPdf(pages);
    if (unruledFrom !== undefined && unruledFrom <= pdf.numPages) {
      doc.diagnostics.push({ code: 'XUNSHI_PDF_TABLES_SKIPPED', message: `the pages draw more rules than reports do: from page ${unruledFrom} on, ruled tables were not looked for (their cells are read as lines)` });
    }
    if (!/[^\s]/.test(doc.text)) {
      throw new XunshiError(
        ERROR_CODES.INPUT_NO_TEXT,
        session
          ? `the PDF has ${pdf.numPages} page(s), no text layer, and ${session.pages.length === 0 ? `no image that OCR could read (an image of more than ${MAX_IMAGE_PIXELS / 1e6} M pixels is not decoded)` : 'OCR found no text in its images'}`
          : `the PDF has ${pdf.numPages} page(s) but no text layer (a scanned document?): read it by OCR with --ocr (library: the option ocr: true), or use the original .docx`,
        loc,
      );
    }
    const ocrSummary = session?.summary('without a text layer');
    if (ocrSummary !== undefined) doc.diagnostics.push({ code: 'XUNSHI_PDF_OCR', message: ocrSummary });
    return doc;
  } finally {
    await pdf.loadingTask.destroy();
  }
}
