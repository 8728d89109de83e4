import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { DocumentModel, ImageFile, SourceFormat } from '@xunshi/types';
import { decodeBytes } from './decode-bytes.js';
import { extractDoc } from './doc-read.js';
import { extractDocx } from './docx-read.js';
import { decodeHtml } from './html-decode.js';
import { extractHtml } from './html-extract.js';
import { extractMhtmlPage } from './mhtml-read.js';
import { extractRtf } from './rtf-read.js';
import { extractXls } from './xls-read.js';
import { extractXlsx } from './xlsx-read.js';
import { extractCsv } from './csv-read.js';
import { parseDocument, parseExtracted } from './parse-document.js';
import { loadParsers } from './parsers.js';
import { extractOfd } from './ofd-read.js';
import { extractOdt } from './odt-read.js';
import { extractPdf } from './pdf-read.js';
import { extractImage, extractImageFiles, withPictures, type ImageOptions, type PictureSource } from './image-read.js';
import type { OcrSessionOptions } from './pdf-ocr.js';
import { pagePictures } from './page-pictures.js';
import { rtfPictures } from './rtf-pictures.js';
import type { ExtractedDocument } from './extracted.js';
import type { DecodedHtml } from './html-decode.js';
import { extensionOf, IMAGE_EXTENSIONS, sniffFormat } from './sniff-format.js';
import { checkTextLines } from './text-lines.js';

/** Options of {@link readDocument} and {@link readDocumentAsync}. */
export interface ReadOptions {
  /** File path: its extension (with the magic bytes) gives the format, and it appears in error messages. */
  path?: string;
  /** Forces the format, whatever the extension and the bytes say. */
  format?: SourceFormat;
  /** `auto` (default) detects UTF-8 or GB18030 (for html: BOM, `<meta>` charset, then detection). */
  encoding?: 'utf-8' | 'gb18030' | 'big5' | 'auto';
  /** docx, xlsx, odt and OFD: bound on the decompressed size (default 256 MiB). */
  maxUncompressedBytes?: number;
  /**
   * PDF and OFD: read the pages that have no text layer (PDF) or no text objects (OFD) but draw an image (scans) by OCR
   * (tesseract.js with its Simplified Chinese model, in a worker thread started for the document and ended when it is
   * read); an image file (PNG, JPEG, BMP, TIFF: a TIFF page by page), and a `.docx`, `.doc`, RTF or OpenDocument text
   * that has no text but pictures (a scan pasted into Word, perhaps under a typed title), or a web page or web archive
   * of scans, are read by OCR too. Off by default: a scan or an image is then `INPUT_NO_TEXT`.
   * A report read so has the diagnostic `XUNSHI_PDF_OCR`, `XUNSHI_OFD_OCR`, `XUNSHI_IMAGE_OCR`, `XUNSHI_DOCX_OCR`,
   * `XUNSHI_DOC_OCR`, `XUNSHI_RTF_OCR`, `XUNSHI_ODT_OCR`, `XUNSHI_MHTML_OCR` or `XUNSHI_HTML_OCR`.
   */
  ocr?: boolean;
  /** Called between the pages read by OCR; it throws to stop reading (a time budget's check). */
  check?: () => void;
  /** Called with the seconds a time budget grows by as each page's reading by OCR begins (see `OCR_PAGE_SECONDS`). */
  grant?: (seconds: number) => void;
  /** OCR engines a document's pages are read with at once (default 1; each a tesseract thread of about 200 MB). */
  ocrThreads?: number;
  /**
   * A web page read from a file: the file under the page's folder that a picture's relative `src` names (a path with
   * `/`, never climbing out), or undefined when there is none; the pictures of a page of scans saved as "webpage,
   * complete" (`NAME_files/`). `analyzeFiles` and the CLI give one bounded to the page's folder; without it only a web
   * archive's and `data:` pictures are read.
   */
  resources?: (path: string) => Uint8Array | undefined;
}

const MARKDOWN_EXT = new Set(['.md', '.markdown', '.mdown', '.mkd']);
const HTML_EXT = new Set(['.html', '.htm', '.xhtml', '.shtml']);
const MHTML_EXT = new Set(['.mht', '.mhtml']);
// Container formats without a reader: decoding them as text would only yield garbage.
const UNSUPPORTED_EXT = new Set(['.ods', '.odp', '.pptx', '.ppt', '.zip']);

/**
 * Format implied by a path's extension alone: `.md`/`.markdown` → markdown, `.html`/`.htm` → html, `.mht`/`.mhtml` →
 * mhtml, `.docx` → docx, `.rtf` → rtf, `.xlsx`/`.xlsm`/`.et` → xlsx, `.xls` → xls, `.csv`/`.tsv` → csv,
 * `.doc`/`.wps`/`.dot`/`.wpt` → doc, `.pdf` → pdf, `.ofd` → ofd, `.odt`/`.ott`/`.fodt` → odt, images (`.png`, `.jpg`, `.bmp`, `.tif`, `.gif`, …) → image, anything else (or none) → text; spreadsheets, presentations and other containers throw
 * `INPUT_UNSUPPORTED`. {@link readDocument} also looks at the bytes.
 */
export function detectFormat(path: string | undefined): SourceFormat {
  if (path === undefined) return 'text';
  const ext = extensionOf(path);
  if (UNSUPPORTED_EXT.has(ext)) {
    throw new XunshiError(
      ERROR_CODES.INPUT_UNSUPPORTED,
      `${ext} files are not supported; save the document as .docx, .pdf, .html, .txt or .md first`,
      { file: path },
    );
  }
  if (MARKDOWN_EXT.has(ext)) return 'markdown';
  if (HTML_EXT.has(ext)) return 'html';
  if (MHTML_EXT.has(ext)) return 'mhtml';
  if (ext === '.docx') return 'docx';
  if (ext === '.doc' || ext === '.dot' || ext === '.wps' || ext === '.wpt') return 'doc';
  if (ext === '.pdf') return 'pdf';
  if (ext === '.rtf') return 'rtf';
  if (ext === '.xlsx' || ext === '.xlsm' || ext === '.et') return 'xlsx';
  if (ext === '.ofd') return 'ofd';
  if (ext === '.xls') return 'xls';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.odt' || ext === '.ott' || ext === '.fodt') return 'odt';
  if (IMAGE_EXTENSIONS.includes(ext)) return 'image';
  return 'text';
}

/** True for the formats whose reading is asynchronous (mammoth, word-extractor, pdf.js, OFD's XML parser loaded on demand): they need {@link readDocumentAsync}. */
export function isAsyncFormat(format: SourceFormat): boolean {
  return format === 'docx' || format === 'doc' || format === 'pdf' || format === 'ofd' || format === 'image';
}

function decodeOptionsOf(options: ReadOptions): { encoding?: 'utf-8' | 'gb18030' | 'big5' | 'auto'; path?: string } {
  const decodeOptions: { encoding?: 'utf-8' | 'gb18030' | 'big5' | 'auto'; path?: string } = {};
  if (options.encoding !== undefined) decodeOptions.encoding = options.encoding;
  if (options.path !== undefined) decodeOptions.path = options.path;
  return decodeOptions;
}

/**
 * Most characters (white space aside) of a web page whose pictures are read beside its text: what is left of a page
 * of scans once its chrome is (a title, the date and source line, a footer's address and record number).
 */
export const PAGE_SHORT_TEXT = 400;

/** A web page or web archive read: its text, how it was decoded, and the pictures its content shows. */
function readPage(bytes: Uint8Array, format: 'html' | 'mhtml', options: ReadOptions): { extracted: ExtractedDocument; decoded: DecodedHtml; pictures: PictureSource[] } {
  const decodeOptions = decodeOptionsOf(options);
  // A web archive is read as the page it saved, with the charset its MIME header gives that page.
  const page = format === 'mhtml' ? extractMhtmlPage(bytes, options.path !== undefined ? { path: options.path } : {}) : undefined;
  const decoded = decodeHtml(page?.bytes ?? bytes, page?.charset !== undefined ? { ...decodeOptions, transportCharset: page.charset } : decodeOptions);
  const images: string[] = [];
  const extracted = extractHtml(decoded.text, { ...(options.path !== undefined ? { path: options.path } : {}), images });
  extracted.diagnostics.unshift(...(page?.diagnostics ?? []), ...decoded.diagnostics);
  return { extracted, decoded, pictures: pagePictures(images, page, format === 'html' ? options.resources : undefined) };
}

/**
 * A web page or web archive read on the asynchronous way: its text, and, when it is short (at most
 * {@link PAGE_SHORT_TEXT} characters: a page of scans, a notice posted as photographs of its pages), the pictures its
 * content shows read by OCR with `ocr` (`withPictures`: diagnostic `XUNSHI_HTML_OCR` or `XUNSHI_MHTML_OCR`; without
 * `ocr`, `XUNSHI_PICTURES_NOT_READ`, or `INPUT_NO_TEXT` for a page of pictures alone).
 */
export async function extractWebPage(bytes: Uint8Array, format: 'html' | 'mhtml', options: ReadOptions & OcrSessionOptions): Promise<{ doc: ExtractedDocument; decoded: DecodedHtml }> {
  const { extracted, decoded, pictures } = readPage(bytes, format, options);
  if (pictures.length === 0) return { doc: extracted, decoded };
  const what = format === 'mhtml' ? 'web archive' : 'page';
  const code = format === 'mhtml' ? 'XUNSHI_MHTML_OCR' : 'XUNSHI_HTML_OCR';
  const doc = await withPictures(extracted, () => pictures, options, what, code, options.path === undefined ? {} : { file: options.path }, PAGE_SHORT_TEXT);
  return { doc, decoded };
}

/**
 * An RTF document read on the asynchronous way: a Word document of pasted scans saved as RTF (no text but pictures, or
 * a title above them) has its pictures read by OCR with `ocr`, as a `.docx`'s are (`XUNSHI_RTF_OCR`).
 */
export async function extractRtfAsync(bytes: Uint8Array, options: ReadOptions & OcrSessionOptions): Promise<ExtractedDocument & { encoding: 'utf-8' | 'gb18030' | 'big5' }> {
  const { encoding, ...extracted } = extractRtf(bytes, options.path !== undefined ? { path: options.path } : {});
  const pictures = (): PictureSource[] => rtfPictures(bytes).map((p): PictureSource => () => Promise.resolve(p.bytes ?? p.kind));
  const doc = await withPictures(extracted, pictures, options, 'RTF document', 'XUNSHI_RTF_OCR', options.path === undefined ? {} : { file: options.path });
  return { ...doc, encoding };
}

/** An OpenDocument text read on the asynchronous way: its pictures read by OCR as an RTF's are (`XUNSHI_ODT_OCR`). */
export async function extractOdtAsync(bytes: Uint8Array, options: ReadOptions & OcrSessionOptions): Promise<ExtractedDocument> {
  const pictures: PictureSource[] = [];
  const extracted = extractOdt(bytes, odtOptions(options, pictures));
  return withPictures(extracted, () => pictures, options, 'OpenDocument text', 'XUNSHI_ODT_OCR', options.path === undefined ? {} : { file: options.path });
}

/** The options of {@link extractOdt}: the path, the bound on decompression, and where its pictures go. */
function odtOptions(options: ReadOptions, pictures: PictureSource[]): { path?: string; maxUncompressedBytes?: number; pictures: PictureSource[] } {
  return {
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}),
    pictures,
  };
}

/**
 * The synchronous reader's error for a document with no text but pictures (pages scanned into it), which only the
 * asynchronous way reads, by OCR.
 */
function noTextButPictures(doc: ExtractedDocument, pictures: number, what: string, options: ReadOptions): void {
  if (pictures === 0 || /[^\s]/.test(doc.text)) return;
  throw new XunshiError(
    ERROR_CODES.INPUT_NO_TEXT,
    `the ${what} has no text but ${pictures} picture(s) (a report shown as scans?): read it by OCR with readDocumentAsync() / analyzeAsync() and the option ocr: true (CLI: --ocr)`,
    options.path === undefined ? {} : { file: options.path },
  );
}

function readSync(bytes: Uint8Array, format: SourceFormat, options: ReadOptions): DocumentModel {
  const decodeOptions = decodeOptionsOf(options);
  if (format === 'html' || format === 'mhtml') {
    const { extracted, decoded, pictures } = readPage(bytes, format, options);
    // A page of scans shown as pictures is read by OCR on the asynchronous way only.
    noTextButPictures(extracted, pictures.length, format === 'mhtml' ? 'web archive' : 'page', options);
    return withText(parseExtracted(extracted, { format, encoding: decoded.encoding, bom: decoded.bom }), options);
  }
  if (format === 'xlsx') {
    const extracted = extractXlsx(bytes, {
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}),
    });
    return withText(parseExtracted(extracted, { format: 'xlsx' }), options);
  }
  if (format === 'odt') {
    const pictures: PictureSource[] = [];
    const extracted = extractOdt(bytes, odtOptions(options, pictures));
    noTextButPictures(extracted, pictures.length, 'OpenDocument text', options);
    return withText(parseExtracted(extracted, { format: 'odt' }), options);
  }
  if (format === 'xls') {
    const extracted = extractXls(bytes, options.path !== undefined ? { path: options.path } : {});
    return withText(parseExtracted(extracted, { format: 'xls' }), options);
  }
  if (format === 'csv') {
    const decoded = decodeBytes(bytes, decodeOptions);
    // Each record is a line at least: bounded as text is, before the parser builds its records.
    checkTextLines(decoded.text, options.path);
    const extracted = extractCsv(decoded.text, options.path !== undefined ? { path: options.path } : {});
    return withText(parseExtracted(extracted, { format: 'csv', encoding: decoded.encoding, bom: decoded.bom }), options);
  }
  if (format === 'rtf') {
    const { encoding, ...extracted } = extractRtf(bytes, options.path !== undefined ? { path: options.path } : {});
    if (!/[^\s]/.test(extracted.text)) noTextButPictures(extracted, rtfPictures(bytes).length, 'RTF document', options);
    return withText(parseExtracted(extracted, { format: 'rtf', encoding }), options);
  }
  const decoded = decodeBytes(bytes, decodeOptions);
  checkTextLines(decoded.text, options.path);
  const doc = parseDocument(decoded.text, { format, encoding: decoded.encoding, bom: decoded.bom });
  // Text that is all markup (a code block, an HTML comment, front matter, link definitions) is no report, as a page
  // without text is not one.
  if (format === 'markdown' && doc.units.length === 0) {
    throw new XunshiError(
      ERROR_CODES.INPUT_EMPTY,
      'the Markdown file has no text outside code blocks, HTML comments and scripts, link definitions, thematic breaks and front matter',
      options.path === undefined ? {} : { file: options.path },
    );
  }
  return doc;
}

function withText(doc: DocumentModel, options: ReadOptions): DocumentModel {
  if (!/[^\s]/.test(doc.text)) {
    throw new XunshiError(
      ERROR_CODES.INPUT_EMPTY,
      `the ${doc.format === 'html' || doc.format === 'mhtml' ? 'page' : doc.format === 'xlsx' || doc.format === 'xls' ? 'workbook' : doc.format === 'csv' ? 'table' : 'document'} has no text outside scripts, styles, navigation and hidden elements`,
      options.path === undefined ? {} : { file: options.path },
    );
  }
  return doc;
}

/**
 * Read bytes into a DocumentModel synchronously: text, Markdown and HTML. The format is `options.format` or comes from
 * the magic bytes and the extension; a docx or pdf throws `XUNSHI_USAGE` naming {@link readDocumentAsync}, since their
 * readers are asynchronous.
 */
export function readDocument(bytes: Uint8Array, options: ReadOptions = {}): DocumentModel {
  const format = sniffFormat(bytes, options.path, options.format);
  if (isAsyncFormat(format)) {
    throw new XunshiError(
      ERROR_CODES.USAGE,
      `${format === 'pdf' ? 'a PDF' : format === 'ofd' ? 'an OFD document' : format === 'image' ? 'an image' : 'a Word document'} is read asynchronously: use analyzeAsync() / readDocumentAsync() instead of the synchronous analyze() / readDocument()`,
      options.path === undefined ? {} : { file: options.path },
    );
  }
  return readSync(bytes, format, options);
}

/**
 * Read bytes of any supported format (text, Markdown, HTML, docx, Word 97–2003 doc, OpenDocument text, pdf, OFD, images by OCR) into a DocumentModel. Errors are XunshiErrors
 * with specific codes: `INPUT_EMPTY`, `INPUT_CORRUPT`, `INPUT_TRUNCATED`, `INPUT_ENCRYPTED`, `INPUT_TOO_LARGE`,
 * `INPUT_NO_TEXT`, `INPUT_UNSUPPORTED` and the decoder's own.
 */
export async function readDocumentAsync(bytes: Uint8Array, options: ReadOptions = {}): Promise<DocumentModel> {
  const format = sniffFormat(bytes, options.path, options.format);
  await loadParsers(format);
  const path = options.path === undefined ? {} : { path: options.path };
  // What the readers that may read pages by OCR are told: whether to, the budget's check, and its grant per page.
  const ocr = { ...(options.ocr ? { ocr: true } : {}), ...(options.check ? { check: options.check } : {}), ...(options.grant ? { grant: options.grant } : {}), ...(options.ocrThreads ? { ocrThreads: options.ocrThreads } : {}) };
  // (Pages, RTF and OpenDocument texts take the read options whole: the OCR switch and the budget's check among them.)
  if (format === 'html' || format === 'mhtml') {
    const { doc, decoded } = await extractWebPage(bytes, format, options);
    return withText(parseExtracted(doc, { format, encoding: decoded.encoding, bom: decoded.bom }), options);
  }
  if (format === 'rtf') {
    const { encoding, ...doc } = await extractRtfAsync(bytes, options);
    return withText(parseExtracted(doc, { format: 'rtf', encoding }), options);
  }
  if (format === 'odt') return withText(parseExtracted(await extractOdtAsync(bytes, options), { format: 'odt' }), options);
  if (!isAsyncFormat(format)) return readSync(bytes, format, options);
  if (format === 'docx') {
    const extracted = await extractDocx(bytes, { ...path, ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}), ...ocr });
    return withText(parseExtracted(extracted, { format: 'docx' }), options);
  }
  if (format === 'doc') {
    const extracted = await extractDoc(bytes, { ...path, ...ocr });
    return withText(parseExtracted(extracted, { format: 'doc' }), options);
  }
  if (format === 'ofd') {
    const extracted = await extractOfd(bytes, { ...path, ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}), ...ocr });
    return withText(parseExtracted(extracted, { format: 'ofd' }), options);
  }
  if (format === 'image') {
    const extracted = await extractImage(bytes, { ...path, ...ocr });
    return withText(parseExtracted(extracted, { format: 'image' }), options);
  }
  const extracted = await extractPdf(bytes, { ...path, ...ocr });
  return withText(parseExtracted(extracted, { format: 'pdf' }), options);
}

/**
 * Read the image files of one report photographed or scanned a page a file (a phone's IMG_1.jpg … IMG_4.jpg of a
 * notice's pages), in the order given, by OCR into one DocumentModel (format `image`), as a multi-page scan is read:
 * `pageFiles` names the file of each page, `sha256` hashes the files' bytes in order. A file that cannot be read or
 * decoded is left out and named in the diagnostic `XUNSHI_IMAGE_OCR` (see `extractImageFiles`); without `ocr` it is
 * `INPUT_NO_TEXT`.
 */
export async function readImageFilesAsync(files: readonly ImageFile[], options: ImageOptions = {}): Promise<DocumentModel & { pageFiles: string[]; sha256: string }> {
  const { pageFiles, sha256, ...extracted } = await extractImageFiles(files, options);
  return { ...withText(parseExtracted(extracted, { format: 'image' }), options), pageFiles, sha256 };
}
