import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { readCompoundFile } from './cfb-read.js';
import { codePageDecoder } from './code-pages.js';
import { decryptWorkbookStream } from './xls-decrypt.js';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { numberStyle, SheetLines, showNumber, type NumberStyle } from './sheet-cells.js';

/**
 * Excel 97–2003 workbooks (`.xls`, and WPS's binary `.et`): the BIFF8 records ([MS-XLS]) of the compound file's
 * `Workbook` stream, or the BIFF5/7 records of Excel 95's `Book` stream. Many rectification ledgers (整改台账) are still
 * exported in this format by office systems. Read as the `.xlsx` reader reads a workbook (`sheet-cells.ts`): every
 * visible worksheet in order, rows top to bottom, a row of two or more cells a table row, a row of one cell body
 * lines; strings from the shared string table (rich-text runs and phonetic guides left out) or the cell, numbers as
 * their cell format shows them (General, percent, dates in either date system, times, elapsed times), formulas by their
 * cached result, booleans as TRUE/FALSE, error values as nothing. Hidden sheets are left out with a diagnostic; chart,
 * macro and module sheets have no cells to read.
 *
 * Linear in the stream: every record is visited once from its sheet's start, a record never reads past its own data
 * (and its CONTINUE records), and a count read from the file bounds nothing but what the data can hold.
 */
export interface XlsOptions {
  path?: string;
}

// Record types ([MS-XLS] 2.3).
/** The beginning of a substream, in BIFF5, 7 and 8 alike. */
const BOF = 0x0809;
const EOF = 0x000a;
const CONTINUE = 0x003c;
const BOUNDSHEET = 0x0085;
const SST = 0x00fc;
const FORMAT = 0x041e;
const XF = 0x00e0;
const DATEMODE = 0x0022;
const CODEPAGE = 0x0042;
const FILEPASS = 0x002f;
const LABELSST = 0x00fd;
const LABEL = 0x0204;
const RSTRING = 0x00d6;
const NUMBER = 0x0203;
const RK = 0x027e;
const MULRK = 0x00bd;
const BOOLERR = 0x0205;
const FORMULA = 0x0006;
const STRING = 0x0207;
const MERGEDCELLS = 0x00e5;

/** A record's data with its CONTINUE records' data, read across them as one sequence of bytes. */
class Segments {
  private i = 0;
  private p = 0;
  constructor(private readonly segs: readonly Uint8Array[]) {}

  get done(): boolean {
    while (this.i < this.segs.length && this.p >= this.segs[this.i]!.length) {
      this.i++;
      this.p = 0;
    }
    return this.i >= this.segs.length;
  }

  u8(): number {
    if (this.done) throw new RangeError('record data ends');
    return this.segs[this.i]![this.p++]!;
  }

  u16(): number {
    return this.u8() | (this.u8() << 8);
  }

  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0;
  }

  /** The next `n` bytes (a double, a formula's result), read across CONTINUE records like any field. */
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let k = 0; k < n; k++) b[k] = this.u8();
    return b;
  }

  skip(n: number): void {
    let left = n;
    while (left > 0) {
      if (this.done) throw new RangeError('record data ends');
      const take = Math.min(left, this.segs[this.i]!.length - this.p);
      this.p += take;
      left -= take;
    }
  }

  /**
   * `count` characters of a BIFF8 string, one byte each (the low bytes of UTF-16: Latin-1) or two (UTF-16LE) as `high`
   * says. Where the characters run on into a CONTINUE record, it starts with a byte of flags that says again whether
   * the rest are one byte or two ([MS-XLS] 2.5.293, 2.5.296).
   */
  chars(count: number, high: boolean): string {
    let out = '';
    let left = count;
    let wide = high;
    while (left > 0) {
      const seg = this.segs[this.i];
      if (seg === undefined) throw new RangeError('record data ends');
      if (this.p >= seg.length) {
        this.i++;
        this.p = 0;
        if (this.i >= this.segs.length) throw new RangeError('record data ends');
        wide = (this.u8() & 0x01) === 1;
        continue;
      }
      const avail = wide ? (seg.length - this.p) >> 1 : seg.length - this.p;
      if (avail === 0) throw new RangeError('a two-byte character split across records');
      const take = Math.min(left, avail);
      const bytes = Buffer.from(seg.buffer, seg.byteOffset + this.p, wide ? take * 2 : take);
      out += bytes.toString(wide ? 'utf16le' : 'latin1');
      this.p += wide ? take * 2 : take;
      left -= take;
    }
    return out;
  }
}

interface SheetInfo {
  name: string;
  offset: number;
  hidden: boolean;
  /** 0 worksheet (or dialog), 1 macro sheet, 2 chart, 6 VBA module. */
  type: number;
}

/** An RK number ([MS-XLS] 2.5.217): a 30-bit integer or the high 30 bits of a double, either possibly × 100. */
export function rkNumber(rk: number): number {
  let n: number;
  if (rk & 0x02) n = rk >> 2;
  else {
    const b = Buffer.alloc(8);
    b.writeUInt32LE((rk & 0xfffffffc) >>> 0, 4);
    n = b.readDoubleLE(0);
  }
  return rk & 0x01 ? n / 100 : n;
}

/** Read an Excel 97–2003 (or 95) workbook into an {@link ExtractedDocument}. */
export function extractXls(bytes: Uint8Array, options: XlsOptions = {}): ExtractedDocument {
  const file = options.path;
  const loc = file === undefined ? {} : { file };
  const corrupt = (message: string): XunshiError => new XunshiError(ERROR_CODES.INPUT_CORRUPT, message, loc);
  let cfb;
  try {
    cfb = readCompoundFile(bytes);
  } catch (e) {
    throw corrupt(`the Excel workbook's container is damaged: ${(e as Error).message}`);
  }
  const streamName = cfb.names.find((n) => n.toLowerCase() === 'workbook') ?? cfb.names.find((n) => n.toLowerCase() === 'book');
  let stream;
  try {
    stream = streamName === undefined ? undefined : cfb.stream(streamName);
  } catch (e) {
    // The stream's sectors past the file's end, or a chain that loops: the container is damaged (was XUNSHI_INTERNAL).
    throw corrupt(`the Excel workbook's container is damaged: ${(e as Error).message}`);
  }
  if (stream === undefined) {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, 'the file is a legacy binary Office file but not an Excel workbook: it has no Workbook stream', loc);
  }
  let data = Buffer.from(stream.buffer, stream.byteOffset, stream.byteLength);
  let decrypted = false;

  /** The record at `pos`: its type, its data and the data of the CONTINUE records after it, and where the next one starts. */
  const recordAt = (pos: number): { type: number; segs: Buffer[]; next: number } | undefined => {
    if (pos + 4 > data.length) return undefined;
    const type = data.readUInt16LE(pos);
    const len = data.readUInt16LE(pos + 2);
    if (pos + 4 + len > data.length) throw corrupt(`the workbook is cut short: a record at byte ${pos} of its Workbook stream runs past the stream's end`);
    const segs = [data.subarray(pos + 4, pos + 4 + len)];
    let next = pos + 4 + len;
    while (next + 4 <= data.length && data.readUInt16LE(next) === CONTINUE) {
      const clen = data.readUInt16LE(next + 2);
      if (next + 4 + clen > data.length) throw corrupt(`the workbook is cut short: a record at byte ${next} of its Workbook stream runs past the stream's end`);
      segs.push(data.subarray(next + 4, next + 4 + clen));
      next += 4 + clen;
    }
    return { type, segs, next };
  };

  // The globals: the BOF says BIFF8 (0x0600) or BIFF5/7 (0x0500).
  const first = recordAt(0);
  if (first === undefined || (first.type !== BOF) || first.segs[0]!.length < 4) {
    throw corrupt('the workbook stream does not start with a BIFF beginning-of-file record');
  }
  const version = first.segs[0]!.readUInt16LE(0);
  if (version !== 0x0600 && version !== 0x0500) {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, `the workbook is in an Excel format older than Excel 95 (BIFF version 0x${version.toString(16)}); save it as .xlsx`, loc);
  }
  const biff8 = version === 0x0600;
  let decoder = codePageDecoder(1252);

  /** A BIFF8 XLUnicodeString (16-bit count) or ShortXLUnicodeString (8-bit count); BIFF5's byte strings in the code page. */
  const unicodeString = (s: Segments, countBytes: 1 | 2): string => {
    const count = countBytes === 1 ? s.u8() : s.u16();
    if (!biff8) {
      const raw = new Uint8Array(count);
      for (let k = 0; k < count; k++) raw[k] = s.u8();
      return decoder.decode(raw);
    }
    const flags = s.u8();
    const rich = flags & 0x08 ? s.u16() : 0;
    const ext = flags & 0x04 ? s.u32() : 0;
    const text = s.chars(count, (flags & 0x01) === 1);
    s.skip(rich * 4);
    s.skip(ext);
    return text;
  };

  const sheets: SheetInfo[] = [];
  const shared: string[] = [];
  const formats = new Map<number, string>();
  const xfFormats: number[] = [];
  let date1904 = false;
  for (let pos = first.next; ; ) {
    const r = recordAt(pos);
    if (r === undefined || r.type === EOF) break;
    pos = r.next;
    const s = new Segments(r.segs);
    try {
      switch (r.type) {
        case FILEPASS: {
          // Encrypted with Excel's built-in password (a workbook whose structure is protected): read as Excel opens it,
          // without asking. The records after this one are read decrypted; a second FILEPASS changes nothing.
          if (decrypted) break;
          const plain = biff8 ? decryptWorkbookStream(data, Buffer.concat(r.segs)) : undefined;
          if (plain === undefined) {
            throw new XunshiError(ERROR_CODES.INPUT_ENCRYPTED, 'the workbook is password-protected (encrypted); open it in Excel or WPS, remove the password and save it as .xlsx', loc);
          }
          data = plain;
          decrypted = true;
          break;
        }
        case CODEPAGE:
          decoder = codePageDecoder(s.u16());
          break;
        case DATEMODE:
          date1904 = s.u16() === 1;
          break;
        case BOUNDSHEET: {
          const offset = s.u32();
          const state = s.u8() & 0x03;
          const type = s.u8();
          sheets.push({ offset, hidden: state !== 0, type, name: unicodeString(s, 1) });
          break;
        }
        case FORMAT: {
          const id = s.u16();
          formats.set(id, unicodeString(s, biff8 ? 2 : 1));
          break;
        }
        case XF:
          s.u16();
          xfFormats.push(s.u16());
          break;
        case SST: {
          s.u32();
          const unique = s.u32();
          // As many strings as the data holds, at most as many as the record says.
          for (let k = 0; k < unique && !s.done; k++) shared.push(unicodeString(s, 2));
          break;
        }
      }
    } catch (e) {
      if (e instanceof XunshiError) throw e;
      // A record shorter than its fields: what it held is lost, the rest of the workbook is read.
      if (!(e instanceof RangeError)) throw e;
    }
  }
  const styles: NumberStyle[] = xfFormats.map((id) => numberStyle(id, formats.get(id)));

  const out = new ExtractedTextBuilder(file);
  const worksheets = sheets.filter((s) => s.type === 0);
  const visible = worksheets.filter((s) => !s.hidden);
  const hidden = worksheets.length - visible.length;
  const lines = new SheetLines(out, visible.length, loc);
  // Sheets are read from their own offsets to their end-of-file records; a crafted file whose sheets overlap (or have
  // no end) would read the same bytes once per sheet, so the bytes all sheets may read together are bounded.
  let budget = 2 * data.length + 4096;
  for (const sheet of visible) {
    const bof = recordAt(sheet.offset);
    if (bof === undefined || (bof.type !== BOF)) {
      throw corrupt(`the workbook names the sheet "${sheet.name}" at byte ${sheet.offset} of its Workbook stream, where no sheet begins`);
    }
    lines.sheet(sheet.name);
    const rows = new Map<number, Array<{ col: number; text: string; span?: number }>>();
    // Cells merged across columns: the columns each merge's first cell spans, by `row:col`.
    const merged = new Map<string, number>();
    const put = (row: number, col: number, text: string): void => {
      let cells = rows.get(row);
      if (cells === undefined) rows.set(row, (cells = []));
      cells.push({ col, text });
    };
    const shown = (n: number, xf: number): string => (Number.isFinite(n) ? showNumber(n, styles[xf], date1904) : '');
    // A formula whose result is a string: the STRING record after it holds the text.
    let pendingString: { row: number; col: number } | undefined;
    // Nested substreams (a chart embedded in the sheet) have their own BOF … EOF.
    let depth = 0;
    for (let pos = bof.next; ; ) {
      const r = recordAt(pos);
      if (r === undefined) break;
      budget -= r.next - pos;
      if (budget < 0) throw corrupt('the sheets of the workbook overlap in its Workbook stream');
      pos = r.next;
      if (r.type === BOF) {
        depth++;
        continue;
      }
      if (r.type === EOF) {
        if (depth === 0) break;
        depth--;
        continue;
      }
      if (depth > 0) continue;
      const s = new Segments(r.segs);
      try {
        switch (r.type) {
          case LABELSST: {
            const [row, col] = [s.u16(), s.u16()];
            s.u16();
            put(row, col, shared[s.u32()] ?? '');
            break;
          }
          case LABEL:
          case RSTRING: {
            const [row, col] = [s.u16(), s.u16()];
            s.u16();
            put(row, col, unicodeString(s, 2));
            break;
          }
          case NUMBER: {
            const [row, col, xf] = [s.u16(), s.u16(), s.u16()];
            put(row, col, shown(s.bytes(8).readDoubleLE(0), xf));
            break;
          }
          case RK: {
            const [row, col, xf] = [s.u16(), s.u16(), s.u16()];
            put(row, col, shown(rkNumber(s.u32()), xf));
            break;
          }
          case MULRK: {
            const row = s.u16();
            const firstCol = s.u16();
            // (data length − 6) / 6 cells: ixfe and RK each, then the last column.
            const count = Math.floor((r.segs[0]!.length - 6) / 6);
            for (let k = 0; k < count; k++) {
              const xf = s.u16();
              put(row, firstCol + k, shown(rkNumber(s.u32()), xf));
            }
            break;
          }
          case BOOLERR: {
            const [row, col] = [s.u16(), s.u16()];
            s.u16();
            const value = s.u8();
            const isError = s.u8() === 1;
            if (!isError) put(row, col, value ? 'TRUE' : 'FALSE');
            break;
          }
          case FORMULA: {
            const [row, col, xf] = [s.u16(), s.u16(), s.u16()];
            const result = s.bytes(8);
            pendingString = undefined;
            if (result.readUInt16LE(6) !== 0xffff) put(row, col, shown(result.readDoubleLE(0), xf));
            else if (result[0] === 0) pendingString = { row, col };
            else if (result[0] === 1) put(row, col, result[2] ? 'TRUE' : 'FALSE');
            // 2: an error value, 3: an empty string: no text.
            break;
          }
          case STRING:
            if (pendingString !== undefined) put(pendingString.row, pendingString.col, unicodeString(s, 2));
            pendingString = undefined;
            break;
          case MERGEDCELLS: {
            // cmcs, then each range (Ref8U: first and last row, first and last column); a count past the record's
            // bytes ends at its end (the read throws RangeError).
            const count = s.u16();
            for (let k = 0; k < count; k++) {
              const [r0, , c0, c1] = [s.u16(), s.u16(), s.u16(), s.u16()];
              if (c1 > c0) merged.set(`${r0}:${c0}`, c1 - c0 + 1);
            }
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
      }
    }
    for (const row of [...rows.keys()].sort((a, b) => a - b)) {
      const cells = rows.get(row)!;
      if (merged.size > 0) for (const c of cells) c.span = merged.get(`${row}:${c.col}`) ?? 1;
      lines.row(cells);
    }
  }
  const doc = out.finish();
  if (hidden > 0) doc.diagnostics.push({ code: 'XUNSHI_XLSX_HIDDEN_SHEETS', message: `${hidden} hidden sheet(s) of the workbook were not read` });
  return doc;
}
