import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { SourceFormat } from '@xunshi/types';
import { looksLikeMhtml, MHTML_SNIFF_BYTES } from './mhtml-read.js';
import { readCompoundFile } from './cfb-read.js';
import { flatOpenDocumentMimetype, isOdtMimetype, openDocumentKind } from './odt-read.js';
import { openZip } from './zip.js';

/** Extensions and the format they imply (lower case, with the dot). */
const EXTENSION_FORMAT: Readonly<Record<string, SourceFormat>> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.mdown': 'markdown',
  '.mkd': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.xhtml': 'html',
  '.shtml': 'html',
  '.mht': 'mhtml',
  '.mhtml': 'mhtml',
  '.docx': 'docx',
  '.docm': 'docx',
  '.pdf': 'pdf',
  '.rtf': 'rtf',
  '.xlsx': 'xlsx',
  '.xlsm': 'xlsx',
  '.et': 'xlsx',
  '.xls': 'xls',
  '.csv': 'csv',
  '.tsv': 'csv',
  '.ofd': 'ofd',
  '.odt': 'odt',
  '.ott': 'odt',
  '.fodt': 'odt',
  // Images of a report (a scanned page, a photograph, a screenshot), read by OCR (`--ocr`); JBIG2 is named as
  // formats that are not decoded.
  '.png': 'image',
  '.jpg': 'image',
  '.jpeg': 'image',
  '.jpe': 'image',
  '.jfif': 'image',
  '.bmp': 'image',
  '.tif': 'image',
  '.tiff': 'image',
  '.gif': 'image',
  // Named, not decoded: an iPhone's photographs, a browser's images.
  '.heic': 'image',
  '.heif': 'image',
  '.avif': 'image',
  '.webp': 'image',
};
/** Legacy Word formats: a Word 97–2003 binary (an OLE compound file) is read as `doc`; a docx or a web page saved under these names as what it is. */
const LEGACY_WORD = new Set(['.doc', '.wps', '.dot', '.wpt']);
const OTHER_CONTAINERS: Readonly<Record<string, string>> = {
  '.ods': 'an OpenDocument spreadsheet',
  '.fods': 'an OpenDocument spreadsheet',
  '.odp': 'an OpenDocument presentation',
  '.fodp': 'an OpenDocument presentation',
  '.odg': 'an OpenDocument drawing',
  '.et': 'a WPS spreadsheet',
  '.pptx': 'a PowerPoint deck',
  '.ppt': 'a PowerPoint deck',
  '.dps': 'a WPS presentation',
  '.zip': 'a zip archive',
};

/**
 * The most bytes from a file's start that {@link sniffFormat} reads to tell its format (a web archive's MIME headers),
 * besides a zip's directory, read from its end: a caller that has only a file's head needs this many to be told the
 * same as from the whole file, zips aside.
 */
export const SNIFF_HEAD_BYTES = Math.max(MHTML_SNIFF_BYTES, 4096);

/** Lower-case extension of a path's last segment with its dot, or `''` when it has none. */
export function extensionOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

/** Extensions of images (read by OCR only): `xunshi analyze` takes them from folders only with `--ocr`. */
export const IMAGE_EXTENSIONS: readonly string[] = Object.keys(EXTENSION_FORMAT).filter((ext) => EXTENSION_FORMAT[ext] === 'image');
/** Extensions `xunshi analyze` takes from folders: the readable document formats and the legacy Word ones (which get error entries); images are {@link IMAGE_EXTENSIONS}. */
export const INPUT_EXTENSIONS: readonly string[] = [...Object.keys(EXTENSION_FORMAT).filter((ext) => EXTENSION_FORMAT[ext] !== 'image'), ...LEGACY_WORD];

/** What the first bytes say. */
type Magic = 'pdf' | 'zip' | 'cfb' | 'rtf' | 'mhtml' | 'html' | 'flat-odf' | 'image' | 'none';

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.length < at + sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

const TEXT_EXT = new Set(['.txt', '.text', '.md', '.markdown', '.mdown', '.mkd']);

function sniffMagic(bytes: Uint8Array, ext: string): Magic {
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) return 'zip';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'cfb';
  // PNG, JPEG, TIFF, GIF, WebP and HEIF signatures, which no text starts with (BMP's two letters go by the extension only);
  // a .txt or .md stays what it says.
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) || startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]) || startsWith(bytes, [0x47, 0x49, 0x46, 0x38])) return 'image';
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && latin1(bytes, 8, 12) === 'WEBP') return 'image';
  // An ISO media file of a still-image brand (HEIF, AVIF): a phone's photograph.
  if (latin1(bytes, 4, 8) === 'ftyp' && /^(heic|heix|heim|heis|mif1|msf1|avif)$/.test(latin1(bytes, 8, 12))) return 'image';
  // A PDF header may follow some junk, but must be within the first 1024 bytes; a text file that merely mentions
  // `%PDF-` is a PDF only when it starts with it.
  const head = latin1(bytes, 0, 1024);
  const pdfAt = head.indexOf('%PDF-');
  if (pdfAt === 0 || (pdfAt > 0 && !TEXT_EXT.has(ext))) return 'pdf';
  // As the RTF reader takes it: after a UTF-8 byte-order mark and white space, which some generators write first.
  if (/^(?:\xef\xbb\xbf)?[ \t\r\n]*\{\\rtf/.test(head)) return 'rtf';
  // A flat OpenDocument file (.fodt, .fods, …): an XML root `office:document` in the OpenDocument office namespace.
  if (flatOpenDocumentMimetype(latin1(bytes, 0, 4096)) !== undefined) return 'flat-odf';
  if (looksLikeMhtml(bytes)) return 'mhtml';
  if (looksLikeHtml(bytes)) return 'html';
  return 'none';
}

/** Bytes `[from, to)` as one character each (U+0000–U+00FF), decoded natively. */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  const end = Math.min(bytes.length, to);
  if (end <= from) return '';
  return Buffer.from(bytes.buffer, bytes.byteOffset + from, end - from).toString('latin1');
}

/** True when the text starts (after a BOM, white space and comments) like an HTML document. */
export function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = latin1(bytes, 0, 2048).replace(/^\xef\xbb\xbf/, '').replace(/^(\s|<!--[\s\S]*?-->|<\?xml[^>]*>)*/, '').toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html') || (head.startsWith('<head') && head.includes('<body'));
}

/**
 * What a zip package is by its central directory: `ofd` with an entry `OFD.xml` at its root, `xlsx` with
 * `xl/workbook.xml`, `damaged` when the directory cannot be read, else undefined. Only the directory is read; a damaged
 * zip is left to the reader of its extension.
 */
function zipPackageKind(bytes: Uint8Array): 'ofd' | 'xlsx' | 'damaged' | { mimetype: string } | undefined {
  try {
    // Only the names are looked at (and an OpenDocument package's short mimetype entry): no size limit here, so that a
    // bomb is refused by its own reader, by name.
    const zip = openZip(bytes, { maxUncompressedBytes: Number.MAX_SAFE_INTEGER });
    let kind: 'xlsx' | undefined;
    for (const name of zip.entries.keys()) {
      const lower = name.toLowerCase();
      if (lower === 'ofd.xml') return 'ofd';
      if (lower === 'xl/workbook.xml') kind = 'xlsx';
    }
    const mimetype = zip.entries.get('mimetype');
    // Its sizes bounded as declared: deflated data of 512 bytes inflates to half a megabyte at most, whatever it claims.
    if (kind === undefined && mimetype !== undefined && mimetype.uncompressedSize <= 256 && mimetype.compressedSize <= 512 && !zip.has('word/document.xml')) {
      const text = new TextDecoder('utf-8').decode(zip.read('mimetype')).trim();
      if (text.startsWith('application/vnd.oasis.opendocument.')) return { mimetype: text };
    }
    return kind;
  } catch {
    return 'damaged';
  }
}

/** What a compound file's root storage holds: a WordDocument stream, a Workbook (or Excel 95 Book) stream; undefined when neither or the container cannot be read. */
function cfbRootKind(bytes: Uint8Array): 'doc' | 'xls' | undefined {
  let names: readonly string[];
  try {
    names = readCompoundFile(bytes).names.map((n) => n.toLowerCase());
  } catch {
    return undefined;
  }
  if (names.includes('worddocument')) return 'doc';
  if (names.includes('workbook') || names.includes('book')) return 'xls';
  return undefined;
}

/** True when a compound (OLE) file holds the stream `name` (directory names are UTF-16LE). */
function cfbHasStream(bytes: Uint8Array, name: string): boolean {
  const needle = Buffer.from(name, 'utf16le');
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes(needle);
}

function unsupported(file: string | undefined, message: string): XunshiError {
  return new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, message, file === undefined ? {} : { file });
}

/**
 * The format to read `bytes` as: `forced` when given, otherwise from the magic bytes and the extension together
 * (a `.doc` that is really a docx or a saved web page, a PDF without `.pdf`). Throws XunshiError for what cannot be
 * read: `INPUT_EMPTY` (0 bytes), `INPUT_ENCRYPTED` (a password-protected Office file), `INPUT_UNSUPPORTED`
 * (spreadsheets, presentations, …, each naming what to convert to). An OLE compound file with a WordDocument stream
 * (or named .doc/.wps/.dot/.wpt) is `doc`, a Word 97–2003 binary; a MIME web archive (by its `Content-Type:
 * multipart/related` header) is `mhtml` and a file starting `{\rtf` is `rtf`, whatever their names but `.txt`/`.md`; a zip with
 * `OFD.xml` at its root (or named .ofd) is `ofd`; a zip whose `mimetype` entry names an OpenDocument text (or a flat XML
 * `office:document` saying so) is `odt`, other OpenDocument kinds are `INPUT_UNSUPPORTED`.
 */
export function sniffFormat(bytes: Uint8Array, path?: string, forced?: SourceFormat): SourceFormat {
  const file = path;
  const loc = file === undefined ? {} : { file };
  if (bytes.length === 0) throw new XunshiError(ERROR_CODES.INPUT_EMPTY, `${file === undefined ? 'input' : 'the file'} is empty (0 bytes)`, loc);
  if (forced !== undefined) return forced;
  const ext = path === undefined ? '' : extensionOf(path);
  const magic = sniffMagic(bytes, ext);
  switch (magic) {
    case 'pdf':
      return 'pdf';
    case 'zip':
      // An OFD is a zip with OFD.xml at its root: read as one under any name (.ofd, none, .zip as it was downloaded).
      // An Excel workbook (also WPS's .et saved as one) by its workbook part, whatever its name.
      const kind = zipPackageKind(bytes);
      if (ext === '.ofd' || kind === 'ofd') return 'ofd';
      if (kind === 'xlsx') return 'xlsx';
      // An OpenDocument package by its mimetype entry, whatever its name: a text (or text template) is read, the
      // other kinds are named.
      if (typeof kind === 'object') {
        if (isOdtMimetype(kind.mimetype)) return 'odt';
        throw unsupported(file, `this is ${openDocumentKind(kind.mimetype)}, not a report document; save the document as .odt, .docx, .pdf or .txt`);
      }
      // A workbook (an OpenDocument text) whose directory cannot be read (cut short, damaged) is named so by its reader.
      if (kind === 'damaged' && EXTENSION_FORMAT[ext] === 'xlsx') return 'xlsx';
      if (EXTENSION_FORMAT[ext] === 'odt') return 'odt';
      if (OTHER_CONTAINERS[ext]) throw unsupported(file, `${ext} files (${OTHER_CONTAINERS[ext]}) are not supported; save the document as .docx, .pdf, .html or .txt`);
      // A docx is a zip; anything else zipped under another name is named by the docx reader's error.
      return 'docx';
    case 'cfb':
      if (cfbHasStream(bytes, 'EncryptedPackage') || cfbHasStream(bytes, 'EncryptionInfo')) {
        throw new XunshiError(
          ERROR_CODES.INPUT_ENCRYPTED,
          'the document is password-protected (an encrypted Office file); open it in Word or WPS, remove the password and save it as .docx',
          loc,
        );
      }
      // By the root storage's streams: a Word 97–2003 binary, or an Excel 97–2003 (or 95) workbook, whatever the name
      // (WPS's binary .et, an .xls saved as .doc). Embedded objects are in storages below the root, so an Excel chart
      // inside a Word document does not make it a workbook.
      switch (cfbRootKind(bytes)) {
        case 'doc':
          return 'doc';
        case 'xls':
          return 'xls';
      }
      // A Word 97–2003 binary; the reader checks the container and names what else it may be (a deck, a message).
      if (cfbHasStream(bytes, 'WordDocument') || LEGACY_WORD.has(ext)) return 'doc';
      throw unsupported(file, `this is a legacy binary Office file (${OTHER_CONTAINERS[ext] ?? 'not a Word document'}); save it as .docx, .pdf or .txt`);
    case 'rtf':
      // An RTF document, whatever its name (Word and WPS save one as .doc when asked); a .txt or .md stays text.
      if (TEXT_EXT.has(ext)) return EXTENSION_FORMAT[ext]!;
      return 'rtf';
    case 'mhtml':
      // A web archive saved as .doc (Word's "single file web page" renamed) is read as one; a .txt or .md stays text.
      if (TEXT_EXT.has(ext)) return EXTENSION_FORMAT[ext]!;
      return 'mhtml';
    case 'html':
      // A page saved as .doc/.txt-less is still a page; a .txt or .md that merely starts with a tag stays what it says.
      if (TEXT_EXT.has(ext)) return EXTENSION_FORMAT[ext]!;
      return 'html';
    case 'flat-odf': {
      if (TEXT_EXT.has(ext)) return EXTENSION_FORMAT[ext]!;
      const mimetype = flatOpenDocumentMimetype(latin1(bytes, 0, 4096)) ?? '';
      if (isOdtMimetype(mimetype)) return 'odt';
      throw unsupported(file, `this is ${openDocumentKind(mimetype)} (flat XML), not a report document; save the document as .odt, .docx, .pdf or .txt`);
    }
    case 'image':
      // A .txt or .md stays text (a PNG saved as .txt is then refused as binary, as it was).
      if (TEXT_EXT.has(ext)) return EXTENSION_FORMAT[ext]!;
      return 'image';
    case 'none':
      break;
  }
  if (LEGACY_WORD.has(ext)) {
    throw unsupported(file, `${ext} file is neither a Word document nor a web page that xunshi can read; save it as .docx or .txt`);
  }
  const known = EXTENSION_FORMAT[ext];
  if (known === 'docx') throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is not a Word document: a .docx is a zip archive, but it does not start with a zip header`, loc);
  if (known === 'xlsx') throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is not an Excel workbook: a ${ext} workbook is a zip archive, but it does not start with a zip header`, loc);
  if (known === 'xls') {
    throw new XunshiError(
      ERROR_CODES.INPUT_CORRUPT,
      `the file is not an Excel workbook: an ${ext} workbook is an OLE compound file (or a zip, or a web page), but it starts with none of their headers; if it is text exported under that name, read it with --format-in text`,
      loc,
    );
  }
  if (known === 'odt') throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the file is not an OpenDocument text: an ${ext} is ${ext === '.fodt' ? 'an XML file with the root office:document' : 'a zip package'}, but it is not one`, loc);
  if (known === 'ofd') throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the file is not an OFD document: an OFD is a zip package, but it does not start with a zip header', loc);
  if (known === 'pdf') throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the file is not a PDF: it has no %PDF- header in its first 1024 bytes', loc);
  if (known !== undefined) return known;
  const other = OTHER_CONTAINERS[ext];
  if (other) throw unsupported(file, `${ext} files (${other}) are not supported; save the document as .docx, .pdf, .html or .txt`);
  return 'text';
}
