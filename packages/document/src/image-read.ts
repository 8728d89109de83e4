/**
 * Image files of a report — a page scanned to PNG, JPEG or TIFF, a photograph of a notice, a screenshot of a web page, a
 * site's picture of a notice (GIF, WebP), an iPhone's photograph (HEIC) — read by OCR (opt-in `ocr`), as a scanned PDF page is: the image's header is
 * read first (format, size: over {@link MAX_IMAGE_PIXELS} it is never decoded), then the image is decoded (PNG, JPEG,
 * BMP, TIFF, GIF, WebP, HEIC: the bounded decoders of ofd-images.ts, tiff-read.ts, gif-decode.ts, webp-decode.ts and
 * heic-decode.ts),
 * turned upright as a viewer shows it (an EXIF orientation, which phones write instead of turning the pixels), made
 * grey and scaled down to the OCR budget, and read by tesseract.js; its lines become positioned runs on a page of A4
 * width (the image's upright width is taken to be 595.28 pt, its height in proportion), laid out by {@link layoutPdf} as a PDF page's are, so paragraphs, headings and ruled tables (borders found in the
 * pixels) read as in the scanned PDF of the same page. One image is one page, but a TIFF (tiff-read.ts: a scanner's or
 * fax server's file) is read page by page, a GIF as its first image. JBIG2 and AVIF are `INPUT_UNSUPPORTED`,
 * naming what to save the scan as.
 */
import { createHash } from 'node:crypto';
import { ERROR_CODES, XunshiError, type ImageFile } from '@xunshi/types';
import { appendExtracted, type ExtractedDocument } from './extracted.js';
import { DECODED_FORMATS, decodeImage, imageHeader, type ImageFormat, type ImageHeader } from './ofd-images.js';
import { layoutPdf, type PdfPageText } from './pdf-layout.js';
import { MAX_IMAGE_PIXELS, MAX_OCR_PAGES, OcrSession, pageList, uprightGrey, type OcrSessionOptions, type PdfImageData } from './pdf-ocr.js';
import { decodeTiffPage, isTiff, tiffPages, type TiffPage } from './tiff-read.js';
import type { Matrix } from './pdf-operators.js';

/** Options of {@link extractImage}. */
export interface ImageOptions extends OcrSessionOptions {
  path?: string;
  /** Read the image by OCR. Off by default: an image is then `INPUT_NO_TEXT`, naming the option. */
  ocr?: boolean;
}

/** Width in points of the page an image is set on (A4's): a full-page scan reads at the size of its PDF. */
export const IMAGE_PAGE_WIDTH = 595.28;

/**
 * Image formats phones and browsers write that are not decoded, by their signature (an ISO media file's `ftyp` major
 * brand): AVIF, and HEIF image sequences (`msf1`, `hevc`, `hevx`: bursts and animations, not a photograph).
 */
export function undecodedKind(b: Uint8Array): string | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...b.subarray(from, to));
  if (b.length < 12 || ascii(4, 8) !== 'ftyp') return undefined;
  const brand = ascii(8, 12);
  if (brand === 'avif' || brand === 'avis') return 'an AVIF image';
  if (/^(msf1|hevc|hevx)$/.test(brand)) return 'a HEIF image sequence';
  return undefined;
}

/** What each format is called in messages. */
const FORMAT_NAME: Readonly<Record<ImageFormat, string>> = {
  PNG: 'a PNG image',
  JPEG: 'a JPEG image',
  BMP: 'a BMP image',
  TIFF: 'a TIFF image',
  JBIG2: 'a JBIG2 image',
  GIF: 'a GIF image',
  WebP: 'a WebP image',
  HEIC: 'a HEIC/HEIF photograph',
  unknown: 'not an image of a format xunshi reads',
};

/**
 * The matrix that sets an image of `w` × `h` stored pixels upright on a page `s` points a pixel, for an EXIF
 * orientation (1–8; anything else is 1): the image's unit square (pdf.js's: pixel (col, row) at (col / w, 1 − row / h))
 * onto the page, y down. Orientations 5–8 store the picture a quarter turn (and 5, 7 flipped): the page is then `h`
 * pixels wide.
 */
export function orientationMatrix(orientation: number, w: number, h: number, s: number): Matrix {
  const W = s * w;
  const H = s * h;
  switch (orientation) {
    case 2:
      return [-W, 0, 0, -H, W, H];
    case 3:
      return [-W, 0, 0, H, W, 0];
    case 4:
      return [W, 0, 0, H, 0, 0];
    case 5:
      return [0, W, -H, 0, H, 0];
    case 6:
      return [0, W, H, 0, 0, 0];
    case 7:
      return [0, -W, H, 0, 0, W];
    case 8:
      return [0, -W, -H, 0, H, W];
    default:
      return [W, 0, 0, -H, 0, H];
  }
}

/** The EXIF orientation of a JPEG or PNG (exifr), 1 when it has none or its metadata cannot be read. */
export async function exifOrientation(bytes: Uint8Array): Promise<number> {
  try {
    const exifr = (await import('exifr')) as unknown as { orientation?: (b: Uint8Array) => Promise<number | undefined>; default?: { orientation: (b: Uint8Array) => Promise<number | undefined> } };
    const orientation = exifr.orientation ?? exifr.default!.orientation;
    const o = await orientation(bytes);
    return typeof o === 'number' && Number.isInteger(o) && o >= 1 && o <= 8 ? o : 1;
  } catch {
    // Damaged or absent metadata: the pixels as stored.
    return 1;
  }
}

/** An image read by OCR as a page, and the EXIF orientation that set it upright. */
export interface ImagePage {
  page: PdfPageText;
  orientation: number;
}

/**
 * Page `n` of a document read by OCR from one image file (PNG, JPEG, BMP, GIF, WebP or a TIFF's first page, its
 * `header` read and its size within {@link MAX_IMAGE_PIXELS}): decoded, turned upright by its EXIF orientation, set on a page of
 * {@link IMAGE_PAGE_WIDTH} points and read by `session`. Undefined when it does not decode.
 */
export async function ocrImagePage(bytes: Uint8Array, header: ImageHeader, n: number, session: OcrSession): Promise<ImagePage | undefined> {
  const decoded = await decodeImageFile(bytes, header);
  return decoded ? ocrDecoded(decoded.data, decoded.orientation, n, session) : undefined;
}

/** An image file decoded, with the orientation that shows it upright; undefined when it does not decode. */
async function decodeImageFile(bytes: Uint8Array, header: ImageHeader): Promise<{ data: PdfImageData; orientation: number } | undefined> {
  const data = await decodeImage(bytes, header, MAX_IMAGE_PIXELS);
  if (!data) return undefined;
  // (libheif turns a HEIC upright itself, by its irot and imir.)
  const orientation = header.format === 'BMP' || header.format === 'GIF' || header.format === 'HEIC' ? 1 : header.format === 'TIFF' ? (tiffPages(bytes).pages[0]?.orientation ?? 1) : await exifOrientation(bytes);
  return { data, orientation };
}

/**
 * Pages read by OCR at once (as many as the session has engines), each decoded only when an engine is free so that no
 * more than that many decoded images are held, and taken in order once all are scheduled.
 */
class PageReads<T> {
  private readonly slots: (T | Promise<T>)[] = [];
  constructor(private readonly session: OcrSession) {}

  /**
   * Wait for a free engine, then `decode`; when it gives something, start its reading by OCR (`read`, given the page
   * number of this place) in this place.
   */
  async add<D>(decode: () => Promise<D | undefined>, read: (decoded: D, n: number) => Promise<T>): Promise<boolean> {
    await this.session.whenFree();
    const decoded = await decode();
    if (decoded === undefined) return false;
    const n = this.slots.length + 1;
    this.slots.push((await this.session.schedule(() => read(decoded, n))).done);
    return true;
  }

  /** A place filled at once (a page not read). */
  put(value: T): void {
    this.slots.push(value);
  }

  /** Every place in order (the first failure in order is thrown). */
  async all(): Promise<T[]> {
    const out: T[] = [];
    for (const slot of this.slots) out.push(await slot);
    return out;
  }
}

/** Decoded pixels read by OCR as page `n`: turned upright by `orientation`, set on a page of {@link IMAGE_PAGE_WIDTH} points. */
async function ocrDecoded(data: PdfImageData, orientation0: number, n: number, session: OcrSession): Promise<ImagePage> {
  const { width, height } = data;
  const orientation = Number.isInteger(orientation0) && orientation0 >= 1 && orientation0 <= 8 ? orientation0 : 1;
  const quarter = orientation >= 5;
  const s = IMAGE_PAGE_WIDTH / (quarter ? height : width);
  const matrix = orientationMatrix(orientation, width, height, s);
  const pageHeight = s * (quarter ? width : height);
  const read = await session.readPage(n, [{ width, height }], async (_, share) => uprightGrey(data, false, matrix, [1, 0, 0, 1, 0, 0], share), pageHeight);
  return { page: { width: IMAGE_PAGE_WIDTH, height: pageHeight, items: read.items, ...(read.rules.length > 0 ? { rules: read.rules } : {}) }, orientation };
}

/**
 * A TIFF file's pages (a scanner's or fax server's file of a whole report) read by OCR in order, one page of the
 * document each (a page not read stays an empty page, so that page numbers are the file's): `INPUT_NO_TEXT` without
 * `ocr`, `INPUT_UNSUPPORTED` when no page is of a compression or pixel format xunshi decodes (or the file is a
 * BigTIFF), `INPUT_TOO_LARGE` when every page is over {@link MAX_IMAGE_PIXELS}, `INPUT_CORRUPT` when it has no page
 * or none decodes. The diagnostic `XUNSHI_IMAGE_OCR` names the pages not read and why.
 */
async function extractTiff(bytes: Uint8Array, options: ImageOptions, loc: { file?: string }): Promise<ExtractedDocument> {
  const walk = tiffPages(bytes);
  if (walk.unsupported) throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the file is ${walk.unsupported}; save the scan as PDF, or as a TIFF of 32-bit offsets`, loc);
  const { pages } = walk;
  if (pages.length === 0) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is a TIFF image without a page it can read (${walk.damaged ?? 'no image'})`, loc);
  const first = pages[0]!;
  const what = `a TIFF image of ${pages.length} page${pages.length === 1 ? '' : 's'} (${first.width} × ${first.height} pixels${pages.length === 1 ? '' : ' the first'})`;
  if (!options.ocr) throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `the file is ${what}, which has no text but what OCR reads: read it with --ocr (library: the option ocr: true)`, loc);
  const readable = pages.filter((p) => !p.unsupported);
  if (readable.length === 0) throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the file is ${what} stored with ${first.unsupported}, which xunshi does not decode; save the scan as PDF, or as TIFF with CCITT fax, LZW, Deflate, PackBits or JPEG compression`, loc);
  if (readable.every((p) => !(p.width * p.height <= MAX_IMAGE_PIXELS))) {
    throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the file is ${what}, each page more than the ${MAX_IMAGE_PIXELS / 1e6} M pixels xunshi decodes; scale it down (300 dpi is enough for OCR)`, loc);
  }
  const session = new OcrSession(options, (max) => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the file is ${what}: more than ${max} pages to read by OCR`, loc));
  let read: PdfPageText[];
  const skipped = new Map<string, number[]>();
  const skip = (why: string, k: number): void => void skipped.set(why, [...(skipped.get(why) ?? []), k]);
  let decoded: number;
  try {
    const reads = new PageReads<PdfPageText>(session);
    // A page not read stays an empty page in its place.
    decoded = await addTiffPages(bytes, pages, reads, async (data, page, n) => (await ocrDecoded(data, page.orientation, n, session)).page, skip, () => ({ width: IMAGE_PAGE_WIDTH, height: IMAGE_PAGE_WIDTH * Math.SQRT2, items: [] }));
    read = await reads.all();
  } finally {
    await session.close();
  }
  const notRead = [...skipped].map(([why, ks]) => `${pageList(ks)} ${why}`).join('; ') + (walk.damaged ? `${skipped.size > 0 ? '; ' : ''}pages after page ${pages.length}: ${walk.damaged}` : '');
  if (decoded === 0) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is ${what} none of whose pages decodes (${notRead})`, loc);
  const doc = layoutPdf(read);
  if (!/[^\s]/.test(doc.text)) throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `the file is ${what} in which OCR found no text${notRead ? ` (not read: ${notRead})` : ''}`, loc);
  const summary = session.summary('of the TIFF image');
  const turned = [...new Set(pages.map((p) => p.orientation).filter((o) => o >= 2 && o <= 8))];
  if (summary !== undefined) doc.diagnostics.push({ code: 'XUNSHI_IMAGE_OCR', message: `${summary}${turned.length > 0 ? `; turned upright by its orientation (${turned.join(', ')})` : ''}${notRead ? `; not read: ${notRead}` : ''}` });
  return doc;
}

/**
 * A TIFF's `pages` added to `reads` in order, each decoded when an engine is free and made a page by `read` (its data,
 * the TIFF page, its page number); a page not decoded (of a compression or pixel format not decoded, over
 * {@link MAX_IMAGE_PIXELS} or of no size, damaged) is named to `skip` with why and its number in the file, and stands
 * as `blank()` when that is given (else it is left out). Returns how many pages were decoded.
 */
async function addTiffPages<T>(bytes: Uint8Array, pages: readonly TiffPage[], reads: PageReads<T>, read: (data: PdfImageData, page: TiffPage, n: number) => Promise<T>, skip: (why: string, k: number) => void, blank?: () => T): Promise<number> {
  let decoded = 0;
  for (let k = 1; k <= pages.length; k++) {
    const page = pages[k - 1]!;
    if (page.unsupported) skip(`stored with ${page.unsupported}`, k);
    else if (!(page.width > 0 && page.height > 0) || page.width * page.height > MAX_IMAGE_PIXELS) skip(`over ${MAX_IMAGE_PIXELS / 1e6} M pixels or of no size`, k);
    else if (await reads.add(() => decodeTiffPage(bytes, page, MAX_IMAGE_PIXELS), (data, n) => read(data, page, n))) {
      decoded++;
      continue;
    } else skip('that did not decode (damaged)', k);
    if (blank) reads.put(blank());
  }
  return decoded;
}

/**
 * Extract an image's text by OCR. Without `ocr` it is `INPUT_NO_TEXT` (the message names the option); a format that
 * is not decoded (JBIG2) is `INPUT_UNSUPPORTED`; bytes that are no such image, or do not decode, are
 * `INPUT_CORRUPT`; an image over {@link MAX_IMAGE_PIXELS} is `INPUT_TOO_LARGE`; an image in which OCR finds no text is
 * `INPUT_NO_TEXT`. The document has the diagnostic `XUNSHI_IMAGE_OCR` (tesseract's mean word confidence, the scaling).
 */
export async function extractImage(bytes: Uint8Array, options: ImageOptions = {}): Promise<ExtractedDocument> {
  const loc = options.path === undefined ? {} : { file: options.path };
  // A TIFF is read page by page: its pages are walked once, there.
  if (isTiff(bytes)) return extractTiff(bytes, options, loc);
  const header = imageHeader(bytes);
  const name = FORMAT_NAME[header.format];
  if (header.format === 'unknown') {
    const other = undecodedKind(bytes);
    if (other) throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the file is ${other}, which xunshi does not decode; export it as JPEG or PNG (or the scan as PDF)`, loc);
    // A PNG's signature without the rest of its header: cut short.
    if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) {
      throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is a PNG image cut short (${bytes.length} bytes, no complete header)`, loc);
    }
    throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the file is not an image xunshi reads: it starts with none of the headers of PNG, JPEG, BMP, TIFF, GIF or WebP', loc);
  }
  if (header.format === 'JBIG2') {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the file is ${name}, which xunshi does not decode; save the scan as PDF, PNG or JPEG (one file a page), or as a PDF of all its pages`, loc);
  }
  const { width, height } = header;
  if (!(width > 0 && height > 0)) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is ${name} whose header gives no size (${width} × ${height} pixels): it is damaged`, loc);
  if (!options.ocr) {
    throw new XunshiError(
      ERROR_CODES.INPUT_NO_TEXT,
      `the file is ${name} (${width} × ${height} pixels), which has no text but what OCR reads: read it with --ocr (library: the option ocr: true)`,
      loc,
    );
  }
  if (width * height > MAX_IMAGE_PIXELS) {
    throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the file is ${name} of ${width} × ${height} pixels, more than the ${MAX_IMAGE_PIXELS / 1e6} M pixels xunshi decodes; scale it down (300 dpi is enough for OCR)`, loc);
  }
  const session = new OcrSession(options, (max) => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `more than ${max} pages to read by OCR`, loc));
  let read: ImagePage | undefined;
  try {
    read = await ocrImagePage(bytes, header, 1, session);
  } finally {
    await session.close();
  }
  if (!read) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is ${name} (${width} × ${height} pixels) that does not decode: it is damaged or cut short`, loc);
  const { page, orientation } = read;
  const doc = layoutPdf([page]);
  if (!/[^\s]/.test(doc.text)) {
    throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `the file is ${name} (${width} × ${height} pixels) in which OCR found no text`, loc);
  }
  const summary = session.summary('of the image');
  const turned = orientation === 1 ? '' : `; turned upright by its EXIF orientation (${orientation})`;
  if (summary !== undefined) doc.diagnostics.push({ code: 'XUNSHI_IMAGE_OCR', message: `${summary}${turned}` });
  return doc;
}

/** One picture of a document to read by OCR: its file's bytes, or the kind of a picture that is not decoded (EMF). */
export type PictureSource = () => Promise<Uint8Array | string>;

/** Least side, in pixels, of a picture read beside a document's own text: a scanned page, not a logo or a seal. */
export const PAGE_PICTURE_SIDE = 400;

/** What {@link ocrPictures} read: the pages as a document (no text when OCR found none) and the pictures not read. */
export interface PicturesRead {
  doc: ExtractedDocument;
  /** The pictures not read and why, for a message (empty when all were). */
  notRead: string;
  /** The diagnostic's message, when a page was read. */
  summary?: string;
}

/**
 * The pictures of a document (pages scanned and pasted into Word) read by OCR, each a page of its own in order, as an
 * image file is read. Pictures of a format that is not decoded (EMF, WMF), over the decoding bound, damaged
 * or, with `minSide`, smaller than a page would be, are named in `notRead` with their places.
 */
export async function ocrPictures(pictures: readonly PictureSource[], options: OcrSessionOptions, what: string, loc: { file?: string }, minSide = 0): Promise<PicturesRead> {
  const session = new OcrSession(options, (max) => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} has more than ${max} pictures to read by OCR, more than xunshi reads`, loc));
  let pages: PdfPageText[];
  const skipped = new Map<string, number[]>();
  const skip = (why: string, k: number): void => void skipped.set(why, [...(skipped.get(why) ?? []), k]);
  try {
    const reads = new PageReads<PdfPageText>(session);
    for (let k = 1; k <= pictures.length; k++) {
      let bytes: Uint8Array | string;
      try {
        bytes = await pictures[k - 1]!();
      } catch (e) {
        if (e instanceof XunshiError) throw e;
        skip('that could not be read from the document', k);
        continue;
      }
      const header = typeof bytes === 'string' ? undefined : imageHeader(bytes);
      const kind = typeof bytes === 'string' ? bytes : header!.format;
      // A picture pasted in of a format not decoded (AVIF, a HEIF sequence) is named as what it is.
      const other = header?.format === 'unknown' ? undecodedKind(bytes as Uint8Array) : undefined;
      if (!header || !DECODED_FORMATS.includes(header.format)) skip(other ? `of a format xunshi does not decode (${other.replace(/^an? /, '').replace(/ \(.*\)$/, '')})` : kind === 'unknown' ? 'of a format xunshi does not decode (EMF, WMF, …)' : kind === 'damaged' ? 'that could not be found (damaged)' : `of a format xunshi does not decode (${kind})`, k);
      else if (!(header.width > 0 && header.height > 0) || header.width * header.height > MAX_IMAGE_PIXELS) skip(`over ${MAX_IMAGE_PIXELS / 1e6} M pixels or of no size`, k);
      else if (Math.min(header.width, header.height) < minSide) skip(`smaller than a page (under ${minSide} pixels a side)`, k);
      else {
        if (!(await reads.add(() => decodeImageFile(bytes as Uint8Array, header), async (d, n) => (await ocrDecoded(d.data, d.orientation, n, session)).page))) skip('that did not decode', k);
      }
    }
    pages = await reads.all();
  } finally {
    await session.close();
  }
  const notRead = [...skipped].map(([why, ks]) => `${why}: ${ks.length === 1 ? 'picture' : 'pictures'} ${pageList(ks).replace(/^pages? /, '')}`).join('; ');
  const summary = session.summary(`of a ${what} (its pictures)`);
  return { doc: layoutPdf(pages), notRead, ...(summary !== undefined ? { summary: `${summary}${notRead ? `; not read: ${notRead}` : ''}` } : {}) };
}

/** Most characters (white space aside) of a document whose pictures are read beside its text: a title, a cover line. */
export const SHORT_TEXT = 200;

/**
 * What a Word document's pictures (`picturesOf`, looked for only when the text is short) add to its text (`doc`) with
 * or without `ocr`: nothing when it has no pictures or
 * more than `shortText` ({@link SHORT_TEXT}) characters of its own (pictures beside a report are logos, seals, photographs); with no
 * text, the pictures read by OCR are the document (`INPUT_NO_TEXT` without `ocr`, or when OCR finds nothing); with a
 * short text (a title typed above pasted scans), the page-sized pictures' text follows it, or, without `ocr`, the
 * diagnostic `XUNSHI_PICTURES_NOT_READ` says they are there.
 */
export async function withPictures(doc: ExtractedDocument, picturesOf: () => readonly PictureSource[], options: OcrSessionOptions & { ocr?: boolean }, what: string, code: string, loc: { file?: string }, shortText = SHORT_TEXT): Promise<ExtractedDocument> {
  const own = doc.text.replace(/\s+/g, '').length;
  if (own > shortText) return doc;
  const pictures = picturesOf();
  if (pictures.length === 0) return doc;
  if (own === 0) {
    if (!options.ocr) {
      throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `the ${what} has no text but ${pictures.length} picture(s) (pages scanned into it?): read it by OCR with --ocr (library: the option ocr: true), or use the original document`, loc);
    }
    const read = await ocrPictures(pictures, options, what, loc);
    if (!/[^\s]/.test(read.doc.text)) {
      throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `the ${what} has no text but ${pictures.length} picture(s), in which OCR found no text${read.notRead ? ` (not read: ${read.notRead})` : ''}`, loc);
    }
    if (read.summary !== undefined) read.doc.diagnostics.push({ code, message: read.summary });
    return read.doc;
  }
  if (!options.ocr) {
    // Said only of pictures the size of a page (a logo or a seal beside a short memo is no scan).
    let pageSized = 0;
    for (const picture of pictures) {
      let bytes: Uint8Array | string;
      try {
        bytes = await picture();
      } catch (e) {
        if (e instanceof XunshiError) throw e;
        continue;
      }
      if (typeof bytes === 'string') continue;
      const header = imageHeader(bytes);
      if (DECODED_FORMATS.includes(header.format) && Math.min(header.width, header.height) >= PAGE_PICTURE_SIDE) pageSized++;
    }
    if (pageSized > 0) {
      doc.diagnostics.push({ code: 'XUNSHI_PICTURES_NOT_READ', message: `the ${what} has ${own} characters of text and ${pageSized} picture(s) the size of a page (pages scanned into it?): with --ocr (library: the option ocr: true) they are read by OCR after its text` });
    }
    return doc;
  }
  const read = await ocrPictures(pictures, options, what, loc, PAGE_PICTURE_SIDE);
  if (read.summary !== undefined) read.doc.diagnostics.push({ code, message: read.summary });
  else if (read.notRead) doc.diagnostics.push({ code, message: `no picture of the ${what} was read by OCR: ${read.notRead}` });
  return /[^\s]/.test(read.doc.text) ? appendExtracted(doc, read.doc) : doc;
}


/** What {@link extractImageFiles} reads: the document, and the file each of its pages came from. */
export interface ImageFilesDocument extends ExtractedDocument {
  /** Page `k` (1-based) of the document is the image `pageFiles[k - 1]` (a multi-page TIFF gives several in a row). */
  pageFiles: string[];
  /** The SHA-256 of the files' bytes in order, file after file (the files not read left out). */
  sha256: string;
}

/**
 * The pages of one report photographed or scanned a page a file, read by OCR in the order given, as one document:
 * each image one page (a TIFF each of its pages), as {@link extractImage} reads one file. A file that cannot be
 * read, is of a format xunshi does not decode, is damaged or over {@link MAX_IMAGE_PIXELS} is left out and named, with
 * why, in the diagnostic `XUNSHI_IMAGE_OCR`; the others are still read. `INPUT_NO_TEXT` without `ocr` or when OCR
 * finds no text in any page; `INPUT_CORRUPT` when no file gives a page (the message names each and why).
 */
export async function extractImageFiles(files: readonly ImageFile[], options: ImageOptions = {}): Promise<ImageFilesDocument> {
  const loc = options.path === undefined ? {} : { file: options.path };
  const what = `a report of ${files.length} image file${files.length === 1 ? '' : 's'}`;
  if (files.length === 0) throw new XunshiError(ERROR_CODES.INPUT_EMPTY, 'no image file to read as the pages of a report', loc);
  if (!options.ocr) throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `${what}, which ${files.length === 1 ? 'has' : 'have'} no text but what OCR reads: read ${files.length === 1 ? 'it' : 'them'} with --ocr (library: the option ocr: true)`, loc);
  // More files than pages are read by OCR: a folder of many reports' photographs, refused before any is read (it would
  // be read for minutes and refused at the page past the bound).
  const maxPages = options.maxOcrPages ?? MAX_OCR_PAGES;
  if (files.length > maxPages) throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `${what}, more than the ${maxPages} pages xunshi reads by OCR in one report: keep each report's photographs or scans in a folder of their own`, loc);
  const session = new OcrSession(options, (max) => new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `${what}: more than ${max} pages to read by OCR`, loc));
  let read: PdfPageText[];
  const pageFiles: string[] = [];
  const notRead: string[] = [];
  const hash = createHash('sha256');
  const turned: string[] = [];
  try {
    const reads = new PageReads<ImagePage & { name: string }>(session);
    for (const file of files) {
      let bytes: Uint8Array;
      try {
        bytes = await file.read();
      } catch (e) {
        // The budget's timeout (and any error of xunshi's own that is not about this file) ends the report.
        if (e instanceof XunshiError && e.code !== ERROR_CODES.INPUT_TOO_LARGE && e.code !== ERROR_CODES.INPUT_UNREADABLE && e.code !== ERROR_CODES.INPUT_NOT_REGULAR) throw e;
        const code = (e as NodeJS.ErrnoException | undefined)?.code;
        // A caller's own reader may throw anything: its message says why (it was "cannot be read" and no more).
        const why = typeof code === 'string' ? `: ${code}` : e instanceof Error && e.message ? `: ${e.message}` : '';
        notRead.push(`${file.name} (${e instanceof XunshiError ? e.message.replace(/^cannot read input: /, '') : `cannot be read${why}`})`);
        continue;
      }
      hash.update(bytes);
      options.check?.();
      const why = await readImageFilePages(bytes, session, reads, file.name);
      if (why) notRead.push(`${file.name} (${why})`);
    }
    const pages = await reads.all();
    read = pages.map((p) => p.page);
    for (const p of pages) {
      pageFiles.push(p.name);
      if (p.orientation !== 1) turned.push(`${p.name} (${p.orientation})`);
    }
  } finally {
    await session.close();
  }
  if (read.length === 0) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `${what}, none of which gives a page: ${notRead.join('; ')}`, loc);
  const doc = layoutPdf(read);
  if (!/[^\s]/.test(doc.text)) throw new XunshiError(ERROR_CODES.INPUT_NO_TEXT, `${what} in which OCR found no text${notRead.length > 0 ? ` (not read: ${notRead.join('; ')})` : ''}`, loc);
  const summary = session.summary(`of the ${files.length} image file${files.length === 1 ? '' : 's'}`);
  const extra = `${turned.length > 0 ? `; turned upright by their orientation: ${turned.join(', ')}` : ''}${notRead.length > 0 ? `; not read: ${notRead.join('; ')}` : ''}`;
  if (summary !== undefined) doc.diagnostics.push({ code: 'XUNSHI_IMAGE_OCR', message: `${summary}${extra}` });
  return { ...doc, pageFiles, sha256: hash.digest('hex') };
}

/**
 * One image file's pages (a TIFF's every page that decodes, any other image its one page) added to `reads` as pages of
 * the file `name`, read by `session` as engines come free; returns why the file, or some of its pages, were not read
 * (undefined when all were).
 */
async function readImageFilePages(bytes: Uint8Array, session: OcrSession, reads: PageReads<ImagePage & { name: string }>, name: string): Promise<string | undefined> {
  const page = async (data: PdfImageData, orientation: number, n: number): Promise<ImagePage & { name: string }> => ({ ...(await ocrDecoded(data, orientation, n, session)), name });
  if (isTiff(bytes)) {
    const walk = tiffPages(bytes);
    if (walk.unsupported) return walk.unsupported;
    if (walk.pages.length === 0) return `a TIFF image without a page it can read: ${walk.damaged ?? 'no image'}`;
    const skipped: string[] = [];
    await addTiffPages(bytes, walk.pages, reads, (data, p, n) => page(data, p.orientation, n), (why, k) => skipped.push(`its page ${k} ${why}`));
    if (walk.damaged) skipped.push(`pages after page ${walk.pages.length}: ${walk.damaged}`);
    return skipped.length > 0 ? skipped.join(', ') : undefined;
  }
  const header = imageHeader(bytes);
  const other = header.format === 'unknown' ? undecodedKind(bytes) : undefined;
  if (other) return `${other}, which xunshi does not decode`;
  if (!DECODED_FORMATS.includes(header.format)) return header.format === 'unknown' ? 'not an image xunshi reads' : `${FORMAT_NAME[header.format]}, which xunshi does not decode`;
  if (!(header.width > 0 && header.height > 0)) return `${FORMAT_NAME[header.format]} whose header gives no size`;
  if (header.width * header.height > MAX_IMAGE_PIXELS) return `${FORMAT_NAME[header.format]} of ${header.width} × ${header.height} pixels, over the ${MAX_IMAGE_PIXELS / 1e6} M pixels xunshi decodes`;
  if (!(await reads.add(() => decodeImageFile(bytes, header), (d, n) => page(d.data, d.orientation, n)))) return `${FORMAT_NAME[header.format]} that does not decode: damaged or cut short`;
  return undefined;
}
