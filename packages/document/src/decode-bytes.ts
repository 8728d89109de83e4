import { createRequire } from 'node:module';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { SourceEncoding } from '@xunshi/types';
import { lineColumn } from './line-column.js';

/** Options of {@link decodeBytes}. */
export interface DecodeOptions {
  /** `auto` (default) detects; `utf-8`, `gb18030` or `big5` forces that decoding. */
  encoding?: 'utf-8' | 'gb18030' | 'big5' | 'auto';
  /** File path, used only in error messages. */
  path?: string;
}

/** Result of {@link decodeBytes}: the text without its byte-order mark. */
export interface DecodedText {
  text: string;
  encoding: SourceEncoding;
  /** True when the bytes started with a byte-order mark (not part of `text`). */
  bom: boolean;
}

const BINARY_SCAN_BYTES = 8 * 1024;
const DETECT_SLICE_BYTES = 64 * 1024;
// Real text in any encoding has almost no C0 controls; 10% is far above anything a report contains.
const MAX_CONTROL_SHARE = 0.1;
const GB_FAMILY = new Set(['gb18030', 'gb2312', 'gbk', 'hz-gb-2312', 'cp936']);
const ENCODING_NAMES: Record<SourceEncoding, string> = { 'utf-8': 'UTF-8', gb18030: 'GB18030', big5: 'Big5' };

interface InvalidAt {
  /** Byte offset of the first invalid sequence. */
  byte: number;
  line: number;
  column: number;
}

/**
 * Decode file bytes to text: UTF-8 (with or without BOM), GB18030/GBK/GB2312 (one family) or Big5 (traditional
 * script), detected unless `encoding` forces one; throws XunshiError `INPUT_EMPTY`, `INPUT_BINARY`,
 * `INPUT_UNSUPPORTED` (UTF-16) or `INPUT_UNDECODABLE` (with the byte offset and line:column).
 */
export function decodeBytes(bytes: Uint8Array, options: DecodeOptions = {}): DecodedText {
  const file = options.path;
  const loc = file === undefined ? {} : { file };
  // The path is the error's location (printed before the message), so the message itself says "the file".
  const where = file === undefined ? 'input' : 'the file';
  if (!(bytes instanceof Uint8Array)) {
    throw new XunshiError(ERROR_CODES.USAGE, `decodeBytes expects a Uint8Array, got ${typeof bytes}`, loc);
  }
  const mode = options.encoding ?? 'auto';
  if (mode !== 'auto' && mode !== 'utf-8' && mode !== 'gb18030' && mode !== 'big5') {
    throw new XunshiError(
      ERROR_CODES.USAGE,
      `unknown encoding "${String(mode)}" (expected "utf-8", "gb18030", "big5" or "auto")`,
      loc,
    );
  }
  if (bytes.length === 0) {
    throw new XunshiError(ERROR_CODES.INPUT_EMPTY, `${where} is empty (0 bytes)`, loc);
  }
  // UTF-32's marks first: little-endian UTF-32's (FF FE 00 00) begins with UTF-16's.
  if (bytes.length >= 4 && ((bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff))) {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `${where} starts with a UTF-32 byte-order mark; UTF-32 is not supported, save the file as UTF-8`, loc);
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new XunshiError(
      ERROR_CODES.INPUT_UNSUPPORTED,
      `${where} starts with a UTF-16 byte-order mark; UTF-16 is not supported, save the file as UTF-8`,
      loc,
    );
  }
  checkNotBinary(bytes, where, loc);

  let decoded: DecodedText;
  if (mode === 'utf-8') {
    decoded = decodeAs(bytes, 'utf-8', where, loc);
  } else if (mode === 'gb18030' || mode === 'big5') {
    decoded = decodeAs(bytes, mode, where, loc);
  } else {
    decoded = decodeAuto(bytes, where, loc);
  }
  if (/^[\s\ufeff]*$/.test(decoded.text)) {
    throw new XunshiError(
      ERROR_CODES.INPUT_EMPTY,
      `${where} contains only white space${decoded.bom ? ' and a byte-order mark' : ''}`,
      loc,
    );
  }
  return decoded;
}

function checkNotBinary(bytes: Uint8Array, where: string, loc: { file?: string }): void {
  // A NUL byte anywhere (one native scan), not only in the first bytes: none is text in UTF-8, GB18030 or Big5.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new XunshiError(
      ERROR_CODES.INPUT_BINARY,
      `${where} looks binary: it contains a NUL byte at byte offset ${nul} (a binary file, or UTF-16 text, which is not supported)`,
      loc,
    );
  }
  const n = Math.min(bytes.length, BINARY_SCAN_BYTES);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    // Tab, LF, VT, FF, CR and ESC occur in real text files; other C0 controls and DEL do not.
    if ((b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) || b === 0x7f) controls++;
  }
  if (controls / n > MAX_CONTROL_SHARE) {
    const pct = ((controls / n) * 100).toFixed(1);
    throw new XunshiError(
      ERROR_CODES.INPUT_BINARY,
      `${where} looks binary: ${pct}% of the first ${n} bytes are control characters`,
      loc,
    );
  }
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * What Node's (ICU's) Big5 decoder makes of the bytes 0x80 and 0xFF, which are no part of Big5 (WHATWG Encoding: an
 * error, alone or after a lead byte): U+0080 and U+F8F8 instead of failing, even when fatal. No Big5 pair gives either.
 */
export const BIG5_STRAY = /[\u0080\uf8f8]/g;

/** Offset of the first byte 0x80 or 0xFF (never in Big5), or -1. */
function strayBig5Byte(bytes: Uint8Array): number {
  const a = bytes.indexOf(0x80);
  const b = bytes.indexOf(0xff);
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

function tryDecode(bytes: Uint8Array, label: SourceEncoding): string | undefined {
  // Without this, a GBK text with one stray 0xFF byte was "valid Big5" (and nothing else), and read as Big5 mojibake.
  if (label === 'big5' && strayBig5Byte(bytes) >= 0) return undefined;
  try {
    // ignoreBOM keeps U+FEFF in the output so that the caller decides and reports it.
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function finish(text: string, encoding: SourceEncoding): DecodedText {
  const bom = text.charCodeAt(0) === 0xfeff;
  return { text: bom ? text.slice(1) : text, encoding, bom };
}

function decodeAs(bytes: Uint8Array, label: SourceEncoding, where: string, loc: { file?: string }, why = ''): DecodedText {
  const text = tryDecode(bytes, label);
  if (text !== undefined) return finish(text, label);
  const bad = findInvalid(bytes, label);
  throw new XunshiError(
    ERROR_CODES.INPUT_UNDECODABLE,
    `${where}${why} is not valid ${ENCODING_NAMES[label]}: ${describeInvalid(bad)}`,
    { ...loc, line: bad.line, column: bad.column },
  );
}

/**
 * Valid UTF-8 with at least this many multi-byte characters is UTF-8: a GBK or Big5 text is valid UTF-8 only by chance,
 * which happens to short texts only. Below it, the statistical guess decides.
 */
const TRUSTED_UTF8_CHARACTERS = 64;

function decodeAuto(bytes: Uint8Array, where: string, loc: { file?: string }): DecodedText {
  // The mark says UTF-8: bytes that are not are an error there, not a guess at another encoding.
  if (hasUtf8Bom(bytes)) return decodeAs(bytes, 'utf-8', where, loc, ', which starts with a UTF-8 byte-order mark,');
  // UTF-8 first; the double-byte decodings only when it fails, or for a short non-ASCII text that might be GBK or Big5.
  const utf8 = tryDecode(bytes, 'utf-8');
  if (utf8 !== undefined) {
    if (isAscii(bytes) || countMultiByteLeads(bytes, TRUSTED_UTF8_CHARACTERS) >= TRUSTED_UTF8_CHARACTERS) return finish(utf8, 'utf-8');
    // Short GBK or Big5 texts can happen to be valid UTF-8; only then is the statistical guess needed.
    const guess = guessEncoding(bytes)?.toLowerCase();
    if (guess !== undefined && GB_FAMILY.has(guess)) {
      const gb = tryDecode(bytes, 'gb18030');
      if (gb !== undefined) return finish(gb, 'gb18030');
    }
    if (guess === 'big5') {
      const big5 = tryDecode(bytes, 'big5');
      if (big5 !== undefined) return finish(big5, 'big5');
    }
    return finish(utf8, 'utf-8');
  }
  const gb = tryDecode(bytes, 'gb18030');
  // Most Big5 text is also valid GB18030 (and much GBK text valid Big5): only the statistics of the bytes tell them apart.
  const big5 = tryDecode(bytes, 'big5');
  if (gb !== undefined && big5 !== undefined) {
    // jschardet's Big5 and GB2312 models compare character frequencies; GB18030 stays the default when it is unsure.
    return guessEncoding(bytes)?.toLowerCase() === 'big5' ? finish(big5, 'big5') : finish(gb, 'gb18030');
  }
  if (gb !== undefined) return finish(gb, 'gb18030');
  if (big5 !== undefined) return finish(big5, 'big5');

  const badUtf8 = findInvalid(bytes, 'utf-8');
  const badGb = findInvalid(bytes, 'gb18030');
  // UTF-8 with a few damaged sequences (a cut-off character, a stray byte) is UTF-8: jschardet's guess for it is noise
  // (Johab, cp737), and the place to look is the first invalid UTF-8 sequence.
  const damaged = damagedUtf8(bytes);
  const guess = damaged === undefined ? guessEncoding(bytes) : undefined;
  const looksGb = guess !== undefined && (GB_FAMILY.has(guess.toLowerCase()) || guess.toLowerCase() === 'big5');
  const primary = looksGb ? badGb : badUtf8;
  const guessNote =
    damaged !== undefined
      ? `; apart from ${damaged} invalid sequence${damaged === 1 ? '' : 's'} it is valid UTF-8, so it is most likely a damaged UTF-8 file`
      : guess === undefined
        ? ''
        : `; the bytes look most like ${guess}${looksGb || guess.toLowerCase() === 'utf-8' ? '' : ', which is not supported'}`;
  throw new XunshiError(
    ERROR_CODES.INPUT_UNDECODABLE,
    `${where} is neither valid UTF-8 (${describeInvalid(badUtf8)}) nor valid GB18030 (${describeInvalid(badGb)}) nor valid Big5${guessNote}`,
    { ...loc, line: primary.line, column: primary.column },
  );
}

/**
 * The number of invalid sequences of `bytes` as UTF-8 when they are few beside its valid multi-byte characters (at most
 * one for every 16 of them), else undefined: text in another encoding read as UTF-8 is invalid almost everywhere.
 */
function damagedUtf8(bytes: Uint8Array): number | undefined {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  let invalid = 0;
  let multiByte = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd) invalid++;
    else if (c >= 0x80 && !(c >= 0xdc00 && c <= 0xdfff)) multiByte++;
  }
  return invalid > 0 && invalid * 16 <= multiByte ? invalid : undefined;
}

/** How many lead bytes of multi-byte UTF-8 sequences `bytes` has, counting up to `limit`. */
function countMultiByteLeads(bytes: Uint8Array, limit: number): number {
  let n = 0;
  for (let i = 0; i < bytes.length && n < limit; i++) if (bytes[i]! >= 0xc0) n++;
  return n;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** jschardet, loaded on first use: most inputs are UTF-8 and never need a statistical guess. */
let detect: typeof import('jschardet').detect | undefined;

function guessEncoding(bytes: Uint8Array): string | undefined {
  detect ??= (createRequire(import.meta.url)('jschardet') as typeof import('jschardet')).detect;
  const result = detect(bytes.subarray(0, DETECT_SLICE_BYTES));
  return result.encoding ?? undefined;
}

function describeInvalid(bad: InvalidAt): string {
  return `first invalid byte sequence at byte offset ${bad.byte} (line ${bad.line}, column ${bad.column})`;
}

/**
 * Locate the first invalid sequence with the same fatal decoder that rejected the input, fed byte
 * by byte, so the reported offset matches exactly what TextDecoder refuses.
 */
function findInvalid(bytes: Uint8Array, label: SourceEncoding): InvalidAt {
  if (label === 'big5') {
    // The decoder accepts a stray 0x80 or 0xFF (see BIG5_STRAY): the input is invalid at the latest in the sequence
    // that holds the first of them, which is where the prefix before it stops being whole (or at an earlier error).
    const stray = strayBig5Byte(bytes);
    if (stray >= 0) bytes = bytes.subarray(0, stray);
  }
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  // Streaming in blocks first keeps this linear; only the failing block is replayed byte by byte.
  const BLOCK = 64 * 1024;
  let okEnd = 0;
  for (let at = 0; at < bytes.length; at += BLOCK) {
    try {
      decoder.decode(bytes.subarray(at, Math.min(at + BLOCK, bytes.length)), { stream: true });
      okEnd = Math.min(at + BLOCK, bytes.length);
    } catch {
      break;
    }
  }
  const replay = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  // Restart on a sequence boundary before the failing block: a byte below 0x30 is a whole
  // character in UTF-8, GB18030 and Big5 (never a trail byte), so the next byte starts a sequence.
  let from = okEnd;
  while (from > 0 && bytes[from - 1]! >= 0x30) from--;
  let prefix = from > 0 ? replay.decode(bytes.subarray(0, from), { stream: true }) : '';
  let seqStart = from;
  let failAt = bytes.length;
  for (let i = from; i < bytes.length; i++) {
    let out: string;
    try {
      out = replay.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      failAt = seqStart;
      break;
    }
    if (out.length > 0) {
      prefix += out;
      seqStart = i + 1;
    }
  }
  if (failAt === bytes.length) {
    // Every byte was accepted: the input ends inside a multi-byte sequence.
    failAt = seqStart;
  }
  if (prefix.charCodeAt(0) === 0xfeff) prefix = prefix.slice(1);
  const pos = lineColumn(prefix, prefix.length);
  return { byte: failAt, line: pos.line, column: pos.column };
}
