/**
 * What spreadsheet readers share, whatever the file (Office Open XML `.xlsx`, BIFF `.xls`): how a cell's number shows
 * through its number format (General, percent, date, time, elapsed time), and how a sheet's rows become lines.
 */
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import type { ExtractedTextBuilder } from './extracted.js';

/**
 * Most characters a workbook's cells may give (all sheets together): far more than any report or ledger. A cell may
 * show a shared string of up to 32,767 characters (65,535 in a BIFF8 file) that takes a dozen bytes to refer to, so a
 * workbook of a few hundred kilobytes could show gigabytes of text (the string grew past what V8 holds, and the reader
 * failed with a RangeError after seconds).
 */
export const DEFAULT_MAX_SHEET_CHARS = 10_000_000;

/**
 * Most cells with text a workbook or table may have to be read: each is a passage at least, and a document is read
 * only up to 100,000 passages. Counted as the cells are read, so that a sheet of millions of short cells is refused
 * before they are all held: 20 MB of CSV in 5 million one-character cells took 2.8 GB and 25 s before the bound on
 * passages refused it. A rectification ledger has a few thousand.
 */
export const MAX_SHEET_CELLS = 100_000;

/** `INPUT_TOO_LARGE` for a workbook or table of more than {@link MAX_SHEET_CELLS} cells with text. */
export function tooManyCells(file: string | undefined): XunshiError {
  return new XunshiError(
    ERROR_CODES.INPUT_TOO_LARGE,
    `the sheets have more than ${MAX_SHEET_CELLS.toLocaleString('en-US')} cells with text, more than a report is read in (reading them would take gigabytes of memory); split it, or check it is a report and not a data dump`,
    file === undefined ? {} : { file },
  );
}

/** Built-in number formats that show dates or times (ECMA-376 §18.8.30, with the zh-CN ones 27–36 and 50–58). */
export const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);
/** Built-in formats among those that show a time of day only. */
export const TIME_ONLY_IDS = new Set([18, 19, 20, 21, 45, 46, 47]);

/** True when a custom number format code shows a date or time (y, m, d, h, s or 年月日 outside quotes, escapes and brackets). */
export function isDateFormat(code: string): boolean {
  const bare = code.replace(/"[^"]*"|\\.|\[[^\]]*\]|_.|\*./g, '');
  // A format of several sections: the first (positive numbers) decides.
  const first = bare.split(';')[0] ?? '';
  return /[ymdhs年月日时分秒]/i.test(first) && !/^[#0.,%\s]*$/.test(first) && !/[#0]/.test(first.replace(/\.0+/g, ''));
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

/** A number as Excel's General format shows it: up to 15 significant digits, no float noise (0.1 + 0.2), exponents as `1E-07`. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '';
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  // An exponent as Excel writes it: 1E-07, 1E+21 (JavaScript: 1e-7, 1e+21).
  return String(Number(n.toPrecision(15))).replace(/e([+-])(\d+)$/, (_, sign: string, digits: string) => `E${sign}${digits.padStart(2, '0')}`);
}


/** How a cell style's number format shows a number: as a date, a time, an elapsed time, a percentage or as General. */
export interface NumberStyle {
  date: boolean;
  timeOnly: boolean;
  /** Decimals of a percent format. */
  percent: number | undefined;
  /** An elapsed-time format: whether it shows seconds. */
  elapsed: boolean | undefined;
}

/** The style of number format `id` (built in, or custom with its `code`). */
export function numberStyle(id: number, code: string | undefined): NumberStyle {
  const bare = code?.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  return {
    date: code !== undefined ? isDateFormat(code) : DATE_FORMAT_IDS.has(id),
    timeOnly: bare !== undefined ? !/[yd年月日]/i.test(bare) && /[hs时分秒]/i.test(bare) : TIME_ONLY_IDS.has(id),
    percent: percentDecimals(id, code),
    elapsed: elapsedFormat(id, code),
  };
}

/** A number as a cell of `style` shows it (General when the style is unknown). */
export function showNumber(n: number, style: NumberStyle | undefined, date1904: boolean): string {
  if (style?.elapsed !== undefined) return formatElapsed(n, style.elapsed);
  if (style?.date) return formatSerialDate(n, date1904, style.timeOnly);
  // A rate (整改完成率) as Excel shows it: 0.85 in a percent format is 85%.
  if (style?.percent !== undefined) return `${Number((n * 100).toPrecision(15)).toFixed(Math.min(style.percent, 20))}%`;
  return formatNumber(n);
}

/**
 * A workbook's sheets as lines: with several visible sheets each sheet's name heads its rows; a row of two or more
 * non-empty cells is a table row (cells in column order, a unit never across cells), a row of one cell (a title merged
 * across the sheet, a note) body lines, one per line break in the cell.
 */
export class SheetLines {
  private block = 0;
  private chars = 0;
  private cells = 0;
  constructor(
    private readonly out: ExtractedTextBuilder,
    private readonly sheetCount: number,
    private readonly options: { file?: string; maxChars?: number } = {},
  ) {}

  /** Count `n` more characters; past the bound, `INPUT_TOO_LARGE`. */
  private take(n: number): void {
    this.chars += n;
    const max = this.options.maxChars ?? DEFAULT_MAX_SHEET_CHARS;
    if (this.chars > max) {
      const loc = this.options.file === undefined ? {} : { file: this.options.file };
      throw new XunshiError(ERROR_CODES.INPUT_TOO_LARGE, `the workbook's cells show more than ${max.toLocaleString('en-US')} characters, far more than any report (a cell's text may be repeated in many cells)`, loc);
    }
  }

  /** Start a sheet named `name`. */
  sheet(name: string): void {
    this.take(name.length);
    this.out.endTable();
    if (this.sheetCount > 1 && this.out.add(name, 'heading', this.block, 1)) this.block++;
  }

  /**
   * One row of cells (any order, empty ones included); `span`, the columns of a cell merged across columns (the merge's
   * first cell), 1 when absent.
   */
  row(row: ReadonlyArray<{ col: number; text: string; span?: number }>): void {
    const cells = row.filter((c) => c.text.trim() !== '').sort((a, b) => a.col - b.col);
    this.cells += cells.length;
    if (this.cells > MAX_SHEET_CELLS) throw tooManyCells(this.options.file);
    for (const c of cells) this.take(c.text.length);
    if (cells.length === 1) {
      // A cell's line breaks (Alt+Enter) are lines of one block, as a paragraph's \line breaks are.
      let added = false;
      // Between rows of a table (a section title merged across a ledger) it leaves the table open: the rows after it
      // are the same table's, under the same header.
      for (const line of cells[0]!.text.split(/\r\n|\r|\n/)) added = this.out.add(line, 'body', this.block, undefined, true) || added;
      if (added) this.block++;
    } else if (cells.length > 1 && this.out.addRow(cells.map((c) => c.text), this.block, { columns: cells.map((c) => c.col), spans: cells.map((c) => c.span ?? 1) })) this.block++;
  }
}
