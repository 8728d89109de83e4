import { parse, CsvError } from 'csv-parse/sync';
import { ERROR_CODES, XunshiError } from '@xunshi/types';
import { ExtractedTextBuilder, type ExtractedDocument } from './extracted.js';
import { MAX_SHEET_CELLS, SheetLines, tooManyCells } from './sheet-cells.js';
import { extensionOf } from './sniff-format.js';

/**
 * Delimiter-separated tables (`.csv`, `.tsv`): a ledger (整改台账) exported from a spreadsheet or an office system. The
 * text, decoded as any text input is (UTF-8, GB18030 as Excel saves CSV on a Chinese Windows, Big5, UTF-16 with a BOM),
 * is parsed by csv-parse (RFC 4180: quoted cells with commas, quotes and line breaks), and its records are read as a
 * sheet's rows are (`sheet-cells.ts`): a record of two cells or more is a table row (a unit never runs across cells,
 * each cell keeps its column, the first row of short cells is the header of the columns), a record of one cell (a
 * title, a note) body lines.
 */

/** Options of {@link extractCsv}. */
export interface CsvOptions {
  /** The file's path, for messages; `.tsv` and `.tab` are tab-separated, other names have their delimiter found. */
  path?: string;
  /** Most characters the cells may hold (default: the sheets' bound). */
  maxChars?: number;
}

/** The delimiters a `.csv` may use: comma, tab, semicolon (Excel where the decimal mark is a comma), vertical bar. */
const DELIMITERS = [',', '\t', ';', '|'] as const;
/** Lines the delimiter is found from. */
const SAMPLE_LINES = 20;

/**
 * The delimiter of a delimiter-separated text: of {@link DELIMITERS}, the one found outside quotes the same number of
 * times (one or more) on most of its first {@link SAMPLE_LINES} lines, then the one found most; a comma when none is
 * found (a one-column file). A Chinese full-width comma (，) is text, never a delimiter.
 */
export function csvDelimiter(text: string): string {
  const counts = DELIMITERS.map(() => [] as number[]);
  let line = DELIMITERS.map(() => 0);
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < text.length && lines < SAMPLE_LINES; i++) {
    const ch = text[i]!;
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      if (line.some((n) => n > 0)) {
        line.forEach((n, k) => counts[k]!.push(n));
        lines++;
      }
      line = DELIMITERS.map(() => 0);
    } else if (!quoted) {
      const k = DELIMITERS.indexOf(ch as (typeof DELIMITERS)[number]);
      if (k >= 0) line[k]!++;
    }
  }
  if (line.some((n) => n > 0)) line.forEach((n, k) => counts[k]!.push(n));
  let best = 0;
  let bestScore = [-1, -1];
  DELIMITERS.forEach((_, k) => {
    const c = counts[k]!;
    const tally = new Map<number, number>();
    for (const n of c) if (n > 0) tally.set(n, (tally.get(n) ?? 0) + 1);
    const consistent = Math.max(0, ...tally.values());
    const total = c.reduce((a, b) => a + b, 0);
    const score = [consistent, total];
    if (score[0]! > bestScore[0]! || (score[0] === bestScore[0] && score[1]! > bestScore[1]!)) {
      best = k;
      bestScore = score;
    }
  });
  return bestScore[1]! > 0 ? DELIMITERS[best]! : ',';
}

/**
 * Where the quoted cell that is never closed opens (1-based line and column), as RFC 4180 reads quotes: a quote at
 * the start of a cell opens it, two quotes inside it are one, a quote followed by anything else closes it.
 */
export function unclosedQuote(text: string, delimiter: string): { line: number; column: number } | undefined {
  // Lines (for the message) end at LF, CRLF or a lone CR; records only at the kind of line end the text has first
  // outside quotes (csv-parse's record delimiter): in a text of CRLFs a lone LF is a character of its cell.
  let recordEnd: '\n' | '\r\n' | '\r' | undefined;
  let line = 1;
  let lineStart = 0;
  let open: { line: number; column: number } | undefined;
  let cellStart = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (!open && (ch === '\r' || ch === '\n')) recordEnd ??= ch === '\n' ? '\n' : text[i + 1] === '\n' ? '\r\n' : '\r';
    const endsRecord = recordEnd === '\n' ? ch === '\n' : recordEnd === '\r' ? ch === '\r' : ch === '\n' && text[i - 1] === '\r';
    if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) {
      line++;
      lineStart = i + 1;
    }
    if (open) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else {
          open = undefined;
          cellStart = false;
        }
      }
      continue;
    }
    if (ch === '"' && cellStart) open = { line, column: i - lineStart + 1 };
    else cellStart = endsRecord || ch === delimiter;
  }
  return open;
}

/** True for the header of a CSV that xunshi itself wrote (`--format csv`: a passage or a document table). */
function isOwnOutput(header: readonly string[]): boolean {
  return header[0] === 'document' && (header[1] === 'passage' || header[1] === 'passages') && (header[2] === 'start' || header[2] === 'problem' || header.includes('function'));
}

/**
 * Read a delimiter-separated table into extracted lines (see the file's comment). Throws `INPUT_CORRUPT` for a quoted
 * cell never closed (naming the line and column of its opening quote) and `INPUT_UNSUPPORTED` for a CSV that xunshi
 * wrote.
 */
export function extractCsv(text: string, options: CsvOptions = {}): ExtractedDocument {
  const loc = options.path === undefined ? {} : { file: options.path };
  const ext = options.path === undefined ? '' : extensionOf(options.path);
  const delimiter = ext === '.tsv' || ext === '.tab' ? '\t' : csvDelimiter(text);
  let records: string[][];
  // Cells with text, counted as the parser makes its records: the bound is reached before millions of cells are held.
  let cells = 0;
  const countCells = (record: string[]): string[] => {
    for (const cell of record) if (cell.trim() !== '' && ++cells > MAX_SHEET_CELLS) throw tooManyCells(options.path);
    return record;
  };
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, bom: true, on_record: countCells }) as string[][];
  } catch (e) {
    if (e instanceof CsvError) {
      const what = `the ${delimiter === '\t' ? 'tab' : `"${delimiter}"`}-separated table`;
      const open = e.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuote(text, delimiter) : undefined;
      if (open) throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `${what} has a quoted cell that is never closed: the quote that opens it is at line ${open.line}, column ${open.column}`, { ...loc, ...open });
      const line = typeof (e as { lines?: unknown }).lines === 'number' ? (e as unknown as { lines: number }).lines : undefined;
      throw new XunshiError(ERROR_CODES.INPUT_CORRUPT, `${what} cannot be read: ${e.message}`, { ...loc, ...(line !== undefined ? { line } : {}) });
    }
    throw e;
  }
  if (records[0] && isOwnOutput(records[0])) {
    throw new XunshiError(ERROR_CODES.INPUT_UNSUPPORTED, 'this is a table that xunshi wrote (`--format csv`), not a report: its passages were analysed already', loc);
  }
  const out = new ExtractedTextBuilder(options.path);
  const sheet = new SheetLines(out, 1, { ...loc, ...(options.maxChars !== undefined ? { maxChars: options.maxChars } : {}) });
  sheet.sheet('');
  for (const record of records) sheet.row(record.map((cell, col) => ({ col, text: cell })));
  return out.finish();
}
