/**
 * Excel 97–2003 workbooks written for tests: BIFF8 records ([MS-XLS]) in a `Workbook` stream (or Excel 95's BIFF5
 * in a `Book` stream) of a compound file written by SheetJS's cfb. Records longer than `maxRecord` go on in CONTINUE
 * records as Excel writes them: a shared string's characters that run on start the CONTINUE with a byte of flags (the
 * rest may switch between one and two bytes a character), its header never split.
 */
import { createHash } from 'node:crypto';
import CFB from 'cfb';
import { encodeGb18030 } from './fixtures.js';

/** A cell: a string, a number, a boolean, empty, or a value with a number format, a formula's cached result or an error. */
export type XlsCell =
  | string
  | number
  | boolean
  | null
  | { format: 'date' | 'custom-date' | 'percent' | 'time' | 'elapsed'; value: number }
  | { formula: string | number | boolean | null }
  | { error: number }
  | { float: number };

export interface XlsSheet {
  name: string;
  rows: readonly (readonly XlsCell[])[];
  hidden?: boolean;
  /** A chart sheet (no cells). */
  chart?: boolean;
  /** Merged ranges, each [first row, last row, first column, last column] (0-based), in a MERGEDCELLS record after the cells. */
  merges?: readonly (readonly [number, number, number, number])[];
}

export interface XlsFixtureOptions {
  /** Excel 95 (BIFF5): byte strings in the code page, no shared strings, a `Book` stream. */
  biff5?: boolean;
  /** BIFF5's code page (default 936; strings in GB18030 for 936, 10008, 20936 and 54936, else Latin-1). */
  codePage?: number;
  date1904?: boolean;
  /** A FILEPASS record: the workbook is encrypted (with no key that opens it). */
  encrypted?: boolean;
  /**
   * Encrypt the workbook stream with RC4 under this password as Excel does ([MS-XLS] 2.2.10): `rc4` the Office 97/2000
   * header (MD5), `cryptoapi` the CryptoAPI one (SHA-1, `keyBits` 40 or 128). Excel's own password for a workbook whose
   * structure is protected is `VelvetSweatshop`.
   */
  encryptWith?: { password: string; method: 'rc4' | 'cryptoapi'; keyBits?: number };
  /** Longest record data before a CONTINUE (Excel: 8224). */
  maxRecord?: number;
  /** Strings as LABEL records in the cells instead of the shared string table. */
  labels?: boolean;
  /** Runs of whole numbers in a row as one MULRK record. */
  mulrk?: boolean;
  /** Shared strings with rich-text runs and phonetic (ExtRst) data after their characters. */
  rich?: boolean;
  /** A chart substream (BOF … EOF) inside each worksheet, before its cells. */
  embeddedChart?: boolean;
  /** Other streams beside the workbook (or, with `noWorkbook`, instead of it). */
  streams?: Record<string, Uint8Array>;
  noWorkbook?: boolean;
  /** Replace the bytes of the workbook stream before it is stored (to damage it). */
  mangle?: (stream: Buffer) => Buffer;
}

// Number formats: built-in 14 (m/d/yyyy), 10 (0.00%), 20 (h:mm), 46 ([h]:mm:ss), and custom 164.
const XF_FORMATS = [0, 14, 164, 10, 20, 46];
const XF_OF: Record<string, number> = { date: 1, 'custom-date': 2, percent: 3, time: 4, elapsed: 5 };

function record(type: number, data: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(data.length, 2);
  return Buffer.concat([head, data]);
}

function u16(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 2);
  values.forEach((v, i) => b.writeUInt16LE(v, i * 2));
  return b;
}

/** A record with CONTINUE records where its data passes `max` bytes (no flag bytes: for data that is not split inside characters). */
function continued(type: number, data: Buffer, max: number): Buffer {
  const parts: Buffer[] = [record(type, data.subarray(0, max))];
  for (let at = max; at < data.length; at += max) parts.push(record(0x003c, data.subarray(at, at + max)));
  return Buffer.concat(parts);
}

const isWide = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) > 0xff);
const charBytes = (s: string, wide: boolean): Buffer => (wide ? Buffer.from(s, 'utf16le') : Buffer.from(s, 'latin1'));

/** A BIFF8 XLUnicodeString (16-bit count) or ShortXLUnicodeString (8-bit). */
function unicodeString(s: string, countBytes: 1 | 2): Buffer {
  const wide = isWide(s);
  const head = Buffer.alloc(countBytes + 1);
  if (countBytes === 1) head[0] = s.length;
  else head.writeUInt16LE(s.length, 0);
  head[countBytes] = wide ? 1 : 0;
  return Buffer.concat([head, charBytes(s, wide)]);
}

/** The shared string table, split into SST + CONTINUE records as Excel splits it. */
function sstRecords(strings: readonly string[], max: number, rich: boolean): Buffer {
  const records: Buffer[][] = [[]];
  let used = 0;
  const head = Buffer.alloc(8);
  head.writeUInt32LE(strings.length, 0);
  head.writeUInt32LE(strings.length, 4);
  const push = (b: Buffer): void => {
    records[records.length - 1]!.push(b);
    used += b.length;
  };
  const next = (): void => {
    records.push([]);
    used = 0;
  };
  push(head);
  for (const s of strings) {
    const wide = isWide(s);
    const runs = rich ? 2 : 0;
    const ext = rich ? Buffer.from([0x01, 0x00, 0x08, 0x00, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48]) : Buffer.alloc(0);
    const header = Buffer.alloc(3 + (rich ? 6 : 0));
    header.writeUInt16LE(s.length, 0);
    header[2] = (wide ? 0x01 : 0) | (rich ? 0x0c : 0);
    if (rich) {
      header.writeUInt16LE(runs, 3);
      header.writeUInt32LE(ext.length, 5);
    }
    if (used + header.length > max) next();
    push(header);
    // Characters: as many as fit; the rest in the next CONTINUE after a flag byte, each part one or two bytes a character as it needs.
    let rest = s;
    let first = true;
    while (rest.length > 0 || first) {
      const partWide = first ? wide : isWide(rest);
      if (!first) {
        next();
        push(Buffer.from([partWide ? 1 : 0]));
      }
      const per = partWide ? 2 : 1;
      const fit = Math.max(0, Math.floor((max - used) / per));
      const take = Math.min(rest.length, fit);
      if (take > 0) push(charBytes(rest.slice(0, take), partWide));
      rest = rest.slice(take);
      first = false;
      if (rest.length === 0) break;
    }
    if (rich) {
      // Formatting runs and the phonetic block: split across records without flag bytes.
      const trail = Buffer.concat([Buffer.from([0, 0, 1, 0, 2, 0, 2, 0]), ext]);
      for (let at = 0; at < trail.length; ) {
        if (used >= max) next();
        const take = Math.min(trail.length - at, max - used);
        push(trail.subarray(at, at + take));
        at += take;
      }
    }
  }
  return Buffer.concat(records.map((parts, i) => record(i === 0 ? 0x00fc : 0x003c, Buffer.concat(parts))));
}

/** A 30-bit RK integer when `n` is one, else undefined. */
function rkInt(n: number): number | undefined {
  return Number.isInteger(n) && n >= -(2 ** 29) && n < 2 ** 29 ? ((n << 2) | 0x02) >>> 0 : undefined;
}

function doubleBytes(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(n, 0);
  return b;
}

/** Write a workbook. */
export function makeXls(sheets: readonly XlsSheet[], options: XlsFixtureOptions = {}): Uint8Array {
  const biff5 = options.biff5 === true;
  const max = options.maxRecord ?? 8224;
  const codePage = options.codePage ?? 936;
  // GB2312 is GB18030's subset: Windows' 936, the Mac's 10008, 20936 and 54936 alike.
  const bytesOf = (s: string): Buffer => ([936, 10008, 20936, 54936].includes(codePage) ? Buffer.from(encodeGb18030(s)) : Buffer.from(s, 'latin1'));
  const byteString = (s: string, countBytes: 1 | 2): Buffer => {
    const b = bytesOf(s);
    const head = Buffer.alloc(countBytes);
    if (countBytes === 1) head[0] = b.length;
    else head.writeUInt16LE(b.length, 0);
    return Buffer.concat([head, b]);
  };
  const str = (s: string, countBytes: 1 | 2): Buffer => (biff5 ? byteString(s, countBytes) : unicodeString(s, countBytes));
  const bof = (type: number): Buffer => record(0x0809, Buffer.concat([u16(biff5 ? 0x0500 : 0x0600, type), Buffer.alloc(biff5 ? 4 : 12)]));
  const eof = record(0x000a, Buffer.alloc(0));

  // Shared strings, in order of first use.
  const shared: string[] = [];
  const sstIndex = new Map<string, number>();
  const useSst = !biff5 && !options.labels;
  if (useSst) {
    for (const sheet of sheets) {
      for (const row of sheet.rows) {
        for (const c of row) {
          if (typeof c === 'string' && !sstIndex.has(c)) {
            sstIndex.set(c, shared.length);
            shared.push(c);
          }
        }
      }
    }
  }

  const cellRecords = (row: number, cells: readonly XlsCell[]): Buffer[] => {
    const out: Buffer[] = [];
    for (let col = 0; col < cells.length; col++) {
      const c = cells[col]!;
      if (c === null) continue;
      if (typeof c === 'string') {
        if (useSst) out.push(record(0x00fd, Buffer.concat([u16(row, col, 0), Buffer.from(new Uint32Array([sstIndex.get(c)!]).buffer)])));
        else out.push(continued(0x0204, Buffer.concat([u16(row, col, 0), str(c, 2)]), max));
      } else if (typeof c === 'number') {
        const rk = rkInt(c);
        if (options.mulrk && rk !== undefined) {
          // A run of whole numbers from here.
          const run: number[] = [];
          while (col + run.length < cells.length && typeof cells[col + run.length] === 'number' && rkInt(cells[col + run.length] as number) !== undefined) run.push(cells[col + run.length] as number);
          if (run.length > 1) {
            const body = Buffer.concat([u16(row, col), ...run.map((n) => Buffer.concat([u16(0), Buffer.from(new Uint32Array([rkInt(n)!]).buffer)])), u16(col + run.length - 1)]);
            out.push(record(0x00bd, body));
            col += run.length - 1;
            continue;
          }
        }
        if (rk !== undefined) out.push(record(0x027e, Buffer.concat([u16(row, col, 0), Buffer.from(new Uint32Array([rk]).buffer)])));
        else out.push(record(0x0203, Buffer.concat([u16(row, col, 0), doubleBytes(c)])));
      } else if (typeof c === 'boolean') out.push(record(0x0205, Buffer.concat([u16(row, col, 0), Buffer.from([c ? 1 : 0, 0])])));
      else if ('error' in c) out.push(record(0x0205, Buffer.concat([u16(row, col, 0), Buffer.from([c.error, 1])])));
      else if ('float' in c) out.push(record(0x0203, Buffer.concat([u16(row, col, 0), doubleBytes(c.float)])));
      else if ('format' in c) out.push(record(0x0203, Buffer.concat([u16(row, col, XF_OF[c.format]!), doubleBytes(c.value)])));
      else {
        const v = c.formula;
        const result = Buffer.alloc(8);
        if (typeof v === 'number') result.writeDoubleLE(v, 0);
        else {
          result.writeUInt16LE(0xffff, 6);
          result[0] = typeof v === 'string' ? 0 : typeof v === 'boolean' ? 1 : 3;
          if (typeof v === 'boolean') result[2] = v ? 1 : 0;
        }
        // rw, col, ixfe, result, grbit, chn, then a formula of one token (ptgInt 1).
        out.push(record(0x0006, Buffer.concat([u16(row, col, 0), result, u16(0), Buffer.alloc(4), u16(3), Buffer.from([0x1e, 1, 0])])));
        if (typeof v === 'string') out.push(continued(0x0207, str(v, 2), max));
      }
    }
    return out;
  };

  const crypt = options.encryptWith ? rc4Encryption(options.encryptWith) : undefined;

  // Sheet substreams.
  const subs = sheets.map((sheet) => {
    if (sheet.chart) return Buffer.concat([bof(0x0020), eof]);
    const chart = options.embeddedChart ? [bof(0x0020), record(0x0203, Buffer.concat([u16(0, 0, 0), doubleBytes(99)])), eof] : [];
    const merges = sheet.merges?.length ? [record(0x00e5, Buffer.concat([u16(sheet.merges.length), ...sheet.merges.map((m) => u16(...m))]))] : [];
    return Buffer.concat([bof(0x0010), ...chart, ...sheet.rows.flatMap((cells, r) => cellRecords(r, cells)), ...merges, eof]);
  });

  // Globals, with the sheets' offsets patched in once the globals' length is known.
  const formats = biff5
    ? [record(0x041e, Buffer.concat([u16(164), byteString('yyyy"年"m"月"d"日"', 1)]))]
    : [record(0x041e, Buffer.concat([u16(164), unicodeString('yyyy"年"m"月"d"日"', 2)]))];
  const xfs = XF_FORMATS.map((f) => record(0x00e0, Buffer.concat([u16(0, f), Buffer.alloc(biff5 ? 12 : 16)])));
  const boundsheet = (offset: number, sheet: XlsSheet): Buffer => {
    const head = Buffer.alloc(6);
    head.writeUInt32LE(offset, 0);
    head[4] = sheet.hidden ? 1 : 0;
    head[5] = sheet.chart ? 2 : 0;
    return record(0x0085, Buffer.concat([head, str(sheet.name, 1)]));
  };
  const globalsWith = (offsets: readonly number[]): Buffer =>
    Buffer.concat([
      bof(0x0005),
      ...(options.encrypted ? [record(0x002f, Buffer.concat([u16(1, 1, 1), Buffer.alloc(48)]))] : []),
      ...(crypt ? [record(0x002f, crypt.filePass)] : []),
      record(0x0042, u16(biff5 ? codePage : 1200)),
      record(0x0022, u16(options.date1904 ? 1 : 0)),
      ...formats,
      ...xfs,
      ...sheets.map((s, i) => boundsheet(offsets[i] ?? 0, s)),
      ...(useSst ? [sstRecords(shared, max, options.rich === true)] : []),
      eof,
    ]);
  const globalsLength = globalsWith(sheets.map(() => 0)).length;
  const offsets: number[] = [];
  let at = globalsLength;
  for (const s of subs) {
    offsets.push(at);
    at += s.length;
  }
  let stream = Buffer.concat([globalsWith(offsets), ...subs]);
  if (crypt) stream = crypt.encrypt(stream);
  if (options.mangle) stream = options.mangle(stream);

  const cfb = CFB.utils.cfb_new();
  if (!options.noWorkbook) CFB.utils.cfb_add(cfb, biff5 ? '/Book' : '/Workbook', stream);
  for (const [name, bytes] of Object.entries(options.streams ?? {})) CFB.utils.cfb_add(cfb, `/${name}`, Buffer.from(bytes));
  return new Uint8Array(CFB.write(cfb, { type: 'buffer' }) as Buffer);
}

/** RC4 ([SCHNEIER] 17.1): the cipher XORs data with this keystream. */
function arc4(key: Buffer, length: number): Buffer {
  const state = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + state[i]! + key[i % key.length]!) % 256;
    const t = state[i]!;
    state[i] = state[j]!;
    state[j] = t;
  }
  const out = Buffer.alloc(length);
  let a = 0;
  let b = 0;
  for (let k = 0; k < length; k++) {
    a = (a + 1) % 256;
    b = (b + state[a]!) % 256;
    const t = state[a]!;
    state[a] = state[b]!;
    state[b] = t;
    out[k] = state[(state[a]! + state[b]!) % 256]!;
  }
  return out;
}

/** The FILEPASS record's data for an RC4 encryption and the function that encrypts a workbook stream with it. */
function rc4Encryption(spec: { password: string; method: 'rc4' | 'cryptoapi'; keyBits?: number }): { filePass: Buffer; encrypt: (stream: Buffer) => Buffer } {
  const digest = (algorithm: string, ...parts: Buffer[]): Buffer => createHash(algorithm).update(Buffer.concat(parts)).digest();
  const le32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n, 0);
    return b;
  };
  const password = Buffer.from(spec.password, 'utf16le');
  const salt = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
  const verifier = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  let keyOf: (block: number) => Buffer;
  let filePass: Buffer;
  if (spec.method === 'rc4') {
    const truncated = digest('md5', password).subarray(0, 5);
    const base = digest('md5', ...Array.from({ length: 16 }, () => [truncated, salt]).flat()).subarray(0, 5);
    keyOf = (block) => digest('md5', base, le32(block));
    const sealed = xor(Buffer.concat([verifier, digest('md5', verifier)]), arc4(keyOf(0), 32));
    filePass = Buffer.concat([u16(1, 1, 1), salt, sealed]);
  } else {
    const bits = spec.keyBits ?? 128;
    const h0 = digest('sha1', salt, password);
    keyOf = (block) => {
      const h = digest('sha1', h0, le32(block));
      return bits === 40 ? Buffer.concat([h.subarray(0, 5), Buffer.alloc(11)]) : h.subarray(0, bits / 8);
    };
    const csp = Buffer.from('Microsoft Enhanced Cryptographic Provider v1.0\0', 'utf16le');
    // EncryptionHeader: flags (fCryptoAPI), size extra, RC4, SHA-1, key size, provider type, reserved ×2, CSP name.
    const header = Buffer.concat([le32(0x04), le32(0), le32(0x6801), le32(0x8004), le32(bits === 40 ? 0 : bits), le32(1), le32(0), le32(0), csp]);
    const sealed = xor(Buffer.concat([verifier, digest('sha1', verifier)]), arc4(keyOf(0), 36));
    filePass = Buffer.concat([u16(1, 4, 2), le32(0x04), le32(header.length), header, le32(16), salt, sealed.subarray(0, 16), le32(20), sealed.subarray(16)]);
  }
  const encrypt = (stream: Buffer): Buffer => {
    const out = Buffer.from(stream);
    const keystream = new Map<number, Buffer>();
    const at = (p: number): number => {
      const block = Math.floor(p / 1024);
      if (!keystream.has(block)) keystream.set(block, arc4(keyOf(block), 1024));
      return keystream.get(block)![p % 1024]!;
    };
    // Every record's data but the headers, those of BOF, FILEPASS, UsrExcl, FileLock, InterfaceHdr, RRDInfo and RRDHead,
    // and a BOUNDSHEET's first four bytes (the sheet's offset).
    for (let pos = 0; pos < stream.length; ) {
      const type = stream.readUInt16LE(pos);
      const length = stream.readUInt16LE(pos + 2);
      const plain = [0x0809, 0x002f, 0x0194, 0x0195, 0x00e1, 0x0196, 0x0138].includes(type) ? length : type === 0x0085 ? 4 : 0;
      for (let p = pos + 4 + plain; p < pos + 4 + length; p++) out[p] = stream[p]! ^ at(p);
      pos += 4 + length;
    }
    return out;
  };
  return { filePass, encrypt };
}

function xor(a: Buffer, b: Buffer): Buffer {
  return Buffer.from(a.map((x, i) => x ^ b[i]!));
}
