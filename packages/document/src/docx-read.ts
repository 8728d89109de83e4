import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedDocument } from './extracted.js';
import { readNumbering, relationshipsOf, TAG_REST, withNumberText, type NumberingDefinitions } from './docx-numbering.js';
import { DOCX_TITLE_CLASS, extractHtml, isStackOverflow, MAX_HTML_DEPTH } from './html-extract.js';
import { MAX_TEXT_PART_BYTES, openZip, type ZipArchive } from './zip.js';
import { decodeXmlPart, firstXmlFault } from './xml-part.js';
import { withBoundedFields, withReadableMarkup, withRubyBase } from './word-markup.js';
import { markChunks, withChunks, type DocxChunk } from './docx-chunks.js';
import { withPictures } from './image-read.js';
import type { OcrSessionOptions } from './pdf-ocr.js';

/** Options of {@link extractDocx}. */
export interface DocxOptions extends OcrSessionOptions {
  path?: string;
  /**
   * A document with no text but pictures (pages scanned and pasted into Word, as office systems file them) is read by
   * OCR, one page a picture; without it such a document is `INPUT_NO_TEXT`, naming the option. One whose text is a
   * title (at most `SHORT_TEXT` characters) has its page-sized pictures read after it; the pictures of a document with
   * more text are never read (see `withPictures`).
   */
  ocr?: boolean;
  /** Bound on the bytes the docx may decompress to (default 256 MiB): guards against zip bombs. */
  maxUncompressedBytes?: number;
  /** Set when this document is a part imported by another (`w:altChunk`): a Word document it imports is not read. */
  imported?: boolean;
}

/**
 * A table of contents is left out: its entries (Word's `toc 1`–`9` styles, `目录 1`–`9` in localised Word and WPS, with
 * the page numbers of the field's cached result) repeat the headings, and read as body they would be units of their own
 * before the title.
 */
const TOC_STYLES = ["p[style-name^='toc '] => !", "p[style-name^='TOC '] => !", "p[style-name^='目录 '] => !"];
/** Word's built-in heading styles under their Chinese names (WPS and localised Word write these). */
const CHINESE_STYLES = [1, 2, 3, 4, 5, 6].flatMap((n) => [`p[style-name='标题 ${n}'] => h${n}:fresh`, `p[style-name='标题${n}'] => h${n}:fresh`]);
/**
 * Word's Title style (标题 in WPS) is the document's title, above every heading style: it gets the class
 * {@link DOCX_TITLE_CLASS}, which the extraction reads as a heading above level 1, so that a `Heading 1` (一、…) never
 * counts as its peer and the title is read as a `.txt` file's first line is.
 */
const STYLE_MAP = [...TOC_STYLES, ...CHINESE_STYLES, `p[style-name='Title'] => h1.${DOCX_TITLE_CLASS}:fresh`, `p[style-name='标题'] => h1.${DOCX_TITLE_CLASS}:fresh`, "p[style-name='Subtitle'] => h2:fresh", "p[style-name='副标题'] => h2:fresh"];

/** A run without a run inside (a text box's runs sit inside the run of their drawing). */
const INNERMOST_RUN = new RegExp(String.raw`<w:r(?=[\s>])${TAG_REST}(?:(?!<w:r[\s>])[\s\S])*?<\/w:r>`, 'g');
/** The run's own properties hide it: `<w:vanish/>`, not `w:val="false"`/`"0"`/`"off"`. */
const VANISHED = new RegExp(String.raw`^<w:r(?=[\s>])${TAG_REST}\s*<w:rPr>(?:(?!<\/w:rPr>)[\s\S])*?<w:vanish(?:\s+w:val="(?:true|1|on)")?\s*\/>`);

/**
 * Hidden text (a run with `<w:vanish/>`, which Word and WPS neither show nor print) left out of a part: mammoth reads
 * it as text. Only runs without runs inside are looked at.
 */
export function withoutHiddenRuns(xml: string): string {
  if (!xml.includes('<w:vanish')) return xml;
  return xml.replace(INNERMOST_RUN, (run) => (VANISHED.test(run) ? '' : run));
}

/** Parts whose paragraphs get the numbers Word shows (each counted on its own, as Word counts each story). */
const NUMBERED_PARTS = new Set(['word/document.xml', 'word/footnotes.xml', 'word/endnotes.xml']);

/** The target of the main document's relationship of `type` (numbering, styles), as a zip entry name. */
function relatedPart(rels: string | undefined, type: string, fallback: string): string {
  return relationshipsOf(rels, 'word/').find((r) => r.type.endsWith(`/${type}`))?.target ?? fallback;
}

/** mammoth's zip interface, served from an archive whose every read is bounded. */
function mammothFile(zip: ZipArchive, chunks: DocxChunk[], read: string[]): { exists(name: string): boolean; read(name: string, encoding?: string): Promise<unknown>; write(): void; toArrayBuffer(): Promise<ArrayBuffer> } {
  // The parts read for the numbering, kept for mammoth's own reads of them (each entry is inflated once).
  const kept = new Map<string, string>();
  const text = (name: string, encoding = 'utf-8', keep = false): string => {
    const key = `${encoding}:${name}`;
    const seen = kept.get(key);
    if (seen !== undefined) return seen;
    // mammoth asks for 'utf-8'; the part says what it is (a BOM, its declaration): see decodeXmlPart.
    const bytes = zip.read(name, MAX_TEXT_PART_BYTES);
    if (!read.includes(name)) read.push(name);
    const t = encoding.toLowerCase() === 'utf-8' && /\.(?:xml|rels)$/.test(name) ? decodeXmlPart(bytes) : new TextDecoder(encoding).decode(bytes);
    if (keep) kept.set(key, t);
    return t;
  };
  let numbering: NumberingDefinitions | undefined;
  // numbering.xml and styles.xml, read once (mammoth's own reads of them are served from the same text).
  const definitions = (): NumberingDefinitions => {
    if (!numbering) {
      const rels = zip.has('word/_rels/document.xml.rels') ? text('word/_rels/document.xml.rels', 'utf-8', true) : undefined;
      const part = (type: string, fallback: string): string | undefined => {
        const name = relatedPart(rels, type, fallback);
        return zip.has(name) ? text(name, 'utf-8', true) : undefined;
      };
      numbering = readNumbering(part('numbering', 'word/numbering.xml'), part('styles', 'word/styles.xml'));
    }
    return numbering;
  };
  return {
    exists: (name) => zip.has(name),
    read: async (name, encoding) => {
      if (encoding === 'base64') return Buffer.from(zip.read(name)).toString('base64');
      if (!encoding) return zip.read(name);
      if (!(name.startsWith('word/') && name.endsWith('.xml'))) return text(name, encoding);
      let visible = withBoundedFields(withReadableMarkup(withRubyBase(withoutHiddenRuns(text(name, encoding)))));
      if (visible.includes('<w:altChunk')) {
        const rels = `${name.slice(0, name.lastIndexOf('/'))}/_rels/${name.slice(name.lastIndexOf('/') + 1)}.rels`;
        visible = markChunks(visible, name, zip.has(rels) ? text(rels, 'utf-8', true) : undefined, chunks);
      }
      return NUMBERED_PARTS.has(name) ? withNumberText(visible, definitions()) : visible;
    },
    write: () => {
      throw new Error('read-only');
    },
    toArrayBuffer: () => Promise.reject(new Error('read-only')),
  };
}

/**
 * Which part read for mammoth is not well-formed XML, and where (line and column of the part as stored); the body when
 * none of them breaks as saxes reads it.
 */
function malformedPart(zip: ZipArchive, read: readonly string[]): string {
  for (const name of read.filter((n) => /\.(?:xml|rels)$/.test(n))) {
    const fault = firstXmlFault(decodeXmlPart(zip.read(name, MAX_TEXT_PART_BYTES)));
    if (fault !== undefined) return `its ${name} is not well-formed XML: ${fault.replace(/^(\d+):(\d+): /, 'line $1, column $2: ')}`;
  }
  return 'its word/document.xml is not well-formed XML';
}

/**
 * Extract a Word document: the zip is opened with a decompression limit (zip bombs are `INPUT_TOO_LARGE`), mammoth
 * turns it into HTML (heading styles become h1–h6, tables stay tables, footnotes come after the body; images are
 * skipped unread; Word's automatic numbering is written into its paragraphs as Word shows it, see docx-numbering.ts)
 * and the HTML goes the same way as a web page. Not a Word document: `INPUT_UNSUPPORTED` or
 * `INPUT_CORRUPT`, naming what the zip holds.
 */
export async function extractDocx(bytes: Uint8Array, options: DocxOptions = {}): Promise<ExtractedDocument> {
  const loc = options.path === undefined ? {} : { file: options.path };
  const zip = openZip(bytes, { what: 'Word document (docx zip)', ...(options.path !== undefined ? { path: options.path } : {}), ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}) });
  if (!zip.has('word/document.xml')) {
    const names = [...zip.entries.keys()];
    const kind = names.some((n) => n.startsWith('xl/'))
      ? 'an Excel workbook (.xlsx)'
      : names.some((n) => n.startsWith('ppt/'))
        ? 'a PowerPoint deck (.pptx)'
        : names.includes('mimetype')
          ? 'an OpenDocument file'
          : `a zip archive of ${names.length} file(s)`;
    const code = names.includes('[Content_Types].xml') || names.includes('mimetype') || names.length > 0 ? ERROR_CODES.INPUT_UNSUPPORTED : ERROR_CODES.INPUT_CORRUPT;
    throw new XunshiError(code, `this is not a Word document but ${kind} (it has no word/document.xml); save the report as .docx, .pdf or .txt`, loc);
  }
  const { default: mammoth } = await import('mammoth');
  // Imported parts (w:altChunk), marked where they stand while mammoth reads the document, then read in their place.
  const chunks: DocxChunk[] = [];
  // The pictures of the body in document order, read only if the document turns out to have no text but a title.
  const pictures: (() => Promise<Uint8Array>)[] = [];
  // The parts read as text, in order: a malformed one is named, with where it breaks (xmldom gives no position).
  const partsRead: string[] = [];
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      // mammoth opens any object with exists/read as its zip: all decompression goes through the bounded reader.
      { file: mammothFile(zip, chunks, partsRead) } as unknown as { buffer: Buffer },
      {
        styleMap: STYLE_MAP,
        includeDefaultStyleMap: true,
        convertImage: mammoth.images.imgElement((image: { read(): Promise<Buffer> }) => {
          pictures.push(async () => new Uint8Array(await image.read()));
          return Promise.resolve({ src: '' });
        }),
        ignoreEmptyParagraphs: true,
      },
    );
    html = result.value;
  } catch (e) {
    if (e instanceof XunshiError) throw e;
    // A well-formed document nested past what the converter's recursion can follow (thousands of tables in tables).
    if (isStackOverflow(e)) {
      throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the Word document nests its elements more than ${MAX_HTML_DEPTH} levels deep; no report is written that way: save it as .txt`, loc);
    }
    // A TypeError is the converter tripping over XML that is no Word body (a part of zeros, a stray root element), and
    // xmldom's parse errors carry tabs, newlines and "line:undefined": their own words would tell the reader nothing.
    const raw = (e as Error).message;
    const why = e instanceof TypeError ? 'its word/document.xml is not a Word document body' : /xmldom/.test(raw) ? malformedPart(zip, partsRead) : raw;
    throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the Word document is damaged and cannot be read: ${why}`, loc);
  }
  // An imported Word document is read, with a decompression limit of its own, but not a Word document it imports in turn.
  const readDocx = options.imported ? undefined : (part: Uint8Array, path: string): Promise<ExtractedDocument> => extractDocx(part, { path, imported: true, ...(options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {}) });
  const imported = await withChunks(html, chunks, (name) => (zip.has(name) ? zip.read(name) : undefined), readDocx);
  const doc = extractHtml(imported.html, { fragment: true, what: 'Word document', document: true, ...(options.path !== undefined ? { path: options.path } : {}) });
  doc.diagnostics.push(...imported.diagnostics);
  // A scan pasted into Word (no text but pictures, or a title above them) is read by OCR with `ocr`.
  return options.imported ? doc : withPictures(doc, () => pictures, options, 'Word document', 'XUNSHI_DOCX_OCR', loc);
}
