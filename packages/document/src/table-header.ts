import { lastAtOrBefore, type TableCell } from '@xunshi/types';

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

/**
 * The {@link TableCell} of each cell of a table's rows: the table, the row within it and the column. A table's header
 * row is its first row of two cells or more (rows of one cell before it, a title set across the table, are no header)
 * when markup marks it (`header`) or when it {@link looksLikeHeaderRow}, and rows follow it; each cell below a header
 * gets the text of the header cell whose columns hold its own ({@link headerCellAt}).
 */
export function cellsOfTable(table: number, rows: readonly TableRowShape[]): TableCell[][] {
  // Past the title rows (one cell of text) at the table's top.
  let h = 0;
  while (h < rows.length && rows[h]!.texts.filter((t) => t.length > 0).length < 2) h++;
  const head = h < rows.length - 1 ? rows[h]! : undefined;
  const hasHeader = head !== undefined && (head.header === true || looksLikeHeaderRow(head.texts));
  const headColumns = head ? head.columns : [];
  const headSpans = head?.spans ?? headColumns.map(() => 1);
  return rows.map((r, row) =>
    r.columns.map((column, k) => {
      const cell: TableCell = { table, row, column };
      if (hasHeader && row === h) cell.isHeader = true;
      else if (hasHeader && row > h) {
        const at = headerCellAt(headColumns, headSpans, column, r.spans?.[k] ?? 1);
        if (at >= 0 && head!.texts[at]!.length > 0) cell.header = head!.texts[at];
      }
      return cell;
    }),
  );
}
