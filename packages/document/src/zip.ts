import { inflateRawSync } from 'node:zlib';
import { ERROR_CODES, XunshiError } from '@xunshi/types';

/** Default bound on the bytes a zip container may decompress to (all entries read together): 256 MiB. */
export const DEFAULT_MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024;

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
  /** The entry's bytes; throws `INPUT_TOO_LARGE` when the archive's budget would be passed, `INPUT_CORRUPT` on bad data. */
  read(name: string): Uint8Array;
}

const EOCD_SIG = 0x06054b50;
const CEN_SIG = 0x02014b50;
const LOC_SIG = 0x04034b50;

function fail(code: (typeof ERROR_CODES)[keyof typeof ERROR_CODES], message: string, file: string | undefined): never {
  throw new XunshiError(code, message, file === undefined ? {} : { file });
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
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 + 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    fail(ERROR_CODES.INPUT_TRUNCATED, `the ${what} is truncated or damaged: its end-of-central-directory record is missing (${bytes.length} bytes; was the download or copy cut off?)`, file);
  }
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    fail(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} uses ZIP64 (more than 65,535 entries or 4 GiB), far larger than any report`, file);
  }
  if (cdOffset + cdSize > eocd) {
    fail(ERROR_CODES.INPUT_TRUNCATED, `the ${what} is truncated or damaged: its central directory (offset ${cdOffset}, ${cdSize} bytes) lies outside the file`, file);
  }
  const entries = new Map<string, ZipEntry>();
  let declared = 0;
  let p = cdOffset;
  const decoder = new TextDecoder('utf-8');
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CEN_SIG) {
      fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: central directory entry ${n + 1} of ${count} is unreadable`, file);
    }
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressedSize = view.getUint32(p + 20, true);
    const uncompressedSize = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const localHeaderOffset = view.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) {
      fail(ERROR_CODES.INPUT_ENCRYPTED, `the ${what} is encrypted (entry ${name} is password-protected); save an unprotected copy first`, file);
    }
    declared += uncompressedSize;
    if (declared > limit) {
      fail(
        ERROR_CODES.INPUT_TOO_LARGE,
        `the ${what} would decompress to more than ${formatBytes(limit)} (declared ${formatBytes(declared)} so far, from ${formatBytes(bytes.length)}): refused as a possible zip bomb`,
        file,
      );
    }
    entries.set(name, { name, method, flags, compressedSize, uncompressedSize, localHeaderOffset });
  }
  let used = 0;
  return {
    entries,
    has: (name) => entries.has(name),
    read(name) {
      const e = entries.get(name);
      if (!e) fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: it has no entry ${name}`, file);
      const at = e.localHeaderOffset;
      if (at + 30 > bytes.length || view.getUint32(at, true) !== LOC_SIG) {
        fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: the local header of ${name} is missing`, file);
      }
      const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
      const end = start + e.compressedSize;
      if (end > bytes.length) fail(ERROR_CODES.INPUT_TRUNCATED, `the ${what} is truncated: the data of ${name} runs past the end of the file`, file);
      const data = bytes.subarray(start, end);
      let out: Uint8Array;
      if (e.method === 0) {
        out = data;
      } else if (e.method === 8) {
        const budget = limit - used;
        try {
          out = inflateRawSync(data, { maxOutputLength: Math.max(1, budget) });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
            fail(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} decompresses to more than ${formatBytes(limit)} (entry ${name} declared ${formatBytes(e.uncompressedSize)}): refused as a possible zip bomb`, file);
          }
          fail(ERROR_CODES.INPUT_CORRUPT, `the ${what} is damaged: ${name} cannot be decompressed (${(err as Error).message})`, file);
        }
      } else {
        fail(ERROR_CODES.INPUT_UNSUPPORTED, `the ${what} uses compression method ${e.method} for ${name}, which is not supported`, file);
      }
      used += out.length;
      if (used > limit) {
        fail(ERROR_CODES.INPUT_TOO_LARGE, `the ${what} decompresses to more than ${formatBytes(limit)}: refused as a possible zip bomb`, file);
      }
      return out;
    },
  };
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
