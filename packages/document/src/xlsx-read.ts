import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { formatIsoDate, numberStyle, SheetLines, showNumber, type NumberStyle } from './sheet-cells.js';
import { decodeXmlPart, folderOf, localName, parseXmlPart, resolvePackagePath, type XmlPartHandlers } from './xml-part.js';
import { DEFAULT_MAX_UNCOMPRESSED_BYTES, openZip, type ZipArchive } from './zip.js';

export { elapsedFormat, formatElapsed, formatIsoDate, formatNumber, formatSerialDate, isDateFormat, percentDecimals } from './sheet-cells.js';

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

/** Parse one part of the workbook; a malformed part is `INPUT_CORRUPT` naming it. */
function parsePart(xml: string, part: string, file: string | undefined, handlers: XmlPartHandlers): void {
  parseXmlPart(xml, handlers, {
    malformed: (message) => new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the workbook's ${part} is not well-formed XML: ${message}`, file === undefined ? {} : { file }),
  });
}

/**
 * A string as Excel writes it in XML (ST_Xstring, ECMA-376 §22.9.2.19): a character XML cannot hold, or a carriage
 * return, is escaped `_xHHHH_` (`_x000D_` in every cell a CRLF was pasted into), and `_x005F_` escapes the `_` of a
 * literal `_xHHHH_`.
 */
export function unescapeXstring(s: string): string {
  return s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s;
}

/** Read an Excel workbook (Office Open XML spreadsheet) into an {@link ExtractedDocument}. */
export function extractXlsx(bytes: Uint8Array, options: XlsxOptions = {}): ExtractedDocument {
  const file = options.path;
  const loc = file === undefined ? {} : { file };
  const zip: ZipArchive = openZip(bytes, { ...(file !== undefined ? { path: file } : {}), maxUncompressedBytes: options.maxUncompressedBytes ?? DEFAULT_MAX_UNCOMPRESSED_BYTES, what: 'workbook' });
  const read = (name: string): string | undefined => (zip.has(name) ? decodeXmlPart(zip.read(name)) : undefined);
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
  let lostStrings = 0;
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

  // Number formats of the cell styles: how each style shows a number.
  const numberStyles: NumberStyle[] = [];
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
          numberStyles.push(numberStyle(id, custom.get(id)));
        }
      },
      close(name) {
        if (name === 'cellXfs') inXfs = false;
      },
    });
  }

  const out = new ExtractedTextBuilder(file);
  const visible = refs.filter((s) => !s.hidden);
  const hidden = refs.length - visible.length;
  const lines = new SheetLines(out, visible.length, loc);
  for (const sheet of visible) {
    if (!zip.has(sheet.target)) {
      throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the workbook names the sheet "${sheet.name}" at ${sheet.target}, which the package does not hold`, loc);
    }
    lines.sheet(sheet.name);
    const xml = read(sheet.target)!;
    const merged = mergedColumns(xml);
    let row: Array<{ col: number; text: string; span?: number }> = [];
    let cell: { col: number; type: string; style: number; value: string; inline: string } | undefined;
    let inV = false;
    let inT = 0;
    let inPhonetic = 0;
    let nextCol = 0;
    const columnOf = (ref: string | undefined): number => {
      const m = ref === undefined ? null : /^([A-Za-z]{1,3})/.exec(ref);
      return m ? columnNumber(m[1]!) : nextCol;
    };
    const shown = (c: NonNullable<typeof cell>): string => {
      switch (c.type) {
        case 's': {
          const i = Number(c.value);
          if (Number.isInteger(i) && i >= 0 && i < shared.length) return shared[i]!;
          // A reference past the shared strings (their part missing or cut short): the cell's text is lost, counted.
          if (c.value.trim() !== '') lostStrings++;
          return '';
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
          return Number.isFinite(n) ? showNumber(n, numberStyles[c.style], date1904) : c.value;
        }
      }
    };
    let rowNumber = 0;
    const endRow = (): void => {
      if (merged.size > 0) for (const c of row) c.span = merged.get(`${rowNumber}:${c.col}`) ?? 1;
      lines.row(row);
      row = [];
    };
    parsePart(xml, sheet.target, file, {
      open(name, a) {
        if (name === 'row') {
          row = [];
          // 1-based `r`, or the row after the last.
          rowNumber = a.r !== undefined && /^\d{1,7}$/.test(a.r) ? Number(a.r) : rowNumber + 1;
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
  if (lostStrings > 0) {
    const why = `${lostStrings} cell(s) refer to shared strings the package lacks (${zip.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml is cut short' : 'it has no xl/sharedStrings.xml'})`;
    // A workbook whose every text is lost so is damaged, not empty.
    if (!/\S/.test(doc.text)) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `the workbook is damaged: ${why}, so none of its text can be read`, loc);
    doc.diagnostics.push({ code: 'XUNSHI_XLSX_STRINGS_MISSING', message: `the workbook is damaged: ${why}; their text is lost` });
  }
  return doc;
}

/** Column number (A = 0) of a cell reference's letters. */
function columnNumber(letters: string): number {
  let c = 0;
  for (const ch of letters.toUpperCase()) c = c * 26 + (ch.charCodeAt(0) - 64);
  return c - 1;
}

/**
 * The cells a sheet merges across columns (`<mergeCell ref="B2:C2"/>`, after the sheet's rows): the columns each
 * merge's first cell spans, by `row:col` (rows 1-based as in `r`). Found by one scan of the part's text before it is
 * parsed, so that the rows are read as they come.
 */
function mergedColumns(xml: string): Map<string, number> {
  const out = new Map<string, number>();
  // Found by indexOf, each element then read by an anchored regex over its own few bytes: one regex over the whole part
  // tried its optional prefix at every `<` of every row, and the backtracks, counted over the whole scan, switched V8 to
  // its linear-time engine (set for the rules' sake), which took about 120 bytes per character: a 93 KB workbook of
  // 650,000 rows used 4.4 GB here.
  for (let at = xml.indexOf('mergeCell'); at >= 0; at = xml.indexOf('mergeCell', at + 9)) {
    const lt = xml.lastIndexOf('<', at);
    if (lt < 0 || at - lt > 64) continue;
    const gt = xml.indexOf('>', at);
    const m = MERGE_CELL.exec(xml.slice(lt, gt < 0 || gt - at > 4096 ? at + 4096 : gt + 1));
    if (!m) continue;
    const c0 = columnNumber(m[1]!);
    const c1 = columnNumber(m[3]!);
    if (c1 > c0) out.set(`${Number(m[2])}:${c0}`, c1 - c0 + 1);
  }
  return out;
}
const MERGE_CELL = /^<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^<>]*?\bref\s*=\s*["']\$?([A-Za-z]{1,3})\$?(\d{1,7}):\$?([A-Za-z]{1,3})\$?\d{1,7}["']/;
