import { describe, expect, it } from 'vitest';
import type { TableCell, Unit } from '@xunshi/types';
import { resolveAncestors } from '@xunshi/engine';

/** Units of one line each: a heading (`#`), a body line, or a table cell `[table, row, column, header?]`. */
function units(spec: (string | [string, TableCell])[]): Unit[] {
  const out: Unit[] = [];
  let path: string[] = [];
  let at = 0;
  for (const s of spec) {
    const [text, cell] = typeof s === 'string' ? [s, undefined] : s;
    const isHeading = text.startsWith('#');
    const t = isHeading ? text.slice(1) : text;
    const u: Unit = { id: `u${out.length}`, index: out.length, start: at, end: at + t.length, text: t, headingPath: path, isHeading, block: out.length };
    if (cell) u.cell = cell;
    at += t.length + 1;
    out.push(u);
    if (isHeading) path = [t];
  }
  return out;
}

describe('outline phase: a table column header is the nearest heading of the cells below it', () => {
  it('puts the header cell of the column first, at depth 0, before the section headings', () => {
    const us = units([
      '#一、整改情况',
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['整改措施', { table: 0, row: 0, column: 2, isHeader: true }],
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['违规发放津补贴。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['全额清退。', { table: 0, row: 1, column: 2, header: '整改措施' }],
      ['对责任人诫勉谈话。', { table: 0, row: 1, column: 2, header: '整改措施' }],
    ]);
    const a = resolveAncestors(us);
    expect(a[5]).toEqual([{ unit: 2, depth: 0, column: true }, { unit: 0, depth: 0 }]);
    expect(a[6]).toEqual([{ unit: 3, depth: 0, column: true }, { unit: 0, depth: 0 }]);
    expect(a[7]).toEqual([{ unit: 3, depth: 0, column: true }, { unit: 0, depth: 0 }]);
    // Header cells themselves, and cells of a table without a header, have only the section.
    expect(a[2]).toEqual([{ unit: 0, depth: 0 }]);
  });
  it('takes a spanning header for the columns after its start, and never a header of another table', () => {
    const us = units([
      ['问题', { table: 0, row: 0, column: 0, isHeader: true }],
      ['整改情况', { table: 0, row: 0, column: 1, isHeader: true }],
      ['违规发放津补贴。', { table: 0, row: 1, column: 0, header: '问题' }],
      ['已清退。', { table: 0, row: 1, column: 2, header: '整改情况' }],
      ['违规发放津补贴。', { table: 1, row: 0, column: 0 }],
      ['已清退。', { table: 1, row: 0, column: 1, header: '整改情况' }],
    ]);
    const a = resolveAncestors(us);
    expect(a[3]).toEqual([{ unit: 1, depth: 0, column: true }]);
    expect(a[4]).toEqual([]);
    expect(a[5]).toEqual([]);
  });
});

describe('outline phase on a wide table', () => {
  it('finds each cell\'s header by a binary search: steps per cell grow with the log of the header cells, not with their number', () => {
    const columns = 2000;
    const spec: [string, TableCell][] = [];
    for (let c = 0; c < columns; c++) spec.push([`列${c}`, { table: 0, row: 0, column: c, isHeader: true }]);
    for (let r = 1; r <= 20; r++) for (let c = 0; c < columns; c++) spec.push([`值${r}`, { table: 0, row: r, column: c, header: `列${c}` }]);
    const us = units(spec);
    const work = { steps: 0 };
    const a = resolveAncestors(us, work);
    expect(a[columns + 7]).toEqual([{ unit: 7, depth: 0, column: true }]);
    const cells = 20 * columns;
    expect(work.steps).toBeGreaterThan(0);
    expect(work.steps).toBeLessThanOrEqual(cells * (Math.ceil(Math.log2(columns)) + 1));
  });
});
