import { ERROR_CODES, XunshiError, type Diagnostic, type Range } from '@xunshi/types';
import { isUnitWhitespace } from './split-units.js';
import { lineAcross, TableEdges, widthAfterRow } from './table-header.js';
import { MAX_PASSAGES } from './text-lines.js';

/**
 * What a line of extracted text is: `body` text (headings found by numbering as in plain text), a `heading` from markup
 * (h1–h6, a Word heading style), a table `row` (cells separated by tabs; a unit never runs across cells) or a
 * `footnote` (kept in the text, never a unit).
 */
export type ExtractedLineKind = 'body' | 'heading' | 'row' | 'footnote';

/** One line of an extracted document: `[start, end)` of `text`, without the line break. */
export interface ExtractedLine extends Range {
  kind: ExtractedLineKind;
  /** Heading level 1–6 for `heading` lines (0 for a Word document's Title style, above every heading style). */
  level?: number;
  /** Lines with the same key belong to one block (a paragraph with `<br>`s, a table row). */
  block: number;
  /** Cell ranges of a `row` line. */
  cells?: Range[];
  /** A `row` line's table: 0-based, in document order (rows of one table share it). */
  table?: number;
  /** A `row` line's column where each cell starts (default: the cell's position in the row). */
  columns?: number[];
  /** A `row` line's columns each cell spans (default 1 each). */
  spans?: number[];
  /** A `row` line marked as a header row by its markup (`<th>` cells, `<thead>`). */
  header?: true;
  /**
   * A `row` line's cell edges across the page in twips, left to right (one more than its cells: the row's left edge,
   * then each cell's right edge), when its markup gives them (RTF's `\trleft` and `\cellx`): the table's grid is
   * made of the edges of all its rows (see `tableCells` in parse-document.ts).
   */
  edges?: number[];
  /** 1-based page (PDF). */
  page?: number;
}

/** Text extracted from html, docx or pdf: one block a line, with what each line is. */
export interface ExtractedDocument {
  text: string;
  lines: ExtractedLine[];
  /** PDF: the range of each page in `text`. */
  pages?: Range[];
  diagnostics: Diagnostic[];
}

function trimRange(s: string): [number, number] {
  let a = 0;
  let b = s.length;
  while (a < b && (isUnitWhitespace(s[a]!) || s[a] === '\n' || s[a] === '\r')) a++;
  while (b > a && (isUnitWhitespace(s[b - 1]!) || s[b - 1] === '\n' || s[b - 1] === '\r')) b--;
  return [a, b];
}

/** How many of the last line's last characters {@link ExtractedTextBuilder.lastChars} gives. */
const TAIL = 8;

/**
 * Builds an {@link ExtractedDocument} line by line; blank lines are dropped, line edges trimmed. Past
 * {@link MAX_PASSAGES} lines and table cells with text it throws `INPUT_TOO_LARGE`: each is at least one passage of the
 * document, and the analysis refuses a document of more, so the reader stops there instead of extracting the rest
 * (20 MB of RTF paragraphs took 1.15 GB before the analysis refused them; a Word 97 file, a workbook the same).
 */
export class ExtractedTextBuilder {
  /** `file`: named in the `INPUT_TOO_LARGE` error. */
  constructor(private readonly file?: string) {}

  private text = '';
  /** Lines (body and heading) and table cells with text added so far: the passages the document has at least. */
  private passages = 0;
  readonly lines: ExtractedLine[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private footnotes: { content: string; block: number }[] = [];
  private pageStarts: number[] = [];
  /** Tables begun so far, and the one rows are added to (-1: none open). */
  private tables = 0;
  private openTable = -1;
  /** How many grid columns the open table's rows of two cells or more with text reach (see {@link lineAcross}). */
  private openWidth = 0;
  /** The open table's grid edges, for rows that give their cells' edges (see {@link TableEdges}). */
  private readonly openEdges = new TableEdges();
  private page: number | undefined;
  /**
   * The last {@link TAIL} characters of the last line ('' before any): kept, so that reading them never copies the
   * whole text.
   */
  private tail = '';

  /** Start the next page: text added from now on belongs to it (pages are numbered from 1). */
  startPage(): void {
    this.pageStarts.push(this.text.length);
    this.page = this.pageStarts.length;
  }

  /** End the open table: the next row starts another. */
  endTable(): void {
    this.openTable = -1;
    this.openWidth = 0;
    this.openEdges.clear();
  }

  /**
   * Add one line of `kind`; returns false when it was blank. It ends the open table, unless `inTable` (a sheet's row of
   * one cell between rows of a table: a section title or note inside it).
   */
  add(content: string, kind: 'body' | 'heading', block: number, level?: number, inTable = false): boolean {
    const [a, b] = trimRange(content);
    if (a >= b) return false;
    this.count(1);
    if (!inTable) this.endTable();
    const start = this.open();
    this.text += content.slice(a, b);
    this.tail = content.slice(Math.max(a, b - TAIL), b);
    const line: ExtractedLine = { start, end: this.text.length, kind, block };
    if (level !== undefined) line.level = level;
    if (this.page !== undefined) line.page = this.page;
    this.lines.push(line);
    return true;
  }

  /**
   * Take back the last line where it is a body line that `test` accepts (the title 目录 of a table of contents the
   * reader finds only after it); returns whether it did. The text is cut back once: linear in the text.
   */
  dropLastLineIf(test: (line: string) => boolean): boolean {
    const last = this.lines[this.lines.length - 1];
    if (!last || last.kind !== 'body' || !test(this.text.slice(last.start, last.end))) return false;
    this.lines.pop();
    this.passages--;
    this.text = this.text.slice(0, Math.max(0, last.start - 1));
    const before = this.lines[this.lines.length - 1];
    this.tail = before ? this.text.slice(Math.max(before.start, before.end - TAIL), before.end) : '';
    return true;
  }

  /** Append to the last line (a PDF paragraph continued on the next page). */
  appendToLast(content: string): void {
    const last = this.lines[this.lines.length - 1];
    if (!last) return;
    this.text += content;
    if (content.length > 0) this.tail = (this.tail + content).slice(-TAIL);
    last.end = this.text.length;
  }

  /**
   * The last line's last character ('' when there is no line). Not a slice of the text: the text is built by appending,
   * and reading from it flattens it, a copy of the whole text for every line appended (quadratic in a PDF's length).
   */
  lastChar(): string {
    return this.tail.slice(-1);
  }

  /** The last line's last characters, up to {@link TAIL} of them (what comes before a wrapped line joined to it). */
  lastChars(): string {
    return this.tail;
  }

  /** The last line's text (a slice of the whole text: see {@link lastChar} for reading it once a line). */
  lastLine(): string | undefined {
    const last = this.lines[this.lines.length - 1];
    return last ? this.text.slice(last.start, last.end) : undefined;
  }

  /**
   * Add a table row: its cells joined by tabs (cells trimmed; a row of empty cells is dropped). The row belongs to the
   * table of the row added before it, unless {@link endTable} was called or a body or heading line came between.
   * `columns` and `spans` say where each cell stands in the table's grid (see {@link ExtractedLine.columns}); `header`
   * marks a header row. A row that is a line across the open table ({@link lineAcross}: 一、作风建设方面 merged across a
   * ledger, or 一 | 作风建设方面, the title across the columns after 序号) is added as a body line that keeps the table
   * open, as a sheet's row of one cell is.
   */
  addRow(cells: string[], block: number, grid?: { columns?: number[]; spans?: number[]; header?: boolean; edges?: number[] }): boolean {
    const trimmed = cells.map((c) => {
      const [a, b] = trimRange(c);
      return c.slice(a, b).replace(/[\t\r\n]+/g, ' ');
    });
    if (trimmed.every((c) => c.length === 0)) return false;
    // Cells' edges (RTF, Word 97) say where a cell stands and how wide it is, on the edges of the table's rows so far.
    const edges = grid?.edges && !grid.columns && grid.edges.length === cells.length + 1 ? grid.edges : undefined;
    const byEdges = edges && this.openTable >= 0 ? this.openEdges.gridOf(edges) : undefined;
    const across =
      this.openTable < 0 ? undefined : byEdges ? lineAcross(trimmed, byEdges.columns, byEdges.spans, byEdges.width) : lineAcross(trimmed, grid?.columns, grid?.spans, this.openWidth);
    if (across !== undefined) return this.add(across, 'body', block, undefined, true);
    this.count(trimmed.reduce((n, c) => (c.length > 0 ? n + 1 : n), 0));
    let start = this.open();
    const lineStart = start;
    const ranges: Range[] = [];
    trimmed.forEach((c, i) => {
      if (i > 0) {
        this.text += '\t';
        start++;
      }
      this.text += c;
      ranges.push({ start, end: start + c.length });
      start += c.length;
    });
    this.tail = trimmed.join('\t').slice(-TAIL);
    if (this.openTable < 0) this.openTable = this.tables++;
    this.openWidth = widthAfterRow(this.openWidth, trimmed, grid?.columns, grid?.spans);
    if (edges) this.openEdges.afterRow(trimmed, edges);
    const line: ExtractedLine = { start: lineStart, end: this.text.length, kind: 'row', block, cells: ranges, table: this.openTable };
    // Columns are kept where they are not the cells' positions (a cell after a span, a sheet's empty cells left out).
    if (grid?.columns && grid.columns.some((c, i) => c !== i)) line.columns = grid.columns;
    if (grid?.spans && grid.spans.some((n) => n !== 1)) line.spans = grid.spans;
    if (grid?.header) line.header = true;
    if (grid?.edges && grid.edges.length === cells.length + 1) line.edges = grid.edges;
    if (this.page !== undefined) line.page = this.page;
    this.lines.push(line);
    return true;
  }

  /** Keep a footnote: it is written after the body, where it is part of the text but of no unit. */
  addFootnote(content: string, block: number): void {
    const [a, b] = trimRange(content);
    if (a < b) this.footnotes.push({ content: content.slice(a, b), block });
  }

  /** Lines (body and heading) and table cells with text so far: each is at least one passage of the document. */
  get passageCount(): number {
    return this.passages;
  }

  /** Count `n` more passages; past {@link MAX_PASSAGES}, `INPUT_TOO_LARGE`. */
  private count(n: number): void {
    this.passages += n;
    if (this.passages <= MAX_PASSAGES) return;
    throw new XunshiError(
      ERROR_CODES.INPUT_TOO_LARGE,
      `the document has more than ${MAX_PASSAGES.toLocaleString('en-US')} lines and table cells with text, more than a report is read in (reading them would take gigabytes of memory); split it, or check it is a report and not a data dump`,
      this.file === undefined ? {} : { file: this.file },
    );
  }

  private open(): number {
    if (this.text.length > 0 || this.lines.length > 0) this.text += '\n';
    return this.text.length;
  }

  /** The finished document. */
  finish(): ExtractedDocument {
    for (const f of this.footnotes) {
      const start = this.open();
      this.text += f.content;
      this.lines.push({ start, end: this.text.length, kind: 'footnote', block: f.block });
    }
    this.footnotes = [];
    const out: ExtractedDocument = { text: this.text, lines: this.lines, diagnostics: this.diagnostics };
    // Each page runs from where its text begins to where the next page's begins: the ranges cover the text in order.
    if (this.pageStarts.length > 0) {
      out.pages = this.pageStarts.map((start, i) => ({ start, end: this.pageStarts[i + 1] ?? this.text.length }));
    }
    return out;
  }
}

/**
 * `b` after `a` as one document: `b`'s lines, blocks, tables and pages moved past `a`'s, the texts joined by a line
 * break, the diagnostics of both. Where `b` has pages and `a` none, `a`'s text is on `b`'s first page (a title typed
 * above the pages scanned into a Word document stands on the first of them).
 */
export function appendExtracted(a: ExtractedDocument, b: ExtractedDocument): ExtractedDocument {
  if (a.text === '') return { ...b, diagnostics: [...a.diagnostics, ...b.diagnostics] };
  const offset = a.text.length + 1;
  const blocks = a.lines.reduce((m, l) => Math.max(m, l.block + 1), 0);
  const tables = a.lines.reduce((m, l) => (l.table === undefined ? m : Math.max(m, l.table + 1)), 0);
  const lines = [
    ...a.lines,
    ...b.lines.map((l) => ({
      ...l,
      start: l.start + offset,
      end: l.end + offset,
      block: l.block + blocks,
      ...(l.cells ? { cells: l.cells.map((c) => ({ start: c.start + offset, end: c.end + offset })) } : {}),
      ...(l.table !== undefined ? { table: l.table + tables } : {}),
    })),
  ];
  const out: ExtractedDocument = { text: `${a.text}\n${b.text}`, lines, diagnostics: [...a.diagnostics, ...b.diagnostics] };
  const pages = a.pages ?? [];
  const later = (b.pages ?? []).map((p) => ({ start: p.start + offset, end: p.end + offset }));
  if (a.pages === undefined && later.length > 0) later[0] = { start: 0, end: later[0]!.end };
  if (pages.length + later.length > 0) out.pages = [...pages, ...later];
  return out;
}
