import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedDocument } from './extracted.js';
import { DOCX_TITLE_CLASS, extractHtml, isStackOverflow, MAX_HTML_DEPTH } from './html-extract.js';
import { openZip, type ZipArchive } from './zip.js';

/** Options of {@link extractDocx}. */
export interface DocxOptions {
  path?: string;
  /** Bound on the bytes the docx may decompress to (default 256 MiB): guards against zip bombs. */
  maxUncompressedBytes?: number;
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
const INNERMOST_RUN = /<w:r(?:\s[^>]*)?>(?:(?!<w:r[\s>])[\s\S])*?<\/w:r>/g;
/** The run's own properties hide it: `<w:vanish/>`, not `w:val="false"`/`"0"`/`"off"`. */
const VANISHED = /^<w:r(?:\s[^>]*)?>\s*<w:rPr>(?:(?!<\/w:rPr>)[\s\S])*?<w:vanish(?:\s+w:val="(?:true|1|on)")?\s*\/>/;

/**
 * Hidden text (a run with `<w:vanish/>`, which Word and WPS neither show nor print) left out of a part: mammoth reads
 * it as text. Only runs without runs inside are looked at.
 */
export function withoutHiddenRuns(xml: string): string {
  if (!xml.includes('<w:vanish')) return xml;
  return xml.replace(INNERMOST_RUN, (run) => (VANISHED.test(run) ? '' : run));
}

/** mammoth's zip interface, served from an archive whose every read is bounded. */
function mammothFile(zip: ZipArchive): { exists(name: string): boolean; read(name: string, encoding?: string): Promise<unknown>; write(): void; toArrayBuffer(): Promise<ArrayBuffer> } {
  return {
    exists: (name) => zip.has(name),
    read: async (name, encoding) => {
      const bytes = zip.read(name);
      if (encoding === 'base64') return Buffer.from(bytes).toString('base64');
      if (!encoding) return bytes;
      const text = new TextDecoder(encoding).decode(bytes);
      return name.startsWith('word/') && name.endsWith('.xml') ? withoutHiddenRuns(text) : text;
    },
    write: () => {
      throw new Error('read-only');
    },
    toArrayBuffer: () => Promise.reject(new Error('read-only')),
  };
}

/**
 * Extract a Word document: the zip is opened with a decompression limit (zip bombs are `INPUT_TOO_LARGE`), mammoth
 * turns it into HTML (heading styles become h1–h6, tables stay tables, footnotes come after the body; images are
 * skipped unread) and the HTML goes the same way as a web page. Not a Word document: `INPUT_UNSUPPORTED` or
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
  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      // mammoth opens any object with exists/read as its zip: all decompression goes through the bounded reader.
      { file: mammothFile(zip) } as unknown as { buffer: Buffer },
      {
        styleMap: STYLE_MAP,
        includeDefaultStyleMap: true,
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
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
    const why = e instanceof TypeError ? 'its word/document.xml is not a Word document body' : /xmldom/.test(raw) ? 'its word/document.xml is not well-formed XML' : raw;
    throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the Word document is damaged and cannot be read: ${why}`, loc);
  }
  return extractHtml(html, { fragment: true, what: 'Word document', ...(options.path !== undefined ? { path: options.path } : {}) });
}
