import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TableCell, Unit } from '@xunshi/types';
import { resolveAncestors, rowHeadings } from '@xunshi/engine';

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

describe('outline phase under two header rows', () => {
  it('a sub-header (整改措施 under 整改情况) heads the cells of its column instead of the group header; the columns without one keep the first row\'s', () => {
    const us = units([
      ['序号', { table: 0, row: 0, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['整改情况', { table: 0, row: 0, column: 2, isHeader: true }],
      ['责任单位', { table: 0, row: 0, column: 4, isHeader: true }],
      ['整改措施', { table: 0, row: 1, column: 2, isHeader: true }],
      ['完成时限', { table: 0, row: 1, column: 3, isHeader: true }],
      ['违规发放津补贴。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['全额清退。', { table: 0, row: 2, column: 2, header: '整改措施' }],
      ['对责任人诫勉谈话。', { table: 0, row: 2, column: 2, header: '整改措施' }],
      ['六月', { table: 0, row: 2, column: 3, header: '完成时限' }],
      ['县财政局', { table: 0, row: 2, column: 4, header: '责任单位' }],
    ]);
    const a = resolveAncestors(us);
    expect(a.slice(6).map((x) => x.map((y) => us[y.unit]!.text))).toEqual([['问题'], ['整改措施'], ['整改措施'], ['完成时限'], ['责任单位']]);
    // The header cells have no column header of their own.
    expect(a.slice(0, 6).every((x) => x.length === 0)).toBe(true);
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

describe('topic phase: the cell that heads a table row (a ledger\'s 问题类别 column)', () => {
  // Cells that name an area, as the topic phase asks of a unit's own evidence.
  const AREAS = new Set(['作风建设方面', '选人用人', '纪律建设']);
  const heads = (us: Unit[], work?: { steps: number }): (number | undefined)[] => rowHeadings(us, 40, (i) => AREAS.has(us[i]!.text), work);
  const header = (texts: string[]): [string, TableCell][] => texts.map((t, c) => [t, { table: 0, row: 0, column: c, isHeader: true }]);

  it('is the nearest cell to the left that names an area, in the row or merged down from a row above', () => {
    const us = units([
      ...header(['序号', '问题类别', '具体问题', '整改措施']),
      ['1', { table: 0, row: 1, column: 0, header: '序号' }],
      ['作风建设方面', { table: 0, row: 1, column: 1, header: '问题类别' }], // merged down rows 1–2
      ['会议多、文件多。', { table: 0, row: 1, column: 2, header: '具体问题' }],
      ['精简会议。', { table: 0, row: 1, column: 3, header: '整改措施' }],
      ['2', { table: 0, row: 2, column: 0, header: '序号' }],
      ['督查检查过频。', { table: 0, row: 2, column: 2, header: '具体问题' }],
      ['3', { table: 0, row: 3, column: 0, header: '序号' }],
      ['其他', { table: 0, row: 3, column: 1, header: '问题类别' }], // the row's own cell, naming no area
      ['台账不全。', { table: 0, row: 3, column: 2, header: '具体问题' }],
    ]);
    const h = heads(us);
    expect(h[6]).toBe(5);
    expect(h[7]).toBe(5); // the measure has the same row heading; the topic phase gives it to problems and causes only
    expect(h[9]).toBe(5); // merged down: row 2 has no cell in column 1
    expect(h[12]).toBeUndefined(); // row 3's own cell in that column names nothing, and stands
    expect(h[5]).toBeUndefined(); // nothing to the left of the heading cell itself
    expect(h.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]); // header cells
  });
  it('is never a cell of sentences, a cell of two units, a header cell, a cell to the right or a cell of another table', () => {
    const us = units([
      ['作风建设方面', { table: 0, row: 0, column: 0, isHeader: true }],
      ['问题', { table: 0, row: 0, column: 1, isHeader: true }],
      ['会议多。', { table: 0, row: 1, column: 1, header: '问题' }],
      ['作风建设方面。', { table: 0, row: 2, column: 0, header: '作风建设方面' }],
      ['会议多。', { table: 0, row: 2, column: 1, header: '问题' }],
      ['选人用人', { table: 0, row: 3, column: 0, header: '作风建设方面' }],
      ['纪律建设', { table: 0, row: 3, column: 0, header: '作风建设方面' }],
      ['会议多。', { table: 0, row: 3, column: 1, header: '问题' }],
      ['会议多。', { table: 0, row: 4, column: 0, header: '作风建设方面' }],
      ['纪律建设', { table: 0, row: 4, column: 1, header: '问题' }],
      ['会议多。', { table: 1, row: 0, column: 1 }],
      '#二、整改措施',
      ['选人用人', { table: 2, row: 0, column: 0 }],
      ['会议多。', { table: 2, row: 0, column: 1 }],
    ]);
    const h = heads(us);
    expect(h[2]).toBeUndefined();
    expect(h[4]).toBeUndefined();
    expect(h[7]).toBeUndefined();
    expect(h[8]).toBeUndefined();
    expect(h[10]).toBeUndefined();
    // A table without a header row: its first row's cells are heads too.
    expect(h[13]).toBe(12);
  });
  it('finds the heading cell by a binary search: steps per cell grow with the log of the columns, not with their number', () => {
    const columns = 2000;
    const spec: [string, TableCell][] = [];
    for (let c = 0; c < columns; c++) spec.push([`列${c}`, { table: 0, row: 0, column: c, isHeader: true }]);
    for (let r = 1; r <= 20; r++) for (let c = 0; c < columns; c++) spec.push([c % 7 === 0 ? '选人用人' : `值${r}`, { table: 0, row: r, column: c, header: `列${c}` }]);
    const us = units(spec);
    const work = { steps: 0 };
    const h = heads(us, work);
    expect(h[columns + 10]).toBe(columns + 7);
    expect(work.steps).toBeLessThanOrEqual(us.length * 3 * (Math.ceil(Math.log2(columns)) + 1));
  });
});

describe('rowHeadings against a plain search', () => {
  /**
   * The same as {@link rowHeadings} by the definition: for a unit of a cell below a header, look at each column to the
   * left, nearest first; the cell there is the row's own, or the last one above in that table when the row has none;
   * it heads the row when it is one unit, one short line, no header cell, and names an area.
   */
  function plain(us: Unit[], max: number, names: (i: number) => boolean): (number | undefined)[] {
    const key = (u: Unit): string => `${u.cell!.table}/${u.cell!.row}/${u.cell!.column}`;
    return us.map((u, ui) => {
      const cell = u.cell;
      if (!cell || cell.isHeader) return undefined;
      const columns = [...new Set(us.slice(0, ui).filter((v) => v.cell && v.cell.table === cell.table && v.cell.column < cell.column).map((v) => v.cell!.column))].sort((a, b) => b - a);
      for (const column of columns) {
        // The last cell seen in that column: the first unit of the last run of units with its key.
        let last = -1;
        for (let i = ui - 1; i >= 0; i--) {
          const c = us[i]!.cell;
          if (c && c.table === cell.table && c.column === column) {
            last = i;
            break;
          }
        }
        let first = last;
        while (first > 0 && us[first - 1]!.cell && key(us[first - 1]!) === key(us[last]!)) first--;
        let n = 0;
        for (let i = first; i < ui && us[i]!.cell && key(us[i]!) === key(us[last]!); i++) n++;
        // Units of the cell that come after `ui`'s own cell began are not seen yet: only those before `ui` count.
        const h = us[first]!;
        if (n === 1 && !h.cell!.isHeader && h.text.length <= max && !/[。；;！!？?]$/.test(h.text) && names(first)) return first;
      }
      return undefined;
    });
  }
  it('gives what the definition gives, on arbitrary tables', () => {
    const texts = ['作风建设方面', '选人用人', '序号', '会议多。', '纪律建设。', '一个很长的单元格文字超过了上限'];
    const cellArb = fc.record({ newTable: fc.boolean(), newRow: fc.boolean(), step: fc.integer({ min: 0, max: 3 }), units: fc.integer({ min: 1, max: 2 }), header: fc.boolean(), text: fc.constantFrom(...texts), body: fc.boolean() });
    fc.assert(
      fc.property(fc.array(cellArb, { maxLength: 40 }), fc.integer({ min: 3, max: 12 }), (cells, max) => {
        const spec: (string | [string, TableCell])[] = [];
        let table = 0;
        let row = 0;
        let column = 0;
        for (const c of cells) {
          if (c.body) {
            spec.push('正文一句。');
            continue;
          }
          if (c.newTable) [table, row, column] = [table + 1, 0, 0];
          else if (c.newRow) [row, column] = [row + 1, c.step];
          else column += c.step + 1;
          for (let k = 0; k < c.units; k++) spec.push([k === 0 ? c.text : '又一句。', { table, row, column, ...(c.header && row === 0 ? { isHeader: true as const } : {}) }]);
        }
        const us = units(spec);
        const names = (i: number): boolean => us[i]!.text !== '序号' && us[i]!.text !== '又一句。';
        expect(rowHeadings(us, max, names)).toEqual(plain(us, max, names));
      }),
      { numRuns: 500 },
    );
  });
});
