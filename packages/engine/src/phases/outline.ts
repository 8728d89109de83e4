import { lastAtOrBefore, type Unit } from '@xunshi/types';

/** An enclosing heading of a unit: the heading unit's index and its distance (0 = the nearest heading level). */
export interface Ancestor {
  unit: number;
  depth: number;
  /** Set when the heading is the header of the unit's table column (整改措施 over a ledger's measures), not a section's. */
  column?: true;
}

/**
 * Outline phase: for every unit, the heading units that enclose it, nearest first. A heading path entry is resolved to
 * the last heading unit seen before with that text; `depth` counts path levels, so decay follows the outline even where
 * a level has no unit of its own. A table cell's column header is found by a binary search over its header row's cells
 * (`work.steps` counts its steps); where a second header row holds sub-headers, a sub-header stands for its columns.
 */
export function resolveAncestors(units: readonly Unit[], work?: { steps: number }): Ancestor[][] {
  const lastHeadingByText = new Map<string, number>();
  // The header units of the table being read: each header cell's first unit, in column order (a header row's cells come
  // left to right, before the rows below it).
  let table = -1;
  let headerColumns: number[] = [];
  let headerUnits: number[] = [];
  let headerRows: number[] = [];
  return units.map((unit, ui) => {
    const path = unit.headingPath;
    const out: Ancestor[] = [];
    const cell = unit.cell;
    if (cell && cell.table !== table) {
      table = cell.table;
      headerColumns = [];
      headerUnits = [];
      headerRows = [];
    }
    if (cell?.isHeader) {
      // A cell of a second header row (整改措施 under 整改情况) stands for its columns instead of the group header above;
      // a cell's later units, or a header cell already seen in its row, change nothing.
      const k = lastAtOrBefore(headerColumns, cell.column, work);
      if (k >= 0 && headerColumns[k] === cell.column) {
        if (headerRows[k]! < cell.row) {
          headerUnits[k] = ui;
          headerRows[k] = cell.row;
        }
      } else {
        headerColumns.splice(k + 1, 0, cell.column);
        headerUnits.splice(k + 1, 0, ui);
        headerRows.splice(k + 1, 0, cell.row);
      }
    } else if (cell?.header !== undefined) {
      // A cell below a header is under its column's header first (the header cell that starts at or before its column,
      // the nearest: a header spanning columns holds the columns after its start).
      const k = lastAtOrBefore(headerColumns, cell.column, work);
      if (k >= 0) out.push({ unit: headerUnits[k]!, depth: 0, column: true });
    }
    for (let depth = 0; depth < path.length; depth++) {
      const hi = lastHeadingByText.get(path[path.length - 1 - depth]!);
      if (hi !== undefined) out.push({ unit: hi, depth });
    }
    if (unit.isHeading) lastHeadingByText.set(unit.text, ui);
    return out;
  });
}
