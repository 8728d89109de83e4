import { ERROR_CODES, XunshiError, type Diagnostic } from '@xunshi/types';
import { decodeBytes } from './decode-bytes.js';
import { attr, escXml, relationshipsOf } from './docx-numbering.js';
import type { ExtractedDocument } from './extracted.js';
import { decodeHtml } from './html-decode.js';
import { extractMhtmlPage, looksLikeMhtml } from './mhtml-read.js';
import { extractRtf } from './rtf-read.js';

/**
 * Imported content of a .docx (`w:altChunk`): a part of another format (an HTML page, a web archive, RTF, plain text)
 * that Word converts and shows where the element stands. Office and web systems that "export to Word" often write the
 * whole report so, as an HTML chunk in an otherwise empty document; mammoth skips the element, so the report was read
 * as nothing. Each chunk is marked where it stands (a paragraph holding a private-use token, which mammoth keeps), and
 * the marker's paragraph in mammoth's HTML is replaced by the chunk's HTML (a page's body; RTF and plain text written
 * as paragraphs and table rows), so that it is read with the document, in place, as the rest of the document is.
 */

/** A chunk found in a part: the zip entry it names, read after mammoth has run. */
export interface DocxChunk {
  name: string;
}

/** The marker of chunk `i`: private-use delimiters around an ASCII name, kept by mammoth as a paragraph's text. */
const markerOf = (i: number): string => `\ue000xunshi-chunk-${i}\ue001`;
const MARKER = /<p>\ue000xunshi-chunk-(\d+)\ue001<\/p>|\ue000xunshi-chunk-(\d+)\ue001/g;
/** A `w:altChunk` element, empty or holding its properties (`w:altChunkPr`), with its relationship id. */
const ALT_CHUNK = /<w:altChunk(?=[\s/>])((?:[^<>"']|"[^"<]*"|'[^'<]*')*?)(?:\/>|>(?:(?!<\/w:altChunk>)[\s\S]){0,4096}<\/w:altChunk>)/g;

/**
 * `xml` (a part named `part`, whose relationships are `rels`) with each `w:altChunk` replaced by a paragraph of its
 * marker, the chunk added to `chunks`; unchanged where it holds none, or already holds the marker's delimiters.
 */
export function markChunks(xml: string, part: string, rels: string | undefined, chunks: DocxChunk[]): string {
  if (!xml.includes('<w:altChunk') || xml.includes('\ue000xunshi-chunk-')) return xml;
  const targets = new Map(relationshipsOf(rels, part.slice(0, part.lastIndexOf('/') + 1)).filter((r) => !r.external).map((r) => [r.id, r.target]));
  return xml.replace(ALT_CHUNK, (_, attrs: string) => {
    const name = targets.get(attr(`<w:altChunk${attrs}>`, 'r:id') ?? '');
    if (name === undefined) return '';
    chunks.push({ name });
    return `<w:p><w:r><w:t>${markerOf(chunks.length - 1)}</w:t></w:r></w:p>`;
  });
}

/** An extracted document as HTML: headings, paragraphs, and consecutive rows of one table as a table. */
function asHtml(doc: ExtractedDocument): string {
  let html = '';
  let table: number | undefined;
  for (const l of doc.lines) {
    if (l.kind === 'footnote') continue;
    if (l.kind !== 'row' && table !== undefined) {
      html += '</table>';
      table = undefined;
    }
    if (l.kind === 'row') {
      if (table !== (l.table ?? -1)) {
        if (table !== undefined) html += '</table>';
        html += '<table>';
        table = l.table ?? -1;
      }
      html += `<tr>${(l.cells ?? []).map((c) => `<td>${escXml(doc.text.slice(c.start, c.end))}</td>`).join('')}</tr>`;
    } else if (l.kind === 'heading') {
      const level = Math.min(6, Math.max(1, l.level ?? 1));
      html += `<h${level}>${escXml(doc.text.slice(l.start, l.end))}</h${level}>`;
    } else html += `<p>${escXml(doc.text.slice(l.start, l.end))}</p>`;
  }
  return table !== undefined ? `${html}</table>` : html;
}

/** A page's body (its `<head>` and the tags around the body left out): the chunk's content as a fragment. */
function bodyOf(page: string): string {
  const open = /<body(?=[\s>])[^>]*>/i.exec(page);
  const from = open ? open.index + open[0].length : 0;
  const close = page.toLowerCase().lastIndexOf('</body>');
  const body = page.slice(from, close > from ? close : page.length);
  return open ? body : body.replace(/<head(?=[\s>])[\s\S]*?<\/head>/i, '');
}

/**
 * A chunk's bytes as HTML, by what they are (not by the name's extension alone); undefined for another format. A Word
 * document (a zip) is read by `docx`, which the caller gives only where a chunk may hold one (not inside a chunk).
 */
async function chunkHtml(name: string, bytes: Uint8Array, diagnostics: Diagnostic[], docx?: (bytes: Uint8Array, path: string) => Promise<ExtractedDocument>): Promise<string | undefined> {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    if (!docx) return undefined;
    const doc = await docx(bytes, name);
    // What the imported document says of itself (its own imports not read) is said of this one.
    diagnostics.push(...doc.diagnostics);
    return asHtml(doc);
  }
  // (A UTF-8 byte-order mark read as Latin-1 is three characters.)
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1').replace(/^\xef\xbb\xbf/, '').trimStart();
  if (head.startsWith('{\\rtf')) return asHtml(extractRtf(bytes, { path: name }));
  if (ext === 'mht' || ext === 'mhtml' || looksLikeMhtml(bytes)) {
    const page = extractMhtmlPage(bytes, { path: name });
    return bodyOf(decodeHtml(page.bytes, { path: name, ...(page.charset !== undefined ? { transportCharset: page.charset } : {}) }).text);
  }
  if (ext === 'htm' || ext === 'html' || ext === 'xhtml' || head.startsWith('<')) return bodyOf(decodeHtml(bytes, { path: name }).text);
  if (ext === 'txt') return decodeBytes(bytes, { path: name }).text.split(/\r\n|\r|\n/).map((line) => `<p>${escXml(line)}</p>`).join('');
  return undefined;
}

/**
 * mammoth's `html` with each chunk's marker replaced by the chunk read from `read(name)` (a bounded read of the zip);
 * a Word document (a .docx inside the .docx, read by `docx`) too, but not a Word document inside that one. A chunk that is
 * missing, of another format or that cannot be read is left out, and the diagnostic `XUNSHI_DOCX_CHUNKS_SKIPPED` names
 * them; one past the decompression limit is `INPUT_TOO_LARGE` for the document.
 */
export async function withChunks(
  html: string,
  chunks: readonly DocxChunk[],
  read: (name: string) => Uint8Array | undefined,
  docx?: (bytes: Uint8Array, path: string) => Promise<ExtractedDocument>,
): Promise<{ html: string; diagnostics: Diagnostic[] }> {
  if (chunks.length === 0) return { html, diagnostics: [] };
  const skipped: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const htmlOf: string[] = [];
  for (const c of chunks) {
    try {
      const bytes = read(c.name);
      const out = bytes === undefined ? undefined : await chunkHtml(c.name, bytes, diagnostics, docx);
      const zip = bytes !== undefined && bytes[0] === 0x50 && bytes[1] === 0x4b;
      if (out === undefined) skipped.push(`${c.name} (${bytes === undefined ? 'missing' : zip ? 'a Word document inside an imported Word document' : 'a format not read inside a .docx'})`);
      htmlOf.push(out ?? '');
    } catch (e) {
      // A chunk that would decompress past the limit (a zip bomb in a zip) fails the document, as the document would.
      if (e instanceof XunshiError && e.code === ERROR_CODES.INPUT_TOO_LARGE) throw e;
      skipped.push(`${c.name} (${(e as Error).message})`);
      htmlOf.push('');
    }
  }
  const out = html.replace(MARKER, (_, a: string | undefined, b: string | undefined) => htmlOf[Number(a ?? b)] ?? '');
  if (skipped.length > 0) diagnostics.push({ code: 'XUNSHI_DOCX_CHUNKS_SKIPPED', message: `${skipped.length} imported part(s) of the document (altChunk) were not read: ${skipped.join('; ')}` });
  return { html: out, diagnostics };
}
