import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { constants as bufferConstants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

const MAX_LENGTH = bufferConstants.MAX_LENGTH;
import { ERROR_CODES, XunshiError } from '@xunshi/types';

/** Default bound on the bytes a zip container may decompress to (all entries read together): 256 MiB. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

/**
 * Bound on one text part that a reader turns into a tree (a Word document's `word/*.xml`, an OpenDocument's
 * `content.xml` and `styles.xml`): about 130 bytes of memory per byte of such XML (a 4.6 MB document.xml, some 900
 * pages of Chinese, took 890 MB; a 72 KB docx holding 20 MB of it took 2.9 GB and, at 37 MB, aborted the process),
 * so 10 MiB — two thousand pages or so — keeps a document within about 1.5 GB.
 */
export const MAX_TEXT_PART_BYTES = 10 * 1024 * 1024;

/** One entry of a zip's central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  /** General-purpose flags; bit 0 means the entry is encrypted. */
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** A zip archive whose entries are decompressed on demand, each within the archive's remaining size budget. */
export interface ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;
  has(name: string): boolean;
  /**
   * The entry's bytes; throws `INPUT_TOO_LARGE` when the archive's budget would be passed (or the entry's own bound,
   * `maxBytes`, when given), `INPUT_CORRUPT` on bad data.
   */
  read(name: string, maxBytes?: number): Uint8Array;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

function fail(code: (typeof ERROR_CODES)[keyof typeof ERROR_CODES], message: string, file: string | undefined): never {
  throw new XunshiError(code, message, file === undefined ? {} : { file });
}

/** Where a zip's bytes come from: memory, or a file read piece by piece. */
interface ByteSource {
  readonly length: number;
  /** Up to `length` bytes from `offset` (fewer at the end of the source). */
  slice(offset: number, length: number): Uint8Array;
}

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * The central directory's entries in their order, checked: truncated archives, encrypted entries (unless
 * `allowEncrypted`), and with `limit` the declared sizes all together.
 */
function readDirectory(src: ByteSource, what: string, file: string | undefined, limit: number | undefined, allowEncrypted = false): ZipEntry[] {
  // The end-of-central-directory record is in the last 22 + 65535 bytes: the last one whose comment ends the file (a
  // comment may hold the record's signature), else the last signature at all (a comment cut short or padded).
  const tailStart = Math.max(0, src.length - 22 - 0xffff);
  const tail = src.slice(tailStart, src.length - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (u32(tail, i) !== EOCD_SIG) continue;
    if (eocd < 0) eocd = i;
    if (i + 22 + u16(tail, i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    fail(ERROR_CODES.INPUT_TRUNCATED, `the ${what} is truncated or damaged: its end-of-central-directory record is missing (${src.length} bytes; was the download or copy cut off?)`, file);
  }
  // The last part of a split (spanned) archive (`zip -s`, WinRAR and 7-Zip volumes: a.z01, a.z02 … a.zip): its directory
  // counts offsets within parts this file is not.
  if (u16(tail, eocd + 4) !== 0 || u16(tail, eocd + 6) !== 0) {
    fail(ERROR_CODES.INPUT_UNSUPPORTED, `the ${what} is the last part of a split archive (its other parts are .z01, .z02 … beside it); join the parts into one archive first (zip -s 0 a.zip --out whole.zip, or extract it)`, file);
  }
  const count = u16(tail, eocd + 10);
  const cdSize = u32(tail, eocd + 12);
  let cdOffset = u32(tail, eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    fail(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} uses ZIP64 (more than 65,535 entries or 4 GiB), far larger than any report`, file);
  }
  // Data before the archive (a self-extracting stub, a stub written in front of an archive without adjusting it): the
  // directory's offsets count from the archive's start, not the file's. The directory ends where the end record begins,
  // so the difference is the stub's length; as Info-ZIP's unzip does, offsets are shifted by it when the directory is
  // not where the end record says but is where it ends.
  let shift = 0;
  const cdEnd = tailStart + eocd;
  if (cdOffset + cdSize < cdEnd && count > 0) {
    const at = cdEnd - cdSize;
    if (u32(src.slice(cdOffset, 4), 0) !== CEN_SIG && u32(src.slice(at, 4), 0) === CEN_SIG) {
      shift = at - cdOffset;
      cdOffset = at;
    }
  }
  if (cdOffset + cdSize > cdEnd) {
    fail(ERROR_CODES.INPUT_TRUNCATED, `the ${what} is truncated or damaged: its central directory (offset ${cdOffset}, ${cdSize} bytes) lies outside the file`, file);
  }
  const cd = src.slice(cdOffset, cdEnd - cdOffset);
  const entries: ZipEntry[] = [];
  let declared = 0;
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || u32(cd, p) !== CEN_SIG) {
      fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: central directory entry ${n + 1} of ${count} is unreadable`, file);
    }
    const flags = u16(cd, p + 8);
    const method = u16(cd, p + 10);
    const compressedSize = u32(cd, p + 20);
    const uncompressedSize = u32(cd, p + 24);
    const nameLen = u16(cd, p + 28);
    const extraLen = u16(cd, p + 30);
    const commentLen = u16(cd, p + 32);
    const localHeaderOffset = u32(cd, p + 42) + shift;
    const name = decodeZipName(cd.subarray(p + 46, p + 46 + nameLen), flags, cd.subarray(p + 46 + nameLen, Math.min(cd.length, p + 46 + nameLen + extraLen)));
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1 && !allowEncrypted) {
      fail(ERROR_CODES.INPUT_ENCRYPTED, `the ${what} is encrypted (entry ${name} is password-protected); save an unprotected copy first`, file);
    }
    declared += uncompressedSize;
    if (limit !== undefined && declared > limit) {
      fail(
        ERROR_CODES.INPUT_TOO_LARGE,
        `the ${what} would decompress to more than ${formatBytes(limit)} (declared ${formatBytes(declared)} so far, from ${formatBytes(src.length)}): refused as a possible zip bomb`,
        file,
      );
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
  }
  return entries;
}

/**
 * An entry's bytes, inflated with zlib's `maxOutputLength` at `budget`: past it, `tooLarge()` throws (an
 * archive that lies about its sizes stops at the limit instead of filling memory).
 */
function readEntry(src: ByteSource, e: ZipEntry, what: string, file: string | undefined, budget: number, tooLarge: () => never): Uint8Array {
  const name = e.name;
  const at = e.localHeaderOffset;
  const head = src.slice(at, 30);
  if (head.length < 30 || u32(head, 0) !== LOC_SIG) {
    fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: the local header of ${name} is missing`, file);
  }
  const start = at + 30 + u16(head, 26) + u16(head, 28);
  if (start + e.compressedSize > src.length) fail(ERROR_CODES.INPUT_TRUNCATED, `the ${what} is truncated: the data of ${name} runs past the end of the file`, file);
  if (e.method !== 0 && e.method !== 8) {
    fail(ERROR_CODES.INPUT_UNSUPPORTED, `the ${what} uses compression method ${e.method} for ${name}, which is not supported`, file);
  }
  // A stored entry larger than the budget is refused before it is read; so is deflated data longer than any data within
  // the budget deflates to (zlib's bound is n + n/4096 + n/16384 + 13 bytes): read whole, it would fill memory (a
  // 3 GiB entry under a --max-size of 20M) before inflating stopped at the budget.
  if (e.method === 0 && e.compressedSize > budget) tooLarge();
  if (e.method === 8 && e.compressedSize > budget + Math.ceil(budget / 1024) + 1024) tooLarge();
  const data = src.slice(start, e.compressedSize);
  if (e.method === 0) return data;
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, Math.min(budget, MAX_LENGTH)) });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) tooLarge();
    fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: ${name} cannot be decompressed (${(err as Error).message})`, file);
  }
}

/**
 * Open a zip archive without decompressing anything: the central directory is parsed and checked (truncated archives,
 * encrypted entries, declared sizes over `maxUncompressedBytes`); entries are inflated later by {@link ZipArchive.read},
 * with zlib's `maxOutputLength` set to what is left of the budget, so that an archive that lies about its sizes
 * (a zip bomb) stops at the limit instead of filling memory.
 */
export function openZip(bytes: Uint8Array, options: { path?: string; maxUncompressedBytes?: number; what?: string } = {}): ZipArchive {
  const file = options.path;
  const what = options.what ?? 'zip archive';
  const limit = options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES;
  const src: ByteSource = { length: bytes.length, slice: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
  const entries = new Map<string, ZipEntry>();
  for (const e of readDirectory(src, what, file, limit)) entries.set(e.name, e);
  let used = 0;
  return {
    entries,
    has: (name) => entries.has(name),
    read(name, maxBytes) {
      const e = entries.get(name);
      if (!e) fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: it has no entry ${name}`, file);
      const partTooLarge = (): never =>
        fail(
          ERROR_CODES.INPUT_TOO_LARGE,
          `the ${what}'s ${name} is more than ${formatBytes(maxBytes!)} uncompressed (it declares ${formatBytes(e.uncompressedSize)}): a text part that long (some thousands of pages) is not read, since its tree would take gigabytes of memory; split the document`,
          file,
        );
      if (maxBytes !== undefined && e.uncompressedSize > maxBytes) partTooLarge();
      const own = maxBytes !== undefined && maxBytes < limit - used;
      const out = readEntry(src, e, what, file, own ? maxBytes : limit - used, () =>
        own ? partTooLarge() : fail(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} decompresses to more than ${formatBytes(limit)} (entry ${name} declared ${formatBytes(e.uncompressedSize)}): refused as a possible zip bomb`, file),
      );
      used += out.length;
      if (used > limit) {
        fail(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} decompresses to more than ${formatBytes(limit)}: refused as a possible zip bomb`, file);
      }
      return out;
    },
  };
}

/**
 * Open an archive on disk for reading: non-blocking (a FIFO named `.zip` would otherwise wait for a writer forever) and
 * only when it is a regular file (`INPUT_NOT_REGULAR` otherwise).
 */
function openArchive(path: string | Uint8Array, display: string | undefined): number {
  const fd = openSync(typeof path === 'string' ? path : Buffer.from(path), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  // BigInt stats, as the batch reads files: a plain stat of a FIFO broke Node's next module resolution (nodejs/node#51142).
  if (!fstatSync(fd, { bigint: true }).isFile()) {
    closeSync(fd);
    fail(ERROR_CODES.INPUT_NOT_REGULAR, 'cannot read input: the archive is not a regular file; only regular files are read', display);
  }
  return fd;
}

/** A source reading a file (a path, or a path as bytes) piece by piece through an open descriptor. */
function fileSource(fd: number): ByteSource {
  const length = Number(fstatSync(fd, { bigint: true }).size);
  return {
    length,
    slice(offset, want) {
      const n = Math.max(0, Math.min(want, length - offset));
      const out = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, out, got, n - got, offset + got);
        if (r === 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    },
  };
}

/**
 * The entries of a zip archive on disk (an archive of reports), listed from its central directory alone: nothing is
 * decompressed and only the directory is read, however large the archive. Encrypted entries are listed (flag bit 0) for
 * the caller to refuse one by one. Throws XunshiError (`INPUT_TRUNCATED`, `INPUT_CORRUPT`, `INPUT_TOO_LARGE` for ZIP64).
 */
export function listZipFile(path: string | Uint8Array, display?: string): ZipEntry[] {
  const fd = openArchive(path, display);
  try {
    const entries = readDirectory(fileSource(fd), 'zip archive', display, undefined, true);
    // Entries whose data overlap (several names for the same compressed data, or one inside another's) are a zip bomb
    // (each entry is read under its own size bound, so a small archive of thousands of names for one bomb decompressed
    // to thousands of times the bound); no archiver writes them.
    const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    for (let i = 1; i < byOffset.length; i++) {
      const [a, b] = [byOffset[i - 1]!, byOffset[i]!];
      if (a.localHeaderOffset + 30 + a.compressedSize > b.localHeaderOffset) {
        fail(ERROR_CODES.INPUT_CORRUPT, `the zip archive is damaged or crafted: the data of its entries ${a.name} and ${b.name} overlap (a zip bomb?)`, display);
      }
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/**
 * One entry of a zip archive on disk (as {@link listZipFile} listed it), at most `maxBytes` once decompressed: more is
 * `INPUT_TOO_LARGE` naming `display`, which is also the file errors name.
 */
export function readZipFileEntry(path: string | Uint8Array, entry: ZipEntry, maxBytes: number, display?: string): Uint8Array {
  if (entry.flags & 1) fail(ERROR_CODES.INPUT_ENCRYPTED, `the archive's entry is encrypted (password-protected); extract it with its password first`, display);
  const fd = openArchive(path, display);
  try {
    return readEntry(fileSource(fd), entry, 'zip archive', display, maxBytes, () =>
      fail(ERROR_CODES.INPUT_TOO_LARGE, `the archive's entry decompresses to more than ${formatBytes(maxBytes)} (the --max-size limit; it declared ${formatBytes(entry.uncompressedSize)})`, display),
    );
  } finally {
    closeSync(fd);
  }
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
const utf8Lenient = new TextDecoder('utf-8');
const gb18030 = new TextDecoder('gb18030');

/**
 * An entry's name as its archiver meant it: UTF-8 when the entry says so (flag bit 11) or carries an Info-ZIP Unicode
 * Path field (0x7075) whose checksum matches the name; otherwise UTF-8 when the bytes are valid UTF-8 and read as
 * Chinese, else GB18030 — the code page of the Chinese Windows that made the archive (Windows' own zip and WinRAR write
 * names in the system code page without the flag, which UTF-8 decoding turned into U+FFFD, and two such names into the
 * same name).
 */
export function decodeZipName(raw: Uint8Array, flags: number, extra: Uint8Array = new Uint8Array()): string {
  if (flags & 0x0800) return utf8Lenient.decode(raw);
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra[i]! | (extra[i + 1]! << 8);
    const size = extra[i + 2]! | (extra[i + 3]! << 8);
    if (id === 0x7075 && size >= 5 && i + 4 + size <= extra.length && extra[i + 4] === 1) {
      const crc = (extra[i + 5]! | (extra[i + 6]! << 8) | (extra[i + 7]! << 16) | (extra[i + 8]! << 24)) >>> 0;
      if (crc === crc32(raw)) {
        try {
          return utf8Fatal.decode(extra.subarray(i + 9, i + 4 + size));
        } catch {
          // not UTF-8 after all: the name itself below
        }
      }
    }
    i += 4 + size;
  }
  if (raw.every((b) => b < 0x80)) return latin1.decode(raw);
  let utf8: string | undefined;
  try {
    utf8 = utf8Fatal.decode(raw);
  } catch {
    // not UTF-8
  }
  // UTF-8 written without the flag (some tools do) reads as Chinese; GBK bytes that happen to be valid UTF-8 (巡 is
  // D1 B2, Ѳ in UTF-8) do not.
  // UTF-8 with other characters beside Chinese (macOS's Archive Utility writes UTF-8 without the flag: a name with ①,
  // Ⅱ, ×, ℃ or é) is UTF-8 too: GBK bytes that are valid UTF-8 (1% of short GBK names) read as Latin, Cyrillic or
  // Greek letters, never as a CJK ideograph (none in 200,000 random names of the sample reports' characters). Without
  // one, read as GB18030 its bytes pair up into characters outside GB2312 (a UTF-8 continuation byte 80–A0 is no GB2312
  // byte), where a Chinese Windows name's characters are GB2312's but for a rare one.
  if (utf8 !== undefined && (CHINESE_NAME.test(utf8) || /[\u3400-\u4dbf\u4e00-\u9fff]/.test(utf8))) return utf8;
  const gb = gb18030.decode(raw);
  return utf8 !== undefined && (gb.includes('\uFFFD') || !isGb2312(raw)) ? utf8 : gb;
}

/** True when every byte beyond ASCII is part of a two-byte GB2312 character (both bytes A1–FE, the first at most F7). */
function isGb2312(raw: Uint8Array): boolean {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]! < 0x80) continue;
    if (raw[i]! < 0xa1 || raw[i]! > 0xf7 || i + 1 >= raw.length || raw[i + 1]! < 0xa1 || raw[i + 1]! > 0xfe) return false;
    i++;
  }
  return true;
}

/** A name whose characters beyond ASCII are all Chinese: ideographs, CJK and full-width punctuation, dashes and quotes. */
const CHINESE_NAME = /^[\x00-\x7f\u00b7\u2010-\u2027\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]*$/;
const latin1 = new TextDecoder('latin1');

let crcTable: Uint32Array | undefined;
/** CRC-32 (IEEE), as zip checksums names (zlib's crc32 is Node 20.15+; the engines allow 20.11). */
function crc32(bytes: Uint8Array): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = crcTable[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
