import type { Unit } from '@xunshi/types';

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
 * a level has no unit of its own.
 */
export function resolveAncestors(units: readonly Unit[]): Ancestor[][] {
  const lastHeadingByText = new Map<string, number>();
  // The header units of the table being read: each header cell's first unit, by column (header rows come first).
  let table = -1;
  let headers: { column: number; unit: number }[] = [];
  return units.map((unit, ui) => {
    const path = unit.headingPath;
    const out: Ancestor[] = [];
    const cell = unit.cell;
    if (cell && cell.table !== table) {
      table = cell.table;
      headers = [];
    }
    if (cell?.isHeader) {
      if (!headers.some((h) => h.column === cell.column)) headers.push({ column: cell.column, unit: ui });
    } else if (cell?.header !== undefined) {
      // A cell below a header is under its column's header first (the header cell that starts at or before its column,
      // the nearest: a header spanning columns holds the columns after its start).
      let found: { column: number; unit: number } | undefined;
      for (const h of headers) if (h.column <= cell.column && (!found || h.column > found.column)) found = h;
      if (found) out.push({ unit: found.unit, depth: 0, column: true });
    }
    for (let depth = 0; depth < path.length; depth++) {
      const hi = lastHeadingByText.get(path[path.length - 1 - depth]!);
      if (hi !== undefined) out.push({ unit: hi, depth });
    }
    if (unit.isHeading) lastHeadingByText.set(unit.text, ui);
    return out;
  });
}
