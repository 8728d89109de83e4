import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { Diagnostic } from '@xunshi/types';
import { BIG5_STRAY, decodeBytes, type DecodedText } from './decode-bytes.js';

const BIG5_LABELS = new Set(['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5']);
const ENCODING_NAMES = { 'utf-8': 'UTF-8', gb18030: 'GB18030', big5: 'Big5' } as const;
const GB_LABELS = new Set(['gb2312', 'gbk', 'gb18030', 'x-gbk', 'cp936', 'csgb2312', 'chinese', 'iso-ir-58', 'csiso58gb231280', 'euc-cn', 'windows-936', 'ms936']);
const UTF8_LABELS = new Set(['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8']);
const META_CHARSET = /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]+)/i;

/** An HTML page's text with the encoding it was read in and notes on how that was decided. */
export interface DecodedHtml extends DecodedText {
  diagnostics: Diagnostic[];
  /** The charset the page declares in a `<meta>` tag, lower case, when it has one. */
  declared?: string;
}

/** The charset declared by a `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">` tag in the first 4 KB. */
export function findDeclaredCharset(bytes: Uint8Array): string | undefined {
  let head = '';
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) head += String.fromCharCode(bytes[i]!);
  const m = META_CHARSET.exec(head);
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * Decode an HTML page: a byte-order mark first, then `transportCharset` (the charset a web archive's MIME header gives
 * the page) or else the `<meta>` charset (GB2312, GBK and GB18030 are all read as
 * GB18030, never with the lossy `gbk` label), then detection; a page whose bytes contradict its declaration is detected
 * instead, and a page with a few invalid sequences is decoded with replacement characters, each fallback noted.
 */
export function decodeHtml(
  bytes: Uint8Array,
  options: { path?: string; encoding?: 'auto' | 'utf-8' | 'gb18030' | 'big5'; transportCharset?: string } = {},
): DecodedHtml {
  const loc = options.path === undefined ? {} : { path: options.path };
  const diagnostics: Diagnostic[] = [];
  const forced = options.encoding && options.encoding !== 'auto' ? options.encoding : undefined;
  if (forced) return { ...decodeBytes(bytes, { ...loc, encoding: forced }), diagnostics };
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // A charset given by the transport (a web archive's MIME header, as an HTTP header would) outranks the page's own,
  // unless it is one xunshi does not read (Word names `us-ascii` or `windows-1252` on the page part of a document
  // saved on a Western system): then the page's `<meta>` is next, as a browser ignores a header it cannot use.
  const transport = options.transportCharset?.toLowerCase();
  const readable = (c: string): boolean => GB_LABELS.has(c) || BIG5_LABELS.has(c) || UTF8_LABELS.has(c);
  const declared = hasBom ? undefined : transport !== undefined && readable(transport) ? transport : (findDeclaredCharset(bytes) ?? transport);
  let label: 'utf-8' | 'gb18030' | 'big5' | undefined;
  if (declared !== undefined) {
    if (GB_LABELS.has(declared)) label = 'gb18030';
    else if (BIG5_LABELS.has(declared)) label = 'big5';
    else if (UTF8_LABELS.has(declared)) label = 'utf-8';
    else diagnostics.push({ code: 'XUNSHI_HTML_CHARSET_UNSUPPORTED', message: `the page declares charset "${declared}", which is not supported; the encoding was detected instead` });
  }
  const withDeclared = (d: DecodedText): DecodedHtml => (declared === undefined ? { ...d, diagnostics } : { ...d, diagnostics, declared });
  if (label === undefined) return withDeclared(decodeBytes(bytes, { ...loc, encoding: 'auto' }));
  try {
    return withDeclared(decodeBytes(bytes, { ...loc, encoding: label }));
  } catch (e) {
    if (!(e instanceof XunshiError) || e.code !== ERROR_CODES.INPUT_UNDECODABLE) throw e;
  }
  try {
    const detected = decodeBytes(bytes, { ...loc, encoding: 'auto' });
    diagnostics.push({ code: 'XUNSHI_HTML_CHARSET_MISMATCH', message: `the page declares charset "${declared}" but its bytes are not valid ${ENCODING_NAMES[label]}; read as ${ENCODING_NAMES[detected.encoding]} instead` });
    return withDeclared(detected);
  } catch (e) {
    if (!(e instanceof XunshiError) || e.code !== ERROR_CODES.INPUT_UNDECODABLE) throw e;
  }
  // Real pages sometimes hold a few broken sequences (a truncated character); they become U+FFFD and are counted.
  let text = new TextDecoder(label, { ignoreBOM: true }).decode(bytes);
  if (label === 'big5') text = text.replace(BIG5_STRAY, '\ufffd');
  let replaced = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) replaced++;
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  diagnostics.push({ code: 'XUNSHI_HTML_INVALID_BYTES', message: `${replaced} invalid byte sequence(s) in the declared charset "${declared}" were replaced by U+FFFD` });
  return withDeclared({ text, encoding: label, bom });
}
