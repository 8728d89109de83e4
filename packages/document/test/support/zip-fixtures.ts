/**
 * Zip archives written byte by byte for tests, as archivers write them: names as given bytes (UTF-8 with flag bit 11,
 * as 7-Zip and macOS write them, or GBK without the flag, as Windows' own "send to compressed folder" and WinRAR do on
 * a Chinese system), optionally an Info-ZIP Unicode Path field, stored or deflated, encrypted flag.
 */
// zlib's crc32 (Node 20.15+): the reader's own CRC is checked against it.
import { crc32, deflateRawSync } from 'node:zlib';
import { encodeGb18030 } from './fixtures.js';

export interface ZipFixtureEntry {
  /** The name: a string (written as UTF-8 with flag bit 11, or as GBK without it with `gbk`), or raw bytes. */
  name: string | Uint8Array;
  data: string | Uint8Array;
  gbk?: boolean;
  /** An Info-ZIP Unicode Path extra field (0x7075) holding this name in UTF-8 (a name in another code page beside it). */
  unicodePath?: string;
  deflate?: boolean;
  encrypted?: boolean;
  /** Declare this uncompressed size in the directory instead of the true one (an archive that lies: a bomb). */
  declaredSize?: number;
}

export interface ZipFixtureOptions {
  /** The archive's comment (after the end-of-central-directory record). */
  comment?: string | Uint8Array;
  /** Bytes before the archive whose offsets are not adjusted for them (a stub put in front of an archive, `cat stub a.zip`). */
  before?: Uint8Array;
}

/** Write a zip archive of `entries`. */
export function makeZipArchive(entries: readonly ZipFixtureEntry[], options: ZipFixtureOptions = {}): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name !== 'string' ? Buffer.from(e.name) : e.gbk ? Buffer.from(encodeGb18030(e.name)) : Buffer.from(e.name, 'utf8');
    const utf8Flag = typeof e.name === 'string' && !e.gbk && /[^\x00-\x7f]/.test(e.name) ? 0x0800 : 0;
    const flags = utf8Flag | (e.encrypted ? 1 : 0);
    const raw = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : Buffer.from(e.data);
    const body = e.deflate ? deflateRawSync(raw) : raw;
    let extra = Buffer.alloc(0);
    if (e.unicodePath !== undefined) {
      const u = Buffer.from(e.unicodePath, 'utf8');
      extra = Buffer.alloc(9 + u.length);
      extra.writeUInt16LE(0x7075, 0);
      extra.writeUInt16LE(5 + u.length, 2);
      extra[4] = 1;
      extra.writeUInt32LE(crc32(name), 5);
      u.copy(extra, 9);
    }
    const crc = crc32(raw);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.declaredSize ?? raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.declaredSize ?? raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, extra, body);
    centrals.push(central, name, extra);
    offset += local.length + name.length + extra.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  const comment = typeof options.comment === 'string' ? Buffer.from(options.comment, 'utf8') : Buffer.from(options.comment ?? []);
  end.writeUInt16LE(comment.length, 20);
  return new Uint8Array(Buffer.concat([Buffer.from(options.before ?? []), ...locals, cd, end, comment]));
}
