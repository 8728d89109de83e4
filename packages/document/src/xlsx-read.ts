import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { folderOf, localName, parseXmlPart, resolvePackagePath, type XmlPartHandlers } from './xml-part.js';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, openZip, type ZipArchive } from './zip.js';

/**
 * Excel workbooks (`.xlsx`, `.xlsm`, and WPS's `.et` when saved in that format): a rectification ledger (整改台账) is
 * often published as one, a row per problem with its measures, owner, deadline and progress. Every visible sheet is read
 * in order, its rows top to bottom: a row of two or more non-empty cells is a table row (cells in column order, a unit
 * never across cells), a row of one cell (a title merged across the sheet, a note) a body line. With several visible
 * sheets, each sheet's name heads its rows. Cell values are shown as Excel shows them where it matters to a reader:
 * shared and inline strings as written (phonetic guides left out), numbers in their shortest exact form (a percent format's as `85%`), dates (a date
 * number format, built in or custom, and the 1904 date system) as `2023年5月31日`, booleans as TRUE/FALSE; error values
 * (`#N/A`) give no text. Hidden sheets are left out (they hold lookup lists), with a diagnostic.
 *
 * The package is read with xunshi's bounded zip reader and each part with saxes, a streaming XML parser (the one
 * jsdom uses), so a sheet of any size is never held as a tree.
 */
export interface XlsxOptions {
  path?: string;
  /** Bound on the bytes the package may decompress to (default 256 MiB). */
  maxUncompressedBytes?: number;
}

interface SheetRef {
  name: string;
  target: string;
  hidden: boolean;
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the zh-CN ones 27–36 and 50–58). */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
/** Built-in formats among those that show a time of day only. */
const TIME_ONLY_IDS = new Set([18, 19, 20, 21, 45, 46, 47]);

/** Parse one part of the workbook; a malformed part is `INPUT_CORRUPT` naming it. */
function parsePart(xml: string, part: string, file: string | undefined, handlers: XmlPartHandlers): void {
  parseXmlPart(xml, handlers, {
    malformed: (message) => new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the workbook's ${part} is not well-formed XML: ${message}`, file === undefined ? {} : { file }),
  });
}

/** True when a custom number format code shows a date or time (y, m, d, h, s or 年月日 outside quotes, escapes and brackets). */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '');
  // A format of several sections: the first (positive numbers) decides.
  const first = bare.split(';')[0] ?? '';
  return /[ymdhs年月日时分秒]/i.test(first) && !/^[#0.,%\s]*$/.test(first) && !/[#0]/.test(first.replace(/\.0+/g, ''));
}

/**
 * A string as Excel writes it in XML (ST_Xstring, ECMA-376 §22.9.2.19): a character XML cannot hold, or a carriage
 * return, is escaped `_xHHHH_` (`_x000D_` in every cell a CRLF was pasted into), and `_x005F_` escapes the `_` of a
 * literal `_xHHHH_`.
 */
export function unescapeXstring(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
}

/**
 * The decimals a percent format shows (`0%` 0, `0.00%` 2: built-in 9 and 10, or a custom code with `%` in its first
 * section, outside quotes and escapes), or undefined when the format is no percent format.
 */
export function percentDecimals(id: number, code: string | undefined): number | undefined {
  if (code === undefined) return id === 9 ? 0 : id === 10 ? 2 : undefined;
  const first = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '').split(';')[0] ?? '';
  if (!first.includes('%')) return undefined;
  return /\.([0#?]+)/.exec(first)?.[1]!.length ?? 0;
}

const DAY_MS = 86_400_000;

/** An Excel serial date as a reader sees it: `2023年5月31日`, with the time when it has one (or the time alone). */
export function formatSerialDate(serial: number, date1904: boolean, timeOnly: boolean): string {
  // Day 60 of the 1900 system is the 29 February 1900 Lotus invented; later days are one too many.
  const days = date1904 ? serial + 1462 : serial > 60 ? serial : serial + 1;
  const ms = Math.round((days - 25569) * DAY_MS / 1000) * 1000;
  const d = new Date(ms);
  if (!Number.isFinite(d.getTime())) return String(serial);
  const time = `${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}${d.getUTCSeconds() ? `:${String(d.getUTCSeconds()).padStart(2, '0')}` : ''}`;
  if (timeOnly) return time;
  const date = `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
  return serial % 1 === 0 ? date : `${date} ${time}`;
}

/**
 * For an elapsed-time format (`[h]:mm`, `[mm]:ss`, built-in 46 `[h]:mm:ss`): whether it shows seconds; undefined for
 * any other format.
 */
export function elapsedFormat(id: number, code: string | undefined): boolean | undefined {
  if (code === undefined) return id === 46 ? true : undefined;
  const unquoted = code.replace(/"[^"]*"/g, '');
  if (!/\[(?:h+|m+|s+)\]/i.test(unquoted)) return undefined;
  return /\[s+\]/i.test(unquoted) || /s/i.test(unquoted.replace(/\[[^\]]*\]/g, ''));
}

/** A duration in days as an elapsed-time format shows it: `[h]:mm` → `36:00`, with `:ss` when the format shows seconds. */
export function formatElapsed(days: number, seconds: boolean): string {
  const sign = days < 0 ? '-' : '';
  const total = Math.round(Math.abs(days) * 86_400);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  return `${sign}${h}:${String(m).padStart(2, '0')}${seconds ? `:${String(sec).padStart(2, '0')}` : ''}`;
}

/** A `t="d"` cell's ISO 8601 value as the date cells read: `2023-05-31T00:00:00` → `2023年5月31日` (with its time if any). */
export function formatIsoDate(value: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value.trim());
  if (!m) return value;
  const date = `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
  const [h, min, sec] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (h === 0 && min === 0 && sec === 0) return date;
  return `${date} ${h}:${String(min).padStart(2, '0')}${sec ? `:${String(sec).padStart(2, '0')}` : ''}`;
}

/** A number as Excel's General format shows it: up to 15 significant digits, no float noise (0.1 + 0.2). */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** Read an Excel workbook (Office Open XML spreadsheet) into an {@link ExtractedDocument}. */
export function extractXlsx(bytes: Uint8Array, options: XlsxOptions = {}): ExtractedDocument {
  const file = options.path;
  const loc = file === undefined ? {} : { file };
  const zip: ZipArchive = openZip(bytes, { ...(file !== undefined ? { path: file } : {}), maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, what: 'workbook' });
  const decoder = new TextDecoder('utf-8');
  const read = (name: string): string | undefined => (zip.has(name) ? decoder.decode(zip.read(name)) : undefined);
  const workbookPath = 'xl/workbook.xml';
  const workbook = read(workbookPath);
  if (workbook === undefined) {
    throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, 'the file is a zip archive but not an Excel workbook: it has no xl/workbook.xml', loc);
  }

  // Sheets in workbook order, their parts through the workbook's relationships.
  const sheets: Array<{ name: string; rid: string; hidden: boolean }> = [];
  let date1904 = false;
  parsePart(workbook, workbookPath, file, {
    open(name, a) {
      if (name === 'sheet') {
        const rid = Object.entries(a).find(([k]) => localName(k) === 'id' && k !== 'sheetId')?.[1] ?? '';
        sheets.push({ name: a.name ?? '', rid, hidden: a.state === 'hidden' || a.state === 'veryHidden' });
      } else if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true';
    },
  });
  const rels = new Map<string, string>();
  const relsXml = read('xl/_rels/workbook.xml.rels');
  if (relsXml !== undefined) {
    parsePart(relsXml, 'xl/_rels/workbook.xml.rels', file, {
      open(name, a) {
        if (name === 'Relationship' && a.Id !== undefined && a.Target !== undefined) rels.set(a.Id, resolvePackagePath(folderOf(workbookPath), a.Target));
      },
    });
  }
  const refs: SheetRef[] = sheets.map((s, i) => ({ name: s.name, hidden: s.hidden, target: rels.get(s.rid) ?? `xl/worksheets/sheet${i + 1}.xml` }));

  // Shared strings: the text of each <si>, phonetic guides (<rPh>) left out.
  const shared: string[] = [];
  const sst = read('xl/sharedStrings.xml');
  if (sst !== undefined) {
    let current: string | undefined;
    let inT = 0;
    let inPhonetic = 0;
    parsePart(sst, 'xl/sharedStrings.xml', file, {
      open(name) {
        if (name === 'si') current = '';
        else if (name === 't') inT++;
        else if (name === 'rPh') inPhonetic++;
      },
      close(name) {
        if (name === 'si') {
          shared.push(unescapeXstring(current ?? ''));
          current = undefined;
        } else if (name === 't') inT--;
        else if (name === 'rPh') inPhonetic--;
      },
      text(t) {
        if (current !== undefined && inT > 0 && inPhonetic === 0) current += t;
      },
    });
  }

  // Number formats of the cell styles: which styles show dates.
  const dateStyle: boolean[] = [];
  const timeOnlyStyle: boolean[] = [];
  const percentStyle: (number | undefined)[] = [];
  // Elapsed-time formats ([h]:mm, [mm]:ss): a duration, whether seconds are shown.
  const elapsedStyle: (boolean | undefined)[] = [];
  const styles = read('xl/styles.xml');
  if (styles !== undefined) {
    const custom = new Map<number, string>();
    let inXfs = false;
    parsePart(styles, 'xl/styles.xml', file, {
      open(name, a) {
        if (name === 'numFmt' && a.numFmtId !== undefined) custom.set(Number(a.numFmtId), a.formatCode ?? '');
        else if (name === 'cellXfs') inXfs = true;
        else if (name === 'xf' && inXfs) {
          const id = Number(a.numFmtId ?? 0);
          const code = custom.get(id);
          dateStyle.push(code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id));
          const bare = code?.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
          timeOnlyStyle.push(bare !== undefined ? !/[yd年月日]/i.test(bare) && /[hs时分秒]/i.test(bare) : TIME_ONLY_IDS.has(id));
          percentStyle.push(percentDecimals(id, code));
          elapsedStyle.push(elapsedFormat(id, code));
        }
      },
      close(name) {
        if (name === 'cellXfs') inXfs = false;
      },
    });
  }

  const out = new ExtractedTextBuilder();
  const visible = refs.filter((s) => !s.hidden);
  const hidden = refs.length - visible.length;
  let block = 0;
  for (const sheet of visible) {
    if (!zip.has(sheet.target)) {
      throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the workbook names the sheet "${sheet.name}" at ${sheet.target}, which the package does not hold`, loc);
    }
    if (visible.length > 1 && out.add(sheet.name, 'heading', block, 1)) block++;
    const xml = read(sheet.target)!;
    let row: Array<{ col: number; text: string }> = [];
    let cell: { col: number; type: string; style: number; value: string; inline: string } | undefined;
    let inV = false;
    let inT = 0;
    let inPhonetic = 0;
    let nextCol = 0;
    const columnOf = (ref: string | undefined): number => {
      const m = ref === undefined ? null : /^([A-Za-z]{1,3})/.exec(ref);
      if (!m) return nextCol;
      let c = 0;
      for (const ch of m[1]!.toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
      return c - 1;
    };
    const shown = (c: NonNullable<typeof cell>): string => {
      switch (c.type) {
        case 's': {
          const i = Number(c.value);
          return Number.isInteger(i) && i >= 0 && i < shared.length ? shared[i]! : '';
        }
        case 'inlineStr':
          return unescapeXstring(c.inline);
        case 'str':
          return unescapeXstring(c.value);
        case 'b':
          return c.value === '1' ? 'TRUE' : c.value === '0' ? 'FALSE' : '';
        case 'e':
          return '';
        case 'd':
          return formatIsoDate(c.value);
        default: {
          if (c.value.trim() === '') return '';
          const n = Number(c.value);
          if (!Number.isFinite(n)) return c.value;
          const elapsed = elapsedStyle[c.style];
          if (elapsed !== undefined) return formatElapsed(n, elapsed);
          if (dateStyle[c.style]) return formatSerialDate(n, date1904, timeOnlyStyle[c.style] === true);
          // A rate (整改完成率) as Excel shows it: 0.85 in a percent format is 85%.
          const percent = percentStyle[c.style];
          if (percent !== undefined) return `${Number((n * 100).toPrecision(15)).toFixed(Math.min(percent, 20))}%`;
          return formatNumber(n);
        }
      }
    };
    const endRow = (): void => {
      const cells = row.filter((c) => c.text.trim() !== '').sort((a, b) => a.col - b.col);
      if (cells.length === 1) {
        // A cell's line breaks (Alt+Enter) are lines of one block, as a paragraph's \line breaks are.
        let added = false;
        for (const line of cells[0]!.text.split(/\r\n|\r|\n/)) added = out.add(line, 'body', block) || added;
        if (added) block++;
      } else if (cells.length > 1 && out.addRow(cells.map((c) => c.text), block)) block++;
      row = [];
    };
    parsePart(xml, sheet.target, file, {
      open(name, a) {
        if (name === 'row') {
          row = [];
          nextCol = 0;
        } else if (name === 'c') {
          const col = columnOf(a.r);
          cell = { col, type: a.t ?? 'n', style: Number(a.s ?? 0), value: '', inline: '' };
          nextCol = col + 1;
        } else if (name === 'v') inV = true;
        else if (name === 't') inT++;
        else if (name === 'rPh') inPhonetic++;
      },
      close(name) {
        if (name === 'c' && cell !== undefined) {
          row.push({ col: cell.col, text: shown(cell) });
          cell = undefined;
        } else if (name === 'row') endRow();
        else if (name === 'v') inV = false;
        else if (name === 't') inT--;
        else if (name === 'rPh') inPhonetic--;
      },
      text(t) {
        if (cell === undefined) return;
        if (inV) cell.value += t;
        else if (inT > 0 && inPhonetic === 0) cell.inline += t;
      },
    });
    if (row.length > 0) endRow();
  }
  const doc = out.finish();
  if (hidden > 0) doc.diagnostics.push({ code: 'XUNSHI_XLSX_HIDDEN_SHEETS', message: `${hidden} hidden sheet(s) of the workbook were not read` });
  return doc;
}
