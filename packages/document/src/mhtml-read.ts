import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { Diagnostic } from '@xunshi/types';
import { hexDigitValue } from './hex-digit.js';

/**
 * MHTML (RFC 2557, "web archive", `.mht`/`.mhtml`): a MIME message whose root part is the saved page and whose other
 * parts are its images, style sheets and frames. Edge and Chrome save "webpage, single file" this way, Word saves
 * "single file web page" this way, and some sites serve such a file as a `.doc`.
 *
 * Only the page is read: its bytes are undone from their transfer encoding (quoted-printable, base64) and handed to
 * the HTML decoder with the charset the part's `Content-Type` declares, which, as an HTTP header does, outranks the
 * page's own `<meta charset>`. Mail libraries decode text parts to strings by their own charset rules (falling back
 * to windows-1252 where a part names none, as Chromium's parts do), which would take that decision away from the
 * HTML decoder (GB2312/GBK read as GB18030, detection when the declaration is wrong), so the MIME structure is read
 * here: it is a narrow, fully specified format.
 */
export interface MhtmlPage {
  /** The page's bytes, transfer encoding undone. */
  bytes: Uint8Array;
  /** The `charset` parameter of the page part's `Content-Type`, lower case, when it has one. */
  charset?: string;
  /** The page's `Content-Location` (its address when saved), when it has one. */
  location?: string;
  /**
   * The archive's images (parts of an `image/` type), by their `Content-Location` and by `cid:` and their
   * `Content-ID`, each decoded from its transfer encoding when asked (undefined when it is in none xunshi reads): what
   * the page's `<img>` elements show, for the OCR of a page whose report is scans.
   */
  images: Map<string, () => Uint8Array | undefined>;
  diagnostics: Diagnostic[];
}

/** Multiparts nested deeper than this are not looked into (browsers write one level, Word two). */
const MAX_DEPTH = 8;
/** A header block longer than this is no MIME header (a page's bytes do not start a part). */
const MAX_HEADER_BYTES = 64 * 1024;

interface Part {
  headers: Map<string, string>;
  /** Body bytes `[start, end)` of the archive. */
  start: number;
  end: number;
}

function corrupt(message: string, file: string | undefined): XunshiError {
  return new XunshiError(ERROR_CODES.INPUT_CORRUPT, message, file === undefined ? {} : { file });
}

/** Index just past the blank line that ends a header block starting at `from`, and the header lines; undefined when there is none within the bound. */
function readHeaders(buf: Buffer, from: number, to: number): { headers: Map<string, string>; bodyStart: number } | undefined {
  const limit = Math.min(to, from + MAX_HEADER_BYTES);
  const headers = new Map<string, string>();
  let line = from;
  let last: string | undefined;
  while (line < limit) {
    let eol = buf.indexOf(0x0a, line);
    if (eol < 0 || eol >= to) eol = to;
    const text = buf.toString('latin1', line, eol > line && buf[eol - 1] === 0x0d ? eol - 1 : eol);
    const next = eol + 1;
    if (text === '') return { headers, bodyStart: Math.min(next, to) };
    if ((text[0] === ' ' || text[0] === '\t') && last !== undefined) {
      // A folded header continues the one before it.
      headers.set(last, `${headers.get(last)!} ${text.trim()}`);
    } else {
      const colon = text.indexOf(':');
      if (colon <= 0 || !/^[!-9;-~]+$/.test(text.slice(0, colon))) return undefined;
      last = text.slice(0, colon).toLowerCase();
      // The first of repeated headers counts, as for Content-Type in mail readers.
      if (!headers.has(last)) headers.set(last, text.slice(colon + 1).trim());
    }
    if (eol >= to) return { headers, bodyStart: to };
    line = next;
  }
  return undefined;
}

/** A header value's first token (lower case) and its `; name=value` parameters (names lower case, quotes removed). */
export function parseHeaderValue(value: string): { value: string; params: Map<string, string> } {
  const params = new Map<string, string>();
  const semi = value.indexOf(';');
  const head = (semi < 0 ? value : value.slice(0, semi)).trim().toLowerCase();
  const PARAM = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  let m: RegExpExecArray | null;
  while ((m = PARAM.exec(value)) !== null) {
    const name = m[1]!.toLowerCase();
    const v = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!.trim();
    if (!params.has(name)) params.set(name, v);
  }
  return { value: head, params };
}

/** The parts of a multipart body `[from, to)` delimited by `--boundary` lines (preamble and epilogue dropped). */
function splitParts(buf: Buffer, from: number, to: number, boundary: string, file: string | undefined): Part[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const starts: Array<{ at: number; after: number; close: boolean }> = [];
  let at = from;
  while (at < to) {
    const hit = buf.indexOf(delimiter, at);
    if (hit < 0 || hit + delimiter.length > to) break;
    // A delimiter starts a line.
    if (hit === from || buf[hit - 1] === 0x0a) {
      let after = hit + delimiter.length;
      const close = buf[after] === 0x2d && buf[after + 1] === 0x2d;
      // The rest of the delimiter line (transport padding) is not part of the body.
      const eol = buf.indexOf(0x0a, after);
      after = eol < 0 || eol >= to ? to : eol + 1;
      starts.push({ at: hit, after, close });
      if (close) break;
    }
    at = hit + delimiter.length;
  }
  if (starts.length === 0) throw corrupt(`the web archive declares the MIME boundary "${boundary}" but no part starts with it`, file);
  const parts: Part[] = [];
  for (let i = 0; i < starts.length; i++) {
    const s = starts[i]!;
    if (s.close) break;
    // The line break before the next delimiter belongs to the delimiter.
    let end = i + 1 < starts.length ? starts[i + 1]!.at : to;
    if (i + 1 < starts.length) {
      if (end > s.after && buf[end - 1] === 0x0a) end--;
      if (end > s.after && buf[end - 1] === 0x0d) end--;
    }
    // A part whose first lines are no header block is a body without headers (plain text, RFC 2046 §5.1.1).
    const head = readHeaders(buf, s.after, end) ?? { headers: new Map<string, string>(), bodyStart: s.after };
    parts.push({ headers: head.headers, start: head.bodyStart, end: Math.max(head.bodyStart, end) });
  }
  return parts;
}

/** Quoted-printable (RFC 2045 §6.7) to bytes: `=XX` escapes, `=` soft line breaks; a stray `=` is kept, as mail readers do. */
export function decodeQuotedPrintable(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c !== 0x3d) {
      out[n++] = c;
      continue;
    }
    // Soft line break: `=` then optional white space then CRLF or LF.
    let j = i + 1;
    while (j < bytes.length && (bytes[j] === 0x20 || bytes[j] === 0x09)) j++;
    if (j < bytes.length && bytes[j] === 0x0d && bytes[j + 1] === 0x0a) {
      i = j + 1;
      continue;
    }
    if (j < bytes.length && bytes[j] === 0x0a) {
      i = j;
      continue;
    }
    if (j >= bytes.length) break;
    const hi = hexDigitValue(bytes[i + 1]);
    const lo = hexDigitValue(bytes[i + 2]);
    if (hi >= 0 && lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = c;
    }
  }
  return out.subarray(0, n);
}

function decodeBody(buf: Buffer, part: Part, file: string | undefined): Uint8Array {
  const body = buf.subarray(part.start, part.end);
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(body);
  // Node's base64 decoder skips line breaks and other characters outside the alphabet.
  if (encoding === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (encoding === '7bit' || encoding === '8bit' || encoding === 'binary') return body;
  throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the web archive's page is in the transfer encoding "${encoding}", which xunshi does not read`, file === undefined ? {} : { file });
}

function contentId(part: Part): string | undefined {
  const id = part.headers.get('content-id');
  return id === undefined ? undefined : id.trim().replace(/^<|>$/g, '');
}

/** The image parts of a multipart body (nested multiparts looked into, {@link MAX_DEPTH} levels), by location and `cid:`. */
function collectImages(buf: Buffer, parts: Part[], images: Map<string, () => Uint8Array | undefined>, depth: number, file: string | undefined): void {
  for (const part of parts) {
    const type = parseHeaderValue(part.headers.get('content-type') ?? 'text/plain');
    if (type.value.startsWith('multipart/') && depth < MAX_DEPTH) {
      const boundary = type.params.get('boundary');
      if (boundary !== undefined && boundary !== '') collectImages(buf, splitParts(buf, part.start, part.end, boundary, file), images, depth + 1, file);
      continue;
    }
    if (!type.value.startsWith('image/')) continue;
    const read = (): Uint8Array | undefined => {
      try {
        return decodeBody(buf, part, file);
      } catch {
        return undefined;
      }
    };
    const location = part.headers.get('content-location')?.trim();
    const id = contentId(part);
    // The first part of a location or id counts, as for the page.
    if (location && !images.has(location)) images.set(location, read);
    if (id && !images.has(`cid:${id}`)) images.set(`cid:${id}`, read);
  }
}

/** The page part of a multipart body: the `start` part, else the first HTML part, looking into nested multiparts. */
function findPage(buf: Buffer, parts: Part[], start: string | undefined, depth: number, file: string | undefined): { part: Part; pages: number } | undefined {
  const typed = parts.map((p) => ({ p, type: parseHeaderValue(p.headers.get('content-type') ?? 'text/plain') }));
  const pages = typed.filter((t) => t.type.value === 'text/html' || t.type.value === 'application/xhtml+xml').length;
  if (start !== undefined) {
    const wanted = start.replace(/^<|>$/g, '');
    const root = typed.find((t) => contentId(t.p) === wanted);
    if (root !== undefined && root.type.value.startsWith('text/')) return { part: root.p, pages };
  }
  for (const t of typed) {
    if (t.type.value === 'text/html' || t.type.value === 'application/xhtml+xml') return { part: t.p, pages };
    if (t.type.value.startsWith('multipart/') && depth < MAX_DEPTH) {
      const boundary = t.type.params.get('boundary');
      if (boundary === undefined || boundary === '') continue;
      const inner = findPage(buf, splitParts(buf, t.p.start, t.p.end, boundary, file), t.type.params.get('start'), depth + 1, file);
      if (inner !== undefined) return { part: inner.part, pages: pages + inner.pages };
    }
  }
  return undefined;
}

/** 3 when the bytes start with a UTF-8 byte-order mark (an editor that saved the archive again put one), else 0. */
function bomLength(buf: Buffer): number {
  return buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
}

/** The bytes {@link looksLikeMhtml} reads a web archive's headers from. */
export const MHTML_SNIFF_BYTES = 16 * 1024;

/** True when the bytes start with a MIME header block whose Content-Type is multipart/related or text/html: a web archive. */
export function looksLikeMhtml(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = readHeaders(buf, bomLength(buf), Math.min(buf.length, MHTML_SNIFF_BYTES));
  if (head === undefined) return false;
  const type = head.headers.get('content-type');
  if (type === undefined) return false;
  const parsed = parseHeaderValue(type);
  return parsed.value === 'multipart/related' || (parsed.value === 'text/html' && head.headers.has('mime-version'));
}

/** The saved page of a web archive, or an error saying why there is none. */
export function extractMhtmlPage(bytes: Uint8Array, options: { path?: string } = {}): MhtmlPage {
  const file = options.path;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const top = readHeaders(buf, bomLength(buf), buf.length);
  const type = top === undefined ? undefined : top.headers.get('content-type');
  if (top === undefined || type === undefined) throw corrupt('the file is not a web archive (MHTML): it does not start with a MIME header block that has a Content-Type', file);
  const parsed = parseHeaderValue(type);
  const diagnostics: Diagnostic[] = [];
  let found: { part: Part; pages: number } | undefined;
  if (parsed.value.startsWith('multipart/')) {
    const boundary = parsed.params.get('boundary');
    if (boundary === undefined || boundary === '') throw corrupt(`the web archive is ${parsed.value} but names no boundary`, file);
    found = findPage(buf, splitParts(buf, top.bodyStart, buf.length, boundary, file), parsed.params.get('start'), 1, file);
  } else if (parsed.value === 'text/html' || parsed.value === 'application/xhtml+xml') {
    found = { part: { headers: top.headers, start: top.bodyStart, end: buf.length }, pages: 1 };
  }
  if (found === undefined) throw corrupt(`the web archive holds no HTML page (its content is ${parsed.value})`, file);
  if (found.pages > 1) {
    diagnostics.push({ code: 'XUNSHI_MHTML_FRAMES_SKIPPED', message: `the web archive holds ${found.pages} HTML parts; only its main page was read (the others are frames or embedded pages)` });
  }
  const pageType = parseHeaderValue(found.part.headers.get('content-type') ?? 'text/html');
  const images = new Map<string, () => Uint8Array | undefined>();
  if (parsed.value.startsWith('multipart/')) collectImages(buf, splitParts(buf, top.bodyStart, buf.length, parsed.params.get('boundary')!, file), images, 1, file);
  const page: MhtmlPage = { bytes: decodeBody(buf, found.part, file), images, diagnostics };
  const charset = pageType.params.get('charset');
  if (charset !== undefined && charset !== '') page.charset = charset.toLowerCase();
  const location = found.part.headers.get('content-location');
  if (location !== undefined && location !== '') page.location = location;
  return page;
}
