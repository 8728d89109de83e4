import { lastAtOrBefore, type TableCell } from '@xunshi/types';
import { parseChineseNumeral } from './enumeration.js';

/**
 * Whether a table's row is a line across the table rather than a row of it, and what it reads: its one cell with text,
 * merged from the table's first column across all of it (a section title across a ledger, 一、作风建设方面 over the rows
 * of that area; a closing remark), or that cell after the row's first cell, left empty or holding only a Chinese
 * number (一 | 作风建设方面, the title merged across every column after 序号). `width` is how many grid columns the
 * table's rows of two cells or more with text have reached so far (0 before the first): the title's cell must reach
 * it, and span two columns or more when a cell stands before it. Read as a line of its own inside the table (the
 * number, a tab and the title), it heads the rows below it as a sheet's row of one cell does. A cell that goes on a row
 * whose cells to its left are merged down from above starts further right, a row whose other cells are left empty is
 * a row of data (a problem whose measure is not written yet), and rows of one cell above the first wide row are a
 * title set across the table: all stay rows. Returns the line's text, or undefined for a row of the table.
 */
export function lineAcross(texts: readonly string[], columns: readonly number[] | undefined, spans: readonly number[] | undefined, width: number): string | undefined {
  // Empty cells after the title (a grid's cells past the merge) are no part of the row.
  let n = texts.length;
  while (n > 0 && texts[n - 1]!.trim().length === 0) n--;
  if (width < 2 || n === 0 || n > 2 || (columns?.[0] ?? 0) !== 0) return undefined;
  const last = n - 1;
  const title = texts[last]!.trim();
  const span = spans?.[last] ?? 1;
  if ((columns?.[last] ?? last) + span < width) return undefined;
  if (last === 0) return title;
  const lead = texts[0]!.trim();
  if (span < 2 || (columns?.[1] ?? 1) !== (spans?.[0] ?? 1)) return undefined;
  if (lead.length === 0) return title;
  return isOrdinalCell(lead) ? `${lead}\t${title}` : undefined;
}

/**
 * Whether a cell holds only a Chinese number of a list (一, 二、, （三）; a numeral {@link parseChineseNumeral} reads): the
 * 序号 of a section title's row. Not an Arabic one: a ledger numbers its rows 1, 2, 3, and a row of 1 and a cell merged
 * across the rest is a row of data.
 */
export function isOrdinalCell(text: string): boolean {
  const m = /^[（(]?([^（()）、．]{1,5})[）)]?[、．]?$/.exec(text);
  return m !== null && parseChineseNumeral(m[1]!) !== undefined;
}

/** How many of a row's cells hold text. */
function filledCount(texts: readonly string[]): number {
  let n = 0;
  for (const t of texts) if (t.trim().length > 0) n++;
  return n;
}

/**
 * The width {@link lineAcross} compares with, after a table's row is read: `width` (that of the rows before it), or,
 * for a row of two cells or more with text, where its last cell ends if that is further.
 */
export function widthAfterRow(width: number, texts: readonly string[], columns: readonly number[] | undefined, spans: readonly number[] | undefined): number {
  if (filledCount(texts) < 2) return width;
  const last = texts.length - 1;
  return Math.max(width, (columns?.[last] ?? last) + (spans?.[last] ?? 1));
}

/** Cell edges (twips) closer than this are one edge of the table's grid (a border dragged a little in one row). */
const EDGE_SNAP = 72;

/**
 * The grid of a table whose rows give their cells' edges (RTF, Word 97): the edges of all rows, sorted, those within
 * {@link EDGE_SNAP} of the first of a run one edge; each cell starts at the column of its left edge and spans the
 * columns up to its right edge (a cell merged across two columns of the other rows spans two).
 */
export function edgeGrid(rows: readonly (readonly number[])[]): { columns: number[]; spans: number[] }[] {
  const all = rows.flat().sort((a, b) => a - b);
  const starts: number[] = [];
  for (const x of all) if (starts.length === 0 || x - starts[starts.length - 1]! > EDGE_SNAP) starts.push(x);
  // The grid edge of `x`: the last run that starts at or before it.
  const at = (x: number): number => lastAtOrBefore(starts, x);
  return rows.map((edges) => {
    // A row's edges stay apart (a cell narrower than the snap still has a column of its own).
    const idx: number[] = [];
    for (const x of edges) idx.push(idx.length === 0 ? at(x) : Math.max(at(x), idx[idx.length - 1]! + 1));
    return { columns: idx.slice(0, -1), spans: idx.slice(1).map((e, k) => e - idx[k]!) };
  });
}

/**
 * The grid edges of a table's rows of two cells or more with text so far, for {@link lineAcross} on rows that give their
 * cells' edges instead of grid columns (RTF, Word 97: a title merged across the table is one wide cell): an edge
 * within {@link EDGE_SNAP} of one kept is that one, so the list holds one edge per grid edge whatever the rows, and
 * each row costs a search and a sort of the table's edges.
 */
export class TableEdges {
  private readonly edges: number[] = [];

  /** Forget the table (the next row starts another). */
  clear(): void {
    this.edges.length = 0;
  }

  /** After a row of the table is read: a row of two cells or more with text adds its edges (as {@link widthAfterRow}). */
  afterRow(texts: readonly string[], edges: readonly number[]): void {
    if (filledCount(texts) < 2) return;
    for (const x of edges) {
      const i = lastAtOrBefore(this.edges, x);
      if ((i >= 0 && x - this.edges[i]! <= EDGE_SNAP) || (i + 1 < this.edges.length && this.edges[i + 1]! - x <= EDGE_SNAP)) continue;
      this.edges.splice(i + 1, 0, x);
    }
  }

  /**
   * A row's cells as {@link lineAcross} takes them: their grid columns and spans on the table's edges and this row's
   * ({@link edgeGrid}), and the table's width, the grid edge its rightmost edge stands at (undefined before a row of two
   * cells or more).
   */
  gridOf(edges: readonly number[]): { columns: number[]; spans: number[]; width: number } | undefined {
    if (this.edges.length < 2) return undefined;
    const [table, row] = edgeGrid([this.edges, edges]);
    return { columns: row!.columns, spans: row!.spans, width: table!.columns[table!.columns.length - 1]! + table!.spans[table!.spans.length - 1]! };
  }
}

/** Most characters of a cell of a header row found by its shape (not marked as a header by markup). */
const MAX_HEADER_CELL = 12;

/**
 * A first row of a table that reads as its header without markup saying so: two cells or more, each short (at most
 * {@link MAX_HEADER_CELL} characters) and without punctuation, not all of them numbers (序号 | 问题 | 整改措施 | 责任单位 |
 * 完成时限, as a ledger's first row is written in a sheet or a PDF).
 */
export function looksLikeHeaderRow(cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.length > 0);
  return (
    filled.length >= 2 &&
    filled.every((c) => c.length <= MAX_HEADER_CELL && !/[，。、；：！？,.;:!?]/.test(c)) &&
    filled.some((c) => /\p{Script=Han}|\p{L}/u.test(c))
  );
}

/**
 * The header cell of `[column, column + span)` among a header row's cells (starting at `columns`, in order, spanning
 * `spans`): the one that holds all those columns, or -1 (a cell across the columns of several header cells, a closing
 * remark across the table, has none). A binary search: `work.steps` counts its steps.
 */
export function headerCellAt(columns: readonly number[], spans: readonly number[], column: number, span: number, work: { steps: number } = { steps: 0 }): number {
  // The last header cell that starts at or before `column`.
  const k = lastAtOrBefore(columns, column, work);
  return k >= 0 && column + span <= columns[k]! + spans[k]! ? k : -1;
}

/** One row of a table as {@link cellsOfTable} reads it: its cells' texts, their grid columns and spans, and whether markup marks it a header row. */
export interface TableRowShape {
  texts: readonly string[];
  columns: readonly number[];
  spans?: readonly number[] | undefined;
  header?: boolean | undefined;
}

/** The columns each cell of a row spans (1 each where the reader gives none). */
function spansOf(r: TableRowShape): readonly number[] {
  return r.spans ?? r.columns.map(() => 1);
}

/**
 * The header cells of a header row with each filled cell widened over the empty or missing header columns after it, up
 * to the next filled one: a group header written once over the columns it groups (整改情况 over its sub-headers, in a
 * sheet saved as CSV, or a Word table, with the cells beside it left empty instead of merged).
 */
function filledHeaderCells(head: TableRowShape): { columns: number[]; spans: number[]; texts: string[] } {
  const spans = spansOf(head);
  const out = { columns: [] as number[], spans: [] as number[], texts: [] as string[] };
  let end = 0;
  head.columns.forEach((column, k) => {
    end = Math.max(end, column + spans[k]!);
    if (head.texts[k]!.length === 0) return;
    const last = out.columns.length - 1;
    if (last >= 0) out.spans[last] = column - out.columns[last]!;
    out.columns.push(column);
    out.spans.push(spans[k]!);
    out.texts.push(head.texts[k]!);
  });
  const last = out.columns.length - 1;
  if (last >= 0) out.spans[last] = Math.max(out.spans[last]!, end - out.columns[last]!);
  return out;
}

/**
 * Whether `next`, the row below a table's header row `head`, is a second header row: the sub-headers of header cells
 * that group columns (整改情况 over 整改措施 | 完成时限, 责任主体 over 责任领导 | 责任单位), as real ledgers are often
 * written. It is when markup marks it a header row or it {@link looksLikeHeaderRow}, every filled cell of it lies under a
 * header cell of two columns or more (widened as {@link filledHeaderCells} says), and the cells under each such group
 * cover every column of the group: a row of data has a cell under an ungrouped column (序号, 问题) or leaves a column of
 * a group empty. Rows follow it.
 */
function isSubHeaderRow(groups: ReturnType<typeof filledHeaderCells>, next: TableRowShape): boolean {
  if (!(next.header === true || looksLikeHeaderRow(next.texts))) return false;
  const nextSpans = spansOf(next);
  // Columns of each group covered by the row's filled cells, by the group's index.
  const covered = new Map<number, number>();
  for (let k = 0; k < next.columns.length; k++) {
    if (next.texts[k]!.length === 0) continue;
    const g = headerCellAt(groups.columns, groups.spans, next.columns[k]!, nextSpans[k]!);
    if (g < 0 || groups.spans[g]! < 2) return false;
    covered.set(g, (covered.get(g) ?? 0) + nextSpans[k]!);
  }
  if (covered.size === 0) return false;
  for (const [g, n] of covered) if (n !== groups.spans[g]) return false;
  return true;
}

/**
 * The {@link TableCell} of each cell of a table's rows: the table, the row within it and the column. A table's header
 * row is its first row of two cells or more (rows of one cell before it, a title set across the table, are no header)
 * when markup marks it (`header`) or when it {@link looksLikeHeaderRow}, and rows follow it; a second header row of the
 * sub-headers of grouping header cells may follow it ({@link isSubHeaderRow}). Each cell below the header rows gets the
 * text of the header cell whose columns hold its own ({@link headerCellAt}): the sub-header's, where one holds it, else
 * the header row's (a group header widened over the empty columns after it, when there is a second header row).
 */
export function cellsOfTable(table: number, rows: readonly TableRowShape[]): TableCell[][] {
  // Past the title rows (one cell of text) at the table's top.
  let h = 0;
  while (h < rows.length && filledCount(rows[h]!.texts) < 2) h++;
  const head = h < rows.length - 1 ? rows[h]! : undefined;
  const hasHeader = head !== undefined && (head.header === true || looksLikeHeaderRow(head.texts));
  const groups = hasHeader && h + 2 < rows.length ? filledHeaderCells(head) : undefined;
  const sub = groups && isSubHeaderRow(groups, rows[h + 1]!) ? rows[h + 1]! : undefined;
  // Where the header text of a cell below comes from: the header row as it is, or, under a second header row, the
  // sub-headers first and then the header row's filled cells widened.
  const levels = !hasHeader ? [] : sub ? [{ ...sub, spans: spansOf(sub) }, groups!] : [{ ...head, spans: spansOf(head) }];
  const body = sub ? h + 2 : h + 1;
  // The text of the header cell that holds `[column, column + span)`: the nearest level's (the sub-header's first).
  const headerOf = (column: number, span: number): string | undefined => {
    for (const l of levels) {
      const at = headerCellAt(l.columns, l.spans, column, span);
      if (at >= 0 && l.texts[at]!.length > 0) return l.texts[at];
    }
    return undefined;
  };
  return rows.map((r, row) =>
    r.columns.map((column, k) => {
      const cell: TableCell = { table, row, column };
      if (hasHeader && row >= h && row < body) cell.isHeader = true;
      else if (hasHeader && row >= body) {
        const header = headerOf(column, r.spans?.[k] ?? 1);
        if (header !== undefined) cell.header = header;
      }
      return cell;
    }),
  );
}
