import type { Report } from '@xunshi/types';
import { CATEGORY_IDS, FUNCTION_IDS, ROOT_CAUSE_IDS } from '@xunshi/types';
import type { ErrorEntry } from '@xunshi/types';

/**
 * UTF-8 byte-order mark, written once at the start of a CSV file: without it Excel and WPS read UTF-8 CSV as the
 * local ANSI code page and Chinese comes out garbled.
 */
export const CSV_BOM = '\uFEFF';

/** A CSV cell: strings are quoted when needed, numbers are written as they are. */
export type CsvCell = string | number;

/** Columns of the one-row-per-passage CSV, in order. */
export const PASSAGE_CSV_COLUMNS: readonly string[] = [
  'document',
  'passage',
  'start',
  'end',
  'function',
  'categories',
  'subcategories',
  'root_causes',
  'scores',
  'page',
  'cell',
  'column_header',
  'heading_path',
  'text',
];

// Spreadsheets run a cell that starts with one of these and goes on as a formula (CSV injection, and `- 问题` shows as
// #NAME?); a lone `-` (standard input's name) is plain text.
const FORMULA_START = /^[=+\-@\t\r]./s;

/**
 * Quote one string cell by RFC 4180 (double quotes doubled; quoted when it holds a comma, quote, CR or LF); a text that
 * a spreadsheet would run as a formula gets a leading apostrophe, which Excel and WPS hide.
 */
export function quoteCsvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks; numbers are written with `String(n)`. */
export function renderCsvRow(cells: readonly CsvCell[]): string {
  return cells.map((c) => (typeof c === 'number' ? String(c) : quoteCsvCell(c))).join(',') + '\r\n';
}

/** Scores are floats from the engine; three decimals are what an analyst can read, and the text stays stable. */
function formatScore(score: number): string {
  return String(Number(score.toFixed(3)));
}

function uniqueInOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The header record of the one-row-per-passage CSV. */
export function renderPassageCsvHeader(): string {
  return renderCsvRow(PASSAGE_CSV_COLUMNS);
}

/**
 * One record per passage of `report` (columns {@link PASSAGE_CSV_COLUMNS}; start/end are UTF-16 offsets; page is the
 * PDF page the passage starts on, empty for other formats; cell is a table cell's `table/row/column` (0-based) and
 * column_header the header of its column, both empty outside tables; heading_path the headings the passage stands
 * under, outermost first, joined by ` > ` (tabs and line breaks in a heading a space: a ledger's 一 | 作风建设方面 reads
 * 一 作风建设方面); label lists are `;`-separated; scores are `label=score` pairs for each subcategory or category and
 * each root cause).
 */
export function renderPassageCsvRows(report: Report): string {
  const document = report.source.path ?? '-';
  let out = '';
  for (const p of report.passages) {
    const scores = [
      ...p.categories.map((c) => `${c.subcategory ?? c.id}=${formatScore(c.score)}`),
      ...p.rootCauses.map((r) => `${r.id}=${formatScore(r.score)}`),
    ];
    out += renderCsvRow([
      document,
      p.id,
      p.start,
      p.end,
      p.function,
      uniqueInOrder(p.categories.map((c) => c.id)).join(';'),
      uniqueInOrder(p.categories.flatMap((c) => (c.subcategory ? [c.subcategory] : []))).join(';'),
      uniqueInOrder(p.rootCauses.map((r) => r.id)).join(';'),
      scores.join(';'),
      p.page ?? '',
      p.cell ? `${p.cell.table}/${p.cell.row}/${p.cell.column}` : '',
      p.cell?.header ?? '',
      headingPathCell(p.headingPath),
      p.text,
    ]);
  }
  return out;
}

/** The heading_path cell: the headings joined by ` > `, each heading's runs of tabs and line breaks one space. */
function headingPathCell(path: readonly string[]): string {
  return path.map((h) => h.replace(/[\t\r\n]+/g, ' ')).join(' > ');
}

/**
 * The record of an input that could not be analysed, in the passage CSV: the path, `error` as function and
 * `message [code]` as text, the other cells empty.
 */
export function renderPassageCsvErrorRow(entry: ErrorEntry): string {
  return renderCsvRow([entry.path, '', '', '', 'error', '', '', '', '', '', '', '', '', `${entry.message} [${entry.code}]`]);
}

/**
 * Columns of the one-row-per-document CSV: document, passages, one count per function, category, given subcategory
 * and root cause, then the error code and message of a failed input.
 */
export function getDocumentCsvColumns(subcategoryIds: readonly string[]): string[] {
  return ['document', 'passages', ...FUNCTION_IDS, ...CATEGORY_IDS, ...subcategoryIds, ...ROOT_CAUSE_IDS, 'error_code', 'error_message'];
}

/** The header record of the one-row-per-document CSV for these subcategory columns. */
export function renderDocumentCsvHeader(subcategoryIds: readonly string[]): string {
  return renderCsvRow(getDocumentCsvColumns(subcategoryIds));
}

/** One record with the passage counts of `report` (columns {@link getDocumentCsvColumns}). */
export function renderDocumentCsvRow(report: Report, subcategoryIds: readonly string[]): string {
  const s = report.summary;
  return renderCsvRow([
    report.source.path ?? '-',
    s.passages,
    ...FUNCTION_IDS.map((f) => s.functions[f]),
    ...CATEGORY_IDS.map((c) => s.categories[c]),
    ...subcategoryIds.map((id) => s.subcategories[id] ?? 0),
    ...ROOT_CAUSE_IDS.map((r) => s.rootCauses[r]),
    '',
    '',
  ]);
}

/** The record of an input that could not be analysed, in the document CSV: counts left empty, code and message set. */
export function renderDocumentCsvErrorRow(entry: ErrorEntry, subcategoryIds: readonly string[]): string {
  const blanks = new Array<string>(1 + FUNCTION_IDS.length + CATEGORY_IDS.length + subcategoryIds.length + ROOT_CAUSE_IDS.length).fill('');
  return renderCsvRow([entry.path, ...blanks, entry.code, entry.message]);
}
